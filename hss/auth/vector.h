/*
 * vector: UMTS/IMS AKA authentication vectors and re-synchronisation
 * (TS 33.102 §6.3.2, §6.3.3, §6.3.5) with MILENAGE, as the HSS needs them
 * for MAR with SIP-Auth-Scheme "Digest-AKAv1-MD5" (TS 29.228 §6.3.9-6.3.12).
 *
 * HE side: auth_vector_generate() per vector; on a MAR carrying
 * SIP-Authorization (= RAND || AUTS) call auth_resync_split() and
 * auth_resync_verify(), then sqn_resync() and sqn_next() (see sqn.h).
 * USIM side (tests, UE simulators): auth_autn_verify(), auth_auts_build().
 * Functions return 0 or -errno: -EINVAL bad argument/length, -EBADMSG a MAC
 * (MAC-A or MAC-S) does not verify, -EIO randomness or libcrypto failure,
 * -ENOMEM. The caller owns K, OPc and the vector; wipe it with
 * auth_vector_wipe() when done. No shared state; thread-safe.
 * Never log K, OPc, XRES, CK, IK.
 */
#ifndef HSS_AUTH_VECTOR_H
#define HSS_AUTH_VECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "auth/milenage.h"

#define AUTH_RAND_LEN 16
#define AUTH_AUTN_LEN 16                  /* (SQN xor AK) || AMF || MAC-A */
#define AUTH_AUTS_LEN 14                  /* (SQN_MS xor AK*) || MAC-S */
#define AUTH_XRES_LEN MILENAGE_RES_LEN
#define AUTH_SIP_AUTHENTICATE_LEN (AUTH_RAND_LEN + AUTH_AUTN_LEN)  /* RAND || AUTN */
#define AUTH_SIP_AUTHORIZATION_LEN (AUTH_RAND_LEN + AUTH_AUTS_LEN) /* RAND || AUTS */

struct auth_vector {
	uint64_t sqn;                      /* SQN used (48 bits) */
	uint8_t rand[AUTH_RAND_LEN];
	uint8_t autn[AUTH_AUTN_LEN];
	uint8_t xres[AUTH_XRES_LEN];
	uint8_t ck[MILENAGE_CK_LEN];
	uint8_t ik[MILENAGE_IK_LEN];
};

/*
 * One vector for sqn (already advanced by the caller with sqn_next()).
 * rand NULL: a fresh RAND from RAND_bytes(); non-NULL: used as given (tests).
 */
int auth_vector_generate(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
			 const uint8_t amf[MILENAGE_AMF_LEN], uint64_t sqn,
			 const uint8_t *rand, struct auth_vector *av);

/* SIP-Authenticate AVP payload for Digest-AKAv1-MD5: RAND || AUTN. */
void auth_vector_sip_authenticate(const struct auth_vector *av,
				  uint8_t out[AUTH_SIP_AUTHENTICATE_LEN]);

/* Zero a vector (OPENSSL_cleanse). */
void auth_vector_wipe(struct auth_vector *av);

/* Split a SIP-Authorization AVP (RAND || AUTS); -EINVAL if len != 30. */
int auth_resync_split(const uint8_t *data, size_t len, uint8_t rand[AUTH_RAND_LEN],
		      uint8_t auts[AUTH_AUTS_LEN]);

/*
 * Verify AUTS against RAND (§6.3.3, §6.3.5): SQN_MS = AUTS[0..5] xor f5*(RAND),
 * MAC-S must equal f1*(K, SQN_MS, RAND, AMF = 0x0000). 0 and *sqn_ms set,
 * or -EBADMSG (MAC-S mismatch; *sqn_ms untouched).
 */
int auth_resync_verify(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
		       const uint8_t rand[AUTH_RAND_LEN], const uint8_t auts[AUTH_AUTS_LEN],
		       uint64_t *sqn_ms);

/* USIM side: build AUTS for sqn_ms (§6.3.3). */
int auth_auts_build(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
		    const uint8_t rand[AUTH_RAND_LEN], uint64_t sqn_ms,
		    uint8_t auts[AUTH_AUTS_LEN]);

/*
 * USIM side: check MAC-A of AUTN (§6.3.3) and recover SQN; res (may be NULL)
 * receives RES. 0, or -EBADMSG if MAC-A does not verify. The SQN freshness
 * check is separate (sqn_usim_check()).
 */
int auth_autn_verify(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
		     const uint8_t rand[AUTH_RAND_LEN], const uint8_t autn[AUTH_AUTN_LEN],
		     uint64_t *sqn, uint8_t res[MILENAGE_RES_LEN]);

#endif
