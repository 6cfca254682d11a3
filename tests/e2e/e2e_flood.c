/* End to end: a flood of input keeps a job's memory bounded (issue 10).
 * `apim job run` as a real process:
 * - socketText: the test is a TCP server that writes lines as fast as the
 *   kernel takes them to a word-count job that takes 100 records a batch
 *   (rate.maxRecordsPerSecond 500, batches of 200 ms) into a queue of 1000.
 *   Over some twenty batches the job's VmRSS stays near where it started,
 *   /status shows the source paused with at most queueCapacity records
 *   queued, and what the sender managed to write is bounded by the kernel's
 *   socket buffers plus what the job holds and has taken: TCP flow control
 *   holds the sender back instead of the job's memory growing.
 * - httpIngest: POSTs as fast as they are answered; past queueCapacity the
 *   answers are 503 with Retry-After: 1 and nothing of the body is queued
 *   (accepted records = records taken + records queued, exactly), memory
 *   bounded.
 * - httpIngest with a chunked body (no Content-Length): read up to maxBody
 *   (202), 413 past it, 400 malformed, 501 another transfer coding. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../unit/cunit_run.h"
#include "harness.h"

#define LINE_LEN 64 /* bytes of each flooded line, LF included */
#define RATE     500
#define QUEUE    1000
/* What the job may hold besides its queue: the socket source's pending
 * bytes (a line up to 1 MiB, stream_int.h STREAM_MAX_LINE) and a read. */
#define APP_SLACK (2u << 20)
/* RSS growth allowed over a flood: far below what an unbounded queue would
 * take (the sender writes hundreds of MB a second on loopback), above the
 * allocator's and ASan's own churn. */
#define RSS_SLACK_KB (48L * 1024)

static const char *apim_path;

/* apim job run --definition (written to the scratch folder as name), its
 * stdout to /dev/null. */
static pid_t spawn_job(const char *name, const char *text)
{
    char def[600];
    CU_ASSERT_EQUAL_FATAL(h_write_file(name, text, def, sizeof(def)), 0);
    /* Under AddressSanitizer, freed memory waits in a quarantine of up to
     * 256 MB before it is reused: RSS would measure the allocation churn of
     * thousands of requests, not what the job holds. A small quarantine
     * keeps the measure about live memory (other builds ignore the
     * variable). */
    char asan[512];
    const char *was = getenv("ASAN_OPTIONS");
    snprintf(asan, sizeof(asan), "%s%squarantine_size_mb=4", was ? was : "", was ? ":" : "");
    pid_t pid = fork();
    if (pid == 0) {
        setenv("ASAN_OPTIONS", asan, 1);
        int fd = open("/dev/null", O_WRONLY);
        if (fd < 0 || dup2(fd, 1) < 0)
            _exit(127);
        execl(apim_path, apim_path, "job", "run", "--definition", def, "flood", (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        h_remember(pid);
    return pid;
}

static int stop_job(pid_t pid)
{
    int st = -1;
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* VmRSS of pid in kB, or -1. */
static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

/* The job's /status (new reference), or NULL. */
static json_t *job_status(int serve)
{
    char url[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/status", serve);
    struct h_resp r;
    json_t *j = NULL;
    if (h_http(&r, "GET", url, NULL, NULL, 5000) == 0 && r.status == 200 && r.body.data)
        j = json_loads(r.body.data, 0, NULL);
    h_resp_release(&r);
    return j;
}

static json_int_t src_int(json_t *st, size_t i, const char *field)
{
    return json_integer_value(
        json_object_get(json_array_get(json_object_get(st, "sources"), i), field));
}

static bool src_bool(json_t *st, size_t i, const char *field)
{
    return json_is_true(json_object_get(json_array_get(json_object_get(st, "sources"), i), field));
}

static bool serving(void *ctx)
{
    json_t *st = job_status(*(int *)ctx);
    bool ok = st != NULL;
    json_decref(st);
    return ok;
}

/* The largest socket buffer the kernel may give (the third of tcp_rmem or
 * tcp_wmem), or 8 MiB if unreadable. */
static long kernel_max(const char *file)
{
    FILE *f = fopen(file, "r");
    long lo = 0, def = 0, hi = 8L << 20;
    if (f) {
        if (fscanf(f, "%ld %ld %ld", &lo, &def, &hi) != 3)
            hi = 8L << 20;
        fclose(f);
    }
    return hi;
}

struct flood {
    int fd, serve;
    pid_t pid;
    char block[LINE_LEN * 1024];
    size_t at;         /* next byte of block to write */
    long long written; /* bytes the kernel took */
    long rss_base, rss_max;
    json_int_t queued_max;
    bool paused_seen;
    int samples;
};

/* Writes what the socket takes now. */
static void pour(struct flood *f)
{
    struct pollfd p = { .fd = f->fd, .events = POLLOUT };
    if (poll(&p, 1, 10) != 1)
        return;
    ssize_t n = write(f->fd, f->block + f->at, sizeof(f->block) - f->at);
    if (n > 0) {
        f->written += n;
        f->at = (f->at + (size_t)n) % sizeof(f->block);
    }
}

static void sample(struct flood *f)
{
    long kb = rss_kb(f->pid);
    f->rss_max = kb > f->rss_max ? kb : f->rss_max;
    json_t *st = job_status(f->serve);
    CU_ASSERT_PTR_NOT_NULL(st);
    json_int_t q = src_int(st, 0, "queued");
    f->queued_max = q > f->queued_max ? q : f->queued_max;
    f->paused_seen |= src_bool(st, 0, "paused");
    f->samples++;
    json_decref(st);
}

static void test_socket_flood(void)
{
    int port = 0, lfd = h_listen(&port);
    CU_ASSERT_FATAL(lfd >= 0);
    static struct flood f;
    f = (struct flood){ .serve = h_dead_port() };
    char text[1024];
    snprintf(text, sizeof(text),
             "{\"batchInterval\":200,\"sources\":[{\"name\":\"lines\",\"type\":\"socketText\","
             "\"host\":\"127.0.0.1\",\"port\":%d,\"reconnectDelay\":200}],\"pipeline\":[{\"op\":"
             "\"flatMap\",\"split\":\" \"},{\"op\":\"map\",\"pair\":{\"key\":\"$\",\"value\":1}},"
             "{\"op\":\"reduceByKey\",\"func\":\"sum\"}],\"outputs\":[{\"type\":\"serve\","
             "\"listen\":\"127.0.0.1:%d\",\"retain\":5}],\"rate\":{\"maxRecordsPerSecond\":%d,"
             "\"backpressure\":true,\"queueCapacity\":%d}}",
             port, f.serve, RATE, QUEUE);
    f.pid = spawn_job("flood-socket.json", text);
    f.fd = h_accept(lfd, 10000);
    CU_ASSERT_FATAL(f.fd >= 0);
    CU_ASSERT_FATAL(h_wait(serving, &f.serve, 10000));
    f.rss_base = f.rss_max = rss_kb(f.pid);
    CU_ASSERT_FATAL(f.rss_base > 0);
    for (size_t i = 0; i < sizeof(f.block); i += LINE_LEN) {
        memset(f.block + i, 'a' + (char)(i / LINE_LEN % 26), LINE_LEN - 1);
        for (size_t k = 1; k < LINE_LEN - 1; k += 8)
            f.block[i + k] = ' ';
        f.block[i + LINE_LEN - 1] = '\n';
    }
    CU_ASSERT_EQUAL(fcntl(f.fd, F_SETFL, O_NONBLOCK), 0);
    long long start = h_now_ms(), next = start, at2s = -1;
    while (h_now_ms() - start < 4000) {
        pour(&f);
        if (at2s < 0 && h_now_ms() - start >= 2000)
            at2s = f.written;
        if (h_now_ms() >= next) {
            sample(&f);
            next += 250;
        }
    }
    double secs = (double)(h_now_ms() - start) / 1000.0;
    json_t *st = job_status(f.serve);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    json_int_t taken = src_int(st, 0, "offset"), queued = src_int(st, 0, "queued");
    long long bound = kernel_max("/proc/sys/net/ipv4/tcp_rmem") +
                      kernel_max("/proc/sys/net/ipv4/tcp_wmem") +
                      (long long)(taken + queued + 1) * LINE_LEN + APP_SLACK;
    printf("\n  flood: %.1f s, %lld bytes written (bound %lld; %lld in the last 2 s), %lld "
           "records taken, %lld queued (max %lld), %lld batches, rss %ld -> %ld kB max\n",
           secs, f.written, bound, f.written - at2s, (long long)taken, (long long)queued,
           (long long)f.queued_max, (long long)json_integer_value(json_object_get(st, "batches")),
           f.rss_base, f.rss_max);
    CU_ASSERT_TRUE(f.samples >= 10);
    CU_ASSERT_TRUE(json_integer_value(json_object_get(st, "batches")) >= 10);
    CU_ASSERT_TRUE(f.queued_max <= QUEUE && queued <= QUEUE);
    CU_ASSERT_TRUE(f.paused_seen);
    /* the rate: 100 records a batch, never more */
    CU_ASSERT_TRUE(taken >= RATE && taken <= (json_int_t)(RATE * (secs + 0.5)));
    CU_ASSERT_TRUE(f.written > (long long)taken * LINE_LEN);
    CU_ASSERT_TRUE(f.written <= bound);
    /* once the buffers are full the sender goes at the job's pace: 2 s of
     * the rate, and what a partly drained buffer takes back */
    CU_ASSERT_TRUE(f.written - at2s <= (long long)RATE * 3 * LINE_LEN + (1 << 20));
    CU_ASSERT_TRUE(f.rss_max - f.rss_base <= RSS_SLACK_KB);
    json_decref(st);
    CU_ASSERT_EQUAL(stop_job(f.pid), 0);
    close(f.fd);
    close(lfd);
}

static char *post_url(char *out, size_t n, int serve, const char *src)
{
    snprintf(out, n, "http://127.0.0.1:%d/ingest/%s", serve, src);
    return out;
}

static pid_t spawn_ingest(int serve, int queue, int rate)
{
    char text[1024];
    snprintf(text, sizeof(text),
             "{\"batchInterval\":200,\"sources\":[{\"name\":\"posted\",\"type\":\"httpIngest\","
             "\"operation\":\"flood/post\",\"framing\":\"lines\",\"maxBody\":1048576},{\"name\":"
             "\"small\",\"type\":\"httpIngest\",\"operation\":\"flood/small\",\"framing\":"
             "\"lines\",\"maxBody\":64}],\"pipeline\":[{\"op\":\"union\",\"inputs\":[\"posted\","
             "\"small\"]}],\"outputs\":[{\"type\":\"serve\",\"listen\":\"127.0.0.1:%d\","
             "\"retain\":50}],\"rate\":{\"maxRecordsPerSecond\":%d,\"backpressure\":true,"
             "\"queueCapacity\":%d}}",
             serve, rate, queue);
    pid_t pid = spawn_job(serve % 2 ? "ingest-odd.json" : "ingest-even.json", text);
    CU_ASSERT_FATAL(h_wait(serving, &serve, 10000));
    return pid;
}

struct posts {
    int ok, full, other, retry_after;
    long long accepted;
};

static void post_once(struct posts *p, const char *url, const char *body)
{
    struct h_resp r;
    char ra[16] = "";
    h_http(&r, "POST", url, NULL, body, 5000);
    if (r.status == 202) {
        json_t *j = json_loads(r.body.data ? r.body.data : "", 0, NULL);
        p->accepted += json_integer_value(json_object_get(j, "accepted"));
        json_decref(j);
        p->ok++;
    } else if (r.status == 503) {
        p->full++;
        p->retry_after +=
            h_resp_header(&r, "Retry-After", ra, sizeof(ra)) == 0 && strcmp(ra, "1") == 0;
    } else {
        p->other++;
    }
    h_resp_release(&r);
}

static void test_ingest_flood(void)
{
    int serve = h_dead_port();
    pid_t pid = spawn_ingest(serve, 50, 100);
    char url[128], body[10 * 14 + 1];
    for (int i = 0; i < 10; i++)
        memcpy(body + 14 * i, "the quick fox\n", 14);
    body[10 * 14] = '\0';
    post_url(url, sizeof(url), serve, "posted");
    struct posts p = { 0 };
    long base = rss_kb(pid), rss_max = base;
    json_int_t queued_max = 0;
    long long start = h_now_ms(), next = start;
    while (h_now_ms() - start < 3000) {
        post_once(&p, url, body);
        if (h_now_ms() >= next) {
            json_t *st = job_status(serve);
            json_int_t q = src_int(st, 0, "queued");
            queued_max = q > queued_max ? q : queued_max;
            json_decref(st);
            long kb = rss_kb(pid);
            rss_max = kb > rss_max ? kb : rss_max;
            next += 250;
        }
    }
    json_t *st = job_status(serve);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    json_int_t taken = src_int(st, 0, "offset"), queued = src_int(st, 0, "queued");
    printf("\n  ingest: %d accepted (%lld records), %d refused 503, %lld taken + %lld queued "
           "(max %lld), rss %ld -> %ld kB\n",
           p.ok, p.accepted, p.full, (long long)taken, (long long)queued, (long long)queued_max,
           base, rss_max);
    CU_ASSERT_TRUE(p.ok > 0);
    CU_ASSERT_TRUE(p.full > p.ok); /* the job takes 20 records a batch: most are refused */
    CU_ASSERT_EQUAL(p.other, 0);
    CU_ASSERT_EQUAL(p.retry_after, p.full);
    CU_ASSERT_TRUE(queued_max <= 50 && queued <= 50);
    CU_ASSERT_EQUAL(p.accepted, taken + queued); /* all or none of each body */
    CU_ASSERT_TRUE(taken <= (json_int_t)(100 * 3.5));
    CU_ASSERT_TRUE(rss_max - base <= RSS_SLACK_KB);
    json_decref(st);
    CU_ASSERT_EQUAL(stop_job(pid), 0);
}

/* One raw POST to the job's port; the answer in out (released by the
 * caller). */
static void raw_post(int serve, const char *path, const char *head, const char *body,
                     struct buf *out)
{
    char req[4096];
    int n = snprintf(req, sizeof(req), "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n%s", path,
                     head, body);
    buf_init(out, 1u << 20);
    CU_ASSERT_EQUAL(h_raw(serve, req, (size_t)n, out, 5000), 0);
}

static bool has(const struct buf *b, const char *s)
{
    return b->data && strstr(b->data, s);
}

struct probe {
    char url[128];
    const char *want;
};

static bool body_has(void *ctx)
{
    struct probe *p = ctx;
    struct h_resp r;
    bool ok = h_http(&r, "GET", p->url, NULL, NULL, 2000) == 0 && r.status == 200 && r.body.data &&
              strstr(r.body.data, p->want);
    h_resp_release(&r);
    return ok;
}

static void test_ingest_chunked(void)
{
    int serve = h_dead_port();
    pid_t pid = spawn_ingest(serve, 1000, 0);
    const char *te = "Transfer-Encoding: chunked\r\n";
    struct buf a;
    raw_post(serve, "/ingest/posted", te, "4\r\na b\n\r\n7;x=1\r\nc d e\r\n\r\n0\r\n\r\n", &a);
    CU_ASSERT_TRUE(has(&a, "HTTP/1.1 202 Accepted"));
    CU_ASSERT_TRUE(has(&a, "\"accepted\":2"));
    buf_release(&a);
    /* a chunked coding wins over a Content-Length (RFC 9112 6.3) */
    raw_post(serve, "/ingest/posted", "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
             "6\r\nf g h\n\r\n0\r\n\r\n", &a);
    CU_ASSERT_TRUE(has(&a, "\"accepted\":1"));
    buf_release(&a);
    char big[512];
    size_t bl = 0;
    for (int i = 0; i < 5; i++) /* 5 x 16 bytes > maxBody 64 */
        bl += (size_t)snprintf(big + bl, sizeof(big) - bl, "10\r\n0123456789abcde\n\r\n");
    snprintf(big + bl, sizeof(big) - bl, "0\r\n\r\n");
    raw_post(serve, "/ingest/small", te, big, &a);
    CU_ASSERT_TRUE(has(&a, "HTTP/1.1 413"));
    CU_ASSERT_TRUE(has(&a, "\"maxBody\":64"));
    buf_release(&a);
    raw_post(serve, "/ingest/posted", te, "zz\r\nab\r\n0\r\n\r\n", &a);
    CU_ASSERT_TRUE(has(&a, "HTTP/1.1 400"));
    buf_release(&a);
    raw_post(serve, "/ingest/posted", "Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n", &a);
    CU_ASSERT_TRUE(has(&a, "HTTP/1.1 501"));
    buf_release(&a);
    raw_post(serve, "/ingest/posted", "", "", &a);
    CU_ASSERT_TRUE(has(&a, "HTTP/1.1 411"));
    buf_release(&a);
    /* what was accepted reaches a batch, as sent */
    struct probe pr = { "", "\"records\":[\"a b\",\"c d e\",\"f g h\"]" };
    snprintf(pr.url, sizeof(pr.url), "http://127.0.0.1:%d/batches?since=0&limit=100", serve);
    CU_ASSERT_TRUE(h_wait(body_has, &pr, 5000));
    CU_ASSERT_EQUAL(stop_job(pid), 0);
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    apim_path = argv[1];
    h_init(argv[1], argv[2], argv[3]);
    CU_TestInfo tests[] = {
        { "socketText flood: memory and sender bounded", test_socket_flood },
        { "httpIngest flood: 503 Retry-After past queueCapacity", test_ingest_flood },
        { "httpIngest chunked body", test_ingest_chunked },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "e2e_flood", NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
