/* model.h - the API Management resource model: what a template deploys,
 * resolved into services, APIs, operations, products, subscriptions,
 * backends, named values, version sets, policies and the rest.
 *
 * model_build() reads the evaluated ARM resources (arm.h) or the seed's
 * simple API document and fills a struct model; model_check() runs the
 * semantic checks across it. Every entity keeps the location of the resource
 * that declared it, so a check can point at the template.
 * Ownership: the model and everything it points to live in the arena given
 * to model_init; strings are NUL-terminated arena copies.
 * Errors: problems are located diagnostics; entities with errors are kept
 * where that helps later checks and dropped where it would only add noise.
 */
#ifndef APIM_COMPILER_MODEL_H
#define APIM_COMPILER_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "arm.h"
#include "jval.h"
#include "name_index.h"
#include "policy_scan.h"

enum model_scope {
    MODEL_SCOPE_GLOBAL,
    MODEL_SCOPE_WORKSPACE, /* a workspace's own document (service/workspaces/policies) */
    MODEL_SCOPE_PRODUCT,
    MODEL_SCOPE_API,
    MODEL_SCOPE_OPERATION
};

/* What a policy document means for the local gateway (gateway_check.c):
 * per section, whether it holds a policy that refuses requests but is not
 * applied. Which sections run the outer scopes is the composition's
 * (policy/policy_compose.h), not the document's. */
struct model_policy_effect {
    const char *closes[POLICY_NSECTIONS];   /* why the section fails closed, or NULL */
    struct loc closes_at[POLICY_NSECTIONS]; /* the policy that makes it so */
};

/* A policy document, kept as located text for the policy compiler. */
struct model_policy {
    enum model_scope scope;
    const char *format;            /* xml, rawxml, xml-link, rawxml-link */
    const struct jval *value;      /* the string; literal nodes map back into the file */
    const char *owner;             /* product, API or operation id; NULL: global, workspace */
    struct loc loc;                /* the resource name */
    struct policy_outline outline; /* filled by model_check (not for -link formats) */
    struct model_policy_effect effect;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_policy *next;
};

enum model_protocol_flags {
    MODEL_PROTO_HTTP = 1 << 0,
    MODEL_PROTO_HTTPS = 1 << 1,
    MODEL_PROTO_WS = 1 << 2,
    MODEL_PROTO_WSS = 1 << 3,
};

struct model_template_param {
    const char *name;
    const char *type;
    bool required;
    const char *default_value;
    struct loc loc;
};

struct model_api;
struct stream_decls;

struct model_operation {
    const char *id;
    const char *display_name;
    const char *method;       /* upper case */
    const char *url_template; /* as written: "/users/{id}?q={q}" */
    const struct jval *template_value;
    struct loc method_loc, template_loc;
    struct model_template_param *params;
    size_t nparams;
    struct loc params_loc;
    const char *backend_url; /* seed documents: a per-operation backend */
    struct model_policy *policy;
    struct model_api *api;
    /* Fails closed (gateway_check.c): whatever the product (own or API scope),
     * or without a product (global scope); reach: the sections in which the
     * operation and API documents run the product's and global sections. */
    bool closed, closed_bare;
    const char *closed_why; /* closed: the reason; else closed_bare's */
    struct loc closed_at;
    unsigned reach;
    struct loc loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_operation *next;
    /* The operation's contract as API Management holds it (the REST API's
     * shapes): shown by listings, carried by the plan for mock responses.
     * Each is NULL when the operation does not say. */
    const char *description;
    const struct jval *contract_params; /* templateParameters: name, type, values, ... */
    const struct jval *request;         /* description, queryParameters, headers, representations */
    const struct jval *responses;       /* statusCode, description, representations, headers */
    bool imported;                      /* made by an OpenAPI import, not an operations resource */
};

struct model_version_set {
    const char *id;
    const char *display_name;
    const char *scheme; /* Segment, Query, Header */
    const char *query_name, *header_name;
    struct loc loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_version_set *next;
};

/* A name index over one of a service's lists, which only ever grow at the
 * end: each lookup first indexes what was appended since the last one
 * (model_index.c), so lookups stay constant-time while the model is built. */
struct model_index {
    struct name_index names;
    const void *last; /* the last item indexed */
};

struct model_api {
    const char *id;       /* without ";rev=N" */
    const char *revision; /* "1" unless ;rev=N or apiRevision says otherwise */
    bool is_current;
    bool current_set;                              /* isCurrent was written */
    bool named_revision;                           /* declared as "id;rev=N" */
    bool subscription_required_set, protocols_set; /* written, not defaulted */
    const char *display_name;
    const char *path;
    const char *service_url;
    unsigned protocols;
    bool subscription_required;
    const char *key_header, *key_query;
    const char *version;
    const char *version_set_ref; /* apiVersionSetId as written (an id) */
    struct loc version_set_loc;
    struct model_version_set *version_set;
    const char *type; /* http, soap, websocket, graphql, ... */
    const char *import_format;
    const char *source_api_ref;
    struct model_policy *policy;
    struct model_operation *ops, *ops_last;
    size_t nops;
    struct model_op_index *imported_ops; /* imported operations by name (model_import.c) */
    struct model_index op_index;         /* operations by id (model_index.c) */
    bool external;   /* not in the template: holds children of an API deployed elsewhere */
    bool not_served; /* the local gateway cannot serve it (gateway_check.c, APIM6004) */
    struct loc loc, path_loc, service_url_loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_api *next;
};

struct model_product {
    const char *id;
    const char *display_name;
    bool subscription_required;
    bool approval_required;
    const char *state;           /* published, notPublished */
    int64_t subscriptions_limit; /* -1: none */
    struct model_policy *policy;
    /* Sections in which a request under this product fails closed (its own
     * policy, or the global one it runs through <base />), and why. */
    unsigned closed;
    const char *closed_why[POLICY_NSECTIONS];
    struct loc closed_at[POLICY_NSECTIONS];
    struct loc loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_product *next;
};

struct model_product_api {
    const char *product_id;
    const char *api_id;
    struct model_product *product;
    struct model_api *api;
    struct loc loc;        /* the link: where a missing product is reported */
    struct loc api_loc;    /* the API named: where a missing API is reported */
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_product_api *next;
};

enum model_sub_scope {
    MODEL_SUB_ALL_APIS,
    MODEL_SUB_API,
    MODEL_SUB_PRODUCT,
    MODEL_SUB_INVALID
};

struct model_subscription {
    const char *id;
    const char *display_name;
    const char *scope; /* as written */
    enum model_sub_scope scope_kind;
    const char *scope_target;                /* api or product id */
    const char *primary_key, *secondary_key; /* NULL: generated later */
    const char *state;                       /* active, submitted, suspended, ... */
    bool allow_tracing;
    struct loc loc, scope_loc, primary_key_loc, secondary_key_loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_subscription *next;
};

struct model_backend {
    const char *id;
    const char *url;
    const char *protocol;
    const char *type;  /* Single, Pool */
    const char **pool; /* backend ids of a pool */
    struct loc *pool_locs;
    size_t npool;
    const struct jval *body; /* the evaluated properties, for later issues */
    struct loc loc, url_loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_backend *next;
};

struct model_named_value {
    const char *id;
    const char *display_name;
    const struct jval *value; /* NULL for Key Vault values */
    bool secret;
    bool key_vault;
    struct loc loc, display_name_loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_named_value *next;
};

struct model_logger {
    const char *id;
    const char *type;
    struct loc loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_logger *next;
};

struct model_diagnostic {
    const char *id;
    const char *api_id; /* NULL at service scope */
    const char *logger_ref;
    struct loc loc, logger_loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_diagnostic *next;
};

struct model_fragment {
    const char *id;
    const char *format;
    const struct jval *value;
    struct policy_outline outline; /* filled by model_check */
    struct loc loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_fragment *next;
};

struct model_gateway {
    const char *id;
    const char *type; /* seed documents: gatewayType */
    struct loc loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_gateway *next;
};

/* A link from a self-hosted gateway to an API. */
struct model_gateway_api {
    const char *gateway_id;
    const char *api_id;
    struct loc loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_gateway_api *next;
};

/* apis/releases: makes a revision the current one. */
struct model_release {
    const char *api_id;
    const char *api_ref; /* properties.apiId */
    struct loc loc, ref_loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_release *next;
};

/* A group the template declares (service/groups). */
struct model_group {
    const char *id;
    struct loc loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_group *next;
};

/* A product's group (products/groups) or a user's (groups/users): the group
 * must exist, and so must the product. */
struct model_group_link {
    const char *product_id; /* NULL for groups/users */
    const char *group_id;
    struct loc loc;
    struct diag_copy copy; /* the copy that declared it (diag.h) */
    struct model_group_link *next;
};

/* A service, or one of its workspaces. A workspace is read as a service of
 * its own (parent: its service): its policy documents, fragments, named
 * values and backends, so the policy checks run on it as on a service and
 * its references resolve in it. Workspaces are not in model.services: their
 * APIs are not served and their documents are in no effective pipeline. */
struct model_service {
    const char *name;
    struct loc loc;
    bool declared;                      /* its service (or workspaces) resource is declared */
    const struct model_service *parent; /* a workspace's service; NULL for a service */
    struct model_service *workspaces, *workspaces_last;
    const char *sku; /* sku.name when declared and known, else NULL */
    struct model_policy *policy;
    struct model_api *apis, *apis_last;
    struct model_product *products, *products_last;
    struct model_product_api *links, *links_last;
    struct model_subscription *subscriptions, *subscriptions_last;
    struct model_backend *backends, *backends_last;
    struct model_named_value *named_values, *named_values_last;
    struct model_version_set *version_sets, *version_sets_last;
    struct model_logger *loggers, *loggers_last;
    struct model_diagnostic *diagnostics, *diagnostics_last;
    struct model_fragment *fragments, *fragments_last;
    struct model_gateway *gateways, *gateways_last;
    struct model_gateway_api *gateway_apis, *gateway_apis_last;
    struct model_release *releases, *releases_last;
    struct model_group *groups, *groups_last;
    struct model_group_link *group_links, *group_links_last;
    struct model_policy *policies; /* every policy document, in order */
    /* Name indexes (model_index.c); APIs twice: every API, and those served
     * here (not placeholders for APIs deployed elsewhere). */
    struct model_index api_index, served_api_index, product_index, group_index, backend_index,
        fragment_index, named_value_index, version_set_index, logger_index, gateway_index,
        workspace_index;
    struct model_service *next;
};

struct model {
    struct arena *arena;
    struct diag *diag;
    struct model_service *services, *services_last;
    size_t nservices;
    uint64_t *noted; /* (type, file) pairs already noted: a hash set */
    size_t noted_cap, nnoted;
    const struct model_import_file *import_files; /* local copies of *-link imports */
    unsigned errors_at_init;                      /* diag->nerrors when this model began */
    /* The run's streaming jobs (compiler/stream/stream_decl.h), for the
     * plan; NULL when the model is built without a compiler run. */
    const struct stream_decls *streams;
};

void model_init(struct model *m, struct arena *a, struct diag *d);

/* Adds what the evaluated resources of env deploy. */
void model_add_arm(struct model *m, const struct arm_env *env);

/* Adds n evaluated resources (parents are built before children, whatever
 * the order of v). */
void model_add_resources(struct model *m, const struct arm_resource *const *v, size_t n);

/* Several deployments as one: resources of every template of a run go into
 * one model. The same resource (type and full name, compared as ARM does,
 * without case) declared again is dropped when its definition is the same
 * (ARM deployments are idempotent) and an error (APIM5025, with a note at
 * the first) when it differs. "The same" is the evaluated declaration
 * without apiVersion, comments, metadata and dependsOn, compared deeply;
 * values known only at deployment are the same when they depend on the
 * same thing. Only Microsoft.ApiManagement resources are compared (the
 * model is about them); repeats within one deployment (one template or
 * nested template) are APIM3015's already. Costs are linear: a hash table on (type, name). */
struct model_merge {
    struct model *m;
    const struct arm_resource **v; /* kept resources, in order */
    size_t n, cap;

    struct model_merge_slot {
        uint64_t hash;
        const struct arm_resource *r;
    } * slots;

    size_t nslots, used;
};

void model_merge_init(struct model_merge *mm, struct model *m);

/* Adds the resources of one evaluated deployment. */
void model_merge_add(struct model_merge *mm, const struct arm_env *env);

/* Builds the model from everything added. */
void model_merge_finish(struct model_merge *mm);

/* True if doc is the seed's simple API document (name + properties.apiName
 * + properties.paths). */
bool model_is_simple_api(const struct jval *doc);

/* Adds a simple API document. */
void model_add_simple_api(struct model *m, const struct jval *doc);

/* Reports a reference to an entity the template does not declare. If the
 * template declares the service, nothing else exists: an error. If it adds
 * to a service deployed elsewhere, the entity may exist there: a warning. */
struct diag_entry *model_missing(struct model *m, const struct model_service *s,
                                 enum diag_code code, struct loc at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The level model_missing reports at for s (for callers that choose the
 * level themselves in some cases). */
enum diag_level model_missing_level(const struct model_service *s);

/* model_import.c: an API resource's `format` + `value` (an OpenAPI or
 * Swagger document inline, or a link resolved to a local copy) imported into
 * a, as API Management imports it when the resource is deployed. */
void model_import_api(struct model *m, struct model_api *a, const struct arm_resource *r,
                      const struct jval *props);

/* True if r (an API resource) is at an api-version up to 2018-01-01, whose
 * import properties are contentFormat + contentValue (format + value after). */
bool model_api_version_legacy_import(const struct arm_resource *r);

/* An operations resource named like an imported operation replaces it (a
 * PUT of the operation after the import): op's properties are copied over
 * the imported one, in its place. Returns true if op replaced one. */
bool model_import_replace(struct model_api *a, const struct model_operation *op);

/* Records op (made by the importer) under its name for model_import_replace
 * and returns true, or returns false if an imported operation of a has the
 * name already (case-insensitive). */
bool model_import_add_name(struct model *m, struct model_api *a, struct model_operation *op);

/* Writes op's contract as compact JSON: {"description", "templateParameters",
 * "request", "responses"}, each only when the operation has it. -1 if it
 * does not fit out or nests deeper than APIM_MAX_JSON_DEPTH. */
int model_operation_contract(const struct model_operation *op, struct buf *out);

/* Files given for *-link imports: `--import-file URL=FILE`. */
struct model_import_file {
    const char *url, *path;
    struct model_import_file *next;
};

/* The service named name (ARM names ignore case), made at at if the model
 * has none yet. */
struct model_service *model_service_named(struct model *m, const char *name, struct loc at);

/* Appends op to a's operations (op->api = a). */
void model_api_add_operation(struct model_api *a, struct model_operation *op);

/* model_builtin.c: what every instance outside the Consumption tier is
 * created with (products starter and unlimited, API echo-api, groups
 * administrators, developers and guests). */
enum model_builtin_kind {
    MODEL_BUILTIN_PRODUCT,
    MODEL_BUILTIN_API,
    MODEL_BUILTIN_GROUP
};

/* True if id names an entity of kind that s was created with. */
bool model_builtin_has(const struct model_service *s, enum model_builtin_kind kind, const char *id);

/* As model_builtin_has; when true, also notes at `at` that the template
 * refers to it without declaring it (APIM5026). */
bool model_builtin(struct model *m, const struct model_service *s, enum model_builtin_kind kind,
                   const char *id, struct loc at);

/* Runs the semantic checks across the whole model. */
void model_check(struct model *m);

/* Counts for summaries. */
struct model_counts {
    size_t services, apis, operations, products, subscriptions, backends, named_values,
        version_sets, policies, jobs;
};

void model_count(const struct model *m, struct model_counts *out);

/* Counts each entity where slot(ctx, the file that declares it) says (NULL:
 * not counted): one pass for the per-file summary of a merged model. */
void model_count_each(const struct model *m,
                      struct model_counts *(*slot)(void *ctx, const struct source *src), void *ctx);

/* ---- lookups by name (model_index.c): case-insensitive, first declared
 * wins, constant time ---- */

/* The API id[0..idlen) (rev NULL: its first revision declared; else that
 * revision); served_only skips placeholders of APIs deployed elsewhere. */
struct model_api *model_find_api(struct model *m, struct model_service *s, const char *id,
                                 size_t idlen, const char *rev, bool served_only);
struct model_product *model_find_product(struct model *m, struct model_service *s, const char *id);
struct model_group *model_find_group(struct model *m, struct model_service *s, const char *id);
struct model_backend *model_find_backend(struct model *m, struct model_service *s, const char *id);
struct model_fragment *model_find_fragment(struct model *m, struct model_service *s,
                                           const char *id);
/* By id or by display name, as {{name}} references find them. */
struct model_named_value *model_find_named_value(struct model *m, struct model_service *s,
                                                 struct str name);
struct model_version_set *model_find_version_set(struct model *m, struct model_service *s,
                                                 const char *id);
struct model_logger *model_find_logger(struct model *m, struct model_service *s, const char *id);
/* The operation of API a with that id. */
struct model_operation *model_find_operation(struct model *m, struct model_api *a, const char *id);
struct model_gateway *model_find_gateway(struct model *m, struct model_service *s, const char *id);
struct model_service *model_find_workspace(struct model *m, struct model_service *s,
                                           const char *id);

#endif
