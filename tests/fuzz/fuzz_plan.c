/* libFuzzer target: the plan loader (runtime/plan.c), then plan_json and a
 * walk of every index on what it accepts. Input: one mode byte, then the
 * plan. Mode bit 0 set: the CRC in the header is recomputed first, so the
 * fuzzer gets past it to the section, string, index, range and tree checks.
 * A plan that loads with an index out of range aborts: the loader promised
 * nothing needs checking after it. Seeded with real plans (seed.sh). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "plan.h"
#include "plan_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)v;
    b[1] = (unsigned char)(v >> 8);
    b[2] = (unsigned char)(v >> 16);
    b[3] = (unsigned char)(v >> 24);
}

static void need(bool ok)
{
    if (!ok)
        abort();
}

static bool in(uint32_t first, uint32_t count, size_t n)
{
    return (uint64_t)first + count <= n;
}

static bool idx(uint32_t v, size_t n, bool none_ok)
{
    return v < n || (none_ok && v == PLAN_NONE);
}

static void walk_apis(const struct plan *p)
{
    for (size_t i = 0; i < p->napis; i++) {
        const struct plan_api *a = &p->apis[i];
        need(idx(a->version_set, p->nversion_sets, true) && idx(a->backend, p->nbackends, true));
        need(in(a->first_op, a->nops, p->nops) && idx(a->route_root, p->nnodes, false));
        for (uint32_t k = 0; k < a->nops; k++)
            need(p->ops[a->first_op + k].api == i);
    }
    for (size_t i = 0; i < p->nops; i++) {
        const struct plan_operation *o = &p->ops[i];
        need(idx(o->api, p->napis, false) && idx(o->backend, p->nbackends, true));
        need(in(o->first_query, o->nquery, p->nqueries));
    }
}

static void walk_nodes(const struct plan *p)
{
    for (size_t i = 0; i < p->nnodes; i++) {
        const struct plan_node *n = &p->nodes[i];
        uint64_t nedges = (uint64_t)n->nliteral + n->npattern;
        need((uint64_t)n->first_edge + nedges <= p->nedges);
        need(in(n->first_op, n->nops, p->nop_refs) && in(n->first_wild, n->nwild, p->nop_refs));
        need(n->param_child == PLAN_NONE || (n->param_child > i && n->param_child < p->nnodes));
        for (uint64_t k = 0; k < nedges; k++)
            need(p->edges[n->first_edge + k].child > i);
    }
    for (size_t i = 0; i < p->nedges; i++)
        need(idx(p->edges[i].child, p->nnodes, false));
    for (size_t i = 0; i < p->nop_refs; i++)
        need(idx(p->op_refs[i], p->nops, false));
}

static void walk_rest(const struct plan *p)
{
    for (size_t i = 0; i < p->nproducts; i++)
        need(in(p->products[i].first_api, p->products[i].napis, p->nproduct_apis));
    for (size_t i = 0; i < p->nproduct_apis; i++)
        need(idx(p->product_apis[i], p->napis, false));
    for (size_t i = 0; i < p->nsubs; i++) {
        const struct plan_subscription *s = &p->subs[i];
        size_t limit = s->scope_kind == PLAN_SCOPE_PRODUCT ? p->nproducts : p->napis;
        need(s->scope_kind <= PLAN_SCOPE_PRODUCT && s->state <= PLAN_SUB_CANCELLED);
        need(idx(s->scope_target, limit, true));
    }
    for (size_t i = 0; i < p->nversion_sets; i++)
        need(p->version_sets[i].scheme <= PLAN_SCHEME_HEADER);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t len = size - 1;
    unsigned char *copy = malloc(len ? len : 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data + 1, len);
    if ((data[0] & 1) && len >= PLAN_HEADER_SIZE)
        put32(copy + 20, crc32_update(0, copy + 24, len - 24));
    struct plan *p = NULL;
    char err[256] = "";
    if (plan_load_bytes(copy, len, &p, err, sizeof(err)) != 0) {
        need(err[0] != '\0');
        return 0;
    }
    walk_apis(p);
    walk_nodes(p);
    walk_rest(p);
    struct buf out;
    buf_init(&out, 64u << 20);
    (void)plan_json(p, (data[0] & 2) != 0, &out);
    buf_release(&out);
    plan_free(p);
    return 0;
}
