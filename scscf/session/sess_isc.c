/*
 * sess_isc: iFC evaluation and the ISC round trip (TS 23.218 6.4-6.6,
 * TS 24.229 5.4.3.2 step 4 / 5.4.3.3 step 4, TS 29.228 B.2.3).
 *
 * The served user's iFCs are compiled once with the profile (at SAR/PPR,
 * reg_profile.h); the profile may change between two AS round trips
 * (re-registration, PPR), so we resume by priority.
 * A matching iFC sends the request to its AS with
 *   Route: <AS;lr>, <sip:odi-TOKEN@us;lr>, <rest of the route set>
 * and the ODI entry remembers the case, the served user and the priority.
 * AS failure before the request came back (408 — also nta's own timeout —
 * or 5xx): SESSION_CONTINUED goes on with the next iFC on the same server
 * transaction; SESSION_TERMINATED relays the error upstream.
 */
#include "sess_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <sofia-sip/sip_header.h>

#include "ifc/ifc_sip.h"
#include "ims/log.h"

static int64_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

struct isc_hit {
	char as[SESS_URI_MAX];
	int priority;
	enum ifc_default_handling handling;
};

/* The next matching iFC after job->after_priority: 1 found, 0 none. The
 * iFCs were compiled with the profile (reg_profile.h, at SAR/PPR). */
static int find_next(struct sess_job *job, struct isc_hit *hit)
{
	const struct reg_profile *up = job->unreg ? job->unreg
					: registrar_profile(job->s->reg, job->served);
	struct ifc_context ctx = {
		.session_case = job->sc,
		.user_state = job->unreg ? IFC_USER_UNREGISTERED : IFC_USER_REGISTERED,
	};
	const struct ifc_filter *f = NULL;
	const struct ifc_profile *p;
	struct ifc_sip_request view;
	int after, pos, rc, i;

	i = up ? reg_profile_find(up, job->served) : -1;
	if (i < 0 || up->ids[i].profile >= up->n_profiles || !up->ifc)
		return 0;
	p = up->ifc[up->ids[i].profile];
	if (!p)
		return 0;
	after = job->after_priority == SESS_PRIORITY_START
		? IFC_START : ifc_position_after_priority(p, job->after_priority);
	rc = ifc_sip_request_init(&view, sip_object(job->req), IFC_REG_NONE);
	if (rc < 0)
		return 0;
	pos = ifc_next(p, &view.req, &ctx, after, &f);
	ifc_sip_request_release(&view);
	if (pos >= 0) {
		snprintf(hit->as, sizeof hit->as, "%s", f->as.server_name);
		hit->priority = f->priority;
		hit->handling = f->as.default_handling;
	}
	return pos >= 0;
}

static enum sipproxy_verdict on_as_response(void *ctx, struct sipproxy_tx *tx, msg_t *resp,
					    sip_t *sip)
{
	struct sess_odi *e = ctx;
	struct session *s = e->owner;
	int status = sip && sip->sip_status ? sip->sip_status->st_status : 408;
	struct sess_job job = { .s = s, .tx = tx };

	if (status < 200)
		return SIPPROXY_RELAY;
	if (status < 300) /* the AS's (or the rest of the pass's) 2xx */
		sess_dialog_seen(s, &e->dlg, e->sc, e->served, sipproxy_request(tx), resp);
	if (e->returned || (status != 408 && status < 500) ||
	    e->handling != IFC_SESSION_CONTINUED || !e->req) {
		if (!e->returned && status >= 300)
			log_info("AS of %s failed %d: %s", e->served, status,
				 e->handling == IFC_SESSION_CONTINUED ? "relayed" : "SESSION_TERMINATED");
		sess_odi_finish(e, now_s(), s->cfg->odi_linger / 1000);
		return SIPPROXY_RELAY;
	}
	/* SESSION_CONTINUED: as if the AS had sent the request back as is. */
	log_info("AS of %s failed %d: SESSION_CONTINUED after priority %d", e->served, status,
		 e->priority);
	job.req = e->req;
	e->req = NULL;
	job.sc = e->sc;
	job.after_priority = e->priority;
	job.dlg = e->dlg;
	memcpy(job.served, e->served, sizeof job.served);
	sess_odi_release(&s->odi, e);
	sess_job_run(&job);
	return SIPPROXY_TAKEN;
}

static int add_isc_routes(struct session *s, struct sess_job *job, const struct sess_odi *e,
			  const char *as)
{
	char token[SESS_ODI_TOKEN_LEN + 1], value[2 * SESS_URI_MAX + 64];
	const char *hp = sipagent_hostport(s->sip);
	int n;

	if (sess_odi_token(e, token, sizeof token) < 0)
		return -ENOSPC;
	n = snprintf(value, sizeof value, "<%s;lr>, <sip:" SESS_ODI_PREFIX "%s@%s;lr>", as, token,
		     hp);
	if (n < 0 || (size_t)n >= sizeof value)
		return -ENOSPC;
	return sess_prepend_route(job->req, value);
}

int sess_isc_next(struct sess_job *job)
{
	struct session *s = job->s;
	struct isc_hit hit;
	struct sess_odi *e;
	uint64_t nonce;

	if (!find_next(job, &hit))
		return 0;
	if (getrandom(&nonce, sizeof nonce, 0) != sizeof nonce ||
	    sess_odi_alloc(&s->odi, nonce, now_s(), &e) < 0) {
		sess_job_reply(job, 503, "Service Unavailable");
		return 1;
	}
	e->owner = s;
	e->sc = job->sc;
	e->priority = hit.priority;
	e->handling = hit.handling;
	memcpy(e->served, job->served, sizeof e->served);
	e->dlg = job->dlg;
	if (hit.handling == IFC_SESSION_CONTINUED)
		e->req = msg_copy(job->req);
	if ((hit.handling == IFC_SESSION_CONTINUED && !e->req) ||
	    add_isc_routes(s, job, e, hit.as) < 0) {
		sess_odi_release(&s->odi, e);
		sess_job_reply(job, 500, "Server Internal Error");
		return 1;
	}
	log_info("iFC priority %d of %s (case %d) -> AS %s", hit.priority, job->served, job->sc,
		 hit.as);
	if (sess_job_forward(job, NULL, on_as_response, e) < 0)
		sess_odi_release(&s->odi, e); /* answered: no callback will come */
	return 1;
}

void sess_isc_resume(struct session *s, struct sess_job *job, const char *token)
{
	struct sess_odi *e = sess_odi_lookup(&s->odi, token, now_s());

	if (!e) {
		sess_job_reply(job, 403, "Forbidden - Unknown Dialog Identifier");
		return;
	}
	if (e->req) {
		msg_destroy(e->req);
		e->req = NULL;
	}
	e->returned = true;
	job->sc = e->sc;
	job->after_priority = e->priority;
	job->dlg = e->dlg;
	memcpy(job->served, e->served, sizeof job->served);
	log_info("back from AS: %s case %d after priority %d", job->served, job->sc, e->priority);
	sess_job_run(job);
}
