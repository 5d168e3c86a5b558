/*
 * reg_reply: the final responses of the registrar. 200 OK carries what
 * TS 24.229 5.4.1.2.2 lists: the bindings (Contact with expires, RFC 3261
 * 10.3 step 8), Path echoed (RFC 3327 5.3), Service-Route with our "orig"
 * marker (RFC 3608, TS 24.229 5.4.1.2.2 f), P-Associated-URI with the
 * non-barred IMPUs of the implicit set in HSS order (RFC 7315 4.1) and Date.
 */
#include "reg_internal.h"

#include <stdio.h>
#include <string.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>

#include "ims/log.h"
#include "ims/sip.h"

static void send_and_release(nta_incoming_t *irq, msg_t *req, msg_t *resp, int status)
{
	if (resp) {
		if (nta_incoming_mreply(irq, resp) < 0)
			log_warn("REGISTER: sending %d failed", status);
	} else {
		/* Building failed: a plain 500 still ends the transaction. */
		nta_incoming_treply(irq, SIP_500_INTERNAL_SERVER_ERROR, TAG_END());
	}
	nta_incoming_destroy(irq);
	if (req)
		msg_destroy(req);
}

/* RFC 3261 8.2.6.2: the registrar answers as a UAS, with a To tag. */
static msg_t *new_response(nta_incoming_t *irq, int status, const char *phrase)
{
	const char *tag = nta_incoming_tag(irq, NULL);
	msg_t *resp = nta_incoming_create_response(irq, status, phrase);
	sip_t *sip = resp ? sip_object(resp) : NULL;

	if (sip && sip->sip_to && !sip->sip_to->a_tag && tag &&
	    sip_to_tag(msg_home(resp), sip->sip_to, tag) < 0) {
		msg_destroy(resp);
		return NULL;
	}
	return resp;
}

static int add_retry_after(msg_t *msg, unsigned seconds)
{
	char v[16];

	snprintf(v, sizeof v, "%u", seconds);
	return sip_add_make(msg, sip_object(msg), sip_retry_after_class, v);
}

void reg_reply_status(nta_incoming_t *irq, msg_t *req, int status, const char *phrase,
		      unsigned retry_after)
{
	msg_t *resp = new_response(irq, status, phrase);

	if (resp && retry_after && add_retry_after(resp, retry_after) < 0) {
		msg_destroy(resp);
		resp = NULL;
	}
	send_and_release(irq, req, resp, status);
}

void reg_reply_423(nta_incoming_t *irq, msg_t *req, int64_t min_expires)
{
	msg_t *resp = new_response(irq, SIP_423_INTERVAL_TOO_BRIEF);
	char v[24];

	snprintf(v, sizeof v, "%lld", (long long)min_expires);
	if (resp && sip_add_make(resp, sip_object(resp), sip_min_expires_class, v) < 0) {
		msg_destroy(resp);
		resp = NULL;
	}
	send_and_release(irq, req, resp, 423);
}

void reg_reply_challenge(nta_incoming_t *irq, msg_t *req, const struct sip_auth_challenge *ch)
{
	msg_t *resp = new_response(irq, SIP_401_UNAUTHORIZED);

	if (resp && sip_auth_add_challenge(resp, ch, false) < 0) {
		msg_destroy(resp);
		resp = NULL;
	}
	send_and_release(irq, req, resp, 401);
}

static int add_contacts(msg_t *resp, const struct reg_record *rec)
{
	int64_t now = reg_now();
	size_t i;

	for (i = 0; rec && i < rec->n_contacts; i++) {
		const struct reg_contact *c = &rec->contacts[i];
		long long left = c->expires > now ? (long long)(c->expires - now) : 0;
		char *v = su_sprintf(msg_home(resp), "<%s>;expires=%lld", c->uri, left);

		if (!v || sip_add_make(resp, sip_object(resp), sip_contact_class, v) < 0)
			return -1;
	}
	return 0;
}

static int add_associated_uris(msg_t *resp, const struct reg_record *rec)
{
	const char *uris[REG_PROFILE_MAX_IDENTITIES];
	size_t i, n = 0;

	for (i = 0; rec && rec->profile && i < rec->profile->n_ids; i++)
		if (!rec->profile->ids[i].barred)
			uris[n++] = rec->profile->ids[i].uri;
	return n ? sip_hdr_add_p_associated_uri(resp, uris, n) : 0;
}

msg_t *reg_reply_ok_kept(struct registrar *r, nta_incoming_t *irq, msg_t *req,
			 const struct reg_record *rec)
{
	msg_t *resp = new_response(irq, SIP_200_OK);
	const sip_t *rq = sip_object(req);
	msg_t *kept;
	sip_t *rs;
	int rc = 0;

	if (!resp)
		goto out;
	rs = sip_object(resp);
	if (rq && rq->sip_path)
		rc |= sip_add_dup(resp, rs, (const sip_header_t *)rq->sip_path);
	rc |= add_contacts(resp, rec);
	if (rec && rec->n_contacts) {
		rc |= sip_hdr_add_service_route(resp, r->service_route);
		rc |= add_associated_uris(resp, rec);
	}
	rc |= sip_add_make(resp, rs, sip_supported_class, "path");
	rc |= sip_add_dup(resp, rs, (const sip_header_t *)sip_date_create(msg_home(resp), sip_now()));
	if (rc < 0) {
		msg_destroy(resp);
		resp = NULL;
	}
out:
	kept = resp ? msg_ref_create(resp) : NULL;
	send_and_release(irq, req, resp, 200);
	return kept;
}

void reg_reply_ok(struct registrar *r, nta_incoming_t *irq, msg_t *req,
		  const struct reg_record *rec)
{
	msg_t *kept = reg_reply_ok_kept(r, irq, req, rec);

	if (kept)
		msg_destroy(kept);
}
