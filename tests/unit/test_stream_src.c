/* Unit tests for the socket and file sources and the serve output
 * (runtime/stream/stream_src.c, stream_serve.c) on a real epoll loop over
 * 127.0.0.1: the source connects as a client, cuts LF and CRLF lines, keeps
 * a last line without LF, reconnects after reconnectDelay, and stops reading
 * when its bounded queue is full (backpressure); textFiles reads only new
 * files; serve answers /latest, /batches and /status. The clock is injected:
 * the loop only waits for sockets, never for time. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cunit_run.h"
#include "loop.h"
#include "stream_testutil.h"

static int listener(int *port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CU_ASSERT_FATAL(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
                    listen(fd, 4) == 0 && getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

static void spin(struct loop *l, int times)
{
    for (int i = 0; i < times; i++)
        (void)loop_run_once(l, 20);
}

static struct stream_job *job(struct loop *l, const char *def, FILE *out)
{
    char err[512] = "";
    struct stream_def *d = stream_def_parse(def, strlen(def), err, sizeof(err));
    if (!d)
        fprintf(stderr, "%s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct stream_env env = { l, out, "wc", "h", NULL };
    struct stream_job *j = stream_job_new(d, &env, 0, err, sizeof(err));
    if (!j)
        fprintf(stderr, "%s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    return j;
}

static void test_socket_lines_backpressure(void)
{
    struct loop l;
    CU_ASSERT_EQUAL_FATAL(loop_init(&l), 0);
    int port, lfd = listener(&port);
    char def[512], *out = NULL;
    size_t len = 0;
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"s\",\"type\":\"socketText\","
             "\"host\":\"127.0.0.1\",\"port\":%d,\"reconnectDelay\":3000}],\"pipeline\":[],"
             "\"outputs\":[{\"type\":\"print\",\"num\":20}],\"rate\":{\"queueCapacity\":5}}",
             port);
    FILE *f = open_memstream(&out, &len);
    struct stream_job *j = job(&l, def, f);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 0), 0); /* connects */
    int c = accept(lfd, NULL, NULL);
    CU_ASSERT_FATAL(c >= 0);
    spin(&l, 3);
    const char lines[] = "a\r\nb\n1\n2\n3\n4\n5\n6\n7\n8\nl\xffst";
    CU_ASSERT_EQUAL(write(c, lines, sizeof(lines) - 1), (ssize_t)sizeof(lines) - 1);
    spin(&l, 3);
    CU_ASSERT_EQUAL(stream_job_queued(j, "s"), 5); /* the bound, not 11 */
    json_t *st = stream_job_status(j);
    CU_ASSERT_TRUE(
        json_is_true(json_object_get(json_array_get(json_object_get(st, "sources"), 0), "paused")));
    json_decref(st);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1); /* a b 1 2 3 */
    CU_ASSERT_EQUAL(stream_job_queued(j, "s"), 5);   /* 4..8 cut from what was held back */
    close(c);                                        /* "last" ends with the stream */
    CU_ASSERT_EQUAL(stream_job_run_due(j, 2000), 1); /* 4..8 */
    spin(&l, 3);
    CU_ASSERT_EQUAL(stream_job_queued(j, "s"), 1);
    CU_ASSERT_EQUAL(stream_job_next_deadline(j), 3000);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 3000), 1);
    /* Reconnect at 2000 + 3000 (the job's clock when the end was seen). */
    CU_ASSERT_EQUAL(stream_job_next_deadline(j), 4000);
    stream_job_run_due(j, 5000);
    c = accept(lfd, NULL, NULL);
    CU_ASSERT(c >= 0);
    close(c);
    stream_job_free(j);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "a\nb\n1\n2\n3\n\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "4\n5\n6\n7\n8\n\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "l\xef\xbf\xbdst\n\n")); /* bad UTF-8: U+FFFD */
    free(out);
    close(lfd);
    loop_release(&l);
}

static char *http_get(struct loop *l, int port, const char *path)
{
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CU_ASSERT_FATAL(fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    char req[256];
    int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path);
    CU_ASSERT_EQUAL(write(fd, req, (size_t)n), n);
    spin(l, 4);
    char *resp = calloc(1, 65536);
    size_t got = 0;
    ssize_t r;
    while ((r = read(fd, resp + got, 65535 - got)) > 0)
        got += (size_t)r;
    close(fd);
    char *body = strstr(resp, "\r\n\r\n");
    char *copy = strdup(body ? body + 4 : "");
    CU_ASSERT_PTR_NOT_NULL(strstr(resp, "Content-Type: application/json"));
    free(resp);
    return copy;
}

/* UTF-8 is checked once per read buffer: a valid line before the first bad
 * byte, the bad line, and a valid line after it are each right. */
static void test_socket_utf8_per_buffer(void)
{
    struct loop l;
    CU_ASSERT_EQUAL_FATAL(loop_init(&l), 0);
    int port, lfd = listener(&port);
    char def[512], *out = NULL;
    size_t len = 0;
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"s\",\"type\":\"socketText\","
             "\"host\":\"127.0.0.1\",\"port\":%d}],\"pipeline\":[],"
             "\"outputs\":[{\"type\":\"print\",\"num\":20}]}",
             port);
    FILE *f = open_memstream(&out, &len);
    struct stream_job *j = job(&l, def, f);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 0), 0);
    int c = accept(lfd, NULL, NULL);
    CU_ASSERT_FATAL(c >= 0);
    spin(&l, 3);
    const char lines[] = "caf\xc3\xa9\nx\xffy\nok \xe2\x82\xac\n";
    CU_ASSERT_EQUAL(write(c, lines, sizeof(lines) - 1), (ssize_t)sizeof(lines) - 1);
    spin(&l, 3);
    CU_ASSERT_EQUAL(stream_job_queued(j, "s"), 3);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1);
    close(c);
    stream_job_free(j);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "caf\xc3\xa9\nx\xef\xbf\xbdy\nok \xe2\x82\xac\n\n"));
    free(out);
    close(lfd);
    loop_release(&l);
}

/* The seed's word count reads a socket's lines as they are (no JSON value
 * per line): CRLF, bad UTF-8 and empty lines come out as in the general
 * path, and a rate that takes part of the waiting lines leaves the rest, in
 * order, for the next batch. */
static void test_socket_word_count_lines(void)
{
    struct loop l;
    CU_ASSERT_EQUAL_FATAL(loop_init(&l), 0);
    int port, lfd = listener(&port);
    char def[768], *out = NULL;
    size_t len = 0;
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"s\",\"type\":\"socketText\","
             "\"host\":\"127.0.0.1\",\"port\":%d}],\"pipeline\":[{\"op\":\"flatMap\","
             "\"split\":\" \"},{\"op\":\"map\",\"pair\":{\"key\":\"$\",\"value\":1}},"
             "{\"op\":\"reduceByKey\",\"func\":\"sum\"}],\"outputs\":[{\"type\":\"print\"}],"
             "\"rate\":{\"maxRecordsPerSecond\":2}}",
             port);
    FILE *f = open_memstream(&out, &len);
    struct stream_job *j = job(&l, def, f);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 0), 0);
    int c = accept(lfd, NULL, NULL);
    CU_ASSERT_FATAL(c >= 0);
    spin(&l, 3);
    const char lines[] = "a b\r\nb \xff\n\na c c\nd\n";
    CU_ASSERT_EQUAL(write(c, lines, sizeof(lines) - 1), (ssize_t)sizeof(lines) - 1);
    spin(&l, 3);
    CU_ASSERT_EQUAL(stream_job_queued(j, "s"), 5);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1); /* "a b", "b \xff" */
    CU_ASSERT_EQUAL(stream_job_queued(j, "s"), 3);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 2000), 1); /* "", "a c c" */
    CU_ASSERT_EQUAL(stream_job_run_due(j, 3000), 1); /* "d" */
    CU_ASSERT_EQUAL(stream_job_queued(j, "s"), 0);
    close(c);
    stream_job_free(j);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n('a', 1)\n('b', 2)\n('\xef\xbf\xbd', 1)\n\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n('', 1)\n('a', 1)\n('c', 2)\n\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n('d', 1)\n\n"));
    free(out);
    close(lfd);
    loop_release(&l);
}

/* Lines end at LF, CR or CRLF (BufferedReader.readLine): a lone CR ends a
 * line, and a CR last in one read followed by an LF in the next is one
 * line end, not an empty line between. */
static void test_socket_cr_line_ends(void)
{
    struct loop l;
    CU_ASSERT_EQUAL_FATAL(loop_init(&l), 0);
    int port, lfd = listener(&port);
    char def[512], *out = NULL;
    size_t len = 0;
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"s\",\"type\":\"socketText\","
             "\"host\":\"127.0.0.1\",\"port\":%d}],\"pipeline\":[],"
             "\"outputs\":[{\"type\":\"print\",\"num\":20}]}",
             port);
    FILE *f = open_memstream(&out, &len);
    struct stream_job *j = job(&l, def, f);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 0), 0);
    int c = accept(lfd, NULL, NULL);
    CU_ASSERT_FATAL(c >= 0);
    spin(&l, 3);
    CU_ASSERT_EQUAL(write(c, "a\rb\r\nc\r", 7), 7);
    spin(&l, 3);
    CU_ASSERT_EQUAL(stream_job_queued(j, "s"), 2); /* c waits: an LF may follow its CR */
    CU_ASSERT_EQUAL(write(c, "\nd\r\r", 4), 4);
    spin(&l, 3);
    CU_ASSERT_EQUAL(stream_job_queued(j, "s"), 4); /* a b c d; the last CR waits */
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1);
    close(c); /* the end of the stream: the last CR ends an empty line */
    spin(&l, 3);
    CU_ASSERT_EQUAL(stream_job_queued(j, "s"), 1);
    stream_job_free(j);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\na\nb\nc\nd\n\n"));
    free(out);
    close(lfd);
    loop_release(&l);
}

static void test_serve(void)
{
    struct loop l;
    CU_ASSERT_EQUAL_FATAL(loop_init(&l), 0);
    int port, lfd = listener(&port);
    close(lfd); /* a free port for the job to take */
    char def[512];
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
             "\"batches\":[[\"b\",\"a\",\"b\"],[\"c\"],[\"d\"]]}],\"pipeline\":[{\"op\":"
             "\"countByValue\"}],\"outputs\":[{\"type\":\"serve\",\"listen\":\"127.0.0.1:%d\","
             "\"retain\":2,\"order\":\"key\"}]}",
             port);
    struct stream_job *j = job(&l, def, NULL);
    char *s = http_get(&l, port, "/latest");
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "no batch has completed yet"));
    free(s);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 3000), 3);
    s = http_get(&l, port, "/latest");
    CU_ASSERT_STRING_EQUAL(s, "{\"job\":\"wc\",\"batchTime\":3000,\"batchTimeIso\":"
                              "\"1970-01-01T00:00:03Z\",\"kind\":\"perBatch\",\"records\":[{"
                              "\"key\":\"d\",\"value\":1}],\"truncated\":false}\n");
    free(s);
    s = http_get(&l, port, "/batches?since=0&limit=10"); /* retain 2: batch 1 is gone */
    json_t *b = json_loads(s, 0, NULL);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(b, "batches")), 2);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(
                        json_array_get(json_object_get(b, "batches"), 0), "batchTime")),
                    2000);
    json_decref(b);
    free(s);
    s = http_get(&l, port, "/status");
    b = json_loads(s, 0, NULL);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "state")), "running");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(b, "batches")), 3);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(json_object_get(b, "durationMs"), "scheduling"));
    json_decref(b);
    free(s);
    s = http_get(&l, port, "/nope");
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "not found"));
    free(s);
    s = http_get(&l, port, "/status/../latest");
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "not found"));
    free(s);
    stream_job_free(j);
    loop_release(&l);
}

/* basePath: the endpoints answer under it only. */
static void test_serve_base_path(void)
{
    struct loop l;
    CU_ASSERT_EQUAL_FATAL(loop_init(&l), 0);
    int port, lfd = listener(&port);
    close(lfd);
    char def[512];
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
             "\"batches\":[[\"x\"]]}],\"pipeline\":[],\"outputs\":[{\"type\":\"serve\","
             "\"listen\":\"127.0.0.1:%d\",\"basePath\":\"/_jobs/wc\"}]}",
             port);
    struct stream_job *j = job(&l, def, NULL);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1);
    char *s = http_get(&l, port, "/_jobs/wc/latest");
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"records\":[\"x\"]"));
    free(s);
    s = http_get(&l, port, "/latest");
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "not found"));
    free(s);
    s = http_get(&l, port, "/_jobs/wcx/latest");
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "not found"));
    free(s);
    stream_job_free(j);
    loop_release(&l);
}

/* A graceful stop makes one last batch of what was received; a hard one
 * does not. A socket source without a loop is refused. */
static void test_stop(void)
{
#define STOP_DEF                                                                                 \
    "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\"}],\"pipeline\":[]," \
    "\"outputs\":[{\"type\":\"print\"}],\"stop\":{\"graceful\":%s}}"
    for (int graceful = 0; graceful < 2; graceful++) {
        char text[512], *out = NULL;
        size_t len = 0;
        snprintf(text, sizeof(text), STOP_DEF, graceful ? "true" : "false");
        FILE *f = open_memstream(&out, &len);
        struct stream_job *j = job(NULL, text, f);
        CU_ASSERT_EQUAL(stream_job_push(j, "q", "late", 4), 0);
        stream_job_stop(j, 500);
        CU_ASSERT_TRUE(stream_job_stopped(j));
        CU_ASSERT_EQUAL(stream_job_unprocessed(j), graceful ? 0 : 1);
        CU_ASSERT_EQUAL(stream_job_run_due(j, 5000), 0); /* stopped */
        stream_job_free(j);
        fclose(f);
        CU_ASSERT_STRING_EQUAL(out, graceful ? STREAM_HDR("1970-01-01 00:00:01") "late\n\n" : "");
        free(out);
    }
    char err[256] = "";
    const char *sock = "{\"batchInterval\":1000,\"sources\":[{\"name\":\"s\",\"type\":"
                       "\"socketText\",\"host\":\"127.0.0.1\",\"port\":1}],\"pipeline\":[],"
                       "\"outputs\":[{\"type\":\"print\"}]}";
    struct stream_def *d = stream_def_parse(sock, strlen(sock), err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct stream_env env = { NULL, NULL, "t", "h", NULL };
    CU_ASSERT_PTR_NULL(stream_job_new(d, &env, 0, err, sizeof(err)));
    CU_ASSERT_STRING_EQUAL(err, "source 's': a socket source needs an event loop");
}

static void test_text_files_source(void)
{
    char dir[] = "/tmp/stream-tf-XXXXXX", path[256];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/old.txt", dir);
    FILE *f = fopen(path, "w");
    fputs("old\n", f);
    fclose(f);
    char def[512], *out = NULL;
    size_t len = 0;
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"f\",\"type\":\"textFiles\","
             "\"directory\":\"%s\",\"pattern\":\"*.txt\"}],\"pipeline\":[],\"outputs\":[{\"type\":"
             "\"print\"}]}",
             dir);
    FILE *o = open_memstream(&out, &len);
    struct stream_job *j = job(NULL, def, o);
    snprintf(path, sizeof(path), "%s/new.txt", dir);
    f = fopen(path, "w");
    fputs("x y\r\nz\rc\xff\n", f); /* CRLF, a lone CR, bad UTF-8 */
    fclose(f);
    snprintf(path, sizeof(path), "%s/skip.log", dir);
    f = fopen(path, "w");
    fputs("no\n", f);
    fclose(f);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 2000), 2);
    stream_job_free(j);
    fclose(o);
    CU_ASSERT_STRING_EQUAL(out,
                           STREAM_HDR("1970-01-01 00:00:01") "x y\nz\nc\xef\xbf\xbd\n\n" STREAM_HDR(
                               "1970-01-01 00:00:02") "\n");
    free(out);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

int main(void)
{
    stream_test_utc();
    CU_TestInfo tests[] = {
        { "socket_lines_backpressure", test_socket_lines_backpressure },
        { "socket_utf8_per_buffer", test_socket_utf8_per_buffer },
        { "socket_word_count_lines", test_socket_word_count_lines },
        { "socket_cr_line_ends", test_socket_cr_line_ends },
        { "serve", test_serve },
        { "serve_base_path", test_serve_base_path },
        { "stop", test_stop },
        { "text_files_source", test_text_files_source },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "stream_src", NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
