/* admit: see ims/admit.h. */
#include "ims/admit.h"

void admit_init(struct admit *a, size_t max, unsigned admit_percent, long long latency_ms,
		long long ramp_ms, size_t min_window)
{
	*a = (struct admit){
		.max = max ? max : 1,
		.admit_percent = admit_percent >= 1 && admit_percent <= 100 ? admit_percent : 100,
		.latency_ms = latency_ms >= 1 ? latency_ms : 1,
		.ramp_ms = ramp_ms > 0 ? ramp_ms : 0,
		.min_window = min_window,
	};
}

double admit_shed_fraction(const struct admit *a)
{
	double f;

	if (a->pending < a->min_window || a->latency <= a->latency_ms)
		return 0;
	if (a->ramp_ms == 0)
		return 1;
	f = (double)(a->latency - a->latency_ms) / (double)a->ramp_ms;
	return f > 1 ? 1 : f;
}

bool admit_check(struct admit *a, bool priority)
{
	double f;

	if (a->pending >= a->max)
		goto refuse;
	if (priority)
		return true;
	if (a->pending * 100 >= a->max * a->admit_percent)
		goto refuse;
	f = admit_shed_fraction(a);
	if (f <= 0) {
		a->debt = 0;
		return true;
	}
	/* Refuse every request that brings the owed share to a whole one:
	 * at f = 0.25 one in four, evenly. */
	a->debt += f;
	if (a->debt < 1)
		return true;
	a->debt -= 1;
refuse:
	a->refused++;
	return false;
}

void admit_sample(struct admit *a, long long ms)
{
	if (ms < 0)
		ms = 0;
	/* EWMA, weight 1/8: follows within a few dozen requests. */
	a->latency += (ms - a->latency) / 8;
	a->samples++;
}

void admit_tick(struct admit *a)
{
	if (a->samples == a->samples_at_tick)
		a->latency /= 2;
	a->samples_at_tick = a->samples;
}

uint64_t admit_take_refused(struct admit *a)
{
	uint64_t n = a->refused - a->reported;

	a->reported = a->refused;
	return n;
}
