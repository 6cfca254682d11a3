/* deadline.h - the deadlines of client connections that are sending a
 * request (nginx's client_header_timeout and client_body_timeout):
 *
 *   phase            deadline                              counts from
 *   DEADLINE_HEAD    head_ms: the whole head must arrive   accept, or the first byte of a
 *                                                          later head on a kept-alive connection
 *   DEADLINE_BODY    body_ms between two reads of the body the head's end, then each read
 *   DEADLINE_IDLE    idle_ms + head_ms                     the end of the previous request
 *   DEADLINE_NONE    none: a request in flight or answered
 *
 * DEADLINE_IDLE is a kept-alive connection between requests; the first
 * byte of its next head moves it to DEADLINE_HEAD (the request guard sees
 * it, reqguard.h). An idle connection that sends nothing is closed earlier
 * than this deadline, by the server's idle timeout.
 *
 * Every phase's deadline is a fixed time after the moment a connection
 * entered it, so each phase is a FIFO list in deadline order: entering a
 * phase appends, a read of the body moves the connection to the tail, and
 * only list heads are ever looked at. Every operation is O(1).
 * Time is a parameter (milliseconds, monotonic): the module reads no clock.
 * Ownership: the caller owns each struct deadline_conn and keeps it alive
 * while it is in a set (deadline_leave before freeing it).
 */
#ifndef APIM_RUNTIME_DEADLINE_H
#define APIM_RUNTIME_DEADLINE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "gw.h"

enum deadline_phase {
    DEADLINE_NONE,
    DEADLINE_HEAD,
    DEADLINE_BODY,
    DEADLINE_IDLE,
    DEADLINE_NPHASES
};

struct deadline_conn {
    struct deadline_conn *prev, *next;
    enum deadline_phase phase;
    int64_t since_ms; /* when it entered the phase (BODY: the last read) */
};

struct deadline_timeouts {
    int64_t head_ms, body_ms, idle_ms;
};

struct deadline_set {
    struct deadline_timeouts t;
    struct deadline_conn *head[DEADLINE_NPHASES], *tail[DEADLINE_NPHASES];
    size_t count[DEADLINE_NPHASES];
    uint64_t expired[DEADLINE_NPHASES]; /* connections past their deadline, by phase */
};

void deadline_set_init(struct deadline_set *s, const struct deadline_timeouts *t);

/* Puts c (new: zeroed) into phase p as of now, at the tail of its list;
 * DEADLINE_NONE takes it out of every list. Entering the phase c is in
 * starts its clock again (a read of the body). */
void deadline_enter(struct deadline_set *s, struct deadline_conn *c, enum deadline_phase p,
                    int64_t now_ms);

/* The same as deadline_enter(s, c, DEADLINE_NONE, 0). */
void deadline_leave(struct deadline_set *s, struct deadline_conn *c);

/* When c's deadline is (ms), or -1 in DEADLINE_NONE. */
int64_t deadline_of(const struct deadline_set *s, const struct deadline_conn *c);

/* Milliseconds from now until the earliest deadline (0 if past), or -1. */
int64_t deadline_next_ms(const struct deadline_set *s, int64_t now_ms);

/* A connection whose deadline has passed, taken out of its list and
 * counted in expired[] under the phase it was in (returned in *was), or
 * NULL when none is due. IDLE counts as HEAD: a head that came too slowly. */
struct deadline_conn *deadline_pop_expired(struct deadline_set *s, int64_t now_ms,
                                           enum deadline_phase *was);

/* Any connection in a phase (not counted as expired), or NULL: to close
 * every connection not in flight when the server stops. */
struct deadline_conn *deadline_pop_any(struct deadline_set *s);

/* The bytes of resp as a whole HTTP/1.1 answer that closes the connection
 * (status line, Date of unix_s, resp's headers, Content-Length,
 * "Connection: close", the body), for a connection the server cuts outside
 * libmicrohttpd's request cycle. 0, or -1 if it does not fit out's cap. */
int deadline_answer(struct buf *out, const struct gw_response *resp, time_t unix_s)
    __attribute__((warn_unused_result));

/* deadline_answer of API Management's error for status (pipeline_error:
 * 400, 408, 414, 431, 505 ...) with its reason. */
int deadline_refusal(struct buf *out, int status, const char *reason, time_t unix_s)
    __attribute__((warn_unused_result));

#endif
