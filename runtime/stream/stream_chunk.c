/* stream_chunk.c - the chunked transfer coding of an httpIngest POST body
 * (RFC 9112 section 7.1): "hex-size[;ext] CRLF data CRLF ... 0 CRLF
 * [trailer lines] CRLF", decoded as the bytes arrive, in any split, into a
 * buffer whose max is the source's maxBody. Extensions and trailer fields
 * are read and dropped (nothing uses them). A bare LF ends a line as well as
 * CRLF (RFC 9112 section 2.2 allows a recipient to accept it). */
#include <string.h>

#include "stream_int.h"

/* A size line longer than this (digits, extensions) is refused. */
#define SCHUNK_MAX_LINE 1024

/* One byte of a size line: hex digits, then ';' extensions, then (CR)LF. */
static enum schunk_res size_byte(struct schunk *k, char ch)
{
    if (++k->line > SCHUNK_MAX_LINE)
        return SCHUNK_BAD;
    if (ch == '\n') {
        if (k->digits == 0)
            return SCHUNK_BAD;
        k->state = k->left ? SCHUNK_S_DATA : SCHUNK_S_TRAILER;
        k->line = 0;
        return SCHUNK_MORE;
    }
    int v = str_hex_digit(ch);
    if (v >= 0 && !k->ext) {
        if (k->left > (UINT64_MAX >> 4))
            return SCHUNK_BIG;
        k->left = k->left << 4 | (uint64_t)v;
        k->digits++;
    } else if (ch == ';' || ch == ' ' || ch == '\t' || (ch == '\r' && k->digits)) {
        k->ext = true; /* an extension, or the line's end: nothing more to read */
    } else if (!k->ext || ch == '\r') {
        return SCHUNK_BAD;
    }
    return SCHUNK_MORE;
}

/* One byte after a chunk's data (CRLF) or of the trailer (lines until an
 * empty one). */
static enum schunk_res line_byte(struct schunk *k, char ch)
{
    if (ch == '\r')
        return SCHUNK_MORE;
    if (ch != '\n') {
        if (k->state == SCHUNK_S_DATA_END || ++k->line > SCHUNK_MAX_LINE * 8)
            return SCHUNK_BAD;
        return SCHUNK_MORE;
    }
    if (k->state == SCHUNK_S_TRAILER && k->line == 0)
        return SCHUNK_DONE;
    if (k->state == SCHUNK_S_DATA_END)
        *k = (struct schunk){ .state = SCHUNK_S_SIZE };
    k->line = 0;
    return SCHUNK_MORE;
}

enum schunk_res schunk_feed(struct schunk *k, const char *in, size_t n, struct buf *out,
                            size_t *used)
{
    size_t i = 0;
    enum schunk_res r = SCHUNK_MORE;
    while (i < n && r == SCHUNK_MORE) {
        if (k->state == SCHUNK_S_DATA) {
            size_t take = n - i < k->left ? n - i : (size_t)k->left;
            if (buf_append(out, in + i, take))
                return SCHUNK_BIG;
            i += take, k->left -= take;
            if (k->left == 0)
                k->state = SCHUNK_S_DATA_END;
            continue;
        }
        char ch = in[i++];
        r = k->state == SCHUNK_S_SIZE ? size_byte(k, ch) : line_byte(k, ch);
        /* A chunk larger than what the buffer may still hold: 413 before
         * reading it. */
        if (r == SCHUNK_MORE && k->state == SCHUNK_S_DATA && k->left > out->max - out->len)
            r = SCHUNK_BIG;
    }
    *used = i;
    return r;
}
