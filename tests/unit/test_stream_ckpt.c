/* Unit tests for checkpoints (runtime/stream/stream_ckpt.c) and the
 * textFiles output: a stateful job stopped and started again resumes from
 * its last completed batch with its running totals; a changed definition
 * (another hash) is refused; a damaged checkpoint is refused, not trusted;
 * batch folders are complete and rewritten identically. */
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
    snprintf(dir, sizeof(dir), "/tmp/stream-ck-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void def_text(char *out, size_t n, const char *sub)
{
    snprintf(out, n,
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
             "\"batches\":[[\"a\"],[\"a b\"],[\"a\"]]}],\"pipeline\":[{\"op\":\"flatMap\","
             "\"split\":\" \"},{\"op\":\"map\",\"pair\":{\"key\":\"$\",\"value\":1}},"
             "{\"op\":\"updateStateByKey\",\"func\":\"sum\"}],\"outputs\":[{\"type\":\"print\"}],"
             "\"checkpoint\":{\"directory\":\"%s/%s\",\"interval\":1000}}",
             dir, sub);
}

/* Starts a job at now; NULL with err when refused. */
static struct stream_job *start(const char *def, const char *hash, int64_t now, FILE *out,
                                char *err, size_t errlen)
{
    struct stream_def *d = stream_def_parse(def, strlen(def), err, errlen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct stream_env env = { NULL, out, "totals", hash, NULL };
    return stream_job_new(d, &env, now, err, errlen);
}

static void test_round_trip(void)
{
    char def[1024], err[512] = "", *out = NULL;
    size_t len = 0;
    def_text(def, sizeof(def), "rt");
    FILE *f = open_memstream(&out, &len);
    struct stream_job *j = start(def, "h1", 999, f, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 2000), 2);
    stream_job_free(j); /* as if killed after batch 2 */
    /* Restarted much later: resumes with a=2, b=1 and the third queued batch. */
    j = start(def, "h1", 50500, f, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(stream_job_next_deadline(j), 51000);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 51000), 1);
    stream_job_free(j);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, STREAM_HDR("1970-01-01 00:00:51") "('a', 3)\n('b', 1)\n\n"));
    free(out);
}

static void test_refusals(void)
{
    char def[1024], err[512] = "", path[256];
    def_text(def, sizeof(def), "rf");
    struct stream_job *j = start(def, "aaaa", 999, NULL, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1);
    stream_job_free(j);
    j = start(def, "bbbb", 999, NULL, err, sizeof(err));
    CU_ASSERT_PTR_NULL(j);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "was written by another definition of job 'totals' "
                                       "(hash aaaa, now bbbb): use a new checkpoint directory"));
    snprintf(path, sizeof(path), "%s/rf/metadata.json", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("{\"hash\":\"aaaa\",\"batchTime\":1000,\"state\":[1],\"sources\":[]}", f);
    fclose(f);
    j = start(def, "aaaa", 999, NULL, err, sizeof(err));
    CU_ASSERT_PTR_NULL(j);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "damaged state"));
    /* Values out of range or of the wrong type: refused, never trusted. */
    static const char *const bad[] = {
        "{\"hash\":\"aaaa\",\"batchTime\":-5,\"state\":[null,null,{}],\"sources\":[{}]}",
        "{\"hash\":\"aaaa\",\"batchTime\":1000,\"state\":[null,null,{\"batches\":"
        "9223372036854775807,\"map\":[[\"a\",1,-9223372036854775807]],\"ring\":[]}],"
        "\"sources\":[{\"offset\":1,\"nextBatch\":1,\"files\":[]}]}",
        "{\"hash\":\"aaaa\",\"batchTime\":1000,\"state\":[null,null,{\"batches\":1,"
        "\"map\":[[\"a\",\"x\",0]],\"ring\":[]}],\"sources\":[{\"offset\":1,"
        "\"nextBatch\":1,\"files\":[]}]}",
        "[1,2]",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        f = fopen(path, "w");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        fputs(bad[i], f);
        fclose(f);
        j = start(def, "aaaa", 999, NULL, err, sizeof(err));
        CU_ASSERT_PTR_NULL(j);
        stream_job_free(j);
    }
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *s = calloc(1, 4096);
    size_t n = fread(s, 1, 4095, f);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void test_text_files(void)
{
    char def[1024], path[256];
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
             "\"batches\":[[\"it's\",\"b\"],[]]}],\"pipeline\":[{\"op\":\"countByValue\"}],"
             "\"outputs\":[{\"type\":\"textFiles\",\"prefix\":\"%s/new/out\",\"suffix\":\"txt\"}]}",
             dir);
    for (int run = 0; run < 2; run++) /* the second run rewrites the same folders */
        free(stream_test_run(def, 2000));
    snprintf(path, sizeof(path), "%s/new/out-1000.txt/part-00000", dir);
    char *s = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s, "(\"it's\", 1)\n('b', 1)\n");
    free(s);
    snprintf(path, sizeof(path), "%s/new/out-1000.txt/_SUCCESS", dir);
    CU_ASSERT_EQUAL(access(path, F_OK), 0);
    snprintf(path, sizeof(path), "%s/new/out-2000.txt/part-00000", dir);
    s = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s, "");
    free(s);
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "round_trip", test_round_trip },
        { "refusals", test_refusals },
        { "text_files", test_text_files },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "stream_ckpt", setup, teardown, NULL, NULL, tests },
                              CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
