/* apiops.c - an APIOps artifact folder -> the ARM resources the publisher
 * would PUT -> the model.
 *
 * The walk (apiops_layout.c) finds the artifacts; here each becomes a
 * struct arm_resource named "<service>/<parent>/<name>" whose body is
 * {"properties": ...}: the information file's object merged with its
 * override (apiops_config.c), or, for a policy, {format: rawxml, value:
 * <the file's text>} as the publisher sends it (publisher/Resource.cs,
 * PolicyContentsToDto). model_add_arm() then builds and checks them like
 * a template's resources, with every location in the artifact files.
 *
 * APIs go first, on their own: a specification creates the API's
 * operations, and operation policies can only attach to operations that
 * exist. The folder adds to a service that may hold more (the publisher
 * never creates the service, and extracts may be partial), so, as for a
 * template without a service resource, a reference to something not in
 * the folder is a warning.
 */
#include "apiops.h"

#include <string.h>

#include "apiops_int.h"
#include "openapi.h"

struct builder {
    struct model *m;
    struct apiops_folder f;
    const struct apiops_options *o;
    const char *service;
};

/* ---- names, types, bodies ---- */

static const char *service_name(struct builder *b)
{
    const char *name = b->o->service_name;
    if (name == NULL)
        name = apiops_config_service(b->o->config);
    if (name == NULL)
        return APIOPS_DEFAULT_SERVICE;
    if (name[0] == '\0' || strchr(name, '/')) {
        diag_emit(b->m->diag, DC_CONFIG_INVALID, LOC_NONE,
                  "'%s' is not a service name; '%s' is used instead", name, APIOPS_DEFAULT_SERVICE);
        return APIOPS_DEFAULT_SERVICE;
    }
    return name;
}

/* "svc/api/op/policy"; tag links are named the other way round in ARM
 * ("svc/<api>/<tag>", type apis/tags). */
static const char *resource_name(struct builder *b, const struct apiops_artifact *a)
{
    if ((a->layout->flags & AL_SWAPPED) && a->parent)
        return arena_printf(b->m->arena, "%s/%s/%s", b->service, a->name, a->parent->name);
    if (a->parent == NULL)
        return arena_printf(b->m->arena, "%s/%s", b->service, a->name);
    return arena_printf(b->m->arena, "%s/%s", resource_name(b, a->parent), a->name);
}

static const char *resource_type(const struct apiops_artifact *a)
{
    if (a->layout->kind != AK_POLICY)
        return a->layout->type;
    switch (a->parent ? a->parent->layout->kind : AK_ROOT) {
    case AK_ROOT:
        return "service/policies";
    case AK_API:
        return "service/apis/policies";
    case AK_API_OPERATION:
        return "service/apis/operations/policies";
    case AK_PRODUCT:
        return "service/products/policies";
    case AK_WS_API:
        return "service/workspaces/apis/policies";
    case AK_WS_API_OPERATION:
        return "service/workspaces/apis/operations/policies";
    case AK_WS_PRODUCT:
        return "service/workspaces/products/policies";
    default:
        return NULL;
    }
}

static struct jval *member_object(struct arena *a, struct loc at, const char *key,
                                  const struct jval *value)
{
    struct jval *o = jval_object(a, at, 1);
    o->u.o.v[0] = (struct jval_member){ str_from_cstr(key), at, (struct jval *)value };
    return o;
}

/* What the publisher sends for a policy file: its text, as rawxml. */
static struct jval *policy_props(struct builder *b, const struct apiops_artifact *a)
{
    struct jval *o = jval_object(b->m->arena, a->at, 2);
    o->u.o.v[0] = (struct jval_member){ STR_LIT("format"), a->at,
                                        jval_cstring(b->m->arena, a->at, "rawxml") };
    o->u.o.v[1] = (struct jval_member){ STR_LIT("value"), a->at, (struct jval *)a->text };
    return o;
}

/* A secret named value comes out of the extractor without its value. The
 * publisher skips it unless the configuration gives one (publisher/
 * Resource.cs, validateNamedValue); it stays in the model with a value
 * known only in Azure, so the policies using it are not reported too. */
static struct jval *secret_value(struct builder *b, const struct apiops_artifact *a,
                                 struct jval *props)
{
    const struct jval *secret = jval_get(props, "secret");
    if (secret == NULL || secret->kind != JV_BOOL || !secret->u.b || jval_get(props, "value") ||
        jval_get(jval_get(props, "keyVault"), "secretIdentifier"))
        return props;
    diag_emit(b->m->diag, DC_APIOPS_SECRET, a->at,
              "secret named value '%s' has no value and no Key Vault secret; the publisher skips "
              "it, so it must already exist in the service (give its value in the configuration)",
              a->name);
    struct jval *why = jval_unknown(b->m->arena, a->at, "a secret the artifacts do not hold");
    return apiops_merge(b->m->arena, props, member_object(b->m->arena, a->at, "value", why));
}

/* An API override without "apiRevision" and "isCurrent": the publisher
 * removes them (publisher/Configuration.cs). */
static const struct jval *api_override(struct builder *b, const struct jval *over)
{
    struct jval *copy = apiops_merge(b->m->arena, jval_object(b->m->arena, over->loc, 0), over);
    size_t n = 0;
    for (size_t i = 0; i < copy->u.o.n; i++)
        if (!str_ieq_cstr(copy->u.o.v[i].key, "apiRevision") &&
            !str_ieq_cstr(copy->u.o.v[i].key, "isCurrent"))
            copy->u.o.v[n++] = copy->u.o.v[i];
    copy->u.o.n = n;
    return copy;
}

/* The resource's properties: the artifact's, then its override's. */
static struct jval *properties(struct builder *b, const struct apiops_artifact *a)
{
    struct jval *props = NULL;
    if (a->layout->kind == AK_POLICY)
        props = policy_props(b, a);
    else if (!(a->layout->flags & AL_COMPOSITE))
        props = jval_get(a->info, "properties");
    if ((a->layout->flags & AL_INFO_OPTIONAL) && a->text)
        props = apiops_merge(b->m->arena, props, policy_props(b, a));
    const struct jval *over = a->override ? a->override->props : NULL;
    if (over && a->layout->kind == AK_API)
        over = api_override(b, over);
    if (!(a->layout->flags & AL_COMPOSITE))
        props = apiops_merge(b->m->arena, props, over);
    if ((a->layout->kind == AK_NAMED_VALUE || a->layout->kind == AK_WS_NAMED_VALUE) && props)
        props = secret_value(b, a, props);
    return props;
}

/* ---- resources ---- */

static void add_resource(struct builder *b, struct arm_env *env, struct apiops_artifact *a)
{
    const char *type = resource_type(a);
    if (type == NULL)
        return; /* operations (a folder for their policies), workspaces, workspace tag links */
    struct arm_resource *r = ARENA_NEW(b->m->arena, struct arm_resource);
    r->type = str_from_cstr(arena_printf(b->m->arena, "Microsoft.ApiManagement/%s", type));
    r->name = str_from_cstr(resource_name(b, a));
    const struct jval *props = properties(b, a);
    r->body = props ? member_object(b->m->arena, a->at, "properties", props)
                    : jval_object(b->m->arena, a->at, 0);
    r->decl = a->info;
    r->type_loc = r->name_loc = a->at;
    r->in_template = true;
    arm_env_add(env, r);
}

/* ---- specifications ---- */

/* The folder's service in the model (the run may hold others), or NULL. */
static struct model_service *folder_service(struct builder *b)
{
    for (struct model_service *s = b->m->services; s; s = s->next)
        if (str_ieq_cstr(str_from_cstr(s->name), b->service))
            return s;
    return NULL;
}

/* The model's API for each API artifact. model_add_arm appends them to the
 * service in the order given (after any the service already had: first is
 * the first it added) and skips only those with an invalid name, so one
 * pass over both lists pairs them. */
static void pair_apis(struct builder *b, struct model_api *first)
{
    struct model_api *api = first;
    for (struct apiops_artifact *a = b->f.first; a && api; a = a->next) {
        if (a->layout->kind != AK_API)
            continue;
        const char *semi = strchr(a->name, ';');
        size_t idlen = semi ? (size_t)(semi - a->name) : strlen(a->name);
        if (strlen(api->id) == idlen && strncmp(api->id, a->name, idlen) == 0 &&
            api->named_revision == (semi != NULL)) {
            a->api = api;
            api = api->next;
        }
    }
}

/* APIM7001 for an API whose operations come from a format apimlocal does
 * not import (the publisher imports WADL and WSDL with format wadl-xml and
 * wsdl, a GraphQL schema as the API's schema). */
static void not_imported(struct builder *b, struct apiops_artifact *a, struct loc at,
                         const char *why)
{
    diag_emit(b->m->diag, DC_IMPORT_NOT_SUPPORTED, at,
              "API '%s': %s, so the API has no operations locally", a->name, why);
}

static void import_spec(struct builder *b, struct apiops_artifact *a)
{
    struct loc at = { a->spec, 0, 0 };
    const char *ext = a->spec_ext;
    if (strcmp(ext, "json") == 0 || strcmp(ext, "yaml") == 0) {
        a->api->import_format = strcmp(ext, "json") == 0 ? "openapi+json" : "openapi";
        a->imported = openapi_import_source(b->m, a->api, a->spec, OPENAPI_ANY, at) == 0;
        return;
    }
    bool graphql = strcmp(ext, "graphql") == 0, wadl = strcmp(ext, "wadl") == 0;
    a->api->import_format = graphql ? "graphql" : wadl ? "wadl-xml" : "wsdl";
    not_imported(b, a, at,
                 graphql ? "apimlocal does not import GraphQL schemas (specification.graphql)"
                 : wadl  ? "apimlocal does not import WADL (specification.wadl)"
                         : "apimlocal does not import WSDL (specification.wsdl)");
}

static void import_specs(struct builder *b)
{
    for (struct apiops_artifact *a = b->f.first; a; a = a->next) {
        if (a->layout->kind != AK_API || a->api == NULL)
            continue;
        if (a->spec) {
            import_spec(b, a);
            continue;
        }
        /* The extractor writes no WSDL (APIM exports one it cannot import
         * again): a SOAP API's operations stay in Azure. */
        const char *type = a->api->type;
        if (type && (strcmp(type, "soap") == 0 || strcmp(type, "graphql") == 0)) {
            struct jval_member *m = jval_get_member(jval_get(a->info, "properties"), "type");
            if (m == NULL)
                m = jval_get_member(jval_get(a->info, "properties"), "apiType");
            not_imported(b, a, m ? m->value->loc : a->at,
                         strcmp(type, "soap") == 0
                             ? "a SOAP API's operations come from its WSDL, which the extractor "
                               "does not write and apimlocal does not import"
                             : "a GraphQL API's operations come from its schema, and there is "
                               "no specification.graphql");
        }
    }
}

/* ---- checks the model does not make ---- */

static struct apiops_artifact *api_of(struct apiops_artifact *a)
{
    while (a && a->layout->kind != AK_API)
        a = a->parent;
    return a;
}

static char *folded(struct arena *a, const char *s)
{
    char *out = arena_strdup(a, s);
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    return out;
}

/* An operation policy needs its operation: with the specification
 * imported, the API's operations are known, and a policy for any other is
 * a PUT that fails. */
static void check_operation_policies(struct builder *b)
{
    struct apiops_map ops;
    apiops_map_init(&ops, b->m->arena);
    for (struct apiops_artifact *a = b->f.first; a; a = a->next)
        if (a->layout->kind == AK_API && a->imported)
            for (struct model_operation *op = a->api->ops; op; op = op->next)
                apiops_map_put(
                    &ops, arena_printf(b->m->arena, "%s/%s", a->key, folded(b->m->arena, op->id)),
                    op);
    for (struct apiops_artifact *a = b->f.first; a; a = a->next) {
        if (a->layout->kind != AK_POLICY || a->parent == NULL ||
            a->parent->layout->kind != AK_API_OPERATION)
            continue;
        struct apiops_artifact *api = api_of(a);
        const char *key =
            arena_printf(b->m->arena, "%s/%s", api->key, folded(b->m->arena, a->parent->name));
        if (api->imported && apiops_map_get(&ops, key) == NULL)
            diag_emit(b->m->diag, DC_APIOPS_OPERATION, a->at,
                      "API '%s' has no operation '%s' (its specification does not declare it), "
                      "so this policy cannot be attached to it",
                      api->name, a->parent->name);
    }
}

static bool builtin_group(const char *name)
{
    static const char *const groups[] = { "administrators", "developers", "guests" };
    for (size_t i = 0; i < 3; i++)
        if (str_ieq_cstr(str_from_cstr(name), groups[i]))
            return true;
    return false;
}

/* The workspace an artifact is in, or NULL. */
static const struct apiops_artifact *workspace_of(const struct apiops_artifact *a)
{
    while (a && a->layout->kind != AK_WORKSPACE)
        a = a->parent;
    return a;
}

/* Links the model keeps no record of: tags to APIs and products, products
 * to groups (the built-in groups are never extracted, so they count), and
 * every link inside a workspace, whose target is looked for in that
 * workspace. A link named in its file is in the folder of its target. */
static void check_links(struct builder *b)
{
    for (const struct apiops_artifact *a = b->f.first; a; a = a->next) {
        enum apiops_kind want = a->layout->target;
        if (want == AK_ROOT)
            continue;
        const char *target = a->name;
        if (a->layout->flags & AL_LINK)
            target = strrchr(a->path, '/') + 1;
        if ((want == AK_GROUP || want == AK_WS_GROUP) && builtin_group(target))
            continue;
        const struct apiops_artifact *ws = workspace_of(a);
        if (apiops_find_in(&b->f, ws, want, target) == NULL)
            diag_emit(b->m->diag, DC_APIOPS_LINK, a->at,
                      "%s '%s' links %s '%s', which is not in %s", a->parent->layout->what,
                      a->parent->name, apiops_layout(want)->what, target,
                      ws ? arena_printf(b->m->arena, "workspace '%s'", ws->name) : "this folder");
    }
}

/* ---- the whole folder ---- */

static struct source *no_reader(void *ctx, const char *path)
{
    (void)ctx;
    (void)path;
    return NULL;
}

int apiops_read(struct model *m, const char *dir, const struct apiops_options *o)
{
    unsigned errors = m->diag->nerrors;
    struct builder b = { .m = m, .o = o };
    b.f.arena = m->arena;
    b.f.diag = m->diag;
    b.f.root = dir;
    b.f.read_file = o->read_file ? o->read_file : no_reader;
    b.f.ctx = o->ctx;
    apiops_walk(&b.f);
    b.service = service_name(&b);
    apiops_config_reset(o->config);
    struct arm_env apis, rest;
    arm_env_init(&apis, m->arena, m->diag, "apiops");
    arm_env_init(&rest, m->arena, m->diag, "apiops");
    for (struct apiops_artifact *a = b.f.first; a; a = a->next) {
        a->override = apiops_config_match(o->config, a->key);
        add_resource(&b, a->layout->kind == AK_API ? &apis : &rest, a);
    }
    struct model_service *svc = folder_service(&b);
    struct model_api *before = svc ? svc->apis_last : NULL;
    model_add_arm(m, &apis);
    svc = folder_service(&b);
    pair_apis(&b, before ? before->next : svc ? svc->apis : NULL);
    import_specs(&b);
    model_add_arm(m, &rest);
    check_operation_policies(&b);
    check_links(&b);
    apiops_config_unused(o->config, &b.f);
    return m->diag->nerrors == errors ? 0 : -1;
}
