/* RFC 2617 / RFC 7616 Digest computations through OpenSSL EVP. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "ims/digest.h"

int digest_alg_parse(const char *algorithm, enum digest_alg *alg, bool *aka)
{
	bool is_aka = false;

	if (!alg)
		return -EINVAL;
	if (!algorithm || !*algorithm || strcasecmp(algorithm, "MD5") == 0) {
		*alg = DIGEST_MD5;
	} else if (strcasecmp(algorithm, "SHA-256") == 0) {
		*alg = DIGEST_SHA256;
	} else if (strcasecmp(algorithm, "AKAv1-MD5") == 0) {
		*alg = DIGEST_MD5;
		is_aka = true;
	} else {
		return -EINVAL;
	}
	if (aka)
		*aka = is_aka;
	return 0;
}

/* One hash over pieces joined with ':' (lengths given, NUL-safe). */
struct piece {
	const void *p;
	size_t len;
};

static int hash_hex(enum digest_alg alg, const struct piece *pc, size_t n,
		    char out[DIGEST_HEX_MAX])
{
	static const char hex[] = "0123456789abcdef";
	const EVP_MD *md = alg == DIGEST_SHA256 ? EVP_sha256() : EVP_md5();
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (!EVP_DigestInit_ex(ctx, md, NULL))
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (i && !EVP_DigestUpdate(ctx, ":", 1))
			goto out;
		if (pc[i].len && !EVP_DigestUpdate(ctx, pc[i].p, pc[i].len))
			goto out;
	}
	if (!EVP_DigestFinal_ex(ctx, dig, &dlen) || 2 * dlen >= DIGEST_HEX_MAX)
		goto out;
	for (unsigned int i = 0; i < dlen; i++) {
		out[2 * i] = hex[dig[i] >> 4];
		out[2 * i + 1] = hex[dig[i] & 15];
	}
	out[2 * dlen] = '\0';
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

#define S(x) { (x), strlen(x) }

int digest_ha1(enum digest_alg alg, const char *username, const char *realm,
	       const void *pw, size_t pw_len, char ha1[DIGEST_HEX_MAX])
{
	if (!username || !realm || (!pw && pw_len) || !ha1)
		return -EINVAL;
	/* RFC 2617 3.2.2.2: A1 = unq(username) ":" unq(realm) ":" passwd */
	struct piece pc[] = { S(username), S(realm), { pw, pw_len } };
	return hash_hex(alg, pc, 3, ha1);
}

static int qop_kind(const char *qop)
{
	if (!qop || !*qop)
		return 0;
	if (strcasecmp(qop, "auth") == 0)
		return 1;
	if (strcasecmp(qop, "auth-int") == 0)
		return 2;
	return -1;
}

int digest_ha2(const struct digest_request *rq, char ha2[DIGEST_HEX_MAX])
{
	char hbody[DIGEST_HEX_MAX];
	int kind, rc;

	if (!rq || !rq->method || !rq->uri || !ha2 || (!rq->body && rq->body_len))
		return -EINVAL;
	kind = qop_kind(rq->qop);
	if (kind < 0)
		return -EINVAL;
	if (kind == 2) {
		/* RFC 2617 3.2.2.3: A2 = Method ":" uri ":" H(entity-body) */
		struct piece body = { rq->body, rq->body_len };
		rc = hash_hex(rq->alg, &body, 1, hbody);
		if (rc)
			return rc;
		struct piece pc[] = { S(rq->method), S(rq->uri), S(hbody) };
		return hash_hex(rq->alg, pc, 3, ha2);
	}
	struct piece pc[] = { S(rq->method), S(rq->uri) };
	return hash_hex(rq->alg, pc, 2, ha2);
}

int digest_response(const struct digest_request *rq, const char *ha1,
		    char response[DIGEST_HEX_MAX])
{
	char ha2[DIGEST_HEX_MAX];
	int kind, rc;

	if (!rq || !ha1 || !rq->nonce || !response)
		return -EINVAL;
	kind = qop_kind(rq->qop);
	if (kind < 0 || (kind > 0 && (!rq->nc || !rq->cnonce)))
		return -EINVAL;
	rc = digest_ha2(rq, ha2);
	if (rc)
		return rc;
	if (kind == 0) {
		/* RFC 2617 3.2.2.1, RFC 2069 compatibility: no qop */
		struct piece pc[] = { S(ha1), S(rq->nonce), S(ha2) };
		return hash_hex(rq->alg, pc, 3, response);
	}
	struct piece pc[] = { S(ha1), S(rq->nonce), S(rq->nc), S(rq->cnonce),
			      S(rq->qop), S(ha2) };
	return hash_hex(rq->alg, pc, 6, response);
}

static unsigned char lower(unsigned char c)
{
	/* branch-free ASCII lowercase */
	unsigned char is_upper = (unsigned char)(((unsigned)(c - 'A') <= 'Z' - 'A') ? 1 : 0);
	return (unsigned char)(c | (is_upper << 5));
}

bool digest_hex_equal(const char *a, const char *b)
{
	size_t la, lb;
	unsigned char diff = 0;

	if (!a || !b)
		return false;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb || la == 0)
		return false;
	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)(lower((unsigned char)a[i]) ^ lower((unsigned char)b[i]));
	return diff == 0;
}

int digest_verify(const struct digest_request *rq, const char *ha1,
		  const char *response)
{
	char expected[DIGEST_HEX_MAX];
	int rc;

	if (!response)
		return -EINVAL;
	rc = digest_response(rq, ha1, expected);
	if (rc)
		return rc;
	rc = digest_hex_equal(expected, response) ? 0 : -EACCES;
	OPENSSL_cleanse(expected, sizeof expected);
	return rc;
}
