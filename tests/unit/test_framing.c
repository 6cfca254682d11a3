/* Unit tests for common/framing.c: the request target, header fields and
 * their framing (Content-Length, Transfer-Encoding), the raw head scan
 * that runs before libmicrohttpd, with every prefix of a good head, and
 * the walk of a kept-alive connection's bytes, request after request, fed
 * whole, cut in two at every point and in small reads. */
#include <stdio.h>
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
    CU_ASSERT_EQUAL(framing_status(FRAMING_VERSION), 505);
}

/* HTTP/1.x passes; another major version is 505 (libmicrohttpd would
 * answer it with its own page), also as a later request. */
static void test_version(void)
{
    CU_ASSERT_EQUAL(scan("GET / HTTP/1.0\r\n\r\n"), FRAMING_OK);
    CU_ASSERT_EQUAL(scan("GET / HTTP/1.9\r\n\r\n"), FRAMING_OK);
    CU_ASSERT_EQUAL(scan("GET / HTTP/2.0\r\n\r\n"), FRAMING_VERSION);
    CU_ASSERT_EQUAL(scan("GET / HTTP/0.9\r\n\r\n"), FRAMING_VERSION);
    CU_ASSERT_EQUAL(scan("GET / HTTP/3.0\r"), FRAMING_MORE);
    CU_ASSERT_EQUAL(scan("GET / HTTP/2.0x\r\n"), FRAMING_BAD);
    static const char two[] = "GET / HTTP/1.1\r\n\r\nGET / HTTP/2.0\r\n\r\n";
    struct framing_stream fs;
    framing_stream_init(&fs);
    enum framing_verdict v;
    const char *reason = NULL;
    CU_ASSERT_EQUAL(framing_stream_walk(&fs, two, sizeof(two) - 1, &v, &reason), 18);
    CU_ASSERT_EQUAL(v, FRAMING_VERSION);
    CU_ASSERT_STRING_EQUAL(reason, "HttpVersionNotSupported");
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

/* A raw field section is judged on its first APIM_MAX_REQUEST_FIELD_BYTES
 * + 2 bytes whatever follows: whitespace before a value is not counted as
 * field bytes, and a head of such lines once got MORE past FRAMING_HEAD_MAX
 * (a CR last), or 400 in one read but 431 in two. */
static void test_scan_raw_fields(void)
{
    const char *reason = NULL;
    static const char line[] = "GET / HTTP/1.1\r\nX:";
    size_t ows = APIM_MAX_REQUEST_FIELD_BYTES + 64, n = sizeof(line) - 1;
    char *buf = malloc(n + ows + 16);
    memcpy(buf, line, n);
    memset(buf + n, ' ', ows);
    n += ows;
    memcpy(buf + n, "v\r\n\r", 4);
    CU_ASSERT(n + 4 < FRAMING_HEAD_MAX);
    CU_ASSERT_EQUAL(framing_scan_head(buf, n + 4, &reason), FRAMING_FIELDS_TOO_LARGE);
    memcpy(buf + n, "v\r\nY\x01: z\r\n\r\n", 13);
    CU_ASSERT_EQUAL(framing_scan_head(buf, n + 13, &reason), FRAMING_FIELDS_TOO_LARGE);
    CU_ASSERT_EQUAL(framing_scan_head(buf, n + 4, &reason), FRAMING_FIELDS_TOO_LARGE);
    CU_ASSERT_STRING_EQUAL(reason, "HeaderFieldsTooLarge");
    /* 40 lines of 600 blanks and no end: refused before FRAMING_HEAD_MAX */
    size_t cap = FRAMING_HEAD_MAX + 1024;
    buf = realloc(buf, cap);
    n = strlen("GET / HTTP/1.1\r\n");
    while (n + 605 < cap) {
        memcpy(buf + n, "X:", 2);
        memset(buf + n + 2, '\t', 600);
        memcpy(buf + n + 602, "v\r\n", 3);
        n += 605;
    }
    buf[n++] = '\r';
    enum framing_verdict v = FRAMING_MORE;
    size_t at = 0;
    for (; at <= n && v == FRAMING_MORE; at += 97)
        v = framing_scan_head(buf, at, &reason);
    CU_ASSERT_EQUAL(v, FRAMING_FIELDS_TOO_LARGE);
    CU_ASSERT(at < FRAMING_HEAD_MAX);
    free(buf);
}

/* "GET /<target bytes> HTTP/1.1", a Cookie of n cookies "cNNNN=1" (or one
 * of value bytes when n is 0), then the given extra field lines. */
static char *cookie_head(size_t target, size_t n, size_t value, const char *extra, size_t *len)
{
    size_t cap = target + n * 10 + value + strlen(extra) + 128;
    char *h = malloc(cap);
    size_t at = (size_t)snprintf(h, cap, "GET /");
    memset(h + at, 't', target);
    at += target;
    at += (size_t)snprintf(h + at, cap - at, " HTTP/1.1\r\nHost: a\r\nCookie: ");
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(h + at, cap - at, "%sc%04zu=1", i ? "; " : "", i);
    if (n == 0) {
        at += (size_t)snprintf(h + at, cap - at, "a=");
        memset(h + at, 'v', value);
        at += value;
    }
    at += (size_t)snprintf(h + at, cap - at, "\r\n%s\r\n", extra);
    *len = at;
    return h;
}

static enum framing_verdict scan_cookie_head(size_t target, size_t n, size_t value)
{
    size_t len;
    char *h = cookie_head(target, n, value, "", &len);
    const char *reason = NULL;
    enum framing_verdict v = framing_scan_head(h, len, &reason);
    free(h);
    return v;
}

/* libmicrohttpd copies the first Cookie field and keeps a record per
 * cookie: a head whose memory (APIM_HEAD_MEMORY) would not fit is 431, one
 * that fits passes; without cookies the limits alone decide. */
static void test_head_memory(void)
{
    CU_ASSERT_EQUAL(scan_cookie_head(16000, 380, 0), FRAMING_OK);
    CU_ASSERT_EQUAL(scan_cookie_head(16000, 400, 0), FRAMING_FIELDS_TOO_LARGE);
    CU_ASSERT_EQUAL(scan_cookie_head(10, 770, 0), FRAMING_OK);
    CU_ASSERT_EQUAL(scan_cookie_head(10, 800, 0), FRAMING_FIELDS_TOO_LARGE);
    CU_ASSERT_EQUAL(scan_cookie_head(16000, 0, 16000), FRAMING_OK);
    CU_ASSERT_EQUAL(scan_cookie_head(16000, 0, 16600), FRAMING_FIELDS_TOO_LARGE);
    CU_ASSERT_EQUAL(scan_cookie_head(10, 0, 24000), FRAMING_OK);
    /* only the first Cookie field is parsed into cookies */
    size_t len;
    char *h = cookie_head(10, 700, 0, "Cookie: x=1; y=2; z=3\r\n", &len);
    const char *reason = NULL;
    struct framing_head fh;
    CU_ASSERT_EQUAL(framing_scan_request(h, len, &fh, &reason), FRAMING_OK);
    CU_ASSERT_TRUE(fh.memory <= APIM_HEAD_MEMORY);
    free(h);
    /* trailers share the head's room */
    char *big = malloc(60000);
    size_t at = (size_t)snprintf(big, 60000, "POST /");
    memset(big + at, 't', 16000);
    at += 16000;
    at += (size_t)snprintf(big + at, 60000 - at, " HTTP/1.1\r\nX-A: ");
    memset(big + at, 'v', 20000);
    at += 20000;
    at += (size_t)snprintf(big + at, 60000 - at,
                           "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: ");
    size_t trailer_at = at;
    struct framing_stream fs;
    enum framing_verdict v;
    for (size_t t = 0; t < 2; t++) {
        size_t tl = t ? 20000 : 5000;
        at = trailer_at;
        memset(big + at, 'w', tl);
        at += tl;
        memcpy(big + at, "\r\n\r\n", 4);
        at += 4;
        framing_stream_init(&fs);
        size_t taken = framing_stream_walk(&fs, big, at, &v, &reason);
        CU_ASSERT_EQUAL(v, t ? FRAMING_FIELDS_TOO_LARGE : FRAMING_OK);
        CU_ASSERT_EQUAL(taken, t ? trailer_at - 5 : at); /* refused at the trailer section */
    }
    free(big);
}

static void test_scan_request(void)
{
    static const char get[] = "\r\n\nGET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b";
    struct framing_head h = { 99, true, 99, 99 };
    const char *reason = NULL;
    CU_ASSERT_EQUAL(framing_scan_request(get, sizeof(get) - 1, &h, &reason), FRAMING_OK);
    CU_ASSERT_EQUAL(h.length, sizeof(get) - 1 - strlen("GET /b")); /* the empty lines count */
    CU_ASSERT_FALSE(h.chunked);
    CU_ASSERT_EQUAL(h.body_length, 0);
    static const char post[] = "POST / HTTP/1.1\nContent-Length: 12345678901\nHost: a\n\n{";
    CU_ASSERT_EQUAL(framing_scan_request(post, sizeof(post) - 1, &h, &reason), FRAMING_OK);
    CU_ASSERT_EQUAL(h.length, sizeof(post) - 2);
    CU_ASSERT_FALSE(h.chunked);
    CU_ASSERT_EQUAL(h.body_length, 12345678901u);
    static const char chunked[] = "POST / HTTP/1.1\r\ntransfer-encoding: Chunked\r\n\r\n0\r\n\r\n";
    CU_ASSERT_EQUAL(framing_scan_request(chunked, sizeof(chunked) - 1, &h, &reason), FRAMING_OK);
    CU_ASSERT_EQUAL(h.length, sizeof(chunked) - 1 - 5);
    CU_ASSERT_TRUE(h.chunked);
    CU_ASSERT_EQUAL(h.body_length, 0);
    static const char zero[] = "PUT / HTTP/1.1\r\nContent-Length: 0\r\n\r\n";
    CU_ASSERT_EQUAL(framing_scan_request(zero, sizeof(zero) - 1, &h, &reason), FRAMING_OK);
    CU_ASSERT_EQUAL(h.length, sizeof(zero) - 1);
    CU_ASSERT_EQUAL(h.body_length, 0);
    /* a head not yet whole, and none at all */
    CU_ASSERT_EQUAL(framing_scan_request(post, sizeof(post) - 3, &h, &reason), FRAMING_MORE);
    CU_ASSERT_EQUAL(framing_scan_request(get, 3, &h, &reason), FRAMING_MORE);
    CU_ASSERT_EQUAL(framing_scan_request(get, 0, &h, &reason), FRAMING_MORE);
}

/* ---- framing_stream_walk ---- */

/* Good requests, each whole; a stream is any sequence of them. */
#define GET_A        "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
#define POST_CL      "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhe\r\nl"
#define CHUNKED_HEAD "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
#define CHUNKED                                                                            \
    CHUNKED_HEAD "4;name=value\r\nwiki\r\n5; a=\"b c\"\r\npedia\r\nA\r\n0123\r\n\n789\r\n" \
                 "0;last\r\nX-Trailer: t\r\nX-Other:\tu v\r\n\r\n"
#define LF_ONLY    "\r\nPUT /d HTTP/1.1\nHost: a\nContent-Length: 2\n\nok"
#define LF_CHUNKED "POST /e HTTP/1.1\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n"
#define STREAM     GET_A POST_CL CHUNKED LF_ONLY LF_CHUNKED GET_A

struct walked {
    size_t taken;
    enum framing_verdict v;
    const char *reason;
    struct framing_stream s;
};

/* Bytes arriving in two reads, the first ending at cut, walked as the
 * contract says: after MORE the untaken bytes are offered again in front
 * of the next ones; after a refusal the walk stops. */
static struct walked walk_two(const char *buf, size_t len, size_t cut)
{
    struct walked w = { 0, FRAMING_OK, NULL, { 0, 0, 0 } };
    framing_stream_init(&w.s);
    w.taken = framing_stream_walk(&w.s, buf, cut, &w.v, &w.reason);
    if (w.v != FRAMING_OK && w.v != FRAMING_MORE)
        return w;
    CU_ASSERT(w.v == FRAMING_OK ? w.taken == cut : w.taken < cut);
    w.taken += framing_stream_walk(&w.s, buf + w.taken, len - w.taken, &w.v, &w.reason);
    return w;
}

/* The same, step bytes a read. */
static struct walked walk_steps(const char *buf, size_t len, size_t step)
{
    struct walked w = { 0, FRAMING_OK, NULL, { 0, 0, 0 } };
    framing_stream_init(&w.s);
    for (size_t have = 0; have < len && (w.v == FRAMING_OK || w.v == FRAMING_MORE);) {
        have = len - have < step ? len : have + step;
        w.taken += framing_stream_walk(&w.s, buf + w.taken, have - w.taken, &w.v, &w.reason);
        CU_ASSERT(w.v != FRAMING_MORE || have - w.taken <= FRAMING_HEAD_MAX);
    }
    return w;
}

static bool same(const struct walked *a, const struct walked *b)
{
    bool refused = a->v != FRAMING_OK && a->v != FRAMING_MORE;
    return a->taken == b->taken && a->v == b->v && a->s.phase == b->s.phase &&
           a->s.left == b->s.left &&
           (!refused || (b->reason != NULL && strcmp(a->reason, b->reason) == 0));
}

/* buf[0..len) walked in one call: taken bytes, verdict v and its reason
 * (NULL for OK and MORE); and in two reads cut at every point (every
 * 331st for long inputs) and in reads of 1 and 64 bytes, to the same end. */
static struct walked expect_walk(const char *buf, size_t len, size_t taken, enum framing_verdict v,
                                 const char *reason)
{
    struct walked one = walk_two(buf, len, len);
    CU_ASSERT_EQUAL(one.taken, taken);
    CU_ASSERT_EQUAL(one.v, v);
    if (reason != NULL)
        CU_ASSERT_STRING_EQUAL(one.reason != NULL ? one.reason : "(none)", reason);
    size_t stride = len < 8192 ? 1 : 331, bad = 0;
    for (size_t cut = 0; cut <= len; cut += stride) {
        struct walked two = walk_two(buf, len, cut);
        if (!same(&one, &two) && bad++ == 0)
            fprintf(stderr, "\n  cut at %zu: taken %zu verdict %d, not %zu %d\n", cut, two.taken,
                    (int)two.v, one.taken, (int)one.v);
    }
    CU_ASSERT_EQUAL(bad, 0);
    struct walked steps = walk_steps(buf, len, 64);
    CU_ASSERT_TRUE(same(&one, &steps));
    if (len < 8192) {
        steps = walk_steps(buf, len, 1);
        CU_ASSERT_TRUE(same(&one, &steps));
    }
    return one;
}

#define EXPECT_WALK(lit, taken, v, reason) expect_walk(lit, sizeof(lit) - 1, taken, v, reason)
/* A literal whose refusal starts where the literal prefix ends. */
#define EXPECT_REFUSED(prefix, rest, v, reason) \
    EXPECT_WALK(prefix rest, sizeof(prefix) - 1, v, reason)

static void test_walk_good(void)
{
    struct framing_stream fresh;
    framing_stream_init(&fresh);
    struct walked w = EXPECT_WALK(STREAM, sizeof(STREAM) - 1, FRAMING_OK, NULL);
    CU_ASSERT_EQUAL(w.s.phase, fresh.phase);
    CU_ASSERT_EQUAL(w.s.left, 0);
    /* body bytes are taken as they come, and never judged */
    static const char body[] = GET_A "POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\n\0\r\n\x16";
    w = EXPECT_WALK(body, sizeof(body) - 1, FRAMING_OK, NULL);
    CU_ASSERT_NOT_EQUAL(w.s.phase, fresh.phase);
    CU_ASSERT_EQUAL(w.s.left, 5);
    w = EXPECT_WALK(CHUNKED_HEAD "10\r\n0123456789", sizeof(CHUNKED_HEAD) - 1 + 14, FRAMING_OK,
                    NULL);
    CU_ASSERT_EQUAL(w.s.left, 6);
    /* 63 bits of chunk size, leading zeros */
    w = EXPECT_WALK(CHUNKED_HEAD "7fffffffffffffff\r\nab", sizeof(CHUNKED_HEAD) - 1 + 20,
                    FRAMING_OK, NULL);
    CU_ASSERT_EQUAL(w.s.left, UINT64_C(0x7fffffffffffffff) - 2);
    w = EXPECT_WALK(CHUNKED_HEAD "00000000000000000000001\r\n", sizeof(CHUNKED_HEAD) - 1 + 25,
                    FRAMING_OK, NULL);
    CU_ASSERT_EQUAL(w.s.left, 1);
}

/* Incomplete units: MORE at their first byte, whole units before taken. */
static void test_walk_more(void)
{
    EXPECT_WALK(GET_A "GET /b HTTP/1.1\r\nHost", sizeof(GET_A) - 1, FRAMING_MORE, NULL);
    EXPECT_WALK(GET_A "\r", sizeof(GET_A) - 1, FRAMING_MORE, NULL);
    EXPECT_WALK(CHUNKED_HEAD "4;na", sizeof(CHUNKED_HEAD) - 1, FRAMING_MORE, NULL);
    EXPECT_WALK(CHUNKED_HEAD "4\r", sizeof(CHUNKED_HEAD) - 1, FRAMING_MORE, NULL);
    EXPECT_WALK(CHUNKED_HEAD "4\r\nwiki\r", sizeof(CHUNKED_HEAD) - 1 + 7, FRAMING_MORE, NULL);
    EXPECT_WALK(CHUNKED_HEAD "0\r\nX-T: a\r\n", sizeof(CHUNKED_HEAD) - 1 + 3, FRAMING_MORE, NULL);
    EXPECT_WALK(CHUNKED_HEAD "0\r\n\r", sizeof(CHUNKED_HEAD) - 1 + 3, FRAMING_MORE, NULL);
}

/* The second request's head refused at its first byte. */
static void test_walk_bad_head(void)
{
    EXPECT_REFUSED(GET_A, "GET /x HTTP/1.1\r\nX-A: a\0b\r\n\r\n", FRAMING_BAD,
                   "InvalidHeaderValue");
    EXPECT_REFUSED(GET_A POST_CL, "GET /x\0 HTTP/1.1\r\n\r\n", FRAMING_BAD, "InvalidRequestTarget");
    EXPECT_REFUSED(GET_A, "GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n", FRAMING_BAD,
                   "ObsoleteLineFolding");
    EXPECT_REFUSED(GET_A, "GET / HTTP/1.1\r\n: v\r\n\r\n", FRAMING_BAD, "InvalidHeaderName");
    EXPECT_REFUSED(GET_A CHUNKED,
                   "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
                   FRAMING_BAD, "ContentLengthWithTransferEncoding");
    EXPECT_REFUSED(GET_A, "GET / HTTP/1.1\r\nHost : a\r\n\r\n", FRAMING_BAD,
                   "WhitespaceBeforeColon");
    EXPECT_REFUSED(LF_ONLY, "GET / HTTP/1.1\nHost\t: a\n\n", FRAMING_BAD, "WhitespaceBeforeColon");
    /* a body shorter than its Content-Length swallows the next head */
    EXPECT_REFUSED("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nab", "{}" GET_A, FRAMING_BAD,
                   "MalformedRequestLine");
    EXPECT_REFUSED(GET_A, "\x16\x03\x01\x00", FRAMING_BAD, "MalformedRequestLine");
}

static void test_walk_bad_chunk(void)
{
    EXPECT_REFUSED(GET_A CHUNKED_HEAD, "zz\r\n", FRAMING_BAD, "InvalidChunkSize");
    EXPECT_REFUSED(GET_A CHUNKED_HEAD "4\r\nwiki\r\n", "\r\nwiki\r\n0\r\n\r\n", FRAMING_BAD,
                   "InvalidChunkSize");
    EXPECT_REFUSED(CHUNKED_HEAD, "4x\r\n", FRAMING_BAD, "InvalidChunkSize");
    /* whitespace after the size, even before ";": libmicrohttpd's own page */
    EXPECT_REFUSED(CHUNKED_HEAD, "4 ;a\r\n", FRAMING_BAD, "InvalidChunkSize");
    EXPECT_REFUSED(CHUNKED_HEAD, "4 \r\n", FRAMING_BAD, "InvalidChunkSize");
    EXPECT_REFUSED(CHUNKED_HEAD, "-4\r\n", FRAMING_BAD, "InvalidChunkSize");
    EXPECT_REFUSED(CHUNKED_HEAD "1\r\na\r\n", "10000000000000000\r\n", FRAMING_BAD,
                   "InvalidChunkSize");
    EXPECT_REFUSED(CHUNKED_HEAD, "ffffffffffffffff\r\n", FRAMING_BAD, "InvalidChunkSize");
    EXPECT_REFUSED(CHUNKED_HEAD, "8000000000000000\r\n", FRAMING_BAD, "InvalidChunkSize");
    EXPECT_REFUSED(CHUNKED_HEAD, "4;a\x01\r\n", FRAMING_BAD, "InvalidChunkExtension");
    /* whitespace before an extension: RFC 9112's BWS, which libmicrohttpd
     * cannot parse (it would answer with its own HTML page) */
    EXPECT_REFUSED(GET_A CHUNKED_HEAD, "4 ;a=b\r\n", FRAMING_BAD, "InvalidChunkSize");
    EXPECT_REFUSED(CHUNKED_HEAD, "4\t;a\r\n", FRAMING_BAD, "InvalidChunkSize");
    EXPECT_REFUSED(CHUNKED_HEAD, "4\rwiki", FRAMING_BAD, "BareCarriageReturn");
    /* data not followed by a line end */
    EXPECT_REFUSED(GET_A CHUNKED_HEAD "3\r\nabc", "d\r\n0\r\n\r\n", FRAMING_BAD, "InvalidChunkEnd");
    EXPECT_REFUSED(CHUNKED_HEAD "3\r\nabc", "\rd", FRAMING_BAD, "BareCarriageReturn");
    /* trailers: fields as in a head */
    EXPECT_REFUSED(GET_A CHUNKED_HEAD "0\r\n", "X-T: a\x01z\r\n\r\n", FRAMING_BAD,
                   "InvalidHeaderValue");
    EXPECT_REFUSED(CHUNKED_HEAD "0\r\n", "X-T: a\r\n b\r\n\r\n", FRAMING_BAD,
                   "ObsoleteLineFolding");
    EXPECT_REFUSED(CHUNKED_HEAD "0\r\n", "X T: a\r\n\r\n", FRAMING_BAD, "WhitespaceBeforeColon");
    EXPECT_REFUSED(CHUNKED_HEAD "0\r\n", "no colon\r\n\r\n", FRAMING_BAD, "WhitespaceBeforeColon");
}

/* A growing buffer of test bytes. */
struct bytes {
    char *p;
    size_t n;
};

static void put(struct bytes *b, const char *s, size_t n)
{
    b->p = realloc(b->p, b->n + n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void fill(struct bytes *b, char c, size_t n)
{
    b->p = realloc(b->p, b->n + n);
    memset(b->p + b->n, c, n);
    b->n += n;
}

#define PUT(b, lit) put(b, lit, sizeof(lit) - 1)

/* A chunk line of line bytes (size 1, extension) in a stream after
 * GET_A CHUNKED_HEAD, and the chunk it starts. */
static void chunk_line_of(struct bytes *b, size_t line)
{
    b->n = 0;
    PUT(b, GET_A CHUNKED_HEAD "1;");
    fill(b, 'e', line - 2);
    PUT(b, "\r\nx\r\n0\r\n\r\n");
}

/* One trailer field of field bytes as counted ("name: value\r\n"). */
static void trailer_of(struct bytes *b, size_t field)
{
    b->n = 0;
    PUT(b, GET_A CHUNKED_HEAD "0\r\nX-T: ");
    fill(b, 'b', field - 7);
    PUT(b, "\r\n\r\n" GET_A);
}

/* A second head whose target has target bytes. */
static void target_of(struct bytes *b, size_t target)
{
    b->n = 0;
    PUT(b, GET_A "GET /");
    fill(b, 'a', target - 1);
    PUT(b, " HTTP/1.1\r\nHost: a\r\n\r\n");
}

static void test_walk_limits(void)
{
    struct bytes b = { NULL, 0 };
    const size_t at_chunk = sizeof(GET_A CHUNKED_HEAD) - 1, at_head = sizeof(GET_A) - 1;
    chunk_line_of(&b, FRAMING_CHUNK_LINE_MAX);
    expect_walk(b.p, b.n, b.n, FRAMING_OK, NULL);
    chunk_line_of(&b, FRAMING_CHUNK_LINE_MAX + 1);
    expect_walk(b.p, b.n, at_chunk, FRAMING_BAD, "ChunkLineTooLong");
    trailer_of(&b, APIM_MAX_REQUEST_FIELD_BYTES);
    expect_walk(b.p, b.n, b.n, FRAMING_OK, NULL);
    trailer_of(&b, APIM_MAX_REQUEST_FIELD_BYTES + 1);
    expect_walk(b.p, b.n, at_chunk + 3, FRAMING_FIELDS_TOO_LARGE, "HeaderFieldsTooLarge");
    /* an endless trailer line: refused once it cannot fit */
    b.n = 0;
    PUT(&b, CHUNKED_HEAD "0\r\nX-T: ");
    fill(&b, 'b', APIM_MAX_REQUEST_FIELD_BYTES);
    expect_walk(b.p, b.n, sizeof(CHUNKED_HEAD) + 2, FRAMING_FIELDS_TOO_LARGE,
                "HeaderFieldsTooLarge");
    target_of(&b, APIM_MAX_REQUEST_TARGET);
    expect_walk(b.p, b.n, b.n, FRAMING_OK, NULL);
    target_of(&b, APIM_MAX_REQUEST_TARGET + 1);
    expect_walk(b.p, b.n, at_head, FRAMING_URI_TOO_LONG, "UriTooLong");
    free(b.p);
}

static CU_TestInfo tests[] = {
    { "framing_status", test_status },
    { "HTTP version", test_version },
    { "libmicrohttpd's memory: cookies, trailers", test_head_memory },
    { "framing_check_target", test_target },
    { "framing_fields", test_fields },
    { "framing_scan_head: good heads and their prefixes", test_scan_good },
    { "framing_scan_head: refused heads", test_scan_bad },
    { "framing_scan_head: limits", test_scan_limits },
    { "framing_scan_head: raw field section limit", test_scan_raw_fields },
    { "framing_scan_request: length and body framing", test_scan_request },
    { "framing_stream_walk: good streams, every split", test_walk_good },
    { "framing_stream_walk: incomplete units", test_walk_more },
    { "framing_stream_walk: refused heads", test_walk_bad_head },
    { "framing_stream_walk: refused chunks and trailers", test_walk_bad_chunk },
    { "framing_stream_walk: limits", test_walk_limits },
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
