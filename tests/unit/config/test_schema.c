/* The test schema and helpers (see test_schema.h). */
#include "test_schema.h"

#include <errno.h>
#include <string.h>

static const char *const transports[] = { "udp", "tcp", "tls", NULL };

static const struct cfg_field peer_schema[] = {
	{ .key = "host", .type = CFG_STR, .offset = offsetof(struct t_peer, host),
	  .required = true, .check = cfg_check_host, .help = "peer host" },
	{ .key = "port", .type = CFG_PORT, .offset = offsetof(struct t_peer, port),
	  .def = "3868", .min = 1, .max = 65535, .help = "peer port" },
	{ .key = "realm", .type = CFG_STR, .offset = offsetof(struct t_peer, realm),
	  .help = "peer realm" },
	{ .key = "transport", .type = CFG_ENUM,
	  .offset = offsetof(struct t_peer, transport), .def = "tcp",
	  .enum_names = transports, .help = "transport" },
	{ .key = "tls", .type = CFG_BOOL, .offset = offsetof(struct t_peer, tls),
	  .def = "no", .help = "use TLS" },
	CFG_FIELD_END
};

static const struct cfg_field sip_schema[] = {
	{ .key = "listen", .type = CFG_STR, .offset = offsetof(struct t_sip, listen),
	  .def = "0.0.0.0", .check = cfg_check_ip, .help = "listen address" },
	{ .key = "port", .type = CFG_PORT, .offset = offsetof(struct t_sip, port),
	  .def = "5060", .min = 1, .max = 65535, .help = "SIP port" },
	{ .key = "transport", .type = CFG_ENUM,
	  .offset = offsetof(struct t_sip, transport), .def = "udp",
	  .enum_names = transports, .help = "transport" },
	{ .key = "domains", .type = CFG_STR_LIST,
	  .offset = offsetof(struct t_sip, domains), .def = "[ims.test]",
	  .min = 1, .max = 8, .check = cfg_check_host, .help = "home domains" },
	{ .key = "scscf_uri", .type = CFG_STR,
	  .offset = offsetof(struct t_sip, scscf_uri),
	  .check = cfg_check_sip_uri, .help = "own SIP URI" },
	{ .key = "timer_t1", .type = CFG_DURATION,
	  .offset = offsetof(struct t_sip, timer_t1), .def = "500ms",
	  .min = 100, .max = 10000, .help = "RFC 3261 T1" },
	CFG_FIELD_END
};

static const struct cfg_field diameter_schema[] = {
	{ .key = "identity", .type = CFG_STR,
	  .offset = offsetof(struct t_diameter, identity), .required = true,
	  .check = cfg_check_host, .help = "Origin-Host" },
	{ .key = "realm", .type = CFG_STR,
	  .offset = offsetof(struct t_diameter, realm), .required = true,
	  .help = "Origin-Realm" },
	{ .key = "port", .type = CFG_PORT,
	  .offset = offsetof(struct t_diameter, port), .def = "3868",
	  .min = 1, .max = 65535, .help = "Diameter port" },
	{ .key = "watchdog", .type = CFG_DURATION,
	  .offset = offsetof(struct t_diameter, watchdog), .def = "30s",
	  .min = 6000, .max = 3600000, .help = "Tw (RFC 3539)" },
	{ .key = "peers", .type = CFG_TABLE_LIST,
	  .offset = offsetof(struct t_diameter, peers), .sub = peer_schema,
	  .elem_size = sizeof(struct t_peer), .max = 16, .help = "peers" },
	CFG_FIELD_END
};

static const struct cfg_field db_schema[] = {
	{ .key = "host", .type = CFG_STR, .offset = offsetof(struct t_db, host),
	  .def = "localhost", .help = "database host" },
	{ .key = "port", .type = CFG_PORT, .offset = offsetof(struct t_db, port),
	  .def = "3306", .help = "database port" },
	{ .key = "user", .type = CFG_STR, .offset = offsetof(struct t_db, user),
	  .help = "database user" },
	{ .key = "pool", .type = CFG_INT, .offset = offsetof(struct t_db, pool),
	  .def = "4", .min = 1, .max = 64, .help = "connections" },
	CFG_FIELD_END
};

const struct cfg_field t_app_schema[] = {
	{ .key = "name", .type = CFG_STR, .offset = offsetof(struct t_app, name),
	  .help = "instance name" },
	{ .key = "workers", .type = CFG_INT,
	  .offset = offsetof(struct t_app, workers), .def = "4", .min = 1,
	  .max = 256, .help = "worker threads" },
	{ .key = "debug", .type = CFG_BOOL, .offset = offsetof(struct t_app, debug),
	  .def = "false", .help = "debug mode" },
	{ .key = "shutdown_grace", .type = CFG_DURATION,
	  .offset = offsetof(struct t_app, shutdown_grace), .def = "5s",
	  .help = "drain time" },
	{ .key = "sip", .type = CFG_TABLE, .offset = offsetof(struct t_app, sip),
	  .sub = sip_schema, .help = "SIP" },
	{ .key = "diameter", .type = CFG_TABLE,
	  .offset = offsetof(struct t_app, diameter), .sub = diameter_schema,
	  .help = "Diameter" },
	{ .key = "db", .type = CFG_TABLE, .offset = offsetof(struct t_app, db),
	  .sub = db_schema, .help = "database" },
	CFG_FIELD_END
};

int t_load(const char *text, struct t_app *app, struct cfg_error *err)
{
	memset(app, 0, sizeof(*app));
	return cfg_load_string("t.yaml", text, strlen(text), t_app_schema, app, err);
}

void t_expect_error(const char *text, const char *msg)
{
	static const struct t_app zero;
	struct t_app app;
	struct cfg_error err;
	int rc = t_load(text, &app, &err);

	assert_int_equal(rc, -EINVAL);
	assert_string_equal(err.msg, msg);
	assert_memory_equal(&app, &zero, sizeof(app));
}
