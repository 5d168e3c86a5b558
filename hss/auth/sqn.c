/*
 * SQN arithmetic and freshness (TS 33.102 Annex C; §6.3.5 for resync).
 */
#include "auth/sqn.h"

#include <errno.h>
#include <stddef.h>

static const struct sqn_policy default_policy = SQN_POLICY_DEFAULT;

uint64_t sqn_from_bytes(const uint8_t b[SQN_LEN])
{
	uint64_t v = 0;

	for (int i = 0; i < SQN_LEN; i++)
		v = (v << 8) | b[i];
	return v;
}

int sqn_to_bytes(uint64_t sqn, uint8_t b[SQN_LEN])
{
	if (sqn > SQN_MAX)
		return -EINVAL;
	for (int i = SQN_LEN - 1; i >= 0; i--) {
		b[i] = (uint8_t)(sqn & 0xff);
		sqn >>= 8;
	}
	return 0;
}

int sqn_next_ind(uint64_t current, unsigned ind_bits, uint64_t *next)
{
	uint64_t seq, ind, ind_mask;

	if (!next || current > SQN_MAX || ind_bits > SQN_IND_BITS_MAX)
		return -EINVAL;
	ind_mask = (UINT64_C(1) << ind_bits) - 1;
	seq = current >> ind_bits;
	ind = current & ind_mask;
	/* Largest SEQ that fits in 48 - ind_bits bits: no wrap (C.2.1). */
	if (seq >= (SQN_MAX >> ind_bits))
		return -EOVERFLOW;
	*next = ((seq + 1) << ind_bits) | ((ind + 1) & ind_mask);
	return 0;
}

int sqn_next(uint64_t current, uint64_t *next)
{
	return sqn_next_ind(current, SQN_IND_BITS_DEFAULT, next);
}

/* Would a USIM whose highest accepted value is sqn_ms accept sqn (C.2.1)? */
static bool ahead_within_delta(uint64_t sqn, uint64_t sqn_ms, const struct sqn_policy *p)
{
	uint64_t seq = sqn_seq(sqn, p->ind_bits), seq_ms = sqn_seq(sqn_ms, p->ind_bits);

	return seq > seq_ms && seq - seq_ms <= p->delta;
}

int sqn_resync(uint64_t sqn_he, uint64_t sqn_ms, const struct sqn_policy *p,
	       uint64_t *base, bool *reset)
{
	uint64_t next;
	bool keep;

	if (!p)
		p = &default_policy;
	if (!base || sqn_he > SQN_MAX || sqn_ms > SQN_MAX || p->ind_bits > SQN_IND_BITS_MAX)
		return -EINVAL;
	/* §6.3.5 step 2: is SQN_HE still in range for this USIM? */
	keep = sqn_next_ind(sqn_he, p->ind_bits, &next) == 0 &&
	       ahead_within_delta(next, sqn_ms, p);
	*base = keep ? sqn_he : sqn_ms;
	if (reset)
		*reset = !keep;
	return 0;
}

uint64_t sqn_usim_highest(const struct sqn_usim *u, const struct sqn_policy *p)
{
	size_t n;
	uint64_t best = 0;

	if (!p)
		p = &default_policy;
	n = (size_t)1 << (p->ind_bits > SQN_IND_BITS_MAX ? SQN_IND_BITS_MAX : p->ind_bits);
	for (size_t i = 0; i < n; i++)
		if (u->accepted[i] > best)
			best = u->accepted[i];
	return best;
}

int sqn_usim_check(struct sqn_usim *u, const struct sqn_policy *p, uint64_t sqn,
		   uint64_t *sqn_ms)
{
	uint64_t ms, seq, seq_ms, *entry;
	int rc = 0;

	if (!p)
		p = &default_policy;
	if (!u || sqn > SQN_MAX || p->ind_bits > SQN_IND_BITS_MAX)
		return -EINVAL;
	ms = sqn_usim_highest(u, p);
	seq = sqn_seq(sqn, p->ind_bits);
	seq_ms = sqn_seq(ms, p->ind_bits);
	entry = &u->accepted[sqn_ind(sqn, p->ind_bits)];

	if (seq > seq_ms && seq - seq_ms > p->delta)
		rc = -ERANGE;                              /* C.2.1 */
	else if (p->limit_l && seq < seq_ms && seq_ms - seq >= p->limit_l)
		rc = -ESTALE;                              /* C.2.2 limit L */
	else if (seq <= sqn_seq(*entry, p->ind_bits))
		rc = -ESTALE;              /* C.2.2 array; entries start at 0 */
	if (rc == 0)
		*entry = sqn;
	if (sqn_ms)
		*sqn_ms = ms;
	return rc;
}
