#include "gateway.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "apim_limits.h"
#include "jobs.h"
#include "log.h"
#include "proxy.h"
#include "server.h"
#include "worker.h"

#define GATEWAY_EXIT_FAILED 3
#define GATEWAY_MAX_THREADS 64
/* How often --watch looks at the files; a change is acted on once it has
 * stayed the same for one more look (editors write in several steps). */
#define GATEWAY_WATCH_MS 250
/* nginx's client_header_timeout and client_body_timeout defaults. */
#define GATEWAY_CLIENT_TIMEOUT_MS 60000

struct file_sig {
    const char *path;
    struct timespec mtime;
    off_t size;
    ino_t ino;
    bool exists;
};

struct gateway {
    const struct gateway_options *o;
    struct worker_shared sh;
    struct worker **workers;
    unsigned nworkers;
    int listen_fd, admin_fd, access_fd, sig_fd;
    int port, admin_port;
    char url[160], admin_url[64];
    struct server_simple *admin;
    struct jobs *jobs; /* the streaming jobs (jobs.h) */
    int64_t started_at, started_ms;
    pthread_mutex_t status_lock; /* the reload fields below */
    uint64_t reloads_ok, reloads_failed;
    char *last_error;
    int64_t last_error_at;
    atomic_bool draining;
    struct file_sig *sigs;
    size_t nsigs;
    bool watch_pending;
};

/* ---- sockets ---- */

static int listen_on(const char *host, int port, int *actual, char *err, size_t errlen)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC,
                              .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
    struct addrinfo *res;
    char service[16];
    snprintf(service, sizeof(service), "%d", port);
    int rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot listen on '%s': %s", host, gai_strerror(rc));
        return -1;
    }
    int fd = -1, saved = 0;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        int one = 1;
        if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
                        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0)) {
            saved = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        snprintf(err, errlen, "cannot listen on %s port %d: %s", host, port, strerror(saved));
        return -1;
    }
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);
    getsockname(fd, (struct sockaddr *)&sa, &len);
    *actual = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
                                             : ((struct sockaddr_in *)&sa)->sin_port);
    return fd;
}

/* Client connections per worker, so that descriptors do not run out: each
 * client may hold a backend connection too, and a worker's pool keeps idle
 * backend connections (libcurl: up to 1024). The soft descriptor limit is
 * raised to the hard one first. */
static unsigned connection_limit(unsigned workers)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 64;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
        (void)getrlimit(RLIMIT_NOFILE, &rl);
    }
    rlim_t fds = rl.rlim_cur > 128 ? rl.rlim_cur - 64 : rl.rlim_cur / 2;
    rlim_t per = fds / workers, pool = per / 4 < 1024 ? per / 4 : 1024;
    rlim_t limit = (per - pool) / 2;
    if (limit < 8)
        limit = 8;
    return limit < APIM_MAX_CONNECTIONS ? (unsigned)limit : APIM_MAX_CONNECTIONS;
}

/* ---- the state folder ---- */

static char *state_path(const struct gateway *g, const char *file)
{
    size_t n = strlen(g->o->state_dir) + strlen(file) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", g->o->state_dir, file);
    return p;
}

/* Writes FILE.tmp and renames it: readers see the old or the new file. */
static int write_state_file(const struct gateway *g, const char *file, const void *data, size_t len)
{
    if (g->o->state_dir == NULL)
        return 0;
    char *path = state_path(g, file), *tmp = xmalloc(strlen(path) + 5);
    snprintf(tmp, strlen(path) + 5, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;
    ok = (fd >= 0 && close(fd) == 0) && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        log_msg(LOG_LEVEL_ERROR, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    free(path);
    return ok ? 0 : -1;
}

static void write_info(struct gateway *g, const struct plan *p)
{
    char started[32];
    struct tm tm;
    time_t t = (time_t)g->started_at;
    gmtime_r(&t, &tm);
    strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *j =
        json_pack("{s:s, s:I, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:i, s:o, s:I}", "name",
                  g->o->name, "pid", (json_int_t)getpid(), "url", g->url, "adminUrl", g->admin_url,
                  "host", g->o->host, "port", g->port, "adminPort", g->admin_port, "config",
                  g->o->config ? g->o->config : "", "planHash", p->hash, "startedAt", started,
                  "version", g->o->version, "threads", (int)g->nworkers, "resourceGroup",
                  g->o->resource_group ? json_string(g->o->resource_group) : json_null(),
                  "drainTimeoutSeconds", (json_int_t)(g->o->drain_timeout_ms / 1000));
    char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (text) {
        size_t n = strlen(text);
        text[n] = '\n'; /* json_dumps leaves room: the NUL becomes the newline */
        (void)write_state_file(g, "gateway.json", text, n + 1);
        free(text);
    }
}

/* The access log on stdout: a descriptor of our own, so that it is closed
 * like the file's. */
static int write_pid(struct gateway *g)
{
    char pid[32];
    int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    return write_state_file(g, "pid", pid, (size_t)n);
}

static int open_stdout_log(struct gateway *g, char *err, size_t errlen)
{
    g->access_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (g->access_fd < 0)
        snprintf(err, errlen, "cannot write the access log to stdout: %s", strerror(errno));
    return g->access_fd < 0 ? -1 : 0;
}

static int open_state(struct gateway *g, const struct plan *p, char *err, size_t errlen)
{
    g->access_fd = -1;
    if (g->o->log_to_stdout && open_stdout_log(g, err, errlen) != 0)
        return -1;
    if (g->o->state_dir == NULL)
        return 0;
    if (g->o->log_to_stdout)
        return write_state_file(g, "gateway.plan", p->bytes, p->size) == 0 ? write_pid(g) : -1;
    char *path = state_path(g, "access.log");
    g->access_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (g->access_fd < 0)
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
    free(path);
    if (g->access_fd < 0 || write_state_file(g, "gateway.plan", p->bytes, p->size) != 0)
        return -1;
    return write_pid(g);
}

/* The first line on stdout in the foreground: where to send requests (with
 * --port 0, the only way a script learns the port). */
static int tell_listening(struct gateway *g, char *err, size_t errlen)
{
    if (!g->o->log_to_stdout)
        return 0;
    char now[25];
    log_time_now(now);
    json_t *j =
        json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:I}", "time", now, "event", "listening",
                  "name", g->o->name, "url", g->url, "port", g->port, "adminUrl", g->admin_url,
                  "adminPort", g->admin_port, "pid", (json_int_t)getpid());
    char *line = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    size_t n = line ? strlen(line) : 0;
    bool ok =
        line && write(g->access_fd, line, n) == (ssize_t)n && write(g->access_fd, "\n", 1) == 1;
    free(line);
    if (!ok)
        snprintf(err, errlen, "cannot write to stdout: %s", strerror(errno));
    return ok ? 0 : -1;
}

/* ---- the admin endpoints ---- */

static void fill_view(struct gateway *g, struct admin_view *v, struct live *l, struct metrics *m)
{
    *v = (struct admin_view){
        .name = g->o->name,
        .version = g->o->version,
        .state = atomic_load(&g->draining) ? "draining" : "running",
        .url = g->url,
        .admin_url = g->admin_url,
        .config = g->o->config,
        .host = g->o->host,
        .pid = (long)getpid(),
        .threads = g->nworkers,
        .started_at = g->started_at,
        .uptime_seconds = (double)(loop_now_ms() - g->started_ms) / 1000.0,
        .plan = l->plan,
        .plan_loaded_at = l->loaded_at,
        .metrics = m,
        .jobs = g->jobs,
    };
    for (unsigned i = 0; i < g->nworkers; i++) {
        metrics_merge(m, worker_metrics(g->workers[i]));
        v->in_flight += worker_in_flight(g->workers[i]);
    }
}

static int on_admin(void *ctx, const char *method, const char *path, struct buf *body,
                    const char **content_type)
{
    struct gateway *g = ctx;
    struct live *l = worker_shared_live(&g->sh);
    struct metrics *m = metrics_new();
    struct admin_view v;
    fill_view(g, &v, l, m);
    pthread_mutex_lock(&g->status_lock);
    v.reloads_ok = g->reloads_ok;
    v.reloads_failed = g->reloads_failed;
    v.last_error = g->last_error;
    v.last_error_at = g->last_error_at;
    int status = admin_route(&v, method, path, body, content_type);
    pthread_mutex_unlock(&g->status_lock);
    metrics_free(m);
    live_unref(l);
    return status;
}

/* ---- reload ---- */

static void log_lines(enum log_level level, const struct buf *text)
{
    if (text->data == NULL)
        return;
    const char *p = text->data, *end = text->data + text->len;
    while (p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n)
            log_msg(level, "  %.*s", (int)n, p);
        p += n + 1;
    }
}

static void reload_failed(struct gateway *g, const char *why, const char *message)
{
    log_msg(LOG_LEVEL_ERROR, "reload (%s) failed: %s; the last good plan keeps serving", why,
            message);
    pthread_mutex_lock(&g->status_lock);
    g->reloads_failed++;
    free(g->last_error);
    g->last_error = xstrdup(message);
    g->last_error_at = (int64_t)time(NULL);
    pthread_mutex_unlock(&g->status_lock);
}

/* The first line of the diagnostics that says "error", for /status. */
static void first_error(const struct buf *text, char *out, size_t outlen)
{
    const char *e = text->data ? strstr(text->data, "error") : NULL;
    const char *start = e;
    while (start && start > text->data && start[-1] != '\n')
        start--;
    if (start == NULL) {
        snprintf(out, outlen, "the configuration has errors");
        return;
    }
    size_t n = strcspn(start, "\n");
    snprintf(out, outlen, "%.*s", (int)n, start);
}

static void publish(struct gateway *g, struct plan *p, const char *why)
{
    struct live *l = live_new(p, g->o->backend_timeout_ms);
    pthread_mutex_lock(&g->sh.live_lock);
    struct live *old = g->sh.live;
    g->sh.live = l;
    pthread_mutex_unlock(&g->sh.live_lock);
    atomic_fetch_add_explicit(&g->sh.generation, 1, memory_order_release);
    live_unref(old);
    for (unsigned i = 0; i < g->nworkers; i++)
        worker_wake(g->workers[i]);
    (void)write_state_file(g, "gateway.plan", p->bytes, p->size);
    write_info(g, p);
    jobs_apply(g->jobs, p);
    log_msg(LOG_LEVEL_INFO, "reload (%s): plan %s serving (%zu APIs, %zu operations)", why, p->hash,
            p->napis, p->nops);
}

static void reload(struct gateway *g, const char *why)
{
    if (g->o->build == NULL) {
        reload_failed(g, why, "this gateway was started from a plan file it cannot rebuild");
        return;
    }
    struct buf bytes, messages;
    buf_init(&bytes, PLAN_MAX_SIZE);
    buf_init(&messages, 4u << 20);
    int rc = g->o->build(g->o->build_ctx, &bytes, &messages);
    log_lines(rc == 0 ? LOG_LEVEL_WARN : LOG_LEVEL_ERROR, &messages);
    char err[1024];
    struct plan *p = NULL;
    if (rc != 0) {
        first_error(&messages, err, sizeof(err));
    } else {
        size_t len;
        void *data = buf_steal(&bytes, &len);
        rc = plan_load_bytes(data, len, &p, err, sizeof(err));
    }
    buf_release(&bytes);
    buf_release(&messages);
    if (rc != 0) {
        reload_failed(g, why, err);
        return;
    }
    struct live *cur = worker_shared_live(&g->sh);
    bool same = strcmp(cur->plan->hash, p->hash) == 0;
    live_unref(cur);
    if (same) {
        log_msg(LOG_LEVEL_INFO, "reload (%s): plan %s unchanged", why, p->hash);
        plan_free(p);
    } else {
        publish(g, p, why);
    }
    /* Counted once the new plan serves: whoever sees the count (/status,
     * a test waiting for it) then gets answers from that plan. */
    pthread_mutex_lock(&g->status_lock);
    g->reloads_ok++;
    free(g->last_error);
    g->last_error = NULL;
    pthread_mutex_unlock(&g->status_lock);
}

/* ---- --watch ---- */

static void take_sig(struct file_sig *s)
{
    struct stat st;
    s->exists = stat(s->path, &st) == 0;
    s->mtime = s->exists ? st.st_mtim : (struct timespec){ 0, 0 };
    s->size = s->exists ? st.st_size : 0;
    s->ino = s->exists ? st.st_ino : 0;
}

static bool sig_changed(struct file_sig *s)
{
    struct file_sig now = { .path = s->path };
    take_sig(&now);
    bool changed = now.exists != s->exists || now.size != s->size || now.ino != s->ino ||
                   now.mtime.tv_sec != s->mtime.tv_sec || now.mtime.tv_nsec != s->mtime.tv_nsec;
    *s = now;
    return changed;
}

static void watch_init(struct gateway *g)
{
    const char *const *f = g->o->watch_files;
    for (g->nsigs = 0; g->o->watch && f && f[g->nsigs]; g->nsigs++)
        ;
    g->sigs = xcalloc(g->nsigs ? g->nsigs : 1, sizeof(*g->sigs));
    for (size_t i = 0; i < g->nsigs; i++) {
        g->sigs[i].path = f[i];
        take_sig(&g->sigs[i]);
    }
}

static void watch_poll(struct gateway *g)
{
    bool changed = false;
    for (size_t i = 0; i < g->nsigs; i++)
        changed |= sig_changed(&g->sigs[i]);
    if (changed) {
        g->watch_pending = true; /* act once it has settled */
    } else if (g->watch_pending) {
        g->watch_pending = false;
        reload(g, "file changed");
    }
}

/* ---- start, serve, drain ---- */

/* A head or body deadline: 0 (unset) is nginx's default, 60 s. */
static long client_timeout(long ms)
{
    return ms > 0 ? ms : GATEWAY_CLIENT_TIMEOUT_MS;
}

static int start_workers(struct gateway *g, char *err, size_t errlen)
{
    unsigned n = g->o->threads;
    if (n == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus > 0 ? (unsigned)cpus : 1;
    }
    n = n > GATEWAY_MAX_THREADS ? GATEWAY_MAX_THREADS : n;
    g->sh.connection_limit = connection_limit(n);
    if (g->o->connection_limit > 0 && g->o->connection_limit < g->sh.connection_limit)
        g->sh.connection_limit = g->o->connection_limit;
    g->sh.head_timeout_ms = client_timeout(g->o->header_timeout_ms);
    g->sh.body_timeout_ms = client_timeout(g->o->body_timeout_ms);
    g->sh.backend_idle_s = g->o->backend_idle_s;
    g->sh.body_memory = g->o->body_memory;
    g->workers = xcalloc(n, sizeof(*g->workers));
    for (unsigned i = 0; i < n; i++) {
        g->workers[i] = worker_new(&g->sh, i, err, errlen);
        if (g->workers[i] == NULL)
            return -1;
        g->nworkers = i + 1;
        if (worker_start(g->workers[i]) != 0) {
            snprintf(err, errlen, "cannot start a worker thread");
            return -1;
        }
    }
    return 0;
}

static void stop_workers(struct gateway *g)
{
    atomic_store(&g->sh.state, WORKER_STOP);
    for (unsigned i = 0; i < g->nworkers; i++)
        worker_wake(g->workers[i]);
    for (unsigned i = 0; i < g->nworkers; i++)
        worker_free(g->workers[i]);
    free(g->workers);
    g->workers = NULL;
    g->nworkers = 0;
}

static size_t in_flight(const struct gateway *g)
{
    size_t n = 0;
    for (unsigned i = 0; i < g->nworkers; i++)
        n += worker_in_flight(g->workers[i]);
    return n;
}

/* Returns true if a signal asked to stop at once. */
static bool signal_says_stop(struct gateway *g)
{
    struct signalfd_siginfo si;
    bool stop = false;
    while (read(g->sig_fd, &si, sizeof(si)) == sizeof(si))
        stop |= si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT;
    return stop;
}

/* New clients are refused at once while draining, rather than queued in a
 * backlog nobody accepts: the socket closes once no worker watches it. */
static void close_listener(struct gateway *g, int64_t deadline)
{
    for (unsigned i = 0; i < g->nworkers; i++)
        while (worker_accepting(g->workers[i]) && loop_now_ms() < deadline) {
            worker_wake(g->workers[i]);
            poll(NULL, 0, 1);
        }
    if (g->listen_fd >= 0)
        close(g->listen_fd);
    g->listen_fd = -1;
}

static void drain(struct gateway *g)
{
    atomic_store(&g->draining, true);
    atomic_store(&g->sh.state, WORKER_DRAIN);
    for (unsigned i = 0; i < g->nworkers; i++)
        worker_wake(g->workers[i]);
    size_t n = in_flight(g);
    log_msg(LOG_LEVEL_INFO, "stopping: draining %zu request(s) in flight (up to %ld ms)", n,
            g->o->drain_timeout_ms);
    int64_t deadline = loop_now_ms() + g->o->drain_timeout_ms;
    close_listener(g, deadline);
    struct pollfd pfd = { g->sig_fd, POLLIN, 0 };
    while ((n = in_flight(g)) > 0 && loop_now_ms() < deadline) {
        if (poll(&pfd, 1, 20) > 0 && signal_says_stop(g)) {
            log_msg(LOG_LEVEL_WARN, "second stop signal: not waiting for %zu request(s)", n);
            break;
        }
    }
    if (n > 0 && loop_now_ms() >= deadline)
        log_msg(LOG_LEVEL_WARN, "drain timeout: ending %zu request(s) still in flight", n);
}

static void serve(struct gateway *g)
{
    struct pollfd pfd = { g->sig_fd, POLLIN, 0 };
    while (true) {
        int rc = poll(&pfd, 1, g->nsigs ? GATEWAY_WATCH_MS : -1);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc > 0) {
            struct signalfd_siginfo si;
            if (read(g->sig_fd, &si, sizeof(si)) != sizeof(si))
                continue;
            if (si.ssi_signo == SIGHUP) {
                reload(g, "SIGHUP");
                continue;
            }
            log_msg(LOG_LEVEL_INFO, "%s received", si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
            return;
        }
        if (g->nsigs)
            watch_poll(g);
    }
}

static int block_signals(struct gateway *g, char *err, size_t errlen)
{
    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    /* Blocked before any thread starts, so only the signalfd sees them. */
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    g->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (g->sig_fd < 0)
        snprintf(err, errlen, "cannot watch signals: %s", strerror(errno));
    return g->sig_fd < 0 ? -1 : 0;
}

/* One line for the process that started us ("ready ..." or "error ..."). */
static void tell(int fd, const char *word, const char *a, const char *b)
{
    if (fd < 0)
        return;
    char line[1200];
    int n = snprintf(line, sizeof(line), "%s %s%s%s\n", word, a, *b ? " " : "", b);
    ssize_t w = write(fd, line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
    (void)w;
}

static void format_url(char *out, size_t len, const char *host, int port)
{
    bool v6 = strchr(host, ':') != NULL;
    snprintf(out, len, "http://%s%s%s:%d", v6 ? "[" : "", host, v6 ? "]" : "", port);
}

static int start(struct gateway *g, struct plan *p, char *err, size_t errlen)
{
    if (block_signals(g, err, errlen) != 0)
        return -1;
    if (proxy_global_init() != 0) {
        snprintf(err, errlen, "cannot initialise libcurl");
        return -1;
    }
    g->listen_fd = listen_on(g->o->host, g->o->port, &g->port, err, errlen);
    if (g->listen_fd < 0)
        return -1;
    g->admin_fd = listen_on("127.0.0.1", g->o->admin_port, &g->admin_port, err, errlen);
    if (g->admin_fd < 0)
        return -1;
    format_url(g->url, sizeof(g->url), g->o->host, g->port);
    format_url(g->admin_url, sizeof(g->admin_url), "127.0.0.1", g->admin_port);
    if (open_state(g, p, err, errlen) != 0 || tell_listening(g, err, errlen) != 0)
        return -1;
    /* Jobs start before the first request: the seed's API calls its job's
     * serve output. A job that cannot start is logged and shown on /status;
     * the APIs are served anyway (docs/gateway.md). */
    g->jobs = jobs_new(g->o->state_dir, g->port, g->admin_port, err, errlen);
    if (g->jobs == NULL)
        return -1;
    jobs_apply(g->jobs, p);
    g->sh.listen_fd = g->listen_fd;
    g->sh.access_log_fd = g->access_fd;
    if (start_workers(g, err, errlen) != 0)
        return -1;
    /* libmicrohttpd owns the socket from here, and closes it on some of
     * its failures: never close it again. */
    int admin_fd = g->admin_fd;
    g->admin_fd = -1;
    g->admin = server_simple_start(admin_fd, client_timeout(g->o->header_timeout_ms), on_admin, g,
                                   err, errlen);
    if (g->admin == NULL)
        return -1;
    write_info(g, p);
    watch_init(g);
    return 0;
}

static void cleanup(struct gateway *g)
{
    server_simple_stop(g->admin);
    /* After the drain: the requests in flight may still be reading a job's
     * serve output. Each job stops as its definition says (stop.graceful). */
    jobs_free(g->jobs);
    stop_workers(g);
    live_unref(g->sh.live);
    int fds[] = { g->listen_fd, g->admin_fd, g->access_fd, g->sig_fd };
    for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
        if (fds[i] >= 0)
            close(fds[i]);
    if (g->o->state_dir) {
        char *pid = state_path(g, "pid");
        unlink(pid);
        free(pid);
    }
    free(g->last_error);
    free(g->sigs);
    pthread_mutex_destroy(&g->status_lock);
    pthread_mutex_destroy(&g->sh.live_lock);
}

int gateway_run(const struct gateway_options *o, void *plan_bytes, size_t plan_len, char *err,
                size_t errlen)
{
    struct gateway g = { .o = o, .listen_fd = -1, .admin_fd = -1, .access_fd = -1, .sig_fd = -1 };
    pthread_mutex_init(&g.status_lock, NULL);
    pthread_mutex_init(&g.sh.live_lock, NULL);
    g.sh.listen_fd = g.sh.access_log_fd = -1;
    g.started_at = (int64_t)time(NULL);
    g.started_ms = loop_now_ms();
    struct plan *p;
    int rc = plan_load_bytes(plan_bytes, plan_len, &p, err, errlen);
    if (rc == 0) {
        g.sh.live = live_new(p, o->backend_timeout_ms);
        rc = start(&g, p, err, errlen);
    }
    if (rc != 0) {
        tell(o->ready_fd, "error", err, "");
        cleanup(&g);
        return GATEWAY_EXIT_FAILED;
    }
    log_msg(LOG_LEVEL_INFO, "gateway '%s' listening on %s (admin %s), plan %s, %u thread(s)",
            o->name, g.url, g.admin_url, p->hash, g.nworkers);
    tell(o->ready_fd, "ready", g.url, g.admin_url);
    serve(&g);
    drain(&g);
    cleanup(&g);
    log_msg(LOG_LEVEL_INFO, "gateway '%s' stopped", o->name);
    return 0;
}
