/* policy_check.c - policy documents against the catalog (policy_check.h). */
#include "policy_check.h"

#include <stdio.h>
#include <string.h>

#include "policy_attrs.h"
#include "policy_expr.h"
#include "suggest.h"

static unsigned scope_bit(enum model_scope s)
{
    switch (s) {
    case MODEL_SCOPE_GLOBAL:
        return POLICY_SCOPE_GLOBAL;
    case MODEL_SCOPE_WORKSPACE:
        return POLICY_SCOPE_WORKSPACE;
    case MODEL_SCOPE_PRODUCT:
        return POLICY_SCOPE_PRODUCT;
    case MODEL_SCOPE_API:
        return POLICY_SCOPE_API;
    case MODEL_SCOPE_OPERATION:
        return POLICY_SCOPE_OPERATION;
    }
    return 0;
}

static struct loc name_loc(const struct jval *v, const struct policy_element *e)
{
    return jval_string_subloc(v, e->offset, e->offset + e->name.len);
}

/* False (after saying so) if the root is not the one expected: then the
 * levels mean nothing and the rest is not checked. */
static bool check_root(struct model *m, const struct jval *v, const struct policy_outline *o,
                       bool fragment)
{
    const struct policy_element *r = o->root;
    const char *want = fragment ? "fragment" : "policies";
    if (r == NULL || str_eq(r->name, str_from_cstr(want)))
        return true;
    diag_emit(m->diag, DC_POLICY_SECTION, name_loc(v, r),
              "a policy %s has '<%s>' as its root element, not '<%.*s>'",
              fragment ? "fragment" : "document", want, STR_FMT(r->name));
    return false;
}

static void check_section(struct model *m, const struct jval *v, const struct policy_element *e)
{
    if (policy_section_bit(e->name))
        return;
    struct str names[POLICY_NSECTIONS];
    for (unsigned i = 0; i < POLICY_NSECTIONS; i++)
        names[i] = str_from_cstr(policy_section_name(1u << i));
    struct loc at = name_loc(v, e);
    struct diag_entry *d = diag_emit(m->diag, DC_POLICY_SECTION, at,
                                     "'%.*s' is not a policy section (inbound, backend, outbound, "
                                     "on-error)",
                                     STR_FMT(e->name));
    const char *hint = suggest(e->name, names, POLICY_NSECTIONS);
    if (hint)
        diag_note(m->diag, d, at, "did you mean '%s'?", hint);
}

static void unknown_policy(struct model *m, const struct jval *v, const struct policy_element *e)
{
    struct loc at = name_loc(v, e);
    struct diag_entry *d =
        diag_emit(m->diag, DC_UNKNOWN_POLICY, at, "unknown policy '%.*s'", STR_FMT(e->name));
    const char *hint = policy_suggest(e->name);
    if (hint)
        diag_note(m->diag, d, at, "did you mean '%s'?", hint);
}

/* scope: the document's scope bit, 0 in a fragment (its scope is where it
 * is included); sections are not checked in fragments either. */
static void check_policy(struct model *m, const struct jval *v, const struct policy_element *e,
                         unsigned scope)
{
    if (e->policy == POLICY_UNKNOWN) {
        unknown_policy(m, v, e);
        return;
    }
    const struct policy_info *p = policy_info(e->policy);
    char allowed[128];
    if (p->sections == 0) {
        diag_emit(m->diag, DC_POLICY_SCOPE, name_loc(v, e),
                  "policy '%s' is only allowed in GraphQL resolver policies", p->name);
        return;
    }
    unsigned section = policy_section_bit(e->section);
    if (section && !(p->sections & section)) {
        policy_format_sections(p->sections, allowed, sizeof(allowed));
        diag_emit(m->diag, DC_POLICY_SECTION, name_loc(v, e),
                  "policy '%s' is not allowed in '%.*s'; it may be used in %s", p->name,
                  STR_FMT(e->section), allowed);
    }
    if (scope && !(p->scopes & scope)) {
        policy_format_scopes(p->scopes, allowed, sizeof(allowed));
        diag_emit(m->diag, DC_POLICY_SCOPE, name_loc(v, e),
                  "policy '%s' is not allowed at %s scope; it may be used at: %s", p->name,
                  policy_scope_name(scope), allowed);
    }
}

/* ---- attributes, children and placement, from policy_attrs.def ---- */

/* The row that describes e: its policy's, or its parent's child row's.
 * Configuration elements nest a few levels at most (the deepest row is
 * four names long), so the walk up is short; deeper ones have no row. */
static const struct policy_element_info *schema_of(const struct policy_element *e)
{
    const struct policy_element *chain[8];
    size_t n = 0;
    for (; e && !e->is_policy; e = e->parent) {
        if (n == sizeof(chain) / sizeof(chain[0]))
            return NULL;
        chain[n++] = e;
    }
    if (e == NULL || e->policy == POLICY_UNKNOWN)
        return NULL;
    const struct policy_element_info *s = policy_attrs_policy(e->policy);
    while (s && n > 0) {
        const struct policy_child_info *c = policy_attrs_child(s, chain[--n]->name);
        s = c ? policy_attrs_child_element(c) : NULL;
    }
    return s;
}

/* A policy's own row (not a child's): it takes the 'id' every policy may
 * carry ("Error handling in API Management policies": LastError.PolicyId). */
static bool policy_row(const struct policy_element_info *s)
{
    return strchr(s->path, ' ') == NULL;
}

/* "'set-header'" for a policy, "'operation' in 'rate-limit'" for a child. */
static const char *what(const struct policy_element *e, const struct policy_element_info *s,
                        char *buf, size_t n)
{
    const struct policy_element *p = e;
    while (p->parent && !p->is_policy)
        p = p->parent;
    if (policy_row(s) || p == e)
        snprintf(buf, n, "'%.*s'", STR_FMT(e->name));
    else
        snprintf(buf, n, "'%.*s' in '%.*s'", STR_FMT(e->name), STR_FMT(p->name));
    return buf;
}

static const struct policy_attr *find_attr(const struct policy_element *e, const char *name)
{
    for (size_t i = 0; i < e->nattrs; i++)
        if (str_eq(e->attrs[i].name, str_from_cstr(name)))
            return &e->attrs[i];
    return NULL;
}

static bool is_expression(struct str v)
{
    return v.len >= 2 && v.ptr[0] == '@' && (v.ptr[1] == '(' || v.ptr[1] == '{');
}

/* Returns the attribute suggested for a ("did you mean"), or NULL. */
static const char *unknown_attr(struct model *m, struct loc at, const struct policy_attr *a,
                                const struct policy_element_info *s, const char *who)
{
    struct diag_entry *d = diag_emit(m->diag, DC_POLICY_ATTR_UNKNOWN, at,
                                     "unknown attribute '%.*s' on %s", STR_FMT(a->name), who);
    struct str names[32];
    size_t n = 0;
    for (size_t i = 0; i < s->nattrs && n < 32; i++)
        names[n++] = str_from_cstr(s->attrs[i].name);
    const char *hint = suggest(a->name, names, n);
    if (hint)
        diag_note(m->diag, d, at, "did you mean '%s'?", hint);
    for (size_t i = 0; hint && i < s->nattrs; i++)
        if (strcmp(hint, s->attrs[i].name) == 0)
            return s->attrs[i].name; /* the row's own string: suggest() reuses its buffer */
    return NULL;
}

static void check_value(struct model *m, struct loc at, const struct policy_attr *a,
                        const struct policy_attr_info *r, const char *who)
{
    if (is_expression(a->value)) {
        /* API Management checks attributes against its XML schema: an
         * expression where an int, bool or enum is expected fails it (a
         * public report: "The 'calls' attribute is invalid ... not a valid
         * Int32 value"). In a text attribute it passes the schema and is
         * not evaluated: the policy sees the expression's text (Microsoft's
         * own AVM azd module writes trace source="@(context.Api.Name)"). */
        bool literal_ok = r->type == POLICY_T_STR && !(r->flags & POLICY_A_SAVED);
        if ((r->flags & POLICY_A_NOEXPR) && literal_ok)
            diag_emit_level(m->diag, DIAG_WARNING, DC_POLICY_ATTR_EXPR, at,
                            "attribute '%s' of %s does not take a policy expression: API "
                            "Management takes '%.*s' as literal text, not evaluated",
                            r->name, who, STR_FMT(a->value));
        else if (r->flags & POLICY_A_NOEXPR)
            diag_emit(m->diag, DC_POLICY_ATTR_EXPR, at,
                      "attribute '%s' of %s does not take a policy expression", r->name, who);
        return;
    }
    if (!a->literal)
        return; /* a {{named value}}: known when the policy is saved */
    char buf[160];
    const char *want = policy_attrs_check_value(r, a->value, buf, sizeof(buf));
    if (want)
        diag_emit(m->diag, DC_POLICY_ATTR_VALUE, at,
                  "invalid value '%.*s' for attribute '%s' of %s: it must be %s", STR_FMT(a->value),
                  r->name, who, want);
}

/* The names of the attributes of s with flag, and how many of them e has. */
static size_t group(const struct policy_element *e, const struct policy_element_info *s,
                    unsigned flag, char *names, size_t n, char *have, size_t hn)
{
    size_t found = 0, used = 0, hused = 0;
    names[0] = have[0] = '\0';
    for (size_t i = 0; i < s->nattrs; i++) {
        if (!(s->attrs[i].flags & flag))
            continue;
        int w = snprintf(names + used, n - used, "%s'%s'", used ? ", " : "", s->attrs[i].name);
        used = w > 0 && used + (size_t)w < n ? used + (size_t)w : used;
        if (find_attr(e, s->attrs[i].name) == NULL)
            continue;
        w = snprintf(have + hused, hn - hused, "%s'%s'", found ? " and " : "", s->attrs[i].name);
        hused = w > 0 && hused + (size_t)w < hn ? hused + (size_t)w : hused;
        found++;
    }
    return found;
}

/* Required attributes, and the groups of which one is needed (A_ONE_OF) or
 * at most one allowed (A_EXCL). */
static void check_required(struct model *m, struct loc at, const struct policy_element *e,
                           const struct policy_element_info *s, const char *who, const char *meant)
{
    for (size_t i = 0; i < s->nattrs; i++)
        if ((s->attrs[i].flags & POLICY_A_REQ) && find_attr(e, s->attrs[i].name) == NULL &&
            s->attrs[i].name != meant) /* the misspelt one was reported already */
            diag_emit(m->diag, DC_POLICY_ATTR_MISSING, at,
                      "%s is missing its required attribute '%s'", who, s->attrs[i].name);
    char names[256], have[256];
    if (group(e, s, POLICY_A_ONE_OF, names, sizeof(names), have, sizeof(have)) == 0 && names[0])
        diag_emit(m->diag, DC_POLICY_ATTR_MISSING, at,
                  "%s needs one of the attributes %s, and has none", who, names);
    if (group(e, s, POLICY_A_EXCL, names, sizeof(names), have, sizeof(have)) > 1)
        diag_emit(m->diag, DC_POLICY_ATTR_EXCL, at,
                  "%s takes only one of the attributes %s, not %s together", who, names, have);
}

static void check_attrs(struct model *m, const struct jval *v, const struct policy_element *e,
                        const struct policy_element_info *s)
{
    struct loc at = name_loc(v, e);
    char who[160];
    what(e, s, who, sizeof(who));
    const char *meant = NULL;
    for (size_t i = 0; i < e->nattrs; i++) {
        const struct policy_attr *a = &e->attrs[i];
        const struct policy_attr_info *r = policy_attrs_attr(s, a->name);
        if (r)
            check_value(m, at, a, r, who);
        else if (!(policy_row(s) && str_eq(a->name, STR_LIT("id"))) &&
                 !(a->name.len >= 5 && memcmp(a->name.ptr, "xmlns", 5) == 0))
            meant = unknown_attr(m, at, a, s, who);
    }
    check_required(m, at, e, s, who, meant);
}

/* ---- child elements ---- */

struct tally {
    unsigned count[POLICY_ATTRS_MAX_CHILDREN];
    const struct policy_element *last; /* the C_LAST child seen, if any */
    const char *meant;                 /* a misspelt child's row name, reported already */
};

/* Returns the child row suggested for c ("did you mean"), or NULL. */
static const char *unknown_child(struct model *m, const struct jval *v,
                                 const struct policy_element *c,
                                 const struct policy_element_info *s, const char *who)
{
    struct loc at = name_loc(v, c);
    struct diag_entry *d = diag_emit(m->diag, DC_POLICY_CHILD_UNKNOWN, at,
                                     "unknown element '%.*s' in %s", STR_FMT(c->name), who);
    struct str names[POLICY_ATTRS_MAX_CHILDREN];
    size_t n = 0;
    for (size_t i = 0; i < s->nchildren && n < POLICY_ATTRS_MAX_CHILDREN; i++)
        if (s->children[i].max > 0)
            names[n++] = str_from_cstr(s->children[i].name);
    const char *hint = suggest(c->name, names, n);
    if (hint)
        diag_note(m->diag, d, at, "did you mean '%s'?", hint);
    const struct policy_child_info *r = hint ? policy_attrs_child(s, str_from_cstr(hint)) : NULL;
    return r ? r->name : NULL;
}

/* A policy inside a container: X_POLICIES forbids the rows with max 0,
 * X_SOME_POLICIES allows only its rows. Unknown policies are APIM4011. */
static void contained_policy(struct model *m, const struct jval *v, const struct policy_element *c,
                             const struct policy_element_info *s)
{
    if (c->policy == POLICY_UNKNOWN)
        return;
    const struct policy_child_info *r = policy_attrs_child(s, c->name);
    if (s->content == POLICY_X_POLICIES && !(r && r->max == 0))
        return;
    if (s->content == POLICY_X_SOME_POLICIES && r && r->max > 0)
        return;
    char list[256];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < s->nchildren; i++)
        if (s->children[i].max > 0) {
            int w = snprintf(list + used, sizeof(list) - used, "%s'%s'", used ? ", " : "",
                             s->children[i].name);
            used = w > 0 && used + (size_t)w < sizeof(list) ? used + (size_t)w : used;
        }
    struct diag_entry *d =
        diag_emit(m->diag, DC_POLICY_NOT_INSIDE, name_loc(v, c),
                  "policy '%.*s' is not allowed inside '%s'", STR_FMT(c->name), s->name);
    if (used)
        diag_note(m->diag, d, name_loc(v, c), "'%s' may hold %s", s->name, list);
}

/* One child c of an element of row s: known, not one too many, in order. */
static void count_child(struct model *m, const struct jval *v, const struct policy_element *c,
                        const struct policy_element_info *s, const char *who, struct tally *t)
{
    const struct policy_child_info *r = policy_attrs_child(s, c->name);
    if (r == NULL || r->max == 0) {
        t->meant = unknown_child(m, v, c, s, who);
        return;
    }
    size_t k = (size_t)(r - s->children);
    if (t->last && !(r->flags & POLICY_C_LAST)) /* a second last one is APIM4027 */
        diag_emit(m->diag, DC_POLICY_ORDER, name_loc(v, c),
                  "'%.*s' after '%.*s' in %s: '%.*s' must be the last element", STR_FMT(c->name),
                  STR_FMT(t->last->name), who, STR_FMT(t->last->name));
    if (r->flags & POLICY_C_LAST && t->last == NULL)
        t->last = c;
    if (++t->count[k] != r->max + 1)
        return;
    if (r->max == 1)
        diag_emit(m->diag, DC_POLICY_CHILD_COUNT, name_loc(v, c),
                  "%s takes one '%s' element, not more", who, r->name);
    else
        diag_emit(m->diag, DC_POLICY_CHILD_COUNT, name_loc(v, c),
                  "%s takes at most %u '%s' elements", who, r->max, r->name);
}

/* After the children: the required ones, and the C_ONE_OF group. */
static void check_counts(struct model *m, struct loc at, const struct policy_element_info *s,
                         const char *who, const struct tally *t)
{
    char names[256];
    size_t used = 0, one_of = 0;
    names[0] = '\0';
    for (size_t i = 0; i < s->nchildren; i++) {
        const struct policy_child_info *r = &s->children[i];
        if (t->count[i] < r->min && r->name != t->meant)
            diag_emit(m->diag, DC_POLICY_CHILD_MISSING, at,
                      "%s is missing its required element '<%s>'", who, r->name);
        if (!(r->flags & POLICY_C_ONE_OF))
            continue;
        one_of += t->count[i];
        int w = snprintf(names + used, sizeof(names) - used, "%s'<%s>'", used ? ", " : "", r->name);
        used = w > 0 && used + (size_t)w < sizeof(names) ? used + (size_t)w : used;
    }
    if (used && one_of == 0)
        diag_emit(m->diag, DC_POLICY_CHILD_MISSING, at,
                  "%s needs at least one of the elements %s, and has none", who, names);
}

/* The direct children of e follow it in document order, deeper than it. */
static void check_children(struct model *m, const struct jval *v, const struct policy_element *e,
                           const struct policy_element_info *s)
{
    if (s->content == POLICY_X_ANY || s->content == POLICY_X_TEXT)
        return; /* markup in text is payload (a SOAP envelope in set-body) */
    char who[160];
    what(e, s, who, sizeof(who));
    struct tally t = { { 0 }, NULL, NULL };
    for (const struct policy_element *c = e->next; c && c->level > e->level; c = c->next) {
        if (c->parent != e)
            continue;
        if (s->content == POLICY_X_POLICIES || s->content == POLICY_X_SOME_POLICIES)
            contained_policy(m, v, c, s);
        else
            count_child(m, v, c, s, who, &t);
    }
    if (s->content != POLICY_X_POLICIES && s->content != POLICY_X_SOME_POLICIES)
        check_counts(m, name_loc(v, e), s, who, &t);
}

/* ---- text where an element holds none ---- */

/* The first character of [from, to) that is neither space nor inside a
 * comment, or to. */
static size_t first_text(const char *s, size_t from, size_t to)
{
    while (from < to) {
        if (strchr(" \t\r\n", s[from])) {
            from++;
        } else if (to - from >= 4 && memcmp(s + from, "<!--", 4) == 0) {
            const char *end = strstr(s + from, "-->");
            from = end ? (size_t)(end - s) + 3 : to;
        } else {
            return from;
        }
    }
    return to;
}

/* Where the markup of child c ends: after "/>", or after its closing tag. */
static size_t child_end(const char *s, size_t n, const struct policy_element *c)
{
    if (c->content >= 2 && s[c->content - 2] == '/' && s[c->content - 1] == '>')
        return c->content;
    size_t i = c->content_end;
    if (i + 1 < n && s[i] == '<' && s[i + 1] == '/') {
        const char *gt = memchr(s + i, '>', n - i);
        i = gt ? (size_t)(gt - s) + 1 : n;
    }
    return i;
}

/* Text between the children of an element that holds none: APIM refuses it
 * with "The element 'set-header' cannot contain text" (its own wording, as
 * quoted in microsoft/vscode-apimanagement#145). */
static void check_text(struct model *m, const struct jval *v, const struct policy_element *e)
{
    const char *s = v->u.s.ptr;
    size_t n = v->u.s.len, from = e->content, at = e->content_end;
    for (const struct policy_element *c = e->next; c && c->level > e->level; c = c->next) {
        if (c->parent != e)
            continue;
        size_t to = c->offset > 0 ? c->offset - 1 : c->offset;
        at = first_text(s, from, to < from ? from : to);
        if (at < to)
            break;
        from = child_end(s, n, c);
        at = e->content_end;
    }
    if (at == e->content_end && e->content_end > from)
        at = first_text(s, from, e->content_end);
    if (at < e->content_end && at < n)
        diag_emit(m->diag, DC_POLICY_TEXT, jval_string_subloc(v, at, at + 1),
                  "the element '%.*s' cannot contain text", STR_FMT(e->name));
}

/* ---- placement: once per document or section, fragments, <base/> ---- */

/* What one document's walk remembers: the first of each policy in the
 * document and in the current section. */
struct walk {
    unsigned scope; /* the document's scope bit; 0 in a fragment */
    bool fragment;
    bool syntax_errors; /* the reader reported some: no table checks */
    struct str section;
    const struct policy_element *in_doc[POLICY_COUNT], *in_section[POLICY_COUNT];
};

static void once(struct model *m, const struct jval *v, const struct policy_element *e,
                 const struct policy_element *first, enum diag_code code, const char *where)
{
    struct diag_entry *d =
        code == DC_POLICY_BASE_TWICE
            ? diag_emit(m->diag, code, name_loc(v, e), "'<base/>' appears twice in %s", where)
            : diag_emit(m->diag, code, name_loc(v, e), "policy '%.*s' may appear only once in %s",
                        STR_FMT(e->name), where);
    diag_note(m->diag, d, name_loc(v, first), "the first one is here");
}

static void check_placement(struct model *m, const struct jval *v, const struct policy_element *e,
                            const struct policy_element_info *s, struct walk *w)
{
    enum policy_id id = e->policy;
    char where[96];
    if (e->depth > 0)
        goto placed; /* inside choose, retry, ...: branches may each hold one */
    if ((s->rules & POLICY_R_ONCE_DOC) && w->in_doc[id])
        once(m, v, e, w->in_doc[id], DC_POLICY_ONCE, "a policy document");
    else if ((s->rules & (POLICY_R_ONCE_SECTION | POLICY_R_INHERITS)) && w->in_section[id]) {
        if (w->fragment)
            snprintf(where, sizeof(where), "a policy fragment");
        else
            snprintf(where, sizeof(where), "'%.*s'", STR_FMT(w->section));
        once(m, v, e, w->in_section[id],
             s->rules & POLICY_R_INHERITS ? DC_POLICY_BASE_TWICE : DC_POLICY_ONCE, where);
    }
    if (!w->in_doc[id])
        w->in_doc[id] = e;
    if (!w->in_section[id])
        w->in_section[id] = e;
placed:
    if ((s->rules & POLICY_R_NO_FRAGMENT) && w->fragment)
        diag_emit(m->diag, DC_POLICY_NOT_INSIDE, name_loc(v, e),
                  "policy '%.*s' is not allowed in a policy fragment", STR_FMT(e->name));
    if ((s->rules & POLICY_R_INHERITS) && w->scope == POLICY_SCOPE_GLOBAL && w->in_doc[id] == e)
        diag_emit(m->diag, DC_POLICY_BASE_GLOBAL, name_loc(v, e),
                  "'<base/>' at global scope inherits nothing: there is no broader scope");
}

static void check_element(struct model *m, const struct jval *v, const struct policy_element *e,
                          struct walk *w)
{
    const struct policy_element_info *s = schema_of(e);
    if (s == NULL)
        return;
    if (e->is_policy && policy_info(e->policy)->sections)
        check_placement(m, v, e, s, w);
    check_attrs(m, v, e, s);
    check_children(m, v, e, s);
    if (s->content == POLICY_X_EMPTY || s->content == POLICY_X_ELEMENTS)
        check_text(m, v, e);
}

static void check_document(struct model *m, struct model_service *s, const struct jval *v,
                           struct policy_outline *o, bool fragment, unsigned scope)
{
    policy_scan_report(m->arena, m->diag, v, o);
    /* Expressions are C# wherever they stand: parsed even under a wrong
     * root (policy_expr_check waits for a document that reads). */
    policy_expr_check(m, s, v, o);
    if (!check_root(m, v, o, fragment))
        return;
    struct walk *w = ARENA_NEW(m->arena, struct walk);
    w->scope = scope;
    w->fragment = o->fragment;
    /* After a syntax error the tree is the reader's best guess (an element
     * left open holds what follows it, a stray end tag is dropped): its
     * children, text and attribute values would give follow-on findings,
     * not mistakes of their own, so the table's checks wait for a document
     * that reads. */
    w->syntax_errors = o->xml && o->xml->nerrors > 0;
    for (const struct policy_element *e = o->elements; e; e = e->next) {
        if (e->level == 1 && !o->fragment) {
            check_section(m, v, e);
            memset(w->in_section, 0, sizeof(w->in_section));
            w->section = e->name;
            continue;
        }
        if (e->is_policy)
            check_policy(m, v, e, scope);
        if (!w->syntax_errors)
            check_element(m, v, e, w);
    }
    if (!o->complete)
        diag_emit(m->diag, DC_POLICY_UNREADABLE, jval_string_subloc(v, o->stop, o->stop + 1),
                  "policy text cannot be read from here on; the rest of it is not checked");
}

void policy_check_service(struct model *m, struct model_service *s)
{
    policy_expr_check_named_values(m, s);
    for (struct model_policy *p = s->policies; p; p = p->next) {
        diag_copy_at(m->diag, p->copy); /* copies' findings merge (diag.h) */
        if (strstr(p->format, "-link") == NULL)
            check_document(m, s, p->value, &p->outline, false, scope_bit(p->scope));
    }
    for (struct model_fragment *f = s->fragments; f; f = f->next) {
        diag_copy_at(m->diag, f->copy);
        check_document(m, s, f->value, &f->outline, true, 0);
    }
    diag_copy_at(m->diag, DIAG_COPY_NONE);
}
