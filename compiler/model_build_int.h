/* model_build_int.h - what model_build.c shares with the builders of its
 * other files (model_build_res.c): the builder a resource is read with, the
 * property accessors and the list append. Internal to the model builder.
 */
#ifndef APIM_COMPILER_MODEL_BUILD_INT_H
#define APIM_COMPILER_MODEL_BUILD_INT_H

#include "model.h"

struct builder {
    struct model *m;
    const struct arm_resource *r;
    const struct jval *props; /* the resource's evaluated "properties" */
    struct str segs[8];       /* name segments: service, child, grandchild */
    size_t nsegs;
    struct model_service *into; /* a workspace's resource: the workspace (segs from its id) */
};

/* Appends item to the service's list field (field and field_last). */
#define APPEND(svc, field, item)                \
    do {                                        \
        if ((svc)->field##_last)                \
            (svc)->field##_last->next = (item); \
        else                                    \
            (svc)->field = (item);              \
        (svc)->field##_last = (item);           \
    } while (0)

/* Property access: values of the resource's "properties"; each reports a
 * wrong type and gives the default (or NULL). */
const char *mb_dup(struct builder *b, struct str s);
struct loc mb_prop_loc(struct builder *b, const char *key);
const char *mb_prop_str(struct builder *b, const char *key);
bool mb_prop_bool(struct builder *b, const char *key, bool def);
const char *mb_prop_enum(struct builder *b, const char *key, const char *const *allowed,
                         const char *def);
/* Unknown properties get a warning, missing required ones an error. */
void mb_check_props(struct builder *b, const char *what, const char *const *known,
                    const char *const *required);
/* The service the resource is in (b->into for a workspace's resource). */
struct model_service *mb_service(struct builder *b);
/* The last segment of an id: ".../apis/echo-api" -> "echo-api". */
const char *mb_last_segment(struct builder *b, const char *id);

/* Builders of model_build_res.c (subscriptions, backends, named values,
 * version sets, loggers, diagnostics, fragments, gateways, releases). */
void mb_build_subscription(struct builder *b);
void mb_build_backend(struct builder *b);
void mb_build_named_value(struct builder *b);
void mb_build_version_set(struct builder *b);
void mb_build_logger(struct builder *b);
void mb_build_diagnostic(struct builder *b);
void mb_build_api_diagnostic(struct builder *b);
void mb_build_fragment(struct builder *b);
void mb_build_gateway(struct builder *b);
void mb_build_gateway_api(struct builder *b);
void mb_build_release(struct builder *b);

/* APIs and operations (model_build_api.c), and what they share. */
bool mb_api_version_newer(const struct arm_resource *r);
void mb_build_api(struct builder *b);
void mb_build_operation(struct builder *b);
struct model_api *mb_owning_api(struct builder *b, const char *what);

/* Shared with model_build_ws.c: a policy resource into the service's list
 * (and onto its owner, at service level); true the first time r's type is
 * met in r's file (some notes are said once per type and file). */
void mb_attach_policy(struct builder *b, enum model_scope scope);
bool mb_first_of_kind(struct model *m, const struct arm_resource *r);

/* A workspace's resources (model_build_ws.c). */
void mb_build_workspace(struct builder *b);
void mb_build_workspace_policy(struct builder *b);
void mb_build_workspace_api_policy(struct builder *b);
void mb_build_workspace_operation_policy(struct builder *b);
void mb_build_workspace_product_policy(struct builder *b);
void mb_build_workspace_fragment(struct builder *b);
void mb_build_workspace_named_value(struct builder *b);
void mb_build_workspace_backend(struct builder *b);
void mb_build_workspace_other(struct builder *b);

#endif
