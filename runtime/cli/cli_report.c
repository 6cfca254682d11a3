/* cli_report.c - printing a run's diagnostics and per-file summary, for
 * every command that compiles (validate, compile, gateway start, ...). */
#include <stdio.h>

#include "cli.h"
#include "compile.h"
#include "report.h"

static void count_phrase(char *out, size_t n, const struct compile_unit *u)
{
    struct model_counts k;
    model_count(&u->model, &k);
    snprintf(out, n, "%zu API%s, %zu operation%s, %zu product%s, %zu subscription%s", k.apis,
             k.apis == 1 ? "" : "s", k.operations, k.operations == 1 ? "" : "s", k.products,
             k.products == 1 ? "" : "s", k.subscriptions, k.subscriptions == 1 ? "" : "s");
}

static void print_summary(const struct compiler *c)
{
    size_t valid = 0;
    for (const struct compile_unit *u = c->units; u; u = u->next) {
        char counts[160] = "";
        if (u->kind == COMPILE_TEMPLATE || u->kind == COMPILE_SIMPLE_API ||
            u->kind == COMPILE_APIOPS)
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
    }
    printf("%zu file%s checked: %zu valid, %zu invalid; %u error%s, %u warning%s\n", c->nunits,
           c->nunits == 1 ? "" : "s", valid, c->nunits - valid, c->diag.nerrors,
           c->diag.nerrors == 1 ? "" : "s", c->diag.nwarnings, c->diag.nwarnings == 1 ? "" : "s");
}

void cli_report(struct compiler *c, enum report_format format, bool strict, bool summary)
{
    if (strict) {
        diag_promote_warnings(&c->diag);
        for (struct compile_unit *u = c->units; u; u = u->next) {
            u->errors += u->warnings;
            u->warnings = 0;
        }
    }
    diag_sort(&c->diag);
    struct buf out;
    buf_init(&out, 1u << 30);
    if (report_render(c, format, &out) != 0)
        fputs("apim: output too large\n", stderr);
    fputs(out.data ? out.data : "", format == REPORT_TEXT ? stderr : stdout);
    fflush(stderr);
    if (format == REPORT_TEXT && summary)
        print_summary(c);
    buf_release(&out);
}
