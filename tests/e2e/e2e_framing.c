/* e2e_framing.c - hostile request framing and header syntax on raw sockets
 * (issue 11 items 2, 3, 4, 6; docs/gateway.md "Framing and headers"): each
 * form gets exactly one answer with API Management's JSON body, the
 * connection is closed cleanly (no reset), and the backend sees nothing.
 * Each form is sent as the first request of a connection (checked on the raw
 * bytes before libmicrohttpd gets the socket, runtime/intake.c) and as a
 * later one on a kept-alive connection, pipelined behind a good request or
 * sent after its answer (checked on the raw bytes before libmicrohttpd
 * parses them, runtime/reqguard.c).
 *
 *   e2e_framing APIM ECHO_BACKEND SOURCE_ROOT
 */
#include <CUnit/Basic.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../unit/cunit_run.h"
#include "harness.h"

static struct h_backend backend;
static struct h_gateway gw;
static int port;

static const char body_400[] = "{ \"statusCode\": 400, \"message\": \"Bad request\" }";
static const char body_414[] = "{ \"statusCode\": 414, \"message\": \"Request URI too long\" }";
static const char body_505[] =
    "{ \"statusCode\": 505, \"message\": \"HTTP version not supported\" }";
static const char body_431[] =
    "{ \"statusCode\": 431, \"message\": \"Request header fields too large\" }";

#define GOOD "GET /free/x HTTP/1.1\r\nHost: a\r\n\r\n"

/* ---- helpers ---- */

/* Answers in a raw reply: status lines at the start or after a line end. */
static int count_answers(const char *a)
{
    int n = strncmp(a, "HTTP/1.", 7) == 0;
    for (const char *p = a; (p = strstr(p, "\nHTTP/1.")) != NULL; p++)
        n++;
    return n;
}

/* The last answer's status and body. */
static int last_status(const char *a, const char **body)
{
    const char *last = a, *p = a;
    while ((p = strstr(p + 1, "\nHTTP/1.")) != NULL)
        last = p + 1;
    const char *end = strstr(last, "\r\n\r\n");
    *body = end ? end + 4 : "";
    return strncmp(last, "HTTP/1.", 7) == 0 ? (int)strtol(last + 9, NULL, 10) : 0;
}

struct expect {
    int answers, status;
    const char *body;
    long backend; /* requests the backend must receive */
};

/* Sends req (len bytes) on a new connection; checks the answers, the last
 * one's status and exact body, a clean close, and the backend's count. */
static void check(const char *name, const char *req, size_t len, struct expect e)
{
    long before = h_backend_requests(&backend);
    struct buf ans;
    buf_init(&ans, 4u << 20);
    long long t0 = h_now_ms();
    enum h_raw_end how = h_raw_how(port, req, len, &ans, 3000);
    long long ms = h_now_ms() - t0;
    const char *body;
    int status = last_status(ans.data, &body);
    long got = h_backend_requests(&backend) - before;
    bool ok = count_answers(ans.data) == e.answers && status == e.status &&
              strcmp(body, e.body) == 0 && how == H_RAW_CLOSED && got == e.backend && ms < 1000;
    if (!ok)
        fprintf(stderr, "%s: %d answer(s), status %d, end %d after %lld ms, backend +%ld: %.300s\n",
                name, count_answers(ans.data), status, (int)how, ms, got, ans.data);
    CU_ASSERT_EQUAL(count_answers(ans.data), e.answers);
    CU_ASSERT_EQUAL(status, e.status);
    CU_ASSERT_STRING_EQUAL(body, e.body);
    CU_ASSERT_EQUAL(how, H_RAW_CLOSED); /* closed at once, and not reset */
    CU_ASSERT_TRUE(ms < 1000);
    CU_ASSERT_EQUAL(got, e.backend);
    buf_release(&ans);
}

/* Sends GOOD, reads its whole answer, then sends req on the same
 * connection: the second answer, a clean close, the backend's count. */
static void check_after_answer(const char *name, const char *req, size_t len, int status,
                               const char *body)
{
    long before = h_backend_requests(&backend);
    int fd = h_connect(port);
    CU_ASSERT_FATAL(fd >= 0);
    struct buf ans;
    buf_init(&ans, 4u << 20);
    CU_ASSERT(send(fd, GOOD, sizeof(GOOD) - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof(GOOD) - 1));
    char chunk[65536];
    size_t first = 0;
    long long deadline = h_now_ms() + 3000;
    static const char served[] = "\"path\": \"/x\"";
    while (!memmem(chunk, first, served, sizeof(served) - 1) && h_now_ms() < deadline) {
        struct pollfd p = { fd, POLLIN, 0 };
        ssize_t got = poll(&p, 1, 50) > 0 ? read(fd, chunk + first, sizeof(chunk) - first) : 0;
        if (got < 0)
            break;
        first += (size_t)got;
    }
    CU_ASSERT_PTR_NOT_NULL(memmem(chunk, first, served, sizeof(served) - 1)); /* answered */
    CU_ASSERT_EQUAL(h_backend_requests(&backend) - before, 1);
    CU_ASSERT_FATAL(buf_append(&ans, chunk, first) == 0);
    (void)send(fd, req, len, MSG_NOSIGNAL);
    enum h_raw_end how = H_RAW_OPEN;
    while (h_now_ms() < deadline + 1000) {
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, 50) <= 0)
            continue;
        ssize_t got = read(fd, chunk, sizeof(chunk));
        if (got <= 0) {
            how = got == 0 ? H_RAW_CLOSED : H_RAW_RESET;
            break;
        }
        CU_ASSERT_FATAL(buf_append(&ans, chunk, (size_t)got) == 0);
    }
    close(fd);
    CU_ASSERT_FATAL(buf_append(&ans, "", 1) == 0);
    const char *second = ans.data + first, *got_body;
    int got_status = last_status(second, &got_body);
    bool ok = count_answers(second) == 1 && got_status == status && strcmp(got_body, body) == 0 &&
              how == H_RAW_CLOSED && h_backend_requests(&backend) - before == 1;
    if (!ok)
        fprintf(stderr, "%s (after an answer): status %d, end %d: %.300s\n", name, got_status,
                (int)how, second);
    CU_ASSERT_EQUAL(count_answers(second), 1);
    CU_ASSERT_EQUAL(got_status, status);
    CU_ASSERT_STRING_EQUAL(got_body, body);
    CU_ASSERT_EQUAL(how, H_RAW_CLOSED);
    CU_ASSERT_EQUAL(h_backend_requests(&backend) - before, 1);
    buf_release(&ans);
}

/* A refused first request; the same pipelined behind a good one (both
 * answered, in order); and the same sent after the good one's answer. */
static void refused(const char *name, const char *req, size_t len, int status, const char *body)
{
    check(name, req, len, (struct expect){ 1, status, body, 0 });
    char *two = malloc(sizeof(GOOD) - 1 + len);
    memcpy(two, GOOD, sizeof(GOOD) - 1);
    memcpy(two + sizeof(GOOD) - 1, req, len);
    check(name, two, sizeof(GOOD) - 1 + len, (struct expect){ 2, status, body, 1 });
    free(two);
    check_after_answer(name, req, len, status, body);
}

#define REFUSED_BYTES(lit, status, body) refused(#lit, lit, sizeof(lit) - 1, status, body)

#define REFUSED(lit, status, body) refused(lit, lit, sizeof(lit) - 1, status, body)

/* ---- the cases ---- */

/* An access-log line with the error ctx and status 400. */
static bool logged_400(void *ctx)
{
    struct buf b;
    buf_init(&b, 64u << 20);
    bool found = false;
    if (h_state_file(&gw, "access.log", &b) == 0)
        for (char *line = b.data, *end; line && *line && !found; line = end ? end + 1 : NULL) {
            if ((end = strchr(line, '\n')) != NULL)
                *end = '\0';
            found = strstr(line, ctx) && strstr(line, "\"status\":400,");
        }
    buf_release(&b);
    return found;
}

/* Item 2: RFC 9112 6.1-6.3. The bodies would be read as a second request. */
static void test_smuggling(void)
{
    long long before = h_metric(&gw, "apim_client_refused_total");
    REFUSED("POST /free/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
            "Transfer-Encoding: chunked\r\n\r\n",
            400, body_400);
    /* counted, each of the three times (not logged: a flood would fill the log) */
    CU_ASSERT_EQUAL(h_metric(&gw, "apim_client_refused_total") - before, 3);
    REFUSED("POST /free/x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 40\r\n\r\n",
            400, body_400);
    REFUSED("POST /free/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n", 400,
            body_400);
    REFUSED("POST /free/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400, body_400);
    REFUSED("POST /free/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
            "Transfer-Encoding: chunked\r\n\r\n",
            400, body_400);
    /* libmicrohttpd would answer this with its own HTML page */
    REFUSED("POST /free/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", 400, body_400);
    /* the smuggled request behind CL+TE never reaches the backend */
    static const char smuggle[] = "POST /free/x HTTP/1.1\r\nHost: a\r\nContent-Length: 45\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                                  "GET /free/smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
    check("smuggle", smuggle, sizeof(smuggle) - 1, (struct expect){ 1, 400, body_400, 0 });
}

/* Item 3: RFC 9110 5.1, 5.5; RFC 9112 3.2, 5.1, 5.2. */
static void test_headers(void)
{
    REFUSED("GET /free/x HTTP/1.1\r\nHost: a\r\nX-A: foo\rX-Injected: bar\r\n\r\n", 400, body_400);
    REFUSED("GET /free/x HTTP/1.1\r\nHost: a\r\nX-A: foo\x01"
            "bar\r\n\r\n",
            400, body_400);
    REFUSED("GET /free/x HTTP/1.1\r\nHost: a\r\nX-A: foo\x7f\r\n\r\n", 400, body_400);
    REFUSED("POST /free/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n", 400,
            body_400);
    REFUSED("GET /free/x HTTP/1.1\r\nHost: a\r\nX(A): v\r\n\r\n", 400, body_400);
    REFUSED("GET /free/a%20b\x01 HTTP/1.1\r\nHost: a\r\n\r\n", 400, body_400);
    REFUSED("GET /free/a\rb HTTP/1.1\r\nHost: a\r\n\r\n", 400, body_400);
    REFUSED("GET /free/a b HTTP/1.1\r\nHost: a\r\n\r\n", 400, body_400);
    /* What libmicrohttpd's parser would hide (it cuts at the NUL, glues the
     * fold to the name, ends the block at ": v"), on every request. */
    REFUSED_BYTES("GET /free/x HTTP/1.1\r\nHost: a\r\nX-A: foo\0bar\r\n\r\n", 400, body_400);
    REFUSED_BYTES("GET /free/a\0b HTTP/1.1\r\nHost: a\r\n\r\n", 400, body_400);
    REFUSED("GET /free/x HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n", 400, body_400);
    REFUSED("GET /free/x HTTP/1.1\r\nHost: a\r\n: v\r\nX-B: c\r\n\r\n", 400, body_400);
}

/* A request whose target is about target bytes, with nfields fields of
 * about size bytes each. */
static char *big_request(size_t target, size_t nfields, size_t size, size_t *len)
{
    size_t cap = target + nfields * (size + 32) + 64;
    char *r = malloc(cap);
    size_t n = (size_t)snprintf(r, cap, "GET /free/");
    memset(r + n, 'a', target);
    n += target;
    n += (size_t)snprintf(r + n, cap - n, " HTTP/1.1\r\nHost: a\r\n");
    for (size_t i = 0; i < nfields; i++) {
        n += (size_t)snprintf(r + n, cap - n, "X-%zu: ", i);
        memset(r + n, 'v', size);
        n += size;
        memcpy(r + n, "\r\n", 2);
        n += 2;
    }
    memcpy(r + n, "\r\n", 2);
    *len = n + 2;
    return r;
}

/* Item 4: 414 and 431 with API Management's body, and a clean close. */
static void test_too_big(void)
{
    size_t len;
    char *r = big_request(40000, 0, 0, &len); /* past libmicrohttpd's memory too */
    refused("40 KB target", r, len, 414, body_414);
    free(r);
    r = big_request(17000, 0, 0, &len);
    refused("17 KB target", r, len, 414, body_414);
    free(r);
    r = big_request(10, 2000, 10, &len);
    refused("2000 fields", r, len, 431, body_431);
    free(r);
    r = big_request(10, 150, 10, &len);
    refused("150 fields", r, len, 431, body_431);
    free(r);
    r = big_request(10, 1, 40000, &len);
    refused("a 40 KB field", r, len, 431, body_431);
    free(r);
    r = big_request(10, 2, 13000, &len);
    refused("26 KB of fields", r, len, 431, body_431);
    free(r);
}

/* "GET /free/<target> HTTP/1.1" with a Cookie of n cookies, or of one
 * value bytes long when n is 0. */
static char *cookie_request(size_t target, size_t n, size_t value, size_t *len)
{
    size_t cap = target + n * 10 + value + 128;
    char *r = malloc(cap);
    size_t at = (size_t)snprintf(r, cap, "GET /free/");
    memset(r + at, 'a', target);
    at += target;
    at += (size_t)snprintf(r + at, cap - at, " HTTP/1.1\r\nHost: a\r\nCookie: ");
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(r + at, cap - at, "%sc%04zu=1", i ? "; " : "", i);
    if (n == 0) {
        memset(r + at, 'v', value);
        at += value;
    }
    at += (size_t)snprintf(r + at, cap - at, "\r\n\r\n");
    *len = at;
    return r;
}

/* libmicrohttpd copies the Cookie field and keeps a record per cookie, and
 * parses trailers beside the head: past its memory it answered its HTML 431
 * or closed without an answer. */
static void test_head_memory(void)
{
    size_t len;
    char *r = cookie_request(10, 2500, 0, &len); /* 22 KB: within the field limit */
    refused("2500 cookies", r, len, 431, body_431);
    free(r);
    r = cookie_request(16000, 0, 20000, &len);
    refused("a 16 KB target and a 20 KB cookie", r, len, 431, body_431);
    free(r);
    r = cookie_request(16000, 300, 0, &len); /* fits: served */
    struct buf ans;
    buf_init(&ans, 1u << 20);
    CU_ASSERT_EQUAL(h_raw_how(port, r, len, &ans, 1500), H_RAW_OPEN);
    CU_ASSERT_TRUE(strncmp(ans.data, "HTTP/1.1 200 ", 13) == 0);
    buf_release(&ans);
    free(r);
    /* trailers after a big head */
    size_t cap = 80000, at;
    char *t = malloc(cap);
    at = (size_t)snprintf(t, cap, "POST /free/");
    memset(t + at, 'a', 16000);
    at += 16000;
    at += (size_t)snprintf(t + at, cap - at, " HTTP/1.1\r\nHost: a\r\nX-A: ");
    memset(t + at, 'v', 20000);
    at += 20000;
    at += (size_t)snprintf(t + at, cap - at,
                           "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: ");
    memset(t + at, 'w', 20000);
    at += 20000;
    at += (size_t)snprintf(t + at, cap - at, "\r\n\r\n");
    buf_init(&ans, 1u << 20);
    CU_ASSERT_EQUAL(h_raw_how(port, t, at, &ans, 1500), H_RAW_CLOSED);
    CU_ASSERT_EQUAL(count_answers(ans.data), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data, body_431));
    buf_release(&ans);
    free(t);
}

/* Item 6: bytes that are not HTTP get 400 and the close at once. */
static void test_garbage(void)
{
    /* another HTTP major version: 505 (libmicrohttpd's page otherwise) */
    REFUSED("GET /free/x HTTP/2.0\r\nHost: a\r\n\r\n", 505, body_505);
    REFUSED("GET /free/x HTTP/0.9\r\n\r\n", 505, body_505);
    static const char hello[] = "\x16\x03\x01\x00\xf4\x01\x00\x00\xf0\x03\x03"
                                "0123456789abcdef0123456789abcdef";
    check("TLS ClientHello", hello, sizeof(hello) - 1, (struct expect){ 1, 400, body_400, 0 });
    static const char binary[] = "\x00\x01\x02\x03";
    check("binary", binary, sizeof(binary) - 1, (struct expect){ 1, 400, body_400, 0 });
    static const char ssh[] = "SSH-2.0-OpenSSH_9.2\r\n";
    check("SSH banner", ssh, sizeof(ssh) - 1, (struct expect){ 1, 400, body_400, 0 });
}

/* Two good requests on one connection: two answers, the connection kept. */
static void test_pipelined(void)
{
    static const char two[] = "GET /free/one HTTP/1.1\r\nHost: a\r\n\r\n"
                              "POST /free/two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";
    long before = h_backend_requests(&backend);
    struct buf ans;
    buf_init(&ans, 1u << 20);
    enum h_raw_end how = h_raw_how(port, two, sizeof(two) - 1, &ans, 1500);
    CU_ASSERT_EQUAL(how, H_RAW_OPEN);
    CU_ASSERT_EQUAL(count_answers(ans.data), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data, "\"path\": \"/one\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data, "\"path\": \"/two\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data, "\"body\": \"abc\""));
    CU_ASSERT_EQUAL(h_backend_requests(&backend) - before, 2);
    buf_release(&ans);
    /* a chunked body is still taken */
    static const char chunked[] =
        "POST /free/c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
        "\r\n3\r\nabc\r\n0\r\n\r\n";
    buf_init(&ans, 1u << 20);
    CU_ASSERT_EQUAL(h_raw_how(port, chunked, sizeof(chunked) - 1, &ans, 1500), H_RAW_OPEN);
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data, "\"body\": \"abc\""));
    buf_release(&ans);
}

/* Sends the pieces with a pause after each, then reads for up to 1.5 s. */
static void send_in_pieces(const char *const *pieces, size_t n, struct buf *ans)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    CU_ASSERT_FATAL(fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT(send(fd, pieces[i], strlen(pieces[i]), MSG_NOSIGNAL) ==
                  (ssize_t)strlen(pieces[i]));
        usleep(50 * 1000);
    }
    long long deadline = h_now_ms() + 1500;
    char chunk[4096];
    while (h_now_ms() < deadline) {
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, 50) <= 0)
            continue;
        ssize_t got = read(fd, chunk, sizeof(chunk));
        if (got <= 0 || buf_append(ans, chunk, (size_t)got) != 0)
            break;
    }
    CU_ASSERT(buf_append(ans, "", 1) == 0);
    close(fd);
}

/* Sends the pieces; n answers must come, the last one containing want. */
static void check_pieces(const char *const *pieces, size_t n, int answers, const char *want)
{
    struct buf ans;
    buf_init(&ans, 1u << 20);
    send_in_pieces(pieces, n, &ans);
    CU_ASSERT_EQUAL(count_answers(ans.data), answers);
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data, want));
    buf_release(&ans);
}

/* A head that arrives in pieces is judged once it is whole: a good one
 * is served, a bad one refused at its bad byte; a connection's first head
 * (the intake) and a later one (the guard) alike. */
static void test_pieces(void)
{
    const char *good[] = { "GE",     "T /free/pie", "ces HTTP/1.1\r", "\nHost: a\r\nX-A:",
                           " b\r\n", "\r\n" };
    check_pieces(good, 6, 1, "\"path\": \"/pieces\"");
    const char *bad[] = { "GET /free/x HTTP/1.1\r\nHost: a\r\n", "X-A: one\r\n", " two\r\n\r\n" };
    check_pieces(bad, 3, 1, body_400);
    const char *later_good[] = { GOOD "GE", "T /free/pie", "ces HTTP/1.1\r", "\nHost: a\r\n",
                                 "\r\n" };
    check_pieces(later_good, 5, 2, "\"path\": \"/pieces\"");
    const char *later_bad[] = { GOOD "GET /free/x HTTP/1.1\r\nHost: a\r\n", "X-A: one\r\n",
                                " two\r\n\r\n" };
    check_pieces(later_bad, 3, 2, body_400);
}

/* A kept-alive connection's later requests are followed through their
 * bodies: what a body holds is never judged as a head, what follows a body
 * is, and a chunked body's own framing is checked. */
static void test_bodies_then_heads(void)
{
    /* a body that looks like a bad head is a body */
    static const char body_like_head[] =
        "POST /free/one HTTP/1.1\r\nHost: a\r\nContent-Length: 25\r\n\r\n"
        "GET / HTTP/1.1\r\nX: \0v\r\n\r\n"
        "GET /free/two HTTP/1.1\r\nHost: a\r\n\r\n";
    long before = h_backend_requests(&backend);
    struct buf ans;
    buf_init(&ans, 1u << 20);
    CU_ASSERT_EQUAL(h_raw_how(port, body_like_head, sizeof(body_like_head) - 1, &ans, 1500),
                    H_RAW_OPEN);
    CU_ASSERT_EQUAL(count_answers(ans.data), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data, "\"path\": \"/two\""));
    CU_ASSERT_EQUAL(h_backend_requests(&backend) - before, 2);
    buf_release(&ans);
    /* a chunked body with an extension and a trailer, then a good request */
    static const char chunked_then_good[] =
        "POST /free/c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        "3;name=v\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n" GOOD;
    buf_init(&ans, 1u << 20);
    CU_ASSERT_EQUAL(h_raw_how(port, chunked_then_good, sizeof(chunked_then_good) - 1, &ans, 1500),
                    H_RAW_OPEN);
    CU_ASSERT_EQUAL(count_answers(ans.data), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data, "\"body\": \"abc\""));
    buf_release(&ans);
    /* a bad head behind a chunked body: the body's request is answered */
    static const char chunked_then_bad[] =
        "POST /free/c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        "3\r\nabc\r\n0\r\n\r\n"
        "GET /free/x HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n";
    check("fold behind a chunked body", chunked_then_bad, sizeof(chunked_then_bad) - 1,
          (struct expect){ 2, 400, body_400, 1 });
    /* a bad chunk size: the request is cut there and refused */
    static const char bad_chunk[] =
        "POST /free/c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        "3\r\nabc\r\nzz\r\n";
    long long refused_before = h_metric(&gw, "apim_client_refused_total");
    buf_init(&ans, 1u << 20);
    enum h_raw_end how = h_raw_how(port, bad_chunk, sizeof(bad_chunk) - 1, &ans, 1500);
    CU_ASSERT_EQUAL(how, H_RAW_CLOSED);
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data, body_400));
    CU_ASSERT_EQUAL(h_metric(&gw, "apim_client_refused_total") - refused_before, 1);
    buf_release(&ans);
    /* the request whose body was cut is in the access log with its answer */
    CU_ASSERT_TRUE(h_wait(logged_400, "\"error\":\"InvalidChunkSize\"", 3000));
    /* a bad head pipelined behind a request that waits 300 ms for its
     * backend: the slow one is answered first, then the refusal */
    static const char slow_then_bad[] = "GET /free/slow?ms=300 HTTP/1.1\r\nHost: a\r\n\r\n"
                                        "GET /free/x HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n";
    buf_init(&ans, 1u << 20);
    long long t0 = h_now_ms();
    how = h_raw_how(port, slow_then_bad, sizeof(slow_then_bad) - 1, &ans, 2000);
    CU_ASSERT_EQUAL(how, H_RAW_CLOSED);
    CU_ASSERT_TRUE(h_now_ms() - t0 >= 300);
    CU_ASSERT_EQUAL(count_answers(ans.data), 2);
    CU_ASSERT_TRUE(strncmp(ans.data, "HTTP/1.1 200 ", 13) == 0);
    const char *second = strstr(ans.data + 1, "\nHTTP/1.1 ");
    CU_ASSERT_TRUE(second && strncmp(second + 1, "HTTP/1.1 400 ", 13) == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(ans.data, body_400));
    buf_release(&ans);
    /* garbage as a later request */
    REFUSED_BYTES("\x16\x03\x01\x00\xf4\x01\x00\x00\xf0\x03\x03", 400, body_400);
}

/* Big heads within the limits, pipelined: every one is answered (the
 * guard's held buffer filling with one whole head and the start of the
 * next is not an over-long head). */
static void test_big_heads_pipelined(void)
{
    size_t one, big;
    char *r = big_request(10, 90, 250, &one); /* 23 KB of fields */
    char *three = malloc(3 * one);
    for (int i = 0; i < 3; i++)
        memcpy(three + (size_t)i * one, r, one);
    free(r);
    r = big_request(16000, 90, 230, &big); /* a 16 KB target and 21 KB of fields */
    char *two = malloc(2 * big);
    memcpy(two, r, big);
    memcpy(two + big, r, big);
    free(r);

    struct {
        const char *name, *req;
        size_t len;
        int answers;
    } cases[] = { { "three 23 KB heads", three, 3 * one, 3 },
                  { "two 38 KB heads", two, 2 * big, 2 } };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        long before = h_backend_requests(&backend);
        struct buf ans;
        buf_init(&ans, 4u << 20);
        enum h_raw_end how = h_raw_how(port, cases[i].req, cases[i].len, &ans, 2000);
        const char *body;
        int status = last_status(ans.data, &body);
        if (count_answers(ans.data) != cases[i].answers || status != 200)
            fprintf(stderr, "%s: %d answer(s), last %d: %.200s\n", cases[i].name,
                    count_answers(ans.data), status, body);
        CU_ASSERT_EQUAL(how, H_RAW_OPEN);
        CU_ASSERT_EQUAL(count_answers(ans.data), cases[i].answers);
        CU_ASSERT_EQUAL(status, 200);
        CU_ASSERT_EQUAL(h_backend_requests(&backend) - before, cases[i].answers);
        buf_release(&ans);
    }
    free(three);
    free(two);
}

/* Sends req on a new connection: exactly one answer (after the good
 * requests before it), with the status and a JSON body, never
 * libmicrohttpd's HTML page, then a clean close. */
static void check_not_html(const char *name, const char *req, size_t len, int before, int status)
{
    struct buf ans;
    buf_init(&ans, 1u << 20);
    enum h_raw_end how = h_raw_how(port, req, len, &ans, 1500);
    const char *body;
    int got = last_status(ans.data, &body);
    if (got != status || strncmp(body, "{ \"statusCode\": ", 16) != 0)
        fprintf(stderr, "%s: %d answer(s), last %d: %.200s\n", name, count_answers(ans.data), got,
                body);
    CU_ASSERT_EQUAL(count_answers(ans.data), before + 1);
    CU_ASSERT_EQUAL(got, status);
    CU_ASSERT_EQUAL(strncmp(body, "{ \"statusCode\": ", 16), 0);
    CU_ASSERT_PTR_NULL(strstr(ans.data, "<html>"));
    CU_ASSERT_EQUAL(how, H_RAW_CLOSED);
    buf_release(&ans);
}

#define CHUNK_BWS                                                                                  \
    "POST /free/c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3 ;a=b\r\nabc\r\n0\r\n" \
    "\r\n"

/* What the guard passed and libmicrohttpd then answered with its own HTML
 * page: whitespace before a chunk extension (its chunk parser takes none),
 * and a version whose major is not 1 (its 505 page). */
static void test_libmicrohttpd_pages(void)
{
    check_not_html("space before a chunk extension", CHUNK_BWS, sizeof(CHUNK_BWS) - 1, 0, 400);
    check_not_html("space before a chunk extension, later", GOOD CHUNK_BWS,
                   sizeof(GOOD CHUNK_BWS) - 1, 1, 400);
    static const char v2[] = "GET /free/x HTTP/2.0\r\nHost: a\r\n\r\n";
    check_not_html("HTTP/2.0", v2, sizeof(v2) - 1, 0, 505);
    static const char v2_later[] = GOOD "GET /free/x HTTP/2.0\r\nHost: a\r\n\r\n";
    check_not_html("HTTP/2.0, later", v2_later, sizeof(v2_later) - 1, 1, 505);
    static const char v0_later[] = GOOD "GET /free/x HTTP/0.9\r\nHost: a\r\n\r\n";
    check_not_html("HTTP/0.9, later", v0_later, sizeof(v0_later) - 1, 1, 505);
}

/* The admin port's requests are judged the same way, first and later. */
static void test_admin_port(void)
{
    int admin = (int)strtol(strrchr(gw.admin, ':') + 1, NULL, 10);
    static const char status[] = "GET /status HTTP/1.1\r\nHost: a\r\n\r\n";
    static const char fold[] = "GET /status HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n";
    struct buf ans;
    buf_init(&ans, 1u << 20);
    CU_ASSERT_EQUAL(h_raw_how(admin, status, sizeof(status) - 1, &ans, 1000), H_RAW_OPEN);
    CU_ASSERT_TRUE(strncmp(ans.data, "HTTP/1.1 200 ", 13) == 0);
    buf_release(&ans);
    for (int later = 0; later < 2; later++) {
        char two[256];
        int n = snprintf(two, sizeof(two), "%s%s", later ? status : "", fold);
        buf_init(&ans, 1u << 20);
        CU_ASSERT_EQUAL(h_raw_how(admin, two, (size_t)n, &ans, 1000), H_RAW_CLOSED);
        CU_ASSERT_EQUAL(count_answers(ans.data), 1 + later);
        const char *body;
        CU_ASSERT_EQUAL(last_status(ans.data, &body), 400);
        CU_ASSERT_STRING_EQUAL(body, body_400);
        buf_release(&ans);
    }
}

/* ---- the suite ---- */

static int suite_init(void)
{
    if (h_backend_start(&backend) != 0)
        return 1;
    char cfg[512], bu[128], du[128];
    snprintf(cfg, sizeof(cfg), "%s/tests/e2e/configs/scopes.json", h_root());
    snprintf(bu, sizeof(bu), "backendUrl=%s", backend.url);
    snprintf(du, sizeof(du), "deadUrl=http://127.0.0.1:%d", h_dead_port());
    const char *extra[] = { "-p", bu, "-p", du, NULL };
    if (h_gateway_start(&gw, "e2e-framing", cfg, extra) != 0)
        return 1;
    port = (int)strtol(strrchr(gw.url, ':') + 1, NULL, 10);
    return 0;
}

static int suite_cleanup(void)
{
    h_gateway_stop(&gw);
    h_backend_stop(&backend);
    return 0;
}

static CU_TestInfo tests[] = {
    { "item 2: CL+TE, two lengths, other codings: 400 and close", test_smuggling },
    { "item 3: control characters, bad names, fold, bad targets: 400", test_headers },
    { "item 4: long target 414, big header block 431, JSON, clean close", test_too_big },
    { "item 4: what libmicrohttpd's memory cannot hold: 431", test_head_memory },
    { "item 6: garbage gets 400 at once", test_garbage },
    { "good requests pipelined on one connection", test_pipelined },
    { "a head in pieces, first and later", test_pieces },
    { "kept alive: bodies are followed, heads behind them judged", test_bodies_then_heads },
    { "kept alive: big heads pipelined", test_big_heads_pipelined },
    { "never libmicrohttpd's own page", test_libmicrohttpd_pages },
    { "the admin port too", test_admin_port },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "framing", suite_init, suite_cleanup, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: e2e_framing APIM ECHO_BACKEND SOURCE_ROOT\n");
        return 2;
    }
    h_init(argv[1], argv[2], argv[3]);
    return cunit_run(suites);
}
