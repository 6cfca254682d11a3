/* server.h - the HTTP front end, the only module that touches libmicrohttpd
 * (its files: server*.c, sharing server_int.h).
 *
 * A struct server serves one worker: one libmicrohttpd daemon in external
 * epoll mode whose epoll fd sits in the worker's loop. The worker accepts
 * connections itself from a listening socket shared by every worker and
 * hands them over (server_add_connection), so one bind serves all threads.
 *
 * A request reaches the on_request hook once it is complete (headers and
 * body), or, when its body is streamed (body_whole says so), as soon as its
 * headers are in: the body then arrives through x->req.stream, a window of
 * at most REQBODY_WINDOW bytes (the client is paused beyond it). The hook answers at once with
 * server_respond, or later: until then the connection is suspended and costs no thread. on_complete
 * runs exactly once per request that reached the first hook or was refused before it (sent, failed,
 * or the client went away), which is where it is logged.
 *
 * Requests are pooled: each owns an arena that is reset, not freed, between
 * requests, so a steady load allocates nothing per request.
 * Ownership: the server owns its requests; the exchange (gw.h) of a request
 * is valid from on_request until on_complete returns.
 * Errors: server_new returns NULL with a reason in err.
 */
#ifndef APIM_RUNTIME_SERVER_H
#define APIM_RUNTIME_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loop.h"
#include "pipeline.h"

struct server;
struct server_request;

/* How a request ended. */
enum server_outcome {
    SERVER_UNANSWERED, /* the client left (or the server stopped) before an answer */
    SERVER_SENT,       /* the whole answer went out */
    SERVER_CUT         /* an answer started but did not finish: the connection broke */
};

struct server_hooks {
    void (*on_request)(void *ctx, struct server_request *r, struct gw_exchange *x);
    /* From the headers of a request with a body: true to hold the body
     * whole before on_request (a policy needs it), false to stream it:
     * on_request then runs at once, with x->req.stream set. */
    bool (*body_whole)(void *ctx, struct gw_exchange *x);
    /* More of a streamed body came (or its end) after its reader found none. */
    void (*body_more)(void *ctx, struct gw_exchange *x);
    void (*on_complete)(void *ctx, struct server_request *r, struct gw_exchange *x,
                        enum server_outcome outcome);
    void *ctx;
};

/* A streamed body: bytes (> 0), SERVER_STREAM_WAIT (none yet: call
 * server_stream_wake when there are), SERVER_STREAM_END, or
 * SERVER_STREAM_FAILED (the connection is closed, the body incomplete). */
#define SERVER_STREAM_WAIT   ((ssize_t)0)
#define SERVER_STREAM_END    ((ssize_t)-1)
#define SERVER_STREAM_FAILED ((ssize_t)-2)
typedef ssize_t (*server_read_fn)(void *ctx, struct gw_exchange *x, char *buf, size_t max);

struct server_options {
    unsigned connection_limit;
    unsigned idle_timeout_s;  /* keep-alive connections idle longer are closed */
    size_t connection_memory; /* per-connection buffer for the request line and headers */
    /* A request's head must arrive within head_timeout_ms, and its body
     * with no pause longer than body_timeout_ms; past either, the client
     * gets a 408 and the connection closes (deadline.h has the rules). */
    int64_t head_timeout_ms, body_timeout_ms;
    size_t body_memory; /* bodies held whole, in all (413 past it); 0: 256 MiB */
};

struct server *server_new(struct loop *l, const struct server_options *o,
                          const struct server_hooks *h, char *err, size_t errlen);

/* Stops the daemon, closing every connection. Requests still waiting for an
 * answer are answered 503-less: their clients see the connection close. */
void server_free(struct server *s);

/* Takes over a connected socket (closed by the server in every case). */
void server_add_connection(struct server *s, int fd, const void *addr, unsigned addrlen);

/* Sends x->resp for r. Valid once per request, from on_request or later.
 * For HEAD, a non-zero x->resp.head_length is sent as its Content-Length. */
void server_respond(struct server_request *r);

/* Sends x->resp's status and headers, then the body read from read(ctx)
 * as it comes (length: the Content-Length, or -1 for chunked). Instead of
 * server_respond. */
void server_respond_stream(struct server_request *r, int64_t length, server_read_fn read,
                           void *ctx);

/* More of a streamed body can be read (or its end). */
void server_stream_wake(struct server_request *r);

/* Does libmicrohttpd's pending work; call after the loop ran, or when
 * server_timeout_ms says so. */
void server_run(struct server *s);

/* Milliseconds until server_run is due, or -1. */
int server_timeout_ms(struct server *s);

/* Requests received whole and not completed (including those waiting for
 * a backend). A request still being received is not in flight. */
size_t server_in_flight(const struct server *s);

/* Client connections by what they are doing, and those closed so far for
 * being too slow. */
struct server_conn_stats {
    size_t reading_head, reading_body, idle;
    uint64_t timed_out_head, timed_out_body;
    uint64_t refused; /* connections refused for a later request's framing */
};

void server_connection_stats(const struct server *s, struct server_conn_stats *st);

/* Makes the calling thread the one that runs s (server_run and the rest):
 * its reads of s's client sockets are guarded (reqguard.h). NULL unbinds. */
void server_bind_thread(struct server *s);

/* Client connections open. */
size_t server_connections(struct server *s);

/* From now on every response asks the client to close its connection,
 * and connections whose request is not in flight (half-sent heads and
 * bodies, idle keep-alive connections) are closed at once, unanswered. */
void server_set_closing(struct server *s);

/* ---- a small synchronous server for the admin port ---- */

struct server_simple;

/* Fills body (status code returned) for GET path; runs on the server's own
 * thread. content_type must be a static string. */
typedef int (*server_simple_fn)(void *ctx, const char *method, const char *path, struct buf *body,
                                const char **content_type);

/* Serves listen_fd on a thread of its own: at most 16 connections, each
 * closed after 10 s idle; a request's head must arrive, and its body keep
 * coming, within timeout_ms (at most 10 s; then 408), so that slow clients
 * there take few descriptors, and not for long. */
struct server_simple *server_simple_start(int listen_fd, int64_t timeout_ms, server_simple_fn fn,
                                          void *ctx, char *err, size_t errlen);
void server_simple_stop(struct server_simple *s);

#endif
