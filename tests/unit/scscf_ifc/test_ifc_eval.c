/*
 * Trigger point evaluation (TS 29.228 B.2.2, Annex F): CNF against DNF over
 * the same SPTs, SPTs in several groups, negation, SIPHeader presence
 * against Content regex and compact names, SDP lines, SessionCase,
 * RegistrationType, ProfilePartIndicator, and the walk in priority order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ifc.h"

#define SPT(neg, group, body) \
	"<SPT><ConditionNegated>" #neg "</ConditionNegated><Group>" #group "</Group>" body "</SPT>"

/* One iFC with the given ConditionTypeCNF and SPTs. */
static struct ifc_profile *one_ifc(int cnf, const char *spts)
{
	char xml[8192];
	struct ifc_profile *p = NULL;
	int n = snprintf(xml, sizeof xml,
			 "<InitialFilterCriteria><Priority>0</Priority><TriggerPoint>"
			 "<ConditionTypeCNF>%d</ConditionTypeCNF>%s</TriggerPoint>"
			 "<ApplicationServer><ServerName>sip:as.test</ServerName></ApplicationServer>"
			 "</InitialFilterCriteria>", cnf, spts);

	assert_true(n > 0 && (size_t)n < sizeof xml);
	assert_int_equal(ifc_profile_parse(xml, (size_t)n, 0, &p), 0);
	return p;
}

static int matches(const struct ifc_profile *p, const struct ifc_request *req,
		   enum ifc_session_case sc)
{
	return ifc_trigger_matches(p, 0, req, sc);
}

/* A = Method INVITE (group 0), B = SessionCase 0 (group 0),
 * C = RequestURI ^tel: (group 1).  CNF: (A|B)&C.  DNF: (A&B)|C. */
static void test_eval_cnf_and_dnf_truth_tables_differ(void **state)
{
	static const char spts[] =
		SPT(0, 0, "<Method>INVITE</Method>")
		SPT(0, 0, "<SessionCase>0</SessionCase>")
		SPT(0, 1, "<RequestURI>^tel:</RequestURI>");
	struct ifc_profile *cnf = one_ifc(1, spts), *dnf = one_ifc(0, spts);
	int differ = 0;

	(void)state;
	for (int bits = 0; bits < 8; bits++) {
		bool a = bits & 1, b = bits & 2, c = bits & 4;
		struct ifc_request req = {
			.method = a ? "INVITE" : "BYE",
			.request_uri = c ? "tel:+4930123" : "sip:bob@x.test",
		};
		enum ifc_session_case sc = b ? IFC_SC_ORIGINATING : IFC_SC_TERMINATING_REGISTERED;

		assert_int_equal(matches(cnf, &req, sc), (a || b) && c);
		assert_int_equal(matches(dnf, &req, sc), (a && b) || c);
		differ += matches(cnf, &req, sc) != matches(dnf, &req, sc);
	}
	assert_int_equal(differ, 2); /* (A,B,!C) and (!A,!B,C) */
	ifc_profile_free(cnf);
	ifc_profile_free(dnf);
}

/* An SPT with two Group elements takes part in both groups. */
static void test_eval_spt_in_two_groups(void **state)
{
	struct ifc_profile *p = one_ifc(1,
		"<SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><Group>1</Group>"
		"<Method>INVITE</Method></SPT>"
		SPT(0, 1, "<Method>MESSAGE</Method>"));
	struct ifc_request inv = { .method = "INVITE" }, msg = { .method = "MESSAGE" };

	(void)state;
	/* CNF: (INVITE) & (INVITE | MESSAGE) */
	assert_int_equal(matches(p, &inv, 0), 1);
	assert_int_equal(matches(p, &msg, 0), 0);
	ifc_profile_free(p);
}

static void test_eval_negated_method(void **state)
{
	struct ifc_profile *p = one_ifc(1, SPT(1, 0, "<Method>INVITE</Method>"));
	struct ifc_request inv = { .method = "INVITE" }, msg = { .method = "MESSAGE" };
	struct ifc_request none = { 0 };

	(void)state;
	assert_int_equal(matches(p, &inv, 0), 0);
	assert_int_equal(matches(p, &msg, 0), 1);
	assert_int_equal(matches(p, &none, 0), 1);
	ifc_profile_free(p);
}

static void test_eval_method_is_case_sensitive(void **state)
{
	struct ifc_profile *p = one_ifc(1, SPT(0, 0, "<Method>INVITE</Method>"));
	struct ifc_request lower = { .method = "invite" };

	(void)state;
	assert_int_equal(matches(p, &lower, 0), 0);
	ifc_profile_free(p);
}

static void test_eval_header_presence_vs_content(void **state)
{
	struct ifc_profile *presence = one_ifc(1,
		SPT(0, 0, "<SIPHeader><Header>P-Asserted-Identity</Header></SIPHeader>"));
	struct ifc_profile *absent = one_ifc(1,
		SPT(1, 0, "<SIPHeader><Header>P-Asserted-Identity</Header></SIPHeader>"));
	struct ifc_profile *content = one_ifc(1,
		SPT(0, 0, "<SIPHeader><Header>Accept-Contact</Header>"
			  "<Content>\\+g\\.3gpp\\.icsi-ref</Content></SIPHeader>"));
	struct ifc_header hs[] = {
		{ "p-asserted-identity", "<sip:alice@x.test>" },
		{ "Accept-Contact", "*;+g.oma.sip-im" },
		{ "ACCEPT-CONTACT", "*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel\"" },
	};
	struct ifc_request req = { .method = "INVITE", .headers = hs, .n_headers = 3 };

	(void)state;
	assert_int_equal(matches(presence, &req, 0), 1);
	assert_int_equal(matches(absent, &req, 0), 0);
	/* the second instance matches: every instance is tried */
	assert_int_equal(matches(content, &req, 0), 1);
	req.n_headers = 2;
	assert_int_equal(matches(content, &req, 0), 0);
	req.n_headers = 0;
	assert_int_equal(matches(presence, &req, 0), 0);
	assert_int_equal(matches(absent, &req, 0), 1);
	ifc_profile_free(presence);
	ifc_profile_free(absent);
	ifc_profile_free(content);
}

/* Compact forms either way round (RFC 3261 7.3.3). */
static void test_eval_header_compact_forms(void **state)
{
	struct ifc_profile *event = one_ifc(1,
		SPT(0, 0, "<SIPHeader><Header>Event</Header><Content>^presence$</Content></SIPHeader>"));
	struct ifc_profile *from = one_ifc(1,
		SPT(0, 0, "<SIPHeader><Header>f</Header><Content>alice</Content></SIPHeader>"));
	struct ifc_header o = { "o", "presence" }, f = { "From", "<sip:alice@x>;tag=1" };
	struct ifc_header wrong = { "o", "reg" };
	struct ifc_request req = { .method = "SUBSCRIBE", .headers = &o, .n_headers = 1 };

	(void)state;
	assert_int_equal(matches(event, &req, 0), 1);
	req.headers = &wrong;
	assert_int_equal(matches(event, &req, 0), 0);
	req.headers = &f;
	assert_int_equal(matches(from, &req, 0), 1);
	assert_int_equal(matches(event, &req, 0), 0);
	ifc_profile_free(event);
	ifc_profile_free(from);
}

static void test_eval_sdp_audio_vs_video(void **state)
{
	static const char audio[] =
		"v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
		"m=audio 49170 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n";
	static const char video[] =
		"v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nt=0 0\nm=video 51372 RTP/AVP 96\nb=AS:512\n";
	struct ifc_profile *p = one_ifc(1,
		SPT(0, 0, "<SessionDescription><Line>m</Line><Content>^video</Content></SessionDescription>"));
	struct ifc_profile *bw = one_ifc(1,
		SPT(0, 0, "<SessionDescription><Line>b</Line></SessionDescription>"));
	struct ifc_request req = { .method = "INVITE", .content_type = "application/sdp",
				   .body = audio, .body_len = sizeof audio - 1 };

	(void)state;
	assert_int_equal(matches(p, &req, 0), 0);
	assert_int_equal(matches(bw, &req, 0), 0);
	req.body = video;
	req.body_len = sizeof video - 1;
	assert_int_equal(matches(p, &req, 0), 1);
	assert_int_equal(matches(bw, &req, 0), 1);
	req.content_type = "Application/SDP; charset=utf-8";
	assert_int_equal(matches(p, &req, 0), 1);
	/* not SDP: the lines are not looked at */
	req.content_type = "text/plain";
	assert_int_equal(matches(p, &req, 0), 0);
	req.content_type = "application/sdpx";
	assert_int_equal(matches(p, &req, 0), 0);
	req.content_type = NULL;
	assert_int_equal(matches(p, &req, 0), 0);
	ifc_profile_free(p);
	ifc_profile_free(bw);
}

/* SIP-I style multipart/mixed: the SDP part is found, the ISUP part with
 * an "m=video"-looking line is not taken for SDP. */
static void test_eval_sdp_in_multipart_body(void **state)
{
	static const char body[] =
		"--unique-boundary-1\r\n"
		"Content-Type: application/ISUP;version=itu-t92+\r\n"
		"Content-Disposition: signal;handling=optional\r\n"
		"\r\n"
		"m=video fake\r\n"
		"--unique-boundary-1\r\n"
		"Content-Type: application/sdp\r\n"
		"\r\n"
		"v=0\r\nm=audio 4000 RTP/AVP 0\r\n"
		"\r\n--unique-boundary-1--\r\n";
	struct ifc_profile *video = one_ifc(1,
		SPT(0, 0, "<SessionDescription><Line>m</Line><Content>^video</Content></SessionDescription>"));
	struct ifc_profile *audio = one_ifc(1,
		SPT(0, 0, "<SessionDescription><Line>m</Line><Content>^audio 4000</Content></SessionDescription>"));
	struct ifc_request req = { .method = "INVITE", .body = body, .body_len = sizeof body - 1,
				   .content_type = "multipart/mixed;boundary=unique-boundary-1" };

	(void)state;
	assert_int_equal(matches(audio, &req, 0), 1);
	assert_int_equal(matches(video, &req, 0), 0);
	req.content_type = "multipart/mixed; boundary=\"unique-boundary-1\"";
	assert_int_equal(matches(audio, &req, 0), 1);
	/* wrong or missing boundary: no SDP found, no match, no crash */
	req.content_type = "multipart/mixed;boundary=other";
	assert_int_equal(matches(audio, &req, 0), 0);
	req.content_type = "multipart/mixed";
	assert_int_equal(matches(audio, &req, 0), 0);
	/* every truncation of the body is handled */
	req.content_type = "multipart/mixed;boundary=unique-boundary-1";
	for (size_t n = 0; n < sizeof body - 1; n++) {
		req.body_len = n;
		assert_true(matches(audio, &req, 0) >= 0);
	}
	ifc_profile_free(video);
	ifc_profile_free(audio);
}

static void test_eval_session_case_values(void **state)
{
	(void)state;
	for (int want = 0; want <= 4; want++) {
		char spt[256];
		struct ifc_profile *p;
		struct ifc_request req = { .method = "INVITE" };

		snprintf(spt, sizeof spt, SPT(0, 0, "<SessionCase>%d</SessionCase>"), want);
		p = one_ifc(1, spt);
		for (int sc = 0; sc <= 4; sc++)
			assert_int_equal(matches(p, &req, (enum ifc_session_case)sc), sc == want);
		ifc_profile_free(p);
	}
}

/* Annex F: RegistrationType narrows a REGISTER Method SPT only. */
static void test_eval_registration_type(void **state)
{
	struct ifc_profile *p = one_ifc(1,
		SPT(0, 0, "<Method>REGISTER</Method><Extension><RegistrationType>0</RegistrationType>"
			  "<RegistrationType>2</RegistrationType></Extension>"));
	struct ifc_profile *any = one_ifc(1, SPT(0, 0, "<Method>REGISTER</Method>"));
	struct ifc_profile *inv = one_ifc(1,
		SPT(0, 0, "<Method>INVITE</Method><Extension><RegistrationType>1</RegistrationType></Extension>"));
	struct ifc_request req = { .method = "REGISTER" };

	(void)state;
	req.reg_type = IFC_REG_INITIAL;
	assert_int_equal(matches(p, &req, 0), 1);
	req.reg_type = IFC_REG_RE;
	assert_int_equal(matches(p, &req, 0), 0);
	assert_int_equal(matches(any, &req, 0), 1);
	req.reg_type = IFC_REG_DE;
	assert_int_equal(matches(p, &req, 0), 1);
	req.method = "INVITE";
	req.reg_type = IFC_REG_NONE;
	assert_int_equal(matches(inv, &req, 0), 1);
	ifc_profile_free(p);
	ifc_profile_free(any);
	ifc_profile_free(inv);
}

static const char walk_xml[] =
	"<ServiceProfile>"
	"<InitialFilterCriteria><Priority>30</Priority><TriggerPoint><ConditionTypeCNF>1</ConditionTypeCNF>"
	SPT(0, 0, "<Method>INVITE</Method>") "</TriggerPoint>"
	"<ApplicationServer><ServerName>sip:p30</ServerName></ApplicationServer></InitialFilterCriteria>"
	"<InitialFilterCriteria><Priority>10</Priority><TriggerPoint><ConditionTypeCNF>1</ConditionTypeCNF>"
	SPT(0, 0, "<Method>INVITE</Method>") "</TriggerPoint>"
	"<ApplicationServer><ServerName>sip:p10</ServerName></ApplicationServer>"
	"<ProfilePartIndicator>0</ProfilePartIndicator></InitialFilterCriteria>"
	"<InitialFilterCriteria><Priority>20</Priority><TriggerPoint><ConditionTypeCNF>1</ConditionTypeCNF>"
	SPT(0, 0, "<Method>MESSAGE</Method>") "</TriggerPoint>"
	"<ApplicationServer><ServerName>sip:p20</ServerName></ApplicationServer></InitialFilterCriteria>"
	"<InitialFilterCriteria><Priority>40</Priority>"
	"<ApplicationServer><ServerName>sip:p40</ServerName></ApplicationServer>"
	"<ProfilePartIndicator>1</ProfilePartIndicator></InitialFilterCriteria>"
	"</ServiceProfile>";

static void test_eval_walk_in_priority_order(void **state)
{
	struct ifc_profile *p = NULL;
	struct ifc_request inv = { .method = "INVITE" };
	struct ifc_context ctx = { IFC_SC_ORIGINATING, IFC_USER_REGISTERED };
	const struct ifc_filter *f;
	int pos;

	(void)state;
	assert_int_equal(ifc_profile_parse(walk_xml, strlen(walk_xml), 0, &p), 0);
	pos = ifc_next(p, &inv, &ctx, IFC_START, &f);
	assert_int_equal(pos, 0);
	assert_string_equal(f->as.server_name, "sip:p10");
	pos = ifc_next(p, &inv, &ctx, pos, &f);
	assert_int_equal(pos, 2);
	assert_string_equal(f->as.server_name, "sip:p30");
	/* p40 is for unregistered users only */
	assert_int_equal(ifc_next(p, &inv, &ctx, pos, &f), -ENOENT);
	assert_null(f);
	assert_int_equal(ifc_next(p, &inv, &ctx, 100, &f), -ENOENT);
	assert_int_equal(ifc_next(p, &inv, &ctx, -2, &f), -EINVAL);
	ifc_profile_free(p);
}

static void test_eval_profile_part_indicator(void **state)
{
	struct ifc_profile *p = NULL;
	struct ifc_request inv = { .method = "INVITE" };
	struct ifc_context ctx = { IFC_SC_TERMINATING_UNREGISTERED, IFC_USER_UNREGISTERED };
	const struct ifc_filter *f;
	int pos;

	(void)state;
	assert_int_equal(ifc_profile_parse(walk_xml, strlen(walk_xml), 0, &p), 0);
	/* p10 is REGISTERED-only: skipped; p30 (any) then p40 (UNREGISTERED) */
	pos = ifc_next(p, &inv, &ctx, IFC_START, &f);
	assert_string_equal(f->as.server_name, "sip:p30");
	pos = ifc_next(p, &inv, &ctx, pos, &f);
	assert_int_equal(pos, 3);
	assert_string_equal(f->as.server_name, "sip:p40");
	assert_int_equal(f->part, IFC_PART_UNREGISTERED);
	ifc_profile_free(p);
}

/* Resuming by priority after the profile was replaced between two AS
 * round trips. */
static void test_eval_resume_after_priority(void **state)
{
	struct ifc_profile *p = NULL;
	struct ifc_request msg = { .method = "MESSAGE" };
	struct ifc_context ctx = { IFC_SC_ORIGINATING, IFC_USER_UNREGISTERED };
	const struct ifc_filter *f;

	(void)state;
	assert_int_equal(ifc_profile_parse(walk_xml, strlen(walk_xml), 0, &p), 0);
	assert_int_equal(ifc_position_after_priority(p, -1), IFC_START);
	assert_int_equal(ifc_position_after_priority(p, 10), 0);
	assert_int_equal(ifc_position_after_priority(p, 15), 0);
	assert_int_equal(ifc_position_after_priority(p, 20), 1);
	assert_int_equal(ifc_next(p, &msg, &ctx, ifc_position_after_priority(p, 15), &f), 1);
	assert_string_equal(f->as.server_name, "sip:p20");
	assert_int_equal(ifc_next(p, &msg, &ctx, ifc_position_after_priority(p, 20), &f), 3);
	ifc_profile_free(p);
}

static void test_eval_request_uri_regex(void **state)
{
	struct ifc_profile *p = one_ifc(0,
		SPT(0, 0, "<RequestURI>^sip:[^@]+@(ims\\.)?example\\.net(;|$)</RequestURI>"));
	struct ifc_request req = { .method = "INVITE", .request_uri = "sip:bob@ims.example.net" };

	(void)state;
	assert_int_equal(matches(p, &req, 0), 1);
	req.request_uri = "sip:bob@example.net;user=phone";
	assert_int_equal(matches(p, &req, 0), 1);
	req.request_uri = "sip:bob@example.network";
	assert_int_equal(matches(p, &req, 0), 0);
	req.request_uri = NULL;
	assert_int_equal(matches(p, &req, 0), 0);
	ifc_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eval_cnf_and_dnf_truth_tables_differ),
		cmocka_unit_test(test_eval_spt_in_two_groups),
		cmocka_unit_test(test_eval_negated_method),
		cmocka_unit_test(test_eval_method_is_case_sensitive),
		cmocka_unit_test(test_eval_header_presence_vs_content),
		cmocka_unit_test(test_eval_header_compact_forms),
		cmocka_unit_test(test_eval_sdp_audio_vs_video),
		cmocka_unit_test(test_eval_sdp_in_multipart_body),
		cmocka_unit_test(test_eval_session_case_values),
		cmocka_unit_test(test_eval_registration_type),
		cmocka_unit_test(test_eval_walk_in_priority_order),
		cmocka_unit_test(test_eval_profile_part_indicator),
		cmocka_unit_test(test_eval_resume_after_priority),
		cmocka_unit_test(test_eval_request_uri_regex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
