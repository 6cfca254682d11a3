/* simple_api.c - the seed's simple API document -> the model.
 *
 *   { "name", "apiVersion", "properties": {
 *       "authentication": { "signedInUserOnly" }, "gateway": { "gatewayName", "gatewayType" },
 *       "apiName", "paths": [ { "path", "methods": [ { "method",
 *           "backend": { "type": "http", "endpoint" }, "authentication" } ] } ] } }
 *
 * It becomes one service named after the gateway, holding one API with an
 * empty path (so it answers at the gateway's root), one operation per path
 * and method, each forwarding to its own backend endpoint. signedInUserOnly
 * asks for a subscription key; false makes the API open. */
#include <string.h>

#include "model.h"
#include "suggest.h"

struct simple {
    struct model *m;
    struct model_service *svc;
    struct model_api *api;
};

static void unknown_keys(struct simple *s, const struct jval *obj, const char *const *known,
                         const char *what)
{
    suggest_unknown_keys(s->m->diag, s->m->arena, obj, known, DC_UNKNOWN_PROPERTY,
                         UNKNOWN_KEY_HAS_NO, what, NULL);
}

/* A required string member; reports and returns NULL when missing. */
static const struct jval *need_string(struct simple *s, const struct jval *obj, const char *key,
                                      const char *what)
{
    const struct jval *v = jval_get(obj, key);
    if (v == NULL) {
        diag_emit(s->m->diag, DC_SIMPLE_API, obj->loc, "%s has no '%s'", what, key);
        return NULL;
    }
    if (v->kind != JV_STRING) {
        diag_emit(s->m->diag, DC_SIMPLE_API, v->loc, "'%s' of %s must be a string", key, what);
        return NULL;
    }
    return v;
}

static const struct jval *need_array(struct simple *s, const struct jval *obj, const char *key,
                                     const char *what)
{
    const struct jval *v = jval_get(obj, key);
    if (v == NULL || v->kind != JV_ARRAY) {
        diag_emit(s->m->diag, DC_SIMPLE_API, v ? v->loc : obj->loc,
                  v ? "'%s' of %s must be an array" : "%s has no '%s'", v ? key : what,
                  v ? what : key);
        return NULL;
    }
    return v;
}

static bool signed_in_only(struct simple *s, const struct jval *obj)
{
    const struct jval *auth = jval_get(obj, "authentication");
    const struct jval *v = jval_get(auth, "signedInUserOnly");
    if (v && v->kind != JV_BOOL) {
        diag_emit(s->m->diag, DC_SIMPLE_API, v->loc, "'signedInUserOnly' must be a bool");
        return false;
    }
    return v && v->u.b;
}

/* "get" on "/orders/{id}" -> operation id "get-orders-id". */
static const char *operation_id(struct arena *a, const char *method, const char *path)
{
    char *id = arena_printf(a, "%s%s", method, path);
    size_t o = 0;
    bool dash = false;
    for (size_t i = 0; id[i]; i++) {
        char c = id[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
        if (alnum) {
            if (dash && o)
                id[o++] = '-';
            id[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            dash = false;
        } else {
            dash = true;
        }
    }
    id[o] = '\0';
    return id;
}

/* The simple format has no templateParameters: every {name} in a path is
 * one, required, of type string. */
static void path_params(struct simple *s, struct model_operation *op, const struct jval *path)
{
    struct str p = path->u.s;
    size_t n = 0;
    for (size_t i = 0; i < p.len; i++)
        n += p.ptr[i] == '{';
    op->params = ARENA_ARRAY(s->m->arena, struct model_template_param, n + 1);
    for (size_t i = 0; i < p.len; i++) {
        if (p.ptr[i] != '{')
            continue;
        const char *close = memchr(p.ptr + i, '}', p.len - i);
        if (close == NULL)
            break; /* the URL template check reports it */
        size_t len = (size_t)(close - p.ptr) - i - 1;
        struct model_template_param *tp = &op->params[op->nparams++];
        tp->name = arena_strndup(s->m->arena, p.ptr + i + 1, len);
        tp->type = "string";
        tp->required = true;
        tp->loc = jval_string_subloc(path, i + 1, i + 1 + len);
    }
}

static void add_method(struct simple *s, const struct jval *path, const struct jval *method)
{
    static const char *const known[] = { "method", "apiVersion", "backend", "authentication",
                                         NULL };
    static const char *const backend_keys[] = { "type", "endpoint", NULL };
    unknown_keys(s, method, known, "a method");
    const struct jval *verb = need_string(s, method, "method", "a method");
    const struct jval *backend = jval_get(method, "backend");
    if (backend == NULL || backend->kind != JV_OBJECT) {
        diag_emit(s->m->diag, DC_SIMPLE_API, backend ? backend->loc : method->loc,
                  backend ? "'backend' must be an object" : "a method has no 'backend'");
        return;
    }
    unknown_keys(s, backend, backend_keys, "a backend");
    const struct jval *type = jval_get(backend, "type");
    if (type && (type->kind != JV_STRING || !str_ieq_cstr(type->u.s, "http")))
        diag_emit(s->m->diag, DC_SIMPLE_API, type->loc, "backend 'type' must be \"http\"");
    const struct jval *endpoint = need_string(s, backend, "endpoint", "a backend");
    if (verb == NULL || endpoint == NULL)
        return;
    struct model_operation *op = ARENA_NEW(s->m->arena, struct model_operation);
    char *upper = arena_strdup(s->m->arena, verb->u.s.ptr);
    for (char *p = upper; *p; p++)
        *p = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
    op->method = upper;
    op->method_loc = verb->loc;
    op->url_template = path->u.s.ptr;
    op->template_value = path;
    op->template_loc = path->loc;
    op->id = operation_id(s->m->arena, verb->u.s.ptr, path->u.s.ptr);
    op->display_name = arena_printf(s->m->arena, "%s %s", upper, path->u.s.ptr);
    op->backend_url = endpoint->u.s.ptr;
    op->loc = method->loc;
    path_params(s, op, path);
    model_api_add_operation(s->api, op);
    if (signed_in_only(s, method))
        s->api->subscription_required = true;
    if (strncmp(op->backend_url, "http://", 7) != 0 && strncmp(op->backend_url, "https://", 8))
        diag_emit(s->m->diag, DC_SERVICE_URL, endpoint->loc,
                  "backend endpoint '%s' is not an absolute http(s) URL", op->backend_url);
}

static void add_path(struct simple *s, const struct jval *entry)
{
    static const char *const known[] = { "path", "apiVersion", "methods", NULL };
    if (entry->kind != JV_OBJECT) {
        diag_emit(s->m->diag, DC_SIMPLE_API, entry->loc, "each entry of 'paths' must be an object");
        return;
    }
    unknown_keys(s, entry, known, "a path");
    const struct jval *path = need_string(s, entry, "path", "a path");
    const struct jval *methods = need_array(s, entry, "methods", "a path");
    if (path == NULL || methods == NULL)
        return;
    for (size_t i = 0; i < methods->u.a.n; i++) {
        if (methods->u.a.v[i]->kind != JV_OBJECT)
            diag_emit(s->m->diag, DC_SIMPLE_API, methods->u.a.v[i]->loc,
                      "each entry of 'methods' must be an object");
        else
            add_method(s, path, methods->u.a.v[i]);
    }
}

bool model_is_simple_api(const struct jval *doc)
{
    const struct jval *props = jval_get(doc, "properties");
    return doc && doc->kind == JV_OBJECT && jval_get(doc, "resources") == NULL &&
           jval_get(props, "apiName") != NULL && jval_get(props, "paths") != NULL;
}

static struct model_service *simple_service(struct simple *s, const struct jval *doc,
                                            const struct jval *props)
{
    const struct jval *gw = jval_get(props, "gateway");
    const struct jval *gname = gw ? need_string(s, gw, "gatewayName", "'gateway'") : NULL;
    const struct jval *name = jval_get(doc, "name");
    struct model_service *svc = ARENA_NEW(s->m->arena, struct model_service);
    svc->name = gname ? gname->u.s.ptr : name && name->kind == JV_STRING ? name->u.s.ptr : "simple";
    svc->loc = gname ? gname->loc : doc->loc;
    svc->declared = true;
    if (gname) {
        struct model_gateway *g = ARENA_NEW(s->m->arena, struct model_gateway);
        g->id = gname->u.s.ptr;
        g->type = jval_get_str(gw, "gatewayType");
        g->loc = gname->loc;
        svc->gateways = svc->gateways_last = g;
    }
    return svc;
}

void model_add_simple_api(struct model *m, const struct jval *doc)
{
    static const char *const top[] = { "name", "apiVersion", "properties", NULL };
    static const char *const props_known[] = { "authentication", "apiVersion", "gateway",
                                               "apiName",        "paths",      NULL };
    struct simple s = { m, NULL, NULL };
    const struct jval *props = jval_get(doc, "properties");
    unknown_keys(&s, doc, top, "a simple API document");
    unknown_keys(&s, props, props_known, "'properties'");
    const struct jval *api_name = need_string(&s, props, "apiName", "'properties'");
    const struct jval *paths = need_array(&s, props, "paths", "'properties'");
    s.svc = simple_service(&s, doc, props);
    struct model_api *api = ARENA_NEW(m->arena, struct model_api);
    api->id = api_name ? api_name->u.s.ptr : "api";
    api->display_name = api->id;
    api->revision = "1";
    api->is_current = true;
    api->path = "";
    api->protocols = MODEL_PROTO_HTTP | MODEL_PROTO_HTTPS;
    api->subscription_required = signed_in_only(&s, props);
    api->type = "http";
    api->loc = api_name ? api_name->loc : doc->loc;
    api->path_loc = api->loc;
    s.api = api;
    s.svc->apis = s.svc->apis_last = api;
    for (size_t i = 0; paths && i < paths->u.a.n; i++)
        add_path(&s, paths->u.a.v[i]);
    if (m->services_last)
        m->services_last->next = s.svc;
    else
        m->services = s.svc;
    m->services_last = s.svc;
    m->nservices++;
}
