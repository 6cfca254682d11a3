/* Unit tests for APIOps artifact folders (apiops*.c): the layout table,
 * folder detection, the walk (names, configuration paths, policies,
 * specifications), the publisher's merge and its configuration rules, and
 * whole folders read into the model with overrides applied. Folders are
 * written into a fresh temporary directory per test. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apiops_int.h"
#include "cunit_run.h"
#include "testutil.h"
#include "yaml.h"

/* ---- files ---- */

static char root[256];

static void make_root(void)
{
    snprintf(root, sizeof(root), "%s/apiops-unit-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(root));
}

static void remove_root(void)
{
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

/* Writes root/rel (creating its folders) with text; backquotes become
 * double quotes, as in testutil's inline JSON. */
static void put(const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        CU_ASSERT_FATAL(mkdir(path, 0700) == 0 || errno == EEXIST);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    for (const char *p = text; *p; p++)
        fputc(*p == '`' ? '"' : *p, f);
    fclose(f);
}

static struct source *read_file(void *ctx, const char *path)
{
    struct tu *t = ctx;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        diag_emit(&t->diag, DC_IO, LOC_NONE, "cannot read '%s'", path);
        return NULL;
    }
    char *text = arena_alloc(&t->arena, 65536);
    size_t n = fread(text, 1, 65535, f);
    fclose(f);
    text[n] = '\0';
    return source_new(&t->diag, path, text, (uint32_t)n);
}

static struct apiops_config *config(struct tu *t, const char *text)
{
    char *s = arena_strdup(&t->arena, text);
    for (char *p = s; *p; p++)
        if (*p == '`')
            *p = '"';
    struct source *src = source_new(&t->diag, "configuration.test.yaml", s, (uint32_t)strlen(s));
    return apiops_config_read(&t->arena, &t->diag, src);
}

static int read_folder(struct tu *t, struct apiops_config *cfg, const char *service)
{
    struct apiops_options o = { service, cfg, read_file, t };
    int rc = apiops_read(&t->model, root, &o);
    model_check(&t->model); /* the compiler checks the whole deployment after its inputs */
    return rc;
}

static void walk(struct tu *t, struct apiops_folder *f)
{
    memset(f, 0, sizeof(*f));
    f->arena = &t->arena;
    f->diag = &t->diag;
    f->root = root;
    f->read_file = read_file;
    f->ctx = t;
    apiops_walk(f);
}

static const char api_info[] =
    "{ `properties`: { `displayName`: `Orders`, `path`: `orders`, `serviceUrl`: "
    "`https://orders.example.com` } }";

/* ---- the layout ---- */

static void test_layout_table(void)
{
    CU_ASSERT_EQUAL(apiops_layout_folder(AK_ROOT, "named values")->kind, AK_NAMED_VALUE);
    CU_ASSERT_EQUAL(apiops_layout_folder(AK_ROOT, "policy fragments")->kind, AK_FRAGMENT);
    CU_ASSERT_EQUAL(apiops_layout_folder(AK_ROOT, "version sets")->kind, AK_VERSION_SET);
    /* Folder names compare exactly, as the publisher compares them. */
    CU_ASSERT_PTR_NULL(apiops_layout_folder(AK_ROOT, "Named Values"));
    CU_ASSERT_PTR_NULL(apiops_layout_folder(AK_ROOT, "namedValues"));
    /* "apis" means a different thing under each parent. */
    CU_ASSERT_EQUAL(apiops_layout_folder(AK_ROOT, "apis")->kind, AK_API);
    CU_ASSERT_EQUAL(apiops_layout_folder(AK_PRODUCT, "apis")->kind, AK_PRODUCT_API);
    CU_ASSERT_EQUAL(apiops_layout_folder(AK_TAG, "apis")->kind, AK_TAG_API);
    CU_ASSERT_EQUAL(apiops_layout_folder(AK_GATEWAY, "apis")->kind, AK_GATEWAY_API);
    CU_ASSERT_PTR_NULL(apiops_layout_folder(AK_API, "apis"));
    CU_ASSERT_EQUAL(apiops_layout_folder(AK_API, "operations")->kind, AK_API_OPERATION);
    /* Configuration sections compare without case; policies live under
     * the service, APIs, operations and products only. */
    CU_ASSERT_EQUAL(apiops_layout_section(AK_ROOT, STR_LIT("NamedValues"))->kind, AK_NAMED_VALUE);
    CU_ASSERT_EQUAL(apiops_layout_section(AK_ROOT, STR_LIT("policies"))->kind, AK_POLICY);
    CU_ASSERT_EQUAL(apiops_layout_section(AK_API_OPERATION, STR_LIT("policies"))->kind, AK_POLICY);
    CU_ASSERT_PTR_NULL(apiops_layout_section(AK_BACKEND, STR_LIT("policies")));
    CU_ASSERT_PTR_NULL(apiops_layout_section(AK_ROOT, STR_LIT("named values")));
    CU_ASSERT_STRING_EQUAL(apiops_layout(AK_VERSION_SET)->type, "service/apiVersionSets");
    CU_ASSERT_STRING_EQUAL(apiops_layout(AK_NAMED_VALUE)->info, "namedValueInformation.json");
}

static void test_detection(void)
{
    make_root();
    /* Templates, even in a folder called apis: not an artifact folder. */
    put("apis/orders/azuredeploy.json", "{}");
    put("policy.xml", "<policies />");
    CU_ASSERT_FALSE(apiops_is_folder(root));
    put("apis/orders/apiInformation.json", api_info);
    CU_ASSERT_TRUE(apiops_is_folder(root));
    remove_root();

    make_root();
    put("policy fragments/cors/policy.xml", "<fragment />");
    CU_ASSERT_TRUE(apiops_is_folder(root));
    remove_root();

    make_root();
    put("artifacts/backends/b/backendInformation.json", "{}");
    CU_ASSERT_FALSE(apiops_is_folder(root)); /* the APIOps folder is below it */
    char below[300];
    snprintf(below, sizeof(below), "%s/artifacts", root);
    CU_ASSERT_TRUE(apiops_is_folder(below));
    remove_root();
}

static struct apiops_artifact *by_key(struct apiops_folder *f, const char *key)
{
    for (struct apiops_artifact *a = f->first; a; a = a->next)
        if (strcmp(a->key, key) == 0)
            return a;
    return NULL;
}

static void test_walk(void)
{
    struct tu t;
    tu_init(&t);
    make_root();
    put("policy.xml", "<policies />");
    put("apis/orders/apiInformation.json", api_info);
    put("apis/orders/policy.xml", "<policies />");
    put("apis/orders/operations/get-order/policy.xml", "<policies />");
    put("apis/orders;rev=2/apiInformation.json", "{ `properties`: { `apiRevision`: `2` } }");
    put("products/starter/productInformation.json", "{ `properties`: {} }");
    put("products/starter/apis/orders/productApiInformation.json", "{}");
    put("products/starter/groups/partners/productGroupInformation.json",
        "{ `name`: `starter-partners`, `properties`: { `groupId`: `/groups/partners` } }");
    put("tags/finance/tagInformation.json", "{ `properties`: {} }");
    put("tags/finance/apis/orders/tagApiInformation.json", "{}");
    put("named values/env/namedValueInformation.json", "{ `properties`: {} }");
    struct apiops_folder f;
    walk(&t, &f);
    CU_ASSERT_EQUAL(t.diag.n, 0);
    CU_ASSERT_PTR_NOT_NULL(by_key(&f, "policies/policy"));
    CU_ASSERT_PTR_NOT_NULL(by_key(&f, "apis/orders/policies/policy"));
    CU_ASSERT_PTR_NOT_NULL(by_key(&f, "apis/orders/operations/get-order/policies/policy"));
    CU_ASSERT_PTR_NOT_NULL(by_key(&f, "apis/orders;rev=2"));
    CU_ASSERT_PTR_NOT_NULL(by_key(&f, "products/starter/apis/orders"));
    /* A link is named in its file, not by its folder. */
    CU_ASSERT_PTR_NOT_NULL(by_key(&f, "products/starter/groups/starter-partners"));
    CU_ASSERT_PTR_NOT_NULL(by_key(&f, "namedvalues/env"));
    /* Names compare without case, as API Management compares them. */
    CU_ASSERT_PTR_NOT_NULL(apiops_find(&f, AK_API, "ORDERS"));
    CU_ASSERT_PTR_NULL(apiops_find(&f, AK_PRODUCT, "orders"));
    /* A policy's text is the file, located byte for byte. */
    const struct apiops_artifact *p = by_key(&f, "apis/orders/policies/policy");
    CU_ASSERT_STRING_EQUAL(p->text->u.s.ptr, "<policies />");
    CU_ASSERT_TRUE(p->text->flags & JV_F_VERBATIM);
    CU_ASSERT_EQUAL(p->text->loc.end, 12);
    remove_root();
    tu_release(&t);
}

static void test_specification_order(void)
{
    struct tu t;
    tu_init(&t);
    make_root();
    put("apis/orders/apiInformation.json", api_info);
    put("apis/orders/specification.yaml", "openapi: 3.0.1\n");
    put("apis/orders/specification.json", "{ `openapi`: `3.0.1` }");
    put("apis/orders/specification.yml", "openapi: 3.0.1\n");
    struct apiops_folder f;
    walk(&t, &f);
    /* The publisher looks for .json before .yaml and never for .yml. */
    const struct apiops_artifact *api = by_key(&f, "apis/orders");
    CU_ASSERT_STRING_EQUAL(api->spec_ext, "json");
    CU_ASSERT_EQUAL(tu_count(&t, DC_APIOPS_SPEC_UNUSED), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_APIOPS_SPEC_UNUSED, "'specification.yaml' is not used"));
    CU_ASSERT_TRUE(tu_has(&t, DC_APIOPS_UNKNOWN, "not '.yml'"));
    remove_root();
    tu_release(&t);
}

static void test_layout_problems(void)
{
    struct tu t;
    tu_init(&t);
    make_root();
    put("apis/orders/apiInformation.json", api_info);
    put("apis/orders/notes.txt", "x");
    put("apis/readme.md", "x");
    put("products/gold/policy.xml", "<policies />");
    put("products/gold/apis/orders/productApiInformation.json", "{}");
    put("Backends/b/backendInformation.json", "{}");
    put("apis/ORDERS/apiInformation.json", api_info);
    struct apiops_folder f;
    walk(&t, &f);
    /* One resource for API Management: the second is reported, not added. */
    CU_ASSERT_EQUAL(tu_count(&t, DC_DUPLICATE_RESOURCE), 1);
    CU_ASSERT_TRUE(
        tu_has(&t, DC_DUPLICATE_RESOURCE, "API 'orders' is also in the folder as 'ORDERS'"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_APIOPS_UNKNOWN), 3);
    CU_ASSERT_TRUE(tu_has(&t, DC_APIOPS_UNKNOWN, "'apis' holds one folder per API"));
    CU_ASSERT_TRUE(tu_has(&t, DC_APIOPS_UNKNOWN, "folder 'Backends'"));
    /* A product without its information file is one error: what it holds
     * is not added (and not reported again). */
    CU_ASSERT_EQUAL(tu_count(&t, DC_APIOPS_MISSING), 1);
    CU_ASSERT_PTR_NULL(by_key(&f, "products/gold"));
    CU_ASSERT_PTR_NULL(by_key(&f, "products/gold/policies/policy"));
    CU_ASSERT_PTR_NULL(by_key(&f, "products/gold/apis/orders"));
    remove_root();
    tu_release(&t);
}

/* ---- the merge and the configuration ---- */

static struct jval *json(struct tu *t, const char *text)
{
    return tu_parse(t, text);
}

static void test_merge(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *base = json(&t, "{ `a`: 1, `o`: { `x`: 1, `y`: [1, 2] }, `s`: `keep` }");
    struct jval *over = json(&t, "{ `A`: 2, `o`: { `y`: [3], `z`: null }, `n`: { `k`: true } }");
    struct jval *m = apiops_merge(&t.arena, base, over);
    /* Objects merge member by member (keys without case), arrays and
     * scalars are replaced, new members are added. */
    CU_ASSERT_STRING_EQUAL(tu_json(&t, m),
                           "{\"a\":2,\"o\":{\"x\":1,\"y\":[3],\"z\":null},\"s\":\"keep\","
                           "\"n\":{\"k\":true}}");
    /* The inputs are not changed. */
    CU_ASSERT_STRING_EQUAL(tu_json(&t, base),
                           "{\"a\":1,\"o\":{\"x\":1,\"y\":[1,2]},\"s\":\"keep\"}");
    /* An object replaced by a scalar, and either side missing. */
    CU_ASSERT_STRING_EQUAL(tu_json(&t, apiops_merge(&t.arena, base, json(&t, "7"))), "7");
    CU_ASSERT_PTR_EQUAL(apiops_merge(&t.arena, base, NULL), base);
    CU_ASSERT_PTR_EQUAL(apiops_merge(&t.arena, NULL, over), over);
    tu_release(&t);
}

static void test_configuration_rules(void)
{
    struct tu t;
    tu_init(&t);
    struct apiops_config *cfg = config(&t, "apimServiceName: contoso-prod\n"
                                           "Apis:\n"
                                           "  - name: orders\n"
                                           "    properties:\n"
                                           "      serviceUrl: https://prod\n"
                                           "      isCurrent: false\n"
                                           "    diagnostics:\n"
                                           "      - name: applicationinsights\n"
                                           "        properties: { verbosity: error }\n"
                                           "namedValues:\n"
                                           "  - name: secret\n"
                                           "    properties: { value: '{#secret#}' }\n"
                                           "  - name: twice\n"
                                           "  - name: twice\n"
                                           "  - properties: {}\n"
                                           "backends: not-a-list\n"
                                           "COMMIT_ID: abc\n"
                                           "logger: []\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    CU_ASSERT_STRING_EQUAL(apiops_config_service(cfg), "contoso-prod");
    /* Section keys without case, names exactly. */
    CU_ASSERT_PTR_NOT_NULL(apiops_config_match(cfg, "apis/orders"));
    CU_ASSERT_PTR_NULL(apiops_config_match(cfg, "apis/Orders"));
    CU_ASSERT_PTR_NOT_NULL(apiops_config_match(cfg, "apis/orders/diagnostics/applicationinsights"));
    /* Named twice: the publisher applies neither. */
    CU_ASSERT_PTR_NULL(apiops_config_match(cfg, "namedvalues/twice"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_CONFIG_DUPLICATE), 1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_CONFIG_TOKEN), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_APIOPS_IGNORED, "'isCurrent' is removed from API overrides"));
    CU_ASSERT_TRUE(tu_has(&t, DC_APIOPS_IGNORED, "'logger' is not a section"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_CONFIG_INVALID), 2); /* no name; not a list */
    /* Settings of the publisher run are not sections, and not mistakes. */
    CU_ASSERT_FALSE(tu_has(&t, DC_APIOPS_IGNORED, "COMMIT_ID"));
    unsigned line, col;
    tu_where(&t, DC_CONFIG_TOKEN, &line, &col);
    CU_ASSERT_EQUAL(line, 12);
    CU_ASSERT_EQUAL(col, 27);
    /* API_MANAGEMENT_SERVICE_NAME wins over apimServiceName. */
    cfg = config(&t, "apimServiceName: a\nAPI_MANAGEMENT_SERVICE_NAME: b\n");
    CU_ASSERT_STRING_EQUAL(apiops_config_service(cfg), "b");
    CU_ASSERT_PTR_NULL(config(&t, "- just\n- a list\n"));
    tu_release(&t);
}

/* ---- whole folders ---- */

static struct model_api *api_named(struct tu *t, const char *id)
{
    for (struct model_api *a = t->model.services ? t->model.services->apis : NULL; a; a = a->next)
        if (strcmp(a->id, id) == 0)
            return a;
    return NULL;
}

static void test_read_with_overrides(void)
{
    struct tu t;
    tu_init(&t);
    make_root();
    put("apis/orders/apiInformation.json", api_info);
    put("apis/orders/policy.xml", "<policies><inbound><set-backend-service "
                                  "backend-id=`orders-backend` /></inbound></policies>");
    put("backends/orders-backend/backendInformation.json",
        "{ `properties`: { `url`: `https://dev`, `protocol`: `http`, `tls`: { "
        "`validateCertificateChain`: true } } }");
    put("named values/db/namedValueInformation.json",
        "{ `properties`: { `displayName`: `db`, `secret`: true } }");
    put("named values/plain/namedValueInformation.json",
        "{ `properties`: { `displayName`: `plain`, `secret`: true } }");
    struct apiops_config *cfg =
        config(&t, "apimServiceName: from-config\n"
                   "apis:\n"
                   "  - name: orders\n"
                   "    properties: { serviceUrl: 'http://127.0.0.1:1/o' }\n"
                   "backends:\n"
                   "  - name: orders-backend\n"
                   "    properties:\n"
                   "      url: http://127.0.0.1:1/b\n"
                   "      tls: { validateCertificateName: false }\n"
                   "namedValues:\n"
                   "  - name: db\n"
                   "    properties: { value: s3cret }\n"
                   "products:\n"
                   "  - name: ghost\n");
    CU_ASSERT_EQUAL(read_folder(&t, cfg, NULL), 0);
    CU_ASSERT_STRING_EQUAL(t.model.services->name, "from-config");
    struct model_api *api = api_named(&t, "orders");
    CU_ASSERT_PTR_NOT_NULL_FATAL(api);
    CU_ASSERT_STRING_EQUAL(api->service_url, "http://127.0.0.1:1/o");
    /* The overridden value points into the configuration file. */
    CU_ASSERT_STRING_EQUAL(api->service_url_loc.src->name, "configuration.test.yaml");
    CU_ASSERT_PTR_NOT_NULL(api->policy);
    CU_ASSERT_STRING_EQUAL(api->policy->format, "rawxml");
    const struct model_backend *be = t.model.services->backends;
    CU_ASSERT_STRING_EQUAL(be->url, "http://127.0.0.1:1/b");
    /* A deep merge: both tls settings are there. */
    CU_ASSERT_STRING_EQUAL(tu_json(&t, jval_get(be->body, "tls")),
                           "{\"validateCertificateChain\":true,\"validateCertificateName\":false}");
    /* The configuration gives one secret its value; the other is skipped
     * by the publisher and said so. */
    CU_ASSERT_EQUAL(tu_count(&t, DC_APIOPS_SECRET), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_APIOPS_SECRET, "'plain'"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_CONFIG_NO_MATCH), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_CONFIG_NO_MATCH, "product 'ghost'"));
    /* --service-name wins over the configuration. */
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_EQUAL(read_folder(&t, NULL, "from-option"), 0);
    CU_ASSERT_STRING_EQUAL(t.model.services->name, "from-option");
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_EQUAL(read_folder(&t, NULL, NULL), 0);
    CU_ASSERT_STRING_EQUAL(t.model.services->name, APIOPS_DEFAULT_SERVICE);
    remove_root();
    tu_release(&t);
}

static void test_read_links_and_revisions(void)
{
    struct tu t;
    tu_init(&t);
    make_root();
    put("apis/orders/apiInformation.json", api_info);
    put("apis/orders;rev=2/apiInformation.json",
        "{ `properties`: { `path`: `orders`, `apiRevision`: `2` } }");
    put("apis/orders/releases/go-live/apiReleaseInformation.json",
        "{ `properties`: { `apiId`: `/apis/orders;rev=2` } }");
    put("products/starter/productInformation.json", "{ `properties`: { `displayName`: `S` } }");
    put("products/starter/apis/orders/productApiInformation.json", "{}");
    put("products/starter/groups/developers/productGroupInformation.json",
        "{ `name`: `l`, `properties`: { `groupId`: `/groups/developers` } }");
    put("tags/t/tagInformation.json", "{ `properties`: { `displayName`: `T` } }");
    put("tags/t/products/gold/tagProductInformation.json", "{}");
    CU_ASSERT_EQUAL(read_folder(&t, NULL, "svc"), 0);
    /* The release makes revision 2 current. */
    struct model_api *rev2 = NULL;
    for (struct model_api *a = t.model.services->apis; a; a = a->next)
        if (strcmp(a->revision, "2") == 0)
            rev2 = a;
    CU_ASSERT_PTR_NOT_NULL_FATAL(rev2);
    CU_ASSERT_TRUE(rev2->is_current);
    CU_ASSERT_TRUE(rev2->named_revision);
    CU_ASSERT_PTR_NOT_NULL(t.model.services->links);
    /* Built-in groups need no folder; a missing product is reported. */
    CU_ASSERT_EQUAL(tu_count(&t, DC_APIOPS_LINK), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_APIOPS_LINK, "tag 't' links product 'gold'"));
    remove_root();
    tu_release(&t);
}

/* A workspace's artifacts are the resources the publisher PUTs into it
 * (Workspace<Resource>.cs): they go into the workspace's part of the model,
 * overrides apply inside the workspace's entry, and links are looked for
 * in the workspace. */
static void test_workspaces(void)
{
    make_root();
    put("workspaces/ws/named values/env/namedValueInformation.json",
        "{ `properties`: { `displayName`: `env`, `value`: `dev` } }");
    CU_ASSERT_TRUE(apiops_is_folder(root)); /* a folder of workspaces only */
    CU_ASSERT_EQUAL(apiops_layout_folder(AK_WORKSPACE, "named values")->kind, AK_WS_NAMED_VALUE);
    CU_ASSERT_EQUAL(apiops_layout_folder(AK_WS_API, "operations")->kind, AK_WS_API_OPERATION);
    CU_ASSERT_EQUAL(apiops_layout_section(AK_WORKSPACE, STR_LIT("NamedValues"))->kind,
                    AK_WS_NAMED_VALUE);
    CU_ASSERT_STRING_EQUAL(apiops_layout(AK_WS_PRODUCT_API)->link, "apiId");
    put("workspaces/ws/apis/a/apiInformation.json", api_info);
    put("workspaces/ws/apis/a/policy.xml",
        "<policies><inbound><base /><set-hedaer /></inbound><backend><base /></backend>"
        "<outbound><base /></outbound><on-error><base /></on-error></policies>");
    put("workspaces/ws/apis/a/operations/op/policy.xml",
        "<policies><inbound><base /><set-header name=`x` exists-action=`override`>"
        "<value>{{env}}</value></set-header></inbound><backend><base /></backend>"
        "<outbound><base /></outbound><on-error><base /></on-error></policies>");
    put("workspaces/ws/tags/t/tagInformation.json", "{ `properties`: { `displayName`: `T` } }");
    put("workspaces/ws/tags/t/apis/a/tagApiInformation.json",
        "{ `name`: `ta`, `properties`: { `apiId`: `/workspaces/ws/apis/a` } }");
    put("workspaces/ws/tags/t/apis/b/tagApiInformation.json",
        "{ `name`: `tb`, `properties`: { `apiId`: `/workspaces/ws/apis/b` } }");
    put("workspaces/ws/policy.xml", "<policies />");
    struct tu t;
    tu_init(&t);
    struct apiops_config *cfg =
        config(&t, "workspaces:\n  - name: ws\n    namedValues:\n      - name: env\n"
                   "        properties:\n          value: local\n");
    CU_ASSERT_EQUAL(read_folder(&t, cfg, "svc"), 0); /* the policy errors are model_check's */
    struct model_service *ws = model_find_workspace(&t.model, t.model.services, "ws");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
    struct model_named_value *nv = model_find_named_value(&t.model, ws, STR_LIT("env"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(nv);
    CU_ASSERT_STRING_EQUAL(nv->value->u.s.ptr, "local");
    size_t npolicies = 0;
    for (const struct model_policy *p = ws->policies; p; p = p->next)
        npolicies++;
    CU_ASSERT_EQUAL(npolicies, 2);
    CU_ASSERT_TRUE(tu_has(&t, DC_UNKNOWN_POLICY, "unknown policy 'set-hedaer'"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_APIOPS_LINK), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_APIOPS_LINK, "links API 'b', which is not in workspace 'ws'"));
    /* The publisher deploys no workspace-scope policy. */
    CU_ASSERT_TRUE(tu_has(&t, DC_APIOPS_UNKNOWN, "deploys no workspace-scope policy"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_CONFIG_NO_MATCH), 0);
    remove_root();
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "layout table", test_layout_table },
    { "folder detection", test_detection },
    { "walk: names, keys, policies", test_walk },
    { "specification order", test_specification_order },
    { "layout problems", test_layout_problems },
    { "the publisher's merge", test_merge },
    { "configuration rules", test_configuration_rules },
    { "folder with overrides", test_read_with_overrides },
    { "links, releases, revisions", test_read_links_and_revisions },
    { "workspaces", test_workspaces },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "apiops", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
