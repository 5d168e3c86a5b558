/*
 * sqn: 48-bit sequence numbers for AKA (TS 33.102 §6.3.2, Annex C).
 *
 * SQN = SEQ || IND: IND is the low ind_bits (5 by default, a = 32 array
 * entries in the USIM), SEQ the remaining high bits (Annex C.1.1, C.1.2).
 * The HE side: sqn_next() for every new vector, sqn_resync() after a
 * verified AUTS (C.3.2, §6.3.5). The USIM side (C.2.1, C.2.2) is modelled
 * by sqn_usim_check() so tests and UE simulators can check that what the
 * HE sends would be accepted.
 * Values are uint64_t holding 48 bits; anything above SQN_MAX is -EINVAL.
 * Functions return 0 or -errno. No shared state; thread-safe.
 */
#ifndef HSS_AUTH_SQN_H
#define HSS_AUTH_SQN_H

#include <stdbool.h>
#include <stdint.h>

#define SQN_LEN 6
#define SQN_MAX ((UINT64_C(1) << 48) - 1)
#define SQN_IND_BITS_DEFAULT 5
#define SQN_IND_BITS_MAX 8
/* Values recommended in TS 33.102 Annex C: delta = 2^28, L = 2^5. */
#define SQN_DELTA_DEFAULT (UINT64_C(1) << 28)
#define SQN_LIMIT_L_DEFAULT (UINT64_C(1) << 5)

struct sqn_policy {
	unsigned ind_bits;   /* 0..SQN_IND_BITS_MAX */
	uint64_t delta;      /* USIM accepts SEQ - SEQ_MS <= delta (C.2.1) */
	uint64_t limit_l;    /* USIM accepts SEQ_MS - SEQ < L; 0 = no limit (C.2.2) */
};

#define SQN_POLICY_DEFAULT \
	{ SQN_IND_BITS_DEFAULT, SQN_DELTA_DEFAULT, SQN_LIMIT_L_DEFAULT }

/* Big-endian 6 octets <-> value. sqn_to_bytes: -EINVAL above SQN_MAX. */
uint64_t sqn_from_bytes(const uint8_t b[SQN_LEN]);
int sqn_to_bytes(uint64_t sqn, uint8_t b[SQN_LEN]);

static inline uint64_t sqn_seq(uint64_t sqn, unsigned ind_bits) { return sqn >> ind_bits; }
static inline unsigned sqn_ind(uint64_t sqn, unsigned ind_bits)
{
	return (unsigned)(sqn & ((UINT64_C(1) << ind_bits) - 1));
}

/*
 * Next SQN for a new vector (C.1.1, C.1.2): SEQ + 1, and IND + 1 modulo
 * 2^ind_bits (C.1.2 leaves IND allocation to the HE; stepping it spreads
 * consecutive vectors over the USIM array so they may be used out of order). SEQ never wraps: at the
 * last SEQ this returns -EOVERFLOW (a wrapped SQN would never be accepted by
 * the USIM, C.2.1; the subscription needs new keys). -EINVAL: current above
 * SQN_MAX or ind_bits > SQN_IND_BITS_MAX.
 */
int sqn_next(uint64_t current, uint64_t *next);                        /* 5 IND bits */
int sqn_next_ind(uint64_t current, unsigned ind_bits, uint64_t *next);

/*
 * HE re-synchronisation (§6.3.5 steps 2-5, C.3.2), called only after AUTS
 * was verified. If the next SQN from sqn_he would still be accepted by a
 * USIM whose highest accepted value is sqn_ms (SEQ_next > SEQ_MS and
 * SEQ_next - SEQ_MS <= delta), sqn_he is kept: a replayed or stale SQN_MS
 * does not move the counter back. Otherwise the counter is reset to sqn_ms.
 * *base receives the value to feed sqn_next() and to store; *reset (may be
 * NULL) whether it changed. p NULL = SQN_POLICY_DEFAULT.
 */
int sqn_resync(uint64_t sqn_he, uint64_t sqn_ms, const struct sqn_policy *p,
	       uint64_t *base, bool *reset);

/* USIM model: SQN accepted per IND entry (zero-initialise before use). */
struct sqn_usim {
	uint64_t accepted[1u << SQN_IND_BITS_MAX];
};

/* Highest SQN the USIM has accepted (SQN_MS, the value sent in AUTS). */
uint64_t sqn_usim_highest(const struct sqn_usim *u, const struct sqn_policy *p);

/*
 * USIM freshness check of a received SQN (C.2.1 delta, C.2.2 L and array).
 * 0: fresh, recorded. -ERANGE: too far ahead (SEQ - SEQ_MS > delta).
 * -ESTALE: replayed or too old (SEQ <= entry for IND, or SEQ_MS - SEQ >= L).
 * On rejection *sqn_ms (may be NULL) is the SQN_MS to put into AUTS.
 */
int sqn_usim_check(struct sqn_usim *u, const struct sqn_policy *p, uint64_t sqn,
		   uint64_t *sqn_ms);

#endif
