/*
 * digest: HTTP Digest computations for SIP authentication.
 *
 * - RFC 2617 / RFC 7616 Digest with MD5 or SHA-256: HA1, HA2 (qop=auth,
 *   qop=auth-int with the body hash, no qop as RFC 2069), response, and a
 *   constant-time verification.
 * - RFC 3310 AKAv1-MD5: nonce = base64(RAND || AUTN [|| server data]),
 *   password = RES as raw octets (never its hex text), AUTS decoding.
 *
 * Hashes are lowercase hex strings, NUL-terminated, in caller buffers of
 * DIGEST_HEX_MAX. No allocation; every function is thread-safe.
 * Secrets (passwords, RES, HA1) are never logged here.
 * Returns 0 or -errno (-EINVAL bad argument or format, -ENOSPC buffer too
 * small, -EACCES response does not match, -EIO crypto library failure).
 */
#ifndef IMS_DIGEST_H
#define IMS_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum digest_alg {
	DIGEST_MD5,     /* "MD5" and "AKAv1-MD5" (RFC 3310 3.3) */
	DIGEST_SHA256,  /* "SHA-256" (RFC 7616 3.7) */
};

/* Longest hex digest (SHA-256) plus NUL. */
#define DIGEST_HEX_MAX 65

/* Maps an algorithm= value (case-insensitive; NULL or "" = MD5) to the hash
 * and tells whether it is AKA. Returns 0 or -EINVAL (unsupported, e.g. the
 * -sess variants or AKAv2). aka may be NULL. */
int digest_alg_parse(const char *algorithm, enum digest_alg *alg, bool *aka);

/* HA1 = H(username ":" realm ":" password). The password is `pw_len` raw
 * octets (it may contain NUL, as an AKA RES can). */
int digest_ha1(enum digest_alg alg, const char *username, const char *realm,
	       const void *pw, size_t pw_len, char ha1[DIGEST_HEX_MAX]);

/* The request side of a digest (RFC 2617 3.2.2). qop NULL or "" means no
 * qop (response = H(HA1:nonce:HA2)); "auth" or "auth-int" need nc and
 * cnonce; "auth-int" hashes body/body_len (body may be NULL when empty). */
struct digest_request {
	enum digest_alg alg;
	const char *method;
	const char *uri;
	const char *nonce;
	const char *qop;
	const char *nc;
	const char *cnonce;
	const void *body;
	size_t body_len;
};

int digest_ha2(const struct digest_request *rq, char ha2[DIGEST_HEX_MAX]);
int digest_response(const struct digest_request *rq, const char *ha1,
		    char response[DIGEST_HEX_MAX]);

/* Recomputes the response from ha1 and compares it with `response`
 * (case-insensitive hex, constant time). Returns 0 when it matches,
 * -EACCES when not, -EINVAL for a bad request. */
int digest_verify(const struct digest_request *rq, const char *ha1,
		  const char *response);

/* Constant-time comparison of two hex strings of equal length, ignoring
 * case; false when lengths differ. */
bool digest_hex_equal(const char *a, const char *b);

/* ---- RFC 3310 AKAv1-MD5 ---- */

#define DIGEST_AKA_RAND_LEN 16
#define DIGEST_AKA_AUTN_LEN 16
#define DIGEST_AKA_AUTS_LEN 14
#define DIGEST_AKA_RES_MIN 4    /* TS 33.102 6.3.7: RES is 32..128 bits */
#define DIGEST_AKA_RES_MAX 16
#define DIGEST_AKA_SERVER_DATA_MAX 64
/* base64 of RAND||AUTN||server data, plus NUL */
#define DIGEST_AKA_NONCE_MAX (((32 + DIGEST_AKA_SERVER_DATA_MAX + 2) / 3) * 4 + 1)

/* nonce = base64(RAND || AUTN || server_data) (RFC 3310 3.2), written
 * NUL-terminated to `nonce` of `cap` bytes. */
int digest_aka_nonce_build(const uint8_t rnd[DIGEST_AKA_RAND_LEN],
			   const uint8_t autn[DIGEST_AKA_AUTN_LEN],
			   const void *server_data, size_t server_data_len,
			   char *nonce, size_t cap);

/* Decodes a nonce into RAND and AUTN; any trailing server data is copied to
 * server_data (may be NULL if sd_cap is 0) and its length set in *sd_len
 * (may be NULL). Rejects bad base64 and nonces shorter than 32 octets. */
int digest_aka_nonce_parse(const char *nonce,
			   uint8_t rnd[DIGEST_AKA_RAND_LEN],
			   uint8_t autn[DIGEST_AKA_AUTN_LEN],
			   uint8_t *server_data, size_t sd_cap, size_t *sd_len);

/* auts= parameter (RFC 3310 3.4): base64 of exactly 14 octets. */
int digest_aka_auts_decode(const char *auts, uint8_t out[DIGEST_AKA_AUTS_LEN]);

/* HA1 for AKAv1-MD5: the password is RES as raw octets (RFC 3310 3.4). */
int digest_aka_ha1(const char *username, const char *realm,
		   const uint8_t *res, size_t res_len, char ha1[DIGEST_HEX_MAX]);

/* Base64 (RFC 4648 4, with padding). encode writes a NUL-terminated string;
 * decode accepts missing padding, rejects any other deviation, and sets
 * *out_len. */
int digest_base64_encode(const void *in, size_t len, char *out, size_t cap);
int digest_base64_decode(const char *in, uint8_t *out, size_t cap, size_t *out_len);

#endif
