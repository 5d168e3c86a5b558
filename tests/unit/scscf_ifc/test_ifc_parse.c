/*
 * Reading iFCs: the IMSSubscription our HSS writes (hss/cx/user_data.c:
 * element names and order, no whitespace), a standard Annex E style
 * document from another HSS (pretty-printed, xsi attributes, several
 * ServiceProfiles, SharedIFCSetIDs), the registrar's concatenated iFC
 * fragment, and a namespaced document. Priority sorting and the AS fields.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ifc.h"

/* Exactly the shape cx_user_data_build() emits. */
static const char hss_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<IMSSubscription><PrivateID>alice@open-ims.test</PrivateID>"
	"<ServiceProfile>"
	"<PublicIdentity><Identity>sip:alice@open-ims.test</Identity></PublicIdentity>"
	"<PublicIdentity><Identity>tel:+4930123456</Identity></PublicIdentity>"
	"<InitialFilterCriteria><Priority>0</Priority>"
	"<TriggerPoint><ConditionTypeCNF>1</ConditionTypeCNF>"
	"<SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><Method>INVITE</Method></SPT>"
	"<SPT><ConditionNegated>0</ConditionNegated><Group>1</Group><SessionCase>0</SessionCase></SPT>"
	"</TriggerPoint>"
	"<ApplicationServer><ServerName>sip:tas.open-ims.test:5065</ServerName>"
	"<DefaultHandling>0</DefaultHandling><ServiceInfo>mmtel</ServiceInfo></ApplicationServer>"
	"</InitialFilterCriteria>"
	"<InitialFilterCriteria><Priority>10</Priority>"
	"<TriggerPoint><ConditionTypeCNF>0</ConditionTypeCNF>"
	"<SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><Method>MESSAGE</Method></SPT>"
	"<SPT><ConditionNegated>0</ConditionNegated><Group>0</Group>"
	"<SIPHeader><Header>Accept-Contact</Header><Content>\\+g\\.3gpp\\.smsip</Content></SIPHeader></SPT>"
	"</TriggerPoint>"
	"<ApplicationServer><ServerName>sip:ipsmgw.open-ims.test</ServerName>"
	"<DefaultHandling>1</DefaultHandling></ApplicationServer>"
	"<ProfilePartIndicator>0</ProfilePartIndicator>"
	"</InitialFilterCriteria>"
	"<InitialFilterCriteria><Priority>20</Priority>"
	"<TriggerPoint><ConditionTypeCNF>1</ConditionTypeCNF>"
	"<SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><Method>REGISTER</Method>"
	"<Extension><RegistrationType>0</RegistrationType><RegistrationType>2</RegistrationType></Extension></SPT>"
	"</TriggerPoint>"
	"<ApplicationServer><ServerName>sip:presence.open-ims.test</ServerName>"
	"<DefaultHandling>0</DefaultHandling>"
	"<Extension><IncludeRegisterRequest/></Extension></ApplicationServer>"
	"</InitialFilterCriteria>"
	"<Extension><SharedIFCSetID>4</SharedIFCSetID></Extension>"
	"</ServiceProfile></IMSSubscription>";

/* Another HSS, TS 29.228 Annex E style: indentation, schema attributes,
 * priorities not in document order, two ServiceProfiles. */
static const char annex_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<IMSSubscription xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
	"    xsi:noNamespaceSchemaLocation=\"CxDataType.xsd\">\n"
	"  <PrivateID>bob@example.net</PrivateID>\n"
	"  <ServiceProfile>\n"
	"    <PublicIdentity>\n"
	"      <BarringIndication>0</BarringIndication>\n"
	"      <Identity>sip:bob@example.net</Identity>\n"
	"    </PublicIdentity>\n"
	"    <InitialFilterCriteria>\n"
	"      <Priority> 5 </Priority>\n"
	"      <TriggerPoint>\n"
	"        <ConditionTypeCNF>0</ConditionTypeCNF>\n"
	"        <SPT>\n"
	"          <ConditionNegated>0</ConditionNegated>\n"
	"          <Group>0</Group>\n"
	"          <Method>INVITE</Method>\n"
	"          <Extension></Extension>\n"
	"        </SPT>\n"
	"        <SPT>\n"
	"          <ConditionNegated>0</ConditionNegated>\n"
	"          <Group>0</Group>\n"
	"          <SessionDescription>\n"
	"            <Line>m</Line>\n"
	"            <Content>^video</Content>\n"
	"          </SessionDescription>\n"
	"        </SPT>\n"
	"        <SPT>\n"
	"          <ConditionNegated>0</ConditionNegated>\n"
	"          <Group>1</Group>\n"
	"          <Method>SUBSCRIBE</Method>\n"
	"        </SPT>\n"
	"        <SPT>\n"
	"          <ConditionNegated>0</ConditionNegated>\n"
	"          <Group>1</Group>\n"
	"          <SIPHeader>\n"
	"            <Header>Event</Header>\n"
	"            <Content>presence</Content>\n"
	"          </SIPHeader>\n"
	"        </SPT>\n"
	"      </TriggerPoint>\n"
	"      <ApplicationServer>\n"
	"        <ServerName>sip:video.example.net</ServerName>\n"
	"        <DefaultHandling>0</DefaultHandling>\n"
	"      </ApplicationServer>\n"
	"      <ProfilePartIndicator>0</ProfilePartIndicator>\n"
	"    </InitialFilterCriteria>\n"
	"    <InitialFilterCriteria>\n"
	"      <Priority>1</Priority>\n"
	"      <TriggerPoint>\n"
	"        <ConditionTypeCNF>1</ConditionTypeCNF>\n"
	"        <SPT>\n"
	"          <ConditionNegated>1</ConditionNegated>\n"
	"          <Group>0</Group>\n"
	"          <RequestURI>^sip:voicemail@</RequestURI>\n"
	"        </SPT>\n"
	"      </TriggerPoint>\n"
	"      <ApplicationServer>\n"
	"        <ServerName>sip:screening.example.net</ServerName>\n"
	"        <DefaultHandling>1</DefaultHandling>\n"
	"        <ServiceInfo>screen &amp; log</ServiceInfo>\n"
	"      </ApplicationServer>\n"
	"    </InitialFilterCriteria>\n"
	"    <Extension>\n"
	"      <SharedIFCSetID>3</SharedIFCSetID>\n"
	"      <SharedIFCSetID>7</SharedIFCSetID>\n"
	"    </Extension>\n"
	"  </ServiceProfile>\n"
	"  <ServiceProfile>\n"
	"    <PublicIdentity><Identity>sip:bob-fax@example.net</Identity></PublicIdentity>\n"
	"    <InitialFilterCriteria>\n"
	"      <Priority>0</Priority>\n"
	"      <ApplicationServer><ServerName>sip:fax.example.net</ServerName></ApplicationServer>\n"
	"    </InitialFilterCriteria>\n"
	"  </ServiceProfile>\n"
	"</IMSSubscription>\n";

static struct ifc_profile *parse_ok(const char *xml, unsigned sp)
{
	struct ifc_profile *p = NULL;

	assert_int_equal(ifc_profile_parse(xml, strlen(xml), sp, &p), 0);
	assert_non_null(p);
	return p;
}

static void test_parse_hss_subscription_three_ifcs(void **state)
{
	struct ifc_profile *p = parse_ok(hss_xml, 0);
	const struct ifc_filter *f;
	const uint32_t *shared;
	size_t n;

	(void)state;
	assert_int_equal(ifc_profile_count(p), 3);
	f = ifc_profile_at(p, 0);
	assert_int_equal(f->priority, 0);
	assert_string_equal(f->as.server_name, "sip:tas.open-ims.test:5065");
	assert_int_equal(f->as.default_handling, IFC_SESSION_CONTINUED);
	assert_string_equal(f->as.service_info, "mmtel");
	assert_int_equal(f->part, IFC_PART_ANY);
	assert_true(f->has_trigger);
	assert_false(f->as.include_register_request);

	f = ifc_profile_at(p, 1);
	assert_int_equal(f->priority, 10);
	assert_string_equal(f->as.server_name, "sip:ipsmgw.open-ims.test");
	assert_int_equal(f->as.default_handling, IFC_SESSION_TERMINATED);
	assert_null(f->as.service_info);
	assert_int_equal(f->part, IFC_PART_REGISTERED);

	f = ifc_profile_at(p, 2);
	assert_int_equal(f->priority, 20);
	assert_true(f->as.include_register_request);
	assert_false(f->as.include_register_response);
	assert_null(ifc_profile_at(p, 3));

	shared = ifc_profile_shared_sets(p, &n);
	assert_int_equal(n, 1);
	assert_int_equal(shared[0], 4);
	ifc_profile_free(p);
}

static void test_parse_hss_sample_evaluates(void **state)
{
	struct ifc_profile *p = parse_ok(hss_xml, 0);
	struct ifc_header accept = { "Accept-Contact", "*;+g.3gpp.smsip" };
	struct ifc_request invite = { .method = "INVITE", .request_uri = "sip:bob@open-ims.test" };
	struct ifc_request msg = { .method = "MESSAGE", .request_uri = "sip:bob@open-ims.test",
				   .headers = &accept, .n_headers = 1 };
	struct ifc_request reg = { .method = "REGISTER", .request_uri = "sip:open-ims.test",
				   .reg_type = IFC_REG_RE };
	struct ifc_context orig = { IFC_SC_ORIGINATING, IFC_USER_REGISTERED };
	struct ifc_context term = { IFC_SC_TERMINATING_REGISTERED, IFC_USER_REGISTERED };
	const struct ifc_filter *f;

	(void)state;
	assert_int_equal(ifc_next(p, &invite, &orig, IFC_START, &f), 0);
	assert_string_equal(f->as.server_name, "sip:tas.open-ims.test:5065");
	assert_int_equal(ifc_next(p, &invite, &term, IFC_START, &f), -ENOENT);
	assert_int_equal(ifc_next(p, &msg, &term, IFC_START, &f), 1);
	assert_int_equal(ifc_next(p, &reg, &term, IFC_START, &f), -ENOENT);
	reg.reg_type = IFC_REG_INITIAL;
	assert_int_equal(ifc_next(p, &reg, &term, IFC_START, &f), 2);
	assert_string_equal(f->as.server_name, "sip:presence.open-ims.test");
	ifc_profile_free(p);
}

static void test_parse_annex_sorts_by_priority(void **state)
{
	struct ifc_profile *p = parse_ok(annex_xml, 0);
	const struct ifc_filter *f;
	const uint32_t *shared;
	size_t n;

	(void)state;
	assert_int_equal(ifc_profile_count(p), 2);
	f = ifc_profile_at(p, 0);
	assert_int_equal(f->priority, 1);
	assert_string_equal(f->as.server_name, "sip:screening.example.net");
	assert_string_equal(f->as.service_info, "screen & log");
	assert_int_equal(f->as.default_handling, IFC_SESSION_TERMINATED);
	f = ifc_profile_at(p, 1);
	assert_int_equal(f->priority, 5);
	assert_int_equal(f->part, IFC_PART_REGISTERED);
	shared = ifc_profile_shared_sets(p, &n);
	assert_int_equal(n, 2);
	assert_int_equal(shared[0], 3);
	assert_int_equal(shared[1], 7);
	ifc_profile_free(p);
}

static void test_parse_annex_evaluates_video_and_presence(void **state)
{
	struct ifc_profile *p = parse_ok(annex_xml, 0);
	static const char video[] = "v=0\r\nm=audio 4000 RTP/AVP 0\r\nm=video 4002 RTP/AVP 96\r\n";
	struct ifc_header event = { "Event", "presence" };
	struct ifc_request inv = { .method = "INVITE", .request_uri = "sip:voicemail@example.net",
				   .content_type = "application/sdp", .body = video,
				   .body_len = sizeof video - 1 };
	struct ifc_request sub = { .method = "SUBSCRIBE", .request_uri = "sip:voicemail@example.net",
				   .headers = &event, .n_headers = 1 };
	struct ifc_context ctx = { IFC_SC_ORIGINATING, IFC_USER_REGISTERED };
	const struct ifc_filter *f;

	(void)state;
	/* negated RequestURI: voicemail is not screened */
	assert_int_equal(ifc_next(p, &inv, &ctx, IFC_START, &f), 1);
	assert_string_equal(f->as.server_name, "sip:video.example.net");
	assert_int_equal(ifc_next(p, &sub, &ctx, IFC_START, &f), 1);
	sub.request_uri = "sip:carol@example.net";
	assert_int_equal(ifc_next(p, &sub, &ctx, IFC_START, &f), 0);
	/* the video iFC is REGISTERED-only */
	ctx.user_state = IFC_USER_UNREGISTERED;
	assert_int_equal(ifc_next(p, &inv, &ctx, IFC_START, &f), -ENOENT);
	ifc_profile_free(p);
}

static void test_parse_picks_second_service_profile(void **state)
{
	struct ifc_profile *p = parse_ok(annex_xml, 1), *none = (void *)1;
	struct ifc_request any = { .method = "OPTIONS" };
	struct ifc_context ctx = { IFC_SC_TERMINATING_UNREGISTERED, IFC_USER_UNREGISTERED };
	const struct ifc_filter *f;
	size_t n;

	(void)state;
	assert_int_equal(ifc_profile_count(p), 1);
	assert_false(ifc_profile_at(p, 0)->has_trigger);
	assert_null(ifc_profile_shared_sets(p, &n));
	assert_int_equal(n, 0);
	/* no TriggerPoint: always matches */
	assert_int_equal(ifc_next(p, &any, &ctx, IFC_START, &f), 0);
	assert_string_equal(f->as.server_name, "sip:fax.example.net");
	ifc_profile_free(p);
	assert_int_equal(ifc_profile_parse(annex_xml, strlen(annex_xml), 2, &none), -ENOENT);
	assert_null(none);
}

/* reg_profile keeps a ServiceProfile's iFCs as concatenated elements. */
static void test_parse_registrar_fragment(void **state)
{
	static const char frag[] =
		"<InitialFilterCriteria><Priority>7</Priority>"
		"<ApplicationServer><ServerName>sip:b.test</ServerName></ApplicationServer>"
		"</InitialFilterCriteria>"
		"<InitialFilterCriteria><Priority>3</Priority>"
		"<ApplicationServer><ServerName>sip:a.test</ServerName></ApplicationServer>"
		"</InitialFilterCriteria>";
	struct ifc_profile *p = parse_ok(frag, 0);

	(void)state;
	assert_int_equal(ifc_profile_count(p), 2);
	assert_string_equal(ifc_profile_at(p, 0)->as.server_name, "sip:a.test");
	assert_string_equal(ifc_profile_at(p, 1)->as.server_name, "sip:b.test");
	ifc_profile_free(p);
}

static void test_parse_namespaced_document(void **state)
{
	static const char xml[] =
		"<cx:IMSSubscription xmlns:cx=\"urn:example:cx\"><cx:PrivateID>x</cx:PrivateID>"
		"<cx:ServiceProfile><cx:InitialFilterCriteria><cx:Priority>2</cx:Priority>"
		"<cx:TriggerPoint><cx:ConditionTypeCNF>1</cx:ConditionTypeCNF>"
		"<cx:SPT><cx:ConditionNegated>0</cx:ConditionNegated><cx:Group>0</cx:Group>"
		"<cx:Method>INVITE</cx:Method></cx:SPT></cx:TriggerPoint>"
		"<cx:ApplicationServer><cx:ServerName>sip:ns.test</cx:ServerName>"
		"<cx:Extension><cx:IncludeRegisterResponse/></cx:Extension>"
		"</cx:ApplicationServer></cx:InitialFilterCriteria></cx:ServiceProfile>"
		"</cx:IMSSubscription>";
	struct ifc_profile *p = parse_ok(xml, 0);
	struct ifc_request inv = { .method = "INVITE" }, bye = { .method = "BYE" };

	(void)state;
	assert_int_equal(ifc_profile_count(p), 1);
	assert_true(ifc_profile_at(p, 0)->as.include_register_response);
	assert_int_equal(ifc_trigger_matches(p, 0, &inv, IFC_SC_ORIGINATING), 1);
	assert_int_equal(ifc_trigger_matches(p, 0, &bye, IFC_SC_ORIGINATING), 0);
	ifc_profile_free(p);
}

/* Equal priorities keep document order (stable sort). */
static void test_parse_equal_priorities_keep_document_order(void **state)
{
	static const char xml[] =
		"<ServiceProfile>"
		"<InitialFilterCriteria><Priority>1</Priority><ApplicationServer>"
		"<ServerName>sip:first</ServerName></ApplicationServer></InitialFilterCriteria>"
		"<InitialFilterCriteria><Priority>0</Priority><ApplicationServer>"
		"<ServerName>sip:zero</ServerName></ApplicationServer></InitialFilterCriteria>"
		"<InitialFilterCriteria><Priority>1</Priority><ApplicationServer>"
		"<ServerName>sip:second</ServerName></ApplicationServer></InitialFilterCriteria>"
		"</ServiceProfile>";
	struct ifc_profile *p = parse_ok(xml, 0);

	(void)state;
	assert_string_equal(ifc_profile_at(p, 0)->as.server_name, "sip:zero");
	assert_string_equal(ifc_profile_at(p, 1)->as.server_name, "sip:first");
	assert_string_equal(ifc_profile_at(p, 2)->as.server_name, "sip:second");
	ifc_profile_free(p);
}

static void test_parse_profile_without_ifcs_is_empty(void **state)
{
	static const char xml[] =
		"<IMSSubscription><PrivateID>x</PrivateID><ServiceProfile>"
		"<PublicIdentity><Identity>sip:x@y</Identity></PublicIdentity>"
		"</ServiceProfile></IMSSubscription>";
	struct ifc_profile *p = parse_ok(xml, 0);
	struct ifc_request any = { .method = "INVITE" };
	struct ifc_context ctx = { 0, 0 };
	const struct ifc_filter *f = (void *)1;

	(void)state;
	assert_int_equal(ifc_profile_count(p), 0);
	assert_int_equal(ifc_next(p, &any, &ctx, IFC_START, &f), -ENOENT);
	assert_null(f);
	ifc_profile_free(p);
}

/* The S-CSCF's own table of shared iFC sets (TS 29.228 B.2.1). */
static const char *shared_lookup(void *ctx, uint32_t id, size_t *len)
{
	static const char set3[] =
		"<InitialFilterCriteria><Priority>6</Priority>"
		"<ApplicationServer><ServerName>sip:shared6.test</ServerName></ApplicationServer>"
		"</InitialFilterCriteria>"
		"<InitialFilterCriteria><Priority>3</Priority>"
		"<ApplicationServer><ServerName>sip:shared3.test</ServerName></ApplicationServer>"
		"</InitialFilterCriteria>";
	static const char set9[] = "<InitialFilterCriteria><Priority>1</Priority>";
	int *calls = ctx;

	(*calls)++;
	if (id == 3) {
		*len = sizeof set3 - 1;
		return set3;
	}
	if (id == 9) {
		*len = sizeof set9 - 1;
		return set9;
	}
	return NULL;
}

static void test_parse_shared_sets_merged_by_priority(void **state)
{
	int calls = 0;
	struct ifc_shared_sets sets = { shared_lookup, &calls };
	struct ifc_profile *p = NULL;
	static const int want[] = { 1, 3, 5, 6 };
	size_t n;

	(void)state;
	assert_int_equal(ifc_profile_parse_shared(annex_xml, strlen(annex_xml), 0, &sets, &p), 0);
	assert_int_equal(calls, 2); /* 3 known, 7 unknown and skipped */
	assert_int_equal(ifc_profile_count(p), 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(ifc_profile_at(p, i)->priority, want[i]);
	assert_string_equal(ifc_profile_at(p, 1)->as.server_name, "sip:shared3.test");
	assert_non_null(ifc_profile_shared_sets(p, &n));
	assert_int_equal(n, 2);
	ifc_profile_free(p);
}

static void test_parse_broken_shared_set_fails(void **state)
{
	static const char xml[] =
		"<ServiceProfile><InitialFilterCriteria><Priority>0</Priority>"
		"<ApplicationServer><ServerName>sip:a</ServerName></ApplicationServer>"
		"</InitialFilterCriteria><Extension><SharedIFCSetID>9</SharedIFCSetID></Extension>"
		"</ServiceProfile>";
	int calls = 0;
	struct ifc_shared_sets sets = { shared_lookup, &calls };
	struct ifc_profile *p = NULL;

	(void)state;
	assert_int_equal(ifc_profile_parse_shared(xml, sizeof xml - 1, 0, &sets, &p), -EBADMSG);
	assert_null(p);
	/* without the table the numbers are only kept */
	assert_int_equal(ifc_profile_parse(xml, sizeof xml - 1, 0, &p), 0);
	assert_int_equal(ifc_profile_count(p), 1);
	ifc_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_hss_subscription_three_ifcs),
		cmocka_unit_test(test_parse_hss_sample_evaluates),
		cmocka_unit_test(test_parse_annex_sorts_by_priority),
		cmocka_unit_test(test_parse_annex_evaluates_video_and_presence),
		cmocka_unit_test(test_parse_picks_second_service_profile),
		cmocka_unit_test(test_parse_registrar_fragment),
		cmocka_unit_test(test_parse_namespaced_document),
		cmocka_unit_test(test_parse_equal_priorities_keep_document_order),
		cmocka_unit_test(test_parse_profile_without_ifcs_is_empty),
		cmocka_unit_test(test_parse_shared_sets_merged_by_priority),
		cmocka_unit_test(test_parse_broken_shared_set_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
