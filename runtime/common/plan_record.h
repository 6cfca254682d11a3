/* plan_record.h - the plan's record layouts as data, for the records that
 * plan_format.h describes by field lists (X-macros): one list per record
 * gives each field's offset, type and name, and is expanded here into the
 * native struct and in plan_record.c into the table that the writer
 * (compiler/plan_pipeline.c) and the loader (runtime/plan.c) both walk, so
 * a layout is written once. Every record has a list; only the string
 * section has none.
 * Ownership: the tables are static and read-only.
 */
#ifndef APIM_COMMON_PLAN_RECORD_H
#define APIM_COMMON_PLAN_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "plan_format.h"

enum plan_field_type {
    PLAN_F_U32,
    PLAN_F_STR,        /* (u32 offset, u32 length) into the strings */
    PLAN_F_INDEX,      /* a record of section target */
    PLAN_F_INDEX_NONE, /* the same, or PLAN_NONE */
    PLAN_F_FIRST,      /* the first record of a range in target... */
    PLAN_F_COUNT,      /* ...and its length: always right after its FIRST */
};

#define PLAN_CTYPE_U32                                uint32_t
#define PLAN_CTYPE_STR                                struct str
#define PLAN_CTYPE_INDEX                              uint32_t
#define PLAN_CTYPE_INDEX_NONE                         uint32_t
#define PLAN_CTYPE_FIRST                              uint32_t
#define PLAN_CTYPE_COUNT                              uint32_t
#define PLAN_FIELD_MEMBER(S, off, type, name, target) PLAN_CTYPE_##type name;

/* Native records: strings point into the plan (loader) or at the text to
 * store (writer). Members after a list's are not in the record: the loader
 * fills them from other sections, the writer ignores them. */
struct plan_service {
    PLAN_SERVICE_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_api {
    PLAN_API_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_operation {
    PLAN_OPERATION_FIELDS(PLAN_FIELD_MEMBER, x)
    struct str contract; /* JSON text (PLAN_SEC_OP_CONTRACTS), or "" */
    uint32_t pipeline;   /* its effective pipeline, or PLAN_NONE (a plan without) */
};

struct plan_op_contract {
    PLAN_OP_CONTRACT_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_node {
    PLAN_NODE_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_edge {
    PLAN_EDGE_FIELDS(PLAN_FIELD_MEMBER, x)
};

/* One u32 each: the loader keeps these tables as uint32_t arrays. */
struct plan_op_ref {
    PLAN_OP_REF_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_product_api {
    PLAN_PRODUCT_API_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_product {
    PLAN_PRODUCT_FIELDS(PLAN_FIELD_MEMBER, x)
    uint32_t pipeline; /* its pipeline (product over global), or PLAN_NONE */
};

struct plan_subscription {
    PLAN_SUBSCRIPTION_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_query {
    PLAN_QUERY_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_version_set {
    PLAN_VERSION_SET_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_backend {
    PLAN_BACKEND_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_named_value {
    PLAN_NAMED_VALUE_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_pipeline {
    PLAN_PIPELINE_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_step {
    PLAN_STEP_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_step_attr {
    PLAN_STEP_ATTR_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_expr {
    PLAN_EXPR_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_pipeline_ref {
    PLAN_PIPELINE_REF_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_job {
    PLAN_JOB_FIELDS(PLAN_FIELD_MEMBER, x)
};

struct plan_field {
    uint32_t off; /* in the record */
    enum plan_field_type type;
    uint32_t target; /* INDEX, INDEX_NONE, FIRST, COUNT: the section referred to */
    size_t mem;      /* offsetof the native struct's member */
    const char *name;
};

struct plan_record {
    uint32_t size; /* bytes per record */
    size_t native; /* sizeof the native struct */
    const struct plan_field *fields;
    size_t nfields;
};

/* The layout of section kind's records, or NULL for the string section
 * and kinds this reader does not know. */
const struct plan_record *plan_record_of(uint32_t kind);

/* The first step of section bit k (0 inbound .. 3 on-error) of p, and how
 * many: the named fields as an array. */
uint32_t plan_pipeline_first(const struct plan_pipeline *p, unsigned k);
uint32_t plan_pipeline_count(const struct plan_pipeline *p, unsigned k);

/* Why product p fails closed in section bit k (0 inbound .. 3 on-error):
 * the four why_ fields as an array. */
const struct str *plan_product_why(const struct plan_product *p, unsigned k);

#endif
