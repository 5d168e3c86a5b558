/* cmocka runner for the config module tests. */
#include "test_schema.h"

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_loads_realistic_scscf_file),
		cmocka_unit_test(test_config_applies_defaults_to_absent_keys),
		cmocka_unit_test(test_config_null_table_value_means_defaults),
		cmocka_unit_test(test_config_accepts_quoted_integer),
		cmocka_unit_test(test_config_parses_booleans_case_insensitively),
		cmocka_unit_test(test_config_parses_duration_units),
		cmocka_unit_test(test_config_single_scalar_is_one_element_list),
		cmocka_unit_test(test_config_load_file_reads_file),
		cmocka_unit_test(test_config_missing_file_gives_enoent_and_path),
		cmocka_unit_test(test_config_empty_file_applies_defaults),
		cmocka_unit_test(test_config_bad_integer_reports_line_column),
		cmocka_unit_test(test_config_port_out_of_range_in_list_element),
		cmocka_unit_test(test_config_bounds_on_int_duration_and_list_count),
		cmocka_unit_test(test_config_unknown_key_suggests_near_name),
		cmocka_unit_test(test_config_duplicate_key_is_rejected),
		cmocka_unit_test(test_config_missing_required_key_at_enclosing_mapping),
		cmocka_unit_test(test_config_missing_required_key_in_list_element),
		cmocka_unit_test(test_config_rejects_tab_indentation),
		cmocka_unit_test(test_config_syntax_error_reports_problem_and_context),
		cmocka_unit_test(test_config_rejects_alias),
		cmocka_unit_test(test_config_rejects_non_mapping_top_level),
		cmocka_unit_test(test_config_rejects_multiple_documents),
		cmocka_unit_test(test_config_rejects_quoted_boolean),
		cmocka_unit_test(test_config_rejects_bad_enum_and_duration),
		cmocka_unit_test(test_config_check_function_failure_has_position),
		cmocka_unit_test(test_config_rejects_wrong_node_kinds),
		cmocka_unit_test(test_config_rejects_deep_nesting_and_bad_utf8),
		cmocka_unit_test(test_config_failed_load_frees_and_zeroes),
		cmocka_unit_test(test_config_schema_mistakes_are_reported),
		cmocka_unit_test(test_config_print_round_trip),
		cmocka_unit_test(test_config_describe_lists_every_key),
		cmocka_unit_test(test_config_check_ip),
		cmocka_unit_test(test_config_check_host),
		cmocka_unit_test(test_config_check_sip_uri),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
