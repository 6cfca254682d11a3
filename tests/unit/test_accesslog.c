/* Unit tests for runtime/accesslog.c: the line for a forwarded request, a
 * 404, a 401, a backend failure and an unanswered request, each filled by
 * the real pipeline from a compiled template; the subscription key never
 * appears, whatever name or spelling carried it; every line is one JSON
 * object (parsed with jansson) and one newline; and accesslog_json_string
 * keeps valid UTF-8 and escapes everything else so jansson accepts it. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accesslog.h"
#include "cunit_run.h"
#include "testutil.h"

#define START_US  5000000
#define STARTER   "starter-primary-key-0001"
#define API_KEY   "echo-api-primary-key-0001"
#define BAD_KEY   "not-a-valid-key-9f8e7d6c"
#define CUSTOM_OK "custom-secret-key-1234"

static struct plan *echo_plan, *custom_plan;
static struct pipeline *echo_pl, *custom_pl;

/* An API whose key travels as "key" (query) and "X-Key" (header). */
static const char custom_template[] =
    "{`$schema`: `https://schema.management.azure.com/schemas/2019-04-01/"
    "deploymentTemplate.json#`, `contentVersion`: `1.0.0.0`,\n"
    " `parameters`: {`svc`: {`type`: `string`, `defaultValue`: `contoso`}},\n"
    " `resources`: [\n"
    "  {`type`: `Microsoft.ApiManagement/service`, `apiVersion`: `2024-05-01`, `name`: "
    "`[parameters('svc')]`, `location`: `eastus`, `sku`: {`name`: `Developer`, `capacity`: 1}, "
    "`properties`: {`publisherEmail`: `api@contoso.com`, `publisherName`: `Contoso`}},\n"
    "  {`type`: `Microsoft.ApiManagement/service/apis`, `apiVersion`: `2024-05-01`, `name`: "
    "`[concat(parameters('svc'), '/custom-api')]`, `properties`: {`displayName`: `Custom`, "
    "`path`: `custom`, `serviceUrl`: `http://127.0.0.1:5000`, `protocols`: [`https`], "
    "`subscriptionRequired`: true, `subscriptionKeyParameterNames`: {`header`: `X-Key`, "
    "`query`: `key`}}},\n"
    "  {`type`: `Microsoft.ApiManagement/service/apis/operations`, `apiVersion`: `2024-05-01`, "
    "`name`: `[concat(parameters('svc'), '/custom-api/list-things')]`, `properties`: "
    "{`displayName`: `List things`, `method`: `GET`, `urlTemplate`: `/things`}},\n"
    "  {`type`: `Microsoft.ApiManagement/service/subscriptions`, `apiVersion`: `2024-05-01`, "
    "`name`: `[concat(parameters('svc'), '/custom-sub')]`, `properties`: {`displayName`: "
    "`Custom`, `scope`: `/apis/custom-api`, `state`: `active`, `primaryKey`: `" CUSTOM_OK "`}}\n"
    " ]}";

static int setup(void)
{
    char path[4096];
    const char *slash = strrchr(__FILE__, '/');
    int n = slash ? (int)(slash - __FILE__) : 1;
    snprintf(path, sizeof(path), "%.*s/../../azure-templates/echo-api.json", n,
             slash ? __FILE__ : ".");
    static const char *const params[] = { "backendUrl=http://127.0.0.1:5000", NULL };
    struct tu t;
    tu_init(&t);
    echo_plan = tu_plan_file(&t, path, params);
    tu_release(&t);
    tu_init(&t);
    custom_plan = tu_plan(&t, custom_template, NULL);
    if (custom_plan == NULL)
        fprintf(stderr, "%s", tu_text(&t));
    tu_release(&t);
    if (echo_plan == NULL || custom_plan == NULL)
        return -1;
    echo_pl = pipeline_new(echo_plan, 30000);
    custom_pl = pipeline_new(custom_plan, 30000);
    return 0;
}

static int teardown(void)
{
    pipeline_free(echo_pl);
    pipeline_free(custom_pl);
    plan_free(echo_plan);
    plan_free(custom_plan);
    return 0;
}

/* ---- one exchange ---- */

struct ex {
    struct arena arena;
    struct gw_exchange x;
};

static void ex_init(struct ex *e, const char *method, const char *path, const char *query)
{
    memset(e, 0, sizeof(*e));
    arena_init(&e->arena, 4096);
    e->x.req.arena = &e->arena;
    e->x.req.method = str_from_cstr(method);
    e->x.req.raw_path = str_from_cstr(path);
    e->x.req.raw_query = str_from_cstr(query);
    e->x.req.client_ip = STR_LIT("127.0.0.1");
    e->x.req.start_us = START_US;
    snprintf(e->x.req.id, sizeof(e->x.req.id), "%s", "6f1c7a3e-0000-4000-8000-000000000001");
}

static void ex_header(struct ex *e, const char *name, const char *value)
{
    gw_headers_add(&e->arena, &e->x.req.headers, str_from_cstr(name), str_from_cstr(value));
}

/* The backend answered (error GW_BACKEND_OK) or failed, from +100 to +700 us. */
static void ex_backend(struct ex *e, const struct pipeline *pl, enum gw_backend_error err,
                       int status, const char *text)
{
    e->x.backend_start_us = START_US + 100;
    e->x.backend_end_us = START_US + 700;
    e->x.backend.error = err;
    e->x.backend.error_text = text;
    e->x.backend.status = status;
    e->x.backend.body = STR_LIT("{}");
    pipeline_finish(pl, &e->x);
}

/* accesslog_append with a scratch buffer of its own. */
static int append_line(struct buf *out, const struct gw_exchange *x, const struct plan *p,
                       bool answered, int64_t done_us)
{
    struct buf scratch;
    buf_init(&scratch, 0);
    int rc = accesslog_append(out, &scratch, x, p, answered, done_us);
    CU_ASSERT_EQUAL(scratch.len, 0);
    buf_release(&scratch);
    return rc;
}

/* The line for e (free() *text), parsed; NULL (and a failed assertion) if it
 * is not one JSON object ending in exactly one newline. */
static json_t *ex_line(struct ex *e, const struct plan *p, bool answered, int64_t done_us,
                       char **text)
{
    struct buf b;
    buf_init(&b, 1u << 20);
    CU_ASSERT_EQUAL(append_line(&b, &e->x, p, answered, done_us), 0);
    *text = buf_steal(&b, NULL);
    size_t len = strlen(*text);
    CU_ASSERT_TRUE(len > 1 && (*text)[len - 1] == '\n');
    CU_ASSERT_PTR_EQUAL(strchr(*text, '\n'), *text + len - 1); /* one newline, at the end */
    json_error_t err;
    json_t *j = json_loads(*text, 0, &err);
    if (j == NULL)
        fprintf(stderr, "\n  not JSON (%s): %s", err.text, *text);
    CU_ASSERT_PTR_NOT_NULL(j);
    CU_ASSERT_TRUE(j == NULL || json_is_object(j));
    return j;
}

static void ex_release(struct ex *e)
{
    arena_release(&e->arena);
}

/* ---- reading a line ---- */

static const char *jstr(const json_t *j, const char *key)
{
    return json_string_value(json_object_get(j, key));
}

static bool jnull(const json_t *j, const char *key)
{
    return json_is_null(json_object_get(j, key));
}

static json_int_t jint(const json_t *j, const char *key)
{
    const json_t *v = json_object_get(j, key);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

static double jnum(const json_t *j, const char *key)
{
    const json_t *v = json_object_get(j, key);
    return json_is_number(v) ? json_number_value(v) : -1;
}

#define ASSERT_JSTR(j, key, want)                 \
    do {                                          \
        const char *got_ = jstr((j), (key));      \
        CU_ASSERT_PTR_NOT_NULL(got_);             \
        if (got_)                                 \
            CU_ASSERT_STRING_EQUAL(got_, (want)); \
    } while (0)

/* "2026-11-24T10:00:00.123Z" */
static bool iso_millis(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (s == NULL || strlen(s) != sizeof(shape) - 1)
        return false;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
            return false;
    return true;
}

/* ---- the lines ---- */

/* Routed, granted through the Starter product, forwarded, answered 200. */
static void test_forwarded(void)
{
    struct ex e;
    ex_init(&e, "GET", "/echo/items/42", "subscription-key=" STARTER "&x=1");
    pipeline_begin(echo_pl, &e.x);
    CU_ASSERT_TRUE_FATAL(e.x.forward);
    ex_backend(&e, echo_pl, GW_BACKEND_OK, 201, NULL);
    char *text;
    json_t *j = ex_line(&e, echo_plan, true, START_US + 1000, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_TRUE(iso_millis(jstr(j, "time")));
    ASSERT_JSTR(j, "requestId", "6f1c7a3e-0000-4000-8000-000000000001");
    ASSERT_JSTR(j, "method", "GET");
    ASSERT_JSTR(j, "url", "/echo/items/42?subscription-key=***&x=1");
    ASSERT_JSTR(j, "clientIp", "127.0.0.1");
    ASSERT_JSTR(j, "api", "echo-api");
    ASSERT_JSTR(j, "operation", "get-item");
    ASSERT_JSTR(j, "product", "starter");
    ASSERT_JSTR(j, "subscriptionId", "starter-subscription");
    CU_ASSERT_EQUAL(jint(j, "status"), 201);
    CU_ASSERT_EQUAL(jint(j, "backendStatus"), 201);
    CU_ASSERT_TRUE(json_is_real(json_object_get(j, "totalMs")));
    CU_ASSERT_DOUBLE_EQUAL(jnum(j, "totalMs"), 1.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(jnum(j, "backendMs"), 0.6, 1e-9);
    /* milliseconds with three decimals, always */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"totalMs\":1.000,\"backendMs\":0.600,"));
    CU_ASSERT_TRUE(jnull(j, "error"));
    CU_ASSERT_PTR_NULL(json_object_get(j, "backendError"));
    CU_ASSERT_EQUAL(json_object_size(j), 14);
    CU_ASSERT_PTR_NULL(strstr(text, STARTER));
    json_decref(j);
    free(text);
    /* a long request: whole milliseconds beyond a thousand */
    j = ex_line(&e, echo_plan, true, START_US + 1234567, &text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"totalMs\":1234.567,"));
    json_decref(j);
    free(text);
    ex_release(&e);

    /* the key in the header, an API-scoped subscription: no product */
    ex_init(&e, "POST", "/echo/items", "");
    ex_header(&e, "Ocp-Apim-Subscription-Key", API_KEY);
    pipeline_begin(echo_pl, &e.x);
    CU_ASSERT_TRUE_FATAL(e.x.forward);
    ex_backend(&e, echo_pl, GW_BACKEND_OK, 200, NULL);
    j = ex_line(&e, echo_plan, true, START_US + 2500, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ASSERT_JSTR(j, "url", "/echo/items");
    ASSERT_JSTR(j, "method", "POST");
    ASSERT_JSTR(j, "operation", "create-item");
    CU_ASSERT_TRUE(jnull(j, "product"));
    ASSERT_JSTR(j, "subscriptionId", "echo-api-subscription");
    CU_ASSERT_DOUBLE_EQUAL(jnum(j, "totalMs"), 2.5, 1e-9);
    CU_ASSERT_PTR_NULL(strstr(text, API_KEY));
    json_decref(j);
    free(text);
    ex_release(&e);
}

/* Nothing matched: every id is null, nothing was called. */
static void test_not_found(void)
{
    struct ex e;
    ex_init(&e, "GET", "/nothing/here", "subscription-key=" STARTER);
    pipeline_begin(echo_pl, &e.x);
    CU_ASSERT_FALSE(e.x.forward);
    char *text;
    json_t *j = ex_line(&e, echo_plan, true, START_US + 250, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(jint(j, "status"), 404);
    ASSERT_JSTR(j, "url", "/nothing/here?subscription-key=***");
    CU_ASSERT_TRUE(jnull(j, "api"));
    CU_ASSERT_TRUE(jnull(j, "operation"));
    CU_ASSERT_TRUE(jnull(j, "product"));
    CU_ASSERT_TRUE(jnull(j, "subscriptionId"));
    CU_ASSERT_TRUE(jnull(j, "backendStatus"));
    CU_ASSERT_TRUE(jnull(j, "backendMs"));
    CU_ASSERT_DOUBLE_EQUAL(jnum(j, "totalMs"), 0.25, 1e-9);
    ASSERT_JSTR(j, "error", "OperationNotFound");
    CU_ASSERT_PTR_NULL(json_object_get(j, "backendError"));
    CU_ASSERT_PTR_NULL(strstr(text, STARTER));
    json_decref(j);
    free(text);
    ex_release(&e);

    /* the API matched and no operation did: still a 404, ids null */
    ex_init(&e, "DELETE", "/echo/items/1", "");
    pipeline_begin(echo_pl, &e.x);
    j = ex_line(&e, echo_plan, true, START_US + 1, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(jint(j, "status"), 404);
    CU_ASSERT_TRUE(jnull(j, "api"));
    CU_ASSERT_TRUE(jnull(j, "operation"));
    json_decref(j);
    free(text);
    ex_release(&e);
}

/* A line that must not contain key, for the request e (already begun). */
static json_t *no_key_line(struct ex *e, const struct plan *p, const char *key, char **text)
{
    json_t *j = ex_line(e, p, true, START_US + 100, text);
    if (strstr(*text, key) != NULL)
        fprintf(stderr, "\n  key logged: %s", *text);
    CU_ASSERT_PTR_NULL(strstr(*text, key));
    return j;
}

/* A 401 with the key in the header and in the query string: the header is
 * not logged, the query value is masked. */
static void test_unauthorized(void)
{
    struct ex e;
    ex_init(&e, "GET", "/echo/items/1", "a=b&subscription-key=" BAD_KEY "&c");
    ex_header(&e, "Ocp-Apim-Subscription-Key", BAD_KEY);
    pipeline_begin(echo_pl, &e.x);
    CU_ASSERT_FALSE(e.x.forward);
    char *text;
    json_t *j = no_key_line(&e, echo_plan, BAD_KEY, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(jint(j, "status"), 401);
    ASSERT_JSTR(j, "url", "/echo/items/1?a=b&subscription-key=***&c");
    ASSERT_JSTR(j, "api", "echo-api");
    ASSERT_JSTR(j, "operation", "get-item");
    CU_ASSERT_TRUE(jnull(j, "product"));
    CU_ASSERT_TRUE(jnull(j, "subscriptionId"));
    CU_ASSERT_TRUE(jnull(j, "backendStatus"));
    ASSERT_JSTR(j, "error", "SubscriptionKeyInvalid");
    json_decref(j);
    free(text);
    /* ids are logged only for granted access, whatever else the decision holds */
    e.x.access.subscription = 0;
    e.x.access.product = 0;
    j = no_key_line(&e, echo_plan, BAD_KEY, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_TRUE(jnull(j, "product"));
    CU_ASSERT_TRUE(jnull(j, "subscriptionId"));
    json_decref(j);
    free(text);
    ex_release(&e);

    /* no key at all */
    ex_init(&e, "GET", "/echo/resource", "");
    pipeline_begin(echo_pl, &e.x);
    j = ex_line(&e, echo_plan, true, START_US, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(jint(j, "status"), 401);
    ASSERT_JSTR(j, "error", "SubscriptionKeyNotFound");
    CU_ASSERT_DOUBLE_EQUAL(jnum(j, "totalMs"), 0, 1e-9);
    json_decref(j);
    free(text);
    ex_release(&e);
}

/* However the key parameter is spelled, if the gateway would read it as
 * the key, the log masks it: other case, percent-encoded name, repeated. */
static void test_key_spellings(void)
{
    static const struct {
        const char *query, *url;
    } cases[] = {
        { "SUBSCRIPTION-KEY=" STARTER, "/echo/resource?SUBSCRIPTION-KEY=***" },
        { "subscription%2Dkey=" STARTER, "/echo/resource?subscription%2Dkey=***" },
        { "subscription%2dKey=" STARTER "&z", "/echo/resource?subscription%2dKey=***&z" },
        { "%73ubscription-key=" STARTER, "/echo/resource?%73ubscription-key=***" },
        { "subscription-key=" STARTER "&subscription-key=" STARTER,
          "/echo/resource?subscription-key=***&subscription-key=***" },
        { "subscription-key=" STARTER "%20", "/echo/resource?subscription-key=***" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ex e;
        ex_init(&e, "GET", "/echo/resource", cases[i].query);
        pipeline_begin(echo_pl, &e.x);
        /* the gateway took it as the key (granted, or invalid for the %20) */
        CU_ASSERT_TRUE(e.x.forward || e.x.access.result == ACCESS_BAD_KEY);
        char *text;
        json_t *j = no_key_line(&e, echo_plan, STARTER, &text);
        CU_ASSERT_PTR_NOT_NULL_FATAL(j);
        ASSERT_JSTR(j, "url", cases[i].url);
        json_decref(j);
        free(text);
        ex_release(&e);
    }
}

/* An API with its own key names: its query parameter is the one masked. */
static void test_custom_key_name(void)
{
    struct ex e;
    ex_init(&e, "GET", "/custom/things", "key=" BAD_KEY "&q=1");
    ex_header(&e, "X-Key", BAD_KEY);
    pipeline_begin(custom_pl, &e.x);
    CU_ASSERT_FALSE(e.x.forward);
    char *text;
    json_t *j = no_key_line(&e, custom_plan, BAD_KEY, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(jint(j, "status"), 401);
    ASSERT_JSTR(j, "url", "/custom/things?key=***&q=1");
    ASSERT_JSTR(j, "api", "custom-api");
    ASSERT_JSTR(j, "error", "SubscriptionKeyInvalid");
    json_decref(j);
    free(text);
    ex_release(&e);

    /* the right key in the custom parameter: granted and masked */
    ex_init(&e, "GET", "/custom/things", "Key=" CUSTOM_OK);
    pipeline_begin(custom_pl, &e.x);
    CU_ASSERT_TRUE_FATAL(e.x.forward);
    ex_backend(&e, custom_pl, GW_BACKEND_OK, 200, NULL);
    j = no_key_line(&e, custom_plan, CUSTOM_OK, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ASSERT_JSTR(j, "url", "/custom/things?Key=***");
    ASSERT_JSTR(j, "subscriptionId", "custom-sub");
    CU_ASSERT_EQUAL(jint(j, "status"), 200);
    json_decref(j);
    free(text);
    ex_release(&e);

    /* the API's path matched but no operation did: the key is still the
     * API's parameter, and still masked */
    ex_init(&e, "GET", "/custom/unknown", "key=" CUSTOM_OK);
    pipeline_begin(custom_pl, &e.x);
    CU_ASSERT_EQUAL(e.x.routed, ROUTER_NO_OPERATION);
    j = no_key_line(&e, custom_plan, CUSTOM_OK, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(jint(j, "status"), 404);
    ASSERT_JSTR(j, "url", "/custom/unknown?key=***");
    json_decref(j);
    free(text);
    ex_release(&e);
}

/* The backend failed: 500 from the gateway, backendError says why, and
 * backendStatus is null (there was no backend answer). */
static void test_backend_failure(void)
{
    static const struct {
        enum gw_backend_error err;
        const char *text, *reason;
    } cases[] = {
        { GW_BACKEND_CONNECT, "Couldn't connect to server", "BackendConnectionFailure" },
        { GW_BACKEND_TIMEOUT, "Timeout was reached", "Timeout" },
        { GW_BACKEND_RESET, "Failure when receiving data from the peer \"x\"",
          "BackendConnectionFailure" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ex e;
        ex_init(&e, "GET", "/echo/items/7", "");
        ex_header(&e, "Ocp-Apim-Subscription-Key", STARTER);
        pipeline_begin(echo_pl, &e.x);
        CU_ASSERT_TRUE_FATAL(e.x.forward);
        ex_backend(&e, echo_pl, cases[i].err, 0, cases[i].text);
        char *text;
        json_t *j = ex_line(&e, echo_plan, true, START_US + 900, &text);
        CU_ASSERT_PTR_NOT_NULL_FATAL(j);
        CU_ASSERT_EQUAL(jint(j, "status"), 500);
        CU_ASSERT_TRUE(jnull(j, "backendStatus"));
        ASSERT_JSTR(j, "backendError", cases[i].text);
        ASSERT_JSTR(j, "error", cases[i].reason);
        CU_ASSERT_DOUBLE_EQUAL(jnum(j, "backendMs"), 0.6, 1e-9);
        ASSERT_JSTR(j, "product", "starter");
        CU_ASSERT_EQUAL(json_object_size(j), 15);
        json_decref(j);
        free(text);
        ex_release(&e);
    }
}

/* The client left before an answer: status null, the rest as it was. */
static void test_unanswered(void)
{
    struct ex e;
    ex_init(&e, "GET", "/echo/items/9", "");
    ex_header(&e, "Ocp-Apim-Subscription-Key", STARTER);
    pipeline_begin(echo_pl, &e.x);
    CU_ASSERT_TRUE_FATAL(e.x.forward);
    ex_backend(&e, echo_pl, GW_BACKEND_OK, 200, NULL);
    char *text;
    json_t *j = ex_line(&e, echo_plan, false, START_US + 3000, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_TRUE(jnull(j, "status"));
    CU_ASSERT_EQUAL(jint(j, "backendStatus"), 200);
    CU_ASSERT_DOUBLE_EQUAL(jnum(j, "totalMs"), 3.0, 1e-9);
    ASSERT_JSTR(j, "api", "echo-api");
    json_decref(j);
    free(text);
    ex_release(&e);

    /* no plan at all (the request never reached the pipeline) */
    ex_init(&e, "GET", "/echo/items/9", "subscription-key=" STARTER);
    j = ex_line(&e, NULL, false, START_US + 10, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_TRUE(jnull(j, "status"));
    CU_ASSERT_TRUE(jnull(j, "api"));
    CU_ASSERT_TRUE(jnull(j, "subscriptionId"));
    CU_ASSERT_TRUE(jnull(j, "backendStatus"));
    CU_ASSERT_TRUE(jnull(j, "backendMs"));
    CU_ASSERT_TRUE(jnull(j, "error"));
    ASSERT_JSTR(j, "url", "/echo/items/9?subscription-key=***");
    json_decref(j);
    free(text);
    ex_release(&e);
}

/* Whatever bytes the client sent in the method, path and query, the line is
 * JSON and reads back as they were where they were UTF-8. */
static void test_hostile_request(void)
{
    struct ex e;
    ex_init(&e, "G\"E\\T", "/echo/\xff\xfe/\"quoted\"\n/\xc3\xa9",
            "q=\x01\xed\xa0\x80\xf5\x80\x80");
    pipeline_begin(echo_pl, &e.x);
    char *text;
    json_t *j = ex_line(&e, echo_plan, true, START_US, &text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ASSERT_JSTR(j, "method", "G\"E\\T");
    ASSERT_JSTR(j, "url",
                "/echo/\xc3\xbf\xc3\xbe/\"quoted\"\n/\xc3\xa9?q=\x01\xc3\xad\xc2\xa0\xc2\x80"
                "\xc3\xb5\xc2\x80\xc2\x80");
    json_decref(j);
    free(text);
    ex_release(&e);
}

/* A line that does not fit under the buffer's ceiling fails and leaves the
 * buffer as it was: the lines before it intact, no half line after them,
 * so the caller can flush them and append the line again. */
static void test_ceiling(void)
{
    struct ex e;
    ex_init(&e, "GET", "/nothing", "");
    pipeline_begin(echo_pl, &e.x);
    struct buf b;
    buf_init(&b, 1u << 16);
    CU_ASSERT_EQUAL(append_line(&b, &e.x, echo_plan, true, START_US), 0);
    size_t len = b.len; /* room for the earlier line, this line, and half of another */
    buf_release(&b);
    static const char earlier[] = "{\"earlier\":1}\n";
    buf_init(&b, strlen(earlier) + len + len / 2);
    CU_ASSERT_EQUAL(buf_puts(&b, earlier), 0);
    CU_ASSERT_EQUAL(append_line(&b, &e.x, echo_plan, true, START_US), 0);
    size_t one = b.len;
    CU_ASSERT_EQUAL(append_line(&b, &e.x, echo_plan, true, START_US), -1);
    CU_ASSERT_EQUAL(b.len, one);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.data);
    CU_ASSERT_EQUAL(strncmp(b.data, earlier, strlen(earlier)), 0);
    CU_ASSERT_EQUAL(b.data[strlen(earlier)], '{');
    CU_ASSERT_EQUAL(b.data[b.len - 1], '\n');
    buf_reset(&b); /* what the caller does after writing the buffer out */
    CU_ASSERT_EQUAL(append_line(&b, &e.x, echo_plan, true, START_US), 0);
    CU_ASSERT_EQUAL(b.len, len);
    buf_release(&b);
    /* a line longer than the ceiling itself fails on an empty buffer too */
    buf_init(&b, 64);
    CU_ASSERT_EQUAL(append_line(&b, &e.x, echo_plan, true, START_US), -1);
    CU_ASSERT_EQUAL(b.len, 0);
    buf_release(&b);
    ex_release(&e);
}

/* ---- accesslog_json_string ---- */

/* The JSON text of s (free() it). */
static char *json_text(const char *s, size_t len)
{
    struct buf b;
    buf_init(&b, 1u << 16);
    CU_ASSERT_EQUAL(accesslog_json_string(&b, (struct str){ s, len }), 0);
    return buf_steal(&b, NULL);
}

/* The string jansson reads from text (free() it), or NULL if it refuses. */
static char *read_back(const char *text, size_t *len)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!json_is_string(j)) {
        json_decref(j);
        return NULL;
    }
    *len = json_string_length(j);
    char *s = xmalloc(*len + 1);
    memcpy(s, json_string_value(j), *len + 1);
    json_decref(j);
    return s;
}

static void expect(const char *in, size_t len, const char *want)
{
    char *got = json_text(in, len);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "\n  got %s, want %s", got, want);
    CU_ASSERT_STRING_EQUAL(got, want);
    size_t n;
    char *back = read_back(got, &n);
    CU_ASSERT_PTR_NOT_NULL(back);
    free(back);
    free(got);
}

#define EXPECT(lit, want) expect((lit), sizeof(lit) - 1, (want))

static void test_json_escapes(void)
{
    EXPECT("", "\"\"");
    EXPECT("plain text", "\"plain text\"");
    EXPECT("a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
    EXPECT("\x01\n\t\r\x1f\x7f", "\"\\u0001\\u000a\\u0009\\u000d\\u001f\x7f\"");
    EXPECT("a\0b", "\"a\\u0000b\"");
    /* valid UTF-8 is kept as it is: 2, 3 and 4 bytes, and the edges */
    EXPECT("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
    EXPECT("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
           "\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
    EXPECT("\xed\x9f\xbf\xee\x80\x80", "\"\xed\x9f\xbf\xee\x80\x80\""); /* around surrogates */
}

static void test_json_invalid_utf8(void)
{
    EXPECT("\x80", "\"\\u0080\"");                                  /* lone continuation */
    EXPECT("ok\xffok", "\"ok\\u00ffok\"");                          /* never valid */
    EXPECT("\xe2\x82", "\"\\u00e2\\u0082\"");                       /* cut short at the end */
    EXPECT("\xe2\x82x", "\"\\u00e2\\u0082x\"");                     /* cut short before ASCII */
    EXPECT("\xc0\xaf", "\"\\u00c0\\u00af\"");                       /* overlong '/' in 2 bytes */
    EXPECT("\xc1\xbf", "\"\\u00c1\\u00bf\"");                       /* overlong in 2 bytes */
    EXPECT("\xe0\x80\xaf", "\"\\u00e0\\u0080\\u00af\"");            /* overlong in 3 bytes */
    EXPECT("\xf0\x80\x80\xaf", "\"\\u00f0\\u0080\\u0080\\u00af\""); /* overlong in 4 */
    EXPECT("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"");            /* high surrogate */
    EXPECT("\xed\xbf\xbf", "\"\\u00ed\\u00bf\\u00bf\"");            /* low surrogate */
    EXPECT("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\""); /* past U+10FFFF */
    EXPECT("\xf5\x80\x80\x80", "\"\\u00f5\\u0080\\u0080\\u0080\""); /* lead byte F5 */
    EXPECT("\xf7\xbf\xbf", "\"\\u00f7\\u00bf\\u00bf\"");            /* lead byte F7 */
    EXPECT("\xf8\x88\x80\x80\x80", "\"\\u00f8\\u0088\\u0080\\u0080\\u0080\"");
    EXPECT("\xc3\"", "\"\\u00c3\\\"\""); /* a lead byte, then a quote */
}

/* What jansson reads back: valid UTF-8 unchanged; an invalid byte B as the
 * character U+00B. */
static void check_round_trip(const unsigned char *in, size_t len, unsigned *failures)
{
    char *text = json_text((const char *)in, len);
    size_t n = 0;
    char *back = read_back(text, &n);
    if (back == NULL) {
        if ((*failures)++ < 5)
            fprintf(stderr, "\n  jansson refused %s", text);
    } else if (n < len) {
        (*failures)++; /* every input byte yields at least one output byte */
    }
    free(back);
    free(text);
}

/* Every one- and two-byte string, every lead byte with continuations, and
 * a few thousand pseudo-random strings (fixed seed) all come out as JSON. */
static void test_json_exhaustive(void)
{
    unsigned failures = 0;
    unsigned char s[16];
    for (unsigned a = 0; a < 256; a++) {
        s[0] = (unsigned char)a;
        check_round_trip(s, 1, &failures);
        for (unsigned b = 0; b < 256; b++) {
            s[1] = (unsigned char)b;
            check_round_trip(s, 2, &failures);
        }
        for (unsigned c = 0x80; c < 0xc0; c += 0x0f) {
            s[1] = s[2] = s[3] = (unsigned char)c;
            check_round_trip(s, 3, &failures);
            check_round_trip(s, 4, &failures);
        }
    }
    uint32_t seed = 12345;
    for (int i = 0; i < 5000; i++) {
        size_t len = (size_t)(i % 16);
        for (size_t k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) & 0xff;
            s[k] = (unsigned char)(i % 2 ? r : 0x80 + r % 0x78); /* half near UTF-8 */
        }
        check_round_trip(s, len, &failures);
    }
    CU_ASSERT_EQUAL(failures, 0);
}

static CU_TestInfo tests[] = {
    { "forwarded and granted", test_forwarded },
    { "404", test_not_found },
    { "401 never logs the key", test_unauthorized },
    { "key parameter spellings masked", test_key_spellings },
    { "custom key parameter name", test_custom_key_name },
    { "backend failure", test_backend_failure },
    { "unanswered", test_unanswered },
    { "hostile request bytes", test_hostile_request },
    { "ceiling", test_ceiling },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo json_tests[] = {
    { "escapes and valid UTF-8", test_json_escapes },
    { "invalid UTF-8", test_json_invalid_utf8 },
    { "everything is JSON", test_json_exhaustive },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "accesslog lines", setup, teardown, NULL, NULL, tests },
    { "accesslog_json_string", NULL, NULL, NULL, NULL, json_tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
