/* Terminating forking of S-CSCF session control: the plan (which contacts,
 * which classes) and the best-response selection (sess_fork.h), and the
 * iFCs compiled once with the profile (reg_profile.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ifc/ifc.h"
#include "registrar/reg_profile.h"
#include "scscf.h"
#include "session/sess_fork.h"

#define C(u, qv, inst) { .uri = (u), .q = (qv), .instance = (inst) }

/* The final status a set of branch outcomes selects (RFC 3261 16.7). */
static int select_of(const int *st, size_t n)
{
	int best = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (sess_fork_better(st[i], best))
			best = st[i];
	return sess_fork_upstream_status(best);
}

static void test_fork_plan_parallel_groups_equal_q_in_one_class(void **state)
{
	const struct registrar_contact c[] = {
		C("sip:a@1", 1000, NULL), C("sip:b@2", 1000, NULL),
		C("sip:c@3", 500, NULL), C("sip:d@4", 500, NULL), C("sip:e@5", 100, NULL),
	};
	size_t idx[SESS_FORK_MAX_BRANCHES];
	unsigned cls[SESS_FORK_MAX_BRANCHES];

	(void)state;
	assert_int_equal(sess_fork_plan(c, 5, SCSCF_FORK_PARALLEL, 8, idx, cls), 5);
	assert_int_equal(cls[0], 0);
	assert_int_equal(cls[1], 0);
	assert_int_equal(cls[2], 1);
	assert_int_equal(cls[3], 1);
	assert_int_equal(cls[4], 2);
	assert_int_equal(idx[4], 4);
}

static void test_fork_plan_sequential_one_contact_per_class(void **state)
{
	const struct registrar_contact c[] = {
		C("sip:a@1", 1000, NULL), C("sip:b@2", 1000, NULL), C("sip:c@3", 500, NULL),
	};
	size_t idx[SESS_FORK_MAX_BRANCHES];
	unsigned cls[SESS_FORK_MAX_BRANCHES];

	(void)state;
	assert_int_equal(sess_fork_plan(c, 3, SCSCF_FORK_SEQUENTIAL, 8, idx, cls), 3);
	assert_int_equal(cls[0], 0);
	assert_int_equal(cls[1], 1);
	assert_int_equal(cls[2], 2);
}

static void test_fork_plan_highest_q_takes_only_the_best(void **state)
{
	const struct registrar_contact c[] = {
		C("sip:a@1", 1000, NULL), C("sip:b@2", 1000, NULL),
	};
	size_t idx[SESS_FORK_MAX_BRANCHES];
	unsigned cls[SESS_FORK_MAX_BRANCHES];

	(void)state;
	assert_int_equal(sess_fork_plan(c, 2, SCSCF_FORK_HIGHEST_Q, 8, idx, cls), 1);
	assert_int_equal(idx[0], 0);
}

static void test_fork_plan_one_branch_per_instance_and_bounded(void **state)
{
	const struct registrar_contact c[] = {
		C("sip:a@1", 1000, "<urn:uuid:1>"), C("sip:a@2", 1000, "<urn:uuid:1>"),
		C("sip:b@3", 1000, "<urn:uuid:2>"), C("sip:c@4", 1000, NULL),
		C("sip:d@5", 1000, NULL),
	};
	size_t idx[SESS_FORK_MAX_BRANCHES];
	unsigned cls[SESS_FORK_MAX_BRANCHES];

	(void)state;
	/* RFC 5626 5.3: the second flow of instance 1 is no target. */
	assert_int_equal(sess_fork_plan(c, 5, SCSCF_FORK_PARALLEL, 8, idx, cls), 4);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 2);
	assert_int_equal(idx[2], 3);
	/* max_branches bounds the targets; an over-large max is capped. */
	assert_int_equal(sess_fork_plan(c, 5, SCSCF_FORK_PARALLEL, 2, idx, cls), 2);
	assert_int_equal(sess_fork_plan(c, 0, SCSCF_FORK_PARALLEL, 1000, idx, cls), 0);
}

static void test_fork_select_486_and_timeout_gives_486(void **state)
{
	const int st[] = { 408, 486 };

	(void)state;
	assert_int_equal(select_of(st, 2), 486);
}

static void test_fork_select_all_busy_gives_486(void **state)
{
	const int st[] = { 486, 486, 486 };

	(void)state;
	assert_int_equal(select_of(st, 3), 486);
}

static void test_fork_select_6xx_beats_everything(void **state)
{
	const int st[] = { 486, 603, 302, 500 };

	(void)state;
	assert_int_equal(select_of(st, 4), 603);
}

static void test_fork_select_lowest_class_wins(void **state)
{
	const int st1[] = { 500, 404 }, st2[] = { 404, 302 }, st3[] = { 503, 488 };

	(void)state;
	assert_int_equal(select_of(st1, 2), 404);
	assert_int_equal(select_of(st2, 2), 302);
	assert_int_equal(select_of(st3, 2), 488);
}

static void test_fork_select_prefers_resubmittable_4xx(void **state)
{
	const int st[] = { 486, 407, 480 };

	(void)state;
	assert_int_equal(select_of(st, 3), 407);
	assert_true(sess_fork_better(486, 480));
	assert_true(sess_fork_better(480, 408));
	assert_false(sess_fork_better(408, 486));
}

static void test_fork_select_503_goes_up_as_500(void **state)
{
	const int st[] = { 503, 503 };

	(void)state;
	assert_int_equal(select_of(st, 2), 500);
	assert_int_equal(sess_fork_upstream_status(486), 486);
}

static void test_fork_select_ignores_non_final_and_garbage(void **state)
{
	(void)state;
	assert_false(sess_fork_better(180, 0));
	assert_false(sess_fork_better(200, 0));
	assert_false(sess_fork_better(700, 0));
	assert_false(sess_fork_better(-1, 0));
	assert_true(sess_fork_better(699, 0));
	assert_false(sess_fork_better(999, 486));
}

static const char profile_xml[] =
	"<?xml version=\"1.0\"?><IMSSubscription><PrivateID>dave@open-ims.test</PrivateID>"
	"<ServiceProfile><PublicIdentity><Identity>sip:dave@open-ims.test</Identity>"
	"</PublicIdentity>"
	"<InitialFilterCriteria><Priority>1</Priority><TriggerPoint>"
	"<ConditionTypeCNF>0</ConditionTypeCNF><SPT><ConditionNegated>0</ConditionNegated>"
	"<Group>0</Group><Method>MESSAGE</Method></SPT></TriggerPoint>"
	"<ApplicationServer><ServerName>sip:as.open-ims.test</ServerName>"
	"<DefaultHandling>0</DefaultHandling></ApplicationServer></InitialFilterCriteria>"
	"<InitialFilterCriteria><Priority>2</Priority>"
	"<ApplicationServer><ServerName>sip:as2.open-ims.test</ServerName>"
	"</ApplicationServer></InitialFilterCriteria>"
	"</ServiceProfile>"
	"<ServiceProfile><PublicIdentity><Identity>sip:dave2@open-ims.test</Identity>"
	"</PublicIdentity></ServiceProfile>"
	"</IMSSubscription>";

static void test_profile_compiles_ifcs_once_at_parse(void **state)
{
	struct reg_profile *p = NULL;

	(void)state;
	assert_int_equal(reg_profile_parse(profile_xml, strlen(profile_xml), &p), 0);
	assert_int_equal(p->n_profiles, 2);
	assert_non_null(p->ifc);
	assert_non_null(p->ifc[0]);
	assert_int_equal(ifc_profile_count(p->ifc[0]), 2);
	assert_string_equal(ifc_profile_at(p->ifc[0], 1)->as.server_name, "sip:as2.open-ims.test");
	assert_null(p->ifc[1]); /* no iFC in the second ServiceProfile */
	reg_profile_free(p);
}

static void test_profile_with_unusable_ifcs_still_parses(void **state)
{
	static const char xml[] =
		"<IMSSubscription><PrivateID>x@open-ims.test</PrivateID><ServiceProfile>"
		"<PublicIdentity><Identity>sip:x@open-ims.test</Identity></PublicIdentity>"
		"<InitialFilterCriteria><Priority>one</Priority></InitialFilterCriteria>"
		"</ServiceProfile></IMSSubscription>";
	struct reg_profile *p = NULL;

	(void)state;
	assert_int_equal(reg_profile_parse(xml, strlen(xml), &p), 0);
	assert_non_null(p->ifc_xml[0]);
	assert_null(p->ifc[0]);
	reg_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_plan_parallel_groups_equal_q_in_one_class),
		cmocka_unit_test(test_fork_plan_sequential_one_contact_per_class),
		cmocka_unit_test(test_fork_plan_highest_q_takes_only_the_best),
		cmocka_unit_test(test_fork_plan_one_branch_per_instance_and_bounded),
		cmocka_unit_test(test_fork_select_486_and_timeout_gives_486),
		cmocka_unit_test(test_fork_select_all_busy_gives_486),
		cmocka_unit_test(test_fork_select_6xx_beats_everything),
		cmocka_unit_test(test_fork_select_lowest_class_wins),
		cmocka_unit_test(test_fork_select_prefers_resubmittable_4xx),
		cmocka_unit_test(test_fork_select_503_goes_up_as_500),
		cmocka_unit_test(test_fork_select_ignores_non_final_and_garbage),
		cmocka_unit_test(test_profile_compiles_ifcs_once_at_parse),
		cmocka_unit_test(test_profile_with_unusable_ifcs_still_parses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
