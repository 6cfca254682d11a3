/* worker.h - one gateway thread: an event loop holding a share of the
 * client connections (accepted from the common listening socket), its own
 * libmicrohttpd daemon, its own libcurl multi handle and connection pool,
 * its metrics and its access-log buffer. Nothing on a worker's request path
 * takes a lock another worker takes, except to adopt a reloaded plan.
 *
 * The gateway steers workers through struct worker_shared: the live plan
 * (a generation counter tells a worker to adopt the new one) and the run
 * state (RUN, then DRAIN: stop accepting, close connections with no request
 * in flight, finish what is in flight, ask clients to close; then STOP: end
 * backend calls still running, close all).
 * Ownership: the gateway owns worker_shared and outlives every worker.
 */
#ifndef APIM_RUNTIME_WORKER_H
#define APIM_RUNTIME_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "live.h"
#include "metrics.h"

enum worker_state {
    WORKER_RUN,
    WORKER_DRAIN,
    WORKER_STOP
};

struct worker_shared {
    int listen_fd;     /* non-blocking; not owned */
    int access_log_fd; /* O_APPEND, or -1; not owned */
    pthread_mutex_t live_lock;
    struct live *live;      /* under live_lock */
    atomic_uint generation; /* bumped after live changes */
    atomic_int state;       /* enum worker_state */
    unsigned connection_limit;
    long head_timeout_ms, body_timeout_ms; /* server.h's deadlines for slow clients */
    long backend_idle_s;                   /* proxy_new's idle_s */
    size_t body_memory;                    /* server_options.body_memory */
};

/* The current live plan with a reference taken for the caller. */
struct live *worker_shared_live(struct worker_shared *sh);

struct worker;

struct worker *worker_new(struct worker_shared *sh, unsigned index, char *err, size_t errlen);

/* Starts the thread; -1 if it could not be created. */
int worker_start(struct worker *w) __attribute__((warn_unused_result));

/* Makes the worker look at the shared state now (after a change). */
void worker_wake(struct worker *w);

/* True while the listening socket is in the worker's loop (the gateway
 * closes the socket once no worker has it, when draining). */
bool worker_accepting(const struct worker *w);

/* Requests received and not yet completed. */
size_t worker_in_flight(const struct worker *w);

/* The worker's metrics (merge them; they stay the worker's). */
struct metrics *worker_metrics(struct worker *w);

/* Waits for the thread to end (after STOP) and frees everything. */
void worker_free(struct worker *w);

#endif
