/* e2e_traffic.c - the gateway as a client sees it: the real apim binary
 * started with `apim gateway start`, the echo backend behind it, and real
 * HTTP requests for every behaviour of the routing plan: API Management's
 * error bodies, subscription keys and scopes, routing, forwarding, backend
 * failures, and the shipped templates (azure-templates/, examples/seed/).
 *
 *   e2e_traffic APIM ECHO_BACKEND SOURCE_ROOT
 */
#include <CUnit/Basic.h>
#include <curl/curl.h>
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/cunit_run.h"
#include "harness.h"

static const char body_401_missing[] =
    "{ \"statusCode\": 401, \"message\": \"Access denied due to missing subscription key. Make "
    "sure to include subscription key when making requests to an API.\" }";
static const char body_401_invalid[] =
    "{ \"statusCode\": 401, \"message\": \"Access denied due to invalid subscription key. Make "
    "sure to provide a valid key for an active subscription.\" }";
static const char body_404[] = "{ \"statusCode\": 404, \"message\": \"Resource not found\" }";

static struct h_backend backend;
static struct h_gateway gw; /* the scopes.json gateway */

/* ---- helpers ---- */

static long get(const char *path, const char *const *headers, struct h_resp *r)
{
    char url[1024];
    snprintf(url, sizeof(url), "%s%s", gw.url, path);
    h_http(r, "GET", url, headers, NULL, 0);
    return r->status;
}

/* GET path and return the status, discarding the response. */
static long status_of(const char *path, const char *const *headers)
{
    struct h_resp r;
    long s = get(path, headers, &r);
    h_resp_release(&r);
    return s;
}

/* The echo backend's JSON description of what it received. */
static json_t *echoed(const struct h_resp *r)
{
    json_t *j = json_loads(r->body.data ? r->body.data : "", 0, NULL);
    if (j == NULL)
        fprintf(stderr, "not echo JSON (status %ld): %.300s\n", r->status,
                r->body.data ? r->body.data : "");
    return j;
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* A request header as the backend saw it (names are compared without case). */
static const char *seen_header(json_t *echo, const char *name)
{
    json_t *h = json_object_get(echo, "headers");
    const char *k;
    json_t *v;
    json_object_foreach(h, k, v)
    {
        if (strcasecmp(k, name) == 0)
            return json_string_value(v);
    }
    return NULL;
}

static bool is_uuid(const char *s)
{
    regex_t re;
    regcomp(&re, "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
            REG_EXTENDED | REG_NOSUB);
    bool ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* The operation the access log recorded for the newest line with this url. */
struct log_query {
    const char *url;
    char op[128];
    char line[4096];
};

static bool find_in_log(void *ctx)
{
    struct log_query *q = ctx;
    struct buf b;
    buf_init(&b, 64u << 20);
    bool found = false;
    if (h_state_file(&gw, "access.log", &b) == 0) {
        char needle[1100];
        snprintf(needle, sizeof(needle), "\"url\":\"%s\"", q->url);
        const char *hit = NULL;
        for (const char *p = strstr(b.data, needle); p; p = strstr(p + 1, needle))
            hit = p;
        if (hit) {
            const char *start = hit, *end = strchr(hit, '\n');
            while (start > b.data && start[-1] != '\n')
                start--;
            snprintf(q->line, sizeof(q->line), "%.*s", (int)(end - start), start);
            json_t *j = json_loads(q->line, 0, NULL);
            snprintf(q->op, sizeof(q->op), "%s",
                     json_is_string(json_object_get(j, "operation")) ? jstr(j, "operation")
                                                                     : "(null)");
            json_decref(j);
            found = true;
        }
    }
    buf_release(&b);
    return found;
}

static const char *logged_operation(const char *url, struct log_query *q)
{
    memset(q, 0, sizeof(*q));
    q->url = url;
    if (!h_wait(find_in_log, q, 3000))
        return "(not logged)";
    return q->op;
}

/* ---- the scopes suite: tests/e2e/configs/scopes.json ---- */

static int scopes_init(void)
{
    if (h_backend_start(&backend) != 0)
        return 1;
    char cfg[512], bu[128], du[128];
    snprintf(cfg, sizeof(cfg), "%s/tests/e2e/configs/scopes.json", h_root());
    snprintf(bu, sizeof(bu), "backendUrl=%s", backend.url);
    snprintf(du, sizeof(du), "deadUrl=http://127.0.0.1:%d", h_dead_port());
    const char *extra[] = { "-p", bu, "-p", du, "--backend-timeout", "1", NULL };
    return h_gateway_start(&gw, "e2e-scopes", cfg, extra) == 0 ? 0 : 1;
}

static int scopes_cleanup(void)
{
    int rc = h_gateway_stop(&gw);
    h_backend_stop(&backend);
    return rc == 0 ? 0 : 1;
}

static void expect_error(const char *path, const char *const *headers, long status,
                         const char *body)
{
    struct h_resp r;
    get(path, headers, &r);
    CU_ASSERT_EQUAL(r.status, status);
    CU_ASSERT_STRING_EQUAL(r.body.data, body);
    char type[128] = "";
    CU_ASSERT_EQUAL(h_resp_header(&r, "Content-Type", type, sizeof(type)), 0);
    CU_ASSERT_STRING_EQUAL(type, "application/json");
    h_resp_release(&r);
}

static void test_error_bodies(void)
{
    expect_error("/alpha/x", NULL, 401, body_401_missing);
    const char *bad[] = { "Ocp-Apim-Subscription-Key: not-a-key", NULL };
    expect_error("/alpha/x", bad, 401, body_401_invalid);
    expect_error("/alpha/x?subscription-key=not-a-key", NULL, 401, body_401_invalid);
    expect_error("/nowhere", NULL, 404, body_404);
    expect_error("/", NULL, 404, body_404);
    expect_error("/alphabet/x", NULL, 404, body_404); /* a prefix, not a segment */
    expect_error("/shop/v1/nothing-here", NULL, 404, body_404);
    expect_error("/shop/v1/items/1/2", NULL, 404, body_404);
}

static void test_key_in_header_and_query(void)
{
    const char *h[] = { "Ocp-Apim-Subscription-Key: gold-primary-0001", NULL };
    struct h_resp r;
    CU_ASSERT_EQUAL(get("/alpha/things?a=1", h, &r), 200);
    json_t *e = echoed(&r);
    CU_ASSERT_STRING_EQUAL(jstr(e, "path"), "/things");
    CU_ASSERT_STRING_EQUAL(jstr(e, "query"), "a=1");
    /* API Management forwards the key header unless a policy removes it. */
    const char *k = seen_header(e, "Ocp-Apim-Subscription-Key");
    CU_ASSERT_PTR_NOT_NULL(k);
    CU_ASSERT_STRING_EQUAL(k ? k : "", "gold-primary-0001");
    json_decref(e);
    h_resp_release(&r);

    CU_ASSERT_EQUAL(get("/alpha/things?subscription-key=gold-primary-0001&b=2", NULL, &r), 200);
    e = echoed(&r);
    CU_ASSERT_STRING_EQUAL(jstr(e, "query"), "subscription-key=gold-primary-0001&b=2");
    json_decref(e);
    h_resp_release(&r);
    /* The header wins over the query parameter. */
    const char *both[] = { "Ocp-Apim-Subscription-Key: wrong", NULL };
    CU_ASSERT_EQUAL(status_of("/alpha/x?subscription-key=gold-primary-0001", both), 401);
}

static void test_primary_and_secondary(void)
{
    const char *p[] = { "Ocp-Apim-Subscription-Key: gold-primary-0001", NULL };
    const char *s[] = { "Ocp-Apim-Subscription-Key: gold-secondary-0001", NULL };
    const char *c[] = { "Ocp-Apim-Subscription-Key: GOLD-PRIMARY-0001", NULL };
    CU_ASSERT_EQUAL(status_of("/alpha/x", p), 200);
    CU_ASSERT_EQUAL(status_of("/alpha/x", s), 200);
    CU_ASSERT_EQUAL(status_of("/alpha/x", c), 401); /* keys are exact */
}

static void test_scopes(void)
{
    const char *gold[] = { "Ocp-Apim-Subscription-Key: gold-primary-0001", NULL };
    const char *beta[] = { "Ocp-Apim-Subscription-Key: beta-primary-0001", NULL };
    const char *all[] = { "Ocp-Apim-Subscription-Key: all-primary-0001", NULL };
    /* product scope: only the product's APIs */
    CU_ASSERT_EQUAL(status_of("/alpha/x", gold), 200);
    CU_ASSERT_EQUAL(status_of("/beta/x", gold), 401);
    /* API scope: only that API */
    CU_ASSERT_EQUAL(status_of("/beta/x", beta), 200);
    CU_ASSERT_EQUAL(status_of("/alpha/x", beta), 401);
    /* all APIs */
    CU_ASSERT_EQUAL(status_of("/alpha/x", all), 200);
    CU_ASSERT_EQUAL(status_of("/beta/x", all), 200);
    CU_ASSERT_EQUAL(status_of("/gamma/x", all), 200);
}

static void test_master_key(void)
{
    const char *args[] = { "subscription", "list",     "--gateway-name", gw.name,
                           "--show-keys",  "--output", "json",           NULL };
    struct buf out, err;
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    CU_ASSERT_EQUAL(h_apim(&out, &err, args), 0);
    json_t *subs = json_loads(out.data ? out.data : "", 0, NULL);
    CU_ASSERT_TRUE(json_is_array(subs));
    char header[200] = "";
    size_t i;
    json_t *s;
    json_array_foreach(subs, i, s)
    {
        if (strcmp(jstr(s, "name"), "master") == 0)
            snprintf(header, sizeof(header), "Ocp-Apim-Subscription-Key: %s",
                     jstr(s, "secondaryKey"));
    }
    CU_ASSERT_EQUAL(strlen(header), strlen("Ocp-Apim-Subscription-Key: ") + 32);
    const char *h[] = { header, NULL };
    CU_ASSERT_EQUAL(status_of("/alpha/x", h), 200);
    CU_ASSERT_EQUAL(status_of("/delta/x?apikey=x", h), 401); /* header name is X-Api-Key */
    json_decref(subs);
    buf_release(&out);
    buf_release(&err);
}

static void test_states(void)
{
    const char *susp[] = { "Ocp-Apim-Subscription-Key: suspended-primary-0001", NULL };
    const char *subm[] = { "Ocp-Apim-Subscription-Key: submitted-primary-0001", NULL };
    expect_error("/alpha/x", susp, 401, body_401_invalid);
    expect_error("/alpha/x", subm, 401, body_401_invalid);
}

static void test_custom_key_names(void)
{
    const char *custom[] = { "X-Api-Key: delta-primary-0001", NULL };
    const char *standard[] = { "Ocp-Apim-Subscription-Key: delta-primary-0001", NULL };
    CU_ASSERT_EQUAL(status_of("/delta/x", custom), 200);
    CU_ASSERT_EQUAL(status_of("/delta/x?apikey=delta-primary-0001", NULL), 200);
    /* The API renamed its key header, so the standard one is not a key. */
    expect_error("/delta/x", standard, 401, body_401_missing);
    expect_error("/delta/x?subscription-key=delta-primary-0001", NULL, 401, body_401_missing);
}

static void test_no_key_needed(void)
{
    CU_ASSERT_EQUAL(status_of("/free/x", NULL), 200);  /* subscriptionRequired: false */
    CU_ASSERT_EQUAL(status_of("/gamma/x", NULL), 200); /* in an open product */
    const char *bad[] = { "Ocp-Apim-Subscription-Key: not-a-key", NULL };
    CU_ASSERT_EQUAL(status_of("/free/x", bad), 401); /* a key given is checked */
}

static void test_routing(void)
{
    struct {
        const char *url, *op, *backend_path;
    } rows[] = {
        { "/shop/v1/items/42", "get-item", "/items/42" },
        { "/shop/v1/items/42.json", "get-item-json", "/items/42.json" },
        { "/shop/v1/items/new", "new-item", "/items/new" },
        { "/shop/v1/items", "list-items", "/items" },
        { "/shop/v1/items/", "list-items", "/items/" },
        { "/SHOP/V1/items/7", "get-item", "/items/7" },
        { "/shop/v1/search?q=pen", "search", "/search" },
        { "/shop/v1/search?other=1", "search-all", "/search" },
        { "/shop/v1/files/a/b/c.txt", "files", "/files/a/b/c.txt" },
        { "/shop/v1/items/a%20b", "get-item", "/items/a%20b" },
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct h_resp r;
        CU_ASSERT_EQUAL(get(rows[i].url, NULL, &r), 200);
        json_t *e = echoed(&r);
        if (strcmp(jstr(e, "path"), rows[i].backend_path) != 0)
            fprintf(stderr, "%s: backend saw %s\n", rows[i].url, jstr(e, "path"));
        CU_ASSERT_STRING_EQUAL(jstr(e, "path"), rows[i].backend_path);
        json_decref(e);
        h_resp_release(&r);
        struct log_query q;
        const char *op = logged_operation(rows[i].url, &q);
        if (strcmp(op, rows[i].op) != 0)
            fprintf(stderr, "%s: matched %s, expected %s\n", rows[i].url, op, rows[i].op);
        CU_ASSERT_STRING_EQUAL(op, rows[i].op);
    }
}

static void test_forwarding(void)
{
    char url[512];
    snprintf(url, sizeof(url), "%s/free/orders/9?x=1&y=%%2F", gw.url);
    const char *h[] = { "X-Test: hello", "Content-Type: application/json",
                        "X-Forwarded-For: 10.1.2.3", NULL };
    struct h_resp r;
    h_http(&r, "PUT", url, h, "{\"n\": 1}", 0);
    CU_ASSERT_EQUAL(r.status, 200);
    json_t *e = echoed(&r);
    CU_ASSERT_STRING_EQUAL(jstr(e, "method"), "PUT");
    CU_ASSERT_STRING_EQUAL(jstr(e, "path"), "/orders/9");
    CU_ASSERT_STRING_EQUAL(jstr(e, "query"), "x=1&y=%2F");
    CU_ASSERT_STRING_EQUAL(jstr(e, "body"), "{\"n\": 1}");
    const char *v = seen_header(e, "X-Test");
    CU_ASSERT_STRING_EQUAL(v ? v : "", "hello");
    v = seen_header(e, "X-Forwarded-For");
    CU_ASSERT_STRING_EQUAL(v ? v : "", "10.1.2.3, 127.0.0.1");
    v = seen_header(e, "Host"); /* the backend's own, not the gateway's */
    char host[64];
    snprintf(host, sizeof(host), "127.0.0.1:%d", backend.port);
    CU_ASSERT_STRING_EQUAL(v ? v : "", host);
    json_decref(e);
    h_resp_release(&r);
    /* The base path of serviceUrl comes first. */
    const char *beta[] = { "Ocp-Apim-Subscription-Key: beta-primary-0001", NULL };
    CU_ASSERT_EQUAL(get("/beta/a/b", beta, &r), 200);
    e = echoed(&r);
    CU_ASSERT_STRING_EQUAL(jstr(e, "path"), "/beta-base/a/b");
    json_decref(e);
    h_resp_release(&r);
}

static void test_header_details(void)
{
    char url[256];
    snprintf(url, sizeof(url), "%s/free/h", gw.url);
    /* "X-Empty;" is how curl sends a header with an empty value */
    /* "Content-Type:" stops the test's own curl from adding one */
    const char *h[] = { "X-Empty;", "Connection: keep-alive, X-Hop", "X-Hop: 1",
                        "Content-Type:", NULL };
    struct h_resp r;
    h_http(&r, "POST", url, h, "", 0);
    CU_ASSERT_EQUAL(r.status, 200);
    json_t *e = echoed(&r);
    const char *v = seen_header(e, "X-Empty");
    CU_ASSERT_PTR_NOT_NULL(v);
    CU_ASSERT_STRING_EQUAL(v ? v : "(none)", "");
    CU_ASSERT_PTR_NULL(seen_header(e, "X-Hop"));        /* named by Connection */
    CU_ASSERT_PTR_NULL(seen_header(e, "Content-Type")); /* the client sent none */
    json_decref(e);
    h_resp_release(&r);
}

static void test_methods(void)
{
    const char *methods[] = { "POST", "PATCH", "DELETE", "OPTIONS" };
    for (size_t i = 0; i < 4; i++) {
        char url[256];
        snprintf(url, sizeof(url), "%s/free/m", gw.url);
        struct h_resp r;
        h_http(&r, methods[i], url, NULL, NULL, 0);
        CU_ASSERT_EQUAL(r.status, 200);
        json_t *e = echoed(&r);
        CU_ASSERT_STRING_EQUAL(jstr(e, "method"), methods[i]);
        json_decref(e);
        h_resp_release(&r);
    }
    char url[256];
    snprintf(url, sizeof(url), "%s/free/m", gw.url);
    struct h_resp r;
    h_http(&r, "HEAD", url, NULL, NULL, 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(r.body.len, 0);
    h_resp_release(&r);
    /* No operation for this method: 404, not 405 (as API Management). */
    snprintf(url, sizeof(url), "%s/shop/v1/items", gw.url);
    h_http(&r, "DELETE", url, NULL, NULL, 0);
    CU_ASSERT_EQUAL(r.status, 404);
    CU_ASSERT_STRING_EQUAL(r.body.data, body_404);
    h_resp_release(&r);
}

/* Backend calls reuse their curl handles without resetting them: after a
 * HEAD the next POST still sends its body, after a POST a GET sends none,
 * a DELETE is not turned back into a GET. Several rounds, so that every
 * worker's handles go through each change. */
static void test_methods_back_to_back(void)
{
    static const struct {
        const char *method, *body;
    } seq[] = { { "HEAD", NULL },    { "POST", "first" }, { "GET", NULL },  { "PUT", "second" },
                { "DELETE", NULL },  { "GET", NULL },     { "HEAD", NULL }, { "PATCH", "third" },
                { "OPTIONS", NULL }, { "POST", "" },      { "GET", NULL } };

    char url[256];
    snprintf(url, sizeof(url), "%s/free/seq", gw.url);
    for (int round = 0; round < 4; round++) {
        for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
            struct h_resp r;
            h_http(&r, seq[i].method, url, NULL, seq[i].body, 0);
            CU_ASSERT_EQUAL(r.status, 200);
            if (strcmp(seq[i].method, "HEAD") == 0) {
                CU_ASSERT_EQUAL(r.body.len, 0);
            } else {
                json_t *e = echoed(&r);
                CU_ASSERT_STRING_EQUAL(jstr(e, "method"), seq[i].method);
                CU_ASSERT_STRING_EQUAL(jstr(e, "body"), seq[i].body ? seq[i].body : "");
                json_decref(e);
            }
            h_resp_release(&r);
        }
    }
}

static void test_backend_answers_pass_through(void)
{
    struct h_resp r;
    CU_ASSERT_EQUAL(get("/free/status/503", NULL, &r), 503);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body.data, "503"));
    h_resp_release(&r);
    CU_ASSERT_EQUAL(get("/free/status/404", NULL, &r), 404);
    CU_ASSERT_STRING_NOT_EQUAL(r.body.data, body_404); /* the backend's own body */
    h_resp_release(&r);
    CU_ASSERT_EQUAL(get("/free/headers/set?name=X-From-Backend&value=yes%20indeed", NULL, &r), 200);
    char v[64] = "";
    CU_ASSERT_EQUAL(h_resp_header(&r, "X-From-Backend", v, sizeof(v)), 0);
    CU_ASSERT_STRING_EQUAL(v, "yes indeed");
    h_resp_release(&r);
    CU_ASSERT_EQUAL(get("/free/big?bytes=5000000", NULL, &r), 200);
    CU_ASSERT_EQUAL(r.body.len, 5000000);
    h_resp_release(&r);
    CU_ASSERT_EQUAL(get("/free/status/204", NULL, &r), 204);
    h_resp_release(&r);
}

/* Big answers are streamed through (not held whole); the client may go
 * away in the middle without harm to the gateway. */
static size_t stop_after_a_megabyte(char *data, size_t size, size_t n, void *userp)
{
    (void)data;
    size_t *seen = userp;
    *seen += size * n;
    return *seen > (1u << 20) ? 0 : size * n;
}

/* The gateway's peak resident memory (VmHWM), in KiB. */
static long peak_kib(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
    FILE *f = fopen(path, "r");
    long kib = -1;
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

static void test_streamed_answers(void)
{
    struct h_resp r;
    long before = peak_kib(gw.pid);
    CU_ASSERT_EQUAL(get("/free/big?bytes=64000000", NULL, &r), 200);
    CU_ASSERT_EQUAL(r.body.len, 64000000);
    h_resp_release(&r);
    /* streamed, not held: 64 MB went through without the peak growing by it */
    long grew = peak_kib(gw.pid) - before;
    if (grew >= 32 * 1024)
        fprintf(stderr, "peak memory grew by %ld KiB for a 64 MB answer\n", grew);
    CU_ASSERT_TRUE(before > 0 && grew < 32 * 1024);
    CU_ASSERT_EQUAL(get("/free/big?bytes=20000000", NULL, &r), 200);
    CU_ASSERT_EQUAL(r.body.len, 20000000);
    char v[64] = "";
    CU_ASSERT_EQUAL(h_resp_header(&r, "Content-Length", v, sizeof(v)), 0);
    CU_ASSERT_STRING_EQUAL(v, "20000000"); /* the backend's length, not chunked */
    h_resp_release(&r);
    /* HEAD says how long a GET would be, as the backend does */
    char url[256];
    snprintf(url, sizeof(url), "%s/free/big?bytes=12345", gw.url);
    h_http(&r, "HEAD", url, NULL, NULL, 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(h_resp_header(&r, "Content-Length", v, sizeof(v)), 0);
    CU_ASSERT_STRING_EQUAL(v, "12345");
    h_resp_release(&r);
    /* a client that hangs up after a megabyte of a 60 MB answer */
    CURL *e = curl_easy_init();
    size_t seen = 0;
    snprintf(url, sizeof(url), "%s/free/big?bytes=60000000&hangup=1", gw.url);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, stop_after_a_megabyte);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &seen);
    CU_ASSERT_EQUAL(curl_easy_perform(e), CURLE_WRITE_ERROR);
    curl_easy_cleanup(e);
    struct log_query q;
    logged_operation("/free/big?bytes=60000000&hangup=1", &q);
    CU_ASSERT_PTR_NOT_NULL(strstr(q.line, "\"error\":\"ClientConnectionFailure\""));
    CU_ASSERT_EQUAL(status_of("/free/x", NULL), 200); /* and it serves on */
}

static void expect_500(const char *path, double max_seconds)
{
    struct h_resp r;
    get(path, NULL, &r);
    CU_ASSERT_EQUAL(r.status, 500);
    CU_ASSERT_TRUE(r.seconds < max_seconds);
    json_t *j = json_loads(r.body.data, 0, NULL);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "statusCode")), 500);
    CU_ASSERT_STRING_EQUAL(jstr(j, "message"), "Internal server error");
    CU_ASSERT_TRUE(is_uuid(jstr(j, "activityId")));
    /* byte for byte: the shape API Management sends */
    char expect[256];
    snprintf(expect, sizeof(expect),
             "{ \"statusCode\": 500, \"message\": \"Internal server error\", \"activityId\": "
             "\"%s\" }",
             jstr(j, "activityId"));
    CU_ASSERT_STRING_EQUAL(r.body.data, expect);
    json_decref(j);
    h_resp_release(&r);
}

static void test_backend_failures(void)
{
    expect_500("/down/x", 2.0);                       /* nothing listens: refused */
    expect_500("/free/slow?ms=4000", 3.0);            /* --backend-timeout 1 */
    expect_500("/free/close", 2.0);                   /* the backend hangs up */
    CU_ASSERT_EQUAL(status_of("/free/x", NULL), 200); /* and the gateway is fine */
}

static void test_request_too_large(void)
{
    int port = (int)strtol(strrchr(gw.url, ':') + 1, NULL, 10);
    const char req[] = "POST /free/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Length: 2000000000\r\n\r\n"; /* > 1 GiB */
    struct buf ans;
    buf_init(&ans, 1 << 20);
    CU_ASSERT_EQUAL(h_raw(port, req, sizeof(req) - 1, &ans, 3000), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data ? ans.data : "", "HTTP/1.1 413"));
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data ? ans.data : "", "\"statusCode\": 413"));
    buf_release(&ans);
}

/* Request headers share libmicrohttpd's 32 KiB per connection
 * (APIM_CONNECTION_MEMORY): 20 KiB of them reach the backend whole, 40 KiB get
 * 431 and the gateway goes on serving. */
static void test_big_request_headers(void)
{
    static char fits[20 * 1024], too_big[40 * 1024];
    memcpy(fits, "X-Big: ", 7);
    memset(fits + 7, 'a', sizeof(fits) - 8);
    memcpy(too_big, "X-Big: ", 7);
    memset(too_big + 7, 'b', sizeof(too_big) - 8);

    const char *ok_headers[] = { fits, NULL };
    struct h_resp r;
    CU_ASSERT_EQUAL(get("/free/big-headers", ok_headers, &r), 200);
    json_t *echo = echoed(&r);
    const char *seen = seen_header(echo, "X-Big");
    CU_ASSERT_EQUAL(seen ? strlen(seen) : 0, sizeof(fits) - 8);
    json_decref(echo);
    h_resp_release(&r);

    const char *big_headers[] = { too_big, NULL };
    CU_ASSERT_EQUAL(status_of("/free/big-headers", big_headers), 431);
    CU_ASSERT_EQUAL(status_of("/free/after-big-headers", NULL), 200);
}

static void test_garbage_requests(void)
{
    int port = (int)strtol(strrchr(gw.url, ':') + 1, NULL, 10);

    struct {
        const char *request, *answer; /* what the answer must contain ("": anything) */
    } rows[] = {
        /* libmicrohttpd closes on a request line it cannot parse */
        { "GARBAGE\r\n\r\n", "" },
        { "GET /free/x HTTP/1.1\r\nHost: a\r\nBad Header Line\r\n\r\n", "HTTP/1.1 400" },
        /* absolute-form targets are routed by their path */
        { "GET http://example.com/free/abs HTTP/1.1\r\nHost: example.com\r\n\r\n",
          "\"path\": \"/abs\"" },
        /* bad escapes are refused (docs/gateway.md, "Paths"); good ones of
         * reserved characters are passed on as they are */
        { "GET /free/%zz%00 HTTP/1.1\r\nHost: a\r\n\r\n", "\"statusCode\": 400" },
        { "GET /free/%00%2f HTTP/1.1\r\nHost: a\r\n\r\n", "\"path\": \"/%00%2f\"" },
        { "GET * HTTP/1.1\r\nHost: a\r\n\r\n", body_404 },
        { "GET free/x HTTP/1.1\r\nHost: a\r\n\r\n", body_404 }, /* not a path */
        { "GET /free/x HTTP/1.0\r\n\r\n", " 200 OK" },
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct buf ans;
        buf_init(&ans, 1 << 20);
        h_raw(port, rows[i].request, strlen(rows[i].request), &ans, 1000);
        if (strstr(ans.data ? ans.data : "", rows[i].answer) == NULL)
            fprintf(stderr, "%s-> %s\n", rows[i].request, ans.data ? ans.data : "(nothing)");
        CU_ASSERT_PTR_NOT_NULL(strstr(ans.data ? ans.data : "", rows[i].answer));
        buf_release(&ans);
    }
    CU_ASSERT_EQUAL(status_of("/free/x", NULL), 200); /* still serving */
}

static size_t discard(char *data, size_t size, size_t n, void *userp)
{
    (void)data;
    (void)userp;
    return size * n;
}

static void test_concurrent(void)
{
    enum {
        N = 64
    };

    CURLM *m = curl_multi_init();
    CURL *e[N];
    char url[256];
    snprintf(url, sizeof(url), "%s/free/slow?ms=200", gw.url);
    for (int i = 0; i < N; i++) {
        e[i] = curl_easy_init();
        curl_easy_setopt(e[i], CURLOPT_URL, url);
        curl_easy_setopt(e[i], CURLOPT_TIMEOUT, 20L);
        curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, discard);
        curl_multi_add_handle(m, e[i]);
    }
    long long t0 = h_now_ms();
    int running = N;
    while (running) {
        curl_multi_perform(m, &running);
        curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    long long elapsed = h_now_ms() - t0;
    int ok = 0;
    for (int i = 0; i < N; i++) {
        long status = 0;
        curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &status);
        ok += status == 200;
        curl_multi_remove_handle(m, e[i]);
        curl_easy_cleanup(e[i]);
    }
    curl_multi_cleanup(m);
    CU_ASSERT_EQUAL(ok, N);
    /* 64 calls of 200 ms each overlap: no worker waits on a backend. */
    CU_ASSERT_TRUE(elapsed < 5000);
}

static void test_keep_alive(void)
{
    CURL *e = curl_easy_init();
    char url[256];
    snprintf(url, sizeof(url), "%s/free/k", gw.url);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    long connects = 0, total = 0;
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_EQUAL(curl_easy_perform(e), CURLE_OK);
        curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &connects);
        total += connects;
    }
    CU_ASSERT_EQUAL(total, 1); /* one connection for five requests */
    curl_easy_cleanup(e);
}

static bool lines_have(const struct buf *b, const char *needle)
{
    return b->data && strstr(b->data, needle) != NULL;
}

static bool log_has_status_404(void *ctx)
{
    (void)ctx;
    struct buf b;
    buf_init(&b, 64u << 20);
    bool ok = h_state_file(&gw, "access.log", &b) == 0 && lines_have(&b, "\"status\":404");
    buf_release(&b);
    return ok;
}

static void test_access_log(void)
{
    CU_ASSERT_EQUAL(status_of("/alpha/secret?subscription-key=gold-primary-0001", NULL), 200);
    const char *h[] = { "Ocp-Apim-Subscription-Key: gold-secondary-0001", NULL };
    CU_ASSERT_EQUAL(status_of("/alpha/secret2", h), 200);
    CU_ASSERT_TRUE(h_wait(log_has_status_404, NULL, 3000));
    struct log_query q;
    CU_ASSERT_STRING_EQUAL(logged_operation("/alpha/secret2", &q), "get-any");
    usleep(400000); /* every worker has flushed */
    struct buf b;
    buf_init(&b, 64u << 20);
    CU_ASSERT_EQUAL(h_state_file(&gw, "access.log", &b), 0);
    CU_ASSERT_PTR_NULL(strstr(b.data, "gold-primary-0001"));
    CU_ASSERT_PTR_NULL(strstr(b.data, "gold-secondary-0001"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "/alpha/secret?subscription-key=***"));
    /* every line is one JSON object with the fields the docs promise */
    size_t lines = 0;
    for (char *line = b.data, *nl; line && *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (nl == NULL)
            break;
        *nl = '\0';
        json_t *j = json_loads(line, 0, NULL);
        CU_ASSERT_PTR_NOT_NULL(j);
        const char *keys[] = { "time",    "requestId", "method",        "url",
                               "api",     "operation", "status",        "backendStatus",
                               "totalMs", "backendMs", "subscriptionId" };
        for (size_t k = 0; j && k < sizeof(keys) / sizeof(keys[0]); k++)
            CU_ASSERT_PTR_NOT_NULL(json_object_get(j, keys[k]));
        CU_ASSERT_TRUE(j && is_uuid(jstr(j, "requestId")));
        json_decref(j);
        lines++;
    }
    CU_ASSERT_TRUE(lines >= 20);
    buf_release(&b);
    /* the line of the granted request names its subscription and product */
    CU_ASSERT_PTR_NOT_NULL(strstr(q.line, "\"subscriptionId\":\"gold-sub\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(q.line, "\"product\":\"gold\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(q.line, "\"backendStatus\":200"));
}

static void test_admin(void)
{
    char url[256];
    snprintf(url, sizeof(url), "%s/status", gw.admin);
    struct h_resp r;
    h_http(&r, "GET", url, NULL, NULL, 0);
    CU_ASSERT_EQUAL(r.status, 200);
    json_t *st = json_loads(r.body.data, 0, NULL);
    CU_ASSERT_STRING_EQUAL(jstr(st, "name"), "e2e-scopes");
    CU_ASSERT_STRING_EQUAL(jstr(st, "state"), "running");
    json_t *c = json_object_get(st, "counters");
    CU_ASSERT_TRUE(json_integer_value(json_object_get(c, "requests")) >= 20);
    CU_ASSERT_TRUE(json_integer_value(json_object_get(c, "4xx")) >= 5);
    CU_ASSERT_TRUE(json_integer_value(json_object_get(c, "backendErrors")) >= 2);
    CU_ASSERT_EQUAL(strlen(jstr(json_object_get(st, "plan"), "hash")), 16);
    json_decref(st);
    h_resp_release(&r);
    snprintf(url, sizeof(url), "%s/metrics", gw.admin);
    h_http(&r, "GET", url, NULL, NULL, 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(
        r.body.data, "apim_requests_total{api=\"shop\",operation=\"get-item\",status=\"200\"}"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(r.body.data, "apim_request_duration_seconds_bucket{api=\"free\""));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(r.body.data, "apim_backend_errors_total{api=\"down\",reason=\"connect\"}"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(r.body.data, "apim_backend_errors_total{api=\"free\",reason=\"timeout\"}"));
    h_resp_release(&r);
}

/* ---- the shipped templates ---- */

static int templates_init(void)
{
    return h_backend_start(&backend) == 0 ? 0 : 1;
}

static int templates_cleanup(void)
{
    h_backend_stop(&backend);
    return 0;
}

static void start_template(struct h_gateway *g, const char *name, const char *file,
                           const char *param)
{
    char cfg[512], p[256];
    snprintf(cfg, sizeof(cfg), "%s/azure-templates/%s", h_root(), file);
    snprintf(p, sizeof(p), "%s=%s", param, backend.url);
    const char *extra[] = { "-p", p, NULL };
    CU_ASSERT_FATAL(h_gateway_start(g, name, cfg, extra) == 0);
}

static long get_on(const struct h_gateway *g, const char *path, const char *const *headers,
                   char *backend_path, size_t len)
{
    char url[512];
    snprintf(url, sizeof(url), "%s%s", g->url, path);
    struct h_resp r;
    h_http(&r, "GET", url, headers, NULL, 0);
    json_t *e = r.status == 200 ? echoed(&r) : NULL;
    if (backend_path)
        snprintf(backend_path, len, "%s%s%s", jstr(e, "path"), *jstr(e, "query") ? "?" : "",
                 jstr(e, "query"));
    json_decref(e);
    long s = r.status;
    h_resp_release(&r);
    return s;
}

static void test_template_echo_api(void)
{
    struct h_gateway g;
    start_template(&g, "e2e-echo", "echo-api.json", "backendUrl");
    char path[512];
    const char *starter[] = { "Ocp-Apim-Subscription-Key: starter-primary-key-0001", NULL };
    const char *api[] = { "Ocp-Apim-Subscription-Key: echo-api-primary-key-0001", NULL };
    CU_ASSERT_EQUAL(get_on(&g, "/echo/resource", NULL, NULL, 0), 401);
    CU_ASSERT_EQUAL(get_on(&g, "/echo/resource?a=b", starter, path, sizeof(path)), 200);
    CU_ASSERT_STRING_EQUAL(path, "/resource?a=b");
    CU_ASSERT_EQUAL(get_on(&g, "/echo/items/17", api, path, sizeof(path)), 200);
    CU_ASSERT_STRING_EQUAL(path, "/items/17");
    CU_ASSERT_EQUAL(get_on(&g, "/echo/items", api, NULL, 0), 404); /* only POST /items */
    char url[512];
    snprintf(url, sizeof(url), "%s/echo/items", g.url);
    struct h_resp r;
    h_http(&r, "POST", url, starter, "{\"name\": \"pen\"}", 0);
    CU_ASSERT_EQUAL(r.status, 200);
    json_t *e = echoed(&r);
    CU_ASSERT_STRING_EQUAL(jstr(e, "body"), "{\"name\": \"pen\"}");
    json_decref(e);
    h_resp_release(&r);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

static void test_template_versioned_api(void)
{
    struct h_gateway g;
    start_template(&g, "e2e-versions", "versioned-api.json", "backendUrl");
    char path[512];
    CU_ASSERT_EQUAL(get_on(&g, "/orders/v1/orders/5", NULL, path, sizeof(path)), 200);
    CU_ASSERT_STRING_EQUAL(path, "/v1/orders/5");
    CU_ASSERT_EQUAL(get_on(&g, "/orders/v2/orders/5", NULL, path, sizeof(path)), 200);
    CU_ASSERT_STRING_EQUAL(path, "/v2/orders/5");
    /* the revision: its own backend, and the operation only it has */
    CU_ASSERT_EQUAL(get_on(&g, "/orders;rev=2/v2/orders/5", NULL, path, sizeof(path)), 200);
    CU_ASSERT_STRING_EQUAL(path, "/v2-preview/orders/5");
    CU_ASSERT_EQUAL(get_on(&g, "/orders;rev=2/v2/orders?customer=c1", NULL, path, sizeof(path)),
                    200);
    CU_ASSERT_STRING_EQUAL(path, "/v2-preview/orders?customer=c1");
    CU_ASSERT_EQUAL(get_on(&g, "/orders/v2/orders?customer=c1", NULL, NULL, 0), 404);
    CU_ASSERT_EQUAL(get_on(&g, "/orders;rev=1/v2/orders/5", NULL, path, sizeof(path)), 200);
    CU_ASSERT_STRING_EQUAL(path, "/v2/orders/5");
    CU_ASSERT_EQUAL(get_on(&g, "/orders;rev=9/v2/orders/5", NULL, NULL, 0), 404);
    CU_ASSERT_EQUAL(get_on(&g, "/orders/v3/orders/5", NULL, NULL, 0), 404);
    CU_ASSERT_EQUAL(get_on(&g, "/orders/orders/5", NULL, NULL, 0), 404);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

static void test_template_backend_entity(void)
{
    struct h_gateway g;
    start_template(&g, "e2e-backend", "backend-entity.json", "inventoryUrl");
    char path[512];
    CU_ASSERT_EQUAL(get_on(&g, "/inventory/stock", NULL, path, sizeof(path)), 200);
    CU_ASSERT_STRING_EQUAL(path, "/stock");
    CU_ASSERT_EQUAL(get_on(&g, "/inventory/stock/sku-1", NULL, path, sizeof(path)), 200);
    CU_ASSERT_STRING_EQUAL(path, "/stock/sku-1");
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

/* The seed's document names http://localhost:5000; the test points it at
 * its own backend instead of a fixed port. */
static void test_seed(void)
{
    char seed[512], text[8192], path[512];
    snprintf(seed, sizeof(seed), "%s/examples/seed/simple-api.json", h_root());
    FILE *f = fopen(seed, "r");
    CU_ASSERT_FATAL(f != NULL);
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, "http://localhost:5000");
    CU_ASSERT_FATAL(at != NULL);
    char copy[8400];
    snprintf(copy, sizeof(copy), "%.*s%s%s", (int)(at - text), text, backend.url,
             at + strlen("http://localhost:5000"));
    CU_ASSERT_FATAL(h_write_file("simple-api.json", copy, path, sizeof(path)) == 0);
    struct h_gateway g;
    const char *extra[] = { NULL };
    CU_ASSERT_FATAL(h_gateway_start(&g, "simple-gateway", path, extra) == 0);
    char seen[256];
    CU_ASSERT_EQUAL(get_on(&g, "/", NULL, seen, sizeof(seen)), 200);
    CU_ASSERT_STRING_EQUAL(seen, "/");
    CU_ASSERT_EQUAL(get_on(&g, "/other", NULL, NULL, 0), 404);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: e2e_traffic APIM ECHO_BACKEND SOURCE_ROOT\n");
        return 2;
    }
    h_init(argv[1], argv[2], argv[3]);
    static CU_TestInfo scopes[] = {
        { "error bodies", test_error_bodies },
        { "key in header and query", test_key_in_header_and_query },
        { "primary and secondary keys", test_primary_and_secondary },
        { "product, API and all-APIs scopes", test_scopes },
        { "built-in all-access key", test_master_key },
        { "subscription states", test_states },
        { "custom key names", test_custom_key_names },
        { "no key needed", test_no_key_needed },
        { "routing", test_routing },
        { "forwarding", test_forwarding },
        { "methods", test_methods },
        { "methods back to back", test_methods_back_to_back },
        { "header details", test_header_details },
        { "streamed answers", test_streamed_answers },
        { "backend answers pass through", test_backend_answers_pass_through },
        { "backend failures", test_backend_failures },
        { "request too large", test_request_too_large },
        { "big request headers", test_big_request_headers },
        { "garbage requests", test_garbage_requests },
        { "concurrent requests", test_concurrent },
        { "keep-alive", test_keep_alive },
        { "access log", test_access_log },
        { "admin endpoints", test_admin },
        CU_TEST_INFO_NULL,
    };
    static CU_TestInfo templates[] = {
        { "echo-api.json", test_template_echo_api },
        { "versioned-api.json", test_template_versioned_api },
        { "backend-entity.json", test_template_backend_entity },
        { "examples/seed", test_seed },
        CU_TEST_INFO_NULL,
    };
    static CU_SuiteInfo suites[] = {
        { "scopes.json", scopes_init, scopes_cleanup, NULL, NULL, scopes },
        { "shipped templates", templates_init, templates_cleanup, NULL, NULL, templates },
        CU_SUITE_INFO_NULL,
    };
    return cunit_run(suites);
}
