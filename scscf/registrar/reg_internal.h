/*
 * reg_internal: the registrar's state shared by its files
 * (reg_register.c: the REGISTER procedure, reg_cx.c: the Cx exchanges,
 * reg_reply.c: responses, registrar.c: life cycle, timers and the state
 * file, reg_hss.c: RTR/PPR, reg_event.c + reg_notify.c: the reg event
 * package, reg_lookup.c: what session control asks).
 */
#ifndef SCSCF_REG_INTERNAL_H
#define SCSCF_REG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <sofia-sip/nta.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/su_wait.h>

#include "cx/cx_client.h"
#include "ifc/ifc.h"
#include "reg_auth.h"
#include "reg_event.h"
#include "reg_request.h"
#include "reg_store.h"
#include "registrar.h"

struct reg_op;
struct reg_third;
struct reg_sync;

struct registrar {
	const struct scscf_registrar_config *cfg;
	char *realm, *server_name, *service_route, *hss_realm, *hss_host;
	char *contact;           /* "<sip:scscf@hostport>": Contact of our NOTIFYs */
	struct cxc_dest hss;
	struct reg_policy policy;
	su_root_t *root;
	su_timer_t *timer;
	struct dia_bridge *cx;
	nta_agent_t *agent;      /* NULL: no reg event (SUBSCRIBE gets 501) */
	struct sipagent *sip;    /* agent's owner, or NULL (tests) */
	struct reg_store store;
	struct reg_auth auth;
	struct reg_events events;
	struct reg_op *ops;      /* Cx exchanges in flight */
	struct reg_third *thirds; /* third-party REGISTERs in flight (reg_third.c) */
	size_t n_thirds;
	bool dirty;              /* bindings changed since the last snapshot */
	int64_t saved_at;        /* store clock of the last snapshot */
	struct reg_sync *sync;   /* MariaDB write-back (reg_sync.c), or NULL */
	registrar_gone_fn gone;  /* registrar_on_gone, or NULL */
	void *gone_ctx;
};

/* A client transaction from the registrar (NOTIFY, third-party REGISTER):
 * through sipagent_outgoing (host names resolved safely) when the agent
 * has an owner, else straight to nta. NULL on failure, msg still ours. */
nta_outgoing_t *reg_outgoing(struct registrar *r, nta_response_f *cb,
			     nta_outgoing_magic_t *magic, const char *next_hop, msg_t *msg);

enum reg_op_kind { REG_OP_MAR, REG_OP_SAR };

/* One Cx exchange in flight; irq NULL when no SIP transaction waits. */
struct reg_op {
	struct reg_op *prev, *next;
	struct registrar *r;
	enum reg_op_kind kind;
	nta_incoming_t *irq;
	msg_t *req;              /* the REGISTER (own reference) */
	char *impi, *impu;
	enum cx_server_assignment_type sat;
	bool stale;              /* MAR after an unknown nonce: 401 stale=true */
	bool digest_first;       /* Digest asked for a REGISTER without credentials:
				  * on 5006 the MAR is repeated for AKA */
	registrar_profile_cb cb; /* SAR UNREGISTERED_USER for session control */
	void *cb_ctx;
};

int64_t reg_now(void);

/* registrar.c: tell registrar_on_gone's listener that contact (NULL: every
 * binding) of rec's set went. */
void reg_gone(struct registrar *r, const struct reg_record *rec, const char *contact);

/* reg_sync.c: registrar.store mariadb: load the bindings (blocking, at
 * start) and start the write-back; nothing when the store is the file. */
int reg_sync_start(struct registrar *r);
/* Writes the last changes (bounded wait) and stops; before the store and
 * the reg-event table are freed. */
void reg_sync_stop(struct registrar *r);

struct reg_op *reg_op_new(struct registrar *r, enum reg_op_kind kind, nta_incoming_t *irq,
			  msg_t *req, const char *impi, const char *impu);

/* reg_hss.c: serve RTR and PPR on r->cx. */
int reg_hss_serve(struct registrar *r);

/* reg_hss.c: network-initiated de-registration of rec (TS 24.229
 * 5.4.1.5) without an SAR: third-party REGISTER Expires: 0 to the ASs
 * (reg_third_deregister), NOTIFY its subscribers (gone_event), remove,
 * persist. rec is freed. */
void reg_deregister_set(struct registrar *r, struct reg_record *rec, const char *gone_event);

/* reg_third.c: third-party registration (TS 24.229 5.4.1.7) after the 200
 * OK: req is the UE's REGISTER, ok our 200 OK or NULL (both borrowed),
 * rec the set (still holding its profile, also on de-registration), impu
 * the registered IMPU, expires 0 on de-registration. Never blocks. */
void reg_third_register(struct registrar *r, msg_t *req, msg_t *ok, const struct reg_record *rec,
			const char *impu, enum ifc_reg_type type, int64_t expires);
/* reg_third.c: network-initiated de-registration of rec (RTR, an AS
 * failing with SESSION_TERMINATED; TS 24.229 5.4.1.5): the ASs of the
 * REGISTER iFCs (de-registration) get a third-party REGISTER with
 * Expires: 0, as on a UE's de-registration. Call before rec goes. */
void reg_third_deregister(struct registrar *r, const struct reg_record *rec);
/* Seconds the longest-lived contact of rec has left (0: none). */
int64_t reg_record_expires_in(const struct reg_record *rec, int64_t now);
/* Drop every third-party REGISTER in flight, no callbacks. */
void reg_third_forget_all(struct registrar *r);

/* reg_notify.c / reg_event.c internals. */
int reg_notify_send(struct registrar *r, struct reg_sub *s, const struct reg_ev_snap *before,
		    const struct reg_record *after, const char *gone_event, const char *reason);
void reg_notify_forget_all(struct reg_events *e);
void reg_sub_remove(struct reg_events *e, struct reg_sub *s);

/* reg_lookup.c: the answer of an SAR UNREGISTERED_USER. */
void reg_unreg_answer(struct reg_op *op, struct msg *ans, int err);

/* reg_cx.c. Both take irq/req (answered, destroyed) even on failure.
 * scheme: CX_AUTH_SCHEME_*; resync: RAND||AUTS or NULL. */
void reg_cx_mar(struct registrar *r, nta_incoming_t *irq, msg_t *req, const struct reg_req *q,
		const char *scheme, const uint8_t *resync, size_t resync_len, bool stale);
void reg_cx_sar(struct registrar *r, nta_incoming_t *irq, msg_t *req, const char *impi,
		const char *impu, enum cx_server_assignment_type sat, bool data_available);
void reg_op_free(struct reg_op *op);
/* SAR UNREGISTERED_USER whose answer goes to cb (reg_unreg_answer). */
int reg_cx_sar_unregistered(struct registrar *r, const char *impu, registrar_profile_cb cb,
			    void *ctx);

/* reg_register.c: the bindings step once the request is authenticated
 * (also run when the SAA of a REGISTRATION arrives). */
void reg_register_finish(struct registrar *r, nta_incoming_t *irq, msg_t *req,
			 struct reg_profile **profile);

/* Overload (RFC 6357 3): a REGISTER that would start an authentication is
 * refused with 503 once the Cx bridge holds this share of its bound
 * (diameter.max_pending), so that the REGISTERs with credentials, whose
 * challenge is already spent, still find room for their SAR. */
#define REG_ADMIT_PERCENT 75
/* Retry-After (s) of those 503s: about what the HSS needs to drain. */
#define REG_OVERLOAD_RETRY_AFTER 2

/* reg_reply.c: each sends one final response, destroys irq and drops req
 * (req may be NULL). */
void reg_reply_status(nta_incoming_t *irq, msg_t *req, int status, const char *phrase,
		      unsigned retry_after);
void reg_reply_423(nta_incoming_t *irq, msg_t *req, int64_t min_expires);
void reg_reply_challenge(nta_incoming_t *irq, msg_t *req, const struct sip_auth_challenge *ch);
void reg_reply_ok(struct registrar *r, nta_incoming_t *irq, msg_t *req,
		  const struct reg_record *rec);
/* The same; returns a reference to the 200 OK as sent (msg_destroy), or
 * NULL when it could not be built. */
msg_t *reg_reply_ok_kept(struct registrar *r, nta_incoming_t *irq, msg_t *req,
			 const struct reg_record *rec);

#endif
