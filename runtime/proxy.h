/* proxy.h - backend calls with libcurl's multi-socket interface, driven by
 * the worker's event loop: no thread ever waits on a backend.
 *
 * One struct proxy per worker: one multi handle, so one connection pool with
 * keep-alive reuse; easy handles are recycled. A call runs x->fwd and, when
 * it ends (answer, failure or timeout), fills x->backend and hands x to the
 * done callback from proxy_service.
 * Ownership: per-call memory is in the request arena; the proxy owns curl.
 * Errors: proxy_start returns -1 if curl refused the call (x->backend then
 * says why and done is not called).
 */
#ifndef APIM_RUNTIME_PROXY_H
#define APIM_RUNTIME_PROXY_H

#include "loop.h"
#include "pipeline.h"

struct proxy;

typedef void (*proxy_done_fn)(void *ctx, struct gw_exchange *x);

struct proxy *proxy_new(struct loop *l, proxy_done_fn done, void *ctx);
void proxy_free(struct proxy *p);

int proxy_start(struct proxy *p, struct gw_exchange *x) __attribute__((warn_unused_result));

/* Runs curl's timer when due and delivers finished calls. */
void proxy_service(struct proxy *p, int64_t now_ms);

/* Milliseconds until proxy_service is due (0: now), or -1. Ask after
 * anything that may have started a call: curl sets its timer then. */
int proxy_timeout_ms(const struct proxy *p, int64_t now_ms);

/* Ends every call in flight as failed (shutdown after the drain deadline). */
void proxy_abort_all(struct proxy *p);

/* Calls in flight. */
size_t proxy_active(const struct proxy *p);

/* Once per process, before any thread starts. */
int proxy_global_init(void);

/* A blocking GET of url into out (the CLI asking a gateway's admin port):
 * 0 with the HTTP status, or -1 if there was no answer. */
int proxy_fetch(const char *url, long timeout_ms, struct buf *out, long *status)
    __attribute__((warn_unused_result));

#endif
