/* End to end: `apim job run` as a real process. The test is the data server
 * (as `nc -lk 9999` is for the seed): the job connects to it, the test
 * writes lines, then reads the job's serve port (/batches, /latest,
 * /status) over HTTP and its print output on stdout. Then a stateful job
 * with a checkpoint is killed with SIGKILL and started again: its running
 * total goes on from the last completed batch; with a write-ahead log, a
 * line received but in no batch when it was killed is in the total too. */
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

static const char *apim_path;

/* apim job run in the background, stdout to out_path. */
static pid_t spawn_job(const char *def, const char *out_path)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(out_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd < 0 || dup2(fd, 1) < 0)
            _exit(127);
        execl(apim_path, apim_path, "job", "run", "--definition", def, "wc", (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        h_remember(pid);
    return pid;
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

static void write_def(char *path, size_t n, int interval, int src_port, int serve_port,
                      const char *steps, const char *extra)
{
    char text[2048];
    snprintf(text, sizeof(text),
             "{\"batchInterval\":%d,\"sources\":[{\"name\":\"lines\",\"type\":\"socketText\","
             "\"host\":\"127.0.0.1\",\"port\":%d,\"reconnectDelay\":200}],\"pipeline\":[{\"op\":"
             "\"flatMap\",\"split\":\" \"},{\"op\":\"map\",\"pair\":{\"key\":\"$\",\"value\":1}},"
             "%s],\"outputs\":[{\"type\":\"print\"},{\"type\":\"serve\",\"listen\":"
             "\"127.0.0.1:%d\",\"retain\":1000}]%s}",
             interval, src_port, steps, serve_port, extra);
    CU_ASSERT_EQUAL_FATAL(h_write_file(serve_port % 2 ? "odd.json" : "even.json", text, path, n),
                          0);
}

static int stop_job(pid_t pid)
{
    int st = -1;
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_wordcount(void)
{
    int port, lfd = h_listen(&port), serve = h_dead_port();
    CU_ASSERT_FATAL(lfd >= 0);
    char def[512], out[512];
    write_def(def, sizeof(def), 200, port, serve, "{\"op\":\"reduceByKey\",\"func\":\"sum\"}", "");
    snprintf(out, sizeof(out), "%s/wc.out", h_scratch());
    pid_t pid = spawn_job(def, out);
    int c = h_accept(lfd, 10000);
    CU_ASSERT_FATAL(c >= 0);
    const char lines[] = "hello world hello\r\n";
    CU_ASSERT_EQUAL(write(c, lines, sizeof(lines) - 1), (ssize_t)sizeof(lines) - 1);
    struct probe p = { "", "{\"key\":\"hello\",\"value\":2},{\"key\":\"world\",\"value\":1}" };
    snprintf(p.url, sizeof(p.url), "http://127.0.0.1:%d/batches?since=0&limit=1000", serve);
    CU_ASSERT_TRUE(h_wait(body_has, &p, 10000));
    snprintf(p.url, sizeof(p.url), "http://127.0.0.1:%d/status", serve);
    p.want = "\"connected\":true";
    CU_ASSERT_TRUE(h_wait(body_has, &p, 5000));
    snprintf(p.url, sizeof(p.url), "http://127.0.0.1:%d/latest", serve);
    p.want = "\"job\":\"wc\"";
    CU_ASSERT_TRUE(h_wait(body_has, &p, 5000));
    CU_ASSERT_EQUAL(stop_job(pid), 0);
    close(c);
    close(lfd);
    FILE *f = fopen(out, "r");
    char text[65536] = "";
    size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
    text[n] = '\0';
    if (f)
        fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "-------------------------------------------\n"
                                        "('hello', 2)\n('world', 1)\n\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "-------------------------------------------\nTime: "));
}

/* kill -9 between batches, restart: the total continues (a=2, then a=3). */
static void test_kill_restart(void)
{
    int port, lfd = h_listen(&port), serve = h_dead_port();
    CU_ASSERT_FATAL(lfd >= 0);
    char def[512], out[512], extra[512];
    snprintf(extra, sizeof(extra), ",\"checkpoint\":{\"directory\":\"%s/ck\",\"interval\":200}",
             h_scratch());
    write_def(def, sizeof(def), 200, port, serve, "{\"op\":\"updateStateByKey\",\"func\":\"sum\"}",
              extra);
    snprintf(out, sizeof(out), "%s/total.out", h_scratch());
    pid_t pid = spawn_job(def, out);
    int c = h_accept(lfd, 10000);
    CU_ASSERT_FATAL(c >= 0);
    CU_ASSERT_EQUAL(write(c, "a a\n", 4), 4);
    struct probe p = { "", "{\"key\":\"a\",\"value\":2}" };
    snprintf(p.url, sizeof(p.url), "http://127.0.0.1:%d/latest", serve);
    CU_ASSERT_TRUE_FATAL(h_wait(body_has, &p, 10000));
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(c);
    pid = spawn_job(def, out);
    c = h_accept(lfd, 10000);
    CU_ASSERT_FATAL(c >= 0);
    p.want = "\"kind\":\"running\",\"records\":[{\"key\":\"a\",\"value\":2}]";
    CU_ASSERT_TRUE(h_wait(body_has, &p, 10000)); /* the state came back */
    CU_ASSERT_EQUAL(write(c, "a b\n", 4), 4);
    p.want = "{\"key\":\"a\",\"value\":3},{\"key\":\"b\",\"value\":1}";
    CU_ASSERT_TRUE(h_wait(body_has, &p, 10000));
    CU_ASSERT_EQUAL(stop_job(pid), 0);
    close(c);
    close(lfd);
}

/* The write-ahead log: a line received but not yet in a batch (a 4 s batch
 * interval, started just after a batch time) is in the log when the job is
 * killed with SIGKILL; after the restart it is in the first batch and the
 * running total includes it (a=2, then a=3 with a later line). */
static void test_wal_kill_restart(void)
{
    int port, lfd = h_listen(&port), serve = h_dead_port();
    CU_ASSERT_FATAL(lfd >= 0);
    char def[512], out[512], extra[512];
    snprintf(extra, sizeof(extra),
             ",\"checkpoint\":{\"directory\":\"%s/walck\",\"interval\":4000,"
             "\"writeAheadLog\":true}",
             h_scratch());
    write_def(def, sizeof(def), 4000, port, serve, "{\"op\":\"updateStateByKey\",\"func\":\"sum\"}",
              extra);
    snprintf(out, sizeof(out), "%s/wal.out", h_scratch());
    while (h_now_ms() % 4000 > 200) /* the first batch is then ~3.8 s away */
        usleep(20000);
    pid_t pid = spawn_job(def, out);
    int c = h_accept(lfd, 10000);
    CU_ASSERT_FATAL(c >= 0);
    CU_ASSERT_EQUAL(write(c, "a a\n", 4), 4);
    struct probe p = { "", "\"logged\":1" };
    snprintf(p.url, sizeof(p.url), "http://127.0.0.1:%d/status", serve);
    CU_ASSERT_TRUE_FATAL(h_wait(body_has, &p, 3000)); /* received: in the log */
    p.want = "\"batches\":0,";
    CU_ASSERT_TRUE_FATAL(h_wait(body_has, &p, 100)); /* and in no batch yet */
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(c);
    pid = spawn_job(def, out);
    c = h_accept(lfd, 10000);
    CU_ASSERT_FATAL(c >= 0);
    p.want = "\"kind\":\"running\",\"records\":[{\"key\":\"a\",\"value\":2}]";
    snprintf(p.url, sizeof(p.url), "http://127.0.0.1:%d/latest", serve);
    CU_ASSERT_TRUE(h_wait(body_has, &p, 10000)); /* replayed from the log */
    CU_ASSERT_EQUAL(write(c, "a b\n", 4), 4);
    p.want = "{\"key\":\"a\",\"value\":3},{\"key\":\"b\",\"value\":1}";
    CU_ASSERT_TRUE(h_wait(body_has, &p, 10000));
    CU_ASSERT_EQUAL(stop_job(pid), 0);
    close(c);
    close(lfd);
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    apim_path = argv[1];
    h_init(argv[1], argv[2], argv[3]);
    CU_TestInfo tests[] = {
        { "wordcount", test_wordcount },
        { "kill_restart", test_kill_restart },
        { "wal_kill_restart", test_wal_kill_restart },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "e2e_stream", NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
