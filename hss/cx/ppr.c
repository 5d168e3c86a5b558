/*
 * ppr: Push-Profile-Request to the S-CSCF (TS 29.228 6.1.6; TS 29.229
 * 6.1.11) after the service profile of a registered (or unregistered,
 * S-CSCF assigned) IMPU changed: User-Name and the new User-Data of the
 * IMPU's implicit set (the same document an SAR returns, Annex D).
 */
#include "cx/cx.h"
#include "cx/cx_admin.h"
#include "cx/profile_cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"
#include "ims/log.h"

static int ppr_build(struct cx_admin *a, const char *impi, const struct store_impu *pu,
		     struct msg **out)
{
	char host[STORE_IDENTITY_MAX];
	const char *realm = NULL;
	char *xml = NULL;
	size_t len = 0;
	int ret = cx_admin_scscf_host(a->cfg, pu->scscf_name, host, sizeof host, &realm);

	if (ret == 0)
		ret = cx_user_data_build(a->st, impi, pu->identity, &xml, &len);
	if (ret == 0)
		ret = dia_new_request(DIA_APP_CX, CX_CMD_PPR, realm, host, out);
	if (ret == 0)
		ret = dia_add_utf8(*out, DIA_AVP_USER_NAME, impi);
	if (ret == 0)
		ret = dia_add_octets(*out, CX_AVP_USER_DATA, (const uint8_t *)xml, len);
	free(xml);
	return ret;
}

static void ppr_send(struct cx_admin *a, const char *impi, const struct store_impu *pu,
		     struct cx_admin_outcome *out)
{
	struct msg *req = NULL, *ans = NULL;
	char what[STORE_IDENTITY_MAX + 8];
	int ret = ppr_build(a, impi, pu, &req);

	snprintf(what, sizeof what, "PPR to %s", pu->scscf_name);
	if (ret != 0) {
		if (req)
			fd_msg_free(req);
		out->verdict = ret == -ENOTCONN || ret == -EIO ? CX_ADMIN_RETRY : CX_ADMIN_FAILED;
		snprintf(out->detail, sizeof out->detail, "%.180s: cannot build (%s)", what,
			 strerror(-ret));
		return;
	}
	ret = cx_admin_send(a, &req, &ans);
	cx_admin_judge(ans, ret, what, out);
	if (ans)
		fd_msg_free(ans);
}

void cx_ppr_run(struct cx_admin *a, const struct store_queue_item *it,
		struct cx_admin_outcome *out)
{
	struct store_impu pu;
	const char *impi;
	int ret = it->impu[0] ? store_impu_get(a->st, it->impu, &pu) : -ENOENT;

	*out = (struct cx_admin_outcome){ .verdict = CX_ADMIN_DONE };
	/* The operator changed a profile: no cached one may be pushed, nor
	 * sent in a later SAA (profile_cache.h). */
	profile_cache_clear();
	if (ret == -ENOENT) {
		out->verdict = CX_ADMIN_FAILED;
		snprintf(out->detail, sizeof out->detail, "unknown IMPU");
	} else if (ret != 0) {
		out->verdict = CX_ADMIN_RETRY;
		snprintf(out->detail, sizeof out->detail, "database: %s", strerror(-ret));
	} else if (!pu.scscf_name[0]) {
		snprintf(out->detail, sizeof out->detail, "no S-CSCF assigned: nothing to push");
	} else {
		impi = pu.last_impi[0] ? pu.last_impi : it->impi;
		ppr_send(a, impi, &pu, out);
	}
	log_notice("PPR impi=%s impu=%s -> %s", it->impi, it->impu, out->detail);
}
