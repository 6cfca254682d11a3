#include "intake.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "deadline.h"
#include "fdio.h"
#include "framing.h"
#include "log.h"
#include "pipeline.h"

struct conn {
    struct intake *in;
    struct loop_watch watch;
    int fd; /* -1 once closed (its event may still be in the loop's batch) */
    bool lingering;
    size_t drained;
    int64_t deadline_ms;
    struct sockaddr_storage addr;
    unsigned addrlen;
    struct conn *prev, *next;
};

struct intake {
    struct loop *loop;
    struct intake_options o;
    intake_pass_fn pass;
    void *ctx;
    int timer_fd;
    struct loop_watch timer_watch;
    bool ticking;
    struct conn *head;
    struct conn *dead; /* closed by the timer: freed at its next tick */
    size_t count;
    size_t lingering;   /* of count: answered, being closed */
    uint64_t timed_out; /* heads not whole by the deadline (answered 408) */
    uint64_t refused;   /* first heads refused (400, 414, 431) */
    struct log_limit refusal_log;
    char peek[FRAMING_HEAD_MAX + 1];
};

/* The timer's period: deadlines are kept to this precision. */
#define INTAKE_TICK_MS 100
/* A refused client's further bytes read and dropped at most. */
#define INTAKE_DRAIN_MAX (1u << 20)

/* ---- the list ---- */

static void unlink_conn(struct intake *in, struct conn *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        in->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    in->count--;
    if (c->lingering)
        in->lingering--;
}

static void close_conn(struct conn *c)
{
    (void)loop_del(c->in->loop, c->fd);
    close(c->fd);
    c->fd = -1;
    unlink_conn(c->in, c);
}

/* Arms the periodic timer while connections are held. */
static void tick(struct intake *in, bool on)
{
    if (on == in->ticking)
        return;
    struct itimerspec t = { 0 };
    if (on)
        t.it_value.tv_nsec = t.it_interval.tv_nsec = INTAKE_TICK_MS * 1000000L;
    if (timerfd_settime(in->timer_fd, 0, &t, NULL) == 0)
        in->ticking = on;
}

/* ---- refusing ---- */

/* Sends the answer, shuts the write side and reads what still comes for
 * linger_ms (closing at once would reset the connection and could lose the
 * answer: RFC 9112 9.6). */
static void answer(struct conn *c, int status, const char *reason)
{
    struct buf out;
    buf_init(&out, 4096);
    /* A fresh socket's buffer takes these few hundred bytes; if not, the
     * client sent a flood without reading and gets the close. */
    if (deadline_refusal(&out, status, reason, time(NULL)) == 0)
        (void)send(c->fd, out.data, out.len, MSG_NOSIGNAL);
    buf_release(&out);
    (void)shutdown(c->fd, SHUT_WR);
    c->lingering = true;
    c->in->lingering++;
    c->deadline_ms = loop_now_ms() + c->in->o.linger_ms;
}

/* Not in the access log (no request was read); in the gateway's log
 * within a limit, as a flood of garbage must not flood it. */
static void refuse(struct conn *c, enum framing_verdict v, const char *reason)
{
    char ip[64];
    if (!sockaddr_ip((const struct sockaddr *)&c->addr, ip, sizeof(ip)))
        snprintf(ip, sizeof(ip), "?");
    c->in->refused++;
    log_limited(&c->in->refusal_log, LOG_LEVEL_INFO,
                "refused a connection's first request from %s: %d %s", ip, framing_status(v),
                reason ? reason : "BadRequest");
    answer(c, framing_status(v), reason ? reason : "BadRequest");
}

/* Reads and drops; true once the connection is done (EOF, error, enough). */
static bool drain(struct conn *c)
{
    char *scratch = c->in->peek;
    while (c->drained < INTAKE_DRAIN_MAX) {
        ssize_t n = recv(c->fd, scratch, sizeof(c->in->peek), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return false;
        if (n <= 0)
            return true;
        c->drained += (size_t)n;
    }
    return true;
}

/* ---- one connection ---- */

static void linger_step(struct conn *c)
{
    if (drain(c)) {
        close_conn(c);
        free(c);
    }
}

static void pass_on(struct conn *c)
{
    struct intake *in = c->in;
    (void)loop_del(in->loop, c->fd);
    int fd = c->fd;
    c->fd = -1;
    unlink_conn(in, c);
    in->pass(in->ctx, fd, &c->addr, c->addrlen);
    free(c);
}

/* Looks at what the client sent so far (left in the socket for the next
 * reader): pass on, refuse, wait, or close (the client went away). */
static void look(struct conn *c, uint32_t events)
{
    ssize_t n = recv(c->fd, c->in->peek, sizeof(c->in->peek), MSG_PEEK);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        close_conn(c);
        free(c);
        return;
    }
    const char *reason = NULL;
    enum framing_verdict v = framing_scan_head(c->in->peek, (size_t)n, &reason);
    if (v == FRAMING_MORE && (size_t)n == sizeof(c->in->peek)) {
        v = FRAMING_FIELDS_TOO_LARGE; /* cannot happen: a verdict comes sooner */
        reason = "HeaderFieldsTooLarge";
    }
    if (v == FRAMING_OK) {
        pass_on(c);
    } else if (v != FRAMING_MORE) {
        refuse(c, v, reason);
        linger_step(c); /* all of it may be in already */
    } else if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        close_conn(c); /* half a head, and no more will come */
        free(c);
    }
}

static void on_event(void *ctx, uint32_t events)
{
    struct conn *c = ctx;
    if (c->fd < 0)
        return; /* closed by the timer earlier in this turn of the loop */
    if (c->lingering)
        linger_step(c);
    else
        look(c, events);
}

/* Frees what the previous tick closed (its events are past now), then
 * closes the connections whose time is up. */
static void on_timer(void *ctx, uint32_t events)
{
    (void)events;
    struct intake *in = ctx;
    uint64_t expirations;
    if (read(in->timer_fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
        log_msg(LOG_LEVEL_WARN, "intake timer: %s", strerror(errno));
    while (in->dead) {
        struct conn *c = in->dead;
        in->dead = c->next;
        free(c);
    }
    int64_t now = loop_now_ms();
    for (struct conn *c = in->head, *next; c; c = next) {
        next = c->next;
        if (now < c->deadline_ms)
            continue;
        if (!c->lingering) { /* nginx's client_header_timeout: 408, then close */
            in->timed_out++;
            answer(c, 408, "RequestTimeout");
            continue;
        }
        close_conn(c);
        c->next = in->dead;
        in->dead = c;
    }
    tick(in, in->count > 0 || in->dead != NULL);
}

/* ---- the intake ---- */

struct intake *intake_new(struct loop *l, const struct intake_options *o, intake_pass_fn pass,
                          void *ctx)
{
    struct intake *in = xcalloc(1, sizeof(*in));
    in->loop = l;
    in->o = *o;
    in->pass = pass;
    in->ctx = ctx;
    in->timer_watch = (struct loop_watch){ on_timer, in };
    in->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (in->timer_fd < 0 || loop_add(l, in->timer_fd, EPOLLIN, &in->timer_watch) != 0) {
        int err = errno;
        if (in->timer_fd >= 0)
            close(in->timer_fd);
        free(in);
        errno = err;
        return NULL;
    }
    return in;
}

void intake_free(struct intake *in)
{
    if (in == NULL)
        return;
    while (in->head) {
        struct conn *c = in->head;
        close_conn(c);
        free(c);
    }
    while (in->dead) {
        struct conn *c = in->dead;
        in->dead = c->next;
        free(c);
    }
    (void)loop_del(in->loop, in->timer_fd);
    close(in->timer_fd);
    free(in);
}

void intake_add(struct intake *in, int fd, const void *addr, unsigned addrlen)
{
    struct conn *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->fd = fd;
    c->watch = (struct loop_watch){ on_event, c };
    c->addrlen = addrlen < sizeof(c->addr) ? addrlen : (unsigned)sizeof(c->addr);
    memcpy(&c->addr, addr, c->addrlen);
    c->deadline_ms = loop_now_ms() + in->o.head_timeout_ms;
    if (loop_add(in->loop, fd, EPOLLIN | EPOLLRDHUP | EPOLLET, &c->watch) != 0) {
        log_msg(LOG_LEVEL_WARN, "cannot watch a new connection: %s", strerror(errno));
        close(fd);
        free(c);
        return;
    }
    c->next = in->head;
    if (in->head)
        in->head->prev = c;
    in->head = c;
    in->count++;
    tick(in, true);
}

size_t intake_connections(const struct intake *in)
{
    return in->count;
}

void intake_stats(const struct intake *in, size_t *heads, uint64_t *timed_out, uint64_t *refused)
{
    *heads = in->count - in->lingering;
    *timed_out = in->timed_out;
    *refused = in->refused;
}

void intake_close_all(struct intake *in)
{
    while (in->head) {
        struct conn *c = in->head;
        close_conn(c);
        c->next = in->dead; /* its event may still be in this turn's batch */
        in->dead = c;
    }
}
