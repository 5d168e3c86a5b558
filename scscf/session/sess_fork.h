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
 * Selection (pure, RFC 3261 16.7 step 6): 6xx beats everything; otherwise
 * the lowest class among 3xx/4xx/5xx; within 4xx the responses that let
 * the caller retry (401, 407, 415, 420, 484) first, then the rest, then
 * 480, then 408 (a branch that timed out says least). 503 is sent upstream
 * as 500 (16.7 step 6). 2xx never reaches selection: it is forwarded at
 * once and the other branches are CANCELled.
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

#include "registrar/registrar.h"

#define SESS_FORK_MAX_BRANCHES 16

/* Targets of the plan: indexes into the contact array and their class
 * (0, 1, ... in the order they are tried). Returns how many (<= max). */
size_t sess_fork_plan(const struct registrar_contact *c, size_t n, int mode, size_t max,
		      size_t *idx, unsigned *cls);

/* Preference rank of a final non-2xx status for selection: lower wins. */
int sess_fork_rank(int status);
/* Is candidate a better final response than current (0 = none yet)? */
bool sess_fork_better(int candidate, int current);
/* The status that goes upstream for the selected one (503 -> 500). */
int sess_fork_upstream_status(int status);

struct sess_job;
/* Fork job (terminating, registered user) to the n contacts (n >= 1).
 * Consumes the job: it is answered now or later. */
void sess_fork_start(struct sess_job *job, const struct registrar_contact *c, size_t n);

/* Forget every fork in progress (session stop, after the SIP agent is
 * gone: nta objects are not touched). */
struct session;
void sess_fork_free_all(struct session *s);

#endif
