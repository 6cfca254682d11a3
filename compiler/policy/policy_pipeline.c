/* policy_pipeline.c - the composed pipeline as a tree (policy_pipeline.h). */
#include "policy_pipeline.h"

#include <string.h>

struct builder {
    struct arena *a;
    struct policy_pipeline *p;
    struct policy_pipeline_step *cur; /* the open element, or NULL at section level */
    unsigned section;
    size_t index;                                        /* of section */
    struct policy_pipeline_step *tail[POLICY_NSECTIONS]; /* last top-level step */
};

/* The island written at value[start, end) with its decoded text, as an
 * expression. */
static const struct policy_pipeline_expr *expr(struct builder *b, const struct jval *v,
                                               size_t start, struct str decoded)
{
    struct policy_pipeline_expr *x = ARENA_NEW(b->a, struct policy_pipeline_expr);
    x->text = decoded;
    x->value = v;
    x->offset = start;
    return x;
}

static void attrs(struct builder *b, struct policy_pipeline_step *s,
                  const struct policy_xml_node *e, const struct jval *v)
{
    const char *doc = v->u.s.ptr;
    s->attrs = ARENA_ARRAY(b->a, struct policy_pipeline_attr, e->nattrs + 1);
    s->nattrs = e->nattrs;
    for (size_t i = 0; i < e->nattrs; i++) {
        const struct policy_xml_attr *a = &e->attrs[i];
        size_t st = a->value_at.start, end = a->value_at.end;
        s->attrs[i].name = a->name;
        s->attrs[i].value = a->value;
        if (a->expr && end - st >= 2 && doc[st] == '@' &&
            policy_xml_island_end(doc, end, st) == end)
            s->attrs[i].expr = expr(b, v, st, a->value);
    }
}

static void append(struct builder *b, struct policy_pipeline_step *s)
{
    s->section = b->section;
    s->parent = b->cur;
    b->p->nsteps++;
    if (b->cur) {
        if (b->cur->last_child)
            b->cur->last_child->next = s;
        else
            b->cur->children = s;
        b->cur->last_child = s;
        b->cur->nchildren++;
        return;
    }
    if (b->tail[b->index])
        b->tail[b->index]->next = s;
    else
        b->p->sections[b->index] = s;
    b->tail[b->index] = s;
    b->p->nsection[b->index]++;
}

static void on_section(void *ctx, unsigned bit)
{
    struct builder *b = ctx;
    b->section = bit;
    b->index = bit == POLICY_INBOUND    ? 0
               : bit == POLICY_BACKEND  ? 1
               : bit == POLICY_OUTBOUND ? 2
                                        : 3;
    b->cur = NULL;
}

static void on_open(void *ctx, const struct policy_compose_step *st)
{
    struct builder *b = ctx;
    struct policy_pipeline_step *s = ARENA_NEW(b->a, struct policy_pipeline_step);
    s->kind = st->is_policy ? POLICY_PIPELINE_POLICY : POLICY_PIPELINE_ELEMENT;
    s->level = st->level;
    s->fragment = st->fragment;
    s->value = st->value;
    s->policy = POLICY_UNKNOWN;
    if (st->e == NULL) { /* the default global policy */
        s->name = STR_LIT("forward-request");
        s->policy = POLICY_FORWARD_REQUEST;
    } else {
        s->name = st->e->name;
        s->offset = st->e->name_at.start;
        if (st->is_policy)
            s->policy = policy_lookup(s->name);
        attrs(b, s, st->e, st->value);
        const struct policy_xml_node *x = policy_xml_sole_expr(st->e);
        if (x)
            s->text_expr = expr(b, st->value, x->content.start, x->text);
        if (st->verbatim)
            s->text = (struct str){ st->value->u.s.ptr + st->e->content.start,
                                    st->e->content.end - st->e->content.start };
    }
    append(b, s);
    b->cur = s;
}

static void on_close(void *ctx)
{
    struct builder *b = ctx;
    if (b->cur)
        b->cur = b->cur->parent;
}

static void on_product(void *ctx)
{
    struct builder *b = ctx;
    struct policy_pipeline_step *s = ARENA_NEW(b->a, struct policy_pipeline_step);
    s->kind = POLICY_PIPELINE_PRODUCT;
    s->policy = POLICY_UNKNOWN;
    s->name = STR_LIT("");
    s->level = POLICY_COMPOSE_PRODUCT;
    append(b, s);
    b->p->has_product = true;
}

int policy_pipeline_build(const struct policy_compose_call *call,
                          const struct policy_compose_walk_opts *opts, struct policy_pipeline *out)
{
    *out = (struct policy_pipeline){ 0 };
    struct builder b = { .a = call->m->arena, .p = out };
    struct policy_compose_sink sink = { &b, on_section, on_open, on_close, on_product, NULL };
    return policy_compose_walk(call, opts, &sink, &out->problem);
}

const char *policy_pipeline_at(struct arena *a, const struct jval *v, size_t off)
{
    return v ? policy_compose_at(a, v, off) : "";
}

const struct policy_pipeline_attr *policy_pipeline_attr(const struct policy_pipeline_step *s,
                                                        const char *name)
{
    for (size_t i = 0; i < s->nattrs; i++)
        if (str_eq(s->attrs[i].name, str_from_cstr(name)))
            return &s->attrs[i];
    return NULL;
}
