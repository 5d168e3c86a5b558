/*
 * UAR: User-Authorization-Request, I-CSCF -> HSS (TS 29.228 6.1.1,
 * TS 29.229 6.1.1): User-Name, Public-Identity, Visited-Network-Identifier,
 * User-Authorization-Type.
 */
#include "icscf_cx.h"

#include <errno.h>
#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

int icscf_uar_send(struct icscf *n, const struct icscf_uar *q, icscf_cx_fn cb, void *ctx)
{
	const struct icscf_config *cfg = n->cfg;
	const char *realm = cfg->cx.hss_realm ? cfg->cx.hss_realm : cfg->diameter.realm;
	struct msg *req = NULL;
	int rc;

	rc = dia_new_request(DIA_APP_CX, CX_CMD_UAR, realm, cfg->cx.hss_host, &req);
	if (rc < 0)
		return rc;
	rc = dia_add_utf8(req, DIA_AVP_USER_NAME, q->impi);
	if (rc == 0)
		rc = dia_add_utf8(req, CX_AVP_PUBLIC_IDENTITY, q->impu);
	if (rc == 0)
		rc = dia_add_octets(req, CX_AVP_VISITED_NETWORK_IDENTIFIER,
				    (const uint8_t *)q->visited, strlen(q->visited));
	if (rc == 0)
		rc = dia_add_i32(req, CX_AVP_USER_AUTHORIZATION_TYPE, (int32_t)q->type);
	if (rc < 0) {
		fd_msg_free(req);
		return rc;
	}
	log_info("UAR impi=%s impu=%s visited=%s type=%u", q->impi, q->impu, q->visited,
		 q->type);
	return icscf_cx_send(n, &req, cb, ctx);
}
