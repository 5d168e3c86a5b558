/*
 * The one map from a Cx outcome (UAA/LIA, or no answer) to the SIP status
 * the I-CSCF sends back.
 *
 * UAR (TS 24.229 5.3.1.2, TS 29.228 6.1.1): a negative answer (user unknown,
 * identities don't match, roaming not allowed, authorization rejected) is
 * 403 Forbidden; a query that cannot be completed (no answer in time, HSS
 * busy or unable to comply, answer without result) is 480 Temporarily
 * Unavailable.
 * LIR (TS 24.229 5.3.2.1, TS 29.228 6.1.4): user unknown and other negative
 * answers are 404 Not Found; identity not registered (no unregistered
 * services) is 480; a query that cannot be completed is 480 as well.
 */
#include "icscf_cx.h"

struct cx_map {
	enum icscf_cx_proc proc;
	bool experimental;
	uint32_t code;
	int status;                  /* 0 = go on */
	const char *phrase;
};

static const struct cx_map map[] = {
	/* UAR */
	{ ICSCF_CX_UAR, false, DIA_SUCCESS, 0, NULL },
	{ ICSCF_CX_UAR, true, DIA_EXP_FIRST_REGISTRATION, 0, NULL },
	{ ICSCF_CX_UAR, true, DIA_EXP_SUBSEQUENT_REGISTRATION, 0, NULL },
	{ ICSCF_CX_UAR, true, DIA_EXP_ERROR_USER_UNKNOWN, 403, "Forbidden (unknown user)" },
	{ ICSCF_CX_UAR, true, DIA_EXP_ERROR_IDENTITIES_DONT_MATCH, 403,
	  "Forbidden (identities don't match)" },
	{ ICSCF_CX_UAR, true, DIA_EXP_ERROR_ROAMING_NOT_ALLOWED, 403,
	  "Forbidden (roaming not allowed)" },
	{ ICSCF_CX_UAR, true, DIA_EXP_ERROR_IDENTITY_NOT_REGISTERED, 403,
	  "Forbidden (not registered)" },
	{ ICSCF_CX_UAR, false, DIA_AUTHORIZATION_REJECTED, 403, "Forbidden (not authorized)" },
	{ ICSCF_CX_UAR, false, DIA_AUTHENTICATION_REJECTED, 403, "Forbidden" },
	/* LIR */
	{ ICSCF_CX_LIR, false, DIA_SUCCESS, 0, NULL },
	{ ICSCF_CX_LIR, true, DIA_EXP_UNREGISTERED_SERVICE, 0, NULL },
	{ ICSCF_CX_LIR, true, DIA_EXP_ERROR_USER_UNKNOWN, 404, "Not Found" },
	{ ICSCF_CX_LIR, true, DIA_EXP_ERROR_IDENTITY_NOT_REGISTERED, 480,
	  "Temporarily Unavailable" },
	{ ICSCF_CX_LIR, false, DIA_AUTHORIZATION_REJECTED, 404, "Not Found" },
};

int icscf_cx_to_sip(enum icscf_cx_proc proc, const struct icscf_cx_answer *a,
		    const char **phrase)
{
	size_t i;

	*phrase = "Temporarily Unavailable";
	if (a->err || !a->has_code)
		return 480;
	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (map[i].proc == proc && map[i].experimental == a->experimental &&
		    map[i].code == a->code) {
			if (map[i].phrase)
				*phrase = map[i].phrase;
			return map[i].status;
		}
	}
	/* Unlisted permanent failures of a location query: the user cannot be
	 * found; anything else (3xxx, 5012, unknown codes): not completed. */
	if (proc == ICSCF_CX_LIR && a->experimental && a->code >= 5000) {
		*phrase = "Not Found";
		return 404;
	}
	if (proc == ICSCF_CX_UAR && a->experimental && a->code >= 5000) {
		*phrase = "Forbidden";
		return 403;
	}
	return 480;
}

bool icscf_cx_retry_later(enum icscf_cx_proc proc, const struct icscf_cx_answer *a)
{
	const char *phrase;

	if (icscf_cx_to_sip(proc, a, &phrase) != 480)
		return false;
	/* LIR 5003: the user is not registered, asking again will not help. */
	return a->err || !a->has_code || !a->experimental ||
	       a->code != DIA_EXP_ERROR_IDENTITY_NOT_REGISTERED;
}
