/*
 * The edge of the trust domain at the I-CSCF: what happens to a request
 * or response as it crosses it (TS 24.229 4.4, 5.3.2.1; THIG, TS 23.228
 * 4.14). trust.c says who is inside and which headers go; thig.c hides
 * and restores entries. The request handlers call icscf_edge_in on every
 * request copy they forward, icscf_edge_out when the next hop is known,
 * and icscf_edge_response on each response they relay.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_util.h>

#include "icscf_node.h"

static bool is_me_cb(void *ctx, const url_t *url)
{
	return icscf_is_me(ctx, url);
}

/* "sip:host:port;..." or "host:port" -> host (brackets kept for IPv6). */
static void hop_host(const char *hop, char *out, size_t cap)
{
	const char *p = hop, *e;

	if (!strncasecmp(p, "sips:", 5))
		p += 5;
	else if (!strncasecmp(p, "sip:", 4))
		p += 4;
	if (strchr(p, '@') && strchr(p, '@') < p + strcspn(p, ";>"))
		p = strchr(p, '@') + 1;
	e = *p == '[' ? strchr(p, ']') : NULL;
	e = e ? e + 1 : p + strcspn(p, ":;>");
	snprintf(out, cap, "%.*s", (int)(e - p), p);
}

int icscf_trust_build(struct icscf *n, const struct icscf_config *cfg, struct trust_table *out)
{
	const char **extra;
	char (*hosts)[SCSCF_URI_MAX];
	size_t i;
	int rc = -ENOMEM;

	extra = calloc(n->pool.n + 1, sizeof *extra);
	hosts = calloc(n->pool.n + 1, sizeof *hosts);
	if (!extra || !hosts)
		goto out;
	/* The S-CSCFs are home nodes (TS 24.229 4.4.1): their addresses are
	 * trusted sources, resolved as nta will resolve them to send. */
	for (i = 0; i < n->pool.n; i++) {
		hop_host(n->pool.v[i].next_hop, hosts[i], sizeof hosts[i]);
		extra[i] = hosts[i];
	}
	rc = trust_build(out, (const char *const *)cfg->trust.networks.v, cfg->trust.networks.n,
			 extra, n->pool.n);
	if (rc < 0)
		goto out;
	/* Home domain names are ours as next hops, never looked up. */
	for (i = 0; i < cfg->domains.n && rc == 0; i++)
		rc = trust_add_name(out, cfg->domains.v[i]);
	if (rc == 0 && cfg->domains.n == 0)
		rc = trust_add_name(out, cfg->diameter.realm);
	if (rc < 0)
		trust_free(out);
out:
	free(extra);
	free(hosts);
	return rc;
}

int icscf_thig_start(struct icscf *n)
{
	const struct icscf_thig_config *c = &n->cfg->thig;
	uint8_t key[THIG_KEY_LEN];
	const uint8_t *k = key;
	int rc = 0;

	if (!c->enabled)
		return 0;
	if (c->key_file && c->key_file[0]) {
		rc = thig_key_load(c->key_file, key);
		if (rc < 0)
			log_err("thig.key_file %s: %s", c->key_file,
				rc == -EINVAL ? "expected 64 hex digits or 32 bytes" : strerror(-rc));
	} else if (c->key && c->key[0]) {
		rc = thig_key_parse_hex(c->key, key);
	} else {
		log_warn("THIG without a key: a random one, tokens do not survive a restart");
		k = NULL;
	}
	if (rc == 0)
		rc = thig_create(k, sipagent_hostport(n->sip), is_me_cb, n, &n->thig);
	explicit_bzero(key, sizeof key);
	if (rc == 0)
		log_notice("THIG on: topology hidden from outside the trust domain");
	return rc;
}

bool icscf_dialog_creating(const sip_t *sip)
{
	sip_method_t m = sip->sip_request->rq_method;

	return (!sip->sip_to || !sip->sip_to->a_tag) &&
	       (m == sip_method_invite || m == sip_method_subscribe || m == sip_method_refer);
}

int icscf_edge_in(struct icscf *n, msg_t *req, struct icscf_edge *e)
{
	sip_t *sip = sip_object(req);
	int rc, removed;

	if (n->thig) {
		rc = thig_restore_route(n->thig, req);
		if (rc < 0) {
			log_warn("%s %s from %s side: THIG token refused (forged or stale)",
				 sip->sip_request->rq_method_name,
				 sip->sip_call_id ? sip->sip_call_id->i_id : "-",
				 e->src_untrusted ? "untrusted" : "trusted");
			return -EBADMSG;
		}
	}
	if (!e->src_untrusted)
		return 0;
	removed = trust_strip_inbound(req);
	if (removed)
		log_info("%s %s: from outside the trust domain, %d header(s) removed",
			 sip->sip_request->rq_method_name,
			 sip->sip_call_id ? sip->sip_call_id->i_id : "-", removed);
	if (!n->thig)
		return 0;
	e->hide = true;
	if (sip->sip_request->rq_method == sip_method_register) {
		/* RFC 3327 5.1: no Path toward a UA that does not support it. */
		if (!sip->sip_path && !sip_has_supported(sip->sip_supported, "path")) {
			log_notice("REGISTER %s: no Path support, THIG cannot stay on its route",
				   sip->sip_call_id ? sip->sip_call_id->i_id : "-");
			return 0;
		}
		return thig_add_path(n->thig, req);
	}
	if (icscf_dialog_creating(sip))
		return thig_add_record_route(n->thig, req);
	return 0;
}

int icscf_edge_out(struct icscf *n, msg_t *req, struct icscf_edge *e)
{
	sip_t *sip = sip_object(req);
	const url_t *hop = sip->sip_route ? sip->sip_route->r_url : sip->sip_request->rq_url;
	int rc;

	if (e->src_untrusted || trust_host(&n->trust, hop->url_host))
		return 0;
	trust_strip_outbound(req);
	if (!n->thig)
		return 0;
	rc = thig_hide_request(n->thig, req, icscf_dialog_creating(sip));
	if (rc == 0)
		e->restore = true;
	return rc;
}

void icscf_edge_response(struct icscf *n, msg_t *resp, const struct icscf_edge *e)
{
	if (!resp)
		return;
	if (e->restore && n->thig && thig_restore_response(n->thig, resp) < 0)
		/* nta answers through the server transaction whatever the
		 * Via says; the entries hidden in the token are lost. */
		log_warn("THIG: a response came back with a token we cannot open");
	if (!e->src_untrusted)
		return;
	if (e->hide && n->thig && thig_hide_response(n->thig, resp) < 0)
		log_warn("THIG: could not hide the entries of a response");
	trust_strip_outbound(resp);
}

/* sipproxy callbacks for requests forwarded without a job (ctx = node). */
static enum sipproxy_verdict relay_out(void *ctx, struct sipproxy_tx *tx, msg_t *resp, sip_t *sip)
{
	struct icscf *n = ctx;
	struct icscf_edge e = { .src_untrusted = true, .hide = n->thig != NULL };

	(void)tx;
	(void)sip;
	icscf_edge_response(n, resp, &e);
	return SIPPROXY_RELAY;
}

static enum sipproxy_verdict relay_in(void *ctx, struct sipproxy_tx *tx, msg_t *resp, sip_t *sip)
{
	struct icscf *n = ctx;
	struct icscf_edge e = { .restore = true };

	(void)tx;
	(void)sip;
	icscf_edge_response(n, resp, &e);
	return SIPPROXY_RELAY;
}

sipproxy_response_fn icscf_edge_relay_fn(const struct icscf_edge *e)
{
	if (e->src_untrusted)
		return relay_out;
	return e->restore ? relay_in : NULL;
}
