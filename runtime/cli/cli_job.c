/* cli_job.c - apim job export: a streaming job of a configuration as a
 * program for another engine (compiler/stream/stream_export.h). */
#include <stdio.h>
#include <string.h>

#include "cli_cmd.h"
#include "compile.h"
#include "stream_export.h"

/* The job, or NULL after saying which jobs there are. */
static const struct stream_job *find_job(const struct compiler *c, const char *name)
{
    const struct stream_job *j = stream_find(&c->streams, name);
    if (j)
        return j;
    fprintf(stderr, "apim: the configuration has no streaming job '%s'", name);
    for (const struct stream_job *k = c->streams.jobs; k; k = k->next)
        fprintf(stderr, "%s'%s'", k == c->streams.jobs ? " (it has " : ", ", k->name);
    fputs(c->streams.jobs ? ")\n" : "\n", stderr);
    return NULL;
}

static int export_job(const struct compiler *c, const char *name)
{
    const struct stream_job *j = find_job(c, name);
    if (j == NULL)
        return CLI_FAILED;
    struct buf out;
    buf_init(&out, 4u * 1024u * 1024u);
    int rc = stream_export_pyspark(j->name, j->definition, j->definition_len, j->hash, &out);
    if (rc == 0)
        fwrite(out.data, 1, out.len, stdout);
    else
        fprintf(stderr, "apim: cannot write job '%s' as a program\n", name);
    buf_release(&out);
    return rc == 0 ? CLI_OK : CLI_FAILED;
}

int cli_job_export(const struct cli_args *a)
{
    struct cli_config cfg;
    int rc = cli_config_from_args(a, &cfg);
    if (rc != 0)
        return rc;
    struct compiler c;
    cli_config_compile(&cfg, &c);
    rc = cli_config_report_listing(&cfg, &c) != 0 ? CLI_FAILED : export_job(&c, a->pos[0]);
    compiler_release(&c);
    return rc;
}
