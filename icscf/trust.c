/* Trust domain of the I-CSCF: see trust.h for the contract. */
#include "trust.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>

#include "ims/log.h"

/* TS 24.229 4.4.2: headers whose content a node believes only when it
 * comes from inside the trust domain, and which are removed at its edge.
 * P-Charging-Function-Addresses is the home network's own (TS 24.229
 * 5.3.2.1: removed toward another network). */
static const char *const boundary_headers[] = {
	"P-Access-Network-Info", "P-Served-User", "P-Profile-Key", "P-Asserted-Service",
	"P-Early-Media", "P-Private-Network-Indication", "P-Charging-Function-Addresses",
	"Restoration-Info", "Relayed-Charge", "Cellular-Network-Info", NULL
};

/* RFC 3325 5: identities a node outside the trust domain may not assert. */
static const char *const identity_headers[] = {
	"P-Asserted-Identity", "P-Preferred-Identity", NULL
};

static const char *const pai_header[] = { "P-Asserted-Identity", NULL };

static int add_net(struct trust_table *t, int family, const void *addr, unsigned bits)
{
	struct trust_net *v = realloc(t->nets, (t->n_nets + 1) * sizeof *v);

	if (!v)
		return -ENOMEM;
	t->nets = v;
	memset(&v[t->n_nets], 0, sizeof v[0]);
	v[t->n_nets].family = family;
	memcpy(v[t->n_nets].addr, addr, family == AF_INET ? 4 : 16);
	v[t->n_nets].bits = bits;
	t->n_nets++;
	return 0;
}

int trust_add_name(struct trust_table *t, const char *name)
{
	char **v = realloc(t->names, (t->n_names + 1) * sizeof *v);

	if (!v)
		return -ENOMEM;
	t->names = v;
	v[t->n_names] = strdup(name);
	if (!v[t->n_names])
		return -ENOMEM;
	t->n_names++;
	return 0;
}

/* "a.b.c.d", "x::y", with an optional "/bits"; 1 when it was one. */
static int add_literal(struct trust_table *t, const char *entry)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(entry, '/');
	size_t len = slash ? (size_t)(slash - entry) : strlen(entry);
	uint8_t a[16];
	unsigned long bits;
	int rc;

	if (len >= sizeof buf)
		return 0;
	memcpy(buf, entry, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, a) == 1) {
		bits = slash ? strtoul(slash + 1, NULL, 10) : 32;
		rc = add_net(t, AF_INET, a, bits > 32 ? 32 : (unsigned)bits);
	} else if (inet_pton(AF_INET6, buf, a) == 1) {
		bits = slash ? strtoul(slash + 1, NULL, 10) : 128;
		rc = add_net(t, AF_INET6, a, bits > 128 ? 128 : (unsigned)bits);
	} else {
		return 0;
	}
	return rc < 0 ? rc : 1;
}

/* A host name: kept for next-hop matching, its addresses trusted. */
static int add_host(struct trust_table *t, const char *host)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res = NULL, *ai;
	int rc = trust_add_name(t, host), g;

	if (rc < 0)
		return rc;
	g = getaddrinfo(host, NULL, &hints, &res);
	if (g != 0) {
		log_info("trust: %s does not resolve (%s): trusted as a next-hop name only", host,
			 gai_strerror(g));
		return 0;
	}
	for (ai = res; ai && rc == 0; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			rc = add_net(t, AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 32);
		else if (ai->ai_family == AF_INET6)
			rc = add_net(t, AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr,
				     128);
	}
	freeaddrinfo(res);
	return rc;
}

static int add_entry(struct trust_table *t, const char *entry)
{
	int rc = add_literal(t, entry);

	if (rc != 0)
		return rc < 0 ? rc : 0;
	return add_host(t, entry);
}

int trust_build(struct trust_table *t, const char *const *entries, size_t n,
		const char *const *extra, size_t n_extra)
{
	static const char *const loopback[] = { "127.0.0.0/8", "::1" };
	size_t i;
	int rc = 0;

	memset(t, 0, sizeof *t);
	if (n == 0) {
		entries = loopback;
		n = 2;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = add_entry(t, entries[i]);
	for (i = 0; i < n_extra && rc == 0; i++)
		if (extra[i] && extra[i][0])
			rc = add_entry(t, extra[i]);
	if (rc < 0)
		trust_free(t);
	return rc;
}

void trust_free(struct trust_table *t)
{
	size_t i;

	for (i = 0; i < t->n_names; i++)
		free(t->names[i]);
	free(t->names);
	free(t->nets);
	memset(t, 0, sizeof *t);
}

static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, full) != 0)
		return false;
	if (!rest)
		return true;
	return ((a[full] ^ b[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static bool match(const struct trust_table *t, int family, const uint8_t *addr)
{
	size_t i;

	for (i = 0; i < t->n_nets; i++)
		if (t->nets[i].family == family && prefix_match(t->nets[i].addr, addr, t->nets[i].bits))
			return true;
	return false;
}

bool trust_addr(const struct trust_table *t, const struct sockaddr *sa)
{
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET)
		return match(t, AF_INET, (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr);
	if (sa->sa_family == AF_INET6) {
		const uint8_t *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

		/* An IPv4 peer on a dual-stack socket. */
		if (!memcmp(a, mapped, sizeof mapped))
			return match(t, AF_INET, a + 12);
		return match(t, AF_INET6, a);
	}
	return false;
}

bool trust_host(const struct trust_table *t, const char *host)
{
	char buf[INET6_ADDRSTRLEN + 2];
	uint8_t a[16];
	size_t i, hl, nl;

	if (!host || !host[0])
		return false;
	hl = strlen(host);
	if (host[0] == '[' && hl < sizeof buf && host[hl - 1] == ']') {
		memcpy(buf, host + 1, hl - 2);
		buf[hl - 2] = '\0';
		host = buf;
		hl -= 2;
	}
	if (inet_pton(AF_INET, host, a) == 1)
		return match(t, AF_INET, a);
	if (inet_pton(AF_INET6, host, a) == 1)
		return match(t, AF_INET6, a);
	for (i = 0; i < t->n_names; i++) {
		nl = strlen(t->names[i]);
		if (hl == nl && !strcasecmp(host, t->names[i]))
			return true;
		if (hl > nl && host[hl - nl - 1] == '.' && !strcasecmp(host + hl - nl, t->names[i]))
			return true;
	}
	return false;
}

bool trust_irq(const struct trust_table *t, nta_incoming_t *irq)
{
	msg_t *msg = nta_incoming_getrequest(irq);
	su_addrinfo_t *ai = msg ? msg_addrinfo(msg) : NULL;
	bool ok = ai && trust_addr(t, (const struct sockaddr *)ai->ai_addr);

	if (msg)
		msg_destroy(msg);
	return ok;
}

static bool header_named(const msg_header_t *h, const char *name)
{
	const msg_hclass_t *hc = h->sh_class;

	if (hc == sip_unknown_class)
		return h->sh_unknown->un_name && strcasecmp(h->sh_unknown->un_name, name) == 0;
	return hc && hc->hc_name && strcasecmp(hc->hc_name, name) == 0;
}

int trust_remove_headers(msg_t *msg, const char *const *names)
{
	sip_t *sip = sip_object(msg);
	msg_header_t **head = msg_chain_head(msg), *h, *succ;
	int removed = 0;
	size_t i;

	if (!sip || !head)
		return 0;
	/* A copied msg has its headers only in the sip_t: chain them first. */
	if (msg_serialize(msg, (msg_pub_t *)sip) < 0)
		return 0;
	for (h = *head; h; h = succ) {
		succ = h->sh_succ;
		for (i = 0; names[i]; i++) {
			if (header_named(h, names[i])) {
				msg_header_remove(msg, (msg_pub_t *)sip, h);
				removed++;
				break;
			}
		}
	}
	return removed;
}

int trust_strip_inbound(msg_t *msg)
{
	return trust_remove_headers(msg, identity_headers) +
	       trust_remove_headers(msg, boundary_headers);
}

/* RFC 3323 4.2 / RFC 3325 7: the user asked that its identity be
 * withheld from untrusted parties. */
static bool privacy_id(const sip_t *sip)
{
	const sip_privacy_t *p = sip->sip_privacy;
	size_t i;

	/* sofia joins every Privacy header into one value list. */
	for (i = 0; p && p->priv_values && p->priv_values[i]; i++)
		if (!strcasecmp(p->priv_values[i], "id"))
			return true;
	return false;
}

int trust_strip_outbound(msg_t *msg)
{
	sip_t *sip = sip_object(msg);
	int n = trust_remove_headers(msg, boundary_headers);

	if (sip && privacy_id(sip))
		n += trust_remove_headers(msg, pai_header);
	return n;
}
