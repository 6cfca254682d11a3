/* plan_write_int.h - what plan_write.c shares with plan_trie.c (the route
 * trees): the writer, its byte tables and the record writer. Internal to
 * the plan writer. */
#ifndef APIM_COMPILER_PLAN_WRITE_INT_H
#define APIM_COMPILER_PLAN_WRITE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "name_index.h"
#include "plan_format.h"
#include "plan_write.h"

struct table {
    struct buf b;
    uint32_t count;
};

struct writer {
    struct model *m;
    struct arena *arena;
    const struct model_service *svc;
    const struct plan_options *opt;
    struct buf strings;

    /* string interning: open addressing over (hash, offset, len) */
    struct intern {
        uint64_t hash;
        uint32_t off, len;
    } * interned;

    size_t interned_cap, interned_n;
    struct table t[PLAN_SEC_LAST + 1];
    bool failed;
    bool pipelines; /* the pipeline sections are written (minor 2) */
    bool jobs;      /* the jobs section is written (minor 3) */
    /* API records chosen, in plan order */
    const struct model_api **apis;
    size_t napis;
    /* Lookups by name, so a plan is written in time linear in the model:
     * an API id to its first record (+1), each record to the next one of
     * the same id (revisions, versions: +1, 0 = none); products, backends
     * and version sets to their record (+1). */
    struct name_index api_first, products, backends, version_sets;
    uint32_t *api_next;
    const struct model_operation **ops;
    size_t nops;
};

#define T(kind) (&w->t[(kind)])

/* One record of section kind (its field list, plan_record.h): rec is its
 * native struct, strings with (ptr, len), NULL ptr for "". Every record
 * of the plan is written this way. */
void pw_put_record(struct writer *w, uint32_t kind, const void *rec);

/* Interns rec's strings now, in field order, without writing the record:
 * for a record written after records it refers to (an API after its
 * operations), so its text still comes first in the string section. */
void pw_intern_record(struct writer *w, uint32_t kind, const void *rec);

/* The effective pipelines (plan_pipeline.c), after the operations and
 * products are written; only when pw_has_policies: a configuration
 * without a policy document keeps the plan it had before pipelines. */
bool pw_has_policies(const struct writer *w);
void pw_write_pipelines(struct writer *w);

/* The route trees of the chosen APIs (plan_trie.c). */
uint32_t pw_write_routes(struct writer *w, uint32_t first_op, uint32_t nops);

#endif
