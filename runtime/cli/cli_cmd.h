/* cli_cmd.h - what the command files (cli_<name>.c) share: building a plan
 * from a configuration, the gateways' state folders, printing in the
 * --output formats, and printing a compiler run's diagnostics. cli.c and the
 * table (cli.h) parse; these act.
 * Ownership: json_t arguments are borrowed; cli_names owns its strings.
 * Errors: 0 or -1 with the reason printed to stderr, unless said otherwise.
 */
#ifndef APIM_CLI_CLI_CMD_H
#define APIM_CLI_CLI_CMD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "cli.h"
#include "plan.h"
#include "report.h"

/* ---- configurations (cli_config.c) ---- */

/* A configuration to serve or list: files and folders (templates, API
 * documents, ... compiled together as one deployment, with these options),
 * or one .plan file (read as is). */
#define CLI_MAX_CONFIGS 32

struct cli_config {
    const char *paths[CLI_MAX_CONFIGS]; /* --config, repeatable */
    size_t npaths;
    const char *const *parameters; /* --parameters arguments, in order */
    size_t nparameters;
    const char *service, *api_name, *gateway_name;
    bool strict, sample_parameters, allow_unenforced;
    const char *const *import_files; /* --import-file URL=FILE arguments */
    size_t nimport_files;
    const char *spec_path;     /* --path: the API path of a bare specification */
    const char *configuration; /* --configuration: an APIOps publisher configuration */
};

/* The configuration for messages: "a.json, b.json" (truncated to fit). */
const char *cli_config_names(const struct cli_config *cfg, char *out, size_t n);

/* Prints the operations of a plan that fail closed, one line each (API,
 * operation, and the policy at its scope), or with
 * --allow-unenforced-policies a warning that they are served anyway. */
void cli_config_print_closed(const void *plan, size_t len, FILE *out);

/* Fills cfg from --config, --parameters, --service-name, --api-name,
 * --strict and --sample-parameters (those the command has), and checks the
 * form of every --parameters value: 0, or CLI_USAGE with the reason printed. */
int cli_config_from_args(const struct cli_args *a, struct cli_config *cfg);

struct compiler;

/* Adds every --parameters value to c: 0, or CLI_USAGE (printed) for a value
 * that is not @FILE, FILE or NAME=VALUE. */
int cli_config_add_parameters(const struct cli_args *a, struct compiler *c);

/* Gives c the --import-file copies and the --path of bare specifications:
 * 0, or CLI_USAGE (printed) for an --import-file that is not URL=FILE. */
int cli_config_add_imports(const struct cli_args *a, struct compiler *c);

/* What APIOps folders need from the command line, with the publisher's
 * environment variables as fallbacks: the configuration file
 * (CONFIGURATION_YAML_PATH) and the service name (API_MANAGEMENT_SERVICE_NAME). */
void cli_config_apiops(struct compiler *c, const char *configuration, const char *service);

/* Compiles cfg into c, which it initialises, up to compiler_finish (the
 * caller reports and releases c). */
void cli_config_compile(const struct cli_config *cfg, struct compiler *c);

/* Reports c as a listing does: with errors, every diagnostic on stderr and
 * -1; otherwise one line counting warnings and notes, and 0. */
int cli_config_report_listing(const struct cli_config *cfg, struct compiler *c);

/* The streaming job of c named name, or with name NULL the only one it
 * declares; NULL after saying on stderr which jobs there are (cli_job.c:
 * apim job export and apim job run). */
struct stream_job;
const struct stream_job *cli_job_pick(const struct compiler *c, const char *name);

/* Builds the plan bytes; diagnostics go into messages as text. 0 or -1. */
int cli_config_build(const struct cli_config *cfg, struct buf *plan, struct buf *messages);

/* Builds and loads the plan for a listing: diagnostics are printed to
 * stderr only when they stop it (errors); otherwise one line counts the
 * warnings and notes. 0 or -1. */
int cli_config_plan(const struct cli_config *cfg, struct plan **out);

/* Gateway names: letters, digits, '.', '_', '-'; up to 80; no leading '.' or '-'. */
bool cli_config_gateway_name_ok(const char *name);

/* $APIM_HOME, else ~/.apimlocal; and a gateway's state folder in it. */
int cli_config_home(char *out, size_t len);
int cli_config_gateway_dir(const char *name, char *out, size_t len);

/* A JSON file of a state folder (gateway.json), or NULL. */
json_t *cli_config_read_json(const char *dir, const char *file);

/* mkdir -p with mode 0700. */
int cli_config_mkdirs(const char *path);

/* Takes the gateway's lock (held by a running gateway for its lifetime):
 * the fd, -2 if another process holds it (or, without create, there is no
 * lock file), -1 on error. */
int cli_config_lock(const char *dir, bool create);

/* True while a gateway holds the lock of dir. */
bool cli_config_running(const char *dir);

/* The state folder of the running gateway that --gateway-name names, into
 * dir: 0; or, printed, a usage error for a bad name, CLI_RUNTIME for a
 * gateway that is not running. */
int cli_config_running_gateway(const struct cli_args *a, char *dir, size_t len);

/* The entries of a folder (no dot files), for listing gateways. */
struct cli_names {
    char **v;
    size_t n;
};

void cli_config_list_dir(const char *dir, struct cli_names *out);
void cli_config_names_release(struct cli_names *names);

/* ---- output (cli_output.c) ---- */

enum cli_format {
    CLI_FORMAT_TABLE,
    CLI_FORMAT_JSON,
    CLI_FORMAT_YAML,
    CLI_FORMAT_TSV,
    CLI_FORMAT_SARIF,
    CLI_FORMAT_GITHUB
};

/* The --output of a command (the parser checked it against the row's values). */
enum cli_format cli_output_format(const struct cli_args *a);

struct cli_column {
    const char *header, *key; /* the column's title, and the JSON field it shows */
};

/* Prints an array of objects: aligned columns under a header (table),
 * values only (tsv), or every field (json, yaml). */
void cli_output_rows(json_t *rows, const struct cli_column *cols, size_t ncols, enum cli_format f);

/* The string member key of o, or "" (for text output). */
const char *cli_output_str(json_t *o, const char *key);

/* Prints v as indented JSON or as YAML (any other format: JSON). 0 or -1. */
int cli_output_value(json_t *v, enum cli_format f);

/* Writes v as a YAML document (block style, libfyaml's emitter). Strings
 * that YAML would read as something else (true, 123, null, ~, dates, "")
 * are quoted, so reading the YAML back gives v. 0 or -1. */
int cli_output_yaml(json_t *v, FILE *out);

/* ---- diagnostics (cli_report.c) ---- */

/* Prints the diagnostics of a run: table (text on stderr and, with summary,
 * one line per file on stdout), json, yaml, sarif or github (on stdout).
 * strict turns warnings into errors. */
void cli_report(struct compiler *c, enum cli_format format, bool strict, bool summary,
                const char *docs_url);

/* The --docs-url of a command (NULL if not given) in *out; CLI_USAGE (the
 * message printed) if it is not an absolute URL, else CLI_OK. */
int cli_docs_url(const struct cli_args *a, const char **out);

#endif
