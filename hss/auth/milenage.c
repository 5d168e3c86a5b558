/*
 * MILENAGE (3GPP TS 35.206 §4.1) over AES-128 through OpenSSL 3 EVP:
 * ECB, one 16-octet block per call, padding off (else a block becomes 32).
 */
#include "auth/milenage.h"

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define BLK 16

/* Rotation r_i (in octets) and constant c_i (its last octet), TS 35.206 §4.1. */
enum { R1 = 8, R2 = 0, R3 = 4, R4 = 8, R5 = 12 };
enum { C1 = 0, C2 = 1, C3 = 2, C4 = 4, C5 = 8 };

static EVP_CIPHER_CTX *aes_open(const uint8_t k[MILENAGE_KEY_LEN])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (!ctx)
		return NULL;
	if (EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, k, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static int aes_block(EVP_CIPHER_CTX *ctx, const uint8_t in[BLK], uint8_t out[BLK])
{
	int n = 0;

	if (EVP_EncryptUpdate(ctx, out, &n, in, BLK) != 1 || n != BLK)
		return -EIO;
	return 0;
}

/* TEMP = E_K(RAND xor OPc) */
static int temp_block(EVP_CIPHER_CTX *ctx, const uint8_t opc[BLK],
		      const uint8_t rand[BLK], uint8_t temp[BLK])
{
	uint8_t x[BLK];
	int rc;

	for (int i = 0; i < BLK; i++)
		x[i] = rand[i] ^ opc[i];
	rc = aes_block(ctx, x, temp);
	OPENSSL_cleanse(x, sizeof(x));
	return rc;
}

/* OUT_i = E_K(rot(TEMP xor OPc, r_i) xor c_i) xor OPc, for i = 2..5. */
static int out_block(EVP_CIPHER_CTX *ctx, const uint8_t opc[BLK],
		     const uint8_t temp[BLK], int r, uint8_t c, uint8_t out[BLK])
{
	uint8_t x[BLK];
	int rc;

	for (int i = 0; i < BLK; i++) {
		int j = (i + r) % BLK;
		x[i] = temp[j] ^ opc[j];
	}
	x[BLK - 1] ^= c;
	rc = aes_block(ctx, x, out);
	for (int i = 0; i < BLK; i++)
		out[i] ^= opc[i];
	OPENSSL_cleanse(x, sizeof(x));
	return rc;
}

int milenage_opc(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t op[MILENAGE_KEY_LEN],
		 uint8_t opc[MILENAGE_KEY_LEN])
{
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t e[BLK];
	int rc;

	if (!k || !op || !opc)
		return -EINVAL;
	ctx = aes_open(k);
	if (!ctx) {
		rc = -ENOMEM;
		goto out;
	}
	rc = aes_block(ctx, op, e);
	if (rc)
		goto out;
	for (int i = 0; i < BLK; i++)
		opc[i] = op[i] ^ e[i];
out:
	OPENSSL_cleanse(e, sizeof(e));
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

int milenage_f1(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
		const uint8_t rand[MILENAGE_RAND_LEN], const uint8_t sqn[MILENAGE_SQN_LEN],
		const uint8_t amf[MILENAGE_AMF_LEN],
		uint8_t mac_a[MILENAGE_MAC_LEN], uint8_t mac_s[MILENAGE_MAC_LEN])
{
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t temp[BLK], in1[BLK], x[BLK], out1[BLK];
	int rc;

	if (!k || !opc || !rand || !sqn || !amf)
		return -EINVAL;
	ctx = aes_open(k);
	if (!ctx) {
		rc = -ENOMEM;
		goto out;
	}
	rc = temp_block(ctx, opc, rand, temp);
	if (rc)
		goto out;
	/* IN1 = SQN || AMF || SQN || AMF */
	memcpy(in1, sqn, 6);
	memcpy(in1 + 6, amf, 2);
	memcpy(in1 + 8, in1, 8);
	/* OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc */
	for (int i = 0; i < BLK; i++) {
		int j = (i + R1) % BLK;
		x[i] = temp[i] ^ in1[j] ^ opc[j];
	}
	x[BLK - 1] ^= C1;
	rc = aes_block(ctx, x, out1);
	if (rc)
		goto out;
	for (int i = 0; i < BLK; i++)
		out1[i] ^= opc[i];
	if (mac_a)
		memcpy(mac_a, out1, MILENAGE_MAC_LEN);
	if (mac_s)
		memcpy(mac_s, out1 + 8, MILENAGE_MAC_LEN);
out:
	OPENSSL_cleanse(temp, sizeof(temp));
	OPENSSL_cleanse(in1, sizeof(in1));
	OPENSSL_cleanse(x, sizeof(x));
	OPENSSL_cleanse(out1, sizeof(out1));
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

int milenage_f2345(const uint8_t k[MILENAGE_KEY_LEN], const uint8_t opc[MILENAGE_KEY_LEN],
		   const uint8_t rand[MILENAGE_RAND_LEN],
		   uint8_t res[MILENAGE_RES_LEN], uint8_t ck[MILENAGE_CK_LEN],
		   uint8_t ik[MILENAGE_IK_LEN], uint8_t ak[MILENAGE_AK_LEN],
		   uint8_t ak_star[MILENAGE_AK_LEN])
{
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t temp[BLK], out[BLK];
	int rc;

	if (!k || !opc || !rand)
		return -EINVAL;
	ctx = aes_open(k);
	if (!ctx) {
		rc = -ENOMEM;
		goto out;
	}
	rc = temp_block(ctx, opc, rand, temp);
	if (rc)
		goto out;
	if (res || ak) {
		/* f5 = OUT2[0..47], f2 = OUT2[64..127] */
		rc = out_block(ctx, opc, temp, R2, C2, out);
		if (rc)
			goto out;
		if (ak)
			memcpy(ak, out, MILENAGE_AK_LEN);
		if (res)
			memcpy(res, out + 8, MILENAGE_RES_LEN);
	}
	if (ck) {
		rc = out_block(ctx, opc, temp, R3, C3, ck);
		if (rc)
			goto out;
	}
	if (ik) {
		rc = out_block(ctx, opc, temp, R4, C4, ik);
		if (rc)
			goto out;
	}
	if (ak_star) {
		/* f5* = OUT5[0..47] */
		rc = out_block(ctx, opc, temp, R5, C5, out);
		if (rc)
			goto out;
		memcpy(ak_star, out, MILENAGE_AK_LEN);
	}
out:
	OPENSSL_cleanse(temp, sizeof(temp));
	OPENSSL_cleanse(out, sizeof(out));
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}
