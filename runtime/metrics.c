#include "metrics.h"

#include <pthread.h>
#include <string.h>

enum kind {
    KIND_REQUESTS,     /* api, operation, status: a count */
    KIND_DURATION,     /* api: histogram of the whole request */
    KIND_BACKEND,      /* api: histogram of the backend call */
    KIND_BACKEND_ERROR /* api, reason: a count */
};

struct series {
    enum kind kind;
    char *api, *op;
    int code;
    uint32_t hash;
    uint64_t count;
    double sum;
    uint64_t buckets[METRICS_NBUCKETS]; /* cumulative counts are built when rendering */
};

struct metrics {
    pthread_mutex_t lock;
    struct series *v; /* open addressing; api == NULL marks a free slot */
    size_t cap, n;
    struct metrics_conns conns; /* merged: summed over the workers */
};

/* Upper bounds in seconds; the last bucket is +Inf. */
static const double bounds[METRICS_NBUCKETS - 1] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                     0.25,  0.5,    1,     2.5,  5,     10 };

static const char *const backend_reasons[] = { "ok",    "connect",   "timeout",
                                               "reset", "too_large", "other" };

struct metrics *metrics_new(void)
{
    struct metrics *m = xcalloc(1, sizeof(*m));
    pthread_mutex_init(&m->lock, NULL);
    m->cap = 64;
    m->v = xcalloc(m->cap, sizeof(*m->v));
    return m;
}

void metrics_free(struct metrics *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->cap; i++) {
        free(m->v[i].api);
        free(m->v[i].op);
    }
    free(m->v);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static uint32_t hash_key(enum kind k, struct str api, struct str op, int code)
{
    uint32_t h = 2166136261u ^ (uint32_t)k;
    for (size_t i = 0; i < api.len; i++)
        h = (h ^ (unsigned char)api.ptr[i]) * 16777619u;
    h = (h ^ 0xff) * 16777619u;
    for (size_t i = 0; i < op.len; i++)
        h = (h ^ (unsigned char)op.ptr[i]) * 16777619u;
    return (h ^ (uint32_t)code) * 16777619u;
}

static bool same(const struct series *s, enum kind k, struct str api, struct str op, int code)
{
    return s->kind == k && s->code == code && strlen(s->api) == api.len &&
           memcmp(s->api, api.ptr, api.len) == 0 && strlen(s->op) == op.len &&
           memcmp(s->op, op.ptr, op.len) == 0;
}

static void grow(struct metrics *m)
{
    struct series *old = m->v;
    size_t oldcap = m->cap;
    m->cap *= 2;
    m->v = xcalloc(m->cap, sizeof(*m->v));
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i].api == NULL)
            continue;
        size_t j = old[i].hash & (m->cap - 1);
        while (m->v[j].api)
            j = (j + 1) & (m->cap - 1);
        m->v[j] = old[i];
    }
    free(old);
}

/* The series for the key, created if new (or the overflow series). */
static struct series *upsert(struct metrics *m, enum kind k, struct str api, struct str op,
                             int code)
{
    uint32_t h = hash_key(k, api, op, code);
    size_t i = h & (m->cap - 1);
    for (; m->v[i].api; i = (i + 1) & (m->cap - 1))
        if (m->v[i].hash == h && same(&m->v[i], k, api, op, code))
            return &m->v[i];
    if (m->n >= METRICS_MAX_SERIES && !str_eq(api, STR_LIT("(other)")))
        return upsert(m, k, STR_LIT("(other)"), STR_LIT("(other)"), code);
    if ((m->n + 1) * 10 > m->cap * 7) {
        grow(m);
        return upsert(m, k, api, op, code);
    }
    struct series *s = &m->v[i];
    *s = (struct series){ .kind = k, .code = code, .hash = h };
    s->api = xmalloc(api.len + 1);
    memcpy(s->api, api.ptr, api.len);
    s->api[api.len] = '\0';
    s->op = xmalloc(op.len + 1);
    memcpy(s->op, op.ptr, op.len);
    s->op[op.len] = '\0';
    m->n++;
    return s;
}

static void observe(struct series *s, double seconds)
{
    size_t b = 0;
    while (b < METRICS_NBUCKETS - 1 && seconds > bounds[b])
        b++;
    s->buckets[b]++;
    s->count++;
    s->sum += seconds;
}

void metrics_add(struct metrics *m, const struct metrics_record *r)
{
    pthread_mutex_lock(&m->lock);
    upsert(m, KIND_REQUESTS, r->api, r->operation, r->status)->count++;
    observe(upsert(m, KIND_DURATION, r->api, STR_LIT(""), 0), r->seconds);
    if (r->backend_called) {
        observe(upsert(m, KIND_BACKEND, r->api, STR_LIT(""), 0), r->backend_seconds);
        if (r->backend_error != GW_BACKEND_OK)
            upsert(m, KIND_BACKEND_ERROR, r->api, STR_LIT(""), (int)r->backend_error)->count++;
    }
    pthread_mutex_unlock(&m->lock);
}

void metrics_merge(struct metrics *dst, struct metrics *src)
{
    pthread_mutex_lock(&src->lock);
    for (size_t i = 0; i < src->cap; i++) {
        const struct series *s = &src->v[i];
        if (s->api == NULL)
            continue;
        struct series *d =
            upsert(dst, s->kind, str_from_cstr(s->api), str_from_cstr(s->op), s->code);
        d->count += s->count;
        d->sum += s->sum;
        for (size_t b = 0; b < METRICS_NBUCKETS; b++)
            d->buckets[b] += s->buckets[b];
    }
    dst->conns.head += src->conns.head;
    dst->conns.body += src->conns.body;
    dst->conns.idle += src->conns.idle;
    dst->conns.timeouts_head += src->conns.timeouts_head;
    dst->conns.timeouts_body += src->conns.timeouts_body;
    dst->conns.refused += src->conns.refused;
    pthread_mutex_unlock(&src->lock);
}

void metrics_totals(const struct metrics *m, struct metrics_totals *t)
{
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; i < m->cap; i++) {
        const struct series *s = &m->v[i];
        if (s->api == NULL)
            continue;
        if (s->kind == KIND_REQUESTS) {
            t->requests += s->count;
            int c = s->code / 100;
            t->status_class[c >= 1 && c <= 5 ? c : 0] += s->count;
        } else if (s->kind == KIND_BACKEND) {
            t->backend_calls += s->count;
        } else if (s->kind == KIND_BACKEND_ERROR) {
            t->backend_errors += s->count;
        }
    }
}

/* ---- rendering ---- */

static int cmp_series(const void *a, const void *b)
{
    const struct series *x = *(const struct series *const *)a,
                        *y = *(const struct series *const *)b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    int c = strcmp(x->api, y->api);
    if (c == 0)
        c = strcmp(x->op, y->op);
    return c ? c : x->code - y->code;
}

/* A label value: backslash, double quote and newline escaped. */
static int label(struct buf *out, const char *v)
{
    int rc = 0;
    for (; *v && rc == 0; v++) {
        if (*v == '\\' || *v == '"')
            rc = buf_printf(out, "\\%c", *v);
        else if (*v == '\n')
            rc = buf_puts(out, "\\n");
        else
            rc = buf_append(out, v, 1);
    }
    return rc;
}

static int render_histogram(struct buf *out, const char *name, const struct series *s)
{
    uint64_t cumulative = 0;
    int rc = 0;
    for (size_t b = 0; b < METRICS_NBUCKETS && rc == 0; b++) {
        cumulative += s->buckets[b];
        rc |= buf_printf(out, "%s_bucket{api=\"", name);
        rc |= label(out, s->api);
        if (b < METRICS_NBUCKETS - 1)
            rc |=
                buf_printf(out, "\",le=\"%g\"} %llu\n", bounds[b], (unsigned long long)cumulative);
        else
            rc |= buf_printf(out, "\",le=\"+Inf\"} %llu\n", (unsigned long long)cumulative);
    }
    rc |= buf_printf(out, "%s_sum{api=\"", name);
    rc |= label(out, s->api);
    rc |= buf_printf(out, "\"} %.6f\n%s_count{api=\"", s->sum, name);
    rc |= label(out, s->api);
    rc |= buf_printf(out, "\"} %llu\n", (unsigned long long)s->count);
    return rc;
}

static int render_one(struct buf *out, const struct series *s)
{
    int rc = 0;
    switch (s->kind) {
    case KIND_REQUESTS:
        rc |= buf_puts(out, "apim_requests_total{api=\"");
        rc |= label(out, s->api);
        rc |= buf_puts(out, "\",operation=\"");
        rc |= label(out, s->op);
        return rc |
               buf_printf(out, "\",status=\"%d\"} %llu\n", s->code, (unsigned long long)s->count);
    case KIND_DURATION:
        return render_histogram(out, "apim_request_duration_seconds", s);
    case KIND_BACKEND:
        return render_histogram(out, "apim_backend_duration_seconds", s);
    case KIND_BACKEND_ERROR:
        rc |= buf_puts(out, "apim_backend_errors_total{api=\"");
        rc |= label(out, s->api);
        return rc | buf_printf(out, "\",reason=\"%s\"} %llu\n", backend_reasons[s->code],
                               (unsigned long long)s->count);
    }
    return -1;
}

static const char *const headers[] = {
    "# HELP apim_requests_total Requests answered, by API, operation and status code.\n"
    "# TYPE apim_requests_total counter\n",
    "# HELP apim_request_duration_seconds Time from a complete request to its response.\n"
    "# TYPE apim_request_duration_seconds histogram\n",
    "# HELP apim_backend_duration_seconds Time of backend calls.\n"
    "# TYPE apim_backend_duration_seconds histogram\n",
    "# HELP apim_backend_errors_total Backend calls that failed, by reason.\n"
    "# TYPE apim_backend_errors_total counter\n",
};

void metrics_set_conns(struct metrics *m, const struct metrics_conns *c)
{
    pthread_mutex_lock(&m->lock);
    m->conns = *c;
    pthread_mutex_unlock(&m->lock);
}

static int render_conns(struct buf *out, const struct metrics_conns *c)
{
    return buf_printf(
        out,
        "# HELP apim_client_connections Client connections reading a request's head or body, "
        "or idle between requests.\n"
        "# TYPE apim_client_connections gauge\n"
        "apim_client_connections{state=\"head\"} %llu\n"
        "apim_client_connections{state=\"body\"} %llu\n"
        "apim_client_connections{state=\"idle\"} %llu\n"
        "# HELP apim_client_timeouts_total Client connections closed with a 408 for sending "
        "a request's head or body too slowly.\n"
        "# TYPE apim_client_timeouts_total counter\n"
        "apim_client_timeouts_total{phase=\"head\"} %llu\n"
        "apim_client_timeouts_total{phase=\"body\"} %llu\n"
        "# HELP apim_client_refused_total Client connections answered 400, 414 or 431 and "
        "closed for a request that was not read: framing, header syntax or size.\n"
        "# TYPE apim_client_refused_total counter\n"
        "apim_client_refused_total %llu\n",
        (unsigned long long)c->head, (unsigned long long)c->body, (unsigned long long)c->idle,
        (unsigned long long)c->timeouts_head, (unsigned long long)c->timeouts_body,
        (unsigned long long)c->refused);
}

int metrics_render(const struct metrics *m, struct buf *out)
{
    const struct series **all = xmalloc((m->n ? m->n : 1) * sizeof(*all));
    size_t n = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->v[i].api)
            all[n++] = &m->v[i];
    qsort(all, n, sizeof(*all), cmp_series);
    int rc = 0;
    size_t i = 0;
    for (int k = KIND_REQUESTS; k <= KIND_BACKEND_ERROR && rc == 0; k++) {
        rc |= buf_puts(out, headers[k]);
        for (; i < n && (int)all[i]->kind == k && rc == 0; i++)
            rc |= render_one(out, all[i]);
    }
    free(all);
    rc |= render_conns(out, &m->conns);
    return rc ? -1 : 0;
}
