/* plan_pipeline.c - the effective pipelines into the plan (plan_format.h,
 * "Pipelines"): one per distinct (operation document, API document) pair,
 * one per product and one for calls without a product. The field lists of
 * plan_format.h say what each record holds; pw_put_record writes any of
 * them. */
#include <stdio.h>
#include <string.h>

#include "csx_members.h"
#include "name_index.h"
#include "plan_record.h"
#include "plan_write_int.h"
#include "policy_expr.h"
#include "policy_pipeline.h"

static struct str cs(const char *s)
{
    return s ? str_from_cstr(s) : STR_LIT("");
}

/* The expression's program (runtime/common/csx_code.h), or "" when it is
 * not compiled here (policy_expr_compile: a named value whose value the
 * configuration does not hold, or an expression apim validate rejects). */
static void put_expr_record(struct writer *w, const struct policy_pipeline_expr *x)
{
    struct arena scratch;
    struct buf code;
    arena_init(&scratch, 16384);
    buf_init(&code, 16u << 20);
    struct model_service *svc = (struct model_service *)(uintptr_t)w->svc;
    bool compiled = policy_expr_compile(w->m, svc, x->text, &scratch, &code) == 0;
    struct plan_expr r = { .text = x->text,
                           .at = cs(policy_pipeline_at(w->arena, x->value, x->offset)),
                           .code = compiled ? (struct str){ (const char *)code.data, code.len }
                                            : STR_LIT(""),
                           .members = compiled ? csx_members_fingerprint() : 0 };
    pw_put_record(w, PLAN_SEC_EXPRS, &r);
    buf_release(&code);
    arena_release(&scratch);
}

static uint32_t put_expr(struct writer *w, const struct policy_pipeline_expr *x)
{
    if (x == NULL)
        return PLAN_NONE;
    put_expr_record(w, x);
    return T(PLAN_SEC_EXPRS)->count - 1;
}

static void put_step(struct writer *w, const struct policy_pipeline_step *s, uint32_t first_child)
{
    struct plan_step r = { .name = s->name,
                           .at = cs(policy_pipeline_at(w->arena, s->value, s->offset)),
                           .text = s->text,
                           .policy = s->policy == POLICY_UNKNOWN ? PLAN_NONE : (uint32_t)s->policy,
                           .kind = s->kind == POLICY_PIPELINE_POLICY    ? PLAN_STEP_POLICY
                                   : s->kind == POLICY_PIPELINE_ELEMENT ? PLAN_STEP_ELEMENT
                                                                        : PLAN_STEP_PRODUCT,
                           .section = s->section,
                           .scope = (uint32_t)s->level,
                           .first_child = first_child,
                           .nchildren = (uint32_t)s->nchildren,
                           .first_attr = T(PLAN_SEC_STEP_ATTRS)->count,
                           .nattrs = (uint32_t)s->nattrs,
                           .flags = s->fragment ? PLAN_STEP_FRAGMENT : 0,
                           .fragment = cs(s->fragment) };
    for (size_t i = 0; i < s->nattrs; i++) {
        struct plan_step_attr a = { .name = s->attrs[i].name, .value = s->attrs[i].value };
        a.expr = put_expr(w, s->attrs[i].expr);
        pw_put_record(w, PLAN_SEC_STEP_ATTRS, &a);
    }
    r.text_expr = put_expr(w, s->text_expr);
    pw_put_record(w, PLAN_SEC_STEPS, &r);
}

/* Writes p's steps breadth first: each step's children are one block
 * allocated when the step is written, so they follow it (plan_format.h);
 * returns the pipeline's index. */
static uint32_t put_pipeline(struct writer *w, const struct policy_pipeline *p)
{
    const struct policy_pipeline_step **q =
        ARENA_ARRAY(w->arena, const struct policy_pipeline_step *, p->nsteps + 1);
    uint32_t base = T(PLAN_SEC_STEPS)->count, first[POLICY_NSECTIONS];
    size_t head = 0, tail = 0;
    for (unsigned k = 0; k < POLICY_NSECTIONS; k++) {
        first[k] = base + (uint32_t)tail;
        for (const struct policy_pipeline_step *s = p->sections[k]; s; s = s->next)
            q[tail++] = s;
    }
    while (head < tail) {
        const struct policy_pipeline_step *s = q[head++];
        uint32_t child = base + (uint32_t)tail;
        for (const struct policy_pipeline_step *c = s->children; c; c = c->next)
            q[tail++] = c;
        put_step(w, s, child);
    }
    struct plan_pipeline r = { first[0],
                               (uint32_t)p->nsection[0],
                               first[1],
                               (uint32_t)p->nsection[1],
                               first[2],
                               (uint32_t)p->nsection[2],
                               first[3],
                               (uint32_t)p->nsection[3],
                               p->has_product ? PLAN_PIPE_PRODUCT : 0,
                               0 };
    pw_put_record(w, PLAN_SEC_PIPELINES, &r);
    return T(PLAN_SEC_PIPELINES)->count - 1;
}

static uint32_t composed(struct writer *w, const struct policy_compose_call *call,
                         enum policy_compose_level top)
{
    struct policy_pipeline p;
    struct policy_compose_walk_opts o = { top, top == POLICY_COMPOSE_OPERATION };
    /* A part that cannot be composed was reported by the checks (a
     * fragment that is missing, a cycle); the rest is stored. */
    (void)policy_pipeline_build(call, &o, &p);
    return put_pipeline(w, &p);
}

static void put_ref(struct writer *w, uint32_t kind, uint32_t pipeline)
{
    struct plan_pipeline_ref r = { pipeline };
    pw_put_record(w, kind, &r);
}

/* An operation's pipeline is made of its own document and its API's: one
 * record per distinct pair (the key), however many operations share it. */
static void op_pipelines(struct writer *w, struct model_service *svc)
{
    struct name_index seen;
    name_index_init(&seen, w->arena);
    for (uint32_t i = 0; i < T(PLAN_SEC_OPERATIONS)->count; i++) {
        const struct model_operation *op = w->ops[i];
        char key[64];
        int n = snprintf(key, sizeof(key), "%p|%p", (const void *)op->policy,
                         (const void *)op->api->policy);
        size_t len = n > 0 ? (size_t)n : 0;
        void *hit = name_index_find(&seen, key, len);
        uint32_t at;
        if (hit) {
            at = (uint32_t)((uintptr_t)hit - 1);
        } else {
            struct policy_compose_call call = { w->m, svc, op->api, op, NULL };
            at = composed(w, &call, POLICY_COMPOSE_OPERATION);
            name_index_add(&seen, arena_strndup(w->arena, key, len), len,
                           (void *)(uintptr_t)(at + 1));
        }
        put_ref(w, PLAN_SEC_OP_PIPELINES, at);
    }
}

bool pw_has_policies(const struct writer *w)
{
    if (w->svc->policy)
        return true;
    for (const struct model_product *p = w->svc->products; p; p = p->next)
        if (p->policy)
            return true;
    for (size_t i = 0; i < w->napis; i++) {
        if (w->apis[i]->policy)
            return true;
        for (const struct model_operation *op = w->apis[i]->ops; op; op = op->next)
            if (op->policy)
                return true;
    }
    return false;
}

void pw_write_pipelines(struct writer *w)
{
    /* The model is not changed: the service is not const only for the
     * fragment lookup's signature. */
    struct model_service *svc = (struct model_service *)(uintptr_t)w->svc;
    op_pipelines(w, svc);
    for (const struct model_product *p = svc->products; p; p = p->next) {
        struct policy_compose_call call = { w->m, svc, NULL, NULL, p };
        put_ref(w, PLAN_SEC_PRODUCT_PIPELINES, composed(w, &call, POLICY_COMPOSE_PRODUCT));
    }
    struct policy_compose_call bare = { w->m, svc, NULL, NULL, NULL };
    put_ref(w, PLAN_SEC_PRODUCT_PIPELINES, composed(w, &bare, POLICY_COMPOSE_PRODUCT));
}
