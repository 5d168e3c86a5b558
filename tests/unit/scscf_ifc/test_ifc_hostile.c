/*
 * Hostile and broken iFC documents: not well-formed, DTDs with entity
 * expansion bombs or external entities, deep nesting, over-size documents
 * and counts, invalid regexes (kept but never matching), missing mandatory
 * elements, binary garbage, and every truncation of a valid document.
 * Each must return an error or a safe profile, never crash or leak (ASan).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifc.h"

#define AS "<ApplicationServer><ServerName>sip:as.test</ServerName></ApplicationServer>"

static int parse(const char *xml, size_t len, struct ifc_profile **p)
{
	int ret = ifc_profile_parse(xml, len, 0, p);

	if (ret != 0)
		assert_null(*p);
	return ret;
}

static int parse_str(const char *xml)
{
	struct ifc_profile *p = NULL;
	int ret = parse(xml, strlen(xml), &p);

	ifc_profile_free(p);
	return ret;
}

static void test_hostile_not_well_formed(void **state)
{
	(void)state;
	assert_int_equal(parse_str("<IMSSubscription><ServiceProfile>"), -EBADMSG);
	assert_int_equal(parse_str("<IMSSubscription></ServiceProfile>"), -EBADMSG);
	assert_int_equal(parse_str("<InitialFilterCriteria><Priority>1</Priority>" AS), -EBADMSG);
	assert_int_equal(parse_str(""), -EBADMSG);
	assert_int_equal(parse_str("not xml at all"), -EBADMSG);
	assert_int_equal(parse_str("<Other/>"), -EBADMSG);
}

static void test_hostile_billion_laughs_refused(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE IMSSubscription [\n"
		" <!ENTITY a \"aaaaaaaaaa\">\n"
		" <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		" <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		" <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
		" <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
		" <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
		" <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
		"]>\n"
		"<IMSSubscription><ServiceProfile><InitialFilterCriteria><Priority>1</Priority>"
		"<ApplicationServer><ServerName>&g;</ServerName></ApplicationServer>"
		"</InitialFilterCriteria></ServiceProfile></IMSSubscription>";

	(void)state;
	assert_int_equal(parse_str(xml), -EBADMSG);
}

static void test_hostile_external_entity_refused(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE r [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n"
		"<ServiceProfile><InitialFilterCriteria><Priority>1</Priority>"
		"<ApplicationServer><ServerName>sip:&xxe;</ServerName></ApplicationServer>"
		"</InitialFilterCriteria></ServiceProfile>";
	static const char ext_dtd[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE ServiceProfile SYSTEM \"http://198.51.100.1/evil.dtd\">\n"
		"<ServiceProfile/>";

	(void)state;
	assert_int_equal(parse_str(xml), -EBADMSG);
	assert_int_equal(parse_str(ext_dtd), -EBADMSG);
}

/* 20000 nested elements inside an iFC: libxml2's depth limit refuses it. */
static void test_hostile_deep_nesting(void **state)
{
	enum { DEPTH = 20000 };
	static const char head[] = "<ServiceProfile><InitialFilterCriteria><Priority>1</Priority>";
	static const char tail[] = AS "</InitialFilterCriteria></ServiceProfile>";
	size_t cap = sizeof head + sizeof tail + DEPTH * 7;
	char *xml = malloc(cap), *w = xml;
	struct ifc_profile *p = NULL;
	int ret;

	(void)state;
	assert_non_null(xml);
	w += sprintf(w, "%s", head);
	for (int i = 0; i < DEPTH; i++)
		w += sprintf(w, "<x>");
	for (int i = 0; i < DEPTH; i++)
		w += sprintf(w, "</x>");
	w += sprintf(w, "%s", tail);
	ret = parse(xml, (size_t)(w - xml), &p);
	assert_true(ret == -EBADMSG || ret == -E2BIG);
	ifc_profile_free(p);
	free(xml);
}

static void test_hostile_oversize_document(void **state)
{
	size_t len = IFC_MAX_XML + 1;
	char *xml = malloc(len);
	struct ifc_profile *p = NULL;

	(void)state;
	assert_non_null(xml);
	memset(xml, ' ', len);
	memcpy(xml, "<ServiceProfile>", 16);
	assert_int_equal(parse(xml, len, &p), -E2BIG);
	free(xml);
}

static void test_hostile_too_many_ifcs_and_spts(void **state)
{
	char *xml = malloc(64 * 1024), *w;
	struct ifc_profile *p = NULL;

	(void)state;
	assert_non_null(xml);
	w = xml + sprintf(xml, "<ServiceProfile>");
	for (int i = 0; i <= IFC_MAX_FILTERS; i++)
		w += sprintf(w, "<InitialFilterCriteria><Priority>%d</Priority>" AS
			     "</InitialFilterCriteria>", i);
	w += sprintf(w, "</ServiceProfile>");
	assert_int_equal(parse(xml, (size_t)(w - xml), &p), -E2BIG);

	w = xml + sprintf(xml, "<InitialFilterCriteria><Priority>0</Priority><TriggerPoint>"
			  "<ConditionTypeCNF>1</ConditionTypeCNF>");
	for (int i = 0; i <= IFC_MAX_SPTS; i++)
		w += sprintf(w, "<SPT><ConditionNegated>0</ConditionNegated><Group>%d</Group>"
			     "<Method>INVITE</Method></SPT>", i);
	w += sprintf(w, "</TriggerPoint>" AS "</InitialFilterCriteria>");
	assert_int_equal(parse(xml, (size_t)(w - xml), &p), -E2BIG);
	free(xml);
}

/* An invalid or over-long regex: logged, that SPT never matches (negated
 * or not), the rest of the profile still works. */
static void test_hostile_invalid_regex_never_matches(void **state)
{
	char xml[4096], longre[IFC_MAX_REGEX + 2];
	struct ifc_profile *p = NULL;
	struct ifc_request req = { .method = "INVITE", .request_uri = "sip:a(b@x" };
	struct ifc_context ctx = { IFC_SC_ORIGINATING, IFC_USER_REGISTERED };
	const struct ifc_filter *f;
	int n;

	(void)state;
	memset(longre, 'a', sizeof longre - 1);
	longre[sizeof longre - 1] = '\0';
	n = snprintf(xml, sizeof xml,
		"<ServiceProfile>"
		"<InitialFilterCriteria><Priority>1</Priority><TriggerPoint><ConditionTypeCNF>0</ConditionTypeCNF>"
		"<SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><RequestURI>a(b</RequestURI></SPT>"
		"</TriggerPoint>" AS "</InitialFilterCriteria>"
		"<InitialFilterCriteria><Priority>2</Priority><TriggerPoint><ConditionTypeCNF>0</ConditionTypeCNF>"
		"<SPT><ConditionNegated>1</ConditionNegated><Group>0</Group>"
		"<SIPHeader><Header>To</Header><Content>[z-a]</Content></SIPHeader></SPT>"
		"</TriggerPoint>" AS "</InitialFilterCriteria>"
		"<InitialFilterCriteria><Priority>3</Priority><TriggerPoint><ConditionTypeCNF>0</ConditionTypeCNF>"
		"<SPT><ConditionNegated>1</ConditionNegated><Group>0</Group><RequestURI>%s</RequestURI></SPT>"
		"</TriggerPoint>" AS "</InitialFilterCriteria>"
		"<InitialFilterCriteria><Priority>4</Priority><TriggerPoint><ConditionTypeCNF>0</ConditionTypeCNF>"
		"<SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><SessionCase>9</SessionCase></SPT>"
		"<SPT><ConditionNegated>0</ConditionNegated><Group>1</Group><Method>INVITE</Method></SPT>"
		"</TriggerPoint>"
		"<ApplicationServer><ServerName>sip:ok.test</ServerName></ApplicationServer>"
		"</InitialFilterCriteria></ServiceProfile>", longre);
	assert_true(n > 0 && (size_t)n < sizeof xml);
	assert_int_equal(parse(xml, (size_t)n, &p), 0);
	assert_int_equal(ifc_profile_count(p), 4);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(ifc_trigger_matches(p, i, &req, IFC_SC_ORIGINATING), 0);
	/* DNF: the broken SessionCase group fails, the INVITE group matches */
	assert_int_equal(ifc_next(p, &req, &ctx, IFC_START, &f), 3);
	assert_string_equal(f->as.server_name, "sip:ok.test");
	ifc_profile_free(p);
}

/* Back-references are refused (worst case exponential); an escaped
 * backslash followed by a digit is an ordinary regex. */
static void test_hostile_regex_backreference_refused(void **state)
{
	static const char xml[] =
		"<ServiceProfile>"
		"<InitialFilterCriteria><Priority>1</Priority><TriggerPoint><ConditionTypeCNF>0</ConditionTypeCNF>"
		"<SPT><ConditionNegated>0</ConditionNegated><Group>0</Group>"
		"<RequestURI>^sip:(a+)+\\1$</RequestURI></SPT></TriggerPoint>" AS "</InitialFilterCriteria>"
		"<InitialFilterCriteria><Priority>2</Priority><TriggerPoint><ConditionTypeCNF>0</ConditionTypeCNF>"
		"<SPT><ConditionNegated>0</ConditionNegated><Group>0</Group>"
		"<RequestURI>^sip:a\\\\1$</RequestURI></SPT></TriggerPoint>" AS "</InitialFilterCriteria>"
		"</ServiceProfile>";
	struct ifc_profile *p = NULL;
	struct ifc_request aa = { .method = "INVITE", .request_uri = "sip:aa" };
	struct ifc_request bs = { .method = "INVITE", .request_uri = "sip:a\\1" };

	(void)state;
	assert_int_equal(parse(xml, sizeof xml - 1, &p), 0);
	assert_int_equal(ifc_trigger_matches(p, 0, &aa, IFC_SC_ORIGINATING), 0);
	assert_int_equal(ifc_trigger_matches(p, 1, &bs, IFC_SC_ORIGINATING), 1);
	assert_int_equal(ifc_trigger_matches(p, 1, &aa, IFC_SC_ORIGINATING), 0);
	ifc_profile_free(p);
}

static void test_hostile_missing_mandatory_elements(void **state)
{
	(void)state;
	/* no ServerName */
	assert_int_equal(parse_str("<InitialFilterCriteria><Priority>1</Priority>"
				   "<ApplicationServer/></InitialFilterCriteria>"), -EBADMSG);
	/* empty ServerName */
	assert_int_equal(parse_str("<InitialFilterCriteria><Priority>1</Priority>"
				   "<ApplicationServer><ServerName> </ServerName></ApplicationServer>"
				   "</InitialFilterCriteria>"), -EBADMSG);
	/* no ApplicationServer */
	assert_int_equal(parse_str("<InitialFilterCriteria><Priority>1</Priority>"
				   "</InitialFilterCriteria>"), -EBADMSG);
	/* Priority not a number, negative, or absent */
	assert_int_equal(parse_str("<InitialFilterCriteria><Priority>x</Priority>" AS
				   "</InitialFilterCriteria>"), -EBADMSG);
	assert_int_equal(parse_str("<InitialFilterCriteria><Priority>-1</Priority>" AS
				   "</InitialFilterCriteria>"), -EBADMSG);
	assert_int_equal(parse_str("<InitialFilterCriteria>" AS "</InitialFilterCriteria>"), -EBADMSG);
	/* DefaultHandling out of range */
	assert_int_equal(parse_str("<InitialFilterCriteria><Priority>1</Priority>"
				   "<ApplicationServer><ServerName>sip:a</ServerName>"
				   "<DefaultHandling>7</DefaultHandling></ApplicationServer>"
				   "</InitialFilterCriteria>"), -EBADMSG);
	/* the well-formed control case is accepted */
	assert_int_equal(parse_str("<InitialFilterCriteria><Priority>1</Priority>" AS
				   "</InitialFilterCriteria>"), 0);
}

static void test_hostile_binary_garbage(void **state)
{
	unsigned char buf[4096];
	unsigned seed = 12345;
	struct ifc_profile *p = NULL;

	(void)state;
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof buf; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (unsigned char)(seed >> 16);
		}
		buf[0] = '<';
		assert_int_equal(parse((const char *)buf, sizeof buf, &p), -EBADMSG);
	}
	/* an embedded NUL ends nothing: the length rules */
	assert_int_equal(parse("<ServiceProfile>\0</ServiceProfile>", 34, &p), -EBADMSG);
}

/* Every prefix of a valid document: an error or a profile, never a crash. */
static void test_hostile_every_truncation(void **state)
{
	static const char xml[] =
		"<IMSSubscription><PrivateID>a@b</PrivateID><ServiceProfile>"
		"<InitialFilterCriteria><Priority>0</Priority><TriggerPoint>"
		"<ConditionTypeCNF>1</ConditionTypeCNF><SPT><ConditionNegated>0</ConditionNegated>"
		"<Group>0</Group><SIPHeader><Header>Event</Header><Content>reg</Content></SIPHeader>"
		"</SPT></TriggerPoint>" AS "</InitialFilterCriteria></ServiceProfile></IMSSubscription>";
	size_t ok = 0;

	(void)state;
	for (size_t len = 0; len <= sizeof xml - 1; len++) {
		struct ifc_profile *p = NULL;
		int ret = parse(xml, len, &p);

		assert_true(ret == 0 || ret == -EBADMSG);
		ok += ret == 0;
		ifc_profile_free(p);
	}
	assert_int_equal(ok, 1); /* only the whole document */
}

static void test_hostile_bad_arguments(void **state)
{
	struct ifc_profile *p = NULL;
	struct ifc_request req = { 0 };
	struct ifc_context ctx = { 0, 0 };
	const struct ifc_filter *f;
	size_t n;

	(void)state;
	assert_int_equal(ifc_profile_parse(NULL, 5, 0, &p), -EINVAL);
	assert_int_equal(ifc_profile_parse("<a/>", 4, 0, NULL), -EINVAL);
	assert_int_equal(ifc_next(NULL, &req, &ctx, IFC_START, &f), -EINVAL);
	assert_int_equal(ifc_trigger_matches(NULL, 0, &req, 0), -EINVAL);
	assert_int_equal(ifc_profile_count(NULL), 0);
	assert_null(ifc_profile_at(NULL, 0));
	assert_null(ifc_profile_shared_sets(NULL, &n));
	ifc_profile_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_not_well_formed),
		cmocka_unit_test(test_hostile_billion_laughs_refused),
		cmocka_unit_test(test_hostile_external_entity_refused),
		cmocka_unit_test(test_hostile_deep_nesting),
		cmocka_unit_test(test_hostile_oversize_document),
		cmocka_unit_test(test_hostile_too_many_ifcs_and_spts),
		cmocka_unit_test(test_hostile_invalid_regex_never_matches),
		cmocka_unit_test(test_hostile_regex_backreference_refused),
		cmocka_unit_test(test_hostile_missing_mandatory_elements),
		cmocka_unit_test(test_hostile_binary_garbage),
		cmocka_unit_test(test_hostile_every_truncation),
		cmocka_unit_test(test_hostile_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
