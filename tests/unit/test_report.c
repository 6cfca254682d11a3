/* Unit tests for the diagnostic renderers: JSON, SARIF 2.1.0 and GitHub
 * annotations (report.c), and the text form with its excerpt and carets
 * (diag_render_text in compiler/diag.c), plus sorting and --strict promotion.
 * Machine formats are read back with jansson and checked field by field. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "cunit_run.h"
#include "report.h"

/* A template with one error (line 5) and one warning with a note (line 7). */
static const char template_text[] =
    "{\n"
    "  \"$schema\": "
    "\"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n"
    "  \"contentVersion\": \"1.0.0.0\",\n"
    "  \"parameters\": {\n"
    "    \"n\": {\"type\": \"int\", \"defaultValue\": \"x\"}\n"
    "  },\n"
    "  \"outputz\": {},\n"
    "  \"resources\": []\n"
    "}\n";

static const char missing_path[] = "/tmp/apim-report-no-such-dir/missing.json";

/* Writes text to a new file under /tmp; the path is in path[64]. */
static void write_temp(char *path, const char *text)
{
    snprintf(path, 64, "/tmp/apim-report-XXXXXX");
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fwrite(text, 1, strlen(text), f), strlen(text));
    CU_ASSERT_EQUAL(fclose(f), 0);
}

/* A compiler run over the template above and a missing file, sorted the
 * way the CLI sorts before rendering. */
static void compile_sample(struct compiler *c, char *path)
{
    write_temp(path, template_text);
    compiler_init(c);
    CU_ASSERT_EQUAL(compiler_add_input(c, path), 0);
    CU_ASSERT_EQUAL(compiler_add_input(c, missing_path), -1);
    compiler_finish(c);
    compiler_tally(c);
    diag_sort(&c->diag);
}

/* Renders c in format f and parses the result as JSON. */
static json_t *render_parsed(const struct compiler *c, enum report_format f)
{
    struct buf b;
    buf_init(&b, 1 << 22);
    CU_ASSERT_EQUAL(report_render(c, f, &b), 0);
    json_error_t err;
    json_t *root = b.data ? json_loads(b.data, 0, &err) : NULL;
    buf_release(&b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    return root;
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "(missing)";
}

static long long jint(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

/* json_object_get along a path of keys. */
static json_t *jpath(json_t *o, const char *const *keys)
{
    for (size_t i = 0; keys[i] && o; i++)
        o = json_object_get(o, keys[i]);
    return o;
}

/* ---- JSON ---- */

static void test_json_report(void)
{
    char path[64];
    struct compiler c;
    compile_sample(&c, path);
    json_t *root = render_parsed(&c, REPORT_JSON);
    CU_ASSERT_EQUAL(jint(root, "version"), 1);

    json_t *files = json_object_get(root, "files");
    CU_ASSERT_EQUAL_FATAL(json_array_size(files), 2);
    json_t *f0 = json_array_get(files, 0), *f1 = json_array_get(files, 1);
    CU_ASSERT_STRING_EQUAL(jstr(f0, "path"), path);
    CU_ASSERT_STRING_EQUAL(jstr(f0, "kind"), "template");
    CU_ASSERT_TRUE(json_is_false(json_object_get(f0, "valid")));
    CU_ASSERT_EQUAL(jint(f0, "errors"), 1);
    CU_ASSERT_EQUAL(jint(f0, "warnings"), 1);
    CU_ASSERT_STRING_EQUAL(jstr(f1, "path"), missing_path);
    CU_ASSERT_STRING_EQUAL(jstr(f1, "kind"), "unreadable");
    CU_ASSERT_EQUAL(jint(f1, "errors"), 1);

    json_t *diags = json_object_get(root, "diagnostics");
    CU_ASSERT_EQUAL_FATAL(json_array_size(diags), 3);
    /* Sorted: the location-less one first, then by position. */
    json_t *io = json_array_get(diags, 0);
    CU_ASSERT_TRUE(json_is_null(json_object_get(io, "file")));
    CU_ASSERT_PTR_NULL(json_object_get(io, "line"));
    CU_ASSERT_STRING_EQUAL(jstr(io, "code"), "APIM1000");
    CU_ASSERT_STRING_EQUAL(jstr(io, "name"), "cannot-read-file");
    CU_ASSERT_PTR_NOT_NULL(strstr(jstr(io, "message"), missing_path));

    json_t *e = json_array_get(diags, 1);
    CU_ASSERT_STRING_EQUAL(jstr(e, "file"), path);
    CU_ASSERT_EQUAL(jint(e, "line"), 5);
    CU_ASSERT_EQUAL(jint(e, "column"), 42);
    CU_ASSERT_EQUAL(jint(e, "endLine"), 5);
    CU_ASSERT_EQUAL(jint(e, "endColumn"), 45);
    CU_ASSERT_STRING_EQUAL(jstr(e, "severity"), "error");
    CU_ASSERT_STRING_EQUAL(jstr(e, "code"), "APIM3003");
    CU_ASSERT_STRING_EQUAL(jstr(e, "name"), "parameter-type");
    CU_ASSERT_STRING_EQUAL(jstr(e, "message"), "parameter 'n' must be an int, not a string");
    CU_ASSERT_TRUE(json_is_array(json_object_get(e, "notes")));
    CU_ASSERT_EQUAL(json_array_size(json_object_get(e, "notes")), 0);

    json_t *w = json_array_get(diags, 2);
    CU_ASSERT_STRING_EQUAL(jstr(w, "severity"), "warning");
    CU_ASSERT_STRING_EQUAL(jstr(w, "code"), "APIM3011");
    CU_ASSERT_EQUAL(jint(w, "line"), 7);
    CU_ASSERT_EQUAL(jint(w, "column"), 3);
    CU_ASSERT_EQUAL(jint(w, "endColumn"), 12);
    json_t *notes = json_object_get(w, "notes");
    CU_ASSERT_EQUAL_FATAL(json_array_size(notes), 1);
    json_t *n0 = json_array_get(notes, 0);
    CU_ASSERT_STRING_EQUAL(jstr(n0, "message"), "did you mean 'outputs'?");
    CU_ASSERT_STRING_EQUAL(jstr(n0, "file"), path);
    CU_ASSERT_EQUAL(jint(n0, "line"), 7);

    json_t *sum = json_object_get(root, "summary");
    CU_ASSERT_EQUAL(jint(sum, "files"), 2);
    CU_ASSERT_EQUAL(jint(sum, "valid"), 0);
    CU_ASSERT_EQUAL(jint(sum, "invalid"), 2);
    CU_ASSERT_EQUAL(jint(sum, "errors"), 2);
    CU_ASSERT_EQUAL(jint(sum, "warnings"), 1);
    json_decref(root);
    compiler_release(&c);
    CU_ASSERT_EQUAL(remove(path), 0);
}

static void test_json_valid_file(void)
{
    char path[64];
    write_temp(path, "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/"
                     "deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", "
                     "\"resources\": []}");
    struct compiler c;
    compiler_init(&c);
    CU_ASSERT_EQUAL(compiler_add_input(&c, path), 0);
    compiler_finish(&c);
    compiler_tally(&c);
    json_t *root = render_parsed(&c, REPORT_JSON);
    json_t *f0 = json_array_get(json_object_get(root, "files"), 0);
    CU_ASSERT_TRUE(json_is_true(json_object_get(f0, "valid")));
    CU_ASSERT_EQUAL(jint(f0, "errors"), 0);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(root, "diagnostics")), 0);
    CU_ASSERT_EQUAL(jint(json_object_get(root, "summary"), "valid"), 1);
    CU_ASSERT_EQUAL(jint(json_object_get(root, "summary"), "invalid"), 0);
    json_decref(root);
    compiler_release(&c);
    CU_ASSERT_EQUAL(remove(path), 0);
}

/* ---- SARIF ---- */

static void test_sarif_log(void)
{
    char path[64];
    struct compiler c;
    compile_sample(&c, path);
    json_t *root = render_parsed(&c, REPORT_SARIF);
    CU_ASSERT_PTR_NOT_NULL(strstr(jstr(root, "$schema"), "sarif-2.1.0"));
    CU_ASSERT_STRING_EQUAL(jstr(root, "version"), "2.1.0");
    json_t *runs = json_object_get(root, "runs");
    CU_ASSERT_EQUAL_FATAL(json_array_size(runs), 1);
    json_t *run = json_array_get(runs, 0);
    CU_ASSERT_STRING_EQUAL(jstr(run, "columnKind"), "unicodeCodePoints");

    static const char *const driver_keys[] = { "tool", "driver", NULL };
    json_t *driver = jpath(run, driver_keys);
    CU_ASSERT_STRING_EQUAL(jstr(driver, "name"), "apim");
    CU_ASSERT_TRUE(json_is_string(json_object_get(driver, "version")));
    json_t *rules = json_object_get(driver, "rules");
    CU_ASSERT_EQUAL_FATAL(json_array_size(rules), DIAG_CODE_COUNT);
    for (size_t i = 0; i < DIAG_CODE_COUNT; i++) {
        json_t *r = json_array_get(rules, i);
        static const char *const level_keys[] = { "defaultConfiguration", "level", NULL };
        enum diag_code code = (enum diag_code)i;
        CU_ASSERT_STRING_EQUAL(jstr(r, "id"), diag_code_str(code));
        CU_ASSERT_STRING_EQUAL(jstr(r, "name"), diag_code_slug(code));
        CU_ASSERT_STRING_EQUAL(json_string_value(jpath(r, level_keys)),
                               diag_level_str(diag_code_level(code)));
    }

    json_t *results = json_object_get(run, "results");
    CU_ASSERT_EQUAL_FATAL(json_array_size(results), 3);
    for (size_t i = 0; i < 3; i++) {
        json_t *r = json_array_get(results, i);
        long long idx = jint(r, "ruleIndex");
        CU_ASSERT_FATAL(idx >= 0 && idx < DIAG_CODE_COUNT);
        CU_ASSERT_STRING_EQUAL(jstr(json_array_get(rules, (size_t)idx), "id"), jstr(r, "ruleId"));
    }
    json_t *io = json_array_get(results, 0);
    CU_ASSERT_STRING_EQUAL(jstr(io, "ruleId"), "APIM1000");
    CU_ASSERT_EQUAL(json_array_size(json_object_get(io, "locations")), 0);

    json_t *e = json_array_get(results, 1);
    static const char *const text_keys[] = { "message", "text", NULL };
    static const char *const uri_keys[] = { "physicalLocation", "artifactLocation", "uri", NULL };
    static const char *const region_keys[] = { "physicalLocation", "region", NULL };
    CU_ASSERT_STRING_EQUAL(jstr(e, "ruleId"), "APIM3003");
    CU_ASSERT_STRING_EQUAL(jstr(e, "level"), "error");
    CU_ASSERT_STRING_EQUAL(json_string_value(jpath(e, text_keys)),
                           "parameter 'n' must be an int, not a string");
    json_t *loc = json_array_get(json_object_get(e, "locations"), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(loc);
    CU_ASSERT_STRING_EQUAL(json_string_value(jpath(loc, uri_keys)), path);
    json_t *region = jpath(loc, region_keys);
    CU_ASSERT_EQUAL(jint(region, "startLine"), 5);
    CU_ASSERT_EQUAL(jint(region, "startColumn"), 42);
    CU_ASSERT_EQUAL(jint(region, "endLine"), 5);
    CU_ASSERT_EQUAL(jint(region, "endColumn"), 45);
    CU_ASSERT_PTR_NULL(json_object_get(e, "relatedLocations"));

    json_t *w = json_array_get(results, 2);
    CU_ASSERT_STRING_EQUAL(jstr(w, "level"), "warning");
    json_t *related = json_object_get(w, "relatedLocations");
    CU_ASSERT_EQUAL_FATAL(json_array_size(related), 1);
    json_t *rel = json_array_get(related, 0);
    CU_ASSERT_EQUAL(jint(rel, "id"), 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(jpath(rel, text_keys)), "did you mean 'outputs'?");
    CU_ASSERT_EQUAL(jint(jpath(rel, region_keys), "startLine"), 7);
    json_decref(root);
    compiler_release(&c);
    CU_ASSERT_EQUAL(remove(path), 0);
}

/* SARIF wants helpUri absolute: present with a docs URL (one '/' between
 * base and page), absent without one. */
static void test_sarif_help_uri(void)
{
    char path[64];
    struct compiler c;
    compile_sample(&c, path);
    json_t *plain = render_parsed(&c, REPORT_SARIF);
    static const char *const rules_keys[] = { "tool", "driver", "rules", NULL };
    json_t *run = json_array_get(json_object_get(plain, "runs"), 0);
    json_t *rules = jpath(run, rules_keys);
    CU_ASSERT_EQUAL_FATAL(json_array_size(rules), DIAG_CODE_COUNT);
    for (size_t i = 0; i < DIAG_CODE_COUNT; i++)
        CU_ASSERT_PTR_NULL(json_object_get(json_array_get(rules, i), "helpUri"));
    json_decref(plain);

    struct report_options opt = { "https://example.com/apimlocal/docs/" };
    struct buf b;
    buf_init(&b, 1 << 22);
    CU_ASSERT_EQUAL(report_render_with(&c, REPORT_SARIF, &opt, &b), 0);
    json_t *root = json_loads(b.data, 0, NULL);
    buf_release(&b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    rules = jpath(json_array_get(json_object_get(root, "runs"), 0), rules_keys);
    CU_ASSERT_STRING_EQUAL(jstr(json_array_get(rules, DC_PARAM_TYPE), "helpUri"),
                           "https://example.com/apimlocal/docs/validate.md#apim3003");
    json_decref(root);
    CU_ASSERT_TRUE(report_url_is_absolute("https://example.com/docs"));
    CU_ASSERT_TRUE(report_url_is_absolute("file:///srv/docs"));
    CU_ASSERT_FALSE(report_url_is_absolute("docs/"));
    CU_ASSERT_FALSE(report_url_is_absolute("https://"));
    CU_ASSERT_FALSE(report_url_is_absolute("://x"));
    compiler_release(&c);
    CU_ASSERT_EQUAL(remove(path), 0);
}

/* Columns are code points (columnKind), and a note-level result is "note". */
static void test_sarif_code_points_and_notes(void)
{
    struct compiler c;
    compiler_init(&c);
    static const char text[] = "\"\xc3\xa9\xe2\x82\xac\": x";
    struct source *src = source_new(&c.diag, "u.json", text, (uint32_t)strlen(text));
    diag_emit(&c.diag, DC_NOT_EMULATED, (struct loc){ src, 1, 6 }, "not emulated");
    json_t *root = render_parsed(&c, REPORT_SARIF);
    json_t *r = json_array_get(
        json_object_get(json_array_get(json_object_get(root, "runs"), 0), "results"), 0);
    CU_ASSERT_STRING_EQUAL(jstr(r, "level"), "note");
    static const char *const region_keys[] = { "physicalLocation", "region", NULL };
    json_t *region = jpath(json_array_get(json_object_get(r, "locations"), 0), region_keys);
    CU_ASSERT_EQUAL(jint(region, "startColumn"), 2);
    CU_ASSERT_EQUAL(jint(region, "endColumn"), 4);
    json_decref(root);
    compiler_release(&c);
}

/* SARIF's artifactLocation.uri must be a valid URI reference (SARIF 2.1.0
 * section 3.4.3, RFC 3986): a space in a file name is percent-encoded. */
static void test_sarif_uri_is_encoded(void)
{
    struct compiler c;
    compiler_init(&c);
    static const char text[] = "{}";
    struct source *src = source_new(&c.diag, "my apis/a.json", text, 2);
    diag_emit(&c.diag, DC_SYNTAX, (struct loc){ src, 0, 1 }, "bad");
    json_t *root = render_parsed(&c, REPORT_SARIF);
    json_t *r = json_array_get(
        json_object_get(json_array_get(json_object_get(root, "runs"), 0), "results"), 0);
    static const char *const uri_keys[] = { "physicalLocation", "artifactLocation", "uri", NULL };
    const char *uri =
        json_string_value(jpath(json_array_get(json_object_get(r, "locations"), 0), uri_keys));
    CU_ASSERT_PTR_NOT_NULL_FATAL(uri);
    CU_ASSERT_PTR_NULL(strchr(uri, ' '));
    CU_ASSERT_PTR_NOT_NULL(strstr(uri, "my%20apis/a.json"));
    json_decref(root);
    compiler_release(&c);
}

/* ---- GitHub annotations ---- */

static const char *render_text_of(const struct compiler *c, enum report_format f, char *out,
                                  size_t size)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    CU_ASSERT_EQUAL(report_render(c, f, &b), 0);
    snprintf(out, size, "%s", b.data ? b.data : "");
    buf_release(&b);
    return out;
}

static void test_github_annotations(void)
{
    struct compiler c;
    compiler_init(&c);
    static const char text[] = "{\n  \"a\": 1\n}\n";
    struct source *src = source_new(&c.diag, "dir,x/a:b.json", text, (uint32_t)strlen(text));
    struct diag_entry *e =
        diag_emit(&c.diag, DC_PARAM_TYPE, (struct loc){ src, 4, 7 }, "50%% done\r\nnext: a,b");
    diag_note(&c.diag, e, (struct loc){ src, 11, 12 }, "see %s", "here");
    diag_emit(&c.diag, DC_TRAILING_COMMA, (struct loc){ src, 9, 10 }, "w");
    diag_emit(&c.diag, DC_NOT_EMULATED, (struct loc){ src, 0, 1 }, "n");
    diag_emit(&c.diag, DC_IO, LOC_NONE, "cannot read 'x'");
    char out[2048];
    render_text_of(&c, REPORT_GITHUB, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "::error file=dir%2Cx/a%3Ab.json,line=2,col=3,endLine=2,"
                                "endColumn=6,title=APIM3003::50%25 done%0D%0Anext: a,b"
                                "%0Asee here (line 3)\n"
                                "::warning file=dir%2Cx/a%3Ab.json,line=2,col=8,endLine=2,"
                                "endColumn=9,title=APIM1012::w\n"
                                "::notice file=dir%2Cx/a%3Ab.json,line=1,col=1,endLine=1,"
                                "endColumn=2,title=APIM4002::n\n"
                                "::error title=APIM1000::cannot read 'x'\n");
    compiler_release(&c);
}

/* ---- formats and limits ---- */

static void test_formats(void)
{
    enum report_format f = REPORT_TEXT;
    CU_ASSERT_EQUAL(report_parse_format("json", &f), 0);
    CU_ASSERT_EQUAL(f, REPORT_JSON);
    CU_ASSERT_EQUAL(report_parse_format("sarif", &f), 0);
    CU_ASSERT_EQUAL(f, REPORT_SARIF);
    CU_ASSERT_EQUAL(report_parse_format("github", &f), 0);
    CU_ASSERT_EQUAL(f, REPORT_GITHUB);
    CU_ASSERT_EQUAL(report_parse_format("text", &f), 0);
    CU_ASSERT_EQUAL(f, REPORT_TEXT);
    CU_ASSERT_EQUAL(report_parse_format("xml", &f), -1);
    CU_ASSERT_EQUAL(f, REPORT_TEXT);
    CU_ASSERT_STRING_EQUAL(report_kind_name(COMPILE_PARAMETERS), "parameters");
    CU_ASSERT_STRING_EQUAL(report_kind_name(COMPILE_SIMPLE_API), "simple-api");
    CU_ASSERT_STRING_EQUAL(report_kind_name(COMPILE_UNKNOWN), "unknown");
}

/* REPORT_TEXT is diag_render_text. */
static void test_text_format_is_diag_text(void)
{
    struct compiler c;
    compiler_init(&c);
    static const char text[] = "[1]";
    struct source *src = source_new(&c.diag, "t.json", text, 3);
    diag_emit(&c.diag, DC_SYNTAX, (struct loc){ src, 1, 2 }, "m");
    char a[512];
    render_text_of(&c, REPORT_TEXT, a, sizeof(a));
    struct buf b;
    buf_init(&b, 4096);
    CU_ASSERT_EQUAL(diag_render_text(&c.diag, &b), 0);
    CU_ASSERT_STRING_EQUAL(a, b.data);
    buf_release(&b);
    compiler_release(&c);
}

static int render_limited(const struct compiler *c, enum report_format f)
{
    struct buf b;
    buf_init(&b, 32);
    int rc = report_render(c, f, &b);
    CU_ASSERT_EQUAL(b.len, 0); /* a failed buffer is emptied, never half-valid */
    buf_release(&b);
    return rc;
}

/* report.h: "report_render returns -1 only if the buffer limit is hit". */
static void test_buffer_limit(void)
{
    char path[64];
    struct compiler c;
    compile_sample(&c, path);
    CU_ASSERT_EQUAL(render_limited(&c, REPORT_TEXT), -1);
    CU_ASSERT_EQUAL(render_limited(&c, REPORT_JSON), -1);
    CU_ASSERT_EQUAL(render_limited(&c, REPORT_SARIF), -1);
    CU_ASSERT_EQUAL(render_limited(&c, REPORT_GITHUB), -1);
    compiler_release(&c);
    CU_ASSERT_EQUAL(remove(path), 0);
}

/* ---- text ---- */

struct text_run {
    struct arena arena;
    struct diag diag;
    struct buf out;
};

static struct source *run_init(struct text_run *r, const char *name, const char *text)
{
    arena_init(&r->arena, 0);
    diag_init(&r->diag, &r->arena);
    buf_init(&r->out, 1 << 16);
    return source_new(&r->diag, name, text, (uint32_t)strlen(text));
}

static const char *run_render(struct text_run *r)
{
    buf_reset(&r->out);
    CU_ASSERT_EQUAL(diag_render_text(&r->diag, &r->out), 0);
    return r->out.data ? r->out.data : "";
}

static void run_release(struct text_run *r)
{
    buf_release(&r->out);
    diag_release(&r->diag);
    arena_release(&r->arena);
}

static void test_text_basic(void)
{
    struct text_run r;
    struct source *s = run_init(&r, "test.json", "{\n  \"name\": 12,\n}\n");
    diag_emit(&r.diag, DC_PARAM_TYPE, (struct loc){ s, 12, 14 },
              "parameter 'name' must be a string, not an int");
    CU_ASSERT_STRING_EQUAL(run_render(&r),
                           "test.json:2:11: error[APIM3003]: parameter 'name' must be a string, "
                           "not an int\n"
                           "    2 |   \"name\": 12,\n"
                           "      | "
                           "          "
                           "^~\n");
    run_release(&r);
}

static void test_text_tabs(void)
{
    struct text_run r;
    struct source *s = run_init(&r, "t.json", "\t\"k\":\tvalue\n");
    diag_emit(&r.diag, DC_DUPLICATE_KEY, (struct loc){ s, 6, 11 }, "m");
    CU_ASSERT_STRING_EQUAL(run_render(&r), "t.json:1:7: warning[APIM1011]: m\n"
                                           "    1 | \t\"k\":\tvalue\n"
                                           "      | \t    \t^~~~~\n");
    run_release(&r);
}

static void test_text_crlf(void)
{
    struct text_run r;
    struct source *s = run_init(&r, "t.json", "a\r\nbb\r\n");
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ s, 3, 7 }, "m");
    const char *out = run_render(&r);
    CU_ASSERT_STRING_EQUAL(out, "t.json:2:1: error[APIM1001]: m\n"
                                "    2 | bb\n"
                                "      | ^~\n");
    CU_ASSERT_PTR_NULL(strchr(out, '\r'));
    run_release(&r);
}

/* Columns and markers count code points: one marker per character. */
static void test_text_utf8(void)
{
    struct text_run r;
    struct source *s = run_init(&r, "u.json", "\"\xc3\xa9\xe2\x82\xac\": x");
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ s, 9, 10 }, "a");
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ s, 1, 6 }, "b");
    CU_ASSERT_STRING_EQUAL(run_render(&r), "u.json:1:7: error[APIM1001]: a\n"
                                           "    1 | \"\xc3\xa9\xe2\x82\xac\": x\n"
                                           "      |       ^\n"
                                           "u.json:1:2: error[APIM1001]: b\n"
                                           "    1 | \"\xc3\xa9\xe2\x82\xac\": x\n"
                                           "      |  ^~\n");
    run_release(&r);
}

static void test_text_notes(void)
{
    struct text_run r;
    struct source *s = run_init(&r, "n.json", "{\"a\": 1,\n \"a\": 2}");
    struct diag_entry *e =
        diag_emit(&r.diag, DC_DUPLICATE_KEY, (struct loc){ s, 10, 13 }, "duplicate key 'a'");
    diag_note(&r.diag, e, (struct loc){ s, 1, 4 }, "previous definition here");
    diag_note(&r.diag, e, LOC_NONE, "the last one wins");
    CU_ASSERT_STRING_EQUAL(run_render(&r), "n.json:2:2: warning[APIM1011]: duplicate key 'a'\n"
                                           "    2 |  \"a\": 2}\n"
                                           "      |  ^~~\n"
                                           "n.json:1:2: note: previous definition here\n"
                                           "    1 | {\"a\": 1,\n"
                                           "      |  ^~~\n"
                                           "apim: note: the last one wins\n");
    run_release(&r);
}

/* A range over several lines is marked on its first line only; a location at
 * the end of the file gets a caret after the last character; a run-wide
 * diagnostic and an empty file have no excerpt. */
static void test_text_edges(void)
{
    struct text_run r;
    struct source *s = run_init(&r, "m.json", "ab\ncd\n");
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ s, 1, 5 }, "multi");
    struct source *eof = source_new(&r.diag, "e.json", "{\"a\": 1", 7);
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ eof, 7, 7 }, "unexpected end of file");
    struct source *empty = source_new(&r.diag, "z.json", "", 0);
    diag_emit(&r.diag, DC_EMPTY_INPUT, (struct loc){ empty, 0, 0 }, "empty");
    diag_emit(&r.diag, DC_IO, LOC_NONE, "cannot read 'q'");
    CU_ASSERT_STRING_EQUAL(run_render(&r), "m.json:1:2: error[APIM1001]: multi\n"
                                           "    1 | ab\n"
                                           "      |  ^\n"
                                           "e.json:1:8: error[APIM1001]: unexpected end of file\n"
                                           "    1 | {\"a\": 1\n"
                                           "      |        ^\n"
                                           "z.json:1:1: error[APIM1014]: empty\n"
                                           "apim: error[APIM1000]: cannot read 'q'\n");
    run_release(&r);
}

/* ---- sorting and --strict ---- */

static void test_sort(void)
{
    struct text_run r;
    struct source *a = run_init(&r, "a.json", "0123456789");
    struct source *b = source_new(&r.diag, "b.json", "0123456789", 10);
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ b, 5, 6 }, "b5");
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ a, 9, 10 }, "a9");
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ a, 2, 3 }, "a2-first");
    diag_emit(&r.diag, DC_IO, LOC_NONE, "none");
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ a, 2, 4 }, "a2-second");
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ b, 0, 1 }, "b0");
    diag_sort(&r.diag);
    static const char *const want[] = { "none", "a2-first", "a2-second", "a9", "b0", "b5" };
    CU_ASSERT_EQUAL_FATAL(r.diag.n, 6);
    for (size_t i = 0; i < 6; i++)
        CU_ASSERT_STRING_EQUAL(r.diag.v[i]->msg, want[i]);
    run_release(&r);
}

static void test_promote_warnings(void)
{
    struct text_run r;
    struct source *s = run_init(&r, "p.json", "{}");
    diag_emit(&r.diag, DC_DUPLICATE_KEY, (struct loc){ s, 0, 1 }, "w1");
    diag_emit(&r.diag, DC_TRAILING_COMMA, (struct loc){ s, 1, 2 }, "w2");
    diag_emit(&r.diag, DC_SYNTAX, (struct loc){ s, 0, 1 }, "e");
    diag_emit(&r.diag, DC_NOT_EMULATED, (struct loc){ s, 0, 1 }, "n");
    CU_ASSERT_EQUAL(r.diag.nwarnings, 2);
    CU_ASSERT_EQUAL(r.diag.nerrors, 1);
    diag_promote_warnings(&r.diag);
    CU_ASSERT_EQUAL(r.diag.nwarnings, 0);
    CU_ASSERT_EQUAL(r.diag.nerrors, 3);
    CU_ASSERT_EQUAL(r.diag.nnotes, 1);
    CU_ASSERT_EQUAL(r.diag.v[0]->level, DIAG_ERROR);
    CU_ASSERT_EQUAL(r.diag.v[1]->level, DIAG_ERROR);
    CU_ASSERT_EQUAL(r.diag.v[3]->level, DIAG_NOTE);
    CU_ASSERT_PTR_NOT_NULL(strstr(run_render(&r), "p.json:1:1: error[APIM1011]: w1\n"));
    run_release(&r);
}

static CU_TestInfo tests[] = {
    { "JSON report", test_json_report },
    { "JSON report of a valid file", test_json_valid_file },
    { "SARIF log", test_sarif_log },
    { "SARIF code points and notes", test_sarif_code_points_and_notes },
    { "SARIF uri is encoded", test_sarif_uri_is_encoded },
    { "SARIF helpUri needs a docs URL", test_sarif_help_uri },
    { "GitHub annotations", test_github_annotations },
    { "format names", test_formats },
    { "text format is diag text", test_text_format_is_diag_text },
    { "buffer limit", test_buffer_limit },
    { "text: basic", test_text_basic },
    { "text: tabs", test_text_tabs },
    { "text: CRLF", test_text_crlf },
    { "text: UTF-8", test_text_utf8 },
    { "text: notes", test_text_notes },
    { "text: edges", test_text_edges },
    { "sort", test_sort },
    { "promote warnings", test_promote_warnings },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "report", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
