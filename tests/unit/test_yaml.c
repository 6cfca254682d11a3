/* Unit tests for the YAML reader (yaml.c): core-schema typing, locations,
 * anchors, aliases and merge keys, duplicate keys, libfyaml's syntax errors,
 * and embedded sources (text written inside another file's string). */
#include <string.h>

#include "cunit_run.h"
#include "testutil.h"
#include "yaml.h"

static struct jval *parse(struct tu *t, const char *text)
{
    struct source *src = source_new(&t->diag, "spec.yaml", text, (uint32_t)strlen(text));
    return yaml_parse(&t->arena, &t->diag, src);
}

static void where(const struct loc at, unsigned *line, unsigned *col)
{
    source_line_col(at.src, at.start, line, col);
}

static void test_core_schema(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = parse(&t, "s: text\n"
                               "q: '42'\n"
                               "i: -42\n"
                               "h: 0x1F\n"
                               "r: 1.5\n"
                               "b: true\n"
                               "n: ~\n"
                               "e:\n"
                               "v: 1.0.0\n"
                               "tagged: !!str 7\n"
                               "big: 123456789012345678901234567890\n"
                               "block: |\n  line one\n  line two\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(jval_get(v, "s")->kind, JV_STRING);
    CU_ASSERT_EQUAL(jval_get(v, "q")->kind, JV_STRING);
    CU_ASSERT_EQUAL(jval_get(v, "i")->u.i, -42);
    CU_ASSERT_EQUAL(jval_get(v, "h")->u.i, 31);
    CU_ASSERT_EQUAL(jval_get(v, "r")->kind, JV_REAL);
    CU_ASSERT_TRUE(jval_get(v, "b")->u.b);
    CU_ASSERT_EQUAL(jval_get(v, "n")->kind, JV_NULL);
    CU_ASSERT_EQUAL(jval_get(v, "e")->kind, JV_NULL);
    CU_ASSERT_STRING_EQUAL(jval_get_str(v, "v"), "1.0.0");
    CU_ASSERT_STRING_EQUAL(jval_get_str(v, "tagged"), "7");
    CU_ASSERT_EQUAL(jval_get(v, "big")->kind, JV_REAL);
    CU_ASSERT_STRING_EQUAL(jval_get_str(v, "block"), "line one\nline two\n");
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

static void test_locations(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = parse(&t, "openapi: 3.0.1\n"
                               "paths:\n"
                               "  /pets:\n"
                               "    get:\n"
                               "      operationId: listPets\n"
                               "      tags: [a, \"b\"]\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    const struct jval *get = jval_get(jval_get(jval_get(v, "paths"), "/pets"), "get");
    CU_ASSERT_PTR_NOT_NULL_FATAL(get);
    unsigned line, col;
    where(get->loc, &line, &col);
    CU_ASSERT_EQUAL(line, 5);
    CU_ASSERT_EQUAL(col, 7);
    struct jval_member *m = jval_get_member(get, "operationId");
    where(m->key_loc, &line, &col);
    CU_ASSERT_EQUAL(line, 5);
    CU_ASSERT_EQUAL(col, 7);
    where(m->value->loc, &line, &col);
    CU_ASSERT_EQUAL(col, 20);
    CU_ASSERT_EQUAL(m->value->loc.end - m->value->loc.start, 8);
    /* A one-line scalar is its source bytes: positions inside it are exact. */
    struct loc pets = jval_string_subloc(m->value, 4, 8);
    where(pets, &line, &col);
    CU_ASSERT_EQUAL(col, 24);
    CU_ASSERT_EQUAL(pets.end - pets.start, 4);
    const struct jval *b = jval_get(get, "tags")->u.a.v[1];
    where(b->loc, &line, &col);
    CU_ASSERT_EQUAL(line, 6);
    CU_ASSERT_EQUAL(col, 18); /* libfyaml's quoted scalars start inside the quotes */
    tu_release(&t);
}

static void test_anchors_aliases_merges(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *v = parse(&t, "base: &b {x: 1, y: 2}\n"
                               "copy: *b\n"
                               "merged:\n"
                               "  <<: *b\n"
                               "  y: 3\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_PTR_EQUAL(jval_get(v, "copy"), jval_get(v, "base"));
    const struct jval *m = jval_get(v, "merged");
    CU_ASSERT_EQUAL(m->u.o.n, 2);
    CU_ASSERT_EQUAL(jval_get(m, "x")->u.i, 1);
    CU_ASSERT_EQUAL(jval_get(m, "y")->u.i, 3);
    /* An alias to nothing defined before it is an error. */
    CU_ASSERT_PTR_NULL(parse(&t, "a: *nowhere\n"));
    CU_ASSERT_TRUE(tu_has(&t, DC_YAML_SYNTAX, "'*nowhere' refers to no anchor"));
    tu_release(&t);
}

/* A quadratic "billion laughs" document shares its subtrees. */
static void test_alias_bomb_is_cheap(void)
{
    struct tu t;
    tu_init(&t);
    char text[4096] = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    size_t used = strlen(text);
    for (int i = 1; i < 30; i++)
        used += (size_t)snprintf(text + used, sizeof(text) - used,
                                 "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i - 1,
                                 i - 1, i - 1, i - 1, i - 1, i - 1);
    struct jval *v = parse(&t, text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(v->u.o.n, 30);
    CU_ASSERT_TRUE(t.arena.total < (64u << 20));
    tu_release(&t);
}

static void test_duplicate_and_complex_keys(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(parse(&t, "a: 1\nb: 2\na: 3\n"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_DUPLICATE_KEY), 1);
    unsigned line, col;
    tu_where(&t, DC_DUPLICATE_KEY, &line, &col);
    CU_ASSERT_EQUAL(line, 3);
    CU_ASSERT_EQUAL(t.diag.nerrors, 1);
    /* Keys differing in case are different keys. */
    CU_ASSERT_PTR_NOT_NULL(parse(&t, "/Pets: 1\n/pets: 2\n"));
    CU_ASSERT_PTR_NULL(parse(&t, "? [a, b]\n: c\n"));
    CU_ASSERT_TRUE(tu_has(&t, DC_YAML_SYNTAX, "mapping key must be a scalar"));
    tu_release(&t);
}

static void test_syntax_errors(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(parse(&t, "a: 1\nb: [1, 2\nc: 3\n"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_YAML_SYNTAX), 1);
    unsigned line = 0, col = 0;
    tu_where(&t, DC_YAML_SYNTAX, &line, &col);
    CU_ASSERT_TRUE(line >= 2);
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NULL(parse(&t, "a: 1\n  b: 2\n"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_YAML_SYNTAX), 1);
    tu_where(&t, DC_YAML_SYNTAX, &line, &col);
    CU_ASSERT_EQUAL(line, 1); /* "1 b" would be a multi-line plain key */
    CU_ASSERT_EQUAL(col, 4);
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_PTR_NULL(parse(&t, "a: 1\n---\nb: 2\n"));
    CU_ASSERT_TRUE(tu_has(&t, DC_YAML_SYNTAX, "second YAML document"));
    CU_ASSERT_PTR_NULL(parse(&t, "# only a comment\n"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_EMPTY_INPUT), 1);
    tu_release(&t);
}

/* Found by fuzz_apiops_config: libfyaml 0.7.12 never returned on this
 * text; invalid UTF-8 is now an error before libfyaml sees it. */
static void test_invalid_utf8(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(parse(&t, "a: 1\n%  x\x8e\n"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_BAD_UTF8), 1);
    unsigned line = 0, col = 0;
    tu_where(&t, DC_BAD_UTF8, &line, &col);
    CU_ASSERT_EQUAL(line, 2);
    CU_ASSERT_EQUAL(col, 5);
    CU_ASSERT_PTR_NULL(parse(&t, "name: \xc3\x28\n")); /* a broken two-byte sequence */
    CU_ASSERT_EQUAL(tu_count(&t, DC_BAD_UTF8), 2);
    CU_ASSERT_PTR_NOT_NULL(parse(&t, "\xEF\xBB\xBFname: caf\xc3\xa9\n")); /* BOM, é */
    tu_release(&t);
}

/* Found by fuzz_openapi: past the depth limit, the ends of the refused
 * collections were paired with their parents' frames (a sequence sorted as
 * a mapping). The document is refused, with one located error. */
static void test_depth_limit(void)
{
    struct tu t;
    tu_init(&t);
    char text[2048];
    size_t n = 0;
    n += (size_t)snprintf(text + n, sizeof(text) - n, "openapi: 3.0.1\ninfo:\n  a: ");
    for (int i = 0; i < 300; i++)
        text[n++] = i % 2 ? '[' : '{', text[n++] = i % 2 ? ' ' : 'k', text[n++] = i % 2 ? ' ' : ':';
    n += (size_t)snprintf(text + n, sizeof(text) - n, " x\nmore: {b: 1, b: 2}\n");
    CU_ASSERT_PTR_NULL(parse(&t, text));
    CU_ASSERT_EQUAL(tu_count(&t, DC_TOO_DEEP), 1);
    unsigned line = 0, col = 0;
    tu_where(&t, DC_TOO_DEEP, &line, &col);
    CU_ASSERT_EQUAL(line, 3);
    tu_release(&t);
}

static void test_json_is_yaml_too(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_FALSE(yaml_text_is_yaml("  {\"a\": 1}", 10));
    CU_ASSERT_FALSE(yaml_text_is_yaml("\xEF\xBB\xBF[1]", 6));
    CU_ASSERT_TRUE(yaml_text_is_yaml("openapi: 3.0.0", 14));
    struct jval *v = parse(&t, "{\"swagger\": \"2.0\", \"n\": [1, 2.5, null]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_STRING_EQUAL(tu_json(&t, v), "{\"swagger\":\"2.0\",\"n\":[1,2.5,null]}");
    tu_release(&t);
}

/* Text inside a JSON string: diagnostics land in the JSON file, at the
 * escaped character's real position. */
static void test_embedded_source(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *doc = tu_parse(&t, "{\n  `value`: `a: 1\\nb: [1,\\n`\n}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    const struct jval *s = jval_get(doc, "value");
    uint32_t *offsets = jval_string_offsets(&t.arena, s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(offsets);
    struct source *inner = source_embed(&t.diag, s->loc.src, s->u.s.ptr, (uint32_t)s->u.s.len,
                                        offsets, s->loc.start, s->loc.end);
    struct jval *v = yaml_parse(&t.arena, &t.diag, inner);
    CU_ASSERT_PTR_NULL(v);
    CU_ASSERT_EQUAL_FATAL(t.diag.n, 1);
    CU_ASSERT_PTR_EQUAL(t.diag.v[0]->loc.src, s->loc.src);
    unsigned line, col;
    where(t.diag.v[0]->loc, &line, &col);
    CU_ASSERT_EQUAL(line, 2);
    CU_ASSERT_TRUE(col > 12);
    /* Without offsets, everything maps to the given range. */
    struct source *whole = source_embed(&t.diag, s->loc.src, "x: [", 4, NULL, 4, 9);
    CU_ASSERT_PTR_NULL(yaml_parse(&t.arena, &t.diag, whole));
    CU_ASSERT_EQUAL(t.diag.v[t.diag.n - 1]->loc.start, 4);
    CU_ASSERT_EQUAL(t.diag.v[t.diag.n - 1]->loc.end, 9);
    tu_release(&t);
}

/* Invalid UTF-8 is refused before libfyaml sees it: "%\x8a" made
 * libfyaml 0.7.12 loop for ever too (found by fuzz_openapi). */
static void test_invalid_utf8_directive(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_PTR_NULL(parse(&t, "%\x8a"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_BAD_UTF8), 1);
    CU_ASSERT_PTR_NULL(parse(&t, "a: \xc3\x28\n"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_BAD_UTF8), 2);
    CU_ASSERT_PTR_NOT_NULL(parse(&t, "a: \xc3\xa9\n"));
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "core schema typing", test_core_schema },
    { "locations", test_locations },
    { "anchors, aliases and merge keys", test_anchors_aliases_merges },
    { "alias bombs share subtrees", test_alias_bomb_is_cheap },
    { "duplicate and complex keys", test_duplicate_and_complex_keys },
    { "syntax errors", test_syntax_errors },
    { "invalid UTF-8", test_invalid_utf8 },
    { "depth limit", test_depth_limit },
    { "JSON is YAML too", test_json_is_yaml_too },
    { "embedded sources", test_embedded_source },
    { "invalid UTF-8 in a directive", test_invalid_utf8_directive },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "yaml", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
