/*
 * sh_data: the Sh-Data document carried in User-Data (TS 29.329 6.3.3),
 * schema ShDataType.xsd of TS 29.328 Annex D. Written with xmlTextWriter
 * (every value escaped); read with libxml2 without network access and
 * without entity expansion (never XML_PARSE_NOENT).
 * Element order of tSh-Data: PublicIdentifiers, RepositoryData*,
 * Sh-IMS-Data, Extension{AliasesRepositoryData*}; of tShIMSData:
 * S-CSCFName, IFCs, IMSUserState, ChargingInformation,
 * Extension{PSIActivation, Extension{DSAI*{DSAI-Tag, DSAI-Value}}}.
 */
#include "sh/sh_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#define W(call) do { if ((call) < 0) return -EIO; } while (0)

static int elem(xmlTextWriterPtr w, const char *name, const char *val)
{
	return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST val);
}

static int elem_int(xmlTextWriterPtr w, const char *name, long long v)
{
	return xmlTextWriterWriteFormatElement(w, BAD_CAST name, "%lld", v);
}

/* tInitialFilterCriteria as in TS 29.228 Annex B (TS 29.328 7.6.4). */
static int write_spt(xmlTextWriterPtr w, const struct store_spt *s)
{
	static const char *const names[] = { "RequestURI", "Method", "SIPHeader",
					     "SessionCase", "SessionDescription" };
	const char *val = s->value ? s->value : "";

	if ((unsigned int)s->type > STORE_SPT_SESSION_DESCRIPTION)
		return -EINVAL;
	W(xmlTextWriterStartElement(w, BAD_CAST "SPT"));
	W(elem_int(w, "ConditionNegated", s->negated));
	W(elem_int(w, "Group", s->group));
	if (s->type == STORE_SPT_REQUEST_URI || s->type == STORE_SPT_METHOD) {
		W(elem(w, names[s->type], val));
	} else if (s->type == STORE_SPT_SESSION_CASE) {
		W(elem_int(w, "SessionCase", s->session_case < 0 ? 0 : s->session_case));
	} else {
		W(xmlTextWriterStartElement(w, BAD_CAST names[s->type]));
		W(elem(w, s->type == STORE_SPT_SIP_HEADER ? "Header" : "Line",
		       s->header ? s->header : ""));
		if (s->value)
			W(elem(w, "Content", s->value));
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
		W(elem_int(w, "ConditionTypeCNF", f->condition_type_cnf));
		for (size_t i = 0; i < f->n_spts; i++) {
			if ((ret = write_spt(w, &f->spts[i])) != 0)
				return ret;
		}
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterStartElement(w, BAD_CAST "ApplicationServer"));
	W(elem(w, "ServerName", f->as_server_name ? f->as_server_name : ""));
	W(elem_int(w, "DefaultHandling", f->default_handling));
	if (f->service_info)
		W(elem(w, "ServiceInfo", f->service_info));
	W(xmlTextWriterEndElement(w));
	if (f->profile_part_indicator >= 0)
		W(elem_int(w, "ProfilePartIndicator", f->profile_part_indicator));
	return xmlTextWriterEndElement(w) < 0 ? -EIO : 0;
}

static int write_charging(xmlTextWriterPtr w, const struct store_sh_charging *c)
{
	static const char *const names[] = {
		"PrimaryEventChargingFunctionName", "SecondaryEventChargingFunctionName",
		"PrimaryChargingCollectionFunctionName", "SecondaryChargingCollectionFunctionName",
	};
	const char *vals[] = { c->pri_ecf, c->sec_ecf, c->pri_ccf, c->sec_ccf };

	W(xmlTextWriterStartElement(w, BAD_CAST "ChargingInformation"));
	for (size_t i = 0; i < 4; i++) {
		if (vals[i][0])
			W(elem(w, names[i], vals[i]));
	}
	return xmlTextWriterEndElement(w) < 0 ? -EIO : 0;
}

static int write_ims_data(xmlTextWriterPtr w, const struct sh_data *d)
{
	int ret;

	W(xmlTextWriterStartElement(w, BAD_CAST "Sh-IMS-Data"));
	if (d->scscf_name)
		W(elem(w, "S-CSCFName", d->scscf_name));
	if (d->has_ifcs) {
		W(xmlTextWriterStartElement(w, BAD_CAST "IFCs"));
		for (size_t i = 0; i < d->n_ifcs; i++) {
			if ((ret = write_ifc(w, d->ifcs[i])) != 0)
				return ret;
		}
		W(xmlTextWriterEndElement(w));
	}
	if (d->ims_user_state >= 0)
		W(elem_int(w, "IMSUserState", d->ims_user_state));
	if (d->charging && (ret = write_charging(w, d->charging)) != 0)
		return ret;
	if (d->psi_activation >= 0 || d->n_dsai) {
		W(xmlTextWriterStartElement(w, BAD_CAST "Extension"));
		if (d->psi_activation >= 0)
			W(elem_int(w, "PSIActivation", d->psi_activation));
		if (d->n_dsai) {   /* tSh-IMS-Data-Extension2 */
			W(xmlTextWriterStartElement(w, BAD_CAST "Extension"));
			for (size_t i = 0; i < d->n_dsai; i++) {
				W(xmlTextWriterStartElement(w, BAD_CAST "DSAI"));
				W(elem(w, "DSAI-Tag", d->dsai[i].tag));
				W(elem_int(w, "DSAI-Value", d->dsai[i].value));
				W(xmlTextWriterEndElement(w));
			}
			W(xmlTextWriterEndElement(w));
		}
		W(xmlTextWriterEndElement(w));
	}
	return xmlTextWriterEndElement(w) < 0 ? -EIO : 0;
}

/* tTransparentData: RepositoryData and AliasesRepositoryData. */
static int write_repo(xmlTextWriterPtr w, const char *name, const struct sh_data_repo *r)
{
	W(xmlTextWriterStartElement(w, BAD_CAST name));
	W(elem(w, "ServiceIndication", r->si));
	W(elem_int(w, "SequenceNumber", r->seq));
	if (r->service_data) {
		/* Stored content was parsed and re-serialised by libxml2
		 * (sh_data_read), so it is well-formed XML. */
		W(xmlTextWriterStartElement(w, BAD_CAST "ServiceData"));
		W(xmlTextWriterWriteRaw(w, BAD_CAST r->service_data));
		W(xmlTextWriterEndElement(w));
	}
	return xmlTextWriterEndElement(w) < 0 ? -EIO : 0;
}

static int write_doc(xmlTextWriterPtr w, const struct sh_data *d)
{
	int ret;

	W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
	W(xmlTextWriterStartElement(w, BAD_CAST "Sh-Data"));
	if (d->n_impus || d->n_msisdns) {
		W(xmlTextWriterStartElement(w, BAD_CAST "PublicIdentifiers"));
		for (size_t i = 0; i < d->n_impus; i++)
			W(elem(w, "IMSPublicIdentity", d->impus[i]));
		for (size_t i = 0; i < d->n_msisdns; i++)
			W(elem(w, "MSISDN", d->msisdns[i]));
		W(xmlTextWriterEndElement(w));
	}
	for (size_t i = 0; i < d->n_repo; i++) {
		if ((ret = write_repo(w, "RepositoryData", &d->repo[i])) != 0)
			return ret;
	}
	if (d->scscf_name || d->has_ifcs || d->ims_user_state >= 0 || d->charging ||
	    d->psi_activation >= 0 || d->n_dsai) {
		if ((ret = write_ims_data(w, d)) != 0)
			return ret;
	}
	if (d->n_alias_repo) {   /* tSh-Data-Extension */
		W(xmlTextWriterStartElement(w, BAD_CAST "Extension"));
		for (size_t i = 0; i < d->n_alias_repo; i++) {
			if ((ret = write_repo(w, "AliasesRepositoryData", &d->alias_repo[i])) != 0)
				return ret;
		}
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterEndElement(w));
	return xmlTextWriterEndDocument(w) < 0 ? -EIO : 0;
}

int sh_data_write(const struct sh_data *d, char **xml, size_t *len)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	int ret = -ENOMEM;

	*xml = NULL;
	*len = 0;
	if (!w)
		goto out;
	ret = write_doc(w, d);
	xmlFreeTextWriter(w); /* flushes into buf */
	if (ret != 0)
		goto out;
	*len = (size_t)xmlBufferLength(buf);
	*xml = malloc(*len + 1);
	if (!*xml) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(*xml, xmlBufferContent(buf), *len);
	(*xml)[*len] = '\0';
out:
	if (buf)
		xmlBufferFree(buf);
	return ret;
}

/* ---- reader ---- */

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0)
			return n;
	}
	return NULL;
}

/* Text of an element, trimmed, into buf. -EINVAL empty or too long. */
static int text_of(xmlNodePtr n, char *buf, size_t len)
{
	xmlChar *t = xmlNodeGetContent(n);
	const char *s = (const char *)t;
	size_t l;
	int ret = -EINVAL;

	if (!t)
		return -EINVAL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	l = strlen(s);
	while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\r' || s[l - 1] == '\n'))
		l--;
	if (l > 0 && l < len) {
		memcpy(buf, s, l);
		buf[l] = '\0';
		ret = 0;
	}
	xmlFree(t);
	return ret;
}

static int uint_of(xmlNodePtr n, unsigned long max, unsigned long *v)
{
	char buf[16], *end;

	if (text_of(n, buf, sizeof buf) != 0 || buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(buf, &end, 10);
	return (*end || errno || *v > max) ? -EINVAL : 0;
}

/* The children of ServiceData serialised back to text (the stored form). */
static int service_data_of(xmlDocPtr doc, xmlNodePtr sd, char **out, size_t *len)
{
	xmlBufferPtr buf = xmlBufferCreate();
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (xmlNodePtr n = sd->children; n; n = n->next) {
		if (xmlNodeDump(buf, doc, n, 0, 0) < 0) {
			ret = -EINVAL;
			goto out;
		}
	}
	*len = (size_t)xmlBufferLength(buf);
	*out = malloc(*len + 1);
	if (!*out) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(*out, xmlBufferContent(buf), *len);
	(*out)[*len] = '\0';
out:
	xmlBufferFree(buf);
	return ret;
}

static int read_repo(xmlDocPtr doc, xmlNodePtr rd, struct sh_data_in *out)
{
	xmlNodePtr si = child(rd, "ServiceIndication"), seq = child(rd, "SequenceNumber");
	xmlNodePtr sd = child(rd, "ServiceData");
	unsigned long v;

	if (!si || !seq || text_of(si, out->si, sizeof out->si) != 0 ||
	    uint_of(seq, 65535, &v) != 0)
		return -EINVAL;
	out->seq = (uint32_t)v;
	out->has_repo = true;
	/* TS 29.328 7.6.1: a RepositoryData without ServiceData deletes it. */
	if (!sd || !sd->children)
		return 0;
	return service_data_of(doc, sd, &out->service_data, &out->service_len);
}

/* Sh-IMS-Data/Extension/Extension/DSAI* (a PUR of DSAI). */
static int read_dsai(xmlNodePtr ext2, struct sh_data_in *out)
{
	for (xmlNodePtr n = ext2 ? ext2->children : NULL; n; n = n->next) {
		unsigned long v;
		if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, BAD_CAST "DSAI") != 0)
			continue;
		if (out->n_dsai == SH_MAX_TEXTS)
			return -EINVAL;
		struct sh_data_dsai *d = &out->dsai[out->n_dsai];
		if (text_of(child(n, "DSAI-Tag"), d->tag, sizeof d->tag) != 0 ||
		    uint_of(child(n, "DSAI-Value"), 1, &v) != 0)
			return -EINVAL;
		d->value = (int)v;
		out->n_dsai++;
	}
	return 0;
}

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int sh_data_read(const char *xml, size_t len, struct sh_data_in *out)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root, n;
	int ret = -EBADMSG;

	memset(out, 0, sizeof(*out));
	out->psi_activation = -1;
	if (len > (size_t)INT32_MAX)
		return -EINVAL;
	xmlSetGenericErrorFunc(NULL, silent);
	doc = xmlReadMemory(xml, (int)len, "sh-data.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (!root || xmlStrcmp(root->name, BAD_CAST "Sh-Data") != 0)
		goto out;
	ret = 0;
	if ((n = child(root, "RepositoryData"))) {
		ret = read_repo(doc, n, out);
	} else if ((n = child(child(root, "Extension"), "AliasesRepositoryData"))) {
		ret = read_repo(doc, n, out);
		out->repo_alias = true;
	}
	if (ret == 0)
		ret = read_dsai(child(child(child(root, "Sh-IMS-Data"), "Extension"), "Extension"),
				out);
	n = child(child(child(root, "Sh-IMS-Data"), "Extension"), "PSIActivation");
	if (ret == 0 && n) {
		unsigned long v = 0;
		ret = uint_of(n, 1, &v);
		out->psi_activation = (int)v;
	}
out:
	if (doc)
		xmlFreeDoc(doc);
	if (ret != 0)
		sh_data_in_free(out);
	return ret;
}

void sh_data_in_free(struct sh_data_in *in)
{
	free(in->service_data);
	in->service_data = NULL;
	in->service_len = 0;
}

uint32_t sh_seq_next(uint32_t stored)
{
	return stored >= 65535 ? 1 : stored + 1;
}

bool sh_seq_acceptable(const uint32_t *stored, uint32_t seq)
{
	if (!stored)
		return seq == 0;
	return seq == sh_seq_next(*stored);
}
