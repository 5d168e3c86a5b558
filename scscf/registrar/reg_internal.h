/*
 * reg_internal: the registrar's state shared by its files
 * (reg_register.c: the REGISTER procedure, reg_cx.c: the Cx exchanges,
 * reg_reply.c: responses, registrar.c: life cycle and timers).
 */
#ifndef SCSCF_REG_INTERNAL_H
#define SCSCF_REG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <sofia-sip/nta.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/su_wait.h>

#include "cx/cx_client.h"
#include "reg_auth.h"
#include "reg_request.h"
#include "reg_store.h"
#include "registrar.h"

struct reg_op;

struct registrar {
	const struct scscf_registrar_config *cfg;
	char *realm, *server_name, *service_route, *hss_realm, *hss_host;
	struct cxc_dest hss;
	struct reg_policy policy;
	su_root_t *root;
	su_timer_t *timer;
	struct dia_bridge *cx;
	struct reg_store store;
	struct reg_auth auth;
	struct reg_op *ops;      /* Cx exchanges in flight */
};

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
};

int64_t reg_now(void);

/* reg_cx.c. Both take irq/req (answered, destroyed) even on failure.
 * scheme: CX_AUTH_SCHEME_*; resync: RAND||AUTS or NULL. */
void reg_cx_mar(struct registrar *r, nta_incoming_t *irq, msg_t *req, const struct reg_req *q,
		const char *scheme, const uint8_t *resync, size_t resync_len, bool stale);
void reg_cx_sar(struct registrar *r, nta_incoming_t *irq, msg_t *req, const char *impi,
		const char *impu, enum cx_server_assignment_type sat, bool data_available);
void reg_op_free(struct reg_op *op);

/* reg_register.c: the bindings step once the request is authenticated
 * (also run when the SAA of a REGISTRATION arrives). */
void reg_register_finish(struct registrar *r, nta_incoming_t *irq, msg_t *req,
			 struct reg_profile **profile);

/* reg_reply.c: each sends one final response, destroys irq and drops req
 * (req may be NULL). */
void reg_reply_status(nta_incoming_t *irq, msg_t *req, int status, const char *phrase,
		      unsigned retry_after);
void reg_reply_423(nta_incoming_t *irq, msg_t *req, int64_t min_expires);
void reg_reply_challenge(nta_incoming_t *irq, msg_t *req, const struct sip_auth_challenge *ch);
void reg_reply_ok(struct registrar *r, nta_incoming_t *irq, msg_t *req,
		  const struct reg_record *rec);

#endif
