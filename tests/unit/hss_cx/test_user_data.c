/* Unit tests: cx_user_data_write (TS 29.228 Annex D IMSSubscription, through
 * an escaping writer), cx_admin_scscf_host (RTR/PPR Destination-Host) and
 * cx_log_level (the level of a procedure's log line). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "cx/cx.h"
#include "cx/cx_admin.h"

static void impu_init(struct store_impu *u, const char *id, uint64_t profile, unsigned pos)
{
	memset(u, 0, sizeof *u);
	snprintf(u->identity, sizeof u->identity, "%s", id);
	u->service_profile_id = profile;
	u->implicit_set_pos = pos;
	u->implicit_set_id = 1;
	u->can_register = true;
}

/* Parse xml and return the text of the nodes matched by xpath, joined by
 * '|' (caller frees). Fails the test if the document does not parse. */
static char *xpath_text(const char *xml, size_t len, const char *xpath)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, "ud.xml", NULL, XML_PARSE_NONET);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr obj;
	char *out = calloc(1, 4096);

	assert_non_null(doc);
	ctx = xmlXPathNewContext(doc);
	obj = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
	assert_non_null(obj);
	for (int i = 0; obj->nodesetval && i < obj->nodesetval->nodeNr; i++) {
		xmlChar *t = xmlNodeGetContent(obj->nodesetval->nodeTab[i]);
		if (i)
			strncat(out, "|", 4095 - strlen(out));
		strncat(out, (const char *)t, 4095 - strlen(out));
		xmlFree(t);
	}
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}

static void expect_xpath(const char *xml, size_t len, const char *xpath, const char *want)
{
	char *got = xpath_text(xml, len, xpath);

	assert_string_equal(got, want);
	free(got);
}

static void test_user_data_escapes_markup_in_identities(void **state)
{
	struct store_impu set[1];
	char *xml = NULL;
	size_t len = 0;

	(void)state;
	impu_init(&set[0], "sip:a&b<c>\"d\"@open-ims.test", 0, 0);
	assert_int_equal(cx_user_data_write("x&y@open-ims.test", set, 1, NULL, 0, &xml, &len), 0);
	assert_int_equal(strlen(xml), len);
	/* Raw markup never appears; it is escaped and reads back intact. */
	assert_null(strstr(xml, "a&b<c>"));
	assert_non_null(strstr(xml, "a&amp;b&lt;c&gt;"));
	expect_xpath(xml, len, "/IMSSubscription/PrivateID", "x&y@open-ims.test");
	expect_xpath(xml, len, "//PublicIdentity/Identity", "sip:a&b<c>\"d\"@open-ims.test");
	free(xml);
}

static void test_user_data_keeps_set_order_and_groups_by_profile(void **state)
{
	struct store_service_profile p7 = { .id = 7 }, p9 = { .id = 9 };
	struct store_service_profile *profiles[] = { &p9, &p7 };
	struct store_impu set[3];
	char *xml = NULL;
	size_t len = 0;

	(void)state;
	impu_init(&set[0], "sip:default@open-ims.test", 7, 0);
	impu_init(&set[1], "tel:+4930100001", 9, 1);
	impu_init(&set[2], "sip:third@open-ims.test", 7, 2);
	assert_int_equal(cx_user_data_write("u@open-ims.test", set, 3, profiles, 2, &xml, &len), 0);
	/* First profile is the default IMPU's; its IMPUs in set order. */
	expect_xpath(xml, len, "/IMSSubscription/ServiceProfile[1]/PublicIdentity/Identity",
		     "sip:default@open-ims.test|sip:third@open-ims.test");
	expect_xpath(xml, len, "/IMSSubscription/ServiceProfile[2]/PublicIdentity/Identity",
		     "tel:+4930100001");
	/* Two profiles, not one per IMPU. */
	expect_xpath(xml, len, "/IMSSubscription/ServiceProfile[3]", "");
	free(xml);
}

static void test_user_data_writes_ifc_fields(void **state)
{
	struct store_spt spts[] = {
		{ .group = 0, .negated = false, .type = STORE_SPT_METHOD, .value = "INVITE",
		  .session_case = -1 },
		{ .group = 0, .negated = true, .type = STORE_SPT_SIP_HEADER, .header = "Subject",
		  .value = "a<b", .session_case = -1, .registration_type = 1u | 4u },
		{ .group = 1, .type = STORE_SPT_SESSION_CASE, .session_case = 1 },
	};
	struct store_ifc ifc = {
		.priority = 5, .profile_part_indicator = 1, .condition_type_cnf = true,
		.spts = spts, .n_spts = 3, .as_server_name = "sip:as.open-ims.test:5070",
		.default_handling = 1, .service_info = "x&y", .include_register_request = true,
	};
	uint32_t shared[] = { 42 };
	struct store_service_profile sp = { .id = 3, .ifcs = &ifc, .n_ifcs = 1,
					    .shared_ifc_sets = shared, .n_shared_ifc_sets = 1 };
	struct store_service_profile *profiles[] = { &sp };
	struct store_impu set[1];
	char *xml = NULL;
	size_t len = 0;
	const char *f = "/IMSSubscription/ServiceProfile/InitialFilterCriteria";
	char xp[256];

	(void)state;
	impu_init(&set[0], "sip:alice@open-ims.test", 3, 0);
	assert_int_equal(cx_user_data_write("alice@open-ims.test", set, 1, profiles, 1, &xml,
					    &len), 0);
#define X(path, want) do { snprintf(xp, sizeof xp, "%s%s", f, path); \
		expect_xpath(xml, len, xp, want); } while (0)
	X("/Priority", "5");
	X("/TriggerPoint/ConditionTypeCNF", "1");
	X("/TriggerPoint/SPT[1]/Method", "INVITE");
	X("/TriggerPoint/SPT[1]/ConditionNegated", "0");
	X("/TriggerPoint/SPT[2]/ConditionNegated", "1");
	X("/TriggerPoint/SPT[2]/SIPHeader/Header", "Subject");
	X("/TriggerPoint/SPT[2]/SIPHeader/Content", "a<b");
	X("/TriggerPoint/SPT[2]/Extension/RegistrationType", "0|2");
	X("/TriggerPoint/SPT[3]/Group", "1");
	X("/TriggerPoint/SPT[3]/SessionCase", "1");
	X("/ApplicationServer/ServerName", "sip:as.open-ims.test:5070");
	X("/ApplicationServer/DefaultHandling", "1");
	X("/ApplicationServer/ServiceInfo", "x&y");
	X("/ApplicationServer/Extension/IncludeRegisterRequest", "");
	X("/ProfilePartIndicator", "1");
#undef X
	expect_xpath(xml, len, "/IMSSubscription/ServiceProfile/Extension/SharedIFCSetID", "42");
	assert_null(strstr(xml, "IncludeRegisterResponse"));
	free(xml);
}

static void test_user_data_marks_barring_and_wildcard_psi(void **state)
{
	struct store_impu set[2];
	char *xml = NULL;
	size_t len = 0;

	(void)state;
	impu_init(&set[0], "sip:bob@open-ims.test", 0, 0);
	set[0].barred = true;
	impu_init(&set[1], "sip:chat-!.*!@open-ims.test", 0, 1);
	set[1].type = STORE_IMPU_WILDCARD_PSI;
	snprintf(set[1].wildcard_regex, sizeof set[1].wildcard_regex, "sip:chat-.*<x>@open-ims.test");
	assert_int_equal(cx_user_data_write("bob@open-ims.test", set, 2, NULL, 0, &xml, &len), 0);
	expect_xpath(xml, len, "//PublicIdentity[1]/BarringIndication", "1");
	expect_xpath(xml, len, "//PublicIdentity[2]/BarringIndication", "");
	expect_xpath(xml, len, "//PublicIdentity[2]/Extension/IdentityType", "2");
	expect_xpath(xml, len, "//PublicIdentity[2]/Extension/WildcardedPSI",
		     "sip:chat-.*<x>@open-ims.test");
	free(xml);
}

static void test_user_data_rejects_unknown_trigger_type(void **state)
{
	struct store_spt spt = { .type = (enum store_spt_type)9, .session_case = -1 };
	struct store_ifc ifc = { .priority = 1, .profile_part_indicator = -1, .spts = &spt,
				 .n_spts = 1, .as_server_name = "sip:as@x" };
	struct store_service_profile sp = { .id = 1, .ifcs = &ifc, .n_ifcs = 1 };
	struct store_service_profile *profiles[] = { &sp };
	struct store_impu set[1];
	char *xml = (char *)"untouched";
	size_t len = 1;

	(void)state;
	impu_init(&set[0], "sip:c@open-ims.test", 1, 0);
	assert_int_equal(cx_user_data_write("c@open-ims.test", set, 1, profiles, 1, &xml, &len),
			 -EINVAL);
	assert_null(xml);
	assert_int_equal(len, 0);
}

static void test_scscf_host_from_uri_and_mapping(void **state)
{
	struct hss_scscf_host map[] = { { "sip:scscf1.open-ims.test:6060", "s1.diameter.test",
					  "other.test" } };
	struct hss_config cfg = { .diameter = { .realm = "open-ims.test" } };
	const char *realm = NULL;
	char host[64];

	(void)state;
	assert_int_equal(cx_admin_scscf_host(&cfg, "sip:scscf.open-ims.test:6060;transport=tcp",
					     host, sizeof host, &realm), 0);
	assert_string_equal(host, "scscf.open-ims.test");
	assert_string_equal(realm, "open-ims.test");
	assert_int_equal(cx_admin_scscf_host(&cfg, "sips:user@[2001:db8::1]:5061", host,
					     sizeof host, &realm), 0);
	assert_string_equal(host, "2001:db8::1");
	cfg.cx.scscf_hosts = (struct cfg_list){ map, 1 };
	assert_int_equal(cx_admin_scscf_host(&cfg, "sip:scscf1.open-ims.test:6060", host,
					     sizeof host, &realm), 0);
	assert_string_equal(host, "s1.diameter.test");
	assert_string_equal(realm, "other.test");
	/* Not SIP, no host, or a host that does not fit: refused. */
	assert_int_equal(cx_admin_scscf_host(&cfg, "tel:+4930100001", host, sizeof host, &realm),
			 -EINVAL);
	assert_int_equal(cx_admin_scscf_host(&cfg, "sip:", host, sizeof host, &realm), -EINVAL);
	assert_int_equal(cx_admin_scscf_host(&cfg, "sip:[::1", host, sizeof host, &realm), -EINVAL);
	assert_int_equal(cx_admin_scscf_host(&cfg, "sip:a-very-long-host-name.example", host, 8,
					     &realm), -EINVAL);
}

/* Per-request Cx log lines: successes at info (below the shipped notice
 * level), every other outcome at notice. */
static void test_cx_log_level_info_for_success_notice_otherwise(void **state)
{
	(void)state;
	assert_int_equal(cx_log_level(CX_BASE(DIA_SUCCESS)), IMS_LOG_INFO);
	assert_int_equal(cx_log_level(CX_EXP(DIA_EXP_FIRST_REGISTRATION)), IMS_LOG_INFO);
	assert_int_equal(cx_log_level(CX_EXP(DIA_EXP_SUBSEQUENT_REGISTRATION)), IMS_LOG_INFO);
	assert_int_equal(cx_log_level(CX_EXP(DIA_EXP_ERROR_USER_UNKNOWN)), IMS_LOG_NOTICE);
	assert_int_equal(cx_log_level(CX_BASE(DIA_UNABLE_TO_COMPLY)), IMS_LOG_NOTICE);
	assert_int_equal(cx_log_level(CX_BASE(DIA_MISSING_AVP)), IMS_LOG_NOTICE);
	assert_int_equal(cx_log_level(CX_BASE(3001)), IMS_LOG_NOTICE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_data_escapes_markup_in_identities),
		cmocka_unit_test(test_user_data_keeps_set_order_and_groups_by_profile),
		cmocka_unit_test(test_user_data_writes_ifc_fields),
		cmocka_unit_test(test_user_data_marks_barring_and_wildcard_psi),
		cmocka_unit_test(test_user_data_rejects_unknown_trigger_type),
		cmocka_unit_test(test_scscf_host_from_uri_and_mapping),
		cmocka_unit_test(test_cx_log_level_info_for_success_notice_otherwise),
	};
	int rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
