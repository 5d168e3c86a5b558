/*
 * mar: Multimedia-Auth-Request from the S-CSCF (TS 29.228 6.3.1, detailed
 * behaviour 6.3.1.1; AVPs TS 29.229 6.3.9-6.3.14, 6.3.36; AKA TS 33.102
 * 6.3, Annex C; SIP Digest TS 29.228 6.3.13 / RFC 2617).
 */
#include "cx/cx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "auth/milenage.h"
#include "cx/auth_cache.h"
#include "auth/sqn.h"
#include "auth/vector.h"
#include "ims/diameter.h"
#include "ims/digest.h"
#include "ims/log.h"

struct mar_req {
	char impi[STORE_IDENTITY_MAX];
	char impu[STORE_IDENTITY_MAX];
	char server[STORE_IDENTITY_MAX];
	char scheme[64];
	const uint8_t *sip_authorization; /* RAND || AUTS, owned by the request */
	size_t sip_authorization_len;
	uint32_t n_items;
};

/* The S-CSCF name the MAR stores (6.3.1.1, mar_check_impu): written in
 * the statement of the SQN reservation when the MAR makes one
 * (auth_cache_write), else on its own (mar_server_flush), before the
 * answer is built either way. */
struct mar_server {
	struct auth_cache_write w;   /* w.impu NULL: nothing to write */
	bool note;                   /* record the check in the cache once written */
	bool flushed;
};

struct mar_log {      /* what the log line tells, never a secret */
	const char *scheme;
	unsigned n;
	uint64_t sqn_first, sqn_last;
	bool resync;
};

static int mar_read(struct msg *req, struct mar_req *rq, struct msg *ans, bool *missing)
{
	struct avp *item = dia_find(req, CX_AVP_SIP_AUTH_DATA_ITEM);

	*missing = true;
	if (cx_get_str(req, DIA_AVP_USER_NAME, rq->impi, sizeof rq->impi) != 0)
		return cx_missing_avp(ans, DIA_AVP_USER_NAME);
	if (cx_get_str(req, CX_AVP_PUBLIC_IDENTITY, rq->impu, sizeof rq->impu) != 0)
		return cx_missing_avp(ans, CX_AVP_PUBLIC_IDENTITY);
	if (cx_get_str(req, CX_AVP_SERVER_NAME, rq->server, sizeof rq->server) != 0)
		return cx_missing_avp(ans, CX_AVP_SERVER_NAME);
	if (!item)
		return cx_missing_avp(ans, CX_AVP_SIP_AUTH_DATA_ITEM);
	if (dia_find_u32(req, CX_AVP_SIP_NUMBER_AUTH_ITEMS, &rq->n_items) != 0)
		return cx_missing_avp(ans, CX_AVP_SIP_NUMBER_AUTH_ITEMS);
	if (cx_get_str(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, rq->scheme, sizeof rq->scheme) != 0)
		strcpy(rq->scheme, CX_AUTH_SCHEME_UNKNOWN);
	(void)dia_find_octets(item, CX_AVP_SIP_AUTHORIZATION, &rq->sip_authorization,
			      &rq->sip_authorization_len);
	*missing = false;
	return 0;
}

/* 6.3.1.1: the scheme asked for, or the user's default for "Unknown".
 * 0 = not supported for this user. */
static uint32_t mar_scheme(const char *asked, uint32_t allowed)
{
	uint32_t s;

	if (strcasecmp(asked, CX_AUTH_SCHEME_UNKNOWN) == 0)
		return (allowed & STORE_AUTH_AKAV1_MD5) ? STORE_AUTH_AKAV1_MD5
		       : (allowed & STORE_AUTH_DIGEST_MD5);
	if (strcasecmp(asked, CX_AUTH_SCHEME_AKAV1_MD5) == 0)
		s = STORE_AUTH_AKAV1_MD5;
	else if (strcasecmp(asked, CX_AUTH_SCHEME_SIP_DIGEST) == 0 ||
		 strcasecmp(asked, "Digest-MD5") == 0 || strcasecmp(asked, "MD5") == 0)
		s = STORE_AUTH_DIGEST_MD5;
	else
		return 0;
	return (allowed & s) ? s : 0;
}

/* Write the S-CSCF name unless the reservation did; then the identities
 * check is good for the cache TTL. Once per MAR; 0 or -errno. */
static int mar_server_flush(struct cx_server *srv, struct store *st, const struct mar_req *rq,
			    struct mar_server *sv)
{
	int ret = 0;

	if (sv->flushed)
		return 0;
	sv->flushed = true;
	if (sv->w.impu && !sv->w.done)
		ret = store_reg_set(st, sv->w.impu, NULL, sv->w.state, sv->w.server);
	if (ret != 0)
		return ret == -ENOENT ? -EIO : ret;
	if (sv->note)
		auth_cache_note_impu(srv->auth, rq->impi, rq->impu, rq->server);
	return 0;
}

static int mar_add_aka_item(struct msg *ans, unsigned idx, const struct auth_vector *av)
{
	uint8_t sa[AUTH_SIP_AUTHENTICATE_LEN];
	struct avp *item = NULL;
	int ret = dia_add_group(ans, CX_AVP_SIP_AUTH_DATA_ITEM, &item);

	auth_vector_sip_authenticate(av, sa);
	if (ret == 0)
		ret = dia_add_u32(item, CX_AVP_SIP_ITEM_NUMBER, idx);
	if (ret == 0)
		ret = dia_add_utf8(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, CX_AUTH_SCHEME_AKAV1_MD5);
	if (ret == 0)
		ret = dia_add_octets(item, CX_AVP_SIP_AUTHENTICATE, sa, sizeof sa);
	if (ret == 0)
		ret = dia_add_octets(item, CX_AVP_SIP_AUTHORIZATION, av->xres, sizeof av->xres);
	if (ret == 0)
		ret = dia_add_octets(item, CX_AVP_CONFIDENTIALITY_KEY, av->ck, sizeof av->ck);
	if (ret == 0)
		ret = dia_add_octets(item, CX_AVP_INTEGRITY_KEY, av->ik, sizeof av->ik);
	return ret;
}

/* Digest-AKAv1-MD5 (TS 29.228 6.3.9-6.3.12). Returns the outcome; *err
 * -errno when the answer could not be built. */
static struct cx_result mar_aka(struct cx_server *srv, struct store *st, const struct mar_req *rq,
				struct store_auth *a, struct msg *ans, struct mar_log *lg,
				struct mar_server *sv)
{
	uint8_t opc[MILENAGE_KEY_LEN], rnd[AUTH_RAND_LEN], auts[AUTH_AUTS_LEN];
	struct cx_result r = CX_BASE(DIA_SUCCESS);
	struct auth_vector av;
	uint64_t sqn_ms = 0, sqn = 0;
	unsigned n = rq->n_items ? rq->n_items : 1;
	int ret, ret2;

	memset(&av, 0, sizeof av);
	if (n > (unsigned)srv->cfg->cx.max_auth_items)
		n = (unsigned)srv->cfg->cx.max_auth_items;
	if (!a->has_k || !a->has_op) {
		log_err("MAR impi=%s: no K/OP provisioned for AKA", rq->impi);
		return CX_BASE(DIA_UNABLE_TO_COMPLY);
	}
	if (a->op_is_opc)
		memcpy(opc, a->op, sizeof opc);
	else if (milenage_opc(a->k, a->op, opc) != 0)
		return CX_BASE(DIA_UNABLE_TO_COMPLY);
	if (rq->sip_authorization) {
		/* Synchronisation failure (TS 33.102 6.3.5): a bad MAC-S leaves
		 * SQN_HE untouched and rejects the request. */
		lg->resync = true;
		if (auth_resync_split(rq->sip_authorization, rq->sip_authorization_len, rnd, auts) != 0 ||
		    auth_resync_verify(a->k, opc, rnd, auts, &sqn_ms) != 0) {
			r = CX_BASE(DIA_AUTHENTICATION_REJECTED);
			goto out;
		}
	}
	/* A durably reserved range (auth_cache.h, TS 33.102 C.3); a resync
	 * drops the range and reserves from the new base. */
	ret = auth_cache_take_sqn(srv->auth, st, rq->impi,
				  rq->sip_authorization ? &sqn_ms : NULL, n, &sqn, &sv->w);
	ret2 = mar_server_flush(srv, st, rq, sv);
	if (ret == 0)
		ret = ret2;
	if (ret != 0) {
		r = cx_result_of_store(ret == -ENOENT ? -EIO : ret, "MAR");
		goto out;
	}
	ret = dia_add_u32(ans, CX_AVP_SIP_NUMBER_AUTH_ITEMS, n);
	for (unsigned i = 0; ret == 0 && i < n; i++) {
		if (i > 0 && (ret = sqn_next_ind(sqn, (unsigned)srv->cfg->cx.sqn_ind_bits, &sqn)) != 0)
			break;
		ret = auth_vector_generate(a->k, opc, a->amf, sqn, NULL, &av);
		if (ret == 0)
			ret = mar_add_aka_item(ans, i + 1, &av);
		if (i == 0)
			lg->sqn_first = sqn;
		lg->sqn_last = sqn;
		auth_vector_wipe(&av);
	}
	lg->n = n;
	if (ret != 0)
		r = CX_BASE(DIA_UNABLE_TO_COMPLY);
out:
	OPENSSL_cleanse(opc, sizeof opc);
	return r;
}

/* SIP Digest (TS 29.228 6.3.13, TS 29.229 6.3.36). */
static struct cx_result mar_digest(const struct mar_req *rq, const struct store_auth *a,
				   struct msg *ans, struct mar_log *lg)
{
	char ha1[DIGEST_HEX_MAX];
	const char *realm = a->realm[0] ? a->realm : strchr(rq->impi, '@');
	struct avp *item = NULL, *dig = NULL;
	int ret;

	if (realm == NULL)
		realm = rq->impi;
	else if (realm[0] == '@')
		realm++;
	if (a->has_ha1) {
		snprintf(ha1, sizeof ha1, "%s", a->ha1);
		ret = 0;
	} else if (a->has_password) {
		ret = digest_ha1(DIGEST_MD5, rq->impi, realm, a->password, strlen(a->password), ha1);
	} else {
		log_err("MAR impi=%s: no password or HA1 provisioned for SIP Digest", rq->impi);
		return CX_BASE(DIA_UNABLE_TO_COMPLY);
	}
	if (ret == 0)
		ret = dia_add_u32(ans, CX_AVP_SIP_NUMBER_AUTH_ITEMS, 1);
	if (ret == 0)
		ret = dia_add_group(ans, CX_AVP_SIP_AUTH_DATA_ITEM, &item);
	if (ret == 0)
		ret = dia_add_u32(item, CX_AVP_SIP_ITEM_NUMBER, 1);
	if (ret == 0)
		ret = dia_add_utf8(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, CX_AUTH_SCHEME_SIP_DIGEST);
	if (ret == 0)
		ret = dia_add_group(item, CX_AVP_SIP_DIGEST_AUTHENTICATE, &dig);
	if (ret == 0)
		ret = dia_add_utf8(dig, DIA_AVP_DIGEST_REALM, realm);
	if (ret == 0)
		ret = dia_add_utf8(dig, DIA_AVP_DIGEST_ALGORITHM, "MD5");
	if (ret == 0)
		ret = dia_add_utf8(dig, DIA_AVP_DIGEST_QOP, "auth");
	if (ret == 0)
		ret = dia_add_utf8(dig, DIA_AVP_DIGEST_HA1, ha1);
	OPENSSL_cleanse(ha1, sizeof ha1);
	lg->n = 1;
	return ret == 0 ? CX_BASE(DIA_SUCCESS) : CX_BASE(DIA_UNABLE_TO_COMPLY);
}

/* 6.3.1.1: while not registered (or only unregistered) the HSS keeps the
 * requesting S-CSCF's name, so a re-attempt reaches the same S-CSCF. A
 * registered identity keeps its S-CSCF until a SAR moves it. Read first
 * and write only on a change: an unconditional UPDATE per MAR made two HSS
 * on one database deadlock in InnoDB (both share-lock the IMPU row through
 * the self-join, then both want it exclusively; tests/integration/hss
 * cx_sqn.sh bursts). Here only noted in sv: mar_server_flush or the SQN
 * reservation writes it. */
static void mar_store_server(const struct mar_req *rq, const struct store_impu_reg *reg,
			     struct mar_server *sv)
{
	sv->note = true;
	if (reg->reg_state == STORE_REGISTERED || strcmp(reg->scscf_name, rq->server) == 0)
		return;
	sv->w.impu = rq->impu;
	sv->w.state = reg->reg_state;
	sv->w.server = rq->server;
}

/* The identities check and the S-CSCF name of 6.3.1.1 (into sv, written
 * later). reg: impu's registration when the auth data read brought it (the
 * check passed); else it is read here, unless the same IMPI/IMPU/server
 * passed the check within the cache TTL. */
static int mar_check_impu(struct cx_server *srv, struct store *st, const struct mar_req *rq,
			  const struct store_impu_reg *reg, struct mar_server *sv)
{
	struct store_impu *set = NULL;
	struct store_impu_reg own;
	size_t n = 0, pos = 0;
	int ret;

	if (!reg) {
		if (auth_cache_impu_fresh(srv->auth, rq->impi, rq->impu, rq->server))
			return 0;
		ret = store_implicit_set_checked(st, rq->impu, rq->impi, &set, &n, &pos, NULL);
		if (ret != 0)
			return ret;
		own.reg_state = set[pos].reg_state;
		snprintf(own.scscf_name, sizeof own.scscf_name, "%s", set[pos].scscf_name);
		free(set);
		reg = &own;
	}
	mar_store_server(rq, reg, sv);
	return 0;
}

static struct cx_result mar_run(struct cx_server *srv, const struct mar_req *rq,
				struct msg *ans, struct mar_log *lg)
{
	struct store_auth a;
	struct store_impu_reg reg;
	struct mar_server sv = { .note = false };
	struct cx_result r;
	struct store *st = cx_store(srv);
	uint32_t scheme;
	bool reg_read = false;
	int ret;

	memset(&a, 0, sizeof a);
	if (!st)
		return CX_BASE(DIA_UNABLE_TO_COMPLY);
	/* A cache miss reads the auth data and the IMPU in one statement. */
	ret = auth_cache_get_checked(srv->auth, st, rq->impi, rq->impu, &a, &reg, &reg_read);
	if (ret == 0)
		ret = mar_check_impu(srv, st, rq, reg_read ? &reg : NULL, &sv);
	if (ret != 0) {
		r = cx_result_of_store(ret, "MAR");
		goto out;
	}
	scheme = mar_scheme(rq->scheme, a.schemes);
	/* Only a plain AKA MAR reserves SQNs (the write goes along): the
	 * others store the name now, as the first thing after the check. */
	if (!(scheme == STORE_AUTH_AKAV1_MD5 && a.has_k && a.has_op && !rq->sip_authorization))
		ret = mar_server_flush(srv, st, rq, &sv);
	if (ret != 0) {
		r = cx_result_of_store(ret, "MAR");
		goto out;
	}
	if (scheme == 0) {
		r = CX_EXP(DIA_EXP_ERROR_AUTH_SCHEME_NOT_SUPPORTED);
		goto out;
	}
	lg->scheme = scheme == STORE_AUTH_AKAV1_MD5 ? CX_AUTH_SCHEME_AKAV1_MD5
						    : CX_AUTH_SCHEME_SIP_DIGEST;
	ret = dia_add_utf8(ans, DIA_AVP_USER_NAME, rq->impi);
	if (ret == 0)
		ret = dia_add_utf8(ans, CX_AVP_PUBLIC_IDENTITY, rq->impu);
	if (ret != 0)
		r = CX_BASE(DIA_UNABLE_TO_COMPLY);
	else if (scheme == STORE_AUTH_AKAV1_MD5)
		r = mar_aka(srv, st, rq, &a, ans, lg, &sv);
	else
		r = mar_digest(rq, &a, ans, lg);
	/* Every way out of mar_aka flushed already, but for a failure before
	 * the reservation. */
	if (mar_server_flush(srv, st, rq, &sv) != 0 && r.code == DIA_SUCCESS && !r.exp)
		r = CX_BASE(DIA_UNABLE_TO_COMPLY);
out:
	store_auth_wipe(&a);
	return r;
}

int cx_mar(void *ctx, struct msg *req, struct msg *ans)
{
	struct mar_req rq = { .n_items = 1 };
	struct mar_log lg = { .scheme = NULL };
	struct cx_result r;
	bool missing;
	char rs[24];
	int ret = mar_read(req, &rq, ans, &missing);

	if (missing) {
		log_notice("MAR impi=%s impu=%s -> 5005 (missing AVP)", rq.impi, rq.impu);
		return ret;
	}
	r = mar_run(ctx, &rq, ans, &lg);
	ims_log(cx_log_level(r),
		"MAR impi=%s impu=%s server=%s scheme=%s%s -> %s (%u vector%s, sqn=%llu..%llu)",
		rq.impi, rq.impu, rq.server, lg.scheme ? lg.scheme : rq.scheme,
		lg.resync ? " resync" : "", cx_result_str(r, rs), lg.n, lg.n == 1 ? "" : "s",
		(unsigned long long)lg.sqn_first, (unsigned long long)lg.sqn_last);
	return cx_result_set(ans, r);
}
