/* auth_cache: per-IMPI auth data and durably reserved SQN ranges (see
 * auth_cache.h; TS 33.102 Annex C.1-C.3, 6.3.5). */
#include "cx/auth_cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/sqn.h"
#include "ims/log.h"

#define AC_STRIPES 64
#define AC_CAS_TRIES 5

struct ac_entry {
	struct ac_entry *hnext;        /* bucket chain */
	struct ac_entry *prev, *next;  /* LRU, head = most recent */
	uint32_t hash;
	char *impi;
	struct store_auth auth;        /* auth.sqn = stored (reserved) value */
	uint64_t loaded_ms;
	bool has_range;                /* (last, end] reserved, not handed out */
	uint64_t last, end;
	unsigned left;
	char *impu, *server;           /* last IMPU check */
	uint64_t impu_ms;
};

struct ac_stripe {
	pthread_mutex_t lock;
	struct ac_entry **buckets;
	size_t n_buckets;              /* power of two */
	struct ac_entry *head, *tail;
	size_t count, max;
};

struct auth_cache {
	struct auth_cache_config cfg;
	struct ac_stripe stripes[AC_STRIPES];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

int auth_cache_new(const struct auth_cache_config *cfg, struct auth_cache **out)
{
	struct auth_cache *c;
	size_t per, nb = 16;

	*out = NULL;
	if (cfg->reserve == 0 || cfg->max == 0 || cfg->ind_bits > SQN_IND_BITS_MAX)
		return -EINVAL;
	c = calloc(1, sizeof *c);
	if (!c)
		return -ENOMEM;
	c->cfg = *cfg;
	per = (cfg->max + AC_STRIPES - 1) / AC_STRIPES;
	while (nb < per)
		nb <<= 1;
	for (size_t i = 0; i < AC_STRIPES; i++) {
		struct ac_stripe *s = &c->stripes[i];
		pthread_mutex_init(&s->lock, NULL);
		s->max = per;
		s->n_buckets = nb;
		s->buckets = calloc(nb, sizeof *s->buckets);
		if (!s->buckets) {
			auth_cache_free(c);
			return -ENOMEM;
		}
	}
	*out = c;
	return 0;
}

static void entry_free(struct ac_entry *e)
{
	store_auth_wipe(&e->auth);
	free(e->impi);
	free(e->impu);
	free(e->server);
	free(e);
}

/* Unlink from bucket and LRU; the caller frees. */
static void entry_unlink(struct ac_stripe *s, struct ac_entry *e)
{
	struct ac_entry **pp = &s->buckets[e->hash & (s->n_buckets - 1)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	if (e->prev)
		e->prev->next = e->next;
	else
		s->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		s->tail = e->prev;
	s->count--;
}

void auth_cache_free(struct auth_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < AC_STRIPES; i++) {
		struct ac_stripe *s = &c->stripes[i];
		struct ac_entry *e = s->head, *n;

		for (; e; e = n) {
			n = e->next;
			entry_free(e);
		}
		free(s->buckets);
		pthread_mutex_destroy(&s->lock);
	}
	free(c);
}

static struct ac_stripe *stripe_of(struct auth_cache *c, uint32_t h)
{
	return &c->stripes[(h >> 16) % AC_STRIPES];
}

static void lru_front(struct ac_stripe *s, struct ac_entry *e)
{
	if (s->head == e)
		return;
	e->prev->next = e->next;   /* not head: has a prev */
	if (e->next)
		e->next->prev = e->prev;
	else
		s->tail = e->prev;
	e->prev = NULL;
	e->next = s->head;
	s->head->prev = e;
	s->head = e;
}

static struct ac_entry *find(struct ac_stripe *s, uint32_t h, const char *impi)
{
	struct ac_entry *e = s->buckets[h & (s->n_buckets - 1)];

	for (; e; e = e->hnext) {
		if (e->hash == h && strcmp(e->impi, impi) == 0) {
			lru_front(s, e);
			return e;
		}
	}
	return NULL;
}

static int insert(struct ac_stripe *s, uint32_t h, const char *impi, struct ac_entry **out)
{
	struct ac_entry *e = calloc(1, sizeof *e);
	size_t b = h & (s->n_buckets - 1);

	if (!e || !(e->impi = strdup(impi))) {
		free(e);
		return -ENOMEM;
	}
	if (s->count >= s->max && s->tail) {
		struct ac_entry *old = s->tail;  /* LRU eviction: its range is a gap */
		entry_unlink(s, old);
		entry_free(old);
	}
	e->hash = h;
	e->hnext = s->buckets[b];
	s->buckets[b] = e;
	e->next = s->head;
	if (s->head)
		s->head->prev = e;
	s->head = e;
	if (!s->tail)
		s->tail = e;
	s->count++;
	*out = e;
	return 0;
}

/* With a load, what else the same statement reads (auth_cache_get_checked). */
struct ac_also {
	const char *impu;
	struct store_impu_reg *reg;
	bool read;                     /* reg filled */
};

/* Re-read the auth data (with also->impu's registration when also is not
 * NULL); a stored SQN that is not our range end means someone else
 * reserved or set it: the range is no longer ours alone. */
static int entry_load(struct ac_entry *e, struct store *st, struct ac_also *also)
{
	struct store_auth a;
	int rc = also ? store_auth_get_checked(st, e->impi, also->impu, &a, also->reg)
		      : store_auth_get(st, e->impi, &a);

	if (rc)
		return rc;
	if (e->has_range && a.sqn != e->end)
		e->has_range = false;
	store_auth_wipe(&e->auth);
	e->auth = a;
	store_auth_wipe(&a);
	e->loaded_ms = now_ms();
	if (also)
		also->read = true;
	return 0;
}

/* The fresh entry of impi, loaded if missing or stale. Stripe locked. */
static int lookup(struct auth_cache *c, struct ac_stripe *s, uint32_t h, struct store *st,
		  const char *impi, struct ac_also *also, struct ac_entry **out)
{
	struct ac_entry *e = find(s, h, impi);
	int rc = 0;

	if (!e) {
		rc = insert(s, h, impi, &e);
		if (rc)
			return rc;
		rc = entry_load(e, st, also);
	} else if (now_ms() - e->loaded_ms >= c->cfg.ttl_ms) {
		rc = entry_load(e, st, also);
	}
	if (rc) {
		entry_unlink(s, e);
		entry_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

int auth_cache_get(struct auth_cache *c, struct store *st, const char *impi,
		   struct store_auth *out)
{
	uint32_t h = hash_str(impi);
	struct ac_stripe *s = stripe_of(c, h);
	struct ac_entry *e = NULL;
	int rc;

	pthread_mutex_lock(&s->lock);
	rc = lookup(c, s, h, st, impi, NULL, &e);
	if (rc == 0)
		*out = e->auth;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int auth_cache_get_checked(struct auth_cache *c, struct store *st, const char *impi,
			   const char *impu, struct store_auth *out,
			   struct store_impu_reg *reg, bool *reg_read)
{
	uint32_t h = hash_str(impi);
	struct ac_stripe *s = stripe_of(c, h);
	struct ac_also also = { .impu = impu, .reg = reg };
	struct ac_entry *e = NULL;
	int rc;

	pthread_mutex_lock(&s->lock);
	rc = lookup(c, s, h, st, impi, &also, &e);
	if (rc == 0)
		*out = e->auth;
	pthread_mutex_unlock(&s->lock);
	*reg_read = also.read;
	return rc;
}

/* The compare-and-set of reserve, with w's write in the same statement
 * while it is pending; when that does not work out, the CAS alone. */
static int advance(struct ac_entry *e, struct store *st, uint64_t cur, uint64_t end,
		   struct auth_cache_write *w)
{
	int rc;

	if (w && !w->done && !w->tried) {
		w->tried = true;
		rc = store_sqn_advance_reg(st, e->impi, cur, end, w->impu, w->state, w->server);
		if (rc == 0)
			w->done = true;
		if (rc != -EAGAIN)
			return rc;
	}
	return store_sqn_advance(st, e->impi, cur, end);
}

/* Reserve max(reserve, n) SQNs after the stored value (or after the resync
 * base) with one compare-and-set; on a lost race re-read and retry. */
static int reserve(struct auth_cache *c, struct ac_entry *e, struct store *st,
		   const uint64_t *sqn_ms, unsigned n, struct auth_cache_write *w)
{
	struct sqn_policy pol = { c->cfg.ind_bits, SQN_DELTA_DEFAULT, SQN_LIMIT_L_DEFAULT };
	unsigned want = n > c->cfg.reserve ? n : c->cfg.reserve, got;
	int rc = -EAGAIN;

	e->has_range = false;
	for (int tries = 0; rc == -EAGAIN && tries < AC_CAS_TRIES; tries++) {
		uint64_t cur = e->auth.sqn, base = cur, end;

		if (tries > 0 && (rc = entry_load(e, st, NULL)) != 0)
			return rc;
		cur = base = e->auth.sqn;
		if (sqn_ms && (rc = sqn_resync(cur, *sqn_ms, &pol, &base, NULL)) != 0)
			return rc;
		end = base;
		for (got = 0; got < want; got++) {
			if (sqn_next_ind(end, pol.ind_bits, &end) != 0)
				break;   /* SEQ exhausted: keep what fits */
		}
		if (got < n)
			return -EOVERFLOW;
		rc = advance(e, st, cur, end, w);
		if (rc == 0) {
			e->auth.sqn = end;
			e->has_range = true;
			e->last = base;
			e->end = end;
			e->left = got;
		}
	}
	return rc;
}

int auth_cache_take_sqn(struct auth_cache *c, struct store *st, const char *impi,
			const uint64_t *sqn_ms, unsigned n, uint64_t *first,
			struct auth_cache_write *w)
{
	uint32_t h = hash_str(impi);
	struct ac_stripe *s = stripe_of(c, h);
	struct ac_entry *e = NULL;
	int rc;

	if (n == 0)
		return -EINVAL;
	pthread_mutex_lock(&s->lock);
	rc = lookup(c, s, h, st, impi, NULL, &e);
	if (rc)
		goto out;
	if (sqn_ms || !e->has_range || e->left < n)
		rc = reserve(c, e, st, sqn_ms, n, w);
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		rc = sqn_next_ind(e->last, c->cfg.ind_bits, &e->last);
		if (i == 0)
			*first = e->last;
		e->left--;
	}
	if (rc && e)
		e->has_range = false;
out:
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

bool auth_cache_impu_fresh(struct auth_cache *c, const char *impi, const char *impu,
			   const char *server)
{
	uint32_t h = hash_str(impi);
	struct ac_stripe *s = stripe_of(c, h);
	struct ac_entry *e;
	bool fresh = false;

	pthread_mutex_lock(&s->lock);
	e = find(s, h, impi);
	if (e && same(e->impu, impu) && same(e->server, server))
		fresh = now_ms() - e->impu_ms < c->cfg.ttl_ms;
	pthread_mutex_unlock(&s->lock);
	return fresh;
}

void auth_cache_note_impu(struct auth_cache *c, const char *impi, const char *impu,
			  const char *server)
{
	uint32_t h = hash_str(impi);
	struct ac_stripe *s = stripe_of(c, h);
	struct ac_entry *e;

	pthread_mutex_lock(&s->lock);
	e = find(s, h, impi);
	if (e) {
		free(e->impu);
		free(e->server);
		e->impu = strdup(impu);
		e->server = strdup(server);
		e->impu_ms = now_ms();
	}
	pthread_mutex_unlock(&s->lock);
}

void auth_cache_forget_impu(struct auth_cache *c, const char *impi)
{
	uint32_t h;
	struct ac_stripe *s;
	struct ac_entry *e;

	if (!c || !impi || !impi[0])
		return;
	h = hash_str(impi);
	s = stripe_of(c, h);
	pthread_mutex_lock(&s->lock);
	e = find(s, h, impi);
	if (e) {
		free(e->impu);
		e->impu = NULL;
	}
	pthread_mutex_unlock(&s->lock);
}

void auth_cache_invalidate(struct auth_cache *c, const char *impi)
{
	uint32_t h;
	struct ac_stripe *s;
	struct ac_entry *e;

	if (!c || !impi)
		return;
	h = hash_str(impi);
	s = stripe_of(c, h);
	pthread_mutex_lock(&s->lock);
	e = find(s, h, impi);
	if (e) {
		entry_unlink(s, e);
		entry_free(e);
	}
	pthread_mutex_unlock(&s->lock);
}

size_t auth_cache_count(struct auth_cache *c)
{
	size_t n = 0;

	for (size_t i = 0; i < AC_STRIPES; i++) {
		pthread_mutex_lock(&c->stripes[i].lock);
		n += c->stripes[i].count;
		pthread_mutex_unlock(&c->stripes[i].lock);
	}
	return n;
}
