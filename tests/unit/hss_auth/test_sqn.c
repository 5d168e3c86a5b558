/*
 * SQN arithmetic, HE re-synchronisation and the USIM freshness model
 * (TS 33.102 Annex C, §6.3.5).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>

#include "auth/sqn.h"

static const struct sqn_policy def = SQN_POLICY_DEFAULT;

static uint64_t mk(uint64_t seq, unsigned ind) { return seq << 5 | ind; }

static void test_sqn_bytes_roundtrip_big_endian(void **state)
{
	uint8_t b[6];
	const uint8_t want[6] = { 0xff, 0x9b, 0xb4, 0xd0, 0xb6, 0x07 };

	(void)state;
	assert_int_equal(sqn_to_bytes(UINT64_C(0xff9bb4d0b607), b), 0);
	assert_memory_equal(b, want, 6);
	assert_true(sqn_from_bytes(want) == UINT64_C(0xff9bb4d0b607));
	assert_int_equal(sqn_to_bytes(SQN_MAX, b), 0);
	assert_true(sqn_from_bytes(b) == SQN_MAX);
}

static void test_sqn_to_bytes_rejects_more_than_48_bits(void **state)
{
	uint8_t b[6];

	(void)state;
	assert_int_equal(sqn_to_bytes(SQN_MAX + 1, b), -EINVAL);
}

static void test_sqn_next_increments_seq_and_ind(void **state)
{
	uint64_t n;

	(void)state;
	assert_int_equal(sqn_next(0, &n), 0);
	assert_true(n == mk(1, 1));
	assert_int_equal(sqn_next(mk(41, 7), &n), 0);
	assert_true(sqn_seq(n, 5) == 42 && sqn_ind(n, 5) == 8);
}

static void test_sqn_next_ind_wraps_modulo_32_seq_keeps_rising(void **state)
{
	uint64_t s = mk(100, 30), prev_seq = 100;

	(void)state;
	for (int i = 0; i < 40; i++) {
		assert_int_equal(sqn_next(s, &s), 0);
		assert_true(sqn_seq(s, 5) == prev_seq + 1);
		prev_seq = sqn_seq(s, 5);
	}
	/* 30 + 40 = 70 = 6 (mod 32) */
	assert_int_equal(sqn_ind(s, 5), 6);
	assert_true(sqn_seq(s, 5) == 140);
}

static void test_sqn_next_without_ind_bits_is_plain_counter(void **state)
{
	uint64_t n;

	(void)state;
	assert_int_equal(sqn_next_ind(41, 0, &n), 0);
	assert_true(n == 42);
	assert_int_equal(sqn_next_ind(41, SQN_IND_BITS_MAX + 1, &n), -EINVAL);
}

static void test_sqn_next_refuses_to_wrap_at_2_pow_48(void **state)
{
	uint64_t n = 12345, last = SQN_MAX;   /* SEQ = 2^43 - 1, IND = 31 */

	(void)state;
	assert_int_equal(sqn_next(last, &n), -EOVERFLOW);
	assert_true(n == 12345);                    /* untouched */
	assert_int_equal(sqn_next(SQN_MAX - 32, &n), 0); /* one before the last SEQ */
	assert_true(sqn_seq(n, 5) == (SQN_MAX >> 5));
	assert_int_equal(sqn_next(SQN_MAX + 1, &n), -EINVAL);
	assert_int_equal(sqn_next_ind(SQN_MAX, 0, &n), -EOVERFLOW);
}

static void test_sqn_resync_resets_when_usim_is_ahead(void **state)
{
	uint64_t base = 0;
	bool reset = false;

	(void)state;
	assert_int_equal(sqn_resync(mk(10, 3), mk(500, 9), NULL, &base, &reset), 0);
	assert_true(reset);
	assert_true(base == mk(500, 9));
}

static void test_sqn_resync_keeps_he_counter_on_replayed_old_sqn_ms(void **state)
{
	uint64_t base = 0;
	bool reset = true;

	(void)state;
	/* HE already ahead of a stale SQN_MS: the next SQN_HE is acceptable. */
	assert_int_equal(sqn_resync(mk(500, 9), mk(400, 1), &def, &base, &reset), 0);
	assert_false(reset);
	assert_true(base == mk(500, 9));
	/* SQN_MS equal to SQN_HE (the USIM saw the last vector twice). */
	assert_int_equal(sqn_resync(mk(500, 9), mk(500, 9), &def, &base, &reset), 0);
	assert_false(reset);
}

static void test_sqn_resync_resets_when_he_is_beyond_delta(void **state)
{
	struct sqn_policy p = { 5, 1000, 32 };
	uint64_t base;
	bool reset;

	(void)state;
	assert_int_equal(sqn_resync(mk(5000, 0), mk(100, 0), &p, &base, &reset), 0);
	assert_true(reset);
	assert_true(base == mk(100, 0));
	/* exactly delta ahead after increment is still accepted (C.2.1: <=) */
	assert_int_equal(sqn_resync(mk(1099, 0), mk(100, 0), &p, &base, &reset), 0);
	assert_false(reset);
}

static void test_usim_accepts_increasing_and_rejects_replay(void **state)
{
	struct sqn_usim u = { 0 };
	uint64_t s = 0, ms = 0;

	(void)state;
	for (int i = 0; i < 50; i++) {
		assert_int_equal(sqn_next(s, &s), 0);
		assert_int_equal(sqn_usim_check(&u, &def, s, NULL), 0);
	}
	assert_true(sqn_usim_highest(&u, &def) == s);
	/* the same SQN again is a replay */
	assert_int_equal(sqn_usim_check(&u, &def, s, &ms), -ESTALE);
	assert_true(ms == s);
}

static void test_usim_accepts_out_of_order_within_array(void **state)
{
	struct sqn_usim u = { 0 };
	uint64_t a, b;

	(void)state;
	assert_int_equal(sqn_next(mk(10, 0), &a), 0);  /* SEQ 11 IND 1 */
	assert_int_equal(sqn_next(a, &b), 0);           /* SEQ 12 IND 2 */
	/* b used first (e.g. by another S-CSCF), then a: both fresh (C.2.2). */
	assert_int_equal(sqn_usim_check(&u, &def, b, NULL), 0);
	assert_int_equal(sqn_usim_check(&u, &def, a, NULL), 0);
	assert_int_equal(sqn_usim_check(&u, &def, a, NULL), -ESTALE);
}

static void test_usim_rejects_too_old_beyond_limit_l(void **state)
{
	struct sqn_usim u = { 0 };
	uint64_t ms;

	(void)state;
	assert_int_equal(sqn_usim_check(&u, &def, mk(100, 1), NULL), 0);
	/* fresh IND entry, but SEQ_MS - SEQ = 32 >= L */
	assert_int_equal(sqn_usim_check(&u, &def, mk(68, 2), &ms), -ESTALE);
	assert_true(ms == mk(100, 1));
	/* within L on a fresh entry: accepted */
	assert_int_equal(sqn_usim_check(&u, &def, mk(69, 3), NULL), 0);
}

static void test_usim_rejects_jump_beyond_delta(void **state)
{
	struct sqn_usim u = { 0 };
	uint64_t ms;

	(void)state;
	assert_int_equal(sqn_usim_check(&u, &def, mk(10, 1), NULL), 0);
	assert_int_equal(sqn_usim_check(&u, &def, mk(10 + SQN_DELTA_DEFAULT + 1, 2), &ms),
			 -ERANGE);
	assert_true(ms == mk(10, 1));
	assert_int_equal(sqn_usim_check(&u, &def, mk(10 + SQN_DELTA_DEFAULT, 2), NULL), 0);
}

static void test_usim_rejects_seq_zero(void **state)
{
	struct sqn_usim u = { 0 };

	(void)state;
	/* entries start at 0 and need SEQ > entry (C.2.2) */
	assert_int_equal(sqn_usim_check(&u, &def, mk(0, 4), NULL), -ESTALE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqn_bytes_roundtrip_big_endian),
		cmocka_unit_test(test_sqn_to_bytes_rejects_more_than_48_bits),
		cmocka_unit_test(test_sqn_next_increments_seq_and_ind),
		cmocka_unit_test(test_sqn_next_ind_wraps_modulo_32_seq_keeps_rising),
		cmocka_unit_test(test_sqn_next_without_ind_bits_is_plain_counter),
		cmocka_unit_test(test_sqn_next_refuses_to_wrap_at_2_pow_48),
		cmocka_unit_test(test_sqn_resync_resets_when_usim_is_ahead),
		cmocka_unit_test(test_sqn_resync_keeps_he_counter_on_replayed_old_sqn_ms),
		cmocka_unit_test(test_sqn_resync_resets_when_he_is_beyond_delta),
		cmocka_unit_test(test_usim_accepts_increasing_and_rejects_replay),
		cmocka_unit_test(test_usim_accepts_out_of_order_within_array),
		cmocka_unit_test(test_usim_rejects_too_old_beyond_limit_l),
		cmocka_unit_test(test_usim_rejects_jump_beyond_delta),
		cmocka_unit_test(test_usim_rejects_seq_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
