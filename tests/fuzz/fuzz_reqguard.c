/* libFuzzer target: the request guard (runtime/reqguard.c) between a
 * socket and its reader. The input's first bytes choose how the rest is cut
 * into the client's writes and how big each read is; the rest is the
 * client's bytes. Through a non-blocking socket pair, the reader calls
 * recv() as libmicrohttpd does until the end. Besides crashes and sanitizer
 * reports, these are bugs:
 * - the bytes handed on are not exactly the bytes a single walk over the
 *   whole input takes (framing_stream_walk): nothing more, nothing less,
 *   in order;
 * - a refusal not answered exactly once, or with another status than the
 *   whole walk's;
 * - an answer when the whole walk found nothing to refuse;
 * - a read that returns more than asked, or fewer than asked while the
 *   socket still holds bytes that could be handed on. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "reqguard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int answers, answered_status;

static void on_answer(void *ctx, struct reqguard *g, int status, const char *reason)
{
    (void)ctx;
    (void)g;
    if (reason == NULL)
        abort();
    answers++;
    answered_status = status;
}

static void on_held(void *ctx, struct reqguard *g)
{
    (void)ctx;
    (void)g;
}

/* What one whole walk takes of the input, and its verdict. */
static size_t whole_walk(const char *p, size_t n, enum framing_verdict *v)
{
    struct framing_stream fs;
    framing_stream_init(&fs);
    const char *reason = NULL;
    return framing_stream_walk(&fs, p, n, v, &reason);
}

struct run {
    int sv[2];
    const char *in;
    size_t len, sent;
    unsigned write_size, read_size;
    char *got;
    size_t got_len;
};

/* The client writes its next piece; false once everything is sent (its
 * side is then shut, so the reader sees the end). */
static bool client_writes(struct run *r)
{
    if (r->sent == r->len)
        return false;
    size_t n = r->len - r->sent < r->write_size ? r->len - r->sent : r->write_size;
    ssize_t w = write(r->sv[1], r->in + r->sent, n);
    if (w <= 0)
        abort(); /* the pair's buffer holds far more than an input */
    r->sent += (size_t)w;
    if (r->sent == r->len)
        shutdown(r->sv[1], SHUT_WR);
    return true;
}

/* Reads as libmicrohttpd does until the end of the stream. */
static void reader_reads(struct run *r, const struct reqguard *g)
{
    char buf[70000];
    for (int guard = 0; guard < 1000000; guard++) {
        size_t want = r->read_size;
        ssize_t n = recv(r->sv[0], buf, want, 0);
        if (n > (ssize_t)want)
            abort();
        if (n > 0) {
            memcpy(r->got + r->got_len, buf, (size_t)n);
            r->got_len += (size_t)n;
            /* short: the socket had no more (or a refusal waits) */
            char one;
            if ((size_t)n < want && !g->refused &&
                recv(r->sv[0], &one, 1, MSG_PEEK | MSG_DONTWAIT) > 0)
                abort();
            continue;
        }
        if (n == 0)
            return;
        if (errno != EAGAIN)
            abort();
        if (!client_writes(r))
            return; /* cannot happen: the shut side reads as the end */
    }
    abort(); /* no end */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 65536)
        return 0;
    struct run r = { .write_size = 1u + (unsigned)data[0] * 37u,
                     .read_size = 1u + (unsigned)data[1] * 53u,
                     .in = (const char *)data + 2,
                     .len = size - 2 };
    /* At most 64 writes and 512 reads an input: runs stay fast. */
    if (r.write_size < r.len / 64)
        r.write_size = (unsigned)(r.len / 64);
    if (r.read_size < r.len / 512)
        r.read_size = (unsigned)(r.len / 512);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, r.sv) != 0)
        return 0;
    int big = 1 << 20;
    setsockopt(r.sv[1], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
    fcntl(r.sv[0], F_SETFL, O_NONBLOCK);
    struct reqguard_table t;
    struct reqguard g;
    reqguard_table_init(&t, on_answer, on_held, NULL);
    reqguard_bind(&t);
    reqguard_watch(&t, &g, r.sv[0]);
    answers = answered_status = 0;
    r.got = malloc(r.len + 1);
    (void)client_writes(&r);
    reader_reads(&r, &g);
    enum framing_verdict v;
    size_t taken = whole_walk(r.in, r.len, &v);
    bool refused = v != FRAMING_OK && v != FRAMING_MORE;
    if (r.got_len != taken || memcmp(r.got, r.in, taken) != 0)
        abort();
    if (answers != (refused ? 1 : 0) || (refused && answered_status != framing_status(v)))
        abort();
    free(r.got);
    reqguard_unwatch(&t, &g);
    reqguard_bind(NULL);
    reqguard_table_release(&t);
    close(r.sv[0]);
    close(r.sv[1]);
    return 0;
}
