/* plan.h - a routing plan loaded and verified (format: common/plan_format.h).
 *
 * plan_load_* checks the header, the CRC, every section, string reference,
 * index and range, and the shape of the route trees, then exposes the
 * records as native arrays whose strings point into the plan's bytes. After
 * a successful load nothing needs checking again on the request path.
 * Ownership: struct plan owns its bytes (mapped or copied) and arrays;
 * plan_free releases them. A plan is read-only and may be shared by threads.
 * Errors: loads return -1 with a one-line reason in err.
 */
#ifndef APIM_RUNTIME_PLAN_H
#define APIM_RUNTIME_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "plan_format.h"
#include "plan_record.h"

struct plan {
    const unsigned char *bytes;
    size_t size;
    bool mapped;
    char hash[17]; /* first 64 bits of the SHA-256 of the file, in hex */
    struct plan_service service;
    struct plan_api *apis;
    struct plan_operation *ops;
    struct plan_node *nodes;
    struct plan_edge *edges;
    uint32_t *op_refs;
    struct plan_query *queries;
    struct plan_version_set *version_sets;
    struct plan_product *products;
    uint32_t *product_apis;
    struct plan_subscription *subs;
    struct plan_backend *backends;
    struct plan_named_value *named_values;
    /* The effective pipelines (plan_format.h, "Pipelines"); all empty and
     * bare_pipeline PLAN_NONE in a plan without them (no policies). */
    struct plan_pipeline *pipelines;
    struct plan_step *steps;
    struct plan_step_attr *step_attrs;
    struct plan_expr *exprs;
    uint32_t bare_pipeline; /* calls without a product: the global document */
    /* Streaming jobs (plan_format.h, "Streaming jobs"); none in a plan
     * without the section. Definitions are checked JSON objects. */
    struct plan_job *jobs;
    size_t njobs;
    size_t npipelines, nsteps, nstep_attrs, nexprs;
    size_t napis, nops, nnodes, nedges, nop_refs, nqueries, nversion_sets, nproducts, nproduct_apis,
        nsubs, nbackends, nnamed_values;
};

/* Maps the file read-only and verifies it. */
int plan_load_file(const char *path, struct plan **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Verifies len bytes; the plan takes ownership of data (malloc'd). */
int plan_load_bytes(void *data, size_t len, struct plan **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));

void plan_free(struct plan *p);

/* Why a request for operation op under product (or PLAN_NONE) fails
 * closed (plan_format.h, "Fail closed"), or NULL if it does not. */
const struct str *plan_closed_reason(const struct plan *p, uint32_t op, uint32_t product);

/* "Segment", "Query" or "Header". */
const char *plan_scheme_name(uint32_t scheme);

/* "active", "submitted", ... */
const char *plan_state_name(uint32_t state);

#endif
