/* cli_job.c - apim job export: a streaming job of a configuration as a
 * program for another engine (compiler/stream/stream_export.h). */
#include <stdio.h>
#include <string.h>

#include "cli_cmd.h"
#include "compile.h"
#include "stream_export.h"

const struct stream_job *cli_job_pick(const struct compiler *c, const char *name)
{
    const struct stream_job *jobs = c->streams.jobs;
    const struct stream_job *j = name ? stream_find(&c->streams, name) : NULL;
    if (j == NULL && name == NULL && jobs && jobs->next == NULL)
        j = jobs;
    if (j)
        return j;
    if (jobs == NULL && name == NULL) {
        fputs("apim: the configuration declares no streaming job\n", stderr);
        return NULL;
    }
    if (name)
        fprintf(stderr, "apim: the configuration has no streaming job '%s'", name);
    else
        fputs("apim: the configuration has several jobs: name one", stderr);
    for (const struct stream_job *k = jobs; k; k = k->next)
        fprintf(stderr, "%s'%s'", k == jobs ? " (it has " : ", ", k->name);
    fputs(jobs ? ")\n" : "\n", stderr);
    return NULL;
}

static int export_job(const struct compiler *c, const char *name)
{
    const struct stream_job *j = cli_job_pick(c, name);
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
