/*
 * Cx/Sh dictionary: messages built with our helpers survive
 * bufferize -> parse_buffer -> parse_dict -> parse_rules with every value
 * and flag intact, and malformed messages are rejected with the right
 * Diameter error. Needs fd_core_initialize (base dictionary) only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"
#include "ims/log.h"

#define FL_M AVP_FLAG_MANDATORY
#define FL_V AVP_FLAG_VENDOR

/* ---- expectation helper (tested negatively below) ---- */

enum ekind { E_STR, E_OCTETS, E_U32 };

struct expect {
	uint32_t path[3]; /* codes from the top; 0 ends; */
	int nth;          /* which occurrence of path[0] (repeated groups) */
	enum ekind kind;
	const void *val;
	size_t len;
	uint32_t u32;
	uint8_t flags;    /* expected V/M bits of the last AVP */
};

/* 0 if the message holds the expected AVP, else -1 (with a reason). */
static int check_expect(struct msg *m, const struct expect *e, char *why, size_t whylen)
{
	struct avp *a = dia_find(m, e->path[0]);
	struct avp_hdr *h = NULL;
	const uint8_t *p;
	size_t len;
	uint32_t v;

	for (int i = 0; i < e->nth && a; i++)
		a = dia_next_same(a);
	for (int i = 1; i < 3 && e->path[i] && a; i++)
		a = dia_find(a, e->path[i]);
	if (!a) {
		snprintf(why, whylen, "AVP %u/%u missing", e->path[0], e->path[1]);
		return -1;
	}
	fd_msg_avp_hdr(a, &h);
	if ((h->avp_flags & (FL_M | FL_V)) != e->flags) {
		snprintf(why, whylen, "AVP %u flags %02x, want %02x", h->avp_code,
			 h->avp_flags, e->flags);
		return -1;
	}
	switch (e->kind) {
	case E_STR:
	case E_OCTETS: {
		size_t want = e->kind == E_STR ? strlen(e->val) : e->len;
		if (dia_get_octets(a, &p, &len) != 0 || len != want || memcmp(p, e->val, len)) {
			snprintf(why, whylen, "AVP %u value differs", h->avp_code);
			return -1;
		}
		break;
	}
	case E_U32:
		if (dia_get_u32(a, &v) != 0 || v != e->u32) {
			snprintf(why, whylen, "AVP %u value %u, want %u", h->avp_code, v, e->u32);
			return -1;
		}
		break;
	}
	return 0;
}

static void assert_all(struct msg *m, const struct expect *e, size_t n)
{
	char why[128];
	for (size_t i = 0; i < n; i++) {
		if (check_expect(m, &e[i], why, sizeof why) != 0)
			fail_msg("expectation %zu: %s", i, why);
	}
}

/* ---- message building and the wire round trip ---- */

static struct dictionary *dict(void)
{
	return fd_g_config->cnf_dict;
}

/* The envelope dia_new_request adds, written by hand (no parseconf here). */
static struct msg *new_msg(uint32_t code, bool request, unsigned app)
{
	struct msg *m = NULL;
	struct msg_hdr *hdr;

	assert_int_equal(fd_msg_new(dia_cmd(code, request), MSGFL_ALLOC_ETEID, &m), 0);
	fd_msg_hdr(m, &hdr);
	hdr->msg_appl = dia_app_id(app);
	assert_int_equal(dia_add_utf8(m, DIA_AVP_SESSION_ID, "scscf.test;1;2;ims"), 0);
	assert_int_equal(dia_add_app_ids(m, app), 0);
	assert_int_equal(dia_add_utf8(m, DIA_AVP_ORIGIN_HOST, "scscf.test"), 0);
	assert_int_equal(dia_add_utf8(m, DIA_AVP_ORIGIN_REALM, "test"), 0);
	if (request)
		assert_int_equal(dia_add_utf8(m, DIA_AVP_DESTINATION_REALM, "test"), 0);
	return m;
}

static int to_wire(struct msg *m, uint8_t **buf, size_t *len)
{
	int ret = fd_msg_bufferize(m, buf, len);
	fd_msg_free(m);
	return ret;
}

/* Parse bytes (copied) completely; returns the fd error, fills pei. */
static int from_wire(const uint8_t *bytes, size_t len, struct msg **out, struct fd_pei *pei)
{
	uint8_t *copy = malloc(len);
	int ret;

	memcpy(copy, bytes, len);
	memset(pei, 0, sizeof *pei);
	*out = NULL;
	ret = fd_msg_parse_buffer(&copy, len, out);
	if (ret != 0) {
		free(copy);
		return ret;
	}
	ret = fd_msg_parse_dict(*out, dict(), pei);
	if (ret == 0)
		ret = fd_msg_parse_rules(*out, dict(), pei);
	return ret;
}

static struct msg *round_trip(struct msg *m)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	struct fd_pei pei;
	struct msg *back = NULL;
	int ret;

	assert_int_equal(to_wire(m, &buf, &len), 0);
	ret = from_wire(buf, len, &back, &pei);
	free(buf);
	if (ret != 0)
		fail_msg("parse failed: %d %s", ret, pei.pei_errcode ? pei.pei_errcode : "");
	return back;
}

static const uint8_t rand_autn[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
static const uint8_t xres[8] = { 0xa5, 0x42, 0x11, 0x42, 0x8b, 0x91, 0xde, 0x33 };
static const uint8_t ck[16] = { [0] = 0xc1, [15] = 0xc2 };
static const uint8_t ik[16] = { [0] = 0x11, [15] = 0x12 };
static const uint8_t resync[30] = { [0] = 0x77, [29] = 0x78 };

static struct msg *build_mar(void)
{
	struct msg *m = new_msg(CX_CMD_MAR, true, DIA_APP_CX);
	struct avp *item;

	assert_int_equal(dia_add_utf8(m, DIA_AVP_USER_NAME, "alice@ims.test"), 0);
	assert_int_equal(dia_add_utf8(m, CX_AVP_PUBLIC_IDENTITY, "sip:alice@ims.test"), 0);
	assert_int_equal(dia_add_u32(m, CX_AVP_SIP_NUMBER_AUTH_ITEMS, 1), 0);
	assert_int_equal(dia_add_group(m, CX_AVP_SIP_AUTH_DATA_ITEM, &item), 0);
	assert_int_equal(dia_add_utf8(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, CX_AUTH_SCHEME_AKAV1_MD5), 0);
	assert_int_equal(dia_add_octets(item, CX_AVP_SIP_AUTHORIZATION, resync, sizeof resync), 0);
	assert_int_equal(dia_add_utf8(m, CX_AVP_SERVER_NAME, "sip:scscf.ims.test:6060"), 0);
	return m;
}

static const struct expect mar_expect[] = {
	{ { DIA_AVP_USER_NAME }, 0, E_STR, "alice@ims.test", 0, 0, FL_M },
	{ { CX_AVP_PUBLIC_IDENTITY }, 0, E_STR, "sip:alice@ims.test", 0, 0, FL_M | FL_V },
	{ { CX_AVP_SIP_NUMBER_AUTH_ITEMS }, 0, E_U32, NULL, 0, 1, FL_M | FL_V },
	{ { CX_AVP_SIP_AUTH_DATA_ITEM, CX_AVP_SIP_AUTHENTICATION_SCHEME }, 0, E_STR,
	  CX_AUTH_SCHEME_AKAV1_MD5, 0, 0, FL_M | FL_V },
	{ { CX_AVP_SIP_AUTH_DATA_ITEM, CX_AVP_SIP_AUTHORIZATION }, 0, E_OCTETS, resync,
	  sizeof resync, 0, FL_M | FL_V },
	{ { CX_AVP_SERVER_NAME }, 0, E_STR, "sip:scscf.ims.test:6060", 0, 0, FL_M | FL_V },
	{ { DIA_AVP_AUTH_SESSION_STATE }, 0, E_U32, NULL, 0, 1, FL_M },
	{ { DIA_AVP_VENDOR_SPECIFIC_APPLICATION_ID, DIA_AVP_AUTH_APPLICATION_ID }, 0, E_U32,
	  NULL, 0, CX_APP_ID, FL_M },
	{ { DIA_AVP_VENDOR_SPECIFIC_APPLICATION_ID, DIA_AVP_VENDOR_ID }, 0, E_U32, NULL, 0,
	  DIA_VENDOR_3GPP, FL_M },
};

static void test_mar_round_trip_keeps_values_and_flags(void **state)
{
	struct msg *back = round_trip(build_mar());
	struct msg_hdr *h;

	(void)state;
	fd_msg_hdr(back, &h);
	assert_int_equal(h->msg_code, CX_CMD_MAR);
	assert_int_equal(h->msg_appl, CX_APP_ID);
	assert_int_equal(h->msg_flags, CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE);
	assert_all(back, mar_expect, sizeof mar_expect / sizeof mar_expect[0]);
	fd_msg_free(back);
}

static void test_wrong_expectation_is_detected(void **state)
{
	struct msg *back = round_trip(build_mar());
	char why[128];
	struct expect bad_value = mar_expect[1];
	struct expect bad_flags = mar_expect[2];
	struct expect bad_octets = mar_expect[4];
	struct expect absent = { { CX_AVP_USER_DATA }, 0, E_STR, "x", 0, 0, FL_M | FL_V };
	static const uint8_t other[30] = { [0] = 0x77, [29] = 0x79 };

	(void)state;
	bad_value.val = "sip:bob@ims.test";
	bad_flags.flags = FL_V; /* SIP-Number-Auth-Items is M and V */
	bad_octets.val = other;
	assert_int_not_equal(check_expect(back, &bad_value, why, sizeof why), 0);
	assert_int_not_equal(check_expect(back, &bad_flags, why, sizeof why), 0);
	assert_int_not_equal(check_expect(back, &bad_octets, why, sizeof why), 0);
	assert_int_not_equal(check_expect(back, &absent, why, sizeof why), 0);
	fd_msg_free(back);
}

static void test_maa_two_auth_items_round_trip(void **state)
{
	struct msg *m = new_msg(CX_CMD_MAR, false, DIA_APP_CX);
	struct avp *item;
	struct msg *back;
	uint32_t code;
	bool exp;

	(void)state;
	assert_int_equal(dia_set_result(m, DIA_SUCCESS), 0);
	assert_int_equal(dia_add_utf8(m, DIA_AVP_USER_NAME, "alice@ims.test"), 0);
	assert_int_equal(dia_add_u32(m, CX_AVP_SIP_NUMBER_AUTH_ITEMS, 2), 0);
	for (int i = 0; i < 2; i++) {
		uint8_t ra[32];
		memcpy(ra, rand_autn, sizeof ra);
		ra[0] = (uint8_t)(0xf0 + i);
		assert_int_equal(dia_add_group(m, CX_AVP_SIP_AUTH_DATA_ITEM, &item), 0);
		assert_int_equal(dia_add_u32(item, CX_AVP_SIP_ITEM_NUMBER, (uint32_t)i + 1), 0);
		assert_int_equal(dia_add_utf8(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, CX_AUTH_SCHEME_AKAV1_MD5), 0);
		assert_int_equal(dia_add_octets(item, CX_AVP_SIP_AUTHENTICATE, ra, sizeof ra), 0);
		assert_int_equal(dia_add_octets(item, CX_AVP_SIP_AUTHORIZATION, xres, sizeof xres), 0);
		assert_int_equal(dia_add_octets(item, CX_AVP_CONFIDENTIALITY_KEY, ck, sizeof ck), 0);
		assert_int_equal(dia_add_octets(item, CX_AVP_INTEGRITY_KEY, ik, sizeof ik), 0);
	}
	back = round_trip(m);
	uint8_t ra1[32];
	memcpy(ra1, rand_autn, sizeof ra1);
	ra1[0] = 0xf1;
	const struct expect e[] = {
		{ { CX_AVP_SIP_NUMBER_AUTH_ITEMS }, 0, E_U32, NULL, 0, 2, FL_M | FL_V },
		{ { CX_AVP_SIP_AUTH_DATA_ITEM, CX_AVP_SIP_ITEM_NUMBER }, 0, E_U32, NULL, 0, 1, FL_M | FL_V },
		{ { CX_AVP_SIP_AUTH_DATA_ITEM, CX_AVP_SIP_ITEM_NUMBER }, 1, E_U32, NULL, 0, 2, FL_M | FL_V },
		{ { CX_AVP_SIP_AUTH_DATA_ITEM, CX_AVP_SIP_AUTHENTICATE }, 1, E_OCTETS, ra1, 32, 0, FL_M | FL_V },
		{ { CX_AVP_SIP_AUTH_DATA_ITEM, CX_AVP_SIP_AUTHORIZATION }, 1, E_OCTETS, xres, 8, 0, FL_M | FL_V },
		{ { CX_AVP_SIP_AUTH_DATA_ITEM, CX_AVP_CONFIDENTIALITY_KEY }, 0, E_OCTETS, ck, 16, 0, FL_M | FL_V },
		{ { CX_AVP_SIP_AUTH_DATA_ITEM, CX_AVP_INTEGRITY_KEY }, 1, E_OCTETS, ik, 16, 0, FL_M | FL_V },
	};
	assert_all(back, e, sizeof e / sizeof e[0]);
	assert_int_equal(dia_answer_result(back, &code, &exp), 0);
	assert_int_equal(code, DIA_SUCCESS);
	assert_false(exp);
	/* only two items */
	assert_null(dia_next_same(dia_next_same(dia_find(back, CX_AVP_SIP_AUTH_DATA_ITEM))));
	fd_msg_free(back);
}

static void test_uar_uaa_experimental_result_and_capabilities(void **state)
{
	struct msg *uar = new_msg(CX_CMD_UAR, true, DIA_APP_CX);
	struct msg *uaa = new_msg(CX_CMD_UAR, false, DIA_APP_CX);
	struct avp *caps;
	struct msg *back;
	uint32_t code;
	bool exp;

	(void)state;
	assert_int_equal(dia_add_utf8(uar, DIA_AVP_USER_NAME, "alice@ims.test"), 0);
	assert_int_equal(dia_add_utf8(uar, CX_AVP_PUBLIC_IDENTITY, "sip:alice@ims.test"), 0);
	assert_int_equal(dia_add_octets(uar, CX_AVP_VISITED_NETWORK_IDENTIFIER, (const uint8_t *)"ims.test", 8), 0);
	assert_int_equal(dia_add_i32(uar, CX_AVP_USER_AUTHORIZATION_TYPE, CX_UAT_REGISTRATION_AND_CAPABILITIES), 0);
	assert_int_equal(dia_add_u32(uar, CX_AVP_UAR_FLAGS, CX_UAR_FLAG_IMS_EMERGENCY_REGISTRATION), 0);
	back = round_trip(uar);
	const struct expect eu[] = {
		{ { CX_AVP_USER_AUTHORIZATION_TYPE }, 0, E_U32, NULL, 0, 2, FL_M | FL_V },
		{ { CX_AVP_UAR_FLAGS }, 0, E_U32, NULL, 0, 1, FL_V }, /* M must not */
		{ { CX_AVP_VISITED_NETWORK_IDENTIFIER }, 0, E_STR, "ims.test", 0, 0, FL_M | FL_V },
	};
	assert_all(back, eu, sizeof eu / sizeof eu[0]);
	fd_msg_free(back);

	assert_int_equal(dia_set_experimental(uaa, DIA_EXP_FIRST_REGISTRATION), 0);
	assert_int_equal(dia_add_group(uaa, CX_AVP_SERVER_CAPABILITIES, &caps), 0);
	assert_int_equal(dia_add_u32(caps, CX_AVP_MANDATORY_CAPABILITY, 7), 0);
	assert_int_equal(dia_add_u32(caps, CX_AVP_OPTIONAL_CAPABILITY, 9), 0);
	assert_int_equal(dia_add_utf8(caps, CX_AVP_SERVER_NAME, "sip:scscf1.ims.test"), 0);
	back = round_trip(uaa);
	const struct expect ea[] = {
		{ { DIA_AVP_EXPERIMENTAL_RESULT, DIA_AVP_VENDOR_ID }, 0, E_U32, NULL, 0, DIA_VENDOR_3GPP, FL_M },
		{ { CX_AVP_SERVER_CAPABILITIES, CX_AVP_MANDATORY_CAPABILITY }, 0, E_U32, NULL, 0, 7, FL_M | FL_V },
		{ { CX_AVP_SERVER_CAPABILITIES, CX_AVP_OPTIONAL_CAPABILITY }, 0, E_U32, NULL, 0, 9, FL_M | FL_V },
		{ { CX_AVP_SERVER_CAPABILITIES, CX_AVP_SERVER_NAME }, 0, E_STR, "sip:scscf1.ims.test", 0, 0, FL_M | FL_V },
	};
	assert_all(back, ea, sizeof ea / sizeof ea[0]);
	assert_int_equal(dia_answer_result(back, &code, &exp), 0);
	assert_int_equal(code, DIA_EXP_FIRST_REGISTRATION);
	assert_true(exp);
	assert_non_null(dia_find_deep(back, DIA_AVP_EXPERIMENTAL_RESULT_CODE));
	fd_msg_free(back);
}

static void test_sh_udr_uda_round_trip(void **state)
{
	struct msg *udr = new_msg(SH_CMD_UDR, true, DIA_APP_SH);
	struct msg *uda = new_msg(SH_CMD_UDR, false, DIA_APP_SH);
	struct avp *uid;
	struct msg *back;
	static const char xml[] = "<Sh-Data><PublicIdentifiers/></Sh-Data>";

	(void)state;
	assert_int_equal(dia_add_group(udr, SH_AVP_USER_IDENTITY, &uid), 0);
	assert_int_equal(dia_add_utf8(uid, CX_AVP_PUBLIC_IDENTITY, "sip:alice@ims.test"), 0);
	assert_int_equal(dia_add_i32(udr, SH_AVP_DATA_REFERENCE, SH_DREF_REPOSITORY_DATA), 0);
	assert_int_equal(dia_add_i32(udr, SH_AVP_DATA_REFERENCE, SH_DREF_IMS_USER_STATE), 0);
	assert_int_equal(dia_add_octets(udr, SH_AVP_SERVICE_INDICATION, (const uint8_t *)"svc", 3), 0);
	back = round_trip(udr);
	const struct expect eu[] = {
		{ { SH_AVP_USER_IDENTITY, CX_AVP_PUBLIC_IDENTITY }, 0, E_STR, "sip:alice@ims.test", 0, 0, FL_M | FL_V },
		{ { SH_AVP_DATA_REFERENCE }, 0, E_U32, NULL, 0, 0, FL_M | FL_V },
		{ { SH_AVP_DATA_REFERENCE }, 1, E_U32, NULL, 0, 11, FL_M | FL_V },
		{ { SH_AVP_SERVICE_INDICATION }, 0, E_STR, "svc", 0, 0, FL_M | FL_V },
		{ { DIA_AVP_VENDOR_SPECIFIC_APPLICATION_ID, DIA_AVP_AUTH_APPLICATION_ID }, 0, E_U32,
		  NULL, 0, SH_APP_ID, FL_M },
	};
	assert_all(back, eu, sizeof eu / sizeof eu[0]);
	fd_msg_free(back);

	assert_int_equal(dia_set_result(uda, DIA_SUCCESS), 0);
	assert_int_equal(dia_add_octets(uda, SH_AVP_USER_DATA, (const uint8_t *)xml, strlen(xml)), 0);
	back = round_trip(uda);
	const struct expect ea[] = {
		{ { SH_AVP_USER_DATA }, 0, E_STR, xml, 0, 0, FL_M | FL_V },
		{ { DIA_AVP_RESULT_CODE }, 0, E_U32, NULL, 0, DIA_SUCCESS, FL_M },
	};
	assert_all(back, ea, sizeof ea / sizeof ea[0]);
	fd_msg_free(back);
}

/* ---- malformed input ---- */

static int pei_code(const struct fd_pei *pei)
{
	static const struct { const char *name; int code; } map[] = {
		{ "DIAMETER_MISSING_AVP", DIA_MISSING_AVP },
		{ "DIAMETER_INVALID_AVP_LENGTH", DIA_INVALID_AVP_LENGTH },
		{ "DIAMETER_AVP_UNSUPPORTED", DIA_AVP_UNSUPPORTED },
		{ "DIAMETER_INVALID_AVP_VALUE", DIA_INVALID_AVP_VALUE },
		{ "DIAMETER_AVP_OCCURS_TOO_MANY_TIMES", 5009 },
	};
	for (size_t i = 0; pei->pei_errcode && i < sizeof map / sizeof map[0]; i++) {
		if (strcmp(pei->pei_errcode, map[i].name) == 0)
			return map[i].code;
	}
	return -1;
}

static void test_uar_without_public_identity_is_missing_avp(void **state)
{
	struct msg *uar = new_msg(CX_CMD_UAR, true, DIA_APP_CX);
	struct msg *back = NULL;
	struct fd_pei pei;
	uint8_t *buf;
	size_t len;

	(void)state;
	assert_int_equal(dia_add_utf8(uar, DIA_AVP_USER_NAME, "alice@ims.test"), 0);
	assert_int_equal(dia_add_octets(uar, CX_AVP_VISITED_NETWORK_IDENTIFIER, (const uint8_t *)"v", 1), 0);
	assert_int_equal(to_wire(uar, &buf, &len), 0);
	assert_int_equal(from_wire(buf, len, &back, &pei), EBADMSG);
	assert_int_equal(pei_code(&pei), DIA_MISSING_AVP);
	if (pei.pei_avp_free)
		fd_msg_free(pei.pei_avp);
	fd_msg_free(back);
	free(buf);
}

static void test_truncated_buffer_is_rejected(void **state)
{
	struct msg *back = NULL;
	struct fd_pei pei;
	uint8_t *buf;
	size_t len;

	(void)state;
	assert_int_equal(to_wire(build_mar(), &buf, &len), 0);
	assert_int_equal(from_wire(buf, len - 7, &back, &pei), EBADMSG);
	assert_null(back);
	/* Shorter than the 20-byte header: refused as an invalid parameter. */
	assert_int_equal(from_wire(buf, 12, &back, &pei), EINVAL);
	assert_null(back);
	free(buf);
}

/* Offset of the first top-level AVP with this code in a wire message. */
static size_t wire_find_avp(const uint8_t *b, size_t len, uint32_t code)
{
	for (size_t off = 20; off + 8 <= len;) {
		uint32_t c = (uint32_t)b[off] << 24 | b[off + 1] << 16 | b[off + 2] << 8 | b[off + 3];
		size_t l = (size_t)b[off + 5] << 16 | b[off + 6] << 8 | b[off + 7];
		if (c == code)
			return off;
		if (l < 8)
			break;
		off += (l + 3) & ~(size_t)3;
	}
	return 0;
}

static void test_unsigned32_with_wrong_length_is_invalid_avp_length(void **state)
{
	struct msg *back = NULL;
	struct fd_pei pei;
	uint8_t *buf;
	size_t len, off;
	int ret;

	(void)state;
	assert_int_equal(to_wire(build_mar(), &buf, &len), 0);
	/* SIP-Number-Auth-Items: 12-byte vendor header + 4; claim 14 (same
	 * padded size, so the framing stays valid). */
	off = wire_find_avp(buf, len, CX_AVP_SIP_NUMBER_AUTH_ITEMS);
	assert_int_not_equal(off, 0);
	assert_int_equal(buf[off + 7], 16);
	buf[off + 7] = 14;
	ret = from_wire(buf, len, &back, &pei);
	assert_int_equal(ret, EBADMSG);
	assert_int_equal(pei_code(&pei), DIA_INVALID_AVP_LENGTH);
	if (pei.pei_avp_free)
		fd_msg_free(pei.pei_avp);
	fd_msg_free(back);
	free(buf);
}

static void test_dictionary_names_match_3gpp_extension(void **state)
{
	struct dict_avp_data d;

	(void)state;
	assert_int_equal(fd_dict_getval(dia_avp(SH_AVP_USER_DATA), &d), 0);
	assert_string_equal(d.avp_name, "User-Data-29.329");
	assert_int_equal(fd_dict_getval(dia_avp(CX_AVP_USER_DATA), &d), 0);
	assert_string_equal(d.avp_name, "User-Data");
	assert_int_equal(fd_dict_getval(dia_avp(CX_AVP_SUPPORTED_FEATURES), &d), 0);
	assert_int_equal(d.avp_flag_mask, FL_V);
	assert_int_equal(fd_dict_getval(dia_avp(CX_AVP_WILDCARDED_PUBLIC_IDENTITY), &d), 0);
	assert_int_equal(d.avp_flag_val, FL_V);
	for (uint32_t c = 600; c <= 659; c++)
		assert_non_null(dia_avp(c));
	for (uint32_t c = 700; c <= 722; c++)
		assert_non_null(dia_avp(c));
	assert_null(dia_avp(723));
	for (uint32_t c = 300; c <= 309; c++) {
		assert_non_null(dia_cmd(c, true));
		assert_non_null(dia_cmd(c, false));
	}
	/* A second call (dia_start after a test init) is a no-op. */
	assert_int_equal(dia_dict_init(dict()), 0);
}

static int setup(void **state)
{
	(void)state;
	ims_log_set_level(IMS_LOG_WARN);
	if (dia_log_route() != 0 || fd_core_initialize() != 0)
		return -1;
	return dia_dict_init(dict()) == 0 ? 0 : -1;
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
		cmocka_unit_test(test_mar_round_trip_keeps_values_and_flags),
		cmocka_unit_test(test_wrong_expectation_is_detected),
		cmocka_unit_test(test_maa_two_auth_items_round_trip),
		cmocka_unit_test(test_uar_uaa_experimental_result_and_capabilities),
		cmocka_unit_test(test_sh_udr_uda_round_trip),
		cmocka_unit_test(test_uar_without_public_identity_is_missing_avp),
		cmocka_unit_test(test_truncated_buffer_is_rejected),
		cmocka_unit_test(test_unsigned32_with_wrong_length_is_invalid_avp_length),
		cmocka_unit_test(test_dictionary_names_match_3gpp_extension),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
