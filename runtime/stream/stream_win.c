/* stream_win.c - windowed and stateful operators, processing-time as in
 * DStreams: a window of length L sliding by S covers the batches in
 * (T - L, T] and produces a result only at batch times T that are a
 * multiple of S after the start (DStream.isTimeValid with zeroTime = first
 * batch - interval); at other times its output is absent, not empty. Empty
 * batches still enter the ring, so windows slide over them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "stream_int.h"

bool sop_is_stateful(enum sop_kind k)
{
    return k == SOP_REDUCE_WINDOW || k == SOP_COUNT_WINDOW || k == SOP_UPDATE_STATE ||
           k == SOP_AGG_WINDOW;
}

void sop_state_init(struct sop_state *st, const struct sop_def *op, int64_t interval)
{
    memset(st, 0, sizeof(*st));
    skmap_init(&st->map);
    if (op->kind == SOP_UPDATE_STATE)
        return;
    st->nring = (size_t)(op->length / interval);
    if (op->kind == SOP_AGG_WINDOW)
        st->raw = xcalloc(st->nring, sizeof(*st->raw));
    else
        st->ring = xcalloc(st->nring, sizeof(*st->ring));
}

void sop_state_release(struct sop_state *st)
{
    skmap_release(&st->map);
    for (size_t i = 0; st->ring && i < st->nring; i++)
        skmap_release(&st->ring[i]);
    for (size_t i = 0; st->raw && i < st->nring; i++)
        sbatch_release(&st->raw[i]);
    free(st->ring);
    free(st->raw);
    memset(st, 0, sizeof(*st));
}

static void fold(struct skmap *m, enum sfunc f, const json_t *key, const json_t *val)
{
    struct skent *e = skmap_get(m, key, true);
    json_t *nv = e->val ? snum_combine(f, e->val, val) : json_incref((json_t *)val);
    json_decref(e->val);
    e->val = nv;
}

/* Adds (sign > 0) or inverse-reduces (sign < 0) a batch reduction into the
 * running window. */
static void apply(struct skmap *run, const struct skmap *b, int sign)
{
    for (size_t i = 0; i < b->n; i++) {
        if (sign > 0) {
            fold(run, SF_SUM, b->e[i].key, b->e[i].val);
            continue;
        }
        struct skent *e = skmap_get(run, b->e[i].key, false);
        if (e) {
            json_t *nv = snum_sub(e->val, b->e[i].val);
            json_decref(e->val);
            e->val = nv;
        }
    }
}

/* countByWindow counts records: every record becomes (null, 1). */
static void reduce_batch(const struct sop_def *op, struct sbatch *in, struct skmap *m)
{
    json_t *one = json_integer(1);
    for (size_t i = 0; i < in->n; i++) {
        if (op->kind == SOP_COUNT_WINDOW)
            fold(m, SF_SUM, json_null(), one);
        else if (in->r[i].key)
            fold(m, op->func, in->r[i].key, in->r[i].val);
    }
    json_decref(one);
}

static void emit(const struct sop_def *op, const struct skmap *m, struct sbatch *out)
{
    for (size_t i = 0; i < m->n; i++) {
        if (op->drop_zero && snum_is_zero(m->e[i].val))
            continue;
        if (op->kind == SOP_COUNT_WINDOW)
            sbatch_push(out, NULL, json_incref(m->e[i].val));
        else
            sbatch_push(out, json_incref(m->e[i].key), json_incref(m->e[i].val));
    }
}

static void reduce_window(const struct sop_def *op, struct sop_state *st, struct sbatch *in,
                          struct sbatch *out, bool valid)
{
    struct skmap *slot = &st->ring[st->head];
    if (op->inverse)
        apply(&st->map, slot, -1); /* the batch leaving the window */
    skmap_release(slot);
    reduce_batch(op, in, slot);
    if (op->inverse)
        apply(&st->map, slot, +1);
    st->head = (st->head + 1) % st->nring;
    if (!valid)
        return;
    if (op->inverse) {
        emit(op, &st->map, out);
        return;
    }
    struct skmap w;
    skmap_init(&w);
    for (size_t k = 0; k < st->nring; k++) {
        const struct skmap *b = &st->ring[(st->head + k) % st->nring];
        for (size_t i = 0; i < b->n; i++)
            fold(&w, op->func, b->e[i].key, b->e[i].val);
    }
    emit(op, &w, out);
    skmap_release(&w);
}

/* updateStateByKey: f(newValues, state) for every key with state, every
 * batch; keys idle longer than timeout are dropped (mapWithState-like). */
static void update_state(const struct sop_def *op, struct sop_state *st, int64_t time,
                         struct sbatch *in, struct sbatch *out)
{
    json_t *one = json_integer(1);
    for (size_t i = 0; i < in->n; i++) {
        struct srec *r = &in->r[i];
        if (!r->key)
            continue;
        fold(&st->map, op->func, r->key, op->func == SF_COUNT ? one : r->val);
        skmap_get(&st->map, r->key, false)->seen = time;
    }
    json_decref(one);
    for (size_t i = 0; op->timeout > 0 && i < st->map.n; i++)
        st->map.e[i].dead = time - st->map.e[i].seen > op->timeout;
    skmap_compact(&st->map);
    emit(op, &st->map, out);
}

struct vals {
    size_t n, cap;
    double *v;
    json_t *sum, *min, *max;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Linear interpolation between closest ranks (PERCENTILE_CONT). */
static double percentile(struct vals *v, double p)
{
    qsort(v->v, v->n, sizeof(double), cmp_double);
    double pos = p * (double)(v->n - 1);
    size_t lo = (size_t)floor(pos), hi = (size_t)ceil(pos);
    return v->v[lo] + (v->v[hi] - v->v[lo]) * (pos - (double)lo);
}

static json_t *agg_value(const char *fn, const json_t *spec, struct vals *v, size_t count)
{
    if (strcmp(fn, "count") == 0)
        return json_integer((json_int_t)count);
    if (v->n == 0)
        return json_null();
    if (json_is_object(spec))
        return json_real(percentile(v, json_number_value(json_object_get(spec, "percentile"))));
    if (strcmp(fn, "sum") == 0)
        return json_incref(v->sum);
    if (strcmp(fn, "min") == 0)
        return json_incref(v->min);
    if (strcmp(fn, "max") == 0)
        return json_incref(v->max);
    return json_real(snum_value(v->sum) / (double)v->n);
}

static void agg_add(struct skent *e, const json_t *val)
{
    struct vals *v = e->aux;
    if (!v)
        v = e->aux = xcalloc(1, sizeof(*v));
    e->seen++; /* count of records, numbers or not */
    if (!json_is_number(val))
        return;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->v = xrealloc(v->v, v->cap * sizeof(double));
    }
    v->v[v->n++] = json_number_value(val);
    json_t *s = v->sum ? snum_combine(SF_SUM, v->sum, val) : json_incref((json_t *)val);
    json_t *mn = v->min ? snum_combine(SF_MIN, v->min, val) : json_incref((json_t *)val);
    json_t *mx = v->max ? snum_combine(SF_MAX, v->max, val) : json_incref((json_t *)val);
    json_decref(v->sum);
    json_decref(v->min);
    json_decref(v->max);
    v->sum = s, v->min = mn, v->max = mx;
}

static void agg_window(const struct sop_def *op, struct sop_state *st, struct sbatch *in,
                       struct sbatch *out, bool valid)
{
    struct sbatch *slot = &st->raw[st->head];
    sbatch_reset(slot);
    for (size_t i = 0; i < in->n; i++)
        if (in->r[i].key)
            sbatch_push(slot, json_incref(in->r[i].key), json_incref(in->r[i].val));
    st->head = (st->head + 1) % st->nring;
    if (!valid)
        return;
    struct skmap w;
    skmap_init(&w);
    for (size_t k = 0; k < st->nring; k++) {
        const struct sbatch *b = &st->raw[(st->head + k) % st->nring];
        for (size_t i = 0; i < b->n; i++)
            agg_add(skmap_get(&w, b->r[i].key, true), b->r[i].val);
    }
    for (size_t i = 0; i < w.n; i++) {
        json_t *o = json_object();
        const char *name;
        json_t *spec;
        struct vals *v = w.e[i].aux;
        json_object_foreach(op->arg, name, spec)
            json_object_set_new(o, name,
                                agg_value(json_is_string(spec) ? json_string_value(spec) : "", spec,
                                          v, (size_t)w.e[i].seen));
        sbatch_push(out, json_incref(w.e[i].key), o);
        json_decref(v->sum);
        json_decref(v->min);
        json_decref(v->max);
        free(v->v);
    }
    skmap_release(&w);
}

void sop_run_stateful(const struct sop_def *op, struct sop_state *st, int64_t interval,
                      int64_t time, struct sbatch *in, struct sbatch *out)
{
    st->batches++;
    /* slide is a multiple of the interval (checked): no product, no overflow
     * even with a batch count read from a checkpoint. */
    uint64_t every = (uint64_t)((op->slide ? op->slide : interval) / interval);
    bool valid = st->batches % every == 0;
    out->present = in->present && (op->kind == SOP_UPDATE_STATE || valid);
    if (op->kind == SOP_UPDATE_STATE)
        update_state(op, st, time, in, out);
    else if (op->kind == SOP_AGG_WINDOW)
        agg_window(op, st, in, out, valid);
    else
        reduce_window(op, st, in, out, valid);
    sbatch_reset(in);
}
