/* framing.h - HTTP/1.1 request framing and header syntax (RFC 9112 2-3, 6
 * and 7.1, RFC 9110 5.1, 5.5, 8.6): the checks that decide whether a request
 * may be read and forwarded at all.
 *
 * Two users, one set of rules, both over raw bytes before libmicrohttpd
 * parses them (its parser hides or answers with an HTML page what matters
 * here: a NUL, obs-fold, an over-long target or header block, bytes that
 * are not HTTP at all):
 * - framing_scan_head: the head a new connection sent first
 *   (runtime/intake.c);
 * - struct framing_stream: every byte a client connection sends, in order
 *   (runtime/reqguard.c), so each later request on a kept-alive connection
 *   is judged the same way: where each head, body, chunk and trailer
 *   section ends is followed, and each head passes framing_scan_head.
 *
 * Pure functions over bytes: no allocation, no clock. A verdict other than
 * FRAMING_OK/FRAMING_MORE comes with a reason (a static string, the access
 * log's error field) and maps to a status with framing_status.
 */
#ifndef APIM_COMMON_FRAMING_H
#define APIM_COMMON_FRAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apim_limits.h"

enum framing_verdict {
    FRAMING_OK,
    FRAMING_MORE,             /* framing_scan_head: valid so far, not yet complete */
    FRAMING_BAD,              /* 400 */
    FRAMING_URI_TOO_LONG,     /* 414 */
    FRAMING_FIELDS_TOO_LARGE, /* 431 */
    FRAMING_VERSION           /* 505: HTTP/d.d with a major version other than 1 */
};

/* The status a verdict is answered with (0 for OK and MORE). */
int framing_status(enum framing_verdict v);

/* A request target as sent (origin-, absolute-, authority- or asterisk-
 * form): 414 above APIM_MAX_REQUEST_TARGET bytes, 400 with a control
 * character, a space or DEL in it (RFC 9112 3.2). Percent-encoding is not
 * judged here. */
enum framing_verdict framing_check_target(const char *t, size_t len, const char **reason);

/* The header fields of one request, fed one by one. */
struct framing_fields {
    size_t count, bytes;
    unsigned transfer_encodings; /* Transfer-Encoding fields seen */
    bool chunked;                /* the only one is exactly "chunked" */
    bool has_length;
    uint64_t length;    /* the Content-Length, when has_length */
    size_t cookie_cost; /* the first Cookie field's extra memory (APIM_HEAD_MEMORY) */
};

void framing_fields_init(struct framing_fields *f);

/* What libmicrohttpd adds to a request's memory for its first Cookie field
 * of value[0..len): a copy and a record per cookie (APIM_HEAD_MEMORY). The
 * answer's header block is built beside it (runtime/server.c). */
size_t framing_cookie_cost(const char *value, size_t len);

/* One field as parsed (name without the colon, value without surrounding
 * whitespace): 400 for a name that is not a token or a value with a control
 * character other than HTAB (bare CR, NUL, DEL ...), for a Content-Length
 * that is not digits or differs from an earlier one; 431 past
 * APIM_MAX_REQUEST_FIELDS fields or APIM_MAX_REQUEST_FIELD_BYTES bytes. */
enum framing_verdict framing_fields_add(struct framing_fields *f, const char *name, size_t nlen,
                                        const char *value, size_t vlen, const char **reason);

/* After the last field: 400 for Transfer-Encoding together with
 * Content-Length, and for any Transfer-Encoding but one lone "chunked"
 * (RFC 9112 6.1-6.3: the body's end cannot be known for sure). */
enum framing_verdict framing_fields_end(const struct framing_fields *f, const char **reason);

/* The first request head in buf[0..len) (request line, fields, empty line):
 * FRAMING_OK once a complete head passed every rule above and the raw ones
 * (no NUL, no bare CR, no obs-fold, no whitespace before a colon, a request
 * line of method SP target SP HTTP/d.d); FRAMING_MORE while what is there is
 * a valid beginning. Bytes that cannot begin a request (a TLS ClientHello)
 * are FRAMING_BAD at once. Framing headers (Content-Length,
 * Transfer-Encoding) are judged as well. */
enum framing_verdict framing_scan_head(const char *buf, size_t len, const char **reason);

/* A complete head that framing_scan_request passed: its length in bytes
 * (leading empty lines included) and how its body is framed. */
struct framing_head {
    size_t length;
    bool chunked;         /* Transfer-Encoding: chunked */
    uint64_t body_length; /* otherwise: Content-Length, 0 without one */
    size_t memory;        /* as APIM_HEAD_MEMORY counts it (at most that) */
};

/* framing_scan_head, which on FRAMING_OK also says where the head ends and
 * how its body is framed. */
enum framing_verdict framing_scan_request(const char *buf, size_t len, struct framing_head *head,
                                          const char **reason);

/* A connection's request bytes walked in order: where the walk stands. */
struct framing_stream {
    int phase;          /* a head, a body, a chunk's line, data or end, trailers */
    uint64_t left;      /* body or chunk data bytes still to come */
    size_t head_memory; /* the current request's head (trailers share its room) */
};

void framing_stream_init(struct framing_stream *s);

/* Walks buf[0..len), the bytes that follow what earlier walks took, and
 * returns how many of them, from the start, are taken: whole heads that
 * passed framing_scan_request, body and chunk data bytes, whole chunk lines
 * and trailer sections that passed their own checks (RFC 9112 7.1: hex
 * size, extensions without control characters, fields as in a head).
 * *v is FRAMING_OK when all of buf was taken. Otherwise the walk stopped at
 * the returned offset:
 * - FRAMING_MORE: a head, chunk line or trailer section starts there and is
 *   not complete; walk it again, whole, with more bytes behind it;
 * - a refusal (*reason set): the bytes from there are refused, and so is
 *   the rest of the connection (walk no more).
 * Cost is linear in len; a unit offered again is scanned again (at most
 * FRAMING_HEAD_MAX bytes, FRAMING_CHUNK_LINE_MAX for a chunk line). */
size_t framing_stream_walk(struct framing_stream *s, const char *buf, size_t len,
                           enum framing_verdict *v, const char **reason);

/* The longest chunk line (size and extensions) taken. */
#define FRAMING_CHUNK_LINE_MAX 4096u

/* The bytes framing_scan_head needs at most to reach a verdict. */
#define FRAMING_HEAD_MAX (APIM_MAX_REQUEST_TARGET + APIM_MAX_REQUEST_FIELD_BYTES + 256u)

#endif
