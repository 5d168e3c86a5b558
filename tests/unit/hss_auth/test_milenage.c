/*
 * MILENAGE against the 20 conformance sets of TS 35.208 §4.3 and the extra
 * cross-check blocks in tests/data/vectors/milenage.txt. A numbered set must
 * carry every field; extra blocks are checked on the fields they carry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>

#include "auth/milenage.h"
#include "kv_blocks.h"

/* Fields of a block; has_* say which were present. */
struct set {
	uint8_t k[16], rand[16], sqn[6], amf[2], op[16], opc[16];
	uint8_t mac_a[8], mac_s[8], res[8], ck[16], ik[16], ak[6], ak_star[6];
	int has_rand, has_op, has_f1, has_f2345;
};

static int is_ts_set(const struct kv_block *b)
{
	const char *v = kv_get(b, "set");
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;

	return v && *end == '\0' && n >= 1 && n <= 20;
}

static void load_set(const struct kv_block *b, struct set *s)
{
	int ts = is_ts_set(b), f1 = 0, f2 = 0;

	memset(s, 0, sizeof(*s));
	kv_hex(b, "k", s->k, 16);
	kv_hex(b, "opc", s->opc, 16);
	s->has_op = kv_hex_opt(b, "op", s->op, 16);
	s->has_rand = kv_hex_opt(b, "rand", s->rand, 16);
	f1 += kv_hex_opt(b, "sqn", s->sqn, 6);
	f1 += kv_hex_opt(b, "amf", s->amf, 2);
	f1 += kv_hex_opt(b, "mac_a", s->mac_a, 8);
	f1 += kv_hex_opt(b, "mac_s", s->mac_s, 8);
	f2 += kv_hex_opt(b, "res", s->res, 8);
	f2 += kv_hex_opt(b, "ck", s->ck, 16);
	f2 += kv_hex_opt(b, "ik", s->ik, 16);
	f2 += kv_hex_opt(b, "ak", s->ak, 6);
	f2 += kv_hex_opt(b, "ak_star", s->ak_star, 6);
	s->has_f1 = s->has_rand && f1 == 4;
	s->has_f2345 = s->has_rand && f2 == 5;
	if (ts && !(s->has_op && s->has_f1 && s->has_f2345))
		fail_msg("set %s lacks fields", kv_get(b, "set"));
}

static int setup(void **state)
{
	static struct kv_file f;

	if (kv_load("vectors/milenage.txt", &f) != 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	kv_free(*state);
	return 0;
}

static void test_milenage_file_has_all_20_ts35208_sets(void **state)
{
	const struct kv_file *f = *state;
	int seen[21] = { 0 }, n = 0;

	for (size_t i = 0; i < f->n; i++) {
		if (!is_ts_set(&f->blocks[i]))
			continue;
		seen[atoi(kv_get(&f->blocks[i], "set"))]++;
		n++;
	}
	assert_int_equal(n, 20);
	for (int i = 1; i <= 20; i++)
		assert_int_equal(seen[i], 1);
}

static void test_milenage_opc_matches_all_sets(void **state)
{
	const struct kv_file *f = *state;
	int checked = 0;

	for (size_t i = 0; i < f->n; i++) {
		struct set s;
		uint8_t opc[16];

		load_set(&f->blocks[i], &s);
		if (!s.has_op)
			continue;
		assert_int_equal(milenage_opc(s.k, s.op, opc), 0);
		assert_memory_equal(opc, s.opc, 16);
		checked++;
	}
	assert_true(checked >= 20);
}

static void test_milenage_f1_f1star_match_all_sets(void **state)
{
	const struct kv_file *f = *state;
	int checked = 0;

	for (size_t i = 0; i < f->n; i++) {
		struct set s;
		uint8_t mac_a[8], mac_s[8];

		load_set(&f->blocks[i], &s);
		if (!s.has_f1)
			continue;
		assert_int_equal(milenage_f1(s.k, s.opc, s.rand, s.sqn, s.amf, mac_a, mac_s), 0);
		assert_memory_equal(mac_a, s.mac_a, 8);
		assert_memory_equal(mac_s, s.mac_s, 8);
		/* one output only */
		memset(mac_s, 0, 8);
		assert_int_equal(milenage_f1(s.k, s.opc, s.rand, s.sqn, s.amf, NULL, mac_s), 0);
		assert_memory_equal(mac_s, s.mac_s, 8);
		checked++;
	}
	assert_true(checked >= 20);
}

static void test_milenage_f2_to_f5star_match_all_sets(void **state)
{
	const struct kv_file *f = *state;
	int checked = 0;

	for (size_t i = 0; i < f->n; i++) {
		struct set s;
		uint8_t res[8], ck[16], ik[16], ak[6], ak_star[6];

		load_set(&f->blocks[i], &s);
		if (!s.has_f2345)
			continue;
		assert_int_equal(milenage_f2345(s.k, s.opc, s.rand, res, ck, ik, ak, ak_star), 0);
		assert_memory_equal(res, s.res, 8);
		assert_memory_equal(ck, s.ck, 16);
		assert_memory_equal(ik, s.ik, 16);
		assert_memory_equal(ak, s.ak, 6);
		assert_memory_equal(ak_star, s.ak_star, 6);
		/* any subset of outputs */
		memset(ak_star, 0, 6);
		assert_int_equal(milenage_f2345(s.k, s.opc, s.rand, NULL, NULL, NULL, NULL, ak_star), 0);
		assert_memory_equal(ak_star, s.ak_star, 6);
		checked++;
	}
	assert_true(checked >= 20);
}

static void test_milenage_wrong_key_does_not_reproduce_res(void **state)
{
	const struct kv_file *f = *state;
	struct set s;
	uint8_t res[8], mac_a[8];

	load_set(&f->blocks[0], &s);
	s.k[15] ^= 0x01;
	assert_int_equal(milenage_f2345(s.k, s.opc, s.rand, res, NULL, NULL, NULL, NULL), 0);
	assert_memory_not_equal(res, s.res, 8);
	assert_int_equal(milenage_f1(s.k, s.opc, s.rand, s.sqn, s.amf, mac_a, NULL), 0);
	assert_memory_not_equal(mac_a, s.mac_a, 8);
}

static void test_milenage_wrong_opc_does_not_reproduce_mac(void **state)
{
	const struct kv_file *f = *state;
	struct set s;
	uint8_t mac_a[8];

	load_set(&f->blocks[2], &s);
	/* OP given where OPc is expected: a classic provisioning mistake. */
	assert_int_equal(milenage_f1(s.k, s.op, s.rand, s.sqn, s.amf, mac_a, NULL), 0);
	assert_memory_not_equal(mac_a, s.mac_a, 8);
}

static void test_milenage_rejects_null_inputs(void **state)
{
	uint8_t z[16] = { 0 }, out[16];

	(void)state;
	assert_int_equal(milenage_opc(NULL, z, out), -EINVAL);
	assert_int_equal(milenage_f1(z, NULL, z, z, z, out, NULL), -EINVAL);
	assert_int_equal(milenage_f2345(z, z, NULL, out, NULL, NULL, NULL, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_milenage_file_has_all_20_ts35208_sets),
		cmocka_unit_test(test_milenage_opc_matches_all_sets),
		cmocka_unit_test(test_milenage_f1_f1star_match_all_sets),
		cmocka_unit_test(test_milenage_f2_to_f5star_match_all_sets),
		cmocka_unit_test(test_milenage_wrong_key_does_not_reproduce_res),
		cmocka_unit_test(test_milenage_wrong_opc_does_not_reproduce_mac),
		cmocka_unit_test(test_milenage_rejects_null_inputs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
