/* policy_xml.c - the policy XML reader's driver: the token filter that
 * keeps tags balanced, entities, and the tree constructors (policy_xml.h,
 * policy_xml_int.h). */
#include "policy_xml.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_xml.tab.h"

typedef void *yyscan_t;
int pxml_toklex(PXML_YYSTYPE *lval, struct policy_xml_range *lloc, yyscan_t scanner);
int pxml_toklex_init_extra(struct pxml_ctx *extra, yyscan_t *scanner);
int pxml_toklex_destroy(yyscan_t scanner);
struct yy_buffer_state *pxml_tok_scan_bytes(const char *bytes, int len, yyscan_t scanner);

/* ---- errors ---- */

void pxml_error(struct pxml_ctx *c, enum diag_code code, size_t start, size_t end, const char *fmt,
                ...)
{
    if (c->stopped)
        return;
    if (++c->doc->nerrors > APIM_MAX_ERRORS_PER_FILE) {
        c->stopped = c->doc->truncated = true;
        c->doc->stop = start;
        return;
    }
    if (c->diag == NULL)
        return;
    if (end > c->len)
        end = c->len;
    struct loc at = { c->src, (uint32_t)start, (uint32_t)end };
    va_list ap;
    va_start(ap, fmt);
    diag_vemit_level(c->diag, diag_code_level(code), code, at, fmt, ap);
    va_end(ap);
}

/* ---- lexer helpers ---- */

void pxml_unexpected(struct pxml_ctx *c, size_t start, size_t end, const char *where)
{
    const char *t = c->text + start;
    for (size_t i = start; i < end; i++)
        if ((unsigned char)c->text[i] < 0x20 || (unsigned char)c->text[i] >= 0x7f) {
            pxml_error(c, DC_XML_SYNTAX, i, i + 1, "unexpected byte 0x%02x in %s",
                       (unsigned char)c->text[i], where);
            return;
        }
    pxml_error(c, DC_XML_SYNTAX, start, end, "unexpected '%.*s' in %s", (int)(end - start), t,
               where);
}

void pxml_queue(struct pxml_ctx *c, int kind, struct str name, size_t start, size_t end)
{
    if (c->nqueue < sizeof(c->queue) / sizeof(c->queue[0]))
        c->queue[c->nqueue++] = (struct pxml_token){ kind, name, start, end };
}

void pxml_comment(struct pxml_ctx *c, size_t start, size_t end)
{
    struct policy_xml_doc *d = c->doc;
    if (d->ncomments == c->comments_cap) {
        size_t cap = c->comments_cap ? c->comments_cap * 2 : 8;
        struct policy_xml_range *v = ARENA_ARRAY(c->arena, struct policy_xml_range, cap);
        if (d->ncomments)
            memcpy(v, d->comments, d->ncomments * sizeof(*v));
        d->comments = v;
        c->comments_cap = cap;
    }
    d->comments[d->ncomments++] = (struct policy_xml_range){ start, end };
}

static void put(struct pxml_ctx *c, struct buf *out, const char *p, size_t n)
{
    if (buf_append(out, p, n) != 0)
        pxml_error(c, DC_XML_LIMIT, c->pos, c->pos, "policy text is too long");
}

static void put_utf8(struct pxml_ctx *c, struct buf *out, unsigned long cp)
{
    char b[4];
    size_t n = 0;
    if (cp < 0x80) {
        b[n++] = (char)cp;
    } else if (cp < 0x800) {
        b[n++] = (char)(0xC0 | (cp >> 6));
        b[n++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        b[n++] = (char)(0xE0 | (cp >> 12));
        b[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[n++] = (char)(0x80 | (cp & 0x3F));
    } else {
        b[n++] = (char)(0xF0 | (cp >> 18));
        b[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[n++] = (char)(0x80 | (cp & 0x3F));
    }
    put(c, out, b, n);
}

/* A character XML allows (XML 1.0 section 2.2, "Char"). */
static bool xml_char(unsigned long cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* The value of a predefined entity or character reference s[0..n) (without
 * '&' and ';'), or -1. */
static long entity_value(const char *s, size_t n)
{
    static const struct {
        const char *name;
        char c;
    } named[] = { { "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' }, { "apos", '\'' } };

    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        if (strlen(named[i].name) == n && memcmp(named[i].name, s, n) == 0)
            return named[i].c;
    if (n < 2 || s[0] != '#')
        return -1;
    bool hex = s[1] == 'x';
    char tmp[16];
    if (n - 1 - hex >= sizeof(tmp) || n - 1 - hex == 0)
        return -1;
    memcpy(tmp, s + 1 + hex, n - 1 - hex);
    tmp[n - 1 - hex] = '\0';
    char *end = NULL;
    unsigned long v = strtoul(tmp, &end, hex ? 16 : 10);
    return (*end == '\0' && xml_char(v)) ? (long)v : -1;
}

void pxml_entity(struct pxml_ctx *c, size_t start, size_t end, struct buf *out)
{
    const char *s = c->text + start;
    size_t n = end - start;
    long v = n >= 3 ? entity_value(s + 1, n - 2) : -1;
    if (v >= 0) {
        put_utf8(c, out, (unsigned long)v);
        return;
    }
    if (n == 1)
        pxml_error(c, DC_XML_ENTITY, start, end,
                   "'&' that starts no entity must be written '&amp;'");
    else if (s[1] == '#')
        pxml_error(c, DC_XML_ENTITY, start, end, "'%.*s' is not a character XML allows", (int)n, s);
    else
        pxml_error(c, DC_XML_ENTITY, start, end,
                   "unknown entity '%.*s'; XML defines only &lt; &gt; &amp; &quot; &apos;", (int)n,
                   s);
    put(c, out, s, n);
}

/* The entity at text[i] ("&...;", before end) an island decodes: its
 * length, with its value in *v; or 0 if none starts there. */
static size_t entity_at(const char *text, size_t i, size_t end, long *v)
{
    if (text[i] != '&')
        return 0;
    const char *semi = memchr(text + i, ';', end - i < 12 ? end - i : 12);
    if (semi == NULL)
        return 0;
    size_t n = (size_t)(semi - text) - i;
    *v = n >= 2 ? entity_value(text + i + 1, n - 1) : -1;
    return *v < 0 ? 0 : n + 1;
}

/* The entity at text[i] ("&...;"), decoded into out: its length, or 0. */
static size_t decode_one(struct pxml_ctx *c, size_t i, size_t end, struct buf *out)
{
    long v = -1;
    size_t n = entity_at(c->text, i, end, &v);
    if (n)
        put_utf8(c, out, (unsigned long)v);
    return n;
}

static size_t utf8_len(unsigned long cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

size_t policy_xml_decode_map(const char *text, size_t start, size_t end, uint32_t *map)
{
    size_t k = 0;
    for (size_t i = start; i < end;) {
        long v = -1;
        size_t n = entity_at(text, i, end, &v);
        for (size_t j = n ? utf8_len((unsigned long)v) : 1; j > 0; j--)
            map[k++] = (uint32_t)i;
        i += n ? n : 1;
    }
    map[k] = (uint32_t)end;
    return k;
}

struct str pxml_decode(struct pxml_ctx *c, size_t start, size_t end)
{
    if (memchr(c->text + start, '&', end - start) == NULL)
        return (struct str){ c->text + start, end - start };
    struct buf b;
    buf_init(&b, APIM_MAX_INPUT_SIZE);
    for (size_t i = start; i < end;) {
        size_t n = c->text[i] == '&' ? decode_one(c, i, end, &b) : 0;
        if (n == 0)
            put(c, &b, c->text + i, 1);
        i += n ? n : 1;
    }
    struct str s = { arena_strndup(c->arena, b.data ? b.data : "", b.len), b.len };
    buf_release(&b);
    return s;
}

struct str pxml_take_value(struct pxml_ctx *c)
{
    struct str s = { arena_strndup(c->arena, c->value.data ? c->value.data : "", c->value.len),
                     c->value.len };
    buf_reset(&c->value);
    return s;
}

/* An attribute value's closing quote q: one followed by what may follow a
 * value ('>', '/>', the next attribute's name and '='). */
static bool closes_value(const struct pxml_ctx *c, size_t i)
{
    for (i++; i < c->len && strchr(" \t\r\n", c->text[i]) && c->text[i]; i++)
        ;
    if (i >= c->len || c->text[i] == '>' ||
        (c->text[i] == '/' && i + 1 < c->len && c->text[i + 1] == '>'))
        return true;
    size_t b = i;
    while (i < c->len && (isalnum((unsigned char)c->text[i]) || strchr("-_:.", c->text[i])) &&
           c->text[i])
        i++;
    while (i < c->len && strchr(" \t\r\n", c->text[i]) && c->text[i])
        i++;
    return i > b && i < c->len && c->text[i] == '=';
}

bool pxml_island(struct pxml_ctx *c, char quote)
{
    size_t at = c->pos - 2;
    size_t end = policy_xml_island_end(c->text, c->len, at);
    if (end == 0) {
        pxml_error(c, DC_XML_EXPRESSION, at, at + 2, "expression '%.2s' is not closed with '%c'",
                   c->text + at, c->text[at + 1] == '(' ? ')' : '}');
        /* In a value, the expression is taken to end where the value
         * seems to: so one broken expression is one error. */
        for (end = at + 2; quote && end < c->len; end++)
            if (c->text[end] == quote && closes_value(c, end))
                break;
        if (!quote || end >= c->len)
            return false;
    }
    c->island_start = at;
    c->island_end = end;
    return true;
}

/* ---- the token filter: balanced tags ---- */

/* Made-up end tags for the elements open above level k, each reported. */
static void close_above(struct pxml_ctx *c, size_t k, size_t at)
{
    for (size_t i = c->depth; i > k; i--) {
        const struct pxml_open *o = &c->stack[i - 1];
        pxml_error(c, DC_XML_UNCLOSED, o->start, o->end, "element '<%.*s>' is not closed",
                   STR_FMT(o->name));
        pxml_queue(c, ETAG, o->name, at, at);
    }
    c->depth = k;
}

/* An end tag: closes its element (and those left open inside it), or is
 * dropped if no element of its name is open. */
static void end_tag(struct pxml_ctx *c, const struct pxml_token *t)
{
    size_t k = c->depth;
    while (k > 0 && !str_eq(c->stack[k - 1].name, t->name))
        k--;
    if (k == 0) {
        pxml_error(c, DC_XML_STRAY_CLOSE, t->start, t->end,
                   "end tag '</%.*s>' has no open element '<%.*s>'", STR_FMT(t->name),
                   STR_FMT(t->name));
        return;
    }
    close_above(c, k, t->start);
    c->depth = k - 1;
    pxml_queue(c, ETAG, t->name, t->start, t->end);
}

static int next_raw(struct pxml_ctx *c, PXML_YYSTYPE *lval, struct policy_xml_range *lloc,
                    void *scanner)
{
    if (c->qhead < c->nqueue) {
        const struct pxml_token *t = &c->queue[c->qhead++];
        if (c->qhead == c->nqueue)
            c->qhead = c->nqueue = 0;
        lval->tok = *t;
        *lloc = (struct policy_xml_range){ t->start, t->end };
        return t->kind;
    }
    if (c->stopped)
        return END;
    return pxml_toklex(lval, lloc, scanner);
}

/* Nesting past the cap ends the reading: what is open is closed there. */
static void stop_deep(struct pxml_ctx *c, const struct pxml_token *t)
{
    pxml_error(c, DC_XML_LIMIT, t->start, t->end,
               "elements nest deeper than %d levels; the rest is not read", APIM_MAX_XML_DEPTH);
    c->stopped = c->doc->truncated = true;
    c->doc->stop = t->start - 1;
}

/* What a token does to the open elements; false: it is dropped (and what
 * stands for it queued). */
static bool balance(struct pxml_ctx *c, int kind, PXML_YYSTYPE *lval)
{
    if (kind == ETAG) {
        end_tag(c, &lval->tok); /* queues it if it closes anything */
        return false;
    }
    if (kind == STAG && c->depth == APIM_MAX_XML_DEPTH)
        stop_deep(c, &lval->tok);
    if (kind == END || (c->stopped && kind == STAG)) {
        if (c->swallowed) /* an unclosed comment took the end tags: said already */
            c->stopped = true;
        /* Truncated: what is open closes where the lexer is (past every
         * token the grammar has seen, so no range runs backwards). */
        close_above(c, 0, c->doc->truncated ? c->pos : c->len);
        pxml_queue(c, END, STR_NULL, c->len, c->len);
        return false;
    }
    if (kind == STAG)
        c->stack[c->depth++] = (struct pxml_open){ lval->tok.name, lval->tok.start, lval->tok.end };
    else if (kind == EMPTY && c->depth)
        c->depth--;
    return true;
}

int pxml_yylex(PXML_YYSTYPE *lval, struct policy_xml_range *lloc, struct pxml_ctx *ctx)
{
    for (;;) {
        bool queued = ctx->qhead < ctx->nqueue;
        int kind = next_raw(ctx, lval, lloc, ctx->scanner);
        if (queued || balance(ctx, kind, lval))
            return kind;
    }
}

/* ---- the tree ---- */

struct pxml_attrs pxml_attr_add(struct pxml_ctx *c, struct pxml_attrs l, struct pxml_token name,
                                const struct pxml_piece *v)
{
    if (v == NULL)
        pxml_error(c, DC_XML_ATTRIBUTE, name.start, name.end,
                   "attribute '%.*s' has no value; write %.*s=\"...\"", STR_FMT(name.name),
                   STR_FMT(name.name));
    if (name.name.len == 0)
        return l;
    for (size_t i = 0; i < l.n; i++)
        if (str_eq(l.v[i].name, name.name)) {
            pxml_error(c, DC_XML_ATTRIBUTE, name.start, name.end, "attribute '%.*s' is given twice",
                       STR_FMT(name.name));
            return l;
        }
    if (l.n == APIM_MAX_XML_ATTRS) {
        pxml_error(c, DC_XML_LIMIT, name.start, name.end, "more than %d attributes on one element",
                   APIM_MAX_XML_ATTRS);
        return l;
    }
    if (l.n == l.cap) {
        l.cap = l.cap ? l.cap * 2 : 4;
        struct policy_xml_attr *nv = ARENA_ARRAY(c->arena, struct policy_xml_attr, l.cap);
        if (l.n)
            memcpy(nv, l.v, l.n * sizeof(*nv));
        l.v = nv;
    }
    struct policy_xml_attr *a = &l.v[l.n++];
    a->name = name.name;
    a->name_at = (struct policy_xml_range){ name.start, name.end };
    a->value_at = v ? v->at : (struct policy_xml_range){ name.end, name.end };
    a->raw = (struct str){ c->text + a->value_at.start, a->value_at.end - a->value_at.start };
    a->value = v ? v->text : STR_NULL;
    a->expr = v && v->expr;
    a->quoted = v && v->quoted;
    return l;
}

struct policy_xml_node *pxml_element(struct pxml_ctx *c, struct pxml_token stag,
                                     struct pxml_attrs attrs, size_t content,
                                     const struct pxml_list *children, struct pxml_token etag)
{
    struct policy_xml_node *e = ARENA_NEW(c->arena, struct policy_xml_node);
    e->kind = PXML_ELEMENT;
    e->name = stag.name;
    e->name_at = (struct policy_xml_range){ stag.start, stag.end };
    e->at = (struct policy_xml_range){ stag.start - 1, etag.end };
    e->attrs = attrs.v;
    e->nattrs = attrs.n;
    e->empty_tag = children == NULL;
    e->closed = children == NULL || etag.end > etag.start;
    e->content = (struct policy_xml_range){ content, children ? etag.start : content };
    if (children) {
        e->children = children->head;
        e->last_child = children->tail;
    }
    for (struct policy_xml_node *k = e->children; k; k = k->next)
        k->parent = e;
    return e;
}

struct policy_xml_node *pxml_text(struct pxml_ctx *c, const struct pxml_piece *p)
{
    struct policy_xml_node *t = ARENA_NEW(c->arena, struct policy_xml_node);
    t->kind = p->expr ? PXML_EXPR : PXML_TEXT;
    t->at = t->content = p->at;
    t->text = p->text;
    t->closed = true;
    return t;
}

struct pxml_list pxml_add(struct pxml_list l, struct policy_xml_node *n)
{
    if (l.tail)
        l.tail->next = n;
    else
        l.head = n;
    l.tail = n;
    return l;
}

static bool blank(struct str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (!strchr(" \t\r\n", s.ptr[i]) || s.ptr[i] == '\0')
            return false;
    return true;
}

/* One root element, and nothing but white space and markup around it. */
void pxml_document(struct pxml_ctx *c, const struct pxml_list *top)
{
    for (const struct policy_xml_node *n = top->head; n; n = n->next) {
        if (n->kind == PXML_ELEMENT && c->doc->root == NULL)
            c->doc->root = n;
        else if (n->kind == PXML_ELEMENT)
            pxml_error(c, DC_XML_ROOT, n->name_at.start, n->name_at.end,
                       "a policy document has one root element; '<%.*s>' is a second one",
                       STR_FMT(n->name));
        else if (!blank(n->text))
            pxml_error(c, DC_XML_ROOT, n->at.start, n->at.end,
                       "text %s the root element; a policy document holds one element",
                       c->doc->root ? "after" : "before");
    }
}

/* ---- reading ---- */

int policy_xml_read(struct arena *a, struct diag *d, const struct source *src, const char *text,
                    size_t len, struct policy_xml_doc *out)
{
    *out = (struct policy_xml_doc){ 0 };
    if (len > APIM_MAX_INPUT_SIZE) { /* the inputs are capped there already */
        out->truncated = true;
        out->nerrors = 1;
        if (d)
            diag_emit(d, DC_XML_LIMIT, (struct loc){ src, 0, 0 },
                      "policy text is larger than %u bytes; it is not read", APIM_MAX_INPUT_SIZE);
        return -1;
    }
    struct pxml_ctx *c = xcalloc(1, sizeof(*c));
    c->arena = a;
    c->diag = d;
    c->src = src;
    c->text = text;
    c->len = len;
    c->doc = out;
    buf_init(&c->value, APIM_MAX_INPUT_SIZE);
    if (pxml_toklex_init_extra(c, &c->scanner) != 0)
        xalloc_die(0);
    pxml_tok_scan_bytes(text, (int)len, c->scanner);
    if (pxml_yyparse(c) != 0 && !c->stopped)
        pxml_error(c, DC_XML_SYNTAX, c->pos, c->pos, "policy text cannot be read from here on");
    pxml_toklex_destroy(c->scanner);
    buf_release(&c->value);
    free(c);
    return out->nerrors ? -1 : 0;
}

const struct policy_xml_attr *policy_xml_attr(const struct policy_xml_node *e, const char *name)
{
    for (size_t i = 0; i < e->nattrs; i++)
        if (str_eq(e->attrs[i].name, str_from_cstr(name)))
            return &e->attrs[i];
    return NULL;
}
