/* Unit tests for the effective policy of one call (policy_compose.c): where
 * <base /> brings in the outer scope, a section without it, scopes without
 * a document, the product scope only under a product, fragments inlined and
 * their cycles reported, and the origin comment before each policy. */
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "policy_compose.h"
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
    "{`type`: `Microsoft.ApiManagement/service/products`, `apiVersion`: `2024-05-01`, "    \
    "`name`: `svc/p`, `properties`: {`displayName`: `p`, `subscriptionRequired`: true, "   \
    "`state`: `published`}},\n"                                                            \
    "{`type`: `Microsoft.ApiManagement/service/products/apis`, `apiVersion`: "             \
    "`2024-05-01`, `name`: `svc/p/a`}"

#define TAIL "\n]}"

#define POLICY(type, name, xml)                                                            \
    ",\n{`type`: `Microsoft.ApiManagement/service/" type "`, `apiVersion`: `2024-05-01`, " \
    "`name`: `svc/" name "`, `properties`: {`format`: `rawxml`, `value`: `" xml "`}}"

#define FRAGMENT(id, xml)                                                           \
    ",\n{`type`: `Microsoft.ApiManagement/service/policyFragments`, `apiVersion`: " \
    "`2024-05-01`, `name`: `svc/" id "`, `properties`: {`format`: `rawxml`, `value`: `" xml "`}}"

/* A document whose inbound is in, the other sections <base /> alone. */
#define DOC(in)                                                                        \
    "<policies><inbound>" in "</inbound><backend><base /></backend><outbound><base />" \
    "</outbound><on-error><base /></on-error></policies>"

#define VAR(n) "<set-variable name='" n "' value='1' />"

#define GLOBAL(in)    POLICY("policies", "policy", DOC(in))
#define PRODUCT(in)   POLICY("products/policies", "p/policy", DOC(in))
#define API(in)       POLICY("apis/policies", "a/policy", DOC(in))
#define OPERATION(in) POLICY("apis/operations/policies", "a/one/policy", DOC(in))

static struct tu t;

/* Compiles HEAD + extra + TAIL (no errors) and composes operation 'one' of
 * API 'a', under product 'p' if product: the output, or NULL if it failed
 * (*problem then says why). */
static const char *compose(const char *extra, bool product, const char **problem)
{
    tu_init(&t);
    const char *text = arena_printf(&t.arena, "%s%s%s", HEAD, extra, TAIL);
    unsigned errors = tu_template(&t, text, NULL);
    if (errors)
        fprintf(stderr, "\n%s", tu_text(&t));
    CU_ASSERT_EQUAL_FATAL(errors, 0);
    struct model_service *s = t.model.services;
    struct model_api *a = model_find_api(&t.model, s, "a", 1, NULL, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    struct policy_compose_call call = { &t.model, s, a, model_find_operation(&t.model, a, "one"),
                                        product ? model_find_product(&t.model, s, "p") : NULL };
    CU_ASSERT_PTR_NOT_NULL_FATAL(call.op);
    struct buf out;
    buf_init(&out, 1u << 20);
    *problem = NULL;
    int rc = policy_compose(&call, &out, problem);
    const char *r = arena_strndup(&t.arena, out.data ? out.data : "", out.len);
    buf_release(&out);
    if (rc == 0)
        return r;
    CU_ASSERT_PTR_NOT_NULL(*problem);
    return NULL;
}

/* The variables named in names ("a b c") appear in out in that order, and
 * no other set-variable does. */
static void order(const char *out, const char *names)
{
    const char *at = out;
    size_t n = 0;
    char want[64];
    for (const char *p = names; *p; p += strcspn(p, " "), p += *p == ' ') {
        snprintf(want, sizeof(want), "name='%.*s'", (int)strcspn(p, " "), p);
        const char *hit = strstr(at, want);
        if (hit == NULL)
            fprintf(stderr, "\n'%s' missing or out of order in:\n%s", want, out);
        CU_ASSERT_PTR_NOT_NULL_FATAL(hit);
        at = hit + 1;
        n++;
    }
    size_t seen = 0;
    for (const char *p = strstr(out, "<set-variable"); p; p = strstr(p + 1, "<set-variable"))
        seen++;
    CU_ASSERT_EQUAL(seen, n);
}

static void test_base_in_every_place(void)
{
    const char *problem;
    const char *out =
        compose(GLOBAL(VAR("g1") "<base />" VAR("g2")) PRODUCT("<base />" VAR("p1"))
                    API(VAR("a1") "<base />" VAR("a2")) OPERATION(VAR("o1") "<base />"),
                true, &problem);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    order(out, "o1 a1 g1 g2 p1 a2");
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "<!-- product 'p' · "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "<!-- operation 'one' · "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "under product 'p'"));
    tu_release(&t);
}

static void test_no_product_skips_its_scope(void)
{
    const char *problem;
    const char *out = compose(
        GLOBAL(VAR("g")) PRODUCT("<base />" VAR("p")) API("<base />" VAR("a")), false, &problem);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    order(out, "g a"); /* the operation has no document: <base /> alone */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "without a product"));
    tu_release(&t);
}

static void test_section_without_base_drops_outer(void)
{
    const char *problem;
    const char *out =
        compose(GLOBAL(VAR("g")) API(VAR("a")) OPERATION("<base />" VAR("o")), false, &problem);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    order(out, "a o");
    tu_release(&t);
}

static void test_default_global_forwards(void)
{
    const char *problem;
    const char *out = compose("", false, &problem);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "<backend>\n"
                                       "        <!-- global · API Management's default global "
                                       "policy (the configuration sets none) -->\n"
                                       "        <forward-request />\n"
                                       "    </backend>\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    <inbound />\n"));
    tu_release(&t);
}

static void test_fragments_inlined(void)
{
    const char *problem;
    const char *out = compose(
        OPERATION(VAR("o1") "<include-fragment fragment-id='f' />" VAR("o2")) FRAGMENT(
            "f", "<fragment>" VAR(
                     "f1") "<choose><when condition='@(true)'>"
                           "<include-fragment fragment-id='g' /></when></choose></fragment>")
            FRAGMENT("g", "<fragment>" VAR("g1") "</fragment>"),
        false, &problem);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    order(out, "o1 f1 g1 o2");
    CU_ASSERT_PTR_NULL(strstr(out, "<include-fragment"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "<!-- fragment 'g' (in operation 'one') · "));
    tu_release(&t);
}

static void test_fragment_cycle_reported(void)
{
    const char *problem;
    const char *out =
        compose(OPERATION("<include-fragment fragment-id='f' />")
                    FRAGMENT("f", "<fragment><include-fragment fragment-id='g' />"
                                  "</fragment>")
                        FRAGMENT("g", "<fragment>" VAR("g1") "<include-fragment fragment-id='f' />"
                                                             "</fragment>"),
                false, &problem);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(problem);
    CU_ASSERT_PTR_NOT_NULL(strstr(problem, "fragments include each other: 'f' -> 'g' -> 'f'"));
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "base in every place", test_base_in_every_place },
    { "no product skips its scope", test_no_product_skips_its_scope },
    { "section without base drops outer", test_section_without_base_drops_outer },
    { "default global forwards", test_default_global_forwards },
    { "fragments inlined", test_fragments_inlined },
    { "fragment cycle reported", test_fragment_cycle_reported },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "policy compose", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
