/* Unit tests for the pipeline (runtime/pipeline.c): API Management's own
 * error answers byte for byte (reference/apim-facts.md 2.2), what the
 * backend call is asked to be (URL, method, body, headers, TLS checks), and
 * how the backend's answer or failure becomes the response. No sockets: the
 * tests play server.c and proxy.c by hand. */
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "gateway_templates.h"
#include "pipeline.h"
#include "testutil.h"

#define AV   GT_AV
#define HEAD GT_HEAD
#define TAIL GT_TAIL
#define RES  GT_RES

/* An open API; url is its serviceUrl JSON member or "". */
#define API(id, path, url)                                                       \
    RES("apis", id,                                                              \
        "{`displayName`: `" id "`, `path`: `" path "`, `protocols`: [`https`], " \
        "`subscriptionRequired`: false" url "}")

#define URL(u) ", `serviceUrl`: `" u "`"

#define OP(api, id, method, tmpl, params)                                               \
    RES("apis/operations", api "/" id,                                                  \
        "{`displayName`: `" id "`, `method`: `" method "`, `urlTemplate`: `" tmpl "`, " \
        "`templateParameters`: [" params "]}")

#define P(name) "{`name`: `" name "`, `type`: `string`, `required`: true}"

/* A policy (type "apis/policies", name "api/policy" ...) whose inbound
 * section is <base /> and the given policy. */
#define POLICY(type, name, inbound)                                          \
    RES(type, name,                                                          \
        "{`format`: `rawxml`, `value`: `<policies><inbound><base />" inbound \
        "</inbound><backend><base /></backend><outbound><base /></outbound>" \
        "<on-error><base /></on-error></policies>`}")

static const char *const forward_parts[] = {
    API("plain", "plain", URL("http://b.example.com")),
    OP("plain", "get-item", "GET", "/items/{id}", P("id")),
    OP("plain", "create-item", "POST", "/items", ""),
    OP("plain", "get-files", "GET", "/files/*", ""),
    OP("plain", "root", "GET", "/", ""),
    API("slash", "slash", URL("http://b.example.com/base/")),
    OP("slash", "get-item", "GET", "/items/{id}", P("id")),
    OP("slash", "root", "GET", "/", ""),
    API("slashes", "slashes", URL("http://b.example.com/base//")),
    OP("slashes", "get-item", "GET", "/items/{id}", P("id")),
    API("nourl", "nourl", ""),
    OP("nourl", "get-x", "GET", "/x", ""),
    /* Backends entities: one without TLS checks for the API, another for
     * one operation. */
    RES("backends", "be-notls",
        "{`url`: `https://notls.example.com/api/`, `protocol`: `http`, `tls`: "
        "{`validateCertificateChain`: false, `validateCertificateName`: false}}"),
    RES("backends", "be-op", "{`url`: `https://op.example.com`, `protocol`: `http`}"),
    API("entity", "entity", URL("http://ignored.example.com")),
    POLICY("apis/policies", "entity/policy", "<set-backend-service backend-id='be-notls' />"),
    OP("entity", "get-x", "GET", "/x", ""),
    OP("entity", "get-y", "GET", "/y", ""),
    POLICY("apis/operations/policies", "entity/get-y/policy",
           "<set-backend-service backend-id='be-op' />"),
    /* A base-url on the API replaces its serviceUrl. */
    API("baseurl", "baseurl", URL("http://ignored.example.com")),
    POLICY("apis/policies", "baseurl/policy",
           "<set-backend-service base-url='http://override.example.com/v2' />"),
    OP("baseurl", "get-x", "GET", "/x", ""),
    /* An operation's base-url wins over the API's backend entity and its
     * sibling keeps the API's. */
    OP("entity", "get-z", "GET", "/z", ""),
    POLICY("apis/operations/policies", "entity/get-z/policy",
           "<set-backend-service base-url='http://op-base.example.com/z-api/' />"),
    OP("baseurl", "get-w", "GET", "/w", ""),
    POLICY("apis/operations/policies", "baseurl/get-w/policy",
           "<set-backend-service backend-id='be-op' />"),
    NULL,
};

static const char body_401_missing[] =
    "{ \"statusCode\": 401, \"message\": \"Access denied due to missing subscription key. Make "
    "sure to include subscription key when making requests to an API.\" }";
static const char body_401_invalid[] =
    "{ \"statusCode\": 401, \"message\": \"Access denied due to invalid subscription key. Make "
    "sure to provide a valid key for an active subscription.\" }";
static const char body_404[] = "{ \"statusCode\": 404, \"message\": \"Resource not found\" }";
static const char body_413[] = "{ \"statusCode\": 413, \"message\": \"Request entity too large\" }";
static const char body_400_path[] =
    "{ \"statusCode\": 400, \"message\": \"Invalid request path\" }";
static const char body_500[] =
    "{ \"statusCode\": 500, \"message\": \"Internal server error\", \"activityId\": "
    "\"0f8fad5b-d9cb-469f-a165-70867728950e\" }";

#define REQUEST_ID "0f8fad5b-d9cb-469f-a165-70867728950e"

/* ---- helpers ---- */

struct fixture {
    struct tu t;
    struct plan *plan;
    struct pipeline *pl;
    struct arena arena; /* the request's */
    struct gw_exchange x;
};

static const char *repo_file(struct arena *a, const char *rel)
{
    const char *at = strstr(__FILE__, "tests/unit/");
    int n = at ? (int)(at - __FILE__) : 0;
    return arena_printf(a, "%.*s%s", n, __FILE__, rel);
}

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    tu_init(&f->t);
    arena_init(&f->arena, 4096);
}

/* Loads the plan from parts (inline) or a file in the repository. */
static bool fixture_load(struct fixture *f, const char *const *parts, const char *file,
                         const char *const *params)
{
    if (parts) {
        const char *text = HEAD;
        for (size_t i = 0; parts[i]; i++)
            text = arena_printf(&f->t.arena, "%s%s", text, parts[i]);
        text = arena_printf(&f->t.arena, "%s%s", text, TAIL);
        f->plan = tu_plan(&f->t, text, params);
        if (f->plan == NULL)
            fprintf(stderr, "%s\n", tu_text(&f->t));
    } else {
        f->plan = tu_plan_file(&f->t, repo_file(&f->t.arena, file), params);
    }
    if (f->plan)
        f->pl = pipeline_new(f->plan, 30000);
    return f->plan != NULL;
}

static void fixture_release(struct fixture *f)
{
    pipeline_free(f->pl);
    plan_free(f->plan);
    arena_release(&f->arena);
    tu_release(&f->t);
}

static void add_header(struct arena *a, struct gw_headers *h, const char *line)
{
    const char *colon = strchr(line, ':');
    struct str name = { line, (size_t)(colon - line) };
    const char *v = colon + 1;
    while (*v == ' ')
        v++;
    gw_headers_add(a, h, name, str_from_cstr(v));
}

/* A fresh exchange for method path?query with the given header lines
 * (NULL-terminated, or NULL), not run yet. */
static struct gw_exchange *prepare(struct fixture *f, const char *method, const char *path,
                                   const char *query, const char *const *headers)
{
    arena_reset(&f->arena);
    memset(&f->x, 0, sizeof(f->x));
    struct gw_request *r = &f->x.req;
    r->arena = &f->arena;
    r->method = str_from_cstr(method);
    r->raw_path = str_from_cstr(path);
    r->raw_query = str_from_cstr(query);
    r->client_ip = STR_LIT("192.0.2.7");
    snprintf(r->id, sizeof(r->id), "%s", REQUEST_ID);
    for (size_t i = 0; headers && headers[i]; i++)
        add_header(&f->arena, &r->headers, headers[i]);
    return &f->x;
}

/* The same, run through pipeline_begin. */
static struct gw_exchange *begin(struct fixture *f, const char *method, const char *path,
                                 const char *query, const char *const *headers)
{
    struct gw_exchange *x = prepare(f, method, path, query, headers);
    pipeline_begin(f->pl, x);
    return x;
}

static bool str_is(struct str s, const char *want)
{
    return s.ptr && s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

/* How many headers named name (any case) h holds. */
static size_t count(const struct gw_headers *h, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++)
        n += str_ieq_cstr(h->v[i].name, name);
    return n;
}

static bool has(const struct gw_headers *h, const char *name, const char *value)
{
    const struct gw_header *x = gw_headers_get(h, name);
    return x && str_is(x->value, value);
}

/* The response is API Management's own error: status, exact body, and the
 * one header Content-Type: application/json; nothing goes to the backend. */
#define ASSERT_ERROR(x, st, text, reason)                                         \
    do {                                                                          \
        CU_ASSERT_EQUAL((x)->resp.status, (st));                                  \
        CU_ASSERT_TRUE(str_is((x)->resp.body, (text)));                           \
        CU_ASSERT_EQUAL_FATAL((x)->resp.headers.n, 1);                            \
        CU_ASSERT_TRUE(str_is((x)->resp.headers.v[0].name, "Content-Type"));      \
        CU_ASSERT_TRUE(str_is((x)->resp.headers.v[0].value, "application/json")); \
        CU_ASSERT_FALSE((x)->forward);                                            \
        CU_ASSERT_STRING_EQUAL((x)->error_reason, (reason));                      \
    } while (0)

/* Begins a GET and checks the backend URL it asks for. */
static void expect_url(struct fixture *f, const char *path, const char *query, const char *want,
                       unsigned line)
{
    struct gw_exchange *x = begin(f, "GET", path, query, NULL);
    const char *got = x->forward ? arena_printf(&f->arena, "%.*s", STR_FMT(x->fwd.url))
                                 : arena_printf(&f->arena, "(answered %d)", x->resp.status);
    char msg[1024];
    snprintf(msg, sizeof(msg), "GET %s?%s => %s (want %s)", path, query, got, want);
    CU_assertImplementation(strcmp(got, want) == 0, line, msg, __FILE__, "", CU_FALSE);
    /* The URL is handed to libcurl as a C string. */
    CU_ASSERT_TRUE(!x->forward || x->fwd.url.ptr[x->fwd.url.len] == '\0');
}

#define EXPECT_URL(f, path, query, want) expect_url((f), (path), (query), (want), __LINE__)

/* ---- error answers ---- */

static const char *const echo_params[] = { "backendUrl=http://127.0.0.1:5000", NULL };

static void test_error_bodies(void)
{
    struct fixture f;
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, NULL, "azure-templates/echo-api.json", echo_params));
    struct gw_exchange *x;

    x = begin(&f, "GET", "/echo/resource", "", NULL);
    ASSERT_ERROR(x, 401, body_401_missing, "SubscriptionKeyNotFound");
    CU_ASSERT_EQUAL(x->access.result, ACCESS_NO_KEY);

    static const char *const bad[] = { "Ocp-Apim-Subscription-Key: nope", NULL };
    x = begin(&f, "GET", "/echo/resource", "", bad);
    ASSERT_ERROR(x, 401, body_401_invalid, "SubscriptionKeyInvalid");
    CU_ASSERT_EQUAL(x->access.result, ACCESS_BAD_KEY);

    x = begin(&f, "GET", "/echo/resource", "subscription-key=nope", NULL);
    ASSERT_ERROR(x, 401, body_401_invalid, "SubscriptionKeyInvalid");

    /* No API, and an API without the operation: both 404, before any key
     * check (a good key does not change it, a missing one does not 401). */
    x = begin(&f, "GET", "/nothing/here", "", NULL);
    ASSERT_ERROR(x, 404, body_404, "OperationNotFound");
    CU_ASSERT_EQUAL(x->routed, ROUTER_NO_API);
    x = begin(&f, "DELETE", "/echo/resource", "", NULL);
    ASSERT_ERROR(x, 404, body_404, "OperationNotFound");
    CU_ASSERT_EQUAL(x->routed, ROUTER_NO_OPERATION);

    /* 413: the server's answer for a body over the limit. */
    x = begin(&f, "GET", "/nothing", "", NULL);
    pipeline_error(x, 413, "RequestEntityTooLarge");
    ASSERT_ERROR(x, 413, body_413, "RequestEntityTooLarge");

    /* 500 carries the request id as activityId. */
    x = begin(&f, "GET", "/nothing", "", NULL);
    pipeline_error(x, 500, "Whatever");
    ASSERT_ERROR(x, 500, body_500, "Whatever");

    /* An error replaces whatever headers the response had. */
    x = begin(&f, "GET", "/nothing", "", NULL);
    gw_headers_add(&f.arena, &x->resp.headers, STR_LIT("X-Stale"), STR_LIT("1"));
    pipeline_error(x, 404, "OperationNotFound");
    CU_ASSERT_EQUAL(x->resp.headers.n, 1);
    CU_ASSERT_EQUAL(count(&x->resp.headers, "X-Stale"), 0);
    fixture_release(&f);
}

/* An API with no backend at all answers 500 itself. */
static void test_no_backend(void)
{
    struct fixture f;
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, forward_parts, NULL, NULL));
    struct gw_exchange *x = begin(&f, "GET", "/nourl/x", "", NULL);
    ASSERT_ERROR(x, 500, body_500, "NoBackend");
    fixture_release(&f);
}

/* ---- the backend URL ---- */

static void test_backend_url(void)
{
    struct fixture f;
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, forward_parts, NULL, NULL));
    /* serviceUrl + the path after the API path + the raw query. */
    EXPECT_URL(&f, "/plain/items/42", "", "http://b.example.com/items/42");
    EXPECT_URL(&f, "/plain/items/42", "a=1&b=x%20y", "http://b.example.com/items/42?a=1&b=x%20y");
    EXPECT_URL(&f, "/PLAIN/Items/42", "", "http://b.example.com/Items/42");
    EXPECT_URL(&f, "/plain/items/a%2Fb", "", "http://b.example.com/items/a%2Fb");
    EXPECT_URL(&f, "/plain/files/a/b/c.txt", "", "http://b.example.com/files/a/b/c.txt");
    /* The client's trailing slash goes along. */
    EXPECT_URL(&f, "/plain/items/42/", "", "http://b.example.com/items/42/");
    /* The API root: nothing after serviceUrl. */
    EXPECT_URL(&f, "/plain", "", "http://b.example.com");
    EXPECT_URL(&f, "/plain/", "q=1", "http://b.example.com?q=1");
    /* A serviceUrl ending in slashes does not double the slash. */
    EXPECT_URL(&f, "/slash/items/1", "", "http://b.example.com/base/items/1");
    EXPECT_URL(&f, "/slashes/items/1", "", "http://b.example.com/base/items/1");
    EXPECT_URL(&f, "/slash", "", "http://b.example.com/base");
    /* A backends entity set by set-backend-service, for the API and for one
     * operation; a base-url replaces serviceUrl. */
    EXPECT_URL(&f, "/entity/x", "k=v", "https://notls.example.com/api/x?k=v");
    EXPECT_URL(&f, "/entity/y", "", "https://op.example.com/y");
    EXPECT_URL(&f, "/baseurl/x", "", "http://override.example.com/v2/x");
    EXPECT_URL(&f, "/entity/z", "a=b", "http://op-base.example.com/z-api/z?a=b");
    EXPECT_URL(&f, "/baseurl/w", "", "https://op.example.com/w");

    /* TLS checks follow the backend entity's tls settings. */
    struct gw_exchange *x = begin(&f, "GET", "/entity/x", "", NULL);
    CU_ASSERT_TRUE(x->forward);
    CU_ASSERT_FALSE(x->fwd.verify_peer);
    CU_ASSERT_FALSE(x->fwd.verify_host);
    x = begin(&f, "GET", "/entity/y", "", NULL);
    CU_ASSERT_TRUE(x->fwd.verify_peer);
    CU_ASSERT_TRUE(x->fwd.verify_host);
    x = begin(&f, "GET", "/plain/items/1", "", NULL);
    CU_ASSERT_TRUE(x->fwd.verify_peer);
    CU_ASSERT_TRUE(x->fwd.verify_host);
    CU_ASSERT_EQUAL(x->fwd.timeout_ms, 30000);
    fixture_release(&f);
}

/* The path is normalised before routing (docs/gateway.md, "Paths"): the
 * API, the key check and the backend URL all follow the normalised path;
 * what cannot be made safe is 400 before routing. */
static void test_normalised_path(void)
{
    struct fixture f;
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, forward_parts, NULL, NULL));
    EXPECT_URL(&f, "/plain/x/../items/42", "", "http://b.example.com/items/42");
    EXPECT_URL(&f, "/plain/%2e%2e/slash/items/1", "", "http://b.example.com/base/items/1");
    EXPECT_URL(&f, "/plain/./items/%34%32", "a=..%2F", "http://b.example.com/items/42?a=..%2F");
    EXPECT_URL(&f, "/plain/items/a%2fb", "", "http://b.example.com/items/a%2fb");
    static const char *const refused[] = { "/plain/items/..%2F..%2Fslash", "/plain/../../x",
                                           "/plain/items/%zz", "/plain/items/..\\x" };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        struct gw_exchange *x = begin(&f, "GET", refused[i], "", NULL);
        ASSERT_ERROR(x, 400, body_400_path, "InvalidRequestPath");
        CU_ASSERT_EQUAL(x->routed, ROUTER_NO_API);
        CU_ASSERT_TRUE(str_is(x->req.raw_path, refused[i])); /* logged as received */
    }
    fixture_release(&f);

    /* Into a keyed API: its key is checked. */
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, NULL, "azure-templates/echo-api.json", echo_params));
    struct gw_exchange *x = begin(&f, "GET", "/open/../echo/resource", "", NULL);
    ASSERT_ERROR(x, 401, body_401_missing, "SubscriptionKeyNotFound");
    fixture_release(&f);
}

/* pipeline_body_whole routes from the headers; pipeline_begin on the same
 * pipeline reuses that route, and one built after a reload routes again. */
static void test_route_reused(void)
{
    struct fixture f;
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, forward_parts, NULL, NULL));
    struct gw_exchange *x = prepare(&f, "GET", "/plain/x/../items/42", "", NULL);
    (void)pipeline_body_whole(f.pl, x);
    CU_ASSERT_EQUAL(x->routed, ROUTER_MATCH);
    CU_ASSERT_EQUAL(x->routed_by, f.pl->generation);
    struct route first = x->route;
    pipeline_begin(f.pl, x);
    CU_ASSERT_TRUE(x->forward);
    CU_ASSERT_EQUAL(x->route.op, first.op);
    CU_ASSERT_TRUE(str_is(x->fwd.url, "http://b.example.com/items/42"));
    /* a reload between the two: a new pipeline (its plan could differ) */
    struct pipeline *reloaded = pipeline_new(f.plan, 30000);
    CU_ASSERT_NOT_EQUAL(reloaded->generation, f.pl->generation);
    x = prepare(&f, "GET", "/plain/items/7", "", NULL);
    (void)pipeline_body_whole(f.pl, x);
    x->route.op = (uint32_t)-1; /* what a stale route from another plan could be */
    pipeline_begin(reloaded, x);
    CU_ASSERT_EQUAL(x->routed_by, reloaded->generation);
    CU_ASSERT_EQUAL(x->route.op, first.op);
    CU_ASSERT_TRUE(str_is(x->fwd.url, "http://b.example.com/items/7"));
    pipeline_free(reloaded);
    fixture_release(&f);
}

static void test_backend_entity_file(void)
{
    struct fixture f;
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, NULL, "azure-templates/backend-entity.json", NULL));
    EXPECT_URL(&f, "/inventory/stock", "", "https://inventory.contoso.com/api/stock");
    EXPECT_URL(&f, "/inventory/stock/sku-1", "n=2",
               "https://inventory.contoso.com/api/stock/sku-1?n=2");
    struct gw_exchange *x = begin(&f, "GET", "/inventory/stock", "", NULL);
    CU_ASSERT_TRUE(x->fwd.verify_peer);
    CU_ASSERT_TRUE(x->fwd.verify_host);
    fixture_release(&f);

    static const char *const local[] = { "inventoryUrl=http://127.0.0.1:5000", NULL };
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, NULL, "azure-templates/backend-entity.json", local));
    EXPECT_URL(&f, "/inventory/stock/sku-1", "", "http://127.0.0.1:5000/stock/sku-1");
    fixture_release(&f);
}

/* The seed's document: each method of each path has its own endpoint. */
static void test_seed_simple_api(void)
{
    struct fixture f;
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, NULL, "examples/seed/simple-api.json", NULL));
    EXPECT_URL(&f, "/", "", "http://localhost:5000");
    EXPECT_URL(&f, "/", "a=b", "http://localhost:5000?a=b");
    struct gw_exchange *x = begin(&f, "POST", "/", "", NULL);
    ASSERT_ERROR(x, 404, body_404, "OperationNotFound");
    x = begin(&f, "GET", "/other", "", NULL);
    ASSERT_ERROR(x, 404, body_404, "OperationNotFound");
    fixture_release(&f);
}

/* ---- what goes to the backend besides the URL ---- */

static void test_forward_request(void)
{
    struct fixture f;
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, NULL, "azure-templates/echo-api.json", echo_params));
    static const char *const headers[] = {
        "Host: gateway.local:8080",
        "Connection: keep-alive",
        "Keep-Alive: timeout=5",
        "Proxy-Connection: keep-alive",
        "Transfer-Encoding: chunked",
        "Content-Length: 7",
        "TE: trailers",
        "Trailer: X-Checksum",
        "Upgrade: h2c",
        "Expect: 100-continue",
        "Proxy-Authorization: Basic eDp5",
        "Ocp-Apim-Subscription-Key: starter-primary-key-0001",
        "Content-Type: application/json",
        "X-Forwarded-For: 10.0.0.1",
        "Authorization: Bearer t",
        "X-Custom: a",
        "x-custom: b",
        NULL,
    };
    struct gw_exchange *x = prepare(&f, "POST", "/echo/items", "subscription-key=ignored", headers);
    x->req.body = STR_LIT("{\"a\":1}");
    pipeline_begin(f.pl, x);
    CU_ASSERT_TRUE_FATAL(x->forward);
    CU_ASSERT_TRUE(str_is(x->fwd.url, "http://127.0.0.1:5000/items?subscription-key=ignored"));
    CU_ASSERT_TRUE(str_is(x->fwd.method, "POST"));
    CU_ASSERT_TRUE(str_is(x->fwd.body, "{\"a\":1}"));
    const struct gw_headers *h = &x->fwd.headers;
    /* Hop-by-hop and transport headers stay behind. */
    static const char *const dropped[] = { "Host",
                                           "Connection",
                                           "Keep-Alive",
                                           "Proxy-Connection",
                                           "Transfer-Encoding",
                                           "Content-Length",
                                           "TE",
                                           "Trailer",
                                           "Upgrade",
                                           "Expect",
                                           "Proxy-Authorization" };
    for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
        CU_ASSERT_EQUAL(count(h, dropped[i]), 0);
    /* The key header goes along, as in API Management (facts 0.3, 2.6). */
    CU_ASSERT_TRUE(has(h, "Ocp-Apim-Subscription-Key", "starter-primary-key-0001"));
    CU_ASSERT_TRUE(has(h, "Content-Type", "application/json"));
    CU_ASSERT_TRUE(has(h, "Authorization", "Bearer t"));
    /* Repeated headers stay repeated, in order. */
    CU_ASSERT_EQUAL(count(h, "X-Custom"), 2);
    /* The client's address is appended to the X-Forwarded-For it sent. */
    CU_ASSERT_EQUAL(count(h, "X-Forwarded-For"), 1);
    CU_ASSERT_TRUE(has(h, "X-Forwarded-For", "10.0.0.1, 192.0.2.7"));
    CU_ASSERT_EQUAL(h->n, 6);
    if (h->n == 6) {
        CU_ASSERT_TRUE(str_is(h->v[0].name, "Ocp-Apim-Subscription-Key"));
        CU_ASSERT_TRUE(str_is(h->v[3].value, "a"));
        CU_ASSERT_TRUE(str_is(h->v[4].value, "b"));
        CU_ASSERT_TRUE(str_is(h->v[5].name, "X-Forwarded-For"));
    }
    /* The key in the query was not needed (the header wins) and still goes
     * to the backend in the URL. The call runs in the product. */
    CU_ASSERT_EQUAL(x->access.result, ACCESS_GRANTED);
    CU_ASSERT_NOT_EQUAL(x->access.product, PLAN_NONE);

    /* Without an X-Forwarded-For, it is the client's address. */
    static const char *const key_only[] = { "Ocp-Apim-Subscription-Key: echo-api-primary-key-0001",
                                            NULL };
    x = begin(&f, "get", "/echo/items/5", "", key_only);
    CU_ASSERT_TRUE_FATAL(x->forward);
    CU_ASSERT_TRUE(str_is(x->fwd.method, "get"));
    CU_ASSERT_EQUAL(x->fwd.body.len, 0);
    CU_ASSERT_TRUE(has(&x->fwd.headers, "X-Forwarded-For", "192.0.2.7"));
    CU_ASSERT_EQUAL(x->fwd.headers.n, 2);

    /* Several X-Forwarded-For headers are one list (RFC 9110 5.3): all of
     * it goes along, then the client. */
    static const char *const two_xff[] = {
        "Ocp-Apim-Subscription-Key: echo-api-primary-key-0001",
        "X-Forwarded-For: 10.0.0.1",
        "x-forwarded-for: 10.0.0.2, 10.0.0.3",
        NULL,
    };
    x = begin(&f, "GET", "/echo/items/5", "", two_xff);
    CU_ASSERT_TRUE_FATAL(x->forward);
    CU_ASSERT_EQUAL(count(&x->fwd.headers, "X-Forwarded-For"), 1);
    CU_ASSERT_TRUE(
        has(&x->fwd.headers, "X-Forwarded-For", "10.0.0.1, 10.0.0.2, 10.0.0.3, 192.0.2.7"));
    fixture_release(&f);
}

/* ---- the backend's answer ---- */

static void test_finish_success(void)
{
    struct fixture f;
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, forward_parts, NULL, NULL));
    static const int statuses[] = { 200, 201, 204, 302, 404, 500, 503 };
    for (size_t k = 0; k < sizeof(statuses) / sizeof(statuses[0]); k++) {
        struct gw_exchange *x = begin(&f, "GET", "/plain/items/1", "", NULL);
        CU_ASSERT_TRUE_FATAL(x->forward);
        struct gw_backend_result *b = &x->backend;
        b->error = GW_BACKEND_OK;
        b->status = statuses[k];
        b->body = STR_LIT("{\"backend\": true}");
        static const char *const lines[] = {
            "Content-Type: application/json; charset=utf-8",
            "Connection: close",
            "Keep-Alive: timeout=5",
            "Transfer-Encoding: chunked",
            "Content-Length: 17",
            "Trailer: X-Sum",
            "Upgrade: websocket",
            "Proxy-Authenticate: Basic",
            "Set-Cookie: a=1",
            "Set-Cookie: b=2",
            "X-Backend: yes",
            NULL,
        };
        for (size_t i = 0; lines[i]; i++)
            add_header(&f.arena, &b->headers, lines[i]);
        pipeline_finish(f.pl, x);
        /* Status and body as the backend gave them, a 500 too. */
        CU_ASSERT_EQUAL(x->resp.status, statuses[k]);
        CU_ASSERT_TRUE(str_is(x->resp.body, "{\"backend\": true}"));
        CU_ASSERT_PTR_NULL(x->error_reason);
        const struct gw_headers *h = &x->resp.headers;
        CU_ASSERT_EQUAL(h->n, 4);
        CU_ASSERT_TRUE(has(h, "Content-Type", "application/json; charset=utf-8"));
        CU_ASSERT_TRUE(has(h, "X-Backend", "yes"));
        CU_ASSERT_EQUAL(count(h, "Set-Cookie"), 2);
        CU_ASSERT_EQUAL(count(h, "Connection") + count(h, "Keep-Alive") +
                            count(h, "Transfer-Encoding") + count(h, "Content-Length") +
                            count(h, "Trailer") + count(h, "Upgrade") +
                            count(h, "Proxy-Authenticate"),
                        0);
    }
    fixture_release(&f);
}

static void test_finish_backend_errors(void)
{
    struct fixture f;
    fixture_init(&f);
    CU_ASSERT_TRUE_FATAL(fixture_load(&f, forward_parts, NULL, NULL));

    static const struct {
        enum gw_backend_error error;
        const char *reason;
    } cases[] = {
        { GW_BACKEND_CONNECT, "BackendConnectionFailure" },
        { GW_BACKEND_TIMEOUT, "Timeout" },
        { GW_BACKEND_RESET, "BackendConnectionFailure" },
        { GW_BACKEND_TOO_LARGE, "BackendConnectionFailure" },
        { GW_BACKEND_OTHER, "BackendConnectionFailure" },
    };

    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        struct gw_exchange *x = begin(&f, "GET", "/plain/items/1", "", NULL);
        CU_ASSERT_TRUE_FATAL(x->forward);
        x->backend.error = cases[k].error;
        x->backend.error_text = "details for the log";
        /* Whatever part of an answer came before the failure is dropped. */
        x->backend.status = 200;
        x->backend.body = STR_LIT("partial");
        add_header(&f.arena, &x->backend.headers, "X-Backend: yes");
        pipeline_finish(f.pl, x);
        ASSERT_ERROR(x, 500, body_500, cases[k].reason);
    }
    fixture_release(&f);
}

static CU_TestInfo tests[] = {
    { "error bodies: 401 missing and invalid, 404, 413, 500", test_error_bodies },
    { "no backend: 500", test_no_backend },
    { "backend URL: serviceUrl, slashes, query, backends entities", test_backend_url },
    { "a route from the headers reused, not across a reload", test_route_reused },
    { "normalised path: routing, keys, backend URL; 400", test_normalised_path },
    { "backend-entity.json", test_backend_entity_file },
    { "seed simple-api.json", test_seed_simple_api },
    { "forwarded method, body and headers", test_forward_request },
    { "backend answers pass through", test_finish_success },
    { "backend failures: 500", test_finish_backend_errors },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "pipeline", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
