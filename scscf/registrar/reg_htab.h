/*
 * reg_htab: string-keyed hash table (separate chaining, FNV-1a, grows by
 * doubling when the load passes 1). Used by the registrar for IMPU -> record
 * and nonce -> challenge lookups in O(1).
 *
 * Ownership: the table stores the key pointer and the value as given; both
 * belong to the caller, and the key must stay valid (and unchanged) while the
 * entry is in the table. Keys compare case-sensitively.
 * Thread rules: none (one thread at a time).
 * Returns 0 or -errno (-EEXIST, -ENOENT, -ENOMEM).
 */
#ifndef SCSCF_REG_HTAB_H
#define SCSCF_REG_HTAB_H

#include <stddef.h>

struct reg_htab_entry {
	const char *key;
	void *value;
	struct reg_htab_entry *next;
};

struct reg_htab {
	struct reg_htab_entry **buckets;
	size_t n_buckets; /* power of two */
	size_t count;
};

int reg_htab_init(struct reg_htab *t, size_t initial_buckets);
/* Frees the table's own memory, never keys or values. */
void reg_htab_free(struct reg_htab *t);
/* -EEXIST when the key is present already. */
int reg_htab_insert(struct reg_htab *t, const char *key, void *value);
void *reg_htab_find(const struct reg_htab *t, const char *key);
/* Removes the entry for key when its value is `value` (NULL: any value).
 * Returns 0 or -ENOENT. */
int reg_htab_remove(struct reg_htab *t, const char *key, const void *value);

#endif
