/*
 * THIG tokens: AES-256-GCM with a random 96-bit IV per token (NIST SP
 * 800-38D 8.2.2), the kind as associated data, base64url without padding
 * so that a token is a valid URI and Via parameter value (RFC 3261 25.1
 * token characters). See thig.h.
 */
#include "thig.h"
#include "thig_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#define IV_LEN 12
#define TAG_LEN 16

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static size_t b64_encode(const uint8_t *in, size_t len, char *out)
{
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	if (len - i == 1) {
		v = (uint32_t)in[i] << 16;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
	} else if (len - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
	}
	out[o] = '\0';
	return o;
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? (int)(p - b64) : -1;
}

/* -EBADMSG on a character outside the alphabet or an impossible length. */
static int b64_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *n)
{
	size_t i, o = 0;
	uint32_t v = 0;
	int bits = 0, d;

	if (len % 4 == 1 || (len / 4) * 3 + 2 > cap + 2)
		return -EBADMSG;
	for (i = 0; i < len; i++) {
		d = b64_value(in[i]);
		if (d < 0)
			return -EBADMSG;
		v = (v << 6) | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -EBADMSG;
			out[o++] = (uint8_t)(v >> bits);
			v &= (1u << bits) - 1;
		}
	}
	*n = o;
	return 0;
}

int thig_key_parse_hex(const char *hex, uint8_t key[THIG_KEY_LEN])
{
	size_t i;
	unsigned v;

	for (i = 0; i < THIG_KEY_LEN; i++) {
		if (!isxdigit((unsigned char)hex[2 * i]) || !isxdigit((unsigned char)hex[2 * i + 1]))
			return -EINVAL;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -EINVAL;
		key[i] = (uint8_t)v;
	}
	return hex[2 * THIG_KEY_LEN] == '\0' || isspace((unsigned char)hex[2 * THIG_KEY_LEN]) ?
		       0 : -EINVAL;
}

int thig_key_load(const char *path, uint8_t key[THIG_KEY_LEN])
{
	char buf[2 * THIG_KEY_LEN + 3];
	FILE *f = fopen(path, "rb");
	size_t n;
	int rc = -EINVAL;

	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (n >= 2 * THIG_KEY_LEN)
		rc = thig_key_parse_hex(buf, key);
	if (rc < 0 && n == THIG_KEY_LEN) {
		memcpy(key, buf, THIG_KEY_LEN);
		rc = 0;
	}
	explicit_bzero(buf, sizeof buf);
	return rc;
}

int thig_seal(struct thig *t, enum thig_kind kind, const char *plain, size_t len, char *out,
	      size_t cap)
{
	uint8_t raw[IV_LEN + THIG_PLAIN_MAX + TAG_LEN];
	unsigned char aad = (unsigned char)kind;
	int n = 0, f = 0, rc = -EIO;

	/* GCM: never the same IV twice under one key. Random 96-bit IVs are
	 * fine for up to 2^32 tokens per key (SP 800-38D 8.3): rotate the
	 * key long before that. */

	if (len > THIG_PLAIN_MAX)
		return -E2BIG;
	if (cap < ((IV_LEN + len + TAG_LEN) * 4 + 2) / 3 + 1)
		return -ENOSPC;
	if (RAND_bytes(raw, IV_LEN) != 1)
		return -EIO;
	if (EVP_EncryptInit_ex(t->enc, NULL, NULL, NULL, raw) != 1 ||
	    EVP_EncryptUpdate(t->enc, NULL, &n, &aad, 1) != 1 ||
	    EVP_EncryptUpdate(t->enc, raw + IV_LEN, &n, (const uint8_t *)plain, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(t->enc, raw + IV_LEN + n, &f) != 1 ||
	    EVP_CIPHER_CTX_ctrl(t->enc, EVP_CTRL_GCM_GET_TAG, TAG_LEN,
				raw + IV_LEN + n + f) != 1)
		return rc;
	b64_encode(raw, IV_LEN + (size_t)(n + f) + TAG_LEN, out);
	return 0;
}

int thig_open(struct thig *t, enum thig_kind kind, const char *token, char *out, size_t cap)
{
	uint8_t raw[IV_LEN + THIG_PLAIN_MAX + TAG_LEN];
	unsigned char aad = (unsigned char)kind;
	size_t len, clen;
	int n = 0, f = 0, rc = -EBADMSG;

	if (b64_decode(token, strlen(token), raw, sizeof raw, &len) < 0 ||
	    len < IV_LEN + TAG_LEN)
		return -EBADMSG;
	clen = len - IV_LEN - TAG_LEN;
	if (clen + 1 > cap)
		return -ENOSPC;
	if (EVP_DecryptInit_ex(t->dec, NULL, NULL, NULL, raw) != 1 ||
	    EVP_DecryptUpdate(t->dec, NULL, &n, &aad, 1) != 1 ||
	    EVP_DecryptUpdate(t->dec, (uint8_t *)out, &n, raw + IV_LEN, (int)clen) != 1 ||
	    EVP_CIPHER_CTX_ctrl(t->dec, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
				raw + IV_LEN + clen) != 1 ||
	    EVP_DecryptFinal_ex(t->dec, (uint8_t *)out + n, &f) != 1)
		goto out;
	out[n + f] = '\0';
	/* The entries are SIP header text: no NUL inside. */
	rc = strlen(out) == (size_t)(n + f) ? 0 : -EBADMSG;
out:
	if (rc < 0)
		out[0] = '\0';
	return rc;
}

/* A GCM context keyed once (the cipher lookup and key schedule are most
 * of the cost of a token); each token then only sets its IV. */
static EVP_CIPHER_CTX *keyed_ctx(const uint8_t *key, int enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	if (c && (EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) != 1 ||
		  EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, IV_LEN, NULL) != 1 ||
		  EVP_CipherInit_ex(c, NULL, NULL, key, NULL, enc) != 1)) {
		EVP_CIPHER_CTX_free(c);
		c = NULL;
	}
	return c;
}

int thig_create(const uint8_t *key, const char *hostport, thig_is_me_fn is_me, void *ctx,
		struct thig **out)
{
	struct thig *t = calloc(1, sizeof *t);
	int rc = -EIO;

	if (!t)
		return -ENOMEM;
	if (key)
		memcpy(t->key, key, THIG_KEY_LEN);
	else if (RAND_bytes(t->key, THIG_KEY_LEN) != 1)
		goto out;
	t->enc = keyed_ctx(t->key, 1);
	t->dec = keyed_ctx(t->key, 0);
	if (!t->enc || !t->dec)
		goto out;
	snprintf(t->hostport, sizeof t->hostport, "%s", hostport);
	t->is_me = is_me;
	t->is_me_ctx = ctx;
	*out = t;
	return 0;
out:
	thig_destroy(t);
	return rc;
}

void thig_destroy(struct thig *t)
{
	if (!t)
		return;
	EVP_CIPHER_CTX_free(t->enc);
	EVP_CIPHER_CTX_free(t->dec);
	explicit_bzero(t->key, sizeof t->key);
	free(t);
}
