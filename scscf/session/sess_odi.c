/* sess_odi: see sess_odi.h for the contract. */
#include "sess_odi.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sess_odi_init(struct sess_odi_table *t, size_t cap)
{
	memset(t, 0, sizeof *t);
	if (cap == 0 || cap > UINT32_MAX)
		return -EINVAL;
	t->v = calloc(cap, sizeof *t->v);
	if (!t->v)
		return -ENOMEM;
	t->cap = cap;
	return 0;
}

void sess_odi_release(struct sess_odi_table *t, struct sess_odi *e)
{
	if (!e || !e->used)
		return;
	if (e->req)
		msg_destroy(e->req);
	memset(e, 0, sizeof *e);
	t->n_used--;
}

void sess_odi_free(struct sess_odi_table *t)
{
	size_t i;

	for (i = 0; t->v && i < t->cap; i++)
		sess_odi_release(t, &t->v[i]);
	free(t->v);
	memset(t, 0, sizeof *t);
}

static bool expired(const struct sess_odi *e, int64_t now)
{
	return e->done && e->expires <= now;
}

void sess_odi_finish(struct sess_odi *e, int64_t now, int64_t linger)
{
	if (e->req)
		msg_destroy(e->req);
	e->req = NULL;
	e->done = true;
	e->expires = now + linger;
}

int sess_odi_alloc(struct sess_odi_table *t, uint64_t nonce, int64_t now,
		   struct sess_odi **out)
{
	size_t i, slot = 0;

	for (i = 0; i < t->cap; i++) {
		slot = (t->cursor + i) % t->cap;
		if (!t->v[slot].used)
			break;
		if (expired(&t->v[slot], now)) {
			sess_odi_release(t, &t->v[slot]);
			break;
		}
	}
	if (i == t->cap)
		return -EBUSY;
	t->cursor = (slot + 1) % t->cap;
	memset(&t->v[slot], 0, sizeof t->v[slot]);
	t->v[slot].used = true;
	t->v[slot].slot = (uint32_t)slot;
	t->v[slot].nonce = nonce;
	t->n_used++;
	*out = &t->v[slot];
	return 0;
}

int sess_odi_token(const struct sess_odi *e, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%08" PRIx32 "%016" PRIx64, e->slot, e->nonce);

	return n < 0 || (size_t)n >= cap ? -ENOSPC : 0;
}

static int hex_value(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

struct sess_odi *sess_odi_lookup(struct sess_odi_table *t, const char *token, int64_t now)
{
	uint64_t slot, nonce;
	struct sess_odi *e;

	if (!token || strlen(token) != SESS_ODI_TOKEN_LEN || hex_value(token, 8, &slot) < 0 ||
	    hex_value(token + 8, 16, &nonce) < 0 || slot >= t->cap)
		return NULL;
	e = &t->v[slot];
	return e->used && e->nonce == nonce && !expired(e, now) ? e : NULL;
}
