/*
 * sh_build: the User-Data answered for one Data-Reference (TS 29.328 7.6),
 * assembled from the store and written by sh_data.c. Used by UDR, by SNR
 * with Send-Data-Indication and by the notifier for PNRs.
 */
#include "sh/sh_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ims/diameter.h"
#include "ims/log.h"

struct idlist {
	char **v;
	size_t n;
};

static void idlist_free(struct idlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int idlist_add(struct idlist *l, const char *id)
{
	char **nv;

	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], id) == 0)
			return 0;
	}
	nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	l->v = nv;
	if (!(l->v[l->n] = strdup(id)))
		return -ENOMEM;
	l->n++;
	return 0;
}

/* Every IMPU of every IMPI sharing pu (TS 29.328 7.6.2 ALL_IDENTITIES),
 * registered ones only when registered_only. */
static int all_identities(struct store *st, const struct store_impu *pu,
			  bool registered_only, struct idlist *out)
{
	struct store_strv impis = { 0 };
	int ret = store_impu_impis(st, pu->identity, &impis);

	for (size_t i = 0; ret == 0 && i < impis.n; i++) {
		struct store_strv impus = { 0 };
		ret = store_impi_impus(st, impis.v[i], &impus);
		for (size_t j = 0; ret == 0 && j < impus.n; j++) {
			struct store_impu u;
			if (registered_only) {
				ret = store_impu_get(st, impus.v[j], &u);
				if (ret != 0 || u.reg_state != STORE_REGISTERED)
					continue;
			}
			ret = idlist_add(out, impus.v[j]);
		}
		store_strv_free(&impus);
	}
	store_strv_free(&impis);
	/* A PSI has no IMPI: it is its own only identity. */
	if (ret == -ENOENT || (ret == 0 && out->n == 0 && !registered_only))
		ret = idlist_add(out, pu->identity);
	return ret;
}

/* The implicit set of pu; with alias_only, the members sharing pu's service
 * profile (TS 23.228 4.3.3.5 alias identities). */
static int implicit_identities(struct store *st, const struct store_impu *pu,
			       bool alias_only, struct idlist *out)
{
	struct store_impu *set = NULL;
	size_t n = 0;
	int ret = store_implicit_set_get(st, pu->identity, &set, &n);

	for (size_t i = 0; ret == 0 && i < n; i++) {
		if (!alias_only || set[i].service_profile_id == pu->service_profile_id)
			ret = idlist_add(out, set[i].identity);
	}
	free(set);
	return ret;
}

static int public_identities(struct store *st, const struct sh_query *q, struct idlist *out)
{
	unsigned int sets = q->identity_sets ? q->identity_sets : 1u << SH_ALL_IDENTITIES;
	int ret = 0;

	if (sets & (1u << SH_ALL_IDENTITIES))
		ret = all_identities(st, q->pu, false, out);
	if (ret == 0 && (sets & (1u << SH_REGISTERED_IDENTITIES)))
		ret = all_identities(st, q->pu, true, out);
	if (ret == 0 && (sets & (1u << SH_IMPLICIT_IDENTITIES)))
		ret = implicit_identities(st, q->pu, false, out);
	if (ret == 0 && (sets & (1u << SH_ALIAS_IDENTITIES)))
		ret = implicit_identities(st, q->pu, true, out);
	return ret;
}

/* MSISDNs: the digits of the user's tel URIs (TS 29.328 7.6.8). */
static int msisdns(struct store *st, const struct store_impu *pu, struct idlist *out)
{
	struct idlist all = { 0 };
	int ret = all_identities(st, pu, false, &all);

	for (size_t i = 0; ret == 0 && i < all.n; i++) {
		const char *s = all.v[i];
		char digits[STORE_IDENTITY_MAX];
		size_t k = 0;

		if (strncmp(s, "tel:+", 5) != 0)
			continue;
		for (s += 5; *s && *s != ';' && k + 1 < sizeof digits; s++) {
			if (*s >= '0' && *s <= '9')
				digits[k++] = *s;
		}
		digits[k] = '\0';
		if (k)
			ret = idlist_add(out, digits);
	}
	idlist_free(&all);
	return ret;
}

struct build {
	struct sh_data d;
	struct idlist ids, nums;
	struct sh_data_repo repo[SH_MAX_TEXTS], alias_repo[SH_MAX_TEXTS];
	char *repo_data[SH_MAX_TEXTS], *alias_data[SH_MAX_TEXTS];
	struct store_sh_dsai *dsai;
	struct store_service_profile *sp;
	const struct store_ifc **ifcs;
	struct store_sh_charging charging;
};

static int build_ifcs(struct store *st, const struct sh_query *q, struct build *b)
{
	int ret = 0;

	b->d.has_ifcs = true;
	if (!q->pu->service_profile_id)
		return 0;
	ret = store_service_profile_get(st, q->pu->service_profile_id, &b->sp);
	if (ret != 0)
		return ret;
	b->ifcs = calloc(b->sp->n_ifcs ? b->sp->n_ifcs : 1, sizeof(*b->ifcs));
	if (!b->ifcs)
		return -ENOMEM;
	/* TS 29.328 7.6.4: only the iFCs of the AS named by Server-Name. */
	for (size_t i = 0; i < b->sp->n_ifcs; i++) {
		const struct store_ifc *f = &b->sp->ifcs[i];
		if (f->as_server_name && q->server_name && strcmp(f->as_server_name, q->server_name) == 0)
			b->ifcs[b->d.n_ifcs++] = f;
	}
	b->d.ifcs = b->ifcs;
	return 0;
}

/* RepositoryData of every requested Service-Indication that is stored
 * (TS 29.328 7.6.1); a deletion being notified is reported without data. */
static int build_repo(struct store *st, const struct sh_query *q, struct build *b)
{
	for (size_t i = 0; i < q->n_sis && i < SH_MAX_TEXTS; i++) {
		struct sh_data_repo *r = &b->repo[b->d.n_repo];
		size_t len;
		int ret = store_sh_repo_get(st, q->pu->identity, q->sis[i], &r->seq,
					    &b->repo_data[b->d.n_repo], &len);
		if (ret == -ENOENT && q->gone && strcmp(q->gone->si, q->sis[i]) == 0) {
			*r = *q->gone;
			b->d.n_repo++;
			continue;
		}
		if (ret == -ENOENT)   /* nothing stored: not in the Sh-Data */
			continue;
		if (ret != 0)
			return ret;
		r->si = q->sis[i];
		r->service_data = b->repo_data[b->d.n_repo];
		b->d.n_repo++;
	}
	b->d.repo = b->repo;
	return 0;
}

/* AliasesRepositoryData (TS 29.328 7.6.x, Data-Reference 20): the
 * repository data of the alias group, i.e. of any IMPU of pu's implicit
 * set sharing its service profile (TS 23.228 4.3.3.5); pu's own first,
 * then the first alias that has the Service-Indication. */
static int build_alias_repo(struct store *st, const struct sh_query *q, struct build *b)
{
	struct idlist aliases = { 0 };
	int ret = idlist_add(&aliases, q->pu->identity);

	if (ret == 0)
		ret = implicit_identities(st, q->pu, true, &aliases);
	for (size_t i = 0; ret == 0 && i < q->n_sis && i < SH_MAX_TEXTS; i++) {
		for (size_t j = 0; j < aliases.n; j++) {
			struct sh_data_repo *r = &b->alias_repo[b->d.n_alias_repo];
			size_t len;
			ret = store_sh_repo_get(st, aliases.v[j], q->sis[i], &r->seq,
						&b->alias_data[b->d.n_alias_repo], &len);
			if (ret == -ENOENT) {
				ret = 0;
				continue;
			}
			if (ret == 0) {
				r->si = q->sis[i];
				r->service_data = b->alias_data[b->d.n_alias_repo];
				b->d.n_alias_repo++;
			}
			break;
		}
	}
	b->d.alias_repo = b->alias_repo;
	idlist_free(&aliases);
	return ret;
}

/* DSAI (TS 29.328 7.6.9): the requested tags of the AS, every tag when none
 * was named. 2 (5108 DSAI_NOT_AVAILABLE) when a tag is not configured for
 * this IMPU and AS, or the AS has none. */
static int build_dsai(struct store *st, const struct sh_query *q, struct build *b)
{
	size_t n = 0, keep = 0;
	int ret = store_sh_dsai_list(st, q->pu->identity, q->as_id, &b->dsai, &n);

	if (ret != 0)
		return ret;
	if (n == 0)
		return 2;
	if (q->n_dsai_tags == 0) {
		keep = n;
	} else {
		for (size_t i = 0; i < q->n_dsai_tags; i++) {
			size_t j = 0;
			while (j < n && strcmp(b->dsai[j].tag, q->dsai_tags[i]) != 0)
				j++;
			if (j == n)
				return 2;
		}
		for (size_t j = 0; j < n; j++) {   /* keep the requested, in order */
			for (size_t i = 0; i < q->n_dsai_tags; i++) {
				if (strcmp(b->dsai[j].tag, q->dsai_tags[i]) == 0) {
					b->dsai[keep++] = b->dsai[j];
					break;
				}
			}
		}
	}
	b->d.dsai = b->dsai;
	b->d.n_dsai = keep;
	return 0;
}

/* Fill b->d for one Data-Reference; 1 = data not available (4100),
 * 2 = DSAI, 0 or -errno. */
static int collect(struct store *st, const struct sh_query *q, uint32_t dref, struct build *b)
{
	bool active;
	int ret = 0;

	switch (dref) {
	case SH_DREF_REPOSITORY_DATA:
		return build_repo(st, q, b);
	case SH_DREF_ALIASES_REPOSITORY_DATA:
		return build_alias_repo(st, q, b);
	case SH_DREF_IMS_PUBLIC_IDENTITY:
		ret = public_identities(st, q, &b->ids);
		b->d.impus = (const char *const *)b->ids.v;
		b->d.n_impus = b->ids.n;
		return ret;
	case SH_DREF_IMS_USER_STATE:
		/* tIMSUserState: 0 NOT_REGISTERED, 1 REGISTERED, 2
		 * REGISTERED_UNREG_SERVICES (Cx UNREGISTERED), 3 AUTH_PENDING. */
		b->d.ims_user_state = (int)q->pu->reg_state;
		return 0;
	case SH_DREF_SCSCF_NAME:
		if (q->pu->scscf_name[0])
			b->d.scscf_name = q->pu->scscf_name;
		return 0;
	case SH_DREF_INITIAL_FILTER_CRITERIA:
		return build_ifcs(st, q, b);
	case SH_DREF_CHARGING_INFORMATION:
		ret = store_sh_charging_get(st, q->pu->identity, &b->charging);
		if (ret == 0)
			b->d.charging = &b->charging;
		return ret == -ENOENT ? 0 : ret;
	case SH_DREF_MSISDN:
		ret = msisdns(st, q->pu, &b->nums);
		b->d.msisdns = (const char *const *)b->nums.v;
		b->d.n_msisdns = b->nums.n;
		return ret;
	case SH_DREF_PSI_ACTIVATION:
		ret = store_sh_psi_get(st, q->pu->identity, &active);
		b->d.psi_activation = active ? 1 : 0;
		return ret;
	case SH_DREF_DSAI:
		return build_dsai(st, q, b);
	default:  /* CS/PS domain data: no MSC/SGSN/MME behind this HSS */
		return 1;
	}
}

/* The document for q into b (zeroed but for the "absent" markers). */
static struct sh_result build_doc(struct store *st, const struct sh_query *q, struct build *b,
				  char **xml, size_t *len)
{
	struct sh_result res = SH_OK;
	int ret = 0;

	for (uint32_t i = 0; ret == 0 && i < 64; i++) {
		if (q->drefs & (UINT64_C(1) << i))
			ret = collect(st, q, i, b);
	}
	if (ret == 1)
		return SH_EXP(SH_EXP_USER_DATA_NOT_AVAILABLE);
	if (ret == 2)
		return SH_EXP(SH_EXP_DSAI_NOT_AVAILABLE);
	if (ret == 0)
		ret = sh_data_write(&b->d, xml, len);
	if (ret != 0) {
		log_err("Sh: cannot build User-Data for %s: %s", q->pu->identity,
			strerror(-ret));
		res = SH_BASE(DIA_UNABLE_TO_COMPLY);
	}
	return res;
}

struct sh_result sh_build(struct store *st, const struct sh_query *q, char **xml, size_t *len)
{
	struct build *b = calloc(1, sizeof(*b));   /* ~10 KB: off the stack */
	struct sh_result res;

	*xml = NULL;
	*len = 0;
	if (!b)
		return SH_BASE(DIA_UNABLE_TO_COMPLY);
	b->d.ims_user_state = -1;
	b->d.psi_activation = -1;
	res = build_doc(st, q, b, xml, len);
	idlist_free(&b->ids);
	idlist_free(&b->nums);
	for (size_t i = 0; i < SH_MAX_TEXTS; i++) {
		free(b->repo_data[i]);
		free(b->alias_data[i]);
	}
	free(b->dsai);
	free(b->ifcs);
	store_service_profile_free(b->sp);
	free(b);
	return res;
}
