/* keys: see keys.h for the contract. */
#include "keys.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct key_entry {
	char *impi;
	char ck[33], ik[33];    /* 128-bit keys as hex */
	long long at;
};

struct key_store {
	struct key_entry *e;
	size_t max, n;
	long long ttl;
};

int key_store_create(size_t max, long long ttl, struct key_store **out)
{
	struct key_store *s;

	if (max == 0 || ttl <= 0 || !out)
		return -EINVAL;
	s = calloc(1, sizeof *s);
	if (!s || !(s->e = calloc(max, sizeof *s->e))) {
		free(s);
		return -ENOMEM;
	}
	s->max = max;
	s->ttl = ttl;
	*out = s;
	return 0;
}

static void entry_clear(struct key_entry *e)
{
	free(e->impi);
	/* Secrets: do not leave them in freed memory. */
	explicit_bzero(e, sizeof *e);
}

void key_store_destroy(struct key_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		entry_clear(&s->e[i]);
	free(s->e);
	free(s);
}

static struct key_entry *find(struct key_store *s, const char *impi)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcasecmp(s->e[i].impi, impi) == 0)
			return &s->e[i];
	return NULL;
}

static void drop(struct key_store *s, struct key_entry *e)
{
	entry_clear(e);
	*e = s->e[--s->n];
	memset(&s->e[s->n], 0, sizeof s->e[s->n]);
}

int key_store_put(struct key_store *s, const char *impi, const char *ck, const char *ik,
		  long long now)
{
	struct key_entry *e;
	char *dup;

	if (!s || !impi || !*impi || !ck || !ik || strlen(ck) >= sizeof e->ck ||
	    strlen(ik) >= sizeof e->ik)
		return -EINVAL;
	dup = strdup(impi);
	if (!dup)
		return -ENOMEM;
	e = find(s, impi);
	if (!e && s->n == s->max) {     /* full: replace the oldest */
		e = &s->e[0];
		for (size_t i = 1; i < s->n; i++)
			if (s->e[i].at < e->at)
				e = &s->e[i];
	}
	if (e)
		entry_clear(e);
	else
		e = &s->e[s->n++];
	e->impi = dup;
	strcpy(e->ck, ck);
	strcpy(e->ik, ik);
	e->at = now;
	return 0;
}

int key_store_get(struct key_store *s, const char *impi, const char **ck, const char **ik,
		  long long now)
{
	struct key_entry *e = s && impi ? find(s, impi) : NULL;

	if (!e)
		return -ENOENT;
	if (now - e->at >= s->ttl) {
		drop(s, e);
		return -ENOENT;
	}
	*ck = e->ck;
	*ik = e->ik;
	return 0;
}

size_t key_store_count(const struct key_store *s)
{
	return s->n;
}
