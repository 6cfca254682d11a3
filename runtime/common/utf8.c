/* utf8.c - see utf8.h. */
#include "utf8.h"

#include <string.h>

size_t utf8_seq_len(const unsigned char *p, size_t left)
{
    if (left == 0)
        return 0;
    if (p[0] < 0x80)
        return 1;
    size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
    if (p[0] > 0xf4 || n == 0 || n > left) /* F5..FF never start a sequence */
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!utf8_is_continuation(p[i]))
            return 0;
    /* Overlong 3- and 4-byte forms, surrogates, past U+10FFFF. */
    if ((n == 3 && p[0] == 0xe0 && p[1] < 0xa0) || (n == 4 && p[0] == 0xf0 && p[1] < 0x90) ||
        (n == 4 && p[0] == 0xf4 && p[1] >= 0x90) || (n == 3 && p[0] == 0xed && p[1] >= 0xa0))
        return 0;
    return n;
}

/* Whether the 8 bytes at p are all ASCII (memcpy: no alignment needed). */
static bool ascii8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof(w));
    return (w & 0x8080808080808080ull) == 0;
}

size_t utf8_check(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII text, the common case, eight bytes at a time. */
        while (len - i >= 8 && ascii8(s + i))
            i += 8;
        if (i == len)
            break;
        size_t n = utf8_seq_len(s + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int escape_byte(struct buf *out, unsigned char c, unsigned flags)
{
    if (c == '"' || c == '\\')
        return buf_printf(out, "\\%c", c);
    if (flags & UTF8_JSON_SHORT_ESCAPES) {
        if (c == '\n')
            return buf_puts(out, "\\n");
        if (c == '\r')
            return buf_puts(out, "\\r");
        if (c == '\t')
            return buf_puts(out, "\\t");
    }
    return buf_printf(out, "\\u%04x", c);
}

int utf8_json_chars(struct buf *out, struct str s, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s.ptr;
    int rc = 0;
    for (size_t i = 0; i < s.len && rc == 0;) {
        /* Runs of bytes that need no escape go in whole. */
        size_t run = i;
        while (run < s.len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
            run++;
        if (run > i) {
            rc = buf_append(out, p + i, run - i);
            i = run;
            continue;
        }
        size_t n = p[i] >= 0x80 ? utf8_seq_len(p + i, s.len - i) : 0;
        if (n > 0) {
            rc = buf_append(out, p + i, n);
            i += n;
        } else {
            rc = escape_byte(out, p[i], flags);
            i++;
        }
    }
    return rc;
}

int utf8_json_string(struct buf *out, struct str s, unsigned flags)
{
    if (buf_append(out, "\"", 1) || utf8_json_chars(out, s, flags))
        return -1;
    return buf_append(out, "\"", 1);
}
