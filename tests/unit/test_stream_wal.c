/* Unit tests for checkpoint.interval, checkpoint.writeAheadLog
 * (runtime/stream/stream_wal.c) and stop.timeout, with the injected clock
 * and the queue source (no sleeps): a checkpoint every ceil(interval /
 * batch) batches and at a stop, a restart rolling back to it while the
 * prepared batches and the log re-deliver what came after; records pushed
 * and not yet in a batch survive a "kill" (the job freed without a stop);
 * the log is emptied once checkpointed and a torn last record is cut off;
 * a graceful stop runs rate-limited batches at their times until its
 * timeout and reports what it left. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_run.h"
#include "stream_testutil.h"

static char dir[64];

static int setup(void)
{
    stream_test_utc();
    snprintf(dir, sizeof(dir), "/tmp/stream-wal-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A running word total over a queue source; sub names the checkpoint. */
#define TOTAL_DEF                                                                                \
    "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\",\"batches\":%s}],"  \
    "\"pipeline\":[{\"op\":\"map\",\"pair\":{\"key\":\"$\",\"value\":1}},{\"op\":"               \
    "\"updateStateByKey\",\"func\":\"sum\"}],\"outputs\":[{\"type\":\"print\"}],\"checkpoint\":" \
    "{\"directory\":\"%s/%s\",\"interval\":%d,\"writeAheadLog\":%s}%s}"

static struct stream_job *start(const char *def, int64_t now, FILE *out)
{
    char err[512] = "";
    struct stream_def *d = stream_def_parse(def, strlen(def), err, sizeof(err));
    if (!d)
        fprintf(stderr, "definition: %s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct stream_env env = { NULL, out, "totals", "h", NULL };
    struct stream_job *j = stream_job_new(d, &env, now, err, sizeof(err));
    if (!j)
        fprintf(stderr, "job: %s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    return j;
}

/* The batchTime of sub's checkpoint, or -1 when there is none. */
static long long ckpt_time(const char *sub)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s/metadata.json", dir, sub);
    json_t *root = json_load_file(path, 0, NULL);
    long long t = root ? (long long)json_integer_value(json_object_get(root, "batchTime")) : -1;
    json_decref(root);
    return t;
}

/* Records in sub's write-ahead log files (lines), and how many files. */
static size_t wal_lines(const char *sub, size_t *files)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s/wal", dir, sub);
    DIR *d = opendir(path);
    struct dirent *e;
    size_t lines = 0;
    *files = 0;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        (*files)++;
        snprintf(path, sizeof(path), "%s/%s/wal/%s", dir, sub, e->d_name);
        FILE *f = fopen(path, "r");
        int c;
        while (f && (c = fgetc(f)) != EOF)
            lines += c == '\n';
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    return lines;
}

/* interval 3 s on a 1 s batch: checkpoints after batches 3 and 6 only; a
 * kill after batch 5 restarts from batch 3, and the queue's prepared
 * batches 4 and 5 come again, so the totals are right. */
static void test_interval(void)
{
    char def[1024], *out = NULL;
    size_t len = 0;
    snprintf(def, sizeof(def), TOTAL_DEF, "[[\"a\"],[\"a\"],[\"b\"],[\"a\"],[\"a\"],[\"a\"]]", dir,
             "iv", 3000, "false", "");
    FILE *f = open_memstream(&out, &len);
    struct stream_job *j = start(def, 999, f);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 2000), 2);
    CU_ASSERT_EQUAL(ckpt_time("iv"), -1);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 3000), 1);
    CU_ASSERT_EQUAL(ckpt_time("iv"), 3000);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 5000), 2);
    CU_ASSERT_EQUAL(ckpt_time("iv"), 3000);
    stream_job_free(j); /* killed after batch 5: a=4, b=1 in memory only */
    j = start(def, 5500, f);
    CU_ASSERT_EQUAL(stream_job_next_deadline(j), 6000);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 8000), 3); /* batches 4, 5, 6 of the queue again */
    CU_ASSERT_EQUAL(ckpt_time("iv"), 8000);
    stream_job_free(j);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, STREAM_HDR("1970-01-01 00:00:08") "('a', 5)\n('b', 1)\n\n"));
    free(out);
    /* A stop writes the checkpoint of the last batch, whatever the interval. */
    j = start(def, 8500, NULL);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 9000), 1);
    stream_job_stop(j, 9100);
    CU_ASSERT_TRUE(stream_job_stopped(j));
    CU_ASSERT_EQUAL(ckpt_time("iv"), 10000); /* the graceful stop's batch */
    stream_job_free(j);
}

/* Records pushed and not in a batch survive a kill; a checkpoint covering
 * the log empties it; with an interval, records taken into batches after
 * the checkpoint come again too. */
static void test_wal_replay(void)
{
    char def[1024], *out = NULL;
    size_t len = 0, files;
    snprintf(def, sizeof(def), TOTAL_DEF, "[]", dir, "wal", 2000, "true", "");
    FILE *f = open_memstream(&out, &len);
    struct stream_job *j = start(def, 999, f);
    CU_ASSERT_EQUAL(stream_job_push(j, "q", "\"a\"", 3), 0);
    CU_ASSERT_EQUAL(stream_job_push(j, "q", "b\nc", 3), 0);
    CU_ASSERT_EQUAL(wal_lines("wal", &files), 2);
    stream_job_free(j); /* killed before any batch */
    j = start(def, 1500, f);
    CU_ASSERT_EQUAL(stream_job_queued(j, "q"), 2);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 2000), 1); /* not checkpointed yet (2 batches) */
    CU_ASSERT_EQUAL(stream_job_push(j, "q", "a", 1), 0);
    stream_job_free(j); /* killed: batch 2's records and 'a' come again */
    j = start(def, 2500, f);
    CU_ASSERT_EQUAL(stream_job_queued(j, "q"), 3);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 4000), 2); /* a checkpoint after the second */
    CU_ASSERT_EQUAL(ckpt_time("wal"), 4000);
    CU_ASSERT_EQUAL(wal_lines("wal", &files), 0);
    CU_ASSERT_EQUAL(files, 0);
    CU_ASSERT_EQUAL(stream_job_push(j, "q", "z", 1), 0);
    CU_ASSERT_EQUAL(wal_lines("wal", &files), 1);
    CU_ASSERT_EQUAL(files, 1);
    stream_job_free(j);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(out, STREAM_HDR("1970-01-01 00:00:04") "('\"a\"', 1)\n('b\\nc', 1)\n('a', 1)\n\n"));
    free(out);
    /* A torn last record (a crash inside the write) is cut off. */
    char path[512];
    DIR *d = NULL;
    snprintf(path, sizeof(path), "%s/wal/wal", dir);
    d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            snprintf(path, sizeof(path), "%s/wal/wal/%s", dir, e->d_name);
    if (d)
        closedir(d);
    FILE *seg = fopen(path, "a");
    CU_ASSERT_PTR_NOT_NULL_FATAL(seg);
    fputs("\"tor", seg);
    fclose(seg);
    j = start(def, 4500, NULL);
    CU_ASSERT_EQUAL(stream_job_queued(j, "q"), 1); /* 'z' */
    CU_ASSERT_EQUAL(stream_job_push(j, "q", "y", 1), 0);
    stream_job_free(j);
    j = start(def, 4600, NULL);
    CU_ASSERT_EQUAL(stream_job_queued(j, "q"), 2); /* 'z', 'y' */
    stream_job_free(j);
}

/* A segment past 8 MiB is closed at a checkpoint though not all in it; the
 * next records go to a new one; a restart replays both; the old one goes
 * once a checkpoint covers it. */
static void test_wal_segments(void)
{
    char def[1024];
    size_t files, big = (size_t)1 << 20;
    snprintf(def, sizeof(def), TOTAL_DEF, "[]", dir, "seg", 1000, "true",
             ",\"rate\":{\"maxRecordsPerSecond\":1}");
    char *x = malloc(big);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    memset(x, 'x', big);
    struct stream_job *j = start(def, 999, NULL);
    for (int i = 0; i < 9; i++)
        CU_ASSERT_EQUAL(stream_job_push(j, "q", x, big), 0);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1); /* takes 1 of 9: 9 MiB logged */
    CU_ASSERT_EQUAL(stream_job_push(j, "q", "small", 5), 0);
    CU_ASSERT_EQUAL(wal_lines("seg", &files), 10);
    CU_ASSERT_EQUAL(files, 2);
    stream_job_free(j);
    j = start(def, 1500, NULL);
    CU_ASSERT_EQUAL(stream_job_queued(j, "q"), 9); /* 8 big, 'small' */
    CU_ASSERT_EQUAL(stream_job_run_due(j, 8000), 7);
    CU_ASSERT_EQUAL(wal_lines("seg", &files), 10);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 9000), 1); /* the last big one: its segment goes */
    CU_ASSERT_EQUAL(wal_lines("seg", &files), 1);
    CU_ASSERT_EQUAL(files, 1);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 10000), 1); /* 'small': all checkpointed */
    CU_ASSERT_EQUAL(wal_lines("seg", &files), 0);
    CU_ASSERT_EQUAL(files, 0);
    stream_job_free(j);
    free(x);
}

/* stop.timeout: one record a batch (the rate); the stop's first batch runs
 * at once, the next ones at their times, until the timeout. */
static void test_stop_timeout(void)
{
    char def[1024];
    snprintf(def, sizeof(def), TOTAL_DEF, "[]", dir, "st", 1000, "false",
             ",\"rate\":{\"maxRecordsPerSecond\":1},\"stop\":{\"graceful\":true,\"timeout\":2500}");
    struct stream_job *j = start(def, 1100, NULL);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(stream_job_push(j, "q", "r", 1), 0);
    stream_job_stop(j, 1200); /* batch 2000 runs now */
    CU_ASSERT_FALSE(stream_job_stopped(j));
    CU_ASSERT_EQUAL(stream_job_unprocessed(j), 4);
    CU_ASSERT_EQUAL(stream_job_push(j, "q", "late", 4), -1); /* no longer receiving */
    CU_ASSERT_EQUAL(stream_job_next_deadline(j), 3000);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 3000), 1);
    CU_ASSERT_FALSE(stream_job_stopped(j));
    CU_ASSERT_EQUAL(stream_job_next_deadline(j), 3700); /* the timeout before batch 4000 */
    CU_ASSERT_EQUAL(stream_job_run_due(j, 3700), 0);
    CU_ASSERT_TRUE(stream_job_stopped(j));
    CU_ASSERT_EQUAL(stream_job_unprocessed(j), 3);
    json_t *st = stream_job_status(j);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(st, "state")), "stopped");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(st, "unprocessed")), 3);
    json_decref(st);
    CU_ASSERT_EQUAL(ckpt_time("st"), 3000);
    stream_job_free(j);
    /* Enough time: every record is processed, the stop ends when the queue
     * is empty. Without graceful: nothing more runs. */
    snprintf(def, sizeof(def), TOTAL_DEF, "[]", dir, "st2", 1000, "false",
             ",\"rate\":{\"maxRecordsPerSecond\":2},\"stop\":{\"graceful\":true}");
    j = start(def, 999, NULL);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(stream_job_push(j, "q", "r", 1), 0);
    stream_job_stop(j, 1000);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 2000), 1);
    CU_ASSERT_TRUE(stream_job_stopped(j));
    CU_ASSERT_EQUAL(stream_job_unprocessed(j), 0);
    stream_job_free(j);
    snprintf(def, sizeof(def), TOTAL_DEF, "[]", dir, "st3", 1000, "false",
             ",\"stop\":{\"graceful\":false}");
    j = start(def, 999, NULL);
    CU_ASSERT_EQUAL(stream_job_push(j, "q", "r", 1), 0);
    stream_job_stop(j, 1000);
    CU_ASSERT_TRUE(stream_job_stopped(j));
    CU_ASSERT_EQUAL(stream_job_unprocessed(j), 1);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 5000), 0);
    stream_job_free(j);
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "interval", test_interval },
        { "wal_replay", test_wal_replay },
        { "wal_segments", test_wal_segments },
        { "stop_timeout", test_stop_timeout },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "stream_wal", setup, teardown, NULL, NULL, tests },
                              CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
