/* plan_trie.c - the routing plan's route trees: each API's URL templates as
 * a trie of path segments (literal, pattern, parameter, wildcard), numbered
 * and written as PLAN_SEC_ROUTE_NODES / _EDGES / _OP_REFS records
 * (plan_format.h). Edges are indexed once a node has many, so a plan is
 * written in time linear in the operations. */
#include <stdlib.h>
#include <string.h>

#include "plan_record.h"
#include "plan_write_int.h"
#include "url_template.h"

/* ---- route trees ---- */

struct tnode;

struct tedge {
    const char *seg; /* case-folded literal, or normalised pattern */
    bool pattern;
    struct tnode *child;
};

struct tnode {
    struct tedge *edges;
    size_t nedges, capedges;
    /* The edges by key, literal and pattern apart: a path segment per
     * operation ("/r1", "/r2", ...) gives a node thousands of edges, and a
     * scan per insert would make the plan quadratic in the operations. Keys
     * are lower case already, so the index's case folding is moot. */
    struct name_index by_key[2];
    struct tnode *param;
    uint32_t *ops, *wild;
    size_t nops, capops, nwild, capwild;
    uint32_t index;
};

static void push_u32(struct arena *a, uint32_t **v, size_t *n, size_t *cap, uint32_t x)
{
    ARENA_GROW(a, *v, *n, *cap, 4);
    (*v)[(*n)++] = x;
}

/* A segment as the trie keys it: literals folded to lower case (matching
 * ignores case), parameters inside a segment reduced to "{}" so templates
 * that differ only in parameter names share the edge. */
static const char *segment_key(struct arena *a, const char *seg, size_t n, bool *pattern)
{
    char *out = arena_alloc(a, n + 1);
    size_t o = 0;
    *pattern = false;
    for (size_t i = 0; i < n; i++) {
        if (seg[i] == '{') {
            while (i < n && seg[i] != '}')
                i++;
            out[o++] = '{';
            out[o++] = '}';
            *pattern = true;
            continue;
        }
        char c = seg[i];
        out[o++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    out[o] = '\0';
    return out;
}

static struct tnode *edge_child(struct arena *a, struct tnode *n, const char *key, bool pattern)
{
    struct name_index *idx = &n->by_key[pattern];
    if (idx->arena == NULL)
        name_index_init(idx, a);
    struct tnode *found = name_index_find(idx, key, strlen(key));
    if (found)
        return found;
    ARENA_GROW(a, n->edges, n->nedges, n->capedges, 4);
    struct tnode *child = ARENA_NEW(a, struct tnode);
    n->edges[n->nedges++] = (struct tedge){ key, pattern, child };
    name_index_add(idx, key, strlen(key), child);
    return child;
}

/* Adds operation op (by plan index) under the path part of its template. */
static void trie_insert(struct arena *a, struct tnode *root, uint32_t op, const char *tmpl)
{
    size_t len = strcspn(tmpl, "?");
    const char *p = tmpl, *end = tmpl + len;
    while (p < end && *p == '/')
        p++;
    struct tnode *n = root;
    while (p < end) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        size_t seglen = slash ? (size_t)(slash - p) : (size_t)(end - p);
        const char *next = slash ? slash + 1 : end;
        if (seglen == 0) { /* "resource/" and "resource" are one operation */
            p = next;
            continue;
        }
        if (seglen == 1 && *p == '*' && next >= end) {
            push_u32(a, &n->wild, &n->nwild, &n->capwild, op);
            return;
        }
        if (*p == '{' && p[seglen - 1] == '}' && memchr(p + 1, '{', seglen - 1) == NULL) {
            if (n->param == NULL)
                n->param = ARENA_NEW(a, struct tnode);
            n = n->param;
        } else {
            bool pattern;
            const char *key = segment_key(a, p, seglen, &pattern);
            n = edge_child(a, n, key, pattern);
        }
        p = next;
    }
    push_u32(a, &n->ops, &n->nops, &n->capops, op);
}

static int cmp_edge(const void *pa, const void *pb)
{
    const struct tedge *a = pa, *b = pb;
    if (a->pattern != b->pattern)
        return a->pattern ? 1 : -1; /* literals first */
    return strcmp(a->seg, b->seg);
}

/* Numbers the nodes in pre-order, so every child comes after its parent. */
static void trie_number(struct tnode *n, struct tnode ***order, size_t *count, size_t *cap)
{
    if (*count == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *order = xrealloc(*order, *cap * sizeof(**order));
    }
    n->index = (uint32_t)*count;
    (*order)[(*count)++] = n;
    if (n->nedges > 1)
        qsort(n->edges, n->nedges, sizeof(*n->edges), cmp_edge);
    for (size_t i = 0; i < n->nedges; i++)
        trie_number(n->edges[i].child, order, count, cap);
    if (n->param)
        trie_number(n->param, order, count, cap);
}

static void write_node(struct writer *w, const struct tnode *n, uint32_t base)
{
    size_t nlit = 0;
    while (nlit < n->nedges && !n->edges[nlit].pattern)
        nlit++;
    struct plan_node r = { .first_edge = T(PLAN_SEC_ROUTE_EDGES)->count,
                           .nliteral = (uint32_t)nlit,
                           .npattern = (uint32_t)(n->nedges - nlit),
                           .param_child = n->param ? base + n->param->index : PLAN_NONE,
                           .first_op = T(PLAN_SEC_OP_REFS)->count,
                           .nops = (uint32_t)n->nops,
                           .first_wild = T(PLAN_SEC_OP_REFS)->count + (uint32_t)n->nops,
                           .nwild = (uint32_t)n->nwild };
    pw_put_record(w, PLAN_SEC_ROUTE_NODES, &r);
    for (size_t i = 0; i < n->nops; i++) {
        struct plan_op_ref ref = { .op = n->ops[i] };
        pw_put_record(w, PLAN_SEC_OP_REFS, &ref);
    }
    for (size_t i = 0; i < n->nwild; i++) {
        struct plan_op_ref ref = { .op = n->wild[i] };
        pw_put_record(w, PLAN_SEC_OP_REFS, &ref);
    }
    for (size_t i = 0; i < n->nedges; i++) {
        struct plan_edge e = { .segment = str_from_cstr(n->edges[i].seg),
                               .child = base + n->edges[i].child->index };
        pw_put_record(w, PLAN_SEC_ROUTE_EDGES, &e);
    }
}

/* Writes the route tree of one API; returns its root's index. */
uint32_t pw_write_routes(struct writer *w, uint32_t first_op, uint32_t nops)
{
    struct tnode *root = ARENA_NEW(w->arena, struct tnode);
    for (uint32_t i = 0; i < nops; i++)
        trie_insert(w->arena, root, first_op + i, w->ops[first_op + i]->url_template);
    struct tnode **order = NULL;
    size_t count = 0, cap = 0;
    trie_number(root, &order, &count, &cap);
    uint32_t base = T(PLAN_SEC_ROUTE_NODES)->count;
    for (size_t i = 0; i < count; i++)
        write_node(w, order[i], base);
    free(order);
    return base;
}
