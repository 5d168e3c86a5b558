/*
 * config: every error kind, with its exact "file:line:column: path: what"
 * message. T_MIN is 3 lines (diameter, identity, realm), so text appended
 * to it starts on line 4.
 */
#include "test_schema.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void test_config_bad_integer_reports_line_column(void **state)
{
	(void)state;
	t_expect_error(T_MIN "sip:\n  port: abc\n",
		       "t.yaml:5:9: sip.port: expected a port number, got \"abc\"");
	t_expect_error(T_MIN "workers: 12x\n",
		       "t.yaml:4:10: workers: expected an integer, got \"12x\"");
	t_expect_error(T_MIN "workers: 99999999999999999999\n",
		       "t.yaml:4:10: workers: \"99999999999999999999\" is too large");
	t_expect_error(T_MIN "workers:\n",
		       "t.yaml:4:9: workers: missing value");
}

void test_config_port_out_of_range_in_list_element(void **state)
{
	(void)state;
	t_expect_error("diameter:\n"
		       "  identity: scscf.ims.test\n"
		       "  realm: ims.test\n"
		       "  peers:\n"
		       "    - host: hss1.ims.test\n"
		       "    - host: hss2.ims.test\n"
		       "      port: 70000\n",
		       "t.yaml:7:13: diameter.peers[1].port: 70000 is out of range 1..65535");
	t_expect_error(T_MIN "db: {port: -1}\n",
		       "t.yaml:4:12: db.port: -1 is out of range 0..65535");
}

void test_config_bounds_on_int_duration_and_list_count(void **state)
{
	(void)state;
	t_expect_error(T_MIN "workers: 0\n",
		       "t.yaml:4:10: workers: 0 is out of range 1..256");
	t_expect_error(T_MIN "workers: 257\n",
		       "t.yaml:4:10: workers: 257 is out of range 1..256");
	t_expect_error(T_MIN "sip:\n  timer_t1: 20s\n",
		       "t.yaml:5:13: sip.timer_t1: 20s is out of range 100ms..10s");
	t_expect_error(T_MIN "sip:\n  domains: []\n",
		       "t.yaml:5:12: sip.domains: 0 entries, expected 1..8");
	t_expect_error(T_MIN "sip:\n  domains: [a, b, c, d, e, f, g, h, i]\n",
		       "t.yaml:5:12: sip.domains: 9 entries, expected 1..8");
}

void test_config_unknown_key_suggests_near_name(void **state)
{
	(void)state;
	t_expect_error(T_MIN "sip:\n  prot: 5060\n",
		       "t.yaml:5:3: unknown key \"prot\" in sip (did you mean \"port\"?)");
	t_expect_error(T_MIN "frobnicate: 1\n",
		       "t.yaml:4:1: unknown key \"frobnicate\"");
	t_expect_error("diameter:\n  identity: a.test\n  realm: r\n  peers:\n    - hots: x.test\n",
		       "t.yaml:5:7: unknown key \"hots\" in diameter.peers[0] (did you mean \"host\"?)");
}

void test_config_duplicate_key_is_rejected(void **state)
{
	(void)state;
	t_expect_error(T_MIN "sip:\n  port: 5060\n  listen: 10.0.0.1\n  port: 5061\n",
		       "t.yaml:7:3: duplicate key \"port\" in sip (first at 5:3)");
	t_expect_error(T_MIN "workers: 2\nworkers: 3\n",
		       "t.yaml:5:1: duplicate key \"workers\" (first at 4:1)");
}

void test_config_missing_required_key_at_enclosing_mapping(void **state)
{
	(void)state;
	t_expect_error("sip:\n  port: 5060\ndiameter:\n  realm: ims.test\n",
		       "t.yaml:3:1: diameter: missing required key \"identity\"");
	/* The whole table absent: reported at the top-level mapping. */
	t_expect_error("# comment\nworkers: 2\n",
		       "t.yaml:2:1: diameter: missing required key \"identity\"");
}

void test_config_missing_required_key_in_list_element(void **state)
{
	(void)state;
	t_expect_error(T_MIN "  peers:\n    - host: hss.ims.test\n    - port: 3870\n      realm: x\n",
		       "t.yaml:6:7: diameter.peers[1]: missing required key \"host\"");
}

void test_config_rejects_tab_indentation(void **state)
{
	(void)state;
	t_expect_error(T_MIN "sip:\n\tport: 5060\n",
		       "t.yaml:5:1: found character that cannot start any token (while scanning for the next token at 5:1); tabs cannot be used for indentation");
	/* libyaml's own wording for a tab in a continued plain scalar. */
	t_expect_error(T_MIN "name: a\n\tb\n",
		       "t.yaml:5:1: found a tab character that violates indentation (while scanning a plain scalar at 4:7)");
}

void test_config_syntax_error_reports_problem_and_context(void **state)
{
	(void)state;
	t_expect_error(T_MIN "sip:\n  domains: [a.test, b.test\n  port: 5060\n",
		       "t.yaml:6:7: did not find expected ',' or ']' (while parsing a flow sequence at 5:12)");
	t_expect_error(T_MIN "sip: {port: 5060\n",
		       "t.yaml:5:1: did not find expected ',' or '}' (while parsing a flow mapping at 4:6)");
}

void test_config_rejects_alias(void **state)
{
	(void)state;
	t_expect_error("diameter: &d\n  identity: a.test\n  realm: r\ndb: *d\n",
		       "t.yaml:4:5: aliases are not supported (*d)");
}

void test_config_rejects_non_mapping_top_level(void **state)
{
	(void)state;
	t_expect_error("- a\n- b\n",
		       "t.yaml:1:1: the top level must be a mapping of keys, got a sequence");
	t_expect_error("just text\n",
		       "t.yaml:1:1: the top level must be a mapping of keys, got a scalar");
	t_expect_error("{? [a]: 1}\n", "t.yaml:1:4: mapping keys must be scalars");
}

void test_config_rejects_multiple_documents(void **state)
{
	(void)state;
	t_expect_error(T_MIN "---\nworkers: 2\n",
		       "t.yaml:4:1: only one YAML document per file is supported");
}

void test_config_rejects_quoted_boolean(void **state)
{
	(void)state;
	t_expect_error(T_MIN "debug: \"yes\"\n",
		       "t.yaml:4:8: debug: expected a boolean (true/false, yes/no, on/off), got the quoted string \"yes\"");
	t_expect_error(T_MIN "debug: 1\n",
		       "t.yaml:4:8: debug: expected a boolean (true/false, yes/no, on/off), got \"1\"");
}

void test_config_rejects_bad_enum_and_duration(void **state)
{
	(void)state;
	t_expect_error(T_MIN "sip: {transport: sctp}\n",
		       "t.yaml:4:18: sip.transport: expected one of udp, tcp, tls, got \"sctp\"");
	t_expect_error(T_MIN "shutdown_grace: 10x\n",
		       "t.yaml:4:17: shutdown_grace: expected a duration (250ms, 30s, 5m, 1h; bare number = seconds), got \"10x\"");
	t_expect_error(T_MIN "shutdown_grace: -5s\n",
		       "t.yaml:4:17: shutdown_grace: expected a duration (250ms, 30s, 5m, 1h; bare number = seconds), got \"-5s\"");
}

void test_config_check_function_failure_has_position(void **state)
{
	(void)state;
	t_expect_error(T_MIN "sip:\n  listen: 10.0.0.300\n",
		       "t.yaml:5:11: sip.listen: invalid value \"10.0.0.300\": not an IPv4 or IPv6 address");
	t_expect_error(T_MIN "sip:\n  domains: [ok.test, bad_name]\n",
		       "t.yaml:5:22: sip.domains[1]: invalid value \"bad_name\": not an IP address or host name");
	t_expect_error(T_MIN "sip:\n  scscf_uri: \"tel:+123\"\n",
		       "t.yaml:5:14: sip.scscf_uri: invalid value \"tel:+123\": a SIP URI starts with sip: or sips:");
}

void test_config_rejects_wrong_node_kinds(void **state)
{
	(void)state;
	t_expect_error(T_MIN "sip: 5060\n",
		       "t.yaml:4:6: sip: expected a mapping, got a scalar");
	t_expect_error(T_MIN "workers: [1, 2]\n",
		       "t.yaml:4:10: workers: expected an integer, got a sequence");
	t_expect_error(T_MIN "sip: {domains: {a: b}}\n",
		       "t.yaml:4:16: sip.domains: expected a list of strings, got a mapping");
	t_expect_error(T_MIN "  peers: {host: x}\n",
		       "t.yaml:4:10: diameter.peers: expected a list of mappings, got a mapping");
	t_expect_error(T_MIN "  peers: [x.test]\n",
		       "t.yaml:4:11: diameter.peers[0]: expected a mapping, got a scalar");
	t_expect_error(T_MIN "name: \"a\\0b\"\n",
		       "t.yaml:4:7: name: value contains a NUL character");
}

void test_config_rejects_deep_nesting_and_bad_utf8(void **state)
{
	char deep[300];

	(void)state;
	memset(deep, 0, sizeof(deep));
	memcpy(deep, "name: ", 6);
	memset(deep + 6, '[', 100);
	memset(deep + 106, ']', 100);
	t_expect_error(deep, "t.yaml:1:71: nesting is too deep");
	t_expect_error(T_MIN "name: \xff\n",
		       "t.yaml: byte 62: invalid leading UTF-8 octet (0xff)");
}

void test_config_failed_load_frees_and_zeroes(void **state)
{
	(void)state;
	/* Strings, a list and list elements are allocated before the error;
	 * t_expect_error checks the struct is zeroed, ASan checks for leaks. */
	t_expect_error("name: x\n"
		       "sip: {domains: [a.test, b.test], listen: 10.0.0.1}\n"
		       "diameter:\n"
		       "  identity: scscf.ims.test\n"
		       "  realm: ims.test\n"
		       "  peers:\n"
		       "    - {host: a.test, realm: r}\n"
		       "    - {host: b.test, realm: r, tls: maybe}\n",
		       "t.yaml:8:37: diameter.peers[1].tls: expected a boolean (true/false, yes/no, on/off), got \"maybe\"");
}

void test_config_schema_mistakes_are_reported(void **state)
{
	struct obj { long long n; char *s; struct cfg_strv v; } o = { 0 };
	const struct cfg_field bad_int[] = {
		{ .key = "s", .type = CFG_STR, .offset = offsetof(struct obj, s), .def = "x" },
		{ .key = "n", .type = CFG_INT, .offset = offsetof(struct obj, n), .def = "abc" },
		CFG_FIELD_END
	};
	const struct cfg_field bad_list[] = {
		{ .key = "v", .type = CFG_STR_LIST, .offset = offsetof(struct obj, v),
		  .def = "[a, b", .help = "broken default" },
		CFG_FIELD_END
	};
	const struct cfg_field no_sub[] = {
		{ .key = "t", .type = CFG_TABLE, .offset = 0 },
		CFG_FIELD_END
	};
	const struct cfg_field twice[] = {
		{ .key = "n", .type = CFG_INT, .offset = offsetof(struct obj, n) },
		{ .key = "n", .type = CFG_INT, .offset = offsetof(struct obj, n) },
		CFG_FIELD_END
	};
	const struct cfg_field inverted[] = {
		{ .key = "n", .type = CFG_INT, .offset = offsetof(struct obj, n),
		  .min = 10, .max = 1 },
		CFG_FIELD_END
	};
	struct cfg_error err;

	(void)state;
	assert_int_equal(cfg_load_string("s.yaml", "s: y\n", 5, bad_int, &o, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "schema error: bad default for n: expected an integer, got \"abc\"");
	assert_null(o.s);
	assert_int_equal(cfg_load_string("s.yaml", "", 0, bad_list, &o, &err), -EINVAL);
	assert_string_equal(err.msg, "schema error: bad default for v: default:2:1: did not find expected ',' or ']' (while parsing a flow sequence at 1:1)");
	assert_int_equal(cfg_load_string("s.yaml", "", 0, no_sub, &o, &err), -EINVAL);
	assert_string_equal(err.msg, "schema error: t: table without a sub-schema");
	assert_int_equal(cfg_load_string("s.yaml", "", 0, twice, &o, &err), -EINVAL);
	assert_string_equal(err.msg, "schema error: n: key appears twice in the schema");
	assert_int_equal(cfg_load_string("s.yaml", "", 0, inverted, &o, &err), -EINVAL);
	assert_string_equal(err.msg, "schema error: n: min is greater than max");
}
