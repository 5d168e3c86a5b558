/*
 * dia_hooks: our handlers for freeDiameter's per-message hooks.
 *
 * When nothing is registered for a hook, freeDiameter 1.2.1 runs a default
 * that, for every message received, routed, sent or handed to the
 * framework, renders a dump of the whole message (fd_msg_dump_summary, and
 * fd_msg_dump_full for locally sent ones) under one process-wide mutex
 * before deciding whether the debug line is printed at all. Under load that
 * mutex serialises every Diameter thread and the dumps cost more CPU than
 * the procedures themselves (measured with tests/bench/reg-load.sh).
 * Registering a handler suppresses the default: ours renders a one-line
 * summary only when our log level is debug. A dropped message (typically an
 * answer that came after its request timed out) becomes one warning line
 * with the command, instead of an ERROR with a multi-line tree dump.
 * Parsing/routing errors and peer connection events keep the default
 * output, which dia_log.c maps to the right levels. The registrations
 * live as long as the process (freeDiameter starts once per process).
 */
#include <stdlib.h>

#include "dia_internal.h"
#include "ims/log.h"

static const char *hook_name(enum fd_hook_type type)
{
	switch (type) {
	case HOOK_MESSAGE_RECEIVED: return "received";
	case HOOK_MESSAGE_LOCAL: return "local";
	case HOOK_MESSAGE_SENDING: return "sending";
	case HOOK_MESSAGE_SENT: return "sent";
	case HOOK_MESSAGE_FAILOVER: return "failover";
	case HOOK_MESSAGE_ROUTING_FORWARD: return "forwarding";
	case HOOK_MESSAGE_ROUTING_LOCAL: return "dispatching";
	default: return "event";
	}
}

static void on_message(enum fd_hook_type type, struct msg *msg, struct peer_hdr *peer,
		       void *other, struct fd_hook_permsgdata *pmd, void *regdata)
{
	char *buf = NULL;
	size_t len = 0;

	(void)other;
	(void)pmd;
	(void)regdata;
	if (!msg || !ims_log_enabled(IMS_LOG_DEBUG))
		return;
	if (fd_msg_dump_summary(&buf, &len, NULL, msg, NULL, 0, 1) != NULL)
		log_debug("diameter: %s %s '%s': %s", hook_name(type),
			  type == HOOK_MESSAGE_RECEIVED ? "from" : "peer",
			  peer && peer->info.pi_diamid ? peer->info.pi_diamid : "-", buf);
	free(buf);
}

static void on_dropped(enum fd_hook_type type, struct msg *msg, struct peer_hdr *peer,
		       void *other, struct fd_hook_permsgdata *pmd, void *regdata)
{
	struct msg_hdr *hdr = NULL;

	(void)type;
	(void)peer;
	(void)pmd;
	(void)regdata;
	if (msg && fd_msg_hdr(msg, &hdr) == 0 && hdr)
		log_warn("diameter: discarded %s %u (app %u, hop-by-hop 0x%08x): %s",
			 (hdr->msg_flags & CMD_FLAG_REQUEST) ? "request" : "answer",
			 hdr->msg_code, hdr->msg_appl, hdr->msg_hbhid,
			 other ? (const char *)other : "no reason given");
	else
		log_warn("diameter: discarded a message: %s",
			 other ? (const char *)other : "no reason given");
}

int dia_hooks_register(void)
{
	struct fd_hook_hdl *msg_hook = NULL, *drop_hook = NULL;
	int ret;

	ret = fd_hook_register(HOOK_MASK(HOOK_MESSAGE_RECEIVED, HOOK_MESSAGE_LOCAL,
					 HOOK_MESSAGE_SENDING, HOOK_MESSAGE_SENT,
					 HOOK_MESSAGE_FAILOVER, HOOK_MESSAGE_ROUTING_FORWARD,
					 HOOK_MESSAGE_ROUTING_LOCAL),
			       on_message, NULL, NULL, &msg_hook);
	if (ret == 0)
		ret = fd_hook_register(HOOK_MASK(HOOK_MESSAGE_DROPPED), on_dropped, NULL, NULL,
				       &drop_hook);
	return dia_neg(ret);
}
