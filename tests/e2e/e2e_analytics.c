/* End to end: examples/api-analytics through a gateway. The example's
 * template and job sidecar are started with `apim gateway start`, with two
 * changes the test needs: the jobs' serve ports are ports the test picks,
 * and time is scaled (batches of 500 ms instead of 10 s, windows of 4 s
 * instead of 60 s) so that windows close within the test; the pipelines are
 * the example's. The test sends traffic to the example's Orders API (path
 * 'shop', the echo backend): 2xx, slow 2xx, and 4xx/5xx (no key: 401, the
 * backend dropping the connection, /close: 500), and one 404 (no operation:
 * no ApiId, so not counted). Then it
 * reads the jobs' results THROUGH the gateway (the API Stats and API Errors
 * APIs, whose backends are the jobs' serve ports) and checks them against
 * what was sent and against the gateway's own access log: per window, the
 * requests counted, the p95 (PERCENTILE_CONT) and max of TotalTime, and the
 * errors counted. A window holds a contiguous run of the log's lines (the
 * source reads the file in order), so when the traffic straddles two
 * windows each is checked against its own run. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../unit/cunit_run.h"
#include "harness.h"

#define MAX_REQ 128

static struct h_gateway gw;
static char key_header[128];

/* The example's sidecar with the test's ports and time scale. */
static void scale_jobs(const char *in, const char *out, int stats, int errors)
{
    json_t *doc = json_load_file(in, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    size_t i, k;
    json_t *job, *step;
    json_array_foreach(json_object_get(doc, "streamingJobs"), i, job)
    {
        json_t *p = json_object_get(job, "properties");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(p, "batchInterval")), "10s");
        json_object_set_new(p, "batchInterval", json_string("500ms"));
        json_array_foreach(json_object_get(p, "pipeline"), k, step)
        {
            if (!json_object_get(step, "length"))
                continue;
            CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(step, "length")), "60s");
            json_object_set_new(step, "length", json_string("4s"));
            json_object_set_new(step, "slide", json_string("4s"));
        }
        json_t *serve = json_array_get(json_object_get(p, "outputs"), 0);
        char listen[64];
        snprintf(listen, sizeof(listen), "127.0.0.1:%d", i == 0 ? stats : errors);
        json_object_set_new(serve, "listen", json_string(listen));
    }
    CU_ASSERT_EQUAL(json_dump_file(doc, out, JSON_INDENT(2)), 0);
    json_decref(doc);
}

static void copy_file(const char *from, const char *to)
{
    FILE *f = fopen(from, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    char full[600];
    CU_ASSERT_EQUAL(h_write_file(to, text, full, sizeof(full)), 0);
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static void master_key(void)
{
    const char *args[] = { "subscription", "list",     "--gateway-name", gw.name,
                           "--show-keys",  "--output", "json",           NULL };
    struct buf out, err;
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    CU_ASSERT_EQUAL(h_apim(&out, &err, args), 0);
    json_t *subs = json_loads(out.data ? out.data : "", 0, NULL);
    size_t i;
    json_t *s;
    json_array_foreach(subs, i, s) if (strcmp(jstr(s, "name"), "master") == 0) snprintf(
        key_header, sizeof(key_header), "Ocp-Apim-Subscription-Key: %s", jstr(s, "primaryKey"));
    CU_ASSERT_NOT_EQUAL(key_header[0], '\0');
    json_decref(subs);
    buf_release(&out);
    buf_release(&err);
}

static long get(const char *path, bool with_key, struct h_resp *keep)
{
    char url[300];
    snprintf(url, sizeof(url), "%s%s", gw.url, path);
    const char *h[] = { key_header, NULL };
    struct h_resp r;
    h_http(&r, "GET", url, with_key ? h : NULL, NULL, 20000);
    long status = r.status;
    if (keep)
        *keep = r;
    else
        h_resp_release(&r);
    return status;
}

static bool jobs_running(void *ctx)
{
    (void)ctx;
    const char *args[] = { "job", "list", "--gateway-name", gw.name, "--output=json", NULL };
    struct buf out, err;
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    int rc = h_apim(&out, &err, args);
    json_t *rows = json_loads(out.data ? out.data : "", 0, NULL);
    size_t i, running = 0;
    json_t *row;
    json_array_foreach(rows, i, row) running += strcmp(jstr(row, "state"), "running") == 0;
    json_decref(rows);
    buf_release(&out);
    buf_release(&err);
    return rc == 0 && running == 2;
}

/* What was sent: how many requests reached 'shop', how many of them failed. */
struct sent {
    int requests, errors;
};

static void send_one(struct sent *s, const char *path, bool key, long want)
{
    long st = get(path, key, NULL);
    CU_ASSERT_EQUAL(st, want);
    s->requests++;
    s->errors += st < 200 || st >= 400;
}

static void send_traffic(struct sent *s)
{
    char path[64];
    for (int i = 0; i < 20; i++) {
        snprintf(path, sizeof(path), "/shop/orders/%d", i);
        send_one(s, path, true, 200);
    }
    send_one(s, "/shop/orders/slow?ms=300", true, 200);
    send_one(s, "/shop/orders/slow?ms=200", true, 200);
    send_one(s, "/shop/orders/1", false, 401);
    send_one(s, "/shop/orders/2", false, 401);
    /* the backend closes without answering: 500 BackendConnectionFailure */
    send_one(s, "/shop/orders/close", true, 500);
    send_one(s, "/shop/orders/close", true, 500);
    /* no operation matches: ApiId is null in the log (as the gateway logs
     * OperationNotFound), so the jobs' filter leaves it out */
    CU_ASSERT_EQUAL(get("/shop/nothing-here", true, NULL), 404);
}

/* The gateway's access log: 'shop' lines in order, their totalMs and
 * whether each failed (not 2xx/3xx). */
struct logged {
    double ms[MAX_REQ];
    bool failed[MAX_REQ];
    size_t n;
};

static void read_log(struct logged *l)
{
    struct buf text;
    buf_init(&text, 64u << 20);
    CU_ASSERT_EQUAL_FATAL(h_state_file(&gw, "access.log", &text), 0);
    l->n = 0;
    for (char *line = text.data; line && *line && l->n < MAX_REQ;) {
        char *nl = strchr(line, '\n');
        json_t *o = json_loadb(line, nl ? (size_t)(nl - line) : strlen(line), 0, NULL);
        if (o && strcmp(jstr(o, "api"), "shop") == 0) {
            json_int_t st = json_integer_value(json_object_get(o, "status"));
            l->ms[l->n] = json_number_value(json_object_get(o, "totalMs"));
            l->failed[l->n++] = st < 200 || st >= 400;
        }
        json_decref(o);
        line = nl ? nl + 1 : NULL;
    }
    buf_release(&text);
}

/* The log has as many 'shop' lines as l->n says (the gateway writes a
 * line once the answer is sent). */
static bool logged_all(void *ctx)
{
    struct logged *l = ctx;
    size_t want = l->n;
    read_log(l);
    bool ok = l->n == want;
    if (!ok)
        l->n = want;
    return ok;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* PERCENTILE_CONT(p) of v[0..n) (sorts v). */
static double percentile(double *v, size_t n, double p)
{
    qsort(v, n, sizeof(double), cmp_double);
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)floor(pos), hi = (size_t)ceil(pos);
    return v[lo] + (v[hi] - v[lo]) * (pos - (double)lo);
}

/* The 'shop' record of each window of an API's /batches, oldest first. */
static json_t *shop_windows(const char *api)
{
    char path[64];
    snprintf(path, sizeof(path), "/%s/batches?since=0&limit=1000", api);
    struct h_resp r;
    json_t *out = json_array();
    if (get(path, true, &r) == 200 && r.body.data) {
        json_t *doc = json_loads(r.body.data, 0, NULL);
        size_t i, k;
        json_t *b, *rec;
        json_array_foreach(json_object_get(doc, "batches"), i, b) json_array_foreach(
            json_object_get(b, "records"), k, rec) if (strcmp(jstr(rec, "key"), "shop") == 0)
            json_array_append(out, rec);
        json_decref(doc);
    }
    h_resp_release(&r);
    return out;
}

struct want {
    const char *api, *field;
    int total;
};

static bool counted_all(void *ctx)
{
    struct want *w = ctx;
    json_t *wins = shop_windows(w->api);
    size_t i;
    json_t *rec;
    json_int_t sum = 0;
    json_array_foreach(wins, i, rec) sum +=
        json_integer_value(w->field ? json_object_get(json_object_get(rec, "value"), w->field)
                                    : json_object_get(rec, "value"));
    json_decref(wins);
    return sum == w->total;
}

/* Each window of api-stats against its run of the log: requests, p95, max. */
static void check_stats(const struct logged *l)
{
    json_t *wins = shop_windows("stats");
    size_t i, at = 0;
    json_t *rec;
    json_array_foreach(wins, i, rec)
    {
        json_t *v = json_object_get(rec, "value");
        size_t n = (size_t)json_integer_value(json_object_get(v, "requests"));
        CU_ASSERT_FATAL(n > 0 && at + n <= l->n);
        double run[MAX_REQ], max = 0;
        memcpy(run, l->ms + at, n * sizeof(double));
        for (size_t k = 0; k < n; k++)
            max = run[k] > max ? run[k] : max;
        double p95 = percentile(run, n, 0.95);
        printf("\n  window %zu: %zu requests, p95 %.3f ms (log: %.3f), max %.3f ms (log: %.3f)", i,
               n, json_number_value(json_object_get(v, "p95Ms")), p95,
               json_number_value(json_object_get(v, "maxMs")), max);
        CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(v, "p95Ms")), p95, 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(v, "maxMs")), max, 1e-6);
        at += n;
    }
    CU_ASSERT_EQUAL(at, l->n);
    json_decref(wins);
}

static void test_analytics(void)
{
    struct h_backend be;
    CU_ASSERT_FATAL(h_backend_start(&be) == 0);
    int stats = h_dead_port(), errors = h_dead_port();
    char dir[512], from[600], to[600];
    snprintf(dir, sizeof(dir), "%s/analytics", h_scratch());
    mkdir(dir, 0700);
    snprintf(from, sizeof(from), "%s/examples/api-analytics/azuredeploy.json", h_root());
    snprintf(to, sizeof(to), "%s/azuredeploy.json", dir);
    copy_file(from, to);
    snprintf(from, sizeof(from), "%s/examples/api-analytics/api-analytics.jobs.json", h_root());
    snprintf(to, sizeof(to), "%s/api-analytics.jobs.json", dir);
    scale_jobs(from, to, stats, errors);
    char p_backend[128], p_stats[128], p_errors[128];
    snprintf(p_backend, sizeof(p_backend), "backendUrl=%s", be.url);
    snprintf(p_stats, sizeof(p_stats), "statsUrl=http://127.0.0.1:%d", stats);
    snprintf(p_errors, sizeof(p_errors), "errorsUrl=http://127.0.0.1:%d", errors);
    const char *extra[] = { "--parameters", p_backend, "--parameters", p_stats, "--parameters",
                            p_errors,       NULL };
    CU_ASSERT_FATAL(h_gateway_start(&gw, "analytics", dir, extra) == 0);
    master_key();
    CU_ASSERT_FATAL(h_wait(jobs_running, NULL, 10000));
    struct sent s = { 0 };
    send_traffic(&s);
    struct logged l = { .n = (size_t)s.requests }; /* n: the lines awaited */
    CU_ASSERT_TRUE(h_wait(logged_all, &l, 5000));
    CU_ASSERT_EQUAL(l.n, (size_t)s.requests);
    int failed = 0;
    for (size_t i = 0; i < l.n; i++)
        failed += l.failed[i];
    CU_ASSERT_EQUAL(failed, s.errors);
    printf("\n  sent %d requests to 'shop', %d failed", s.requests, s.errors);
    /* requests per window and errors per window, through the gateway */
    struct want req = { "stats", "requests", s.requests }, err = { "errors", NULL, s.errors };
    CU_ASSERT_TRUE(h_wait(counted_all, &req, 20000));
    CU_ASSERT_TRUE(h_wait(counted_all, &err, 20000));
    check_stats(&l);
    printf("\n");
    CU_ASSERT_EQUAL(h_gateway_stop(&gw), 0);
    h_backend_stop(&be);
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    h_init(argv[1], argv[2], argv[3]);
    CU_TestInfo tests[] = {
        { "api-analytics: requests, p95, errors per API", test_analytics },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "e2e_analytics", NULL, NULL, NULL, NULL, tests },
                              CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
