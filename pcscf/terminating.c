/*
 * terminating: requests from the core toward a registered UE
 * (TS 24.229 5.2.6.4, RFC 3327 6: the request comes back with our Path
 * entry, carrying the flow token, as its top Route).
 *
 * The request is sent over the flow the UE registered from (its real
 * source address: NAT friendly; over TCP nta reuses the open connection to
 * that address), not to the Request-URI host. We Record-Route so that the
 * UE's in-dialog requests come through us, and charging data stays in the
 * network.
 */
#include <errno.h>
#include <string.h>

#include <sofia-sip/sip_header.h>

#include "pcscf.h"

int pcscf_terminating(struct pcscf *n, nta_incoming_t *irq, struct reg *reg)
{
	int status = 500, rc;
	msg_t *req = sipproxy_request_copy(irq, &status);
	char uri[128];

	if (!req)
		return status;
	pcscf_pop_own_routes(n, req);
	pcscf_remove_header(req, "P-Charging-Function-Addresses");
	pcscf_remove_header(req, "P-Charging-Vector");
	if ((rc = flow_uri(&reg->flow, uri, sizeof uri)) < 0 ||
	    (rc = pcscf_add_record_route(n, req, NULL)) < 0) {
		msg_destroy(req);
		return 500;
	}
	log_debug("terminating %s to %s", sip_object(req)->sip_request->rq_method_name, uri);
	return pcscf_forward(n, irq, req, uri, NULL, NULL);
}
