/* e2e_openapi.c - APIs imported from OpenAPI specifications, served by the
 * real gateway in front of the echo backend:
 *   - a template whose API is `format: openapi+json` with the spec inline:
 *     imported operations reach the backend (path parameters, required query
 *     parameters in the URL template), other paths get API Management's 404;
 *   - a bare spec served with `gateway start --config spec.yaml --path`;
 *   - `apim api import`: its template validates with --strict and serves.
 *
 *   e2e_openapi APIM ECHO_BACKEND SOURCE_ROOT
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/cunit_run.h"
#include "harness.h"

static struct h_backend backend;
static struct h_gateway gw;
static char spec_path[512];

static const char body_404[] = "{ \"statusCode\": 404, \"message\": \"Resource not found\" }";

/* The spec every suite uses; its server is the echo backend. */
static const char spec_yaml[] =
    "openapi: 3.0.1\n"
    "info: {title: Pet Store, version: '1'}\n"
    "servers: [{url: '%s/v1'}]\n"
    "paths:\n"
    "  /pets/{petId}:\n"
    "    get:\n"
    "      operationId: getPet\n"
    "      parameters:\n"
    "        - {name: petId, in: path, required: true, schema: {type: integer}}\n"
    "        - {name: verbose, in: query, required: true, schema: {type: boolean}}\n"
    "      responses:\n"
    "        '200': {description: A pet, content: {application/json: {example: {id: 1}}}}\n"
    "  /pets:\n"
    "    post:\n"
    "      summary: Add a pet\n"
    "      responses: {'201': {description: Added}}\n";

static char *spec_text(void)
{
    char *s = NULL;
    if (asprintf(&s, spec_yaml, backend.url) < 0)
        abort();
    return s;
}

static long call(const char *method, const char *path, const char *key, struct h_resp *r)
{
    char url[512], header[200];
    snprintf(url, sizeof(url), "%s%s", gw.url, path);
    snprintf(header, sizeof(header), "Ocp-Apim-Subscription-Key: %s", key ? key : "");
    const char *h[] = { header, NULL };
    h_http(r, method, url, key ? h : NULL, NULL, 0);
    return r->status;
}

/* The path the backend saw, or "" when the answer was not the echo. */
static void expect_backend(const char *method, const char *path, const char *key,
                           const char *backend_path)
{
    struct h_resp r;
    CU_ASSERT_EQUAL(call(method, path, key, &r), 200);
    json_t *e = json_loads(r.body.data ? r.body.data : "", 0, NULL);
    const char *seen = json_string_value(json_object_get(e, "path"));
    if (seen == NULL || strcmp(seen, backend_path) != 0)
        fprintf(stderr, "%s %s: backend saw '%s'\n", method, path, seen ? seen : "(nothing)");
    CU_ASSERT_STRING_EQUAL(seen ? seen : "", backend_path);
    json_decref(e);
    h_resp_release(&r);
}

static void expect_404(const char *method, const char *path, const char *key)
{
    struct h_resp r;
    CU_ASSERT_EQUAL(call(method, path, key, &r), 404);
    CU_ASSERT_STRING_EQUAL(r.body.data ? r.body.data : "", body_404);
    h_resp_release(&r);
}

/* ---- a template with the spec inline ---- */

static int template_init(void)
{
    if (h_backend_start(&backend) != 0)
        return 1;
    char *spec = spec_text();
    json_t *tpl = json_pack(
        "{s:s, s:s, s:[{s:s, s:s, s:s, s:{s:s, s:b, s:s, s:s}}]}", "$schema",
        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion", "1.0.0.0", "resources", "type", "Microsoft.ApiManagement/service/apis",
        "apiVersion", "2024-05-01", "name", "contoso/petstore", "properties", "path", "store",
        "subscriptionRequired", 0, "format", "openapi", "value", spec);
    char *text = json_dumps(tpl, JSON_INDENT(2));
    char path[512];
    int rc = h_write_file("inline.json", text, path, sizeof(path));
    free(text);
    free(spec);
    json_decref(tpl);
    if (rc != 0)
        return 1;
    return h_gateway_start(&gw, "e2e-openapi-inline", path, NULL) == 0 ? 0 : 1;
}

static int template_cleanup(void)
{
    int rc = h_gateway_stop(&gw);
    h_backend_stop(&backend);
    return rc == 0 ? 0 : 1;
}

static void test_imported_operations_served(void)
{
    expect_backend("GET", "/store/pets/42?verbose=true", NULL, "/v1/pets/42");
    expect_backend("POST", "/store/pets", NULL, "/v1/pets");
}

static void test_undefined_paths_404(void)
{
    expect_404("GET", "/store/owners", NULL);
    expect_404("DELETE", "/store/pets/42?verbose=true", NULL); /* no such method */
    /* The required query parameter is part of the URL template. */
    expect_404("GET", "/store/pets/42", NULL);
}

/* ---- a bare spec ---- */

static char master_key[64];

static int bare_init(void)
{
    if (h_backend_start(&backend) != 0)
        return 1;
    char *spec = spec_text();
    int rc = h_write_file("petstore.yaml", spec, spec_path, sizeof(spec_path));
    free(spec);
    const char *extra[] = { "--path", "petz", NULL };
    if (rc != 0 || h_gateway_start(&gw, "e2e-openapi-bare", spec_path, extra) != 0)
        return 1;
    /* A bare spec's API needs a key (API Management's default): the
     * service's built-in all-access subscription has one. */
    const char *args[] = { "subscription", "list", "--gateway-name", gw.name,
                           "--show-keys",  "-o",   "json",           NULL };
    struct buf out, err;
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    rc = h_apim(&out, &err, args);
    json_t *subs = json_loads(out.data ? out.data : "", 0, NULL);
    const char *key = json_string_value(json_object_get(json_array_get(subs, 0), "primaryKey"));
    snprintf(master_key, sizeof(master_key), "%s", key ? key : "");
    json_decref(subs);
    buf_release(&out);
    buf_release(&err);
    return rc == 0 && master_key[0] ? 0 : 1;
}

static void test_bare_spec_served(void)
{
    expect_backend("GET", "/petz/pets/7?verbose=false", master_key, "/v1/pets/7");
    expect_404("GET", "/petz/cats", master_key);
    struct h_resp r;
    CU_ASSERT_EQUAL(call("GET", "/petz/pets/7?verbose=false", NULL, &r), 401);
    h_resp_release(&r);
}

static void test_bare_spec_listed(void)
{
    const char *args[] = { "api",    "operation", "list", "--config", spec_path,
                           "--path", "petz",      "-o",   "json",     NULL };
    struct buf out, err;
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    CU_ASSERT_EQUAL(h_apim(&out, &err, args), 0);
    json_t *ops = json_loads(out.data ? out.data : "", 0, NULL);
    CU_ASSERT_EQUAL(json_array_size(ops), 2);
    json_t *get = json_array_get(ops, 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(get, "name")), "getpet");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(get, "urlTemplate")),
                           "/pets/{petId}?verbose={verbose}");
    json_t *example = json_object_get(
        json_object_get(
            json_object_get(
                json_array_get(json_object_get(json_array_get(json_object_get(get, "responses"), 0),
                                               "representations"),
                               0),
                "examples"),
            "default"),
        "value");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(example, "id")), 1);
    json_decref(ops);
    buf_release(&out);
    buf_release(&err);
}

/* ---- apim api import ---- */

static void test_api_import_round_trip(void)
{
    char tpl[600];
    snprintf(tpl, sizeof(tpl), "%s/imported.json", h_scratch());
    const char *import[] = { "api",
                             "import",
                             "--path",
                             "imported",
                             "--specification-format",
                             "OpenApi",
                             "--specification-path",
                             spec_path,
                             "--subscription-required",
                             "false",
                             "--file-path",
                             tpl,
                             NULL };
    struct buf out, err;
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    CU_ASSERT_EQUAL_FATAL(h_apim(&out, &err, import), 0);
    const char *validate[] = { "validate", "--strict", tpl, NULL };
    CU_ASSERT_EQUAL(h_apim(&out, &err, validate), 0);
    buf_release(&out);
    buf_release(&err);
    struct h_gateway saved = gw;
    CU_ASSERT_EQUAL_FATAL(h_gateway_start(&gw, "e2e-openapi-imported", tpl, NULL), 0);
    expect_backend("GET", "/imported/pets/1?verbose=true", NULL, "/v1/pets/1");
    CU_ASSERT_EQUAL(h_gateway_stop(&gw), 0);
    gw = saved;
}

static int bare_cleanup(void)
{
    int rc = h_gateway_stop(&gw);
    h_backend_stop(&backend);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: e2e_openapi APIM ECHO_BACKEND SOURCE_ROOT\n");
        return 2;
    }
    h_init(argv[1], argv[2], argv[3]);
    static CU_TestInfo inline_tests[] = {
        { "imported operations reach the backend", test_imported_operations_served },
        { "other paths and methods get 404", test_undefined_paths_404 },
        CU_TEST_INFO_NULL,
    };
    static CU_TestInfo bare_tests[] = {
        { "a bare spec serves with --path", test_bare_spec_served },
        { "its operations are listed with examples", test_bare_spec_listed },
        { "apim api import validates --strict and serves", test_api_import_round_trip },
        CU_TEST_INFO_NULL,
    };
    static CU_SuiteInfo suites[] = {
        { "template with an inline spec", template_init, template_cleanup, NULL, NULL,
          inline_tests },
        { "bare spec", bare_init, bare_cleanup, NULL, NULL, bare_tests },
        CU_SUITE_INFO_NULL,
    };
    return cunit_run(suites);
}
