/* S-CSCF selection (scscf_pool.c): capabilities, weights, health, exclusion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "scscf_pool.h"

static void entry(struct scscf_entry *e, const char *name, const uint32_t *mand, size_t nm,
		  const uint32_t *opt, size_t no, unsigned weight)
{
	memset(e, 0, sizeof *e);
	snprintf(e->name, sizeof e->name, "%s", name);
	snprintf(e->next_hop, sizeof e->next_hop, "%s", name);
	if (nm)
		memcpy(e->mand, mand, nm * sizeof *mand);
	e->n_mand = nm;
	if (no)
		memcpy(e->opt, opt, no * sizeof *opt);
	e->n_opt = no;
	e->weight = weight;
	e->healthy = true;
}

/* s1: {1} / s2: {1,2} opt {3} / s3: {} */
static struct scscf_entry three[3];
static struct scscf_pool pool3 = { three, 3 };

static int setup3(void **state)
{
	static const uint32_t m1[] = { 1 }, m2[] = { 1, 2 }, o2[] = { 3 };

	(void)state;
	entry(&three[0], "sip:s1.test:6060", m1, 1, NULL, 0, 1);
	entry(&three[1], "sip:s2.test:6060", m2, 2, o2, 1, 1);
	entry(&three[2], "sip:s3.test:6060", NULL, 0, NULL, 0, 1);
	return 0;
}

static void test_select_requires_all_mandatory(void **state)
{
	struct scscf_caps caps = { .mand = { 1, 2 }, .n_mand = 2 };
	uint32_t r;

	(void)state;
	for (r = 0; r < 20; r++)
		assert_int_equal(scscf_select(&pool3, &caps, NULL, 0, r, NULL), 1);
}

static void test_select_no_candidate_without_mandatory(void **state)
{
	struct scscf_caps caps = { .mand = { 9 }, .n_mand = 1 };
	const char *named = "x";

	(void)state;
	assert_int_equal(scscf_select(&pool3, &caps, NULL, 0, 0, &named), -ENOENT);
	assert_null(named);
}

static void test_select_prefers_most_optional(void **state)
{
	/* Everyone qualifies (no mandatory); s2 offers 3 and 2. */
	struct scscf_caps caps = { .opt = { 3, 2 }, .n_opt = 2 };
	uint32_t r;

	(void)state;
	for (r = 0; r < 20; r++)
		assert_int_equal(scscf_select(&pool3, &caps, NULL, 0, r, NULL), 1);
}

static void test_select_skips_unhealthy_and_excluded(void **state)
{
	struct scscf_caps caps = { .mand = { 1 }, .n_mand = 1 };
	const char *excl[] = { "sip:S1.test:6060" };

	(void)state;
	three[1].healthy = false;
	/* s1 healthy beats s2 unhealthy, whatever rnd. */
	assert_int_equal(scscf_select(&pool3, &caps, NULL, 0, 1, NULL), 0);
	/* s1 excluded (host compared case-insensitively): the unhealthy s2 is
	 * still better than nothing. */
	assert_int_equal(scscf_select(&pool3, &caps, excl, 1, 0, NULL), 1);
	three[1].healthy = true;
}

static void test_select_weights_spread_load(void **state)
{
	struct scscf_entry e[3];
	struct scscf_pool p = { e, 3 };
	struct scscf_caps caps = { 0 };
	unsigned count[3] = { 0 };
	uint32_t r;

	(void)state;
	entry(&e[0], "sip:a.test", NULL, 0, NULL, 0, 1);
	entry(&e[1], "sip:b.test", NULL, 0, NULL, 0, 3);
	entry(&e[2], "sip:c.test", NULL, 0, NULL, 0, 0);
	for (r = 0; r < 400; r++)
		count[scscf_select(&p, &caps, NULL, 0, r, NULL)]++;
	assert_int_equal(count[0], 100);
	assert_int_equal(count[1], 300);
	assert_int_equal(count[2], 0); /* standby */
	/* The standby is used once the others are excluded. */
	{
		const char *excl[] = { "sip:a.test", "sip:b.test:5060" };

		assert_int_equal(scscf_select(&p, &caps, excl, 2, 7, NULL), 2);
	}
}

static void test_select_honours_server_names(void **state)
{
	struct scscf_caps caps = { .mand = { 1 }, .n_mand = 1, .n_names = 2 };
	const char *named = NULL;
	const char *excl[] = { "sip:s3.test:6060" };

	(void)state;
	snprintf(caps.names[0], SCSCF_URI_MAX, "sip:s3.test:6060");
	snprintf(caps.names[1], SCSCF_URI_MAX, "sip:elsewhere.test");
	/* A named server wins even without the capability. */
	assert_int_equal(scscf_select(&pool3, &caps, NULL, 0, 0, NULL), 2);
	/* Named one excluded and the other not in the pool: reported. */
	assert_int_equal(scscf_select(&pool3, &caps, excl, 1, 0, &named), -ENOENT);
	assert_non_null(named);
	assert_string_equal(named, "sip:elsewhere.test");
}

static void test_uri_equal_compares_host_and_port(void **state)
{
	(void)state;
	assert_true(scscf_uri_equal("sip:scscf.test:6060", "<sip:SCSCF.test:6060;lr>"));
	assert_true(scscf_uri_equal("sip:scscf.test", "sip:scscf.test:5060"));
	assert_false(scscf_uri_equal("sip:scscf.test:6060", "sip:scscf.test:6061"));
	assert_false(scscf_uri_equal("sip:scscf.test", "sip:scscf2.test"));
	assert_true(scscf_uri_equal("sip:user@[::1]:6060", "sip:[::1]:6060"));
}

static void test_pool_find_and_health(void **state)
{
	(void)state;
	assert_ptr_equal(scscf_pool_find(&pool3, "sip:s2.test:6060;transport=udp"), &three[1]);
	assert_null(scscf_pool_find(&pool3, "sip:s2.test:6061"));
	scscf_pool_set_health(&pool3, "sip:s2.test:6060", false);
	assert_false(three[1].healthy);
	scscf_pool_set_health(&pool3, "sip:s2.test:6060", true);
	assert_true(three[1].healthy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_select_requires_all_mandatory, setup3),
		cmocka_unit_test_setup(test_select_no_candidate_without_mandatory, setup3),
		cmocka_unit_test_setup(test_select_prefers_most_optional, setup3),
		cmocka_unit_test_setup(test_select_skips_unhealthy_and_excluded, setup3),
		cmocka_unit_test(test_select_weights_spread_load),
		cmocka_unit_test_setup(test_select_honours_server_names, setup3),
		cmocka_unit_test(test_uri_equal_compares_host_and_port),
		cmocka_unit_test_setup(test_pool_find_and_health, setup3),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
