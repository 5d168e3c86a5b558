/* The P-CSCF registration store, flow tokens and the ck/ik store. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "flow.h"
#include "keys.h"
#include "registrations.h"

static const char *alice_impus[] = { "sip:alice@open-ims.test", "tel:+15550100" };
static const char *alice_routes[] = { "sip:orig@scscf.open-ims.test:6060;lr;orig" };

static struct reg_info alice_info(uint16_t port)
{
	struct reg_info in = {
		.impi = "alice@open-ims.test",
		.contact = "sip:alice@192.168.1.10:5070;transport=udp",
		.impus = alice_impus, .n_impus = 2,
		.service_route = alice_routes, .n_service_route = 1,
		.expires = 600,
	};

	assert_int_equal(flow_make(&in.flow, FLOW_UDP, "203.0.113.5", port), 0);
	return in;
}

static void test_reg_lookup_by_flow_contact_and_impu(void **state)
{
	struct reg_store *s;
	struct reg_info in = alice_info(40000);
	struct flow other;
	struct reg *r;

	(void)state;
	assert_int_equal(reg_store_create(4, &s), 0);
	assert_int_equal(reg_store_save(s, &in, 100), 0);
	r = reg_store_by_flow(s, &in.flow, 100);
	assert_non_null(r);
	assert_string_equal(r->impus[0], "sip:alice@open-ims.test");
	assert_string_equal(r->service_route[0], alice_routes[0]);
	assert_string_equal(r->impi, "alice@open-ims.test");
	/* contact match ignores parameters, not the port */
	assert_ptr_equal(reg_store_by_contact(s, "sip:alice@192.168.1.10:5070", 100), r);
	assert_null(reg_store_by_contact(s, "sip:alice@192.168.1.10:5071", 100));
	assert_null(reg_store_by_contact(s, "sip:bob@192.168.1.10:5070", 100));
	assert_ptr_equal(reg_store_by_impu(s, "tel:+15550100", 100), r);
	assert_null(reg_store_by_impu(s, "sip:eve@open-ims.test", 100));
	/* same IP, other port or transport: another flow (NAT) */
	assert_int_equal(flow_make(&other, FLOW_UDP, "203.0.113.5", 40001), 0);
	assert_null(reg_store_by_flow(s, &other, 100));
	assert_int_equal(flow_make(&other, FLOW_TCP, "203.0.113.5", 40000), 0);
	assert_null(reg_store_by_flow(s, &other, 100));
	reg_store_destroy(s);
}

static void test_reg_expired_entries_are_hidden_then_dropped(void **state)
{
	struct reg_store *s;
	struct reg_info a = alice_info(40000), b = alice_info(40001);

	(void)state;
	b.expires = 30;
	assert_int_equal(reg_store_create(4, &s), 0);
	assert_int_equal(reg_store_save(s, &a, 0), 0);
	assert_int_equal(reg_store_save(s, &b, 0), 0);
	assert_non_null(reg_store_by_flow(s, &b.flow, 29));
	assert_null(reg_store_by_flow(s, &b.flow, 30));
	assert_int_equal(reg_store_count(s), 2);
	assert_int_equal(reg_store_expire(s, 30), 1);
	assert_int_equal(reg_store_count(s), 1);
	assert_non_null(reg_store_by_flow(s, &a.flow, 599));
	assert_int_equal(reg_store_expire(s, 600), 1);
	assert_int_equal(reg_store_count(s), 0);
	reg_store_destroy(s);
}

static void test_reg_store_is_bounded_but_refreshes(void **state)
{
	struct reg_store *s;
	struct reg_info a = alice_info(1), b = alice_info(2), c = alice_info(3);

	(void)state;
	assert_int_equal(reg_store_create(2, &s), 0);
	assert_int_equal(reg_store_save(s, &a, 0), 0);
	assert_int_equal(reg_store_save(s, &b, 0), 0);
	assert_true(reg_store_full(s, &c.flow));
	assert_false(reg_store_full(s, &a.flow));
	assert_int_equal(reg_store_save(s, &c, 0), -ENOSPC);
	/* a refresh of a stored flow is always taken, and extends the expiry */
	a.expires = 1000;
	assert_int_equal(reg_store_save(s, &a, 500), 0);
	assert_int_equal(reg_store_count(s), 2);
	assert_non_null(reg_store_by_flow(s, &a.flow, 1499));
	/* de-registration frees a slot */
	assert_int_equal(reg_store_remove(s, &b.flow), 0);
	assert_int_equal(reg_store_remove(s, &b.flow), -ENOENT);
	assert_int_equal(reg_store_save(s, &c, 0), 0);
	reg_store_destroy(s);
}

static void test_reg_save_rejects_incomplete_entries(void **state)
{
	struct reg_store *s;
	struct reg_info in = alice_info(1);

	(void)state;
	assert_int_equal(reg_store_create(2, &s), 0);
	in.n_impus = 0;
	assert_int_equal(reg_store_save(s, &in, 0), -EINVAL);
	in = alice_info(1);
	in.expires = 0;
	assert_int_equal(reg_store_save(s, &in, 0), -EINVAL);
	in = alice_info(1);
	in.contact = NULL;
	assert_int_equal(reg_store_save(s, &in, 0), -EINVAL);
	assert_int_equal(reg_store_count(s), 0);
	reg_store_destroy(s);
}

static void test_flow_token_round_trip_and_rejects_forgery(void **state)
{
	struct flow_key key, other_key;
	struct flow f, g;
	char tok[FLOW_TOKEN_MAX], tok2[FLOW_TOKEN_MAX], uri[128];

	(void)state;
	assert_int_equal(flow_key_init(&key), 0);
	assert_int_equal(flow_key_init(&other_key), 0);
	assert_int_equal(flow_make(&f, FLOW_TCP, "2001:db8::1", 5070), 0);
	assert_int_equal(flow_token(&key, &f, tok, sizeof tok), 0);
	assert_non_null(strstr(tok, FLOW_TOKEN_PREFIX));
	assert_null(strchr(tok, ':'));
	assert_int_equal(flow_from_token(&key, tok, &g), 0);
	assert_true(flow_equal(&f, &g));
	assert_int_equal(flow_uri(&g, uri, sizeof uri), 0);
	assert_string_equal(uri, "sip:[2001:db8::1]:5070;transport=tcp");
	/* the same address under another key (another P-CSCF, or before a
	 * restart) does not verify */
	assert_int_equal(flow_from_token(&other_key, tok, &g), -EPERM);
	/* another UE's address with a MAC copied from this token: forged */
	assert_int_equal(flow_make(&g, FLOW_TCP, "2001:db8::2", 5070), 0);
	assert_int_equal(flow_token(&key, &g, tok2, sizeof tok2), 0);
	memcpy(strchr(tok2, '.'), strchr(tok, '.'), strlen(strchr(tok, '.')) + 1);
	assert_int_equal(flow_from_token(&key, tok2, &g), -EPERM);
	/* not ours, odd length, no MAC, bad hex */
	assert_int_equal(flow_from_token(&key, "alice", &g), -EINVAL);
	assert_int_equal(flow_from_token(&key, "flow-7.00000000000000000000", &g), -EINVAL);
	assert_int_equal(flow_from_token(&key, "flow-7564702f312e322e332e342f35", &g), -EINVAL);
	assert_int_equal(flow_from_token(&key, "flow-zz.00000000000000000000", &g), -EINVAL);
	assert_int_equal(flow_make(&g, FLOW_UDP, "300.1.1.1", 5060), -EINVAL);
	assert_int_equal(flow_token(&key, &f, tok, 10), -ENOSPC);
}

/* A UE on TLS keeps its transport through the Path token, so a terminating
 * request goes back over TLS, never in clear over TCP. */
static void test_flow_token_keeps_tls_transport(void **state)
{
	struct flow_key key;
	struct flow f, back, tcp;
	char tok[FLOW_TOKEN_MAX], uri[128];

	(void)state;
	assert_int_equal(flow_key_init(&key), 0);
	assert_int_equal(flow_make(&f, FLOW_TLS, "198.51.100.7", 50123), 0);
	assert_int_equal(flow_make(&tcp, FLOW_TCP, "198.51.100.7", 50123), 0);
	assert_false(flow_equal(&f, &tcp));
	assert_int_equal(flow_token(&key, &f, tok, sizeof tok), 0);
	assert_int_equal(flow_from_token(&key, tok, &back), 0);
	assert_true(flow_equal(&f, &back));
	assert_int_equal(flow_uri(&back, uri, sizeof uri), 0);
	assert_non_null(strstr(uri, "transport=tls"));
}

static void test_keys_kept_per_impi_and_expire(void **state)
{
	struct key_store *k;
	const char *ck, *ik;

	(void)state;
	assert_int_equal(key_store_create(2, 60, &k), 0);
	assert_int_equal(key_store_put(k, "alice@open-ims.test", "00112233445566778899aabbccddeeff",
				       "ffeeddccbbaa99887766554433221100", 0), 0);
	assert_int_equal(key_store_get(k, "alice@open-ims.test", &ck, &ik, 59), 0);
	assert_string_equal(ck, "00112233445566778899aabbccddeeff");
	assert_string_equal(ik, "ffeeddccbbaa99887766554433221100");
	assert_int_equal(key_store_get(k, "bob@open-ims.test", &ck, &ik, 0), -ENOENT);
	assert_int_equal(key_store_get(k, "alice@open-ims.test", &ck, &ik, 60), -ENOENT);
	assert_int_equal(key_store_count(k), 0);
	/* bounded: the oldest goes */
	assert_int_equal(key_store_put(k, "a", "01", "02", 1), 0);
	assert_int_equal(key_store_put(k, "b", "03", "04", 2), 0);
	assert_int_equal(key_store_put(k, "c", "05", "06", 3), 0);
	assert_int_equal(key_store_count(k), 2);
	assert_int_equal(key_store_get(k, "a", &ck, &ik, 3), -ENOENT);
	assert_int_equal(key_store_get(k, "c", &ck, &ik, 3), 0);
	assert_int_equal(key_store_put(k, "d", "0123456789abcdef0123456789abcdef0", "0", 3), -EINVAL);
	key_store_destroy(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reg_lookup_by_flow_contact_and_impu),
		cmocka_unit_test(test_reg_expired_entries_are_hidden_then_dropped),
		cmocka_unit_test(test_reg_store_is_bounded_but_refreshes),
		cmocka_unit_test(test_reg_save_rejects_incomplete_entries),
		cmocka_unit_test(test_flow_token_round_trip_and_rejects_forgery),
		cmocka_unit_test(test_flow_token_keeps_tls_transport),
		cmocka_unit_test(test_keys_kept_per_impi_and_expire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
