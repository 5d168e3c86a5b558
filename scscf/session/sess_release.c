/*
 * sess_release: S-CSCF-initiated release of a served user's sessions
 * (TS 24.229 5.4.5.1.2) when the user, or one of its contacts, is
 * de-registered (5.4.1.4 user-initiated, 5.4.1.5 network-initiated,
 * expiry): for each recorded dialog (sess_dialog.h) one BYE toward the
 * callee (Request-URI its Contact from the 2xx, From/To as in the dialog,
 * CSeq of the caller's direction + 1, Route toward the callee) and one
 * toward the caller (the mirror), both with a Reason header. The BYEs are
 * client transactions of their own; their answers are only logged. The
 * BYEs go straight to the route set: not through the served user's iFCs
 * (the ASs on the route set still see them, being on the path).
 * Sessions still being set up toward the user (5.4.5.1.1): the INVITE
 * branches to the contacts that went are CANCELled (sess_fork_release);
 * the caller then gets the fork's best answer (480 when no other branch
 * answers). An outgoing call of the de-registered user that is still
 * being set up is left to complete or fail by itself.
 */
#include "sess_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_alloc.h>

#include "ims/log.h"

struct sess_bye {
	struct sipagent_work work;   /* first: linked into the agent while alive */
	nta_outgoing_t *orq;
	char call_id[];
};

static void bye_end(struct sess_bye *b)
{
	sipagent_work_remove(&b->work);
	if (b->orq)
		nta_outgoing_destroy(b->orq);
	free(b);
}

static void bye_abort(struct sipagent_work *w, bool last)
{
	(void)last;
	bye_end((struct sess_bye *)w);
}

static int on_bye_answer(nta_outgoing_magic_t *magic, nta_outgoing_t *orq, const sip_t *sip)
{
	struct sess_bye *b = (struct sess_bye *)magic;
	int status = nta_outgoing_status(orq);

	(void)sip;
	if (status < 200)
		return 0;
	log_info("release: BYE %s answered %d", b->call_id, status);
	bye_end(b);
	return 0;
}

static msg_t *build_bye(struct session *s, const struct sess_dialog *d, int to,
			const char *reason)
{
	int from = !to;
	msg_t *msg = nta_msg_create(sipagent_nta(s->sip), 0);
	su_home_t *home;
	char *rl, *f, *t, *cseq;

	if (!msg)
		return NULL;
	home = msg_home(msg);
	rl = su_sprintf(home, "BYE %s SIP/2.0", d->target[to]);
	f = su_sprintf(home, "<%s>;tag=%s", d->uri[from], d->tag[from]);
	t = su_sprintf(home, "<%s>;tag=%s", d->uri[to], d->tag[to]);
	/* The sender's direction: the caller's CSeq space toward the callee,
	 * the callee's toward the caller (1 when it never sent one). */
	cseq = su_sprintf(home, "%u BYE", (unsigned)(d->cseq[from] + 1));
	if (!rl || !f || !t || !cseq ||
	    sip_add_tl(msg, sip_object(msg), SIPTAG_REQUEST_STR(rl),
		       TAG_IF(d->route[to], SIPTAG_ROUTE_STR(d->route[to])), SIPTAG_FROM_STR(f),
		       SIPTAG_TO_STR(t), SIPTAG_CALL_ID_STR(d->call_id), SIPTAG_CSEQ_STR(cseq),
		       SIPTAG_MAX_FORWARDS_STR("70"), SIPTAG_REASON_STR(reason),
		       TAG_END()) < 0) {
		msg_destroy(msg);
		return NULL;
	}
	return msg;
}

static void send_bye(struct session *s, const struct sess_dialog *d, int to, const char *reason)
{
	size_t idlen = strlen(d->call_id);
	struct sess_bye *b;
	msg_t *msg;
	int err = 0;

	if (!d->target[to]) {
		log_info("release: %s has no target toward the %s", d->call_id,
			 to == SESS_DLG_CALLEE ? "callee" : "caller");
		return;
	}
	b = calloc(1, sizeof *b + idlen + 1);
	msg = b ? build_bye(s, d, to, reason) : NULL;
	if (!msg) {
		free(b);
		log_warn("release: BYE %s not built", d->call_id);
		return;
	}
	memcpy(b->call_id, d->call_id, idlen + 1);
	b->work.abort = bye_abort;
	b->orq = sipagent_outgoing(s->sip, on_bye_answer, (nta_outgoing_magic_t *)b, NULL, msg,
				   &err);
	if (!b->orq) {
		msg_destroy(msg);
		free(b);
		log_warn("release: BYE %s to %s not sent: %s", d->call_id, d->target[to],
			 strerror(-err));
		return;
	}
	sipagent_work_add(s->sip, &b->work);
	log_info("release: BYE %s to the %s %s", d->call_id,
		 to == SESS_DLG_CALLEE ? "callee" : "caller", d->target[to]);
}

/* TS 24.229 5.4.5.1.2: the reason the sessions end, as a SIP status. */
#define RELEASE_REASON "SIP;cause=480;text=\"User de-registered\""

static void release_one(void *ctx, const struct sess_dialog *d, int slot)
{
	struct session *s = ctx;

	log_info("release: dialog %s of %s (%s side)", d->call_id, d->user[slot],
		 slot == SESS_DLG_ORIG ? "calling" : "called");
	send_bye(s, d, SESS_DLG_CALLEE, RELEASE_REASON);
	send_bye(s, d, SESS_DLG_CALLER, RELEASE_REASON);
}

size_t session_release(struct session *s, const char *impu, const char *contact)
{
	char key[320], *ue = NULL;
	url_t *u;
	su_home_t home[1] = { SU_HOME_INIT(home) };
	size_t n, cancelled;

	if (!s || (s->dialogs.count == 0 && !s->forks))
		return 0;
	if (contact) {
		u = url_make(home, contact);
		if (u && sess_dialog_contact_key(u, key, sizeof key) == 0)
			ue = key;
		if (!ue) {
			su_home_deinit(home);
			return 0;
		}
	}
	n = sess_dialogs_release(&s->dialogs, impu, ue, release_one, s);
	cancelled = sess_fork_release(s, impu, ue);
	su_home_deinit(home);
	if (n)
		log_notice("release: %zu session(s) of %s%s%s ended by de-registration", n, impu,
			   contact ? " at " : "", contact ? contact : "");
	if (cancelled)
		log_notice("release: %zu ringing branch(es) to %s%s%s cancelled by de-registration",
			   cancelled, impu, contact ? " at " : "", contact ? contact : "");
	return n;
}

size_t session_count_dialogs(const struct session *s)
{
	return s ? s->dialogs.count : 0;
}
