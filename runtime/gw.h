/* gw.h - a request and its response as the gateway's logic sees them:
 * built by server.c from libmicrohttpd, or by a unit test by hand; and the
 * backend call as proxy.c reports it. No library types here, so routing,
 * access and the pipeline are tested without sockets.
 * Ownership: every slice and array lives in the request's arena.
 */
#ifndef APIM_RUNTIME_GW_H
#define APIM_RUNTIME_GW_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "arena.h"
#include "buf.h"

struct gw_header {
    struct str name, value;
};

struct gw_headers {
    struct gw_header *v;
    size_t n, cap;
};

/* A request body that arrives while the backend call runs: server.c
 * supplies it, proxy.c reads it. read gives bytes (> 0), GW_BODY_WAIT (none
 * yet: the owner is told when more came), GW_BODY_END or GW_BODY_FAILED
 * (the client went away: the body is incomplete). */
#define GW_BODY_WAIT   ((ssize_t)0)
#define GW_BODY_END    ((ssize_t)-1)
#define GW_BODY_FAILED ((ssize_t)-2)

struct gw_body_stream {
    ssize_t (*read)(void *ctx, char *buf, size_t max);
    void *ctx;
    int64_t length;  /* the declared Content-Length, or -1 (chunked) */
    size_t consumed; /* bytes read so far (a retry needs none) */
};

struct gw_request {
    struct arena *arena;
    struct str method;
    struct str raw_path;  /* as received: starts with '/', not decoded, no query */
    struct str raw_query; /* after '?', not decoded; empty if none */
    struct str path;      /* raw_path normalised (pathnorm.h): what routing and the
                           * backend URL use; set by pipeline_begin */
    struct gw_headers headers;
    struct str body;               /* held whole; empty when streamed */
    struct gw_body_stream *stream; /* non-NULL: the body is streamed instead */
    struct str client_ip;
    int64_t start_us; /* monotonic, when the request was complete */
    char id[37];      /* request id (a UUID), shown as activityId and in the access log */
};

struct gw_response {
    int status;
    struct gw_headers headers;
    struct str body;
    int64_t head_length; /* HEAD: the length a GET would have had; 0 if unknown */
};

enum gw_backend_error {
    GW_BACKEND_OK,
    GW_BACKEND_CONNECT, /* refused, unreachable, DNS */
    GW_BACKEND_TIMEOUT,
    GW_BACKEND_RESET, /* the connection broke mid-exchange */
    GW_BACKEND_TOO_LARGE,
    GW_BACKEND_OTHER
};

/* What the backend call gave. */
struct gw_backend_result {
    enum gw_backend_error error;
    const char *error_text;
    int status;
    struct gw_headers headers;
    struct str body;        /* whole, unless the answer is streamed (proxy_read) */
    int64_t content_length; /* as the backend declared it; -1 if it did not */
    bool streamed;          /* the body comes through proxy_read */
    void *handle;           /* proxy.c's, from proxy_start to proxy_release */
};

/* Appends a header (arena copies are the caller's business). */
void gw_headers_add(struct arena *a, struct gw_headers *h, struct str name, struct str value);

/* The first header named name (ASCII case-insensitive), or NULL. */
const struct gw_header *gw_headers_get(const struct gw_headers *h, const char *name);

/* True for headers that belong to one connection and are never forwarded
 * (RFC 9110 7.6.1), plus those the transport computes itself. */
bool gw_hop_by_hop(struct str name);

/* Percent-decodes s into the arena ('+' stays '+': paths, and query values
 * as APIM matches them). */
struct str gw_decode(struct arena *a, struct str s);

/* The first value of query parameter name in raw (decoded); found says
 * whether it was there at all. */
struct str gw_query_get(struct arena *a, struct str raw, struct str name, bool *found);

#endif
