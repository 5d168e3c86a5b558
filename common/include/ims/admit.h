/*
 * admit: overload control of new work at a CSCF (RFC 6357 3, RFC 3261
 * 21.5.4: refuse early with 503 and Retry-After instead of queueing until
 * the peers' timers fire and their retransmissions add to the load).
 *
 * Two limits on the work in flight (requests forwarded and not yet
 * finally answered, counted by the caller with admit_enter/admit_leave):
 *  - a bound: at `max` in flight everything is refused; new work (not
 *    `priority`) already from admit_percent % of it, leaving room for work
 *    whose earlier steps are already spent (a REGISTER with credentials);
 *  - adaptive: the caller feeds the time each request took downstream
 *    (admit_sample, EWMA weight 1/8). While the smoothed latency exceeds
 *    `latency_ms` new work is refused: all of it when ramp_ms is 0, else a
 *    fraction growing linearly from 0 at latency_ms to 1 at latency_ms +
 *    ramp_ms (spread evenly, no randomness). Only while at least
 *    min_window requests are in flight, so that the estimate keeps being
 *    refreshed and an idle node never refuses.
 * The estimate only moves with samples, and while everything is refused
 * no new sample comes; requests lost downstream stay "in flight" until
 * their transaction times out (32 s), keeping the window full. So the owner
 * calls admit_tick() once a second: a second without any sample halves
 * the estimate, and new work is let in again within a few seconds to
 * measure afresh (seen at 6000 MESSAGE/s through the P-CSCF: 22 requests
 * lost at the core froze the estimate at 676 ms and every request was
 * refused for 30 s).
 * Refusals are counted for a once-a-second summary (admit_take_refused)
 * instead of a log line per request.
 *
 * Pure module: no clock, no I/O; one thread (the SIP loop).
 */
#ifndef IMS_ADMIT_H
#define IMS_ADMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Retry-After (seconds) of the 503 sent when refusing for overload, the
 * value the CSCFs use for Diameter overload too. */
#define ADMIT_RETRY_AFTER "2"

struct admit {
	/* settings */
	size_t max;               /* in flight; at it everything is refused */
	unsigned admit_percent;   /* new work refused from this share of max */
	long long latency_ms;     /* smoothed latency above which new work is shed */
	long long ramp_ms;        /* 0: shed all above latency_ms; else the ramp */
	size_t min_window;        /* no adaptive refusal below this many in flight */
	/* state */
	size_t pending;           /* in flight (admit_enter - admit_leave) */
	long long latency;        /* ms, smoothed */
	double debt;              /* fractional refusals owed (ramp) */
	uint64_t samples;         /* admit_sample calls, for admit_tick */
	uint64_t samples_at_tick;
	uint64_t refused, reported;
};

/* max >= 1; admit_percent 1..100; latency_ms >= 1; ramp_ms >= 0. */
void admit_init(struct admit *a, size_t max, unsigned admit_percent, long long latency_ms,
		long long ramp_ms, size_t min_window);

/* May a request start now? priority = its earlier steps are spent (only the
 * bound applies). false is counted as a refusal; nothing else changes. */
bool admit_check(struct admit *a, bool priority);
/* The share of new work the adaptive element refuses now (0..1). */
double admit_shed_fraction(const struct admit *a);

static inline void admit_enter(struct admit *a)
{
	a->pending++;
}

static inline void admit_leave(struct admit *a)
{
	if (a->pending)
		a->pending--;
}

/* The time one request took downstream (ms, >= 0). */
void admit_sample(struct admit *a, long long ms);

/* Once a second: without a sample since the previous tick the estimate
 * is stale; halve it (see above). */
void admit_tick(struct admit *a);

/* Refusals since the previous call (0 when none: nothing to log). */
uint64_t admit_take_refused(struct admit *a);

#endif
