/* RFC 3310 AKAv1-MD5 nonce and AUTS handling, and the base64 they use. */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ims/digest.h"

int digest_base64_encode(const void *in, size_t len, char *out, size_t cap)
{
	size_t need = ((len + 2) / 3) * 4 + 1;

	if ((!in && len) || !out || len > 0x3fffffff)
		return -EINVAL;
	if (cap < need)
		return -ENOSPC;
	/* EVP_EncodeBlock pads and NUL-terminates. */
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	return 0;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Own decoder: EVP_DecodeBlock does not report how much padding it saw and
 * accepts embedded whitespace; a nonce must be exact. */
int digest_base64_decode(const char *in, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t len, pad = 0, n = 0;
	uint32_t acc = 0;
	int bits = 0;

	if (!in || !out_len || (!out && cap))
		return -EINVAL;
	len = strlen(in);
	while (len && in[len - 1] == '=' && pad < 2) {
		len--;
		pad++;
	}
	/* with padding the total is a multiple of 4; without, 1 char left
	 * over can never encode a whole octet */
	if ((pad && (len + pad) % 4) || len % 4 == 1)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		int v = b64_value(in[i]);
		if (v < 0)
			return -EINVAL;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap)
				return -ENOSPC;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	/* leftover bits must be zero (canonical encoding) */
	if (acc & ((1u << bits) - 1))
		return -EINVAL;
	*out_len = n;
	return 0;
}

int digest_aka_nonce_build(const uint8_t rnd[DIGEST_AKA_RAND_LEN],
			   const uint8_t autn[DIGEST_AKA_AUTN_LEN],
			   const void *server_data, size_t server_data_len,
			   char *nonce, size_t cap)
{
	uint8_t raw[32 + DIGEST_AKA_SERVER_DATA_MAX];

	if (!rnd || !autn || !nonce || (!server_data && server_data_len) ||
	    server_data_len > DIGEST_AKA_SERVER_DATA_MAX)
		return -EINVAL;
	memcpy(raw, rnd, DIGEST_AKA_RAND_LEN);
	memcpy(raw + 16, autn, DIGEST_AKA_AUTN_LEN);
	if (server_data_len)
		memcpy(raw + 32, server_data, server_data_len);
	return digest_base64_encode(raw, 32 + server_data_len, nonce, cap);
}

int digest_aka_nonce_parse(const char *nonce,
			   uint8_t rnd[DIGEST_AKA_RAND_LEN],
			   uint8_t autn[DIGEST_AKA_AUTN_LEN],
			   uint8_t *server_data, size_t sd_cap, size_t *sd_len)
{
	uint8_t raw[32 + DIGEST_AKA_SERVER_DATA_MAX];
	size_t n = 0;
	int rc;

	if (!nonce || !rnd || !autn || (!server_data && sd_cap))
		return -EINVAL;
	rc = digest_base64_decode(nonce, raw, sizeof raw, &n);
	if (rc)
		return rc == -ENOSPC ? -EINVAL : rc;
	/* RFC 3310 3.2: RAND (16) and AUTN (16) come first. */
	if (n < 32)
		return -EINVAL;
	if (n - 32 > sd_cap)
		return -ENOSPC;
	memcpy(rnd, raw, 16);
	memcpy(autn, raw + 16, 16);
	if (n > 32)
		memcpy(server_data, raw + 32, n - 32);
	if (sd_len)
		*sd_len = n - 32;
	return 0;
}

int digest_aka_auts_decode(const char *auts, uint8_t out[DIGEST_AKA_AUTS_LEN])
{
	uint8_t raw[DIGEST_AKA_AUTS_LEN + 3];
	size_t n = 0;
	int rc;

	if (!auts || !out)
		return -EINVAL;
	rc = digest_base64_decode(auts, raw, sizeof raw, &n);
	if (rc || n != DIGEST_AKA_AUTS_LEN)
		return -EINVAL;
	/* TS 33.102 6.3.3: AUTS = SQN_MS xor AK* (6) || MAC-S (8) */
	memcpy(out, raw, DIGEST_AKA_AUTS_LEN);
	return 0;
}

int digest_aka_ha1(const char *username, const char *realm,
		   const uint8_t *res, size_t res_len, char ha1[DIGEST_HEX_MAX])
{
	if (!res || res_len < DIGEST_AKA_RES_MIN || res_len > DIGEST_AKA_RES_MAX)
		return -EINVAL;
	/* RFC 3310 3.4: the password is RES itself, as octets; a RES with a
	 * 0x00 octet must not be cut there. */
	return digest_ha1(DIGEST_MD5, username, realm, res, res_len, ha1);
}
