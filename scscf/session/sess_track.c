/*
 * sess_track: where session control feeds the dialog table
 * (sess_dialog.h): 2xx responses to initial INVITEs on their way upstream
 * (every hop of a pass that sees one reports it: the fork, a tracked
 * forward, the AS round trip), and in-dialog requests passing our
 * Record-Route entries.
 */
#include "sess_internal.h"

#include <errno.h>
#include <string.h>

#include <sofia-sip/sip_header.h>

#include "ims/log.h"

static int64_t now_s(void)
{
	return sess_now_ms() / 1000;
}

/* The called user is served as a registered user (an unregistered one's
 * calls go to its ASs and are not its sessions to release). */
static bool terminating(enum ifc_session_case sc)
{
	return sc == IFC_SC_TERMINATING_REGISTERED;
}

void sess_dialog_seen(struct session *s, const struct sess_dlg_note *note,
		      enum ifc_session_case sc, const char *served, const sip_t *req,
		      msg_t *resp)
{
	const sip_t *sip = resp ? sip_object(resp) : NULL;
	int rc;

	if (!note || !note->token[0] || !sip || !sip->sip_status || !sip->sip_cseq ||
	    sip->sip_status->st_status < 200 || sip->sip_status->st_status >= 300 ||
	    sip->sip_cseq->cs_method != sip_method_invite)
		return;
	rc = sess_dialog_confirm(&s->dialogs, note->token, req, sip, note->orig,
				 terminating(sc) ? served : NULL, now_s());
	if (rc == -ENOENT)
		log_debug("2xx %s without our Record-Route: no dialog kept",
			  sip->sip_call_id ? sip->sip_call_id->i_id : "-");
	else if (rc < 0 && rc != -ENOSPC)
		log_info("dialog %s not recorded: %s",
			 sip->sip_call_id ? sip->sip_call_id->i_id : "-", strerror(-rc));
}

void sess_dialog_in_dialog(struct session *s, char tokens[][SESS_DLG_TOKEN_LEN + 1], size_t n,
			   const sip_t *req)
{
	size_t i;

	if (s->dialogs.count == 0)
		return;
	for (i = 0; i < n; i++)
		sess_dialog_request(&s->dialogs, tokens[i], req);
}
