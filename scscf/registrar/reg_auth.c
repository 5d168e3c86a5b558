/* reg_auth: see reg_auth.h for the contract. */
#include "reg_auth.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

int reg_auth_init(struct reg_auth *a, size_t max, int64_t timeout_s)
{
	memset(a, 0, sizeof *a);
	a->max = max ? max : 1;
	a->timeout = timeout_s > 0 ? timeout_s : 1;
	if (reg_htab_init(&a->by_impi, 1024) < 0)
		return -ENOMEM;
	return reg_htab_init(&a->by_nonce, 1024);
}

/* Pending challenges of one IMPI; the key lives in the struct. */
struct impi_count {
	size_t n;
	char impi[];
};

void reg_auth_set_per_impi(struct reg_auth *a, size_t max_per_impi)
{
	a->max_per_impi = max_per_impi;
}

size_t reg_auth_count_impi(const struct reg_auth *a, const char *impi)
{
	const struct impi_count *c = impi ? reg_htab_find(&a->by_impi, impi) : NULL;

	return c ? c->n : 0;
}

static int impi_inc(struct reg_auth *a, const char *impi)
{
	struct impi_count *c = reg_htab_find(&a->by_impi, impi);
	size_t len;

	if (c) {
		c->n++;
		return 0;
	}
	len = strlen(impi);
	c = malloc(sizeof *c + len + 1);
	if (!c)
		return -ENOMEM;
	c->n = 1;
	memcpy(c->impi, impi, len + 1);
	if (reg_htab_insert(&a->by_impi, c->impi, c) < 0) {
		free(c);
		return -ENOMEM;
	}
	return 0;
}

static void impi_dec(struct reg_auth *a, const char *impi)
{
	struct impi_count *c = reg_htab_find(&a->by_impi, impi);

	if (c && --c->n == 0) {
		reg_htab_remove(&a->by_impi, c->impi, c);
		free(c);
	}
}

static void challenge_free(struct reg_challenge *ch)
{
	free(ch->impi);
	free(ch->impu);
	OPENSSL_cleanse(ch, sizeof *ch);
	free(ch);
}

void reg_auth_remove(struct reg_auth *a, struct reg_challenge *ch)
{
	if (!ch)
		return;
	reg_htab_remove(&a->by_nonce, ch->nonce, ch);
	impi_dec(a, ch->impi);
	if (ch->prev)
		ch->prev->next = ch->next;
	else
		a->head = ch->next;
	if (ch->next)
		ch->next->prev = ch->prev;
	else
		a->tail = ch->prev;
	a->count--;
	challenge_free(ch);
}

void reg_auth_free(struct reg_auth *a)
{
	while (a->head)
		reg_auth_remove(a, a->head);
	reg_htab_free(&a->by_nonce);
	reg_htab_free(&a->by_impi);
}

int reg_auth_add(struct reg_auth *a, const struct reg_challenge *tmpl, int64_t now,
		 struct reg_challenge **out)
{
	struct reg_challenge *ch;
	int rc;

	if (!tmpl->nonce[0] || !tmpl->impi || !tmpl->impu ||
	    memchr(tmpl->nonce, '\0', sizeof tmpl->nonce) == NULL)
		return -EINVAL;
	if (a->count >= a->max)
		return -ENOSPC;
	if (a->max_per_impi && reg_auth_count_impi(a, tmpl->impi) >= a->max_per_impi)
		return -EDQUOT;
	if (reg_htab_find(&a->by_nonce, tmpl->nonce))
		return -EEXIST;
	ch = malloc(sizeof *ch);
	if (!ch)
		return -ENOMEM;
	*ch = *tmpl;
	ch->prev = ch->next = NULL;
	ch->impi = strdup(tmpl->impi);
	ch->impu = strdup(tmpl->impu);
	if (!ch->impi || !ch->impu) {
		challenge_free(ch);
		return -ENOMEM;
	}
	ch->expires = now + a->timeout;
	rc = impi_inc(a, ch->impi);
	if (rc < 0) {
		challenge_free(ch);
		return rc;
	}
	rc = reg_htab_insert(&a->by_nonce, ch->nonce, ch);
	if (rc < 0) {
		impi_dec(a, ch->impi);
		challenge_free(ch);
		return rc;
	}
	ch->prev = a->tail;
	if (a->tail)
		a->tail->next = ch;
	else
		a->head = ch;
	a->tail = ch;
	a->count++;
	if (out)
		*out = ch;
	return 0;
}

struct reg_challenge *reg_auth_find(const struct reg_auth *a, const char *nonce)
{
	return nonce ? reg_htab_find(&a->by_nonce, nonce) : NULL;
}

size_t reg_auth_expire(struct reg_auth *a, int64_t now,
		       void (*timeout)(void *ctx, const struct reg_challenge *ch), void *ctx)
{
	size_t n = 0;

	/* Same timeout for all: creation order is expiry order. */
	while (a->head && a->head->expires <= now) {
		if (timeout)
			timeout(ctx, a->head);
		reg_auth_remove(a, a->head);
		n++;
	}
	return n;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

int reg_auth_verify(const struct reg_challenge *ch, const struct sip_auth_credentials *cr,
		    const char *method, const char *realm)
{
	struct digest_request rq = { .alg = DIGEST_MD5 };
	char ha1[DIGEST_HEX_MAX];
	enum digest_alg alg;
	bool aka = false;
	int rc;

	if (empty(cr->username) || empty(cr->realm) || empty(cr->nonce) ||
	    empty(cr->response) || empty(cr->uri) || !method || !realm)
		return -EPROTO;
	if (strcmp(cr->username, ch->impi) != 0 || strcasecmp(cr->realm, realm) != 0 ||
	    strcmp(cr->nonce, ch->nonce) != 0)
		return -EPROTO;
	if (digest_alg_parse(cr->algorithm, &alg, &aka) < 0 || alg != DIGEST_MD5 ||
	    aka != (ch->scheme == REG_AUTH_AKA))
		return -EPROTO;
	/* We challenge with qop="auth" only (TS 24.229 5.4.1.2.1). */
	if (empty(cr->qop) || strcasecmp(cr->qop, "auth") != 0 || empty(cr->nc) ||
	    empty(cr->cnonce))
		return -EPROTO;
	if (ch->scheme == REG_AUTH_AKA) {
		rc = digest_aka_ha1(cr->username, cr->realm, ch->xres, ch->xres_len, ha1);
		if (rc < 0)
			return -EPROTO;
	} else {
		if (strlen(ch->ha1) != 32)
			return -EPROTO;
		memcpy(ha1, ch->ha1, sizeof ha1);
	}
	rq.method = method;
	rq.uri = cr->uri;
	rq.nonce = ch->nonce;
	rq.qop = "auth";
	rq.nc = cr->nc;
	rq.cnonce = cr->cnonce;
	rc = digest_verify(&rq, ha1, cr->response);
	OPENSSL_cleanse(ha1, sizeof ha1);
	if (rc == -EACCES)
		return -EACCES;
	return rc < 0 ? -EPROTO : 0;
}

int reg_auth_random_nonce(char *out, size_t cap)
{
	uint8_t rnd[16];

	if (RAND_bytes(rnd, sizeof rnd) != 1)
		return -EIO;
	return digest_base64_encode(rnd, sizeof rnd, out, cap);
}
