/* Unit tests for the router (runtime/router.c): tables of requests, each row
 * saying which API and operation it must reach (or NO_API / NO_OPERATION),
 * which parameters it must bind and what rest of the path goes to the
 * backend. The plans come from inline templates and from
 * azure-templates/versioned-api.json. Where API Management's docs are silent,
 * the rows assert the rule router.h states, and a comment says so. */
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "gateway_templates.h"
#include "router.h"
#include "testutil.h"

#define AV   GT_AV
#define HEAD GT_HEAD
#define TAIL GT_TAIL
#define RES  GT_RES

/* An open API (no key needed) with its own backend; more is extra JSON. */
#define API(id, path, more)                                              \
    RES("apis", id,                                                      \
        "{`displayName`: `" id "`, `path`: `" path "`, `serviceUrl`: "   \
        "`https://backend.example.com/" id "`, `protocols`: [`https`], " \
        "`subscriptionRequired`: false" more "}")

/* An operation; params is the list of P(...) its template names. */
#define OP(api, id, method, tmpl, params)                                               \
    RES("apis/operations", api "/" id,                                                  \
        "{`displayName`: `" id "`, `method`: `" method "`, `urlTemplate`: `" tmpl "`, " \
        "`templateParameters`: [" params "]}")

#define P(name) "{`name`: `" name "`, `type`: `string`, `required`: true}"

/* Expected outcomes other than an API id / operation id. */
#define NO_API       "(no API)"
#define NO_OPERATION "(no operation)"

/* One request and what routing it must give. api is "id" or "id;rev=N"
 * (N other than 1). params is "name=value|name=value" in template order. */
struct row {
    unsigned line;
    const char *method, *path, *query;
    const char *header; /* "Name: value" or NULL */
    const char *api, *op, *params;
    const char *rest; /* NULL: not checked */
};

#define ROW(method, path, query, header, api, op, params, rest)      \
    {                                                                \
        __LINE__, method, path, query, header, api, op, params, rest \
    }

/* ---- helpers ---- */

static void report(bool ok, unsigned line, const char *what, const char *got, const char *want)
{
    char msg[1024];
    snprintf(msg, sizeof(msg), "row at line %u: %.80s => %.300s (want %.300s)", line, what, got,
             want);
    CU_assertImplementation(ok, line, msg, __FILE__, "", CU_FALSE);
}

/* The repository's root, found from this file's path (CMake compiles it
 * with its absolute path), so plans can be read from azure-templates/. */
static const char *repo_file(struct arena *a, const char *rel)
{
    const char *at = strstr(__FILE__, "tests/unit/");
    int n = at ? (int)(at - __FILE__) : 0;
    return arena_printf(a, "%.*s%s", n, __FILE__, rel);
}

static void add_header(struct gw_request *req, const char *line)
{
    const char *colon = strchr(line, ':');
    struct str name = { line, (size_t)(colon - line) };
    const char *v = colon + 1;
    while (*v == ' ')
        v++;
    gw_headers_add(req->arena, &req->headers, name, str_from_cstr(v));
}

static const char *api_name(struct arena *a, const struct plan *p, uint32_t api)
{
    const struct plan_api *x = &p->apis[api];
    if (x->revision == 1)
        return arena_printf(a, "%.*s", STR_FMT(x->id));
    return arena_printf(a, "%.*s;rev=%u", STR_FMT(x->id), (unsigned)x->revision);
}

static const char *params_text(struct arena *a, const struct route *r)
{
    const char *s = "";
    for (size_t i = 0; i < r->nparams; i++)
        s = arena_printf(a, "%s%s%.*s=%.*s", s, i ? "|" : "", STR_FMT(r->param_names[i]),
                         STR_FMT(r->param_values[i]));
    return s;
}

static void check_row(const struct router *rt, const struct plan *p, const struct row *w)
{
    struct arena a;
    arena_init(&a, 4096);
    struct gw_request req = { 0 };
    req.arena = &a;
    req.method = str_from_cstr(w->method);
    req.raw_path = req.path = str_from_cstr(w->path);
    req.raw_query = str_from_cstr(w->query);
    req.client_ip = STR_LIT("127.0.0.1");
    if (w->header)
        add_header(&req, w->header);
    struct route r;
    enum router_result rc = router_match(rt, &req, &r);
    const char *what = arena_printf(&a, "%s %s%s%s%s%s", w->method, w->path, *w->query ? "?" : "",
                                    w->query, w->header ? " + " : "", w->header ? w->header : "");
    if (strcmp(w->api, NO_API) == 0) {
        report(rc == ROUTER_NO_API, w->line, what, rc == ROUTER_NO_API ? NO_API : "an API", NO_API);
        arena_release(&a);
        return;
    }
    const char *got_api = rc == ROUTER_NO_API ? NO_API : api_name(&a, p, r.api);
    report(strcmp(got_api, w->api) == 0, w->line, what, got_api, w->api);
    const char *got_op = rc == ROUTER_MATCH ? arena_printf(&a, "%.*s", STR_FMT(p->ops[r.op].id))
                         : rc == ROUTER_NO_OPERATION ? NO_OPERATION
                                                     : NO_API;
    report(strcmp(got_op, w->op) == 0, w->line, what, got_op, w->op);
    if (rc == ROUTER_MATCH) {
        const char *got = params_text(&a, &r);
        report(strcmp(got, w->params) == 0, w->line, what, got, w->params);
    }
    if (w->rest && rc != ROUTER_NO_API) {
        const char *got = arena_printf(&a, "%.*s", STR_FMT(r.rest));
        report(strcmp(got, w->rest) == 0, w->line, what, got, w->rest);
    }
    arena_release(&a);
}

static void run_rows(const struct plan *p, const struct row *rows, size_t n)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    struct router *rt = router_new(p);
    for (size_t i = 0; i < n; i++)
        check_row(rt, p, &rows[i]);
    router_free(rt);
}

/* HEAD, the resources (each starts with its comma), TAIL. Long templates
 * are lists of parts: C compilers need not take string literals over 4095
 * characters. */
static const char *join(struct arena *a, const char *const *parts)
{
    const char *text = HEAD;
    for (size_t i = 0; parts[i]; i++)
        text = arena_printf(a, "%s%s", text, parts[i]);
    return arena_printf(a, "%s%s", text, TAIL);
}

static struct plan *plan_of(struct tu *t, const char *text)
{
    struct plan *p = tu_plan(t, text, NULL);
    if (p == NULL)
        fprintf(stderr, "%s\n", tu_text(t));
    return p;
}

static void run_template(const char *const *parts, const struct row *rows, size_t n)
{
    struct tu t;
    tu_init(&t);
    struct plan *p = plan_of(&t, join(&t.arena, parts));
    run_rows(p, rows, n);
    plan_free(p);
    tu_release(&t);
}

#define RUN(parts, rows) run_template((parts), (rows), sizeof(rows) / sizeof((rows)[0]))

/* ---- API paths ---- */

static const char *const paths_template[] = {
    API("echo", "echo", ""),
    OP("echo", "echo-resource", "GET", "/resource", ""),
    OP("echo", "echo-deep-other", "GET", "/deep/other", ""),
    API("echoes", "echoes", ""),
    OP("echoes", "echoes-resource", "GET", "/resource", ""),
    API("deep", "echo/deep", ""),
    OP("deep", "deep-resource", "GET", "/resource", ""),
    API("cart", "Shop/Cart", ""),
    OP("cart", "cart-item", "GET", "/Items/{id}", P("id")),
    NULL,
};

static const struct row path_rows[] = {
    ROW("GET", "/echo/resource", "", NULL, "echo", "echo-resource", "", "/resource"),
    /* The API path ends on a segment boundary: /echoes is not /echo + "es". */
    ROW("GET", "/echoes/resource", "", NULL, "echoes", "echoes-resource", "", "/resource"),
    ROW("GET", "/echoe/resource", "", NULL, NO_API, "", "", NULL),
    ROW("GET", "/ech", "", NULL, NO_API, "", "", NULL),
    ROW("GET", "/", "", NULL, NO_API, "", "", NULL),
    ROW("GET", "/other/resource", "", NULL, NO_API, "", "", NULL),
    /* Compared without case, both the API path and literal segments. */
    ROW("GET", "/ECHO/Resource", "", NULL, "echo", "echo-resource", "", "/Resource"),
    ROW("GET", "/shop/cart/items/7", "", NULL, "cart", "cart-item", "id=7", "/items/7"),
    ROW("GET", "/SHOP/CART/ITEMS/Ab", "", NULL, "cart", "cart-item", "id=Ab", "/ITEMS/Ab"),
    ROW("GET", "/shop/items/7", "", NULL, NO_API, "", "", NULL),
    /* The longest API path wins, and there is no falling back to a shorter
     * one when its operations do not fit (router.h rule 1). */
    ROW("GET", "/echo/deep/resource", "", NULL, "deep", "deep-resource", "", "/resource"),
    ROW("GET", "/echo/deep/other", "", NULL, "deep", NO_OPERATION, "", "/other"),
    ROW("GET", "/echo/deeper/other", "", NULL, "echo", NO_OPERATION, "", "/deeper/other"),
    /* An encoded slash is not a segment boundary. */
    ROW("GET", "/echo%2Fdeep/resource", "", NULL, NO_API, "", "", NULL),
    ROW("GET", "/%65cho/resource", "", NULL, "echo", "echo-resource", "", "/resource"),
};

static void test_api_paths(void)
{
    RUN(paths_template, path_rows);
}

/* An API with an empty path answers at the root, below every other API. */
static const char *const root_template[] = {
    API("root", "", ""),
    OP("root", "root-status", "GET", "/status", ""),
    OP("root", "root-name", "GET", "/{name}", P("name")),
    API("echo", "echo", ""),
    OP("echo", "echo-resource", "GET", "/resource", ""),
    NULL,
};

static const struct row root_rows[] = {
    ROW("GET", "/status", "", NULL, "root", "root-status", "", "/status"),
    ROW("GET", "/Status/", "", NULL, "root", "root-status", "", "/Status/"),
    ROW("GET", "/foo", "", NULL, "root", "root-name", "name=foo", "/foo"),
    ROW("GET", "/echoes", "", NULL, "root", "root-name", "name=echoes", "/echoes"),
    ROW("GET", "/echo/resource", "", NULL, "echo", "echo-resource", "", "/resource"),
    ROW("GET", "/echo/other", "", NULL, "echo", NO_OPERATION, "", "/other"),
    ROW("GET", "/", "", NULL, "root", NO_OPERATION, "", ""),
    ROW("GET", "/a/b", "", NULL, "root", NO_OPERATION, "", "/a/b"),
};

static void test_empty_api_path(void)
{
    RUN(root_template, root_rows);
}

/* ---- operations ---- */

static const char *const ops_template[] = {
    API("echo", "echo", ""),
    OP("echo", "root", "GET", "/", ""),
    OP("echo", "get-resource", "GET", "/resource", ""),
    OP("echo", "get-item", "GET", "/items/{id}", P("id")),
    OP("echo", "put-item", "PUT", "/items/{id}", P("id")),
    OP("echo", "get-item-json", "GET", "/items/{id}.json", P("id")),
    OP("echo", "get-item-special", "GET", "/items/special", ""),
    OP("echo", "create-item", "POST", "/items", ""),
    OP("echo", "get-item-part", "GET", "/items/{id}/parts/{part}", P("id") "," P("part")),
    OP("echo", "get-files", "GET", "/files/*", ""),
    OP("echo", "get-file-meta", "GET", "/files/{name}/meta", P("name")),
    OP("echo", "get-abc", "GET", "/a/b/c", ""),
    OP("echo", "get-axd", "GET", "/a/{x}/d", P("x")),
    OP("echo", "get-range", "GET", "/range/{from}-{to}", P("from") "," P("to")),
    OP("echo", "search", "GET", "/search", ""),
    OP("echo", "search-q", "GET", "/search?q={q}", P("q")),
    OP("echo", "search-q-page", "GET", "/search?q={q}&page={page}", P("q") "," P("page")),
    OP("echo", "report", "GET", "/report", ""),
    OP("echo", "report-csv", "GET", "/report?format=csv", ""),
    OP("echo", "tail-slash", "GET", "/slash/", ""),
    NULL,
};

static const struct row op_rows[] = {
    /* The API root: with or without the slash. */
    ROW("GET", "/echo", "", NULL, "echo", "root", "", ""),
    ROW("GET", "/echo/", "", NULL, "echo", "root", "", ""),
    /* A literal before a pattern before a {parameter}. */
    ROW("GET", "/echo/items/special", "", NULL, "echo", "get-item-special", "", "/items/special"),
    ROW("GET", "/echo/items/Special", "", NULL, "echo", "get-item-special", "", NULL),
    ROW("GET", "/echo/items/7.json", "", NULL, "echo", "get-item-json", "id=7", NULL),
    ROW("GET", "/echo/items/a.b.JSON", "", NULL, "echo", "get-item-json", "id=a.b", NULL),
    ROW("GET", "/echo/items/7", "", NULL, "echo", "get-item", "id=7", "/items/7"),
    /* A hole in a pattern takes at least one character. */
    ROW("GET", "/echo/items/.json", "", NULL, "echo", "get-item", "id=.json", NULL),
    ROW("GET", "/echo/items/specials", "", NULL, "echo", "get-item", "id=specials", NULL),
    ROW("GET", "/echo/items/7/parts/9", "", NULL, "echo", "get-item-part", "id=7|part=9", NULL),
    ROW("GET", "/echo/items/7/parts", "", NULL, "echo", NO_OPERATION, "", "/items/7/parts"),
    /* Two holes in one segment: the first takes as little as it can. */
    ROW("GET", "/echo/range/1-5", "", NULL, "echo", "get-range", "from=1|to=5", NULL),
    ROW("GET", "/echo/range/1-2-3", "", NULL, "echo", "get-range", "from=1|to=2-3", NULL),
    ROW("GET", "/echo/range/15", "", NULL, "echo", NO_OPERATION, "", NULL),
    /* The wildcard takes the rest of the path (decoded, without the first
     * slash, as the "*" parameter), and the API root of its node too. */
    ROW("GET", "/echo/files/a/b/c", "", NULL, "echo", "get-files", "*=a/b/c", "/files/a/b/c"),
    ROW("GET", "/echo/files/x/meta", "", NULL, "echo", "get-file-meta", "name=x", NULL),
    ROW("GET", "/echo/files/x/meta/more", "", NULL, "echo", "get-files", "*=x/meta/more", NULL),
    ROW("GET", "/echo/files/a%20b/c", "", NULL, "echo", "get-files", "*=a b/c", NULL),
    ROW("GET", "/echo/files", "", NULL, "echo", "get-files", "", "/files"),
    /* Backtracking: the literal branch a/b has no d, so {x} takes b. */
    ROW("GET", "/echo/a/b/c", "", NULL, "echo", "get-abc", "", NULL),
    ROW("GET", "/echo/a/b/d", "", NULL, "echo", "get-axd", "x=b", NULL),
    ROW("GET", "/echo/a/z/d", "", NULL, "echo", "get-axd", "x=z", NULL),
    ROW("GET", "/echo/a/b/e", "", NULL, "echo", NO_OPERATION, "", "/a/b/e"),
    ROW("GET", "/echo/a/b/c/d", "", NULL, "echo", NO_OPERATION, "", NULL),
    /* A trailing slash does not matter, on either side; the rest keeps it
     * for the backend. */
    ROW("GET", "/echo/resource/", "", NULL, "echo", "get-resource", "", "/resource/"),
    ROW("GET", "/echo/slash", "", NULL, "echo", "tail-slash", "", "/slash"),
    ROW("GET", "/echo/slash/", "", NULL, "echo", "tail-slash", "", "/slash/"),
    ROW("POST", "/echo/items/", "", NULL, "echo", "create-item", "", "/items/"),
    /* An empty segment inside the path is not skipped. */
    ROW("GET", "/echo//resource", "", NULL, "echo", NO_OPERATION, "", NULL),
    /* The method: compared without case; nothing maps HEAD or OPTIONS onto
     * GET (API Management answers them 404 unless an operation or a cors
     * policy takes them). */
    ROW("GET", "/echo/items/1", "", NULL, "echo", "get-item", "id=1", NULL),
    ROW("PUT", "/echo/items/1", "", NULL, "echo", "put-item", "id=1", NULL),
    ROW("get", "/echo/resource", "", NULL, "echo", "get-resource", "", NULL),
    ROW("HEAD", "/echo/resource", "", NULL, "echo", NO_OPERATION, "", "/resource"),
    ROW("OPTIONS", "/echo/resource", "", NULL, "echo", NO_OPERATION, "", NULL),
    ROW("DELETE", "/echo/items/1", "", NULL, "echo", NO_OPERATION, "", NULL),
    ROW("GET", "/echo/items", "", NULL, "echo", NO_OPERATION, "", "/items"),
    /* Percent-encoding: segments are decoded before matching, and an
     * encoded slash stays inside its parameter. The rest stays raw. */
    ROW("GET", "/echo/items/a%20b", "", NULL, "echo", "get-item", "id=a b", "/items/a%20b"),
    ROW("GET", "/echo/items/a%2Fb", "", NULL, "echo", "get-item", "id=a/b", "/items/a%2Fb"),
    ROW("GET", "/echo/items/a%2fb/parts/c%2Fd", "", NULL, "echo", "get-item-part",
        "id=a/b|part=c/d", NULL),
    ROW("GET", "/echo/%69tems/5", "", NULL, "echo", "get-item", "id=5", "/%69tems/5"),
    ROW("GET", "/echo/items/100%25", "", NULL, "echo", "get-item", "id=100%", NULL),
    ROW("GET", "/echo/items/a+b", "", NULL, "echo", "get-item", "id=a+b", NULL),
    /* Query parameters in templates choose among operations: the one naming
     * the most parameters present wins; the others still fit. Parameters of
     * the query are matched parameters too (context.Request.MatchedParameters
     * holds path and template query parameters). */
    ROW("GET", "/echo/search", "", NULL, "echo", "search", "", "/search"),
    ROW("GET", "/echo/search", "q=x", NULL, "echo", "search-q", "q=x", "/search"),
    ROW("GET", "/echo/search", "q=x&page=2", NULL, "echo", "search-q-page", "q=x|page=2", NULL),
    ROW("GET", "/echo/search", "page=2&q=x&z=1", NULL, "echo", "search-q-page", "q=x|page=2", NULL),
    ROW("GET", "/echo/search", "page=2", NULL, "echo", "search", "", NULL),
    ROW("GET", "/echo/search", "q=a%20b", NULL, "echo", "search-q", "q=a b", NULL),
    ROW("GET", "/echo/search/", "q=x", NULL, "echo", "search-q", "q=x", NULL),
    ROW("GET", "/echo/report", "format=csv", NULL, "echo", "report-csv", "", NULL),
    ROW("GET", "/echo/report", "format=xml", NULL, "echo", "report", "", NULL),
    ROW("GET", "/echo/report", "", NULL, "echo", "report", "", NULL),
    ROW("GET", "/echo/items/7", "q=1", NULL, "echo", "get-item", "id=7", NULL),
};

static void test_operations(void)
{
    RUN(ops_template, op_rows);
}

/* A required query parameter with no operation to fall back to: the API
 * fits, no operation does. */
static const char *const query_only_template[] = {
    API("login", "login", ""),
    OP("login", "user-login", "GET", "/user/login?username={username}&password={password}",
       P("username") "," P("password")),
    NULL,
};

static const struct row query_only_rows[] = {
    ROW("GET", "/login/user/login", "username=ann&password=secret", NULL, "login", "user-login",
        "username=ann|password=secret", "/user/login"),
    ROW("GET", "/login/user/login", "username=ann", NULL, "login", NO_OPERATION, "", NULL),
    ROW("GET", "/login/user/login", "", NULL, "login", NO_OPERATION, "", NULL),
};

static void test_query_required(void)
{
    RUN(query_only_template, query_only_rows);
}

/* ---- version sets ---- */

#define VSET(id, scheme, more) \
    RES("apiVersionSets", id, "{`displayName`: `" id "`, `versioningScheme`: `" scheme "`" more "}")

#define VS_REF(id)                                                                         \
    ", `apiVersionSetId`: `[resourceId('Microsoft.ApiManagement/service/apiVersionSets', " \
    "parameters('svc'), '" id "')]`"

#define VERSIONED(id, path, set, version) API(id, path, VS_REF(set) ", `apiVersion`: `" version "`")

static const char *const versions_template[] = {
    VSET("vs-seg", "Segment", ""),
    VSET("vs-query", "Query", ", `versionQueryName`: `api-version`"),
    VSET("vs-head", "Header", ", `versionHeaderName`: `Api-Version`"),
    API("seg-orig", "seg", VS_REF("vs-seg")),
    OP("seg-orig", "get-order", "GET", "/orders/{id}", P("id")),
    VERSIONED("seg-v1", "seg", "vs-seg", "v1"),
    OP("seg-v1", "get-order", "GET", "/orders/{id}", P("id")),
    VERSIONED("seg-v2", "seg", "vs-seg", "v2"),
    OP("seg-v2", "get-order", "GET", "/orders/{id}", P("id")),
    VERSIONED("q-v1", "qry", "vs-query", "v1"),
    OP("q-v1", "get-order", "GET", "/orders/{id}", P("id")),
    VERSIONED("q-v2", "qry", "vs-query", "v2"),
    OP("q-v2", "get-order", "GET", "/orders/{id}", P("id")),
    API("h-orig", "hdr", VS_REF("vs-head")),
    OP("h-orig", "get-order", "GET", "/orders/{id}", P("id")),
    VERSIONED("h-v1", "hdr", "vs-head", "v1"),
    OP("h-v1", "get-order", "GET", "/orders/{id}", P("id")),
    NULL,
};

static const struct row version_rows[] = {
    /* Segment: the segment after the API path names the version and is not
     * part of the rest; none means the Original. */
    ROW("GET", "/seg/v1/orders/1", "", NULL, "seg-v1", "get-order", "id=1", "/orders/1"),
    ROW("GET", "/seg/v2/orders/2", "", NULL, "seg-v2", "get-order", "id=2", "/orders/2"),
    ROW("GET", "/SEG/V2/orders/2", "", NULL, "seg-v2", "get-order", "id=2", "/orders/2"),
    ROW("GET", "/seg/orders/3", "", NULL, "seg-orig", "get-order", "id=3", "/orders/3"),
    /* An unknown version segment is just a path segment of the Original. */
    ROW("GET", "/seg/v3/orders/1", "", NULL, "seg-orig", NO_OPERATION, "", "/v3/orders/1"),
    ROW("GET", "/seg/orders/1", "api-version=v1", NULL, "seg-orig", "get-order", "id=1", NULL),
    /* Query: versionQueryName; no Original in this set, so no version or an
     * unknown one finds no API. */
    ROW("GET", "/qry/orders/1", "api-version=v1", NULL, "q-v1", "get-order", "id=1", "/orders/1"),
    ROW("GET", "/qry/orders/1", "x=1&api-version=v2", NULL, "q-v2", "get-order", "id=1", NULL),
    ROW("GET", "/qry/orders/1", "api-version=V2", NULL, "q-v2", "get-order", "id=1", NULL),
    ROW("GET", "/qry/orders/1", "", NULL, NO_API, "", "", NULL),
    ROW("GET", "/qry/orders/1", "api-version=v9", NULL, NO_API, "", "", NULL),
    ROW("GET", "/qry/orders/1", "", "Api-Version: v1", NO_API, "", "", NULL),
    ROW("GET", "/qry/v1/orders/1", "", NULL, NO_API, "", "", NULL),
    /* Header: versionHeaderName, its name compared without case. */
    ROW("GET", "/hdr/orders/1", "", "Api-Version: v1", "h-v1", "get-order", "id=1", "/orders/1"),
    ROW("GET", "/hdr/orders/1", "", "api-version: v1", "h-v1", "get-order", "id=1", NULL),
    ROW("GET", "/hdr/orders/1", "", NULL, "h-orig", "get-order", "id=1", NULL),
    ROW("GET", "/hdr/orders/1", "", "Api-Version: v9", NO_API, "", "", NULL),
    ROW("GET", "/hdr/orders/1", "api-version=v1", NULL, "h-orig", "get-order", "id=1", NULL),
};

static void test_versions(void)
{
    RUN(versions_template, version_rows);
}

/* ---- revisions ---- */

#define REVISION(id, rev, more)                                                            \
    RES("apis", id ";rev=" rev,                                                            \
        "{`displayName`: `" id "`, `path`: `echo`, `apiRevision`: `" rev "`, "             \
        "`serviceUrl`: `https://backend.example.com/rev" rev "`, `protocols`: [`https`], " \
        "`subscriptionRequired`: false" more "}")

/* Three revisions of echo; a release makes revision 3 the current one. */
static const char *const revisions_template[] = {
    API("echo", "echo", ""),
    OP("echo", "old", "GET", "/old", ""),
    REVISION("echo", "2", ""),
    OP("echo;rev=2", "new", "GET", "/new", ""),
    REVISION("echo", "3", ""),
    OP("echo;rev=3", "newest", "GET", "/newest", ""),
    RES("apis/releases", "echo/r3",
        "{`apiId`: `[resourceId('Microsoft.ApiManagement/service/apis', parameters('svc'), "
        "'echo;rev=3')]`}"),
    API("shop", "shop/cart", ""),
    OP("shop", "cart-item", "GET", "/items/{id}", P("id")),
    /* Only a revision that is not current (its API exists in Azure): it is
     * served at ;rev=2 only. */
    RES("apis", "solo;rev=2",
        "{`displayName`: `solo`, `path`: `solo`, `isCurrent`: false, `serviceUrl`: "
        "`https://backend.example.com/solo`, `protocols`: [`https`], `subscriptionRequired`: "
        "false}"),
    OP("solo;rev=2", "get", "GET", "/x", ""),
    NULL,
};

static const struct row revision_rows[] = {
    /* Without ;rev the current revision answers. */
    ROW("GET", "/echo/newest", "", NULL, "echo;rev=3", "newest", "", "/newest"),
    ROW("GET", "/echo/old", "", NULL, "echo;rev=3", NO_OPERATION, "", NULL),
    ROW("GET", "/echo;rev=1/old", "", NULL, "echo", "old", "", "/old"),
    ROW("GET", "/echo;rev=2/new", "", NULL, "echo;rev=2", "new", "", "/new"),
    ROW("GET", "/ECHO;rev=2/NEW/", "", NULL, "echo;rev=2", "new", "", "/NEW/"),
    ROW("GET", "/echo;rev=3/newest", "", NULL, "echo;rev=3", "newest", "", NULL),
    ROW("GET", "/echo;rev=2/newest", "", NULL, "echo;rev=2", NO_OPERATION, "", NULL),
    ROW("GET", "/echo;rev=2", "", NULL, "echo;rev=2", NO_OPERATION, "", ""),
    /* A revision that does not exist, or is not a revision number. */
    ROW("GET", "/echo;rev=9/new", "", NULL, NO_API, "", "", NULL),
    ROW("GET", "/echo;rev=0/new", "", NULL, NO_API, "", "", NULL),
    ROW("GET", "/echo;rev=x/new", "", NULL, NO_API, "", "", NULL),
    ROW("GET", "/echo;rev=/new", "", NULL, NO_API, "", "", NULL),
    /* ;rev belongs on the last segment of the API path. */
    ROW("GET", "/shop/cart;rev=1/items/7", "", NULL, "shop", "cart-item", "id=7", "/items/7"),
    ROW("GET", "/shop;rev=1/cart/items/7", "", NULL, NO_API, "", "", NULL),
    ROW("GET", "/echo/new;rev=2", "", NULL, "echo;rev=3", NO_OPERATION, "", "/new;rev=2"),
    /* A revision that is not current is never served at the plain path. */
    ROW("GET", "/solo;rev=2/x", "", NULL, "solo;rev=2", "get", "", "/x"),
    ROW("GET", "/solo/x", "", NULL, NO_API, "", "", NULL),
};

static void test_revisions(void)
{
    RUN(revisions_template, revision_rows);
}

/* ---- azure-templates/versioned-api.json ---- */

static const struct row versioned_file_rows[] = {
    ROW("GET", "/orders/v1/orders/42", "", NULL, "orders-v1", "get-order", "orderId=42",
        "/orders/42"),
    /* Revision 2 of v2 is not current: v2 without ;rev is revision 1. */
    ROW("GET", "/orders/v2/orders/42", "", NULL, "orders-v2", "get-order", "orderId=42", NULL),
    ROW("GET", "/orders/v2/orders", "customer=c1", NULL, "orders-v2", NO_OPERATION, "", "/orders"),
    ROW("GET", "/orders;rev=2/v2/orders", "customer=c1", NULL, "orders-v2;rev=2", "search-orders",
        "customer=c1", "/orders"),
    ROW("GET", "/orders;rev=2/v2/orders/7", "", NULL, "orders-v2;rev=2", "get-order", "orderId=7",
        NULL),
    /* v1 has no revision 2; the set has no Original; v3 does not exist. */
    ROW("GET", "/orders;rev=2/v1/orders/7", "", NULL, NO_API, "", "", NULL),
    ROW("GET", "/orders/orders/42", "", NULL, NO_API, "", "", NULL),
    ROW("GET", "/orders/v3/orders/42", "", NULL, NO_API, "", "", NULL),
    ROW("POST", "/orders/v1/orders/42", "", NULL, "orders-v1", NO_OPERATION, "", NULL),
};

static void test_versioned_api_file(void)
{
    struct tu t;
    tu_init(&t);
    struct plan *p =
        tu_plan_file(&t, repo_file(&t.arena, "azure-templates/versioned-api.json"), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->napis, 3);
    run_rows(p, versioned_file_rows, sizeof(versioned_file_rows) / sizeof(versioned_file_rows[0]));
    plan_free(p);
    tu_release(&t);
}

/* ---- many APIs ---- */

#define MANY 60

/* MANY APIs with paths p00 .. p59 and a few sharing prefixes (p1, p1/x),
 * checked against every path so the sorted lookup finds each one. */
static void test_many_apis(void)
{
    struct tu t;
    tu_init(&t);
    const char *text = HEAD;
    for (int i = 0; i < MANY; i++)
        text = arena_printf(&t.arena,
                            "%s" RES("apis", "api-%02d",
                                     "{`displayName`: `A%02d`, `path`: "
                                     "`p%02d`, `serviceUrl`: "
                                     "`https://b.example.com`, "
                                     "`subscriptionRequired`: false}")
                                OP("api-%02d", "op-%02d", "GET", "/{id}", P("id")),
                            text, i, i, i, i, i, i);
    text = arena_printf(&t.arena, "%s%s", text,
                        API("short", "p1", "") OP("short", "short-op", "GET", "/{id}", P("id"))
                            API("long", "p1/x", "") OP("long", "long-op", "GET", "/{id}", P("id"))
                                TAIL);
    struct plan *p = plan_of(&t, text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->napis, MANY + 2);
    struct row rows[MANY + 4];
    size_t n = 0;
    for (int i = MANY - 1; i >= 0; i--) {
        rows[n++] = (struct row)ROW("GET", arena_printf(&t.arena, "/P%02d/v%d", i, i), "", NULL,
                                    arena_printf(&t.arena, "api-%02d", i),
                                    arena_printf(&t.arena, "op-%02d", i),
                                    arena_printf(&t.arena, "id=v%d", i), NULL);
    }
    rows[n++] = (struct row)ROW("GET", "/p1/7", "", NULL, "short", "short-op", "id=7", NULL);
    rows[n++] = (struct row)ROW("GET", "/p1/x/7", "", NULL, "long", "long-op", "id=7", NULL);
    rows[n++] = (struct row)ROW("GET", "/p1/x", "", NULL, "long", NO_OPERATION, "", "");
    rows[n++] = (struct row)ROW("GET", "/p60/1", "", NULL, NO_API, "", "", NULL);
    run_rows(p, rows, n);
    plan_free(p);
    tu_release(&t);
}

/* Sibling segments past the point where a trie node indexes its edges
 * (plan_write.c): literal and pattern segments side by side, each operation
 * found, and a segment of no operation still none. */
static void test_many_operations(void)
{
    struct tu t;
    tu_init(&t);
    const char *text = arena_printf(&t.arena, "%s%s", HEAD, API("ops", "ops", ""));
    for (int i = 0; i < MANY; i++)
        text = arena_printf(&t.arena,
                            "%s" OP("ops", "lit-%02d", "GET", "/R%02d/{id}", P("id"))
                                OP("ops", "pat-%02d", "GET", "/f{name}-%02d", P("name")),
                            text, i, i, i, i, i, i);
    struct plan *p = plan_of(&t, arena_printf(&t.arena, "%s%s", text, TAIL));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->nops, 2 * MANY);
    struct row rows[2 * MANY + 1];
    size_t n = 0;
    for (int i = MANY - 1; i >= 0; i--) {
        rows[n++] = (struct row)ROW("GET", arena_printf(&t.arena, "/ops/r%02d/7", i), "", NULL,
                                    "ops", arena_printf(&t.arena, "lit-%02d", i), "id=7", NULL);
        rows[n++] = (struct row)ROW("GET", arena_printf(&t.arena, "/ops/fx-%02d", i), "", NULL,
                                    "ops", arena_printf(&t.arena, "pat-%02d", i), "name=x", NULL);
    }
    rows[n++] = (struct row)ROW("GET", "/ops/r99/7", "", NULL, "ops", NO_OPERATION, "", "/r99/7");
    run_rows(p, rows, n);
    plan_free(p);
    tu_release(&t);
}

/* ---- limits ---- */

/* More segments than the router keeps: no API, never a crash. */
static void test_too_many_segments(void)
{
    struct tu t;
    tu_init(&t);
    struct plan *p =
        plan_of(&t, HEAD API("echo", "echo", "") OP("echo", "any", "GET", "/*", "") TAIL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    /* ROUTER_MAX_SEGMENTS segments in all: echo and then s/s/.../s. */
    const char *star = "s";
    for (int i = 2; i < ROUTER_MAX_SEGMENTS; i++)
        star = arena_printf(&t.arena, "%s/s", star);
    const char *fits = arena_printf(&t.arena, "/echo/%s", star);
    struct row rows[] = {
        ROW("GET", fits, "", NULL, "echo", "any", arena_printf(&t.arena, "*=%s", star), NULL),
        ROW("GET", arena_printf(&t.arena, "%s/s", fits), "", NULL, NO_API, "", "", NULL),
    };
    run_rows(p, rows, 2);
    plan_free(p);
    tu_release(&t);
}

/* A long segment against patterns with several holes: the matcher neither
 * recurses per character nor backtracks without end (a 100 000-character
 * segment would overflow a recursive matcher's stack, and took seconds with
 * a backtracking one). */
static void test_long_pattern_segments(void)
{
    struct tu t;
    tu_init(&t);
    struct plan *p = plan_of(&t, HEAD API("f", "f", "")
                                     OP("f", "range", "GET", "/r/{a}-{b}.json", P("a") "," P("b"))
                                         OP("f", "other", "GET", "/r/{x}", P("x")) TAIL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);

    enum {
        LEN = 100000
    };

    char *dashes = arena_alloc(&t.arena, LEN + 1);
    memset(dashes, '-', LEN);
    dashes[LEN] = '\0';
    char *range = arena_alloc(&t.arena, LEN + 7);
    memset(range, 'a', LEN);
    memcpy(range + LEN, "-z.json", 7);
    range[LEN - 1] = 'b';
    struct row rows[] = {
        /* no ".json": the pattern fails, the plain parameter takes it */
        ROW("GET", arena_printf(&t.arena, "/f/r/%s", dashes), "", NULL, "f", "other",
            arena_printf(&t.arena, "x=%s", dashes), NULL),
        /* the first hole stops at the first '-' that lets the rest match */
        ROW("GET", arena_printf(&t.arena, "/f/r/%.*s", LEN + 7, range), "", NULL, "f", "range",
            arena_printf(&t.arena, "a=%.*s|b=z", LEN, range), NULL),
        ROW("GET", "/f/r/1-2-3.json", "", NULL, "f", "range", "a=1|b=2-3", NULL),
        ROW("GET", "/f/r/-2.json", "", NULL, "f", "other", "x=-2.json", NULL),
        ROW("GET", "/f/r/1-.json", "", NULL, "f", "other", "x=1-.json", NULL),
    };
    run_rows(p, rows, sizeof(rows) / sizeof(rows[0]));
    plan_free(p);
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "API paths: segment boundary, case, longest wins", test_api_paths },
    { "an API with an empty path", test_empty_api_path },
    { "operations: precedence, slashes, methods, encoding, query", test_operations },
    { "required query parameters", test_query_required },
    { "version sets: Segment, Query, Header", test_versions },
    { "revisions", test_revisions },
    { "versioned-api.json", test_versioned_api_file },
    { "many APIs", test_many_apis },
    { "many operations: indexed trie edges", test_many_operations },
    { "too many segments", test_too_many_segments },
    { "long segments against patterns", test_long_pattern_segments },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "router", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
