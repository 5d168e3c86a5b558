/*
 * milenage: the 3GPP MILENAGE functions f1, f1*, f2, f3, f4, f5, f5*
 * (TS 35.206) over AES-128 (OpenSSL 3 EVP), and OPc from OP.
 *
 * Contract: all inputs and outputs are fixed-size octet arrays in network
 * order, as they appear on the wire (RAND, AUTN, AUTS) and in the spec.
 * Output pointers marked "may be NULL" are skipped. Functions return 0 or
 * -errno (-EINVAL for a NULL input, -ENOMEM, -EIO if libcrypto fails); on
 * error the outputs are undefined. Intermediate values derived from K are
 * wiped from the stack before returning; the caller owns (and should wipe)
 * K, OPc and the outputs.
 * Thread rules: no shared state; every call has its own cipher context.
 * Never log K, OP, OPc, CK, IK or RES.
 */
#ifndef HSS_AUTH_MILENAGE_H
#define HSS_AUTH_MILENAGE_H

#include <stdint.h>

#define MILENAGE_KEY_LEN  16 /* K, OP, OPc */
#define MILENAGE_RAND_LEN 16
#define MILENAGE_SQN_LEN  6
#define MILENAGE_AMF_LEN  2
#define MILENAGE_MAC_LEN  8  /* MAC-A, MAC-S */
#define MILENAGE_RES_LEN  8
#define MILENAGE_CK_LEN   16
#define MILENAGE_IK_LEN   16
#define MILENAGE_AK_LEN   6  /* AK, AK* */

/* OPc = OP xor E_K(OP) (TS 35.206 §4.1). */
int milenage_opc(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t op[MILENAGE_KEY_LEN],
		 uint8_t opc[MILENAGE_KEY_LEN]);

/* f1 and f1*: MAC-A = OUT1[0..63], MAC-S = OUT1[64..127]; either may be NULL. */
int milenage_f1(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
		const uint8_t rand[MILENAGE_RAND_LEN], const uint8_t sqn[MILENAGE_SQN_LEN],
		const uint8_t amf[MILENAGE_AMF_LEN],
		uint8_t mac_a[MILENAGE_MAC_LEN], uint8_t mac_s[MILENAGE_MAC_LEN]);

/* f2 (RES), f3 (CK), f4 (IK), f5 (AK), f5* (AK*); each output may be NULL. */
int milenage_f2345(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
		   const uint8_t rand[MILENAGE_RAND_LEN],
		   uint8_t res[MILENAGE_RES_LEN], uint8_t ck[MILENAGE_CK_LEN],
		   uint8_t ik[MILENAGE_IK_LEN], uint8_t ak[MILENAGE_AK_LEN],
		   uint8_t ak_star[MILENAGE_AK_LEN]);

#endif
