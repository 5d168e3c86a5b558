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
#include <string.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>

#include "identity.h"
#include "pcscf.h"

/* Charging data is for the network only (TS 24.229 5.2.7.x). */
static enum sipproxy_verdict to_ue(void *ctx, struct sipproxy_tx *tx, msg_t *resp, sip_t *sip)
{
	static const char *const network_only[] = { "P-Charging-Function-Addresses",
						    "P-Charging-Vector", NULL };

	(void)ctx;
	(void)tx;
	if (resp && sip)
		pcscf_remove_headers(resp, network_only);
	return SIPPROXY_RELAY;
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
	msg_t *req = sipproxy_request_copy(irq, &status);
	const char *asserted = NULL, *next_hop;
	char fl[96];

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
	return pcscf_forward(n, irq, req, next_hop, to_ue, NULL);
}
