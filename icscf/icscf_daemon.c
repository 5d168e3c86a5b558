/*
 * I-CSCF life cycle: bind the SIP endpoint, start the Cx client, build the
 * S-CSCF pool and its keep-alives, serve; SIGHUP swaps the pool without
 * touching transactions in flight (they hold names, not pool entries).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/nta_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag.h>

#include "icscf_cx.h"
#include "icscf_node.h"
#include "ims/heap.h"
#include "ims/nospin.h"

void icscf_job_link(struct icscf *n, struct icscf_job *job)
{
	job->node = n;
	job->prev = NULL;
	job->next = n->jobs;
	if (n->jobs)
		n->jobs->prev = job;
	n->jobs = job;
}

void icscf_job_unlink(struct icscf_job *job)
{
	struct icscf *n = job->node;

	if (job->prev)
		job->prev->next = job->next;
	else if (n->jobs == job)
		n->jobs = job->next;
	if (job->next)
		job->next->prev = job->prev;
	job->prev = job->next = NULL;
}

const char *icscf_realm(const struct icscf *n)
{
	return n->cfg->diameter.realm;
}

bool icscf_is_home_domain(const struct icscf *n, const char *host)
{
	size_t i;

	if (!host)
		return false;
	if (n->cfg->domains.n == 0)
		return !strcasecmp(host, icscf_realm(n));
	for (i = 0; i < n->cfg->domains.n; i++)
		if (!strcasecmp(host, n->cfg->domains.v[i]))
			return true;
	return false;
}

bool icscf_is_me(const struct icscf *n, const url_t *url)
{
	const struct sipagent_config *sc = &n->cfg->sip;
	unsigned port = url->url_port ? (unsigned)strtoul(url->url_port, NULL, 10) : 5060;
	char mine[320], theirs[320];
	size_t i;

	if (!url->url_host)
		return false;
	if (port == sc->port && !strcasecmp(url->url_host, sc->address))
		return true;
	snprintf(mine, sizeof mine, "sip:%s", sipagent_hostport(n->sip));
	snprintf(theirs, sizeof theirs, "sip:%s:%u", url->url_host, port);
	if (scscf_uri_equal(mine, theirs))
		return true;
	for (i = 0; i < n->cfg->aliases.n; i++)
		if (!strcasecmp(url->url_host, n->cfg->aliases.v[i]))
			return true;
	return false;
}

const char *icscf_next_hop(const struct icscf *n, const char *server_name)
{
	const struct scscf_entry *e = scscf_pool_find(&n->pool, server_name);

	return e ? e->next_hop : server_name;
}

/* Bound on a forwarded transaction: timers F and B are 64*T1 (RFC 3261
 * 17.1.1.2, 17.1.2.2), so a dead S-CSCF costs at most this long before
 * failover (TS 24.229 5.3.1.3). */
static void apply_timeout(struct icscf *n)
{
	nta_agent_set_params(sipagent_nta(n->sip),
			     NTATAG_SIP_T1X64((unsigned)n->cfg->scscf.response_timeout), TAG_END());
}

int icscf_start(struct ims_daemon *d, void *cfgp)
{
	const struct icscf_config *cfg = cfgp;
	struct icscf *n = calloc(1, sizeof *n);
	int rc;

	if (!n)
		return -ENOMEM;
	n->cfg = cfg;
	n->root = ims_daemon_root(d);
	ims_daemon_set_context(d, n);
	/* Transactions are kept 32 s (timer J): fault the heap's growth in once
	 * per loop turn instead of page by page (ims/heap.h). */
	heap_attach(n->root);
	/* nta's timer is nearly always less than 1 ms away under load: wait
	 * for it instead of polling (ims/nospin.h). */
	nospin_attach();
	rc = scscf_pool_build(&n->pool, &cfg->scscf);
	if (rc < 0) {
		log_err("S-CSCF pool: %s", strerror(-rc));
		return rc;
	}
	rc = dia_start(&cfg->diameter, DIA_APP_CX);
	if (rc < 0) {
		log_err("Diameter start failed: %s", strerror(-rc));
		return rc;
	}
	n->dia_started = true;
	n->cx = dia_bridge_create(n->root);
	if (!n->cx)
		return -ENOMEM;
	dia_bridge_set_limit(n->cx, (unsigned)cfg->diameter.max_pending);
	rc = sipagent_create(n->root, &cfg->sip, icscf_on_request, n, &n->sip);
	if (rc < 0)
		return rc;
	sipagent_set_screen(n->sip, icscf_cx_screen);
	rc = icscf_trust_build(n, cfg, &n->trust);
	if (rc < 0) {
		log_err("trust domain: %s", strerror(-rc));
		return rc;
	}
	rc = icscf_thig_start(n);
	if (rc < 0)
		return rc;
	apply_timeout(n);
	rc = icscf_health_start(n);
	if (rc < 0)
		return rc;
	ims_daemon_status(d, "serving SIP on %s, %zu S-CSCF(s)", sipagent_hostport(n->sip),
			  n->pool.n);
	return 0;
}

/* SIGHUP: take the new config (S-CSCF pool, tel numbers, domains, Cx
 * bounds, trusted networks). THIG keeps its start-up key and setting, the
 * SIP listener and the Diameter node keep their start-up
 * settings: changing those needs a restart. */
int icscf_reload(struct ims_daemon *d, void *new_cfg)
{
	struct icscf *n = ims_daemon_context(d);
	const struct icscf_config *cfg = new_cfg;
	struct scscf_pool pool;
	struct trust_table trust;
	int rc;

	if (!n)
		return -EINVAL;
	rc = scscf_pool_build(&pool, &cfg->scscf);
	if (rc < 0)
		return rc;
	scscf_pool_inherit(&pool, &n->pool);
	icscf_health_cancel(&n->pool);
	scscf_pool_free(&n->pool);
	n->pool = pool;
	/* The new table trusts the new pool; on failure the old one stays. */
	if (icscf_trust_build(n, cfg, &trust) == 0) {
		trust_free(&n->trust);
		n->trust = trust;
	} else {
		log_err("trust domain not rebuilt: the previous one stays");
	}
	n->cfg = cfg;
	apply_timeout(n);
	log_notice("S-CSCF pool reloaded: %zu server(s)", n->pool.n);
	/* New entries are probed at once, at the new interval. */
	rc = icscf_health_start(n);
	if (rc < 0)
		log_err("S-CSCF keep-alives not restarted: %s", strerror(-rc));
	return 0;
}

void icscf_stop(struct ims_daemon *d)
{
	struct icscf *n = ims_daemon_context(d);

	if (!n)
		return;
	icscf_health_stop(n);
	/* No Cx callback after this: answer what still waits (TS 24.229 5.3.1.2:
	 * the query cannot be completed). */
	if (n->cx)
		dia_bridge_destroy(n->cx);
	n->cx = NULL;
	while (n->jobs)
		n->jobs->cancel(n->jobs, 503);
	icscf_health_cancel(&n->pool);
	sipagent_destroy(n->sip);
	if (n->dia_started)
		dia_stop();
	scscf_pool_free(&n->pool);
	trust_free(&n->trust);
	thig_destroy(n->thig);
	free(n);
	ims_daemon_set_context(d, NULL);
}
