/*
 * REGISTER at the I-CSCF (TS 24.229 5.3.1, TS 29.228 6.1.1):
 * UAR -> Server-Name, or Server-Capabilities -> S-CSCF selection -> forward
 * statefully (the Request-URI stays). When the S-CSCF does not answer
 * (408/503 from nta or from it), or answers 3xx/480, another one is chosen
 * after a UAR with type REGISTRATION_AND_CAPABILITIES, excluding those
 * already tried (5.3.1.3), up to scscf.max_attempts. No registration state
 * is kept beyond the transaction.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include "icscf_cx.h"
#include "ident.h"
#include "ims/sip.h"

#define REG_TRIES_MAX 8
#define REG_ID_MAX 256

enum reg_state {
	REG_QUERY,     /* first UAR in flight; irq and req ours */
	REG_SENT,      /* forwarded; the proxy tx owns irq */
	REG_RESELECT,  /* failover UAR in flight; tx waits for us */
};

struct reg_job {
	struct icscf_job job;          /* first: cast from/to */
	enum reg_state state;
	nta_incoming_t *irq;
	msg_t *req;
	struct sipproxy_tx *tx;
	char impi[REG_ID_MAX], impu[REG_ID_MAX], visited[REG_ID_MAX];
	uint32_t uat;
	/* S-CSCFs tried, in order (malloc'd): names, not 256-byte slots, keep
	 * the job under 1 KB, in malloc's fast per-size caches. */
	char *tried[REG_TRIES_MAX];
	size_t n_tried;
	struct icscf_edge edge;        /* trust boundary (boundary.c) */
};

static void reg_free(struct reg_job *r)
{
	size_t i;

	icscf_job_unlink(&r->job);
	for (i = 0; i < r->n_tried; i++)
		free(r->tried[i]);
	if (r->req)
		msg_destroy(r->req);
	free(r);
}

/* Answer upstream ourselves and end the job, whatever its state. A 480
 * here always means the UAR could not be completed (icscf_cx_to_sip maps
 * every negative UAA to 403): it carries Retry-After. */
static void reg_finish(struct reg_job *r, int status, const char *phrase)
{
	const char *extra = status == 480 ? ICSCF_RETRY_AFTER :
			    status == 503 ? ICSCF_OVERLOAD_RETRY_AFTER : NULL;

	log_notice("REGISTER impu=%s impi=%s -> %d %s", r->impu, r->impi, status, phrase);
	if (r->state == REG_QUERY && r->irq) {
		if (extra)
			nta_incoming_treply(r->irq, status, phrase, SIPTAG_HEADER_STR(extra),
					    TAG_END());
		else
			nta_incoming_treply(r->irq, status, phrase, TAG_END());
		nta_incoming_destroy(r->irq);
	} else if (r->state == REG_RESELECT && r->tx) {
		sipproxy_reply(r->tx, status, phrase, extra);
	}
	reg_free(r);
}

static void reg_cancel(struct icscf_job *job, int status)
{
	struct reg_job *r = (struct reg_job *)job;

	if (r->state == REG_SENT && r->tx) {
		/* Shutting down with the request at an S-CSCF: answer upstream
		 * and end the proxy transaction (its client side is dropped),
		 * as nta_agent_destroy would not call back. */
		sipproxy_reply(r->tx, status, "Service Unavailable", NULL);
		reg_free(r);
		return;
	}
	reg_finish(r, status, "Service Unavailable");
}

/* FNV-1a of the private identity: the draw among equal S-CSCFs. */
static uint32_t impi_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

/* The S-CSCF to use after a successful UAA, or NULL (then 600). Among
 * equal candidates the pick is a hash of the IMPI, not a random draw: users
 * still spread evenly, and the REGISTERs of one registration land on the
 * same S-CSCF when each comes with capabilities only. That happens after a
 * failover: the HSS keeps the dead Server-Name of a registered user until
 * a SAR (TS 29.228 6.3.1.1 as hss/cx/mar.c reads it), so both the
 * challenged REGISTER and the one with credentials go through UAR type 2;
 * a random pick sent the second one to another S-CSCF, which challenged
 * again (half of the re-registrations failed in multi_scscf.sh). */
static const char *reg_choose(struct reg_job *r, const struct icscf_cx_answer *a)
{
	struct icscf *n = r->job.node;
	const char *excl[REG_TRIES_MAX];
	const char *named = NULL;
	size_t i;
	int idx;

	for (i = 0; i < r->n_tried; i++)
		excl[i] = r->tried[i];
	if (a->server_name[0]) {
		for (i = 0; i < r->n_tried; i++)
			if (scscf_uri_equal(a->server_name, r->tried[i]))
				break;
		if (i == r->n_tried)
			return a->server_name;
	}
	/* Capabilities (possibly none: any S-CSCF will do). */
	idx = scscf_select(&n->pool, &a->caps, excl, r->n_tried, impi_hash(r->impi), &named);
	if (idx >= 0)
		return n->pool.v[idx].name;
	return named;
}

static enum sipproxy_verdict reg_on_response(void *ctx, struct sipproxy_tx *tx, msg_t *resp,
					     sip_t *sip);

/* Forward (first time) or re-send (failover) to the chosen S-CSCF. */
static void reg_forward(struct reg_job *r, const char *name)
{
	struct icscf *n = r->job.node;
	const char *hop = icscf_next_hop(n, name);
	char *copy = strdup(name);
	int rc;

	if (!copy) {
		reg_finish(r, 500, "Server Internal Error");
		return;
	}
	r->tried[r->n_tried++] = copy;
	log_info("REGISTER impu=%s -> S-CSCF %s via %s", r->impu, name, hop);
	if (r->state == REG_QUERY) {
		msg_t *req = r->req;

		r->req = NULL;
		rc = sipproxy_forward(n->sip, r->irq, req, hop, reg_on_response, r, true, &r->tx);
		if (rc < 0) {
			reg_finish(r, 500, "Server Internal Error");
			return;
		}
		r->irq = NULL;
		r->state = REG_SENT;
		return;
	}
	rc = sipproxy_retry(r->tx, hop);
	if (rc < 0) {
		reg_finish(r, 500, "Server Internal Error");
		return;
	}
	r->state = REG_SENT;
}

static void reg_on_uaa(void *ctx, const struct icscf_cx_answer *a)
{
	struct reg_job *r = ctx;
	const char *phrase;
	const char *name;
	int status = icscf_cx_to_sip(ICSCF_CX_UAR, a, &phrase);

	if (status) {
		if (a->err)
			log_warn("UAR impu=%s: no answer from the HSS: %s", r->impu, strerror(-a->err));
		reg_finish(r, status, phrase);
		return;
	}
	name = reg_choose(r, a);
	if (!name) {
		/* TS 24.229 5.3.1.2/5.3.1.3: no S-CSCF can take the user. */
		reg_finish(r, 600, "Busy Everywhere");
		return;
	}
	reg_forward(r, name);
}

static void reg_send_uar(struct reg_job *r)
{
	struct icscf_uar q = {
		.impi = r->impi, .impu = r->impu, .visited = r->visited, .type = r->uat,
	};

	int rc = icscf_uar_send(r->job.node, &q, reg_on_uaa, r);

	if (rc == -EBUSY)
		reg_finish(r, 503, "Service Unavailable");
	else if (rc < 0)
		reg_finish(r, 480, "Temporarily Unavailable");
}

/* A 503 with Retry-After is an overloaded S-CSCF, not a dead one (RFC 3261
 * 21.5.4): trying another costs one more UAR at an HSS that is likely just
 * as loaded (RFC 6357 4, amplification), so it goes back to the UE as it
 * is and the S-CSCF stays in the pool. */
static bool overload_status(int status, const sip_t *sip)
{
	return status == 503 && sip && sip->sip_retry_after;
}

static bool failover_status(int status)
{
	/* No answer (nta 408/503), overload (503), 3xx or 480: TS 24.229 5.3.1.3. */
	return status == 408 || status == 503 || status == 480 ||
	       (status >= 300 && status < 400);
}

static enum sipproxy_verdict reg_on_response(void *ctx, struct sipproxy_tx *tx, msg_t *resp,
					     sip_t *sip)
{
	struct reg_job *r = ctx;
	struct icscf *n = r->job.node;
	int status = sip && sip->sip_status ? sip->sip_status->st_status : 503;
	const char *last = r->tried[r->n_tried - 1];

	icscf_edge_response(n, resp, &r->edge);
	if (status < 200)
		return SIPPROXY_RELAY;
	if (!failover_status(status) || r->uat == CX_UAT_DE_REGISTRATION ||
	    overload_status(status, sip)) {
		log_info("REGISTER impu=%s: S-CSCF %s answered %d", r->impu, last, status);
		reg_free(r);
		return SIPPROXY_RELAY;
	}
	if (status == 408 || status == 503)
		scscf_pool_set_health(&n->pool, last, false);
	if (r->n_tried >= (size_t)n->cfg->scscf.max_attempts || r->n_tried >= REG_TRIES_MAX) {
		log_warn("REGISTER impu=%s: S-CSCF %s answered %d, no attempt left", r->impu,
			 last, status);
		r->tx = tx;
		r->state = REG_RESELECT;
		reg_finish(r, 600, "Busy Everywhere");
		return SIPPROXY_TAKEN;
	}
	log_warn("REGISTER impu=%s: S-CSCF %s answered %d, selecting another", r->impu, last,
		 status);
	r->tx = tx;
	r->state = REG_RESELECT;
	r->uat = CX_UAT_REGISTRATION_AND_CAPABILITIES;
	reg_send_uar(r);
	return SIPPROXY_TAKEN;
}

static void first_visited_network(struct reg_job *r, msg_t *msg, const char *realm)
{
	const char **ids = NULL;
	size_t n = 0;

	if (sip_hdr_visited_network_ids(msg, &ids, &n) == 0 && n > 0 && ids[0][0])
		snprintf(r->visited, sizeof r->visited, "%s", ids[0]);
	else
		snprintf(r->visited, sizeof r->visited, "%s", realm);
}

int icscf_register(struct icscf *n, nta_incoming_t *irq, const sip_t *sip)
{
	struct reg_job *r;
	int status;
	msg_t *req;
	sip_t *rs;

	if (!sip_hdr_has_credentials(sip) && icscf_cx_shed(n, irq, ICSCF_ADMIT_PERCENT))
		return 0;
	req = sipproxy_request_copy(irq, &status);
	if (!req)
		return status;
	rs = sip_object(req);
	r = calloc(1, sizeof *r);
	if (!r) {
		msg_destroy(req);
		return 500;
	}
	r->edge.src_untrusted = !trust_irq(&n->trust, irq);
	if (icscf_edge_in(n, req, &r->edge) < 0) {
		msg_destroy(req);
		free(r);
		return 403;
	}
	icscf_pop_own_routes(n, req, rs, NULL);
	r->req = req;
	r->irq = irq;
	r->job.cancel = reg_cancel;
	if (!rs->sip_to || ident_impu_of_url(rs->sip_to->a_url, r->impu, sizeof r->impu) < 0 ||
	    ident_impi_of_register(req, rs, r->impi, sizeof r->impi) < 0) {
		msg_destroy(req);
		free(r);
		return 400;
	}
	first_visited_network(r, req, icscf_realm(n));
	r->uat = ident_is_deregistration(rs) ? CX_UAT_DE_REGISTRATION : CX_UAT_REGISTRATION;
	icscf_job_link(n, &r->job);
	reg_send_uar(r);
	return 0;
}
