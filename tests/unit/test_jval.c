/* Unit tests for the JSON front end (json.l, json.y, jval.c): values,
 * locations, comments, escapes, error recovery and limits. */
#include <stdlib.h>
#include <string.h>

#include "apim_limits.h"
#include "cunit_run.h"
#include "testutil.h"

static void test_scalars_and_structure(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_parse(&t, "{`s`: `x`, `i`: -42, `r`: 1.5e2, `t`: true, `f`: false, "
                                  "`n`: null, `a`: [1, [2]], `o`: {}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(v->kind, JV_OBJECT);
    CU_ASSERT_EQUAL(v->u.o.n, 8);
    CU_ASSERT_STRING_EQUAL(jval_get_str(v, "s"), "x");
    CU_ASSERT_EQUAL(jval_get(v, "i")->u.i, -42);
    CU_ASSERT_EQUAL(jval_get(v, "r")->kind, JV_REAL);
    CU_ASSERT_DOUBLE_EQUAL(jval_get(v, "r")->u.r, 150.0, 1e-9);
    CU_ASSERT_TRUE(jval_get(v, "t")->u.b);
    CU_ASSERT_FALSE(jval_get(v, "f")->u.b);
    CU_ASSERT_EQUAL(jval_get(v, "n")->kind, JV_NULL);
    CU_ASSERT_EQUAL(jval_get(v, "a")->u.a.n, 2);
    CU_ASSERT_EQUAL(jval_get(v, "a")->u.a.v[1]->kind, JV_ARRAY);
    CU_ASSERT_STRING_EQUAL(tu_json(&t, v), "{\"s\":\"x\",\"i\":-42,\"r\":150,\"t\":true,"
                                           "\"f\":false,\"n\":null,\"a\":[1,[2]],\"o\":{}}");
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

static void test_keys_are_case_insensitive(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_parse(&t, "{`Resources`: 1}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_PTR_NOT_NULL(jval_get(v, "resources"));
    CU_ASSERT_PTR_NULL(jval_get(v, "resource"));
    tu_release(&t);
}

/* Every node records where it is: line and column of the value. */
static void test_locations(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_parse(&t, "{\n  `a`: [\n    1,\n    `two`\n  ]\n}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    const struct jval *two = jval_get(v, "a")->u.a.v[1];
    unsigned line, col;
    source_line_col(two->loc.src, two->loc.start, &line, &col);
    CU_ASSERT_EQUAL(line, 4);
    CU_ASSERT_EQUAL(col, 5);
    CU_ASSERT_EQUAL(two->loc.end - two->loc.start, 5); /* the quotes included */
    struct jval_member *m = jval_get_member(v, "a");
    source_line_col(m->key_loc.src, m->key_loc.start, &line, &col);
    CU_ASSERT_EQUAL(line, 2);
    CU_ASSERT_EQUAL(col, 3);
    tu_release(&t);
}

/* Columns count characters, not bytes. */
static void test_columns_count_code_points(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_parse(&t, "{`é€😀`: 1 2}"));
    unsigned line, col;
    tu_where(&t, DC_SYNTAX, &line, &col);
    CU_ASSERT_EQUAL(line, 1);
    CU_ASSERT_EQUAL(col, 11);
    tu_release(&t);
}

static void test_comments_and_multiline_strings(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_parse(&t, "// lead\n{ /* a */ `a`: `line1\nline2`, // tail\n `b`: 2 /* "
                                  "end */ }");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_STRING_EQUAL(jval_get_str(v, "a"), "line1\nline2");
    CU_ASSERT_EQUAL(jval_get(v, "b")->u.i, 2);
    tu_release(&t);
}

static void test_escapes(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v =
        tu_parse(&t, "[`\\`\\\\\\/\\b\\f\\n\\r\\t`, `\\u00e9\\ud83d\\ude00`, `\\ud800x`]");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_STRING_EQUAL(v->u.a.v[0]->u.s.ptr, "\"\\/\b\f\n\r\t");
    CU_ASSERT_STRING_EQUAL(v->u.a.v[1]->u.s.ptr, "é😀");
    CU_ASSERT_STRING_EQUAL(v->u.a.v[2]->u.s.ptr, "\xef\xbf\xbdx"); /* lone surrogate: U+FFFD */
    CU_ASSERT_TRUE(v->u.a.v[0]->flags & JV_F_ESCAPED);
    tu_release(&t);
}

/* Offsets inside an escaped string map back to the file. */
static void test_string_subloc(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_parse(&t, "[`a\\tbXc`]");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    const struct jval *s = v->u.a.v[0];
    struct loc l = jval_string_subloc(s, 3, 4); /* the X: decoded index 3 */
    CU_ASSERT_EQUAL(l.src->text[l.start], 'X');
    CU_ASSERT_EQUAL(l.end - l.start, 1);
    tu_release(&t);
}

static void test_duplicate_keys_last_wins(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_parse(&t, "{`a`: 1, `b`: 2, `a`: 3, `A`: 4}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(v->u.o.n, 2);
    CU_ASSERT_EQUAL(jval_get(v, "a")->u.i, 4);
    CU_ASSERT_EQUAL(tu_count(&t, DC_DUPLICATE_KEY), 2);
    CU_ASSERT_TRUE(tu_has(&t, DC_DUPLICATE_KEY, "different case"));
    CU_ASSERT_EQUAL(t.diag.nerrors, 0);
    tu_release(&t);
}

static void test_trailing_comma_warns(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NOT_NULL(tu_parse(&t, "{`a`: [1, 2,],}"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_TRAILING_COMMA), 2);
    CU_ASSERT_EQUAL(t.diag.nerrors, 0);
    tu_release(&t);
}

/* Recovery: independent mistakes are all reported in one run. */
static void test_recovery_reports_every_error(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_parse(&t, "{\n `a`: 01,\n b: 2,\n `c` 3,\n `d`: `x\\q`,\n `e`: 'y'\n}"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_BAD_NUMBER), 1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_BAD_ESCAPE), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_SYNTAX, "unexpected word 'b'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SYNTAX, "expecting ':'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SYNTAX, "double quotes, not single"));
    CU_ASSERT_EQUAL(t.diag.nerrors, 5);
    tu_release(&t);
}

static void test_syntax_error_location(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_parse(&t, "{\n  `a`: 1\n  `b`: 2\n}"));
    unsigned line, col;
    tu_where(&t, DC_SYNTAX, &line, &col);
    CU_ASSERT_EQUAL(line, 3);
    CU_ASSERT_EQUAL(col, 3);
    CU_ASSERT_TRUE(tu_has(&t, DC_SYNTAX, "unexpected string, expecting '}' or ','"));
    tu_release(&t);
}

static void test_unterminated(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_parse(&t, "{`a`: `abc}"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_UNTERMINATED_STRING), 1);
    CU_ASSERT_EQUAL(t.diag.nerrors, 1); /* no cascade */
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_parse(&t, "{`a`: 1} /* never closed"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_UNTERMINATED_COMMENT), 1);
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_parse(&t, "{`a`: [1, 2"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SYNTAX, "unexpected end of file"));
    tu_release(&t);
}

static void test_empty_and_extra(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_parse(&t, "  \n "));
    CU_ASSERT_EQUAL(tu_count(&t, DC_EMPTY_INPUT), 1);
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_parse(&t, "{} {}"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SYNTAX, "expecting end of file"));
    tu_release(&t);
}

static void test_numbers(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = tu_parse(&t, "[9223372036854775807, -9223372036854775808, 0, -0.5, 1E3]");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(v->u.a.v[0]->u.i, INT64_MAX);
    CU_ASSERT_EQUAL(v->u.a.v[1]->u.i, INT64_MIN);
    CU_ASSERT_EQUAL(v->u.a.v[4]->kind, JV_REAL);
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_parse(&t, "[9223372036854775808, 1.e5, .5, +1, 0x10]"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_NUMBER_RANGE), 1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_BAD_NUMBER), 4);
    CU_ASSERT_EQUAL(tu_count(&t, DC_BAD_CHAR), 0);
    tu_release(&t);
}

static void test_invalid_utf8_and_bom(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(tu_parse(&t, "{`a`: `\xff`}"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_BAD_UTF8), 1);
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NOT_NULL(tu_parse(&t, "\xEF\xBB\xBF{`a`: 1}"));
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

/* Deep nesting is a clear error, not a stack overflow. */
static void test_depth_limit(void)
{
    struct tu t;
    tu_init(&t);
    size_t n = APIM_MAX_JSON_DEPTH + 10;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    CU_ASSERT_PTR_NULL(tu_parse(&t, deep));
    CU_ASSERT_EQUAL(tu_count(&t, DC_TOO_DEEP), 1);
    CU_ASSERT_EQUAL(t.diag.nerrors, 1);
    free(deep);
    tu_release(&t);
    tu_init(&t);
    n = APIM_MAX_JSON_DEPTH;
    deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    CU_ASSERT_PTR_NOT_NULL(tu_parse(&t, deep));
    free(deep);
    tu_release(&t);
}

static void test_error_cap(void)
{
    struct tu t;
    tu_init(&t);
    struct buf b;
    buf_init(&b, 1 << 20);
    CU_ASSERT_EQUAL(buf_puts(&b, "["), 0);
    for (int i = 0; i < 200; i++)
        CU_ASSERT_EQUAL(buf_puts(&b, "01,"), 0);
    CU_ASSERT_EQUAL(buf_puts(&b, "1]"), 0);
    CU_ASSERT_PTR_NULL(tu_parse(&t, b.data));
    CU_ASSERT_EQUAL(tu_count(&t, DC_TOO_MANY_ERRORS), 1);
    CU_ASSERT_EQUAL(t.diag.nerrors, APIM_MAX_ERRORS_PER_FILE + 1);
    buf_release(&b);
    tu_release(&t);
}

static void test_equal_and_write(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *a = tu_parse(&t, "{`x`: [1, `A`], `y`: {`z`: null}}");
    struct jval *b = tu_parse(&t, "{`y`: {`z`: null}, `x`: [1, `a`]}");
    CU_ASSERT_FALSE(jval_equal(a, b, false));
    CU_ASSERT_TRUE(jval_equal(a, b, true));
    CU_ASSERT_STRING_EQUAL(tu_json(&t, tu_parse(&t, "[`a\\u0001\\n\\\"`]")),
                           "[\"a\\u0001\\n\\\"\"]");
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "scalars and structure", test_scalars_and_structure },
    { "keys are case-insensitive", test_keys_are_case_insensitive },
    { "locations", test_locations },
    { "columns count code points", test_columns_count_code_points },
    { "comments and multi-line strings", test_comments_and_multiline_strings },
    { "escapes", test_escapes },
    { "string sub-locations", test_string_subloc },
    { "duplicate keys: last wins", test_duplicate_keys_last_wins },
    { "trailing comma warns", test_trailing_comma_warns },
    { "recovery reports every error", test_recovery_reports_every_error },
    { "syntax error location", test_syntax_error_location },
    { "unterminated string and comment", test_unterminated },
    { "empty input and trailing value", test_empty_and_extra },
    { "numbers", test_numbers },
    { "invalid UTF-8 and BOM", test_invalid_utf8_and_bom },
    { "depth limit", test_depth_limit },
    { "error cap", test_error_cap },
    { "equality and writing", test_equal_and_write },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "jval", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
