/*
 * sess_route: pure routing decisions of the S-CSCF session control
 * (TS 24.229 5.4.3.1-5.4.3.3, RFC 3261 16.4):
 *  - is a URI one of ours (listen address, advertised host:port, Server-Name);
 *  - which case an incoming request is: in-dialog, originating (top Route
 *    ours with user "orig" or parameter ;orig), back from an application
 *    server (top Route ours with user "odi-<token>"), or terminating;
 *  - the E.164 number of a tel URI (or sip:...;user=phone) and its lookup in
 *    the configured number table.
 * No state, no I/O: strings go to caller buffers.
 * Returns 0 or -errno (-ENOENT nothing found, -ENOSPC buffer, -EINVAL).
 */
#ifndef SCSCF_SESS_ROUTE_H
#define SCSCF_SESS_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include <sofia-sip/sip.h>
#include <sofia-sip/url.h>

#include "scscf.h"

#define SESS_URI_MAX 256
#define SESS_SELF_MAX 3
#define SESS_ODI_PREFIX "odi-"

/* The host:port pairs that mean "this S-CSCF" (port "5060" when absent). */
struct sess_self {
	struct {
		char host[128];
		char port[8];
	} v[SESS_SELF_MAX];
	size_t n;
};

enum sess_kind {
	SESS_TERMINATING = 0,
	SESS_ORIGINATING,
	SESS_FROM_AS,      /* top Route is our ODI URI */
	SESS_IN_DIALOG,    /* To tag present */
};

/* Add "host[:port]" or a SIP URI (its host and port) to self.
 * -ENOSPC when full, -EINVAL when unparsable. */
int sess_self_add(struct sess_self *self, const char *hostport_or_uri);
bool sess_url_is_us(const struct sess_self *self, const url_t *url);

/* The case of request sip. For SESS_FROM_AS the token (after "odi-") is
 * copied to token (cap bytes; an over-long one gives SESS_FROM_AS with an
 * empty token, which no lookup accepts). */
enum sess_kind sess_classify(const struct sess_self *self, const sip_t *sip, char *token,
			     size_t cap);

/* "+4930..." from tel:+49-30-... or sip:+49...@host;user=phone, visual
 * separators removed. -ENOENT when url is not a global number. */
int sess_number_of_url(const url_t *url, char *out, size_t cap);
/* The first URI configured for number (already normalised), or NULL. */
const char *sess_number_lookup(const struct cfg_list *numbers, const char *number);

/* Is host one of domains (case-insensitive)? */
bool sess_domain_is_ours(const struct cfg_strv *domains, const char *realm, const char *host);

#endif
