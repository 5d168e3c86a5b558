/* Asserted identity (TS 24.229 5.2.6.3), charging identifiers and header
 * helpers of the P-CSCF, on messages parsed with the shared sip module. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>

#include "ims/sip.h"

#include "charging.h"
#include "identity.h"
#include "pcscf.h"

static const char *impus[] = { "sip:alice@open-ims.test", "tel:+15550100",
			       "sip:alice.work@open-ims.test" };

static struct reg alice = {
	.impus = (char **)impus,
	.n_impus = 3,
	.contact = "sip:alice@127.0.0.1:5070",
};

static msg_t *parse(const char *extra)
{
	char buf[2048];
	msg_t *msg = NULL;
	int n = snprintf(buf, sizeof buf,
			 "MESSAGE sip:bob@open-ims.test SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n"
			 "Max-Forwards: 70\r\n"
			 "Route: <sip:127.0.0.1:4060;lr>\r\n"
			 "From: <sip:alice@open-ims.test>;tag=1\r\n"
			 "To: <sip:bob@open-ims.test>\r\n"
			 "Call-ID: id1\r\n"
			 "CSeq: 1 MESSAGE\r\n"
			 "%s"
			 "Content-Length: 0\r\n\r\n", extra);

	assert_int_equal(sip_msg_parse(buf, (size_t)n, &msg), 0);
	return msg;
}

static char *text(msg_t *msg)
{
	static char out[4096];
	size_t len;

	assert_int_equal(sip_msg_serialize(msg, out, sizeof out - 1, &len), 0);
	out[len] = '\0';
	return out;
}

static void test_identity_spoofed_pai_is_replaced_by_default_impu(void **state)
{
	msg_t *msg = parse("P-Asserted-Identity: <sip:eve@open-ims.test>\r\n"
			   "P-Charging-Function-Addresses: ccf=evil.test\r\n");
	const char *asserted = NULL;
	sip_p_asserted_identity_t const *pai = NULL;

	(void)state;
	assert_int_equal(id_assert(msg, &alice, &asserted), 0);
	assert_string_equal(asserted, "sip:alice@open-ims.test");
	assert_null(strstr(text(msg), "eve@"));
	assert_null(strstr(text(msg), "evil.test"));
	assert_int_equal(sip_hdr_p_asserted_identity(msg, &pai), 0);
	assert_non_null(pai);
	assert_null(pai->paid_next);
	assert_string_equal(pai->paid_url->url_user, "alice");
	msg_destroy(msg);
}

/* Several forged values, in one header and in repeated headers, and the
 * sec-agree headers, all go in the one pass over the header chain. */
static void test_identity_strips_every_forged_and_sec_agree_header(void **state)
{
	msg_t *msg = parse("P-Asserted-Identity: <sip:eve@open-ims.test>, <tel:+1666>\r\n"
			   "P-Served-User: <sip:eve2@open-ims.test>\r\n"
			   "P-Asserted-Identity: <sip:mallory@open-ims.test>\r\n"
			   "Security-Client: ipsec-3gpp; alg=hmac-sha-1-96; spi-c=1; spi-s=2\r\n"
			   "Security-Verify: tls;q=0.1\r\n"
			   "Require: sec-agree\r\n"
			   "P-Profile-Key: <sip:evil@open-ims.test>\r\n");
	const char *asserted = NULL, *t;
	sip_p_asserted_identity_t const *pai = NULL;

	(void)state;
	assert_int_equal(id_assert(msg, &alice, &asserted), 0);
	t = text(msg);
	assert_null(strstr(t, "eve"));
	assert_null(strstr(t, "+1666"));
	assert_null(strstr(t, "mallory"));
	assert_null(strstr(t, "Security-"));
	assert_null(strstr(t, "sec-agree"));
	assert_null(strstr(t, "evil"));
	assert_int_equal(sip_hdr_p_asserted_identity(msg, &pai), 0);
	assert_non_null(pai);
	assert_null(pai->paid_next);
	assert_string_equal(pai->paid_url->url_user, "alice");
	msg_destroy(msg);
}

static void test_identity_registered_ppi_is_honoured_and_removed(void **state)
{
	msg_t *msg = parse("P-Preferred-Identity: <tel:+15550100>\r\n");
	const char *asserted = NULL;

	(void)state;
	assert_int_equal(id_assert(msg, &alice, &asserted), 0);
	assert_string_equal(asserted, "tel:+15550100");
	assert_null(strstr(text(msg), "P-Preferred-Identity"));
	assert_non_null(strstr(text(msg), "P-Asserted-Identity: <tel:+15550100>"));
	msg_destroy(msg);
}

static void test_identity_unregistered_ppi_falls_back_to_default(void **state)
{
	msg_t *msg = parse("P-Preferred-Identity: <sip:bob@open-ims.test>\r\n");
	const char *asserted = NULL;

	(void)state;
	assert_int_equal(id_assert(msg, &alice, &asserted), 0);
	assert_string_equal(asserted, "sip:alice@open-ims.test");
	assert_null(strstr(text(msg), "bob@open-ims.test>\r\nP-Asserted"));
	assert_null(strstr(text(msg), "P-Preferred-Identity"));
	msg_destroy(msg);
}

static void test_identity_reg_without_impu_is_refused(void **state)
{
	struct reg none = { .contact = "sip:x@127.0.0.1" };
	msg_t *msg = parse("");

	(void)state;
	assert_int_equal(id_assert(msg, &none, NULL), -EINVAL);
	msg_destroy(msg);
}

static void test_remove_header_drops_typed_and_unknown(void **state)
{
	msg_t *msg = parse("P-Visited-Network-ID: a.test\r\nP-Visited-Network-ID: b.test\r\n");

	(void)state;
	pcscf_remove_header(msg, "Route");
	pcscf_remove_header(msg, "P-Visited-Network-ID");
	assert_null(sip_object(msg)->sip_route);
	assert_null(strstr(text(msg), "Route:"));
	assert_null(strstr(text(msg), "Visited"));
	assert_non_null(strstr(text(msg), "Call-ID: id1"));
	msg_destroy(msg);
}

static void test_sec_agree_is_stripped_but_other_options_stay(void **state)
{
	msg_t *msg = parse("Security-Verify: ipsec-3gpp;alg=hmac-sha-1-96;spi-c=1;spi-s=2;"
			   "port-c=5062;port-s=5064\r\n"
			   "Require: sec-agree, path\r\n"
			   "Proxy-Require: sec-agree\r\n");
	sip_t *sip = sip_object(msg);

	(void)state;
	pcscf_strip_sec_agree(msg);
	assert_null(strstr(text(msg), "sec-agree"));
	assert_null(strstr(text(msg), "Security-Verify"));
	assert_null(sip->sip_proxy_require);
	assert_non_null(sip->sip_require);
	assert_true(sip_hdr_has_option((const msg_list_t *)sip->sip_require, "path"));
	assert_non_null(strstr(text(msg), "Require: path"));
	msg_destroy(msg);
}

static void test_charging_icids_are_unique_and_fixed_length(void **state)
{
	struct chg_icid g, other;
	char a[CHG_ICID_LEN], b[CHG_ICID_LEN], c[CHG_ICID_LEN];

	(void)state;
	chg_icid_init(&g, "127.0.0.1:4060", 1795650000, 42);
	chg_icid_init(&other, "127.0.0.1:4061", 1795650000, 42);
	assert_int_equal(chg_icid_next(&g, a, sizeof a), 0);
	assert_int_equal(strlen(a), CHG_ICID_LEN - 1);
	for (int i = 0; i < 10000; i++) {
		assert_int_equal(chg_icid_next(&g, b, sizeof b), 0);
		assert_string_not_equal(a, b);
	}
	assert_int_equal(chg_icid_next(&other, c, sizeof c), 0);
	assert_memory_not_equal(a, c, 8); /* another node: another prefix */
	assert_int_equal(chg_icid_next(&g, b, 10), -ENOSPC);
}

static void test_charging_vector_replaces_ue_vector(void **state)
{
	msg_t *msg = parse("P-Charging-Vector: icid-value=fake\r\n");
	struct chg_icid g;
	struct sip_charging_vector pcv;

	(void)state;
	chg_icid_init(&g, "p", 1, 2);
	assert_int_equal(chg_set_vector(msg, &g, "127.0.0.1", "open-ims.test"), 0);
	assert_null(strstr(text(msg), "fake"));
	assert_int_equal(sip_hdr_charging_vector(msg, &pcv), 0);
	assert_int_equal(strlen(pcv.icid_value), CHG_ICID_LEN - 1);
	assert_string_equal(pcv.orig_ioi, "open-ims.test");
	msg_destroy(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_spoofed_pai_is_replaced_by_default_impu),
		cmocka_unit_test(test_identity_strips_every_forged_and_sec_agree_header),
		cmocka_unit_test(test_identity_registered_ppi_is_honoured_and_removed),
		cmocka_unit_test(test_identity_unregistered_ppi_falls_back_to_default),
		cmocka_unit_test(test_identity_reg_without_impu_is_refused),
		cmocka_unit_test(test_remove_header_drops_typed_and_unknown),
		cmocka_unit_test(test_sec_agree_is_stripped_but_other_options_stay),
		cmocka_unit_test(test_charging_icids_are_unique_and_fixed_length),
		cmocka_unit_test(test_charging_vector_replaces_ue_vector),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
