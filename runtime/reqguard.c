/* Defining recv() below must not meet glibc's fortified inline one. */
#undef _FORTIFY_SOURCE
#include "reqguard.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"

/* Room for a unit that is not whole yet: the walk reaches a verdict on
 * any unit within FRAMING_HEAD_MAX bytes. */
#define HELD_MAX (FRAMING_HEAD_MAX + 1)

static _Thread_local struct reqguard_table *bound;

void reqguard_table_init(struct reqguard_table *t, reqguard_answer_fn answer, reqguard_held_fn held,
                         void *ctx)
{
    memset(t, 0, sizeof(*t));
    t->answer = answer;
    t->held = held;
    t->ctx = ctx;
}

void reqguard_table_release(struct reqguard_table *t)
{
    free(t->slots);
    t->slots = NULL;
    t->nslots = 0;
}

void reqguard_bind(struct reqguard_table *t)
{
    bound = t;
}

void reqguard_watch(struct reqguard_table *t, struct reqguard *g, int fd)
{
    memset(g, 0, sizeof(*g));
    framing_stream_init(&g->stream);
    g->fd = fd;
    if (fd < 0)
        return;
    if ((size_t)fd >= t->nslots) {
        size_t n = t->nslots ? t->nslots : 256;
        while (n <= (size_t)fd)
            n *= 2;
        t->slots = xrealloc(t->slots, n * sizeof(*t->slots));
        memset(t->slots + t->nslots, 0, (n - t->nslots) * sizeof(*t->slots));
        t->nslots = n;
    }
    t->slots[fd] = g;
}

void reqguard_unwatch(struct reqguard_table *t, struct reqguard *g)
{
    if (g->fd >= 0 && (size_t)g->fd < t->nslots && t->slots[g->fd] == g)
        t->slots[g->fd] = NULL;
    free(g->held);
    g->held = NULL;
    g->held_len = g->ready = 0;
    g->fd = -1;
}

bool reqguard_shut_read(const struct reqguard *g)
{
    return g->shut_read;
}

bool reqguard_holding(const struct reqguard *g)
{
    return g->held != NULL && g->refused == 0;
}

bool reqguard_interposed(void)
{
    void *found = dlsym(RTLD_DEFAULT, "recv");
    ssize_t (*mine)(int, void *, size_t, int) = recv;
    return sizeof(found) == sizeof(mine) && memcmp(&found, &mine, sizeof(found)) == 0;
}

/* ---- one read ---- */

static void refuse(struct reqguard *g, enum framing_verdict v, const char *reason)
{
    g->refused = framing_status(v);
    g->reason = reason ? reason : "BadRequest";
    g->held_len = g->ready; /* what follows the refused bytes is never handed on */
    if (g->held_len == 0) {
        free(g->held);
        g->held = NULL;
    }
}

/* Hands on at most room of the held bytes the walk took. */
static size_t give_ready(struct reqguard *g, char *buf, size_t room)
{
    size_t m = g->ready < room ? g->ready : room;
    if (m == 0)
        return 0;
    memcpy(buf, g->held, m);
    memmove(g->held, g->held + m, g->held_len - m);
    g->held_len -= m;
    g->ready -= m;
    if (g->held_len == 0) {
        free(g->held);
        g->held = NULL;
    }
    return m;
}

/* n new bytes read straight into libmicrohttpd's buffer: what the walk
 * takes stays there (returned), a unit not yet whole is held. */
static size_t walk_direct(struct reqguard_table *t, struct reqguard *g, const char *buf, size_t n)
{
    enum framing_verdict v;
    const char *reason = NULL;
    size_t taken = framing_stream_walk(&g->stream, buf, n, &v, &reason);
    if (v == FRAMING_MORE && n - taken < HELD_MAX) {
        g->held = xmalloc(HELD_MAX);
        memcpy(g->held, buf + taken, n - taken);
        g->held_len = n - taken;
        g->ready = 0;
        t->held(t->ctx, g);
    } else if (v != FRAMING_OK) {
        refuse(g, v == FRAMING_MORE ? FRAMING_FIELDS_TOO_LARGE : v,
               v == FRAMING_MORE ? "HeaderFieldsTooLarge" : reason);
    }
    return taken;
}

/* New bytes behind a held unit: the walk starts again at the unit. */
static void walk_held(struct reqguard *g)
{
    enum framing_verdict v;
    const char *reason = NULL;
    g->ready = framing_stream_walk(&g->stream, g->held, g->held_len, &v, &reason);
    /* Full with one unit not yet whole: cannot happen, a verdict comes
     * sooner. (Full behind taken bytes is fine: they go first, and the
     * unit moves to the front.) */
    if (v == FRAMING_MORE && g->ready == 0 && g->held_len == HELD_MAX)
        refuse(g, FRAMING_FIELDS_TOO_LARGE, "HeaderFieldsTooLarge");
    else if (v != FRAMING_OK && v != FRAMING_MORE)
        refuse(g, v, reason);
}

/* The refusal, once: every request before it was answered (libmicrohttpd
 * reads only when it needs a request's next bytes). The end of the stream
 * that follows makes libmicrohttpd close the connection. */
static ssize_t answer_refusal(struct reqguard_table *t, struct reqguard *g)
{
    if (!g->answered) {
        g->answered = true;
        t->refused++;
        t->answer(t->ctx, g, g->refused, g->reason);
    }
    return 0;
}

/* A read for libmicrohttpd. It returns fewer bytes than asked only once
 * the socket had no more (libmicrohttpd then waits for the socket's next
 * event before it reads again, and one comes with the next bytes). */
static ssize_t guarded_recv(struct reqguard_table *t, struct reqguard *g, char *buf, size_t len)
{
    size_t out = 0;
    bool empty = false;
    for (;;) {
        out += give_ready(g, buf + out, len - out);
        if (out == len)
            return (ssize_t)out;
        if (g->refused && out == 0)
            return answer_refusal(t, g);
        if (g->refused) {
            /* The requests before the refused one go on first; shutting the
             * read side gives the socket the event that brings
             * libmicrohttpd back once it answered them. */
            if (!g->shut_read)
                g->shut_read = shutdown(g->fd, SHUT_RD) == 0;
            return (ssize_t)out;
        }
        if (empty)
            break;
        size_t asked;
        ssize_t n;
        if (g->held) {
            asked = HELD_MAX - g->held_len;
            n = recvfrom(g->fd, g->held + g->held_len, asked, 0, NULL, NULL);
            if (n > 0) {
                g->held_len += (size_t)n;
                walk_held(g);
            }
        } else {
            asked = len - out;
            n = recvfrom(g->fd, buf + out, asked, 0, NULL, NULL);
            if (n > 0)
                out += walk_direct(t, g, buf + out, (size_t)n);
        }
        if (n <= 0)
            return out > 0 ? (ssize_t)out : n; /* errno is recvfrom's */
        empty = (size_t)n < asked;
    }
    if (out > 0)
        return (ssize_t)out;
    errno = EAGAIN; /* only a unit's beginning came: wait for the rest */
    return -1;
}

/* Every recv() of the process comes here (reqguard.h). */
ssize_t recv(int fd, void *buf, size_t len, int flags)
{
    struct reqguard_table *t = bound;
    if (t == NULL || flags != 0 || fd < 0 || (size_t)fd >= t->nslots || t->slots[fd] == NULL)
        return recvfrom(fd, buf, len, flags, NULL, NULL);
    return guarded_recv(t, t->slots[fd], buf, len);
}
