/* test_pathnorm.c - the request path normaliser: RFC 3986's own examples,
 * the attack forms of issue 11, and what must stay byte for byte. */
#include <CUnit/Basic.h>
#include <string.h>

#include "cunit_run.h"
#include "pathnorm.h"

/* Normalises in; on PATHNORM_OK, out gets the result (NUL-terminated). */
static enum pathnorm_result norm(const char *in, char *out, size_t len)
{
    char buf[512];
    struct str s = str_from_cstr(in), r = STR_NULL;
    CU_ASSERT_FATAL(s.len <= sizeof(buf) && s.len < len);
    enum pathnorm_result rc = pathnorm_normalize(s, buf, &r);
    out[0] = '\0';
    if (rc == PATHNORM_OK) {
        CU_ASSERT(r.len <= s.len);
        memcpy(out, r.ptr, r.len);
        out[r.len] = '\0';
    }
    return rc;
}

struct row {
    const char *in, *want; /* want NULL: refused with rc */
    enum pathnorm_result rc;
};

static void check(const struct row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char out[512];
        enum pathnorm_result rc = norm(rows[i].in, out, sizeof(out));
        CU_ASSERT_EQUAL(rc, rows[i].want ? PATHNORM_OK : rows[i].rc);
        if (rows[i].want && rc == PATHNORM_OK && strcmp(out, rows[i].want) != 0) {
            fprintf(stderr, "\n%s: got '%s', want '%s'\n", rows[i].in, out, rows[i].want);
            CU_FAIL("normalised path differs");
        }
        if (rows[i].want == NULL && rc != rows[i].rc)
            fprintf(stderr, "\n%s: got %d, want %d\n", rows[i].in, rc, rows[i].rc);
    }
}

#define CHECK(rows) check(rows, sizeof(rows) / sizeof(rows[0]))

/* RFC 3986 5.4: every example whose merged path has dot segments, as the
 * path "/b/c/" + reference (base "http://a/b/c/d;p?q"), and 5.2.4's own.
 * The only departure: a walk above the root (5.4.2's "../../../g", "/../g")
 * is refused instead of being dropped. */
static void test_rfc3986(void)
{
    static const struct row rows[] = {
        { "/b/c/g", "/b/c/g", 0 },
        { "/b/c/./g", "/b/c/g", 0 },
        { "/b/c/g/", "/b/c/g/", 0 },
        { "/b/c/.", "/b/c/", 0 },
        { "/b/c/./", "/b/c/", 0 },
        { "/b/c/..", "/b/", 0 },
        { "/b/c/../", "/b/", 0 },
        { "/b/c/../g", "/b/g", 0 },
        { "/b/c/../..", "/", 0 },
        { "/b/c/../../", "/", 0 },
        { "/b/c/../../g", "/g", 0 },
        { "/./g", "/g", 0 },
        { "/b/c/g.", "/b/c/g.", 0 },
        { "/b/c/.g", "/b/c/.g", 0 },
        { "/b/c/g..", "/b/c/g..", 0 },
        { "/b/c/..g", "/b/c/..g", 0 },
        { "/b/c/./../g", "/b/g", 0 },
        { "/b/c/./g/.", "/b/c/g/", 0 },
        { "/b/c/g/./h", "/b/c/g/h", 0 },
        { "/b/c/g/../h", "/b/c/h", 0 },
        { "/b/c/g;x=1/./y", "/b/c/g;x=1/y", 0 },
        { "/b/c/g;x=1/../y", "/b/c/y", 0 },
        { "/a/b/c/./../../g", "/a/g", 0 },
        { "/mid/content=5/../6", "/mid/6", 0 },
        { "/b/c/../../../g", NULL, PATHNORM_ABOVE_ROOT },
        { "/b/c/../../../../g", NULL, PATHNORM_ABOVE_ROOT },
        { "/../g", NULL, PATHNORM_ABOVE_ROOT },
        { "/.", "/", 0 },
        { "/..", NULL, PATHNORM_ABOVE_ROOT },
        { "//..", "/", 0 },
    };
    CHECK(rows);
}

/* Issue 11's forms against API 'pub' (serviceUrl BACKEND/public). */
static void test_attacks(void)
{
    static const struct row rows[] = {
        { "/pub/files/../../sec/data", "/sec/data", 0 },
        { "/pub/files/%2e%2e/%2e%2e/secret/data", "/secret/data", 0 },
        { "/pub/files/%2E%2E/%2E%2E/sec/data", "/sec/data", 0 },
        { "/pub/files/.%2e/sec", "/pub/sec", 0 },
        { "/pub/files/%2E%2E", "/pub/", 0 },
        { "/pub/files/%2e", "/pub/files/", 0 },
        { "/pub/files/..%2F..%2Fsecret/data", NULL, PATHNORM_HIDDEN_DOT },
        { "/pub/files/..%2f..%2fsecret/data", NULL, PATHNORM_HIDDEN_DOT },
        { "/pub/files/%2E%2E%5C%2E%2E%5Csecret", NULL, PATHNORM_HIDDEN_DOT },
        { "/pub/files/%2e%2e%5csecret", NULL, PATHNORM_HIDDEN_DOT },
        { "/pub/files/..\\..\\secret", NULL, PATHNORM_HIDDEN_DOT },
        { "/pub/files/x\\..", NULL, PATHNORM_HIDDEN_DOT },
        { "/pub/files/a%2F.", NULL, PATHNORM_HIDDEN_DOT },
        { "/pub/files/..;/..;/secret", NULL, PATHNORM_HIDDEN_DOT },
        { "/pub/files/.;x", NULL, PATHNORM_HIDDEN_DOT },
        { "/pub/../../secret", NULL, PATHNORM_ABOVE_ROOT },
        { "/pub/%2e%2e/%2e%2e/secret", NULL, PATHNORM_ABOVE_ROOT },
        { "/pub/files/%zz", NULL, PATHNORM_BAD_ENCODING },
        { "/pub/files/%4", NULL, PATHNORM_BAD_ENCODING },
        { "/pub/files/%", NULL, PATHNORM_BAD_ENCODING },
        { "/pub/%g0/x", NULL, PATHNORM_BAD_ENCODING },
        { "/pub/x/%zz/..", NULL, PATHNORM_BAD_ENCODING },
        { "", NULL, PATHNORM_NOT_ABSOLUTE },
        { "*", NULL, PATHNORM_NOT_ABSOLUTE },
        { "pub/x", NULL, PATHNORM_NOT_ABSOLUTE },
    };
    CHECK(rows);
}

/* What normal paths keep: reserved encodings (hex case too), repeated
 * slashes, ';', backslashes away from dots, double encodings. */
static void test_kept(void)
{
    static const struct row rows[] = {
        { "/", "/", 0 },
        { "/pub/a%2Fb/c", "/pub/a%2Fb/c", 0 },
        { "/pub/a%2fb", "/pub/a%2fb", 0 },
        { "/pub/a%20b%3F%23", "/pub/a%20b%3F%23", 0 },
        { "/pub/%41%7e%2D%5f%30z", "/pub/A~-_0z", 0 },
        { "/pub/%252e%252e/x", "/pub/%252e%252e/x", 0 },
        { "/pub//x//", "/pub//x//", 0 },
        { "/orders;rev=2/x", "/orders;rev=2/x", 0 },
        { "/pub/a\\b", "/pub/a\\b", 0 },
        { "/pub/items/1.json", "/pub/items/1.json", 0 },
        { "/pub/.../x", "/pub/.../x", 0 },
        { "/pub/a.%2Fb", "/pub/a.%2Fb", 0 },
        { "/pub/%00", "/pub/%00", 0 },
        { "/pub/%C3%A9", "/pub/%C3%A9", 0 },
    };
    CHECK(rows);
}

static void test_needed(void)
{
    CU_ASSERT_FALSE(pathnorm_needed(STR_LIT("/echo/resource")));
    CU_ASSERT_FALSE(pathnorm_needed(STR_LIT("/orders;rev=2/x//y")));
    CU_ASSERT_FALSE(pathnorm_needed(STR_LIT("")));
    CU_ASSERT_TRUE(pathnorm_needed(STR_LIT("/items/1.json")));
    CU_ASSERT_TRUE(pathnorm_needed(STR_LIT("/a%20b")));
    CU_ASSERT_TRUE(pathnorm_needed(STR_LIT("/a\\b")));
}

/* Normalising a result again gives it back, and the result holds no dot
 * segment. */
static void test_idempotent(void)
{
    static const char *const in[] = {
        "/a/./b/../c/", "/%2e%2e%41/%2E/x", "/a/%25%32%46/..",
        "/a//../b/.",   "/x/%7E/.%2E/y",    "/a;b/..%3B/c",
    };
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        char once[512], twice[512];
        CU_ASSERT_EQUAL_FATAL(norm(in[i], once, sizeof(once)), PATHNORM_OK);
        CU_ASSERT_EQUAL(norm(once, twice, sizeof(twice)), PATHNORM_OK);
        CU_ASSERT_STRING_EQUAL(once, twice);
        CU_ASSERT_PTR_NULL(strstr(once, "/./"));
        CU_ASSERT_PTR_NULL(strstr(once, "/../"));
    }
}

static CU_TestInfo tests[] = {
    { "rfc3986_examples", test_rfc3986 }, { "attack_forms", test_attacks },
    { "normal_paths_kept", test_kept },   { "needed", test_needed },
    { "idempotent", test_idempotent },    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "pathnorm", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
