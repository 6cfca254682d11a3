/* intake.h - a new client connection waits here until its first request
 * head has arrived whole and passed framing_scan_head (common/framing.h);
 * only then is it passed on (to libmicrohttpd, via the pass hook).
 *
 * Why: libmicrohttpd decides some things before the gateway sees a request
 * and cannot be told otherwise. It cuts a header value at a NUL, glues a
 * folded line onto the field's name, answers an over-long target or header
 * block with its own HTML page and then resets the connection, and waits
 * out the idle timeout on bytes that are not HTTP (a TLS ClientHello). Here
 * the bytes are looked at with MSG_PEEK, so a connection passed on still
 * has every byte for libmicrohttpd to read. A refused one gets API
 * Management's JSON answer (pipeline_refusal_body) and "Connection: close",
 * its write side is shut, and what the client still sends is read and
 * dropped for a moment before the close, so the answer is not lost to a
 * reset.
 *
 * Only the first request of a connection passes here; server.c applies
 * the same rules to every request over what libmicrohttpd parsed.
 * Ownership: the intake owns the sockets it holds (closes them, or hands
 * them to pass, which then owns them). One intake per worker thread.
 */
#ifndef APIM_RUNTIME_INTAKE_H
#define APIM_RUNTIME_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "loop.h"

/* Takes over fd (a connected, non-blocking socket). */
typedef void (*intake_pass_fn)(void *ctx, int fd, const void *addr, unsigned addrlen);

struct intake_options {
    unsigned head_timeout_ms; /* a head not whole by then gets a 408 and the close */
    unsigned linger_ms;       /* after a refusal: how long the rest is read and dropped */
};

struct intake;

/* NULL with errno set if its timer cannot be created. */
struct intake *intake_new(struct loop *l, const struct intake_options *o, intake_pass_fn pass,
                          void *ctx);

/* Closes every connection still held. */
void intake_free(struct intake *in);

/* Holds fd until its first head is in (closed by the intake in every case
 * but a pass). */
void intake_add(struct intake *in, int fd, const void *addr, unsigned addrlen);

/* Connections held. */
size_t intake_connections(const struct intake *in);

/* For /metrics: connections whose first head is still coming, those
 * whose head did not come whole within head_timeout_ms (answered 408), and
 * those whose first head was refused (400, 414, 431). */
void intake_stats(const struct intake *in, size_t *heads, uint64_t *timed_out, uint64_t *refused);

/* Closes every connection held, unanswered (the gateway stops: none of
 * them is a request in flight). */
void intake_close_all(struct intake *in);

#endif
