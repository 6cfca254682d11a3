#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>

#include "apim_limits.h"
#include "framing.h"
#include "log.h"

struct server_request {
    struct server *s;
    struct MHD_Connection *conn;
    struct gw_exchange x;
    struct arena arena;
    struct buf body;
    struct str raw_uri;
    bool started;  /* the first handler call (headers) happened */
    bool handed;   /* on_request ran */
    bool answered; /* x.resp is final */
    bool queued;   /* libmicrohttpd has the response */
    bool suspended;
    bool too_large;
    bool must_close;     /* refused for its framing: the connection cannot be trusted */
    bool waiting;        /* a streamed body has nothing to send yet: suspended */
    server_read_fn read; /* set: the body is streamed */
    void *read_ctx;
    int64_t length;
    struct server_request *next_free;
};

struct server {
    struct MHD_Daemon *daemon;
    struct loop *loop;
    struct loop_watch watch;
    int epfd;
    struct server_hooks hooks;
    struct server_request *free_requests;
    size_t nfree, in_flight;
    uint64_t rng[2];
    bool closing;
};

/* A steady load reuses requests; a burst's extra ones are freed. */
#define SERVER_POOL_MAX 1024
/* Keep a request's body buffer between requests up to this size. */
#define SERVER_BODY_KEEP (1u << 20)

/* ---- the request pool ---- */

static struct server_request *take_request(struct server *s)
{
    struct server_request *r = s->free_requests;
    if (r) {
        s->free_requests = r->next_free;
        s->nfree--;
    } else {
        r = xcalloc(1, sizeof(*r));
        arena_init(&r->arena, 16384);
        buf_init(&r->body, APIM_MAX_REQUEST_BODY);
    }
    r->s = s;
    memset(&r->x, 0, sizeof(r->x));
    r->x.req.arena = &r->arena;
    r->raw_uri = STR_NULL;
    r->started = r->handed = r->answered = r->queued = r->suspended = r->too_large = false;
    r->must_close = false;
    r->waiting = false;
    r->read = NULL;
    s->in_flight++;
    return r;
}

static void free_request(struct server_request *r)
{
    arena_release(&r->arena);
    buf_release(&r->body);
    free(r);
}

static void give_request(struct server *s, struct server_request *r)
{
    s->in_flight--;
    if (s->nfree >= SERVER_POOL_MAX) {
        free_request(r);
        return;
    }
    arena_reset(&r->arena);
    if (r->body.cap > SERVER_BODY_KEEP)
        buf_release(&r->body);
    else
        buf_reset(&r->body);
    r->next_free = s->free_requests;
    s->free_requests = r;
    s->nfree++;
}

/* ---- building the gw_request ---- */

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct server_request *r = cls;
    /* libmicrohttpd keeps these strings until the request completes. */
    gw_headers_add(&r->arena, &r->x.req.headers, (struct str){ key, key_size },
                   (struct str){ value ? value : "", value ? value_size : 0 });
    return MHD_YES;
}

static struct str client_ip(struct server_request *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci == NULL || ci->client_addr == NULL)
        return STR_NULL;
    char text[INET6_ADDRSTRLEN];
    const struct sockaddr *sa = ci->client_addr;
    const void *addr = sa->sa_family == AF_INET6
                           ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
                           : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
    if (inet_ntop(sa->sa_family, addr, text, sizeof(text)) == NULL)
        return STR_NULL;
    return str_from_cstr(arena_strdup(&r->arena, text));
}

/* The request target as sent: "/path?query", or an absolute URI whose
 * scheme and authority are dropped (RFC 9112 3.2.2). */
static void split_target(struct gw_request *req, struct str uri)
{
    const char *p = uri.ptr, *end = uri.ptr + uri.len;
    if (str_istarts_with(uri, "http://") || str_istarts_with(uri, "https://")) {
        p = (const char *)memchr(p, ':', uri.len) + 3;
        while (p < end && *p != '/' && *p != '?')
            p++;
    }
    const char *q = memchr(p, '?', (size_t)(end - p));
    req->raw_path = (struct str){ p, (size_t)((q ? q : end) - p) };
    req->raw_query = q ? (struct str){ q + 1, (size_t)(end - q - 1) } : STR_LIT("");
    if (req->raw_path.len == 0)
        req->raw_path = STR_LIT("/");
}

static uint64_t next_random(uint64_t s[2])
{
    /* xorshift128+: request ids need to be unique, not secret. */
    uint64_t a = s[0], b = s[1];
    s[0] = b;
    a ^= a << 23;
    s[1] = a ^ b ^ (a >> 17) ^ (b >> 26);
    return s[1] + b;
}

/* Writes the low 4 * digits bits of v as lower-case hex. */
static char *hex(char *out, uint64_t v, int digits)
{
    static const char xdigits[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--, v >>= 4)
        out[i] = xdigits[v & 0xf];
    return out + digits;
}

/* A random (version 4) UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx". */
static void make_request_id(struct server *s, char out[37])
{
    uint64_t hi = next_random(s->rng), lo = next_random(s->rng);
    hi = (hi & ~0xf000ull) | 0x4000ull;                        /* version 4 */
    lo = (lo & 0x3fffffffffffffffull) | 0x8000000000000000ull; /* RFC 4122 variant */
    char *p = hex(out, hi >> 32, 8);
    *p++ = '-';
    p = hex(p, hi >> 16, 4);
    *p++ = '-';
    p = hex(p, hi, 4);
    *p++ = '-';
    p = hex(p, lo >> 48, 4);
    *p++ = '-';
    p = hex(p, lo, 12);
    *p = '\0';
}

static void fill_request(struct server_request *r, const char *method)
{
    struct gw_request *req = &r->x.req;
    req->method = str_from_cstr(method);
    split_target(req, r->raw_uri);
    MHD_get_connection_values_n(r->conn, MHD_HEADER_KIND, add_header, r);
    req->client_ip = client_ip(r);
    req->start_us = loop_now_us();
    make_request_id(r->s, req->id);
}

/* ---- libmicrohttpd callbacks ---- */

/* The only place that sees the target before libmicrohttpd decodes it:
 * routing needs it raw ("%2F" is not "/"). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct server_request *r = take_request(cls);
    r->conn = c;
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

static enum MHD_Result queue(struct server_request *r)
{
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
    if (r->s->closing || r->must_close)
        (void)MHD_add_response_header(m, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)resp->status, m);
    MHD_destroy_response(m);
    r->queued = ok == MHD_YES;
    return ok;
}

/* ---- framing (common/framing.h) over what libmicrohttpd parsed ---- */

struct field_check {
    struct framing_fields f;
    enum framing_verdict v;
    const char *reason;
};

static enum MHD_Result check_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct field_check *fc = cls;
    fc->v = framing_fields_add(&fc->f, key, key_size, value ? value : "", value ? value_size : 0,
                               &fc->reason);
    return fc->v == FRAMING_OK ? MHD_YES : MHD_NO;
}

/* Every request, not only the first of a connection (runtime/intake.c):
 * the target as sent, each field with its length, then the framing. */
static enum framing_verdict check_framing(struct server_request *r, const char **reason)
{
    enum framing_verdict v = framing_check_target(r->raw_uri.ptr, r->raw_uri.len, reason);
    if (v != FRAMING_OK)
        return v;
    struct field_check fc = { .v = FRAMING_OK };
    framing_fields_init(&fc.f);
    MHD_get_connection_values_n(r->conn, MHD_HEADER_KIND, check_field, &fc);
    if (fc.v != FRAMING_OK) {
        *reason = fc.reason;
        return fc.v;
    }
    return framing_fields_end(&fc.f, reason);
}

/* Answers a request refused before routing, and closes its connection. */
static enum MHD_Result refuse(struct server_request *r, const char *method, int status,
                              const char *reason)
{
    fill_request(r, method);
    pipeline_error(&r->x, status, reason);
    r->answered = true;
    r->handed = true;
    r->must_close = true;
    return queue(r);
}

static enum MHD_Result first_call(struct server_request *r, const char *method)
{
    r->started = true;
    const char *reason = NULL;
    enum framing_verdict v = check_framing(r, &reason);
    if (v != FRAMING_OK)
        return refuse(r, method, framing_status(v), reason);
    const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > APIM_MAX_REQUEST_BODY) {
        /* Answered before the body is read; libmicrohttpd then closes. */
        fill_request(r, method);
        pipeline_error(&r->x, 413, "RequestEntityTooLarge");
        r->answered = true;
        r->handed = true;
        return queue(r);
    }
    return MHD_YES;
}

static void take_body(struct server_request *r, const char *data, size_t len)
{
    if (!r->too_large && buf_append(&r->body, data, len) != 0)
        r->too_large = true; /* read and dropped; answered 413 at the end */
}

static enum MHD_Result complete(struct server_request *r, const char *method)
{
    struct server *s = r->s;
    fill_request(r, method);
    r->x.req.body = (struct str){ r->body.data ? r->body.data : "", r->body.len };
    r->handed = true;
    if (r->too_large) {
        pipeline_error(&r->x, 413, "RequestEntityTooLarge");
        r->answered = true;
    } else if (r->x.req.raw_path.ptr[0] != '/') {
        pipeline_error(&r->x, 404, "OperationNotFound"); /* "*", or not a path at all */
        r->answered = true;
    } else {
        s->hooks.on_request(s->hooks.ctx, r, &r->x);
    }
    if (r->answered)
        return queue(r);
    MHD_suspend_connection(r->conn);
    r->suspended = true;
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
    if (r == NULL)
        return MHD_NO;
    if (!r->started)
        return first_call(r, method);
    if (*upload_size) {
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
    if (r->handed) {
        enum server_outcome o = !r->queued                                   ? SERVER_UNANSWERED
                                : toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? SERVER_SENT
                                                                             : SERVER_CUT;
        s->hooks.on_complete(s->hooks.ctx, r, &r->x, o);
    }
    give_request(s, r);
}

__attribute__((format(printf, 2, 0))) static void on_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    log_vmsg(LOG_LEVEL_WARN, fmt, ap);
}

/* ---- the server ---- */

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
    seed(s->rng);
    unsigned flags = MHD_USE_NO_LISTEN_SOCKET | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_TURBO | MHD_USE_ERROR_LOG;
    s->daemon =
        MHD_start_daemon(flags, 0, NULL, NULL, on_access, s, MHD_OPTION_EXTERNAL_LOGGER, on_log, s,
                         MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED,
                         on_completed, s, MHD_OPTION_CONNECTION_LIMIT, o->connection_limit,
                         MHD_OPTION_CONNECTION_TIMEOUT, o->idle_timeout_s,
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
        free_request(r);
    }
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

void server_run(struct server *s)
{
    MHD_run(s->daemon);
}

int server_timeout_ms(struct server *s)
{
    MHD_UNSIGNED_LONG_LONG t;
    if (MHD_get_timeout(s->daemon, &t) != MHD_YES)
        return -1;
    return t > 3600000 ? 3600000 : (int)t;
}

size_t server_in_flight(const struct server *s)
{
    return s->in_flight;
}

void server_set_closing(struct server *s)
{
    s->closing = true;
}

/* ---- the admin server ---- */

struct server_simple {
    struct MHD_Daemon *daemon;
    server_simple_fn fn;
    void *ctx;
};

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
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* the admin endpoints take no body */
        return MHD_YES;
    }
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

struct server_simple *server_simple_start(int listen_fd, server_simple_fn fn, void *ctx, char *err,
                                          size_t errlen)
{
    struct server_simple *s = xcalloc(1, sizeof(*s));
    s->fn = fn;
    s->ctx = ctx;
    s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG,
                                 0, NULL, NULL, simple_access, s, MHD_OPTION_EXTERNAL_LOGGER,
                                 on_log, s, MHD_OPTION_LISTEN_SOCKET, listen_fd,
                                 MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (s->daemon == NULL) {
        snprintf(err, errlen, "cannot start the admin server (libmicrohttpd)");
        free(s);
        return NULL;
    }
    return s;
}

void server_simple_stop(struct server_simple *s)
{
    if (s == NULL)
        return;
    MHD_stop_daemon(s->daemon);
    free(s);
}
