/* arm_funcs.h - the tables of ARM template functions, one per file of the
 * function library; arm_funcs.c looks names up across all of them. Each
 * table is sorted by name (ASCII case-insensitive). */
#ifndef APIM_COMPILER_ARM_FUNCS_H
#define APIM_COMPILER_ARM_FUNCS_H

#include "arm_eval.h"

extern const struct arm_func arm_funcs_core_table[];
extern const size_t arm_funcs_core_count;
extern const struct arm_func arm_funcs_coll_table[];
extern const size_t arm_funcs_coll_count;
extern const struct arm_func arm_funcs_env_table[];
extern const size_t arm_funcs_env_count;

/* Shared by the tables: ARM's string form of a scalar (bools are "True"/"False",
 * as .NET prints them); NULL for containers. */
const char *arm_funcs_scalar_text(struct arena *a, const struct jval *v);

/* A string value built from a heap buffer; -1 means the limit was hit and an
 * error was reported. */
struct jval *arm_funcs_string_result(struct arm_call *k, struct buf *b, int rc);

#endif
