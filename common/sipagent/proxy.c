/* sipproxy: see ims/sipproxy.h for the contract. */
#include "ims/sipproxy.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/nta_stateless.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include "ims/log.h"

struct sipproxy_tx {
	struct sipagent_work work;  /* first: linked into the agent while alive */
	struct sipagent *agent;
	nta_incoming_t *irq;
	nta_outgoing_t *orq;
	msg_t *kept;              /* copy of the request for retry, or NULL */
	msg_t *sent;              /* reference to the request as sent */
	sipproxy_response_fn cb;
	void *ctx;
	bool waiting;             /* final response TAKEN, caller decides */
};

/* RFC 3261 16.6 step 3: Max-Forwards decremented, or 70 when absent.
 * Returns 0, or the status to answer (483 at 0, 500 on memory failure). */
static int hop(msg_t *msg)
{
	sip_t *sip = sip_object(msg);

	if (sip->sip_max_forwards) {
		if (sip->sip_max_forwards->mf_count == 0)
			return 483;
		sip->sip_max_forwards->mf_count--;
		/* Forget the received text so the new value is encoded. */
		sip_fragment_clear(sip->sip_max_forwards->mf_common);
		return 0;
	}
	return sip_add_tl(msg, sip, SIPTAG_MAX_FORWARDS_STR("70"), TAG_END()) < 0 ? 500 : 0;
}

msg_t *sipproxy_request_copy(nta_incoming_t *irq, int *status)
{
	msg_t *orig = nta_incoming_getrequest(irq);
	msg_t *copy;

	*status = 500;
	if (!orig)
		return NULL;
	copy = msg_copy(orig);
	msg_destroy(orig);
	if (!copy)
		return NULL;
	if ((*status = hop(copy)) != 0) {
		msg_destroy(copy);
		return NULL;
	}
	return copy;
}

msg_t *sipproxy_request_take(nta_incoming_t *irq, int *status)
{
	msg_t *msg = nta_incoming_getrequest(irq);

	*status = 500;
	if (!msg)
		return NULL;
	if ((*status = hop(msg)) != 0) {
		msg_destroy(msg);
		return NULL;
	}
	return msg;
}

static void tx_free(struct sipproxy_tx *tx)
{
	sipagent_work_remove(&tx->work);
	if (tx->orq)
		nta_outgoing_destroy(tx->orq);
	if (tx->irq)
		nta_incoming_destroy(tx->irq);
	if (tx->kept)
		msg_destroy(tx->kept);
	if (tx->sent)
		msg_destroy(tx->sent);
	free(tx);
}

static int on_cancel(nta_incoming_magic_t *magic, nta_incoming_t *irq, sip_t const *sip)
{
	struct sipproxy_tx *tx = (struct sipproxy_tx *)magic;

	(void)irq;
	(void)sip;
	/* RFC 3261 16.10: pass the CANCEL on; the 487 comes back as a response. */
	if (tx->orq)
		nta_outgoing_cancel(tx->orq);
	return 0;
}

static int on_response(nta_outgoing_magic_t *magic, nta_outgoing_t *orq, sip_t const *csip)
{
	struct sipproxy_tx *tx = (struct sipproxy_tx *)magic;
	int status = nta_outgoing_status(orq);
	msg_t *resp = nta_outgoing_getresponse(orq);
	sip_t *sip = resp ? sip_object(resp) : NULL;
	enum sipproxy_verdict v = SIPPROXY_RELAY;

	(void)csip;
	if (status < 100) {
		if (resp)
			msg_destroy(resp);
		return 0;
	}
	if (sip && sip->sip_via)
		sip_header_remove(resp, sip, (sip_header_t *)sip->sip_via);
	if (status >= 200) {
		/* Done with this client transaction before the callback, so that
		 * a callback returning TAKEN may call sipproxy_retry() or
		 * sipproxy_reply() right away (both replace or free tx). */
		nta_outgoing_destroy(tx->orq);
		tx->orq = NULL;
		tx->waiting = true;
	}
	if (tx->cb && sip)
		v = tx->cb(tx->ctx, tx, resp, sip);
	else if (tx->cb && status >= 200)
		v = tx->cb(tx->ctx, tx, NULL, NULL);
	if (status < 200) {
		if (resp)
			nta_incoming_mreply(tx->irq, resp);
		return 0;
	}
	if (v == SIPPROXY_TAKEN) {
		/* tx may be gone (reply) or sending again (retry): not touched. */
		if (resp)
			msg_destroy(resp);
		return 0;
	}
	tx->waiting = false;
	if (resp && sip && sip->sip_status)
		nta_incoming_mreply(tx->irq, resp);
	else {
		if (resp)
			msg_destroy(resp);
		nta_incoming_treply(tx->irq, status, status == 408 ? "Request Timeout" : "Service Unavailable",
				    TAG_END());
	}
	tx_free(tx);
	return 0;
}

/* The agent is closing (tx already unlinked). A request still out: its
 * client transaction goes and the callback hears of it as of a transport
 * failure (NULL response; upstream gets 503 unless TAKEN), so the caller
 * frees its context now; a retry or redirect then fails (-ESHUTDOWN) and
 * the caller replies. A tx waiting for its caller (TAKEN earlier, e.g. a
 * Diameter query in between) is left to it until the agent's last pass,
 * which answers 503 and frees it: nothing can complete it any more. */
static void tx_abort(struct sipagent_work *w, bool last)
{
	struct sipproxy_tx *tx = (struct sipproxy_tx *)w;
	enum sipproxy_verdict v = SIPPROXY_RELAY;

	if (tx->waiting) {
		if (!last) {
			sipagent_work_add(tx->agent, &tx->work);
			return;
		}
		nta_incoming_treply(tx->irq, SIP_503_SERVICE_UNAVAILABLE, TAG_END());
		tx_free(tx);
		return;
	}
	if (tx->orq) {
		nta_outgoing_destroy(tx->orq);
		tx->orq = NULL;
	}
	tx->waiting = true;
	/* Linked again first: if the caller keeps it waiting, the last pass
	 * finds it; if the caller ends it, tx_free unlinks it. */
	sipagent_work_add(tx->agent, &tx->work);
	if (tx->cb)
		v = tx->cb(tx->ctx, tx, NULL, NULL);
	if (v == SIPPROXY_TAKEN)
		return;
	tx->waiting = false;
	nta_incoming_treply(tx->irq, SIP_503_SERVICE_UNAVAILABLE, TAG_END());
	tx_free(tx);
}

static int send_request(struct sipproxy_tx *tx, msg_t *req, const char *next_hop)
{
	int err = 0;

	tx->sent = msg_ref_create(req);
	tx->orq = sipagent_outgoing(tx->agent, on_response, (nta_outgoing_magic_t *)tx, next_hop,
				    req, &err);
	if (!tx->orq) {
		msg_destroy(tx->sent);
		tx->sent = NULL;
		msg_destroy(req);
		return err;
	}
	return 0;
}

int sipproxy_forward(struct sipagent *agent, nta_incoming_t *irq, msg_t *req,
		     const char *next_hop, sipproxy_response_fn cb, void *ctx,
		     bool keep_for_retry, struct sipproxy_tx **out)
{
	struct sipproxy_tx *tx = calloc(1, sizeof *tx);
	int rc;

	if (!tx) {
		msg_destroy(req);
		return -ENOMEM;
	}
	tx->agent = agent;
	tx->cb = cb;
	tx->ctx = ctx;
	if (keep_for_retry && !(tx->kept = msg_copy(req))) {
		free(tx);
		msg_destroy(req);
		return -ENOMEM;
	}
	rc = send_request(tx, req, next_hop);
	if (rc < 0) {
		if (tx->kept)
			msg_destroy(tx->kept);
		free(tx);
		return rc;
	}
	tx->irq = irq;
	nta_incoming_bind(irq, on_cancel, (nta_incoming_magic_t *)tx);
	tx->work.abort = tx_abort;
	sipagent_work_add(agent, &tx->work);
	if (out)
		*out = tx;
	return 0;
}

int sipproxy_retry(struct sipproxy_tx *tx, const char *next_hop)
{
	msg_t *req;

	if (!tx->waiting || !tx->kept)
		return -EINVAL;
	req = msg_copy(tx->kept);
	if (!req)
		return -ENOMEM;
	if (tx->sent) {
		msg_destroy(tx->sent);
		tx->sent = NULL;
	}
	tx->waiting = false;
	if (send_request(tx, req, next_hop) < 0) {
		tx->waiting = true;
		return -EIO;
	}
	return 0;
}

int sipproxy_redirect(struct sipproxy_tx *tx, msg_t *req, const char *next_hop,
		      sipproxy_response_fn cb, void *ctx)
{
	if (!tx->waiting) {
		msg_destroy(req);
		return -EINVAL;
	}
	if (tx->sent) {
		msg_destroy(tx->sent);
		tx->sent = NULL;
	}
	if (tx->kept) {
		msg_destroy(tx->kept);
		tx->kept = NULL;
	}
	tx->cb = cb;
	tx->ctx = ctx;
	tx->waiting = false;
	if (send_request(tx, req, next_hop) < 0) {
		tx->waiting = true;
		return -EIO;
	}
	return 0;
}

void sipproxy_reply(struct sipproxy_tx *tx, int status, const char *phrase,
		    const char *extra_header)
{
	if (extra_header)
		nta_incoming_treply(tx->irq, status, phrase, SIPTAG_HEADER_STR(extra_header), TAG_END());
	else
		nta_incoming_treply(tx->irq, status, phrase, TAG_END());
	tx_free(tx);
}

nta_incoming_t *sipproxy_release(struct sipproxy_tx *tx)
{
	nta_incoming_t *irq;

	if (!tx || !tx->waiting)
		return NULL;
	irq = tx->irq;
	tx->irq = NULL;
	nta_incoming_bind(irq, NULL, NULL);
	tx_free(tx);
	return irq;
}

const sip_t *sipproxy_request(const struct sipproxy_tx *tx)
{
	return tx->sent ? sip_object(tx->sent) : NULL;
}

int sipproxy_forward_stateless(struct sipagent *agent, msg_t *msg, const char *next_hop)
{
	return sipagent_send_stateless(agent, msg, next_hop);
}
