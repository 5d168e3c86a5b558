/*
 * ifc_sip: a request parsed by sofia-sip, seen through struct ifc_request
 * (method, Request-URI, every header instance with compact and unknown
 * names, SDP body), then evaluated against a profile.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/su.h>

#include "ims/sip.h"
#include "ifc_sip.h"

static const char sdp[] =
	"v=0\r\n"
	"o=- 1 1 IN IP4 10.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 10.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 49170 RTP/AVP 0\r\n"
	"m=video 51372 RTP/AVP 96\r\n";

static msg_t *parse_invite(const char *extra)
{
	char buf[4096];
	msg_t *msg = NULL;
	int n = snprintf(buf, sizeof buf,
			 "INVITE sip:bob@open-ims.test;user=phone SIP/2.0\r\n"
			 "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1\r\n"
			 "Max-Forwards: 70\r\n"
			 "f: <sip:alice@open-ims.test>;tag=1\r\n"
			 "t: <sip:bob@open-ims.test>\r\n"
			 "i: call-1@ue\r\n"
			 "CSeq: 1 INVITE\r\n"
			 "m: <sip:alice@10.0.0.1:5060>\r\n"
			 "Accept-Contact: *;+g.oma.sip-im\r\n"
			 "Accept-Contact: *;+g.3gpp.icsi-ref=\"urn%%3Aurn-7%%3A3gpp-service.ims.icsi.mmtel\"\r\n"
			 "%s"
			 "c: application/sdp\r\n"
			 "l: %zu\r\n\r\n%s",
			 extra, sizeof sdp - 1, sdp);

	assert_true(n > 0 && (size_t)n < sizeof buf);
	assert_int_equal(sip_msg_parse(buf, (size_t)n, &msg), 0);
	return msg;
}

static const struct ifc_header *find(const struct ifc_request *r, const char *name, size_t nth)
{
	for (size_t i = 0; i < r->n_headers; i++) {
		if (strcasecmp(r->headers[i].name, name) == 0 && nth-- == 0)
			return &r->headers[i];
	}
	return NULL;
}

static void test_sip_view_of_invite(void **state)
{
	msg_t *msg = parse_invite("X-Custom: hello world\r\n");
	struct ifc_sip_request r;
	const struct ifc_header *h;

	(void)state;
	assert_int_equal(ifc_sip_request_init(&r, sip_object(msg), IFC_REG_NONE), 0);
	assert_string_equal(r.req.method, "INVITE");
	assert_string_equal(r.req.request_uri, "sip:bob@open-ims.test;user=phone");
	assert_string_equal(r.req.content_type, "application/sdp");
	assert_int_equal(r.req.body_len, sizeof sdp - 1);
	assert_memory_equal(r.req.body, sdp, sizeof sdp - 1);
	assert_non_null(h = find(&r.req, "From", 0));
	assert_non_null(strstr(h->value, "sip:alice@open-ims.test"));
	assert_null(strstr(h->value, "From"));
	assert_non_null(h = find(&r.req, "Accept-Contact", 1));
	assert_non_null(strstr(h->value, "3gpp.icsi-ref"));
	assert_non_null(h = find(&r.req, "X-Custom", 0));
	assert_string_equal(h->value, "hello world");
	assert_null(find(&r.req, "P-Asserted-Identity", 0));
	ifc_sip_request_release(&r);
	msg_destroy(msg);
}

static void test_sip_request_matches_profile(void **state)
{
	static const char xml[] =
		"<InitialFilterCriteria><Priority>0</Priority><TriggerPoint>"
		"<ConditionTypeCNF>1</ConditionTypeCNF>"
		"<SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><Method>INVITE</Method></SPT>"
		"<SPT><ConditionNegated>0</ConditionNegated><Group>1</Group>"
		"<SIPHeader><Header>Accept-Contact</Header><Content>mmtel</Content></SIPHeader></SPT>"
		"<SPT><ConditionNegated>0</ConditionNegated><Group>2</Group>"
		"<SessionDescription><Line>m</Line><Content>^video</Content></SessionDescription></SPT>"
		"<SPT><ConditionNegated>0</ConditionNegated><Group>3</Group>"
		"<SIPHeader><Header>x-custom</Header></SIPHeader></SPT>"
		"<SPT><ConditionNegated>0</ConditionNegated><Group>4</Group>"
		"<RequestURI>^sip:bob@open-ims\\.test</RequestURI></SPT>"
		"</TriggerPoint><ApplicationServer><ServerName>sip:tas.test</ServerName>"
		"</ApplicationServer></InitialFilterCriteria>";
	struct ifc_profile *p = NULL;
	msg_t *with = parse_invite("X-Custom: 1\r\n"), *without = parse_invite("");
	struct ifc_sip_request r;

	(void)state;
	assert_int_equal(ifc_profile_parse(xml, sizeof xml - 1, 0, &p), 0);
	assert_int_equal(ifc_sip_request_init(&r, sip_object(with), IFC_REG_NONE), 0);
	assert_int_equal(ifc_trigger_matches(p, 0, &r.req, IFC_SC_ORIGINATING), 1);
	ifc_sip_request_release(&r);
	assert_int_equal(ifc_sip_request_init(&r, sip_object(without), IFC_REG_NONE), 0);
	assert_int_equal(ifc_trigger_matches(p, 0, &r.req, IFC_SC_ORIGINATING), 0);
	ifc_sip_request_release(&r);
	ifc_profile_free(p);
	msg_destroy(with);
	msg_destroy(without);
}

/* Headers added or removed after parsing (the S-CSCF edits Route before it
 * evaluates the next iFC) are seen as they are now. */
static void test_sip_view_after_edits(void **state)
{
	msg_t *msg = parse_invite("X-Custom: gone\r\n");
	sip_t *sip = sip_object(msg);
	struct ifc_sip_request r;
	const struct ifc_header *h;

	(void)state;
	assert_int_equal(sip_add_make(msg, sip, sip_route_class, "<sip:as.test;lr>"), 0);
	assert_int_equal(sip_add_make(msg, sip, sip_unknown_class, "P-Served-User: <sip:alice@x>"), 0);
	assert_int_equal(msg_header_remove(msg, (msg_pub_t *)sip, (msg_header_t *)sip->sip_unknown), 0);
	assert_int_equal(ifc_sip_request_init(&r, sip, IFC_REG_NONE), 0);
	assert_non_null(h = find(&r.req, "Route", 0));
	assert_string_equal(h->value, "<sip:as.test;lr>");
	assert_non_null(h = find(&r.req, "P-Served-User", 0));
	assert_string_equal(h->value, "<sip:alice@x>");
	assert_null(find(&r.req, "X-Custom", 0));
	ifc_sip_request_release(&r);
	msg_destroy(msg);
}

static void test_sip_refuses_response(void **state)
{
	static const char resp[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1\r\n"
		"From: <sip:alice@open-ims.test>;tag=1\r\n"
		"To: <sip:bob@open-ims.test>;tag=2\r\n"
		"Call-ID: call-1@ue\r\n"
		"CSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n";
	msg_t *msg = NULL;
	struct ifc_sip_request r;

	(void)state;
	assert_int_equal(sip_msg_parse(resp, sizeof resp - 1, &msg), 0);
	assert_int_equal(ifc_sip_request_init(&r, sip_object(msg), IFC_REG_NONE), -EINVAL);
	assert_int_equal(ifc_sip_request_init(&r, NULL, IFC_REG_NONE), -EINVAL);
	msg_destroy(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sip_view_of_invite),
		cmocka_unit_test(test_sip_request_matches_profile),
		cmocka_unit_test(test_sip_view_after_edits),
		cmocka_unit_test(test_sip_refuses_response),
	};
	int ret;

	su_init();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	su_deinit();
	return ret;
}
