/* I-CSCF config (schema, pool build, tel table) and identity derivation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>

#include "icscf.h"
#include "ident.h"
#include "ims/sip.h"
#include "scscf_pool.h"

static const char good_yaml[] =
	"sip:\n  port: 5060\n"
	"diameter:\n  identity: icscf.open-ims.test\n  realm: open-ims.test\n"
	"  peers:\n    - identity: hss.open-ims.test\n      address: 127.0.0.1\n"
	"scscf:\n  probe_interval: 2s\n  servers:\n"
	"    - name: sip:scscf.open-ims.test:6060\n      address: 127.0.0.1:6060\n"
	"      mandatory: [1, 2]\n      optional: 7\n      weight: 5\n"
	"    - name: sip:scscf2.open-ims.test:6070\n"
	"tel_numbers:\n  - number: \"+49-30-100001\"\n    uri: sip:alice@open-ims.test\n";

static void test_config_loads_pool_and_defaults(void **state)
{
	struct icscf_config cfg;
	struct cfg_error err;
	struct scscf_pool pool;

	(void)state;
	memset(&cfg, 0, sizeof cfg);
	assert_int_equal(cfg_load_string("t.yaml", good_yaml, strlen(good_yaml), icscf_schema,
					 &cfg, &err), 0);
	assert_int_equal(cfg.cx.timeout, 3000);
	assert_int_equal(cfg.scscf.probe_interval, 2000);
	assert_int_equal(cfg.scscf.max_attempts, 3);
	assert_int_equal(scscf_pool_build(&pool, &cfg.scscf), 0);
	assert_int_equal(pool.n, 2);
	assert_string_equal(pool.v[0].next_hop, "sip:127.0.0.1:6060");
	assert_string_equal(pool.v[1].next_hop, "sip:scscf2.open-ims.test:6070");
	assert_int_equal(pool.v[0].n_mand, 2);
	assert_int_equal(pool.v[0].mand[1], 2);
	assert_int_equal(pool.v[0].n_opt, 1);
	assert_int_equal(pool.v[0].opt[0], 7);
	assert_int_equal(pool.v[0].weight, 5);
	assert_int_equal(pool.v[1].weight, 1);
	assert_string_equal(ident_tel_lookup(&cfg, "+4930100001"), "sip:alice@open-ims.test");
	assert_null(ident_tel_lookup(&cfg, "+4930100002"));
	scscf_pool_free(&pool);
	cfg_free(icscf_schema, &cfg);
}

static void test_config_rejects_bad_capability(void **state)
{
	static const char bad[] =
		"sip:\n  port: 5060\n"
		"diameter:\n  identity: i.open-ims.test\n  realm: open-ims.test\n"
		"scscf:\n  servers:\n    - name: sip:s.test\n      mandatory: [one]\n";
	struct icscf_config cfg;
	struct cfg_error err;

	(void)state;
	memset(&cfg, 0, sizeof cfg);
	assert_int_equal(cfg_load_string("bad.yaml", bad, strlen(bad), icscf_schema, &cfg, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "mandatory"));
	cfg_free(icscf_schema, &cfg);
}

static void test_pool_health_survives_reload(void **state)
{
	struct scscf_entry a[2], b[1];
	struct scscf_pool old = { a, 2 }, fresh = { b, 1 };

	(void)state;
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	snprintf(a[0].name, SCSCF_URI_MAX, "sip:x.test:6060");
	snprintf(a[1].name, SCSCF_URI_MAX, "sip:y.test:6060");
	a[1].healthy = false;
	snprintf(b[0].name, SCSCF_URI_MAX, "sip:y.test:6060");
	b[0].healthy = true;
	scscf_pool_inherit(&fresh, &old);
	assert_false(b[0].healthy);
}

static msg_t *parse(const char *text)
{
	msg_t *m = NULL;

	assert_int_equal(sip_msg_parse(text, strlen(text), &m), 0);
	return m;
}

#define REG_HEAD "REGISTER sip:open-ims.test SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n" \
	"Max-Forwards: 70\r\n" \
	"From: <sip:alice@open-ims.test>;tag=1\r\n" \
	"To: <sip:alice@open-ims.test:5060;transport=udp>\r\n" \
	"Call-ID: c1\r\nCSeq: 1 REGISTER\r\n"

static void test_impi_from_authorization_else_to(void **state)
{
	msg_t *m;
	char impi[128], impu[128];

	(void)state;
	m = parse(REG_HEAD "Contact: <sip:alice@127.0.0.1:5070>\r\n"
		  "Authorization: Digest username=\"alice-priv@open-ims.test\", realm=\"open-ims.test\", "
		  "nonce=\"\", uri=\"sip:open-ims.test\", response=\"\"\r\n"
		  "Content-Length: 0\r\n\r\n");
	assert_int_equal(ident_impi_of_register(m, sip_object(m), impi, sizeof impi), 0);
	assert_string_equal(impi, "alice-priv@open-ims.test");
	assert_int_equal(ident_impu_of_url(sip_object(m)->sip_to->a_url, impu, sizeof impu), 0);
	assert_string_equal(impu, "sip:alice@open-ims.test");
	assert_false(ident_is_deregistration(sip_object(m)));
	msg_destroy(m);

	m = parse(REG_HEAD "Contact: <sip:alice@127.0.0.1:5070>\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(ident_impi_of_register(m, sip_object(m), impi, sizeof impi), 0);
	assert_string_equal(impi, "alice@open-ims.test");
	/* Too small a buffer is an error, never a truncated identity. */
	assert_int_equal(ident_impi_of_register(m, sip_object(m), impi, 8), -ENAMETOOLONG);
	msg_destroy(m);
}

static void test_deregistration_detection(void **state)
{
	msg_t *m;

	(void)state;
	m = parse(REG_HEAD "Contact: <sip:a@127.0.0.1:5070>\r\nExpires: 0\r\n"
		  "Content-Length: 0\r\n\r\n");
	assert_true(ident_is_deregistration(sip_object(m)));
	msg_destroy(m);
	m = parse(REG_HEAD "Contact: <sip:a@127.0.0.1:5070>;expires=0, <sip:a@127.0.0.1:5071>;expires=0\r\n"
		  "Expires: 600\r\nContent-Length: 0\r\n\r\n");
	assert_true(ident_is_deregistration(sip_object(m)));
	msg_destroy(m);
	/* One contact still alive: not a de-registration. */
	m = parse(REG_HEAD "Contact: <sip:a@127.0.0.1:5070>;expires=0, <sip:a@127.0.0.1:5071>\r\n"
		  "Expires: 600\r\nContent-Length: 0\r\n\r\n");
	assert_false(ident_is_deregistration(sip_object(m)));
	msg_destroy(m);
	/* Fetching bindings (no Contact) is not one either. */
	m = parse(REG_HEAD "Expires: 0\r\nContent-Length: 0\r\n\r\n");
	assert_false(ident_is_deregistration(sip_object(m)));
	msg_destroy(m);
}

static void test_global_number_of_tel_and_user_phone(void **state)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	char num[64], impu[128];
	url_t *u;

	(void)state;
	u = url_make(home, "tel:+49-30-100001;phone-context=x");
	assert_int_equal(ident_global_number(u, num, sizeof num), 0);
	assert_string_equal(num, "+4930100001");
	assert_int_equal(ident_impu_of_url(u, impu, sizeof impu), 0);
	assert_string_equal(impu, "tel:+49-30-100001");
	u = url_make(home, "sip:+4930100001@open-ims.test;user=phone");
	assert_int_equal(ident_global_number(u, num, sizeof num), 0);
	assert_string_equal(num, "+4930100001");
	u = url_make(home, "sip:+4930100001@open-ims.test");
	assert_int_equal(ident_global_number(u, num, sizeof num), -ENOENT);
	su_home_deinit(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_loads_pool_and_defaults),
		cmocka_unit_test(test_config_rejects_bad_capability),
		cmocka_unit_test(test_pool_health_survives_reload),
		cmocka_unit_test(test_impi_from_authorization_else_to),
		cmocka_unit_test(test_deregistration_detection),
		cmocka_unit_test(test_global_number_of_tel_and_user_phone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
