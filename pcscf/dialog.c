/*
 * dialog: requests inside a dialog we Record-Routed, in both directions
 * (RFC 3261 16.4 loose routing, 16.11 ACK to 2xx forwarded statelessly).
 *
 * Our own Route entries are removed; the next Route, if any, is the next
 * hop. Without one the Request-URI is the target: when it is the contact of
 * a registered UE, the request goes over that UE's flow (NAT friendly).
 * A request from a registered UE gets its asserted identity as an initial
 * one does (TS 24.229 5.2.6.3.5: the UE's own trusted headers are not
 * believed inside a dialog either).
 */
#include <errno.h>
#include <string.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_alloc.h>

#include "identity.h"
#include "pcscf.h"

int pcscf_in_dialog(struct pcscf *n, nta_incoming_t *irq, const sip_t *rsip,
		    const struct reg *from_ue)
{
	int status = 500;
	bool ack = rsip->sip_request->rq_method == sip_method_ack;
	msg_t *req = sipproxy_request_copy(irq, &status);
	const char *next_hop = NULL;
	char uri[128];
	sip_t *sip;
	int rc;

	if (!req) {
		if (ack) {
			nta_incoming_destroy(irq);
			return 0;
		}
		return status;
	}
	sip = sip_object(req);
	if (from_ue && id_assert(req, from_ue, NULL) < 0) {
		msg_destroy(req);
		if (ack) {
			nta_incoming_destroy(irq);
			return 0;
		}
		return 500;
	}
	pcscf_pop_own_routes(n, req);
	if (sip->sip_route) {
		next_hop = url_as_string(msg_home(req), sip->sip_route->r_url);
	} else {
		char *ruri = url_as_string(msg_home(req), sip->sip_request->rq_url);
		struct reg *reg = reg_store_by_contact(n->regs, ruri, pcscf_now());

		if (reg && flow_uri(&reg->flow, uri, sizeof uri) == 0)
			next_hop = uri;
	}
	log_debug("in-dialog %s to %s", sip->sip_request->rq_method_name,
		  next_hop ? next_hop : "(Request-URI)");
	if (ack) {
		/* No transaction to answer: forward and forget the irq. */
		rc = sipproxy_forward_stateless(n->sip, req, next_hop);
		if (rc < 0)
			log_debug("ACK not forwarded: %s", strerror(-rc));
		nta_incoming_destroy(irq);
		return 0;
	}
	return pcscf_forward(n, irq, req, next_hop, NULL, NULL);
}
