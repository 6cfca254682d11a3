/* openapi.c - an OpenAPI or Swagger document imported into an API: which
 * version it is, the API's service URL and display name, and one operation
 * per path and method, named as API Management names them.
 *
 * Rules (docs/openapi.md cites each): API Management imports Swagger 2.0
 * (JSON only), OpenAPI 3.0.x and 3.1.x; the operation name is the
 * normalised operationId, or the normalised method and URL template when
 * there is none, with -1..-999 appended to names already taken; the display
 * name is the summary, else the operationId, else the name; of several
 * servers the first HTTPS one is used, else the first HTTP one. */
#include <stdio.h>
#include <string.h>

#include "apim_limits.h"
#include "openapi_int.h"
#include "yaml.h"

/* ---- names and templates ---- */

static bool alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

const char *openapi_normalize_name(struct arena *a, const char *text)
{
    size_t n = strlen(text);
    char *out = arena_alloc(a, n + 1);
    size_t o = 0;
    bool dash = false;
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (!alnum(c)) {
            dash = o > 0; /* no dash at the start */
            continue;
        }
        if (dash && o < OPENAPI_NAME_MAX)
            out[o++] = '-';
        dash = false;
        if (o < OPENAPI_NAME_MAX)
            out[o++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    out[o] = '\0';
    return out;
}

const char *openapi_url_template(struct arena *a, const char *path, const char *const *names,
                                 size_t n)
{
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    bool q = strchr(path, '?') != NULL;
    int rc = buf_puts(&b, path);
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = buf_printf(&b, "%c%s={%s}", q ? '&' : '?', names[i], names[i]);
        q = true;
    }
    const char *s = arena_strdup(a, rc == 0 && b.data ? b.data : path);
    buf_release(&b);
    return s;
}

/* ---- constructors ---- */

static bool grows(size_t n)
{
    return n == 0 || (n >= 4 && (n & (n - 1)) == 0);
}

struct jval *openapi_string(struct importer *imp, struct loc at, const char *s)
{
    return jval_cstring(imp->a, at, s);
}

struct jval *openapi_object(struct importer *imp, struct loc at)
{
    return jval_object(imp->a, at, 0);
}

struct jval *openapi_array(struct importer *imp, struct loc at)
{
    return jval_array(imp->a, at, 0);
}

void openapi_set(struct importer *imp, struct jval *obj, const char *key, struct jval *v)
{
    size_t n = obj->u.o.n;
    if (grows(n)) {
        struct jval_member *m = ARENA_ARRAY(imp->a, struct jval_member, n ? 2 * n : 4);
        if (n)
            memcpy(m, obj->u.o.v, n * sizeof(*m));
        obj->u.o.v = m;
    }
    obj->u.o.v[n] = (struct jval_member){ str_from_cstr(key), v->loc, v };
    obj->u.o.n = n + 1;
}

void openapi_push(struct importer *imp, struct jval *arr, struct jval *v)
{
    size_t n = arr->u.a.n;
    if (grows(n)) {
        struct jval **items = ARENA_ARRAY(imp->a, struct jval *, n ? 2 * n : 4);
        if (n)
            memcpy(items, arr->u.a.v, n * sizeof(*items));
        arr->u.a.v = items;
    }
    arr->u.a.v[n] = v;
    arr->u.a.n = n + 1;
}

/* ---- version ---- */

/* The version as written: "3.0.1"; a YAML number (openapi: 3.1) as its text. */
static const char *version_text(struct importer *imp, const struct jval *v)
{
    if (v->kind == JV_STRING)
        return v->u.s.ptr;
    if ((v->kind == JV_REAL || v->kind == JV_INT) && (v->flags & JV_F_LITERAL) && v->loc.src)
        return arena_strndup(imp->a, v->loc.src->text + v->loc.start, v->loc.end - v->loc.start);
    return NULL;
}

static bool version_ok(const char *text, const char *major_minor)
{
    size_t n = strlen(major_minor);
    return strncmp(text, major_minor, n) == 0 && (text[n] == '\0' || text[n] == '.');
}

/* Sets imp->v3 from the document; -1 (reported) if API Management would not
 * import this version. */
static int read_version(struct importer *imp, enum openapi_flavor flavor)
{
    const struct jval *ov = openapi_member(imp, imp->doc, "openapi");
    const struct jval *sv = openapi_member(imp, imp->doc, "swagger");
    const struct jval *v = ov ? ov : sv;
    if (v == NULL) {
        diag_emit(imp->d, DC_OPENAPI_VERSION, openapi_loc(imp, imp->doc),
                  "not an OpenAPI or Swagger document: it has no 'openapi' or 'swagger' version");
        return -1;
    }
    const char *text = version_text(imp, v);
    imp->v3 = ov != NULL;
    bool ok = text && (imp->v3 ? version_ok(text, "3.0") || version_ok(text, "3.1")
                               : strcmp(text, "2.0") == 0 || strcmp(text, "2") == 0);
    if (!ok) {
        diag_emit(imp->d, DC_OPENAPI_VERSION, openapi_loc(imp, v),
                  "%s version '%s' is not imported by API Management, which imports Swagger "
                  "2.0, OpenAPI 3.0.x and OpenAPI 3.1.x",
                  imp->v3 ? "OpenAPI" : "Swagger", text ? text : jval_kind_name(v->kind));
        return -1;
    }
    if ((flavor == OPENAPI_V3 && !imp->v3) || (flavor == OPENAPI_SWAGGER2 && imp->v3))
        diag_emit(imp->d, DC_IMPORT_FORMAT_MISMATCH, openapi_loc(imp, v),
                  "the import's format says %s, but this is %s %s; it is imported as %s",
                  flavor == OPENAPI_V3 ? "OpenAPI 3" : "Swagger 2.0",
                  imp->v3 ? "OpenAPI" : "Swagger", text, imp->v3 ? "OpenAPI 3" : "Swagger 2.0");
    const struct source *src = imp->doc->loc.src;
    if (!imp->v3 && src && yaml_text_is_yaml(src->text, src->len)) {
        diag_emit(imp->d, DC_OPENAPI_SWAGGER_YAML, openapi_loc(imp, v),
                  "API Management imports Swagger 2.0 documents in JSON only; this one is YAML");
        return -1;
    }
    return 0;
}

/* ---- the service URL ---- */

static bool has_scheme(const char *url, const char *scheme)
{
    size_t n = strlen(scheme);
    return str_istarts_with(str_from_cstr(url), scheme) && strncmp(url + n, "://", 3) == 0;
}

/* url with {variables} replaced by their defaults; NULL (reported) when one
 * is not defined. */
static const char *substitute(struct importer *imp, const struct jval *server,
                              const struct jval *url)
{
    const struct jval *vars = openapi_member(imp, server, "variables");
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    const char *p = url->u.s.ptr;
    int rc = 0;
    while (*p && rc == 0) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (close == NULL) {
            rc = buf_append(&b, p++, 1);
            continue;
        }
        char *name = arena_strndup(imp->a, p + 1, (size_t)(close - p - 1));
        const char *def =
            openapi_str(imp, openapi_deref(imp, openapi_member(imp, vars, name)), "default");
        if (def == NULL) {
            diag_emit(imp->d, DC_OPENAPI_SERVER_URL, openapi_loc(imp, url),
                      "server URL '%s' uses '{%s}', which its 'variables' do not define with "
                      "a 'default'; the server is not used",
                      url->u.s.ptr, name);
            buf_release(&b);
            return NULL;
        }
        rc = buf_puts(&b, def);
        p = close + 1;
    }
    const char *out = rc == 0 ? arena_strdup(imp->a, b.data ? b.data : "") : NULL;
    buf_release(&b);
    return out;
}

/* "/v1" against "https://h/specs/a.yaml" -> "https://h/v1"; "v1" -> "https://h/specs/v1". */
static const char *resolve_url(struct importer *imp, const char *rel)
{
    const char *base = imp->base_url;
    const char *auth = base ? strstr(base, "://") : NULL;
    if (auth == NULL)
        return NULL;
    const char *path = strchr(auth + 3, '/');
    size_t origin = path ? (size_t)(path - base) : strlen(base);
    if (rel[0] == '/')
        return arena_printf(imp->a, "%.*s%s", (int)origin, base, rel);
    size_t dir = strcspn(base, "?#");
    while (dir > origin && base[dir - 1] != '/')
        dir--;
    if (dir <= origin)
        return arena_printf(imp->a, "%.*s/%s", (int)origin, base, rel);
    return arena_printf(imp->a, "%.*s%s", (int)dir, base, rel);
}

struct server_pick {
    const char *https, *http;
    struct loc https_loc, http_loc;
    const struct jval *relative; /* a relative URL that could not be resolved */
};

static void consider(struct importer *imp, struct server_pick *p, const char *url,
                     const struct jval *at)
{
    if (!has_scheme(url, "https") && !has_scheme(url, "http") && !strstr(url, "://")) {
        const char *abs = resolve_url(imp, url);
        if (abs == NULL) {
            if (p->relative == NULL)
                p->relative = at;
            return;
        }
        url = abs;
    }
    if (has_scheme(url, "https") && p->https == NULL) {
        p->https = url;
        p->https_loc = openapi_loc(imp, at);
    } else if (has_scheme(url, "http") && p->http == NULL) {
        p->http = url;
        p->http_loc = openapi_loc(imp, at);
    }
}

static void pick_servers(struct importer *imp, const struct jval *servers, struct server_pick *p)
{
    if (servers == NULL || servers->kind != JV_ARRAY || servers->u.a.n == 0) {
        /* OpenAPI 3: no servers means one server at "/". */
        if (imp->v3)
            consider(imp, p, "/", imp->doc);
        return;
    }
    for (size_t i = 0; i < servers->u.a.n; i++) {
        const struct jval *s = openapi_deref(imp, servers->u.a.v[i]);
        const struct jval *url = openapi_member(imp, s, "url");
        if (url == NULL || url->kind != JV_STRING) {
            diag_emit(imp->d, DC_OPENAPI_STRUCTURE, openapi_loc(imp, s ? s : servers->u.a.v[i]),
                      "a server has no 'url'");
            continue;
        }
        const char *text = substitute(imp, s, url);
        if (text)
            consider(imp, p, text, url);
    }
}

/* Swagger 2.0: schemes + host + basePath. */
static void pick_swagger(struct importer *imp, struct server_pick *p)
{
    const struct jval *schemes = openapi_member(imp, imp->doc, "schemes");
    const char *host = openapi_str(imp, imp->doc, "host");
    const char *base = openapi_str(imp, imp->doc, "basePath");
    bool https = false, http = false;
    for (size_t i = 0; schemes && schemes->kind == JV_ARRAY && i < schemes->u.a.n; i++) {
        const struct jval *s = schemes->u.a.v[i];
        https |= s->kind == JV_STRING && str_ieq_cstr(s->u.s, "https");
        http |= s->kind == JV_STRING && str_ieq_cstr(s->u.s, "http");
    }
    /* The API's protocols follow the schemes (the REST API's Swagger import
     * example: "schemes": ["http"] gives "protocols": ["http"]). */
    if ((https || http) && !imp->api->protocols_set)
        imp->api->protocols = (https ? MODEL_PROTO_HTTPS : 0u) | (http ? MODEL_PROTO_HTTP : 0u);
    if (!https && !http) /* the scheme the document was read with */
        https = imp->base_url == NULL || has_scheme(imp->base_url, "https");
    if (host == NULL) {
        consider(imp, p, base ? base : "/", imp->doc);
        return;
    }
    const char *url = arena_printf(imp->a, "%s://%s%s", https ? "https" : "http", host,
                                   base && strcmp(base, "/") != 0 ? base : "");
    consider(imp, p, url, openapi_member(imp, imp->doc, "host"));
}

static void service_url(struct importer *imp)
{
    struct server_pick p = { 0 };
    const struct jval *xs = openapi_member(imp, imp->doc, "x-servers");
    if (imp->v3)
        pick_servers(imp, openapi_member(imp, imp->doc, "servers"), &p);
    else if (xs)
        pick_servers(imp, xs, &p);
    else
        pick_swagger(imp, &p);
    if (imp->api->service_url)
        return; /* the API's serviceUrl wins over the document's */
    if (p.https || p.http) {
        imp->api->service_url = p.https ? p.https : p.http;
        imp->api->service_url_loc = p.https ? p.https_loc : p.http_loc;
    } else if (p.relative == imp->doc) {
        diag_emit(imp->d, DC_OPENAPI_SERVER_URL, openapi_loc(imp, imp->doc),
                  "API '%s': the specification names no server (so its server is '/', a "
                  "relative URL) and was not imported from a URL to resolve it against, so "
                  "the API has no service URL",
                  imp->api->id);
    } else if (p.relative) {
        diag_emit(imp->d, DC_OPENAPI_SERVER_URL, openapi_loc(imp, p.relative),
                  "API '%s': the server URL is relative and the specification was not imported "
                  "from a URL to resolve it against, so the API has no service URL",
                  imp->api->id);
    }
}

/* ---- operations ---- */

static const char *const methods[] = { "get",     "put",  "post",  "delete",
                                       "options", "head", "patch", "trace" };

static bool is_method(struct str k)
{
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (str_eq(k, str_from_cstr(methods[i])))
            return true;
    return false;
}

static bool path_item_field(struct str k)
{
    return str_eq(k, STR_LIT("parameters")) || str_eq(k, STR_LIT("summary")) ||
           str_eq(k, STR_LIT("description")) || str_eq(k, STR_LIT("servers")) ||
           str_eq(k, STR_LIT("$ref")) || (k.len >= 2 && k.ptr[0] == 'x' && k.ptr[1] == '-');
}

/* Up to 300 characters (code points), as API Management keeps a summary. */
static const char *display_text(struct importer *imp, const char *s)
{
    size_t cps = 0, i = 0;
    while (s[i] && cps < 300) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        cps++;
    }
    return s[i] ? arena_strndup(imp->a, s, i) : s;
}

/* The name: normalised base, with -1..-999 when it is taken. */
static void name_operation(struct importer *imp, struct model_operation *op, const char *base)
{
    op->id = base;
    for (unsigned k = 1; !model_import_add_name(imp->m, imp->api, op) && k <= 999; k++)
        op->id = arena_printf(imp->a, "%s-%u", base, k);
}

static void check_operation_id(struct importer *imp, const struct jval *idv)
{
    const struct jval *first = openapi_map_get(&imp->op_ids, NULL, idv->u.s);
    if (first == NULL) {
        openapi_map_put(imp->a, &imp->op_ids, NULL, idv->u.s, (void *)idv);
        return;
    }
    struct diag_entry *e =
        diag_emit(imp->d, DC_OPENAPI_DUPLICATE_ID, openapi_loc(imp, idv),
                  "operationId '%s' is used twice; OpenAPI requires unique operationIds, and "
                  "API Management names this operation with a numbered suffix",
                  idv->u.s.ptr);
    diag_note(imp->d, e, openapi_loc(imp, first), "first used here");
}

static void add_operation(struct importer *imp, const char *path, const struct jval *path_key,
                          const struct jval *item, const struct jval_member *mb)
{
    const struct jval *o = openapi_deref(imp, mb->value);
    if (o == NULL)
        return;
    char *method = arena_strndup(imp->a, mb->key.ptr, mb->key.len);
    for (char *c = method; *c; c++)
        *c = (char)(*c - 32); /* a method key is lower-case letters */
    if (o->kind != JV_OBJECT) {
        diag_emit(imp->d, DC_OPENAPI_STRUCTURE, openapi_loc(imp, o),
                  "operation '%s %s' must be an object, not %s", method, path,
                  jval_kind_name(o->kind));
        return;
    }
    struct model_operation *op = ARENA_NEW(imp->a, struct model_operation);
    op->method = method;
    op->method_loc = mb->key_loc;
    op->loc = mb->key_loc;
    op->imported = true;
    op->api = imp->api;
    openapi_build_operation(imp, op, path, path_key, item, o);
    const struct jval *idv = openapi_member(imp, o, "operationId");
    const char *opid = idv && idv->kind == JV_STRING && idv->u.s.len ? idv->u.s.ptr : NULL;
    const char *base = opid ? openapi_normalize_name(imp->a, opid) : "";
    if (opid)
        check_operation_id(imp, idv);
    if (*base == '\0')
        base = openapi_normalize_name(imp->a,
                                      arena_printf(imp->a, "%s %s", op->method, op->url_template));
    name_operation(imp, op, *base ? base : "operation");
    const char *summary = openapi_str(imp, o, "summary");
    op->display_name = display_text(imp, summary && *summary ? summary : opid ? opid : op->id);
    model_api_add_operation(imp->api, op);
}

static void path_servers_note(struct importer *imp, const struct jval *servers, const char *what)
{
    if (servers)
        diag_emit(imp->d, DC_OPENAPI_NOT_IMPORTED, openapi_loc(imp, servers),
                  "'servers' of %s are not imported (API Management does not support them "
                  "there); its calls go to the API's service URL",
                  what);
}

static void add_path(struct importer *imp, const struct jval_member *pm)
{
    const char *path = pm->key.ptr;
    const struct jval *item = openapi_deref(imp, pm->value);
    const struct jval *key = jval_string(imp->a, pm->key_loc, pm->key.ptr, pm->key.len);
    if (item == NULL)
        return;
    if (item->kind != JV_OBJECT) {
        diag_emit(imp->d, DC_OPENAPI_STRUCTURE, openapi_loc(imp, item),
                  "path '%s' must be an object (a path item), not %s", path,
                  jval_kind_name(item->kind));
        return;
    }
    if (path[0] != '/')
        diag_emit(imp->d, DC_OPENAPI_STRUCTURE, pm->key_loc, "path '%s' must start with '/'", path);
    path_servers_note(imp, openapi_member(imp, item, "servers"),
                      arena_printf(imp->a, "'%s'", path));
    for (size_t i = 0; i < item->u.o.n; i++) {
        const struct jval_member *mb = &item->u.o.v[i];
        if (str_eq(mb->key, STR_LIT("trace"))) {
            diag_emit(imp->d, DC_OPENAPI_NOT_IMPORTED, mb->key_loc,
                      "'trace %s' is not imported: API Management does not import TRACE "
                      "operations",
                      path);
        } else if (is_method(mb->key)) {
            add_operation(imp, path, key, item, mb);
        } else if (!path_item_field(mb->key)) {
            diag_emit(imp->d, DC_OPENAPI_METHOD, mb->key_loc,
                      "'%.*s' in path '%s' is not an HTTP method (get, put, post, delete, "
                      "options, head, patch) or a path item field",
                      STR_FMT(mb->key), path);
        }
    }
}

static void add_paths(struct importer *imp, const char *name, bool required)
{
    const struct jval *paths = openapi_member(imp, imp->doc, name);
    if (paths == NULL) {
        /* OpenAPI 3.1 documents may have only webhooks or components. */
        if (required)
            diag_emit(imp->d, DC_OPENAPI_STRUCTURE, openapi_loc(imp, imp->doc),
                      "the specification has no 'paths', so API '%s' gets no operations",
                      imp->api->id);
        return;
    }
    if (paths->kind != JV_OBJECT) {
        diag_emit(imp->d, DC_OPENAPI_STRUCTURE, openapi_loc(imp, paths),
                  "'%s' must be an object mapping paths to path items, not %s", name,
                  jval_kind_name(paths->kind));
        return;
    }
    for (size_t i = 0; i < paths->u.o.n; i++) {
        const struct jval_member *pm = &paths->u.o.v[i];
        if (pm->key.len >= 2 && pm->key.ptr[0] == 'x' && pm->key.ptr[1] == '-')
            continue; /* an extension, not a path */
        add_path(imp, pm);
    }
}

/* ---- entry points ---- */

static void api_info(struct importer *imp)
{
    const char *title = openapi_str(imp, openapi_member(imp, imp->doc, "info"), "title");
    if (imp->api->display_name == NULL && title && *title)
        imp->api->display_name = display_text(imp, title);
}

int openapi_import(struct model *m, struct model_api *api, const struct jval *doc,
                   const struct openapi_options *o)
{
    struct importer imp = { .m = m, .a = m->arena, .d = m->diag, .api = api, .doc = doc };
    imp.at = o->at;
    imp.base_url = o->base_url;
    imp.query_in_template = !o->query_params_as_query;
    if (doc->kind != JV_OBJECT) {
        diag_emit(m->diag, DC_OPENAPI_VERSION, openapi_loc(&imp, doc),
                  "not an OpenAPI or Swagger document: it is %s, not an object",
                  jval_kind_name(doc->kind));
        return -1;
    }
    if (read_version(&imp, o->flavor) != 0)
        return -1;
    buf_init(&imp.scratch, APIM_MAX_OP_CONTRACT);
    openapi_check_refs(&imp);
    api_info(&imp);
    service_url(&imp);
    const struct jval *v = openapi_member(&imp, doc, imp.v3 ? "openapi" : "swagger");
    bool v31 = imp.v3 && version_ok(version_text(&imp, v), "3.1");
    add_paths(&imp, "paths", !v31);
    if (openapi_member(&imp, doc, "x-ms-paths"))
        add_paths(&imp, "x-ms-paths", false);
    buf_release(&imp.scratch);
    return 0;
}

int openapi_import_doc(struct model *m, struct model_api *api, const struct jval *doc,
                       enum openapi_flavor flavor, struct loc at)
{
    struct openapi_options o = { flavor, at, NULL, false };
    return openapi_import(m, api, doc, &o);
}

int openapi_import_source(struct model *m, struct model_api *api, const struct source *src,
                          enum openapi_flavor flavor, struct loc at)
{
    struct jval *doc = yaml_text_is_yaml(src->text, src->len) ? yaml_parse(m->arena, m->diag, src)
                                                              : jval_parse(m->arena, m->diag, src);
    return doc ? openapi_import_doc(m, api, doc, flavor, at) : -1;
}

bool openapi_is_document(const struct jval *doc)
{
    if (doc == NULL || doc->kind != JV_OBJECT)
        return false;
    for (size_t i = 0; i < doc->u.o.n; i++)
        if (str_eq(doc->u.o.v[i].key, STR_LIT("openapi")) ||
            str_eq(doc->u.o.v[i].key, STR_LIT("swagger")))
            return true;
    return false;
}
