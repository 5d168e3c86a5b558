/*
 * reg_lookup: what session control asks of the registrar (registrar.h):
 * registration state and contacts of an IMPU, its profile, and the SAR
 * UNREGISTERED_USER of a terminating request to an unregistered user
 * (TS 29.228 6.1.2, TS 24.229 5.4.3.3).
 */
#include "reg_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>

#include "ims/log.h"

enum registrar_impu_state registrar_impu_state(const struct registrar *r, const char *impu)
{
	const struct reg_record *rec = impu ? reg_store_find(&r->store, impu) : NULL;
	int i;

	if (!rec || rec->n_contacts == 0)
		return REGISTRAR_NOT_REGISTERED;
	i = reg_profile_find(rec->profile, impu);
	return i >= 0 && rec->profile->ids[i].barred ? REGISTRAR_BARRED : REGISTRAR_REGISTERED;
}

const struct reg_profile *registrar_profile(const struct registrar *r, const char *impu)
{
	const struct reg_record *rec = impu ? reg_store_find(&r->store, impu) : NULL;

	return rec && rec->n_contacts ? rec->profile : NULL;
}

size_t registrar_contacts(const struct registrar *r, const char *impu,
			  struct registrar_contact *out, size_t cap)
{
	const struct reg_record *rec = impu ? reg_store_find(&r->store, impu) : NULL;
	int64_t now = reg_now();
	size_t i, j, n = 0;

	for (i = 0; rec && cap && i < rec->n_contacts; i++) {
		const struct reg_contact *c = &rec->contacts[i];
		struct registrar_contact v = {
			.uri = c->uri, .path = c->path, .received = c->received,
			.instance = c->instance, .reg_id = c->reg_id, .q = c->q,
			.expires_in = c->expires - now };

		if (c->expires <= now)
			continue;
		/* Keep the cap best by q, stable for equal q (few contacts per
		 * set): the position of v, then shift the tail (the last one
		 * falls off when full). */
		for (j = n; j > 0 && out[j - 1].q < v.q; j--)
			;
		if (j >= cap)
			continue;
		if (n < cap)
			n++;
		memmove(&out[j + 1], &out[j], (n - 1 - j) * sizeof *out);
		out[j] = v;
	}
	return n;
}

int registrar_sar_unregistered(struct registrar *r, const char *impu, registrar_profile_cb cb,
			       void *ctx)
{
	if (!r || !impu || !cb)
		return -EINVAL;
	return reg_cx_sar_unregistered(r, impu, cb, ctx);
}

void reg_unreg_answer(struct reg_op *op, struct msg *ans, int err)
{
	struct reg_profile *profile = NULL;
	struct cx_sip_outcome o;
	const char *xml;
	size_t len;
	int rc;

	cx_to_sip(err, ans, &o);
	if (o.status) {
		log_notice("SAR impu=%s UNREGISTERED_USER: %s%u -> %d", op->impu,
			   o.experimental ? "exp " : "", o.code, o.status);
		op->cb(op->cb_ctx, o.status, NULL);
	} else if (cxc_saa_user_data(ans, &xml, &len) < 0 ||
		   (rc = reg_profile_parse(xml, len, &profile)) < 0) {
		log_warn("SAA impu=%s UNREGISTERED_USER: no usable User-Data", op->impu);
		op->cb(op->cb_ctx, 500, NULL);
	} else {
		log_info("SAR impu=%s UNREGISTERED_USER: profile with %zu identities", op->impu,
			 profile->n_ids);
		op->cb(op->cb_ctx, 0, profile);
	}
	reg_profile_free(profile);
	if (ans)
		fd_msg_free(ans);
}
