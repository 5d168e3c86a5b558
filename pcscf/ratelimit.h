/*
 * ratelimit: per-source token buckets (security hygiene of the Gm edge,
 * TS 33.203 leaves flooding to the implementation; RFC 3261 21.5.4 / 20.33
 * give the answer: 503 with Retry-After).
 *
 * One bucket per source IP address: it holds at most `burst` tokens and
 * refills at `rate` tokens per second; a message costs one token. The
 * table is bounded (`capacity` sources): when full, the least recently
 * seen source is forgotten (LRU), so a spoofed-address flood costs memory
 * O(capacity), never more. All memory is taken at creation.
 *
 * Pure module: the caller passes the time (ms on a monotonic clock) and
 * decides what to do with a refusal. Thread rules: one thread.
 */
#ifndef PCSCF_RATELIMIT_H
#define PCSCF_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rl_table;

/* rate > 0 tokens/s, burst >= 1, capacity >= 1. 0, -EINVAL or -ENOMEM. */
int rl_create(size_t capacity, double rate, double burst, struct rl_table **out);
void rl_destroy(struct rl_table *t);
/* Take a token for a message from ip (textual address) at now_ms; true
 * when allowed, false when the source is over its rate (counted). */
bool rl_allow(struct rl_table *t, const char *ip, long long now_ms);
/* Messages refused since creation, and sources currently tracked. */
uint64_t rl_refused(const struct rl_table *t);
size_t rl_sources(const struct rl_table *t);

#endif
