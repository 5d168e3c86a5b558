/*
 * register: relay of REGISTER from a UE to the I-CSCF and of its answers
 * back (TS 24.229 5.2.2.1, RFC 3327 Path, RFC 3608 Service-Route).
 *
 * Toward the core: Path with our flow token, Require/Supported: path,
 * P-Visited-Network-ID, a fresh P-Charging-Vector, Authorization with
 * integrity-protected="no" (no IPsec yet; anything the UE put is replaced).
 * From the core: a 401's ck/ik are kept per IMPI and removed before the
 * UE sees them; a 2xx stores (or, for Expires 0, removes) the registration.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_alloc.h>

#include "ims/sip.h"

#include "identity.h"
#include "pcscf.h"

/* What the response callback needs to know about the request. */
struct reg_tx {
	struct pcscf *n;
	struct flow src;
	char *impi;
	char *contact;    /* first Contact URI of the request, NULL if none/"*" */
	bool dereg;       /* Expires 0 (RFC 3261 10.2.2) */
	bool pending;     /* counted in n->reg_admit */
	long long t_sent; /* ms (monotonic), when forwarded */
};

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void reg_tx_free(struct reg_tx *t)
{
	if (t->pending)
		admit_leave(&t->n->reg_admit);
	free(t->impi);
	free(t->contact);
	free(t);
}

/* TS 24.229 5.2.2.1: Authorization gets integrity-protected="no" when no
 * security association protects the REGISTER; what the UE put is dropped. */
static int set_integrity_no(msg_t *msg, msg_auth_t *au)
{
	su_home_t *home = msg_home(msg);
	size_t n = 0, k = 0;
	msg_param_t *np;

	for (; au->au_params && au->au_params[n]; n++)
		;
	np = su_zalloc(home, (n + 2) * sizeof *np);
	if (!np)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *p = au->au_params[i];

		if (strncasecmp(p, "integrity-protected", 19) == 0 && (p[19] == '=' || !p[19]))
			continue;
		np[k++] = p;
	}
	np[k] = "integrity-protected=\"no\"";
	au->au_params = np;
	msg_fragment_clear(au->au_common);
	return 0;
}

/* IMPI: the Authorization username, else derived from the To URI
 * (TS 33.203 7.2A / TS 24.229 5.1.1.2: user@host of the public identity). */
static char *impi_of(msg_t *msg, const sip_t *sip)
{
	struct sip_auth_credentials cr;
	const url_t *to = sip->sip_to ? sip->sip_to->a_url : NULL;
	char buf[512];

	if (sip->sip_authorization &&
	    sip_auth_credentials_parse(msg, sip->sip_authorization, &cr) == 0 && cr.username)
		return strdup(cr.username);
	if (!to || !to->url_host)
		return NULL;
	snprintf(buf, sizeof buf, "%s%s%s", to->url_user ? to->url_user : "",
		 to->url_user ? "@" : "", to->url_host);
	return strdup(buf);
}

static bool request_is_dereg(const sip_t *sip)
{
	const sip_contact_t *m = sip->sip_contact;

	if (!m)                 /* a query of the bindings changes nothing */
		return false;
	if (m->m_expires)
		return strtoul(m->m_expires, NULL, 10) == 0;
	return sip->sip_expires && sip->sip_expires->ex_delta == 0;
}

static void keep_keys(struct reg_tx *t, msg_t *resp, const sip_t *sip)
{
	for (const msg_auth_t *au = sip->sip_www_authenticate; au; au = au->au_next) {
		struct sip_auth_challenge ch;

		if (sip_auth_challenge_parse(resp, au, &ch) == 0 && ch.ck && ch.ik && t->impi &&
		    key_store_put(t->n->keys, t->impi, ch.ck, ch.ik, pcscf_now()) < 0)
			log_warn("REGISTER impi=%s: cannot keep ck/ik", t->impi);
	}
	/* TS 24.229 5.2.2.1: the UE must never see ck/ik. */
	sip_auth_strip_keys(resp);
}

/* Expiry granted for our contact: its expires param in the 2xx, else the
 * Expires header, else RFC 3261's default of 3600 s. */
static long long granted_expiry(const struct reg_tx *t, msg_t *resp, const sip_t *sip)
{
	for (const sip_contact_t *m = sip->sip_contact; m; m = m->m_next) {
		char *s = url_as_string(msg_home(resp), m->m_url);

		if (s && reg_contact_match(s, t->contact) && m->m_expires)
			return strtoll(m->m_expires, NULL, 10);
	}
	if (sip->sip_expires)
		return sip->sip_expires->ex_delta;
	return 3600;
}

static void save_registration(struct reg_tx *t, msg_t *resp, const sip_t *sip)
{
	su_home_t *home = msg_home(resp);
	const char *impus[32], *routes[16];
	struct reg_info info = { .flow = t->src, .impi = t->impi, .contact = t->contact,
				 .impus = impus, .service_route = routes };
	sip_route_t const *pau = NULL;
	struct reg *reg;
	char fl[96];
	int rc;

	if (sip_hdr_p_associated_uri(resp, &pau) == 0)
		for (; pau && info.n_impus < 32; pau = pau->r_next)
			if ((impus[info.n_impus] = url_as_string(home, pau->r_url)))
				info.n_impus++;
	if (info.n_impus == 0 && sip->sip_to)   /* no P-Associated-URI: the To IMPU */
		if ((impus[0] = url_as_string(home, sip->sip_to->a_url)))
			info.n_impus = 1;
	for (const sip_route_t *r = sip->sip_service_route; r && info.n_service_route < 16;
	     r = r->r_next)
		if ((routes[info.n_service_route] = url_as_string(home, r->r_url)))
			info.n_service_route++;
	info.expires = granted_expiry(t, resp, sip);
	flow_str(&t->src, fl, sizeof fl);
	if (info.expires <= 0) {
		reg_store_remove(t->n->regs, &t->src);
		log_info("REGISTER impi=%s flow=%s: de-registered", t->impi ? t->impi : "?", fl);
		return;
	}
	rc = reg_store_save(t->n->regs, &info, pcscf_now());
	if (rc < 0) {
		log_err("REGISTER impi=%s flow=%s: cannot store registration: %s",
			t->impi ? t->impi : "?", fl, strerror(-rc));
		return;
	}
	log_info("REGISTER impi=%s impu=%s flow=%s expires=%lld routes=%zu",
		 t->impi ? t->impi : "?", info.n_impus ? impus[0] : "?", fl, info.expires,
		 info.n_service_route);
	reg = reg_store_by_flow(t->n->regs, &t->src, pcscf_now());
	/* TS 24.229 5.2.3: subscribe once per registration, not per refresh. */
	if (t->n->cfg->reg_event && reg && !reg->sub_call_id &&
	    (rc = regevent_subscribe(t->n, reg)) < 0)
		log_warn("REGISTER impi=%s: cannot subscribe to reg event: %s",
			 t->impi ? t->impi : "?", strerror(-rc));
}

static enum sipproxy_verdict on_register_response(void *ctx, struct sipproxy_tx *tx,
						  msg_t *resp, sip_t *sip)
{
	struct reg_tx *t = ctx;
	int status = sip && sip->sip_status ? sip->sip_status->st_status : 0;

	(void)tx;
	if (sip && status >= 100 && status < 200)
		return SIPPROXY_RELAY;
	if (t->pending)
		admit_sample(&t->n->reg_admit, mono_ms() - t->t_sent);
	if (status == 401) {
		keep_keys(t, resp, sip);
	} else if (status >= 200 && status < 300 && t->dereg) {
		char fl[96];

		/* RFC 3261 10.2.2: Expires 0 (or "Contact: *") removes it. */
		if (reg_store_remove(t->n->regs, &t->src) == 0)
			log_info("REGISTER impi=%s flow=%s: de-registered",
				 t->impi ? t->impi : "?", flow_str(&t->src, fl, sizeof fl));
	} else if (status >= 200 && status < 300 && t->contact) {
		save_registration(t, resp, sip);
	}
	if (sip) {
		/* TS 24.229 5.2.2.1: charging addresses stay in the network. */
		pcscf_remove_header(resp, "P-Charging-Function-Addresses");
		pcscf_remove_header(resp, "P-Charging-Vector");
	}
	reg_tx_free(t);
	return SIPPROXY_RELAY;
}

/* Header changes toward the I-CSCF (TS 24.229 5.2.2.1). */
static int prepare(struct pcscf *n, msg_t *req, const struct flow *src)
{
	sip_t *sip = sip_object(req);
	char token[FLOW_TOKEN_MAX], path[FLOW_TOKEN_MAX + 320];
	int rc;

	id_strip_untrusted(req);
	pcscf_strip_sec_agree(req);
	rc = flow_token(&n->flow_key, src, token, sizeof token);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof path, "sip:%s@%s;lr", token, sipagent_hostport(n->sip));
	if ((rc = sip_hdr_add_path(req, path)) < 0)
		return rc;
	/* RFC 3327 5: the registrar must support path for this to work. */
	if (!sip_hdr_has_option((const msg_list_t *)sip->sip_require, "path") &&
	    sip_add_tl(req, sip, SIPTAG_REQUIRE_STR("path"), TAG_END()) < 0)
		return -ENOMEM;
	if (!sip_hdr_has_option((const msg_list_t *)sip->sip_supported, "path") &&
	    sip_add_tl(req, sip, SIPTAG_SUPPORTED_STR("path"), TAG_END()) < 0)
		return -ENOMEM;
	pcscf_remove_header(req, "P-Visited-Network-ID");
	if ((rc = sip_hdr_add_visited_network_id(req, n->cfg->visited_network_id)) < 0)
		return rc;
	if ((rc = chg_set_vector(req, &n->icid, n->cfg->sip.address, n->cfg->home_network)) < 0)
		return rc;
	for (msg_auth_t *au = sip->sip_authorization; au; au = au->au_next)
		if ((rc = set_integrity_no(req, au)) < 0)
			return rc;
	return 0;
}

/* Overload control (RFC 6357 3, ims/admit.h): the REGISTERs in flight
 * toward the core are bounded (max_pending_registers), so that beyond the
 * chain's capacity the work waiting in it (and the time a REGISTER waits)
 * stays bounded too, instead of requests queueing until the UE's timers
 * fire and its retransmissions add to the load. A new registration (no
 * credentials) is refused from 3/4 of the bound, leaving room for those
 * whose challenge is already spent, and while the smoothed time at the
 * core exceeds register_latency (pcscf_start sets this up). Checked before
 * any copy or parsing: a refusal is the cheapest answer we have. */
static bool overloaded(struct pcscf *n, nta_incoming_t *irq, const sip_t *sip)
{
	if (admit_check(&n->reg_admit, sip_hdr_has_credentials(sip)))
		return false;
	nta_incoming_treply(irq, SIP_503_SERVICE_UNAVAILABLE,
			    SIPTAG_RETRY_AFTER_STR(ADMIT_RETRY_AFTER), TAG_END());
	nta_incoming_destroy(irq);
	return true;
}

int pcscf_register(struct pcscf *n, nta_incoming_t *irq, const sip_t *rsip,
		   const struct flow *src)
{
	int status = 500, rc;
	msg_t *req;
	struct reg_tx *t = NULL;
	sip_t *sip;

	if (overloaded(n, irq, rsip))
		return 0;
	req = sipproxy_request_copy(irq, &status);
	if (!req)
		return status;
	sip = sip_object(req);
	if (reg_store_full(n->regs, src)) {
		log_warn("REGISTER refused: %zu registrations (max)", reg_store_count(n->regs));
		status = 503;
		goto out;
	}
	t = calloc(1, sizeof *t);
	if (!t)
		goto out;
	t->n = n;
	t->src = *src;
	t->impi = impi_of(req, sip);
	if (sip->sip_contact && sip->sip_contact->m_url->url_type != url_any) {
		/* A NULL home allocates with malloc: freed by reg_tx_free. */
		t->contact = url_as_string(NULL, sip->sip_contact->m_url);
		if (!t->contact)
			goto out;
	}
	t->dereg = request_is_dereg(sip);
	if ((rc = prepare(n, req, src)) < 0) {
		log_warn("REGISTER impi=%s: cannot build the request: %s",
			 t->impi ? t->impi : "?", strerror(-rc));
		goto out;
	}
	status = pcscf_forward(n, irq, req, n->cfg->icscf, on_register_response, t);
	if (status != 0) {
		reg_tx_free(t);
		return status;
	}
	t->pending = true;
	t->t_sent = mono_ms();
	admit_enter(&n->reg_admit);
	return 0;
out:
	if (t)
		reg_tx_free(t);
	msg_destroy(req);
	return status;
}
