/*
 * profile_cache: service profiles (the iFCs of the SAR User-Data, TS 29.228
 * 6.1.2) kept in memory for cx.profile_cache_ttl, so a SAR reads them from
 * the database at most once per TTL instead of with four queries each time.
 *
 * Freshness: ims-hssctl changes the database from another process, on any
 * host. prov_watch.h clears the cache when the provisioning change log
 * (sh_change) moves, i.e. within cx.profile_cache_poll of an iFC change
 * being committed; a PPR this process sends clears it at once (cx_ppr_run).
 * The TTL bounds what the change log does not show (see prov_watch.h): no
 * profile is used longer than cx.profile_cache_ttl after it was read. A
 * read that overlaps a clear is handed out but not kept, so a clear is
 * never undone by a read of the data from before the change. TTL 0
 * disables the cache: every get reads the database. Registration state is
 * never cached here.
 *
 * One process-wide cache: profile_cache_start() before the Cx handlers run,
 * profile_cache_stop() after the last has returned. get/release/clear are
 * thread-safe. A profile handed out stays valid until released, also when
 * it is evicted or cleared meanwhile.
 */
#ifndef HSS_PROFILE_CACHE_H
#define HSS_PROFILE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct profile_ref {
	struct store_service_profile *sp;   /* read only */
	void *entry;                        /* NULL when not cached */
};

/* 0 or -ENOMEM. ttl_ms 0 = disabled; max = most profiles kept. */
int profile_cache_start(unsigned int ttl_ms, size_t max);
void profile_cache_stop(void);
/* Profile id, cached or read through st. 0, -ENOENT or -errno. */
int profile_cache_get(struct store *st, uint64_t id, struct profile_ref *out);
void profile_cache_release(struct profile_ref *ref);
/* Forget every cached profile (a PPR, or prov_watch saw a change). */
void profile_cache_clear(void);

#endif
