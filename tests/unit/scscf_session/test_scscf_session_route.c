/* Routing decisions of S-CSCF session control (sess_route.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/url.h>

#include "ims/sip.h"
#include "session/sess_internal.h"
#include "session/sess_route.h"

static struct sess_self self_of_us(void)
{
	struct sess_self self = { .n = 0 };

	assert_int_equal(sess_self_add(&self, "127.0.0.1:6060"), 0);
	assert_int_equal(sess_self_add(&self, "sip:scscf.open-ims.test:6060;transport=udp"), 0);
	return self;
}

/* A MESSAGE with the given extra header lines. */
static msg_t *request(const char *ruri, const char *extra)
{
	char buf[2048];
	msg_t *msg = NULL;
	int n = snprintf(buf, sizeof buf,
			 "MESSAGE %s SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n"
			 "Max-Forwards: 70\r\n"
			 "From: <sip:alice@open-ims.test>;tag=1\r\n"
			 "%s"
			 "Call-ID: c1\r\n"
			 "CSeq: 1 MESSAGE\r\n"
			 "Content-Length: 0\r\n\r\n",
			 ruri, extra);

	assert_true(n > 0 && (size_t)n < sizeof buf);
	assert_int_equal(sip_msg_parse(buf, (size_t)n, &msg), 0);
	return msg;
}

static enum sess_kind classify(const char *extra, char *token, size_t cap)
{
	struct sess_self self = self_of_us();
	msg_t *msg = request("sip:bob@open-ims.test", extra);
	enum sess_kind k = sess_classify(&self, sip_object(msg), token, cap);

	msg_destroy(msg);
	return k;
}

static void test_classify_orig_by_service_route_user(void **state)
{
	char token[32];

	(void)state;
	assert_int_equal(classify("To: <sip:bob@open-ims.test>\r\n"
				  "Route: <sip:orig@127.0.0.1:6060;lr>\r\n", token, sizeof token),
			 SESS_ORIGINATING);
	/* The I-CSCF's form: Server-Name with ;orig. */
	assert_int_equal(classify("To: <sip:bob@open-ims.test>\r\n"
				  "Route: <sip:scscf.open-ims.test:6060;lr;orig>\r\n", token,
				  sizeof token),
			 SESS_ORIGINATING);
}

static void test_classify_orig_route_to_other_node_is_not_ours(void **state)
{
	char token[32];

	(void)state;
	assert_int_equal(classify("To: <sip:bob@open-ims.test>\r\n"
				  "Route: <sip:orig@127.0.0.1:6061;lr>\r\n", token, sizeof token),
			 SESS_TERMINATING);
	assert_int_equal(classify("To: <sip:bob@open-ims.test>\r\n", token, sizeof token),
			 SESS_TERMINATING);
}

static void test_classify_odi_copies_token(void **state)
{
	char token[32];

	(void)state;
	assert_int_equal(classify("To: <sip:bob@open-ims.test>\r\n"
				  "Route: <sip:odi-0000000100000000deadbeef@127.0.0.1:6060;lr>\r\n",
				  token, sizeof token),
			 SESS_FROM_AS);
	assert_string_equal(token, "0000000100000000deadbeef");
	/* Too long for the buffer: still from an AS, but no token. */
	assert_int_equal(classify("To: <sip:bob@open-ims.test>\r\n"
				  "Route: <sip:odi-0000000100000000deadbeefff@127.0.0.1:6060;lr>\r\n",
				  token, 25),
			 SESS_FROM_AS);
	assert_string_equal(token, "");
}

static void test_classify_to_tag_is_in_dialog(void **state)
{
	char token[32];

	(void)state;
	assert_int_equal(classify("To: <sip:bob@open-ims.test>;tag=9\r\n"
				  "Route: <sip:orig@127.0.0.1:6060;lr>\r\n", token, sizeof token),
			 SESS_IN_DIALOG);
}

static void test_url_is_us_default_port(void **state)
{
	struct sess_self self = { .n = 0 };
	url_t *u;
	su_home_t home[1] = { SU_HOME_INIT(home) };

	(void)state;
	assert_int_equal(sess_self_add(&self, "scscf.open-ims.test"), 0);
	u = url_hdup(home, (url_t *)"sip:orig@SCSCF.open-ims.test;lr");
	assert_true(sess_url_is_us(&self, u));
	u = url_hdup(home, (url_t *)"sip:orig@scscf.open-ims.test:5070;lr");
	assert_false(sess_url_is_us(&self, u));
	u = url_hdup(home, (url_t *)"tel:+4930");
	assert_false(sess_url_is_us(&self, u));
	assert_int_equal(sess_self_add(&self, "sip:"), -EINVAL);
	su_home_deinit(home);
}

static int number_of(const char *uri, char *out, size_t cap)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	url_t *u = url_hdup(home, (url_t *)uri);
	int rc = sess_number_of_url(u, out, cap);

	su_home_deinit(home);
	return rc;
}

static void test_number_of_tel_and_user_phone(void **state)
{
	char n[32];

	(void)state;
	assert_int_equal(number_of("tel:+49-30-100.002", n, sizeof n), 0);
	assert_string_equal(n, "+4930100002");
	assert_int_equal(number_of("sip:+4930100002@open-ims.test;user=phone", n, sizeof n), 0);
	assert_string_equal(n, "+4930100002");
	/* Not global numbers, or not a number at all. */
	assert_int_equal(number_of("tel:100002;phone-context=open-ims.test", n, sizeof n), -ENOENT);
	assert_int_equal(number_of("sip:+4930100002@open-ims.test", n, sizeof n), -ENOENT);
	assert_int_equal(number_of("tel:+49x30", n, sizeof n), -ENOENT);
	assert_int_equal(number_of("tel:+4930100002", n, 5), -ENOSPC);
}

static void test_number_lookup_ignores_separators(void **state)
{
	char *uris1[] = { "sip:bob@open-ims.test", "sip:bob2@open-ims.test" };
	struct scscf_number v[] = {
		{ .number = "+49 30 100001", .uris = { NULL, 0 } },
		{ .number = "+49-30-100002", .uris = { uris1, 2 } },
	};
	struct cfg_list l = { v, 2 };

	(void)state;
	v[0].number = "+49(30)100001";
	assert_string_equal(sess_number_lookup(&l, "+4930100002"), "sip:bob@open-ims.test");
	assert_null(sess_number_lookup(&l, "+4930100003"));
	assert_null(sess_number_lookup(&l, "+4930100001")); /* no URI configured */
}

static void test_domain_is_ours(void **state)
{
	char *d[] = { "open-ims.test", "ims.example" };
	struct cfg_strv domains = { d, 2 }, none = { NULL, 0 };

	(void)state;
	assert_true(sess_domain_is_ours(&domains, "x", "IMS.example"));
	assert_false(sess_domain_is_ours(&domains, "x", "x"));
	assert_true(sess_domain_is_ours(&none, "open-ims.test", "open-ims.test"));
	assert_false(sess_domain_is_ours(&none, "open-ims.test", "elsewhere.test"));
	assert_false(sess_domain_is_ours(&none, "open-ims.test", NULL));
}

/* The contact's Path goes above the remaining Route set, in its order;
 * the Request-URI becomes the contact. */
static void test_path_prepended_in_order(void **state)
{
	msg_t *msg = request("sip:bob@open-ims.test", "To: <sip:bob@open-ims.test>\r\n"
						       "Route: <sip:c.test;lr>\r\n");
	sip_t *sip = sip_object(msg);
	const sip_route_t *r;

	(void)state;
	assert_int_equal(sess_prepend_route(msg, "<sip:term@a.test;lr>, <sip:b.test;lr>"), 0);
	assert_int_equal(sess_set_request_uri(msg, "sip:bob@127.0.0.1:5080"), 0);
	r = sip->sip_route;
	assert_non_null(r);
	assert_string_equal(r->r_url->url_host, "a.test");
	assert_non_null(r = r->r_next);
	assert_string_equal(r->r_url->url_host, "b.test");
	assert_non_null(r = r->r_next);
	assert_string_equal(r->r_url->url_host, "c.test");
	assert_null(r->r_next);
	assert_string_equal(sip->sip_request->rq_url->url_port, "5080");
	assert_int_equal(sip->sip_request->rq_method, sip_method_message);
	/* Not a Route value: refused, nothing added. */
	assert_int_equal(sess_prepend_route(msg, "<<<"), -EBADMSG);
	msg_destroy(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_orig_by_service_route_user),
		cmocka_unit_test(test_classify_orig_route_to_other_node_is_not_ours),
		cmocka_unit_test(test_classify_odi_copies_token),
		cmocka_unit_test(test_classify_to_tag_is_in_dialog),
		cmocka_unit_test(test_url_is_us_default_port),
		cmocka_unit_test(test_number_of_tel_and_user_phone),
		cmocka_unit_test(test_number_lookup_ignores_separators),
		cmocka_unit_test(test_domain_is_ours),
		cmocka_unit_test(test_path_prepended_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
