#include "loop.h"

#include <errno.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

int loop_init(struct loop *l)
{
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    return l->epfd < 0 ? -1 : 0;
}

void loop_release(struct loop *l)
{
    if (l->epfd >= 0)
        close(l->epfd);
    l->epfd = -1;
}

static int ctl(struct loop *l, int op, int fd, uint32_t events, struct loop_watch *w)
{
    struct epoll_event ev = { .events = events, .data.ptr = w };
    return epoll_ctl(l->epfd, op, fd, &ev);
}

int loop_add(struct loop *l, int fd, uint32_t events, struct loop_watch *w)
{
    return ctl(l, EPOLL_CTL_ADD, fd, events, w);
}

int loop_mod(struct loop *l, int fd, uint32_t events, struct loop_watch *w)
{
    return ctl(l, EPOLL_CTL_MOD, fd, events, w);
}

int loop_del(struct loop *l, int fd)
{
    return epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
}

int loop_run_once(struct loop *l, int timeout_ms)
{
    struct epoll_event evs[64];
    int n = epoll_wait(l->epfd, evs, 64, timeout_ms);
    if (n < 0)
        return errno == EINTR ? 0 : -1;
    for (int i = 0; i < n; i++) {
        struct loop_watch *w = evs[i].data.ptr;
        w->fn(w->ctx, evs[i].events);
    }
    return n;
}

int64_t loop_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t loop_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
