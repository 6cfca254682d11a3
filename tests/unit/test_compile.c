/* Unit tests for the driver (compile.c, compile_link.c, model_merge.c):
 * the files of a run are one deployment. Templates are written to a fresh
 * folder under /tmp, compiled as the CLI does, and the merged model, the
 * per-file tallies and the diagnostics are checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "cunit_run.h"

#define SCHEMA                                                                \
    "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/" \
    "deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", "

#define SERVICE                                                                        \
    "{\"type\": \"Microsoft.ApiManagement/service\", \"apiVersion\": \"2024-05-01\", " \
    "\"name\": \"svc\", \"location\": \"eastus\", \"sku\": {\"name\": \"Developer\", " \
    "\"capacity\": 1}, \"properties\": {\"publisherEmail\": \"a@contoso.com\", "       \
    "\"publisherName\": \"Contoso\"}}"

#define API(path)                                                                           \
    "{\"type\": \"Microsoft.ApiManagement/service/apis\", \"apiVersion\": \"2024-05-01\", " \
    "\"name\": \"svc/orders\", \"properties\": {\"path\": \"" path "\"}}"

#define OP                                                                              \
    "{\"type\": \"Microsoft.ApiManagement/service/apis/operations\", \"apiVersion\": "  \
    "\"2024-05-01\", \"name\": \"svc/orders/list\", \"properties\": {\"displayName\": " \
    "\"List\", \"method\": \"GET\", \"urlTemplate\": \"/\"}}"

#define LINK(product, api)                                                           \
    "{\"type\": \"Microsoft.ApiManagement/service/products/apis\", \"apiVersion\": " \
    "\"2024-05-01\", \"name\": \"svc/" product "/" api "\"}"

#define PRODUCT                                                                                 \
    "{\"type\": \"Microsoft.ApiManagement/service/products\", \"apiVersion\": \"2024-05-01\", " \
    "\"name\": \"svc/starter\", \"properties\": {\"displayName\": \"Starter\"}}"

static char dir[64];

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    for (char *slash = path + strlen(dir) + 1; (slash = strchr(slash, '/')) != NULL; slash++) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    CU_ASSERT_EQUAL(fclose(f), 0);
}

static void fresh_dir(void)
{
    snprintf(dir, sizeof(dir), "/tmp/apim-compile-XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

/* Compiles the folder as `apim validate FOLDER` does. */
static void run(struct compiler *c)
{
    compiler_init(c);
    CU_ASSERT_EQUAL(compiler_add_input(c, dir), 0);
    compiler_finish(c);
    compiler_tally(c);
}

static unsigned count(const struct compiler *c, enum diag_code code)
{
    unsigned n = 0;
    for (size_t i = 0; i < c->diag.n; i++)
        n += c->diag.v[i]->code == code;
    return n;
}

static const struct compile_unit *unit(const struct compiler *c, const char *name)
{
    for (const struct compile_unit *u = c->units; u; u = u->next) {
        size_t n = strlen(u->path), k = strlen(name);
        if (n >= k && strcmp(u->path + n - k, name) == 0)
            return u;
    }
    return NULL;
}

static void test_split_files_are_one_deployment(void)
{
    fresh_dir();
    put("a-service.json",
        SCHEMA "\"resources\": [" SERVICE ", " PRODUCT ", " LINK("starter", "orders") "]}");
    put("b-orders.json", SCHEMA "\"resources\": [" API("orders") ", " OP ", " PRODUCT "]}");
    struct compiler c;
    run(&c);
    CU_ASSERT_EQUAL(c.diag.nerrors, 0);
    CU_ASSERT_EQUAL(c.model.nservices, 1);
    const struct model_service *s = c.model.services;
    CU_ASSERT_TRUE(s->declared);
    CU_ASSERT_PTR_NOT_NULL(s->links->api); /* the link found the API of the other file */
    CU_ASSERT_PTR_NULL(s->products->next); /* the identical product is one product */
    CU_ASSERT_EQUAL(unit(&c, "b-orders.json")->counts.apis, 1);
    CU_ASSERT_EQUAL(unit(&c, "a-service.json")->counts.apis, 0);
    CU_ASSERT_EQUAL(unit(&c, "a-service.json")->counts.products, 1);
    compiler_release(&c);
    remove_dir();
}

static void test_missing_everywhere_is_still_missing(void)
{
    fresh_dir();
    put("a.json", SCHEMA "\"resources\": [" SERVICE ", " PRODUCT "]}");
    put("b.json", SCHEMA "\"resources\": [" LINK("starter", "billing") "]}");
    struct compiler c;
    run(&c);
    CU_ASSERT_EQUAL(count(&c, DC_PRODUCT_LINK), 1);
    CU_ASSERT_EQUAL(c.diag.nerrors, 1); /* the service is declared: an error */
    CU_ASSERT_EQUAL(unit(&c, "b.json")->errors, 1);
    CU_ASSERT_EQUAL(unit(&c, "a.json")->errors, 0);
    compiler_release(&c);
    remove_dir();
}

static void test_conflicting_definition(void)
{
    fresh_dir();
    put("a.json", SCHEMA "\"resources\": [" SERVICE ", " API("orders") ", " OP "]}");
    put("b.json", SCHEMA "\"resources\": [" API("sales/orders") "]}");
    struct compiler c;
    run(&c);
    CU_ASSERT_EQUAL(count(&c, DC_RESOURCE_CONFLICT), 1);
    const struct diag_entry *e = c.diag.v[0];
    CU_ASSERT_PTR_NOT_NULL_FATAL(e->notes);
    CU_ASSERT_STRING_EQUAL(e->notes->msg, "previous definition here");
    CU_ASSERT_TRUE(strstr(e->loc.src->name, "b.json") != NULL);
    CU_ASSERT_TRUE(strstr(e->notes->loc.src->name, "a.json") != NULL);
    CU_ASSERT_STRING_EQUAL(c.model.services->apis->path, "orders"); /* the first stays */
    compiler_release(&c);
    remove_dir();
}

#define LINKER(link)                                                                            \
    SCHEMA "\"parameters\": {\"base\": {\"type\": \"string\", \"defaultValue\": "               \
           "\"https://example.com/repo\"}}, \"resources\": [" SERVICE ", "                      \
           "{\"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2022-09-01\", "   \
           "\"name\": \"apis\", \"properties\": {\"mode\": \"Incremental\", \"templateLink\": " \
           "{" link "}, \"parameters\": {\"path\": {\"value\": \"orders\"}}}}]}"

#define LINKED                                                                     \
    SCHEMA "\"parameters\": {\"path\": {\"type\": \"string\"}}, \"resources\": ["  \
           "{\"type\": \"Microsoft.ApiManagement/service/apis\", \"apiVersion\": " \
           "\"2024-05-01\", \"name\": \"svc/orders\", \"properties\": {\"path\": " \
           "\"[parameters('path')]\"}}, " OP "]}"

static void test_linked_by_relative_path(void)
{
    fresh_dir();
    put("main.json", LINKER("\"relativePath\": \"apis/orders.json\""));
    put("apis/orders.json", LINKED);
    struct compiler c;
    run(&c);
    CU_ASSERT_EQUAL(c.diag.nerrors, 0); /* orders.json is not checked without its path */
    CU_ASSERT_EQUAL(count(&c, DC_LINKED_TEMPLATE), 0);
    const struct compile_unit *u = unit(&c, "apis/orders.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(u);
    CU_ASSERT_EQUAL(u->kind, COMPILE_LINKED);
    CU_ASSERT_FALSE(u->evaluated);
    CU_ASSERT_TRUE(strstr(u->linked_from, "main.json") != NULL);
    CU_ASSERT_STRING_EQUAL(c.model.services->apis->path, "orders");
    CU_ASSERT_EQUAL(c.nunits, 2);
    compiler_release(&c);
    remove_dir();
}

static void test_linked_by_uri_tail(void)
{
    fresh_dir();
    put("main.json", LINKER("\"uri\": \"[concat(parameters('base'), '/apis/orders.json?sv=1')]\""));
    put("apis/orders.json", LINKED);
    struct compiler c;
    run(&c);
    CU_ASSERT_EQUAL(c.diag.nerrors, 0);
    CU_ASSERT_EQUAL(unit(&c, "apis/orders.json")->kind, COMPILE_LINKED);
    CU_ASSERT_EQUAL(c.model.services->apis->nops, 1);
    compiler_release(&c);
    remove_dir();
    /* Only the main file given: the linked file is read beside it, and shown. */
    fresh_dir();
    put("main.json", LINKER("\"uri\": \"https://example.com/x/missing.json\""));
    struct compiler d;
    compiler_init(&d);
    char path[128];
    snprintf(path, sizeof(path), "%s/main.json", dir);
    CU_ASSERT_EQUAL(compiler_add_input(&d, path), 0);
    compiler_finish(&d);
    CU_ASSERT_EQUAL(count(&d, DC_LINKED_TEMPLATE), 1);
    CU_ASSERT_TRUE(strstr(d.diag.v[0]->msg, "no file 'missing.json'") != NULL);
    compiler_release(&d);
    remove_dir();
}

/* One linked file deployed twice with different parameters: the second
 * deployment of the same API says something else, which is not silent. */
static void test_linked_twice(void)
{
    fresh_dir();
#define DEPLOYMENT(name, path)                                                               \
    "{\"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2022-09-01\", "       \
    "\"name\": \"" name "\", \"properties\": {\"mode\": \"Incremental\", \"templateLink\": " \
    "{\"relativePath\": \"orders.json\"}, \"parameters\": {\"path\": {\"value\": \"" path "\"}}}}"
    char text[2048];
    snprintf(text, sizeof(text), "%s",
             SCHEMA "\"resources\": [" SERVICE
                    ", " DEPLOYMENT("first", "orders") ", " DEPLOYMENT("second", "sales") "]}");
#undef DEPLOYMENT
    put("main.json", text);
    put("orders.json", LINKED);
    struct compiler c;
    run(&c);
    CU_ASSERT_EQUAL(count(&c, DC_RESOURCE_CONFLICT), 1);
    CU_ASSERT_STRING_EQUAL(c.model.services->apis->path, "orders");
    compiler_release(&c);
    remove_dir();
}

/* parametersLink: the parameters of a linked template from a file too. */
static void test_parameters_link(void)
{
    fresh_dir();
    put("main.json",
        SCHEMA "\"resources\": [" SERVICE ", {\"type\": \"Microsoft.Resources/deployments\", "
               "\"apiVersion\": \"2022-09-01\", \"name\": \"apis\", \"properties\": "
               "{\"mode\": \"Incremental\", \"templateLink\": {\"relativePath\": "
               "\"apis/orders.json\"}, \"parametersLink\": {\"uri\": "
               "\"https://example.com/repo/apis/orders.parameters.json\"}}}]}");
    put("apis/orders.json", LINKED);
    put("apis/orders.parameters.json",
        "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/"
        "deploymentParameters.json#\", \"contentVersion\": \"1.0.0.0\", \"parameters\": "
        "{\"path\": {\"value\": \"sales/orders\"}}}");
    struct compiler c;
    run(&c);
    CU_ASSERT_EQUAL(c.diag.nerrors, 0);
    CU_ASSERT_EQUAL(count(&c, DC_LINKED_TEMPLATE), 0);
    CU_ASSERT_STRING_EQUAL(c.model.services->apis->path, "sales/orders");
    compiler_release(&c);
    remove_dir();
}

static void test_nothing_found(void)
{
    fresh_dir();
    put("main.bicep", "param x string\n");
    put("package.json", "{\"name\": \"x\"}");
    struct compiler c;
    run(&c);
    CU_ASSERT_EQUAL(count(&c, DC_NOTHING_FOUND), 1);
    CU_ASSERT_EQUAL(c.nunits, 0);
    CU_ASSERT_EQUAL(c.skipped, 1);
    CU_ASSERT_EQUAL(c.bicep, 1);
    const struct diag_entry *e = c.diag.v[0];
    CU_ASSERT_PTR_NOT_NULL_FATAL(e->notes);
    CU_ASSERT_TRUE(strstr(e->notes->msg, "az bicep build") != NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e->notes->next);
    CU_ASSERT_TRUE(strstr(e->notes->next->msg, "1 JSON file was skipped") != NULL);
    compiler_release(&c);
    remove_dir();
}

/* A file or folder named twice (or named, and in a folder named too) is
 * one input: read once, one summary line, not an API declared twice. */
static void test_given_twice(void)
{
    fresh_dir();
    put("a.json", SCHEMA "\"resources\": [" SERVICE ", " API("orders") ", " OP "]}");
    put("spec.json", "{\"openapi\": \"3.0.1\", \"info\": {\"title\": \"Echo\", \"version\": "
                     "\"1\"}, \"paths\": {\"/e\": {\"get\": {\"operationId\": \"e\", "
                     "\"responses\": {\"200\": {\"description\": \"ok\"}}}}}}");
    put("shop/apis/echo/apiInformation.json", "{\"properties\": {\"path\": \"echo\"}}");
    put("shop/apis/echo/specification.json", "{\"openapi\": \"3.0.1\", \"info\": {\"title\": "
                                             "\"Echo\", \"version\": \"1\"}, \"paths\": "
                                             "{\"/e\": {\"get\": {\"operationId\": \"e\", "
                                             "\"responses\": {\"200\": {\"description\": "
                                             "\"ok\"}}}}}}");
    char a[128], spec[128], shop[128], shop_slash[128];
    snprintf(a, sizeof(a), "%s/a.json", dir);
    snprintf(spec, sizeof(spec), "%s/spec.json", dir);
    snprintf(shop, sizeof(shop), "%s/shop", dir);
    snprintf(shop_slash, sizeof(shop_slash), "%s/./shop/", dir);
    struct compiler c;
    compiler_init(&c);
    const char *inputs[] = { spec, dir, a, shop, shop_slash, spec, a };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
        CU_ASSERT_EQUAL(compiler_add_input(&c, inputs[i]), 0);
    compiler_finish(&c);
    compiler_tally(&c);
    CU_ASSERT_EQUAL(c.diag.nerrors, 0);
    CU_ASSERT_EQUAL(count(&c, DC_REVISION), 0);
    CU_ASSERT_EQUAL(c.nunits, 3); /* spec.json, a.json, shop */
    CU_ASSERT_EQUAL(unit(&c, "a.json")->counts.apis, 1);
    CU_ASSERT_EQUAL(unit(&c, "spec.json")->counts.apis, 1);
    CU_ASSERT_EQUAL(unit(&c, "shop")->counts.apis, 1);
    compiler_release(&c);
    remove_dir();
}

static CU_TestInfo tests[] = {
    { "split files are one deployment", test_split_files_are_one_deployment },
    { "missing in every file is still missing", test_missing_everywhere_is_still_missing },
    { "a conflicting definition", test_conflicting_definition },
    { "linked by relativePath", test_linked_by_relative_path },
    { "linked by the tail of a uri", test_linked_by_uri_tail },
    { "one linked file deployed twice", test_linked_twice },
    { "parametersLink", test_parameters_link },
    { "nothing found", test_nothing_found },
    { "a file or folder given twice", test_given_twice },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "compile", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
