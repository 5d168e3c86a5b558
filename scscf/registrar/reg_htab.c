/* reg_htab: see reg_htab.h for the contract. */
#include "reg_htab.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

int reg_htab_init(struct reg_htab *t, size_t initial_buckets)
{
	size_t n = 16;

	while (n < initial_buckets && n < ((size_t)1 << 30))
		n <<= 1;
	t->buckets = calloc(n, sizeof *t->buckets);
	if (!t->buckets)
		return -ENOMEM;
	t->n_buckets = n;
	t->count = 0;
	return 0;
}

void reg_htab_free(struct reg_htab *t)
{
	size_t i;

	if (!t->buckets)
		return;
	for (i = 0; i < t->n_buckets; i++) {
		struct reg_htab_entry *e = t->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(t->buckets);
	t->buckets = NULL;
	t->n_buckets = 0;
	t->count = 0;
}

/* Doubling keeps chains short; a failed allocation just keeps the old size. */
static void grow(struct reg_htab *t)
{
	size_t n = t->n_buckets * 2, i;
	struct reg_htab_entry **b = calloc(n, sizeof *b);

	if (!b)
		return;
	for (i = 0; i < t->n_buckets; i++) {
		struct reg_htab_entry *e = t->buckets[i], *next;

		for (; e; e = next) {
			size_t j = hash_key(e->key) & (n - 1);

			next = e->next;
			e->next = b[j];
			b[j] = e;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->n_buckets = n;
}

int reg_htab_insert(struct reg_htab *t, const char *key, void *value)
{
	size_t i;
	struct reg_htab_entry *e;

	if (reg_htab_find(t, key))
		return -EEXIST;
	e = malloc(sizeof *e);
	if (!e)
		return -ENOMEM;
	if (t->count >= t->n_buckets)
		grow(t);
	i = hash_key(key) & (t->n_buckets - 1);
	e->key = key;
	e->value = value;
	e->next = t->buckets[i];
	t->buckets[i] = e;
	t->count++;
	return 0;
}

void *reg_htab_find(const struct reg_htab *t, const char *key)
{
	const struct reg_htab_entry *e;

	if (!t->buckets || !key)
		return NULL;
	for (e = t->buckets[hash_key(key) & (t->n_buckets - 1)]; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e->value;
	return NULL;
}

int reg_htab_remove(struct reg_htab *t, const char *key, const void *value)
{
	struct reg_htab_entry **pp, *e;

	if (!t->buckets || !key)
		return -ENOENT;
	for (pp = &t->buckets[hash_key(key) & (t->n_buckets - 1)]; (e = *pp); pp = &e->next) {
		if (strcmp(e->key, key) == 0 && (!value || e->value == value)) {
			*pp = e->next;
			free(e);
			t->count--;
			return 0;
		}
	}
	return -ENOENT;
}
