/* ratelimit: see ratelimit.h. Entries live in one array; a hash of
 * chains (indices) finds a source, a doubly linked list (indices) keeps
 * them in least-recently-seen order for eviction. */
#include "ratelimit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RL_IP_MAX 48
#define RL_NONE UINT32_MAX

struct rl_entry {
	char ip[RL_IP_MAX];
	double tokens;
	long long last_ms;
	uint32_t hnext;       /* next in hash chain */
	uint32_t prev, next;  /* LRU list: head = most recent */
};

struct rl_table {
	struct rl_entry *e;
	uint32_t *bucket;
	size_t cap, used, nbuckets;
	uint32_t head, tail;
	double rate, burst;
	uint64_t refused;
};

static uint32_t hash_ip(const char *s)
{
	uint32_t h = 2166136261u;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int rl_create(size_t capacity, double rate, double burst, struct rl_table **out)
{
	struct rl_table *t;
	size_t nb = 16;

	if (capacity < 1 || capacity >= RL_NONE / 2 || !(rate > 0) || !(burst >= 1))
		return -EINVAL;
	while (nb < capacity * 2)
		nb <<= 1;
	t = calloc(1, sizeof *t);
	if (!t)
		return -ENOMEM;
	t->e = calloc(capacity, sizeof *t->e);
	t->bucket = malloc(nb * sizeof *t->bucket);
	if (!t->e || !t->bucket) {
		rl_destroy(t);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nb; i++)
		t->bucket[i] = RL_NONE;
	t->cap = capacity;
	t->nbuckets = nb;
	t->head = t->tail = RL_NONE;
	t->rate = rate;
	t->burst = burst;
	*out = t;
	return 0;
}

void rl_destroy(struct rl_table *t)
{
	if (!t)
		return;
	free(t->e);
	free(t->bucket);
	free(t);
}

static void lru_unlink(struct rl_table *t, uint32_t i)
{
	struct rl_entry *x = &t->e[i];

	if (x->prev != RL_NONE)
		t->e[x->prev].next = x->next;
	else
		t->head = x->next;
	if (x->next != RL_NONE)
		t->e[x->next].prev = x->prev;
	else
		t->tail = x->prev;
}

static void lru_push_front(struct rl_table *t, uint32_t i)
{
	struct rl_entry *x = &t->e[i];

	x->prev = RL_NONE;
	x->next = t->head;
	if (t->head != RL_NONE)
		t->e[t->head].prev = i;
	t->head = i;
	if (t->tail == RL_NONE)
		t->tail = i;
}

static void hash_unlink(struct rl_table *t, uint32_t i)
{
	uint32_t *p = &t->bucket[hash_ip(t->e[i].ip) & (t->nbuckets - 1)];

	while (*p != RL_NONE && *p != i)
		p = &t->e[*p].hnext;
	if (*p == i)
		*p = t->e[i].hnext;
}

/* The entry of ip, made (and possibly evicting the LRU one) when new. */
static uint32_t lookup(struct rl_table *t, const char *src, long long now_ms)
{
	char ip[RL_IP_MAX];
	uint32_t b, i;
	struct rl_entry *x;

	/* Hash what is stored: a longer string is cut the same way each time. */
	strncpy(ip, src, RL_IP_MAX - 1);
	ip[RL_IP_MAX - 1] = '\0';
	b = hash_ip(ip) & (t->nbuckets - 1);

	for (i = t->bucket[b]; i != RL_NONE; i = t->e[i].hnext)
		if (strcmp(t->e[i].ip, ip) == 0) {
			lru_unlink(t, i);
			lru_push_front(t, i);
			return i;
		}
	if (t->used < t->cap) {
		i = (uint32_t)t->used++;
	} else {
		i = t->tail;   /* forget the least recently seen source */
		lru_unlink(t, i);
		hash_unlink(t, i);
	}
	x = &t->e[i];
	memcpy(x->ip, ip, RL_IP_MAX);
	x->tokens = t->burst;
	x->last_ms = now_ms;
	x->hnext = t->bucket[b];
	t->bucket[b] = i;
	lru_push_front(t, i);
	return i;
}

bool rl_allow(struct rl_table *t, const char *ip, long long now_ms)
{
	struct rl_entry *x = &t->e[lookup(t, ip, now_ms)];

	if (now_ms > x->last_ms) {
		x->tokens += (double)(now_ms - x->last_ms) * t->rate / 1000.0;
		if (x->tokens > t->burst)
			x->tokens = t->burst;
		x->last_ms = now_ms;
	}
	if (x->tokens >= 1.0) {
		x->tokens -= 1.0;
		return true;
	}
	t->refused++;
	return false;
}

uint64_t rl_refused(const struct rl_table *t)
{
	return t->refused;
}

size_t rl_sources(const struct rl_table *t)
{
	return t->used;
}
