/*
 * sess_internal: state shared by the session files (session.c: life cycle,
 * dispatch and in-dialog; sess_orig.c / sess_term.c: the two cases;
 * sess_isc.c: iFCs and application servers). Served users are looked up
 * through the registrar's API (registrar.h, "for session control").
 *
 * A struct sess_job is one initial request being routed. It is answered
 * either on its server transaction (irq) or, when it continues after an AS
 * failure, on the proxy transaction that took that failure (tx). Every
 * sess_job_* function that ends the job consumes irq/tx and req.
 */
#ifndef SCSCF_SESS_INTERNAL_H
#define SCSCF_SESS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ims/admit.h"
#include "ims/sipproxy.h"
#include "ifc/ifc.h"
#include "registrar/reg_profile.h"
#include "sess_dialog.h"
#include "sess_fork.h"
#include "sess_odi.h"
#include "sess_route.h"
#include "session.h"

struct session {
	const struct scscf_session_config *cfg;
	struct sipagent *sip;
	struct registrar *reg;
	struct sess_self self;
	const char *realm;
	const struct cfg_strv *domains;
	char record_route[SESS_URI_MAX + 16];
	struct sess_odi_table odi;
	su_root_t *root;                 /* branch timers of forks */
	struct sess_fork *forks;         /* in progress (sess_fork.c) */
	/* Overload control (ims/admit.h): forks and tracked forwards of
	 * initial requests are in flight until their final response goes
	 * upstream; each gives one latency sample (its first answer). */
	struct admit admit;
	su_timer_t *report;              /* once a second: refusals summary */
	struct sess_dialogs dialogs;     /* confirmed INVITE dialogs (sess_dialog.h) */
	uint64_t dialogs_refused;        /* last reported table-full count */
};

#define SESS_PRIORITY_START INT32_MIN

struct sess_job {
	struct session *s;
	nta_incoming_t *irq;
	struct sipproxy_tx *tx;
	msg_t *req;                      /* our copy, routes to us popped */
	enum ifc_session_case sc;
	char served[SESS_URI_MAX];       /* canonical IMPU of the served user */
	int after_priority;              /* iFCs up to this one done */
	/* Terminating to an unregistered user: the profile a SAR
	 * UNREGISTERED_USER brought, borrowed during its callback only. */
	const struct reg_profile *unreg;
	struct sess_dlg_note dlg;        /* initial INVITE: its dialog note */
};

/* session.c */
void sess_job_reply(struct sess_job *job, int status, const char *phrase);
/* The same with one extra "Name: value" header line (or NULL). */
void sess_job_reply_hdr(struct sess_job *job, int status, const char *phrase,
			const char *extra);
/* Milliseconds on the monotonic clock. */
int64_t sess_now_ms(void);
/* Sends job->req on; on failure the job is answered 500 and -errno
 * returned (cb will then never be called). */
int sess_job_forward(struct sess_job *job, const char *next_hop, sipproxy_response_fn cb,
		     void *ctx);
/* Route the job: next iFC, else the end of the case. */
void sess_job_run(struct sess_job *job);
int sess_set_request_uri(msg_t *req, const char *uri);
int sess_prepend_route(msg_t *req, const char *value);

/* sess_track.c: a response to a pass of an initial INVITE (note) seen
 * on its way upstream: a 2xx confirms the pass's dialog (sess_dialog.h).
 * sc/served: the case and served user the pass was in when it forwarded
 * req (the request as forwarded, may be NULL). */
void sess_dialog_seen(struct session *s, const struct sess_dlg_note *note,
		      enum ifc_session_case sc, const char *served, const sip_t *req,
		      msg_t *resp);
/* sess_track.c: an in-dialog request passed our Route entries; tokens[]
 * are their dlg tokens (CSeq tracking, BYE ends the record). */
void sess_dialog_in_dialog(struct session *s, char tokens[][SESS_DLG_TOKEN_LEN + 1], size_t n,
			   const sip_t *req);

/* sess_isc.c: 1 when sent to an AS (job consumed), 0 when no iFC is left. */
int sess_isc_next(struct sess_job *job);
/* A request back from an AS (top Route our ODI, already popped). */
void sess_isc_resume(struct session *s, struct sess_job *job, const char *token);

/* sess_orig.c / sess_term.c */
void sess_orig_start(struct sess_job *job);   /* checks the asserted identity */
void sess_orig_finish(struct sess_job *job);  /* after the originating iFCs */
void sess_term_finish(struct sess_job *job);  /* after the terminating iFCs */

#endif
