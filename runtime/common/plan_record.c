/* plan_record.c - the field lists of plan_format.h as tables (plan_record.h). */
#include "plan_record.h"

#define PLAN_FSIZE_U32        4
#define PLAN_FSIZE_STR        8
#define PLAN_FSIZE_INDEX      4
#define PLAN_FSIZE_INDEX_NONE 4
#define PLAN_FSIZE_FIRST      4
#define PLAN_FSIZE_COUNT      4

#define FIELD(S, off, type, name, target) \
    { off, PLAN_F_##type, target, offsetof(struct S, name), #name },
#define SIZE(S, off, type, name, target) +PLAN_FSIZE_##type

/* A list's sizes add up to its record size (offsets: test_plan.c). */
_Static_assert(0 PLAN_PIPELINE_FIELDS(SIZE, x) == PLAN_PIPELINE_SIZE, "pipeline fields");
_Static_assert(0 PLAN_STEP_FIELDS(SIZE, x) == PLAN_STEP_SIZE, "step fields");
_Static_assert(0 PLAN_STEP_ATTR_FIELDS(SIZE, x) == PLAN_STEP_ATTR_SIZE, "step attribute fields");
_Static_assert(0 PLAN_EXPR_FIELDS(SIZE, x) == PLAN_EXPR_SIZE, "expression fields");
_Static_assert(0 PLAN_PIPELINE_REF_FIELDS(SIZE, x) == PLAN_PIPELINE_REF_SIZE, "reference fields");

static const struct plan_field pipeline[] = { PLAN_PIPELINE_FIELDS(FIELD, plan_pipeline) };
static const struct plan_field step[] = { PLAN_STEP_FIELDS(FIELD, plan_step) };
static const struct plan_field step_attr[] = { PLAN_STEP_ATTR_FIELDS(FIELD, plan_step_attr) };
static const struct plan_field expr[] = { PLAN_EXPR_FIELDS(FIELD, plan_expr) };
static const struct plan_field ref[] = { PLAN_PIPELINE_REF_FIELDS(FIELD, plan_pipeline_ref) };

#define RECORD(size, S, f)                                  \
    {                                                       \
        size, sizeof(struct S), f, sizeof(f) / sizeof(f[0]) \
    }

static const struct plan_record records[PLAN_SEC_LAST + 1] = {
    [PLAN_SEC_PIPELINES] = RECORD(PLAN_PIPELINE_SIZE, plan_pipeline, pipeline),
    [PLAN_SEC_STEPS] = RECORD(PLAN_STEP_SIZE, plan_step, step),
    [PLAN_SEC_STEP_ATTRS] = RECORD(PLAN_STEP_ATTR_SIZE, plan_step_attr, step_attr),
    [PLAN_SEC_EXPRS] = RECORD(PLAN_EXPR_SIZE, plan_expr, expr),
    [PLAN_SEC_OP_PIPELINES] = RECORD(PLAN_PIPELINE_REF_SIZE, plan_pipeline_ref, ref),
    [PLAN_SEC_PRODUCT_PIPELINES] = RECORD(PLAN_PIPELINE_REF_SIZE, plan_pipeline_ref, ref),
};

const struct plan_record *plan_record_of(uint32_t kind)
{
    if (kind > PLAN_SEC_LAST || records[kind].fields == NULL)
        return NULL;
    return &records[kind];
}

uint32_t plan_pipeline_first(const struct plan_pipeline *p, unsigned k)
{
    const uint32_t v[] = { p->first_inbound, p->first_backend, p->first_outbound,
                           p->first_on_error };
    return k < 4 ? v[k] : 0;
}

uint32_t plan_pipeline_count(const struct plan_pipeline *p, unsigned k)
{
    const uint32_t v[] = { p->n_inbound, p->n_backend, p->n_outbound, p->n_on_error };
    return k < 4 ? v[k] : 0;
}
