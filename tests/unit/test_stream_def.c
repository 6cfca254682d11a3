/* Unit tests for the definition checker (runtime/stream/stream_def.c): the
 * canonical example is accepted; every kind of broken field is refused with
 * a message naming it; random damage never crashes. */
#include <stdlib.h>
#include <string.h>

#include "cunit_run.h"
#include "stream_testutil.h"

static const char seed[] =
    "{\"batchInterval\":1000,\"autoStart\":true,\"sources\":[{\"name\":\"lines\",\"type\":"
    "\"socketText\",\"host\":\"localhost\",\"port\":9999,\"reconnectDelay\":2000,\"encoding\":"
    "\"utf-8\"}],\"pipeline\":[{\"op\":\"flatMap\",\"split\":\" \"},{\"op\":\"map\",\"pair\":"
    "{\"key\":\"$\",\"value\":1}},{\"op\":\"reduceByKey\",\"func\":\"sum\"}],\"outputs\":[{"
    "\"type\":\"print\",\"num\":10,\"style\":\"pyspark\"},{\"type\":\"serve\",\"listen\":"
    "\"127.0.0.1:5000\",\"basePath\":\"/\",\"retain\":60,\"order\":\"firstSeen\"}],"
    "\"checkpoint\":null,\"rate\":{\"maxRecordsPerSecond\":0,\"backpressure\":true,"
    "\"queueCapacity\":10000},\"stop\":{\"graceful\":true,\"timeout\":10000}}";

static void test_seed_ok(void)
{
    char err[256] = "";
    struct stream_def *d = stream_def_parse(seed, strlen(seed), err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL(d);
    CU_ASSERT_STRING_EQUAL(err, "");
    stream_def_free(d);
    char h[65];
    stream_def_hash("abc", 3, h);
    CU_ASSERT_STRING_EQUAL(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* One substitution into the seed, and the message it must produce. */
static void refused(const char *from, const char *to, const char *msg)
{
    char def[4096], err[256] = "";
    const char *at = strstr(seed, from);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    snprintf(def, sizeof(def), "%.*s%s%s", (int)(at - seed), seed, to, at + strlen(from));
    struct stream_def *d = stream_def_parse(def, strlen(def), err, sizeof(err));
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_STRING_EQUAL(err, msg);
    if (strcmp(err, msg) != 0)
        fprintf(stderr, "got: %s\n", err);
    stream_def_free(d);
}

static void test_refused(void)
{
    refused("\"batchInterval\":1000", "\"batchInterval\":0",
            "definition.batchInterval: must be an integer in 1..86400000");
    refused("\"port\":9999", "\"port\":70000", "sources[0].port: must be an integer in 1..65535");
    refused("\"port\":9999", "\"port\":\"9999\"",
            "sources[0].port: must be an integer in 1..65535");
    refused("\"type\":\"socketText\"", "\"type\":\"kafka\"",
            "sources[0].type: unknown source type 'kafka'");
    refused("\"op\":\"reduceByKey\",\"func\":\"sum\"", "\"op\":\"reduceByKey\",\"func\":\"avg\"",
            "pipeline[2].func: 'avg' is not one of sum, min, max");
    refused("{\"op\":\"reduceByKey\",\"func\":\"sum\"}",
            "{\"op\":\"reduceByKeyAndWindow\",\"length\":1500}",
            "pipeline[2]: length and slide must be multiples of batchInterval (1000 ms)");
    refused("{\"op\":\"reduceByKey\",\"func\":\"sum\"}",
            "{\"op\":\"updateStateByKey\",\"func\":\"sum\"}",
            "pipeline[2]: updateStateByKey needs a checkpoint directory (as in Spark)");
    refused("{\"op\":\"reduceByKey\",\"func\":\"sum\"}", "{\"op\":\"join\"}",
            "pipeline[2].op: unknown operator 'join'");
    refused("\"split\":\" \"", "\"split\":\"\"", "pipeline[0].split: empty separator");
    refused("\"key\":\"$\"", "\"key\":\"$..a\"",
            "pipeline[1]: path '$..a' must be '$' or '$.name[.name...]'");
    refused("\"outputs\":[{\"type\":\"print\",\"num\":10,\"style\":\"pyspark\"},{\"type\":"
            "\"serve\",\"listen\":\"127.0.0.1:5000\",\"basePath\":\"/\",\"retain\":60,\"order\":"
            "\"firstSeen\"}]",
            "\"outputs\":[]",
            "outputs: must be a non-empty array (a job without outputs does nothing)");
    refused("\"num\":10", "\"num\":10,\"color\":1", "outputs[0]: unknown field 'color'");
    refused("{\"op\":\"reduceByKey\",\"func\":\"sum\"}", "{\"op\":\"topK\",\"by\":\"key\"}",
            "pipeline[2].by: only 'value' is supported");
    refused("\"order\":\"firstSeen\"", "\"order\":\"random\"",
            "outputs[1].order: must be firstSeen, key or valueDesc");
    refused("\"queueCapacity\":10000", "\"queueCapacity\":0",
            "rate.queueCapacity: must be an integer in 1..10000000");
    refused("\"pipeline\":[",
            "\"pipeline\":[{\"op\":\"filter\",\"where\":{\"path\":\"$\","
            "\"matches\":\"(\"}},",
            "pipeline[0].where.matches: not a valid extended regular expression");
}

/* Every optional field written out, unused ones as null, as the compiler's
 * canonical form may: accepted. */
static void test_explicit_nulls(void)
{
    static const char def[] =
        "{\"batchInterval\":1000,\"autoStart\":null,\"sources\":[{\"name\":\"q\",\"type\":"
        "\"queue\",\"batches\":[[\"a\"]],\"oneAtATime\":true,\"default\":null}],\"pipeline\":"
        "[{\"op\":\"flatMap\",\"split\":\" \",\"jsonArray\":null,\"input\":null},{\"op\":"
        "\"map\",\"pair\":{\"key\":\"$\",\"value\":1},\"lower\":false,\"project\":null,"
        "\"inputs\":null},{\"op\":\"aggregateByKeyAndWindow\",\"length\":1000,\"slide\":"
        "1000,\"aggs\":{\"n\":\"count\"},\"eventTime\":null},{\"op\":\"topK\",\"n\":3,"
        "\"by\":\"value\"}],\"outputs\":[{\"type\":\"textFiles\",\"prefix\":\"/tmp/x\","
        "\"suffix\":null},{\"type\":\"serve\",\"listen\":null,\"basePath\":\"/\",\"retain\":"
        "60,\"order\":\"firstSeen\"}],\"checkpoint\":null,\"rate\":{\"maxRecordsPerSecond\":"
        "null,\"backpressure\":true,\"queueCapacity\":10000},\"stop\":{\"graceful\":true,"
        "\"timeout\":10000}}";
    char err[256] = "";
    struct stream_def *d = stream_def_parse(def, strlen(def), err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL(d);
    CU_ASSERT_STRING_EQUAL(err, "");
    stream_def_free(d);
}

/* Truncations and byte flips of the seed: refused or accepted, never a
 * crash (run under ASan in CI). */
static void test_damage(void)
{
    char def[sizeof(seed)], err[256];
    size_t n = strlen(seed);
    for (size_t cut = 0; cut < n; cut += 7) {
        struct stream_def *d = stream_def_parse(seed, cut, err, sizeof(err));
        CU_ASSERT_PTR_NULL(d);
        stream_def_free(d);
    }
    for (size_t i = 0; i < n; i += 3) {
        memcpy(def, seed, n + 1);
        def[i] = def[i] == '1' ? '0' : '1';
        stream_def_free(stream_def_parse(def, n, err, sizeof(err)));
    }
    CU_PASS("no crash");
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "seed_ok", test_seed_ok },
        { "refused", test_refused },
        { "explicit_nulls", test_explicit_nulls },
        { "damage", test_damage },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "stream_def", NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
