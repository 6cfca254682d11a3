/* cli_table.c - every apim command and option, as data (see cli.h for how
 * to add one). Help, completions, "did you mean" and the docs check are
 * generated from these rows; nothing about an option is said twice. */
#include "cli.h"
#include "cli_options.h"

/* The values of `apim completion SHELL`. */
static const char *const shells[] = { "bash", "zsh", NULL };

/* ---- option lists ---- */

static const struct cli_option *const validate_opts[] = {
    &cli_opt_parameters,
    &cli_opt_output_report,
    &cli_opt_strict,
    &cli_opt_sample_parameters,
    &cli_opt_quiet,
    &cli_opt_list_codes,
    &cli_opt_list_policies,
    &cli_opt_list_policy_elements,
    &cli_opt_list_expression_members,
    &cli_opt_resource_group,
    &cli_opt_docs_url,
    &cli_opt_import_file,
    &cli_opt_path,
    &cli_opt_configuration,
    &cli_opt_apiops_service,
    NULL,
};
static const struct cli_option *const compile_opts[] = {
    &cli_opt_file_path,         &cli_opt_parameters,
    &cli_opt_service_name,      &cli_opt_api_name,
    &cli_opt_resource_group,    &cli_opt_output_report,
    &cli_opt_sample_parameters, &cli_opt_strict,
    &cli_opt_allow_unenforced,  &cli_opt_docs_url,
    &cli_opt_import_file,       &cli_opt_path,
    &cli_opt_configuration,     NULL,
};
static const struct cli_option *const plan_show_opts[] = { &cli_opt_show_keys, &cli_opt_output_doc,
                                                           NULL };
static const struct cli_option *const start_opts[] = {
    &cli_opt_gateway_name,
    &cli_opt_config_start,
    &cli_opt_parameters,
    &cli_opt_resource_group_start,
    &cli_opt_service_name,
    &cli_opt_api_name,
    &cli_opt_port,
    &cli_opt_host,
    &cli_opt_admin_port,
    &cli_opt_threads,
    &cli_opt_backend_timeout,
    &cli_opt_drain_timeout,
    &cli_opt_header_timeout,
    &cli_opt_body_timeout,
    &cli_opt_connection_limit,
    &cli_opt_backend_idle_timeout,
    &cli_opt_body_memory,
    &cli_opt_watch,
    &cli_opt_strict,
    &cli_opt_allow_unenforced,
    &cli_opt_import_file,
    &cli_opt_path,
    &cli_opt_configuration,
    &cli_opt_foreground,
    NULL,
};
static const struct cli_option *const job_run_opts[] = {
    &cli_opt_config_list,    &cli_opt_definition,
    &cli_opt_parameters,     &cli_opt_service_name,
    &cli_opt_resource_group, &cli_opt_sample_parameters,
    &cli_opt_import_file,    &cli_opt_path,
    &cli_opt_configuration,  NULL,
};
static const struct cli_option *const job_ctl_opts[] = { &cli_opt_gateway_name, NULL };
static const struct cli_option *const stop_opts[] = { &cli_opt_gateway_name, &cli_opt_timeout,
                                                      NULL };
static const struct cli_option *const status_opts[] = { &cli_opt_gateway_name, &cli_opt_output_rows,
                                                        NULL };
static const struct cli_option *const gateway_list_opts[] = { &cli_opt_resource_group_filter,
                                                              &cli_opt_output_rows, NULL };
/* The listings read a configuration (--config) or a gateway's plan. */
#define LIST_SOURCE                                                                            \
    &cli_opt_config_list, &cli_opt_gateway_source, &cli_opt_parameters, &cli_opt_service_name, \
        &cli_opt_resource_group, &cli_opt_import_file, &cli_opt_path, &cli_opt_configuration
static const struct cli_option *const list_opts[] = { LIST_SOURCE, &cli_opt_output_rows, NULL };
static const struct cli_option *const api_opts[] = { &cli_opt_api_id, LIST_SOURCE,
                                                     &cli_opt_output_rows, NULL };
static const struct cli_option *const operation_list_opts[] = { &cli_opt_api_id_one, LIST_SOURCE,
                                                                &cli_opt_output_rows, NULL };
static const struct cli_option *const import_opts[] = {
    &cli_opt_spec_format,
    &cli_opt_spec_path,
    &cli_opt_import_path,
    &cli_opt_import_api_id,
    &cli_opt_service_url,
    &cli_opt_display_name,
    &cli_opt_description,
    &cli_opt_protocols,
    &cli_opt_subscription_required,
    &cli_opt_import_service_name,
    &cli_opt_template_file,
    &cli_opt_resource_group,
    NULL,
};
static const struct cli_option *const subscription_opts[] = { LIST_SOURCE, &cli_opt_show_keys,
                                                              &cli_opt_output_rows, NULL };

static const struct cli_option *const job_export_opts[] = {
    &cli_opt_target,         &cli_opt_config_policy,
    &cli_opt_parameters,     &cli_opt_service_name,
    &cli_opt_resource_group, &cli_opt_sample_parameters,
    &cli_opt_import_file,    &cli_opt_path,
    &cli_opt_configuration,  NULL,
};

static const struct cli_option *const policy_show_opts[] = {
    &cli_opt_config_policy,
    &cli_opt_api_id,
    &cli_opt_operation_id,
    &cli_opt_product_id,
    &cli_opt_parameters,
    &cli_opt_service_name,
    &cli_opt_resource_group,
    &cli_opt_sample_parameters,
    &cli_opt_import_file,
    &cli_opt_path,
    &cli_opt_configuration,
    &cli_opt_output_policy,
    NULL,
};

static const struct cli_option *const expr_eval_opts[] = {
    &cli_opt_header, &cli_opt_variable, &cli_opt_url, &cli_opt_method, &cli_opt_body, NULL,
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
