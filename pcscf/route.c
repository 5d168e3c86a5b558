/* route: header and routing helpers shared by the P-CSCF handlers
 * (RFC 3261 16.4 Route processing, 16.6 forwarding). See pcscf.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/msg_mclass.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/su_alloc.h>

#include "pcscf.h"

long long pcscf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

static bool hostport_equal(const url_t *url, const char *host, const char *port)
{
	const char *uport = url->url_port && *url->url_port ? url->url_port : "5060";

	return url->url_host && strcasecmp(url->url_host, host) == 0 && strcmp(uport, port) == 0;
}

bool pcscf_url_is_us(const struct pcscf *n, const url_t *url)
{
	char adv[300], port[8];
	char *colon;

	if (!url || (url->url_type != url_sip && url->url_type != url_sips))
		return false;
	snprintf(port, sizeof port, "%u", n->cfg->sip.port);
	if (hostport_equal(url, n->cfg->sip.address, port))
		return true;
	/* advertise is "host[:port]"; an IPv6 host keeps its brackets. */
	snprintf(adv, sizeof adv, "%s", sipagent_hostport(n->sip));
	colon = strrchr(adv, ':');
	if (colon && !strchr(colon, ']')) {
		*colon = '\0';
		return hostport_equal(url, adv, colon + 1);
	}
	return hostport_equal(url, adv, "5060");
}

int pcscf_add_record_route(struct pcscf *n, msg_t *msg, const char *user)
{
	sip_t *sip = sip_object(msg);
	char *v = su_sprintf(msg_home(msg), "<sip:%s%s%s;lr>", user ? user : "", user ? "@" : "",
			     sipagent_hostport(n->sip));
	sip_record_route_t *rr = v ? sip_record_route_make(msg_home(msg), v) : NULL;

	if (!rr)
		return -ENOMEM;
	/* RFC 3261 16.6 step 4: our entry goes on top. */
	return msg_header_prepend(msg, (msg_pub_t *)sip, (msg_header_t **)&sip->sip_record_route,
				  (msg_header_t *)rr) < 0 ? -ENOMEM : 0;
}

static bool header_named(const msg_header_t *h, const char *name)
{
	const msg_hclass_t *hc = h->sh_class;

	if (hc == sip_unknown_class)
		return h->sh_unknown->un_name && strcasecmp(h->sh_unknown->un_name, name) == 0;
	return hc && hc->hc_name && strcasecmp(hc->hc_name, name) == 0;
}

static bool header_in(const msg_header_t *h, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		if (header_named(h, names[i]))
			return true;
	return false;
}

void pcscf_remove_headers(msg_t *msg, const char *const *names)
{
	sip_t *sip = sip_object(msg);
	msg_header_t **head = msg_chain_head(msg), *h, *succ;

	if (!sip || !head)
		return;
	/* A copied msg (msg_copy) has its headers only in the sip_t: build
	 * the chain first. */
	if (msg_serialize(msg, (msg_pub_t *)sip) < 0)
		return;
	/* One walk over the message's header chain (typed and unknown headers
	 * alike, each list element on its own), dropping every match; the
	 * successor is taken before a removal unlinks h. */
	for (h = *head; h; h = succ) {
		succ = h->sh_succ;
		if (header_in(h, names))
			msg_header_remove(msg, (msg_pub_t *)sip, h);
	}
}

void pcscf_remove_header(msg_t *msg, const char *name)
{
	const char *const names[] = { name, NULL };

	pcscf_remove_headers(msg, names);
}

/* Drop option tag from every header of a list kind; headers left empty go. */
static void drop_option(msg_t *msg, msg_list_t **head, const char *tag)
{
	sip_t *sip = sip_object(msg);

	for (msg_list_t *k = *head, *next; k; k = next) {
		msg_param_t *items = (msg_param_t *)k->k_items;
		size_t o = 0;
		bool changed = false;

		next = k->k_next;
		for (size_t i = 0; items && items[i]; i++) {
			if (strcasecmp(items[i], tag) == 0)
				changed = true;
			else
				items[o++] = items[i];
		}
		if (!changed)
			continue;
		if (items)
			items[o] = NULL;
		if (o == 0)
			sip_header_remove(msg, sip, (sip_header_t *)k);
		else
			msg_fragment_clear(k->k_common);
	}
}

void pcscf_strip_sec_agree(msg_t *msg)
{
	static const char *const sec[] = { "Security-Client", "Security-Verify", NULL };
	sip_t *sip = sip_object(msg);

	if (!sip)
		return;
	pcscf_remove_headers(msg, sec);
	drop_option(msg, (msg_list_t **)&sip->sip_require, "sec-agree");
	drop_option(msg, (msg_list_t **)&sip->sip_proxy_require, "sec-agree");
}

const char *pcscf_pop_own_routes(struct pcscf *n, msg_t *msg)
{
	sip_t *sip = sip_object(msg);
	const char *user = NULL;

	while (sip->sip_route && pcscf_url_is_us(n, sip->sip_route->r_url)) {
		const char *u = sip->sip_route->r_url->url_user;

		user = su_strdup(msg_home(msg), u ? u : "");
		sip_header_remove(msg, sip, (sip_header_t *)sip->sip_route);
	}
	return user;
}

int pcscf_forward(struct pcscf *n, nta_incoming_t *irq, msg_t *req, const char *next_hop,
		  sipproxy_response_fn cb, void *ctx)
{
	int rc = sipproxy_forward(n->sip, irq, req, next_hop, cb, ctx, false, NULL);

	if (rc < 0) {
		if (rc != -EHOSTUNREACH) /* that one is logged, at most once a second */
			log_warn("forwarding to %s failed: %s", next_hop ? next_hop : "(route set)",
				 strerror(-rc));
		return 503;
	}
	return 0;
}
