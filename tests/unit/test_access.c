/* Unit tests for subscription decisions (runtime/access.c): where the key is
 * read from (access_key) and what it grants (access_check), as a table of
 * requests against an inline template with every kind of scope, state and
 * product, and against azure-templates/echo-api.json. The rules are API
 * Management's (reference/apim-facts.md 2.1): a key, when given, must be a
 * key of an active subscription for this API, else 401 invalid, even where
 * no key is needed; without one, an open product or the API's own
 * subscriptionRequired=false lets the call through, else 401 missing. */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "cunit_run.h"
#include "gateway_templates.h"
#include "testutil.h"

#define AV   GT_AV
#define HEAD GT_HEAD
#define TAIL GT_TAIL
#define RES  GT_RES

#define API(id, path, more)                                            \
    RES("apis", id,                                                    \
        "{`displayName`: `" id "`, `path`: `" path "`, `serviceUrl`: " \
        "`https://backend.example.com/" id "`, `protocols`: [`https`]" more "}")

#define PRODUCT(id, required)                                              \
    RES("products", id,                                                    \
        "{`displayName`: `" id "`, `subscriptionRequired`: " required ", " \
        "`state`: `published`}")

#define LINK(product, api) RES("products/apis", product "/" api, "{}")

/* A subscription; state is "" for none, else ", `state`: `...`". */
#define SUB(id, scope, keys, state) \
    RES("subscriptions", id, "{`displayName`: `" id "`, `scope`: `" scope "`" keys state "}")

#define KEYS(primary, secondary) ", `primaryKey`: `" primary "`, `secondaryKey`: `" secondary "`"
#define ACTIVE                   ", `state`: `active`"
#define STATE(s)                 ", `state`: `" s "`"

static const char *const access_parts[] = {
    /* APIs: key required (the default), not required, custom key names, in
     * an open product only, and in no product at all. */
    API("closed-api", "closed", ""),
    API("closed-api;rev=2", "closed", ", `apiRevision`: `2`"),
    API("open-api", "open", ", `subscriptionRequired`: false"),
    API("custom-api", "custom",
        ", `subscriptionKeyParameterNames`: {`header`: `X-Api-Key`, `query`: `apikey`}"),
    API("free-api", "free", ", `subscriptionRequired`: true"),
    API("other-api", "other", ""),
    PRODUCT("gold", "true"),
    PRODUCT("free", "false"),
    LINK("gold", "closed-api"),
    LINK("gold", "custom-api"),
    LINK("gold", "open-api"),
    LINK("free", "free-api"),
    SUB("all-apis", "/apis", KEYS("all-primary", "all-secondary"), ACTIVE),
    SUB("service-wide", "[resourceId('Microsoft.ApiManagement/service', parameters('svc'))]",
        KEYS("service-primary", "service-secondary"), ACTIVE),
    SUB("closed-sub", "/apis/closed-api", KEYS("closed-key-1", "closed-key-2"), ACTIVE),
    SUB("gold-sub", "/products/gold", KEYS("gold-key", "gold-key-2"), ACTIVE),
    SUB("free-sub", "/products/free", KEYS("free-key", "free-key-2"), ACTIVE),
    SUB("submitted-sub", "/apis", KEYS("submitted-key", "submitted-key-2"), STATE("submitted")),
    SUB("suspended-sub", "/apis", KEYS("suspended-key", "suspended-key-2"), STATE("suspended")),
    SUB("expired-sub", "/apis", KEYS("expired-key", "expired-key-2"), STATE("expired")),
    SUB("cancelled-sub", "/apis", KEYS("cancelled-key", "cancelled-key-2"), STATE("cancelled")),
    SUB("rejected-sub", "/apis", KEYS("rejected-key", "rejected-key-2"), STATE("rejected")),
    /* A subscription created without a state is "submitted" (REST default). */
    SUB("stateless-sub", "/apis", KEYS("stateless-key", "stateless-key-2"), ""),
    NULL,
};

/* The built-in all-access subscription's keys are generated: rows name
 * them with these markers and the runner substitutes the real keys. */
#define MASTER_PRIMARY   "(master primary)"
#define MASTER_SECONDARY "(master secondary)"

#define NONE "(none)"

/* One request for api (id, or "id;rev=N"): a key header line, a raw query,
 * the decision, the subscription and the product it must give. */
struct row {
    unsigned line;
    const char *api;
    const char *header; /* "Name: value" or NULL */
    const char *query;
    enum access_result result;
    const char *sub, *product; /* ids or NONE */
};

#define ROW(api, header, query, result, sub, product)      \
    {                                                      \
        __LINE__, api, header, query, result, sub, product \
    }

static const char *const result_names[] = { "granted", "missing key", "invalid key" };

/* ---- helpers ---- */

static void report(bool ok, unsigned line, const char *what, const char *got, const char *want)
{
    char msg[1024];
    snprintf(msg, sizeof(msg), "row at line %u: %.200s => %.200s (want %.200s)", line, what, got,
             want);
    CU_assertImplementation(ok, line, msg, __FILE__, "", CU_FALSE);
}

static const char *repo_file(struct arena *a, const char *rel)
{
    const char *at = strstr(__FILE__, "tests/unit/");
    int n = at ? (int)(at - __FILE__) : 0;
    return arena_printf(a, "%.*s%s", n, __FILE__, rel);
}

static const char *join(struct arena *a, const char *const *parts)
{
    const char *text = HEAD;
    for (size_t i = 0; parts[i]; i++)
        text = arena_printf(a, "%s%s", text, parts[i]);
    return arena_printf(a, "%s%s", text, TAIL);
}

static uint32_t api_index(const struct plan *p, const char *name)
{
    const char *semi = strchr(name, ';');
    size_t idlen = semi ? (size_t)(semi - name) : strlen(name);
    uint32_t rev = semi ? (uint32_t)(semi[5] - '0') : 1;
    for (uint32_t i = 0; i < p->napis; i++)
        if (p->apis[i].id.len == idlen && memcmp(p->apis[i].id.ptr, name, idlen) == 0 &&
            p->apis[i].revision == rev)
            return i;
    return PLAN_NONE;
}

static const struct plan_subscription *master(const struct plan *p)
{
    for (size_t i = 0; i < p->nsubs; i++)
        if (p->subs[i].flags & PLAN_SUB_BUILT_IN)
            return &p->subs[i];
    return NULL;
}

/* Substitutes the master's keys for the markers in text. */
static const char *real_keys(struct arena *a, const struct plan *p, const char *text)
{
    const struct plan_subscription *m = master(p);
    const char *marks[] = { MASTER_PRIMARY, MASTER_SECONDARY };
    for (int k = 0; k < 2 && m; k++) {
        const char *at = strstr(text, marks[k]);
        struct str key = k ? m->secondary_key : m->primary_key;
        if (at)
            text = arena_printf(a, "%.*s%.*s%s", (int)(at - text), text, STR_FMT(key),
                                at + strlen(marks[k]));
    }
    return text;
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

static void check_row(const struct access *ac, const struct plan *p, const struct row *w)
{
    struct arena a;
    arena_init(&a, 4096);
    struct gw_request req = { .arena = &a };
    req.method = STR_LIT("GET");
    req.raw_path = STR_LIT("/");
    req.raw_query = str_from_cstr(real_keys(&a, p, w->query));
    if (w->header)
        add_header(&req, real_keys(&a, p, w->header));
    const char *what =
        arena_printf(&a, "%s [%s] ?%s", w->api, w->header ? w->header : "", w->query);
    uint32_t api = api_index(p, w->api);
    report(api != PLAN_NONE, w->line, what, "no such API", w->api);
    if (api == PLAN_NONE) {
        arena_release(&a);
        return;
    }
    bool present;
    struct str key = access_key(p, api, &req, &present);
    struct access_decision d;
    access_check(ac, api, key, present, &d);
    report(d.result == w->result, w->line, what, result_names[d.result], result_names[w->result]);
    const char *sub = d.subscription == PLAN_NONE
                          ? NONE
                          : arena_printf(&a, "%.*s", STR_FMT(p->subs[d.subscription].id));
    report(strcmp(sub, w->sub) == 0, w->line, what, sub, w->sub);
    const char *product = d.product == PLAN_NONE
                              ? NONE
                              : arena_printf(&a, "%.*s", STR_FMT(p->products[d.product].id));
    report(strcmp(product, w->product) == 0, w->line, what, product, w->product);
    arena_release(&a);
}

static void run_rows(const struct plan *p, const struct row *rows, size_t n)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    struct access *ac = access_new(p);
    for (size_t i = 0; i < n; i++)
        check_row(ac, p, &rows[i]);
    access_free(ac);
}

static struct plan *plan_of(struct tu *t, const char *text)
{
    struct plan *p = tu_plan(t, text, NULL);
    if (p == NULL)
        fprintf(stderr, "%s\n", tu_text(t));
    return p;
}

#define KEY(v)  "Ocp-Apim-Subscription-Key: " v
#define QKEY(v) "subscription-key=" v

#define GRANTED ACCESS_GRANTED
#define MISSING ACCESS_NO_KEY
#define INVALID ACCESS_BAD_KEY

/* ---- the decisions ---- */

static const struct row rows[] = {
    /* Where the key is: the header, else the query parameter. */
    ROW("closed-api", NULL, "", MISSING, NONE, NONE),
    ROW("closed-api", KEY("closed-key-1"), "", GRANTED, "closed-sub", NONE),
    ROW("closed-api", "ocp-apim-subscription-key: closed-key-1", "", GRANTED, "closed-sub", NONE),
    ROW("closed-api", NULL, QKEY("closed-key-1"), GRANTED, "closed-sub", NONE),
    ROW("closed-api", NULL, "a=1&" QKEY("closed-key-1") "&b=2", GRANTED, "closed-sub", NONE),
    ROW("closed-api", NULL, "subscription-key=closed%2Dkey%2D1", GRANTED, "closed-sub", NONE),
    ROW("closed-api", NULL, "subscription-keys=closed-key-1", MISSING, NONE, NONE),
    /* The query is looked at only when the header is absent. */
    ROW("closed-api", KEY("wrong"), QKEY("closed-key-1"), INVALID, NONE, NONE),
    ROW("closed-api", KEY("closed-key-1"), QKEY("wrong"), GRANTED, "closed-sub", NONE),
    ROW("closed-api", KEY(""), QKEY("closed-key-1"), MISSING, NONE, NONE),
    /* An empty key is no key. */
    ROW("closed-api", KEY(""), "", MISSING, NONE, NONE),
    ROW("closed-api", NULL, QKEY(""), MISSING, NONE, NONE),
    ROW("closed-api", NULL, "subscription-key", MISSING, NONE, NONE),
    ROW("open-api", KEY(""), "", GRANTED, NONE, NONE),
    /* Primary and secondary keys. */
    ROW("closed-api", KEY("closed-key-2"), "", GRANTED, "closed-sub", NONE),
    ROW("closed-api", KEY("all-primary"), "", GRANTED, "all-apis", NONE),
    ROW("closed-api", KEY("all-secondary"), "", GRANTED, "all-apis", NONE),
    /* Scopes: all APIs (/apis, the service's id, the built-in master), one
     * API with all its revisions, a product holding the API. Product-scoped
     * keys run the call in that product; the others in none. */
    ROW("other-api", KEY("all-primary"), "", GRANTED, "all-apis", NONE),
    ROW("other-api", KEY("service-primary"), "", GRANTED, "service-wide", NONE),
    ROW("other-api", KEY("service-secondary"), "", GRANTED, "service-wide", NONE),
    ROW("other-api", KEY(MASTER_PRIMARY), "", GRANTED, "master", NONE),
    ROW("closed-api", NULL, QKEY(MASTER_SECONDARY), GRANTED, "master", NONE),
    ROW("closed-api;rev=2", KEY("closed-key-1"), "", GRANTED, "closed-sub", NONE),
    ROW("other-api", KEY("closed-key-1"), "", INVALID, NONE, NONE),
    ROW("closed-api", KEY("gold-key"), "", GRANTED, "gold-sub", "gold"),
    ROW("closed-api", KEY("gold-key-2"), "", GRANTED, "gold-sub", "gold"),
    ROW("closed-api;rev=2", KEY("gold-key"), "", GRANTED, "gold-sub", "gold"),
    ROW("other-api", KEY("gold-key"), "", INVALID, NONE, NONE),
    ROW("free-api", KEY("gold-key"), "", INVALID, NONE, NONE),
    ROW("closed-api", KEY("free-key"), "", INVALID, NONE, NONE),
    /* Only an active subscription's key grants anything. */
    ROW("closed-api", KEY("submitted-key"), "", INVALID, NONE, NONE),
    ROW("closed-api", KEY("suspended-key"), "", INVALID, NONE, NONE),
    ROW("closed-api", KEY("expired-key-2"), "", INVALID, NONE, NONE),
    ROW("closed-api", KEY("cancelled-key"), "", INVALID, NONE, NONE),
    ROW("closed-api", KEY("rejected-key"), "", INVALID, NONE, NONE),
    ROW("closed-api", KEY("stateless-key"), "", INVALID, NONE, NONE),
    ROW("open-api", KEY("suspended-key"), "", INVALID, NONE, NONE),
    /* No key needed: the API's own subscriptionRequired=false (even when a
     * product that requires one holds it), or an open product holding the
     * API, which the call then runs in. */
    ROW("open-api", NULL, "", GRANTED, NONE, NONE),
    ROW("free-api", NULL, "", GRANTED, NONE, "free"),
    ROW("other-api", NULL, "", MISSING, NONE, NONE),
    /* A key given where none is needed must still be valid: API Management
     * checks every key it is given (apim-facts.md 2.1, "With a key"). */
    ROW("open-api", KEY("wrong"), "", INVALID, NONE, NONE),
    ROW("open-api", NULL, QKEY("wrong"), INVALID, NONE, NONE),
    ROW("free-api", KEY("wrong"), "", INVALID, NONE, NONE),
    ROW("open-api", KEY("gold-key"), "", GRANTED, "gold-sub", "gold"),
    ROW("open-api", KEY("all-primary"), "", GRANTED, "all-apis", NONE),
    ROW("free-api", KEY("free-key"), "", GRANTED, "free-sub", "free"),
    /* Keys are compared exactly: case, prefixes, extensions, spaces. */
    ROW("closed-api", KEY("CLOSED-KEY-1"), "", INVALID, NONE, NONE),
    ROW("closed-api", KEY("closed-key-"), "", INVALID, NONE, NONE),
    ROW("closed-api", KEY("closed-key-10"), "", INVALID, NONE, NONE),
    ROW("closed-api", KEY("closed-key-1 "), "", INVALID, NONE, NONE),
    ROW("closed-api", KEY("all"), "", INVALID, NONE, NONE),
    /* API-specific key names replace the defaults, header and query. */
    ROW("custom-api", "X-Api-Key: gold-key", "", GRANTED, "gold-sub", "gold"),
    ROW("custom-api", "x-api-key: gold-key", "", GRANTED, "gold-sub", "gold"),
    ROW("custom-api", NULL, "apikey=gold-key", GRANTED, "gold-sub", "gold"),
    ROW("custom-api", KEY("gold-key"), "", MISSING, NONE, NONE),
    ROW("custom-api", NULL, QKEY("gold-key"), MISSING, NONE, NONE),
    ROW("custom-api", "X-Api-Key: wrong", "apikey=gold-key", INVALID, NONE, NONE),
};

static void test_decisions(void)
{
    struct tu t;
    tu_init(&t);
    struct plan *p = plan_of(&t, join(&t.arena, access_parts));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    /* The master subscription is there, all-access, active, with keys. */
    const struct plan_subscription *m = master(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(m->scope_kind, PLAN_SCOPE_ALL);
    CU_ASSERT_EQUAL(m->state, PLAN_SUB_ACTIVE);
    CU_ASSERT(m->primary_key.len > 0 && m->secondary_key.len > 0);
    CU_ASSERT(!str_eq(m->primary_key, m->secondary_key));
    run_rows(p, rows, sizeof(rows) / sizeof(rows[0]));
    plan_free(p);
    tu_release(&t);
}

/* access_key itself: the value and whether it counts as given. */
static void test_access_key(void)
{
    struct tu t;
    tu_init(&t);
    struct plan *p = plan_of(&t, join(&t.arena, access_parts));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    uint32_t closed = api_index(p, "closed-api"), custom = api_index(p, "custom-api");
    CU_ASSERT_NOT_EQUAL_FATAL(closed, PLAN_NONE);
    CU_ASSERT_NOT_EQUAL_FATAL(custom, PLAN_NONE);
    struct arena a;
    arena_init(&a, 4096);
    struct gw_request req = { .arena = &a };
    bool present = true;
    req.raw_query = STR_LIT("");
    struct str k = access_key(p, closed, &req, &present);
    CU_ASSERT_FALSE(present);
    CU_ASSERT_EQUAL(k.len, 0);

    req.raw_query = STR_LIT("x=1&subscription-key=a%20b&subscription-key=second");
    k = access_key(p, closed, &req, &present);
    CU_ASSERT_TRUE(present);
    CU_ASSERT_TRUE(str_eq(k, STR_LIT("a b")));

    add_header(&req, "Ocp-Apim-Subscription-Key: from-header");
    add_header(&req, "Ocp-Apim-Subscription-Key: second-header");
    k = access_key(p, closed, &req, &present);
    CU_ASSERT_TRUE(present);
    CU_ASSERT_TRUE(str_eq(k, STR_LIT("from-header")));

    /* The custom API looks at neither default name. */
    k = access_key(p, custom, &req, &present);
    CU_ASSERT_FALSE(present);
    req.raw_query = STR_LIT("apikey=q");
    k = access_key(p, custom, &req, &present);
    CU_ASSERT_TRUE(present);
    CU_ASSERT_TRUE(str_eq(k, STR_LIT("q")));
    arena_release(&a);
    plan_free(p);
    tu_release(&t);
}

/* ---- azure-templates/echo-api.json ---- */

static const struct row echo_rows[] = {
    ROW("echo-api", NULL, "", MISSING, NONE, NONE),
    ROW("echo-api", KEY("starter-primary-key-0001"), "", GRANTED, "starter-subscription",
        "starter"),
    ROW("echo-api", NULL, QKEY("starter-primary-key-0001"), GRANTED, "starter-subscription",
        "starter"),
    ROW("echo-api", KEY("echo-api-primary-key-0001"), "", GRANTED, "echo-api-subscription", NONE),
    ROW("echo-api", KEY(MASTER_PRIMARY), "", GRANTED, "master", NONE),
    ROW("echo-api", KEY("starter-primary-key-000"), "", INVALID, NONE, NONE),
    ROW("echo-api", KEY("Starter-primary-key-0001"), "", INVALID, NONE, NONE),
};

static void test_echo_api_file(void)
{
    struct tu t;
    tu_init(&t);
    static const char *const params[] = { "backendUrl=http://127.0.0.1:5000", NULL };
    struct plan *p = tu_plan_file(&t, repo_file(&t.arena, "azure-templates/echo-api.json"), params);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->nsubs, 3);
    run_rows(p, echo_rows, sizeof(echo_rows) / sizeof(echo_rows[0]));
    /* The secondary keys were not in the template: generated, and they work. */
    for (size_t i = 0; i < p->nsubs; i++) {
        if (p->subs[i].flags & PLAN_SUB_BUILT_IN)
            continue;
        CU_ASSERT_TRUE(p->subs[i].flags & PLAN_SUB_GENERATED_KEYS);
        struct access *ac = access_new(p);
        struct access_decision d;
        access_check(ac, api_index(p, "echo-api"), p->subs[i].secondary_key, true, &d);
        CU_ASSERT_EQUAL(d.result, ACCESS_GRANTED);
        CU_ASSERT_EQUAL(d.subscription, (uint32_t)i);
        access_free(ac);
    }
    plan_free(p);
    tu_release(&t);
}

/* A plan with no subscriptions of its own still has the master's key, and
 * unknown keys find nothing in the near-empty table. */
static void test_only_master(void)
{
    struct tu t;
    tu_init(&t);
    struct plan *p = plan_of(&t, HEAD API("a", "a", "") TAIL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->nsubs, 1);
    struct access *ac = access_new(p);
    struct access_decision d;
    access_check(ac, 0, STR_LIT("anything"), true, &d);
    CU_ASSERT_EQUAL(d.result, ACCESS_BAD_KEY);
    CU_ASSERT_EQUAL(d.subscription, PLAN_NONE);
    access_check(ac, 0, STR_NULL, false, &d);
    CU_ASSERT_EQUAL(d.result, ACCESS_NO_KEY);
    access_check(ac, 0, master(p)->primary_key, true, &d);
    CU_ASSERT_EQUAL(d.result, ACCESS_GRANTED);
    CU_ASSERT_EQUAL(d.subscription, 0);
    access_free(ac);
    plan_free(p);
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "decisions: key places, scopes, states, open APIs and products", test_decisions },
    { "access_key", test_access_key },
    { "echo-api.json", test_echo_api_file },
    { "only the master subscription", test_only_master },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "access", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
