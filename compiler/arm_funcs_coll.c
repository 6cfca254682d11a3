/* arm_funcs_coll.c - ARM template functions on arrays and objects, and the
 * lambda functions (filter, map, reduce, sort, toObject, groupBy, mapValues). */
#include <stdlib.h>
#include <string.h>

#include "apim_limits.h"
#include "arm_funcs.h"

#define ARG(i) (k->args[(i)])
#define LOC    (k->e->loc)
#define A      (k->c->arena)

/* A growable array result. */
struct list {
    struct jval **v;
    size_t n, cap;
};

static bool push(struct arm_call *k, struct list *l, struct jval *v)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        if (cap > APIM_MAX_VALUE_ITEMS * 2) {
            diag_emit(k->c->diag, DC_VALUE_TOO_LARGE, LOC, "'%.*s' would build more than %u items",
                      STR_FMT(k->e->name), APIM_MAX_VALUE_ITEMS);
            return false;
        }
        struct jval **nv = ARENA_ARRAY(A, struct jval *, cap);
        if (l->n)
            memcpy(nv, l->v, l->n * sizeof(*nv));
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = v;
    return true;
}

static struct jval *as_array(struct arm_call *k, struct list *l)
{
    struct jval *out = jval_array(A, LOC, 0);
    out->u.a.v = l->v;
    out->u.a.n = l->n;
    return out;
}

static bool contains_value(const struct list *l, const struct jval *v)
{
    for (size_t i = 0; i < l->n; i++)
        if (jval_equal(l->v[i], v, false))
            return true;
    return false;
}

/* ---- building ---- */

static struct jval *f_array(struct arm_call *k)
{
    if (ARG(0)->kind == JV_ARRAY)
        return ARG(0);
    struct jval *out = jval_array(A, LOC, 1);
    out->u.a.v[0] = ARG(0);
    return out;
}

static struct jval *f_createarray(struct arm_call *k)
{
    struct jval *out = jval_array(A, LOC, k->nargs);
    for (size_t i = 0; i < k->nargs; i++)
        out->u.a.v[i] = ARG(i);
    return out;
}

static struct jval *f_createobject(struct arm_call *k)
{
    if (k->nargs % 2)
        return arm_fail(k, DC_ARG_COUNT,
                        "'createObject' takes key and value pairs, got %zu "
                        "arguments",
                        k->nargs);
    struct jval *out = jval_object(A, LOC, k->nargs / 2);
    size_t n = 0;
    for (size_t i = 0; i < k->nargs; i += 2) {
        if (ARG(i)->kind == JV_UNKNOWN)
            return jval_unknown(A, LOC, "an object with keys known at deployment");
        if (!arm_want(k, i, JV_STRING))
            return NULL;
        /* A repeated key keeps the last value, as ARM does. */
        size_t at = n;
        for (size_t j = 0; j < n; j++)
            if (str_ieq(out->u.o.v[j].key, ARG(i)->u.s))
                at = j;
        out->u.o.v[at] = (struct jval_member){ ARG(i)->u.s, arm_arg_loc(k, i), ARG(i + 1) };
        n += at == n;
    }
    out->u.o.n = n;
    return out;
}

static struct jval *f_range(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_INT) || !arm_want(k, 1, JV_INT))
        return NULL;
    int64_t start = ARG(0)->u.i, count = ARG(1)->u.i;
    if (count < 0 || count > 10000)
        return arm_fail(k, DC_EVAL, "'range': count %lld is outside 0..10000", (long long)count);
    if (start > 2147483647 - count || start < -2147483647)
        return arm_fail(k, DC_EVAL, "'range': start plus count must stay within 32 bits");
    struct jval *out = jval_array(A, LOC, (size_t)count);
    for (int64_t i = 0; i < count; i++)
        out->u.a.v[i] = jval_int(A, LOC, start + i);
    return out;
}

/* ---- inspecting ---- */

static struct jval *f_contains(struct arm_call *k)
{
    const struct jval *c = ARG(0), *v = ARG(1);
    switch (c->kind) {
    case JV_STRING: {
        const char *s = arm_funcs_scalar_text(A, v);
        if (s == NULL)
            return arm_want(k, 1, JV_STRING) ? NULL : NULL;
        return jval_bool(A, LOC, strstr(c->u.s.ptr, s) != NULL);
    }
    case JV_ARRAY:
        for (size_t i = 0; i < c->u.a.n; i++)
            if (jval_equal(c->u.a.v[i], v, false))
                return jval_bool(A, LOC, true);
        return jval_bool(A, LOC, false);
    case JV_OBJECT:
        if (!arm_want(k, 1, JV_STRING))
            return NULL;
        return jval_bool(A, LOC, jval_get(c, v->u.s.ptr) != NULL);
    default:
        return arm_fail(k, DC_ARG_TYPE, "'contains' looks in a string, array or object, not %s",
                        jval_kind_name(c->kind));
    }
}

static struct jval *f_empty(struct arm_call *k)
{
    const struct jval *v = ARG(0);
    switch (v->kind) {
    case JV_NULL:
        return jval_bool(A, LOC, true);
    case JV_STRING:
        return jval_bool(A, LOC, v->u.s.len == 0);
    case JV_ARRAY:
        return jval_bool(A, LOC, v->u.a.n == 0);
    case JV_OBJECT:
        return jval_bool(A, LOC, v->u.o.n == 0);
    default:
        return arm_fail(k, DC_ARG_TYPE, "'empty' takes a string, array, object or null, not %s",
                        jval_kind_name(v->kind));
    }
}

static struct jval *f_length(struct arm_call *k)
{
    const struct jval *v = ARG(0);
    int64_t n = 0;
    switch (v->kind) {
    case JV_STRING:
        for (size_t i = 0; i < v->u.s.len; i++)
            n += ((unsigned char)v->u.s.ptr[i] & 0xC0) != 0x80;
        break;
    case JV_ARRAY:
        n = (int64_t)v->u.a.n;
        break;
    case JV_OBJECT:
        n = (int64_t)v->u.o.n;
        break;
    default:
        return arm_fail(k, DC_ARG_TYPE, "'length' takes a string, array or object, not %s",
                        jval_kind_name(v->kind));
    }
    return jval_int(A, LOC, n);
}

static struct jval *ends(struct arm_call *k, bool last)
{
    const struct jval *v = ARG(0);
    if (v->kind == JV_ARRAY) {
        if (v->u.a.n == 0)
            return jval_null(A, LOC);
        return v->u.a.v[last ? v->u.a.n - 1 : 0];
    }
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    if (v->u.s.len == 0)
        return jval_string(A, LOC, "", 0);
    size_t b = 0, e = v->u.s.len;
    if (last) {
        b = e - 1;
        while (b > 0 && ((unsigned char)v->u.s.ptr[b] & 0xC0) == 0x80)
            b--;
    } else {
        e = 1;
        while (e < v->u.s.len && ((unsigned char)v->u.s.ptr[e] & 0xC0) == 0x80)
            e++;
    }
    return jval_string(A, LOC, v->u.s.ptr + b, e - b);
}

static struct jval *f_first(struct arm_call *k)
{
    return ends(k, false);
}

static struct jval *f_last(struct arm_call *k)
{
    return ends(k, true);
}

static struct jval *slice(struct arm_call *k, bool skip)
{
    if (!arm_want(k, 1, JV_INT))
        return NULL;
    const struct jval *v = ARG(0);
    int64_t n = ARG(1)->u.i < 0 ? 0 : ARG(1)->u.i;
    if (v->kind == JV_ARRAY) {
        size_t cut = (uint64_t)n > v->u.a.n ? v->u.a.n : (size_t)n;
        size_t b = skip ? cut : 0, e = skip ? v->u.a.n : cut;
        struct jval *out = jval_array(A, LOC, e - b);
        for (size_t i = b; i < e; i++)
            out->u.a.v[i - b] = v->u.a.v[i];
        return out;
    }
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    size_t cut = 0;
    for (int64_t c = 0; cut < v->u.s.len && c < n; c++) {
        cut++;
        while (cut < v->u.s.len && ((unsigned char)v->u.s.ptr[cut] & 0xC0) == 0x80)
            cut++;
    }
    return skip ? jval_string(A, LOC, v->u.s.ptr + cut, v->u.s.len - cut)
                : jval_string(A, LOC, v->u.s.ptr, cut);
}

static struct jval *f_skip(struct arm_call *k)
{
    return slice(k, true);
}

static struct jval *f_take(struct arm_call *k)
{
    return slice(k, false);
}

static struct jval *extreme(struct arm_call *k, bool want_max)
{
    struct jval **v = k->args;
    size_t n = k->nargs;
    if (n == 1 && ARG(0)->kind == JV_ARRAY) {
        v = ARG(0)->u.a.v;
        n = ARG(0)->u.a.n;
    }
    if (n == 0)
        return arm_fail(k, DC_EVAL, "'%.*s' of an empty array", STR_FMT(k->e->name));
    struct jval *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (v[i]->kind != JV_INT)
            return arm_fail(k, DC_ARG_TYPE, "'%.*s' takes ints, not %s", STR_FMT(k->e->name),
                            jval_kind_name(v[i]->kind));
        if (best == NULL || (want_max ? v[i]->u.i > best->u.i : v[i]->u.i < best->u.i))
            best = v[i];
    }
    return best;
}

static struct jval *f_min(struct arm_call *k)
{
    return extreme(k, false);
}

static struct jval *f_max(struct arm_call *k)
{
    return extreme(k, true);
}

/* indexFromEnd(array, n): the nth item from the end, 1-based. */
static struct jval *from_end(struct arm_call *k, bool try)
{
    if (!arm_want(k, 0, JV_ARRAY) || !arm_want(k, 1, JV_INT))
        return NULL;
    int64_t i = ARG(1)->u.i;
    if (i < 1 || (uint64_t)i > ARG(0)->u.a.n) {
        if (try)
            return jval_null(A, LOC);
        return arm_fail(k, DC_NO_PROPERTY, "'indexFromEnd': %lld is outside 1..%zu", (long long)i,
                        ARG(0)->u.a.n);
    }
    return ARG(0)->u.a.v[ARG(0)->u.a.n - (size_t)i];
}

static struct jval *f_indexfromend(struct arm_call *k)
{
    return from_end(k, false);
}

static struct jval *f_tryindexfromend(struct arm_call *k)
{
    return from_end(k, true);
}

/* tryGet(value, key, key, ...): null where bicep's '.?' finds nothing. */
static struct jval *f_tryget(struct arm_call *k)
{
    struct jval *v = ARG(0);
    for (size_t i = 1; i < k->nargs; i++) {
        if (v->kind == JV_UNKNOWN || ARG(i)->kind == JV_UNKNOWN)
            return jval_unknown(A, LOC, "a value known at deployment");
        const struct jval *up = v;
        if (v->kind == JV_OBJECT && ARG(i)->kind == JV_STRING) {
            v = arm_open_child(A, up, jval_get(v, ARG(i)->u.s.ptr));
        } else if (v->kind == JV_ARRAY && ARG(i)->kind == JV_INT) {
            v = ARG(i)->u.i >= 0 && (uint64_t)ARG(i)->u.i < v->u.a.n
                    ? arm_open_child(A, up, v->u.a.v[ARG(i)->u.i])
                    : NULL;
        } else if (v->kind == JV_NULL) {
            v = NULL;
        } else {
            return arm_fail(k, DC_ARG_TYPE, "'tryGet' cannot look up %s in %s %s",
                            jval_kind_name(ARG(i)->kind), v->kind == JV_INT ? "an" : "a",
                            jval_kind_name(v->kind));
        }
        /* What a deployed resource may have is unknown here, not null (a
         * sample value leaves optional properties out: they are null). */
        if (v == NULL && (up->flags & JV_F_OPEN))
            return jval_unknown(A, LOC, "a value known at deployment");
        if (v == NULL)
            return jval_null(A, LOC);
    }
    return v;
}

static int cmp_items(const void *pa, const void *pb)
{
    const struct jval *a = *(const struct jval *const *)pa, *b = *(const struct jval *const *)pb;
    return str_icmp(jval_get(a, "key")->u.s, jval_get(b, "key")->u.s);
}

static struct jval *f_items(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_OBJECT))
        return NULL;
    struct jval *out = jval_array(A, LOC, ARG(0)->u.o.n);
    for (size_t i = 0; i < ARG(0)->u.o.n; i++) {
        struct jval *item = jval_object(A, LOC, 2);
        item->u.o.v[0] =
            (struct jval_member){ STR_LIT("key"), LOC,
                                  jval_string(A, ARG(0)->u.o.v[i].key_loc, ARG(0)->u.o.v[i].key.ptr,
                                              ARG(0)->u.o.v[i].key.len) };
        item->u.o.v[1] = (struct jval_member){ STR_LIT("value"), LOC, ARG(0)->u.o.v[i].value };
        out->u.a.v[i] = item;
    }
    /* ARM returns the entries sorted by key. */
    if (out->u.a.n > 1)
        qsort(out->u.a.v, out->u.a.n, sizeof(*out->u.a.v), cmp_items);
    return out;
}

static struct jval *f_objectkeys(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_OBJECT))
        return NULL;
    struct jval *out = jval_array(A, LOC, ARG(0)->u.o.n);
    for (size_t i = 0; i < ARG(0)->u.o.n; i++)
        out->u.a.v[i] = jval_string(A, LOC, ARG(0)->u.o.v[i].key.ptr, ARG(0)->u.o.v[i].key.len);
    return out;
}

/* ---- combining ---- */

static struct jval *merge_objects(struct arm_call *k, struct jval *into, const struct jval *from,
                                  bool deep, int depth)
{
    size_t n = into->u.o.n;
    struct jval *out = jval_object(A, LOC, n + from->u.o.n);
    memcpy(out->u.o.v, into->u.o.v, n * sizeof(struct jval_member));
    for (size_t i = 0; i < from->u.o.n; i++) {
        const struct jval_member *m = &from->u.o.v[i];
        size_t at = n;
        for (size_t j = 0; j < n; j++)
            if (str_ieq(out->u.o.v[j].key, m->key))
                at = j;
        struct jval *v = m->value;
        if (at < n && deep && depth < 32 && v->kind == JV_OBJECT &&
            out->u.o.v[at].value->kind == JV_OBJECT)
            v = merge_objects(k, out->u.o.v[at].value, v, deep, depth + 1);
        out->u.o.v[at] = (struct jval_member){ m->key, m->key_loc, v };
        n += at == n;
    }
    out->u.o.n = n;
    return out;
}

static struct jval *f_union(struct arm_call *k)
{
    if (ARG(0)->kind == JV_OBJECT) {
        struct jval *out = jval_object(A, LOC, 0);
        for (size_t i = 0; i < k->nargs; i++) {
            if (ARG(i)->kind == JV_NULL)
                continue;
            if (!arm_want(k, i, JV_OBJECT))
                return NULL;
            out = merge_objects(k, out, ARG(i), true, 0);
        }
        return out;
    }
    struct list l = { 0 };
    for (size_t i = 0; i < k->nargs; i++) {
        if (ARG(i)->kind == JV_NULL)
            continue;
        if (!arm_want(k, i, JV_ARRAY))
            return NULL;
        for (size_t j = 0; j < ARG(i)->u.a.n; j++)
            if (!contains_value(&l, ARG(i)->u.a.v[j]) && !push(k, &l, ARG(i)->u.a.v[j]))
                return NULL;
    }
    return as_array(k, &l);
}

static struct jval *f_intersection(struct arm_call *k)
{
    if (ARG(0)->kind == JV_OBJECT) {
        for (size_t i = 1; i < k->nargs; i++)
            if (!arm_want(k, i, JV_OBJECT))
                return NULL;
        struct jval *out = jval_object(A, LOC, ARG(0)->u.o.n);
        size_t n = 0;
        for (size_t j = 0; j < ARG(0)->u.o.n; j++) {
            const struct jval_member *m = &ARG(0)->u.o.v[j];
            bool all = true;
            for (size_t i = 1; i < k->nargs && all; i++) {
                const struct jval *other = jval_get(ARG(i), m->key.ptr);
                all = other && jval_equal(other, m->value, false);
            }
            if (all)
                out->u.o.v[n++] = *m;
        }
        out->u.o.n = n;
        return out;
    }
    for (size_t i = 0; i < k->nargs; i++)
        if (!arm_want(k, i, JV_ARRAY))
            return NULL;
    struct list l = { 0 };
    for (size_t j = 0; j < ARG(0)->u.a.n; j++) {
        struct jval *v = ARG(0)->u.a.v[j];
        bool all = !contains_value(&l, v);
        for (size_t i = 1; i < k->nargs && all; i++) {
            bool found = false;
            for (size_t x = 0; x < ARG(i)->u.a.n && !found; x++)
                found = jval_equal(ARG(i)->u.a.v[x], v, false);
            all = found;
        }
        if (all && !push(k, &l, v))
            return NULL;
    }
    return as_array(k, &l);
}

static struct jval *f_shallowmerge(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_ARRAY))
        return NULL;
    struct jval *out = jval_object(A, LOC, 0);
    for (size_t i = 0; i < ARG(0)->u.a.n; i++) {
        const struct jval *o = ARG(0)->u.a.v[i];
        if (o->kind == JV_NULL)
            continue;
        if (o->kind != JV_OBJECT)
            return arm_fail(k, DC_ARG_TYPE, "'shallowMerge' takes an array of objects");
        out = merge_objects(k, out, o, false, 0);
    }
    return out;
}

static struct jval *f_flatten(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_ARRAY))
        return NULL;
    struct list l = { 0 };
    for (size_t i = 0; i < ARG(0)->u.a.n; i++) {
        const struct jval *inner = ARG(0)->u.a.v[i];
        if (inner->kind != JV_ARRAY)
            return arm_fail(k, DC_ARG_TYPE, "'flatten' takes an array of arrays");
        for (size_t j = 0; j < inner->u.a.n; j++)
            if (!push(k, &l, inner->u.a.v[j]))
                return NULL;
    }
    return as_array(k, &l);
}

static struct jval *f_join(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_ARRAY) || !arm_want(k, 1, JV_STRING))
        return NULL;
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    int rc = 0;
    for (size_t i = 0; i < ARG(0)->u.a.n && rc == 0; i++) {
        const char *s = arm_funcs_scalar_text(A, ARG(0)->u.a.v[i]);
        if (s == NULL) {
            buf_release(&b);
            return arm_fail(k, DC_ARG_TYPE, "'join' takes an array of strings");
        }
        rc = (i && buf_append(&b, ARG(1)->u.s.ptr, ARG(1)->u.s.len)) || buf_puts(&b, s);
    }
    return arm_funcs_string_result(k, &b, rc);
}

/* ---- lambdas ---- */

static struct jval *f_lambda(struct arm_call *k)
{
    return arm_fail(k, DC_NOT_ALLOWED_HERE,
                    "'lambda' can only be an argument of filter, map, reduce, sort, toObject, "
                    "groupBy or mapValues");
}

static struct jval *f_lambdavariables(struct arm_call *k)
{
    struct jval *name = arm_eval_expr(k->c, k->e->args[0]);
    if (name == NULL)
        return NULL;
    if (name->kind != JV_STRING)
        return arm_fail(k, DC_ARG_TYPE, "'lambdaVariables' takes a string");
    for (const struct arm_frame *f = k->c->lambdas; f; f = f->up)
        for (size_t i = 0; i < f->n; i++)
            if (str_ieq(f->names[i], name->u.s))
                return f->values[i];
    diag_emit(k->c->diag, DC_UNDEFINED_LAMBDA_VAR, arm_arg_loc(k, 0),
              "lambda variable '%s' is not defined here", name->u.s.ptr);
    return NULL;
}

/* Evaluates the collection argument of a lambda function. */
static struct jval *collection(struct arm_call *k, enum jval_kind kind)
{
    struct jval *v = arm_eval_expr(k->c, k->e->args[0]);
    if (v == NULL || v->kind == JV_UNKNOWN)
        return v;
    if (v->kind != kind) {
        diag_emit(k->c->diag, DC_ARG_TYPE, arm_arg_loc(k, 0),
                  "argument 1 of '%.*s' must be %s %s, not %s", STR_FMT(k->e->name),
                  kind == JV_ARRAY || kind == JV_OBJECT ? "an" : "a", jval_kind_name(kind),
                  jval_kind_name(v->kind));
        return NULL;
    }
    return v;
}

static struct jval *apply(struct arm_call *k, size_t arg, struct jval *a, struct jval *b,
                          struct jval *c)
{
    struct jval *vals[3] = { a, b, c };
    return arm_apply_lambda(k->c, k->e->args[arg], vals, 3);
}

static struct jval *index_value(struct arm_call *k, size_t i)
{
    return jval_int(A, LOC, (int64_t)i);
}

static struct jval *f_filter(struct arm_call *k)
{
    struct jval *arr = collection(k, JV_ARRAY);
    if (arr == NULL || arr->kind == JV_UNKNOWN || !arm_check_lambda(k, 1, 1, 2))
        return arr && arr->kind == JV_UNKNOWN ? arr : NULL;
    struct list l = { 0 };
    for (size_t i = 0; i < arr->u.a.n; i++) {
        struct jval *keep = apply(k, 1, arr->u.a.v[i], index_value(k, i), NULL);
        if (keep == NULL)
            return NULL;
        if (keep->kind == JV_UNKNOWN)
            return jval_unknown(A, LOC, "a value known at deployment");
        if (keep->kind != JV_BOOL)
            return arm_fail(k, DC_ARG_TYPE, "the lambda given to 'filter' must return a bool");
        if (keep->u.b && !push(k, &l, arr->u.a.v[i]))
            return NULL;
    }
    return as_array(k, &l);
}

static struct jval *f_map(struct arm_call *k)
{
    struct jval *arr = collection(k, JV_ARRAY);
    if (arr == NULL || arr->kind == JV_UNKNOWN || !arm_check_lambda(k, 1, 1, 2))
        return arr && arr->kind == JV_UNKNOWN ? arr : NULL;
    struct jval *out = jval_array(A, LOC, arr->u.a.n);
    for (size_t i = 0; i < arr->u.a.n; i++)
        if ((out->u.a.v[i] = apply(k, 1, arr->u.a.v[i], index_value(k, i), NULL)) == NULL)
            return NULL;
    return out;
}

static struct jval *f_mapvalues(struct arm_call *k)
{
    struct jval *obj = collection(k, JV_OBJECT);
    if (obj == NULL || obj->kind == JV_UNKNOWN || !arm_check_lambda(k, 1, 1, 1))
        return obj && obj->kind == JV_UNKNOWN ? obj : NULL;
    struct jval *out = jval_object(A, LOC, obj->u.o.n);
    for (size_t i = 0; i < obj->u.o.n; i++) {
        out->u.o.v[i] = obj->u.o.v[i];
        if ((out->u.o.v[i].value = apply(k, 1, obj->u.o.v[i].value, NULL, NULL)) == NULL)
            return NULL;
    }
    return out;
}

static struct jval *f_reduce(struct arm_call *k)
{
    struct jval *arr = collection(k, JV_ARRAY);
    if (arr == NULL || arr->kind == JV_UNKNOWN || !arm_check_lambda(k, 2, 2, 3))
        return arr && arr->kind == JV_UNKNOWN ? arr : NULL;
    struct jval *acc = arm_eval_expr(k->c, k->e->args[1]);
    for (size_t i = 0; acc && i < arr->u.a.n; i++)
        acc = apply(k, 2, acc, arr->u.a.v[i], index_value(k, i));
    return acc;
}

static struct jval *f_sort(struct arm_call *k)
{
    struct jval *arr = collection(k, JV_ARRAY);
    if (arr == NULL || arr->kind == JV_UNKNOWN || !arm_check_lambda(k, 1, 2, 2))
        return arr && arr->kind == JV_UNKNOWN ? arr : NULL;
    size_t n = arr->u.a.n;
    struct jval *out = jval_array(A, LOC, n);
    memcpy(out->u.a.v, arr->u.a.v, n * sizeof(*out->u.a.v));
    /* Insertion sort: stable, and the comparator is a lambda we cannot hand
     * to qsort. Arrays in templates are small. */
    for (size_t i = 1; i < n; i++) {
        struct jval *x = out->u.a.v[i];
        size_t j = i;
        while (j > 0) {
            struct jval *less = apply(k, 1, x, out->u.a.v[j - 1], NULL);
            if (less == NULL)
                return NULL;
            if (less->kind != JV_BOOL)
                return arm_fail(k, DC_ARG_TYPE, "the lambda given to 'sort' must return a bool");
            if (!less->u.b)
                break;
            out->u.a.v[j] = out->u.a.v[j - 1];
            j--;
        }
        out->u.a.v[j] = x;
    }
    return out;
}

static struct jval *f_toobject(struct arm_call *k)
{
    struct jval *arr = collection(k, JV_ARRAY);
    if (arr == NULL || arr->kind == JV_UNKNOWN || !arm_check_lambda(k, 1, 1, 1) ||
        (k->nargs > 2 && !arm_check_lambda(k, 2, 1, 1)))
        return arr && arr->kind == JV_UNKNOWN ? arr : NULL;
    struct jval *out = jval_object(A, LOC, arr->u.a.n);
    size_t n = 0;
    for (size_t i = 0; i < arr->u.a.n; i++) {
        struct jval *key = apply(k, 1, arr->u.a.v[i], NULL, NULL);
        struct jval *val = k->nargs > 2 ? apply(k, 2, arr->u.a.v[i], NULL, NULL) : arr->u.a.v[i];
        if (key == NULL || val == NULL)
            return NULL;
        if (key->kind != JV_STRING)
            return arm_fail(k, DC_ARG_TYPE, "the key lambda of 'toObject' must return a string");
        size_t at = n;
        for (size_t j = 0; j < n; j++)
            if (str_ieq(out->u.o.v[j].key, key->u.s))
                at = j;
        out->u.o.v[at] = (struct jval_member){ key->u.s, LOC, val };
        n += at == n;
    }
    out->u.o.n = n;
    return out;
}

static struct jval *f_groupby(struct arm_call *k)
{
    struct jval *arr = collection(k, JV_ARRAY);
    if (arr == NULL || arr->kind == JV_UNKNOWN || !arm_check_lambda(k, 1, 1, 1))
        return arr && arr->kind == JV_UNKNOWN ? arr : NULL;
    struct jval *out = jval_object(A, LOC, arr->u.a.n);
    struct list *groups = ARENA_ARRAY(A, struct list, arr->u.a.n + 1);
    size_t n = 0;
    for (size_t i = 0; i < arr->u.a.n; i++) {
        struct jval *key = apply(k, 1, arr->u.a.v[i], NULL, NULL);
        if (key == NULL)
            return NULL;
        if (key->kind != JV_STRING)
            return arm_fail(k, DC_ARG_TYPE, "the lambda given to 'groupBy' must return a string");
        size_t at = n;
        for (size_t j = 0; j < n; j++)
            if (str_eq(out->u.o.v[j].key, key->u.s))
                at = j;
        if (at == n)
            out->u.o.v[n++].key = key->u.s;
        if (!push(k, &groups[at], arr->u.a.v[i]))
            return NULL;
    }
    for (size_t j = 0; j < n; j++) {
        out->u.o.v[j].key_loc = LOC;
        out->u.o.v[j].value = as_array(k, &groups[j]);
    }
    out->u.o.n = n;
    return out;
}

#define LAZY ARM_FN_LAZY
#define KEEP ARM_FN_KEEPS_UNKNOWN
#define ANY  ARM_ANY_ARGS

/* Sorted by name, ignoring case. */
const struct arm_func arm_funcs_coll_table[] = {
    { "array", 1, 1, KEEP, f_array },
    { "contains", 2, 2, 0, f_contains },
    { "createArray", 0, ANY, KEEP, f_createarray },
    { "createObject", 0, ANY, KEEP, f_createobject },
    { "empty", 1, 1, 0, f_empty },
    { "filter", 2, 2, LAZY, f_filter },
    { "first", 1, 1, 0, f_first },
    { "flatten", 1, 1, 0, f_flatten },
    { "groupBy", 2, 2, LAZY, f_groupby },
    { "indexFromEnd", 2, 2, 0, f_indexfromend },
    { "intersection", 2, ANY, 0, f_intersection },
    { "items", 1, 1, 0, f_items },
    { "join", 2, 2, 0, f_join },
    { "lambda", 1, ANY, LAZY, f_lambda },
    { "lambdaVariables", 1, 1, LAZY, f_lambdavariables },
    { "last", 1, 1, 0, f_last },
    { "length", 1, 1, 0, f_length },
    { "map", 2, 2, LAZY, f_map },
    { "mapValues", 2, 2, LAZY, f_mapvalues },
    { "max", 1, ANY, 0, f_max },
    { "min", 1, ANY, 0, f_min },
    { "objectKeys", 1, 1, 0, f_objectkeys },
    { "range", 2, 2, 0, f_range },
    { "reduce", 3, 3, LAZY, f_reduce },
    { "shallowMerge", 1, 1, 0, f_shallowmerge },
    { "skip", 2, 2, 0, f_skip },
    { "sort", 2, 2, LAZY, f_sort },
    { "take", 2, 2, 0, f_take },
    { "toObject", 2, 3, LAZY, f_toobject },
    { "tryGet", 2, ANY, KEEP, f_tryget },
    { "tryIndexFromEnd", 2, 2, 0, f_tryindexfromend },
    { "union", 1, ANY, 0, f_union },
};

const size_t arm_funcs_coll_count = sizeof(arm_funcs_coll_table) / sizeof(arm_funcs_coll_table[0]);
