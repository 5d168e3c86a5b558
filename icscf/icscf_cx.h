/*
 * The I-CSCF's Cx client: UAR (TS 29.228 6.1.1) and LIR (6.1.4) over the
 * dia_bridge, answers reduced to struct icscf_cx_answer, and the ONE map
 * from a Cx outcome to a SIP status (cx_to_sip.c, TS 24.229 5.3.1.2 and
 * 5.3.2.1).
 *
 * Callbacks run on the loop thread exactly once per successful send
 * (unless the bridge is destroyed first); the answer struct is only valid
 * during the callback. Sends return 0 or -errno (callback not called).
 */
#ifndef ICSCF_CX_H
#define ICSCF_CX_H

#include <stdbool.h>
#include <stdint.h>

#include "icscf_node.h"
#include "scscf_pool.h"

struct icscf_cx_answer {
	int err;                     /* 0, -ETIMEDOUT or -errno: no answer */
	uint32_t code;               /* Result-Code or Experimental-Result-Code */
	bool experimental;
	bool has_code;
	char server_name[SCSCF_URI_MAX]; /* "" when absent */
	bool has_caps;
	struct scscf_caps caps;
};

typedef void (*icscf_cx_fn)(void *ctx, const struct icscf_cx_answer *a);

struct icscf_uar {
	const char *impi, *impu, *visited;
	uint32_t type;               /* enum cx_user_authorization_type */
};

struct icscf_lir {
	const char *impu;
	bool originating;            /* Originating-Request (TS 29.229 6.3.34) */
};

int icscf_uar_send(struct icscf *n, const struct icscf_uar *q, icscf_cx_fn cb, void *ctx);
int icscf_lir_send(struct icscf *n, const struct icscf_lir *q, icscf_cx_fn cb, void *ctx);

/* Read the result, Server-Name and Server-Capabilities of an answer.
 * 0, or -EBADMSG when it has no result code. */
int icscf_cx_parse(struct msg *ans, struct icscf_cx_answer *out);

/* Common sender: fill and send req (taken) with the configured bound. */
int icscf_cx_send(struct icscf *n, struct msg **req, icscf_cx_fn cb, void *ctx);

enum icscf_cx_proc {
	ICSCF_CX_UAR,
	ICSCF_CX_LIR,
};

/* 0 when the answer lets the request go on (a Server-Name or capabilities
 * follow), else the SIP status to answer with; *phrase gets its reason. */
int icscf_cx_to_sip(enum icscf_cx_proc proc, const struct icscf_cx_answer *a,
		    const char **phrase);

/* True when the outcome means "the HSS could not be asked now" (no answer,
 * busy, unable to comply): the 480 then carries ICSCF_RETRY_AFTER (RFC 3261
 * 21.4.18, 20.33); false for final answers such as LIR not-registered. */
bool icscf_cx_retry_later(enum icscf_cx_proc proc, const struct icscf_cx_answer *a);

/* The header added to such a 480 (seconds: about an HSS restart). */
#define ICSCF_RETRY_AFTER "Retry-After: 30"

/* Overload (RFC 6357 3, diameter.max_pending): a request that would start
 * new work (an INVITE's LIR, a REGISTER without credentials) is refused
 * with 503 once the Cx bridge holds this share of its bound, leaving room
 * for the second REGISTER of registrations already challenged; any UAR/LIR
 * beyond the bound is refused the same way. */
#define ICSCF_ADMIT_PERCENT 75
#define ICSCF_OVERLOAD_RETRY_AFTER "Retry-After: 2"

/* Answer irq 503 with ICSCF_OVERLOAD_RETRY_AFTER (and destroy it) when the
 * bridge is over `percent` % of its bound: returns true, the caller
 * returns 0 from the leg callback; false: go on. */
bool icscf_cx_shed(struct icscf *n, nta_incoming_t *irq, unsigned percent);
/* sipagent screen (before any transaction exists): a REGISTER without
 * credentials while the bridge is over ICSCF_ADMIT_PERCENT is answered 503
 * statelessly, so a registration storm costs no transaction memory. */
int icscf_cx_screen(void *ctx, msg_t *msg, const sip_t *sip, char *extra, size_t extra_len);

#endif
