/* IMS headers over sofia-sip: real REGISTER / 401 / 200 messages, typed
 * access, builders, parse-back, well-formedness checks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <sofia-sip/su_log.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/url.h>

#include "ims/digest.h"
#include "ims/sip.h"

/* A UE's second REGISTER as the P-CSCF forwards it to the I/S-CSCF
 * (TS 24.229 5.2.2.1): Path, Supported: path, integrity-protected,
 * P-Visited-Network-ID, P-Charging-Vector, Security-Client. The digest
 * answers the aka-1 challenge of tests/data/vectors/digest-aka.txt. */
static const char register_msg[] =
	"REGISTER sip:open-ims.test SIP/2.0\r\n"
	"Via: SIP/2.0/UDP pcscf.visited.net:5060;branch=z9hG4bKpcscf1a\r\n"
	"Via: SIP/2.0/UDP [2001:db8::10]:5062;received=2001:db8::10;rport=5062;branch=z9hG4bKue1b\r\n"
	"Max-Forwards: 69\r\n"
	"Path: <sip:term@pcscf.visited.net;lr>\r\n"
	"Supported: path, sec-agree\r\n"
	"From: <sip:alice@open-ims.test>;tag=4fa3\r\n"
	"To: <sip:alice@open-ims.test>\r\n"
	"Call-ID: apb03a0s09dkjdfglkj49111@2001:db8::10\r\n"
	"CSeq: 2 REGISTER\r\n"
	"Contact: <sip:alice@[2001:db8::10]:5062>;expires=600000\r\n"
	"Authorization: Digest username=\"alice@open-ims.test\", realm=\"open-ims.test\", "
	"nonce=\"I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=\", uri=\"sip:open-ims.test\", "
	"response=\"8989073c387c374f6f99dd66da921d63\", algorithm=AKAv1-MD5, qop=auth, "
	"nc=00000001, cnonce=\"0a4f113b\", integrity-protected=\"ip-assoc-yes\"\r\n"
	"P-Visited-Network-ID: \"Visited network number 1\", visited.net\r\n"
	"P-Charging-Vector: icid-value=\"AyretyU0dm+6O2IrT5tAFrbHLso=023551024\"; "
	"orig-ioi=visited.net; icid-generated-at=192.0.6.8\r\n"
	"P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=0010100010019B01\r\n"
	"Security-Client: ipsec-3gpp; alg=hmac-sha-1-96; spi-c=3929102; spi-s=293020; "
	"port-c=3333; port-s=5059\r\n"
	"Expires: 600000\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The S-CSCF's 401 towards the P-CSCF (TS 24.229 5.4.1.2.1): AKA challenge
 * with ck and ik. */
static const char challenge_msg[] =
	"SIP/2.0 401 Unauthorized\r\n"
	"Via: SIP/2.0/UDP pcscf.visited.net:5060;branch=z9hG4bKpcscf0\r\n"
	"From: <sip:alice@open-ims.test>;tag=4fa3\r\n"
	"To: <sip:alice@open-ims.test>;tag=scscf99\r\n"
	"Call-ID: apb03a0s09dkjdfglkj49111@2001:db8::10\r\n"
	"CSeq: 1 REGISTER\r\n"
	"WWW-Authenticate: Digest realm=\"open-ims.test\", "
	"nonce=\"I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=\", algorithm=AKAv1-MD5, "
	"qop=\"auth,auth-int\", ck=\"b40ba9a3c58b2a05bbf0d987b21bf8cb\", "
	"ik=\"f769bcd751044604127672711c6d3441\"\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The S-CSCF's 200 OK to the registration (TS 24.229 5.4.1.2.2F). */
static const char ok_msg[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP pcscf.visited.net:5060;branch=z9hG4bKpcscf1a\r\n"
	"From: <sip:alice@open-ims.test>;tag=4fa3\r\n"
	"To: <sip:alice@open-ims.test>;tag=scscf100\r\n"
	"Call-ID: apb03a0s09dkjdfglkj49111@2001:db8::10\r\n"
	"CSeq: 2 REGISTER\r\n"
	"Contact: <sip:alice@[2001:db8::10]:5062>;expires=600000\r\n"
	"Path: <sip:term@pcscf.visited.net;lr>\r\n"
	"Service-Route: <sip:orig@scscf.open-ims.test:6060;lr>\r\n"
	"P-Associated-URI: <sip:alice@open-ims.test>, \"Alice\" <sip:+15551234567@open-ims.test;user=phone>\r\n"
	"P-Associated-URI: <tel:+15551234567>\r\n"
	"P-Charging-Function-Addresses: ccf=192.1.1.1; ccf=192.1.1.2; ecf=\"[2001:db8::1]\"; ecf=ecf.open-ims.test\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static msg_t *parse_ok(const char *text)
{
	msg_t *msg = NULL;
	char why[128] = "";
	int rc = sip_msg_parse_why(text, strlen(text), &msg, why, sizeof why);

	if (rc)
		fail_msg("parse failed (%d): %s", rc, why);
	assert_non_null(msg);
	return msg;
}

static void test_register_from_pcscf_typed_headers(void **state)
{
	msg_t *msg = parse_ok(register_msg);
	sip_t *sip = sip_object(msg);

	assert_non_null(sip->sip_request);
	assert_int_equal(sip->sip_request->rq_method, sip_method_register);
	/* Via: two, top one is the P-CSCF */
	assert_string_equal(sip->sip_via->v_host, "pcscf.visited.net");
	assert_string_equal(sip->sip_via->v_branch, "z9hG4bKpcscf1a");
	assert_non_null(sip->sip_via->v_next);
	assert_string_equal(sip->sip_via->v_next->v_rport, "5062");
	/* Path + Supported: path (RFC 3327) */
	assert_non_null(sip->sip_path);
	assert_string_equal(sip->sip_path->r_url->url_user, "term");
	assert_string_equal(sip->sip_path->r_url->url_host, "pcscf.visited.net");
	assert_non_null(url_has_param(sip->sip_path->r_url, "lr") ? "lr" : NULL);
	assert_true(sip_hdr_supports_path(sip));
	/* a second proxy's Path goes first (RFC 3327 5) */
	assert_int_equal(sip_hdr_add_path(msg, "sip:second@proxy2.visited.net;lr"), 0);
	assert_string_equal(sip->sip_path->r_url->url_user, "second");
	assert_string_equal(sip->sip_path->r_next->r_url->url_user, "term");
	assert_true(sip_hdr_has_option(sip->sip_supported, "sec-agree"));
	assert_false(sip_hdr_has_option(sip->sip_supported, "gruu"));

	/* Authorization with AKA parameters */
	struct sip_auth_credentials cr;
	const msg_auth_t *au = sip_auth_find_realm(sip->sip_authorization, "open-ims.test");
	assert_non_null(au);
	assert_null(sip_auth_find_realm(sip->sip_authorization, "other.realm"));
	assert_int_equal(sip_auth_credentials_parse(msg, au, &cr), 0);
	assert_string_equal(cr.scheme, "Digest");
	assert_string_equal(cr.username, "alice@open-ims.test");
	assert_string_equal(cr.realm, "open-ims.test");
	assert_string_equal(cr.nonce, "I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=");
	assert_string_equal(cr.uri, "sip:open-ims.test");
	assert_string_equal(cr.response, "8989073c387c374f6f99dd66da921d63");
	assert_string_equal(cr.algorithm, "AKAv1-MD5");
	assert_string_equal(cr.qop, "auth");
	assert_string_equal(cr.nc, "00000001");
	assert_string_equal(cr.cnonce, "0a4f113b");
	assert_string_equal(cr.integrity_protected, "ip-assoc-yes");
	assert_null(cr.auts);
	assert_null(cr.opaque);

	/* the response verifies with RES of aka-1 as raw octets */
	static const uint8_t res[] = { 0xa5, 0x42, 0x11, 0xd5, 0xe3, 0xba, 0x50, 0xbf };
	char ha1[DIGEST_HEX_MAX];
	enum digest_alg alg;
	bool aka = false;
	assert_int_equal(digest_alg_parse(cr.algorithm, &alg, &aka), 0);
	assert_true(aka);
	assert_int_equal(digest_aka_ha1(cr.username, cr.realm, res, sizeof res, ha1), 0);
	struct digest_request rq = { .alg = alg, .method = sip->sip_request->rq_method_name,
		.uri = cr.uri, .nonce = cr.nonce, .qop = cr.qop, .nc = cr.nc, .cnonce = cr.cnonce };
	assert_int_equal(digest_verify(&rq, ha1, cr.response), 0);
	rq.method = "INVITE";
	assert_int_equal(digest_verify(&rq, ha1, cr.response), -EACCES);

	/* P-Visited-Network-ID: order kept, quotes removed */
	const char **ids = NULL;
	size_t n = 0;
	assert_int_equal(sip_hdr_visited_network_ids(msg, &ids, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], "Visited network number 1");
	assert_string_equal(ids[1], "visited.net");

	/* P-Charging-Vector */
	struct sip_charging_vector pcv;
	assert_int_equal(sip_hdr_charging_vector(msg, &pcv), 0);
	assert_string_equal(pcv.icid_value, "AyretyU0dm+6O2IrT5tAFrbHLso=023551024");
	assert_string_equal(pcv.orig_ioi, "visited.net");
	assert_string_equal(pcv.icid_generated_at, "192.0.6.8");
	assert_null(pcv.term_ioi);
	assert_int_equal(pcv.n_params, 3);

	/* P-Access-Network-Info */
	struct sip_access_network_info pani;
	assert_int_equal(sip_hdr_access_network_info(msg, &pani), 0);
	assert_string_equal(pani.access_type, "3GPP-E-UTRAN-FDD");
	assert_string_equal(sip_hdr_param_find(pani.params, pani.n_params, "utran-cell-id-3gpp"),
			    "0010100010019B01");

	/* Security-Client (TS 33.203 H.2) */
	struct sip_sec_agree sa;
	assert_non_null(sip->sip_security_client);
	assert_int_equal(sip_hdr_sec_agree(sip->sip_security_client, &sa), 0);
	assert_string_equal(sa.mechanism, "ipsec-3gpp");
	assert_string_equal(sa.alg, "hmac-sha-1-96");
	assert_int_equal(sa.spi_c, 3929102);
	assert_int_equal(sa.spi_s, 293020);
	assert_int_equal(sa.port_c, 3333);
	assert_int_equal(sa.port_s, 5059);
	assert_null(sa.ealg);

	/* absent headers say so */
	struct sip_charging_addrs pcfa;
	const sip_route_t *pau = NULL;
	assert_int_equal(sip_hdr_charging_addrs(msg, &pcfa), -ENOENT);
	assert_int_equal(sip_hdr_p_associated_uri(msg, &pau), -ENOENT);
	assert_null(sip->sip_service_route);
	msg_destroy(msg);
}

static void test_401_aka_challenge_carries_ck_ik(void **state)
{
	msg_t *msg = parse_ok(challenge_msg);
	sip_t *sip = sip_object(msg);
	struct sip_auth_challenge ch;

	assert_int_equal(sip->sip_status->st_status, 401);
	assert_int_equal(sip_auth_challenge_parse(msg, sip->sip_www_authenticate, &ch), 0);
	assert_string_equal(ch.scheme, "Digest");
	assert_string_equal(ch.realm, "open-ims.test");
	assert_string_equal(ch.nonce, "I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=");
	assert_string_equal(ch.algorithm, "AKAv1-MD5");
	assert_string_equal(ch.qop, "auth,auth-int");
	assert_string_equal(ch.ck, "b40ba9a3c58b2a05bbf0d987b21bf8cb");
	assert_string_equal(ch.ik, "f769bcd751044604127672711c6d3441");
	assert_null(ch.opaque);

	/* the nonce carries RAND||AUTN of aka-1 */
	uint8_t rnd[16], autn[16];
	size_t sd_len = 99;
	assert_int_equal(digest_aka_nonce_parse(ch.nonce, rnd, autn, NULL, 0, &sd_len), 0);
	assert_int_equal(sd_len, 0);
	assert_int_equal(rnd[0], 0x23);
	assert_int_equal(autn[15], 0xb3);

	/* the P-CSCF strips ck/ik before forwarding to the UE */
	assert_int_equal(sip_auth_strip_keys(msg), 1);
	char buf[2048];
	size_t len = 0;
	assert_int_equal(sip_msg_serialize(msg, buf, sizeof buf, &len), 0);
	buf[len] = '\0';
	assert_null(strstr(buf, "ck="));
	assert_null(strstr(buf, "ik="));
	assert_non_null(strstr(buf, "algorithm=AKAv1-MD5"));
	msg_destroy(msg);

	msg = parse_ok(buf);
	assert_int_equal(sip_auth_challenge_parse(msg, sip_object(msg)->sip_www_authenticate, &ch), 0);
	assert_null(ch.ck);
	assert_null(ch.ik);
	assert_string_equal(ch.nonce, "I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=");
	msg_destroy(msg);
}

static void test_200_register_keeps_associated_uri_order(void **state)
{
	msg_t *msg = parse_ok(ok_msg);
	sip_t *sip = sip_object(msg);
	const sip_route_t *pau = NULL;
	struct sip_charging_addrs pcfa;

	assert_int_equal(sip->sip_status->st_status, 200);
	assert_non_null(sip->sip_path);
	assert_string_equal(sip->sip_path->r_url->url_host, "pcscf.visited.net");
	assert_non_null(sip->sip_service_route);
	assert_string_equal(sip->sip_service_route->r_url->url_user, "orig");
	assert_string_equal(sip->sip_service_route->r_url->url_host, "scscf.open-ims.test");
	assert_string_equal(sip->sip_service_route->r_url->url_port, "6060");

	assert_int_equal(sip_hdr_p_associated_uri(msg, &pau), 0);
	assert_non_null(pau);
	assert_string_equal(url_as_string(msg_home(msg), pau->r_url), "sip:alice@open-ims.test");
	pau = pau->r_next;
	assert_non_null(pau);
	assert_string_equal(pau->r_display, "\"Alice\"");
	assert_string_equal(pau->r_url->url_user, "+15551234567");
	pau = pau->r_next;
	assert_non_null(pau);
	assert_int_equal(pau->r_url->url_type, url_tel);
	assert_string_equal(url_as_string(msg_home(msg), pau->r_url), "tel:+15551234567");
	assert_null(pau->r_next);

	assert_int_equal(sip_hdr_charging_addrs(msg, &pcfa), 0);
	assert_int_equal(pcfa.n_ccf, 2);
	assert_string_equal(pcfa.ccf[0], "192.1.1.1");
	assert_string_equal(pcfa.ccf[1], "192.1.1.2");
	assert_int_equal(pcfa.n_ecf, 2);
	assert_string_equal(pcfa.ecf[0], "[2001:db8::1]");
	assert_string_equal(pcfa.ecf[1], "ecf.open-ims.test");
	msg_destroy(msg);
}

/* A 200 OK built by a S-CSCF: add every IMS header, serialise, parse back. */
static void test_built_headers_survive_serialise_and_parse(void **state)
{
	static const char base[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP pcscf.visited.net:5060;branch=z9hG4bKx\r\n"
		"From: <sip:bob@open-ims.test>;tag=1\r\n"
		"To: <sip:bob@open-ims.test>;tag=2\r\n"
		"Call-ID: build-1@test\r\n"
		"CSeq: 7 REGISTER\r\n"
		"Content-Length: 0\r\n\r\n";
	msg_t *msg = parse_ok(base);
	const char *uris[] = { "sip:bob@open-ims.test", "tel:+15550001", "sip:bob2@open-ims.test" };
	const char *ccf[] = { "ccf1.open-ims.test", "2001:db8::5" };
	const char *ecf[] = { "ecf1.open-ims.test" };
	struct sip_charging_addrs addrs = { ccf, 2, ecf, 1 };
	struct sip_charging_vector pcv = { .icid_value = "icid=1234", .orig_ioi = "home.net",
					   .term_ioi = "visited.net" };
	struct sip_auth_challenge ch = { .realm = "open-ims.test", .nonce = "abc=",
		.algorithm = "AKAv1-MD5", .qop = "auth", .ck = "00ff", .ik = "11ee" };
	char buf[4096];
	size_t len = 0;

	assert_int_equal(sip_hdr_add_path(msg, "sip:term@pcscf.visited.net;lr"), 0);
	assert_int_equal(sip_hdr_add_service_route(msg, "sip:orig@scscf.open-ims.test;lr"), 0);
	assert_int_equal(sip_hdr_add_p_associated_uri(msg, uris, 3), 0);
	assert_int_equal(sip_hdr_add_charging_addrs(msg, &addrs), 0);
	assert_int_equal(sip_hdr_add_charging_vector(msg, &pcv), 0);
	assert_int_equal(sip_hdr_add_visited_network_id(msg, "Visited network 2"), 0);
	assert_int_equal(sip_hdr_add_p_asserted_identity(msg, "Bob", "sip:bob@open-ims.test"), 0);
	assert_int_equal(sip_auth_add_challenge(msg, &ch, false), 0);
	assert_int_equal(sip_hdr_add_raw(msg, "Bad Name", "x"), -EINVAL);
	assert_int_equal(sip_hdr_add_raw(msg, "X-Inject", "a\r\nVia: evil"), -EINVAL);

	assert_int_equal(sip_msg_serialize(msg, buf, 10, &len), -ENOSPC);
	assert_true(len > 10);
	assert_int_equal(sip_msg_serialize(msg, buf, sizeof buf - 1, &len), 0);
	buf[len] = '\0';
	msg_destroy(msg);
	msg = parse_ok(buf);
	sip_t *sip = sip_object(msg);
	assert_string_equal(sip->sip_path->r_url->url_host, "pcscf.visited.net");
	assert_string_equal(sip->sip_service_route->r_url->url_host, "scscf.open-ims.test");

	const sip_route_t *pau = NULL;
	assert_int_equal(sip_hdr_p_associated_uri(msg, &pau), 0);
	for (int i = 0; i < 3; i++, pau = pau->r_next) {
		assert_non_null(pau);
		assert_string_equal(url_as_string(msg_home(msg), pau->r_url), uris[i]);
	}
	assert_null(pau);

	struct sip_charging_addrs got;
	assert_int_equal(sip_hdr_charging_addrs(msg, &got), 0);
	assert_int_equal(got.n_ccf, 2);
	assert_string_equal(got.ccf[1], "2001:db8::5");
	assert_int_equal(got.n_ecf, 1);
	assert_string_equal(got.ecf[0], "ecf1.open-ims.test");

	struct sip_charging_vector gpcv;
	assert_int_equal(sip_hdr_charging_vector(msg, &gpcv), 0);
	assert_string_equal(gpcv.icid_value, "icid=1234");
	assert_string_equal(gpcv.orig_ioi, "home.net");
	assert_string_equal(gpcv.term_ioi, "visited.net");
	assert_null(gpcv.icid_generated_at);

	const char **ids;
	size_t n;
	assert_int_equal(sip_hdr_visited_network_ids(msg, &ids, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], "Visited network 2");

	const sip_p_asserted_identity_t *paid = NULL;
	assert_int_equal(sip_hdr_p_asserted_identity(msg, &paid), 0);
	assert_string_equal(url_as_string(msg_home(msg), paid->paid_url), "sip:bob@open-ims.test");
	const sip_p_preferred_identity_t *ppid = NULL;
	assert_int_equal(sip_hdr_p_preferred_identity(msg, &ppid), -ENOENT);

	struct sip_auth_challenge gch;
	assert_int_equal(sip_auth_challenge_parse(msg, sip->sip_www_authenticate, &gch), 0);
	assert_string_equal(gch.nonce, "abc=");
	assert_string_equal(gch.ck, "00ff");
	assert_string_equal(gch.ik, "11ee");
	assert_string_equal(gch.algorithm, "AKAv1-MD5");
	msg_destroy(msg);
}

/* A message parsed with sofia's default class (as nta does without
 * NTATAG_MCLASS) keeps P-Asserted-Identity as unknown; the accessor still
 * types it. */
static void test_p_asserted_identity_read_from_default_class(void **state)
{
	static const char text[] =
		"INVITE sip:bob@open-ims.test SIP/2.0\r\n"
		"Via: SIP/2.0/UDP pcscf.visited.net;branch=z9hG4bKpai\r\n"
		"From: <sip:alice@open-ims.test>;tag=a\r\n"
		"To: <sip:bob@open-ims.test>\r\n"
		"Call-ID: pai@test\r\n"
		"CSeq: 1 INVITE\r\n"
		"P-Asserted-Identity: \"Alice\" <sip:alice@open-ims.test>, <tel:+15551234567>\r\n"
		"P-Preferred-Identity: <sip:alice.pref@open-ims.test>\r\n"
		"Content-Length: 0\r\n\r\n";
	msg_t *msg = msg_make(sip_default_mclass(), MSG_DO_EXTRACT_COPY, text, (ssize_t)strlen(text));
	const sip_p_asserted_identity_t *paid = NULL;
	const sip_p_preferred_identity_t *ppid = NULL;

	assert_non_null(msg);
	assert_non_null(sip_hdr_unknown_value(sip_object(msg), "p-asserted-identity"));
	assert_int_equal(sip_hdr_p_asserted_identity(msg, &paid), 0);
	assert_string_equal(paid->paid_display, "\"Alice\"");
	assert_string_equal(paid->paid_url->url_host, "open-ims.test");
	assert_non_null(paid->paid_next);
	assert_int_equal(paid->paid_next->paid_url->url_type, url_tel);
	assert_int_equal(sip_hdr_p_preferred_identity(msg, &ppid), 0);
	assert_string_equal(ppid->ppid_url->url_user, "alice.pref");
	msg_destroy(msg);

	/* and natively with our class */
	msg = parse_ok(text);
	assert_null(sip_hdr_unknown_value(sip_object(msg), "P-Asserted-Identity"));
	assert_int_equal(sip_hdr_p_asserted_identity(msg, &paid), 0);
	assert_string_equal(paid->paid_url->url_user, "alice");
	msg_destroy(msg);
}

static void test_malformed_ims_headers_are_rejected(void **state)
{
	static const char text[] =
		"MESSAGE sip:bob@open-ims.test SIP/2.0\r\n"
		"Via: SIP/2.0/UDP p;branch=z9hG4bKm\r\n"
		"From: <sip:a@b>;tag=a\r\nTo: <sip:b@b>\r\nCall-ID: m@t\r\nCSeq: 1 MESSAGE\r\n"
		"P-Charging-Vector: orig-ioi=home.net\r\n"
		"P-Charging-Function-Addresses: foo=bar\r\n"
		"P-Visited-Network-ID: \"unterminated\r\n"
		"Security-Client: ipsec-3gpp; spi-c=99999999999; port-c=1\r\n"
		"Authorization: Digest username=\"a\", realm=\"r\"\r\n"
		"Content-Length: 0\r\n\r\n";
	msg_t *msg = parse_ok(text);
	struct sip_charging_vector pcv;
	struct sip_charging_addrs pcfa;
	struct sip_sec_agree sa;
	struct sip_auth_credentials cr;
	const char **ids;
	size_t n;

	/* icid-value is mandatory (RFC 7315 4.6) */
	assert_int_equal(sip_hdr_charging_vector(msg, &pcv), -EBADMSG);
	assert_int_equal(sip_hdr_charging_addrs(msg, &pcfa), -EBADMSG);
	assert_int_equal(sip_hdr_visited_network_ids(msg, &ids, &n), -EBADMSG);
	assert_int_equal(sip_hdr_sec_agree(sip_object(msg)->sip_security_client, &sa), -EBADMSG);
	assert_int_equal(sip_auth_credentials_parse(msg, sip_object(msg)->sip_authorization, &cr),
			 -EBADMSG);
	msg_destroy(msg);
}

static msg_t *make_raw(const char *text)
{
	msg_t *msg = msg_make(sip_msg_mclass(), MSG_DO_EXTRACT_COPY, text, (ssize_t)strlen(text));
	assert_non_null(msg);
	return msg;
}

/* sip_msg_check on what nta would hand a daemon */
static void test_request_check_gives_400_or_505(void **state)
{
	static const char good[] =
		"OPTIONS sip:x@open-ims.test SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:x@open-ims.test>\r\nCall-ID: c1\r\n"
		"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
	static const char mismatch[] =
		"OPTIONS sip:x@open-ims.test SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:x@open-ims.test>\r\nCall-ID: c1\r\n"
		"CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
	static const char no_callid[] =
		"OPTIONS sip:x@open-ims.test SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:x@open-ims.test>\r\n"
		"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
	static const char version[] =
		"OPTIONS sip:x@open-ims.test SIP/3.0\r\nVia: SIP/3.0/UDP h;branch=z9hG4bK1\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:x@open-ims.test>\r\nCall-ID: c1\r\n"
		"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
	char why[128];
	msg_t *msg;

	msg = make_raw(good);
	assert_int_equal(sip_msg_check(sip_object(msg), why, sizeof why), 0);
	assert_true(sip_request_is_well_formed(sip_object(msg), NULL, 0));
	msg_destroy(msg);

	msg = make_raw(mismatch);
	assert_int_equal(sip_msg_check(sip_object(msg), why, sizeof why), 400);
	assert_non_null(strstr(why, "CSeq"));
	assert_false(sip_request_is_well_formed(sip_object(msg), NULL, 0));
	msg_destroy(msg);

	msg = make_raw(no_callid);
	assert_int_equal(sip_msg_check(sip_object(msg), why, sizeof why), 400);
	assert_string_equal(why, "missing Call-ID header");
	msg_destroy(msg);

	msg = make_raw(version);
	assert_int_equal(sip_msg_check(sip_object(msg), why, sizeof why), 505);
	msg_destroy(msg);

	assert_int_equal(sip_msg_parse(version, strlen(version), &msg), -EPROTONOSUPPORT);
	assert_null(msg);
	assert_int_equal(sip_msg_parse(mismatch, strlen(mismatch), &msg), -EBADMSG);
	assert_int_equal(sip_msg_parse("", 0, &msg), -EINVAL);
	assert_int_equal(sip_msg_parse("garbage\r\n\r\n", 11, &msg), -EBADMSG);
	assert_int_equal(sip_msg_check(NULL, NULL, 0), 400);
}

/* sofia writes one event in fragments; log.h gets it as one line. */
static void test_log_route_joins_sofia_fragments_into_one_line(void **state)
{
	FILE *tmp = tmpfile();
	char out[512] = "";
	int saved = dup(STDERR_FILENO);
	size_t n;

	assert_non_null(tmp);
	assert_true(saved >= 0);
	sip_log_route();
	sip_log_route();        /* idempotent */
	fflush(stderr);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	su_llog(su_log_default, 0, "%s: ", "nta_msg_tsend(response)");
	su_llog(su_log_default, 0, "bad %s\n", "via");
	su_llog(su_log_default, 0, "second line\n");
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof out - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	char *first = strstr(out, "sofia/su: nta_msg_tsend(response): bad via");
	assert_non_null(first);
	char *eol = strchr(first, '\n');
	assert_non_null(eol);
	assert_non_null(strstr(eol, "sofia/su: second line"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_from_pcscf_typed_headers),
		cmocka_unit_test(test_401_aka_challenge_carries_ck_ik),
		cmocka_unit_test(test_200_register_keeps_associated_uri_order),
		cmocka_unit_test(test_built_headers_survive_serialise_and_parse),
		cmocka_unit_test(test_p_asserted_identity_read_from_default_class),
		cmocka_unit_test(test_malformed_ims_headers_are_rejected),
		cmocka_unit_test(test_request_check_gives_400_or_505),
		cmocka_unit_test(test_log_route_joins_sofia_fragments_into_one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
