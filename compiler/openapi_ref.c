/* openapi_ref.c - the importer's lookups: hash maps, member lookup in big
 * objects, JSON Pointer and $ref resolution, and the whole-document $ref
 * check.
 *
 * A $ref is resolved once per distinct text and remembered, so a document
 * with thousands of references to the same schema costs one walk each;
 * member lookups in big objects (components/schemas) go through a hash
 * index built on first use. Only references that are nothing but a chain of
 * references ("a: {$ref: b}", "b: {$ref: a}") are circular: a schema that
 * refers to itself through its properties is a recursive type, which is
 * fine, and is never followed here. */
#include <stdlib.h>
#include <string.h>

#include "openapi_int.h"

/* ---- maps ---- */

static uint64_t hash_of(const void *owner, struct str key)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)owner;
    for (size_t i = 0; i < key.len; i++)
        h = (h ^ (unsigned char)key.ptr[i]) * 1099511628211ULL;
    return h | 1;
}

static struct openapi_slot *slot_for(struct openapi_slot *v, size_t cap, uint64_t h,
                                     const void *owner, struct str key)
{
    size_t i = h & (cap - 1);
    while (v[i].hash && !(v[i].hash == h && v[i].owner == owner && str_eq(v[i].key, key)))
        i = (i + 1) & (cap - 1);
    return &v[i];
}

void *openapi_map_get(const struct openapi_map *m, const void *owner, struct str key)
{
    if (m->cap == 0)
        return NULL;
    struct openapi_slot *s = slot_for(m->v, m->cap, hash_of(owner, key), owner, key);
    return s->hash ? s->value : NULL;
}

static void grow(struct arena *a, struct openapi_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    struct openapi_slot *v = ARENA_ARRAY(a, struct openapi_slot, cap);
    for (size_t i = 0; i < m->cap; i++)
        if (m->v[i].hash)
            *slot_for(v, cap, m->v[i].hash, m->v[i].owner, m->v[i].key) = m->v[i];
    m->v = v;
    m->cap = cap;
}

void openapi_map_put(struct arena *a, struct openapi_map *m, const void *owner, struct str key,
                     void *value)
{
    if (2 * (m->n + 1) > m->cap)
        grow(a, m);
    uint64_t h = hash_of(owner, key);
    struct openapi_slot *s = slot_for(m->v, m->cap, h, owner, key);
    if (s->hash == 0)
        m->n++;
    *s = (struct openapi_slot){ h, owner, key, value };
}

/* ---- members ---- */

/* Objects up to this size are scanned; bigger ones are indexed once. */
#define SMALL_OBJECT 8

const struct jval *openapi_member(struct importer *imp, const struct jval *obj, const char *key)
{
    if (obj == NULL || obj->kind != JV_OBJECT)
        return NULL;
    struct str k = str_from_cstr(key);
    if (obj->u.o.n <= SMALL_OBJECT) {
        /* The last of duplicate keys wins, as in jval_get. */
        for (size_t i = obj->u.o.n; i-- > 0;)
            if (str_eq(obj->u.o.v[i].key, k))
                return obj->u.o.v[i].value;
        return NULL;
    }
    if (openapi_map_get(&imp->indexed, obj, STR_NULL) == NULL) {
        for (size_t i = 0; i < obj->u.o.n; i++)
            openapi_map_put(imp->a, &imp->members, obj, obj->u.o.v[i].key, obj->u.o.v[i].value);
        openapi_map_put(imp->a, &imp->indexed, obj, STR_NULL, (void *)obj);
    }
    return openapi_map_get(&imp->members, obj, k);
}

const char *openapi_str(struct importer *imp, const struct jval *obj, const char *key)
{
    const struct jval *v = openapi_member(imp, obj, key);
    return v && v->kind == JV_STRING ? v->u.s.ptr : NULL;
}

struct loc openapi_loc(const struct importer *imp, const struct jval *node)
{
    return node && node->loc.src ? node->loc : imp->at;
}

/* ---- JSON Pointer ---- */

/* One reference token: %XX decoded (the pointer is a URI fragment), then
 * ~1 -> '/' and ~0 -> '~' (RFC 6901). Returns NULL for a bad escape. */
static char *token(struct arena *a, const char *p, size_t n)
{
    char *pct = arena_alloc(a, n + 1), *out = arena_alloc(a, n + 1);
    size_t m = 0, o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '%' && i + 2 < n && str_hex_digit(p[i + 1]) >= 0 &&
            str_hex_digit(p[i + 2]) >= 0) {
            pct[m++] = (char)(str_hex_digit(p[i + 1]) * 16 + str_hex_digit(p[i + 2]));
            i += 2;
        } else {
            pct[m++] = p[i];
        }
    }
    for (size_t i = 0; i < m; i++) {
        if (pct[i] != '~') {
            out[o++] = pct[i];
        } else if (i + 1 < m && (pct[i + 1] == '0' || pct[i + 1] == '1')) {
            out[o++] = pct[++i] == '0' ? '~' : '/';
        } else {
            return NULL;
        }
    }
    out[o] = '\0';
    return out;
}

/* Walks pointer (without the leading '#') from the document root. On
 * failure, *why says what is missing. */
static const struct jval *walk_pointer(struct importer *imp, const char *ptr, const char **why)
{
    const struct jval *node = imp->doc;
    const char *p = ptr;
    while (*p) {
        if (*p != '/') {
            *why = "it is not a JSON pointer (it must start with '#/')";
            return NULL;
        }
        const char *end = strchr(p + 1, '/');
        size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
        char *tok = token(imp->a, p + 1, n);
        if (tok == NULL) {
            *why = "it has a '~' that is not '~0' or '~1'";
            return NULL;
        }
        const struct jval *next = NULL;
        if (node->kind == JV_OBJECT) {
            next = openapi_member(imp, node, tok);
        } else if (node->kind == JV_ARRAY) {
            char *e;
            unsigned long i = strtoul(tok, &e, 10);
            if (*tok >= '0' && *tok <= '9' && *e == '\0' && i < node->u.a.n)
                next = node->u.a.v[i];
        }
        if (next == NULL) {
            *why = arena_printf(imp->a, "there is no '%s' in '#%.*s'", tok, (int)(p - ptr), ptr);
            return NULL;
        }
        node = next;
        p = end ? end : p + 1 + n;
    }
    return node;
}

/* ---- references ---- */

enum ref_state {
    REF_RESOLVING,
    REF_OK,
    REF_FAILED
};

struct openapi_ref {
    enum ref_state state;
    const struct jval *target;
};

static const char *ref_text(const struct jval *node)
{
    if (node == NULL || node->kind != JV_OBJECT)
        return NULL;
    for (size_t i = node->u.o.n; i-- > 0;)
        if (str_eq(node->u.o.v[i].key, STR_LIT("$ref")))
            return node->u.o.v[i].value->kind == JV_STRING ? node->u.o.v[i].value->u.s.ptr : NULL;
    return NULL;
}

static const struct jval *ref_value(const struct jval *node)
{
    for (size_t i = node->u.o.n; i-- > 0;)
        if (str_eq(node->u.o.v[i].key, STR_LIT("$ref")))
            return node->u.o.v[i].value;
    return node;
}

static const struct jval *resolve(struct importer *imp, const struct jval *node, unsigned depth);

/* The target of a '#...' reference (not followed further), or NULL after
 * reporting why there is none. */
static const struct jval *target_of(struct importer *imp, const char *text, struct loc at,
                                    unsigned depth)
{
    if (text[0] != '#') {
        diag_emit(imp->d, DC_OPENAPI_EXTERNAL_REF, at,
                  "'$ref' '%s' points into another document; API Management imports a "
                  "specification only with references inside it",
                  text);
        return NULL;
    }
    const char *why = NULL;
    const struct jval *target = walk_pointer(imp, text + 1, &why);
    if (target == NULL) {
        diag_emit(imp->d, DC_OPENAPI_REF_NOT_FOUND, at, "'$ref' '%s' does not resolve: %s", text,
                  why);
        return NULL;
    }
    if (depth >= OPENAPI_MAX_REF_CHAIN) {
        /* Said once: every later start on the same chain ends here too. */
        if (!imp->chain_reported)
            diag_emit(imp->d, DC_OPENAPI_REF_CYCLE, at,
                      "'$ref' '%s' is the end of a chain of more than %d references to "
                      "references",
                      text, OPENAPI_MAX_REF_CHAIN);
        imp->chain_reported = true;
        return NULL;
    }
    return target;
}

/* Resolves the reference text of node (a Reference Object) once. */
static struct openapi_ref *resolve_text(struct importer *imp, const struct jval *node,
                                        const char *text, unsigned depth)
{
    struct str key = str_from_cstr(text);
    struct openapi_ref *r = openapi_map_get(&imp->refs, NULL, key);
    struct loc at = openapi_loc(imp, ref_value(node));
    if (r && r->state == REF_RESOLVING) {
        diag_emit(imp->d, DC_OPENAPI_REF_CYCLE, at,
                  "'$ref' '%s' is circular: following it leads back to itself", text);
        r->state = REF_FAILED;
    }
    if (r)
        return r;
    r = ARENA_NEW(imp->a, struct openapi_ref);
    openapi_map_put(imp->a, &imp->refs, NULL, key, r);
    const struct jval *target = target_of(imp, text, at, depth);
    r->state = target ? REF_RESOLVING : REF_FAILED;
    if (target)
        target = resolve(imp, target, depth + 1);
    if (r->state == REF_RESOLVING) /* not failed as a cycle meanwhile */
        r->state = target ? REF_OK : REF_FAILED;
    r->target = r->state == REF_OK ? target : NULL;
    return r;
}

static const struct jval *resolve(struct importer *imp, const struct jval *node, unsigned depth)
{
    const char *text = ref_text(node);
    if (text == NULL)
        return node;
    const struct openapi_ref *r = resolve_text(imp, node, text, depth);
    return r->state == REF_OK ? r->target : NULL;
}

const struct jval *openapi_deref(struct importer *imp, const struct jval *node)
{
    return resolve(imp, node, 0);
}

const char *openapi_ref_name(struct importer *imp, const struct jval *node)
{
    (void)imp;
    const char *text = ref_text(node);
    if (text == NULL || text[0] != '#')
        return NULL;
    const char *slash = strrchr(text, '/');
    return slash && slash[1] ? slash + 1 : NULL;
}

/* ---- the whole-document check ---- */

/* Members whose values are data (examples, defaults, enums, extensions):
 * a "$ref" key inside them is not a reference. */
static bool is_data_key(struct str k)
{
    return str_eq(k, STR_LIT("example")) || str_eq(k, STR_LIT("x-example")) ||
           str_eq(k, STR_LIT("default")) || str_eq(k, STR_LIT("enum")) ||
           str_eq(k, STR_LIT("const")) || str_eq(k, STR_LIT("value")) ||
           (k.len >= 2 && k.ptr[0] == 'x' && k.ptr[1] == '-');
}

static void walk_refs(struct importer *imp, const struct jval *v, unsigned depth)
{
    if (v == NULL || (v->kind != JV_OBJECT && v->kind != JV_ARRAY) ||
        depth > OPENAPI_MAX_WALK_DEPTH)
        return;
    /* YAML aliases share subtrees: visit each node once. */
    if (openapi_map_get(&imp->indexed, v, STR_LIT("walked")))
        return;
    openapi_map_put(imp->a, &imp->indexed, v, STR_LIT("walked"), (void *)v);
    if (v->kind == JV_ARRAY) {
        for (size_t i = 0; i < v->u.a.n; i++)
            walk_refs(imp, v->u.a.v[i], depth + 1);
        return;
    }
    if (ref_text(v)) {
        (void)openapi_deref(imp, v);
        return;
    }
    for (size_t i = 0; i < v->u.o.n; i++) {
        const struct jval_member *mb = &v->u.o.v[i];
        if (is_data_key(mb->key))
            continue;
        /* Swagger 2's response "examples" map media types to values. */
        if (!imp->v3 && str_eq(mb->key, STR_LIT("examples")))
            continue;
        walk_refs(imp, mb->value, depth + 1);
    }
}

void openapi_check_refs(struct importer *imp)
{
    walk_refs(imp, imp->doc, 0);
}
