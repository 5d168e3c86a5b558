/*
 * user_data: the Cx User-Data AVP, an IMSSubscription XML document
 * (TS 29.228 Annex D schema CxDataType.xsd, Annex E example; TS 29.229
 * 6.3.11). Written through libxml2's xmlTextWriter so every identity,
 * regex and URI is escaped.
 */
#include "cx/cx.h"
#include "cx/profile_cache.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#define W(call) do { if ((call) < 0) return -EIO; } while (0)

static int elem_str(xmlTextWriterPtr w, const char *name, const char *val)
{
	return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST val);
}

static int elem_int(xmlTextWriterPtr w, const char *name, long long v)
{
	return xmlTextWriterWriteFormatElement(w, BAD_CAST name, "%lld", v);
}

/* tPublicIdentity: Identity, BarringIndication?, Extension{IdentityType,
 * WildcardedPSI} for PSIs (D.2, Rel-7 extension). */
static int write_public_identity(xmlTextWriterPtr w, const struct store_impu *pu)
{
	W(xmlTextWriterStartElement(w, BAD_CAST "PublicIdentity"));
	if (pu->barred)
		W(elem_int(w, "BarringIndication", 1));
	W(elem_str(w, "Identity", pu->identity));
	if (pu->type != STORE_IMPU_PUBLIC_USER) {
		W(xmlTextWriterStartElement(w, BAD_CAST "Extension"));
		W(elem_int(w, "IdentityType", pu->type));
		if (pu->type == STORE_IMPU_WILDCARD_PSI && pu->wildcard_regex[0])
			W(elem_str(w, "WildcardedPSI", pu->wildcard_regex));
		W(xmlTextWriterEndElement(w));
	}
	return xmlTextWriterEndElement(w) < 0 ? -EIO : 0;
}

/* tSePoTri: ConditionNegated, Group+, one trigger, Extension{RegistrationType*}. */
static int write_spt(xmlTextWriterPtr w, const struct store_spt *s)
{
	static const char *const types[] = { "RequestURI", "Method", "SIPHeader",
					     "SessionCase", "SessionDescription" };
	const char *val = s->value ? s->value : "";

	W(xmlTextWriterStartElement(w, BAD_CAST "SPT"));
	W(elem_int(w, "ConditionNegated", s->negated ? 1 : 0));
	W(elem_int(w, "Group", s->group));
	switch (s->type) {
	case STORE_SPT_REQUEST_URI:
	case STORE_SPT_METHOD:
		W(elem_str(w, types[s->type], val));
		break;
	case STORE_SPT_SESSION_CASE:
		W(elem_int(w, "SessionCase", s->session_case < 0 ? 0 : s->session_case));
		break;
	case STORE_SPT_SIP_HEADER:
	case STORE_SPT_SESSION_DESCRIPTION:
		W(xmlTextWriterStartElement(w, BAD_CAST types[s->type]));
		W(elem_str(w, s->type == STORE_SPT_SIP_HEADER ? "Header" : "Line",
			   s->header ? s->header : ""));
		if (s->value)
			W(elem_str(w, "Content", s->value));
		W(xmlTextWriterEndElement(w));
		break;
	default:
		return -EINVAL;
	}
	if (s->registration_type) {
		W(xmlTextWriterStartElement(w, BAD_CAST "Extension"));
		for (int bit = 0; bit < 3; bit++) {
			if (s->registration_type & (1u << bit))
				W(elem_int(w, "RegistrationType", bit));
		}
		W(xmlTextWriterEndElement(w));
	}
	return xmlTextWriterEndElement(w) < 0 ? -EIO : 0;
}

static int write_ifc(xmlTextWriterPtr w, const struct store_ifc *f)
{
	int ret;

	W(xmlTextWriterStartElement(w, BAD_CAST "InitialFilterCriteria"));
	W(elem_int(w, "Priority", f->priority));
	if (f->n_spts) {
		W(xmlTextWriterStartElement(w, BAD_CAST "TriggerPoint"));
		W(elem_int(w, "ConditionTypeCNF", f->condition_type_cnf ? 1 : 0));
		for (size_t i = 0; i < f->n_spts; i++) {
			if ((ret = write_spt(w, &f->spts[i])) != 0)
				return ret;
		}
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterStartElement(w, BAD_CAST "ApplicationServer"));
	W(elem_str(w, "ServerName", f->as_server_name ? f->as_server_name : ""));
	W(elem_int(w, "DefaultHandling", f->default_handling));
	if (f->service_info)
		W(elem_str(w, "ServiceInfo", f->service_info));
	if (f->include_register_request || f->include_register_response) {
		W(xmlTextWriterStartElement(w, BAD_CAST "Extension"));
		if (f->include_register_request)
			W(xmlTextWriterWriteElement(w, BAD_CAST "IncludeRegisterRequest", NULL));
		if (f->include_register_response)
			W(xmlTextWriterWriteElement(w, BAD_CAST "IncludeRegisterResponse", NULL));
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterEndElement(w));
	if (f->profile_part_indicator >= 0)
		W(elem_int(w, "ProfilePartIndicator", f->profile_part_indicator));
	return xmlTextWriterEndElement(w) < 0 ? -EIO : 0;
}

static const struct store_service_profile *
profile_of(uint64_t id, struct store_service_profile *const *profiles, size_t n_profiles)
{
	for (size_t i = 0; id && i < n_profiles; i++) {
		if (profiles[i] && profiles[i]->id == id)
			return profiles[i];
	}
	return NULL;
}

/* One tServiceProfile: the set's IMPUs using profile id, its iFCs and
 * SharedIFCSetIDs (in the Rel-7 Extension). sp NULL = no iFCs. */
static int write_profile(xmlTextWriterPtr w, uint64_t id, const struct store_service_profile *sp,
			 const struct store_impu *set, size_t n)
{
	int ret;

	W(xmlTextWriterStartElement(w, BAD_CAST "ServiceProfile"));
	for (size_t i = 0; i < n; i++) {
		if (set[i].service_profile_id == id && (ret = write_public_identity(w, &set[i])) != 0)
			return ret;
	}
	for (size_t i = 0; sp && i < sp->n_ifcs; i++) {
		if ((ret = write_ifc(w, &sp->ifcs[i])) != 0)
			return ret;
	}
	if (sp && sp->n_shared_ifc_sets) {
		W(xmlTextWriterStartElement(w, BAD_CAST "Extension"));
		for (size_t i = 0; i < sp->n_shared_ifc_sets; i++)
			W(elem_int(w, "SharedIFCSetID", sp->shared_ifc_sets[i]));
		W(xmlTextWriterEndElement(w));
	}
	return xmlTextWriterEndElement(w) < 0 ? -EIO : 0;
}

static int write_doc(xmlTextWriterPtr w, const char *impi, const struct store_impu *set,
		     size_t n, struct store_service_profile *const *profiles, size_t n_profiles)
{
	int ret;

	W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
	W(xmlTextWriterStartElement(w, BAD_CAST "IMSSubscription"));
	W(elem_str(w, "PrivateID", impi));
	/* One ServiceProfile per distinct profile, in the order of the set. */
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		uint64_t id = set[i].service_profile_id;
		for (size_t j = 0; j < i; j++)
			seen = seen || set[j].service_profile_id == id;
		if (!seen && (ret = write_profile(w, id, profile_of(id, profiles, n_profiles),
						  set, n)) != 0)
			return ret;
	}
	W(xmlTextWriterEndElement(w));
	return xmlTextWriterEndDocument(w) < 0 ? -EIO : 0;
}

int cx_user_data_write(const char *impi, const struct store_impu *set, size_t n,
		       struct store_service_profile *const *profiles, size_t n_profiles,
		       char **xml, size_t *len)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	int ret = -ENOMEM;

	*xml = NULL;
	*len = 0;
	if (!w)
		goto out;
	ret = write_doc(w, impi, set, n, profiles, n_profiles);
	xmlFreeTextWriter(w); /* flushes into buf */
	if (ret != 0)
		goto out;
	*len = (size_t)xmlBufferLength(buf);
	*xml = malloc(*len + 1);
	if (!*xml) {
		ret = -ENOMEM;
		*len = 0;
		goto out;
	}
	memcpy(*xml, xmlBufferContent(buf), *len);
	(*xml)[*len] = '\0';
out:
	if (buf)
		xmlBufferFree(buf);
	return ret;
}

/* <SharedIFCSets> as the S-CSCF reads it (scscf/ifc/ifc_shared.h). */
static int write_sets(xmlTextWriterPtr w, struct store_service_profile *const *sets, size_t n)
{
	int ret;

	W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
	W(xmlTextWriterSetIndent(w, 1));
	W(xmlTextWriterStartElement(w, BAD_CAST "SharedIFCSets"));
	for (size_t i = 0; i < n; i++) {
		W(xmlTextWriterStartElement(w, BAD_CAST "SharedIFCSet"));
		W(elem_int(w, "SharedIFCSetID", (long long)sets[i]->id));
		if (sets[i]->name)
			W(elem_str(w, "Name", sets[i]->name));
		for (size_t j = 0; j < sets[i]->n_ifcs; j++) {
			if ((ret = write_ifc(w, &sets[i]->ifcs[j])) != 0)
				return ret;
		}
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterEndElement(w));
	return xmlTextWriterEndDocument(w) < 0 ? -EIO : 0;
}

int cx_shared_sets_write(struct store_service_profile *const *sets, size_t n,
			 char **xml, size_t *len)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	int ret = -ENOMEM;

	*xml = NULL;
	*len = 0;
	if (!w)
		goto out;
	ret = write_sets(w, sets, n);
	xmlFreeTextWriter(w);
	if (ret != 0)
		goto out;
	*len = (size_t)xmlBufferLength(buf);
	if (!(*xml = malloc(*len + 1))) {
		ret = -ENOMEM;
		*len = 0;
		goto out;
	}
	memcpy(*xml, xmlBufferContent(buf), *len);
	(*xml)[*len] = '\0';
out:
	if (buf)
		xmlBufferFree(buf);
	return ret;
}

static bool expand_shared;

void cx_user_data_expand_shared(bool on)
{
	expand_shared = on;
}

/* Profiles with their shared sets' iFCs inline (cx.expand_shared_ifc_sets):
 * tmp[i] is a shallow copy of profile i whose ifcs array holds its own iFCs
 * and those of its sets (borrowed from sets[], which the caller frees with
 * expansion_free). */
struct expansion {
	struct store_service_profile *tmp;
	struct store_service_profile **sets;
	size_t n_sets;
};

static void expansion_free(struct expansion *e, size_t n_profiles)
{
	for (size_t i = 0; e->tmp && i < n_profiles; i++)
		free(e->tmp[i].ifcs);
	for (size_t i = 0; i < e->n_sets; i++)
		store_service_profile_free(e->sets[i]);
	free(e->tmp);
	free(e->sets);
}

static int by_priority(const void *a, const void *b)
{
	const struct store_ifc *x = a, *y = b;

	return x->priority < y->priority ? -1 : x->priority > y->priority;
}

/* Merge the iFCs of profiles[i]'s sets into e->tmp[i] and point profiles[i] at it. */
static int expand_one(struct store *st, struct store_service_profile **pp, struct expansion *e,
		      struct store_service_profile *tmp)
{
	const struct store_service_profile *sp = *pp;
	size_t first = e->n_sets, n = sp->n_ifcs, k;
	struct store_service_profile **ns;
	int ret;

	ns = realloc(e->sets, (e->n_sets + sp->n_shared_ifc_sets) * sizeof *ns);
	if (!ns)
		return -ENOMEM;
	e->sets = ns;
	for (size_t j = 0; j < sp->n_shared_ifc_sets; j++) {
		ret = store_shared_set_get(st, sp->shared_ifc_sets[j], &e->sets[e->n_sets]);
		if (ret == -ENOENT)
			continue;  /* deleted meanwhile: its links went with it */
		if (ret != 0)
			return ret;
		n += e->sets[e->n_sets++]->n_ifcs;
	}
	*tmp = *sp;
	tmp->shared_ifc_sets = NULL;
	tmp->n_shared_ifc_sets = 0;
	tmp->ifcs = n ? calloc(n, sizeof *tmp->ifcs) : NULL;
	if (n && !tmp->ifcs)
		return -ENOMEM;
	if (sp->n_ifcs)
		memcpy(tmp->ifcs, sp->ifcs, sp->n_ifcs * sizeof *tmp->ifcs);
	k = sp->n_ifcs;
	for (size_t j = first; j < e->n_sets; j++) {
		if (e->sets[j]->n_ifcs)
			memcpy(&tmp->ifcs[k], e->sets[j]->ifcs,
			       e->sets[j]->n_ifcs * sizeof *tmp->ifcs);
		k += e->sets[j]->n_ifcs;
	}
	tmp->n_ifcs = n;
	/* Insertion sort, stable (qsort is not): the profile's own iFCs stay
	 * first among equal priorities, as the S-CSCF merges them. */
	for (size_t a = 1; a < n; a++) {
		struct store_ifc v = tmp->ifcs[a];
		size_t b = a;
		for (; b > 0 && by_priority(&tmp->ifcs[b - 1], &v) > 0; b--)
			tmp->ifcs[b] = tmp->ifcs[b - 1];
		tmp->ifcs[b] = v;
	}
	*pp = tmp;
	return 0;
}

static int expand_profiles(struct store *st, struct store_service_profile **profiles,
			   size_t n_profiles, struct expansion *e)
{
	int ret = 0;

	memset(e, 0, sizeof *e);
	if (!n_profiles)
		return 0;
	if (!(e->tmp = calloc(n_profiles, sizeof *e->tmp)))
		return -ENOMEM;
	for (size_t i = 0; ret == 0 && i < n_profiles; i++) {
		if (profiles[i] && profiles[i]->n_shared_ifc_sets)
			ret = expand_one(st, &profiles[i], e, &e->tmp[i]);
	}
	return ret;
}

int cx_user_data_build_from(struct store *st, const char *impi, const struct store_impu *set,
			    size_t n, char **xml, size_t *len)
{
	struct store_service_profile **profiles = NULL;
	struct profile_ref *refs = NULL;
	size_t n_profiles = 0;
	int ret = -ENOMEM;

	*xml = NULL;
	if (n && (!(profiles = calloc(n, sizeof *profiles)) || !(refs = calloc(n, sizeof *refs))))
		goto out;
	ret = 0;
	for (size_t i = 0; ret == 0 && i < n; i++) {
		uint64_t id = set[i].service_profile_id;
		if (id && !profile_of(id, profiles, n_profiles)) {
			ret = profile_cache_get(st, id, &refs[n_profiles]);
			if (ret == 0)
				profiles[n_profiles] = refs[n_profiles].sp;
			n_profiles++;
		}
	}
	if (ret == 0 && expand_shared) {
		struct expansion e;
		ret = expand_profiles(st, profiles, n_profiles, &e);
		if (ret == 0)
			ret = cx_user_data_write(impi, set, n, profiles, n_profiles, xml, len);
		expansion_free(&e, n_profiles);
	} else if (ret == 0) {
		ret = cx_user_data_write(impi, set, n, profiles, n_profiles, xml, len);
	}
out:
	for (size_t i = 0; refs && i < n_profiles; i++)
		profile_cache_release(&refs[i]);
	free(refs);
	free(profiles);
	return ret;
}

int cx_user_data_build(struct store *st, const char *impi, const char *impu,
		       char **xml, size_t *len)
{
	struct store_impu *set = NULL;
	size_t n = 0;
	int ret = store_implicit_set_get(st, impu, &set, &n);

	*xml = NULL;
	if (ret == 0)
		ret = cx_user_data_build_from(st, impi, set, n, xml, len);
	free(set);
	return ret;
}
