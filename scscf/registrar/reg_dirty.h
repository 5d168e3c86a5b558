/*
 * reg_dirty: the keys changed since the last write-back (reg_sync.c), one
 * entry per key however often it changed: this is what keeps the queue to
 * the database writer bounded (by the number of distinct keys, at most
 * `max`) without ever blocking the loop. A key is "<kind><id>": kind 'R'
 * for a registration set (id its first IMPU), 'U' for a reg-event
 * subscription (id its Call-ID).
 *
 * When a key cannot be kept (max reached or no memory) the set records an
 * overflow instead: the next write-back then rewrites everything, so no
 * change is ever lost, only coalesced more coarsely.
 * Ownership: the set copies keys; reg_dirty_take hands them to the caller.
 * Thread rules: one thread (the loop). Returns 0 or -errno.
 */
#ifndef SCSCF_REG_DIRTY_H
#define SCSCF_REG_DIRTY_H

#include <stdbool.h>
#include <stddef.h>

#include "reg_htab.h"

struct reg_dirty {
	struct reg_htab index;   /* key -> (void *)1 */
	char **keys;             /* insertion order */
	size_t n, cap, max;
	bool overflow;
};

int reg_dirty_init(struct reg_dirty *d, size_t max);
void reg_dirty_free(struct reg_dirty *d);
/* Note a change of kind/id. 0 (new or already noted) or -ENOSPC (the set
 * is full or out of memory: overflow set, everything is rewritten). */
int reg_dirty_add(struct reg_dirty *d, char kind, const char *id);
size_t reg_dirty_count(const struct reg_dirty *d);
/* Moves the keys out (*keys: malloc'd array of n malloc'd strings, the
 * caller frees both) and the overflow flag; the set is empty afterwards. */
void reg_dirty_take(struct reg_dirty *d, char ***keys, size_t *n, bool *overflow);
/* Frees what reg_dirty_take handed out. */
void reg_dirty_keys_free(char **keys, size_t n);

#endif
