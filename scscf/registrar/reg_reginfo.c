/* reg_reginfo: see reg_reginfo.h for the contract. */
#include "reg_reginfo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#define RI_NS "urn:ietf:params:xml:ns:reginfo"

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

#define W(call) do { if ((call) < 0) return -ENOMEM; } while (0)

static int write_contact(xmlTextWriterPtr w, const struct reginfo_contact *c)
{
	char id[16];

	snprintf(id, sizeof id, "c%08x", fnv1a(c->uri));
	W(xmlTextWriterStartElement(w, BAD_CAST "contact"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST id));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "state",
				      BAD_CAST(c->active ? "active" : "terminated")));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "event", BAD_CAST c->event));
	if (c->expires >= 0)
		W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "expires", "%lld", c->expires));
	if (c->call_id) {
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "callid", BAD_CAST c->call_id));
		W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "cseq", "%u", (unsigned)c->cseq));
	}
	W(xmlTextWriterWriteElement(w, BAD_CAST "uri", BAD_CAST c->uri));
	if (c->instance) {
		/* RFC 3680 5.3: contact parameters as unknown-param. */
		W(xmlTextWriterStartElement(w, BAD_CAST "unknown-param"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "+sip.instance"));
		W(xmlTextWriterWriteString(w, BAD_CAST c->instance));
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterEndElement(w));
	return 0;
}

static int write_registration(xmlTextWriterPtr w, const struct reginfo_registration *r)
{
	char id[16];
	size_t i;
	int rc;

	snprintf(id, sizeof id, "r%08x", fnv1a(r->aor));
	W(xmlTextWriterStartElement(w, BAD_CAST "registration"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "aor", BAD_CAST r->aor));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST id));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "state",
				      BAD_CAST(r->active ? "active" : "terminated")));
	for (i = 0; i < r->n_contacts; i++)
		if ((rc = write_contact(w, &r->contacts[i])) < 0)
			return rc;
	W(xmlTextWriterEndElement(w));
	return 0;
}

static int write_doc(xmlTextWriterPtr w, unsigned version,
		     const struct reginfo_registration *regs, size_t n)
{
	size_t i;
	int rc;

	W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
	W(xmlTextWriterStartElement(w, BAD_CAST "reginfo"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST RI_NS));
	W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "version", "%u", version));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "state", BAD_CAST "full"));
	for (i = 0; i < n; i++)
		if ((rc = write_registration(w, &regs[i])) < 0)
			return rc;
	W(xmlTextWriterEndDocument(w));
	return 0;
}

int reginfo_write(unsigned version, const struct reginfo_registration *regs, size_t n,
		  char **out, size_t *len)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = NULL;
	int rc = -ENOMEM;

	*out = NULL;
	if (!buf)
		return -ENOMEM;
	w = xmlNewTextWriterMemory(buf, 0);
	if (!w)
		goto out;
	rc = write_doc(w, version, regs, n);
	xmlFreeTextWriter(w); /* flushes into buf */
	if (rc < 0)
		goto out;
	*len = (size_t)xmlBufferLength(buf);
	*out = malloc(*len + 1);
	if (!*out) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(*out, xmlBufferContent(buf), *len + 1);
out:
	xmlBufferFree(buf);
	return rc;
}
