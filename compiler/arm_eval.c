#include "arm_eval.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apim_limits.h"
#include "suggest.h"

/* ---- diagnostics helpers ---- */

struct loc arm_arg_loc(const struct arm_call *k, size_t i)
{
    if (i < k->e->nargs)
        return k->e->args[i]->loc;
    return k->e->loc;
}

static const char *article(enum jval_kind k)
{
    return k == JV_ARRAY || k == JV_OBJECT || k == JV_INT ? "an" : "a";
}

bool arm_want(struct arm_call *k, size_t i, enum jval_kind kind)
{
    enum jval_kind got = k->args[i]->kind;
    if (got == kind)
        return true;
    diag_emit(k->c->diag, DC_ARG_TYPE, arm_arg_loc(k, i),
              "argument %zu of '%.*s' must be %s %s, not %s %s", i + 1, STR_FMT(k->e->name),
              article(kind), jval_kind_name(kind), article(got), jval_kind_name(got));
    return false;
}

struct jval *arm_fail(struct arm_call *k, enum diag_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit_level(k->c->diag, diag_code_level(code), code, k->e->loc, fmt, ap);
    va_end(ap);
    return NULL;
}

/* ---- strings and expressions ---- */

/* A literal that is almost an expression is the classic ARM trap: Azure
 * deploys it as plain text, so the "expression" silently never runs. */
static void check_bracket_trap(struct arm_ctx *c, const struct jval *str)
{
    struct str s = str->u.s;
    size_t b = 0, e = s.len;
    while (b < e && (s.ptr[b] == ' ' || s.ptr[b] == '\t' || s.ptr[b] == '\n' || s.ptr[b] == '\r'))
        b++;
    while (e > b && (s.ptr[e - 1] == ' ' || s.ptr[e - 1] == '\t' || s.ptr[e - 1] == '\n' ||
                     s.ptr[e - 1] == '\r'))
        e--;
    if (e - b < 2 || s.ptr[b] != '[' || s.ptr[e - 1] != ']' || (b == 0 && e == s.len))
        return;
    if (s.ptr[b + 1] == '[')
        return;
    diag_emit(c->diag, DC_BRACKET_TRAP, str->loc,
              "string looks like an expression but is not one: whitespace around '[...]' makes "
              "ARM treat it as literal text");
}

static struct jval *eval_expression_string(struct arm_ctx *c, const struct jval *str)
{
    struct arm_expr *e = arm_expr_parse(c->arena, c->diag, str);
    if (e == NULL)
        return jval_poison(c->arena, str->loc);
    struct jval *v = arm_eval_expr(c, e);
    if (v == NULL)
        return jval_poison(c->arena, str->loc);
    if (v && v->kind != JV_OBJECT && v->kind != JV_ARRAY) {
        /* The value now stands for the whole string in later messages. */
        struct jval *copy = ARENA_NEW(c->arena, struct jval);
        *copy = *v;
        copy->flags &= ~(unsigned)(JV_F_LITERAL | JV_F_ESCAPED | JV_F_VERBATIM);
        copy->loc = str->loc;
        copy->origin = (v->flags & JV_F_LITERAL) ? v : v->origin;
        v = copy;
    }
    return v;
}

struct jval *arm_eval_string(struct arm_ctx *c, const struct jval *str)
{
    switch (arm_string_form(str->u.s)) {
    case ARM_LITERAL:
        check_bracket_trap(c, str);
        return (struct jval *)str;
    case ARM_ESCAPED:
        return jval_string(c->arena, str->loc, str->u.s.ptr + 1, str->u.s.len - 1);
    case ARM_EXPRESSION:
        break;
    }
    return eval_expression_string(c, str);
}

/* ---- whole values: strings anywhere, property copy loops ---- */

static bool is_property_copy(const struct jval *v)
{
    if (v->kind != JV_ARRAY || v->u.a.n == 0)
        return false;
    for (size_t i = 0; i < v->u.a.n; i++) {
        const struct jval *e = v->u.a.v[i];
        if (!jval_get(e, "name") || !jval_get(e, "count") || !jval_get(e, "input"))
            return false;
    }
    return true;
}

/* Evaluates a copy count: an int in [0, 800]. */
static bool copy_count(struct arm_ctx *c, const struct jval *decl, int64_t *out)
{
    struct jval *n = arm_value(c, decl);
    if (n == NULL)
        return false;
    if (n->kind == JV_UNKNOWN) {
        if (!jval_is_poison(n))
            diag_emit(c->diag, DC_DEPLOY_TIME, decl->loc,
                      "copy count is known only at deployment time; no copies evaluated");
        *out = 0;
        return true;
    }
    if (n->kind != JV_INT) {
        diag_emit(c->diag, DC_COPY, decl->loc, "copy count must be an int, not %s %s",
                  article(n->kind), jval_kind_name(n->kind));
        return false;
    }
    if (n->u.i < 0 || n->u.i > APIM_MAX_COPY_COUNT) {
        diag_emit(c->diag, DC_COPY, decl->loc, "copy count %lld is outside 0..%d",
                  (long long)n->u.i, APIM_MAX_COPY_COUNT);
        return false;
    }
    *out = n->u.i;
    return true;
}

struct jval *arm_copy_array(struct arm_ctx *c, struct str name, const struct jval *count,
                            const struct jval *input, bool unnamed_ok, struct loc at);

struct jval *arm_copy_array(struct arm_ctx *c, struct str name, const struct jval *count,
                            const struct jval *input, bool unnamed_ok, struct loc at)
{
    int64_t n;
    if (!copy_count(c, count, &n))
        return NULL;
    struct jval *arr = jval_array(c->arena, at, (size_t)n);
    struct arm_loop loop = { name, 0, unnamed_ok, c->loops };
    c->loops = &loop;
    bool ok = true;
    for (int64_t i = 0; i < n && ok; i++) {
        loop.index = i;
        arr->u.a.v[i] = arm_value(c, input);
        ok = arr->u.a.v[i] != NULL;
    }
    c->loops = loop.up;
    return ok ? arr : NULL;
}

/* "copy": [{ "name": "x", "count": n, "input": ... }] inside an object makes
 * a property x holding n evaluated inputs. */
static bool expand_property_copy(struct arm_ctx *c, const struct jval *loops,
                                 struct jval_member *out, size_t *nout)
{
    bool ok = true;
    for (size_t i = 0; i < loops->u.a.n; i++) {
        const struct jval *l = loops->u.a.v[i];
        struct jval *name = arm_value(c, jval_get(l, "name"));
        if (name == NULL || name->kind != JV_STRING) {
            if (name)
                diag_emit(c->diag, DC_COPY, jval_get(l, "name")->loc,
                          "copy 'name' must be a string");
            ok = false;
            continue;
        }
        struct jval *arr =
            arm_copy_array(c, name->u.s, jval_get(l, "count"), jval_get(l, "input"), false, l->loc);
        if (arr == NULL) {
            ok = false;
            continue;
        }
        out[*nout].key = name->u.s;
        out[*nout].key_loc = jval_get_member(l, "name")->key_loc;
        out[*nout].value = arr;
        (*nout)++;
    }
    return ok;
}

/* A key that is an expression ("[format('{0}', x)]": value, as Bicep writes
 * interpolated keys; "[concat('hidden-link:', ...)]" in tags) names the
 * member by its value, which must be a string. Returns the evaluated key
 * (a string, an unknown or a poison), or NULL after an error. */
static struct jval *object_key(struct arm_ctx *c, const struct jval_member *m)
{
    struct jval *k = jval_string(c->arena, m->key_loc, m->key.ptr, m->key.len);
    const struct source *src = m->key_loc.src;
    if (src && m->key_loc.end >= m->key_loc.start + 2 && m->key_loc.end <= src->len &&
        src->text[m->key_loc.start] == '"') {
        k->flags |= JV_F_LITERAL;
        if (memchr(src->text + m->key_loc.start, '\\', m->key_loc.end - m->key_loc.start))
            k->flags |= JV_F_ESCAPED;
    }
    struct jval *v = arm_eval_string(c, k);
    if (v == NULL || v->kind == JV_STRING || v->kind == JV_UNKNOWN)
        return v;
    diag_emit(c->diag, DC_EVAL, m->key_loc, "an object key must be a string, not %s %s",
              article(v->kind), jval_kind_name(v->kind));
    return NULL;
}

static struct jval *value_object(struct arm_ctx *c, const struct jval *v)
{
    size_t extra = 0;
    for (size_t i = 0; i < v->u.o.n; i++)
        if (str_ieq_cstr(v->u.o.v[i].key, "copy") && is_property_copy(v->u.o.v[i].value))
            extra += v->u.o.v[i].value->u.a.n;
    struct jval *out = jval_object(c->arena, v->loc, v->u.o.n + extra);
    out->flags = v->flags;
    size_t n = 0;
    bool same = extra == 0, ok = true;
    struct jval *unknown = NULL;
    for (size_t i = 0; i < v->u.o.n; i++) {
        const struct jval_member *m = &v->u.o.v[i];
        if (str_ieq_cstr(m->key, "copy") && is_property_copy(m->value)) {
            ok &= expand_property_copy(c, m->value, out->u.o.v, &n);
            continue;
        }
        struct str key = m->key;
        if (arm_string_form(key) != ARM_LITERAL) {
            struct jval *k = object_key(c, m);
            if (k == NULL || k->kind == JV_UNKNOWN) {
                ok &= k != NULL;
                unknown = unknown ? unknown : k;
                continue;
            }
            key = k->u.s;
            same = false;
        }
        struct jval *ev = arm_value(c, m->value);
        if (ev == NULL) {
            ok = false;
            continue;
        }
        same &= ev == m->value;
        out->u.o.v[n++] = (struct jval_member){ key, m->key_loc, ev };
    }
    out->u.o.n = n;
    if (!ok)
        return NULL;
    if (unknown) /* which members it has is known only at deployment */
        return jval_is_poison(unknown) ? unknown
                                       : jval_unknown(c->arena, v->loc,
                                                      "an object key known "
                                                      "at deployment");
    return same ? (struct jval *)v : out;
}

static struct jval *value_array(struct arm_ctx *c, const struct jval *v)
{
    struct jval *out = jval_array(c->arena, v->loc, v->u.a.n);
    out->flags = v->flags;
    bool same = true, ok = true;
    for (size_t i = 0; i < v->u.a.n; i++) {
        out->u.a.v[i] = arm_value(c, v->u.a.v[i]);
        if (out->u.a.v[i] == NULL)
            ok = false;
        else
            same &= out->u.a.v[i] == v->u.a.v[i];
    }
    if (!ok)
        return NULL;
    return same ? (struct jval *)v : out;
}

struct jval *arm_value(struct arm_ctx *c, const struct jval *v)
{
    if (v == NULL)
        return NULL;
    switch (v->kind) {
    case JV_STRING:
        return arm_eval_string(c, v);
    case JV_OBJECT:
        return value_object(c, v);
    case JV_ARRAY:
        return value_array(c, v);
    default:
        return (struct jval *)v;
    }
}

/* ---- expressions ---- */

bool arm_is_open(const struct jval *v)
{
    return v && (v->flags & (JV_F_OPEN | JV_F_SAMPLE));
}

struct jval *arm_open_child(struct arena *a, const struct jval *parent, struct jval *child)
{
    unsigned flags = parent->flags & (JV_F_OPEN | JV_F_SAMPLE);
    if (child == NULL || flags == 0 || (child->flags & flags) == flags)
        return child;
    /* Scalars too: a sample string split() into parts is still a sample. */
    struct jval *copy = arena_alloc(a, sizeof(*copy));
    *copy = *child;
    copy->flags |= flags;
    return copy;
}

static struct jval *member(struct arm_ctx *c, struct jval *obj, struct str name, struct loc at,
                           struct loc whole)
{
    switch (obj->kind) {
    case JV_UNKNOWN:
        return obj->flags & JV_F_POISON ? obj : jval_unknown(c->arena, whole, obj->u.why);
    case JV_OBJECT: {
        for (size_t i = obj->u.o.n; i-- > 0;)
            if (str_ieq(obj->u.o.v[i].key, name))
                return arm_open_child(c->arena, obj, obj->u.o.v[i].value);
        if (arm_is_open(obj))
            return jval_unknown(c->arena, whole,
                                (obj->flags & JV_F_OPEN) ? "a property set by the resource provider"
                                                         : "a member of a sample value");
        struct str keys[64];
        size_t nk = obj->u.o.n < 64 ? obj->u.o.n : 64;
        for (size_t i = 0; i < nk; i++)
            keys[i] = obj->u.o.v[i].key;
        const char *hint = suggest(name, keys, nk);
        struct diag_entry *e = diag_emit(c->diag, DC_NO_PROPERTY, at,
                                         "the object has no property '%.*s'", STR_FMT(name));
        if (hint)
            diag_note(c->diag, e, at, "did you mean '%s'?", hint);
        return NULL;
    }
    case JV_NULL:
        diag_emit(c->diag, DC_NO_PROPERTY, at,
                  "cannot read property '%.*s' of null; use tryGet() when it may be missing",
                  STR_FMT(name));
        return NULL;
    default:
        diag_emit(c->diag, DC_NO_PROPERTY, at, "cannot read property '%.*s' of %s %s",
                  STR_FMT(name), article(obj->kind), jval_kind_name(obj->kind));
        return NULL;
    }
}

static struct jval *index_value(struct arm_ctx *c, const struct arm_expr *e, struct jval *obj,
                                struct jval *idx)
{
    if (jval_is_poison(obj) || jval_is_poison(idx))
        return jval_is_poison(obj) ? obj : idx;
    if (obj->kind == JV_UNKNOWN || idx->kind == JV_UNKNOWN)
        return jval_unknown(c->arena, e->loc, "a value known at deployment");
    if (obj->kind == JV_ARRAY && idx->kind == JV_INT) {
        if ((idx->u.i < 0 || (uint64_t)idx->u.i >= obj->u.a.n) && arm_is_open(obj))
            return jval_unknown(c->arena, e->loc, "an item of a sample or deployed value");
        if (idx->u.i < 0 || (uint64_t)idx->u.i >= obj->u.a.n) {
            diag_emit(c->diag, DC_NO_PROPERTY, e->index->loc,
                      "index %lld is out of range for an array of %zu items", (long long)idx->u.i,
                      obj->u.a.n);
            return NULL;
        }
        return arm_open_child(c->arena, obj, obj->u.a.v[idx->u.i]);
    }
    if (obj->kind == JV_OBJECT && idx->kind == JV_STRING)
        return member(c, obj, idx->u.s, e->index->loc, e->loc);
    if (obj->kind == JV_NULL) {
        diag_emit(c->diag, DC_NO_PROPERTY, e->loc, "cannot index null");
        return NULL;
    }
    diag_emit(c->diag, DC_ARG_TYPE, e->index->loc, "cannot index %s %s with %s %s",
              article(obj->kind), jval_kind_name(obj->kind), article(idx->kind),
              jval_kind_name(idx->kind));
    return NULL;
}

static struct jval *call_user_function(struct arm_ctx *c, const struct arm_expr *e);

static bool allowed_here(struct arm_ctx *c, const struct arm_func *f, const struct arm_expr *e)
{
    if ((f->flags & ARM_FN_PARAM_DEFAULT_ONLY) && c->place != ARM_IN_PARAMETER_DEFAULT) {
        diag_emit(c->diag, DC_NOT_ALLOWED_HERE, e->name_loc,
                  "'%.*s' may only be used in the default value of a parameter", STR_FMT(e->name));
        return false;
    }
    if ((f->flags & ARM_FN_NOT_IN_VARIABLES) &&
        (c->place == ARM_IN_VARIABLES || c->place == ARM_IN_PARAMETER_DEFAULT)) {
        diag_emit(c->diag, DC_NOT_ALLOWED_HERE, e->name_loc,
                  "'%.*s' cannot be used in %s; it needs a deployed resource", STR_FMT(e->name),
                  c->place == ARM_IN_VARIABLES ? "variables" : "parameter defaults");
        return false;
    }
    return true;
}

static struct jval *unknown_function(struct arm_ctx *c, const struct arm_expr *e)
{
    /* list* functions are actions of the resource provider (listKeys,
     * listSecrets, listCallbackUrl, ...): their results exist only in Azure. */
    if (str_istarts_with(e->name, "list") && e->name.len > 4 && e->nargs >= 2) {
        if (c->place == ARM_IN_VARIABLES || c->place == ARM_IN_PARAMETER_DEFAULT) {
            diag_emit(c->diag, DC_NOT_ALLOWED_HERE, e->name_loc,
                      "'%.*s' cannot be used in %s; it needs a deployed resource", STR_FMT(e->name),
                      c->place == ARM_IN_VARIABLES ? "variables" : "parameter defaults");
            return NULL;
        }
        for (size_t i = 0; i < e->nargs; i++)
            if (arm_eval_expr(c, e->args[i]) == NULL)
                return NULL;
        return jval_unknown(c->arena, e->loc, arena_printf(c->arena, "%.*s()", STR_FMT(e->name)));
    }
    size_t n;
    const struct arm_func *all = arm_functions(&n);
    struct str *names = xmalloc(n * sizeof(*names));
    for (size_t i = 0; i < n; i++)
        names[i] = str_from_cstr(all[i].name);
    const char *hint = suggest(e->name, names, n);
    free(names);
    struct diag_entry *d = diag_emit(c->diag, DC_UNKNOWN_FUNCTION, e->name_loc,
                                     "unknown function '%.*s'", STR_FMT(e->name));
    if (hint)
        diag_note(c->diag, d, e->name_loc, "did you mean '%s'?", hint);
    return NULL;
}

static bool check_arg_count(struct arm_ctx *c, const struct arm_func *f, const struct arm_expr *e)
{
    if (e->nargs >= f->min_args && (f->max_args == ARM_ANY_ARGS || e->nargs <= f->max_args))
        return true;
    const char *s = f->min_args == 1 ? "" : "s";
    if (f->max_args == ARM_ANY_ARGS)
        diag_emit(c->diag, DC_ARG_COUNT, e->loc, "'%s' takes at least %u argument%s, got %zu",
                  f->name, f->min_args, s, e->nargs);
    else if (f->min_args == f->max_args)
        diag_emit(c->diag, DC_ARG_COUNT, e->loc, "'%s' takes %u argument%s, got %zu", f->name,
                  f->min_args, s, e->nargs);
    else
        diag_emit(c->diag, DC_ARG_COUNT, e->loc, "'%s' takes %u to %u arguments, got %zu", f->name,
                  f->min_args, f->max_args, e->nargs);
    return false;
}

static struct jval *call(struct arm_ctx *c, const struct arm_expr *e)
{
    if (e->ns.len)
        return call_user_function(c, e);
    const struct arm_func *f = arm_find_function(e->name);
    if (f == NULL)
        return unknown_function(c, e);
    if (!check_arg_count(c, f, e) || !allowed_here(c, f, e))
        return NULL;
    struct arm_call k = { c, e, NULL, e->nargs };
    if (f->flags & ARM_FN_LAZY)
        return f->fn(&k);
    k.args = ARENA_ARRAY(c->arena, struct jval *, e->nargs + 1);
    bool ok = true, unknown = false;
    struct jval *poison = NULL;
    for (size_t i = 0; i < e->nargs; i++) {
        k.args[i] = arm_eval_expr(c, e->args[i]);
        ok &= k.args[i] != NULL;
        unknown |= k.args[i] && k.args[i]->kind == JV_UNKNOWN;
        if (jval_is_poison(k.args[i]))
            poison = k.args[i];
    }
    if (!ok)
        return NULL;
    if (poison)
        return poison;
    if (unknown && !(f->flags & ARM_FN_KEEPS_UNKNOWN))
        return jval_unknown(c->arena, e->loc, "a value known at deployment");
    struct jval *v = f->fn(&k);
    /* What is computed from a sample value is a sample too: indexing
     * split(sample, '/') past its end is unknown, not an error. */
    for (size_t i = 0; v && v->kind != JV_UNKNOWN && i < e->nargs; i++)
        if (k.args[i]->flags & JV_F_SAMPLE) {
            struct jval sample = { .flags = JV_F_SAMPLE };
            return arm_open_child(c->arena, &sample, v);
        }
    return v;
}

struct jval *arm_eval_expr(struct arm_ctx *c, const struct arm_expr *e)
{
    if (c->depth >= APIM_MAX_EVAL_DEPTH) {
        diag_emit(c->diag, DC_EVAL, e->loc, "expression evaluation is nested too deeply");
        return NULL;
    }
    c->depth++;
    struct jval *v = NULL;
    switch (e->kind) {
    case ARM_E_STRING:
        v = jval_string(c->arena, e->loc, e->name.ptr, e->name.len);
        break;
    case ARM_E_INT:
        v = jval_int(c->arena, e->loc, e->i);
        break;
    case ARM_E_BOOL:
        v = jval_bool(c->arena, e->loc, e->i != 0);
        break;
    case ARM_E_NULL:
        v = jval_null(c->arena, e->loc);
        break;
    case ARM_E_MEMBER: {
        struct jval *obj = arm_eval_expr(c, e->obj);
        v = obj ? member(c, obj, e->name, e->name_loc, e->loc) : NULL;
        break;
    }
    case ARM_E_INDEX: {
        struct jval *obj = arm_eval_expr(c, e->obj);
        struct jval *idx = obj ? arm_eval_expr(c, e->index) : NULL;
        v = idx ? index_value(c, e, obj, idx) : NULL;
        break;
    }
    case ARM_E_CALL:
        v = call(c, e);
        break;
    }
    c->depth--;
    return v;
}

/* ---- lambdas ---- */

bool arm_check_lambda(struct arm_call *k, size_t i, size_t min_params, size_t max_params)
{
    const struct arm_expr *l = k->e->args[i];
    if (l->kind != ARM_E_CALL || l->ns.len || !str_ieq_cstr(l->name, "lambda") || l->nargs < 2) {
        diag_emit(k->c->diag, DC_ARG_TYPE, l->loc,
                  "argument %zu of '%.*s' must be a lambda(...) expression", i + 1,
                  STR_FMT(k->e->name));
        return false;
    }
    size_t np = l->nargs - 1;
    for (size_t p = 0; p < np; p++) {
        if (l->args[p]->kind != ARM_E_STRING) {
            diag_emit(k->c->diag, DC_ARG_TYPE, l->args[p]->loc,
                      "lambda parameter names must be string literals");
            return false;
        }
    }
    if (np < min_params || np > max_params) {
        diag_emit(k->c->diag, DC_ARG_COUNT, l->loc,
                  "the lambda given to '%.*s' must take %zu%s parameter%s, not %zu",
                  STR_FMT(k->e->name), min_params, max_params > min_params ? " or more" : "",
                  min_params == 1 ? "" : "s", np);
        return false;
    }
    return true;
}

struct jval *arm_apply_lambda(struct arm_ctx *c, const struct arm_expr *lambda, struct jval **vals,
                              size_t n)
{
    size_t np = lambda->nargs - 1;
    struct str names[8];
    struct jval *values[8];
    size_t used = np < 8 ? np : 8;
    for (size_t i = 0; i < used; i++) {
        names[i] = lambda->args[i]->name;
        values[i] = i < n ? vals[i] : jval_null(c->arena, lambda->loc);
    }
    struct arm_frame f = { names, values, used, c->lambdas };
    c->lambdas = &f;
    struct jval *v = arm_eval_expr(c, lambda->args[np]);
    c->lambdas = f.up;
    return v;
}

/* ---- user-defined functions ---- */

static const struct jval *find_user_function(struct arm_ctx *c, struct str ns, struct str name)
{
    if (c->functions == NULL || c->functions->kind != JV_ARRAY)
        return NULL;
    for (size_t i = 0; i < c->functions->u.a.n; i++) {
        const struct jval *space = c->functions->u.a.v[i];
        struct jval *n = jval_get(space, "namespace");
        if (n == NULL || n->kind != JV_STRING || !str_ieq(n->u.s, ns))
            continue;
        struct jval *members = jval_get(space, "members");
        if (members == NULL || members->kind != JV_OBJECT)
            continue;
        for (size_t m = 0; m < members->u.o.n; m++)
            if (str_ieq(members->u.o.v[m].key, name))
                return members->u.o.v[m].value;
    }
    return NULL;
}

static struct jval *call_user_function(struct arm_ctx *c, const struct arm_expr *e)
{
    const struct jval *fn = find_user_function(c, e->ns, e->name);
    if (fn == NULL) {
        diag_emit(c->diag, DC_UNKNOWN_FUNCTION, e->name_loc, "unknown function '%.*s.%.*s'",
                  STR_FMT(e->ns), STR_FMT(e->name));
        return NULL;
    }
    if (c->place == ARM_IN_USER_FUNCTION) {
        diag_emit(c->diag, DC_NOT_ALLOWED_HERE, e->name_loc,
                  "a user-defined function cannot call another user-defined function");
        return NULL;
    }
    const struct jval *params = jval_get(fn, "parameters");
    size_t np = params && params->kind == JV_ARRAY ? params->u.a.n : 0;
    if (e->nargs != np) {
        diag_emit(c->diag, DC_ARG_COUNT, e->loc, "'%.*s.%.*s' takes %zu argument%s, got %zu",
                  STR_FMT(e->ns), STR_FMT(e->name), np, np == 1 ? "" : "s", e->nargs);
        return NULL;
    }
    struct str *names = ARENA_ARRAY(c->arena, struct str, np + 1);
    struct jval **vals = ARENA_ARRAY(c->arena, struct jval *, np + 1);
    for (size_t i = 0; i < np; i++) {
        const char *pn = jval_get_str(params->u.a.v[i], "name");
        names[i] = str_from_cstr(pn ? pn : "");
        vals[i] = arm_eval_expr(c, e->args[i]);
        if (vals[i] == NULL)
            return NULL;
    }
    const struct jval *output = jval_get(fn, "output");
    struct jval *body = jval_get(output, "value");
    if (body == NULL) {
        diag_emit(c->diag, DC_EVAL, e->name_loc, "function '%.*s.%.*s' has no output value",
                  STR_FMT(e->ns), STR_FMT(e->name));
        return NULL;
    }
    struct arm_frame frame = { names, vals, np, NULL };
    struct arm_frame *saved_args = c->user_args, *saved_lambdas = c->lambdas;
    struct arm_loop *saved_loops = c->loops;
    enum arm_place saved_place = c->place;
    c->user_args = &frame;
    c->lambdas = NULL;
    c->loops = NULL;
    c->place = ARM_IN_USER_FUNCTION;
    struct jval *v = arm_value(c, body);
    c->user_args = saved_args;
    c->lambdas = saved_lambdas;
    c->loops = saved_loops;
    c->place = saved_place;
    return v;
}
