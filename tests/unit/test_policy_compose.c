/* Unit tests for the effective policy of one call (policy_compose.c): where
 * <base /> brings in the outer scope, a section without it, scopes without
 * a document, the product scope only under a product, fragments inlined and
 * their cycles reported, and the origin comment before each policy. */
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "policy_compose.h"
#include "policy_flow.h"
#include "policy_pipeline.h"
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

/* ---- the pipeline tree (policy_pipeline.c over policy_compose_walk) ---- */

static void render(struct buf *b, const struct policy_pipeline_step *s)
{
    static const char scope[] = "gpao";
    for (; s; s = s->next) {
        if (s->kind == POLICY_PIPELINE_PRODUCT) {
            CU_ASSERT_EQUAL(buf_puts(b, " *"), 0);
            continue;
        }
        const struct policy_pipeline_attr *name = policy_pipeline_attr(s, "name");
        CU_ASSERT_EQUAL(
            buf_printf(b, " %c%s:%.*s", scope[s->level], s->fragment ? "f" : "", STR_FMT(s->name)),
            0);
        if (name)
            CU_ASSERT_EQUAL(buf_printf(b, "=%.*s", STR_FMT(name->value)), 0);
        if (s->text_expr)
            CU_ASSERT_EQUAL(buf_printf(b, "{%.*s}", STR_FMT(s->text_expr->text)), 0);
        if (s->children) {
            CU_ASSERT_EQUAL(buf_puts(b, " ("), 0);
            render(b, s->children);
            CU_ASSERT_EQUAL(buf_puts(b, " )"), 0);
        }
    }
}

/* Compiles extra and builds operation 'one''s pipeline (composed from
 * top, with the product slot when slot), rendered one section a line:
 * " a:set-variable=a1 *" (scope letter g/p/a/o, f for a fragment, the
 * name attribute, {expression text}, (children), * the product slot). */
static const char *pipeline(const char *extra, enum policy_compose_level top, bool slot)
{
    tu_init(&t);
    const char *text = arena_printf(&t.arena, "%s%s%s", HEAD, extra, TAIL);
    unsigned errors = tu_template(&t, text, NULL);
    if (errors)
        fprintf(stderr, "\n%s", tu_text(&t));
    CU_ASSERT_EQUAL_FATAL(errors, 0);
    struct model_service *s = t.model.services;
    struct model_api *a = model_find_api(&t.model, s, "a", 1, NULL, false);
    struct policy_compose_call call = { &t.model, s, a, model_find_operation(&t.model, a, "one"),
                                        model_find_product(&t.model, s, "p") };
    struct policy_compose_walk_opts o = { top, slot };
    struct policy_pipeline p;
    CU_ASSERT_EQUAL(policy_pipeline_build(&call, &o, &p), 0);
    struct buf b;
    buf_init(&b, 1u << 20);
    size_t n = 0;
    for (unsigned k = 0; k < POLICY_NSECTIONS; k++) {
        render(&b, p.sections[k]);
        CU_ASSERT_EQUAL(buf_puts(&b, "\n"), 0);
        for (const struct policy_pipeline_step *st = p.sections[k]; st; st = st->next)
            n++;
        CU_ASSERT_EQUAL(n, p.nsection[k]);
        n = 0;
    }
    const char *r = arena_strndup(&t.arena, b.data ? b.data : "", b.len);
    buf_release(&b);
    return r;
}

static void test_pipeline_slot_and_scopes(void)
{
    const char *got =
        pipeline(GLOBAL(VAR("g")) PRODUCT("<base />" VAR("p")) API(VAR("a1") "<base />" VAR("a2"))
                     OPERATION("<base /><set-header name='h' exists-action='override'>"
                               "<value>@(context.Variables[&quot;a1&quot;])</value></set-header>"),
                 POLICY_COMPOSE_OPERATION, true);
    CU_ASSERT_STRING_EQUAL(got, " a:set-variable=a1 * a:set-variable=a2 o:set-header=h ("
                                " o:value{@(context.Variables[\"a1\"])} )\n *\n *\n *\n");
    tu_release(&t);
    /* Without the slot, the product's document and the global one run there. */
    got = pipeline(GLOBAL(VAR("g")) PRODUCT("<base />" VAR("p")) API("<base />" VAR("a")),
                   POLICY_COMPOSE_OPERATION, false);
    CU_ASSERT_STRING_EQUAL(got, " g:set-variable=g p:set-variable=p a:set-variable=a\n"
                                "\n\n\n");
    tu_release(&t);
}

static void test_pipeline_from_product(void)
{
    /* The product's pipeline: its document over the global one. */
    const char *got =
        pipeline(GLOBAL(VAR("g")) PRODUCT(VAR("p1") "<base />") API("<base />" VAR("a")),
                 POLICY_COMPOSE_PRODUCT, false);
    CU_ASSERT_STRING_EQUAL(got, " p:set-variable=p1 g:set-variable=g\n\n\n\n");
    tu_release(&t);
    /* No global document: API Management's default global policy forwards. */
    got = pipeline("", POLICY_COMPOSE_PRODUCT, false);
    CU_ASSERT_STRING_EQUAL(got, "\n g:forward-request\n\n\n");
    tu_release(&t);
}

static void test_pipeline_fragments_and_choose(void)
{
    const char *got = pipeline(
        OPERATION("<include-fragment fragment-id='f' />")
            FRAGMENT("f", "<fragment><choose><when condition='@(true)'>" VAR("w") "</when></choose>"
                                                                                  "</fragment>"),
        POLICY_COMPOSE_OPERATION, true);
    CU_ASSERT_STRING_EQUAL(got, " of:choose ( of:when ( of:set-variable=w ) )\n *\n *\n *\n");
    tu_release(&t);
}

/* ---- data-flow checks (policy_flow.c) ---- */

/* The codes policy_flow_check reports for extra, in order ("APIM4034 ..."). */
static const char *flow(const char *extra)
{
    tu_init(&t);
    const char *text = arena_printf(&t.arena, "%s%s%s", HEAD, extra, TAIL);
    CU_ASSERT_EQUAL_FATAL(tu_template(&t, text, NULL), 0);
    size_t before = t.diag.n;
    policy_flow_check(&t.model);
    const char *out = "";
    for (size_t i = before; i < t.diag.n; i++)
        if (t.diag.v[i]->level != DIAG_NOTE)
            out = arena_printf(&t.arena, "%s%s%s", out, *out ? " " : "",
                               diag_code_str(t.diag.v[i]->code));
    return out;
}

static void test_flow_checks(void)
{
    /* Read before the send-request that sets it; the read of a set one is fine. */
    CU_ASSERT_STRING_EQUAL(
        flow(API("<base /><set-header name='x' exists-action='override'>"
                 "<value>@((string)context.Variables[&quot;r&quot;])</value>"
                 "</set-header><send-request response-variable-name='r'>"
                 "<set-url>http://x</set-url></send-request>" VAR(
                     "v") "<set-header name='y' exists-action='override'><value>"
                          "@((string)context.Variables[&quot;v&quot;])</value></set-header>")),
        "APIM4034");
    tu_release(&t);
    /* Never set, soft and hard; a guarded read is not judged. */
    CU_ASSERT_STRING_EQUAL(
        flow(API(
            "<base /><set-header name='x' exists-action='override'><value>"
            "@(context.Variables.GetValueOrDefault<string>(&quot;nope&quot;, &quot;&quot;))</value>"
            "</set-header><set-header name='y' exists-action='override'><value>"
            "@((string)context.Variables[&quot;gone&quot;])</value></set-header>"
            "<set-header name='z' exists-action='override'><value>"
            "@(context.Variables.ContainsKey(&quot;k&quot;) ? "
            "(string)context.Variables[&quot;k&quot;] : "
            "&quot;&quot;)</value></set-header>")),
        "APIM4037 APIM4036");
    tu_release(&t);
    /* Set by the global document (at the slot): fine; by the product only: a warning. */
    CU_ASSERT_STRING_EQUAL(flow(GLOBAL(VAR("g")) PRODUCT("<base />" VAR("p"))
                                    API("<base /><set-header name='x' exists-action='override'>"
                                        "<value>@((string)context.Variables[&quot;g&quot;] + "
                                        "(string)context.Variables[&quot;p&quot;])</value>"
                                        "</set-header>")),
                           "APIM4038");
    tu_release(&t);
    /* retry's condition runs after its children (the send-request that sets r). */
    CU_ASSERT_STRING_EQUAL(
        flow(API("<base /><retry condition='@(((IResponse)context.Variables[&quot;r&quot;])"
                 ".StatusCode == 202)' count='3' interval='1'><send-request "
                 "response-variable-name='r'><set-url>http://x</set-url></send-request>"
                 "</retry>")),
        "");
    tu_release(&t);
    /* A fragment's setter counts; on-error runs after the other sections. */
    CU_ASSERT_STRING_EQUAL(
        flow(FRAGMENT("f", "<fragment>" VAR("fv") "</fragment>") POLICY(
            "apis/policies", "a/policy",
            "<policies><inbound><base /><include-fragment fragment-id='f' /></inbound><backend>"
            "<base /></backend><outbound><base /></outbound><on-error><set-header name='e' "
            "exists-action='override'><value>@((string)context.Variables[&quot;fv&quot;])</value>"
            "</set-header></on-error></policies>")),
        "");
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "pipeline slot and scopes", test_pipeline_slot_and_scopes },
    { "pipeline from product", test_pipeline_from_product },
    { "pipeline fragments and choose", test_pipeline_fragments_and_choose },
    { "flow checks", test_flow_checks },
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
