/*
 * P-CSCF (the Gm edge facing UEs, TS 24.229 5.2): configuration, the node
 * context shared by its modules, and the life cycle.
 *
 * pcscf_schema describes the YAML file; pcscf_start/pcscf_stop are the
 * daemon callbacks (see ims/daemon.h). Request handling is split by job:
 * register.c (REGISTER relay), originating.c (UE -> core), terminating.c
 * (core -> UE), dialog.c (in-dialog loose routing), regevent.c (reg event
 * subscription), with the registration store (registrations.h), ck/ik
 * store (keys.h), asserted identity (identity.h), charging (charging.h),
 * flow tokens (flow.h), reginfo bodies (reginfo.h) and per-source rate
 * limiting (ratelimit.h) as plain modules; tls.c adds the optional TLS
 * listener and the RFC 3329 "tls" security agreement.
 * Thread rules: everything runs on the loop thread.
 */
#ifndef PCSCF_H
#define PCSCF_H

#include <stdbool.h>
#include <stdint.h>

#include <sofia-sip/nta.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/su_wait.h>

#include "ims/admit.h"
#include "ims/config.h"
#include "ims/daemon.h"
#include "ims/log.h"
#include "ims/sipagent.h"
#include "ims/sipproxy.h"

#include "charging.h"
#include "flow.h"
#include "keys.h"
#include "ratelimit.h"
#include "registrations.h"

/* Per-source rate limit of requests from the Gm side (ratelimit.h). */
struct pcscf_ratelimit_config {
	long long rate;         /* requests/s per source IP; 0 = off */
	long long burst;        /* bucket size (requests) */
	long long sources;      /* sources tracked at most (LRU) */
	long long retry_after;  /* seconds, in the 503's Retry-After */
	struct cfg_strv exempt; /* trusted core addresses, never limited */
};

/* Optional TLS listener on Gm (sofia-sip's OpenSSL tport; tls.c). */
struct pcscf_tls_config {
	uint16_t port;          /* 0 = no TLS */
	char *cert;             /* PEM certificate (chain) file */
	char *key;              /* PEM private key file */
	char *ca;               /* PEM CA file (optional) */
};

struct pcscf_config {
	struct ims_log_config log;
	struct sipagent_config sip;
	char *home_network;        /* our domain, used as orig-ioi */
	char *icscf;               /* next hop for REGISTER (SIP URI) */
	char *visited_network_id;  /* P-Visited-Network-ID value (TS 24.229 5.2.2.1) */
	long long max_registrations;
	long long max_pending_registers; /* REGISTERs at the core at once */
	long long register_latency;      /* ms: above it (smoothed), shed new ones */
	long long max_pending_requests;  /* UE initial requests at the core at once */
	long long request_latency;       /* ms: above it (smoothed), shed a share of new ones */
	bool reg_event;            /* subscribe to reg event (TS 24.229 5.2.3) */
	struct pcscf_ratelimit_config rate_limit;
	struct pcscf_tls_config tls;
};

extern const struct cfg_field pcscf_schema[];

/* The running node. */
struct pcscf {
	const struct pcscf_config *cfg;
	struct sipagent *sip;
	struct reg_store *regs;
	struct key_store *keys;
	struct chg_icid icid;
	struct flow_key flow_key;   /* MAC key of our Path tokens */
	struct rl_table *rl;        /* NULL when rate limiting is off */
	uint64_t rl_reported;       /* refusals already logged */
	/* Overload control of REGISTERs at the core (register.c, ims/admit.h):
	 * in flight = forwarded, no final answer yet; latency = smoothed time
	 * to a REGISTER's final answer. */
	struct admit reg_admit;
	/* The same for initial requests from UEs (INVITE, MESSAGE...,
	 * originating.c): latency = time to their first answer. */
	struct admit req_admit;
	su_timer_t *sweep;
};

int pcscf_start(struct ims_daemon *d, void *cfg);
void pcscf_stop(struct ims_daemon *d);

/* Request handlers: each returns as a sipagent_request_fn does (0 after
 * taking irq, or a SIP status for the agent to send). src is the flow the
 * request arrived on. */
int pcscf_register(struct pcscf *n, nta_incoming_t *irq, const sip_t *sip,
		   const struct flow *src);
int pcscf_originating(struct pcscf *n, nta_incoming_t *irq, const struct flow *src,
		      struct reg *reg);
int pcscf_terminating(struct pcscf *n, nta_incoming_t *irq, struct reg *reg);
/* from_ue: the registration of the flow the request came from, or NULL. */
int pcscf_in_dialog(struct pcscf *n, nta_incoming_t *irq, const sip_t *sip,
		    const struct reg *from_ue);
/* reg event (regevent.c): SUBSCRIBE after a new registration (0 or
 * -errno), and a NOTIFY of that subscription (handler return). */
int regevent_subscribe(struct pcscf *n, struct reg *reg);
int regevent_notify(struct pcscf *n, nta_incoming_t *irq, const sip_t *sip, struct reg *reg);

/* TLS on Gm (tls.c): add the TLS transport when cfg->tls.port is set,
 * 0 otherwise. 0 or -errno (bad files, port in use, no TLS in sofia). */
int pcscf_tls_start(struct pcscf *n);
/* RFC 3329 sec-agree (tls.c): when a UE's REGISTER says Require: sec-agree
 * and offers a mechanism we serve over a transport it did not use, answer
 * 494 with Security-Server and return 0; return 1 when the request may go
 * on (no sec-agree asked, or the agreement is met). */
int pcscf_sec_agree(struct pcscf *n, nta_incoming_t *irq, const sip_t *sip,
		    const struct flow *src);

/* Helpers shared by the handlers (route.c). */
/* True when url names this node (host and port equal to what we advertise). */
bool pcscf_url_is_us(const struct pcscf *n, const url_t *url);
/* Prepend Record-Route: <sip:[user@]us;lr> (RFC 3261 16.6 step 4). */
int pcscf_add_record_route(struct pcscf *n, msg_t *msg, const char *user);
/* Remove every header called name (typed or unknown). */
void pcscf_remove_header(msg_t *msg, const char *name);
/* The same for each name of a NULL-terminated list, in one pass. */
void pcscf_remove_headers(msg_t *msg, const char *const *names);
/* No security agreement yet (no IPsec, TS 33.203): remove what RFC 3329
 * puts in a UE's requests for its first hop -- Security-Client,
 * Security-Verify, and sec-agree from Require/Proxy-Require (a header left
 * empty is removed) -- so the core never sees it (TS 24.229 5.2.2.1). */
void pcscf_strip_sec_agree(msg_t *msg);
/* Remove the Route entries at the top that name us; returns the user part
 * of the last one removed (in msg's home; "" when it had none), or NULL
 * when the top Route was not ours. */
const char *pcscf_pop_own_routes(struct pcscf *n, msg_t *msg);
/* Forward req (taken) statefully; cb may be NULL. Returns 0, or a SIP
 * status (503) for the handler to return when nothing was sent. */
int pcscf_forward(struct pcscf *n, nta_incoming_t *irq, msg_t *req, const char *next_hop,
		  sipproxy_response_fn cb, void *ctx);
/* Seconds on the monotonic clock (registration and key expiry). */
long long pcscf_now(void);

#endif
