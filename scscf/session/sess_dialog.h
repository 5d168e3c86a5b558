/*
 * sess_dialog: what the S-CSCF keeps of confirmed INVITE dialogs — enough
 * to count them and to release a served user's sessions with BYE when the
 * user is de-registered (TS 24.229 5.4.5.1.2, 5.4.1.4, 5.4.1.5). Nothing
 * else: in-dialog requests are still routed by their Route set.
 *
 * Every pass of an initial INVITE through the S-CSCF Record-Routes with a
 * token of its own (";dlg=TOKEN"): a call between two users served here
 * passes twice (originating, terminating) and is two records, each knowing
 * its place in the route set. A record is made from a 2xx to the INVITE
 * (one per callee tag, RFC 3261 12.1): Call-ID, From with the caller's
 * tag, To with the callee's tag, the remote target of each side (the
 * INVITE's Contact, the 2xx's Contact), the route set toward each side
 * (the Record-Route entries beyond ours on that side, nearest first), the
 * last CSeq seen in each direction, and the served users of the pass
 * (slot SESS_DLG_ORIG: the calling user, SESS_DLG_TERM: the called user;
 * an IMPU in canonical form and the key of its UE's contact).
 *
 * In-dialog requests find their records by the token of our Route entry:
 * CSeq and remote target are tracked, a BYE removes. A record no BYE
 * removed goes after max_age (a UE lost without hanging up); at most cap
 * exist (beyond: the dialog is routed but not recorded, and counted).
 * Records live in memory only: a restart forgets them.
 *
 * Time is a caller-supplied clock in seconds. Ownership: the table owns
 * its records; strings given are copied. Thread rules: loop thread only.
 * Returns 0 or -errno.
 */
#ifndef SCSCF_SESS_DIALOG_H
#define SCSCF_SESS_DIALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sofia-sip/sip.h>

#include "registrar/reg_htab.h"
#include "sess_route.h"

#define SESS_DLG_TOKEN_LEN 16
/* URI parameter of our Record-Route entry that carries the token. */
#define SESS_DLG_PARAM "dlg"

enum { SESS_DLG_ORIG = 0, SESS_DLG_TERM = 1 };
/* Directions / sides: the caller (From of the INVITE), the callee. */
enum { SESS_DLG_CALLER = 0, SESS_DLG_CALLEE = 1 };

/* What a pass of an initial INVITE carries until its 2xx: the token of
 * its Record-Route entry ("" when not recorded: not an INVITE) and, once
 * the originating case has run, the calling served user (a call between
 * two users served here may go on to the terminating case in the same
 * pass, session.route_local). */
struct sess_dlg_note {
	char token[SESS_DLG_TOKEN_LEN + 1];
	char orig[SESS_URI_MAX];
};

struct sess_dlg_node {
	struct sess_dlg_node *prev, *next;  /* chain of one index key */
	const char *key;
	struct sess_dialog *d;
};

struct sess_dialog {
	struct sess_dialog *older, *newer;  /* age list */
	struct sess_dlg_node by_token;
	struct sess_dlg_node by_user[2];    /* SESS_DLG_ORIG / _TERM, key NULL: none */
	char token[SESS_DLG_TOKEN_LEN + 1];
	int64_t created;
	char *call_id;
	char *tag[2];                       /* caller's (From) / callee's (To) tag */
	char *uri[2];                       /* caller's / callee's address-of-record */
	char *target[2];                    /* remote target of each side, or NULL */
	char *route[2];                     /* route set toward each side, or NULL */
	uint32_t cseq[2];                   /* last CSeq from each side, 0: none */
	char *user[2];                      /* served IMPU per slot, or NULL */
	char *ue[2];                        /* its UE's contact key, or NULL */
	bool releasing;
};

struct sess_dialogs {
	struct reg_htab by_token;
	struct reg_htab by_user;
	struct sess_dialog *oldest, *newest;
	size_t count, cap;
	int64_t max_age;
	uint64_t seq;                       /* token generator state */
	uint64_t refused;                   /* not recorded: table full */
};

int sess_dialogs_init(struct sess_dialogs *t, size_t cap, int64_t max_age);
void sess_dialogs_free(struct sess_dialogs *t);

/* A fresh token (SESS_DLG_TOKEN_LEN hex digits, unguessable) in out. */
void sess_dialog_token_new(struct sess_dialogs *t, char out[SESS_DLG_TOKEN_LEN + 1]);

/* "user@host:port" of a contact URI, host lowercased (no scheme, no
 * parameters): how a dialog's UE contact is matched to a binding. */
int sess_dialog_contact_key(const url_t *url, char *out, size_t cap);

/* The 2xx resp to the initial INVITE req (as forwarded by the pass of
 * token; req may be NULL: no target toward the caller then) confirms a
 * dialog. orig/term: the served IMPUs of the pass (NULL or "" when none).
 * A second 2xx with the same callee tag only adds served users.
 * -ENOENT: no Record-Route entry of the token (not our pass), -EBADMSG
 * (no tags, Call-ID, CSeq), -ENOSPC (full: counted in refused). */
int sess_dialog_confirm(struct sess_dialogs *t, const char *token, const sip_t *req,
			const sip_t *resp, const char *orig, const char *term, int64_t now);

/* An in-dialog request passing our Route entry of token: CSeq and target
 * tracked; a BYE removes the record. Returns the record, or NULL when the
 * request ended it or none matched. */
struct sess_dialog *sess_dialog_request(struct sess_dialogs *t, const char *token,
					const sip_t *req);

/* The records of impu (any slot) whose served UE contact has key ue_key
 * (NULL: all): fn runs for each (the record is still in the table), then
 * it is removed. Returns how many. */
typedef void (*sess_dialog_fn)(void *ctx, const struct sess_dialog *d, int slot);
size_t sess_dialogs_release(struct sess_dialogs *t, const char *impu, const char *ue_key,
			    sess_dialog_fn fn, void *ctx);

/* Remove the records older than max_age at now; returns how many. */
size_t sess_dialogs_expire(struct sess_dialogs *t, int64_t now);

#endif
