/*
 * sess_fork: the forking engine (contract in sess_fork.h; the pure plan and
 * selection are in sess_select.c).
 *
 * Life of a fork: branches of the next class start when no branch is
 * pending and nothing stopped the fork (2xx, 6xx, CANCEL from upstream);
 * when no class is left the final response goes upstream and the fork is
 * freed. A 2xx is sent upstream at once; the fork then only waits for the
 * other branches (CANCELled) to end. Every path through fork_check() is
 * guarded against re-entry (nta may call a branch back from inside
 * nta_outgoing_mcreate), and every pending branch has a deadline, so a
 * fork always ends.
 */
#include "sess_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/nta_stateless.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_wait.h>

#include "ims/log.h"

struct fork_branch {
	struct sess_fork *f;
	nta_outgoing_t *orq;
	char *uri;
	char *path;               /* Route set toward the contact, or NULL */
	char *instance;           /* +sip.instance of the contact, or NULL */
	unsigned cls;
	bool backup;              /* another flow of a target's instance (RFC 5626) */
	int64_t t_start;          /* ms, when sent */
	int64_t deadline;         /* ms, while pending */
	int status;               /* final status as counted, 0 while pending */
	bool started, done;
	bool rang;                /* a provisional response above 100 came */
	bool cancel;              /* CANCEL wanted (sent once a response came) */
	bool cancel_sent;
	const char *cancel_reason;  /* Reason of the CANCEL (RFC 3326), or NULL */
	bool timed_out;           /* cancelled by our timer: counts as 408 */
	bool gone;                /* its contact was de-registered: counts as 480 */
};

struct sess_fork {
	struct sess_fork *next, **pprev;   /* session's list */
	struct session *s;
	nta_incoming_t *irq;               /* NULL once a final response went up */
	msg_t *req;                        /* each branch sends a copy */
	bool invite;
	bool answered;                     /* a 2xx went upstream */
	bool stop;                         /* no new branch (2xx, 6xx, CANCEL) */
	bool upstream_cancel;
	bool admitted;                     /* counted in s->admit until answered */
	bool sampled;                      /* latency sample given */
	struct sess_disposition disp;      /* Request-Disposition (RFC 3841) */
	int busy;                          /* fork_check re-entry guard */
	size_t n;
	unsigned next_cls;
	struct fork_branch br[SESS_FORK_MAX_BRANCHES];
	msg_t *best;                       /* best final so far (Via popped) */
	int best_status;
	su_timer_t *timer;
	char served[SESS_URI_MAX];
	struct sess_dlg_note dlg;          /* the pass's dialog note */
};

#define now_ms sess_now_ms

/* The final response went upstream: the fork no longer counts as work
 * in flight for overload control (its CANCELled losers cost little). */
static void fork_answered(struct sess_fork *f)
{
	f->irq = NULL;
	if (f->admitted)
		admit_leave(&f->s->admit);
	f->admitted = false;
}

static void pop_via(msg_t *resp)
{
	sip_t *sip = sip_object(resp);

	if (sip && sip->sip_via)
		sip_header_remove(resp, sip, (sip_header_t *)sip->sip_via);
}

static void fork_free(struct sess_fork *f)
{
	size_t i;

	if (f->pprev) {
		*f->pprev = f->next;
		if (f->next)
			f->next->pprev = f->pprev;
	}
	if (f->timer)
		su_timer_destroy(f->timer);
	if (f->admitted)
		admit_leave(&f->s->admit);
	for (i = 0; i < f->n; i++) {
		free(f->br[i].uri);
		free(f->br[i].path);
		free(f->br[i].instance);
	}
	if (f->best)
		msg_destroy(f->best);
	if (f->req)
		msg_destroy(f->req);
	free(f);
}

/* RFC 3326 Reason: the losers of a forked INVITE learn that
 * another device took the call (no "missed call" on them). */
#define REASON_ELSEWHERE "SIP;cause=200;text=\"Call completed elsewhere\""

/* RFC 3261 9.1: a CANCEL only after a response came; else when one does. */
static void branch_cancel(struct fork_branch *b)
{
	b->cancel = true;
	if (b->cancel_sent || !b->orq || !b->f->invite || nta_outgoing_status(b->orq) < 100)
		return;
	if (b->cancel_reason)
		nta_outgoing_tcancel(b->orq, NULL, NULL, SIPTAG_REASON_STR(b->cancel_reason),
				     TAG_END());
	else
		nta_outgoing_cancel(b->orq);
	b->cancel_sent = true;
}

static void cancel_others(struct sess_fork *f, const struct fork_branch *keep,
			  const char *reason)
{
	int64_t grace = now_ms() + f->s->cfg->branch_timeout;
	size_t i;

	for (i = 0; i < f->n; i++) {
		struct fork_branch *b = &f->br[i];

		if (b == keep || !b->started || b->done)
			continue;
		if (!b->cancel)
			b->cancel_reason = reason;
		branch_cancel(b);
		if (b->deadline > grace)
			b->deadline = grace; /* its 487, or it is forgotten */
	}
}

static void branch_end(struct fork_branch *b, int status)
{
	if (b->orq)
		nta_outgoing_destroy(b->orq);
	b->orq = NULL;
	b->done = true;
	b->status = b->gone ? 480 : b->timed_out ? 408 : status;
}

static int branch_start(struct sess_fork *f, struct fork_branch *b);

/* RFC 5626 5.3: the flow of b failed (430, 408, unreachable, silent):
 * the next flow of the same instance takes its place in its class. */
static void next_flow(struct sess_fork *f, const struct fork_branch *b)
{
	size_t i;

	if (!b->instance || b->rang || f->stop || f->answered ||
	    !sess_fork_flow_failed(b->status))
		return;
	for (i = 0; i < f->n; i++) {
		struct fork_branch *nb = &f->br[i];

		if (!nb->backup || nb->started || strcmp(nb->instance, b->instance))
			continue;
		log_info("fork served=%s flow %s failed (%d): next flow %s of %s", f->served,
			 b->uri, b->status, nb->uri, b->instance);
		nb->cls = b->cls;
		branch_start(f, nb);
		return;
	}
}

/* RFC 3261 16.5 / RFC 3841 9.1 "recurse": the Contacts of a 3xx become
 * targets of a class after every other (each URI once, within the branch
 * array, which also ends any redirect loop). true when some were added. */
static bool recurse(struct sess_fork *f, const struct fork_branch *b, const msg_t *resp)
{
	const sip_t *sip = resp ? sip_object(resp) : NULL;
	const sip_contact_t *m;
	unsigned cls = 0;
	size_t i, added = 0;

	if (f->disp.recurse != 1 || f->stop || f->answered || !sip)
		return false;
	for (i = 0; i < f->n; i++)
		if (!f->br[i].backup && f->br[i].cls + 1 > cls)
			cls = f->br[i].cls + 1;
	for (m = sip->sip_contact; m && f->n < SESS_FORK_MAX_BRANCHES; m = m->m_next) {
		struct fork_branch *nb = &f->br[f->n];
		char *uri;
		bool seen = false;

		if (m->m_url->url_type != url_sip && m->m_url->url_type != url_sips)
			continue;
		uri = url_as_string(NULL, m->m_url); /* NULL home: malloc'd */
		if (!uri)
			break;
		for (i = 0; i < f->n && !seen; i++)
			seen = !strcmp(f->br[i].uri, uri);
		if (seen) {
			free(uri);
			continue;
		}
		memset(nb, 0, sizeof *nb);
		nb->f = f;
		nb->uri = uri;
		nb->cls = cls;
		f->n++;
		added++;
	}
	if (added)
		log_info("fork served=%s branch %s -> %d: recursing on %zu contact(s)", f->served,
			 b->uri, b->status, added);
	return added > 0;
}

/* A final response (or our 408) of a branch: keep the best (RFC 3261 16.7
 * steps 5-6). resp is taken (may be NULL). */
static void record_final(struct sess_fork *f, struct fork_branch *b, int status, msg_t *resp)
{
	branch_end(b, status);
	status = b->status;
	log_info("fork served=%s branch %s -> %d", f->served, b->uri, status);
	if (status >= 300 && status < 400 && !b->timed_out && recurse(f, b, resp)) {
		/* 16.7 step 4: contacts recursed on leave the response; with
		 * all of them gone it is no candidate. */
		if (resp)
			msg_destroy(resp);
		return;
	}
	if (status >= 600 && !f->stop) {
		f->stop = true;
		cancel_others(f, b, NULL);
	}
	if (!f->answered && sess_fork_better(status, f->best_status)) {
		if (f->best)
			msg_destroy(f->best);
		f->best = NULL;
		f->best_status = status;
		if (resp && !b->timed_out && !b->gone) {
			pop_via(resp);
			f->best = resp;
			resp = NULL;
		}
	}
	if (resp)
		msg_destroy(resp);
	next_flow(f, b);
}

static void on_2xx(struct sess_fork *f, struct fork_branch *b, int status, msg_t *resp)
{
	branch_end(b, status);
	if (!resp)
		return;
	sess_dialog_seen(f->s, &f->dlg, IFC_SC_TERMINATING_REGISTERED, f->served,
			 sip_object(f->req), resp);
	if (f->irq) {
		log_info("fork served=%s branch %s answered %d", f->served, b->uri, status);
		pop_via(resp);
		nta_incoming_mreply(f->irq, resp);
		nta_incoming_destroy(f->irq);
		fork_answered(f);
		f->answered = true;
		f->stop = true;
		/* RFC 3841 9.1 no-cancel: the caller CANCELs the others itself. */
		if (!f->disp.no_cancel)
			cancel_others(f, b, REASON_ELSEWHERE);
	} else if (f->invite && f->answered) {
		/* RFC 3261 16.7 step 5: every 2xx to an INVITE goes upstream;
		 * the server transaction is gone, so statelessly (nta pops our
		 * Via itself). */
		log_info("fork served=%s further %d from %s forwarded", f->served, status, b->uri);
		nta_msg_tsend(sipagent_nta(f->s->sip), resp, NULL, TAG_END());
	} else {
		msg_destroy(resp);
	}
}

static void fork_check(struct sess_fork *f);

static int on_branch_response(nta_outgoing_magic_t *magic, nta_outgoing_t *orq,
			      sip_t const *unused)
{
	struct fork_branch *b = (struct fork_branch *)magic;
	struct sess_fork *f = b->f;
	int status = nta_outgoing_status(orq);
	msg_t *resp;

	(void)unused;
	if (status < 100 || b->done)
		return 0;
	resp = nta_outgoing_getresponse(orq);
	if (status > 100 && !f->sampled && resp && !nta_is_internal_msg(resp)) {
		/* Overload control: how long the callee side took to react. */
		admit_sample(&f->s->admit, now_ms() - b->t_start);
		f->sampled = true;
	}
	if (status < 200) {
		if (b->cancel && !b->cancel_sent)
			branch_cancel(b);
		if (status > 100 && !b->cancel) {
			/* Alive: from now on the ring timer (RFC 3261 16.8). */
			if (!b->rang)
				b->deadline = now_ms() + f->s->cfg->ring_timeout;
			b->rang = true;
			if (resp && f->irq) {
				pop_via(resp);
				nta_incoming_mreply(f->irq, resp);
				resp = NULL;
			}
		}
		if (resp)
			msg_destroy(resp);
		return 0;
	}
	/* A final nta made up itself (transport error, Timer B/F) means the
	 * contact could not be reached: a timeout for selection, not a 5xx
	 * of the callee that would go upstream as 500. */
	if (status >= 300 && (!resp || nta_is_internal_msg(resp)))
		b->timed_out = true;
	f->busy++; /* a next flow may be started (and answer) from here */
	if (status < 300)
		on_2xx(f, b, status, resp);
	else
		record_final(f, b, status, resp);
	f->busy--;
	fork_check(f);
	return 0;
}

static int branch_start(struct sess_fork *f, struct fork_branch *b)
{
	msg_t *req = msg_copy(f->req);
	int rc = 0;

	b->started = true;
	if (!req || sess_set_request_uri(req, b->uri) < 0 ||
	    (b->path && sess_prepend_route(req, b->path) < 0)) {
		if (req)
			msg_destroy(req);
		record_final(f, b, 500, NULL);
		return -ENOMEM;
	}
	b->t_start = now_ms();
	b->deadline = b->t_start + f->s->cfg->branch_timeout;
	log_info("fork served=%s class %u -> contact %s%s%s", f->served, b->cls, b->uri,
		 b->path ? " via " : "", b->path ? b->path : "");
	b->orq = sipagent_outgoing(f->s->sip, on_branch_response, (nta_outgoing_magic_t *)b, NULL,
				   req, &rc);
	if (!b->orq) {
		msg_destroy(req);
		b->timed_out = true; /* unreachable, like a transport error */
		if (!b->done)
			record_final(f, b, 503, NULL);
		return -EIO;
	}
	return 0;
}

/* Start the branches of the next class: true when there was one. */
static bool start_next_class(struct sess_fork *f)
{
	unsigned cls = f->next_cls;
	bool any = false;
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->br[i].cls != cls || f->br[i].started || f->br[i].backup)
			continue;
		any = true;
		branch_start(f, &f->br[i]);
		if (f->stop)
			break;
	}
	f->next_cls++;
	return any;
}

static bool pending(const struct sess_fork *f, int64_t *earliest)
{
	bool any = false;
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct fork_branch *b = &f->br[i];

		if (!b->started || b->done)
			continue;
		if (!any || b->deadline < *earliest)
			*earliest = b->deadline;
		any = true;
	}
	return any;
}

static bool classes_left(const struct sess_fork *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!f->br[i].started && !f->br[i].backup)
			return true;
	return false;
}

/* Upstream: the best response, 487 after a CANCEL, 503 as 500. */
static void send_final(struct sess_fork *f)
{
	int status = f->best_status;

	if (f->upstream_cancel && status < 600)
		status = 487;
	if (!status)
		status = 480;
	log_info("fork served=%s final %d", f->served, sess_fork_upstream_status(status));
	if (nta_incoming_status(f->irq) >= 200) {
		/* already answered (nta's own 487 to a CANCEL) */
	} else if (f->best && status == f->best_status &&
		   sess_fork_upstream_status(status) == status) {
		nta_incoming_mreply(f->irq, f->best);
		f->best = NULL;
	} else {
		status = sess_fork_upstream_status(status);
		nta_incoming_treply(f->irq, status,
				    sip_status_phrase(status) ? sip_status_phrase(status) : "Failed",
				    TAG_END());
	}
	nta_incoming_destroy(f->irq);
	fork_answered(f);
}

static void on_timer(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg);

static void fork_check(struct sess_fork *f)
{
	int64_t earliest = 0, wait;

	if (f->busy)
		return;
	f->busy++;
	while (!pending(f, &earliest)) {
		if (!f->stop && !f->answered && classes_left(f)) {
			start_next_class(f);
			continue;
		}
		if (f->irq)
			send_final(f);
		fork_free(f);
		return;
	}
	f->busy--;
	wait = earliest - now_ms();
	su_timer_reset(f->timer);
	su_timer_set_interval(f->timer, on_timer, (su_timer_arg_t *)f,
			      (su_duration_t)(wait < 1 ? 1 : wait));
}

/* A branch past its deadline: CANCEL it when it can be (INVITE with a
 * response), giving it branch_timeout more for its 487; otherwise, or when
 * already cancelled, forget it as 408. */
static void on_timer(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct sess_fork *f = (struct sess_fork *)arg;
	int64_t now = now_ms();
	size_t i;

	(void)magic;
	(void)t;
	f->busy++;
	for (i = 0; i < f->n; i++) {
		struct fork_branch *b = &f->br[i];

		if (!b->started || b->done || b->deadline > now)
			continue;
		if (!b->cancel && f->invite && b->orq && nta_outgoing_status(b->orq) >= 100) {
			log_info("fork served=%s branch %s: no answer in time, CANCEL", f->served,
				 b->uri);
			b->timed_out = true;
			branch_cancel(b);
			b->deadline = now + f->s->cfg->branch_timeout;
			continue;
		}
		if (!b->cancel)
			log_info("fork served=%s branch %s: no response in time", f->served, b->uri);
		b->timed_out = true;
		record_final(f, b, 408, NULL);
	}
	f->busy--;
	fork_check(f);
}

static int on_upstream_cancel(nta_incoming_magic_t *magic, nta_incoming_t *irq,
			      sip_t const *sip)
{
	struct sess_fork *f = (struct sess_fork *)magic;

	(void)irq;
	(void)sip;
	/* RFC 3261 16.10: CANCEL every pending branch, start no new one. */
	log_info("fork served=%s CANCEL from upstream", f->served);
	f->upstream_cancel = true;
	f->stop = true;
	cancel_others(f, NULL, NULL);
	fork_check(f);
	return 0;
}

static int branch_fill(struct sess_fork *f, const struct registrar_contact *c, unsigned cls,
		       bool backup)
{
	struct fork_branch *b = &f->br[f->n++];

	b->f = f;
	b->cls = cls;
	b->backup = backup;
	b->uri = strdup(c->uri);
	b->path = c->path ? strdup(c->path) : NULL;
	b->instance = c->instance ? strdup(c->instance) : NULL;
	if (!b->uri || (c->path && !b->path) || (c->instance && !b->instance))
		return -ENOMEM;
	return 0;
}

/* The targets of the plan, then the other flows of their instances as
 * backups in the room left (RFC 5626 5.3). */
static int fork_fill(struct sess_fork *f, const struct registrar_contact *c, size_t n)
{
	size_t idx[SESS_FORK_MAX_BRANCHES], bidx[SESS_FORK_MAX_BRANCHES], of[SESS_FORK_MAX_BRANCHES];
	unsigned cls[SESS_FORK_MAX_BRANCHES];
	int mode = sess_disposition_mode(&f->disp, f->s->cfg->fork);
	size_t i, k, m;

	k = sess_fork_plan(c, n, mode, (size_t)f->s->cfg->max_branches, idx, cls);
	m = sess_fork_backups(c, n, idx, k, SESS_FORK_MAX_BRANCHES - k, bidx, of);
	for (i = 0; i < k; i++)
		if (branch_fill(f, &c[idx[i]], cls[i], false) < 0)
			return -ENOMEM;
	for (i = 0; i < m; i++)
		if (branch_fill(f, &c[bidx[i]], cls[of[i]], true) < 0)
			return -ENOMEM;
	return k ? 0 : -ENOENT;
}

void sess_fork_start(struct sess_job *job, const struct registrar_contact *c, size_t n,
		     const struct sess_disposition *d)
{
	struct session *s = job->s;
	struct sess_fork *f;

	if (job->tx) {
		/* Continuing after an AS failure: the server transaction is
		 * taken back from the proxy transaction that held it. */
		nta_incoming_t *irq = sipproxy_release(job->tx);

		if (!irq) {
			sess_job_reply(job, 500, "Server Internal Error");
			return;
		}
		job->irq = irq;
		job->tx = NULL;
	}
	f = calloc(1, sizeof *f);
	if (f) {
		f->s = s;
		f->disp = *d;
	}
	if (!f || fork_fill(f, c, n) < 0 ||
	    !(f->timer = su_timer_create(su_root_task(s->root), 0))) {
		if (f)
			fork_free(f);
		sess_job_reply(job, 500, "Server Internal Error");
		return;
	}
	f->irq = job->irq;
	f->req = job->req;
	f->invite = sip_object(f->req)->sip_request->rq_method == sip_method_invite;
	memcpy(f->served, job->served, sizeof f->served);
	f->dlg = job->dlg;
	job->irq = NULL;
	job->req = NULL;
	f->next = s->forks;
	if (s->forks)
		s->forks->pprev = &f->next;
	s->forks = f;
	f->pprev = &s->forks;
	admit_enter(&s->admit);
	f->admitted = true;
	nta_incoming_bind(f->irq, on_upstream_cancel, (nta_incoming_magic_t *)f);
	fork_check(f);
}

/* TS 24.229 5.4.5.1.1: the callee's contact went while its branch is
 * pending: CANCEL it (Reason: de-registered); a branch not started yet is
 * dropped. Each counts as 480. */
#define REASON_DEREGISTERED "SIP;cause=480;text=\"User de-registered\""

static bool branch_matches(const struct fork_branch *b, const char *ue_key)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	char key[320];
	url_t *u;
	bool match;

	if (!ue_key)
		return true;
	u = url_make(home, b->uri);
	match = u && sess_dialog_contact_key(u, key, sizeof key) == 0 && strcmp(key, ue_key) == 0;
	su_home_deinit(home);
	return match;
}

size_t sess_fork_release(struct session *s, const char *impu, const char *ue_key)
{
	struct sess_fork *f, *next;
	size_t n = 0, i;

	for (f = s->forks; f; f = next) {
		next = f->next;
		if (f->answered || !f->invite || strcmp(f->served, impu) != 0)
			continue;
		f->busy++;
		for (i = 0; i < f->n; i++) {
			struct fork_branch *b = &f->br[i];

			if (b->done || b->gone || !branch_matches(b, ue_key))
				continue;
			b->gone = true;
			n++;
			log_info("fork served=%s contact %s de-registered: %s", f->served, b->uri,
				 b->started ? "CANCEL" : "dropped");
			if (!b->started) {
				b->started = true;
				branch_end(b, 480);
				continue;
			}
			if (!b->cancel)
				b->cancel_reason = REASON_DEREGISTERED;
			branch_cancel(b);
			if (b->deadline > now_ms() + s->cfg->branch_timeout)
				b->deadline = now_ms() + s->cfg->branch_timeout;
		}
		f->busy--;
		fork_check(f); /* may free f */
	}
	return n;
}

void sess_fork_free_all(struct session *s)
{
	/* The agent (and with it every transaction) is gone already. */
	while (s->forks) {
		struct sess_fork *f = s->forks;

		f->irq = NULL;
		fork_free(f);
	}
}
