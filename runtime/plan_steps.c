/* plan_steps.c - the loader's checks of the pipeline sections
 * (plan_format.h, "Pipelines"): beyond the strings, indexes and ranges that
 * every field list gets checked, each step's kind, section, scope and
 * flags, and the shape: a step's children follow it, every step has at
 * most one parent (or one pipeline section), a child stays in its parent's
 * section, and nesting is bounded, so walking a pipeline ends and visits
 * each step once. */
#include <stdlib.h>
#include <string.h>

#include "csx_vm.h"
#include "plan_int.h"

/* Deeper than any policy document nests, fragments included within
 * fragments: a bound for readers that recurse. */
#define MAX_STEP_DEPTH 4096

static bool one_section(uint32_t bit)
{
    return bit && !(bit & (bit - 1)) && !(bit & ~PLAN_SECTION_MASK);
}

static int check_step(struct loader *l, uint32_t i)
{
    const struct plan_step *s = &l->p->steps[i];
    if (s->kind > PLAN_STEP_PRODUCT || !one_section(s->section) || s->scope > PLAN_STEP_OPERATION ||
        (s->flags & ~PLAN_STEP_FLAGS_KNOWN))
        return plan_fail(l, "plan step %u: unknown kind, section, scope or flags", i);
    if (s->nchildren && s->first_child <= i)
        return plan_fail(l, "plan step %u: its children do not follow it", i);
    if (s->kind == PLAN_STEP_PRODUCT && (s->nchildren || s->nattrs || s->policy != PLAN_NONE))
        return plan_fail(l, "plan step %u: a product step holds nothing", i);
    return 0;
}

/* Marks [first, first + n) as reached at depth, in section bit. */
static int claim(struct loader *l, uint32_t *depth, uint32_t first, uint32_t n, uint32_t d,
                 uint32_t bit)
{
    if (d > MAX_STEP_DEPTH)
        return plan_fail(l, "plan steps nest deeper than %u", MAX_STEP_DEPTH);
    for (uint32_t k = first; k < first + n; k++) {
        if (depth[k] != 0)
            return plan_fail(l, "plan step %u is reached twice", k);
        if (l->p->steps[k].section != bit)
            return plan_fail(l, "plan step %u is not in its parent's section", k);
        depth[k] = d;
    }
    return 0;
}

/* depth[i]: 0 unreached, else 1 + the step's depth. Parents come first,
 * so one pass in index order reaches every child from its parent. */
static int check_shape(struct loader *l)
{
    struct plan *p = l->p;
    uint32_t *depth = xcalloc(p->nsteps ? p->nsteps : 1, sizeof(uint32_t));
    int rc = 0;
    for (uint32_t i = 0; i < p->nsteps && rc == 0; i++)
        rc = check_step(l, i);
    for (uint32_t i = 0; i < p->npipelines && rc == 0; i++)
        for (unsigned k = 0; k < 4 && rc == 0; k++)
            rc = claim(l, depth, plan_pipeline_first(&p->pipelines[i], k),
                       plan_pipeline_count(&p->pipelines[i], k), 1, 1u << k);
    for (uint32_t i = 0; i < p->nsteps && rc == 0; i++) {
        const struct plan_step *s = &p->steps[i];
        if (depth[i] && s->nchildren)
            rc = claim(l, depth, s->first_child, s->nchildren, depth[i] + 1, s->section);
    }
    free(depth);
    return rc;
}

static int read_refs(struct loader *l)
{
    struct plan *p = l->p;
    size_t nops = 0, nproducts = 0;
    struct plan_pipeline_ref *ops = plan_read_table(l, PLAN_SEC_OP_PIPELINES, &nops);
    struct plan_pipeline_ref *prs =
        ops ? plan_read_table(l, PLAN_SEC_PRODUCT_PIPELINES, &nproducts) : NULL;
    int rc = -1;
    if (prs == NULL)
        goto out;
    if (nops != p->nops || nproducts != p->nproducts + 1) {
        rc = plan_fail(l, "plan has %zu operation and %zu product pipelines for %zu and %zu + 1",
                       nops, nproducts, p->nops, p->nproducts);
        goto out;
    }
    for (size_t i = 0; i < nops; i++)
        p->ops[i].pipeline = ops[i].pipeline;
    for (size_t i = 0; i < p->nproducts; i++)
        p->products[i].pipeline = prs[i].pipeline;
    p->bare_pipeline = prs[p->nproducts].pipeline;
    rc = 0;
out:
    free(ops);
    free(prs);
    return rc;
}

static void no_pipelines(struct plan *p)
{
    for (size_t i = 0; i < p->nops; i++)
        p->ops[i].pipeline = PLAN_NONE;
    for (size_t i = 0; i < p->nproducts; i++)
        p->products[i].pipeline = PLAN_NONE;
    p->bare_pipeline = PLAN_NONE;
}

/* Every compiled expression's program passes the VM's verifier once, here,
 * as every other part of the plan is checked when it loads; "" is an
 * expression the compiler did not compile (plan-format.md). The gateway
 * does not keep the loaded programs yet: it does not run expressions. */
static int check_programs(struct loader *l)
{
    const struct plan *p = l->p;
    for (size_t i = 0; i < p->nexprs; i++) {
        struct str code = p->exprs[i].code;
        if (code.len == 0)
            continue;
        if (p->exprs[i].members != csx_members_fingerprint())
            return plan_fail(l,
                             "expression %zu: its program was compiled against another member "
                             "table (a different apimlocal build): compile the plan again",
                             i);
        struct csx_error err;
        struct csx_prog *prog = csx_prog_load(code.ptr, code.len, &err);
        if (prog == NULL)
            return plan_fail(l, "expression %zu: invalid program: %s", i, err.reason);
        csx_prog_free(prog);
    }
    return 0;
}

int plan_steps_read(struct loader *l)
{
    struct plan *p = l->p;
    unsigned present = 0;
    for (uint32_t k = PLAN_SEC_PIPELINES; k <= PLAN_SEC_PRODUCT_PIPELINES; k++)
        present += l->sec[k].present;
    no_pipelines(p);
    if (present == 0)
        return 0;
    if (present != PLAN_SEC_PRODUCT_PIPELINES - PLAN_SEC_PIPELINES + 1)
        return plan_fail(l, "plan has some of the pipeline sections but not all");
    if ((p->exprs = plan_read_table(l, PLAN_SEC_EXPRS, &p->nexprs)) == NULL ||
        (p->step_attrs = plan_read_table(l, PLAN_SEC_STEP_ATTRS, &p->nstep_attrs)) == NULL ||
        (p->steps = plan_read_table(l, PLAN_SEC_STEPS, &p->nsteps)) == NULL ||
        (p->pipelines = plan_read_table(l, PLAN_SEC_PIPELINES, &p->npipelines)) == NULL)
        return -1;
    return check_shape(l) != 0 || read_refs(l) != 0 || check_programs(l) != 0 ? -1 : 0;
}
