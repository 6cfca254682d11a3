#include "worker.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "accesslog.h"
#include "apim_limits.h"
#include "fdio.h"
#include "intake.h"
#include "log.h"
#include "proxy.h"
#include "server.h"

/* A plan this worker serves with, and how many of its requests still use
 * it: after a reload the old plan stays until they are done. */
struct pinned {
    struct live *live;
    size_t requests;
    struct pinned *next;
};

/* What the worker keeps per request (in the request arena). */
struct wreq {
    struct server_request *r;
    struct pinned *pin;
};

struct worker {
    struct worker_shared *sh;
    unsigned index;
    pthread_t thread;
    bool started;
    struct loop loop;
    struct server *server;
    struct intake *intake; /* new connections until their first head is in */
    struct proxy *proxy;
    struct metrics *metrics;
    int wake_fd;
    struct loop_watch wake_watch, listen_watch;
    bool accepting;             /* the listening socket is in the loop */
    atomic_bool accepting_pub;  /* the same, for the gateway's drain */
    int64_t accept_pause_until; /* out of descriptors: try again then (monotonic ms) */
    int64_t last_accept_warning;
    unsigned generation;
    struct pinned *pins; /* the first is the current plan */
    atomic_size_t in_flight;
    struct buf log;
    struct buf log_line; /* where accesslog_append builds a line */
    int64_t log_due_ms;  /* when the buffered lines must be written; 0: none buffered */
    bool run_server;     /* a connection was added or resumed */
    bool log_failed;
    struct metrics_conns conns; /* last published to metrics */
};

/* Access-log lines are written when this much is buffered, or this long
 * after the first unwritten line, whichever comes first. */
#define WORKER_LOG_FLUSH_BYTES (64u * 1024u)
#define WORKER_LOG_FLUSH_MS    200
/* Connections taken per wake-up: small, so that the workers share a burst. */
#define WORKER_ACCEPT_BATCH 4
/* A refused client's answer is followed by this long of reading what it
 * still sends, so that the close is not a reset that loses the answer. */
#define WORKER_LINGER_MS 1000

struct live *worker_shared_live(struct worker_shared *sh)
{
    pthread_mutex_lock(&sh->live_lock);
    struct live *l = sh->live;
    live_ref(l);
    pthread_mutex_unlock(&sh->live_lock);
    return l;
}

/* ---- plans ---- */

static void adopt(struct worker *w)
{
    unsigned gen = atomic_load_explicit(&w->sh->generation, memory_order_acquire);
    if (w->pins && gen == w->generation)
        return;
    struct pinned *pin = xcalloc(1, sizeof(*pin));
    pin->live = worker_shared_live(w->sh);
    pin->next = w->pins;
    w->pins = pin;
    w->generation = gen;
}

/* Lets go of old plans no request uses any more (all of them if all). */
static void prune(struct worker *w, bool all)
{
    struct pinned **pp = all ? &w->pins : (w->pins ? &w->pins->next : &w->pins);
    while (*pp) {
        struct pinned *p = *pp;
        if (p->requests == 0 || all) {
            *pp = p->next;
            live_unref(p->live);
            free(p);
        } else {
            pp = &p->next;
        }
    }
}

/* ---- the access log ---- */

static void flush_log(struct worker *w)
{
    w->log_due_ms = 0;
    if (fd_write_all(w->sh->access_log_fd, w->log.data, w->log.len) != 0) {
        if (!w->log_failed)
            log_msg(LOG_LEVEL_ERROR, "access log: cannot write: %s", strerror(errno));
        w->log_failed = true;
    }
    buf_reset(&w->log);
}

static void log_request(struct worker *w, const struct gw_exchange *x, const struct plan *p,
                        bool answered, int64_t done_us)
{
    if (w->sh->access_log_fd < 0)
        return;
    if (accesslog_append(&w->log, &w->log_line, x, p, answered, done_us) != 0) {
        flush_log(w); /* no room for the line: write what is buffered, then retry */
        if (accesslog_append(&w->log, &w->log_line, x, p, answered, done_us) != 0)
            log_msg(LOG_LEVEL_WARN, "access log: line for request %s too long, dropped", x->req.id);
    }
    if (w->log.len >= WORKER_LOG_FLUSH_BYTES)
        flush_log(w);
    else if (w->log_due_ms == 0)
        w->log_due_ms = loop_now_ms() + WORKER_LOG_FLUSH_MS;
}

/* ---- one request ---- */

static void on_request(void *ctx, struct server_request *r, struct gw_exchange *x)
{
    struct worker *w = ctx;
    adopt(w);
    struct wreq *q = ARENA_NEW(x->req.arena, struct wreq);
    q->r = r;
    q->pin = w->pins;
    q->pin->requests++;
    x->owner = q;
    const struct pipeline *pl = q->pin->live->pipeline;
    pipeline_begin(pl, x);
    if (!x->forward) {
        server_respond(r);
        return;
    }
    x->backend_start_us = loop_now_us();
    if (proxy_start(w->proxy, x) != 0) {
        x->backend_end_us = loop_now_us();
        pipeline_finish(pl, x);
        server_respond(r);
    }
}

/* From a request's headers: hold its body whole only if a policy of its
 * operation may read it (bodyplan.h). */
static bool body_whole(void *ctx, struct gw_exchange *x)
{
    struct worker *w = ctx;
    adopt(w);
    return pipeline_body_whole(w->pins->live->pipeline, x);
}

static void body_more(void *ctx, struct gw_exchange *x)
{
    struct worker *w = ctx;
    proxy_body_more(w->proxy, x);
}

static void on_backend_done(void *ctx, struct gw_exchange *x)
{
    struct worker *w = ctx;
    struct wreq *q = x->owner;
    pipeline_finish(q->pin->live->pipeline, x);
    server_respond(q->r);
    w->run_server = true;
}

/* A streamed body for the server, from the proxy. */
static ssize_t read_body(void *ctx, struct gw_exchange *x, char *buf, size_t max)
{
    struct worker *w = ctx;
    ssize_t n = proxy_read(w->proxy, x, buf, max);
    if (n == PROXY_READ_END)
        return SERVER_STREAM_END;
    if (n == PROXY_READ_FAILED) {
        x->error_reason = "BackendConnectionFailure"; /* after the status line: a cut body */
        return SERVER_STREAM_FAILED;
    }
    return n;
}

static void on_backend_streaming(void *ctx, struct gw_exchange *x)
{
    struct worker *w = ctx;
    struct wreq *q = x->owner;
    pipeline_finish(q->pin->live->pipeline, x);
    if (x->backend.error != GW_BACKEND_OK)
        server_respond(q->r); /* it failed before a byte went out: the 500 */
    else
        server_respond_stream(q->r, x->backend.content_length, read_body, w);
    w->run_server = true;
}

static void on_backend_more(void *ctx, struct gw_exchange *x)
{
    struct worker *w = ctx;
    struct wreq *q = x->owner;
    server_stream_wake(q->r);
    w->run_server = true;
}

static void on_complete(void *ctx, struct server_request *r, struct gw_exchange *x,
                        enum server_outcome outcome)
{
    (void)r;
    struct worker *w = ctx;
    struct wreq *q = x->owner;
    const struct plan *p = q ? q->pin->live->plan : NULL;
    int64_t now = loop_now_us();
    bool called = x->backend_start_us != 0;
    if (called && x->backend_end_us == 0)
        x->backend_end_us = now; /* the client left while the backend still answered */
    if (outcome == SERVER_CUT && x->error_reason == NULL)
        x->error_reason = "ClientConnectionFailure";
    bool answered = outcome != SERVER_UNANSWERED;
    log_request(w, x, p, answered, now);
    bool routed = p && x->routed == ROUTER_MATCH;
    struct metrics_record m = {
        .api = routed ? p->apis[x->route.api].id : STR_LIT(""),
        .operation = routed ? p->ops[x->route.op].id : STR_LIT(""),
        .status = answered ? x->resp.status : 0,
        .seconds = (double)(now - x->req.start_us) / 1e6,
        .backend_called = called,
        .backend_seconds = called ? (double)(x->backend_end_us - x->backend_start_us) / 1e6 : 0,
        .backend_error = called ? x->backend.error : GW_BACKEND_OK,
    };
    metrics_add(w->metrics, &m);
    proxy_release(w->proxy, x);
    if (q)
        q->pin->requests--;
}

/* ---- connections and wake-ups ---- */

/* Out of file descriptors: stop accepting for a moment instead of waking
 * up again at once for the same pending connection (and say so once a
 * second at most). */
static void accept_failed(struct worker *w, int err)
{
    int64_t now = loop_now_ms();
    w->accept_pause_until = now + 100;
    if (now - w->last_accept_warning >= 1000) {
        w->last_accept_warning = now;
        log_msg(LOG_LEVEL_WARN, "cannot accept connections: %s; pausing", strerror(err));
    }
}

static void on_listen(void *ctx, uint32_t events)
{
    (void)events;
    struct worker *w = ctx;
    for (int i = 0; i < WORKER_ACCEPT_BATCH; i++) {
        /* At the limit, a connection taken now would be dropped: leave it
         * to another worker (manage_accept stops watching the socket). */
        if (server_connections(w->server) >= w->sh->connection_limit)
            return;
        struct sockaddr_storage addr;
        socklen_t len = sizeof(addr);
        int fd =
            accept4(w->sh->listen_fd, (struct sockaddr *)&addr, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                accept_failed(w, errno);
            return;
        }
        intake_add(w->intake, fd, &addr, len);
    }
}

/* A connection whose first head passed the intake's checks. */
static void pass_connection(void *ctx, int fd, const void *addr, unsigned addrlen)
{
    struct worker *w = ctx;
    server_add_connection(w->server, fd, addr, addrlen);
    w->run_server = true;
}

/* Takes new connections only while running, not paused, and below this
 * worker's limit (resuming at 90 % of it): a full worker leaves them to
 * the others instead of accepting and dropping them. */
static void manage_accept(struct worker *w, int state)
{
    size_t conns = server_connections(w->server) + intake_connections(w->intake);
    size_t limit = w->sh->connection_limit;
    bool want = state == WORKER_RUN && loop_now_ms() >= w->accept_pause_until &&
                conns < (w->accepting ? limit : limit - limit / 10);
    if (want && !w->accepting)
        w->accepting =
            loop_add(&w->loop, w->sh->listen_fd, EPOLLIN | EPOLLEXCLUSIVE, &w->listen_watch) == 0;
    else if (!want && w->accepting)
        w->accepting = loop_del(&w->loop, w->sh->listen_fd) != 0;
    atomic_store(&w->accepting_pub, w->accepting);
}

static void on_wake(void *ctx, uint32_t events)
{
    (void)events;
    struct worker *w = ctx;
    uint64_t v;
    ssize_t n = read(w->wake_fd, &v, sizeof(v));
    (void)n;
}

void worker_wake(struct worker *w)
{
    uint64_t one = 1;
    ssize_t n = write(w->wake_fd, &one, sizeof(one));
    (void)n;
}

/* ---- the loop ---- */

/* The connections' states for /metrics, when they changed. */
static void publish_conns(struct worker *w)
{
    struct server_conn_stats st;
    server_connection_stats(w->server, &st);
    size_t heads;
    uint64_t timed_out, refused;
    intake_stats(w->intake, &heads, &timed_out, &refused); /* first heads wait there */
    struct metrics_conns c = {
        st.reading_head + heads,       st.reading_body,   st.idle,
        st.timed_out_head + timed_out, st.timed_out_body, st.refused + refused
    };
    if (memcmp(&c, &w->conns, sizeof(c)) != 0) {
        w->conns = c;
        metrics_set_conns(w->metrics, &c);
    }
}

static int min_timeout(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

/* One turn of the loop: wait for the next event or timer (the shortest of
 * libmicrohttpd's, curl's and the access log's), then let each do its work.
 * Timeouts are computed right before waiting: starting a backend call sets
 * curl's timer, and a stale value would leave the call waiting. */
static void iterate(struct worker *w)
{
    int64_t before = loop_now_ms();
    int server_wait = server_timeout_ms(w->server);
    int timeout = min_timeout(server_wait, proxy_timeout_ms(w->proxy, before));
    timeout = min_timeout(timeout, 1000);
    if (w->log_due_ms)
        timeout = min_timeout(timeout, (int)(w->log_due_ms > before ? w->log_due_ms - before : 0));
    if (w->run_server)
        timeout = 0;
    loop_run_once(&w->loop, timeout);
    int64_t now = loop_now_ms();
    if (w->run_server || (server_wait >= 0 && now - before >= server_wait)) {
        w->run_server = false;
        server_run(w->server);
    }
    proxy_service(w->proxy, now);
    if (w->run_server) { /* answers came back: send them now */
        w->run_server = false;
        server_run(w->server);
    }
    if (w->log_due_ms && now >= w->log_due_ms)
        flush_log(w);
    prune(w, false);
    atomic_store(&w->in_flight, server_in_flight(w->server));
    publish_conns(w);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    server_bind_thread(w->server); /* this thread reads its client sockets */
    while (true) {
        int state = atomic_load(&w->sh->state);
        if (state != WORKER_RUN) {
            server_set_closing(w->server); /* draining: answers ask clients to close */
            intake_close_all(w->intake);   /* first heads still coming: not in flight */
        }
        manage_accept(w, state);
        if (state == WORKER_STOP)
            break;
        iterate(w);
    }
    /* The drain is over: calls still running end as failures (and are
     * answered if the connection can take it), then every connection closes. */
    proxy_abort_all(w->proxy);
    server_run(w->server);
    server_free(w->server);
    server_bind_thread(NULL);
    w->server = NULL;
    intake_free(w->intake);
    w->intake = NULL;
    if (w->log.len)
        flush_log(w);
    atomic_store(&w->in_flight, 0);
    return NULL;
}

/* ---- life cycle ---- */

struct worker *worker_new(struct worker_shared *sh, unsigned index, char *err, size_t errlen)
{
    struct worker *w = xcalloc(1, sizeof(*w));
    w->sh = sh;
    w->index = index;
    w->wake_fd = -1;
    buf_init(&w->log, 4 * WORKER_LOG_FLUSH_BYTES);
    buf_init(&w->log_line, 4 * WORKER_LOG_FLUSH_BYTES);
    w->metrics = metrics_new();
    if (loop_init(&w->loop) != 0 || (w->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
        snprintf(err, errlen, "cannot create an event loop: %s", strerror(errno));
        worker_free(w);
        return NULL;
    }
    struct server_hooks hooks = { .on_request = on_request,
                                  .body_whole = body_whole,
                                  .body_more = body_more,
                                  .on_complete = on_complete,
                                  .ctx = w };
    struct server_options so = { .connection_limit = sh->connection_limit,
                                 .idle_timeout_s = 120,
                                 .connection_memory = APIM_CONNECTION_MEMORY,
                                 .head_timeout_ms = sh->head_timeout_ms,
                                 .body_timeout_ms = sh->body_timeout_ms,
                                 .body_memory = sh->body_memory };
    w->server = server_new(&w->loop, &so, &hooks, err, errlen);
    struct proxy_hooks ph = { on_backend_done, on_backend_streaming, on_backend_more, w };
    w->proxy = w->server ? proxy_new(&w->loop, &ph, sh->backend_idle_s) : NULL;
    struct intake_options io = { (unsigned)sh->head_timeout_ms, WORKER_LINGER_MS };
    w->intake = w->server ? intake_new(&w->loop, &io, pass_connection, w) : NULL;
    w->wake_watch = (struct loop_watch){ on_wake, w };
    w->listen_watch = (struct loop_watch){ on_listen, w };
    if (w->intake == NULL || loop_add(&w->loop, w->wake_fd, EPOLLIN, &w->wake_watch) != 0) {
        if (w->server)
            snprintf(err, errlen, "cannot watch the worker's %s: %s",
                     w->intake ? "wake-ups" : "new connections", strerror(errno));
        worker_free(w);
        return NULL;
    }
    manage_accept(w, WORKER_RUN);
    if (!w->accepting) {
        snprintf(err, errlen, "cannot watch the listening socket: %s", strerror(errno));
        worker_free(w);
        return NULL;
    }
    adopt(w);
    return w;
}

int worker_start(struct worker *w)
{
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
        return -1;
    w->started = true;
    return 0;
}

bool worker_accepting(const struct worker *w)
{
    return atomic_load(&w->accepting_pub);
}

size_t worker_in_flight(const struct worker *w)
{
    return atomic_load(&w->in_flight);
}

struct metrics *worker_metrics(struct worker *w)
{
    return w->metrics;
}

void worker_free(struct worker *w)
{
    if (w == NULL)
        return;
    if (w->started)
        pthread_join(w->thread, NULL);
    if (w->server) {
        proxy_abort_all(w->proxy);
        server_free(w->server);
    }
    intake_free(w->intake);
    proxy_free(w->proxy);
    prune(w, true);
    metrics_free(w->metrics);
    buf_release(&w->log);
    buf_release(&w->log_line);
    if (w->wake_fd >= 0)
        close(w->wake_fd);
    loop_release(&w->loop);
    free(w);
}
