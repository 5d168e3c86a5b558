/*
 * ifc_eval: does a request match an iFC's trigger point (TS 29.228 B.2.2,
 * Annex F; TS 23.218 6.4), and the walk over a profile in priority order.
 * Read-only on the compiled profile; the only allocation is a copy of the
 * SDP body for SessionDescription SPTs.
 */
#include "ifc_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define IFC_MAX_SDP (64 * 1024)  /* SDP bytes looked at */

static bool regex_ok(const struct ifc_spt *s, const char *text)
{
	return regexec(&s->re, text, 0, NULL, 0) == 0;
}

/* Method, and for REGISTER the RegistrationType list (Annex F): no list
 * means any REGISTER; a list outside REGISTER is ignored. */
static bool match_method(const struct ifc_spt *s, const struct ifc_request *req)
{
	if (!req->method || strcmp(req->method, s->name) != 0)
		return false;
	if (s->reg_types == 0 || strcmp(s->name, "REGISTER") != 0)
		return true;
	return (req->reg_type & s->reg_types) != 0;
}

/* Header present (no Content) or one instance's value matches Content. */
static bool match_header(const struct ifc_spt *s, const struct ifc_request *req)
{
	char canon[128];

	for (size_t i = 0; req->headers && i < req->n_headers; i++) {
		const struct ifc_header *h = &req->headers[i];

		if (!h->name || !ifc_header_canon(h->name, canon, sizeof canon) ||
		    strcmp(canon, s->name) != 0)
			continue;
		if (!s->has_regex || (h->value && regex_ok(s, h->value)))
			return true;
	}
	return false;
}

/* One SDP line "<type>=<value>" (RFC 4566 5): Line names the type,
 * Content is matched against the value. */
static bool match_sdp_line(const struct ifc_spt *s, char *line)
{
	size_t tlen = strlen(s->name);

	if (strncmp(line, s->name, tlen) != 0 || line[tlen] != '=')
		return false;
	return !s->has_regex || regex_ok(s, line + tlen + 1);
}

static bool match_sdp(const struct ifc_spt *s, const struct ifc_request *req)
{
	const char *sdp;
	char *copy, *line, *save = NULL;
	bool hit = false;
	size_t len;

	if (!ifc_body_sdp(req, &sdp, &len) || len == 0)
		return false;
	if (len > IFC_MAX_SDP)
		len = IFC_MAX_SDP;
	if (!(copy = malloc(len + 1)))
		return false; /* out of memory: this SPT does not match */
	memcpy(copy, sdp, len);
	copy[len] = '\0';
	for (line = strtok_r(copy, "\r\n", &save); line && !hit; line = strtok_r(NULL, "\r\n", &save))
		hit = match_sdp_line(s, line);
	free(copy);
	return hit;
}

static bool spt_value(const struct ifc_spt *s, const struct ifc_request *req,
		      enum ifc_session_case sc)
{
	bool hit = false;

	if (s->broken)
		return false; /* never matches, negated or not */
	switch (s->kind) {
	case IFC_SPT_METHOD:
		hit = match_method(s, req);
		break;
	case IFC_SPT_REQUEST_URI:
		hit = req->request_uri && regex_ok(s, req->request_uri);
		break;
	case IFC_SPT_SIP_HEADER:
		hit = match_header(s, req);
		break;
	case IFC_SPT_SESSION_CASE:
		hit = (int)sc == s->session_case;
		break;
	case IFC_SPT_SESSION_DESCRIPTION:
		hit = match_sdp(s, req);
		break;
	}
	return hit != s->negated;
}

struct spt_cache {
	const struct ifc_filter_c *f;
	const struct ifc_request *req;
	enum ifc_session_case sc;
	signed char v[IFC_MAX_SPTS];  /* -1 not yet evaluated */
};

static bool cached(struct spt_cache *c, unsigned i)
{
	if (c->v[i] < 0)
		c->v[i] = spt_value(&c->f->spts[i], c->req, c->sc);
	return c->v[i] == 1;
}

static bool in_group(const struct ifc_spt *s, int g)
{
	for (unsigned k = 0; k < s->n_groups; k++) {
		if (s->groups[k] == g)
			return true;
	}
	return false;
}

/*
 * B.2.2 ConditionTypeCNF: 1 = conjunctive normal form, the trigger is the
 * AND of the groups and each group the OR of its SPTs; 0 = disjunctive,
 * the OR of the groups, each the AND of its SPTs. An SPT in several
 * groups takes part in each.
 */
static bool trigger_matches(const struct ifc_filter_c *f, const struct ifc_request *req,
			    enum ifc_session_case sc)
{
	struct spt_cache c = { .f = f, .req = req, .sc = sc };

	if (!f->pub.has_trigger)
		return true; /* no TriggerPoint: always (B.2.2) */
	memset(c.v, -1, sizeof c.v);
	for (unsigned g = 0; g < f->n_groups; g++) {
		bool group = !f->cnf; /* OR starts false, AND starts true */

		for (unsigned i = 0; i < f->n_spts; i++) {
			if (!in_group(&f->spts[i], f->groups[g]))
				continue;
			if (cached(&c, i) == f->cnf) {
				group = f->cnf;
				break;
			}
		}
		if (f->cnf && !group)
			return false;
		if (!f->cnf && group)
			return true;
	}
	return f->cnf;
}

static bool part_applies(const struct ifc_filter *f, enum ifc_user_state st)
{
	if (f->part == IFC_PART_REGISTERED)
		return st == IFC_USER_REGISTERED;
	if (f->part == IFC_PART_UNREGISTERED)
		return st == IFC_USER_UNREGISTERED;
	return true;
}

int ifc_next(const struct ifc_profile *p, const struct ifc_request *req,
	     const struct ifc_context *ctx, int after, const struct ifc_filter **out)
{
	if (!p || !req || !ctx || !out || after < IFC_START)
		return -EINVAL;
	*out = NULL;
	for (size_t i = (size_t)(after + 1); i < p->n_filters; i++) {
		const struct ifc_filter_c *f = &p->filters[i];

		if (part_applies(&f->pub, ctx->user_state) &&
		    trigger_matches(f, req, ctx->session_case)) {
			*out = &f->pub;
			return (int)i;
		}
	}
	return -ENOENT;
}

int ifc_position_after_priority(const struct ifc_profile *p, int priority)
{
	int pos = IFC_START;

	for (size_t i = 0; p && i < p->n_filters && p->filters[i].pub.priority <= priority; i++)
		pos = (int)i;
	return pos;
}

int ifc_trigger_matches(const struct ifc_profile *p, size_t pos,
			const struct ifc_request *req, enum ifc_session_case sc)
{
	if (!p || !req || pos >= p->n_filters)
		return -EINVAL;
	return trigger_matches(&p->filters[pos], req, sc) ? 1 : 0;
}
