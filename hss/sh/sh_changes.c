/*
 * sh_changes: notifications of changes ims-hss did not make itself (TS
 * 29.328 6.1.4). ims-hssctl, on any host, changes the database; the change
 * log (table sh_change, 0004_sh_dsai.sql) records it: triggers for the
 * iFCs of a service profile (InitialFilterCriteria), ims-hssctl for DSAI.
 * The notifier polls it: rows older than a settle time (the statements of
 * one provisioning command arrive together and make one PNR), each taken
 * by deleting it, so with several ims-hss on one database each change is
 * notified once. Within one poll, repeated changes are notified once.
 */
#include "sh/sh_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ims/log.h"

#define SH_CHANGES_SETTLE_MS 500
#define SH_CHANGES_BATCH 64

static bool seen_before(const struct store_sh_change *c, size_t i)
{
	for (size_t k = 0; k < i; k++) {
		if (c[k].dref == c[i].dref && c[k].service_profile_id == c[i].service_profile_id &&
		    c[k].as_id == c[i].as_id && strcmp(c[k].impu, c[i].impu) == 0)
			return true;
	}
	return false;
}

static void notify_one(struct store *st, const struct store_sh_change *c)
{
	struct store_sh_sub *subs = NULL;
	size_t n = 0;
	int ret;

	if (c->dref < 0 || c->dref > 63)
		return;
	if (c->service_profile_id)
		ret = store_sh_sub_find_profile(st, c->service_profile_id, c->dref,
						(uint64_t)time(NULL), &subs, &n);
	else if (c->impu[0])
		ret = store_sh_sub_find(st, c->impu, c->dref, NULL, (uint64_t)time(NULL), &subs, &n);
	else
		return;   /* the IMPU was deleted meanwhile */
	if (ret == 0 && n) {
		log_info("Sh: provisioning change (ref %d, %s) -> %zu subscription(s)", c->dref,
			 c->impu[0] ? c->impu : "a service profile", n);
		sh_notify_subs(st, subs, n, (uint32_t)c->dref, 0, c->as_id, NULL);
	}
	free(subs);
}

void sh_changes_poll(struct store *st)
{
	static bool warned;
	struct store_sh_change *c = NULL;
	size_t n = 0;
	int ret = store_sh_change_pending(st, SH_CHANGES_SETTLE_MS, SH_CHANGES_BATCH, &c, &n);

	if (ret != 0) {
		if (!warned)   /* e.g. 0004_sh_dsai.sql not applied: say it once */
			log_warn("Sh: cannot read the change log: %s", strerror(-ret));
		warned = true;
		return;
	}
	warned = false;
	for (size_t i = 0; i < n; i++) {
		if (store_sh_change_take(st, c[i].id) != 0)
			continue;   /* another ims-hss has it */
		if (!seen_before(c, i))
			notify_one(st, &c[i]);
	}
	free(c);
}
