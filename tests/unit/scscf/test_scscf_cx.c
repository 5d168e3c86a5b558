/*
 * Cx answers on the S-CSCF side: MAA items (AKA: RAND/AUTN/XRES/CK/IK,
 * SIP Digest: HA1) and SAA User-Data are read, bad items refused, and every
 * Diameter outcome maps to the SIP status of TS 24.229 5.4.1.2.1 in one
 * place (cx_to_sip). Needs fd_core_initialize (dictionary) only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "cx/cx_client.h"
#include "ims/log.h"

static struct msg *new_answer(uint32_t code)
{
	struct msg *m = NULL;

	assert_int_equal(fd_msg_new(dia_cmd(code, false), MSGFL_ALLOC_ETEID, &m), 0);
	assert_int_equal(dia_add_utf8(m, DIA_AVP_SESSION_ID, "scscf.test;1;2;ims"), 0);
	return m;
}

static struct msg *answer_with(bool experimental, uint32_t code)
{
	struct msg *m = new_answer(CX_CMD_MAR);

	if (experimental)
		assert_int_equal(dia_set_experimental(m, code), 0);
	else
		assert_int_equal(dia_set_result(m, code), 0);
	return m;
}

static int status_of(bool experimental, uint32_t code, unsigned *retry)
{
	struct msg *m = answer_with(experimental, code);
	struct cx_sip_outcome o;

	cx_to_sip(0, m, &o);
	fd_msg_free(m);
	if (retry)
		*retry = o.retry_after;
	return o.status;
}

static void test_cx_to_sip_maps_results(void **state)
{
	struct cx_sip_outcome o;
	unsigned retry = 0;

	(void)state;
	assert_int_equal(status_of(false, DIA_SUCCESS, NULL), 0);
	assert_int_equal(status_of(true, DIA_EXP_FIRST_REGISTRATION, NULL), 0);
	assert_int_equal(status_of(true, DIA_EXP_SUBSEQUENT_REGISTRATION, NULL), 0);
	assert_int_equal(status_of(true, DIA_EXP_ERROR_USER_UNKNOWN, NULL), 403);
	assert_int_equal(status_of(true, DIA_EXP_ERROR_IDENTITIES_DONT_MATCH, NULL), 403);
	assert_int_equal(status_of(true, DIA_EXP_ERROR_AUTH_SCHEME_NOT_SUPPORTED, NULL), 403);
	assert_int_equal(status_of(false, DIA_AUTHORIZATION_REJECTED, NULL), 403);
	assert_int_equal(status_of(false, DIA_UNABLE_TO_DELIVER, &retry), 504);
	assert_true(retry > 0);
	assert_int_equal(status_of(false, DIA_UNABLE_TO_COMPLY, &retry), 500);
	assert_true(retry > 0);
	/* Experimental 2001 is success, base 5001 is not. */
	assert_int_equal(status_of(false, DIA_AVP_UNSUPPORTED, NULL), 500);
	cx_to_sip(-ETIMEDOUT, NULL, &o);
	assert_int_equal(o.status, 504);
	assert_true(o.retry_after > 0);
	cx_to_sip(-ECANCELED, NULL, &o);
	assert_int_equal(o.status, 500);
	{
		struct msg *m = new_answer(CX_CMD_SAR); /* no result code at all */

		cx_to_sip(0, m, &o);
		assert_int_equal(o.status, 500);
		fd_msg_free(m);
	}
}

static struct msg *maa_aka(size_t xres_len)
{
	struct msg *m = answer_with(false, DIA_SUCCESS);
	struct avp *item = NULL;
	uint8_t ra[32], xres[20], ck[16], ik[16];

	for (int i = 0; i < 32; i++)
		ra[i] = (uint8_t)i;
	memset(xres, 0xaa, sizeof xres);
	memset(ck, 0xc1, sizeof ck);
	memset(ik, 0x11, sizeof ik);
	assert_int_equal(dia_add_group(m, CX_AVP_SIP_AUTH_DATA_ITEM, &item), 0);
	assert_int_equal(dia_add_utf8(item, CX_AVP_SIP_AUTHENTICATION_SCHEME,
				      CX_AUTH_SCHEME_AKAV1_MD5), 0);
	assert_int_equal(dia_add_octets(item, CX_AVP_SIP_AUTHENTICATE, ra, sizeof ra), 0);
	assert_int_equal(dia_add_octets(item, CX_AVP_SIP_AUTHORIZATION, xres, xres_len), 0);
	assert_int_equal(dia_add_octets(item, CX_AVP_CONFIDENTIALITY_KEY, ck, sizeof ck), 0);
	assert_int_equal(dia_add_octets(item, CX_AVP_INTEGRITY_KEY, ik, sizeof ik), 0);
	return m;
}

static void test_maa_aka_item_is_read(void **state)
{
	struct msg *m = maa_aka(8);
	struct cxc_auth_item it;

	(void)state;
	assert_int_equal(cxc_maa_parse(m, &it), 0);
	assert_true(it.aka);
	assert_int_equal(it.rand[0], 0);
	assert_int_equal(it.rand[15], 15);
	assert_int_equal(it.autn[0], 16);
	assert_int_equal(it.xres_len, 8);
	assert_int_equal(it.xres[7], 0xaa);
	assert_true(it.has_keys);
	assert_int_equal(it.ck[0], 0xc1);
	assert_int_equal(it.ik[15], 0x11);
	fd_msg_free(m);
}

static void test_maa_refuses_bad_items(void **state)
{
	struct msg *m = maa_aka(17); /* XRES longer than 128 bits */
	struct cxc_auth_item it;
	struct avp *item = NULL;

	(void)state;
	assert_int_equal(cxc_maa_parse(m, &it), -EBADMSG);
	fd_msg_free(m);
	m = answer_with(false, DIA_SUCCESS);
	assert_int_equal(cxc_maa_parse(m, &it), -ENOENT);
	assert_int_equal(dia_add_group(m, CX_AVP_SIP_AUTH_DATA_ITEM, &item), 0);
	assert_int_equal(dia_add_utf8(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, "NASS-Bundled"), 0);
	assert_int_equal(cxc_maa_parse(m, &it), -EBADMSG);
	fd_msg_free(m);
}

static void test_maa_sip_digest_item_gives_lowercase_ha1(void **state)
{
	struct msg *m = answer_with(false, DIA_SUCCESS);
	struct avp *item = NULL, *dg = NULL;
	struct cxc_auth_item it;

	(void)state;
	assert_int_equal(dia_add_group(m, CX_AVP_SIP_AUTH_DATA_ITEM, &item), 0);
	assert_int_equal(dia_add_utf8(item, CX_AVP_SIP_AUTHENTICATION_SCHEME,
				      CX_AUTH_SCHEME_SIP_DIGEST), 0);
	assert_int_equal(dia_add_group(item, CX_AVP_SIP_DIGEST_AUTHENTICATE, &dg), 0);
	assert_int_equal(dia_add_utf8(dg, DIA_AVP_DIGEST_REALM, "open-ims.test"), 0);
	assert_int_equal(dia_add_utf8(dg, DIA_AVP_DIGEST_HA1, "939E7578ED9E3C518A452ACEE763BCE9"), 0);
	assert_int_equal(cxc_maa_parse(m, &it), 0);
	assert_false(it.aka);
	assert_string_equal(it.ha1, "939e7578ed9e3c518a452acee763bce9");
	assert_string_equal(it.realm, "open-ims.test");
	fd_msg_free(m);
}

static void test_saa_user_data_is_found(void **state)
{
	struct msg *m = answer_with(true, DIA_EXP_FIRST_REGISTRATION);
	const char *xml;
	size_t len;

	(void)state;
	assert_int_equal(cxc_saa_user_data(m, &xml, &len), -ENOENT);
	assert_int_equal(dia_add_octets(m, CX_AVP_USER_DATA, (const uint8_t *)"<x/>", 4), 0);
	assert_int_equal(cxc_saa_user_data(m, &xml, &len), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(xml, "<x/>", 4);
	fd_msg_free(m);
}

static int setup(void **state)
{
	(void)state;
	ims_log_set_level(IMS_LOG_WARN);
	if (dia_log_route() != 0 || fd_core_initialize() != 0)
		return -1;
	return dia_dict_init(fd_g_config->cnf_dict) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fd_core_shutdown();
	fd_core_wait_shutdown_complete();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cx_to_sip_maps_results),
		cmocka_unit_test(test_maa_aka_item_is_read),
		cmocka_unit_test(test_maa_refuses_bad_items),
		cmocka_unit_test(test_maa_sip_digest_item_gives_lowercase_ha1),
		cmocka_unit_test(test_saa_user_data_is_found),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
