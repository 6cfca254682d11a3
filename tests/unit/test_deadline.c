/* Unit tests for runtime/deadline.c: each phase's deadline (head: whole,
 * from entering it; body: from the last read; idle: idle + head), the
 * earliest deadline over all phases, popping in deadline order, counting
 * expired connections by phase (idle as head), leaving, taking every
 * connection for a stop, and the 408 answer's bytes. */
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "deadline.h"

static const struct deadline_timeouts timeouts = { 1000, 500, 10000 };

static void test_head_is_whole(void)
{
    struct deadline_set s;
    deadline_set_init(&s, &timeouts);
    struct deadline_conn c = { 0 };
    enum deadline_phase was = DEADLINE_NONE;
    deadline_enter(&s, &c, DEADLINE_HEAD, 100);
    CU_ASSERT_EQUAL(s.count[DEADLINE_HEAD], 1);
    CU_ASSERT_EQUAL(deadline_of(&s, &c), 1100);
    CU_ASSERT_EQUAL(deadline_next_ms(&s, 600), 500);
    CU_ASSERT_PTR_NULL(deadline_pop_expired(&s, 1099, &was));
    CU_ASSERT_PTR_EQUAL(deadline_pop_expired(&s, 1100, &was), &c);
    CU_ASSERT_EQUAL(was, DEADLINE_HEAD);
    CU_ASSERT_EQUAL(c.phase, DEADLINE_NONE);
    CU_ASSERT_EQUAL(s.count[DEADLINE_HEAD], 0);
    CU_ASSERT_EQUAL(s.expired[DEADLINE_HEAD], 1);
    CU_ASSERT_EQUAL(deadline_next_ms(&s, 2000), -1);
    CU_ASSERT_PTR_NULL(deadline_pop_expired(&s, 99999, &was));
}

/* Each read of the body starts its clock again: a body may take any time
 * in all as long as it never pauses past the timeout. */
static void test_body_between_reads(void)
{
    struct deadline_set s;
    deadline_set_init(&s, &timeouts);
    struct deadline_conn a = { 0 }, b = { 0 };
    enum deadline_phase was;
    deadline_enter(&s, &a, DEADLINE_BODY, 0);
    deadline_enter(&s, &b, DEADLINE_BODY, 100);
    for (int64_t t = 400; t <= 4000; t += 400) {
        deadline_enter(&s, &a, DEADLINE_BODY, t); /* a read: a goes to the tail */
        struct deadline_conn *due = deadline_pop_expired(&s, t, &was);
        /* b, read last at 100, is due at 600: popped at the first look after */
        CU_ASSERT_PTR_EQUAL(due, t == 800 ? &b : NULL);
    }
    CU_ASSERT_EQUAL(s.count[DEADLINE_BODY], 1);
    CU_ASSERT_EQUAL(s.expired[DEADLINE_BODY], 1);
    CU_ASSERT_EQUAL(deadline_of(&s, &a), 4500);
    CU_ASSERT_PTR_EQUAL(deadline_pop_expired(&s, 4500, &was), &a);
    CU_ASSERT_EQUAL(was, DEADLINE_BODY);
}

/* An idle kept-alive connection gets the idle time and then the head's. */
static void test_idle_counts_as_head(void)
{
    struct deadline_set s;
    deadline_set_init(&s, &timeouts);
    struct deadline_conn c = { 0 };
    enum deadline_phase was = DEADLINE_NONE;
    deadline_enter(&s, &c, DEADLINE_IDLE, 0);
    CU_ASSERT_EQUAL(deadline_of(&s, &c), 11000);
    CU_ASSERT_PTR_NULL(deadline_pop_expired(&s, 10999, &was));
    CU_ASSERT_PTR_EQUAL(deadline_pop_expired(&s, 11000, &was), &c);
    CU_ASSERT_EQUAL(was, DEADLINE_HEAD);
    CU_ASSERT_EQUAL(s.expired[DEADLINE_HEAD], 1);
    CU_ASSERT_EQUAL(s.expired[DEADLINE_IDLE], 0);
}

/* The earliest deadline wins across phases; in flight has none. */
static void test_order_across_phases(void)
{
    struct deadline_set s;
    deadline_set_init(&s, &timeouts);
    struct deadline_conn head = { 0 }, body = { 0 }, idle = { 0 }, busy = { 0 };
    enum deadline_phase was;
    deadline_enter(&s, &idle, DEADLINE_IDLE, 0);   /* due 11000 */
    deadline_enter(&s, &head, DEADLINE_HEAD, 0);   /* due 1000 */
    deadline_enter(&s, &body, DEADLINE_BODY, 300); /* due 800 */
    deadline_enter(&s, &busy, DEADLINE_HEAD, 0);
    deadline_enter(&s, &busy, DEADLINE_NONE, 0); /* reached the pipeline */
    CU_ASSERT_EQUAL(deadline_of(&s, &busy), -1);
    CU_ASSERT_EQUAL(s.count[DEADLINE_HEAD], 1);
    CU_ASSERT_EQUAL(deadline_next_ms(&s, 0), 800);
    CU_ASSERT_EQUAL(deadline_next_ms(&s, 900), 0); /* past: at once */
    CU_ASSERT_PTR_EQUAL(deadline_pop_expired(&s, 20000, &was), &body);
    CU_ASSERT_PTR_EQUAL(deadline_pop_expired(&s, 20000, &was), &head);
    CU_ASSERT_PTR_EQUAL(deadline_pop_expired(&s, 20000, &was), &idle);
    CU_ASSERT_PTR_NULL(deadline_pop_expired(&s, 20000, &was));
    CU_ASSERT_EQUAL(s.expired[DEADLINE_HEAD], 2);
    CU_ASSERT_EQUAL(s.expired[DEADLINE_BODY], 1);
}

/* Leaving from the middle of a list keeps the rest linked. */
static void test_leave_and_pop_any(void)
{
    struct deadline_set s;
    deadline_set_init(&s, &timeouts);
    struct deadline_conn c[5];
    memset(c, 0, sizeof(c));
    for (int i = 0; i < 5; i++)
        deadline_enter(&s, &c[i], i % 2 ? DEADLINE_BODY : DEADLINE_HEAD, i);
    deadline_leave(&s, &c[2]);
    deadline_leave(&s, &c[2]); /* twice: nothing happens */
    CU_ASSERT_EQUAL(s.count[DEADLINE_HEAD], 2);
    CU_ASSERT_EQUAL(s.count[DEADLINE_BODY], 2);
    int n = 0;
    while (deadline_pop_any(&s))
        n++;
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(s.expired[DEADLINE_HEAD] + s.expired[DEADLINE_BODY], 0);
    CU_ASSERT_EQUAL(deadline_next_ms(&s, 0), -1);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(c[i].phase, DEADLINE_NONE);
}

/* Many connections: popping yields them in deadline order. */
static void test_many_in_order(void)
{
    struct deadline_set s;
    deadline_set_init(&s, &timeouts);
    static struct deadline_conn c[1000];
    memset(c, 0, sizeof(c));
    for (int i = 0; i < 1000; i++)
        deadline_enter(&s, &c[i], DEADLINE_HEAD, i);
    for (int i = 0; i < 1000; i += 2)
        deadline_enter(&s, &c[i], DEADLINE_HEAD, 5000 + i); /* moved to the tail */
    enum deadline_phase was;
    int64_t last = -1;
    int n = 0;
    struct deadline_conn *d;
    while ((d = deadline_pop_expired(&s, 1000000, &was))) {
        CU_ASSERT_TRUE(d->since_ms >= last);
        last = d->since_ms;
        n++;
    }
    CU_ASSERT_EQUAL(n, 1000);
}

static void test_answer_bytes(void)
{
    struct arena a;
    arena_init(&a, 1024);
    struct gw_response resp = { .status = 408, .body = STR_LIT("{ \"statusCode\": 408 }") };
    gw_headers_add(&a, &resp.headers, STR_LIT("Content-Type"), STR_LIT("application/json"));
    struct buf out;
    buf_init(&out, 4096);
    CU_ASSERT_EQUAL(deadline_answer(&out, &resp, 0), 0);
    CU_ASSERT_EQUAL(buf_append(&out, "", 1), 0);
    CU_ASSERT_STRING_EQUAL(out.data, "HTTP/1.1 408 Request Timeout\r\n"
                                     "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
                                     "Content-Type: application/json\r\n"
                                     "Content-Length: 21\r\n"
                                     "Connection: close\r\n"
                                     "\r\n"
                                     "{ \"statusCode\": 408 }");
    buf_release(&out);
    /* too small a buffer: -1, not a cut answer */
    struct buf tiny;
    buf_init(&tiny, 16);
    CU_ASSERT_EQUAL(deadline_answer(&tiny, &resp, 0), -1);
    buf_release(&tiny);
    arena_release(&a);
}

static CU_TestInfo tests[] = {
    { "head: the whole head within the timeout", test_head_is_whole },
    { "body: the timeout is between two reads", test_body_between_reads },
    { "idle: idle time, then the head's", test_idle_counts_as_head },
    { "the earliest deadline across phases", test_order_across_phases },
    { "leave, and take all for a stop", test_leave_and_pop_any },
    { "many connections pop in deadline order", test_many_in_order },
    { "the 408 answer's bytes", test_answer_bytes },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "deadline", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
