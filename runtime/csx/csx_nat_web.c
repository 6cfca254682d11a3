/* csx_nat_web.c - WebUtility.HtmlEncode and HtmlDecode, as .NET's
 * System.Net.WebUtility: HtmlEncode writes &lt; &gt; &amp; &quot; and
 * &#39;, and characters U+00A0..U+00FF and those beyond U+FFFF as &#N;;
 * HtmlDecode reads &#N; &#xH; and named entities. Only the named entities
 * of XML and &nbsp; are known here: another name .NET might decode
 * (&copy;...) is a runtime error naming it, not left as text. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "csx_natives.h"
#include "utf8.h"

#define WEB_MAX_TEXT (16u << 20)

static int encode(struct buf *b, struct str s)
{
    int rc = 0;
    for (size_t i = 0; i < s.len && rc == 0;) {
        const unsigned char *p = (const unsigned char *)s.ptr + i;
        size_t n = utf8_seq_len(p, s.len - i);
        uint32_t cp = n == 2   ? (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F)
                      : n == 4 ? (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
                                     (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F)
                               : p[0];
        const char *e = cp == '<'    ? "&lt;"
                        : cp == '>'  ? "&gt;"
                        : cp == '&'  ? "&amp;"
                        : cp == '"'  ? "&quot;"
                        : cp == '\'' ? "&#39;"
                                     : NULL;
        if (e != NULL)
            rc = buf_puts(b, e);
        else if ((n == 2 && cp >= 0xA0 && cp <= 0xFF) || n == 4)
            rc = buf_printf(b, "&#%u;", (unsigned)cp);
        else
            rc = buf_append(b, p, n ? n : 1);
        i += n ? n : 1;
    }
    return rc;
}

/* The code point of entity e (between '&' and ';'), -1 when .NET leaves it
 * as text, -2 when it is a name not known here. */
static long entity(struct str e)
{
    static const struct {
        const char *name;
        long cp;
    } named[] = { { "quot", 34 }, { "amp", 38 }, { "apos", 39 },
                  { "lt", 60 },   { "gt", 62 },  { "nbsp", 160 } };

    if (e.len > 1 && e.ptr[0] == '#') {
        bool hexa = e.ptr[1] == 'x' || e.ptr[1] == 'X';
        size_t from = hexa ? 2 : 1;
        long v = 0;
        if (from >= e.len || e.len - from > 8)
            return -1;
        for (size_t i = from; i < e.len; i++) {
            if (hexa ? !isxdigit((unsigned char)e.ptr[i]) : !isdigit((unsigned char)e.ptr[i]))
                return -1;
            v = v * (hexa ? 16 : 10) +
                (isdigit((unsigned char)e.ptr[i]) ? e.ptr[i] - '0' : (e.ptr[i] | 0x20) - 'a' + 10);
        }
        return v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF) ? v : -1;
    }
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        if (str_eq(e, str_from_cstr(named[i].name)))
            return named[i].cp;
    return -2;
}

static int decode(struct csx_vm *vm, struct buf *b, struct str s)
{
    for (size_t i = 0; i < s.len;) {
        const char *amp = memchr(s.ptr + i, '&', s.len - i);
        size_t n = amp ? (size_t)(amp - s.ptr) - i : s.len - i;
        if (buf_append(b, s.ptr + i, n) != 0)
            return csx_fail(vm, "the decoded text is too long");
        i += n;
        if (amp == NULL)
            break;
        size_t end = i + 1;
        while (end < s.len && s.ptr[end] != ';' && s.ptr[end] != '&')
            end++;
        long cp = end < s.len && s.ptr[end] == ';'
                      ? entity((struct str){ s.ptr + i + 1, end - i - 1 })
                      : -1;
        if (cp == -2)
            return csx_fail(vm, "the HTML entity '&%.*s;' is not run by apimlocal",
                            (int)(end - i - 1), s.ptr + i + 1);
        char u8[4];
        size_t k = cp >= 0 ? utf8_encode((uint32_t)cp, u8) : 1;
        if (buf_append(b, cp >= 0 ? u8 : "&", k) != 0)
            return csx_fail(vm, "the decoded text is too long");
        i = cp >= 0 ? end + 1 : i + 1;
    }
    return 0;
}

CSX_NATIVE(csx_nat_web_html)
{
    (void)self, (void)argc, (void)targ;
    struct str s;
    if (csx_arg_str(vm, &args[0], &s) != 0)
        return -1;
    if (s.ptr == NULL) { /* null in, null out */
        *out = csx_null();
        return 0;
    }
    struct buf b;
    buf_init(&b, WEB_MAX_TEXT);
    int rc = m == CSXM_WEBUTILITY_HTMLENCODE
                 ? (encode(&b, s) != 0 ? csx_fail(vm, "the encoded text is too long") : 0)
                 : decode(vm, &b, s);
    if (rc == 0)
        rc = csx_spend(vm, b.len / CSX_BYTES_PER_STEP);
    if (rc == 0)
        *out = csx_string_dup(vm, b.data ? b.data : "", b.len);
    buf_release(&b);
    return rc;
}
