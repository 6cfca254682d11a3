#include "arena.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct arena_cleanup {
    struct arena_cleanup *next;
    void (*fn)(void *);
    void *p;
};

struct arena_chunk {
    struct arena_chunk *next;
    size_t cap, used;
    alignas(max_align_t) unsigned char data[];
};

static struct arena_chunk *chunk_new(size_t cap, struct arena_chunk *next)
{
    struct arena_chunk *c = xmalloc(sizeof(*c) + cap);
    c->next = next;
    c->cap = cap;
    c->used = 0;
    return c;
}

void arena_init(struct arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
    a->total = 0;
    a->cleanups = NULL;
}

void arena_on_release(struct arena *a, void (*fn)(void *), void *p)
{
    struct arena_cleanup *c = arena_alloc(a, sizeof(*c));
    *c = (struct arena_cleanup){ a->cleanups, fn, p };
    a->cleanups = c;
}

/* The cleanups live in the arena's chunks: run them before freeing. */
static void run_cleanups(struct arena *a)
{
    struct arena_cleanup *c = a->cleanups;
    a->cleanups = NULL;
    for (; c != NULL; c = c->next)
        c->fn(c->p);
}

void *arena_alloc(struct arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    if (size > SIZE_MAX - align)
        xalloc_die(size);
    size_t need = (size + align - 1) & ~(align - 1);
    struct arena_chunk *c = a->head;

    if (c == NULL || c->cap - c->used < need) {
        /* An oversized request gets a chunk of its own behind the current
         * one, so one big allocation does not waste the rest of a normal
         * chunk. */
        if (need > a->chunk_size / 4 && c != NULL) {
            struct arena_chunk *big = chunk_new(need, c->next);
            c->next = big;
            big->used = need;
            a->total += need;
            return big->data;
        }
        size_t cap = need > a->chunk_size ? need : a->chunk_size;
        c = a->head = chunk_new(cap, a->head);
    }
    void *p = c->data + c->used;
    c->used += need;
    a->total += need;
    return p;
}

void *arena_zalloc(struct arena *a, size_t size)
{
    void *p = arena_alloc(a, size);
    memset(p, 0, size);
    return p;
}

void *arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t elem, size_t first)
{
    if (n < *cap)
        return v;
    size_t grown = *cap ? *cap * 2 : first;
    if (grown <= n)
        grown = n + 1;
    void *nv = arena_zalloc(a, grown * elem);
    if (n)
        memcpy(nv, v, n * elem);
    *cap = grown;
    return nv;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return arena_strdup(a, "");
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

char *arena_cat(struct arena *a, const struct str *parts, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += parts[i].len;
    char *out = arena_alloc(a, len + 1), *p = out;
    for (size_t i = 0; i < n; i++) {
        if (parts[i].len)
            memcpy(p, parts[i].ptr, parts[i].len);
        p += parts[i].len;
    }
    *p = '\0';
    return out;
}

void arena_reset(struct arena *a)
{
    run_cleanups(a);
    struct arena_chunk *c = a->head;
    if (c == NULL)
        return;
    /* Keep the oldest normal-sized chunk: it is the one a steady workload
     * fits in. */
    struct arena_chunk *keep = NULL;
    while (c) {
        struct arena_chunk *next = c->next;
        if (keep == NULL && c->cap == a->chunk_size && next == NULL) {
            keep = c;
        } else {
            free(c);
        }
        c = next;
    }
    if (keep)
        keep->used = 0;
    a->head = keep;
    a->total = 0;
}

void arena_release(struct arena *a)
{
    run_cleanups(a);
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}
