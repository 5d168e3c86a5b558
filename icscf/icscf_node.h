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
};

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
