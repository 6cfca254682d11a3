/* cli_options.c - every option of the apim commands, as data: one row
 * each (cli.h says how to add one), shared by the command table's option
 * lists (cli_table.c) through cli_options.h. */
#include "cli_options.h"

/* ---- closed sets of values ---- */

/* table is the human format everywhere (as az): validate's diagnostics,
 * listings' aligned columns. json and yaml carry every field. */
static const char *const report_formats[] = { "table", "json", "yaml", "sarif", "github", NULL };
static const char *const row_formats[] = { "table", "json", "yaml", "tsv", NULL };
static const char *const doc_formats[] = { "json", "yaml", NULL };
static const char *const policy_formats[] = { "xml", "json", "yaml", NULL };
static const char *const targets[] = { "pyspark", NULL };

/* ---- options ---- */

const struct cli_option cli_opt_output_report = {
    CLI_OPT_OUTPUT, "output", 'o', "FORMAT", 0, report_formats, 0, 0, "table", "output format"
};
const struct cli_option cli_opt_output_rows = {
    CLI_OPT_OUTPUT, "output", 'o', "FORMAT", 0, row_formats, 0, 0, "table", "output format"
};
const struct cli_option cli_opt_output_doc = {
    CLI_OPT_OUTPUT, "output", 'o', "FORMAT", 0, doc_formats, 0, 0, "json", "output format"
};
const struct cli_option cli_opt_output_policy = {
    CLI_OPT_OUTPUT, "output", 'o', "FORMAT", 0, policy_formats, 0, 0, "xml", "output format"
};
const struct cli_option cli_opt_parameters = {
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
const struct cli_option cli_opt_strict = {
    CLI_OPT_STRICT, "strict", 0, NULL, 0, NULL, 0, 0, NULL, "treat warnings as errors"
};
const struct cli_option cli_opt_sample_parameters = {
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
const struct cli_option cli_opt_docs_url = {
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
const struct cli_option cli_opt_allow_unenforced = {
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
const struct cli_option cli_opt_list_policies = {
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
const struct cli_option cli_opt_list_policy_elements = {
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
const struct cli_option cli_opt_list_expression_members = {
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
const struct cli_option cli_opt_path = {
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
const struct cli_option cli_opt_import_file = {
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
const struct cli_option cli_opt_spec_format = {
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
const struct cli_option cli_opt_spec_path = { CLI_OPT_SPEC_PATH,
                                              "specification-path",
                                              0,
                                              "FILE",
                                              CLI_OPT_REQUIRED | CLI_OPT_FILE,
                                              NULL,
                                              0,
                                              0,
                                              NULL,
                                              "the OpenAPI or Swagger file" };
const struct cli_option cli_opt_import_path = {
    CLI_OPT_PATH, "path", 0, "PATH", CLI_OPT_REQUIRED,
    NULL,         0,      0, NULL,   "the API's path, after the gateway's address"
};
const struct cli_option cli_opt_import_api_id = {
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
const struct cli_option cli_opt_service_url = {
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
const struct cli_option cli_opt_display_name = {
    CLI_OPT_DISPLAY_NAME, "display-name", 0, "NAME", 0, NULL, 0, 0, NULL, "the API's display name"
};
const struct cli_option cli_opt_description = {
    CLI_OPT_DESCRIPTION, "description", 0, "TEXT", 0, NULL, 0, 0, NULL, "the API's description"
};
const struct cli_option cli_opt_protocols = { CLI_OPT_PROTOCOLS,
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
const struct cli_option cli_opt_subscription_required = {
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
const struct cli_option cli_opt_import_service_name = {
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
const struct cli_option cli_opt_template_file = {
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
const struct cli_option cli_opt_configuration = {
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
const struct cli_option cli_opt_apiops_service = {
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
const struct cli_option cli_opt_quiet = {
    CLI_OPT_QUIET, "quiet", 'q', NULL, 0,
    NULL,          0,       0,   NULL, "no per-file summary lines with --output table"
};
const struct cli_option cli_opt_list_codes = {
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
const struct cli_option cli_opt_resource_group = {
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
const struct cli_option cli_opt_resource_group_start = {
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
const struct cli_option cli_opt_resource_group_filter = {
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
const struct cli_option cli_opt_service_name = {
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
const struct cli_option cli_opt_api_name = {
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
const struct cli_option cli_opt_api_id = {
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
const struct cli_option cli_opt_api_id_one = {
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
const struct cli_option cli_opt_file_path = { CLI_OPT_FILE_PATH,
                                              "file-path",
                                              0,
                                              "FILE",
                                              CLI_OPT_REQUIRED | CLI_OPT_FILE | CLI_OPT_WRITES,
                                              NULL,
                                              0,
                                              0,
                                              NULL,
                                              "where to write the plan" };
const struct cli_option cli_opt_show_keys = {
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
const struct cli_option cli_opt_config_start = {
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
const struct cli_option cli_opt_config_list = {
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
const struct cli_option cli_opt_config_policy = {
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
const struct cli_option cli_opt_operation_id = {
    CLI_OPT_OPERATION_ID,     "operation-id", 0, "ID", CLI_OPT_REQUIRED, NULL, 0, 0, NULL,
    "the operation: its name"
};
const struct cli_option cli_opt_product_id = {
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
const struct cli_option cli_opt_header = {
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
const struct cli_option cli_opt_variable = { CLI_OPT_VARIABLE,
                                             "variable",
                                             0,
                                             "NAME=VALUE",
                                             CLI_OPT_REPEAT,
                                             NULL,
                                             0,
                                             0,
                                             NULL,
                                             "a context.Variables entry, a string (repeatable)" };
const struct cli_option cli_opt_url = { CLI_OPT_URL,
                                        "url",
                                        0,
                                        "URL",
                                        0,
                                        NULL,
                                        0,
                                        0,
                                        "https://apim.local/",
                                        "the request URL: context.Request.Url and OriginalUrl" };
const struct cli_option cli_opt_method = {
    CLI_OPT_METHOD, "method", 0, "METHOD", 0, NULL, 0, 0, "GET", "the request method"
};
const struct cli_option cli_opt_body = {
    CLI_OPT_BODY, "body", 0, "TEXT", 0,
    NULL,         0,      0, NULL,   "the request body (context.Request.Body; none without it)"
};
const struct cli_option cli_opt_gateway_name = {
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
const struct cli_option cli_opt_gateway_source = {
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
const struct cli_option cli_opt_port = {
    CLI_OPT_PORT, "port", 0,     "N",    CLI_OPT_NUMBER,
    NULL,         0,      65535, "8080", "client port; 0 picks a free one"
};
const struct cli_option cli_opt_host = {
    CLI_OPT_HOST, "host", 0, "ADDR",      0,
    NULL,         0,      0, "127.0.0.1", "address to listen on; 0.0.0.0 to widen"
};
const struct cli_option cli_opt_admin_port = {
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
const struct cli_option cli_opt_threads = { CLI_OPT_THREADS,
                                            "threads",
                                            0,
                                            "N",
                                            CLI_OPT_NUMBER,
                                            NULL,
                                            0,
                                            64,
                                            "0",
                                            "worker threads; 0: one per CPU" };
const struct cli_option cli_opt_backend_timeout = {
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
const struct cli_option cli_opt_drain_timeout = { CLI_OPT_DRAIN_TIMEOUT,
                                                  "drain-timeout",
                                                  0,
                                                  "S",
                                                  CLI_OPT_NUMBER,
                                                  NULL,
                                                  0,
                                                  3600,
                                                  "30",
                                                  "seconds a stop waits for requests in flight" };
const struct cli_option cli_opt_header_timeout = {
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
const struct cli_option cli_opt_body_timeout = {
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
const struct cli_option cli_opt_connection_limit = {
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
const struct cli_option cli_opt_backend_idle_timeout = {
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
const struct cli_option cli_opt_body_memory = {
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
const struct cli_option cli_opt_watch = {
    CLI_OPT_WATCH, "watch", 0, NULL, 0,
    NULL,          0,       0, NULL, "reload when the configuration or parameter files change"
};
const struct cli_option cli_opt_foreground = {
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
const struct cli_option cli_opt_timeout = {
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

const struct cli_option cli_opt_definition = {
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
const struct cli_option cli_opt_target = {
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
