/*
 * Authentication vectors and AUTS re-synchronisation (TS 33.102 §6.3.2,
 * §6.3.3, §6.3.5) against tests/data/vectors/milenage.txt (20 sets) and
 * digest-aka.txt case aka-7-resync.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "auth/sqn.h"
#include "auth/vector.h"
#include "kv_blocks.h"

struct set {
	uint8_t k[16], opc[16], rand[16], amf[2], sqn[6], autn[16];
	uint8_t res[8], ck[16], ik[16], sqn_ms[6], auts[14];
};

/* Loads a block carrying vector and resync fields; 0 if it has none (the
 * OPc-only cross-check block). The 20 TS 35.208 sets all carry them. */
static int load_set(const struct kv_block *b, struct set *s)
{
	if (!kv_get(b, "autn"))
		return 0;
	kv_hex(b, "k", s->k, 16);
	kv_hex(b, "opc", s->opc, 16);
	kv_hex(b, "rand", s->rand, 16);
	kv_hex(b, "amf", s->amf, 2);
	kv_hex(b, "sqn", s->sqn, 6);
	kv_hex(b, "autn", s->autn, 16);
	kv_hex(b, "res", s->res, 8);
	kv_hex(b, "ck", s->ck, 16);
	kv_hex(b, "ik", s->ik, 16);
	kv_hex(b, "sqn_ms", s->sqn_ms, 6);
	kv_hex(b, "auts", s->auts, 14);
	return 1;
}

struct files {
	struct kv_file milenage, digest;
};

static int setup(void **state)
{
	static struct files f;

	if (kv_load("vectors/milenage.txt", &f.milenage) != 0 ||
	    kv_load("vectors/digest-aka.txt", &f.digest) != 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct files *f = *state;

	kv_free(&f->milenage);
	kv_free(&f->digest);
	return 0;
}

static void test_vector_matches_all_sets(void **state)
{
	const struct kv_file *f = &((struct files *)*state)->milenage;

	int checked = 0;

	for (size_t i = 0; i < f->n; i++) {
		struct set s;
		struct auth_vector av;
		uint8_t sip_auth[AUTH_SIP_AUTHENTICATE_LEN];

		if (!load_set(&f->blocks[i], &s))
			continue;
		checked++;
		assert_int_equal(auth_vector_generate(s.k, s.opc, s.amf, sqn_from_bytes(s.sqn),
						      s.rand, &av), 0);
		assert_memory_equal(av.rand, s.rand, 16);
		assert_memory_equal(av.autn, s.autn, 16);
		assert_memory_equal(av.xres, s.res, 8);
		assert_memory_equal(av.ck, s.ck, 16);
		assert_memory_equal(av.ik, s.ik, 16);
		assert_true(av.sqn == sqn_from_bytes(s.sqn));
		auth_vector_sip_authenticate(&av, sip_auth);
		assert_memory_equal(sip_auth, s.rand, 16);
		assert_memory_equal(sip_auth + 16, s.autn, 16);
		auth_vector_wipe(&av);
	}
	assert_true(checked >= 20);
}

static void test_autn_verify_recovers_sqn_for_all_sets(void **state)
{
	const struct kv_file *f = &((struct files *)*state)->milenage;

	int checked = 0;

	for (size_t i = 0; i < f->n; i++) {
		struct set s;
		uint64_t sqn = 0;
		uint8_t res[8];

		if (!load_set(&f->blocks[i], &s))
			continue;
		checked++;
		assert_int_equal(auth_autn_verify(s.k, s.opc, s.rand, s.autn, &sqn, res), 0);
		assert_true(sqn == sqn_from_bytes(s.sqn));
		assert_memory_equal(res, s.res, 8);
	}
	assert_true(checked >= 20);
}

static void test_autn_verify_rejects_tampered_vector(void **state)
{
	const struct kv_file *f = &((struct files *)*state)->milenage;
	struct set s;
	uint64_t sqn = 777;

	assert_true(load_set(&f->blocks[0], &s));
	for (int bit = 0; bit < 128; bit += 7) {
		uint8_t autn[16];

		memcpy(autn, s.autn, 16);
		autn[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(auth_autn_verify(s.k, s.opc, s.rand, autn, &sqn, NULL), -EBADMSG);
	}
	s.k[0] ^= 0x80;      /* wrong K */
	assert_int_equal(auth_autn_verify(s.k, s.opc, s.rand, s.autn, &sqn, NULL), -EBADMSG);
	assert_true(sqn == 777);
}

static void test_resync_auts_matches_all_sets(void **state)
{
	const struct kv_file *f = &((struct files *)*state)->milenage;

	int checked = 0;

	for (size_t i = 0; i < f->n; i++) {
		struct set s;
		uint8_t auts[14];
		uint64_t sqn_ms = 0;

		if (!load_set(&f->blocks[i], &s))
			continue;
		checked++;
		assert_int_equal(auth_auts_build(s.k, s.opc, s.rand, sqn_from_bytes(s.sqn_ms),
						 auts), 0);
		assert_memory_equal(auts, s.auts, 14);
		assert_int_equal(auth_resync_verify(s.k, s.opc, s.rand, s.auts, &sqn_ms), 0);
		assert_true(sqn_ms == sqn_from_bytes(s.sqn_ms));
	}
	assert_true(checked >= 20);
}

static void test_mar_resync_rejects_bad_auts(void **state)
{
	const struct kv_file *f = &((struct files *)*state)->milenage;
	struct set s;
	uint64_t sqn_ms = 4242;

	assert_true(load_set(&f->blocks[4], &s));
	/* every single-bit flip, in Conc(SQN_MS) or in MAC-S, must be rejected */
	for (int bit = 0; bit < 14 * 8; bit++) {
		uint8_t auts[14];

		memcpy(auts, s.auts, 14);
		auts[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(auth_resync_verify(s.k, s.opc, s.rand, auts, &sqn_ms), -EBADMSG);
	}
	assert_true(sqn_ms == 4242);
}

static void test_mar_resync_rejects_auts_for_other_rand_or_key(void **state)
{
	const struct kv_file *f = &((struct files *)*state)->milenage;
	struct set s;
	uint64_t sqn_ms;

	assert_true(load_set(&f->blocks[6], &s));
	s.rand[3] ^= 0x10;
	assert_int_equal(auth_resync_verify(s.k, s.opc, s.rand, s.auts, &sqn_ms), -EBADMSG);
	s.rand[3] ^= 0x10;
	s.k[9] ^= 0x01;
	assert_int_equal(auth_resync_verify(s.k, s.opc, s.rand, s.auts, &sqn_ms), -EBADMSG);
}

static size_t b64_decode(const char *in, uint8_t *out, size_t cap)
{
	size_t len = strlen(in), pad = 0;
	uint8_t buf[128];
	int n;

	assert_true(len % 4 == 0 && len / 4 * 3 <= sizeof(buf));
	n = EVP_DecodeBlock(buf, (const unsigned char *)in, (int)len);
	assert_true(n >= 0);
	while (pad < 2 && len > pad && in[len - 1 - pad] == '=')
		pad++;
	assert_true((size_t)n - pad <= cap);
	memcpy(out, buf, (size_t)n - pad);
	return (size_t)n - pad;
}

static void test_mar_resync_aka7_auts_param_recovers_sqn_ms(void **state)
{
	const struct kv_file *f = &((struct files *)*state)->digest;
	const struct kv_block *b = kv_find(f, "case", "aka-7-resync");
	uint8_t k[16], opc[16], rand[16], auts_hex[14], auts[14], sqn_ms_b[6];
	uint8_t mar_data[AUTH_SIP_AUTHORIZATION_LEN], r2[16], a2[14];
	uint64_t sqn_ms = 0;

	assert_non_null(b);
	kv_hex(b, "k_hex", k, 16);
	kv_hex(b, "opc_hex", opc, 16);
	kv_hex(b, "rand_hex", rand, 16);
	kv_hex(b, "auts_hex", auts_hex, 14);
	kv_hex(b, "sqn_ms_hex", sqn_ms_b, 6);
	kv_hex(b, "sip_authorization_data_for_mar_hex", mar_data, sizeof(mar_data));

	/* The AUTS digest parameter (RFC 3310 §3.4) is base64 of the 14 octets. */
	assert_int_equal(b64_decode(kv_get(b, "auts_param"), auts, sizeof(auts)), 14);
	assert_memory_equal(auts, auts_hex, 14);

	/* MAR SIP-Authorization = RAND || AUTS (TS 29.228 §6.3.10). */
	assert_int_equal(auth_resync_split(mar_data, sizeof(mar_data), r2, a2), 0);
	assert_memory_equal(r2, rand, 16);
	assert_memory_equal(a2, auts, 14);
	assert_int_equal(auth_resync_split(mar_data, sizeof(mar_data) - 1, r2, a2), -EINVAL);

	assert_int_equal(auth_resync_verify(k, opc, r2, a2, &sqn_ms), 0);
	assert_true(sqn_ms == UINT64_C(0x00000000a000));
	assert_true(sqn_ms == sqn_from_bytes(sqn_ms_b));
}

static void test_vector_random_rand_is_fresh_and_verifiable(void **state)
{
	const struct kv_file *f = &((struct files *)*state)->milenage;
	struct set s;
	struct auth_vector a, b;
	uint64_t sqn;

	assert_true(load_set(&f->blocks[0], &s));
	assert_int_equal(auth_vector_generate(s.k, s.opc, s.amf, 33, NULL, &a), 0);
	assert_int_equal(auth_vector_generate(s.k, s.opc, s.amf, 33, NULL, &b), 0);
	assert_memory_not_equal(a.rand, b.rand, 16);
	assert_int_equal(auth_autn_verify(s.k, s.opc, a.rand, a.autn, &sqn, NULL), 0);
	assert_true(sqn == 33);
	assert_int_equal(auth_vector_generate(s.k, s.opc, s.amf, SQN_MAX + 1, NULL, &a), -EINVAL);
}

/* End to end: HE counter lost (restored backup), USIM rejects, AUTS resync. */
static void test_mar_resync_flow_recovers_from_lost_he_counter(void **state)
{
	const struct kv_file *f = &((struct files *)*state)->milenage;
	const struct sqn_policy pol = SQN_POLICY_DEFAULT;
	struct sqn_usim usim = { 0 };
	struct set s;
	struct auth_vector av;
	uint64_t he = 0, backup = 0, sqn, sqn_ms, base;
	uint8_t auts[14], authz[AUTH_SIP_AUTHORIZATION_LEN], rand[16];
	bool reset;

	assert_true(load_set(&f->blocks[9], &s));
	for (int i = 0; i < 5; i++) {
		assert_int_equal(sqn_next(he, &he), 0);
		assert_int_equal(auth_vector_generate(s.k, s.opc, s.amf, he, NULL, &av), 0);
		assert_int_equal(auth_autn_verify(s.k, s.opc, av.rand, av.autn, &sqn, NULL), 0);
		assert_int_equal(sqn_usim_check(&usim, &pol, sqn, NULL), 0);
		if (i == 1)
			backup = he;
	}
	he = backup;                                /* HSS restored from backup */
	assert_int_equal(sqn_next(he, &he), 0);
	assert_int_equal(auth_vector_generate(s.k, s.opc, s.amf, he, NULL, &av), 0);
	assert_int_equal(auth_autn_verify(s.k, s.opc, av.rand, av.autn, &sqn, NULL), 0);
	assert_int_equal(sqn_usim_check(&usim, &pol, sqn, &sqn_ms), -ESTALE);
	assert_int_equal(auth_auts_build(s.k, s.opc, av.rand, sqn_ms, auts), 0);

	/* MAR with SIP-Authorization = RAND || AUTS */
	memcpy(authz, av.rand, 16);
	memcpy(authz + 16, auts, 14);
	assert_int_equal(auth_resync_split(authz, sizeof(authz), rand, auts), 0);
	assert_int_equal(auth_resync_verify(s.k, s.opc, rand, auts, &sqn_ms), 0);
	assert_int_equal(sqn_resync(he, sqn_ms, &pol, &base, &reset), 0);
	assert_true(reset);
	assert_int_equal(sqn_next(base, &he), 0);
	assert_int_equal(auth_vector_generate(s.k, s.opc, s.amf, he, NULL, &av), 0);
	assert_int_equal(auth_autn_verify(s.k, s.opc, av.rand, av.autn, &sqn, NULL), 0);
	assert_int_equal(sqn_usim_check(&usim, &pol, sqn, NULL), 0);
	auth_vector_wipe(&av);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_matches_all_sets),
		cmocka_unit_test(test_autn_verify_recovers_sqn_for_all_sets),
		cmocka_unit_test(test_autn_verify_rejects_tampered_vector),
		cmocka_unit_test(test_resync_auts_matches_all_sets),
		cmocka_unit_test(test_mar_resync_rejects_bad_auts),
		cmocka_unit_test(test_mar_resync_rejects_auts_for_other_rand_or_key),
		cmocka_unit_test(test_mar_resync_aka7_auts_param_recovers_sqn_ms),
		cmocka_unit_test(test_vector_random_rand_is_fresh_and_verifiable),
		cmocka_unit_test(test_mar_resync_flow_recovers_from_lost_he_counter),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
