/* reginfo: see reginfo.h for the contract. */
#include "reginfo.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static bool named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static bool attr_is(xmlNode *n, const char *attr, const char *value)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
	bool eq = v && strcmp((const char *)v, value) == 0;

	xmlFree(v);
	return eq;
}

/* RFC 3680 5.4: <contact state="terminated"><uri>...</uri></contact>. */
static bool contact_terminated(xmlNode *reg_el, const struct reg *reg)
{
	for (xmlNode *c = reg_el->children; c; c = c->next) {
		if (!named(c, "contact") || !attr_is(c, "state", "terminated"))
			continue;
		for (xmlNode *u = c->children; u; u = u->next) {
			xmlChar *uri;
			bool match;

			if (!named(u, "uri"))
				continue;
			uri = xmlNodeGetContent(u);
			match = uri && reg_contact_match((const char *)uri, reg->contact);
			xmlFree(uri);
			if (match)
				return true;
		}
	}
	return false;
}

int reginfo_terminates(const char *body, size_t len, const struct reg *reg)
{
	xmlDoc *doc;
	xmlNode *root;
	int rc = 0;

	if (!body || len == 0 || len > INT_MAX || !reg)
		return -EBADMSG;
	/* No XML_PARSE_NOENT: entities stay unexpanded (see the shared notes). */
	doc = xmlReadMemory(body, (int)len, "reginfo.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return -EBADMSG;
	root = xmlDocGetRootElement(doc);
	if (!root || !named(root, "reginfo")) {
		rc = -EBADMSG;
		goto out;
	}
	for (xmlNode *r = root->children; r && rc == 0; r = r->next) {
		xmlChar *aor;

		if (!named(r, "registration"))
			continue;
		aor = xmlGetProp(r, (const xmlChar *)"aor");
		if (aor && reg_has_impu(reg, (const char *)aor) &&
		    (attr_is(r, "state", "terminated") || contact_terminated(r, reg)))
			rc = 1;
		xmlFree(aor);
	}
out:
	xmlFreeDoc(doc);
	return rc;
}
