/*
 * Challenges: storage keyed by nonce with a bound and a timeout, and the
 * verification of AKAv1-MD5 (RFC 3310 worked value aka-1) and SIP Digest
 * (RFC 2617 3.5) answers, with the negative cases (wrong response, RES hex
 * text as password, wrong realm/username/qop, MD5 answer to an AKA
 * challenge).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "registrar/reg_auth.h"

static const uint8_t aka1_rand[16] = { 0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d,
				       0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35 };
static const uint8_t aka1_res[8] = { 0xa5, 0x42, 0x11, 0xd5, 0xe3, 0xba, 0x50, 0xbf };
#define AKA1_NONCE "I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M="

static struct reg_challenge aka1_template(void)
{
	struct reg_challenge t = { .impi = "alice@open-ims.test",
				   .impu = "sip:alice@open-ims.test", .scheme = REG_AUTH_AKA };

	strcpy(t.nonce, AKA1_NONCE);
	memcpy(t.rand, aka1_rand, sizeof t.rand);
	memcpy(t.xres, aka1_res, sizeof aka1_res);
	t.xres_len = sizeof aka1_res;
	return t;
}

static struct sip_auth_credentials aka1_credentials(void)
{
	struct sip_auth_credentials cr = {
		.scheme = "Digest", .username = "alice@open-ims.test", .realm = "open-ims.test",
		.nonce = AKA1_NONCE, .uri = "sip:open-ims.test",
		.response = "8989073c387c374f6f99dd66da921d63", .algorithm = "AKAv1-MD5",
		.qop = "auth", .nc = "00000001", .cnonce = "0a4f113b",
	};
	return cr;
}

static void test_aka_response_verifies_with_res_octets(void **state)
{
	struct reg_challenge t = aka1_template();
	struct sip_auth_credentials cr = aka1_credentials();

	(void)state;
	assert_int_equal(reg_auth_verify(&t, &cr, "REGISTER", "open-ims.test"), 0);
	/* Uppercase hex in the answer is the same response. */
	cr.response = "8989073C387C374F6F99DD66DA921D63";
	assert_int_equal(reg_auth_verify(&t, &cr, "REGISTER", "open-ims.test"), 0);
}

static void test_aka_wrong_responses_are_refused(void **state)
{
	struct reg_challenge t = aka1_template();
	struct sip_auth_credentials cr = aka1_credentials();

	(void)state;
	cr.response = "d8a951453a869b55a5a84aa99abe4c4b"; /* RES hex text as password */
	assert_int_equal(reg_auth_verify(&t, &cr, "REGISTER", "open-ims.test"), -EACCES);
	cr = aka1_credentials();
	cr.cnonce = "0a4f113c";
	assert_int_equal(reg_auth_verify(&t, &cr, "REGISTER", "open-ims.test"), -EACCES);
	cr = aka1_credentials();
	assert_int_equal(reg_auth_verify(&t, &cr, "INVITE", "open-ims.test"), -EACCES);
}

static void test_aka_bad_parameters_are_refused(void **state)
{
	struct reg_challenge t = aka1_template();
	struct sip_auth_credentials cr;

	(void)state;
	cr = aka1_credentials();
	cr.realm = "other.test";
	assert_int_equal(reg_auth_verify(&t, &cr, "REGISTER", "open-ims.test"), -EPROTO);
	cr = aka1_credentials();
	cr.username = "bob@open-ims.test"; /* not the IMPI challenged */
	assert_int_equal(reg_auth_verify(&t, &cr, "REGISTER", "open-ims.test"), -EPROTO);
	cr = aka1_credentials();
	cr.qop = NULL;
	assert_int_equal(reg_auth_verify(&t, &cr, "REGISTER", "open-ims.test"), -EPROTO);
	cr = aka1_credentials();
	cr.nc = NULL;
	assert_int_equal(reg_auth_verify(&t, &cr, "REGISTER", "open-ims.test"), -EPROTO);
	cr = aka1_credentials();
	cr.algorithm = "MD5"; /* plain digest answer to an AKA challenge */
	assert_int_equal(reg_auth_verify(&t, &cr, "REGISTER", "open-ims.test"), -EPROTO);
	cr = aka1_credentials();
	cr.response = "";
	assert_int_equal(reg_auth_verify(&t, &cr, "REGISTER", "open-ims.test"), -EPROTO);
}

static void test_sip_digest_verifies_with_hss_ha1(void **state)
{
	struct reg_challenge t = { .impi = "Mufasa", .impu = "sip:mufasa@x",
				   .scheme = REG_AUTH_DIGEST };
	struct sip_auth_credentials cr = {
		.username = "Mufasa", .realm = "testrealm@host.com",
		.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093", .uri = "/dir/index.html",
		.response = "6629fae49393a05397450978507c4ef1", .qop = "auth", .nc = "00000001",
		.cnonce = "0a4f113b",
	};

	(void)state;
	strcpy(t.nonce, cr.nonce);
	strcpy(t.ha1, "939e7578ed9e3c518a452acee763bce9");
	assert_int_equal(reg_auth_verify(&t, &cr, "GET", "testrealm@host.com"), 0);
	cr.algorithm = "MD5";
	assert_int_equal(reg_auth_verify(&t, &cr, "GET", "testrealm@host.com"), 0);
	strcpy(t.ha1, "939e7578ed9e3c518a452acee763bce8");
	assert_int_equal(reg_auth_verify(&t, &cr, "GET", "testrealm@host.com"), -EACCES);
	cr.algorithm = "AKAv1-MD5";
	assert_int_equal(reg_auth_verify(&t, &cr, "GET", "testrealm@host.com"), -EPROTO);
}

static int timeouts;

static void on_timeout(void *ctx, const struct reg_challenge *ch)
{
	(void)ctx;
	(void)ch;
	timeouts++;
}

static void test_challenges_are_bounded_found_by_nonce_and_expire(void **state)
{
	struct reg_auth a;
	struct reg_challenge t = aka1_template(), *ch = NULL;
	char nonce[3][8] = { "n0", "n1", "n2" };

	(void)state;
	timeouts = 0;
	assert_int_equal(reg_auth_init(&a, 2, 30), 0);
	strcpy(t.nonce, nonce[0]);
	assert_int_equal(reg_auth_add(&a, &t, 100, &ch), 0);
	assert_int_equal(ch->expires, 130);
	assert_int_equal(reg_auth_add(&a, &t, 100, NULL), -EEXIST);
	strcpy(t.nonce, nonce[1]);
	assert_int_equal(reg_auth_add(&a, &t, 110, NULL), 0);
	strcpy(t.nonce, nonce[2]);
	assert_int_equal(reg_auth_add(&a, &t, 110, NULL), -ENOSPC);
	assert_ptr_equal(reg_auth_find(&a, "n0"), ch);
	assert_null(reg_auth_find(&a, "n2"));
	assert_string_equal(reg_auth_find(&a, "n1")->impi, "alice@open-ims.test");
	/* Oldest first, only when due. */
	assert_int_equal(reg_auth_expire(&a, 129, on_timeout, NULL), 0);
	assert_int_equal(reg_auth_expire(&a, 130, on_timeout, NULL), 1);
	assert_null(reg_auth_find(&a, "n0"));
	assert_int_equal(timeouts, 1);
	/* A used nonce is removed: it is not found again. */
	reg_auth_remove(&a, reg_auth_find(&a, "n1"));
	assert_null(reg_auth_find(&a, "n1"));
	assert_int_equal(a.count, 0);
	reg_auth_free(&a);
}

/* Abuse limit: one IMPI cannot hold more than max_per_impi challenges;
 * another IMPI still can, and a removed challenge frees a slot. */
static void test_challenges_per_impi_are_capped(void **state)
{
	struct reg_auth a;
	struct reg_challenge t = aka1_template();
	char nonce[16];
	int i;

	(void)state;
	assert_int_equal(reg_auth_init(&a, 100, 30), 0);
	reg_auth_set_per_impi(&a, 5);
	for (i = 0; i < 5; i++) {
		snprintf(nonce, sizeof nonce, "a%d", i);
		strcpy(t.nonce, nonce);
		assert_int_equal(reg_auth_add(&a, &t, 100, NULL), 0);
	}
	assert_int_equal(reg_auth_count_impi(&a, "alice@open-ims.test"), 5);
	strcpy(t.nonce, "a5");
	assert_int_equal(reg_auth_add(&a, &t, 100, NULL), -EDQUOT);
	t.impi = "bob@open-ims.test";
	assert_int_equal(reg_auth_add(&a, &t, 100, NULL), 0);
	assert_int_equal(reg_auth_count_impi(&a, "bob@open-ims.test"), 1);
	reg_auth_remove(&a, reg_auth_find(&a, "a0"));
	t.impi = "alice@open-ims.test";
	strcpy(t.nonce, "a6");
	assert_int_equal(reg_auth_add(&a, &t, 100, NULL), 0);
	/* Expiry keeps the counts right. */
	assert_int_equal(reg_auth_expire(&a, 200, NULL, NULL), 6);
	assert_int_equal(reg_auth_count_impi(&a, "alice@open-ims.test"), 0);
	assert_int_equal(reg_auth_count_impi(&a, "bob@open-ims.test"), 0);
	reg_auth_free(&a);
}

static void test_random_nonces_differ(void **state)
{
	char a[64], b[64];

	(void)state;
	assert_int_equal(reg_auth_random_nonce(a, sizeof a), 0);
	assert_int_equal(reg_auth_random_nonce(b, sizeof b), 0);
	assert_int_equal(strlen(a), 24);
	assert_string_not_equal(a, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aka_response_verifies_with_res_octets),
		cmocka_unit_test(test_aka_wrong_responses_are_refused),
		cmocka_unit_test(test_aka_bad_parameters_are_refused),
		cmocka_unit_test(test_sip_digest_verifies_with_hss_ha1),
		cmocka_unit_test(test_challenges_are_bounded_found_by_nonce_and_expire),
		cmocka_unit_test(test_challenges_per_impi_are_capped),
		cmocka_unit_test(test_random_nonces_differ),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
