/*
 * session: life cycle, dispatch of requests to the cases, in-dialog
 * routing and the job helpers (see session.h, sess_internal.h).
 */
#include "sess_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_wait.h>

#include "ims/log.h"
#include "ims/sip.h"
#include "registrar/reg_request.h"

#define SESS_ALLOW "REGISTER, INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, SUBSCRIBE, " \
		   "NOTIFY, PUBLISH, INFO, REFER, UPDATE, PRACK"

/* Overload control: new work is refused from 3/4 of max_pending, and by
 * latency while at least this many are in flight (ims/admit.h). */
#define SESS_ADMIT_PERCENT 75
#define SESS_ADMIT_MIN_WINDOW 8

int64_t sess_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Once a second: age a latency estimate no answer refreshed (ims/admit.h),
 * and only when something was refused one line, not one per request (a
 * flood must not turn into a flood of log lines). */
static void on_report(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct session *s = (struct session *)arg;
	uint64_t n = admit_take_refused(&s->admit);

	(void)magic;
	(void)t;
	admit_tick(&s->admit);
	sess_dialogs_expire(&s->dialogs, sess_now_ms() / 1000);
	if (s->dialogs.refused != s->dialogs_refused) {
		log_warn("dialogs: %llu INVITE dialog(s) not recorded, the table is full "
			 "(session.max_dialogs %zu): they cannot be released on de-registration",
			 (unsigned long long)(s->dialogs.refused - s->dialogs_refused),
			 s->dialogs.cap);
		s->dialogs_refused = s->dialogs.refused;
	}
	if (n)
		log_warn("overload: %llu initial request(s) refused with 503 in the last second, "
			 "%zu in flight, latency %lld ms", (unsigned long long)n, s->admit.pending,
			 s->admit.latency);
}

int session_create(const struct session_params *p, struct session **out)
{
	struct session *s = calloc(1, sizeof *s);
	const char *hp = sipagent_hostport(p->sip);
	int rc;

	if (!s)
		return -ENOMEM;
	s->cfg = p->cfg;
	s->sip = p->sip;
	s->root = p->root;
	s->reg = p->reg;
	s->realm = p->realm;
	s->domains = p->domains;
	rc = sess_self_add(&s->self, hp);
	if (rc == 0 && p->server_name)
		rc = sess_self_add(&s->self, p->server_name);
	if (rc == 0)
		rc = sess_odi_init(&s->odi, (size_t)p->cfg->max_isc);
	if (rc < 0) {
		free(s);
		return rc;
	}
	rc = sess_dialogs_init(&s->dialogs, (size_t)p->cfg->max_dialogs,
			       p->cfg->dialog_max_age / 1000);
	if (rc < 0) {
		sess_odi_free(&s->odi);
		free(s);
		return rc;
	}
	/* The shed share ramps from 0 at overload_latency to all at twice it. */
	admit_init(&s->admit, (size_t)p->cfg->max_pending, SESS_ADMIT_PERCENT,
		   p->cfg->overload_latency, p->cfg->overload_latency, SESS_ADMIT_MIN_WINDOW);
	if (p->root) {
		s->report = su_timer_create(su_root_task(p->root), 1000);
		if (!s->report || su_timer_set_for_ever(s->report, on_report, (su_timer_arg_t *)s) < 0) {
			if (s->report)
				su_timer_destroy(s->report);
			sess_dialogs_free(&s->dialogs);
			sess_odi_free(&s->odi);
			free(s);
			return -ENOMEM;
		}
	}
	snprintf(s->record_route, sizeof s->record_route, "<sip:%s;lr>", hp);
	*out = s;
	return 0;
}

void session_destroy(struct session *s)
{
	if (!s)
		return;
	if (s->report)
		su_timer_destroy(s->report);
	sess_fork_free_all(s);
	sess_odi_free(&s->odi);
	sess_dialogs_free(&s->dialogs);
	free(s);
}

void sess_job_reply(struct sess_job *job, int status, const char *phrase)
{
	sess_job_reply_hdr(job, status, phrase, NULL);
}

void sess_job_reply_hdr(struct sess_job *job, int status, const char *phrase,
			const char *extra)
{
	const sip_t *sip = job->req ? sip_object(job->req) : NULL;

	log_info("%s %s served=%s -> %d %s",
		 sip && sip->sip_request ? sip->sip_request->rq_method_name : "request",
		 sip && sip->sip_call_id ? sip->sip_call_id->i_id : "-",
		 job->served[0] ? job->served : "-", status, phrase);
	if (job->tx) {
		sipproxy_reply(job->tx, status, phrase, extra);
	} else if (job->irq) {
		nta_incoming_treply(job->irq, status, phrase, TAG_IF(extra, SIPTAG_HEADER_STR(extra)),
				    TAG_END());
		nta_incoming_destroy(job->irq);
	}
	if (job->req)
		msg_destroy(job->req);
	job->req = NULL;
	job->irq = NULL;
	job->tx = NULL;
}

/* A forward without a callback of its own is tracked for overload
 * control: in flight until its final response, one latency sample at its
 * first answer (a 1xx above 100 or a final that is not nta's own). */
struct sess_fwd {
	struct session *s;
	int64_t t0;
	bool sampled;
	enum ifc_session_case sc;        /* of the pass, for its dialog note */
	const char *served;              /* NULL, or term[] */
	struct sess_dlg_note dlg;
	char term[];                     /* served user when sc is terminating */
};

static enum sipproxy_verdict on_tracked_response(void *ctx, struct sipproxy_tx *tx,
						 msg_t *resp, sip_t *sip)
{
	struct sess_fwd *w = ctx;
	int status = sip && sip->sip_status ? sip->sip_status->st_status : 0;

	if (status <= 100 && status != 0)
		return SIPPROXY_RELAY;
	if (status >= 200 && status < 300)
		sess_dialog_seen(w->s, &w->dlg, w->sc, w->served, sipproxy_request(tx), resp);
	if (!w->sampled && status > 100 && resp && !nta_is_internal_msg(resp)) {
		admit_sample(&w->s->admit, sess_now_ms() - w->t0);
		w->sampled = true;
	}
	if (status >= 200 || status == 0) {
		admit_leave(&w->s->admit);
		free(w);
	}
	return SIPPROXY_RELAY;
}

int sess_job_forward(struct sess_job *job, const char *next_hop, sipproxy_response_fn cb,
		     void *ctx)
{
	msg_t *req = job->req;
	struct sess_fwd *w = NULL;
	size_t tlen = job->dlg.token[0] ? strlen(job->served) + 1 : 0;
	int rc;

	if (!cb && (w = malloc(sizeof *w + tlen))) {
		*w = (struct sess_fwd){ .s = job->s, .t0 = sess_now_ms(), .sc = job->sc,
					.dlg = job->dlg };
		if (tlen) {
			memcpy(w->term, job->served, tlen);
			w->served = w->term;
		}
		cb = on_tracked_response;
		ctx = w;
		/* Before sending: nta may call back from inside. */
		admit_enter(&job->s->admit);
	}
	job->req = NULL;
	if (job->tx)
		rc = sipproxy_redirect(job->tx, req, next_hop, cb, ctx);
	else
		rc = sipproxy_forward(job->s->sip, job->irq, req, next_hop, cb, ctx, false, NULL);
	if (w && rc < 0) { /* nothing sent: no callback will come */
		admit_leave(&job->s->admit);
		free(w);
	}
	if (rc < 0) {
		log_warn("forwarding to %s failed: %s", next_hop ? next_hop : "Route", strerror(-rc));
		sess_job_reply(job, 500, "Server Internal Error");
		return rc;
	}
	job->irq = NULL;
	job->tx = NULL;
	return 0;
}

void sess_job_run(struct sess_job *job)
{
	if (sess_isc_next(job))
		return;
	if (job->sc == IFC_SC_ORIGINATING)
		sess_orig_finish(job);
	else
		sess_term_finish(job);
}

int sess_set_request_uri(msg_t *req, const char *uri)
{
	sip_t *sip = sip_object(req);
	sip_request_t *rq = sip_request_create(msg_home(req), sip->sip_request->rq_method,
					       sip->sip_request->rq_method_name,
					       URL_STRING_MAKE(uri), NULL);

	if (!rq)
		return -ENOMEM;
	return msg_header_replace(req, (msg_pub_t *)sip, (msg_header_t *)sip->sip_request,
				  (msg_header_t *)rq) < 0 ? -ENOMEM : 0;
}

/* value: one or more "<uri>" entries; they go above the existing Route. */
int sess_prepend_route(msg_t *req, const char *value)
{
	sip_t *sip = sip_object(req);
	sip_route_t *rt = sip_route_make(msg_home(req), value);

	if (!rt)
		return -EBADMSG;
	/* msg_header_prepend puts a whole list first, keeping its order. */
	return msg_header_prepend(req, (msg_pub_t *)sip, (msg_header_t **)&sip->sip_route,
				  (msg_header_t *)rt) < 0 ? -ENOMEM : 0;
}

static void pop_route(msg_t *req)
{
	sip_t *sip = sip_object(req);

	if (sip->sip_route)
		msg_header_remove(req, (msg_pub_t *)sip, (msg_header_t *)sip->sip_route);
}

#define MAX_OUR_ROUTES 4

/* Our Route entry's dialog token into tokens[*n] when it has one. */
static void route_token(const sip_route_t *r, char tokens[][SESS_DLG_TOKEN_LEN + 1], size_t *n)
{
	char val[SESS_DLG_TOKEN_LEN + 2];

	if (*n >= MAX_OUR_ROUTES || !r->r_url->url_params ||
	    url_param(r->r_url->url_params, SESS_DLG_PARAM, val, sizeof val) !=
	    SESS_DLG_TOKEN_LEN + 1) /* url_param counts the NUL */
		return;
	memcpy(tokens[(*n)++], val, SESS_DLG_TOKEN_LEN + 1);
}

/* RFC 3261 16.4 / 16.11: in a dialog we only follow the Route set (our
 * Record-Route entries come back as Route and are removed; their dialog
 * tokens feed the dialog table). */
static int in_dialog(struct session *s, nta_incoming_t *irq, const sip_t *rsip)
{
	bool ack = rsip->sip_request->rq_method == sip_method_ack;
	char tokens[MAX_OUR_ROUTES][SESS_DLG_TOKEN_LEN + 1];
	size_t n_tokens = 0;
	int status = 500, rc;
	msg_t *req = sipproxy_request_copy(irq, &status);
	sip_t *sip;

	if (!req) {
		if (ack)
			nta_incoming_destroy(irq);
		return ack ? 0 : status;
	}
	sip = sip_object(req);
	while (sip->sip_route && sess_url_is_us(&s->self, sip->sip_route->r_url)) {
		route_token(sip->sip_route, tokens, &n_tokens);
		pop_route(req);
	}
	if (n_tokens)
		sess_dialog_in_dialog(s, tokens, n_tokens, sip);
	if (!sip->sip_route && sess_url_is_us(&s->self, sip->sip_request->rq_url)) {
		msg_destroy(req);
		log_info("in-dialog %s for us without a dialog here: %s",
			 rsip->sip_request->rq_method_name, ack ? "dropped" : "481");
		if (ack) {
			nta_incoming_destroy(irq);
			return 0;
		}
		return 481;
	}
	log_debug("in-dialog %s %s", rsip->sip_request->rq_method_name,
		  rsip->sip_call_id ? rsip->sip_call_id->i_id : "-");
	if (ack) {
		rc = sipproxy_forward_stateless(s->sip, req, NULL);
		if (rc < 0)
			log_info("ACK not forwarded: %s", strerror(-rc));
		nta_incoming_destroy(irq);
		return 0;
	}
	if (sipproxy_forward(s->sip, irq, req, NULL, NULL, NULL, false, NULL) < 0)
		return 500;
	return 0;
}

/* Ours, with the pass's dialog token when it has one (sess_dialog.h). */
static int add_record_route(struct session *s, msg_t *req, const char *token)
{
	sip_t *sip = sip_object(req);
	char value[sizeof s->record_route + sizeof SESS_DLG_PARAM + SESS_DLG_TOKEN_LEN + 2];
	sip_record_route_t *rr;

	if (*token)
		snprintf(value, sizeof value, "<sip:%s;lr;" SESS_DLG_PARAM "=%s>",
			 sipagent_hostport(s->sip), token);
	rr = sip_record_route_make(msg_home(req), *token ? value : s->record_route);

	if (!rr)
		return -ENOMEM;
	/* RFC 3261 16.6 step 4: ours on top, so in-dialog requests pass us. */
	return msg_header_prepend(req, (msg_pub_t *)sip, (msg_header_t **)&sip->sip_record_route,
				  (msg_header_t *)rr) < 0 ? -ENOMEM : 0;
}

/* Our own URI without a Route beyond: OPTIONS is answered, others 404. */
static int for_us(nta_incoming_t *irq, const sip_t *sip)
{
	if (sip->sip_request->rq_method != sip_method_options)
		return 404;
	sipagent_reply_options(irq, SESS_ALLOW);
	nta_incoming_destroy(irq);
	return 0;
}

/* Requests that only make sense inside a dialog (or a transaction) are
 * never refused by overload control: they end or continue work already
 * admitted (RFC 6357 3: shed new work, not the work in progress). */
static bool never_shed(const sip_t *sip)
{
	switch (sip->sip_request->rq_method) {
	case sip_method_ack:
	case sip_method_bye:
	case sip_method_cancel:
	case sip_method_prack:
	case sip_method_update:
		return true;
	default:
		return false;
	}
}

/* Overload control of initial requests (admit.h), decided by the sipagent
 * screen before any transaction exists: a refusal is the cheapest answer
 * we have and leaves nothing behind. A request back from an AS is not
 * asked: its session was admitted already. */
bool session_screen(struct session *s, const sip_t *sip)
{
	char token[SESS_ODI_TOKEN_LEN + 1];
	enum sess_kind kind;

	if (never_shed(sip))
		return false;
	kind = sess_classify(&s->self, sip, token, sizeof token);
	if (kind == SESS_IN_DIALOG || kind == SESS_FROM_AS)
		return false;
	if (kind == SESS_TERMINATING && !sip->sip_route &&
	    sess_url_is_us(&s->self, sip->sip_request->rq_url))
		return false;
	return !admit_check(&s->admit, false);
}

int session_on_request(struct session *s, nta_incoming_t *irq, const sip_t *sip)
{
	struct sess_job job = { .s = s, .irq = irq, .after_priority = SESS_PRIORITY_START };
	char token[SESS_ODI_TOKEN_LEN + 1];
	enum sess_kind kind;
	char why[128];
	int status = 500;

	if (!sip_request_is_well_formed(sip, why, sizeof why)) {
		log_info("malformed request: %s", why);
		if (sip->sip_request && sip->sip_request->rq_method == sip_method_ack) {
			nta_incoming_destroy(irq);
			return 0;
		}
		return 400;
	}
	if (sip->sip_request->rq_method == sip_method_cancel)
		return 481; /* no transaction of ours matched it (RFC 3261 16.10) */
	kind = sess_classify(&s->self, sip, token, sizeof token);
	if (kind == SESS_IN_DIALOG || sip->sip_request->rq_method == sip_method_ack)
		return in_dialog(s, irq, sip);
	if (kind == SESS_TERMINATING && !sip->sip_route &&
	    sess_url_is_us(&s->self, sip->sip_request->rq_url))
		return for_us(irq, sip);
	job.req = sipproxy_request_copy(irq, &status);
	if (!job.req)
		return status;
	if (kind != SESS_TERMINATING || (sip->sip_route &&
					 sess_url_is_us(&s->self, sip->sip_route->r_url)))
		pop_route(job.req);
	if (kind == SESS_FROM_AS) {
		sess_isc_resume(s, &job, token);
		return 0;
	}
	/* An initial INVITE's pass is recorded at its 2xx (sess_dialog.h). */
	if (sip->sip_request->rq_method == sip_method_invite && s->dialogs.cap)
		sess_dialog_token_new(&s->dialogs, job.dlg.token);
	if (add_record_route(s, job.req, job.dlg.token) < 0) {
		msg_destroy(job.req);
		return 500;
	}
	if (kind == SESS_ORIGINATING) {
		sess_orig_start(&job);
		return 0;
	}
	job.sc = IFC_SC_TERMINATING_REGISTERED;
	if (reg_uri_canon(sip_object(job.req)->sip_request->rq_url, job.served,
			  sizeof job.served) < 0) {
		sess_job_reply(&job, 416, "Unsupported URI Scheme");
		return 0;
	}
	sess_job_run(&job);
	return 0;
}
