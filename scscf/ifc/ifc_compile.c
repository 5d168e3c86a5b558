/*
 * ifc_compile: one InitialFilterCriteria element (TS 29.228 B.2.2, B.2.3,
 * Annex D tInitialFilterCriteria) into its compiled form: trigger point,
 * SPTs with their regexes compiled once, Application Server.
 *
 * Lenient where the meaning is clear (surrounding whitespace, RegistrationType
 * directly in the SPT instead of its Extension, IncludeRegister* directly in
 * ApplicationServer), strict where guessing would change who gets a call
 * (no ServerName, bad Priority: the profile is refused). A bad SPT (invalid
 * regex, unknown kind, out-of-range value) is kept but never matches.
 */
#include "ifc_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ims/log.h"

bool ifc_xml_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

const xmlNode *ifc_xml_child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if (ifc_xml_is(c, name))
			return c;
	}
	return NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *ifc_xml_text(const xmlNode *n)
{
	xmlChar *raw = xmlNodeGetContent(n);
	const char *s = raw ? (const char *)raw : "";
	size_t len;
	char *out;

	while (is_space(*s))
		s++;
	len = strlen(s);
	while (len && is_space(s[len - 1]))
		len--;
	out = strndup(s, len);
	xmlFree(raw);
	return out;
}

int ifc_xml_int(const xmlNode *n, long min, long max, long *v)
{
	char *s = ifc_xml_text(n), *end;
	int ret = -EBADMSG;

	*v = 0;
	if (!s)
		return -ENOMEM;
	errno = 0;
	*v = strtol(s, &end, 10);
	if (*s && !*end && errno == 0 && *v >= min && *v <= max)
		ret = 0;
	free(s);
	return ret;
}

/* A bounded string from element n into *out; empty or too long: the SPT
 * is broken (logged), not the profile. */
static int spt_string(const xmlNode *n, const char *what, struct ifc_spt *s, char **out)
{
	char *v = ifc_xml_text(n);

	if (!v)
		return -ENOMEM;
	if (!*v || strlen(v) > IFC_MAX_REGEX) {
		log_warn("iFC: SPT %s empty or longer than %d bytes: SPT never matches",
			 what, IFC_MAX_REGEX);
		s->broken = true;
		free(v);
		return 0;
	}
	*out = v;
	return 0;
}

/* A back-reference (\\1..\\9, a glibc extension to ERE) makes matching
 * exponential in the worst case; no trigger needs one. */
static bool has_backref(const char *re)
{
	for (; *re; re++) {
		if (*re != '\\')
			continue;
		if (re[1] >= '1' && re[1] <= '9')
			return true;
		if (re[1])
			re++;
	}
	return false;
}

/* Content regex of RequestURI, SIPHeader, SessionDescription (B.2.2:
 * "regular expression" — POSIX ERE here). */
static int spt_regex(const xmlNode *n, struct ifc_spt *s)
{
	char *re = NULL, err[128];
	int ret = spt_string(n, "regex", s, &re), rc;

	if (ret < 0 || !re)
		return ret;
	if (has_backref(re)) {
		log_warn("iFC: regex \"%s\" uses a back-reference: SPT never matches", re);
		s->broken = true;
		free(re);
		return 0;
	}
	rc = regcomp(&s->re, re, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &s->re, err, sizeof err);
		log_warn("iFC: invalid regex \"%s\" (%s): SPT never matches", re, err);
		s->broken = true;
	} else {
		s->has_regex = true;
	}
	free(re);
	return 0;
}

/* SIPHeader{Header, Content?} or SessionDescription{Line, Content?}. */
static int spt_named(const xmlNode *n, const char *name_elem, struct ifc_spt *s)
{
	const xmlNode *name = ifc_xml_child(n, name_elem);
	const xmlNode *content = ifc_xml_child(n, "Content");
	char canon[128];
	int ret;

	if (!name) {
		log_warn("iFC: SPT without %s: SPT never matches", name_elem);
		s->broken = true;
		return 0;
	}
	ret = spt_string(name, name_elem, s, &s->name);
	if (ret < 0 || !s->name)
		return ret;
	if (s->kind == IFC_SPT_SIP_HEADER) {
		if (!ifc_header_canon(s->name, canon, sizeof canon)) {
			s->broken = true;
			return 0;
		}
		free(s->name); /* a compact form grows: "f" becomes "from" */
		if (!(s->name = strdup(canon)))
			return -ENOMEM;
	}
	return content ? spt_regex(content, s) : 0;
}

static int spt_trigger(const xmlNode *c, struct ifc_spt *s)
{
	long v = 0;

	if (ifc_xml_is(c, "RequestURI")) {
		s->kind = IFC_SPT_REQUEST_URI;
		return spt_regex(c, s);
	}
	if (ifc_xml_is(c, "Method")) {
		s->kind = IFC_SPT_METHOD;
		return spt_string(c, "Method", s, &s->name);
	}
	if (ifc_xml_is(c, "SIPHeader")) {
		s->kind = IFC_SPT_SIP_HEADER;
		return spt_named(c, "Header", s);
	}
	if (ifc_xml_is(c, "SessionDescription")) {
		s->kind = IFC_SPT_SESSION_DESCRIPTION;
		return spt_named(c, "Line", s);
	}
	/* ifc_xml_is(c, "SessionCase"), tDirectionOfRequest 0..4 */
	s->kind = IFC_SPT_SESSION_CASE;
	if (ifc_xml_int(c, IFC_SC_ORIGINATING, IFC_SC_ORIGINATING_CDIV, &v) != 0) {
		log_warn("iFC: SessionCase not in 0..4: SPT never matches");
		s->broken = true;
	}
	s->session_case = (int)v;
	return 0;
}

static bool is_trigger(const xmlNode *c)
{
	return ifc_xml_is(c, "RequestURI") || ifc_xml_is(c, "Method") ||
	       ifc_xml_is(c, "SIPHeader") || ifc_xml_is(c, "SessionCase") ||
	       ifc_xml_is(c, "SessionDescription");
}

/* RegistrationType 0 INITIAL, 1 RE, 2 DE (TS 29.228 B.2.2, Annex F). */
static void spt_reg_type(const xmlNode *c, struct ifc_spt *s)
{
	long v = 0;

	if (ifc_xml_int(c, 0, 2, &v) == 0)
		s->reg_types |= 1u << v;
	else
		log_warn("iFC: RegistrationType not in 0..2: ignored");
}

static int compile_spt(const xmlNode *n, struct ifc_spt *s)
{
	bool seen = false;
	long v = 0;
	int ret;

	for (const xmlNode *c = n->children; c; c = c->next) {
		if (ifc_xml_is(c, "ConditionNegated")) {
			if (ifc_xml_int(c, 0, 1, &v) != 0)
				return -EBADMSG;
			s->negated = v == 1;
		} else if (ifc_xml_is(c, "Group")) {
			if (s->n_groups == IFC_MAX_GROUPS)
				return -E2BIG;
			if (ifc_xml_int(c, 0, 0x7fffffff, &v) != 0)
				return -EBADMSG;
			s->groups[s->n_groups++] = (int)v;
		} else if (is_trigger(c) && !seen) {
			seen = true;
			if ((ret = spt_trigger(c, s)) != 0)
				return ret;
		} else if (ifc_xml_is(c, "RegistrationType")) {
			spt_reg_type(c, s);
		} else if (ifc_xml_is(c, "Extension")) {
			for (const xmlNode *e = c->children; e; e = e->next) {
				if (ifc_xml_is(e, "RegistrationType"))
					spt_reg_type(e, s);
			}
		}
	}
	if (!seen) {
		log_warn("iFC: SPT without a known trigger: SPT never matches");
		s->broken = true;
	}
	if (s->n_groups == 0)
		s->groups[s->n_groups++] = 0; /* Group is mandatory; be tolerant */
	return 0;
}

/* Distinct Group values, in first-seen order (B.2.2 ConditionTypeCNF). */
static int collect_groups(struct ifc_filter_c *f)
{
	f->groups = calloc((size_t)f->n_spts * IFC_MAX_GROUPS, sizeof *f->groups);
	if (!f->groups)
		return -ENOMEM;
	for (unsigned i = 0; i < f->n_spts; i++) {
		for (unsigned g = 0; g < f->spts[i].n_groups; g++) {
			unsigned k = 0;
			while (k < f->n_groups && f->groups[k] != f->spts[i].groups[g])
				k++;
			if (k == f->n_groups)
				f->groups[f->n_groups++] = f->spts[i].groups[g];
		}
	}
	return 0;
}

static int compile_trigger(const xmlNode *tp, struct ifc_filter_c *f)
{
	const xmlNode *cnf = ifc_xml_child(tp, "ConditionTypeCNF");
	unsigned n = 0;
	long v = 0;
	int ret;

	if (cnf && ifc_xml_int(cnf, 0, 1, &v) != 0)
		return -EBADMSG;
	f->cnf = v == 1;
	for (const xmlNode *c = tp->children; c; c = c->next)
		n += ifc_xml_is(c, "SPT");
	if (n > IFC_MAX_SPTS)
		return -E2BIG;
	if (n == 0)
		return 0; /* an empty trigger point constrains nothing */
	f->spts = calloc(n, sizeof *f->spts);
	if (!f->spts)
		return -ENOMEM;
	for (const xmlNode *c = tp->children; c; c = c->next) {
		if (!ifc_xml_is(c, "SPT"))
			continue;
		ret = compile_spt(c, &f->spts[f->n_spts++]);
		if (ret != 0)
			return ret;
	}
	f->pub.has_trigger = true;
	return collect_groups(f);
}

static void as_flags(const xmlNode *n, struct ifc_as *as)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (ifc_xml_is(c, "IncludeRegisterRequest"))
			as->include_register_request = true;
		else if (ifc_xml_is(c, "IncludeRegisterResponse"))
			as->include_register_response = true;
	}
}

/* tApplicationServer: ServerName, DefaultHandling?, ServiceInfo?,
 * Extension{IncludeRegisterRequest?, IncludeRegisterResponse?} (B.2.3). */
static int compile_as(const xmlNode *n, struct ifc_as *as)
{
	const xmlNode *c;
	char *s;
	long v = 0;

	if (!(c = ifc_xml_child(n, "ServerName")))
		return -EBADMSG;
	if (!(s = ifc_xml_text(c)))
		return -ENOMEM;
	as->server_name = s;
	if (!*s || strlen(s) > IFC_MAX_REGEX)
		return -EBADMSG;
	if ((c = ifc_xml_child(n, "DefaultHandling"))) {
		if (ifc_xml_int(c, 0, 1, &v) != 0)
			return -EBADMSG;
		as->default_handling = (enum ifc_default_handling)v;
	}
	if ((c = ifc_xml_child(n, "ServiceInfo"))) {
		if (!(s = ifc_xml_text(c)))
			return -ENOMEM;
		as->service_info = s;
	}
	as_flags(n, as);
	if ((c = ifc_xml_child(n, "Extension")))
		as_flags(c, as);
	return 0;
}

int ifc_compile_filter(const xmlNode *n, struct ifc_filter_c *f)
{
	const xmlNode *c;
	long v = 0;
	int ret;

	f->pub.part = IFC_PART_ANY;
	if (!(c = ifc_xml_child(n, "Priority")) || ifc_xml_int(c, 0, 0x7fffffff, &v) != 0)
		return -EBADMSG;
	f->pub.priority = (int)v;
	if ((c = ifc_xml_child(n, "TriggerPoint")) && (ret = compile_trigger(c, f)) != 0)
		return ret;
	if (!(c = ifc_xml_child(n, "ApplicationServer")))
		return -EBADMSG;
	if ((ret = compile_as(c, &f->pub.as)) != 0)
		return ret;
	if ((c = ifc_xml_child(n, "ProfilePartIndicator"))) {
		if (ifc_xml_int(c, 0, 1, &v) != 0)
			return -EBADMSG;
		f->pub.part = (enum ifc_profile_part)v;
	}
	return 0;
}

void ifc_filter_release(struct ifc_filter_c *f)
{
	for (unsigned i = 0; f->spts && i < f->n_spts; i++) {
		if (f->spts[i].has_regex)
			regfree(&f->spts[i].re);
		free(f->spts[i].name);
	}
	free(f->spts);
	free(f->groups);
	free((char *)f->pub.as.server_name);
	free((char *)f->pub.as.service_info);
}
