/* I-CSCF trust domain (trust.c) and topology hiding (thig.c, thig_token.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_string.h>

#include "ims/sip.h"
#include "thig.h"
#include "trust.h"

#define ME "icscf.home.test:5060"

static bool is_me(void *ctx, const url_t *u)
{
	(void)ctx;
	return u->url_host && !strcmp(u->url_host, "icscf.home.test") &&
	       (!u->url_port || !strcmp(u->url_port, "5060"));
}

static struct thig *new_thig(uint8_t fill)
{
	uint8_t key[THIG_KEY_LEN];
	struct thig *t = NULL;

	memset(key, fill, sizeof key);
	assert_int_equal(thig_create(key, ME, is_me, NULL, &t), 0);
	return t;
}

static msg_t *parse(const char *text)
{
	msg_t *m = NULL;
	char why[200] = "";

	if (sip_msg_parse_why(text, strlen(text), &m, why, sizeof why) != 0)
		print_error("cannot parse (%s):\n%s\n", why, text);
	assert_non_null(m);
	return m;
}

/* The message as it would be sent (NUL terminated, static buffer). */
static const char *wire(msg_t *m)
{
	static char buf[16384];
	size_t len = 0;

	assert_int_equal(sip_msg_serialize(m, buf, sizeof buf - 1, &len), 0);
	buf[len] = '\0';
	return buf;
}

/* Value of the n-th (0-based) element of a route-like list, as text. */
static char *elem(su_home_t *home, const void *list, int n)
{
	const sip_route_t *r = list;

	while (r && n-- > 0)
		r = r->r_next;
	char buf[8192];
	issize_t len;

	if (!r)
		return NULL;
	/* Not sip_header_as_string: it cuts long parameters (sofia 1.12.11). */
	len = msg_header_field_e(buf, sizeof buf, (const msg_header_t *)r, 0);
	assert_true(len > 0 && (size_t)len < sizeof buf);
	return su_strndup(home, buf, len);
}

static void test_thig_token_round_trip_and_random_iv(void **state)
{
	struct thig *t = new_thig(7);
	char a[1024], b[1024], plain[256];

	(void)state;
	assert_int_equal(thig_seal(t, THIG_ROUTE, "<sip:s.home.test;lr>", 20, a, sizeof a), 0);
	assert_int_equal(thig_seal(t, THIG_ROUTE, "<sip:s.home.test;lr>", 20, b, sizeof b), 0);
	assert_string_not_equal(a, b); /* fresh IV each time */
	assert_null(strpbrk(a, "+/=;,<>\" "));
	assert_int_equal(thig_open(t, THIG_ROUTE, a, plain, sizeof plain), 0);
	assert_string_equal(plain, "<sip:s.home.test;lr>");
	assert_int_equal(thig_seal(t, THIG_ROUTE, "", 0, a, sizeof a), 0);
	assert_int_equal(thig_open(t, THIG_ROUTE, a, plain, sizeof plain), 0);
	assert_string_equal(plain, "");
	thig_destroy(t);
}

static void test_thig_token_rejects_tamper_kind_key_and_garbage(void **state)
{
	struct thig *t = new_thig(7), *other = new_thig(8);
	char tok[1024], bad[1024], plain[256];
	size_t i, len;

	(void)state;
	assert_int_equal(thig_seal(t, THIG_ROUTE, "<sip:s.home.test;lr>", 20, tok, sizeof tok), 0);
	len = strlen(tok);
	/* Every position flipped is refused (IV, ciphertext, tag). */
	for (i = 0; i < len; i++) {
		memcpy(bad, tok, len + 1);
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		assert_int_equal(thig_open(t, THIG_ROUTE, bad, plain, sizeof plain), -EBADMSG);
		assert_string_equal(plain, "");
	}
	assert_int_equal(thig_open(t, THIG_VIA, tok, plain, sizeof plain), -EBADMSG);
	assert_int_equal(thig_open(other, THIG_ROUTE, tok, plain, sizeof plain), -EBADMSG);
	memcpy(bad, tok, len - 3);
	bad[len - 3] = '\0';
	assert_int_equal(thig_open(t, THIG_ROUTE, bad, plain, sizeof plain), -EBADMSG);
	assert_int_equal(thig_open(t, THIG_ROUTE, "", plain, sizeof plain), -EBADMSG);
	assert_int_equal(thig_open(t, THIG_ROUTE, "not*base64!", plain, sizeof plain), -EBADMSG);
	assert_int_equal(thig_open(t, THIG_ROUTE, "AAAA", plain, sizeof plain), -EBADMSG);
	thig_destroy(t);
	thig_destroy(other);
}

static void test_thig_key_from_hex_and_file(void **state)
{
	uint8_t k[THIG_KEY_LEN], raw[THIG_KEY_LEN];
	char path[] = "/tmp/thig-key-XXXXXX";
	char hex[65];
	int fd;
	size_t i;

	(void)state;
	for (i = 0; i < THIG_KEY_LEN; i++) {
		raw[i] = (uint8_t)(i * 7 + 1);
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	}
	assert_int_equal(thig_key_parse_hex(hex, k), 0);
	assert_memory_equal(k, raw, sizeof raw);
	assert_int_equal(thig_key_parse_hex("00ff", k), -EINVAL);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, hex, 64), 64);
	assert_int_equal(write(fd, "\n", 1), 1);
	close(fd);
	memset(k, 0, sizeof k);
	assert_int_equal(thig_key_load(path, k), 0);
	assert_memory_equal(k, raw, sizeof raw);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, raw, sizeof raw), (ssize_t)sizeof raw);
	close(fd);
	memset(k, 0, sizeof k);
	assert_int_equal(thig_key_load(path, k), 0);
	assert_memory_equal(k, raw, sizeof raw);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "short", 5), 5);
	close(fd);
	assert_int_equal(thig_key_load(path, k), -EINVAL);
	unlink(path);
	assert_int_equal(thig_key_load("/nonexistent/thig.key", k), -ENOENT);
}

static struct sockaddr_in v4(const char *ip)
{
	struct sockaddr_in s = { .sin_family = AF_INET };

	inet_pton(AF_INET, ip, &s.sin_addr);
	return s;
}

static void test_trust_matches_prefixes_hosts_and_default_loopback(void **state)
{
	const char *nets[] = { "10.77.0.0/24", "192.0.2.7", "2001:db8::/32" };
	const char *extra[] = { "198.51.100.9" };
	struct trust_table t;
	struct sockaddr_in s;
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };

	(void)state;
	assert_int_equal(trust_build(&t, nets, 3, extra, 1), 0);
	/* A name without a DNS lookup (the home domains): unit tests stay
	 * offline. */
	assert_int_equal(trust_add_name(&t, "home.test"), 0);
	s = v4("10.77.0.200");
	assert_true(trust_addr(&t, (struct sockaddr *)&s));
	s = v4("10.77.1.1");
	assert_false(trust_addr(&t, (struct sockaddr *)&s));
	s = v4("192.0.2.7");
	assert_true(trust_addr(&t, (struct sockaddr *)&s));
	s = v4("192.0.2.8");
	assert_false(trust_addr(&t, (struct sockaddr *)&s));
	s = v4("198.51.100.9");
	assert_true(trust_addr(&t, (struct sockaddr *)&s));
	s = v4("127.0.0.1"); /* an explicit list replaces the loopback default */
	assert_false(trust_addr(&t, (struct sockaddr *)&s));
	inet_pton(AF_INET6, "2001:db8:1::5", &s6.sin6_addr);
	assert_true(trust_addr(&t, (struct sockaddr *)&s6));
	inet_pton(AF_INET6, "::ffff:10.77.0.3", &s6.sin6_addr);
	assert_true(trust_addr(&t, (struct sockaddr *)&s6));
	assert_true(trust_host(&t, "home.test"));
	assert_true(trust_host(&t, "scscf.HOME.test"));
	assert_false(trust_host(&t, "evilhome.test"));
	assert_false(trust_host(&t, "visited.test"));
	assert_true(trust_host(&t, "10.77.0.9"));
	assert_true(trust_host(&t, "[2001:db8::1]"));
	assert_false(trust_host(&t, "203.0.113.1"));
	trust_free(&t);

	assert_int_equal(trust_build(&t, NULL, 0, NULL, 0), 0);
	s = v4("127.0.0.2");
	assert_true(trust_addr(&t, (struct sockaddr *)&s));
	s = v4("10.0.0.1");
	assert_false(trust_addr(&t, (struct sockaddr *)&s));
	trust_free(&t);
}

static const char invite_in[] =
	"INVITE sip:bob@home.test SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bKext1\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:carol@visited.test>;tag=c1\r\n"
	"To: <sip:bob@home.test>\r\n"
	"Call-ID: call-1@visited.test\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:carol@203.0.113.5>\r\n"
	"Record-Route: <sip:ibcf.visited.test;lr>\r\n"
	"P-Asserted-Identity: <sip:boss@home.test>\r\n"
	"P-Preferred-Identity: <sip:boss@home.test>\r\n"
	"P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=001010000000001\r\n"
	"P-Served-User: <sip:boss@home.test>\r\n"
	"P-Profile-Key: <sip:boss@home.test>\r\n"
	"P-Charging-Function-Addresses: ccf=192.0.2.1\r\n"
	"P-Charging-Vector: icid-value=abc\r\n"
	"Subject: hello\r\n"
	"Content-Length: 0\r\n\r\n";

static void test_trust_strip_inbound_removes_asserted_headers(void **state)
{
	msg_t *m = parse(invite_in);
	const char *w;

	(void)state;
	assert_int_equal(trust_strip_inbound(m), 6);
	w = wire(m);
	assert_null(strstr(w, "P-Asserted-Identity"));
	assert_null(strstr(w, "P-Preferred-Identity"));
	assert_null(strstr(w, "P-Access-Network-Info"));
	assert_null(strstr(w, "P-Served-User"));
	assert_null(strstr(w, "P-Profile-Key"));
	assert_null(strstr(w, "P-Charging-Function-Addresses"));
	assert_non_null(strstr(w, "P-Charging-Vector: icid-value=abc"));
	assert_non_null(strstr(w, "Subject: hello"));
	msg_destroy(m);
}

static void test_trust_strip_outbound_keeps_pai_unless_privacy_id(void **state)
{
	static const char resp[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bKext1\r\n"
		"From: <sip:carol@visited.test>;tag=c1\r\n"
		"To: <sip:bob@home.test>;tag=b1\r\n"
		"Call-ID: call-1@visited.test\r\n"
		"CSeq: 1 INVITE\r\n"
		"P-Asserted-Identity: <sip:bob@home.test>\r\n"
		"P-Charging-Function-Addresses: ccf=192.0.2.1\r\n"
		"%s"
		"Content-Length: 0\r\n\r\n";
	char text[1024];
	msg_t *m;

	(void)state;
	snprintf(text, sizeof text, resp, "");
	m = parse(text);
	assert_int_equal(trust_strip_outbound(m), 1);
	assert_non_null(strstr(wire(m), "P-Asserted-Identity: <sip:bob@home.test>"));
	assert_null(strstr(wire(m), "P-Charging-Function-Addresses"));
	msg_destroy(m);
	snprintf(text, sizeof text, resp, "Privacy: header;id\r\n");
	m = parse(text);
	assert_int_equal(trust_strip_outbound(m), 2);
	assert_null(strstr(wire(m), "P-Asserted-Identity"));
	msg_destroy(m);
}

/* Terminating INVITE from another network, THIG: our Record-Route goes in
 * clear; the 200 going back shows only our tokened entry; the ACK/BYE
 * Route built from it is restored to the home entries in Route order. */
static void test_thig_hides_response_record_route_and_restores_route(void **state)
{
	static const char ok200[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bKext1\r\n"
		"Record-Route: <sip:pcscf.home.test:4060;lr>, <sip:scscf.home.test:6060;lr>\r\n"
		"Record-Route: <sip:" ME ";lr>, <sip:ibcf.visited.test;lr>\r\n"
		"From: <sip:carol@visited.test>;tag=c1\r\n"
		"To: <sip:bob@home.test>;tag=b1\r\n"
		"Call-ID: call-1@visited.test\r\n"
		"CSeq: 1 INVITE\r\n"
		"Contact: <sip:bob@198.51.100.20>\r\n"
		"Content-Length: 0\r\n\r\n";
	su_home_t home[1] = { SU_HOME_INIT(home) };
	struct thig *t = new_thig(1);
	msg_t *req = parse(invite_in), *resp = parse(ok200), *bye;
	char byetext[8192], *rr0;
	const char *w;
	sip_t *sip;

	(void)state;
	assert_int_equal(thig_add_record_route(t, req), 0);
	sip = sip_object(req);
	assert_string_equal(elem(home, sip->sip_record_route, 0), "<sip:" ME ";lr>");
	assert_string_equal(elem(home, sip->sip_record_route, 1), "<sip:ibcf.visited.test;lr>");

	assert_int_equal(thig_hide_response(t, resp), 0);
	w = wire(resp);
	assert_null(strstr(w, "pcscf"));
	assert_null(strstr(w, "scscf"));
	sip = sip_object(resp);
	rr0 = elem(home, sip->sip_record_route, 0);
	assert_non_null(strstr(rr0, "<sip:" ME ";lr;thig="));
	assert_string_equal(elem(home, sip->sip_record_route, 1), "<sip:ibcf.visited.test;lr>");
	assert_null(elem(home, sip->sip_record_route, 2));

	/* The caller's BYE: Route = reversed Record-Route, ibcf popped. */
	snprintf(byetext, sizeof byetext,
		 "BYE sip:bob@198.51.100.20 SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bKext2\r\n"
		 "Route: %s\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:carol@visited.test>;tag=c1\r\n"
		 "To: <sip:bob@home.test>;tag=b1\r\n"
		 "Call-ID: call-1@visited.test\r\n"
		 "CSeq: 2 BYE\r\n"
		 "Content-Length: 0\r\n\r\n", rr0);
	bye = parse(byetext);
	assert_true(thig_route_token(t, sip_object(bye)));
	assert_int_equal(thig_restore_route(t, bye), 1);
	sip = sip_object(bye);
	assert_string_equal(elem(home, sip->sip_route, 0), "<sip:scscf.home.test:6060;lr>");
	assert_string_equal(elem(home, sip->sip_route, 1), "<sip:pcscf.home.test:4060;lr>");
	assert_null(elem(home, sip->sip_route, 2));
	msg_destroy(bye);

	/* A forged token: refused, the request is left alone. */
	rr0 = strstr(byetext, "thig=") + 12;
	*rr0 = *rr0 == 'A' ? 'B' : 'A';
	bye = parse(byetext);
	assert_int_equal(thig_restore_route(t, bye), -EBADMSG);
	msg_destroy(bye);

	msg_destroy(req);
	msg_destroy(resp);
	thig_destroy(t);
	su_home_deinit(home);
}

/* REGISTER from a visited P-CSCF: our Path on top; the 2xx shows our
 * tokened entry as Service-Route, which restores the S-CSCF's. */
static void test_thig_register_path_and_service_route(void **state)
{
	static const char reg[] =
		"REGISTER sip:home.test SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 203.0.113.7:4060;branch=z9hG4bKp1\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:alice@home.test>;tag=a1\r\n"
		"To: <sip:alice@home.test>\r\n"
		"Call-ID: reg-1\r\n"
		"CSeq: 1 REGISTER\r\n"
		"Path: <sip:term@pcscf.visited.test;lr>\r\n"
		"Contact: <sip:alice@203.0.113.99>\r\n"
		"Content-Length: 0\r\n\r\n";
	static const char ok[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 203.0.113.7:4060;branch=z9hG4bKp1\r\n"
		"From: <sip:alice@home.test>;tag=a1\r\n"
		"To: <sip:alice@home.test>;tag=s1\r\n"
		"Call-ID: reg-1\r\n"
		"CSeq: 1 REGISTER\r\n"
		"Path: <sip:" ME ";lr>, <sip:term@pcscf.visited.test;lr>\r\n"
		"Service-Route: <sip:orig@scscf.home.test:6060;lr>\r\n"
		"Content-Length: 0\r\n\r\n";
	su_home_t home[1] = { SU_HOME_INIT(home) };
	struct thig *t = new_thig(2);
	msg_t *m = parse(reg), *r = parse(ok), *inv;
	char text[8192], *sr;

	(void)state;
	assert_int_equal(thig_add_path(t, m), 0);
	assert_string_equal(elem(home, sip_object(m)->sip_path, 0), "<sip:" ME ";lr>");
	assert_string_equal(elem(home, sip_object(m)->sip_path, 1),
			    "<sip:term@pcscf.visited.test;lr>");
	assert_int_equal(thig_hide_response(t, r), 0);
	assert_null(strstr(wire(r), "scscf"));
	sr = elem(home, sip_object(r)->sip_service_route, 0);
	assert_non_null(strstr(sr, "<sip:" ME ";lr;thig="));
	assert_null(elem(home, sip_object(r)->sip_service_route, 1));
	snprintf(text, sizeof text,
		 "INVITE sip:bob@home.test SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 203.0.113.7:4060;branch=z9hG4bKp2\r\n"
		 "Route: %s, <sip:extra.visited.test;lr>\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:alice@home.test>;tag=a2\r\n"
		 "To: <sip:bob@home.test>\r\n"
		 "Call-ID: inv-1\r\n"
		 "CSeq: 1 INVITE\r\n"
		 "Content-Length: 0\r\n\r\n", sr);
	inv = parse(text);
	assert_int_equal(thig_restore_route(t, inv), 1);
	assert_string_equal(elem(home, sip_object(inv)->sip_route, 0),
			    "<sip:orig@scscf.home.test:6060;lr>");
	assert_string_equal(elem(home, sip_object(inv)->sip_route, 1),
			    "<sip:extra.visited.test;lr>");
	msg_destroy(inv);
	msg_destroy(m);
	msg_destroy(r);
	thig_destroy(t);
	su_home_deinit(home);
}

/* Request from home to another network: Vias and Record-Route folded into
 * ours; the response coming back (nta's own Via already popped) gets them
 * back. */
static void test_thig_hides_request_via_and_restores_response(void **state)
{
	static const char inv[] =
		"INVITE sip:carol@visited.test SIP/2.0\r\n"
		"Via: SIP/2.0/UDP scscf.home.test:6060;branch=z9hG4bKs1\r\n"
		"Via: SIP/2.0/UDP pcscf.home.test:4060;branch=z9hG4bKp1, SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKue;rport=5060\r\n"
		"Record-Route: <sip:scscf.home.test:6060;lr>, <sip:pcscf.home.test:4060;lr>\r\n"
		"Max-Forwards: 68\r\n"
		"From: <sip:alice@home.test>;tag=a1\r\n"
		"To: <sip:carol@visited.test>\r\n"
		"Call-ID: out-1\r\n"
		"CSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n";
	su_home_t home[1] = { SU_HOME_INIT(home) };
	struct thig *t = new_thig(3);
	msg_t *m = parse(inv), *r;
	char text[16384], *via, *rr;
	const char *w;

	(void)state;
	assert_int_equal(thig_hide_request(t, m, true), 0);
	w = wire(m);
	assert_null(strstr(w, "scscf.home"));
	assert_null(strstr(w, "pcscf.home"));
	assert_null(strstr(w, "10.0.0.9"));
	via = elem(home, sip_object(m)->sip_via, 0);
	assert_non_null(strstr(via, "SIP/2.0/UDP " ME ";branch=z9hG4bK"));
	assert_null(elem(home, sip_object(m)->sip_via, 1));
	rr = elem(home, sip_object(m)->sip_record_route, 0);
	assert_non_null(strstr(rr, "<sip:" ME ";lr;thig="));
	assert_null(elem(home, sip_object(m)->sip_record_route, 1));

	snprintf(text, sizeof text,
		 "SIP/2.0 200 OK\r\n"
		 "Via: %s\r\n"
		 "Record-Route: <sip:ibcf.visited.test;lr>, %s\r\n"
		 "From: <sip:alice@home.test>;tag=a1\r\n"
		 "To: <sip:carol@visited.test>;tag=c9\r\n"
		 "Call-ID: out-1\r\n"
		 "CSeq: 1 INVITE\r\n"
		 "Content-Length: 0\r\n\r\n", via, rr);
	r = parse(text);
	assert_int_equal(thig_restore_response(t, r), 1);
	assert_string_equal(elem(home, sip_object(r)->sip_via, 0),
			    "SIP/2.0/UDP scscf.home.test:6060;branch=z9hG4bKs1");
	assert_string_equal(elem(home, sip_object(r)->sip_via, 2),
			    "SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKue;rport=5060");
	assert_null(elem(home, sip_object(r)->sip_via, 3));
	assert_string_equal(elem(home, sip_object(r)->sip_record_route, 0),
			    "<sip:ibcf.visited.test;lr>");
	assert_string_equal(elem(home, sip_object(r)->sip_record_route, 1), "<sip:" ME ";lr>");
	assert_string_equal(elem(home, sip_object(r)->sip_record_route, 2),
			    "<sip:scscf.home.test:6060;lr>");
	assert_string_equal(elem(home, sip_object(r)->sip_record_route, 3),
			    "<sip:pcscf.home.test:4060;lr>");
	msg_destroy(r);

	/* A tampered Via token: refused. */
	via[strlen(via) - 5] = via[strlen(via) - 5] == 'A' ? 'B' : 'A';
	snprintf(text, sizeof text,
		 "SIP/2.0 200 OK\r\nVia: %s\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:c@v>;tag=2\r\n"
		 "Call-ID: out-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n", via);
	r = parse(text);
	assert_int_equal(thig_restore_response(t, r), -EBADMSG);
	msg_destroy(r);
	msg_destroy(m);
	thig_destroy(t);
	su_home_deinit(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thig_token_round_trip_and_random_iv),
		cmocka_unit_test(test_thig_token_rejects_tamper_kind_key_and_garbage),
		cmocka_unit_test(test_thig_key_from_hex_and_file),
		cmocka_unit_test(test_trust_matches_prefixes_hosts_and_default_loopback),
		cmocka_unit_test(test_trust_strip_inbound_removes_asserted_headers),
		cmocka_unit_test(test_trust_strip_outbound_keeps_pai_unless_privacy_id),
		cmocka_unit_test(test_thig_hides_response_record_route_and_restores_route),
		cmocka_unit_test(test_thig_register_path_and_service_route),
		cmocka_unit_test(test_thig_hides_request_via_and_restores_response),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
