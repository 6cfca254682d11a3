/* csx_nat_web.c - new Uri (below) and WebUtility.HtmlEncode and HtmlDecode, as .NET's
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

/* new Uri(text) for absolute http and https URIs that .NET keeps as
 * written but for the case of the scheme and host (System.Uri: "Uri
 * class" remarks): host names, a port, a path, query and fragment of
 * unreserved and sub-delimiter characters. Anything .NET would rewrite
 * (percent-escapes, dot segments, characters it escapes, user info, IPv6
 * hosts, other schemes) is refused, never rewritten differently. */
struct uri {
    struct str scheme, host, path, query, fragment; /* query and fragment with '?' / '#' */
    int port;
    bool default_port;
};

static bool uri_char(char c, bool more)
{
    return isalnum((unsigned char)c) || strchr("-._~!$&'()*+,;=:@/", c) != NULL ||
           (more && c == '?');
}

static char *lower(struct csx_vm *vm, struct str s)
{
    char *o = arena_strndup(vm->a, s.ptr, s.len);
    for (size_t i = 0; i < s.len; i++)
        o[i] = (char)tolower((unsigned char)o[i]);
    return o;
}

/* The path, query and fragment at s (after the authority). */
static int uri_rest(struct csx_vm *vm, struct str s, struct uri *u)
{
    size_t q = 0, f;
    while (q < s.len && s.ptr[q] != '?' && s.ptr[q] != '#')
        q++;
    f = q;
    while (f < s.len && s.ptr[f] != '#')
        f++;
    u->path = q > 0 ? (struct str){ s.ptr, q } : STR_LIT("/");
    u->query = (struct str){ s.ptr + q, f - q };
    u->fragment = (struct str){ s.ptr + f, s.len - f };
    for (size_t i = 0; i < s.len; i++)
        if (!uri_char(s.ptr[i], i >= q) && !(i == f && s.ptr[i] == '#'))
            return csx_fail(vm,
                            "new Uri of a text .NET would escape or rewrite ('%c') is not run "
                            "by apimlocal",
                            s.ptr[i]);
    for (size_t i = 0; i < q; i++) { /* dot segments: .NET removes them */
        size_t e = i + 1;
        while (e < q && s.ptr[e] != '/')
            e++;
        struct str seg = { s.ptr + i + 1, e - i - 1 };
        if (s.ptr[i] == '/' && (str_eq(seg, STR_LIT(".")) || str_eq(seg, STR_LIT(".."))))
            return csx_fail(vm, "new Uri of a path with '.' or '..' segments is not run by "
                                "apimlocal");
    }
    return 0;
}

/* The port after "host:" (digits only, up to 65535). */
static int uri_port(struct csx_vm *vm, struct str auth, size_t h, struct uri *u, bool https)
{
    if (auth.ptr[h] != ':')
        return csx_fail(vm, "new Uri of the authority '%.*s' is not run by apimlocal",
                        STR_FMT(auth));
    long port = h + 1 < auth.len ? 0 : -1;
    for (size_t i = h + 1; i < auth.len && port >= 0; i++)
        port = isdigit((unsigned char)auth.ptr[i]) && port <= 65535
                   ? port * 10 + (auth.ptr[i] - '0')
                   : -1;
    if (port < 0 || port > 65535)
        return csx_fail(vm, "Invalid URI: Invalid port specified.");
    u->port = (int)port;
    u->default_port = port == (https ? 443 : 80);
    return 0;
}

static int uri_parse(struct csx_vm *vm, struct str s, struct uri *u)
{
    while (s.len > 0 && isspace((unsigned char)s.ptr[0]))
        s.ptr++, s.len--;
    while (s.len > 0 && isspace((unsigned char)s.ptr[s.len - 1]))
        s.len--;
    size_t k = 0;
    while (k < s.len && (isalnum((unsigned char)s.ptr[k]) || strchr("+.-", s.ptr[k]) != NULL))
        k++;
    if (k == 0 || k + 3 > s.len || memcmp(s.ptr + k, "://", 3) != 0)
        return csx_fail(vm, memchr(s.ptr, ':', s.len) == NULL
                                ? "Invalid URI: The format of the URI could not be determined."
                                : "new Uri of a text that is not 'scheme://...' is not run by "
                                  "apimlocal");
    u->scheme = str_from_cstr(lower(vm, (struct str){ s.ptr, k }));
    bool https = str_eq(u->scheme, STR_LIT("https"));
    if (!https && !str_eq(u->scheme, STR_LIT("http")))
        return csx_fail(vm, "new Uri of the scheme '%.*s' is not run by apimlocal",
                        STR_FMT(u->scheme));
    size_t a = k + 3, e = a, h = 0;
    while (e < s.len && strchr("/?#", s.ptr[e]) == NULL)
        e++;
    struct str auth = { s.ptr + a, e - a };
    while (h < auth.len && (isalnum((unsigned char)auth.ptr[h]) || strchr("-.", auth.ptr[h])))
        h++;
    if (h == 0)
        return csx_fail(vm, "Invalid URI: The hostname could not be parsed.");
    u->host = str_from_cstr(lower(vm, (struct str){ auth.ptr, h }));
    u->port = https ? 443 : 80;
    u->default_port = true;
    if (h < auth.len && uri_port(vm, auth, h, u, https) != 0)
        return -1;
    return uri_rest(vm, (struct str){ s.ptr + e, s.len - e }, u);
}

struct str csx_nat_web_uri_str(struct arena *a, const struct csx_value *v)
{
    const struct uri *u = v->u.p;
    return str_from_cstr(arena_printf(a, "%.*s://%.*s%s%.0d%.*s%.*s%.*s", STR_FMT(u->scheme),
                                      STR_FMT(u->host), u->default_port ? "" : ":",
                                      u->default_port ? 0 : u->port, STR_FMT(u->path),
                                      STR_FMT(u->query), STR_FMT(u->fragment)));
}

/* new Uri(text) and its properties. */
CSX_NATIVE(csx_nat_web_uri)
{
    (void)argc, (void)targ;
    if (m == CSXM_URI_CTOR) {
        struct str s;
        struct uri *u = ARENA_NEW(vm->a, struct uri);
        if (csx_arg_str(vm, &args[0], &s) != 0)
            return -1;
        if (s.ptr == NULL)
            return csx_fail(vm, "Value cannot be null. (Parameter 'uriString')");
        if (uri_parse(vm, s, u) != 0)
            return -1;
        *out = csx_obj(CSXT_URI, u);
        return 0;
    }
    const struct uri *u = self->u.p;
    switch (m) {
    case CSXM_URI_SCHEME:
        *out = csx_string(u->scheme);
        return 0;
    case CSXM_URI_HOST:
        *out = csx_string(u->host);
        return 0;
    case CSXM_URI_PORT:
        *out = csx_int(u->port);
        return 0;
    case CSXM_URI_ABSOLUTEPATH:
        *out = csx_string(u->path);
        return 0;
    case CSXM_URI_QUERY:
        *out = csx_string(u->query);
        return 0;
    case CSXM_URI_FRAGMENT:
        *out = csx_string(u->fragment);
        return 0;
    case CSXM_URI_PATHANDQUERY:
        *out = csx_string(
            str_from_cstr(arena_printf(vm->a, "%.*s%.*s", STR_FMT(u->path), STR_FMT(u->query))));
        return 0;
    case CSXM_URI_AUTHORITY:
        *out = csx_string(
            str_from_cstr(arena_printf(vm->a, "%.*s%s%.0d", STR_FMT(u->host),
                                       u->default_port ? "" : ":", u->default_port ? 0 : u->port)));
        return 0;
    default: /* AbsoluteUri */
        *out = csx_string(csx_nat_web_uri_str(vm->a, self));
        return 0;
    }
}
