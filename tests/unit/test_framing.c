/* Unit tests for common/framing.c: the request target, header fields and
 * their framing (Content-Length, Transfer-Encoding), and the raw head scan
 * that runs before libmicrohttpd, with every prefix of a good head. */
#include <stdlib.h>
#include <string.h>

#include "cunit_run.h"
#include "framing.h"

/* The verdict on a NUL-free literal head. */
static enum framing_verdict scan(const char *head)
{
    const char *reason = NULL;
    enum framing_verdict v = framing_scan_head(head, strlen(head), &reason);
    if (v != FRAMING_OK && v != FRAMING_MORE)
        CU_ASSERT_PTR_NOT_NULL(reason);
    return v;
}

#define SCAN_BYTES(lit) framing_scan_head(lit, sizeof(lit) - 1, &reason)

static void test_status(void)
{
    CU_ASSERT_EQUAL(framing_status(FRAMING_OK), 0);
    CU_ASSERT_EQUAL(framing_status(FRAMING_MORE), 0);
    CU_ASSERT_EQUAL(framing_status(FRAMING_BAD), 400);
    CU_ASSERT_EQUAL(framing_status(FRAMING_URI_TOO_LONG), 414);
    CU_ASSERT_EQUAL(framing_status(FRAMING_FIELDS_TOO_LARGE), 431);
}

static void test_target(void)
{
    const char *reason = NULL;
    CU_ASSERT_EQUAL(framing_check_target("/a/b?c=d", 8, &reason), FRAMING_OK);
    CU_ASSERT_EQUAL(framing_check_target("*", 1, &reason), FRAMING_OK);
    CU_ASSERT_EQUAL(framing_check_target("/%zz", 4, &reason), FRAMING_OK); /* the path's job */
    CU_ASSERT_EQUAL(framing_check_target("/caf\xc3\xa9", 6, &reason), FRAMING_OK);
    CU_ASSERT_EQUAL(framing_check_target("", 0, &reason), FRAMING_BAD);
    CU_ASSERT_EQUAL(framing_check_target("/a b", 4, &reason), FRAMING_BAD);
    CU_ASSERT_STRING_EQUAL(reason, "InvalidRequestTarget");
    CU_ASSERT_EQUAL(framing_check_target("/a\rb", 4, &reason), FRAMING_BAD);
    CU_ASSERT_EQUAL(framing_check_target("/a\0b", 4, &reason), FRAMING_BAD);
    CU_ASSERT_EQUAL(framing_check_target("/a\x7f", 3, &reason), FRAMING_BAD);
    CU_ASSERT_EQUAL(framing_check_target("/a\tb", 4, &reason), FRAMING_BAD);
    char *long_target = malloc(APIM_MAX_REQUEST_TARGET + 1);
    memset(long_target, 'a', APIM_MAX_REQUEST_TARGET + 1);
    long_target[0] = '/';
    CU_ASSERT_EQUAL(framing_check_target(long_target, APIM_MAX_REQUEST_TARGET, &reason),
                    FRAMING_OK);
    CU_ASSERT_EQUAL(framing_check_target(long_target, APIM_MAX_REQUEST_TARGET + 1, &reason),
                    FRAMING_URI_TOO_LONG);
    CU_ASSERT_STRING_EQUAL(reason, "UriTooLong");
    free(long_target);
}

/* Feeds "name: value" pairs (a NULL name ends them); the first verdict
 * that is not OK, or the end's. */
static enum framing_verdict fields(const char *const *nv, size_t n, const char **reason)
{
    struct framing_fields f;
    framing_fields_init(&f);
    for (size_t i = 0; i + 1 < n; i += 2) {
        enum framing_verdict v =
            framing_fields_add(&f, nv[i], strlen(nv[i]), nv[i + 1], strlen(nv[i + 1]), reason);
        if (v != FRAMING_OK)
            return v;
    }
    return framing_fields_end(&f, reason);
}

#define FIELDS(...)                              \
    fields((const char *const[]){ __VA_ARGS__ }, \
           sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *), &reason)

static void test_fields(void)
{
    const char *reason = NULL;
    CU_ASSERT_EQUAL(FIELDS("Host", "a", "X-A", "b\tc \x80"), FRAMING_OK);
    CU_ASSERT_EQUAL(FIELDS("Content-Length", "5", "content-length", "5"), FRAMING_OK);
    CU_ASSERT_EQUAL(FIELDS("Transfer-Encoding", "chunked"), FRAMING_OK);
    CU_ASSERT_EQUAL(FIELDS("Transfer-Encoding", "Chunked  "), FRAMING_OK);
    CU_ASSERT_EQUAL(FIELDS("Content-Length", "5", "Content-Length", "6"), FRAMING_BAD);
    CU_ASSERT_STRING_EQUAL(reason, "ConflictingContentLength");
    CU_ASSERT_EQUAL(FIELDS("Content-Length", "5, 5"), FRAMING_BAD);
    CU_ASSERT_STRING_EQUAL(reason, "InvalidContentLength");
    CU_ASSERT_EQUAL(FIELDS("Content-Length", "+5"), FRAMING_BAD);
    CU_ASSERT_EQUAL(FIELDS("Content-Length", "99999999999999999999"), FRAMING_BAD);
    CU_ASSERT_EQUAL(FIELDS("Content-Length", "3", "Transfer-Encoding", "chunked"), FRAMING_BAD);
    CU_ASSERT_STRING_EQUAL(reason, "ContentLengthWithTransferEncoding");
    CU_ASSERT_EQUAL(FIELDS("Transfer-Encoding", "chunked, identity"), FRAMING_BAD);
    CU_ASSERT_STRING_EQUAL(reason, "UnsupportedTransferEncoding");
    CU_ASSERT_EQUAL(FIELDS("Transfer-Encoding", "gzip, chunked"), FRAMING_BAD);
    CU_ASSERT_EQUAL(FIELDS("Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked"),
                    FRAMING_BAD);
    CU_ASSERT_EQUAL(FIELDS("Transfer-Encoding ", "chunked"), FRAMING_BAD);
    CU_ASSERT_STRING_EQUAL(reason, "InvalidHeaderName");
    CU_ASSERT_EQUAL(FIELDS("", "v"), FRAMING_BAD);
    CU_ASSERT_EQUAL(FIELDS("X(A)", "v"), FRAMING_BAD);
    CU_ASSERT_EQUAL(FIELDS("X-A", "foo\rX-Injected: bar"), FRAMING_BAD);
    CU_ASSERT_STRING_EQUAL(reason, "InvalidHeaderValue");
    CU_ASSERT_EQUAL(FIELDS("X-A", "a\x01"), FRAMING_BAD);
    CU_ASSERT_EQUAL(FIELDS("X-A", "a\x7f"), FRAMING_BAD);

    /* the count and byte limits: 431 */
    struct framing_fields f;
    framing_fields_init(&f);
    enum framing_verdict v = FRAMING_OK;
    for (unsigned i = 0; i <= APIM_MAX_REQUEST_FIELDS && v == FRAMING_OK; i++)
        v = framing_fields_add(&f, "X-A", 3, "v", 1, &reason);
    CU_ASSERT_EQUAL(v, FRAMING_FIELDS_TOO_LARGE);
    CU_ASSERT_EQUAL(f.count, APIM_MAX_REQUEST_FIELDS + 1);
    CU_ASSERT_STRING_EQUAL(reason, "HeaderFieldsTooLarge");
    char *big = malloc(APIM_MAX_REQUEST_FIELD_BYTES);
    memset(big, 'b', APIM_MAX_REQUEST_FIELD_BYTES);
    framing_fields_init(&f);
    CU_ASSERT_EQUAL(framing_fields_add(&f, "X", 1, big, APIM_MAX_REQUEST_FIELD_BYTES - 5, &reason),
                    FRAMING_OK);
    framing_fields_init(&f);
    CU_ASSERT_EQUAL(framing_fields_add(&f, "X", 1, big, APIM_MAX_REQUEST_FIELD_BYTES - 4, &reason),
                    FRAMING_FIELDS_TOO_LARGE);
    free(big);
}

static void test_scan_good(void)
{
    static const char good[] = "POST /a?b=c HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
                               "X-Tab:\tv  \r\n\r\nabc";
    /* every proper prefix of the head is a valid beginning */
    size_t head = (size_t)(strstr(good, "\r\n\r\n") + 4 - good);
    const char *reason = NULL;
    for (size_t n = 0; n < head; n++)
        CU_ASSERT_EQUAL(framing_scan_head(good, n, &reason), FRAMING_MORE);
    CU_ASSERT_EQUAL(framing_scan_head(good, head, &reason), FRAMING_OK);
    CU_ASSERT_EQUAL(framing_scan_head(good, sizeof(good) - 1, &reason), FRAMING_OK);
    CU_ASSERT_EQUAL(scan("GET / HTTP/1.0\n\n"), FRAMING_OK);                    /* bare LF */
    CU_ASSERT_EQUAL(scan("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), FRAMING_OK); /* RFC 9112 2.2 */
    CU_ASSERT_EQUAL(scan("GET http://h/a HTTP/1.1\r\nHost: h\r\n\r\n"), FRAMING_OK);
    CU_ASSERT_EQUAL(scan("OPTIONS * HTTP/1.1\r\nHost: a\r\nX-E:\r\n\r\n"), FRAMING_OK);
}

static void test_scan_bad(void)
{
    const char *reason = NULL;
    CU_ASSERT_EQUAL(scan("\x16\x03\x01"), FRAMING_BAD); /* a TLS ClientHello, at once */
    CU_ASSERT_STRING_EQUAL(framing_scan_head("\x16", 1, &reason) == FRAMING_BAD ? reason : "",
                           "MalformedRequestLine");
    CU_ASSERT_EQUAL(scan("GARBAGE\r\n\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("GET  / HTTP/1.1\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("GET / HTTP/1.1 \r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("GET / FTP/1.1\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("GET /a b HTTP/1.1\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("GET /a\rb HTTP/1.1\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(SCAN_BYTES("GET /a\0b HTTP/1.1\r\n\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("GET / HTTP/1.1\rHost: a\r\n\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(SCAN_BYTES("GET / HTTP/1.1\r\nX-A: foo\0bar\r\n\r\n"), FRAMING_BAD);
    CU_ASSERT_STRING_EQUAL(reason, "InvalidHeaderValue");
    CU_ASSERT_EQUAL(scan("GET / HTTP/1.1\r\nX-A: foo\rX-B: bar\r\n\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(framing_scan_head("GET / HTTP/1.1\r\nX-A: 1\r\n\t2\r\n\r\n", 30, &reason),
                    FRAMING_BAD);
    CU_ASSERT_STRING_EQUAL(reason, "ObsoleteLineFolding");
    CU_ASSERT_EQUAL(scan("GET / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(framing_scan_head("GET / HTTP/1.1\r\nA : b\r\n", 23, &reason), FRAMING_BAD);
    CU_ASSERT_STRING_EQUAL(reason, "WhitespaceBeforeColon");
    CU_ASSERT_EQUAL(scan("GET / HTTP/1.1\r\n: v\r\n\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("GET / HTTP/1.1\r\nNo colon\r\n\r\n"), FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
                    FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("POST / HTTP/1.1\r\nContent-Length: 1\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n"),
                    FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n"),
                    FRAMING_BAD);
    CU_ASSERT_EQUAL(scan("\r\n\r\n\r\n\r\n\r\nGET"), FRAMING_BAD); /* only a few empty lines */
}

static void test_scan_limits(void)
{
    const char *reason = NULL;
    /* a method longer than any real one is not HTTP */
    CU_ASSERT_EQUAL(scan("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ"), FRAMING_BAD);
    size_t cap = FRAMING_HEAD_MAX + 64;
    char *buf = malloc(cap);
    memcpy(buf, "GET /", 5);
    memset(buf + 5, 'a', cap - 5);
    CU_ASSERT_EQUAL(framing_scan_head(buf, APIM_MAX_REQUEST_TARGET + 4, &reason), FRAMING_MORE);
    CU_ASSERT_EQUAL(framing_scan_head(buf, APIM_MAX_REQUEST_TARGET + 5, &reason),
                    FRAMING_URI_TOO_LONG);
    /* one endless field: 431 within FRAMING_HEAD_MAX bytes */
    static const char line[] = "GET / HTTP/1.1\r\nX-Big: ";
    memcpy(buf, line, sizeof(line) - 1);
    memset(buf + sizeof(line) - 1, 'b', cap - sizeof(line) + 1);
    CU_ASSERT_EQUAL(framing_scan_head(buf, FRAMING_HEAD_MAX, &reason), FRAMING_FIELDS_TOO_LARGE);
    /* many short fields */
    size_t n = strlen("GET / HTTP/1.1\r\n");
    memcpy(buf, "GET / HTTP/1.1\r\n", n);
    for (unsigned i = 0; i <= APIM_MAX_REQUEST_FIELDS; i++) {
        memcpy(buf + n, "X: y\r\n", 6);
        n += 6;
    }
    CU_ASSERT_EQUAL(framing_scan_head(buf, n, &reason), FRAMING_FIELDS_TOO_LARGE);
    free(buf);
}

static CU_TestInfo tests[] = {
    { "framing_status", test_status },
    { "framing_check_target", test_target },
    { "framing_fields", test_fields },
    { "framing_scan_head: good heads and their prefixes", test_scan_good },
    { "framing_scan_head: refused heads", test_scan_bad },
    { "framing_scan_head: limits", test_scan_limits },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "framing", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
