/*
 * pur: Profile-Update-Request -> Profile-Update-Answer (TS 29.328 6.1.2,
 * TS 29.329 6.1.3). The AS may update RepositoryData and PSIActivation
 * (5103 otherwise). User-Data larger than the configured limit is 5008
 * TOO_MUCH_DATA; a document that is not a valid Sh-Data for the
 * Data-Reference is 5100 USER_DATA_NOT_RECOGNIZED.
 * Transparent data (TS 29.328 7.6.1): creation carries SequenceNumber 0,
 * every update or deletion the stored number + 1 (65535 -> 1); anything
 * else, or a creation over existing data, is 5105 TRANSPARENT_DATA_OUT_OF_
 * SYNC. A RepositoryData without ServiceData deletes the data (deleting
 * data that is not stored is out of sync too: the AS's view is stale).
 * The compare-and-set in the store makes two racing updates end with one
 * 2001 and one 5105. Successful changes are notified to subscribed ASs
 * (other than the updater) by PNR.
 * AliasesRepositoryData (Data-Reference 20) is the repository data of the
 * alias group (IMPUs of one implicit set sharing a service profile): the
 * PUR applies, with the same sequence rules, to the alias that holds the
 * Service-Indication (the addressed IMPU when none does).
 * DSAI (TS 29.328 7.6.9): the AS sets the value of its own DSAI-Tags; a tag
 * not configured for this IMPU and AS is 5108 DSAI_NOT_AVAILABLE and
 * nothing is changed. DSAI carry no sequence number.
 */
#include "sh/sh_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ims/diameter.h"
#include "ims/log.h"

/* A change of (impu, si) is one of AliasesRepositoryData for every alias of
 * impu (itself included). */
static void notify_aliases(struct store *st, const char *impu, const char *si, uint64_t skip,
			   const struct sh_data_repo *gone)
{
	struct store_impu *set = NULL, self;
	size_t n = 0;

	if (store_impu_get(st, impu, &self) != 0 ||
	    store_implicit_set_get(st, impu, &set, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (set[i].service_profile_id == self.service_profile_id)
			sh_notify_change(st, set[i].identity, SH_DREF_ALIASES_REPOSITORY_DATA, si,
					 skip, gone);
	}
	free(set);
}

/* The alias of r->pu holding si, else r->pu itself, into impu. */
static int alias_holder(struct store *st, const struct sh_req *r, const char *si, char *impu)
{
	struct store_impu *set = NULL;
	size_t n = 0;
	int ret = store_implicit_set_get(st, r->pu.identity, &set, &n);

	strcpy(impu, r->pu.identity);
	for (size_t i = 0; ret == 0 && i < n; i++) {
		uint32_t seq;
		char *data = NULL;
		size_t len;
		if (set[i].service_profile_id != r->pu.service_profile_id)
			continue;
		ret = store_sh_repo_get(st, set[i].identity, si, &seq, &data, &len);
		free(data);
		if (ret == 0) {
			strcpy(impu, set[i].identity);
			break;
		}
		if (ret == -ENOENT)
			ret = 0;
	}
	free(set);
	return ret;
}

static struct sh_result pur_repository(struct store *st, const struct sh_req *r,
				       const char *impu, const struct sh_data_in *in)
{
	uint32_t stored = 0;
	char *old = NULL;
	size_t old_len = 0;
	bool exists;
	int ret;

	if (!in->has_repo)
		return SH_EXP(SH_EXP_USER_DATA_NOT_RECOGNIZED);
	ret = store_sh_repo_get(st, impu, in->si, &stored, &old, &old_len);
	free(old);
	if (ret != 0 && ret != -ENOENT)
		return sh_result_of_store(ret, "PUR");
	exists = ret == 0;
	if (!sh_seq_acceptable(exists ? &stored : NULL, in->seq) ||
	    (!in->service_data && !exists))
		return SH_EXP(SH_EXP_TRANSPARENT_DATA_OUT_OF_SYNC);
	if (!in->service_data)
		ret = store_sh_repo_del(st, impu, in->si, stored);
	else
		ret = store_sh_repo_put(st, impu, in->si, exists ? (long)stored : -1,
					in->seq, in->service_data, in->service_len);
	if (ret == -EAGAIN)   /* another AS won the race */
		return SH_EXP(SH_EXP_TRANSPARENT_DATA_OUT_OF_SYNC);
	if (ret == -EINVAL)
		return SH_EXP(SH_EXP_TOO_MUCH_DATA);
	if (ret != 0)
		return sh_result_of_store(ret, "PUR");
	/* TS 29.328 6.1.4: a deletion is notified with ServiceIndication and
	 * SequenceNumber but no ServiceData. */
	struct sh_data_repo gone = { in->si, in->seq, NULL };
	sh_notify_change(st, impu, SH_DREF_REPOSITORY_DATA, in->si, r->as.id,
			 in->service_data ? NULL : &gone);
	notify_aliases(st, impu, in->si, r->as.id, in->service_data ? NULL : &gone);
	return SH_OK;
}

static struct sh_result pur_psi(struct store *st, const struct sh_req *r,
				const struct sh_data_in *in)
{
	int ret;

	if (in->psi_activation < 0)
		return SH_EXP(SH_EXP_USER_DATA_NOT_RECOGNIZED);
	/* TS 29.328 7.6.6: only a distinct PSI has an activation state. */
	if (r->pu.type != STORE_IMPU_DISTINCT_PSI)
		return SH_EXP(SH_EXP_OPERATION_NOT_ALLOWED);
	ret = store_sh_psi_set(st, r->pu.identity, in->psi_activation == 1);
	if (ret != 0)
		return sh_result_of_store(ret, "PUR");
	sh_notify_change(st, r->pu.identity, SH_DREF_PSI_ACTIVATION, NULL, r->as.id, NULL);
	return SH_OK;
}

static struct sh_result pur_dsai(struct store *st, const struct sh_req *r,
				 const struct sh_data_in *in)
{
	struct store_sh_dsai *have = NULL;
	size_t n = 0;
	int ret;

	if (in->n_dsai == 0)
		return SH_EXP(SH_EXP_USER_DATA_NOT_RECOGNIZED);
	ret = store_sh_dsai_list(st, r->pu.identity, r->as.id, &have, &n);
	if (ret != 0)
		return sh_result_of_store(ret, "PUR");
	for (size_t i = 0; i < in->n_dsai; i++) {   /* all known, or nothing changes */
		size_t j = 0;
		while (j < n && strcmp(have[j].tag, in->dsai[i].tag) != 0)
			j++;
		if (j == n) {
			free(have);
			return SH_EXP(SH_EXP_DSAI_NOT_AVAILABLE);
		}
	}
	free(have);
	for (size_t i = 0; ret == 0 && i < in->n_dsai; i++)
		ret = store_sh_dsai_update(st, r->pu.identity, r->as.id, in->dsai[i].tag,
					   in->dsai[i].value);
	if (ret == -ENOENT)   /* removed meanwhile by the operator */
		return SH_EXP(SH_EXP_DSAI_NOT_AVAILABLE);
	if (ret != 0)
		return sh_result_of_store(ret, "PUR");
	sh_notify_change(st, r->pu.identity, SH_DREF_DSAI, NULL, r->as.id, NULL);
	return SH_OK;
}

static struct sh_result pur_apply(struct store *st, struct msg *req, const struct sh_req *r,
				  uint32_t dref, struct sh_data_in *in, uint32_t *failed)
{
	const uint8_t *p;
	size_t n;
	int ret;

	if (dia_find_octets(req, SH_AVP_USER_DATA, &p, &n) != 0) {
		*failed = SH_AVP_USER_DATA;
		return SH_BASE(DIA_MISSING_AVP);
	}
	if (n > sh_settings()->max_data)
		return SH_EXP(SH_EXP_TOO_MUCH_DATA);
	ret = sh_data_read((const char *)p, n, in);
	if (ret != 0)
		return SH_EXP(SH_EXP_USER_DATA_NOT_RECOGNIZED);
	if (dref == SH_DREF_REPOSITORY_DATA)
		return pur_repository(st, r, r->pu.identity, in);
	if (dref == SH_DREF_ALIASES_REPOSITORY_DATA) {
		char impu[STORE_IDENTITY_MAX];
		if (!in->has_repo)
			return SH_EXP(SH_EXP_USER_DATA_NOT_RECOGNIZED);
		ret = alias_holder(st, r, in->si, impu);
		if (ret != 0)
			return sh_result_of_store(ret, "PUR");
		return pur_repository(st, r, impu, in);
	}
	if (dref == SH_DREF_DSAI)
		return pur_dsai(st, r, in);
	return pur_psi(st, r, in);
}

int sh_pur(struct store *st, struct msg *req, struct msg *ans)
{
	struct sh_req r;
	struct sh_data_in in = { .psi_activation = -1 };
	struct sh_result res;
	uint32_t dref = 0, failed = 0;
	int ret;

	if (!sh_req_read(st, req, "PUR", &r, &res)) {
		if (res.code == DIA_MISSING_AVP && !res.exp)
			failed = SH_AVP_USER_IDENTITY;
		goto out;
	}
	ret = dia_find_u32(req, SH_AVP_DATA_REFERENCE, &dref);
	if (ret != 0) {
		res = SH_BASE(ret == -ENOENT ? DIA_MISSING_AVP : DIA_INVALID_AVP_VALUE);
		failed = SH_AVP_DATA_REFERENCE;
	} else {
		res = sh_perm_check(&r.as, SH_OP_PUR, dref);
		if (res.code == 2001 && !res.exp)
			res = pur_apply(st, req, &r, dref, &in, &failed);
	}
	log_info("PUR from %s%s impu=%s ref=%u si=%s seq=%u -> %u%s", r.origin,
		 r.as_known ? "" : " (unknown AS)", r.pu.identity, dref,
		 in.si[0] ? in.si : "-", in.seq, res.code, res.exp ? "(exp)" : "");
out:
	sh_data_in_free(&in);
	return sh_result_set(ans, res, failed);
}
