/*
 * IMSSubscription parser: the implicit set in document order with barring,
 * iFC kept raw per ServiceProfile; malformed and hostile documents
 * (billion laughs, external entity, DTD) refused without expansion;
 * compiled iFCs shared by users with the same service profile.
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
#include <unistd.h>

#include "ifc/ifc.h"
#include "registrar/reg_ifc_cache.h"
#include "registrar/reg_profile.h"

static const char good[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<IMSSubscription>\n"
	"  <PrivateID>alice@open-ims.test</PrivateID>\n"
	"  <ServiceProfile>\n"
	"    <PublicIdentity><Identity>sip:alice@open-ims.test</Identity></PublicIdentity>\n"
	"    <PublicIdentity><BarringIndication>1</BarringIndication>"
	"<Identity>sip:alice-barred@open-ims.test</Identity></PublicIdentity>\n"
	"    <InitialFilterCriteria><Priority>0</Priority><ApplicationServer>"
	"<ServerName>sip:as.open-ims.test</ServerName><DefaultHandling>0</DefaultHandling>"
	"</ApplicationServer></InitialFilterCriteria>\n"
	"  </ServiceProfile>\n"
	"  <ServiceProfile>\n"
	"    <PublicIdentity><Identity> tel:+4930100001 </Identity></PublicIdentity>\n"
	"  </ServiceProfile>\n"
	"</IMSSubscription>\n";

static struct reg_profile *parse_ok(const char *xml)
{
	struct reg_profile *p = NULL;

	assert_int_equal(reg_profile_parse(xml, strlen(xml), &p), 0);
	assert_non_null(p);
	return p;
}

static void test_profile_reads_identities_in_hss_order(void **state)
{
	struct reg_profile *p = parse_ok(good);

	(void)state;
	assert_string_equal(p->private_id, "alice@open-ims.test");
	assert_int_equal(p->n_ids, 3);
	assert_string_equal(p->ids[0].uri, "sip:alice@open-ims.test");
	assert_false(p->ids[0].barred);
	assert_string_equal(p->ids[1].uri, "sip:alice-barred@open-ims.test");
	assert_true(p->ids[1].barred);
	assert_string_equal(p->ids[2].uri, "tel:+4930100001"); /* trimmed */
	assert_int_equal(p->ids[2].profile, 1);
	assert_int_equal(p->n_profiles, 2);
	assert_non_null(p->ifc_xml[0]);
	assert_non_null(strstr(p->ifc_xml[0], "<ServerName>sip:as.open-ims.test</ServerName>"));
	assert_null(p->ifc_xml[1]);
	assert_int_equal(reg_profile_find(p, "tel:+4930100001"), 2);
	assert_int_equal(reg_profile_find(p, "sip:bob@open-ims.test"), -1);
	reg_profile_free(p);
}

static void expect_refused(const char *xml, int want)
{
	struct reg_profile *p = (struct reg_profile *)0x1;

	assert_int_equal(reg_profile_parse(xml, strlen(xml), &p), want);
	assert_null(p);
}

static void test_profile_refuses_malformed_documents(void **state)
{
	(void)state;
	expect_refused("", -EBADMSG);
	expect_refused("<IMSSubscription><PrivateID>a</PrivateID>", -EBADMSG); /* truncated */
	expect_refused("<Other/>", -EBADMSG);
	/* No ServiceProfile, no PrivateID, a PublicIdentity without Identity. */
	expect_refused("<IMSSubscription><PrivateID>a</PrivateID></IMSSubscription>", -EBADMSG);
	expect_refused("<IMSSubscription><ServiceProfile><PublicIdentity><Identity>sip:a@b"
		       "</Identity></PublicIdentity></ServiceProfile></IMSSubscription>", -EBADMSG);
	expect_refused("<IMSSubscription><PrivateID>a</PrivateID><ServiceProfile><PublicIdentity>"
		       "</PublicIdentity></ServiceProfile></IMSSubscription>", -EBADMSG);
}

static void test_profile_refuses_billion_laughs_without_expanding(void **state)
{
	static const char bomb[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE IMSSubscription [\n"
		" <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
		" <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		" <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		" <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
		" <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
		" <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
		"]>\n"
		"<IMSSubscription><PrivateID>&f;</PrivateID><ServiceProfile><PublicIdentity>"
		"<Identity>sip:&f;@x</Identity></PublicIdentity></ServiceProfile></IMSSubscription>";

	(void)state;
	expect_refused(bomb, -EBADMSG);
}

static void test_profile_refuses_external_entity(void **state)
{
	char path[] = "/tmp/scscf-xxe-XXXXXX";
	char xml[1024];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "SECRET", 6), 6);
	close(fd);
	snprintf(xml, sizeof xml,
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE IMSSubscription [ <!ENTITY x SYSTEM \"file://%s\"> ]>\n"
		 "<IMSSubscription><PrivateID>&x;</PrivateID><ServiceProfile><PublicIdentity>"
		 "<Identity>sip:a@b</Identity></PublicIdentity></ServiceProfile></IMSSubscription>",
		 path);
	expect_refused(xml, -EBADMSG);
	unlink(path);
}

static void test_profile_bounds_identity_count(void **state)
{
	size_t cap = 64 + 80 * (REG_PROFILE_MAX_IDENTITIES + 2), off;
	char *xml = malloc(cap);

	(void)state;
	assert_non_null(xml);
	off = (size_t)snprintf(xml, cap, "<IMSSubscription><PrivateID>a</PrivateID><ServiceProfile>");
	for (int i = 0; i < REG_PROFILE_MAX_IDENTITIES + 1; i++)
		off += (size_t)snprintf(xml + off, cap - off,
					"<PublicIdentity><Identity>sip:u%d@x</Identity></PublicIdentity>", i);
	snprintf(xml + off, cap - off, "</ServiceProfile></IMSSubscription>");
	expect_refused(xml, -E2BIG);
	free(xml);
}

/* bob's document: alice's first ServiceProfile with other identities. */
static char *same_service_as_alice(const char *user)
{
	char *x = malloc(sizeof good + 64);
	const char *sp = strstr(good, "    <InitialFilterCriteria>");

	assert_non_null(x);
	snprintf(x, sizeof good + 64,
		 "<IMSSubscription><PrivateID>%s@open-ims.test</PrivateID><ServiceProfile>"
		 "<PublicIdentity><Identity>sip:%s@open-ims.test</Identity></PublicIdentity>\n"
		 "%.*s</ServiceProfile></IMSSubscription>",
		 user, user, (int)(strstr(sp, "  </ServiceProfile>") - sp), sp);
	return x;
}

/* src with its first `from` replaced by `to` (heap). */
static char *replace_once(const char *src, const char *from, const char *to)
{
	const char *at = strstr(src, from);
	size_t n = strlen(src) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);

	assert_non_null(at);
	assert_non_null(out);
	snprintf(out, n, "%.*s%s%s", (int)(at - src), src, to, at + strlen(from));
	return out;
}

static void test_profile_shares_compiled_ifcs(void **state)
{
	struct reg_profile *a = parse_ok(good), *b, *c;
	char *bx = same_service_as_alice("bob");
	size_t base = reg_ifc_cache_count();

	(void)state;
	b = parse_ok(bx);
	/* Same iFCs, other identities and whitespace: one compiled copy. */
	assert_non_null(a->ifc[0]);
	assert_ptr_equal(a->ifc[0], b->ifc[0]);
	assert_ptr_equal(a->ifc_xml[0], b->ifc_xml[0]);
	assert_int_equal(reg_ifc_cache_count(), base);
	assert_int_equal(ifc_profile_count(b->ifc[0]), 1);
	/* Other shared iFC sets in force: compiled again, not reused. */
	reg_profile_use_shared_sets((const struct ifc_shared_table *)&base);
	c = parse_ok(bx);
	reg_profile_use_shared_sets(NULL);
	assert_ptr_not_equal(c->ifc[0], a->ifc[0]);
	assert_int_equal(reg_ifc_cache_count(), base + 1);
	reg_profile_free(c);
	assert_int_equal(reg_ifc_cache_count(), base);
	/* The AS differs by one character: another profile, compiled apart;
	 * an end tag written "</Priority >" is the same tree: shared. */
	{
		char *dx = replace_once(bx, "sip:as.open-ims.test", "sip:bs.open-ims.test");
		char *ex = replace_once(bx, "</Priority>", "</Priority >");
		/* (the generation moved on above: bob's profile compiles anew) */
		struct reg_profile *f = parse_ok(bx), *d = parse_ok(dx), *e = parse_ok(ex);

		assert_ptr_not_equal(d->ifc[0], f->ifc[0]);
		assert_ptr_equal(e->ifc[0], f->ifc[0]);
		assert_int_equal(reg_ifc_cache_count(), base + 2);
		reg_profile_free(d);
		reg_profile_free(e);
		reg_profile_free(f);
		free(dx);
		free(ex);
	}
	assert_int_equal(reg_ifc_cache_count(), base);
	/* The last user of a profile takes its compiled iFCs along. */
	reg_profile_free(a);
	assert_int_equal(ifc_profile_count(b->ifc[0]), 1);
	reg_profile_free(b);
	assert_int_equal(reg_ifc_cache_count(), 0);
	free(bx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_reads_identities_in_hss_order),
		cmocka_unit_test(test_profile_refuses_malformed_documents),
		cmocka_unit_test(test_profile_refuses_billion_laughs_without_expanding),
		cmocka_unit_test(test_profile_refuses_external_entity),
		cmocka_unit_test(test_profile_bounds_identity_count),
		cmocka_unit_test(test_profile_shares_compiled_ifcs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
