/*
 * P-CSCF life cycle and request dispatch: bind the SIP endpoint, own the
 * registration and key stores, sweep expired registrations, and send each
 * new request to the handler for its direction:
 *   REGISTER                                 -> register.c
 *   NOTIFY of our reg event subscription     -> regevent.c
 *   top Route = our Path entry (flow token)  -> terminating.c
 *   ACK, or a request in a dialog routed by us -> dialog.c
 *   other request from a registered flow     -> originating.c
 *   anything else from an unregistered UE    -> 403 (TS 24.229 5.2.6.3.1)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sofia-sip/nta_tport.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/tport.h>
#include <sofia-sip/tport_tag.h>

#include "ims/heap.h"
#include "ims/nospin.h"
#include "ims/sip.h"

#include "pcscf.h"

#define KEY_TTL_S 300 /* ck/ik kept until the UE answers the challenge */

static bool top_route_is_us(struct pcscf *n, const sip_t *sip, const char **user)
{
	if (!sip->sip_route || !pcscf_url_is_us(n, sip->sip_route->r_url))
		return false;
	*user = sip->sip_route->r_url->url_user;
	return true;
}

static bool is_options_for_us(struct pcscf *n, const sip_t *sip)
{
	return sip->sip_request->rq_method == sip_method_options && !sip->sip_route &&
	       pcscf_url_is_us(n, sip->sip_request->rq_url);
}

static int dispatch(struct pcscf *n, nta_incoming_t *irq, const sip_t *sip,
		    const struct flow *src)
{
	sip_method_t m = sip->sip_request->rq_method;
	bool in_dialog = sip->sip_to && sip->sip_to->a_tag;
	const char *user = NULL;
	struct flow term;
	struct reg *reg;

	if (is_options_for_us(n, sip)) {
		sipagent_reply_options(irq, "REGISTER, INVITE, ACK, BYE, CANCEL, OPTIONS, "
					    "MESSAGE, SUBSCRIBE, NOTIFY, UPDATE, PRACK, INFO");
		nta_incoming_destroy(irq);
		return 0;
	}
	if (m == sip_method_register) {
		int rc = pcscf_sec_agree(n, irq, sip, src);

		return rc == 1 ? pcscf_register(n, irq, sip, src) : rc;
	}
	if (m == sip_method_cancel)
		return 481;   /* a CANCEL nta did not match to a transaction */
	if (m == sip_method_notify && sip->sip_call_id &&
	    (reg = reg_store_by_subscription(n->regs, sip->sip_call_id->i_id, pcscf_now())))
		return regevent_notify(n, irq, sip, reg);
	if (m != sip_method_ack && top_route_is_us(n, sip, &user) && user &&
	    strncmp(user, FLOW_TOKEN_PREFIX, strlen(FLOW_TOKEN_PREFIX)) == 0) {
		if (flow_from_token(&n->flow_key, user, &term) < 0) {
			log_info("%s with a forged or stale flow token: 403",
				 sip->sip_request->rq_method_name);
			return 403;
		}
		reg = reg_store_by_flow(n->regs, &term, pcscf_now());
		if (!reg)
			return 480; /* the UE went away since the S-CSCF looked */
		return pcscf_terminating(n, irq, reg);
	}
	reg = reg_store_by_flow(n->regs, src, pcscf_now());
	if (m == sip_method_ack && !reg && !top_route_is_us(n, sip, &user)) {
		nta_incoming_destroy(irq);  /* not ours to relay; ACK gets no answer */
		return 0;
	}
	if (reg && (in_dialog || m == sip_method_ack) && !top_route_is_us(n, sip, &user)) {
		/* A dialog the P-CSCF is on has our Record-Route first in the
		 * UE's route set: anything else is not ours to relay (no open
		 * relay towards whatever the Request-URI names). */
		log_info("%s from a UE outside any dialog through us (no Route to us): %s",
			 sip->sip_request->rq_method_name, m == sip_method_ack ? "dropped" : "403");
		if (m != sip_method_ack)
			return 403;
		nta_incoming_destroy(irq);
		return 0;
	}
	if (m == sip_method_ack || (in_dialog && sip->sip_route && top_route_is_us(n, sip, &user)))
		return pcscf_in_dialog(n, irq, sip, reg);
	if (reg)
		return in_dialog ? pcscf_in_dialog(n, irq, sip, reg)
				 : pcscf_originating(n, irq, src, reg);
	{
		char fl[96];

		log_info("%s from unregistered %s: 403", sip->sip_request->rq_method_name,
			 flow_str(src, fl, sizeof fl));
	}
	return 403;
}

/* A request on our TLS listener: its flow says tls (flow_from_msg sees TCP). */
static void mark_tls(struct pcscf *n, nta_incoming_t *irq, msg_t *msg, struct flow *src)
{
	tport_t *tp;

	if (!n->cfg->tls.port || src->proto != FLOW_TCP)
		return;
	tp = nta_incoming_transport(sipagent_nta(n->sip), irq, msg);
	if (tp && tport_has_tls(tp))
		src->proto = FLOW_TLS;
	tport_unref(tp);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The core's own addresses are not limited: rate_limit.exempt, and the
 * I-CSCF of the icscf URI. */
static bool is_exempt(const struct pcscf *n, const char *ip)
{
	const struct cfg_strv *ex = &n->cfg->rate_limit.exempt;
	const char *h = n->cfg->icscf + (strncasecmp(n->cfg->icscf, "sips:", 5) == 0 ? 5 : 4);
	size_t l = strlen(ip);

	for (size_t i = 0; i < ex->n; i++)
		if (strcmp(ex->v[i], ip) == 0)
			return true;
	if (h[0] == '[')
		h++;
	return strncasecmp(h, ip, l) == 0 && (h[l] == ':' || h[l] == ']' || h[l] == ';' ||
					      h[l] == '\0');
}

/* Per-source rate limit (ratelimit.h), before any transaction exists: a
 * refused request is answered statelessly (RFC 3261 21.5.4: 503 with
 * Retry-After; an ACK is dropped) and leaves nothing behind, so a flood
 * from one source costs no memory for Timer J. */
static int screen(void *ctx, msg_t *msg, const sip_t *sip, char *extra, size_t extra_len)
{
	struct pcscf *n = ctx;
	struct flow src;

	(void)sip;
	if (!n->rl || flow_from_msg(msg, &src) != 0 || is_exempt(n, src.ip) ||
	    rl_allow(n->rl, src.ip, now_ms()))
		return 0;
	snprintf(extra, extra_len, "Retry-After: %lld", n->cfg->rate_limit.retry_after);
	return 503;
}

static int on_request(void *ctx, nta_incoming_t *irq, const sip_t *sip)
{
	struct pcscf *n = ctx;
	msg_t *msg = nta_incoming_getrequest(irq);
	struct flow src;
	char why[128];
	int rc = msg ? flow_from_msg(msg, &src) : -EINVAL;

	if (rc == 0)
		mark_tls(n, irq, msg, &src);
	if (msg)
		msg_destroy(msg);
	if (!sip_request_is_well_formed(sip, why, sizeof why)) {
		log_info("malformed %s: %s", sip->sip_request ? sip->sip_request->rq_method_name : "?",
			 why);
		if (sip->sip_request && sip->sip_request->rq_method == sip_method_ack) {
			nta_incoming_destroy(irq);
			return 0;
		}
		return 400;
	}
	if (rc < 0) {
		log_warn("request without a source address: %s", strerror(-rc));
		return 500;
	}
	return dispatch(n, irq, sip, &src);
}

static void on_sweep(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct pcscf *n = (struct pcscf *)arg;
	size_t dropped = reg_store_expire(n->regs, pcscf_now());
	uint64_t shed;

	(void)magic;
	(void)t;
	admit_tick(&n->reg_admit);
	admit_tick(&n->req_admit);
	if ((shed = admit_take_refused(&n->reg_admit)))
		log_warn("overload: %llu REGISTER(s) refused with 503 in the last second, "
			 "%zu at the core", (unsigned long long)shed, n->reg_admit.pending);
	if ((shed = admit_take_refused(&n->req_admit)))
		log_warn("overload: %llu initial request(s) from UEs refused with 503 in the last "
			 "second, %zu at the core, latency %lld ms", (unsigned long long)shed,
			 n->req_admit.pending, n->req_admit.latency);
	if (n->rl && rl_refused(n->rl) != n->rl_reported) {
		log_notice("rate limit: %llu request(s) refused in the last second, %llu in all "
			   "(%zu sources tracked)",
			   (unsigned long long)(rl_refused(n->rl) - n->rl_reported),
			   (unsigned long long)rl_refused(n->rl), rl_sources(n->rl));
		n->rl_reported = rl_refused(n->rl);
	}
	if (dropped)
		log_info("%zu registration(s) expired, %zu left", dropped, reg_store_count(n->regs));
}

int pcscf_start(struct ims_daemon *d, void *cfgp)
{
	const struct pcscf_config *cfg = cfgp;
	struct pcscf *n = calloc(1, sizeof *n);
	int rc;

	if (!n)
		return -ENOMEM;
	/* sofia-sip allocates a receive buffer of up to max_message_size per
	 * datagram; with glibc's default trim threshold the heap top is given
	 * back and faulted in again for each request (measured with perf:
	 * _int_malloc and page faults were 40% of the relay's CPU). Keep it,
	 * and fault the heap's growth in once per loop turn (ims/heap.h). */
	heap_attach(ims_daemon_root(d));
	/* nta's timer is nearly always under 1 ms away under load: wait for
	 * it instead of polling (ims/nospin.h). */
	nospin_attach();
	if (cfg->sip.udp && cfg->sip.max_message_size < 65535) {
		/* sofia-sip 1.12.11 aborts (tport_recv_dgram assertion) on the
		 * datagram after one larger than its limit: a remote crash. */
		log_err("sip.max_message_size %lld is below 65535 with UDP on; sofia-sip cannot "
			"drop larger datagrams safely (raise it or set sip.udp: false)",
			cfg->sip.max_message_size);
		free(n);
		return -EINVAL;
	}
	n->cfg = cfg;
	ims_daemon_set_context(d, n);
	/* REGISTERs at the core (register.c): new ones refused from 3/4 of
	 * the bound, and all of them while the smoothed latency exceeds
	 * register_latency with at least 8 in flight. */
	admit_init(&n->reg_admit, (size_t)cfg->max_pending_registers, 75, cfg->register_latency, 0,
		   8);
	/* Initial requests from UEs (originating.c): the shed share ramps from
	 * 0 at request_latency to all at twice it. */
	admit_init(&n->req_admit, (size_t)cfg->max_pending_requests, 75, cfg->request_latency,
		   cfg->request_latency, 8);
	rc = reg_store_create((size_t)cfg->max_registrations, &n->regs);
	if (rc == 0)
		rc = key_store_create((size_t)cfg->max_registrations, KEY_TTL_S, &n->keys);
	if (rc < 0)
		return rc;
	rc = flow_key_init(&n->flow_key);
	if (rc < 0)
		return rc;
	if (cfg->rate_limit.rate > 0) {
		rc = rl_create((size_t)cfg->rate_limit.sources, (double)cfg->rate_limit.rate,
			       (double)cfg->rate_limit.burst, &n->rl);
		if (rc < 0)
			return rc;
	}
	rc = sipagent_create(ims_daemon_root(d), &cfg->sip, on_request, n, &n->sip);
	if (rc == 0)
		sipagent_set_screen(n->sip, screen);
	if (rc < 0)
		return rc;
	rc = pcscf_tls_start(n);
	if (rc < 0)
		return rc;
	/* RFC 5626 4.4.1: answer a UE's CRLFCRLF keep-alive on TCP with CRLF. */
	nta_agent_set_params(sipagent_nta(n->sip), TPTAG_PONG2PING(1), TAG_END());
	chg_icid_init(&n->icid, sipagent_hostport(n->sip), (uint64_t)time(NULL),
		      (uint32_t)getpid() ^ (uint32_t)random());
	n->sweep = su_timer_create(su_root_task(ims_daemon_root(d)), 1000);
	if (!n->sweep || su_timer_set_for_ever(n->sweep, on_sweep, (su_timer_arg_t *)n) < 0)
		return -ENOMEM;
	ims_daemon_status(d, "serving SIP on %s, REGISTER to %s", sipagent_hostport(n->sip),
			  cfg->icscf);
	return 0;
}

void pcscf_stop(struct ims_daemon *d)
{
	struct pcscf *n = ims_daemon_context(d);

	if (!n)
		return;
	/* Requests still being relayed: answered 503 upstream, their contexts
	 * freed by their callbacks, while the stores are still there. */
	sipagent_close(n->sip);
	if (n->sweep)
		su_timer_destroy(n->sweep);
	su_root_remove_prepoll(ims_daemon_root(d));
	sipagent_destroy(n->sip);
	key_store_destroy(n->keys);
	reg_store_destroy(n->regs);
	rl_destroy(n->rl);
	free(n);
	ims_daemon_set_context(d, NULL);
}
