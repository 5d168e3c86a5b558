/*
 * auth_cache: per-IMPI authentication data and durably reserved SQN ranges,
 * shared by the Cx dispatch threads, so a MAR needs no database round trip
 * in the common case.
 *
 * SQN (TS 33.102 Annex C): the stored impi.sqn is the highest SQN *reserved*.
 * One compare-and-set UPDATE moves it `reserve` steps ahead (sqn_next_ind)
 * and the range is then served from memory. The update commits before any
 * SQN of the range leaves, so a kill -9 only leaves a gap (C.3 tolerates
 * gaps; the USIM checks SEQ - SEQ_MS <= delta, C.2.1) and never a reuse; two
 * HSS processes on one database get disjoint ranges (the CAS serialises).
 * A resync (6.3.5) drops the range and reserves from the new base.
 *
 * Auth data (K, OP/OPc, AMF, schemes...) is re-read after `ttl_ms`; when the
 * re-read stored SQN is not the end of our range (another HSS or
 * `ims-hssctl sqn set` moved it) the range is dropped. The cache holds at
 * most `max` IMPIs (least recently used evicted; an evicted range is a gap).
 * auth_cache_invalidate() forgets one IMPI (resync, SAR, admin queue).
 *
 * Threads: every function may be called from any thread; entries are in
 * striped locks, database calls happen under the stripe lock with the
 * caller's store. Functions return 0 or the -errno of store.h.
 * Secrets are wiped when an entry goes; copies handed out are the caller's
 * to wipe (store_auth_wipe).
 */
#ifndef HSS_CX_AUTH_CACHE_H
#define HSS_CX_AUTH_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct auth_cache;

struct auth_cache_config {
	size_t max;           /* most IMPIs held */
	unsigned ttl_ms;      /* auth data freshness; 0 = always re-read */
	unsigned reserve;     /* SQNs reserved per update, >= 1 */
	unsigned ind_bits;    /* IND bits (C.1.2) */
};

int auth_cache_new(const struct auth_cache_config *cfg, struct auth_cache **out);
void auth_cache_free(struct auth_cache *c);   /* accepts NULL */

/* Auth data of impi (fresh within ttl). -ENOENT unknown impi. out->sqn is
 * the stored (reserved) value, not the next SQN to use. */
int auth_cache_get(struct auth_cache *c, struct store *st, const char *impi,
		   struct store_auth *out);
/* auth_cache_get for a MAR: when the entry must be (re)loaded, one
 * statement reads impu's check and registration with it
 * (store_auth_get_checked) and *reg_read is true; then -ENOENT and
 * -EACCES may be impu's (nothing is cached on an error). Else *reg is
 * untouched and the caller checks impu itself. */
int auth_cache_get_checked(struct auth_cache *c, struct store *st, const char *impi,
			   const char *impu, struct store_auth *out,
			   struct store_impu_reg *reg, bool *reg_read);

/* What a reservation writes along when it must reach the database anyway
 * (store_sqn_advance_reg): the S-CSCF name a MAR stores (TS 29.228
 * 6.3.1.1). done tells whether it was written; tried is for the cache. */
struct auth_cache_write {
	const char *impu;
	enum store_reg_state state;
	const char *server;
	bool tried, done;
};

/* n SQNs for new vectors: *first, then sqn_next_ind() steps. With sqn_ms
 * (a verified AUTS, TS 33.102 6.3.5) the base is sqn_resync(stored,
 * *sqn_ms). Every SQN handed out is covered by a committed reservation.
 * w (may be NULL): written along with a reservation, if one is made and
 * the first attempt's compare-and-set holds; else the caller writes it. */
int auth_cache_take_sqn(struct auth_cache *c, struct store *st, const char *impi,
			const uint64_t *sqn_ms, unsigned n, uint64_t *first,
			struct auth_cache_write *w);

/* true if impi/impu/server were checked (association, registration state,
 * stored S-CSCF name) within ttl; auth_cache_note_impu() records a check. */
bool auth_cache_impu_fresh(struct auth_cache *c, const char *impi, const char *impu,
			   const char *server);
void auth_cache_note_impu(struct auth_cache *c, const char *impi, const char *impu,
			  const char *server);

/* Forget impi's IMPU check only (a SAR changed the registration). */
void auth_cache_forget_impu(struct auth_cache *c, const char *impi);
/* Forget impi (its auth data, range and IMPU check). */
void auth_cache_invalidate(struct auth_cache *c, const char *impi);

/* Entries held now (tests, figures). */
size_t auth_cache_count(struct auth_cache *c);

#endif
