/*
 * reg_event: reg event subscriptions (see reg_event.h): the table, the
 * SUBSCRIBE procedure (TS 24.229 5.4.2.1.1, RFC 6665 4.2.1) and expiry.
 */
#include "reg_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include "ims/log.h"
#include "ims/sip.h"

#define REG_SUB_DEFAULT_EXPIRES 3600 /* RFC 3680 6.5 */

int reg_events_init(struct reg_events *e, size_t max, int64_t max_expires)
{
	memset(e, 0, sizeof *e);
	e->max = max ? max : 1;
	e->max_expires = max_expires > 0 ? max_expires : REG_SUB_DEFAULT_EXPIRES;
	return reg_htab_init(&e->by_call_id, 64);
}

void reg_sub_free(struct reg_sub *s)
{
	if (!s)
		return;
	free(s->call_id);
	free(s->impu);
	free(s->subscriber);
	free(s->local_tag);
	free(s->local_uri);
	free(s->remote);
	free(s->target);
	free(s->routes);
	free(s->next_hop);
	free(s);
}

void reg_sub_remove(struct reg_events *e, struct reg_sub *s)
{
	if (e->touch)
		e->touch(e->touch_ctx, s);
	reg_htab_remove(&e->by_call_id, s->call_id, s);
	if (s->prev)
		s->prev->next = s->next;
	else
		e->head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	e->count--;
	reg_sub_free(s);
}

int reg_events_restore(struct reg_events *e, struct reg_sub *s)
{
	if (e->count >= e->max || reg_htab_find(&e->by_call_id, s->call_id))
		return -EEXIST;
	if (reg_htab_insert(&e->by_call_id, s->call_id, s) < 0)
		return -ENOMEM;
	s->prev = NULL;
	s->next = e->head;
	if (s->next)
		s->next->prev = s;
	e->head = s;
	e->count++;
	return 0;
}

void reg_events_free(struct reg_events *e)
{
	reg_notify_forget_all(e);
	while (e->head)
		reg_sub_remove(e, e->head);
	reg_htab_free(&e->by_call_id);
}

void reg_event_expire(struct registrar *r, int64_t now)
{
	struct reg_sub *s, *next;

	for (s = r->events.head; s; s = next) {
		next = s->next;
		if (s->expires > now)
			continue;
		log_info("SUBSCRIBE reg impu=%s subscriber=%s: expired", s->impu, s->subscriber);
		reg_notify_send(r, s, NULL, reg_store_find(&r->store, s->impu), NULL, "timeout");
		reg_sub_remove(&r->events, s);
	}
}

static void reply(nta_incoming_t *irq, int status, const char *phrase)
{
	nta_incoming_treply(irq, status, phrase, TAG_END());
	nta_incoming_destroy(irq);
}

static void reply_ok(struct registrar *r, nta_incoming_t *irq, const char *tag, int64_t expires)
{
	char ex[24];

	snprintf(ex, sizeof ex, "%lld", (long long)expires);
	nta_incoming_tag(irq, tag);
	nta_incoming_treply(irq, SIP_200_OK, SIPTAG_EXPIRES_STR(ex),
			    SIPTAG_CONTACT_STR(r->contact), TAG_END());
	nta_incoming_destroy(irq);
}

/* RFC 6665 4.2.1.1 / RFC 3680 6.5: the requested lifetime, capped. */
static int64_t granted_expires(const struct registrar *r, const sip_t *sip)
{
	int64_t e = sip->sip_expires ? (int64_t)sip->sip_expires->ex_delta
				     : REG_SUB_DEFAULT_EXPIRES;

	return e > r->events.max_expires ? r->events.max_expires : e;
}

/* The host of the first URI inside a Path value "<sip:x@host:port;lr>, ...". */
static bool path_host_is(const char *path, const char *host)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	sip_path_t *p = path ? sip_path_make(home, path) : NULL;
	bool match = false;

	for (; p && !match; p = p->r_next)
		match = p->r_url->url_host && strcasecmp(p->r_url->url_host, host) == 0;
	su_home_deinit(home);
	return match;
}

/* TS 24.229 5.4.2.1.1: the user itself (P-Asserted-Identity one of the
 * set) or the P-CSCF that registered a contact (on its Path). */
static bool authorised(const struct reg_record *rec, const url_t *pai, const char *pai_canon)
{
	size_t i;

	if (reg_profile_find(rec->profile, pai_canon) >= 0)
		return true;
	for (i = 0; pai->url_host && i < rec->n_contacts; i++)
		if (path_host_is(rec->contacts[i].path, pai->url_host))
			return true;
	return false;
}

static char *join_record_route(const sip_t *sip, su_home_t *home, char **first)
{
	const sip_record_route_t *rr;
	char *acc = NULL;

	*first = NULL;
	for (rr = sip->sip_record_route; rr; rr = rr->r_next) {
		char *one = sip_header_as_string(home, (const sip_header_t *)rr);

		if (!one)
			return NULL;
		if (!*first)
			*first = url_as_string(home, rr->r_url);
		acc = acc ? su_sprintf(home, "%s, %s", acc, one) : one;
	}
	return acc;
}

static int sub_fill(struct reg_sub *s, const sip_t *sip, const char *impu, const char *pai,
		    const char *tag, su_home_t *home)
{
	char *first = NULL, *routes = join_record_route(sip, home, &first);
	char *target = url_as_string(home, sip->sip_contact->m_url);
	char *to = url_as_string(home, sip->sip_to->a_url);
	char *from = sip_header_as_string(home, (const sip_header_t *)sip->sip_from);

	if (!target || !to || !from || (sip->sip_record_route && !routes))
		return -ENOMEM;
	s->call_id = strdup(sip->sip_call_id->i_id);
	s->impu = strdup(impu);
	s->subscriber = strdup(pai);
	s->local_tag = strdup(tag);
	s->local_uri = malloc(strlen(to) + 3);
	s->remote = strdup(from);
	s->target = strdup(target);
	s->routes = routes ? strdup(routes) : NULL;
	s->next_hop = strdup(first ? first : target);
	if (!s->call_id || !s->impu || !s->subscriber || !s->local_tag || !s->local_uri ||
	    !s->remote || !s->target || (routes && !s->routes) || !s->next_hop)
		return -ENOMEM;
	sprintf(s->local_uri, "<%s>", to);
	s->remote_cseq = sip->sip_cseq->cs_seq;
	return 0;
}

/* The subscriber's identity: P-Asserted-Identity (set by the P-CSCF,
 * TS 24.229 5.2.6.3.3), never the From. */
static int asserted(msg_t *msg, const url_t **url, char *canon, size_t cap)
{
	sip_p_asserted_identity_t const *pai = NULL;

	if (sip_hdr_p_asserted_identity(msg, &pai) < 0 || !pai)
		return -ENOENT;
	*url = pai->paid_url;
	return reg_uri_canon(pai->paid_url, canon, cap);
}

static void initial(struct registrar *r, nta_incoming_t *irq, msg_t *msg, const sip_t *sip)
{
	char impu[REG_URI_MAX], pai[REG_URI_MAX];
	su_home_t home[1] = { SU_HOME_INIT(home) };
	const url_t *pai_url = NULL;
	struct reg_record *rec;
	struct reg_sub *s = NULL;
	const char *tag;
	int64_t expires = granted_expires(r, sip);

	if (reg_uri_canon(sip->sip_request->rq_url, impu, sizeof impu) < 0 || !sip->sip_contact) {
		reply(irq, 400, "Bad Request");
		goto out;
	}
	rec = reg_store_find(&r->store, impu);
	if (!rec) {
		reply(irq, 480, "Temporarily Unavailable - Not Registered");
		goto out;
	}
	if (asserted(msg, &pai_url, pai, sizeof pai) < 0 || !authorised(rec, pai_url, pai)) {
		log_notice("SUBSCRIBE reg impu=%s from %s: not authorised", impu,
			   pai_url ? pai : "(no P-Asserted-Identity)");
		reply(irq, 403, "Forbidden");
		goto out;
	}
	if (r->events.count >= r->events.max) {
		nta_incoming_treply(irq, 503, "Service Unavailable", SIPTAG_RETRY_AFTER_STR("60"),
				    TAG_END());
		nta_incoming_destroy(irq);
		goto out;
	}
	tag = nta_incoming_tag(irq, NULL);
	s = calloc(1, sizeof *s);
	if (!tag || !s || sub_fill(s, sip, impu, pai, tag, home) < 0 ||
	    reg_htab_insert(&r->events.by_call_id, s->call_id, s) < 0) {
		if (s)
			reg_sub_free(s);
		reply(irq, 500, "Server Internal Error");
		goto out;
	}
	s->expires = reg_now() + expires;
	s->next = r->events.head;
	if (s->next)
		s->next->prev = s;
	r->events.head = s;
	r->events.count++;
	reply_ok(r, irq, tag, expires);
	log_info("SUBSCRIBE reg impu=%s subscriber=%s: %lld s", impu, pai, (long long)expires);
	/* RFC 6665 4.2.1: a NOTIFY at once; Expires: 0 is a one-time fetch. */
	reg_notify_send(r, s, NULL, rec, NULL, expires == 0 ? "timeout" : NULL);
	if (expires == 0)
		reg_sub_remove(&r->events, s);
out:
	su_home_deinit(home);
}

/* RFC 6665 4.2.1.2: refresh, or Expires: 0 to unsubscribe. */
static void in_dialog(struct registrar *r, nta_incoming_t *irq, const sip_t *sip)
{
	struct reg_sub *s = reg_htab_find(&r->events.by_call_id, sip->sip_call_id->i_id);
	int64_t expires = granted_expires(r, sip);
	struct reg_record *rec;

	if (!s || strcmp(s->local_tag, sip->sip_to->a_tag) != 0 || !sip->sip_from->a_tag ||
	    !strstr(s->remote, sip->sip_from->a_tag)) {
		reply(irq, 481, "Subscription Does Not Exist");
		return;
	}
	if (sip->sip_cseq->cs_seq <= s->remote_cseq) {
		reply(irq, 500, "Server Internal Error - CSeq Out Of Order");
		return;
	}
	s->remote_cseq = sip->sip_cseq->cs_seq;
	s->expires = reg_now() + expires;
	rec = reg_store_find(&r->store, s->impu);
	reply_ok(r, irq, s->local_tag, expires);
	reg_notify_send(r, s, NULL, rec, NULL, expires == 0 ? "timeout" : NULL);
	if (expires == 0) {
		log_info("SUBSCRIBE reg impu=%s subscriber=%s: unsubscribed", s->impu,
			 s->subscriber);
		reg_sub_remove(&r->events, s);
	}
}

int reg_event_on_subscribe(struct registrar *r, nta_incoming_t *irq, const sip_t *sip)
{
	char why[160];
	msg_t *msg;

	if (!sip_request_is_well_formed(sip, why, sizeof why)) {
		log_info("SUBSCRIBE refused: %s", why);
		reply(irq, 400, "Bad Request");
		return 0;
	}
	if (!sip->sip_event || strcasecmp(sip->sip_event->o_type, "reg") != 0) {
		nta_incoming_treply(irq, 489, "Bad Event", SIPTAG_ALLOW_EVENTS_STR("reg"),
				    TAG_END());
		nta_incoming_destroy(irq);
		return 0;
	}
	if (sip->sip_to->a_tag) {
		in_dialog(r, irq, sip);
		return 0;
	}
	msg = nta_incoming_getrequest(irq);
	if (!msg) {
		reply(irq, 500, "Server Internal Error");
		return 0;
	}
	initial(r, irq, msg, sip_object(msg));
	msg_destroy(msg);
	return 0;
}
