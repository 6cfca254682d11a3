/* cli.h - the subcommands of the apim binary. Each takes argc/argv with
 * argv[0] being the subcommand name, and returns the process exit status:
 * 0 success, 1 invalid input (its reasons printed), 2 usage error, 3 runtime
 * failure (a gateway that is not running, a port in use, ...).
 * cli.c is the only place that sees both the compiler and the runtime. */
#ifndef APIM_CLI_CLI_H
#define APIM_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum cli_exit {
    CLI_OK = 0,
    CLI_FAILED = 1,
    CLI_USAGE = 2,
    CLI_RUNTIME = 3
};

#include <jansson.h>

#include "buf.h"
#include "compile.h"
#include "plan.h"
#include "report.h"

int cli_validate(int argc, char **argv);
int cli_compile(int argc, char **argv);
int cli_plan(int argc, char **argv);
int cli_gateway(int argc, char **argv);
int cli_api(int argc, char **argv);
int cli_product(int argc, char **argv);
int cli_subscription(int argc, char **argv);

/* A configuration to serve or list: a template or API document (compiled
 * with these options), or a .plan file (read as is). */
struct cli_config {
    const char *path;
    char **parameters; /* --parameters arguments, in order */
    size_t nparameters;
    const char *service, *api_name, *gateway_name;
    const char *configuration; /* --configuration: an APIOps publisher configuration */
    bool strict, sample_parameters;
};

/* What APIOps folders need from the command line, with the publisher's
 * environment variables as fallbacks: the configuration file
 * (CONFIGURATION_YAML_PATH) and the service name (API_MANAGEMENT_SERVICE_NAME). */
void cli_apiops_setup(struct compiler *c, const char *configuration, const char *service);

/* Builds the plan bytes; diagnostics go into messages as text. 0 or -1. */
int cli_config_build(const struct cli_config *cfg, struct buf *plan, struct buf *messages);

/* Builds and loads the plan, printing diagnostics to stderr. 0 or -1. */
int cli_config_plan(const struct cli_config *cfg, struct plan **out);

/* Gateway names: letters, digits, '.', '_', '-'; up to 80; no leading '.' or '-'. */
bool cli_gateway_name_ok(const char *name);

/* $APIM_HOME, else ~/.apimlocal; and a gateway's state folder in it. */
int cli_apim_home(char *out, size_t len);
int cli_gateway_dir(const char *name, char *out, size_t len);

/* mkdir -p with mode 0700. */
int cli_mkdirs(const char *path);

/* Takes the gateway's lock (held by a running gateway for its lifetime):
 * the fd, -2 if another process holds it (or, without create, there is no
 * lock file), -1 on error. */
int cli_gateway_lock(const char *dir, bool create);

/* True while a gateway holds the lock of dir. */
bool cli_gateway_running(const char *dir);

/* The entries of a folder (no dot files), for listing gateways. */
struct cli_names {
    char **v;
    size_t n;
};

void cli_list_dir(const char *dir, struct cli_names *out);
void cli_names_release(struct cli_names *names);

/* Listings: --output table|json|tsv. */
enum cli_rows_format {
    CLI_ROWS_TABLE,
    CLI_ROWS_JSON,
    CLI_ROWS_TSV
};

struct cli_column {
    const char *header, *key; /* the column's title, and the JSON field it shows */
};

int cli_parse_rows_format(const char *s, enum cli_rows_format *f);

/* Prints an array of objects: all fields as JSON, or the columns. */
void cli_print_rows(json_t *rows, const struct cli_column *cols, size_t ncols,
                    enum cli_rows_format f);

/* Prints the diagnostics of a run (stderr for text, stdout otherwise) and,
 * for text, one summary line per file. strict turns warnings into errors. */
void cli_report(struct compiler *c, enum report_format format, bool strict, bool summary);

/* Prints "apim: <message>" and a hint to stderr; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
