/*
 * reg event bodies (RFC 3680 5.3): the reginfo document of a set is valid
 * XML in the reginfo namespace with version and full state, registration
 * and contact states/events as given, stable ids, and every value escaped
 * (a hostile URI cannot inject markup).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "registrar/reg_reginfo.h"

static xmlDoc *parse(const char *xml, size_t len)
{
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "reginfo.xml", NULL, XML_PARSE_NONET);

	assert_non_null(doc);
	return doc;
}

static xmlNode *child(xmlNode *n, const char *name, int nth)
{
	for (n = n->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 &&
		    nth-- == 0)
			return n;
	return NULL;
}

static void assert_attr(xmlNode *n, const char *name, const char *want)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);

	assert_non_null(v);
	assert_string_equal((const char *)v, want);
	xmlFree(v);
}

static void test_reginfo_lists_every_impu_with_contacts(void **state)
{
	const struct reginfo_contact cs[] = {
		{ .uri = "sip:ue@10.0.0.1:5060", .active = true, .event = "registered",
		  .expires = 600, .call_id = "c1", .cseq = 2, .instance = "<urn:uuid:1>" },
		{ .uri = "sip:old@10.0.0.2", .active = false, .event = "unregistered",
		  .expires = 0 },
	};
	const struct reginfo_registration regs[] = {
		{ .aor = "sip:alice@open-ims.test", .active = true, .contacts = cs,
		  .n_contacts = 2 },
		{ .aor = "tel:+4930100001", .active = true, .contacts = cs, .n_contacts = 2 },
	};
	char *xml = NULL;
	size_t len;
	xmlDoc *doc;
	xmlNode *root, *r0, *r1, *c0, *c1;

	(void)state;
	assert_int_equal(reginfo_write(3, regs, 2, &xml, &len), 0);
	doc = parse(xml, len);
	root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "reginfo");
	assert_string_equal((const char *)root->ns->href, "urn:ietf:params:xml:ns:reginfo");
	assert_attr(root, "version", "3");
	assert_attr(root, "state", "full");
	r0 = child(root, "registration", 0);
	r1 = child(root, "registration", 1);
	assert_non_null(r0);
	assert_non_null(r1);
	assert_null(child(root, "registration", 2));
	assert_attr(r0, "aor", "sip:alice@open-ims.test");
	assert_attr(r0, "state", "active");
	assert_attr(r1, "aor", "tel:+4930100001");
	c0 = child(r0, "contact", 0);
	c1 = child(r0, "contact", 1);
	assert_attr(c0, "state", "active");
	assert_attr(c0, "event", "registered");
	assert_attr(c0, "expires", "600");
	assert_attr(c0, "callid", "c1");
	{
		xmlChar *u = xmlNodeGetContent(child(c0, "uri", 0));

		assert_non_null(u);
		assert_string_equal((const char *)u, "sip:ue@10.0.0.1:5060");
		xmlFree(u);
	}
	assert_attr(c1, "state", "terminated");
	assert_attr(c1, "event", "unregistered");
	/* The same contact has the same id under both registrations. */
	{
		xmlChar *a = xmlGetProp(c0, (const xmlChar *)"id");
		xmlChar *b = xmlGetProp(child(r1, "contact", 0), (const xmlChar *)"id");
		xmlChar *c = xmlGetProp(c1, (const xmlChar *)"id");

		assert_string_equal((const char *)a, (const char *)b);
		assert_string_not_equal((const char *)a, (const char *)c);
		xmlFree(a);
		xmlFree(b);
		xmlFree(c);
	}
	xmlFreeDoc(doc);
	free(xml);
}

static void test_reginfo_escapes_hostile_values(void **state)
{
	const struct reginfo_contact c = { .uri = "sip:x@h;a=\"<b>&</reginfo>", .active = false,
					   .event = "rejected", .expires = -1 };
	const struct reginfo_registration r = { .aor = "sip:a&b@h\"<", .active = false,
						.contacts = &c, .n_contacts = 1 };
	char *xml = NULL;
	size_t len;
	xmlDoc *doc;
	xmlNode *reg, *con;
	xmlChar *uri;

	(void)state;
	assert_int_equal(reginfo_write(0, &r, 1, &xml, &len), 0);
	assert_null(strstr(xml, "</reginfo>\"")); /* not injected raw */
	doc = parse(xml, len);
	reg = child(xmlDocGetRootElement(doc), "registration", 0);
	assert_attr(reg, "aor", "sip:a&b@h\"<");
	assert_attr(reg, "state", "terminated");
	con = child(reg, "contact", 0);
	assert_null(xmlGetProp(con, (const xmlChar *)"expires"));
	uri = xmlNodeGetContent(child(con, "uri", 0));
	assert_string_equal((const char *)uri, "sip:x@h;a=\"<b>&</reginfo>");
	xmlFree(uri);
	xmlFreeDoc(doc);
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reginfo_lists_every_impu_with_contacts),
		cmocka_unit_test(test_reginfo_escapes_hostile_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
