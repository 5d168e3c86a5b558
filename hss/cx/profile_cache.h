/*
 * profile_cache: service profiles (the iFCs of the SAR User-Data, TS 29.228
 * 6.1.2) kept in memory for cx.profile_cache_ttl, so a SAR reads them from
 * the database at most once per TTL instead of with four queries each time.
 *
 * Freshness: ims-hssctl changes the database from another process; its
 * changes show within the TTL, or at once for the profiles of an IMPU
 * whose PPR (`ims-hssctl subscriber push-profile`) this process sends
 * (cx_ppr_run clears the cache first). TTL 0 disables the cache: every get
 * reads the database. Registration state is never cached here.
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
/* Forget every cached profile (a PPR: the operator changed a profile). */
void profile_cache_clear(void);

#endif
