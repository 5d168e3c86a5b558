/*
 * reg_cx: the registrar's Cx exchanges (TS 29.228 6.1.2 MAR, 6.1.3 SAR)
 * and what their answers turn into: a 401 challenge (MAA), the bindings and
 * 200 OK (SAA of a registration), or nothing but a log line (SAR sent on a
 * timer: AUTHENTICATION_TIMEOUT, TIMEOUT_DEREGISTRATION).
 */
#include "reg_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>
#include <openssl/crypto.h>

#include "ims/log.h"

struct reg_op *reg_op_new(struct registrar *r, enum reg_op_kind kind, nta_incoming_t *irq,
			  msg_t *req, const char *impi, const char *impu)
{
	struct reg_op *op = calloc(1, sizeof *op);

	if (!op)
		return NULL;
	op->r = r;
	op->kind = kind;
	op->impi = impi ? strdup(impi) : NULL;
	op->impu = strdup(impu);
	if ((impi && !op->impi) || !op->impu) {
		free(op->impi);
		free(op->impu);
		free(op);
		return NULL;
	}
	op->irq = irq;
	op->req = req;
	op->next = r->ops;
	if (r->ops)
		r->ops->prev = op;
	r->ops = op;
	return op;
}

/* Unlinks and frees op; the irq and req must have been handed on. */
void reg_op_free(struct reg_op *op)
{
	struct registrar *r = op->r;

	if (op->prev)
		op->prev->next = op->next;
	else
		r->ops = op->next;
	if (op->next)
		op->next->prev = op->prev;
	free(op->impi);
	free(op->impu);
	free(op);
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* MAA -> stored challenge -> 401 (TS 24.229 5.4.1.2.1; RFC 3310 3.1). */
static void challenge(struct reg_op *op, const struct cxc_auth_item *it)
{
	struct registrar *r = op->r;
	struct reg_challenge tmpl = { .impi = op->impi, .impu = op->impu };
	struct sip_auth_challenge ch = { .scheme = "Digest", .realm = r->realm, .qop = "auth" };
	struct reg_challenge *stored = NULL;
	char ck[33] = "", ik[33] = "";
	int rc;

	if (it->aka) {
		tmpl.scheme = REG_AUTH_AKA;
		rc = digest_aka_nonce_build(it->rand, it->autn, NULL, 0, tmpl.nonce,
					    sizeof tmpl.nonce);
		memcpy(tmpl.rand, it->rand, sizeof tmpl.rand);
		memcpy(tmpl.xres, it->xres, it->xres_len);
		tmpl.xres_len = it->xres_len;
		ch.algorithm = "AKAv1-MD5";
		if (it->has_keys) {
			hex(it->ck, sizeof it->ck, ck);
			hex(it->ik, sizeof it->ik, ik);
			ch.ck = ck;
			ch.ik = ik;
		}
	} else {
		tmpl.scheme = REG_AUTH_DIGEST;
		rc = reg_auth_random_nonce(tmpl.nonce, sizeof tmpl.nonce);
		memcpy(tmpl.ha1, it->ha1, sizeof tmpl.ha1);
		ch.algorithm = "MD5";
		if (it->realm[0] && strcasecmp(it->realm, r->realm) != 0)
			log_warn("MAA impi=%s: Digest-Realm %s is not our realm %s", op->impi,
				 it->realm, r->realm);
	}
	if (rc == 0)
		rc = reg_auth_add(&r->auth, &tmpl, reg_now(), &stored);
	OPENSSL_cleanse(&tmpl, sizeof tmpl);
	if (rc == -ENOSPC || rc == -EDQUOT) {
		reg_reply_status(op->irq, op->req, 503, "Service Unavailable", 5);
		goto out;
	}
	if (rc < 0) {
		log_err("MAR impi=%s: cannot keep the challenge: %s", op->impi, strerror(-rc));
		reg_reply_status(op->irq, op->req, 500, "Server Internal Error", 5);
		goto out;
	}
	ch.nonce = stored->nonce;
	ch.stale = op->stale ? "true" : NULL;
	log_info("MAR impi=%s impu=%s: challenge %s", op->impi, op->impu, ch.algorithm);
	reg_reply_challenge(op->irq, op->req, &ch);
out:
	OPENSSL_cleanse(ck, sizeof ck);
	OPENSSL_cleanse(ik, sizeof ik);
}

static void on_maa(void *ctx, struct msg *ans, int err);

/* Digest was asked for a REGISTER without credentials and the user has
 * no Digest (5006): the same MAR for AKAv1-MD5. true when sent (op goes on). */
static bool mar_again_for_aka(struct reg_op *op)
{
	struct cxc_mar m = { .impi = op->impi, .impu = op->impu,
			     .server_name = op->r->server_name,
			     .scheme = CX_AUTH_SCHEME_AKAV1_MD5 };
	struct msg *mar = NULL;

	op->digest_first = false;
	if (cxc_mar_build(&op->r->hss, &m, &mar) != 0)
		return false;
	return dia_bridge_send(op->r->cx, &mar, (int)op->r->cfg->cx_timeout, on_maa, op) == 0;
}

static void on_maa(void *ctx, struct msg *ans, int err)
{
	struct reg_op *op = ctx;
	struct cx_sip_outcome o;
	struct cxc_auth_item it;

	cx_to_sip(err, ans, &o);
	if (o.status && op->digest_first && o.experimental &&
	    o.code == DIA_EXP_ERROR_AUTH_SCHEME_NOT_SUPPORTED) {
		if (ans)
			fd_msg_free(ans);
		if (mar_again_for_aka(op))
			return;
		reg_reply_status(op->irq, op->req, 500, "Server Internal Error", 5);
		reg_op_free(op);
		return;
	}
	if (o.status) {
		log_notice("MAR impi=%s impu=%s: %s%u -> %d", op->impi, op->impu,
			   o.experimental ? "exp " : "", o.code, o.status);
		reg_reply_status(op->irq, op->req, o.status, o.phrase, o.retry_after);
	} else if (cxc_maa_parse(ans, &it) < 0) {
		log_warn("MAA impi=%s: no usable SIP-Auth-Data-Item", op->impi);
		reg_reply_status(op->irq, op->req, 500, "Server Internal Error", 5);
	} else {
		challenge(op, &it);
		OPENSSL_cleanse(&it, sizeof it);
	}
	if (ans)
		fd_msg_free(ans);
	reg_op_free(op);
}

void reg_cx_mar(struct registrar *r, nta_incoming_t *irq, msg_t *req, const struct reg_req *q,
		const char *scheme, const uint8_t *resync, size_t resync_len, bool stale)
{
	struct cxc_mar m = { .impi = q->impi, .impu = q->impu, .server_name = r->server_name,
			     .scheme = scheme, .resync = resync, .resync_len = resync_len };
	struct msg *mar = NULL;
	struct reg_op *op;
	int rc;

	/* Refuse before spending an authentication vector (TS 33.203 6.1). */
	if (r->auth.count >= r->auth.max || dia_bridge_busy(r->cx, REG_ADMIT_PERCENT)) {
		reg_reply_status(irq, req, 503, "Service Unavailable", 5);
		return;
	}
	/* One IMPI may not fill the table (abuse limit). */
	if (r->auth.max_per_impi && reg_auth_count_impi(&r->auth, q->impi) >= r->auth.max_per_impi) {
		log_notice("REGISTER impi=%s: %zu challenges pending, refused", q->impi,
			   reg_auth_count_impi(&r->auth, q->impi));
		reg_reply_status(irq, req, 503, "Service Unavailable",
				 (unsigned)r->auth.timeout);
		return;
	}
	op = reg_op_new(r, REG_OP_MAR, irq, req, q->impi, q->impu);
	if (!op) {
		reg_reply_status(irq, req, 500, "Server Internal Error", 5);
		return;
	}
	op->stale = stale;
	op->digest_first = r->cfg->digest_without_credentials &&
			   !sip_object(req)->sip_authorization &&
			   strcmp(scheme, CX_AUTH_SCHEME_SIP_DIGEST) == 0;
	rc = cxc_mar_build(&r->hss, &m, &mar);
	if (rc == 0)
		rc = dia_bridge_send(r->cx, &mar, (int)r->cfg->cx_timeout, on_maa, op);
	if (rc == -EBUSY) {
		reg_reply_status(irq, req, 503, "Service Unavailable", REG_OVERLOAD_RETRY_AFTER);
		reg_op_free(op);
	} else if (rc < 0) {
		log_err("MAR impi=%s: cannot send: %s", q->impi, strerror(-rc));
		reg_reply_status(irq, req, 500, "Server Internal Error", 5);
		reg_op_free(op);
	}
}

static void on_saa(void *ctx, struct msg *ans, int err)
{
	struct reg_op *op = ctx;
	struct registrar *r = op->r;
	struct cx_sip_outcome o;
	struct reg_profile *profile = NULL;
	const char *xml;
	size_t len;
	int rc;

	if (op->cb) {
		reg_unreg_answer(op, ans, err); /* takes ans */
		reg_op_free(op);
		return;
	}
	cx_to_sip(err, ans, &o);
	if (!op->irq) {
		/* Timer-driven SAR: nothing waits, the outcome is only logged. */
		if (o.status)
			log_warn("SAR impu=%s type=%d: %s%u (err %d)", op->impu, op->sat,
				 o.experimental ? "exp " : "", o.code, err);
		goto out;
	}
	if (op->sat == CX_SAT_USER_DEREGISTRATION) {
		/* The UE asked to leave: it goes whatever the HSS said. */
		if (o.status)
			log_warn("SAR impu=%s USER_DEREGISTRATION: %s%u", op->impu,
				 o.experimental ? "exp " : "", o.code);
		reg_register_finish(r, op->irq, op->req, NULL);
		goto out;
	}
	if (o.status) {
		log_notice("SAR impi=%s impu=%s type=%d: %s%u -> %d", op->impi, op->impu, op->sat,
			   o.experimental ? "exp " : "", o.code, o.status);
		reg_reply_status(op->irq, op->req, o.status, o.phrase, o.retry_after);
		goto out;
	}
	if (cxc_saa_user_data(ans, &xml, &len) == 0) {
		rc = reg_profile_parse(xml, len, &profile);
		if (rc < 0) {
			log_warn("SAA impu=%s: unusable User-Data: %s", op->impu, strerror(-rc));
			reg_reply_status(op->irq, op->req, 500, "Server Internal Error", 5);
			goto out;
		}
	} else if (!reg_store_find(&r->store, op->impu)) {
		log_warn("SAA impu=%s: no User-Data for a new registration", op->impu);
		reg_reply_status(op->irq, op->req, 500, "Server Internal Error", 5);
		goto out;
	}
	reg_register_finish(r, op->irq, op->req, &profile);
	reg_profile_free(profile);
out:
	if (ans)
		fd_msg_free(ans);
	reg_op_free(op);
}

void reg_cx_sar(struct registrar *r, nta_incoming_t *irq, msg_t *req, const char *impi,
		const char *impu, enum cx_server_assignment_type sat, bool data_available)
{
	struct cxc_sar s = { .impi = impi, .impu = impu, .server_name = r->server_name,
			     .type = sat, .data_available = data_available };
	struct msg *sar = NULL;
	struct reg_op *op = reg_op_new(r, REG_OP_SAR, irq, req, impi, impu);
	int rc;

	if (!op) {
		if (irq)
			reg_reply_status(irq, req, 500, "Server Internal Error", 5);
		return;
	}
	op->sat = sat;
	rc = cxc_sar_build(&r->hss, &s, &sar);
	if (rc == 0)
		rc = dia_bridge_send(r->cx, &sar, (int)r->cfg->cx_timeout, on_saa, op);
	if (rc == -EBUSY) {
		/* Overload (the bridge logged it): the UE registers again later. */
		if (irq)
			reg_reply_status(irq, req, 503, "Service Unavailable",
					 REG_OVERLOAD_RETRY_AFTER);
		reg_op_free(op);
	} else if (rc < 0) {
		log_err("SAR impu=%s type=%d: cannot send: %s", impu, sat, strerror(-rc));
		if (irq)
			reg_reply_status(irq, req, 500, "Server Internal Error", 5);
		reg_op_free(op);
	}
}

int reg_cx_sar_unregistered(struct registrar *r, const char *impu, registrar_profile_cb cb,
			    void *ctx)
{
	struct cxc_sar s = { .impu = impu, .server_name = r->server_name,
			     .type = CX_SAT_UNREGISTERED_USER, .data_available = false };
	struct msg *sar = NULL;
	struct reg_op *op = reg_op_new(r, REG_OP_SAR, NULL, NULL, NULL, impu);
	int rc;

	if (!op)
		return -ENOMEM;
	op->sat = CX_SAT_UNREGISTERED_USER;
	op->cb = cb;
	op->cb_ctx = ctx;
	rc = cxc_sar_build(&r->hss, &s, &sar);
	if (rc == 0)
		rc = dia_bridge_send(r->cx, &sar, (int)r->cfg->cx_timeout, on_saa, op);
	if (rc < 0) {
		log_err("SAR impu=%s UNREGISTERED_USER: cannot send: %s", impu, strerror(-rc));
		reg_op_free(op);
	}
	return rc;
}
