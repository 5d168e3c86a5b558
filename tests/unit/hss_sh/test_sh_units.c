/* Unit tests of the Sh building blocks (hss/sh/sh_internal.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "ims/diameter.h"
#include "sh/sh_internal.h"
#include "store/store_sh.h"

static void test_sh_data_write_escapes_and_orders(void **state)
{
	const char *impus[] = { "sip:alice@open-ims.test", "sip:a<&>\"b@x" };
	const char *nums[] = { "4930100001" };
	struct sh_data_repo repo = { "svc&1", 7, "<x a=\"1\">t</x>" };
	struct store_sh_charging ch = { .pri_ccf = "aaa://ccf.open-ims.test" };
	struct sh_data d = { .impus = impus, .n_impus = 2, .msisdns = nums, .n_msisdns = 1,
			     .repo = &repo, .n_repo = 1, .scscf_name = "sip:scscf:6060",
			     .ims_user_state = 1, .charging = &ch, .psi_activation = 0 };
	char *xml = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(sh_data_write(&d, &xml, &len), 0);
	assert_int_equal(strlen(xml), len);
	assert_non_null(strstr(xml, "<IMSPublicIdentity>sip:a&lt;&amp;&gt;&quot;b@x</IMSPublicIdentity>"));
	assert_non_null(strstr(xml, "<ServiceIndication>svc&amp;1</ServiceIndication>"));
	assert_non_null(strstr(xml, "<SequenceNumber>7</SequenceNumber>"));
	assert_non_null(strstr(xml, "<ServiceData><x a=\"1\">t</x></ServiceData>"));
	assert_non_null(strstr(xml, "<IMSUserState>1</IMSUserState>"));
	assert_non_null(strstr(xml, "<Extension><PSIActivation>0</PSIActivation></Extension>"));
	/* tSh-Data order: PublicIdentifiers, RepositoryData, Sh-IMS-Data. */
	assert_true(strstr(xml, "<PublicIdentifiers>") < strstr(xml, "<RepositoryData>"));
	assert_true(strstr(xml, "<RepositoryData>") < strstr(xml, "<Sh-IMS-Data>"));
	assert_true(strstr(xml, "<S-CSCFName>") < strstr(xml, "<IMSUserState>"));
	assert_null(strstr(xml, "SecondaryChargingCollectionFunctionName"));
	free(xml);
}

static void test_sh_data_roundtrip_repository(void **state)
{
	struct sh_data_repo repo = { "mmtel", 65535, "<cfu><target>sip:b@x</target></cfu>" };
	struct sh_data d = { .repo = &repo, .n_repo = 1, .ims_user_state = -1, .psi_activation = -1 };
	struct sh_data_in in;
	char *xml = NULL;
	size_t len;

	(void)state;
	assert_int_equal(sh_data_write(&d, &xml, &len), 0);
	assert_int_equal(sh_data_read(xml, len, &in), 0);
	assert_true(in.has_repo);
	assert_string_equal(in.si, "mmtel");
	assert_int_equal(in.seq, 65535);
	assert_string_equal(in.service_data, "<cfu><target>sip:b@x</target></cfu>");
	assert_int_equal(in.psi_activation, -1);
	sh_data_in_free(&in);
	free(xml);
}

static void test_sh_data_read_deletion_and_psi(void **state)
{
	static const char del[] = "<Sh-Data><RepositoryData><ServiceIndication> s1 </ServiceIndication>"
				  "<SequenceNumber>3</SequenceNumber></RepositoryData></Sh-Data>";
	static const char psi[] = "<Sh-Data><Sh-IMS-Data><Extension><PSIActivation>1"
				  "</PSIActivation></Extension></Sh-IMS-Data></Sh-Data>";
	struct sh_data_in in;

	(void)state;
	assert_int_equal(sh_data_read(del, sizeof del - 1, &in), 0);
	assert_true(in.has_repo);
	assert_string_equal(in.si, "s1");
	assert_null(in.service_data);   /* no ServiceData = delete */
	sh_data_in_free(&in);
	assert_int_equal(sh_data_read(psi, sizeof psi - 1, &in), 0);
	assert_false(in.has_repo);
	assert_int_equal(in.psi_activation, 1);
	sh_data_in_free(&in);
}

static void test_sh_data_read_rejects_bad_documents(void **state)
{
	static const char *bad[] = {
		"<Sh-Data><RepositoryData>",                       /* not well formed */
		"<Other/>",                                         /* wrong root */
		"<Sh-Data><RepositoryData><ServiceIndication>s</ServiceIndication>"
		"<SequenceNumber>65536</SequenceNumber></RepositoryData></Sh-Data>",
		"<Sh-Data><RepositoryData><ServiceIndication>s</ServiceIndication>"
		"<SequenceNumber>-1</SequenceNumber></RepositoryData></Sh-Data>",
		"<Sh-Data><RepositoryData><SequenceNumber>1</SequenceNumber></RepositoryData></Sh-Data>",
		"<Sh-Data><Sh-IMS-Data><Extension><PSIActivation>2</PSIActivation>"
		"</Extension></Sh-IMS-Data></Sh-Data>",
		"",
	};
	struct sh_data_in in;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int ret = sh_data_read(bad[i], strlen(bad[i]), &in);
		assert_true(ret == -EBADMSG || ret == -EINVAL);
		assert_null(in.service_data);
	}
}

static void test_sh_data_dsai_and_aliases_placement(void **state)
{
	struct store_sh_dsai dsai[] = { { "fax", 1 }, { "vid<eo", 0 } };
	struct sh_data_repo alias = { "shared", 4, "<a/>" };
	struct sh_data d = { .dsai = dsai, .n_dsai = 2, .alias_repo = &alias, .n_alias_repo = 1,
			     .ims_user_state = -1, .psi_activation = 1 };
	char *xml = NULL;
	size_t len;

	(void)state;
	assert_int_equal(sh_data_write(&d, &xml, &len), 0);
	/* tSh-IMS-Data-Extension{PSIActivation, Extension{DSAI*}} */
	assert_non_null(strstr(xml, "<Sh-IMS-Data><Extension><PSIActivation>1</PSIActivation>"
				    "<Extension><DSAI><DSAI-Tag>fax</DSAI-Tag><DSAI-Value>1</DSAI-Value>"
				    "</DSAI><DSAI><DSAI-Tag>vid&lt;eo</DSAI-Tag>"));
	/* tSh-Data-Extension{AliasesRepositoryData*}, after Sh-IMS-Data */
	assert_non_null(strstr(xml, "</Sh-IMS-Data><Extension><AliasesRepositoryData>"
				    "<ServiceIndication>shared</ServiceIndication>"
				    "<SequenceNumber>4</SequenceNumber><ServiceData><a/></ServiceData>"));
	assert_null(strstr(xml, "<RepositoryData>"));
	free(xml);
}

static void test_sh_data_read_dsai_and_alias_pur(void **state)
{
	static const char dsai[] = "<Sh-Data><Sh-IMS-Data><Extension><Extension>"
		"<DSAI><DSAI-Tag>a</DSAI-Tag><DSAI-Value>1</DSAI-Value></DSAI>"
		"<DSAI><DSAI-Tag>b</DSAI-Tag><DSAI-Value>0</DSAI-Value></DSAI>"
		"</Extension></Extension></Sh-IMS-Data></Sh-Data>";
	static const char bad_value[] = "<Sh-Data><Sh-IMS-Data><Extension><Extension>"
		"<DSAI><DSAI-Tag>a</DSAI-Tag><DSAI-Value>2</DSAI-Value></DSAI>"
		"</Extension></Extension></Sh-IMS-Data></Sh-Data>";
	static const char no_tag[] = "<Sh-Data><Sh-IMS-Data><Extension><Extension>"
		"<DSAI><DSAI-Value>0</DSAI-Value></DSAI>"
		"</Extension></Extension></Sh-IMS-Data></Sh-Data>";
	static const char alias[] = "<Sh-Data><Extension><AliasesRepositoryData>"
		"<ServiceIndication>s</ServiceIndication><SequenceNumber>2</SequenceNumber>"
		"<ServiceData><x/></ServiceData></AliasesRepositoryData></Extension></Sh-Data>";
	struct sh_data_in in;

	(void)state;
	assert_int_equal(sh_data_read(dsai, sizeof dsai - 1, &in), 0);
	assert_int_equal(in.n_dsai, 2);
	assert_string_equal(in.dsai[0].tag, "a");
	assert_int_equal(in.dsai[0].value, 1);
	assert_string_equal(in.dsai[1].tag, "b");
	assert_int_equal(in.dsai[1].value, 0);
	assert_false(in.has_repo);
	sh_data_in_free(&in);
	assert_int_equal(sh_data_read(bad_value, sizeof bad_value - 1, &in), -EINVAL);
	assert_int_equal(sh_data_read(no_tag, sizeof no_tag - 1, &in), -EINVAL);
	assert_int_equal(sh_data_read(alias, sizeof alias - 1, &in), 0);
	assert_true(in.has_repo);
	assert_true(in.repo_alias);
	assert_string_equal(in.si, "s");
	assert_int_equal(in.seq, 2);
	assert_string_equal(in.service_data, "<x/>");
	sh_data_in_free(&in);
}

static void test_sh_perm_dsai_and_aliases_per_operation(void **state)
{
	struct store_sh_as as = { 0 };
	char why[160];

	(void)state;
	assert_int_equal(store_sh_perms_parse("udr:DSAI,pur:AliasesRepositoryData", &as, why,
					      sizeof why), 0);
	assert_int_equal(sh_perm_check(&as, SH_OP_UDR, SH_DREF_DSAI).code, 2001);
	assert_int_equal(sh_perm_check(&as, SH_OP_PUR, SH_DREF_ALIASES_REPOSITORY_DATA).code, 2001);
	/* not granted: refused with the operation's code */
	assert_int_equal(sh_perm_check(&as, SH_OP_PUR, SH_DREF_DSAI).code,
			 SH_EXP_USER_DATA_CANNOT_BE_MODIFIED);
	assert_int_equal(sh_perm_check(&as, SH_OP_SNR, SH_DREF_DSAI).code,
			 SH_EXP_USER_DATA_CANNOT_BE_NOTIFIED);
}

static void test_sh_data_read_does_not_expand_external_entities(void **state)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?><!DOCTYPE Sh-Data [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		"<Sh-Data><RepositoryData><ServiceIndication>s</ServiceIndication>"
		"<SequenceNumber>0</SequenceNumber><ServiceData><a>&x;</a></ServiceData>"
		"</RepositoryData></Sh-Data>";
	struct sh_data_in in;

	(void)state;
	assert_int_equal(sh_data_read(doc, sizeof doc - 1, &in), 0);
	assert_non_null(in.service_data);
	assert_null(strstr(in.service_data, "root:"));
	sh_data_in_free(&in);
}

static void test_sh_seq_rules_wrap_and_reject_stale(void **state)
{
	uint32_t stored;

	(void)state;
	assert_true(sh_seq_acceptable(NULL, 0));      /* creation */
	assert_false(sh_seq_acceptable(NULL, 1));
	stored = 0;
	assert_true(sh_seq_acceptable(&stored, 1));
	assert_false(sh_seq_acceptable(&stored, 0));  /* creation over existing */
	assert_false(sh_seq_acceptable(&stored, 2));
	stored = 41;
	assert_true(sh_seq_acceptable(&stored, 42));
	assert_false(sh_seq_acceptable(&stored, 41)); /* stale */
	stored = 65535;
	assert_int_equal(sh_seq_next(65535), 1);      /* 0 is for creation only */
	assert_true(sh_seq_acceptable(&stored, 1));
	assert_false(sh_seq_acceptable(&stored, 0));
}

static void test_sh_perm_check_per_operation(void **state)
{
	struct store_sh_as as = { 0 };
	char why[160];
	struct sh_result r;

	(void)state;
	assert_int_equal(store_sh_perms_parse("udr:RepositoryData,udr:IMSUserState,"
					      "pur:RepositoryData,snr:S-CSCFName", &as,
					      why, sizeof why), 0);
	r = sh_perm_check(&as, SH_OP_UDR, SH_DREF_REPOSITORY_DATA);
	assert_true(r.code == 2001 && !r.exp);
	r = sh_perm_check(&as, SH_OP_UDR, SH_DREF_SCSCF_NAME);
	assert_true(r.exp && r.code == SH_EXP_USER_DATA_CANNOT_BE_READ);
	r = sh_perm_check(&as, SH_OP_PUR, SH_DREF_REPOSITORY_DATA);
	assert_true(r.code == 2001 && !r.exp);
	r = sh_perm_check(&as, SH_OP_PUR, SH_DREF_IMS_USER_STATE);
	assert_true(r.exp && r.code == SH_EXP_USER_DATA_CANNOT_BE_MODIFIED);
	r = sh_perm_check(&as, SH_OP_SNR, SH_DREF_REPOSITORY_DATA);
	assert_true(r.exp && r.code == SH_EXP_USER_DATA_CANNOT_BE_NOTIFIED);
	r = sh_perm_check(&as, SH_OP_SNR, SH_DREF_SCSCF_NAME);
	assert_true(r.code == 2001 && !r.exp);
	r = sh_perm_check(&as, SH_OP_UDR, 5);          /* 1..9 unused */
	assert_true(!r.exp && r.code == DIA_INVALID_AVP_VALUE);
	/* Granted but not updatable by nature (TS 29.328 7.6): still refused. */
	as.pur_refs = ~UINT64_C(0);
	r = sh_perm_check(&as, SH_OP_PUR, SH_DREF_SCSCF_NAME);
	assert_true(r.exp && r.code == SH_EXP_USER_DATA_CANNOT_BE_MODIFIED);
}

static void test_sh_perms_parse_format_and_errors(void **state)
{
	struct store_sh_as as = { 0 };
	char buf[512], why[160];

	(void)state;
	assert_int_equal(store_sh_perms_parse("snr:IMSUserState,UDR:msisdn", &as, why, sizeof why), 0);
	store_sh_perms_format(&as, buf, sizeof buf);
	assert_string_equal(buf, "udr:MSISDN,snr:IMSUserState");
	assert_int_equal(store_sh_perms_parse("udr:NoSuchThing", &as, why, sizeof why), -EINVAL);
	assert_non_null(strstr(why, "NoSuchThing"));
	assert_int_equal(store_sh_perms_parse("xyz:MSISDN", &as, why, sizeof why), -EINVAL);
	assert_int_equal(store_sh_perms_parse("RepositoryData", &as, why, sizeof why), -EINVAL);
	assert_int_equal(store_sh_dref_parse("S-CSCFName"), 12);
	assert_string_equal(store_sh_dref_name(19), "DSAI");
	assert_string_equal(store_sh_dref_name(20), "AliasesRepositoryData");
	assert_null(store_sh_dref_name(9));
}

static void test_sh_msisdn_tbcd_to_tel(void **state)
{
	const uint8_t odd[] = { 0x94, 0x03, 0x01, 0x00, 0x10, 0xf1 };  /* 49301000011 */
	const uint8_t even[] = { 0x94, 0x03 };
	const uint8_t bad[] = { 0x9a };
	char buf[64];

	(void)state;
	assert_int_equal(sh_msisdn_to_tel(odd, sizeof odd, buf, sizeof buf), 0);
	assert_string_equal(buf, "tel:+49301000011");
	assert_int_equal(sh_msisdn_to_tel(even, sizeof even, buf, sizeof buf), 0);
	assert_string_equal(buf, "tel:+4930");
	assert_int_equal(sh_msisdn_to_tel(bad, sizeof bad, buf, sizeof buf), -EINVAL);
	assert_int_equal(sh_msisdn_to_tel(odd, 0, buf, sizeof buf), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sh_data_write_escapes_and_orders),
		cmocka_unit_test(test_sh_data_roundtrip_repository),
		cmocka_unit_test(test_sh_data_read_deletion_and_psi),
		cmocka_unit_test(test_sh_data_read_rejects_bad_documents),
		cmocka_unit_test(test_sh_data_read_does_not_expand_external_entities),
		cmocka_unit_test(test_sh_data_dsai_and_aliases_placement),
		cmocka_unit_test(test_sh_data_read_dsai_and_alias_pur),
		cmocka_unit_test(test_sh_perm_dsai_and_aliases_per_operation),
		cmocka_unit_test(test_sh_seq_rules_wrap_and_reject_stale),
		cmocka_unit_test(test_sh_perm_check_per_operation),
		cmocka_unit_test(test_sh_perms_parse_format_and_errors),
		cmocka_unit_test(test_sh_msisdn_tbcd_to_tel),
	};
	int rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
