/* cli_table.c - every apim command and option, as data (see cli.h for how
 * to add one). Help, completions, "did you mean" and the docs check are
 * generated from these rows; nothing about an option is said twice. */
#include "cli.h"

/* ---- closed sets of values ---- */

/* table is the human format everywhere (as az): validate's diagnostics,
 * listings' aligned columns. json and yaml carry every field. */
static const char *const report_formats[] = { "table", "json", "yaml", "sarif", "github", NULL };
static const char *const row_formats[] = { "table", "json", "yaml", "tsv", NULL };
static const char *const doc_formats[] = { "json", "yaml", NULL };
static const char *const policy_formats[] = { "xml", "json", "yaml", NULL };
static const char *const shells[] = { "bash", "zsh", NULL };
static const char *const targets[] = { "pyspark", NULL };

/* ---- options ---- */

static const struct cli_option opt_output_report = {
    CLI_OPT_OUTPUT, "output", 'o', "FORMAT", 0, report_formats, 0, 0, "table", "output format"
};
static const struct cli_option opt_output_rows = {
    CLI_OPT_OUTPUT, "output", 'o', "FORMAT", 0, row_formats, 0, 0, "table", "output format"
};
static const struct cli_option opt_output_doc = {
    CLI_OPT_OUTPUT, "output", 'o', "FORMAT", 0, doc_formats, 0, 0, "json", "output format"
};
static const struct cli_option opt_output_policy = {
    CLI_OPT_OUTPUT, "output", 'o', "FORMAT", 0, policy_formats, 0, 0, "xml", "output format"
};
static const struct cli_option opt_parameters = {
    CLI_OPT_PARAMETERS,
    "parameters",
    'p',
    "ARG",
    CLI_OPT_REPEAT | CLI_OPT_FILE,
    NULL,
    0,
    0,
    NULL,
    "parameter values as 'az deployment group' takes them: @FILE, FILE or NAME=VALUE; later "
    "values win; without it, a template's sibling NAME.parameters.json is used"
};
static const struct cli_option opt_strict = {
    CLI_OPT_STRICT, "strict", 0, NULL, 0, NULL, 0, 0, NULL, "treat warnings as errors"
};
static const struct cli_option opt_sample_parameters = {
    CLI_OPT_SAMPLE_PARAMETERS,
    "sample-parameters",
    0,
    NULL,
    0,
    NULL,
    0,
    0,
    NULL,
    "give required parameters that have no value a sample of their declared type"
};
static const struct cli_option opt_docs_url = {
    CLI_OPT_DOCS_URL,
    "docs-url",
    0,
    "URL",
    0,
    NULL,
    0,
    0,
    NULL,
    "absolute URL of apimlocal's docs/ folder: SARIF rules link their helpUri there"
};
static const struct cli_option opt_allow_unenforced = {
    CLI_OPT_ALLOW_UNENFORCED,
    "allow-unenforced-policies",
    0,
    NULL,
    0,
    NULL,
    0,
    0,
    NULL,
    "serve operations whose access, limit or validation policies the gateway does not apply "
    "(by default they answer 500)"
};
static const struct cli_option opt_list_policies = {
    CLI_OPT_LIST_POLICIES,
    "list-policies",
    0,
    NULL,
    0,
    NULL,
    0,
    0,
    NULL,
    "list the policy catalog: name, family, sections, scopes, flags, what the local gateway does"
};
static const struct cli_option opt_list_policy_elements = {
    CLI_OPT_LIST_POLICY_ELEMENTS,
    "list-policy-elements",
    0,
    NULL,
    0,
    NULL,
    0,
    0,
    NULL,
    "list what each policy holds: its elements, attributes and child elements"
};
static const struct cli_option opt_list_expression_members = {
    CLI_OPT_LIST_EXPRESSION_MEMBERS,
    "list-expression-members",
    0,
    NULL,
    0,
    NULL,
    0,
    0,
    NULL,
    "list the types and members policy expressions are checked against (docs/expressions.md)"
};
static const struct cli_option opt_path = {
    CLI_OPT_PATH,
    "path",
    0,
    "PATH",
    0,
    NULL,
    0,
    0,
    NULL,
    "the API path of an OpenAPI or Swagger file named as a configuration (default \"\")"
};
static const struct cli_option opt_import_file = {
    CLI_OPT_IMPORT_FILE,
    "import-file",
    0,
    "URL=FILE",
    CLI_OPT_REPEAT,
    NULL,
    0,
    0,
    NULL,
    "the local copy of a specification an API imports from URL (a *-link format); without it, "
    "the file named like the URL's last segment beside the template"
};
static const char *const spec_formats[] = { "OpenApi", "OpenApiJson", "Swagger", NULL };
static const struct cli_option opt_spec_format = {
    CLI_OPT_SPEC_FORMAT,
    "specification-format",
    0,
    "FORMAT",
    CLI_OPT_REQUIRED | CLI_OPT_ICASE,
    spec_formats,
    0,
    0,
    NULL,
    "OpenApi (YAML or JSON), OpenApiJson, or Swagger (2.0, JSON), as az takes it"
};
static const struct cli_option opt_spec_path = { CLI_OPT_SPEC_PATH,
                                                 "specification-path",
                                                 0,
                                                 "FILE",
                                                 CLI_OPT_REQUIRED | CLI_OPT_FILE,
                                                 NULL,
                                                 0,
                                                 0,
                                                 NULL,
                                                 "the OpenAPI or Swagger file" };
static const struct cli_option opt_import_path = {
    CLI_OPT_PATH, "path", 0, "PATH", CLI_OPT_REQUIRED,
    NULL,         0,      0, NULL,   "the API's path, after the gateway's address"
};
static const struct cli_option opt_import_api_id = {
    CLI_OPT_API_ID,
    "api-id",
    0,
    "ID",
    0,
    NULL,
    0,
    0,
    NULL,
    "the API's name (default: the normalised info.title; az picks a random one)"
};
static const struct cli_option opt_service_url = {
    CLI_OPT_SERVICE_URL,
    "service-url",
    0,
    "URL",
    0,
    NULL,
    0,
    0,
    NULL,
    "the backend's base URL (default: the specification's servers or host)"
};
static const struct cli_option opt_display_name = {
    CLI_OPT_DISPLAY_NAME, "display-name", 0, "NAME", 0, NULL, 0, 0, NULL, "the API's display name"
};
static const struct cli_option opt_description = {
    CLI_OPT_DESCRIPTION, "description", 0, "TEXT", 0, NULL, 0, 0, NULL, "the API's description"
};
static const struct cli_option opt_protocols = { CLI_OPT_PROTOCOLS,
                                                 "protocols",
                                                 0,
                                                 "LIST",
                                                 0,
                                                 NULL,
                                                 0,
                                                 0,
                                                 NULL,
                                                 "comma-separated protocols, such as http,https" };
static const char *const true_false[] = { "true", "false", NULL };
static const struct cli_option opt_subscription_required = {
    CLI_OPT_SUBSCRIPTION_REQUIRED,
    "subscription-required",
    0,
    "BOOL",
    CLI_OPT_ICASE,
    true_false,
    0,
    0,
    NULL,
    "whether calls need a subscription key (API Management's default: true)"
};
static const struct cli_option opt_import_service_name = {
    CLI_OPT_SERVICE_NAME,
    "service-name",
    0,
    "NAME",
    0,
    NULL,
    0,
    0,
    NULL,
    "the default of the template's serviceName parameter (default: apimlocal)"
};
static const struct cli_option opt_template_file = {
    CLI_OPT_FILE_PATH,
    "file-path",
    0,
    "FILE",
    CLI_OPT_FILE | CLI_OPT_WRITES,
    NULL,
    0,
    0,
    NULL,
    "where to write the template (default: standard output)"
};
static const struct cli_option opt_configuration = {
    CLI_OPT_CONFIGURATION,
    "configuration",
    0,
    "FILE",
    CLI_OPT_FILE,
    NULL,
    0,
    0,
    NULL,
    "an APIOps publisher configuration (configuration.<env>.yaml) merged into the APIOps "
    "folders' artifacts; default: the file $CONFIGURATION_YAML_PATH names"
};
static const struct cli_option opt_apiops_service = {
    CLI_OPT_SERVICE_NAME,
    "service-name",
    0,
    "NAME",
    0,
    NULL,
    0,
    0,
    NULL,
    "the service APIOps folders deploy into; default: $API_MANAGEMENT_SERVICE_NAME, the "
    "configuration's apimServiceName, else 'apiops'"
};
static const struct cli_option opt_quiet = {
    CLI_OPT_QUIET, "quiet", 'q', NULL, 0,
    NULL,          0,       0,   NULL, "no per-file summary lines with --output table"
};
static const struct cli_option opt_list_codes = {
    CLI_OPT_LIST_CODES,
    "list-codes",
    0,
    NULL,
    0,
    NULL,
    0,
    0,
    NULL,
    "list every diagnostic code with its level and name, and stop"
};
static const struct cli_option opt_resource_group = {
    CLI_OPT_RESOURCE_GROUP,
    "resource-group",
    'g',
    "RG",
    0,
    NULL,
    0,
    0,
    NULL,
    "the resource group, as az takes it; a local run has none, so it changes nothing"
};
static const struct cli_option opt_resource_group_start = {
    CLI_OPT_RESOURCE_GROUP,
    "resource-group",
    'g',
    "RG",
    0,
    NULL,
    0,
    0,
    NULL,
    "the resource group, as az takes it; recorded and shown by 'apim gateway list'"
};
static const struct cli_option opt_resource_group_filter = {
    CLI_OPT_RESOURCE_GROUP,
    "resource-group",
    'g',
    "RG",
    0,
    NULL,
    0,
    0,
    NULL,
    "only the gateways started with this --resource-group"
};
static const struct cli_option opt_service_name = {
    CLI_OPT_SERVICE_NAME,
    "service-name",
    0,
    "NAME",
    0,
    NULL,
    0,
    0,
    NULL,
    "the API Management service, when the configuration deploys several"
};
static const struct cli_option opt_api_name = {
    CLI_OPT_API_NAME,
    "api-name",
    0,
    "API",
    0,
    NULL,
    0,
    0,
    NULL,
    "serve only this API (all its versions and revisions)"
};
static const struct cli_option opt_api_id = {
    CLI_OPT_API_ID,
    "api-id",
    0,
    "ID",
    CLI_OPT_REQUIRED,
    NULL,
    0,
    0,
    NULL,
    "the API: its name, or NAME;rev=N for a revision that is not the current one"
};
static const struct cli_option opt_api_id_one = {
    CLI_OPT_API_ID,
    "api-id",
    0,
    "ID",
    0,
    NULL,
    0,
    0,
    NULL,
    "the API: its name, or NAME;rev=N; may be left out when there is only one API"
};
static const struct cli_option opt_file_path = { CLI_OPT_FILE_PATH,
                                                 "file-path",
                                                 0,
                                                 "FILE",
                                                 CLI_OPT_REQUIRED | CLI_OPT_FILE | CLI_OPT_WRITES,
                                                 NULL,
                                                 0,
                                                 0,
                                                 NULL,
                                                 "where to write the plan" };
static const struct cli_option opt_show_keys = {
    CLI_OPT_SHOW_KEYS,
    "show-keys",
    0,
    NULL,
    0,
    NULL,
    0,
    0,
    NULL,
    "show subscription keys and secret named values instead of masking them"
};
static const struct cli_option opt_config_start = {
    CLI_OPT_CONFIG,
    "config",
    'c',
    "FILE",
    CLI_OPT_REQUIRED | CLI_OPT_FILE | CLI_OPT_REPEAT,
    NULL,
    0,
    0,
    NULL,
    "an ARM template, the seed's API document, a folder, or a .plan file; repeat it for a "
    "deployment split in several files"
};
static const struct cli_option opt_config_list = {
    CLI_OPT_CONFIG,
    "config",
    'c',
    "FILE",
    CLI_OPT_FILE | CLI_OPT_REPEAT,
    NULL,
    0,
    0,
    NULL,
    "list what this configuration defines (compiled on the fly; repeatable: one deployment)"
};
static const struct cli_option opt_config_policy = {
    CLI_OPT_CONFIG,
    "config",
    'c',
    "FILE",
    CLI_OPT_REQUIRED | CLI_OPT_FILE | CLI_OPT_REPEAT,
    NULL,
    0,
    0,
    NULL,
    "an ARM template, the seed's API document or a folder; repeat it for a deployment split in "
    "several files"
};
static const struct cli_option opt_operation_id = {
    CLI_OPT_OPERATION_ID,     "operation-id", 0, "ID", CLI_OPT_REQUIRED, NULL, 0, 0, NULL,
    "the operation: its name"
};
static const struct cli_option opt_product_id = {
    CLI_OPT_PRODUCT_ID,
    "product-id",
    0,
    "ID",
    0,
    NULL,
    0,
    0,
    NULL,
    "the product the call's subscription belongs to; without it, a call without a product"
};
static const struct cli_option opt_header = {
    CLI_OPT_HEADER,
    "header",
    0,
    "NAME:VALUE",
    CLI_OPT_REPEAT,
    NULL,
    0,
    0,
    NULL,
    "a request header (repeatable; a name given twice has two values)"
};
static const struct cli_option opt_variable = {
    CLI_OPT_VARIABLE,
    "variable",
    0,
    "NAME=VALUE",
    CLI_OPT_REPEAT,
    NULL,
    0,
    0,
    NULL,
    "a context.Variables entry, a string (repeatable)"
};
static const struct cli_option opt_url = { CLI_OPT_URL,
                                           "url",
                                           0,
                                           "URL",
                                           0,
                                           NULL,
                                           0,
                                           0,
                                           "https://apim.local/",
                                           "the request URL: context.Request.Url and OriginalUrl" };
static const struct cli_option opt_method = {
    CLI_OPT_METHOD, "method", 0, "METHOD", 0, NULL, 0, 0, "GET", "the request method"
};
static const struct cli_option opt_body = {
    CLI_OPT_BODY, "body", 0, "TEXT", 0,
    NULL,         0,      0, NULL,   "the request body (context.Request.Body; none without it)"
};
static const struct cli_option opt_gateway_name = {
    CLI_OPT_GATEWAY_NAME,
    "gateway-name",
    'n',
    "NAME",
    CLI_OPT_REQUIRED,
    NULL,
    0,
    0,
    NULL,
    "the gateway's name: letters, digits, '.', '_', '-'"
};
static const struct cli_option opt_gateway_source = {
    CLI_OPT_GATEWAY_NAME,
    "gateway-name",
    'n',
    "NAME",
    0,
    NULL,
    0,
    0,
    NULL,
    "list what this gateway serves (the plan in its state folder)"
};
static const struct cli_option opt_port = {
    CLI_OPT_PORT, "port", 0,     "N",    CLI_OPT_NUMBER,
    NULL,         0,      65535, "8080", "client port; 0 picks a free one"
};
static const struct cli_option opt_host = {
    CLI_OPT_HOST, "host", 0, "ADDR",      0,
    NULL,         0,      0, "127.0.0.1", "address to listen on; 0.0.0.0 to widen"
};
static const struct cli_option opt_admin_port = {
    CLI_OPT_ADMIN_PORT,
    "admin-port",
    0,
    "N",
    CLI_OPT_NUMBER,
    NULL,
    0,
    65535,
    "0",
    "port of /status and /metrics, on 127.0.0.1; 0 picks a free one"
};
static const struct cli_option opt_threads = { CLI_OPT_THREADS,
                                               "threads",
                                               0,
                                               "N",
                                               CLI_OPT_NUMBER,
                                               NULL,
                                               0,
                                               64,
                                               "0",
                                               "worker threads; 0: one per CPU" };
static const struct cli_option opt_backend_timeout = {
    CLI_OPT_BACKEND_TIMEOUT,
    "backend-timeout",
    0,
    "S",
    CLI_OPT_NUMBER,
    NULL,
    1,
    3600,
    "300",
    "seconds before a backend call fails, as forward-request's timeout"
};
static const struct cli_option opt_drain_timeout = {
    CLI_OPT_DRAIN_TIMEOUT,
    "drain-timeout",
    0,
    "S",
    CLI_OPT_NUMBER,
    NULL,
    0,
    3600,
    "30",
    "seconds a stop waits for requests in flight"
};
static const struct cli_option opt_header_timeout = {
    CLI_OPT_HEADER_TIMEOUT,
    "header-timeout",
    0,
    "S",
    CLI_OPT_NUMBER,
    NULL,
    1,
    3600,
    "60",
    "seconds a client has to send a request's whole head (as nginx's client_header_timeout); "
    "then 408"
};
static const struct cli_option opt_body_timeout = {
    CLI_OPT_BODY_TIMEOUT,
    "body-timeout",
    0,
    "S",
    CLI_OPT_NUMBER,
    NULL,
    1,
    3600,
    "60",
    "seconds a request's body may pause between two reads (as nginx's client_body_timeout); "
    "then 408"
};
static const struct cli_option opt_connection_limit = {
    CLI_OPT_CONNECTION_LIMIT,
    "connection-limit",
    0,
    "N",
    CLI_OPT_NUMBER,
    NULL,
    0,
    1000000,
    "0",
    "client connections per worker thread; 0: as many as file descriptors allow"
};
static const struct cli_option opt_backend_idle_timeout = {
    CLI_OPT_BACKEND_IDLE_TIMEOUT,
    "backend-idle-timeout",
    0,
    "S",
    CLI_OPT_NUMBER,
    NULL,
    1,
    3600,
    "60",
    "seconds a kept-alive backend connection may stay idle before it is closed"
};
static const struct cli_option opt_body_memory = {
    CLI_OPT_BODY_MEMORY,
    "body-memory",
    0,
    "MIB",
    CLI_OPT_NUMBER,
    NULL,
    1,
    65536,
    "256",
    "MiB of request bodies one worker thread holds whole at a time (413 past it)"
};
static const struct cli_option opt_watch = {
    CLI_OPT_WATCH, "watch", 0, NULL, 0,
    NULL,          0,       0, NULL, "reload when the configuration or parameter files change"
};
static const struct cli_option opt_foreground = {
    CLI_OPT_FOREGROUND,
    "foreground",
    0,
    NULL,
    0,
    NULL,
    0,
    0,
    NULL,
    "serve in this process: a 'listening' line then the access log as JSON lines on stdout, "
    "the gateway's log on stderr"
};
static const struct cli_option opt_timeout = {
    CLI_OPT_TIMEOUT,
    "timeout",
    0,
    "S",
    CLI_OPT_NUMBER,
    NULL,
    1,
    3600,
    NULL,
    "seconds to wait before SIGKILL; default: the gateway's drain timeout + 10"
};

static const struct cli_option opt_definition = {
    CLI_OPT_DEFINITION,
    "definition",
    'd',
    "FILE",
    CLI_OPT_FILE,
    NULL,
    0,
    0,
    NULL,
    "a job's canonical definition JSON (as the plan stores it; see docs/streaming.md), "
    "instead of --config"
};

/* ---- option lists ---- */

static const struct cli_option *const validate_opts[] = {
    &opt_parameters,
    &opt_output_report,
    &opt_strict,
    &opt_sample_parameters,
    &opt_quiet,
    &opt_list_codes,
    &opt_list_policies,
    &opt_list_policy_elements,
    &opt_list_expression_members,
    &opt_resource_group,
    &opt_docs_url,
    &opt_import_file,
    &opt_path,
    &opt_configuration,
    &opt_apiops_service,
    NULL,
};
static const struct cli_option *const compile_opts[] = {
    &opt_file_path,         &opt_parameters,
    &opt_service_name,      &opt_api_name,
    &opt_resource_group,    &opt_output_report,
    &opt_sample_parameters, &opt_strict,
    &opt_allow_unenforced,  &opt_docs_url,
    &opt_import_file,       &opt_path,
    &opt_configuration,     NULL,
};
static const struct cli_option *const plan_show_opts[] = { &opt_show_keys, &opt_output_doc, NULL };
static const struct cli_option *const start_opts[] = {
    &opt_gateway_name,
    &opt_config_start,
    &opt_parameters,
    &opt_resource_group_start,
    &opt_service_name,
    &opt_api_name,
    &opt_port,
    &opt_host,
    &opt_admin_port,
    &opt_threads,
    &opt_backend_timeout,
    &opt_drain_timeout,
    &opt_header_timeout,
    &opt_body_timeout,
    &opt_connection_limit,
    &opt_backend_idle_timeout,
    &opt_body_memory,
    &opt_watch,
    &opt_strict,
    &opt_allow_unenforced,
    &opt_import_file,
    &opt_path,
    &opt_configuration,
    &opt_foreground,
    NULL,
};
static const struct cli_option *const job_run_opts[] = {
    &opt_config_list,    &opt_definition,
    &opt_parameters,     &opt_service_name,
    &opt_resource_group, &opt_sample_parameters,
    &opt_import_file,    &opt_path,
    &opt_configuration,  NULL,
};
static const struct cli_option *const job_ctl_opts[] = { &opt_gateway_name, NULL };
static const struct cli_option *const stop_opts[] = { &opt_gateway_name, &opt_timeout, NULL };
static const struct cli_option *const status_opts[] = { &opt_gateway_name, &opt_output_rows, NULL };
static const struct cli_option *const gateway_list_opts[] = { &opt_resource_group_filter,
                                                              &opt_output_rows, NULL };
/* The listings read a configuration (--config) or a gateway's plan. */
#define LIST_SOURCE                                                            \
    &opt_config_list, &opt_gateway_source, &opt_parameters, &opt_service_name, \
        &opt_resource_group, &opt_import_file, &opt_path, &opt_configuration
static const struct cli_option *const list_opts[] = { LIST_SOURCE, &opt_output_rows, NULL };
static const struct cli_option *const api_opts[] = { &opt_api_id, LIST_SOURCE, &opt_output_rows,
                                                     NULL };
static const struct cli_option *const operation_list_opts[] = { &opt_api_id_one, LIST_SOURCE,
                                                                &opt_output_rows, NULL };
static const struct cli_option *const import_opts[] = {
    &opt_spec_format,
    &opt_spec_path,
    &opt_import_path,
    &opt_import_api_id,
    &opt_service_url,
    &opt_display_name,
    &opt_description,
    &opt_protocols,
    &opt_subscription_required,
    &opt_import_service_name,
    &opt_template_file,
    &opt_resource_group,
    NULL,
};
static const struct cli_option *const subscription_opts[] = { LIST_SOURCE, &opt_show_keys,
                                                              &opt_output_rows, NULL };

static const struct cli_option opt_target = {
    CLI_OPT_TARGET,
    "target",
    0,
    "TARGET",
    CLI_OPT_REQUIRED,
    targets,
    0,
    0,
    NULL,
    "what to write: pyspark (a PySpark Structured Streaming program)"
};

static const struct cli_option *const job_export_opts[] = {
    &opt_target,         &opt_config_policy,
    &opt_parameters,     &opt_service_name,
    &opt_resource_group, &opt_sample_parameters,
    &opt_import_file,    &opt_path,
    &opt_configuration,  NULL,
};

static const struct cli_option *const policy_show_opts[] = {
    &opt_config_policy,
    &opt_api_id,
    &opt_operation_id,
    &opt_product_id,
    &opt_parameters,
    &opt_service_name,
    &opt_resource_group,
    &opt_sample_parameters,
    &opt_import_file,
    &opt_path,
    &opt_configuration,
    &opt_output_policy,
    NULL,
};

static const struct cli_option *const expr_eval_opts[] = {
    &opt_header, &opt_variable, &opt_url, &opt_method, &opt_body, NULL,
};

/* ---- commands ---- */

static const char import_text[] =
    "Writes the ARM template that imports an OpenAPI or Swagger file into API\n"
    "Management, as 'az apim api import' does (same flags): it deploys to Azure\n"
    "unchanged (the specification inline in the API's 'value', with 'format') and runs\n"
    "here with 'apim gateway start --config'. The file is checked first, as a bare\n"
    "specification; with errors, nothing is written.\n";

static const char validate_text[] =
    "Checks ARM templates (with their parameters), ARM parameters files and the seed's\n"
    "API documents the way Azure would deploy them, and reports every mistake as\n"
    "file:line:col. Folders are searched for *.json files. All the inputs are one\n"
    "deployment: a template may use what another declares, and templates linked with\n"
    "templateLink are read from the disk. Finding nothing to check is an error.\n"
    "Diagnostics go to stderr\n"
    "with --output table, to stdout otherwise; sarif is SARIF 2.1.0, github is\n"
    "workflow annotations. Every code is explained in docs/validate.md.\n"
    "\n"
    "Exit status: 0 valid (warnings allowed unless --strict), 1 invalid, 2 usage error.\n";

static const char compile_text[] =
    "Checks CONFIG as 'apim validate' does (several files and folders are one\n"
    "deployment), then writes the routing plan the gateway runs to --file-path: one\n"
    "binary file, verified by the gateway when it loads it.\n";

static const char plan_show_text[] =
    "Prints a routing plan: every API with its operations and route tree, version\n"
    "sets, products, subscriptions, backends and named values. Subscription keys and\n"
    "secret named values are masked unless --show-keys.\n";

static const char gateway_text[] =
    "Runs a configuration as API Management's gateway would, on this machine. State\n"
    "(pid, ports, logs, the plan) is kept in $APIM_HOME/gateways/NAME/ ($APIM_HOME\n"
    "defaults to ~/.apimlocal).\n";

static const char start_text[] =
    "Compiles the configuration (or loads a .plan file), starts the gateway in the\n"
    "background, waits until it serves and prints its URL. With --foreground the\n"
    "gateway runs in this process instead (containers, CI): stdout gets one line\n"
    "{\"event\":\"listening\",\"url\":...,\"port\":N,...} before the first request is\n"
    "served, then the access log as JSON lines; the gateway's own log is on stderr.\n"
    "SIGTERM or SIGINT drain and stop it, SIGHUP reloads the configuration.\n";

static const char stop_text[] =
    "Sends SIGTERM (the gateway drains: requests in flight finish), waits, then\n"
    "sends SIGKILL if it is still running.\n";

static const char status_text[] =
    "What a running gateway reports on its admin port: URL, plan, uptime, request\n"
    "counters, reloads and the last reload error. Exit status 3 if it is not running.\n";

static const char gateway_list_text[] = "Every gateway that has run under $APIM_HOME, running or "
                                        "stopped.\n";

static const char lists_text[] =
    "Lists what a configuration defines (--config, compiled on the fly as 'apim\n"
    "compile' would) or what a gateway serves (--gateway-name: the plan in its state\n"
    "folder); give one of the two. Revisions other than the current one are named\n"
    "API;rev=N, as in Azure.\n";

static const char subscription_text[] =
    "Lists subscriptions with their scope and state, from --config or --gateway-name.\n"
    "Keys are masked unless --show-keys; keys a template does not set are generated,\n"
    "the same on every run.\n";

static const char policy_show_text[] =
    "Prints the policy that runs for one call, as XML: every section of the operation's\n"
    "policy with <base/> replaced by the API's section, the product's (with --product-id)\n"
    "and the global one, and fragments inlined. A comment before each policy names\n"
    "the scope that wrote it and where (file:line:col). With --output json or yaml, the\n"
    "same pipeline as data: per section, each element with its scope, fragment,\n"
    "file:line:col, attributes (expressions marked) and children. The workspace scope\n"
    "is not modelled. A configuration with errors prints them and exits 1.\n";

static const char job_export_text[] =
    "Prints the streaming job JOB of the configuration as an equivalent PySpark Structured\n"
    "Streaming program, to run on Spark when the job outgrows one machine: the socket\n"
    "source as readStream.format(\"socket\"), per-batch operators in foreachBatch, windows\n"
    "with window(), the batch interval as the trigger, the checkpoint as\n"
    "checkpointLocation, print in pprint's format. What has no equivalent (queue,\n"
    "httpIngest and gatewayLog sources) makes a program that says so and exits. A\n"
    "configuration with errors prints them and exits 1.\n";

static const char expr_text[] =
    "Compiles one policy expression, @(...) or @{...}, to the bytecode the gateway runs,\n"
    "verifies it, and evaluates it against a request described by the options (eval) or\n"
    "lists its instructions (disasm). A runtime error is printed with its place in the\n"
    "expression and exits 1, as a syntax error does.\n";

static const char job_run_text[] =
    "Runs one streaming job in the foreground on one event loop: batches every\n"
    "batchInterval (aligned to multiples of it, as Spark does), print output on\n"
    "stdout, log lines on stderr. SIGINT or SIGTERM stop it gracefully: the records\n"
    "already received are processed, for at most stop.timeout. A job with a\n"
    "checkpoint resumes from its last checkpoint (and write-ahead log). The job is one a "
    "configuration declares (--config,\n"
    "checked as apim validate checks it; JOB names it, needed when there are several)\n"
    "or a canonical definition file (--definition; JOB defaults to the file name).\n";

static const char job_ctl_text[] =
    "Streaming jobs of a running gateway, through its admin port (GET /jobs, GET\n"
    "/jobs/JOB, POST /jobs/JOB/start and /stop): list shows every job of its plan with\n"
    "its state (running, stopped, failed: the error says why), status one job with\n"
    "the engine's counters. start starts a stopped or failed job; stop stops it as\n"
    "its definition says (stop.graceful: what was received is processed, for at most\n"
    "stop.timeout; the records left are reported). A\n"
    "reload restarts jobs whose definition changed. Exit status 3 if the gateway is\n"
    "not running, 1 if the job does not exist or cannot start.\n";

static const char completion_text[] =
    "Prints a completion script for bash or zsh, generated from apim's command table.\n"
    "\n"
    "  bash:  source <(apim completion bash)         (in ~/.bashrc)\n"
    "  zsh:   source <(apim completion zsh)          (in ~/.zshrc)\n";

const struct cli_command cli_commands[] = {
    { "validate", "check ARM templates and API documents, report every mistake", "FILE|FOLDER...",
      0, CLI_MANY, CLI_ARGS_FILE, NULL, validate_text, validate_opts, cli_validate },
    { "compile", "check a configuration and write the routing plan the gateway runs", "CONFIG...",
      1, CLI_MANY, CLI_ARGS_FILE, NULL, compile_text, compile_opts, cli_compile },
    { "plan", "show a routing plan", NULL, 0, 0, CLI_ARGS_TEXT, NULL, NULL, NULL, NULL },
    { "plan show", "print a routing plan as JSON or YAML", "FILE.plan", 1, 1, CLI_ARGS_FILE, NULL,
      plan_show_text, plan_show_opts, cli_plan_show },
    { "gateway", "start, stop, inspect and list local gateways", NULL, 0, 0, CLI_ARGS_TEXT, NULL,
      gateway_text, NULL, NULL },
    { "gateway start", "serve a configuration as a local gateway", NULL, 0, 0, CLI_ARGS_TEXT, NULL,
      start_text, start_opts, cli_gateway_start },
    { "gateway stop", "stop a gateway, letting requests in flight finish", NULL, 0, 0,
      CLI_ARGS_TEXT, NULL, stop_text, stop_opts, cli_gateway_stop },
    { "gateway status", "show what a running gateway reports", NULL, 0, 0, CLI_ARGS_TEXT, NULL,
      status_text, status_opts, cli_gateway_status },
    { "gateway list", "list the gateways that have run here", NULL, 0, 0, CLI_ARGS_TEXT, NULL,
      gateway_list_text, gateway_list_opts, cli_gateway_list },
    { "api", "list and show the APIs of a configuration or gateway; import a specification", NULL,
      0, 0, CLI_ARGS_TEXT, NULL, NULL, NULL, NULL },
    { "api list", "list the APIs", NULL, 0, 0, CLI_ARGS_TEXT, NULL, lists_text, list_opts,
      cli_api_list },
    { "api show", "show one API (with its operations in json and yaml)", NULL, 0, 0, CLI_ARGS_TEXT,
      NULL, lists_text, api_opts, cli_api_show },
    { "api import", "write the ARM template that imports an OpenAPI or Swagger file", NULL, 0, 0,
      CLI_ARGS_TEXT, NULL, import_text, import_opts, cli_api_import },
    { "api operation", "the operations of an API", NULL, 0, 0, CLI_ARGS_TEXT, NULL, NULL, NULL,
      NULL },
    { "api operation list", "list the operations of an API", NULL, 0, 0, CLI_ARGS_TEXT, NULL,
      lists_text, operation_list_opts, cli_api_operation_list },
    { "product", "list the products of a configuration or gateway", NULL, 0, 0, CLI_ARGS_TEXT, NULL,
      NULL, NULL, NULL },
    { "product list", "list the products and their APIs", NULL, 0, 0, CLI_ARGS_TEXT, NULL,
      lists_text, list_opts, cli_product_list },
    { "subscription", "list subscriptions (and their keys)", NULL, 0, 0, CLI_ARGS_TEXT, NULL, NULL,
      NULL, NULL },
    { "subscription list", "list the subscriptions", NULL, 0, 0, CLI_ARGS_TEXT, NULL,
      subscription_text, subscription_opts, cli_subscription_list },
    { "policy", "show the effective policy of a call", NULL, 0, 0, CLI_ARGS_TEXT, NULL, NULL, NULL,
      NULL },
    { "policy show", "print the policy that runs for an operation, scopes composed", NULL, 0, 0,
      CLI_ARGS_TEXT, NULL, policy_show_text, policy_show_opts, cli_policy_show },
    { "job", "streaming jobs: run, export, and those of a running gateway", NULL, 0, 0,
      CLI_ARGS_TEXT, NULL, NULL, NULL, NULL },
    { "job run", "run a streaming job in the foreground until SIGINT or SIGTERM", "[JOB]", 0, 1,
      CLI_ARGS_TEXT, NULL, job_run_text, job_run_opts, cli_job_run },
    { "job export", "print a streaming job as a program for another engine", "JOB", 1, 1,
      CLI_ARGS_TEXT, NULL, job_export_text, job_export_opts, cli_job_export },
    { "job list", "list the streaming jobs of a running gateway", NULL, 0, 0, CLI_ARGS_TEXT, NULL,
      job_ctl_text, status_opts, cli_job_list },
    { "job status", "show one streaming job of a running gateway", "JOB", 1, 1, CLI_ARGS_TEXT, NULL,
      job_ctl_text, status_opts, cli_job_status },
    { "job start", "start a streaming job of a running gateway", "JOB", 1, 1, CLI_ARGS_TEXT, NULL,
      job_ctl_text, job_ctl_opts, cli_job_start },
    { "job stop", "stop a streaming job of a running gateway", "JOB", 1, 1, CLI_ARGS_TEXT, NULL,
      job_ctl_text, job_ctl_opts, cli_job_stop },
    { "expr", "compile, run and list policy expressions", NULL, 0, 0, CLI_ARGS_TEXT, NULL, NULL,
      NULL, NULL },
    { "expr eval", "evaluate a policy expression against a request", "EXPRESSION", 1, 1,
      CLI_ARGS_TEXT, NULL, expr_text, expr_eval_opts, cli_expr_eval },
    { "expr disasm", "list the bytecode of a policy expression", "EXPRESSION", 1, 1, CLI_ARGS_TEXT,
      NULL, expr_text, NULL, cli_expr_disasm },
    { "help", "show the commands, or the help of one command", "[COMMAND...]", 0, 3,
      CLI_ARGS_COMMAND, NULL, NULL, NULL, cli_help },
    { "version", "print the version", NULL, 0, 0, CLI_ARGS_TEXT, NULL, NULL, NULL, cli_version },
    { "completion", "print the bash or zsh completion script", "SHELL", 1, 1, CLI_ARGS_VALUES,
      shells, completion_text, NULL, cli_completion },
};

const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);
