/* admin_queue: the thread that polls the admin queue and runs RTR/PPR
 * (cx_admin.h). */
#include "cx/cx_admin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ims/log.h"

/* A row SENDING for longer than this was left by a dead HSS: the answer
 * wait is bounded well below it. */
#define ADMIN_STALE_S 120u

/* Sleep up to ms unless halted; true if halting. */
static bool admin_wait(struct cx_admin *a, long long ms)
{
	struct timespec until;
	bool stop;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&a->lock);
	while (!a->stop && pthread_cond_timedwait(&a->cond, &a->lock, &until) == 0)
		;
	stop = a->stop;
	pthread_mutex_unlock(&a->lock);
	return stop;
}

static bool admin_stopping(struct cx_admin *a)
{
	bool stop;

	pthread_mutex_lock(&a->lock);
	stop = a->stop;
	pthread_mutex_unlock(&a->lock);
	return stop;
}

/* Record the outcome; retries back off 1 s, 2 s, 4 s... up to a minute. */
static void admin_record(struct cx_admin *a, const struct store_queue_item *it,
			 const struct cx_admin_outcome *o)
{
	unsigned int delay_ms;
	int ret;

	if (o->verdict == CX_ADMIN_RETRY && it->attempts < (unsigned)a->cfg->cx.admin_max_attempts) {
		delay_ms = 1000u << (it->attempts < 6 ? it->attempts - 1 : 6);
		ret = store_queue_retry(a->st, it->id, delay_ms > 60000 ? 60000 : delay_ms,
					o->code, o->detail);
	} else {
		ret = store_queue_finish(a->st, it->id, o->verdict == CX_ADMIN_DONE ?
					 STORE_QUEUE_DONE : STORE_QUEUE_FAILED, o->code, o->detail);
	}
	if (ret != 0)
		log_warn("admin queue: cannot record the outcome of request %llu: %s",
			 (unsigned long long)it->id, strerror(-ret));
}

/* One poll: claim a batch and handle it. -errno on a database error. */
static int admin_poll(struct cx_admin *a, struct store_queue_item *items)
{
	struct cx_admin_outcome o;
	size_t n = 0;
	int ret;

	if (!a->st && (ret = store_open(&a->db, &a->st)) != 0)
		return ret;
	ret = store_queue_claim(a->st, ADMIN_STALE_S, items, (size_t)a->cfg->cx.admin_batch, &n);
	for (size_t i = 0; ret == 0 && i < n; i++) {
		if (admin_stopping(a)) {
			/* Put it back untouched for the next start. */
			(void)store_queue_retry(a->st, items[i].id, 0, items[i].result_code,
						"HSS stopped before sending");
			continue;
		}
		if (items[i].kind == STORE_QUEUE_RTR)
			cx_rtr_run(a, &items[i], &o);
		else
			cx_ppr_run(a, &items[i], &o);
		if (o.verdict == CX_ADMIN_RETRY && admin_stopping(a))  /* keep it pending */
			(void)store_queue_retry(a->st, items[i].id, 0, o.code, o.detail);
		else
			admin_record(a, &items[i], &o);
	}
	return ret;
}

static void *admin_main(void *arg)
{
	struct cx_admin *a = arg;
	struct store_queue_item *items = calloc((size_t)a->cfg->cx.admin_batch, sizeof *items);
	bool warned = false;
	int ret;

	if (!items) {
		log_err("admin queue: out of memory; RTR/PPR disabled");
		return NULL;
	}
	do {
		ret = admin_poll(a, items);
		if (ret != 0 && !warned)
			log_warn("admin queue: database unavailable (%s); will retry",
				 strerror(-ret));
		else if (ret == 0 && warned)
			log_notice("admin queue: database available again");
		warned = ret != 0;
	} while (!admin_wait(a, a->cfg->cx.admin_poll_interval));
	free(items);
	return NULL;
}

int cx_admin_start(struct cx_admin *a, const struct hss_config *cfg)
{
	int ret;

	memset(a, 0, sizeof *a);
	a->cfg = cfg;
	hss_config_store(&cfg->database, &a->db);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	ret = -pthread_create(&a->thread, NULL, admin_main, a);
	if (ret != 0) {
		log_err("admin queue: cannot start its thread: %s", strerror(-ret));
		return ret;
	}
	a->running = true;
	return 0;
}

void cx_admin_halt(struct cx_admin *a)
{
	if (!a->running)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	a->running = false;
}

void cx_admin_free(struct cx_admin *a)
{
	if (!a->cfg)
		return;
	store_close(a->st);
	a->st = NULL;
	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->lock);
	a->cfg = NULL;
}
