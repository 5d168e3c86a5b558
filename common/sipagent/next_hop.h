/*
 * next_hop: the address an outgoing request goes to, found without sofia's
 * DNS resolver whenever that resolver cannot work.
 *
 * Why: sofia-sip 1.12.11 (Debian 12) spins forever inside sres_query() when
 * every nameserver of /etc/resolv.conf fails connect() at once (ENETUNREACH
 * in a network namespace with no route to it): one request naming a host
 * froze a whole CSCF. So before nta sees a request:
 *   - the URI nta would resolve is found: the given next hop, else the top
 *     Route, else the Request-URI;
 *   - an IP literal needs nothing;
 *   - a name listed in /etc/hosts becomes that address (same scheme, port
 *     and parameters; the file is re-read when its mtime changes);
 *   - any other name is left to sofia's resolver when some nameserver can
 *     be reached (a UDP connect() succeeds; checked at most once a second),
 *     and is refused with -EHOSTUNREACH otherwise.
 *
 * Ownership: struct next_hop_cache is owned by its sipagent; results are
 * written into the caller's buffer. Thread rules: the loop thread.
 */
#ifndef IMS_SIPAGENT_NEXT_HOP_H
#define IMS_SIPAGENT_NEXT_HOP_H

#include <stdbool.h>
#include <stddef.h>

#include <sofia-sip/msg.h>

struct next_hop_cache;

/* hosts_path, resolv_path: NULL for /etc/hosts and /etc/resolv.conf. */
struct next_hop_cache *next_hop_cache_new(const char *hosts_path, const char *resolv_path);
void next_hop_cache_free(struct next_hop_cache *c);

/* *use is set to next_hop, to buf (a rewritten URI) or to NULL (let nta
 * route by the message itself). Returns 0, or -EHOSTUNREACH as above. */
int next_hop_resolve(struct next_hop_cache *c, msg_t *msg, const char *next_hop,
		     char *buf, size_t buflen, const char **use);

/* The first address hosts_text (the text of a hosts file) gives name,
 * case-insensitively, copied into addr. Returns 0, or -ENOENT. */
int next_hop_hosts_lookup(const char *hosts_text, const char *name, char *addr, size_t addrlen);
/* True when host (IPv6 with or without brackets) is an IP literal. */
bool next_hop_is_ip_literal(const char *host);

#endif
