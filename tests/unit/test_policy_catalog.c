/* Unit tests for the policy catalog (policy_catalog.c, policies.def) and
 * the outline of policy documents (policy_scan.c): every row is well-formed
 * and found by name, the policies that refuse requests are flagged, and
 * the outline says which elements are policies, in which section, even in
 * rawxml with quotes and '<' inside expressions. */
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "policy_catalog.h"
#include "policy_scan.h"
#include "testutil.h"

/* ---- the catalog ---- */

static void test_rows_sorted_and_found(void)
{
    CU_ASSERT_EQUAL(POLICY_COUNT, 71); /* 72 rows of the reference, Dapr form folded in */
    for (int i = 0; i < POLICY_COUNT; i++) {
        const struct policy_info *p = policy_info((enum policy_id)i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p->name);
        if (i > 0)
            CU_ASSERT_TRUE(strcmp(policy_info((enum policy_id)(i - 1))->name, p->name) < 0);
        CU_ASSERT_EQUAL(policy_lookup(str_from_cstr(p->name)), (enum policy_id)i);
        CU_ASSERT_PTR_NOT_NULL(p->family);
    }
}

static void test_rows_sections_and_scopes(void)
{
    for (int i = 0; i < POLICY_COUNT; i++) {
        const struct policy_info *p = policy_info((enum policy_id)i);
        CU_ASSERT_EQUAL(p->sections & ~POLICY_ALL_SECTIONS, 0);
        CU_ASSERT_NOT_EQUAL(p->scopes, 0);
        /* Sections only where a normal scope is; resolver policies have none. */
        bool resolver = p->scopes == POLICY_SCOPE_RESOLVER;
        CU_ASSERT_EQUAL(p->sections == 0, resolver);
        char text[128];
        policy_format_sections(p->sections, text, sizeof(text));
        CU_ASSERT_TRUE(resolver ? strcmp(text, "none") == 0 : strstr(text, "none") == NULL);
    }
    CU_ASSERT_EQUAL(policy_info(POLICY_QUOTA)->scopes, (unsigned)POLICY_SCOPE_PRODUCT);
    CU_ASSERT_EQUAL(policy_info(POLICY_CROSS_DOMAIN)->scopes, (unsigned)POLICY_SCOPE_GLOBAL);
    CU_ASSERT_EQUAL(policy_info(POLICY_FORWARD_REQUEST)->sections, (unsigned)POLICY_BACKEND);
    CU_ASSERT_EQUAL(policy_info(POLICY_VALIDATE_HEADERS)->sections,
                    (unsigned)(POLICY_OUTBOUND | POLICY_ON_ERROR));
    CU_ASSERT_FALSE(policy_info(POLICY_VALIDATE_GRAPHQL_REQUEST)->scopes & POLICY_SCOPE_OPERATION);
    CU_ASSERT_TRUE(policy_info(POLICY_TRACE)->sections & POLICY_ON_ERROR);
}

static void test_fail_closed_set(void)
{
    static const char *const refusing[] = {
        "rate-limit",
        "rate-limit-by-key",
        "quota",
        "quota-by-key",
        "llm-token-limit",
        "azure-openai-token-limit",
        "limit-concurrency",
        "check-header",
        "ip-filter",
        "validate-jwt",
        "validate-azure-ad-token",
        "validate-client-certificate",
        "validate-content",
        "validate-parameters",
        "validate-headers",
        "validate-status-code",
        "validate-odata-request",
        "validate-graphql-request",
        "llm-content-safety",
    };
    size_t n = sizeof(refusing) / sizeof(refusing[0]), flagged = 0;
    for (size_t i = 0; i < n; i++) {
        enum policy_id id = policy_lookup(str_from_cstr(refusing[i]));
        CU_ASSERT_NOT_EQUAL_FATAL(id, POLICY_UNKNOWN);
        CU_ASSERT_TRUE(policy_info(id)->flags & POLICY_F_FAIL_CLOSED);
    }
    for (int i = 0; i < POLICY_COUNT; i++)
        flagged += (policy_info((enum policy_id)i)->flags & POLICY_F_FAIL_CLOSED) != 0;
    CU_ASSERT_EQUAL(flagged, n); /* and nothing else */
    CU_ASSERT_FALSE(policy_info(POLICY_RETURN_RESPONSE)->flags & POLICY_F_FAIL_CLOSED);
    CU_ASSERT_TRUE(policy_info(POLICY_LIMIT_CONCURRENCY)->flags & POLICY_F_CONTAINER);
    CU_ASSERT_TRUE(policy_info(POLICY_RETRY)->flags & POLICY_F_CONTAINER);
    CU_ASSERT_TRUE(policy_info(POLICY_CHOOSE)->flags & POLICY_F_BRANCHES);
}

static void test_lookup_and_suggest(void)
{
    CU_ASSERT_EQUAL(policy_lookup(STR_LIT("set-header")), POLICY_SET_HEADER);
    CU_ASSERT_EQUAL(policy_lookup(STR_LIT("Set-Header")), POLICY_UNKNOWN); /* XML is exact */
    CU_ASSERT_EQUAL(policy_lookup(STR_LIT("set-head")), POLICY_UNKNOWN);
    CU_ASSERT_EQUAL(policy_lookup(STR_LIT("")), POLICY_UNKNOWN);
    CU_ASSERT_EQUAL(policy_lookup(STR_LIT("zzz")), POLICY_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(policy_suggest(STR_LIT("validate-jwtt")), "validate-jwt");
    CU_ASSERT_STRING_EQUAL(policy_suggest(STR_LIT("rate-limt")), "rate-limit");
    CU_ASSERT_PTR_NULL(policy_suggest(STR_LIT("frobnicate-everything")));
    CU_ASSERT_EQUAL(policy_section_bit(STR_LIT("on-error")), (unsigned)POLICY_ON_ERROR);
    CU_ASSERT_EQUAL(policy_section_bit(STR_LIT("outbond")), 0);
    CU_ASSERT_STRING_EQUAL(policy_section_name(POLICY_BACKEND), "backend");
    CU_ASSERT_STRING_EQUAL(policy_scope_name(POLICY_SCOPE_API), "API");
    char text[64];
    policy_format_scopes(POLICY_SCOPE_PRODUCT | POLICY_SCOPE_OPERATION, text, sizeof(text));
    CU_ASSERT_STRING_EQUAL(text, "product, operation");
}

/* ---- the outline ---- */

/* Outlines text (backquotes for double quotes) and returns "name@section/
 * depth" of every policy, space-separated, with "!" after unknown ones. */
static const char *policies_of(struct tu *t, const char *text, struct policy_outline *o)
{
    char *s = arena_strdup(&t->arena, text);
    for (char *p = s; *p; p++)
        if (*p == '`')
            *p = '"';
    struct jval *v = jval_cstring(&t->arena, LOC_NONE, s);
    policy_scan(&t->arena, v, o);
    const char *out = "";
    for (const struct policy_element *e = o->elements; e; e = e->next)
        if (e->is_policy)
            out = arena_printf(&t->arena, "%s%s%.*s@%.*s/%u%s", out, *out ? " " : "",
                               STR_FMT(e->name), STR_FMT(e->section), e->depth,
                               e->policy == POLICY_UNKNOWN ? "!" : "");
    return out;
}

#define EXPECT_POLICIES(text, want)                                \
    do {                                                           \
        struct tu t_;                                              \
        struct policy_outline o_;                                  \
        tu_init(&t_);                                              \
        const char *got_ = policies_of(&t_, (text), &o_);          \
        CU_ASSERT_STRING_EQUAL(got_, (want));                      \
        CU_ASSERT_TRUE(o_.complete);                               \
        if (strcmp(got_, (want)) != 0)                             \
            fprintf(stderr, "\n got: %s\nwant: %s\n", got_, want); \
        tu_release(&t_);                                           \
    } while (0)

static void test_children_are_not_policies(void)
{
    EXPECT_POLICIES("<policies><inbound><base /><set-header name=`a`><value>x</value></set-header>"
                    "<validate-jwt header-name=`Authorization`><openid-config url=`u` />"
                    "<required-claims><claim name=`aud`><value>v</value></claim>"
                    "</required-claims></validate-jwt></inbound><backend><forward-request />"
                    "</backend></policies>",
                    "base@inbound/0 set-header@inbound/0 validate-jwt@inbound/0 "
                    "forward-request@backend/0");
}

static void test_containers_hold_policies(void)
{
    EXPECT_POLICIES("<policies><inbound><choose><when condition=`@(true)`><rate-limit calls=`1` "
                    "renewal-period=`1` /></when><otherwise><ip-filter action=`allow`><address>"
                    "1.2.3.4</address></ip-filter></otherwise></choose><retry condition=`@(true)` "
                    "count=`2` interval=`1`><send-request response-variable-name=`r`><set-url>u"
                    "</set-url></send-request></retry><limit-concurrency key=`k` max-count=`1`>"
                    "<frobnicate /></limit-concurrency></inbound></policies>",
                    "choose@inbound/0 rate-limit@inbound/2 ip-filter@inbound/2 retry@inbound/0 "
                    "send-request@inbound/1 limit-concurrency@inbound/0 frobnicate@inbound/1!");
}

static void test_rawxml_expressions(void)
{
    /* Quotes, '<' and '&&' inside expressions, in attributes and in text. */
    EXPECT_POLICIES("<policies><inbound><set-variable name=`x` value=`@(context.Request.Headers"
                    ".GetValueOrDefault(`a`, ``).Length < 3 && true)` /><set-body>@{ var s = "
                    "`<b>`; if (s.Length < 4) { return `</set-body>`; } return s; }</set-body>"
                    "<set-header name=`y`><value>1 < 2</value></set-header></inbound>"
                    "</policies>",
                    "set-variable@inbound/0 set-body@inbound/0 set-header@inbound/0");
}

static void test_fragments_and_unreadable(void)
{
    EXPECT_POLICIES("<fragment><rate-limit-by-key calls=`1` renewal-period=`1` counter-key=`k` />"
                    "<!-- <validate-jwt /> --></fragment>",
                    "rate-limit-by-key@/0");
    struct tu t;
    struct policy_outline o;
    tu_init(&t);
    /* The reader reads on after a syntax error (reported by policy_xml):
     * an unquoted value is still a value, a second root is left out. */
    CU_ASSERT_STRING_EQUAL(
        policies_of(&t, "<policies><inbound><set-header name=x /></inbound></policies>", &o),
        "set-header@inbound/0");
    CU_ASSERT_TRUE(o.complete);
    CU_ASSERT_TRUE(str_eq(policy_attr_literal(o.elements->next->next, "name"), STR_LIT("x")));
    CU_ASSERT_STRING_EQUAL(policies_of(&t, "<policies></policies><policies />", &o), "");
    CU_ASSERT_TRUE(o.complete);
    CU_ASSERT_PTR_NULL(o.elements->next); /* two roots: the first only */
    /* What ends the reading still ends the outline: nesting past the cap. */
    const char *deep = "<policies><inbound>";
    for (int i = 0; i < 200; i++)
        deep = arena_printf(&t.arena, "%s<retry>", deep);
    (void)policies_of(&t, deep, &o);
    CU_ASSERT_FALSE(o.complete);
    CU_ASSERT_EQUAL(o.stop, strlen("<policies><inbound>") + 7 * 126);
    (void)policies_of(&t, "", &o);
    CU_ASSERT_TRUE(o.complete);
    CU_ASSERT_PTR_NULL(o.elements);
    tu_release(&t);
}

/* A body's unclosed <br> or stray </p> does not move the elements after it:
 * <value> stays a child of set-header, rate-limit stays a policy. */
static void test_unbalanced_text_tags(void)
{
    EXPECT_POLICIES("<policies><inbound><return-response><set-body><html>a<br>b</p></html>"
                    "</set-body></return-response><rate-limit calls=`1` renewal-period=`1` />"
                    "<cors><allowed-origins><origin>*</origin></allowed-origins></cors>"
                    "</inbound><outbound></x></y><set-header name=`a`><value>v</value>"
                    "</set-header></outbound></policies>",
                    "return-response@inbound/0 rate-limit@inbound/0 cors@inbound/0 "
                    "set-header@outbound/0");
}

/* Liquid bodies: [content, closing tag) of each <set-body template="liquid">,
 * in order; other set-body elements are not Liquid. */
static void test_liquid_bodies(void)
{
    struct tu t;
    struct policy_outline o;
    tu_init(&t);
    const char *text = "<policies><inbound><set-body template=`liquid`>{{body.a}}</set-body>"
                       "<set-body>{{nv}}</set-body><set-body template=`LIQUID`><x>{% if y %}"
                       "</x></set-body></inbound></policies>";
    (void)policies_of(&t, text, &o);
    const struct policy_element *cursor = o.elements;
    size_t start = 0, end = 0;
    CU_ASSERT_TRUE(policy_liquid_next(&cursor, 0, &start, &end));
    CU_ASSERT_EQUAL(start, strlen("<policies><inbound><set-body template=`liquid`>"));
    CU_ASSERT_EQUAL(end - start, strlen("{{body.a}}"));
    CU_ASSERT_TRUE(policy_liquid_next(&cursor, end, &start, &end));
    CU_ASSERT_EQUAL(end - start, strlen("<x>{% if y %}</x>"));
    CU_ASSERT_FALSE(policy_liquid_next(&cursor, end, &start, &end));
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "rows sorted, found by name", test_rows_sorted_and_found },
    { "rows: sections and scopes", test_rows_sections_and_scopes },
    { "policies that refuse requests", test_fail_closed_set },
    { "lookup and did-you-mean", test_lookup_and_suggest },
    { "outline: children are not policies", test_children_are_not_policies },
    { "outline: containers hold policies", test_containers_hold_policies },
    { "outline: rawxml expressions", test_rawxml_expressions },
    { "outline: fragments, unreadable text", test_fragments_and_unreadable },
    { "outline: unbalanced tags in text", test_unbalanced_text_tags },
    { "outline: Liquid bodies", test_liquid_bodies },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "policy catalog", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
