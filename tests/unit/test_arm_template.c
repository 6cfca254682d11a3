/* Unit tests for the template walker (arm_template.c) and the evaluator's
 * scope rules (arm_eval.c, arm_bind.c): structure, variables, copy loops at
 * every level, conditions, nested children, nested deployments, outputs,
 * dependsOn, duplicates, name segments, languageVersion 2.0. */
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "testutil.h"

#define HEAD                                                                              \
    "{`$schema`: "                                                                        \
    "`https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#`, " \
    "`contentVersion`: `1.0.0.0`, "

/* The nth evaluated resource (0-based), or NULL. */
static const struct arm_resource *res(const struct tu *t, size_t n)
{
    const struct arm_resource *r = t->env.resources;
    while (r && n--)
        r = r->next;
    return r;
}

static const char *name_of(const struct tu *t, size_t n)
{
    const struct arm_resource *r = res(t, n);
    return r ? r->name.ptr : "(none)";
}

static void test_structure_errors(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_NOT_EQUAL(tu_template(&t, HEAD "`resources`: {}}", NULL), 0);
    CU_ASSERT_TRUE(tu_has(&t, DC_NOT_TEMPLATE, "must be an array"));
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_EQUAL(tu_template(&t, HEAD "`resources`: [], `paramters`: {}}", NULL), 0);
    CU_ASSERT_TRUE(tu_has(&t, DC_UNKNOWN_TEMPLATE_KEY, "'paramters'"));
    CU_ASSERT_STRING_EQUAL(t.diag.v[0]->notes->msg, "did you mean 'parameters'?");
    tu_release(&t);
}

static void test_variables_lazy_and_cycles(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_eval_in(&t, NULL, "{`b`: `[concat(variables('a'), '!')]`, `a`: `x`}",
                                "[variables('b')]");
    CU_ASSERT_STRING_EQUAL(tu_json(&t, v), "\"x!\"");
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_eval_in(&t, NULL, "{`a`: `[variables('b')]`, `b`: `[variables('a')]`}",
                                  "[variables('a')]"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_CYCLE), 1);
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_eval_in(&t, NULL, "{`alpha`: 1}", "[variables('alpah')]"));
    CU_ASSERT_TRUE(tu_has(&t, DC_UNDEFINED_VARIABLE, "'alpah'"));
    CU_ASSERT_STRING_EQUAL(t.diag.v[0]->notes->msg, "did you mean 'alpha'?");
    tu_release(&t);
}

/* Every variable is evaluated, used or not, so its mistakes are reported. */
static void test_unused_variable_checked(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_NOT_EQUAL(
        tu_template(&t, HEAD "`variables`: {`v`: `[nosuch()]`}, `resources`: []}", NULL), 0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_UNKNOWN_FUNCTION), 1);
    tu_release(&t);
}

static void test_variable_copy_and_property_copy(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_eval_in(
        &t, NULL,
        "{`copy`: [{`name`: `disks`, `count`: 3, `input`: {`lun`: `[copyIndex('disks', 1)]`}}]}",
        "[variables('disks')]");
    CU_ASSERT_STRING_EQUAL(tu_json(&t, v), "[{\"lun\":1},{\"lun\":2},{\"lun\":3}]");
    tu_release(&t);
    tu_init(&t);
    v = tu_eval_in(&t, NULL,
                   "{`o`: {`copy`: [{`name`: `items`, `count`: 2, `input`: "
                   "`[concat('i', string(copyIndex('items')))]`}], `keep`: true}}",
                   "[variables('o')]");
    CU_ASSERT_STRING_EQUAL(tu_json(&t, v), "{\"items\":[\"i0\",\"i1\"],\"keep\":true}");
    tu_release(&t);
}

static void test_resource_copy_loop(void)
{
    struct tu t;
    tu_init(&t);
    unsigned errors = tu_template(
        &t,
        HEAD "`parameters`: {`n`: {`type`: `int`, `defaultValue`: 3}}, `resources`: [{`type`: "
             "`Microsoft.ApiManagement/service/namedValues`, `apiVersion`: `2024-05-01`, "
             "`name`: `[concat('svc/nv', copyIndex(1))]`, `copy`: {`name`: `nvs`, `count`: "
             "`[parameters('n')]`}, `properties`: {`displayName`: `[concat('nv', "
             "copyIndex())]`, `value`: `v`}}]}",
        NULL);
    CU_ASSERT_EQUAL(errors, 0);
    CU_ASSERT_EQUAL(t.env.nresources, 3);
    CU_ASSERT_STRING_EQUAL(name_of(&t, 0), "svc/nv1");
    CU_ASSERT_STRING_EQUAL(name_of(&t, 2), "svc/nv3");
    CU_ASSERT_STRING_EQUAL(jval_get_str(jval_get(res(&t, 2)->body, "properties"), "displayName"),
                           "nv2");
    tu_release(&t);
}

static void test_copy_errors(void)
{
    static const char *const bad[] = {
        "{`name`: `l`, `count`: 801}",
        "{`name`: `l`, `count`: -1}",
        "{`name`: `l`, `count`: `three`}",
        "{`count`: 2}",
        "{`name`: `l`, `count`: 1, `mode`: `sideways`}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct tu t;
        tu_init(&t);
        char text[1024];
        snprintf(text, sizeof(text),
                 HEAD "`resources`: [{`type`: `Microsoft.ApiManagement/service`, `apiVersion`: "
                      "`2024-05-01`, `name`: `[concat('s', copyIndex())]`, `copy`: %s, "
                      "`properties`: {}}]}",
                 bad[i]);
        CU_ASSERT_NOT_EQUAL(tu_template(&t, text, NULL), 0);
        CU_ASSERT_EQUAL(tu_count(&t, DC_COPY), 1);
        tu_release(&t);
    }
}

static void test_copy_index_outside_loop(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_NOT_EQUAL(
        tu_template(&t,
                    HEAD "`resources`: [{`type`: `Microsoft.ApiManagement/service`, `apiVersion`: "
                         "`2024-05-01`, `name`: `[concat('s', copyIndex())]`, `properties`: {}}]}",
                    NULL),
        0);
    CU_ASSERT_TRUE(tu_has(&t, DC_NOT_ALLOWED_HERE, "only allowed inside a copy loop"));
    tu_release(&t);
}

static void test_condition(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        tu_template(&t,
                    HEAD "`parameters`: {`on`: {`type`: `bool`, `defaultValue`: false}}, "
                         "`resources`: [{`condition`: `[parameters('on')]`, `type`: "
                         "`Microsoft.ApiManagement/service`, `apiVersion`: `2024-05-01`, `name`: "
                         "`s1`, `properties`: {`x`: `[parameters('nosuch')]`}}, {`type`: "
                         "`Microsoft.ApiManagement/service`, `apiVersion`: `2024-05-01`, `name`: "
                         "`s2`, `dependsOn`: [`s1`], `properties`: {}}]}",
                    NULL),
        0);
    CU_ASSERT_EQUAL(t.env.nresources, 1);
    CU_ASSERT_STRING_EQUAL(name_of(&t, 0), "s2");
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_NOT_EQUAL(tu_template(&t,
                                    HEAD "`resources`: [{`condition`: `yes`, `type`: "
                                         "`Microsoft.ApiManagement/service`, `apiVersion`: "
                                         "`2024-05-01`, `name`: `s1`}]}",
                                    NULL),
                        0);
    CU_ASSERT_TRUE(tu_has(&t, DC_RESOURCE_DECL, "'condition' must be a bool"));
    tu_release(&t);
}

static void test_nested_children(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        tu_template(&t,
                    HEAD
                    "`resources`: [{`type`: `Microsoft.ApiManagement/service`, `apiVersion`: "
                    "`2024-05-01`, `name`: `svc`, `properties`: {}, `resources`: [{`type`: "
                    "`apis`, `apiVersion`: `2024-05-01`, `name`: `echo`, `dependsOn`: [`svc`], "
                    "`properties`: {`path`: `echo`, `displayName`: `Echo`}, `resources`: "
                    "[{`type`: `operations`, `apiVersion`: `2024-05-01`, `name`: `get`, "
                    "`properties`: {`displayName`: `Get`, `method`: `GET`, `urlTemplate`: "
                    "`/`}}]}]}]}",
                    NULL),
        0);
    CU_ASSERT_EQUAL(t.env.nresources, 3);
    CU_ASSERT_STRING_EQUAL(res(&t, 2)->type.ptr, "Microsoft.ApiManagement/service/apis/operations");
    CU_ASSERT_STRING_EQUAL(name_of(&t, 2), "svc/echo/get");
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_NOT_EQUAL(
        tu_template(&t,
                    HEAD "`resources`: [{`type`: `Microsoft.ApiManagement/service`, `apiVersion`: "
                         "`2024-05-01`, `name`: `svc`, `resources`: [{`type`: `apis`, "
                         "`apiVersion`: `2024-05-01`, `name`: `[concat('a', copyIndex())]`, "
                         "`copy`: {`name`: `l`, `count`: 2}}]}]}",
                    NULL),
        0);
    CU_ASSERT_TRUE(tu_has(&t, DC_COPY, "nested child resource cannot have a copy loop"));
    tu_release(&t);
}

static void test_name_segments(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_NOT_EQUAL(
        tu_template(&t,
                    HEAD "`resources`: [{`type`: `Microsoft.ApiManagement/service/apis`, "
                         "`apiVersion`: `2024-05-01`, `name`: `echo`, `properties`: {}}]}",
                    NULL),
        0);
    CU_ASSERT_TRUE(tu_has(&t, DC_NAME_SEGMENTS, "has 1 segment, but type"));
    unsigned line, col;
    tu_where(&t, DC_NAME_SEGMENTS, &line, &col);
    CU_ASSERT_EQUAL(line, 1);
    tu_release(&t);
}

static void test_duplicate_resource(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_NOT_EQUAL(
        tu_template(&t,
                    HEAD "`resources`: [{`type`: `Microsoft.ApiManagement/service`, `apiVersion`: "
                         "`2024-05-01`, `name`: `svc`}, {`type`: "
                         "`Microsoft.ApiManagement/service`, `apiVersion`: `2024-05-01`, `name`: "
                         "`SVC`}]}",
                    NULL),
        0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_DUPLICATE_RESOURCE), 1);
    tu_release(&t);
}

/* dependsOn takes names, ids, "type/name" and provider-relative ids. */
static void test_depends_on_forms(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        tu_template(
            &t,
            HEAD "`resources`: [{`type`: `Microsoft.ApiManagement/service`, `apiVersion`: "
                 "`2024-05-01`, `name`: `svc`}, {`type`: `Microsoft.ApiManagement/service/apis`, "
                 "`apiVersion`: `2024-05-01`, `name`: `svc/a`, `properties`: {`path`: `a`}, "
                 "`dependsOn`: [`svc`, `[resourceId('Microsoft.ApiManagement/service', 'svc')]`, "
                 "`Microsoft.ApiManagement/service/svc`]}, {`type`: "
                 "`Microsoft.ApiManagement/service/products`, `apiVersion`: `2024-05-01`, "
                 "`name`: `svc/p`, `properties`: {`displayName`: `P`}, `dependsOn`: "
                 "[`Microsoft.ApiManagement/service/svc/apis/a`]}]}",
            NULL),
        0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_DEPENDS_ON), 0);
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_NOT_EQUAL(
        tu_template(&t,
                    HEAD "`resources`: [{`type`: `Microsoft.ApiManagement/service`, `apiVersion`: "
                         "`2024-05-01`, `name`: `svc`, `dependsOn`: [`nothing`]}]}",
                    NULL),
        0);
    CU_ASSERT_TRUE(tu_has(&t, DC_DEPENDS_ON, "'nothing' is not a resource of this template"));
    tu_release(&t);
}

static void test_bracket_trap(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_eval(&t, " [concat('a')]");
    CU_ASSERT_STRING_EQUAL(tu_json(&t, v), "\" [concat('a')]\"");
    CU_ASSERT_EQUAL(tu_count(&t, DC_BRACKET_TRAP), 1);
    tu_release(&t);
    tu_init(&t);
    v = tu_eval(&t, "[[concat('a')]");
    CU_ASSERT_STRING_EQUAL(tu_json(&t, v), "\"[concat('a')]\"");
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
    tu_init(&t);
    /* A regular expression that ends with ']' is the trap itself. */
    CU_ASSERT_STRING_EQUAL(tu_json(&t, tu_eval(&t, "[a-z]+")), "\"[a-z]+\"");
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_eval(&t, "[0-9]"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_EXPR_SYNTAX), 1);
    tu_release(&t);
}

static const char inner_deployment[] =
    HEAD "`parameters`: {`apiName`: {`type`: `string`, `defaultValue`: `orders`}}, "
         "`resources`: [{`type`: `Microsoft.Resources/deployments`, `apiVersion`: "
         "`2022-09-01`, `name`: `inner`, `properties`: {`mode`: `Incremental`, "
         "`expressionEvaluationOptions`: {`scope`: `inner`}, `parameters`: {`name`: {`value`: "
         "`[parameters('apiName')]`}}, `template`: {`$schema`: `x/deploymentTemplate.json#`, "
         "`contentVersion`: `1.0.0.0`, `parameters`: {`name`: {`type`: `string`}}, "
         "`resources`: [{`type`: `Microsoft.ApiManagement/service/apis`, `apiVersion`: "
         "`2024-05-01`, `name`: `[concat('svc/', parameters('name'))]`, `properties`: {`path`: "
         "`[parameters('name')]`}}], `outputs`: {`id`: {`type`: `string`, `value`: "
         "`[parameters('name')]`}}}}}], `outputs`: {`fromInner`: {`type`: `string`, `value`: "
         "`[reference('inner').outputs.id.value]`}}}";

static void test_nested_deployment_inner_scope(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(tu_template(&t, inner_deployment, NULL), 0);
    CU_ASSERT_EQUAL(t.env.nresources, 2);
    CU_ASSERT_STRING_EQUAL(name_of(&t, 1), "svc/orders");
    CU_ASSERT_EQUAL(res(&t, 1)->deployment_depth, 1);
    CU_ASSERT_STRING_EQUAL(tu_json(&t, jval_get(jval_get(t.env.outputs, "fromInner"), "value")),
                           "\"orders\"");
    tu_release(&t);
}

static void test_nested_deployment_outer_scope(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        tu_template(&t,
                    HEAD "`parameters`: {`p`: {`type`: `string`, `defaultValue`: `outer`}}, "
                         "`resources`: [{`type`: `Microsoft.Resources/deployments`, "
                         "`apiVersion`: `2022-09-01`, `name`: `d`, `properties`: {`mode`: "
                         "`Incremental`, `template`: {`$schema`: `x/deploymentTemplate.json#`, "
                         "`contentVersion`: `1.0.0.0`, `resources`: [{`type`: "
                         "`Microsoft.ApiManagement/service`, `apiVersion`: `2024-05-01`, "
                         "`name`: `[parameters('p')]`}]}}}]}",
                    NULL),
        0);
    CU_ASSERT_STRING_EQUAL(name_of(&t, 1), "outer");
    tu_release(&t);
}

static void test_linked_template_warns(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(tu_template(&t,
                                HEAD
                                "`resources`: [{`type`: `Microsoft.Resources/deployments`, "
                                "`apiVersion`: `2022-09-01`, `name`: `d`, `properties`: {`mode`: "
                                "`Incremental`, `templateLink`: {`uri`: `https://x/t.json`}}}]}",
                                NULL),
                    0);
    CU_ASSERT_TRUE(tu_has(&t, DC_LINKED_TEMPLATE, "https://x/t.json"));
    tu_release(&t);
}

static void test_outputs(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        tu_template(&t,
                    HEAD "`resources`: [], `outputs`: {`n`: {`type`: `int`, `value`: 3}, "
                         "`skipped`: {`type`: `int`, `condition`: false, `value`: `[nosuch()]`}, "
                         "`list`: {`type`: `array`, `copy`: {`count`: 2, `input`: "
                         "`[copyIndex()]`}}}}",
                    NULL),
        0);
    CU_ASSERT_STRING_EQUAL(tu_json(&t, t.env.outputs),
                           "{\"n\":{\"type\":\"int\",\"value\":3},\"list\":{\"type\":\"array\","
                           "\"value\":[0,1]}}");
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_NOT_EQUAL(
        tu_template(&t, HEAD "`resources`: [], `outputs`: {`n`: {`type`: `int`, `value`: `x`}}}",
                    NULL),
        0);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "output 'n' must be an int"));
    tu_release(&t);
}

/* languageVersion 2.0: resources by symbolic name, existing resources,
 * dependsOn and reference() by symbolic name. */
static void test_symbolic_resources(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        tu_template(&t,
                    HEAD "`languageVersion`: `2.0`, `resources`: {`svc`: {`existing`: true, "
                         "`type`: `Microsoft.ApiManagement/service`, `apiVersion`: `2024-05-01`, "
                         "`name`: `svc`}, `api`: {`type`: `Microsoft.ApiManagement/service/apis`, "
                         "`apiVersion`: `2024-05-01`, `name`: `svc/a`, `properties`: {`path`: "
                         "`a`}, `dependsOn`: [`svc`]}}, `outputs`: {`p`: {`type`: `string`, "
                         "`value`: `[reference('api').path]`}}}",
                    NULL),
        0);
    CU_ASSERT_TRUE(res(&t, 0)->existing);
    CU_ASSERT_STRING_EQUAL(res(&t, 1)->symbolic, "api");
    CU_ASSERT_STRING_EQUAL(tu_json(&t, jval_get(jval_get(t.env.outputs, "p"), "value")), "\"a\"");
    tu_release(&t);
}

/* Values only Azure knows flow through as unknowns instead of failing. */
static void test_unknown_values_flow(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        tu_template(&t,
                    HEAD "`resources`: [{`type`: `Microsoft.ApiManagement/service/namedValues`, "
                         "`apiVersion`: `2024-05-01`, `name`: `svc/key`, `properties`: "
                         "{`displayName`: `key`, `value`: "
                         "`[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'sa'), "
                         "'2023-01-01').keys[0].value]`}}]}",
                    NULL),
        0);
    const struct jval *v = jval_get(jval_get(res(&t, 0)->body, "properties"), "value");
    CU_ASSERT_EQUAL(v->kind, JV_UNKNOWN);
    tu_release(&t);
}

/* Object keys that are expressions are evaluated wherever an object is a
 * value; "[[" keeps a literal '['. */
static void test_expression_keys(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_eval_in(
        &t, NULL, "{`o`: {`[format('a-{0}', 1)]`: {`[toUpper('b')]`: 2}, `[[x]`: 3, `c`: 4}}",
        "[variables('o')]");
    CU_ASSERT_STRING_EQUAL(tu_json(&t, v), "{\"a-1\":{\"B\":2},\"[x]\":3,\"c\":4}");
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_EQUAL(tu_template(&t,
                                HEAD "`languageVersion`: `2.0`, `resources`: {}, `outputs`: {`o`: "
                                     "{`type`: `object`, `value`: {`[concat('k', '1')]`: 1}}}}",
                                NULL),
                    0);
    CU_ASSERT_STRING_EQUAL(tu_json(&t, jval_get(jval_get(t.env.outputs, "o"), "value")),
                           "{\"k1\":1}");
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_eval_in(&t, NULL, "{`o`: {`[length('ab')]`: 1}}", "[variables('o')]"));
    CU_ASSERT_TRUE(tu_has(&t, DC_EVAL, "an object key must be a string, not an int"));
    tu_release(&t);
}

/* reference(..., 'Full') is open below its top level: what the resource
 * provider adds (identity.principalId) is unknown, not missing. */
static void test_reference_full_open(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        tu_template(&t,
                    HEAD
                    "`resources`: [{`type`: `Microsoft.ApiManagement/service`, "
                    "`apiVersion`: `2024-05-01`, `name`: `svc`, `identity`: {`type`: "
                    "`SystemAssigned`}, `properties`: {`publisherName`: `C`, "
                    "`hostnameConfigurations`: []}}], `outputs`: {`p`: {`type`: `string`, "
                    "`value`: `[reference('svc', '2024-05-01', 'Full').identity.principalId]`}, "
                    "`t`: {`type`: `string`, `value`: `[reference('svc', '2024-05-01', "
                    "'Full').identity.type]`}, `h`: {`type`: `string`, `value`: "
                    "`[reference('svc').hostnameConfigurations[0].hostName]`}, `g`: {`type`: "
                    "`string`, `value`: `[tryGet(reference('svc', '2024-05-01', 'Full'), "
                    "'identity', 'tenantId')]`}}}",
                    NULL),
        0);
    const struct jval *o = t.env.outputs;
    CU_ASSERT_EQUAL(jval_get(jval_get(o, "p"), "value")->kind, JV_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(tu_json(&t, jval_get(jval_get(o, "t"), "value")), "\"SystemAssigned\"");
    CU_ASSERT_EQUAL(jval_get(jval_get(o, "h"), "value")->kind, JV_UNKNOWN);
    CU_ASSERT_EQUAL(jval_get(jval_get(o, "g"), "value")->kind, JV_UNKNOWN);
    tu_release(&t);
    /* A template's own values stay checked. */
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_eval_in(&t, NULL, "{`a`: []}", "[variables('a')[0]]"));
    CU_ASSERT_TRUE(tu_has(&t, DC_NO_PROPERTY, "index 0 is out of range"));
    tu_release(&t);
}

static void test_user_functions(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        tu_template(&t,
                    HEAD "`functions`: [{`namespace`: `contoso`, `members`: {`prefixed`: "
                         "{`parameters`: [{`name`: `n`, `type`: `string`}], `output`: {`type`: "
                         "`string`, `value`: `[concat('api-', parameters('n'))]`}}}}], "
                         "`resources`: [], `outputs`: {`o`: {`type`: `string`, `value`: "
                         "`[contoso.prefixed('orders')]`}}}",
                    NULL),
        0);
    CU_ASSERT_STRING_EQUAL(tu_json(&t, jval_get(jval_get(t.env.outputs, "o"), "value")),
                           "\"api-orders\"");
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "structure errors", test_structure_errors },
    { "variables: lazy, cycles, suggestions", test_variables_lazy_and_cycles },
    { "unused variables are checked", test_unused_variable_checked },
    { "variable copy and property copy", test_variable_copy_and_property_copy },
    { "resource copy loop", test_resource_copy_loop },
    { "copy errors", test_copy_errors },
    { "copyIndex outside a loop", test_copy_index_outside_loop },
    { "condition", test_condition },
    { "nested children", test_nested_children },
    { "name segments", test_name_segments },
    { "duplicate resource", test_duplicate_resource },
    { "dependsOn forms", test_depends_on_forms },
    { "the '[' trap", test_bracket_trap },
    { "nested deployment, inner scope", test_nested_deployment_inner_scope },
    { "nested deployment, outer scope", test_nested_deployment_outer_scope },
    { "linked template warns", test_linked_template_warns },
    { "outputs", test_outputs },
    { "symbolic resources (languageVersion 2.0)", test_symbolic_resources },
    { "unknown values flow", test_unknown_values_flow },
    { "user-defined functions", test_user_functions },
    { "expression object keys", test_expression_keys },
    { "reference(..., 'Full') is open", test_reference_full_open },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "arm_template", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
