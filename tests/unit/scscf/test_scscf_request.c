/*
 * Reading a REGISTER: IMPU canonical form, IMPI from the credentials or
 * derived, Path joined, contact expiry rules (RFC 3261 10.2.1.1, 10.3),
 * Contact "*", integrity-protected, and the refusals (404, 423, 400, 403).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sofia-sip/su.h>

#include "registrar/reg_request.h"

static const struct reg_policy policy = {
	.realm = "open-ims.test", .default_expires = 3600, .min_expires = 60,
	.max_expires = 7200,
};

static msg_t *parse(const char *extra)
{
	char buf[4096];
	msg_t *msg = NULL;
	int n = snprintf(buf, sizeof buf,
			 "REGISTER sip:open-ims.test SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK-1\r\n"
			 "Max-Forwards: 70\r\n"
			 "From: <sip:alice@open-ims.test>;tag=1\r\n"
			 "To: <sip:alice@open-ims.test;user=phone>\r\n"
			 "Call-ID: c1@ue\r\n"
			 "CSeq: 7 REGISTER\r\n"
			 "%s"
			 "Content-Length: 0\r\n\r\n",
			 extra);

	assert_int_equal(sip_msg_parse(buf, (size_t)n, &msg), 0);
	return msg;
}

static int read_req(const char *extra, struct reg_req *q, const char **phrase)
{
	msg_t *msg = parse(extra);
	int st = reg_request_parse(&policy, msg, sip_object(msg), q, phrase);

	msg_destroy(msg);
	return st;
}

static void test_request_reads_identities_contacts_and_path(void **state)
{
	msg_t *msg = parse("Path: <sip:term@pcscf.open-ims.test:4060;lr>\r\n"
			   "Supported: path\r\n"
			   "Authorization: Digest username=\"alice@open-ims.test\", "
			   "realm=\"open-ims.test\", nonce=\"\", uri=\"sip:open-ims.test\", "
			   "response=\"\", integrity-protected=\"yes\"\r\n"
			   "Expires: 600\r\n"
			   "Contact: <sip:alice@10.0.0.1:5060>;expires=30000, <sip:alice@10.0.0.2>\r\n");
	struct reg_req q;
	const char *phrase;

	(void)state;
	assert_int_equal(reg_request_parse(&policy, msg, sip_object(msg), &q, &phrase), 0);
	assert_string_equal(q.impu, "sip:alice@open-ims.test");
	assert_string_equal(q.impi, "alice@open-ims.test");
	assert_true(q.has_cr);
	assert_false(q.has_response); /* empty nonce and response */
	assert_true(q.integrity_protected);
	assert_int_equal(q.n_b, 2);
	assert_string_equal(q.b[0].uri, "sip:alice@10.0.0.1:5060");
	assert_int_equal(q.b[0].expires, 7200); /* lowered to max */
	assert_int_equal(q.b[1].expires, 600);  /* from Expires */
	assert_string_equal(q.b[1].call_id, "c1@ue");
	assert_int_equal(q.b[1].cseq, 7);
	assert_non_null(q.path);
	assert_non_null(strstr(q.path, "sip:term@pcscf.open-ims.test:4060;lr"));
	assert_false(q.query);
	assert_false(q.deregister);
	msg_destroy(msg);
}

/* RFC 5626 +sip.instance / reg-id, q (RFC 3261 20.10) and the UE's
 * source address from its Via (received / rport) are kept per binding. */
static void test_request_keeps_instance_regid_q_and_source(void **state)
{
	msg_t *msg = parse("Via: SIP/2.0/UDP 10.0.0.9:5062;received=192.0.2.7;rport=40001;"
			   "branch=z9hG4bK-ue\r\n"
			   "Expires: 600\r\n"
			   "Contact: <sip:alice@10.0.0.9:5062>;q=0.5;reg-id=2;"
			   "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000a95a0e128>\", "
			   "<sip:alice@10.0.0.10>\r\n");
	struct reg_req q;
	const char *phrase;

	(void)state;
	assert_int_equal(reg_request_parse(&policy, msg, sip_object(msg), &q, &phrase), 0);
	assert_int_equal(q.n_b, 2);
	assert_int_equal(q.b[0].q, 500);
	assert_int_equal(q.b[0].reg_id, 2);
	assert_string_equal(q.b[0].instance, "<urn:uuid:00000000-0000-1000-8000-000a95a0e128>");
	assert_string_equal(q.b[0].received, "192.0.2.7:40001");
	assert_int_equal(q.b[1].q, 1000);
	assert_null(q.b[1].instance);
	assert_int_equal(q.b[1].reg_id, 0);
	msg_destroy(msg);
}

static void test_request_derives_impi_and_defaults_expiry(void **state)
{
	struct reg_req q;
	const char *phrase;

	(void)state;
	assert_int_equal(read_req("Contact: <sip:alice@10.0.0.1>\r\n", &q, &phrase), 0);
	assert_string_equal(q.impi, "alice@open-ims.test");
	assert_false(q.has_cr);
	assert_int_equal(q.b[0].expires, 3600);
	/* No Contact: a query. */
	assert_int_equal(read_req("", &q, &phrase), 0);
	assert_true(q.query);
	assert_int_equal(q.n_b, 0);
}

static void test_request_deregistration_forms(void **state)
{
	struct reg_req q;
	const char *phrase;

	(void)state;
	assert_int_equal(read_req("Expires: 0\r\nContact: *\r\n", &q, &phrase), 0);
	assert_true(q.remove_all);
	assert_int_equal(read_req("Contact: <sip:alice@10.0.0.1>;expires=0\r\n", &q, &phrase), 0);
	assert_true(q.deregister);
	assert_int_equal(q.b[0].expires, 0);
	/* "*" needs Expires: 0 and must be alone. */
	assert_int_equal(read_req("Contact: *\r\n", &q, &phrase), 400);
	assert_int_equal(read_req("Expires: 0\r\nContact: *, <sip:a@b>\r\n", &q, &phrase), 400);
}

static void test_request_refusals(void **state)
{
	struct reg_req q;
	const char *phrase;
	char many[4096];
	size_t off = 0;

	(void)state;
	assert_int_equal(read_req("Contact: <sip:alice@10.0.0.1>;expires=10\r\n", &q, &phrase), 423);
	assert_int_equal(read_req("Contact: <sip:alice@10.0.0.1>;expires=abc\r\n", &q, &phrase), 400);
	for (int i = 0; i < REG_MAX_BINDINGS + 1; i++)
		off += (size_t)snprintf(many + off, sizeof many - off,
					"Contact: <sip:a%d@10.0.0.1>\r\n", i);
	assert_int_equal(read_req(many, &q, &phrase), 403);
	{
		char buf[512];
		msg_t *msg = NULL;
		int n = snprintf(buf, sizeof buf,
				 "REGISTER sip:other.test SIP/2.0\r\n"
				 "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK-2\r\n"
				 "From: <sip:bob@other.test>;tag=1\r\nTo: <sip:bob@other.test>\r\n"
				 "Call-ID: c2\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n");

		assert_int_equal(sip_msg_parse(buf, (size_t)n, &msg), 0);
		assert_int_equal(reg_request_parse(&policy, msg, sip_object(msg), &q, &phrase), 404);
		msg_destroy(msg);
	}
}

static void test_uri_canon_drops_parameters_and_keeps_tel(void **state)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	url_t *u = url_hdup(home, (url_t *)url_make(home, "sip:alice@open-ims.test:5060;user=phone"));
	char out[64];

	(void)state;
	assert_non_null(u);
	assert_int_equal(reg_uri_canon(u, out, sizeof out), 0);
	assert_string_equal(out, "sip:alice@open-ims.test:5060");
	u = url_make(home, "tel:+4930100001");
	assert_non_null(u);
	assert_int_equal(reg_uri_canon(u, out, sizeof out), 0);
	assert_string_equal(out, "tel:+4930100001");
	assert_int_equal(reg_uri_canon(u, out, 8), -ENOSPC);
	u = url_make(home, "http://example.com/");
	assert_int_equal(reg_uri_canon(u, out, sizeof out), -EINVAL);
	su_home_deinit(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_reads_identities_contacts_and_path),
		cmocka_unit_test(test_request_keeps_instance_regid_q_and_source),
		cmocka_unit_test(test_request_derives_impi_and_defaults_expiry),
		cmocka_unit_test(test_request_deregistration_forms),
		cmocka_unit_test(test_request_refusals),
		cmocka_unit_test(test_uri_canon_drops_parameters_and_keeps_tel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
