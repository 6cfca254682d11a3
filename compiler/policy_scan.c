#include "policy_scan.h"

#include <string.h>

struct scanner {
    struct arena *arena;
    const char *s;
    size_t n, i;
    struct policy_element *head, *tail;
};

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == ':' || c == '.';
}

static void skip_space(struct scanner *sc)
{
    while (sc->i < sc->n && strchr(" \t\r\n", sc->s[sc->i]))
        sc->i++;
}

/* Skips a C# string literal starting at sc->i ("...", @"...", $"...'). */
static void skip_csharp_string(struct scanner *sc)
{
    bool verbatim = sc->i > 0 && sc->s[sc->i - 1] == '@';
    char q = sc->s[sc->i++];
    while (sc->i < sc->n && sc->s[sc->i] != q) {
        if (sc->s[sc->i] == '\\' && !verbatim)
            sc->i++;
        sc->i++;
    }
    sc->i++;
}

/* An attribute value that is an expression may hold the quote character
 * itself (rawxml): find its end by matching brackets, then the quote. */
static void skip_expression(struct scanner *sc)
{
    char open = sc->s[sc->i + 1], close = open == '(' ? ')' : '}';
    int depth = 0;
    sc->i += 1;
    while (sc->i < sc->n) {
        char c = sc->s[sc->i];
        if (c == '"' || c == '\'') {
            skip_csharp_string(sc);
            continue;
        }
        if (c == open)
            depth++;
        else if (c == close && --depth == 0) {
            sc->i++;
            return;
        }
        sc->i++;
    }
}

static bool has_named_value(struct str v)
{
    for (size_t i = 0; i + 1 < v.len; i++)
        if (v.ptr[i] == '{' && v.ptr[i + 1] == '{')
            return true;
    return false;
}

static bool attr_value(struct scanner *sc, struct policy_attr *a)
{
    if (sc->i >= sc->n || (sc->s[sc->i] != '"' && sc->s[sc->i] != '\''))
        return false;
    char q = sc->s[sc->i++];
    size_t b = sc->i;
    if (sc->i + 1 < sc->n && sc->s[sc->i] == '@' &&
        (sc->s[sc->i + 1] == '(' || sc->s[sc->i + 1] == '{'))
        skip_expression(sc);
    while (sc->i < sc->n && sc->s[sc->i] != q)
        sc->i++;
    if (sc->i >= sc->n)
        return false;
    a->value = (struct str){ sc->s + b, sc->i - b };
    a->literal = memchr(a->value.ptr, '@', a->value.len) == NULL && !has_named_value(a->value);
    sc->i++;
    return true;
}

/* <name attr="v" ...> or <name ... />; returns false on what it cannot read. */
static bool open_tag(struct scanner *sc, struct policy_element *e, bool *self_closing)
{
    size_t cap = 0;
    for (;;) {
        skip_space(sc);
        if (sc->i >= sc->n)
            return false;
        if (sc->s[sc->i] == '>' || sc->s[sc->i] == '/') {
            *self_closing = sc->s[sc->i] == '/';
            while (sc->i < sc->n && sc->s[sc->i] != '>')
                sc->i++;
            sc->i++;
            return true;
        }
        size_t b = sc->i;
        while (sc->i < sc->n && name_char(sc->s[sc->i]))
            sc->i++;
        if (sc->i == b)
            return false;
        struct policy_attr a = { { sc->s + b, sc->i - b }, STR_NULL, true };
        skip_space(sc);
        if (sc->i >= sc->n || sc->s[sc->i] != '=')
            return false;
        sc->i++;
        skip_space(sc);
        if (!attr_value(sc, &a))
            return false;
        if (e->nattrs == cap) {
            cap = cap ? cap * 2 : 4;
            struct policy_attr *v = ARENA_ARRAY(sc->arena, struct policy_attr, cap);
            if (e->nattrs)
                memcpy(v, e->attrs, e->nattrs * sizeof(*v));
            e->attrs = v;
        }
        e->attrs[e->nattrs++] = a;
    }
}

static void skip_markup(struct scanner *sc)
{
    const char *end = sc->s[sc->i + 1] == '!' && sc->i + 3 < sc->n && sc->s[sc->i + 2] == '-'
                          ? "-->"
                      : sc->s[sc->i + 1] == '!' ? "]]>"
                                                : "?>";
    size_t m = strlen(end);
    while (sc->i + m <= sc->n && memcmp(sc->s + sc->i, end, m) != 0)
        sc->i++;
    sc->i += m;
    if (sc->i > sc->n)
        sc->i = sc->n;
}

static void add(struct scanner *sc, struct policy_element *e)
{
    if (sc->tail)
        sc->tail->next = e;
    else
        sc->head = e;
    sc->tail = e;
}

struct policy_element *policy_scan(struct arena *a, const struct jval *v)
{
    if (v == NULL || v->kind != JV_STRING)
        return NULL;
    struct scanner sc = { a, v->u.s.ptr, v->u.s.len, 0, NULL, NULL };
    struct str stack[64];
    size_t depth = 0;
    while (sc.i < sc.n) {
        if (sc.s[sc.i] != '<') {
            sc.i++;
            continue;
        }
        if (sc.i + 1 < sc.n && (sc.s[sc.i + 1] == '!' || sc.s[sc.i + 1] == '?')) {
            skip_markup(&sc);
            continue;
        }
        if (sc.i + 1 < sc.n && sc.s[sc.i + 1] == '/') {
            depth -= depth > 0;
            while (sc.i < sc.n && sc.s[sc.i] != '>')
                sc.i++;
            continue;
        }
        size_t b = ++sc.i;
        while (sc.i < sc.n && name_char(sc.s[sc.i]))
            sc.i++;
        struct policy_element *e = ARENA_NEW(a, struct policy_element);
        e->name = (struct str){ sc.s + b, sc.i - b };
        e->offset = b;
        bool self_closing = false;
        if (e->name.len == 0 || !open_tag(&sc, e, &self_closing))
            break; /* not something this outline can read: stop, claim nothing */
        if (depth >= 2 && depth - 2 < 62) {
            e->section = stack[1];
            e->depth = (unsigned)(depth - 2);
            add(&sc, e);
        }
        if (!self_closing && depth < 64)
            stack[depth++] = e->name;
    }
    return sc.head;
}

struct str policy_attr_literal(const struct policy_element *e, const char *name)
{
    for (size_t i = 0; i < e->nattrs; i++)
        if (str_ieq_cstr(e->attrs[i].name, name) && e->attrs[i].literal)
            return e->attrs[i].value;
    return STR_NULL;
}
