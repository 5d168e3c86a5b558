/*
 * Requests toward a user of the home network (TS 24.229 5.3.2.1,
 * TS 29.228 6.1.4): a tel URI found in the static number table becomes its
 * SIP URI; then LIR (Public-Identity = Request-URI, Originating-Request when
 * a Route to us carried "orig") -> Server-Name, or Server-Capabilities
 * (unregistered service) -> S-CSCF selection. The request goes to the
 * S-CSCF with its URI as topmost Route (plus "orig" when originating); the
 * Request-URI is kept. Failures: see cx_to_sip.c; no S-CSCF: 600.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include "icscf_cx.h"
#include "ident.h"
#include "ims/sip.h"

struct term_job {
	struct icscf_job job;          /* first: cast from/to */
	bool sent;                     /* forwarded: the tx owns irq */
	nta_incoming_t *irq;
	struct sipproxy_tx *tx;
	msg_t *req;
	bool originating;
	char impu[SCSCF_URI_MAX];
	char scscf[SCSCF_URI_MAX];
	char method[32];
	struct icscf_edge edge;        /* trust boundary (boundary.c) */
};

static void term_free(struct term_job *t)
{
	icscf_job_unlink(&t->job);
	if (t->req)
		msg_destroy(t->req);
	free(t);
}

/* later: the HSS could not be asked, the answer carries Retry-After. */
static void term_finish_hdr(struct term_job *t, int status, const char *phrase, bool later)
{
	log_notice("%s impu=%s -> %d %s", t->method, t->impu, status, phrase);
	if (!t->sent && t->irq) {
		if (later)
			nta_incoming_treply(t->irq, status, phrase,
					    SIPTAG_HEADER_STR(ICSCF_RETRY_AFTER), TAG_END());
		else
			nta_incoming_treply(t->irq, status, phrase, TAG_END());
		nta_incoming_destroy(t->irq);
	}
	term_free(t);
}

/* Over the Cx bound: 503 with the overload Retry-After. */
static void term_finish_overload(struct term_job *t)
{
	if (!t->sent && t->irq) {
		nta_incoming_treply(t->irq, SIP_503_SERVICE_UNAVAILABLE,
				    SIPTAG_HEADER_STR(ICSCF_OVERLOAD_RETRY_AFTER), TAG_END());
		nta_incoming_destroy(t->irq);
	}
	term_free(t);
}

static void term_finish(struct term_job *t, int status, const char *phrase)
{
	term_finish_hdr(t, status, phrase, false);
}

static void term_cancel(struct icscf_job *job, int status)
{
	struct term_job *t = (struct term_job *)job;

	if (t->sent && t->tx) {
		/* Shutting down: end the proxy transaction ourselves (see
		 * reg_cancel). */
		sipproxy_reply(t->tx, status, "Service Unavailable", NULL);
		term_free(t);
		return;
	}
	term_finish(t, status, "Service Unavailable");
}

/* CANCEL while the LIR is pending (RFC 3261 16.10): answer the INVITE
 * 487 now; the job goes when the LIA arrives. */
static int term_on_cancel(nta_incoming_magic_t *magic, nta_incoming_t *irq,
			  sip_t const *sip)
{
	struct term_job *t = (struct term_job *)magic;

	(void)irq; /* may be the CANCEL's own transaction */
	(void)sip;
	if (t->irq && !t->sent) {
		log_info("%s impu=%s canceled before routing", t->method, t->impu);
		nta_incoming_treply(t->irq, SIP_487_REQUEST_TERMINATED, TAG_END());
		nta_incoming_destroy(t->irq);
		t->irq = NULL;
	}
	return 0;
}

static enum sipproxy_verdict term_on_response(void *ctx, struct sipproxy_tx *tx, msg_t *resp,
					      sip_t *sip)
{
	struct term_job *t = ctx;
	int status = sip && sip->sip_status ? sip->sip_status->st_status : 503;

	(void)tx;
	icscf_edge_response(t->job.node, resp, &t->edge);
	if (status < 200)
		return SIPPROXY_RELAY;
	/* Only transport failures say something about the S-CSCF's health. */
	if (!sip)
		scscf_pool_set_health(&t->job.node->pool, t->scscf, false);
	term_free(t);
	return SIPPROXY_RELAY;
}

/* Route: <server-name;lr[;orig]> on top, so that the S-CSCF knows the
 * request is for it and in which role. */
static int add_scscf_route(struct term_job *t, const char *name)
{
	sip_t *sip = sip_object(t->req);
	char value[SCSCF_URI_MAX + 32];
	sip_route_t *rt;

	snprintf(value, sizeof value, "<%s;lr%s>", name, t->originating ? ";orig" : "");
	rt = sip_route_make(msg_home(t->req), value);
	if (!rt)
		return -ENOMEM;
	/* Prepend: msg_header_insert would append after the remaining Route. */
	return msg_header_prepend(t->req, (msg_pub_t *)sip, (msg_header_t **)&sip->sip_route,
				  (msg_header_t *)rt) < 0 ? -ENOMEM : 0;
}

static void term_on_lia(void *ctx, const struct icscf_cx_answer *a)
{
	struct term_job *t = ctx;
	struct icscf *n = t->job.node;
	const char *phrase, *name = NULL, *named = NULL;
	int status = icscf_cx_to_sip(ICSCF_CX_LIR, a, &phrase);
	msg_t *req;
	int idx;

	if (!t->irq) {
		term_free(t); /* canceled meanwhile */
		return;
	}
	if (status) {
		term_finish_hdr(t, status, phrase, icscf_cx_retry_later(ICSCF_CX_LIR, a));
		return;
	}
	if (a->server_name[0]) {
		name = a->server_name;
	} else {
		idx = scscf_select(&n->pool, &a->caps, NULL, 0, arc4random(), &named);
		name = idx >= 0 ? n->pool.v[idx].name : named;
	}
	if (!name) {
		term_finish(t, 600, "Busy Everywhere");
		return;
	}
	snprintf(t->scscf, sizeof t->scscf, "%s", name);
	if (add_scscf_route(t, name) < 0) {
		term_finish(t, 500, "Server Internal Error");
		return;
	}
	log_info("%s impu=%s -> S-CSCF %s", t->method, t->impu, name);
	req = t->req;
	t->req = NULL;
	if (sipproxy_forward(n->sip, t->irq, req, icscf_next_hop(n, name), term_on_response, t,
			     false, &t->tx) < 0) {
		term_finish(t, 500, "Server Internal Error");
		return;
	}
	t->sent = true;
	t->irq = NULL;
}

/* tel URI (or sip;user=phone) in the number table: the Request-URI becomes
 * the SIP URI (an ENUM-like translation, TS 24.229 5.3.2.1). */
static int translate_number(struct icscf *n, msg_t *req, sip_t *rs)
{
	char number[64];
	const char *uri;
	sip_request_t *rq;

	if (ident_global_number(rs->sip_request->rq_url, number, sizeof number) < 0)
		return 0;
	uri = ident_tel_lookup(n->cfg, number);
	if (!uri)
		return 0;
	rq = sip_request_create(msg_home(req), rs->sip_request->rq_method,
				rs->sip_request->rq_method_name, URL_STRING_MAKE(uri), NULL);
	if (!rq || msg_header_replace(req, (msg_pub_t *)rs, (msg_header_t *)rs->sip_request,
				      (msg_header_t *)rq) < 0)
		return -ENOMEM;
	log_info("number %s -> %s", number, uri);
	return 0;
}

/* The Public-Identity of the LIR: a number not in the table is asked for
 * as a tel URI without visual separators (the form the HSS stores, TS 23.003
 * 13.4), also when it came as sip:+...;user=phone; else the SIP URI. */
static int public_identity(const url_t *ru, struct term_job *t)
{
	char number[64];
	int w;

	if (ident_global_number(ru, number, sizeof number) < 0)
		return ident_impu_of_url(ru, t->impu, sizeof t->impu);
	w = snprintf(t->impu, sizeof t->impu, "tel:%s", number);
	return w < 0 || (size_t)w >= sizeof t->impu ? -ENAMETOOLONG : 0;
}

int icscf_terminating(struct icscf *n, nta_incoming_t *irq, const sip_t *sip)
{
	struct term_job *t;
	struct icscf_lir q;
	int status;
	msg_t *req;
	sip_t *rs;

	/* A new request (ACK and CANCEL never reach here): shed before work. */
	if (icscf_cx_shed(n, irq, ICSCF_ADMIT_PERCENT))
		return 0;
	req = sipproxy_request_copy(irq, &status);
	if (!req)
		return status;
	rs = sip_object(req);
	t = calloc(1, sizeof *t);
	if (!t) {
		msg_destroy(req);
		return 500;
	}
	t->req = req;
	t->irq = irq;
	t->job.cancel = term_cancel;
	snprintf(t->method, sizeof t->method, "%s", sip->sip_request->rq_method_name);
	t->edge.src_untrusted = !trust_irq(&n->trust, irq);
	if (icscf_edge_in(n, req, &t->edge) < 0) {
		msg_destroy(req);
		free(t);
		return 403;
	}
	icscf_pop_own_routes(n, req, rs, &t->originating);
	if (t->originating && t->edge.src_untrusted) {
		/* Originating service is asked for by home nodes only (an AS
		 * or P-CSCF, TS 24.229 5.3.2.1): not by another network. */
		log_notice("%s: \"orig\" from outside the trust domain ignored", t->method);
		t->originating = false;
	}
	if (translate_number(n, req, rs) < 0 || public_identity(rs->sip_request->rq_url, t) < 0) {
		msg_destroy(req);
		free(t);
		return 404;
	}
	icscf_job_link(n, &t->job);
	if (sip->sip_request->rq_method == sip_method_invite) {
		/* RFC 3261 16.2: the HSS query may take a while. */
		nta_incoming_treply(irq, SIP_100_TRYING, TAG_END());
		nta_incoming_bind(irq, term_on_cancel, (nta_incoming_magic_t *)t);
	}
	q.impu = t->impu;
	q.originating = t->originating;
	status = icscf_lir_send(n, &q, term_on_lia, t);
	if (status == -EBUSY)
		term_finish_overload(t);
	else if (status < 0)
		term_finish_hdr(t, 480, "Temporarily Unavailable", true);
	return 0;
}
