/*
 * Topology hiding (THIG) at the I-CSCF (TS 23.228 4.14, TS 24.229 Rel-6
 * 5.3.3, RFC 3261 16 for what a proxy may rewrite).
 *
 * Toward a network outside the trust domain, the entries that name home
 * network nodes are folded into one entry of this node carrying a token:
 *  - Record-Route of responses sent out (entries above ours) and of
 *    requests sent out (entries below the one we add);
 *  - Service-Route of a 2xx to REGISTER sent out;
 *  - Via of requests sent out (one fake Via of ours below nta's own).
 * When the token comes back (Route of an in-dialog or originating request,
 * Record-Route or Via of a response), the original entries are put back.
 *
 * Token: base64url(IV[12] | AES-256-GCM(kind | entries) | tag[16]), the
 * kind also authenticated as associated data. A token that does not
 * decrypt (forged, truncated, from another key) is refused: -EBADMSG.
 *
 * Ownership: struct thig is the caller's (thig_create/thig_destroy); the
 * rewrite functions edit a msg in place, allocating from its home.
 * Thread rules: loop thread (one cipher context per struct thig).
 * Return convention: 0 or -errno; thig_restore_* return 1 when they
 * restored something, 0 when there was no token.
 */
#ifndef ICSCF_THIG_H
#define ICSCF_THIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/url.h>

#define THIG_KEY_LEN 32
#define THIG_PLAIN_MAX 4096
#define THIG_PARAM "thig"

/* What a token stands for (authenticated with it). */
enum thig_kind {
	THIG_ROUTE = 'R',     /* Route entries, in the order the holder routes them */
	THIG_VIA = 'V',       /* Via entries of a request sent out */
};

/* Is this URI one of ours? (host:port, aliases) */
typedef bool (*thig_is_me_fn)(void *ctx, const url_t *url);

struct thig;

/* key: THIG_KEY_LEN bytes, or NULL for a random one. hostport: how
 * others reach us (the host:port of our entries). */
int thig_create(const uint8_t *key, const char *hostport, thig_is_me_fn is_me, void *ctx,
		struct thig **out);
void thig_destroy(struct thig *t);

/* Key from 64 hex digits, or from a file of 64 hex digits or 32 bytes. */
int thig_key_parse_hex(const char *hex, uint8_t key[THIG_KEY_LEN]);
int thig_key_load(const char *path, uint8_t key[THIG_KEY_LEN]);

/* Token of plain (len bytes, at most THIG_PLAIN_MAX) into out (NUL
 * terminated); -ENOSPC when cap is too small. */
int thig_seal(struct thig *t, enum thig_kind kind, const char *plain, size_t len, char *out,
	      size_t cap);
/* Plain text of a token of that kind (NUL terminated), -EBADMSG when it
 * does not authenticate. */
int thig_open(struct thig *t, enum thig_kind kind, const char *token, char *out, size_t cap);

/* ---- requests from outside the trust domain */

/* Is the topmost Route ours with a token? */
bool thig_route_token(struct thig *t, const sip_t *sip);
/* Topmost Route is ours with a token: replaced by the entries it hides. */
int thig_restore_route(struct thig *t, msg_t *msg);
/* Initial request entering: our Record-Route (clear) on top, so that the
 * dialog comes back through us. */
int thig_add_record_route(struct thig *t, msg_t *msg);
/* REGISTER entering: our Path on top (TS 24.229 Rel-6 5.3.3.2). */
int thig_add_path(struct thig *t, msg_t *msg);
/* Response going back out: the Record-Route entries above ours become a
 * token on ours; Service-Route (2xx to REGISTER) becomes one entry of ours. */
int thig_hide_response(struct thig *t, msg_t *msg);

/* ---- requests to outside the trust domain */

/* Request going out: its Via entries become one of ours with a token; an
 * initial request's Record-Route entries become a token on a Record-Route
 * of ours added on top. */
int thig_hide_request(struct thig *t, msg_t *msg, bool initial);
/* Response coming back in: our fake Via and our tokened Record-Route are
 * expanded again. */
int thig_restore_response(struct thig *t, msg_t *msg);

#endif
