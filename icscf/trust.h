/*
 * Trust domain of the I-CSCF (RFC 3325 2.3, TS 24.229 4.4 and 5.3.2.1).
 *
 * A trust table says which peers are inside the home trust domain: the
 * configured IP addresses and CIDR prefixes, the addresses the configured
 * host names resolve to (resolved once, at start and on reload), and the
 * S-CSCF pool. Requests from outside lose the headers only a trusted node
 * may assert (trust_strip_inbound); requests and responses sent outside
 * lose what must not leave (trust_strip_outbound).
 *
 * Ownership: a table owns its copies; trust_free releases them. The
 * header functions edit the msg in place (allocations from its home).
 * Thread rules: loop thread; trust_build may block on DNS (start, reload).
 * Return convention: 0 or -errno.
 */
#ifndef ICSCF_TRUST_H
#define ICSCF_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/nta.h>

struct trust_net {
	int family;                 /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	unsigned bits;              /* prefix length */
};

struct trust_table {
	struct trust_net *nets;
	size_t n_nets;
	char **names;               /* trusted host names and domains (next hops) */
	size_t n_names;
};

/* Build from entries (IP, CIDR prefix or host name); an empty list means
 * loopback (127.0.0.0/8, ::1). extra: hosts always trusted (the S-CSCF
 * pool and home domains; IP literals or names). A name that does not
 * resolve is kept for next-hop matching and logged. */
int trust_build(struct trust_table *t, const char *const *entries, size_t n,
		const char *const *extra, size_t n_extra);
void trust_free(struct trust_table *t);
/* Trust a name (and names below it) as a next hop, without resolving it
 * (the home domains). */
int trust_add_name(struct trust_table *t, const char *name);

/* Is a source address inside the trust domain? */
bool trust_addr(const struct trust_table *t, const struct sockaddr *sa);
/* Is a next hop host (IP literal, or a name equal to / below a trusted
 * name) inside the trust domain? */
bool trust_host(const struct trust_table *t, const char *host);
/* Source of the request of irq (false when unknown). */
bool trust_irq(const struct trust_table *t, nta_incoming_t *irq);

/* A request received from outside the trust domain (TS 24.229 5.3.2.1,
 * 4.4.2; RFC 3325 5): removes P-Asserted-Identity, P-Preferred-Identity
 * (no proxy here authenticates the user to assert it) and the other
 * headers only the trust domain may set. Returns how many were removed. */
int trust_strip_inbound(msg_t *msg);
/* A request or response about to leave the trust domain: removes
 * P-Charging-Function-Addresses and the 4.4.2 headers, and
 * P-Asserted-Identity when Privacy asks for "id" (RFC 3325 7). Returns
 * how many were removed. */
int trust_strip_outbound(msg_t *msg);

/* Removes every header (typed or unknown, every list element) whose name
 * is in the NULL-terminated names. Returns how many went. */
int trust_remove_headers(msg_t *msg, const char *const *names);

#endif
