/* e2e_slow.c - slow and idle clients (issue 11 items 5 and 9), on raw
 * sockets against the real gateway:
 *   - a flood of connections that send their head a byte at a time, near
 *     the connection limit: each gets one 408 and a close at the head
 *     deadline, while normal requests are served meanwhile and after;
 *   - a body that trickles in stays open while it keeps coming (the body
 *     deadline is between two reads), then gets a 408 once it pauses;
 *   - /metrics shows the connections reading a head or a body and counts
 *     the ones closed for each deadline;
 *   - a stop closes half-sent requests at once and waits only for the
 *     requests in flight (a slow backend call completes).
 * Refused requests never reach the backend (its request count).
 *
 *   e2e_slow APIM ECHO_BACKEND SOURCE_ROOT
 */
#include <CUnit/Basic.h>
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
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
static char param_backend[128], param_dead[128], scopes[512];

static int suite_init(void)
{
    if (h_backend_start(&backend) != 0)
        return 1;
    snprintf(param_backend, sizeof(param_backend), "backendUrl=%s", backend.url);
    snprintf(param_dead, sizeof(param_dead), "deadUrl=http://127.0.0.1:%d", h_dead_port());
    snprintf(scopes, sizeof(scopes), "%s/tests/e2e/configs/scopes.json", h_root());
    return 0;
}

static int suite_cleanup(void)
{
    h_backend_stop(&backend);
    return 0;
}

/* ---- helpers ---- */

static int start(struct h_gateway *g, const char *name, const char *const *more)
{
    const char *extra[24] = { "-p", param_backend, "-p", param_dead };
    size_t n = 4;
    for (size_t i = 0; more && more[i] && n < 23; i++)
        extra[n++] = more[i];
    return h_gateway_start(g, name, scopes, extra);
}

static int port_of(const struct h_gateway *g)
{
    const char *colon = strrchr(g->url, ':');
    return colon ? (int)strtol(colon + 1, NULL, 10) : -1;
}

/* A client connection: what it has read, and whether the peer closed. */
struct client {
    int fd;
    struct buf in;
    bool closed;
    long long opened, closed_at;
};

static void client_open(struct client *c, int port)
{
    c->fd = h_connect(port);
    buf_init(&c->in, 1 << 20);
    c->closed = c->fd < 0;
    c->opened = h_now_ms();
    c->closed_at = 0;
}

static void client_release(struct client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    buf_release(&c->in);
}

/* Reads what comes within ms (0: what is there now) until the peer closes
 * (EOF or reset), which it notes. */
static void client_read(struct client *c, int ms)
{
    long long deadline = h_now_ms() + ms;
    while (!c->closed) {
        long long left = deadline - h_now_ms();
        struct pollfd p = { c->fd, POLLIN, 0 };
        if (poll(&p, 1, left > 0 ? (int)left : 0) <= 0)
            break;
        char chunk[4096];
        ssize_t n = read(c->fd, chunk, sizeof(chunk));
        if (n <= 0) {
            c->closed = true;
            c->closed_at = h_now_ms();
            break;
        }
        CU_ASSERT_EQUAL(buf_append(&c->in, chunk, (size_t)n), 0);
    }
}

static bool client_send(struct client *c, const char *bytes, size_t n)
{
    return !c->closed && send(c->fd, bytes, n, MSG_NOSIGNAL) == (ssize_t)n;
}

/* How many HTTP answers the bytes hold (status lines at the start of a
 * line), so that "exactly one answer" can be checked. */
static int answers(const struct buf *b)
{
    int n = 0;
    for (size_t i = 0; i + 5 <= b->len; i++)
        if ((i == 0 || b->data[i - 1] == '\n') && memcmp(b->data + i, "HTTP/", 5) == 0)
            n++;
    return n;
}

/* The one answer is a 408 with API Management's JSON error body. */
static void check_408(struct client *c)
{
    CU_ASSERT_TRUE(c->closed);
    CU_ASSERT_EQUAL(answers(&c->in), 1);
    CU_ASSERT_EQUAL(buf_append(&c->in, "", 1), 0);
    c->in.len--;
    CU_ASSERT_TRUE(strncmp(c->in.data, "HTTP/1.1 408 ", 13) == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->in.data, "Connection: close\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(c->in.data, "Content-Type: application/json\r\n"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(c->in.data, "\r\n\r\n{ \"statusCode\": 408, \"message\": \"Request timeout\" }"));
}

static long get_status(const struct h_gateway *g, const char *path)
{
    char url[512];
    snprintf(url, sizeof(url), "%s%s", g->url, path);
    struct h_resp r;
    h_http(&r, "GET", url, NULL, NULL, 3000);
    long s = r.status;
    h_resp_release(&r);
    return s;
}

/* ---- item 5: the head deadline, under a flood near the limit ---- */

/* The harness runs two workers: with --connection-limit 6 (per worker),
 * two places are left for others. */
#define FLOOD 10

static const char slow_head[] = "GET /free/slow-head HTTP/1.1\r\nHost: x\r\nX-Slow: "
                                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/* Every client sends its next byte of slow_head; normal requests go
 * through meanwhile. Returns how many normal requests got 200. */
static int trickle(struct client *c, size_t n, size_t *sent, const struct h_gateway *g, int *tried)
{
    int ok = 0;
    for (size_t i = 0; i < n; i++) {
        if (!c[i].closed && *sent < sizeof(slow_head) - 1)
            (void)client_send(&c[i], slow_head + *sent, 1);
        client_read(&c[i], 0);
    }
    (*sent)++;
    (*tried)++;
    ok += get_status(g, "/free/meanwhile") == 200;
    usleep(200000);
    return ok;
}

static void test_head_deadline_flood(void)
{
    struct h_gateway g;
    const char *more[] = { "--connection-limit", "6", "--header-timeout", "1", NULL };
    CU_ASSERT_FATAL(start(&g, "slow-head", more) == 0);
    long before = h_backend_requests(&backend);
    struct client c[FLOOD];
    for (size_t i = 0; i < FLOOD; i++)
        client_open(&c[i], port_of(&g));
    size_t sent = 0;
    int ok = 0, tried = 0;
    long long t0 = h_now_ms();
    bool all_closed = false;
    while (!all_closed && h_now_ms() - t0 < 4000) {
        ok += trickle(c, FLOOD, &sent, &g, &tried);
        all_closed = true;
        for (size_t i = 0; i < FLOOD; i++)
            all_closed &= c[i].closed;
    }
    CU_ASSERT_TRUE(all_closed);
    CU_ASSERT_EQUAL(ok, tried); /* normal clients were served meanwhile */
    for (size_t i = 0; i < FLOOD; i++) {
        check_408(&c[i]);
        long long lived = c[i].closed_at - c[i].opened;
        CU_ASSERT_TRUE(lived >= 900 && lived < 2500); /* at the 1 s deadline, not before */
        client_release(&c[i]);
    }
    CU_ASSERT_EQUAL(get_status(&g, "/free/after"), 200);
    /* the backend saw only the normal requests */
    CU_ASSERT_EQUAL(h_backend_requests(&backend) - before, tried + 1);
    CU_ASSERT_EQUAL(h_metric(&g, "apim_client_timeouts_total{phase=\"head\"}"), FLOOD);
    CU_ASSERT_EQUAL(h_metric(&g, "apim_client_connections{state=\"head\"}"), 0);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

/* A connection that sends nothing at all has the same deadline. */
static void test_head_deadline_silent(void)
{
    struct h_gateway g;
    const char *more[] = { "--header-timeout", "1", NULL };
    CU_ASSERT_FATAL(start(&g, "slow-silent", more) == 0);
    struct client c;
    client_open(&c, port_of(&g));
    CU_ASSERT_FATAL(c.fd >= 0);
    usleep(300000);
    CU_ASSERT_EQUAL(h_metric(&g, "apim_client_connections{state=\"head\"}"), 1);
    client_read(&c, 3000);
    check_408(&c);
    CU_ASSERT_TRUE(c.closed_at - c.opened >= 900 && c.closed_at - c.opened < 2500);
    client_release(&c);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

/* A kept-alive connection is idle between requests; the next request's
 * head has its own deadline once its request line is complete. */
static void test_keepalive_next_head(void)
{
    struct h_gateway g;
    const char *more[] = { "--header-timeout", "1", NULL };
    CU_ASSERT_FATAL(start(&g, "slow-keepalive", more) == 0);
    long before = h_backend_requests(&backend);
    struct client c;
    client_open(&c, port_of(&g));
    static const char first[] = "GET /free/first HTTP/1.1\r\nHost: x\r\n\r\n";
    CU_ASSERT_FATAL(client_send(&c, first, sizeof(first) - 1));
    long long t0 = h_now_ms();
    while (!c.closed && !strstr(c.in.data ? c.in.data : "", "\"/first\"") && h_now_ms() - t0 < 3000)
        client_read(&c, 50);
    CU_ASSERT_EQUAL(answers(&c.in), 1);
    CU_ASSERT_FALSE(c.closed);
    c.in.len = 0;
    usleep(1300000); /* idle longer than the head timeout: still open */
    CU_ASSERT_EQUAL(h_metric(&g, "apim_client_connections{state=\"idle\"}"), 1);
    client_read(&c, 0);
    CU_ASSERT_FALSE(c.closed);
    static const char line[] = "GET /free/second HTTP/1.1\r\nHost: x\r\n";
    CU_ASSERT_TRUE(client_send(&c, line, sizeof(line) - 1));
    long long sent = h_now_ms();
    client_read(&c, 3000);
    check_408(&c);
    CU_ASSERT_TRUE(c.closed_at - sent >= 900 && c.closed_at - sent < 2500);
    CU_ASSERT_EQUAL(h_backend_requests(&backend) - before, 1); /* only the first */
    client_release(&c);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

/* The next head began while the request before it was in flight
 * (pipelined behind a slow one): its deadline runs once that request is
 * answered, not only from a whole request line, and not the idle one. */
static void test_pipelined_next_head(void)
{
    struct h_gateway g;
    const char *more[] = { "--header-timeout", "1", NULL };
    CU_ASSERT_FATAL(start(&g, "slow-pipelined", more) == 0);
    long before = h_backend_requests(&backend);
    struct client c;
    client_open(&c, port_of(&g));
    static const char two[] = "GET /free/slow?ms=300 HTTP/1.1\r\nHost: x\r\n\r\nGET /free/sec";
    CU_ASSERT_FATAL(client_send(&c, two, sizeof(two) - 1));
    long long sent = h_now_ms();
    /* a byte of the target every 200 ms: never a whole request line */
    static const char more_bytes[] = "ondondondondondondondond";
    for (size_t i = 0; i < sizeof(more_bytes) - 1 && !c.closed; i++) {
        (void)client_send(&c, more_bytes + i, 1);
        client_read(&c, 200);
    }
    CU_ASSERT_TRUE(c.closed);
    CU_ASSERT_EQUAL(answers(&c.in), 2);
    CU_ASSERT_EQUAL(buf_append(&c.in, "", 1), 0);
    CU_ASSERT_TRUE(strncmp(c.in.data, "HTTP/1.1 200 ", 13) == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(c.in.data, "\nHTTP/1.1 408 "));
    long long lived = c.closed_at - sent;
    CU_ASSERT_TRUE(lived >= 1200 && lived < 2800); /* the slow answer, then the 1 s deadline */
    if (!c.closed || lived >= 2800)
        fprintf(stderr, "pipelined next head: closed %d after %lld ms\n", c.closed, lived);
    CU_ASSERT_EQUAL(h_backend_requests(&backend) - before, 1);
    client_release(&c);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

/* ---- item 5: the body deadline is between two reads ---- */

static void test_body_deadline(void)
{
    struct h_gateway g;
    const char *more[] = { "--body-timeout", "1", "--header-timeout", "1", NULL };
    CU_ASSERT_FATAL(start(&g, "slow-body", more) == 0);
    long before = h_backend_requests(&backend);
    struct client c;
    client_open(&c, port_of(&g));
    static const char head[] =
        "POST /free/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n";
    CU_ASSERT_FATAL(client_send(&c, head, sizeof(head) - 1));
    /* 2.4 s of body, a byte every 300 ms: longer than either timeout in
     * all, never a pause past the body's */
    for (int i = 0; i < 8; i++) {
        usleep(300000);
        CU_ASSERT_TRUE(client_send(&c, "b", 1));
        client_read(&c, 0);
    }
    CU_ASSERT_FALSE(c.closed);
    CU_ASSERT_EQUAL(h_metric(&g, "apim_client_connections{state=\"body\"}"), 1);
    long long paused = h_now_ms();
    client_read(&c, 3000);
    check_408(&c);
    CU_ASSERT_TRUE(c.closed_at - paused >= 900 && c.closed_at - paused < 2500);
    client_release(&c);
    /* No policy reads this body, so it streams: the backend saw the head
     * and the bytes that came, then its call was cancelled with the 408. */
    CU_ASSERT_TRUE(h_backend_requests(&backend) - before <= 1);
    CU_ASSERT_EQUAL(h_metric(&g, "apim_client_timeouts_total{phase=\"body\"}"), 1);
    CU_ASSERT_EQUAL(h_metric(&g, "apim_client_timeouts_total{phase=\"head\"}"), 0);
    CU_ASSERT_EQUAL(h_metric(&g, "apim_client_connections{state=\"body\"}"), 0);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

/* ---- item 5: the admin port has its own limit and deadlines ---- */

#define ADMIN_FLOOD 20 /* more than the admin server's 16 connections */

static int admin_port_of(const struct h_gateway *g)
{
    const char *colon = strrchr(g->admin, ':');
    return colon ? (int)strtol(colon + 1, NULL, 10) : -1;
}

static void test_admin_flood(void)
{
    struct h_gateway g;
    const char *more[] = { "--header-timeout", "1", NULL };
    CU_ASSERT_FATAL(start(&g, "slow-admin", more) == 0);
    struct client c[ADMIN_FLOOD];
    long long t0 = h_now_ms();
    for (size_t i = 0; i < ADMIN_FLOOD; i++) {
        client_open(&c[i], admin_port_of(&g));
        CU_ASSERT_TRUE(client_send(&c[i], "GET /status HTTP/1.1\r\n", 22));
    }
    /* the gateway's own clients do not notice */
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(get_status(&g, "/free/meanwhile"), 200);
    int late = 0;
    for (size_t i = 0; i < ADMIN_FLOOD; i++) {
        client_read(&c[i], 4000);
        check_408(&c[i]);
        /* 16 are taken at once and cut at the 1 s deadline; the other 4
         * wait for a place, then get their own second */
        CU_ASSERT_TRUE(c[i].closed_at - t0 >= 900 && c[i].closed_at - t0 < 3500);
        late += c[i].closed_at - t0 > 1500;
        client_release(&c[i]);
    }
    CU_ASSERT_EQUAL(late, ADMIN_FLOOD - 16);
    /* the admin port serves again */
    char url[256];
    snprintf(url, sizeof(url), "%s/status", g.admin);
    struct h_resp r;
    h_http(&r, "GET", url, NULL, NULL, 3000);
    CU_ASSERT_EQUAL(r.status, 200);
    h_resp_release(&r);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

/* ---- item 9: a stop closes half-sent requests at once ---- */

static void test_stop_closes_half_sent(void)
{
    struct h_gateway g;
    const char *more[] = { "--drain-timeout", "20", NULL };
    CU_ASSERT_FATAL(start(&g, "slow-stop", more) == 0);
    struct client half;
    client_open(&half, port_of(&g));
    static const char part[] = "GET /free/half HTTP/1.1\r\nHost: x\r\nX-Half: y";
    CU_ASSERT_FATAL(client_send(&half, part, sizeof(part) - 1));
    CU_ASSERT_EQUAL(get_status(&g, "/free/done"), 200);
    struct h_get sc;
    snprintf(sc.url, sizeof(sc.url), "%s/free/slow?ms=1500", g.url);
    h_get_start(&sc, 20000);
    CU_ASSERT_TRUE(h_wait(h_in_flight, &g, 5000));
    pid_t pid = g.pid;
    struct h_stop stop;
    long long t0 = h_now_ms();
    h_stop_start(&stop, &g);
    client_read(&half, 1000); /* closed at once, while the slow call still runs */
    CU_ASSERT_TRUE(half.closed);
    CU_ASSERT_TRUE(half.closed_at - t0 < 1000);
    h_stop_join(&stop);
    h_get_join(&sc);
    CU_ASSERT_EQUAL(stop.rc, 0);
    CU_ASSERT_TRUE(stop.took < 5000);  /* the slow call, not the 20 s drain timeout */
    CU_ASSERT_EQUAL(sc.r.status, 200); /* it completed */
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.r.body.data, "/slow"));
    CU_ASSERT_FALSE(h_alive(pid));
    CU_ASSERT_EQUAL(answers(&half.in), 0);
    client_release(&half);
    h_resp_release(&sc.r);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: e2e_slow APIM ECHO_BACKEND SOURCE_ROOT\n");
        return 2;
    }
    h_init(argv[1], argv[2], argv[3]);
    static CU_TestInfo tests[] = {
        { "head deadline: a slow flood near the connection limit", test_head_deadline_flood },
        { "head deadline: a silent connection", test_head_deadline_silent },
        { "kept alive: idle, then the next head's deadline", test_keepalive_next_head },
        { "kept alive: a head begun behind a slow request", test_pipelined_next_head },
        { "body deadline: between two reads", test_body_deadline },
        { "admin port: its own limit and deadlines", test_admin_flood },
        { "stop closes half-sent requests at once", test_stop_closes_half_sent },
        CU_TEST_INFO_NULL,
    };
    static CU_SuiteInfo suites[] = {
        { "slow clients", suite_init, suite_cleanup, NULL, NULL, tests },
        CU_SUITE_INFO_NULL,
    };
    return cunit_run(suites);
}
