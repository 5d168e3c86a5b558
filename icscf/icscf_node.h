/*
 * The running I-CSCF: what the request handlers share. Internal to icscf/.
 *
 * Jobs (one per request waiting for the HSS or an S-CSCF) are linked in
 * `jobs` so that stop can answer and free those still waiting.
 * Thread rules: loop thread only.
 */
#ifndef ICSCF_NODE_H
#define ICSCF_NODE_H

#include <stdbool.h>

#include <sofia-sip/nta.h>
#include <sofia-sip/su_wait.h>

#include "ims/sipproxy.h"
#include "icscf.h"
#include "scscf_pool.h"
#include "thig.h"
#include "trust.h"

struct icscf_job;

struct icscf {
	const struct icscf_config *cfg;
	su_root_t *root;
	struct sipagent *sip;
	struct dia_bridge *cx;
	bool dia_started;
	struct scscf_pool pool;
	su_timer_t *probe_timer;
	struct icscf_job *jobs;     /* doubly linked, see job_* below */
	struct trust_table trust;   /* rebuilt on reload */
	struct thig *thig;          /* NULL unless thig.enabled (set at start) */
};

/* How one forwarded request crosses the trust boundary (boundary.c). */
struct icscf_edge {
	bool src_untrusted;         /* it came from outside the trust domain */
	bool hide;                  /* THIG: hide entries of responses going back */
	bool restore;               /* THIG: we hid its entries, responses restore them */
};

/* Trust table of a config: its networks plus the S-CSCF pool (n->pool)
 * and the home domains. */
int icscf_trust_build(struct icscf *n, const struct icscf_config *cfg, struct trust_table *out);
/* THIG key and state from n->cfg (after the SIP agent exists). */
int icscf_thig_start(struct icscf *n);
/* INVITE, SUBSCRIBE or REFER outside a dialog (RFC 3261 12.1). */
bool icscf_dialog_creating(const sip_t *sip);
/* A request copy entering: THIG Route token restored (-EBADMSG: refused,
 * answer 403), trust headers stripped when e->src_untrusted, our
 * Path/Record-Route added under THIG. */
int icscf_edge_in(struct icscf *n, msg_t *req, struct icscf_edge *e);
/* Once routing is done: when the next hop (top Route, else Request-URI)
 * is outside the trust domain, strip and hide (THIG). */
int icscf_edge_out(struct icscf *n, msg_t *req, struct icscf_edge *e);
/* Each response relayed back for that request. */
void icscf_edge_response(struct icscf *n, msg_t *resp, const struct icscf_edge *e);
/* A response callback doing only icscf_edge_response (ctx = node), or
 * NULL when nothing is to be done. */
sipproxy_response_fn icscf_edge_relay_fn(const struct icscf_edge *e);

/* A request in progress. kind-specific data lives in the owner's struct,
 * which embeds this first; cancel answers (status) and frees it. */
struct icscf_job {
	struct icscf_job *prev, *next;
	struct icscf *node;
	void (*cancel)(struct icscf_job *job, int status);
};

void icscf_job_link(struct icscf *n, struct icscf_job *job);
void icscf_job_unlink(struct icscf_job *job);

/* The home realm (diameter.realm) and home domain test on a host. */
const char *icscf_realm(const struct icscf *n);
bool icscf_is_home_domain(const struct icscf *n, const char *host);
/* True if the URI host:port names this node (Route popping). */
bool icscf_is_me(const struct icscf *n, const url_t *url);

/* Remove the topmost Route entries that name this node (RFC 3261 16.4);
 * *orig (if not NULL) is set when one of them carried the "orig" parameter
 * (TS 24.229 5.3.2.1: the request is originating). */
void icscf_pop_own_routes(struct icscf *n, msg_t *msg, sip_t *sip, bool *orig);

/* The S-CSCF next hop for a Server-Name: the pool's address or the name. */
const char *icscf_next_hop(const struct icscf *n, const char *server_name);

/* Request handlers (return as sipagent_request_fn). */
int icscf_on_request(void *ctx, nta_incoming_t *irq, const sip_t *sip);
int icscf_register(struct icscf *n, nta_incoming_t *irq, const sip_t *sip);
int icscf_terminating(struct icscf *n, nta_incoming_t *irq, const sip_t *sip);

/* OPTIONS keep-alives toward the pool (scscf_health.c): start probes at
 * once and every probe_interval; called again after a reload. */
int icscf_health_start(struct icscf *n);
void icscf_health_stop(struct icscf *n);
/* Cancel the probes of a pool about to be freed. */
void icscf_health_cancel(struct scscf_pool *pool);

#endif
