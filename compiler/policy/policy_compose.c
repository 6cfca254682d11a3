/* policy_compose.c - the effective policy of one call (policy_compose.h). */
#include "policy_compose.h"

#include <string.h>

#include "policy_catalog.h"

/* Fragments included within fragments: deeper than this is reported, as a
 * cycle would be (a cycle is found first, by the stack). */
#define MAX_FRAGMENT_DEPTH 16

enum {
    LEVEL_GLOBAL = POLICY_COMPOSE_GLOBAL,
    LEVEL_PRODUCT = POLICY_COMPOSE_PRODUCT,
    LEVEL_API = POLICY_COMPOSE_API,
    LEVEL_OPERATION = POLICY_COMPOSE_OPERATION,
    NLEVELS
};

struct compose {
    const struct policy_compose_call *call;
    struct buf *out;
    const struct model_policy *docs[NLEVELS];
    const char *labels[NLEVELS];
    const struct model_fragment *stack[MAX_FRAGMENT_DEPTH];
    size_t nstack;
    const char *problem;
    bool full; /* out refused a write */
    /* policy_compose_walk: out is NULL and sink hears each element. */
    const struct policy_compose_sink *sink;
    bool product_slot;
};

/* Who wrote a policy: a scope's document or a fragment it includes. */
struct origin {
    const char *label;        /* "api 'orders'", "fragment 'x' (in api 'orders')" */
    const char *scope;        /* the scope's label, for fragments it includes */
    const struct jval *value; /* the policy text; node offsets are into it */
    int level;                /* the scope whose <base/> this text is in */
    const char *fragment;     /* the fragment's id, or NULL for the scope's document */
};

/* How the children of an element are read. */
enum kids {
    KIDS_CONFIG,   /* its own configuration: copied */
    KIDS_POLICIES, /* policies (a container, when, otherwise) */
    KIDS_BRANCHES  /* when/otherwise, whose children are policies (choose) */
};

static void section(struct compose *c, int level, const char *name, unsigned indent);
static void policy(struct compose *c, const struct policy_xml_node *e, const struct origin *o,
                   unsigned indent);

static void put(struct compose *c, const char *s, size_t n)
{
    if (c->out != NULL && buf_append(c->out, s, n) != 0)
        c->full = true;
}

static void puts_(struct compose *c, const char *s)
{
    put(c, s, strlen(s));
}

static void pad(struct compose *c, unsigned indent)
{
    for (unsigned i = 0; i < indent; i++)
        put(c, "    ", 4);
}

static void note_problem(struct compose *c, const char *why)
{
    if (c->problem == NULL)
        c->problem = why;
}

/* A comment line; "--" may not appear inside an XML comment. */
static void comment(struct compose *c, unsigned indent, const char *text)
{
    if (c->out == NULL)
        return;
    pad(c, indent);
    puts_(c, "<!-- ");
    for (const char *p = text; *p; p++) {
        put(c, p, 1);
        if (p[0] == '-' && p[1] == '-')
            put(c, " ", 1);
    }
    puts_(c, " -->\n");
}

const char *policy_compose_at(struct arena *a, const struct jval *v, size_t off)
{
    struct loc at = loc_resolve(jval_string_subloc(v, off, off + 1));
    if (at.src == NULL)
        return "unknown location";
    unsigned line, col;
    source_line_col(at.src, at.start, &line, &col);
    return arena_printf(a, "%s:%u:%u", at.src->name, line, col);
}

/* file:line:col of offset off of policy text v, in the file the user wrote. */
static const char *where(struct compose *c, const struct jval *v, size_t off)
{
    return policy_compose_at(c->call->m->arena, v, off);
}

/* Tells the sink (policy_compose_walk) that element e begins. */
static void tell_open(struct compose *c, const struct policy_xml_node *e, const struct origin *o,
                      bool is_policy, bool verbatim)
{
    if (c->sink == NULL)
        return;
    struct policy_compose_step st = { e,           o->value,  (enum policy_compose_level)o->level,
                                      o->fragment, is_policy, verbatim };
    c->sink->open(c->sink->ctx, &st);
}

static void tell_close(struct compose *c)
{
    if (c->sink != NULL)
        c->sink->close(c->sink->ctx);
}

static bool is_space(const struct policy_xml_node *n)
{
    for (size_t i = 0; n->kind == PXML_TEXT && i < n->text.len; i++)
        if (!strchr(" \t\r\n", n->text.ptr[i]))
            return false;
    return n->kind == PXML_TEXT;
}

static bool is_element(const struct policy_xml_node *n, const char *name)
{
    return n->kind == PXML_ELEMENT && str_eq(n->name, str_from_cstr(name));
}

static void open_tag(struct compose *c, const struct policy_xml_node *e, const char *text)
{
    put(c, "<", 1);
    put(c, e->name.ptr, e->name.len);
    for (size_t i = 0; i < e->nattrs; i++) {
        const struct policy_xml_attr *a = &e->attrs[i];
        char q = a->quoted && a->value_at.start > 0 ? text[a->value_at.start - 1] : '"';
        put(c, " ", 1);
        put(c, a->name.ptr, a->name.len);
        put(c, "=", 1);
        put(c, &q, 1);
        put(c, a->raw.ptr, a->raw.len);
        put(c, &q, 1);
    }
}

static enum kids kids_of(const struct policy_xml_node *e, enum kids mode)
{
    if (mode == KIDS_BRANCHES)
        return KIDS_POLICIES; /* when, otherwise */
    if (mode != KIDS_POLICIES)
        return KIDS_CONFIG;
    enum policy_id id = policy_lookup(e->name);
    unsigned flags = id == POLICY_UNKNOWN ? 0 : policy_info(id)->flags;
    return flags & POLICY_F_CONTAINER  ? KIDS_POLICIES
           : flags & POLICY_F_BRANCHES ? KIDS_BRANCHES
                                       : KIDS_CONFIG;
}

/* Writes element e (of text written by o) and what it holds; mode: how e
 * itself was read (KIDS_POLICIES: e is a policy). */
static void element(struct compose *c, const struct policy_xml_node *e, const struct origin *o,
                    unsigned indent, enum kids mode)
{
    const char *text = o->value->u.s.ptr;
    bool elems = false, words = false;
    for (const struct policy_xml_node *k = e->children; k; k = k->next) {
        elems |= k->kind == PXML_ELEMENT;
        words |= k->kind != PXML_ELEMENT && !is_space(k);
    }
    bool empty = e->content.end <= e->content.start || (!elems && !words);
    tell_open(c, e, o, mode == KIDS_POLICIES, words && !empty);
    pad(c, indent);
    open_tag(c, e, text);
    if (empty) {
        puts_(c, " />\n");
        tell_close(c);
        return;
    }
    put(c, ">", 1);
    if (words) { /* text: copied as written, with whatever it holds */
        put(c, text + e->content.start, e->content.end - e->content.start);
    } else {
        put(c, "\n", 1);
        enum kids kids = kids_of(e, mode);
        for (const struct policy_xml_node *k = e->children; k; k = k->next) {
            if (k->kind != PXML_ELEMENT)
                continue;
            if (kids == KIDS_POLICIES)
                policy(c, k, o, indent + 1);
            else
                element(c, k, o, indent + 1, kids);
        }
        pad(c, indent);
    }
    puts_(c, "</");
    put(c, e->name.ptr, e->name.len);
    puts_(c, ">\n");
    tell_close(c);
}

static bool on_stack(const struct compose *c, const struct model_fragment *f)
{
    for (size_t i = 0; i < c->nstack; i++)
        if (c->stack[i] == f)
            return true;
    return false;
}

/* "a -> b -> a": the fragments being included, then f. */
static const char *cycle_text(struct compose *c, const struct model_fragment *f)
{
    const char *s = "";
    for (size_t i = 0; i < c->nstack; i++)
        s = arena_printf(c->call->m->arena, "%s'%s' -> ", s, c->stack[i]->id);
    return arena_printf(c->call->m->arena, "%s'%s'", s, f->id);
}

/* Why fragment f cannot be inlined at this point, or NULL. */
static const char *not_inlined(struct compose *c, struct str id, const struct model_fragment *f)
{
    struct arena *a = c->call->m->arena;
    if (f == NULL)
        return arena_printf(a, "fragment '%.*s' is not defined", STR_FMT(id));
    if (on_stack(c, f))
        return arena_printf(a, "fragments include each other: %s", cycle_text(c, f));
    if (c->nstack == MAX_FRAGMENT_DEPTH)
        return arena_printf(a, "fragment '%s' is included more than %d deep", f->id,
                            MAX_FRAGMENT_DEPTH);
    const struct policy_xml_doc *x = f->outline.xml;
    if (x == NULL || x->root == NULL || !is_element(x->root, "fragment") || !f->outline.complete)
        return arena_printf(a, "fragment '%s' cannot be read (format '%s')", f->id,
                            f->format ? f->format : "xml");
    return NULL;
}

static void include(struct compose *c, const struct policy_xml_node *e, const struct origin *o,
                    unsigned indent)
{
    struct arena *a = c->call->m->arena;
    const struct policy_xml_attr *id = policy_xml_attr(e, "fragment-id");
    const char *why = NULL;
    const struct model_fragment *f = NULL;
    if (id == NULL || id->expr)
        why = "include-fragment without a literal fragment-id";
    else
        f = model_find_fragment(c->call->m, c->call->s, arena_strndup(a, id->raw.ptr, id->raw.len));
    if (why == NULL)
        why = not_inlined(c, id->raw, f);
    const char *at = where(c, o->value, e->name_at.start);
    if (why) {
        note_problem(c, arena_printf(a, "%s: %s", at, why));
        comment(c, indent, arena_printf(a, "%s · %s · not inlined: %s", o->label, at, why));
        element(c, e, o, indent, KIDS_POLICIES); /* its children (none) as configuration */
        return;
    }
    struct origin in = { arena_printf(a, "fragment '%s' (in %s)", f->id, o->scope), o->scope,
                         f->value, o->level, f->id };
    c->stack[c->nstack++] = f;
    for (const struct policy_xml_node *k = f->outline.xml->root->children; k; k = k->next)
        if (k->kind == PXML_ELEMENT)
            policy(c, k, &in, indent);
    c->nstack--;
}

/* A policy: <base/> brings in the outer scope, include-fragment the
 * fragment; any other is written with its origin. */
static void policy(struct compose *c, const struct policy_xml_node *e, const struct origin *o,
                   unsigned indent)
{
    if (is_element(e, "base")) {
        const struct policy_xml_node *sect = e->parent;
        while (sect && sect->parent && !is_element(sect->parent, "policies"))
            sect = sect->parent;
        if (o->level > LEVEL_GLOBAL && c->nstack == 0 && sect)
            section(c, o->level - 1,
                    arena_strndup(c->call->m->arena, sect->name.ptr, sect->name.len), indent);
        return; /* at global scope, or misplaced (validate reports it): no effect */
    }
    if (is_element(e, "include-fragment")) {
        include(c, e, o, indent);
        return;
    }
    if (c->out) /* a walk has no comments: no location to make */
        comment(c, indent,
                arena_printf(c->call->m->arena, "%s · %s", o->label,
                             where(c, o->value, e->name_at.start)));
    element(c, e, o, indent, KIDS_POLICIES);
}

static const struct policy_xml_node *section_node(const struct policy_xml_doc *x, const char *name)
{
    for (const struct policy_xml_node *k = x->root->children; k; k = k->next)
        if (is_element(k, name))
            return k;
    return NULL;
}

/* The default global policy: <forward-request/> in backend. */
static void default_global(struct compose *c, const char *name, unsigned indent)
{
    if (strcmp(name, "backend") != 0)
        return;
    if (c->sink != NULL) {
        struct policy_compose_step st = { NULL, NULL, POLICY_COMPOSE_GLOBAL, NULL, true, false };
        c->sink->open(c->sink->ctx, &st);
        c->sink->close(c->sink->ctx);
    }
    comment(c, indent,
            "global · API Management's default global policy (the configuration "
            "sets none)");
    pad(c, indent);
    puts_(c, "<forward-request />\n");
}

/* Section name of the document at level, with <base/> composed in. */
static void section(struct compose *c, int level, const char *name, unsigned indent)
{
    if (level < LEVEL_GLOBAL)
        return;
    if (level == LEVEL_PRODUCT && c->product_slot) {
        c->sink->product(c->sink->ctx);
        return;
    }
    const struct model_policy *p = c->docs[level];
    if (p == NULL) {
        if (level == LEVEL_GLOBAL)
            default_global(c, name, indent);
        section(c, level - 1, name, indent);
        return;
    }
    if (c->sink && c->sink->enter)
        c->sink->enter(c->sink->ctx, (enum policy_compose_level)level, p);
    const struct policy_xml_doc *x = p->outline.xml;
    struct arena *a = c->call->m->arena;
    if (x == NULL || x->root == NULL || !is_element(x->root, "policies") || !p->outline.complete) {
        const char *why =
            arena_printf(a, "%s: the %s policy cannot be read (format '%s')", where(c, p->value, 0),
                         c->labels[level], p->format ? p->format : "xml");
        note_problem(c, why);
        comment(c, indent, why);
        if (c->sink) /* the walk assumes it inherits everything (policy_compose.h) */
            section(c, level - 1, name, indent);
        return;
    }
    const struct policy_xml_node *s = section_node(x, name);
    if (s == NULL) {
        section(c, level - 1, name, indent);
        return;
    }
    struct origin o = { c->labels[level], c->labels[level], p->value, level, NULL };
    for (const struct policy_xml_node *k = s->children; k; k = k->next)
        if (k->kind == PXML_ELEMENT)
            policy(c, k, &o, indent);
}

static void setup(struct compose *c, const struct policy_compose_call *call, struct buf *out)
{
    struct arena *a = call->m->arena;
    *c = (struct compose){ .call = call, .out = out };
    c->docs[LEVEL_GLOBAL] = call->s->policy;
    c->labels[LEVEL_GLOBAL] = "global";
    c->docs[LEVEL_PRODUCT] = call->product ? call->product->policy : NULL;
    c->labels[LEVEL_PRODUCT] =
        call->product ? arena_printf(a, "product '%s'", call->product->id) : "product";
    if (call->api == NULL)
        return; /* policy_compose_walk from a broader scope */
    c->docs[LEVEL_API] = call->api->policy;
    /* A revision that is not the current one by its name in 'apim api list'. */
    c->labels[LEVEL_API] =
        call->api->is_current || call->api->revision == NULL
            ? arena_printf(a, "api '%s'", call->api->id)
            : arena_printf(a, "api '%s;rev=%s'", call->api->id, call->api->revision);
    if (call->op == NULL)
        return;
    c->docs[LEVEL_OPERATION] = call->op->policy;
    c->labels[LEVEL_OPERATION] = arena_printf(a, "operation '%s'", call->op->id);
}

/* A section of <policies>, written empty (<outbound />) when nothing runs
 * in it: composed apart first, to know. */
static void one_section(struct compose *c, const char *name)
{
    struct buf *out = c->out, body;
    buf_init(&body, out->max);
    c->out = &body;
    section(c, LEVEL_OPERATION, name, 2);
    c->out = out;
    pad(c, 1);
    if (body.len == 0) {
        put(c, "<", 1);
        puts_(c, name);
        puts_(c, " />\n");
    } else {
        put(c, "<", 1);
        puts_(c, name);
        puts_(c, ">\n");
        put(c, body.data, body.len);
        pad(c, 1);
        puts_(c, "</");
        puts_(c, name);
        puts_(c, ">\n");
    }
    buf_release(&body);
}

int policy_compose(const struct policy_compose_call *call, struct buf *out, const char **problem)
{
    static const char *const sections[] = { "inbound", "backend", "outbound", "on-error" };
    struct compose c;
    setup(&c, call, out);
    const char *product =
        call->product ? arena_printf(call->m->arena, "under product '%s'", call->product->id)
                      : "without a product";
    comment(&c, 0,
            arena_printf(call->m->arena,
                         "effective policy of operation '%s' of %s, %s (the workspace scope is "
                         "not modelled)",
                         call->op->id, c.labels[LEVEL_API], product));
    puts_(&c, "<policies>\n");
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        one_section(&c, sections[i]);
    puts_(&c, "</policies>\n");
    *problem = c.problem;
    return c.full || c.problem ? -1 : 0;
}

int policy_compose_walk(const struct policy_compose_call *call,
                        const struct policy_compose_walk_opts *opts,
                        const struct policy_compose_sink *sink, const char **problem)
{
    static const char *const sections[] = { "inbound", "backend", "outbound", "on-error" };
    struct compose c;
    setup(&c, call, NULL);
    c.sink = sink;
    c.product_slot = opts->product_slot && opts->top > POLICY_COMPOSE_PRODUCT;
    for (unsigned i = 0; i < POLICY_NSECTIONS; i++) {
        sink->section(sink->ctx, 1u << i);
        section(&c, (int)opts->top, sections[i], 2);
    }
    *problem = c.problem;
    return c.problem ? -1 : 0;
}
