/* model_import.c - an API resource's `format` + `value`: the specification
 * API Management imports when the resource is deployed.
 *
 * Inline OpenAPI and Swagger text is read where it is written: a string of
 * the template (or of a parameters file, through parameters('spec')) becomes
 * an embedded source, so a mistake in the specification is reported at its
 * line and column in that file. Links are not downloaded (apimlocal works
 * offline): a local copy is taken from `--import-file URL=FILE`, else from
 * beside the template under the name the URL ends with. Formats apimlocal
 * does not import (WSDL, WADL, GraphQL, gRPC, OData) are reported, and the
 * API keeps no operations from them. Format names: the REST API's
 * ContentFormat, api-version 2024-05-01, and `swagger-link` from its
 * ApiManagementCreateApiUsingImportOverrideServiceUrl example. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "apim_limits.h"
#include "model.h"
#include "openapi.h"
#include "openapi_int.h"
#include "yaml.h"

/* API Management's limit on a specification imported inline
 * (api-management-api-import-restrictions, "Size limitations"). */
#define IMPORT_MAX_INLINE (4u * 1024u * 1024u)

struct format_rule {
    const char *name;
    enum openapi_flavor flavor;
    bool link, json_only, imported;
};

static const struct format_rule formats[] = {
    { "openapi", OPENAPI_V3, false, false, true },
    { "openapi+json", OPENAPI_V3, false, true, true },
    { "openapi-link", OPENAPI_V3, true, false, true },
    { "openapi+json-link", OPENAPI_V3, true, true, true },
    { "swagger-json", OPENAPI_SWAGGER2, false, true, true },
    { "swagger-link-json", OPENAPI_SWAGGER2, true, true, true },
    { "swagger-link", OPENAPI_SWAGGER2, true, true, true },
    { "wsdl", OPENAPI_ANY, false, false, false },
    { "wsdl-link", OPENAPI_ANY, true, false, false },
    { "wadl-xml", OPENAPI_ANY, false, false, false },
    { "wadl-link-json", OPENAPI_ANY, true, false, false },
    { "graphql-link", OPENAPI_ANY, true, false, false },
    { "grpc", OPENAPI_ANY, false, false, false },
    { "grpc-link", OPENAPI_ANY, true, false, false },
    { "odata", OPENAPI_ANY, false, false, false },
    { "odata-link", OPENAPI_ANY, true, false, false },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static const struct format_rule *find_format(const char *name)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (str_ieq_cstr(str_from_cstr(name), formats[i].name))
            return &formats[i];
    return NULL;
}

static struct loc where(const struct jval *v, const struct arm_resource *r)
{
    return v && v->loc.src ? v->loc : r->name_loc;
}

static void unknown_format(struct model *m, const struct jval *f)
{
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < NFORMATS && used < sizeof(list) - 40; i++)
        used += (size_t)snprintf(list + used, sizeof(list) - used, "%s'%s'", i ? ", " : "",
                                 formats[i].name);
    diag_emit(m->diag, DC_PROPERTY_VALUE, f->loc,
              "'%s' is not a valid value of 'format'; use one of %s", f->u.s.ptr, list);
}

/* ---- inline documents ---- */

/* The text of v as a source of its own whose positions map back to where v
 * is written (its literal, or the literal it was passed through). */
static struct source *embed(struct model *m, const struct jval *v, const struct arm_resource *r)
{
    const struct jval *lit = v;
    if (!(lit->flags & JV_F_LITERAL) && lit->origin)
        lit = lit->origin;
    uint32_t *offsets = jval_string_offsets(m->arena, v);
    if (offsets && lit->kind == JV_STRING && lit->u.s.len == v->u.s.len)
        return source_embed(m->diag, lit->loc.src, v->u.s.ptr, (uint32_t)v->u.s.len, offsets,
                            lit->loc.start, lit->loc.end);
    struct loc at = where(v, r);
    if (at.src == NULL) /* a value with no place at all: a source of its own */
        return source_new(m->diag, "value", v->u.s.ptr, (uint32_t)v->u.s.len);
    return source_embed(m->diag, at.src, v->u.s.ptr, (uint32_t)v->u.s.len, NULL, at.start, at.end);
}

static const struct jval *parse(struct model *m, const struct source *src, bool json_only)
{
    if (!json_only && yaml_text_is_yaml(src->text, src->len))
        return yaml_parse(m->arena, m->diag, src);
    return jval_parse(m->arena, m->diag, src);
}

static const char *translate_mode(const struct jval *props)
{
    const char *t = jval_get_str(props, "translateRequiredQueryParameters");
    return t ? t : "template";
}

static void import_text(struct model *m, struct model_api *a, const struct source *src,
                        const struct format_rule *f, struct loc at, const char *url,
                        const struct jval *props)
{
    const struct jval *doc = parse(m, src, f->json_only);
    if (doc == NULL)
        return;
    struct openapi_options o = { f->flavor, at, url, false };
    o.query_params_as_query = str_ieq_cstr(str_from_cstr(translate_mode(props)), "query");
    (void)openapi_import(m, a, doc, &o);
}

/* ---- links ---- */

/* "https://x/specs/petstore.yaml?v=2" -> "petstore.yaml"; NULL if the URL
 * names no file. */
static const char *last_segment(struct arena *ar, const char *url)
{
    size_t n = strcspn(url, "?#");
    const char *scheme = strstr(url, "://");
    const char *start = scheme && (size_t)(scheme - url) < n ? scheme + 3 : url;
    const char *slash = NULL;
    for (const char *p = start; p < url + n; p++)
        if (*p == '/')
            slash = p;
    if (slash == NULL)
        return NULL;
    const char *name = arena_strndup(ar, slash + 1, (size_t)(url + n - slash - 1));
    if (*name == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return NULL;
    return name;
}

/* The local copy of url: given with --import-file, or beside the template. */
static const char *local_copy(struct model *m, const char *url, const struct arm_resource *r,
                              const char **beside)
{
    for (const struct model_import_file *f = m->import_files; f; f = f->next)
        if (strcmp(f->url, url) == 0)
            return f->path;
    const char *name = last_segment(m->arena, url);
    *beside = NULL;
    if (name == NULL || r->name_loc.src == NULL)
        return NULL;
    const struct source *tpl = loc_resolve(r->name_loc).src;
    const char *slash = strrchr(tpl->name, '/');
    *beside =
        slash ? arena_printf(m->arena, "%.*s/%s", (int)(slash - tpl->name), tpl->name, name) : name;
    struct stat st;
    return stat(*beside, &st) == 0 && S_ISREG(st.st_mode) ? *beside : NULL;
}

static void import_link(struct model *m, struct model_api *a, const struct jval *v,
                        const struct format_rule *f, const struct arm_resource *r,
                        const struct jval *props)
{
    const char *beside = NULL;
    const char *path = local_copy(m, v->u.s.ptr, r, &beside);
    if (path == NULL) {
        struct diag_entry *e = diag_emit(
            m->diag, DC_IMPORT_LINK, where(v, r),
            "API '%s' imports '%s', which apimlocal does not download; it gets no operations",
            a->id, v->u.s.ptr);
        if (beside)
            diag_note(m->diag, e, where(v, r),
                      "put a copy at '%s', or name one with --import-file '%s=FILE'", beside,
                      v->u.s.ptr);
        else
            diag_note(m->diag, e, where(v, r), "name a local copy with --import-file '%s=FILE'",
                      v->u.s.ptr);
        return;
    }
    struct source *src = source_read(m->diag, path, where(v, r));
    if (src)
        src->counted_in = where(v, r).src;
    if (src)
        import_text(m, a, src, f, (struct loc){ src, 0, 0 }, v->u.s.ptr, props);
}

/* ---- the API's format + value ---- */

/* The value, if it can be imported here; reports why not otherwise. */
static const struct jval *usable_value(struct model *m, const struct model_api *a,
                                       const struct jval *fv, const struct jval *v,
                                       const struct arm_resource *r)
{
    if (v == NULL || v->kind == JV_NULL) {
        diag_emit(m->diag, DC_IMPORT_VALUE, where(fv, r),
                  "API '%s' has 'format' '%s' but no 'value' to import", a->id, fv->u.s.ptr);
        return NULL;
    }
    if (v->kind == JV_UNKNOWN) {
        if (!jval_is_poison(v))
            diag_emit(m->diag, DC_DEPLOY_TIME, where(v, r),
                      "the specification API '%s' imports is known only at deployment (%s); "
                      "no operations are imported locally",
                      a->id, v->u.why ? v->u.why : "a runtime value");
        return NULL;
    }
    if (v->kind != JV_STRING) {
        diag_emit(m->diag, DC_IMPORT_VALUE, where(v, r),
                  "'value' must be a string (the specification, or its URL), not %s %s",
                  v->kind == JV_INT || v->kind == JV_ARRAY || v->kind == JV_OBJECT ? "an" : "a",
                  jval_kind_name(v->kind));
        return NULL;
    }
    if (v->u.s.len == 0 || strspn(v->u.s.ptr, " \t\r\n") == v->u.s.len) {
        diag_emit(m->diag, DC_IMPORT_VALUE, where(v, r),
                  "API '%s' has 'format' '%s' but its 'value' is empty: nothing to import", a->id,
                  fv->u.s.ptr);
        return NULL;
    }
    return v;
}

void model_import_api(struct model *m, struct model_api *a, const struct arm_resource *r,
                      const struct jval *props)
{
    bool legacy = model_api_version_legacy_import(r);
    const struct jval *fv = jval_get(props, legacy ? "contentFormat" : "format");
    const struct jval *v = jval_get(props, legacy ? "contentValue" : "value");
    if (fv == NULL || fv->kind == JV_NULL) {
        if (v && v->kind != JV_NULL && v->kind != JV_UNKNOWN)
            diag_emit(m->diag, DC_IMPORT_VALUE, where(v, r),
                      "API '%s' has a 'value' but no 'format' saying what it holds", a->id);
        return;
    }
    if (fv->kind != JV_STRING)
        return; /* known at deployment, or reported as a wrong type already */
    const struct format_rule *f = find_format(fv->u.s.ptr);
    if (f == NULL) {
        unknown_format(m, fv);
        return;
    }
    if ((v = usable_value(m, a, fv, v, r)) == NULL)
        return;
    if (!f->imported) {
        diag_emit(m->diag, DC_IMPORT_NOT_SUPPORTED, where(fv, r),
                  "API '%s': '%s' specifications are not imported by apimlocal; the API gets no "
                  "operations from it",
                  a->id, f->name);
        return;
    }
    if (f->link) {
        import_link(m, a, v, f, r, props);
        return;
    }
    if (v->u.s.len > IMPORT_MAX_INLINE) {
        diag_emit(m->diag, DC_OPENAPI_TOO_LARGE, where(v, r),
                  "API '%s': an inline specification may be at most 4 MB (this one is %zu "
                  "bytes); import larger ones from a URL",
                  a->id, v->u.s.len);
        return;
    }
    import_text(m, a, embed(m, v, r), f, where(v, r), NULL, props);
}

/* ---- imported operations by name ---- */

struct model_op_index {
    struct openapi_map map;
};

static struct str lower(struct arena *ar, const char *s)
{
    char *l = arena_strdup(ar, s);
    for (char *p = l; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    return str_from_cstr(l);
}

bool model_import_add_name(struct model *m, struct model_api *a, struct model_operation *op)
{
    if (a->imported_ops == NULL)
        a->imported_ops = ARENA_NEW(m->arena, struct model_op_index);
    struct str key = lower(m->arena, op->id);
    if (openapi_map_get(&a->imported_ops->map, NULL, key))
        return false;
    openapi_map_put(m->arena, &a->imported_ops->map, NULL, key, op);
    return true;
}

bool model_import_replace(struct model_api *a, const struct model_operation *op)
{
    if (a->imported_ops == NULL || op->id == NULL)
        return false;
    char key[256];
    size_t n = strlen(op->id);
    if (n >= sizeof(key))
        return false; /* longer than any imported name */
    for (size_t i = 0; i <= n; i++)
        key[i] = op->id[i] >= 'A' && op->id[i] <= 'Z' ? (char)(op->id[i] + 32) : op->id[i];
    struct model_operation *old = openapi_map_get(&a->imported_ops->map, NULL, str_from_cstr(key));
    if (old == NULL || !old->imported)
        return false;
    struct model_operation *next = old->next;
    *old = *op;
    old->next = next;
    old->imported = false;
    return true;
}

/* ---- the contract ---- */

int model_operation_contract(const struct model_operation *op, struct buf *out)
{
    const struct {
        const char *key;
        const struct jval *v;
    } parts[] = {
        { "templateParameters", op->contract_params },
        { "request", op->request },
        { "responses", op->responses },
    };

    bool first = true;
    if (buf_append(out, "{", 1) != 0)
        return -1;
    if (op->description) {
        struct jval d = { .kind = JV_STRING, .u.s = str_from_cstr(op->description) };
        if (buf_puts(out, "\"description\":") != 0 || jval_write(&d, out) != 0)
            return -1;
        first = false;
    }
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (parts[i].v == NULL || parts[i].v->kind == JV_NULL)
            continue;
        if (buf_printf(out, "%s\"%s\":", first ? "" : ",", parts[i].key) != 0 ||
            jval_write_capped(parts[i].v, out, APIM_MAX_JSON_DEPTH) != 0)
            return -1;
        first = false;
    }
    return buf_append(out, "}", 1);
}
