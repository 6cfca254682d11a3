/* Unit tests for the bump allocator (common/arena.c): alignment, oversized
 * requests, zeroing, reset and release, and the string helpers. */
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "cunit_run.h"

#define ALIGN alignof(max_align_t)

static bool aligned(const void *p)
{
    return (uintptr_t)p % ALIGN == 0;
}

static size_t rounded(size_t n)
{
    return (n + ALIGN - 1) / ALIGN * ALIGN;
}

/* Every pointer is aligned for any type, and no two allocations overlap:
 * each is filled with its own byte and checked after all are made. */
static void test_alignment_and_no_overlap(void)
{
    struct arena a;
    arena_init(&a, 1024);
    unsigned char *p[300];
    size_t sizes[300];
    bool all_aligned = true;
    for (size_t i = 0; i < 300; i++) {
        sizes[i] = i % 37 + 1;
        p[i] = arena_alloc(&a, sizes[i]);
        all_aligned &= aligned(p[i]);
        memset(p[i], (int)(i & 0xff), sizes[i]);
    }
    CU_ASSERT_TRUE(all_aligned);
    CU_ASSERT_TRUE(aligned(arena_zalloc(&a, 3)));
    CU_ASSERT_TRUE(aligned(arena_strdup(&a, "odd")));
    CU_ASSERT_TRUE(aligned(arena_alloc(&a, 1)));
    bool intact = true;
    for (size_t i = 0; i < 300; i++)
        for (size_t k = 0; k < sizes[i]; k++)
            intact &= p[i][k] == (unsigned char)(i & 0xff);
    CU_ASSERT_TRUE(intact);
    CU_ASSERT_TRUE(aligned(arena_alloc(&a, 0)));
    arena_release(&a);
}

/* A request larger than a chunk gets a chunk of its own behind the current
 * one: the next small allocation continues where the last one ended. */
static void test_big_allocations(void)
{
    struct arena a;
    arena_init(&a, 1024);
    char *big0 = arena_alloc(&a, 100000); /* the very first request */
    CU_ASSERT_TRUE(aligned(big0));
    memset(big0, 1, 100000);
    char *s1 = arena_alloc(&a, 8);
    char *big = arena_alloc(&a, 5000);
    char *s2 = arena_alloc(&a, 8);
    CU_ASSERT_TRUE(aligned(big));
    memset(big, 2, 5000);
    CU_ASSERT_PTR_EQUAL(s2, s1 + rounded(8));
    /* A medium request (over a quarter of a chunk) that does not fit the
     * rest of the chunk also goes behind it. */
    char *fill = arena_alloc(&a, 600);
    char *medium = arena_alloc(&a, 500);
    char *s3 = arena_alloc(&a, 8);
    CU_ASSERT_PTR_EQUAL(fill, s2 + rounded(8));
    CU_ASSERT_PTR_EQUAL(s3, fill + rounded(600));
    memset(medium, 3, 500);
    CU_ASSERT_EQUAL(big0[99999], 1);
    CU_ASSERT_EQUAL(big[4999], 2);
    CU_ASSERT_EQUAL(a.total,
                    rounded(100000) + 3 * rounded(8) + rounded(5000) + rounded(600) + rounded(500));
    arena_release(&a);
}

static void test_zeroed(void)
{
    struct arena a;
    arena_init(&a, 256);
    unsigned char *p = arena_alloc(&a, 64);
    memset(p, 0xff, 64);
    arena_reset(&a);
    unsigned char *z = arena_zalloc(&a, 64);
    CU_ASSERT_PTR_EQUAL(z, p); /* the same memory, cleared */
    bool zero = true;
    for (size_t i = 0; i < 64; i++)
        zero &= z[i] == 0;
    CU_ASSERT_TRUE(zero);

    struct pair {
        int x;
        void *y;
    } *n = ARENA_NEW(&a, struct pair);

    CU_ASSERT_EQUAL(n->x, 0);
    CU_ASSERT_PTR_NULL(n->y);
    long *arr = ARENA_ARRAY(&a, long, 10);
    CU_ASSERT_EQUAL(arr[0], 0);
    CU_ASSERT_EQUAL(arr[9], 0);
    arena_release(&a);
}

/* reset frees everything but the oldest normal chunk and reuses it. */
static void test_reset_keeps_memory(void)
{
    struct arena a;
    arena_init(&a, 512);
    arena_reset(&a); /* empty: nothing to do */
    CU_ASSERT_PTR_NULL(a.head);
    char *first = arena_alloc(&a, 16);
    for (int i = 0; i < 100; i++)
        memset(arena_alloc(&a, 100), 'x', 100);
    (void)arena_alloc(&a, 4096);
    CU_ASSERT_TRUE(a.total > 512);
    arena_reset(&a);
    CU_ASSERT_EQUAL(a.total, 0);
    CU_ASSERT_PTR_NOT_NULL(a.head);
    char *again = arena_alloc(&a, 16);
    CU_ASSERT_PTR_EQUAL(again, first);
    memset(again, 'y', 16);
    for (int i = 0; i < 100; i++)
        memset(arena_alloc(&a, 100), 'z', 100); /* still grows after a reset */
    CU_ASSERT_EQUAL(a.total, rounded(16) + 100 * rounded(100));
    arena_release(&a);
    CU_ASSERT_PTR_NULL(a.head);
    CU_ASSERT_EQUAL(a.total, 0);

    /* Released, the arena may be initialised and used again. */
    arena_init(&a, 0);
    CU_ASSERT_EQUAL(a.chunk_size, 64 * 1024);
    CU_ASSERT_STRING_EQUAL(arena_strdup(&a, "ok"), "ok");
    arena_release(&a);
}

static void test_strings(void)
{
    struct arena a;
    arena_init(&a, 128);
    const char raw[] = { 'a', 'b', 'c', 'd', 'e', 'f' }; /* not NUL-terminated */
    char *s = arena_strndup(&a, raw, 3);
    CU_ASSERT_STRING_EQUAL(s, "abc");
    CU_ASSERT_STRING_EQUAL(arena_strndup(&a, NULL, 0), "");
    char src[] = "copy me";
    char *d = arena_strdup(&a, src);
    src[0] = 'X';
    CU_ASSERT_STRING_EQUAL(d, "copy me");
    CU_ASSERT_PTR_NOT_EQUAL(d, src);
    CU_ASSERT_STRING_EQUAL(arena_printf(&a, "%d-%s-%c", 42, "x", 'y'), "42-x-y");
    CU_ASSERT_STRING_EQUAL(arena_printf(&a, "%s", ""), "");
    /* Longer than a chunk. */
    char *wide = arena_printf(&a, "%1000d|", 7);
    CU_ASSERT_EQUAL(strlen(wide), 1001);
    CU_ASSERT_EQUAL(wide[999], '7');
    CU_ASSERT_EQUAL(wide[1000], '|');
    CU_ASSERT_STRING_EQUAL(s, "abc"); /* earlier strings untouched */
    arena_release(&a);
}

static void test_cat(void)
{
    struct arena a;
    arena_init(&a, 64);
    struct str parts[] = {
        STR_LIT("http://b:5000"), { "/items/1?x", 8 }, STR_NULL, STR_LIT("?"), STR_LIT("q=1")
    };
    CU_ASSERT_STRING_EQUAL(arena_cat(&a, parts, 5), "http://b:5000/items/1?q=1");
    CU_ASSERT_STRING_EQUAL(arena_cat(&a, parts, 0), "");
    CU_ASSERT_STRING_EQUAL(arena_cat(&a, parts + 2, 1), "");
    /* Longer than a chunk. */
    char big[200];
    memset(big, 'z', sizeof(big));
    struct str two[] = { { big, sizeof(big) }, STR_LIT("!") };
    char *s = arena_cat(&a, two, 2);
    CU_ASSERT_EQUAL(strlen(s), 201);
    CU_ASSERT_EQUAL(s[199], 'z');
    CU_ASSERT_EQUAL(s[200], '!');
    arena_release(&a);
}

/* ARENA_GROW keeps the items, doubles the room from the first size, and
 * leaves an array with room alone. */
static void test_grow(void)
{
    struct arena a;
    arena_init(&a, 256);
    int *v = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < 100; i++) {
        ARENA_GROW(&a, v, n, cap, 4);
        v[n++] = i * 3;
    }
    CU_ASSERT_EQUAL(n, 100);
    CU_ASSERT_EQUAL(cap, 128); /* 4, 8, ..., 128 */
    int bad = 0;
    for (int i = 0; i < 100; i++)
        bad += v[i] != i * 3;
    CU_ASSERT_EQUAL(bad, 0);
    int *same = v;
    n = 50;
    ARENA_GROW(&a, v, n, cap, 4);
    CU_ASSERT_PTR_EQUAL(v, same);
    arena_release(&a);
}

/* Appends the digit p points at to the trace: the order cleanups ran in. */
static char trace[16];

static void note(void *p)
{
    size_t n = strlen(trace);
    if (n + 1 < sizeof(trace))
        trace[n] = *(const char *)p;
}

static void test_on_release(void)
{
    struct arena a;
    arena_init(&a, 256);
    trace[0] = '\0';
    arena_on_release(&a, note, "1");
    (void)arena_alloc(&a, 1000); /* cleanups survive a new chunk */
    arena_on_release(&a, note, "2");
    arena_reset(&a); /* newest first, once */
    CU_ASSERT_STRING_EQUAL(trace, "21");
    arena_on_release(&a, note, "3");
    arena_release(&a);
    CU_ASSERT_STRING_EQUAL(trace, "213");
    arena_release(&a); /* nothing left to run */
    CU_ASSERT_STRING_EQUAL(trace, "213");
}

static CU_TestInfo tests[] = {
    { "alignment and no overlap", test_alignment_and_no_overlap },
    { "big allocations", test_big_allocations },
    { "zeroed allocations", test_zeroed },
    { "reset keeps memory", test_reset_keeps_memory },
    { "strings", test_strings },
    { "arena_cat", test_cat },
    { "ARENA_GROW", test_grow },
    { "cleanups on reset and release", test_on_release },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "arena", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
