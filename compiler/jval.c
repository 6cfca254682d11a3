#include "jval.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "apim_limits.h"
#include "json.tab.h"
#include "utf8.h"

/* From the generated scanner (json.lex.c). */
typedef void *yyscan_t;
int json_yylex_init_extra(struct jval_parse_ctx *extra, yyscan_t *scanner);
int json_yylex_destroy(yyscan_t scanner);
struct yy_buffer_state *json_yy_scan_bytes(const char *bytes, int len, yyscan_t scanner);

/* ---- parsing ---- */

void jval_parse_error(struct jval_parse_ctx *c, struct loc at, enum diag_code code, const char *fmt,
                      ...)
{
    if (c->fatal)
        return;
    if (++c->errors > APIM_MAX_ERRORS_PER_FILE) {
        diag_emit(c->diag, DC_TOO_MANY_ERRORS, at, "too many errors; giving up on this file");
        c->fatal = true;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    struct diag_entry *e = diag_vemit_level(c->diag, diag_code_level(code), code, at, fmt, ap);
    va_end(ap);
    /* Right after a string that spans lines, the likely cause is its missing
     * closing quote. */
    const struct loc *ml = &c->multiline_string;
    if (ml->src && (code == DC_SYNTAX || code == DC_BAD_CHAR) && at.start >= ml->end &&
        at.start - ml->end < 64) {
        diag_note(c->diag, e, (struct loc){ ml->src, ml->start, ml->start + 1 },
                  "the string that starts here runs over several lines; is its closing '\"' "
                  "missing?");
        c->multiline_string = LOC_NONE;
        /* With a quote missing, every later string is inside out: stop here. */
        c->fatal = true;
    }
}

static bool only_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

static struct jval *parse(struct arena *a, struct diag *d, const struct source *src, bool lenient)
{
    struct jval_parse_ctx ctx = { .arena = a, .diag = d, .src = src, .lenient = lenient };
    if (only_space(src->text, src->len)) {
        diag_emit(d, DC_EMPTY_INPUT, (struct loc){ src, 0, 0 }, "file is empty");
        return NULL;
    }
    size_t bad = utf8_check((const unsigned char *)src->text, src->len);
    if (bad < src->len) {
        diag_emit(d, DC_BAD_UTF8, (struct loc){ src, (uint32_t)bad, (uint32_t)bad + 1 },
                  "invalid UTF-8 byte 0x%02x", (unsigned char)src->text[bad]);
        return NULL;
    }
    yyscan_t scanner;
    if (json_yylex_init_extra(&ctx, &scanner) != 0)
        xalloc_die(0);
    json_yy_scan_bytes(src->text, (int)src->len, scanner);
    int rc = json_yyparse(scanner, &ctx);
    json_yylex_destroy(scanner);
    if (rc != 0 || ctx.errors > 0 || ctx.root == NULL)
        return NULL;
    return ctx.root;
}

struct jval *jval_parse(struct arena *a, struct diag *d, const struct source *src)
{
    return parse(a, d, src, false);
}

struct jval *jval_parse_lenient(struct arena *a, struct diag *d, const struct source *src)
{
    return parse(a, d, src, true);
}

struct jval *jval_new_literal(struct jval_parse_ctx *c, enum jval_kind k, struct loc at)
{
    struct jval *n = ARENA_NEW(c->arena, struct jval);
    n->kind = k;
    n->flags = JV_F_LITERAL;
    n->loc = at;
    return n;
}

struct jval_build jval_build_first(struct jval_parse_ctx *c, struct loc key_loc, struct str key,
                                   struct jval *v)
{
    return jval_build_add(c, (struct jval_build){ 0 }, key_loc, key, v);
}

struct jval_build jval_build_add(struct jval_parse_ctx *c, struct jval_build b, struct loc key_loc,
                                 struct str key, struct jval *v)
{
    if (v == NULL) /* a member or element lost to error recovery */
        return b;
    struct jval_list *l = ARENA_NEW(c->arena, struct jval_list);
    l->m.key = key;
    l->m.key_loc = key_loc;
    l->m.value = v;
    if (b.tail)
        b.tail->next = l;
    else
        b.head = l;
    b.tail = l;
    b.n++;
    return b;
}

struct jval *jval_finish_array(struct jval_parse_ctx *c, struct loc at, struct jval_build b)
{
    struct jval *n = jval_new_literal(c, JV_ARRAY, at);
    n->u.a.v = ARENA_ARRAY(c->arena, struct jval *, b.n);
    size_t i = 0;
    for (struct jval_list *l = b.head; l; l = l->next)
        n->u.a.v[i++] = l->m.value;
    n->u.a.n = i;
    return n;
}

struct key_ref {
    const struct jval_member *m;
    size_t index;
};

static int cmp_key(const void *pa, const void *pb)
{
    const struct key_ref *a = pa, *b = pb;
    int d = str_icmp(a->m->key, b->m->key);
    if (d)
        return d;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* ARM keeps the last of duplicate keys (as most JSON readers do), but a
 * duplicate is almost always a mistake, so say so. Keys are compared without
 * case, the way ARM looks them up. */
static size_t drop_duplicates(struct jval_parse_ctx *c, struct jval_member *v, size_t n)
{
    if (n < 2)
        return n;
    struct key_ref *refs = xmalloc(n * sizeof(*refs));
    bool *dropped = xcalloc(n, sizeof(bool));
    for (size_t i = 0; i < n; i++)
        refs[i] = (struct key_ref){ &v[i], i };
    qsort(refs, n, sizeof(*refs), cmp_key);
    for (size_t i = 1; i < n; i++) {
        const struct jval_member *prev = refs[i - 1].m, *cur = refs[i].m;
        if (str_icmp(prev->key, cur->key) != 0)
            continue;
        dropped[refs[i - 1].index] = true;
        struct diag_entry *e;
        if (str_eq(prev->key, cur->key))
            e = diag_emit(c->diag, DC_DUPLICATE_KEY, cur->key_loc,
                          "duplicate key '%.*s'; the last value is used", STR_FMT(cur->key));
        else
            e = diag_emit(c->diag, DC_DUPLICATE_KEY, cur->key_loc,
                          "key '%.*s' repeats '%.*s' in a different case; the last value is used",
                          STR_FMT(cur->key), STR_FMT(prev->key));
        diag_note(c->diag, e, prev->key_loc, "previous value here");
    }
    size_t out = 0;
    for (size_t i = 0; i < n; i++)
        if (!dropped[i])
            v[out++] = v[i];
    free(refs);
    free(dropped);
    return out;
}

struct jval *jval_finish_object(struct jval_parse_ctx *c, struct loc at, struct jval_build b)
{
    struct jval *n = jval_new_literal(c, JV_OBJECT, at);
    n->u.o.v = ARENA_ARRAY(c->arena, struct jval_member, b.n);
    size_t i = 0;
    for (struct jval_list *l = b.head; l; l = l->next)
        n->u.o.v[i++] = l->m;
    n->u.o.n = drop_duplicates(c, n->u.o.v, i);
    return n;
}

void jval_trailing_comma(struct jval_parse_ctx *c, struct loc comma)
{
    diag_emit(c->diag, DC_TRAILING_COMMA, comma, "trailing comma; strict JSON readers reject it");
}

/* ---- strings ---- */

static long hex4(const char *p, size_t avail)
{
    if (avail < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = str_hex_digit(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Decodes one escape at text[i] == '\\'. Returns the bytes consumed, or 0 if
 * the escape is invalid. */
static size_t unescape_one(const char *text, size_t i, size_t len, char out[4], size_t *outn)
{
    if (i + 1 >= len)
        return 0;
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k = memchr(from, text[i + 1], sizeof(from) - 1);
    if (k) {
        out[0] = to[k - from];
        *outn = 1;
        return 2;
    }
    if (text[i + 1] != 'u')
        return 0;
    long hi = hex4(text + i + 2, len - i - 2);
    if (hi < 0)
        return 0;
    uint32_t cp = (uint32_t)hi;
    size_t used = 6;
    if (hi >= 0xD800 && hi <= 0xDBFF && i + 7 < len && text[i + 6] == '\\' && text[i + 7] == 'u') {
        long lo = hex4(text + i + 8, len - i - 8);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + (((uint32_t)hi - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
            used = 12;
        }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = 0xFFFD; /* a lone surrogate cannot be UTF-8 */
    *outn = utf8_encode(cp, out);
    return used;
}

size_t jval_unescape(const char *text, size_t len, struct buf *out, uint32_t *offsets)
{
    size_t first_bad = 0;
    size_t i = 0;
    while (i < len) {
        char tmp[4];
        size_t n = 1, used = 1;
        tmp[0] = text[i];
        if (text[i] == '\\') {
            used = unescape_one(text, i, len, tmp, &n);
            if (used == 0) {
                if (!first_bad)
                    first_bad = i + 1;
                used = 1, n = 1;
            }
        }
        if (offsets)
            for (size_t k = 0; k < n; k++)
                offsets[out->len + k] = (uint32_t)i;
        if (buf_append(out, tmp, n))
            return first_bad ? first_bad : i + 1;
        i += used;
    }
    if (offsets)
        offsets[out->len] = (uint32_t)len;
    return first_bad;
}

uint32_t *jval_string_offsets(struct arena *a, const struct jval *str)
{
    if (!(str->flags & JV_F_LITERAL) && str->origin)
        str = str->origin;
    if (str->kind != JV_STRING || !(str->flags & JV_F_LITERAL) || str->loc.src == NULL)
        return NULL;
    const char *raw = str->loc.src->text + str->loc.start + 1;
    size_t rawlen = str->loc.end - str->loc.start >= 2 ? str->loc.end - str->loc.start - 2 : 0;
    uint32_t *off = arena_alloc(a, (str->u.s.len + 1) * sizeof(uint32_t));
    uint32_t quote = (str->flags & JV_F_VERBATIM) ? 0 : 1;
    if (!(str->flags & JV_F_ESCAPED)) {
        for (size_t i = 0; i <= str->u.s.len; i++)
            off[i] = str->loc.start + quote + (uint32_t)i;
        return off;
    }
    struct buf b;
    buf_init(&b, APIM_MAX_INPUT_SIZE);
    uint32_t *tmp = xmalloc((rawlen + 1) * sizeof(uint32_t));
    (void)jval_unescape(raw, rawlen, &b, tmp);
    size_t n = b.len < str->u.s.len ? b.len : str->u.s.len;
    for (size_t i = 0; i < n; i++)
        off[i] = str->loc.start + 1 + tmp[i];
    for (size_t i = n; i <= str->u.s.len; i++)
        off[i] = str->loc.end - 1;
    free(tmp);
    buf_release(&b);
    return off;
}

struct loc jval_string_subloc(const struct jval *str, size_t start, size_t end)
{
    if (!(str->flags & JV_F_LITERAL) && str->origin)
        str = str->origin;
    if (str->kind != JV_STRING || !(str->flags & JV_F_LITERAL) || str->loc.src == NULL)
        return str->loc;
    if (start > str->u.s.len)
        start = str->u.s.len;
    if (end > str->u.s.len)
        end = str->u.s.len;
    uint32_t quote = (str->flags & JV_F_VERBATIM) ? 0 : 1;
    if (!(str->flags & JV_F_ESCAPED))
        return (struct loc){ str->loc.src, str->loc.start + quote + (uint32_t)start,
                             str->loc.start + quote + (uint32_t)end };
    /* Rare: escapes inside an expression. Decode again to find the bytes. */
    struct arena tmp;
    arena_init(&tmp, 4096);
    uint32_t *off = jval_string_offsets(&tmp, str);
    struct loc l = { str->loc.src, off[start], end > start ? off[end - 1] + 1 : off[start] };
    if (end > start && end <= str->u.s.len)
        l.end = off[end] > off[end - 1] ? off[end] : off[end - 1] + 1;
    arena_release(&tmp);
    return l;
}

/* ---- values ---- */

static struct jval *node(struct arena *a, enum jval_kind k, struct loc at)
{
    struct jval *n = ARENA_NEW(a, struct jval);
    n->kind = k;
    n->loc = at;
    return n;
}

struct jval *jval_null(struct arena *a, struct loc at)
{
    return node(a, JV_NULL, at);
}

struct jval *jval_bool(struct arena *a, struct loc at, bool b)
{
    struct jval *n = node(a, JV_BOOL, at);
    n->u.b = b;
    return n;
}

struct jval *jval_int(struct arena *a, struct loc at, int64_t i)
{
    struct jval *n = node(a, JV_INT, at);
    n->u.i = i;
    return n;
}

struct jval *jval_string(struct arena *a, struct loc at, const char *s, size_t len)
{
    struct jval *n = node(a, JV_STRING, at);
    n->u.s.ptr = arena_strndup(a, s, len);
    n->u.s.len = len;
    return n;
}

struct jval *jval_cstring(struct arena *a, struct loc at, const char *s)
{
    return jval_string(a, at, s, strlen(s));
}

struct jval *jval_array(struct arena *a, struct loc at, size_t n)
{
    struct jval *v = node(a, JV_ARRAY, at);
    v->u.a.v = ARENA_ARRAY(a, struct jval *, n);
    v->u.a.n = n;
    return v;
}

struct jval *jval_object(struct arena *a, struct loc at, size_t n)
{
    struct jval *v = node(a, JV_OBJECT, at);
    v->u.o.v = ARENA_ARRAY(a, struct jval_member, n);
    v->u.o.n = n;
    return v;
}

struct jval *jval_unknown(struct arena *a, struct loc at, const char *why)
{
    struct jval *n = node(a, JV_UNKNOWN, at);
    n->u.why = why;
    return n;
}

struct jval *jval_poison(struct arena *a, struct loc at)
{
    struct jval *n = jval_unknown(a, at, "a value whose expression has an error");
    n->flags |= JV_F_POISON;
    return n;
}

bool jval_is_poison(const struct jval *v)
{
    return v && v->kind == JV_UNKNOWN && (v->flags & JV_F_POISON);
}

struct jval_member *jval_get_member(const struct jval *obj, const char *key)
{
    if (obj == NULL || obj->kind != JV_OBJECT)
        return NULL;
    struct str k = str_from_cstr(key);
    for (size_t i = obj->u.o.n; i-- > 0;)
        if (str_ieq(obj->u.o.v[i].key, k))
            return &obj->u.o.v[i];
    return NULL;
}

struct jval *jval_get(const struct jval *obj, const char *key)
{
    struct jval_member *m = jval_get_member(obj, key);
    return m ? m->value : NULL;
}

const char *jval_get_str(const struct jval *obj, const char *key)
{
    struct jval *v = jval_get(obj, key);
    return v && v->kind == JV_STRING ? v->u.s.ptr : NULL;
}

const char *jval_kind_name(enum jval_kind k)
{
    switch (k) {
    case JV_NULL:
        return "null";
    case JV_BOOL:
        return "bool";
    case JV_INT:
        return "int";
    case JV_REAL:
        return "number";
    case JV_STRING:
        return "string";
    case JV_ARRAY:
        return "array";
    case JV_OBJECT:
        return "object";
    case JV_UNKNOWN:
        break;
    }
    return "unknown";
}

bool jval_equal(const struct jval *a, const struct jval *b, bool icase)
{
    if (a->kind != b->kind) {
        if ((a->kind == JV_INT && b->kind == JV_REAL) ||
            (a->kind == JV_REAL && b->kind == JV_INT)) {
            double x = a->kind == JV_INT ? (double)a->u.i : a->u.r;
            double y = b->kind == JV_INT ? (double)b->u.i : b->u.r;
            return x == y;
        }
        return false;
    }
    switch (a->kind) {
    case JV_NULL:
        return true;
    case JV_BOOL:
        return a->u.b == b->u.b;
    case JV_INT:
        return a->u.i == b->u.i;
    case JV_REAL:
        return a->u.r == b->u.r;
    case JV_STRING:
        return icase ? str_ieq(a->u.s, b->u.s) : str_eq(a->u.s, b->u.s);
    case JV_ARRAY:
        if (a->u.a.n != b->u.a.n)
            return false;
        for (size_t i = 0; i < a->u.a.n; i++)
            if (!jval_equal(a->u.a.v[i], b->u.a.v[i], icase))
                return false;
        return true;
    case JV_OBJECT:
        if (a->u.o.n != b->u.o.n)
            return false;
        for (size_t i = 0; i < a->u.o.n; i++) {
            struct jval *other = jval_get(b, a->u.o.v[i].key.ptr);
            if (other == NULL || !jval_equal(a->u.o.v[i].value, other, icase))
                return false;
        }
        return true;
    case JV_UNKNOWN:
        break;
    }
    return false;
}

static int write_string(struct str s, struct buf *out)
{
    return utf8_json_string(out, s, UTF8_JSON_SHORT_ESCAPES);
}

int jval_write(const struct jval *v, struct buf *out)
{
    return jval_write_capped(v, out, UINT_MAX);
}

int jval_write_capped(const struct jval *v, struct buf *out, unsigned depth)
{
    switch (v->kind) {
    case JV_NULL:
    case JV_UNKNOWN:
        return buf_puts(out, "null");
    case JV_BOOL:
        return buf_puts(out, v->u.b ? "true" : "false");
    case JV_INT:
        return buf_printf(out, "%lld", (long long)v->u.i);
    case JV_REAL:
        return isfinite(v->u.r) ? buf_printf(out, "%.17g", v->u.r) : buf_puts(out, "null");
    case JV_STRING:
        return write_string(v->u.s, out);
    case JV_ARRAY:
        if (buf_append(out, "[", 1) || depth == 0)
            return -1;
        for (size_t i = 0; i < v->u.a.n; i++)
            if ((i && buf_append(out, ",", 1)) || jval_write_capped(v->u.a.v[i], out, depth - 1))
                return -1;
        return buf_append(out, "]", 1);
    case JV_OBJECT:
        if (buf_append(out, "{", 1) || depth == 0)
            return -1;
        for (size_t i = 0; i < v->u.o.n; i++) {
            if ((i && buf_append(out, ",", 1)) || write_string(v->u.o.v[i].key, out) ||
                buf_append(out, ":", 1) || jval_write_capped(v->u.o.v[i].value, out, depth - 1))
                return -1;
        }
        return buf_append(out, "}", 1);
    }
    return -1;
}
