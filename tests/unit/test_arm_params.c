/* Unit tests for ARM template parameters (arm_bind.c, arm_template.c):
 * declarations, values from name=value overrides and parameters files,
 * defaults, and every check against the declaration (type, allowedValues,
 * ranges, lengths, user-defined types), secure values and sample values. */
#include <string.h>

#include "cunit_run.h"
#include "testutil.h"

#define SCHEMA                                                                            \
    "`$schema`: "                                                                         \
    "`https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#`, " \
    "`contentVersion`: `1.0.0.0`, "

/* A template with the given parameters and outputs (member lists). */
#define TPL(params, outputs) \
    "{" SCHEMA "`parameters`: {" params "}, `resources`: [], `outputs`: {" outputs "}}"

/* languageVersion 2.0 with user-defined types. */
#define TPL2(defs, params)                                                                   \
    "{" SCHEMA "`languageVersion`: `2.0`, `definitions`: {" defs "}, `parameters`: {" params \
    "}, `resources`: {}}"

/* The value of output name as compact JSON ("null" if there is none). */
static const char *out(struct tu *t, const char *name)
{
    return tu_json(t, jval_get(jval_get(t->env.outputs, name), "value"));
}

/* The first diagnostic with this code, or NULL. */
static const struct diag_entry *first(const struct tu *t, enum diag_code code)
{
    for (size_t i = 0; i < t->diag.n; i++)
        if (t->diag.v[i]->code == code)
            return t->diag.v[i];
    return NULL;
}

static bool has_note(const struct diag_entry *e, const char *part)
{
    for (const struct diag_entry *n = e ? e->notes : NULL; n; n = n->next)
        if (strstr(n->msg, part))
            return true;
    return false;
}

/* True if text appears in any message or note of the run. */
static bool any_message_has(const struct tu *t, const char *text)
{
    for (size_t i = 0; i < t->diag.n; i++) {
        if (strstr(t->diag.v[i]->msg, text))
            return true;
        for (const struct diag_entry *n = t->diag.v[i]->notes; n; n = n->next)
            if (strstr(n->msg, text))
                return true;
    }
    return false;
}

/* Reads a parameters file (inline JSON), then evaluates the template with
 * its values. Returns the number of errors. */
static unsigned with_file(struct tu *t, const char *tpl, const char *file)
{
    unsigned before = t->diag.nerrors;
    struct arm_param_value *head = NULL, **tail = &head;
    struct jval *doc = tu_parse(t, file);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL(arm_read_parameters_file(&t->arena, &t->diag, doc, &tail), 0);
    struct jval *tdoc = tu_parse(t, tpl);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tdoc);
    (void)arm_evaluate(&t->env, tdoc, head);
    model_add_arm(&t->model, &t->env);
    model_check(&t->model);
    return t->diag.nerrors - before;
}

#define PFILE(members)                                                                      \
    "{`$schema`: "                                                                          \
    "`https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#`, " \
    "`contentVersion`: `1.0.0.0`, `parameters`: {" members "}}"

/* ---- declarations ---- */

static void test_type_names_case_insensitive(void)
{
    struct tu t;
    tu_init(&t);
    unsigned errors = tu_template(
        &t,
        TPL("`a`: {`type`: `String`, `defaultValue`: `x`}, `b`: {`type`: `SECURESTRING`, "
            "`defaultValue`: `y`}, `c`: {`type`: `secureObject`, `defaultValue`: {}}, "
            "`d`: {`type`: `Int`, `defaultValue`: 1}, `e`: {`type`: `BOOL`, `defaultValue`: "
            "true}, `f`: {`type`: `Array`, `defaultValue`: []}, `g`: {`type`: `Object`, "
            "`defaultValue`: {}}, `h`: {`type`: `secureobject`, `defaultValue`: {}}",
            "`od`: {`type`: `int`, `value`: `[parameters('d')]`}"),
        NULL);
    CU_ASSERT_EQUAL(errors, 0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_DECL), 0);
    CU_ASSERT_STRING_EQUAL(out(&t, "od"), "1");
    tu_release(&t);
}

static void test_invalid_declarations(void)
{
    struct tu t;
    tu_init(&t);
    tu_template(&t,
                "{" SCHEMA "`parameters`: {\n"
                "  `a`: {`type`: `text`, `defaultValue`: `x`},\n"
                "  `b`: {`defaultValue`: `x`},\n"
                "  `c`: {`type`: 5},\n"
                "  `d`: `string`\n"
                "}, `resources`: []}",
                NULL);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_DECL), 4);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_DECL, "parameter 'a' has an invalid type"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_DECL, "parameter 'b' has no 'type'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_DECL, "parameter 'c' has an invalid type"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_DECL, "parameter 'd' must be declared with an object"));
    unsigned line, col;
    tu_where(&t, DC_PARAM_DECL, &line, &col); /* at the bad type name */
    CU_ASSERT_EQUAL(line, 2);
    CU_ASSERT_EQUAL(col, 17);
    tu_release(&t);
}

static void test_constraint_declarations(void)
{
    struct tu t;
    tu_init(&t);
    tu_template(&t,
                TPL("`a`: {`type`: `string`, `defaultValue`: `x`, `allowedValues`: `x`}, "
                    "`b`: {`type`: `int`, `defaultValue`: 3, `minValue`: `1`, `maxValue`: 2.5}, "
                    "`c`: {`type`: `string`, `defaultValue`: `x`, `minLength`: true, "
                    "`maxLength`: null}",
                    ""),
                NULL);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_DECL, "parameter 'a': 'allowedValues' must be an array"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_DECL, "parameter 'b': 'minValue' must be an int"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_DECL, "parameter 'b': 'maxValue' must be an int"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_DECL, "parameter 'c': 'minLength' must be an int"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_DECL, "parameter 'c': 'maxLength' must be an int"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_DECL), 5);
    tu_release(&t);
}

/* ---- name=value overrides ---- */

static void test_overrides_convert_by_type(void)
{
    struct tu t;
    tu_init(&t);
    static const char *const params[] = {
        "count=-42",
        "flag=TRUE",
        "off=False",
        "list=[1, \"two\"]",
        "obj={\"a\": {\"b\": 1}}",
        "name=hello world",
        "num=007x",
        NULL,
    };
    unsigned errors = tu_template(
        &t,
        TPL("`count`: {`type`: `int`}, `flag`: {`type`: `bool`}, `off`: {`type`: `bool`}, "
            "`list`: {`type`: `array`}, `obj`: {`type`: `object`}, `name`: {`type`: `string`}, "
            "`num`: {`type`: `string`}",
            "`count`: {`type`: `int`, `value`: `[parameters('count')]`}, "
            "`flag`: {`type`: `bool`, `value`: `[parameters('flag')]`}, "
            "`off`: {`type`: `bool`, `value`: `[parameters('off')]`}, "
            "`list`: {`type`: `array`, `value`: `[parameters('list')]`}, "
            "`obj`: {`type`: `object`, `value`: `[parameters('obj')]`}, "
            "`name`: {`type`: `string`, `value`: `[parameters('name')]`}, "
            "`num`: {`type`: `string`, `value`: `[parameters('num')]`}"),
        params);
    CU_ASSERT_EQUAL(errors, 0);
    CU_ASSERT_STRING_EQUAL(out(&t, "count"), "-42");
    CU_ASSERT_STRING_EQUAL(out(&t, "flag"), "true");
    CU_ASSERT_STRING_EQUAL(out(&t, "off"), "false");
    CU_ASSERT_STRING_EQUAL(out(&t, "list"), "[1,\"two\"]");
    CU_ASSERT_STRING_EQUAL(out(&t, "obj"), "{\"a\":{\"b\":1}}");
    CU_ASSERT_STRING_EQUAL(out(&t, "name"), "\"hello world\"");
    CU_ASSERT_STRING_EQUAL(out(&t, "num"), "\"007x\""); /* a string stays as typed */
    tu_release(&t);
}

/* A bad value is reported in the synthetic "--parameters" source, at the
 * value after '='. */
static void test_override_bad_values(void)
{
    struct tu t;
    tu_init(&t);
    static const char *const params[] = { "count=abc", "flag=yes", "big=99999999999999999999",
                                          NULL };
    tu_template(
        &t, TPL("`count`: {`type`: `int`}, `flag`: {`type`: `bool`}, `big`: {`type`: `int`}", ""),
        params);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_TYPE), 3);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'count' must be an int, not a string"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'flag' must be a bool, not a string"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'big' must be an int"));
    const struct diag_entry *e = first(&t, DC_PARAM_TYPE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e->loc.src);
    CU_ASSERT_STRING_EQUAL(e->loc.src->name, "--parameters");
    CU_ASSERT_EQUAL(e->loc.start, 6);
    CU_ASSERT_EQUAL(e->loc.end, 9);
    unsigned line, col;
    tu_where(&t, DC_PARAM_TYPE, &line, &col);
    CU_ASSERT_EQUAL(line, 1);
    CU_ASSERT_EQUAL(col, 7);
    tu_release(&t);
}

/* A syntax error in an array or object value is located in the argument as
 * typed, like every other "--parameters" location: "list=[1, x]" has the x
 * in column 10. */
static void test_override_bad_json(void)
{
    struct tu t;
    tu_init(&t);
    static const char *const params[] = { "list=[1, x]", NULL };
    CU_ASSERT_NOT_EQUAL(tu_template(&t, TPL("`list`: {`type`: `array`}", ""), params), 0);
    const struct diag_entry *e = first(&t, DC_SYNTAX);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->loc.src->name, "--parameters");
    CU_ASSERT_EQUAL(tu_count(&t, DC_MISSING_PARAMETER), 0);
    unsigned line, col;
    tu_where(&t, DC_SYNTAX, &line, &col);
    CU_ASSERT_EQUAL(line, 1);
    CU_ASSERT_EQUAL(col, 10);
    tu_release(&t);
}

/* Later values win over earlier ones. */
static void test_override_last_wins(void)
{
    struct tu t;
    tu_init(&t);
    static const char *const params[] = { "n=1", "N=2", NULL };
    CU_ASSERT_EQUAL(tu_template(&t,
                                TPL("`n`: {`type`: `int`}",
                                    "`n`: {`type`: `int`, `value`: `[parameters('n')]`}"),
                                params),
                    0);
    CU_ASSERT_STRING_EQUAL(out(&t, "n"), "2");
    tu_release(&t);
}

/* ---- parameters files ---- */

static void test_parameters_file_values(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *doc =
        tu_parse(&t, PFILE("`name`: {`value`: `svc`}, `pw`: {`reference`: {`keyVault`: {`id`: "
                           "`/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/"
                           "vaults/kv`}, `secretName`: `pw`}}, `n`: {`value`: 3}"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_TRUE(arm_is_parameters_file(doc));
    CU_ASSERT_FALSE(arm_is_template(doc));
    struct arm_param_value *head = NULL, **tail = &head;
    CU_ASSERT_EQUAL(arm_read_parameters_file(&t.arena, &t.diag, doc, &tail), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(head);
    CU_ASSERT_TRUE(str_eq(head->name, STR_LIT("name")));
    CU_ASSERT_STRING_EQUAL(head->value->u.s.ptr, "svc");
    CU_ASSERT_FALSE(head->is_reference);
    CU_ASSERT_FALSE(head->from_text);
    struct arm_param_value *pw = head->next;
    CU_ASSERT_PTR_NOT_NULL_FATAL(pw);
    CU_ASSERT_TRUE(str_eq(pw->name, STR_LIT("pw")));
    CU_ASSERT_TRUE(pw->is_reference);
    CU_ASSERT_PTR_NULL(pw->value);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pw->next);
    CU_ASSERT_EQUAL(pw->next->value->u.i, 3);
    CU_ASSERT_PTR_NULL(pw->next->next);
    CU_ASSERT_PTR_EQUAL(tail, &pw->next->next);
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

/* A Key Vault reference is known only at deployment: no error, an unknown
 * value that is never checked against allowedValues. */
static void test_parameters_file_key_vault(void)
{
    struct tu t;
    tu_init(&t);
    unsigned errors = with_file(
        &t,
        TPL("`pw`: {`type`: `securestring`, `minLength`: 40}, `n`: {`type`: `int`}",
            "`n`: {`type`: `int`, `value`: `[parameters('n')]`}"),
        PFILE("`pw`: {`reference`: {`keyVault`: {`id`: `/subscriptions/x/resourceGroups/rg/"
              "providers/Microsoft.KeyVault/vaults/kv`}, `secretName`: `pw`}}, "
              "`n`: {`value`: 8}"));
    CU_ASSERT_EQUAL(errors, 0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_MISSING_PARAMETER), 0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_LENGTH), 0);
    CU_ASSERT_STRING_EQUAL(out(&t, "n"), "8");
    tu_release(&t);
}

static void test_parameters_file_structure(void)
{
    struct tu t;
    tu_init(&t);
    struct arm_param_value *head = NULL, **tail = &head;
    struct jval *doc = tu_parse(&t, "{`contentVersion`: `1.0.0.0`, `parameters`: []}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL(arm_read_parameters_file(&t.arena, &t.diag, doc, &tail), -1);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_FILE, "needs a 'parameters' object"));
    doc = tu_parse(&t, "[1]");
    CU_ASSERT_EQUAL(arm_read_parameters_file(&t.arena, &t.diag, doc, &tail), -1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_FILE), 2);
    CU_ASSERT_PTR_NULL(head);
    tu_release(&t);

    tu_init(&t);
    head = NULL;
    tail = &head;
    doc = tu_parse(&t, PFILE("`a`: 5, `b`: {`val`: 1}, `c`: {`reference`: `kv`}, "
                             "`d`: {`reference`: {`keyVault`: {`id`: `x`}}}, `ok`: {`value`: 1}"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL(arm_read_parameters_file(&t.arena, &t.diag, doc, &tail), -1);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_FILE, "parameter 'a' needs an object"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_FILE, "parameter 'b' needs an object"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_FILE, "Key Vault reference needs"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_FILE), 4);
    /* Malformed entries stay in the list, marked invalid, so the template
     * does not also report them as missing; the good entry is read. */
    size_t n = 0, invalid = 0;
    const struct arm_param_value *ok = NULL;
    for (const struct arm_param_value *v = head; v; v = v->next) {
        n++;
        invalid += v->invalid;
        if (str_eq(v->name, STR_LIT("ok")))
            ok = v;
    }
    CU_ASSERT_EQUAL(n, 5);
    CU_ASSERT_EQUAL(invalid, 4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ok);
    CU_ASSERT_FALSE(ok->invalid);
    CU_ASSERT_EQUAL(ok->value->u.i, 1);
    tu_release(&t);
}

/* ARM needs keyVault.id: a reference without it cannot be resolved. */
static void test_parameters_file_key_vault_needs_id(void)
{
    struct tu t;
    tu_init(&t);
    struct arm_param_value *head = NULL, **tail = &head;
    struct jval *doc =
        tu_parse(&t, PFILE("`pw`: {`reference`: {`keyVault`: {}, `secretName`: `pw`}}"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL(arm_read_parameters_file(&t.arena, &t.diag, doc, &tail), -1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_FILE), 1);
    tu_release(&t);
}

static void test_parameters_file_unknown_key(void)
{
    struct tu t;
    tu_init(&t);
    struct arm_param_value *head = NULL, **tail = &head;
    struct jval *doc =
        tu_parse(&t, "{`contentVersion`: `1.0.0.0`, `parameter`: 1, `parameters`: {}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL(arm_read_parameters_file(&t.arena, &t.diag, doc, &tail), 0);
    CU_ASSERT_TRUE(tu_has(&t, DC_UNKNOWN_TEMPLATE_KEY, "'parameter'"));
    CU_ASSERT_EQUAL(t.diag.nerrors, 0);
    tu_release(&t);
}

/* ---- missing and undeclared ---- */

static void test_missing_required(void)
{
    struct tu t;
    tu_init(&t);
    unsigned errors = tu_template(&t,
                                  "{" SCHEMA "\n`parameters`: {\n"
                                  "  `svcName`: {`type`: `string`},\n"
                                  "  `other`: {`type`: `string`, `defaultValue`: `x`}\n"
                                  "}, `resources`: []}",
                                  NULL);
    CU_ASSERT_EQUAL(errors, 1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_MISSING_PARAMETER), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_MISSING_PARAMETER, "'svcName'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_MISSING_PARAMETER, "--parameters svcName=VALUE"));
    CU_ASSERT_EQUAL(first(&t, DC_MISSING_PARAMETER)->level, DIAG_ERROR);
    unsigned line, col;
    tu_where(&t, DC_MISSING_PARAMETER, &line, &col);
    CU_ASSERT_EQUAL(line, 3);
    CU_ASSERT_EQUAL(col, 3);
    tu_release(&t);
}

static void test_undeclared_value(void)
{
    struct tu t;
    tu_init(&t);
    static const char *const params[] = { "servicName=x", "zzz=1", NULL };
    tu_template(&t, TPL("`serviceName`: {`type`: `string`, `defaultValue`: `a`}", ""), params);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_UNDECLARED), 2);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_UNDECLARED, "parameter 'servicName'"));
    const struct diag_entry *e = first(&t, DC_PARAM_UNDECLARED);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_TRUE(has_note(e, "did you mean 'serviceName'?"));
    CU_ASSERT_STRING_EQUAL(e->loc.src->name, "--parameters");
    CU_ASSERT_EQUAL(e->loc.start, 0);
    CU_ASSERT_EQUAL(e->loc.end, 10);
    /* Nothing close: no suggestion. */
    for (size_t i = 0; i < t.diag.n; i++)
        if (t.diag.v[i]->code == DC_PARAM_UNDECLARED && strstr(t.diag.v[i]->msg, "'zzz'"))
            CU_ASSERT_PTR_NULL(t.diag.v[i]->notes);
    tu_release(&t);
}

/* ---- defaults ---- */

static void test_default_expressions(void)
{
    struct tu t;
    tu_init(&t);
    const char *tpl =
        TPL("`full`: {`type`: `string`, `defaultValue`: `[concat(parameters('prefix'), "
            "'-', parameters('n'))]`}, `prefix`: {`type`: `string`, `defaultValue`: `api`}, "
            "`n`: {`type`: `int`, `defaultValue`: `[add(1, 2)]`}",
            "`full`: {`type`: `string`, `value`: `[parameters('full')]`}");
    CU_ASSERT_EQUAL(tu_template(&t, tpl, NULL), 0);
    CU_ASSERT_STRING_EQUAL(out(&t, "full"), "\"api-3\"");
    tu_release(&t);

    tu_init(&t);
    static const char *const params[] = { "prefix=web", "n=9", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, params), 0);
    CU_ASSERT_STRING_EQUAL(out(&t, "full"), "\"web-9\"");
    tu_release(&t);
}

static void test_default_cycle(void)
{
    struct tu t;
    tu_init(&t);
    tu_template(&t,
                TPL("`a`: {`type`: `string`, `defaultValue`: `[parameters('b')]`}, "
                    "`b`: {`type`: `string`, `defaultValue`: `[parameters('a')]`}, "
                    "`c`: {`type`: `string`, `defaultValue`: `[parameters('c')]`}",
                    ""),
                NULL);
    CU_ASSERT_EQUAL(tu_count(&t, DC_CYCLE), 2);
    CU_ASSERT_TRUE(tu_has(&t, DC_CYCLE, "parameter 'a' depends on itself"));
    CU_ASSERT_TRUE(tu_has(&t, DC_CYCLE, "parameter 'c' depends on itself"));
    CU_ASSERT_TRUE(has_note(first(&t, DC_CYCLE), "parameter declared here"));
    tu_release(&t);
}

/* A default may use other parameters, but not variables (they are
 * evaluated after parameters) or functions that need a deployed resource. */
static void test_default_restrictions(void)
{
    struct tu t;
    tu_init(&t);
    tu_template(&t,
                "{" SCHEMA "`parameters`: {`a`: {`type`: `string`, `defaultValue`: "
                "`[variables('v')]`}}, `variables`: {`v`: `x`}, `resources`: []}",
                NULL);
    CU_ASSERT_EQUAL(tu_count(&t, DC_NOT_ALLOWED_HERE), 1);
    tu_release(&t);

    tu_init(&t);
    tu_template(&t,
                TPL("`a`: {`type`: `object`, `defaultValue`: `[reference('x', "
                    "'2020-01-01')]`}, `b`: {`type`: `string`, `defaultValue`: `[utcNow()]`}",
                    ""),
                NULL);
    CU_ASSERT_EQUAL(tu_count(&t, DC_NOT_ALLOWED_HERE), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_NOT_ALLOWED_HERE,
                          "'reference' cannot be used in parameter "
                          "defaults"));
    tu_release(&t);
}

/* The default is checked like a supplied value. */
static void test_default_is_checked(void)
{
    struct tu t;
    tu_init(&t);
    tu_template(&t,
                "{" SCHEMA "`parameters`: {\n"
                "  `n`: {`type`: `int`, `maxValue`: 5, `defaultValue`: 9}\n"
                "}, `resources`: []}",
                NULL);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_RANGE), 1);
    unsigned line, col;
    tu_where(&t, DC_PARAM_RANGE, &line, &col);
    CU_ASSERT_EQUAL(line, 2);
    CU_ASSERT_EQUAL(col, 55);
    tu_release(&t);
}

/* A null value means "no value": the default applies. Bicep passes
 * tryGet(...) results to optional module parameters this way. */
static void test_null_uses_default(void)
{
    struct tu t;
    tu_init(&t);
    unsigned errors =
        with_file(&t,
                  TPL("`sku`: {`type`: `string`, `defaultValue`: `Developer`}, "
                      "`opt`: {`type`: `string`, `nullable`: true}",
                      "`sku`: {`type`: `string`, `value`: `[parameters('sku')]`}, "
                      "`opt`: {`type`: `bool`, `value`: `[equals(parameters('opt'), null())]`}"),
                  PFILE("`sku`: {`value`: null}, `opt`: {`value`: null}"));
    CU_ASSERT_EQUAL(errors, 0);
    CU_ASSERT_STRING_EQUAL(out(&t, "sku"), "\"Developer\"");
    CU_ASSERT_STRING_EQUAL(out(&t, "opt"), "true");
    tu_release(&t);
}

/* The same through a nested deployment, the way Bicep modules are built. */
static void test_null_module_parameter(void)
{
    struct tu t;
    tu_init(&t);
    unsigned errors = tu_template(
        &t,
        "{" SCHEMA "`resources`: [{`type`: `Microsoft.Resources/deployments`, `apiVersion`: "
        "`2022-09-01`, `name`: `mod`, `properties`: {`mode`: `Incremental`, "
        "`expressionEvaluationOptions`: {`scope`: `inner`}, `parameters`: {`tier`: {`value`: "
        "`[null()]`}}, `template`: {" SCHEMA "`parameters`: {`tier`: {`type`: `string`, "
        "`defaultValue`: `fallback`}}, `resources`: [], `outputs`: {`tier`: {`type`: `string`, "
        "`value`: `[parameters('tier')]`}}}}}]}",
        NULL);
    CU_ASSERT_EQUAL(errors, 0);
    const struct arm_resource *r = t.env.resources;
    while (r && !str_ieq_cstr(r->type, "Microsoft.Resources/deployments"))
        r = r->next;
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_STRING_EQUAL(tu_json(&t, jval_get(jval_get(r->outputs, "tier"), "value")),
                           "\"fallback\"");
    tu_release(&t);
}

/* Without a default, null is a type error, not a silent pass. */
static void test_null_without_default(void)
{
    struct tu t;
    tu_init(&t);
    unsigned errors =
        with_file(&t, TPL("`sku`: {`type`: `string`}", ""), PFILE("`sku`: {`value`: null}"));
    CU_ASSERT_EQUAL(errors, 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'sku' must be a string, not a null"));
    tu_release(&t);
}

static void test_nullable_without_default(void)
{
    struct tu t;
    tu_init(&t);
    unsigned errors = tu_template(
        &t,
        TPL("`tag`: {`type`: `string`, `nullable`: true}",
            "`isNull`: {`type`: `bool`, `value`: `[equals(parameters('tag'), null())]`}"),
        NULL);
    CU_ASSERT_EQUAL(errors, 0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_MISSING_PARAMETER), 0);
    CU_ASSERT_STRING_EQUAL(out(&t, "isNull"), "true");
    tu_release(&t);
}

/* ---- checks against the declaration ---- */

/* Types are strict: the string "1" is not an int, "true" is not a bool. */
static void test_type_mismatch_strict(void)
{
    struct tu t;
    tu_init(&t);
    with_file(&t,
              TPL("`n`: {`type`: `int`}, `b`: {`type`: `bool`}, `s`: {`type`: `string`}, "
                  "`a`: {`type`: `array`}, `o`: {`type`: `object`}, `r`: {`type`: `int`}",
                  ""),
              PFILE("\n`n`: {`value`: `1`}, `b`: {`value`: `true`}, `s`: {`value`: 1}, "
                    "`a`: {`value`: {}}, `o`: {`value`: []}, `r`: {`value`: 1.5}"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_TYPE), 6);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'n' must be an int, not a string"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'b' must be a bool, not a string"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 's' must be a string, not an int"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'a' must be an array, not an object"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'o' must be an object, not an array"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'r' must be an int"));
    /* Located at the value in the parameters file. */
    unsigned line, col;
    tu_where(&t, DC_PARAM_TYPE, &line, &col);
    CU_ASSERT_EQUAL(line, 2);
    CU_ASSERT_EQUAL(col, 16);
    tu_release(&t);
}

static void test_allowed_values(void)
{
    struct tu t;
    tu_init(&t);
    const char *tpl = TPL("`sku`: {`type`: `string`, `allowedValues`: [`Developer`, `Premium`]}",
                          "`sku`: {`type`: `string`, `value`: `[parameters('sku')]`}");
    static const char *const ok[] = { "sku=Premium", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, ok), 0);
    CU_ASSERT_STRING_EQUAL(out(&t, "sku"), "\"Premium\"");
    tu_release(&t);

    tu_init(&t);
    static const char *const icase[] = { "sku=developer", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, icase), 1);
    const struct diag_entry *e = first(&t, DC_PARAM_ALLOWED);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_PTR_NOT_NULL(strstr(e->msg, "\"developer\" is not one of the allowed values: "
                                          "\"Developer\", \"Premium\""));
    CU_ASSERT_TRUE(has_note(e, "differs only in case"));
    CU_ASSERT_TRUE(has_note(e, "allowed values declared here"));
    tu_release(&t);

    tu_init(&t);
    static const char *const bad[] = { "sku=Basic", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, bad), 1);
    e = first(&t, DC_PARAM_ALLOWED);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_FALSE(has_note(e, "differs only in case"));
    CU_ASSERT_TRUE(has_note(e, "allowed values declared here"));
    tu_release(&t);
}

/* Exact comparison across types: 1 is not "1". */
static void test_allowed_values_exact(void)
{
    struct tu t;
    tu_init(&t);
    with_file(&t,
              TPL("`n`: {`type`: `int`, `allowedValues`: [1, 2]}, "
                  "`o`: {`type`: `object`, `allowedValues`: [{`a`: 1}]}",
                  ""),
              PFILE("`n`: {`value`: 3}, `o`: {`value`: {`a`: 1}}"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_ALLOWED), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_ALLOWED, "parameter 'n': 3 is not one of"));
    tu_release(&t);
}

/* For an array, every element must be one of the allowed values. */
static void test_allowed_values_array(void)
{
    struct tu t;
    tu_init(&t);
    const char *tpl = TPL("`regions`: {`type`: `array`, `allowedValues`: [`east`, `west`]}",
                          "`n`: {`type`: `int`, `value`: `[length(parameters('regions'))]`}");
    static const char *const ok[] = { "regions=[\"west\", \"east\", \"west\"]", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, ok), 0);
    CU_ASSERT_STRING_EQUAL(out(&t, "n"), "3");
    tu_release(&t);

    tu_init(&t);
    static const char *const bad[] = { "regions=[\"east\", \"north\"]", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, bad), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_ALLOWED, "element \"north\" is not one of the allowed"));
    tu_release(&t);
}

static void test_min_max_value(void)
{
    struct tu t;
    tu_init(&t);
    const char *tpl = TPL("`lo`: {`type`: `int`, `minValue`: 1, `maxValue`: 10}, "
                          "`hi`: {`type`: `int`, `minValue`: 1, `maxValue`: 10}, "
                          "`e1`: {`type`: `int`, `minValue`: 1, `maxValue`: 10}, "
                          "`e2`: {`type`: `int`, `minValue`: 1, `maxValue`: 10}",
                          "");
    static const char *const params[] = { "lo=0", "hi=11", "e1=1", "e2=10", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, params), 2);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_RANGE), 2);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_RANGE, "parameter 'lo': 0 is less than the minimum 1"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_RANGE, "parameter 'hi': 11 is more than the maximum 10"));
    tu_release(&t);
}

/* Lengths count characters, not bytes: "é€😀" is 3 characters. */
static void test_string_length(void)
{
    struct tu t;
    tu_init(&t);
    const char *tpl = TPL("`a`: {`type`: `string`, `minLength`: 2, `maxLength`: 3}, "
                          "`b`: {`type`: `string`, `minLength`: 2, `maxLength`: 3}, "
                          "`c`: {`type`: `string`, `minLength`: 2, `maxLength`: 3}, "
                          "`d`: {`type`: `string`, `maxLength`: 2}",
                          "");
    static const char *const params[] = { "a=é€😀", "b=abcd", "c=é", "d=é€😀", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, params), 3);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_LENGTH), 3);
    CU_ASSERT_FALSE(tu_has(&t, DC_PARAM_LENGTH, "parameter 'a'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_LENGTH,
                          "parameter 'b' has 4 characters; the maximum "
                          "length is 3"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_LENGTH,
                          "parameter 'c' has 1 characters; the minimum "
                          "length is 2"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_LENGTH, "parameter 'd' has 3 characters"));
    tu_release(&t);
}

static void test_array_length(void)
{
    struct tu t;
    tu_init(&t);
    const char *tpl = TPL("`a`: {`type`: `array`, `minLength`: 1, `maxLength`: 2}, "
                          "`b`: {`type`: `array`, `minLength`: 1, `maxLength`: 2}, "
                          "`c`: {`type`: `array`, `minLength`: 1, `maxLength`: 2}",
                          "");
    static const char *const params[] = { "a=[]", "b=[1, 2, 3]", "c=[[1, 2, 3]]", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, params), 2);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_LENGTH,
                          "parameter 'a' has 0 items; the minimum length "
                          "is 1"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_LENGTH,
                          "parameter 'b' has 3 items; the maximum length "
                          "is 2"));
    CU_ASSERT_FALSE(tu_has(&t, DC_PARAM_LENGTH, "parameter 'c'"));
    tu_release(&t);
}

/* ---- user-defined types (languageVersion 2.0) ---- */

static void test_udt_ref(void)
{
    struct tu t;
    tu_init(&t);
    const char *tpl = TPL2("`skuName`: {`type`: `string`, `allowedValues`: [`Basic`, `Premium`]}",
                           "`sku`: {`$ref`: `#/definitions/skuName`}, "
                           "`bad`: {`$ref`: `#/definitions/nope`, `defaultValue`: 1}");
    static const char *const params[] = { "sku=Gold", NULL };
    tu_template(&t, tpl, params);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_ALLOWED, "parameter 'sku': \"Gold\" is not one of"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_DECL,
                          "parameter 'bad' refers to an undefined type '#/definitions/"
                          "nope'"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_DECL), 1);
    tu_release(&t);
}

#define SERVICE_TYPE                                                                        \
    "`svc`: {`type`: `object`, `properties`: {`name`: {`type`: `string`}, "                 \
    "`size`: {`type`: `int`, `nullable`: true}, `tags`: {`$ref`: `#/definitions/tags`}}}, " \
    "`tags`: {`type`: `object`, `nullable`: true, `additionalProperties`: {`type`: `string`}}"

static void test_udt_properties(void)
{
    struct tu t;
    tu_init(&t);
    const char *tpl = TPL2(SERVICE_TYPE, "`p`: {`$ref`: `#/definitions/svc`}");
    static const char *const ok[] = { "p={\"name\": \"x\", \"tags\": {\"env\": \"dev\"}}", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, ok), 0);
    tu_release(&t);

    tu_init(&t);
    static const char *const nullok[] = { "p={\"name\": \"x\", \"size\": null}", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, nullok), 0);
    tu_release(&t);

    tu_init(&t);
    static const char *const bad[] = { "p={\"size\": \"big\", \"tags\": {\"n\": 1}}", NULL };
    tu_template(&t, tpl, bad);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'p': missing required property 'name'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'p.size' must be an int, not a string"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'p.tags.n' must be a string"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_TYPE), 3);
    tu_release(&t);
}

static void test_udt_sealed(void)
{
    struct tu t;
    tu_init(&t);
    const char *tpl = TPL2("`a`: {`type`: `object`, `properties`: {`x`: {`type`: `int`}}, "
                           "`additionalProperties`: false}, "
                           "`b`: {`type`: `object`, `sealed`: true, `properties`: {`x`: {`type`: "
                           "`int`}}}, "
                           "`c`: {`type`: `object`, `properties`: {`x`: {`type`: `int`}}}",
                           "`pa`: {`$ref`: `#/definitions/a`}, `pb`: {`$ref`: `#/definitions/b`}, "
                           "`pc`: {`$ref`: `#/definitions/c`}");
    static const char *const params[] = { "pa={\"x\": 1, \"y\": 2}", "pb={\"x\": 1, \"z\": 2}",
                                          "pc={\"x\": 1, \"w\": 2}", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, params), 2);
    CU_ASSERT_TRUE(
        tu_has(&t, DC_PARAM_TYPE, "parameter 'pa': property 'y' is not allowed by the declared"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'pb': property 'z' is not allowed"));
    CU_ASSERT_FALSE(tu_has(&t, DC_PARAM_TYPE, "'w'"));
    tu_release(&t);
}

static void test_udt_items(void)
{
    struct tu t;
    tu_init(&t);
    const char *tpl = TPL2("`ports`: {`type`: `array`, `items`: {`type`: `int`, `maxValue`: "
                           "65535}}",
                           "`p`: {`$ref`: `#/definitions/ports`}");
    static const char *const params[] = { "p=[80, \"443\", 70000]", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, params), 2);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "parameter 'p[1]' must be an int, not a string"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_RANGE, "parameter 'p[2]': 70000 is more than"));
    tu_release(&t);
}

#define UNION_TYPES                                                                           \
    "`cat`: {`type`: `object`, `properties`: {`kind`: {`type`: `string`}, `lives`: {`type`: " \
    "`int`}}}, "                                                                              \
    "`dog`: {`type`: `object`, `properties`: {`kind`: {`type`: `string`}, `bark`: {`type`: "  \
    "`bool`}}}, "                                                                             \
    "`pet`: {`type`: `object`, `discriminator`: {`propertyName`: `kind`, `mapping`: {`cat`: " \
    "{`$ref`: `#/definitions/cat`}, `dog`: {`$ref`: `#/definitions/dog`}}}}"

static void test_udt_discriminator(void)
{
    struct tu t;
    tu_init(&t);
    const char *tpl = TPL2(UNION_TYPES, "`p`: {`$ref`: `#/definitions/pet`}");
    static const char *const ok[] = { "p={\"kind\": \"dog\", \"bark\": true}", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, ok), 0);
    tu_release(&t);

    tu_init(&t);
    static const char *const wrong[] = { "p={\"kind\": \"cat\", \"bark\": true}", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, wrong), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "missing required property 'lives'"));
    tu_release(&t);

    tu_init(&t);
    static const char *const unknown[] = { "p={\"kind\": \"fish\"}", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, unknown), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "'fish' is not a known value of 'kind'"));
    tu_release(&t);

    tu_init(&t);
    static const char *const none[] = { "p={\"bark\": true}", NULL };
    CU_ASSERT_EQUAL(tu_template(&t, tpl, none), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_PARAM_TYPE, "missing discriminator property 'kind'"));
    tu_release(&t);
}

/* ---- secure values ---- */

/* A secure value never appears in a message, whatever check fails. */
static void test_secure_values_not_printed(void)
{
    struct tu t;
    tu_init(&t);
    static const char *const params[] = { "pw=hunter2secret", "cfg={\"key\": \"hunter2secret\"}",
                                          "pw2=topsecret", NULL };
    tu_template(&t,
                TPL("`pw`: {`type`: `securestring`, `allowedValues`: [`a`, `b`]}, "
                    "`cfg`: {`type`: `secureObject`, `allowedValues`: [{`key`: `x`}]}, "
                    "`pw2`: {`type`: `securestring`, `allowedValues`: [`Topsecret`]}",
                    ""),
                params);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PARAM_ALLOWED), 3);
    CU_ASSERT_FALSE(any_message_has(&t, "hunter2secret"));
    CU_ASSERT_FALSE(any_message_has(&t, "topsecret"));
    CU_ASSERT_TRUE(has_note(first(&t, DC_PARAM_ALLOWED), "allowed values declared here"));
    tu_release(&t);
}

/* A secureObject given as name=value text that is not valid JSON: the
 * syntax error must not quote the secret back. */
static void test_secure_override_syntax_error(void)
{
    struct tu t;
    tu_init(&t);
    static const char *const params[] = { "so={\"a\": hunter2}", NULL };
    CU_ASSERT_NOT_EQUAL(tu_template(&t, TPL("`so`: {`type`: `secureObject`}", ""), params), 0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_SYNTAX), 1);
    CU_ASSERT_FALSE(any_message_has(&t, "hunter2"));
    tu_release(&t);
}

/* Hiding a secure value does not change it: functions still see it. */
static void test_secure_value_usable(void)
{
    struct tu t;
    tu_init(&t);
    static const char *const params[] = { "pw=s3cret-value", NULL };
    CU_ASSERT_EQUAL(
        tu_template(&t,
                    TPL("`pw`: {`type`: `secureString`}",
                        "`len`: {`type`: `int`, `value`: `[length(parameters('pw'))]`}"),
                    params),
        0);
    CU_ASSERT_STRING_EQUAL(out(&t, "len"), "12");
    tu_release(&t);
}

/* ---- sample values ---- */

static void test_sample_parameters(void)
{
    struct tu t;
    tu_init(&t);
    t.env.sample_parameters = true;
    unsigned errors = tu_template(
        &t,
        TPL("`name`: {`type`: `string`}, `long`: {`type`: `string`, `minLength`: 14}, "
            "`short`: {`type`: `string`, `maxLength`: 4}, "
            "`sku`: {`type`: `string`, `allowedValues`: [`Premium`, `Basic`]}, "
            "`count`: {`type`: `int`, `minValue`: 3}, `one`: {`type`: `int`}, "
            "`flag`: {`type`: `bool`}, `list`: {`type`: `array`}, "
            "`obj`: {`type`: `object`}, `given`: {`type`: `string`, `defaultValue`: `d`}",
            "`name`: {`type`: `string`, `value`: `[parameters('name')]`}, "
            "`long`: {`type`: `string`, `value`: `[parameters('long')]`}, "
            "`short`: {`type`: `string`, `value`: `[parameters('short')]`}, "
            "`sku`: {`type`: `string`, `value`: `[parameters('sku')]`}, "
            "`count`: {`type`: `int`, `value`: `[parameters('count')]`}, "
            "`one`: {`type`: `int`, `value`: `[parameters('one')]`}, "
            "`flag`: {`type`: `bool`, `value`: `[parameters('flag')]`}, "
            "`list`: {`type`: `array`, `value`: `[parameters('list')]`}, "
            "`obj`: {`type`: `object`, `value`: `[parameters('obj')]`}"),
        NULL);
    CU_ASSERT_EQUAL(errors, 0);
    CU_ASSERT_STRING_EQUAL(out(&t, "name"), "\"sample-name\"");
    CU_ASSERT_STRING_EQUAL(out(&t, "long"), "\"sample-longxxx\"");
    CU_ASSERT_STRING_EQUAL(out(&t, "short"), "\"samp\"");
    CU_ASSERT_STRING_EQUAL(out(&t, "sku"), "\"Premium\"");
    CU_ASSERT_STRING_EQUAL(out(&t, "count"), "3");
    CU_ASSERT_STRING_EQUAL(out(&t, "one"), "1");
    CU_ASSERT_STRING_EQUAL(out(&t, "flag"), "false");
    CU_ASSERT_STRING_EQUAL(out(&t, "list"), "[]");
    CU_ASSERT_STRING_EQUAL(out(&t, "obj"), "{}");
    /* One note per sampled parameter; none for the one with a default. */
    CU_ASSERT_EQUAL(tu_count(&t, DC_MISSING_PARAMETER), 9);
    for (size_t i = 0; i < t.diag.n; i++)
        if (t.diag.v[i]->code == DC_MISSING_PARAMETER)
            CU_ASSERT_EQUAL(t.diag.v[i]->level, DIAG_NOTE);
    CU_ASSERT_TRUE(tu_has(&t, DC_MISSING_PARAMETER,
                          "parameter 'sku' has no value; using the sample value \"Premium\""));
    CU_ASSERT_FALSE(tu_has(&t, DC_MISSING_PARAMETER, "'given'"));
    tu_release(&t);
}

/* Sample values of user-defined types fill in the required properties. */
static void test_sample_user_defined_type(void)
{
    struct tu t;
    tu_init(&t);
    t.env.sample_parameters = true;
    unsigned errors =
        tu_template(&t,
                    "{" SCHEMA "`languageVersion`: `2.0`, `definitions`: {" SERVICE_TYPE
                    "}, `parameters`: {`p`: {`$ref`: `#/definitions/svc`}}, `resources`: {}, "
                    "`outputs`: {`p`: {`type`: `object`, `value`: `[parameters('p')]`}}}",
                    NULL);
    CU_ASSERT_EQUAL(errors, 0);
    CU_ASSERT_STRING_EQUAL(out(&t, "p"), "{\"name\":\"sample-name\"}");
    CU_ASSERT_EQUAL(tu_count(&t, DC_MISSING_PARAMETER), 1);
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "type names are case-insensitive", test_type_names_case_insensitive },
    { "invalid declarations", test_invalid_declarations },
    { "constraint declarations", test_constraint_declarations },
    { "overrides convert by type", test_overrides_convert_by_type },
    { "override bad values", test_override_bad_values },
    { "override bad JSON", test_override_bad_json },
    { "override: last wins", test_override_last_wins },
    { "parameters file values", test_parameters_file_values },
    { "parameters file Key Vault reference", test_parameters_file_key_vault },
    { "parameters file structure", test_parameters_file_structure },
    { "Key Vault reference needs keyVault.id", test_parameters_file_key_vault_needs_id },
    { "parameters file unknown key", test_parameters_file_unknown_key },
    { "missing required parameter", test_missing_required },
    { "undeclared parameter value", test_undeclared_value },
    { "default expressions", test_default_expressions },
    { "default cycle", test_default_cycle },
    { "default restrictions", test_default_restrictions },
    { "default is checked", test_default_is_checked },
    { "null uses the default", test_null_uses_default },
    { "null module parameter", test_null_module_parameter },
    { "null without default", test_null_without_default },
    { "nullable without default", test_nullable_without_default },
    { "type mismatch is strict", test_type_mismatch_strict },
    { "allowed values", test_allowed_values },
    { "allowed values are exact", test_allowed_values_exact },
    { "allowed values per array element", test_allowed_values_array },
    { "minValue and maxValue", test_min_max_value },
    { "string length in characters", test_string_length },
    { "array length", test_array_length },
    { "user-defined type $ref", test_udt_ref },
    { "user-defined type properties", test_udt_properties },
    { "user-defined type sealed", test_udt_sealed },
    { "user-defined type items", test_udt_items },
    { "user-defined type discriminator", test_udt_discriminator },
    { "secure values are not printed", test_secure_values_not_printed },
    { "secure object override syntax error", test_secure_override_syntax_error },
    { "secure value still usable", test_secure_value_usable },
    { "sample parameters", test_sample_parameters },
    { "sample of a user-defined type", test_sample_user_defined_type },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "arm_params", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
