/* sipagent: see ims/sipagent.h for the contract. */
#include "ims/sipagent.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/nta_stateless.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include "ims/log.h"
#include "ims/sip.h"
#include "next_hop.h"

const struct cfg_field sipagent_schema[] = {
	{ .key = "address", .type = CFG_STR, .offset = offsetof(struct sipagent_config, address),
	  .def = "127.0.0.1", .check = cfg_check_ip, .help = "IP address to listen on" },
	{ .key = "port", .type = CFG_PORT, .offset = offsetof(struct sipagent_config, port),
	  .min = 1, .max = 65535, .required = true, .help = "SIP port (UDP and TCP)" },
	{ .key = "udp", .type = CFG_BOOL, .offset = offsetof(struct sipagent_config, udp),
	  .def = "true", .help = "listen on UDP" },
	{ .key = "tcp", .type = CFG_BOOL, .offset = offsetof(struct sipagent_config, tcp),
	  .def = "true", .help = "listen on TCP" },
	{ .key = "advertise", .type = CFG_STR, .offset = offsetof(struct sipagent_config, advertise),
	  .help = "host[:port] other nodes use to reach this one (default address:port)" },
	{ .key = "max_message_size", .type = CFG_INT,
	  .offset = offsetof(struct sipagent_config, max_message_size), .def = "65535",
	  .min = 1500, .max = 1048576, .help = "largest SIP message accepted, in bytes" },
	CFG_FIELD_END
};

struct sipagent {
	nta_agent_t *nta;
	struct next_hop_cache *hops;
	sipagent_request_fn on_request;
	sipagent_screen_fn screen;   /* NULL: every request gets a transaction */
	void *ctx;
	bool closing;
	struct sipagent_work work;   /* list head (sentinel) of work in flight */
	char hostport[300];
};

/* Every message nta cannot match to a transaction comes here statelessly:
 * stray responses are dropped; a new request is first screened (no
 * transaction exists yet, so a refusal leaves nothing behind for Timer J),
 * then gets its server transaction and goes to the daemon, as nta's own
 * leg dispatch would do. */
static int on_message(nta_agent_magic_t *magic, nta_agent_t *nta, msg_t *msg, sip_t *sip)
{
	struct sipagent *a = (struct sipagent *)magic;
	nta_incoming_t *irq;
	bool ack;
	int status;

	if (!sip || !sip->sip_request) {
		if (sip && sip->sip_status)
			log_debug("dropping stray response %d", sip->sip_status->st_status);
		msg_destroy(msg);
		return 0;
	}
	ack = sip->sip_request->rq_method == sip_method_ack;
	if (a->screen) {
		char extra[160] = "";

		status = a->screen(a->ctx, msg, sip, extra, sizeof extra);
		if (status != 0) {
			if (status < 300 || status > 699 || ack)
				msg_destroy(msg);
			else if (extra[0])
				nta_msg_treply(nta, msg, status, NULL, SIPTAG_HEADER_STR(extra),
					       TAG_END());
			else
				nta_msg_treply(nta, msg, status, NULL, TAG_END());
			return 0;
		}
	}
	/* The transaction takes our reference to msg. */
	irq = nta_incoming_create(nta, NULL, msg, sip, TAG_END());
	if (!irq) {
		if (ack)
			msg_destroy(msg);
		else
			nta_msg_treply(nta, msg, SIP_500_INTERNAL_SERVER_ERROR, TAG_END());
		return 0;
	}
	/* Keep msg (and so sip) alive through the callback even if the daemon
	 * destroys a terminated irq inside it (nta's leg dispatch defers that). */
	msg_ref_create(msg);
	status = a->on_request(a->ctx, irq, sip);
	if (status != 0) {
		if (status < 100 || status > 699 ||
		    (sip->sip_request->rq_method == sip_method_invite && status < 300 && status >= 200))
			status = 500;
		if (nta_incoming_status(irq) < 200)
			nta_incoming_treply(irq, status, NULL, TAG_END());
		if (status >= 200)
			nta_incoming_destroy(irq);
	}
	msg_destroy(msg);
	return 0;
}

void sipagent_set_screen(struct sipagent *a, sipagent_screen_fn fn)
{
	a->screen = fn;
}

static bool v6(const struct sipagent_config *cfg)
{
	return strchr(cfg->address, ':') != NULL;
}

static void format_url(char *url, size_t len, const struct sipagent_config *cfg,
		       const char *transport)
{
	snprintf(url, len, "sip:%s%s%s:%u;transport=%s", v6(cfg) ? "[" : "", cfg->address,
		 v6(cfg) ? "]" : "", cfg->port, transport);
}

static int bind_transport(struct sipagent *a, const struct sipagent_config *cfg,
			  const char *transport)
{
	char url[200];

	format_url(url, sizeof url, cfg, transport);
	return nta_agent_add_tport(a->nta, URL_STRING_MAKE(url), TAG_END()) < 0 ? -EADDRINUSE : 0;
}

/* UDP receive buffer of the listening socket. The kernel default
 * (net.core.rmem_default, 208 KB) holds only ~100 loopback datagrams: a
 * burst while the loop is busy is dropped, the sender retransmits after T1
 * and the retransmissions fill the buffer again (measured with
 * tests/bench/reg-load.sh: drops, then collapse, from ~150 registrations/s).
 * sofia-sip has no tag for it and does not expose its sockets, so find our
 * bound UDP socket(s) by local port. SO_RCVBUFFORCE needs CAP_NET_ADMIN;
 * otherwise SO_RCVBUF, which the kernel caps at net.core.rmem_max. */
#define SIPAGENT_UDP_RCVBUF (8 * 1024 * 1024)

static void grow_udp_buffers(uint16_t port)
{
	struct rlimit rl = { 0 };
	int want = SIPAGENT_UDP_RCVBUF, got = 0, fd, type;
	socklen_t len;
	rlim_t max_fd;

	getrlimit(RLIMIT_NOFILE, &rl);
	max_fd = rl.rlim_cur > 0 && rl.rlim_cur < 4096 ? rl.rlim_cur : 4096;
	for (fd = 0; (rlim_t)fd < max_fd; fd++) {
		struct sockaddr_storage ss;
		uint16_t p = 0;

		len = sizeof type;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_DGRAM)
			continue;
		len = sizeof ss;
		if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
			continue;
		if (ss.ss_family == AF_INET)
			p = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			p = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		if (p != port)
			continue;
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) != 0)
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
		len = sizeof got;
		getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len);
		log_info("SIP: UDP receive buffer of port %u: %d bytes", port, got);
	}
}

int sipagent_create(su_root_t *root, const struct sipagent_config *cfg,
		    sipagent_request_fn on_request, void *ctx, struct sipagent **out)
{
	struct sipagent *a;
	int rc = 0;

	if (!cfg->udp && !cfg->tcp)
		return -EINVAL;
	a = calloc(1, sizeof *a);
	if (!a)
		return -ENOMEM;
	a->on_request = on_request;
	a->ctx = ctx;
	a->work.prev = a->work.next = &a->work;
	a->hops = next_hop_cache_new(NULL, NULL);
	if (!a->hops) {
		free(a);
		return -ENOMEM;
	}
	sip_log_route();
	if (cfg->advertise && cfg->advertise[0])
		snprintf(a->hostport, sizeof a->hostport, "%s", cfg->advertise);
	else
		snprintf(a->hostport, sizeof a->hostport, "%s%s%s:%u", v6(cfg) ? "[" : "",
			 cfg->address, v6(cfg) ? "]" : "", cfg->port);

	/* nta_agent_create needs the root: bind the first transport through it. */
	{
		char url[200];

		format_url(url, sizeof url, cfg, cfg->udp ? "udp" : "tcp");
		a->nta = nta_agent_create(root, URL_STRING_MAKE(url), on_message,
					  (nta_agent_magic_t *)a,
					  NTATAG_MCLASS(sip_msg_mclass()),
					  NTATAG_SIPFLAGS(MSG_DO_EXTRACT_COPY), NTATAG_UA(0),
					  NTATAG_SERVER_RPORT(1), NTATAG_TCP_RPORT(1),
					  NTATAG_MAXSIZE((usize_t)cfg->max_message_size),
					  TAG_END());
		if (!a->nta) {
			rc = -EADDRINUSE;
			log_err("SIP: cannot listen on %s", url);
			goto out;
		}
	}
	if (cfg->udp)
		grow_udp_buffers(cfg->port);
	if (cfg->udp && cfg->tcp) {
		rc = bind_transport(a, cfg, "tcp");
		if (rc < 0) {
			log_err("SIP: cannot listen on TCP %s", a->hostport);
			goto out;
		}
	}
	log_notice("SIP listening on %s (%s%s%s)", a->hostport, cfg->udp ? "udp" : "",
		   cfg->udp && cfg->tcp ? "+" : "", cfg->tcp ? "tcp" : "");
	*out = a;
	return 0;
out:
	sipagent_destroy(a);
	return rc;
}

void sipagent_work_add(struct sipagent *a, struct sipagent_work *w)
{
	w->prev = a->work.prev;
	w->next = &a->work;
	a->work.prev->next = w;
	a->work.prev = w;
}

void sipagent_work_remove(struct sipagent_work *w)
{
	if (!w->next)
		return;
	w->prev->next = w->next;
	w->next->prev = w->prev;
	w->prev = w->next = NULL;
}

bool sipagent_closing(const struct sipagent *a)
{
	return a->closing;
}

/* Abort every item; items an abort adds (or re-adds) wait for the next call. */
static void abort_work(struct sipagent *a, bool last)
{
	struct sipagent_work batch = { .prev = &batch, .next = &batch };
	struct sipagent_work *w;

	if (a->work.next == &a->work)
		return;
	/* Move the list to a local head first: an abort may free other items
	 * (their owners unlink them from the batch, which is fine). */
	batch.next = a->work.next;
	batch.prev = a->work.prev;
	batch.next->prev = &batch;
	batch.prev->next = &batch;
	a->work.next = a->work.prev = &a->work;
	while ((w = batch.next) != &batch) {
		sipagent_work_remove(w);
		w->abort(w, last);
	}
}

void sipagent_close(struct sipagent *a)
{
	if (!a || !a->work.next)
		return;
	if (a->closing)
		return;
	a->closing = true;
	abort_work(a, false);
}

void sipagent_destroy(struct sipagent *a)
{
	if (!a)
		return;
	sipagent_close(a);
	abort_work(a, true);
	if (a->nta)
		nta_agent_destroy(a->nta);
	next_hop_cache_free(a->hops);
	free(a);
}

nta_outgoing_t *sipagent_outgoing(struct sipagent *a, nta_response_f *cb,
				  nta_outgoing_magic_t *magic, const char *next_hop, msg_t *msg,
				  int *err)
{
	char buf[512];
	const char *use;
	nta_outgoing_t *orq;
	int rc = a->closing ? -ESHUTDOWN
			    : next_hop_resolve(a->hops, msg, next_hop, buf, sizeof buf, &use);

	if (rc < 0) {
		*err = rc;
		return NULL;
	}
	orq = nta_outgoing_mcreate(a->nta, cb, magic, use ? URL_STRING_MAKE(use) : NULL, msg,
				   TAG_END());
	if (!orq)
		*err = -EIO;
	return orq;
}

int sipagent_send_stateless(struct sipagent *a, msg_t *msg, const char *next_hop)
{
	char buf[512];
	const char *use;
	int rc = a->closing ? -ESHUTDOWN
			    : next_hop_resolve(a->hops, msg, next_hop, buf, sizeof buf, &use);

	if (rc < 0) {
		msg_destroy(msg);
		return rc;
	}
	return nta_msg_tsend(a->nta, msg, use ? URL_STRING_MAKE(use) : NULL, TAG_END()) < 0 ? -EIO : 0;
}

nta_agent_t *sipagent_nta(struct sipagent *a)
{
	return a->nta;
}

const char *sipagent_hostport(const struct sipagent *a)
{
	return a->hostport;
}

int sipagent_reply_options(nta_incoming_t *irq, const char *allow)
{
	nta_incoming_treply(irq, SIP_200_OK, SIPTAG_ALLOW_STR(allow),
			    SIPTAG_SUPPORTED_STR("path, outbound"),
			    SIPTAG_ACCEPT_STR("application/sdp"), TAG_END());
	return 0;
}
