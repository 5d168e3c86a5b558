/*
 * sipagent: the SIP endpoint of a CSCF — one sofia-sip nta agent bound to
 * the configured address and port on UDP and/or TCP. Every new request
 * (not a retransmission, not matched to a transaction) is screened first
 * without a transaction (sipagent_set_screen), then gets its server
 * transaction and is handed to the daemon.
 *
 * Config section "sip:" (struct sipagent_config, sipagent_schema).
 * The agent keeps the received text of every message (MSG_DO_EXTRACT_COPY),
 * acts as a proxy (NTATAG_UA(0)), answers rport (RFC 3581) and caps the
 * message size (max_message_size).
 *
 * Shutdown: sipagent_close() first (while the rest of the daemon still
 * works): no new client transaction from then on, and every piece of work
 * in flight registered with sipagent_work_add() (sipproxy's forwarded
 * requests) is aborted, so that its callbacks run and free what they own.
 * sipagent_destroy() then ends what is left.
 *
 * Thread rules: create, use and destroy on the loop thread that owns root.
 * Ownership: the agent borrows root and cfg (both must outlive it).
 */
#ifndef IMS_SIPAGENT_H
#define IMS_SIPAGENT_H

#include <stdbool.h>
#include <stdint.h>

#include <sofia-sip/nta.h>
#include <sofia-sip/sip.h>

#include "ims/config.h"

struct sipagent_config {
	char *address;              /* listen address, default 127.0.0.1 */
	uint16_t port;              /* required per daemon (4060/5060/6060) */
	bool udp;                   /* default true */
	bool tcp;                   /* default true */
	char *advertise;            /* host[:port] put in Via/Record-Route/Path; default address:port */
	long long max_message_size; /* bytes, default 65535 */
};

extern const struct cfg_field sipagent_schema[];

/* Called for each new request (not a retransmission, not in a transaction).
 * Return as nta's leg callback does: 0 after replying (or taking the irq),
 * or a SIP status 100..699 that the agent sends (and then destroys irq). */
typedef int (*sipagent_request_fn)(void *ctx, nta_incoming_t *irq, const sip_t *sip);

/* Screening of a new request before any transaction exists (optional,
 * sipagent_set_screen): 0 lets it in (a server transaction is created and
 * on_request called); a status 300..699 answers it statelessly — nothing
 * is kept for Timer J, so a refused flood costs no memory — with `extra`
 * an optional "Name: value" header line (e.g. Retry-After) written into
 * the buffer given; -1 drops it silently. An ACK is never answered. */
typedef int (*sipagent_screen_fn)(void *ctx, msg_t *msg, const sip_t *sip, char *extra,
				  size_t extra_len);

struct sipagent;

int sipagent_create(su_root_t *root, const struct sipagent_config *cfg,
		    sipagent_request_fn on_request, void *ctx, struct sipagent **out);
/* Stop taking on work: sipagent_outgoing and sipagent_send_stateless fail
 * with -ESHUTDOWN from now on; each registered work item is unlinked and
 * its abort() called (in registration order). Server transactions can
 * still be answered. Idempotent. */
void sipagent_close(struct sipagent *agent);
/* sipagent_close(), then a second pass over what is still registered
 * (abort with last = true: it must end the work), then the agent. */
void sipagent_destroy(struct sipagent *agent);
/* Set (or clear with NULL) the screening of new requests; same ctx as
 * on_request. */
void sipagent_set_screen(struct sipagent *agent, sipagent_screen_fn fn);

/* Work in flight tied to the agent, linked into it by its owner (who
 * embeds the struct). abort runs on close (last = false) and on destroy
 * (last = true) after the item has been unlinked; on close it may link the
 * item again to be called once more on destroy. */
struct sipagent_work {
	struct sipagent_work *prev, *next;
	void (*abort)(struct sipagent_work *work, bool last);
};
void sipagent_work_add(struct sipagent *agent, struct sipagent_work *work);
/* Unlink (a no-op when not linked). */
void sipagent_work_remove(struct sipagent_work *work);
bool sipagent_closing(const struct sipagent *agent);
nta_agent_t *sipagent_nta(struct sipagent *agent);
/* A client transaction for msg (nta_outgoing_mcreate) toward next_hop, or
 * where the message's Route or Request-URI leads when next_hop is NULL.
 * A host name is looked up in /etc/hosts first and left to sofia's DNS
 * resolver only while a nameserver is reachable (sofia 1.12.11 spins
 * forever otherwise; see common/sipagent/next_hop.h). Returns the orq
 * (msg taken), or NULL with *err = -EHOSTUNREACH (no way to resolve the
 * name), -ESHUTDOWN (closing) or -EIO, and msg still the caller's. */
nta_outgoing_t *sipagent_outgoing(struct sipagent *agent, nta_response_f *cb,
				  nta_outgoing_magic_t *magic, const char *next_hop, msg_t *msg,
				  int *err);
/* The same for a message sent without a transaction (nta_msg_tsend: ACK,
 * stateless responses); msg is always taken. Returns 0, -EHOSTUNREACH,
 * -ESHUTDOWN or -EIO. */
int sipagent_send_stateless(struct sipagent *agent, msg_t *msg, const char *next_hop);
/* "host:port" others should use to reach us (advertise, else address:port). */
const char *sipagent_hostport(const struct sipagent *agent);

/* Answer an OPTIONS addressed to this node (keep-alive probes from peers,
 * RFC 3261 11.2): 200 with Allow and Supported. Returns 0. The irq is
 * answered but not destroyed: the caller calls nta_incoming_destroy(). */
int sipagent_reply_options(nta_incoming_t *irq, const char *allow);

#endif
