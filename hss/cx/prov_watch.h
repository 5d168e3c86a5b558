/*
 * prov_watch: keeps the Cx provisioning caches (profile_cache.h) honest
 * when ims-hssctl, on any host, changes the database behind this process.
 *
 * How the HSS learns of provisioning changes: the change log sh_change
 * (0004_sh_dsai.sql) gets a row from database triggers for every change of
 * a service profile's iFCs (service_profile_ifc, ifc, spt, shared-set
 * links, an IMPU moved to another profile) and from ims-hssctl for DSAI.
 * Sh reads it for PNRs and deletes each row it notifies (sh_changes.c:
 * only rows at least 500 ms old). This thread reads a mark of the log
 * (highest id, row count; store_sh_change_mark) every `poll_ms` and clears
 * the profile cache whenever the mark moved or could not be read.
 *
 * Staleness, bounded: a logged change is seen within poll_ms of its
 * commit (a row stays in the log for at least 500 ms, so poll_ms must stay
 * below that; the config bounds it). Not seen through the log, and
 * therefore only bounded by cx.profile_cache_ttl: changes no trigger logs
 * (e.g. an application server's URI edited in place), a transaction that
 * commits more than 500 ms after writing its log row and is taken by
 * another ims-hss before this poll, and anything while this thread cannot
 * reach the database (it clears the cache when it can again).
 *
 * Threads: one thread with its own store; start after profile_cache_start,
 * stop before profile_cache_stop. Functions return 0 or -errno.
 */
#ifndef HSS_CX_PROV_WATCH_H
#define HSS_CX_PROV_WATCH_H

#include <pthread.h>
#include <stdbool.h>

#include "store/store.h"

struct prov_watch {
	struct store_config db;     /* borrowed strings; outlive the watch */
	unsigned int poll_ms;
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;       /* protects stop */
	pthread_cond_t cond;
	bool stop;
};

/* Start the thread (poll_ms > 0). */
int prov_watch_start(struct prov_watch *w, const struct store_config *db, unsigned int poll_ms);
/* Stop and join it; accepts a watch never started (zeroed). */
void prov_watch_stop(struct prov_watch *w);

#endif
