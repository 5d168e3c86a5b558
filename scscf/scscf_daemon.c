/*
 * S-CSCF life cycle: bind the SIP endpoint, start the Cx client, create the
 * registrar and session control and serve. REGISTER goes to the registrar,
 * every other request to session control (session/session.h), which answers
 * an OPTIONS addressed to this node itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/sip_status.h>

#include "ims/admit.h"
#include "ims/heap.h"
#include "ims/nospin.h"
#include "ifc/ifc_shared.h"
#include "registrar/reg_profile.h"
#include "registrar/registrar.h"
#include "session/session.h"
#include "scscf.h"

struct scscf {
	const struct scscf_config *cfg;
	struct sipagent *sip;
	struct dia_bridge *cx;
	struct registrar *reg;
	struct session *sess;
	struct ifc_shared_table *shared;  /* registrar.shared_ifc_sets, or NULL */
	su_timer_t *status;               /* STATUS= line refresh */
	struct ims_daemon *d;
	bool dia_started;
};

#define STATUS_EVERY_MS 5000

/* systemctl status: what is served right now. */
static void on_status(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct scscf *n = (struct scscf *)arg;

	(void)magic;
	(void)t;
	ims_daemon_status(n->d, "serving SIP on %s: %zu registered set(s), %zu dialog(s)",
			  sipagent_hostport(n->sip), registrar_count_users(n->reg),
			  session_count_dialogs(n->sess));
}

/* The registrar saw bindings go: their sessions end (TS 24.229 5.4.1.4,
 * 5.4.1.5). */
static void on_gone(void *ctx, const char *impu, const char *contact)
{
	struct scscf *n = ctx;

	session_release(n->sess, impu, contact);
}

/* REGISTER and reg-event SUBSCRIBE go to the registrar, the rest to the
 * session. */
static bool for_registrar(const sip_t *sip)
{
	sip_method_t m = sip->sip_request->rq_method;

	return m == sip_method_register ||
	       (m == sip_method_subscribe && sip->sip_event &&
		strcasecmp(sip->sip_event->o_type, "reg") == 0);
}

/* sipagent screen: session overload refusals go out statelessly (a flood
 * of refused INVITEs keeps no transaction for Timer J). */
static int screen(void *ctx, msg_t *msg, const sip_t *sip, char *extra, size_t extra_len)
{
	struct scscf *n = ctx;

	(void)msg;
	if (!n->sess || for_registrar(sip))
		return 0;
	if (!session_screen(n->sess, sip))
		return 0;
	snprintf(extra, extra_len, "Retry-After: %s", ADMIT_RETRY_AFTER);
	return 503;
}

static int on_request(void *ctx, nta_incoming_t *irq, const sip_t *sip)
{
	struct scscf *n = ctx;

	if (sip->sip_request->rq_method == sip_method_register)
		return n->reg ? registrar_on_register(n->reg, irq, sip) : 503;
	if (n->reg && for_registrar(sip)) /* reg event: the registrar is the notifier */
		return registrar_on_subscribe(n->reg, irq, sip);
	/* INVITE, MESSAGE, SUBSCRIBE, NOTIFY, PUBLISH, OPTIONS, INFO, REFER,
	 * UPDATE, PRACK, BYE, CANCEL, ACK (TS 24.229 5.4.3). */
	return n->sess ? session_on_request(n->sess, irq, sip) : 503;
}

/* The shared iFC sets of registrar.shared_ifc_sets (TS 29.228 B.2.1),
 * which every profile compiled from now on merges in. On error the
 * current table stays. */
static int load_shared_sets(struct scscf *n, const char *path)
{
	struct ifc_shared_table *t = NULL;
	char err[512];
	int rc;

	if (path) {
		rc = ifc_shared_table_load(path, &t, err, sizeof err);
		if (rc < 0) {
			log_err("registrar.shared_ifc_sets: %s", err);
			return rc;
		}
		log_notice("registrar: %zu shared iFC set(s) loaded from %s",
			   ifc_shared_table_count(t), path);
	}
	reg_profile_use_shared_sets(t);
	ifc_shared_table_free(n->shared);
	n->shared = t;
	return 0;
}

static int start_registrar(struct ims_daemon *d, struct scscf *n)
{
	const struct scscf_config *cfg = n->cfg;
	const struct scscf_registrar_config *rc = &cfg->registrar;
	char server_name[320];
	struct registrar_params p = {
		.cfg = rc,
		.realm = rc->realm ? rc->realm : cfg->diameter.realm,
		.hostport = sipagent_hostport(n->sip),
		.hss_realm = rc->hss_realm ? rc->hss_realm : cfg->diameter.realm,
		.hss_host = rc->hss_host,
		.root = ims_daemon_root(d),
		.cx = n->cx,
		.agent = sipagent_nta(n->sip),
		.sip = n->sip,
	};

	if (rc->min_expires > rc->max_expires) {
		log_err("registrar: min_expires %lld above max_expires %lld", rc->min_expires,
			rc->max_expires);
		return -EINVAL;
	}
	snprintf(server_name, sizeof server_name, "sip:%s", p.hostport);
	p.server_name = rc->server_name ? rc->server_name : server_name;
	log_notice("registrar: Server-Name %s, realm %s", p.server_name, p.realm);
	return registrar_create(&p, &n->reg);
}

static int start_session(struct ims_daemon *d, struct scscf *n)
{
	const struct scscf_config *cfg = n->cfg;
	const struct scscf_registrar_config *rc = &cfg->registrar;
	struct session_params p = {
		.cfg = &cfg->session,
		.sip = n->sip,
		.root = ims_daemon_root(d),
		.reg = n->reg,
		.server_name = rc->server_name,
		.realm = rc->realm ? rc->realm : cfg->diameter.realm,
		.domains = &rc->domains,
	};

	return session_create(&p, &n->sess);
}

/* Give the HSS connection a bounded chance to open before READY, so the
 * first REGISTER does not meet a closed Cx; a late peer is not fatal
 * (freeDiameter keeps reconnecting, MAR/SAR then get 504). */
static void wait_peers(const struct dia_config *dc)
{
	const struct dia_peer_config *peers = dc->peers.items;
	size_t i;

	for (i = 0; i < dc->peers.n; i++)
		if (dia_peer_wait_open(peers[i].identity, 5000) < 0)
			log_warn("Cx peer %s not open yet", peers[i].identity);
}

int scscf_start(struct ims_daemon *d, void *cfgp)
{
	const struct scscf_config *cfg = cfgp;
	struct scscf *n = calloc(1, sizeof *n);
	int rc;

	if (!n)
		return -ENOMEM;
	n->cfg = cfg;
	ims_daemon_set_context(d, n);
	/* Transactions are kept 32 s (timer J): fault the heap's growth in once
	 * per loop turn instead of page by page (ims/heap.h). */
	heap_attach(ims_daemon_root(d));
	/* nta's timer is nearly always under 1 ms away under load: wait for
	 * it instead of polling (ims/nospin.h). */
	nospin_attach();
	rc = dia_start(&cfg->diameter, DIA_APP_CX);
	if (rc < 0) {
		log_err("Diameter start failed: %s", strerror(-rc));
		return rc;
	}
	n->dia_started = true;
	wait_peers(&cfg->diameter);
	n->cx = dia_bridge_create(ims_daemon_root(d));
	if (!n->cx)
		return -ENOMEM;
	dia_bridge_set_limit(n->cx, (unsigned)cfg->diameter.max_pending);
	rc = sipagent_create(ims_daemon_root(d), &cfg->sip, on_request, n, &n->sip);
	if (rc < 0)
		return rc;
	sipagent_set_screen(n->sip, screen);
	rc = load_shared_sets(n, cfg->registrar.shared_ifc_sets);
	if (rc < 0)
		return rc;
	rc = start_registrar(d, n);
	if (rc < 0)
		return rc;
	rc = start_session(d, n);
	if (rc < 0)
		return rc;
	registrar_on_gone(n->reg, on_gone, n);
	n->d = d;
	n->status = su_timer_create(su_root_task(ims_daemon_root(d)), STATUS_EVERY_MS);
	if (n->status)
		su_timer_set_for_ever(n->status, on_status, (su_timer_arg_t *)n);
	on_status(NULL, NULL, (su_timer_arg_t *)n);
	return 0;
}

void scscf_stop(struct ims_daemon *d)
{
	struct scscf *n = ims_daemon_context(d);

	if (!n)
		return;
	if (n->status)
		su_timer_destroy(n->status);
	if (n->reg)
		registrar_on_gone(n->reg, NULL, NULL);
	/* Requests still out (to an AS, a UE, the next hop): their callbacks
	 * run now, with everything still up, and end each job (503/500
	 * upstream); nothing new is sent from here on. */
	sipagent_close(n->sip);
	/* Bridge next: no Cx answer may reach a freed exchange. */
	if (n->cx)
		dia_bridge_destroy(n->cx);
	registrar_destroy(n->reg);
	sipagent_destroy(n->sip);
	/* Last: a proxy transaction still in the agent may point at an ODI
	 * entry of the session until the agent is gone. */
	session_destroy(n->sess);
	if (n->dia_started)
		dia_stop();
	reg_profile_use_shared_sets(NULL);
	ifc_shared_table_free(n->shared);
	free(n);
	ims_daemon_set_context(d, NULL);
}

/* SIGHUP: only the shared iFC set file is re-read (the registrar and
 * session keep pointers into the start-up config). Users get the new sets
 * at their next SAR, PPR or re-registration. */
int scscf_reload(struct ims_daemon *d, void *new_cfg)
{
	struct scscf *n = ims_daemon_context(d);
	const struct scscf_config *cfg = new_cfg;
	int rc;

	if (!n)
		return -EINVAL;
	rc = load_shared_sets(n, cfg->registrar.shared_ifc_sets);
	if (rc < 0)
		log_err("SIGHUP: shared iFC sets not reloaded: the previous ones stay");
	return 1;
}
