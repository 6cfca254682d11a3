/* Unit tests for the OpenAPI importer (openapi*.c, model_import.c): name
 * normalisation and de-duplication, URL templates, $ref resolution (JSON
 * Pointer escapes, chains, cycles, external and broken references), the
 * service URL, examples kept as the document's values, merging with
 * operations resources, and the bounds that keep hostile documents cheap. */
#include <string.h>

#include "cunit_run.h"
#include "openapi.h"
#include "testutil.h"
#include "yaml.h"

/* Imports text (YAML) into a fresh API "a" of t's model. */
static struct model_api *import_opts(struct tu *t, const char *text, const char *base_url)
{
    model_init(&t->model, &t->arena, &t->diag);
    struct model_service *s = ARENA_NEW(&t->arena, struct model_service);
    s->name = "svc";
    t->model.services = t->model.services_last = s;
    struct model_api *a = ARENA_NEW(&t->arena, struct model_api);
    a->id = "a";
    a->path = "a";
    s->apis = s->apis_last = a;
    char *copy = arena_strdup(&t->arena, text);
    struct source *src = source_new(&t->diag, "spec.yaml", copy, (uint32_t)strlen(copy));
    struct jval *doc = yaml_parse(&t->arena, &t->diag, src);
    CU_ASSERT_PTR_NOT_NULL(doc);
    if (doc) {
        struct openapi_options o = { OPENAPI_ANY, doc->loc, base_url, false };
        (void)openapi_import(&t->model, a, doc, &o);
    }
    return a;
}

static struct model_api *import(struct tu *t, const char *text)
{
    return import_opts(t, text, NULL);
}

static const struct model_operation *op_at(const struct model_api *a, size_t i)
{
    const struct model_operation *op = a->ops;
    while (op && i--)
        op = op->next;
    return op;
}

#define HEAD \
    "openapi: 3.0.1\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://b.example'}]\n"

/* ---- names ---- */

static void test_normalize(void)
{
    struct tu t;
    tu_init(&t);
    /* The example of api-management-api-import-restrictions. */
    CU_ASSERT_STRING_EQUAL(openapi_normalize_name(&t.arena, "GET-/foo/{bar}?buzz={quix}"),
                           "get-foo-bar-buzz-quix");
    CU_ASSERT_STRING_EQUAL(openapi_normalize_name(&t.arena, "getPetById"), "getpetbyid");
    CU_ASSERT_STRING_EQUAL(openapi_normalize_name(&t.arena, "__Users_List__"), "users-list");
    CU_ASSERT_STRING_EQUAL(openapi_normalize_name(&t.arena, "a  ..  b"), "a-b");
    CU_ASSERT_STRING_EQUAL(openapi_normalize_name(&t.arena, "!!!"), "");
    CU_ASSERT_STRING_EQUAL(openapi_normalize_name(&t.arena, ""), "");
    char longer[200];
    memset(longer, 'x', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    CU_ASSERT_EQUAL(strlen(openapi_normalize_name(&t.arena, longer)), OPENAPI_NAME_MAX);
    /* A dash that would be the 77th character is not kept either. */
    memset(longer, 'y', OPENAPI_NAME_MAX);
    memcpy(longer + OPENAPI_NAME_MAX, "-tail", 6);
    CU_ASSERT_EQUAL(strlen(openapi_normalize_name(&t.arena, longer)), OPENAPI_NAME_MAX);
    tu_release(&t);
}

static void test_dedup(void)
{
    struct tu t;
    tu_init(&t);
    struct model_api *a = import(&t, HEAD "paths:\n"
                                          "  /a: {get: {operationId: 'Get Item', responses: {}}}\n"
                                          "  /b: {get: {operationId: get_item, responses: {}}}\n"
                                          "  /c: {get: {operationId: GET-ITEM, responses: {}}}\n"
                                          "  /d: {get: {responses: {}}, post: {responses: {}}}\n");
    CU_ASSERT_EQUAL_FATAL(a->nops, 5);
    CU_ASSERT_STRING_EQUAL(op_at(a, 0)->id, "get-item");
    CU_ASSERT_STRING_EQUAL(op_at(a, 1)->id, "get-item-1");
    CU_ASSERT_STRING_EQUAL(op_at(a, 2)->id, "get-item-2");
    /* Without an operationId: method and URL template. */
    CU_ASSERT_STRING_EQUAL(op_at(a, 3)->id, "get-d");
    CU_ASSERT_STRING_EQUAL(op_at(a, 4)->id, "post-d");
    /* Display names: summary, else operationId as written, else the name. */
    CU_ASSERT_STRING_EQUAL(op_at(a, 0)->display_name, "Get Item");
    CU_ASSERT_STRING_EQUAL(op_at(a, 3)->display_name, "get-d");
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

/* ---- URL templates ---- */

static void test_url_template(void)
{
    struct tu t;
    tu_init(&t);
    const char *const two[] = { "a", "b" };
    CU_ASSERT_STRING_EQUAL(openapi_url_template(&t.arena, "/x/{id}", two, 2),
                           "/x/{id}?a={a}&b={b}");
    CU_ASSERT_STRING_EQUAL(openapi_url_template(&t.arena, "/x?v=1", two, 1), "/x?v=1&a={a}");
    CU_ASSERT_STRING_EQUAL(openapi_url_template(&t.arena, "/x", two, 0), "/x");
    /* Path-level parameters merge with the operation's; required query
     * parameters join the template, optional ones stay query parameters. */
    struct model_api *a = import(&t, HEAD "paths:\n"
                                          "  /u/{id}:\n"
                                          "    parameters:\n"
                                          "      - {name: id, in: path, required: true}\n"
                                          "      - {name: q, in: query, required: true}\n"
                                          "    get:\n"
                                          "      parameters:\n"
                                          "        - {name: q, in: query, required: false}\n"
                                          "        - {name: r, in: query, required: true}\n"
                                          "      responses: {}\n");
    CU_ASSERT_EQUAL_FATAL(a->nops, 1);
    CU_ASSERT_STRING_EQUAL(a->ops->url_template, "/u/{id}?r={r}");
    CU_ASSERT_EQUAL(a->ops->nparams, 2);
    CU_ASSERT_STRING_EQUAL(
        tu_json(&t, jval_get(a->ops->request, "queryParameters")),
        "[{\"name\":\"q\",\"type\":\"string\",\"required\":false,\"values\":[]}]");
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

/* ---- references ---- */

static void test_refs(void)
{
    struct tu t;
    tu_init(&t);
    struct model_api *a =
        import(&t, HEAD "paths:\n"
                        "  /a/{x}:\n"
                        "    get:\n"
                        "      parameters: [{$ref: '#/components/parameters/P'}]\n"
                        "      responses:\n"
                        "        '200': {$ref: '#/components/responses/R~1S'}\n"
                        "        '201': {$ref: '#/components/responses/T%7E0U'}\n"
                        "components:\n"
                        "  parameters:\n"
                        "    P: {$ref: '#/components/parameters/Q'}\n"
                        "    Q: {name: x, in: path, required: true}\n"
                        "  responses:\n"
                        "    R/S: {description: slash}\n"
                        "    T~U: {description: tilde}\n"
                        "  schemas:\n"
                        "    Tree: {properties: {kids: {items: {$ref: "
                        "'#/components/schemas/Tree'}}}}\n");
    CU_ASSERT_EQUAL(t.diag.n, 0);
    CU_ASSERT_EQUAL_FATAL(a->nops, 1);
    CU_ASSERT_STRING_EQUAL(a->ops->params[0].name, "x");
    CU_ASSERT_STRING_EQUAL(tu_json(&t, jval_get(a->ops->responses->u.a.v[0], "description")),
                           "\"slash\"");
    CU_ASSERT_STRING_EQUAL(tu_json(&t, jval_get(a->ops->responses->u.a.v[1], "description")),
                           "\"tilde\"");
    tu_release(&t);
}

static void test_bad_refs(void)
{
    struct tu t;
    tu_init(&t);
    (void)import(&t, HEAD "paths:\n"
                          "  /a:\n"
                          "    get:\n"
                          "      parameters: [{$ref: 'other.yaml#/P'}]\n"
                          "      responses:\n"
                          "        '200': {$ref: '#/components/responses/Nope'}\n"
                          "        '201': {$ref: '#/components/responses/A'}\n"
                          "        '202': {$ref: '#/components/responses/A'}\n"
                          "        '203': {$ref: 'no-hash'}\n"
                          "components:\n"
                          "  responses:\n"
                          "    A: {$ref: '#/components/responses/B'}\n"
                          "    B: {$ref: '#/components/responses/A'}\n");
    CU_ASSERT_EQUAL(tu_count(&t, DC_OPENAPI_EXTERNAL_REF), 2);
    CU_ASSERT_EQUAL(tu_count(&t, DC_OPENAPI_REF_NOT_FOUND), 1);
    /* Reported once per reference text, however often it is used. */
    CU_ASSERT_EQUAL(tu_count(&t, DC_OPENAPI_REF_CYCLE), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_OPENAPI_REF_NOT_FOUND, "there is no 'Nope'"));
    tu_release(&t);
}

/* A chain of references longer than OA_MAX_REF_CHAIN stops there. */
static void test_ref_chain_cap(void)
{
    struct tu t;
    tu_init(&t);
    struct buf b;
    buf_init(&b, 1 << 20);
    int rc = buf_puts(&b, HEAD "paths:\n  /a: {get: {responses: {'200': {$ref: "
                               "'#/components/responses/r0'}}}}\ncomponents:\n  responses:\n");
    for (int i = 0; i < 100; i++)
        rc |= buf_printf(&b, "    r%d: {$ref: '#/components/responses/r%d'}\n", i, i + 1);
    rc |= buf_puts(&b, "    r100: {description: end}\n");
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    (void)import(&t, b.data);
    CU_ASSERT_EQUAL(tu_count(&t, DC_OPENAPI_REF_CYCLE), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_OPENAPI_REF_CYCLE, "a chain of more than"));
    buf_release(&b);
    tu_release(&t);
}

/* ---- servers ---- */

static const char *service_url(const char *servers, const char *base)
{
    static char out[256];
    struct tu t;
    tu_init(&t);
    char text[1024];
    snprintf(text, sizeof(text), "openapi: 3.0.1\ninfo: {title: T, version: '1'}\n%spaths: {}\n",
             servers);
    struct model_api *a = import_opts(&t, text, base);
    snprintf(out, sizeof(out), "%s", a->service_url ? a->service_url : "(none)");
    tu_release(&t);
    return out;
}

static void test_servers(void)
{
    CU_ASSERT_STRING_EQUAL(
        service_url("servers: [{url: 'http://a.example'}, {url: 'https://b.example/v1'}]\n", NULL),
        "https://b.example/v1");
    CU_ASSERT_STRING_EQUAL(service_url("servers: [{url: 'http://a.example'}]\n", NULL),
                           "http://a.example");
    CU_ASSERT_STRING_EQUAL(
        service_url("servers:\n  - url: 'https://{env}.example/{v}'\n    variables:\n"
                    "      env: {default: prod}\n      v: {default: v2, enum: [v1, v2]}\n",
                    NULL),
        "https://prod.example/v2");
    CU_ASSERT_STRING_EQUAL(service_url("servers: [{url: /v1}]\n", "https://h.example/specs/a.yaml"),
                           "https://h.example/v1");
    CU_ASSERT_STRING_EQUAL(service_url("servers: [{url: v1}]\n", "https://h.example/specs/a.yaml"),
                           "https://h.example/specs/v1");
    CU_ASSERT_STRING_EQUAL(service_url("", "https://h.example/specs/a.yaml"), "https://h.example/");
    CU_ASSERT_STRING_EQUAL(service_url("servers: [{url: /v1}]\n", NULL), "(none)");
    CU_ASSERT_STRING_EQUAL(service_url("servers: [{url: 'ftp://x'}]\n", NULL), "(none)");
}

static void test_swagger_host(void)
{
    struct tu t;
    tu_init(&t);
    const char *text = "{\"swagger\": \"2.0\", \"info\": {\"title\": \"T\", \"version\": \"1\"},"
                       " \"host\": \"h.example\", \"basePath\": \"/api\", \"schemes\": [\"http\"],"
                       " \"paths\": {}}";
    struct model_api *a = import(&t, text);
    CU_ASSERT_STRING_EQUAL(a->service_url, "http://h.example/api");
    CU_ASSERT_EQUAL(a->protocols, MODEL_PROTO_HTTP);
    CU_ASSERT_STRING_EQUAL(a->display_name, "T");
    tu_release(&t);
}

/* ---- contracts ---- */

static void test_examples_are_document_values(void)
{
    struct tu t;
    tu_init(&t);
    struct model_api *a = import(&t, HEAD "paths:\n"
                                          "  /a:\n"
                                          "    get:\n"
                                          "      responses:\n"
                                          "        '200':\n"
                                          "          description: ok\n"
                                          "          content:\n"
                                          "            application/json:\n"
                                          "              example: {n: 1, list: [true, null]}\n");
    CU_ASSERT_EQUAL_FATAL(a->nops, 1);
    const struct jval *rep = jval_get(a->ops->responses->u.a.v[0], "representations")->u.a.v[0];
    const struct jval *value = jval_get(jval_get(jval_get(rep, "examples"), "default"), "value");
    CU_ASSERT_PTR_NOT_NULL_FATAL(value);
    /* The document's own node, located in it. */
    CU_ASSERT_PTR_NOT_NULL_FATAL(value->loc.src);
    CU_ASSERT_STRING_EQUAL(value->loc.src->name, "spec.yaml");
    CU_ASSERT_STRING_EQUAL(tu_json(&t, value), "{\"n\":1,\"list\":[true,null]}");
    tu_release(&t);
}

/* Aliases that would expand to gigabytes cost nothing to read and are
 * refused, not written out, when they end up in a contract. */
static void test_alias_bomb(void)
{
    struct tu t;
    tu_init(&t);
    struct buf b;
    buf_init(&b, 1 << 20);
    int rc = buf_puts(&b, HEAD "x0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n");
    for (int i = 1; i < 12; i++)
        rc |= buf_printf(&b, "x%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i,
                         i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    rc |= buf_puts(&b, "paths:\n  /a: {get: {responses: {'200': {description: d, content: "
                       "{application/json: {example: *a11}}}}}}\n");
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    struct model_api *a = import(&t, b.data);
    CU_ASSERT_EQUAL(tu_count(&t, DC_OPERATION_CONTRACT), 1);
    CU_ASSERT_EQUAL_FATAL(a->nops, 1);
    CU_ASSERT_PTR_NULL(a->ops->responses);
    buf_release(&b);
    tu_release(&t);
}

/* An operations resource named like an imported operation replaces it. */
static void test_merge(void)
{
    struct tu t;
    tu_init(&t);
    unsigned errors = tu_template(
        &t,
        "{`$schema`: `https://schema.management.azure.com/schemas/2019-04-01/"
        "deploymentTemplate.json#`, `contentVersion`: `1.0.0.0`, `resources`: ["
        "{`type`: `Microsoft.ApiManagement/service/apis`, `apiVersion`: `2024-05-01`, `name`: "
        "`s/a`, `properties`: {`path`: `a`, `serviceUrl`: `https://b.example`, `format`: "
        "`openapi`, `value`: `openapi: 3.0.1\\ninfo: {title: T, version: '1'}\\npaths:\\n  /x: "
        "{get: {operationId: getX, responses: {}}, post: {operationId: postX, responses: "
        "{}}}\\n`}},"
        "{`type`: `Microsoft.ApiManagement/service/apis/operations`, `apiVersion`: "
        "`2024-05-01`, `name`: `s/a/GETX`, `properties`: {`displayName`: `Mine`, `method`: "
        "`GET`, `urlTemplate`: `/y`}}]}",
        NULL);
    CU_ASSERT_EQUAL(errors, 0);
    const struct model_api *a = t.model.services->apis;
    CU_ASSERT_EQUAL_FATAL(a->nops, 2);
    CU_ASSERT_STRING_EQUAL(a->ops->id, "GETX");
    CU_ASSERT_STRING_EQUAL(a->ops->display_name, "Mine");
    CU_ASSERT_STRING_EQUAL(a->ops->url_template, "/y");
    CU_ASSERT_FALSE(a->ops->imported);
    CU_ASSERT_STRING_EQUAL(a->ops->next->id, "postx");
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "operation names normalised", test_normalize },
    { "names de-duplicated, display names", test_dedup },
    { "URL templates and parameters", test_url_template },
    { "$ref: pointers, escapes, chains", test_refs },
    { "$ref: broken, external, circular", test_bad_refs },
    { "$ref: chain length capped", test_ref_chain_cap },
    { "servers: HTTPS first, variables, relative", test_servers },
    { "Swagger 2.0: host, basePath, schemes", test_swagger_host },
    { "examples are the document's values", test_examples_are_document_values },
    { "alias bombs are refused cheaply", test_alias_bomb },
    { "operations resources replace imported ones", test_merge },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "openapi", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
