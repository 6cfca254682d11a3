/* cli_options.h - the option rows of cli_options.c, for the command
 * table's option lists (cli_table.c): one line each, in the same order. */
#ifndef APIM_CLI_OPTIONS_H
#define APIM_CLI_OPTIONS_H

#include "cli.h"

extern const struct cli_option cli_opt_output_report;
extern const struct cli_option cli_opt_output_rows;
extern const struct cli_option cli_opt_output_doc;
extern const struct cli_option cli_opt_output_policy;
extern const struct cli_option cli_opt_parameters;
extern const struct cli_option cli_opt_strict;
extern const struct cli_option cli_opt_sample_parameters;
extern const struct cli_option cli_opt_docs_url;
extern const struct cli_option cli_opt_allow_unenforced;
extern const struct cli_option cli_opt_list_policies;
extern const struct cli_option cli_opt_list_policy_elements;
extern const struct cli_option cli_opt_list_expression_members;
extern const struct cli_option cli_opt_path;
extern const struct cli_option cli_opt_import_file;
extern const struct cli_option cli_opt_spec_format;
extern const struct cli_option cli_opt_spec_path;
extern const struct cli_option cli_opt_import_path;
extern const struct cli_option cli_opt_import_api_id;
extern const struct cli_option cli_opt_service_url;
extern const struct cli_option cli_opt_display_name;
extern const struct cli_option cli_opt_description;
extern const struct cli_option cli_opt_protocols;
extern const struct cli_option cli_opt_subscription_required;
extern const struct cli_option cli_opt_import_service_name;
extern const struct cli_option cli_opt_template_file;
extern const struct cli_option cli_opt_configuration;
extern const struct cli_option cli_opt_apiops_service;
extern const struct cli_option cli_opt_quiet;
extern const struct cli_option cli_opt_list_codes;
extern const struct cli_option cli_opt_resource_group;
extern const struct cli_option cli_opt_resource_group_start;
extern const struct cli_option cli_opt_resource_group_filter;
extern const struct cli_option cli_opt_service_name;
extern const struct cli_option cli_opt_api_name;
extern const struct cli_option cli_opt_api_id;
extern const struct cli_option cli_opt_api_id_one;
extern const struct cli_option cli_opt_file_path;
extern const struct cli_option cli_opt_show_keys;
extern const struct cli_option cli_opt_config_start;
extern const struct cli_option cli_opt_config_list;
extern const struct cli_option cli_opt_config_policy;
extern const struct cli_option cli_opt_operation_id;
extern const struct cli_option cli_opt_product_id;
extern const struct cli_option cli_opt_header;
extern const struct cli_option cli_opt_variable;
extern const struct cli_option cli_opt_url;
extern const struct cli_option cli_opt_method;
extern const struct cli_option cli_opt_body;
extern const struct cli_option cli_opt_gateway_name;
extern const struct cli_option cli_opt_gateway_source;
extern const struct cli_option cli_opt_port;
extern const struct cli_option cli_opt_host;
extern const struct cli_option cli_opt_admin_port;
extern const struct cli_option cli_opt_threads;
extern const struct cli_option cli_opt_backend_timeout;
extern const struct cli_option cli_opt_drain_timeout;
extern const struct cli_option cli_opt_header_timeout;
extern const struct cli_option cli_opt_body_timeout;
extern const struct cli_option cli_opt_connection_limit;
extern const struct cli_option cli_opt_backend_idle_timeout;
extern const struct cli_option cli_opt_body_memory;
extern const struct cli_option cli_opt_watch;
extern const struct cli_option cli_opt_foreground;
extern const struct cli_option cli_opt_timeout;
extern const struct cli_option cli_opt_definition;
extern const struct cli_option cli_opt_target;

#endif
