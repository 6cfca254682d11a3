/* clientwatch.h - noticing that a client went away while its request waits.
 *
 * libmicrohttpd stops watching a connection while it is suspended (the
 * gateway suspends every request that waits for its backend), so a client
 * that closes its connection then is only seen once the answer is sent:
 * the backend call runs on for nothing. A clientwatch puts the socket into
 * the worker's own epoll set for EPOLLRDHUP while the request waits, and
 * reports the close, as nginx does for a proxied request
 * (proxy_ignore_client_abort off): a client that half-closes counts as gone.
 *
 * Ownership: the struct clientwatch owns its watch records; they are pooled
 * and freed only by clientwatch_free, so an epoll event still queued for a
 * stopped watch never points at freed memory (and the report is checked
 * against the socket's state with poll() before it is made).
 * Errors: clientwatch_start returns NULL if the loop refused the socket;
 * the request then simply is not watched.
 */
#ifndef APIM_RUNTIME_CLIENTWATCH_H
#define APIM_RUNTIME_CLIENTWATCH_H

#include <stdbool.h>

#include "loop.h"

struct clientwatch;
struct clientwatch_entry;

/* Called once per watched socket whose peer closed (or failed). */
typedef void (*clientwatch_fn)(void *ctx);

struct clientwatch *clientwatch_new(struct loop *l);
void clientwatch_free(struct clientwatch *cw);

/* Watches fd until clientwatch_stop; fn(ctx) runs from the loop at most once. */
struct clientwatch_entry *clientwatch_start(struct clientwatch *cw, int fd, clientwatch_fn fn,
                                            void *ctx);

/* Stops a watch (before the socket is closed or handed back). NULL: no-op. */
void clientwatch_stop(struct clientwatch *cw, struct clientwatch_entry *e);

/* True if the peer of fd has closed its side or the socket failed. */
bool clientwatch_peer_gone(int fd);

#endif
