/* config: successful loads, defaults, scalar conversions, files. */
#include "test_schema.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char realistic[] =
	"# S-CSCF test configuration\n"
	"name: scscf-1\n"
	"workers: 8\n"
	"sip:\n"
	"  listen: 10.0.0.5\n"
	"  port: 6060\n"
	"  transport: tcp\n"
	"  domains: [ims.test, example.net]\n"
	"  scscf_uri: \"sip:scscf.ims.test:6060;lr\"\n"
	"diameter:\n"
	"  identity: scscf.ims.test\n"
	"  realm: ims.test\n"
	"  watchdog: 1m\n"
	"  peers:\n"
	"    - host: hss.ims.test\n"
	"      realm: ims.test\n"
	"    - host: 10.0.0.9\n"
	"      port: 3869\n"
	"      transport: tls\n"
	"      tls: yes\n"
	"db:\n"
	"  user: ims\n"
	"  pool: 16\n";

void test_config_loads_realistic_scscf_file(void **state)
{
	struct t_app app;
	struct cfg_error err;
	const struct t_peer *p;

	(void)state;
	assert_int_equal(t_load(realistic, &app, &err), 0);
	assert_string_equal(app.name, "scscf-1");
	assert_int_equal(app.workers, 8);
	assert_string_equal(app.sip.listen, "10.0.0.5");
	assert_int_equal(app.sip.port, 6060);
	assert_int_equal(app.sip.transport, T_TCP);
	assert_int_equal(app.sip.domains.n, 2);
	assert_string_equal(app.sip.domains.v[0], "ims.test");
	assert_string_equal(app.sip.domains.v[1], "example.net");
	assert_string_equal(app.sip.scscf_uri, "sip:scscf.ims.test:6060;lr");
	assert_string_equal(app.diameter.identity, "scscf.ims.test");
	assert_int_equal(app.diameter.watchdog, 60000);
	assert_int_equal(app.diameter.peers.n, 2);
	p = app.diameter.peers.items;
	assert_string_equal(p[0].host, "hss.ims.test");
	assert_int_equal(p[0].port, 3868); /* per-element default */
	assert_int_equal(p[0].transport, T_TCP);
	assert_false(p[0].tls);
	assert_string_equal(p[1].host, "10.0.0.9");
	assert_int_equal(p[1].port, 3869);
	assert_int_equal(p[1].transport, T_TLS);
	assert_true(p[1].tls);
	assert_null(p[1].realm);
	assert_string_equal(app.db.user, "ims");
	assert_int_equal(app.db.pool, 16);
	cfg_free(t_app_schema, &app);
	assert_null(app.name);
	assert_null(app.diameter.peers.items);
	assert_int_equal(app.diameter.peers.n, 0);
}

void test_config_applies_defaults_to_absent_keys(void **state)
{
	struct t_app app;
	struct cfg_error err;

	(void)state;
	assert_int_equal(t_load(T_MIN, &app, &err), 0);
	assert_null(app.name);
	assert_int_equal(app.workers, 4);
	assert_false(app.debug);
	assert_int_equal(app.shutdown_grace, 5000);
	assert_string_equal(app.sip.listen, "0.0.0.0");
	assert_int_equal(app.sip.port, 5060);
	assert_int_equal(app.sip.transport, T_UDP);
	assert_int_equal(app.sip.domains.n, 1); /* list default "[ims.test]" */
	assert_string_equal(app.sip.domains.v[0], "ims.test");
	assert_null(app.sip.scscf_uri);
	assert_int_equal(app.sip.timer_t1, 500);
	assert_int_equal(app.diameter.port, 3868);
	assert_int_equal(app.diameter.watchdog, 30000);
	assert_int_equal(app.diameter.peers.n, 0);
	assert_null(app.diameter.peers.items);
	assert_string_equal(app.db.host, "localhost");
	assert_int_equal(app.db.port, 3306);
	assert_int_equal(app.db.pool, 4);
	cfg_free(t_app_schema, &app);
}

void test_config_null_table_value_means_defaults(void **state)
{
	struct t_app app;
	struct cfg_error err;

	(void)state;
	assert_int_equal(t_load(T_MIN "sip:\ndb: {}\n", &app, &err), 0);
	assert_int_equal(app.sip.port, 5060);
	assert_string_equal(app.db.host, "localhost");
	cfg_free(t_app_schema, &app);
}

void test_config_accepts_quoted_integer(void **state)
{
	struct t_app app;
	struct cfg_error err;

	(void)state;
	assert_int_equal(t_load(T_MIN "workers: \"16\"\nsip: {port: '5070'}\n",
				&app, &err), 0);
	assert_int_equal(app.workers, 16);
	assert_int_equal(app.sip.port, 5070);
	cfg_free(t_app_schema, &app);
}

void test_config_parses_booleans_case_insensitively(void **state)
{
	static const struct { const char *text; bool want; } cases[] = {
		{ "true", true }, { "False", false }, { "YES", true },
		{ "no", false }, { "On", true }, { "off", false },
	};
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct t_app app;
		struct cfg_error err;

		snprintf(text, sizeof(text), T_MIN "debug: %s\n", cases[i].text);
		assert_int_equal(t_load(text, &app, &err), 0);
		assert_int_equal(app.debug, cases[i].want);
		cfg_free(t_app_schema, &app);
	}
}

void test_config_parses_duration_units(void **state)
{
	static const struct { const char *text; long long ms; } cases[] = {
		{ "250ms", 250 }, { "30s", 30000 }, { "5m", 300000 },
		{ "1h", 3600000 }, { "2", 2000 }, { "0", 0 }, { "\"7s\"", 7000 },
	};
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct t_app app;
		struct cfg_error err;

		snprintf(text, sizeof(text), T_MIN "shutdown_grace: %s\n",
			 cases[i].text);
		assert_int_equal(t_load(text, &app, &err), 0);
		assert_int_equal(app.shutdown_grace, cases[i].ms);
		cfg_free(t_app_schema, &app);
	}
}

void test_config_single_scalar_is_one_element_list(void **state)
{
	struct t_app app;
	struct cfg_error err;

	(void)state;
	assert_int_equal(t_load(T_MIN "sip:\n  domains: example.org\n", &app, &err), 0);
	assert_int_equal(app.sip.domains.n, 1);
	assert_string_equal(app.sip.domains.v[0], "example.org");
	cfg_free(t_app_schema, &app);
}

void test_config_load_file_reads_file(void **state)
{
	const char *path = IMS_BINARY_DIR "/tests/test_config_load.yaml";
	struct t_app app = { 0 };
	struct cfg_error err;
	FILE *fp = fopen(path, "w");

	(void)state;
	assert_non_null(fp);
	fputs(realistic, fp);
	fputs("bogus: 1\n", fp);
	fclose(fp);
	/* The name in messages is the path. */
	assert_int_equal(cfg_load_file(path, t_app_schema, &app, &err), -EINVAL);
	assert_string_equal(err.msg, IMS_BINARY_DIR
			    "/tests/test_config_load.yaml:24:1: unknown key \"bogus\"");
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(realistic, fp);
	fclose(fp);
	assert_int_equal(cfg_load_file(path, t_app_schema, &app, &err), 0);
	assert_int_equal(app.diameter.peers.n, 2);
	cfg_free(t_app_schema, &app);
	unlink(path);
}

void test_config_missing_file_gives_enoent_and_path(void **state)
{
	struct t_app app = { 0 };
	struct cfg_error err;

	(void)state;
	assert_int_equal(cfg_load_file("/nonexistent/dir/scscf.yaml", t_app_schema,
				       &app, &err), -ENOENT);
	assert_string_equal(err.msg,
			    "/nonexistent/dir/scscf.yaml: cannot read: No such file or directory");
	assert_int_equal(cfg_load_file("/", t_app_schema, &app, &err), -EISDIR);
}

void test_config_empty_file_applies_defaults(void **state)
{
	static const struct cfg_field opt[] = {
		{ .key = "port", .type = CFG_PORT, .offset = 0, .def = "5060" },
		CFG_FIELD_END
	};
	uint16_t port = 0;
	struct cfg_error err;

	(void)state;
	assert_int_equal(cfg_load_string("e.yaml", "", 0, opt, &port, &err), 0);
	assert_int_equal(port, 5060);
	port = 0;
	assert_int_equal(cfg_load_string("e.yaml", "# only a comment\n---\n", 21,
					 opt, &port, &err), 0);
	assert_int_equal(port, 5060);
	/* The daemon schema has required keys: an empty file is an error. */
	t_expect_error("", "t.yaml:1:1: diameter: missing required key \"identity\"");
}
