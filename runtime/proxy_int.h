/* proxy_int.h - what the files of the proxy module share; nothing outside
 * runtime/proxy*.c includes it. The module is the only one that touches
 * libcurl:
 *   proxy.c        calls: the multi handle on the loop, starting, ending,
 *                  retrying, the pool of connections and the reader;
 *   proxy_recv.c   what curl delivers: the answer's headers and body;
 *   proxy_fetch.c  one blocking request for the CLI (admin port).
 */
#ifndef APIM_RUNTIME_PROXY_INT_H
#define APIM_RUNTIME_PROXY_INT_H

#include <curl/curl.h>
#include <stdbool.h>

#include "apim_limits.h"
#include "proxy.h"

struct sock {
    struct loop_watch w;
    struct proxy *p;
    curl_socket_t fd;
    struct sock *next_free;
};

struct call {
    struct proxy *p;
    CURL *easy; /* NULL once the transfer is over */
    struct gw_exchange *x;
    struct buf body; /* held answer, or the unread part of a streamed one */
    size_t read_pos; /* streamed: bytes of body already handed over */
    size_t header_bytes;
    CURLcode result;
    bool done;                /* the transfer is over (result says how) */
    bool streaming;           /* the body goes out through proxy_read */
    bool told_streaming;      /* the streaming hook ran */
    bool paused;              /* curl holds data until the client takes some */
    bool in_body;             /* header lines now are trailers */
    bool too_large;           /* body or headers over the caps */
    bool socket_failed;       /* the loop refused one of its sockets */
    bool news;                /* queued in p->news */
    bool retried;             /* this is the second try (fwdrules.h) */
    bool upload_paused;       /* the streamed request body had nothing to give */
    struct call *prev, *next; /* calls whose transfer runs */
    struct call *next_free;
};

struct proxy {
    struct loop *loop;
    CURLM *multi;
    struct proxy_hooks hooks;
    int64_t deadline; /* curl's timer, monotonic ms; -1 none */
    CURL **easy_pool;
    size_t neasy, cap_easy;
    struct sock *free_socks;
    struct call *running, *free_calls;
    size_t active, nfree;
    struct call **news; /* calls with something to report */
    size_t nnews, cap_news;
    long idle_s;        /* a pooled connection idle this long is closed */
    size_t sockets;     /* backend connections open (idle ones included) */
    CURL *sweeper;      /* the call that makes curl prune its pool (sweep) */
    bool sweeping;      /* the sweeper is in the multi handle */
    int64_t next_sweep; /* monotonic ms */
};

/* Calls kept for reuse, and the body buffer a reused call may keep. */
#define PROXY_POOL_MAX   1024
#define PROXY_KEEP_BYTES (256u * 1024u)
/* Response headers beyond this are refused: libmicrohttpd could not send
 * them within its per-connection memory anyway (server.c checks what fits
 * beside the request's own headers). */
#define PROXY_MAX_HEADER_BYTES APIM_CONNECTION_MEMORY

/* Queues c for proxy_service to report (once, however often called). */
void proxy_push_news(struct proxy *p, struct call *c);

/* curl's CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION (proxy_recv.c);
 * userp: the struct call. */
size_t proxy_on_body(char *data, size_t size, size_t n, void *userp);
size_t proxy_on_header(char *line, size_t size, size_t n, void *userp);

#endif
