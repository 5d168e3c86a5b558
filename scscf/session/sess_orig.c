/*
 * sess_orig: the originating case (TS 24.229 5.4.3.2): who is served
 * (P-Asserted-Identity, registered here, not barred), then, once the
 * originating iFCs are done, where the request goes.
 */
#include "sess_internal.h"

#include <errno.h>
#include <string.h>

#include <sofia-sip/sip_header.h>

#include "ims/log.h"
#include "ims/sip.h"
#include "registrar/reg_request.h"

/* TS 24.229 5.4.3.2 step 1: the served user is the asserted identity the
 * P-CSCF put in; it must belong to a set registered here. The first
 * identity (sip or tel) registered here wins. */
void sess_orig_start(struct sess_job *job)
{
	const sip_p_asserted_identity_t *paid = NULL;
	enum registrar_impu_state st = REGISTRAR_NOT_REGISTERED;
	char impu[SESS_URI_MAX];

	if (sip_hdr_p_asserted_identity(job->req, &paid) < 0 || !paid) {
		sess_job_reply(job, 403, "Forbidden - No Asserted Identity");
		return;
	}
	for (; paid; paid = paid->paid_next) {
		if (reg_uri_canon(paid->paid_url, impu, sizeof impu) < 0)
			continue;
		st = registrar_impu_state(job->s->reg, impu);
		if (st != REGISTRAR_NOT_REGISTERED)
			break;
	}
	if (st == REGISTRAR_NOT_REGISTERED) {
		sess_job_reply(job, 403, "Forbidden - Not Registered");
		return;
	}
	memcpy(job->served, impu, sizeof job->served);
	if (job->dlg.token[0])
		memcpy(job->dlg.orig, impu, strlen(impu) + 1);
	/* TS 29.228 B.2.2: a barred identity originates nothing. */
	if (st == REGISTRAR_BARRED) {
		sess_job_reply(job, 403, "Forbidden - Barred Identity");
		return;
	}
	job->sc = IFC_SC_ORIGINATING;
	sess_job_run(job);
}

/* tel URI / user=phone (TS 24.229 5.4.3.2 step 10, ENUM replaced by the
 * configured table): the number table, else the breakout (BGCF/MGCF), else
 * cfg unknown_number (404 or 604). */
static int route_number(struct sess_job *job, const char *number, const char **hop)
{
	const char *uri = sess_number_lookup(&job->s->cfg->numbers, number);

	if (uri) {
		log_info("number %s -> %s", number, uri);
		return sess_set_request_uri(job->req, uri) < 0 ? -ENOMEM : 1;
	}
	if (job->s->cfg->breakout) {
		*hop = job->s->cfg->breakout;
		return 0;
	}
	return -ENOENT;
}

void sess_orig_finish(struct sess_job *job)
{
	struct session *s = job->s;
	const char *hop = NULL;
	char number[64], callee[SESS_URI_MAX];
	const url_t *ru;
	int rc;

	ru = sip_object(job->req)->sip_request->rq_url;
	if (sess_number_of_url(ru, number, sizeof number) == 0) {
		rc = route_number(job, number, &hop);
		if (rc == -ENOENT) {
			/* Never dropped: 404, or 604 when the operator says the
			 * number exists nowhere (RFC 3261 21.6.2). */
			if (s->cfg->unknown_number == 604)
				sess_job_reply(job, 604, "Does Not Exist Anywhere");
			else
				sess_job_reply(job, 404, "Not Found - Unknown Number");
			return;
		}
		if (rc < 0) {
			sess_job_reply(job, 500, "Server Internal Error");
			return;
		}
		if (rc == 0) {
			log_info("orig served=%s number %s -> breakout %s", job->served, number, hop);
			sess_job_forward(job, hop, NULL, NULL);
			return;
		}
		ru = sip_object(job->req)->sip_request->rq_url;
	}
	if (ru->url_type != url_sip && ru->url_type != url_sips) {
		sess_job_reply(job, 416, "Unsupported URI Scheme");
		return;
	}
	if (reg_uri_canon(ru, callee, sizeof callee) < 0) {
		sess_job_reply(job, 400, "Bad Request - Request-URI");
		return;
	}
	if (s->cfg->route_local &&
	    registrar_impu_state(s->reg, callee) != REGISTRAR_NOT_REGISTERED) {
		/* Callee served here too: the terminating case without a round
		 * trip through the I-CSCF. */
		log_info("orig served=%s -> local callee %s", job->served, callee);
		memcpy(job->served, callee, sizeof job->served);
		job->sc = IFC_SC_TERMINATING_REGISTERED;
		job->after_priority = SESS_PRIORITY_START;
		sess_job_run(job);
		return;
	}
	if (sess_domain_is_ours(s->domains, s->realm, ru->url_host)) {
		/* TS 24.229 5.4.3.2 step 12: the I-CSCF finds the callee's S-CSCF. */
		hop = s->cfg->icscf;
		log_info("orig served=%s callee %s -> I-CSCF %s", job->served, callee, hop);
	} else {
		log_info("orig served=%s callee %s -> by Request-URI", job->served, callee);
	}
	sess_job_forward(job, hop, NULL, NULL);
}
