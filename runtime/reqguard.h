/* reqguard.h - every request a client connection sends is judged on its raw
 * bytes before libmicrohttpd parses it, not only the first.
 *
 * Why this exists: libmicrohttpd 0.9.75 reads a kept-alive connection's
 * later requests itself, and has no hook before it parses them. Its parser
 * cuts a value at a NUL and forwards the rest, glues a folded line onto the
 * field's name, and answers ": v" or an over-long head with its own HTML
 * page and a reset. The first head of a connection is judged by the intake
 * (runtime/intake.c) before libmicrohttpd gets the socket; for the rest,
 * this module defines recv(): libmicrohttpd calls recv() through the
 * dynamic linker, so it reaches the executable's definition first (ELF
 * symbol interposition, the mechanism malloc replacements use).
 * reqguard_interposed says whether that holds in this build; the gateway
 * refuses to start when it does not (nothing passes silently).
 *
 * For a socket that is watched (reqguard_watch) on the calling thread, a
 * read walks the bytes with framing_stream_walk (framing.h) and hands
 * libmicrohttpd only what was taken: whole heads that passed, body bytes,
 * whole chunk lines. A head still arriving is held here (up to
 * FRAMING_HEAD_MAX bytes) until it is whole. A refused request is answered
 * here - the answer callback writes the status with API Management's JSON
 * body and Connection: close - after every request before it on the
 * connection was answered, and the read then reports the end of the stream
 * so libmicrohttpd closes the connection. Every other socket, and every
 * recv with flags, goes to the system unchanged (recvfrom).
 *
 * The cost on a request that passes: the walk over its head (linear) and
 * one table lookup per read; no allocation and no extra system call. A
 * head split across reads costs one copy into the held buffer (allocated
 * then, freed when it is handed on).
 *
 * Threads: a table belongs to one thread - the thread that runs the
 * libmicrohttpd daemon whose sockets it watches - and reqguard_bind makes
 * it that thread's. Sockets are watched from accept to before their close
 * (libmicrohttpd's connection notifier), on that thread.
 */
#ifndef APIM_RUNTIME_REQGUARD_H
#define APIM_RUNTIME_REQGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "framing.h"

struct reqguard;

/* Writes a refusal to g's socket: the status (400, 414, 431 or 505), its
 * JSON body and Connection: close. The connection's earlier requests were
 * all answered, but for one whose chunked body was refused while it was
 * being read: that request ends there, and this is its answer. Nothing else
 * writes to the socket until it closes. */
typedef void (*reqguard_answer_fn)(void *ctx, struct reqguard *g, int status, const char *reason);

/* The beginning of a head (or of a chunk line or trailer section) came and
 * is held until it is whole: for a connection idle between requests, the
 * next request's head has begun (its deadline starts). */
typedef void (*reqguard_held_fn)(void *ctx, struct reqguard *g);

/* One watched socket's state; lives in its owner's connection record. */
struct reqguard {
    struct framing_stream stream;
    int fd;
    char *held;         /* bytes read, not yet handed on: NULL when none */
    size_t held_len;    /* of which the first ready were taken by the walk */
    size_t ready;       /* and the rest begins a unit not yet whole */
    int refused;        /* the refusal's status, 0 while none */
    const char *reason; /* the refusal's reason */
    bool answered;      /* the refusal was written */
    bool shut_read;     /* the read side was shut to bring libmicrohttpd back */
};

struct reqguard_table {
    struct reqguard **slots; /* by socket */
    size_t nslots;
    reqguard_answer_fn answer;
    reqguard_held_fn held;
    void *ctx;
    uint64_t refused; /* requests refused, since the table was made */
};

void reqguard_table_init(struct reqguard_table *t, reqguard_answer_fn answer, reqguard_held_fn held,
                         void *ctx);
void reqguard_table_release(struct reqguard_table *t);

/* From now on, recv on this thread consults t (NULL: none). */
void reqguard_bind(struct reqguard_table *t);

/* Watches fd (a new client connection, nothing read from it yet but what
 * the intake peeked) through g until reqguard_unwatch. */
void reqguard_watch(struct reqguard_table *t, struct reqguard *g, int fd);
void reqguard_unwatch(struct reqguard_table *t, struct reqguard *g);

/* True once g refused a request behind requests not yet answered: the
 * guard shut the socket's read side itself (a client watch must not take
 * that for the client leaving). */
bool reqguard_shut_read(const struct reqguard *g);

/* True while g holds the beginning of a unit not yet whole: after a
 * request's answer, the next head has begun (its deadline runs). */
bool reqguard_holding(const struct reqguard *g);

/* True when libraries' calls to recv() reach this module's. */
bool reqguard_interposed(void);

#endif
