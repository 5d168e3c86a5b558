/* Overload control shared by the CSCFs (ims/admit.h): the bound, the
 * share kept for priority work, the adaptive latency element (step and
 * ramp) and the refusal counter behind the once-a-second summary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ims/admit.h"

/* Requests offered one after the other, each admitted one staying in
 * flight: how many are admitted. */
static unsigned offer(struct admit *a, unsigned n, bool priority)
{
	unsigned ok = 0;

	while (n--)
		if (admit_check(a, priority)) {
			admit_enter(a);
			ok++;
		}
	return ok;
}

static void test_admit_bound_keeps_a_share_for_priority_work(void **state)
{
	struct admit a;

	(void)state;
	admit_init(&a, 8, 75, 300, 0, 4);
	assert_int_equal(offer(&a, 10, false), 6);     /* 3/4 of 8 */
	assert_int_equal(offer(&a, 10, true), 2);      /* up to the bound */
	assert_false(admit_check(&a, true));
	assert_int_equal(admit_take_refused(&a), 4 + 8 + 1);
	assert_int_equal(admit_take_refused(&a), 0);   /* nothing new to log */
	admit_leave(&a);
	assert_true(admit_check(&a, true));
	assert_false(admit_check(&a, false));
}

static void test_admit_leave_never_goes_below_zero(void **state)
{
	struct admit a;

	(void)state;
	admit_init(&a, 2, 100, 300, 0, 0);
	admit_leave(&a);
	assert_int_equal(a.pending, 0);
	assert_int_equal(offer(&a, 3, false), 2);
}

static void test_admit_latency_step_sheds_all_new_work_above_target(void **state)
{
	struct admit a;
	int i;

	(void)state;
	admit_init(&a, 1000, 75, 250, 0, 8);
	for (i = 0; i < 64; i++)
		admit_sample(&a, 1000);
	assert_true(a.latency > 250);
	/* Below the window: admitted anyway, so samples keep coming. */
	assert_int_equal(offer(&a, 8, false), 8);
	assert_int_equal(offer(&a, 10, false), 0);
	assert_int_equal(offer(&a, 10, true), 10);     /* priority: the bound only */
	for (i = 0; i < 64; i++)
		admit_sample(&a, 10);
	assert_int_equal(offer(&a, 10, false), 10);
}

static void test_admit_latency_ramp_sheds_a_growing_share(void **state)
{
	struct admit a;
	unsigned ok;
	int i;

	(void)state;
	admit_init(&a, 100000, 100, 300, 300, 0);
	for (i = 0; i < 200; i++)
		admit_sample(&a, 450);     /* halfway up the ramp */
	assert_in_range(a.latency, 440, 450);
	assert_true(admit_shed_fraction(&a) > 0.45 && admit_shed_fraction(&a) < 0.51);
	ok = offer(&a, 1000, false);
	assert_in_range(ok, 490, 560);
	for (i = 0; i < 200; i++)
		admit_sample(&a, 900);     /* beyond the ramp: everything */
	assert_true(admit_shed_fraction(&a) == 1.0);
	assert_int_equal(offer(&a, 100, false), 0);
	for (i = 0; i < 200; i++)
		admit_sample(&a, 100);     /* recovered */
	assert_true(admit_shed_fraction(&a) == 0.0);
	assert_int_equal(offer(&a, 100, false), 100);
}

static void test_admit_idle_node_never_refuses_on_a_stale_latency(void **state)
{
	struct admit a;
	int i;

	(void)state;
	admit_init(&a, 100, 75, 300, 300, 8);
	for (i = 0; i < 64; i++)
		admit_sample(&a, 5000);
	assert_true(admit_shed_fraction(&a) == 0.0);   /* nothing in flight */
	assert_true(admit_check(&a, false));
}

static void test_admit_tick_lets_work_in_again_when_no_sample_comes(void **state)
{
	struct admit a;
	int i, ticks = 0;

	(void)state;
	admit_init(&a, 100, 75, 300, 300, 8);
	for (i = 0; i < 64; i++)
		admit_sample(&a, 700);
	for (i = 0; i < 20; i++)
		admit_enter(&a);            /* lost downstream: never answered */
	assert_int_equal(offer(&a, 10, false), 0);
	admit_tick(&a);                     /* samples came in this second */
	assert_in_range(a.latency, 600, 700);
	while (!admit_check(&a, false) && ticks < 10) {
		admit_tick(&a);
		ticks++;
	}
	assert_in_range(ticks, 1, 3);
	/* Fresh samples that are still slow shed again at once. */
	for (i = 0; i < 64; i++)
		admit_sample(&a, 700);
	assert_false(admit_check(&a, false));
	admit_tick(&a);
	assert_in_range(a.latency, 600, 700);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_admit_bound_keeps_a_share_for_priority_work),
		cmocka_unit_test(test_admit_leave_never_goes_below_zero),
		cmocka_unit_test(test_admit_latency_step_sheds_all_new_work_above_target),
		cmocka_unit_test(test_admit_latency_ramp_sheds_a_growing_share),
		cmocka_unit_test(test_admit_idle_node_never_refuses_on_a_stale_latency),
		cmocka_unit_test(test_admit_tick_lets_work_in_again_when_no_sample_comes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
