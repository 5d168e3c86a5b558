/*
 * udr: User-Data-Request -> User-Data-Answer (TS 29.328 6.1.1, TS 29.329
 * 6.1.1). Order of checks (6.1.1.1): the user exists (5001), each
 * Data-Reference is one this AS may read (5102), then the data: one
 * Sh-Data document in User-Data (702); CS/PS data this HSS does not have
 * is 4100 USER_DATA_NOT_AVAILABLE, DSAI 5108.
 */
#include "sh/sh_internal.h"

#include <stdlib.h>
#include <string.h>

#include "ims/diameter.h"
#include "ims/log.h"

/* Data-Reference values (1..n) into q->drefs; Identity-Set values (0..n)
 * into q->identity_sets. *failed names a missing AVP for 5005. */
static struct sh_result udr_query(struct msg *req, const struct sh_req *r,
				  struct sh_query *q, char *si, char *server,
				  uint32_t *failed)
{
	struct avp *a = dia_find(req, SH_AVP_DATA_REFERENCE);
	uint32_t v;

	if (!a) {
		*failed = SH_AVP_DATA_REFERENCE;
		return SH_BASE(DIA_MISSING_AVP);
	}
	for (; a; a = dia_next_same(a)) {
		if (dia_get_u32(a, &v) != 0)
			return SH_BASE(DIA_INVALID_AVP_VALUE);
		struct sh_result res = sh_perm_check(&r->as, SH_OP_UDR, v);
		if (res.code != 2001 || res.exp)
			return res;
		q->drefs |= UINT64_C(1) << v;
	}
	for (a = dia_find(req, SH_AVP_IDENTITY_SET); a; a = dia_next_same(a)) {
		if (dia_get_u32(a, &v) != 0 || v > SH_ALIAS_IDENTITIES)
			return SH_BASE(DIA_INVALID_AVP_VALUE);
		q->identity_sets |= 1u << v;
	}
	/* TS 29.328 7.6.1 / 7.6.4: RepositoryData needs Service-Indication,
	 * InitialFilterCriteria the AS's Server-Name. */
	if ((q->drefs & (UINT64_C(1) << SH_DREF_REPOSITORY_DATA)) &&
	    sh_get_text(req, SH_AVP_SERVICE_INDICATION, si, STORE_SH_SI_MAX) != 0) {
		*failed = SH_AVP_SERVICE_INDICATION;
		return SH_BASE(DIA_MISSING_AVP);
	}
	if ((q->drefs & (UINT64_C(1) << SH_DREF_INITIAL_FILTER_CRITERIA)) &&
	    sh_get_text(req, CX_AVP_SERVER_NAME, server, STORE_IDENTITY_MAX) != 0) {
		*failed = CX_AVP_SERVER_NAME;
		return SH_BASE(DIA_MISSING_AVP);
	}
	q->pu = &r->pu;
	q->si = si;
	q->server_name = server;
	return SH_OK;
}

int sh_udr(struct store *st, struct msg *req, struct msg *ans)
{
	struct sh_req r;
	struct sh_query q = { 0 };
	struct sh_result res;
	char si[STORE_SH_SI_MAX] = "", server[STORE_IDENTITY_MAX] = "";
	char *xml = NULL;
	size_t len = 0;
	uint32_t failed = 0;
	int ret;

	if (!sh_req_read(st, req, "UDR", &r, &res)) {
		if (res.code == DIA_MISSING_AVP && !res.exp)
			failed = SH_AVP_USER_IDENTITY;
		goto out;
	}
	res = udr_query(req, &r, &q, si, server, &failed);
	if (res.code == 2001 && !res.exp)
		res = sh_build(st, &q, &xml, &len);
	if (xml && dia_add_octets(ans, SH_AVP_USER_DATA, (const uint8_t *)xml, len) != 0)
		res = SH_BASE(DIA_UNABLE_TO_COMPLY);
	log_info("UDR from %s%s impu=%s refs=0x%llx si=%s -> %u%s (%zu bytes)", r.origin,
		 r.as_known ? "" : " (unknown AS)", r.pu.identity, (unsigned long long)q.drefs,
		 si[0] ? si : "-", res.code, res.exp ? "(exp)" : "", len);
out:
	ret = sh_result_set(ans, res, failed);
	free(xml);
	return ret;
}
