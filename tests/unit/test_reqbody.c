/* Unit tests for the streamed request body's window (runtime/reqbody.c):
 * bounded memory, bytes out in order, the end and failure reported once
 * the window is empty, and when a paused sender may go on. */
#include <string.h>

#include "cunit_run.h"
#include "reqbody.h"

static char pattern(size_t i)
{
    return (char)('a' + i % 26);
}

/* A sender and a reader taking turns in uneven pieces move every byte once,
 * in order, and the window never holds more than REQBODY_WINDOW. */
static void test_order_and_bound(void)
{
    struct buf data;
    buf_init(&data, 64u << 20);
    struct reqbody b;
    reqbody_init(&b, &data);
    static char in[100000], out[70000];
    size_t sent = 0, got = 0, total = 5u * 1000 * 1000;
    bool ordered = true, bounded = true;
    while (got < total) {
        size_t n = total - sent < sizeof(in) ? total - sent : sizeof(in);
        for (size_t i = 0; i < n; i++)
            in[i] = pattern(sent + i);
        sent += reqbody_put(&b, in, n);
        bounded &= reqbody_unread(&b) <= REQBODY_WINDOW && data.cap <= 2 * REQBODY_WINDOW + 4096;
        ssize_t r = reqbody_get(&b, out, got % 3 ? sizeof(out) : 1000);
        CU_ASSERT_FATAL(r > 0);
        for (ssize_t i = 0; i < r; i++)
            ordered &= out[i] == pattern(got + (size_t)i);
        got += (size_t)r;
    }
    CU_ASSERT_TRUE(ordered);
    CU_ASSERT_TRUE(bounded);
    CU_ASSERT_EQUAL(sent, total);
    buf_release(&data);
}

static void test_full_window_and_room(void)
{
    struct buf data;
    buf_init(&data, 64u << 20);
    struct reqbody b;
    reqbody_init(&b, &data);
    static char block[REQBODY_WINDOW + 100];
    memset(block, 'x', sizeof(block));
    CU_ASSERT_EQUAL(reqbody_put(&b, block, sizeof(block)), REQBODY_WINDOW);
    CU_ASSERT_EQUAL(reqbody_put(&b, block, 10), 0);
    CU_ASSERT_FALSE(reqbody_has_room(&b));
    static char out[REQBODY_WINDOW];
    CU_ASSERT_EQUAL(reqbody_get(&b, out, REQBODY_WINDOW / 2 - 1), REQBODY_WINDOW / 2 - 1);
    CU_ASSERT_FALSE(reqbody_has_room(&b));
    CU_ASSERT_EQUAL(reqbody_get(&b, out, 1), 1);
    CU_ASSERT_TRUE(reqbody_has_room(&b));
    CU_ASSERT_EQUAL(reqbody_put(&b, block, sizeof(block)), REQBODY_WINDOW / 2);
    buf_release(&data);
}

static void test_wait_end_failed(void)
{
    struct buf data;
    buf_init(&data, 1u << 20);
    struct reqbody b;
    reqbody_init(&b, &data);
    char out[16];
    CU_ASSERT_EQUAL(reqbody_get(&b, out, sizeof(out)), GW_BODY_WAIT);
    CU_ASSERT_TRUE(b.waiting);
    CU_ASSERT_EQUAL(reqbody_put(&b, "abc", 3), 3);
    b.done = true;
    CU_ASSERT_EQUAL(reqbody_get(&b, out, sizeof(out)), 3); /* the rest before the end */
    CU_ASSERT_EQUAL(memcmp(out, "abc", 3), 0);
    CU_ASSERT_EQUAL(reqbody_get(&b, out, sizeof(out)), GW_BODY_END);

    reqbody_init(&b, &data);
    CU_ASSERT_EQUAL(reqbody_put(&b, "z", 1), 1);
    b.failed = true;
    CU_ASSERT_EQUAL(reqbody_get(&b, out, sizeof(out)), 1);
    CU_ASSERT_EQUAL(reqbody_get(&b, out, sizeof(out)), GW_BODY_FAILED);
    buf_release(&data);
}

static CU_TestInfo tests[] = {
    { "order and bound", test_order_and_bound },
    { "full window and room", test_full_window_and_room },
    { "wait, end, failed", test_wait_end_failed },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "reqbody", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
