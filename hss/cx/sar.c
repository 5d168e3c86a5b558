/*
 * sar: Server-Assignment-Request from the S-CSCF (TS 29.228 6.1.2,
 * detailed behaviour 6.1.2.1 and table 6.1.2.1; TS 29.229 6.1.3/6.1.4).
 */
#include "cx/cx.h"
#include "cx/auth_cache.h"
#include "sh/sh.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ims/diameter.h"
#include "ims/log.h"
#include "ims/sh.h"

struct sar_req {
	char impi[STORE_IDENTITY_MAX];   /* "" when absent */
	char impu[STORE_IDENTITY_MAX];
	char server[STORE_IDENTITY_MAX];
	uint32_t type;
	uint32_t data_available;
};

/* What a Server-Assignment-Type does (table 6.1.2.1). */
struct sar_action {
	bool set_state;              /* change the registration state */
	enum store_reg_state state;
	bool keep_name;              /* keep (true) or clear the S-CSCF name */
	bool user_data;              /* answer carries User-Data */
};

static const char *const sat_names[] = {
	"NO_ASSIGNMENT", "REGISTRATION", "RE_REGISTRATION", "UNREGISTERED_USER",
	"TIMEOUT_DEREGISTRATION", "USER_DEREGISTRATION",
	"TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME", "USER_DEREGISTRATION_STORE_SERVER_NAME",
	"ADMINISTRATIVE_DEREGISTRATION", "AUTHENTICATION_FAILURE", "AUTHENTICATION_TIMEOUT",
	"DEREGISTRATION_TOO_MUCH_DATA", "AAA_USER_DATA_REQUEST", "PGW_UPDATE", "RESTORATION",
};

static const char *sat_name(uint32_t t)
{
	return t < sizeof sat_names / sizeof sat_names[0] ? sat_names[t] : "?";
}

/* Returns false for types this HSS does not handle. */
static bool sar_action_of(uint32_t type, const struct store_impu *pu, struct sar_action *a)
{
	*a = (struct sar_action){ .keep_name = true };
	switch (type) {
	case CX_SAT_REGISTRATION:
	case CX_SAT_RE_REGISTRATION:
		*a = (struct sar_action){ true, STORE_REGISTERED, true, true };
		return true;
	case CX_SAT_UNREGISTERED_USER:
		/* A registered user stays registered (its S-CSCF serves it). */
		*a = (struct sar_action){ pu->reg_state != STORE_REGISTERED, STORE_UNREGISTERED,
					  true, true };
		return true;
	case CX_SAT_TIMEOUT_DEREGISTRATION:
	case CX_SAT_USER_DEREGISTRATION:
	case CX_SAT_ADMINISTRATIVE_DEREGISTRATION:
	case CX_SAT_DEREGISTRATION_TOO_MUCH_DATA:
		*a = (struct sar_action){ true, STORE_NOT_REGISTERED, false, false };
		return true;
	case CX_SAT_TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME:
	case CX_SAT_USER_DEREGISTRATION_STORE_SERVER_NAME:
		*a = (struct sar_action){ true, STORE_NOT_REGISTERED, true, false };
		return true;
	case CX_SAT_AUTHENTICATION_FAILURE:
	case CX_SAT_AUTHENTICATION_TIMEOUT:
		/* Not registered: drop the name the MAR stored; registered: keep
		 * state and name. */
		if (pu->reg_state == STORE_NOT_REGISTERED)
			*a = (struct sar_action){ true, STORE_NOT_REGISTERED, false, false };
		return true;
	case CX_SAT_NO_ASSIGNMENT:
		a->user_data = true;
		return true;
	default:
		return false;
	}
}

static int sar_read(struct msg *req, struct sar_req *rq, struct msg *ans, bool *missing)
{
	int ret;

	*missing = true;
	ret = cx_get_str(req, DIA_AVP_USER_NAME, rq->impi, sizeof rq->impi);
	if (ret == -EINVAL)
		return cx_missing_avp(ans, DIA_AVP_USER_NAME);
	/* Public-Identity may be absent only when User-Name is there (29.229
	 * 6.1.3); this HSS needs it to find the implicit set. */
	if (cx_get_str(req, CX_AVP_PUBLIC_IDENTITY, rq->impu, sizeof rq->impu) != 0)
		return cx_missing_avp(ans, CX_AVP_PUBLIC_IDENTITY);
	if (cx_get_str(req, CX_AVP_SERVER_NAME, rq->server, sizeof rq->server) != 0)
		return cx_missing_avp(ans, CX_AVP_SERVER_NAME);
	if (dia_find_u32(req, CX_AVP_SERVER_ASSIGNMENT_TYPE, &rq->type) != 0)
		return cx_missing_avp(ans, CX_AVP_SERVER_ASSIGNMENT_TYPE);
	if (dia_find_u32(req, CX_AVP_USER_DATA_ALREADY_AVAILABLE, &rq->data_available) != 0)
		return cx_missing_avp(ans, CX_AVP_USER_DATA_ALREADY_AVAILABLE);
	*missing = false;
	return 0;
}

/* User-Name (the IMPI served) and Associated-Identities (the other IMPIs
 * of the IMPU, 6.3.33). */
static int sar_add_identities(struct store *st, const struct sar_req *rq, const char *impi,
			      unsigned int n_impis, struct msg *ans)
{
	struct store_strv impis = { 0 };
	struct avp *grp = NULL;
	int ret = impi[0] ? dia_add_utf8(ans, DIA_AVP_USER_NAME, impi) : 0;

	/* n_impis: counted by store_implicit_set_checked. */
	if (ret == 0 && n_impis > 1 && store_impu_impis(st, rq->impu, &impis) == 0 &&
	    impis.n > 1) {
		ret = dia_add_group(ans, CX_AVP_ASSOCIATED_IDENTITIES, &grp);
		for (size_t i = 0; ret == 0 && i < impis.n; i++)
			ret = dia_add_utf8(grp, DIA_AVP_USER_NAME, impis.v[i]);
	}
	store_strv_free(&impis);
	return ret;
}

/* A re-registration usually changes nothing: when the implicit set just
 * read (in this request, after every earlier write was committed) already
 * holds the state, S-CSCF name and IMPI the SAR would write, the write is
 * skipped; what the SAA reports is then durable already. */
static bool set_unchanged(const struct store_impu *set, size_t n, const struct sar_req *rq,
			  const struct sar_action *act)
{
	const char *name = act->keep_name ? rq->server : "";

	for (size_t i = 0; i < n; i++) {
		if (set[i].reg_state != act->state || strcmp(set[i].scscf_name, name) != 0 ||
		    (rq->impi[0] && strcmp(set[i].last_impi, rq->impi) != 0))
			return false;
	}
	return n > 0;
}

/* The IMPI the SAA and the profile name: User-Name, else the last one
 * registered. UNREGISTERED_USER for a user never registered has neither;
 * the PrivateID is then one of the IMPU's IMPIs (TS 29.228 6.1.2.1: the
 * profile carries a private identity), kept in pu->last_impi. */
static const char *sar_private_id(struct store *st, const struct sar_req *rq,
				  struct store_impu *pu)
{
	struct store_strv impis = { 0 };

	if (rq->impi[0])
		return rq->impi;
	if (!pu->last_impi[0] && store_impu_impis(st, rq->impu, &impis) == 0 && impis.n > 0)
		snprintf(pu->last_impi, sizeof pu->last_impi, "%s", impis.v[0]);
	store_strv_free(&impis);
	return pu->last_impi;
}

static struct cx_result sar_run(struct cx_server *srv, const struct sar_req *rq,
				struct msg *ans, enum store_reg_state *state_after)
{
	struct store *st = cx_store(srv);
	struct store_impu pu;
	struct sar_action act;
	struct store_impu *set = NULL;
	size_t n_set = 0, pos = 0;
	const char *impi;
	char *xml = NULL;
	size_t xml_len = 0;
	unsigned int n_impis = UINT_MAX;
	bool unchanged, watched = false;
	int ret;

	if (!st)
		return CX_BASE(DIA_UNABLE_TO_COMPLY);
	/* The IMPU, its check against User-Name and its implicit set: one read. */
	ret = store_implicit_set_checked(st, rq->impu, rq->impi[0] ? rq->impi : NULL, &set,
					 &n_set, &pos, &n_impis);
	if (ret != 0)
		return cx_result_of_store(ret, "SAR");
	pu = set[pos];
	*state_after = pu.reg_state;
	if (!sar_action_of(rq->type, &pu, &act)) {
		free(set);
		return CX_EXP(DIA_EXP_ERROR_IN_ASSIGNMENT_TYPE);
	}
	/* NO_ASSIGNMENT: only the assigned S-CSCF may read the profile. */
	if (rq->type == CX_SAT_NO_ASSIGNMENT && strcmp(pu.scscf_name, rq->server) != 0) {
		free(set);
		return CX_BASE(DIA_UNABLE_TO_COMPLY);
	}
	impi = sar_private_id(st, rq, &pu);
	if (act.user_data && rq->data_available != CX_USER_DATA_ALREADY_AVAILABLE) {
		ret = cx_user_data_build_from(st, impi, set, n_set, &xml, &xml_len);
		if (ret != 0) {
			free(set);
			return cx_result_of_store(ret == -ENOENT ? -EIO : ret, "SAR");
		}
	}
	unchanged = act.set_state && set_unchanged(set, n_set, rq, &act);
	free(set);
	if (act.set_state && !unchanged) {
		/* Sh subscribers of IMSUserState / S-CSCFName (TS 29.328 7.7):
		 * the write tells whether the set has any. */
		ret = store_reg_set_unwatched(st, rq->impu, rq->impi[0] ? rq->impi : NULL,
					      act.state, act.keep_name ? rq->server : NULL,
					      n_set, SH_DREF_IMS_USER_STATE, SH_DREF_SCSCF_NAME,
					      &watched);
		if (ret != 0) {
			free(xml);
			return cx_result_of_store(ret == -ENOENT ? -EIO : ret, "SAR");
		}
		*state_after = act.state;
		if (pu.reg_state != act.state ||
		    strcmp(pu.scscf_name, act.keep_name ? rq->server : "") != 0) {
			if (watched)
				sh_notify_user_state(rq->impu);
			/* MAR's cached identities check saw the old state. */
			auth_cache_forget_impu(srv->auth, impi);
		}
	}
	ret = sar_add_identities(st, rq, impi, n_impis, ans);
	if (ret == 0 && xml)
		ret = dia_add_octets(ans, CX_AVP_USER_DATA, (const uint8_t *)xml, xml_len);
	free(xml);
	return ret == 0 ? CX_BASE(DIA_SUCCESS) : CX_BASE(DIA_UNABLE_TO_COMPLY);
}

int cx_sar(void *ctx, struct msg *req, struct msg *ans)
{
	static const char *const states[] = { "NOT_REGISTERED", "REGISTERED", "UNREGISTERED" };
	struct sar_req rq = { .type = 0 };
	enum store_reg_state after = STORE_NOT_REGISTERED;
	struct cx_result r;
	bool missing;
	char rs[24];
	int ret = sar_read(req, &rq, ans, &missing);

	if (missing) {
		log_notice("SAR impi=%s impu=%s -> 5005 (missing AVP)", rq.impi, rq.impu);
		return ret;
	}
	r = sar_run(ctx, &rq, ans, &after);
	ims_log(cx_log_level(r), "SAR impi=%s impu=%s server=%s type=%s -> %s state=%s",
		rq.impi, rq.impu, rq.server, sat_name(rq.type), cx_result_str(r, rs),
		after <= STORE_UNREGISTERED ? states[after] : "?");
	return cx_result_set(ans, r);
}
