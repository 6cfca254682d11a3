/* Unit tests for runtime/stream/stream_chunk.c: an httpIngest POST body in
 * the chunked transfer coding (RFC 9112 section 7.1), decoded in any split
 * of its bytes, with maxBody as the limit. */
#include <string.h>

#include "cunit_run.h"
#include "stream_int.h"

/* Feeds text in pieces of step bytes; the result of the last feed, the
 * decoded body in out, the bytes consumed in *used (all feeds). */
static enum schunk_res feed(const char *text, size_t step, size_t max, struct buf *out,
                            size_t *used)
{
    struct schunk k = { 0 };
    size_t n = strlen(text), off = 0;
    enum schunk_res r = SCHUNK_MORE;
    buf_init(out, max);
    while (off < n && r == SCHUNK_MORE) {
        size_t take = n - off < step ? n - off : step, u = 0;
        r = schunk_feed(&k, text + off, take, out, &u);
        CU_ASSERT(u <= take);
        CU_ASSERT(r != SCHUNK_MORE || u == take);
        off += u;
    }
    *used = off;
    return r;
}

static const char body[] = "5\r\nhello\r\n1;name=value\r\n\n\r\n"
                           "A\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\nNEXT";

/* Every split of the input decodes the same: one byte at a time, in pieces,
 * and whole; the bytes after the last CRLF are not the body's. */
static void test_splits(void)
{
    for (size_t step = 1; step <= sizeof(body); step++) {
        struct buf out;
        size_t used = 0;
        CU_ASSERT_EQUAL(feed(body, step, 1024, &out, &used), SCHUNK_DONE);
        CU_ASSERT_EQUAL(used, strlen(body) - 4);
        CU_ASSERT_EQUAL(out.len, 16);
        CU_ASSERT(out.data && memcmp(out.data, "hello\n0123456789", 16) == 0);
        buf_release(&out);
    }
}

/* Bare LF line ends, upper-case hex, an empty body. */
static void test_forms(void)
{
    struct buf out;
    size_t used = 0;
    CU_ASSERT_EQUAL(feed("1E\n0123456789abcdef0123456789abcd\n0\n\n", 7, 64, &out, &used),
                    SCHUNK_DONE);
    CU_ASSERT_EQUAL(out.len, 30);
    buf_release(&out);
    CU_ASSERT_EQUAL(feed("0\r\n\r\n", 1, 64, &out, &used), SCHUNK_DONE);
    CU_ASSERT_EQUAL(out.len, 0);
    buf_release(&out);
    /* Not finished yet: more is needed. */
    CU_ASSERT_EQUAL(feed("5\r\nhel", 2, 64, &out, &used), SCHUNK_MORE);
    buf_release(&out);
}

static void test_malformed(void)
{
    static const char *const bad[] = {
        "\r\n",         /* no size */
        "x\r\n",        /* not hex */
        "5\r\nhelloXX", /* no CRLF after the data */
        "-1\r\n",       /* a sign */
        "\r5\r\n",      /* CR before the digits */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        struct buf out;
        size_t used = 0;
        CU_ASSERT_EQUAL(feed(bad[i], 1, 64, &out, &used), SCHUNK_BAD);
        buf_release(&out);
    }
    /* A size line without an end is refused once it is long. */
    char longline[2100];
    memset(longline, ';', sizeof(longline) - 1);
    longline[0] = '1';
    longline[sizeof(longline) - 1] = '\0';
    struct buf out;
    size_t used = 0;
    CU_ASSERT_EQUAL(feed(longline, 100, 64, &out, &used), SCHUNK_BAD);
    buf_release(&out);
}

/* Past maxBody: as soon as a chunk's size says so, before its data; a size
 * that overflows 64 bits too. */
static void test_limit(void)
{
    struct buf out;
    size_t used = 0;
    CU_ASSERT_EQUAL(feed("8\r\n12345678\r\n0\r\n\r\n", 1, 8, &out, &used), SCHUNK_DONE);
    buf_release(&out);
    CU_ASSERT_EQUAL(feed("8\r\n12345678\r\n1\r\n", 1, 8, &out, &used), SCHUNK_BIG);
    CU_ASSERT_EQUAL(used, strlen("8\r\n12345678\r\n1\r\n"));
    buf_release(&out);
    CU_ASSERT_EQUAL(feed("FFFFFFFF\r\n", 3, 1 << 20, &out, &used), SCHUNK_BIG);
    buf_release(&out);
    CU_ASSERT_EQUAL(feed("10000000000000000\r\n", 1, 1 << 20, &out, &used), SCHUNK_BIG);
    buf_release(&out);
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "every split decodes the same", test_splits },
        { "LF line ends, hex case, empty body", test_forms },
        { "malformed", test_malformed },
        { "maxBody", test_limit },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "stream_chunk", NULL, NULL, NULL, NULL, tests },
                              CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
