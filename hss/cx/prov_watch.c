/* prov_watch: see prov_watch.h. */
#include "cx/prov_watch.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "cx/profile_cache.h"
#include "ims/log.h"
#include "store/store_sh.h"

/* Sleep up to ms unless stopped; true if stopping. */
static bool watch_wait(struct prov_watch *w, unsigned int ms)
{
	struct timespec until;
	bool stop;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->lock);
	while (!w->stop && pthread_cond_timedwait(&w->cond, &w->lock, &until) == 0)
		;
	stop = w->stop;
	pthread_mutex_unlock(&w->lock);
	return stop;
}

static void *watch_main(void *arg)
{
	struct prov_watch *w = arg;
	struct store *st = NULL;
	uint64_t max_id = 0, rows = 0, m, r;
	bool known = false;   /* max_id/rows hold a mark read before */
	int ret;

	do {
		ret = st ? 0 : store_open(&w->db, &st);
		if (ret == 0)
			ret = store_sh_change_mark(st, &m, &r);
		if (ret != 0) {
			/* Blind: changes may pass unseen, so start afresh later. */
			if (known)
				log_warn("profile cache: cannot read the change log (%s); "
					 "cached profiles dropped", strerror(-ret));
			profile_cache_clear();
			known = false;
			continue;
		}
		if (known && (m != max_id || r != rows)) {
			log_info("profile cache: provisioning change logged (id %llu), cleared",
				 (unsigned long long)m);
			profile_cache_clear();
		} else if (!known) {
			profile_cache_clear();   /* whatever was read while blind */
		}
		max_id = m;
		rows = r;
		known = true;
	} while (!watch_wait(w, w->poll_ms));
	store_close(st);
	return NULL;
}

int prov_watch_start(struct prov_watch *w, const struct store_config *db, unsigned int poll_ms)
{
	int ret;

	memset(w, 0, sizeof *w);
	if (!poll_ms)
		return -EINVAL;
	w->db = *db;
	w->poll_ms = poll_ms;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	ret = -pthread_create(&w->thread, NULL, watch_main, w);
	if (ret != 0) {
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		log_err("profile cache: cannot start the change watch: %s", strerror(-ret));
		return ret;
	}
	w->running = true;
	return 0;
}

void prov_watch_stop(struct prov_watch *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	w->running = false;
}
