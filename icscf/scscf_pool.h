/*
 * scscf_pool: the S-CSCFs this I-CSCF may select, their capabilities and
 * health, and the selection rule (TS 29.228 6.7 / TS 24.229 5.3.1.2).
 *
 * Selection (scscf_select): among the pool entries not excluded,
 *  1. when the HSS named S-CSCFs inside Server-Capabilities, only those are
 *     candidates (a named server missing from the pool is reported through
 *     *named_out so that the caller may still route to it);
 *  2. else every entry with all mandatory capabilities is a candidate;
 *  3. healthy candidates win over unhealthy ones (an all-unhealthy pool is
 *     still tried: health may be stale);
 *  4. the most optional capabilities matched wins;
 *  5. among equals, weighted random by weight (rnd picks); weight 0 entries
 *     are standby: chosen only when every equal has weight 0.
 * The pool owns copies of everything it needs (no pointer into a config).
 * Thread rules: loop thread only; pure functions besides the pool's memory.
 */
#ifndef ICSCF_SCSCF_POOL_H
#define ICSCF_SCSCF_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sofia-sip/nta.h>

#include "icscf.h"

#define SCSCF_CAPS_MAX 32
#define SCSCF_NAMES_MAX 8
#define SCSCF_URI_MAX 256

struct scscf_entry {
	char name[SCSCF_URI_MAX];      /* Server-Name */
	char next_hop[SCSCF_URI_MAX];  /* SIP URI to send to */
	uint32_t mand[SCSCF_CAPS_MAX], opt[SCSCF_CAPS_MAX];
	size_t n_mand, n_opt;
	unsigned weight;
	bool healthy;
	nta_outgoing_t *probe;         /* OPTIONS in flight, or NULL */
};

struct scscf_pool {
	struct scscf_entry *v;
	size_t n;
};

/* Server-Capabilities as read from a UAA/LIA (TS 29.229 6.3.4). */
struct scscf_caps {
	uint32_t mand[SCSCF_CAPS_MAX], opt[SCSCF_CAPS_MAX];
	size_t n_mand, n_opt;
	char names[SCSCF_NAMES_MAX][SCSCF_URI_MAX];
	size_t n_names;
};

/* Build a pool from the config (every entry healthy). 0, -EINVAL (bad
 * capability or URI too long), -ENOMEM. */
int scscf_pool_build(struct scscf_pool *pool, const struct icscf_pool_config *cfg);
/* Carry the health of same-named entries from old into pool. */
void scscf_pool_inherit(struct scscf_pool *pool, const struct scscf_pool *old);
/* Free the entries (probes must have been cancelled by the caller). */
void scscf_pool_free(struct scscf_pool *pool);

/* The entry whose name (or next hop) equals uri, compared as SIP URIs
 * loosely (scheme, host, port; case-insensitive host), or NULL. */
struct scscf_entry *scscf_pool_find(const struct scscf_pool *pool, const char *uri);
/* Same comparison as scscf_pool_find, for two URI strings. */
bool scscf_uri_equal(const char *a, const char *b);

/* Pick per the rules above. exclude: names already tried. Returns the
 * entry index, or -ENOENT when nothing fits; then *named_out (if not NULL)
 * is set to the first HSS-named server not excluded, or NULL. */
int scscf_select(const struct scscf_pool *pool, const struct scscf_caps *caps,
		 const char *const *exclude, size_t n_exclude, uint32_t rnd,
		 const char **named_out);

/* Mark the entry named uri healthy or not (no-op if not in the pool). */
void scscf_pool_set_health(struct scscf_pool *pool, const char *uri, bool healthy);

#endif
