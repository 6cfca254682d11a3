/* Unit tests for what the local gateway does with a model (gateway_check.c)
 * and how the plan carries it: policies reported as not applied (APIM6001),
 * and operations that fail closed (APIM6005) because their effective policy
 * (global, product, API, operation composed through <base />) holds a policy
 * that refuses requests. The plan's flags are read back through
 * plan_closed_reason, as the gateway reads them for every request. */
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "gateway_check.h"
#include "testutil.h"

#define HEAD                                                                               \
    "{`$schema`: "                                                                         \
    "`https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#`,\n" \
    " `contentVersion`: `1.0.0.0`,\n"                                                      \
    " `resources`: [\n"                                                                    \
    "{`type`: `Microsoft.ApiManagement/service`, `apiVersion`: `2024-05-01`, "             \
    "`name`: `svc`, `location`: `eastus`, `sku`: {`name`: `Developer`, `capacity`: 1}, "   \
    "`properties`: {`publisherEmail`: `a@contoso.com`, `publisherName`: `Contoso`}},\n"    \
    "{`type`: `Microsoft.ApiManagement/service/apis`, `apiVersion`: `2024-05-01`, "        \
    "`name`: `svc/a`, `properties`: {`path`: `a`, `serviceUrl`: `http://127.0.0.1:1`}},\n" \
    "{`type`: `Microsoft.ApiManagement/service/apis/operations`, `apiVersion`: "           \
    "`2024-05-01`, `name`: `svc/a/one`, `properties`: {`displayName`: `one`, `method`: "   \
    "`GET`, `urlTemplate`: `/one`}},\n"                                                    \
    "{`type`: `Microsoft.ApiManagement/service/apis/operations`, `apiVersion`: "           \
    "`2024-05-01`, `name`: `svc/a/two`, `properties`: {`displayName`: `two`, `method`: "   \
    "`GET`, `urlTemplate`: `/two`}}"

#define TAIL "\n]}"

/* A policy resource: type after service/, name after svc/, the XML. */
#define POLICY(type, name, xml)                                                            \
    ",\n{`type`: `Microsoft.ApiManagement/service/" type "`, `apiVersion`: `2024-05-01`, " \
    "`name`: `svc/" name "`, `properties`: {`format`: `rawxml`, `value`: `" xml "`}}"

#define PRODUCT(id, open)                                                                    \
    ",\n{`type`: `Microsoft.ApiManagement/service/products`, `apiVersion`: `2024-05-01`, "   \
    "`name`: `svc/" id "`, `properties`: {`displayName`: `" id "`, "                         \
    "`subscriptionRequired`: " open ", `state`: `published`}},\n"                            \
    "{`type`: `Microsoft.ApiManagement/service/products/apis`, `apiVersion`: `2024-05-01`, " \
    "`name`: `svc/" id "/a`}"

#define DOC(inbound)                                                                        \
    "<policies><inbound>" inbound "</inbound><backend><base /></backend><outbound><base />" \
    "</outbound><on-error><base /></on-error></policies>"

#define JWT                                                     \
    "<validate-jwt header-name='Authorization'><openid-config " \
    "url='https://login.example.com/.well-known/openid-configuration' /></validate-jwt>"

static const struct model_operation *op_named(const struct tu *t, const char *id)
{
    for (const struct model_operation *op = t->model.services->apis->ops; op; op = op->next)
        if (strcmp(op->id, id) == 0)
            return op;
    return NULL;
}

/* Compiles HEAD + extra + TAIL, expecting that many errors (an
 * expression where Azure takes none still reaches the gateway's checks),
 * then gateway_check. */
static void check_errors(struct tu *t, const char *extra, bool allow, unsigned expected)
{
    tu_init(t);
    const char *text = arena_printf(&t->arena, "%s%s%s", HEAD, extra, TAIL);
    unsigned errors = tu_template(t, text, NULL);
    if (errors != expected)
        fprintf(stderr, "\n%s", tu_text(t));
    CU_ASSERT_EQUAL_FATAL(errors, expected);
    gateway_check(&t->model, allow);
}

static void check(struct tu *t, const char *extra, bool allow)
{
    check_errors(t, extra, allow, 0);
}

static void test_api_scope_closes_every_operation(void)
{
    struct tu t;
    check(&t, POLICY("apis/policies", "a/policy", DOC("<base />" JWT)), false);
    const struct model_operation *one = op_named(&t, "one"), *two = op_named(&t, "two");
    CU_ASSERT_TRUE(one->closed && two->closed);
    CU_ASSERT_STRING_EQUAL(one->closed_why,
                           "policy 'validate-jwt' at API scope is not applied locally");
    /* One cause, one finding: both operations in one diagnostic. */
    CU_ASSERT_EQUAL(tu_count(&t, DC_FAILS_CLOSED), 1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_POLICY_NOT_APPLIED), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_FAILS_CLOSED,
                          "operations 'one', 'two' of API 'a' fail closed: policy "
                          "'validate-jwt' at API scope"));
    tu_release(&t);
}

static void test_operation_without_base_drops_the_api(void)
{
    struct tu t;
    check(&t,
          POLICY("apis/policies", "a/policy", DOC("<base />" JWT))
              POLICY("apis/operations/policies", "a/one/policy",
                     DOC("<set-backend-service base-url='http://127.0.0.1:2' />")),
          false);
    const struct model_operation *one = op_named(&t, "one"), *two = op_named(&t, "two");
    CU_ASSERT_FALSE(one->closed || one->closed_bare);
    CU_ASSERT_EQUAL(one->reach, POLICY_ALL_SECTIONS & ~(unsigned)POLICY_INBOUND);
    CU_ASSERT_TRUE(two->closed);
    CU_ASSERT_EQUAL(tu_count(&t, DC_FAILS_CLOSED), 1);
    /* set-backend-service with a literal base-url is applied: not reported. */
    CU_ASSERT_EQUAL(tu_count(&t, DC_POLICY_NOT_APPLIED), 1);
    tu_release(&t);
}

static void test_missing_section_inherits(void)
{
    struct tu t;
    check(&t,
          POLICY("apis/policies", "a/policy", DOC("<base />" JWT)) POLICY(
              "apis/operations/policies", "a/one/policy", "<policies><outbound /></policies>"),
          false);
    CU_ASSERT_TRUE(op_named(&t, "one")->closed); /* no <inbound>: failing safe, it inherits */
    CU_ASSERT_EQUAL(op_named(&t, "one")->reach, POLICY_ALL_SECTIONS & ~(unsigned)POLICY_OUTBOUND);
    tu_release(&t);
}

static void test_global_and_products(void)
{
    struct tu t;
    /* Global ip-filter; product p1 adds rate-limit; product p2 drops the
     * global inbound (no <base />). */
    check(&t,
          POLICY("policies", "policy",
                 DOC("<ip-filter action='allow'><address>10.0.0.1</address></ip-filter>"))
              PRODUCT("p1", "true") PRODUCT("p2", "true")
                  POLICY("products/policies", "p1/policy",
                         DOC("<base /><rate-limit calls='1' renewal-period='60' />"))
                      POLICY("products/policies", "p2/policy",
                             DOC("<set-header name='x'><value>y</value></set-header>")),
          false);
    const struct model_operation *one = op_named(&t, "one");
    CU_ASSERT_FALSE(one->closed);
    CU_ASSERT_TRUE(one->closed_bare);
    CU_ASSERT_STRING_EQUAL(one->closed_why,
                           "policy 'ip-filter' at global scope is not applied locally");
    const struct model_product *p1 = t.model.services->products, *p2 = p1->next;
    CU_ASSERT_EQUAL(p1->closed, (unsigned)POLICY_INBOUND);
    CU_ASSERT_STRING_EQUAL(p1->closed_why[0],
                           "policy 'rate-limit' at product scope is not applied locally");
    CU_ASSERT_EQUAL(p2->closed, 0);
    CU_ASSERT_TRUE(tu_has(&t, DC_FAILS_CLOSED,
                          "fail closed without a product or under product "
                          "'p1': policy 'ip-filter' at global scope"));
    tu_release(&t);
}

static void test_plan_flags(void)
{
    struct tu t;
    tu_init(&t);
    const char *text = arena_printf(
        &t.arena, "%s%s%s", HEAD,
        POLICY("policies", "policy",
               DOC("<check-header name='k' failed-check-httpcode='401' "
                   "failed-check-error-message='no' ignore-case='true' />")) PRODUCT("p1", "true")
            PRODUCT("p2", "true") POLICY("products/policies", "p1/policy",
                                         DOC("<base /><quota calls='1' renewal-period='60' />"))
                POLICY("products/policies", "p2/policy", DOC(""))
                    POLICY("apis/operations/policies", "a/two/policy",
                           "<policies><inbound><base /></inbound><backend /><outbound />"
                           "<on-error /></policies>"),
        TAIL);
    struct plan *p = tu_plan(&t, text, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    uint32_t one = 0, two = 1, p1 = 0, p2 = 1;
    CU_ASSERT_EQUAL(p->ops[one].flags & (PLAN_OP_CLOSED | PLAN_OP_CLOSED_BARE),
                    (uint32_t)PLAN_OP_CLOSED_BARE);
    CU_ASSERT_EQUAL(p->ops[one].reach, PLAN_SECTION_MASK);
    CU_ASSERT_EQUAL(p->ops[two].reach, 1u);
    CU_ASSERT_PTR_NOT_NULL(plan_closed_reason(p, one, PLAN_NONE));
    CU_ASSERT_PTR_NOT_NULL(plan_closed_reason(p, one, p1)); /* quota, and global through base */
    CU_ASSERT_PTR_NULL(plan_closed_reason(p, one, p2));     /* p2 drops the global inbound */
    const struct str *why = plan_closed_reason(p, two, p1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(why);
    CU_ASSERT_TRUE(str_eq(*why, STR_LIT("policy 'quota' at product scope is not applied locally")));
    CU_ASSERT_EQUAL(p->products[p1].closed, 1u);
    CU_ASSERT_EQUAL(p->products[p2].closed, 0u);
    CU_ASSERT_EQUAL(p->service.flags, 0u);
    plan_free(p);
    tu_release(&t);
}

static void test_fragments_links_and_unknown_text(void)
{
    struct tu t;
    /* fragment-id takes no expression (APIM4023, "include-fragment"). */
    check_errors(&t,
                 ",\n{`type`: `Microsoft.ApiManagement/service/policyFragments`, `apiVersion`: "
                 "`2024-05-01`, `name`: `svc/auth`, `properties`: {`format`: `rawxml`, `value`: "
                 "`<fragment>" JWT
                 "</fragment>`}}" POLICY("apis/operations/policies", "a/one/policy",
                                         DOC("<base /><include-fragment fragment-id='auth' />"))
                     POLICY("apis/operations/policies", "a/two/policy",
                            DOC("<base /><include-fragment fragment-id='@(\\`auth\\`)' />")),
                 false, 1);
    CU_ASSERT_STRING_EQUAL(op_named(&t, "one")->closed_why,
                           "policy 'validate-jwt' of fragment 'auth' (included at operation "
                           "scope) is not applied locally");
    CU_ASSERT_STRING_EQUAL(op_named(&t, "two")->closed_why,
                           "a fragment chosen by an expression (at operation scope) cannot be "
                           "read");
    tu_release(&t);
    check(&t,
          ",\n{`type`: `Microsoft.ApiManagement/service/apis/policies`, `apiVersion`: "
          "`2024-05-01`, `name`: `svc/a/policy`, `properties`: {`format`: `rawxml-link`, "
          "`value`: `https://contoso.com/p.xml`}}",
          false);
    CU_ASSERT_STRING_EQUAL(op_named(&t, "one")->closed_why,
                           "the API scope policy is linked from a URL and not read");
    tu_release(&t);
}

static void test_allowed_wording_and_products_not_applied(void)
{
    struct tu t;
    check(&t,
          POLICY("apis/policies", "a/policy", DOC("<base />" JWT)) PRODUCT("p1", "true")
              POLICY("products/policies", "p1/policy",
                     DOC("<base /><set-backend-service base-url='http://x' />")),
          true);
    CU_ASSERT_TRUE(tu_has(&t, DC_FAILS_CLOSED,
                          "are served although policy 'validate-jwt' at API scope is not applied "
                          "locally (--allow-unenforced-policies)"));
    /* set-backend-service at product scope is not applied, so it is said. */
    CU_ASSERT_TRUE(tu_has(&t, DC_POLICY_NOT_APPLIED, "'set-backend-service'"));
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "API scope closes every operation", test_api_scope_closes_every_operation },
    { "an operation without <base /> drops the API's", test_operation_without_base_drops_the_api },
    { "a missing section inherits", test_missing_section_inherits },
    { "global scope and products", test_global_and_products },
    { "the plan's flags, read per request", test_plan_flags },
    { "fragments, linked and unreadable policies", test_fragments_links_and_unknown_text },
    { "--allow-unenforced-policies, product scope", test_allowed_wording_and_products_not_applied },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "gateway check", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
