/* openapi_op.c - one OpenAPI operation as API Management's operation
 * contract: URL template, template parameters, request and responses, in
 * the shapes of the REST API's OperationContract (api-version 2024-05-01:
 * ParameterContract, RequestContract, ResponseContract,
 * RepresentationContract, ParameterExampleContract).
 *
 * Path-level parameters are merged with the operation's (the operation's
 * win, matched by name and location). Path parameters and required query
 * parameters become template parameters, and the required query parameters
 * are appended to the URL template ("?a={a}&b={b}"), unless the API's
 * translateRequiredQueryParameters says "query". A request body of a GET,
 * HEAD or OPTIONS operation is dropped, as API Management drops it. Examples
 * are kept as the document's own values: media type `example`/`examples`
 * (OpenAPI 3), `examples` per media type and `x-example(s)` (Swagger 2). */
#include <stdio.h>
#include <string.h>

#include "apim_limits.h"
#include "openapi_int.h"

struct param {
    const struct jval *node; /* the parameter object, dereferenced */
    const struct jval *name_node;
    const char *name, *in;
    bool required;
};

struct params {
    struct param *v;
    size_t n, cap;
    struct openapi_map by_key; /* "in:name" -> index + 1 */
};

/* ---- small values ---- */

/* A value as the text API Management keeps for defaults and enum values. */
static const char *scalar_text(struct importer *imp, const struct jval *v)
{
    switch (v->kind) {
    case JV_STRING:
        return v->u.s.ptr;
    case JV_BOOL:
        return v->u.b ? "true" : "false";
    case JV_INT:
    case JV_REAL:
        if ((v->flags & JV_F_LITERAL) && v->loc.src)
            return arena_strndup(imp->a, v->loc.src->text + v->loc.start,
                                 v->loc.end - v->loc.start);
        return v->kind == JV_INT ? arena_printf(imp->a, "%lld", (long long)v->u.i)
                                 : arena_printf(imp->a, "%.17g", v->u.r);
    default:
        break;
    }
    buf_reset(&imp->scratch);
    if (jval_write_capped(v, &imp->scratch, 64) != 0 || imp->scratch.data == NULL)
        return "";
    return arena_strdup(imp->a, imp->scratch.data);
}

/* A schema's type: "integer"; OpenAPI 3.1's ["string", "null"] -> "string". */
static const char *type_of(struct importer *imp, const struct jval *schema)
{
    const struct jval *t = openapi_member(imp, schema, "type");
    if (t && t->kind == JV_STRING)
        return t->u.s.ptr;
    for (size_t i = 0; t && t->kind == JV_ARRAY && i < t->u.a.n; i++)
        if (t->u.a.v[i]->kind == JV_STRING && strcmp(t->u.a.v[i]->u.s.ptr, "null") != 0)
            return t->u.a.v[i]->u.s.ptr;
    if (openapi_member(imp, schema, "properties"))
        return "object";
    return "string";
}

static struct jval *example_default(struct importer *imp, const struct jval *value)
{
    struct jval *ex = openapi_object(imp, value->loc);
    struct jval *d = openapi_object(imp, value->loc);
    openapi_set(imp, d, "value", (struct jval *)value);
    openapi_set(imp, ex, "default", d);
    return ex;
}

/* OpenAPI 3 "examples": name -> Example Object (or a $ref to one). */
static struct jval *example_map(struct importer *imp, const struct jval *examples)
{
    struct jval *out = openapi_object(imp, examples->loc);
    for (size_t i = 0; examples->kind == JV_OBJECT && i < examples->u.o.n; i++) {
        const struct jval_member *mb = &examples->u.o.v[i];
        const struct jval *e = openapi_deref(imp, mb->value);
        if (e == NULL || e->kind != JV_OBJECT)
            continue;
        static const char *const keys[] = { "summary", "description", "value", "externalValue" };
        struct jval *c = openapi_object(imp, e->loc);
        for (size_t k = 0; k < 4; k++) {
            const struct jval *v = openapi_member(imp, e, keys[k]);
            if (v)
                openapi_set(imp, c, keys[k], (struct jval *)v);
        }
        openapi_set(imp, out, arena_strndup(imp->a, mb->key.ptr, mb->key.len), c);
    }
    return out;
}

/* The examples of a parameter or media type object, or NULL. */
static struct jval *examples_of(struct importer *imp, const struct jval *node)
{
    const struct jval *ex = openapi_member(imp, node, "examples");
    if (imp->v3 && ex && ex->kind == JV_OBJECT && ex->u.o.n)
        return example_map(imp, ex);
    const struct jval *one = openapi_member(imp, node, imp->v3 ? "example" : "x-example");
    return one ? example_default(imp, one) : NULL;
}

/* ---- parameters ---- */

static bool valid_in(struct importer *imp, const char *in)
{
    static const char *const v3[] = { "path", "query", "header", "cookie", NULL };
    static const char *const v2[] = { "path", "query", "header", "body", "formData", NULL };
    for (const char *const *p = imp->v3 ? v3 : v2; *p; p++)
        if (strcmp(*p, in) == 0)
            return true;
    return false;
}

static bool read_param(struct importer *imp, const struct jval *raw, struct param *p)
{
    const struct jval *node = openapi_deref(imp, raw);
    if (node == NULL)
        return false;
    if (node->kind != JV_OBJECT) {
        diag_emit(imp->d, DC_OPENAPI_STRUCTURE, openapi_loc(imp, node),
                  "a parameter must be an object, not %s", jval_kind_name(node->kind));
        return false;
    }
    p->node = node;
    p->name_node = openapi_member(imp, node, "name");
    p->name = openapi_str(imp, node, "name");
    p->in = openapi_str(imp, node, "in");
    if (p->name == NULL || p->in == NULL) {
        diag_emit(imp->d, DC_OPENAPI_STRUCTURE, openapi_loc(imp, node),
                  "a parameter needs a 'name' and an 'in' string; this one has no '%s'",
                  p->name ? "in" : "name");
        return false;
    }
    if (!valid_in(imp, p->in)) {
        diag_emit(imp->d, DC_OPENAPI_STRUCTURE, openapi_loc(imp, openapi_member(imp, node, "in")),
                  "parameter '%s': 'in' is '%s'; it must be one of %s", p->name, p->in,
                  imp->v3 ? "path, query, header, cookie" : "path, query, header, body, formData");
        return false;
    }
    const struct jval *req = openapi_member(imp, node, "required");
    p->required = strcmp(p->in, "path") == 0 || (req && req->kind == JV_BOOL && req->u.b);
    return true;
}

static void add_params(struct importer *imp, struct params *ps, const struct jval *list)
{
    if (list == NULL)
        return;
    if (list->kind != JV_ARRAY) {
        diag_emit(imp->d, DC_OPENAPI_STRUCTURE, openapi_loc(imp, list),
                  "'parameters' must be an array, not %s", jval_kind_name(list->kind));
        return;
    }
    for (size_t i = 0; i < list->u.a.n; i++) {
        struct param p;
        if (!read_param(imp, list->u.a.v[i], &p))
            continue;
        struct str key = str_from_cstr(arena_printf(imp->a, "%s:%s", p.in, p.name));
        size_t at = (size_t)(uintptr_t)openapi_map_get(&ps->by_key, NULL, key);
        if (at) { /* the operation's parameter overrides the path item's */
            ps->v[at - 1] = p;
            continue;
        }
        if (ps->n == ps->cap) {
            ps->cap = ps->cap ? 2 * ps->cap : 8;
            struct param *v = ARENA_ARRAY(imp->a, struct param, ps->cap);
            if (ps->n)
                memcpy(v, ps->v, ps->n * sizeof(*v));
            ps->v = v;
        }
        ps->v[ps->n++] = p;
        openapi_map_put(imp->a, &ps->by_key, NULL, key, (void *)(uintptr_t)ps->n);
    }
}

/* API Management's ParameterContract for p. */
static struct jval *param_contract(struct importer *imp, const struct param *p, bool required)
{
    struct loc at = openapi_loc(imp, p->node);
    const struct jval *schema =
        imp->v3 ? openapi_deref(imp, openapi_member(imp, p->node, "schema")) : p->node;
    struct jval *c = openapi_object(imp, at);
    openapi_set(imp, c, "name", openapi_string(imp, at, p->name));
    const char *desc = openapi_str(imp, p->node, "description");
    if (desc)
        openapi_set(imp, c, "description", openapi_string(imp, at, desc));
    openapi_set(imp, c, "type", openapi_string(imp, at, type_of(imp, schema)));
    openapi_set(imp, c, "required", jval_bool(imp->a, at, required));
    struct jval *values = openapi_array(imp, at);
    const struct jval *e = openapi_member(imp, schema, "enum");
    for (size_t i = 0; e && e->kind == JV_ARRAY && i < e->u.a.n; i++)
        openapi_push(imp, values,
                     openapi_string(imp, e->u.a.v[i]->loc, scalar_text(imp, e->u.a.v[i])));
    openapi_set(imp, c, "values", values);
    const struct jval *def = openapi_member(imp, schema, "default");
    if (def)
        openapi_set(imp, c, "defaultValue", openapi_string(imp, def->loc, scalar_text(imp, def)));
    struct jval *ex = examples_of(imp, p->node);
    if (ex)
        openapi_set(imp, c, "examples", ex);
    return c;
}

/* Things API Management does not import: said once per parameter. */
static void unsupported_param(struct importer *imp, const struct param *p)
{
    const char *why = NULL;
    if (strcmp(p->in, "cookie") == 0)
        why = "API Management does not import cookie parameters";
    else if (strcmp(p->in, "formData") == 0)
        why = "API Management does not import Swagger 2.0 form parameters";
    /* Serialization matters for arrays and objects only. */
    const struct jval *schema = openapi_deref(imp, openapi_member(imp, p->node, "schema"));
    const char *type = imp->v3 ? type_of(imp, schema) : "string";
    bool composite = strcmp(type, "array") == 0 || strcmp(type, "object") == 0;
    if (why == NULL && composite && strcmp(p->in, "query") == 0) {
        const char *style = openapi_str(imp, p->node, "style");
        const struct jval *explode = openapi_member(imp, p->node, "explode");
        if ((style && strcmp(style, "form") != 0) ||
            (explode && explode->kind == JV_BOOL && !explode->u.b))
            why = "API Management imports array and object query parameters only with style "
                  "'form' and explode true; its 'style' and 'explode' are dropped";
    }
    if (why)
        diag_emit(imp->d, DC_OPENAPI_NOT_IMPORTED, openapi_loc(imp, p->name_node),
                  "parameter '%s' (in %s): %s", p->name, p->in, why);
}

/* ---- the URL template ---- */

/* The {names} of a path, in order. */
static size_t path_names(struct importer *imp, const char *path, const char ***out)
{
    size_t n = 0;
    for (const char *p = path; (p = strchr(p, '{')) != NULL; p++)
        n++;
    *out = ARENA_ARRAY(imp->a, const char *, n + 1);
    n = 0;
    for (const char *p = path; (p = strchr(p, '{')) != NULL;) {
        const char *close = strchr(p, '}');
        if (close == NULL)
            break;
        (*out)[n++] = arena_strndup(imp->a, p + 1, (size_t)(close - p - 1));
        p = close + 1;
    }
    return n;
}

struct tmpl {
    const struct param **v; /* template parameters, in order */
    size_t n;
    const char **query; /* required query parameter names, appended to the path */
    size_t nquery;
    struct openapi_map names;   /* lower-case name -> 1: names are unique case-insensitively */
    struct openapi_map in_path; /* the path's {names} */
};

static struct str lower(struct importer *imp, const char *s)
{
    char *l = arena_strdup(imp->a, s);
    for (char *c = l; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    return str_from_cstr(l);
}

/* Adds p to the template unless its name is taken there. */
static bool take_name(struct importer *imp, struct tmpl *t, const struct param *p,
                      const struct model_operation *op, const char *path)
{
    struct str key = lower(imp, p->name);
    if (openapi_map_get(&t->names, NULL, key)) {
        diag_emit(imp->d, DC_OPENAPI_PATH_PARAM, openapi_loc(imp, p->name_node),
                  "'%s %s': parameter '%s' (in %s) has the name of another URL parameter; API "
                  "Management needs the path and required query parameters of an operation "
                  "to have different names (ignoring case)",
                  op->method, path, p->name, p->in);
        return false;
    }
    openapi_map_put(imp->a, &t->names, NULL, key, (void *)1);
    t->v[t->n++] = p;
    return true;
}

static const struct param *path_param(struct importer *imp, const struct params *ps,
                                      const char *name)
{
    struct str key = str_from_cstr(arena_printf(imp->a, "path:%s", name));
    size_t at = (size_t)(uintptr_t)openapi_map_get(&ps->by_key, NULL, key);
    return at ? &ps->v[at - 1] : NULL;
}

/* A stand-in for a {name} no parameter defines (reported), so the model's
 * own checks do not report it again. */
static const struct param *undefined_param(struct importer *imp, const struct jval *path_key,
                                           const char *name)
{
    struct param *p = ARENA_NEW(imp->a, struct param);
    p->name = name;
    p->in = "path";
    p->required = true;
    p->node = path_key;
    p->name_node = path_key;
    return p;
}

static void build_template(struct importer *imp, struct model_operation *op, const char *path,
                           const struct jval *path_key, struct params *ps, struct tmpl *t)
{
    const char **names;
    size_t nn = path_names(imp, path, &names);
    t->v = ARENA_ARRAY(imp->a, const struct param *, nn + ps->n + 1);
    t->query = ARENA_ARRAY(imp->a, const char *, ps->n + 1);
    for (size_t i = 0; i < nn; i++) {
        openapi_map_put(imp->a, &t->in_path, NULL, str_from_cstr(names[i]), (void *)1);
        const struct param *p = path_param(imp, ps, names[i]);
        if (p == NULL) {
            diag_emit(imp->d, DC_OPENAPI_PATH_PARAM, openapi_loc(imp, path_key),
                      "'%s %s': the path uses '{%s}', but no parameter is 'in: path' with the "
                      "name '%s'",
                      op->method, path, names[i], names[i]);
            p = undefined_param(imp, path_key, names[i]);
        }
        (void)take_name(imp, t, p, op, path);
    }
    for (size_t i = 0; i < ps->n; i++) {
        const struct param *p = &ps->v[i];
        bool in_path = openapi_map_get(&t->in_path, NULL, str_from_cstr(p->name)) != NULL;
        if (strcmp(p->in, "path") == 0 && !in_path)
            diag_emit(imp->d, DC_OPENAPI_PATH_PARAM, openapi_loc(imp, p->name_node),
                      "'%s %s': parameter '%s' is 'in: path', but the path has no '{%s}'",
                      op->method, path, p->name, p->name);
        if (strcmp(p->in, "query") == 0 && p->required && imp->query_in_template &&
            take_name(imp, t, p, op, path))
            t->query[t->nquery++] = p->name;
    }
    op->url_template = openapi_url_template(imp->a, path, t->query, t->nquery);
    op->template_value = jval_cstring(imp->a, path_key->loc, op->url_template);
    op->template_loc = path_key->loc;
    op->params_loc = path_key->loc;
}

static void template_params(struct importer *imp, struct model_operation *op, struct tmpl *t)
{
    struct jval *contract = openapi_array(imp, op->params_loc);
    op->params = ARENA_ARRAY(imp->a, struct model_template_param, t->n + 1);
    for (size_t i = 0; i < t->n; i++) {
        const struct param *p = t->v[i];
        struct jval *c = param_contract(imp, p, true);
        openapi_push(imp, contract, c);
        struct model_template_param *tp = &op->params[op->nparams++];
        tp->name = p->name;
        tp->type = jval_get_str(c, "type");
        tp->required = true;
        tp->default_value = jval_get_str(c, "defaultValue");
        tp->loc = openapi_loc(imp, p->name_node);
    }
    op->contract_params = contract;
}

/* ---- representations ---- */

static struct jval *representation(struct importer *imp, struct loc at, const char *type,
                                   const struct jval *schema, struct jval *examples)
{
    struct jval *r = openapi_object(imp, at);
    openapi_set(imp, r, "contentType", openapi_string(imp, at, type));
    const char *name = openapi_ref_name(imp, schema);
    if (name)
        openapi_set(imp, r, "typeName", openapi_string(imp, at, name));
    if (examples)
        openapi_set(imp, r, "examples", examples);
    return r;
}

/* OpenAPI 3 "content": media type -> Media Type Object. */
static struct jval *content_reps(struct importer *imp, const struct jval *content, struct loc at)
{
    struct jval *reps = openapi_array(imp, at);
    for (size_t i = 0; content && content->kind == JV_OBJECT && i < content->u.o.n; i++) {
        const struct jval_member *mb = &content->u.o.v[i];
        const struct jval *mt = mb->value;
        const char *type = arena_strndup(imp->a, mb->key.ptr, mb->key.len);
        openapi_push(imp, reps,
                     representation(imp, mb->key_loc, type, openapi_member(imp, mt, "schema"),
                                    examples_of(imp, mt)));
    }
    return reps;
}

/* Swagger 2 media types: the operation's consumes/produces, else the
 * document's. */
static const struct jval *media_types(struct importer *imp, const struct jval *o, const char *key)
{
    const struct jval *v = openapi_member(imp, o, key);
    if (v == NULL)
        v = openapi_member(imp, imp->doc, key);
    return v && v->kind == JV_ARRAY ? v : NULL;
}

/* Swagger 2: one representation per media type; examples per media type
 * (mime -> value) or one for all. */
static struct jval *swagger_reps(struct importer *imp, const struct jval *types,
                                 const struct jval *schema, const struct jval *per_type,
                                 const struct jval *one, struct loc at)
{
    struct jval *reps = openapi_array(imp, at);
    for (size_t i = 0; types && i < types->u.a.n; i++) {
        const struct jval *t = types->u.a.v[i];
        if (t->kind != JV_STRING)
            continue;
        const struct jval *ex = per_type ? openapi_member(imp, per_type, t->u.s.ptr) : NULL;
        if (ex == NULL)
            ex = one;
        openapi_push(imp, reps,
                     representation(imp, openapi_loc(imp, t), t->u.s.ptr, schema,
                                    ex ? example_default(imp, ex) : NULL));
    }
    /* Examples for media types the operation does not list. */
    for (size_t i = 0; per_type && per_type->kind == JV_OBJECT && i < per_type->u.o.n; i++) {
        const struct jval_member *mb = &per_type->u.o.v[i];
        bool listed = false;
        for (size_t k = 0; types && k < types->u.a.n && !listed; k++)
            listed = types->u.a.v[k]->kind == JV_STRING && str_eq(types->u.a.v[k]->u.s, mb->key);
        if (!listed)
            openapi_push(imp, reps,
                         representation(imp, mb->key_loc,
                                        arena_strndup(imp->a, mb->key.ptr, mb->key.len), schema,
                                        example_default(imp, mb->value)));
    }
    return reps;
}

/* ---- request ---- */

static bool drops_body(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ||
           strcmp(method, "OPTIONS") == 0;
}

/* The body's description and representations (NULL when there is none). */
static struct jval *request_body(struct importer *imp, struct model_operation *op,
                                 const struct jval *o, const struct params *ps, const char **desc)
{
    struct jval *reps = NULL;
    if (imp->v3) {
        const struct jval *body = openapi_deref(imp, openapi_member(imp, o, "requestBody"));
        if (body && body->kind == JV_OBJECT && !drops_body(op->method)) {
            *desc = openapi_str(imp, body, "description");
            reps = content_reps(imp, openapi_member(imp, body, "content"), openapi_loc(imp, body));
        }
    } else {
        for (size_t i = 0; i < ps->n; i++) {
            const struct param *p = &ps->v[i];
            if (strcmp(p->in, "body") != 0 || drops_body(op->method))
                continue;
            *desc = openapi_str(imp, p->node, "description");
            reps = swagger_reps(
                imp, media_types(imp, o, "consumes"), openapi_member(imp, p->node, "schema"),
                openapi_member(imp, p->node, "x-examples"),
                openapi_member(imp, p->node, "x-example"), openapi_loc(imp, p->node));
        }
    }
    return reps;
}

static struct jval *request(struct importer *imp, struct model_operation *op, const struct jval *o,
                            const struct params *ps)
{
    struct loc at = openapi_loc(imp, o);
    struct jval *req = openapi_object(imp, at);
    struct jval *query = openapi_array(imp, at), *headers = openapi_array(imp, at);
    const char *desc = NULL;
    struct jval *reps = request_body(imp, op, o, ps, &desc);
    if (desc)
        openapi_set(imp, req, "description", openapi_string(imp, at, desc));
    for (size_t i = 0; i < ps->n; i++) {
        const struct param *p = &ps->v[i];
        unsupported_param(imp, p);
        bool templated = p->required && imp->query_in_template;
        if (strcmp(p->in, "query") == 0 && !templated)
            openapi_push(imp, query, param_contract(imp, p, p->required));
        else if (strcmp(p->in, "header") == 0)
            openapi_push(imp, headers, param_contract(imp, p, p->required));
    }
    openapi_set(imp, req, "queryParameters", query);
    openapi_set(imp, req, "headers", headers);
    openapi_set(imp, req, "representations", reps ? reps : openapi_array(imp, at));
    return req;
}

/* ---- responses ---- */

static struct jval *response_headers(struct importer *imp, const struct jval *headers,
                                     struct loc at)
{
    struct jval *out = openapi_array(imp, at);
    for (size_t i = 0; headers && headers->kind == JV_OBJECT && i < headers->u.o.n; i++) {
        const struct jval_member *mb = &headers->u.o.v[i];
        if (str_ieq_cstr(mb->key, "Content-Type"))
            continue; /* OpenAPI: such a header is ignored */
        const struct jval *h = openapi_deref(imp, mb->value);
        if (h == NULL || h->kind != JV_OBJECT)
            continue;
        struct param p = { h, NULL, arena_strndup(imp->a, mb->key.ptr, mb->key.len), "header",
                           false };
        const struct jval *req = openapi_member(imp, h, "required");
        p.required = req && req->kind == JV_BOOL && req->u.b;
        openapi_push(imp, out, param_contract(imp, &p, p.required));
    }
    return out;
}

static bool status_code(struct str k, int64_t *code)
{
    if (k.len != 3 || k.ptr[0] < '1' || k.ptr[0] > '5')
        return false;
    for (size_t i = 1; i < 3; i++)
        if (k.ptr[i] < '0' || k.ptr[i] > '9')
            return false;
    *code = (k.ptr[0] - '0') * 100 + (k.ptr[1] - '0') * 10 + (k.ptr[2] - '0');
    return true;
}

static struct jval *response(struct importer *imp, const struct jval *o, int64_t code,
                             const struct jval_member *mb, const struct jval *r)
{
    struct loc at = mb->key_loc;
    struct jval *c = openapi_object(imp, at);
    openapi_set(imp, c, "statusCode", jval_int(imp->a, at, code));
    const char *desc = openapi_str(imp, r, "description");
    if (desc)
        openapi_set(imp, c, "description", openapi_string(imp, at, desc));
    struct jval *reps = imp->v3 ? content_reps(imp, openapi_member(imp, r, "content"), at)
                                : swagger_reps(imp, media_types(imp, o, "produces"),
                                               openapi_member(imp, r, "schema"),
                                               openapi_member(imp, r, "examples"), NULL, at);
    openapi_set(imp, c, "representations", reps);
    openapi_set(imp, c, "headers", response_headers(imp, openapi_member(imp, r, "headers"), at));
    return c;
}

/* "default" and "2XX" have no status code of their own in API Management's
 * contract: they are not imported (docs/openapi.md). */
static bool range_or_default(struct str k)
{
    return str_eq(k, STR_LIT("default")) || (k.len == 3 && k.ptr[0] >= '1' && k.ptr[0] <= '5' &&
                                             (k.ptr[1] | 32) == 'x' && (k.ptr[2] | 32) == 'x');
}

static struct jval *responses(struct importer *imp, const struct jval *o)
{
    const struct jval *rs = openapi_member(imp, o, "responses");
    struct jval *out = openapi_array(imp, openapi_loc(imp, rs ? rs : o));
    if (rs && rs->kind != JV_OBJECT) {
        diag_emit(imp->d, DC_OPENAPI_STRUCTURE, openapi_loc(imp, rs),
                  "'responses' must be an object mapping status codes to responses, not %s",
                  jval_kind_name(rs->kind));
        return out;
    }
    for (size_t i = 0; rs && i < rs->u.o.n; i++) {
        const struct jval_member *mb = &rs->u.o.v[i];
        int64_t code;
        if (range_or_default(mb->key) ||
            (mb->key.len >= 2 && mb->key.ptr[0] == 'x' && mb->key.ptr[1] == '-'))
            continue;
        if (!status_code(mb->key, &code)) {
            diag_emit(imp->d, DC_OPENAPI_STRUCTURE, mb->key_loc,
                      "response '%.*s' is not an HTTP status code (100 to 599), 'default' or "
                      "a range such as '2XX'",
                      STR_FMT(mb->key));
            continue;
        }
        const struct jval *r = openapi_deref(imp, mb->value);
        if (r == NULL)
            continue;
        if (r->kind != JV_OBJECT) {
            diag_emit(imp->d, DC_OPENAPI_STRUCTURE, openapi_loc(imp, r),
                      "response '%.*s' must be an object, not %s", STR_FMT(mb->key),
                      jval_kind_name(r->kind));
            continue;
        }
        openapi_push(imp, out, response(imp, o, code, mb, r));
    }
    return out;
}

/* ---- the operation ---- */

/* An operation whose contract would not fit the plan is an error (and
 * keeps no contract). */
static void check_size(struct importer *imp, struct model_operation *op)
{
    buf_reset(&imp->scratch);
    if (model_operation_contract(op, &imp->scratch) == 0)
        return;
    diag_emit(imp->d, DC_OPERATION_CONTRACT, op->template_loc,
              "'%s %s': its parameters, request and responses with their examples take more "
              "than %u bytes as JSON, or nest deeper than %u levels",
              op->method, op->url_template, APIM_MAX_OP_CONTRACT, APIM_MAX_JSON_DEPTH);
    op->contract_params = op->request = op->responses = NULL;
}

void openapi_build_operation(struct importer *imp, struct model_operation *op, const char *path,
                             const struct jval *path_key, const struct jval *path_item,
                             const struct jval *o)
{
    struct params ps = { 0 };
    add_params(imp, &ps, openapi_member(imp, path_item, "parameters"));
    add_params(imp, &ps, openapi_member(imp, o, "parameters"));
    struct tmpl t = { 0 };
    build_template(imp, op, path, path_key, &ps, &t);
    template_params(imp, op, &t);
    op->description = openapi_str(imp, o, "description");
    op->request = request(imp, op, o, &ps);
    op->responses = responses(imp, o);
    const struct jval *servers = openapi_member(imp, o, "servers");
    if (servers)
        diag_emit(imp->d, DC_OPENAPI_NOT_IMPORTED, openapi_loc(imp, servers),
                  "'servers' of operation '%s %s' are not imported (API Management does not "
                  "support them there); its calls go to the API's service URL",
                  op->method, path);
    check_size(imp, op);
}
