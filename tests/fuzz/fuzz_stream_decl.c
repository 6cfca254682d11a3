/* libFuzzer target: streaming job declarations (compiler/stream) on
 * arbitrary JSON bytes: a sidecar, a template's metadata, or a bare
 * "streamingJobs" array, read and checked, then every job's definition
 * exported. Any crash, leak or sanitizer report is a bug; so is a
 * definition that is not a JSON object as the plan loader reads it (no
 * duplicate keys, no NUL), or a hash that is not 64 hex
 * digits, or an export that fails on a definition the reader wrote. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "jval.h"
#include "stream_decl.h"
#include "stream_export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_job(const struct stream_job *j)
{
    json_t *v = json_loadb(j->definition, j->definition_len, JSON_REJECT_DUPLICATES, NULL);
    bool ok = json_is_object(v);
    json_decref(v);
    if (!ok || strlen(j->hash) != 64)
        abort();
    struct buf out;
    buf_init(&out, 64u << 20);
    if (stream_export_pyspark(j->name, j->definition, j->definition_len, j->hash, &out) != 0)
        abort();
    buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct diag d;
    arena_init(&a, 64 * 1024);
    diag_init(&d, &a);
    struct source *src = fuzz_source(&a, &d, "fuzz.json", data, size);
    struct jval *v = jval_parse(&a, &d, src);
    struct stream_decls s;
    stream_decls_init(&s, &a, &d);
    if (v && stream_is_sidecar(v))
        stream_read_sidecar(&s, v);
    else if (v && v->kind == JV_OBJECT)
        stream_read_template(&s, v);
    else if (v && v->kind == JV_ARRAY)
        stream_read_jobs(&s, v, false);
    stream_check(&s, NULL);
    for (const struct stream_job *j = s.jobs; j; j = j->next)
        check_job(j);
    stream_decls_release(&s);
    fuzz_finish(&a, &d);
    return 0;
}
