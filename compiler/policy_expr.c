/* policy_expr.c - the policy document's expressions through csx_parse
 * (policy_expr.h). */
#include "policy_expr.h"

#include <string.h>

#include "apim_limits.h"
#include "csx.h"
#include "csx_bind.h"
#include "csx_emit.h"
#include "policy_scan.h"

/* Text to parse and, for each byte, its offset in the policy text (plus
 * one entry for the end). */
struct island {
    const char *text;
    size_t len;
    uint32_t *map;
    size_t start, end;  /* as written, in the policy text */
    uint32_t *standins; /* offsets in text of the '0's standing for unknown named values */
    size_t nstandins;
    bool variable; /* a set-variable value: its type is checked */
};

struct ctx {
    struct model *m;
    struct model_service *s;
    const struct jval *v;
    const char *doc;          /* the policy text */
    struct arena scratch;     /* one expression's maps and tree, reset after it */
    const struct source *src; /* the policy text's, made at the first error */
};

/* {{name}} at text[i]: the offset past its '}}', or 0. The name is what
 * model_check.c's named value references take: no '{' and no line end. */
static size_t ref_end(const char *t, size_t len, size_t i)
{
    if (i + 3 >= len || t[i] != '{' || t[i + 1] != '{')
        return 0;
    size_t e = i + 2;
    while (e + 1 < len && !(t[e] == '}' && t[e + 1] == '}') && t[e] != '{' && t[e] != '\n')
        e++;
    return e + 1 < len && t[e] == '}' && t[e + 1] == '}' && e > i + 2 ? e + 2 : 0;
}

/* What {{name}} stands for in the expression (policy_expr.h); *standin:
 * it is the '0' put for a value unknown here. */
static struct str named_value(struct ctx *c, struct str name, bool *standin)
{
    const struct model_named_value *nv = model_find_named_value(c->m, c->s, name);
    *standin = !(nv && !nv->secret && !nv->key_vault && nv->value && nv->value->kind == JV_STRING &&
                 !(nv->value->flags & JV_F_SAMPLE));
    return *standin ? STR_LIT("0") : nv->value->u.s;
}

/* Appends s (each byte from from, the last from last) to out, if it fits. */
static void put(struct island *out, size_t cap, struct str s, uint32_t from, uint32_t last)
{
    for (size_t k = 0; k < s.len && out->len < cap; k++) {
        ((char *)out->text)[out->len] = s.ptr[k];
        out->map[out->len++] = k + 1 == s.len ? last : from;
    }
}

/* in with its named values substituted, its map carried along. The text is
 * capped one byte past what csx_parse reads, so it still says "too long".
 * The text and maps are allocated in a. */
static struct island substitute(struct ctx *c, struct arena *a, const struct island *in)
{
    size_t cap = APIM_MAX_EXPR_LENGTH + 1, n = 0, refs = 0;
    bool standin;
    for (size_t i = 0; i < in->len && n < cap; i++) {
        size_t e = ref_end(in->text, in->len, i);
        n += e ? named_value(c, (struct str){ in->text + i + 2, e - i - 4 }, &standin).len : 1;
        refs += e != 0;
        i = e ? e - 1 : i;
    }
    n = n < cap ? n : cap;
    struct island out = { arena_alloc(a, n + 1),
                          0,
                          ARENA_ARRAY(a, uint32_t, n + 1),
                          in->start,
                          in->end,
                          ARENA_ARRAY(a, uint32_t, refs + 1),
                          0,
                          in->variable };
    for (size_t i = 0; i < in->len && out.len < n; i++) {
        size_t e = ref_end(in->text, in->len, i);
        struct str s = e ? named_value(c, (struct str){ in->text + i + 2, e - i - 4 }, &standin)
                         : (struct str){ in->text + i, 1 };
        if (e && standin && out.len < n)
            out.standins[out.nstandins++] = (uint32_t)out.len;
        put(&out, n, s, in->map[i], in->map[e ? e - 1 : i]);
        i = e ? e - 1 : i;
    }
    out.map[out.len] = in->map[in->len];
    return out;
}

static struct csx_bind_opts bind_opts(const struct island *x)
{
    return (struct csx_bind_opts){ x->standins, x->nstandins, x->variable };
}

/* Parses (and binds) x again, reporting its errors in a source embedded in
 * the policy text's (both in the model's arena: the diagnostics outlive the
 * check). */
static void report(struct ctx *c, const struct island *x)
{
    struct model *m = c->m;
    if (c->src == NULL)
        c->src = policy_scan_source(m->arena, m->diag, c->v);
    char *text = arena_strndup(m->arena, x->text, x->len);
    uint32_t *map = ARENA_ARRAY(m->arena, uint32_t, x->len + 1);
    memcpy(map, x->map, (x->len + 1) * sizeof(uint32_t));
    const struct source *es = source_embed(m->diag, c->src, text, (uint32_t)x->len, map,
                                           (uint32_t)x->start, (uint32_t)x->end);
    struct csx_node *root =
        csx_parse(m->arena, m->diag, (struct loc){ es, 0, 0 }, (struct str){ text, x->len });
    struct csx_bind_opts o = bind_opts(x);
    if (root != NULL)
        (void)csx_bind(m->arena, m->diag, root, &o);
}

/* The island written at doc[start, end); decoded: its text as the reader
 * decoded it. */
static void check(struct ctx *c, size_t start, size_t end, struct str decoded, bool variable)
{
    struct island in = { c->doc + start, end - start, NULL, start, end, NULL, 0, variable };
    in.map = ARENA_ARRAY(&c->scratch, uint32_t, in.len + 1);
    size_t n = policy_xml_decode_map(c->doc, start, end, in.map);
    if (n != decoded.len) { /* cannot be: the reader decoded it so */
        for (size_t k = 0; k <= in.len; k++)
            in.map[k] = (uint32_t)(start + k);
    } else {
        in.text = decoded.ptr;
        in.len = n;
    }
    struct island x = substitute(c, &c->scratch, &in);
    struct csx_node *root = csx_parse(&c->scratch, NULL, LOC_NONE, (struct str){ x.text, x.len });
    struct csx_bind_opts o = bind_opts(&x);
    if (root == NULL || csx_bind(&c->scratch, NULL, root, &o) > 0)
        report(c, &x);
    arena_reset(&c->scratch);
}

static void check_attrs(struct ctx *c, const struct policy_xml_node *e)
{
    for (size_t i = 0; i < e->nattrs; i++) {
        const struct policy_xml_attr *a = &e->attrs[i];
        size_t s = a->value_at.start, end = a->value_at.end;
        if (a->expr && end - s >= 2 && c->doc[s] == '@' &&
            policy_xml_island_end(c->doc, end, s) == end)
            check(c, s, end, a->value,
                  str_eq(e->name, STR_LIT("set-variable")) && str_eq(a->name, STR_LIT("value")));
    }
}

/* Depth-first over the elements (their depth is capped by the reader). */
static void walk(struct ctx *c, const struct policy_xml_node *e)
{
    for (; e; e = e->next) {
        if (e->kind != PXML_ELEMENT)
            continue;
        check_attrs(c, e);
        const struct policy_xml_node *x = policy_xml_sole_expr(e);
        if (x)
            check(c, x->content.start, x->content.end, x->text, false);
        walk(c, e->children);
    }
}

void policy_expr_check(struct model *m, struct model_service *s, const struct jval *v,
                       const struct policy_outline *o)
{
    if (o->xml == NULL || o->xml->root == NULL || o->xml->nerrors > 0 || !o->complete ||
        v == NULL || v->kind != JV_STRING || (v->flags & JV_F_SAMPLE))
        return;
    struct ctx c = { .m = m, .s = s, .v = v, .doc = v->u.s.ptr };
    arena_init(&c.scratch, 16384);
    walk(&c, o->xml->root);
    arena_release(&c.scratch);
}

void policy_expr_check_named_values(struct model *m, struct model_service *s)
{
    struct arena scratch;
    arena_init(&scratch, 16384);
    for (const struct model_named_value *nv = s->named_values; nv; nv = nv->next) {
        const struct jval *v = nv->value;
        if (nv->secret || nv->key_vault || v == NULL || v->kind != JV_STRING ||
            (v->flags & JV_F_SAMPLE) || v->u.s.len < 2 || v->u.s.ptr[0] != '@' ||
            (v->u.s.ptr[1] != '(' && v->u.s.ptr[1] != '{'))
            continue;
        diag_copy_at(m->diag, nv->copy);
        struct csx_node *root = csx_parse(&scratch, NULL, LOC_NONE, v->u.s);
        if (root == NULL || csx_bind(&scratch, NULL, root, NULL) > 0) {
            const struct source *src = policy_scan_source(m->arena, m->diag, v);
            root = csx_parse(m->arena, m->diag, (struct loc){ src, 0, 0 }, v->u.s);
            if (root != NULL)
                (void)csx_bind(m->arena, m->diag, root, NULL);
        }
        arena_reset(&scratch);
    }
    diag_copy_at(m->diag, DIAG_COPY_NONE);
    arena_release(&scratch);
}

int policy_expr_compile(struct model *m, struct model_service *s, struct str text,
                        struct arena *scratch, struct buf *out)
{
    struct ctx c = { .m = m, .s = s };
    struct island in = { text.ptr, text.len, ARENA_ARRAY(scratch, uint32_t, text.len + 1),
                         0,        text.len, NULL,
                         0,        false };
    for (size_t k = 0; k <= text.len; k++)
        in.map[k] = (uint32_t)k;
    struct island x = substitute(&c, scratch, &in);
    if (x.nstandins > 0)
        return 1;
    struct csx_node *root = csx_parse(scratch, NULL, LOC_NONE, (struct str){ x.text, x.len });
    return root != NULL && csx_emit(scratch, NULL, LOC_NONE, root, out) == 0 ? 0 : -1;
}
