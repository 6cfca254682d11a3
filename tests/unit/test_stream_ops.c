/* Unit tests for the streaming operators (runtime/stream/stream_ops.c,
 * stream_win.c) through whole jobs: queue batches in, pprint bytes out,
 * every expected batch computed by hand. */
#include <stdlib.h>
#include <string.h>

#include "cunit_run.h"
#include "stream_int.h"
#include "stream_testutil.h"

#define WC_STEPS \
    "{\"op\":\"flatMap\",\"split\":\" \"},{\"op\":\"map\",\"pair\":{\"key\":\"$\",\"value\":1}}"

static void check(const char *def, int64_t until, const char *want)
{
    char *got = stream_test_run(def, until);
    CU_ASSERT_STRING_EQUAL(got, want);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "got:\n%s\nwant:\n%s\n", got, want);
    free(got);
}

/* The seed: split(" ") keeps empty words, counts per batch, an empty batch
 * still prints its header, no carry-over between batches. */
static void test_wordcount(void)
{
    check("{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
          "\"batches\":[[\"a b a\",\"b  c\"],[],[\"x\"]]}],\"pipeline\":[" WC_STEPS
          ",{\"op\":\"reduceByKey\",\"func\":\"sum\"}],\"outputs\":[{\"type\":\"print\"}]}",
          3000,
          STREAM_HDR("1970-01-01 00:00:01") "('a', 2)\n('b', 2)\n('', 1)\n('c', 1)\n\n" STREAM_HDR(
              "1970-01-01 00:00:02") "\n" STREAM_HDR("1970-01-01 00:00:03") "('x', 1)\n\n");
}

/* The same steps with a float literal are not fused: the general
 * reduceByKey gives the same counts, as floats. */
static void test_wordcount_unfused(void)
{
    check("{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
          "\"batches\":[[\"a b a\",\"b  c\"]]}],\"pipeline\":[{\"op\":\"flatMap\",\"split\":"
          "\" \"},{\"op\":\"map\",\"pair\":{\"key\":\"$\",\"value\":0.5}},{\"op\":"
          "\"reduceByKey\",\"func\":\"sum\"}],\"outputs\":[{\"type\":\"print\"}]}",
          1000,
          STREAM_HDR("1970-01-01 00:00:01") "('a', 1.0)\n('b', 1.0)\n('', 0.5)\n('c', 0.5)\n\n");
}

/* The fused table: keys of every length around the hash's 4- and 8-byte
 * loads, keys differing only in a middle byte, the empty key, growth past
 * several resizes; first-seen order and sums kept. */
static void test_words_table(void)
{
    struct swords t;
    swords_init(&t);
    char k[64];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 20000; i++) {
            size_t n = (size_t)(i % 40);
            memset(k, 'a', n);
            if (n > 0)
                k[n / 2] = (char)('0' + i / 40 % 10), k[0] = (char)('A' + i / 400 % 26);
            if (n > 2)
                k[n - 1] = (char)('a' + i / 4000);
            swords_get(&t, k, n)->acc += 1;
        }
    size_t total = 0, odd = 0, dup = 0;
    for (size_t i = 0; i < t.n; i++) {
        total += (size_t)t.e[i].acc;
        odd += t.e[i].acc % 2 != 0;              /* each key is seen as often in both rounds */
        for (size_t m = 0; m < i && m < 50; m++) /* no key twice (against the first ones) */
            dup += t.e[m].len == t.e[i].len &&
                   memcmp(t.bytes + t.e[m].off, t.bytes + t.e[i].off, t.e[i].len) == 0;
    }
    CU_ASSERT_EQUAL(odd, 0);
    CU_ASSERT_EQUAL(dup, 0);
    CU_ASSERT_EQUAL(total, 40000);
    CU_ASSERT_EQUAL(t.n, 18787);    /* the distinct keys the loop makes, counted apart in Python */
    CU_ASSERT_EQUAL(t.e[0].len, 0); /* i == 0: the empty key, first seen */
    CU_ASSERT_EQUAL(t.e[0].acc, 2 * 500);
    swords_release(&t);
}

/* The fused path with a separator of several bytes and of one, keys past
 * eight bytes differing only in the middle: the same counts, first-seen. */
static void test_wordcount_long_keys(void)
{
    check("{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
          "\"batches\":[[\"abcdXefghij--abcdYefghij--abcdXefghij\",\"--\"]]}],\"pipeline\":[{"
          "\"op\":\"flatMap\",\"split\":\"--\"},{\"op\":\"map\",\"pair\":{\"key\":\"$\","
          "\"value\":3}},{\"op\":\"reduceByKey\",\"func\":\"sum\"}],\"outputs\":[{\"type\":"
          "\"print\"}]}",
          1000,
          STREAM_HDR("1970-01-01 00:00:01") "('abcdXefghij', 6)\n('abcdYefghij', 3)\n('', 6)\n\n");
}

/* rate.maxRecordsPerSecond caps a batch at rate x interval records; the
 * rest waits in the queue for the next batches. */
static void test_rate_limit(void)
{
    const char *def = "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":"
                      "\"queue\"}],\"pipeline\":[],\"outputs\":[{\"type\":\"print\"}],"
                      "\"rate\":{\"maxRecordsPerSecond\":2,\"queueCapacity\":4}}";
    char err[256], *out = NULL;
    size_t len = 0;
    struct stream_def *d = stream_def_parse(def, strlen(def), err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    FILE *f = open_memstream(&out, &len);
    struct stream_env env = { NULL, f, "t", "h", NULL };
    struct stream_job *j = stream_job_new(d, &env, 999, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    const char *w[] = { "1", "2", "3", "4", "5" };
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(stream_job_push(j, "q", w[i], 1), i < 4 ? 0 : -1); /* bound: 4 */
    CU_ASSERT_EQUAL(stream_job_push(j, "nope", "x", 1), -1);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 3000), 3);
    stream_job_free(j);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(
        out, STREAM_HDR("1970-01-01 00:00:01") "1\n2\n\n" STREAM_HDR(
                 "1970-01-01 00:00:02") "3\n4\n\n" STREAM_HDR("1970-01-01 00:00:03") "\n");
    free(out);
}

/* num=2 of 3 records: "..." after the second. */
static void test_print_more(void)
{
    check("{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
          "\"batches\":[[\"a\",\"b\",\"c\"]]}],\"pipeline\":[],"
          "\"outputs\":[{\"type\":\"print\",\"num\":2}]}",
          1000, STREAM_HDR("1970-01-01 00:00:01") "a\nb\n...\n\n");
}

#define WIN_DEF(extra, ck)                                                                    \
    "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","                \
    "\"batches\":[[\"a\"],[\"a\",\"b\"],[],[],[\"b\"]]}],\"pipeline\":[" WC_STEPS             \
    ",{\"op\":\"reduceByKeyAndWindow\",\"func\":\"sum\",\"length\":3000,\"slide\":2000" extra \
    "}],\"outputs\":[{\"type\":\"print\"}]" ck "}"

/* Window (length 3, slide 2): output at batches 2, 4, 6 only; batch 6's
 * window (4, 5, 6) holds only the 'b' of batch 5: windows slide over empty
 * batches. */
static void test_window(void)
{
    check(
        WIN_DEF("", ""), 6000,
        STREAM_HDR("1970-01-01 00:00:02") "('a', 2)\n('b', 1)\n\n" STREAM_HDR(
            "1970-01-01 00:00:04") "('a', 1)\n('b', 1)\n\n" STREAM_HDR("1970-01-01 00:00:06") "('b'"
                                                                                              ", "
                                                                                              "1)"
                                                                                              "\n"
                                                                                              "\n");
}

/* The inverse variant keeps keys that fell to 0 (Spark without filterFunc);
 * dropZero removes them. */
static void test_window_inverse(void)
{
    char dir[] = "/tmp/stream-inv-XXXXXX", def[2048];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(def, sizeof(def),
             WIN_DEF(",\"inverse\":true", ",\"checkpoint\":{\"directory\":\"%s/a\"}"), dir);
    check(
        def, 6000,
        STREAM_HDR("1970-01-01 00:00:02") "('a', 2)\n('b', 1)\n\n" STREAM_HDR(
            "1970-01-01 00:00:04") "('a', 1)\n('b', 1)\n\n" STREAM_HDR("1970-01-01 00:00:06") "('a'"
                                                                                              ", "
                                                                                              "0)"
                                                                                              "\n('"
                                                                                              "b', "
                                                                                              "1)"
                                                                                              "\n"
                                                                                              "\n");
    snprintf(
        def, sizeof(def),
        WIN_DEF(",\"inverse\":true,\"dropZero\":true", ",\"checkpoint\":{\"directory\":\"%s/b\"}"),
        dir);
    char *got = stream_test_run(def, 6000);
    CU_ASSERT_PTR_NOT_NULL(strstr(got, STREAM_HDR("1970-01-01 00:00:06") "('b', 1)\n\n"));
    CU_ASSERT_PTR_NULL(strstr(got, "('a', 0)"));
    free(got);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_count_window(void)
{
    char dir[] = "/tmp/stream-cbw-XXXXXX", def[1024];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
             "\"batches\":[[\"x\",\"y\"],[\"z\"],[],[]]}],\"pipeline\":[{\"op\":"
             "\"countByWindow\",\"length\":2000,\"slide\":1000}],\"outputs\":[{\"type\":"
             "\"print\"}],\"checkpoint\":{\"directory\":\"%s\"}}",
             dir);
    check(
        def, 4000,
        STREAM_HDR("1970-01-01 00:00:01") "2\n\n" STREAM_HDR(
            "1970-01-01 00:00:02") "3\n\n" STREAM_HDR("1970-01-01 00:00:03") "1\n\n" STREAM_HDR("19"
                                                                                                "70"
                                                                                                "-0"
                                                                                                "1-"
                                                                                                "01"
                                                                                                " 0"
                                                                                                "0:"
                                                                                                "00"
                                                                                                ":0"
                                                                                                "4") "0\n\n");
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_update_state(void)
{
    char dir[] = "/tmp/stream-usk-XXXXXX", def[1024];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
             "\"batches\":[[\"a\",\"b\"],[\"a\"],[]]}],\"pipeline\":[" WC_STEPS
             ",{\"op\":\"updateStateByKey\",\"func\":\"sum\",\"timeout\":1500}],"
             "\"outputs\":[{\"type\":\"print\"}],\"checkpoint\":{\"directory\":\"%s\"}}",
             dir);
    /* b's last value is at 1000: idle 2000 > 1500 at batch 3, so it expires. */
    check(
        def, 3000,
        STREAM_HDR("1970-01-01 00:00:01") "('a', 1)\n('b', 1)\n\n" STREAM_HDR(
            "1970-01-01 00:00:02") "('a', 2)\n('b', 1)\n\n" STREAM_HDR("1970-01-01 00:00:03") "('a'"
                                                                                              ", "
                                                                                              "2)"
                                                                                              "\n"
                                                                                              "\n");
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_count_by_value_topk(void)
{
    check("{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
          "\"batches\":[[\"a\",\"b\",\"b\",\"c\",\"c\",\"c\",\"d\"]]}],\"pipeline\":["
          "{\"op\":\"countByValue\"},{\"op\":\"topK\",\"n\":3}],"
          "\"outputs\":[{\"type\":\"print\"}]}",
          1000, STREAM_HDR("1970-01-01 00:00:01") "('c', 3)\n('b', 2)\n('a', 1)\n\n");
}

/* split null is str.split(): whitespace runs, no empty words; lower, trim. */
static void test_split_whitespace_map(void)
{
    check("{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
          "\"batches\":[[\" A\\tb  \\n\"]]}],\"pipeline\":[{\"op\":\"flatMap\",\"split\":null},"
          "{\"op\":\"map\",\"lower\":true}],\"outputs\":[{\"type\":\"print\"}]}",
          1000, STREAM_HDR("1970-01-01 00:00:01") "a\nb\n\n");
    check("{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\","
          "\"batches\":[[\"  x y \"]]}],\"pipeline\":[{\"op\":\"map\",\"trim\":true}],"
          "\"outputs\":[{\"type\":\"print\"}]}",
          1000, STREAM_HDR("1970-01-01 00:00:01") "x y\n\n");
}

/* JSON records: parseJson, jsonArray, filter, project, and an aggregate
 * window with count, max and the median (linear interpolation). */
static void test_json_filter_aggregate(void)
{
    check(
        "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\",\"batches\":"
        "[[\"{\\\"items\\\":[{\\\"api\\\":\\\"x\\\",\\\"ms\\\":5},{\\\"api\\\":\\\"y\\\","
        "\\\"ms\\\":50},{\\\"api\\\":null}]}\",\"not json\"],[\"{\\\"items\\\":[{\\\"api\\\":"
        "\\\"x\\\",\\\"ms\\\":10}]}\"]]}],\"pipeline\":[{\"op\":\"map\",\"parseJson\":true},"
        "{\"op\":\"flatMap\",\"jsonArray\":\"$.items\"},{\"op\":\"filter\",\"where\":{\"path\":"
        "\"$.api\",\"ne\":null}},{\"op\":\"map\",\"pair\":{\"key\":\"$.api\",\"value\":\"$.ms\"}},"
        "{\"op\":\"aggregateByKeyAndWindow\",\"length\":2000,\"slide\":2000,\"aggs\":{\"n\":"
        "\"count\",\"max\":\"max\",\"p50\":{\"percentile\":0.5},\"avg\":\"avg\"}}],"
        "\"outputs\":[{\"type\":\"print\"}]}",
        2000,
        STREAM_HDR("1970-01-01 00:00:02") "('x', {'n': 2, 'max': 10, 'p50': 7.5, 'avg': 7.5})\n"
                                          "('y', {'n': 1, 'max': 50, 'p50': 50.0, 'avg': "
                                          "50.0})\n\n");
    check(
        "{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":\"queue\",\"batches\":"
        "[[{\"a\":1,\"b\":\"u\"},{\"a\":3,\"b\":\"v\"},{\"a\":2,\"b\":\"w\"}]]}],\"pipeline\":["
        "{\"op\":\"filter\",\"where\":{\"path\":\"$.a\",\"gt\":1}},{\"op\":\"filter\",\"where\":"
        "{\"path\":\"$.b\",\"matches\":\"^[uv]$\"}},{\"op\":\"map\",\"project\":{\"x\":\"$.b\"}}],"
        "\"outputs\":[{\"type\":\"print\"}]}",
        1000, STREAM_HDR("1970-01-01 00:00:01") "{'x': 'v'}\n\n");
}

/* union of two sources, and a step reading a named source. */
static void test_union(void)
{
    check("{\"batchInterval\":1000,\"sources\":[{\"name\":\"p\",\"type\":\"queue\",\"batches\":"
          "[[\"a\"]]},{\"name\":\"q\",\"type\":\"queue\",\"batches\":[[\"b\"]]}],\"pipeline\":["
          "{\"op\":\"union\",\"inputs\":[\"q\",\"p\"]}],\"outputs\":[{\"type\":\"print\"}]}",
          1000, STREAM_HDR("1970-01-01 00:00:01") "b\na\n\n");
    check("{\"batchInterval\":1000,\"sources\":[{\"name\":\"p\",\"type\":\"queue\",\"batches\":"
          "[[\"a\"]]},{\"name\":\"q\",\"type\":\"queue\",\"batches\":[[\"b\"]]}],\"pipeline\":["
          "{\"op\":\"map\",\"lower\":true,\"input\":\"q\"}],\"outputs\":[{\"type\":\"print\"}]}",
          1000, STREAM_HDR("1970-01-01 00:00:01") "b\n\n");
}

/* Batch times are multiples of the interval after the start; oneAtATime
 * false takes every queued batch at once, then the default each time. */
static void test_alignment_queue(void)
{
    check("{\"batchInterval\":500,\"sources\":[{\"name\":\"q\",\"type\":\"queue\",\"batches\":"
          "[[\"a\"],[\"b\"]],\"oneAtATime\":false,\"default\":[\"d\"]}],\"pipeline\":[],"
          "\"outputs\":[{\"type\":\"print\"}]}",
          1500,
          STREAM_HDR("1970-01-01 00:00:01") "a\nb\n\n" STREAM_HDR(
              "1970-01-01 00:00:01.500000") "d\n\n");
}

int main(void)
{
    stream_test_utc();
    CU_TestInfo tests[] = {
        { "wordcount", test_wordcount },
        { "wordcount_unfused", test_wordcount_unfused },
        { "words_table", test_words_table },
        { "wordcount_long_keys", test_wordcount_long_keys },
        { "rate_limit", test_rate_limit },
        { "print_more", test_print_more },
        { "window", test_window },
        { "window_inverse", test_window_inverse },
        { "count_window", test_count_window },
        { "update_state", test_update_state },
        { "count_by_value_topk", test_count_by_value_topk },
        { "split_whitespace_map", test_split_whitespace_map },
        { "json_filter_aggregate", test_json_filter_aggregate },
        { "union", test_union },
        { "alignment_queue", test_alignment_queue },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "stream_ops", NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
