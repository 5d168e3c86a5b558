/* The P-CSCF per-source rate limiter (pcscf/ratelimit.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "ratelimit.h"

static void test_rl_refuses_over_burst_then_refills(void **state)
{
	struct rl_table *t;
	int ok = 0;

	(void)state;
	assert_int_equal(rl_create(8, 10, 5, &t), 0);
	for (int i = 0; i < 20; i++)
		ok += rl_allow(t, "192.0.2.1", 1000);
	assert_int_equal(ok, 5);               /* the burst, no more */
	assert_int_equal(rl_refused(t), 15);
	assert_false(rl_allow(t, "192.0.2.1", 1050)); /* 0.5 token back: not enough */
	assert_true(rl_allow(t, "192.0.2.1", 1100));  /* 100 ms at 10/s = 1 token */
	assert_false(rl_allow(t, "192.0.2.1", 1100));
	/* a long pause refills up to the burst only */
	ok = 0;
	for (int i = 0; i < 20; i++)
		ok += rl_allow(t, "192.0.2.1", 100000);
	assert_int_equal(ok, 5);
	rl_destroy(t);
}

static void test_rl_flood_from_one_source_spares_another(void **state)
{
	struct rl_table *t;

	(void)state;
	assert_int_equal(rl_create(8, 1, 2, &t), 0);
	for (int i = 0; i < 100; i++)
		rl_allow(t, "10.0.0.66", 5000);
	assert_true(rl_allow(t, "10.0.0.2", 5000));
	assert_true(rl_allow(t, "2001:db8::2", 5000));
	assert_false(rl_allow(t, "10.0.0.66", 5000));
	rl_destroy(t);
}

static void test_rl_table_is_bounded_and_forgets_least_recent(void **state)
{
	struct rl_table *t;
	char ip[32];

	(void)state;
	assert_int_equal(rl_create(4, 1, 1, &t), 0);
	assert_true(rl_allow(t, "10.0.0.1", 0));
	assert_false(rl_allow(t, "10.0.0.1", 0));   /* empty bucket */
	for (int i = 2; i <= 1000; i++) {
		snprintf(ip, sizeof ip, "10.0.%d.%d", i / 256, i % 256);
		assert_true(rl_allow(t, ip, 0));
	}
	assert_int_equal(rl_sources(t), 4);
	/* 10.0.0.1 was evicted long ago: it starts with a full bucket again */
	assert_true(rl_allow(t, "10.0.0.1", 0));
	/* the most recent ones are still tracked (empty buckets) */
	assert_false(rl_allow(t, "10.0.3.232", 0));
	assert_false(rl_allow(t, "10.0.3.231", 0));
	rl_destroy(t);
}

static void test_rl_create_rejects_bad_parameters(void **state)
{
	struct rl_table *t = NULL;

	(void)state;
	assert_int_equal(rl_create(0, 1, 1, &t), -EINVAL);
	assert_int_equal(rl_create(4, 0, 1, &t), -EINVAL);
	assert_int_equal(rl_create(4, 1, 0.5, &t), -EINVAL);
	assert_null(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rl_refuses_over_burst_then_refills),
		cmocka_unit_test(test_rl_flood_from_one_source_spares_another),
		cmocka_unit_test(test_rl_table_is_bounded_and_forgets_least_recent),
		cmocka_unit_test(test_rl_create_rejects_bad_parameters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
