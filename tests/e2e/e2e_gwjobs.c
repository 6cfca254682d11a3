/* End to end: streaming jobs inside `apim gateway start`. The configuration
 * is the seed's, on ports the test picks: an API whose GET / goes to the
 * word-count job's serve port, and the job's sidecar whose socketText
 * source is the test's TCP server (as `nc -lk 9999` is for the seed). The
 * test feeds lines, GETs the counts through the gateway, drives the job with
 * `apim job list|status|stop|start`, reloads with SIGHUP (unchanged job:
 * same connection; changed job: restarted), and checks that a job serving
 * on the gateway's own port is refused while the gateway serves on; a stop
 * with records left after stop.timeout says how many. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/cunit_run.h"
#include "harness.h"

/* The seed's API document with its backend on the serve port, and the
 * seed's job sidecar with the test's ports, in a folder of their own. */
/* extra: a second API path, a plan that differs while the job does not. */
static void write_config(const char *dir, int src_port, int serve_port, int retain, bool extra)
{
    char path[600], full[700], text[2048];
    mkdir(dir, 0700);
    snprintf(text, sizeof(text),
             "{ \"name\": \"SimpleAPI\", \"properties\": { \"apiName\": \"simple-api\",\n"
             "  \"paths\": [ { \"path\": \"/\", \"methods\": [ { \"method\": \"get\",\n"
             "    \"backend\": { \"type\": \"http\", \"endpoint\": \"http://localhost:%d\" } } ] }"
             "%s ] } }\n",
             serve_port,
             extra
                 ? ", { \"path\": \"/extra\", \"methods\": [ { \"method\": \"get\", "
                   "\"backend\": { \"type\": \"http\", \"endpoint\": \"http://localhost:1\" } } ] }"
                 : "");
    snprintf(path, sizeof(path), "%s/simple-api.json", dir);
    CU_ASSERT_EQUAL(h_write_file(path, text, full, sizeof(full)), 0);
    snprintf(text, sizeof(text),
             "{ \"streamingJobs\": [ { \"name\": \"wordcount\", \"properties\": {\n"
             "  \"autoStart\": true, \"batchInterval\": \"200ms\",\n"
             "  \"sources\": { \"lines\": { \"type\": \"socketText\", \"host\": \"127.0.0.1\",\n"
             "    \"port\": %d } },\n"
             "  \"pipeline\": [ { \"op\": \"flatMap\", \"split\": \" \" },\n"
             "    { \"op\": \"map\", \"pair\": { \"key\": \"$\", \"value\": 1 } },\n"
             "    { \"op\": \"reduceByKey\", \"func\": \"sum\" } ],\n"
             "  \"outputs\": [ { \"type\": \"print\" }, { \"type\": \"serve\",\n"
             "    \"listen\": \"127.0.0.1:%d\", \"basePath\": \"/\",\n"
             "    \"retain\": { \"batches\": %d } } ] } } ] }\n",
             src_port, serve_port, retain);
    snprintf(path, sizeof(path), "%s/wordcount.jobs.json", dir);
    CU_ASSERT_EQUAL(h_write_file(path, text, full, sizeof(full)), 0);
}

struct counts {
    const char *url;
    int fd;
    long long fed_at;
};

/* Feeds a line every 500 ms and looks for {"key":"a","value":2} in GET /
 * through the gateway: the latest batch, which has the line's counts for
 * one 200 ms batch (polled every 20 ms). */
static bool counted(void *ctx)
{
    struct counts *c = ctx;
    static const char line[] = "a b a\n";
    if (h_now_ms() - c->fed_at >= 500) {
        c->fed_at = h_now_ms();
        if (write(c->fd, line, sizeof(line) - 1) != (ssize_t)(sizeof(line) - 1))
            return false;
    }
    struct h_resp r;
    h_http(&r, "GET", c->url, NULL, NULL, 2000);
    bool ok = r.status == 200 && r.body.data &&
              strstr(r.body.data, "{\"key\":\"a\",\"value\":2}") != NULL &&
              strstr(r.body.data, "\"job\":\"wordcount\"") != NULL;
    h_resp_release(&r);
    return ok;
}

/* `apim job ARGS... --gateway-name NAME`: exit status, stdout in out. */
static int job(struct buf *out, const char *verb, const char *name, const char *extra)
{
    const char *args[] = { "job", verb, "--gateway-name", name, extra, NULL };
    struct buf err;
    buf_init(out, 1u << 20);
    buf_init(&err, 1u << 20);
    int rc = h_apim(out, &err, args);
    buf_release(&err);
    return rc;
}

static const char *state_in_list(const struct buf *out)
{
    json_t *rows = out->data ? json_loads(out->data, 0, NULL) : NULL;
    static char state[32];
    const char *st = json_string_value(json_object_get(json_array_get(rows, 0), "state"));
    snprintf(state, sizeof(state), "%s", st ? st : "(no job)");
    json_decref(rows);
    return state;
}

static void check_ctl(const char *gw, int lfd, struct counts *c)
{
    struct buf out;
    CU_ASSERT_EQUAL(job(&out, "list", gw, "--output=json"), 0);
    CU_ASSERT_STRING_EQUAL(state_in_list(&out), "running");
    buf_release(&out);
    CU_ASSERT_EQUAL(job(&out, "status", gw, "wordcount"), 0);
    CU_ASSERT_PTR_NOT_NULL(out.data ? strstr(out.data, "wordcount (running, autoStart)") : NULL);
    buf_release(&out);
    CU_ASSERT_EQUAL(job(&out, "stop", gw, "wordcount"), 0);
    buf_release(&out);
    CU_ASSERT_EQUAL(job(&out, "list", gw, "--output=json"), 0);
    CU_ASSERT_STRING_EQUAL(state_in_list(&out), "stopped");
    buf_release(&out);
    struct h_resp r; /* the backend is gone: the gateway answers for it */
    h_http(&r, "GET", c->url, NULL, NULL, 5000);
    CU_ASSERT_TRUE(r.status >= 500);
    h_resp_release(&r);
    close(c->fd);
    CU_ASSERT_EQUAL(job(&out, "start", gw, "wordcount"), 0);
    buf_release(&out);
    c->fd = h_accept(lfd, 10000);
    c->fed_at = 0;
    CU_ASSERT_FATAL(c->fd >= 0);
    CU_ASSERT_TRUE(h_wait(counted, c, 10000));
    CU_ASSERT_EQUAL(job(&out, "status", gw, "nothere"), 1);
    buf_release(&out);
}

static void test_seed_in_gateway(void)
{
    int src_port, serve_port = h_dead_port();
    int lfd = h_listen(&src_port);
    CU_ASSERT_FATAL(lfd >= 0);
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/gwjobs-seed", h_scratch());
    write_config(dir, src_port, serve_port, 60, false);
    struct h_gateway g;
    CU_ASSERT_FATAL(h_gateway_start(&g, "gwjobs", dir, NULL) == 0);
    struct counts c = { g.url, h_accept(lfd, 10000), 0 };
    CU_ASSERT_FATAL(c.fd >= 0);
    CU_ASSERT_TRUE(h_wait(counted, &c, 10000));
    check_ctl("gwjobs", lfd, &c);
    /* SIGHUP, a new plan (one more API path) with the job unchanged: the
     * job keeps running on its connection */
    write_config(dir, src_port, serve_port, 60, true);
    CU_ASSERT_EQUAL(kill(g.pid, SIGHUP), 0);
    CU_ASSERT_EQUAL(h_accept(lfd, 1500), -1);
    struct buf log;
    buf_init(&log, 16u << 20);
    CU_ASSERT_EQUAL(h_state_file(&g, "gateway.log", &log), 0);
    CU_ASSERT_PTR_NOT_NULL(log.data ? strstr(log.data, "serving (1 APIs, 2 operations)") : NULL);
    CU_ASSERT_PTR_NULL(log.data ? strstr(log.data, "event=changed") : NULL);
    buf_release(&log);
    CU_ASSERT_TRUE(h_wait(counted, &c, 10000));
    /* the job's definition changed: it restarts (a new connection) */
    write_config(dir, src_port, serve_port, 30, true);
    CU_ASSERT_EQUAL(kill(g.pid, SIGHUP), 0);
    int fd2 = h_accept(lfd, 10000);
    CU_ASSERT_TRUE(fd2 >= 0);
    if (fd2 >= 0) {
        close(c.fd);
        c.fd = fd2;
        c.fed_at = 0;
        CU_ASSERT_TRUE(h_wait(counted, &c, 10000));
    }
    struct buf out;
    buf_init(&out, 16u << 20);
    CU_ASSERT_EQUAL(h_state_file(&g, "jobs/wordcount.out", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(out.data ? strstr(out.data, "('a', 2)\n") : NULL);
    buf_release(&out);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
    CU_ASSERT_FALSE(h_alive(g.pid));
    close(c.fd);
    close(lfd);
}

/* A job whose serve port is the gateway's own (the configuration changed
 * under a running gateway): refused, said on /status and by apim job list;
 * the API is served anyway. */
static void test_port_clash(void)
{
    int src_port, lfd = h_listen(&src_port);
    CU_ASSERT_FATAL(lfd >= 0);
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/gwjobs-clash", h_scratch());
    write_config(dir, src_port, h_dead_port(), 60, false);
    struct h_gateway g;
    CU_ASSERT_FATAL(h_gateway_start(&g, "gwjobs-clash", dir, NULL) == 0);
    const char *colon = strrchr(g.url, ':');
    write_config(dir, src_port, colon ? (int)strtol(colon + 1, NULL, 10) : 0, 60, false);
    CU_ASSERT_EQUAL(kill(g.pid, SIGHUP), 0);
    struct buf out;
    long long until = h_now_ms() + 10000;
    bool failed = false;
    while (!failed && h_now_ms() < until) {
        CU_ASSERT_EQUAL(job(&out, "list", "gwjobs-clash", "--output=json"), 0);
        failed = strcmp(state_in_list(&out), "failed") == 0 && out.data &&
                 strstr(out.data, "the gateway's own port") != NULL;
        buf_release(&out);
        if (!failed)
            usleep(50000);
    }
    CU_ASSERT_TRUE(failed);
    char url[200];
    snprintf(url, sizeof(url), "%s/status", g.admin);
    struct h_resp r;
    h_http(&r, "GET", url, NULL, NULL, 5000);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_PTR_NOT_NULL(r.body.data ? strstr(r.body.data, "\"state\": \"failed\"") : NULL);
    h_resp_release(&r);
    CU_ASSERT_EQUAL(job(&out, "start", "gwjobs-clash", "wordcount"), 1);
    buf_release(&out);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
    close(lfd);
}

struct queued {
    char url[200];
    long long min;
};

/* The job's socket source has at least min records waiting. */
static bool has_queued(void *ctx)
{
    struct queued *q = ctx;
    struct h_resp r;
    h_http(&r, "GET", q->url, NULL, NULL, 2000);
    json_t *st = r.status == 200 && r.body.data ? json_loads(r.body.data, 0, NULL) : NULL;
    json_t *src = json_array_get(json_object_get(st, "sources"), 0);
    bool ok = json_integer_value(json_object_get(src, "queued")) >= q->min;
    json_decref(st);
    h_resp_release(&r);
    return ok;
}

/* stop.timeout in the gateway: one record a batch (rate 5/s, 200 ms
 * batches), 100 lines received; `apim job stop` processes what it can for
 * 600 ms, then says how many records were left, and so does status. */
static void test_stop_timeout(void)
{
    int src_port, serve_port = h_dead_port(), lfd = h_listen(&src_port);
    CU_ASSERT_FATAL(lfd >= 0);
    char dir[512], path[600], full[700], text[2048];
    snprintf(dir, sizeof(dir), "%s/gwjobs-stop", h_scratch());
    write_config(dir, src_port, serve_port, 60, false);
    snprintf(text, sizeof(text),
             "{ \"streamingJobs\": [ { \"name\": \"wordcount\", \"properties\": {\n"
             "  \"batchInterval\": \"200ms\",\n"
             "  \"sources\": { \"lines\": { \"type\": \"socketText\", \"host\": \"127.0.0.1\",\n"
             "    \"port\": %d } },\n"
             "  \"outputs\": [ { \"type\": \"serve\", \"listen\": \"127.0.0.1:%d\" } ],\n"
             "  \"rate\": { \"maxRecordsPerSecond\": 5 },\n"
             "  \"stop\": { \"graceful\": true, \"timeout\": \"600ms\" } } } ] }\n",
             src_port, serve_port);
    snprintf(path, sizeof(path), "%s/wordcount.jobs.json", dir);
    CU_ASSERT_EQUAL(h_write_file(path, text, full, sizeof(full)), 0);
    struct h_gateway g;
    CU_ASSERT_FATAL(h_gateway_start(&g, "gwjobs-stop", dir, NULL) == 0);
    int fd = h_accept(lfd, 10000);
    CU_ASSERT_FATAL(fd >= 0);
    for (int i = 0; i < 100; i++)
        CU_ASSERT_EQUAL(write(fd, "x\n", 2), 2);
    struct queued q = { "", 60 };
    snprintf(q.url, sizeof(q.url), "http://127.0.0.1:%d/status", serve_port);
    CU_ASSERT_TRUE_FATAL(h_wait(has_queued, &q, 5000));
    struct buf out;
    long long t0 = h_now_ms();
    CU_ASSERT_EQUAL(job(&out, "stop", "gwjobs-stop", "wordcount"), 0);
    long long took = h_now_ms() - t0;
    CU_ASSERT_TRUE(took >= 500 && took < 5000); /* it waited for the timeout, not more */
    CU_ASSERT_PTR_NOT_NULL(out.data ? strstr(out.data, "records received were not processed")
                                    : NULL);
    buf_release(&out);
    CU_ASSERT_EQUAL(job(&out, "status", "gwjobs-stop", "wordcount"), 0);
    CU_ASSERT_PTR_NOT_NULL(out.data ? strstr(out.data, "records left by the last stop") : NULL);
    buf_release(&out);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
    close(fd);
    close(lfd);
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    h_init(argv[1], argv[2], argv[3]);
    CU_TestInfo tests[] = {
        { "seed word count in the gateway", test_seed_in_gateway },
        { "serve port clash", test_port_clash },
        { "stop timeout", test_stop_timeout },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "e2e_gwjobs", NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
