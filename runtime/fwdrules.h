/* fwdrules.h - the rules that decide how a request meets its backend, as
 * pure functions (no sockets, no libraries), so they are unit tested alone:
 *
 *   - whether a failed backend call is tried again on a fresh connection:
 *     once, only for an idempotent method (RFC 9110 9.2.2), only when the
 *     failure is a pooled connection the backend had closed (it broke before
 *     any byte of the answer came), and only when the request body can be
 *     sent again; nginx's proxy_next_upstream error does the same;
 *   - whether a backend answer's header block fits what the client
 *     connection can send (libmicrohttpd builds it in the connection's
 *     memory, next to the request's own line and headers).
 *
 * Ownership: nothing is kept. Errors: none; the answers are booleans.
 */
#ifndef APIM_RUNTIME_FWDRULES_H
#define APIM_RUNTIME_FWDRULES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* GET, HEAD, OPTIONS, PUT, DELETE and TRACE (RFC 9110 9.2.2), exact case:
 * methods are case-sensitive (RFC 9110 9.1). */
bool fwdrules_idempotent(struct str method);

/* What is known about a backend call that failed. */
struct fwdrules_failure {
    struct str method;
    bool broken;          /* the connection broke: reset, closed, send or receive failed */
    bool reused;          /* the call ran on a connection from the pool */
    bool answer_started;  /* a byte of the answer (status line included) came */
    bool body_replayable; /* the request body is held whole, or none of a stream was read */
    bool retried;         /* this call is already the retry */
};

/* True if the call should be made once more on a fresh connection. */
bool fwdrules_may_retry(const struct fwdrules_failure *f);

/* Room kept in the connection's memory for what libmicrohttpd adds to an
 * answer's header block (status line, Date, Content-Length or
 * Transfer-Encoding, Connection) and its own bookkeeping. Measured with
 * libmicrohttpd 0.9.75 and 32 KiB: answers went out while the request's and
 * the answer's headers, counted as here, took up to 32 380 bytes, whatever
 * the share of each (0, 10 000 and 20 000 bytes of request headers); the
 * reserve is about 2.5 times the 388 bytes that leaves. */
#define FWDRULES_HEADER_RESERVE 1024u

/* True if an answer whose headers take response_bytes ("Name: value\r\n"
 * each) can be sent on a connection of `memory` bytes whose request line
 * and headers took request_bytes. */
bool fwdrules_headers_fit(size_t request_bytes, size_t response_bytes, size_t memory);

#endif
