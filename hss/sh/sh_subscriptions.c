/*
 * sh_subscriptions: who is told of a change, and the notifier thread that
 * tells them (TS 29.328 6.1.4). A change (PUR, or a registration change
 * from Cx through sh_notify_user_state) becomes one PNR job per subscribed
 * AS; the thread sends due jobs, an answer other than 2001 or no answer
 * re-queues the job with a growing delay (1 s, 2 s, ...), and after
 * sh_config.pnr_attempts failures every subscription of that AS is dropped
 * (an AS that does not answer does not keep the HSS busy). A PNA 5107
 * NO_SUBSCRIPTION_TO_DATA drops the subscription it answered. The thread
 * also polls the change log every second (sh_changes.c: iFC and DSAI
 * changes made by ims-hssctl) and sweeps expired subscriptions.
 * State is process-wide, behind g_mu; PNR callbacks of a stopped notifier
 * only free their job. Jobs waiting for a PNA stay linked in g_inflight, so
 * one whose answer never comes (freeDiameter stopped first) is still
 * reachable at exit rather than lost.
 */
#include "sh/sh_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ims/diameter.h"
#include "ims/log.h"

enum job_kind { JOB_PNR, JOB_USER_STATE, JOB_DROP_AS, JOB_DROP_SUB };

struct job {
	struct job *next;
	struct job *prev_in, *next_in;   /* g_inflight links */
	struct sh_pnr_wait wait;
	enum job_kind kind;
	unsigned long generation;
	long long due_ms;
	unsigned int attempts;
	struct store_sh_sub sub;      /* JOB_PNR / JOB_DROP_*: the subscription */
	char impu[STORE_IDENTITY_MAX];/* JOB_USER_STATE */
	char *xml;
	size_t len;
};

#define SH_EXPIRY_SWEEP_MS 60000
#define SH_CHANGES_POLL_MS 1000   /* change log (ims-hssctl edits) */

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static struct job *g_queue;
static struct job *g_inflight;
static bool g_running;
static unsigned long g_gen;
static pthread_t g_thread;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void job_free(struct job *j)
{
	if (j) {
		free(j->xml);
		free(j);
	}
}

/* Take j; dropped when the notifier is not running (or restarted). */
static void job_push(struct job *j)
{
	pthread_mutex_lock(&g_mu);
	if (!g_running || j->generation != g_gen) {
		pthread_mutex_unlock(&g_mu);
		job_free(j);
		return;
	}
	j->next = g_queue;
	g_queue = j;
	pthread_cond_signal(&g_cond);
	pthread_mutex_unlock(&g_mu);
}

static struct job *job_new(enum job_kind kind)
{
	struct job *j = calloc(1, sizeof(*j));

	if (j) {
		j->kind = kind;
		pthread_mutex_lock(&g_mu);
		j->generation = g_gen;
		pthread_mutex_unlock(&g_mu);
	}
	return j;
}

void sh_notify_subs(struct store *st, const struct store_sh_sub *subs, size_t n, uint32_t dref,
		    uint64_t skip_as, uint64_t only_as, const struct sh_data_repo *gone)
{
	struct store_impu pu;
	int ret = 0;

	pu.identity[0] = '\0';
	for (size_t i = 0; ret == 0 && i < n; i++) {
		const struct store_sh_sub *b = &subs[i];
		const char *si = b->si;
		struct sh_query q = { .pu = &pu, .drefs = UINT64_C(1) << dref, .sis = &si,
				      .n_sis = 1, .server_name = b->server_name,
				      .as_id = b->as_id, .gone = gone };
		struct job *j;
		if (b->as_id == skip_as || (only_as && b->as_id != only_as))
			continue;
		if (strcmp(pu.identity, b->impu) != 0 && (ret = store_impu_get(st, b->impu, &pu)) != 0)
			break;
		if (!(j = job_new(JOB_PNR))) {
			ret = -ENOMEM;
			break;
		}
		j->sub = *b;
		struct sh_result r = sh_build(st, &q, &j->xml, &j->len);
		if (r.code != 2001 || r.exp) {
			job_free(j);
			continue;
		}
		/* TS 29.329 6.3.22: a one-time subscription ends with this PNR. */
		if (b->one_time && store_sh_sub_del_id(st, b->id) == -ENOENT) {
			job_free(j);   /* another ims-hss notified it already */
			continue;
		}
		log_info("PNR queued to %s impu=%s ref=%u%s", j->sub.as_host, b->impu, dref,
			 b->one_time ? " (one-time: subscription removed)" : "");
		job_push(j);
	}
	if (ret != 0)
		log_err("Sh: notifications (ref %u) lost: %s", dref, strerror(-ret));
}

void sh_notify_change(struct store *st, const char *impu, uint32_t dref, const char *si,
		      uint64_t skip_as, const struct sh_data_repo *gone)
{
	struct store_sh_sub *subs = NULL;
	size_t n = 0;
	int ret = store_sh_sub_find(st, impu, (int)dref, si, (uint64_t)time(NULL), &subs, &n);

	if (ret == 0)
		sh_notify_subs(st, subs, n, dref, skip_as, 0, gone);
	else
		log_err("Sh: notifications for %s (ref %u) lost: %s", impu, dref, strerror(-ret));
	free(subs);
}

void sh_notify_user_state(const char *impu)
{
	struct job *j = job_new(JOB_USER_STATE);

	if (!j)
		return;
	snprintf(j->impu, sizeof j->impu, "%s", impu);
	job_push(j);
}

static void inflight_add(struct job *j)
{
	pthread_mutex_lock(&g_mu);
	j->prev_in = NULL;
	j->next_in = g_inflight;
	if (g_inflight)
		g_inflight->prev_in = j;
	g_inflight = j;
	pthread_mutex_unlock(&g_mu);
}

static void inflight_del(struct job *j)
{
	pthread_mutex_lock(&g_mu);
	if (j->prev_in)
		j->prev_in->next_in = j->next_in;
	else if (g_inflight == j)
		g_inflight = j->next_in;
	if (j->next_in)
		j->next_in->prev_in = j->prev_in;
	j->prev_in = j->next_in = NULL;
	pthread_mutex_unlock(&g_mu);
}

/* PNA result, on a freeDiameter thread (or the notifier's when the send
 * failed at once). */
static void pnr_done(void *ctx, int err, uint32_t code, bool exp)
{
	struct job *j = ctx;
	unsigned int max = sh_settings()->pnr_attempts;

	inflight_del(j);

	if (err == 0 && code == 2001 && !exp) {
		log_info("PNA from %s impu=%s: 2001", j->sub.as_host, j->sub.impu);
		job_free(j);
		return;
	}
	if (err == 0 && exp && code == SH_EXP_NO_SUBSCRIPTION_TO_DATA) {
		j->kind = JOB_DROP_SUB;
	} else if (++j->attempts >= max) {
		log_warn("PNR to %s impu=%s failed %u times (%s %u): dropping its subscriptions",
			 j->sub.as_host, j->sub.impu, j->attempts, err ? strerror(-err) : "result",
			 code);
		j->kind = JOB_DROP_AS;
	} else {
		log_notice("PNR to %s impu=%s failed (%s %u), retry %u", j->sub.as_host,
			   j->sub.impu, err ? strerror(-err) : "result", code, j->attempts);
		j->due_ms = now_ms() + 1000LL * j->attempts;
	}
	job_push(j);
}

static void user_state_changed(struct store *st, const char *impu)
{
	struct store_impu *set = NULL;
	size_t n = 0;
	bool any = true;

	/* Most users have no such subscription: one query instead of
	 * 1 + 2 per IMPU of the set. */
	if (store_sh_sub_any_in_set(st, impu, SH_DREF_IMS_USER_STATE, SH_DREF_SCSCF_NAME,
				    &any) == 0 && !any)
		return;
	if (store_implicit_set_get(st, impu, &set, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		sh_notify_change(st, set[i].identity, SH_DREF_IMS_USER_STATE, NULL, 0, NULL);
		sh_notify_change(st, set[i].identity, SH_DREF_SCSCF_NAME, NULL, 0, NULL);
	}
	free(set);
}

static void job_run(struct store **st, struct job *j)
{
	const struct sh_config *cfg = sh_settings();
	int ret;

	if (j->kind == JOB_PNR) {   /* the document is built: no database needed */
		j->wait = (struct sh_pnr_wait){ pnr_done, j };
		inflight_add(j);
		ret = sh_pnr_send(j->sub.as_host, j->sub.as_realm, j->sub.impu, j->xml, j->len,
				  cfg->pnr_timeout_ms, &j->wait);
		if (ret != 0)
			pnr_done(j, ret, 0, false);
		return;
	}
	if (!*st && store_open(&cfg->db, st) != 0) {
		log_err("Sh notifier: no database; job for %s dropped",
			j->kind == JOB_USER_STATE ? j->impu : j->sub.impu);
		job_free(j);
		return;
	}
	switch (j->kind) {
	case JOB_PNR:
		break;
	case JOB_USER_STATE:
		user_state_changed(*st, j->impu);
		break;
	case JOB_DROP_AS:
		(void)store_sh_sub_del_as(*st, j->sub.as_id);
		break;
	case JOB_DROP_SUB:
		(void)store_sh_sub_del(*st, j->sub.as_id, j->sub.impu, j->sub.dref, j->sub.si);
		break;
	}
	job_free(j);
}

/* Unlink the first due job; else how long to wait (ms, -1 = no job). */
static struct job *job_take_due(long long *wait)
{
	long long now = now_ms();

	*wait = -1;
	for (struct job **p = &g_queue; *p; p = &(*p)->next) {
		if ((*p)->due_ms <= now) {
			struct job *j = *p;
			*p = j->next;
			return j;
		}
		if (*wait < 0 || (*p)->due_ms - now < *wait)
			*wait = (*p)->due_ms - now;
	}
	return NULL;
}

/* Expired subscriptions (TS 29.328 6.1.3 Expiry-Time) are ignored when a
 * change is notified; this only keeps the table small. */
static void expire_subscriptions(struct store **st)
{
	uint64_t n = 0;

	if (!*st && store_open(&sh_settings()->db, st) != 0)
		return;
	if (store_sh_sub_expire(*st, (uint64_t)time(NULL), &n) == 0 && n)
		log_info("Sh: %llu expired subscription(s) removed", (unsigned long long)n);
}

/* Wait on g_cond (g_mu held) at most ms milliseconds. */
static void cond_wait_ms(long long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&g_cond, &g_mu, &ts);
}

static void poll_changes(struct store **st)
{
	if (!*st && store_open(&sh_settings()->db, st) != 0)
		return;
	sh_changes_poll(*st);
}

static void *notifier(void *arg)
{
	struct store *st = NULL;
	long long next_sweep = 0, next_poll = 0, wait;

	(void)arg;
	pthread_mutex_lock(&g_mu);
	while (g_running) {
		struct job *j = job_take_due(&wait);
		if (j) {
			pthread_mutex_unlock(&g_mu);
			job_run(&st, j);
			pthread_mutex_lock(&g_mu);
		} else if (now_ms() >= next_sweep) {
			pthread_mutex_unlock(&g_mu);
			expire_subscriptions(&st);
			next_sweep = now_ms() + SH_EXPIRY_SWEEP_MS;
			pthread_mutex_lock(&g_mu);
		} else if (now_ms() >= next_poll) {
			pthread_mutex_unlock(&g_mu);
			poll_changes(&st);
			next_poll = now_ms() + SH_CHANGES_POLL_MS;
			pthread_mutex_lock(&g_mu);
		} else {
			long long to = (next_sweep < next_poll ? next_sweep : next_poll) - now_ms();
			cond_wait_ms(to < 0 ? 0 : wait < 0 || wait > to ? to : wait);
		}
	}
	pthread_mutex_unlock(&g_mu);
	store_close(st);
	return NULL;
}

int sh_notifier_start(void)
{
	int ret;

	pthread_mutex_lock(&g_mu);
	g_running = true;
	g_gen++;
	pthread_mutex_unlock(&g_mu);
	ret = -pthread_create(&g_thread, NULL, notifier, NULL);
	if (ret != 0) {
		pthread_mutex_lock(&g_mu);
		g_running = false;
		pthread_mutex_unlock(&g_mu);
	}
	return ret;
}

void sh_notifier_stop(void)
{
	struct job *q;

	pthread_mutex_lock(&g_mu);
	g_running = false;
	q = g_queue;
	g_queue = NULL;
	pthread_cond_signal(&g_cond);
	pthread_mutex_unlock(&g_mu);
	pthread_join(g_thread, NULL);
	while (q) {
		struct job *next = q->next;
		job_free(q);
		q = next;
	}
}
