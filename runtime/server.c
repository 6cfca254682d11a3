#include "server.h"

#include <microhttpd.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>

#include "apim_limits.h"
#include "clientwatch.h"
#include "deadline.h"
#include "fdio.h"
#include "framing.h"
#include "fwdrules.h"
#include "log.h"
#include "reqbody.h"
#include "server_int.h"

/* How long a suspended request waits before its client's socket is
 * watched for a close (clientwatch.h); a client that leaves sooner is seen
 * then. */
#define SERVER_WATCH_GRACE_MS 200

/* ---- libmicrohttpd callbacks ---- */

static void set_phase(struct server_request *r, enum deadline_phase p)
{
    if (r->sc)
        deadline_enter(&r->s->deadlines, &r->sc->d, p, loop_now_ms());
}

/* The only place that sees the target before libmicrohttpd decodes it:
 * routing needs it raw ("%2F" is not "/"). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct server_request *r = server_take_request(cls);
    r->conn = c;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    r->sc = ci ? ci->socket_context : NULL;
    if (r->sc && r->sc->d.phase == DEADLINE_IDLE) /* the next request on a kept-alive connection */
        set_phase(r, DEADLINE_HEAD);
    r->raw_uri = uri ? str_from_cstr(arena_strdup(&r->arena, uri)) : STR_LIT("/");
    return r;
}

/* The body of a streamed answer, as libmicrohttpd asks for it. With nothing
 * to send yet the connection is suspended (allowed from a content reader)
 * until server_stream_wake. */
static ssize_t stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct server_request *r = cls;
    ssize_t n = r->read(r->read_ctx, &r->x, buf, max);
    if (n > 0)
        return n;
    if (n == SERVER_STREAM_WAIT) {
        r->waiting = true;
        MHD_suspend_connection(r->conn);
        return 0;
    }
    return n == SERVER_STREAM_END ? MHD_CONTENT_READER_END_OF_STREAM
                                  : MHD_CONTENT_READER_END_WITH_ERROR;
}

/* Never called: libmicrohttpd sends no body for HEAD. */
static ssize_t no_body(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)cls;
    (void)pos;
    (void)buf;
    (void)max;
    return MHD_CONTENT_READER_END_OF_STREAM;
}

static struct MHD_Response *make_response(struct server_request *r)
{
    struct gw_response *resp = &r->x.resp;
    if (r->read)
        return MHD_create_response_from_callback(r->length < 0 ? MHD_SIZE_UNKNOWN
                                                               : (uint64_t)r->length,
                                                 64 * 1024, stream_reader, r, NULL);
    /* A HEAD answer says how long the body would be: the backend's length. */
    if (resp->head_length > 0 && resp->body.len == 0 && str_eq(r->x.req.method, STR_LIT("HEAD")))
        return MHD_create_response_from_callback((uint64_t)resp->head_length, 4096, no_body, NULL,
                                                 NULL);
    return MHD_create_response_from_buffer(
        resp->body.len, (void *)(resp->body.len ? resp->body.ptr : ""), MHD_RESPMEM_PERSISTENT);
}

static size_t header_bytes(const struct gw_headers *h)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++)
        n += h->v[i].name.len + h->v[i].value.len + 4; /* "Name: value\r\n" */
    return n;
}

/* libmicrohttpd builds the answer's header block in the connection's
 * memory, beside the request's: one that does not fit would end as a closed
 * connection (an empty reply) although the log said 200. It is API
 * Management's 500 instead (docs/gateway.md, "Forwarding"). */
static void check_header_room(struct server_request *r)
{
    const struct gw_request *req = &r->x.req;
    if (!r->x.forward)
        return; /* the gateway's own answers are small */
    size_t request = req->method.len + r->raw_uri.len + 12 + header_bytes(&req->headers);
    const struct gw_header *cookie = gw_headers_get(&req->headers, "Cookie");
    if (cookie) /* libmicrohttpd's copy of it and its cookie records */
        request += framing_cookie_cost(cookie->value.ptr, cookie->value.len);
    if (fwdrules_headers_fit(request, header_bytes(&r->x.resp.headers), APIM_CONNECTION_MEMORY))
        return;
    log_msg(LOG_LEVEL_WARN, "req=%s status=500 the backend's answer headers do not fit (%zu bytes)",
            req->id, header_bytes(&r->x.resp.headers));
    r->read = NULL; /* a streamed answer is dropped; its call ends with the request */
    pipeline_error(&r->x, 500, "BackendConnectionFailure");
}

static enum MHD_Result queue(struct server_request *r)
{
    check_header_room(r);
    struct gw_response *resp = &r->x.resp;
    struct MHD_Response *m = make_response(r);
    if (m == NULL)
        return MHD_NO;
    for (size_t i = 0; i < resp->headers.n; i++) {
        const struct gw_header *h = &resp->headers.v[i];
        /* Refused names (Content-Length, bad characters) are simply not sent:
         * the transport computes or forbids them. */
        (void)MHD_add_response_header(m, arena_strndup(&r->arena, h->name.ptr, h->name.len),
                                      arena_strndup(&r->arena, h->value.ptr, h->value.len));
    }
    if (r->s->closing)
        (void)MHD_add_response_header(m, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)resp->status, m);
    MHD_destroy_response(m);
    r->queued = ok == MHD_YES;
    return ok;
}

/* The client closed its connection while the request waited: resuming it
 * without an answer makes on_access close the connection, and on_completed
 * then reports SERVER_UNANSWERED (the owner stops the backend call). */
static void on_client_gone(void *ctx)
{
    struct server_request *r = ctx;
    r->watch = NULL;
    r->gone = true;
    r->rb.failed = true;
    if (r->x.error_reason == NULL)
        r->x.error_reason = "ClientConnectionFailure";
    if (r->suspended) {
        r->suspended = false;
        MHD_resume_connection(r->conn);
        MHD_run(r->s->daemon);
    }
}

/* Not when the guard shut the socket's read side (a refused request waits
 * behind this one): the close it shows is the gateway's own, and a client
 * that leaves then is seen when its answer is written. */
static void watch_client(struct server_request *r)
{
    if (r->sc && reqguard_shut_read(&r->sc->guard))
        return;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (ci && r->watch == NULL)
        r->watch = clientwatch_start(r->s->cw, ci->connect_fd, on_client_gone, r);
}

/* A request is watched only once it has waited SERVER_WATCH_GRACE_MS:
 * most answers come sooner, and a watch costs two epoll_ctl calls. A
 * suspended request waits in a FIFO (one grace for all: oldest first). */
static void due_remove(struct server_request *r)
{
    struct server *s = r->s;
    if (!r->watch_due)
        return;
    if (r->due_prev)
        r->due_prev->due_next = r->due_next;
    else
        s->due_head = r->due_next;
    if (r->due_next)
        r->due_next->due_prev = r->due_prev;
    else
        s->due_tail = r->due_prev;
    r->due_prev = r->due_next = NULL;
    r->watch_due = false;
}

static void watch_later(struct server_request *r)
{
    struct server *s = r->s;
    if (r->watch_due || r->watch)
        return;
    r->watch_due = true;
    r->suspended_ms = loop_now_ms();
    r->due_prev = s->due_tail;
    r->due_next = NULL;
    if (s->due_tail)
        s->due_tail->due_next = r;
    else
        s->due_head = r;
    s->due_tail = r;
}

/* Starts the watches whose grace is over; the milliseconds until the next
 * one, or -1. */
static int64_t watch_due(struct server *s, int64_t now)
{
    while (s->due_head && now - s->due_head->suspended_ms >= SERVER_WATCH_GRACE_MS) {
        struct server_request *r = s->due_head;
        due_remove(r);
        watch_client(r);
    }
    return s->due_head ? s->due_head->suspended_ms + SERVER_WATCH_GRACE_MS - now : -1;
}

static void unwatch_client(struct server_request *r)
{
    due_remove(r);
    clientwatch_stop(r->s->cw, r->watch);
    r->watch = NULL;
}

/* The request reaches its owner: in flight until on_completed (a stop's
 * drain waits for it, and counts it on /status). */
static void hand(struct server_request *r)
{
    r->handed = true;
    r->s->in_flight++;
}

/* ---- request bodies: held whole, or streamed (reqbody.h) ---- */

/* Answered from the headers, before the body is read; libmicrohttpd then
 * closes the connection. busy: the worker's memory for whole bodies is
 * full, which passes (RFC 9110 15.5.14: Retry-After). */
static enum MHD_Result refuse(struct server_request *r, bool busy)
{
    pipeline_error(&r->x, 413, "RequestEntityTooLarge");
    if (busy)
        gw_headers_add(r->x.req.arena, &r->x.resp.headers, STR_LIT("Retry-After"), STR_LIT("1"));
    r->answered = true;
    hand(r);
    return queue(r);
}

static void suspend(struct server_request *r)
{
    MHD_suspend_connection(r->conn);
    r->suspended = true;
    watch_later(r);
}

static void resume(struct server_request *r)
{
    unwatch_client(r);
    r->suspended = false;
    MHD_resume_connection(r->conn);
    r->s->run_due = true;
}

/* The backend call reads the streamed body (gw_body_stream); a connection
 * suspended on a full window goes on once half of it is taken. */
static ssize_t stream_read(void *ctx, char *buf, size_t max)
{
    struct server_request *r = ctx;
    ssize_t n = reqbody_get(&r->rb, buf, max);
    if (n > 0 && r->window_full && reqbody_has_room(&r->rb)) {
        r->window_full = false;
        resume(r);
        set_phase(r, DEADLINE_BODY); /* the client's pauses count again */
    }
    return n;
}

static void tell_reader(struct server_request *r)
{
    if (r->rb.waiting) {
        r->rb.waiting = false;
        r->s->hooks.body_more(r->s->hooks.ctx, &r->x);
    }
}

/* The request goes to its owner now, from its headers; the body follows
 * through x.req.stream. One refused from its headers is answered unread. */
static enum MHD_Result start_stream(struct server_request *r, int64_t length)
{
    r->streamed = true;
    reqbody_init(&r->rb, &r->body);
    r->stream = (struct gw_body_stream){ stream_read, r, length, 0 };
    r->x.req.stream = &r->stream;
    r->x.req.body = STR_LIT("");
    hand(r);
    r->s->hooks.on_request(r->s->hooks.ctx, r, &r->x);
    return r->answered ? queue(r) : MHD_YES;
}

/* A piece of a streamed body: into the window, or, when it is full, left
 * with libmicrohttpd, whose connection waits until the backend call took
 * some. Once answered (the backend answered early, or failed) the rest is
 * read and dropped: libmicrohttpd sends the answer after the body. */
static enum MHD_Result stream_piece(struct server_request *r, const char *data, size_t *len)
{
    if (r->answered) {
        *len = 0;
        return MHD_YES;
    }
    size_t took = reqbody_put(&r->rb, data, *len);
    *len -= took;
    r->put += took;
    if (took)
        tell_reader(r);
    if (*len) {
        r->window_full = true;
        suspend(r);
        set_phase(r, DEADLINE_NONE); /* paused by the gateway, not by the client */
    }
    return MHD_YES;
}

/* libmicrohttpd has the whole body (a declared length is checked: a call
 * without data before it is not the end); the answer follows when it comes. */
static enum MHD_Result stream_end(struct server_request *r)
{
    if (r->stream.length >= 0 && r->put < (size_t)r->stream.length && !r->answered)
        return MHD_YES;
    r->rb.done = true;
    set_phase(r, DEADLINE_NONE); /* the whole request is in */
    tell_reader(r);
    if (r->answered)
        return r->queued ? MHD_YES : queue(r);
    suspend(r);
    return MHD_YES;
}

/* Headers are in (their framing passed, reqguard.h): a request with a body
 * either streams it (no policy of its operation needs it whole) or holds
 * it whole, within the limits. */
static enum MHD_Result first_call(struct server_request *r, const char *method)
{
    r->started = true;
    if (r->sc)
        r->sc->current = r; /* on_completed follows, whatever happens */
    const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Transfer-Encoding");
    unsigned long long len = cl ? strtoull(cl, NULL, 10) : 0;
    if (len == 0 && te == NULL)
        return MHD_YES;
    server_fill_request(r, method);
    if (!r->s->hooks.body_whole(r->s->hooks.ctx, &r->x)) {
        if (len > APIM_MAX_STREAMED_BODY)
            return refuse(r, false);
        return start_stream(r, cl ? (int64_t)len : -1);
    }
    if (len > APIM_MAX_REQUEST_BODY || len > r->s->body_memory)
        return refuse(r, false); /* never fits */
    if (len > r->s->body_memory - r->s->body_held)
        return refuse(r, true); /* fits once other bodies are done */
    return MHD_YES;
}

/* A body held whole counts against the worker's memory for them. */
static void take_body(struct server_request *r, const char *data, size_t len)
{
    struct server *s = r->s;
    if (r->too_large || r->over_budget)
        return; /* read and dropped; answered 413 at the end */
    if (len > s->body_memory - s->body_held) {
        r->over_budget = true; /* what it held is let go at once */
        s->body_held -= r->held;
        r->held = 0;
        buf_reset(&r->body);
        return;
    }
    if (buf_append(&r->body, data, len) != 0) {
        r->too_large = true;
        return;
    }
    r->held += len;
    s->body_held += len;
}

static enum MHD_Result complete(struct server_request *r, const char *method)
{
    struct server *s = r->s;
    server_fill_request(r, method);
    r->x.req.body = (struct str){ r->body.data ? r->body.data : "", r->body.len };
    hand(r);
    set_phase(r, DEADLINE_NONE); /* in flight: the backend's timeout applies */
    if (r->too_large || r->over_budget) {
        pipeline_error(&r->x, 413, "RequestEntityTooLarge");
        if (r->over_budget)
            gw_headers_add(&r->arena, &r->x.resp.headers, STR_LIT("Retry-After"), STR_LIT("1"));
        r->answered = true;
    } else if (r->x.req.raw_path.ptr[0] != '/') {
        pipeline_error(&r->x, 404, "OperationNotFound"); /* "*", or not a path at all */
        r->answered = true;
    } else {
        s->hooks.on_request(s->hooks.ctx, r, &r->x);
    }
    if (r->answered)
        return queue(r);
    suspend(r);
    return MHD_YES;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version, const char *upload,
                                 size_t *upload_size, void **req_cls)
{
    (void)cls;
    (void)c;
    (void)url;
    (void)version;
    struct server_request *r = *req_cls;
    if (r == NULL || r->gone)
        return MHD_NO; /* gone: close the connection without an answer */
    if (!r->started) {
        enum MHD_Result ok = first_call(r, method);
        set_phase(r, r->answered ? DEADLINE_NONE : DEADLINE_BODY);
        return ok;
    }
    if (r->streamed) {
        if (*upload_size == 0)
            return stream_end(r);
        set_phase(r, DEADLINE_BODY); /* a read: the body's clock starts again */
        return stream_piece(r, upload, upload_size);
    }
    if (*upload_size) {
        set_phase(r, DEADLINE_BODY); /* a read: the body's clock starts again */
        take_body(r, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->answered)
        return r->queued ? MHD_YES : queue(r);
    if (r->handed)
        return MHD_YES; /* resumed without an answer: cannot happen */
    return complete(r, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    struct server *s = cls;
    struct server_request *r = *req_cls;
    if (r == NULL)
        return;
    *req_cls = NULL;
    /* After a whole answer the connection may wait for its next request;
     * any other end closes it. A next head that began meanwhile (held by
     * the guard, so on_held found the connection busy) has its deadline
     * from now. */
    enum deadline_phase next =
        toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? DEADLINE_IDLE : DEADLINE_NONE;
    if (next == DEADLINE_IDLE && r->sc && reqguard_holding(&r->sc->guard))
        next = DEADLINE_HEAD;
    set_phase(r, next);
    unwatch_client(r);
    if (r->sc && r->sc->current == r)
        r->sc->current = NULL;
    if (r->handed) {
        s->in_flight--;
        enum server_outcome o = r->refused                                   ? SERVER_SENT
                                : !r->queued                                 ? SERVER_UNANSWERED
                                : toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? SERVER_SENT
                                                                             : SERVER_CUT;
        s->hooks.on_complete(s->hooks.ctx, r, &r->x, o);
    }
    server_give_request(s, r);
}

/* ---- the server ---- */

/* A head begun on an idle connection: its deadline starts. */
static void on_held(void *ctx, struct reqguard *g)
{
    struct server *s = ctx;
    server_guard_held(&s->deadlines, g);
}

/* A request refused on its raw bytes. */
static void on_refused(void *ctx, struct reqguard *g, int status, const char *reason)
{
    struct server *s = ctx;
    struct server_request *r = server_conn_of(g)->current;
    if (r && !r->queued) { /* refused while its chunked body came: that is its answer */
        pipeline_error(&r->x, status, reason);
        r->refused = true;
    }
    server_guard_refused(&s->refusal_log, g, status, reason);
}

/* A gateway connection's bytes are guarded (reqguard.h) from its start to
 * its close, which libmicrohttpd reports before it closes the socket. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct server *s = cls;
    server_on_guarded_connection(&s->deadlines, &s->guards, c, socket_context, code);
}

static void on_epoll(void *ctx, uint32_t events)
{
    (void)events;
    server_run(ctx);
}

static void seed(uint64_t rng[2])
{
    if (getrandom(rng, 2 * sizeof(uint64_t), 0) != (ssize_t)(2 * sizeof(uint64_t))) {
        rng[0] = (uint64_t)loop_now_ms() * 0x9e3779b97f4a7c15ull;
        rng[1] = (uint64_t)(uintptr_t)rng ^ 0xbf58476d1ce4e5b9ull;
    }
    if ((rng[0] | rng[1]) == 0)
        rng[1] = 1;
}

struct server *server_new(struct loop *l, const struct server_options *o,
                          const struct server_hooks *h, char *err, size_t errlen)
{
    struct server *s = xcalloc(1, sizeof(*s));
    s->loop = l;
    s->hooks = *h;
    s->cw = clientwatch_new(l);
    s->body_memory = o->body_memory ? o->body_memory : SERVER_BODY_MEMORY;
    seed(s->rng);
    reqguard_table_init(&s->guards, on_refused, on_held, s);
    if (!reqguard_interposed()) {
        /* A static or otherwise linked build: later requests on a
         * connection would reach libmicrohttpd's parser unjudged. */
        snprintf(err, errlen,
                 "cannot guard client connections: this build's recv() does not "
                 "replace the C library's (link the gateway dynamically)");
        server_free(s);
        return NULL;
    }
    struct deadline_timeouts t = { o->head_timeout_ms, o->body_timeout_ms,
                                   (int64_t)o->idle_timeout_s * 1000 };
    deadline_set_init(&s->deadlines, &t);
    unsigned flags = MHD_USE_NO_LISTEN_SOCKET | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_TURBO | MHD_USE_ERROR_LOG;
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_access, s, MHD_OPTION_EXTERNAL_LOGGER, server_on_log, s,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_CONNECTION_LIMIT,
        o->connection_limit, MHD_OPTION_CONNECTION_TIMEOUT, o->idle_timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, o->connection_memory, MHD_OPTION_END);
    const union MHD_DaemonInfo *di =
        s->daemon ? MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
    if (di == NULL) {
        snprintf(err, errlen, "cannot start the HTTP server (libmicrohttpd)");
        server_free(s);
        return NULL;
    }
    s->epfd = di->epoll_fd;
    s->watch = (struct loop_watch){ on_epoll, s };
    if (loop_add(l, s->epfd, EPOLLIN, &s->watch) != 0) {
        snprintf(err, errlen, "cannot watch the HTTP server's events");
        server_free(s);
        return NULL;
    }
    return s;
}

void server_free(struct server *s)
{
    if (s == NULL)
        return;
    if (s->daemon) {
        loop_del(s->loop, s->epfd);
        MHD_stop_daemon(s->daemon);
    }
    while (s->free_requests) {
        struct server_request *r = s->free_requests;
        s->free_requests = r->next_free;
        server_free_request(r);
    }
    clientwatch_free(s->cw);
    reqguard_table_release(&s->guards);
    free(s);
}

void server_add_connection(struct server *s, int fd, const void *addr, unsigned addrlen)
{
    if (MHD_add_connection(s->daemon, fd, addr, (socklen_t)addrlen) != MHD_YES)
        log_msg(LOG_LEVEL_WARN, "connection refused: too many connections");
}

void server_respond(struct server_request *r)
{
    r->answered = true;
    r->window_full = false;
    unwatch_client(r);
    if (r->suspended) {
        r->suspended = false;
        MHD_resume_connection(r->conn);
    }
}

void server_respond_stream(struct server_request *r, int64_t length, server_read_fn read, void *ctx)
{
    r->read = read;
    r->read_ctx = ctx;
    r->length = length;
    server_respond(r);
}

void server_stream_wake(struct server_request *r)
{
    if (r->waiting) {
        r->waiting = false;
        MHD_resume_connection(r->conn);
    }
}

size_t server_connections(struct server *s)
{
    const union MHD_DaemonInfo *di =
        MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return di ? di->num_connections : 0;
}

void server_bind_thread(struct server *s)
{
    reqguard_bind(s ? &s->guards : NULL);
}

void server_run(struct server *s)
{
    s->run_due = false;
    MHD_run(s->daemon);
    server_expire(&s->deadlines, s->closing);
    (void)watch_due(s, loop_now_ms());
}

int server_timeout_ms(struct server *s)
{
    if (s->run_due)
        return 0;
    MHD_UNSIGNED_LONG_LONG t;
    int64_t ms = -1;
    if (MHD_get_timeout(s->daemon, &t) == MHD_YES)
        ms = t > 3600000 ? 3600000 : (int64_t)t;
    int64_t now = loop_now_ms(), next = deadline_next_ms(&s->deadlines, now);
    if (next >= 0 && (ms < 0 || next < ms))
        ms = next;
    next = watch_due(s, now);
    if (next >= 0 && (ms < 0 || next < ms))
        ms = next;
    return (int)ms;
}

void server_connection_stats(const struct server *s, struct server_conn_stats *st)
{
    const struct deadline_set *d = &s->deadlines;
    *st = (struct server_conn_stats){
        .reading_head = d->count[DEADLINE_HEAD],
        .reading_body = d->count[DEADLINE_BODY],
        .idle = d->count[DEADLINE_IDLE],
        .timed_out_head = d->expired[DEADLINE_HEAD],
        .timed_out_body = d->expired[DEADLINE_BODY],
        .refused = s->guards.refused,
    };
}

size_t server_in_flight(const struct server *s)
{
    return s->in_flight;
}

void server_set_closing(struct server *s)
{
    if (s->closing)
        return;
    s->closing = true;
    server_expire(&s->deadlines, true); /* the connections not in flight close now */
}
