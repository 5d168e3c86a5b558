/* reg event NOTIFY bodies (RFC 3680) as the P-CSCF reads them
 * (TS 24.229 5.2.3, 5.2.5.2). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reginfo.h"

static const char *impus[] = { "sip:alice@open-ims.test", "tel:+15550100" };
static struct reg alice = {
	.impus = (char **)impus,
	.n_impus = 2,
	.contact = "sip:alice@192.168.1.10:5070",
};

#define HEAD "<?xml version=\"1.0\"?><reginfo xmlns=\"urn:ietf:params:xml:ns:reginfo\" " \
	     "version=\"1\" state=\"full\">"

static int verdict(const char *xml)
{
	return reginfo_terminates(xml, strlen(xml), &alice);
}

static void test_reginfo_terminated_registration_deregisters(void **state)
{
	(void)state;
	assert_int_equal(verdict(HEAD "<registration aor=\"tel:+15550100\" id=\"1\" "
				 "state=\"terminated\"/></reginfo>"), 1);
}

static void test_reginfo_terminated_own_contact_deregisters(void **state)
{
	(void)state;
	assert_int_equal(verdict(HEAD "<registration aor=\"sip:alice@open-ims.test\" id=\"1\" "
				 "state=\"active\"><contact id=\"c\" state=\"terminated\" "
				 "event=\"deactivated\"><uri>sip:alice@192.168.1.10:5070</uri>"
				 "</contact></registration></reginfo>"), 1);
}

static void test_reginfo_active_or_foreign_changes_nothing(void **state)
{
	(void)state;
	/* active */
	assert_int_equal(verdict(HEAD "<registration aor=\"sip:alice@open-ims.test\" id=\"1\" "
				 "state=\"active\"><contact id=\"c\" state=\"active\" "
				 "event=\"registered\"><uri>sip:alice@192.168.1.10:5070</uri>"
				 "</contact></registration></reginfo>"), 0);
	/* another user's registration ended */
	assert_int_equal(verdict(HEAD "<registration aor=\"sip:bob@open-ims.test\" id=\"1\" "
				 "state=\"terminated\"/></reginfo>"), 0);
	/* another contact of alice (another device) ended */
	assert_int_equal(verdict(HEAD "<registration aor=\"sip:alice@open-ims.test\" id=\"1\" "
				 "state=\"active\"><contact id=\"c\" state=\"terminated\" "
				 "event=\"expired\"><uri>sip:alice@10.0.0.9:5070</uri>"
				 "</contact></registration></reginfo>"), 0);
}

static void test_reginfo_rejects_non_reginfo(void **state)
{
	(void)state;
	assert_int_equal(verdict("not xml at all"), -EBADMSG);
	assert_int_equal(verdict("<?xml version=\"1.0\"?><presence/>"), -EBADMSG);
	assert_int_equal(reginfo_terminates(NULL, 0, &alice), -EBADMSG);
	/* an external entity in an attribute is refused, never fetched */
	assert_int_equal(verdict("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
				 "\"file:///etc/hostname\">]>" "<reginfo><registration "
				 "aor=\"&x;\" state=\"terminated\"/></reginfo>"), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reginfo_terminated_registration_deregisters),
		cmocka_unit_test(test_reginfo_terminated_own_contact_deregisters),
		cmocka_unit_test(test_reginfo_active_or_foreign_changes_nothing),
		cmocka_unit_test(test_reginfo_rejects_non_reginfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
