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
 */
#include "sess_internal.h"

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

void sess_term_finish(struct sess_job *job)
{
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
	log_info("term served=%s -> %zu contact(s)", job->served, n);
	sess_fork_start(job, c, n);
}
