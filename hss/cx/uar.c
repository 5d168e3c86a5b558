/*
 * uar: User-Authorization-Request from the I-CSCF (TS 29.228 6.1.1,
 * detailed behaviour 6.1.1.1; TS 29.229 6.1.1/6.1.2).
 */
#include "cx/cx.h"

#include <errno.h>
#include <string.h>

#include "ims/diameter.h"
#include "ims/log.h"

struct uar_req {
	char impi[STORE_IDENTITY_MAX];
	char impu[STORE_IDENTITY_MAX];
	char visited[STORE_IDENTITY_MAX];
	uint32_t auth_type;
};

static const char *uat_name(uint32_t t)
{
	switch (t) {
	case CX_UAT_REGISTRATION: return "REGISTRATION";
	case CX_UAT_DE_REGISTRATION: return "DE_REGISTRATION";
	case CX_UAT_REGISTRATION_AND_CAPABILITIES: return "REGISTRATION_AND_CAPABILITIES";
	default: return "?";
	}
}

/* 6.1.1.1 step 4: the answer follows the registration state. */
static struct cx_result uar_by_state(const struct uar_req *rq, const struct store_impu *pu,
				     const struct store_caps *caps, struct msg *ans, int *err)
{
	bool assigned = pu->scscf_name[0] != '\0';

	if (rq->auth_type == CX_UAT_DE_REGISTRATION) {
		/* Registered or unregistered (an S-CSCF serves it): DIAMETER_SUCCESS
		 * and its name; else IDENTITY_NOT_REGISTERED. */
		if (pu->reg_state != STORE_NOT_REGISTERED && assigned) {
			*err = dia_add_utf8(ans, CX_AVP_SERVER_NAME, pu->scscf_name);
			return CX_BASE(DIA_SUCCESS);
		}
		return CX_EXP(DIA_EXP_ERROR_IDENTITY_NOT_REGISTERED);
	}
	if (rq->auth_type == CX_UAT_REGISTRATION_AND_CAPABILITIES) {
		/* The I-CSCF asks for a new S-CSCF selection: capabilities and
		 * DIAMETER_SUCCESS, no Server-Name. */
		*err = cx_add_caps(ans, caps);
		return CX_BASE(DIA_SUCCESS);
	}
	/* REGISTRATION: an S-CSCF name stored (registered, unregistered, or kept
	 * from a de-registration / a MAR while not registered) means a
	 * subsequent registration to that S-CSCF. */
	if (assigned) {
		*err = dia_add_utf8(ans, CX_AVP_SERVER_NAME, pu->scscf_name);
		return CX_EXP(DIA_EXP_SUBSEQUENT_REGISTRATION);
	}
	*err = cx_add_caps(ans, caps);
	return CX_EXP(DIA_EXP_FIRST_REGISTRATION);
}

int cx_uar(void *ctx, struct msg *req, struct msg *ans)
{
	struct cx_server *srv = ctx;
	struct uar_req rq = { .auth_type = CX_UAT_REGISTRATION };
	struct store_caps caps = { 0 };
	struct store_impu pu;
	struct store *st;
	struct cx_result r;
	char rs[24];
	int ret = 0, err = 0;

	if (cx_get_str(req, DIA_AVP_USER_NAME, rq.impi, sizeof rq.impi) != 0)
		return cx_missing_avp(ans, DIA_AVP_USER_NAME);
	if (cx_get_str(req, CX_AVP_PUBLIC_IDENTITY, rq.impu, sizeof rq.impu) != 0)
		return cx_missing_avp(ans, CX_AVP_PUBLIC_IDENTITY);
	if (cx_get_str(req, CX_AVP_VISITED_NETWORK_IDENTIFIER, rq.visited, sizeof rq.visited) != 0)
		return cx_missing_avp(ans, CX_AVP_VISITED_NETWORK_IDENTIFIER);
	(void)dia_find_u32(req, CX_AVP_USER_AUTHORIZATION_TYPE, &rq.auth_type);
	if (rq.auth_type > CX_UAT_REGISTRATION_AND_CAPABILITIES) {
		r = CX_BASE(DIA_INVALID_AVP_VALUE);
		goto out;
	}

	st = cx_store(srv);
	if (!st) {
		r = CX_BASE(DIA_UNABLE_TO_COMPLY);
		goto out;
	}
	/* Steps 1-2: both identities known, and associated; the capabilities
	 * of step 4 come along when no S-CSCF name is stored (or asked for). */
	ret = store_impu_get_caps(st, rq.impu, rq.impi,
				  rq.auth_type == CX_UAT_REGISTRATION_AND_CAPABILITIES, &pu, &caps);
	if (ret != 0) {
		r = cx_result_of_store(ret, "UAR");
		goto out;
	}
	/* Step 3: roaming and barring are not checked for de-registration. */
	if (rq.auth_type != CX_UAT_DE_REGISTRATION) {
		if (!cx_is_home_network(srv, rq.visited)) {
			ret = store_visited_network_allowed(st, rq.impi, rq.visited);
			if (ret == -EACCES) {
				r = CX_EXP(DIA_EXP_ERROR_ROAMING_NOT_ALLOWED);
				goto out;
			}
			if (ret != 0) {
				r = cx_result_of_store(ret, "UAR");
				goto out;
			}
		}
		if (pu.barred || !pu.can_register) {
			r = CX_BASE(DIA_AUTHORIZATION_REJECTED);
			goto out;
		}
	}
	r = uar_by_state(&rq, &pu, &caps, ans, &err);
	if (err != 0) {
		log_err("UAR: building the answer failed: %s", strerror(-err));
		r = CX_BASE(DIA_UNABLE_TO_COMPLY);
	}
out:
	store_caps_free(&caps);
	ims_log(cx_log_level(r), "UAR impi=%s impu=%s visited=%s type=%s -> %s", rq.impi,
		rq.impu, rq.visited, uat_name(rq.auth_type), cx_result_str(r, rs));
	return cx_result_set(ans, r);
}
