/* scscf_pool: see scscf_pool.h for the contract. */
#include "scscf_pool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int scscf_pool_build(struct scscf_pool *pool, const struct icscf_pool_config *cfg)
{
	const struct icscf_scscf_config *sc = cfg->servers.items;
	size_t i;
	int rc = 0;

	pool->v = NULL;
	pool->n = 0;
	if (cfg->servers.n == 0)
		return 0;
	pool->v = calloc(cfg->servers.n, sizeof *pool->v);
	if (!pool->v)
		return -ENOMEM;
	for (i = 0; i < cfg->servers.n; i++) {
		struct scscf_entry *e = &pool->v[i];
		const char *addr = sc[i].address ? sc[i].address : sc[i].name;
		bool has_scheme = !strncasecmp(addr, "sip:", 4) || !strncasecmp(addr, "sips:", 5);
		int w1, w2;

		w1 = snprintf(e->name, sizeof e->name, "%s", sc[i].name);
		w2 = snprintf(e->next_hop, sizeof e->next_hop, "%s%s", has_scheme ? "" : "sip:", addr);
		if (w1 < 0 || w2 < 0 || (size_t)w1 >= sizeof e->name ||
		    (size_t)w2 >= sizeof e->next_hop) {
			rc = -EINVAL;
			goto out;
		}
		rc = icscf_caps_parse(&sc[i].mandatory, e->mand, SCSCF_CAPS_MAX, &e->n_mand);
		if (rc == 0)
			rc = icscf_caps_parse(&sc[i].optional, e->opt, SCSCF_CAPS_MAX, &e->n_opt);
		if (rc < 0)
			goto out;
		e->weight = (unsigned)sc[i].weight;
		e->healthy = true;
	}
	pool->n = cfg->servers.n;
out:
	if (rc < 0) {
		log_err("scscf.servers[%zu]: URI longer than %d or more than %d capabilities", i,
			SCSCF_URI_MAX - 1, SCSCF_CAPS_MAX);
		free(pool->v);
		pool->v = NULL;
	}
	return rc;
}

void scscf_pool_inherit(struct scscf_pool *pool, const struct scscf_pool *old)
{
	size_t i;

	for (i = 0; i < pool->n; i++) {
		const struct scscf_entry *o = scscf_pool_find(old, pool->v[i].name);

		if (o)
			pool->v[i].healthy = o->healthy;
	}
}

void scscf_pool_free(struct scscf_pool *pool)
{
	free(pool->v);
	pool->v = NULL;
	pool->n = 0;
}

/* host and port of a SIP URI (or host:port), loosely: userinfo, params and
 * angle brackets ignored; port 0 when absent. */
static void uri_hostport(const char *s, char *host, size_t hlen, unsigned *port)
{
	const char *p = s, *at, *end;
	size_t n;

	*port = 0;
	if (*p == '<')
		p++;
	if (!strncasecmp(p, "sips:", 5))
		p += 5;
	else if (!strncasecmp(p, "sip:", 4))
		p += 4;
	end = p + strcspn(p, ";>?");
	at = memchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));
		n = rb ? (size_t)(rb - p + 1) : (size_t)(end - p);
	} else {
		n = strcspn(p, ":;>?");
		if (p + n > end)
			n = (size_t)(end - p);
	}
	if (n >= hlen)
		n = hlen - 1;
	memcpy(host, p, n);
	host[n] = '\0';
	if (p[n] == ':')
		*port = (unsigned)strtoul(p + n + 1, NULL, 10);
}

bool scscf_uri_equal(const char *a, const char *b)
{
	char ha[SCSCF_URI_MAX], hb[SCSCF_URI_MAX];
	unsigned pa, pb;

	if (!a || !b)
		return false;
	uri_hostport(a, ha, sizeof ha, &pa);
	uri_hostport(b, hb, sizeof hb, &pb);
	/* An absent port means the default (RFC 3263 would resolve it). */
	if (!pa)
		pa = 5060;
	if (!pb)
		pb = 5060;
	return pa == pb && !strcasecmp(ha, hb);
}

struct scscf_entry *scscf_pool_find(const struct scscf_pool *pool, const char *uri)
{
	size_t i;

	for (i = 0; i < pool->n; i++)
		if (scscf_uri_equal(pool->v[i].name, uri))
			return &pool->v[i];
	for (i = 0; i < pool->n; i++)
		if (scscf_uri_equal(pool->v[i].next_hop, uri))
			return &pool->v[i];
	return NULL;
}

void scscf_pool_set_health(struct scscf_pool *pool, const char *uri, bool healthy)
{
	struct scscf_entry *e = scscf_pool_find(pool, uri);

	if (e && e->healthy != healthy) {
		e->healthy = healthy;
		if (healthy)
			log_notice("S-CSCF %s is up again", e->name);
		else
			log_warn("S-CSCF %s is down", e->name);
	}
}

static bool has_cap(const uint32_t *v, size_t n, uint32_t cap)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == cap)
			return true;
	return false;
}

static bool excluded(const char *name, const char *const *exclude, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (scscf_uri_equal(name, exclude[i]))
			return true;
	return false;
}

static bool named(const struct scscf_caps *caps, const char *name)
{
	size_t i;

	for (i = 0; i < caps->n_names; i++)
		if (scscf_uri_equal(caps->names[i], name))
			return true;
	return false;
}

/* -1: not a candidate; else the number of optional capabilities matched
 * (an S-CSCF's mandatory list counts too: it offers those as well). */
static int score(const struct scscf_entry *e, const struct scscf_caps *caps)
{
	size_t i;
	int s = 0;

	if (caps->n_names)
		return named(caps, e->name) ? 0 : -1;
	for (i = 0; i < caps->n_mand; i++)
		if (!has_cap(e->mand, e->n_mand, caps->mand[i]) &&
		    !has_cap(e->opt, e->n_opt, caps->mand[i]))
			return -1;
	for (i = 0; i < caps->n_opt; i++)
		if (has_cap(e->mand, e->n_mand, caps->opt[i]) ||
		    has_cap(e->opt, e->n_opt, caps->opt[i]))
			s++;
	return s;
}

int scscf_select(const struct scscf_pool *pool, const struct scscf_caps *caps,
		 const char *const *exclude, size_t n_exclude, uint32_t rnd,
		 const char **named_out)
{
	int best = -1, sc, idx = -ENOENT;
	bool best_healthy = false;
	unsigned long total = 0, n_equal = 0, pick;
	size_t i;

	if (named_out)
		*named_out = NULL;
	/* Pass 1: the best (healthy, score) pair among candidates. */
	for (i = 0; i < pool->n; i++) {
		const struct scscf_entry *e = &pool->v[i];

		if (excluded(e->name, exclude, n_exclude) || (sc = score(e, caps)) < 0)
			continue;
		if ((e->healthy && !best_healthy) || (e->healthy == best_healthy && sc > best)) {
			best = sc;
			best_healthy = e->healthy;
		}
	}
	if (best < 0) {
		for (i = 0; named_out && i < caps->n_names; i++) {
			if (!excluded(caps->names[i], exclude, n_exclude)) {
				*named_out = caps->names[i];
				break;
			}
		}
		return -ENOENT;
	}
	/* Pass 2: weighted random among the equals (standby only if all are). */
	for (i = 0; i < pool->n; i++) {
		const struct scscf_entry *e = &pool->v[i];

		if (excluded(e->name, exclude, n_exclude) || e->healthy != best_healthy ||
		    score(e, caps) != best)
			continue;
		total += e->weight;
		n_equal++;
	}
	pick = total ? rnd % total : rnd % n_equal;
	for (i = 0; i < pool->n; i++) {
		const struct scscf_entry *e = &pool->v[i];
		unsigned long w;

		if (excluded(e->name, exclude, n_exclude) || e->healthy != best_healthy ||
		    score(e, caps) != best)
			continue;
		w = total ? e->weight : 1;
		if (pick < w) {
			idx = (int)i;
			break;
		}
		pick -= w;
	}
	return idx;
}
