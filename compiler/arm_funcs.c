/* arm_funcs.c - ARM template functions on strings, numbers and logic, and
 * the lookup across every function table. Semantics follow
 * learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-*:
 * ordinal, case-sensitive string comparison except where the docs say
 * otherwise (indexOf, lastIndexOf, startsWith, endsWith ignore case). */
#include "arm_funcs.h"

#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apim_limits.h"

#define ARG(i) (k->args[(i)])
#define LOC    (k->e->loc)
#define A      (k->c->arena)

/* ---- shared helpers ---- */

const char *arm_funcs_scalar_text(struct arena *a, const struct jval *v)
{
    switch (v->kind) {
    case JV_STRING:
        return v->u.s.ptr;
    case JV_INT:
        return arena_printf(a, "%lld", (long long)v->u.i);
    case JV_REAL:
        return arena_printf(a, "%g", v->u.r);
    case JV_BOOL:
        return v->u.b ? "True" : "False";
    case JV_NULL:
        return "";
    default:
        return NULL;
    }
}

struct jval *arm_funcs_string_result(struct arm_call *k, struct buf *b, int rc)
{
    if (rc != 0) {
        buf_release(b);
        return arm_fail(k, DC_VALUE_TOO_LARGE, "the result of '%.*s' is larger than %u bytes",
                        STR_FMT(k->e->name), APIM_MAX_VALUE_BYTES);
    }
    struct jval *v = jval_string(A, LOC, b->data ? b->data : "", b->len);
    buf_release(b);
    return v;
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Byte offset of needle in hay, or -1; icase compares ASCII without case. */
static long find(struct str hay, struct str needle, bool icase, bool last)
{
    if (needle.len > hay.len)
        return -1;
    long hit = -1;
    for (size_t i = 0; i + needle.len <= hay.len; i++) {
        size_t j = 0;
        while (j < needle.len && (icase ? ascii_lower(hay.ptr[i + j]) == ascii_lower(needle.ptr[j])
                                        : hay.ptr[i + j] == needle.ptr[j]))
            j++;
        if (j == needle.len) {
            hit = (long)i;
            if (!last)
                break;
        }
    }
    return hit;
}

/* ---- strings ---- */

static struct jval *f_concat_strings(struct arm_call *k)
{
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    int rc = 0;
    for (size_t i = 0; i < k->nargs && rc == 0; i++) {
        const char *s = arm_funcs_scalar_text(A, ARG(i));
        if (s == NULL) {
            buf_release(&b);
            diag_emit(k->c->diag, DC_ARG_TYPE, arm_arg_loc(k, i),
                      "argument %zu of 'concat' must be a string (or all arguments arrays), not "
                      "%s %s",
                      i + 1, ARG(i)->kind == JV_OBJECT ? "an" : "a", jval_kind_name(ARG(i)->kind));
            return NULL;
        }
        rc = ARG(i)->kind == JV_STRING ? buf_append(&b, ARG(i)->u.s.ptr, ARG(i)->u.s.len)
                                       : buf_puts(&b, s);
    }
    return arm_funcs_string_result(k, &b, rc);
}

static struct jval *f_concat(struct arm_call *k)
{
    if (k->nargs == 0 || ARG(0)->kind != JV_ARRAY)
        return f_concat_strings(k);
    size_t n = 0;
    for (size_t i = 0; i < k->nargs; i++) {
        if (ARG(i)->kind == JV_NULL)
            continue;
        if (!arm_want(k, i, JV_ARRAY))
            return NULL;
        n += ARG(i)->u.a.n;
    }
    if (n > APIM_MAX_VALUE_ITEMS)
        return arm_fail(k, DC_VALUE_TOO_LARGE, "'concat' would build %zu items", n);
    struct jval *out = jval_array(A, LOC, n);
    size_t at = 0;
    for (size_t i = 0; i < k->nargs; i++)
        for (size_t j = 0; ARG(i)->kind == JV_ARRAY && j < ARG(i)->u.a.n; j++)
            out->u.a.v[at++] = ARG(i)->u.a.v[j];
    return out;
}

/* Appends |v| with a ',' every three digits (.NET "N" format). */
static int grouped(struct buf *b, uint64_t v)
{
    char digits[32];
    int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0 && buf_append(b, ",", 1))
            return -1;
        if (buf_append(b, &digits[i], 1))
            return -1;
    }
    return 0;
}

/* .NET standard numeric formats on an int: D (digits), X/x (hex), N
 * (grouped, 2 decimals by default), F (fixed). Others fall back to the plain
 * number. */
static int format_int(struct buf *b, int64_t v, const char *spec, size_t speclen)
{
    char kind = ascii_lower(spec[0]);
    int prec = speclen > 1 ? (int)strtol(spec + 1, NULL, 10) : -1;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (kind == 'd')
        return buf_printf(b, "%s%0*llu", v < 0 ? "-" : "", prec < 0 ? 0 : prec,
                          (unsigned long long)mag);
    if (kind == 'x')
        return buf_printf(b, spec[0] == 'X' ? "%0*llX" : "%0*llx", prec < 0 ? 0 : prec,
                          (unsigned long long)v);
    if (kind == 'n' || kind == 'f') {
        int decimals = prec < 0 ? 2 : prec > 20 ? 20 : prec;
        if ((v < 0 && buf_append(b, "-", 1)) ||
            (kind == 'n' ? grouped(b, mag) : buf_printf(b, "%llu", (unsigned long long)mag)))
            return -1;
        if (decimals > 0 && (buf_append(b, ".", 1) || buf_printf(b, "%0*d", decimals, 0)))
            return -1;
        return 0;
    }
    return buf_printf(b, "%lld", (long long)v);
}

/* One placeholder's value, formatted per its spec. */
static int format_value(struct buf *b, const struct jval *v, const char *spec, size_t speclen,
                        struct arena *a)
{
    if (speclen && v->kind == JV_INT)
        return format_int(b, v->u.i, spec, speclen);
    const char *s = arm_funcs_scalar_text(a, v);
    if (s == NULL)
        return jval_write(v, b);
    return v->kind == JV_STRING ? buf_append(b, v->u.s.ptr, v->u.s.len) : buf_puts(b, s);
}

/* {index[,alignment][:format]}: a positive alignment pads on the left, a
 * negative one on the right, as .NET composite formatting does. */
static int format_item(struct arm_call *k, struct buf *b, const struct jval *v, long align,
                       const char *spec, size_t speclen)
{
    struct buf item;
    buf_init(&item, APIM_MAX_VALUE_BYTES);
    int rc = format_value(&item, v, spec, speclen, A);
    size_t width = (size_t)(align < 0 ? -align : align);
    size_t chars = 0;
    for (size_t i = 0; i < item.len; i++)
        chars += ((unsigned char)item.data[i] & 0xC0) != 0x80;
    for (size_t i = chars; rc == 0 && align > 0 && i < width; i++)
        rc = buf_append(b, " ", 1);
    if (rc == 0 && item.len)
        rc = buf_append(b, item.data, item.len);
    for (size_t i = chars; rc == 0 && align < 0 && i < width; i++)
        rc = buf_append(b, " ", 1);
    buf_release(&item);
    return rc;
}

static struct jval *f_format(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    struct str f = ARG(0)->u.s;
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    int rc = 0;
    for (size_t i = 0; i < f.len && rc == 0; i++) {
        char ch = f.ptr[i];
        if ((ch == '{' || ch == '}') && i + 1 < f.len && f.ptr[i + 1] == ch) {
            rc = buf_append(&b, &ch, 1);
            i++;
            continue;
        }
        if (ch == '}') {
            buf_release(&b);
            return arm_fail(k, DC_EVAL, "'format': unmatched '}' in the format string");
        }
        if (ch != '{') {
            rc = buf_append(&b, &ch, 1);
            continue;
        }
        size_t close = i + 1;
        while (close < f.len && f.ptr[close] != '}')
            close++;
        char *end;
        long idx = strtol(f.ptr + i + 1, &end, 10);
        long align = 0;
        if (*end == ',')
            align = strtol(end + 1, &end, 10);
        if (close >= f.len || end == f.ptr + i + 1 || (*end != '}' && *end != ':') ||
            align > 4096 || align < -4096) {
            buf_release(&b);
            return arm_fail(k, DC_EVAL, "'format': bad placeholder in the format string");
        }
        if (idx < 0 || (size_t)idx + 1 >= k->nargs) {
            buf_release(&b);
            return arm_fail(k, DC_EVAL, "'format': placeholder {%ld} has no argument (%zu given)",
                            idx, k->nargs - 1);
        }
        const char *spec = *end == ':' ? end + 1 : end;
        rc = format_item(k, &b, ARG((size_t)idx + 1), align, spec, (size_t)(f.ptr + close - spec));
        i = close;
    }
    return arm_funcs_string_result(k, &b, rc);
}

static struct jval *f_string(struct arm_call *k)
{
    const char *s = arm_funcs_scalar_text(A, ARG(0));
    if (ARG(0)->kind == JV_STRING)
        return ARG(0);
    if (s)
        return jval_cstring(A, LOC, s);
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    return arm_funcs_string_result(k, &b, jval_write(ARG(0), &b));
}

static struct jval *case_map(struct arm_call *k, bool upper)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    struct jval *v = jval_string(A, LOC, ARG(0)->u.s.ptr, ARG(0)->u.s.len);
    char *p = (char *)v->u.s.ptr;
    for (size_t i = 0; i < v->u.s.len; i++) {
        if (upper && p[i] >= 'a' && p[i] <= 'z')
            p[i] = (char)(p[i] - 32);
        else if (!upper)
            p[i] = ascii_lower(p[i]);
    }
    return v;
}

static struct jval *f_tolower(struct arm_call *k)
{
    return case_map(k, false);
}

static struct jval *f_toupper(struct arm_call *k)
{
    return case_map(k, true);
}

static struct jval *f_trim(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    struct str s = ARG(0)->u.s;
    while (s.len && strchr(" \t\r\n", s.ptr[0]))
        s.ptr++, s.len--;
    while (s.len && strchr(" \t\r\n", s.ptr[s.len - 1]))
        s.len--;
    return jval_string(A, LOC, s.ptr, s.len);
}

static struct jval *f_replace(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING) || !arm_want(k, 1, JV_STRING) || !arm_want(k, 2, JV_STRING))
        return NULL;
    struct str s = ARG(0)->u.s, from = ARG(1)->u.s, to = ARG(2)->u.s;
    if (from.len == 0)
        return arm_fail(k, DC_EVAL, "'replace': the string to replace must not be empty");
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    int rc = 0;
    size_t i = 0;
    while (i < s.len && rc == 0) {
        long hit = find((struct str){ s.ptr + i, s.len - i }, from, false, false);
        if (hit < 0) {
            rc = buf_append(&b, s.ptr + i, s.len - i);
            break;
        }
        rc = buf_append(&b, s.ptr + i, (size_t)hit) || buf_append(&b, to.ptr, to.len);
        i += (size_t)hit + from.len;
    }
    return arm_funcs_string_result(k, &b, rc);
}

static struct jval *split_one(struct arm_call *k, struct str s, const struct jval *delims)
{
    struct jval *out = jval_array(A, LOC, 0);
    size_t cap = 0, start = 0;
    for (size_t i = 0; i <= s.len; i++) {
        size_t dl = 0;
        for (size_t d = 0; i < s.len && d < delims->u.a.n && dl == 0; d++) {
            struct str ds = delims->u.a.v[d]->u.s;
            if (ds.len && ds.len <= s.len - i && memcmp(s.ptr + i, ds.ptr, ds.len) == 0)
                dl = ds.len;
        }
        if (i < s.len && dl == 0)
            continue;
        if (out->u.a.n == cap) {
            cap = cap ? cap * 2 : 8;
            if (cap > APIM_MAX_VALUE_ITEMS)
                return arm_fail(k, DC_VALUE_TOO_LARGE, "'split' would build too many items");
            struct jval **v = ARENA_ARRAY(A, struct jval *, cap);
            if (out->u.a.n)
                memcpy(v, out->u.a.v, out->u.a.n * sizeof(*v));
            out->u.a.v = v;
        }
        out->u.a.v[out->u.a.n++] = jval_string(A, LOC, s.ptr + start, i - start);
        i += dl ? dl - 1 : 0;
        start = i + 1;
    }
    return out;
}

static struct jval *f_split(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    struct jval *delims = ARG(1);
    if (delims->kind == JV_STRING) {
        delims = jval_array(A, LOC, 1);
        delims->u.a.v[0] = ARG(1);
    } else if (delims->kind == JV_ARRAY) {
        for (size_t i = 0; i < delims->u.a.n; i++)
            if (delims->u.a.v[i]->kind != JV_STRING)
                return arm_fail(k, DC_ARG_TYPE, "'split': delimiters must be strings");
    } else {
        return arm_want(k, 1, JV_STRING) ? NULL : NULL;
    }
    return split_one(k, ARG(0)->u.s, delims);
}

/* Character (code point) offsets to byte offsets: ARM counts characters. */
static size_t byte_at(struct str s, int64_t chars)
{
    size_t i = 0;
    while (i < s.len && chars > 0) {
        i++;
        while (i < s.len && ((unsigned char)s.ptr[i] & 0xC0) == 0x80)
            i++;
        chars--;
    }
    return i;
}

static int64_t char_count(struct str s)
{
    int64_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        n += ((unsigned char)s.ptr[i] & 0xC0) != 0x80;
    return n;
}

static struct jval *f_substring(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING) || !arm_want(k, 1, JV_INT) ||
        (k->nargs > 2 && !arm_want(k, 2, JV_INT)))
        return NULL;
    struct str s = ARG(0)->u.s;
    int64_t n = char_count(s), start = ARG(1)->u.i;
    int64_t len = k->nargs > 2 ? ARG(2)->u.i : n - start;
    if (start < 0 || len < 0 || start > n || len > n - start)
        return arm_fail(k, DC_EVAL,
                        "'substring': start %lld and length %lld are outside a string of %lld "
                        "characters",
                        (long long)start, (long long)len, (long long)n);
    size_t b = byte_at(s, start), e = byte_at(s, start + len);
    return jval_string(A, LOC, s.ptr + b, e - b);
}

static struct jval *index_of(struct arm_call *k, bool last)
{
    if (ARG(0)->kind == JV_ARRAY) {
        long hit = -1;
        for (size_t i = 0; i < ARG(0)->u.a.n; i++) {
            if (jval_equal(ARG(0)->u.a.v[i], ARG(1), false)) {
                hit = (long)i;
                if (!last)
                    break;
            }
        }
        return jval_int(A, LOC, hit);
    }
    if (!arm_want(k, 0, JV_STRING) || !arm_want(k, 1, JV_STRING))
        return NULL;
    long hit = find(ARG(0)->u.s, ARG(1)->u.s, true, last);
    if (hit < 0)
        return jval_int(A, LOC, -1);
    return jval_int(A, LOC, char_count((struct str){ ARG(0)->u.s.ptr, (size_t)hit }));
}

static struct jval *f_indexof(struct arm_call *k)
{
    return index_of(k, false);
}

static struct jval *f_lastindexof(struct arm_call *k)
{
    return index_of(k, true);
}

static struct jval *affix(struct arm_call *k, bool at_end)
{
    if (!arm_want(k, 0, JV_STRING) || !arm_want(k, 1, JV_STRING))
        return NULL;
    struct str s = ARG(0)->u.s, a = ARG(1)->u.s;
    bool yes =
        a.len <= s.len && str_ieq((struct str){ s.ptr + (at_end ? s.len - a.len : 0), a.len }, a);
    return jval_bool(A, LOC, yes);
}

static struct jval *f_startswith(struct arm_call *k)
{
    return affix(k, false);
}

static struct jval *f_endswith(struct arm_call *k)
{
    return affix(k, true);
}

static struct jval *f_padleft(struct arm_call *k)
{
    if (!arm_want(k, 1, JV_INT))
        return NULL;
    const char *s = arm_funcs_scalar_text(A, ARG(0));
    if (s == NULL || ARG(0)->kind == JV_NULL)
        return arm_want(k, 0, JV_STRING) ? NULL : NULL;
    char pad = ' ';
    if (k->nargs > 2) {
        if (!arm_want(k, 2, JV_STRING))
            return NULL;
        if (ARG(2)->u.s.len != 1)
            return arm_fail(k, DC_EVAL, "'padLeft': the padding must be one character");
        pad = ARG(2)->u.s.ptr[0];
    }
    int64_t want = ARG(1)->u.i, have = char_count(str_from_cstr(s));
    if (want > (int64_t)APIM_MAX_VALUE_BYTES)
        return arm_fail(k, DC_VALUE_TOO_LARGE, "'padLeft': length %lld is too large",
                        (long long)want);
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    int rc = 0;
    for (int64_t i = have; i < want && rc == 0; i++)
        rc = buf_append(&b, &pad, 1);
    if (rc == 0)
        rc = buf_puts(&b, s);
    return arm_funcs_string_result(k, &b, rc);
}

static struct jval *f_base64(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    size_t n = ARG(0)->u.s.len;
    unsigned char *out = arena_alloc(A, 4 * ((n + 2) / 3) + 1);
    int len = EVP_EncodeBlock(out, (const unsigned char *)ARG(0)->u.s.ptr, (int)n);
    return jval_string(A, LOC, (const char *)out, (size_t)len);
}

static struct jval *decode_base64(struct arm_call *k, struct str s)
{
    if (s.len % 4 != 0)
        return arm_fail(k, DC_EVAL, "'%.*s': the argument is not valid base64",
                        STR_FMT(k->e->name));
    unsigned char *out = arena_alloc(A, s.len / 4 * 3 + 1);
    int len = EVP_DecodeBlock(out, (const unsigned char *)s.ptr, (int)s.len);
    if (len < 0)
        return arm_fail(k, DC_EVAL, "'%.*s': the argument is not valid base64",
                        STR_FMT(k->e->name));
    /* EVP_DecodeBlock counts the padding as data. */
    if (s.len >= 1 && s.ptr[s.len - 1] == '=')
        len--;
    if (s.len >= 2 && s.ptr[s.len - 2] == '=')
        len--;
    return jval_string(A, LOC, (const char *)out, (size_t)len);
}

static struct jval *f_base64tostring(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    return decode_base64(k, ARG(0)->u.s);
}

static struct jval *parse_json_text(struct arm_call *k, struct str text)
{
    struct arena scratch;
    arena_init(&scratch, 4096);
    struct diag d;
    diag_init(&d, &scratch);
    char *copy = arena_strndup(A, text.ptr, text.len);
    struct source *src = source_new(&d, "json()", copy, (uint32_t)text.len);
    struct jval *v = jval_parse_lenient(A, &d, src);
    if (v == NULL) {
        const char *why = d.n ? d.v[0]->msg : "not valid JSON";
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", why);
        diag_release(&d);
        arena_release(&scratch);
        return arm_fail(k, DC_EVAL, "'%.*s': the argument is not valid JSON: %s",
                        STR_FMT(k->e->name), msg);
    }
    diag_release(&d);
    arena_release(&scratch);
    return v;
}

static struct jval *f_base64tojson(struct arm_call *k)
{
    struct jval *s = f_base64tostring(k);
    return s ? parse_json_text(k, s->u.s) : NULL;
}

static struct jval *f_json(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    return parse_json_text(k, ARG(0)->u.s);
}

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

static struct jval *f_uricomponent(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    int rc = 0;
    for (size_t i = 0; i < ARG(0)->u.s.len && rc == 0; i++) {
        unsigned char c = (unsigned char)ARG(0)->u.s.ptr[i];
        rc = unreserved(c) ? buf_append(&b, &c, 1) : buf_printf(&b, "%%%02X", c);
    }
    return arm_funcs_string_result(k, &b, rc);
}

static struct jval *f_uricomponenttostring(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    struct str s = ARG(0)->u.s;
    char *out = arena_alloc(A, s.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        int hi = -1, lo = -1;
        if (s.ptr[i] == '%' && i + 2 < s.len) {
            hi = str_hex_digit(s.ptr[i + 1]);
            lo = str_hex_digit(s.ptr[i + 2]);
        }
        if (hi >= 0 && lo >= 0) {
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[n++] = s.ptr[i];
        }
    }
    return jval_string(A, LOC, out, n);
}

/* uri(base, relative) as System.Uri combines them: a relative path replaces
 * the last segment of base unless base ends with '/'. */
static struct jval *f_uri(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING) || !arm_want(k, 1, JV_STRING))
        return NULL;
    struct str base = ARG(0)->u.s, rel = ARG(1)->u.s;
    const char *scheme_end = strstr(base.ptr, "://");
    if (scheme_end == NULL)
        return arm_fail(k, DC_EVAL, "'uri': '%s' is not an absolute URI", base.ptr);
    if (strstr(rel.ptr, "://"))
        return ARG(1);
    size_t host_end = (size_t)(scheme_end - base.ptr) + 3;
    while (host_end < base.len && base.ptr[host_end] != '/')
        host_end++;
    size_t keep;
    if (rel.len && rel.ptr[0] == '/') {
        keep = host_end;
    } else {
        keep = base.len;
        while (keep > host_end && base.ptr[keep - 1] != '/')
            keep--;
        if (keep == host_end)
            return jval_cstring(A, LOC,
                                arena_printf(A, "%.*s/%s", (int)host_end, base.ptr, rel.ptr));
    }
    return jval_cstring(A, LOC, arena_printf(A, "%.*s%s", (int)keep, base.ptr, rel.ptr));
}

static struct jval *f_datauri(struct arm_call *k)
{
    struct jval *b64 = f_base64(k);
    if (b64 == NULL)
        return NULL;
    return jval_cstring(A, LOC,
                        arena_printf(A, "data:text/plain;charset=utf8;base64,%s", b64->u.s.ptr));
}

static struct jval *f_datauritostring(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    const char *comma = memchr(ARG(0)->u.s.ptr, ',', ARG(0)->u.s.len);
    if (strncmp(ARG(0)->u.s.ptr, "data:", 5) != 0 || comma == NULL)
        return arm_fail(k, DC_EVAL, "'dataUriToString': the argument is not a data URI");
    struct str payload = { comma + 1, ARG(0)->u.s.len - (size_t)(comma + 1 - ARG(0)->u.s.ptr) };
    if (find((struct str){ ARG(0)->u.s.ptr, (size_t)(comma - ARG(0)->u.s.ptr) }, STR_LIT(";base64"),
             true, false) >= 0)
        return decode_base64(k, payload);
    return jval_string(A, LOC, payload.ptr, payload.len);
}

/* ---- numbers ---- */

static bool ints(struct arm_call *k)
{
    for (size_t i = 0; i < k->nargs; i++)
        if (!arm_want(k, i, JV_INT))
            return false;
    return true;
}

static struct jval *arith(struct arm_call *k, char op)
{
    if (!ints(k))
        return NULL;
    int64_t a = ARG(0)->u.i, b = ARG(1)->u.i, r = 0;
    bool overflow = false;
    switch (op) {
    case '+':
        overflow = __builtin_add_overflow(a, b, &r);
        break;
    case '-':
        overflow = __builtin_sub_overflow(a, b, &r);
        break;
    case '*':
        overflow = __builtin_mul_overflow(a, b, &r);
        break;
    default:
        if (b == 0)
            return arm_fail(k, DC_EVAL, "'%.*s': division by zero", STR_FMT(k->e->name));
        if (a == INT64_MIN && b == -1)
            overflow = true;
        else
            r = op == '/' ? a / b : a % b;
        break;
    }
    if (overflow)
        return arm_fail(k, DC_EVAL, "'%.*s': the result does not fit in 64 bits",
                        STR_FMT(k->e->name));
    return jval_int(A, LOC, r);
}

static struct jval *f_add(struct arm_call *k)
{
    return arith(k, '+');
}

static struct jval *f_sub(struct arm_call *k)
{
    return arith(k, '-');
}

static struct jval *f_mul(struct arm_call *k)
{
    return arith(k, '*');
}

static struct jval *f_div(struct arm_call *k)
{
    return arith(k, '/');
}

static struct jval *f_mod(struct arm_call *k)
{
    return arith(k, '%');
}

static struct jval *f_int(struct arm_call *k)
{
    if (ARG(0)->kind == JV_INT)
        return ARG(0);
    if (ARG(0)->kind == JV_REAL)
        return jval_int(A, LOC, (int64_t)ARG(0)->u.r);
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    char *end;
    errno = 0;
    long long v = strtoll(ARG(0)->u.s.ptr, &end, 10);
    if (errno || end == ARG(0)->u.s.ptr || *end != '\0')
        return arm_fail(k, DC_EVAL, "'int': '%s' is not an integer", ARG(0)->u.s.ptr);
    return jval_int(A, LOC, v);
}

static struct jval *f_float(struct arm_call *k)
{
    struct jval *v = jval_int(A, LOC, 0);
    v->kind = JV_REAL;
    if (ARG(0)->kind == JV_INT) {
        v->u.r = (double)ARG(0)->u.i;
        return v;
    }
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    char *end;
    v->u.r = strtod(ARG(0)->u.s.ptr, &end);
    if (end == ARG(0)->u.s.ptr || *end != '\0')
        return arm_fail(k, DC_EVAL, "'float': '%s' is not a number", ARG(0)->u.s.ptr);
    return v;
}

/* ---- logic and comparison ---- */

static struct jval *f_bool(struct arm_call *k)
{
    const struct jval *v = ARG(0);
    if (v->kind == JV_BOOL)
        return ARG(0);
    if (v->kind == JV_INT)
        return jval_bool(A, LOC, v->u.i != 0);
    if (v->kind == JV_STRING && (str_ieq_cstr(v->u.s, "true") || str_ieq_cstr(v->u.s, "false")))
        return jval_bool(A, LOC, str_ieq_cstr(v->u.s, "true"));
    if (v->kind == JV_STRING && (str_eq(v->u.s, STR_LIT("1")) || str_eq(v->u.s, STR_LIT("0"))))
        return jval_bool(A, LOC, v->u.s.ptr[0] == '1');
    return arm_fail(k, DC_EVAL, "'bool': the argument cannot be read as a bool");
}

static struct jval *f_true(struct arm_call *k)
{
    return jval_bool(A, LOC, true);
}

static struct jval *f_false(struct arm_call *k)
{
    return jval_bool(A, LOC, false);
}

static struct jval *f_null(struct arm_call *k)
{
    return jval_null(A, LOC);
}

static struct jval *f_not(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_BOOL))
        return NULL;
    return jval_bool(A, LOC, !ARG(0)->u.b);
}

/* Evaluates lazy argument i as a bool. */
static int lazy_bool(struct arm_call *k, size_t i, struct jval **out)
{
    struct jval *v = arm_eval_expr(k->c, k->e->args[i]);
    *out = v;
    if (v == NULL)
        return -1;
    if (v->kind == JV_UNKNOWN)
        return 2;
    if (v->kind != JV_BOOL) {
        diag_emit(k->c->diag, DC_ARG_TYPE, arm_arg_loc(k, i),
                  "argument %zu of '%.*s' must be a bool, not %s %s", i + 1, STR_FMT(k->e->name),
                  v->kind == JV_INT ? "an" : "a", jval_kind_name(v->kind));
        return -1;
    }
    return v->u.b;
}

/* and/or stop at the first argument that decides the result, so a guard
 * such as and(not(empty(x)), x.a) does not fail on the second argument. */
static struct jval *logic(struct arm_call *k, bool is_and)
{
    bool unknown = false;
    for (size_t i = 0; i < k->nargs; i++) {
        struct jval *v;
        int b = lazy_bool(k, i, &v);
        if (b < 0)
            return NULL;
        if (b == 2)
            unknown = true;
        else if ((bool)b != is_and)
            return jval_bool(A, LOC, !is_and);
    }
    if (unknown)
        return jval_unknown(A, LOC, "a value known at deployment");
    return jval_bool(A, LOC, is_and);
}

static struct jval *f_and(struct arm_call *k)
{
    return logic(k, true);
}

static struct jval *f_or(struct arm_call *k)
{
    return logic(k, false);
}

static struct jval *f_if(struct arm_call *k)
{
    struct jval *v;
    int b = lazy_bool(k, 0, &v);
    if (b < 0)
        return NULL;
    if (b == 2) {
        /* Evaluate both to report their errors; the result is unknown. */
        if (!arm_eval_expr(k->c, k->e->args[1]) || !arm_eval_expr(k->c, k->e->args[2]))
            return NULL;
        return jval_unknown(A, LOC, "a condition known at deployment");
    }
    return arm_eval_expr(k->c, k->e->args[b ? 1 : 2]);
}

static struct jval *f_coalesce(struct arm_call *k)
{
    for (size_t i = 0; i < k->nargs; i++) {
        struct jval *v = arm_eval_expr(k->c, k->e->args[i]);
        if (v == NULL || v->kind != JV_NULL)
            return v;
    }
    return jval_null(A, LOC);
}

static struct jval *f_equals(struct arm_call *k)
{
    return jval_bool(A, LOC, jval_equal(ARG(0), ARG(1), false));
}

/* Strings compare the way .NET's invariant culture orders ASCII text:
 * letters without regard to case first, then a lower-case letter before its
 * upper-case form ('a' < 'A' < 'b'), as ARM's documented examples show. */
static int culture_compare(struct str a, struct str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int tie = 0;
    for (size_t i = 0; i < n; i++) {
        char x = a.ptr[i], y = b.ptr[i];
        char lx = ascii_lower(x), ly = ascii_lower(y);
        if (lx != ly)
            return (unsigned char)lx < (unsigned char)ly ? -1 : 1;
        if (x != y && tie == 0)
            tie = x == lx ? -1 : 1; /* lower case sorts first */
    }
    if (a.len != b.len)
        return a.len < b.len ? -1 : 1;
    return tie;
}

/* greater(a, b) and friends take two ints or two strings. */
static struct jval *compare(struct arm_call *k, int want_sign, bool or_equal)
{
    int d;
    if (ARG(0)->kind == JV_INT && ARG(1)->kind == JV_INT) {
        d = ARG(0)->u.i < ARG(1)->u.i ? -1 : ARG(0)->u.i > ARG(1)->u.i;
    } else if (ARG(0)->kind == JV_STRING && ARG(1)->kind == JV_STRING) {
        d = culture_compare(ARG(0)->u.s, ARG(1)->u.s);
    } else {
        return arm_fail(k, DC_ARG_TYPE, "'%.*s' compares two ints or two strings, not %s and %s",
                        STR_FMT(k->e->name), jval_kind_name(ARG(0)->kind),
                        jval_kind_name(ARG(1)->kind));
    }
    return jval_bool(A, LOC, d == want_sign || (or_equal && d == 0));
}

static struct jval *f_greater(struct arm_call *k)
{
    return compare(k, 1, false);
}

static struct jval *f_greaterorequals(struct arm_call *k)
{
    return compare(k, 1, true);
}

static struct jval *f_less(struct arm_call *k)
{
    return compare(k, -1, false);
}

static struct jval *f_lessorequals(struct arm_call *k)
{
    return compare(k, -1, true);
}

#define LAZY ARM_FN_LAZY
#define ANY  ARM_ANY_ARGS

/* Sorted by name, ignoring case. */
const struct arm_func arm_funcs_core_table[] = {
    { "add", 2, 2, 0, f_add },
    { "and", 1, ANY, LAZY, f_and },
    { "base64", 1, 1, 0, f_base64 },
    { "base64ToJson", 1, 1, 0, f_base64tojson },
    { "base64ToString", 1, 1, 0, f_base64tostring },
    { "bool", 1, 1, 0, f_bool },
    { "coalesce", 1, ANY, LAZY, f_coalesce },
    { "concat", 1, ANY, 0, f_concat },
    { "dataUri", 1, 1, 0, f_datauri },
    { "dataUriToString", 1, 1, 0, f_datauritostring },
    { "div", 2, 2, 0, f_div },
    { "endsWith", 2, 2, 0, f_endswith },
    { "equals", 2, 2, 0, f_equals },
    { "false", 0, 0, 0, f_false },
    { "float", 1, 1, 0, f_float },
    { "format", 1, ANY, 0, f_format },
    { "greater", 2, 2, 0, f_greater },
    { "greaterOrEquals", 2, 2, 0, f_greaterorequals },
    { "if", 3, 3, LAZY, f_if },
    { "indexOf", 2, 2, 0, f_indexof },
    { "int", 1, 1, 0, f_int },
    { "json", 1, 1, 0, f_json },
    { "lastIndexOf", 2, 2, 0, f_lastindexof },
    { "less", 2, 2, 0, f_less },
    { "lessOrEquals", 2, 2, 0, f_lessorequals },
    { "mod", 2, 2, 0, f_mod },
    { "mul", 2, 2, 0, f_mul },
    { "not", 1, 1, 0, f_not },
    { "null", 0, 0, 0, f_null },
    { "or", 1, ANY, LAZY, f_or },
    { "padLeft", 2, 3, 0, f_padleft },
    { "replace", 3, 3, 0, f_replace },
    { "split", 2, 2, 0, f_split },
    { "startsWith", 2, 2, 0, f_startswith },
    { "string", 1, 1, 0, f_string },
    { "sub", 2, 2, 0, f_sub },
    { "substring", 2, 3, 0, f_substring },
    { "toLower", 1, 1, 0, f_tolower },
    { "toUpper", 1, 1, 0, f_toupper },
    { "trim", 1, 1, 0, f_trim },
    { "true", 0, 0, 0, f_true },
    { "uri", 2, 2, 0, f_uri },
    { "uriComponent", 1, 1, 0, f_uricomponent },
    { "uriComponentToString", 1, 1, 0, f_uricomponenttostring },
};

const size_t arm_funcs_core_count = sizeof(arm_funcs_core_table) / sizeof(arm_funcs_core_table[0]);

/* ---- lookup across the tables ---- */

static const struct arm_func *search(const struct arm_func *t, size_t n, struct str name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = str_icmp(name, str_from_cstr(t[mid].name));
        if (d == 0)
            return &t[mid];
        if (d < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const struct arm_func *arm_find_function(struct str name)
{
    const struct arm_func *f = search(arm_funcs_core_table, arm_funcs_core_count, name);
    if (f == NULL)
        f = search(arm_funcs_coll_table, arm_funcs_coll_count, name);
    if (f == NULL)
        f = search(arm_funcs_env_table, arm_funcs_env_count, name);
    return f;
}

const struct arm_func *arm_functions(size_t *n)
{
    static struct arm_func all[256];
    static size_t count;
    if (count == 0) {
        const struct {
            const struct arm_func *t;
            size_t n;
        } tables[] = { { arm_funcs_core_table, arm_funcs_core_count },
                       { arm_funcs_coll_table, arm_funcs_coll_count },
                       { arm_funcs_env_table, arm_funcs_env_count } };

        for (size_t t = 0; t < 3; t++)
            for (size_t i = 0; i < tables[t].n && count < 256; i++)
                all[count++] = tables[t].t[i];
    }
    *n = count;
    return all;
}
