/*
 * reg_register: the REGISTER procedure of the S-CSCF (TS 24.229 5.4.1.2
 * initial registration, 5.4.1.4 user-initiated de-registration, TS 33.203
 * 6.1 authentication):
 *   no credentials / unknown nonce -> MAR -> 401 (reg_cx.c)
 *   auts=                           -> MAR with RAND||AUTS -> 401
 *   response                        -> verify -> 403, or the bindings step
 *   integrity-protected re-REGISTER -> the bindings step (policy)
 * The bindings step sends SAR REGISTRATION / RE_REGISTRATION /
 * USER_DEREGISTRATION and answers 200 when the SAA arrives
 * (reg_register_finish); a query (no Contact) is answered at once.
 */
#include "reg_internal.h"

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ims/log.h"

static const char *scheme_for(const struct registrar *r, msg_t *req, const struct reg_req *q)
{
	enum digest_alg alg;
	bool aka = true;

	/* No Authorization header at all: not an IMS-AKA UE (those send one
	 * with their IMPI, TS 24.229 5.1.1.2.1); optionally Digest first. */
	if (r->cfg->digest_without_credentials && !sip_object(req)->sip_authorization)
		return CX_AUTH_SCHEME_SIP_DIGEST;

	/* TS 24.229 5.4.1.2.1: AKA unless the UE asked for plain digest. */
	if (q->has_cr && q->cr.algorithm && *q->cr.algorithm &&
	    digest_alg_parse(q->cr.algorithm, &alg, &aka) == 0 && !aka)
		return CX_AUTH_SCHEME_SIP_DIGEST;
	return CX_AUTH_SCHEME_AKAV1_MD5;
}

/* Answers a reg_store_check failure; returns true when it did. */
static bool reject_bindings(nta_incoming_t *irq, msg_t *req, int rc)
{
	if (rc == -EMLINK)
		reg_reply_status(irq, req, 403, "Forbidden - Too Many Contacts", 0);
	else if (rc == -EALREADY) /* RFC 3261 10.3 step 7 */
		reg_reply_status(irq, req, 500, "Server Internal Error - Request Out Of Order", 0);
	else if (rc < 0)
		reg_reply_status(irq, req, 500, "Server Internal Error", 5);
	return rc < 0;
}

/* The request is authenticated: decide the SAR (TS 29.228 6.1.2). */
static void authorized(struct registrar *r, nta_incoming_t *irq, msg_t *req,
		       const struct reg_req *q, struct reg_record *rec)
{
	size_t remaining = 0;
	int rc = reg_store_check(&r->store, rec, q->b, q->n_b, q->remove_all, &remaining);

	if (reject_bindings(irq, req, rc))
		return;
	if (q->query || (!rec && remaining == 0)) {
		reg_reply_ok(r, irq, req, rec);
	} else if (remaining == 0) {
		log_info("REGISTER impi=%s impu=%s: de-registration", rec->impi, q->impu);
		reg_cx_sar(r, irq, req, rec->impi, q->impu, CX_SAT_USER_DEREGISTRATION, true);
	} else {
		reg_cx_sar(r, irq, req, q->impi, q->impu,
			   rec ? CX_SAT_RE_REGISTRATION : CX_SAT_REGISTRATION, rec != NULL);
	}
}

/* RFC 3310 3.4 / TS 33.203 6.1.2: the UE found SQN out of range. */
static void resync(struct registrar *r, nta_incoming_t *irq, msg_t *req,
		   const struct reg_req *q, struct reg_challenge *ch)
{
	uint8_t rand_auts[DIGEST_AKA_RAND_LEN + DIGEST_AKA_AUTS_LEN];
	bool ok = ch->scheme == REG_AUTH_AKA &&
		  digest_aka_auts_decode(q->cr.auts, rand_auts + DIGEST_AKA_RAND_LEN) == 0;

	memcpy(rand_auts, ch->rand, DIGEST_AKA_RAND_LEN);
	reg_auth_remove(&r->auth, ch);
	if (!ok) {
		log_notice("REGISTER impi=%s: unusable auts", q->impi);
		reg_reply_status(irq, req, 403, "Forbidden - Bad AUTS", 0);
		return;
	}
	log_info("REGISTER impi=%s: AKA resynchronisation", q->impi);
	reg_cx_mar(r, irq, req, q, CX_AUTH_SCHEME_AKAV1_MD5, rand_auts, sizeof rand_auts, false);
	OPENSSL_cleanse(rand_auts, sizeof rand_auts);
}

static bool may_skip_challenge(const struct registrar *r, const struct reg_req *q,
			       const struct reg_record *rec)
{
	/* TS 24.229 5.4.1.2.1: a re-registration the P-CSCF received over the
	 * security association need not be challenged again. */
	return rec && q->integrity_protected && !r->cfg->reauth_protected &&
	       strcmp(rec->impi, q->impi) == 0;
}

static void authenticate(struct registrar *r, nta_incoming_t *irq, msg_t *req,
			 const struct reg_req *q, struct reg_record *rec)
{
	struct reg_challenge *ch;
	int rc;

	if (may_skip_challenge(r, q, rec)) {
		authorized(r, irq, req, q, rec);
		return;
	}
	if (!q->has_response) {
		reg_cx_mar(r, irq, req, q, scheme_for(r, req, q), NULL, 0, false);
		return;
	}
	ch = reg_auth_find(&r->auth, q->cr.nonce);
	if (!ch || strcmp(ch->impi, q->impi) != 0) {
		/* Unknown, used or expired nonce: a fresh one (RFC 2617 3.2.1). */
		reg_cx_mar(r, irq, req, q, scheme_for(r, req, q), NULL, 0, true);
		return;
	}
	if (q->cr.auts) {
		resync(r, irq, req, q, ch);
		return;
	}
	rc = reg_auth_verify(ch, &q->cr, "REGISTER", r->realm);
	reg_auth_remove(&r->auth, ch); /* a nonce is good once */
	if (rc < 0) {
		log_notice("REGISTER impi=%s impu=%s: authentication failed (%s)", q->impi, q->impu,
			   rc == -EACCES ? "wrong response" : "bad parameters");
		/* TS 29.228 6.1.2: let the HSS drop the pending S-CSCF name. */
		if (!rec)
			reg_cx_sar(r, NULL, NULL, q->impi, q->impu, CX_SAT_AUTHENTICATION_FAILURE,
				   false);
		reg_reply_status(irq, req, 403, "Forbidden - Authentication Failed", 0);
		return;
	}
	authorized(r, irq, req, q, rec);
}

int registrar_on_register(struct registrar *r, nta_incoming_t *irq, const sip_t *sip)
{
	struct reg_req q;
	const char *phrase;
	char why[160];
	msg_t *req;
	int st;

	if (!sip_request_is_well_formed(sip, why, sizeof why)) {
		log_info("REGISTER refused: %s", why);
		reg_reply_status(irq, NULL, 400, "Bad Request", 0);
		return 0;
	}
	req = nta_incoming_getrequest(irq);
	if (!req) {
		reg_reply_status(irq, NULL, 500, "Server Internal Error", 5);
		return 0;
	}
	st = reg_request_parse(&r->policy, req, sip_object(req), &q, &phrase);
	if (st == 423) {
		reg_reply_423(irq, req, r->policy.min_expires);
		return 0;
	}
	if (st) {
		log_info("REGISTER impu=%s: %d %s", q.impu[0] ? q.impu : "?", st, phrase);
		reg_reply_status(irq, req, st, phrase, 0);
		return 0;
	}
	authenticate(r, irq, req, &q, reg_store_find(&r->store, q.impu));
	return 0;
}

void reg_register_finish(struct registrar *r, nta_incoming_t *irq, msg_t *req,
			 struct reg_profile **profile)
{
	struct reg_record *rec;
	struct reg_ev_snap snap;
	struct reg_req q;
	const char *phrase;
	msg_t *ue, *ok;
	bool existed;
	int rc;

	if (reg_request_parse(&r->policy, req, sip_object(req), &q, &phrase) != 0) {
		reg_reply_status(irq, req, 500, "Server Internal Error", 5);
		return;
	}
	rec = reg_store_find(&r->store, q.impu);
	existed = rec != NULL;
	if (profile && *profile) {
		rc = reg_store_put(&r->store, q.impu, q.impi, profile, &rec);
		if (rc == -EINVAL) {
			log_warn("SAA impu=%s: the IMPU is not in its own User-Data", q.impu);
			reg_reply_status(irq, req, 403, "Forbidden", 0);
			return;
		}
		if (rc < 0) {
			reg_reply_status(irq, req, 500, "Server Internal Error", 5);
			return;
		}
	}
	if (!rec) {
		reg_reply_ok(r, irq, req, NULL);
		return;
	}
	reg_ev_snap_take(r, rec, &snap);
	rc = reg_store_check(&r->store, rec, q.b, q.n_b, q.remove_all, NULL);
	if (rc == 0)
		rc = reg_store_apply(&r->store, rec, q.b, q.n_b, q.remove_all, reg_now());
	if (reject_bindings(irq, req, rc)) {
		if (rec->n_contacts == 0)
			reg_store_remove(&r->store, rec);
		goto out;
	}
	log_info("REGISTER impi=%s impu=%s: %zu contact(s) bound", rec->impi, q.impu,
		 rec->n_contacts);
	/* TS 24.229 5.4.1.4: the sessions of what the UE de-registered. */
	if (rec->n_contacts == 0) {
		reg_gone(r, rec, NULL);
	} else {
		for (size_t i = 0; i < q.n_b; i++)
			if (q.b[i].expires == 0)
				reg_gone(r, rec, q.b[i].uri);
	}
	r->dirty = true;
	ue = msg_ref_create(req); /* the reply drops req; third parties copy from it */
	ok = reg_reply_ok_kept(r, irq, req, rec);
	reg_third_register(r, ue, ok, rec, q.impu,
			   rec->n_contacts == 0 ? IFC_REG_DE : existed ? IFC_REG_RE : IFC_REG_INITIAL,
			   reg_record_expires_in(rec, reg_now()));
	if (ok)
		msg_destroy(ok);
	msg_destroy(ue);
	/* RFC 3680 / TS 24.229 5.4.2.1.2: every change reaches the subscribers;
	 * the last contact gone ends the set (5.4.1.4). */
	reg_event_changed(r, &snap, rec, "unregistered");
	if (rec->n_contacts == 0)
		reg_store_remove(&r->store, rec);
out:
	reg_ev_snap_free(&snap);
}
