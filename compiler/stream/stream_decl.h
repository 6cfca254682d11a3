/* stream_decl.h - streaming job declarations: read from ARM templates'
 * metadata and from sidecar files, checked with located diagnostics
 * (APIM9001-APIM9049), and compiled to each job's canonical definition
 * (the JSON text the plan's PLAN_SEC_JOBS carries, runtime/common/plan_format.h).
 *
 * Where jobs are declared (docs/streaming.md, "Declaring a job"):
 *   - a template's top-level metadata, which ARM does not evaluate:
 *       "metadata": { "apimlocal": { "streamingJobs": [ JOB, ... ] } }
 *   - a sidecar file whose root holds "streamingJobs": [ JOB, ... ] and no
 *     "resources".
 * JOB = { "name": "...", "properties": { batchInterval, sources, pipeline,
 * outputs, ... } } as docs/streaming.md describes it.
 *
 *   stream_decls_init; stream_read_template* / stream_read_sidecar*;
 *   stream_check (after the model is built: references into it);
 *   each job's definition and hash; stream_decls_release
 *
 * Ownership: jobs and their text live in the arena given to init; nothing
 * is freed individually (release only drops the name index).
 * Errors: every problem is a diagnostic; a job with errors still has a
 * definition (its well-formed parts), but a run with errors writes no plan.
 */
#ifndef APIM_COMPILER_STREAM_DECL_H
#define APIM_COMPILER_STREAM_DECL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "jval.h"

struct model;

/* What a step's elements are, tracked through the pipeline so an operator
 * that needs pairs (reduceByKey) is not given plain strings. */
enum stream_elem {
    STREAM_ELEM_UNKNOWN, /* after an error: no further complaints */
    STREAM_ELEM_STRING,
    STREAM_ELEM_JSON,
    STREAM_ELEM_PAIR,
    STREAM_ELEM_NUMBER
};

/* A reference from a job to something checked against the model or other
 * jobs once everything is read (stream_check). */
struct stream_ref {
    const struct jval *value; /* the string as written */
    struct stream_ref *next;
};

struct stream_job {
    const char *name;
    struct loc name_loc; /* the name's value, or the job object without one */
    bool auto_start;
    bool from_metadata; /* declared in a template's metadata, not a sidecar */
    /* The canonical definition: compact JSON, defaults applied, durations in
     * milliseconds, NUL-terminated; and the lower-case hex SHA-256 of it. */
    const char *definition;
    size_t definition_len;
    char hash[65];
    /* For stream_check: serve outputs' listen values, httpIngest
     * operations, eventHub loggers. */
    struct stream_ref *listens, *operations, *loggers;
    struct stream_job *next;
};

struct stream_decls {
    struct arena *arena;
    struct diag *diag;
    struct stream_job *jobs, *last;
    size_t njobs;
};

void stream_decls_init(struct stream_decls *s, struct arena *a, struct diag *d);
void stream_decls_release(struct stream_decls *s);

/* True if doc is a sidecar: an object with "streamingJobs" and no
 * "resources". */
bool stream_is_sidecar(const struct jval *doc);

/* Reads the jobs of an ARM template's metadata (none: nothing). */
void stream_read_template(struct stream_decls *s, const struct jval *doc);

/* Reads the jobs of a sidecar file (stream_is_sidecar). */
void stream_read_sidecar(struct stream_decls *s, const struct jval *doc);

/* Reads one "streamingJobs" array value (for the two above and the fuzzer). */
void stream_read_jobs(struct stream_decls *s, const struct jval *jobs, bool from_metadata);

/* The checks across jobs and against the model: duplicate names, serve
 * listen addresses, httpIngest operations, eventHub loggers. m may be NULL
 * (no references checked against it). */
void stream_check(struct stream_decls *s, struct model *m);

/* The job named name (exact), or NULL. */
const struct stream_job *stream_find(const struct stream_decls *s, const char *name);

/* How many jobs were declared in src (for the per-file summary). */
size_t stream_count_in(const struct stream_decls *s, const struct source *src);

#endif
