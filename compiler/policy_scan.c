/* policy_scan.c - the outline of a policy document (see policy_scan.h). */
#include "policy_scan.h"

#include <string.h>

struct walk {
    struct arena *arena;
    struct policy_outline *out;
    struct policy_element *head, *tail;
};

static bool has_named_value(struct str v)
{
    for (size_t i = 0; i + 1 < v.len; i++)
        if (v.ptr[i] == '{' && v.ptr[i + 1] == '{')
            return true;
    return false;
}

static void add(struct walk *w, struct policy_element *e)
{
    if (w->tail)
        w->tail->next = e;
    else
        w->head = e;
    w->tail = e;
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

static struct policy_attr *attrs_of(struct walk *w, const struct policy_xml_node *n)
{
    struct policy_attr *v = n->nattrs ? ARENA_ARRAY(w->arena, struct policy_attr, n->nattrs) : NULL;
    for (size_t i = 0; i < n->nattrs; i++) {
        const struct policy_xml_attr *x = &n->attrs[i];
        v[i].name = x->name;
        v[i].value = x->raw;
        v[i].literal = memchr(x->raw.ptr, '@', x->raw.len) == NULL && !has_named_value(x->raw);
        v[i].name_offset = x->name_at.start;
        v[i].value_offset = x->value_at.start;
    }
    return v;
}

/* The elements of the tree in document order (depth is capped by the
 * reader, so the recursion is too). */
static void walk(struct walk *w, const struct policy_xml_node *n, struct policy_element *parent,
                 unsigned level)
{
    for (; n; n = n->next) {
        if (n->kind != PXML_ELEMENT)
            continue;
        struct policy_element *e = ARENA_NEW(w->arena, struct policy_element);
        e->name = n->name;
        e->offset = n->name_at.start;
        e->level = level;
        e->parent = parent;
        e->policy = POLICY_UNKNOWN;
        e->content = n->content.start;
        e->content_end = n->content.end;
        e->attrs = attrs_of(w, n);
        e->nattrs = n->nattrs;
        place(e, w->out);
        add(w, e);
        walk(w, n->children, e, level + 1);
        if (level == 0)
            return; /* one root: the reader reported any other */
    }
}

/* A source for the policy text of v whose positions land where the text is
 * written: in its JSON string (escapes accounted for), or, for text an ARM
 * expression built, at that expression (as model_import.c embeds specs). */
const struct source *policy_scan_source(struct arena *a, struct diag *d, const struct jval *v)
{
    const struct jval *lit = v;
    if (!(lit->flags & JV_F_LITERAL) && lit->origin)
        lit = lit->origin;
    uint32_t *offsets = jval_string_offsets(a, v);
    if (offsets && lit->kind == JV_STRING && lit->u.s.len == v->u.s.len)
        return source_embed(d, lit->loc.src, v->u.s.ptr, (uint32_t)v->u.s.len, offsets,
                            lit->loc.start, lit->loc.end);
    if (v->loc.src == NULL)
        return source_new(d, "policy", v->u.s.ptr, (uint32_t)v->u.s.len);
    return source_embed(d, v->loc.src, v->u.s.ptr, (uint32_t)v->u.s.len, NULL, v->loc.start,
                        v->loc.end);
}

void policy_scan_report(struct arena *a, struct diag *d, const struct jval *v,
                        struct policy_outline *out)
{
    *out = (struct policy_outline){ NULL, NULL, false, true, 0, NULL };
    if (v == NULL || v->kind != JV_STRING)
        return;
    struct policy_xml_doc *doc = ARENA_NEW(a, struct policy_xml_doc);
    /* Read silently first: a source of its own is made only for text with
     * errors, and a second reading reports them there. A --sample-parameters
     * stand-in ("sample-value") is no text anyone wrote: not reported. */
    if (policy_xml_read(a, NULL, NULL, v->u.s.ptr, v->u.s.len, doc) != 0 && d != NULL &&
        !(v->flags & JV_F_SAMPLE))
        policy_xml_read(a, d, policy_scan_source(a, d, v), v->u.s.ptr, v->u.s.len, doc);
    struct walk w = { a, out, NULL, NULL };
    out->xml = doc;
    out->complete = !doc->truncated;
    out->stop = doc->stop;
    walk(&w, doc->root, NULL, 0);
    out->elements = w.head;
}

void policy_scan(struct arena *a, const struct jval *v, struct policy_outline *out)
{
    policy_scan_report(a, NULL, v, out);
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
