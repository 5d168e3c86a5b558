/*
 * pnr: Push-Notification-Request to an AS (TS 29.328 6.1.4, TS 29.329
 * 6.1.7): User-Identity {Public-Identity} and the changed data as User-Data.
 * Sent with a deadline; the callback gets the PNA's result or -ETIMEDOUT /
 * -errno, on a freeDiameter thread, exactly once when sh_pnr_send returned 0.
 * Nothing is allocated here: the caller's struct sh_pnr_wait rides along.
 */
#include "sh/sh_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"

static void pnr_answer(void *data, struct msg **ans)
{
	struct sh_pnr_wait *w = data;
	uint32_t code = 0;
	bool exp = false;
	int err = dia_answer_result(*ans, &code, &exp);

	fd_msg_free(*ans);
	*ans = NULL;
	w->cb(w->ctx, err, code, exp);
}

static void pnr_expired(void *data, DiamId_t peer, size_t len, struct msg **req)
{
	struct sh_pnr_wait *w = data;

	(void)peer;
	(void)len;
	fd_msg_free(*req);
	*req = NULL;
	w->cb(w->ctx, -ETIMEDOUT, 0, false);
}

int sh_pnr_send(const char *host, const char *realm, const char *impu, const char *xml,
		size_t len, unsigned int timeout_ms, struct sh_pnr_wait *w)
{
	struct msg *req = NULL;
	struct avp *ui = NULL;
	struct timespec until;
	int ret = dia_new_request(DIA_APP_SH, SH_CMD_PNR, realm, host, &req);
	if (ret == 0)
		ret = dia_add_group(req, SH_AVP_USER_IDENTITY, &ui);
	if (ret == 0)
		ret = dia_add_utf8(ui, CX_AVP_PUBLIC_IDENTITY, impu);
	if (ret == 0)
		ret = dia_add_octets(req, SH_AVP_USER_DATA, (const uint8_t *)xml, len);
	if (ret != 0)
		goto out;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (fd_msg_send_timeout(&req, pnr_answer, w, pnr_expired, &until) != 0) {
		ret = -EIO;
		goto out;
	}
	return 0;
out:
	if (req)
		fd_msg_free(req);
	return ret;
}
