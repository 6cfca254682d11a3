#include "bodyplan.h"

#include <stdlib.h>
#include <string.h>

bool bodyplan_policy_reads_body(struct str name)
{
    /* Policies that read or rewrite the body itself; the others can only
     * reach it through an expression, which mentions_body finds. */
    static const char *const names[] = {
        "set-body",
        "validate-content",
        "json-to-xml",
        "xml-to-json",
        "xsl-transform",
        "find-and-replace",
        "validate-odata-request",
        "validate-graphql-request",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (str_eq(name, str_from_cstr(names[i])))
            return true;
    return false;
}

static bool mentions_body(struct str s)
{
    static const char word[] = "Body";
    for (size_t i = 0; i + sizeof(word) - 1 <= s.len; i++)
        if (memcmp(s.ptr + i, word, sizeof(word) - 1) == 0)
            return true;
    return false;
}

/* A step or anything under it may read the body. The loader bounded the
 * nesting (plan_steps.c), so the recursion ends. */
static bool step_reads(const struct plan *p, uint32_t i, bool *products)
{
    const struct plan_step *s = &p->steps[i];
    if (s->kind == PLAN_STEP_PRODUCT) {
        *products = true;
        return false;
    }
    if (bodyplan_policy_reads_body(s->name) || mentions_body(s->text))
        return true;
    for (uint32_t a = 0; a < s->nattrs; a++)
        if (mentions_body(p->step_attrs[s->first_attr + a].value))
            return true;
    for (uint32_t c = 0; c < s->nchildren; c++)
        if (step_reads(p, s->first_child + c, products))
            return true;
    return false;
}

static bool pipeline_reads(const struct plan *p, uint32_t pipe, bool *products)
{
    if (pipe == PLAN_NONE || pipe >= p->npipelines)
        return false;
    const struct plan_pipeline *pl = &p->pipelines[pipe];
    for (unsigned k = 0; k < 4; k++) {
        uint32_t first = plan_pipeline_first(pl, k), n = plan_pipeline_count(pl, k);
        for (uint32_t i = 0; i < n; i++)
            if (step_reads(p, first + i, products))
                return true;
    }
    return false;
}

/* Whether any product's pipeline (or the no-product one) reads the body:
 * what a product step may run. */
static bool any_product_reads(const struct plan *p)
{
    bool ignored = false;
    if (pipeline_reads(p, p->bare_pipeline, &ignored))
        return true;
    for (size_t i = 0; i < p->nproducts; i++)
        if (pipeline_reads(p, p->products[i].pipeline, &ignored))
            return true;
    return false;
}

bool *bodyplan_new(const struct plan *p)
{
    bool *need = xcalloc(p->nops ? p->nops : 1, sizeof(*need));
    int products = -1; /* computed on first use */
    for (size_t op = 0; op < p->nops; op++) {
        bool via_product = false;
        need[op] = pipeline_reads(p, p->ops[op].pipeline, &via_product);
        if (!need[op] && via_product) {
            if (products < 0)
                products = any_product_reads(p);
            need[op] = products == 1;
        }
    }
    return need;
}
