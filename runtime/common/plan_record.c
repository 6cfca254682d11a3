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
_Static_assert(0 PLAN_SERVICE_FIELDS(SIZE, x) == PLAN_SERVICE_SIZE, "service fields");
_Static_assert(0 PLAN_API_FIELDS(SIZE, x) == PLAN_API_SIZE, "API fields");
_Static_assert(0 PLAN_OPERATION_FIELDS(SIZE, x) == PLAN_OPERATION_SIZE, "operation fields");
_Static_assert(0 PLAN_OP_CONTRACT_FIELDS(SIZE, x) == PLAN_OP_CONTRACT_SIZE, "contract fields");
_Static_assert(0 PLAN_NODE_FIELDS(SIZE, x) == PLAN_NODE_SIZE, "route node fields");
_Static_assert(0 PLAN_EDGE_FIELDS(SIZE, x) == PLAN_EDGE_SIZE, "route edge fields");
_Static_assert(0 PLAN_OP_REF_FIELDS(SIZE, x) == PLAN_OP_REF_SIZE, "op ref fields");
_Static_assert(0 PLAN_PRODUCT_FIELDS(SIZE, x) == PLAN_PRODUCT_SIZE, "product fields");
_Static_assert(0 PLAN_PRODUCT_API_FIELDS(SIZE, x) == PLAN_PRODUCT_API_SIZE, "product API fields");
_Static_assert(0 PLAN_SUBSCRIPTION_FIELDS(SIZE, x) == PLAN_SUBSCRIPTION_SIZE,
               "subscription fields");
_Static_assert(0 PLAN_QUERY_FIELDS(SIZE, x) == PLAN_QUERY_SIZE, "query fields");
_Static_assert(0 PLAN_VERSION_SET_FIELDS(SIZE, x) == PLAN_VERSION_SET_SIZE, "version set fields");
_Static_assert(0 PLAN_BACKEND_FIELDS(SIZE, x) == PLAN_BACKEND_SIZE, "backend fields");
_Static_assert(0 PLAN_NAMED_VALUE_FIELDS(SIZE, x) == PLAN_NAMED_VALUE_SIZE, "named value fields");
_Static_assert(0 PLAN_PIPELINE_FIELDS(SIZE, x) == PLAN_PIPELINE_SIZE, "pipeline fields");
_Static_assert(0 PLAN_STEP_FIELDS(SIZE, x) == PLAN_STEP_SIZE, "step fields");
_Static_assert(0 PLAN_STEP_ATTR_FIELDS(SIZE, x) == PLAN_STEP_ATTR_SIZE, "step attribute fields");
_Static_assert(0 PLAN_EXPR_FIELDS(SIZE, x) == PLAN_EXPR_SIZE, "expression fields");
_Static_assert(0 PLAN_PIPELINE_REF_FIELDS(SIZE, x) == PLAN_PIPELINE_REF_SIZE, "reference fields");
_Static_assert(0 PLAN_JOB_FIELDS(SIZE, x) == PLAN_JOB_SIZE, "job fields");
/* The loader reads these tables into uint32_t arrays. */
_Static_assert(sizeof(struct plan_op_ref) == 4, "op ref is one u32");
_Static_assert(sizeof(struct plan_product_api) == 4, "product API is one u32");

static const struct plan_field service[] = { PLAN_SERVICE_FIELDS(FIELD, plan_service) };
static const struct plan_field api[] = { PLAN_API_FIELDS(FIELD, plan_api) };
static const struct plan_field operation[] = { PLAN_OPERATION_FIELDS(FIELD, plan_operation) };
static const struct plan_field contract[] = { PLAN_OP_CONTRACT_FIELDS(FIELD, plan_op_contract) };
static const struct plan_field node[] = { PLAN_NODE_FIELDS(FIELD, plan_node) };
static const struct plan_field edge[] = { PLAN_EDGE_FIELDS(FIELD, plan_edge) };
static const struct plan_field op_ref[] = { PLAN_OP_REF_FIELDS(FIELD, plan_op_ref) };
static const struct plan_field product[] = { PLAN_PRODUCT_FIELDS(FIELD, plan_product) };
static const struct plan_field product_api[] = { PLAN_PRODUCT_API_FIELDS(FIELD, plan_product_api) };
static const struct plan_field subscription[] = { PLAN_SUBSCRIPTION_FIELDS(FIELD,
                                                                           plan_subscription) };
static const struct plan_field query[] = { PLAN_QUERY_FIELDS(FIELD, plan_query) };
static const struct plan_field version_set[] = { PLAN_VERSION_SET_FIELDS(FIELD, plan_version_set) };
static const struct plan_field backend[] = { PLAN_BACKEND_FIELDS(FIELD, plan_backend) };
static const struct plan_field named_value[] = { PLAN_NAMED_VALUE_FIELDS(FIELD, plan_named_value) };
static const struct plan_field pipeline[] = { PLAN_PIPELINE_FIELDS(FIELD, plan_pipeline) };
static const struct plan_field step[] = { PLAN_STEP_FIELDS(FIELD, plan_step) };
static const struct plan_field step_attr[] = { PLAN_STEP_ATTR_FIELDS(FIELD, plan_step_attr) };
static const struct plan_field expr[] = { PLAN_EXPR_FIELDS(FIELD, plan_expr) };
static const struct plan_field ref[] = { PLAN_PIPELINE_REF_FIELDS(FIELD, plan_pipeline_ref) };
static const struct plan_field job[] = { PLAN_JOB_FIELDS(FIELD, plan_job) };

#define RECORD(size, S, f)                                  \
    {                                                       \
        size, sizeof(struct S), f, sizeof(f) / sizeof(f[0]) \
    }

static const struct plan_record records[PLAN_SEC_LAST + 1] = {
    [PLAN_SEC_SERVICE] = RECORD(PLAN_SERVICE_SIZE, plan_service, service),
    [PLAN_SEC_APIS] = RECORD(PLAN_API_SIZE, plan_api, api),
    [PLAN_SEC_OPERATIONS] = RECORD(PLAN_OPERATION_SIZE, plan_operation, operation),
    [PLAN_SEC_ROUTE_NODES] = RECORD(PLAN_NODE_SIZE, plan_node, node),
    [PLAN_SEC_ROUTE_EDGES] = RECORD(PLAN_EDGE_SIZE, plan_edge, edge),
    [PLAN_SEC_OP_REFS] = RECORD(PLAN_OP_REF_SIZE, plan_op_ref, op_ref),
    [PLAN_SEC_PRODUCTS] = RECORD(PLAN_PRODUCT_SIZE, plan_product, product),
    [PLAN_SEC_PRODUCT_APIS] = RECORD(PLAN_PRODUCT_API_SIZE, plan_product_api, product_api),
    [PLAN_SEC_SUBSCRIPTIONS] = RECORD(PLAN_SUBSCRIPTION_SIZE, plan_subscription, subscription),
    [PLAN_SEC_OP_CONTRACTS] = RECORD(PLAN_OP_CONTRACT_SIZE, plan_op_contract, contract),
    [PLAN_SEC_QUERY_PARAMS] = RECORD(PLAN_QUERY_SIZE, plan_query, query),
    [PLAN_SEC_VERSION_SETS] = RECORD(PLAN_VERSION_SET_SIZE, plan_version_set, version_set),
    [PLAN_SEC_BACKENDS] = RECORD(PLAN_BACKEND_SIZE, plan_backend, backend),
    [PLAN_SEC_NAMED_VALUES] = RECORD(PLAN_NAMED_VALUE_SIZE, plan_named_value, named_value),
    [PLAN_SEC_PIPELINES] = RECORD(PLAN_PIPELINE_SIZE, plan_pipeline, pipeline),
    [PLAN_SEC_STEPS] = RECORD(PLAN_STEP_SIZE, plan_step, step),
    [PLAN_SEC_STEP_ATTRS] = RECORD(PLAN_STEP_ATTR_SIZE, plan_step_attr, step_attr),
    [PLAN_SEC_EXPRS] = RECORD(PLAN_EXPR_SIZE, plan_expr, expr),
    [PLAN_SEC_OP_PIPELINES] = RECORD(PLAN_PIPELINE_REF_SIZE, plan_pipeline_ref, ref),
    [PLAN_SEC_PRODUCT_PIPELINES] = RECORD(PLAN_PIPELINE_REF_SIZE, plan_pipeline_ref, ref),
    [PLAN_SEC_JOBS] = RECORD(PLAN_JOB_SIZE, plan_job, job),
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

const struct str *plan_product_why(const struct plan_product *p, unsigned k)
{
    const struct str *v[] = { &p->why_inbound, &p->why_backend, &p->why_outbound,
                              &p->why_on_error };
    return k < 4 ? v[k] : NULL;
}
