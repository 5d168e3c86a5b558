/*
 * reg_third: third-party registration (TS 24.229 5.4.1.7, TS 23.218 6.3).
 * After the 200 OK of a registration, re-registration or de-registration,
 * the served user's iFCs are evaluated for the REGISTER (originating,
 * RegistrationType per TS 29.228 Annex F) and every matching AS, in
 * priority order, gets a REGISTER of its own: Request-URI the AS, From and
 * Contact our URI, To the registered IMPU, Expires the registration's
 * (0 on de-registration), the UE's P-Charging-Vector, P-Access-Network-Info
 * and P-Visited-Network-ID, and per iFC the UE's REGISTER and our 200 OK
 * (message/sip) and the ServiceInfo (application/3gpp-ims+xml), as one
 * body or multipart/mixed (TS 24.229 5.4.1.7, 7.6).
 *
 * Nothing waits for the AS. An AS that fails (>= 300) or does not answer
 * within third_party_timeout, with DefaultHandling SESSION_TERMINATED,
 * ends the registration: SAR ADMINISTRATIVE_DEREGISTRATION, reg-event
 * NOTIFY (rejected), bindings removed (TS 24.229 5.4.1.7 last paragraph).
 * At most third_party_max are in flight; beyond, an AS is skipped, logged.
 */
#include "reg_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_tag.h>

#include "ifc/ifc_sip.h"
#include "ims/log.h"
#include "ims/sip.h"

#define THIRD_MAX_MSG (64 * 1024)  /* a REGISTER or 200 OK put in a body */
#define THIRD_MAX_ASS IFC_MAX_FILTERS

struct reg_third {
	struct reg_third *prev, *next;
	struct registrar *r;
	nta_outgoing_t *orq;
	su_timer_t *timer;
	enum ifc_default_handling handling;
	bool dereg;              /* Expires: 0 sent; a failure changes nothing */
	char *impi, *impu, *as;
};

/* What every REGISTER of one registration event shares. */
struct third_ctx {
	msg_t *req;              /* the UE's REGISTER */
	char *req_text, *ok_text;
	size_t req_len, ok_len;
	const char *impi, *impu;
	int64_t expires;
};

static void third_unlink_free(struct reg_third *t)
{
	struct registrar *r = t->r;

	if (t->prev)
		t->prev->next = t->next;
	else
		r->thirds = t->next;
	if (t->next)
		t->next->prev = t->prev;
	r->n_thirds--;
	if (t->timer)
		su_timer_destroy(t->timer);
	if (t->orq)
		nta_outgoing_destroy(t->orq); /* no callback after this */
	free(t->impi);
	free(t->impu);
	free(t->as);
	free(t);
}

void reg_third_forget_all(struct registrar *r)
{
	while (r->thirds)
		third_unlink_free(r->thirds);
}

/* TS 24.229 5.4.1.7: the AS failed and its iFC says SESSION_TERMINATED:
 * network-initiated de-registration (5.4.1.5) of the set, if it is still
 * the one we registered. */
static void third_failed(struct reg_third *t, int status)
{
	struct registrar *r = t->r;
	struct reg_record *rec;

	if (t->handling != IFC_SESSION_TERMINATED || t->dereg) {
		log_info("third-party REGISTER impu=%s to %s: %d, %s", t->impu, t->as, status,
			 t->dereg ? "de-registration anyway" : "SESSION_CONTINUED");
		return;
	}
	rec = reg_store_find(&r->store, t->impu);
	if (!rec || strcmp(rec->impi, t->impi) != 0) {
		log_info("third-party REGISTER impu=%s to %s: %d, already gone", t->impu, t->as,
			 status);
		return;
	}
	log_notice("third-party REGISTER impu=%s to %s: %d, SESSION_TERMINATED: de-registering",
		   t->impu, t->as, status);
	reg_cx_sar(r, NULL, NULL, t->impi, t->impu, CX_SAT_ADMINISTRATIVE_DEREGISTRATION, false);
	reg_deregister_set(r, rec, "rejected");
}

static int on_third_answer(nta_outgoing_magic_t *magic, nta_outgoing_t *orq, const sip_t *sip)
{
	struct reg_third *t = (struct reg_third *)magic;
	int status = nta_outgoing_status(orq);

	(void)sip;
	if (status < 200)
		return 0;
	if (status >= 300)
		third_failed(t, status);
	else
		log_info("third-party REGISTER impu=%s to %s: %d", t->impu, t->as, status);
	third_unlink_free(t);
	return 0;
}

static void on_third_timeout(su_root_magic_t *magic, su_timer_t *timer, su_timer_arg_t *arg)
{
	struct reg_third *t = (struct reg_third *)arg;

	(void)magic;
	(void)timer;
	third_failed(t, 408);
	third_unlink_free(t);
}

/* Escape text for XML character data (service-info, TS 24.229 7.6). */
static char *xml_escape(su_home_t *home, const char *s)
{
	size_t n = 0;
	const char *p;
	char *out, *o;

	for (p = s; *p; p++)
		n += *p == '&' ? 5 : (*p == '<' || *p == '>') ? 4 : 1;
	out = su_alloc(home, n + 1);
	if (!out)
		return NULL;
	for (p = s, o = out; *p; p++) {
		const char *e = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : NULL;

		if (e) {
			memcpy(o, e, strlen(e));
			o += strlen(e);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

struct third_part {
	const char *type;
	const char *data;
	size_t len;
};

static bool contains(const char *p, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (p[i] == needle[0] && memcmp(p + i, needle, n) == 0)
			return true;
	return false;
}

/* One part as it is, several as multipart/mixed (RFC 2046 5.1.1) with a
 * random boundary that none of the parts contains. */
static int add_body(msg_t *msg, const struct third_part *parts, size_t n)
{
	su_home_t *home = msg_home(msg);
	char boundary[40], *body, *ct;
	uint64_t rnd;
	size_t i, len = 0, off = 0;

	if (n == 0)
		return 0;
	if (n == 1)
		return sip_add_tl(msg, sip_object(msg), SIPTAG_CONTENT_TYPE_STR(parts[0].type),
				  SIPTAG_PAYLOAD(sip_payload_create(home, parts[0].data,
								    (isize_t)parts[0].len)),
				  TAG_END()) < 0 ? -ENOMEM : 0;
	if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd)
		return -EIO;
	snprintf(boundary, sizeof boundary, "tpr-%016llx", (unsigned long long)rnd);
	for (i = 0; i < n; i++) {
		if (contains(parts[i].data, parts[i].len, boundary))
			return -EEXIST;
		len += parts[i].len + strlen(parts[i].type) + strlen(boundary) + 40;
	}
	len += strlen(boundary) + 8;
	body = su_alloc(home, len);
	if (!body)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		off += (size_t)snprintf(body + off, len - off, "--%s\r\nContent-Type: %s\r\n\r\n",
					boundary, parts[i].type);
		memcpy(body + off, parts[i].data, parts[i].len);
		off += parts[i].len;
		memcpy(body + off, "\r\n", 2);
		off += 2;
	}
	off += (size_t)snprintf(body + off, len - off, "--%s--\r\n", boundary);
	ct = su_sprintf(home, "multipart/mixed;boundary=%s", boundary);
	if (!ct)
		return -ENOMEM;
	return sip_add_tl(msg, sip_object(msg), SIPTAG_CONTENT_TYPE_STR(ct),
			  SIPTAG_PAYLOAD(sip_payload_create(home, body, (isize_t)off)),
			  TAG_END()) < 0 ? -ENOMEM : 0;
}

/* Copy a header of the UE's REGISTER when it is present and one line. */
static int copy_hdr(msg_t *msg, const sip_t *ue, const char *name)
{
	const char *v = sip_hdr_unknown_value(ue, name);

	if (!v || !*v || strpbrk(v, "\r\n"))
		return 0;
	return sip_hdr_add_raw(msg, name, v);
}

static msg_t *build_register(struct registrar *r, const struct third_ctx *c,
			     const struct ifc_as *as)
{
	msg_t *msg = nta_msg_create(r->agent, 0);
	const sip_t *ue = sip_object(c->req);
	struct third_part parts[3];
	su_home_t *home;
	char *rl, *from, *to, *cid, *exp, *contact, *info = NULL;
	uint64_t rnd[2];
	size_t n = 0;

	if (!msg)
		return NULL;
	home = msg_home(msg);
	if (getrandom(rnd, sizeof rnd, 0) != sizeof rnd)
		goto fail;
	rl = su_sprintf(home, "REGISTER %s SIP/2.0", as->server_name);
	from = su_sprintf(home, "<%s>;tag=%08llx", r->server_name,
			  (unsigned long long)(rnd[0] & 0xffffffffu));
	to = su_sprintf(home, "<%s>", c->impu);
	cid = su_sprintf(home, "%016llx%016llx@tpr", (unsigned long long)rnd[0],
			 (unsigned long long)rnd[1]);
	exp = su_sprintf(home, "%lld", (long long)c->expires);
	contact = su_sprintf(home, "<%s>", r->server_name);
	if (!rl || !from || !to || !cid || !exp || !contact ||
	    sip_add_tl(msg, sip_object(msg), SIPTAG_REQUEST_STR(rl), SIPTAG_FROM_STR(from),
		       SIPTAG_TO_STR(to), SIPTAG_CALL_ID_STR(cid), SIPTAG_CSEQ_STR("1 REGISTER"),
		       SIPTAG_MAX_FORWARDS_STR("70"), SIPTAG_CONTACT_STR(contact),
		       SIPTAG_EXPIRES_STR(exp), TAG_END()) < 0)
		goto fail;
	if (copy_hdr(msg, ue, "P-Charging-Vector") < 0 ||
	    copy_hdr(msg, ue, "P-Charging-Function-Addresses") < 0 ||
	    copy_hdr(msg, ue, "P-Access-Network-Info") < 0 ||
	    copy_hdr(msg, ue, "P-Visited-Network-ID") < 0)
		goto fail;
	if (as->include_register_request && c->req_text)
		parts[n++] = (struct third_part){ "message/sip", c->req_text, c->req_len };
	if (as->include_register_response && c->ok_text)
		parts[n++] = (struct third_part){ "message/sip", c->ok_text, c->ok_len };
	if (as->service_info) {
		char *esc = xml_escape(home, as->service_info);

		info = esc ? su_sprintf(home, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
					"<ims-3gpp version=\"1\"><service-info>%s</service-info>"
					"</ims-3gpp>\r\n", esc) : NULL;
		if (!info)
			goto fail;
		parts[n++] = (struct third_part){ "application/3gpp-ims+xml", info, strlen(info) };
	}
	if (add_body(msg, parts, n) < 0)
		goto fail;
	return msg;
fail:
	msg_destroy(msg);
	return NULL;
}

static int send_one(struct registrar *r, const struct third_ctx *c, const struct ifc_as *as,
		    int priority)
{
	struct reg_third *t;
	msg_t *msg;

	if (r->n_thirds >= (size_t)r->cfg->third_party_max) {
		log_warn("third-party REGISTER impu=%s to %s: %zu in flight, skipped", c->impu,
			 as->server_name, r->n_thirds);
		return -EBUSY;
	}
	t = calloc(1, sizeof *t);
	if (!t)
		return -ENOMEM;
	t->r = r;
	t->handling = as->default_handling;
	t->dereg = c->expires == 0;
	t->impi = strdup(c->impi);
	t->impu = strdup(c->impu);
	t->as = strdup(as->server_name);
	t->next = r->thirds;
	if (t->next)
		t->next->prev = t;
	r->thirds = t;
	r->n_thirds++;
	if (!t->impi || !t->impu || !t->as) {
		third_unlink_free(t);
		return -ENOMEM;
	}
	msg = build_register(r, c, as);
	t->timer = su_timer_create(su_root_task(r->root), (su_duration_t)r->cfg->third_party_timeout);
	if (msg && t->timer)
		t->orq = reg_outgoing(r, on_third_answer, (nta_outgoing_magic_t *)t, NULL, msg);
	if (!t->orq || su_timer_set(t->timer, on_third_timeout, (su_timer_arg_t *)t) < 0) {
		if (msg && !t->orq)
			msg_destroy(msg);
		log_warn("third-party REGISTER impu=%s to %s: cannot send", c->impu, as->server_name);
		third_unlink_free(t);
		return -EIO;
	}
	log_info("third-party REGISTER impu=%s iFC priority %d -> AS %s expires=%lld", c->impu,
		 priority, as->server_name, (long long)c->expires);
	return 0;
}

int64_t reg_record_expires_in(const struct reg_record *rec, int64_t now)
{
	int64_t best = 0;
	size_t i;

	for (i = 0; i < rec->n_contacts; i++)
		if (rec->contacts[i].expires - now > best)
			best = rec->contacts[i].expires - now;
	return best;
}

static char *serialize(su_home_t *home, msg_t *msg, size_t *len)
{
	char *buf = msg ? su_alloc(home, THIRD_MAX_MSG) : NULL;

	if (!buf || sip_msg_serialize(msg, buf, THIRD_MAX_MSG, len) < 0)
		return NULL;
	return buf;
}

/* body_req: the REGISTER an AS may get as message/sip (NULL: none, the
 * de-registration is the network's). */
static void third_send_all(struct registrar *r, msg_t *req, msg_t *body_req, msg_t *ok,
			   const struct reg_record *rec, const char *impu, enum ifc_reg_type type,
			   int64_t expires)
{
	const struct ifc_filter *found[THIRD_MAX_ASS];
	struct ifc_context ctx = { .session_case = IFC_SC_ORIGINATING,
				   .user_state = IFC_USER_REGISTERED };
	struct third_ctx c = { .req = req, .impi = rec->impi, .impu = impu, .expires = expires };
	const struct ifc_profile *p;
	struct ifc_sip_request view;
	su_home_t home[1] = { SU_HOME_INIT(home) };
	size_t n = 0, i;
	bool need_req = false, need_ok = false;
	int pos = IFC_START, k;

	if (!r->agent || !rec->profile || !rec->profile->ifc)
		return;
	k = reg_profile_find(rec->profile, impu);
	if (k < 0 || rec->profile->ids[k].profile >= rec->profile->n_profiles)
		return;
	p = rec->profile->ifc[rec->profile->ids[k].profile];
	if (!p || ifc_sip_request_init(&view, sip_object(req), type) < 0)
		return;
	while (n < THIRD_MAX_ASS &&
	       (pos = ifc_next(p, &view.req, &ctx, pos, &found[n])) >= 0) {
		need_req |= found[n]->as.include_register_request;
		need_ok |= found[n]->as.include_register_response;
		n++;
	}
	ifc_sip_request_release(&view);
	if (need_req && body_req)
		c.req_text = serialize(home, body_req, &c.req_len);
	if (need_ok)
		c.ok_text = serialize(home, ok, &c.ok_len);
	/* The profile is not touched until we return: found[] stays valid. */
	for (i = 0; i < n; i++)
		send_one(r, &c, &found[i]->as, found[i]->priority);
	su_home_deinit(home);
}

void reg_third_register(struct registrar *r, msg_t *req, msg_t *ok, const struct reg_record *rec,
			const char *impu, enum ifc_reg_type type, int64_t expires)
{
	third_send_all(r, req, req, ok, rec, impu, type, expires);
}

/* The REGISTER the iFCs are evaluated against when the network ends a
 * registration: no UE sent one, so it is ours (Request-URI the home
 * domain, From/To the IMPU, Expires: 0). */
static msg_t *network_register(struct registrar *r, const char *impu)
{
	msg_t *msg = nta_msg_create(r->agent, 0);
	su_home_t *home = msg ? msg_home(msg) : NULL;
	char *rl, *aor;

	if (!msg)
		return NULL;
	rl = su_sprintf(home, "REGISTER sip:%s SIP/2.0", r->realm);
	aor = su_sprintf(home, "<%s>", impu);
	if (!rl || !aor ||
	    sip_add_tl(msg, sip_object(msg), SIPTAG_REQUEST_STR(rl), SIPTAG_FROM_STR(aor),
		       SIPTAG_TO_STR(aor), SIPTAG_CALL_ID_STR("network-deregistration"),
		       SIPTAG_CSEQ_STR("1 REGISTER"), SIPTAG_EXPIRES_STR("0"), TAG_END()) < 0) {
		msg_destroy(msg);
		return NULL;
	}
	return msg;
}

void reg_third_deregister(struct registrar *r, const struct reg_record *rec)
{
	const char *impu = NULL;
	msg_t *req;
	size_t i;

	if (!r->agent || !rec->profile || rec->n_contacts == 0)
		return;
	for (i = 0; i < rec->profile->n_ids && !impu; i++)
		if (!rec->profile->ids[i].barred)
			impu = rec->profile->ids[i].uri;
	if (!impu)
		return;
	req = network_register(r, impu);
	if (!req) {
		log_warn("third-party de-registration impu=%s: cannot build", impu);
		return;
	}
	third_send_all(r, req, NULL, NULL, rec, impu, IFC_REG_DE, 0);
	msg_destroy(req);
}
