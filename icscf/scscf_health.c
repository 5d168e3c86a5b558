/*
 * S-CSCF keep-alives: every probe_interval an OPTIONS (RFC 3261 11) goes to
 * each pool entry. Any final response other than 408/503 means alive; a
 * 408/503 (nta generates them for timeouts and transport errors) or no final
 * response by the next round means down. Down entries keep being probed, so
 * a recovered S-CSCF comes back within one interval (TS 24.229 5.3.1.3
 * leaves the detection method to the implementation).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_tag.h>

#include "icscf_node.h"

static int on_probe(nta_outgoing_magic_t *magic, nta_outgoing_t *orq, sip_t const *sip)
{
	struct scscf_entry *e = (struct scscf_entry *)magic;
	int status = nta_outgoing_status(orq);
	bool up;

	(void)sip;
	if (status < 200)
		return 0;
	up = status != 408 && status != 503;
	if (up != e->healthy) {
		e->healthy = up;
		if (up)
			log_notice("S-CSCF %s answers OPTIONS again (%d): up", e->name, status);
		else
			log_warn("S-CSCF %s: OPTIONS got %d: down", e->name, status);
	}
	nta_outgoing_destroy(orq);
	e->probe = NULL;
	return 0;
}

static int probe_send(struct icscf *n, struct scscf_entry *e)
{
	nta_agent_t *nta = sipagent_nta(n->sip);
	msg_t *msg = nta_msg_create(nta, 0);
	sip_t *sip;
	char from[320], to[320];
	int rc = -ENOMEM;

	if (!msg)
		return -ENOMEM;
	sip = sip_object(msg);
	snprintf(from, sizeof from, "<sip:%s>;tag=probe", sipagent_hostport(n->sip));
	snprintf(to, sizeof to, "<%s>", e->name);
	if (sip_add_tl(msg, sip, SIPTAG_REQUEST(sip_request_create(msg_home(msg), SIP_METHOD_OPTIONS,
								   URL_STRING_MAKE(e->name), NULL)),
		       SIPTAG_FROM_STR(from), SIPTAG_TO_STR(to),
		       SIPTAG_CALL_ID(sip_call_id_create(msg_home(msg), NULL)),
		       SIPTAG_CSEQ(sip_cseq_create(msg_home(msg), 1, SIP_METHOD_OPTIONS)),
		       SIPTAG_MAX_FORWARDS_STR("70"), SIPTAG_CONTENT_LENGTH_STR("0"),
		       TAG_END()) < 0 || !sip->sip_request)
		goto out;
	e->probe = sipagent_outgoing(n->sip, on_probe, (nta_outgoing_magic_t *)e, e->next_hop, msg,
				     &rc);
	if (e->probe)
		msg = NULL; /* taken by nta (on failure it stays ours) */
	rc = e->probe ? 0 : rc;
	if (rc < 0 && e->healthy) {
		e->healthy = false;
		log_warn("S-CSCF %s: cannot send OPTIONS: down", e->name);
	}
out:
	if (msg)
		msg_destroy(msg);
	return rc;
}

static void probe_round(struct icscf *n)
{
	size_t i;

	for (i = 0; i < n->pool.n; i++) {
		struct scscf_entry *e = &n->pool.v[i];

		if (e->probe) {
			/* Still no final answer after a whole interval. */
			nta_outgoing_destroy(e->probe);
			e->probe = NULL;
			if (e->healthy) {
				e->healthy = false;
				log_warn("S-CSCF %s: no answer to OPTIONS: down", e->name);
			}
		}
		(void)probe_send(n, e);
	}
}

static void on_tick(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct icscf *n = (struct icscf *)arg;

	(void)magic;
	probe_round(n);
	su_timer_set_interval(t, on_tick, arg, (su_duration_t)n->cfg->scscf.probe_interval);
}

int icscf_health_start(struct icscf *n)
{
	if (!n->probe_timer)
		n->probe_timer = su_timer_create(su_root_task(n->root), 0);
	if (!n->probe_timer)
		return -ENOMEM;
	su_timer_reset(n->probe_timer);
	probe_round(n);
	if (su_timer_set_interval(n->probe_timer, on_tick, (su_timer_arg_t *)n,
				  (su_duration_t)n->cfg->scscf.probe_interval) < 0)
		return -EIO;
	return 0;
}

void icscf_health_cancel(struct scscf_pool *pool)
{
	size_t i;

	for (i = 0; i < pool->n; i++) {
		if (pool->v[i].probe) {
			nta_outgoing_destroy(pool->v[i].probe);
			pool->v[i].probe = NULL;
		}
	}
}

void icscf_health_stop(struct icscf *n)
{
	if (n->probe_timer) {
		su_timer_destroy(n->probe_timer);
		n->probe_timer = NULL;
	}
}
