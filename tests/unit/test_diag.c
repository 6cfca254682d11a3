/* Unit tests for compiler/diag.c: sources and their line tables, collected
 * diagnostics (counts, levels, notes, formatting) and the code table. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "diag.h"

struct run {
    struct arena arena;
    struct diag diag;
};

static void run_init(struct run *r)
{
    arena_init(&r->arena, 0);
    diag_init(&r->diag, &r->arena);
}

static void run_release(struct run *r)
{
    diag_release(&r->diag);
    arena_release(&r->arena);
}

static struct source *src(struct run *r, const char *text)
{
    return source_new(&r->diag, "s.json", text, (uint32_t)strlen(text));
}

/* "line:col" of offset off. */
static const char *at(const struct source *s, uint32_t off)
{
    static char out[32];
    unsigned line, col;
    source_line_col(s, off, &line, &col);
    snprintf(out, sizeof(out), "%u:%u", line, col);
    return out;
}

/* ---- sources ---- */

static void test_line_table(void)
{
    struct run r;
    run_init(&r);
    /* a b \n | c d \r \n | e f */
    struct source *s = src(&r, "ab\ncd\r\nef");
    CU_ASSERT_EQUAL_FATAL(s->nlines, 3);
    CU_ASSERT_EQUAL(s->line_start[0], 0);
    CU_ASSERT_EQUAL(s->line_start[1], 3);
    CU_ASSERT_EQUAL(s->line_start[2], 7);
    CU_ASSERT_STRING_EQUAL(at(s, 0), "1:1");
    CU_ASSERT_STRING_EQUAL(at(s, 2), "1:3"); /* the newline ends its own line */
    CU_ASSERT_STRING_EQUAL(at(s, 3), "2:1");
    CU_ASSERT_STRING_EQUAL(at(s, 5), "2:3"); /* the CR of CRLF */
    CU_ASSERT_STRING_EQUAL(at(s, 6), "2:4");
    CU_ASSERT_STRING_EQUAL(at(s, 7), "3:1");
    CU_ASSERT_STRING_EQUAL(at(s, 8), "3:2");
    CU_ASSERT_STRING_EQUAL(at(s, 9), "3:3");  /* end of a last line without newline */
    CU_ASSERT_STRING_EQUAL(at(s, 10), "3:3"); /* past the end: clamped */
    CU_ASSERT_STRING_EQUAL(at(s, UINT32_MAX), "3:3");
    run_release(&r);
}

static void test_line_table_edges(void)
{
    struct run r;
    run_init(&r);
    struct source *empty = src(&r, "");
    CU_ASSERT_EQUAL(empty->nlines, 1);
    CU_ASSERT_STRING_EQUAL(at(empty, 0), "1:1");
    CU_ASSERT_STRING_EQUAL(at(empty, 5), "1:1");
    struct source *nl = src(&r, "a\n");
    CU_ASSERT_EQUAL(nl->nlines, 2);
    CU_ASSERT_STRING_EQUAL(at(nl, 2), "2:1"); /* after the final newline */
    struct source *blank = src(&r, "\n\n\n");
    CU_ASSERT_EQUAL(blank->nlines, 4);
    CU_ASSERT_STRING_EQUAL(at(blank, 1), "2:1");
    CU_ASSERT_STRING_EQUAL(at(blank, 3), "4:1");
    /* Only the first len bytes count: the text need not be NUL-terminated. */
    struct source *part = source_new(&r.diag, "p", "ab\ncd", 2);
    CU_ASSERT_EQUAL(part->nlines, 1);
    CU_ASSERT_STRING_EQUAL(at(part, 4), "1:3");
    run_release(&r);
}

/* Columns count code points, not bytes. */
static void test_columns_in_code_points(void)
{
    struct run r;
    run_init(&r);
    /* é (2 bytes), € (3), 😀 (4), then x */
    struct source *s = src(&r, "\n\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80x");
    CU_ASSERT_STRING_EQUAL(at(s, 1), "2:1");
    CU_ASSERT_STRING_EQUAL(at(s, 3), "2:2");
    CU_ASSERT_STRING_EQUAL(at(s, 6), "2:3");
    CU_ASSERT_STRING_EQUAL(at(s, 10), "2:4");
    CU_ASSERT_STRING_EQUAL(at(s, 11), "2:5");
    run_release(&r);
}

static void test_source_new(void)
{
    struct run r;
    run_init(&r);
    char name[] = "first.json";
    struct source *a = source_new(&r.diag, name, "x", 1);
    struct source *b = source_new(&r.diag, "second.json", "y", 1);
    name[0] = 'X';
    CU_ASSERT_STRING_EQUAL(a->name, "first.json"); /* the name is copied */
    CU_ASSERT_EQUAL(a->index, 0);
    CU_ASSERT_EQUAL(b->index, 1);
    CU_ASSERT_EQUAL(r.diag.next_source_index, 2);
    struct source own;
    source_init(&own, &r.arena, "own", "1\n2", 3);
    CU_ASSERT_EQUAL(own.nlines, 2);
    CU_ASSERT_EQUAL(own.index, 0);
    CU_ASSERT_STRING_EQUAL(at(&own, 2), "2:1");
    run_release(&r);
}

/* ---- diagnostics ---- */

static void test_counts_by_level(void)
{
    struct run r;
    run_init(&r);
    struct source *s = src(&r, "{}");
    struct loc l = { s, 0, 1 };
    diag_emit(&r.diag, DC_SYNTAX, l, "e1");
    diag_emit(&r.diag, DC_DUPLICATE_KEY, l, "w1");
    diag_emit(&r.diag, DC_NOT_EMULATED, l, "n1");
    diag_emit_level(&r.diag, DIAG_WARNING, DC_SYNTAX, l, "w2");
    diag_emit_level(&r.diag, DIAG_ERROR, DC_TRAILING_COMMA, l, "e2");
    diag_emit_level(&r.diag, DIAG_NOTE, DC_MISSING_PARAMETER, LOC_NONE, "n2");
    CU_ASSERT_EQUAL(r.diag.n, 6);
    CU_ASSERT_EQUAL(r.diag.nerrors, 2);
    CU_ASSERT_EQUAL(r.diag.nwarnings, 2);
    CU_ASSERT_EQUAL(r.diag.nnotes, 2);
    CU_ASSERT_EQUAL(r.diag.v[0]->level, DIAG_ERROR);
    CU_ASSERT_EQUAL(r.diag.v[1]->level, DIAG_WARNING);
    CU_ASSERT_EQUAL(r.diag.v[2]->level, DIAG_NOTE);
    CU_ASSERT_EQUAL(r.diag.v[3]->level, DIAG_WARNING);
    CU_ASSERT_EQUAL(r.diag.v[3]->code, DC_SYNTAX);
    CU_ASSERT_EQUAL(r.diag.v[5]->level, DIAG_NOTE);
    CU_ASSERT_PTR_NULL(r.diag.v[5]->loc.src);
    for (size_t i = 0; i < r.diag.n; i++)
        CU_ASSERT_EQUAL(r.diag.v[i]->seq, i);
    run_release(&r);
}

/* The vector grows past its first allocation without losing entries. */
static void test_many_entries(void)
{
    struct run r;
    run_init(&r);
    for (int i = 0; i < 1000; i++)
        diag_emit(&r.diag, DC_SYNTAX, LOC_NONE, "error %d", i);
    CU_ASSERT_EQUAL_FATAL(r.diag.n, 1000);
    CU_ASSERT_EQUAL(r.diag.nerrors, 1000);
    CU_ASSERT_STRING_EQUAL(r.diag.v[0]->msg, "error 0");
    CU_ASSERT_STRING_EQUAL(r.diag.v[999]->msg, "error 999");
    diag_release(&r.diag);
    CU_ASSERT_PTR_NULL(r.diag.v);
    CU_ASSERT_EQUAL(r.diag.n, 0);
    arena_release(&r.arena);
}

static void test_notes_in_order(void)
{
    struct run r;
    run_init(&r);
    struct source *s = src(&r, "abc");
    struct diag_entry *e = diag_emit(&r.diag, DC_DUPLICATE_KEY, (struct loc){ s, 2, 3 }, "dup");
    diag_note(&r.diag, e, (struct loc){ s, 0, 1 }, "first %s", "note");
    diag_note(&r.diag, e, (struct loc){ s, 1, 2 }, "second");
    diag_note(&r.diag, e, LOC_NONE, "third");
    diag_note(&r.diag, NULL, LOC_NONE, "ignored"); /* no parent: a no-op */
    CU_ASSERT_EQUAL(r.diag.n, 1);                  /* notes are not entries */
    CU_ASSERT_EQUAL(r.diag.nnotes, 0);
    const struct diag_entry *n = e->notes;
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    CU_ASSERT_STRING_EQUAL(n->msg, "first note");
    CU_ASSERT_EQUAL(n->level, DIAG_NOTE);
    CU_ASSERT_EQUAL(n->code, DC_DUPLICATE_KEY); /* a note belongs to its parent's code */
    CU_ASSERT_EQUAL(n->loc.start, 0);
    n = n->next;
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    CU_ASSERT_STRING_EQUAL(n->msg, "second");
    n = n->next;
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    CU_ASSERT_STRING_EQUAL(n->msg, "third");
    CU_ASSERT_PTR_NULL(n->next);
    run_release(&r);
}

static void test_message_formatting(void)
{
    struct run r;
    run_init(&r);
    struct diag_entry *e =
        diag_emit(&r.diag, DC_PARAM_TYPE, LOC_NONE, "parameter '%.*s' is %d%%", 3, "abcdef", 50);
    CU_ASSERT_STRING_EQUAL(e->msg, "parameter 'abc' is 50%");
    CU_ASSERT_EQUAL(e->code, DC_PARAM_TYPE);
    CU_ASSERT_PTR_EQUAL(r.diag.v[0], e);
    const char *empty = "";
    e = diag_emit(&r.diag, DC_SYNTAX, LOC_NONE, "%s", empty);
    CU_ASSERT_STRING_EQUAL(e->msg, "");
    char big[3000];
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    e = diag_emit(&r.diag, DC_SYNTAX, LOC_NONE, "<%s>", big);
    CU_ASSERT_EQUAL(strlen(e->msg), sizeof(big) + 1);
    CU_ASSERT_EQUAL(e->msg[sizeof(big)], '>');
    run_release(&r);
}

/* diag_render_entry renders one entry and its notes, nothing else. */
static void test_render_entry(void)
{
    struct run r;
    run_init(&r);
    struct source *s = src(&r, "[1]");
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ s, 0, 1 }, "other");
    struct diag_entry *e = diag_emit(&r.diag, DC_BAD_NUMBER, (struct loc){ s, 1, 2 }, "bad");
    diag_note(&r.diag, e, LOC_NONE, "why");
    struct buf b;
    buf_init(&b, 4096);
    CU_ASSERT_EQUAL(diag_render_entry(e, &b), 0);
    CU_ASSERT_STRING_EQUAL(b.data, "s.json:1:2: error[APIM1006]: bad\n"
                                   "    1 | [1]\n"
                                   "      |  ^\n"
                                   "apim: note: why\n");
    buf_release(&b);
    run_release(&r);
}

/* A line longer than 160 bytes is quoted as a 120-byte window starting 40
 * bytes before the column, "..." where it is cut, the caret still under
 * the column; a window never splits a UTF-8 sequence. */
static void test_render_long_line(void)
{
    struct run r;
    run_init(&r);
    char text[1001];
    for (size_t i = 0; i < 1000; i++)
        text[i] = (char)('a' + i % 26);
    text[1000] = '\0';
    memcpy(text + 500, "XYZ", 3);
    memcpy(text + 459, "\xc3\xa9", 2); /* the window would start inside it */
    struct source *s = src(&r, text);
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ s, 500, 503 }, "here");
    struct buf b;
    buf_init(&b, 8192);
    CU_ASSERT_EQUAL(diag_render_text(&r.diag, &b), 0);
    char want[512];
    snprintf(want, sizeof(want),
             "s.json:1:500: error[APIM1001]: here\n    1 | ...%.*s...\n"
             "      |    %40s^~~\n",
             120, text + 459, "");
    CU_ASSERT_STRING_EQUAL(b.data, want);
    buf_reset(&b);
    /* Near the end of the line: the last 120 bytes, no "..." after them. */
    struct source *t = src(&r, text);
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ t, 990, 991 }, "end");
    CU_ASSERT_EQUAL(diag_render_entry(r.diag.v[1], &b), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "    1 | ..."));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, text + 880));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "\n      |    "
                                          "                                        "
                                          "                                        "
                                          "                              ^\n"));
    buf_release(&b);
    run_release(&r);
}

/* Inside a copy loop, the same mistake at the same place is recorded once,
 * with the indexes it was found at; other places and codes stay apart, and
 * a nested loop counts as the outer one. */
static void test_copy_loop_merge(void)
{
    struct run r;
    run_init(&r);
    struct source *s = src(&r, "[\"abcdefgh\"]");
    diag_copy_begin(&r.diag, "apis");
    for (long i = 0; i < 6; i++) {
        diag_copy_index(&r.diag, "apis", i);
        if (i != 3)
            diag_emit(&r.diag, DC_SYNTAX, (struct loc){ s, 1, 3 }, "bad 'n%ld'", i);
        if (i == 2) {
            diag_copy_begin(&r.diag, "inner");
            diag_copy_index(&r.diag, "inner", 7);
            diag_emit(&r.diag, DC_SYNTAX, (struct loc){ s, 1, 3 }, "bad 'inner'");
            diag_copy_end(&r.diag);
        }
        diag_emit(&r.diag, DC_BAD_NUMBER, (struct loc){ s, 1, 3 }, "once");
    }
    diag_copy_end(&r.diag);
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ s, 1, 3 }, "after the loop");
    CU_ASSERT_EQUAL_FATAL(r.diag.n, 3);
    CU_ASSERT_STRING_EQUAL(r.diag.v[0]->msg, "bad 'n0' (copy 'apis', indexes 0-2, 4, 5)");
    CU_ASSERT_STRING_EQUAL(r.diag.v[1]->msg, "once (copy 'apis', indexes 0-5)");
    CU_ASSERT_STRING_EQUAL(r.diag.v[2]->msg, "after the loop");
    CU_ASSERT_EQUAL(r.diag.nerrors, 3);
    run_release(&r);
}

/* After evaluation (diag_copy_at): findings about copies merge across
 * calls by (loop, code, level, place) until diag_copy_flush; two findings
 * of one copy at one place stay apart; another loop at the same place, and
 * nothing copied, stay apart; indexes checked out of order are sorted. */
static void test_copy_at_merge(void)
{
    struct run r;
    run_init(&r);
    struct source *s = src(&r, "[\"abcdefgh\"]");
    struct loc at = { s, 1, 3 };
    for (long i = 3; i >= 0; i--) { /* a list kept in reverse */
        diag_copy_at(&r.diag, (struct diag_copy){ "apis", i });
        diag_emit(&r.diag, DC_SYNTAX, at, "API 'api-%ld' has no 'path'", i);
        if (i != 1)
            diag_emit(&r.diag, DC_SYNTAX, at, "API 'api-%ld' has no 'displayName'", i);
        diag_copy_at(&r.diag, (struct diag_copy){ "ops", i });
        diag_emit(&r.diag, DC_SYNTAX, at, "operation 'op-%ld'", i);
        diag_copy_at(&r.diag, DIAG_COPY_NONE);
        diag_emit(&r.diag, DC_SYNTAX, at, "not copied %ld", i);
    }
    diag_copy_at(&r.diag, (struct diag_copy){ "apis", 9 });
    diag_emit(&r.diag, DC_BAD_NUMBER, at, "alone");
    diag_copy_flush(&r.diag);
    diag_emit(&r.diag, DC_SYNTAX, at, "after the flush");
    CU_ASSERT_EQUAL_FATAL(r.diag.n, 9);
    CU_ASSERT_STRING_EQUAL(r.diag.v[0]->msg,
                           "API 'api-3' has no 'path' (copy 'apis', indexes 0-3)");
    CU_ASSERT_STRING_EQUAL(r.diag.v[1]->msg,
                           "API 'api-3' has no 'displayName' (copy 'apis', indexes 0, 2, 3)");
    CU_ASSERT_STRING_EQUAL(r.diag.v[2]->msg, "operation 'op-3' (copy 'ops', indexes 0-3)");
    CU_ASSERT_STRING_EQUAL(r.diag.v[3]->msg, "not copied 3");
    CU_ASSERT_STRING_EQUAL(r.diag.v[6]->msg, "not copied 0");
    CU_ASSERT_STRING_EQUAL(r.diag.v[7]->msg, "alone");
    CU_ASSERT_STRING_EQUAL(r.diag.v[8]->msg, "after the flush");
    CU_ASSERT_EQUAL(r.diag.nerrors, 9);
    run_release(&r);
}

/* A resource made inside a loop records the copy being evaluated; outside
 * loops, and after diag_copy_end, nothing. */
static void test_copy_current(void)
{
    struct run r;
    run_init(&r);
    CU_ASSERT_PTR_NULL(diag_copy_current(&r.diag).loop);
    diag_copy_begin(&r.diag, "apis");
    diag_copy_index(&r.diag, "apis", 4);
    diag_copy_begin(&r.diag, "inner");
    diag_copy_index(&r.diag, "inner", 2);
    diag_copy_at(&r.diag, (struct diag_copy){ "other", 7 }); /* ignored inside a loop */
    struct diag_copy c = diag_copy_current(&r.diag);
    CU_ASSERT_STRING_EQUAL(c.loop, "apis");
    CU_ASSERT_EQUAL(c.index, 4);
    diag_copy_end(&r.diag);
    diag_copy_end(&r.diag);
    CU_ASSERT_PTR_NULL(diag_copy_current(&r.diag).loop);
    run_release(&r);
}

/* ---- the code table ---- */

static void test_codes(void)
{
    CU_ASSERT_STRING_EQUAL(diag_code_str(DC_IO), "APIM1000");
    CU_ASSERT_STRING_EQUAL(diag_code_slug(DC_IO), "cannot-read-file");
    CU_ASSERT_EQUAL(diag_code_level(DC_IO), DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(diag_code_str(DC_MISSING_PARAMETER), "APIM3002");
    CU_ASSERT_STRING_EQUAL(diag_code_slug(DC_MISSING_PARAMETER), "missing-parameter");
    CU_ASSERT_STRING_EQUAL(diag_code_str(DC_DUPLICATE_KEY), "APIM1011");
    CU_ASSERT_EQUAL(diag_code_level(DC_DUPLICATE_KEY), DIAG_WARNING);
    CU_ASSERT_STRING_EQUAL(diag_code_str(DC_NOT_EMULATED), "APIM4002");
    CU_ASSERT_EQUAL(diag_code_level(DC_NOT_EMULATED), DIAG_NOTE);
    CU_ASSERT_STRING_EQUAL(diag_code_str(DC_SUBSCRIPTION_KEY), "APIM5024");
    CU_ASSERT_STRING_EQUAL(diag_code_slug(DC_SUBSCRIPTION_KEY), "invalid-subscription-key");
    CU_ASSERT_STRING_EQUAL(diag_level_str(DIAG_ERROR), "error");
    CU_ASSERT_STRING_EQUAL(diag_level_str(DIAG_WARNING), "warning");
    CU_ASSERT_STRING_EQUAL(diag_level_str(DIAG_NOTE), "note");
}

static bool code_shape_ok(const char *s)
{
    if (s == NULL || strlen(s) != 8 || strncmp(s, "APIM", 4) != 0)
        return false;
    for (size_t i = 4; i < 8; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool slug_shape_ok(const char *s)
{
    if (s == NULL || s[0] == '\0' || s[0] == '-')
        return false;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
            return false;
    return true;
}

/* Every code string matches ^APIM[0-9]{4}$ and is unique (users search and
 * suppress by it), and so is every slug. */
static void test_codes_unique_and_well_formed(void)
{
    unsigned bad_code = 0, bad_slug = 0, bad_level = 0, same_code = 0, same_slug = 0;
    for (int i = 0; i < DIAG_CODE_COUNT; i++) {
        enum diag_code a = (enum diag_code)i;
        const char *code = diag_code_str(a), *slug = diag_code_slug(a);
        enum diag_level level = diag_code_level(a);
        bad_code += !code_shape_ok(code);
        bad_slug += !slug_shape_ok(slug);
        bad_level += level != DIAG_ERROR && level != DIAG_WARNING && level != DIAG_NOTE;
        for (int k = i + 1; k < DIAG_CODE_COUNT; k++) {
            same_code += strcmp(code, diag_code_str((enum diag_code)k)) == 0;
            same_slug += strcmp(slug, diag_code_slug((enum diag_code)k)) == 0;
        }
    }
    CU_ASSERT_TRUE(DIAG_CODE_COUNT > 50);
    CU_ASSERT_EQUAL(bad_code, 0);
    CU_ASSERT_EQUAL(bad_slug, 0);
    CU_ASSERT_EQUAL(bad_level, 0);
    CU_ASSERT_EQUAL(same_code, 0);
    CU_ASSERT_EQUAL(same_slug, 0);
    /* The checks themselves reject what they should. */
    CU_ASSERT_FALSE(code_shape_ok("APIM123"));
    CU_ASSERT_FALSE(code_shape_ok("APIM12345"));
    CU_ASSERT_FALSE(code_shape_ok("apim1234"));
    CU_ASSERT_FALSE(code_shape_ok("APIM12a4"));
    CU_ASSERT_FALSE(slug_shape_ok("Bad_Slug"));
}

static CU_TestInfo tests[] = {
    { "line table", test_line_table },
    { "line table edges", test_line_table_edges },
    { "columns in code points", test_columns_in_code_points },
    { "source_new", test_source_new },
    { "counts by level", test_counts_by_level },
    { "many entries", test_many_entries },
    { "notes in order", test_notes_in_order },
    { "message formatting", test_message_formatting },
    { "render one entry", test_render_entry },
    { "render a long line", test_render_long_line },
    { "copy loops: one entry, its indexes", test_copy_loop_merge },
    { "copies checked after evaluation", test_copy_at_merge },
    { "the copy being evaluated", test_copy_current },
    { "codes", test_codes },
    { "codes unique and well-formed", test_codes_unique_and_well_formed },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "diag", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
