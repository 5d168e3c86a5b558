/*
 * Cx plumbing shared by UAR and LIR: send over the bridge with a bound, and
 * read an answer into struct icscf_cx_answer (TS 29.229 6.1.2, 6.1.8).
 */
#include "icscf_cx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include "ims/sip.h"

struct cx_call {
	icscf_cx_fn cb;
	void *ctx;
};

static void copy_octets(struct avp *avp, char *out, size_t cap)
{
	const uint8_t *p;
	size_t len;

	out[0] = '\0';
	if (dia_get_octets(avp, &p, &len) < 0)
		return;
	if (len >= cap)
		len = cap - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

/* Server-Capabilities (TS 29.229 6.3.4): Mandatory-Capability*,
 * Optional-Capability*, Server-Name*. Extra entries beyond our arrays are
 * ignored (logged). */
static void parse_caps(struct avp *grp, struct scscf_caps *c)
{
	struct avp *a;
	uint32_t v;

	for (a = dia_find(grp, CX_AVP_MANDATORY_CAPABILITY); a; a = dia_next_same(a))
		if (c->n_mand < SCSCF_CAPS_MAX && dia_get_u32(a, &v) == 0)
			c->mand[c->n_mand++] = v;
	for (a = dia_find(grp, CX_AVP_OPTIONAL_CAPABILITY); a; a = dia_next_same(a))
		if (c->n_opt < SCSCF_CAPS_MAX && dia_get_u32(a, &v) == 0)
			c->opt[c->n_opt++] = v;
	for (a = dia_find(grp, CX_AVP_SERVER_NAME); a; a = dia_next_same(a))
		if (c->n_names < SCSCF_NAMES_MAX)
			copy_octets(a, c->names[c->n_names++], SCSCF_URI_MAX);
}

int icscf_cx_parse(struct msg *ans, struct icscf_cx_answer *out)
{
	struct avp *a;

	memset(out, 0, sizeof *out);
	if (dia_answer_result(ans, &out->code, &out->experimental) < 0)
		return -EBADMSG;
	out->has_code = true;
	a = dia_find(ans, CX_AVP_SERVER_NAME);
	if (a)
		copy_octets(a, out->server_name, sizeof out->server_name);
	a = dia_find(ans, CX_AVP_SERVER_CAPABILITIES);
	if (a) {
		out->has_caps = true;
		parse_caps(a, &out->caps);
	}
	return 0;
}

/* The answer is read into a struct on the stack (2.6 KB: it holds the
 * Server-Capabilities' name list): a heap block that size per answer was
 * a visible share of the loop's malloc time under load. */
static void on_answer(void *ctx, struct msg *ans, int err)
{
	struct cx_call *call = ctx;
	struct icscf_cx_answer a;

	if (!ans) {
		memset(&a, 0, sizeof a);
		a.err = err ? err : -EIO;
	} else if (icscf_cx_parse(ans, &a) < 0) {
		a.err = -EBADMSG;
	}
	call->cb(call->ctx, &a);
	if (ans)
		fd_msg_free(ans);
	free(call);
}

int icscf_cx_send(struct icscf *n, struct msg **req, icscf_cx_fn cb, void *ctx)
{
	struct cx_call *call = malloc(sizeof *call);
	int rc;

	if (!call) {
		fd_msg_free(*req);
		*req = NULL;
		return -ENOMEM;
	}
	call->cb = cb;
	call->ctx = ctx;
	rc = dia_bridge_send(n->cx, req, (int)n->cfg->cx.timeout, on_answer, call);
	if (rc < 0)
		free(call);
	return rc;
}

bool icscf_cx_shed(struct icscf *n, nta_incoming_t *irq, unsigned percent)
{
	if (!dia_bridge_busy(n->cx, percent))
		return false;
	/* Before any copy or parsing: the cheapest refusal we can make. */
	nta_incoming_treply(irq, SIP_503_SERVICE_UNAVAILABLE,
			    SIPTAG_HEADER_STR(ICSCF_OVERLOAD_RETRY_AFTER), TAG_END());
	nta_incoming_destroy(irq);
	return true;
}

int icscf_cx_screen(void *ctx, msg_t *msg, const sip_t *sip, char *extra, size_t extra_len)
{
	struct icscf *n = ctx;

	(void)msg;
	if (sip->sip_request->rq_method != sip_method_register || sip_hdr_has_credentials(sip) ||
	    !dia_bridge_busy(n->cx, ICSCF_ADMIT_PERCENT))
		return 0;
	snprintf(extra, extra_len, "%s", ICSCF_OVERLOAD_RETRY_AFTER);
	return 503;
}
