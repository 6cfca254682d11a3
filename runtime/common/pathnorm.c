#include "pathnorm.h"

#include <string.h>

/* RFC 3986 2.3: the characters whose encoding means nothing else. */
static bool unreserved(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

bool pathnorm_needed(struct str path)
{
    for (size_t i = 0; i < path.len; i++) {
        char c = path.ptr[i];
        if (c == '%' || c == '.' || c == '\\')
            return true;
    }
    return false;
}

/* Copies the segment in[0..n) to out, decoding the unreserved characters
 * and keeping every other encoding as it is; false on a bad encoding. */
static bool decode_segment(const char *in, size_t n, char *out, size_t *written)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] != '%') {
            out[w++] = in[i];
            continue;
        }
        if (n - i < 3)
            return false;
        int hi = str_hex_digit(in[i + 1]), lo = str_hex_digit(in[i + 2]);
        if (hi < 0 || lo < 0)
            return false;
        if (unreserved(hi * 16 + lo)) {
            out[w++] = (char)(hi * 16 + lo);
        } else {
            memcpy(out + w, in + i, 3);
            w += 3;
        }
        i += 2;
    }
    *written = w;
    return true;
}

/* 1 for ".", 2 for "..", else 0. */
static int dots(const char *s, size_t n)
{
    if (n == 1 && s[0] == '.')
        return 1;
    if (n == 2 && s[0] == '.' && s[1] == '.')
        return 2;
    return 0;
}

/* The length of what some servers take for a separator at s[i]: a raw
 * backslash, "%2F" or "%5C" in either case; else 0. */
static size_t separator(const char *s, size_t n, size_t i)
{
    if (s[i] == '\\')
        return 1;
    if (s[i] != '%' || n - i < 3)
        return 0;
    char a = s[i + 1], b = (char)(s[i + 2] | 0x20);
    return (a == '2' && b == 'f') || (a == '5' && b == 'c') ? 3 : 0;
}

/* True if a piece of the (decoded) segment s, cut at separators and then
 * at its first ';', is "." or "..". */
static bool hidden_dot(const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n;) {
        size_t sep = i < n ? separator(s, n, i) : 1;
        if (sep == 0) {
            i++;
            continue;
        }
        const char *semi = memchr(s + start, ';', i - start);
        size_t end = semi ? (size_t)(semi - s) : i;
        if (dots(s + start, end - start))
            return true;
        i += sep;
        start = i;
    }
    return false;
}

/* The output length once its last segment is removed ("/a/b" to "/a"). */
static size_t drop_last(const char *buf, size_t o)
{
    while (o > 0 && buf[o - 1] != '/')
        o--;
    return o > 0 ? o - 1 : 0;
}

/*
 * One pass, segment by segment. Each segment is decoded straight into buf
 * after its '/': the output so far is never longer than the input read so
 * far, so buf needs path.len bytes. ".." removes the last output segment;
 * a dot segment at the end leaves a '/' (RFC 3986 5.2.4, steps C and D).
 */
enum pathnorm_result pathnorm_normalize(struct str path, char *buf, struct str *out)
{
    if (path.len == 0 || path.ptr[0] != '/')
        return PATHNORM_NOT_ABSOLUTE;
    const char *p = path.ptr, *end = path.ptr + path.len;
    size_t o = 0;
    while (p < end) {
        const char *s = p + 1;
        const char *e = memchr(s, '/', (size_t)(end - s));
        e = e ? e : end;
        size_t n;
        buf[o] = '/';
        if (!decode_segment(s, (size_t)(e - s), buf + o + 1, &n))
            return PATHNORM_BAD_ENCODING;
        int d = dots(buf + o + 1, n);
        if (d == 0) {
            if (memchr(buf + o + 1, '.', n) && hidden_dot(buf + o + 1, n))
                return PATHNORM_HIDDEN_DOT;
            o += 1 + n;
        } else {
            if (d == 2 && o == 0)
                return PATHNORM_ABOVE_ROOT;
            if (d == 2)
                o = drop_last(buf, o);
            if (e == end)
                buf[o++] = '/';
        }
        p = e;
    }
    *out = (struct str){ buf, o };
    return PATHNORM_OK;
}
