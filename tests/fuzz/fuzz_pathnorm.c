/* libFuzzer target: the request path normaliser (runtime/common/pathnorm.c)
 * on arbitrary bytes, made absolute with a leading '/' when they are not.
 * Any crash or sanitizer report is a bug; so is a normalised path that
 *   - is longer than the input or does not start with '/',
 *   - holds a "." or ".." segment, or one hidden behind '\', "%2F", "%5C"
 *     or ';' (checked here by a second, simpler reading),
 *   - holds an encoded unreserved character or a bad encoding,
 *   - changes when normalised again,
 * and an input without '%', '.' or '\' that does not come back unchanged. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pathnorm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_dots(const char *s, size_t n)
{
    return (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

/* The segment s[0..n) with "%2F" and "%5C" (any case) read as '\': is a
 * piece between backslashes, up to its first ';', a dot segment? */
static bool dot_piece(const char *s, size_t n)
{
    char *t = malloc(n + 1);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n &&
            ((s[i + 1] == '2' && (s[i + 2] | 0x20) == 'f') ||
             (s[i + 1] == '5' && (s[i + 2] | 0x20) == 'c'))) {
            t[m++] = '\\';
            i += 2;
        } else {
            t[m++] = s[i];
        }
    }
    bool found = false;
    for (size_t a = 0, b; a <= m && !found; a = b + 1) {
        for (b = a; b < m && t[b] != '\\'; b++)
            ;
        const char *semi = memchr(t + a, ';', b - a);
        found = is_dots(t + a, semi ? (size_t)(semi - (t + a)) : b - a);
    }
    free(t);
    return found;
}

static int hex(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Every '%' starts a valid encoding of a character that is not unreserved. */
static bool encodings_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%')
            continue;
        if (i + 2 >= n)
            return false;
        int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
        if (hi < 0 || lo < 0)
            return false;
        int c = hi * 16 + lo;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~')
            return false;
        i += 2;
    }
    return true;
}

static void check_normal(struct str in, struct str out)
{
    if (out.len > in.len || out.len == 0 || out.ptr[0] != '/')
        abort();
    if (!encodings_ok(out.ptr, out.len))
        abort();
    for (size_t a = 1, b; a <= out.len; a = b + 1) {
        const char *slash = memchr(out.ptr + a, '/', out.len - a);
        b = slash ? (size_t)(slash - out.ptr) : out.len;
        if (is_dots(out.ptr + a, b - a) || dot_piece(out.ptr + a, b - a))
            abort();
    }
    char *again = malloc(out.len + 1);
    struct str twice;
    if (pathnorm_normalize(out, again, &twice) != PATHNORM_OK || twice.len != out.len ||
        memcmp(twice.ptr, out.ptr, out.len) != 0)
        abort();
    free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool slash = size > 0 && data[0] == '/';
    char *path = malloc(size + 1), *buf = malloc(size + 1);
    path[0] = '/';
    if (size)
        memcpy(path + !slash, data, size);
    struct str in = { path, size + !slash }, out;
    enum pathnorm_result r = pathnorm_normalize(in, buf, &out);
    if (r == PATHNORM_OK)
        check_normal(in, out);
    if (!pathnorm_needed(in) &&
        (r != PATHNORM_OK || out.len != in.len || memcmp(out.ptr, in.ptr, in.len) != 0))
        abort();
    free(path);
    free(buf);
    return 0;
}
