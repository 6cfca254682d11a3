/* policy_scan.c - the outline of a policy document (see policy_scan.h). */
#include "policy_scan.h"

#include <string.h>

struct scanner {
    struct arena *arena;
    const char *s;
    size_t n, i;
    struct policy_element *head, *tail;
};

#define MAX_LEVELS 64

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

/* Element text: an expression is stepped over whole (rawxml keeps '<' and
 * quotes in it); anything else up to the next '<'. */
static void skip_text(struct scanner *sc)
{
    if (sc->s[sc->i] == '@' && sc->i + 1 < sc->n &&
        (sc->s[sc->i + 1] == '(' || sc->s[sc->i + 1] == '{'))
        skip_expression(sc);
    else
        sc->i++;
}

/* Does the '<' at sc->i start markup? In rawxml, "a < b" is text. */
static bool starts_tag(const struct scanner *sc)
{
    if (sc->i + 1 >= sc->n)
        return false;
    char c = sc->s[sc->i + 1];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c == '/' ||
           c == '!' || c == '?';
}

/* Where a policy stands: see policy_scan.h. */
static void classify(struct policy_element *e, bool fragment)
{
    const struct policy_element *p = e->parent;
    unsigned first = fragment ? 1 : 2;
    if (e->level < first)
        return;
    if (e->level == first)
        e->is_policy = true;
    else if (p->is_policy && p->policy != POLICY_UNKNOWN)
        e->is_policy = (policy_info(p->policy)->flags & POLICY_F_CONTAINER) != 0;
    else if (!p->is_policy && p->parent && p->parent->is_policy &&
             p->parent->policy != POLICY_UNKNOWN)
        e->is_policy = (policy_info(p->parent->policy)->flags & POLICY_F_BRANCHES) != 0;
    e->policy = e->is_policy ? policy_lookup(e->name) : POLICY_UNKNOWN;
}

static struct policy_element *element(struct scanner *sc, struct policy_element **stack,
                                      size_t depth, bool *self_closing)
{
    size_t b = ++sc->i;
    while (sc->i < sc->n && name_char(sc->s[sc->i]))
        sc->i++;
    struct policy_element *e = ARENA_NEW(sc->arena, struct policy_element);
    e->name = (struct str){ sc->s + b, sc->i - b };
    e->offset = b;
    e->level = (unsigned)depth;
    e->parent = depth ? stack[depth - 1] : NULL;
    e->policy = POLICY_UNKNOWN;
    if (e->name.len == 0 || !open_tag(sc, e, self_closing))
        return NULL;
    return e;
}

static void place(struct policy_element *e, struct policy_outline *out)
{
    if (e->level == 0) {
        out->root = e;
        out->fragment = str_eq(e->name, STR_LIT("fragment"));
        return;
    }
    const struct policy_element *sec = e;
    while (sec->level > 1)
        sec = sec->parent;
    if (!out->fragment) {
        e->section = sec->name;
        e->depth = e->level >= 2 ? e->level - 2 : 0;
    } else {
        e->depth = e->level - 1;
    }
    classify(e, out->fragment);
}

/* </name>: closes the innermost open element of that name and any left
 * open inside it (text such as HTML's <br> in a body has no closing tag).
 * A closing tag with no open element of its name is text, so a stray one
 * cannot lift the next element to a level where it looks like a policy.
 * Returns the new depth. */
static size_t close_tag(struct scanner *sc, struct policy_element **stack, size_t depth)
{
    size_t at = sc->i, b = sc->i + 2;
    sc->i = b;
    while (sc->i < sc->n && name_char(sc->s[sc->i]))
        sc->i++;
    struct str name = { sc->s + b, sc->i - b };
    while (sc->i < sc->n && sc->s[sc->i] != '>')
        sc->i++;
    size_t k = depth;
    while (k > 0 && !str_eq(stack[k - 1]->name, name))
        k--;
    if (k == 0)
        return depth;
    for (size_t j = k - 1; j < depth; j++)
        stack[j]->content_end = at;
    return k - 1;
}

void policy_scan(struct arena *a, const struct jval *v, struct policy_outline *out)
{
    *out = (struct policy_outline){ NULL, NULL, false, true, 0 };
    if (v == NULL || v->kind != JV_STRING)
        return;
    struct scanner sc = { a, v->u.s.ptr, v->u.s.len, 0, NULL, NULL };
    struct policy_element *stack[MAX_LEVELS];
    size_t depth = 0;
    while (sc.i < sc.n) {
        if (sc.s[sc.i] != '<' || !starts_tag(&sc)) {
            skip_text(&sc);
            continue;
        }
        if (sc.s[sc.i + 1] == '!' || sc.s[sc.i + 1] == '?') {
            skip_markup(&sc);
            continue;
        }
        if (sc.s[sc.i + 1] == '/') {
            depth = close_tag(&sc, stack, depth);
            continue;
        }
        size_t at = sc.i;
        bool self_closing = false;
        struct policy_element *e =
            depth < MAX_LEVELS ? element(&sc, stack, depth, &self_closing) : NULL;
        if (e == NULL || (depth == 0 && out->root)) {
            out->complete = false; /* not something this outline can read: stop here */
            out->stop = at;
            break;
        }
        place(e, out);
        add(&sc, e);
        e->content = e->content_end = sc.i;
        if (!self_closing)
            stack[depth++] = e;
    }
    out->elements = sc.head;
}

struct str policy_attr_literal(const struct policy_element *e, const char *name)
{
    for (size_t i = 0; i < e->nattrs; i++)
        if (str_ieq_cstr(e->attrs[i].name, name) && e->attrs[i].literal)
            return e->attrs[i].value;
    return STR_NULL;
}

bool policy_liquid_next(const struct policy_element **cursor, size_t from, size_t *start,
                        size_t *end)
{
    for (const struct policy_element *e = *cursor; e; e = e->next) {
        if (e->content_end <= from || !str_eq(e->name, STR_LIT("set-body")) ||
            !str_ieq_cstr(policy_attr_literal(e, "template"), "liquid"))
            continue;
        *cursor = e->next;
        *start = e->content;
        *end = e->content_end;
        return true;
    }
    *cursor = NULL;
    return false;
}
