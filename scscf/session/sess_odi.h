/*
 * sess_odi: the Original Dialog Identifier table (TS 24.229 5.4.3.3 step 4,
 * TS 23.218 6.4): one entry per request sent to an application server, so
 * that when the AS sends the request back with Route: <sip:odi-TOKEN@us;lr>
 * the S-CSCF resumes with the next iFC of the same served user and case.
 *
 * Bounded: at most cap entries; sess_odi_alloc fails with -EBUSY beyond.
 * An entry lives while the AS transaction runs (it ends with a final
 * response, or nta's own timeout 408) and then `linger` seconds more, done:
 * an AS acting as a B2BUA may answer first and send its request back after.
 * Done entries past their time are reclaimed by sess_odi_alloc; time is a
 * caller-supplied clock in seconds, so tests need no sleeping.
 * Token: "odi-" + 8 hex digits of the slot + 16 hex digits of a random
 * nonce fixed at allocation: a token whose nonce does not match the slot's
 * current entry (forged, altered, or of a released entry) is refused.
 *
 * Ownership: entries belong to the table; e->req (may be NULL) is owned by
 * the entry and destroyed on release. Thread rules: loop thread only.
 */
#ifndef SCSCF_SESS_ODI_H
#define SCSCF_SESS_ODI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sofia-sip/msg.h>

#include "ifc/ifc.h"
#include "sess_dialog.h"
#include "sess_route.h"

#define SESS_ODI_TOKEN_LEN (8 + 16)

struct sess_odi {
	bool used;
	uint32_t slot;
	uint64_t nonce;
	enum ifc_session_case sc;
	char served[SESS_URI_MAX];
	int priority;                      /* of the iFC that sent it to the AS */
	enum ifc_default_handling handling;
	bool returned;                     /* the AS sent the request back */
	bool done;                         /* the AS transaction ended */
	int64_t expires;                   /* done: refused from then on */
	msg_t *req;                        /* the request before the AS routes */
	struct sess_dlg_note dlg;          /* the pass's dialog note */
	void *owner;                       /* the session */
};

struct sess_odi_table {
	struct sess_odi *v;
	size_t cap, n_used, cursor;
};

int sess_odi_init(struct sess_odi_table *t, size_t cap);
/* Releases every entry. */
void sess_odi_free(struct sess_odi_table *t);

/* A cleared entry with the given nonce (a done entry expired at now may be
 * reused); -EBUSY when full. */
int sess_odi_alloc(struct sess_odi_table *t, uint64_t nonce, int64_t now,
		   struct sess_odi **out);
/* The AS transaction of e ended: keep it linger seconds from now. */
void sess_odi_finish(struct sess_odi *e, int64_t now, int64_t linger);
void sess_odi_release(struct sess_odi_table *t, struct sess_odi *e);

/* The token of e (without "odi-"), NUL-terminated; -ENOSPC. */
int sess_odi_token(const struct sess_odi *e, char *out, size_t cap);
/* The live entry a token names, or NULL (malformed, unknown, tampered,
 * done and expired at now). */
struct sess_odi *sess_odi_lookup(struct sess_odi_table *t, const char *token, int64_t now);

#endif
