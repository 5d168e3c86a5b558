/*
 * P-CSCF life cycle: bind the SIP endpoint and serve.
 * Request handling proper arrives with the P-CSCF issue; until then the node
 * answers OPTIONS (peers probe it) and 501 to everything else, so nothing
 * is silently dropped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/sip_status.h>

#include "pcscf.h"

struct pcscf {
	const struct pcscf_config *cfg;
	struct sipagent *sip;

};

static int on_request(void *ctx, nta_incoming_t *irq, const sip_t *sip)
{
	(void)ctx;
	if (sip->sip_request->rq_method == sip_method_options)
		return sipagent_reply_options(irq, "REGISTER, INVITE, ACK, BYE, CANCEL, OPTIONS");
	return 501;
}

int pcscf_start(struct ims_daemon *d, void *cfgp)
{
	const struct pcscf_config *cfg = cfgp;
	struct pcscf *n = calloc(1, sizeof *n);
	int rc;

	if (!n)
		return -ENOMEM;
	n->cfg = cfg;
	ims_daemon_set_context(d, n);

	rc = sipagent_create(ims_daemon_root(d), &cfg->sip, on_request, n, &n->sip);
	if (rc < 0)
		return rc;
	ims_daemon_status(d, "serving SIP on %s", sipagent_hostport(n->sip));
	return 0;
}

void pcscf_stop(struct ims_daemon *d)
{
	struct pcscf *n = ims_daemon_context(d);

	if (!n)
		return;
	sipagent_destroy(n->sip);

	free(n);
	ims_daemon_set_context(d, NULL);
}
