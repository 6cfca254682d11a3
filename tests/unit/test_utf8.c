/* Unit tests for common/utf8.c: sequence validation (RFC 3629 limits),
 * encoding, and JSON string literals with and without short escapes. (The
 * access log's tests cover utf8_json_string byte by byte as well.) */
#include <string.h>

#include "cunit_run.h"
#include "utf8.h"

#define CHECK(lit) utf8_check((const unsigned char *)(lit), sizeof(lit) - 1)

static void test_check(void)
{
    CU_ASSERT_EQUAL(CHECK("plain"), 5);
    CU_ASSERT_EQUAL(CHECK("\xc3\xa9t\xc3\xa9"), 5);                  /* été */
    CU_ASSERT_EQUAL(CHECK("\xf0\x9f\x98\x80"), 4);                   /* U+1F600 */
    CU_ASSERT_EQUAL(CHECK("ok\xc0\xaf"), 2);                         /* overlong '/' */
    CU_ASSERT_EQUAL(CHECK("ab\xed\xa0\x80"), 2);                     /* surrogate */
    CU_ASSERT_EQUAL(CHECK("\xf4\x90\x80\x80"), 0);                   /* past U+10FFFF */
    CU_ASSERT_EQUAL(CHECK("abc\xe2\x82"), 3);                        /* cut short */
    CU_ASSERT_EQUAL(CHECK("\x80"), 0);                               /* lone continuation */
    CU_ASSERT_EQUAL(utf8_seq_len((const unsigned char *)"x", 0), 0); /* nothing left */
}

static void test_encode(void)
{
    const uint32_t cps[] = { 0x41, 0xe9, 0x20ac, 0x1f600, 0x10ffff };
    const size_t lens[] = { 1, 2, 3, 4, 4 };
    for (size_t i = 0; i < 5; i++) {
        char out[4];
        size_t n = utf8_encode(cps[i], out);
        CU_ASSERT_EQUAL(n, lens[i]);
        CU_ASSERT_EQUAL(utf8_check((const unsigned char *)out, n), n);
    }
}

static void test_json(void)
{
    struct buf b;
    buf_init(&b, 1024);
    CU_ASSERT_EQUAL(
        utf8_json_string(&b, STR_LIT("a\"b\n\t\x01\xc3\xa9\xff"), UTF8_JSON_SHORT_ESCAPES), 0);
    CU_ASSERT_STRING_EQUAL(b.data, "\"a\\\"b\\n\\t\\u0001\xc3\xa9\\u00ff\"");
    buf_reset(&b);
    CU_ASSERT_EQUAL(utf8_json_string(&b, STR_LIT("\n"), 0), 0);
    CU_ASSERT_STRING_EQUAL(b.data, "\"\\u000a\"");
    buf_release(&b);
}

static CU_TestInfo tests[] = {
    { "utf8_check", test_check },
    { "utf8_encode", test_encode },
    { "utf8_json_string", test_json },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "utf8", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
