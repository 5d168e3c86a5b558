/*
 * sess_fork: the terminating request to the served user's contacts
 * (TS 24.229 5.4.3.3 step 10, RFC 3261 16.6-16.8 and 16.10, RFC 3841,
 * RFC 5626 5.3).
 *
 * Plan (pure): the registered contacts, highest q first, become at most
 * max_branches targets grouped in classes tried in turn: parallel mode puts
 * the contacts of equal q in one class (all at once), sequential mode one
 * contact per class, highest-q mode only the first contact. Two contacts
 * with the same +sip.instance are one device: only the first is a target.
 *
 * Outbound (RFC 5626 5.3): the other flows of an instance are kept as
 * backups; when the flow tried answers 430 Flow Failed or 408, or cannot
 * be reached (transport error, no response in time), the next flow of the
 * same instance replaces it in the same class. Any other final response of
 * the instance is its answer. 430 never goes upstream: it counts as 480.
 *
 * Request-Disposition (RFC 3841 9, caller preferences of the terminating
 * request): no-fork = the best contact only; parallel / sequential choose
 * the order over session.fork (not over highest-q, the operator's "never
 * fork"); redirect = 302 with the contacts instead of proxying;
 * no-cancel = the other branches are not CANCELled after a 2xx (their
 * timers still end them); recurse = the Contacts of a 3xx from a branch
 * become new targets (after the current ones, each URI once, within
 * SESS_FORK_MAX_BRANCHES), no-recurse or nothing said = the 3xx competes
 * in selection as before. queue / no-queue: we never queue a request (a
 * busy callee answers 486 at once), so both are accepted and ignored.
 *
 * Selection (pure, RFC 3261 16.7 step 6): 6xx beats everything; otherwise
 * the lowest class among 3xx/4xx/5xx; within 4xx the responses that let
 * the caller retry (401, 407, 415, 420, 484) first, then the rest, then
 * 480 (and 430), then 408 (a branch that timed out says least). 503 is
 * sent upstream as 500 (16.7 step 6), 430 as 480 (RFC 5626 5.3). 2xx never
 * reaches selection: it is forwarded at once and the other branches are
 * CANCELled.
 *
 * Engine: one struct sess_fork per request, owning the server transaction.
 * Each branch is a client transaction of its own (nta), with the contact as
 * Request-URI and its Path as the Route set; provisional responses above
 * 100 are relayed; a branch without a response beyond 100 Trying after
 * branch_timeout, or ringing without an answer after ring_timeout, is
 * CANCELled (or forgotten when nothing came back) and counts as 408, as
 * does a contact nta could not reach (its own 503/408), so a
 * dead contact neither blocks nor fails the call while another branch can
 * still answer. Exactly one final response goes upstream (plus any further
 * 2xx to an INVITE, RFC 3261 16.7 step 5).
 * Thread rules: loop thread only.
 */
#ifndef SCSCF_SESS_FORK_H
#define SCSCF_SESS_FORK_H

#include <stdbool.h>
#include <stddef.h>

#include <sofia-sip/sip.h>

#include "registrar/registrar.h"

#define SESS_FORK_MAX_BRANCHES 16

/* Request-Disposition directives of a request (RFC 3841 9.1). */
struct sess_disposition {
	bool redirect;     /* "redirect" (default "proxy") */
	bool no_cancel;    /* "no-cancel" (default "cancel") */
	bool no_fork;      /* "no-fork" (default "fork") */
	int recurse;       /* 1 "recurse", 0 "no-recurse", -1 not said */
	int order;         /* SCSCF_FORK_PARALLEL or _SEQUENTIAL, -1 not said */
	bool queue;        /* "queue": accepted, never done */
	unsigned unknown;  /* directives we do not know: ignored */
};

void sess_disposition_init(struct sess_disposition *d);
/* One directive (case-insensitive); a later one overrides an earlier
 * opposite. Unknown ones are counted and ignored. */
void sess_disposition_add(struct sess_disposition *d, const char *directive);
/* Every Request-Disposition header field of sip (d is initialised). */
void sess_disposition_read(const sip_t *sip, struct sess_disposition *d);
/* The fork mode for this request: cfg_mode adjusted by d. */
int sess_disposition_mode(const struct sess_disposition *d, int cfg_mode);

/* Targets of the plan: indexes into the contact array and their class
 * (0, 1, ... in the order they are tried). Returns how many (<= max). */
size_t sess_fork_plan(const struct registrar_contact *c, size_t n, int mode, size_t max,
		      size_t *idx, unsigned *cls);

/* RFC 5626 5.3: the contacts that are other flows of a target's instance
 * (not targets themselves), best first, at most max: their indexes go to
 * bidx and, in of[], the position in idx[] of the target they back up. */
size_t sess_fork_backups(const struct registrar_contact *c, size_t n, const size_t *idx,
			 size_t k, size_t max, size_t *bidx, size_t *of);
/* Does a final status of a flow let the next flow of its instance be
 * tried (RFC 5626 5.3: 430 and 408 only)? */
bool sess_fork_flow_failed(int status);

/* Preference rank of a final non-2xx status for selection: lower wins. */
int sess_fork_rank(int status);
/* Is candidate a better final response than current (0 = none yet)? */
bool sess_fork_better(int candidate, int current);
/* The status that goes upstream for the selected one (503 -> 500,
 * 430 -> 480). */
int sess_fork_upstream_status(int status);

struct sess_job;
/* Fork job (terminating, registered user) to the n contacts (n >= 1) as
 * disposition d says. Consumes the job: it is answered now or later. */
void sess_fork_start(struct sess_job *job, const struct registrar_contact *c, size_t n,
		     const struct sess_disposition *d);

/* TS 24.229 5.4.5.1.1: impu's contact with key ue_key (sess_dialog.h;
 * NULL: all of them) was de-registered: its INVITE branches in progress
 * are CANCELled (or not started), each counting as 480. Returns how many
 * branches. */
struct session;
size_t sess_fork_release(struct session *s, const char *impu, const char *ue_key);

/* Forget every fork in progress (session stop, after the SIP agent is
 * gone: nta objects are not touched). */
void sess_fork_free_all(struct session *s);

#endif
