/* Unit tests for the built-in ARM template functions (arm_funcs.c,
 * arm_funcs_coll.c, arm_funcs_env.c) and lambdas (arm_eval.c).
 *
 * Expected values come from the Microsoft documentation of each function
 * (learn.microsoft.com/azure/azure-resource-manager/templates/
 * template-functions-*): where a page shows an example and its output, the
 * test repeats that example. The local stand-ins for the deployment are those
 * of arm_env_init: subscription 00000000-0000-0000-0000-000000000000, tenant
 * ...0001, resource group 'apimlocal', location 'eastus', deployment 'test'.
 *
 * EXPECT compares the compact JSON of the result, written with backquotes
 * for double quotes; EXPECT_STR compares a string result as it is.
 */
#include <stdio.h>
#include <string.h>

#include "arm_eval.h"
#include "cunit_run.h"
#include "testutil.h"

#define SUB    "/subscriptions/00000000-0000-0000-0000-000000000000"
#define RG     SUB "/resourceGroups/apimlocal"
#define TENANT "00000000-0000-0000-0000-000000000001"
#define SCHEMA \
    "`$schema`: `https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#`"
#define STORAGE "'Microsoft.Storage/storageAccounts'"

/* The dogs of the lambda functions page. */
#define DOGS                                                                                      \
    "{`dogs`: [{`name`: `Evie`, `age`: 5, `interests`: [`Ball`, `Frisbee`]}, {`name`: `Casper`, " \
    "`age`: 3, `interests`: [`Other dogs`]}, {`name`: `Indy`, `age`: 2, `interests`: "            \
    "[`Butter`]}, {`name`: `Kira`, `age`: 8, `interests`: [`Rubs`]}]}"

/* ---- helpers ---- */

/* Expected JSON is written with backquotes, as testutil's inline JSON is. */
static void backquotes_to_quotes(char *buf, size_t cap, const char *s)
{
    snprintf(buf, cap, "%s", s);
    for (char *p = buf; *p; p++)
        if (*p == '`')
            *p = '"';
}

/* Records one assertion whose message shows the expression and what it gave,
 * so a failing table row names itself. */
static void report(bool ok, unsigned line, const char *expr, const char *got, const char *want)
{
    char msg[2048];
    snprintf(msg, sizeof(msg), "%.600s => %.600s (want %.600s)", expr, got, want);
    CU_assertImplementation(ok, line, msg, __FILE__, "", CU_FALSE);
}

static void expect_json(const char *params, const char *vars, const char *expr, const char *want,
                        unsigned line)
{
    struct tu t;
    tu_init(&t);
    char wbuf[2048];
    backquotes_to_quotes(wbuf, sizeof(wbuf), want);
    struct jval *v = tu_eval_in(&t, params, vars, expr);
    const char *got = v ? tu_json(&t, v) : tu_text(&t);
    report(v != NULL && strcmp(got, wbuf) == 0, line, expr, got, wbuf);
    tu_release(&t);
}

static void expect_str(const char *params, const char *vars, const char *expr, const char *want,
                       unsigned line)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_eval_in(&t, params, vars, expr);
    const char *got = v ? tu_json(&t, v) : tu_text(&t);
    report(v != NULL && v->kind == JV_STRING && strcmp(v->u.s.ptr, want) == 0, line, expr, got,
           want);
    tu_release(&t);
}

/* The expression fails, and a diagnostic with code (and msg_part, if given)
 * says why. */
static void expect_err(const char *params, const char *vars, const char *expr, enum diag_code code,
                       const char *msg_part, unsigned line)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_eval_in(&t, params, vars, expr);
    bool ok = v == NULL && tu_count(&t, code) >= 1 && (!msg_part || tu_has(&t, code, msg_part));
    char want[128];
    snprintf(want, sizeof(want), "an error with code %d%s%s", (int)code, msg_part ? ": " : "",
             msg_part ? msg_part : "");
    report(ok, line, expr, v ? tu_json(&t, v) : tu_text(&t), want);
    tu_release(&t);
}

static void expect_unknown(const char *params, const char *vars, const char *expr, unsigned line)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_eval_in(&t, params, vars, expr);
    report(v != NULL && v->kind == JV_UNKNOWN, line, expr, v ? tu_json(&t, v) : tu_text(&t),
           "a value known only at deployment");
    tu_release(&t);
}

#define EXPECT(expr, want)               expect_json(NULL, NULL, (expr), (want), __LINE__)
#define EXPECT_IN(p, v, expr, want)      expect_json((p), (v), (expr), (want), __LINE__)
#define EXPECT_STR(expr, want)           expect_str(NULL, NULL, (expr), (want), __LINE__)
#define EXPECT_STR_IN(p, v, expr, want)  expect_str((p), (v), (expr), (want), __LINE__)
#define EXPECT_ERR(expr, code)           expect_err(NULL, NULL, (expr), (code), NULL, __LINE__)
#define EXPECT_ERR_MSG(expr, code, part) expect_err(NULL, NULL, (expr), (code), (part), __LINE__)
#define EXPECT_ERR_IN(p, v, expr, code)  expect_err((p), (v), (expr), (code), NULL, __LINE__)
#define EXPECT_UNKNOWN(expr)             expect_unknown(NULL, NULL, (expr), __LINE__)

/* True if a diagnostic with this code has a note containing part. */
static bool note_has(const struct tu *t, enum diag_code code, const char *part)
{
    for (size_t i = 0; i < t->diag.n; i++) {
        if (t->diag.v[i]->code != code)
            continue;
        for (const struct diag_entry *n = t->diag.v[i]->notes; n; n = n->next)
            if (strstr(n->msg, part))
                return true;
    }
    return false;
}

/* Evaluates a whole template and returns the value of its output 'o', or
 * NULL after an error. */
static struct jval *eval_template(struct tu *t, const char *text)
{
    if (tu_parse(t, text) == NULL || arm_evaluate(&t->env, t->doc, NULL) != 0)
        return NULL;
    return jval_get(jval_get(t->env.outputs, "o"), "value");
}

/* A template with one storage account 'sa1' and output 'o' = expr. */
static struct jval *eval_with_storage(struct tu *t, const char *expr)
{
    char text[2048];
    snprintf(text, sizeof(text),
             "{" SCHEMA ", `contentVersion`: `1.0.0.0`, `resources`: [{`type`: "
             "`Microsoft.Storage/storageAccounts`, `apiVersion`: `2022-09-01`, `name`: `sa1`, "
             "`location`: `eastus`, `kind`: `StorageV2`, `properties`: {`accessTier`: `Hot`}}], "
             "`outputs`: {`o`: {`value`: `%s`}}}",
             expr);
    return eval_template(t, text);
}

/* ---- strings ---- */

static void test_base64_family(void)
{
    EXPECT_STR("[base64('one, two, three')]", "b25lLCB0d28sIHRocmVl");
    EXPECT_STR("[base64ToString('b25lLCB0d28sIHRocmVl')]", "one, two, three");
    EXPECT_STR("[base64('')]", "");
    EXPECT("[base64ToJson(base64('{\"a\": [1, true]}'))]", "{`a`:[1,true]}");
    EXPECT_ERR("[base64ToString('not base64!')]", DC_EVAL);
    EXPECT_ERR("[base64ToJson(base64('{'))]", DC_EVAL);
}

/* The page's own example encodes "{'one': 'a', 'two': 'b'}": ARM reads JSON
 * with single-quoted strings. */
static void test_base64_to_json_single_quotes(void)
{
    EXPECT_IN("{`data`: {`type`: `string`, `defaultValue`: `{'one': 'a', 'two': 'b'}`}}", NULL,
              "[base64ToJson(base64(parameters('data')))]", "{`one`:`a`,`two`:`b`}");
}

static void test_concat(void)
{
    EXPECT_STR("[concat('prefix', '-', 'suffix')]", "prefix-suffix");
    EXPECT("[concat(createArray('1-1', '1-2', '1-3'), createArray('2-1', '2-2', '2-3'))]",
           "[`1-1`,`1-2`,`1-3`,`2-1`,`2-2`,`2-3`]");
    EXPECT("[concat(createArray(1), createArray(), createArray(2, 3))]", "[1,2,3]");
    EXPECT_STR("[concat('a')]", "a");
    /* Arrays and strings do not mix. */
    EXPECT_ERR("[concat(createArray(1), 'a')]", DC_ARG_TYPE);
    EXPECT_ERR("[concat('a', createArray(1))]", DC_ARG_TYPE);
    EXPECT_ERR("[concat('a', createObject())]", DC_ARG_TYPE);
}

/* Strings compare with case; object keys without. */
static void test_contains(void)
{
    EXPECT("[contains('OneTwoThree', 'e')]", "true");
    EXPECT("[contains('OneTwoThree', 'z')]", "false");
    EXPECT("[contains('OneTwoThree', 'one')]", "false");
    EXPECT("[contains(createObject('one', 'a', 'two', 'b'), 'one')]", "true");
    EXPECT("[contains(createObject('one', 'a', 'two', 'b'), 'a')]", "false");
    EXPECT("[contains(createObject('one', 'a'), 'ONE')]", "true");
    EXPECT("[contains(createArray('one', 'two', 'three'), 'three')]", "true");
    EXPECT("[contains(createArray('one', 'two', 'three'), 'four')]", "false");
    EXPECT("[contains(createArray('one'), 'One')]", "false");
    EXPECT("[contains(createArray(1, 2), 2)]", "true");
    EXPECT("[contains(createArray(1, 2), '2')]", "false");
    EXPECT("[contains('abc1', 1)]", "true"); /* an int is looked for as text */
    EXPECT_ERR("[contains(1, 'a')]", DC_ARG_TYPE);
    EXPECT_ERR("[contains('abc', createArray())]", DC_ARG_TYPE);
}

static void test_data_uri(void)
{
    EXPECT_STR("[dataUri('Hello')]", "data:text/plain;charset=utf8;base64,SGVsbG8=");
    EXPECT_STR("[dataUriToString('data:;base64,SGVsbG8sIFdvcmxkIQ==')]", "Hello, World!");
    EXPECT_STR("[dataUriToString(dataUri('round trip'))]", "round trip");
    EXPECT_STR("[dataUriToString('data:text/plain;charset=utf8,Hello')]", "Hello");
    EXPECT_ERR("[dataUriToString('Hello')]", DC_EVAL);
    EXPECT_ERR("[dataUri(1)]", DC_ARG_TYPE);
}

static void test_empty(void)
{
    EXPECT("[empty(createArray())]", "true");
    EXPECT("[empty(createObject())]", "true");
    EXPECT("[empty('')]", "true");
    EXPECT("[empty(null())]", "true");
    EXPECT("[empty(' ')]", "false");
    EXPECT("[empty(createArray(null()))]", "false");
    EXPECT("[empty(createObject('a', 1))]", "false");
    EXPECT_ERR("[empty(1)]", DC_ARG_TYPE);
}

/* startsWith and endsWith ignore case. */
static void test_starts_ends_with(void)
{
    EXPECT("[startsWith('abcdef', 'ab')]", "true");
    EXPECT("[startsWith('abcdef', 'A')]", "true");
    EXPECT("[startsWith('abcdef', 'e')]", "false");
    EXPECT("[endsWith('abcdef', 'ef')]", "true");
    EXPECT("[endsWith('abcdef', 'F')]", "true");
    EXPECT("[endsWith('abcdef', 'e')]", "false");
    EXPECT("[startsWith('ab', 'abc')]", "false");
    EXPECT("[endsWith('abc', '')]", "true");
    EXPECT_ERR("[startsWith(1, 'a')]", DC_ARG_TYPE);
    EXPECT_ERR("[endsWith('a', 1)]", DC_ARG_TYPE);
}

static void test_first_last(void)
{
    EXPECT_STR("[first(createArray('one', 'two', 'three'))]", "one");
    EXPECT_STR("[first('One Two Three')]", "O");
    EXPECT_STR("[last(createArray('one', 'two', 'three'))]", "three");
    EXPECT_STR("[last('One Two Three')]", "e");
    EXPECT("[first(createArray(createArray(1, 2), 3))]", "[1,2]");
    EXPECT_STR("[last('h\xc3\xa9')]", "\xc3\xa9"); /* a character, not a byte */
    EXPECT_STR("[first('')]", "");
    EXPECT_ERR("[first(1)]", DC_ARG_TYPE);
    EXPECT_ERR("[last(createObject())]", DC_ARG_TYPE);
}

static void test_format(void)
{
    EXPECT_STR("[format('{0}, {1}!', 'Hello', 'User')]", "Hello, User!");
    EXPECT_STR("[format('{1}{0}{1}', 'a', 'b')]", "bab");
    EXPECT_STR("[format('{{{0}}}', 'x')]", "{x}");
    EXPECT_STR("[format('{0:D3}-{1:X}-{2:x4}', 7, 255, 255)]", "007-FF-00ff");
    EXPECT_STR("[format('{0} {1}', true(), 12)]", "True 12");
    EXPECT_ERR("[format('{1}', 'only one')]", DC_EVAL);
    EXPECT_ERR("[format('{0', 'a')]", DC_EVAL);
    EXPECT_ERR("[format('}', 'a')]", DC_EVAL);
    EXPECT_ERR("[format(1, 'a')]", DC_ARG_TYPE);
}

/* The page's example: N0 groups thousands (.NET "N" format). */
static void test_format_number_groups_thousands(void)
{
    EXPECT_STR("[format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)]",
               "Hello, User. Formatted number: 8,175,133");
    EXPECT_STR("[format('{0:N2}', 1234)]", "1,234.00");
}

/* ARM's format "uses the same formatting options as System.String.Format":
 * {index,alignment} pads to the width, right-aligned unless negative. */
static void test_format_alignment(void)
{
    EXPECT_STR("[format('[{0,5}|{1,-4}]', 'ab', 'c')]", "[   ab|c   ]");
}

static void test_guid(void)
{
    EXPECT_STR("[guid('foo', 'bar', 'baz')]", "2ed86837-7c7c-5eaa-9864-dd077fd19b0d");
    EXPECT("[equals(guid('a', 'b'), guid('a', 'b'))]", "true");
    EXPECT("[equals(guid('a', 'b'), guid('a-b'))]", "true"); /* joined with '-' first */
    EXPECT("[equals(guid('a'), guid('A'))]", "false");
    EXPECT("[length(guid(resourceGroup().id))]", "36");
    EXPECT_ERR("[guid(1)]", DC_ARG_TYPE);
}

/* On strings indexOf and lastIndexOf ignore case. */
static void test_index_of_strings(void)
{
    EXPECT("[indexOf('test', 't')]", "0");
    EXPECT("[lastIndexOf('test', 't')]", "3");
    EXPECT("[indexOf('abcdef', 'CD')]", "2");
    EXPECT("[lastIndexOf('abcdef', 'AB')]", "0");
    EXPECT("[indexOf('abcdef', 'z')]", "-1");
    EXPECT("[indexOf('h\xc3\xa9llo', 'l')]", "2"); /* counts characters */
    EXPECT_ERR("[indexOf(1, 'a')]", DC_ARG_TYPE);
}

static void test_join(void)
{
    EXPECT_STR("[join(createArray('one', 'two', 'three'), ',')]", "one,two,three");
    EXPECT_STR("[join(createArray('one', 'two', 'three'), ';')]", "one;two;three");
    EXPECT_STR("[join(createArray(), ',')]", "");
    EXPECT_STR("[join(createArray('solo'), ', ')]", "solo");
    EXPECT_ERR("[join('one', ',')]", DC_ARG_TYPE);
    EXPECT_ERR("[join(createArray('a'), 1)]", DC_ARG_TYPE);
    EXPECT_ERR("[join(createArray(createObject()), ',')]", DC_ARG_TYPE);
}

static void test_json(void)
{
    EXPECT("[empty(json('null'))]", "true");
    EXPECT("[json('null')]", "null");
    EXPECT("[json('{\"a\": \"b\"}')]", "{`a`:`b`}");
    EXPECT_STR("[json('\"test\"')]", "test");
    EXPECT("[json('true')]", "true");
    EXPECT("[json('3')]", "3");
    EXPECT("[json('[1,2,3 ]')]", "[1,2,3]");
    EXPECT("[json(concat('{\"a\": \"', 'demo value', '\"}'))]", "{`a`:`demo value`}");
    EXPECT_ERR("[json('{\"a\": ')]", DC_EVAL);
    EXPECT_ERR("[json(1)]", DC_ARG_TYPE);
}

static void test_length(void)
{
    EXPECT("[length(createArray('a', 'b', 'c'))]", "3");
    EXPECT("[length('One Two Three')]", "13");
    EXPECT("[length(createObject('propA', 'one', 'propB', 'two', 'propC', 'three', 'propD', "
           "createObject('propD-1', 'sub', 'propD-2', 'sub')))]",
           "4");
    EXPECT("[length('')]", "0");
    EXPECT("[length('h\xc3\xa9llo')]", "5"); /* characters, not bytes */
    EXPECT_ERR("[length(1)]", DC_ARG_TYPE);
    EXPECT_ERR("[length(null())]", DC_ARG_TYPE);
}

/* newGuid: a fresh GUID each call, allowed only in a parameter default. */
static void test_new_guid(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_eval_in(
        &t,
        "{`a`: {`type`: `string`, `defaultValue`: `[newGuid()]`}, `b`: {`type`: `string`, "
        "`defaultValue`: `[newGuid()]`}}",
        NULL, "[createArray(parameters('a'), parameters('b'))]");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL_FATAL(v->u.a.n, 2);
    for (size_t i = 0; i < 2; i++) {
        const char *g = v->u.a.v[i]->u.s.ptr;
        CU_ASSERT_EQUAL(strlen(g), 36);
        CU_ASSERT(g[8] == '-' && g[13] == '-' && g[18] == '-' && g[23] == '-');
    }
    CU_ASSERT_STRING_NOT_EQUAL(v->u.a.v[0]->u.s.ptr, v->u.a.v[1]->u.s.ptr);
    tu_release(&t);
    EXPECT_ERR_MSG("[newGuid()]", DC_NOT_ALLOWED_HERE, "default value of a parameter");
    EXPECT_ERR_IN(NULL, "{`g`: `[newGuid()]`}", "[variables('g')]", DC_NOT_ALLOWED_HERE);
}

static void test_pad_left(void)
{
    EXPECT_STR("[padLeft('123', 10, '0')]", "0000000123");
    EXPECT_STR("[padLeft(123, 5, '0')]", "00123"); /* an int is padded too */
    EXPECT_STR("[padLeft('abc', 5)]", "  abc");    /* a space by default */
    EXPECT_STR("[padLeft('abcdef', 3, '0')]", "abcdef");
    EXPECT_ERR("[padLeft('1', 3, '00')]", DC_EVAL);
    EXPECT_ERR("[padLeft(createArray(), 3)]", DC_ARG_TYPE);
    EXPECT_ERR("[padLeft('1', '3')]", DC_ARG_TYPE);
}

static void test_replace(void)
{
    EXPECT_STR("[replace('123-123-1234', '-', '')]", "1231231234");
    EXPECT_STR("[replace('123-123-1234', '1234', 'xxxx')]", "123-123-xxxx");
    EXPECT_STR("[replace('aAa', 'a', 'b')]", "bAb"); /* with case */
    EXPECT_STR("[replace('aaa', 'aa', 'b')]", "ba");
    EXPECT_ERR("[replace('a', 1, 'b')]", DC_ARG_TYPE);
}

/* skip and take: 0 or less and more than the length are not errors. */
static void test_skip_take(void)
{
    EXPECT("[skip(createArray('one', 'two', 'three'), 2)]", "[`three`]");
    EXPECT_STR("[skip('one two three', 4)]", "two three");
    EXPECT("[take(createArray('one', 'two', 'three'), 2)]", "[`one`,`two`]");
    EXPECT_STR("[take('one two three', 2)]", "on");
    EXPECT("[skip(createArray(1, 2), -1)]", "[1,2]");
    EXPECT("[skip(createArray(1, 2), 5)]", "[]");
    EXPECT_STR("[skip('abc', 0)]", "abc");
    EXPECT_STR("[skip('abc', 9)]", "");
    EXPECT("[take(createArray(1, 2), 0)]", "[]");
    EXPECT("[take(createArray(1, 2), 9)]", "[1,2]");
    EXPECT_STR("[take('abc', -2)]", "");
    EXPECT_ERR("[skip(1, 1)]", DC_ARG_TYPE);
    EXPECT_ERR("[take('abc', '1')]", DC_ARG_TYPE);
}

static void test_split(void)
{
    EXPECT("[split('one,two,three', ',')]", "[`one`,`two`,`three`]");
    EXPECT("[split('one;two,three', createArray(',', ';'))]", "[`one`,`two`,`three`]");
    EXPECT("[split('a,,b', ',')]", "[`a`,``,`b`]");
    EXPECT("[split('abc', ',')]", "[`abc`]");
    EXPECT_ERR("[split(1, ',')]", DC_ARG_TYPE);
    EXPECT_ERR("[split('a', 1)]", DC_ARG_TYPE);
    EXPECT_ERR("[split('a', createArray(1))]", DC_ARG_TYPE);
}

/* string(): objects and arrays become compact JSON; bools print as .NET
 * does, "True" and "False". */
static void test_string(void)
{
    EXPECT_STR("[string(createObject('valueA', 10, 'valueB', 'Example Text'))]",
               "{\"valueA\":10,\"valueB\":\"Example Text\"}");
    EXPECT_STR("[string(createArray('a', 'b', 'c'))]", "[\"a\",\"b\",\"c\"]");
    EXPECT_STR("[string(5)]", "5");
    EXPECT_STR("[string(true())]", "True");
    EXPECT_STR("[string(false())]", "False");
    EXPECT_STR("[string('already')]", "already");
}

static void test_substring(void)
{
    EXPECT_STR("[substring('one two three', 4, 3)]", "two");
    EXPECT_STR("[substring('hello there', 6)]", "there"); /* the rest */
    EXPECT_STR("[substring('abc', 3, 0)]", "");
    EXPECT_STR("[substring('h\xc3\xa9llo', 1, 2)]", "\xc3\xa9l");
    EXPECT_ERR_MSG("[substring('1234567890', 0, 11)]", DC_EVAL, "outside");
    EXPECT_ERR("[substring('abc', -1, 1)]", DC_EVAL);
    EXPECT_ERR("[substring('abc', 1, -1)]", DC_EVAL);
    EXPECT_ERR("[substring('abc', 4)]", DC_EVAL);
    EXPECT_ERR("[substring(1, 0, 1)]", DC_ARG_TYPE);
    EXPECT_ERR("[substring('abc', '0')]", DC_ARG_TYPE);
}

static void test_case_and_trim(void)
{
    EXPECT_STR("[toLower('One Two Three')]", "one two three");
    EXPECT_STR("[toUpper('One Two Three')]", "ONE TWO THREE");
    EXPECT_STR("[trim('    one two three   ')]", "one two three");
    EXPECT_STR("[trim('\t\r\n x \n')]", "x");
    EXPECT_STR("[trim('   ')]", "");
    EXPECT_ERR("[toLower(1)]", DC_ARG_TYPE);
    EXPECT_ERR("[toUpper(null())]", DC_ARG_TYPE);
    EXPECT_ERR("[trim(createArray())]", DC_ARG_TYPE);
}

/* uniqueString: a 13-character hash of the arguments joined with '-'. */
static void test_unique_string(void)
{
    EXPECT_STR("[uniqueString('snap', 'crackle', 'pop')]", "byghxckddilkc");
    EXPECT_STR("[uniqueString('" SUB "', 'resource-id')]", "cwvxuqg24sifi");
    EXPECT_STR("[uniqueString('test')]", "rbgf3xv4ufgzg");
    EXPECT_STR("[uniqueString('hello', 'world')]", "a7wkljktk6wne");
    EXPECT("[equals(uniqueString('hello', 'world'), uniqueString('hello-world'))]", "true");
    EXPECT("[length(uniqueString(resourceGroup().id, deployment().name))]", "13");
    EXPECT_ERR("[uniqueString(createObject())]", DC_ARG_TYPE);
}

/* uri resolves relativeUri against baseUri (RFC 3986 section 5). */
static void test_uri(void)
{
    EXPECT_STR("[uri('http://contoso.org/firstpath', 'myscript.sh')]",
               "http://contoso.org/myscript.sh");
    EXPECT_STR("[uri('http://contoso.org/firstpath/', 'myscript.sh')]",
               "http://contoso.org/firstpath/myscript.sh");
    EXPECT_STR("[uri('http://contoso.org/firstpath/azuredeploy.json', 'myscript.sh')]",
               "http://contoso.org/firstpath/myscript.sh");
    EXPECT_STR("[uri('http://contoso.org/firstpath/azuredeploy.json/', 'myscript.sh')]",
               "http://contoso.org/firstpath/azuredeploy.json/myscript.sh");
    EXPECT_STR("[uri('http://contoso.com/resources/', 'nested/azuredeploy.json')]",
               "http://contoso.com/resources/nested/azuredeploy.json");
    EXPECT_STR("[uri('http://contoso.org', 'a.sh')]", "http://contoso.org/a.sh");
    EXPECT_STR("[uri('http://contoso.org/x/y', '/root.sh')]", "http://contoso.org/root.sh");
    EXPECT_STR("[uri('http://contoso.org/x', 'https://other.net/z')]", "https://other.net/z");
    EXPECT_ERR("[uri('not-absolute', 'x')]", DC_EVAL);
    EXPECT_ERR("[uri(1, 'x')]", DC_ARG_TYPE);
}

static void test_uri_component(void)
{
    EXPECT_STR("[uriComponent('http://contoso.com/resources/nested/azuredeploy.json')]",
               "http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json");
    EXPECT_STR("[uriComponentToString('http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy."
               "json')]",
               "http://contoso.com/resources/nested/azuredeploy.json");
    EXPECT_STR("[uriComponent('a b&c=d~e_f.g-h')]", "a%20b%26c%3Dd~e_f.g-h");
    EXPECT_STR("[uriComponentToString(uriComponent('h\xc3\xa9 !'))]", "h\xc3\xa9 !");
    EXPECT_ERR("[uriComponent(1)]", DC_ARG_TYPE);
    EXPECT_ERR("[uriComponentToString(1)]", DC_ARG_TYPE);
}

/* ---- numbers ---- */

static void test_arithmetic(void)
{
    EXPECT("[add(5, 3)]", "8");
    EXPECT("[sub(7, 3)]", "4");
    EXPECT("[mul(mul(5, 3), 3)]", "45");
    EXPECT("[div(8, 3)]", "2");
    EXPECT("[mod(7, 3)]", "1");
    /* Integer division truncates toward zero, as in .NET. */
    EXPECT("[div(-7, 2)]", "-3");
    EXPECT("[mod(-7, 2)]", "-1");
    EXPECT("[add(-5, 2)]", "-3");
}

static void test_arithmetic_errors(void)
{
    EXPECT_ERR_MSG("[div(1, 0)]", DC_EVAL, "division by zero");
    EXPECT_ERR("[mod(1, 0)]", DC_EVAL);
    EXPECT_ERR("[add(9223372036854775807, 1)]", DC_EVAL);
    EXPECT_ERR("[mul(9223372036854775807, 2)]", DC_EVAL);
    EXPECT_ERR("[add('1', 2)]", DC_ARG_TYPE);
    EXPECT_ERR("[sub(1, true())]", DC_ARG_TYPE);
    EXPECT_ERR("[mul(createArray(), 1)]", DC_ARG_TYPE);
    EXPECT_ERR("[div(1, '1')]", DC_ARG_TYPE);
    EXPECT_ERR("[mod(null(), 1)]", DC_ARG_TYPE);
}

static void test_int_float(void)
{
    EXPECT("[int('4')]", "4");
    EXPECT("[int('-12')]", "-12");
    EXPECT("[int(7)]", "7");
    EXPECT("[float('3.0')]", "3");
    EXPECT("[float(3)]", "3");
    EXPECT("[float('1.5')]", "1.5");
    EXPECT_ERR("[int('4.5')]", DC_EVAL);
    EXPECT_ERR("[int('four')]", DC_EVAL);
    EXPECT_ERR("[float('three')]", DC_EVAL);
    EXPECT_ERR("[int(createArray())]", DC_ARG_TYPE);
    EXPECT_ERR("[float(true())]", DC_ARG_TYPE);
}

static void test_min_max(void)
{
    EXPECT("[max(createArray(0, 3, 2, 5, 4))]", "5");
    EXPECT("[max(0, 3, 2, 5, 4)]", "5");
    EXPECT("[min(createArray(0, 3, 2, 5, 4))]", "0");
    EXPECT("[min(0, 3, 2, 5, 4)]", "0");
    EXPECT("[min(-1)]", "-1");
    EXPECT_ERR("[max(createArray())]", DC_EVAL);
    EXPECT_ERR("[min('a', 'b')]", DC_ARG_TYPE);
    EXPECT_ERR("[max(createArray(1, 'a'))]", DC_ARG_TYPE);
}

/* range: count is 0..10000 and startIndex + count at most 2147483647. */
static void test_range(void)
{
    EXPECT("[range(5, 3)]", "[5,6,7]");
    EXPECT("[range(1, 0)]", "[]");
    EXPECT("[range(-2, 3)]", "[-2,-1,0]");
    EXPECT("[length(range(0, 10000))]", "10000");
    EXPECT("[range(2147483646, 1)]", "[2147483646]");
    EXPECT_ERR("[range(0, 10001)]", DC_EVAL);
    EXPECT_ERR("[range(0, -1)]", DC_EVAL);
    EXPECT_ERR("[range(2147483647, 1)]", DC_EVAL);
    EXPECT_ERR("[range('1', 2)]", DC_ARG_TYPE);
}

/* copyIndex('loop', offset) inside a variable copy loop. */
static void test_copy_index_in_variable_loop(void)
{
    EXPECT_IN(NULL,
              "{`copy`: [{`name`: `v`, `count`: 3, `input`: `[copyIndex('v', 1)]`}, {`name`: `w`, "
              "`count`: 2, `input`: `[concat('n', string(copyIndex('W')))]`}]}",
              "[createArray(variables('v'), variables('w'))]", "[[1,2,3],[`n0`,`n1`]]");
    EXPECT_ERR_IN(NULL, "{`copy`: [{`name`: `v`, `count`: 1, `input`: `[copyIndex()]`}]}",
                  "[variables('v')]", DC_NOT_ALLOWED_HERE);
    EXPECT_ERR_IN(NULL, "{`copy`: [{`name`: `v`, `count`: 1, `input`: `[copyIndex('other')]`}]}",
                  "[variables('v')]", DC_NOT_ALLOWED_HERE);
}

/* An output copy loop and a resource copy loop answer copyIndex() unnamed. */
static void test_copy_index_in_output_and_resource_loops(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = eval_template(
        &t, "{" SCHEMA ", `contentVersion`: `1.0.0.0`, `resources`: [{`type`: "
            "`Microsoft.Storage/storageAccounts`, `apiVersion`: `2022-09-01`, `name`: "
            "`[concat('sa', copyIndex(1))]`, `location`: `eastus`, `copy`: {`name`: `accounts`, "
            "`count`: 2}}], `outputs`: {`o`: {`type`: `array`, `copy`: {`count`: 3, `input`: "
            "`[mul(copyIndex(), 10)]`}}}}");
    CU_ASSERT_STRING_EQUAL(tu_json(&t, v), "[0,10,20]");
    CU_ASSERT_EQUAL_FATAL(t.env.nresources, 2);
    CU_ASSERT_EQUAL(t.env.resources->name.len, 3);
    CU_ASSERT_NSTRING_EQUAL(t.env.resources->name.ptr, "sa1", 3);
    CU_ASSERT_NSTRING_EQUAL(t.env.resources->next->name.ptr, "sa2", 3);
    tu_release(&t);
}

static void test_copy_index_outside_loop(void)
{
    EXPECT_ERR_MSG("[copyIndex()]", DC_NOT_ALLOWED_HERE, "copy loop");
    EXPECT_ERR("[copyIndex('loop', 1)]", DC_NOT_ALLOWED_HERE);
    EXPECT_ERR("[copyIndex(true())]", DC_ARG_TYPE);
}

/* ---- logic and comparison ---- */

static void test_and_or_not(void)
{
    EXPECT("[and(bool('true'), bool('false'))]", "false");
    EXPECT("[or(bool('true'), bool('false'))]", "true");
    EXPECT("[not(bool('true'))]", "false");
    EXPECT("[not(equals(1, 2))]", "true");
    EXPECT("[and(true(), true(), true())]", "true");
    EXPECT("[or(false(), false(), true())]", "true");
    EXPECT("[and(true())]", "true");
    EXPECT_ERR("[and(1, true())]", DC_ARG_TYPE);
    EXPECT_ERR("[or(false(), 'x')]", DC_ARG_TYPE);
    EXPECT_ERR("[not('true')]", DC_ARG_TYPE);
}

/* if, and, or and coalesce evaluate only the arguments they need, so the
 * rest may even be in error. */
static void test_lazy_evaluation(void)
{
    EXPECT("[if(true(), 1, parameters('missing'))]", "1");
    EXPECT("[if(false(), parameters('missing'), 2)]", "2");
    EXPECT("[and(false(), parameters('missing'))]", "false");
    EXPECT("[or(true(), div(1, 0))]", "true");
    EXPECT_STR("[coalesce('x', parameters('missing'))]", "x");
    EXPECT("[and(not(empty(createArray())), equals(createArray()[0], 1))]", "false");
    /* The branch taken still reports its errors. */
    EXPECT_ERR("[if(true(), parameters('missing'), 1)]", DC_UNDEFINED_PARAMETER);
    EXPECT_ERR("[and(true(), div(1, 0))]", DC_EVAL);
}

static void test_bool(void)
{
    EXPECT("[bool('true')]", "true");
    EXPECT("[bool('false')]", "false");
    EXPECT("[bool(1)]", "true");
    EXPECT("[bool(0)]", "false");
    EXPECT("[bool('TRUE')]", "true");
    EXPECT("[bool(true())]", "true");
    EXPECT_ERR("[bool('maybe')]", DC_EVAL);
}

static void test_true_false_null(void)
{
    EXPECT("[true()]", "true");
    EXPECT("[false()]", "false");
    EXPECT("[null()]", "null");
    EXPECT("[createArray(true(), false(), null())]", "[true,false,null]");
    EXPECT("[equals(null(), json('null'))]", "true");
}

static void test_if(void)
{
    EXPECT_STR("[if(equals('a', 'a'), 'yes', 'no')]", "yes");
    EXPECT_STR("[if(equals('a', 'b'), 'yes', 'no')]", "no");
    EXPECT("[if(equals('a', 'a'), json('{\"test\": \"value1\"}'), json('null'))]",
           "{`test`:`value1`}");
    EXPECT_ERR("[if('yes', 1, 2)]", DC_ARG_TYPE);
    EXPECT_ERR("[if(1, 1, 2)]", DC_ARG_TYPE);
}

static void test_coalesce(void)
{
    const char *p = "{`objectToTest`: {`type`: `object`, `defaultValue`: {`null1`: null, `null2`: "
                    "null, `string`: `default`, `int`: 1, `object`: {`first`: `default`}, "
                    "`array`: [1]}}}";
    EXPECT_IN(p, NULL,
              "[coalesce(parameters('objectToTest').null1, parameters('objectToTest').null2, "
              "parameters('objectToTest').string)]",
              "`default`");
    EXPECT_IN(p, NULL,
              "[coalesce(parameters('objectToTest').null1, parameters('objectToTest').null2, "
              "parameters('objectToTest').int)]",
              "1");
    EXPECT_IN(p, NULL,
              "[coalesce(parameters('objectToTest').null1, parameters('objectToTest').object)]",
              "{`first`:`default`}");
    EXPECT_IN(p, NULL,
              "[coalesce(parameters('objectToTest').null1, parameters('objectToTest').array)]",
              "[1]");
    EXPECT_IN(p, NULL,
              "[empty(coalesce(parameters('objectToTest').null1, "
              "parameters('objectToTest').null2))]",
              "true");
    /* Empty strings, arrays and objects are not null. */
    EXPECT_STR("[coalesce('', 'x')]", "");
    EXPECT("[coalesce(createArray(), 1)]", "[]");
    EXPECT("[coalesce(null())]", "null");
}

/* equals compares with case, and deeply. */
static void test_equals(void)
{
    EXPECT("[equals(1, 1)]", "true");
    EXPECT("[equals('demo', 'Demo')]", "false");
    EXPECT("[equals('a', 'a')]", "true");
    EXPECT("[equals(createArray('a', 'b'), createArray('a', 'b'))]", "true");
    EXPECT("[equals(createArray('a', 'b'), createArray('b', 'a'))]", "false");
    EXPECT("[equals(createObject('a', 'b'), createObject('a', 'b'))]", "true");
    EXPECT("[equals(createObject('a', 1, 'b', 2), createObject('b', 2, 'a', 1))]", "true");
    EXPECT("[equals(1, '1')]", "false");
    EXPECT("[equals(null(), null())]", "true");
}

static void test_compare_ints(void)
{
    EXPECT("[greater(1, 2)]", "false");
    EXPECT("[greater(10, 5)]", "true");
    EXPECT("[greaterOrEquals(1, 2)]", "false");
    EXPECT("[greaterOrEquals(2, 2)]", "true");
    EXPECT("[less(1, 2)]", "true");
    EXPECT("[less(2, 2)]", "false");
    EXPECT("[lessOrEquals(1, 2)]", "true");
    EXPECT("[lessOrEquals(3, 2)]", "false");
    EXPECT("[less('abc', 'abd')]", "true");
    EXPECT("[greaterOrEquals('abc', 'abc')]", "true");
    EXPECT_ERR("[greater(1, 'a')]", DC_ARG_TYPE);
    EXPECT_ERR("[less(createArray(), createArray())]", DC_ARG_TYPE);
}

/* The comparison page's examples compare 'A' with 'a': greater and
 * greaterOrEquals are True, less and lessOrEquals False. */
static void test_compare_strings_as_documented(void)
{
    EXPECT("[greater('A', 'a')]", "true");
    EXPECT("[greaterOrEquals('A', 'a')]", "true");
    EXPECT("[less('A', 'a')]", "false");
    EXPECT("[lessOrEquals('A', 'a')]", "false");
}

/* ---- arrays and objects ---- */

static void test_array(void)
{
    EXPECT("[array(1)]", "[1]");
    EXPECT("[array('efgh')]", "[`efgh`]");
    EXPECT("[array(createObject('a', 'b', 'c', 'd'))]", "[{`a`:`b`,`c`:`d`}]");
    EXPECT("[array(createArray(1, 2))]", "[1,2]");
}

static void test_create_array(void)
{
    EXPECT("[createArray('a', 'b', 'c')]", "[`a`,`b`,`c`]");
    EXPECT("[createArray(1, 2, 3)]", "[1,2,3]");
    EXPECT("[createArray(createObject('one', 'a', 'two', 'b', 'three', 'c'))]",
           "[{`one`:`a`,`two`:`b`,`three`:`c`}]");
    EXPECT("[createArray(createArray('one', 'two', 'three'))]", "[[`one`,`two`,`three`]]");
    EXPECT("[createArray()]", "[]");
}

static void test_create_object(void)
{
    EXPECT("[createObject('intProp', 1, 'stringProp', 'abc', 'boolProp', true(), 'arrayProp', "
           "createArray('a', 'b', 'c'), 'objectProp', createObject('key1', 'value1'))]",
           "{`intProp`:1,`stringProp`:`abc`,`boolProp`:true,`arrayProp`:[`a`,`b`,`c`],"
           "`objectProp`:{`key1`:`value1`}}");
    EXPECT("[createObject()]", "{}");
    /* Keys ignore case, and a repeated key keeps the last value. */
    EXPECT("[length(createObject('a', 1, 'A', 2))]", "1");
    EXPECT("[createObject('a', 1, 'A', 2).a]", "2");
    EXPECT_ERR_MSG("[createObject('a', 1, 'b')]", DC_ARG_COUNT, "pairs");
    EXPECT_ERR("[createObject(1, 2)]", DC_ARG_TYPE);
}

static void test_flatten(void)
{
    EXPECT("[flatten(createArray(createArray(1, 2), createArray(), createArray(3)))]", "[1,2,3]");
    EXPECT("[flatten(createArray(createArray(1, createArray(2)), createArray(3)))]", "[1,[2],3]");
    EXPECT("[flatten(createArray())]", "[]");
    EXPECT_ERR("[flatten(createArray(1))]", DC_ARG_TYPE);
    EXPECT_ERR("[flatten('ab')]", DC_ARG_TYPE);
}

/* On arrays indexOf and lastIndexOf compare with case (the array page). */
static void test_index_of_arrays(void)
{
    const char *vars = "{`names`: [`one`, `two`, `three`], `numbers`: [4, 5, 6], `collection`: "
                       "[`[variables('names')]`, `[variables('numbers')]`], `duplicates`: [1, 2, "
                       "3, 1]}";
    EXPECT_IN(NULL, vars, "[lastIndexOf(variables('names'), 'two')]", "1");
    EXPECT_IN(NULL, vars, "[indexOf(variables('names'), 'one')]", "0");
    EXPECT_IN(NULL, vars, "[lastIndexOf(variables('names'), 'Three')]", "-1");
    EXPECT_IN(NULL, vars, "[lastIndexOf(variables('numbers'), 4)]", "0");
    EXPECT_IN(NULL, vars, "[indexOf(variables('numbers'), 6)]", "2");
    EXPECT_IN(NULL, vars, "[lastIndexOf(variables('numbers'), '5')]", "-1");
    EXPECT_IN(NULL, vars, "[indexOf(variables('collection'), variables('numbers'))]", "1");
    EXPECT_IN(NULL, vars, "[indexOf(variables('duplicates'), 1)]", "0");
    EXPECT_IN(NULL, vars, "[lastIndexOf(variables('duplicates'), 1)]", "3");
}

static void test_intersection(void)
{
    EXPECT("[intersection(createObject('one', 'a', 'two', 'b', 'three', 'c'), createObject('one', "
           "'a', 'two', 'z', 'three', 'c'))]",
           "{`one`:`a`,`three`:`c`}");
    EXPECT("[intersection(createArray('one', 'two', 'three'), createArray('two', 'three'))]",
           "[`two`,`three`]");
    EXPECT("[intersection(createArray(1, 2, 3), createArray(3, 2), createArray(2))]", "[2]");
    EXPECT("[intersection(createArray(1, 1, 2), createArray(1, 2))]", "[1,2]");
    EXPECT_ERR("[intersection(createArray(1), 'x')]", DC_ARG_TYPE);
    EXPECT_ERR("[intersection(createObject(), createArray())]", DC_ARG_TYPE);
}

/* items() returns key/value pairs sorted by key. */
static void test_items(void)
{
    const char *vars = "{`entities`: {`item002`: {`enabled`: false, `displayName`: `Example item "
                       "2`, `number`: 200}, `item001`: {`enabled`: true, `displayName`: `Example "
                       "item 1`, `number`: 300}}}";
    EXPECT_IN(NULL, vars, "[items(variables('entities'))[0].key]", "`item001`");
    EXPECT_IN(NULL, vars, "[items(variables('entities'))[0].value.number]", "300");
    EXPECT_IN(NULL, vars, "[items(variables('entities'))[1].key]", "`item002`");
    EXPECT_IN(NULL, vars, "[items(variables('entities'))[1].value.enabled]", "false");
    EXPECT("[items(createObject('b', 2, 'a', 1))]",
           "[{`key`:`a`,`value`:1},{`key`:`b`,`value`:2}]");
    EXPECT("[items(createObject())]", "[]");
    EXPECT_ERR("[items(createArray())]", DC_ARG_TYPE);
}

static void test_object_keys(void)
{
    EXPECT("[objectKeys(createObject('a', 1, 'b', 2))]", "[`a`,`b`]");
    EXPECT("[objectKeys(createObject())]", "[]");
    EXPECT_ERR("[objectKeys('a')]", DC_ARG_TYPE);
}

/* shallowMerge replaces nested objects instead of merging them. */
static void test_shallow_merge(void)
{
    EXPECT("[shallowMerge(createArray(createObject('one', 'a'), createObject('two', 'b'), "
           "createObject('two', 'c')))]",
           "{`one`:`a`,`two`:`c`}");
    EXPECT("[shallowMerge(json('[{\"one\":\"a\",\"nested\":{\"a\":1,\"nested\":{\"c\":3}}},"
           "{\"two\":\"b\",\"nested\":{\"b\":2}}]'))]",
           "{`one`:`a`,`nested`:{`b`:2},`two`:`b`}");
    EXPECT("[shallowMerge(createArray())]", "{}");
    EXPECT_ERR("[shallowMerge(createArray(1))]", DC_ARG_TYPE);
    EXPECT_ERR("[shallowMerge(createObject())]", DC_ARG_TYPE);
}

static void test_try_get_and_index_from_end(void)
{
    EXPECT("[tryGet(createObject('a', 1), 'a')]", "1");
    EXPECT("[tryGet(createObject('a', 1), 'b')]", "null");
    EXPECT("[tryGet(createObject('a', createObject('b', 2)), 'a', 'b')]", "2");
    EXPECT("[tryGet(createArray(1, 2), 1)]", "2");
    EXPECT("[tryGet(createArray(1, 2), 5)]", "null");
    EXPECT("[tryGet(null(), 'a')]", "null");
    EXPECT_ERR("[tryGet(1, 'a')]", DC_ARG_TYPE);
    EXPECT("[indexFromEnd(createArray(1, 2, 3), 1)]", "3");
    EXPECT("[indexFromEnd(createArray(1, 2, 3), 3)]", "1");
    EXPECT_ERR("[indexFromEnd(createArray(1, 2, 3), 4)]", DC_NO_PROPERTY);
    EXPECT_ERR("[indexFromEnd(createArray(1), 0)]", DC_NO_PROPERTY);
    EXPECT("[tryIndexFromEnd(createArray(1, 2, 3), 2)]", "2");
    EXPECT("[tryIndexFromEnd(createArray(1, 2, 3), 4)]", "null");
    EXPECT("[tryIndexFromEnd(createArray(), 1)]", "null");
    EXPECT_ERR("[indexFromEnd('abc', 1)]", DC_ARG_TYPE);
}

static void test_union(void)
{
    EXPECT("[union(createObject('one', 'a', 'two', 'b', 'three', 'c1'), createObject('three', "
           "'c2', 'four', 'd', 'five', 'e'))]",
           "{`one`:`a`,`two`:`b`,`three`:`c2`,`four`:`d`,`five`:`e`}");
    EXPECT("[union(createArray('one', 'two', 'three'), createArray('three', 'four'))]",
           "[`one`,`two`,`three`,`four`]");
    EXPECT("[union(createArray(1, 1), createArray(2), createArray(1, 3))]", "[1,2,3]");
    EXPECT_ERR("[union(createArray(1), 'x')]", DC_ARG_TYPE);
    EXPECT_ERR("[union(createObject(), createArray())]", DC_ARG_TYPE);
}

/* Nested objects merge; nested arrays are replaced, not merged (the object
 * page's second union example). */
static void test_union_deep_merge(void)
{
    const char *vars =
        "{`firstObject`: {`property`: {`one`: `a`, `two`: `b`, `three`: `c1`}, `nestedArray`: "
        "[1, 2]}, `secondObject`: {`property`: {`three`: `c2`, `four`: `d`, `five`: `e`}, "
        "`nestedArray`: [3, 4]}, `firstArray`: [[`one`, `two`], [`three`]], `secondArray`: "
        "[[`three`], [`four`, `two`]]}";
    EXPECT_IN(NULL, vars, "[union(variables('firstObject'), variables('secondObject'))]",
              "{`property`:{`one`:`a`,`two`:`b`,`three`:`c2`,`four`:`d`,`five`:`e`},"
              "`nestedArray`:[3,4]}");
    EXPECT_IN(NULL, vars, "[union(variables('firstArray'), variables('secondArray'))]",
              "[[`one`,`two`],[`three`],[`four`,`two`]]");
}

static void test_null_and_objects(void)
{
    EXPECT("[empty(null())]", "true");
    EXPECT("[length(createObject('a', null()))]", "1");
    EXPECT("[createObject('a', null()).a]", "null");
    EXPECT_ERR("[createObject('a', 1).b]", DC_NO_PROPERTY);
    EXPECT_ERR("[createArray(1)[1]]", DC_NO_PROPERTY);
}

/* ---- lambdas ---- */

static void test_filter(void)
{
    EXPECT_IN(NULL, DOGS,
              "[filter(variables('dogs'), lambda('dog', greaterOrEquals(lambdaVariables('dog')."
              "age, 5)))]",
              "[{`name`:`Evie`,`age`:5,`interests`:[`Ball`,`Frisbee`]},{`name`:`Kira`,`age`:8,"
              "`interests`:[`Rubs`]}]");
    EXPECT("[filter(range(0, 10), lambda('i', equals(0, mod(lambdaVariables('i'), 2))))]",
           "[0,2,4,6,8]");
    EXPECT_IN(NULL,
              "{`copy`: [{`name`: `itemForLoop`, `count`: `[length(range(0, 10))]`, `input`: "
              "`[range(0, 10)[copyIndex('itemForLoop')]]`}]}",
              "[filter(variables('itemForLoop'), lambda('i', greater(lambdaVariables('i'), 5)))]",
              "[6,7,8,9]");
    /* The optional second lambda variable is the index. */
    EXPECT("[filter(createArray('a', 'b', 'c'), lambda('x', 'i', not(equals(lambdaVariables('i'), "
           "1))))]",
           "[`a`,`c`]");
}

static void test_map(void)
{
    EXPECT_IN(NULL, DOGS, "[map(variables('dogs'), lambda('dog', lambdaVariables('dog').name))]",
              "[`Evie`,`Casper`,`Indy`,`Kira`]");
    EXPECT_IN(NULL, DOGS,
              "[map(variables('dogs'), lambda('dog', format('Hello {0}!', "
              "lambdaVariables('dog').name)))]",
              "[`Hello Evie!`,`Hello Casper!`,`Hello Indy!`,`Hello Kira!`]");
    EXPECT_IN(NULL, DOGS,
              "[map(range(0, length(variables('dogs'))), lambda('i', createObject('i', "
              "lambdaVariables('i'), 'dog', variables('dogs')[lambdaVariables('i')].name, "
              "'greeting', format('Ahoy, {0}!', variables('dogs')[lambdaVariables('i')].name))))]",
              "[{`i`:0,`dog`:`Evie`,`greeting`:`Ahoy, Evie!`},{`i`:1,`dog`:`Casper`,`greeting`:"
              "`Ahoy, Casper!`},{`i`:2,`dog`:`Indy`,`greeting`:`Ahoy, Indy!`},{`i`:3,`dog`:`Kira`,"
              "`greeting`:`Ahoy, Kira!`}]");
    EXPECT("[map(createArray('a', 'b'), lambda('x', 'i', concat(lambdaVariables('x'), "
           "string(lambdaVariables('i')))))]",
           "[`a0`,`b1`]");
    EXPECT("[map(createArray(), lambda('x', div(1, 0)))]", "[]");
}

static void test_reduce(void)
{
    const char *vars = DOGS;
    EXPECT_IN(NULL, vars,
              "[reduce(map(variables('dogs'), lambda('dog', lambdaVariables('dog').age)), 0, "
              "lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]",
              "18");
    EXPECT_IN(NULL, vars,
              "[reduce(map(variables('dogs'), lambda('dog', lambdaVariables('dog').age)), 1, "
              "lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]",
              "19");
    EXPECT("[reduce(createArray(createObject('foo', 123), createObject('bar', 456), "
           "createObject('baz', 789)), createObject(), lambda('cur', 'next', "
           "union(lambdaVariables('cur'), lambdaVariables('next'))))]",
           "{`foo`:123,`bar`:456,`baz`:789}");
    /* A third lambda variable is the index. */
    EXPECT("[reduce(createArray(5, 3, 2, 8), 0, lambda('cur', 'next', 'i', "
           "if(equals(mod(lambdaVariables('i'), 2), 0), add(lambdaVariables('cur'), "
           "lambdaVariables('next')), lambdaVariables('cur'))))]",
           "7");
    EXPECT_STR("[reduce(createArray(), 'init', lambda('a', 'b', 'x'))]", "init");
}

static void test_sort(void)
{
    EXPECT_IN(NULL, DOGS,
              "[map(sort(variables('dogs'), lambda('a', 'b', less(lambdaVariables('a').age, "
              "lambdaVariables('b').age))), lambda('d', lambdaVariables('d').name))]",
              "[`Indy`,`Casper`,`Evie`,`Kira`]");
    EXPECT("[sort(createArray('b', 'c', 'a'), lambda('x', 'y', less(lambdaVariables('x'), "
           "lambdaVariables('y'))))]",
           "[`a`,`b`,`c`]");
    /* Stable: equal keys keep their order. */
    EXPECT("[map(sort(createArray(createObject('k', 1, 'n', 'a'), createObject('k', 0, 'n', 'b'), "
           "createObject('k', 1, 'n', 'c')), lambda('x', 'y', less(lambdaVariables('x').k, "
           "lambdaVariables('y').k))), lambda('e', lambdaVariables('e').n))]",
           "[`b`,`a`,`c`]");
}

static void test_to_object(void)
{
    const char *want = "{`Evie`:{`name`:`Evie`,`age`:5,`interests`:[`Ball`,`Frisbee`]},`Casper`:{"
                       "`name`:`Casper`,`age`:3,`interests`:[`Other dogs`]},`Indy`:{`name`:"
                       "`Indy`,`age`:2,`interests`:[`Butter`]},`Kira`:{`name`:`Kira`,`age`:8,"
                       "`interests`:[`Rubs`]}}";
    EXPECT_IN(NULL, DOGS,
              "[toObject(variables('dogs'), lambda('entry', lambdaVariables('entry').name))]",
              want);
    EXPECT_IN(NULL, DOGS,
              "[toObject(variables('dogs'), lambda('entry', lambdaVariables('entry').name), "
              "lambda('entry', lambdaVariables('entry')))]",
              want);
    EXPECT_IN(NULL, DOGS,
              "[toObject(variables('dogs'), lambda('e', lambdaVariables('e').name), lambda('e', "
              "lambdaVariables('e').age))]",
              "{`Evie`:5,`Casper`:3,`Indy`:2,`Kira`:8}");
    EXPECT_ERR("[toObject(createArray(1), lambda('e', lambdaVariables('e')))]", DC_ARG_TYPE);
}

static void test_group_by_and_map_values(void)
{
    EXPECT("[groupBy(createArray('foo', 'bar', 'baz'), lambda('x', substring(lambdaVariables('x'), "
           "0, 1)))]",
           "{`f`:[`foo`],`b`:[`bar`,`baz`]}");
    EXPECT("[groupBy(createArray(), lambda('x', 'k'))]", "{}");
    EXPECT(
        "[mapValues(createObject('foo', 'foo'), lambda('val', toUpper(lambdaVariables('val'))))]",
        "{`foo`:`FOO`}");
    EXPECT("[mapValues(createObject('a', 1, 'b', 2), lambda('v', mul(lambdaVariables('v'), 10)))]",
           "{`a`:10,`b`:20}");
    EXPECT_ERR("[groupBy(createArray(1), lambda('x', lambdaVariables('x')))]", DC_ARG_TYPE);
    EXPECT_ERR("[mapValues(createArray(1), lambda('v', 1))]", DC_ARG_TYPE);
}

/* An inner lambda sees the variables of the lambdas around it. */
static void test_nested_lambdas(void)
{
    EXPECT("[map(range(0, 2), lambda('i', map(range(0, 2), lambda('j', "
           "add(mul(lambdaVariables('i'), 10), lambdaVariables('j'))))))]",
           "[[0,1],[10,11]]");
    EXPECT("[map(createArray(1), lambda('x', map(createArray(2), lambda('x', "
           "lambdaVariables('x')))))]",
           "[[2]]"); /* the inner name shadows the outer */
}

static void test_lambda_errors(void)
{
    EXPECT_ERR_MSG("[lambda('x', 1)]", DC_NOT_ALLOWED_HERE, "argument of filter");
    EXPECT_ERR("[filter(createArray(1), 'x')]", DC_ARG_TYPE);
    EXPECT_ERR("[filter(createArray(1), lambda(1, true()))]", DC_ARG_TYPE);
    EXPECT_ERR("[map(createArray(1), lambda('a', 'b', 'c', 1))]", DC_ARG_COUNT);
    EXPECT_ERR("[sort(createArray(1), lambda('a', true()))]", DC_ARG_COUNT);
    EXPECT_ERR("[reduce(createArray(1), 0, lambda('a', 1))]", DC_ARG_COUNT);
    EXPECT_ERR("[filter(createArray(1), lambda('x', 1))]", DC_ARG_TYPE);
    EXPECT_ERR("[sort(createArray(1, 2), lambda('a', 'b', 1))]", DC_ARG_TYPE);
    EXPECT_ERR("[filter('abc', lambda('x', true()))]", DC_ARG_TYPE);
    EXPECT_ERR_MSG("[map(createArray(1), lambda('x', lambdaVariables('y')))]",
                   DC_UNDEFINED_LAMBDA_VAR, "'y'");
    EXPECT_ERR("[lambdaVariables('x')]", DC_UNDEFINED_LAMBDA_VAR);
    EXPECT_ERR("[map(createArray(1), lambda('x', lambdaVariables(1)))]", DC_ARG_TYPE);
}

/* ---- deployment, scope and resource ids ---- */

static void test_parameters(void)
{
    const char *p = "{`stringParameter`: {`type`: `string`, `defaultValue`: `option 1`}, "
                    "`intParameter`: {`type`: `int`, `defaultValue`: 1}, `objectParameter`: "
                    "{`type`: `object`, `defaultValue`: {`one`: `a`, `two`: `b`}}, "
                    "`arrayParameter`: {`type`: `array`, `defaultValue`: [1, 2, 3]}, "
                    "`crossParameter`: {`type`: `string`, `defaultValue`: "
                    "`[parameters('stringParameter')]`}}";
    EXPECT_IN(p, NULL, "[parameters('stringParameter')]", "`option 1`");
    EXPECT_IN(p, NULL, "[parameters('intParameter')]", "1");
    EXPECT_IN(p, NULL, "[parameters('objectParameter')]", "{`one`:`a`,`two`:`b`}");
    EXPECT_IN(p, NULL, "[parameters('arrayParameter')]", "[1,2,3]");
    EXPECT_IN(p, NULL, "[parameters('crossParameter')]", "`option 1`");
    EXPECT_IN(p, NULL, "[parameters('STRINGPARAMETER')]", "`option 1`");
    EXPECT_ERR_IN(p, NULL, "[parameters(1)]", DC_ARG_TYPE);
}

static void test_undeclared_parameter_suggests(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_eval_in(&t, "{`storageName`: {`type`: `string`, `defaultValue`: `x`}}",
                                  NULL, "[parameters('storagName')]"));
    CU_ASSERT(tu_has(&t, DC_UNDEFINED_PARAMETER, "'storagName' is not declared"));
    CU_ASSERT(note_has(&t, DC_UNDEFINED_PARAMETER, "did you mean 'storageName'?"));
    tu_release(&t);
}

static void test_variables(void)
{
    const char *v = "{`var1`: `myVariable`, `var2`: [1, 2, 3, 4], `var3`: `[ variables('var1') ]`, "
                    "`var4`: {`property1`: `value1`, `property2`: `value2`}}";
    EXPECT_IN(NULL, v, "[variables('var1')]", "`myVariable`");
    EXPECT_IN(NULL, v, "[variables('var2')]", "[1,2,3,4]");
    EXPECT_IN(NULL, v, "[variables('var3')]", "`myVariable`");
    EXPECT_IN(NULL, v, "[variables('var4')]", "{`property1`:`value1`,`property2`:`value2`}");
    EXPECT_ERR_IN(NULL, v, "[variables('var5')]", DC_UNDEFINED_VARIABLE);
    EXPECT_ERR_IN(NULL, v, "[variables(createArray())]", DC_ARG_TYPE);
    EXPECT_ERR_IN(NULL, "{`a`: `[variables('b')]`, `b`: `[variables('a')]`}", "[variables('a')]",
                  DC_CYCLE);
}

static void test_scope_objects(void)
{
    EXPECT_STR("[resourceGroup().id]", RG);
    EXPECT_STR("[resourceGroup().name]", "apimlocal");
    EXPECT_STR("[resourceGroup().location]", "eastus");
    EXPECT_STR("[resourceGroup().type]", "Microsoft.Resources/resourceGroups");
    EXPECT_STR("[resourceGroup().properties.provisioningState]", "Succeeded");
    EXPECT_STR("[subscription().id]", SUB);
    EXPECT_STR("[subscription().subscriptionId]", "00000000-0000-0000-0000-000000000000");
    EXPECT_STR("[subscription().tenantId]", TENANT);
    EXPECT_STR("[tenant().id]", "/tenants/" TENANT);
    EXPECT_STR("[tenant().tenantId]", TENANT);
}

static void test_deployment(void)
{
    EXPECT_STR("[deployment().name]", "test");
    EXPECT_STR("[deployment().properties.template.contentVersion]", "1.0.0.0");
    EXPECT_STR("[deployment().properties.mode]", "Incremental");
    EXPECT_STR("[deployment().properties.provisioningState]", "Accepted");
    EXPECT("[deployment().properties.parameters]", "{}");
}

/* For a local template deployed to a resource group, deployment() has no
 * 'location', and properties.template is the whole template (the
 * deployment functions page). */
static void test_deployment_shape_as_documented(void)
{
    EXPECT("[contains(deployment(), 'location')]", "false");
    EXPECT("[deployment().properties.template.resources]", "[]");
}

static void test_environment(void)
{
    EXPECT_STR("[environment().name]", "AzureCloud");
    EXPECT_STR("[environment().resourceManager]", "https://management.azure.com/");
    EXPECT_STR("[environment().portal]", "https://portal.azure.com");
    EXPECT_STR("[environment().authentication.loginEndpoint]",
               "https://login.microsoftonline.com/");
    EXPECT_STR("[environment().suffixes.storage]", "core.windows.net");
    EXPECT_STR("[environment().suffixes.keyvaultDns]", ".vault.azure.net");
    EXPECT_STR("[environment().suffixes.sqlServerHostname]", ".database.windows.net");
}

/* environment().authentication.audiences lists the management endpoints. */
static void test_environment_audiences(void)
{
    EXPECT("[environment().authentication.audiences]",
           "[`https://management.core.windows.net/`,`https://management.azure.com/`]");
}

static void test_resource_id(void)
{
    EXPECT_STR("[resourceId(" STORAGE ", 'examplestorage')]",
               RG "/providers/Microsoft.Storage/storageAccounts/examplestorage");
    EXPECT_STR("[resourceId('otherResourceGroup', " STORAGE ", 'examplestorage')]",
               SUB "/resourceGroups/otherResourceGroup/providers/Microsoft.Storage/"
                   "storageAccounts/examplestorage");
    EXPECT_STR("[resourceId('11111111-1111-1111-1111-111111111111', 'otherResourceGroup', " STORAGE
               ", 'examplestorage')]",
               "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/"
               "otherResourceGroup/providers/Microsoft.Storage/storageAccounts/examplestorage");
    EXPECT_STR("[resourceId('Microsoft.SQL/servers/databases', 'serverName', 'databaseName')]",
               RG "/providers/Microsoft.SQL/servers/serverName/databases/databaseName");
    EXPECT_STR("[resourceId('Microsoft.ServiceBus/namespaces/queues/authorizationRules', "
               "'namespace1', 'queue1', 'auth1')]",
               RG "/providers/Microsoft.ServiceBus/namespaces/namespace1/queues/queue1/"
                  "authorizationRules/auth1");
    EXPECT_ERR_MSG("[resourceId('Microsoft.SQL/servers/databases', 'serverName')]", DC_EVAL,
                   "needs 2 names");
    EXPECT_ERR("[resourceId('a', 'b')]", DC_EVAL);
    EXPECT_ERR("[resourceId(1, " STORAGE ", 'x')]", DC_ARG_TYPE);
    EXPECT_ERR("[resourceId(" STORAGE ", createArray())]", DC_ARG_TYPE);
}

static void test_subscription_and_tenant_resource_id(void)
{
    EXPECT_STR("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', "
               "'8e3af657-a8ff-443c-a75c-2fe8c4bcb635')]",
               SUB "/providers/Microsoft.Authorization/roleDefinitions/"
                   "8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
    EXPECT_STR("[subscriptionResourceId('11111111-1111-1111-1111-111111111111', "
               "'Microsoft.Resources/resourceGroups', 'rg1')]",
               "/subscriptions/11111111-1111-1111-1111-111111111111/providers/"
               "Microsoft.Resources/resourceGroups/rg1");
    EXPECT_STR("[tenantResourceId('Microsoft.Authorization/policyDefinitions', "
               "'0a914e76-4921-4c19-b460-a2d36003525a')]",
               "/providers/Microsoft.Authorization/policyDefinitions/"
               "0a914e76-4921-4c19-b460-a2d36003525a");
    EXPECT_STR("[tenantResourceId('Microsoft.Management/managementGroups', 'mg1')]",
               "/providers/Microsoft.Management/managementGroups/mg1");
    EXPECT_ERR("[subscriptionResourceId('Microsoft.A/b/c', 'x')]", DC_EVAL);
    EXPECT_ERR("[tenantResourceId('nope', 'x')]", DC_EVAL);
}

static void test_extension_and_management_group_resource_id(void)
{
    EXPECT_STR("[extensionResourceId(resourceGroup().Id, 'Microsoft.Authorization/locks', "
               "'myLock')]",
               RG "/providers/Microsoft.Authorization/locks/myLock");
    EXPECT_STR("[extensionResourceId(resourceId(" STORAGE ", 'sa'), "
               "'Microsoft.Authorization/roleAssignments', 'ra')]",
               RG "/providers/Microsoft.Storage/storageAccounts/sa/providers/"
                  "Microsoft.Authorization/roleAssignments/ra");
    EXPECT_STR("[managementGroupResourceId('myMg', 'Microsoft.Authorization/policyDefinitions', "
               "'p')]",
               "/providers/Microsoft.Management/managementGroups/myMg/providers/"
               "Microsoft.Authorization/policyDefinitions/p");
    EXPECT_STR("[managementGroupResourceId('Microsoft.Authorization/policyDefinitions', 'p')]",
               "/providers/Microsoft.Management/managementGroups/apimlocal/providers/"
               "Microsoft.Authorization/policyDefinitions/p");
    EXPECT_ERR("[extensionResourceId(1, 'Microsoft.Authorization/locks', 'l')]", DC_ARG_TYPE);
    EXPECT_ERR("[extensionResourceId(resourceGroup().id, 'locks', 'l')]", DC_EVAL);
}

/* reference() reads a resource of this template: its properties, or the
 * whole body with 'Full'. Properties the provider adds are unknown here. */
static void test_reference(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_STRING_EQUAL(tu_json(&t, eval_with_storage(&t, "[reference('sa1').accessTier]")),
                           "\"Hot\"");
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_STRING_EQUAL(
        tu_json(&t, eval_with_storage(&t, "[reference(resourceId(" STORAGE
                                          ", 'sa1'), '2022-09-01').accessTier]")),
        "\"Hot\"");
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_STRING_EQUAL(
        tu_json(&t, eval_with_storage(&t, "[reference('sa1', '2022-09-01', 'Full').kind]")),
        "\"StorageV2\"");
    tu_release(&t);
    tu_init(&t);
    struct jval *v = eval_with_storage(&t, "[reference('sa1').primaryEndpoints.blob]");
    CU_ASSERT(v != NULL && v->kind == JV_UNKNOWN);
    tu_release(&t);
}

static void test_reference_restrictions(void)
{
    EXPECT_UNKNOWN("[reference(resourceId(" STORAGE ", 'elsewhere'), '2022-09-01')]");
    EXPECT_ERR_IN(NULL, "{`r`: `[reference('sa1')]`}", "[variables('r')]", DC_NOT_ALLOWED_HERE);
    EXPECT_ERR_IN("{`p`: {`type`: `object`, `defaultValue`: `[reference('sa1')]`}}", NULL,
                  "[parameters('p')]", DC_NOT_ALLOWED_HERE);
    EXPECT_ERR("[reference(1)]", DC_ARG_TYPE);
}

/* list* functions are provider actions: unknown until deployment, and not
 * allowed where no resource exists yet. */
static void test_list_functions(void)
{
    EXPECT_UNKNOWN("[listKeys(resourceId(" STORAGE ", 'sa'), '2022-09-01')]");
    EXPECT_UNKNOWN("[listKeys(resourceId(" STORAGE ", 'sa'), '2022-09-01').keys[0].value]");
    EXPECT_UNKNOWN("[listSecrets('x', '2022-08-01', createObject('a', 1))]");
    EXPECT_UNKNOWN("[concat('key=', listKeys('sa', '2022-09-01').keys[0].value)]");
    EXPECT_ERR_IN(NULL,
                  "{`k`: `[listKeys(resourceId('Microsoft.Storage/storageAccounts', "
                  "'sa'), '2022-09-01')]`}",
                  "[variables('k')]", DC_NOT_ALLOWED_HERE);
    EXPECT_ERR_IN("{`p`: {`type`: `object`, `defaultValue`: `[listKeys('sa', '2022-09-01')]`}}",
                  NULL, "[parameters('p')]", DC_NOT_ALLOWED_HERE);
}

/* Containers keep an unknown element instead of becoming unknown. */
static void test_unknown_inside_containers(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_eval(&t, "[createArray(1, listKeys('sa', '2022-09-01').k)]");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(v->kind, JV_ARRAY);
    CU_ASSERT_EQUAL_FATAL(v->u.a.n, 2);
    CU_ASSERT_EQUAL(v->u.a.v[0]->kind, JV_INT);
    CU_ASSERT_EQUAL(v->u.a.v[1]->kind, JV_UNKNOWN);
    tu_release(&t);
    EXPECT_UNKNOWN("[length(listKeys('sa', '2022-09-01').keys)]");
    EXPECT_UNKNOWN("[if(equals(listKeys('sa', '2022-09-01').k, 1), 'a', 'b')]");
}

static void test_pick_zones(void)
{
    EXPECT("[pickZones('Microsoft.Cdn', 'profiles', 'westus2')]", "[]");
    EXPECT("[pickZones('Microsoft.Compute', 'virtualMachines', 'westus')]", "[]");
}

/* The resource functions page: virtual machines in westus2 are zonal. */
static void test_pick_zones_zonal_region(void)
{
    EXPECT("[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2')]", "[`1`]");
}

/* utcNow: the local instant is fixed at 2026-01-01T00:00:00Z. */
static void test_utc_now(void)
{
    const char *p = "{`a`: {`type`: `string`, `defaultValue`: `[utcNow()]`}, `b`: {`type`: "
                    "`string`, `defaultValue`: `[utcNow('u')]`}, `c`: {`type`: `string`, "
                    "`defaultValue`: `[utcNow('yyyy-MM-ddTHH:mm:ss')]`}}";
    EXPECT_IN(p, NULL, "[parameters('a')]", "`20260101T000000Z`");
    EXPECT_IN(p, NULL, "[parameters('b')]", "`2026-01-01 00:00:00Z`");
    EXPECT_IN(p, NULL, "[parameters('c')]", "`2026-01-01T00:00:00`");
    EXPECT_ERR_MSG("[utcNow()]", DC_NOT_ALLOWED_HERE, "default value of a parameter");
    EXPECT_ERR_IN(NULL, "{`now`: `[utcNow()]`}", "[variables('now')]", DC_NOT_ALLOWED_HERE);
    EXPECT_ERR_IN("{`p`: {`type`: `string`, `defaultValue`: `[utcNow(1)]`}}", NULL,
                  "[parameters('p')]", DC_ARG_TYPE);
}

/* The date page: utcNow('d') is "03/05/2019" for 5 March 2019 (the
 * invariant culture's short date) and utcNow('M d') is "3 5". */
static void test_utc_now_dotnet_formats(void)
{
    const char *p = "{`d`: {`type`: `string`, `defaultValue`: `[utcNow('d')]`}, `md`: {`type`: "
                    "`string`, `defaultValue`: `[utcNow('M d')]`}}";
    EXPECT_IN(p, NULL, "[parameters('d')]", "`01/01/2026`");
    EXPECT_IN(p, NULL, "[parameters('md')]", "`1 1`");
}

static void test_date_time_add(void)
{
    EXPECT_STR("[dateTimeAdd('2020-04-07T14:53:14Z', 'P3Y')]", "2023-04-07T14:53:14Z");
    EXPECT_STR("[dateTimeAdd('2020-04-07T14:53:14Z', '-P9D')]", "2020-03-29T14:53:14Z");
    EXPECT_STR("[dateTimeAdd('2020-04-07T14:53:14Z', 'PT1H')]", "2020-04-07T15:53:14Z");
    EXPECT_STR("[dateTimeAdd('2020-04-07T14:53:14Z', 'P1DT2H30M5S')]", "2020-04-08T17:23:19Z");
    EXPECT_STR("[dateTimeAdd('2020-04-07T14:53:14Z', 'PT1H', 'yyyy-MM-dd')]", "2020-04-07");
    EXPECT_ERR("[dateTimeAdd('yesterday', 'P1D')]", DC_EVAL);
    EXPECT_ERR("[dateTimeAdd('2020-04-07T14:53:14Z', '1D')]", DC_EVAL);
    EXPECT_ERR("[dateTimeAdd('2020-04-07T14:53:14Z', 'P1X')]", DC_EVAL);
    EXPECT_ERR("[dateTimeAdd(1, 'P1D')]", DC_ARG_TYPE);
}

/* The date page: "P1Y should be interpreted as P365D, while P1M should be
 * interpreted as P30D". */
static void test_date_time_add_fixed_year_and_month(void)
{
    EXPECT_STR("[dateTimeAdd('2023-01-01T00:00:00Z', 'P1Y')]", "2024-01-01T00:00:00Z");
    EXPECT_STR("[dateTimeAdd('2024-01-01T00:00:00Z', 'P1Y')]", "2024-12-31T00:00:00Z");
    EXPECT_STR("[dateTimeAdd('2023-02-01T00:00:00Z', 'P1M')]", "2023-03-03T00:00:00Z");
    EXPECT_STR("[dateTimeAdd('2024-02-01T00:00:00Z', 'P1M')]", "2024-03-02T00:00:00Z");
}

/* The same examples as the page writes them: the base uses a space between
 * date and time (ISO 8601 as .NET reads it, and utcNow('u')'s format). */
static void test_date_time_add_space_separated_base(void)
{
    EXPECT_STR("[dateTimeAdd('2023-01-01 00:00:00Z', 'P1Y')]", "2024-01-01T00:00:00Z");
    EXPECT_STR("[dateTimeAdd('2023-02-01 00:00:00Z', 'P1M')]", "2023-03-03T00:00:00Z");
    EXPECT_IN("{`baseTime`: {`type`: `string`, `defaultValue`: `[utcNow('u')]`}}", NULL,
              "[dateTimeToEpoch(dateTimeAdd(parameters('baseTime'), 'PT1H'))]", "1767229200");
}

static void test_epoch(void)
{
    EXPECT_STR("[dateTimeFromEpoch(1683040573)]", "2023-05-02T15:16:13Z");
    EXPECT("[dateTimeToEpoch('2023-05-02T15:16:13Z')]", "1683040573");
    EXPECT("[dateTimeToEpoch(dateTimeFromEpoch(0))]", "0");
    EXPECT_ERR("[dateTimeToEpoch('not a date')]", DC_EVAL);
    EXPECT_ERR("[dateTimeFromEpoch('1')]", DC_ARG_TYPE);
    EXPECT_ERR("[dateTimeToEpoch(1)]", DC_ARG_TYPE);
}

/* The page's epoch example feeds utcNow()'s default format
 * (yyyyMMddTHHmmssZ) to dateTimeAdd. */
static void test_epoch_of_utc_now(void)
{
    EXPECT_IN("{`convertedEpoch`: {`type`: `int`, `defaultValue`: "
              "`[dateTimeToEpoch(dateTimeAdd(utcNow(), 'P1Y'))]`}}",
              NULL, "[parameters('convertedEpoch')]", "1798761600");
}

/* ---- calls in general ---- */

static void test_unknown_function_suggests(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_eval(&t, "[concatt('a', 'b')]"));
    CU_ASSERT(tu_has(&t, DC_UNKNOWN_FUNCTION, "unknown function 'concatt'"));
    CU_ASSERT(note_has(&t, DC_UNKNOWN_FUNCTION, "did you mean 'concat'?"));
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_eval(&t, "[resourceGroupp().id]"));
    CU_ASSERT(note_has(&t, DC_UNKNOWN_FUNCTION, "did you mean 'resourceGroup'?"));
    tu_release(&t);
    EXPECT_ERR("[frobnicate()]", DC_UNKNOWN_FUNCTION);
    EXPECT_ERR("[list()]", DC_UNKNOWN_FUNCTION); /* not a list* call: no resource */
}

static void test_names_ignore_case(void)
{
    EXPECT_STR("[CONCAT('a', ToUpper('b'), tolower('C'))]", "aBc");
    EXPECT("[LENGTH(CreateArray(1, 2))]", "2");
    EXPECT_STR("[RESOURCEGROUP().NAME]", "apimlocal");
    EXPECT("[IF(TRUE(), 1, 2)]", "1");
}

/* Every entry of the three tables is found by its name in any case; the
 * lookup is a binary search, so this also checks the tables are sorted. */
static void test_every_function_is_found(void)
{
    size_t n;
    const struct arm_func *all = arm_functions(&n);
    CU_ASSERT(n > 90);
    for (size_t i = 0; i < n; i++) {
        char upper[64];
        snprintf(upper, sizeof(upper), "%s", all[i].name);
        for (char *p = upper; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 32);
        const struct arm_func *a = arm_find_function(str_from_cstr(all[i].name));
        const struct arm_func *b = arm_find_function(str_from_cstr(upper));
        report(a && a->fn == all[i].fn && b == a, __LINE__, all[i].name, a ? a->name : "not found",
               "itself");
    }
}

static void call_with_args(char *buf, size_t cap, const char *name, unsigned nargs)
{
    int len = snprintf(buf, cap, "[%s(", name);
    for (unsigned i = 0; i < nargs && len > 0 && (size_t)len < cap; i++)
        len += snprintf(buf + len, cap - (size_t)len, "%s1", i ? ", " : "");
    if (len > 0 && (size_t)len < cap)
        snprintf(buf + len, cap - (size_t)len, ")]");
}

static void expect_arg_count_error(const char *name, unsigned nargs)
{
    char expr[256];
    call_with_args(expr, sizeof(expr), name, nargs);
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_eval(&t, expr);
    report(v == NULL && tu_count(&t, DC_ARG_COUNT) == 1, __LINE__, expr,
           v ? tu_json(&t, v) : tu_text(&t), "one wrong-argument-count error");
    tu_release(&t);
}

/* Every function rejects too few and too many arguments before it runs. */
static void test_every_function_checks_arg_count(void)
{
    size_t n;
    const struct arm_func *all = arm_functions(&n);
    for (size_t i = 0; i < n; i++) {
        if (all[i].min_args > 0)
            expect_arg_count_error(all[i].name, all[i].min_args - 1u);
        if (all[i].max_args != ARM_ANY_ARGS)
            expect_arg_count_error(all[i].name, all[i].max_args + 1u);
    }
    EXPECT_ERR_MSG("[substring('a')]", DC_ARG_COUNT, "'substring' takes 2 to 3 arguments, got 1");
    EXPECT_ERR_MSG("[add(1)]", DC_ARG_COUNT, "'add' takes 2 arguments, got 1");
    EXPECT_ERR_MSG("[concat()]", DC_ARG_COUNT, "'concat' takes at least 1 argument, got 0");
}

/* Errors in arguments are all reported, not just the first. */
static void test_argument_errors_all_reported(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_eval(&t, "[createArray(div(1, 0), parameters('nope'), frob())]"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_EVAL), 1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_UNDEFINED_PARAMETER), 1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_UNKNOWN_FUNCTION), 1);
    tu_release(&t);
}

/* ---- registration ---- */

static CU_TestInfo string_tests[] = {
    { "base64, base64ToString, base64ToJson", test_base64_family },
    { "base64ToJson reads single-quoted JSON", test_base64_to_json_single_quotes },
    { "concat", test_concat },
    { "contains", test_contains },
    { "dataUri, dataUriToString", test_data_uri },
    { "empty", test_empty },
    { "startsWith, endsWith ignore case", test_starts_ends_with },
    { "first, last", test_first_last },
    { "format", test_format },
    { "format N groups thousands", test_format_number_groups_thousands },
    { "format alignment", test_format_alignment },
    { "guid", test_guid },
    { "indexOf, lastIndexOf on strings", test_index_of_strings },
    { "join", test_join },
    { "json", test_json },
    { "length", test_length },
    { "newGuid", test_new_guid },
    { "padLeft", test_pad_left },
    { "replace", test_replace },
    { "skip, take", test_skip_take },
    { "split", test_split },
    { "string", test_string },
    { "substring", test_substring },
    { "toLower, toUpper, trim", test_case_and_trim },
    { "uniqueString", test_unique_string },
    { "uri", test_uri },
    { "uriComponent, uriComponentToString", test_uri_component },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo number_tests[] = {
    { "add, sub, mul, div, mod", test_arithmetic },
    { "arithmetic errors", test_arithmetic_errors },
    { "int, float", test_int_float },
    { "min, max", test_min_max },
    { "range", test_range },
    { "copyIndex in a variable loop", test_copy_index_in_variable_loop },
    { "copyIndex in output and resource loops", test_copy_index_in_output_and_resource_loops },
    { "copyIndex outside a loop", test_copy_index_outside_loop },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo logic_tests[] = {
    { "and, or, not", test_and_or_not },
    { "if, and, or, coalesce are lazy", test_lazy_evaluation },
    { "bool", test_bool },
    { "true, false, null", test_true_false_null },
    { "if", test_if },
    { "coalesce", test_coalesce },
    { "equals", test_equals },
    { "greater, less and friends", test_compare_ints },
    { "string comparison as documented", test_compare_strings_as_documented },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo collection_tests[] = {
    { "array", test_array },
    { "createArray", test_create_array },
    { "createObject", test_create_object },
    { "flatten", test_flatten },
    { "indexOf, lastIndexOf on arrays", test_index_of_arrays },
    { "intersection", test_intersection },
    { "items sorts by key", test_items },
    { "objectKeys", test_object_keys },
    { "shallowMerge", test_shallow_merge },
    { "tryGet, indexFromEnd, tryIndexFromEnd", test_try_get_and_index_from_end },
    { "union", test_union },
    { "union deep-merges objects", test_union_deep_merge },
    { "null and object members", test_null_and_objects },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo lambda_tests[] = {
    { "filter", test_filter },
    { "map", test_map },
    { "reduce", test_reduce },
    { "sort", test_sort },
    { "toObject", test_to_object },
    { "groupBy, mapValues", test_group_by_and_map_values },
    { "nested lambdas", test_nested_lambdas },
    { "lambda errors", test_lambda_errors },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo deployment_tests[] = {
    { "parameters", test_parameters },
    { "undeclared parameter suggests", test_undeclared_parameter_suggests },
    { "variables", test_variables },
    { "resourceGroup, subscription, tenant", test_scope_objects },
    { "deployment", test_deployment },
    { "deployment shape as documented", test_deployment_shape_as_documented },
    { "environment", test_environment },
    { "environment audiences", test_environment_audiences },
    { "resourceId", test_resource_id },
    { "subscriptionResourceId, tenantResourceId", test_subscription_and_tenant_resource_id },
    { "extensionResourceId, managementGroupResourceId",
      test_extension_and_management_group_resource_id },
    { "reference", test_reference },
    { "reference restrictions", test_reference_restrictions },
    { "list* functions", test_list_functions },
    { "unknown values inside containers", test_unknown_inside_containers },
    { "pickZones", test_pick_zones },
    { "pickZones in a zonal region", test_pick_zones_zonal_region },
    { "utcNow", test_utc_now },
    { "utcNow .NET formats", test_utc_now_dotnet_formats },
    { "dateTimeAdd", test_date_time_add },
    { "dateTimeAdd: P1Y is 365 days, P1M 30", test_date_time_add_fixed_year_and_month },
    { "dateTimeAdd: space-separated base", test_date_time_add_space_separated_base },
    { "dateTimeFromEpoch, dateTimeToEpoch", test_epoch },
    { "dateTimeToEpoch of utcNow()", test_epoch_of_utc_now },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo call_tests[] = {
    { "unknown function suggests", test_unknown_function_suggests },
    { "names ignore case", test_names_ignore_case },
    { "every function is found", test_every_function_is_found },
    { "every function checks its argument count", test_every_function_checks_arg_count },
    { "argument errors all reported", test_argument_errors_all_reported },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "strings", NULL, NULL, NULL, NULL, string_tests },
    { "numbers", NULL, NULL, NULL, NULL, number_tests },
    { "logic", NULL, NULL, NULL, NULL, logic_tests },
    { "arrays and objects", NULL, NULL, NULL, NULL, collection_tests },
    { "lambdas", NULL, NULL, NULL, NULL, lambda_tests },
    { "deployment and ids", NULL, NULL, NULL, NULL, deployment_tests },
    { "calls", NULL, NULL, NULL, NULL, call_tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
