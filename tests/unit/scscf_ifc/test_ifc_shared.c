/*
 * The S-CSCF's shared iFC set table (scscf/ifc/ifc_shared.c): the file form
 * `ims-hssctl shared-ifc export` writes, lookup by id, merging into a
 * profile that names the sets (TS 29.228 B.2.1 SharedIFCSetID), and the
 * file:line:column errors a bad file gets.
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

#include "ifc.h"
#include "ifc_shared.h"

#define IFC(prio, method, as) \
	"<InitialFilterCriteria><Priority>" prio "</Priority>" \
	"<TriggerPoint><ConditionTypeCNF>1</ConditionTypeCNF>" \
	"<SPT><ConditionNegated>0</ConditionNegated><Group>0</Group>" \
	"<Method>" method "</Method></SPT></TriggerPoint>" \
	"<ApplicationServer><ServerName>" as "</ServerName>" \
	"<DefaultHandling>0</DefaultHandling></ApplicationServer></InitialFilterCriteria>"

/* As cx_shared_sets_write prints it (indented). */
static const char good[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<SharedIFCSets>\n"
	" <SharedIFCSet>\n"
	"  <SharedIFCSetID>7</SharedIFCSetID>\n"
	"  <Name>messaging</Name>\n"
	"  " IFC("5", "MESSAGE", "sip:as.open-ims.test:5070") "\n"
	" </SharedIFCSet>\n"
	" <!-- a comment -->\n"
	" <SharedIFCSet>\n"
	"  <SharedIFCSetID>3</SharedIFCSetID>\n"
	"  " IFC("1", "INVITE", "sip:tas.open-ims.test") "\n"
	"  " IFC("30", "SUBSCRIBE", "sip:pres.open-ims.test") "\n"
	" </SharedIFCSet>\n"
	"</SharedIFCSets>\n";

static const char profile_xml[] =
	"<IMSSubscription><PrivateID>alice@open-ims.test</PrivateID><ServiceProfile>"
	"<PublicIdentity><Identity>sip:alice@open-ims.test</Identity></PublicIdentity>"
	IFC("10", "PUBLISH", "sip:own.open-ims.test")
	"<Extension><SharedIFCSetID>7</SharedIFCSetID><SharedIFCSetID>3</SharedIFCSetID>"
	"<SharedIFCSetID>99</SharedIFCSetID></Extension>"
	"</ServiceProfile></IMSSubscription>";

static struct ifc_shared_table *parse_ok(const char *xml)
{
	struct ifc_shared_table *t = NULL;
	char err[256];

	assert_int_equal(ifc_shared_table_parse(xml, strlen(xml), "sets.xml", &t, err,
						sizeof err), 0);
	assert_non_null(t);
	return t;
}

/* The error of a bad file, and that nothing was returned. */
static int parse_bad(const char *xml, char *err, size_t errlen)
{
	struct ifc_shared_table *t = (void *)1;
	int rc = ifc_shared_table_parse(xml, strlen(xml), "sets.xml", &t, err, errlen);

	assert_null(t);
	assert_true(rc < 0);
	return rc;
}

static void test_shared_table_lookup_by_id(void **state)
{
	struct ifc_shared_table *t = parse_ok(good);
	size_t len = 0;
	const char *x;

	(void)state;
	assert_int_equal(ifc_shared_table_count(t), 2);
	x = ifc_shared_table_lookup(t, 7, &len);
	assert_non_null(x);
	assert_int_equal(len, strlen(x));
	assert_non_null(strstr(x, "<Method>MESSAGE</Method>"));
	assert_null(strstr(x, "<Name>"));
	x = ifc_shared_table_lookup(t, 3, &len);
	assert_non_null(strstr(x, "SUBSCRIBE"));
	assert_null(ifc_shared_table_lookup(t, 4, &len));
	assert_null(ifc_shared_table_lookup(NULL, 7, &len));
	ifc_shared_table_free(t);
}

static void test_shared_sets_merged_into_profile_by_priority(void **state)
{
	struct ifc_shared_table *t = parse_ok(good);
	struct ifc_shared_sets sets = ifc_shared_table_sets(t);
	struct ifc_profile *p = NULL;
	static const char *const order[] = { "sip:tas.open-ims.test", "sip:as.open-ims.test:5070",
					     "sip:own.open-ims.test", "sip:pres.open-ims.test" };

	(void)state;
	/* Set 99 is unknown: logged and skipped, the rest is used. */
	assert_int_equal(ifc_profile_parse_shared(profile_xml, strlen(profile_xml), 0, &sets, &p),
			 0);
	assert_int_equal(ifc_profile_count(p), 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(ifc_profile_at(p, i)->as.server_name, order[i]);
	ifc_profile_free(p);
	ifc_shared_table_free(t);
}

static void test_shared_table_message_reaches_set_as(void **state)
{
	struct ifc_shared_table *t = parse_ok(good);
	struct ifc_shared_sets sets = ifc_shared_table_sets(t);
	struct ifc_request req = { .method = "MESSAGE", .request_uri = "sip:bob@open-ims.test" };
	struct ifc_context ctx = { .session_case = IFC_SC_ORIGINATING };
	const struct ifc_filter *f = NULL;
	struct ifc_profile *p = NULL;

	(void)state;
	assert_int_equal(ifc_profile_parse_shared(profile_xml, strlen(profile_xml), 0, &sets, &p),
			 0);
	assert_true(ifc_next(p, &req, &ctx, IFC_START, &f) >= 0);
	assert_string_equal(f->as.server_name, "sip:as.open-ims.test:5070");
	ifc_profile_free(p);
	ifc_shared_table_free(t);
}

static void test_shared_table_empty_file_of_sets(void **state)
{
	struct ifc_shared_table *t = parse_ok("<SharedIFCSets/>");

	(void)state;
	assert_int_equal(ifc_shared_table_count(t), 0);
	ifc_shared_table_free(t);
}

static void test_shared_table_not_well_formed_has_line_and_column(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(parse_bad("<SharedIFCSets>\n <SharedIFCSet>\n  <SharedIFCSetID>7</Shared>\n",
				   err, sizeof err), -EBADMSG);
	assert_non_null(strstr(err, "sets.xml:3:"));
	/* "sets.xml:3:COLUMN: message" with a column above 0 */
	assert_true(atoi(strchr(strchr(err, ':') + 1, ':') + 1) > 0);
}

static void test_shared_table_refuses_duplicate_id(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(parse_bad("<SharedIFCSets>\n"
				   "<SharedIFCSet><SharedIFCSetID>7</SharedIFCSetID>"
				   IFC("1", "MESSAGE", "sip:a.test") "</SharedIFCSet>\n"
				   "<SharedIFCSet><SharedIFCSetID>7</SharedIFCSetID>"
				   IFC("2", "INVITE", "sip:b.test") "</SharedIFCSet>\n"
				   "</SharedIFCSets>", err, sizeof err), -EEXIST);
	assert_non_null(strstr(err, "sets.xml:3:0: shared iFC set 7 defined twice"));
}

static void test_shared_table_refuses_bad_structure(void **state)
{
	char err[256];

	(void)state;
	parse_bad("<IMSSubscription/>", err, sizeof err);
	assert_non_null(strstr(err, "sets.xml:1:0: <IMSSubscription>: expected <SharedIFCSets>"));
	parse_bad("<SharedIFCSets>\n<SharedIFCSet>" IFC("1", "MESSAGE", "sip:a.test")
		  "</SharedIFCSet></SharedIFCSets>", err, sizeof err);
	assert_non_null(strstr(err, "without <SharedIFCSetID>"));
	parse_bad("<SharedIFCSets><SharedIFCSet><SharedIFCSetID>-1</SharedIFCSetID>"
		  "</SharedIFCSet></SharedIFCSets>", err, sizeof err);
	assert_non_null(strstr(err, "expected a number"));
	parse_bad("<SharedIFCSets><SharedIFCSet><SharedIFCSetID>8</SharedIFCSetID>"
		  "</SharedIFCSet></SharedIFCSets>", err, sizeof err);
	assert_non_null(strstr(err, "set 8 has no <InitialFilterCriteria>"));
	parse_bad("<SharedIFCSets>\n<SharedIFCSet><SharedIFCSetID>8</SharedIFCSetID>\n<Foo/>"
		  "</SharedIFCSet></SharedIFCSets>", err, sizeof err);
	assert_non_null(strstr(err, "sets.xml:3:0: unexpected <Foo> in <SharedIFCSet>"));
	/* An iFC the engine refuses (no ApplicationServer) fails the file. */
	parse_bad("<SharedIFCSets><SharedIFCSet><SharedIFCSetID>8</SharedIFCSetID>"
		  "<InitialFilterCriteria><Priority>1</Priority></InitialFilterCriteria>"
		  "</SharedIFCSet></SharedIFCSets>", err, sizeof err);
	assert_non_null(strstr(err, "shared iFC set 8: its iFCs do not compile"));
}

static void test_shared_table_refuses_doctype(void **state)
{
	char err[256];

	(void)state;
	parse_bad("<?xml version=\"1.0\"?>\n<!DOCTYPE SharedIFCSets [<!ENTITY x \"y\">]>\n"
		  "<SharedIFCSets/>", err, sizeof err);
	assert_non_null(strstr(err, "DOCTYPE"));
}

static void test_shared_table_load_file_and_check_fn(void **state)
{
	char path[] = "/tmp/test_ifc_shared_XXXXXX";
	struct ifc_shared_table *t = NULL;
	char err[256];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, good, strlen(good)), (ssize_t)strlen(good));
	close(fd);
	assert_int_equal(ifc_shared_table_load(path, &t, err, sizeof err), 0);
	assert_int_equal(ifc_shared_table_count(t), 2);
	ifc_shared_table_free(t);
	assert_int_equal(ifc_shared_check_file(path, err, sizeof err), 0);
	unlink(path);
	assert_int_equal(ifc_shared_check_file(path, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(ifc_shared_table_load("/tmp", &t, err, sizeof err), -EINVAL);
	assert_null(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_table_lookup_by_id),
		cmocka_unit_test(test_shared_sets_merged_into_profile_by_priority),
		cmocka_unit_test(test_shared_table_message_reaches_set_as),
		cmocka_unit_test(test_shared_table_empty_file_of_sets),
		cmocka_unit_test(test_shared_table_not_well_formed_has_line_and_column),
		cmocka_unit_test(test_shared_table_refuses_duplicate_id),
		cmocka_unit_test(test_shared_table_refuses_bad_structure),
		cmocka_unit_test(test_shared_table_refuses_doctype),
		cmocka_unit_test(test_shared_table_load_file_and_check_fn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
