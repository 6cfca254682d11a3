/* policy_flow.c - context variables read before or without a setter
 * (policy_flow.h). */
#include "policy_flow.h"

#include <stdio.h>
#include <string.h>

#include "csx.h"
#include "name_index.h"
#include "policy_attrs.h"
#include "policy_pipeline.h"

struct flow {
    struct model *m;
    struct model_service *s;
    struct arena scratch;       /* one pipeline's sets and trees; reset after it */
    struct name_index reported; /* read sites already reported */
    /* Per section: the variables the global document sets (global) and
     * those some product's pipeline sets (product: name -> product id). */
    struct name_index global[POLICY_NSECTIONS], product[POLICY_NSECTIONS];
    bool wild; /* a product's or the global setter's name is an expression */
};

struct walk {
    struct flow *f;
    struct name_index set;       /* set so far: name -> step */
    struct name_index later;     /* set anywhere in the pipeline: name -> first setter */
    bool slot[POLICY_NSECTIONS]; /* the product slot of that section has run */
    bool wild;
    const char *op; /* "operation 'x' of API 'a'" */
};

struct read {
    struct str name;
    const struct csx_node *at;
    bool strict; /* the indexer: throws when missing */
};

/* ---- setters ---- */

typedef void (*on_set)(void *ctx, struct str name, const struct policy_pipeline_step *s);

/* Calls fn for each variable policy step s sets; *wild when a name is an
 * expression. */
static void setters(const struct policy_pipeline_step *s, on_set fn, void *ctx, bool *wild)
{
    if (s->kind != POLICY_PIPELINE_POLICY || s->policy == POLICY_UNKNOWN)
        return;
    if (s->policy == POLICY_INCLUDE_FRAGMENT) {
        *wild = true; /* a fragment that could not be inlined: what it sets is unknown */
        return;
    }
    const struct policy_element_info *row = policy_attrs_policy(s->policy);
    for (size_t i = 0; row && i < s->nattrs; i++) {
        const struct policy_attr_info *a = policy_attrs_attr(row, s->attrs[i].name);
        if (a == NULL || !(a->flags & POLICY_A_SETS_VAR))
            continue;
        if (s->attrs[i].expr || memchr(s->attrs[i].value.ptr, '{', s->attrs[i].value.len))
            *wild = true;
        else if (s->attrs[i].value.len)
            fn(ctx, s->attrs[i].value, s);
    }
}

/* Every setter of the steps from s on (and their children), in order. */
static void each_setter(const struct policy_pipeline_step *s, on_set fn, void *ctx, bool *wild)
{
    for (; s; s = s->next) {
        each_setter(s->children, fn, ctx, wild);
        setters(s, fn, ctx, wild);
    }
}

struct into {
    struct name_index *idx;
    void *value; /* NULL: the step */
};

static void add_to(void *ctx, struct str name, const struct policy_pipeline_step *s)
{
    struct into *in = ctx;
    name_index_add(in->idx, name.ptr, name.len, in->value ? in->value : (void *)(uintptr_t)s);
}

/* ---- reads ---- */

static bool named(const struct csx_node *n, enum csx_kind k, const char *text)
{
    return n && n->kind == k && str_eq(n->text, str_from_cstr(text));
}

/* context.Variables (or context?.Variables). */
static bool variables(const struct csx_node *n)
{
    return n && (n->kind == CSX_MEMBER || n->kind == CSX_CMEMBER) &&
           str_eq(n->text, STR_LIT("Variables")) && named(n->a, CSX_NAME, "context");
}

static const struct csx_node *first_string(const struct csx_list *l)
{
    return l->n >= 1 && l->v[0] && l->v[0]->kind == CSX_STRING ? l->v[0] : NULL;
}

struct reads {
    struct read *v;
    size_t n, cap;
    struct str guards[8]; /* names asked with ContainsKey / TryGetValue */
    size_t nguards;
    struct arena *a;
};

static void add_read(struct reads *r, const struct csx_node *name, const struct csx_node *at,
                     bool strict)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 8;
        struct read *v = ARENA_ARRAY(r->a, struct read, cap);
        if (r->n)
            memcpy(v, r->v, r->n * sizeof(*v));
        r->v = v, r->cap = cap;
    }
    r->v[r->n++] = (struct read){ name->text, at, strict };
}

/* A call on context.Variables: a read, a guard, or neither. */
static void call(struct reads *r, const struct csx_node *n)
{
    const struct csx_node *callee = n->a, *name = first_string(&n->list);
    if (name == NULL || callee == NULL ||
        (callee->kind != CSX_MEMBER && callee->kind != CSX_CMEMBER) || !variables(callee->a))
        return;
    if (str_eq(callee->text, STR_LIT("GetValueOrDefault")))
        add_read(r, name, n, false);
    else if ((str_eq(callee->text, STR_LIT("ContainsKey")) ||
              str_eq(callee->text, STR_LIT("TryGetValue"))) &&
             r->nguards < sizeof(r->guards) / sizeof(r->guards[0]))
        r->guards[r->nguards++] = name->text;
}

/* Depth-first over the tree (its depth is capped by the parser). */
static void visit(struct reads *r, const struct csx_node *n)
{
    if (n == NULL)
        return;
    if ((n->kind == CSX_INDEX || n->kind == CSX_CINDEX) && variables(n->a) &&
        first_string(&n->list))
        add_read(r, first_string(&n->list), n, true);
    else if (n->kind == CSX_CALL)
        call(r, n);
    visit(r, n->a);
    visit(r, n->b);
    visit(r, n->c);
    visit(r, n->d);
    for (size_t i = 0; i < n->list.n; i++)
        visit(r, n->list.v[i]);
}

static bool guarded(const struct reads *r, struct str name)
{
    for (size_t i = 0; i < r->nguards; i++)
        if (str_ieq(r->guards[i], name))
            return true;
    return false;
}

/* ---- judging ---- */

/* Where node n of expression x is written (the island decoded as the
 * reader decoded it: entity bytes map to their '&'). */
static struct loc where(struct flow *f, const struct policy_pipeline_expr *x,
                        const struct csx_node *n)
{
    const char *doc = x->value->u.s.ptr;
    size_t end = policy_xml_island_end(doc, x->value->u.s.len, x->offset);
    uint32_t *map =
        end > x->offset ? ARENA_ARRAY(&f->scratch, uint32_t, end - x->offset + 1) : NULL;
    if (map == NULL || policy_xml_decode_map(doc, x->offset, end, map) != x->text.len ||
        n->loc.end > x->text.len || n->loc.start > n->loc.end)
        return jval_string_subloc(x->value, x->offset, x->offset + 1);
    return jval_string_subloc(x->value, map[n->loc.start], map[n->loc.end]);
}

/* True the first time the read at loc is judged with code. */
static bool first_report(struct flow *f, struct loc at, enum diag_code code)
{
    char key[80];
    int n = snprintf(key, sizeof(key), "%p|%u|%u|%d", (const void *)at.src, at.start, at.end,
                     (int)code);
    size_t len = n > 0 ? (size_t)n : 0;
    if (name_index_find(&f->reported, key, len))
        return false;
    name_index_add(&f->reported, arena_strndup(f->m->arena, key, len), len, (void *)1);
    return true;
}

static void *seen_in(const struct walk *w, struct name_index *per_section, struct str name)
{
    for (unsigned k = 0; k < POLICY_NSECTIONS; k++) {
        void *v = w->slot[k] ? name_index_find(&per_section[k], name.ptr, name.len) : NULL;
        if (v)
            return v;
    }
    return NULL;
}

static void before_set(struct walk *w, const struct read *r, struct loc at,
                       const struct policy_pipeline_step *setter)
{
    struct model *m = w->f->m;
    enum diag_code code = r->strict ? DC_FLOW_BEFORE_SET : DC_FLOW_DEFAULT_BEFORE_SET;
    if (!first_report(w->f, at, code))
        return;
    struct diag_entry *e =
        r->strict ? diag_emit(m->diag, code, at,
                              "variable '%.*s' is read before '%.*s' sets it, in the effective "
                              "policy of %s: the indexer throws when it is missing",
                              STR_FMT(r->name), STR_FMT(setter->name), w->op)
                  : diag_emit(m->diag, code, at,
                              "variable '%.*s' is read before '%.*s' sets it, in the effective "
                              "policy of %s: GetValueOrDefault gives the default there",
                              STR_FMT(r->name), STR_FMT(setter->name), w->op);
    if (setter->value)
        diag_note(m->diag, e, jval_string_subloc(setter->value, setter->offset, setter->offset + 1),
                  "'%.*s' sets it here", STR_FMT(setter->name));
}

static void never_set(struct walk *w, const struct read *r, struct loc at)
{
    struct model *m = w->f->m;
    const char *product = seen_in(w, w->f->product, r->name);
    if (product) {
        if (first_report(w->f, at, DC_FLOW_PRODUCT_ONLY))
            diag_emit(m->diag, DC_FLOW_PRODUCT_ONLY, at,
                      "variable '%.*s' is set only by the policy of product '%s': calls of %s "
                      "under other products, or without one, do not have it",
                      STR_FMT(r->name), product, w->op);
        return;
    }
    if (w->wild || w->f->wild)
        return;
    enum diag_code code = r->strict ? DC_FLOW_NEVER_SET : DC_FLOW_DEFAULT_NEVER_SET;
    if (first_report(w->f, at, code))
        diag_emit(m->diag, code, at,
                  r->strict ? "variable '%.*s' is read but nothing sets it (the effective policy "
                              "of %s, the global policy, any product's): the indexer throws"
                            : "variable '%.*s' is read but nothing sets it (the effective policy "
                              "of %s, the global policy, any product's): GetValueOrDefault "
                              "always gives the default",
                  STR_FMT(r->name), w->op);
}

static void judge(struct walk *w, const struct policy_pipeline_expr *x, const struct read *r)
{
    if (name_index_find(&w->set, r->name.ptr, r->name.len) || seen_in(w, w->f->global, r->name))
        return;
    struct loc at = where(w->f, x, r->at);
    const struct policy_pipeline_step *setter =
        name_index_find(&w->later, r->name.ptr, r->name.len);
    if (setter)
        before_set(w, r, at, setter);
    else
        never_set(w, r, at);
}

static bool mentions(struct str s, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= s.len; i++)
        if (memcmp(s.ptr + i, word, n) == 0)
            return true;
    return false;
}

static void expression(struct walk *w, const struct policy_pipeline_expr *x)
{
    if (x == NULL || !mentions(x->text, "Variables"))
        return; /* no read to find: not worth a parse */
    struct reads r = { .a = &w->f->scratch };
    const struct csx_node *tree = csx_parse(&w->f->scratch, NULL, LOC_NONE, x->text);
    visit(&r, tree);
    for (size_t i = 0; i < r.n; i++)
        if (!guarded(&r, r.v[i].name))
            judge(w, x, &r.v[i]);
}

/* ---- walking ---- */

static void walk_steps(struct walk *w, const struct policy_pipeline_step *s);

static void set_now(void *ctx, struct str name, const struct policy_pipeline_step *s)
{
    struct walk *w = ctx;
    name_index_add(&w->set, name.ptr, name.len, (void *)(uintptr_t)s);
}

static unsigned section_index(unsigned bit)
{
    unsigned k = 0;
    while (k + 1 < POLICY_NSECTIONS && !(bit & (1u << k)))
        k++;
    return k;
}

static void own_expressions(struct walk *w, const struct policy_pipeline_step *s)
{
    for (size_t i = 0; i < s->nattrs; i++)
        expression(w, s->attrs[i].expr);
    expression(w, s->text_expr);
}

/* A step's expressions, then its children, then what it sets; a policy
 * whose expressions run after its children (F_AFTER_KIDS: retry's
 * condition) the other way round. */
static void walk_steps(struct walk *w, const struct policy_pipeline_step *s)
{
    for (; s; s = s->next) {
        if (s->kind == POLICY_PIPELINE_PRODUCT) {
            w->slot[section_index(s->section)] = true;
            continue;
        }
        bool after = s->kind == POLICY_PIPELINE_POLICY && s->policy != POLICY_UNKNOWN &&
                     (policy_info(s->policy)->flags & POLICY_F_AFTER_KIDS);
        if (!after)
            own_expressions(w, s);
        walk_steps(w, s->children);
        if (after)
            own_expressions(w, s);
        bool wild = false;
        setters(s, set_now, w, &wild);
    }
}

static void check_pipeline(struct flow *f, const struct policy_pipeline *p, const char *op)
{
    struct walk w = { .f = f, .op = op };
    name_index_init(&w.set, &f->scratch);
    name_index_init(&w.later, &f->scratch);
    struct into later = { &w.later, NULL };
    for (unsigned k = 0; k < POLICY_NSECTIONS; k++)
        each_setter(p->sections[k], add_to, &later, &w.wild);
    for (unsigned k = 0; k < POLICY_NSECTIONS; k++)
        walk_steps(&w, p->sections[k]);
}

/* What the global document (bare) or product pr's pipeline sets, per
 * section, into the flow's tables. */
static void scope_sets(struct flow *f, const struct model_product *pr)
{
    struct policy_pipeline p;
    struct policy_compose_call call = { f->m, f->s, NULL, NULL, pr };
    struct policy_compose_walk_opts o = { POLICY_COMPOSE_PRODUCT, false };
    (void)policy_pipeline_build(&call, &o, &p); /* problems: reported by the checks */
    for (unsigned k = 0; k < POLICY_NSECTIONS; k++) {
        struct into in = { pr ? &f->product[k] : &f->global[k], pr ? (void *)pr->id : (void *)1 };
        each_setter(p.sections[k], add_to, &in, &f->wild);
    }
}

static void check_operation(struct flow *f, const struct model_api *a,
                            const struct model_operation *op)
{
    struct policy_pipeline p;
    struct policy_compose_call call = { f->m, f->s, a, op, NULL };
    struct policy_compose_walk_opts o = { POLICY_COMPOSE_OPERATION, true };
    (void)policy_pipeline_build(&call, &o, &p);
    const char *label = arena_printf(&f->scratch, "operation '%s' of API '%s'", op->id, a->id);
    check_pipeline(f, &p, label);
}

/* An API without operations here (they are declared elsewhere): its own
 * pipeline, as each of its operations without a document would run it. */
static void check_api_alone(struct flow *f, const struct model_api *a)
{
    struct policy_pipeline p;
    struct policy_compose_call call = { f->m, f->s, a, NULL, NULL };
    struct policy_compose_walk_opts o = { POLICY_COMPOSE_API, true };
    (void)policy_pipeline_build(&call, &o, &p);
    check_pipeline(f, &p, arena_printf(&f->scratch, "API '%s' (no operation here)", a->id));
    arena_reset(&f->scratch);
}

static void check_service(struct flow *f)
{
    for (unsigned k = 0; k < POLICY_NSECTIONS; k++) {
        name_index_init(&f->global[k], f->m->arena);
        name_index_init(&f->product[k], f->m->arena);
    }
    scope_sets(f, NULL);
    for (const struct model_product *pr = f->s->products; pr; pr = pr->next)
        if (pr->policy)
            scope_sets(f, pr);
    for (const struct model_api *a = f->s->apis; a; a = a->next) {
        if (a->ops == NULL && a->policy)
            check_api_alone(f, a);
        bool shared_done = false; /* operations without a document share one pipeline */
        for (const struct model_operation *op = a->ops; op; op = op->next) {
            if (op->policy == NULL && (shared_done || a->policy == NULL))
                continue; /* nothing of their own: the API's pipeline was checked */
            shared_done |= op->policy == NULL;
            check_operation(f, a, op);
            arena_reset(&f->scratch);
        }
    }
}

void policy_flow_check(struct model *m)
{
    struct flow f = { .m = m };
    arena_init(&f.scratch, 16384);
    name_index_init(&f.reported, m->arena);
    for (struct model_service *s = m->services; s; s = s->next) {
        f.s = s;
        f.wild = false;
        check_service(&f);
    }
    arena_release(&f.scratch);
}
