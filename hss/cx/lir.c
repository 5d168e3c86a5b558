/*
 * lir: Location-Info-Request from the I-CSCF (TS 29.228 6.1.4, detailed
 * behaviour 6.1.4.1; TS 29.229 6.1.7/6.1.8; wildcarded PSI TS 23.003 13.5).
 */
#include "cx/cx.h"

#include <errno.h>
#include <string.h>

#include "ims/diameter.h"
#include "ims/log.h"

/* "Services related to the unregistered state" (6.1.4.1 step 3): an iFC of
 * the identity's profile applies when unregistered (PPI UNREGISTERED or
 * absent). */
static int lir_has_unregistered_services(struct store *st, const struct store_impu *pu,
					 bool *has)
{
	struct store_service_profile *sp = NULL;
	int ret;

	*has = false;
	if (!pu->service_profile_id)
		return 0;
	ret = store_service_profile_get(st, pu->service_profile_id, &sp);
	if (ret == -ENOENT)
		return 0;
	for (size_t i = 0; ret == 0 && i < sp->n_ifcs; i++)
		*has = *has || sp->ifcs[i].profile_part_indicator != 0;
	store_service_profile_free(sp);
	return ret;
}

static struct cx_result lir_run(struct cx_server *srv, const char *impu, struct msg *ans,
				bool *wildcard)
{
	struct store *st = cx_store(srv);
	struct store_impu pu;
	bool unreg_services;
	int ret, err = 0;

	if (!st)
		return CX_BASE(DIA_UNABLE_TO_COMPLY);
	ret = store_impu_get(st, impu, &pu);
	if (ret == -ENOENT) {  /* step 1: maybe a wildcarded PSI */
		ret = store_wildcard_psi_find(st, impu, &pu);
		*wildcard = ret == 0;
		if (ret == 0)
			err = dia_add_utf8(ans, CX_AVP_WILDCARDED_PUBLIC_IDENTITY, pu.identity);
	}
	if (ret != 0)
		return cx_result_of_store(ret, "LIR");
	/* Step 2: registered -> DIAMETER_SUCCESS + Server-Name. */
	if (pu.reg_state == STORE_REGISTERED && pu.scscf_name[0]) {
		err = err ? err : dia_add_utf8(ans, CX_AVP_SERVER_NAME, pu.scscf_name);
		return err ? CX_BASE(DIA_UNABLE_TO_COMPLY) : CX_BASE(DIA_SUCCESS);
	}
	/* Step 3: an S-CSCF kept for unregistered services (or a stored name)
	 * -> UNREGISTERED_SERVICE + its name. */
	if (pu.scscf_name[0]) {
		err = err ? err : dia_add_utf8(ans, CX_AVP_SERVER_NAME, pu.scscf_name);
		return err ? CX_BASE(DIA_UNABLE_TO_COMPLY) : CX_EXP(DIA_EXP_UNREGISTERED_SERVICE);
	}
	ret = lir_has_unregistered_services(st, &pu, &unreg_services);
	if (ret != 0)
		return cx_result_of_store(ret, "LIR");
	/* No S-CSCF but unregistered services: let the I-CSCF select one. */
	if (unreg_services) {
		err = err ? err : cx_add_capabilities(st, ans, NULL);
		return err ? CX_BASE(DIA_UNABLE_TO_COMPLY) : CX_EXP(DIA_EXP_UNREGISTERED_SERVICE);
	}
	return CX_EXP(DIA_EXP_ERROR_IDENTITY_NOT_REGISTERED);
}

int cx_lir(void *ctx, struct msg *req, struct msg *ans)
{
	char impu[STORE_IDENTITY_MAX] = "";
	bool wildcard = false;
	struct cx_result r;
	char rs[24];

	if (cx_get_str(req, CX_AVP_PUBLIC_IDENTITY, impu, sizeof impu) != 0) {
		log_notice("LIR impu=? -> 5005 (missing Public-Identity)");
		return cx_missing_avp(ans, CX_AVP_PUBLIC_IDENTITY);
	}
	r = lir_run(ctx, impu, ans, &wildcard);
	ims_log(cx_log_level(r), "LIR impu=%s%s -> %s", impu,
		wildcard ? " (wildcarded PSI)" : "", cx_result_str(r, rs));
	return cx_result_set(ans, r);
}
