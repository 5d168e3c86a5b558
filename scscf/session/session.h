/*
 * session: S-CSCF session control for every request other than REGISTER
 * (TS 24.229 5.4.3, TS 23.218 6, TS 29.228 Annex B/F):
 *  - originating (top Route = our Service-Route "orig"): the asserted
 *    identity must be registered here and not barred (else 403);
 *    originating iFCs; then the callee: registered here -> terminating case
 *    directly (route_local), our domain -> I-CSCF, tel URI -> number table
 *    or breakout, else by the Request-URI;
 *  - terminating (Request-URI a user of ours): terminating iFCs, then the
 *    user's contacts, each via its Path, forked per session.fork
 *    (sess_fork.h; 480 when not registered);
 *  - iFC -> ISC: Route <AS;lr>, <sip:odi-TOKEN@us;lr>; the request coming
 *    back resumes after the matched priority; AS failure (408, 5xx, no
 *    answer) follows DefaultHandling;
 *  - in-dialog requests by their Route set (we Record-Route), ACK
 *    statelessly; CANCEL passed on by sipproxy;
 *  - confirmed INVITE dialogs are recorded (sess_dialog.h: Call-ID, tags,
 *    targets, route sets, CSeqs, served users; BYE or max age ends them),
 *    so that a de-registration releases the user's sessions with BYE
 *    (session_release, sess_release.c).
 * Every request gets exactly one final response (ours or relayed).
 * Ownership: borrows everything in params (must outlive the session).
 * Thread rules: loop thread only.
 */
#ifndef SCSCF_SESSION_H
#define SCSCF_SESSION_H

#include <stdbool.h>

#include <sofia-sip/nta.h>
#include <sofia-sip/sip.h>

#include "registrar/registrar.h"
#include "scscf.h"

struct session;

struct session_params {
	const struct scscf_session_config *cfg;
	struct sipagent *sip;
	su_root_t *root;                  /* the loop (branch timers) */
	struct registrar *reg;            /* bindings and profiles of served users */
	const char *server_name;          /* our SIP URI (also "us") */
	const char *realm;                /* home domain when domains is empty */
	const struct cfg_strv *domains;   /* our domains, may be empty */
};

int session_create(const struct session_params *p, struct session **out);
/* Pending AS round trips are forgotten (their transactions end in sipproxy). */
void session_destroy(struct session *s);

/* Any request but REGISTER, sipagent callback convention: 0 when answered
 * or forwarded, else the SIP status for the agent to send. */
int session_on_request(struct session *s, nta_incoming_t *irq, const sip_t *sip);
/* Overload control of a new request, before any transaction exists (the
 * daemon's sipagent screen): true = refuse it now with 503 and
 * Retry-After ADMIT_RETRY_AFTER (an initial request while the session's
 * admission control sheds; never in-dialog requests, ACK, CANCEL, requests
 * back from an AS or addressed to the S-CSCF itself). */
bool session_screen(struct session *s, const sip_t *sip);

/* De-registration of impu (canonical), of its contact `contact` (a
 * binding's Contact URI) or, NULL, of all: its recorded sessions are
 * released with BYE both ways (TS 24.229 5.4.5.1.2) and the INVITE
 * branches ringing at those contacts CANCELled (5.4.5.1.1). Returns how
 * many sessions were released. */
size_t session_release(struct session *s, const char *impu, const char *contact);
/* Confirmed INVITE dialogs recorded now. */
size_t session_count_dialogs(const struct session *s);

#endif
