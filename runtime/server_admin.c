/* server_admin.c - the admin server: its own thread, a small connection
 * budget and short deadlines (server.h, server_int.h). */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "server_int.h"

/* ---- the admin server ---- */

/* The admin port has its own small budget, so that a flood there cannot
 * take the descriptors the gateway's clients need (gateway.c keeps 64 of
 * them out of the workers' share): few connections, short deadlines. */
#define SIMPLE_MAX_CONNECTIONS 16
#define SIMPLE_TIMEOUT_S       10  /* idle; and the longest head and body deadlines */
#define SIMPLE_TICK_MS         100 /* how soon a stop is seen */

struct server_simple {
    struct MHD_Daemon *daemon;
    server_simple_fn fn;
    void *ctx;
    struct deadline_set deadlines;
    struct reqguard_table guards; /* its requests are judged as the gateway's */
    struct log_limit refusal_log;
    int epfd;
    pthread_t thread;
    bool started;
    atomic_bool stop;
};

static void simple_phase(struct server_simple *s, struct MHD_Connection *c, enum deadline_phase p)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct server_conn *sc = ci ? ci->socket_context : NULL;
    if (sc)
        deadline_enter(&s->deadlines, &sc->d, p, loop_now_ms());
}

static enum MHD_Result simple_answer(struct server_simple *s, struct MHD_Connection *c,
                                     const char *method, const char *url)
{
    struct buf body;
    buf_init(&body, 64u << 20);
    const char *type = "text/plain; charset=utf-8";
    int status = s->fn(s->ctx, method, url, &body, &type);
    size_t len;
    char *data = buf_steal(&body, &len);
    struct MHD_Response *m = MHD_create_response_from_buffer(
        len, data ? data : (char *)"", data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (m == NULL) {
        free(data);
        return MHD_NO;
    }
    (void)MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, m);
    MHD_destroy_response(m);
    return ok;
}

static enum MHD_Result simple_access(void *cls, struct MHD_Connection *c, const char *url,
                                     const char *method, const char *version, const char *upload,
                                     size_t *upload_size, void **req_cls)
{
    (void)version;
    (void)upload;
    static int started;
    struct server_simple *s = cls;
    if (*req_cls == NULL) {
        *req_cls = &started;
        simple_phase(s, c, DEADLINE_BODY);
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* the admin endpoints take no body */
        simple_phase(s, c, DEADLINE_BODY);
        return MHD_YES;
    }
    simple_phase(s, c, DEADLINE_NONE);
    return simple_answer(s, c, method, url);
}

static void simple_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                             enum MHD_RequestTerminationCode toe)
{
    (void)req_cls;
    simple_phase(cls, c,
                 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? DEADLINE_IDLE : DEADLINE_NONE);
}

static void simple_held(void *ctx, struct reqguard *g)
{
    struct server_simple *s = ctx;
    server_guard_held(&s->deadlines, g);
}

static void simple_refused(void *ctx, struct reqguard *g, int status, const char *reason)
{
    struct server_simple *s = ctx;
    server_guard_refused(&s->refusal_log, g, status, reason);
}

static void simple_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                              enum MHD_ConnectionNotificationCode code)
{
    struct server_simple *s = cls;
    server_on_guarded_connection(&s->deadlines, &s->guards, c, socket_context, code);
}

/* The admin server's own thread: libmicrohttpd in external epoll mode, so
 * that its connections' deadlines are checked between two runs, as the
 * workers do. Its reads of client sockets are guarded (reqguard.h). */
static void *simple_main(void *arg)
{
    struct server_simple *s = arg;
    reqguard_bind(&s->guards);
    while (!atomic_load(&s->stop)) {
        MHD_UNSIGNED_LONG_LONG t;
        int64_t wait = SIMPLE_TICK_MS, next = deadline_next_ms(&s->deadlines, loop_now_ms());
        if (MHD_get_timeout(s->daemon, &t) == MHD_YES && (int64_t)t < wait)
            wait = (int64_t)t;
        if (next >= 0 && next < wait)
            wait = next;
        struct pollfd p = { s->epfd, POLLIN, 0 };
        (void)poll(&p, 1, (int)wait);
        MHD_run(s->daemon);
        server_expire(&s->deadlines, false);
    }
    reqguard_bind(NULL);
    return NULL;
}

static int simple_daemon(struct server_simple *s, int listen_fd, int64_t timeout_ms)
{
    if (timeout_ms <= 0 || timeout_ms > SIMPLE_TIMEOUT_S * 1000)
        timeout_ms = SIMPLE_TIMEOUT_S * 1000;
    struct deadline_timeouts t = { timeout_ms, timeout_ms, SIMPLE_TIMEOUT_S * 1000 };
    deadline_set_init(&s->deadlines, &t);
    reqguard_table_init(&s->guards, simple_refused, simple_held, s);
    s->daemon = MHD_start_daemon(
        MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, simple_access, s,
        MHD_OPTION_EXTERNAL_LOGGER, server_on_log, s, MHD_OPTION_LISTEN_SOCKET, listen_fd,
        MHD_OPTION_NOTIFY_CONNECTION, simple_connection, s, MHD_OPTION_NOTIFY_COMPLETED,
        simple_completed, s, MHD_OPTION_CONNECTION_LIMIT, (unsigned)SIMPLE_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SIMPLE_TIMEOUT_S, MHD_OPTION_END);
    const union MHD_DaemonInfo *di =
        s->daemon ? MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
    if (di == NULL)
        return -1;
    s->epfd = di->epoll_fd;
    s->started = pthread_create(&s->thread, NULL, simple_main, s) == 0;
    return s->started ? 0 : -1;
}

struct server_simple *server_simple_start(int listen_fd, int64_t timeout_ms, server_simple_fn fn,
                                          void *ctx, char *err, size_t errlen)
{
    struct server_simple *s = xcalloc(1, sizeof(*s));
    s->fn = fn;
    s->ctx = ctx;
    if (simple_daemon(s, listen_fd, timeout_ms) != 0) {
        snprintf(err, errlen, "cannot start the admin server (libmicrohttpd)");
        server_simple_stop(s);
        return NULL;
    }
    return s;
}

void server_simple_stop(struct server_simple *s)
{
    if (s == NULL)
        return;
    atomic_store(&s->stop, true);
    if (s->started)
        pthread_join(s->thread, NULL);
    if (s->daemon)
        MHD_stop_daemon(s->daemon); /* its connections' guards are unwatched */
    reqguard_table_release(&s->guards);
    free(s);
}
