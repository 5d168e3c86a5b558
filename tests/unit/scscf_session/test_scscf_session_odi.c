/* The ODI table and its tokens (sess_odi.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "session/sess_odi.h"

static void test_odi_token_round_trip(void **state)
{
	struct sess_odi_table t;
	struct sess_odi *e;
	char tok[SESS_ODI_TOKEN_LEN + 1];

	(void)state;
	assert_int_equal(sess_odi_init(&t, 8), 0);
	assert_int_equal(sess_odi_alloc(&t, 0x0123456789abcdefULL, 100, &e), 0);
	assert_int_equal(sess_odi_token(e, tok, sizeof tok), 0);
	assert_int_equal(strlen(tok), SESS_ODI_TOKEN_LEN);
	assert_ptr_equal(sess_odi_lookup(&t, tok, 100), e);
	assert_int_equal(sess_odi_token(e, tok, 10), -ENOSPC);
	sess_odi_free(&t);
}

static void test_odi_lookup_rejects_tampered_token(void **state)
{
	struct sess_odi_table t;
	struct sess_odi *e, *f;
	char tok[SESS_ODI_TOKEN_LEN + 1], bad[SESS_ODI_TOKEN_LEN + 2];

	(void)state;
	assert_int_equal(sess_odi_init(&t, 8), 0);
	assert_int_equal(sess_odi_alloc(&t, 0x1111222233334444ULL, 100, &e), 0);
	assert_int_equal(sess_odi_alloc(&t, 0x5555666677778888ULL, 100, &f), 0);
	assert_int_equal(sess_odi_token(e, tok, sizeof tok), 0);
	/* One nonce digit changed. */
	memcpy(bad, tok, sizeof tok);
	bad[SESS_ODI_TOKEN_LEN - 1] = bad[SESS_ODI_TOKEN_LEN - 1] == '4' ? '5' : '4';
	assert_null(sess_odi_lookup(&t, bad, 100));
	/* Slot of the other entry with this entry's nonce. */
	memcpy(bad, tok, sizeof tok);
	bad[7] = bad[7] == '0' ? '1' : '0';
	assert_null(sess_odi_lookup(&t, bad, 100));
	/* Uppercase, short, long, non-hex, slot out of range, NULL. */
	memcpy(bad, tok, sizeof tok);
	bad[10] = 'A';
	assert_null(sess_odi_lookup(&t, bad, 100));
	assert_null(sess_odi_lookup(&t, "0000000011112222", 100));
	memcpy(bad, tok, sizeof tok);
	strcat(bad, "0");
	assert_null(sess_odi_lookup(&t, bad, 100));
	assert_null(sess_odi_lookup(&t, "0000000z1111222233334444", 100));
	assert_null(sess_odi_lookup(&t, "000000091111222233334444", 100));
	assert_null(sess_odi_lookup(&t, NULL, 100));
	assert_ptr_equal(sess_odi_lookup(&t, tok, 100), e);
	sess_odi_free(&t);
}

static void test_odi_released_token_is_refused(void **state)
{
	struct sess_odi_table t;
	struct sess_odi *e, *again;
	char tok[SESS_ODI_TOKEN_LEN + 1];

	(void)state;
	assert_int_equal(sess_odi_init(&t, 1), 0);
	assert_int_equal(sess_odi_alloc(&t, 42, 100, &e), 0);
	assert_int_equal(sess_odi_token(e, tok, sizeof tok), 0);
	sess_odi_release(&t, e);
	assert_int_equal(t.n_used, 0);
	assert_null(sess_odi_lookup(&t, tok, 100));
	/* The slot is reused with another nonce: the old token stays dead. */
	assert_int_equal(sess_odi_alloc(&t, 43, 100, &again), 0);
	assert_null(sess_odi_lookup(&t, tok, 100));
	sess_odi_free(&t);
}

static void test_odi_table_is_bounded(void **state)
{
	struct sess_odi_table t;
	struct sess_odi *e[3];

	(void)state;
	assert_int_equal(sess_odi_init(&t, 2), 0);
	assert_int_equal(sess_odi_alloc(&t, 1, 100, &e[0]), 0);
	assert_int_equal(sess_odi_alloc(&t, 2, 100, &e[1]), 0);
	assert_int_equal(sess_odi_alloc(&t, 3, 100, &e[2]), -EBUSY);
	sess_odi_release(&t, e[0]);
	assert_int_equal(sess_odi_alloc(&t, 3, 100, &e[2]), 0);
	assert_ptr_equal(e[2], e[0]);
	sess_odi_free(&t);
	assert_int_equal(sess_odi_init(&t, 0), -EINVAL);
}

static void test_odi_done_entry_lingers_then_expires(void **state)
{
	struct sess_odi_table t;
	struct sess_odi *e, *f;
	char tok[SESS_ODI_TOKEN_LEN + 1];

	(void)state;
	assert_int_equal(sess_odi_init(&t, 1), 0);
	assert_int_equal(sess_odi_alloc(&t, 7, 100, &e), 0);
	assert_int_equal(sess_odi_token(e, tok, sizeof tok), 0);
	/* Running: never expires, the slot is not reusable. */
	assert_ptr_equal(sess_odi_lookup(&t, tok, 100000), e);
	assert_int_equal(sess_odi_alloc(&t, 8, 100000, &f), -EBUSY);
	sess_odi_finish(e, 200, 32);
	assert_ptr_equal(sess_odi_lookup(&t, tok, 231), e);
	assert_null(sess_odi_lookup(&t, tok, 232));
	assert_int_equal(sess_odi_alloc(&t, 8, 231, &f), -EBUSY);
	/* Expired: the slot is reclaimed, the old token dead. */
	assert_int_equal(sess_odi_alloc(&t, 8, 232, &f), 0);
	assert_false(f->done);
	assert_null(sess_odi_lookup(&t, tok, 232));
	sess_odi_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_odi_token_round_trip),
		cmocka_unit_test(test_odi_lookup_rejects_tampered_token),
		cmocka_unit_test(test_odi_released_token_is_refused),
		cmocka_unit_test(test_odi_table_is_bounded),
		cmocka_unit_test(test_odi_done_entry_lingers_then_expires),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
