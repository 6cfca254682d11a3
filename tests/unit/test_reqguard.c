/* Unit tests for runtime/reqguard.c over a non-blocking socket pair: the
 * recv() a library calls is this module's, it hands on whole heads and
 * body bytes, holds a head until it is whole (EAGAIN meanwhile, as the
 * socket would say), hands on the requests before a refused one and then
 * answers the refusal once and reports the end of the stream; sockets that
 * are not watched, and recv with flags, read as the system does. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cunit_run.h"
#include "log.h"
#include "reqguard.h"

static struct reqguard_table table;
static struct reqguard guard;
static int sv[2]; /* sv[0]: the gateway's end, watched; sv[1]: the client's */
static int answers, answered_status, held_events;
static const char *answered_reason;

static void on_answer(void *ctx, struct reqguard *g, int status, const char *reason)
{
    (void)ctx;
    CU_ASSERT_PTR_EQUAL(g, &guard);
    CU_ASSERT_EQUAL(g->fd, sv[0]);
    answers++;
    answered_status = status;
    answered_reason = reason;
}

static void on_held(void *ctx, struct reqguard *g)
{
    (void)ctx;
    CU_ASSERT_PTR_EQUAL(g, &guard);
    held_events++;
}

static void open_pair(void)
{
    CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    CU_ASSERT_EQUAL_FATAL(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
    reqguard_table_init(&table, on_answer, on_held, NULL);
    reqguard_bind(&table);
    reqguard_watch(&table, &guard, sv[0]);
    answers = held_events = 0;
    answered_status = 0;
    answered_reason = NULL;
}

static void close_pair(void)
{
    reqguard_unwatch(&table, &guard);
    reqguard_bind(NULL);
    reqguard_table_release(&table);
    close(sv[0]);
    close(sv[1]);
}

static void client_sends(const char *s)
{
    CU_ASSERT_EQUAL(write(sv[1], s, strlen(s)), (ssize_t)strlen(s));
}

/* What recv() gives, as text ("" for 0, "EAGAIN" for -1/EAGAIN). */
static const char *read_once(char *buf, size_t len)
{
    ssize_t n = recv(sv[0], buf, len - 1, 0);
    if (n < 0)
        return errno == EAGAIN ? "EAGAIN" : "error";
    buf[n] = '\0';
    return buf;
}

/* 20,000 visible characters. */
static char big_text[20001];

#define GET1 "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
#define POST "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody"

static void test_interposed(void)
{
    CU_ASSERT_TRUE(reqguard_interposed());
}

static void test_whole_requests_pass(void)
{
    open_pair();
    char buf[4096];
    client_sends(GET1 POST);
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), GET1 POST);
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), "EAGAIN");
    CU_ASSERT_EQUAL(held_events, 0);
    /* a small buffer: the rest comes with the next read */
    client_sends(GET1);
    CU_ASSERT_STRING_EQUAL(read_once(buf, 11), "GET /one H");
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), "TTP/1.1\r\nHost: a\r\n\r\n");
    CU_ASSERT_EQUAL(answers, 0);
    close_pair();
}

static void test_head_held_until_whole(void)
{
    open_pair();
    char buf[4096];
    client_sends(GET1 "GET /two HTTP/1.1\r\nHo");
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), GET1);
    CU_ASSERT_EQUAL(held_events, 1);
    CU_ASSERT_TRUE(reqguard_holding(&guard));
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), "EAGAIN");
    client_sends("st: a\r\n");
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), "EAGAIN");
    client_sends("\r\nPOST /p HTTP/1.1\r\nContent-Length: 4\r\n\r\nbo");
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)),
                           "GET /two HTTP/1.1\r\nHost: a\r\n\r\n"
                           "POST /p HTTP/1.1\r\nContent-Length: 4\r\n\r\nbo");
    CU_ASSERT_FALSE(reqguard_holding(&guard)); /* all of it handed on */
    client_sends("dy");
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), "dy"); /* body bytes pass as they come */
    CU_ASSERT_EQUAL(answers, 0);
    close_pair();
}

static void test_refused_after_earlier_requests(void)
{
    open_pair();
    char buf[4096];
    client_sends(GET1 "GET /x HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n");
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), GET1); /* the good one first */
    CU_ASSERT_EQUAL(answers, 0);
    /* the read side was shut so that the socket reports an event */
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), "");
    CU_ASSERT_EQUAL(answers, 1);
    CU_ASSERT_EQUAL(answered_status, 400);
    CU_ASSERT_STRING_EQUAL(answered_reason, "ObsoleteLineFolding");
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), "");
    CU_ASSERT_EQUAL(answers, 1); /* answered once */
    CU_ASSERT_EQUAL(table.refused, 1);
    close_pair();
}

static void test_refused_first_in_a_read(void)
{
    open_pair();
    char buf[4096];
    client_sends(GET1);
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), GET1);
    char nul[] = "GET /x HTTP/1.1\r\nX-A: a\0b\r\n\r\n";
    CU_ASSERT_EQUAL(write(sv[1], nul, sizeof(nul) - 1), (ssize_t)(sizeof(nul) - 1));
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), "");
    CU_ASSERT_EQUAL(answers, 1);
    CU_ASSERT_EQUAL(answered_status, 400);
    close_pair();
}

static void test_big_head_refused(void)
{
    open_pair();
    char buf[4096];
    client_sends("GET /");
    CU_ASSERT_STRING_EQUAL(read_once(buf, sizeof(buf)), "EAGAIN");
    char chunk[4096];
    memset(chunk, 'a', sizeof(chunk));
    int status = 0;
    for (int i = 0; i < 8 && status == 0; i++) {
        CU_ASSERT_EQUAL(write(sv[1], chunk, sizeof(chunk)), (ssize_t)sizeof(chunk));
        const char *got = read_once(buf, sizeof(buf));
        if (strcmp(got, "EAGAIN") != 0) {
            CU_ASSERT_STRING_EQUAL(got, "");
            status = answered_status;
        }
    }
    CU_ASSERT_EQUAL(status, 414); /* the target passed 16 KiB */
    close_pair();
}

/* A long head held across reads, then its body and the beginning of the
 * next head, which fill the held buffer: what was taken goes first, then
 * the next head is held, and nothing is refused. */
static void test_held_buffer_full_behind_taken_bytes(void)
{
    open_pair();
    static char stream[70000];
    size_t n = (size_t)snprintf(stream, sizeof(stream),
                                "POST /%.*s HTTP/1.1\r\nX-A: %.*s\r\nContent-Length: 3\r\n\r\nabc"
                                "GET /%.*s HTTP/1.1\r\nHost: b\r\n\r\n",
                                16000, big_text, 20000, big_text, 10000, big_text);
    CU_ASSERT_EQUAL(write(sv[1], stream, 30000), 30000);
    static char got[70000];
    size_t have = 0;
    ssize_t r = recv(sv[0], got, sizeof(got), 0);
    CU_ASSERT_TRUE(r < 0 && errno == EAGAIN); /* a head's beginning: held */
    CU_ASSERT_EQUAL(write(sv[1], stream + 30000, n - 30000), (ssize_t)(n - 30000));
    while ((r = recv(sv[0], got + have, sizeof(got) - have, 0)) > 0)
        have += (size_t)r;
    CU_ASSERT_TRUE(r < 0 && errno == EAGAIN);
    CU_ASSERT_EQUAL(have, n);
    CU_ASSERT_TRUE(memcmp(got, stream, n) == 0);
    CU_ASSERT_EQUAL(answers, 0);
    close_pair();
}

/* A GET whose head is about size bytes (a long target and fields). */
static size_t big_head(char *out, size_t cap, const char *path, size_t size)
{
    size_t n = (size_t)snprintf(out, cap, "GET /%s?", path);
    memset(out + n, 'q', size / 3);
    n += size / 3;
    n += (size_t)snprintf(out + n, cap - n, " HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; n + 1100 < size; i++) {
        n += (size_t)snprintf(out + n, cap - n, "X-%d: ", i);
        memset(out + n, 'v', 1000);
        n += 1000;
        n += (size_t)snprintf(out + n, cap - n, "\r\n");
    }
    n += (size_t)snprintf(out + n, cap - n, "\r\n");
    return n;
}

/* Two pipelined heads of 30 KB each (both within the limits), read in
 * 16 KiB pieces: the held buffer fills with the first head whole and the
 * beginning of the second. That is not an over-long unit: both are handed
 * on, nothing is refused. */
static void test_big_heads_pipelined(void)
{
    open_pair();
    static char two[80000], got[80000];
    size_t first = big_head(two, sizeof(two), "one", 30000);
    size_t len = first + big_head(two + first, sizeof(two) - first, "two", 30000);
    CU_ASSERT_EQUAL_FATAL(write(sv[1], two, len), (ssize_t)len);
    size_t have = 0;
    for (int i = 0; i < 16 && have < len; i++) {
        ssize_t n = recv(sv[0], got + have, 16384, 0);
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    CU_ASSERT_EQUAL(have, len);
    CU_ASSERT_TRUE(have == len && memcmp(got, two, len) == 0);
    CU_ASSERT_EQUAL(answers, 0);
    CU_ASSERT_EQUAL(table.refused, 0);
    close_pair();
}

static void test_others_untouched(void)
{
    open_pair();
    char buf[64];
    static const char garbage[] = "\x16\x03\x01 not http";
    client_sends(garbage);
    /* a peek (flags) reads as the system does */
    ssize_t n = recv(sv[0], buf, sizeof(buf), MSG_PEEK);
    CU_ASSERT_EQUAL(n, (ssize_t)strlen(garbage));
    /* an unwatched socket too */
    reqguard_unwatch(&table, &guard);
    CU_ASSERT_EQUAL(recv(sv[0], buf, sizeof(buf), 0), (ssize_t)strlen(garbage));
    CU_ASSERT_EQUAL(answers, 0);
    reqguard_bind(NULL);
    reqguard_table_release(&table);
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    memset(big_text, 'x', sizeof(big_text) - 1);
    CU_TestInfo tests[] = {
        { "the executable's recv is the one found", test_interposed },
        { "whole requests pass", test_whole_requests_pass },
        { "a head is held until whole", test_head_held_until_whole },
        { "a refusal after the requests before it", test_refused_after_earlier_requests },
        { "a refusal first in a read", test_refused_first_in_a_read },
        { "an over-long head", test_big_head_refused },
        { "held buffer full behind taken bytes", test_held_buffer_full_behind_taken_bytes },
        { "two big heads pipelined", test_big_heads_pipelined },
        { "peeks and unwatched sockets", test_others_untouched },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "reqguard", NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
