/* Unit tests for the sources fed by the gateway (runtime/stream/
 * stream_tail.c, the POST side of stream_serve.c): gatewayLog reads the
 * access log lines appended since the job started as GatewayLogs records,
 * waits for a line's LF, follows rotation and truncation, and resumes from
 * a checkpoint's position; eventHub reads what eventhub_sink writes
 * (latest/earliest, text/json); httpIngest takes POST bodies on the serve
 * port over a real socket (lines, ndjson, jsonArray, maxBody, 503 when the
 * queue is full). Files live under a temp state folder; the clock is
 * injected (no sleeps). */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cunit_run.h"
#include "eventhub_sink.h"
#include "loop.h"
#include "stream_testutil.h"

static char state[64];

static void fresh_state(void)
{
    char cmd[128];
    if (state[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", state);
        CU_ASSERT_EQUAL(system(cmd), 0);
    }
    snprintf(state, sizeof(state), "/tmp/apim-gwsrc-XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(state));
}

static void append(const char *name, const char *text, const char *mode)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", state, name);
    FILE *f = fopen(path, mode);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static struct stream_job *start(struct loop *l, const char *def, FILE *out, int64_t now)
{
    char err[512] = "";
    struct stream_def *d = stream_def_parse(def, strlen(def), err, sizeof(err));
    if (!d)
        fprintf(stderr, "%s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct stream_env env = { l, out, "gw", "h", state };
    struct stream_job *j = stream_job_new(d, &env, now, err, sizeof(err));
    if (!j)
        fprintf(stderr, "%s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    return j;
}

#define LOG1                                                                                  \
    "{\"time\":\"2026-11-24T10:00:00.123Z\",\"requestId\":\"r1\",\"method\":\"GET\",\"url\":" \
    "\"/echo/a\",\"clientIp\":\"127.0.0.1\",\"api\":\"echo-api\",\"operation\":\"get\","      \
    "\"product\":\"starter\",\"subscriptionId\":\"s1\",\"status\":200,\"backendStatus\":200," \
    "\"totalMs\":1.5,\"backendMs\":1.25,\"error\":null}\n"
#define LOG2                                                                                  \
    "{\"time\":\"2026-11-24T10:00:01.000Z\",\"requestId\":\"r2\",\"method\":\"GET\",\"url\":" \
    "\"/x\",\"clientIp\":\"127.0.0.1\",\"api\":null,\"operation\":null,\"product\":null,"     \
    "\"subscriptionId\":null,\"status\":404,\"backendStatus\":null,\"totalMs\":0.1,"          \
    "\"backendMs\":null,\"error\":\"OperationNotFound\"}\n"

#define GWDEF(extra)                                                                             \
    "{\"batchInterval\":1000,\"sources\":[{\"name\":\"log\",\"type\":\"gatewayLog\"" extra "}]," \
    "\"pipeline\":[],\"outputs\":[{\"type\":\"print\",\"num\":10,\"style\":\"pyspark\"}]"

static void test_gateway_log(void)
{
    fresh_state();
    append("access.log", LOG2, "w"); /* before the start: not read */
    char *out = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&out, &len);
    struct stream_job *j = start(
        NULL, GWDEF(",\"fields\":[\"ApiId\",\"ResponseCode\",\"IsRequestSuccess\"]") "}", o, 0);
    append("access.log", LOG1, "a");
    append("access.log", "{\"time\":\"half", "a"); /* no LF yet: next batch */
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1);
    append("access.log", "\"}\nnot json\n", "a");
    CU_ASSERT_EQUAL(stream_job_run_due(j, 2000), 1);
    /* rotation: the old file renamed away, a new one in its place */
    char a[256], b[256];
    snprintf(a, sizeof(a), "%s/access.log", state);
    snprintf(b, sizeof(b), "%s/access.log.1", state);
    append("access.log", LOG1, "a");
    CU_ASSERT_EQUAL(rename(a, b), 0);
    append("access.log", LOG2, "w");
    CU_ASSERT_EQUAL(stream_job_run_due(j, 3000), 1);
    append("access.log", "{\"status\":500}\n", "w"); /* truncated: shorter than before */
    CU_ASSERT_EQUAL(stream_job_run_due(j, 4000), 1);
    stream_job_free(j);
    fclose(o);
    static const char *const parts[] = {
        STREAM_HDR("1970-01-01 00:00:01"),
        "{'ApiId': 'echo-api', 'ResponseCode': 200, 'IsRequestSuccess': True}\n\n",
        STREAM_HDR("1970-01-01 00:00:02"),
        "{'ApiId': None, 'ResponseCode': None, 'IsRequestSuccess': False}\n\n",
        STREAM_HDR("1970-01-01 00:00:03"),
        "{'ApiId': 'echo-api', 'ResponseCode': 200, 'IsRequestSuccess': True}\n",
        "{'ApiId': None, 'ResponseCode': 404, 'IsRequestSuccess': False}\n\n",
        STREAM_HDR("1970-01-01 00:00:04"),
        "{'ApiId': None, 'ResponseCode': 500, 'IsRequestSuccess': False}\n\n",
    };
    char want[2048] = "";
    for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++)
        strncat(want, parts[i], sizeof(want) - strlen(want) - 1);
    if (strcmp(out, want) != 0)
        fprintf(stderr, "got:\n%s", out);
    CU_ASSERT_STRING_EQUAL(out, want);
    free(out);
}

/* All the fields by default; a restart from the checkpoint reads only what
 * came after the last completed batch, even what came while it was down. */
static void test_gateway_log_checkpoint(void)
{
    fresh_state();
    char def[512], *out = NULL;
    size_t len = 0;
    snprintf(def, sizeof(def),
             GWDEF("") ",\"checkpoint\":{\"directory\":\"%s/ckpt\",\"interval\":1000,"
                       "\"writeAheadLog\":false}}",
             state);
    FILE *o = open_memstream(&out, &len);
    struct stream_job *j = start(NULL, def, o, 0);
    append("access.log", LOG1, "a");
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1);
    json_t *status = stream_job_status(j);
    json_t *st = json_array_get(json_object_get(status, "sources"), 0);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(st, "position")), strlen(LOG1));
    CU_ASSERT_TRUE(json_is_true(json_object_get(st, "connected")));
    json_decref(status);
    stream_job_free(j);
    fflush(o);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "'BackendTime': 1.25"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "'CorrelationId': 'r1'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "'TimeGenerated': '2026-11-24T10:00:00.123Z'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "'TotalTime': 1.5"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "'Url': '/echo/a'"));
    char path[256];
    snprintf(path, sizeof(path), "%s/ckpt/metadata.json", state);
    json_t *ck = json_load_file(path, 0, NULL);
    json_t *file = json_object_get(json_array_get(json_object_get(ck, "sources"), 0), "file");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(file, "position")), strlen(LOG1));
    CU_ASSERT(json_integer_value(json_object_get(file, "inode")) > 0);
    json_decref(ck);
    append("access.log", LOG2, "a"); /* while the job is down */
    fclose(o);
    free(out);
    o = open_memstream(&out, &len);
    j = start(NULL, def, o, 5000);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 6000), 1);
    stream_job_free(j);
    fclose(o);
    CU_ASSERT_PTR_NULL(strstr(out, "'r1'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "'CorrelationId': 'r2'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "'LastErrorReason': 'OperationNotFound'"));
    free(out);
}

static void send_events(const char *logger, const char *body)
{
    char err[256];
    struct eventhub_sink *s = eventhub_sink_open(state, logger, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(eventhub_sink_send(s, NULL, "k", body, strlen(body), 1000), 0);
    eventhub_sink_free(s);
}

static char *run_hub(const char *pos, const char *format, const char *before, const char *after)
{
    char def[512], *out = NULL;
    size_t len = 0;
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"hub\",\"type\":\"eventHub\","
             "\"logger\":\"apim-events\",\"startingPosition\":\"%s\",\"format\":\"%s\"}],"
             "\"pipeline\":[],\"outputs\":[{\"type\":\"print\",\"num\":10,\"style\":\"pyspark\"}]}",
             pos, format);
    fresh_state();
    send_events("apim-events", before);
    FILE *o = open_memstream(&out, &len);
    struct stream_job *j = start(NULL, def, o, 0);
    send_events("apim-events", after);
    send_events("other-logger", "not this hub");
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1);
    stream_job_free(j);
    fclose(o);
    return out;
}

static void test_event_hub(void)
{
    char *out = run_hub("latest", "text", "old", "new line \"q\"");
    CU_ASSERT_STRING_EQUAL(out, STREAM_HDR("1970-01-01 00:00:01") "new line \"q\"\n\n");
    free(out);
    out = run_hub("earliest", "text", "old", "new");
    CU_ASSERT_STRING_EQUAL(out, STREAM_HDR("1970-01-01 00:00:01") "old\nnew\n\n");
    free(out);
    out = run_hub("earliest", "json", "{\"ApiId\":\"a\",\"TotalTime\":3}", "not json");
    CU_ASSERT_STRING_EQUAL(out, STREAM_HDR("1970-01-01 00:00:01") "{'ApiId': 'a', 'TotalTime': "
                                                                  "3}\n\n");
    free(out);
}

static void test_event_hub_sink(void)
{
    fresh_state();
    char err[256], big[EVENTHUB_SINK_MAX_BODY + 8];
    CU_ASSERT_PTR_NULL(eventhub_sink_open(state, "../x", err, sizeof(err)));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot name a folder"));
    struct eventhub_sink *s = eventhub_sink_open(state, "hub", err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(eventhub_sink_send(s, "1", NULL, "a\xff", 2, 1500), 0);
    memset(big, 'x', sizeof(big));
    big[EVENTHUB_SINK_MAX_BODY - 1] = '\xc3'; /* a two-byte character across the limit */
    big[EVENTHUB_SINK_MAX_BODY] = '\xa9';
    CU_ASSERT_EQUAL(eventhub_sink_send(s, NULL, "key", big, sizeof(big), 2000), 0);
    eventhub_sink_free(s);
    s = eventhub_sink_open(state, "hub", err, sizeof(err)); /* the sequence goes on */
    CU_ASSERT_EQUAL(eventhub_sink_count(s), 2);
    eventhub_sink_free(s);
    char path[256];
    snprintf(path, sizeof(path), "%s/eventhub/hub/events.jsonl", state);
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    CU_ASSERT_FATAL(getline(&line, &cap, f) > 0);
    CU_ASSERT_STRING_EQUAL(line, "{\"partition\":\"1\",\"partitionKey\":null,\"enqueuedTime\":"
                                 "\"1970-01-01T00:00:01.500Z\",\"sequenceNumber\":0,\"offset\":"
                                 "\"0\",\"body\":\"a\\u00ff\"}\n");
    size_t first = strlen(line);
    CU_ASSERT_FATAL(getline(&line, &cap, f) > 0);
    json_t *ev = json_loads(line, 0, NULL);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(ev, "sequenceNumber")), 1);
    CU_ASSERT_EQUAL(strtoull(json_string_value(json_object_get(ev, "offset")), NULL, 10), first);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ev, "partitionKey")), "key");
    CU_ASSERT_EQUAL(json_string_length(json_object_get(ev, "body")), EVENTHUB_SINK_MAX_BODY - 1);
    json_decref(ev);
    free(line);
    fclose(f);
}

static void spin(struct loop *l, int times)
{
    for (int i = 0; i < times; i++)
        (void)loop_run_once(l, 20);
}

static int free_port(void)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CU_ASSERT_FATAL(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
                    getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
    close(fd);
    return ntohs(sa.sin_port);
}

/* POSTs body (its length, or cl when cl is given) and returns the whole
 * answer (free it). */
static char *post(struct loop *l, int port, const char *path, const char *body, const char *cl)
{
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CU_ASSERT_FATAL(fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    char req[1024];
    int n = snprintf(req, sizeof(req), "POST %s HTTP/1.1\r\nHost: x\r\ncontent-length: %s\r\n\r\n",
                     path, cl ? cl : "");
    if (!cl)
        n = snprintf(req, sizeof(req), "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n\r\n",
                     path, strlen(body));
    CU_ASSERT_EQUAL(write(fd, req, (size_t)n), n);
    spin(l, 2);
    CU_ASSERT_EQUAL(write(fd, body, strlen(body)), (ssize_t)strlen(body)); /* a second packet */
    spin(l, 4);
    char *resp = calloc(1, 65536);
    size_t got = 0;
    ssize_t r;
    while ((r = read(fd, resp + got, 65535 - got)) > 0)
        got += (size_t)r;
    close(fd);
    return resp;
}

static void test_http_ingest(void)
{
    struct loop l;
    CU_ASSERT_EQUAL_FATAL(loop_init(&l), 0);
    int port = free_port();
    char def[1024], *out = NULL;
    size_t len = 0;
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"posted\",\"type\":\"httpIngest\","
             "\"operation\":\"wc/ingest\",\"framing\":\"lines\",\"maxBody\":64},{\"name\":\"nd\","
             "\"type\":\"httpIngest\",\"operation\":\"wc/nd\",\"framing\":\"ndjson\"},{\"name\":"
             "\"arr\",\"type\":\"httpIngest\",\"operation\":\"wc/arr\",\"framing\":\"jsonArray\"}],"
             "\"pipeline\":[{\"op\":\"union\",\"inputs\":[\"posted\",\"nd\",\"arr\"]}],"
             "\"outputs\":[{\"type\":\"print\",\"num\":10,\"style\":\"pyspark\"},{\"type\":"
             "\"serve\",\"listen\":\"127.0.0.1:%d\",\"basePath\":\"/wc\"}],"
             "\"rate\":{\"maxRecordsPerSecond\":0,\"backpressure\":true,\"queueCapacity\":3}}",
             port);
    FILE *o = open_memstream(&out, &len);
    struct stream_job *j = start(&l, def, o, 0);
    char *r = post(&l, port, "/wc/ingest/posted", "a b\r\nc\n", NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "HTTP/1.1 202 Accepted"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "\"accepted\":2"));
    free(r);
    r = post(&l, port, "/wc/ingest/posted/lines", "d\ne\n", NULL); /* 2 + 2 > 3: none taken */
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "HTTP/1.1 503"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "Retry-After: 1"));
    free(r);
    r = post(&l, port, "/wc/ingest/nd", "{\"n\":1}\n\n", NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "HTTP/1.1 202"));
    free(r);
    r = post(&l, port, "/wc/ingest/nd", "{\"n\":1}\n{bad\n", NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "line 2 is not JSON"));
    free(r);
    r = post(&l, port, "/wc/ingest/arr", "{\"not\":\"an array\"}", NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "HTTP/1.1 400"));
    free(r);
    r = post(&l, port, "/wc/ingest/arr", "[1,\"two\"]", NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "HTTP/1.1 202"));
    free(r);
    r = post(&l, port, "/wc/ingest/posted", "", "65"); /* over maxBody */
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "HTTP/1.1 413"));
    free(r);
    r = post(&l, port, "/wc/ingest/posted", "", "x");
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "HTTP/1.1 411"));
    free(r);
    r = post(&l, port, "/wc/elsewhere", "x\n", NULL); /* three sources: the path must name one */
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "HTTP/1.1 404"));
    free(r);
    CU_ASSERT_EQUAL(stream_job_queued(j, "posted"), 2);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1);
    stream_job_free(j);
    loop_release(&l);
    fclose(o);
    CU_ASSERT_STRING_EQUAL(out, STREAM_HDR("1970-01-01 00:00:01") "a b\nc\n{'n': 1}\n1\ntwo\n\n");
    free(out);
}

/* One httpIngest source takes a POST on any path under basePath: the
 * operation's URL appended to a serviceUrl pointing at the serve port. */
static void test_http_ingest_single(void)
{
    struct loop l;
    CU_ASSERT_EQUAL_FATAL(loop_init(&l), 0);
    int port = free_port();
    char def[1024];
    snprintf(
        def, sizeof(def),
        "{\"batchInterval\":1000,\"sources\":[{\"name\":\"posted\",\"type\":\"httpIngest\","
        "\"operation\":\"wc/ingest\"}],\"pipeline\":[],\"outputs\":[{\"type\":\"serve\",\"listen\":"
        "\"127.0.0.1:%d\"}]}",
        port);
    struct stream_job *j = start(&l, def, NULL, 0);
    char *r = post(&l, port, "/lines", "x y\n", NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "HTTP/1.1 202"));
    free(r);
    CU_ASSERT_EQUAL(stream_job_queued(j, "posted"), 1);
    stream_job_free(j);
    loop_release(&l);
    /* without a listening serve output there is nowhere to post */
    char err[256] = "";
    const char *bad = "{\"batchInterval\":1000,\"sources\":[{\"name\":\"p\",\"type\":"
                      "\"httpIngest\",\"operation\":\"a/"
                      "b\"}],\"pipeline\":[],\"outputs\":[{\"type\":\"print\"}]}";
    struct stream_def *d = stream_def_parse(bad, strlen(bad), err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct stream_env env = { &l, NULL, "x", "h", state };
    CU_ASSERT_PTR_NULL(stream_job_new(d, &env, 0, err, sizeof(err)));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "httpIngest source receives on the port of a serve"));
    /* gatewayLog outside a gateway */
    const char *gw = GWDEF("") "}";
    d = stream_def_parse(gw, strlen(gw), err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    env.state_dir = NULL;
    CU_ASSERT_PTR_NULL(stream_job_new(d, &env, 0, err, sizeof(err)));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "run the job in a gateway"));
}

/* httpIngest with writeAheadLog: a body answered 202 is in the log, so a
 * job killed before its batch has it back at the restart; a stopping job
 * answers 503. */
static void test_http_ingest_wal(void)
{
    struct loop l;
    CU_ASSERT_EQUAL_FATAL(loop_init(&l), 0);
    int port = free_port();
    char def[1024];
    fresh_state();
    snprintf(def, sizeof(def),
             "{\"batchInterval\":1000,\"sources\":[{\"name\":\"posted\",\"type\":\"httpIngest\","
             "\"operation\":\"wc/ingest\"}],\"pipeline\":[],\"outputs\":[{\"type\":\"serve\","
             "\"listen\":\"127.0.0.1:%d\"}],\"checkpoint\":{\"directory\":\"%s/ck\",\"interval\":"
             "1000,\"writeAheadLog\":true}}",
             port, state);
    struct stream_job *j = start(&l, def, NULL, 0);
    char *r = post(&l, port, "/lines", "x y\nz\n", NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "HTTP/1.1 202"));
    free(r);
    stream_job_free(j); /* killed before the batch */
    j = start(&l, def, NULL, 500);
    CU_ASSERT_EQUAL(stream_job_queued(j, "posted"), 2);
    CU_ASSERT_EQUAL(stream_job_run_due(j, 1000), 1);
    CU_ASSERT_EQUAL(stream_job_queued(j, "posted"), 0);
    stream_job_stop(j, 1100);
    CU_ASSERT_TRUE(stream_job_stopped(j));
    r = post(&l, port, "/lines", "late\n", NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "HTTP/1.1 503"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "is stopping"));
    free(r);
    stream_job_free(j);
    j = start(&l, def, NULL, 2500); /* all in a checkpoint: nothing comes again */
    CU_ASSERT_EQUAL(stream_job_queued(j, "posted"), 0);
    stream_job_free(j);
    loop_release(&l);
}

static void test_definition_errors(void)
{
    char err[256];
    const char *cases[][2] = {
        { "\"type\":\"eventHub\",\"logger\":\"../up\"", "sources[0].logger: '../up' is not" },
        { "\"type\":\"eventHub\",\"logger\":\"l\",\"format\":\"xml\"", "format: unknown value" },
        { "\"type\":\"httpIngest\"", "sources[0]: missing 'operation'" },
        { "\"type\":\"httpIngest\",\"operation\":\"a/b\",\"maxBody\":0", "maxBody: must be" },
        { "\"type\":\"gatewayLog\",\"fields\":[1]", "fields[0]: must be a string" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char def[512];
        snprintf(def, sizeof(def),
                 "{\"batchInterval\":1000,\"sources\":[{\"name\":\"s\",%s}],\"outputs\":[{"
                 "\"type\":\"print\"}]}",
                 cases[i][0]);
        err[0] = '\0';
        CU_ASSERT_PTR_NULL(stream_def_parse(def, strlen(def), err, sizeof(err)));
        if (!strstr(err, cases[i][1]))
            fprintf(stderr, "case %zu: %s\n", i, err);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i][1]));
    }
}

int main(void)
{
    stream_test_utc();
    CU_TestInfo tests[] = {
        { "gateway_log", test_gateway_log },
        { "gateway_log_checkpoint", test_gateway_log_checkpoint },
        { "event_hub", test_event_hub },
        { "event_hub_sink", test_event_hub_sink },
        { "http_ingest", test_http_ingest },
        { "http_ingest_single", test_http_ingest_single },
        { "http_ingest_wal", test_http_ingest_wal },
        { "definition_errors", test_definition_errors },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "stream_gwsrc", NULL, NULL, NULL, NULL, tests },
                              CU_SUITE_INFO_NULL };
    int rc = cunit_run(suites);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", state);
    return rc | (system(cmd) != 0);
}
