/*
 * reg_auth: the challenges the S-CSCF has sent and is waiting for
 * (TS 24.229 5.4.1.2, TS 33.203 6.1, RFC 3310, RFC 2617).
 *
 * A challenge is kept under its nonce with what verifies the answer: XRES
 * (AKAv1-MD5) or the HSS's HA1 (SIP Digest), plus RAND for an AKA resync.
 * A nonce is good once: the caller removes the challenge after a verify.
 * Challenges live `timeout` seconds and at most `max` exist at once; they
 * are chained in creation order, so expiry only looks at the oldest.
 *
 * Ownership: the table owns its challenges. Secrets (XRES, HA1) are never
 * logged. Thread rules: the loop thread only. Returns 0 or -errno.
 */
#ifndef SCSCF_REG_AUTH_H
#define SCSCF_REG_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ims/digest.h"
#include "ims/sip.h"

#include "reg_htab.h"

enum reg_auth_scheme {
	REG_AUTH_AKA,    /* "Digest-AKAv1-MD5" */
	REG_AUTH_DIGEST, /* "SIP Digest" (MD5) */
};

struct reg_challenge {
	struct reg_challenge *prev, *next;
	char nonce[DIGEST_AKA_NONCE_MAX];
	char *impi, *impu;
	enum reg_auth_scheme scheme;
	uint8_t rand[DIGEST_AKA_RAND_LEN];
	uint8_t xres[DIGEST_AKA_RES_MAX];
	size_t xres_len;
	char ha1[DIGEST_HEX_MAX];
	int64_t expires;
};

struct reg_auth {
	struct reg_htab by_nonce;
	struct reg_htab by_impi;      /* IMPI -> pending count (abuse limit) */
	struct reg_challenge *head, *tail;
	size_t count, max;
	size_t max_per_impi;          /* 0 = no per-IMPI limit */
	int64_t timeout;
};

int reg_auth_init(struct reg_auth *a, size_t max, int64_t timeout_s);
/* Cap the challenges pending for one IMPI, so one user cannot fill the
 * table (reg_auth_add then fails with -EDQUOT). 0 = no cap. */
void reg_auth_set_per_impi(struct reg_auth *a, size_t max_per_impi);
/* Challenges pending for impi. */
size_t reg_auth_count_impi(const struct reg_auth *a, const char *impi);
void reg_auth_free(struct reg_auth *a);

/* Store a copy of *tmpl (nonce, impi, impu, scheme and the secret) that
 * expires at now + timeout. -ENOSPC when `max` are pending (answer 503),
 * -EDQUOT when max_per_impi are pending for this IMPI,
 * -EEXIST for a nonce already pending, -EINVAL for a bad template. */
int reg_auth_add(struct reg_auth *a, const struct reg_challenge *tmpl, int64_t now,
		 struct reg_challenge **out);
struct reg_challenge *reg_auth_find(const struct reg_auth *a, const char *nonce);
void reg_auth_remove(struct reg_auth *a, struct reg_challenge *ch);

/* Remove the challenges expired at now, oldest first, calling
 * timeout(ctx, ch) before each is freed. Returns how many. */
size_t reg_auth_expire(struct reg_auth *a, int64_t now,
		       void (*timeout)(void *ctx, const struct reg_challenge *ch), void *ctx);

/* Check credentials cr (from a REGISTER with `method`) against ch, for our
 * `realm`: username = the challenged IMPI, realm, algorithm of the scheme,
 * qop=auth with nc and cnonce, uri present, then the response
 * (RFC 3310 3.4: AKA password = XRES octets; SIP Digest: the HSS's HA1).
 * 0 = verified, -EACCES = wrong response, -EPROTO = unusable parameters. */
int reg_auth_verify(const struct reg_challenge *ch, const struct sip_auth_credentials *cr,
		    const char *method, const char *realm);

/* A fresh random nonce for SIP Digest: base64 of 16 random octets. */
int reg_auth_random_nonce(char *out, size_t cap);

#endif
