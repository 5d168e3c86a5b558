/* Caller preferences and outbound flows of the S-CSCF terminating fork
 * (sess_fork.h): Request-Disposition parsing (RFC 3841 9.1) and the fork
 * mode it gives, the backup flows of an instance and when they are used
 * (RFC 5626 5.3), and 430 going upstream as 480. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <sofia-sip/msg.h>

#include "ims/sip.h"
#include "scscf.h"
#include "session/sess_fork.h"

#define C(u, qv, inst) { .uri = (u), .q = (qv), .instance = (inst) }

/* d from the Request-Disposition lines of an INVITE ("" for none). */
static void parse(const char *lines, struct sess_disposition *d)
{
	char buf[1024];
	msg_t *msg = NULL;
	int n = snprintf(buf, sizeof buf,
			 "INVITE sip:bob@open-ims.test SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\n"
			 "From: <sip:alice@open-ims.test>;tag=1\r\nTo: <sip:bob@open-ims.test>\r\n"
			 "Call-ID: rd@test\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
			 "%sContent-Length: 0\r\n\r\n", lines);

	assert_true(n > 0 && (size_t)n < sizeof buf);
	assert_int_equal(sip_msg_parse(buf, (size_t)n, &msg), 0);
	sess_disposition_read(sip_object(msg), d);
	msg_destroy(msg);
}

static void test_disposition_absent_keeps_the_defaults(void **state)
{
	struct sess_disposition d;

	(void)state;
	parse("", &d);
	assert_false(d.redirect);
	assert_false(d.no_cancel);
	assert_false(d.no_fork);
	assert_int_equal(d.recurse, -1);
	assert_int_equal(d.order, -1);
	assert_int_equal(sess_disposition_mode(&d, SCSCF_FORK_PARALLEL), SCSCF_FORK_PARALLEL);
	assert_int_equal(sess_disposition_mode(&d, SCSCF_FORK_SEQUENTIAL), SCSCF_FORK_SEQUENTIAL);
}

static void test_disposition_reads_every_directive_any_case_and_compact_form(void **state)
{
	struct sess_disposition d;

	(void)state;
	parse("Request-Disposition: redirect, NO-Cancel, no-fork\r\n"
	      "d: recurse , sequential,queue\r\n", &d);
	assert_true(d.redirect);
	assert_true(d.no_cancel);
	assert_true(d.no_fork);
	assert_int_equal(d.recurse, 1);
	assert_int_equal(d.order, SCSCF_FORK_SEQUENTIAL);
	assert_true(d.queue);
	assert_int_equal(d.unknown, 0);
}

static void test_disposition_later_directive_wins_and_unknown_ones_are_ignored(void **state)
{
	struct sess_disposition d;

	(void)state;
	parse("Request-Disposition: no-fork, fork, sequential, parallel, no-recurse, "
	      "fly-to-the-moon, proxy\r\n", &d);
	assert_false(d.no_fork);
	assert_false(d.redirect);
	assert_int_equal(d.order, SCSCF_FORK_PARALLEL);
	assert_int_equal(d.recurse, 0);
	assert_int_equal(d.unknown, 1);
}

static void test_disposition_mode_no_fork_and_order(void **state)
{
	struct sess_disposition d;

	(void)state;
	sess_disposition_init(&d);
	sess_disposition_add(&d, "no-fork");
	assert_int_equal(sess_disposition_mode(&d, SCSCF_FORK_PARALLEL), SCSCF_FORK_HIGHEST_Q);
	sess_disposition_init(&d);
	sess_disposition_add(&d, "sequential");
	assert_int_equal(sess_disposition_mode(&d, SCSCF_FORK_PARALLEL), SCSCF_FORK_SEQUENTIAL);
	/* The caller cannot make an S-CSCF configured not to fork fork. */
	sess_disposition_add(&d, "parallel");
	assert_int_equal(sess_disposition_mode(&d, SCSCF_FORK_HIGHEST_Q), SCSCF_FORK_HIGHEST_Q);
	assert_int_equal(sess_disposition_mode(&d, SCSCF_FORK_SEQUENTIAL), SCSCF_FORK_PARALLEL);
}

static void test_fork_backups_are_the_other_flows_of_a_target_instance(void **state)
{
	const struct registrar_contact c[] = {
		C("sip:a@1", 1000, "<urn:uuid:1>"), C("sip:b@2", 1000, "<urn:uuid:2>"),
		C("sip:a@3", 900, "<urn:uuid:1>"), C("sip:c@4", 800, NULL),
		C("sip:a@5", 500, "<urn:uuid:1>"), C("sip:x@6", 100, "<urn:uuid:9>"),
	};
	size_t idx[SESS_FORK_MAX_BRANCHES], bidx[SESS_FORK_MAX_BRANCHES], of[SESS_FORK_MAX_BRANCHES];
	unsigned cls[SESS_FORK_MAX_BRANCHES];
	size_t k;

	(void)state;
	/* Two branches at most: a@1 and b@2; x@6 (its own instance, not a
	 * target) backs nothing up. */
	k = sess_fork_plan(c, 6, SCSCF_FORK_PARALLEL, 2, idx, cls);
	assert_int_equal(k, 2);
	assert_int_equal(sess_fork_backups(c, 6, idx, k, 8, bidx, of), 2);
	assert_int_equal(bidx[0], 2);
	assert_int_equal(of[0], 0);
	assert_int_equal(bidx[1], 4);
	assert_int_equal(of[1], 0);
	/* Bounded by the room left. */
	assert_int_equal(sess_fork_backups(c, 6, idx, k, 1, bidx, of), 1);
	/* No instance, no backup. */
	k = sess_fork_plan(&c[3], 1, SCSCF_FORK_PARALLEL, 8, idx, cls);
	assert_int_equal(sess_fork_backups(&c[3], 1, idx, k, 8, bidx, of), 0);
}

static void test_fork_next_flow_only_after_430_or_408(void **state)
{
	(void)state;
	assert_true(sess_fork_flow_failed(430));
	assert_true(sess_fork_flow_failed(408));
	/* RFC 5626 5.3: any other final response is the instance's answer. */
	assert_false(sess_fork_flow_failed(486));
	assert_false(sess_fork_flow_failed(480));
	assert_false(sess_fork_flow_failed(503));
	assert_false(sess_fork_flow_failed(603));
}

static void test_fork_430_goes_upstream_as_480(void **state)
{
	(void)state;
	assert_int_equal(sess_fork_upstream_status(430), 480);
	/* A busy instance says more than a dead flow of another. */
	assert_true(sess_fork_better(486, 430));
	assert_true(sess_fork_better(430, 408));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disposition_absent_keeps_the_defaults),
		cmocka_unit_test(test_disposition_reads_every_directive_any_case_and_compact_form),
		cmocka_unit_test(test_disposition_later_directive_wins_and_unknown_ones_are_ignored),
		cmocka_unit_test(test_disposition_mode_no_fork_and_order),
		cmocka_unit_test(test_fork_backups_are_the_other_flows_of_a_target_instance),
		cmocka_unit_test(test_fork_next_flow_only_after_430_or_408),
		cmocka_unit_test(test_fork_430_goes_upstream_as_480),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
