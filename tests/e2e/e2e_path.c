/* e2e_path.c - path traversal out of an API (issue 11, item 1), end to end
 * on raw sockets (configs/path/path.json, the echo backend behind both):
 *
 *   pub  open,  wildcard operation GET, serviceUrl BACKEND/public
 *   sec  keyed, wildcard operation GET, serviceUrl BACKEND/secret
 *
 * Every form is sent as bytes, never through a client library that would
 * normalise it first. Each case checks the status, that exactly one answer
 * came, and what the backend received: the path it echoed, or nothing for
 * a refused request (docs/gateway.md, "Hostile input", "Paths").
 *
 *   e2e_path APIM ECHO_BACKEND SOURCE_ROOT
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/cunit_run.h"
#include "harness.h"

#define SEC_KEY  "sec-primary-key-0001"
#define BODY_400 "{ \"statusCode\": 400, \"message\": \"Invalid request path\" }"

static struct h_backend backend;
static struct h_gateway gw;
static int gw_port;

static int suite_init(void)
{
    if (h_backend_start(&backend) != 0)
        return 1;
    char cfg[512], param[160];
    snprintf(cfg, sizeof(cfg), "%s/tests/e2e/configs/path/path.json", h_root());
    snprintf(param, sizeof(param), "backendUrl=%s", backend.url);
    const char *extra[] = { "-p", param, NULL };
    if (h_gateway_start(&gw, "e2e-path", cfg, extra) != 0) {
        h_backend_stop(&backend);
        return 1;
    }
    const char *colon = strrchr(gw.url, ':');
    gw_port = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
    return gw_port <= 0;
}

static int suite_cleanup(void)
{
    int rc = h_gateway_stop(&gw);
    h_backend_stop(&backend);
    return rc != 0;
}

/* What one exchange gave: the status of the first answer, how many answers
 * came, the first answer's body, and the path and query the backend echoed
 * ("" when it did not answer 200). */
struct seen {
    long status;
    int answers;
    char body[1024];
    char path[256], query[256];
    long forwarded; /* requests the backend got meanwhile */
};

/* Status lines: the bodies here (JSON) never hold one. */
static int count_answers(const char *s)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, "HTTP/1.1 ")) != NULL; p++)
        n++;
    return n;
}

static void parse(const char *answer, struct seen *out)
{
    out->answers = count_answers(answer);
    out->status = strncmp(answer, "HTTP/1.1 ", 9) == 0 ? strtol(answer + 9, NULL, 10) : -1;
    const char *body = strstr(answer, "\r\n\r\n");
    body = body ? body + 4 : "";
    const char *next = strstr(body, "HTTP/1.1 ");
    size_t len = next ? (size_t)(next - body) : strlen(body);
    snprintf(out->body, sizeof(out->body), "%.*s", (int)len, body);
    json_t *e = out->status == 200 ? json_loads(out->body, 0, NULL) : NULL;
    const char *p = json_string_value(json_object_get(e, "path"));
    const char *q = json_string_value(json_object_get(e, "query"));
    snprintf(out->path, sizeof(out->path), "%s", p ? p : "");
    snprintf(out->query, sizeof(out->query), "%s", q ? q : "");
    json_decref(e);
}

/* Sends the raw request bytes (one or more requests) and reads until the
 * gateway closes. */
static void exchange(const char *raw, struct seen *out)
{
    memset(out, 0, sizeof(*out));
    long before = h_backend_requests(&backend);
    struct buf answer;
    buf_init(&answer, 1 << 20);
    CU_ASSERT_EQUAL(h_raw(gw_port, raw, strlen(raw), &answer, 5000), 0);
    parse(answer.data ? answer.data : "", out);
    buf_release(&answer);
    out->forwarded = h_backend_requests(&backend) - before;
}

/* GET target on a connection that closes after it, with the key if keyed. */
static void get(const char *target, bool keyed, struct seen *out)
{
    char raw[1024];
    snprintf(raw, sizeof(raw), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n\r\n",
             target, keyed ? "Ocp-Apim-Subscription-Key: " SEC_KEY "\r\n" : "");
    exchange(raw, out);
}

/* Refused with 400 and APIM's body, before any key check (so without a
 * key: pub is open); the backend got nothing. */
static void expect_refused(const char *target)
{
    struct seen s;
    get(target, false, &s);
    if (s.status != 400)
        fprintf(stderr, "\n%s: status %ld\n", target, s.status);
    CU_ASSERT_EQUAL(s.status, 400);
    CU_ASSERT_EQUAL(s.answers, 1);
    CU_ASSERT_STRING_EQUAL(s.body, BODY_400);
    CU_ASSERT_EQUAL(s.forwarded, 0);
}

/* Forwarded: the status, and the path the backend saw. */
static void expect_forwarded(const char *target, bool keyed, const char *backend_path)
{
    struct seen s;
    get(target, keyed, &s);
    if (s.status != 200 || strcmp(s.path, backend_path) != 0)
        fprintf(stderr, "\n%s: status %ld, backend saw '%s'\n", target, s.status, s.path);
    CU_ASSERT_EQUAL(s.status, 200);
    CU_ASSERT_EQUAL(s.answers, 1);
    CU_ASSERT_STRING_EQUAL(s.path, backend_path);
    CU_ASSERT_EQUAL(s.forwarded, 1);
}

/* Answered by the gateway itself (401, 404): never forwarded. */
static void expect_answered(const char *target, bool keyed, long status)
{
    struct seen s;
    get(target, keyed, &s);
    if (s.status != status)
        fprintf(stderr, "\n%s: status %ld, want %ld\n", target, s.status, status);
    CU_ASSERT_EQUAL(s.status, status);
    CU_ASSERT_EQUAL(s.answers, 1);
    CU_ASSERT_EQUAL(s.forwarded, 0);
}

/* The first form: routed where it really goes, so sec's key is
 * checked; with the key it reaches sec's backend, not pub's. */
static void test_dot_dot_reaches_sec_only_with_key(void)
{
    expect_forwarded("/pub/files/x", false, "/public/files/x");
    expect_answered("/pub/files/../../sec/data", false, 401);
    expect_forwarded("/pub/files/../../sec/data", true, "/secret/data");
    expect_answered("http://127.0.0.1/pub/files/../../sec/data", false, 401);
    expect_forwarded("/pub/files/./x/../y", false, "/public/files/y");
}

/* Encoded dots (%2e, %2E) are dots: the same routing as plain ones. */
static void test_encoded_dots(void)
{
    expect_answered("/pub/files/%2e%2e/%2e%2e/sec/data", false, 401);
    expect_forwarded("/pub/files/%2E%2E/%2E%2E/sec/data", true, "/secret/data");
    /* "/secret/data" is no API's path. */
    expect_answered("/pub/files/%2e%2e/%2e%2e/secret/data", true, 404);
    /* "/pub/", which the wildcard takes as the API root, as it does "/pub". */
    expect_forwarded("/pub/files/%2E%2E", false, "/public");
    expect_forwarded("/pub/files/.%2e/x", false, "/public/x");
}

/* What cannot be made safe: 400, and nothing reaches the backend. */
static void test_refused(void)
{
    expect_refused("/pub/files/..%2F..%2Fsec/data");
    expect_refused("/pub/files/..%2f..%2fsecret/data");
    expect_refused("/pub/files/%2E%2E%5C%2E%2E%5Csecret");
    expect_refused("/pub/files/..\\..\\sec\\data");
    expect_refused("/pub/files/..;/..;/sec/data");
    expect_refused("/pub/../../sec/data");
    expect_refused("/pub/%2e%2e/%2e%2e/secret");
    expect_refused("/pub/files/%zz");
    expect_refused("/pub/files/%4");
    expect_refused("/sec/data/%");
}

/* Normal paths reach the backend byte for byte: reserved encodings (%2F
 * in an ordinary segment, %20), repeated slashes, the raw query; only
 * encoded unreserved characters are decoded. */
static void test_normal_paths_kept(void)
{
    struct seen s;
    get("/pub/a%2Fb/c%20d//e?x=%2F&y=..%2F", false, &s);
    CU_ASSERT_EQUAL(s.status, 200);
    CU_ASSERT_STRING_EQUAL(s.path, "/public/a%2Fb/c%20d//e");
    CU_ASSERT_STRING_EQUAL(s.query, "x=%2F&y=..%2F");
    expect_forwarded("/pub/%41%7e/items/1.json", false, "/public/A~/items/1.json");
    expect_forwarded("/pub/a\\b", false, "/public/a\\b");
    expect_forwarded("/sec/data", true, "/secret/data");
}

/* A refused request is one answer; the connection goes on serving. */
static void test_refused_then_next_request(void)
{
    struct seen s;
    exchange("GET /pub/..%2F..%2Fsec HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
             "GET /pub/ok HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
             &s);
    CU_ASSERT_EQUAL(s.status, 400);
    CU_ASSERT_EQUAL(s.answers, 2);
    CU_ASSERT_STRING_EQUAL(s.body, BODY_400);
    CU_ASSERT_EQUAL(s.forwarded, 1);
}

static CU_TestInfo tests[] = {
    { "dot_dot_reaches_sec_only_with_key", test_dot_dot_reaches_sec_only_with_key },
    { "encoded_dots", test_encoded_dots },
    { "refused", test_refused },
    { "normal_paths_kept", test_normal_paths_kept },
    { "refused_then_next_request", test_refused_then_next_request },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "path", suite_init, suite_cleanup, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: e2e_path APIM ECHO_BACKEND SOURCE_ROOT\n");
        return 2;
    }
    h_init(argv[1], argv[2], argv[3]);
    return cunit_run(suites);
}
