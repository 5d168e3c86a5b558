/* config: cfg_print round trip, cfg_describe, ready-made checks. */
#include "test_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void assert_str_eq_or_null(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_apps_equal(const struct t_app *a, const struct t_app *b)
{
	const struct t_peer *pa = a->diameter.peers.items;
	const struct t_peer *pb = b->diameter.peers.items;

	assert_str_eq_or_null(a->name, b->name);
	assert_int_equal(a->workers, b->workers);
	assert_int_equal(a->debug, b->debug);
	assert_int_equal(a->shutdown_grace, b->shutdown_grace);
	assert_str_eq_or_null(a->sip.listen, b->sip.listen);
	assert_int_equal(a->sip.port, b->sip.port);
	assert_int_equal(a->sip.transport, b->sip.transport);
	assert_int_equal(a->sip.domains.n, b->sip.domains.n);
	for (size_t i = 0; i < a->sip.domains.n; i++)
		assert_string_equal(a->sip.domains.v[i], b->sip.domains.v[i]);
	assert_str_eq_or_null(a->sip.scscf_uri, b->sip.scscf_uri);
	assert_int_equal(a->sip.timer_t1, b->sip.timer_t1);
	assert_str_eq_or_null(a->diameter.identity, b->diameter.identity);
	assert_str_eq_or_null(a->diameter.realm, b->diameter.realm);
	assert_int_equal(a->diameter.port, b->diameter.port);
	assert_int_equal(a->diameter.watchdog, b->diameter.watchdog);
	assert_int_equal(a->diameter.peers.n, b->diameter.peers.n);
	for (size_t i = 0; i < a->diameter.peers.n; i++) {
		assert_str_eq_or_null(pa[i].host, pb[i].host);
		assert_int_equal(pa[i].port, pb[i].port);
		assert_str_eq_or_null(pa[i].realm, pb[i].realm);
		assert_int_equal(pa[i].transport, pb[i].transport);
		assert_int_equal(pa[i].tls, pb[i].tls);
	}
	assert_str_eq_or_null(a->db.host, b->db.host);
	assert_int_equal(a->db.port, b->db.port);
	assert_str_eq_or_null(a->db.user, b->db.user);
	assert_int_equal(a->db.pool, b->db.pool);
}

static char *print_app(const struct t_app *app)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	cfg_print(out, t_app_schema, app);
	fclose(out);
	return buf;
}

void test_config_print_round_trip(void **state)
{
	/* Strings YAML would misread unquoted, and escapes. */
	static const char text[] =
		"name: \"yes: # \\\"quoted\\\" back\\\\slash\\nnew\\tline \\u00e9\\N\\L\"\n"
		"debug: on\n"
		"shutdown_grace: 1500ms\n"
		"sip: {domains: ['true', 'null', ims.test], timer_t1: 2s}\n"
		"diameter:\n"
		"  identity: scscf.ims.test\n"
		"  realm: '  leading and trailing  '\n"
		"  watchdog: 45m\n"
		"  peers:\n"
		"    - host: hss.ims.test\n"
		"    - {host: '::1', port: 3870, transport: tls, tls: true}\n"
		"db: {user: \"\"}\n";
	struct t_app a, b;
	struct cfg_error err;
	char *first, *second;

	(void)state;
	if (t_load(text, &a, &err) != 0)
		fail_msg("%s", err.msg);
	assert_string_equal(a.name, "yes: # \"quoted\" back\\slash\nnew\tline \xc3\xa9\xc2\x85\xe2\x80\xa8");
	first = print_app(&a);
	if (t_load(first, &b, &err) != 0)
		fail_msg("%s\n%s", err.msg, first);
	assert_apps_equal(&a, &b);
	second = print_app(&b);
	assert_string_equal(first, second);
	/* Negative check: a changed value must show up as a difference. */
	b.diameter.port = 3869;
	free(second);
	second = print_app(&b);
	assert_string_not_equal(first, second);
	free(first);
	free(second);
	cfg_free(t_app_schema, &a);
	cfg_free(t_app_schema, &b);
}

void test_config_describe_lists_every_key(void **state)
{
	char *buf = NULL;
	size_t len = 0, lines = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(out);
	cfg_describe(out, t_app_schema);
	fclose(out);
	for (const char *p = buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 4 + 3 + 6 + 5 + 5 + 4); /* keys incl. tables */
	assert_non_null(strstr(buf, "\nsip.port                         port 1..65535            5060         SIP port\n"));
	assert_non_null(strstr(buf, "\ndiameter.identity                string                   (required)   Origin-Host\n"));
	assert_non_null(strstr(buf, "\ndiameter.peers[].transport       enum udp|tcp|tls         tcp          transport\n"));
	assert_non_null(strstr(buf, "\nsip.timer_t1                     duration 100ms..10s      500ms        RFC 3261 T1\n"));
	free(buf);
}

void test_config_check_ip(void **state)
{
	char why[64];

	(void)state;
	assert_int_equal(cfg_check_ip("192.0.2.1", why, sizeof(why)), 0);
	assert_int_equal(cfg_check_ip("2001:db8::1", why, sizeof(why)), 0);
	assert_int_not_equal(cfg_check_ip("192.0.2.256", why, sizeof(why)), 0);
	assert_string_equal(why, "not an IPv4 or IPv6 address");
	assert_int_not_equal(cfg_check_ip("hss.ims.test", why, sizeof(why)), 0);
	assert_int_not_equal(cfg_check_ip("", why, sizeof(why)), 0);
}

void test_config_check_host(void **state)
{
	static const char *const good[] = {
		"hss.ims.test", "localhost", "a-b.example.", "10.0.0.1", "::1",
		"[2001:db8::5]", "3com.net",
	};
	static const char *const bad[] = {
		"", "-a.test", "a-.test", "a..test", "a_b.test", "10.0.0.300",
		"host name", "a.test:5060", "[10.0.0.1]",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test",
	};
	char why[64];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(cfg_check_host(good[i], why, sizeof(why)), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_not_equal(cfg_check_host(bad[i], why, sizeof(why)), 0);
}

void test_config_check_sip_uri(void **state)
{
	static const char *const good[] = {
		"sip:scscf.ims.test", "sips:alice@ims.test", "SIP:ims.test:5060;lr",
		"sip:alice:secret@10.0.0.1:5070;transport=tcp?subject=x",
		"sip:[2001:db8::1]:5060", "sip:+123@ims.test;user=phone",
	};
	static const char *const bad[] = {
		"tel:+123", "sip:", "sip:alice@", "sip:ims .test", "sip:ims.test:0",
		"sip:ims.test:70000", "sip:ims.test:abc", "sip:[::1", "scscf.ims.test",
		"sip:ims.test\n",
	};
	char why[64];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(cfg_check_sip_uri(good[i], why, sizeof(why)), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_not_equal(cfg_check_sip_uri(bad[i], why, sizeof(why)), 0);
	cfg_check_sip_uri("sip:alice@", why, sizeof(why));
	assert_string_equal(why, "SIP URI without a host");
}
