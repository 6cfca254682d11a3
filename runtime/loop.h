/* loop.h - one epoll event loop per worker thread. libmicrohttpd's epoll fd
 * and libcurl's sockets live in the same set, so a worker never blocks on
 * anything but epoll_wait.
 * Ownership: the caller owns each struct loop_watch and keeps it alive while
 * it is registered. Errors: loop_* return -1 with errno set.
 */
#ifndef APIM_RUNTIME_LOOP_H
#define APIM_RUNTIME_LOOP_H

#include <stdint.h>

struct loop_watch {
    void (*fn)(void *ctx, uint32_t events); /* EPOLLIN | EPOLLOUT | EPOLLERR ... */
    void *ctx;
};

struct loop {
    int epfd;
};

int loop_init(struct loop *l);
void loop_release(struct loop *l);

int loop_add(struct loop *l, int fd, uint32_t events, struct loop_watch *w);
int loop_mod(struct loop *l, int fd, uint32_t events, struct loop_watch *w);
int loop_del(struct loop *l, int fd);

/* Waits up to timeout_ms (-1: forever) and runs the watches that fired.
 * Returns the number of events, or -1 (EINTR is not an error: 0). */
int loop_run_once(struct loop *l, int timeout_ms);

/* Monotonic milliseconds, and microseconds. */
int64_t loop_now_ms(void);
int64_t loop_now_us(void);

#endif
