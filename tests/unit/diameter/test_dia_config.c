/*
 * "diameter:" config section: YAML through dia_schema, validation, and the
 * freeDiameter configuration text rendered from it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ims/diameter.h"

static int load(const char *yaml, struct dia_config *cfg, struct cfg_error *err)
{
	memset(cfg, 0, sizeof *cfg);
	return cfg_load_string("test.yaml", yaml, strlen(yaml), dia_schema, cfg, err);
}

static void test_defaults_and_peers_render_freediameter_config(void **state)
{
	static const char yaml[] =
		"identity: scscf.ims.test\n"
		"realm: ims.test\n"
		"watchdog_interval: 10s\n"
		"peers:\n"
		"  - identity: hss.ims.test\n"
		"    address: 127.0.0.1\n"
		"    port: 3870\n"
		"    realm: ims.test\n"
		"  - identity: hss2.ims.test\n"
		"    address: 127.0.0.2\n";
	struct dia_config cfg;
	struct cfg_error err;
	char *text = NULL;

	(void)state;
	assert_int_equal(load(yaml, &cfg, &err), 0);
	assert_string_equal(cfg.listen, "127.0.0.1");
	assert_int_equal(cfg.port, 3868);
	assert_false(cfg.tls);
	assert_false(cfg.accept_unknown_peers);
	assert_int_equal(cfg.app_threads, 4);
	assert_int_equal(cfg.watchdog_interval, 10000);
	assert_int_equal(cfg.peers.n, 2);
	assert_int_equal(((struct dia_peer_config *)cfg.peers.items)[1].port, 3868);

	assert_int_equal(dia_config_render(&cfg, &text), 0);
	assert_non_null(strstr(text, "Identity = \"scscf.ims.test\";\n"));
	assert_non_null(strstr(text, "Realm = \"ims.test\";\n"));
	assert_non_null(strstr(text, "Port = 3868;\nSecPort = 0;\nNo_SCTP;\nNo_IPv6;\n"));
	assert_non_null(strstr(text, "AppServThreads = 4;\n"));
	assert_non_null(strstr(text, "TwTimer = 10;\n"));
	assert_non_null(strstr(text, "TcTimer = 30;\n"));
	assert_non_null(strstr(text, "ConnectPeer = \"hss.ims.test\" { ConnectTo = \"127.0.0.1\"; "
				     "Port = 3870; No_TLS; Realm = \"ims.test\"; };\n"));
	assert_non_null(strstr(text, "ConnectPeer = \"hss2.ims.test\" { ConnectTo = \"127.0.0.2\"; "
				     "Port = 3868; No_TLS; };\n"));
	assert_null(strstr(text, "TLS_Cred"));
	free(text);
	cfg_free(dia_schema, &cfg);
}

static void test_ipv6_listen_keeps_ipv6(void **state)
{
	static const char yaml[] = "identity: hss.ims.test\nrealm: ims.test\nlisten: \"::1\"\n";
	struct dia_config cfg;
	struct cfg_error err;
	char *text = NULL;

	(void)state;
	assert_int_equal(load(yaml, &cfg, &err), 0);
	assert_int_equal(dia_config_render(&cfg, &text), 0);
	assert_null(strstr(text, "No_IPv6"));
	free(text);
	cfg_free(dia_schema, &cfg);
}

static void test_identity_without_realm_part_is_rejected(void **state)
{
	struct dia_config cfg;
	struct cfg_error err;

	(void)state;
	assert_int_equal(load("identity: hss\nrealm: ims.test\n", &cfg, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "identity"));
	cfg_free(dia_schema, &cfg);
	assert_int_equal(load("realm: ims.test\n", &cfg, &err), -EINVAL); /* required */
	cfg_free(dia_schema, &cfg);
	assert_int_equal(load("identity: a.b\nrealm: b\nlisten: nothost\n", &cfg, &err), -EINVAL);
	cfg_free(dia_schema, &cfg);
}

static void test_tls_needs_files_and_renders_credentials(void **state)
{
	struct dia_config cfg;
	struct cfg_error err;
	char why[160];
	char *text = NULL;

	(void)state;
	assert_int_equal(load("identity: a.ims.test\nrealm: ims.test\ntls: true\n", &cfg, &err), 0);
	assert_int_equal(dia_config_validate(&cfg, why, sizeof why), -EINVAL);
	assert_int_equal(dia_config_render(&cfg, &text), -EINVAL);
	assert_null(text);
	cfg_free(dia_schema, &cfg);
	assert_int_equal(load("identity: a.ims.test\nrealm: ims.test\ntls: true\n"
			      "tls_cert: /c.pem\ntls_key: /k.pem\ntls_ca: /ca.pem\n"
			      "peers:\n  - identity: b.ims.test\n    address: 127.0.0.1\n",
			      &cfg, &err), 0);
	assert_int_equal(dia_config_render(&cfg, &text), 0);
	assert_non_null(strstr(text, "TLS_Cred = \"/c.pem\", \"/k.pem\";\nTLS_CA = \"/ca.pem\";\n"));
	assert_null(strstr(text, "No_TLS"));
	free(text);
	cfg_free(dia_schema, &cfg);
}

static void test_peer_with_our_identity_is_rejected(void **state)
{
	struct dia_config cfg;
	struct cfg_error err;
	char why[160];

	(void)state;
	assert_int_equal(load("identity: a.ims.test\nrealm: ims.test\n"
			      "peers:\n  - identity: a.ims.test\n    address: 127.0.0.1\n",
			      &cfg, &err), 0);
	assert_int_equal(dia_config_validate(&cfg, why, sizeof why), -EINVAL);
	cfg_free(dia_schema, &cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_peers_render_freediameter_config),
		cmocka_unit_test(test_ipv6_listen_keeps_ipv6),
		cmocka_unit_test(test_identity_without_realm_part_is_rejected),
		cmocka_unit_test(test_tls_needs_files_and_renders_credentials),
		cmocka_unit_test(test_peer_with_our_identity_is_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
