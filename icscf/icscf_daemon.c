/*
 * I-CSCF life cycle: bind the SIP endpoint, start the Cx client and serve.
 * Request handling proper arrives with the I-CSCF issue; until then the node
 * answers OPTIONS (peers probe it) and 501 to everything else, so nothing
 * is silently dropped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/sip_status.h>

#include "icscf.h"

struct icscf {
	const struct icscf_config *cfg;
	struct sipagent *sip;
	struct dia_bridge *cx;
	bool dia_started;
};

static int on_request(void *ctx, nta_incoming_t *irq, const sip_t *sip)
{
	(void)ctx;
	if (sip->sip_request->rq_method == sip_method_options)
		return sipagent_reply_options(irq, "REGISTER, INVITE, ACK, BYE, CANCEL, OPTIONS");
	return 501;
}

int icscf_start(struct ims_daemon *d, void *cfgp)
{
	const struct icscf_config *cfg = cfgp;
	struct icscf *n = calloc(1, sizeof *n);
	int rc;

	if (!n)
		return -ENOMEM;
	n->cfg = cfg;
	ims_daemon_set_context(d, n);
	rc = dia_start(&cfg->diameter, DIA_APP_CX);
	if (rc < 0) {
		log_err("Diameter start failed: %s", strerror(-rc));
		return rc;
	}
	n->dia_started = true;
	n->cx = dia_bridge_create(ims_daemon_root(d));
	if (!n->cx)
		return -ENOMEM;
	rc = sipagent_create(ims_daemon_root(d), &cfg->sip, on_request, n, &n->sip);
	if (rc < 0)
		return rc;
	ims_daemon_status(d, "serving SIP on %s", sipagent_hostport(n->sip));
	return 0;
}

void icscf_stop(struct ims_daemon *d)
{
	struct icscf *n = ims_daemon_context(d);

	if (!n)
		return;
	sipagent_destroy(n->sip);
	if (n->cx)
		dia_bridge_destroy(n->cx);
	if (n->dia_started)
		dia_stop();
	free(n);
	ims_daemon_set_context(d, NULL);
}
