/*
 * sess_dialog: the table of confirmed INVITE dialogs (contract in
 * sess_dialog.h). Two indexes, both reg_htab keyed by a string the record
 * holds: token -> chain of records (a forked INVITE may confirm several
 * dialogs on one pass), served IMPU -> chain of (record, slot) nodes. The
 * head of a chain is the table's entry; the others hang behind it.
 */
#include "sess_dialog.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/url.h>

#include "ims/log.h"

/* ---- chained index ---- */

static int chain_add(struct reg_htab *h, struct sess_dlg_node *n)
{
	struct sess_dlg_node *head = reg_htab_find(h, n->key);

	n->prev = n->next = NULL;
	if (!head)
		return reg_htab_insert(h, n->key, n);
	n->prev = head;
	n->next = head->next;
	if (head->next)
		head->next->prev = n;
	head->next = n;
	return 0;
}

static void chain_del(struct reg_htab *h, struct sess_dlg_node *n)
{
	if (n->prev) {
		n->prev->next = n->next;
		if (n->next)
			n->next->prev = n->prev;
	} else {
		reg_htab_remove(h, n->key, n);
		if (n->next) {
			n->next->prev = NULL;
			/* Same count as before the removal: no growth, no
			 * allocation can fail here. */
			if (reg_htab_insert(h, n->next->key, n->next) < 0)
				log_err("dialog index: chain of %s lost", n->next->key);
		}
	}
	n->prev = n->next = NULL;
}

/* ---- table ---- */

int sess_dialogs_init(struct sess_dialogs *t, size_t cap, int64_t max_age)
{
	int rc;

	memset(t, 0, sizeof *t);
	t->cap = cap;
	t->max_age = max_age;
	if (getrandom(&t->seq, sizeof t->seq, 0) != sizeof t->seq)
		return -EIO;
	rc = reg_htab_init(&t->by_token, 1024);
	if (rc == 0)
		rc = reg_htab_init(&t->by_user, 1024);
	if (rc < 0)
		reg_htab_free(&t->by_token);
	return rc;
}

static void dialog_free(struct sess_dialog *d)
{
	int i;

	for (i = 0; i < 2; i++) {
		free(d->tag[i]);
		free(d->uri[i]);
		free(d->target[i]);
		free(d->route[i]);
		free(d->user[i]);
		free(d->ue[i]);
	}
	free(d->call_id);
	free(d);
}

static void dialog_remove(struct sess_dialogs *t, struct sess_dialog *d)
{
	int i;

	chain_del(&t->by_token, &d->by_token);
	for (i = 0; i < 2; i++)
		if (d->by_user[i].key)
			chain_del(&t->by_user, &d->by_user[i]);
	if (d->older)
		d->older->newer = d->newer;
	else
		t->oldest = d->newer;
	if (d->newer)
		d->newer->older = d->older;
	else
		t->newest = d->older;
	t->count--;
	dialog_free(d);
}

void sess_dialogs_free(struct sess_dialogs *t)
{
	while (t->oldest)
		dialog_remove(t, t->oldest);
	reg_htab_free(&t->by_token);
	reg_htab_free(&t->by_user);
}

/* splitmix64: a bijection of a counter seeded from getrandom, so tokens
 * never repeat within a run and cannot be guessed from the outside. */
void sess_dialog_token_new(struct sess_dialogs *t, char out[SESS_DLG_TOKEN_LEN + 1])
{
	uint64_t z = (t->seq += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	z ^= z >> 31;
	snprintf(out, SESS_DLG_TOKEN_LEN + 1, "%016" PRIx64, z);
}

int sess_dialog_contact_key(const url_t *url, char *out, size_t cap)
{
	size_t i, n;
	int len;

	if (!url || !url->url_host)
		return -EINVAL;
	len = snprintf(out, cap, "%s%s%s:%s", url->url_user ? url->url_user : "",
		       url->url_user ? "@" : "", url->url_host,
		       url->url_port ? url->url_port : url->url_type == url_sips ? "5061" : "5060");
	if (len < 0 || (size_t)len >= cap)
		return -ENOSPC;
	i = url->url_user ? strlen(url->url_user) + 1 : 0;
	n = strlen(url->url_host);
	for (; n > 0; n--, i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return 0;
}

/* "<uri>" entries of rr[from..to] (step +1 or -1), or NULL when none. */
static char *route_set(const sip_record_route_t **rr, int from, int to, int step)
{
	char *out = NULL, *u;
	size_t len = 0;
	int i;

	if ((step > 0 && from > to) || (step < 0 && from < to))
		return strdup("");
	for (i = from;; i += step) {
		char *grown;
		size_t ul;

		u = url_as_string(NULL, rr[i]->r_url);
		if (!u)
			goto nomem;
		ul = strlen(u);
		grown = realloc(out, len + ul + 5);
		if (!grown) {
			free(u);
			goto nomem;
		}
		out = grown;
		len += (size_t)sprintf(out + len, "%s<%s>", len ? ", " : "", u);
		free(u);
		if (i == to)
			break;
	}
	return out;
nomem:
	free(out);
	return NULL;
}

static char *uri_text(const url_t *u)
{
	return u ? url_as_string(NULL, (url_t *)u) : NULL;
}

/* The served user of a slot and the key of its UE's contact. */
static int set_user(struct sess_dialogs *t, struct sess_dialog *d, int slot, const char *impu,
		    const url_t *ue)
{
	char key[320];

	if (!impu || !*impu || d->user[slot])
		return 0;
	d->user[slot] = strdup(impu);
	if (!d->user[slot])
		return -ENOMEM;
	if (ue && sess_dialog_contact_key(ue, key, sizeof key) == 0)
		d->ue[slot] = strdup(key);
	d->by_user[slot].key = d->user[slot];
	d->by_user[slot].d = d;
	if (chain_add(&t->by_user, &d->by_user[slot]) < 0) {
		d->by_user[slot].key = NULL;
		return -ENOMEM;
	}
	return 0;
}

#define MAX_RR 64

/* Position of our entry (token) in the 2xx's Record-Route, -1 if none. */
static int our_position(const sip_t *resp, const char *token, const sip_record_route_t **rr,
			int *n)
{
	const sip_record_route_t *r;
	char val[SESS_DLG_TOKEN_LEN + 2];
	int pos = -1;

	*n = 0;
	for (r = resp->sip_record_route; r && *n < MAX_RR; r = r->r_next) {
		isize_t len = r->r_url->url_params
			? url_param(r->r_url->url_params, SESS_DLG_PARAM, val, sizeof val) : 0;

		if (pos < 0 && len == SESS_DLG_TOKEN_LEN + 1 && strcmp(val, token) == 0)
			pos = *n;
		rr[(*n)++] = r;
	}
	return r ? -1 : pos; /* too many entries: not ours to keep */
}

static int fill(struct sess_dialog *d, const sip_t *req, const sip_t *resp,
		const sip_record_route_t **rr, int n, int pos)
{
	const url_t *caller_target = req && req->sip_contact ? req->sip_contact->m_url : NULL;
	const url_t *callee_target = resp->sip_contact ? resp->sip_contact->m_url : NULL;

	d->call_id = strdup(resp->sip_call_id->i_id);
	d->tag[SESS_DLG_CALLER] = strdup(resp->sip_from->a_tag);
	d->tag[SESS_DLG_CALLEE] = strdup(resp->sip_to->a_tag);
	d->uri[SESS_DLG_CALLER] = uri_text(resp->sip_from->a_url);
	d->uri[SESS_DLG_CALLEE] = uri_text(resp->sip_to->a_url);
	d->target[SESS_DLG_CALLER] = uri_text(caller_target);
	d->target[SESS_DLG_CALLEE] = uri_text(callee_target);
	/* Toward the callee: the entries above ours, nearest (just above)
	 * first; toward the caller: those below ours, in order. */
	d->route[SESS_DLG_CALLEE] = route_set(rr, pos - 1, 0, -1);
	d->route[SESS_DLG_CALLER] = route_set(rr, pos + 1, n - 1, +1);
	d->cseq[SESS_DLG_CALLER] = resp->sip_cseq->cs_seq;
	if (!d->call_id || !d->tag[0] || !d->tag[1] || !d->uri[0] || !d->uri[1] ||
	    (caller_target && !d->target[0]) || (callee_target && !d->target[1]) ||
	    !d->route[0] || !d->route[1])
		return -ENOMEM;
	/* An empty route set is NULL from here on. */
	for (int i = 0; i < 2; i++) {
		if (!*d->route[i]) {
			free(d->route[i]);
			d->route[i] = NULL;
		}
	}
	return 0;
}

static struct sess_dialog *find_tags(const struct sess_dialogs *t, const char *token,
				     const char *from_tag, const char *to_tag)
{
	struct sess_dlg_node *n = reg_htab_find(&t->by_token, token);

	for (; n; n = n->next) {
		const struct sess_dialog *d = n->d;

		if (from_tag && to_tag && !strcmp(d->tag[0], from_tag) && !strcmp(d->tag[1], to_tag))
			return n->d;
		if (from_tag && to_tag && !strcmp(d->tag[1], from_tag) && !strcmp(d->tag[0], to_tag))
			return n->d;
	}
	return NULL;
}

int sess_dialog_confirm(struct sess_dialogs *t, const char *token, const sip_t *req,
			const sip_t *resp, const char *orig, const char *term, int64_t now)
{
	const sip_record_route_t *rr[MAX_RR];
	const url_t *caller_ue = req && req->sip_contact ? req->sip_contact->m_url : NULL;
	const url_t *callee_ue = resp->sip_contact ? resp->sip_contact->m_url : NULL;
	struct sess_dialog *d;
	int n, pos, rc;

	if (!resp->sip_call_id || !resp->sip_from || !resp->sip_from->a_tag || !resp->sip_to ||
	    !resp->sip_to->a_tag || !resp->sip_cseq)
		return -EBADMSG;
	d = find_tags(t, token, resp->sip_from->a_tag, resp->sip_to->a_tag);
	if (d) { /* the same 2xx seen by another pass hop, or retransmitted */
		rc = set_user(t, d, SESS_DLG_ORIG, orig, caller_ue);
		if (rc == 0)
			rc = set_user(t, d, SESS_DLG_TERM, term, callee_ue);
		return rc;
	}
	pos = our_position(resp, token, rr, &n);
	if (pos < 0)
		return -ENOENT;
	if (t->count >= t->cap) {
		t->refused++;
		return -ENOSPC;
	}
	d = calloc(1, sizeof *d);
	if (!d)
		return -ENOMEM;
	memcpy(d->token, token, SESS_DLG_TOKEN_LEN + 1);
	d->created = now;
	rc = fill(d, req, resp, rr, n, pos);
	if (rc < 0) {
		dialog_free(d);
		return rc;
	}
	d->by_token.key = d->token;
	d->by_token.d = d;
	if (chain_add(&t->by_token, &d->by_token) < 0) {
		dialog_free(d);
		return -ENOMEM;
	}
	d->older = t->newest;
	if (t->newest)
		t->newest->newer = d;
	else
		t->oldest = d;
	t->newest = d;
	t->count++;
	rc = set_user(t, d, SESS_DLG_ORIG, orig, caller_ue);
	if (rc == 0)
		rc = set_user(t, d, SESS_DLG_TERM, term, callee_ue);
	if (rc < 0)
		dialog_remove(t, d);
	return rc;
}

struct sess_dialog *sess_dialog_request(struct sess_dialogs *t, const char *token,
					const sip_t *req)
{
	const char *ftag = req->sip_from ? req->sip_from->a_tag : NULL;
	const char *ttag = req->sip_to ? req->sip_to->a_tag : NULL;
	struct sess_dialog *d = find_tags(t, token, ftag, ttag);
	sip_method_t m = req->sip_request->rq_method;
	int side;

	if (!d)
		return NULL;
	side = strcmp(d->tag[SESS_DLG_CALLER], ftag) == 0 ? SESS_DLG_CALLER : SESS_DLG_CALLEE;
	if (m == sip_method_bye) {
		dialog_remove(t, d);
		return NULL;
	}
	if (m == sip_method_ack || m == sip_method_cancel || !req->sip_cseq)
		return d;
	if (req->sip_cseq->cs_seq > d->cseq[side])
		d->cseq[side] = req->sip_cseq->cs_seq;
	/* Target refresh (RFC 3261 12.2): a re-INVITE or UPDATE with a
	 * Contact gives its sender's new remote target. */
	if ((m == sip_method_invite || m == sip_method_update) && req->sip_contact) {
		char *u = uri_text(req->sip_contact->m_url);

		if (u) {
			free(d->target[side]);
			d->target[side] = u;
		}
	}
	return d;
}

size_t sess_dialogs_release(struct sess_dialogs *t, const char *impu, const char *ue_key,
			    sess_dialog_fn fn, void *ctx)
{
	struct sess_dlg_node *n;
	size_t count = 0;

	/* Mark first (fn may send requests; nothing comes back into the table
	 * before we return, but a record may hold impu in both slots). */
	for (n = reg_htab_find(&t->by_user, impu); n; n = n->next) {
		struct sess_dialog *d = n->d;
		int slot = &d->by_user[SESS_DLG_ORIG] == n ? SESS_DLG_ORIG : SESS_DLG_TERM;

		if (d->releasing)
			continue;
		if (ue_key && (!d->ue[slot] || strcmp(d->ue[slot], ue_key)))
			continue;
		d->releasing = true;
		if (fn)
			fn(ctx, d, slot);
		count++;
	}
	/* Then remove the marked ones: restart from the head each time (a
	 * removal may re-key the chain). */
	for (;;) {
		for (n = reg_htab_find(&t->by_user, impu); n && !n->d->releasing; n = n->next)
			;
		if (!n)
			break;
		dialog_remove(t, n->d);
	}
	return count;
}

size_t sess_dialogs_expire(struct sess_dialogs *t, int64_t now)
{
	size_t n = 0;

	while (t->oldest && t->oldest->created + t->max_age <= now) {
		dialog_remove(t, t->oldest);
		n++;
	}
	return n;
}
