/* Unit tests for workspaces (model_build_ws.c): a workspace is read as a
 * service of its own, its policy documents at the right scope, its
 * fragments, named values and backends in it (not in the service), and the
 * service's policy checks run on it with names resolved in the workspace. */
#include <string.h>

#include "cunit_run.h"
#include "testutil.h"

#define AV "`apiVersion`: `2024-05-01`, "

#define SERVICE                                                                               \
    "{`type`: `Microsoft.ApiManagement/service`, " AV "`name`: `svc`, `location`: `eastus`, " \
    "`sku`: {`name`: `Premium`, `capacity`: 1}, `properties`: {`publisherEmail`: "            \
    "`a@contoso.com`, `publisherName`: `C`}}"

#define RES(type, name, props)                                                            \
    "{`type`: `Microsoft.ApiManagement/service/" type "`, " AV "`name`: `svc/" name "`, " \
    "`properties`: " props "}"

#define DOC(inbound)                                                                       \
    "{`format`: `rawxml`, `value`: `<policies><inbound><base />" inbound                   \
    "</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base />" \
    "</on-error></policies>`}"

static unsigned compile(struct tu *t, const char *const *resources)
{
    const char *text = "{`$schema`: `https://schema.management.azure.com/schemas/2019-04-01/"
                       "deploymentTemplate.json#`, `contentVersion`: `1.0.0.0`, `resources`: [";
    for (size_t i = 0; resources[i]; i++)
        text = arena_printf(&t->arena, "%s%s%s", text, i ? ",\n" : "", resources[i]);
    return tu_template(t, arena_printf(&t->arena, "%s]}", text), NULL);
}

static const struct model_policy *policy_of(const struct model_service *s, enum model_scope sc)
{
    for (const struct model_policy *p = s->policies; p; p = p->next)
        if (p->scope == sc)
            return p;
    return NULL;
}

/* Every kind of document and what they name goes into the workspace. */
static void test_workspace_model(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(
            &t,
            (const char *const[]){
                SERVICE,
                RES("workspaces", "ws", "{`displayName`: `ws`}"),
                RES("workspaces/namedValues", "ws/team", "{`displayName`: `team`, `value`: `a`}"),
                RES("workspaces/backends", "ws/orders",
                    "{`url`: `https://o.contoso.com`, `protocol`: `http`}"),
                RES("workspaces/policyFragments", "ws/f", "{`value`: `<fragment />`}"),
                RES("workspaces/policies", "ws/policy", DOC("")),
                RES("workspaces/apis/policies", "ws/api1/policy", DOC("")),
                RES("workspaces/apis/operations/policies", "ws/api1/op1/policy", DOC("")),
                RES("workspaces/products/policies", "ws/gold/policy", DOC("")),
                RES("workspaces/policies", "WS2/policy", DOC("")),
                NULL,
            }),
        0);
    struct model_service *s = t.model.services;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NULL(s->next); /* a workspace is not a service */
    CU_ASSERT_PTR_NULL(s->policies);
    CU_ASSERT_PTR_NULL(s->named_values);
    CU_ASSERT_PTR_NULL(s->backends);
    CU_ASSERT_PTR_NULL(s->fragments);
    struct model_service *w = model_find_workspace(&t.model, s, "WS");
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_PTR_EQUAL(w->parent, s);
    CU_ASSERT_TRUE(w->declared);
    CU_ASSERT_STRING_EQUAL(w->named_values->id, "team");
    CU_ASSERT_STRING_EQUAL(w->backends->id, "orders");
    CU_ASSERT_STRING_EQUAL(w->fragments->id, "f");
    CU_ASSERT_PTR_EQUAL(w->policy, policy_of(w, MODEL_SCOPE_WORKSPACE));
    CU_ASSERT_PTR_NULL(policy_of(w, MODEL_SCOPE_WORKSPACE)->owner);
    CU_ASSERT_STRING_EQUAL(policy_of(w, MODEL_SCOPE_API)->owner, "api1");
    CU_ASSERT_STRING_EQUAL(policy_of(w, MODEL_SCOPE_OPERATION)->owner, "op1");
    CU_ASSERT_STRING_EQUAL(policy_of(w, MODEL_SCOPE_PRODUCT)->owner, "gold");
    /* A workspace only added to (deployed elsewhere) is made by its child. */
    struct model_service *w2 = model_find_workspace(&t.model, s, "ws2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(w2);
    CU_ASSERT_FALSE(w2->declared);
    CU_ASSERT_PTR_NOT_NULL(policy_of(w2, MODEL_SCOPE_WORKSPACE));
    CU_ASSERT_PTR_NULL(model_find_workspace(&t.model, s, "ws3"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_WORKSPACE_POLICY), 5);
    CU_ASSERT_EQUAL(tu_count(&t, DC_NAMED_VALUE_REF), 0);
    tu_release(&t);
}

/* The documents' own mistakes are reported, at the workspace's scopes. */
static void test_workspace_documents_checked(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(&t,
                (const char *const[]){
                    SERVICE,
                    RES("workspaces", "ws", "{`displayName`: `ws`}"),
                    RES("workspaces/policies", "ws/policy",
                        DOC("<set-hedaer name='a' /><quota calls='1' renewal-period='60' />"
                            "<rate-limit calls='1' renewal-period='60' />")),
                    RES("workspaces/products/policies", "ws/gold/policy",
                        DOC("<quota calls='1' renewal-period='60' />")),
                    RES("workspaces/apis/policies", "ws/a/policy",
                        DOC("<set-header name='b' exists-action='override'>"
                            "<value>@(context.Requst.Method)</value></set-header>")),
                    RES("workspaces/policyFragments", "ws/f",
                        "{`value`: `<fragment><set-hedaer name='c' /></fragment>`}"),
                    NULL,
                }),
        5);
    CU_ASSERT_EQUAL(tu_count(&t, DC_UNKNOWN_POLICY), 2);
    /* quota is product-only: refused in the workspace's own document, not in
     * its product's; rate-limit is not allowed at workspace scope either. */
    CU_ASSERT_EQUAL(tu_count(&t, DC_POLICY_SCOPE), 2);
    CU_ASSERT_TRUE(tu_has(&t, DC_POLICY_SCOPE, "'quota' is not allowed at workspace scope"));
    CU_ASSERT_TRUE(tu_has(&t, DC_POLICY_SCOPE, "'rate-limit' is not allowed at workspace scope"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_CSX_UNKNOWN_MEMBER), 1);
    tu_release(&t);
}

/* Names resolve in the workspace: another workspace's are not seen; a
 * workspace deployed elsewhere may have them (a warning); a service-level
 * one of the name is a warning with a note saying where it is (no Microsoft
 * page says outright that it is invisible there: never a false error). */
static void test_workspace_references(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(
            &t,
            (const char *const[]){
                SERVICE,
                RES("namedValues", "svc-nv", "{`displayName`: `svc-nv`, `value`: `x`}"),
                RES("backends", "svc-be", "{`url`: `https://b.contoso.com`, `protocol`: `http`}"),
                RES("workspaces", "ws", "{`displayName`: `ws`}"),
                RES("workspaces/namedValues", "ws/mine", "{`displayName`: `mine`, `value`: `y`}"),
                RES("workspaces/policyFragments", "ws/f", "{`value`: `<fragment />`}"),
                RES("workspaces/policies", "ws/policy",
                    DOC("<set-header name='a' exists-action='override'><value>{{mine}}"
                        "{{svc-nv}}</value></set-header><include-fragment fragment-id='f' />"
                        "<set-backend-service backend-id='svc-be' />")),
                RES("workspaces/policies", "other/policy",
                    DOC("<include-fragment fragment-id='f' />")),
                NULL,
            }),
        0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_NAMED_VALUE_REF), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_NAMED_VALUE_REF, "'svc-nv' is not defined in workspace 'ws'"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_BACKEND_REF), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_BACKEND_REF, "'svc-be', which is not in workspace 'ws'"));
    bool noted = false;
    for (size_t i = 0; i < t.diag.n; i++)
        if (t.diag.v[i]->code == DC_BACKEND_REF && t.diag.v[i]->notes &&
            strstr(t.diag.v[i]->notes->msg, "the service declares a backend"))
            noted = true;
    CU_ASSERT_TRUE(noted);
    for (size_t i = 0; i < t.diag.n; i++)
        if (t.diag.v[i]->code == DC_BACKEND_REF || t.diag.v[i]->code == DC_NAMED_VALUE_REF)
            CU_ASSERT_EQUAL(t.diag.v[i]->level, DIAG_WARNING);
    /* 'other' is not declared here: its fragment may exist there. */
    CU_ASSERT_EQUAL(tu_count(&t, DC_FRAGMENT_REF), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_FRAGMENT_REF, "'f', which is not in workspace 'other'"));
    for (size_t i = 0; i < t.diag.n; i++)
        if (t.diag.v[i]->code == DC_FRAGMENT_REF)
            CU_ASSERT_EQUAL(t.diag.v[i]->level, DIAG_WARNING);
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "a workspace is read as a service of its own", test_workspace_model },
    { "workspace documents are checked at their scopes", test_workspace_documents_checked },
    { "workspace names resolve in the workspace", test_workspace_references },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "model_ws", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
