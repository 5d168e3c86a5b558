/*
 * ifc_parse: an IMSSubscription / ServiceProfile / InitialFilterCriteria
 * document (TS 29.228 Annex D CxDataType.xsd, Annex E) into a struct
 * ifc_profile. Document-level work only: the hostile-input guards, picking
 * the ServiceProfile, SharedIFCSetIDs, sorting by Priority. Each iFC is
 * compiled by ifc_compile.c.
 */
#include "ifc_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "ims/log.h"

#define WRAP_OPEN "<ifcs>"
#define WRAP_CLOSE "</ifcs>"

static bool contains(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++) {
		if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
			return true;
	}
	return false;
}

/* The registrar keeps a profile's iFCs as concatenated elements (several
 * roots): recognise "<InitialFilterCriteria" or "<prefix:InitialFilterCriteria". */
static bool is_fragment(const char *s, size_t len)
{
	static const char tag[] = "InitialFilterCriteria";
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	if (i == len || s[i++] != '<')
		return false;
	for (size_t j = i; j < len && j < i + 32; j++) {
		if (s[j] == ':') {
			i = j + 1;
			break;
		}
		if (s[j] == ' ' || s[j] == '>' || s[j] == '/')
			break;
	}
	return len - i >= sizeof tag - 1 && memcmp(s + i, tag, sizeof tag - 1) == 0;
}

/* XML_PARSE_NONET, never NOENT; errors go to the context, not stderr. */
static int read_doc(const char *xml, size_t len, xmlDoc **doc)
{
	xmlParserCtxt *ctxt = xmlNewParserCtxt();
	const xmlError *e;

	if (!ctxt)
		return -ENOMEM;
	*doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "ifc.xml", NULL,
				 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!*doc) {
		e = xmlCtxtGetLastError(ctxt);
		log_warn("iFC: XML not well-formed: line %d: %s", e ? e->line : 0,
			 e && e->message ? e->message : "?");
	}
	xmlFreeParserCtxt(ctxt);
	if (!*doc)
		return -EBADMSG;
	if ((*doc)->intSubset || (*doc)->extSubset) {
		log_warn("iFC: document carries a DTD: refused");
		return -EBADMSG;
	}
	return 0;
}

/* Where the iFCs are: a ServiceProfile, the wrapper, or a single iFC. */
static int pick_container(const xmlNode *root, unsigned sp_index, const xmlNode **out)
{
	unsigned seen = 0;

	if (ifc_xml_is(root, "ServiceProfile") || ifc_xml_is(root, "ifcs") ||
	    ifc_xml_is(root, "InitialFilterCriteria")) {
		*out = root;
		return sp_index == 0 ? 0 : -ENOENT;
	}
	if (!ifc_xml_is(root, "IMSSubscription")) {
		log_warn("iFC: root element %s is not IMSSubscription", root ? (const char *)root->name : "-");
		return -EBADMSG;
	}
	for (const xmlNode *c = root->children; c; c = c->next) {
		if (ifc_xml_is(c, "ServiceProfile") && seen++ == sp_index) {
			*out = c;
			return 0;
		}
	}
	return -ENOENT;
}

static int add_shared(struct ifc_profile *p, const xmlNode *n)
{
	long v = 0;

	if (p->n_shared == IFC_MAX_SHARED_SETS)
		return -E2BIG;
	if (ifc_xml_int(n, 0, 0xffffffffL, &v) != 0)
		return -EBADMSG;
	p->shared[p->n_shared++] = (uint32_t)v;
	return 0;
}

/* SharedIFCSetID: in the ServiceProfile Extension (Rel-6+, B.2.1), or
 * directly in the ServiceProfile (older HSSs). */
static int read_shared(struct ifc_profile *p, const xmlNode *sp)
{
	int ret;

	for (const xmlNode *c = sp->children; c; c = c->next) {
		if (ifc_xml_is(c, "SharedIFCSetID") && (ret = add_shared(p, c)) != 0)
			return ret;
		if (!ifc_xml_is(c, "Extension"))
			continue;
		for (const xmlNode *e = c->children; e; e = e->next) {
			if (ifc_xml_is(e, "SharedIFCSetID") && (ret = add_shared(p, e)) != 0)
				return ret;
		}
	}
	return 0;
}

static int by_priority(const void *a, const void *b)
{
	const struct ifc_filter_c *x = a, *y = b;

	if (x->pub.priority != y->pub.priority)
		return x->pub.priority < y->pub.priority ? -1 : 1;
	return x->doc_order < y->doc_order ? -1 : (x->doc_order > y->doc_order);
}

/* Room for n more iFCs (all sources together stay within IFC_MAX_FILTERS). */
static int grow(struct ifc_profile *p, size_t n)
{
	struct ifc_filter_c *f;

	if (n > IFC_MAX_FILTERS - p->n_filters)
		return -E2BIG;
	if (n == 0)
		return 0;
	f = realloc(p->filters, (p->n_filters + n) * sizeof *f);
	if (!f)
		return -ENOMEM;
	memset(f + p->n_filters, 0, n * sizeof *f);
	p->filters = f;
	return 0;
}

static int add_filter(struct ifc_profile *p, const xmlNode *n)
{
	struct ifc_filter_c *f = &p->filters[p->n_filters];
	int ret;

	f->doc_order = (unsigned)p->n_filters++;
	ret = ifc_compile_filter(n, f);
	if (ret != 0)
		log_warn("iFC: InitialFilterCriteria #%u refused (%s)", f->doc_order + 1,
			 strerror(-ret));
	return ret;
}

/* The iFCs of box (a ServiceProfile, the fragment wrapper, or one iFC),
 * appended to p. */
static int read_filters(struct ifc_profile *p, const xmlNode *box)
{
	size_t n = 0;
	int ret;

	if (ifc_xml_is(box, "InitialFilterCriteria"))
		return (ret = grow(p, 1)) != 0 ? ret : add_filter(p, box);
	for (const xmlNode *c = box->children; c; c = c->next)
		n += ifc_xml_is(c, "InitialFilterCriteria");
	if ((ret = grow(p, n)) != 0)
		return ret;
	for (const xmlNode *c = box->children; c; c = c->next) {
		if (ifc_xml_is(c, "InitialFilterCriteria") && (ret = add_filter(p, c)) != 0)
			return ret;
	}
	return 0;
}

/* Guards, fragment wrapping, parse: *doc on success. */
static int load(const char *xml, size_t len, xmlDoc **doc)
{
	char *wrapped = NULL;
	int ret;

	*doc = NULL;
	if (len > IFC_MAX_XML)
		return -E2BIG;
	/* No DTD at all: no entity can be declared, so no expansion bomb and
	 * no external entity, whatever libxml2 would do with them. */
	if (contains(xml, len, "<!DOCTYPE") || contains(xml, len, "<!ENTITY")) {
		log_warn("iFC: document carries a DTD: refused");
		return -EBADMSG;
	}
	if (is_fragment(xml, len)) {
		wrapped = malloc(len + sizeof WRAP_OPEN + sizeof WRAP_CLOSE);
		if (!wrapped)
			return -ENOMEM;
		memcpy(wrapped, WRAP_OPEN, sizeof WRAP_OPEN - 1);
		memcpy(wrapped + sizeof WRAP_OPEN - 1, xml, len);
		memcpy(wrapped + sizeof WRAP_OPEN - 1 + len, WRAP_CLOSE, sizeof WRAP_CLOSE);
		xml = wrapped;
		len += sizeof WRAP_OPEN - 1 + sizeof WRAP_CLOSE - 1;
	}
	ret = read_doc(xml, len, doc);
	if (ret != 0) {
		xmlFreeDoc(*doc);
		*doc = NULL;
	}
	free(wrapped);
	return ret;
}

/* One shared iFC set from the caller's table, appended to p. */
static int add_shared_set(struct ifc_profile *p, const struct ifc_shared_sets *sets, uint32_t id)
{
	const xmlNode *box = NULL;
	const char *xml;
	xmlDoc *doc = NULL;
	size_t len = 0;
	int ret;

	if (!(xml = sets->lookup(sets->ctx, id, &len))) {
		log_warn("iFC: SharedIFCSetID %u unknown: ignored", id);
		return 0;
	}
	if ((ret = load(xml, len, &doc)) == 0 &&
	    (ret = pick_container(xmlDocGetRootElement(doc), 0, &box)) == 0)
		ret = read_filters(p, box);
	if (ret != 0)
		log_warn("iFC: SharedIFCSetID %u refused (%s)", id, strerror(-ret));
	xmlFreeDoc(doc);
	return ret;
}

int ifc_profile_parse_shared(const char *xml, size_t len, unsigned sp_index,
			     const struct ifc_shared_sets *sets, struct ifc_profile **out)
{
	struct ifc_profile *p = NULL;
	const xmlNode *box = NULL;
	xmlDoc *doc = NULL;
	int ret;

	if (!out || (!xml && len) || (sets && !sets->lookup))
		return -EINVAL;
	*out = NULL;
	if ((ret = load(xml, len, &doc)) != 0)
		goto out;
	if ((ret = pick_container(xmlDocGetRootElement(doc), sp_index, &box)) != 0)
		goto out;
	ret = -ENOMEM;
	if (!(p = calloc(1, sizeof *p)))
		goto out;
	if ((ret = read_filters(p, box)) != 0)
		goto out;
	if (ifc_xml_is(box, "ServiceProfile") && (ret = read_shared(p, box)) != 0)
		goto out;
	for (size_t i = 0; sets && i < p->n_shared; i++) {
		if ((ret = add_shared_set(p, sets, p->shared[i])) != 0)
			goto out;
	}
	if (p->n_filters > 1)
		qsort(p->filters, p->n_filters, sizeof *p->filters, by_priority);
	*out = p;
	p = NULL;
out:
	ifc_profile_free(p);
	xmlFreeDoc(doc);
	return ret;
}

int ifc_profile_parse(const char *xml, size_t len, unsigned sp_index,
		      struct ifc_profile **out)
{
	return ifc_profile_parse_shared(xml, len, sp_index, NULL, out);
}

void ifc_profile_free(struct ifc_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_filters; i++)
		ifc_filter_release(&p->filters[i]);
	free(p->filters);
	free(p);
}

size_t ifc_profile_count(const struct ifc_profile *p)
{
	return p ? p->n_filters : 0;
}

const struct ifc_filter *ifc_profile_at(const struct ifc_profile *p, size_t pos)
{
	return p && pos < p->n_filters ? &p->filters[pos].pub : NULL;
}

const uint32_t *ifc_profile_shared_sets(const struct ifc_profile *p, size_t *n)
{
	*n = p ? p->n_shared : 0;
	return p && p->n_shared ? p->shared : NULL;
}
