/* model_build_api.c - APIs and their operations into the model: import
 * properties by api-version, API types, revisions, protocols, operations
 * with their URL template parameters (model_build.c's type table names the
 * builders; model_build_int.h is what they share). */
#include <stdio.h>
#include <string.h>

#include "model_build_int.h"

/* ---- apis and operations ---- */

static const char *const api_props[] = {
    "description",
    "authenticationSettings",
    "subscriptionKeyParameterNames",
    "type",
    "apiRevision",
    "apiVersion",
    "isCurrent",
    "isOnline",
    "apiRevisionDescription",
    "apiVersionDescription",
    "apiVersionSetId",
    "subscriptionRequired",
    "termsOfServiceUrl",
    "contact",
    "license",
    "sourceApiId",
    "displayName",
    "serviceUrl",
    "path",
    "protocols",
    "apiVersionSet",
    "wsdlSelector",
    "apiType",
    "translateRequiredQueryParameters",
    "provisioningState",
    "mcpProperties",
    "mcpTools",
    NULL,
};

/* Up to api-version 2018-01-01 the specification to import is contentFormat
 * + contentValue; later api-versions call them format + value (template
 * reference, Microsoft.ApiManagement service/apis 2018-01-01). */
static const char *const import_keys[2][2] = {
    { "format", "value" },
    { "contentFormat", "contentValue" },
};

bool model_api_version_legacy_import(const struct arm_resource *r)
{
    const char *v = jval_get_str(r->body, "apiVersion");
    return v && strlen(v) >= 10 && strncmp(v, "2018-01-01", 10) <= 0;
}

/* api_props plus the import keys of r's api-version. */
static const char *const *api_known(struct builder *b)
{
    size_t n = sizeof(api_props) / sizeof(api_props[0]);
    const char **v = ARENA_ARRAY(b->m->arena, const char *, n + 2);
    memcpy(v, api_props, (n - 1) * sizeof(*v));
    const char *const *keys = import_keys[model_api_version_legacy_import(b->r)];
    v[n - 1] = keys[0];
    v[n] = keys[1];
    return v;
}

/* "echo-api;rev=3" -> id "echo-api", revision "3". */
static void split_revision(struct builder *b, struct str seg, const char **id, const char **rev)
{
    const char *semi = memchr(seg.ptr, ';', seg.len);
    if (semi == NULL) {
        *id = mb_dup(b, seg);
        *rev = NULL;
        return;
    }
    *id = mb_dup(b, (struct str){ seg.ptr, (size_t)(semi - seg.ptr) });
    struct str tail = { semi + 1, seg.len - (size_t)(semi - seg.ptr) - 1 };
    if (str_istarts_with(tail, "rev="))
        *rev = mb_dup(b, (struct str){ tail.ptr + 4, tail.len - 4 });
    else
        *rev = mb_dup(b, tail);
}

static unsigned protocols(struct builder *b)
{
    struct jval *v = jval_get(b->props, "protocols");
    if (v == NULL || v->kind != JV_ARRAY)
        return MODEL_PROTO_HTTPS;
    static const char *const names[] = { "http", "https", "ws", "wss" };
    unsigned flags = 0;
    for (size_t i = 0; i < v->u.a.n; i++) {
        const struct jval *p = v->u.a.v[i];
        size_t k = 0;
        while (k < 4 && !(p->kind == JV_STRING && str_ieq_cstr(p->u.s, names[k])))
            k++;
        if (k < 4)
            flags |= 1u << k;
        else if (p->kind != JV_UNKNOWN)
            diag_emit(b->m->diag, DC_PROPERTY_VALUE, p->loc.src ? p->loc : b->r->name_loc,
                      "'protocols' may hold 'http', 'https', 'ws' and 'wss'");
    }
    return flags;
}

/* ApiType of the REST API (2025-09-01-preview: graphql, grpc, http, mcp,
 * odata, soap, websocket). The enum is open ("new types can be added"), and
 * Azure accepts 'mcp' at earlier preview api-versions than list it: a value
 * apimlocal does not know is an error only at an api-version it knows. */
static const char *api_type(struct builder *b, const char *key)
{
    static const char *const types[] = { "http", "soap",  "websocket", "graphql",
                                         "grpc", "odata", "mcp",       NULL };
    const char *v = mb_prop_str(b, key);
    if (v == NULL || !mb_api_version_newer(b->r))
        return mb_prop_enum(b, key, types, NULL);
    for (size_t i = 0; types[i]; i++)
        if (str_ieq_cstr(str_from_cstr(v), types[i]))
            return types[i];
    diag_emit(b->m->diag, DC_API_TYPE_UNKNOWN, mb_prop_loc(b, key),
              "API type '%s' is not one apimlocal knows; api-version '%s' is newer than those it "
              "knows, so it may be valid",
              v, jval_get_str(b->r->body, "apiVersion"));
    return arena_strdup(b->m->arena, v);
}

void mb_build_api(struct builder *b)
{
    static const char *const required[] = { "path", NULL };
    struct model_service *s = mb_service(b);
    struct model_api *a = ARENA_NEW(b->m->arena, struct model_api);
    a->copy = b->r->copy;
    const char *rev;
    split_revision(b, b->segs[1], &a->id, &rev);
    bool is_revision_copy = rev != NULL || mb_prop_str(b, "sourceApiId") != NULL;
    mb_check_props(b, "API", api_known(b), is_revision_copy ? NULL : required);
    const char *api_rev = mb_prop_str(b, "apiRevision");
    a->revision = rev ? rev : api_rev ? arena_strdup(b->m->arena, api_rev) : "1";
    a->current_set = jval_get(b->props, "isCurrent") != NULL;
    a->is_current = mb_prop_bool(b, "isCurrent", rev == NULL);
    a->display_name = mb_prop_str(b, "displayName");
    a->path = mb_prop_str(b, "path");
    a->path_loc = mb_prop_loc(b, "path");
    a->service_url = mb_prop_str(b, "serviceUrl");
    a->service_url_loc = mb_prop_loc(b, "serviceUrl");
    a->protocols = protocols(b);
    a->protocols_set = jval_get(b->props, "protocols") != NULL;
    a->subscription_required = mb_prop_bool(b, "subscriptionRequired", true);
    a->subscription_required_set = jval_get(b->props, "subscriptionRequired") != NULL;
    a->named_revision = rev != NULL;
    const struct jval *names = jval_get(b->props, "subscriptionKeyParameterNames");
    a->key_header = jval_get_str(names, "header");
    a->key_query = jval_get_str(names, "query");
    a->version = mb_prop_str(b, "apiVersion");
    a->version_set_ref = mb_prop_str(b, "apiVersionSetId");
    a->version_set_loc = mb_prop_loc(b, "apiVersionSetId");
    a->type = api_type(b, "type");
    if (a->type == NULL)
        a->type = api_type(b, "apiType");
    if (a->type == NULL)
        a->type = "http";
    a->import_format = mb_prop_str(b, import_keys[model_api_version_legacy_import(b->r)][0]);
    a->source_api_ref = mb_prop_str(b, "sourceApiId");
    a->loc = b->r->name_loc;
    model_import_api(b->m, a, b->r, b->props);
    APPEND(s, apis, a);
}

static const char *const operation_props[] = {
    "templateParameters", "description", "request",     "responses", "policies",
    "displayName",        "method",      "urlTemplate", NULL,
};

/* The API a child resource belongs to. If the template does not declare it
 * (it adds operations to an API deployed elsewhere), a placeholder holds the
 * children, so their own checks still run. */
struct model_api *mb_owning_api(struct builder *b, const char *what)
{
    struct model_service *s = mb_service(b);
    const char *id, *rev;
    split_revision(b, b->segs[1], &id, &rev);
    struct model_api *a = model_find_api(b->m, s, id, strlen(id), rev, false);
    if (a)
        return a;
    if (!model_builtin(b->m, s, MODEL_BUILTIN_API, id, b->r->name_loc))
        model_missing(b->m, s, DC_API_REF, b->r->name_loc,
                      "%s belongs to API '%.*s', which is not in this template", what,
                      STR_FMT(b->segs[1]));
    a = ARENA_NEW(b->m->arena, struct model_api);
    a->id = id;
    a->revision = rev ? rev : "1";
    a->external = true;
    a->type = "http";
    a->loc = b->r->name_loc;
    APPEND(s, apis, a);
    return a;
}

/* APIM stores methods in upper case ("get" and "GET" are one operation). */
static const char *upper(struct builder *b, const char *s)
{
    if (s == NULL)
        return NULL;
    char *u = arena_strdup(b->m->arena, s);
    for (char *p = u; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    return u;
}

static void template_params(struct builder *b, struct model_operation *op)
{
    struct jval *v = jval_get(b->props, "templateParameters");
    op->params_loc = mb_prop_loc(b, "templateParameters");
    if (v == NULL || v->kind != JV_ARRAY)
        return;
    op->params = ARENA_ARRAY(b->m->arena, struct model_template_param, v->u.a.n + 1);
    for (size_t i = 0; i < v->u.a.n; i++) {
        const struct jval *p = v->u.a.v[i];
        const char *name = jval_get_str(p, "name");
        struct loc at = p->loc.src ? p->loc : op->params_loc;
        if (name == NULL) {
            diag_emit(b->m->diag, DC_REQUIRED_PROPERTY, at, "a template parameter has no 'name'");
            continue;
        }
        struct model_template_param *tp = &op->params[op->nparams++];
        tp->name = name;
        tp->type = jval_get_str(p, "type");
        struct jval *req = jval_get(p, "required");
        tp->required = req && req->kind == JV_BOOL ? req->u.b : false;
        tp->default_value = jval_get_str(p, "defaultValue");
        struct jval *nv = jval_get(p, "name");
        tp->loc = (nv->flags & JV_F_LITERAL) ? nv->loc : at;
    }
}

void mb_build_operation(struct builder *b)
{
    static const char *const required[] = { "displayName", "method", "urlTemplate", NULL };
    mb_check_props(b, "operation", operation_props, required);
    struct model_api *a = mb_owning_api(b, "operation");
    struct model_operation *op = ARENA_NEW(b->m->arena, struct model_operation);
    op->copy = b->r->copy;
    op->id = mb_dup(b, b->segs[2]);
    op->display_name = mb_prop_str(b, "displayName");
    op->method = upper(b, mb_prop_str(b, "method"));
    op->method_loc = mb_prop_loc(b, "method");
    op->url_template = mb_prop_str(b, "urlTemplate");
    op->template_loc = mb_prop_loc(b, "urlTemplate");
    op->template_value = jval_get(b->props, "urlTemplate");
    op->loc = b->r->name_loc;
    op->description = mb_prop_str(b, "description");
    op->contract_params = jval_get(b->props, "templateParameters");
    op->request = jval_get(b->props, "request");
    op->responses = jval_get(b->props, "responses");
    template_params(b, op);
    if (a == NULL)
        return;
    op->api = a;
    if (model_import_replace(a, op))
        return;
    model_api_add_operation(a, op);
}
