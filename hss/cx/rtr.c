/*
 * rtr: Registration-Termination-Request to the S-CSCF (TS 29.228 6.1.3;
 * TS 29.229 6.1.9). One queue row deregisters an IMPI's IMPUs (or one
 * IMPU's implicit set): one RTR per S-CSCF holding some of them, listing
 * them in Public-Identity, with Deregistration-Reason {Reason-Code,
 * [Reason-Info]} (6.3.17-19). After an RTA 2001 the sets become
 * NOT_REGISTERED without an S-CSCF name (6.1.3: the HSS de-registers them).
 */
#include "cx/cx.h"
#include "cx/cx_admin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"
#include "ims/log.h"

struct rtr_targets {
	struct store_impu *v;   /* IMPUs with an S-CSCF assigned */
	size_t n;
};

/* Keep the IMPUs an S-CSCF holds: those with a stored name. */
static void targets_filter(struct rtr_targets *t)
{
	size_t k = 0;

	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].scscf_name[0])
			t->v[k++] = t->v[i];
	}
	t->n = k;
}

static int targets_of_impi(struct store *st, const char *impi, struct rtr_targets *t)
{
	struct store_strv sv = { 0 };
	int ret = store_impi_impus(st, impi, &sv);

	if (ret == 0 && sv.n && !(t->v = calloc(sv.n, sizeof *t->v)))
		ret = -ENOMEM;
	for (size_t i = 0; ret == 0 && i < sv.n; i++) {
		ret = store_impu_get(st, sv.v[i], &t->v[t->n]);
		if (ret == 0)
			t->n++;
		else if (ret == -ENOENT)   /* deleted meanwhile */
			ret = 0;
	}
	store_strv_free(&sv);
	return ret;
}

static int targets_get(struct store *st, const struct store_queue_item *it,
		       struct rtr_targets *t)
{
	int ret;

	memset(t, 0, sizeof *t);
	if (it->impu[0]) {
		ret = store_impi_impu_check(st, it->impi, it->impu);
		if (ret == 0)
			ret = store_implicit_set_get(st, it->impu, &t->v, &t->n);
	} else {
		ret = targets_of_impi(st, it->impi, t);
	}
	if (ret == 0)
		targets_filter(t);
	return ret;
}

/* RTR for the targets held by server (TS 29.229 6.1.9 ABNF). */
static int rtr_build(struct cx_admin *a, const struct store_queue_item *it,
		     const struct rtr_targets *t, const char *server, struct msg **out)
{
	char host[STORE_IDENTITY_MAX];
	const char *realm = NULL;
	struct avp *reason = NULL;
	int ret = cx_admin_scscf_host(a->cfg, server, host, sizeof host, &realm);

	if (ret != 0)
		return ret;
	ret = dia_new_request(DIA_APP_CX, CX_CMD_RTR, realm, host, out);
	if (ret == 0)
		ret = dia_add_utf8(*out, DIA_AVP_USER_NAME, it->impi);
	for (size_t i = 0; ret == 0 && i < t->n; i++) {
		if (strcmp(t->v[i].scscf_name, server) == 0)
			ret = dia_add_utf8(*out, CX_AVP_PUBLIC_IDENTITY, t->v[i].identity);
	}
	if (ret == 0)
		ret = dia_add_group(*out, CX_AVP_DEREGISTRATION_REASON, &reason);
	if (ret == 0)
		ret = dia_add_i32(reason, CX_AVP_REASON_CODE, (int32_t)it->reason_code);
	if (ret == 0 && it->reason_info[0])
		ret = dia_add_utf8(reason, CX_AVP_REASON_INFO, it->reason_info);
	return ret;
}

/* After RTA 2001: every implicit set of server's targets is deregistered. */
static int rtr_apply(struct store *st, const struct rtr_targets *t, const char *server)
{
	int ret = 0;

	for (size_t i = 0; ret == 0 && i < t->n; i++) {
		bool seen = false;
		if (strcmp(t->v[i].scscf_name, server) != 0)
			continue;
		for (size_t j = 0; j < i; j++)
			seen = seen || (t->v[j].implicit_set_id == t->v[i].implicit_set_id &&
					strcmp(t->v[j].scscf_name, server) == 0);
		if (!seen)
			ret = store_reg_set(st, t->v[i].identity, NULL, STORE_NOT_REGISTERED, NULL);
	}
	return ret;
}

/* One S-CSCF: send, judge, apply. */
static void rtr_one(struct cx_admin *a, const struct store_queue_item *it,
		    const struct rtr_targets *t, const char *server, struct cx_admin_outcome *out)
{
	struct msg *req = NULL, *ans = NULL;
	char what[STORE_IDENTITY_MAX + 8];
	int ret = rtr_build(a, it, t, server, &req);

	snprintf(what, sizeof what, "RTR to %s", server);
	if (ret != 0) {
		if (req)
			fd_msg_free(req);
		out->verdict = CX_ADMIN_FAILED;
		out->code = 0;
		snprintf(out->detail, sizeof out->detail, "%.180s: cannot build (%s)", what,
			 strerror(-ret));
		return;
	}
	ret = cx_admin_send(a, &req, &ans);
	cx_admin_judge(ans, ret, what, out);
	if (ans)
		fd_msg_free(ans);
	if (out->verdict == CX_ADMIN_DONE && (ret = rtr_apply(a->st, t, server)) != 0) {
		out->verdict = CX_ADMIN_RETRY;
		snprintf(out->detail, sizeof out->detail, "%.180s: answered 2001, database: %s",
			 what, strerror(-ret));
	}
}

void cx_rtr_run(struct cx_admin *a, const struct store_queue_item *it,
		struct cx_admin_outcome *out)
{
	struct rtr_targets t;
	int ret = targets_get(a->st, it, &t);

	*out = (struct cx_admin_outcome){ .verdict = CX_ADMIN_DONE };
	if (ret == -ENOENT || ret == -EACCES) {
		out->verdict = CX_ADMIN_FAILED;
		snprintf(out->detail, sizeof out->detail, "%s", ret == -ENOENT ?
			 "unknown identity" : "IMPU does not belong to the IMPI");
	} else if (ret != 0) {
		out->verdict = CX_ADMIN_RETRY;
		snprintf(out->detail, sizeof out->detail, "database: %s", strerror(-ret));
	} else if (t.n == 0) {
		snprintf(out->detail, sizeof out->detail, "no S-CSCF assigned: nothing to do");
	}
	/* One RTR per S-CSCF; stop at the first that does not succeed (a retry
	 * finds the others still assigned). */
	for (size_t i = 0; ret == 0 && i < t.n && out->verdict == CX_ADMIN_DONE; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen = seen || strcmp(t.v[j].scscf_name, t.v[i].scscf_name) == 0;
		if (!seen)
			rtr_one(a, it, &t, t.v[i].scscf_name, out);
	}
	log_notice("RTR impi=%s impu=%s reason=%u -> %s", it->impi, it->impu[0] ? it->impu : "*",
		   it->reason_code, out->detail);
	free(t.v);
}
