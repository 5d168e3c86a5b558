/* ifc_xml: see ifc_xml.h. Element names and value ranges follow TS 29.228
 * Annex B.2.2 (tInitialFilterCriteria, tTrigger, tSePoTri,
 * tApplicationServer) and the columns of deploy/db/migrations. */
#include "ifc_xml.h"
#include "hssctl.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#define FILE_MAX (4 << 20)   /* bytes: far above any real profile */
#define IFCS_MAX 1024
#define SPTS_MAX 256         /* per iFC, after splitting multi-Group SPTs */
#define GROUPS_MAX 32        /* Group elements per SPT */
#define NAME_MAX_CHARS 255   /* VARCHAR(255) columns */
#define TEXT_MAX_CHARS 1024  /* VARCHAR(1024) columns */

struct ctx {
	const char *path;
	struct ifc_xml *x;
	int errors;
	bool oom;
};

__attribute__((format(printf, 3, 4)))
static void fail(struct ctx *c, const xmlNode *n, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%ld: ", c->path, n ? xmlGetLineNo(n) : 0L);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	c->errors++;
}

static bool is(const xmlNode *n, const char *name)
{
	return xmlStrcmp(n->name, BAD_CAST name) == 0;
}

static bool blank(const xmlChar *s)
{
	for (; s && *s; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	}
	return true;
}

/* Next element child after prev (NULL: the first); text other than
 * whitespace between elements is an error. */
static xmlNode *next_elem(struct ctx *c, const xmlNode *parent, xmlNode *prev)
{
	for (xmlNode *n = prev ? prev->next : parent->children; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE)
			return n;
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		    !blank(n->content))
			fail(c, n, "unexpected text in <%s>", (const char *)parent->name);
		else if (n->type == XML_ENTITY_REF_NODE)
			fail(c, n, "entity references are not accepted");
	}
	return NULL;
}

static char *keep(struct ctx *c, const char *s, size_t len)
{
	struct ifc_xml *x = c->x;
	char *d;

	if (x->n_strs == x->cap_strs) {
		size_t cap = x->cap_strs ? x->cap_strs * 2 : 32;
		char **v = realloc(x->strs, cap * sizeof *v);
		if (!v)
			goto oom;
		x->strs = v;
		x->cap_strs = cap;
	}
	d = strndup(s, len);
	if (!d)
		goto oom;
	x->strs[x->n_strs++] = d;
	return d;
oom:
	c->oom = true;
	return NULL;
}

/* The element's text, whitespace-trimmed, at most max_chars characters
 * (empty allowed only when may_be_empty). NULL after an error (reported). */
static const char *text_of(struct ctx *c, const xmlNode *n, size_t max_chars, bool may_be_empty)
{
	xmlChar *raw;
	const char *p, *e;
	const char *out = NULL;

	for (const xmlNode *k = n->children; k; k = k->next) {
		if (k->type == XML_ELEMENT_NODE || k->type == XML_ENTITY_REF_NODE) {
			fail(c, k, "<%s> must hold text only", (const char *)n->name);
			return NULL;
		}
	}
	raw = xmlNodeGetContent(n);
	if (!raw) {
		if (may_be_empty)
			return keep(c, "", 0);
		fail(c, n, "<%s> is empty", (const char *)n->name);
		return NULL;
	}
	p = (const char *)raw;
	e = p + strlen(p);
	while (p < e && strchr(" \t\r\n", *p))
		p++;
	while (e > p && strchr(" \t\r\n", e[-1]))
		e--;
	if (p == e && !may_be_empty)
		fail(c, n, "<%s> is empty", (const char *)n->name);
	else if (xmlUTF8Strlen(BAD_CAST p) < 0 ||
		 (size_t)xmlUTF8Strlen(BAD_CAST p) > max_chars + strlen(e))
		fail(c, n, "<%s> is longer than %zu characters", (const char *)n->name, max_chars);
	else
		out = keep(c, p, (size_t)(e - p));
	xmlFree(raw);
	return out;
}

static int int_of(struct ctx *c, const xmlNode *n, long min, long max, int *v)
{
	const char *s = text_of(c, n, 32, false);
	char *end;
	long l;

	if (!s)
		return -1;
	errno = 0;
	l = strtol(s, &end, 10);
	if (errno || *end || end == s || l < min || l > max) {
		fail(c, n, "<%s> must be a number from %ld to %ld, not '%s'",
		     (const char *)n->name, min, max, s);
		return -1;
	}
	*v = (int)l;
	return 0;
}

/* xs:boolean (tBool of CxDataType.xsd). */
static int bool_of(struct ctx *c, const xmlNode *n, bool *v)
{
	const char *s = text_of(c, n, 8, false);

	if (!s)
		return -1;
	if (!strcmp(s, "1") || !strcmp(s, "true"))
		*v = true;
	else if (!strcmp(s, "0") || !strcmp(s, "false"))
		*v = false;
	else {
		fail(c, n, "<%s> must be 0, 1, true or false, not '%s'", (const char *)n->name, s);
		return -1;
	}
	return 0;
}

static bool sip_token(const char *s)
{
	for (; *s; s++) {
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || strchr("-.!%*_+`'~", *s)))
			return false;
	}
	return true;
}

struct spt_parse {
	struct store_admin_spt spt;   /* group unset */
	unsigned int groups[GROUPS_MAX];
	size_t n_groups;
	const char *trigger;          /* element name of the one trigger */
};

/* <SIPHeader>{Header, Content?} or <SessionDescription>{Line, Content?}. */
static void spt_pair(struct ctx *c, const xmlNode *n, const char *first, struct store_admin_spt *p)
{
	for (xmlNode *k = next_elem(c, n, NULL); k; k = next_elem(c, n, k)) {
		if (is(k, first) && !p->header)
			p->header = text_of(c, k, NAME_MAX_CHARS, false);
		else if (is(k, "Content") && !p->value)
			p->value = text_of(c, k, TEXT_MAX_CHARS, true);
		else
			fail(c, k, "unexpected <%s> in <%s>", (const char *)k->name,
			     (const char *)n->name);
	}
	if (!p->header)
		fail(c, n, "<%s> without <%s>", (const char *)n->name, first);
}

static void spt_trigger(struct ctx *c, const xmlNode *k, struct spt_parse *sp)
{
	struct store_admin_spt *p = &sp->spt;
	int v = 0;

	if (sp->trigger) {
		fail(c, k, "<%s>: this SPT already has <%s> (one trigger per SPT)",
		     (const char *)k->name, sp->trigger);
		return;
	}
	sp->trigger = (const char *)k->name;
	if (is(k, "RequestURI")) {
		p->type = STORE_SPT_REQUEST_URI;
		p->value = text_of(c, k, TEXT_MAX_CHARS, false);
	} else if (is(k, "Method")) {
		p->type = STORE_SPT_METHOD;
		p->value = text_of(c, k, TEXT_MAX_CHARS, false);
		if (p->value && !sip_token(p->value))
			fail(c, k, "<Method> '%s' is not a SIP method token", p->value);
	} else if (is(k, "SessionCase")) {
		p->type = STORE_SPT_SESSION_CASE;
		if (int_of(c, k, 0, 4, &v) == 0)
			p->session_case = v;
	} else if (is(k, "SIPHeader")) {
		p->type = STORE_SPT_SIP_HEADER;
		spt_pair(c, k, "Header", p);
	} else {
		p->type = STORE_SPT_SESSION_DESCRIPTION;
		spt_pair(c, k, "Line", p);
	}
}

/* <Extension>{RegistrationType*} of an SPT (Rel-7, with Method REGISTER). */
static void spt_extension(struct ctx *c, const xmlNode *n, struct spt_parse *sp)
{
	int v = 0;

	for (xmlNode *k = next_elem(c, n, NULL); k; k = next_elem(c, n, k)) {
		if (is(k, "RegistrationType") && int_of(c, k, 0, 2, &v) == 0)
			sp->spt.registration_type |= 1u << v;
		else if (!is(k, "RegistrationType"))
			fail(c, k, "unexpected <%s> in the <Extension> of an <SPT>",
			     (const char *)k->name);
	}
}

static void parse_spt(struct ctx *c, const xmlNode *n, struct store_admin_spt *out,
		      size_t *n_out)
{
	struct spt_parse sp = { .spt.session_case = -1 };
	int v = 0;

	for (xmlNode *k = next_elem(c, n, NULL); k; k = next_elem(c, n, k)) {
		if (is(k, "ConditionNegated")) {
			(void)bool_of(c, k, &sp.spt.negated);
		} else if (is(k, "Group")) {
			if (sp.n_groups == GROUPS_MAX)
				fail(c, k, "more than %d <Group> in one <SPT>", GROUPS_MAX);
			else if (int_of(c, k, 0, INT32_MAX, &v) == 0)
				sp.groups[sp.n_groups++] = (unsigned int)v;
		} else if (is(k, "RequestURI") || is(k, "Method") || is(k, "SIPHeader") ||
			   is(k, "SessionCase") || is(k, "SessionDescription")) {
			spt_trigger(c, k, &sp);
		} else if (is(k, "Extension")) {
			spt_extension(c, k, &sp);
		} else {
			fail(c, k, "unexpected <%s> in <SPT>", (const char *)k->name);
		}
	}
	if (!sp.trigger)
		fail(c, n, "<SPT> without a trigger (RequestURI, Method, SIPHeader, SessionCase"
		     " or SessionDescription)");
	if (!sp.n_groups)
		fail(c, n, "<SPT> without <Group>");
	if (sp.spt.registration_type && sp.trigger && strcmp(sp.trigger, "Method") != 0)
		fail(c, n, "<RegistrationType> applies to a <Method> trigger only");
	/* An SPT in several groups is the same SPT once in each group (the
	 * CNF/DNF evaluation of TS 29.228 annex C is unchanged). */
	for (size_t i = 0; i < sp.n_groups; i++) {
		if (*n_out == SPTS_MAX) {
			fail(c, n, "more than %d SPTs in one iFC", SPTS_MAX);
			return;
		}
		out[*n_out] = sp.spt;
		out[(*n_out)++].group = sp.groups[i];
	}
}

static void parse_trigger(struct ctx *c, const xmlNode *n, struct store_admin_ifc *f,
			  struct store_admin_spt *spts)
{
	bool have_cnf = false;

	for (xmlNode *k = next_elem(c, n, NULL); k; k = next_elem(c, n, k)) {
		if (is(k, "ConditionTypeCNF") && !have_cnf) {
			have_cnf = bool_of(c, k, &f->condition_type_cnf) == 0;
			if (!have_cnf)
				have_cnf = true;  /* reported */
		} else if (is(k, "SPT")) {
			parse_spt(c, k, spts, &f->n_spts);
		} else {
			fail(c, k, "unexpected <%s> in <TriggerPoint>", (const char *)k->name);
		}
	}
	if (!have_cnf)
		fail(c, n, "<TriggerPoint> without <ConditionTypeCNF>");
}

/* IncludeRegisterRequest/Response: directly in <ApplicationServer> or in its
 * <Extension> (where the Rel-9 schema puts them). */
static bool as_include(const xmlNode *k, struct store_admin_ifc *f)
{
	if (is(k, "IncludeRegisterRequest"))
		f->include_register_request = true;
	else if (is(k, "IncludeRegisterResponse"))
		f->include_register_response = true;
	else
		return false;
	return true;
}

static void parse_as(struct ctx *c, const xmlNode *n, struct store_admin_ifc *f)
{
	int v = 0;

	for (xmlNode *k = next_elem(c, n, NULL); k; k = next_elem(c, n, k)) {
		if (is(k, "ServerName") && !f->as_server_name) {
			f->as_server_name = text_of(c, k, NAME_MAX_CHARS, false);
			if (f->as_server_name && !hssctl_valid_sip_uri(f->as_server_name))
				fail(c, k, "<ServerName> '%s' is not a SIP URI", f->as_server_name);
		} else if (is(k, "DefaultHandling")) {
			if (int_of(c, k, 0, 1, &v) == 0)
				f->default_handling = v;
		} else if (is(k, "ServiceInfo") && !f->service_info) {
			f->service_info = text_of(c, k, TEXT_MAX_CHARS, true);
		} else if (as_include(k, f)) {
			continue;
		} else if (is(k, "Extension")) {
			for (xmlNode *e = next_elem(c, k, NULL); e; e = next_elem(c, k, e)) {
				if (!as_include(e, f))
					fail(c, e, "unexpected <%s> in the <Extension> of"
					     " <ApplicationServer>", (const char *)e->name);
			}
		} else {
			fail(c, k, "unexpected <%s> in <ApplicationServer>", (const char *)k->name);
		}
	}
	if (!f->as_server_name)
		fail(c, n, "<ApplicationServer> without <ServerName>");
}

static void parse_ifc(struct ctx *c, const xmlNode *n)
{
	struct ifc_xml *x = c->x;
	struct store_admin_ifc *f;
	struct store_admin_spt *spts;
	bool have_prio = false, have_as = false, have_tp = false;
	int v = 0;

	if (x->n == IFCS_MAX) {
		fail(c, n, "more than %d iFCs", IFCS_MAX);
		return;
	}
	f = realloc(x->ifcs, (x->n + 1) * sizeof *f);
	spts = calloc(SPTS_MAX, sizeof *spts);
	if (f)
		x->ifcs = f;
	if (!f || !spts) {
		free(spts);
		c->oom = true;
		return;
	}
	f = &x->ifcs[x->n++];
	*f = (struct store_admin_ifc){ .profile_part_indicator = -1,
				       .condition_type_cnf = true, .spts = spts };
	for (xmlNode *k = next_elem(c, n, NULL); k; k = next_elem(c, n, k)) {
		if (is(k, "Priority") && !have_prio) {
			have_prio = true;
			if (int_of(c, k, 0, INT32_MAX, &v) == 0)
				f->priority = v;
		} else if (is(k, "TriggerPoint") && !have_tp) {
			have_tp = true;
			parse_trigger(c, k, f, spts);
		} else if (is(k, "ApplicationServer") && !have_as) {
			have_as = true;
			parse_as(c, k, f);
		} else if (is(k, "ProfilePartIndicator")) {
			if (int_of(c, k, 0, 1, &v) == 0)
				f->profile_part_indicator = v;
		} else {
			fail(c, k, "unexpected <%s> in <InitialFilterCriteria>",
			     (const char *)k->name);
		}
	}
	if (!have_prio)
		fail(c, n, "<InitialFilterCriteria> without <Priority>");
	if (!have_as)
		fail(c, n, "<InitialFilterCriteria> without <ApplicationServer>");
}

/* One SharedIFCSetID (TS 29.228 B.2.1), kept with its line. */
static void add_shared(struct ctx *c, const xmlNode *n)
{
	struct ifc_xml *x = c->x;
	const char *s = text_of(c, n, 16, false);
	unsigned long long v;
	char *end;

	if (!s)
		return;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || end == s || *s == '-' || v > UINT32_MAX) {
		fail(c, n, "<SharedIFCSetID> must be a number from 0 to 4294967295, not '%s'", s);
		return;
	}
	for (size_t i = 0; i < x->n_shared; i++) {
		if (x->shared[i] == v) {
			fail(c, n, "SharedIFCSetID %llu listed twice (first on line %ld)", v,
			     x->shared_lines[i]);
			return;
		}
	}
	if (x->n_shared == IFC_XML_SHARED_MAX) {
		fail(c, n, "more than %d SharedIFCSetID", IFC_XML_SHARED_MAX);
		return;
	}
	x->shared[x->n_shared] = (uint32_t)v;
	x->shared_lines[x->n_shared++] = xmlGetLineNo(n);
}

/* The Rel-7 <Extension> of a ServiceProfile: SharedIFCSetID elements. */
static void parse_profile_extension(struct ctx *c, const xmlNode *n)
{
	for (xmlNode *k = next_elem(c, n, NULL); k; k = next_elem(c, n, k)) {
		if (is(k, "SharedIFCSetID"))
			add_shared(c, k);
		else
			fprintf(stderr, "%s:%ld: warning: <%s> in the <Extension> of <ServiceProfile>"
				" is not loaded\n", c->path, xmlGetLineNo(k), (const char *)k->name);
	}
}

static void parse_profile(struct ctx *c, const xmlNode *n)
{
	for (xmlNode *k = next_elem(c, n, NULL); k; k = next_elem(c, n, k)) {
		if (is(k, "InitialFilterCriteria"))
			parse_ifc(c, k);
		else if (is(k, "PublicIdentity") || is(k, "CoreNetworkServicesAuthorization"))
			continue;  /* identities and the rest are provisioned elsewhere */
		else if (is(k, "SharedIFCSetID"))
			add_shared(c, k);  /* pre-Rel-7 place */
		else if (is(k, "Extension"))
			parse_profile_extension(c, k);
		else
			fail(c, k, "unexpected <%s> in <ServiceProfile>", (const char *)k->name);
	}
}

static void parse_root(struct ctx *c, const xmlNode *root, bool wrapped)
{
	int profiles = 0;

	if (is(root, "InitialFilterCriteria")) {
		parse_ifc(c, root);
	} else if (is(root, "ServiceProfile")) {
		parse_profile(c, root);
	} else if (is(root, "IMSSubscription")) {
		for (xmlNode *k = next_elem(c, root, NULL); k; k = next_elem(c, root, k)) {
			if (is(k, "ServiceProfile") && profiles++ == 0)
				parse_profile(c, k);
			else if (is(k, "ServiceProfile"))
				fail(c, k, "a second <ServiceProfile>: the file must hold the"
				     " iFCs of one profile");
			else if (!is(k, "PrivateID"))
				fail(c, k, "unexpected <%s> in <IMSSubscription>",
				     (const char *)k->name);
		}
		if (!profiles)
			fail(c, root, "<IMSSubscription> without <ServiceProfile>");
	} else if (wrapped) {
		for (xmlNode *k = next_elem(c, root, NULL); k; k = next_elem(c, root, k)) {
			if (is(k, "InitialFilterCriteria"))
				parse_ifc(c, k);
			else
				fail(c, k, "unexpected <%s>: expected <InitialFilterCriteria>",
				     (const char *)k->name);
		}
	} else {
		fail(c, root, "<%s>: expected <IMSSubscription>, <ServiceProfile> or"
		     " <InitialFilterCriteria>", (const char *)root->name);
	}
}

/* The database keeps one priority order per profile and one set of
 * DefaultHandling/ServiceInfo/Include* per application server. */
static void check_set(struct ctx *c, const xmlDoc *doc)
{
	const struct ifc_xml *x = c->x;

	for (size_t i = 0; i < x->n; i++) {
		const struct store_admin_ifc *a = &x->ifcs[i];
		for (size_t j = 0; j < i; j++) {
			const struct store_admin_ifc *b = &x->ifcs[j];
			if (a->priority == b->priority)
				fail(c, xmlDocGetRootElement(doc),
				     "iFC %zu and iFC %zu have the same Priority %d", j + 1, i + 1,
				     a->priority);
			if (a->as_server_name && b->as_server_name &&
			    !strcmp(a->as_server_name, b->as_server_name) &&
			    (a->default_handling != b->default_handling ||
			     a->include_register_request != b->include_register_request ||
			     a->include_register_response != b->include_register_response ||
			     !a->service_info != !b->service_info ||
			     (a->service_info && strcmp(a->service_info, b->service_info))))
				fail(c, xmlDocGetRootElement(doc),
				     "iFC %zu and iFC %zu name application server %s with different"
				     " DefaultHandling/ServiceInfo/IncludeRegister*: the HSS keeps"
				     " one set per server", j + 1, i + 1, a->as_server_name);
		}
	}
}

static int read_all(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	int ret = 0;

	*buf = NULL;
	if (!f || fstat(fileno(f), &sb) != 0) {
		ret = -errno;
		goto out;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > FILE_MAX) {
		ret = S_ISREG(sb.st_mode) ? -EFBIG : -EINVAL;
		goto out;
	}
	*buf = malloc((size_t)sb.st_size + 64);
	if (!*buf) {
		ret = -ENOMEM;
		goto out;
	}
	*len = fread(*buf, 1, (size_t)sb.st_size, f);
	(*buf)[*len] = '\0';
	if (ferror(f))
		ret = -EIO;
out:
	if (f)
		fclose(f);
	if (ret) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

#define PARSE_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* libxml2 reports every error of a parse; the first one says what is
 * wrong, the rest follow from it. */
struct first_error {
	int code, line;
	char msg[256];
};

static void on_xml_error(void *data, xmlErrorPtr e)
{
	struct first_error *fe = data;

	if (fe->code || !e || e->level < XML_ERR_ERROR)
		return;
	fe->code = e->code ? e->code : -1;
	fe->line = e->line;
	snprintf(fe->msg, sizeof fe->msg, "%.*s", e->message ? (int)strcspn(e->message, "\n") : 0,
		 e->message ? e->message : "");
}

static xmlDoc *parse_mem(const char *path, const char *text, size_t len, struct first_error *fe)
{
	xmlDoc *doc;

	memset(fe, 0, sizeof *fe);
	xmlSetStructuredErrorFunc(fe, on_xml_error);
	doc = xmlReadMemory(text, (int)len, path, NULL, PARSE_OPTS);
	xmlSetStructuredErrorFunc(NULL, NULL);
	return doc;
}

static xmlDoc *parse_report(struct ctx *c, const char *text, size_t len)
{
	struct first_error fe;
	xmlDoc *doc = parse_mem(c->path, text, len, &fe);

	if (!doc) {
		fprintf(stderr, "%s:%d: %s\n", c->path, fe.line,
			fe.msg[0] ? fe.msg : "not well-formed XML");
		c->errors++;
	}
	return doc;
}

/* A bare list of iFCs has several roots: parse it inside a wrapper element
 * put on line 1 (line numbers unchanged), its XML declaration blanked. */
static xmlDoc *parse_wrapped(struct ctx *c, char *text, size_t len)
{
	static const char open[] = "<ifc-list>", close[] = "</ifc-list>";
	char *w = malloc(len + sizeof open + sizeof close);
	char *body = text;
	xmlDoc *doc;

	if (!w) {
		c->oom = true;
		return NULL;
	}
	if (len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3))
		memset(body, ' ', 3);
	if (len >= 5 && !memcmp(body, "<?xml", 5)) {
		char *end = strstr(body, "?>");  /* read_all NUL-terminated it */
		if (end)
			memset(body, ' ', (size_t)(end + 2 - body));
	}
	memcpy(w, open, sizeof open - 1);
	memcpy(w + sizeof open - 1, body, len);
	memcpy(w + sizeof open - 1 + len, close, sizeof close - 1);
	doc = parse_report(c, w, len + sizeof open - 1 + sizeof close - 1);
	free(w);
	return doc;
}

int ifc_xml_load(const char *path, struct ifc_xml *out)
{
	struct ctx c = { .path = path, .x = out };
	xmlDoc *doc = NULL;
	char *text = NULL;
	size_t len = 0;
	struct first_error fe;
	bool wrapped = false;
	int ret;

	memset(out, 0, sizeof *out);
	ret = read_all(path, &text, &len);
	if (ret) {
		fprintf(stderr, "%s: %s\n", path, strerror(-ret));
		return ret;
	}
	doc = parse_mem(path, text, len, &fe);
	if (!doc) {
		if (fe.code == XML_ERR_DOCUMENT_END) {
			wrapped = true;
			doc = parse_wrapped(&c, text, len);
		} else {
			doc = parse_report(&c, text, len);  /* prints the error */
		}
	}
	if (!doc)
		goto out;
	if (doc->intSubset || doc->extSubset) {
		const char *d = strstr(text, "<!DOCTYPE");
		long line = 1;
		for (const char *p = text; d && p < d; p++)
			line += *p == '\n';
		fprintf(stderr, "%s:%ld: a DOCTYPE is not accepted\n", path, line);
		c.errors++;
		goto out;
	}
	if (!xmlDocGetRootElement(doc)) {
		fail(&c, NULL, "no root element");
		goto out;
	}
	parse_root(&c, xmlDocGetRootElement(doc), wrapped);
	if (!c.errors && !c.oom)
		check_set(&c, doc);
out:
	if (doc)
		xmlFreeDoc(doc);
	free(text);
	if (c.oom) {
		fprintf(stderr, "%s: out of memory\n", path);
		ifc_xml_free(out);
		return -ENOMEM;
	}
	if (c.errors)
		ifc_xml_free(out);
	return c.errors;
}

void ifc_xml_free(struct ifc_xml *x)
{
	for (size_t i = 0; i < x->n; i++)
		free((void *)x->ifcs[i].spts);
	free(x->ifcs);
	for (size_t i = 0; i < x->n_strs; i++)
		free(x->strs[i]);
	free(x->strs);
	memset(x, 0, sizeof *x);
}
