/* server_int.h - what the files of the server module share; nothing
 * outside runtime/server*.c includes it. The module is the only one that
 * touches libmicrohttpd:
 *   server.c        the gateway's requests: libmicrohttpd's callbacks, bodies,
 *                   answers, suspend/resume, the server's life;
 *   server_pool.c   the request pool and the gw_request built from what
 *                   libmicrohttpd parsed;
 *   server_conn.c   connections and their deadlines (deadline.h): start and
 *                   close, the 408 and the cut;
 *   server_admin.c  the admin server, on its own thread.
 */
#ifndef APIM_RUNTIME_SERVER_INT_H
#define APIM_RUNTIME_SERVER_INT_H

#include <microhttpd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "clientwatch.h"
#include "deadline.h"
#include "log.h"
#include "reqbody.h"
#include "reqguard.h"
#include "server.h"

/* A client connection: its deadline (deadline.h), its socket and, on the
 * gateway's daemon, the guard over its bytes (reqguard.h), kept from
 * libmicrohttpd's connection start to its close. */
struct server_conn {
    struct deadline_conn d; /* first: the set's entries are server_conns */
    struct MHD_Connection *conn;
    int fd;
    struct reqguard guard;
    struct server_request *current; /* whose head was handled, until it completes */
};

struct server_request {
    struct server *s;
    struct MHD_Connection *conn;
    struct server_conn *sc; /* the connection's, or NULL */
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
    bool waiting; /* a streamed body has nothing to send yet: suspended */
    bool gone;    /* the client left while the request waited (clientwatch.h) */
    bool refused; /* the guard refused its chunked body mid-way, and answered */
    struct clientwatch_entry *watch;
    /* Suspended, not yet watched: in the server's FIFO until its grace ends. */
    bool watch_due;
    int64_t suspended_ms;
    struct server_request *due_prev, *due_next;
    bool filled;                  /* fill_request ran */
    bool streamed;                /* the body goes to the backend as it comes (reqbody.h) */
    bool window_full;             /* suspended until the backend call takes some body */
    bool over_budget;             /* the worker's memory for whole bodies was full */
    struct reqbody rb;            /* streamed: the window (in body) */
    struct gw_body_stream stream; /* streamed: x.req.stream */
    size_t put;                   /* streamed: bytes put into the window */
    size_t held;                  /* bytes of body charged to the server's body_held */
    server_read_fn read;          /* set: the body is streamed */
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
    struct clientwatch *cw;
    struct server_request *due_head, *due_tail; /* waiting for their watch, oldest first */
    struct server_request *free_requests;
    size_t nfree, in_flight;
    struct deadline_set deadlines;
    struct reqguard_table guards;
    struct log_limit refusal_log; /* refused later requests, in the gateway's log */
    uint64_t rng[2];
    bool closing;
    bool run_due;     /* a connection was resumed from outside libmicrohttpd */
    size_t body_held; /* bytes of bodies held whole, all requests */
    size_t body_memory;
};

/* A steady load reuses requests; a burst's extra ones are freed. */
#define SERVER_POOL_MAX 1024
/* Bodies held whole by one worker, in all, when server_options says 0. */
#define SERVER_BODY_MEMORY (256u << 20)
/* Keep a request's body buffer between requests up to this size. */
#define SERVER_BODY_KEEP (1u << 20)

/* The request pool (server_pool.c): a request comes from the pool with
 * its arena and body buffer reset; give returns it (freed past
 * SERVER_POOL_MAX). */
struct server_request *server_take_request(struct server *s);
void server_give_request(struct server *s, struct server_request *r);
void server_free_request(struct server_request *r);

/* Fills r->x.req (method, target, headers, client address, request id)
 * from what libmicrohttpd parsed; runs once per request. */
void server_fill_request(struct server_request *r, const char *method);

/* libmicrohttpd's connection notifier and logger, for both daemons
 * (server_conn.c). cls of the notifier: the daemon's deadline_set. */
void server_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code);
void server_on_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Writes status (a refusal) with API Management's body and Connection:
 * close straight to a client socket, after dropping what it still holds
 * of the client's input (at most 64 KiB). */
void server_answer_raw(int fd, int status, const char *reason);

/* The guard's callbacks (reqguard.h) for a daemon's connections, both
 * daemons: the connection record of a guard; a head begun on an idle
 * connection starts its head deadline in set; a refusal is logged within
 * limit and answered. */
struct server_conn *server_conn_of(struct reqguard *g);
void server_guard_held(struct deadline_set *set, struct reqguard *g);
void server_guard_refused(struct log_limit *limit, struct reqguard *g, int status,
                          const char *reason);

/* libmicrohttpd's connection notifier, for a daemon whose connections are
 * guarded through t: server_on_connection, and the guard's watch from the
 * start to before the close. */
void server_on_guarded_connection(struct deadline_set *set, struct reqguard_table *t,
                                  struct MHD_Connection *c, void **socket_context,
                                  enum MHD_ConnectionNotificationCode code);

/* Closes the connections of set past their deadline (with a 408 when
 * nothing was answered), and while closing every one not in flight. */
void server_expire(struct deadline_set *set, bool closing);

#endif
