/*
 * THIG header rewrites: see thig.h. Every rewrite of a list header works
 * on its text: the entries are printed one by one, the new list is joined
 * and parsed again, and the old entries are removed. That keeps the order
 * exact whatever sofia's insert rules for the header class are.
 */
#include "thig.h"
#include "thig_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_string.h>

#include "ims/log.h"

/* Big enough for a token of THIG_PLAIN_MAX plain bytes. */
#define TOKEN_MAX ((THIG_PLAIN_MAX + 28) * 4 / 3 + 8)

struct text {
	char buf[THIG_PLAIN_MAX + 1];
	size_t len;
	bool overflow;
};

static void text_add(struct text *t, const char *s)
{
	size_t n = strlen(s) + (t->len ? 2 : 0);

	if (t->overflow || t->len + n > THIG_PLAIN_MAX) {
		t->overflow = true;
		return;
	}
	t->len += (size_t)snprintf(t->buf + t->len, sizeof t->buf - t->len, "%s%s",
				   t->len ? ", " : "", s);
}

/* One list element as text. Not sip_header_as_string(): sofia 1.12.11
 * cuts a Via there after a long parameter (seen with our token). */
static void text_add_header(struct text *t, const msg_header_t *h)
{
	static char one[THIG_PLAIN_MAX + 1];
	issize_t n = msg_header_field_e(one, sizeof one, h, 0);

	if (n < 0 || (size_t)n >= sizeof one) {
		t->overflow = true;
		return;
	}
	one[n] = '\0';
	text_add(t, one);
}

/* Replace every header of *slot's list by the parsed value (NULL: none). */
static int list_replace(msg_t *msg, msg_hclass_t *hc, msg_header_t **slot, const char *value)
{
	sip_t *sip = sip_object(msg);
	msg_header_t *h = NULL;

	if (value && value[0]) {
		h = msg_header_make(msg_home(msg), hc, value);
		if (!h)
			return -EBADMSG;
	}
	while (*slot)
		msg_header_remove(msg, (msg_pub_t *)sip, *slot);
	if (h && msg_header_insert(msg, (msg_pub_t *)sip, h) < 0)
		return -ENOMEM;
	return 0;
}

static bool has_token(const url_t *u)
{
	return u && u->url_params && url_has_param(u, THIG_PARAM);
}

/* Token of a URI's thig parameter into buf; -EBADMSG if absent/too long. */
static int url_token(const url_t *u, char *buf, size_t cap)
{
	isize_t n = url_param(u->url_params, THIG_PARAM, buf, (isize_t)cap);

	return n > 0 && (size_t)n < cap ? 0 : -EBADMSG;
}

/* "<sip:hostport;lr;thig=TOKEN>" of the entries in text (kind Route). */
static int sealed_entry(struct thig *t, const struct text *x, char *out, size_t cap)
{
	static char token[TOKEN_MAX];
	int rc;

	if (x->overflow)
		return -E2BIG;
	rc = thig_seal(t, THIG_ROUTE, x->buf, x->len, token, sizeof token);
	if (rc < 0)
		return rc;
	rc = snprintf(out, cap, "<sip:%s;lr;%s=%s>", t->hostport, THIG_PARAM, token);
	return rc < 0 || (size_t)rc >= cap ? -ENOSPC : 0;
}

int thig_restore_route(struct thig *t, msg_t *msg)
{
	sip_t *sip = sip_object(msg);
	static char token[TOKEN_MAX];
	struct text x = { .len = 0 };
	sip_route_t *r;
	int rc;

	if (!sip->sip_route || !has_token(sip->sip_route->r_url) ||
	    !t->is_me(t->is_me_ctx, sip->sip_route->r_url))
		return 0;
	if (url_token(sip->sip_route->r_url, token, sizeof token) < 0)
		return -EBADMSG;
	rc = thig_open(t, THIG_ROUTE, token, x.buf, sizeof x.buf);
	if (rc < 0)
		return -EBADMSG;
	x.len = strlen(x.buf);
	for (r = sip->sip_route->r_next; r; r = r->r_next)
		text_add_header(&x, (msg_header_t *)r);
	if (x.overflow)
		return -E2BIG;
	rc = list_replace(msg, sip_route_class, (msg_header_t **)&sip->sip_route, x.buf);
	return rc < 0 ? rc : 1;
}

static int prepend_own(struct thig *t, msg_t *msg, msg_hclass_t *hc, msg_header_t **slot)
{
	struct text x = { .len = 0 };
	char own[400];
	const msg_header_t *h;

	snprintf(own, sizeof own, "<sip:%s;lr>", t->hostport);
	text_add(&x, own);
	for (h = *slot; h; h = h->sh_next)
		text_add_header(&x, h);
	if (x.overflow)
		return -E2BIG;
	return list_replace(msg, hc, slot, x.buf);
}

int thig_add_record_route(struct thig *t, msg_t *msg)
{
	sip_t *sip = sip_object(msg);

	return prepend_own(t, msg, sip_record_route_class, (msg_header_t **)&sip->sip_record_route);
}

int thig_add_path(struct thig *t, msg_t *msg)
{
	sip_t *sip = sip_object(msg);

	return prepend_own(t, msg, sip_path_class, (msg_header_t **)&sip->sip_path);
}

/* Record-Route of a response going out: the entries above our clear one
 * were added inside (downstream); the holder outside routes them after us
 * in reverse order (RFC 3261 12.1.2), so they are sealed reversed. */
static int hide_response_rr(struct thig *t, msg_t *msg)
{
	sip_t *sip = sip_object(msg);
	const sip_record_route_t *r, *mine = NULL;
	const sip_record_route_t *above[64];
	struct text hidden = { .len = 0 }, all = { .len = 0 };
	char own[TOKEN_MAX + 400];
	size_t n = 0;
	int rc;

	for (r = sip->sip_record_route; r; r = r->r_next) {
		if (!has_token(r->r_url) && t->is_me(t->is_me_ctx, r->r_url)) {
			mine = r;
			break;
		}
		if (n == sizeof above / sizeof above[0])
			return -E2BIG;
		above[n++] = r;
	}
	if (!mine || n == 0)
		return 0;
	while (n > 0)
		text_add_header(&hidden, (const msg_header_t *)above[--n]);
	rc = sealed_entry(t, &hidden, own, sizeof own);
	if (rc < 0)
		return rc;
	text_add(&all, own);
	for (r = mine->r_next; r; r = r->r_next)
		text_add_header(&all, (const msg_header_t *)r);
	if (all.overflow)
		return -E2BIG;
	return list_replace(msg, sip_record_route_class, (msg_header_t **)&sip->sip_record_route,
			    all.buf);
}

/* Service-Route of a 2xx to REGISTER going out (RFC 3608): the UE's
 * P-CSCF will route originating requests through us with it. */
static int hide_service_route(struct thig *t, msg_t *msg)
{
	sip_t *sip = sip_object(msg);
	const sip_service_route_t *r;
	struct text hidden = { .len = 0 };
	char own[TOKEN_MAX + 400];
	int rc;

	if (!sip->sip_service_route || !sip->sip_cseq ||
	    sip->sip_cseq->cs_method != sip_method_register)
		return 0;
	for (r = sip->sip_service_route; r; r = r->r_next)
		text_add_header(&hidden, (const msg_header_t *)r);
	rc = sealed_entry(t, &hidden, own, sizeof own);
	if (rc < 0)
		return rc;
	return list_replace(msg, sip_service_route_class, (msg_header_t **)&sip->sip_service_route,
			    own);
}

int thig_hide_response(struct thig *t, msg_t *msg)
{
	int rc = hide_response_rr(t, msg);

	if (rc < 0)
		return rc;
	return hide_service_route(t, msg);
}

static int hide_via(struct thig *t, msg_t *msg)
{
	sip_t *sip = sip_object(msg);
	static char token[TOKEN_MAX];
	struct text x = { .len = 0 };
	char own[TOKEN_MAX + 400];
	const sip_via_t *v;
	uint8_t rnd[8];
	int rc;

	if (!sip->sip_via)
		return 0;
	for (v = sip->sip_via; v; v = v->v_next)
		text_add_header(&x, (const msg_header_t *)v);
	if (x.overflow)
		return -E2BIG;
	rc = thig_seal(t, THIG_VIA, x.buf, x.len, token, sizeof token);
	if (rc < 0)
		return rc;
	if (RAND_bytes(rnd, sizeof rnd) != 1)
		return -EIO;
	/* A branch of our own (RFC 3261 8.1.1.7 magic cookie): the original
	 * ones would tell the other side about the home network's nodes. */
	rc = snprintf(own, sizeof own,
		      "SIP/2.0/UDP %s;branch=z9hG4bK%02x%02x%02x%02x%02x%02x%02x%02x;%s=%s",
		      t->hostport, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7],
		      THIG_PARAM, token);
	if (rc < 0 || (size_t)rc >= sizeof own)
		return -ENOSPC;
	return list_replace(msg, sip_via_class, (msg_header_t **)&sip->sip_via, own);
}

static int hide_request_rr(struct thig *t, msg_t *msg)
{
	sip_t *sip = sip_object(msg);
	const sip_record_route_t *r;
	struct text hidden = { .len = 0 };
	char own[TOKEN_MAX + 400];
	int rc;

	if (!sip->sip_record_route)
		return 0;
	/* RR order is the order the peer outside routes them after us
	 * (RFC 3261 12.1.1: the UAS keeps the Record-Route order). */
	for (r = sip->sip_record_route; r; r = r->r_next)
		text_add_header(&hidden, (const msg_header_t *)r);
	rc = sealed_entry(t, &hidden, own, sizeof own);
	if (rc < 0)
		return rc;
	return list_replace(msg, sip_record_route_class, (msg_header_t **)&sip->sip_record_route,
			    own);
}

int thig_hide_request(struct thig *t, msg_t *msg, bool initial)
{
	int rc = hide_via(t, msg);

	if (rc < 0 || !initial)
		return rc;
	return hide_request_rr(t, msg);
}

static int restore_via(struct thig *t, msg_t *msg)
{
	sip_t *sip = sip_object(msg);
	static char token[TOKEN_MAX];
	struct text x = { .len = 0 };
	const sip_via_t *v = sip->sip_via;
	const char *p;
	size_t n;

	if (!v || !v->v_params || !(p = msg_params_find(v->v_params, THIG_PARAM "=")))
		return 0;
	n = strlen(p);
	if (n >= sizeof token)
		return -EBADMSG;
	memcpy(token, p, n + 1);
	if (thig_open(t, THIG_VIA, token, x.buf, sizeof x.buf) < 0)
		return -EBADMSG;
	x.len = strlen(x.buf);
	for (v = v->v_next; v; v = v->v_next)
		text_add_header(&x, (const msg_header_t *)v);
	if (x.overflow)
		return -E2BIG;
	return list_replace(msg, sip_via_class, (msg_header_t **)&sip->sip_via, x.buf) < 0 ?
		       -EBADMSG : 1;
}

/* Record-Route of a response coming back in: our tokened entry becomes
 * our clear entry followed by the entries it hid. */
static int restore_rr(struct thig *t, msg_t *msg)
{
	sip_t *sip = sip_object(msg);
	static char token[TOKEN_MAX];
	static struct text plain;
	struct text all = { .len = 0 };
	const sip_record_route_t *r;
	char own[400];
	int found = 0;

	for (r = sip->sip_record_route; r; r = r->r_next) {
		if (!found && has_token(r->r_url) && t->is_me(t->is_me_ctx, r->r_url)) {
			if (url_token(r->r_url, token, sizeof token) < 0 ||
			    thig_open(t, THIG_ROUTE, token, plain.buf, sizeof plain.buf) < 0)
				return -EBADMSG;
			snprintf(own, sizeof own, "<sip:%s;lr>", t->hostport);
			text_add(&all, own);
			if (plain.buf[0])
				text_add(&all, plain.buf);
			found = 1;
			continue;
		}
		text_add_header(&all, (const msg_header_t *)r);
	}
	if (!found)
		return 0;
	if (all.overflow)
		return -E2BIG;
	return list_replace(msg, sip_record_route_class, (msg_header_t **)&sip->sip_record_route,
			    all.buf) < 0 ? -EBADMSG : 1;
}

int thig_restore_response(struct thig *t, msg_t *msg)
{
	int rv = restore_via(t, msg), rr;

	if (rv < 0)
		return rv;
	rr = restore_rr(t, msg);
	if (rr < 0)
		return rr;
	return rv || rr;
}

bool thig_route_token(struct thig *t, const sip_t *sip)
{
	return sip->sip_route && has_token(sip->sip_route->r_url) &&
	       t->is_me(t->is_me_ctx, sip->sip_route->r_url);
}
