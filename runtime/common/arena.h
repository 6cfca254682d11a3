/* arena.h - bump allocator for data that dies together.
 *
 * One arena per compilation (source text, trees, the model, diagnostic text)
 * and, in the gateway, one per request. Nothing allocated here is freed one by
 * one: arena_release() frees everything at once, which is why grammar error
 * recovery needs no destructors.
 * Errors: allocation failure aborts with a message (see buf.h, xmalloc); every
 * input-driven size is capped by a named limit in limits.h before it gets here.
 */
#ifndef APIM_COMMON_ARENA_H
#define APIM_COMMON_ARENA_H

#include <stddef.h>

struct arena_chunk;
struct arena_cleanup;

struct arena {
    struct arena_chunk *head;       /* newest chunk first */
    size_t chunk_size;              /* payload bytes of a normal chunk */
    size_t total;                   /* bytes handed out since init or reset */
    struct arena_cleanup *cleanups; /* newest first (arena_on_release) */
};

/* Prepares an empty arena; chunks of chunk_size bytes are allocated on demand. */
void arena_init(struct arena *a, size_t chunk_size);

/* Returns size bytes aligned for any type. Never returns NULL. */
void *arena_alloc(struct arena *a, size_t size);

/* Like arena_alloc, but the memory is zeroed. */
void *arena_zalloc(struct arena *a, size_t size);

/* Copies n bytes of s and appends a NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Copies the NUL-terminated string s. */
char *arena_strdup(struct arena *a, const char *s);

/* printf into the arena; the result is NUL-terminated. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The n slices one after the other, NUL-terminated (the per-request
 * strings of the gateway: URLs, header lines; cheaper than arena_printf). */
struct str;
char *arena_cat(struct arena *a, const struct str *parts, size_t n);

/* Runs fn(p) when the arena is next reset or released, newest first: for
 * what the arena's data holds outside it (a JSON value's reference). */
void arena_on_release(struct arena *a, void (*fn)(void *), void *p);

/* Frees everything but the first chunk, for reuse (per-request arenas). */
void arena_reset(struct arena *a);

/* Frees everything. The arena may be initialised again afterwards. */
void arena_release(struct arena *a);

/* The array v of n items of elem bytes, with room for one more: v itself
 * while *cap > n, else a zeroed copy with twice the room (first when v is
 * empty), *cap updated. The old block stays in the arena until it is
 * reset or released: arrays that grow to thousands belong in a heap
 * vector instead. */
void *arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t elem, size_t first);

/* Make room for one more item in the arena array v of n items (cap: its
 * capacity, a size_t lvalue), as in: ARENA_GROW(a, v, n, cap, 8); v[n++] = x; */
#define ARENA_GROW(a, v, n, cap, first) \
    ((v) = arena_grow((a), (v), (n), &(cap), sizeof(*(v)), (first)))

#define ARENA_NEW(a, type)      ((type *)arena_zalloc((a), sizeof(type)))
#define ARENA_ARRAY(a, type, n) ((type *)arena_zalloc((a), sizeof(type) * (n)))

#endif
