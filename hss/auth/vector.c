/*
 * Authentication vectors (TS 33.102 §6.3.2) and AUTS handling (§6.3.3,
 * §6.3.5) with MILENAGE.
 */
#include "auth/vector.h"

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "auth/sqn.h"

/* §6.3.3: MAC-S is computed with a dummy AMF of all zeros. */
static const uint8_t resync_amf[MILENAGE_AMF_LEN] = { 0x00, 0x00 };

int auth_vector_generate(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
			 const uint8_t amf[MILENAGE_AMF_LEN], uint64_t sqn,
			 const uint8_t *rand, struct auth_vector *av)
{
	uint8_t sqn_b[SQN_LEN], ak[MILENAGE_AK_LEN];
	int rc;

	if (!k || !opc || !amf || !av || sqn > SQN_MAX)
		return -EINVAL;
	memset(av, 0, sizeof(*av));
	av->sqn = sqn;
	if (rand) {
		memcpy(av->rand, rand, AUTH_RAND_LEN);
	} else if (RAND_bytes(av->rand, AUTH_RAND_LEN) != 1) {
		rc = -EIO;
		goto out;
	}
	rc = sqn_to_bytes(sqn, sqn_b);
	if (rc)
		goto out;
	/* AUTN = SQN xor AK || AMF || MAC-A */
	rc = milenage_f1(k, opc, av->rand, sqn_b, amf, av->autn + 8, NULL);
	if (rc)
		goto out;
	rc = milenage_f2345(k, opc, av->rand, av->xres, av->ck, av->ik, ak, NULL);
	if (rc)
		goto out;
	for (int i = 0; i < SQN_LEN; i++)
		av->autn[i] = sqn_b[i] ^ ak[i];
	memcpy(av->autn + 6, amf, MILENAGE_AMF_LEN);
out:
	OPENSSL_cleanse(ak, sizeof(ak));
	if (rc)
		auth_vector_wipe(av);
	return rc;
}

void auth_vector_sip_authenticate(const struct auth_vector *av,
				  uint8_t out[AUTH_SIP_AUTHENTICATE_LEN])
{
	memcpy(out, av->rand, AUTH_RAND_LEN);
	memcpy(out + AUTH_RAND_LEN, av->autn, AUTH_AUTN_LEN);
}

void auth_vector_wipe(struct auth_vector *av)
{
	if (av)
		OPENSSL_cleanse(av, sizeof(*av));
}

int auth_resync_split(const uint8_t *data, size_t len, uint8_t rand[AUTH_RAND_LEN],
		      uint8_t auts[AUTH_AUTS_LEN])
{
	if (!data || !rand || !auts || len != AUTH_SIP_AUTHORIZATION_LEN)
		return -EINVAL;
	memcpy(rand, data, AUTH_RAND_LEN);
	memcpy(auts, data + AUTH_RAND_LEN, AUTH_AUTS_LEN);
	return 0;
}

int auth_resync_verify(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
		       const uint8_t rand[AUTH_RAND_LEN], const uint8_t auts[AUTH_AUTS_LEN],
		       uint64_t *sqn_ms)
{
	uint8_t ak_star[MILENAGE_AK_LEN], sqn_b[SQN_LEN], mac_s[MILENAGE_MAC_LEN];
	int rc;

	if (!k || !opc || !rand || !auts || !sqn_ms)
		return -EINVAL;
	rc = milenage_f2345(k, opc, rand, NULL, NULL, NULL, NULL, ak_star);
	if (rc)
		goto out;
	for (int i = 0; i < SQN_LEN; i++)
		sqn_b[i] = auts[i] ^ ak_star[i];
	rc = milenage_f1(k, opc, rand, sqn_b, resync_amf, NULL, mac_s);
	if (rc)
		goto out;
	if (CRYPTO_memcmp(mac_s, auts + SQN_LEN, MILENAGE_MAC_LEN) != 0) {
		rc = -EBADMSG;
		goto out;
	}
	*sqn_ms = sqn_from_bytes(sqn_b);
out:
	OPENSSL_cleanse(ak_star, sizeof(ak_star));
	OPENSSL_cleanse(mac_s, sizeof(mac_s));
	return rc;
}

int auth_auts_build(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
		    const uint8_t rand[AUTH_RAND_LEN], uint64_t sqn_ms,
		    uint8_t auts[AUTH_AUTS_LEN])
{
	uint8_t ak_star[MILENAGE_AK_LEN], sqn_b[SQN_LEN];
	int rc;

	if (!k || !opc || !rand || !auts)
		return -EINVAL;
	rc = sqn_to_bytes(sqn_ms, sqn_b);
	if (rc)
		return rc;
	rc = milenage_f2345(k, opc, rand, NULL, NULL, NULL, NULL, ak_star);
	if (rc)
		goto out;
	rc = milenage_f1(k, opc, rand, sqn_b, resync_amf, NULL, auts + SQN_LEN);
	if (rc)
		goto out;
	for (int i = 0; i < SQN_LEN; i++)
		auts[i] = sqn_b[i] ^ ak_star[i];
out:
	OPENSSL_cleanse(ak_star, sizeof(ak_star));
	return rc;
}

int auth_autn_verify(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
		     const uint8_t rand[AUTH_RAND_LEN], const uint8_t autn[AUTH_AUTN_LEN],
		     uint64_t *sqn, uint8_t res[MILENAGE_RES_LEN])
{
	uint8_t ak[MILENAGE_AK_LEN], sqn_b[SQN_LEN], mac_a[MILENAGE_MAC_LEN];
	uint8_t xres[MILENAGE_RES_LEN];
	int rc;

	if (!k || !opc || !rand || !autn || !sqn)
		return -EINVAL;
	rc = milenage_f2345(k, opc, rand, xres, NULL, NULL, ak, NULL);
	if (rc)
		goto out;
	for (int i = 0; i < SQN_LEN; i++)
		sqn_b[i] = autn[i] ^ ak[i];
	rc = milenage_f1(k, opc, rand, sqn_b, autn + 6, mac_a, NULL);
	if (rc)
		goto out;
	if (CRYPTO_memcmp(mac_a, autn + 8, MILENAGE_MAC_LEN) != 0) {
		rc = -EBADMSG;
		goto out;
	}
	*sqn = sqn_from_bytes(sqn_b);
	if (res)
		memcpy(res, xres, MILENAGE_RES_LEN);
out:
	OPENSSL_cleanse(ak, sizeof(ak));
	OPENSSL_cleanse(mac_a, sizeof(mac_a));
	OPENSSL_cleanse(xres, sizeof(xres));
	return rc;
}
