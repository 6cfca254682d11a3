/* Unit tests for compiler/stream: a job declaration read into its canonical
 * definition (the contract with the engine: key order, defaults,
 * durations in milliseconds, the SHA-256 hash), the checks' codes, and the
 * plan's jobs section written and loaded (runtime/plan_jobs.c). */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crc32.h"
#include "cunit_run.h"
#include "plan.h"
#include "stream_decl.h"
#include "stream_decl_int.h"
#include "stream_export.h"
#include "testutil.h"

/* Reads a sidecar's text (backquotes for quotes) into s. */
static void read_sidecar(struct tu *t, struct stream_decls *s, const char *text)
{
    stream_decls_init(s, &t->arena, &t->diag);
    struct jval *doc = tu_parse(t, text);
    CU_ASSERT_TRUE_FATAL(stream_is_sidecar(doc));
    stream_read_sidecar(s, doc);
    stream_check(s, NULL);
}

#define SEED_SOURCES "`sources`: {`lines`: {`type`: `socketText`, `port`: 9999}}"
#define SEED_PIPELINE                                                                            \
    "`pipeline`: [{`op`: `flatMap`, `split`: ` `}, {`op`: `map`, `pair`: {`key`: `$`, `value`: " \
    "1}}, {`op`: `reduceByKey`, `func`: `sum`}]"

static const char seed[] =
    "{`streamingJobs`: [{`name`: `wordcount`, `properties`: {`batchInterval`: `1s`, " SEED_SOURCES
    ", " SEED_PIPELINE ", `outputs`: [{`type`: `print`}, {`type`: `serve`, `listen`: "
    "`127.0.0.1:5000`}]}}]}";

/* The contract's example, byte for byte. */
static const char seed_definition[] =
    "{\"batchInterval\":1000,\"autoStart\":true,"
    "\"sources\":[{\"name\":\"lines\",\"type\":\"socketText\",\"host\":\"localhost\","
    "\"port\":9999,\"reconnectDelay\":2000,\"encoding\":\"utf-8\"}],"
    "\"pipeline\":[{\"op\":\"flatMap\",\"split\":\" \"},{\"op\":\"map\",\"pair\":{\"key\":\"$\","
    "\"value\":1}},{\"op\":\"reduceByKey\",\"func\":\"sum\"}],"
    "\"outputs\":[{\"type\":\"print\",\"num\":10,\"style\":\"pyspark\"},{\"type\":\"serve\","
    "\"listen\":\"127.0.0.1:5000\",\"basePath\":\"/\",\"retain\":60,\"order\":\"firstSeen\"}],"
    "\"checkpoint\":null,"
    "\"rate\":{\"maxRecordsPerSecond\":0,\"backpressure\":false,\"queueCapacity\":10000},"
    "\"stop\":{\"graceful\":true,\"timeout\":10000}}";

static void test_seed_definition(void)
{
    struct tu t;
    tu_init(&t);
    struct stream_decls s;
    read_sidecar(&t, &s, seed);
    CU_ASSERT_EQUAL(t.diag.n, 0);
    CU_ASSERT_EQUAL_FATAL(s.njobs, 1);
    CU_ASSERT_STRING_EQUAL(s.jobs->name, "wordcount");
    CU_ASSERT_TRUE(s.jobs->auto_start);
    CU_ASSERT_STRING_EQUAL(s.jobs->definition, seed_definition);
    CU_ASSERT_EQUAL(s.jobs->definition_len, strlen(seed_definition));
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(seed_definition, strlen(seed_definition), md, &n, EVP_sha256(), NULL);
    char hex[65];
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    CU_ASSERT_STRING_EQUAL(s.jobs->hash, hex);
    tu_release(&t);
}

static void test_durations(void)
{
    struct tu t;
    tu_init(&t);

    static const struct {
        const char *text;
        int64_t ms;
    } cases[] = { { "`500ms`", 500 }, { "`1s`", 1000 }, { "`2m`", 120000 }, { "`1h`", 3600000 },
                  { "250", 250 },     { "`0s`", -1 },   { "`1.5s`", -1 },   { "`1 s`", -1 },
                  { "`s`", -1 },      { "0", -1 },      { "-3", -1 },       { "`10d`", -1 },
                  { "1.5", -1 },      { "`721h`", -1 } };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct jval *v = tu_parse(&t, cases[i].text);
        CU_ASSERT_PTR_NOT_NULL_FATAL(v);
        CU_ASSERT_EQUAL(stream_duration_ms(v, false), cases[i].ms);
    }
    CU_ASSERT_EQUAL(stream_duration_ms(tu_parse(&t, "`0ms`"), true), 0);
    tu_release(&t);
}

/* The checkpoint interval's default is Spark's (a multiple of the batch
 * interval, at least 10 s); a window's slide defaults to the batch. */
static void test_defaults(void)
{
    struct tu t;
    tu_init(&t);
    struct stream_decls s;
    read_sidecar(&t, &s,
                 "{`streamingJobs`: [{`name`: `w`, `properties`: {`batchInterval`: `3s`, "
                 "`autoStart`: false, " SEED_SOURCES ", `pipeline`: [{`op`: `map`, `pair`: "
                 "{`key`: `$`, `value`: 1}}, {`op`: `reduceByKeyAndWindow`, `length`: `9s`}], "
                 "`outputs`: [{`type`: `textFiles`, `prefix`: `out/w`}], `checkpoint`: "
                 "{`directory`: `ck`}}}]}");
    CU_ASSERT_EQUAL(t.diag.n, 0);
    CU_ASSERT_FATAL(s.njobs == 1);
    CU_ASSERT_FALSE(s.jobs->auto_start);
    CU_ASSERT_PTR_NOT_NULL(strstr(s.jobs->definition, "\"autoStart\":false"));
    CU_ASSERT_PTR_NOT_NULL(strstr(
        s.jobs->definition, "\"op\":\"reduceByKeyAndWindow\",\"func\":\"sum\",\"length\":9000,"
                            "\"slide\":3000,\"inverse\":false,\"dropZero\":false"));
    /* The paths are the working folder's here: "test.json" has none. */
    CU_ASSERT_PTR_NOT_NULL(
        strstr(s.jobs->definition, "/ck\",\"interval\":12000,\"writeAheadLog\":false}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s.jobs->definition, "/out/w\",\"suffix\":\"\"}"));
    tu_release(&t);
}

/* Relative paths (checkpoint.directory, a textFiles source's directory, a
 * textFiles output's prefix) are the declaring file's folder's, as a linked
 * template's relativePath is; absolute ones are kept. */
static void test_relative_paths(void)
{
    struct tu t;
    tu_init(&t);
    struct stream_decls s;
    stream_decls_init(&s, &t.arena, &t.diag);
    const char text[] =
        "{\"streamingJobs\": [{\"name\": \"w\", \"properties\": {\"batchInterval\": \"1s\", "
        "\"sources\": {\"in\": {\"type\": \"textFiles\", \"directory\": \"incoming\"}, "
        "\"abs\": {\"type\": \"textFiles\", \"directory\": \"/var/in\"}}, "
        "\"outputs\": [{\"type\": \"textFiles\", \"prefix\": \"out/w\"}], "
        "\"checkpoint\": {\"directory\": \".apimlocal/ck\"}}}]}";
    struct source *src = source_new(&t.diag, "conf/jobs/w.json", text, sizeof(text) - 1);
    struct jval *doc = jval_parse(&t.arena, &t.diag, src);
    CU_ASSERT_TRUE_FATAL(doc && stream_is_sidecar(doc));
    stream_read_sidecar(&s, doc);
    CU_ASSERT_EQUAL(t.diag.n, 0);
    CU_ASSERT_FATAL(s.njobs == 1);
    const char *d = s.jobs->definition;
    /* A folder that does not exist (here) is joined as it is written. */
    CU_ASSERT_PTR_NOT_NULL(strstr(d, "\"directory\":\"conf/jobs/incoming\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(d, "\"directory\":\"/var/in\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(d, "\"prefix\":\"conf/jobs/out/w\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(d, "\"checkpoint\":{\"directory\":\"conf/jobs/.apimlocal/ck\""));
    /* One that exists is made absolute, "..", "." and links resolved. */
    char tmp[] = "/tmp/apim-decl-XXXXXX", name[64], want[96];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmp));
    snprintf(name, sizeof(name), "%s/./../%s/w.json", tmp, strrchr(tmp, '/') + 1);
    stream_decls_init(&s, &t.arena, &t.diag);
    stream_read_sidecar(
        &s, jval_parse(&t.arena, &t.diag, source_new(&t.diag, name, text, sizeof(text) - 1)));
    CU_ASSERT_FATAL(s.njobs == 1);
    snprintf(want, sizeof(want), "\"checkpoint\":{\"directory\":\"%s/.apimlocal/ck\"", tmp);
    CU_ASSERT_PTR_NOT_NULL(strstr(s.jobs->definition, want));
    rmdir(tmp);
    tu_release(&t);
}

/* Each mistake is reported with its own code, once. */
static void test_codes(void)
{
    static const struct {
        const char *props;
        enum diag_code code;
    } cases[] = {
        { "`batchInterval`: `1s`, " SEED_SOURCES ", `outputs`: [{`type`: `print`}], `x`: 1",
          DC_STREAM_UNKNOWN_KEY },
        { "`batchInterval`: `1s`, `sources`: {`l`: {`type`: `socket`}}, `outputs`: [{`type`: "
          "`print`}]",
          DC_STREAM_UNKNOWN_SOURCE },
        { "`batchInterval`: `1s`, " SEED_SOURCES ", `pipeline`: [{`op`: `join`}], `outputs`: "
          "[{`type`: `print`}]",
          DC_STREAM_UNKNOWN_OP },
        { "`batchInterval`: `1s`, " SEED_SOURCES ", `outputs`: [{`type`: `kafka`}]",
          DC_STREAM_UNKNOWN_OUTPUT },
        { "`batchInterval`: `1s`, " SEED_SOURCES ", `outputs`: [{`type`: `print`}], "
          "`pipeline`: [{`op`: `map`, `pair`: {`key`: `$`, `value`: 1}}, {`op`: "
          "`aggregateByKeyAndWindow`, `length`: `1s`, `aggs`: {`a`: `median`}}]",
          DC_STREAM_UNKNOWN_AGG },
        { SEED_SOURCES ", `outputs`: [{`type`: `print`}]", DC_STREAM_MISSING },
        { "`batchInterval`: `1sec`, " SEED_SOURCES ", `outputs`: [{`type`: `print`}]",
          DC_STREAM_DURATION },
        { "`batchInterval`: `2s`, " SEED_SOURCES ", `outputs`: [{`type`: `print`}], "
          "`pipeline`: [{`op`: `countByWindow`, `length`: `3s`}], `checkpoint`: {`directory`: "
          "`c`}",
          DC_STREAM_WINDOW_MULTIPLE },
        { "`batchInterval`: `1s`, " SEED_SOURCES ", `outputs`: [{`type`: `print`}], "
          "`pipeline`: [{`op`: `countByWindow`, `length`: `2s`, `slide`: `4s`}], `checkpoint`: "
          "{`directory`: `c`}",
          DC_STREAM_SLIDE },
        { "`batchInterval`: `1s`, " SEED_SOURCES ", `outputs`: [{`type`: `print`}], "
          "`pipeline`: [{`op`: `map`, `pair`: {`key`: `$`, `value`: 1}}, {`op`: "
          "`updateStateByKey`}]",
          DC_STREAM_CHECKPOINT },
        { "`batchInterval`: `1s`, " SEED_SOURCES, DC_STREAM_NO_OUTPUT },
        { "`batchInterval`: `1s`, " SEED_SOURCES ", `outputs`: [{`type`: `print`}], "
          "`pipeline`: [{`op`: `flatMap`, `split`: ` `, `input`: `nope`}]",
          DC_STREAM_INPUT },
        { "`batchInterval`: `1s`, " SEED_SOURCES ", `outputs`: [{`type`: `print`}], "
          "`pipeline`: [{`op`: `union`, `inputs`: [`lines`]}]",
          DC_STREAM_UNION },
        { "`batchInterval`: `1s`, " SEED_SOURCES ", `outputs`: [{`type`: `print`}], "
          "`pipeline`: [{`op`: `reduceByKey`}]",
          DC_STREAM_ELEMENT },
        { "`batchInterval`: `1s`, " SEED_SOURCES ", `outputs`: [{`type`: `serve`, `listen`: "
          "`5000`}]",
          DC_STREAM_LISTEN },
        { "`batchInterval`: `1s`, " SEED_SOURCES ", `outputs`: [{`type`: `print`, `num`: `3`}]",
          DC_STREAM_VALUE },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tu t;
        tu_init(&t);
        struct stream_decls s;
        const char *doc = arena_printf(
            &t.arena, "{`streamingJobs`: [{`name`: `j`, `properties`: {%s}}]}", cases[i].props);
        read_sidecar(&t, &s, doc);
        if (tu_count(&t, cases[i].code) != 1 || t.diag.nerrors != 1)
            fprintf(stderr, "case %zu:\n%s", i, tu_text(&t));
        CU_ASSERT_EQUAL(tu_count(&t, cases[i].code), 1);
        CU_ASSERT_EQUAL(t.diag.nerrors, 1);
        tu_release(&t);
    }
}

static void test_duplicates_and_listen_clash(void)
{
    struct tu t;
    tu_init(&t);
    struct stream_decls s;
    read_sidecar(
        &t, &s,
        "{`streamingJobs`: [{`name`: `a`, `properties`: {`batchInterval`: `1s`, " SEED_SOURCES
        ", `outputs`: [{`type`: `serve`, `listen`: `127.0.0.1:5000`}]}}, {`name`: `A`, "
        "`properties`: {`batchInterval`: `1s`, " SEED_SOURCES ", `outputs`: [{`type`: "
        "`serve`, `listen`: `0.0.0.0:5000`}, {`type`: `serve`, `listen`: "
        "`127.0.0.1:5001`}]}}]}");
    CU_ASSERT_EQUAL(tu_count(&t, DC_STREAM_DUPLICATE), 1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_STREAM_LISTEN_CLASH), 1);
    CU_ASSERT_EQUAL(t.diag.nerrors, 2);
    tu_release(&t);
}

/* In a template's metadata, "[...]" is text ARM never evaluates: a warning. */
static void test_metadata_expression(void)
{
    struct tu t;
    tu_init(&t);
    struct stream_decls s;
    stream_decls_init(&s, &t.arena, &t.diag);
    stream_read_template(
        &s, tu_parse(&t, "{`metadata`: {`apimlocal`: {`streamingJobs`: [{`name`: `m`, "
                         "`properties`: {`batchInterval`: `1s`, `sources`: {`l`: {`type`: "
                         "`textFiles`, `directory`: `[parameters('dir')]`}}, `outputs`: "
                         "[{`type`: `print`}]}}]}}, `resources`: []}"));
    CU_ASSERT_EQUAL(s.njobs, 1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_STREAM_ARM_EXPRESSION), 1);
    CU_ASSERT_EQUAL(t.diag.nerrors, 0);
    tu_release(&t);
}

static const char seed_template[] =
    "{\"$schema\": "
    "\"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n"
    " \"contentVersion\": \"1.0.0.0\",\n"
    " \"metadata\": {\"apimlocal\": {\"streamingJobs\": [{\"name\": \"wordcount\", "
    "\"properties\": {\"batchInterval\": \"1s\", \"sources\": {\"lines\": {\"type\": "
    "\"socketText\", \"port\": 9999}}, \"outputs\": [{\"type\": \"print\"}]}}]}},\n"
    " \"resources\": [{\"type\": \"Microsoft.ApiManagement/service\", \"apiVersion\": "
    "\"2024-05-01\", \"name\": \"svc\", \"location\": \"westeurope\", \"sku\": {\"name\": "
    "\"Developer\", \"capacity\": 1}, \"properties\": {\"publisherEmail\": \"a@b.c\", "
    "\"publisherName\": \"x\"}},\n"
    "  {\"type\": \"Microsoft.ApiManagement/service/apis\", \"apiVersion\": \"2024-05-01\", "
    "\"name\": \"svc/wc\", \"properties\": {\"displayName\": \"wc\", \"path\": \"wc\", "
    "\"serviceUrl\": \"http://127.0.0.1:5000\"}},\n"
    "  {\"type\": \"Microsoft.ApiManagement/service/apis/operations\", \"apiVersion\": "
    "\"2024-05-01\", \"name\": \"svc/wc/latest\", \"properties\": {\"displayName\": "
    "\"latest\", \"method\": \"GET\", \"urlTemplate\": \"/latest\"}}]}\n";

static struct plan *plan_of(const char *text)
{
    char path[] = "/tmp/apim-stream-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    struct tu t;
    tu_init(&t);
    struct plan *p = tu_plan_file(&t, path, NULL);
    tu_release(&t);
    unlink(path);
    return p;
}

static void test_plan_jobs(void)
{
    struct plan *p = plan_of(seed_template);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->bytes[10], PLAN_VERSION_MINOR);
    CU_ASSERT_EQUAL_FATAL(p->njobs, 1);
    CU_ASSERT_TRUE(str_eq(p->jobs[0].name, STR_LIT("wordcount")));
    CU_ASSERT_EQUAL(p->jobs[0].flags, PLAN_JOB_AUTO_START);
    CU_ASSERT_EQUAL(p->jobs[0].hash.len, 64);
    CU_ASSERT_EQUAL(p->jobs[0].definition.ptr[0], '{');
    /* A definition that is not a JSON object is refused. */
    size_t len = p->size;
    unsigned char *copy = xmalloc(len);
    memcpy(copy, p->bytes, len);
    size_t off = (size_t)((const unsigned char *)p->jobs[0].definition.ptr - p->bytes);
    copy[off] = '[';
    uint32_t crc = crc32_update(0, copy + 24, len - 24);
    for (int i = 0; i < 4; i++)
        copy[20 + i] = (unsigned char)(crc >> (8 * i));
    struct plan *bad = NULL;
    char err[256] = "";
    CU_ASSERT_EQUAL(plan_load_bytes(copy, len, &bad, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a JSON object"));
    plan_free(p);
}

/* Without jobs, the plan keeps the minor version it had before jobs. */
static void test_plan_without_jobs(void)
{
    const char *start = strstr(seed_template, " \"metadata\"");
    const char *end = strstr(seed_template, " \"resources\"");
    char text[sizeof(seed_template)];
    snprintf(text, sizeof(text), "%.*s%s", (int)(start - seed_template), seed_template, end);
    struct plan *p = plan_of(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->njobs, 0);
    CU_ASSERT_TRUE(p->bytes[10] < PLAN_VERSION_MINOR);
    plan_free(p);
}

static void test_export(void)
{
    struct tu t;
    tu_init(&t);
    struct stream_decls s;
    read_sidecar(&t, &s, seed);
    struct buf out;
    buf_init(&out, 1u << 20);
    CU_ASSERT_EQUAL(stream_export_pyspark(s.jobs->name, s.jobs->definition, s.jobs->definition_len,
                                          s.jobs->hash, &out),
                    0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "spark.readStream.format(\"socket\")"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "F.split(F.col(\"value\"), re.escape(\" \"), -1)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "batch.groupBy(\"key\").agg(F.sum(\"value\")"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out.data, ".trigger(processingTime=\"1000 milliseconds\")"));
    CU_ASSERT_PTR_NULL(strstr(out.data, "checkpointLocation"));
    CU_ASSERT_EQUAL(stream_export_pyspark("x", "[]", 2, "", &out), -1);
    buf_release(&out);
    tu_release(&t);
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "seed definition is the contract's", test_seed_definition },
        { "durations", test_durations },
        { "defaults", test_defaults },
        { "relative paths are the declaring file's", test_relative_paths },
        { "one code per mistake", test_codes },
        { "duplicate names, listen clash", test_duplicates_and_listen_clash },
        { "ARM expression in metadata", test_metadata_expression },
        { "plan jobs section", test_plan_jobs },
        { "plan without jobs", test_plan_without_jobs },
        { "export", test_export },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "stream_decl", NULL, NULL, NULL, NULL, tests },
                              CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
