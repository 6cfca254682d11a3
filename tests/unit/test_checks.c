/* Unit tests for the semantic checks across the model (model_check.c,
 * url_template.c). Each check is shown three ways: the diagnostic and its
 * code, where it points (line and column in the template, inside the JSON
 * string where the value is a literal), and a correct variant of the same
 * input that draws no diagnostic at all. References to entities the template
 * does not declare are errors when the template deploys the service, and
 * warnings when it only adds to a service deployed elsewhere. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "testutil.h"

#define HEAD                                                                               \
    "{`$schema`: "                                                                         \
    "`https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#`,\n" \
    " `contentVersion`: `1.0.0.0`,\n"                                                      \
    " `parameters`: {`svc`: {`type`: `string`, `defaultValue`: `contoso`}},\n"             \
    " `resources`: [\n"

#define TAIL "\n]}"

#define SERVICE                                                                \
    "{`type`: `Microsoft.ApiManagement/service`, `apiVersion`: `2024-05-01`, " \
    "`name`: `[parameters('svc')]`, `location`: `eastus`, "                    \
    "`sku`: {`name`: `Developer`, `capacity`: 1}, "                            \
    "`properties`: {`publisherEmail`: `api@contoso.com`, `publisherName`: `Contoso`}}"

/* A child of the service: full type, name built with concat(). */
#define RES(type, name, props)                                                          \
    "{`type`: `Microsoft.ApiManagement/service/" type "`, `apiVersion`: `2024-05-01`, " \
    "`name`: `[concat(parameters('svc'), '/" name "')]`, `properties`: " props "}"

/* API 'a' at path 'a' with one operation, the usual neighbourhood. */
#define API_A RES("apis", "a", "{`path`: `a`}")
#define OP(name, method, url, params)                                                    \
    RES("apis/operations", "a/" name,                                                    \
        "{`displayName`: `" name "`, `method`: `" method "`, `urlTemplate`: `" url "`, " \
        "`templateParameters`: [" params "]}")
#define OP_A        OP("op", "GET", "/", "")
#define PARAM(name) "{`name`: `" name "`, `type`: `string`, `required`: true}"

/* Text of the template compiled last. */
static const char *src;

/* Compiles HEAD, the resources joined with commas, TAIL; returns the number
 * of errors. */
static unsigned compile(struct tu *t, const char *const *resources)
{
    const char *text = HEAD;
    for (size_t i = 0; resources[i]; i++)
        text = arena_printf(&t->arena, "%s%s%s", text, i ? ",\n" : "", resources[i]);
    src = arena_printf(&t->arena, "%s%s", text, TAIL);
    return tu_template(t, src, NULL);
}

/* Line and column of the nth (from 1) occurrence of marker in the last
 * template, plus off characters (ASCII without escapes up to there). */
static void where_in_src(const char *marker, int nth, size_t off, unsigned *line, unsigned *col)
{
    const char *at = strstr(src, marker);
    while (at && --nth > 0)
        at = strstr(at + 1, marker);
    *line = *col = 0;
    if (at == NULL)
        return;
    *line = 1;
    const char *bol = src;
    for (const char *p = src; p < at; p++) {
        if (*p == '\n') {
            (*line)++;
            bol = p + 1;
        }
    }
    *col = (unsigned)(at - bol + (ptrdiff_t)off) + 1;
}

/* The first diagnostic with this code points off characters into the nth
 * occurrence of marker. */
#define ASSERT_AT_NTH(t, code, marker, nth, off)                  \
    do {                                                          \
        unsigned l_, c_, want_l_, want_c_;                        \
        tu_where((t), (code), &l_, &c_);                          \
        where_in_src((marker), (nth), (off), &want_l_, &want_c_); \
        CU_ASSERT_NOT_EQUAL(want_l_, 0);                          \
        CU_ASSERT_EQUAL(l_, want_l_);                             \
        CU_ASSERT_EQUAL(c_, want_c_);                             \
    } while (0)

#define ASSERT_AT_OFF(t, code, marker, off) ASSERT_AT_NTH(t, code, marker, 1, off)
#define ASSERT_AT(t, code, marker)          ASSERT_AT_NTH(t, code, marker, 1, 0)

/* The level of the first diagnostic with this code, or -1. */
static int level_of(const struct tu *t, enum diag_code code)
{
    for (size_t i = 0; i < t->diag.n; i++)
        if (t->diag.v[i]->code == code)
            return (int)t->diag.v[i]->level;
    return -1;
}

/* The resources, with the service declared in front of them. */
static const char *const *with_service(struct tu *t, const char *const *resources)
{
    size_t n = 0;
    while (resources[n])
        n++;
    const char **v = ARENA_ARRAY(&t->arena, const char *, n + 2);
    v[0] = SERVICE;
    memcpy(v + 1, resources, (n + 1) * sizeof(*v));
    return v;
}

/* resources (without the service) refer to something that is not there:
 * with the service declared, exactly one error with this code; adding to a
 * service deployed elsewhere, the same diagnostic as a warning and no error.
 * Both point off characters into marker. */
static void expect_missing(enum diag_code code, const char *const *resources, const char *marker,
                           size_t off, const char *msg_part)
{
    for (int declared = 1; declared >= 0; declared--) {
        struct tu t;
        tu_init(&t);
        unsigned errors = compile(&t, declared ? with_service(&t, resources) : resources);
        CU_ASSERT_EQUAL(tu_count(&t, code), 1);
        CU_ASSERT_EQUAL(level_of(&t, code), declared ? DIAG_ERROR : DIAG_WARNING);
        CU_ASSERT_EQUAL(errors, declared ? 1u : 0u);
        CU_ASSERT_TRUE(tu_has(&t, code, msg_part));
        ASSERT_AT_OFF(&t, code, marker, off);
        if (tu_count(&t, code) != 1 || errors != (declared ? 1u : 0u))
            fprintf(stderr, "\n%s", tu_text(&t));
        tu_release(&t);
    }
}

/* The service and resources compile without a single diagnostic. */
static void expect_clean(const char *const *resources)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t, with_service(&t, resources)), 0);
    CU_ASSERT_EQUAL(t.diag.n, 0);
    if (t.diag.n != 0)
        fprintf(stderr, "\n%s", tu_text(&t));
    tu_release(&t);
}

/* ---- operations ---- */

static void test_bad_method(void)
{
    static const char *const bad[] = { "GE T", "GET/", "", "G(E)T" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct tu t;
        tu_init(&t);
        const char *op = arena_printf(&t.arena, OP("op", "%s", "/", ""), bad[i]);
        CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, API_A, op, NULL }), 1);
        CU_ASSERT_EQUAL(tu_count(&t, DC_BAD_METHOD), 1);
        CU_ASSERT_TRUE(tu_has(&t, DC_BAD_METHOD, "is not a valid HTTP method"));
        ASSERT_AT_OFF(&t, DC_BAD_METHOD, "`method`: `", 10);
        tu_release(&t);
    }
    /* Any token is a method, not only the well-known ones. */
    expect_clean((const char *const[]){
        API_A,
        OP("get", "GET", "/", ""),
        OP("purge", "PURGE", "/", ""),
        OP("patch", "patch", "/", ""),
        OP("report", "X-REPORT.1", "/", ""),
        NULL,
    });
}

/* One syntax error per template; where it points inside the string. */
struct bad_template {
    const char *url;
    size_t at; /* offset of the culprit in url */
    const char *msg;
};

static const struct bad_template bad_templates[] = {
    { "items", 0, "must start with '/'" },
    { "", 0, "must start with '/'" },
    { "/items/{id", 7, "'{' has no matching '}'" },
    { "/items/id}", 9, "'}' has no matching '{'" },
    { "/items/{}", 7, "empty parameter name '{}'" },
    { "/items/{i d}", 9, "' ' is not allowed in a parameter name" },
    { "/items/{a/b}", 9, "'/' is not allowed in a parameter name" },
    { "/items/a|b", 8, "'|' is not allowed in a URL path" },
    { "/items/a b", 8, "' ' is not allowed in a URL path" },
    { "/items/a<b>", 8, "'<' is not allowed in a URL path" },
    { "/items/*/more", 7, "a '*' wildcard must be the whole last segment" },
    { "/items*", 6, "a '*' wildcard must be the whole last segment" },
    { "/a//b", 2, "empty path segment '//'" },
    { "/a/{x}/b/{x}", 10, "parameter 'x' appears twice" },
    { "/a/{x}?x={x}", 10, "parameter 'x' appears twice" },
    { "/a?{x}=1", 3, "a query parameter name cannot be a template parameter" },
    { "/a?x=a{b}", 6, "a query value is either a whole {parameter} or literal text" },
    { "/a?x=1}", 6, "a query value is either a whole {parameter} or literal text" },
    { "/a?=1", 3, "empty query parameter name" },
    { "/a?x=1&&y=2", 7, "empty query parameter name" },
    { "/a?x={x}y", 8, "expected '&' between query parameters" },
};

static void test_url_template_syntax(void)
{
    for (size_t i = 0; i < sizeof(bad_templates) / sizeof(bad_templates[0]); i++) {
        const struct bad_template *b = &bad_templates[i];
        struct tu t;
        tu_init(&t);
        const char *op = arena_printf(&t.arena, OP("op", "GET", "%s", PARAM("x")), b->url);
        CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, API_A, op, NULL }), 1);
        CU_ASSERT_EQUAL(tu_count(&t, DC_URL_TEMPLATE), 1);
        CU_ASSERT_TRUE(tu_has(&t, DC_URL_TEMPLATE, b->msg));
        /* Inside the string: past `urlTemplate`: and the opening quote. */
        ASSERT_AT_OFF(&t, DC_URL_TEMPLATE, "`urlTemplate`: `", 16 + b->at);
        if (tu_count(&t, DC_URL_TEMPLATE) != 1 || !tu_has(&t, DC_URL_TEMPLATE, b->msg))
            fprintf(stderr, "\ntemplate '%s':\n%s", b->url, tu_text(&t));
        tu_release(&t);
    }
    /* The same shapes, written correctly. */
    expect_clean((const char *const[]){
        API_A,
        OP("root", "GET", "/", ""),
        OP("item", "GET", "/items/{id}", PARAM("id")),
        OP("all", "GET", "/items/*", ""),
        OP("ext", "GET", "/files/{name}.{ext}", PARAM("name") "," PARAM("ext")),
        OP("pair", "GET", "/a/{x}-{y}/b", PARAM("x") "," PARAM("y")),
        OP("query", "GET", "/search?q={q}&page={page}&fixed=1&flag", PARAM("q") "," PARAM("page")),
        OP("chars", "GET", "/a_b/c.d/e~f/g-h/$i/%20/@j:k", ""),
        NULL,
    });
}

/* A template computed by an expression has no place inside the file: the
 * error points at the whole value. */
static void test_url_template_expression(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                API_A,
                                RES("apis/operations", "a/op",
                                    "{`displayName`: `Op`, `method`: `GET`, `urlTemplate`: "
                                    "`[concat('/items/', '{id')]`}"),
                                NULL,
                            }),
                    1);
    CU_ASSERT_TRUE(tu_has(&t, DC_URL_TEMPLATE, "'{' has no matching '}'"));
    ASSERT_AT(&t, DC_URL_TEMPLATE, "`[concat('/items/', '{id')]`");
    tu_release(&t);
}

static void test_template_param_undeclared(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                API_A,
                                OP("order", "GET", "/users/{uid}/orders/{oid}", PARAM("uid")),
                                NULL,
                            }),
                    1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_TEMPLATE_PARAM_UNDECLARED), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_TEMPLATE_PARAM_UNDECLARED, "'oid'"));
    ASSERT_AT_OFF(&t, DC_TEMPLATE_PARAM_UNDECLARED, "{oid}", 1);
    tu_release(&t);
    /* A query parameter of the template is a template parameter too. */
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                API_A,
                                OP("search", "GET", "/search?q={q}", ""),
                                NULL,
                            }),
                    1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_TEMPLATE_PARAM_UNDECLARED), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_TEMPLATE_PARAM_UNDECLARED, "'q'"));
    ASSERT_AT_OFF(&t, DC_TEMPLATE_PARAM_UNDECLARED, "{q}", 1);
    tu_release(&t);
    expect_clean((const char *const[]){
        API_A,
        OP("order", "GET", "/users/{uid}/orders/{oid}", PARAM("uid") "," PARAM("oid")),
        OP("search", "GET", "/search?q={q}", PARAM("q")),
        NULL,
    });
}

static void test_template_param_unused(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                API_A,
                                OP("item", "GET", "/items/{id}", PARAM("id") "," PARAM("extra")),
                                NULL,
                            }),
                    1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_TEMPLATE_PARAM_UNUSED), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_TEMPLATE_PARAM_UNUSED, "'extra'"));
    ASSERT_AT(&t, DC_TEMPLATE_PARAM_UNUSED, "`extra`");
    tu_release(&t);
    /* Declared for the query but the template has no query. */
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                API_A,
                                OP("search", "GET", "/search", PARAM("q")),
                                NULL,
                            }),
                    1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_TEMPLATE_PARAM_UNUSED), 1);
    ASSERT_AT(&t, DC_TEMPLATE_PARAM_UNUSED, "`q`");
    tu_release(&t);
    expect_clean((const char *const[]){
        API_A,
        OP("item", "GET", "/items/{id}?extra={extra}", PARAM("id") "," PARAM("extra")),
        OP("search", "GET", "/search?q={q}", PARAM("q")),
        NULL,
    });
}

/* Two operations of one API that match the same requests. */
static void test_duplicate_operation(void)
{
    static const struct {
        const char *first, *second;
    } dups[] = {
        { OP("one", "GET", "/items/{x}", PARAM("x")), OP("two", "GET", "/items/{y}", PARAM("y")) },
        { OP("one", "GET", "/items", ""), OP("two", "GET", "/items/", "") },
        { OP("one", "GET", "/items", ""), OP("two", "get", "/items", "") },
        { OP("one", "GET", "/a?x={x}", PARAM("x")), OP("two", "GET", "/a?x={y}", PARAM("y")) },
        { OP("one", "GET", "/a?x={x}&y={y}", PARAM("x") "," PARAM("y")),
          OP("two", "GET", "/a?y={y}&x={x}", PARAM("x") "," PARAM("y")) },
    };

    for (size_t i = 0; i < sizeof(dups) / sizeof(dups[0]); i++) {
        struct tu t;
        tu_init(&t);
        CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, API_A, dups[i].first,
                                                           dups[i].second, NULL }),
                        1);
        CU_ASSERT_EQUAL(tu_count(&t, DC_DUPLICATE_OPERATION), 1);
        CU_ASSERT_TRUE(tu_has(&t, DC_DUPLICATE_OPERATION, "operations 'one' and 'two' both match"));
        /* At the second operation's urlTemplate. */
        ASSERT_AT_NTH(&t, DC_DUPLICATE_OPERATION, "`urlTemplate`: `", 2, 15);
        tu_release(&t);
    }
    /* Different methods, deeper paths, other literal query values, other APIs. */
    expect_clean((const char *const[]){
        API_A,
        OP("get", "GET", "/items/{x}", PARAM("x")),
        OP("put", "PUT", "/items/{x}", PARAM("x")),
        OP("sub", "GET", "/items/{x}/parts", PARAM("x")),
        OP("lit", "GET", "/items/all", ""),
        OP("q1", "GET", "/q?kind=1", ""),
        OP("q2", "GET", "/q?kind=2", ""),
        RES("apis", "b", "{`path`: `b`}"),
        RES("apis/operations", "b/get",
            "{`displayName`: `g`, `method`: `GET`, `urlTemplate`: `/items/{x}`, "
            "`templateParameters`: [" PARAM("x") "]}"),
        NULL,
    });
}

/* ---- APIs: paths, versions, revisions ---- */

static void test_duplicate_path(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis", "one", "{`path`: `shop`, `type`: `soap`}"),
                                RES("apis", "two", "{`path`: `/Shop/`, `type`: `soap`}"),
                                NULL,
                            }),
                    1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_DUPLICATE_PATH), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_DUPLICATE_PATH, "APIs 'one' and 'two' both use path '/Shop/'"));
    ASSERT_AT(&t, DC_DUPLICATE_PATH, "`/Shop/`");
    tu_release(&t);
    /* Versions of one version set and revisions of one API share a path. */
    expect_clean((const char *const[]){
        RES("apiVersionSets", "vs", "{`displayName`: `Shop`, `versioningScheme`: `Segment`}"),
        RES("apis", "shop-v1",
            "{`path`: `shop`, `type`: `soap`, `apiVersion`: `v1`, `apiVersionSetId`: "
            "`[resourceId('Microsoft.ApiManagement/service/apiVersionSets', parameters('svc'), "
            "'vs')]`}"),
        RES("apis", "shop-v2",
            "{`path`: `shop`, `type`: `soap`, `apiVersion`: `v2`, `apiVersionSetId`: "
            "`/apiVersionSets/vs`}"),
        RES("apis", "other", "{`path`: `other`, `type`: `soap`}"),
        RES("apis", "other;rev=2", "{`path`: `other`, `type`: `soap`}"),
        NULL,
    });
    /* A revision belongs to its API's version set without repeating
     * apiVersionSetId: revisions are copies of one API. */
    expect_clean((const char *const[]){
        RES("apiVersionSets", "vs", "{`displayName`: `Shop`, `versioningScheme`: `Segment`}"),
        RES("apis", "shop-v1",
            "{`path`: `shop`, `type`: `soap`, `apiVersion`: `v1`, `apiVersionSetId`: "
            "`/apiVersionSets/vs`}"),
        RES("apis", "shop-v2",
            "{`path`: `shop`, `type`: `soap`, `apiVersion`: `v2`, `apiVersionSetId`: "
            "`/apiVersionSets/vs`}"),
        RES("apis", "shop-v2;rev=2",
            "{`path`: `shop`, `type`: `soap`, `sourceApiId`: `/apis/shop-v2`}"),
        NULL,
    });
}

static void test_duplicate_version(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apiVersionSets", "vs",
                                    "{`displayName`: `Shop`, `versioningScheme`: `Segment`}"),
                                RES("apis", "shop-a",
                                    "{`path`: `shop`, `type`: `soap`, `apiVersion`: "
                                    "`v1`, `apiVersionSetId`: `/apiVersionSets/vs`}"),
                                RES("apis", "shop-b",
                                    "{`path`: `shop`, `type`: `soap`, `apiVersion`: "
                                    "`V1`, `apiVersionSetId`: `/apiVersionSets/vs`}"),
                                NULL,
                            }),
                    1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_VERSIONING), 1);
    CU_ASSERT_EQUAL(level_of(&t, DC_VERSIONING), DIAG_ERROR);
    CU_ASSERT_TRUE(tu_has(&t, DC_VERSIONING, "are both version 'V1' of version set 'vs'"));
    ASSERT_AT(&t, DC_VERSIONING, "`[concat(parameters('svc'), '/shop-b')]`");
    tu_release(&t);
    /* A version outside any version set does not show in the URL: a warning. */
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis", "lone",
                                    "{`path`: `lone`, `type`: `soap`, `apiVersion`: "
                                    "`v1`}"),
                                NULL,
                            }),
                    0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_VERSIONING), 1);
    CU_ASSERT_EQUAL(level_of(&t, DC_VERSIONING), DIAG_WARNING);
    ASSERT_AT(&t, DC_VERSIONING, "`[concat(parameters('svc'), '/lone')]`");
    tu_release(&t);
    expect_clean((const char *const[]){
        RES("apiVersionSets", "vs", "{`displayName`: `Shop`, `versioningScheme`: `Segment`}"),
        RES("apis", "shop-a",
            "{`path`: `shop`, `type`: `soap`, `apiVersion`: `v1`, `apiVersionSetId`: "
            "`/apiVersionSets/vs`}"),
        RES("apis", "shop-b",
            "{`path`: `shop`, `type`: `soap`, `apiVersion`: `v2`, `apiVersionSetId`: "
            "`/apiVersionSets/vs`}"),
        NULL,
    });
}

static void test_version_set_ref(void)
{
    expect_missing(DC_VERSION_SET_REF,
                   (const char *const[]){
                       RES("apis", "shop",
                           "{`path`: `shop`, `type`: `soap`, `apiVersion`: `v1`, "
                           "`apiVersionSetId`: "
                           "`[resourceId('Microsoft.ApiManagement/service/apiVersionSets', "
                           "parameters('svc'), 'nope')]`}"),
                       NULL,
                   },
                   "`[resourceId('Microsoft.ApiManagement/service/apiVersionSets'", 0,
                   "refers to version set 'nope'");
    expect_clean((const char *const[]){
        RES("apiVersionSets", "yes", "{`displayName`: `Yes`, `versioningScheme`: `Segment`}"),
        RES("apis", "shop",
            "{`path`: `shop`, `type`: `soap`, `apiVersion`: `v1`, `apiVersionSetId`: "
            "`[resourceId('Microsoft.ApiManagement/service/apiVersionSets', parameters('svc'), "
            "'yes')]`}"),
        NULL,
    });
}

static void test_api_path(void)
{
    static const struct {
        const char *path;
        const char *msg;
    } bad[] = {
        { "a b", "contains ' '" },     { "a?b", "contains '?'" },
        { "a/{v}", "contains '{'" },   { "a#b", "contains '#'" },
        { "a\\\\b", "contains '\\'" }, { "a//b", "has an empty segment" },
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct tu t;
        tu_init(&t);
        const char *a = arena_printf(&t.arena, RES("apis", "a", "{`path`: `%s`}"), bad[i].path);
        CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, a, OP_A, NULL }), 1);
        CU_ASSERT_EQUAL(tu_count(&t, DC_API_PATH), 1);
        CU_ASSERT_TRUE(tu_has(&t, DC_API_PATH, bad[i].msg));
        ASSERT_AT_OFF(&t, DC_API_PATH, "`path`: `", 8);
        tu_release(&t);
    }
    /* At most 400 characters. */
    struct tu t;
    tu_init(&t);
    char long_path[402];
    memset(long_path, 'p', 401);
    long_path[401] = '\0';
    const char *a = arena_printf(&t.arena, RES("apis", "a", "{`path`: `%s`}"), long_path);
    CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, a, OP_A, NULL }), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_API_PATH, "longer than 400 characters"));
    ASSERT_AT(&t, DC_API_PATH, "`ppp");
    tu_release(&t);
    tu_init(&t);
    long_path[400] = '\0';
    a = arena_printf(&t.arena, RES("apis", "a", "{`path`: `%s`}"), long_path);
    CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, a, OP_A, NULL }), 0);
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
    expect_clean((const char *const[]){
        API_A,
        OP_A,
        RES("apis", "root", "{`path`: ``, `type`: `soap`}"),
        RES("apis", "deep", "{`path`: `/v1/shop-x/orders_2/`, `type`: `soap`}"),
        NULL,
    });
}

static void test_service_url(void)
{
    static const char *const bad[] = {
        "backend.example.com",     "http://",   "ftp://files.example.com",
        "https://a b.example.com", "/relative", "ws://chat.example.com",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct tu t;
        tu_init(&t);
        const char *a =
            arena_printf(&t.arena, RES("apis", "a", "{`path`: `a`, `serviceUrl`: `%s`}"), bad[i]);
        CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, a, OP_A, NULL }), 1);
        CU_ASSERT_EQUAL(tu_count(&t, DC_SERVICE_URL), 1);
        CU_ASSERT_TRUE(tu_has(&t, DC_SERVICE_URL, "is not an absolute http(s) URL"));
        ASSERT_AT(&t, DC_SERVICE_URL, arena_printf(&t.arena, "`%s`", bad[i]));
        tu_release(&t);
    }
    /* A backend url is checked the same way, at the backend. */
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(&t,
                (const char *const[]){
                    SERVICE,
                    RES("backends", "b", "{`url`: `b.example.com/api`, `protocol`: `http`}"),
                    NULL,
                }),
        1);
    CU_ASSERT_TRUE(tu_has(&t, DC_SERVICE_URL, "backend 'b'"));
    ASSERT_AT(&t, DC_SERVICE_URL, "`b.example.com/api`");
    tu_release(&t);
    expect_clean((const char *const[]){
        RES("apis", "a", "{`path`: `a`, `serviceUrl`: `https://backend.example.com/api`}"),
        OP_A,
        RES("apis", "local", "{`path`: `local`, `serviceUrl`: `http://localhost:5000`}"),
        RES("apis/operations", "local/op",
            "{`displayName`: `Op`, `method`: `GET`, `urlTemplate`: `/`}"),
        RES("apis", "none", "{`path`: `none`, `serviceUrl`: ``, `type`: `soap`}"),
        RES("apis", "chat",
            "{`path`: `chat`, `type`: `websocket`, `protocols`: [`wss`], `serviceUrl`: "
            "`wss://chat.example.com`}"),
        RES("backends", "b", "{`url`: `https://b.example.com/api`, `protocol`: `http`}"),
        NULL,
    });
}

static void test_no_operations(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, API_A, NULL }), 0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_NO_OPERATIONS), 1);
    CU_ASSERT_EQUAL(level_of(&t, DC_NO_OPERATIONS), DIAG_WARNING);
    CU_ASSERT_TRUE(tu_has(&t, DC_NO_OPERATIONS, "API 'a' has no operations"));
    ASSERT_AT(&t, DC_NO_OPERATIONS, "`[concat(parameters('svc'), '/a')]`");
    tu_release(&t);
    /* Operations written, or imported from a definition (here a link with
     * no local copy: that is said, and the API is not empty by mistake). */
    expect_clean((const char *const[]){ API_A, OP_A, NULL });
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis", "imported",
                                    "{`path`: `imported`, `format`: `openapi-link`, `value`: "
                                    "`https://example.com/openapi.json`}"),
                                NULL,
                            }),
                    0);
    CU_ASSERT_EQUAL(t.diag.n, 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_IMPORT_LINK, "which apimlocal does not download"));
    tu_release(&t);
}

static void test_revisions(void)
{
    /* Two revisions that both say they are current. */
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis", "a", "{`path`: `a`, `isCurrent`: true}"),
                                OP_A,
                                RES("apis", "a;rev=2", "{`path`: `a`, `isCurrent`: true}"),
                                RES("apis/operations", "a;rev=2/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                NULL,
                            }),
                    1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_REVISION), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_REVISION, "revisions 1 and 2 of API 'a' are both current"));
    ASSERT_AT(&t, DC_REVISION, "`[concat(parameters('svc'), '/a;rev=2')]`");
    tu_release(&t);
    /* One that says so wins over one current only by default. */
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                API_A,
                                OP_A,
                                RES("apis", "a;rev=2", "{`path`: `a`, `isCurrent`: true}"),
                                RES("apis/operations", "a;rev=2/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                NULL,
                            }),
                    0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_REVISION), 0);
    tu_release(&t);
    /* One revision declared twice. */
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                API_A,
                                OP_A,
                                RES("apis", "a;rev=1", "{`path`: `a`, `isCurrent`: false}"),
                                NULL,
                            }),
                    1);
    CU_ASSERT_TRUE(tu_has(&t, DC_REVISION, "API 'a' declares revision 1 twice"));
    ASSERT_AT(&t, DC_REVISION, "`[concat(parameters('svc'), '/a;rev=1')]`");
    tu_release(&t);
    /* A revision without a path whose API is not in the template. */
    expect_missing(DC_REVISION,
                   (const char *const[]){
                       RES("apis", "ghost;rev=2", "{`apiRevisionDescription`: `two`}"),
                       NULL,
                   },
                   "`[concat(parameters('svc'), '/ghost;rev=2')]`", 0,
                   "revision 2 of API 'ghost' has no path");
    /* A second revision that is not current, and a release that makes it so. */
    expect_clean((const char *const[]){
        API_A,
        OP_A,
        RES("apis", "a;rev=2", "{`path`: `a`, `sourceApiId`: `/apis/a`}"),
        RES("apis", "a;rev=3", "{`sourceApiId`: `/apis/a`, `isCurrent`: false}"),
        RES("apis/releases", "a/r2", "{`apiId`: `/apis/a;rev=2`}"),
        NULL,
    });
}

/* "First" is the order of declaration, not of addresses: a later input's
 * API may lie lower in memory (an arena chunk of its own), and the notes
 * pointed at the later file. Here the second API is allocated first. */
static void test_revision_order(void)
{
    struct tu t;
    tu_init(&t);
    struct source *text = source_new(&t.diag, "apis.json", "first second", 12);
    struct model_service *s = model_service_named(&t.model, "svc", (struct loc){ text, 0, 5 });
    s->declared = true;
    struct model_api *later = ARENA_NEW(&t.arena, struct model_api);
    struct model_api *first = ARENA_NEW(&t.arena, struct model_api);
    *first = (struct model_api){ .id = "a",
                                 .revision = "1",
                                 .is_current = true,
                                 .path = "a",
                                 .type = "http",
                                 .loc = { text, 0, 5 } };
    *later = *first;
    later->loc = (struct loc){ text, 6, 12 };
    first->path_loc = first->loc;
    later->path_loc = later->loc;
    s->apis = first;
    first->next = later;
    s->apis_last = later;
    model_check(&t.model);
    CU_ASSERT_EQUAL(tu_count(&t, DC_REVISION), 2);
    for (size_t i = 0; i < t.diag.n; i++) {
        const struct diag_entry *e = t.diag.v[i];
        if (e->code != DC_REVISION)
            continue;
        CU_ASSERT_EQUAL(e->loc.start, 6); /* at the later declaration */
        CU_ASSERT_PTR_NOT_NULL_FATAL(e->notes);
        CU_ASSERT_EQUAL(e->notes->loc.start, 0); /* the note at the first */
    }
    tu_release(&t);
}

static void test_release_ref(void)
{
    expect_missing(DC_REVISION,
                   (const char *const[]){
                       API_A,
                       OP_A,
                       RES("apis/releases", "a/r9", "{`apiId`: `/apis/a;rev=9`}"),
                       NULL,
                   },
                   "`/apis/a;rev=9`", 0, "release refers to API revision 'a;rev=9'");
    expect_clean((const char *const[]){
        API_A,
        OP_A,
        RES("apis", "a;rev=9", "{`sourceApiId`: `/apis/a`}"),
        RES("apis/releases", "a/r9",
            "{`apiId`: `[resourceId('Microsoft.ApiManagement/service/apis', parameters('svc'), "
            "'a;rev=9')]`}"),
        NULL,
    });
}

static void test_source_api_ref(void)
{
    expect_missing(DC_API_REF,
                   (const char *const[]){
                       RES("apis", "copy", "{`path`: `copy`, `sourceApiId`: `/apis/original`}"),
                       NULL,
                   },
                   "`[concat(parameters('svc'), '/copy')]`", 0,
                   "copied from 'original' (sourceApiId)");
    expect_clean((const char *const[]){
        RES("apis", "original", "{`path`: `original`, `type`: `soap`}"),
        RES("apis", "copy", "{`path`: `copy`, `sourceApiId`: `/apis/original;rev=1`}"),
        NULL,
    });
}

/* ---- products, subscriptions, backends ---- */

static void test_product_link_refs(void)
{
    expect_missing(DC_PRODUCT_LINK,
                   (const char *const[]){
                       API_A,
                       OP_A,
                       RES("products", "p", "{`displayName`: `P`}"),
                       RES("products/apis", "p/ghost", "{}"),
                       NULL,
                   },
                   "`[concat(parameters('svc'), '/p/ghost')]`", 0, "product 'p' links API 'ghost'");
    expect_missing(DC_PRODUCT_LINK,
                   (const char *const[]){
                       API_A,
                       OP_A,
                       RES("products/apis", "nop/a", "{}"),
                       NULL,
                   },
                   "`[concat(parameters('svc'), '/nop/a')]`", 0, "product 'nop' is not in");
    expect_missing(DC_PRODUCT_LINK,
                   (const char *const[]){
                       API_A,
                       OP_A,
                       RES("products", "p", "{`displayName`: `P`}"),
                       RES("products/apiLinks", "p/link",
                           "{`apiId`: `[resourceId('Microsoft.ApiManagement/service/apis', "
                           "parameters('svc'), 'ghost')]`}"),
                       NULL,
                   },
                   "`[resourceId('Microsoft.ApiManagement/service/apis'", 0, "links API 'ghost'");
    expect_clean((const char *const[]){
        API_A,
        OP_A,
        RES("products", "p", "{`displayName`: `P`}"),
        RES("products/apis", "p/a", "{}"),
        RES("products/apiLinks", "p/link",
            "{`apiId`: `[resourceId('Microsoft.ApiManagement/service/apis', parameters('svc'), "
            "'a')]`}"),
        NULL,
    });
}

static void test_subscription_scope_refs(void)
{
    expect_missing(DC_SUBSCRIPTION_SCOPE,
                   (const char *const[]){
                       RES("subscriptions", "s",
                           "{`displayName`: `S`, `scope`: `/apis/ghost`, `state`: `active`}"),
                       NULL,
                   },
                   "`/apis/ghost`", 0, "scoped to API 'ghost'");
    expect_missing(DC_SUBSCRIPTION_SCOPE,
                   (const char *const[]){
                       RES("subscriptions", "s",
                           "{`displayName`: `S`, `state`: `active`, `scope`: "
                           "`[resourceId('Microsoft.ApiManagement/service/products', "
                           "parameters('svc'), 'ghost')]`}"),
                       NULL,
                   },
                   "`[resourceId('Microsoft.ApiManagement/service/products'", 0,
                   "scoped to product 'ghost'");
    /* A scope of no known form is wrong wherever the service is declared. */
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                RES("subscriptions", "s",
                                    "{`displayName`: `S`, `scope`: `/users/u1`, `state`: "
                                    "`active`}"),
                                NULL,
                            }),
                    1);
    CU_ASSERT_EQUAL(level_of(&t, DC_SUBSCRIPTION_SCOPE), DIAG_ERROR);
    CU_ASSERT_TRUE(tu_has(&t, DC_SUBSCRIPTION_SCOPE, "scope '/users/u1' is not"));
    ASSERT_AT(&t, DC_SUBSCRIPTION_SCOPE, "`/users/u1`");
    tu_release(&t);
    expect_clean((const char *const[]){
        API_A,
        OP_A,
        RES("products", "p", "{`displayName`: `P`}"),
        RES("subscriptions", "s1", "{`displayName`: `S`, `scope`: `/apis/a`, `state`: `active`}"),
        RES("subscriptions", "s2",
            "{`displayName`: `S`, `scope`: `/products/p`, `state`: `active`}"),
        RES("subscriptions", "s3", "{`displayName`: `S`, `scope`: `/apis`, `state`: `active`}"),
        NULL,
    });
}

static void test_subscription_state(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("subscriptions", "s", "{`displayName`: `S`, `scope`: `/apis`}"),
                                NULL,
                            }),
                    0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_SUBSCRIPTION_STATE), 1);
    CU_ASSERT_EQUAL(level_of(&t, DC_SUBSCRIPTION_STATE), DIAG_WARNING);
    CU_ASSERT_TRUE(tu_has(&t, DC_SUBSCRIPTION_STATE, "subscription 's' has no 'state'"));
    ASSERT_AT(&t, DC_SUBSCRIPTION_STATE, "`[concat(parameters('svc'), '/s')]`");
    tu_release(&t);
    expect_clean((const char *const[]){
        RES("subscriptions", "s", "{`displayName`: `S`, `scope`: `/apis`, `state`: `active`}"),
        RES("subscriptions", "off", "{`displayName`: `S`, `scope`: `/apis`, `state`: `suspended`}"),
        NULL,
    });
}

/* Keys are 1 to 256 characters. */
static void test_subscription_key(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("subscriptions", "s",
                                    "{`displayName`: `S`, `scope`: `/apis`, `state`: "
                                    "`active`, `primaryKey`: ``}"),
                                NULL,
                            }),
                    1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_SUBSCRIPTION_KEY), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_SUBSCRIPTION_KEY, "primaryKey must be 1 to 256 characters"));
    ASSERT_AT(&t, DC_SUBSCRIPTION_KEY, "``}");
    tu_release(&t);
    char key[258];
    memset(key, 'k', 257);
    key[257] = '\0';
    tu_init(&t);
    const char *sub = arena_printf(&t.arena,
                                   RES("subscriptions", "s",
                                       "{`displayName`: `S`, `scope`: `/apis`, `state`: "
                                       "`active`, `secondaryKey`: `%s`}"),
                                   key);
    CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, sub, NULL }), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_SUBSCRIPTION_KEY, "secondaryKey must be 1 to 256 characters"));
    tu_release(&t);
    tu_init(&t);
    key[256] = '\0';
    sub = arena_printf(&t.arena,
                       RES("subscriptions", "s",
                           "{`displayName`: `S`, `scope`: `/apis`, `state`: `active`, "
                           "`primaryKey`: `k`, `secondaryKey`: `%s`}"),
                       key);
    CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, sub, NULL }), 0);
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

static void test_backend_refs(void)
{
    /* A pool member that is not there. */
    expect_missing(
        DC_BACKEND_REF,
        (const char *const[]){
            RES("backends", "b1", "{`url`: `https://b1.example.com`, `protocol`: `http`}"),
            RES("backends", "pool",
                "{`type`: `Pool`, `pool`: {`services`: [{`id`: `/backends/b1`}, "
                "{`id`: `/backends/b2`, `priority`: 2}]}}"),
            NULL,
        },
        "{`id`: `/backends/b2`", 0, "backend pool 'pool' includes backend 'b2'");
    /* A policy sends to a backend that is not there. */
    expect_missing(DC_BACKEND_REF,
                   (const char *const[]){
                       API_A,
                       OP_A,
                       RES("apis/policies", "a/policy",
                           "{`value`: `<policies><inbound><base /><set-backend-service "
                           "backend-id=\\`ghost\\` /></inbound></policies>`}"),
                       NULL,
                   },
                   "ghost\\`", 0, "policy uses backend 'ghost'");
    /* A pool may not hold a pool. */
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(&t,
                (const char *const[]){
                    SERVICE,
                    RES("backends", "b1", "{`url`: `https://b1.example.com`, `protocol`: `http`}"),
                    RES("backends", "inner",
                        "{`type`: `Pool`, `pool`: {`services`: [{`id`: "
                        "`/backends/b1`}]}}"),
                    RES("backends", "outer",
                        "{`type`: `Pool`, `pool`: {`services`: [{`id`: "
                        "`/backends/inner`}]}}"),
                    NULL,
                }),
        1);
    CU_ASSERT_TRUE(tu_has(&t, DC_BACKEND_REF, "a pool cannot contain a pool"));
    ASSERT_AT(&t, DC_BACKEND_REF, "{`id`: `/backends/inner`}");
    tu_release(&t);
    expect_clean((const char *const[]){
        API_A,
        OP_A,
        RES("backends", "b1", "{`url`: `https://b1.example.com`, `protocol`: `http`}"),
        RES("backends", "pool",
            "{`type`: `Pool`, `pool`: {`services`: [{`id`: "
            "`[resourceId('Microsoft.ApiManagement/service/backends', parameters('svc'), "
            "'b1')]`}]}}"),
        RES("apis/policies", "a/policy",
            "{`value`: `<policies><inbound><set-backend-service backend-id='pool' "
            "/><set-backend-service backend-id=\\`@(context.Variables[\\`b\\`])\\` "
            "/></inbound></policies>`}"),
        NULL,
    });
}

static void test_fragment_ref(void)
{
    expect_missing(DC_FRAGMENT_REF,
                   (const char *const[]){
                       API_A,
                       OP_A,
                       RES("apis/policies", "a/policy",
                           "{`value`: `<policies><inbound><include-fragment "
                           "fragment-id='nofrag' /></inbound></policies>`}"),
                       NULL,
                   },
                   "nofrag'", 0, "policy includes fragment 'nofrag'");
    expect_clean((const char *const[]){
        API_A,
        OP_A,
        RES("policyFragments", "frag",
            "{`value`: `<fragment><base /></fragment>`, `format`: `xml`, `description`: `d`}"),
        RES("apis/policies", "a/policy",
            "{`value`: `<policies><inbound><include-fragment fragment-id='frag' "
            "/></inbound></policies>`}"),
        NULL,
    });
}

static void test_logger_ref(void)
{
    expect_missing(DC_LOGGER_REF,
                   (const char *const[]){
                       RES("diagnostics", "applicationinsights", "{`loggerId`: `/loggers/ghost`}"),
                       NULL,
                   },
                   "`/loggers/ghost`", 0, "uses logger 'ghost'");
    /* An API diagnostic of an API that is not there. */
    expect_missing(
        DC_API_REF,
        (const char *const[]){
            RES("loggers", "ai", "{`loggerType`: `applicationInsights`}"),
            RES("apis/diagnostics", "ghost/applicationinsights", "{`loggerId`: `/loggers/ai`}"),
            NULL,
        },
        "`[concat(parameters('svc'), '/ghost/applicationinsights')]`", 0, "belongs to API 'ghost'");
    expect_clean((const char *const[]){
        API_A,
        OP_A,
        RES("loggers", "ai", "{`loggerType`: `applicationInsights`}"),
        RES("diagnostics", "applicationinsights", "{`loggerId`: `/loggers/ai`}"),
        RES("apis/diagnostics", "a/applicationinsights",
            "{`loggerId`: `[resourceId('Microsoft.ApiManagement/service/loggers', "
            "parameters('svc'), 'ai')]`}"),
        NULL,
    });
}

static void test_gateway_ref(void)
{
    expect_missing(DC_GATEWAY_REF,
                   (const char *const[]){
                       API_A,
                       OP_A,
                       RES("gateways/apis", "nogw/a", "{}"),
                       NULL,
                   },
                   "`[concat(parameters('svc'), '/nogw/a')]`", 0, "gateway 'nogw' is not in");
    expect_missing(DC_GATEWAY_REF,
                   (const char *const[]){
                       RES("gateways", "gw", "{`description`: `edge`}"),
                       RES("gateways/apis", "gw/ghost", "{}"),
                       NULL,
                   },
                   "`[concat(parameters('svc'), '/gw/ghost')]`", 0,
                   "gateway 'gw' links API 'ghost'");
    expect_clean((const char *const[]){
        API_A,
        OP_A,
        RES("gateways", "gw", "{`locationData`: {`name`: `edge`}}"),
        RES("gateways/apis", "gw/a", "{}"),
        NULL,
    });
}

/* ---- named values in policy text ---- */

static void test_named_value_ref(void)
{
    expect_missing(DC_NAMED_VALUE_REF,
                   (const char *const[]){
                       API_A,
                       OP_A,
                       RES("apis/policies", "a/policy",
                           "{`value`: `<policies><inbound><set-header name='x'><value>Bearer "
                           "{{missing-token}}</value></set-header></inbound></policies>`}"),
                       NULL,
                   },
                   "{{missing-token}}", 0, "named value 'missing-token' is not defined");
    /* Inside a fragment, past an escaped quote. */
    expect_missing(DC_NAMED_VALUE_REF,
                   (const char *const[]){
                       RES("policyFragments", "frag",
                           "{`value`: `<fragment><set-header name=\\`x\\`><value>{{nope}}</value>"
                           "</set-header></fragment>`, `format`: `xml`, `description`: `d`}"),
                       NULL,
                   },
                   "{{nope}}", 0, "named value 'nope'");
    /* Defined by id or by displayName, in any case. */
    expect_clean((const char *const[]){
        API_A,
        OP_A,
        RES("namedValues", "nv-id", "{`displayName`: `TokenName`, `value`: `t`, `secret`: true}"),
        RES("apis/policies", "a/policy",
            "{`value`: `<policies><inbound><set-header name='a'><value>{{nv-id}}</value>"
            "</set-header><set-header name='b'><value>{{TokenName}}</value></set-header>"
            "<set-header name='c{{tokenname}}'><value>x</value></set-header>"
            "</inbound></policies>`}"),
        NULL,
    });
}

/* A service marked "existing" is deployed elsewhere: what the template
 * does not declare may be there, so missing references are warnings. */
static void test_existing_service(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                "{`type`: `Microsoft.ApiManagement/service`, `apiVersion`: "
                                "`2024-05-01`, `name`: `[parameters('svc')]`, `existing`: "
                                "true}",
                                API_A,
                                OP_A,
                                RES("products/apis", "shared/a", "{}"),
                                RES("apis/policies", "a/policy",
                                    "{`value`: `<policies><inbound><set-backend-service "
                                    "backend-id='elsewhere' /></inbound></policies>`}"),
                                NULL,
                            }),
                    0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PRODUCT_LINK), 1);
    CU_ASSERT_EQUAL(level_of(&t, DC_PRODUCT_LINK), DIAG_WARNING);
    CU_ASSERT_EQUAL(tu_count(&t, DC_BACKEND_REF), 1);
    CU_ASSERT_EQUAL(level_of(&t, DC_BACKEND_REF), DIAG_WARNING);
    ASSERT_AT(&t, DC_BACKEND_REF, "elsewhere'");
    CU_ASSERT_FALSE(t.model.services->declared);
    tu_release(&t);
}

/* A policy fetched from a URL is not read, so its text is not scanned; a
 * named value of the pre-2019 type 'properties' is a named value. */
static void test_named_value_sources(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                API_A,
                                OP_A,
                                RES("properties", "old", "{`displayName`: `old`, `value`: `v`}"),
                                RES("apis/policies", "a/policy",
                                    "{`value`: `<policies><inbound><set-header "
                                    "name='x'><value>{{old}}</value></set-header>"
                                    "</inbound></policies>`}"),
                                RES("policies", "policy",
                                    "{`value`: `https://example.com/{{not-read}}.xml`, "
                                    "`format`: `rawxml-link`}"),
                                NULL,
                            }),
                    0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_NAMED_VALUE_REF), 0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_POLICY_LINK), 1);
    CU_ASSERT_EQUAL(t.diag.n, 1);
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "bad HTTP method", test_bad_method },
    { "URL template syntax", test_url_template_syntax },
    { "URL template from an expression", test_url_template_expression },
    { "template parameter undeclared", test_template_param_undeclared },
    { "template parameter unused", test_template_param_unused },
    { "duplicate operation", test_duplicate_operation },
    { "duplicate API path", test_duplicate_path },
    { "duplicate version in a version set", test_duplicate_version },
    { "version set reference", test_version_set_ref },
    { "API path", test_api_path },
    { "service URL", test_service_url },
    { "API without operations", test_no_operations },
    { "revisions", test_revisions },
    { "revision order", test_revision_order },
    { "release reference", test_release_ref },
    { "sourceApiId reference", test_source_api_ref },
    { "product link references", test_product_link_refs },
    { "subscription scope references", test_subscription_scope_refs },
    { "subscription without state", test_subscription_state },
    { "subscription key length", test_subscription_key },
    { "backend references", test_backend_refs },
    { "policy fragment reference", test_fragment_ref },
    { "logger reference", test_logger_ref },
    { "gateway links", test_gateway_ref },
    { "named value references", test_named_value_ref },
    { "named values: legacy type, linked policies", test_named_value_sources },
    { "existing service: references are warnings", test_existing_service },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "checks", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
