/*
 * LIR: Location-Info-Request, I-CSCF -> HSS (TS 29.228 6.1.4,
 * TS 29.229 6.1.7): Public-Identity, [Originating-Request].
 */
#include "icscf_cx.h"

#include <errno.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

int icscf_lir_send(struct icscf *n, const struct icscf_lir *q, icscf_cx_fn cb, void *ctx)
{
	const struct icscf_config *cfg = n->cfg;
	const char *realm = cfg->cx.hss_realm ? cfg->cx.hss_realm : cfg->diameter.realm;
	struct msg *req = NULL;
	int rc;

	rc = dia_new_request(DIA_APP_CX, CX_CMD_LIR, realm, cfg->cx.hss_host, &req);
	if (rc < 0)
		return rc;
	rc = dia_add_utf8(req, CX_AVP_PUBLIC_IDENTITY, q->impu);
	if (rc == 0 && q->originating)
		rc = dia_add_i32(req, CX_AVP_ORIGINATING_REQUEST,
				 CX_ORIGINATING_REQUEST_ORIGINATING);
	if (rc < 0) {
		fd_msg_free(req);
		return rc;
	}
	log_info("LIR impu=%s%s", q->impu, q->originating ? " originating" : "");
	return icscf_cx_send(n, &req, cb, ctx);
}
