/* Unit tests for runtime/metrics.c: request counters by API, operation and
 * status; duration histograms (cumulative buckets, +Inf equal to _count,
 * _sum); backend series only for calls that happened; backend errors by
 * reason; merging workers; label escaping; the series cap; and the rendered
 * text, checked line by line against the Prometheus text exposition format
 * 0.0.4 and for being the same whatever order the records came in. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_run.h"
#include "metrics.h"

/* ---- helpers ---- */

static struct metrics_record rec(const char *api, const char *op, int status, double seconds)
{
    return (struct metrics_record){ .api = str_from_cstr(api),
                                    .operation = str_from_cstr(op),
                                    .status = status,
                                    .seconds = seconds };
}

static struct metrics_record rec_backend(const char *api, int status, double seconds,
                                         double backend_seconds, enum gw_backend_error e)
{
    struct metrics_record r = rec(api, "op", status, seconds);
    r.backend_called = true;
    r.backend_seconds = backend_seconds;
    r.backend_error = e;
    return r;
}

static void add(struct metrics *m, struct metrics_record r)
{
    metrics_add(m, &r);
}

/* The rendered text (free() it); NULL if rendering failed. */
static char *render(const struct metrics *m)
{
    struct buf b;
    buf_init(&b, 64u << 20);
    if (metrics_render(m, &b) != 0) {
        buf_release(&b);
        return NULL;
    }
    return buf_steal(&b, NULL);
}

/* The value of the sample whose name and labels are exactly key, or -1. */
static double value(const char *text, const char *key)
{
    size_t n = strlen(key);
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
        if (strncmp(l, key, n) == 0 && l[n] == ' ')
            return strtod(l + n + 1, NULL);
    return -1;
}

/* Lines that start with prefix. */
static size_t count_lines(const char *text, const char *prefix)
{
    size_t n = 0, len = strlen(prefix);
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
        if (strncmp(l, prefix, len) == 0)
            n++;
    return n;
}

/* ---- a checker for the text exposition format 0.0.4 ---- */

#define FAMILIES 16

struct family {
    char name[96];
    char type[16];
    bool sampled;
};

struct expo {
    struct family fam[FAMILIES];
    size_t nfam;
    long current; /* the family of the latest sample, -1 before any */
    const char **keys;
    size_t nkeys;
    char why[160];
};

static bool name_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
           (!first && c >= '0' && c <= '9');
}

/* Length of the metric name at s (0 if none). */
static size_t name_len(const char *s)
{
    size_t n = 0;
    while (name_char(s[n], n == 0))
        n++;
    return n;
}

static long family_find(const struct expo *e, const char *name, size_t len)
{
    for (size_t i = 0; i < e->nfam; i++)
        if (strlen(e->fam[i].name) == len && memcmp(e->fam[i].name, name, len) == 0)
            return (long)i;
    return -1;
}

static int fail(struct expo *e, const char *what, const char *line, size_t len)
{
    snprintf(e->why, sizeof(e->why), "%s: %.*s", what, (int)(len > 100 ? 100 : len), line);
    return -1;
}

static int comment(struct expo *e, const char *l, size_t len)
{
    bool type = strncmp(l, "# TYPE ", 7) == 0;
    if (!type && strncmp(l, "# HELP ", 7) != 0)
        return fail(e, "comment other than HELP or TYPE", l, len);
    size_t n = name_len(l + 7);
    if (n == 0 || l[7 + n] != ' ' || 8 + n >= len)
        return fail(e, "bad HELP/TYPE line", l, len);
    if (!type)
        return 0;
    const char *t = l + 8 + n;
    size_t tlen = len - 8 - n;
    static const char *const types[] = { "counter", "gauge", "histogram", "summary", "untyped" };
    bool known = false;
    for (size_t i = 0; i < 5; i++)
        known |= strlen(types[i]) == tlen && memcmp(types[i], t, tlen) == 0;
    if (!known)
        return fail(e, "unknown type", l, len);
    if (family_find(e, l + 7, n) >= 0)
        return fail(e, "second TYPE line", l, len);
    if (e->nfam == FAMILIES || n >= sizeof(e->fam[0].name))
        return fail(e, "too many families for the checker", l, len);
    struct family *f = &e->fam[e->nfam++];
    memcpy(f->name, l + 7, n);
    f->name[n] = '\0';
    memcpy(f->type, t, tlen);
    f->type[tlen] = '\0';
    f->sampled = false;
    return 0;
}

/* Label pairs after '{'; returns the offset just past '}', or 0. */
static size_t labels(const char *l, size_t len, size_t i, bool *has_le)
{
    *has_le = false;
    if (l[i] == '}')
        return i + 1;
    for (;;) {
        size_t n = name_len(l + i);
        if (n == 0 || i + n + 1 >= len || l[i + n] != '=' || l[i + n + 1] != '"')
            return 0;
        *has_le |= n == 2 && memcmp(l + i, "le", 2) == 0;
        i += n + 2;
        while (i < len && l[i] != '"') {
            if (l[i] == '\\' && (i + 1 >= len || strchr("\\\"n", l[i + 1]) == NULL))
                return 0;
            i += l[i] == '\\' ? 2 : 1;
        }
        if (i + 1 >= len)
            return 0;
        i++; /* the closing quote */
        if (l[i] == '}')
            return i + 1;
        if (l[i] != ',')
            return 0;
        i++;
    }
}

static bool number(const char *s, size_t len)
{
    if ((len == 4 && (memcmp(s, "+Inf", 4) == 0 || memcmp(s, "-Inf", 4) == 0)) ||
        (len == 3 && memcmp(s, "NaN", 3) == 0))
        return true;
    char tmp[64];
    if (len == 0 || len >= sizeof(tmp) || strchr("+-0123456789.", s[0]) == NULL)
        return false;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *end;
    (void)strtod(tmp, &end);
    return *end == '\0';
}

/* The family a sample belongs to: its own name, or a histogram's name
 * without _bucket, _sum or _count. */
static long sample_family(const struct expo *e, const char *l, size_t n, bool *bucket)
{
    *bucket = false;
    long f = family_find(e, l, n);
    if (f >= 0)
        return strcmp(e->fam[f].type, "histogram") == 0 ? -1 : f;
    static const char *const suffixes[] = { "_bucket", "_sum", "_count" };
    for (size_t i = 0; i < 3; i++) {
        size_t s = strlen(suffixes[i]);
        if (n > s && memcmp(l + n - s, suffixes[i], s) == 0) {
            f = family_find(e, l, n - s);
            if (f >= 0 && strcmp(e->fam[f].type, "histogram") == 0) {
                *bucket = i == 0;
                return f;
            }
        }
    }
    return -1;
}

static int sample(struct expo *e, const char *l, size_t len)
{
    size_t n = name_len(l);
    if (n == 0)
        return fail(e, "no metric name", l, len);
    bool bucket, has_le = false;
    long f = sample_family(e, l, n, &bucket);
    if (f < 0)
        return fail(e, "sample without a TYPE line before it", l, len);
    if (e->fam[f].sampled && e->current != f)
        return fail(e, "family's samples not grouped", l, len);
    e->fam[f].sampled = true;
    e->current = f;
    size_t i = n;
    if (l[i] == '{' && (i = labels(l, len, i + 1, &has_le)) == 0)
        return fail(e, "bad labels", l, len);
    if (bucket && !has_le)
        return fail(e, "bucket without le", l, len);
    if (i >= len || l[i] != ' ' || !number(l + i + 1, len - i - 1))
        return fail(e, "bad value", l, len);
    e->keys[e->nkeys++] = l; /* name and labels end at the last space */
    return 0;
}

static int key_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t nx = (size_t)(strrchr(x, ' ') - x), ny = (size_t)(strrchr(y, ' ') - y);
    int c = memcmp(x, y, nx < ny ? nx : ny);
    return c ? c : (nx > ny) - (nx < ny);
}

/* 0 if text is valid exposition text, else -1 with the reason in e->why. */
static int expo_check(struct expo *e, char *text)
{
    memset(e, 0, sizeof(*e));
    e->current = -1;
    size_t total = strlen(text), lines = 0;
    if (total == 0 || text[total - 1] != '\n')
        return fail(e, "does not end with a newline", "", 0);
    for (size_t i = 0; i < total; i++)
        if (text[i] == '\n')
            lines++;
    e->keys = xmalloc(lines * sizeof(*e->keys));
    int rc = 0;
    for (char *l = text; *l && rc == 0;) {
        char *eol = strchr(l, '\n');
        size_t len = (size_t)(eol - l);
        if (len == 0)
            rc = fail(e, "empty line", l, len);
        else
            rc = l[0] == '#' ? comment(e, l, len) : sample(e, l, len);
        *eol = '\0'; /* keys are compared up to their last space */
        l = eol + 1;
    }
    if (rc == 0) {
        qsort(e->keys, e->nkeys, sizeof(*e->keys), key_cmp);
        for (size_t i = 1; i < e->nkeys && rc == 0; i++)
            if (key_cmp(&e->keys[i - 1], &e->keys[i]) == 0)
                rc = fail(e, "the same series twice", e->keys[i], strlen(e->keys[i]));
    }
    free(e->keys);
    return rc;
}

/* Checks a copy of text (the checker cuts it into lines). */
static bool valid_exposition(const char *text, char *why, size_t whylen)
{
    struct expo *e = xmalloc(sizeof(*e));
    char *copy = xstrdup(text);
    bool ok = expo_check(e, copy) == 0;
    snprintf(why, whylen, "%s", ok ? "" : e->why);
    free(copy);
    free(e);
    return ok;
}

#define ASSERT_VALID_EXPOSITION(text)                                 \
    do {                                                              \
        char why_[200];                                               \
        bool ok_ = valid_exposition((text), why_, sizeof(why_));      \
        if (!ok_)                                                     \
            fprintf(stderr, "\n  not exposition format: %s\n", why_); \
        CU_ASSERT_TRUE(ok_);                                          \
    } while (0)

/* Checks one histogram series: 14 buckets with increasing le ending in
 * +Inf, cumulative (never decreasing), and +Inf equal to _count. Returns
 * _count, or -1 on any violation. */
static double histogram_count(const char *text, const char *name, const char *api)
{
    char prefix[256];
    snprintf(prefix, sizeof(prefix), "%s_bucket{api=\"%s\",le=\"", name, api);
    size_t plen = strlen(prefix), nb = 0;
    double last_le = -1, last_count = 0;
    bool inf = false;
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        if (strncmp(l, prefix, plen) != 0)
            continue;
        if (inf)
            return -1; /* a bucket after +Inf */
        const char *le = l + plen;
        double bound = strncmp(le, "+Inf\"", 5) == 0 ? INFINITY : strtod(le, NULL);
        inf = isinf(bound);
        double count = strtod(strstr(le, "} ") + 2, NULL);
        if (bound <= last_le || count < last_count)
            return -1;
        last_le = bound;
        last_count = count;
        nb++;
    }
    char key[256];
    snprintf(key, sizeof(key), "%s_count{api=\"%s\"}", name, api);
    double count = value(text, key);
    if (!inf || nb != METRICS_NBUCKETS || count != last_count)
        return -1;
    return count;
}

/* ---- the checker itself catches what it should ---- */

static void test_checker(void)
{
    char why[200];
    const char *good = "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"q\\\"\\\\\\n\"} 1\n"
                       "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 0.5\nh_count 2\n"
                       "# TYPE g gauge\ng 1e-3\n";
    CU_ASSERT_TRUE(valid_exposition(good, why, sizeof(why)));
    static const char *const bad[] = {
        "a_total 1\n# TYPE a_total counter\n",                          /* before TYPE */
        "# TYPE a counter\n# TYPE a counter\na 1\n",                    /* TYPE twice */
        "# TYPE a counter\na{x=\"q\"r\"} 1\n",                          /* bare quote */
        "# TYPE a counter\na{x=\"\\t\"} 1\n",                           /* bad escape */
        "# TYPE a counter\na 1",                                        /* no newline */
        "# TYPE a counter\na one\n",                                    /* bad value */
        "# TYPE a counter\na 1\na 2\n",                                 /* same series */
        "# TYPE a counter\n# TYPE b counter\na 1\nb 1\na{x=\"1\"} 1\n", /* not grouped */
        "# TYPE h histogram\nh_bucket 1\n",                             /* no le */
        "# TYPE a counter\n# a comment\na 1\n",                         /* other comment */
        "# TYPE a counter\n\na 1\n",                                    /* empty line */
        "# TYPE a countr\na 1\n",                                       /* unknown type */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_FALSE(valid_exposition(bad[i], why, sizeof(why)));
}

/* ---- the metrics ---- */

/* The client connection series, all zero (always rendered, last). */
#define CONNS_ZERO                                                                                 \
    "# HELP apim_client_connections Client connections reading a request's head or body, or idle " \
    "between requests.\n"                                                                          \
    "# TYPE apim_client_connections gauge\n"                                                       \
    "apim_client_connections{state=\"head\"} 0\n"                                                  \
    "apim_client_connections{state=\"body\"} 0\n"                                                  \
    "apim_client_connections{state=\"idle\"} 0\n"                                                  \
    "# HELP apim_client_timeouts_total Client connections closed with a 408 for sending a "        \
    "request's head or body too slowly.\n"                                                         \
    "# TYPE apim_client_timeouts_total counter\n"                                                  \
    "apim_client_timeouts_total{phase=\"head\"} 0\n"                                               \
    "apim_client_timeouts_total{phase=\"body\"} 0\n"                                               \
    "# HELP apim_client_refused_total Client connections answered 400, 414 or 431 and closed for " \
    "a request that was not read: framing, header syntax or size.\n"                               \
    "# TYPE apim_client_refused_total counter\n"                                                   \
    "apim_client_refused_total 0\n"

static const char empty_text[] =
    "# HELP apim_requests_total Requests answered, by API, operation and status code.\n"
    "# TYPE apim_requests_total counter\n"
    "# HELP apim_request_duration_seconds Time from a complete request to its response.\n"
    "# TYPE apim_request_duration_seconds histogram\n"
    "# HELP apim_backend_duration_seconds Time of backend calls.\n"
    "# TYPE apim_backend_duration_seconds histogram\n"
    "# HELP apim_backend_errors_total Backend calls that failed, by reason.\n"
    "# TYPE apim_backend_errors_total counter\n" CONNS_ZERO;

/* No records: every family is still declared, and the totals are zero. */
static void test_empty(void)
{
    struct metrics *m = metrics_new();
    char *text = render(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_STRING_EQUAL(text, empty_text);
    ASSERT_VALID_EXPOSITION(text);
    struct metrics_totals t;
    memset(&t, 0xff, sizeof(t));
    metrics_totals(m, &t);
    CU_ASSERT_EQUAL(t.requests, 0);
    CU_ASSERT_EQUAL(t.backend_calls, 0);
    CU_ASSERT_EQUAL(t.backend_errors, 0);
    for (size_t i = 0; i < 6; i++)
        CU_ASSERT_EQUAL(t.status_class[i], 0);
    free(text);
    metrics_free(m);
    metrics_free(NULL);
}

/* The whole text of one request, byte for byte. */
static void test_golden(void)
{
    struct metrics *m = metrics_new();
    add(m, rec("a", "x", 200, 0.002));
    char *text = render(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    const char *want =
        "# HELP apim_requests_total Requests answered, by API, operation and status code.\n"
        "# TYPE apim_requests_total counter\n"
        "apim_requests_total{api=\"a\",operation=\"x\",status=\"200\"} 1\n"
        "# HELP apim_request_duration_seconds Time from a complete request to its response.\n"
        "# TYPE apim_request_duration_seconds histogram\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"0.001\"} 0\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"0.0025\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"0.005\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"0.01\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"0.025\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"0.05\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"0.1\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"0.25\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"0.5\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"1\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"2.5\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"5\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"10\"} 1\n"
        "apim_request_duration_seconds_bucket{api=\"a\",le=\"+Inf\"} 1\n"
        "apim_request_duration_seconds_sum{api=\"a\"} 0.002000\n"
        "apim_request_duration_seconds_count{api=\"a\"} 1\n"
        "# HELP apim_backend_duration_seconds Time of backend calls.\n"
        "# TYPE apim_backend_duration_seconds histogram\n"
        "# HELP apim_backend_errors_total Backend calls that failed, by reason.\n"
        "# TYPE apim_backend_errors_total counter\n" CONNS_ZERO;
    CU_ASSERT_STRING_EQUAL(text, want);
    free(text);
    metrics_free(m);
}

/* One counter per (api, operation, status); "" for requests nothing matched;
 * totals by status class, with 0 (no answer) apart. */
static void test_counters(void)
{
    struct metrics *m = metrics_new();
    add(m, rec("echo-api", "get-item", 200, 0.01));
    add(m, rec("echo-api", "get-item", 200, 0.01));
    add(m, rec("echo-api", "get-item", 404, 0.01));
    add(m, rec("echo-api", "create-item", 201, 0.01));
    add(m, rec("other-api", "get-item", 200, 0.01));
    add(m, rec("", "", 404, 0.001));
    add(m, rec("echo-api", "get-item", 0, 0.5));
    add(m, rec("echo-api", "get-item", 503, 0.01));
    add(m, rec("echo-api", "get-item", 302, 0.01));
    add(m, rec("echo-api", "get-item", 101, 0.01));
    char *text = render(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_VALID_EXPOSITION(text);
    CU_ASSERT_EQUAL(
        value(text, "apim_requests_total{api=\"echo-api\",operation=\"get-item\",status=\"200\"}"),
        2);
    CU_ASSERT_EQUAL(
        value(text, "apim_requests_total{api=\"echo-api\",operation=\"get-item\",status=\"404\"}"),
        1);
    CU_ASSERT_EQUAL(
        value(text,
              "apim_requests_total{api=\"echo-api\",operation=\"create-item\",status=\"201\"}"),
        1);
    CU_ASSERT_EQUAL(
        value(text, "apim_requests_total{api=\"other-api\",operation=\"get-item\",status=\"200\"}"),
        1);
    CU_ASSERT_EQUAL(value(text, "apim_requests_total{api=\"\",operation=\"\",status=\"404\"}"), 1);
    CU_ASSERT_EQUAL(
        value(text, "apim_requests_total{api=\"echo-api\",operation=\"get-item\",status=\"0\"}"),
        1);
    CU_ASSERT_EQUAL(count_lines(text, "apim_requests_total{"), 9);
    /* the duration histogram is per API: both operations of echo-api in one */
    CU_ASSERT_EQUAL(histogram_count(text, "apim_request_duration_seconds", "echo-api"), 8);
    CU_ASSERT_EQUAL(histogram_count(text, "apim_request_duration_seconds", "other-api"), 1);
    CU_ASSERT_EQUAL(histogram_count(text, "apim_request_duration_seconds", ""), 1);
    CU_ASSERT_EQUAL(count_lines(text, "apim_backend_duration_seconds_"), 0);

    struct metrics_totals t;
    metrics_totals(m, &t);
    CU_ASSERT_EQUAL(t.requests, 10);
    CU_ASSERT_EQUAL(t.status_class[0], 1);
    CU_ASSERT_EQUAL(t.status_class[1], 1);
    CU_ASSERT_EQUAL(t.status_class[2], 4);
    CU_ASSERT_EQUAL(t.status_class[3], 1);
    CU_ASSERT_EQUAL(t.status_class[4], 2);
    CU_ASSERT_EQUAL(t.status_class[5], 1);
    CU_ASSERT_EQUAL(t.backend_calls, 0);
    CU_ASSERT_EQUAL(t.backend_errors, 0);
    free(text);
    metrics_free(m);
}

/* Buckets are cumulative with inclusive upper bounds; +Inf counts all and
 * equals _count; _sum adds the seconds. */
static void test_histogram(void)
{
    struct metrics *m = metrics_new();
    static const double seconds[] = { 0.0005, 0.001, 0.003, 0.2, 0.2, 7, 20, 0 };
    double sum = 0;
    for (size_t i = 0; i < sizeof(seconds) / sizeof(seconds[0]); i++) {
        add(m, rec("h", "op", 200, seconds[i]));
        sum += seconds[i];
    }
    char *text = render(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_VALID_EXPOSITION(text);
    const char *b = "apim_request_duration_seconds_bucket{api=\"h\",le=";

    static const struct {
        const char *le;
        double count;
    } want[] = { { "0.001", 3 }, { "0.0025", 3 }, { "0.005", 4 }, { "0.01", 4 }, { "0.1", 4 },
                 { "0.25", 6 },  { "1", 6 },      { "5", 6 },     { "10", 7 },   { "+Inf", 8 } };

    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        char key[128];
        snprintf(key, sizeof(key), "%s\"%s\"}", b, want[i].le);
        CU_ASSERT_EQUAL(value(text, key), want[i].count);
    }
    CU_ASSERT_EQUAL(histogram_count(text, "apim_request_duration_seconds", "h"), 8);
    CU_ASSERT_DOUBLE_EQUAL(value(text, "apim_request_duration_seconds_sum{api=\"h\"}"), sum, 1e-6);
    CU_ASSERT_EQUAL(count_lines(text, "apim_request_duration_seconds_bucket{api=\"h\""),
                    METRICS_NBUCKETS);
    free(text);
    metrics_free(m);
}

/* The backend histogram counts only calls that happened; a record that did
 * not call the backend counts no error either, whatever its fields say. */
static void test_backend_duration(void)
{
    struct metrics *m = metrics_new();
    struct metrics_record r = rec("b", "op", 401, 0.001);
    r.backend_seconds = 3;
    r.backend_error = GW_BACKEND_TIMEOUT;
    add(m, r);
    char *text = render(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_EQUAL(count_lines(text, "apim_backend_duration_seconds_"), 0);
    CU_ASSERT_EQUAL(count_lines(text, "apim_backend_errors_total{"), 0);
    struct metrics_totals t;
    metrics_totals(m, &t);
    CU_ASSERT_EQUAL(t.backend_calls, 0);
    CU_ASSERT_EQUAL(t.backend_errors, 0);
    free(text);

    add(m, rec_backend("b", 200, 0.05, 0.04, GW_BACKEND_OK));
    add(m, rec_backend("b", 200, 0.02, 0.003, GW_BACKEND_OK));
    text = render(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_VALID_EXPOSITION(text);
    CU_ASSERT_EQUAL(histogram_count(text, "apim_backend_duration_seconds", "b"), 2);
    CU_ASSERT_EQUAL(value(text, "apim_backend_duration_seconds_bucket{api=\"b\",le=\"0.005\"}"), 1);
    CU_ASSERT_EQUAL(value(text, "apim_backend_duration_seconds_bucket{api=\"b\",le=\"0.05\"}"), 2);
    CU_ASSERT_DOUBLE_EQUAL(value(text, "apim_backend_duration_seconds_sum{api=\"b\"}"), 0.043,
                           1e-6);
    CU_ASSERT_EQUAL(histogram_count(text, "apim_request_duration_seconds", "b"), 3);
    CU_ASSERT_EQUAL(count_lines(text, "apim_backend_errors_total{"), 0);
    metrics_totals(m, &t);
    CU_ASSERT_EQUAL(t.requests, 3);
    CU_ASSERT_EQUAL(t.backend_calls, 2);
    CU_ASSERT_EQUAL(t.backend_errors, 0);
    free(text);
    metrics_free(m);
}

/* Failed calls count as calls (with their duration) and by reason. */
static void test_backend_errors(void)
{
    struct metrics *m = metrics_new();
    add(m, rec_backend("b", 500, 0.01, 0.01, GW_BACKEND_CONNECT));
    add(m, rec_backend("b", 500, 0.01, 0.01, GW_BACKEND_CONNECT));
    add(m, rec_backend("b", 500, 30, 30, GW_BACKEND_TIMEOUT));
    add(m, rec_backend("b", 500, 0.01, 0.01, GW_BACKEND_RESET));
    add(m, rec_backend("b", 500, 0.01, 0.01, GW_BACKEND_TOO_LARGE));
    add(m, rec_backend("c", 500, 0.01, 0.01, GW_BACKEND_OTHER));
    add(m, rec_backend("c", 200, 0.01, 0.01, GW_BACKEND_OK));
    char *text = render(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_VALID_EXPOSITION(text);
    CU_ASSERT_EQUAL(value(text, "apim_backend_errors_total{api=\"b\",reason=\"connect\"}"), 2);
    CU_ASSERT_EQUAL(value(text, "apim_backend_errors_total{api=\"b\",reason=\"timeout\"}"), 1);
    CU_ASSERT_EQUAL(value(text, "apim_backend_errors_total{api=\"b\",reason=\"reset\"}"), 1);
    CU_ASSERT_EQUAL(value(text, "apim_backend_errors_total{api=\"b\",reason=\"too_large\"}"), 1);
    CU_ASSERT_EQUAL(value(text, "apim_backend_errors_total{api=\"c\",reason=\"other\"}"), 1);
    CU_ASSERT_EQUAL(count_lines(text, "apim_backend_errors_total{"), 5);
    CU_ASSERT_EQUAL(count_lines(text, "apim_backend_errors_total{api=\"c\",reason=\"ok\"}"), 0);
    CU_ASSERT_EQUAL(histogram_count(text, "apim_backend_duration_seconds", "b"), 5);
    CU_ASSERT_EQUAL(histogram_count(text, "apim_backend_duration_seconds", "c"), 2);
    CU_ASSERT_EQUAL(value(text, "apim_backend_duration_seconds_bucket{api=\"b\",le=\"10\"}"), 4);
    struct metrics_totals t;
    metrics_totals(m, &t);
    CU_ASSERT_EQUAL(t.backend_calls, 7);
    CU_ASSERT_EQUAL(t.backend_errors, 6);
    CU_ASSERT_EQUAL(t.status_class[5], 6);
    free(text);
    metrics_free(m);
}

/* The records of three workers, a few each. */
static void worker_records(struct metrics *w[3], struct metrics *all)
{
    for (int i = 0; i < 30; i++) {
        struct metrics_record r =
            i % 3 == 0 ? rec("a", "x", 200, 0.001 * i)
                       : rec_backend(i % 2 ? "a" : "b", i % 4 ? 200 : 500, 0.01 * i, 0.005 * i,
                                     i % 4 ? GW_BACKEND_OK : GW_BACKEND_RESET);
        add(w[i % 3 == 1 ? 0 : i % 5 == 0 ? 1 : 2], r);
        add(all, r);
    }
}

/* Merging the workers gives what one metrics with every record gives. */
static void test_merge(void)
{
    struct metrics *w[3] = { metrics_new(), metrics_new(), metrics_new() };
    struct metrics *all = metrics_new(), *merged = metrics_new(), *none = metrics_new();
    worker_records(w, all);
    for (int i = 0; i < 3; i++)
        metrics_merge(merged, w[i]);
    metrics_merge(merged, none);
    char *a = render(all), *b = render(merged);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(a, b);
    ASSERT_VALID_EXPOSITION(b);
    CU_ASSERT_EQUAL(histogram_count(b, "apim_request_duration_seconds", "a"), 20);
    CU_ASSERT_EQUAL(histogram_count(b, "apim_request_duration_seconds", "b"), 10);
    struct metrics_totals ta, tb;
    metrics_totals(all, &ta);
    metrics_totals(merged, &tb);
    CU_ASSERT_EQUAL(tb.requests, 30);
    CU_ASSERT_EQUAL(tb.backend_calls, 20);
    CU_ASSERT_EQUAL(tb.backend_errors, ta.backend_errors);
    CU_ASSERT_TRUE(tb.backend_errors > 0);
    CU_ASSERT_EQUAL(memcmp(&ta, &tb, sizeof(ta)), 0);
    /* the sources are unchanged by a merge */
    struct metrics_totals t0;
    metrics_totals(w[0], &t0);
    CU_ASSERT_EQUAL(t0.requests, 10);
    /* merging twice counts twice */
    metrics_merge(merged, w[0]);
    metrics_totals(merged, &tb);
    CU_ASSERT_EQUAL(tb.requests, 40);
    free(a);
    free(b);
    for (int i = 0; i < 3; i++)
        metrics_free(w[i]);
    metrics_free(all);
    metrics_free(merged);
    metrics_free(none);
}

/* Backslash, double quote and newline in ids are escaped in label values. */
static void test_label_escaping(void)
{
    struct metrics *m = metrics_new();
    add(m, rec("we\"ird\\api\nx", "op\"1", 200, 0.001));
    add(m, rec_backend("we\"ird\\api\nx", 500, 0.01, 0.01, GW_BACKEND_CONNECT));
    char *text = render(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_VALID_EXPOSITION(text);
    CU_ASSERT_EQUAL(value(text, "apim_requests_total{api=\"we\\\"ird\\\\api\\nx\",operation="
                                "\"op\\\"1\",status=\"200\"}"),
                    1);
    CU_ASSERT_EQUAL(value(text, "apim_backend_errors_total{api=\"we\\\"ird\\\\api\\nx\",reason="
                                "\"connect\"}"),
                    1);
    CU_ASSERT_EQUAL(histogram_count(text, "apim_request_duration_seconds", "we\\\"ird\\\\api\\nx"),
                    2);
    CU_ASSERT_EQUAL(histogram_count(text, "apim_backend_duration_seconds", "we\\\"ird\\\\api\\nx"),
                    1);
    CU_ASSERT_PTR_NULL(strstr(text, "ird\\api")); /* no unescaped backslash */
    free(text);
    metrics_free(m);
}

/* Past METRICS_MAX_SERIES new series fold into api="(other)"; series that
 * exist keep counting under their own names. */
static void test_series_cap(void)
{
    struct metrics *m = metrics_new();
    char api[32];
    /* each new API makes two series: its request counter and its histogram */
    for (int i = 0; i < METRICS_MAX_SERIES / 2; i++) {
        snprintf(api, sizeof(api), "api-%d", i);
        add(m, rec(api, "op", 200, 0.001));
    }
    add(m, rec("late-1", "op", 200, 0.001));
    add(m, rec("late-2", "op", 200, 0.001));
    add(m, rec("late-2", "op", 404, 0.001));
    add(m, rec("api-7", "op", 200, 0.001));
    add(m, rec_backend("late-3", 500, 0.001, 0.001, GW_BACKEND_TIMEOUT));
    char *text = render(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NULL(strstr(text, "late-"));
    CU_ASSERT_EQUAL(
        value(text, "apim_requests_total{api=\"(other)\",operation=\"(other)\",status=\"200\"}"),
        2);
    CU_ASSERT_EQUAL(
        value(text, "apim_requests_total{api=\"(other)\",operation=\"(other)\",status=\"404\"}"),
        1);
    CU_ASSERT_EQUAL(
        value(text, "apim_requests_total{api=\"(other)\",operation=\"(other)\",status=\"500\"}"),
        1);
    CU_ASSERT_EQUAL(histogram_count(text, "apim_request_duration_seconds", "(other)"), 4);
    CU_ASSERT_EQUAL(histogram_count(text, "apim_backend_duration_seconds", "(other)"), 1);
    CU_ASSERT_EQUAL(value(text, "apim_backend_errors_total{api=\"(other)\",reason=\"timeout\"}"),
                    1);
    CU_ASSERT_EQUAL(
        value(text, "apim_requests_total{api=\"api-7\",operation=\"op\",status=\"200\"}"), 2);
    CU_ASSERT_EQUAL(count_lines(text, "apim_requests_total{"), METRICS_MAX_SERIES / 2 + 3);
    ASSERT_VALID_EXPOSITION(text);
    struct metrics_totals t, tm;
    metrics_totals(m, &t);
    CU_ASSERT_EQUAL(t.requests, METRICS_MAX_SERIES / 2 + 5);
    /* a merge of a full metrics keeps every count, folding what does not fit */
    struct metrics *dst = metrics_new();
    add(dst, rec("first", "op", 200, 0.001));
    metrics_merge(dst, m);
    metrics_totals(dst, &tm);
    CU_ASSERT_EQUAL(tm.requests, t.requests + 1);
    CU_ASSERT_EQUAL(tm.backend_errors, 1);
    free(text);
    text = render(dst);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_VALID_EXPOSITION(text);
    CU_ASSERT_EQUAL(
        value(text, "apim_requests_total{api=\"first\",operation=\"op\",status=\"200\"}"), 1);
    free(text);
    metrics_free(dst);
    metrics_free(m);
}

/* The text does not depend on the order records arrived in: series are
 * sorted by family, API, operation, then status as a number. */
static void test_deterministic(void)
{
    struct metrics_record r[] = {
        rec("b", "y", 200, 0.1),
        rec("a", "z", 500, 0.2),
        rec("a", "y", 1000, 0.3),
        rec("a", "y", 99, 0.01),
        rec("a", "y", 404, 0.01),
        rec_backend("b", 500, 0.1, 0.1, GW_BACKEND_TIMEOUT),
        rec_backend("a", 500, 0.1, 0.1, GW_BACKEND_OTHER),
        rec_backend("a", 500, 0.1, 0.1, GW_BACKEND_CONNECT),
        rec("", "", 404, 0.001),
    };
    size_t n = sizeof(r) / sizeof(r[0]);
    struct metrics *fwd = metrics_new(), *rev = metrics_new();
    for (size_t i = 0; i < n; i++) {
        add(fwd, r[i]);
        add(rev, r[n - 1 - i]);
    }
    char *a = render(fwd), *b = render(rev);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(a, b);
    ASSERT_VALID_EXPOSITION(a);
    static const char *const order[] = {
        "apim_requests_total{api=\"\",operation=\"\",status=\"404\"}",
        "apim_requests_total{api=\"a\",operation=\"op\",status=\"500\"}",
        "apim_requests_total{api=\"a\",operation=\"y\",status=\"99\"}",
        "apim_requests_total{api=\"a\",operation=\"y\",status=\"404\"}",
        "apim_requests_total{api=\"a\",operation=\"y\",status=\"1000\"}",
        "apim_requests_total{api=\"a\",operation=\"z\",status=\"500\"}",
        "apim_requests_total{api=\"b\",operation=\"op\",status=\"500\"}",
        "apim_requests_total{api=\"b\",operation=\"y\",status=\"200\"}",
        "apim_request_duration_seconds_bucket{api=\"\",",
        "apim_request_duration_seconds_bucket{api=\"a\",",
        "apim_request_duration_seconds_bucket{api=\"b\",",
        "apim_backend_duration_seconds_bucket{api=\"a\",",
        "apim_backend_duration_seconds_bucket{api=\"b\",",
        "apim_backend_errors_total{api=\"a\",reason=\"connect\"}",
        "apim_backend_errors_total{api=\"a\",reason=\"other\"}",
        "apim_backend_errors_total{api=\"b\",reason=\"timeout\"}",
    };
    const char *prev = a;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        const char *at = strstr(a, order[i]);
        CU_ASSERT_PTR_NOT_NULL(at);
        CU_ASSERT_TRUE(at != NULL && at > prev);
        if (at)
            prev = at;
    }
    free(a);
    free(b);
    metrics_free(fwd);
    metrics_free(rev);
}

/* A ceiling that is too low makes rendering fail rather than cut a line. */
static void test_render_ceiling(void)
{
    struct metrics *m = metrics_new();
    add(m, rec("a", "x", 200, 0.002));
    struct buf b;
    buf_init(&b, 100);
    CU_ASSERT_EQUAL(metrics_render(m, &b), -1);
    buf_release(&b);
    metrics_free(m);
}

/* Each worker's connection snapshot replaces its last; a scrape sums them. */
static void test_conns(void)
{
    struct metrics *w1 = metrics_new(), *w2 = metrics_new(), *merged = metrics_new();
    metrics_set_conns(w1, &(struct metrics_conns){ 9, 9, 9, 9, 9, 9 });
    metrics_set_conns(w1, &(struct metrics_conns){ 3, 1, 2, 5, 1, 6 });
    metrics_set_conns(w2, &(struct metrics_conns){ 4, 0, 1, 2, 0, 2 });
    metrics_merge(merged, w1);
    metrics_merge(merged, w2);
    char *text = render(merged);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_VALID_EXPOSITION(text);
    CU_ASSERT_EQUAL(value(text, "apim_client_connections{state=\"head\"}"), 7);
    CU_ASSERT_EQUAL(value(text, "apim_client_connections{state=\"body\"}"), 1);
    CU_ASSERT_EQUAL(value(text, "apim_client_connections{state=\"idle\"}"), 3);
    CU_ASSERT_EQUAL(value(text, "apim_client_timeouts_total{phase=\"head\"}"), 7);
    CU_ASSERT_EQUAL(value(text, "apim_client_timeouts_total{phase=\"body\"}"), 1);
    CU_ASSERT_EQUAL(value(text, "apim_client_refused_total"), 8);
    free(text);
    metrics_free(w1);
    metrics_free(w2);
    metrics_free(merged);
}

static CU_TestInfo tests[] = {
    { "exposition checker", test_checker },
    { "empty", test_empty },
    { "golden text", test_golden },
    { "counters by api, operation, status", test_counters },
    { "histogram buckets", test_histogram },
    { "backend duration only when called", test_backend_duration },
    { "backend errors by reason", test_backend_errors },
    { "merge workers", test_merge },
    { "label escaping", test_label_escaping },
    { "series cap", test_series_cap },
    { "deterministic order", test_deterministic },
    { "render ceiling", test_render_ceiling },
    { "client connections", test_conns },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "metrics", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
