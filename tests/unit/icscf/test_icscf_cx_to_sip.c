/* The Diameter -> SIP status map (cx_to_sip.c), TS 24.229 5.3.1.2/5.3.2.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>

#include <cmocka.h>

#include "icscf_cx.h"

static int map(enum icscf_cx_proc proc, bool exp, uint32_t code)
{
	struct icscf_cx_answer a = { .has_code = true, .experimental = exp, .code = code };
	const char *phrase = NULL;
	int st = icscf_cx_to_sip(proc, &a, &phrase);

	assert_non_null(phrase);
	return st;
}

static void test_uar_success_codes_go_on(void **state)
{
	(void)state;
	assert_int_equal(map(ICSCF_CX_UAR, true, DIA_EXP_FIRST_REGISTRATION), 0);
	assert_int_equal(map(ICSCF_CX_UAR, true, DIA_EXP_SUBSEQUENT_REGISTRATION), 0);
	assert_int_equal(map(ICSCF_CX_UAR, false, DIA_SUCCESS), 0);
	/* 2003 is a location answer, not a registration one. */
	assert_int_not_equal(map(ICSCF_CX_UAR, true, DIA_EXP_UNREGISTERED_SERVICE), 0);
}

static void test_uar_negative_answers_are_forbidden(void **state)
{
	(void)state;
	assert_int_equal(map(ICSCF_CX_UAR, true, DIA_EXP_ERROR_USER_UNKNOWN), 403);
	assert_int_equal(map(ICSCF_CX_UAR, true, DIA_EXP_ERROR_IDENTITIES_DONT_MATCH), 403);
	assert_int_equal(map(ICSCF_CX_UAR, true, DIA_EXP_ERROR_ROAMING_NOT_ALLOWED), 403);
	assert_int_equal(map(ICSCF_CX_UAR, false, DIA_AUTHORIZATION_REJECTED), 403);
}

static void test_uar_incomplete_query_is_480(void **state)
{
	struct icscf_cx_answer timeout = { .err = -ETIMEDOUT };
	struct icscf_cx_answer nocode = { 0 };
	const char *phrase;

	(void)state;
	assert_int_equal(icscf_cx_to_sip(ICSCF_CX_UAR, &timeout, &phrase), 480);
	assert_int_equal(icscf_cx_to_sip(ICSCF_CX_UAR, &nocode, &phrase), 480);
	assert_int_equal(map(ICSCF_CX_UAR, false, DIA_TOO_BUSY), 480);
	assert_int_equal(map(ICSCF_CX_UAR, false, DIA_UNABLE_TO_COMPLY), 480);
	/* Base 5001 (AVP unsupported) is not experimental 5001 (user unknown). */
	assert_int_equal(map(ICSCF_CX_UAR, false, DIA_AVP_UNSUPPORTED), 480);
}

static void test_lir_outcomes(void **state)
{
	struct icscf_cx_answer timeout = { .err = -ETIMEDOUT };
	const char *phrase;

	(void)state;
	assert_int_equal(map(ICSCF_CX_LIR, false, DIA_SUCCESS), 0);
	assert_int_equal(map(ICSCF_CX_LIR, true, DIA_EXP_UNREGISTERED_SERVICE), 0);
	assert_int_equal(map(ICSCF_CX_LIR, true, DIA_EXP_ERROR_USER_UNKNOWN), 404);
	assert_int_equal(map(ICSCF_CX_LIR, true, DIA_EXP_ERROR_IDENTITY_NOT_REGISTERED), 480);
	assert_int_equal(icscf_cx_to_sip(ICSCF_CX_LIR, &timeout, &phrase), 480);
	assert_int_equal(map(ICSCF_CX_LIR, true, DIA_EXP_FIRST_REGISTRATION), 480);
}

/* Retry-After only when asking the HSS again later may help. */
static void test_retry_later_only_when_query_incomplete(void **state)
{
	struct icscf_cx_answer none = { .err = -ETIMEDOUT };
	struct icscf_cx_answer busy = { .has_code = true, .code = DIA_UNABLE_TO_COMPLY };
	struct icscf_cx_answer notreg = { .has_code = true, .experimental = true,
					  .code = DIA_EXP_ERROR_IDENTITY_NOT_REGISTERED };
	struct icscf_cx_answer unknown = { .has_code = true, .experimental = true,
					   .code = DIA_EXP_ERROR_USER_UNKNOWN };
	struct icscf_cx_answer okay = { .has_code = true, .code = DIA_SUCCESS };

	(void)state;
	assert_true(icscf_cx_retry_later(ICSCF_CX_UAR, &none));
	assert_true(icscf_cx_retry_later(ICSCF_CX_LIR, &none));
	assert_true(icscf_cx_retry_later(ICSCF_CX_UAR, &busy));
	assert_true(icscf_cx_retry_later(ICSCF_CX_LIR, &busy));
	/* 480 for a user not registered: final, no Retry-After. */
	assert_false(icscf_cx_retry_later(ICSCF_CX_LIR, &notreg));
	assert_false(icscf_cx_retry_later(ICSCF_CX_UAR, &unknown));
	assert_false(icscf_cx_retry_later(ICSCF_CX_LIR, &unknown));
	assert_false(icscf_cx_retry_later(ICSCF_CX_UAR, &okay));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uar_success_codes_go_on),
		cmocka_unit_test(test_uar_negative_answers_are_forbidden),
		cmocka_unit_test(test_uar_incomplete_query_is_480),
		cmocka_unit_test(test_lir_outcomes),
		cmocka_unit_test(test_retry_later_only_when_query_incomplete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
