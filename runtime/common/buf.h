/* buf.h - string slices, bounded growable buffers, and the aborting allocator.
 *
 * struct str is a view: it never owns its bytes and is not NUL-terminated.
 * struct buf owns its bytes (heap) and has a hard ceiling: an append that
 * would pass it fails and leaves the buffer empty, never half-valid.
 * Errors: xmalloc/xrealloc/xcalloc abort with a message on out-of-memory; that
 * is safe only because every input-driven size is capped (limits.h).
 */
#ifndef APIM_COMMON_BUF_H
#define APIM_COMMON_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

struct str {
    const char *ptr;
    size_t len;
};

#define STR_LIT(s) ((struct str){ (s), sizeof(s) - 1 })
#define STR_NULL   ((struct str){ NULL, 0 })
#define STR_FMT(s) (int)(s).len, (s).ptr

/* A slice over a NUL-terminated string. */
struct str str_from_cstr(const char *s);

/* Byte-wise equality. */
bool str_eq(struct str a, struct str b);

/* ASCII case-insensitive equality (ARM names, HTTP header names). */
bool str_ieq(struct str a, struct str b);

/* The value of a hexadecimal digit (either case), or -1. */
int str_hex_digit(char c);

/* str_ieq against a C string. */
bool str_ieq_cstr(struct str a, const char *b);

/* ASCII case-insensitive ordering, for sorting and binary search. */
int str_icmp(struct str a, struct str b);

/* True if s begins with prefix (ASCII case-insensitive). */
bool str_istarts_with(struct str s, const char *prefix);

struct buf {
    char *data; /* always NUL-terminated when non-NULL, for convenience */
    size_t len, cap, max;
};

/* An empty buffer that refuses to grow past max bytes. */
void buf_init(struct buf *b, size_t max);

/* Appends n bytes; 0, or -1 (buffer emptied) if it would exceed max. */
int buf_append(struct buf *b, const void *p, size_t n) __attribute__((warn_unused_result));

/* Appends a NUL-terminated string. */
int buf_puts(struct buf *b, const char *s) __attribute__((warn_unused_result));

/* Appends formatted text. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)))
__attribute__((warn_unused_result));

/* Appends v in decimal (no printf: the gateway's access log writes a few
 * numbers per request). */
int buf_put_uint(struct buf *b, unsigned long long v) __attribute__((warn_unused_result));

/* Forgets the contents but keeps the memory. */
void buf_reset(struct buf *b);

/* Frees the memory. */
void buf_release(struct buf *b);

/* Hands the bytes over to the caller (free() them) and empties the buffer. */
char *buf_steal(struct buf *b, size_t *len);

/* Aborting allocators. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Prints "apim: out of memory" and aborts. */
_Noreturn void xalloc_die(size_t n);

#endif
