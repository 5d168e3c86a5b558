/*
 * diameter: freeDiameter 1.2.1 glue shared by the CSCFs and the HSS.
 *
 * - Config section "diameter:" (struct dia_config, dia_schema) embedded by
 *   every daemon; dia_start() turns it into a freeDiameter config, defines
 *   the Cx/Sh dictionaries (our own tables, TS 29.229 / 29.329), advertises
 *   the applications and starts the stack; dia_stop() shuts it down.
 * - ONE Diameter identity per process: freeDiameter is a process-global
 *   singleton (fd_g_config) and fd_core_initialize() works once per process,
 *   even after shutdown. dia_start() may succeed only once; tests that need
 *   two nodes fork.
 * - freeDiameter's log lines are routed into log.h (its DEBUG only when our
 *   level is debug; the FATAL "shutdown sequence" line of a normal stop is
 *   logged as notice).
 * - Ownership: a `struct msg **` parameter takes the message: on return the
 *   pointer is NULL whatever the result (the function sends or frees it).
 * - Errors: functions return 0 or -errno. Protocol outcomes (Result-Code,
 *   Experimental-Result-Code) are data, read with dia_answer_result().
 *
 * Threads and the SIP loop bridge (struct dia_bridge):
 * 1. The su_root and everything sofia belong to the loop thread that created
 *    them; freeDiameter runs callbacks on its own pool (AppServThreads).
 * 2. dia_bridge_create() and dia_bridge_destroy() run on the loop thread.
 *    dia_bridge_send() may be called from the loop thread (or any thread).
 * 3. freeDiameter threads never run user code for a bridge: the answer,
 *    expiry and dispatch callbacks only package {cb, ctx, msg, err} and post
 *    it with su_msg_send() to the root's task; cb/handler then run on the
 *    loop thread. A callback gets the answer (it owns it) or NULL plus
 *    -ETIMEDOUT / -ECANCELED / -errno.
 * 4. The bridge is reference counted: one reference for the creator, one per
 *    request in flight and per request being handed to the loop. destroy()
 *    sets `closed` under the bridge lock and drops the creator reference;
 *    from then on no callback is called: late answers and undelivered posts
 *    are freed (server-side requests still queued are answered 5012). The
 *    memory goes when the last reference does. Destroy the bridge before
 *    the su_root, and call dia_stop() after destroying every bridge.
 * 5. Server side: every request gets an answer. A handler that fails (or
 *    returns without a result code) makes the glue answer 5012
 *    DIAMETER_UNABLE_TO_COMPLY; nothing is dropped silently.
 * 6. dia_serve_direct() handlers (HSS) run on a freeDiameter dispatch thread
 *    and must not block long: size app_threads to the number of DB
 *    connections (one connection per thread).
 * 7. Overload: a bridge bounds its client requests in flight
 *    (dia_bridge_set_limit, from diameter.max_pending). Beyond the bound
 *    dia_bridge_send() fails at once with -EBUSY, and the daemon answers the
 *    SIP request 503 with Retry-After (RFC 3261 21.5.4, RFC 6357 3) instead
 *    of queueing it behind requests whose SIP transactions will time out.
 */
#ifndef IMS_DIAMETER_H
#define IMS_DIAMETER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ims/config.h"
#include "ims/cx.h"
#include "ims/sh.h"

struct msg;
struct avp;
struct dict_object;
struct dictionary;
struct su_root_s; /* su_root_t of sofia-sip */

#define DIA_VENDOR_3GPP 10415u
#define DIA_VENDOR_ETSI 13019u

/* Applications, as a bitmask for dia_start() and as an index elsewhere. */
#define DIA_APP_CX 0x1u
#define DIA_APP_SH 0x2u

/* Base protocol AVP codes we use (RFC 6733 / RFC 7155 / RFC 4590). */
enum dia_base_avp {
	DIA_AVP_USER_NAME = 1,
	DIA_AVP_FRAMED_IP_ADDRESS = 8,
	DIA_AVP_FRAMED_INTERFACE_ID = 96,
	DIA_AVP_FRAMED_IPV6_PREFIX = 97,
	DIA_AVP_DIGEST_REALM = 104,
	DIA_AVP_DIGEST_QOP = 110,
	DIA_AVP_DIGEST_ALGORITHM = 111,
	DIA_AVP_DIGEST_HA1 = 121,
	DIA_AVP_HOST_IP_ADDRESS = 257,
	DIA_AVP_AUTH_APPLICATION_ID = 258,
	DIA_AVP_ACCT_APPLICATION_ID = 259,
	DIA_AVP_VENDOR_SPECIFIC_APPLICATION_ID = 260,
	DIA_AVP_SESSION_ID = 263,
	DIA_AVP_ORIGIN_HOST = 264,
	DIA_AVP_VENDOR_ID = 266,
	DIA_AVP_RESULT_CODE = 268,
	DIA_AVP_PRODUCT_NAME = 269,
	DIA_AVP_DISCONNECT_CAUSE = 273,
	DIA_AVP_AUTH_SESSION_STATE = 277,
	DIA_AVP_FAILED_AVP = 279,
	DIA_AVP_ROUTE_RECORD = 282,
	DIA_AVP_DESTINATION_REALM = 283,
	DIA_AVP_PROXY_INFO = 284,
	DIA_AVP_REDIRECT_HOST = 292,
	DIA_AVP_DESTINATION_HOST = 293,
	DIA_AVP_ORIGIN_REALM = 296,
	DIA_AVP_EXPERIMENTAL_RESULT = 297,
	DIA_AVP_EXPERIMENTAL_RESULT_CODE = 298,
};
#define DIA_ETSI_AVP_LINE_IDENTIFIER 500u /* vendor DIA_VENDOR_ETSI */

/* Base Result-Code values (AVP 268), RFC 6733 7.1. */
enum dia_result_code {
	DIA_SUCCESS = 2001,
	DIA_LIMITED_SUCCESS = 2002,
	DIA_UNABLE_TO_DELIVER = 3002,
	DIA_REALM_NOT_SERVED = 3003,
	DIA_TOO_BUSY = 3004,
	DIA_REDIRECT_INDICATION = 3006,
	DIA_APPLICATION_UNSUPPORTED = 3007,
	DIA_AUTHENTICATION_REJECTED = 4001,
	DIA_AVP_UNSUPPORTED = 5001,
	DIA_UNKNOWN_SESSION_ID = 5002,
	DIA_AUTHORIZATION_REJECTED = 5003,
	DIA_INVALID_AVP_VALUE = 5004,
	DIA_MISSING_AVP = 5005,
	DIA_UNABLE_TO_COMPLY = 5012,
	DIA_INVALID_AVP_LENGTH = 5014,
};

/* ---- configuration ---------------------------------------------------- */

struct dia_peer_config {
	char *identity;   /* Diameter identity (FQDN), required */
	char *address;    /* IP literal or host name to connect to, required */
	uint16_t port;    /* default 3868 */
	char *realm;      /* optional: checked against the peer's CER/CEA */
};

struct dia_config {
	char *identity;            /* our Diameter identity, FQDN, required */
	char *realm;               /* required */
	char *listen;              /* default 127.0.0.1; 0.0.0.0 or :: = all */
	uint16_t port;             /* default 3868; 0 = no listener */
	bool tls;                  /* default false: in-band TLS (RFC 3588 style) */
	char *tls_cert, *tls_key, *tls_ca; /* required when tls is true */
	long long app_threads;     /* dispatch threads, default 4 */
	bool accept_unknown_peers; /* default false */
	long long watchdog_interval;  /* ms, Tw (RFC 3539), default 30s, >= 6s */
	long long reconnect_interval; /* ms, Tc, default 30s */
	long long max_pending;     /* client requests in flight per bridge (256) */
	struct cfg_list peers;     /* of struct dia_peer_config */
};

/* Schema of the "diameter:" section; embed with CFG_TABLE. */
extern const struct cfg_field dia_schema[];

/* Check what the schema cannot (tls files, peer identities...). 0 or -EINVAL
 * with a reason in why. */
int dia_config_validate(const struct dia_config *cfg, char *why, size_t whylen);

/* Render the freeDiameter configuration text for cfg into a malloc'd string
 * (*out, caller frees). 0 or -errno. Exposed for tests and --print-config. */
int dia_config_render(const struct dia_config *cfg, char **out);

/* ---- life cycle ------------------------------------------------------- */

/* Start the process-wide Diameter node: log routing, fd_core_initialize,
 * config, dictionaries, applications (DIA_APP_CX | DIA_APP_SH), peer
 * validation, fd_core_start and wait for start complete. Call on the main
 * thread with SIGTERM/SIGINT/SIGHUP blocked (threads inherit the mask).
 * Ignores SIGPIPE (freeDiameter writes without MSG_NOSIGNAL).
 * Returns 0, -EALREADY on a second call, or -errno. */
int dia_start(const struct dia_config *cfg, unsigned apps);
/* Shut down and wait for freeDiameter's threads; safe if not started. */
void dia_stop(void);

/* Wait (bounded) until the peer's state is OPEN: 0, -ETIMEDOUT, -ENOENT. */
int dia_peer_wait_open(const char *identity, int timeout_ms);
bool dia_peer_is_open(const char *identity);

/* Route freeDiameter's logs to log.h (dia_start does it; tests that only
 * call fd_core_initialize may call it first). Idempotent. */
int dia_log_route(void);

/* ---- dictionary ------------------------------------------------------- */

/* Define vendor, applications, commands, AVPs and rules in dict (idempotent;
 * dia_start calls it) and fill the lookup caches. 0 or -errno. */
int dia_dict_init(struct dictionary *dict);

/* Cached dictionary objects (NULL before dia_dict_init or if unknown).
 * Vendor is implied by the code: 600-799 -> 3GPP, else base (vendor 0). */
struct dict_object *dia_avp(uint32_t code);
struct dict_object *dia_avp_vendor(uint32_t vendor, uint32_t code);
struct dict_object *dia_cmd(uint32_t code, bool request);
struct dict_object *dia_app(unsigned app); /* DIA_APP_CX or DIA_APP_SH */
uint32_t dia_app_id(unsigned app);          /* 16777216, 16777217, or 0 */

/* ---- AVP helpers ------------------------------------------------------ */
/* parent is a struct msg * or a grouped struct avp *. Code as for dia_avp. */

int dia_add_utf8(void *parent, uint32_t code, const char *s);
int dia_add_octets(void *parent, uint32_t code, const uint8_t *p, size_t len);
int dia_add_u32(void *parent, uint32_t code, uint32_t v);
int dia_add_u64(void *parent, uint32_t code, uint64_t v);
int dia_add_i32(void *parent, uint32_t code, int32_t v); /* also Enumerated */
int dia_add_address(void *parent, uint32_t code, const struct sockaddr *sa);
/* Add an empty grouped AVP; *group (owned by parent) is for filling. */
int dia_add_group(void *parent, uint32_t code, struct avp **group);
/* Vendor-Specific-Application-Id {Vendor-Id 10415, Auth-Application-Id}
 * plus Auth-Session-State NO_STATE_MAINTAINED (TS 29.229 6.1). */
int dia_add_app_ids(struct msg *msg, unsigned app);
/* Base Result-Code (sets the E bit for 3xxx protocol errors, RFC 6733 7.1.3). */
int dia_set_result(struct msg *ans, uint32_t result_code);
/* Experimental-Result {Vendor-Id 10415, Experimental-Result-Code}. */
int dia_set_experimental(struct msg *ans, uint32_t exp_code);

/* First child AVP with this code (one level; NULL if none). */
struct avp *dia_find(void *parent, uint32_t code);
/* First AVP with this code anywhere below parent (depth first). */
struct avp *dia_find_deep(void *parent, uint32_t code);
/* Next sibling after avp with the same code and vendor (repeated AVPs). */
struct avp *dia_next_same(struct avp *avp);
/* Value readers: 0, -ENOENT (no value / NULL avp) or -EINVAL. The octets
 * stay owned by the message. */
int dia_get_octets(struct avp *avp, const uint8_t **p, size_t *len);
int dia_get_u32(struct avp *avp, uint32_t *v); /* Unsigned32, Enumerated */
int dia_get_u64(struct avp *avp, uint64_t *v);
/* Convenience: direct child by code. */
int dia_find_u32(void *parent, uint32_t code, uint32_t *v);
int dia_find_octets(void *parent, uint32_t code, const uint8_t **p, size_t *len);

/* The result of an answer: base Result-Code (experimental=false) or the
 * Experimental-Result-Code (experimental=true). -ENOENT if neither. */
int dia_answer_result(struct msg *ans, uint32_t *code, bool *experimental);

/* New Cx/Sh request: Session-Id, Origin-Host/Realm, Destination-Realm,
 * [Destination-Host], Vendor-Specific-Application-Id, Auth-Session-State.
 * Needs dia_start(). 0 or -errno. */
int dia_new_request(unsigned app, uint32_t cmd_code, const char *dest_realm,
		    const char *dest_host, struct msg **out);
/* Turn *msg (a received request) into its answer: Session-Id, Origin-*,
 * and for Cx/Sh the application ids. The request stays reachable with
 * dia_answer_request(). 0 or -errno; on error *msg may already be the
 * (incomplete) answer: fd_msg_free(*msg) frees it with its request. */
int dia_new_answer(struct msg **msg);
struct msg *dia_answer_request(struct msg *ans);
/* Send an answer from any thread (fd_msg_send is thread-safe). Takes *ans. */
int dia_send_answer(struct msg **ans);

/* ---- request/answer bridge to the SIP loop (rules at the top) ---------- */

struct dia_bridge;

/* Runs on the loop thread. answer: owned by the callee (free with
 * fd_msg_free), NULL on error; err: 0, -ETIMEDOUT, or -errno. */
typedef void (*dia_answer_fn)(void *ctx, struct msg *answer, int err);

/* Loop-side request handler. *ans is the answer prepared from the request
 * (dia_new_answer; request via dia_answer_request). Return 0 leaving *ans
 * set: the bridge sends it; return 0 after taking *ans (set it NULL): you
 * send it later with dia_send_answer; return -errno: the bridge answers
 * 5012. An answer without a result code is sent as 5012. */
typedef int (*dia_serve_fn)(void *ctx, struct msg **ans);

/* HSS-side handler on a freeDiameter thread: fill ans (request given for
 * reading), return 0; -errno makes the glue answer 5012. Must not block long. */
typedef int (*dia_direct_fn)(void *ctx, struct msg *req, struct msg *ans);

struct dia_bridge *dia_bridge_create(struct su_root_s *root);
void dia_bridge_destroy(struct dia_bridge *bridge);
/* Send *req (taken) and call cb on the loop thread with the answer or an
 * error; timeout_ms > 0. Returns 0 (cb will run exactly once unless the
 * bridge is destroyed first) or -errno (cb will not run). */
int dia_bridge_send(struct dia_bridge *bridge, struct msg **req, int timeout_ms,
		    dia_answer_fn cb, void *ctx);
/* Bound the requests in flight (0 = no bound, the default): with `max`
 * pending, dia_bridge_send() frees *req and returns -EBUSY. The episodes of
 * overload are logged once each (start, then the number refused at the
 * end), not per request. */
void dia_bridge_set_limit(struct dia_bridge *bridge, unsigned max);
/* Requests in flight, and true when at least `percent` % of the bound are
 * (always false without a bound): admission of new work (e.g. a REGISTER
 * that starts an authentication) below the hard bound keeps room for the
 * requests that finish work already begun. */
unsigned dia_bridge_pending(const struct dia_bridge *bridge);
bool dia_bridge_busy(const struct dia_bridge *bridge, unsigned percent);
/* Handle incoming requests (app, cmd) on the loop thread. Before dia_start
 * is not allowed: call after dia_start. 0 or -errno. */
int dia_bridge_serve(struct dia_bridge *bridge, unsigned app, uint32_t cmd_code,
		     dia_serve_fn handler, void *ctx);
/* Handle incoming requests directly on freeDiameter threads (HSS). */
int dia_serve_direct(unsigned app, uint32_t cmd_code, dia_direct_fn handler, void *ctx);

#endif
