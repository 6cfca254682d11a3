/* cli_report.c - printing a run's diagnostics and per-file summary, for
 * every command that compiles (validate, compile, gateway start, ...). */
#include <stdio.h>

#include "cli_cmd.h"
#include "compile.h"
#include "report.h"

static void count_phrase(char *out, size_t n, const struct compile_unit *u)
{
    const struct model_counts k = u->counts;
    if (u->kind == COMPILE_STREAM) {
        snprintf(out, n, "%zu job%s", k.jobs, k.jobs == 1 ? "" : "s");
        return;
    }
    int w =
        snprintf(out, n, "%zu API%s, %zu operation%s, %zu product%s, %zu subscription%s", k.apis,
                 k.apis == 1 ? "" : "s", k.operations, k.operations == 1 ? "" : "s", k.products,
                 k.products == 1 ? "" : "s", k.subscriptions, k.subscriptions == 1 ? "" : "s");
    /* Jobs only when there are some: the line of a configuration without
     * jobs stays as it was. */
    if (k.jobs && w > 0 && (size_t)w < n)
        snprintf(out + w, n - (size_t)w, ", %zu job%s", k.jobs, k.jobs == 1 ? "" : "s");
}

static void print_summary(const struct compiler *c)
{
    size_t valid = 0;
    for (const struct compile_unit *u = c->units; u; u = u->next) {
        char counts[160] = "";
        if (u->kind == COMPILE_TEMPLATE || u->kind == COMPILE_SIMPLE_API ||
            u->kind == COMPILE_LINKED || u->kind == COMPILE_SPEC || u->kind == COMPILE_APIOPS ||
            u->kind == COMPILE_STREAM)
            count_phrase(counts, sizeof(counts), u);
        valid += u->errors == 0;
        if (u->errors)
            printf("%s: invalid (%u error%s, %u warning%s)\n", u->path, u->errors,
                   u->errors == 1 ? "" : "s", u->warnings, u->warnings == 1 ? "" : "s");
        else
            printf("%s: valid %s%s%s%s%s\n", u->path, report_kind_name(u->kind),
                   counts[0] ? " (" : "", counts, counts[0] ? ")" : "",
                   u->warnings ? ", with warnings" : "");
        if (u->parameters_from)
            printf("  parameters from %s\n", u->parameters_from);
        if (u->linked_from)
            printf("  linked from %s\n", u->linked_from);
    }
    printf("%zu file%s checked: %zu valid, %zu invalid; %u error%s, %u warning%s\n", c->nunits,
           c->nunits == 1 ? "" : "s", valid, c->nunits - valid, c->diag.nerrors,
           c->diag.nerrors == 1 ? "" : "s", c->diag.nwarnings, c->diag.nwarnings == 1 ? "" : "s");
}

static enum report_format report_format(enum cli_format f)
{
    switch (f) {
    case CLI_FORMAT_JSON:
    case CLI_FORMAT_YAML: /* the JSON report, emitted as YAML */
        return REPORT_JSON;
    case CLI_FORMAT_SARIF:
        return REPORT_SARIF;
    case CLI_FORMAT_GITHUB:
        return REPORT_GITHUB;
    default:
        return REPORT_TEXT;
    }
}

int cli_docs_url(const struct cli_args *a, const char **out)
{
    *out = cli_arg(a, CLI_OPT_DOCS_URL);
    if (*out && !report_url_is_absolute(*out))
        return cli_usage_error(a->cmd, "--docs-url wants an absolute URL (https://...), not '%s'",
                               *out);
    return CLI_OK;
}

static void print_yaml(const struct buf *out)
{
    json_error_t e;
    json_t *j = json_loads(out->data ? out->data : "", 0, &e);
    if (j == NULL || cli_output_yaml(j, stdout) != 0)
        fputs("apim: cannot write the report as YAML\n", stderr);
    json_decref(j);
}

void cli_report(struct compiler *c, enum cli_format format, bool strict, bool summary,
                const char *docs_url)
{
    enum report_format rf = report_format(format);
    if (strict)
        diag_promote_warnings(&c->diag);
    compiler_tally(c);
    diag_sort(&c->diag);
    struct buf out;
    buf_init(&out, 1u << 30);
    struct report_options opt = { docs_url };
    if (report_render_with(c, rf, &opt, &out) != 0)
        fputs("apim: output too large\n", stderr);
    if (format == CLI_FORMAT_YAML)
        print_yaml(&out);
    else
        fputs(out.data ? out.data : "", rf == REPORT_TEXT ? stderr : stdout);
    fflush(stderr);
    if (rf == REPORT_TEXT && summary)
        print_summary(c);
    buf_release(&out);
}
