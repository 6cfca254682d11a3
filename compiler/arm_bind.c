/* arm_bind.c - parameters and variables of one template scope: lazy,
 * cycle-checked resolution, and checking values against declarations
 * (types, allowedValues, ranges, lengths, user-defined types). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apim_limits.h"
#include "arm_eval.h"
#include "suggest.h"

struct jval *arm_copy_array(struct arm_ctx *c, struct str name, const struct jval *count,
                            const struct jval *input, bool unnamed_ok, struct loc at);

/* ---- declared types ---- */

static bool type_kind(const char *type, enum jval_kind *kind, bool *secure)
{
    static const struct {
        const char *name;
        enum jval_kind kind;
        bool secure;
    } types[] = {
        { "string", JV_STRING, false }, { "securestring", JV_STRING, true },
        { "int", JV_INT, false },       { "bool", JV_BOOL, false },
        { "object", JV_OBJECT, false }, { "secureobject", JV_OBJECT, true },
        { "array", JV_ARRAY, false },
    };

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (str_ieq_cstr(str_from_cstr(type), types[i].name)) {
            *kind = types[i].kind;
            *secure = types[i].secure;
            return true;
        }
    }
    return false;
}

/* Follows "$ref": "#/definitions/name" (user-defined types). */
static const struct jval *resolve_ref(struct arm_ctx *c, const struct jval *decl)
{
    for (int hops = 0; decl && hops < 16; hops++) {
        const char *ref = jval_get_str(decl, "$ref");
        if (ref == NULL)
            return decl;
        const char *prefix = "#/definitions/";
        if (strncmp(ref, prefix, strlen(prefix)) != 0 || c->definitions == NULL)
            return NULL;
        decl = jval_get(c->definitions, ref + strlen(prefix));
    }
    return NULL;
}

static bool is_true(const struct jval *v)
{
    return v && v->kind == JV_BOOL && v->u.b;
}

/* A declaration is nullable if it says so, or if a type it refers to does
 * ("$ref" to a definition with "nullable": true, as Bicep writes 'T?'). */
static bool nullable(struct arm_ctx *c, const struct jval *decl)
{
    for (int hops = 0; decl && hops < 16; hops++) {
        if (is_true(jval_get(decl, "nullable")))
            return true;
        const char *ref = jval_get_str(decl, "$ref");
        const char *prefix = "#/definitions/";
        if (ref == NULL || strncmp(ref, prefix, strlen(prefix)) != 0 || c->definitions == NULL)
            return false;
        decl = jval_get(c->definitions, ref + strlen(prefix));
    }
    return false;
}

static int64_t length_of(const struct jval *v)
{
    if (v->kind == JV_ARRAY)
        return (int64_t)v->u.a.n;
    int64_t n = 0; /* characters, not bytes */
    for (size_t i = 0; i < v->u.s.len; i++)
        n += ((unsigned char)v->u.s.ptr[i] & 0xC0) != 0x80;
    return n;
}

static const char *show(struct arm_ctx *c, const struct jval *v)
{
    if ((v->flags & JV_F_SECURE) || c->hide_values)
        return "(secure value)";
    struct buf b;
    buf_init(&b, 4096);
    if (jval_write(v, &b) != 0 || b.len > 80) {
        buf_release(&b);
        return arena_printf(c->arena, "(%s %s)", v->kind == JV_ARRAY ? "an" : "a",
                            jval_kind_name(v->kind));
    }
    const char *s = arena_strdup(c->arena, b.data);
    buf_release(&b);
    return s;
}

static const char *list_values(struct arm_ctx *c, const struct jval *allowed)
{
    struct buf b;
    buf_init(&b, 4096);
    for (size_t i = 0; i < allowed->u.a.n && i < 12; i++)
        if (buf_printf(&b, "%s%s", i ? ", " : "", show(c, allowed->u.a.v[i])))
            break;
    if (allowed->u.a.n > 12 && buf_puts(&b, ", ...")) {
        /* truncated list is fine */
    }
    const char *s = arena_strdup(c->arena, b.data ? b.data : "");
    buf_release(&b);
    return s;
}

static bool in_allowed(const struct jval *allowed, const struct jval *v)
{
    for (size_t i = 0; i < allowed->u.a.n; i++)
        if (jval_equal(allowed->u.a.v[i], v, false))
            return true;
    return false;
}

static bool check_allowed(struct arm_ctx *c, const struct jval *decl, const struct jval *v,
                          const char *what, struct loc at)
{
    const struct jval *allowed = jval_get(decl, "allowedValues");
    if (allowed == NULL || allowed->kind != JV_ARRAY)
        return true;
    /* For an array parameter, every element must be an allowed value. */
    if (v->kind == JV_ARRAY && !in_allowed(allowed, v)) {
        for (size_t i = 0; i < v->u.a.n; i++) {
            if (v->u.a.v[i]->kind == JV_UNKNOWN || in_allowed(allowed, v->u.a.v[i]))
                continue;
            diag_emit(c->diag, DC_PARAM_ALLOWED, at,
                      "%s: element %s is not one of the allowed values: %s", what,
                      show(c, v->u.a.v[i]), list_values(c, allowed));
            return false;
        }
        return true;
    }
    if (in_allowed(allowed, v))
        return true;
    struct diag_entry *e =
        diag_emit(c->diag, DC_PARAM_ALLOWED, at, "%s: %s is not one of the allowed values: %s",
                  what, show(c, v), list_values(c, allowed));
    for (size_t i = 0; i < allowed->u.a.n; i++)
        if (v->kind == JV_STRING && jval_equal(allowed->u.a.v[i], v, true))
            diag_note(c->diag, e, allowed->u.a.v[i]->loc,
                      "allowed values are compared with case; this one differs only in case");
    diag_note(c->diag, e, allowed->loc, "allowed values declared here");
    return false;
}

static bool check_ranges(struct arm_ctx *c, const struct jval *decl, const struct jval *v,
                         const char *what, struct loc at)
{
    const struct jval *lo = jval_get(decl, "minValue"), *hi = jval_get(decl, "maxValue");
    if (v->kind == JV_INT) {
        if (lo && lo->kind == JV_INT && v->u.i < lo->u.i) {
            diag_emit(c->diag, DC_PARAM_RANGE, at, "%s: %lld is less than the minimum %lld", what,
                      (long long)v->u.i, (long long)lo->u.i);
            return false;
        }
        if (hi && hi->kind == JV_INT && v->u.i > hi->u.i) {
            diag_emit(c->diag, DC_PARAM_RANGE, at, "%s: %lld is more than the maximum %lld", what,
                      (long long)v->u.i, (long long)hi->u.i);
            return false;
        }
    }
    if (v->kind != JV_STRING && v->kind != JV_ARRAY)
        return true;
    const struct jval *minl = jval_get(decl, "minLength"), *maxl = jval_get(decl, "maxLength");
    int64_t n = length_of(v);
    const char *unit = v->kind == JV_ARRAY ? "items" : "characters";
    if (minl && minl->kind == JV_INT && n < minl->u.i) {
        diag_emit(c->diag, DC_PARAM_LENGTH, at, "%s has %lld %s; the minimum length is %lld", what,
                  (long long)n, unit, (long long)minl->u.i);
        return false;
    }
    if (maxl && maxl->kind == JV_INT && n > maxl->u.i) {
        diag_emit(c->diag, DC_PARAM_LENGTH, at, "%s has %lld %s; the maximum length is %lld", what,
                  (long long)n, unit, (long long)maxl->u.i);
        return false;
    }
    return true;
}

static bool check_value(struct arm_ctx *c, const struct jval *decl, const struct jval *v,
                        const char *what, struct loc at, int depth);

/* "parameter 'a'" + ".b" -> "parameter 'a.b'": the path stays inside the quotes. */
static const char *subpath(struct arm_ctx *c, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static const char *subpath(struct arm_ctx *c, const char *what, const char *fmt, ...)
{
    char tail[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tail, sizeof(tail), fmt, ap);
    va_end(ap);
    size_t n = strlen(what);
    if (n && what[n - 1] == '\'')
        return arena_printf(c->arena, "%.*s%s'", (int)(n - 1), what, tail);
    return arena_printf(c->arena, "%s%s", what, tail);
}

static struct loc here(const struct jval *v, struct loc fallback)
{
    return (v->flags & JV_F_LITERAL) ? v->loc : fallback;
}

static bool check_properties(struct arm_ctx *c, const struct jval *decl, const struct jval *v,
                             const char *what, struct loc at, int depth)
{
    const struct jval *props = jval_get(decl, "properties");
    const struct jval *extra = jval_get(decl, "additionalProperties");
    bool sealed =
        is_true(jval_get(decl, "sealed")) || (extra && extra->kind == JV_BOOL && !extra->u.b);
    bool ok = true;
    if (props && props->kind == JV_OBJECT) {
        for (size_t i = 0; i < props->u.o.n; i++) {
            const struct jval_member *p = &props->u.o.v[i];
            const struct jval *pd = resolve_ref(c, p->value);
            const struct jval *pv = jval_get(v, p->key.ptr);
            const char *sub = subpath(c, what, ".%.*s", (int)p->key.len, p->key.ptr);
            if (pv == NULL) {
                if (pd && !nullable(c, p->value)) {
                    diag_emit(c->diag, DC_PARAM_TYPE, at, "%s: missing required property '%.*s'",
                              what, STR_FMT(p->key));
                    ok = false;
                }
                continue;
            }
            if (pd && (pv->kind != JV_NULL || !nullable(c, p->value)))
                ok &= check_value(c, p->value, pv, sub, here(pv, at), depth + 1);
        }
    }
    for (size_t i = 0; i < v->u.o.n; i++) {
        const struct jval_member *m = &v->u.o.v[i];
        if (props && jval_get(props, m->key.ptr))
            continue;
        if (sealed) {
            diag_emit(c->diag, DC_PARAM_TYPE, (m->value->flags & JV_F_LITERAL) ? m->key_loc : at,
                      "%s: property '%.*s' is not allowed by the declared type", what,
                      STR_FMT(m->key));
            ok = false;
        } else if (extra && extra->kind == JV_OBJECT) {
            const char *sub = subpath(c, what, ".%.*s", (int)m->key.len, m->key.ptr);
            ok &= check_value(c, extra, m->value, sub, here(m->value, at), depth + 1);
        }
    }
    return ok;
}

static bool check_items(struct arm_ctx *c, const struct jval *decl, const struct jval *v,
                        const char *what, struct loc at, int depth)
{
    const struct jval *items = jval_get(decl, "items");
    if (items == NULL || items->kind != JV_OBJECT)
        return true;
    bool ok = true;
    for (size_t i = 0; i < v->u.a.n; i++) {
        const char *sub = subpath(c, what, "[%zu]", i);
        ok &= check_value(c, items, v->u.a.v[i], sub, here(v->u.a.v[i], at), depth + 1);
    }
    return ok;
}

/* A discriminated union picks the declaration by a property's value. */
static const struct jval *discriminate(struct arm_ctx *c, const struct jval *decl,
                                       const struct jval *v, const char *what, struct loc at)
{
    const struct jval *disc = jval_get(decl, "discriminator");
    if (disc == NULL || v->kind != JV_OBJECT)
        return decl;
    const char *prop = jval_get_str(disc, "propertyName");
    const struct jval *mapping = jval_get(disc, "mapping");
    const struct jval *tag = prop ? jval_get(v, prop) : NULL;
    if (tag == NULL || tag->kind != JV_STRING) {
        diag_emit(c->diag, DC_PARAM_TYPE, at, "%s: missing discriminator property '%s'", what,
                  prop ? prop : "?");
        return NULL;
    }
    const struct jval *picked = jval_get(mapping, tag->u.s.ptr);
    if (picked == NULL) {
        diag_emit(c->diag, DC_PARAM_TYPE, at, "%s: '%s' is not a known value of '%s'", what,
                  tag->u.s.ptr, prop);
        return NULL;
    }
    return resolve_ref(c, picked);
}

static bool check_value(struct arm_ctx *c, const struct jval *decl, const struct jval *v,
                        const char *what, struct loc at, int depth)
{
    if (depth > 32 || v->kind == JV_UNKNOWN)
        return true;
    if (v->kind == JV_NULL && nullable(c, decl))
        return true;
    decl = resolve_ref(c, decl);
    if (decl == NULL)
        return true; /* a bad $ref is reported with the declaration */
    decl = discriminate(c, decl, v, what, at);
    if (decl == NULL)
        return false;
    const char *type = jval_get_str(decl, "type");
    enum jval_kind kind;
    bool secure;
    if (type && type_kind(type, &kind, &secure) && v->kind != kind) {
        diag_emit(c->diag, DC_PARAM_TYPE, at, "%s must be %s %s, not %s %s", what,
                  kind == JV_INT || kind == JV_ARRAY || kind == JV_OBJECT ? "an" : "a",
                  jval_kind_name(kind),
                  v->kind == JV_INT || v->kind == JV_ARRAY || v->kind == JV_OBJECT ? "an" : "a",
                  jval_kind_name(v->kind));
        return false;
    }
    if (!check_allowed(c, decl, v, what, at) || !check_ranges(c, decl, v, what, at))
        return false;
    if (v->kind == JV_OBJECT)
        return check_properties(c, decl, v, what, at, depth);
    if (v->kind == JV_ARRAY)
        return check_items(c, decl, v, what, at, depth);
    return true;
}

bool arm_check_declared(struct arm_ctx *c, const struct jval *decl, struct jval *v,
                        const char *what, struct loc at)
{
    return check_value(c, decl, v, what, at, 0);
}

/* ---- parameters ---- */

static struct arm_param *find_param(struct arm_ctx *c, struct str name)
{
    for (size_t i = 0; i < c->nparams; i++)
        if (str_ieq(c->params[i].name, name))
            return &c->params[i];
    return NULL;
}

/* name=value from the command line: the text is read according to the
 * declared type, as `az deployment group` does. */
/* Parses name=value text as JSON. Positions stay those of the whole
 * argument: the parsed copy has the "name=" part blanked out. A secure value
 * is never echoed: its syntax errors are reported without the text. */
static struct jval *parse_text(struct arm_ctx *c, const struct jval *text, bool secure)
{
    const struct source *arg = text->loc.src;
    uint32_t at = text->loc.start, len = arg ? arg->len : 0;
    char *copy = arena_alloc(c->arena, (size_t)len + 1);
    if (arg == NULL || at > len)
        return NULL;
    memset(copy, ' ', at);
    memcpy(copy + at, arg->text + at, len - at);
    copy[len] = '\0';
    struct diag scratch;
    diag_init(&scratch, c->arena);
    struct source *src = source_new(c->diag, arg->name, copy, len);
    src->secret = secure || arg->secret;
    struct jval *v = jval_parse(c->arena, secure ? &scratch : c->diag, src);
    if (v == NULL && secure && scratch.n)
        diag_emit(c->diag, DC_SYNTAX, scratch.v[0]->loc,
                  "the value of a secure parameter is not valid JSON (details hidden: they would "
                  "show the value)");
    diag_release(&scratch);
    return v;
}

/* name=value from the command line: the text is read according to the
 * declared type, as `az deployment group` does. */
static struct jval *from_text(struct arm_ctx *c, const struct arm_param *p, const struct jval *text)
{
    const char *type = jval_get_str(resolve_ref(c, p->decl), "type");
    enum jval_kind kind = JV_STRING;
    bool secure = false;
    if (type == NULL || !type_kind(type, &kind, &secure) || kind == JV_STRING)
        return (struct jval *)text;
    const char *s = text->u.s.ptr;
    if (kind == JV_INT) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno == 0 && end != s && *end == '\0')
            return jval_int(c->arena, text->loc, v);
    } else if (kind == JV_BOOL) {
        if (str_ieq_cstr(text->u.s, "true") || str_ieq_cstr(text->u.s, "false"))
            return jval_bool(c->arena, text->loc, str_ieq_cstr(text->u.s, "true"));
    } else {
        return parse_text(c, text, secure);
    }
    return (struct jval *)text; /* the type check names the problem */
}

static struct jval *mark_secure(struct arm_ctx *c, const struct arm_param *p, struct jval *v)
{
    const char *type = jval_get_str(resolve_ref(c, p->decl), "type");
    enum jval_kind kind;
    bool secure = false;
    if (v == NULL || type == NULL || !type_kind(type, &kind, &secure) || !secure)
        return v;
    struct jval *copy = ARENA_NEW(c->arena, struct jval);
    *copy = *v;
    copy->flags |= JV_F_SECURE;
    return copy;
}

static struct jval *param_default(struct arm_ctx *c, const struct jval *def)
{
    enum arm_place place = c->place;
    struct arm_loop *loops = c->loops;
    struct arm_frame *lambdas = c->lambdas;
    c->place = ARM_IN_PARAMETER_DEFAULT;
    c->loops = NULL;
    c->lambdas = NULL;
    struct jval *v = arm_value(c, def);
    c->place = place;
    c->loops = loops;
    c->lambdas = lambdas;
    return v;
}

static bool ends_with(struct str s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s.len >= n && str_ieq((struct str){ s.ptr + s.len - n, n }, str_from_cstr(suffix));
}

/* "sample-<name>", shaped as what the name says it is: a URL for '...Url',
 * a path for '...UrlTemplate' (API Management checks both). */
static const char *sample_text(struct arm_ctx *c, struct str name)
{
    if (ends_with(name, "url") || ends_with(name, "uri") || ends_with(name, "endpoint"))
        return arena_printf(c->arena, "https://sample-%.*s.example.com", STR_FMT(name));
    if (ends_with(name, "urlTemplate"))
        return arena_printf(c->arena, "/sample-%.*s", STR_FMT(name));
    return arena_printf(c->arena, "sample-%.*s", STR_FMT(name));
}

/* A value of the declared type that meets its constraints: the first allowed
 * value, or "sample-<name>" / minValue / false / [] / {} with the required
 * properties of a user-defined type filled in. */
static struct jval *sample_value(struct arm_ctx *c, const struct jval *decl, struct str name,
                                 struct loc at, int depth)
{
    decl = resolve_ref(c, decl);
    const struct jval *allowed = decl ? jval_get(decl, "allowedValues") : NULL;
    const char *type = decl ? jval_get_str(decl, "type") : NULL;
    enum jval_kind kind = JV_STRING;
    bool secure;
    if (type == NULL || !type_kind(type, &kind, &secure))
        kind = decl && jval_get(decl, "properties") ? JV_OBJECT : JV_STRING;
    if (allowed && allowed->kind == JV_ARRAY && allowed->u.a.n) {
        if (kind != JV_ARRAY)
            return allowed->u.a.v[0];
        struct jval *arr = jval_array(c->arena, at, 1);
        arr->u.a.v[0] = allowed->u.a.v[0];
        return arr;
    }
    const struct jval *minv = jval_get(decl, "minValue"), *minl = jval_get(decl, "minLength");
    const struct jval *maxl = jval_get(decl, "maxLength");
    switch (kind) {
    case JV_INT:
        return jval_int(c->arena, at, minv && minv->kind == JV_INT ? minv->u.i : 1);
    case JV_BOOL:
        return jval_bool(c->arena, at, false);
    case JV_ARRAY: {
        size_t n =
            minl && minl->kind == JV_INT && minl->u.i > 0 && minl->u.i < 8 ? (size_t)minl->u.i : 0;
        struct jval *arr = jval_array(c->arena, at, n);
        for (size_t i = 0; i < n; i++)
            arr->u.a.v[i] = depth < 8
                                ? sample_value(c, jval_get(decl, "items"), name, at, depth + 1)
                                : jval_null(c->arena, at);
        return arr;
    }
    case JV_OBJECT: {
        const struct jval *props = jval_get(decl, "properties");
        size_t n = props && props->kind == JV_OBJECT ? props->u.o.n : 0;
        struct jval *obj = jval_object(c->arena, at, n);
        size_t k = 0;
        for (size_t i = 0; i < n && depth < 8; i++) {
            const struct jval_member *m = &props->u.o.v[i];
            if (nullable(c, m->value))
                continue;
            obj->u.o.v[k++] =
                (struct jval_member){ m->key, at,
                                      sample_value(c, m->value, m->key, at, depth + 1) };
        }
        obj->u.o.n = k;
        return obj;
    }
    default:
        break;
    }
    const char *s = sample_text(c, name);
    size_t len = strlen(s);
    if (maxl && maxl->kind == JV_INT && maxl->u.i >= 1 && (int64_t)len > maxl->u.i)
        len = (size_t)maxl->u.i;
    int64_t want = minl && minl->kind == JV_INT ? minl->u.i : 0;
    if (want > 256)
        want = 256;
    char *out = arena_alloc(c->arena, (size_t)(want > (int64_t)len ? want : (int64_t)len) + 1);
    memcpy(out, s, len);
    while ((int64_t)len < want)
        out[len++] = 'x';
    out[len] = '\0';
    return jval_string(c->arena, at, out, len);
}

/* A sample value, marked so that what is computed from it is known to be a
 * stand-in (JV_F_SAMPLE). */
static struct jval *sample_of(struct arm_ctx *c, const struct jval *decl, struct str name,
                              struct loc at)
{
    struct jval *v = sample_value(c, decl, name, at, 0);
    struct jval *copy = ARENA_NEW(c->arena, struct jval);
    *copy = *v;
    copy->flags |= JV_F_SAMPLE;
    return copy;
}

/* A sample value passed on to a nested deployment whose declaration allows
 * only some values is replaced by that declaration's own sample: the outer
 * template had no value for it, so neither has this one. */
static struct jval *resample(struct arm_ctx *c, const struct arm_param *p, struct jval *v)
{
    const struct jval *decl = resolve_ref(c, p->decl);
    const struct jval *allowed = decl ? jval_get(decl, "allowedValues") : NULL;
    if (v == NULL || !(v->flags & JV_F_SAMPLE) || allowed == NULL || allowed->kind != JV_ARRAY ||
        in_allowed(allowed, v))
        return v;
    return sample_of(c, p->decl, p->name, v->loc);
}

static struct jval *bind_param(struct arm_ctx *c, struct arm_param *p)
{
    const char *what = arena_printf(c->arena, "parameter '%.*s'", STR_FMT(p->name));
    const struct arm_param_value *s = p->supplied;
    struct jval *def = jval_get(p->decl, "defaultValue");
    struct jval *v;
    struct loc at;
    if (s && s->is_reference)
        return jval_unknown(c->arena, s->name_loc, "a Key Vault reference");
    if (s && s->invalid)
        return jval_poison(c->arena, s->name_loc);
    /* A null value counts as no value: the default applies (Bicep passes
     * tryGet(...) results to optional module parameters this way). */
    if (s && !s->from_text && s->value && s->value->kind == JV_NULL &&
        (def || nullable(c, p->decl)))
        s = NULL;
    if (s) {
        v = s->from_text ? from_text(c, p, s->value) : s->value;
        at = s->value ? s->value->loc : s->name_loc;
        v = resample(c, p, v);
    } else if (def) {
        v = param_default(c, def);
        at = def->loc;
    } else if (nullable(c, p->decl)) {
        return jval_null(c->arena, p->name_loc);
    } else if (c->env->sample_parameters) {
        v = sample_of(c, p->decl, p->name, p->name_loc);
        at = p->name_loc;
        struct buf shown;
        buf_init(&shown, 4096);
        if (jval_write(v, &shown) == 0)
            diag_emit_level(c->diag, DIAG_NOTE, DC_MISSING_PARAMETER, p->name_loc,
                            "parameter '%.*s' has no value; using the sample value %s",
                            STR_FMT(p->name), shown.data);
        buf_release(&shown);
    } else if (c->deployment_depth > 0) {
        diag_emit(c->diag, DC_MISSING_PARAMETER, p->name_loc,
                  "no value for parameter '%.*s'; it has no default value, so the nested "
                  "deployment '%s' must pass it in properties.parameters",
                  STR_FMT(p->name), c->deployment_name);
        return NULL;
    } else {
        diag_emit(c->diag, DC_MISSING_PARAMETER, p->name_loc,
                  "no value for parameter '%.*s'; it has no default value, so pass it with "
                  "--parameters %.*s=VALUE or a parameters file",
                  STR_FMT(p->name), STR_FMT(p->name));
        return NULL;
    }
    v = mark_secure(c, p, v);
    if (v && (v->flags & JV_F_SECURE) && s && s->from_text && s->value->loc.src)
        ((struct source *)s->value->loc.src)->secret = true; /* no excerpt of name=secret */
    bool hide = c->hide_values;
    c->hide_values = hide || (v && (v->flags & JV_F_SECURE));
    bool ok = v && arm_check_declared(c, p->decl, v, what, at);
    c->hide_values = hide;
    return ok ? v : NULL;
}

static struct jval *resolve_param(struct arm_ctx *c, struct arm_param *p, struct loc at)
{
    switch (p->state) {
    case ARM_RESOLVED:
        return p->value;
    case ARM_FAILED:
        return NULL;
    case ARM_RESOLVING: {
        struct diag_entry *e = diag_emit(c->diag, DC_CYCLE, at,
                                         "parameter '%.*s' depends on itself", STR_FMT(p->name));
        diag_note(c->diag, e, p->name_loc, "parameter declared here");
        return NULL;
    }
    case ARM_UNRESOLVED:
        break;
    }
    p->state = ARM_RESOLVING;
    p->value = bind_param(c, p);
    p->state = p->value ? ARM_RESOLVED : ARM_FAILED;
    return p->value;
}

static struct jval *function_argument(struct arm_ctx *c, struct str name, struct loc at)
{
    const struct arm_frame *f = c->user_args;
    for (size_t i = 0; i < f->n; i++)
        if (str_ieq(f->names[i], name))
            return f->values[i];
    diag_emit(c->diag, DC_UNDEFINED_PARAMETER, at,
              "the function has no parameter '%.*s' (template parameters are not visible inside "
              "user-defined functions)",
              STR_FMT(name));
    return NULL;
}

struct jval *arm_parameter(struct arm_ctx *c, struct str name, struct loc at)
{
    if (c->user_args)
        return function_argument(c, name, at);
    struct arm_param *p = find_param(c, name);
    if (p)
        return resolve_param(c, p, at);
    struct str *names = ARENA_ARRAY(c->arena, struct str, c->nparams + 1);
    for (size_t i = 0; i < c->nparams; i++)
        names[i] = c->params[i].name;
    const char *hint = suggest(name, names, c->nparams);
    struct diag_entry *e = diag_emit(c->diag, DC_UNDEFINED_PARAMETER, at,
                                     "parameter '%.*s' is not declared", STR_FMT(name));
    if (hint)
        diag_note(c->diag, e, at, "did you mean '%s'?", hint);
    return NULL;
}

/* ---- variables ---- */

static struct jval *bind_variable(struct arm_ctx *c, struct arm_var *v)
{
    enum arm_place place = c->place;
    struct arm_loop *loops = c->loops;
    struct arm_frame *lambdas = c->lambdas;
    c->place = ARM_IN_VARIABLES;
    c->loops = NULL;
    c->lambdas = NULL;
    struct jval *out;
    if (v->is_copy)
        out = arm_copy_array(c, v->name, jval_get(v->decl, "count"), jval_get(v->decl, "input"),
                             false, v->decl->loc);
    else
        out = arm_value(c, v->decl);
    c->place = place;
    c->loops = loops;
    c->lambdas = lambdas;
    return out;
}

struct jval *arm_variable(struct arm_ctx *c, struct str name, struct loc at)
{
    if (c->place == ARM_IN_USER_FUNCTION || c->place == ARM_IN_PARAMETER_DEFAULT) {
        diag_emit(c->diag, DC_NOT_ALLOWED_HERE, at,
                  c->place == ARM_IN_USER_FUNCTION
                      ? "variables cannot be used inside a user-defined function"
                      : "variables cannot be used in a parameter's default value; parameters are "
                        "evaluated before variables");
        return NULL;
    }
    struct arm_var *v = NULL;
    for (size_t i = 0; i < c->nvars && v == NULL; i++)
        if (str_ieq(c->vars[i].name, name))
            v = &c->vars[i];
    if (v == NULL) {
        struct str *names = ARENA_ARRAY(c->arena, struct str, c->nvars + 1);
        for (size_t i = 0; i < c->nvars; i++)
            names[i] = c->vars[i].name;
        const char *hint = suggest(name, names, c->nvars);
        struct diag_entry *e = diag_emit(c->diag, DC_UNDEFINED_VARIABLE, at,
                                         "variable '%.*s' is not declared", STR_FMT(name));
        if (hint)
            diag_note(c->diag, e, at, "did you mean '%s'?", hint);
        return NULL;
    }
    switch (v->state) {
    case ARM_RESOLVED:
        return v->value;
    case ARM_FAILED:
        return NULL;
    case ARM_RESOLVING: {
        struct diag_entry *e =
            diag_emit(c->diag, DC_CYCLE, at, "variable '%.*s' depends on itself", STR_FMT(v->name));
        diag_note(c->diag, e, v->name_loc, "variable declared here");
        return NULL;
    }
    case ARM_UNRESOLVED:
        break;
    }
    v->state = ARM_RESOLVING;
    v->value = bind_variable(c, v);
    v->state = v->value ? ARM_RESOLVED : ARM_FAILED;
    return v->value;
}
