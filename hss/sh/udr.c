/*
 * udr: User-Data-Request -> User-Data-Answer (TS 29.328 6.1.1, TS 29.329
 * 6.1.1). Order of checks (6.1.1.1): the user exists (5001), each
 * Data-Reference is one this AS may read (5102), then the data: one
 * Sh-Data document in User-Data (702); CS/PS data this HSS does not have
 * is 4100 USER_DATA_NOT_AVAILABLE. Several Service-Indications return
 * one RepositoryData (or AliasesRepositoryData) each. DSAI (7.6.9) are the
 * requesting AS's own (the AS known by Origin-Host), the DSAI-Tags named
 * or all of them; a tag not configured for it is 5108 DSAI_NOT_AVAILABLE.
 */
#include "sh/sh_internal.h"

#include <stdlib.h>
#include <string.h>

#include "ims/diameter.h"
#include "ims/log.h"

/* Data-Reference values (1..n) into q->drefs; Identity-Set values (0..n)
 * into q->identity_sets. *failed names a missing AVP for 5005. */
/* Service-Indications and DSAI-Tags of one request, and pointers to them. */
struct udr_texts {
	char si[SH_MAX_TEXTS][STORE_SH_SI_MAX], tag[SH_MAX_TEXTS][STORE_SH_SI_MAX];
	const char *si_p[SH_MAX_TEXTS], *tag_p[SH_MAX_TEXTS];
	size_t n_si, n_tag;
};

static struct sh_result udr_query(struct msg *req, const struct sh_req *r,
				  struct sh_query *q, struct udr_texts *t, char *server,
				  uint32_t *failed)
{
	const uint64_t need_si = (UINT64_C(1) << SH_DREF_REPOSITORY_DATA) |
				 (UINT64_C(1) << SH_DREF_ALIASES_REPOSITORY_DATA);
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
	if (sh_get_texts(req, SH_AVP_SERVICE_INDICATION, t->si, SH_MAX_TEXTS, &t->n_si) != 0 ||
	    sh_get_texts(req, SH_AVP_DSAI_TAG, t->tag, SH_MAX_TEXTS, &t->n_tag) != 0)
		return SH_BASE(DIA_INVALID_AVP_VALUE);
	if ((q->drefs & need_si) && t->n_si == 0) {
		*failed = SH_AVP_SERVICE_INDICATION;
		return SH_BASE(DIA_MISSING_AVP);
	}
	for (size_t i = 0; i < t->n_si; i++)
		t->si_p[i] = t->si[i];
	for (size_t i = 0; i < t->n_tag; i++)
		t->tag_p[i] = t->tag[i];
	if ((q->drefs & (UINT64_C(1) << SH_DREF_INITIAL_FILTER_CRITERIA)) &&
	    sh_get_text(req, CX_AVP_SERVER_NAME, server, STORE_IDENTITY_MAX) != 0) {
		*failed = CX_AVP_SERVER_NAME;
		return SH_BASE(DIA_MISSING_AVP);
	}
	q->pu = &r->pu;
	q->sis = t->si_p;
	q->n_sis = t->n_si;
	q->server_name = server;
	q->as_id = r->as.id;
	q->dsai_tags = t->tag_p;
	q->n_dsai_tags = t->n_tag;
	return SH_OK;
}

int sh_udr(struct store *st, struct msg *req, struct msg *ans)
{
	struct sh_req r;
	struct sh_query q = { 0 };
	struct sh_result res;
	struct udr_texts *t = calloc(1, sizeof(*t));
	char server[STORE_IDENTITY_MAX] = "";
	char *xml = NULL;
	size_t len = 0;
	uint32_t failed = 0;
	int ret;

	if (!t) {
		res = SH_BASE(DIA_UNABLE_TO_COMPLY);
		goto out;
	}
	if (!sh_req_read(st, req, "UDR", &r, &res)) {
		if (res.code == DIA_MISSING_AVP && !res.exp)
			failed = SH_AVP_USER_IDENTITY;
		goto out;
	}
	res = udr_query(req, &r, &q, t, server, &failed);
	if (res.code == 2001 && !res.exp)
		res = sh_build(st, &q, &xml, &len);
	if (xml && dia_add_octets(ans, SH_AVP_USER_DATA, (const uint8_t *)xml, len) != 0)
		res = SH_BASE(DIA_UNABLE_TO_COMPLY);
	log_info("UDR from %s%s impu=%s refs=0x%llx si=%s%s -> %u%s (%zu bytes)", r.origin,
		 r.as_known ? "" : " (unknown AS)", r.pu.identity, (unsigned long long)q.drefs,
		 t->n_si ? t->si[0] : "-", t->n_si > 1 ? ",..." : "", res.code,
		 res.exp ? "(exp)" : "", len);
out:
	ret = sh_result_set(ans, res, failed);
	free(xml);
	free(t);
	return ret;
}
