/* e2e_lifecycle.c - the `apim gateway` workflow end to end: start (in the
 * background and in the foreground, from a template or a .plan file),
 * status, list, the listing commands against a gateway, reload on SIGHUP and
 * on file change (a broken config keeps the last good plan serving), stop
 * while requests are in flight (they complete), the drain timeout, and the
 * errors: already running, port in use, invalid config, usage.
 *
 *   e2e_lifecycle APIM ECHO_BACKEND SOURCE_ROOT
 */
#include <CUnit/Basic.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../unit/cunit_run.h"
#include "harness.h"

static struct h_backend backend;
static char param_backend[128], param_dead[128], scopes[512];

static int suite_init(void)
{
    if (h_backend_start(&backend) != 0)
        return 1;
    snprintf(param_backend, sizeof(param_backend), "backendUrl=%s", backend.url);
    snprintf(param_dead, sizeof(param_dead), "deadUrl=http://127.0.0.1:%d", h_dead_port());
    snprintf(scopes, sizeof(scopes), "%s/tests/e2e/configs/scopes.json", h_root());
    return 0;
}

static int suite_cleanup(void)
{
    h_backend_stop(&backend);
    return 0;
}

/* ---- helpers ---- */

struct run {
    int rc;
    struct buf out, err;
};

static void run(struct run *r, const char *const *args)
{
    buf_init(&r->out, 16u << 20);
    buf_init(&r->err, 16u << 20);
    r->rc = h_apim(&r->out, &r->err, args);
    if (r->out.data == NULL && buf_puts(&r->out, "") != 0)
        abort();
    if (r->err.data == NULL && buf_puts(&r->err, "") != 0)
        abort();
}

static void run_release(struct run *r)
{
    buf_release(&r->out);
    buf_release(&r->err);
}

static int start_scopes(struct h_gateway *g, const char *name, const char *const *more)
{
    const char *extra[24] = { "-p", param_backend, "-p", param_dead };
    size_t n = 4;
    for (size_t i = 0; more && more[i] && n < 23; i++)
        extra[n++] = more[i];
    return h_gateway_start(g, name, scopes, extra);
}

static long status_on(const struct h_gateway *g, const char *path, const char *const *headers)
{
    char url[512];
    snprintf(url, sizeof(url), "%s%s", g->url, path);
    struct h_resp r;
    h_http(&r, "GET", url, headers, NULL, 0);
    long s = r.status;
    h_resp_release(&r);
    return s;
}

/* The gateway's /status document. */
static json_t *admin_status(const struct h_gateway *g)
{
    char url[256];
    snprintf(url, sizeof(url), "%s/status", g->admin);
    struct h_resp r;
    h_http(&r, "GET", url, NULL, NULL, 0);
    json_t *j = r.status == 200 ? json_loads(r.body.data, 0, NULL) : NULL;
    h_resp_release(&r);
    return j;
}

static long long reloads(const struct h_gateway *g, const char *which)
{
    json_t *st = admin_status(g);
    long long n = json_integer_value(json_object_get(json_object_get(st, "reloads"), which));
    json_decref(st);
    return n;
}

struct reload_wait {
    const struct h_gateway *g;
    const char *which;
    long long want;
};

static bool reloaded(void *ctx)
{
    struct reload_wait *w = ctx;
    return reloads(w->g, w->which) >= w->want;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

/* The echo-api template with its API path replaced. */
static int echo_config(const char *name, const char *path_value, char *out, size_t len)
{
    char src[512];
    snprintf(src, sizeof(src), "%s/azure-templates/echo-api.json", h_root());
    char *text = read_text(src);
    char *at = text ? strstr(text, "\"path\": \"echo\"") : NULL;
    if (at == NULL)
        return -1;
    static char copy[1 << 16];
    snprintf(copy, sizeof(copy), "%.*s\"path\": \"%s\"%s", (int)(at - text), text, path_value,
             at + strlen("\"path\": \"echo\""));
    return h_write_file(name, copy, out, len);
}

static const char *const starter[] = { "Ocp-Apim-Subscription-Key: starter-primary-key-0001",
                                       NULL };

/* ---- tests ---- */

static void test_start_status_list_stop(void)
{
    struct h_gateway g;
    const char *rg[] = { "--resource-group", "apim-gateway-resource-group", NULL };
    CU_ASSERT_FATAL(start_scopes(&g, "life-basic", rg) == 0);
    CU_ASSERT_TRUE(h_alive(g.pid));
    CU_ASSERT_EQUAL(status_on(&g, "/free/x", NULL), 200);

    struct run r;
    const char *st[] = { "gateway", "status", "--gateway-name", "life-basic", "-o", "json", NULL };
    run(&r, st);
    CU_ASSERT_EQUAL(r.rc, 0);
    json_t *j = json_loads(r.out.data, 0, NULL);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "state")), "running");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "url")), g.url);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "pid")), g.pid);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "threads")), 2);
    CU_ASSERT_TRUE(json_is_integer(json_object_get(j, "uptimeSeconds"))); /* not 0.123456 */
    json_decref(j);
    run_release(&r);

    /* tsv: one record, the columns of 'apim gateway status --help' */
    const char *tsv[] = { "gateway", "status", "--gateway-name", "life-basic", "-o", "tsv", NULL };
    run(&r, tsv);
    CU_ASSERT_EQUAL(r.rc, 0);
    char head[600];
    snprintf(head, sizeof(head), "life-basic\trunning\t%ld\t%s\thttp://127.0.0.1:", (long)g.pid,
             g.url);
    CU_ASSERT_EQUAL(strncmp(r.out.data, head, strlen(head)), 0);
    CU_ASSERT_PTR_NULL(strchr(r.out.data, '{'));
    CU_ASSERT_EQUAL(strchr(r.out.data, '\n') - r.out.data + 1, (long)r.out.len); /* one line */
    run_release(&r);
    const char *yaml[] = { "gateway", "status", "-n", "life-basic", "--output=yaml", NULL };
    run(&r, yaml);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "\nstate: running\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "\nuptimeSeconds: "));
    run_release(&r);

    const char *text[] = { "gateway", "status", "--gateway-name", "life-basic", NULL };
    run(&r, text);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "running"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, g.url));
    run_release(&r);

    const char *list[] = { "gateway", "list", "--output", "tsv", NULL };
    run(&r, list);
    CU_ASSERT_EQUAL(r.rc, 0);
    char row[1200];
    snprintf(row, sizeof(row), "life-basic\trunning\t%s\t%ld\tapim-gateway-resource-group\t%s\n",
             g.url, (long)g.pid, scopes);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, row));
    run_release(&r);
    /* -g filters by resource group, ignoring case as Azure does */
    const char *in_rg[] = { "gateway", "list", "-g", "APIM-Gateway-Resource-Group",
                            "-o",      "tsv",  NULL };
    run(&r, in_rg);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, row));
    run_release(&r);
    const char *other_rg[] = { "gateway", "list", "-g", "elsewhere", "-o", "tsv", NULL };
    run(&r, other_rg);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_PTR_NULL(strstr(r.out.data, "life-basic"));
    run_release(&r);

    pid_t pid = g.pid;
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
    CU_ASSERT_FALSE(h_alive(pid));
    run(&r, st);
    CU_ASSERT_EQUAL(r.rc, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "\"stopped\""));
    run_release(&r);
    run(&r, list);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "life-basic\tstopped"));
    run_release(&r);
    run(&r, tsv);
    CU_ASSERT_EQUAL(r.rc, 3);
    CU_ASSERT_EQUAL(strncmp(r.out.data, "life-basic\tstopped\t\t", 20), 0); /* no pid */
    run_release(&r);
    const char *stop[] = { "gateway", "stop", "--gateway-name", "life-basic", NULL };
    run(&r, stop);
    CU_ASSERT_EQUAL(r.rc, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err.data, "is not running"));
    run_release(&r);
}

static void test_already_running(void)
{
    struct h_gateway g, again;
    CU_ASSERT_FATAL(start_scopes(&g, "life-twice", NULL) == 0);
    struct run r;
    const char *args[] = {
        "gateway",     "start", "--gateway-name", "life-twice", "--config", scopes, "-p",
        param_backend, "-p",    param_dead,       "--port",     "0",        NULL
    };
    run(&r, args);
    CU_ASSERT_EQUAL(r.rc, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err.data, "gateway 'life-twice' is already running"));
    run_release(&r);
    (void)again;
    CU_ASSERT_TRUE(h_alive(g.pid)); /* the first one is untouched */
    CU_ASSERT_EQUAL(status_on(&g, "/free/x", NULL), 200);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

static void test_port_in_use(void)
{
    char port[16];
    snprintf(port, sizeof(port), "%d", backend.port);
    struct run r;
    const char *args[] = {
        "gateway",     "start", "--gateway-name", "life-port", "--config", scopes, "-p",
        param_backend, "-p",    param_dead,       "--port",    port,       NULL
    };
    run(&r, args);
    CU_ASSERT_EQUAL(r.rc, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err.data, "cannot listen on 127.0.0.1 port"));
    run_release(&r);
    const char *st[] = { "gateway", "status", "--gateway-name", "life-port", NULL };
    run(&r, st);
    CU_ASSERT_EQUAL(r.rc, 3);
    run_release(&r);
}

static void test_invalid_config(void)
{
    char path[512];
    CU_ASSERT_FATAL(h_write_file("broken.json", "{ \"resources\": [ }", path, sizeof(path)) == 0);
    struct run r;
    const char *args[] = { "gateway",     "start",    "--gateway-name",
                           "life-broken", "--config", path,
                           "--port",      "0",        NULL };
    run(&r, args);
    CU_ASSERT_EQUAL(r.rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err.data, "broken.json:1:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err.data, "gateway 'life-broken' was not started"));
    run_release(&r);
    /* a missing required parameter is an error too */
    const char *noparam[] = { "gateway",     "start",    "--gateway-name",
                              "life-broken", "--config", scopes,
                              "--port",      "0",        NULL };
    run(&r, noparam);
    CU_ASSERT_EQUAL(r.rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err.data, "backendUrl"));
    run_release(&r);
}

static void test_usage_errors(void)
{
    const char *cases[][8] = {
        { "gateway", NULL },
        { "gateway", "launch", NULL },
        { "gateway", "start", "--config", "x.json", NULL },
        { "gateway", "start", "--gateway-name", "../evil", "--config", "x.json", NULL },
        { "gateway", "start", "--gateway-name", "ok", NULL },
        { "gateway", "start", "--gateway-name", "ok", "--config", "x.json", "--port=70000" },
        { "gateway", "stop", NULL },
        { "api", "show", "--gateway-name", "ok", NULL },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct run r;
        run(&r, cases[i]);
        CU_ASSERT_EQUAL(r.rc, 2);
        CU_ASSERT_TRUE(strstr(r.err.data, "apim: ") || strstr(r.err.data, "usage: "));
        run_release(&r);
    }
}

static void test_listings(void)
{
    struct h_gateway g;
    CU_ASSERT_FATAL(start_scopes(&g, "life-lists", NULL) == 0);
    struct run r;
    const char *apis[] = { "api", "list", "--gateway-name", "life-lists", "-o", "json", NULL };
    run(&r, apis);
    CU_ASSERT_EQUAL(r.rc, 0);
    json_t *j = json_loads(r.out.data, 0, NULL);
    CU_ASSERT_EQUAL(json_array_size(j), 7);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(j, 0), "name")),
                           "alpha");
    json_decref(j);
    run_release(&r);
    const char *from_config[] = { "api", "list",     "--config", scopes, "-p", param_backend,
                                  "-p",  param_dead, "-o",       "tsv",  NULL };
    run(&r, from_config);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "shop\tShop\tshop/v1\t\t1\ttrue\tfalse\t"));
    run_release(&r);
    const char *ops[] = { "api",        "operation", "list", "--gateway-name",
                          "life-lists", "--api-id",  "shop", NULL };
    run(&r, ops);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "/items/{id}.json"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "UrlTemplate"));
    run_release(&r);
    const char *show[] = { "api",   "show", "--gateway-name", "life-lists", "--api-id",
                           "delta", "-o",   "json",           NULL };
    run(&r, show);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "\"header\": \"X-Api-Key\""));
    run_release(&r);
    const char *products[] = {
        "product", "list", "--gateway-name", "life-lists", "-o", "tsv", NULL
    };
    run(&r, products);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "gold\tGold\tpublished\ttrue\talpha\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "open\tOpen\tpublished\tfalse\tgamma\n"));
    run_release(&r);
    const char *subs[] = { "subscription", "list", "--gateway-name", "life-lists", NULL };
    run(&r, subs);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_PTR_NULL(strstr(r.out.data, "gold-primary-0001")); /* masked */
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out.data, "****0001"));
    run_release(&r);
    const char *missing[] = { "api",  "show", "--gateway-name", "life-lists", "--api-id",
                              "nope", NULL };
    run(&r, missing);
    CU_ASSERT_EQUAL(r.rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err.data, "no API 'nope'"));
    run_release(&r);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

static void test_api_name_filter(void)
{
    struct h_gateway g;
    const char *only[] = { "--api-name", "alpha", NULL };
    CU_ASSERT_FATAL(start_scopes(&g, "life-one-api", only) == 0);
    const char *gold[] = { "Ocp-Apim-Subscription-Key: gold-primary-0001", NULL };
    CU_ASSERT_EQUAL(status_on(&g, "/alpha/x", gold), 200);
    CU_ASSERT_EQUAL(status_on(&g, "/free/x", NULL), 404);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

static void test_reload_on_sighup(void)
{
    char cfg[512], bad[512];
    CU_ASSERT_FATAL(echo_config("reload.json", "echo", cfg, sizeof(cfg)) == 0);
    struct h_gateway g;
    const char *extra[] = { "-p", param_backend, NULL };
    CU_ASSERT_FATAL(h_gateway_start(&g, "life-reload", cfg, extra) == 0);
    CU_ASSERT_EQUAL(status_on(&g, "/echo/resource", starter), 200);

    /* a broken config: reported, and the last good plan keeps serving */
    CU_ASSERT_FATAL(h_write_file("reload.json", "{ \"resources\": [", bad, sizeof(bad)) == 0);
    kill(g.pid, SIGHUP);
    struct reload_wait failed = { &g, "failed", 1 };
    CU_ASSERT_TRUE(h_wait(reloaded, &failed, 10000));
    CU_ASSERT_EQUAL(status_on(&g, "/echo/resource", starter), 200);
    json_t *st = admin_status(&g);
    json_t *last = json_object_get(json_object_get(st, "reloads"), "lastError");
    CU_ASSERT_TRUE(json_is_object(last));
    const char *msg = json_string_value(json_object_get(last, "message"));
    CU_ASSERT_PTR_NOT_NULL(msg ? strstr(msg, "reload.json:1:") : NULL);
    const char *hash = json_string_value(json_object_get(json_object_get(st, "plan"), "hash"));
    char old_hash[32];
    snprintf(old_hash, sizeof(old_hash), "%s", hash ? hash : "");
    json_decref(st);
    struct buf log;
    buf_init(&log, 16u << 20);
    CU_ASSERT_EQUAL(h_state_file(&g, "gateway.log", &log), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(log.data, "the last good plan keeps serving"));
    buf_release(&log);

    /* a good new config: swapped in */
    CU_ASSERT_FATAL(echo_config("reload.json", "echo2", cfg, sizeof(cfg)) == 0);
    kill(g.pid, SIGHUP);
    struct reload_wait ok = { &g, "ok", 1 };
    CU_ASSERT_TRUE(h_wait(reloaded, &ok, 10000));
    CU_ASSERT_EQUAL(status_on(&g, "/echo2/resource", starter), 200);
    CU_ASSERT_EQUAL(status_on(&g, "/echo/resource", starter), 404);
    st = admin_status(&g);
    CU_ASSERT_TRUE(json_is_null(json_object_get(json_object_get(st, "reloads"), "lastError")));
    hash = json_string_value(json_object_get(json_object_get(st, "plan"), "hash"));
    CU_ASSERT_STRING_NOT_EQUAL(hash ? hash : "", old_hash);
    /* the state folder follows */
    struct buf info;
    buf_init(&info, 1 << 20);
    CU_ASSERT_EQUAL(h_state_file(&g, "gateway.json", &info), 0);
    CU_ASSERT_PTR_NOT_NULL(hash ? strstr(info.data, hash) : NULL);
    buf_release(&info);
    json_decref(st);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

struct plan_wait {
    const struct h_gateway *g;
    const char *path;
};

static bool serves(void *ctx)
{
    struct plan_wait *w = ctx;
    return status_on(w->g, w->path, starter) == 200;
}

static void test_watch(void)
{
    char cfg[512];
    CU_ASSERT_FATAL(echo_config("watched.json", "echo", cfg, sizeof(cfg)) == 0);
    struct h_gateway g;
    const char *extra[] = { "-p", param_backend, "--watch", NULL };
    CU_ASSERT_FATAL(h_gateway_start(&g, "life-watch", cfg, extra) == 0);
    CU_ASSERT_EQUAL(status_on(&g, "/echo/resource", starter), 200);
    CU_ASSERT_FATAL(echo_config("watched.json", "watched", cfg, sizeof(cfg)) == 0);
    struct plan_wait w = { &g, "/watched/resource" };
    CU_ASSERT_TRUE(h_wait(serves, &w, 10000));
    CU_ASSERT_EQUAL(status_on(&g, "/echo/resource", starter), 404);
    CU_ASSERT_EQUAL(reloads(&g, "ok"), 1);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

static void test_stop_drains(void)
{
    struct h_gateway g;
    CU_ASSERT_FATAL(start_scopes(&g, "life-drain", NULL) == 0);
    struct h_get c;
    snprintf(c.url, sizeof(c.url), "%s/free/slow?ms=1500", g.url);
    h_get_start(&c, 20000);
    CU_ASSERT_TRUE(h_wait(h_in_flight, &g, 5000));
    pid_t pid = g.pid;
    struct h_stop stop;
    h_stop_start(&stop, &g);
    usleep(400000);
    /* while it drains, a new client is turned away at once, not left waiting */
    struct h_resp late;
    char url[256];
    snprintf(url, sizeof(url), "%s/free/late", g.url);
    h_http(&late, "GET", url, NULL, NULL, 5000);
    CU_ASSERT_NOT_EQUAL(late.curl_error, 0);
    CU_ASSERT_TRUE(late.seconds < 1.0);
    h_resp_release(&late);
    h_stop_join(&stop);
    h_get_join(&c);
    CU_ASSERT_EQUAL(stop.rc, 0);
    long long took = stop.took;
    CU_ASSERT_EQUAL(c.r.status, 200); /* it completed */
    CU_ASSERT_PTR_NOT_NULL(strstr(c.r.body.data, "\"path\": \"/slow\""));
    CU_ASSERT_TRUE(took >= 800);
    CU_ASSERT_FALSE(h_alive(pid));
    h_resp_release(&c.r);
}

static void test_drain_timeout(void)
{
    struct h_gateway g;
    const char *extra[] = { "--drain-timeout", "1", NULL };
    CU_ASSERT_FATAL(start_scopes(&g, "life-drain-timeout", extra) == 0);
    struct h_get c;
    snprintf(c.url, sizeof(c.url), "%s/free/slow?ms=8000", g.url);
    h_get_start(&c, 20000);
    CU_ASSERT_TRUE(h_wait(h_in_flight, &g, 5000));
    long long t0 = h_now_ms();
    pid_t pid = g.pid;
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
    long long took = h_now_ms() - t0;
    h_get_join(&c);
    CU_ASSERT_TRUE(took < 5000); /* not the 8 s of the backend */
    CU_ASSERT_FALSE(h_alive(pid));
    /* The client was answered with the 500 of a failed backend call, or saw
     * the connection close: never a hang. */
    CU_ASSERT_TRUE(c.r.status == 500 || c.r.curl_error != 0);
    h_resp_release(&c.r);
}

/* Reads one line from fd (up to len - 1 bytes) within ms; 0 or -1. */
static int read_line(int fd, char *line, size_t len, long ms)
{
    size_t n = 0;
    long long deadline = h_now_ms() + ms;
    while (n + 1 < len) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        long long left = deadline - h_now_ms();
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0 || read(fd, line + n, 1) != 1)
            break;
        if (line[n] == '\n') {
            line[n] = '\0';
            return 0;
        }
        n++;
    }
    line[n] = '\0';
    return -1;
}

/* apim gateway start --foreground with stdout on a pipe, stderr in a file. */
static pid_t start_foreground(const char *plan, int *out_fd, const char *errfile)
{
    int pfd[2];
    CU_ASSERT_FATAL(pipe(pfd) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        setenv("APIM_HOME", h_home(), 1);
        int err = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(pfd[1], 1);
        dup2(err, 2);
        close(pfd[0]);
        execl(getenv("E2E_APIM"), "apim", "gateway", "start", "--gateway-name", "life-fg",
              "--config", plan, "--port", "0", "--foreground", (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    h_remember(pid);
    *out_fd = pfd[0];
    return pid;
}

/* --foreground (containers, CI): the process is the gateway; stdout gets
 * the 'listening' line (the port that --port 0 picked), then the access log
 * as JSON lines; the gateway's own log goes to stderr. */
static void test_foreground_and_plan_file(void)
{
    char plan[512], errfile[512], line[4096];
    snprintf(plan, sizeof(plan), "%s/scopes.plan", h_scratch());
    snprintf(errfile, sizeof(errfile), "%s/foreground.err", h_scratch());
    struct run r;
    const char *compile[] = { "compile",  scopes,        "-p", param_backend, "-p",
                              param_dead, "--file-path", plan, NULL };
    run(&r, compile);
    CU_ASSERT_EQUAL(r.rc, 0);
    run_release(&r);
    int out;
    pid_t pid = start_foreground(plan, &out, errfile);
    CU_ASSERT_FATAL(read_line(out, line, sizeof(line), 20000) == 0);
    json_t *j = json_loads(line, 0, NULL);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "event")), "listening");
    json_int_t port = json_integer_value(json_object_get(j, "port"));
    CU_ASSERT_TRUE(port > 0 && port < 65536);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "pid")), pid);
    struct h_gateway g = { .name = "life-fg" };
    snprintf(g.url, sizeof(g.url), "%s", json_string_value(json_object_get(j, "url")));
    char want[64];
    snprintf(want, sizeof(want), "http://127.0.0.1:%lld", (long long)port);
    CU_ASSERT_STRING_EQUAL(g.url, want);
    json_decref(j);
    CU_ASSERT_EQUAL(status_on(&g, "/free/fg-probe", NULL), 200);
    /* the request's access log line, on stdout */
    CU_ASSERT_FATAL(read_line(out, line, sizeof(line), 20000) == 0);
    j = json_loads(line, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(j, "requestId"));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "url")), "/free/fg-probe");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "status")), 200);
    json_decref(j);
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CU_ASSERT_EQUAL(read(out, line, sizeof(line)), 0); /* nothing else on stdout: EOF */
    close(out);
    char *err = read_text(errfile); /* the gateway's log: on stderr, as text */
    CU_ASSERT_TRUE(err && strstr(err, "gateway 'life-fg' listening on"));
    CU_ASSERT_PTR_NULL(err ? strstr(err, "requestId") : NULL);
    struct buf log;
    buf_init(&log, 1 << 20);
    CU_ASSERT_NOT_EQUAL(h_state_file(&g, "access.log", &log), 0); /* not in the state folder */
    buf_release(&log);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: e2e_lifecycle APIM ECHO_BACKEND SOURCE_ROOT\n");
        return 2;
    }
    setenv("E2E_APIM", argv[1], 1);
    h_init(argv[1], argv[2], argv[3]);
    static CU_TestInfo tests[] = {
        { "start, status, list, stop", test_start_status_list_stop },
        { "already running", test_already_running },
        { "port in use", test_port_in_use },
        { "invalid config", test_invalid_config },
        { "usage errors", test_usage_errors },
        { "listings against a gateway", test_listings },
        { "--api-name", test_api_name_filter },
        { "reload on SIGHUP", test_reload_on_sighup },
        { "reload on file change (--watch)", test_watch },
        { "stop drains requests in flight", test_stop_drains },
        { "drain timeout", test_drain_timeout },
        { "--foreground: JSON lines on stdout, from a .plan file", test_foreground_and_plan_file },
        CU_TEST_INFO_NULL,
    };
    static CU_SuiteInfo suites[] = {
        { "gateway workflow", suite_init, suite_cleanup, NULL, NULL, tests },
        CU_SUITE_INFO_NULL,
    };
    return cunit_run(suites);
}
