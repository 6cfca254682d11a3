#include "harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define H_MAX_PROCS 64

static const char *apim_bin, *backend_bin, *root_dir;
static char home[256], scratch[256];
static pid_t procs[H_MAX_PROCS];
static size_t nprocs;

const char *h_home(void)
{
    return home;
}

const char *h_scratch(void)
{
    return scratch;
}

const char *h_root(void)
{
    return root_dir;
}

long long h_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool h_alive(pid_t pid)
{
    if (pid <= 0)
        return false;
    /* Reap it if it is our child and has ended. */
    int st;
    if (waitpid(pid, &st, WNOHANG) == pid)
        return false;
    /* A gateway in the background is not our child: once it exits it may
     * stay a zombie until init reaps it, and kill(pid, 0) still succeeds. */
    char path[64], stat[512] = "";
    snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    size_t n = fread(stat, 1, sizeof(stat) - 1, f);
    fclose(f);
    stat[n] = '\0';
    const char *paren = strrchr(stat, ')');
    return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

void h_remember(pid_t pid)
{
    for (size_t i = 0; i < nprocs; i++)
        if (procs[i] == pid)
            return;
    if (nprocs < H_MAX_PROCS)
        procs[nprocs++] = pid;
}

/* Stops pid: SIGTERM, then SIGKILL if it is still there after 3 s. */
static void stop_pid(pid_t pid)
{
    if (!h_alive(pid))
        return;
    kill(pid, SIGTERM);
    long long deadline = h_now_ms() + 3000;
    while (h_alive(pid) && h_now_ms() < deadline)
        usleep(10000);
    if (h_alive(pid)) {
        kill(pid, SIGKILL);
        while (h_alive(pid) && h_now_ms() < deadline + 2000)
            usleep(10000);
    }
}

static void stop_all(void)
{
    for (size_t i = 0; i < nprocs; i++)
        stop_pid(procs[i]);
    nprocs = 0;
    if (home[0]) {
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", home, scratch);
        if (system(cmd) != 0)
            fprintf(stderr, "harness: could not remove %s\n", home);
    }
}

static void on_signal(int sig)
{
    (void)sig;
    exit(3); /* runs stop_all */
}

void h_init(const char *apim, const char *backend, const char *root)
{
    apim_bin = apim;
    backend_bin = backend;
    root_dir = root;
    snprintf(home, sizeof(home), "/tmp/apim-e2e-home-XXXXXX");
    snprintf(scratch, sizeof(scratch), "/tmp/apim-e2e-files-XXXXXX");
    if (mkdtemp(home) == NULL || mkdtemp(scratch) == NULL) {
        perror("mkdtemp");
        exit(2);
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    atexit(stop_all);
}

/* ---- processes ---- */

static void must_buf(int rc)
{
    if (rc != 0) {
        fprintf(stderr, "harness: output too large\n");
        abort();
    }
}

/* Reads both pipes until both close or the deadline passes. */
static void drain_pipes(int fo, int fe, struct buf *out, struct buf *err, long long deadline)
{
    struct pollfd p[2] = { { fo, POLLIN, 0 }, { fe, POLLIN, 0 } };
    char chunk[8192];
    while ((p[0].fd >= 0 || p[1].fd >= 0) && h_now_ms() < deadline) {
        if (poll(p, 2, 100) <= 0)
            continue;
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(p[i].fd, chunk, sizeof(chunk));
            if (n <= 0) {
                close(p[i].fd);
                p[i].fd = -1;
                continue;
            }
            must_buf(buf_append(i == 0 ? out : err, chunk, (size_t)n));
        }
    }
    for (int i = 0; i < 2; i++)
        if (p[i].fd >= 0)
            close(p[i].fd);
}

int h_apim(struct buf *out, struct buf *err, const char *const *args)
{
    int po[2], pe[2];
    if (pipe(po) != 0 || pipe(pe) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        setenv("APIM_HOME", home, 1);
        /* A proxy in the environment must change nothing: the gateway calls
         * its backends directly, as API Management does, and the CLI its
         * admin port. One that answers nothing catches both. */
        char proxy[64];
        snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", h_dead_port());
        setenv("http_proxy", proxy, 1);
        setenv("https_proxy", proxy, 1);
        setenv("all_proxy", proxy, 1);
        unsetenv("no_proxy");
        unsetenv("NO_PROXY");
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(po[1]);
        close(pe[0]);
        close(pe[1]);
        const char *argv[64] = { apim_bin };
        for (size_t i = 0; args[i] && i < 62; i++)
            argv[i + 1] = args[i];
        execv(apim_bin, (char *const *)argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    h_remember(pid);
    long long deadline = h_now_ms() + 60000;
    drain_pipes(po[0], pe[0], out, err, deadline);
    int st = 0;
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (h_now_ms() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            return -1;
        }
        usleep(5000);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int h_backend_start(struct h_backend *b)
{
    int po[2];
    if (pipe(po) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(po[1], 1);
        close(po[0]);
        close(po[1]);
        execl(backend_bin, backend_bin, "--port", "0", (char *)NULL);
        _exit(127);
    }
    close(po[1]);
    if (pid < 0)
        return -1;
    h_remember(pid);
    b->pid = pid;
    /* "listening on http://127.0.0.1:PORT" */
    char line[256] = "";
    size_t n = 0;
    long long deadline = h_now_ms() + 10000;
    while (n + 1 < sizeof(line) && h_now_ms() < deadline) {
        struct pollfd p = { po[0], POLLIN, 0 };
        if (poll(&p, 1, 100) <= 0)
            continue;
        if (read(po[0], line + n, 1) != 1 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
    /* The backend writes nothing more; a closed pipe would not hurt it either. */
    close(po[0]);
    const char *p = strstr(line, "127.0.0.1:");
    if (p == NULL)
        return -1;
    b->port = (int)strtol(p + 10, NULL, 10);
    snprintf(b->url, sizeof(b->url), "http://127.0.0.1:%d", b->port);
    return 0;
}

void h_backend_stop(struct h_backend *b)
{
    stop_pid(b->pid);
    b->pid = 0;
}

long h_backend_requests(const struct h_backend *b)
{
    char url[128];
    snprintf(url, sizeof(url), "%s/__count", b->url);
    struct h_resp r;
    h_http(&r, "GET", url, NULL, NULL, 0);
    json_t *j = json_loads(r.body.data ? r.body.data : "", 0, NULL);
    long n = j ? (long)json_integer_value(json_object_get(j, "requests")) : -1;
    json_decref(j);
    h_resp_release(&r);
    return n;
}

int h_dead_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(a);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return ntohs(a.sin_port);
}

/* ---- gateways ---- */

static int read_file(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        must_buf(buf_append(out, chunk, n));
    fclose(f);
    must_buf(buf_append(out, "", 1));
    out->len--;
    return 0;
}

int h_state_file(const struct h_gateway *g, const char *file, struct buf *out)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/gateways/%s/%s", home, g->name, file);
    return read_file(path, out);
}

static void fill_gateway(struct h_gateway *g)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    if (h_state_file(g, "gateway.json", &b) == 0) {
        json_t *j = json_loads(b.data, 0, NULL);
        snprintf(g->url, sizeof(g->url), "%s", json_string_value(json_object_get(j, "url")));
        snprintf(g->admin, sizeof(g->admin), "%s",
                 json_string_value(json_object_get(j, "adminUrl")));
        g->pid = (pid_t)json_integer_value(json_object_get(j, "pid"));
        json_decref(j);
        h_remember(g->pid);
    }
    buf_release(&b);
}

int h_gateway_start(struct h_gateway *g, const char *name, const char *config,
                    const char *const *extra)
{
    return h_gateway_start_out(g, name, config, extra, NULL);
}

int h_gateway_start_out(struct h_gateway *g, const char *name, const char *config,
                        const char *const *extra, struct buf *stdout_copy)
{
    memset(g, 0, sizeof(*g));
    snprintf(g->name, sizeof(g->name), "%s", name);
    const char *args[48] = { "gateway", "start", "--gateway-name", name, "--config",  config,
                             "--port",  "0",     "--admin-port",   "0",  "--threads", "2" };
    size_t n = 12;
    for (size_t i = 0; extra && extra[i]; i++)
        if (strcmp(extra[i], "--threads") == 0)
            n = 10; /* the test's own count replaces the default two */
    for (size_t i = 0; extra && extra[i] && n < 46; i++)
        args[n++] = extra[i];
    struct buf out, err;
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    int rc = h_apim(&out, &err, args);
    if (rc != 0)
        fprintf(stderr, "gateway start %s: exit %d\n%s%s", name, rc, out.data ? out.data : "",
                err.data ? err.data : "");
    else
        fill_gateway(g);
    if (stdout_copy && buf_puts(stdout_copy, out.data ? out.data : "") != 0)
        rc = -1;
    buf_release(&out);
    buf_release(&err);
    return rc;
}

/* A sanitizer build reports into the gateway's log (its stderr): a stop
 * that leaves such a report is a failed stop. */
static int sanitizer_clean(const struct h_gateway *g)
{
    struct buf log;
    buf_init(&log, 64u << 20);
    int rc = 0;
    if (h_state_file(g, "gateway.log", &log) == 0 &&
        (strstr(log.data, "Sanitizer") || strstr(log.data, "runtime error:"))) {
        fprintf(stderr, "gateway %s: sanitizer report in its log:\n%s\n", g->name, log.data);
        rc = 99;
    }
    buf_release(&log);
    return rc;
}

int h_gateway_stop(struct h_gateway *g)
{
    const char *args[] = { "gateway", "stop", "--gateway-name", g->name, NULL };
    struct buf out, err;
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    int rc = h_apim(&out, &err, args);
    if (rc != 0)
        fprintf(stderr, "gateway stop %s: exit %d\n%s", g->name, rc, err.data ? err.data : "");
    buf_release(&out);
    buf_release(&err);
    return rc ? rc : sanitizer_clean(g);
}

/* ---- HTTP ---- */

static size_t collect(char *data, size_t size, size_t n, void *userp)
{
    return buf_append(userp, data, size * n) == 0 ? size * n : 0;
}

int h_http(struct h_resp *r, const char *method, const char *url, const char *const *headers,
           const char *body, long timeout_ms)
{
    memset(r, 0, sizeof(*r));
    buf_init(&r->headers, 1 << 20);
    buf_init(&r->body, 512u << 20);
    CURL *e = curl_easy_init();
    struct curl_slist *list = NULL;
    for (size_t i = 0; headers && headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &r->headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms ? timeout_ms : 20000L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    else if (strcmp(method, "GET") != 0 || body)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    long long t0 = h_now_ms();
    CURLcode rc = curl_easy_perform(e);
    r->seconds = (double)(h_now_ms() - t0) / 1000.0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->status);
    r->curl_error = (int)rc;
    /* Always a NUL-terminated string, even when empty, for strstr. */
    must_buf(buf_append(&r->body, "", 1));
    must_buf(buf_append(&r->headers, "", 1));
    r->body.len--;
    r->headers.len--;
    curl_slist_free_all(list);
    curl_easy_cleanup(e);
    return rc == CURLE_OK ? 0 : -1;
}

void h_resp_release(struct h_resp *r)
{
    buf_release(&r->headers);
    buf_release(&r->body);
}

long long h_metric(const struct h_gateway *g, const char *sample)
{
    char url[256];
    snprintf(url, sizeof(url), "%s/metrics", g->admin);
    struct h_resp r;
    h_http(&r, "GET", url, NULL, NULL, 3000);
    long long v = -1;
    size_t n = strlen(sample);
    for (const char *p = r.body.data; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, sample, n) == 0 && p[n] == ' ')
            v = strtoll(p + n + 1, NULL, 10);
    h_resp_release(&r);
    return v;
}

int h_resp_header(const struct h_resp *r, const char *name, char *out, size_t len)
{
    size_t nl = strlen(name);
    const char *p = r->headers.data;
    while (p && *p) {
        const char *end = strstr(p, "\r\n");
        if (end == NULL)
            break;
        if ((size_t)(end - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            snprintf(out, len, "%.*s", (int)(end - v), v);
            return 0;
        }
        p = end + 2;
    }
    return -1;
}

enum h_raw_end h_raw_how(int port, const char *request, size_t len, struct buf *answer,
                         long timeout_ms)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        if (fd >= 0)
            close(fd);
        return H_RAW_FAILED;
    }
    /* A refusing peer may close before taking it all: read its answer anyway. */
    (void)send(fd, request, len, MSG_NOSIGNAL);
    long long deadline = h_now_ms() + timeout_ms;
    char chunk[8192];
    enum h_raw_end how = H_RAW_OPEN;
    while (how == H_RAW_OPEN && h_now_ms() < deadline) {
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, 50) <= 0)
            continue;
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n > 0)
            must_buf(buf_append(answer, chunk, (size_t)n));
        else
            how = n == 0 ? H_RAW_CLOSED : H_RAW_RESET;
    }
    must_buf(buf_append(answer, "", 1));
    answer->len--;
    close(fd);
    return how;
}

int h_raw(int port, const char *request, size_t len, struct buf *answer, long timeout_ms)
{
    return h_raw_how(port, request, len, answer, timeout_ms) == H_RAW_FAILED ? -1 : 0;
}

int h_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Lines of /proc/net/tcp: "sl local_addr:PORT rem_addr:PORT st ...", hex. */
static int count_in(const char *path, int local_port, int remote_port, int state)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char line[512];
    int n = 0;
    while (fgets(line, sizeof(line), f)) {
        char local[80], remote[80];
        unsigned st;
        if (sscanf(line, " %*s %79s %79s %x", local, remote, &st) != 3)
            continue;
        const char *lp = strrchr(local, ':'), *rp = strrchr(remote, ':');
        if (lp == NULL || rp == NULL)
            continue;
        long l = strtol(lp + 1, NULL, 16), r = strtol(rp + 1, NULL, 16);
        n += (int)st == state && (local_port == 0 || l == local_port) &&
             (remote_port == 0 || r == remote_port);
    }
    fclose(f);
    return n;
}

int h_tcp_count(int local_port, int remote_port, int state)
{
    int a = count_in("/proc/net/tcp", local_port, remote_port, state);
    int b = count_in("/proc/net/tcp6", local_port, remote_port, state);
    return a < 0 ? -1 : a + (b < 0 ? 0 : b);
}

long h_tcp_unread(int local_port, int remote_port)
{
    FILE *f = fopen("/proc/net/tcp", "r");
    if (f == NULL)
        return -1;
    char line[512];
    long unread = -1;
    while (unread < 0 && fgets(line, sizeof(line), f)) {
        unsigned lp, rp;
        unsigned long tx, rx;
        if (sscanf(line, " %*s %*8s:%x %*8s:%x %*x %lx:%lx", &lp, &rp, &tx, &rx) == 4 &&
            (int)lp == local_port && (int)rp == remote_port)
            unread = (long)rx;
    }
    fclose(f);
    return unread;
}

int h_local_port(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    return ntohs(a.sin_port);
}

int h_write_file(const char *name, const char *text, char *out, size_t len)
{
    if (name[0] == '/')
        snprintf(out, len, "%s", name);
    else
        snprintf(out, len, "%s/%s", scratch, name);
    char tmp[600];
    snprintf(tmp, sizeof(tmp), "%s.tmp", out);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
        return -1;
    return rename(tmp, out);
}

bool h_wait(bool (*cond)(void *ctx), void *ctx, long ms)
{
    long long deadline = h_now_ms() + ms;
    do {
        if (cond(ctx))
            return true;
        usleep(20000);
    } while (h_now_ms() < deadline);
    return cond(ctx);
}

int h_listen(int *port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16) ||
        getsockname(fd, (struct sockaddr *)&sa, &len)) {
        close(fd);
        return -1;
    }
    *port = ntohs(sa.sin_port);
    return fd;
}

int h_accept(int lfd, int ms)
{
    struct pollfd p = { .fd = lfd, .events = POLLIN };
    if (poll(&p, 1, ms) != 1)
        return -1;
    return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

static void *get_thread(void *arg)
{
    struct h_get *c = arg;
    h_http(&c->r, "GET", c->url, NULL, NULL, c->timeout_ms);
    return NULL;
}

void h_get_start(struct h_get *c, long timeout_ms)
{
    c->timeout_ms = timeout_ms;
    if (pthread_create(&c->thread, NULL, get_thread, c) != 0)
        get_thread(c);
}

void h_get_join(struct h_get *c)
{
    pthread_join(c->thread, NULL);
}

static void *stop_thread(void *arg)
{
    struct h_stop *s = arg;
    long long t0 = h_now_ms();
    s->rc = h_gateway_stop(s->g);
    s->took = h_now_ms() - t0;
    return NULL;
}

void h_stop_start(struct h_stop *s, struct h_gateway *g)
{
    *s = (struct h_stop){ .g = g, .rc = -1 };
    if (pthread_create(&s->thread, NULL, stop_thread, s) != 0)
        stop_thread(s);
}

void h_stop_join(struct h_stop *s)
{
    pthread_join(s->thread, NULL);
}

bool h_in_flight(void *ctx)
{
    const struct h_gateway *g = ctx;
    char url[256];
    snprintf(url, sizeof(url), "%s/status", g->admin);
    struct h_resp r;
    h_http(&r, "GET", url, NULL, NULL, 3000);
    json_t *st = r.status == 200 && r.body.data ? json_loads(r.body.data, 0, NULL) : NULL;
    long long n = json_integer_value(json_object_get(json_object_get(st, "counters"), "inFlight"));
    json_decref(st);
    h_resp_release(&r);
    return n > 0;
}
