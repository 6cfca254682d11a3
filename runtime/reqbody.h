/* reqbody.h - a request body on its way from the client to the backend:
 * a bounded window between the two, so memory per request stays under
 * REQBODY_WINDOW whatever the body's size.
 *
 * The server puts what libmicrohttpd read (reqbody_put takes only what fits:
 * the rest stays with libmicrohttpd, whose connection is then suspended),
 * the backend call takes it (reqbody_get). Once the reader has taken enough
 * (reqbody_has_room) the server resumes the connection. No library here:
 * server.c does the suspending, unit tests do it by hand.
 *
 * Ownership: the caller owns the struct and its buffer (borrowed, released
 * by the caller). Errors: none; reqbody_get reports the end or a failure
 * with GW_BODY_END / GW_BODY_FAILED (gw.h).
 */
#ifndef APIM_RUNTIME_REQBODY_H
#define APIM_RUNTIME_REQBODY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "gw.h"

/* Bytes held per streamed request at most (plus one read of
 * libmicrohttpd's, which it keeps itself). */
#define REQBODY_WINDOW (256u * 1024u)

struct reqbody {
    struct buf *data; /* unread bytes from pos on */
    size_t pos;
    bool done;    /* the whole body has been put */
    bool failed;  /* the client went away: the body is incomplete */
    bool waiting; /* the reader found nothing: tell it when there is */
};

/* Starts over with buffer data (emptied). */
void reqbody_init(struct reqbody *b, struct buf *data);

/* Takes up to n bytes of p, as many as the window has room for. */
size_t reqbody_put(struct reqbody *b, const char *p, size_t n);

/* Up to max bytes into out (> 0), GW_BODY_WAIT (waiting is then set),
 * GW_BODY_END or GW_BODY_FAILED. */
ssize_t reqbody_get(struct reqbody *b, char *out, size_t max);

/* True once at most half the window is unread: a paused sender may go on. */
bool reqbody_has_room(const struct reqbody *b);

/* Bytes put and not yet read. */
size_t reqbody_unread(const struct reqbody *b);

#endif
