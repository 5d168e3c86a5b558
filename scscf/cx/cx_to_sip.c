/*
 * cx_to_sip: the one mapping from a Cx (MAA/SAA) outcome to the SIP
 * response of the REGISTER that caused it.
 *
 * TS 24.229 5.4.1.2.1 / TS 29.228 6.1.2, 6.1.3: an unknown user or
 * identities that do not match are 403 Forbidden; an HSS that does not
 * answer (or cannot) is a server failure the UE may retry: 504 for a
 * timeout, 500 otherwise, with Retry-After.
 */
#include "cx_client.h"

#include <errno.h>

#define CX_RETRY_AFTER 5 /* seconds */

static void set(struct cx_sip_outcome *o, int status, const char *phrase, unsigned retry)
{
	o->status = status;
	o->phrase = phrase;
	o->retry_after = retry;
}

static void map_experimental(uint32_t code, struct cx_sip_outcome *o)
{
	switch (code) {
	case DIA_EXP_FIRST_REGISTRATION:
	case DIA_EXP_SUBSEQUENT_REGISTRATION:
	case DIA_EXP_UNREGISTERED_SERVICE:
	case DIA_EXP_SUCCESS_SERVER_NAME_NOT_STORED:
		set(o, 0, "OK", 0);
		break;
	case DIA_EXP_ERROR_USER_UNKNOWN:
		set(o, 403, "Forbidden - Unknown User", 0);
		break;
	case DIA_EXP_ERROR_IDENTITIES_DONT_MATCH:
		set(o, 403, "Forbidden - Identities Don't Match", 0);
		break;
	case DIA_EXP_ERROR_ROAMING_NOT_ALLOWED:
		set(o, 403, "Forbidden - Roaming Not Allowed", 0);
		break;
	case DIA_EXP_ERROR_AUTH_SCHEME_NOT_SUPPORTED:
		set(o, 403, "Forbidden - Authentication Scheme Not Supported", 0);
		break;
	case DIA_EXP_ERROR_IDENTITY_NOT_REGISTERED:
	case DIA_EXP_ERROR_IN_ASSIGNMENT_TYPE:
		set(o, 403, "Forbidden", 0);
		break;
	case DIA_EXP_ERROR_TOO_MUCH_DATA:
	default:
		set(o, 500, "Server Internal Error", CX_RETRY_AFTER);
		break;
	}
}

static void map_base(uint32_t code, struct cx_sip_outcome *o)
{
	if (code >= 2000 && code < 3000) {
		set(o, 0, "OK", 0);
		return;
	}
	switch (code) {
	case DIA_AUTHENTICATION_REJECTED:
	case DIA_AUTHORIZATION_REJECTED:
		set(o, 403, "Forbidden", 0);
		break;
	case DIA_UNABLE_TO_DELIVER:
	case DIA_REALM_NOT_SERVED:
	case DIA_TOO_BUSY:
		set(o, 504, "Server Time-out", CX_RETRY_AFTER);
		break;
	default:
		set(o, 500, "Server Internal Error", CX_RETRY_AFTER);
		break;
	}
}

void cx_to_sip(int err, struct msg *ans, struct cx_sip_outcome *o)
{
	uint32_t code = 0;
	bool exp = false;

	o->code = 0;
	o->experimental = false;
	if (err == -ETIMEDOUT) {
		set(o, 504, "Server Time-out", CX_RETRY_AFTER);
		return;
	}
	if (err < 0 || !ans) {
		set(o, 500, "Server Internal Error", CX_RETRY_AFTER);
		return;
	}
	if (dia_answer_result(ans, &code, &exp) < 0) {
		set(o, 500, "Server Internal Error", CX_RETRY_AFTER);
		return;
	}
	o->code = code;
	o->experimental = exp;
	if (exp)
		map_experimental(code, o);
	else
		map_base(code, o);
}
