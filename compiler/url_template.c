#include "url_template.h"

#include <stdlib.h>
#include <string.h>

struct parser {
    struct arena *arena;
    struct diag *diag;
    const struct jval *v;
    struct str t;
    struct url_template *out;
    size_t cap;
    bool failed;
};

static void fail(struct parser *p, size_t at, size_t len, const char *msg)
{
    if (p->failed)
        return;
    p->failed = true;
    diag_emit(p->diag, DC_URL_TEMPLATE, jval_string_subloc(p->v, at, at + (len ? len : 1)),
              "urlTemplate '%s': %s", p->t.ptr, msg);
}

static bool name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '$';
}

static void add_param(struct parser *p, size_t start, size_t len, bool in_query)
{
    struct url_template *t = p->out;
    const char *name = arena_strndup(p->arena, p->t.ptr + start, len);
    for (size_t i = 0; i < t->nparams; i++) {
        if (strcmp(t->params[i].name, name) == 0) {
            fail(p, start, len, arena_printf(p->arena, "parameter '%s' appears twice", name));
            return;
        }
    }
    ARENA_GROW(p->arena, t->params, t->nparams, p->cap, 4);
    t->params[t->nparams++] =
        (struct url_template_param){ name, in_query, jval_string_subloc(p->v, start, start + len) };
}

/* The bytes of the character at s: a whole UTF-8 sequence, so that a
 * message never quotes half a character. */
static size_t utf8_len(const char *s, size_t left)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return n < left ? n : left;
}

/* {name} at i; returns the index after '}'. */
static size_t param(struct parser *p, size_t i, bool in_query)
{
    size_t b = i + 1, e = b;
    while (e < p->t.len && name_char(p->t.ptr[e]))
        e++;
    if (e >= p->t.len || p->t.ptr[e] != '}') {
        if (e < p->t.len && p->t.ptr[e] != '}') {
            size_t n = utf8_len(p->t.ptr + e, p->t.len - e);
            fail(p, e, n,
                 arena_printf(p->arena, "'%.*s' is not allowed in a parameter name", (int)n,
                              p->t.ptr + e));
        } else
            fail(p, i, 1, "'{' has no matching '}'");
        return p->t.len;
    }
    if (e == b) {
        fail(p, i, 2, "empty parameter name '{}'");
        return e + 1;
    }
    add_param(p, b, e - b, in_query);
    return e + 1;
}

/* Bytes from 0x80 are UTF-8 text (IRI characters, RFC 3987): the REST
 * specification gives urlTemplate no pattern, and extractor exports of live
 * instances carry templates such as '/kursgjennomføring/'. */
static bool path_char(char c)
{
    unsigned char u = (unsigned char)c;
    return u >= 0x80 || (u > ' ' && u != 0x7f && !strchr("\"<>\\^`|#", c));
}

static size_t path(struct parser *p)
{
    size_t i = 0;
    if (p->t.len == 0 || p->t.ptr[0] != '/') {
        fail(p, 0, 1, "must start with '/'");
        return p->t.len;
    }
    while (i < p->t.len && !p->failed && p->t.ptr[i] != '?') {
        char c = p->t.ptr[i];
        if (c == '{') {
            i = param(p, i, false);
        } else if (c == '}') {
            fail(p, i, 1, "'}' has no matching '{'");
        } else if (c == '*') {
            bool last = i + 1 == p->t.len || p->t.ptr[i + 1] == '?';
            if (!last || p->t.ptr[i - 1] != '/')
                fail(p, i, 1, "a '*' wildcard must be the whole last segment");
            p->out->wildcard = true;
            i++;
        } else if (c == '/' && i + 1 < p->t.len && p->t.ptr[i + 1] == '/') {
            fail(p, i, 2, "empty path segment '//'");
        } else if (!path_char(c)) {
            fail(p, i, 1,
                 arena_printf(p->arena, "'%c' is not allowed in a URL path",
                              c == '\t' || c == '\n' || c == '\r' ? ' ' : c));
        } else {
            i++;
        }
    }
    return i;
}

static void query(struct parser *p, size_t i)
{
    while (i < p->t.len && !p->failed) {
        size_t b = i;
        while (i < p->t.len && p->t.ptr[i] != '=' && p->t.ptr[i] != '&')
            i++;
        if (i == b) {
            fail(p, b, 1, "empty query parameter name");
            return;
        }
        if (memchr(p->t.ptr + b, '{', i - b)) {
            fail(p, b, i - b, "a query parameter name cannot be a template parameter");
            return;
        }
        if (i >= p->t.len || p->t.ptr[i] == '&') {
            i++;
            continue;
        }
        i++; /* '=' */
        if (i < p->t.len && p->t.ptr[i] == '{') {
            i = param(p, i, true);
        } else {
            while (i < p->t.len && p->t.ptr[i] != '&') {
                if (p->t.ptr[i] == '{' || p->t.ptr[i] == '}') {
                    fail(p, i, 1, "a query value is either a whole {parameter} or literal text");
                    return;
                }
                i++;
            }
        }
        if (i < p->t.len && p->t.ptr[i] != '&') {
            fail(p, i, 1, "expected '&' between query parameters");
            return;
        }
        i++;
    }
}

int url_template_parse(struct arena *a, struct diag *d, const struct jval *v,
                       struct url_template *out)
{
    memset(out, 0, sizeof(*out));
    struct parser p = { a, d, v, v->u.s, out, 0, false };
    size_t i = path(&p);
    if (!p.failed && i < p.t.len)
        query(&p, i + 1);
    return p.failed ? -1 : 0;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *url_template_key(struct arena *a, const char *text)
{
    size_t n = strlen(text);
    char *out = arena_alloc(a, n + 3);
    size_t o = 0, i = 0;
    while (i < n && text[i] != '?') {
        if (text[i] == '{') {
            while (i < n && text[i] != '}')
                i++;
            out[o++] = '{';
            out[o++] = '}';
            i++;
            continue;
        }
        char c = text[i++];
        out[o++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    if (o > 1 && out[o - 1] == '/')
        o--; /* "resource" and "resource/" are the same operation in APIM */
    out[o] = '\0';
    if (i >= n)
        return out;
    /* Query pairs: parameters by name only, sorted. */
    const char *pairs[64];
    size_t np = 0;
    char *q = arena_strdup(a, text + i + 1);
    for (char *s = q; s && np < 64;) {
        char *amp = strchr(s, '&');
        if (amp)
            *amp = '\0';
        char *eq = strchr(s, '=');
        if (eq && eq[1] == '{')
            eq[1] = '\0';
        pairs[np++] = s;
        s = amp ? amp + 1 : NULL;
    }
    qsort(pairs, np, sizeof(*pairs), cmp_cstr);
    const char *key = out;
    for (size_t k = 0; k < np; k++)
        key = arena_printf(a, "%s%c%s", key, k ? '&' : '?', pairs[k]);
    return key;
}
