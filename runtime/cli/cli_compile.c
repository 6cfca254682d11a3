/* cli_compile.c - apim compile CONFIG --file-path FILE.plan, and apim plan
 * show FILE.plan (options: cli_table.c) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_cmd.h"
#include "compile.h"
#include "plan.h"
#include "plan_json.h"
#include "plan_write.h"
#include "report.h"

/* Writes to FILE.tmp, then renames: a reader never sees half a plan. */
static int write_file(const char *path, const struct buf *b)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "apim: cannot write '%s': %s\n", tmp, strerror(errno));
        if (f)
            unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "apim: cannot write '%s': %s\n", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* The compile run: every input is one deployment; its plan. */
static bool build(struct compiler *c, const struct cli_args *a, struct buf *plan)
{
    for (size_t i = 0; i < a->npos; i++)
        (void)compiler_add_input(c, a->pos[i]); /* a missing file is a diagnostic */
    compiler_finish(c);
    if (c->diag.nerrors)
        return false;
    struct plan_options po = { cli_arg(a, CLI_OPT_SERVICE_NAME), cli_arg(a, CLI_OPT_API_NAME), NULL,
                               c->allow_unenforced };
    return plan_write(&c->model, &po, plan) == 0;
}

int cli_compile(const struct cli_args *a)
{
    const char *docs_url;
    if (cli_docs_url(a, &docs_url) != CLI_OK)
        return CLI_USAGE;
    struct compiler c;
    compiler_init(&c);
    c.sample_parameters = cli_flag(a, CLI_OPT_SAMPLE_PARAMETERS);
    c.allow_unenforced = cli_flag(a, CLI_OPT_ALLOW_UNENFORCED);
    cli_config_apiops(&c, cli_arg(a, CLI_OPT_CONFIGURATION), cli_arg(a, CLI_OPT_SERVICE_NAME));
    if (cli_config_add_parameters(a, &c) != 0 || cli_config_add_imports(a, &c) != 0) {
        compiler_release(&c);
        return CLI_USAGE;
    }
    struct buf plan;
    buf_init(&plan, PLAN_MAX_SIZE);
    enum cli_format f = cli_output_format(a);
    const char *file = cli_arg(a, CLI_OPT_FILE_PATH);
    bool ok = build(&c, a, &plan);
    cli_report(&c, f, cli_flag(a, CLI_OPT_STRICT), f == CLI_FORMAT_TABLE, docs_url);
    int rc = CLI_FAILED;
    if (ok && c.diag.nerrors == 0 && write_file(file, &plan) == 0) {
        if (f == CLI_FORMAT_TABLE)
            printf("wrote %s (%zu bytes)\n", file, plan.len);
        rc = CLI_OK;
    }
    buf_release(&plan);
    compiler_release(&c);
    return rc;
}

int cli_plan_show(const struct cli_args *a)
{
    struct plan *p;
    char err[512];
    if (plan_load_file(a->pos[0], &p, err, sizeof(err)) != 0) {
        fprintf(stderr, "apim: %s\n", err);
        return CLI_FAILED;
    }
    struct buf out;
    buf_init(&out, 1u << 30);
    int rc = plan_json(p, cli_flag(a, CLI_OPT_SHOW_KEYS), &out) == 0 ? CLI_OK : CLI_FAILED;
    if (rc == CLI_OK && cli_output_format(a) == CLI_FORMAT_YAML) {
        json_t *j = json_loads(out.data ? out.data : "", 0, NULL);
        rc = j && cli_output_yaml(j, stdout) == 0 ? CLI_OK : CLI_FAILED;
        json_decref(j);
    } else if (rc == CLI_OK) {
        fputs(out.data ? out.data : "", stdout);
    }
    buf_release(&out);
    plan_free(p);
    return rc;
}
