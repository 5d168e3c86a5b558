/*
 * reg_notify: the NOTIFYs of the reg event package (RFC 3680 5.3,
 * RFC 6665 4.2.2, TS 24.229 5.4.2.1.2): set snapshots, the reginfo of one
 * subscription, and the in-dialog NOTIFY request (Route = the dialog's
 * route set, sent to its first hop). A 481 or a timeout ends the
 * subscription (RFC 6665 4.2.2).
 */
#include "reg_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_tag.h>

#include "ims/log.h"

#include "reg_reginfo.h"

/* One NOTIFY in flight; the subscription may go meanwhile, so the answer
 * finds it again by Call-ID. */
struct reg_notify_tx {
	struct reg_notify_tx *prev, *next;
	struct registrar *r;
	nta_outgoing_t *orq;
	char call_id[];
};

static void tx_unlink(struct reg_events *e, struct reg_notify_tx *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		e->txs = t->next;
	if (t->next)
		t->next->prev = t->prev;
}

void reg_notify_forget_all(struct reg_events *e)
{
	while (e->txs) {
		struct reg_notify_tx *t = e->txs;

		tx_unlink(e, t);
		nta_outgoing_destroy(t->orq); /* no callback after this */
		free(t);
	}
}

static int on_notify_answer(nta_outgoing_magic_t *magic, nta_outgoing_t *orq, const sip_t *sip)
{
	struct reg_notify_tx *t = (struct reg_notify_tx *)magic;
	struct registrar *r = t->r;
	int status = nta_outgoing_status(orq);
	struct reg_sub *s;

	(void)sip;
	if (status < 200)
		return 0;
	s = reg_htab_find(&r->events.by_call_id, t->call_id);
	if (s && (status == 481 || status == 408 || status >= 500)) {
		log_info("NOTIFY reg impu=%s: %d, subscription ended", s->impu, status);
		reg_sub_remove(&r->events, s);
	} else if (status >= 300) {
		log_notice("NOTIFY reg call-id=%s: %d", t->call_id, status);
	}
	tx_unlink(&r->events, t);
	nta_outgoing_destroy(orq);
	free(t);
	return 0;
}

int reg_ev_snap_take(struct registrar *r, const struct reg_record *rec, struct reg_ev_snap *s)
{
	size_t i;

	memset(s, 0, sizeof *s);
	if (!rec || r->events.count == 0)
		return 0;
	s->taken = true;
	s->impus = calloc(rec->profile->n_ids + 1, sizeof *s->impus);
	s->contacts = calloc(rec->n_contacts + 1, sizeof *s->contacts);
	if (!s->impus || !s->contacts)
		goto nomem;
	for (i = 0; i < rec->profile->n_ids; i++) {
		if (rec->profile->ids[i].barred)
			continue;
		if (!(s->impus[s->n_impus] = strdup(rec->profile->ids[i].uri)))
			goto nomem;
		s->n_impus++;
	}
	for (i = 0; i < rec->n_contacts; i++) {
		const struct reg_contact *c = &rec->contacts[i];
		struct reg_contact *d = &s->contacts[s->n_contacts++];

		d->uri = strdup(c->uri);
		d->call_id = c->call_id ? strdup(c->call_id) : NULL;
		d->instance = c->instance ? strdup(c->instance) : NULL;
		d->cseq = c->cseq;
		if (!d->uri || (c->call_id && !d->call_id) || (c->instance && !d->instance))
			goto nomem;
	}
	return 0;
nomem:
	reg_ev_snap_free(s);
	return -ENOMEM;
}

void reg_ev_snap_free(struct reg_ev_snap *s)
{
	size_t i;

	for (i = 0; s->impus && i < s->n_impus; i++)
		free(s->impus[i]);
	for (i = 0; s->contacts && i < s->n_contacts; i++)
		reg_contact_clear(&s->contacts[i]);
	free(s->impus);
	free(s->contacts);
	memset(s, 0, sizeof *s);
}

static bool has_contact(const struct reg_record *rec, const char *uri)
{
	size_t i;

	for (i = 0; rec && i < rec->n_contacts; i++)
		if (strcmp(rec->contacts[i].uri, uri) == 0)
			return true;
	return false;
}

/* The reginfo body of s's set. */
static int body_for(unsigned version, const struct reg_ev_snap *before,
		    const struct reg_record *after, const char *gone_event, char **out,
		    size_t *len)
{
	size_t na = after ? after->n_contacts : 0, nb = before ? before->n_contacts : 0;
	struct reginfo_contact *cs = calloc(na + nb + 1, sizeof *cs);
	struct reginfo_registration *regs = NULL;
	size_t i, nc = 0, nr = 0;
	int64_t now = reg_now();
	bool active = na > 0;
	int rc = -ENOMEM;

	if (!cs)
		return -ENOMEM;
	for (i = 0; i < na; i++) {
		const struct reg_contact *c = &after->contacts[i];

		cs[nc++] = (struct reginfo_contact){
			.uri = c->uri, .active = true, .call_id = c->call_id, .cseq = c->cseq,
			.event = c->event == REG_EV_REFRESHED ? "refreshed" : "registered",
			.expires = c->expires > now ? c->expires - now : 0,
			.instance = c->instance };
	}
	for (i = 0; i < nb; i++) {
		const struct reg_contact *c = &before->contacts[i];

		if (has_contact(after, c->uri))
			continue;
		cs[nc++] = (struct reginfo_contact){
			.uri = c->uri, .active = false, .event = gone_event ? gone_event : "unregistered",
			.expires = 0, .call_id = c->call_id, .cseq = c->cseq, .instance = c->instance };
	}
	regs = calloc(REG_PROFILE_MAX_IDENTITIES, sizeof *regs);
	if (!regs)
		goto out;
	if (after) {
		for (i = 0; i < after->profile->n_ids && nr < REG_PROFILE_MAX_IDENTITIES; i++)
			if (!after->profile->ids[i].barred)
				regs[nr++] = (struct reginfo_registration){
					.aor = after->profile->ids[i].uri, .active = active,
					.contacts = cs, .n_contacts = nc };
	} else if (before) {
		for (i = 0; i < before->n_impus && nr < REG_PROFILE_MAX_IDENTITIES; i++)
			regs[nr++] = (struct reginfo_registration){
				.aor = before->impus[i], .active = false, .contacts = cs,
				.n_contacts = nc };
	}
	rc = reginfo_write(version, regs, nr, out, len);
out:
	free(regs);
	free(cs);
	return rc;
}

static msg_t *build_notify(struct registrar *r, struct reg_sub *s, const char *state,
			   const char *body)
{
	msg_t *msg = nta_msg_create(r->agent, 0);
	su_home_t *home;
	char *rl, *from, *cseq;

	if (!msg)
		return NULL;
	home = msg_home(msg);
	rl = su_sprintf(home, "NOTIFY %s SIP/2.0", s->target);
	from = su_sprintf(home, "%s;tag=%s", s->local_uri, s->local_tag);
	cseq = su_sprintf(home, "%u NOTIFY", (unsigned)s->cseq);
	if (!rl || !from || !cseq ||
	    sip_add_tl(msg, sip_object(msg), SIPTAG_REQUEST_STR(rl),
		       TAG_IF(s->routes, SIPTAG_ROUTE_STR(s->routes)), SIPTAG_FROM_STR(from),
		       SIPTAG_TO_STR(s->remote), SIPTAG_CALL_ID_STR(s->call_id),
		       SIPTAG_CSEQ_STR(cseq), SIPTAG_MAX_FORWARDS_STR("70"),
		       SIPTAG_CONTACT_STR(r->contact), SIPTAG_EVENT_STR("reg"),
		       SIPTAG_SUBSCRIPTION_STATE_STR(state),
		       SIPTAG_CONTENT_TYPE_STR("application/reginfo+xml"),
		       SIPTAG_PAYLOAD_STR(body), TAG_END()) < 0) {
		msg_destroy(msg);
		return NULL;
	}
	return msg;
}

int reg_notify_send(struct registrar *r, struct reg_sub *s, const struct reg_ev_snap *before,
		    const struct reg_record *after, const char *gone_event, const char *reason)
{
	struct reg_notify_tx *t = NULL;
	char state[64], *body = NULL;
	msg_t *msg = NULL;
	size_t len, idlen = strlen(s->call_id);
	int64_t left = s->expires - reg_now();
	int rc;

	if (!r->agent)
		return -ENOTCONN; /* restored from a file by a registrar without SIP */
	if (reason)
		snprintf(state, sizeof state, "terminated;reason=%s", reason);
	else
		snprintf(state, sizeof state, "active;expires=%lld",
			 (long long)(left > 0 ? left : 0));
	rc = body_for(s->version, before, after, gone_event, &body, &len);
	if (rc < 0)
		goto out;
	s->version++;
	s->cseq++;
	r->dirty = true; /* the dialog's CSeq is kept across restarts */
	if (r->events.touch)
		r->events.touch(r->events.touch_ctx, s);
	rc = -ENOMEM;
	t = calloc(1, sizeof *t + idlen + 1);
	msg = t ? build_notify(r, s, state, body) : NULL;
	if (!msg)
		goto out;
	memcpy(t->call_id, s->call_id, idlen + 1);
	t->r = r;
	t->orq = reg_outgoing(r, on_notify_answer, (nta_outgoing_magic_t *)t, s->next_hop, msg);
	if (!t->orq) {
		rc = -EIO;
		goto out;
	}
	msg = NULL;
	t->next = r->events.txs;
	if (t->next)
		t->next->prev = t;
	r->events.txs = t;
	t = NULL;
	log_info("NOTIFY reg impu=%s to %s: %s version %u", s->impu, s->next_hop, state,
		 s->version - 1);
	rc = 0;
out:
	if (rc < 0)
		log_warn("NOTIFY reg impu=%s: cannot send: %s", s->impu, strerror(-rc));
	if (msg)
		msg_destroy(msg);
	free(t);
	free(body);
	return rc;
}

static bool in_set(const struct reg_sub *s, const struct reg_ev_snap *before,
		   const struct reg_record *after)
{
	size_t i;

	if (after && reg_profile_find(after->profile, s->impu) >= 0)
		return true;
	for (i = 0; before && i < before->n_impus; i++)
		if (strcmp(before->impus[i], s->impu) == 0)
			return true;
	return false;
}

void reg_event_changed(struct registrar *r, const struct reg_ev_snap *before,
		       const struct reg_record *after, const char *gone_event)
{
	struct reg_sub *s, *next;
	bool ended = !after || after->n_contacts == 0;

	if (r->events.count == 0)
		return;
	for (s = r->events.head; s; s = next) {
		next = s->next;
		if (!in_set(s, before, after))
			continue;
		/* TS 24.229 5.4.1.4 / 5.4.1.5: the set is gone, so is the
		 * subscription to it. */
		reg_notify_send(r, s, before, after, gone_event, ended ? "noresource" : NULL);
		if (ended)
			reg_sub_remove(&r->events, s);
	}
}
