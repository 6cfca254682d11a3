#include "clientwatch.h"

#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>

#include "buf.h"

struct clientwatch_entry {
    struct loop_watch w;
    struct clientwatch *cw;
    int fd; /* -1 once stopped */
    clientwatch_fn fn;
    void *ctx;
    struct clientwatch_entry *next; /* all entries, for clientwatch_free */
    struct clientwatch_entry *next_free;
};

struct clientwatch {
    struct loop *loop;
    struct clientwatch_entry *all, *free_list;
};

struct clientwatch *clientwatch_new(struct loop *l)
{
    struct clientwatch *cw = xcalloc(1, sizeof(*cw));
    cw->loop = l;
    return cw;
}

void clientwatch_free(struct clientwatch *cw)
{
    if (cw == NULL)
        return;
    while (cw->all) {
        struct clientwatch_entry *e = cw->all;
        cw->all = e->next;
        free(e);
    }
    free(cw);
}

bool clientwatch_peer_gone(int fd)
{
    struct pollfd p = { fd, POLLRDHUP, 0 };
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
}

/* An event may arrive for an entry stopped (and even reused) earlier in the
 * same batch of events: the socket's own state decides. */
static void on_event(void *ctx, uint32_t events)
{
    (void)events;
    struct clientwatch_entry *e = ctx;
    if (e->fd < 0 || !clientwatch_peer_gone(e->fd))
        return;
    clientwatch_fn fn = e->fn;
    void *fctx = e->ctx;
    clientwatch_stop(e->cw, e);
    fn(fctx);
}

struct clientwatch_entry *clientwatch_start(struct clientwatch *cw, int fd, clientwatch_fn fn,
                                            void *ctx)
{
    struct clientwatch_entry *e = cw->free_list;
    if (e) {
        cw->free_list = e->next_free;
    } else {
        e = xcalloc(1, sizeof(*e));
        e->next = cw->all;
        cw->all = e;
    }
    e->w = (struct loop_watch){ on_event, e };
    e->cw = cw;
    e->fd = fd;
    e->fn = fn;
    e->ctx = ctx;
    if (loop_add(cw->loop, fd, EPOLLRDHUP, &e->w) != 0) {
        e->fd = -1;
        e->next_free = cw->free_list;
        cw->free_list = e;
        return NULL;
    }
    return e;
}

void clientwatch_stop(struct clientwatch *cw, struct clientwatch_entry *e)
{
    if (e == NULL || e->fd < 0)
        return;
    (void)loop_del(cw->loop, e->fd);
    e->fd = -1;
    e->next_free = cw->free_list;
    cw->free_list = e;
}
