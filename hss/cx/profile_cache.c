/* profile_cache: see profile_cache.h. A hash table of reference-counted
 * entries under one mutex; the database is read outside the lock. */
#include "cx/profile_cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#define PC_BUCKETS 4096

struct pc_entry {
	struct pc_entry *next;
	struct store_service_profile *sp;
	uint64_t id;
	int64_t expires_ms;
	unsigned int refs;
	bool linked;        /* in the table; else freed by its last release */
};

static struct {
	pthread_mutex_t mu;
	unsigned int ttl_ms;
	size_t max, count;
	uint64_t gen;                /* bumped by every clear */
	struct pc_entry **buckets;   /* NULL: disabled */
} g_pc = { .mu = PTHREAD_MUTEX_INITIALIZER };

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void entry_free(struct pc_entry *e)
{
	store_service_profile_free(e->sp);
	free(e);
}

/* Under g_pc.mu: take e out of its bucket (pp points at the link to it). */
static void unlink_at(struct pc_entry **pp)
{
	struct pc_entry *e = *pp;

	*pp = e->next;
	e->linked = false;
	g_pc.count--;
	if (e->refs == 0)
		entry_free(e);
}

static void clear_locked(void)
{
	for (size_t b = 0; g_pc.buckets && b < PC_BUCKETS; b++) {
		while (g_pc.buckets[b])
			unlink_at(&g_pc.buckets[b]);
	}
}

int profile_cache_start(unsigned int ttl_ms, size_t max)
{
	struct pc_entry **b = NULL;

	if (ttl_ms && !(b = calloc(PC_BUCKETS, sizeof *b)))
		return -ENOMEM;
	pthread_mutex_lock(&g_pc.mu);
	g_pc.ttl_ms = ttl_ms;
	g_pc.max = max ? max : 1;
	g_pc.count = 0;
	g_pc.buckets = b;
	pthread_mutex_unlock(&g_pc.mu);
	return 0;
}

void profile_cache_stop(void)
{
	pthread_mutex_lock(&g_pc.mu);
	clear_locked();
	free(g_pc.buckets);
	g_pc.buckets = NULL;
	pthread_mutex_unlock(&g_pc.mu);
}

void profile_cache_clear(void)
{
	pthread_mutex_lock(&g_pc.mu);
	g_pc.gen++;
	clear_locked();
	pthread_mutex_unlock(&g_pc.mu);
}

/* Under g_pc.mu: the link to id's entry (*result NULL if none). */
static struct pc_entry **find_locked(uint64_t id)
{
	struct pc_entry **pp = &g_pc.buckets[id % PC_BUCKETS];

	while (*pp && (*pp)->id != id)
		pp = &(*pp)->next;
	return pp;
}

int profile_cache_get(struct store *st, uint64_t id, struct profile_ref *out)
{
	struct pc_entry *e, **pp;
	uint64_t gen;
	int ret;

	*out = (struct profile_ref){ 0 };
	pthread_mutex_lock(&g_pc.mu);
	gen = g_pc.gen;
	if (g_pc.buckets) {
		pp = find_locked(id);
		if (*pp && (*pp)->expires_ms > now_ms()) {
			e = *pp;
			e->refs++;
			pthread_mutex_unlock(&g_pc.mu);
			*out = (struct profile_ref){ e->sp, e };
			return 0;
		}
		if (*pp)
			unlink_at(pp);
	}
	pthread_mutex_unlock(&g_pc.mu);

	ret = store_service_profile_get(st, id, &out->sp);
	if (ret != 0)
		return ret;
	e = calloc(1, sizeof *e);
	pthread_mutex_lock(&g_pc.mu);
	/* A clear since the read began (a change seen meanwhile): what was
	 * read may predate the change, so it is used once and not kept. */
	if (!e || !g_pc.buckets || gen != g_pc.gen) {
		pthread_mutex_unlock(&g_pc.mu);
		free(e);
		return 0;   /* uncached copy: released by freeing it */
	}
	if (g_pc.count >= g_pc.max)
		clear_locked();
	pp = find_locked(id);       /* another thread may have loaded it too */
	if (*pp)
		unlink_at(pp);
	*e = (struct pc_entry){ .next = NULL, .sp = out->sp, .id = id,
				.expires_ms = now_ms() + g_pc.ttl_ms, .refs = 1, .linked = true };
	*pp = e;
	g_pc.count++;
	out->entry = e;
	pthread_mutex_unlock(&g_pc.mu);
	return 0;
}

void profile_cache_release(struct profile_ref *ref)
{
	struct pc_entry *e = ref->entry;

	if (!e) {
		store_service_profile_free(ref->sp);
	} else {
		pthread_mutex_lock(&g_pc.mu);
		if (--e->refs == 0 && !e->linked)
			entry_free(e);
		pthread_mutex_unlock(&g_pc.mu);
	}
	*ref = (struct profile_ref){ 0 };
}
