/* e2e_apiops.c - an APIOps artifact folder served by the real gateway: the
 * test writes a folder the way the APIOps extractor lays it out (a global
 * policy.xml, APIs with specifications and policies, backends, a product
 * and a subscription) and a publisher configuration that points the APIs
 * and backends at the echo backend, starts `apim gateway start --config
 * FOLDER --configuration FILE`, and checks what the gateway serves and
 * where requests go.
 *
 * Operations come from the APIs' OpenAPI specifications. One operation
 * (orders' delete-order, in both revisions) has a policy.xml with a policy
 * that refuses requests and the local gateway does not apply: it fails
 * closed, and the start says so.
 *
 *   e2e_apiops APIM ECHO_BACKEND SOURCE_ROOT
 */
#include <CUnit/Basic.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../unit/cunit_run.h"
#include "harness.h"

static const char body_500[] = "{ \"statusCode\": 500, \"message\": \"Internal server error\" }";
static const char starter_key[] = "e2e-starter-key-0001";

static struct h_backend backend;
static struct h_gateway gw;
static char folder[512], configuration[512];
static struct buf started; /* what gateway start printed */

/* ---- the artifact folder ---- */

/* Writes shop/rel in the scratch folder, making its folders first. */
static int put(const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/shop/%s", h_scratch(), rel);
    for (char *p = path + strlen(h_scratch()) + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    char out[1024];
    return h_write_file(path, text, out, sizeof(out));
}

static const char orders_spec[] = "openapi: 3.0.1\n"
                                  "info: { title: Orders, version: '1' }\n"
                                  "paths:\n"
                                  "  /orders:\n"
                                  "    get:\n"
                                  "      operationId: list-orders\n"
                                  "      responses: { '200': { description: ok } }\n"
                                  "  '/orders/{id}':\n"
                                  "    get:\n"
                                  "      operationId: get-order\n"
                                  "      parameters:\n"
                                  "        - { name: id, in: path, required: true, schema: { "
                                  "type: string } }\n"
                                  "      responses: { '200': { description: ok } }\n"
                                  "    delete:\n"
                                  "      operationId: delete-order\n"
                                  "      parameters:\n"
                                  "        - { name: id, in: path, required: true, schema: { "
                                  "type: string } }\n"
                                  "      responses: { '204': { description: deleted } }\n";

/* An operation policy whose validate-jwt the local gateway does not apply. */
static const char refusing_policy[] =
    "<policies>\n\t<inbound>\n\t\t<base />\n\t\t<validate-jwt header-name=\"Authorization\">\n"
    "\t\t\t<openid-config url=\"https://login.example/.well-known/openid-configuration\" />\n"
    "\t\t</validate-jwt>\n\t</inbound>\n\t<backend>\n\t\t<base />\n\t</backend>\n"
    "\t<outbound>\n\t\t<base />\n\t</outbound>\n\t<on-error>\n\t\t<base />\n"
    "\t</on-error>\n</policies>\n";

static const char catalog_spec[] =
    "{ \"openapi\": \"3.0.1\", \"info\": { \"title\": \"Catalog\", \"version\": \"1\" },\n"
    "  \"paths\": { \"/items\": { \"get\": { \"operationId\": \"list-items\",\n"
    "    \"responses\": { \"200\": { \"description\": \"ok\" } } } } } }\n";

static const char stock_spec[] = "openapi: 3.0.1\n"
                                 "info: { title: Inventory, version: '1' }\n"
                                 "paths:\n"
                                 "  /stock:\n"
                                 "    get:\n"
                                 "      operationId: get-stock\n"
                                 "      responses: { '200': { description: ok } }\n";

static int write_api(const char *name, const char *info, const char *spec_file, const char *spec)
{
    char rel[256];
    snprintf(rel, sizeof(rel), "apis/%s/apiInformation.json", name);
    if (put(rel, info) != 0)
        return -1;
    snprintf(rel, sizeof(rel), "apis/%s/%s", name, spec_file);
    return put(rel, spec);
}

/* The global policy sends every API without a serviceUrl of its own to
 * the echo backend: the gateway applies a literal set-backend-service, so
 * where such an API's calls go shows the file was read. */
static int write_policies(void)
{
    char global[512];
    snprintf(global, sizeof(global),
             "<policies>\n\t<inbound>\n\t\t<set-backend-service base-url=\"%s/global-default\" "
             "/>\n\t</inbound>\n\t<backend>\n\t\t<forward-request />\n\t</backend>\n"
             "\t<outbound />\n\t<on-error />\n</policies>\n",
             backend.url);
    /* Both revisions of orders send their calls to orders-backend. */
    static const char orders_policy[] =
        "<policies>\n\t<inbound>\n\t\t<base />\n\t\t<set-backend-service "
        "backend-id=\"orders-backend\" />\n\t</inbound>\n\t<backend>\n\t\t<base />\n"
        "\t</backend>\n\t<outbound>\n\t\t<base />\n\t</outbound>\n\t<on-error>\n"
        "\t\t<base />\n\t</on-error>\n</policies>\n";
    return put("policy.xml", global) || put("apis/orders/policy.xml", orders_policy) ||
           put("apis/orders;rev=2/policy.xml", orders_policy);
}

static int write_folder(void)
{
    int rc = write_api("orders",
                       "{ \"properties\": { \"displayName\": \"Orders\", \"path\": \"orders\", "
                       "\"serviceUrl\": \"https://orders.shop.example\", "
                       "\"subscriptionRequired\": true } }",
                       "specification.yaml", orders_spec);
    rc |= write_api("orders;rev=2",
                    "{ \"properties\": { \"displayName\": \"Orders\", \"path\": \"orders\", "
                    "\"apiRevision\": \"2\", \"isCurrent\": false, "
                    "\"serviceUrl\": \"https://orders.shop.example\", "
                    "\"subscriptionRequired\": true } }",
                    "specification.yaml", orders_spec);
    rc |= put("apis/orders/operations/delete-order/policy.xml", refusing_policy);
    rc |= put("apis/orders;rev=2/operations/delete-order/policy.xml", refusing_policy);
    rc |= write_api("catalog",
                    "{ \"properties\": { \"displayName\": \"Catalog\", \"path\": \"catalog\", "
                    "\"serviceUrl\": \"https://catalog.shop.example\", "
                    "\"subscriptionRequired\": false } }",
                    "specification.json", catalog_spec);
    rc |= write_api("inventory",
                    "{ \"properties\": { \"displayName\": \"Inventory\", \"path\": \"inventory\", "
                    "\"subscriptionRequired\": false } }",
                    "specification.yaml", stock_spec);
    rc |= put("backends/orders-backend/backendInformation.json",
              "{ \"properties\": { \"url\": \"https://orders-backend.shop.example\", "
              "\"protocol\": \"http\" } }");
    rc |= put("products/starter/productInformation.json",
              "{ \"properties\": { \"displayName\": \"Starter\", \"state\": \"published\", "
              "\"subscriptionRequired\": true } }");
    rc |= put("products/starter/apis/orders/productApiInformation.json", "{}\n");
    rc |= put("subscriptions/starter-key/subscriptionInformation.json",
              "{ \"properties\": { \"displayName\": \"Starter key\", \"scope\": "
              "\"/products/starter\", \"state\": \"active\" } }");
    return rc | write_policies();
}

/* What differs per environment, in the publisher's format: here, the echo
 * backend's port. */
static int write_configuration(void)
{
    char text[2048];
    snprintf(text, sizeof(text),
             "apimServiceName: shop-e2e\n"
             "apis:\n"
             "  - name: catalog\n"
             "    properties:\n"
             "      serviceUrl: %s/catalog-service\n"
             "backends:\n"
             "  - name: orders-backend\n"
             "    properties:\n"
             "      url: %s/orders-backend\n"
             "subscriptions:\n"
             "  - name: starter-key\n"
             "    properties:\n"
             "      primaryKey: %s\n",
             backend.url, backend.url, starter_key);
    return h_write_file("configuration.e2e.yaml", text, configuration, sizeof(configuration));
}

static int suite_init(void)
{
    if (h_backend_start(&backend) != 0 || write_folder() != 0 || write_configuration() != 0)
        return 1;
    snprintf(folder, sizeof(folder), "%s/shop", h_scratch());
    const char *extra[] = { "--configuration", configuration, NULL };
    buf_init(&started, 1 << 20);
    return h_gateway_start_out(&gw, "apiops", folder, extra, &started) != 0;
}

static int suite_cleanup(void)
{
    int rc = h_gateway_stop(&gw);
    h_backend_stop(&backend);
    buf_release(&started);
    return rc != 0;
}

/* ---- helpers ---- */

/* Runs apim and parses its stdout as JSON (NULL on failure). */
static json_t *apim_json(const char *const *args)
{
    struct buf out, err;
    buf_init(&out, 16u << 20);
    buf_init(&err, 16u << 20);
    int rc = h_apim(&out, &err, args);
    json_t *j = rc == 0 && out.data ? json_loads(out.data, 0, NULL) : NULL;
    if (j == NULL)
        fprintf(stderr, "apim %s %s: exit %d\n%s%s", args[0], args[1], rc, out.data ? out.data : "",
                err.data ? err.data : "");
    buf_release(&out);
    buf_release(&err);
    return j;
}

static json_t *find_by(json_t *array, const char *key, const char *value)
{
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v)
    {
        const char *s = json_string_value(json_object_get(v, key));
        if (s && strcmp(s, value) == 0)
            return v;
    }
    return NULL;
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void expect_url(json_t *o, const char *key, const char *suffix)
{
    char want[256];
    snprintf(want, sizeof(want), "%s%s", backend.url, suffix);
    if (strcmp(jstr(o, key), want) != 0)
        fprintf(stderr, "%s: %s, expected %s\n", key, jstr(o, key), want);
    CU_ASSERT_STRING_EQUAL(jstr(o, key), want);
}

/* ---- what the gateway serves ---- */

static void test_served_configuration(void)
{
    const char *list[] = { "api", "list", "--gateway-name", gw.name, "-o", "json", NULL };
    json_t *apis = apim_json(list);
    CU_ASSERT_PTR_NOT_NULL_FATAL(apis);
    CU_ASSERT_EQUAL(json_array_size(apis), 4);
    /* The configuration's serviceUrl, not the artifact's. */
    expect_url(find_by(apis, "name", "catalog"), "serviceUrl", "/catalog-service");
    /* No serviceUrl of its own: the global policy.xml's base-url. */
    expect_url(find_by(apis, "name", "inventory"), "serviceUrl", "/global-default");
    json_decref(apis);

    char plan[700];
    snprintf(plan, sizeof(plan), "%s/gateways/%s/gateway.plan", h_home(), gw.name);
    const char *show[] = { "plan", "show", plan, NULL };
    json_t *p = apim_json(show);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(p, "service"), "name"), "shop-e2e");
    /* The API's policy.xml picks the backend; the configuration moves it. */
    json_t *orders = find_by(json_object_get(p, "apis"), "id", "orders");
    CU_ASSERT_STRING_EQUAL(jstr(orders, "backend"), "orders-backend");
    expect_url(find_by(json_object_get(p, "backends"), "id", "orders-backend"), "url",
               "/orders-backend");
    json_decref(p);
}

/* The number of operations of API id (-1 if it cannot be listed). */
static long operations_of(const char *id)
{
    const char *ops[] = { "api",      "operation", "list", "--gateway-name", gw.name,
                          "--api-id", id,          "-o",   "json",           NULL };
    json_t *j = apim_json(ops);
    long n = j ? (long)json_array_size(j) : -1;
    json_decref(j);
    return n;
}

static long call_method(const char *method, const char *path, const char *const *headers,
                        struct h_resp *r)
{
    char url[512];
    snprintf(url, sizeof(url), "%s%s", gw.url, path);
    h_http(r, method, url, headers, NULL, 0);
    return r->status;
}

static long call(const char *path, const char *const *headers, struct h_resp *r)
{
    return call_method("GET", path, headers, r);
}

/* GET path; the echo backend must have seen backend_path. */
static void expect_forwarded(const char *path, const char *const *headers, const char *backend_path)
{
    struct h_resp r;
    CU_ASSERT_EQUAL(call(path, headers, &r), 200);
    json_t *e = json_loads(r.body.data ? r.body.data : "", 0, NULL);
    const char *seen = e ? jstr(e, "path") : "(not the echo backend)";
    if (strcmp(seen, backend_path) != 0)
        fprintf(stderr, "%s: the backend saw %s, expected %s\n", path, seen, backend_path);
    CU_ASSERT_STRING_EQUAL(seen, backend_path);
    json_decref(e);
    h_resp_release(&r);
}

static void test_traffic(void)
{
    static const char *const key[] = { "Ocp-Apim-Subscription-Key: e2e-starter-key-0001", NULL };
    /* The specifications' operations, or nothing below means anything. */
    CU_ASSERT_EQUAL_FATAL(operations_of("orders"), 3);
    expect_forwarded("/catalog/items", NULL, "/catalog-service/items");
    expect_forwarded("/inventory/stock", NULL, "/global-default/stock");
    expect_forwarded("/orders/orders/42", key, "/orders-backend/orders/42");
    struct h_resp r;
    CU_ASSERT_EQUAL(call("/orders/orders", NULL, &r), 401); /* the product needs a key */
    h_resp_release(&r);
}

/* delete-order's policy.xml refuses requests the gateway cannot check: it
 * answers 500 with API Management's body, the backend never sees it, and
 * the start named it, in each revision (a revision by its ;rev=N name). */
static void test_operation_fails_closed(void)
{
    static const char *const key[] = { "Ocp-Apim-Subscription-Key: e2e-starter-key-0001", NULL };
    CU_ASSERT_PTR_NOT_NULL(strstr(started.data, "orders DELETE delete-order: policy "
                                                "'validate-jwt' at operation scope"));
    CU_ASSERT_PTR_NOT_NULL(strstr(started.data, "orders;rev=2 DELETE delete-order: policy "
                                                "'validate-jwt' at operation scope"));
    CU_ASSERT_PTR_NULL(strstr(started.data, "get-order"));
    long before = h_backend_requests(&backend);
    struct h_resp r;
    CU_ASSERT_EQUAL(call_method("DELETE", "/orders/orders/42", key, &r), 500);
    CU_ASSERT_STRING_EQUAL(r.body.data ? r.body.data : "", body_500);
    h_resp_release(&r);
    CU_ASSERT_EQUAL(call_method("DELETE", "/orders;rev=2/orders/42", key, &r), 500);
    h_resp_release(&r);
    CU_ASSERT_EQUAL(h_backend_requests(&backend), before);
    CU_ASSERT_EQUAL(call("/orders;rev=2/orders/42", key, &r), 200); /* its neighbours are served */
    h_resp_release(&r);
    CU_ASSERT_EQUAL(h_backend_requests(&backend), before + 1);
}

/* The public APIOps sample (the corpus copy of Azure/apiops's
 * SampleArtifacts) starts as it is: every API is served, and basic-api's
 * policy.xml picks its backend. Its backends are on the internet, so no
 * request is sent. */
static void test_corpus_sample(void)
{
    char sample[700];
    snprintf(sample, sizeof(sample), "%s/../shared/corpus/apiops/SampleArtifacts", h_root());
    struct h_gateway g;
    CU_ASSERT_EQUAL_FATAL(h_gateway_start(&g, "apiops-sample", sample, NULL), 0);
    const char *list[] = { "api", "list", "--gateway-name", g.name, "-o", "json", NULL };
    json_t *apis = apim_json(list);
    CU_ASSERT_EQUAL(json_array_size(apis), 8);
    CU_ASSERT_PTR_NOT_NULL(find_by(apis, "name", "revisioned-api;rev=2"));
    json_decref(apis);
    char plan[700];
    snprintf(plan, sizeof(plan), "%s/gateways/%s/gateway.plan", h_home(), g.name);
    const char *show[] = { "plan", "show", plan, NULL };
    json_t *p = apim_json(show);
    CU_ASSERT_STRING_EQUAL(jstr(find_by(json_object_get(p, "apis"), "id", "basic-api"), "backend"),
                           "backend1");
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(p, "service"), "name"), "apiops");
    json_decref(p);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: e2e_apiops APIM ECHO_BACKEND SOURCE_ROOT\n");
        return 2;
    }
    /* The publisher's variables would win over what the test writes. */
    unsetenv("CONFIGURATION_YAML_PATH");
    unsetenv("API_MANAGEMENT_SERVICE_NAME");
    h_init(argv[1], argv[2], argv[3]);
    static CU_TestInfo tests[] = {
        { "folder and configuration served", test_served_configuration },
        { "requests reach the backend", test_traffic },
        { "an operation policy fails closed", test_operation_fails_closed },
        { "the corpus sample starts", test_corpus_sample },
        CU_TEST_INFO_NULL,
    };
    static CU_SuiteInfo suites[] = {
        { "apiops folder", suite_init, suite_cleanup, NULL, NULL, tests },
        CU_SUITE_INFO_NULL,
    };
    return cunit_run(suites);
}
