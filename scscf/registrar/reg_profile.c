/* reg_profile: see reg_profile.h for the contract. */
#include "reg_profile.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <openssl/evp.h>

#include "ifc/ifc.h"
#include "ifc/ifc_shared.h"
#include "ims/log.h"
#include "reg_ifc_cache.h"

/* The shared iFC sets profiles are compiled with (reg_profile_use_shared_sets),
 * and a generation that changes with them: part of the cache key, so a
 * profile compiled with other sets is never reused. */
static const struct ifc_shared_table *shared_table;
static unsigned shared_generation;

void reg_profile_use_shared_sets(const struct ifc_shared_table *t)
{
	if (t != shared_table)
		shared_generation++;
	shared_table = t;
}

static void xml_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static bool is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The text directly inside an element (text and CDATA children only, never
 * entity references), trimmed; NULL when empty or on allocation failure. */
static char *elem_text(const xmlNode *e)
{
	size_t len = 0, s, n;
	const xmlNode *c;
	char *buf, *p;

	for (c = e->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			len += strlen((const char *)c->content);
	buf = malloc(len + 1);
	if (!buf)
		return NULL;
	p = buf;
	for (c = e->children; c; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			n = strlen((const char *)c->content);
			memcpy(p, c->content, n);
			p += n;
		}
	}
	*p = '\0';
	for (s = 0; buf[s] == ' ' || buf[s] == '\t' || buf[s] == '\r' || buf[s] == '\n'; s++)
		;
	n = strlen(buf + s);
	while (n && (buf[s + n - 1] == ' ' || buf[s + n - 1] == '\t' ||
		     buf[s + n - 1] == '\r' || buf[s + n - 1] == '\n'))
		n--;
	if (n == 0) {
		free(buf);
		return NULL;
	}
	memmove(buf, buf + s, n);
	buf[n] = '\0';
	return buf;
}

static int add_identity(struct reg_profile *p, const xmlNode *pi, unsigned sp)
{
	const xmlNode *c;
	char *uri = NULL, *bar = NULL;
	bool barred = false;

	for (c = pi->children; c; c = c->next) {
		if (is_elem(c, "Identity") && !uri)
			uri = elem_text(c);
		else if (is_elem(c, "BarringIndication") && !bar)
			bar = elem_text(c);
	}
	if (bar)
		barred = strcmp(bar, "1") == 0 || strcasecmp(bar, "true") == 0;
	free(bar);
	if (!uri)
		return -EBADMSG;
	if (p->n_ids >= REG_PROFILE_MAX_IDENTITIES) {
		free(uri);
		return -E2BIG;
	}
	p->ids[p->n_ids].uri = uri;
	p->ids[p->n_ids].barred = barred;
	p->ids[p->n_ids].profile = sp;
	p->n_ids++;
	return 0;
}

/* The InitialFilterCriteria elements of one ServiceProfile, serialised in
 * order and concatenated (NULL when the profile has none). */
static int dump_ifcs(xmlDoc *doc, const xmlNode *spn, char **out)
{
	xmlBuffer *buf = NULL;
	const xmlNode *c;
	int rc = 0;

	*out = NULL;
	for (c = spn->children; c; c = c->next) {
		if (!is_elem(c, "InitialFilterCriteria"))
			continue;
		if (!buf && !(buf = xmlBufferCreate()))
			return -ENOMEM;
		if (xmlNodeDump(buf, doc, (xmlNode *)c, 0, 0) < 0) {
			rc = -ENOMEM;
			goto out;
		}
	}
	if (buf) {
		*out = strdup((const char *)xmlBufferContent(buf));
		if (!*out)
			rc = -ENOMEM;
	}
out:
	if (buf)
		xmlBufferFree(buf);
	return rc;
}

/* Names the digest below in persisted keys (reg_profile_restore): a
 * future change of the walk or the hash changes it. */
#define KEY_SCHEME "t1:"

/* The token stream of a ServiceProfile, hashed once at the end (one
 * digest call per profile: per-token digest updates cost more than the
 * tree walk). */
struct key_buf {
	unsigned char *p;
	size_t len, cap;
	unsigned char first[4096];
};

/* Appends one length-prefixed token (type byte, 32-bit length, bytes), so
 * that no two different trees give the same stream. */
static bool key_put(struct key_buf *k, char type, const xmlChar *s)
{
	size_t n = s ? strlen((const char *)s) : 0;

	if (n > UINT32_MAX)
		return false;
	if (k->len + 5 + n > k->cap) {
		size_t cap = (k->cap + 5 + n) * 2;
		unsigned char *q = k->p == k->first ? malloc(cap) : realloc(k->p, cap);

		if (!q)
			return false;
		if (k->p == k->first)
			memcpy(q, k->first, k->len);
		k->p = q;
		k->cap = cap;
	}
	k->p[k->len++] = (unsigned char)type;
	k->p[k->len++] = (unsigned char)(n >> 24);
	k->p[k->len++] = (unsigned char)(n >> 16);
	k->p[k->len++] = (unsigned char)(n >> 8);
	k->p[k->len++] = (unsigned char)n;
	if (n)
		memcpy(k->p + k->len, s, n);
	k->len += n;
	return true;
}

static bool key_list(struct key_buf *k, const xmlNode *n, unsigned depth);

/* One node: an element (namespace, name, attributes, then its children
 * between '(' and ')'), text, CDATA or an entity reference (kept, not
 * substituted: see reg_profile_parse). Comments and processing
 * instructions carry no meaning for iFCs and are skipped. */
static bool key_node(struct key_buf *k, const xmlNode *n, unsigned depth)
{
	const xmlAttr *a;

	if (depth > 256)
		return false; /* libxml2 bounds the depth already */
	switch (n->type) {
	case XML_ELEMENT_NODE:
		if (!key_put(k, 'e', n->ns ? n->ns->href : NULL) || !key_put(k, 'n', n->name))
			return false;
		for (a = n->properties; a; a = a->next)
			if (!key_put(k, 'a', a->ns ? a->ns->href : NULL) ||
			    !key_put(k, 'n', a->name) || !key_list(k, a->children, depth + 1))
				return false;
		return key_put(k, '(', NULL) && key_list(k, n->children, depth + 1) &&
		       key_put(k, ')', NULL);
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		return key_put(k, 't', n->content);
	case XML_ENTITY_REF_NODE:
		return key_put(k, 'r', n->name);
	default:
		return true;
	}
}

/* n and its following siblings, in document order. */
static bool key_list(struct key_buf *k, const xmlNode *n, unsigned depth)
{
	for (; n; n = n->next)
		if (!key_node(k, n, depth))
			return false;
	return true;
}

/* The cache key of a ServiceProfile: the shared set generation and a
 * SHA-256 of every child element but the PublicIdentities (whitespace
 * between them left out), walked in the parsed tree: two profiles have
 * the same key only if they are the same tree. Hashing the tree, not its
 * serialisation, halves the cost of a registration's profile (it
 * dominated the reload of 100 000 sets). */
static char *profile_key(const xmlNode *spn)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dlen = 0, i;
	struct key_buf k;
	const xmlNode *c;
	char *out = NULL;
	bool ok = true;
	int at;

	k.p = k.first;
	k.len = 0;
	k.cap = sizeof k.first;
	for (c = spn->children; ok && c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !is_elem(c, "PublicIdentity"))
			ok = key_node(&k, c, 0);
	if (ok && EVP_Digest(k.p, k.len, d, &dlen, EVP_sha256(), NULL) &&
	    (out = malloc(16 + sizeof KEY_SCHEME + 2 * dlen))) {
		at = snprintf(out, 16 + sizeof KEY_SCHEME, "%u|" KEY_SCHEME, shared_generation);
		for (i = 0; i < dlen; i++)
			at += snprintf(out + at, 3, "%02x", d[i]);
	}
	if (k.p != k.first)
		free(k.p);
	return out;
}

/* The iFCs of ServiceProfile sp, compiled once per distinct profile
 * (TS 29.228 B.2.2) from the whole document, so that the profile's
 * SharedIFCSetIDs (B.2.1 Extension) are merged in from the local table
 * (ifc_shared.h). A profile without iFCs keeps NULL. An iFC set that does
 * not compile is logged and left out (the user keeps the other profiles
 * and registration). */
static int share_ifcs(struct reg_profile *p, xmlDoc *doc, const xmlNode *spn, unsigned sp,
		      const char *xml, size_t len)
{
	struct ifc_shared_sets sets = ifc_shared_table_sets(shared_table);
	struct reg_ifc_entry *e;
	struct ifc_profile *ifc = NULL;
	char *key = profile_key(spn), *ifc_xml = NULL;
	int rc;

	if (!key)
		return -ENOMEM;
	e = reg_ifc_cache_find(key);
	if (!e) {
		rc = dump_ifcs(doc, spn, &ifc_xml);
		if (rc < 0) {
			free(key);
			return rc;
		}
		rc = ifc_profile_parse_shared(xml, len, sp, &sets, &ifc);
		if (rc == -ENOMEM) {
			free(key);
			free(ifc_xml);
			return rc;
		}
		if (rc < 0)
			log_warn("iFCs of ServiceProfile %u of %s unusable: %s", sp,
				 p->private_id ? p->private_id : "-", strerror(-rc));
		if (rc == 0 && ifc_profile_count(ifc) == 0) {
			ifc_profile_free(ifc);
			ifc = NULL;
		}
		rc = reg_ifc_cache_add(key, ifc_xml, rc == 0 ? ifc : NULL, &e);
		if (rc < 0) {
			free(key);
			return rc;
		}
	}
	free(key);
	p->ifc_ref[sp] = e;
	p->ifc_xml[sp] = e->ifc_xml;
	p->ifc[sp] = e->ifc;
	return 0;
}

static int read_service_profile(struct reg_profile *p, xmlDoc *doc, const xmlNode *spn,
				const char *xml, size_t len)
{
	unsigned sp = (unsigned)p->n_profiles;
	const xmlNode *c;
	size_t before = p->n_ids;
	int rc;

	if (p->n_profiles >= REG_PROFILE_MAX_PROFILES)
		return -E2BIG;
	for (c = spn->children; c; c = c->next) {
		if (is_elem(c, "PublicIdentity")) {
			rc = add_identity(p, c, sp);
			if (rc < 0)
				return rc;
		}
	}
	if (p->n_ids == before)
		return -EBADMSG; /* TS 29.228 B.2.2: one or more PublicIdentity */
	p->n_profiles++; /* from here on freed with the profile */
	return share_ifcs(p, doc, spn, sp, xml, len);
}

static int read_subscription(struct reg_profile *p, xmlDoc *doc, const char *xml, size_t len)
{
	const xmlNode *root = xmlDocGetRootElement(doc), *c;
	int rc;

	if (!root || !is_elem(root, "IMSSubscription"))
		return -EBADMSG;
	for (c = root->children; c; c = c->next) {
		if (is_elem(c, "PrivateID") && !p->private_id) {
			p->private_id = elem_text(c);
			if (!p->private_id)
				return -EBADMSG;
		} else if (is_elem(c, "ServiceProfile")) {
			rc = read_service_profile(p, doc, c, xml, len);
			if (rc < 0)
				return rc;
		}
	}
	if (!p->private_id || p->n_profiles == 0)
		return -EBADMSG;
	return 0;
}

int reg_profile_parse(const char *xml, size_t len, struct reg_profile **out)
{
	struct reg_profile *p = NULL;
	xmlDoc *doc = NULL;
	int rc;

	if (!xml || !out)
		return -EINVAL;
	*out = NULL;
	if (len > REG_PROFILE_MAX_XML || len > (size_t)INT32_MAX)
		return -E2BIG;
	xmlSetGenericErrorFunc(NULL, xml_silent);
	/* NONET, never NOENT nor DTDLOAD: no entity is substituted, nothing is
	 * fetched (see the shared notes, libxml2). */
	doc = xmlReadMemory(xml, (int)len, "user-data.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			    XML_PARSE_COMPACT);
	if (!doc)
		return -EBADMSG;
	if (doc->intSubset || doc->extSubset) {
		rc = -EBADMSG;
		goto out;
	}
	p = calloc(1, sizeof *p);
	if (p) {
		p->ids = calloc(REG_PROFILE_MAX_IDENTITIES, sizeof *p->ids);
		p->ifc_xml = calloc(REG_PROFILE_MAX_PROFILES, sizeof *p->ifc_xml);
		p->ifc = calloc(REG_PROFILE_MAX_PROFILES, sizeof *p->ifc);
		p->ifc_ref = calloc(REG_PROFILE_MAX_PROFILES, sizeof *p->ifc_ref);
	}
	if (!p || !p->ids || !p->ifc_xml || !p->ifc || !p->ifc_ref) {
		rc = -ENOMEM;
		goto out;
	}
	rc = read_subscription(p, doc, xml, len);
	if (rc < 0)
		goto out;
	/* Shrink to what is used: a registered user should cost little. */
	{
		struct reg_identity *ids = realloc(p->ids, p->n_ids * sizeof *ids);
		char **ifc_xml = realloc(p->ifc_xml, p->n_profiles * sizeof *ifc_xml);
		struct ifc_profile **ifc = realloc(p->ifc, p->n_profiles * sizeof *ifc);
		struct reg_ifc_entry **ref = realloc(p->ifc_ref, p->n_profiles * sizeof *ref);

		if (ids)
			p->ids = ids;
		if (ifc_xml)
			p->ifc_xml = ifc_xml;
		if (ifc)
			p->ifc = ifc;
		if (ref)
			p->ifc_ref = ref;
	}
	p->xml = malloc(len + 1);
	if (!p->xml) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(p->xml, xml, len);
	p->xml[len] = '\0';
	p->xml_len = len;
	*out = p;
	p = NULL;
out:
	reg_profile_free(p);
	xmlFreeDoc(doc);
	return rc;
}

void reg_profile_free(struct reg_profile *p)
{
	size_t i;

	if (!p)
		return;
	free(p->private_id);
	free(p->xml);
	if (p->ids)
		for (i = 0; i < p->n_ids; i++)
			free(p->ids[i].uri);
	free(p->ids);
	for (i = 0; i < p->n_profiles; i++) {
		if (p->ifc_ref && p->ifc_ref[i]) {
			reg_ifc_cache_put(p->ifc_ref[i]); /* shared: not ours to free */
			continue;
		}
		if (p->ifc_xml)
			free(p->ifc_xml[i]);
		if (p->ifc)
			ifc_profile_free(p->ifc[i]);
	}
	free(p->ifc_xml);
	free(p->ifc);
	free(p->ifc_ref);
	free(p);
}

const char *reg_profile_key_digest(const struct reg_profile *p, unsigned sp)
{
	const char *bar;

	if (!p || sp >= p->n_profiles || !p->ifc_ref || !p->ifc_ref[sp])
		return NULL;
	bar = strchr(p->ifc_ref[sp]->key, '|');
	return bar ? bar + 1 : NULL;
}

/* A copy of what reg_profile_parse would have built from the same
 * document, from its parts; the compiled iFCs looked up by digest. */
int reg_profile_restore(const char *xml, size_t len, const char *private_id,
			const struct reg_identity *ids, size_t n_ids, const char *const *digests,
			size_t n_profiles, struct reg_profile **out)
{
	struct reg_profile *p;
	bool used[REG_PROFILE_MAX_PROFILES] = { false };
	char key[16 + 128];
	size_t i;
	int rc = -ENOMEM;

	*out = NULL;
	if (!xml || !private_id || !ids || !digests || n_ids == 0 || n_profiles == 0 ||
	    n_ids > REG_PROFILE_MAX_IDENTITIES || n_profiles > REG_PROFILE_MAX_PROFILES ||
	    len > REG_PROFILE_MAX_XML)
		return -EINVAL;
	for (i = 0; i < n_ids; i++) {
		if (!ids[i].uri || ids[i].profile >= n_profiles)
			return -EINVAL;
		used[ids[i].profile] = true;
	}
	for (i = 0; i < n_profiles; i++)
		if (!used[i] || !digests[i] || strncmp(digests[i], KEY_SCHEME, strlen(KEY_SCHEME)) ||
		    strlen(digests[i]) > 120)
			return -EINVAL; /* each ServiceProfile has an identity (B.2.2) */
	p = calloc(1, sizeof *p);
	if (!p)
		return -ENOMEM;
	p->ids = calloc(n_ids, sizeof *p->ids);
	p->ifc_xml = calloc(n_profiles, sizeof *p->ifc_xml);
	p->ifc = calloc(n_profiles, sizeof *p->ifc);
	p->ifc_ref = calloc(n_profiles, sizeof *p->ifc_ref);
	p->private_id = strdup(private_id);
	p->xml = malloc(len + 1);
	if (!p->ids || !p->ifc_xml || !p->ifc || !p->ifc_ref || !p->private_id || !p->xml)
		goto fail;
	memcpy(p->xml, xml, len);
	p->xml[len] = '\0';
	p->xml_len = len;
	for (; p->n_ids < n_ids; p->n_ids++) {
		p->ids[p->n_ids] = ids[p->n_ids];
		p->ids[p->n_ids].uri = strdup(ids[p->n_ids].uri);
		if (!p->ids[p->n_ids].uri)
			goto fail;
	}
	for (; p->n_profiles < n_profiles; p->n_profiles++) {
		struct reg_ifc_entry *e;

		snprintf(key, sizeof key, "%u|%s", shared_generation, digests[p->n_profiles]);
		e = reg_ifc_cache_find(key);
		if (!e) {
			rc = -ENOENT;
			goto fail;
		}
		p->ifc_ref[p->n_profiles] = e;
		p->ifc_xml[p->n_profiles] = e->ifc_xml;
		p->ifc[p->n_profiles] = e->ifc;
	}
	*out = p;
	return 0;
fail:
	reg_profile_free(p);
	return rc;
}

int reg_profile_find(const struct reg_profile *p, const char *uri)
{
	size_t i;

	for (i = 0; p && uri && i < p->n_ids; i++)
		if (strcmp(p->ids[i].uri, uri) == 0)
			return (int)i;
	return -1;
}
