/*
 * sess_select: the pure half of sess_fork (see sess_fork.h): which
 * contacts become branches, in which classes, and which final response
 * wins (RFC 3261 16.6 / 16.7 step 6, RFC 3841, RFC 5626 5.3).
 */
#include "sess_fork.h"

#include <string.h>

#include "scscf.h"

static bool same_instance(const struct registrar_contact *c, const size_t *idx, size_t n,
			  const char *instance)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[idx[i]].instance && !strcmp(c[idx[i]].instance, instance))
			return true;
	return false;
}

size_t sess_fork_plan(const struct registrar_contact *c, size_t n, int mode, size_t max,
		      size_t *idx, unsigned *cls)
{
	size_t i, k = 0;
	unsigned cur = 0;

	if (max > SESS_FORK_MAX_BRANCHES)
		max = SESS_FORK_MAX_BRANCHES;
	if (mode == SCSCF_FORK_HIGHEST_Q && max > 1)
		max = 1;
	for (i = 0; i < n && k < max; i++) {
		/* RFC 5626 5.3: one branch per instance (the contacts come
		 * best first, so the kept one is the best of its device). */
		if (c[i].instance && same_instance(c, idx, k, c[i].instance))
			continue;
		if (k > 0 && (mode != SCSCF_FORK_PARALLEL || c[i].q != c[idx[k - 1]].q))
			cur++;
		idx[k] = i;
		cls[k] = cur;
		k++;
	}
	return k;
}

int sess_fork_rank(int status)
{
	int cls = status / 100, within;

	if (status < 300 || status > 699)
		return 1000;                 /* not a usable final response */
	if (cls == 6)
		return 0;                    /* 16.7 step 6: 6xx MUST be chosen */
	switch (status) {
	case 401: case 407: case 415: case 420: case 484:
		within = 0;                  /* the caller can resubmit */
		break;
	case 480:
		within = 2;
		break;
	case 408:
		within = 3;                  /* timed out: the least informative */
		break;
	case 503:
		within = 2;                  /* becomes 500 upstream */
		break;
	default:
		within = 1;
	}
	return cls * 10 + within;
}

bool sess_fork_better(int candidate, int current)
{
	if (current == 0)
		return sess_fork_rank(candidate) < 1000;
	return sess_fork_rank(candidate) < sess_fork_rank(current);
}

int sess_fork_upstream_status(int status)
{
	return status == 503 ? 500 : status;
}
