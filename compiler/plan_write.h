/* plan_write.h - the compiler's last step: one service of the model, as the
 * routing plan the gateway runs (runtime/common/plan_format.h).
 *
 * What the local gateway cannot do with the model (APIM6001, APIM6004,
 * APIM6005) is gateway_check's, which must have run (compiler_finish does):
 * the plan carries its results (APIs not served are left out; operations
 * and products that fail closed are marked).
 * Ownership: the plan bytes are a heap buffer the caller releases.
 * Errors: returns -1 after reporting why no plan could be made.
 */
#ifndef APIM_COMPILER_PLAN_WRITE_H
#define APIM_COMPILER_PLAN_WRITE_H

#include "buf.h"
#include "model.h"

struct plan_options {
    const char *service;      /* which service, when the model has several; or NULL */
    const char *api_name;     /* serve only this API (all its revisions); or NULL */
    const char *gateway_name; /* recorded in the plan; or NULL for the service name */
    bool allow_unenforced;    /* serve operations that fail closed (a plan flag) */
};

int plan_write(struct model *m, const struct plan_options *o, struct buf *out)
    __attribute__((warn_unused_result));

/* The key a subscription without one gets locally: 32 hex digits derived
 * from the service, subscription and which key, so it stays the same run
 * after run. */
void plan_generated_key(const char *service, const char *sub, const char *which, char out[33]);

#endif
