/*
 * A realistic daemon schema (S-CSCF-like: sip, diameter with a list of
 * peers, db) shared by the config unit tests, plus small helpers.
 */
#ifndef TEST_CONFIG_SCHEMA_H
#define TEST_CONFIG_SCHEMA_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ims/config.h"

enum t_transport { T_UDP, T_TCP, T_TLS };

struct t_peer {
	char *host;
	uint16_t port;
	char *realm;
	int transport;
	bool tls;
};

struct t_sip {
	char *listen;
	uint16_t port;
	int transport;
	struct cfg_strv domains;
	char *scscf_uri;
	long long timer_t1;
};

struct t_diameter {
	char *identity;
	char *realm;
	uint16_t port;
	long long watchdog;
	struct cfg_list peers; /* struct t_peer */
};

struct t_db {
	char *host;
	uint16_t port;
	char *user;
	long long pool;
};

struct t_app {
	char *name;
	long long workers;
	bool debug;
	long long shutdown_grace;
	struct t_sip sip;
	struct t_diameter diameter;
	struct t_db db;
};

extern const struct cfg_field t_app_schema[];

/* Smallest valid file: the required diameter keys. */
#define T_MIN "diameter:\n  identity: scscf.ims.test\n  realm: ims.test\n"

/* cfg_load_string with the name "t.yaml" into a zeroed *app. */
int t_load(const char *text, struct t_app *app, struct cfg_error *err);
/* Load text, expect -EINVAL and exactly msg; checks app is left zeroed. */
void t_expect_error(const char *text, const char *msg);

/* Test cases, by file. */
void test_config_loads_realistic_scscf_file(void **state);
void test_config_applies_defaults_to_absent_keys(void **state);
void test_config_null_table_value_means_defaults(void **state);
void test_config_accepts_quoted_integer(void **state);
void test_config_parses_booleans_case_insensitively(void **state);
void test_config_parses_duration_units(void **state);
void test_config_single_scalar_is_one_element_list(void **state);
void test_config_load_file_reads_file(void **state);
void test_config_missing_file_gives_enoent_and_path(void **state);
void test_config_empty_file_applies_defaults(void **state);

void test_config_bad_integer_reports_line_column(void **state);
void test_config_port_out_of_range_in_list_element(void **state);
void test_config_bounds_on_int_duration_and_list_count(void **state);
void test_config_unknown_key_suggests_near_name(void **state);
void test_config_duplicate_key_is_rejected(void **state);
void test_config_missing_required_key_at_enclosing_mapping(void **state);
void test_config_missing_required_key_in_list_element(void **state);
void test_config_rejects_tab_indentation(void **state);
void test_config_syntax_error_reports_problem_and_context(void **state);
void test_config_rejects_alias(void **state);
void test_config_rejects_non_mapping_top_level(void **state);
void test_config_rejects_multiple_documents(void **state);
void test_config_rejects_quoted_boolean(void **state);
void test_config_rejects_bad_enum_and_duration(void **state);
void test_config_check_function_failure_has_position(void **state);
void test_config_rejects_wrong_node_kinds(void **state);
void test_config_rejects_deep_nesting_and_bad_utf8(void **state);
void test_config_failed_load_frees_and_zeroes(void **state);
void test_config_schema_mistakes_are_reported(void **state);

void test_config_print_round_trip(void **state);
void test_config_describe_lists_every_key(void **state);
void test_config_check_ip(void **state);
void test_config_check_host(void **state);
void test_config_check_sip_uri(void **state);

#endif
