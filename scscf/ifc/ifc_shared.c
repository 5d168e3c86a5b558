/* ifc_shared: see ifc_shared.h for the file form and the contract. */
#include "ifc_shared.h"
#include "ifc_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

struct shared_set {
	uint32_t id;
	char *xml;              /* concatenated InitialFilterCriteria */
	size_t len;
};

struct ifc_shared_table {
	struct shared_set *sets;  /* sorted by id */
	size_t n;
};

struct load_ctx {
	const char *name;
	char *err;
	size_t errlen;
	struct ifc_shared_table *t;
};

__attribute__((format(printf, 4, 5)))
static int fail(struct load_ctx *c, const xmlNode *n, int ret, const char *fmt, ...)
{
	va_list ap;
	int off;

	if (!c->errlen)
		return ret;
	off = snprintf(c->err, c->errlen, "%s:%ld:0: ", c->name, n ? xmlGetLineNo(n) : 0L);
	if (off >= 0 && (size_t)off < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + off, c->errlen - (size_t)off, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* The first error libxml2 reports says what is wrong; the rest follow. */
struct first_error {
	int line, column;
	char msg[200];
	bool seen;
};

static void on_xml_error(void *data, xmlErrorPtr e)
{
	struct first_error *fe = data;

	if (fe->seen || !e || e->level < XML_ERR_ERROR)
		return;
	fe->seen = true;
	fe->line = e->line;
	fe->column = e->int2;
	snprintf(fe->msg, sizeof fe->msg, "%.*s",
		 e->message ? (int)strcspn(e->message, "\n") : 0, e->message ? e->message : "");
}

static int by_id(const void *a, const void *b)
{
	const struct shared_set *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static bool blank_text(const xmlNode *n)
{
	for (const xmlChar *s = n->content; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* Append the serialised iFC n to set->xml. */
static int append_ifc(struct shared_set *s, xmlNode *n)
{
	xmlBufferPtr b = xmlBufferCreate();
	size_t add;
	char *nx;
	int ret = -ENOMEM;

	if (!b)
		return ret;
	if (xmlNodeDump(b, n->doc, n, 0, 0) < 0)
		goto out;
	add = (size_t)xmlBufferLength(b);
	if (s->len + add > IFC_MAX_XML) {
		ret = -E2BIG;
		goto out;
	}
	if (!(nx = realloc(s->xml, s->len + add + 1)))
		goto out;
	memcpy(nx + s->len, xmlBufferContent(b), add);
	s->len += add;
	nx[s->len] = '\0';
	s->xml = nx;
	ret = 0;
out:
	xmlBufferFree(b);
	return ret;
}

/* One <SharedIFCSet>: its id, its iFCs serialised, then compiled once to
 * prove the engine takes them. */
static int read_set(struct load_ctx *c, xmlNode *e, struct shared_set *s)
{
	struct ifc_profile *p = NULL;
	const xmlNode *id_node = NULL;
	size_t n_ifcs = 0;
	long v = 0;
	int ret;

	for (xmlNode *k = e->children; k; k = k->next) {
		if (k->type == XML_COMMENT_NODE || (k->type == XML_TEXT_NODE && blank_text(k)))
			continue;
		if (k->type != XML_ELEMENT_NODE)
			return fail(c, k, -EBADMSG, "unexpected text in <SharedIFCSet>");
		if (ifc_xml_is(k, "SharedIFCSetID")) {
			if (id_node)
				return fail(c, k, -EBADMSG, "a second <SharedIFCSetID>");
			if (ifc_xml_int(k, 0, 0xffffffffL, &v) != 0)
				return fail(c, k, -EBADMSG,
					    "<SharedIFCSetID>: expected a number 0..4294967295");
			id_node = k;
		} else if (ifc_xml_is(k, "InitialFilterCriteria")) {
			if (++n_ifcs > IFC_MAX_FILTERS)
				return fail(c, k, -E2BIG, "more than %d iFCs in a set",
					    IFC_MAX_FILTERS);
			if ((ret = append_ifc(s, k)) != 0)
				return fail(c, k, ret, "set too large or out of memory");
		} else if (!ifc_xml_is(k, "Name")) {
			return fail(c, k, -EBADMSG, "unexpected <%s> in <SharedIFCSet>"
				    " (expected SharedIFCSetID, Name, InitialFilterCriteria)",
				    (const char *)k->name);
		}
	}
	if (!id_node)
		return fail(c, e, -EBADMSG, "<SharedIFCSet> without <SharedIFCSetID>");
	if (!n_ifcs)
		return fail(c, e, -EBADMSG, "shared iFC set %ld has no <InitialFilterCriteria>", v);
	s->id = (uint32_t)v;
	ret = ifc_profile_parse(s->xml, s->len, 0, &p);
	ifc_profile_free(p);
	if (ret != 0)
		return fail(c, e, ret, "shared iFC set %u: its iFCs do not compile: %s", s->id,
			    ret == -EBADMSG ? "not TS 29.228 InitialFilterCriteria" : strerror(-ret));
	return 0;
}

static int read_root(struct load_ctx *c, xmlNode *root)
{
	struct ifc_shared_table *t = c->t;
	int ret;

	if (!ifc_xml_is(root, "SharedIFCSets"))
		return fail(c, root, -EBADMSG, "<%s>: expected <SharedIFCSets>",
			    (const char *)root->name);
	for (xmlNode *k = root->children; k; k = k->next) {
		if (k->type == XML_COMMENT_NODE || (k->type == XML_TEXT_NODE && blank_text(k)))
			continue;
		if (k->type != XML_ELEMENT_NODE || !ifc_xml_is(k, "SharedIFCSet"))
			return fail(c, k, -EBADMSG, "unexpected %s%s%s in <SharedIFCSets>",
				    k->type == XML_ELEMENT_NODE ? "<" : "text",
				    k->type == XML_ELEMENT_NODE ? (const char *)k->name : "",
				    k->type == XML_ELEMENT_NODE ? ">" : "");
		if (t->n == IFC_SHARED_MAX_SETS)
			return fail(c, k, -E2BIG, "more than %d shared iFC sets",
				    IFC_SHARED_MAX_SETS);
		struct shared_set *s = &t->sets[t->n];
		memset(s, 0, sizeof *s);
		t->n++;  /* counted now so that free releases a half-read set */
		if ((ret = read_set(c, k, s)) != 0)
			return ret;
		for (size_t i = 0; i + 1 < t->n; i++)
			if (t->sets[i].id == s->id)
				return fail(c, k, -EEXIST, "shared iFC set %u defined twice", s->id);
	}
	qsort(t->sets, t->n, sizeof *t->sets, by_id);
	return 0;
}

int ifc_shared_table_parse(const char *xml, size_t len, const char *name,
			   struct ifc_shared_table **out, char *err, size_t errlen)
{
	struct load_ctx c = { .name = name ? name : "shared-ifc.xml", .err = err,
			      .errlen = err ? errlen : 0 };
	struct first_error fe = { 0 };
	xmlDoc *doc = NULL;
	int ret;

	if (c.errlen)
		err[0] = '\0';
	if (!out || (!xml && len))
		return -EINVAL;
	*out = NULL;
	if (len > IFC_SHARED_MAX_FILE || len > (size_t)INT32_MAX)
		return fail(&c, NULL, -E2BIG, "file larger than %d bytes", IFC_SHARED_MAX_FILE);
	c.t = calloc(1, sizeof *c.t);
	if (!c.t || !(c.t->sets = calloc(IFC_SHARED_MAX_SETS, sizeof *c.t->sets))) {
		ret = -ENOMEM;
		goto out;
	}
	xmlSetStructuredErrorFunc(&fe, on_xml_error);
	/* NONET, never NOENT: see the shared notes (libxml2). */
	doc = xmlReadMemory(xml ? xml : "", (int)len, c.name, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!doc) {
		if (c.errlen)
			snprintf(err, errlen, "%s:%d:%d: %s", c.name, fe.line, fe.column,
				 fe.msg[0] ? fe.msg : "not well-formed XML");
		ret = -EBADMSG;
		goto out;
	}
	if (doc->intSubset || doc->extSubset) {
		ret = fail(&c, doc->intSubset ? (xmlNode *)doc->intSubset : NULL, -EBADMSG,
			   "a DOCTYPE is not accepted");
		goto out;
	}
	if (!xmlDocGetRootElement(doc)) {
		ret = fail(&c, NULL, -EBADMSG, "no root element");
		goto out;
	}
	if ((ret = read_root(&c, xmlDocGetRootElement(doc))) != 0)
		goto out;
	*out = c.t;
	c.t = NULL;
out:
	xmlFreeDoc(doc);
	ifc_shared_table_free(c.t);
	if (ret == -ENOMEM && c.errlen && !err[0])
		snprintf(err, errlen, "%s: out of memory", c.name);
	return ret;
}

int ifc_shared_table_load(const char *path, struct ifc_shared_table **out,
			  char *err, size_t errlen)
{
	struct stat sb;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret = 0;

	if (!path || !out)
		return -EINVAL;
	*out = NULL;
	if (!(f = fopen(path, "rb")) || fstat(fileno(f), &sb) != 0) {
		ret = -errno;
		goto out;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > IFC_SHARED_MAX_FILE) {
		ret = S_ISREG(sb.st_mode) ? -EFBIG : -EINVAL;
		goto out;
	}
	if (!(buf = malloc((size_t)sb.st_size + 1))) {
		ret = -ENOMEM;
		goto out;
	}
	len = fread(buf, 1, (size_t)sb.st_size, f);
	if (ferror(f))
		ret = -EIO;
out:
	if (f)
		fclose(f);
	if (ret == 0)
		ret = ifc_shared_table_parse(buf, len, path, out, err, errlen);
	else if (err && errlen)
		snprintf(err, errlen, "%s: %s", path,
			 ret == -EINVAL ? "not a regular file" : strerror(-ret));
	free(buf);
	return ret;
}

void ifc_shared_table_free(struct ifc_shared_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->sets && i < t->n; i++)
		free(t->sets[i].xml);
	free(t->sets);
	free(t);
}

size_t ifc_shared_table_count(const struct ifc_shared_table *t)
{
	return t ? t->n : 0;
}

const char *ifc_shared_table_lookup(const struct ifc_shared_table *t, uint32_t id, size_t *len)
{
	struct shared_set key = { .id = id };
	const struct shared_set *s;

	if (!t || !t->n)
		return NULL;
	s = bsearch(&key, t->sets, t->n, sizeof *t->sets, by_id);
	if (!s)
		return NULL;
	if (len)
		*len = s->len;
	return s->xml;
}

static const char *lookup_cb(void *ctx, uint32_t id, size_t *len)
{
	return ifc_shared_table_lookup(ctx, id, len);
}

struct ifc_shared_sets ifc_shared_table_sets(const struct ifc_shared_table *t)
{
	return (struct ifc_shared_sets){ .lookup = lookup_cb, .ctx = (void *)t };
}

int ifc_shared_check_file(const char *path, char *why, size_t whylen)
{
	struct ifc_shared_table *t = NULL;
	int ret = ifc_shared_table_load(path, &t, why, whylen);

	ifc_shared_table_free(t);
	return ret < 0 ? -EINVAL : 0;
}
