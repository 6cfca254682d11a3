/* cli.h - the apim command line as data: one table of commands and their
 * options (cli_table.c, the option rows in cli_options.c), and the one parser that reads argv
 * against it (cli.c). Help, "did you mean", the bash and zsh completion scripts and the docs check
 * (tests/docs/check-cli.sh) are all generated from the table, so a row added here shows up
 * everywhere at once.
 *
 * HOW TO ADD AN OPTION (one row):
 *   1. A new option gets an id in enum cli_opt below (options that mean the
 *      same on several commands share one id: CLI_OPT_OUTPUT, ...).
 *   2. Its row goes in cli_options.c (and its name in cli_options.h):
 *      const struct cli_option cli_opt_NAME = { id, long name, short letter,
 *      value name, flags, allowed values, range, default, help }.
 *   3. The row's address goes in the option list (cli_table.c) of each
 *      command taking it.
 *   4. The command reads it: cli_arg(), cli_flag(), cli_number() or, for a
 *      CLI_OPT_REPEAT option, cli_arg_list(). A closed value comes back
 *      spelt as in the row (CLI_OPT_ICASE accepts any case).
 *   Example, a repeatable --config on gateway start: give cli_opt_config the
 *   CLI_OPT_REPEAT flag (or a second row with the flag, for that command
 *   only) and read every value with cli_arg_list(a, CLI_OPT_CONFIG, &n).
 * HOW TO ADD A COMMAND: one struct cli_command row in cli_table.c (its path,
 * "api import" say, its summary, positional arguments, description, option
 * list and run function); a group row ("api") already lists it by its path.
 *
 * The parser's rules (as git and az): long options are --name VALUE or
 * --name=VALUE, exact names only (no abbreviations); short ones -x VALUE,
 * -xVALUE, and flags cluster (-qh). A value that begins with "--" is taken
 * for a forgotten value, not a value (write --name=--value for that). "--"
 * ends the options. Options and positional arguments mix in any order. An
 * option that is not CLI_OPT_REPEAT may be given once. -h/--help is implicit
 * on every command and prints its help on stdout (exit 0).
 *
 * Exit statuses (enum cli_exit): 0 success, 1 invalid input (its reasons
 * printed), 2 usage error, 3 runtime failure (a gateway that is not running,
 * a port in use, ...).
 * Ownership: struct cli_args points into argv and the table; its arrays are
 * freed by cli_args_release.
 */
#ifndef APIM_CLI_CLI_H
#define APIM_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cli_exit {
    CLI_OK = 0,
    CLI_FAILED = 1,
    CLI_USAGE = 2,
    CLI_RUNTIME = 3
};

/* Every option the CLI has, by meaning. */
enum cli_opt {
    CLI_OPT_OUTPUT,
    CLI_OPT_PARAMETERS,
    CLI_OPT_STRICT,
    CLI_OPT_SAMPLE_PARAMETERS,
    CLI_OPT_QUIET,
    CLI_OPT_LIST_CODES,
    CLI_OPT_RESOURCE_GROUP,
    CLI_OPT_SERVICE_NAME,
    CLI_OPT_API_NAME,
    CLI_OPT_API_ID,
    CLI_OPT_FILE_PATH,
    CLI_OPT_SHOW_KEYS,
    CLI_OPT_CONFIG,
    CLI_OPT_GATEWAY_NAME,
    CLI_OPT_PORT,
    CLI_OPT_HOST,
    CLI_OPT_ADMIN_PORT,
    CLI_OPT_THREADS,
    CLI_OPT_BACKEND_TIMEOUT,
    CLI_OPT_DRAIN_TIMEOUT,
    CLI_OPT_HEADER_TIMEOUT,
    CLI_OPT_BODY_TIMEOUT,
    CLI_OPT_CONNECTION_LIMIT,
    CLI_OPT_BACKEND_IDLE_TIMEOUT,
    CLI_OPT_BODY_MEMORY,
    CLI_OPT_WATCH,
    CLI_OPT_FOREGROUND,
    CLI_OPT_TIMEOUT,
    CLI_OPT_DOCS_URL,
    CLI_OPT_ALLOW_UNENFORCED,
    CLI_OPT_LIST_POLICIES,
    CLI_OPT_LIST_POLICY_ELEMENTS,
    CLI_OPT_LIST_EXPRESSION_MEMBERS,
    CLI_OPT_PATH,
    CLI_OPT_IMPORT_FILE,
    CLI_OPT_SPEC_FORMAT,
    CLI_OPT_SPEC_PATH,
    CLI_OPT_SERVICE_URL,
    CLI_OPT_DISPLAY_NAME,
    CLI_OPT_DESCRIPTION,
    CLI_OPT_PROTOCOLS,
    CLI_OPT_SUBSCRIPTION_REQUIRED,
    CLI_OPT_CONFIGURATION,
    CLI_OPT_OPERATION_ID,
    CLI_OPT_PRODUCT_ID,
    CLI_OPT_HEADER,
    CLI_OPT_VARIABLE,
    CLI_OPT_URL,
    CLI_OPT_METHOD,
    CLI_OPT_BODY,
    CLI_OPT_TARGET,
    CLI_OPT_DEFINITION,
    CLI_OPT_COUNT
};

enum cli_opt_flags {
    CLI_OPT_REPEAT = 1 << 0,   /* may be given many times; every value is kept */
    CLI_OPT_REQUIRED = 1 << 1, /* the command refuses to run without it */
    CLI_OPT_FILE = 1 << 2,     /* the value names a file: completed as one ('@' too) */
    CLI_OPT_NUMBER = 1 << 3,   /* the value is an integer from min to max */
    CLI_OPT_WRITES = 1 << 4,   /* the file is written: named when -o gets a file name */
    CLI_OPT_ICASE = 1 << 5     /* closed values match ignoring case (az's enum arguments) */
};

struct cli_option {
    enum cli_opt id;
    const char *name;          /* long name, without "--" */
    char letter;               /* short name, or 0 */
    const char *arg;           /* the value's name in help ("FILE"); NULL: a flag */
    unsigned flags;            /* enum cli_opt_flags */
    const char *const *values; /* closed set of values, NULL-terminated; NULL: open */
    long min, max;             /* CLI_OPT_NUMBER's range */
    const char *def;           /* the value when the option is absent, or NULL */
    const char *help;          /* one line, lowercase, no period */
};

/* Positional arguments. */
enum cli_args_kind {
    CLI_ARGS_TEXT,    /* anything (completion offers nothing) */
    CLI_ARGS_FILE,    /* file or folder names */
    CLI_ARGS_COMMAND, /* command words (apim help gateway start) */
    CLI_ARGS_VALUES   /* one of arg_values */
};

#define CLI_MANY 1000u /* max_args: no limit but argc's */

struct cli_args;

struct cli_command {
    const char *path;    /* "gateway start"; a group ("gateway") has run == NULL */
    const char *summary; /* one line, for command lists */
    const char *args;    /* positional arguments in the usage line ("FILE..."), or NULL */
    unsigned min_args, max_args;
    enum cli_args_kind args_kind;
    const char *const *arg_values;           /* CLI_ARGS_VALUES: NULL-terminated */
    const char *description;                 /* paragraphs shown by --help, or NULL */
    const struct cli_option *const *options; /* NULL-terminated, or NULL */
    int (*run)(const struct cli_args *a);    /* returns an enum cli_exit */
};

extern const struct cli_command cli_commands[];
extern const size_t cli_ncommands;

/* What the parser read for one command. */
struct cli_args {
    const struct cli_command *cmd;
    const struct cli_option *row[CLI_OPT_COUNT]; /* the command's row per id, or NULL */
    const char **vals[CLI_OPT_COUNT];            /* values given, in order */
    size_t nvals[CLI_OPT_COUNT];
    const char **pos; /* positional arguments */
    size_t npos;
};

enum cli_parse_result {
    CLI_PARSE_OK = 0,
    CLI_PARSE_HELP = 1,  /* -h/--help was given */
    CLI_PARSE_ERROR = -1 /* the message is in err */
};

/* Reads argv (argv[0] is the command's last word) against cmd's options.
 * The message of an error is one line, without "apim: ". a is filled in
 * every case; release it with cli_args_release. */
enum cli_parse_result cli_parse(const struct cli_command *cmd, int argc, char **argv,
                                struct cli_args *a, char *err, size_t errlen);
void cli_args_release(struct cli_args *a);

/* The last value given, else the row's default, else NULL. */
const char *cli_arg(const struct cli_args *a, enum cli_opt id);

/* Every value given (repeatable options), in order; their number. */
size_t cli_arg_list(const struct cli_args *a, enum cli_opt id, const char *const **out);

/* True if the option was given (a flag, or a value). */
bool cli_flag(const struct cli_args *a, enum cli_opt id);

/* The value of a CLI_OPT_NUMBER option (checked by the parser), or dflt if
 * it has neither a value nor a default. */
long cli_number(const struct cli_args *a, enum cli_opt id, long dflt);

/* The command named by words[0..n), or NULL. */
const struct cli_command *cli_lookup(const char *const *words, size_t n);

/* The closest of names to word ("did you mean"): a unique prefix match, or
 * one a few edits away; NULL if none is close. */
const char *cli_closest(const char *word, const char *const *names, size_t n);

/* main(): finds the command, parses, runs; the process exit status. */
int cli_main(int argc, char **argv);

/* Prints "apim: <message>" and "see 'apim <path> --help'" to stderr;
 * returns CLI_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- help (cli_help.c) ---- */

/* The help of a command or group: usage, description, options or
 * subcommands. The root (the list of commands) for cmd == NULL. */
void cli_help_print(const struct cli_command *cmd, FILE *out);

/* The children of a group (or of the root, for NULL), in table order. */
size_t cli_help_children(const struct cli_command *group, const struct cli_command **out,
                         size_t max);

/* The last word of a command's path. */
const char *cli_help_name(const struct cli_command *cmd);

/* ---- completion scripts (cli_complete.c) ---- */

/* Writes the completion script for shell ("bash" or "zsh"); -1 for others. */
int cli_complete_script(const char *shell, FILE *out);

/* ---- the commands (cli_<name>.c) ---- */

int cli_validate(const struct cli_args *a);
int cli_compile(const struct cli_args *a);
int cli_plan_show(const struct cli_args *a);
int cli_gateway_start(const struct cli_args *a);
int cli_job_run(const struct cli_args *a);
int cli_gateway_stop(const struct cli_args *a);
int cli_gateway_status(const struct cli_args *a);
int cli_gateway_list(const struct cli_args *a);
int cli_api_list(const struct cli_args *a);
int cli_api_show(const struct cli_args *a);
int cli_api_import(const struct cli_args *a); /* cli_import.c */
int cli_api_operation_list(const struct cli_args *a);
int cli_product_list(const struct cli_args *a);
int cli_subscription_list(const struct cli_args *a);
int cli_policy_show(const struct cli_args *a); /* cli_policy.c */
int cli_job_export(const struct cli_args *a);  /* cli_job.c */
int cli_job_list(const struct cli_args *a);    /* cli_job_ctl.c */
int cli_job_status(const struct cli_args *a);  /* cli_job_ctl.c */
int cli_job_start(const struct cli_args *a);   /* cli_job_ctl.c */
int cli_job_stop(const struct cli_args *a);    /* cli_job_ctl.c */
int cli_expr_eval(const struct cli_args *a);   /* cli_expr.c */
int cli_expr_disasm(const struct cli_args *a); /* cli_expr.c */
int cli_help(const struct cli_args *a);
int cli_version(const struct cli_args *a);
int cli_completion(const struct cli_args *a);

#endif
