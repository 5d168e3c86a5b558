/* reg_dirty: see reg_dirty.h for the contract. */
#include "reg_dirty.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DIRTY_BUCKETS 256

int reg_dirty_init(struct reg_dirty *d, size_t max)
{
	memset(d, 0, sizeof *d);
	d->max = max ? max : 1;
	return reg_htab_init(&d->index, DIRTY_BUCKETS);
}

void reg_dirty_keys_free(char **keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

void reg_dirty_free(struct reg_dirty *d)
{
	reg_htab_free(&d->index);
	reg_dirty_keys_free(d->keys, d->n);
	memset(d, 0, sizeof *d);
}

static int overflow(struct reg_dirty *d)
{
	d->overflow = true;
	return -ENOSPC;
}

int reg_dirty_add(struct reg_dirty *d, char kind, const char *id)
{
	size_t len = strlen(id);
	char *key;

	if (d->overflow)
		return -ENOSPC; /* everything is rewritten anyway */
	key = malloc(len + 2);
	if (!key)
		return overflow(d);
	key[0] = kind;
	memcpy(key + 1, id, len + 1);
	if (reg_htab_find(&d->index, key)) {
		free(key);
		return 0;
	}
	if (d->n == d->max) {
		free(key);
		return overflow(d);
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		char **grown = realloc(d->keys, cap * sizeof *grown);

		if (!grown) {
			free(key);
			return overflow(d);
		}
		d->keys = grown;
		d->cap = cap;
	}
	if (reg_htab_insert(&d->index, key, (void *)1) < 0) {
		free(key);
		return overflow(d);
	}
	d->keys[d->n++] = key;
	return 0;
}

size_t reg_dirty_count(const struct reg_dirty *d)
{
	return d->n;
}

void reg_dirty_take(struct reg_dirty *d, char ***keys, size_t *n, bool *overflow_out)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		reg_htab_remove(&d->index, d->keys[i], NULL);
	*keys = d->keys;
	*n = d->n;
	*overflow_out = d->overflow;
	d->keys = NULL;
	d->n = d->cap = 0;
	d->overflow = false;
}
