/* registrar: life cycle and timers; see registrar.h for the contract. */
#include "reg_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ims/log.h"

#include "reg_persist.h"

#define REG_TICK_MS 1000

int64_t reg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* TS 29.228 6.1.2: a challenge never answered frees the S-CSCF name the
 * HSS kept for the pending registration. */
static void on_challenge_timeout(void *ctx, const struct reg_challenge *ch)
{
	struct registrar *r = ctx;

	if (reg_store_find(&r->store, ch->impu))
		return;
	log_info("challenge impi=%s impu=%s timed out", ch->impi, ch->impu);
	reg_cx_sar(r, NULL, NULL, ch->impi, ch->impu, CX_SAT_AUTHENTICATION_TIMEOUT, false);
}

/* TS 24.229 5.4.1.3 / TS 29.228 6.1.2: the last binding expired. */
static void on_binding_gone(struct registrar *r, const struct reg_record *rec)
{
	const char *impu = rec->profile->ids[0].uri;
	size_t i;

	for (i = 0; i < rec->profile->n_ids; i++) {
		if (!rec->profile->ids[i].barred) {
			impu = rec->profile->ids[i].uri;
			break;
		}
	}
	log_info("registration impi=%s impu=%s expired", rec->impi, impu);
	reg_cx_sar(r, NULL, NULL, rec->impi, impu, CX_SAT_TIMEOUT_DEREGISTRATION, true);
}

void registrar_on_gone(struct registrar *r, registrar_gone_fn fn, void *ctx)
{
	r->gone = fn;
	r->gone_ctx = ctx;
}

void reg_gone(struct registrar *r, const struct reg_record *rec, const char *contact)
{
	size_t i;

	if (!r->gone || !rec || !rec->profile)
		return;
	for (i = 0; i < rec->profile->n_ids; i++)
		r->gone(r->gone_ctx, rec->profile->ids[i].uri, contact);
}

static bool all_contacts_expire(const struct reg_record *rec, int64_t now)
{
	for (size_t i = 0; i < rec->n_contacts; i++)
		if (rec->contacts[i].expires > now)
			return false;
	return true;
}

/* RFC 3261 10.3 / TS 24.229 5.4.1.3: contacts past their expiry go, their
 * subscribers hear "expired", an empty set is de-registered at the HSS and
 * at the ASs that got third-party registrations (TS 24.229 5.4.1.7). */
static void expire_bindings(struct registrar *r, int64_t now)
{
	struct reg_record *rec, *next;

	for (rec = r->store.head; rec; rec = next) {
		struct reg_ev_snap snap;
		size_t left;

		next = rec->next;
		if (rec->next_expiry > now)
			continue;
		if (all_contacts_expire(rec, now)) {
			reg_third_deregister(r, rec); /* needs the contacts: before they go */
			reg_gone(r, rec, NULL);
		} else {
			for (size_t i = 0; i < rec->n_contacts; i++)
				if (rec->contacts[i].expires <= now)
					reg_gone(r, rec, rec->contacts[i].uri);
		}
		reg_ev_snap_take(r, rec, &snap);
		left = reg_store_expire_record(&r->store, rec, now);
		reg_event_changed(r, &snap, left ? rec : NULL, "expired");
		reg_ev_snap_free(&snap);
		if (left == 0) {
			on_binding_gone(r, rec);
			reg_store_remove(&r->store, rec);
		}
		r->dirty = true;
	}
}

static void save_state(struct registrar *r)
{
	int rc;

	if (r->cfg->store != SCSCF_STORE_FILE || !r->cfg->state_file || !r->dirty)
		return;
	rc = reg_persist_save(&r->store, &r->events, r->cfg->state_file, reg_now(), (int64_t)time(NULL));
	r->saved_at = reg_now();
	if (rc < 0) {
		log_err("state %s: cannot save: %s", r->cfg->state_file, strerror(-rc));
		return;
	}
	r->dirty = false;
}

static void on_tick(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct registrar *r = (struct registrar *)arg;
	int64_t now = reg_now();

	(void)magic;
	(void)t;
	reg_auth_expire(&r->auth, now, on_challenge_timeout, r);
	expire_bindings(r, now);
	reg_event_expire(r, now);
	/* Snapshots cost in proportion to the bindings: at most one per
	 * state_interval (the last changes are also saved at stop). */
	if (now - r->saved_at >= (r->cfg->state_interval + 999) / 1000)
		save_state(r);
}

static int load_state(struct registrar *r)
{
	struct reg_sub *sub, *next;
	size_t loaded = 0;
	bool damaged = false;
	int rc;

	if (r->cfg->store != SCSCF_STORE_FILE || !r->cfg->state_file)
		return 0;
	rc = reg_persist_load(&r->store, &r->events, r->cfg->state_file, reg_now(), (int64_t)time(NULL),
			      &loaded, &damaged);
	if (rc == -ENOENT) {
		log_notice("state %s: none yet, starting empty", r->cfg->state_file);
		return 0;
	}
	if (rc < 0) {
		log_err("state %s: cannot load: %s", r->cfg->state_file, strerror(-rc));
		return rc == -ENOMEM ? rc : 0;
	}
	/* A subscription to a set that did not come back has nothing to say. */
	for (sub = r->events.head; sub; sub = next) {
		next = sub->next;
		if (!reg_store_find(&r->store, sub->impu))
			reg_sub_remove(&r->events, sub);
	}
	log_notice("state %s: %zu registration set(s) and %zu subscription(s) restored%s",
		   r->cfg->state_file, loaded, r->events.count,
		   damaged ? " (damaged part discarded)" : "");
	/* Rewrite at once: what expired meanwhile or was damaged is gone. */
	r->dirty = true;
	save_state(r);
	return 0;
}

static int dup_opt(const char *s, char **out)
{
	*out = s ? strdup(s) : NULL;
	return s && !*out ? -ENOMEM : 0;
}

int registrar_create(const struct registrar_params *p, struct registrar **out)
{
	const struct scscf_registrar_config *cfg = p->cfg;
	struct registrar *r = calloc(1, sizeof *r);
	int rc;

	if (!r)
		return -ENOMEM;
	r->cfg = cfg;
	r->root = p->root;
	r->cx = p->cx;
	if ((rc = dup_opt(p->realm, &r->realm)) < 0 ||
	    (rc = dup_opt(p->server_name, &r->server_name)) < 0 ||
	    (rc = dup_opt(p->hss_realm, &r->hss_realm)) < 0 ||
	    (rc = dup_opt(p->hss_host, &r->hss_host)) < 0)
		goto out;
	/* RFC 3608 / TS 24.229 5.4.1.2.2: the "orig" user part tells the
	 * S-CSCF a request comes from the served user. */
	r->service_route = malloc(strlen(p->hostport) + 16);
	if (!r->service_route) {
		rc = -ENOMEM;
		goto out;
	}
	strcpy(r->service_route, "sip:orig@");
	strcat(r->service_route, p->hostport);
	strcat(r->service_route, ";lr");
	r->contact = malloc(strlen(p->hostport) + 16);
	if (!r->contact) {
		rc = -ENOMEM;
		goto out;
	}
	strcpy(r->contact, "<sip:scscf@");
	strcat(r->contact, p->hostport);
	strcat(r->contact, ">");
	r->agent = p->agent;
	r->sip = p->sip;
	r->hss.realm = r->hss_realm;
	r->hss.host = r->hss_host;
	r->policy.realm = r->realm;
	r->policy.domains = (const char *const *)cfg->domains.v;
	r->policy.n_domains = cfg->domains.n;
	r->policy.default_expires = cfg->default_expires;
	r->policy.min_expires = cfg->min_expires;
	r->policy.max_expires = cfg->max_expires;
	if ((rc = reg_store_init(&r->store, (size_t)cfg->max_contacts)) < 0 ||
	    (rc = reg_auth_init(&r->auth, (size_t)cfg->max_challenges,
				(cfg->challenge_timeout + 999) / 1000)) < 0 ||
	    (rc = reg_events_init(&r->events, (size_t)cfg->max_subscriptions,
				  cfg->subscribe_max_expires)) < 0 ||
	    (rc = load_state(r)) < 0 || (rc = reg_sync_start(r)) < 0)
		goto out;
	reg_auth_set_per_impi(&r->auth, (size_t)cfg->max_challenges_per_impi);
	if (r->cx && (rc = reg_hss_serve(r)) < 0) {
		log_err("registrar: cannot serve RTR/PPR: %s", strerror(-rc));
		goto out;
	}
	r->timer = su_timer_create(su_root_task(p->root), REG_TICK_MS);
	if (!r->timer || su_timer_run(r->timer, on_tick, (su_timer_arg_t *)r) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	*out = r;
	return 0;
out:
	registrar_destroy(r);
	return rc;
}

void registrar_destroy(struct registrar *r)
{
	if (!r)
		return;
	if (r->timer)
		su_timer_destroy(r->timer);
	while (r->ops) {
		struct reg_op *op = r->ops;

		if (op->irq)
			reg_reply_status(op->irq, op->req, 503, "Service Unavailable", 5);
		if (op->cb)
			op->cb(op->cb_ctx, 503, NULL);
		reg_op_free(op);
	}
	reg_third_forget_all(r);
	save_state(r);
	reg_sync_stop(r);
	reg_events_free(&r->events);
	reg_store_free(&r->store);
	reg_auth_free(&r->auth);
	free(r->realm);
	free(r->server_name);
	free(r->service_route);
	free(r->contact);
	free(r->hss_realm);
	free(r->hss_host);
	free(r);
}

size_t registrar_count_users(const struct registrar *r)
{
	return r->store.n_records;
}

size_t registrar_count_challenges(const struct registrar *r)
{
	return r->auth.count;
}

size_t registrar_count_subscriptions(const struct registrar *r)
{
	return r->events.count;
}

int registrar_on_subscribe(struct registrar *r, nta_incoming_t *irq, const sip_t *sip)
{
	if (!r->agent)
		return 501;
	return reg_event_on_subscribe(r, irq, sip);
}

nta_outgoing_t *reg_outgoing(struct registrar *r, nta_response_f *cb,
			     nta_outgoing_magic_t *magic, const char *next_hop, msg_t *msg)
{
	int err;

	if (r->sip)
		return sipagent_outgoing(r->sip, cb, magic, next_hop, msg, &err);
	return nta_outgoing_mcreate(r->agent, cb, magic,
				    next_hop ? URL_STRING_MAKE(next_hop) : NULL, msg, TAG_END());
}
