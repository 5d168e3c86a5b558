/*
 * originating: requests from a registered UE toward the core
 * (TS 24.229 5.2.6.3.1 / 5.2.6.3.3 initial requests, 5.2.7.2 standalone).
 *
 * The UE is the registered one whose flow the request came from. Its
 * untrusted headers go, P-Asserted-Identity is set from its IMPUs
 * (identity.h), the stored Service-Route becomes the Route set (so the
 * request reaches the S-CSCF's "orig" URI whatever the UE put), we
 * Record-Route (in-dialog requests then come through us) and a fresh
 * P-Charging-Vector is added.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include "identity.h"
#include "pcscf.h"

/* An initial request at the core, for overload control (n->req_admit):
 * in flight until its final response, one latency sample at its first
 * answer (a 1xx above 100, or a final that is not nta's own). */
struct orig_tx {
	struct pcscf *n;
	long long t_sent;     /* ms (monotonic) */
	bool sampled;
};

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Charging data is for the network only (TS 24.229 5.2.7.x). */
static enum sipproxy_verdict to_ue(void *ctx, struct sipproxy_tx *tx, msg_t *resp, sip_t *sip)
{
	static const char *const network_only[] = { "P-Charging-Function-Addresses",
						    "P-Charging-Vector", NULL };
	struct orig_tx *t = ctx;
	int status = sip && sip->sip_status ? sip->sip_status->st_status : 0;

	(void)tx;
	if (resp && sip)
		pcscf_remove_headers(resp, network_only);
	if (!t || status == 100)
		return SIPPROXY_RELAY;
	if (!t->sampled && status > 100 && resp && !nta_is_internal_msg(resp)) {
		admit_sample(&t->n->req_admit, mono_ms() - t->t_sent);
		t->sampled = true;
	}
	if (status >= 200 || status == 0) {
		admit_leave(&t->n->req_admit);
		free(t);
	}
	return SIPPROXY_RELAY;
}

/* Overload control at the edge (RFC 6357 3, ims/admit.h): the cheapest
 * place to refuse a new session is before it costs the core anything.
 * Only requests that start something (the in-dialog ones never come here;
 * ACK, CANCEL, BYE, PRACK and UPDATE are never refused). */
static bool overloaded(struct pcscf *n, nta_incoming_t *irq)
{
	switch (nta_incoming_method(irq)) {
	case sip_method_ack:
	case sip_method_cancel:
	case sip_method_bye:
	case sip_method_prack:
	case sip_method_update:
		return false;
	default:
		break;
	}
	if (admit_check(&n->req_admit, false))
		return false;
	nta_incoming_treply(irq, SIP_503_SERVICE_UNAVAILABLE,
			    SIPTAG_RETRY_AFTER_STR(ADMIT_RETRY_AFTER), TAG_END());
	nta_incoming_destroy(irq);
	return true;
}

static int set_route(msg_t *req, const struct reg *reg)
{
	sip_t *sip = sip_object(req);

	pcscf_remove_header(req, "Route");
	for (size_t i = 0; i < reg->n_service_route; i++) {
		char *v = su_sprintf(msg_home(req), "<%s>", reg->service_route[i]);

		if (!v || sip_add_make(req, sip, sip_route_class, v) < 0)
			return -ENOMEM;
	}
	return 0;
}

int pcscf_originating(struct pcscf *n, nta_incoming_t *irq, const struct flow *src,
		      struct reg *reg)
{
	int status = 500, rc;
	msg_t *req;
	const char *asserted = NULL, *next_hop;
	struct orig_tx *t;
	char fl[96];

	if (overloaded(n, irq))
		return 0;
	/* Edited in place: nothing retries it, and src was read already. */
	req = sipproxy_request_take(irq, &status);
	if (!req)
		return status;
	if ((rc = id_assert(req, reg, &asserted)) < 0 || (rc = set_route(req, reg)) < 0 ||
	    (rc = pcscf_add_record_route(n, req, NULL)) < 0 ||
	    (rc = chg_set_vector(req, &n->icid, n->cfg->sip.address, n->cfg->home_network)) < 0) {
		log_warn("originating request from %s: %s", flow_str(src, fl, sizeof fl),
			 strerror(-rc));
		msg_destroy(req);
		return 500;
	}
	/* No Service-Route stored: the S-CSCF is unknown; the I-CSCF finds it. */
	next_hop = reg->n_service_route ? reg->service_route[0] : n->cfg->icscf;
	log_debug("originating %s from %s asserted=%s via %s",
		  sip_object(req)->sip_request->rq_method_name, flow_str(src, fl, sizeof fl),
		  asserted, next_hop);
	t = malloc(sizeof *t);
	if (t) {
		*t = (struct orig_tx){ .n = n, .t_sent = mono_ms() };
		admit_enter(&n->req_admit); /* before sending: nta may call back */
	}
	status = pcscf_forward(n, irq, req, next_hop, to_ue, t);
	if (status != 0 && t) { /* nothing sent: no callback will come */
		admit_leave(&n->req_admit);
		free(t);
	}
	return status;
}
