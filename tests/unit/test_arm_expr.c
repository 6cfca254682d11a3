/* Unit tests for the ARM expression grammar (arm_expr.l, arm_expr.y,
 * arm_expr.c): the string forms, the tree, and locations inside the JSON
 * string, escapes included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apim_limits.h"
#include "arm_expr.h"
#include "cunit_run.h"
#include "testutil.h"

/* Parses the single string of a one-element JSON array. */
static struct arm_expr *parse(struct tu *t, const char *json_array)
{
    struct jval *doc = tu_parse(t, json_array);
    if (doc == NULL || doc->kind != JV_ARRAY || doc->u.a.n != 1)
        return NULL;
    return arm_expr_parse(&t->arena, &t->diag, doc->u.a.v[0]);
}

static void test_string_forms(void)
{
    CU_ASSERT_EQUAL(arm_string_form(STR_LIT("[concat('a')]")), ARM_EXPRESSION);
    CU_ASSERT_EQUAL(arm_string_form(STR_LIT("[[literal]")), ARM_ESCAPED);
    CU_ASSERT_EQUAL(arm_string_form(STR_LIT("[test] value")), ARM_LITERAL);
    CU_ASSERT_EQUAL(arm_string_form(STR_LIT("plain")), ARM_LITERAL);
    CU_ASSERT_EQUAL(arm_string_form(STR_LIT("[")), ARM_LITERAL);
    CU_ASSERT_EQUAL(arm_string_form(STR_LIT("[]")), ARM_EXPRESSION);
    CU_ASSERT_EQUAL(arm_string_form(STR_LIT("")), ARM_LITERAL);
}

static void test_tree_shape(void)
{
    struct tu t;
    tu_init(&t);
    struct arm_expr *e = parse(&t, "[`[concat(parameters('a').b[0], 'it''s', -3, true, null)]`]");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(e->kind, ARM_E_CALL);
    CU_ASSERT_TRUE(str_eq(e->name, STR_LIT("concat")));
    CU_ASSERT_EQUAL_FATAL(e->nargs, 5);
    const struct arm_expr *idx = e->args[0];
    CU_ASSERT_EQUAL(idx->kind, ARM_E_INDEX);
    CU_ASSERT_EQUAL(idx->obj->kind, ARM_E_MEMBER);
    CU_ASSERT_TRUE(str_eq(idx->obj->name, STR_LIT("b")));
    CU_ASSERT_EQUAL(idx->obj->obj->kind, ARM_E_CALL);
    CU_ASSERT_EQUAL(idx->index->kind, ARM_E_INT);
    CU_ASSERT_EQUAL(e->args[1]->kind, ARM_E_STRING);
    CU_ASSERT_TRUE(str_eq(e->args[1]->name, STR_LIT("it's")));
    CU_ASSERT_EQUAL(e->args[2]->i, -3);
    CU_ASSERT_EQUAL(e->args[3]->kind, ARM_E_BOOL);
    CU_ASSERT_EQUAL(e->args[3]->i, 1);
    CU_ASSERT_EQUAL(e->args[4]->kind, ARM_E_NULL);
    tu_release(&t);
}

/* true() and false() are functions too; keywords are case-insensitive. */
static void test_keywords_and_functions(void)
{
    struct tu t;
    tu_init(&t);
    struct arm_expr *e = parse(&t, "[`[and(true(), TRUE, not(False))]`]");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(e->args[0]->kind, ARM_E_CALL);
    CU_ASSERT_EQUAL(e->args[1]->kind, ARM_E_BOOL);
    CU_ASSERT_EQUAL(e->args[2]->args[0]->kind, ARM_E_BOOL);
    tu_release(&t);
}

static void test_user_function_namespace(void)
{
    struct tu t;
    tu_init(&t);
    struct arm_expr *e = parse(&t, "[`[contoso.uniqueName('x')]`]");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_TRUE(str_eq(e->ns, STR_LIT("contoso")));
    CU_ASSERT_TRUE(str_eq(e->name, STR_LIT("uniqueName")));
    tu_release(&t);
}

/* Locations point into the file: line/column of the call inside the string. */
static void test_locations_in_file(void)
{
    struct tu t;
    tu_init(&t);
    struct arm_expr *e = parse(&t, "[\n  `[concat('a', toLower('B'))]`\n]");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    unsigned line, col;
    source_line_col(e->args[1]->loc.src, e->args[1]->loc.start, &line, &col);
    CU_ASSERT_EQUAL(line, 2);
    CU_ASSERT_EQUAL(col, 17);
    CU_ASSERT_EQUAL(e->args[1]->loc.end - e->args[1]->loc.start, strlen("toLower('B')"));
    tu_release(&t);
}

/* With JSON escapes before it, a token is still found at its real column. */
static void test_locations_after_escapes(void)
{
    struct tu t;
    tu_init(&t);
    struct arm_expr *e = parse(&t, "[`[concat('\\u0041\\t', bad(1))]`]");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    const struct arm_expr *bad = e->args[1];
    CU_ASSERT_EQUAL(bad->loc.src->text[bad->loc.start], 'b');
    CU_ASSERT_EQUAL(bad->loc.end - bad->loc.start, strlen("bad(1)"));
    tu_release(&t);
}

static void test_syntax_errors_are_located(void)
{
    static const struct {
        const char *json;
        const char *msg;
        unsigned col;
    } cases[] = {
        { "[`[concat('a' 'b')]`]", "unexpected string, expecting", 15 },
        { "[`[concat('a',)]`]", "unexpected ')'", 15 },
        { "[`[concat('unterminated)]`]", "missing terminating '", 11 },
        { "[`[parameters(\\`x\\`)]`]", "single quotes", 15 },
        { "[`[concat('a') + 1]`]", "unexpected character '+'", 16 },
        { "[`[name]`]", "unexpected end of expression, expecting '.' or '('", 8 },
        { "[`[]`]", "unexpected end of expression", 4 },
        { "[`[a.b.c]`]", "expecting '('", 7 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tu t;
        tu_init(&t);
        CU_ASSERT_PTR_NULL(parse(&t, cases[i].json));
        CU_ASSERT_EQUAL(tu_count(&t, DC_EXPR_SYNTAX), 1);
        if (!tu_has(&t, DC_EXPR_SYNTAX, cases[i].msg))
            fprintf(stderr, "case %zu: %s\n", i, tu_text(&t));
        CU_ASSERT_TRUE(tu_has(&t, DC_EXPR_SYNTAX, cases[i].msg));
        unsigned line, col;
        tu_where(&t, DC_EXPR_SYNTAX, &line, &col);
        if (col != cases[i].col)
            fprintf(stderr, "case %zu: column %u, want %u\n%s", i, col, cases[i].col, tu_text(&t));
        CU_ASSERT_EQUAL(col, cases[i].col);
        /* The hint about '[[' rides along as a note. */
        CU_ASSERT_PTR_NOT_NULL(t.diag.v[0]->notes);
        tu_release(&t);
    }
}

static void test_depth_limit(void)
{
    struct tu t;
    tu_init(&t);
    struct buf b;
    buf_init(&b, 1 << 20);
    CU_ASSERT_EQUAL(buf_puts(&b, "[`["), 0);
    for (int i = 0; i < APIM_MAX_EXPR_DEPTH + 5; i++)
        CU_ASSERT_EQUAL(buf_puts(&b, "not("), 0);
    CU_ASSERT_EQUAL(buf_puts(&b, "true"), 0);
    for (int i = 0; i < APIM_MAX_EXPR_DEPTH + 5; i++)
        CU_ASSERT_EQUAL(buf_puts(&b, ")"), 0);
    CU_ASSERT_EQUAL(buf_puts(&b, "]`]"), 0);
    CU_ASSERT_PTR_NULL(parse(&t, b.data));
    CU_ASSERT_TRUE(tu_has(&t, DC_EXPR_SYNTAX, "nested deeper than"));
    buf_release(&b);
    tu_release(&t);
}

static void test_length_limit(void)
{
    struct tu t;
    tu_init(&t);
    size_t n = APIM_MAX_EXPR_LENGTH + 10;
    char *s = malloc(n + 20);
    memcpy(s, "[`[concat('", 11);
    memset(s + 11, 'x', n);
    memcpy(s + 11 + n, "')]`]", 6);
    CU_ASSERT_PTR_NULL(parse(&t, s));
    CU_ASSERT_TRUE(tu_has(&t, DC_EXPR_SYNTAX, "longer than"));
    free(s);
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "string forms", test_string_forms },
    { "tree shape", test_tree_shape },
    { "keywords and functions", test_keywords_and_functions },
    { "user function namespace", test_user_function_namespace },
    { "locations in the file", test_locations_in_file },
    { "locations after escapes", test_locations_after_escapes },
    { "syntax errors are located", test_syntax_errors_are_located },
    { "depth limit", test_depth_limit },
    { "length limit", test_length_limit },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "arm_expr", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
