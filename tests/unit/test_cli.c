/* Unit tests for the apim command line (runtime/cli): the table-driven
 * parser (unknown options, missing values, repeatable options, closed
 * values, ranges, required options, "did you mean"), the table's own
 * invariants (what a merged row must respect), every command's help, the
 * completion scripts knowing every option, and YAML output read back with
 * libfyaml: directly, and through the real binary against its JSON.
 *
 *   test_cli [APIM SOURCE_ROOT]   (the binary tests are skipped without them)
 */
#include <jansson.h>
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "cli_cmd.h"
#include "cunit_run.h"

static const char *apim_bin, *source_root;

#define NARGS(a) ((int)(sizeof(a) / sizeof(a[0])))

static const struct cli_command *cmd(const char *path)
{
    for (size_t i = 0; i < cli_ncommands; i++)
        if (strcmp(cli_commands[i].path, path) == 0)
            return &cli_commands[i];
    CU_FAIL_FATAL("no such command in the table");
    return NULL;
}

/* Parses argv (argv[0] the command's word) for the command at path. */
static enum cli_parse_result parse(const char *path, int argc, const char **argv,
                                   struct cli_args *a, char *err)
{
    return cli_parse(cmd(path), argc, (char **)argv, a, err, 512);
}

/* ---- the parser ---- */

static void test_unknown_option(void)
{
    struct cli_args a;
    char err[512];
    const char *argv[] = { "start", "--gatway-name", "x" };
    CU_ASSERT_EQUAL(parse("gateway start", NARGS(argv), argv, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "unknown option '--gatway-name' for 'apim gateway start'; did "
                                "you mean '--gateway-name'?");
    cli_args_release(&a);
    const char *prefix[] = { "list", "--service", "x" }; /* the old name: a unique prefix */
    CU_ASSERT_EQUAL(parse("api list", NARGS(prefix), prefix, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "did you mean '--service-name'?"));
    cli_args_release(&a);
    const char *far[] = { "list", "--zzzzzz" };
    CU_ASSERT_EQUAL(parse("api list", NARGS(far), far, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_PTR_NULL(strstr(err, "did you mean"));
    cli_args_release(&a);
    const char *letter[] = { "validate", "-z", "f.json" };
    CU_ASSERT_EQUAL(parse("validate", NARGS(letter), letter, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "unknown option '-z' for 'apim validate'");
    cli_args_release(&a);
}

static void test_missing_value(void)
{
    struct cli_args a;
    char err[512];
    const char *end[] = { "start", "-n", "x", "-c", "f", "--port" };
    CU_ASSERT_EQUAL(parse("gateway start", NARGS(end), end, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "--port needs a value (N)");
    cli_args_release(&a);
    /* an option where the value should be is a forgotten value */
    const char *forgot[] = { "start", "--config", "--gateway-name", "x" };
    CU_ASSERT_EQUAL(parse("gateway start", NARGS(forgot), forgot, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "--config needs a value (FILE)");
    cli_args_release(&a);
    const char *flag[] = { "start", "-n", "x", "-c", "f", "--watch=yes" };
    CU_ASSERT_EQUAL(parse("gateway start", NARGS(flag), flag, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "--watch takes no value");
    cli_args_release(&a);
}

static void test_repeatable(void)
{
    struct cli_args a;
    char err[512];
    const char *argv[] = { "validate", "-p", "a=1", "f.json", "--parameters=@b.json", "-pc=3" };
    CU_ASSERT_EQUAL_FATAL(parse("validate", NARGS(argv), argv, &a, err), CLI_PARSE_OK);
    const char *const *v;
    CU_ASSERT_EQUAL_FATAL(cli_arg_list(&a, CLI_OPT_PARAMETERS, &v), 3);
    CU_ASSERT_STRING_EQUAL(v[0], "a=1");
    CU_ASSERT_STRING_EQUAL(v[1], "@b.json");
    CU_ASSERT_STRING_EQUAL(v[2], "c=3");
    CU_ASSERT_STRING_EQUAL(cli_arg(&a, CLI_OPT_PARAMETERS), "c=3"); /* the last */
    CU_ASSERT_EQUAL(a.npos, 1);
    cli_args_release(&a);
    /* not repeatable: once only */
    const char *twice[] = { "start", "-n", "a", "-c", "f", "--gateway-name", "b" };
    CU_ASSERT_EQUAL(parse("gateway start", NARGS(twice), twice, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "--gateway-name is given twice (it takes one value)");
    cli_args_release(&a);
}

static void test_forms(void)
{
    struct cli_args a;
    char err[512];
    /* -oVALUE, clustered flags, --name=value, "--" ending the options */
    const char *argv[] = { "validate", "-qojson", "--strict", "--", "-odd.json", "x.json" };
    CU_ASSERT_EQUAL_FATAL(parse("validate", NARGS(argv), argv, &a, err), CLI_PARSE_OK);
    CU_ASSERT_TRUE(cli_flag(&a, CLI_OPT_QUIET));
    CU_ASSERT_TRUE(cli_flag(&a, CLI_OPT_STRICT));
    CU_ASSERT_FALSE(cli_flag(&a, CLI_OPT_SAMPLE_PARAMETERS));
    CU_ASSERT_STRING_EQUAL(cli_arg(&a, CLI_OPT_OUTPUT), "json");
    CU_ASSERT_EQUAL_FATAL(a.npos, 2);
    CU_ASSERT_STRING_EQUAL(a.pos[0], "-odd.json");
    cli_args_release(&a);
    const char *defaults[] = { "start", "--gateway-name=gw", "-c", "f", "--port=0" };
    CU_ASSERT_EQUAL_FATAL(parse("gateway start", NARGS(defaults), defaults, &a, err), CLI_PARSE_OK);
    CU_ASSERT_STRING_EQUAL(cli_arg(&a, CLI_OPT_GATEWAY_NAME), "gw");
    CU_ASSERT_EQUAL(cli_number(&a, CLI_OPT_PORT, -1), 0);
    CU_ASSERT_EQUAL(cli_number(&a, CLI_OPT_DRAIN_TIMEOUT, -1), 30); /* the row's default */
    CU_ASSERT_STRING_EQUAL(cli_arg(&a, CLI_OPT_HOST), "127.0.0.1");
    CU_ASSERT_PTR_NULL(cli_arg(&a, CLI_OPT_RESOURCE_GROUP));
    CU_ASSERT_PTR_NULL(cli_arg(&a, CLI_OPT_API_ID)); /* not an option of this command */
    cli_args_release(&a);
}

static void test_help_anywhere(void)
{
    struct cli_args a;
    char err[512];
    const char *argv[] = { "start", "--port", "1", "--help", "--bogus" };
    CU_ASSERT_EQUAL(parse("gateway start", NARGS(argv), argv, &a, err), CLI_PARSE_HELP);
    cli_args_release(&a);
    const char *cluster[] = { "validate", "-qh" };
    CU_ASSERT_EQUAL(parse("validate", NARGS(cluster), cluster, &a, err), CLI_PARSE_HELP);
    cli_args_release(&a);
}

static void test_required_and_positional(void)
{
    struct cli_args a;
    char err[512];
    const char *none[] = { "start" };
    CU_ASSERT_EQUAL(parse("gateway start", NARGS(none), none, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "missing --gateway-name NAME, --config FILE");
    cli_args_release(&a);
    /* Several configurations are one deployment; plan show takes one plan. */
    const char *two[] = { "compile", "a.json", "b.json", "--file-path", "x.plan" };
    CU_ASSERT_EQUAL(parse("compile", NARGS(two), two, &a, err), CLI_PARSE_OK);
    CU_ASSERT_EQUAL(a.npos, 2);
    cli_args_release(&a);
    const char *plans[] = { "show", "a.plan", "b.plan" };
    CU_ASSERT_EQUAL(parse("plan show", NARGS(plans), plans, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "unexpected argument 'b.plan'");
    cli_args_release(&a);
    const char *zero[] = { "compile", "--file-path", "x.plan" };
    CU_ASSERT_EQUAL(parse("compile", NARGS(zero), zero, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "missing CONFIG...");
    cli_args_release(&a);
    const char *shell[] = { "completion", "fish" };
    CU_ASSERT_EQUAL(parse("completion", NARGS(shell), shell, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "SHELL 'fish' is not supported: use one of bash, zsh");
    cli_args_release(&a);
}

static void test_values_and_ranges(void)
{
    struct cli_args a;
    char err[512];
    const char *typo[] = { "validate", "-o", "jsn", "f.json" };
    CU_ASSERT_EQUAL(parse("validate", NARGS(typo), typo, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "--output 'jsn': use one of table, json, yaml, sarif, github; "
                                "did you mean 'json'?");
    cli_args_release(&a);
    /* -o is the format everywhere: a file name there says where files go */
    const char *file[] = { "compile", "t.json", "-o", "app.plan" };
    CU_ASSERT_EQUAL(parse("compile", NARGS(file), file, &a, err), CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "--output takes a format (table, json, yaml, sarif, github), not "
                                "'app.plan': to write a file, use --file-path app.plan");
    cli_args_release(&a);
    const char *tsv[] = { "validate", "-o", "tsv", "f.json" }; /* not a listing */
    CU_ASSERT_EQUAL(parse("validate", NARGS(tsv), tsv, &a, err), CLI_PARSE_ERROR);
    cli_args_release(&a);
    const char *ranges[][2] = { { "--port", "65536" },
                                { "--port", "-1" },
                                { "--threads", "x" },
                                { "--port", "8080x" },
                                { "--backend-timeout", "0" } };
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        const char *argv[] = { "start", "-n", "x", "-c", "f", ranges[i][0], ranges[i][1] };
        CU_ASSERT_EQUAL(parse("gateway start", NARGS(argv), argv, &a, err), CLI_PARSE_ERROR);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, "wants a number from"));
        cli_args_release(&a);
    }
}

/* A row the table does not have yet, as another branch would add it: a
 * closed set matched ignoring case (as az matches its enum arguments), and
 * given back as the row spells it. */
static void test_case_insensitive_values(void)
{
    static const char *const formats[] = { "OpenApi", "OpenApiJson", "Swagger", NULL };
    static const struct cli_option spec = {
        CLI_OPT_OUTPUT, "specification-format",      0, "FORMAT", CLI_OPT_ICASE, formats, 0, 0,
        NULL,           "the specification's format"
    };
    static const struct cli_option *const opts[] = { &spec, NULL };
    static const struct cli_command import = { "api import",  "import", NULL, 0,    0,
                                               CLI_ARGS_TEXT, NULL,     NULL, opts, cli_version };
    struct cli_args a;
    char err[512];
    const char *argv[] = { "import", "--specification-format", "openapijson" };
    CU_ASSERT_EQUAL_FATAL(cli_parse(&import, NARGS(argv), (char **)argv, &a, err, sizeof(err)),
                          CLI_PARSE_OK);
    CU_ASSERT_PTR_EQUAL(cli_arg(&a, CLI_OPT_OUTPUT), formats[1]);
    cli_args_release(&a);
    const char *bad[] = { "import", "--specification-format", "wsdl" };
    CU_ASSERT_EQUAL(cli_parse(&import, NARGS(bad), (char **)bad, &a, err, sizeof(err)),
                    CLI_PARSE_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "--specification-format 'wsdl': use one of OpenApi, OpenApiJson, "
                                "Swagger");
    cli_args_release(&a);
    const char *exact[] = { "validate", "-o", "JSON", "f.json" }; /* -o: exact */
    CU_ASSERT_EQUAL(parse("validate", NARGS(exact), exact, &a, err), CLI_PARSE_ERROR);
    cli_args_release(&a);
}

static void test_closest(void)
{
    static const char *const names[] = { "start", "stop", "status", "list" };
    CU_ASSERT_STRING_EQUAL(cli_closest("strat", names, 4), "start");
    CU_ASSERT_STRING_EQUAL(cli_closest("lst", names, 4), "list");
    CU_ASSERT_STRING_EQUAL(cli_closest("stat", names, 4), "status"); /* a unique prefix */
    /* Two neighbours swapped is one edit: "stauts" is "status", not "start". */
    CU_ASSERT_STRING_EQUAL(cli_closest("stauts", names, 4), "status");
    CU_ASSERT_STRING_EQUAL(cli_closest("lsit", names, 4), "list");
    CU_ASSERT_PTR_NULL(cli_closest("restart-all", names, 4));
    CU_ASSERT_PTR_NULL(cli_closest("st", names, 4)); /* too short to pick among three */
}

/* ---- the table ---- */

static const struct cli_command *parent_of(const struct cli_command *c)
{
    const char *sp = strrchr(c->path, ' ');
    for (size_t i = 0; sp && i < cli_ncommands; i++)
        if (strlen(cli_commands[i].path) == (size_t)(sp - c->path) &&
            strncmp(cli_commands[i].path, c->path, (size_t)(sp - c->path)) == 0)
            return &cli_commands[i];
    return NULL;
}

static void check_options(const struct cli_command *c, const struct cli_option **by_id)
{
    for (size_t i = 0; c->options && c->options[i]; i++) {
        const struct cli_option *o = c->options[i];
        CU_ASSERT(o->letter != 'h' && o->id < CLI_OPT_COUNT && o->help && o->help[0]);
        CU_ASSERT(!(o->flags & (CLI_OPT_REQUIRED | CLI_OPT_NUMBER | CLI_OPT_FILE)) || o->arg);
        CU_ASSERT(!(o->flags & CLI_OPT_NUMBER) || o->min <= o->max);
        CU_ASSERT(!o->values || (o->arg && o->values[0]));
        /* an id means one option: one long name and one short letter */
        if (by_id[o->id])
            CU_ASSERT(strcmp(by_id[o->id]->name, o->name) == 0 &&
                      by_id[o->id]->letter == o->letter);
        by_id[o->id] = o;
        for (size_t j = 0; j < i; j++) { /* no two options of a command clash */
            CU_ASSERT(strcmp(c->options[j]->name, o->name) != 0 && c->options[j]->id != o->id);
            CU_ASSERT(!o->letter || c->options[j]->letter != o->letter);
        }
    }
}

static void test_table_invariants(void)
{
    const struct cli_option *by_id[CLI_OPT_COUNT] = { 0 };
    for (size_t i = 0; i < cli_ncommands; i++) {
        const struct cli_command *c = &cli_commands[i], *kids[64];
        CU_ASSERT(c->summary && c->summary[0]);
        CU_ASSERT(strchr(c->path, ' ') == NULL || parent_of(c) != NULL);
        CU_ASSERT((c->run == NULL) == (cli_help_children(c, kids, 64) > 0));
        CU_ASSERT(c->min_args <= c->max_args);
        CU_ASSERT(c->max_args == 0 || c->args != NULL);
        CU_ASSERT(c->args_kind != CLI_ARGS_VALUES || c->arg_values);
        const char *word = c->path;
        CU_ASSERT(strchr(c->path, ' ') || cli_lookup(&word, 1) == c);
        check_options(c, by_id);
    }
    for (size_t id = 0; id < CLI_OPT_COUNT; id++)
        CU_ASSERT(by_id[id] != NULL); /* every id is some command's option */
}

/* Runs cli_main with stdout and stderr captured. */
static int main_captured(int argc, const char **argv, struct buf *out, struct buf *err)
{
    fflush(stdout);
    fflush(stderr);
    FILE *o = tmpfile(), *e = tmpfile();
    int save_out = dup(1), save_err = dup(2);
    dup2(fileno(o), 1);
    dup2(fileno(e), 2);
    int rc = cli_main(argc, (char **)argv);
    fflush(stdout);
    fflush(stderr);
    dup2(save_out, 1);
    dup2(save_err, 2);
    close(save_out);
    close(save_err);
    char chunk[4096];
    size_t n;
    rewind(o);
    rewind(e);
    while ((n = fread(chunk, 1, sizeof(chunk), o)) > 0)
        CU_ASSERT_EQUAL(buf_append(out, chunk, n), 0);
    while ((n = fread(chunk, 1, sizeof(chunk), e)) > 0)
        CU_ASSERT_EQUAL(buf_append(err, chunk, n), 0);
    CU_ASSERT_EQUAL(buf_puts(out, ""), 0);
    CU_ASSERT_EQUAL(buf_puts(err, ""), 0);
    fclose(o);
    fclose(e);
    return rc;
}

/* "apim <path> --help" and "apim help <path>": exit 0, the same text on
 * stdout, nothing on stderr, every option of the command in it. */
static void check_help(const struct cli_command *c)
{
    const char *argv[8] = { "apim" }, *hv[8] = { "apim", "help" };
    int argc = 1, hc = 2;
    char path[64];
    snprintf(path, sizeof(path), "%s", c->path);
    for (char *p = path, *w = path;; p++)
        if (*p == ' ' || *p == '\0') {
            bool end = *p == '\0';
            *p = '\0';
            argv[argc++] = hv[hc++] = w;
            w = p + 1;
            if (end)
                break;
        }
    argv[argc++] = "--help";
    struct buf out, err, out2, err2;
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    buf_init(&out2, 1 << 20);
    buf_init(&err2, 1 << 20);
    CU_ASSERT_EQUAL(main_captured(argc, argv, &out, &err), CLI_OK);
    CU_ASSERT_EQUAL(main_captured(hc, hv, &out2, &err2), CLI_OK);
    char usage[96];
    snprintf(usage, sizeof(usage), "usage: apim %s", c->path);
    CU_ASSERT_EQUAL(strncmp(out.data, usage, strlen(usage)), 0);
    CU_ASSERT_STRING_EQUAL(out.data, out2.data);
    CU_ASSERT_EQUAL(err.len + err2.len, 0);
    for (size_t i = 0; c->options && c->options[i]; i++) {
        /* its row: "--name VALUE  help", or a long name alone on its line */
        char opt[64];
        snprintf(opt, sizeof(opt), "--%s", c->options[i]->name);
        size_t n = strlen(opt);
        const char *at = out.data;
        while ((at = strstr(at, opt)) != NULL && at[n] != ' ' && at[n] != '\n')
            at += n;
        CU_ASSERT_PTR_NOT_NULL(at);
    }
    buf_release(&out);
    buf_release(&err);
    buf_release(&out2);
    buf_release(&err2);
}

static void test_every_help(void)
{
    for (size_t i = 0; i < cli_ncommands; i++)
        check_help(&cli_commands[i]);
    struct buf out, err;
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    const char *top[] = { "apim", "--help" };
    CU_ASSERT_EQUAL(main_captured(2, top, &out, &err), CLI_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "\ncommands:\n  validate "));
    buf_release(&out);
    buf_release(&err);
}

static void test_usage_errors_exit_2(void)
{
    static const char *const cases[][5] = {
        { "apim", NULL },
        { "apim", "gateway", NULL },
        { "apim", "gateway", "strat", NULL },
        { "apim", "valdate", "x", NULL },
        { "apim", "help", "gateway", "strt", NULL },
        { "apim", "gateway", "--frob", NULL },
    };
    static const char *const want[] = {
        "",
        "",
        "apim: 'strat' is not a command of 'apim gateway'; did you mean 'start'?\n"
        "see 'apim gateway --help'\n",
        "apim: 'valdate' is not a command; did you mean 'validate'?\nsee 'apim help'\n",
        "apim: 'strt' is not a command of 'apim gateway'; did you mean 'start'?\n"
        "see 'apim gateway --help'\n",
        "apim: 'apim gateway' needs a command before its options\nsee 'apim gateway --help'\n",
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf out, err;
        buf_init(&out, 1 << 20);
        buf_init(&err, 1 << 20);
        int argc = 0;
        while (cases[i][argc])
            argc++;
        CU_ASSERT_EQUAL(main_captured(argc, (const char **)cases[i], &out, &err), CLI_USAGE);
        if (want[i][0]) {
            CU_ASSERT_STRING_EQUAL(err.data, want[i]);
        } else { /* a group alone: its help, on stderr */
            CU_ASSERT(strncmp(err.data, "usage: apim ", 12) == 0 && out.len == 0);
        }
        buf_release(&out);
        buf_release(&err);
    }
}

/* ---- completion scripts ---- */

static void test_completion_knows_the_table(void)
{
    const char *shells[] = { "bash", "zsh" };
    for (size_t s = 0; s < 2; s++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        CU_ASSERT_EQUAL_FATAL(cli_complete_script(shells[s], f), 0);
        fclose(f);
        for (size_t i = 0; i < cli_ncommands; i++) {
            const struct cli_command *c = &cli_commands[i];
            char key[80];
            snprintf(key, sizeof(key), "apim %s", c->path);
            CU_ASSERT_PTR_NOT_NULL(strstr(text, key));
            for (size_t k = 0; c->options && c->options[k]; k++) {
                snprintf(key, sizeof(key), "apim %s --%s", c->path, c->options[k]->name);
                /* options with a value have their own entry; flags are listed */
                CU_ASSERT(!c->options[k]->arg || strstr(text, key));
                snprintf(key, sizeof(key), "--%s", c->options[k]->name);
                CU_ASSERT_PTR_NOT_NULL(strstr(text, key));
            }
        }
        free(text);
    }
    CU_ASSERT_EQUAL(cli_complete_script("fish", stdout), -1);
}

/* ---- YAML ---- */

/* YAML text back to a JSON value, with libfyaml's own reader. */
static json_t *yaml_to_json(const char *text)
{
    struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET };
    struct fy_document *d = fy_document_build_from_string(&cfg, text, FY_NT);
    char *j = d ? fy_emit_document_to_string(d, FYECF_MODE_JSON_ONELINE) : NULL;
    json_t *v = j ? json_loads(j, JSON_DECODE_ANY, NULL) : NULL;
    free(j);
    fy_document_destroy(d);
    return v;
}

static char *yaml_of(json_t *v)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    CU_ASSERT_EQUAL(cli_output_yaml(v, f), 0);
    fclose(f);
    return text;
}

static void test_yaml_round_trip(void)
{
    /* strings YAML would read as something else, and strings that need quoting */
    json_t *v = json_loads(
        "{\"true\": \"true\", \"n\": \"123\", \"null\": \"null\", \"tilde\": \"~\", \"e\": \"\","
        " \"yes\": \"Yes\", \"date\": \"2026-11-24T10:00:00Z\", \"colon\": \"a: b\","
        " \"hash\": \"a #b\", \"lines\": \"x\\ny\\t\\u0001\", \"dash\": \"-x\", \"at\": \"@f\","
        " \"lead\": \" x\", \"trail\": \"x \", \"utf\": \"d\\u00e9j\\u00e0 \\ud83d\\udce6\","
        " \"url\": \"http://127.0.0.1:8080/x?a=1&b\", \"rev\": \"echo;rev=2\","
        " \"num\": 12, \"real\": 1.5, \"neg\": -3, \"t\": true, \"f\": false, \"nil\": null,"
        " \"empty\": [], \"obj\": {}, \"list\": [[1, {\"k\": [\"v\"]}], \"0x1F\", \".5\"],"
        " \"key: with colon\": 1, \"\": \"empty key\", \"quote\\\"s\": \"it's\"}",
        0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    char *text = yaml_of(v);
    json_t *back = yaml_to_json(text);
    CU_ASSERT_TRUE(json_equal(v, back));
    if (!json_equal(v, back))
        fprintf(stderr, "YAML was:\n%s\n", text);
    /* plain where that is safe (people read this), quoted where YAML would
     * read another type or the emitter must escape */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nrev: echo;rev=2\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"true\": \"true\"\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n\"n\": \"123\"\n")); /* n: YAML 1.1 says false */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nnum: 12\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nnil: null\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\ne: \"\"\n"));
    json_decref(back);
    json_decref(v);
    free(text);
    json_t *arr = json_array(); /* an empty listing */
    text = yaml_of(arr);
    back = yaml_to_json(text);
    CU_ASSERT_TRUE(json_equal(arr, back));
    json_decref(back);
    json_decref(arr);
    free(text);
}

/* ---- the binary: YAML against JSON ---- */

static int run_bin(const char *const *args, struct buf *out)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pfd[1], 1);
        close(pfd[0]);
        close(pfd[1]);
        freopen("/dev/null", "w", stderr);
        const char *argv[24] = { apim_bin };
        for (size_t i = 0; args[i] && i < 22; i++)
            argv[i + 1] = args[i];
        execv(apim_bin, (char *const *)argv);
        _exit(127);
    }
    close(pfd[1]);
    char chunk[4096];
    ssize_t n;
    while ((n = read(pfd[0], chunk, sizeof(chunk))) > 0)
        CU_ASSERT_EQUAL(buf_append(out, chunk, (size_t)n), 0);
    close(pfd[0]);
    CU_ASSERT_EQUAL(buf_puts(out, ""), 0);
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* args end with "-o", NULL: run with json, then yaml; same value, same exit. */
static void check_same(const char **args, size_t nargs)
{
    struct buf js, ys;
    buf_init(&js, 64u << 20);
    buf_init(&ys, 64u << 20);
    args[nargs - 1] = "json";
    int rc_json = run_bin(args, &js);
    args[nargs - 1] = "yaml";
    int rc_yaml = run_bin(args, &ys);
    CU_ASSERT_EQUAL(rc_json, rc_yaml);
    json_t *j = json_loads(js.data, JSON_DECODE_ANY, NULL), *y = yaml_to_json(ys.data);
    CU_ASSERT_PTR_NOT_NULL(j);
    CU_ASSERT_TRUE(j && json_equal(j, y));
    if (!j || !json_equal(j, y))
        fprintf(stderr, "%s: json and yaml differ\n", args[0]);
    json_decref(j);
    json_decref(y);
    buf_release(&js);
    buf_release(&ys);
}

static void test_binary_yaml(void)
{
    if (apim_bin == NULL)
        return;
    char seed[512], echo[512], plan[64] = "/tmp/apim-test-cli-XXXXXX";
    snprintf(seed, sizeof(seed), "%s/examples/seed/simple-api.json", source_root);
    snprintf(echo, sizeof(echo), "%s/azure-templates/echo-api.json", source_root);
    int fd = mkstemp(plan);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    const char *p = "backendUrl=http://127.0.0.1:5000";
    const char *compile[] = { "compile", echo, "-p", p, "--file-path", plan, "-o", NULL, NULL };
    check_same(compile, 8);
    const char *validate[] = { "validate", seed, "-o", NULL, NULL };
    check_same(validate, 4);
    const char *show[] = { "plan", "show", plan, "--show-keys", "-o", NULL, NULL };
    check_same(show, 6);
    const char *apis[] = { "api", "show", "--api-id", "echo-api", "-c", echo,
                           "-p",  p,      "-o",       NULL,       NULL };
    check_same(apis, 10);
    const char *subs[] = { "subscription", "list", "-c", echo, "-p", p, "-o", NULL, NULL };
    check_same(subs, 8);
    unlink(plan);
}

int main(int argc, char **argv)
{
    if (argc == 3) {
        apim_bin = argv[1];
        source_root = argv[2];
    }
    static CU_TestInfo parser[] = {
        { "unknown option, did you mean", test_unknown_option },
        { "missing value", test_missing_value },
        { "repeatable options", test_repeatable },
        { "option forms", test_forms },
        { "--help anywhere", test_help_anywhere },
        { "required options, positional arguments", test_required_and_positional },
        { "closed values and ranges", test_values_and_ranges },
        { "closed values ignoring case", test_case_insensitive_values },
        { "closest name", test_closest },
        CU_TEST_INFO_NULL,
    };
    static CU_TestInfo table[] = {
        { "table invariants", test_table_invariants },
        { "every command's help", test_every_help },
        { "usage errors exit 2", test_usage_errors_exit_2 },
        { "completion scripts know the table", test_completion_knows_the_table },
        CU_TEST_INFO_NULL,
    };
    static CU_TestInfo output[] = {
        { "yaml round trip", test_yaml_round_trip },
        { "yaml through the binary equals json", test_binary_yaml },
        CU_TEST_INFO_NULL,
    };
    static CU_SuiteInfo suites[] = {
        { "parser", NULL, NULL, NULL, NULL, parser },
        { "table", NULL, NULL, NULL, NULL, table },
        { "output", NULL, NULL, NULL, NULL, output },
        CU_SUITE_INFO_NULL,
    };
    return cunit_run(suites);
}
