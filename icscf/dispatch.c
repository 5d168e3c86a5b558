/*
 * What the I-CSCF does with each new request (TS 24.229 5.3):
 *  - malformed: 400 (never processed further);
 *  - REGISTER: registration procedure (register.c);
 *  - ACK: forwarded statelessly by its Route set, else dropped (logged);
 *  - in-dialog requests (To tag) and requests for other domains: forwarded
 *    by their Route set when one remains after our own entries, else
 *    481 (in-dialog) / 404 (foreign domain);
 *  - OPTIONS to this node or to the bare home domain: answered here;
 *  - anything else whose Request-URI is a home-domain user or a tel URI:
 *    terminating procedure (terminating.c).
 * Requests carrying a THIG Route token are forwarded by the entries it
 * hides. The I-CSCF Record-Routes only under THIG, for dialogs with a
 * network outside the trust domain (boundary.c); otherwise it does not
 * stay in the dialog (5.3.2.1).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_util.h>

#include "icscf_node.h"
#include "ims/sip.h"

#define ICSCF_ALLOW "REGISTER, INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, SUBSCRIBE, NOTIFY, " \
		    "PRACK, UPDATE, INFO, REFER, PUBLISH"

void icscf_pop_own_routes(struct icscf *n, msg_t *msg, sip_t *sip, bool *orig)
{
	while (sip->sip_route && icscf_is_me(n, sip->sip_route->r_url)) {
		if (orig && url_has_param(sip->sip_route->r_url, "orig"))
			*orig = true;
		sip_route_remove(msg, sip);
	}
}

/* Forward by the remaining Route set (next hop NULL: nta follows Route,
 * else the Request-URI), across the trust boundary (boundary.c). Returns
 * as a request handler. */
static int forward_by_route(struct icscf *n, nta_incoming_t *irq, const sip_t *sip, int otherwise)
{
	struct icscf_edge e = { .src_untrusted = !trust_irq(&n->trust, irq) };
	int status;
	msg_t *req;
	sip_t *rs;

	req = sipproxy_request_copy(irq, &status);
	if (!req)
		return status;
	rs = sip_object(req);
	if (icscf_edge_in(n, req, &e) < 0) {
		msg_destroy(req);
		return 403;
	}
	icscf_pop_own_routes(n, req, rs, NULL);
	if (!rs->sip_route) {
		msg_destroy(req);
		return otherwise;
	}
	if (icscf_edge_out(n, req, &e) < 0) {
		msg_destroy(req);
		return 500;
	}
	log_info("%s %s: forwarded by Route", sip->sip_request->rq_method_name,
		 sip->sip_call_id ? sip->sip_call_id->i_id : "-");
	if (sipproxy_forward(n->sip, irq, req, NULL, icscf_edge_relay_fn(&e), n, false, NULL) < 0)
		return 500;
	return 0;
}

static int forward_ack(struct icscf *n, nta_incoming_t *irq)
{
	struct icscf_edge e = { .src_untrusted = !trust_irq(&n->trust, irq) };
	int status;
	msg_t *req = sipproxy_request_copy(irq, &status);
	sip_t *rs;

	nta_incoming_destroy(irq);
	if (!req)
		return 0;
	rs = sip_object(req);
	if (icscf_edge_in(n, req, &e) < 0) {
		/* No response to an ACK: logged (icscf_edge_in) and dropped. */
		msg_destroy(req);
		return 0;
	}
	icscf_pop_own_routes(n, req, rs, NULL);
	if (!rs->sip_route) {
		log_info("ACK without a Route beyond us: dropped");
		msg_destroy(req);
		return 0;
	}
	if (icscf_edge_out(n, req, &e) < 0) {
		log_warn("ACK: could not hide its entries: dropped");
		msg_destroy(req);
		return 0;
	}
	if (sipproxy_forward_stateless(n->sip, req, NULL) < 0)
		log_warn("ACK: stateless forwarding failed");
	return 0;
}

static bool for_this_node(struct icscf *n, const url_t *u)
{
	if (icscf_is_me(n, u))
		return true;
	return (!u->url_user || !u->url_user[0]) && icscf_is_home_domain(n, u->url_host);
}

int icscf_on_request(void *ctx, nta_incoming_t *irq, const sip_t *sip)
{
	struct icscf *n = ctx;
	const url_t *ru = sip->sip_request->rq_url;
	char why[128];

	if (!sip_request_is_well_formed(sip, why, sizeof why)) {
		log_info("malformed request: %s", why);
		return 400;
	}
	switch (sip->sip_request->rq_method) {
	case sip_method_register:
		return icscf_register(n, irq, sip);
	case sip_method_ack:
		return forward_ack(n, irq);
	case sip_method_cancel:
		/* A CANCEL we have no transaction for (RFC 3261 16.10). */
		return 481;
	default:
		break;
	}
	/* A Route we gave out under THIG (Service-Route, Record-Route): the
	 * entries it hides say where the request goes. */
	if ((n->thig && thig_route_token(n->thig, sip)) || (sip->sip_to && sip->sip_to->a_tag))
		return forward_by_route(n, irq, sip, 481);
	if (ru->url_type == url_tel)
		return icscf_terminating(n, irq, sip);
	if (ru->url_type != url_sip && ru->url_type != url_sips)
		return 416;
	if (for_this_node(n, ru)) {
		if (sip->sip_request->rq_method == sip_method_options) {
			/* Answered but not released by sipagent: ours to free. */
			sipagent_reply_options(irq, ICSCF_ALLOW);
			nta_incoming_destroy(irq);
			return 0;
		}
		return forward_by_route(n, irq, sip, 404);
	}
	if (!icscf_is_home_domain(n, ru->url_host))
		return forward_by_route(n, irq, sip, 404);
	return icscf_terminating(n, irq, sip);
}
