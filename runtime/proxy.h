/* proxy.h - backend calls with libcurl's multi-socket interface, driven by
 * the worker's event loop: no thread ever waits on a backend. The only
 * module that touches libcurl (its files: proxy*.c, sharing proxy_int.h).
 *
 * One struct proxy per worker: one multi handle, so one keep-alive
 * connection pool; easy handles and call records are recycled. A call runs
 * x->fwd. Its answer is either held whole (the usual case: small answers,
 * as forward-request's buffer-response does) and reported by done, or, once
 * more than PROXY_HOLD_BYTES of body have come, streamed: streaming reports
 * the status and headers, more reports each arrival of body (or its end),
 * and proxy_read hands the bytes over. A streamed call holds at most about
 * PROXY_HIGH_WATER bytes: beyond that the backend is paused until the
 * client has taken some. A request body is sent from x->fwd.body, or, when
 * x->fwd.stream is set, read from it as it arrives (proxy_body_more says
 * when there is more).
 *
 * Ownership: the proxy owns curl and each call's memory; x->backend.body
 * (held answers) and the headers stay valid until proxy_release, which the
 * owner of x calls exactly once, when the request is over (it also stops a
 * call still running). Hooks run from proxy_service or proxy_abort_all,
 * never from inside a curl callback.
 * Errors: proxy_start returns -1 if curl refused the call (x->backend then
 * says why; no hook runs, but proxy_release is still due).
 */
#ifndef APIM_RUNTIME_PROXY_H
#define APIM_RUNTIME_PROXY_H

#include <sys/types.h>

#include "loop.h"
#include "pipeline.h"

#define PROXY_HOLD_BYTES (64u * 1024u)
#define PROXY_HIGH_WATER (1024u * 1024u)

struct proxy;

struct proxy_hooks {
    void (*done)(void *ctx, struct gw_exchange *x);      /* held answer, or failure */
    void (*streaming)(void *ctx, struct gw_exchange *x); /* status and headers known */
    void (*more)(void *ctx, struct gw_exchange *x);      /* body arrived, or ended */
    void *ctx;
};

/* idle_s: a pooled backend connection idle this many seconds is closed
 * (within about a second more), traffic or not. */
struct proxy *proxy_new(struct loop *l, const struct proxy_hooks *hooks, long idle_s);
void proxy_free(struct proxy *p);

int proxy_start(struct proxy *p, struct gw_exchange *x) __attribute__((warn_unused_result));

/* Runs curl's timer when due, and reports what happened to the calls. */
void proxy_service(struct proxy *p, int64_t now_ms);

/* Milliseconds until proxy_service is due (0: now), or -1. Ask after
 * anything that may have started a call: curl sets its timer then. */
int proxy_timeout_ms(const struct proxy *p, int64_t now_ms);

/* Reads a streamed body: the number of bytes (> 0), 0 when none has come
 * yet (more will say when), PROXY_READ_END, or PROXY_READ_FAILED (the call
 * broke or was stopped: the body is incomplete). */
#define PROXY_READ_END    ((ssize_t)-1)
#define PROXY_READ_FAILED ((ssize_t)-2)
ssize_t proxy_read(struct proxy *p, struct gw_exchange *x, char *buf, size_t max);

/* More of x's streamed request body (x->fwd.stream) can be read, or its
 * end: a call that paused its sending goes on. */
void proxy_body_more(struct proxy *p, struct gw_exchange *x);

/* The request of x is over: stops its call if it still runs, and recycles
 * the call's memory. No-op if x has no call. */
void proxy_release(struct proxy *p, struct gw_exchange *x);

/* Ends every call in flight as failed (shutdown after the drain deadline):
 * held ones through done, streamed ones through more. */
void proxy_abort_all(struct proxy *p);

/* Calls in flight. */
size_t proxy_active(const struct proxy *p);

/* Once per process, before any thread starts. */
int proxy_global_init(void);

/* A blocking GET of url into out (the CLI asking a gateway's admin port):
 * 0 with the HTTP status, or -1 if there was no answer. */
int proxy_fetch(const char *url, long timeout_ms, struct buf *out, long *status)
    __attribute__((warn_unused_result));

/* The same as a POST with an empty body (apim job start|stop). */
int proxy_post(const char *url, long timeout_ms, struct buf *out, long *status)
    __attribute__((warn_unused_result));

#endif
