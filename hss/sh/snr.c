/*
 * snr: Subscribe-Notifications-Request -> Answer (TS 29.328 6.1.3, TS
 * 29.329 6.1.5). An AS subscribes (Subs-Req-Type 0) or unsubscribes (1)
 * to changes of RepositoryData (per Service-Indication), IMSUserState,
 * S-CSCFName, InitialFilterCriteria (its own, by Server-Name) and
 * PSIActivation; 5104 when it may not. Expiry-Time (TS 29.329 6.3.16) is
 * honoured, capped by sh_config.max_expiry_s, and returned in the SNA.
 * Send-Data-Indication USER_DATA_REQUESTED adds the current User-Data.
 * A subscription to RepositoryData that is not stored yet is kept (its
 * creation will be notified) and answered 5106 SUBS_DATA_ABSENT.
 * Several Service-Indications make one subscription each (RepositoryData,
 * AliasesRepositoryData). DSAI: the AS's own tags (5108 when it has none or
 * a DSAI-Tag named is not its). One-Time-Notification (TS 29.329 6.3.22):
 * the subscriptions end with their first PNR.
 */
#include "sh/sh_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ims/diameter.h"
#include "ims/log.h"

#define NTP_UNIX_OFFSET 2208988800u  /* seconds 1900-01-01 -> 1970-01-01 */

struct snr_args {
	uint32_t type;
	uint64_t drefs;
	char si[SH_MAX_TEXTS][STORE_SH_SI_MAX], tag[SH_MAX_TEXTS][STORE_SH_SI_MAX];
	const char *si_p[SH_MAX_TEXTS], *tag_p[SH_MAX_TEXTS];
	size_t n_si, n_tag;
	char server[STORE_IDENTITY_MAX];
	uint64_t expires;      /* Unix time, 0 = none */
	bool send_data;
	bool one_time;
};

#define BIT(n) (UINT64_C(1) << (n))
#define SI_REFS (BIT(SH_DREF_REPOSITORY_DATA) | BIT(SH_DREF_ALIASES_REPOSITORY_DATA))

/* Expiry-Time is a Time (RFC 6733 4.3.1): NTP seconds, 4 octets. */
static int expiry_of(struct msg *req, uint64_t *expires)
{
	const uint8_t *p;
	size_t n;
	uint64_t now = (uint64_t)time(NULL), max = sh_settings()->max_expiry_s;
	uint32_t ntp;

	*expires = max ? now + max : 0;
	if (dia_find_octets(req, SH_AVP_EXPIRY_TIME, &p, &n) != 0)
		return 0;
	if (n != 4)
		return -EINVAL;
	ntp = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	if (ntp <= NTP_UNIX_OFFSET + now)
		return -EINVAL;   /* already expired */
	if (!*expires || ntp - NTP_UNIX_OFFSET < *expires)
		*expires = ntp - NTP_UNIX_OFFSET;
	return 0;
}

static struct sh_result snr_args_read(struct msg *req, const struct sh_req *r,
				      struct snr_args *a, uint32_t *failed)
{
	struct avp *d = dia_find(req, SH_AVP_DATA_REFERENCE);
	uint32_t v;

	if (dia_find_u32(req, SH_AVP_SUBS_REQ_TYPE, &a->type) != 0 || a->type > SH_UNSUBSCRIBE) {
		*failed = SH_AVP_SUBS_REQ_TYPE;
		return SH_BASE(DIA_MISSING_AVP);
	}
	if (!d) {
		*failed = SH_AVP_DATA_REFERENCE;
		return SH_BASE(DIA_MISSING_AVP);
	}
	for (; d; d = dia_next_same(d)) {
		if (dia_get_u32(d, &v) != 0)
			return SH_BASE(DIA_INVALID_AVP_VALUE);
		struct sh_result res = sh_perm_check(&r->as, SH_OP_SNR, v);
		if (res.code != 2001 || res.exp)
			return res;
		a->drefs |= UINT64_C(1) << v;
	}
	if (sh_get_texts(req, SH_AVP_SERVICE_INDICATION, a->si, SH_MAX_TEXTS, &a->n_si) != 0 ||
	    sh_get_texts(req, SH_AVP_DSAI_TAG, a->tag, SH_MAX_TEXTS, &a->n_tag) != 0)
		return SH_BASE(DIA_INVALID_AVP_VALUE);
	if ((a->drefs & SI_REFS) && a->n_si == 0) {
		*failed = SH_AVP_SERVICE_INDICATION;
		return SH_BASE(DIA_MISSING_AVP);
	}
	for (size_t i = 0; i < a->n_si; i++)
		a->si_p[i] = a->si[i];
	for (size_t i = 0; i < a->n_tag; i++)
		a->tag_p[i] = a->tag[i];
	if ((a->drefs & (UINT64_C(1) << SH_DREF_INITIAL_FILTER_CRITERIA)) &&
	    sh_get_text(req, CX_AVP_SERVER_NAME, a->server, sizeof a->server) != 0) {
		*failed = CX_AVP_SERVER_NAME;
		return SH_BASE(DIA_MISSING_AVP);
	}
	if (dia_find_u32(req, SH_AVP_SEND_DATA_INDICATION, &v) == 0)
		a->send_data = v == SH_USER_DATA_REQUESTED;
	if (dia_find_u32(req, SH_AVP_ONE_TIME_NOTIFICATION, &v) == 0) {
		if (v != SH_ONE_TIME_NOTIFICATION_REQUESTED)
			return SH_BASE(DIA_INVALID_AVP_VALUE);
		a->one_time = true;
	}
	if (expiry_of(req, &a->expires) != 0)
		return SH_BASE(DIA_INVALID_AVP_VALUE);
	return SH_OK;
}

/* DSAI subscriptions need the AS's tags (TS 29.328 7.6.9): 0, or 1 when
 * it has none or a DSAI-Tag named is not its (5108), or -errno. */
static int snr_dsai_missing(struct store *st, const struct sh_req *r, const struct snr_args *a)
{
	struct store_sh_dsai *v = NULL;
	size_t n = 0;
	int ret = store_sh_dsai_list(st, r->pu.identity, r->as.id, &v, &n);

	if (ret == 0 && n == 0)
		ret = 1;
	for (size_t i = 0; ret == 0 && i < a->n_tag; i++) {
		size_t j = 0;
		while (j < n && strcmp(v[j].tag, a->tag[i]) != 0)
			j++;
		if (j == n)
			ret = 1;
	}
	free(v);
	return ret;
}

/* Store or remove one subscription per Data-Reference and, for the
 * repository data references, per Service-Indication. */
static int snr_one(struct store *st, const struct sh_req *r, const struct snr_args *a,
		   int dref, const char *si, bool *absent)
{
	int ret;

	if (a->type == SH_UNSUBSCRIBE) {
		ret = store_sh_sub_del(st, r->as.id, r->pu.identity, dref, si);
		return ret == -ENOENT ? 0 : ret;   /* nothing to remove is fine */
	}
	ret = store_sh_sub_add(st, r->as.id, r->pu.identity, dref, si,
			       dref == SH_DREF_INITIAL_FILTER_CRITERIA ? a->server : "",
			       a->expires, a->one_time);
	if (ret == 0 && dref == SH_DREF_REPOSITORY_DATA) {
		uint32_t seq;
		char *data = NULL;
		size_t len;
		int g = store_sh_repo_get(st, r->pu.identity, si, &seq, &data, &len);
		free(data);
		if (g == -ENOENT)
			*absent = true;
	}
	return ret;
}

static struct sh_result snr_apply(struct store *st, const struct sh_req *r,
				  const struct snr_args *a)
{
	bool absent = false;
	int ret = 0;

	if (a->type == SH_SUBSCRIBE && (a->drefs & BIT(SH_DREF_DSAI))) {
		ret = snr_dsai_missing(st, r, a);
		if (ret == 1)
			return SH_EXP(SH_EXP_DSAI_NOT_AVAILABLE);
	}
	for (int i = 0; ret == 0 && i < 64; i++) {
		if (!(a->drefs & BIT(i)))
			continue;
		if (!(SI_REFS & BIT(i))) {
			ret = snr_one(st, r, a, i, "", &absent);
			continue;
		}
		for (size_t k = 0; ret == 0 && k < a->n_si; k++)
			ret = snr_one(st, r, a, i, a->si[k], &absent);
	}
	if (ret != 0)
		return sh_result_of_store(ret, "SNR");
	return absent ? SH_EXP(SH_EXP_SUBS_DATA_ABSENT) : SH_OK;
}

/* SNA extras: Expiry-Time granted and, when asked, the User-Data. */
static struct sh_result sna_fill(struct store *st, struct msg *ans, const struct sh_req *r,
				 const struct snr_args *a)
{
	struct sh_query q = { .pu = &r->pu, .drefs = a->drefs, .sis = a->si_p,
			      .n_sis = a->n_si, .server_name = a->server, .as_id = r->as.id,
			      .dsai_tags = a->tag_p, .n_dsai_tags = a->n_tag };
	struct sh_result res = SH_OK;
	char *xml = NULL;
	size_t len = 0;

	if (a->expires) {
		uint32_t ntp = (uint32_t)(a->expires + NTP_UNIX_OFFSET);
		uint8_t b[4] = { ntp >> 24, ntp >> 16, ntp >> 8, ntp };
		if (dia_add_octets(ans, SH_AVP_EXPIRY_TIME, b, 4) != 0)
			return SH_BASE(DIA_UNABLE_TO_COMPLY);
	}
	if (!a->send_data)
		return SH_OK;
	res = sh_build(st, &q, &xml, &len);
	if (xml && dia_add_octets(ans, SH_AVP_USER_DATA, (const uint8_t *)xml, len) != 0)
		res = SH_BASE(DIA_UNABLE_TO_COMPLY);
	free(xml);
	return res;
}

int sh_snr(struct store *st, struct msg *req, struct msg *ans)
{
	struct sh_req r;
	struct snr_args *a = calloc(1, sizeof(*a));
	struct sh_result res;
	uint32_t failed = 0;

	if (!a) {
		res = SH_BASE(DIA_UNABLE_TO_COMPLY);
		goto out;
	}
	if (!sh_req_read(st, req, "SNR", &r, &res)) {
		if (res.code == DIA_MISSING_AVP && !res.exp)
			failed = SH_AVP_USER_IDENTITY;
		goto out;
	}
	res = snr_args_read(req, &r, a, &failed);
	if (res.code == 2001 && !res.exp)
		res = snr_apply(st, &r, a);
	if (a->type == SH_SUBSCRIBE && ((res.code == 2001 && !res.exp) ||
					(res.exp && res.code == SH_EXP_SUBS_DATA_ABSENT))) {
		struct sh_result extra = sna_fill(st, ans, &r, a);
		if (extra.code != 2001 || extra.exp)
			res = extra;
	}
	log_info("SNR from %s%s impu=%s %s%s refs=0x%llx si=%s%s -> %u%s", r.origin,
		 r.as_known ? "" : " (unknown AS)", r.pu.identity,
		 a->type == SH_UNSUBSCRIBE ? "unsubscribe" : "subscribe",
		 a->one_time ? " (one-time)" : "", (unsigned long long)a->drefs,
		 a->n_si ? a->si[0] : "-", a->n_si > 1 ? ",..." : "", res.code,
		 res.exp ? "(exp)" : "");
out:
	free(a);
	return sh_result_set(ans, res, failed);
}
