/* Unit tests for runtime/admin.c: GET /status (JSON: identity, state, the
 * plan's hash and counts, reloads with the last error, counters from the
 * merged metrics), GET /metrics (Prometheus text with the gateway's own
 * series after metrics.h's), 404 for other paths and 405 for other
 * methods, each with API Management's JSON error body. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "cunit_run.h"
#include "testutil.h"

static struct plan *plan;

static int setup(void)
{
    char path[4096];
    const char *slash = strrchr(__FILE__, '/');
    snprintf(path, sizeof(path), "%.*s/../../azure-templates/echo-api.json",
             slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
    static const char *const params[] = { "backendUrl=http://127.0.0.1:5000", NULL };
    struct tu t;
    tu_init(&t);
    plan = tu_plan_file(&t, path, params);
    tu_release(&t);
    return plan ? 0 : -1;
}

static int teardown(void)
{
    plan_free(plan);
    return 0;
}

static struct metrics_record rec(const char *api, int status, bool called,
                                 enum gw_backend_error err)
{
    return (struct metrics_record){ .api = str_from_cstr(api),
                                    .operation = STR_LIT("get-item"),
                                    .status = status,
                                    .seconds = 0.01,
                                    .backend_called = called,
                                    .backend_seconds = 0.005,
                                    .backend_error = err };
}

/* Two workers' worth of requests, merged as a scrape does. */
static struct metrics *scrape(void)
{
    struct metrics *w1 = metrics_new(), *w2 = metrics_new(), *m = metrics_new();
    struct metrics_record r[] = {
        rec("echo-api", 200, true, GW_BACKEND_OK),
        rec("echo-api", 200, true, GW_BACKEND_OK),
        rec("echo-api", 201, true, GW_BACKEND_OK),
        rec("echo-api", 302, true, GW_BACKEND_OK),
        rec("echo-api", 401, false, GW_BACKEND_OK),
        rec("", 404, false, GW_BACKEND_OK),
        rec("echo-api", 500, true, GW_BACKEND_CONNECT),
        rec("echo-api", 500, true, GW_BACKEND_TIMEOUT),
        rec("echo-api", 0, true, GW_BACKEND_OK),
    };
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
        metrics_add(i % 2 ? w1 : w2, &r[i]);
    metrics_merge(m, w1);
    metrics_merge(m, w2);
    metrics_free(w1);
    metrics_free(w2);
    return m;
}

static struct admin_view view(const struct metrics *m)
{
    return (struct admin_view){ .name = "local",
                                .version = "0.3.0",
                                .state = "running",
                                .url = "http://127.0.0.1:8080",
                                .admin_url = "http://127.0.0.1:8081",
                                .config = "azure-templates/echo-api.json",
                                .host = "127.0.0.1",
                                .pid = 4242,
                                .threads = 4,
                                .started_at = 1700000000,
                                .uptime_seconds = 12.5,
                                .plan = plan,
                                .plan_loaded_at = 1700000060,
                                .reloads_ok = 2,
                                .reloads_failed = 0,
                                .in_flight = 3,
                                .metrics = m };
}

/* admin_route's answer: status, body (free() it) and content type. */
static int route(const struct admin_view *v, const char *method, const char *path, char **body,
                 const char **type)
{
    struct buf b;
    buf_init(&b, 1u << 20);
    *type = NULL;
    int status = admin_route(v, method, path, &b, type);
    *body = buf_steal(&b, NULL);
    return status;
}

/* The /status document, parsed (NULL, and a failed assertion, if not JSON). */
static json_t *status_doc(const struct admin_view *v)
{
    char *body;
    const char *type;
    CU_ASSERT_EQUAL(route(v, "GET", "/status", &body, &type), 200);
    CU_ASSERT_PTR_NOT_NULL(type);
    if (type)
        CU_ASSERT_STRING_EQUAL(type, "application/json");
    json_error_t err;
    json_t *j = json_loads(body, 0, &err);
    if (j == NULL)
        fprintf(stderr, "\n  /status is not JSON (%s): %s", err.text, body);
    CU_ASSERT_TRUE(j != NULL && json_is_object(j));
    free(body);
    return j;
}

static const char *sget(const json_t *j, const char *path)
{
    return json_string_value(json_object_get(j, path));
}

/* An integer member (-1 if missing or not an integer). */
static json_int_t iget(const json_t *j, const char *key)
{
    const json_t *v = json_object_get(j, key);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

#define ASSERT_SGET(j, key, want)                 \
    do {                                          \
        const char *got_ = sget((j), (key));      \
        CU_ASSERT_PTR_NOT_NULL(got_);             \
        if (got_)                                 \
            CU_ASSERT_STRING_EQUAL(got_, (want)); \
    } while (0)

/* ---- /status ---- */

static void test_status_fields(void)
{
    struct metrics *m = scrape();
    struct admin_view v = view(m);
    json_t *j = status_doc(&v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ASSERT_SGET(j, "name", "local");
    ASSERT_SGET(j, "version", "0.3.0");
    ASSERT_SGET(j, "state", "running");
    ASSERT_SGET(j, "url", "http://127.0.0.1:8080");
    ASSERT_SGET(j, "adminUrl", "http://127.0.0.1:8081");
    ASSERT_SGET(j, "config", "azure-templates/echo-api.json");
    CU_ASSERT_EQUAL(iget(j, "pid"), 4242);
    CU_ASSERT_EQUAL(iget(j, "threads"), 4);
    ASSERT_SGET(j, "startedAt", "2023-11-14T22:13:20Z");
    /* whole seconds, an integer: 12.5 s of uptime is 12 */
    CU_ASSERT_TRUE(json_is_integer(json_object_get(j, "uptimeSeconds")));
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "uptimeSeconds")), 12);

    const json_t *pl = json_object_get(j, "plan");
    CU_ASSERT_TRUE_FATAL(json_is_object(pl));
    CU_ASSERT_EQUAL(strlen(plan->hash), 16);
    ASSERT_SGET(pl, "hash", plan->hash);
    ASSERT_SGET(pl, "loadedAt", "2023-11-14T22:14:20Z");
    CU_ASSERT_EQUAL(iget(pl, "apis"), (json_int_t)plan->napis);
    CU_ASSERT_EQUAL(iget(pl, "apis"), 1);
    CU_ASSERT_EQUAL(iget(pl, "operations"), 3);
    CU_ASSERT_EQUAL(iget(pl, "products"), (json_int_t)plan->nproducts);
    CU_ASSERT_EQUAL(iget(pl, "subscriptions"), (json_int_t)plan->nsubs);
    CU_ASSERT_EQUAL(iget(pl, "backends"), (json_int_t)plan->nbackends);

    const json_t *c = json_object_get(j, "counters");
    CU_ASSERT_TRUE_FATAL(json_is_object(c));
    struct metrics_totals t;
    metrics_totals(m, &t);
    CU_ASSERT_EQUAL(iget(c, "requests"), 9);
    CU_ASSERT_EQUAL(iget(c, "requests"), (json_int_t)t.requests);
    CU_ASSERT_EQUAL(iget(c, "inFlight"), 3);
    CU_ASSERT_EQUAL(iget(c, "2xx"), 3);
    CU_ASSERT_EQUAL(iget(c, "3xx"), 1);
    CU_ASSERT_EQUAL(iget(c, "4xx"), 2);
    CU_ASSERT_EQUAL(iget(c, "5xx"), 2);
    CU_ASSERT_EQUAL(iget(c, "unanswered"), 1);
    CU_ASSERT_EQUAL(iget(c, "backendCalls"), 7);
    CU_ASSERT_EQUAL(iget(c, "backendErrors"), 2);
    json_decref(j);
    metrics_free(m);
}

/* No metrics yet, no config file, no plan load time: zeros and nulls. */
static void test_status_fresh(void)
{
    struct metrics *m = metrics_new();
    struct admin_view v = view(m);
    v.config = NULL;
    v.plan_loaded_at = 0;
    v.in_flight = 0;
    v.state = "draining";
    json_t *j = status_doc(&v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ASSERT_SGET(j, "config", "");
    ASSERT_SGET(j, "state", "draining");
    CU_ASSERT_TRUE(json_is_null(json_object_get(json_object_get(j, "plan"), "loadedAt")));
    const json_t *c = json_object_get(j, "counters");
    static const char *const keys[] = { "requests",   "inFlight",     "2xx",
                                        "3xx",        "4xx",          "5xx",
                                        "unanswered", "backendCalls", "backendErrors" };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        CU_ASSERT_EQUAL(iget(c, keys[i]), 0);
    CU_ASSERT_EQUAL(json_object_size(c), sizeof(keys) / sizeof(keys[0]));
    json_decref(j);
    metrics_free(m);
}

/* Reloads: lastError is null while the last reload worked, else an object
 * with the message and its time. */
static void test_status_reloads(void)
{
    struct metrics *m = metrics_new();
    struct admin_view v = view(m);
    json_t *j = status_doc(&v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    const json_t *r = json_object_get(j, "reloads");
    CU_ASSERT_TRUE_FATAL(json_is_object(r));
    CU_ASSERT_EQUAL(iget(r, "ok"), 2);
    CU_ASSERT_EQUAL(iget(r, "failed"), 0);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(r, "lastError"));
    CU_ASSERT_TRUE(json_is_null(json_object_get(r, "lastError")));
    json_decref(j);

    v.reloads_failed = 5;
    v.last_error = "echo.json:3:7: error: unknown property \"x\"\n\twith a tab";
    v.last_error_at = 1700000120;
    j = status_doc(&v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    r = json_object_get(j, "reloads");
    CU_ASSERT_EQUAL(iget(r, "ok"), 2);
    CU_ASSERT_EQUAL(iget(r, "failed"), 5);
    const json_t *e = json_object_get(r, "lastError");
    CU_ASSERT_TRUE_FATAL(json_is_object(e));
    ASSERT_SGET(e, "message", "echo.json:3:7: error: unknown property \"x\"\n\twith a tab");
    ASSERT_SGET(e, "time", "2023-11-14T22:15:20Z");
    json_decref(j);

    v.last_error_at = 0; /* a time not known: null, the message still there */
    j = status_doc(&v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    e = json_object_get(json_object_get(j, "reloads"), "lastError");
    CU_ASSERT_TRUE(json_is_null(json_object_get(e, "time")));
    CU_ASSERT_PTR_NOT_NULL(sget(e, "message"));
    json_decref(j);
    metrics_free(m);
}

/* Text from outside the gateway may not be UTF-8: a diagnostic line cut at
 * its buffer's end in the middle of a character, a config path in another
 * encoding. /status still answers, with those bytes replaced. */
static void test_status_not_utf8(void)
{
    struct metrics *m = metrics_new();
    struct admin_view v = view(m);
    v.last_error = "t.json:1:2: error: unknown property 'caf\xc3";
    v.last_error_at = 1700000120;
    v.config = "/tmp/caf\xe9.json";
    json_t *j = status_doc(&v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ASSERT_SGET(j, "config", "/tmp/caf?.json");
    const json_t *e = json_object_get(json_object_get(j, "reloads"), "lastError");
    ASSERT_SGET(e, "message", "t.json:1:2: error: unknown property 'caf?");
    ASSERT_SGET(j, "name", "local");
    json_decref(j);
    /* valid UTF-8 is kept as it is */
    v.config = "/tmp/caf\xc3\xa9.json";
    j = status_doc(&v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ASSERT_SGET(j, "config", "/tmp/caf\xc3\xa9.json");
    json_decref(j);
    metrics_free(m);
}

/* HEAD is answered as GET (the server drops the body). */
static void test_status_head(void)
{
    struct metrics *m = metrics_new();
    struct admin_view v = view(m);
    char *body;
    const char *type;
    CU_ASSERT_EQUAL(route(&v, "HEAD", "/status", &body, &type), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(body, "\"name\": \"local\""));
    free(body);
    CU_ASSERT_EQUAL(route(&v, "HEAD", "/metrics", &body, &type), 200);
    free(body);
    metrics_free(m);
}

/* ---- /metrics ---- */

/* Every line is a HELP or TYPE comment or "name[{labels}] value"; each
 * family's TYPE comes once and before its samples. Returns the number of
 * problems (printed). */
static unsigned exposition_problems(const char *text)
{
    char types[32][96];
    size_t ntypes = 0;
    unsigned problems = 0;
    if (text[0] == '\0' || text[strlen(text) - 1] != '\n')
        problems++;
    for (const char *l = text; *l;) {
        const char *eol = strchr(l, '\n');
        size_t len = eol ? (size_t)(eol - l) : strlen(l);
        char line[1024];
        snprintf(line, sizeof(line), "%.*s", (int)len, l);
        l += len + (eol != NULL);
        if (strncmp(line, "# HELP ", 7) == 0)
            continue;
        char name[96], rest[1024];
        if (strncmp(line, "# TYPE ", 7) == 0) {
            char kind[32];
            bool ok = sscanf(line + 7, "%95s %31s", name, kind) == 2 &&
                      (strcmp(kind, "counter") == 0 || strcmp(kind, "gauge") == 0 ||
                       strcmp(kind, "histogram") == 0);
            for (size_t i = 0; i < ntypes; i++)
                ok &= strcmp(types[i], name) != 0;
            if (ok && ntypes < 32)
                snprintf(types[ntypes++], sizeof(types[0]), "%s", name);
            else
                problems++;
            continue;
        }
        size_t n = strspn(line, "abcdefghijklmnopqrstuvwxyz_:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        snprintf(name, sizeof(name), "%.*s", (int)n, line);
        snprintf(rest, sizeof(rest), "%s", line + n);
        bool typed = false;
        for (size_t i = 0; i < ntypes; i++) {
            size_t tl = strlen(types[i]);
            typed |= strcmp(name, types[i]) == 0 ||
                     (strncmp(name, types[i], tl) == 0 &&
                      (strcmp(name + tl, "_bucket") == 0 || strcmp(name + tl, "_sum") == 0 ||
                       strcmp(name + tl, "_count") == 0));
        }
        const char *value = rest;
        if (rest[0] == '{') {
            const char *close = strstr(rest, "\"} ");
            value = close ? close + 2 : NULL;
        }
        char *end = NULL;
        if (value && value[0] == ' ')
            (void)strtod(value + 1, &end);
        bool ok = n > 0 && typed && end != NULL && end != value + 1 && *end == '\0';
        if (!ok) {
            fprintf(stderr, "\n  bad exposition line: %s", line);
            problems++;
        }
    }
    return problems;
}

static void test_metrics_text(void)
{
    struct metrics *m = scrape();
    struct admin_view v = view(m);
    v.reloads_failed = 1;
    char *body;
    const char *type;
    CU_ASSERT_EQUAL(route(&v, "GET", "/metrics", &body, &type), 200);
    CU_ASSERT_PTR_NOT_NULL_FATAL(type);
    CU_ASSERT_STRING_EQUAL(type, "text/plain; version=0.0.4; charset=utf-8");
    CU_ASSERT_EQUAL(exposition_problems(body), 0);
    /* metrics.h's series first, then the gateway's own */
    CU_ASSERT_PTR_NOT_NULL(strstr(
        body, "\napim_requests_total{api=\"echo-api\",operation=\"get-item\",status=\"200\"} 2\n"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(body, "\napim_backend_errors_total{api=\"echo-api\",reason=\"timeout\"} 1\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(body, "\n# TYPE apim_requests_in_flight gauge\n"
                                        "apim_requests_in_flight 3\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(body, "\napim_uptime_seconds 12.500\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(body, "\n# TYPE apim_plan_reloads_total counter\n"
                                        "apim_plan_reloads_total{result=\"ok\"} 2\n"
                                        "apim_plan_reloads_total{result=\"failed\"} 1\n"));
    char build[256];
    snprintf(build, sizeof(build),
             "\n# TYPE apim_build_info gauge\n"
             "apim_build_info{version=\"0.3.0\",plan=\"%s\",gateway=\"local\"} 1\n",
             plan->hash);
    CU_ASSERT_PTR_NOT_NULL(strstr(body, build));
    const char *own = strstr(body, "# HELP apim_requests_in_flight");
    const char *series = strstr(body, "# TYPE apim_backend_errors_total");
    CU_ASSERT_TRUE(own != NULL && series != NULL && series < own);
    free(body);
    metrics_free(m);
}

/* The version and gateway name are label values: escaped. */
static void test_metrics_escaping(void)
{
    struct metrics *m = metrics_new();
    struct admin_view v = view(m);
    v.version = "1.0 \"beta\"\\x";
    v.name = "two\nlines";
    char *body;
    const char *type;
    CU_ASSERT_EQUAL(route(&v, "GET", "/metrics", &body, &type), 200);
    CU_ASSERT_EQUAL(exposition_problems(body), 0);
    char build[256];
    snprintf(build, sizeof(build),
             "apim_build_info{version=\"1.0 \\\"beta\\\"\\\\x\",plan=\"%s\","
             "gateway=\"two\\nlines\"} 1\n",
             plan->hash);
    CU_ASSERT_PTR_NOT_NULL(strstr(body, build));
    free(body);
    metrics_free(m);
}

/* ---- other paths and methods ---- */

static void expect_error(const struct admin_view *v, const char *method, const char *path,
                         int status, const char *message)
{
    char *body;
    const char *type;
    CU_ASSERT_EQUAL(route(v, method, path, &body, &type), status);
    CU_ASSERT_PTR_NOT_NULL(type);
    if (type)
        CU_ASSERT_STRING_EQUAL(type, "application/json");
    json_t *j = json_loads(body, 0, NULL);
    CU_ASSERT_TRUE(json_is_object(j));
    CU_ASSERT_EQUAL(iget(j, "statusCode"), status);
    const char *msg = sget(j, "message");
    CU_ASSERT_TRUE(msg != NULL && strcmp(msg, message) == 0);
    CU_ASSERT_EQUAL(json_object_size(j), 2);
    json_decref(j);
    free(body);
}

static void test_not_found(void)
{
    struct metrics *m = metrics_new();
    struct admin_view v = view(m);
    static const char *const paths[] = { "/",       "/nope",     "/status/", "/STATUS",
                                         "/metric", "/metrics/", "/status/x" };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        expect_error(&v, "GET", paths[i], 404, "Resource not found");
    char *body;
    const char *type;
    CU_ASSERT_EQUAL(route(&v, "GET", "/nope", &body, &type), 404);
    CU_ASSERT_STRING_EQUAL(body, "{ \"statusCode\": 404, \"message\": \"Resource not found\" }\n");
    free(body);
    metrics_free(m);
}

static void test_method_not_allowed(void)
{
    struct metrics *m = metrics_new();
    struct admin_view v = view(m);
    expect_error(&v, "POST", "/status", 405, "Method not allowed");
    expect_error(&v, "PUT", "/status", 405, "Method not allowed");
    expect_error(&v, "DELETE", "/metrics", 405, "Method not allowed");
    expect_error(&v, "get", "/status", 405, "Method not allowed"); /* methods are case-sensitive */
    expect_error(&v, "POST", "/elsewhere", 404, "Resource not found");
    metrics_free(m);
}

/* ---- the jobs endpoints (jobs.h over a plan's job records) ---- */

#define QDEF(extra)                                                                                \
    "{\"batchInterval\":1000,\"autoStart\":true,\"sources\":[{\"name\":\"q\",\"type\":\"queue\"}]" \
    ","                                                                                            \
    "\"pipeline\":[],\"outputs\":[{\"type\":\"print\"}" extra "]}"

static struct plan_job pjob(const char *name, const char *def, const char *hash, bool autostart)
{
    return (struct plan_job){ .name = str_from_cstr(name),
                              .definition = str_from_cstr(def),
                              .hash = str_from_cstr(hash),
                              .flags = autostart ? PLAN_JOB_AUTO_START : 0 };
}

/* A plan that has only these jobs (jobs_apply reads nothing else). */
static void apply(struct jobs *js, struct plan_job *v, size_t n)
{
    struct plan p = { .jobs = v, .njobs = n };
    jobs_apply(js, &p);
}

static json_t *answer(const struct admin_view *v, const char *method, const char *path, int want)
{
    char *body;
    const char *type;
    int got = route(v, method, path, &body, &type);
    if (got != want)
        fprintf(stderr, "\n  %s %s: %d, not %d: %s", method, path, got, want, body);
    CU_ASSERT_EQUAL(got, want);
    json_t *j = json_loads(body, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL(j);
    free(body);
    return j;
}

/* The state of job name in GET /jobs. */
static const char *state_of(json_t *list, const char *name)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) if (strcmp(sget(o, "name"), name) == 0) return sget(o, "state");
    return "absent";
}

static char state_dir[] = "/tmp/apim-test-jobs-XXXXXX";

static void test_jobs_endpoints(void)
{
    char err[256] = "";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(state_dir));
    struct jobs *js = jobs_new(state_dir, 8080, 8081, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(js);
    struct plan_job v[] = {
        pjob("a", QDEF(""), "h1", true),
        pjob("b", QDEF(""), "h2", false),
        pjob("clash", QDEF(",{\"type\":\"serve\",\"listen\":\"127.0.0.1:8080\"}"), "h3", true),
    };
    apply(js, v, 3);
    struct metrics *m = metrics_new();
    struct admin_view av = view(m);
    av.jobs = js;
    json_t *list = answer(&av, "GET", "/jobs", 200);
    CU_ASSERT_EQUAL(json_array_size(list), 3);
    CU_ASSERT_STRING_EQUAL(state_of(list, "a"), "running");
    CU_ASSERT_STRING_EQUAL(state_of(list, "b"), "stopped");
    CU_ASSERT_STRING_EQUAL(state_of(list, "clash"), "failed");
    CU_ASSERT_PTR_NOT_NULL(strstr(sget(json_array_get(list, 2), "error"), "gateway's own port"));
    json_decref(list);
    json_t *st = status_doc(&av);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(st, "jobs")), 3);
    json_decref(st);
    json_t *a = answer(&av, "GET", "/jobs/a", 200);
    ASSERT_SGET(a, "hash", "h1");
    CU_ASSERT_TRUE(json_is_object(json_object_get(a, "status")));
    CU_ASSERT_TRUE(json_is_null(json_object_get(a, "latest"))); /* no batch yet */
    json_decref(a);
    json_decref(answer(&av, "GET", "/jobs/zz", 404));
    json_t *r = answer(&av, "POST", "/jobs/b/start", 200);
    ASSERT_SGET(r, "state", "running");
    ASSERT_SGET(r, "message", "started");
    json_decref(r);
    r = answer(&av, "POST", "/jobs/b/start", 200);
    ASSERT_SGET(r, "message", "already running");
    json_decref(r);
    r = answer(&av, "POST", "/jobs/a/stop", 200);
    ASSERT_SGET(r, "state", "stopped");
    json_decref(r);
    r = answer(&av, "POST", "/jobs/clash/start", 409);
    ASSERT_SGET(r, "state", "failed");
    CU_ASSERT_PTR_NOT_NULL(strstr(sget(r, "message"), "127.0.0.1:8080"));
    json_decref(r);
    json_decref(answer(&av, "GET", "/jobs/a/start", 405));
    json_decref(answer(&av, "POST", "/jobs", 405));
    json_decref(answer(&av, "POST", "/jobs/a/restart", 404));
    json_decref(answer(&av, "POST", "/jobs/zz/stop", 404));
    json_decref(answer(&av, "POST", "/jobs//stop", 404));
    jobs_free(js);
    metrics_free(m);
    /* print went to STATE/jobs/NAME.out, one per job that ran */
    char path[256];
    for (const char *const *n = (const char *const[]){ "a", "b", NULL }; *n; n++) {
        snprintf(path, sizeof(path), "%s/jobs/%s.out", state_dir, *n);
        CU_ASSERT_EQUAL(unlink(path), 0);
    }
    snprintf(path, sizeof(path), "%s/jobs", state_dir);
    CU_ASSERT_EQUAL(rmdir(path), 0);
    CU_ASSERT_EQUAL(rmdir(state_dir), 0);
}

/* A reload: same hash keeps running, a changed one restarts, a removed one
 * stops, a new autoStart one starts; a stopped changed job stays stopped
 * unless autoStart. */
static void test_jobs_reload(void)
{
    char err[256] = "";
    struct jobs *js = jobs_new(NULL, 8080, 8081, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(js);
    struct plan_job v1[] = { pjob("a", QDEF(""), "h1", true), pjob("b", QDEF(""), "h2", true) };
    apply(js, v1, 2);
    struct plan_job v2[] = { pjob("a", QDEF(""), "h1", true), pjob("c", QDEF(""), "h4", true),
                             pjob("d", QDEF(""), "h5", false) };
    apply(js, v2, 3);
    json_t *list = jobs_list_json(js);
    CU_ASSERT_STRING_EQUAL(state_of(list, "a"), "running");
    CU_ASSERT_STRING_EQUAL(state_of(list, "b"), "absent");
    CU_ASSERT_STRING_EQUAL(state_of(list, "c"), "running");
    CU_ASSERT_STRING_EQUAL(state_of(list, "d"), "stopped");
    json_decref(list);
    char msg[128];
    CU_ASSERT_EQUAL(jobs_stop(js, "c", msg, sizeof(msg)), JOBS_OK);
    struct plan_job v3[] = { pjob("a", QDEF(""), "h1b", false), pjob("c", QDEF(""), "h4b", false),
                             pjob("d", QDEF(""), "h5", false) };
    apply(js, v3, 3);
    json_t *a = jobs_get_json(js, "a");
    ASSERT_SGET(a, "state", "running"); /* changed while running: restarted */
    ASSERT_SGET(a, "hash", "h1b");
    json_decref(a);
    json_t *c = jobs_get_json(js, "c");
    ASSERT_SGET(c, "state", "stopped"); /* changed while stopped, not autoStart */
    json_decref(c);
    CU_ASSERT_PTR_NULL(jobs_get_json(js, "b"));
    CU_ASSERT_EQUAL(jobs_start(js, "zz", msg, sizeof(msg)), JOBS_NOT_FOUND);
    jobs_free(js);
    jobs_free(NULL);
}

static CU_TestInfo tests[] = {
    { "jobs endpoints", test_jobs_endpoints },
    { "jobs across reloads", test_jobs_reload },
    { "status fields", test_status_fields },
    { "status when fresh", test_status_fresh },
    { "status reloads and last error", test_status_reloads },
    { "status with bytes that are not UTF-8", test_status_not_utf8 },
    { "HEAD", test_status_head },
    { "metrics text", test_metrics_text },
    { "metrics label escaping", test_metrics_escaping },
    { "404", test_not_found },
    { "405", test_method_not_allowed },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "admin", setup, teardown, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
