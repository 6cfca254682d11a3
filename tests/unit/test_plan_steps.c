/* Unit tests for the plan's pipeline sections: compiler/plan_pipeline.c
 * writes them, runtime/plan_steps.c (with plan.c's field-list reader)
 * loads and checks them, runtime/plan_json.c prints them.
 *
 * A template with a document at every scope round trips step by step;
 * operations that share their documents share one pipeline; a template
 * without policies keeps the 2.1 plan. Then the loader is attacked: each
 * defect named by targeted edits, and every byte of the pipeline sections
 * flipped (CRC fixed): each attempt fails with a message or loads a plan
 * whose steps plan_json can walk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "csx_vm.h"
#include "cunit_run.h"
#include "plan_json.h"
#include "testutil.h"

#define HEAD                                                                               \
    "{`$schema`: "                                                                         \
    "`https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#`,\n" \
    " `contentVersion`: `1.0.0.0`,\n"                                                      \
    " `resources`: [\n"                                                                    \
    "{`type`: `Microsoft.ApiManagement/service`, `apiVersion`: `2024-05-01`, "             \
    "`name`: `svc`, `location`: `eastus`, `sku`: {`name`: `Developer`, `capacity`: 1}, "   \
    "`properties`: {`publisherEmail`: `a@contoso.com`, `publisherName`: `Contoso`}},\n"    \
    "{`type`: `Microsoft.ApiManagement/service/apis`, `apiVersion`: `2024-05-01`, "        \
    "`name`: `svc/a`, `properties`: {`path`: `a`, `serviceUrl`: `http://127.0.0.1:1`}},\n" \
    "{`type`: `Microsoft.ApiManagement/service/products`, `apiVersion`: `2024-05-01`, "    \
    "`name`: `svc/p`, `properties`: {`displayName`: `p`, `subscriptionRequired`: true, "   \
    "`state`: `published`}},\n"                                                            \
    "{`type`: `Microsoft.ApiManagement/service/products/apis`, `apiVersion`: "             \
    "`2024-05-01`, `name`: `svc/p/a`}"

#define TAIL "\n]}"

#define OP(id)                                                                       \
    ",\n{`type`: `Microsoft.ApiManagement/service/apis/operations`, `apiVersion`: "  \
    "`2024-05-01`, `name`: `svc/a/" id "`, `properties`: {`displayName`: `" id "`, " \
    "`method`: `GET`, `urlTemplate`: `/" id "`}}"

#define POLICY(type, name, xml)                                                            \
    ",\n{`type`: `Microsoft.ApiManagement/service/" type "`, `apiVersion`: `2024-05-01`, " \
    "`name`: `svc/" name "`, `properties`: {`format`: `rawxml`, `value`: `" xml "`}}"

#define DOC(in)                                                                        \
    "<policies><inbound>" in "</inbound><backend><base /></backend><outbound><base />" \
    "</outbound><on-error><base /></on-error></policies>"

#define VAR(n) "<set-variable name='" n "' value='1' />"

static struct tu t;

static struct plan *plan_of(const char *extra)
{
    tu_init(&t);
    const char *text = arena_printf(&t.arena, "%s%s%s", HEAD, extra, TAIL);
    struct plan *p = tu_plan(&t, text, NULL);
    if (p == NULL)
        fprintf(stderr, "\n%s", tu_text(&t));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    return p;
}

static bool is(struct str s, const char *want)
{
    return s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

static uint32_t op_index(const struct plan *p, const char *id)
{
    for (uint32_t i = 0; i < p->nops; i++)
        if (is(p->ops[i].id, id))
            return i;
    CU_FAIL_FATAL("no such operation");
    return 0;
}

/* The k-th top-level step of section sec of pipeline i. */
static const struct plan_step *top(const struct plan *p, uint32_t i, unsigned sec, uint32_t k)
{
    CU_ASSERT_FATAL(i < p->npipelines);
    CU_ASSERT_FATAL(k < plan_pipeline_count(&p->pipelines[i], sec));
    return &p->steps[plan_pipeline_first(&p->pipelines[i], sec) + k];
}

static const struct plan_step_attr *attr(const struct plan *p, const struct plan_step *s,
                                         const char *name)
{
    for (uint32_t k = 0; k < s->nattrs; k++)
        if (is(p->step_attrs[s->first_attr + k].name, name))
            return &p->step_attrs[s->first_attr + k];
    return NULL;
}

#define EVERY_SCOPE                                                                               \
    POLICY("policies", "policy", DOC(VAR("g") "<base />"))                                        \
    POLICY("products/policies", "p/policy", DOC("<base />" VAR("p")))                             \
    POLICY("apis/policies", "a/policy",                                                           \
           DOC(VAR("a") "<base /><set-header name='h' exists-action='override'><value>"           \
                        "@(context.Variables[&quot;a&quot;])</value></set-header>"))              \
    POLICY("apis/operations/policies", "a/one/policy",                                            \
           DOC("<base /><include-fragment fragment-id='f' />"))                                   \
    ",\n{`type`: `Microsoft.ApiManagement/service/policyFragments`, `apiVersion`: "               \
    "`2024-05-01`, `name`: `svc/f`, `properties`: {`format`: `rawxml`, `value`: "                 \
    "`<fragment><choose><when condition='@(true)'>" VAR("w") "</when></choose></fragment>`}}" OP( \
        "one") OP("two")

/* x's program, as the plan holds it, run with variable name = value,
 * gives want: the compiler's bytecode reaches the VM intact. */
static void expect_eval(const struct plan_expr *x, const char *name, const char *value,
                        const char *want)
{
    CU_ASSERT_FATAL(x->code.len > 0);
    struct csx_error err;
    struct csx_prog *prog = csx_prog_load(x->code.ptr, x->code.len, &err);
    CU_ASSERT_FATAL(prog != NULL);
    struct csx_var var = {
        str_from_cstr(name),
        { .t = CSXV_STRING, .type = CSXT_STRING, .n = (uint32_t)strlen(value), .u.s = value }
    };
    struct csx_host host = { .vars = &var, .nvars = 1 };
    struct arena a;
    arena_init(&a, 4096);
    struct csx_value out;
    CU_ASSERT_EQUAL(csx_eval(prog, &host, &a, CSX_STEPS, &out, &err), 0);
    CU_ASSERT(is(csx_value_str(&a, &out), want));
    arena_release(&a);
    csx_prog_free(prog);
}

static void test_round_trip(void)
{
    struct plan *p = plan_of(EVERY_SCOPE);
    CU_ASSERT_EQUAL(p->bytes[10], 2); /* minor 2: the pipelines are there */
    uint32_t one = p->ops[op_index(p, "one")].pipeline, two = p->ops[op_index(p, "two")].pipeline;
    CU_ASSERT_NOT_EQUAL(one, two);
    /* one: a, the product slot, set-header (value with its expression), choose. */
    CU_ASSERT_EQUAL_FATAL(plan_pipeline_count(&p->pipelines[one], 0), 4);
    const struct plan_step *s = top(p, one, 0, 0);
    CU_ASSERT(is(s->name, "set-variable") && s->scope == PLAN_STEP_API &&
              s->kind == PLAN_STEP_POLICY && s->section == 1);
    CU_ASSERT(is(attr(p, s, "name")->value, "a") && attr(p, s, "name")->expr == PLAN_NONE);
    CU_ASSERT(strstr(s->at.ptr, ":") != NULL);
    CU_ASSERT_EQUAL(top(p, one, 0, 1)->kind, PLAN_STEP_PRODUCT);
    s = top(p, one, 0, 2);
    CU_ASSERT_EQUAL_FATAL(s->nchildren, 1);
    const struct plan_step *v = &p->steps[s->first_child];
    CU_ASSERT(is(v->name, "value") && v->kind == PLAN_STEP_ELEMENT && v->policy == PLAN_NONE);
    CU_ASSERT_FATAL(v->text_expr != PLAN_NONE);
    CU_ASSERT(is(p->exprs[v->text_expr].text, "@(context.Variables[\"a\"])"));
    expect_eval(&p->exprs[v->text_expr], "a", "from a", "from a");
    s = top(p, one, 0, 3);
    CU_ASSERT(is(s->name, "choose") && (s->flags & PLAN_STEP_FRAGMENT) && is(s->fragment, "f") &&
              s->scope == PLAN_STEP_OPERATION);
    const struct plan_step *when = &p->steps[s->first_child];
    CU_ASSERT(is(when->name, "when") && attr(p, when, "condition")->expr != PLAN_NONE);
    CU_ASSERT(is(p->steps[when->first_child].name, "set-variable"));
    /* The product's pipeline: its document over the global one. */
    uint32_t pp = p->products[0].pipeline;
    CU_ASSERT(is(top(p, pp, 0, 0)->name, "set-variable") && top(p, pp, 0, 0)->scope == 0);
    CU_ASSERT(is(attr(p, top(p, pp, 0, 1), "name")->value, "p"));
    /* Without a product: the global document alone. */
    CU_ASSERT_EQUAL(plan_pipeline_count(&p->pipelines[p->bare_pipeline], 0), 1);
    plan_free(p);
    tu_release(&t);
}

#define NAMED_VALUE(name, value, secret)                                                      \
    ",\n{`type`: `Microsoft.ApiManagement/service/namedValues`, `apiVersion`: `2024-05-01`, " \
    "`name`: `svc/" name "`, `properties`: {`displayName`: `" name "`, `value`: `" value      \
    "`, `secret`: " secret "}}"

/* An expression is compiled with its plain named values substituted, as
 * API Management compiles it; one naming a secret is left uncompiled
 * (code ""): its value is not in the configuration. */
static void test_named_values_in_programs(void)
{
    struct plan *p = plan_of(
        OP("one") NAMED_VALUE("plain", "world", "false") NAMED_VALUE("hidden", "s3cret", "true")
            POLICY("apis/operations/policies", "a/one/policy",
                   DOC("<set-header name='x' exists-action='override'>"
                       "<value>@(\\\"hello {{plain}}\\\")</value></set-header>"
                       "<set-header name='y' exists-action='override'>"
                       "<value>@(\\\"key {{hidden}}\\\")</value></set-header>")));
    size_t compiled = 0, uncompiled = 0;
    for (size_t i = 0; i < p->nexprs; i++) {
        if (strstr(p->exprs[i].text.ptr, "{{plain}}") != NULL) {
            expect_eval(&p->exprs[i], "unused", "", "hello world");
            compiled++;
        } else if (strstr(p->exprs[i].text.ptr, "{{hidden}}") != NULL) {
            CU_ASSERT_EQUAL(p->exprs[i].code.len, 0);
            uncompiled++;
        }
    }
    CU_ASSERT(compiled == 1 && uncompiled == 1);
    plan_free(p);
    tu_release(&t);
}

static void test_shared_pipelines(void)
{
    /* 40 operations without documents of their own share the API's. */
    const char *extra = POLICY("apis/policies", "a/policy", DOC("<base />" VAR("a")));
    char id[16];
    struct arena a;
    arena_init(&a, 4096);
    for (int i = 0; i < 40; i++) {
        snprintf(id, sizeof(id), "op%d", i);
        extra = arena_printf(&a, "%s" OP("%s"), extra, id, id, id);
    }
    struct plan *p = plan_of(extra);
    CU_ASSERT_EQUAL(p->nops, 40);
    CU_ASSERT_EQUAL(p->npipelines, 3); /* the API's, the product's, no product */
    for (uint32_t i = 0; i < p->nops; i++)
        CU_ASSERT_EQUAL(p->ops[i].pipeline, p->ops[0].pipeline);
    plan_free(p);
    tu_release(&t);
    arena_release(&a);
}

static void test_no_policies_no_sections(void)
{
    struct plan *p = plan_of(OP("one"));
    CU_ASSERT_EQUAL(p->bytes[10], 1); /* the 2.1 plan, byte for byte */
    CU_ASSERT_EQUAL(p->npipelines, 0);
    CU_ASSERT_EQUAL(p->ops[0].pipeline, PLAN_NONE);
    CU_ASSERT_EQUAL(p->bare_pipeline, PLAN_NONE);
    plan_free(p);
    tu_release(&t);
}

/* Every field list is contiguous, COUNT follows FIRST, and the native
 * struct can hold it. */
static void test_field_lists(void)
{
    for (uint32_t k = 0; k <= PLAN_SEC_LAST; k++) {
        const struct plan_record *r = plan_record_of(k);
        if (r == NULL)
            continue;
        uint32_t off = 0;
        for (size_t i = 0; i < r->nfields; i++) {
            CU_ASSERT_EQUAL(r->fields[i].off, off);
            off += r->fields[i].type == PLAN_F_STR ? 8 : 4;
            if (r->fields[i].type == PLAN_F_FIRST)
                CU_ASSERT(i + 1 < r->nfields && r->fields[i + 1].type == PLAN_F_COUNT);
            CU_ASSERT(r->fields[i].mem < r->native);
        }
        CU_ASSERT_EQUAL(off, r->size);
    }
    /* Every record has a list; the string section has none. */
    for (uint32_t k = PLAN_SEC_SERVICE; k <= PLAN_SEC_LAST; k++)
        CU_ASSERT_PTR_NOT_NULL(plan_record_of(k));
    CU_ASSERT_PTR_NULL(plan_record_of(PLAN_SEC_STRINGS));
    CU_ASSERT_PTR_NULL(plan_record_of(PLAN_SEC_LAST + 1));
}

/* ---- the loader attacked ---- */

struct bytes {
    unsigned char *data;
    size_t len;
};

static struct bytes every_scope_bytes(void)
{
    struct plan *p = plan_of(EVERY_SCOPE);
    struct bytes b = { xmalloc(p->size), p->size };
    memcpy(b.data, p->bytes, p->size);
    plan_free(p);
    tu_release(&t);
    return b;
}

static uint32_t get32(const unsigned char *b, size_t off)
{
    return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 | (uint32_t)b[off + 2] << 16 |
           (uint32_t)b[off + 3] << 24;
}

static void put32(unsigned char *b, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[off + (size_t)i] = (unsigned char)(v >> (8 * i));
}

/* The directory entry of section kind. */
static size_t entry_of(const unsigned char *b, uint32_t kind)
{
    for (uint32_t i = 0; i < get32(b, 12); i++)
        if (get32(b, PLAN_HEADER_SIZE + i * PLAN_SECTION_ENTRY_SIZE) == kind)
            return PLAN_HEADER_SIZE + i * PLAN_SECTION_ENTRY_SIZE;
    CU_FAIL_FATAL("section not in the directory");
    return 0;
}

/* Loads b after put32(field of record i of kind, v): the loader's error. */
static const char *edited(const struct bytes *g, uint32_t kind, uint32_t size, uint32_t i,
                          size_t field, uint32_t v, char *err, size_t n)
{
    unsigned char *b = xmalloc(g->len);
    memcpy(b, g->data, g->len);
    put32(b, get32(b, entry_of(b, kind) + 4) + (size_t)i * size + field, v);
    put32(b, 20, crc32_update(0, b + 24, g->len - 24));
    struct plan *p = NULL;
    err[0] = '\0';
    if (plan_load_bytes(b, g->len, &p, err, n) == 0) {
        plan_free(p);
        return "";
    }
    return err;
}

static void refused(const struct bytes *g, uint32_t kind, uint32_t size, uint32_t i, size_t field,
                    uint32_t v, const char *must_say)
{
    char err[256];
    const char *got = edited(g, kind, size, i, field, v, err, sizeof(err));
    if (strstr(got, must_say) == NULL)
        fprintf(stderr, "\nwant '%s', got '%s'\n", must_say, got);
    CU_ASSERT_PTR_NOT_NULL(strstr(got, must_say));
}

static void test_defects_named(void)
{
    struct bytes g = every_scope_bytes();
    refused(&g, PLAN_SEC_STEPS, PLAN_STEP_SIZE, 0, 28, 9, "unknown kind");
    refused(&g, PLAN_SEC_STEPS, PLAN_STEP_SIZE, 0, 32, 3, "unknown kind, section");
    refused(&g, PLAN_SEC_STEPS, PLAN_STEP_SIZE, 0, 56, 9999, "index 9999 out of range");
    refused(&g, PLAN_SEC_STEP_ATTRS, PLAN_STEP_ATTR_SIZE, 0, 0, 0xFFFFFF, "bad string");
    refused(&g, PLAN_SEC_PIPELINES, PLAN_PIPELINE_SIZE, 0, 4, 100000, "range out of bounds");
    refused(&g, PLAN_SEC_OP_PIPELINES, PLAN_PIPELINE_REF_SIZE, 0, 0, 77, "out of range");
    /* A program compiled against another member table (ids moved). */
    refused(&g, PLAN_SEC_EXPRS, PLAN_EXPR_SIZE, 0, 24, csx_members_fingerprint() ^ 1,
            "compiled against another member table");
    /* A second pipeline claiming the first one's steps. */
    refused(&g, PLAN_SEC_PIPELINES, PLAN_PIPELINE_SIZE, 1, 0,
            get32(g.data, get32(g.data, entry_of(g.data, PLAN_SEC_PIPELINES) + 4)),
            "reached twice");
    free(g.data);
}

/* Every byte of the pipeline sections flipped, the CRC fixed: refused
 * with a message, or loaded and printable. */
static void test_flip_pipeline_bytes(void)
{
    struct bytes g = every_scope_bytes();
    size_t from = get32(g.data, entry_of(g.data, PLAN_SEC_PIPELINES) + 4);
    size_t to = get32(g.data, entry_of(g.data, PLAN_SEC_PRODUCT_PIPELINES) + 4) +
                get32(g.data, entry_of(g.data, PLAN_SEC_PRODUCT_PIPELINES) + 8);
    unsigned loaded = 0, refusals = 0;
    for (size_t at = from; at < to; at++) {
        unsigned char *b = xmalloc(g.len);
        memcpy(b, g.data, g.len);
        b[at] ^= 0xff;
        put32(b, 20, crc32_update(0, b + 24, g.len - 24));
        struct plan *p = NULL;
        char err[256] = "";
        if (plan_load_bytes(b, g.len, &p, err, sizeof(err)) == 0) {
            struct buf out;
            buf_init(&out, 64u << 20);
            CU_ASSERT_EQUAL(plan_json(p, false, &out), 0);
            buf_release(&out);
            plan_free(p);
            loaded++;
        } else {
            CU_ASSERT(err[0] != '\0');
            refusals++;
        }
    }
    CU_ASSERT(refusals > 0 && loaded + refusals == to - from);
    free(g.data);
}

static CU_TestInfo tests[] = {
    { "round trip", test_round_trip },
    { "named values in programs", test_named_values_in_programs },
    { "shared pipelines", test_shared_pipelines },
    { "no policies, no sections", test_no_policies_no_sections },
    { "field lists", test_field_lists },
    { "defects named", test_defects_named },
    { "flip pipeline bytes", test_flip_pipeline_bytes },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "plan steps", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
