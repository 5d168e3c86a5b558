/*
 * regevent: the P-CSCF's subscription to the reg event package of a UE it
 * registered (TS 24.229 5.2.3, RFC 3680), and the NOTIFYs it brings
 * (TS 24.229 5.2.5.2: network-initiated de-registration).
 *
 * After a new registration (not a refresh) a SUBSCRIBE goes to the S-CSCF
 * (the host of the stored Service-Route): Request-URI and To = the default
 * IMPU, From and P-Asserted-Identity = our own URI, Event: reg, Expires
 * 600000. A NOTIFY is matched to the registration by the subscription's
 * Call-ID (only the S-CSCF knows it); when its reginfo says the
 * registration or our contact is terminated, the registration is dropped.
 * The subscription is not refreshed or ended by us (its expiry outlives
 * registrations in practice). Off unless the config says reg_event: true.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include "ims/sip.h"

#include "pcscf.h"
#include "reginfo.h"

struct sub_tx {
	char impu[256];
};

static int on_subscribe_response(nta_outgoing_magic_t *magic, nta_outgoing_t *orq,
				 sip_t const *sip)
{
	struct sub_tx *t = (struct sub_tx *)magic;
	int status = nta_outgoing_status(orq);

	(void)sip;
	if (status < 200)
		return 0;
	if (status < 300)
		log_info("SUBSCRIBE reg impu=%s: %d", t->impu, status);
	else
		log_warn("SUBSCRIBE reg impu=%s refused: %d", t->impu, status);
	nta_outgoing_destroy(orq);
	free(t);
	return 0;
}

static msg_t *build_subscribe(struct pcscf *n, const struct reg *reg, const char *call_id)
{
	nta_agent_t *nta = sipagent_nta(n->sip);
	msg_t *msg = nta_msg_create(nta, 0);
	const char *us = sipagent_hostport(n->sip), *impu = reg->impus[0];
	su_home_t *home;
	char *rl, *from, *to, *contact, *self;

	if (!msg)
		return NULL;
	home = msg_home(msg);
	rl = su_sprintf(home, "SUBSCRIBE %s SIP/2.0", impu);
	from = su_sprintf(home, "<sip:pcscf@%s>;tag=%s", us, call_id);
	to = su_sprintf(home, "<%s>", impu);
	contact = su_sprintf(home, "<sip:pcscf@%s>", us);
	self = su_sprintf(home, "sip:pcscf@%s", us);
	if (!rl || !from || !to || !contact || !self ||
	    sip_add_tl(msg, sip_object(msg), SIPTAG_REQUEST_STR(rl), SIPTAG_FROM_STR(from),
		       SIPTAG_TO_STR(to), SIPTAG_CALL_ID_STR(call_id),
		       SIPTAG_CSEQ_STR("1 SUBSCRIBE"), SIPTAG_MAX_FORWARDS_STR("70"),
		       SIPTAG_CONTACT_STR(contact), SIPTAG_EVENT_STR("reg"),
		       SIPTAG_EXPIRES_STR("600000"),
		       SIPTAG_ACCEPT_STR("application/reginfo+xml"), TAG_END()) < 0 ||
	    sip_hdr_add_p_asserted_identity(msg, NULL, self) < 0) {
		msg_destroy(msg);
		return NULL;
	}
	return msg;
}

int regevent_subscribe(struct pcscf *n, struct reg *reg)
{
	char icid[CHG_ICID_LEN], call_id[CHG_ICID_LEN + 8];
	const char *next_hop = reg->n_service_route ? reg->service_route[0] : n->cfg->icscf;
	struct sub_tx *t;
	msg_t *msg;
	int rc;

	if (reg->n_impus == 0 || (rc = chg_icid_next(&n->icid, icid, sizeof icid)) < 0)
		return -EINVAL;
	snprintf(call_id, sizeof call_id, "reg-%s", icid);
	t = calloc(1, sizeof *t);
	if (!t)
		return -ENOMEM;
	snprintf(t->impu, sizeof t->impu, "%s", reg->impus[0]);
	msg = build_subscribe(n, reg, call_id);
	rc = msg ? reg_set_subscription(reg, call_id) : -ENOMEM;
	if (rc < 0)
		goto out;
	if (!sipagent_outgoing(n->sip, on_subscribe_response, (nta_outgoing_magic_t *)t, next_hop,
			       msg, &rc)) {
		/* On failure msg stays ours. */
		reg_set_subscription(reg, NULL);
		goto out;
	}
	log_debug("SUBSCRIBE reg impu=%s via %s", t->impu, next_hop);
	return 0;
out:
	if (msg)
		msg_destroy(msg);
	free(t);
	return rc;
}

int regevent_notify(struct pcscf *n, nta_incoming_t *irq, const sip_t *sip, struct reg *reg)
{
	const sip_payload_t *pl = sip->sip_payload;
	int verdict = 0;
	char fl[96];

	if (pl && pl->pl_len)
		verdict = reginfo_terminates(pl->pl_data, pl->pl_len, reg);
	if (verdict < 0) {
		log_warn("NOTIFY reg for %s: body is not reginfo", reg->impus[0]);
		return 400;
	}
	nta_incoming_treply(irq, SIP_200_OK, TAG_END());
	if (verdict == 1) {
		log_info("NOTIFY reg impu=%s flow=%s: de-registered by the network", reg->impus[0],
			 flow_str(&reg->flow, fl, sizeof fl));
		reg_store_remove(n->regs, &reg->flow);
	}
	return 0;
}
