/* pipeline.h - one request through the gateway's logic: route, check the
 * subscription, then answer with API Management's error or forward to the
 * backend, and turn the backend's answer (or failure) into the response.
 *
 * Policies are not run yet (the next milestone): the pipeline is the place
 * they will run, between these steps. No sockets here: server.c feeds
 * requests in, proxy.c performs the backend call the pipeline asks for, and
 * unit tests do both by hand.
 * Ownership: struct pipeline is built per plan and is read-only; everything
 * per request lives in the request arena.
 */
#ifndef APIM_RUNTIME_PIPELINE_H
#define APIM_RUNTIME_PIPELINE_H

#include "access.h"
#include "gw.h"
#include "plan.h"
#include "router.h"

struct pipeline {
    const struct plan *plan;
    struct router *router;
    struct access *access;
    long backend_timeout_ms;
    bool *body_whole;    /* per operation (bodyplan.h) */
    uint64_t generation; /* unique among the process's pipelines, never 0 */
};

/* Where and how to call the backend. */
struct gw_forward {
    struct str url; /* NUL-terminated */
    struct str method;
    struct gw_headers headers;
    struct str body;
    struct gw_body_stream *stream; /* instead of body: sent as it arrives */
    long timeout_ms;
    bool verify_peer, verify_host;
};

struct gw_exchange {
    struct gw_request req;
    struct gw_response resp;
    enum router_result routed;
    struct route route;
    uint64_t routed_by; /* the generation of the pipeline that set routed (0: none) */
    struct access_decision access;
    bool forward; /* pipeline_begin asks for a backend call */
    struct gw_forward fwd;
    struct gw_backend_result backend;         /* filled by the caller of the backend */
    int64_t backend_start_us, backend_end_us; /* monotonic; 0: no backend call */
    const char *error_reason;                 /* why the gateway answered itself: for the log */
    void *owner;                              /* the driver's own per-request state */
};

/* Builds the router and key index for p; the pipeline does not own p. */
struct pipeline *pipeline_new(const struct plan *p, long backend_timeout_ms);
void pipeline_free(struct pipeline *pl);

/* Decides what to do with x->req: fills x->resp (an answer now), or sets
 * x->forward and x->fwd (call the backend, then pipeline_finish). */
void pipeline_begin(const struct pipeline *pl, struct gw_exchange *x);

/* Whether x's request body must be held whole before the backend is
 * called (bodyplan.h), from its headers alone; routes x (pipeline_begin on
 * the same pipeline then reuses the route; after a reload it routes again).
 * A request that matches nothing needs no body: it is answered 404 unread. */
bool pipeline_body_whole(const struct pipeline *pl, struct gw_exchange *x);

/* Turns x->backend into x->resp. */
void pipeline_finish(const struct pipeline *pl, struct gw_exchange *x);

/* API Management's own error answer: status and JSON body, byte for byte. */
void pipeline_error(struct gw_exchange *x, int status, const char *reason);

/* The fixed body of a request refused before routing (400, 413, 414, 431, 505),
 * or NULL for other statuses. Static. */
const char *pipeline_refusal_body(int status);

#endif
