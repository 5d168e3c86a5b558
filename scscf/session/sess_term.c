/*
 * sess_term: the end of the terminating case (TS 24.229 5.4.3.3, RFC 3327 6).
 *
 * Registered user: the request goes to the contacts (sess_fork.h: q
 * classes, parallel or sequential, branch timers, best response), each
 * with the Request-URI set to the contact and the contact's Path as the
 * Route set (toward its P-CSCF). Barred identity: 404 (5.4.3.3 step 1).
 * Not registered here: SAR UNREGISTERED_USER brings the profile (TS 29.228
 * 6.1.2); its iFCs for the unregistered case (session case 2) may send the
 * request to an AS; when none (is left), 480 Temporarily Unavailable. The
 * profile is fetched again when the request comes back from the AS (the
 * HSS keeps the user assigned to us; the profile is not cached here).
 * Request-Disposition (RFC 3841 9) shapes the fork (sess_fork.h); with
 * "redirect" the caller gets 302 with the contacts the fork would have
 * tried instead (their Path is lost: a caller outside our network cannot
 * reach a contact behind a P-CSCF by it, which is why proxy is the default).
 */
#include "sess_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>

#include "ims/log.h"

static void on_unreg_profile(void *ctx, int status, const struct reg_profile *profile)
{
	struct sess_job *job = ctx;

	if (status) {
		sess_job_reply(job, status, sip_status_phrase(status) ? sip_status_phrase(status)
								      : "Unavailable");
	} else {
		job->unreg = profile;
		if (!sess_isc_next(job))
			sess_job_reply(job, 480, "Temporarily Unavailable");
	}
	free(job);
}

static void unregistered(struct sess_job *job)
{
	struct sess_job *wait;
	int rc;

	if (job->unreg) { /* the profile is here and no iFC (is left) */
		sess_job_reply(job, 480, "Temporarily Unavailable");
		return;
	}
	if (job->sc != IFC_SC_TERMINATING_UNREGISTERED) {
		job->sc = IFC_SC_TERMINATING_UNREGISTERED;
		job->after_priority = SESS_PRIORITY_START;
	}
	wait = malloc(sizeof *wait);
	if (!wait) {
		sess_job_reply(job, 500, "Server Internal Error");
		return;
	}
	*wait = *job;
	rc = registrar_sar_unregistered(job->s->reg, job->served, on_unreg_profile, wait);
	if (rc < 0) {
		free(wait);
		log_warn("SAR UNREGISTERED_USER %s not sent: %s", job->served, strerror(-rc));
		sess_job_reply(job, 480, "Temporarily Unavailable");
		return;
	}
	/* The copy answers the request now. */
	job->req = NULL;
	job->irq = NULL;
	job->tx = NULL;
}

/* RFC 3841 9.1 "redirect": 302 Moved Temporarily listing the targets. */
static void redirect(struct sess_job *job, const struct registrar_contact *c, size_t n,
		     const struct sess_disposition *d)
{
	const struct scscf_session_config *cfg = job->s->cfg;
	char hdr[SESS_FORK_MAX_BRANCHES * (SESS_URI_MAX + 24) + 16];
	size_t idx[SESS_FORK_MAX_BRANCHES], i, k, len;
	unsigned cls[SESS_FORK_MAX_BRANCHES];

	k = sess_fork_plan(c, n, sess_disposition_mode(d, cfg->fork), (size_t)cfg->max_branches,
			   idx, cls);
	len = (size_t)snprintf(hdr, sizeof hdr, "Contact: ");
	for (i = 0; i < k && len < sizeof hdr; i++)
		len += (size_t)snprintf(hdr + len, sizeof hdr - len, "%s<%s>;q=%u.%03u",
					i ? ", " : "", c[idx[i]].uri, c[idx[i]].q / 1000,
					c[idx[i]].q % 1000);
	if (k == 0 || len >= sizeof hdr) {
		sess_job_reply(job, 500, "Server Internal Error");
		return;
	}
	log_info("term served=%s Request-Disposition redirect -> 302 with %zu contact(s)",
		 job->served, k);
	sess_job_reply_hdr(job, 302, "Moved Temporarily", hdr);
}

void sess_term_finish(struct sess_job *job)
{
	struct sess_disposition d;
	struct registrar_contact c[SESS_FORK_MAX_BRANCHES];
	enum registrar_impu_state st = registrar_impu_state(job->s->reg, job->served);
	size_t n;

	if (st == REGISTRAR_BARRED) {
		sess_job_reply(job, 404, "Not Found - Barred Identity");
		return;
	}
	n = registrar_contacts(job->s->reg, job->served, c, SESS_FORK_MAX_BRANCHES);
	if (n == 0) {
		unregistered(job);
		return;
	}
	sess_disposition_read(sip_object(job->req), &d);
	if (d.redirect) {
		redirect(job, c, n, &d);
		return;
	}
	log_info("term served=%s -> %zu contact(s)", job->served, n);
	sess_fork_start(job, c, n, &d);
}
