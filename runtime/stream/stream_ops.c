/* stream_ops.c - the per-batch (stateless) operators: flatMap, map, filter,
 * countByValue, reduceByKey, topK. Each consumes its input batch and fills
 * its output batch; records that do not fit the operator (a number given to
 * a text split, a plain record given to reduceByKey) are dropped, as a
 * PySpark task would fail on them, without stopping the job. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "stream_int.h"

typedef void (*word_fn)(void *ctx, const char *p, size_t n);

/* Python str.split(sep): every occurrence splits, empty words are kept
 * ("a  b ".split(" ") == ['a', '', 'b', '']). */
static void split_sep(const char *s, size_t n, const char *sep, word_fn fn, void *ctx)
{
    size_t sl = strlen(sep), start = 0;
    for (size_t i = 0; i + sl <= n;) {
        if (s[i] == sep[0] && memcmp(s + i, sep, sl) == 0) {
            fn(ctx, s + start, i - start);
            i += sl;
            start = i;
        } else {
            i++;
        }
    }
    fn(ctx, s + start, n - start);
}

static bool is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Python str.split(): runs of whitespace, no empty words. */
static void split_ws(const char *s, size_t n, word_fn fn, void *ctx)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        size_t start = i;
        while (i < n && !is_space((unsigned char)s[i]))
            i++;
        if (i > start)
            fn(ctx, s + start, i - start);
    }
}

static void push_word(void *ctx, const char *p, size_t n)
{
    sbatch_push(ctx, NULL, json_stringn_nocheck(p, n));
}

static void split(const struct sop_def *op, const char *s, size_t n, word_fn fn, void *ctx)
{
    if (op->split == SS_SEP)
        split_sep(s, n, op->sep, fn, ctx);
    else
        split_ws(s, n, fn, ctx);
}

static void flat_map(const struct sop_def *op, struct srec *r, struct sbatch *out)
{
    if (op->split == SS_JSON_ARRAY) {
        json_t *tmp, *a = srec_path(r, op->path, &tmp);
        size_t i;
        json_t *v;
        json_array_foreach(a, i, v) sbatch_push(out, NULL, json_incref(v));
        json_decref(tmp);
        return;
    }
    if (!r->key && json_is_string(r->val))
        split(op, json_string_value(r->val), json_string_length(r->val), push_word, out);
}

/* A pair's key or value: a path, an array of paths (a tuple key), or a
 * literal (a number). New reference. */
static json_t *pair_part(const json_t *spec, struct srec *r)
{
    if (json_is_string(spec)) {
        json_t *tmp, *v = srec_path(r, json_string_value(spec), &tmp);
        v = json_incref(v ? v : json_null());
        json_decref(tmp);
        return v;
    }
    if (json_is_array(spec)) {
        json_t *a = json_array();
        size_t i;
        json_t *p;
        json_array_foreach(spec, i, p) json_array_append_new(a, pair_part(p, r));
        return a;
    }
    return json_incref((json_t *)spec);
}

static json_t *str_op(enum smap m, const json_t *v)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v), a = 0;
    if (m == SM_TRIM) {
        while (a < n && is_space((unsigned char)s[a]))
            a++;
        while (n > a && is_space((unsigned char)s[n - 1]))
            n--;
        return json_stringn_nocheck(s + a, n - a);
    }
    char *c = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        c[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    json_t *r = json_stringn_nocheck(c, n);
    free(c);
    return r;
}

static void map_one(const struct sop_def *op, struct srec *r, struct sbatch *out)
{
    if (op->map == SM_PAIR) {
        sbatch_push(out, pair_part(json_object_get(op->arg, "key"), r),
                    pair_part(json_object_get(op->arg, "value"), r));
        return;
    }
    if (op->map == SM_PROJECT) {
        json_t *o = json_object();
        const char *k;
        json_t *p;
        json_object_foreach(op->arg, k, p) json_object_set_new(o, k, pair_part(p, r));
        sbatch_push(out, NULL, o);
        return;
    }
    if (r->key || !json_is_string(r->val))
        return;
    if (op->map != SM_PARSE) {
        sbatch_push(out, NULL, str_op(op->map, r->val));
        return;
    }
    json_t *v =
        json_loadb(json_string_value(r->val), json_string_length(r->val), JSON_DECODE_ANY, NULL);
    if (v)
        sbatch_push(out, NULL, v);
}

/* Python equality: 1 == 1.0. */
static bool equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    return json_equal((json_t *)a, (json_t *)b);
}

static int order(const json_t *a, const json_t *b, bool *ok)
{
    *ok = true;
    if (json_is_number(a) && json_is_number(b)) {
        double x = json_number_value(a), y = json_number_value(b);
        return x < y ? -1 : x > y;
    }
    if (json_is_string(a) && json_is_string(b))
        return strcmp(json_string_value(a), json_string_value(b));
    *ok = false;
    return 0;
}

static bool keep(const struct sop_def *op, struct srec *r)
{
    json_t *tmp, *v = srec_path(r, op->path, &tmp);
    bool ok = false, res = false;
    size_t i;
    json_t *e;
    const json_t *null = json_null();
    v = v ? v : (json_t *)null;
    switch (op->cmp) {
    case SC_EQ:
    case SC_NE:
        res = equal(v, op->arg) == (op->cmp == SC_EQ);
        break;
    case SC_LT:
    case SC_GT: {
        int c = order(v, op->arg, &ok);
        res = ok && (op->cmp == SC_LT ? c < 0 : c > 0);
        break;
    }
    case SC_IN:
        json_array_foreach(op->arg, i, e) res = res || equal(v, e);
        break;
    case SC_MATCHES:
        res = json_is_string(v) && regexec(&op->re, json_string_value(v), 0, NULL, 0) == 0;
        break;
    }
    json_decref(tmp);
    return res;
}

static void reduce_into(struct skmap *m, enum sfunc f, struct srec *r)
{
    struct skent *e = skmap_get(m, r->key, true);
    if (!e->val) {
        e->val = json_incref(r->val);
        return;
    }
    json_t *nv = snum_combine(f, e->val, r->val);
    json_decref(e->val);
    e->val = nv;
}

static void drain_map(struct skmap *m, struct sbatch *out)
{
    for (size_t i = 0; i < m->n; i++)
        sbatch_push(out, json_incref(m->e[i].key), json_incref(m->e[i].val));
}

static void by_key(const struct sop_def *op, struct sbatch *in, struct sbatch *out)
{
    struct skmap m;
    skmap_init(&m);
    json_t *one = json_integer(1);
    for (size_t i = 0; i < in->n; i++) {
        struct srec *r = &in->r[i];
        if (op->kind == SOP_COUNT_BY_VALUE) {
            json_t *k = r->key ? json_pack("[OO]", r->key, r->val) : json_incref(r->val);
            struct srec pr = { k, one };
            reduce_into(&m, SF_SUM, &pr);
            json_decref(k);
        } else if (r->key) {
            reduce_into(&m, op->func, r);
        }
    }
    json_decref(one);
    drain_map(&m, out);
    skmap_release(&m);
}

struct rank {
    double v;
    size_t i;
};

/* Largest value first; ties keep first-seen order (the index). */
static int by_value_desc(const void *a, const void *b)
{
    const struct rank *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void top_k(const struct sop_def *op, struct sbatch *in, struct sbatch *out)
{
    struct rank *rk = xmalloc((in->n + 1) * sizeof(*rk));
    for (size_t i = 0; i < in->n; i++)
        rk[i] = (struct rank){ snum_value(in->r[i].val), i };
    qsort(rk, in->n, sizeof(*rk), by_value_desc);
    for (size_t i = 0; i < in->n && i < op->n; i++) {
        struct srec *r = &in->r[rk[i].i];
        sbatch_push(out, r->key, r->val);
        r->key = r->val = NULL;
    }
    free(rk);
    sbatch_reset(in);
}

void sop_run_stateless(const struct sop_def *op, struct sbatch *in, struct sbatch *out)
{
    out->present = in->present;
    switch (op->kind) {
    case SOP_COUNT_BY_VALUE:
    case SOP_REDUCE_BY_KEY:
        by_key(op, in, out);
        break;
    case SOP_TOPK:
        top_k(op, in, out);
        return;
    default:
        for (size_t i = 0; i < in->n; i++) {
            struct srec *r = &in->r[i];
            if (op->kind == SOP_FLATMAP)
                flat_map(op, r, out);
            else if (op->kind == SOP_MAP)
                map_one(op, r, out);
            else if (op->kind == SOP_FILTER && keep(op, r)) {
                sbatch_push(out, r->key, r->val);
                r->key = r->val = NULL;
            } else if (op->kind == SOP_UNION) {
                sbatch_push(out, r->key, r->val);
                r->key = r->val = NULL;
            }
        }
    }
    sbatch_reset(in);
}

#define FUSE_MAX_LITERAL (1 << 20) /* sums of such literals cannot overflow int64 */

bool sop_fusable(const struct sop_def *s, size_t n)
{
    if (n < 3 || s[0].kind != SOP_FLATMAP || s[0].split == SS_JSON_ARRAY || s[1].kind != SOP_MAP ||
        s[1].map != SM_PAIR || s[1].input >= 0 || s[2].kind != SOP_REDUCE_BY_KEY ||
        s[2].func != SF_SUM || s[2].input >= 0)
        return false;
    const json_t *k = json_object_get(s[1].arg, "key"), *v = json_object_get(s[1].arg, "value");
    return json_is_string(k) && strcmp(json_string_value(k), "$") == 0 && json_is_integer(v) &&
           json_integer_value(v) > -FUSE_MAX_LITERAL && json_integer_value(v) < FUSE_MAX_LITERAL;
}

struct fused {
    struct swords t;
    int64_t lit;
};

static void count_word(void *ctx, const char *p, size_t n)
{
    struct fused *f = ctx;
    swords_get(&f->t, p, n)->acc += f->lit;
}

/* str.split(c) for a one-byte separator, the usual word count, without the
 * callback: memchr finds each separator as a plain counter's strchr does. */
static void count_split_byte(struct fused *f, const char *s, size_t n, char c)
{
    const char *end = s + n, *q;
    while ((q = memchr(s, c, (size_t)(end - s))) != NULL) {
        swords_get(&f->t, s, (size_t)(q - s))->acc += f->lit;
        s = q + 1;
    }
    swords_get(&f->t, s, (size_t)(end - s))->acc += f->lit;
}

static void count_line(const struct sop_def *op, struct fused *f, const char *s, size_t n)
{
    if (op->split == SS_SEP && op->sep[0] && !op->sep[1])
        count_split_byte(f, s, n, op->sep[0]);
    else
        split(op, s, n, count_word, f);
}

void sop_run_fused(const struct sop_def *s, struct sbatch *in, struct sbatch *out)
{
    struct fused f = { .lit = json_integer_value(json_object_get(s[1].arg, "value")) };
    swords_init(&f.t);
    for (size_t i = 0; i < in->n; i++)
        if (!in->r[i].key && json_is_string(in->r[i].val))
            count_line(&s[0], &f, json_string_value(in->r[i].val),
                       json_string_length(in->r[i].val));
    if (in->lines) { /* a socket's lines, each ending with '\n' */
        const char *p = in->lines->bytes.data, *nl;
        for (size_t i = 0; i < in->lines->n; i++, p = nl + 1) {
            nl = memchr(p, '\n', in->lines->bytes.len - (size_t)(p - in->lines->bytes.data));
            count_line(&s[0], &f, p, (size_t)(nl - p));
        }
    }
    for (size_t i = 0; i < f.t.n; i++) {
        const struct swent *e = &f.t.e[i];
        sbatch_push(out, json_stringn_nocheck(f.t.bytes + e->off, e->len), json_integer(e->acc));
    }
    swords_release(&f.t);
    out->present = in->present;
    sbatch_reset(in);
}
