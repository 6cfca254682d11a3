/* Unit tests for common/buf.c: bounded buffers (the ceiling, printf, steal,
 * reset), string slices and their case-insensitive helpers, and the
 * aborting allocators on their normal path. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cunit_run.h"

/* An append that would pass the ceiling fails and empties the buffer; the
 * buffer stays usable afterwards. */
static void test_limit(void)
{
    struct buf b;
    buf_init(&b, 8);
    CU_ASSERT_PTR_NULL(b.data);
    CU_ASSERT_EQUAL(buf_append(&b, "1234", 4), 0);
    CU_ASSERT_EQUAL(buf_puts(&b, "5678"), 0);
    CU_ASSERT_EQUAL(b.len, 8);
    CU_ASSERT_STRING_EQUAL(b.data, "12345678");
    CU_ASSERT_EQUAL(buf_append(&b, "9", 1), -1);
    CU_ASSERT_EQUAL(b.len, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.data);
    CU_ASSERT_STRING_EQUAL(b.data, "");
    CU_ASSERT_EQUAL(buf_puts(&b, "ab"), 0);
    CU_ASSERT_STRING_EQUAL(b.data, "ab");
    CU_ASSERT_EQUAL(buf_append(&b, "x", (size_t)-1), -1); /* no overflow in the check */
    CU_ASSERT_EQUAL(b.len, 0);
    buf_release(&b);
    CU_ASSERT_PTR_NULL(b.data);
    CU_ASSERT_EQUAL(b.len, 0);
    CU_ASSERT_EQUAL(b.cap, 0);
}

static void test_printf(void)
{
    struct buf b;
    buf_init(&b, 16);
    CU_ASSERT_EQUAL(buf_printf(&b, "%s=%d", "n", 5), 0);
    CU_ASSERT_EQUAL(buf_printf(&b, ";%c", 'x'), 0);
    CU_ASSERT_STRING_EQUAL(b.data, "n=5;x");
    CU_ASSERT_EQUAL(b.len, 5);
    CU_ASSERT_EQUAL(buf_printf(&b, "%s", ""), 0);
    CU_ASSERT_EQUAL(b.len, 5);
    CU_ASSERT_EQUAL(buf_printf(&b, "%12d", 1), -1); /* 5 + 12 > 16 */
    CU_ASSERT_EQUAL(b.len, 0);
    CU_ASSERT_STRING_EQUAL(b.data, "");
    CU_ASSERT_EQUAL(buf_printf(&b, "%16d", 1), 0); /* exactly the ceiling */
    CU_ASSERT_EQUAL(b.len, 16);
    buf_release(&b);
}

static void test_put_uint(void)
{
    struct buf b;
    buf_init(&b, 33);
    CU_ASSERT_EQUAL(buf_put_uint(&b, 0), 0);
    CU_ASSERT_EQUAL(buf_puts(&b, ","), 0);
    CU_ASSERT_EQUAL(buf_put_uint(&b, 1234567890), 0);
    CU_ASSERT_EQUAL(buf_puts(&b, ","), 0);
    CU_ASSERT_EQUAL(buf_put_uint(&b, 18446744073709551615ull), 0);
    CU_ASSERT_STRING_EQUAL(b.data, "0,1234567890,18446744073709551615");
    CU_ASSERT_EQUAL(b.len, 33); /* the ceiling: exactly full */
    CU_ASSERT_EQUAL(buf_put_uint(&b, 7), -1);
    CU_ASSERT_EQUAL(b.len, 0);
    buf_release(&b);
}

static void test_growth(void)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    for (int i = 0; i < 10000; i++) {
        char c = (char)('a' + i % 26);
        if (buf_append(&b, &c, 1) != 0) {
            CU_FAIL("append failed");
            break;
        }
    }
    CU_ASSERT_EQUAL_FATAL(b.len, 10000);
    CU_ASSERT_TRUE(b.cap > b.len); /* room for the NUL */
    CU_ASSERT_EQUAL(b.data[0], 'a');
    CU_ASSERT_EQUAL(b.data[9999], (char)('a' + 9999 % 26));
    CU_ASSERT_EQUAL(b.data[10000], '\0');
    CU_ASSERT_EQUAL(strlen(b.data), 10000);
    buf_release(&b);

    /* An empty append still gives a NUL-terminated string. */
    buf_init(&b, 4);
    CU_ASSERT_EQUAL(buf_append(&b, "", 0), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.data);
    CU_ASSERT_STRING_EQUAL(b.data, "");
    buf_release(&b);
}

static void test_steal(void)
{
    struct buf b;
    buf_init(&b, 64);
    CU_ASSERT_EQUAL(buf_puts(&b, "owned"), 0);
    size_t len = 0;
    char *s = buf_steal(&b, &len);
    CU_ASSERT_STRING_EQUAL(s, "owned");
    CU_ASSERT_EQUAL(len, 5);
    CU_ASSERT_PTR_NULL(b.data);
    CU_ASSERT_EQUAL(b.len, 0);
    CU_ASSERT_EQUAL(b.cap, 0);
    free(s);
    /* The buffer can be used again; stealing an empty one gives "". */
    CU_ASSERT_EQUAL(buf_puts(&b, "x"), 0);
    buf_release(&b);
    s = buf_steal(&b, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s, "");
    CU_ASSERT_EQUAL(len, 0);
    free(s);
    s = buf_steal(&b, NULL);
    CU_ASSERT_PTR_NOT_NULL(s);
    free(s);
}

static void test_reset(void)
{
    struct buf b;
    buf_init(&b, 1024);
    CU_ASSERT_EQUAL(buf_puts(&b, "some text"), 0);
    char *mem = b.data;
    size_t cap = b.cap;
    buf_reset(&b);
    CU_ASSERT_EQUAL(b.len, 0);
    CU_ASSERT_PTR_EQUAL(b.data, mem);
    CU_ASSERT_EQUAL(b.cap, cap);
    CU_ASSERT_STRING_EQUAL(b.data, "");
    CU_ASSERT_EQUAL(buf_puts(&b, "again"), 0);
    CU_ASSERT_STRING_EQUAL(b.data, "again");
    buf_release(&b);
    buf_reset(&b); /* no memory: nothing to clear */
    CU_ASSERT_PTR_NULL(b.data);
}

/* ---- slices ---- */

static void test_str_eq(void)
{
    CU_ASSERT_TRUE(str_eq(STR_LIT("abc"), str_from_cstr("abc")));
    CU_ASSERT_FALSE(str_eq(STR_LIT("abc"), STR_LIT("abd")));
    CU_ASSERT_FALSE(str_eq(STR_LIT("abc"), STR_LIT("ab")));
    CU_ASSERT_FALSE(str_eq(STR_LIT("abc"), STR_LIT("ABC")));
    CU_ASSERT_TRUE(str_eq(STR_NULL, STR_LIT("")));
    CU_ASSERT_TRUE(
        str_eq((struct str){ "abcdef", 3 }, STR_LIT("abc"))); /* a view, not a C string */
    struct str n = str_from_cstr(NULL);
    CU_ASSERT_PTR_NULL(n.ptr);
    CU_ASSERT_EQUAL(n.len, 0);
    CU_ASSERT_EQUAL(STR_LIT("four").len, 4);
}

static void test_str_ieq(void)
{
    CU_ASSERT_TRUE(str_ieq(STR_LIT("Content-Type"), STR_LIT("content-TYPE")));
    CU_ASSERT_FALSE(str_ieq(STR_LIT("Content-Type"), STR_LIT("Content-Typ")));
    CU_ASSERT_FALSE(str_ieq(STR_LIT("a["), STR_LIT("a{")));             /* only letters fold */
    CU_ASSERT_FALSE(str_ieq(STR_LIT("\xc3\x89"), STR_LIT("\xc3\xa9"))); /* ASCII only: É != é */
    CU_ASSERT_TRUE(str_ieq_cstr(STR_LIT("Microsoft.ApiManagement"), "microsoft.apimanagement"));
    CU_ASSERT_FALSE(str_ieq_cstr(STR_LIT("apis"), "api"));
    CU_ASSERT_TRUE(str_ieq(STR_NULL, STR_LIT("")));
}

static void test_str_icmp(void)
{
    CU_ASSERT_EQUAL(str_icmp(STR_LIT("Apis"), STR_LIT("aPIS")), 0);
    CU_ASSERT_TRUE(str_icmp(STR_LIT("abc"), STR_LIT("ABD")) < 0);
    CU_ASSERT_TRUE(str_icmp(STR_LIT("ABD"), STR_LIT("abc")) > 0);
    CU_ASSERT_TRUE(str_icmp(STR_LIT("ab"), STR_LIT("abc")) < 0); /* a prefix sorts first */
    CU_ASSERT_TRUE(str_icmp(STR_LIT("abc"), STR_LIT("AB")) > 0);
    CU_ASSERT_TRUE(str_icmp(STR_LIT("B"), STR_LIT("a")) > 0); /* not byte order: 'B' < 'a' */
    CU_ASSERT_TRUE(str_icmp(STR_LIT("_"), STR_LIT("a")) < 0); /* '_' (95) before 'a' (97) */
    CU_ASSERT_TRUE(str_icmp(STR_LIT("_"), STR_LIT("A")) < 0); /* ... and before 'A' folded */
    CU_ASSERT_EQUAL(str_icmp(STR_NULL, STR_LIT("")), 0);
    CU_ASSERT_TRUE(str_icmp(STR_NULL, STR_LIT("a")) < 0);
}

static void test_str_istarts_with(void)
{
    struct str t = STR_LIT("Microsoft.ApiManagement/service/apis");
    CU_ASSERT_TRUE(str_istarts_with(t, "microsoft.apimanagement/"));
    CU_ASSERT_TRUE(str_istarts_with(t, ""));
    CU_ASSERT_TRUE(str_istarts_with(t, "MICROSOFT.APIMANAGEMENT/SERVICE/APIS"));
    CU_ASSERT_FALSE(str_istarts_with(t, "Microsoft.ApiManagement/service/apis/"));
    CU_ASSERT_FALSE(str_istarts_with(t, "Microsoft.Web"));
    CU_ASSERT_FALSE(str_istarts_with((struct str){ "Micro", 3 }, "Micro"));
}

static void test_allocators(void)
{
    char *s = xstrdup("dup");
    CU_ASSERT_STRING_EQUAL(s, "dup");
    s = xrealloc(s, 100);
    CU_ASSERT_STRING_EQUAL(s, "dup"); /* contents kept */
    free(s);
    int *z = xcalloc(8, sizeof(int));
    CU_ASSERT_EQUAL(z[0], 0);
    CU_ASSERT_EQUAL(z[7], 0);
    free(z);
    void *p = xmalloc(0); /* never NULL, even for 0 bytes */
    CU_ASSERT_PTR_NOT_NULL(p);
    free(p);
}

static CU_TestInfo tests[] = {
    { "limit", test_limit },
    { "printf", test_printf },
    { "put_uint", test_put_uint },
    { "growth", test_growth },
    { "steal", test_steal },
    { "reset", test_reset },
    { "str_eq", test_str_eq },
    { "str_ieq", test_str_ieq },
    { "str_icmp ordering", test_str_icmp },
    { "str_istarts_with", test_str_istarts_with },
    { "allocators", test_allocators },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "buf", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
