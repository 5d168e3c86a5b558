/*
 * sess_select: the pure half of sess_fork (see sess_fork.h): which
 * contacts become branches, in which classes, the backup flows of an
 * instance, what Request-Disposition asks, and which final response wins
 * (RFC 3261 16.6 / 16.7 step 6, RFC 3841, RFC 5626 5.3).
 */
#include "sess_fork.h"

#include <string.h>
#include <strings.h>

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

size_t sess_fork_backups(const struct registrar_contact *c, size_t n, const size_t *idx,
			 size_t k, size_t max, size_t *bidx, size_t *of)
{
	size_t i, j, m = 0;

	for (i = 0; i < n && m < max; i++) {
		bool target = false;
		size_t owner = k;

		if (!c[i].instance)
			continue;
		for (j = 0; j < k; j++) {
			if (idx[j] == i)
				target = true;
			else if (owner == k && c[idx[j]].instance &&
				 !strcmp(c[idx[j]].instance, c[i].instance))
				owner = j;
		}
		if (target || owner == k)
			continue;
		bidx[m] = i;
		of[m] = owner;
		m++;
	}
	return m;
}

bool sess_fork_flow_failed(int status)
{
	return status == 430 || status == 408;
}

void sess_disposition_init(struct sess_disposition *d)
{
	*d = (struct sess_disposition){ .recurse = -1, .order = -1 };
}

void sess_disposition_add(struct sess_disposition *d, const char *v)
{
	static const struct {
		const char *name;
		int what, value;
	} dir[] = {
		{ "proxy", 0, 0 }, { "redirect", 0, 1 },
		{ "cancel", 1, 0 }, { "no-cancel", 1, 1 },
		{ "fork", 2, 0 }, { "no-fork", 2, 1 },
		{ "recurse", 3, 1 }, { "no-recurse", 3, 0 },
		{ "parallel", 4, SCSCF_FORK_PARALLEL }, { "sequential", 4, SCSCF_FORK_SEQUENTIAL },
		{ "queue", 5, 1 }, { "no-queue", 5, 0 },
	};
	size_t i;

	for (i = 0; v && i < sizeof dir / sizeof dir[0]; i++) {
		if (strcasecmp(v, dir[i].name))
			continue;
		switch (dir[i].what) {
		case 0: d->redirect = dir[i].value; break;
		case 1: d->no_cancel = dir[i].value; break;
		case 2: d->no_fork = dir[i].value; break;
		case 3: d->recurse = dir[i].value; break;
		case 4: d->order = dir[i].value; break;
		default: d->queue = dir[i].value; break;
		}
		return;
	}
	d->unknown++; /* RFC 3841 9.1 leaves extensions open: ignored */
}

void sess_disposition_read(const sip_t *sip, struct sess_disposition *d)
{
	const sip_request_disposition_t *rd;
	size_t i;

	sess_disposition_init(d);
	for (rd = sip ? sip->sip_request_disposition : NULL; rd;
	     rd = (const sip_request_disposition_t *)rd->rd_next)
		for (i = 0; rd->rd_items && rd->rd_items[i]; i++)
			sess_disposition_add(d, rd->rd_items[i]);
}

int sess_disposition_mode(const struct sess_disposition *d, int cfg_mode)
{
	if (d->no_fork)
		return SCSCF_FORK_HIGHEST_Q;
	/* The caller chooses the order of a fork the operator allows; it
	 * cannot make an S-CSCF configured not to fork fork. */
	if (d->order >= 0 && cfg_mode != SCSCF_FORK_HIGHEST_Q)
		return d->order;
	return cfg_mode;
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
	case 430:                            /* goes upstream as 480 */
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
	if (status == 503)
		return 500;
	return status == 430 ? 480 : status; /* RFC 5626 5.3: a flow, not the user */
}
