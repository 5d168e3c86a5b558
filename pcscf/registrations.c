/* registrations: see registrations.h for the contract. */
#include "registrations.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/su_alloc.h>
#include <sofia-sip/url.h>

struct reg_store {
	struct reg **bucket;
	size_t n_buckets;     /* power of two */
	size_t count, max;
};

static size_t flow_hash(const struct reg_store *s, const struct flow *f)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (const char *p = f->ip; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h = (h ^ f->port) * 16777619u;
	h = (h ^ (uint32_t)f->proto) * 16777619u;
	return h & (s->n_buckets - 1);
}

int reg_store_create(size_t max, struct reg_store **out)
{
	struct reg_store *s;
	size_t nb = 64;

	if (max == 0 || !out)
		return -EINVAL;
	while (nb < max && nb < (1u << 20))
		nb <<= 1;
	s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	s->bucket = calloc(nb, sizeof *s->bucket);
	if (!s->bucket) {
		free(s);
		return -ENOMEM;
	}
	s->n_buckets = nb;
	s->max = max;
	*out = s;
	return 0;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void reg_free(struct reg *r)
{
	free(r->impi);
	free(r->contact);
	free(r->sub_call_id);
	strv_free(r->impus, r->n_impus);
	strv_free(r->service_route, r->n_service_route);
	free(r);
}

void reg_store_destroy(struct reg_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_buckets; i++) {
		while (s->bucket[i]) {
			struct reg *r = s->bucket[i];

			s->bucket[i] = r->next;
			reg_free(r);
		}
	}
	free(s->bucket);
	free(s);
}

static int strv_dup(const char *const *in, size_t n, char ***out)
{
	char **v = n ? calloc(n, sizeof *v) : NULL;

	*out = NULL;
	if (n && !v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!in[i] || !(v[i] = strdup(in[i]))) {
			strv_free(v, i);
			return in[i] ? -ENOMEM : -EINVAL;
		}
	}
	*out = v;
	return 0;
}

static struct reg **find_slot(struct reg_store *s, const struct flow *f)
{
	struct reg **pp = &s->bucket[flow_hash(s, f)];

	while (*pp && !flow_equal(&(*pp)->flow, f))
		pp = &(*pp)->next;
	return pp;
}

bool reg_store_full(const struct reg_store *s, const struct flow *f)
{
	return s->count >= s->max && !*find_slot((struct reg_store *)s, f);
}

int reg_store_save(struct reg_store *s, const struct reg_info *info, long long now)
{
	struct reg *r, **pp;
	int rc;

	if (!s || !info || !info->contact || !*info->contact || info->n_impus == 0 ||
	    info->expires <= 0)
		return -EINVAL;
	pp = find_slot(s, &info->flow);
	if (!*pp && s->count >= s->max)
		return -ENOSPC;
	r = calloc(1, sizeof *r);
	if (!r)
		return -ENOMEM;
	r->flow = info->flow;
	r->expires_at = now + info->expires;
	rc = -ENOMEM;
	if ((info->impi && !(r->impi = strdup(info->impi))) || !(r->contact = strdup(info->contact)))
		goto out;
	rc = strv_dup(info->impus, info->n_impus, &r->impus);
	if (rc < 0)
		goto out;
	r->n_impus = info->n_impus;
	rc = strv_dup(info->service_route, info->n_service_route, &r->service_route);
	if (rc < 0)
		goto out;
	r->n_service_route = info->n_service_route;
	if (*pp) {                      /* refresh: replace in place */
		r->sub_call_id = (*pp)->sub_call_id;
		(*pp)->sub_call_id = NULL;
		r->next = (*pp)->next;
		reg_free(*pp);
	} else {
		s->count++;
	}
	*pp = r;
	return 0;
out:
	reg_free(r);
	return rc;
}

int reg_store_remove(struct reg_store *s, const struct flow *f)
{
	struct reg **pp = find_slot(s, f), *r = *pp;

	if (!r)
		return -ENOENT;
	*pp = r->next;
	reg_free(r);
	s->count--;
	return 0;
}

struct reg *reg_store_by_flow(struct reg_store *s, const struct flow *f, long long now)
{
	struct reg *r = *find_slot(s, f);

	return r && r->expires_at > now ? r : NULL;
}

static const char *port_or_default(const url_t *u)
{
	return u->url_port && *u->url_port ? u->url_port : "5060";
}

static bool contact_equal(const url_t *a, const url_t *b)
{
	return a->url_host && b->url_host && strcasecmp(a->url_host, b->url_host) == 0 &&
	       strcmp(port_or_default(a), port_or_default(b)) == 0 &&
	       strcmp(a->url_user ? a->url_user : "", b->url_user ? b->url_user : "") == 0;
}

bool reg_contact_match(const char *a, const char *b)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	url_t *ua = a ? url_hdup(home, URL_STRING_MAKE(a)->us_url) : NULL;
	url_t *ub = b ? url_hdup(home, URL_STRING_MAKE(b)->us_url) : NULL;
	bool eq = ua && ub && contact_equal(ua, ub);

	su_home_deinit(home);
	return eq;
}

struct reg *reg_store_by_contact(struct reg_store *s, const char *uri, long long now)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	struct reg *found = NULL;
	url_t *want = uri ? url_hdup(home, URL_STRING_MAKE(uri)->us_url) : NULL;

	if (!want)
		goto out;
	for (size_t i = 0; i < s->n_buckets && !found; i++) {
		for (struct reg *r = s->bucket[i]; r && !found; r = r->next) {
			url_t *have;

			if (r->expires_at <= now)
				continue;
			have = url_hdup(home, URL_STRING_MAKE(r->contact)->us_url);
			if (have && contact_equal(want, have))
				found = r;
		}
	}
out:
	su_home_deinit(home);
	return found;
}

bool reg_has_impu(const struct reg *r, const char *uri)
{
	for (size_t i = 0; r && uri && i < r->n_impus; i++)
		if (strcasecmp(r->impus[i], uri) == 0)
			return true;
	return false;
}

struct reg *reg_store_by_impu(struct reg_store *s, const char *impu, long long now)
{
	for (size_t i = 0; i < s->n_buckets; i++)
		for (struct reg *r = s->bucket[i]; r; r = r->next)
			if (r->expires_at > now && reg_has_impu(r, impu))
				return r;
	return NULL;
}

int reg_set_subscription(struct reg *r, const char *call_id)
{
	char *dup = call_id ? strdup(call_id) : NULL;

	if (call_id && !dup)
		return -ENOMEM;
	free(r->sub_call_id);
	r->sub_call_id = dup;
	return 0;
}

struct reg *reg_store_by_subscription(struct reg_store *s, const char *call_id, long long now)
{
	for (size_t i = 0; call_id && i < s->n_buckets; i++)
		for (struct reg *r = s->bucket[i]; r; r = r->next)
			if (r->expires_at > now && r->sub_call_id &&
			    strcmp(r->sub_call_id, call_id) == 0)
				return r;
	return NULL;
}

size_t reg_store_expire(struct reg_store *s, long long now)
{
	size_t dropped = 0;

	for (size_t i = 0; i < s->n_buckets; i++) {
		struct reg **pp = &s->bucket[i];

		while (*pp) {
			struct reg *r = *pp;

			if (r->expires_at > now) {
				pp = &r->next;
				continue;
			}
			*pp = r->next;
			reg_free(r);
			s->count--;
			dropped++;
		}
	}
	return dropped;
}

size_t reg_store_count(const struct reg_store *s)
{
	return s->count;
}
