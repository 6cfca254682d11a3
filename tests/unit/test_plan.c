/* Unit tests for the routing plan: compiler/plan_write.c writes it,
 * runtime/plan.c loads and verifies it, runtime/plan_json.c prints it.
 *
 * The real templates (azure-templates/, the seed's simple API) and one rich
 * inline template round trip field by field; the same input gives the same
 * bytes. Then the loader is attacked: every byte of real plans flipped,
 * with and without a recomputed CRC, every truncation, every u32 set to a
 * hostile value. Each attempt must fail with a message or load a plan whose
 * every index is in range (checked by a walk of our own) and that plan_json
 * can print. Targeted edits check that each defect is named. */
#include <dirent.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "crc32.h"
#include "cunit_run.h"
#include "gateway_check.h"
#include "plan_json.h"
#include "plan_write.h"
#include "testutil.h"

/* ---- plans as bytes ---- */

struct bytes {
    unsigned char *data;
    size_t len;
};

/* A file of the repository, found from this file's path (CMake compiles it
 * with its absolute path). */
static const char *repo_path(char *out, size_t n, const char *rel)
{
    const char *at = strstr(__FILE__, "tests/unit/");
    int keep = at ? (int)(at - __FILE__) : 0;
    snprintf(out, n, "%.*s%s", keep, __FILE__, rel);
    return out;
}

/* The plan of a template or simple API file, as `apim compile` makes it. */
static struct bytes compile_file(const char *rel, const char *const *params)
{
    char path[4096];
    struct compiler c;
    struct buf out;
    struct bytes b = { NULL, 0 };
    struct plan_options po = { NULL, NULL, NULL, false };
    compiler_init(&c);
    buf_init(&out, PLAN_MAX_SIZE);
    int rc = 0;
    for (size_t i = 0; params && params[i]; i++)
        rc |= compiler_add_parameters(&c, params[i]);
    if (rc == 0 && compiler_add_input(&c, repo_path(path, sizeof(path), rel)) == 0)
        compiler_finish(&c);
    if (rc == 0 && c.diag.nerrors == 0 && plan_write(&c.model, &po, &out) == 0 &&
        c.diag.nerrors == 0)
        b.data = (unsigned char *)buf_steal(&out, &b.len);
    else
        fprintf(stderr, "compile_file: %s: %u errors\n", rel, c.diag.nerrors);
    buf_release(&out);
    compiler_release(&c);
    return b;
}

/* The plan of an inline template (backquotes for double quotes). */
static struct bytes compile_text(const char *text, const char *const *params)
{
    struct tu t;
    struct buf out;
    struct bytes b = { NULL, 0 };
    struct plan_options po = { NULL, NULL, NULL, false };
    tu_init(&t);
    buf_init(&out, PLAN_MAX_SIZE);
    bool ok = tu_template(&t, text, params) == 0;
    gateway_check(&t.model, false);
    if (ok && plan_write(&t.model, &po, &out) == 0 && t.diag.nerrors == 0)
        b.data = (unsigned char *)buf_steal(&out, &b.len);
    else
        fprintf(stderr, "compile_text:\n%s", tu_text(&t));
    buf_release(&out);
    tu_release(&t);
    return b;
}

/* Loads a copy (plan_load_bytes takes ownership of it); NULL with err set
 * if the loader refused. */
static struct plan *load(const unsigned char *data, size_t len, char *err, size_t errlen)
{
    unsigned char *copy = xmalloc(len ? len : 1);
    if (len)
        memcpy(copy, data, len);
    struct plan *p = NULL;
    err[0] = '\0';
    return plan_load_bytes(copy, len, &p, err, errlen) == 0 ? p : NULL;
}

static unsigned char *dup_bytes(const struct bytes *b)
{
    unsigned char *d = xmalloc(b->len);
    memcpy(d, b->data, b->len);
    return d;
}

static uint32_t get32(const unsigned char *b, size_t off)
{
    return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 | (uint32_t)b[off + 2] << 16 |
           (uint32_t)b[off + 3] << 24;
}

static void put32(unsigned char *b, size_t off, uint32_t v)
{
    b[off] = (unsigned char)v;
    b[off + 1] = (unsigned char)(v >> 8);
    b[off + 2] = (unsigned char)(v >> 16);
    b[off + 3] = (unsigned char)(v >> 24);
}

static void fix_crc(unsigned char *b, size_t len)
{
    put32(b, 20, crc32_update(0, b + 24, len - 24));
}

/* Offset of the directory entry of a section (the plan must have it). */
static size_t entry_of(const unsigned char *b, uint32_t kind)
{
    uint32_t n = get32(b, 12);
    for (uint32_t i = 0; i < n; i++)
        if (get32(b, PLAN_HEADER_SIZE + i * PLAN_SECTION_ENTRY_SIZE) == kind)
            return PLAN_HEADER_SIZE + i * PLAN_SECTION_ENTRY_SIZE;
    CU_FAIL_FATAL("section not in the directory");
    return 0;
}

/* Offset of field `field` of record i of a section. */
static size_t rec(const unsigned char *b, uint32_t kind, size_t size, uint32_t i, size_t field)
{
    return get32(b, entry_of(b, kind) + 4) + i * size + field;
}

static bool str_is(struct str s, const char *want)
{
    return s.len == strlen(want) && (s.len == 0 || memcmp(s.ptr, want, s.len) == 0);
}

static void str_at(unsigned line, struct str got, const char *want)
{
    char msg[512];
    snprintf(msg, sizeof(msg), "got '%.*s', want '%s'", (int)got.len, got.ptr ? got.ptr : "", want);
    CU_assertImplementation(str_is(got, want), line, msg, __FILE__, "", CU_FALSE);
}

#define STR_IS(got, want) str_at(__LINE__, (got), (want))

/* ---- finding records ---- */

static uint32_t api_index(const struct plan *p, const char *id, uint32_t revision)
{
    for (uint32_t i = 0; i < p->napis; i++)
        if (str_is(p->apis[i].id, id) && p->apis[i].revision == revision)
            return i;
    CU_FAIL("no such API");
    return PLAN_NONE;
}

static const struct plan_operation *op_of(const struct plan *p, uint32_t api, const char *id)
{
    const struct plan_api *a = &p->apis[api];
    for (uint32_t i = 0; i < a->nops; i++)
        if (str_is(p->ops[a->first_op + i].id, id))
            return &p->ops[a->first_op + i];
    CU_FAIL_FATAL("no such operation");
    return NULL;
}

static const struct plan_subscription *sub_of(const struct plan *p, const char *id)
{
    for (size_t i = 0; i < p->nsubs; i++)
        if (str_is(p->subs[i].id, id))
            return &p->subs[i];
    CU_FAIL_FATAL("no such subscription");
    return NULL;
}

/* The node reached from `node` by path "a/b/{}" ("{}" alone is the
 * parameter child; other segments are edge texts), or NONE. */
static uint32_t node_at(const struct plan *p, uint32_t node, const char *path)
{
    while (*path && node != PLAN_NONE) {
        size_t n = strcspn(path, "/");
        const struct plan_node *x = &p->nodes[node];
        uint32_t next = PLAN_NONE;
        if (n == 2 && memcmp(path, "{}", 2) == 0)
            next = x->param_child;
        for (uint32_t k = 0; k < x->nliteral + x->npattern && next == PLAN_NONE; k++) {
            const struct plan_edge *e = &p->edges[x->first_edge + k];
            if (e->segment.len == n && memcmp(e->segment.ptr, path, n) == 0)
                next = e->child;
        }
        node = next;
        path += n + (path[n] == '/');
    }
    return node;
}

/* The ids of the operations at a node (or its wildcard ones), "a,b". */
static const char *ops_at(const struct plan *p, uint32_t node, bool wild, char *out, size_t n)
{
    out[0] = '\0';
    if (node == PLAN_NONE)
        return "(no node)";
    const struct plan_node *x = &p->nodes[node];
    uint32_t first = wild ? x->first_wild : x->first_op, count = wild ? x->nwild : x->nops;
    size_t used = 0;
    for (uint32_t i = 0; i < count && used < n; i++) {
        struct str id = p->ops[p->op_refs[first + i]].id;
        int w = snprintf(out + used, n - used, "%s%.*s", i ? "," : "", STR_FMT(id));
        used += w > 0 ? (size_t)w : 0;
    }
    return out;
}

static void route_at(unsigned line, const struct plan *p, uint32_t api, const char *path, bool wild,
                     const char *want)
{
    char got[512], msg[800];
    ops_at(p, node_at(p, p->apis[api].route_root, path), wild, got, sizeof(got));
    snprintf(msg, sizeof(msg), "route '%s'%s: got '%s', want '%s'", path, wild ? " *" : "", got,
             want);
    CU_assertImplementation(strcmp(got, want) == 0, line, msg, __FILE__, "", CU_FALSE);
}

#define ROUTE(p, api, path, want)      route_at(__LINE__, (p), (api), (path), false, (want))
#define ROUTE_WILD(p, api, path, want) route_at(__LINE__, (p), (api), (path), true, (want))

static void service_name(const struct plan *p, char out[256])
{
    snprintf(out, 256, "%.*s", STR_FMT(p->service.name));
}

static bool is_hex32(struct str s)
{
    if (s.len != 32)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (!strchr("0123456789abcdef", s.ptr[i]))
            return false;
    return true;
}

static void generated_key_at(unsigned line, const struct plan *p, struct str got, const char *sub,
                             const char *which)
{
    char svc[256], want[33];
    service_name(p, svc);
    plan_generated_key(svc, sub, which, want);
    str_at(line, got, want);
    CU_assertImplementation(is_hex32(got), line, "32 hex digits", __FILE__, "", CU_FALSE);
}

#define GENERATED_KEY(p, got, sub, which) generated_key_at(__LINE__, (p), (got), (sub), (which))

/* ---- the walk: every index in range, every string inside the plan ---- */

struct walk {
    const struct plan *p;
    unsigned problems;
    char first[200];
};

static void bad(struct walk *w, const char *what, size_t i)
{
    if (w->problems++ == 0)
        snprintf(w->first, sizeof(w->first), "%s %zu", what, i);
}

static bool inside(const struct plan *p, struct str s)
{
    uintptr_t lo = (uintptr_t)p->bytes, at = (uintptr_t)s.ptr;
    return s.ptr && at >= lo && s.len < p->size && at - lo < p->size - s.len &&
           s.ptr[s.len] == '\0';
}

static void strs(struct walk *w, const char *what, size_t i, const struct str *v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!inside(w->p, v[k]))
            bad(w, what, i);
}

#define STRS(w, what, i, ...)                                   \
    strs((w), (what), (i), (const struct str[]){ __VA_ARGS__ }, \
         sizeof((const struct str[]){ __VA_ARGS__ }) / sizeof(struct str))

static bool range_ok(uint32_t first, uint32_t count, size_t n)
{
    return (uint64_t)first + count <= n;
}

static bool index_ok(uint32_t v, size_t n, bool none_ok)
{
    return v < n || (none_ok && v == PLAN_NONE);
}

static void walk_apis(struct walk *w)
{
    const struct plan *p = w->p;
    STRS(w, "service", (size_t)0, p->service.name, p->service.gateway_name);
    for (size_t i = 0; i < p->napis; i++) {
        const struct plan_api *a = &p->apis[i];
        STRS(w, "api", i, a->id, a->display_name, a->path, a->service_url, a->version,
             a->key_header, a->key_query);
        if (!index_ok(a->version_set, p->nversion_sets, true) ||
            !index_ok(a->backend, p->nbackends, true) || !range_ok(a->first_op, a->nops, p->nops) ||
            !index_ok(a->route_root, p->nnodes, false))
            bad(w, "api", i);
        for (uint32_t k = 0; range_ok(a->first_op, a->nops, p->nops) && k < a->nops; k++)
            if (p->ops[a->first_op + k].api != i)
                bad(w, "api's operation", i);
    }
    for (size_t i = 0; i < p->nops; i++) {
        const struct plan_operation *o = &p->ops[i];
        STRS(w, "op", i, o->id, o->display_name, o->method, o->url_template, o->backend_url);
        if (!index_ok(o->api, p->napis, false) || !index_ok(o->backend, p->nbackends, true) ||
            !range_ok(o->first_query, o->nquery, p->nqueries))
            bad(w, "op", i);
    }
    for (size_t i = 0; i < p->nqueries; i++)
        STRS(w, "query", i, p->queries[i].name, p->queries[i].value);
}

static void walk_nodes(struct walk *w)
{
    const struct plan *p = w->p;
    for (size_t i = 0; i < p->nnodes; i++) {
        const struct plan_node *n = &p->nodes[i];
        uint64_t nedges = (uint64_t)n->nliteral + n->npattern;
        if ((uint64_t)n->first_edge + nedges > p->nedges ||
            !range_ok(n->first_op, n->nops, p->nop_refs) ||
            !range_ok(n->first_wild, n->nwild, p->nop_refs) ||
            (n->param_child != PLAN_NONE && (n->param_child <= i || n->param_child >= p->nnodes)))
            bad(w, "node", i);
        for (uint64_t k = 0; (uint64_t)n->first_edge + nedges <= p->nedges && k < nedges; k++)
            if (p->edges[n->first_edge + k].child <= i)
                bad(w, "node's child", i);
    }
    for (size_t i = 0; i < p->nedges; i++) {
        STRS(w, "edge", i, p->edges[i].segment);
        if (!index_ok(p->edges[i].child, p->nnodes, false))
            bad(w, "edge", i);
    }
    for (size_t i = 0; i < p->nop_refs; i++)
        if (!index_ok(p->op_refs[i], p->nops, false))
            bad(w, "op ref", i);
}

/* From each API's root, every node is met once and every operation found
 * is the API's own. */
static void walk_trees(struct walk *w)
{
    const struct plan *p = w->p;
    if (w->problems)
        return; /* the indexes below are not safe to follow */
    unsigned char *seen = xcalloc(p->nnodes + 1, 1);
    uint32_t *stack = xmalloc((p->nnodes + 1) * sizeof(uint32_t));
    for (uint32_t a = 0; a < p->napis; a++) {
        size_t top = 0;
        stack[top++] = p->apis[a].route_root;
        while (top) {
            uint32_t i = stack[--top];
            if (seen[i]++) {
                bad(w, "node met twice", i);
                continue;
            }
            const struct plan_node *n = &p->nodes[i];
            for (uint32_t k = 0; k < n->nops + n->nwild; k++) {
                uint32_t ref = k < n->nops ? n->first_op + k : n->first_wild + k - n->nops;
                if (p->ops[p->op_refs[ref]].api != a)
                    bad(w, "foreign operation at node", i);
            }
            for (uint32_t k = 0; k < n->nliteral + n->npattern && top < p->nnodes; k++)
                stack[top++] = p->edges[n->first_edge + k].child;
            if (n->param_child != PLAN_NONE && top < p->nnodes)
                stack[top++] = n->param_child;
        }
    }
    free(seen);
    free(stack);
}

static void walk_rest(struct walk *w)
{
    const struct plan *p = w->p;
    for (size_t i = 0; i < p->nversion_sets; i++) {
        const struct plan_version_set *v = &p->version_sets[i];
        STRS(w, "version set", i, v->id, v->display_name, v->query_name, v->header_name);
        if (v->scheme > PLAN_SCHEME_HEADER)
            bad(w, "version set", i);
    }
    for (size_t i = 0; i < p->nproducts; i++) {
        STRS(w, "product", i, p->products[i].id, p->products[i].display_name);
        if (!range_ok(p->products[i].first_api, p->products[i].napis, p->nproduct_apis))
            bad(w, "product", i);
    }
    for (size_t i = 0; i < p->nproduct_apis; i++)
        if (!index_ok(p->product_apis[i], p->napis, false))
            bad(w, "product api", i);
    for (size_t i = 0; i < p->nsubs; i++) {
        const struct plan_subscription *s = &p->subs[i];
        STRS(w, "subscription", i, s->id, s->display_name, s->primary_key, s->secondary_key,
             s->scope);
        size_t limit = s->scope_kind == PLAN_SCOPE_PRODUCT ? p->nproducts : p->napis;
        if (s->scope_kind > PLAN_SCOPE_PRODUCT || s->state > PLAN_SUB_CANCELLED ||
            !index_ok(s->scope_target, limit, true))
            bad(w, "subscription", i);
    }
    for (size_t i = 0; i < p->nbackends; i++)
        STRS(w, "backend", i, p->backends[i].id, p->backends[i].url, p->backends[i].protocol);
    for (size_t i = 0; i < p->nnamed_values; i++)
        STRS(w, "named value", i, p->named_values[i].id, p->named_values[i].display_name,
             p->named_values[i].value);
}

/* Returns the number of problems; the first is described in w->first. */
static unsigned walk_plan(const struct plan *p, struct walk *w)
{
    memset(w, 0, sizeof(*w));
    w->p = p;
    walk_apis(w);
    walk_nodes(w);
    walk_rest(w);
    walk_trees(w);
    return w->problems;
}

/* True if the string section is UTF-8, as JSON needs: plan_json cannot
 * print other strings. */
static bool strings_are_utf8(const struct plan *p)
{
    const unsigned char *b = p->bytes;
    size_t e = entry_of(b, PLAN_SEC_STRINGS);
    json_t *s = json_stringn((const char *)b + get32(b, e + 4), get32(b, e + 8));
    json_decref(s);
    return s != NULL;
}

/* plan_json works: it succeeds, the text parses, and it holds every API
 * and subscription. Strings that are not UTF-8 are the exception (see
 * strings_are_utf8): then it must only not crash. */
static bool json_ok(const struct plan *p, bool show)
{
    struct buf out;
    buf_init(&out, 64u << 20);
    int rc = plan_json(p, show, &out);
    json_error_t e;
    json_t *j = rc == 0 && out.data ? json_loads(out.data, JSON_ALLOW_NUL, &e) : NULL;
    bool ok = j && json_array_size(json_object_get(j, "apis")) == p->napis &&
              json_array_size(json_object_get(j, "subscriptions")) == p->nsubs;
    json_decref(j);
    buf_release(&out);
    return ok || !strings_are_utf8(p);
}

static void check_tree_shape(const struct plan *p);

/* ---- round trips: the real templates ---- */

static const char *const echo_params[] = { "backendUrl=http://127.0.0.1:5000", NULL };
static const char *const local_backend[] = { "backendUrl=http://127.0.0.1:5000", NULL };
static const char *const local_inventory[] = { "inventoryUrl=http://127.0.0.1:5000", NULL };

static struct plan *plan_file(const char *rel, const char *const *params)
{
    struct bytes b = compile_file(rel, params);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.data);
    char err[256];
    struct plan *p = load(b.data, b.len, err, sizeof(err));
    if (p == NULL)
        fprintf(stderr, "%s: %s\n", rel, err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->size, b.len);
    CU_ASSERT_EQUAL(strlen(p->hash), 16);
    free(b.data);
    struct walk w;
    CU_ASSERT_EQUAL(walk_plan(p, &w), 0);
    return p;
}

static void test_echo_api(void)
{
    struct plan *p = plan_file("azure-templates/echo-api.json", echo_params);
    /* apimServiceName defaults to concat('apim-', uniqueString(...)). */
    CU_ASSERT_EQUAL(p->service.name.len, 5 + 13);
    CU_ASSERT_EQUAL(strncmp(p->service.name.ptr, "apim-", 5), 0);
    CU_ASSERT_TRUE(str_eq(p->service.gateway_name, p->service.name));
    CU_ASSERT_EQUAL_FATAL(p->napis, 1);
    const struct plan_api *a = &p->apis[0];
    STR_IS(a->id, "echo-api");
    STR_IS(a->display_name, "Echo API");
    STR_IS(a->path, "echo");
    STR_IS(a->service_url, "http://127.0.0.1:5000");
    STR_IS(a->version, "");
    STR_IS(a->key_header, "Ocp-Apim-Subscription-Key");
    STR_IS(a->key_query, "subscription-key");
    CU_ASSERT_EQUAL(a->revision, 1);
    CU_ASSERT_EQUAL(a->flags, PLAN_API_CURRENT | PLAN_API_SUB_REQUIRED | PLAN_API_HTTPS);
    CU_ASSERT_EQUAL(a->version_set, PLAN_NONE);
    CU_ASSERT_EQUAL(a->backend, PLAN_NONE);
    CU_ASSERT_EQUAL_FATAL(a->nops, 3);
    static const char *const ops[][4] = { { "get-resource", "Get resource", "GET", "/resource" },
                                          { "get-item", "Get an item", "GET", "/items/{id}" },
                                          { "create-item", "Create an item", "POST", "/items" } };
    for (uint32_t i = 0; i < 3; i++) {
        const struct plan_operation *o = &p->ops[a->first_op + i];
        STR_IS(o->id, ops[i][0]);
        STR_IS(o->display_name, ops[i][1]);
        STR_IS(o->method, ops[i][2]);
        STR_IS(o->url_template, ops[i][3]);
        STR_IS(o->backend_url, "");
        CU_ASSERT_EQUAL(o->api, 0);
        CU_ASSERT_EQUAL(o->backend, PLAN_NONE);
        CU_ASSERT_EQUAL(o->nquery, 0);
        CU_ASSERT_EQUAL(o->flags, 0);
    }
    ROUTE(p, 0, "", "");
    ROUTE(p, 0, "items", "create-item");
    ROUTE(p, 0, "items/{}", "get-item");
    ROUTE(p, 0, "resource", "get-resource");
    CU_ASSERT_EQUAL(p->nodes[a->route_root].nliteral, 2);
    CU_ASSERT_EQUAL(p->nodes[a->route_root].npattern, 0);
    CU_ASSERT_EQUAL(p->nodes[a->route_root].param_child, PLAN_NONE);
    CU_ASSERT_EQUAL(p->nversion_sets + p->nbackends + p->nnamed_values, 0);
    CU_ASSERT_EQUAL_FATAL(p->nproducts, 1);
    STR_IS(p->products[0].id, "starter");
    STR_IS(p->products[0].display_name, "Starter");
    CU_ASSERT_EQUAL(p->products[0].flags, PLAN_PRODUCT_SUB_REQUIRED | PLAN_PRODUCT_PUBLISHED);
    CU_ASSERT_EQUAL_FATAL(p->products[0].napis, 1);
    CU_ASSERT_EQUAL(p->product_apis[p->products[0].first_api], 0);
    plan_free(p);
}

static void test_echo_api_subscriptions(void)
{
    struct plan *p = plan_file("azure-templates/echo-api.json", echo_params);
    CU_ASSERT_EQUAL_FATAL(p->nsubs, 3);
    const struct plan_subscription *s = &p->subs[0];
    STR_IS(s->id, "starter-subscription");
    STR_IS(s->display_name, "Starter subscription");
    STR_IS(s->scope, "/products/starter");
    CU_ASSERT_EQUAL(s->scope_kind, PLAN_SCOPE_PRODUCT);
    CU_ASSERT_EQUAL(s->scope_target, 0);
    CU_ASSERT_EQUAL(s->state, PLAN_SUB_ACTIVE);
    STR_IS(s->primary_key, "starter-primary-key-0001");
    GENERATED_KEY(p, s->secondary_key, "starter-subscription", "secondary");
    CU_ASSERT_TRUE(s->flags & PLAN_SUB_GENERATED_KEYS);
    CU_ASSERT_FALSE(s->flags & PLAN_SUB_BUILT_IN);
    s = &p->subs[1];
    STR_IS(s->id, "echo-api-subscription");
    STR_IS(s->scope, "/apis/echo-api");
    CU_ASSERT_EQUAL(s->scope_kind, PLAN_SCOPE_API);
    CU_ASSERT_EQUAL(s->scope_target, 0);
    CU_ASSERT_EQUAL(s->state, PLAN_SUB_ACTIVE);
    STR_IS(s->primary_key, "echo-api-primary-key-0001");
    GENERATED_KEY(p, s->secondary_key, "echo-api-subscription", "secondary");
    /* The built-in all-access subscription comes last. */
    s = &p->subs[2];
    STR_IS(s->id, "master");
    STR_IS(s->display_name, "Built-in all-access subscription");
    STR_IS(s->scope, "/");
    CU_ASSERT_EQUAL(s->scope_kind, PLAN_SCOPE_ALL);
    CU_ASSERT_EQUAL(s->scope_target, PLAN_NONE);
    CU_ASSERT_EQUAL(s->state, PLAN_SUB_ACTIVE);
    CU_ASSERT_EQUAL(s->flags, PLAN_SUB_BUILT_IN | PLAN_SUB_ALLOW_TRACING | PLAN_SUB_GENERATED_KEYS);
    GENERATED_KEY(p, s->primary_key, "master", "primary");
    GENERATED_KEY(p, s->secondary_key, "master", "secondary");
    CU_ASSERT_FALSE(str_eq(s->primary_key, s->secondary_key));
    plan_free(p);
}

/* Generated keys are the same compile after compile, differ by service,
 * and a key given as a parameter is taken as is. */
static void test_generated_keys(void)
{
    struct plan *p1 = plan_file("azure-templates/echo-api.json", echo_params);
    struct plan *p2 = plan_file("azure-templates/echo-api.json", echo_params);
    const char *const other[] = { "apimServiceName=apim-other", "starterPrimaryKey=my-own-key",
                                  NULL };
    struct plan *p3 = plan_file("azure-templates/echo-api.json", other);
    for (size_t i = 0; i < p1->nsubs; i++) {
        CU_ASSERT_TRUE(str_eq(p1->subs[i].primary_key, p2->subs[i].primary_key));
        CU_ASSERT_TRUE(str_eq(p1->subs[i].secondary_key, p2->subs[i].secondary_key));
        CU_ASSERT_TRUE(is_hex32(p1->subs[i].secondary_key));
    }
    STR_IS(p3->service.name, "apim-other");
    STR_IS(sub_of(p3, "starter-subscription")->primary_key, "my-own-key");
    CU_ASSERT_FALSE(str_eq(sub_of(p1, "master")->primary_key, sub_of(p3, "master")->primary_key));
    GENERATED_KEY(p3, sub_of(p3, "master")->primary_key, "master", "primary");
    /* Which key and which subscription both go into the derivation. */
    char a[33], b[33], c[33];
    plan_generated_key("svc", "sub", "primary", a);
    plan_generated_key("svc", "sub", "secondary", b);
    plan_generated_key("svc", "bus", "primary", c);
    CU_ASSERT_STRING_NOT_EQUAL(a, b);
    CU_ASSERT_STRING_NOT_EQUAL(a, c);
    plan_free(p1);
    plan_free(p2);
    plan_free(p3);
}

static void test_versioned_api(void)
{
    struct plan *p = plan_file("azure-templates/versioned-api.json", local_backend);
    CU_ASSERT_EQUAL_FATAL(p->nversion_sets, 1);
    const struct plan_version_set *vs = &p->version_sets[0];
    STR_IS(vs->id, "orders");
    STR_IS(vs->display_name, "Orders");
    CU_ASSERT_EQUAL(vs->scheme, PLAN_SCHEME_SEGMENT);
    STR_IS(vs->query_name, "");
    STR_IS(vs->header_name, "");
    CU_ASSERT_EQUAL_FATAL(p->napis, 3);

    static const struct {
        const char *id, *version, *url;
        uint32_t revision, nops;
        bool current;
    } want[] = { { "orders-v1", "v1", "http://127.0.0.1:5000/v1", 1, 1, true },
                 { "orders-v2", "v2", "http://127.0.0.1:5000/v2", 1, 1, true },
                 { "orders-v2", "v2", "http://127.0.0.1:5000/v2-preview", 2, 2, false } };

    for (uint32_t i = 0; i < 3; i++) {
        const struct plan_api *a = &p->apis[api_index(p, want[i].id, want[i].revision)];
        STR_IS(a->version, want[i].version);
        STR_IS(a->service_url, want[i].url);
        STR_IS(a->path, "orders");
        CU_ASSERT_EQUAL(a->version_set, 0);
        CU_ASSERT_EQUAL(a->nops, want[i].nops);
        CU_ASSERT_EQUAL((a->flags & PLAN_API_CURRENT) != 0, want[i].current);
        CU_ASSERT_FALSE(a->flags & PLAN_API_SUB_REQUIRED);
        STR_IS(op_of(p, (uint32_t)(a - p->apis), "get-order")->url_template, "/orders/{orderId}");
        ROUTE(p, (uint32_t)(a - p->apis), "orders/{}", "get-order");
    }
    uint32_t rev2 = api_index(p, "orders-v2", 2);
    const struct plan_operation *search = op_of(p, rev2, "search-orders");
    STR_IS(search->url_template, "/orders?customer={customer}");
    CU_ASSERT_EQUAL_FATAL(search->nquery, 1);
    STR_IS(p->queries[search->first_query].name, "customer");
    STR_IS(p->queries[search->first_query].value, "");
    CU_ASSERT_EQUAL(p->queries[search->first_query].flags, PLAN_QUERY_PARAM);
    ROUTE(p, rev2, "orders", "search-orders");
    ROUTE(p, api_index(p, "orders-v1", 1), "orders", "");
    /* Each revision has its own tree. */
    CU_ASSERT_NOT_EQUAL(p->apis[0].route_root, p->apis[1].route_root);
    CU_ASSERT_NOT_EQUAL(p->apis[1].route_root, p->apis[2].route_root);
    CU_ASSERT_EQUAL(p->nsubs, 1);
    STR_IS(p->subs[0].id, "master");
    plan_free(p);
}

static void test_backend_entity(void)
{
    struct plan *p = plan_file("azure-templates/backend-entity.json", local_inventory);
    CU_ASSERT_EQUAL_FATAL(p->nbackends, 1);
    STR_IS(p->backends[0].id, "inventory-backend");
    STR_IS(p->backends[0].url, "http://127.0.0.1:5000");
    STR_IS(p->backends[0].protocol, "http");
    CU_ASSERT_EQUAL(p->backends[0].flags, 0); /* both TLS checks on */
    CU_ASSERT_EQUAL_FATAL(p->nnamed_values, 1);
    STR_IS(p->named_values[0].id, "environment-name");
    STR_IS(p->named_values[0].display_name, "environment-name");
    STR_IS(p->named_values[0].value, "production");
    CU_ASSERT_EQUAL(p->named_values[0].flags, 0);
    CU_ASSERT_EQUAL_FATAL(p->napis, 1);
    const struct plan_api *a = &p->apis[0];
    STR_IS(a->id, "inventory");
    STR_IS(a->service_url, ""); /* the backend says where */
    CU_ASSERT_EQUAL(a->backend, 0);
    CU_ASSERT_EQUAL(a->flags, PLAN_API_CURRENT | PLAN_API_HTTPS);
    CU_ASSERT_EQUAL_FATAL(a->nops, 2);
    CU_ASSERT_EQUAL(op_of(p, 0, "list-stock")->backend, 0);
    CU_ASSERT_EQUAL(op_of(p, 0, "get-stock-item")->backend, 0);
    ROUTE(p, 0, "stock", "list-stock");
    ROUTE(p, 0, "stock/{}", "get-stock-item");
    CU_ASSERT_EQUAL(p->nproducts, 0);
    CU_ASSERT_EQUAL(p->nsubs, 1);
    plan_free(p);
}

static void test_simple_api_seed(void)
{
    struct plan *p = plan_file("examples/seed/simple-api.json", NULL);
    STR_IS(p->service.name, "simple-gateway");
    STR_IS(p->service.gateway_name, "simple-gateway");
    CU_ASSERT_EQUAL_FATAL(p->napis, 1);
    const struct plan_api *a = &p->apis[0];
    STR_IS(a->id, "simple-api");
    STR_IS(a->path, ""); /* the gateway root */
    STR_IS(a->service_url, "");
    CU_ASSERT_EQUAL(a->flags, PLAN_API_CURRENT | PLAN_API_HTTP | PLAN_API_HTTPS);
    CU_ASSERT_EQUAL_FATAL(a->nops, 1);
    const struct plan_operation *o = &p->ops[a->first_op];
    STR_IS(o->method, "GET");
    STR_IS(o->url_template, "/");
    STR_IS(o->backend_url, "http://localhost:5000");
    ROUTE(p, 0, "", "get");
    CU_ASSERT_EQUAL(p->nodes[a->route_root].nliteral + p->nodes[a->route_root].npattern, 0);
    CU_ASSERT_EQUAL_FATAL(p->nsubs, 1);
    GENERATED_KEY(p, p->subs[0].primary_key, "master", "primary");
    plan_free(p);
}

/* ---- round trips: one inline template with one of everything ---- */

#define AV "`apiVersion`: `2024-05-01`, "
#define VS_ID(name)                                                                            \
    "`[resourceId('Microsoft.ApiManagement/service/apiVersionSets', parameters('svc'), '" name \
    "')]`"
#define OP(name, method, tmpl, more)                                                        \
    "{`type`: `operations`, " AV "`name`: `" name "`, `properties`: {`displayName`: `" name \
    "`, `method`: `" method "`, `urlTemplate`: `" tmpl "`" more "}"
#define PARAM(a) "{`name`: `" a "`, `type`: `string`, `required`: true}"
#define P1(a)    ", `templateParameters`: [" PARAM(a) "]"
#define P2(a, b) ", `templateParameters`: [" PARAM(a) ", " PARAM(b) "]"
#define POOL_POLICY                                                                          \
    ", `resources`: [{`type`: `policies`, " AV "`name`: `policy`, `properties`: {`format`: " \
    "`rawxml`, `value`: `<policies><inbound><base /><set-backend-service backend-id='pool' " \
    "/></inbound></policies>`}}]"
#define TOP(type, name)                                                   \
    "{`type`: `Microsoft.ApiManagement/service/" type "`, " AV "`name`: " \
    "`[concat(parameters('svc'), '/" name "')]`}"
#define PAGE_PARAM ", `templateParameters`: [{`name`: `page`, `type`: `integer`}]"

/* A service "contoso" and its nested resources, up to SVC_TAIL. */
#define SVC_HEAD                                                                              \
    "{`$schema`: `https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate." \
    "json#`, `contentVersion`: `1.0.0.0`, `parameters`: {`svc`: {`type`: `string`, "          \
    "`defaultValue`: `contoso`}}, `resources`: [{`type`: `Microsoft.ApiManagement/service`, " \
    "`apiVersion`: `2024-05-01`, `name`: `[parameters('svc')]`, `location`: `eastus`, "       \
    "`sku`: {`name`: `Developer`, `capacity`: 1}, `properties`: {`publisherEmail`: "          \
    "`api@contoso.com`, `publisherName`: `Contoso`}, `resources`: ["
#define SVC_TAIL "]}]}"

/* Templates are written in pieces, joined here at run time: C11 compilers
 * need not take literals over 4095 characters. */
static const char *join(const char *const *parts, size_t n)
{
    static char text[16384];
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(parts[i]);
        CU_ASSERT_FATAL(used + len < sizeof(text));
        memcpy(text + used, parts[i], len + 1);
        used += len;
    }
    return text;
}

#define JOIN(parts) join((parts), sizeof(parts) / sizeof((parts)[0]))

static const char *const rich_parts[] = {
    SVC_HEAD,
    "{`type`: `apiVersionSets`, " AV "`name`: `byquery`, `properties`: {`displayName`: `By "
    "query`, `versioningScheme`: `Query`, `versionQueryName`: `api-version`}},",
    "{`type`: `apiVersionSets`, " AV "`name`: `byheader`, `properties`: {`displayName`: `By "
    "header`, `versioningScheme`: `Header`, `versionHeaderName`: `X-Version`}},",
    "{`type`: `backends`, " AV "`name`: `one`, `properties`: {`url`: "
    "`http://127.0.0.1:5001/base`, `protocol`: `http`, `tls`: {`validateCertificateChain`: "
    "false, `validateCertificateName`: false}}},",
    "{`type`: `backends`, " AV "`name`: `pool`, `properties`: {`type`: `Pool`, `pool`: "
    "{`services`: [{`id`: `[resourceId('Microsoft.ApiManagement/service/backends', "
    "parameters('svc'), 'one')]`}]}}},",
    "{`type`: `namedValues`, " AV "`name`: `plain`, `properties`: {`displayName`: `Plain`, "
    "`value`: `hello`}},",
    "{`type`: `namedValues`, " AV "`name`: `hidden`, `properties`: {`displayName`: `Hidden`, "
    "`value`: `s3cret-value`, `secret`: true}},",
    "{`type`: `namedValues`, " AV "`name`: `vault`, `properties`: {`displayName`: `Vault`, "
    "`secret`: true, `keyVault`: {`secretIdentifier`: `https://kv.vault.azure.net/secrets/x`}}},",
    "{`type`: `apis`, " AV "`name`: `shop`, `properties`: {`displayName`: `Shop`, `path`: "
    "`/shop/v/`, `serviceUrl`: `http://127.0.0.1:5000`, `protocols`: [`http`, `https`], "
    "`subscriptionKeyParameterNames`: {`header`: `X-Key`, `query`: `key`}, `apiVersion`: "
    "`2024`, `apiVersionSetId`: " VS_ID("byquery") "}, `resources`: [",
    OP("list", "get", "/Items?sort=asc&page={page}", PAGE_PARAM) "},",
    OP("get-json", "GET", "/items/{id}.json", P1("id")) "},",
    OP("get-v", "GET", "/items/v{id}", P1("id")) "},",
    OP("get", "GET", "/items/{id}", P1("id")) "},",
    OP("files", "GET", "/files/*", "") "},",
    OP("pooled", "DELETE", "/Apple", "") POOL_POLICY "}]},",
    "{`type`: `apis`, " AV "`name`: `hdr`, `properties`: {`displayName`: `Hdr`, `path`: `hdr`, "
    "`serviceUrl`: `http://127.0.0.1:5000/h`, `protocols`: [`https`], `subscriptionRequired`: "
    "false, `apiVersion`: `v1`, `apiVersionSetId`: " VS_ID("byheader") "}, `resources`: [",
    OP("root", "GET", "/", "") "}]},",
    "{`type`: `products`, " AV "`name`: `gold`, `properties`: {`displayName`: `Gold`, "
    "`subscriptionRequired`: true, `approvalRequired`: true, `state`: `notPublished`}},",
    "{`type`: `subscriptions`, " AV "`name`: `all-apis`, `properties`: {`displayName`: `All "
    "APIs`, `scope`: `/apis`, `state`: `suspended`, `primaryKey`: `all-primary-0001`, "
    "`secondaryKey`: `all-secondary-0002`, `allowTracing`: false}},",
    "{`type`: `subscriptions`, " AV "`name`: `gold-sub`, `properties`: {`displayName`: `Gold "
    "sub`, `scope`: `[resourceId('Microsoft.ApiManagement/service/products', parameters('svc'), "
    "'gold')]`, `state`: `cancelled`}},",
    "{`type`: `subscriptions`, " AV "`name`: `hdr-sub`, `properties`: {`displayName`: `Hdr "
    "sub`, `scope`: `/apis/hdr`}}]},",
    TOP("products/apis", "gold/shop") ",",
    TOP("products/apis", "gold/hdr") "]}",
};

static struct plan *rich_plan(void)
{
    struct bytes b = compile_text(JOIN(rich_parts), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.data);
    char err[256];
    struct plan *p = load(b.data, b.len, err, sizeof(err));
    free(b.data);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    struct walk w;
    CU_ASSERT_EQUAL(walk_plan(p, &w), 0);
    return p;
}

static void test_rich_api_fields(void)
{
    struct plan *p = rich_plan();
    STR_IS(p->service.name, "contoso");
    CU_ASSERT_EQUAL_FATAL(p->napis, 2);
    const struct plan_api *a = &p->apis[0];
    STR_IS(a->id, "shop");
    STR_IS(a->path, "shop/v"); /* no leading or trailing '/' */
    STR_IS(a->version, "2024");
    STR_IS(a->key_header, "X-Key");
    STR_IS(a->key_query, "key");
    CU_ASSERT_EQUAL(a->flags,
                    PLAN_API_CURRENT | PLAN_API_SUB_REQUIRED | PLAN_API_HTTP | PLAN_API_HTTPS);
    CU_ASSERT_EQUAL(a->version_set, 0);
    CU_ASSERT_EQUAL(a->backend, PLAN_NONE);
    const struct plan_operation *list = op_of(p, 0, "list");
    STR_IS(list->method, "GET"); /* upper-cased */
    STR_IS(list->url_template, "/Items?sort=asc&page={page}");
    CU_ASSERT_EQUAL_FATAL(list->nquery, 2);
    const struct plan_query *q = &p->queries[list->first_query];
    STR_IS(q[0].name, "sort");
    STR_IS(q[0].value, "asc");
    CU_ASSERT_EQUAL(q[0].flags, 0);
    STR_IS(q[1].name, "page");
    STR_IS(q[1].value, "");
    CU_ASSERT_EQUAL(q[1].flags, PLAN_QUERY_PARAM);
    CU_ASSERT_EQUAL(op_of(p, 0, "files")->flags, PLAN_OP_WILDCARD);
    CU_ASSERT_EQUAL(op_of(p, 0, "get")->flags, 0);
    CU_ASSERT_EQUAL(op_of(p, 0, "pooled")->backend, 1);
    CU_ASSERT_EQUAL(op_of(p, 0, "get")->backend, PLAN_NONE);
    a = &p->apis[1];
    STR_IS(a->id, "hdr");
    CU_ASSERT_EQUAL(a->version_set, 1);
    CU_ASSERT_EQUAL(a->flags, PLAN_API_CURRENT | PLAN_API_HTTPS);
    STR_IS(a->key_header, "Ocp-Apim-Subscription-Key");
    ROUTE(p, 1, "", "root");
    CU_ASSERT_EQUAL_FATAL(p->nversion_sets, 2);
    CU_ASSERT_EQUAL(p->version_sets[0].scheme, PLAN_SCHEME_QUERY);
    STR_IS(p->version_sets[0].query_name, "api-version");
    STR_IS(p->version_sets[0].header_name, "");
    CU_ASSERT_EQUAL(p->version_sets[1].scheme, PLAN_SCHEME_HEADER);
    STR_IS(p->version_sets[1].header_name, "X-Version");
    STR_IS(p->version_sets[1].display_name, "By header");
    plan_free(p);
}

/* Literal edges case-folded and sorted, then patterns with their parameter
 * names dropped, then the {param} child; "*" as a wildcard list. */
static void test_rich_routes(void)
{
    struct plan *p = rich_plan();
    const struct plan_node *root = &p->nodes[p->apis[0].route_root];
    CU_ASSERT_EQUAL_FATAL(root->nliteral, 3);
    CU_ASSERT_EQUAL(root->npattern, 0);
    STR_IS(p->edges[root->first_edge].segment, "apple");
    STR_IS(p->edges[root->first_edge + 1].segment, "files");
    STR_IS(p->edges[root->first_edge + 2].segment, "items");
    ROUTE(p, 0, "apple", "pooled");
    ROUTE(p, 0, "files", "");
    ROUTE_WILD(p, 0, "files", "files");
    ROUTE(p, 0, "items", "list");
    ROUTE(p, 0, "items/{}", "get");
    ROUTE(p, 0, "items/{}.json", "get-json");
    ROUTE(p, 0, "items/v{}", "get-v");
    const struct plan_node *items = &p->nodes[node_at(p, p->apis[0].route_root, "items")];
    CU_ASSERT_EQUAL(items->nliteral, 0);
    CU_ASSERT_EQUAL_FATAL(items->npattern, 2);
    STR_IS(p->edges[items->first_edge].segment, "v{}");
    STR_IS(p->edges[items->first_edge + 1].segment, "{}.json");
    plan_free(p);
}

static void test_rich_products_subscriptions(void)
{
    struct plan *p = rich_plan();
    CU_ASSERT_EQUAL_FATAL(p->nproducts, 1);
    const struct plan_product *gold = &p->products[0];
    CU_ASSERT_EQUAL(gold->flags, PLAN_PRODUCT_SUB_REQUIRED | PLAN_PRODUCT_APPROVAL);
    CU_ASSERT_EQUAL_FATAL(gold->napis, 2);
    CU_ASSERT_EQUAL(p->product_apis[gold->first_api], 0);
    CU_ASSERT_EQUAL(p->product_apis[gold->first_api + 1], 1);
    CU_ASSERT_EQUAL_FATAL(p->nsubs, 4);
    const struct plan_subscription *s = sub_of(p, "all-apis");
    STR_IS(s->scope, "/apis");
    CU_ASSERT_EQUAL(s->scope_kind, PLAN_SCOPE_ALL);
    CU_ASSERT_EQUAL(s->scope_target, PLAN_NONE);
    CU_ASSERT_EQUAL(s->state, PLAN_SUB_SUSPENDED);
    CU_ASSERT_EQUAL(s->flags, 0); /* keys given, tracing off */
    STR_IS(s->primary_key, "all-primary-0001");
    STR_IS(s->secondary_key, "all-secondary-0002");
    s = sub_of(p, "gold-sub");
    CU_ASSERT_EQUAL(s->scope_kind, PLAN_SCOPE_PRODUCT);
    CU_ASSERT_EQUAL(s->scope_target, 0);
    CU_ASSERT_EQUAL(s->state, PLAN_SUB_CANCELLED);
    GENERATED_KEY(p, s->primary_key, "gold-sub", "primary");
    s = sub_of(p, "hdr-sub");
    CU_ASSERT_EQUAL(s->scope_kind, PLAN_SCOPE_API);
    CU_ASSERT_EQUAL(s->scope_target, 1);
    CU_ASSERT_EQUAL(s->state, PLAN_SUB_SUBMITTED); /* no state: what Azure does */
    CU_ASSERT_TRUE(sub_of(p, "master")->flags & PLAN_SUB_BUILT_IN);
    CU_ASSERT_EQUAL_FATAL(p->nbackends, 2);
    STR_IS(p->backends[0].url, "http://127.0.0.1:5001/base");
    CU_ASSERT_EQUAL(p->backends[0].flags, PLAN_BACKEND_NO_CHAIN_CHECK | PLAN_BACKEND_NO_NAME_CHECK);
    STR_IS(p->backends[1].id, "pool");
    STR_IS(p->backends[1].url, "");
    CU_ASSERT_EQUAL(p->backends[1].flags, PLAN_BACKEND_POOL);
    CU_ASSERT_EQUAL_FATAL(p->nnamed_values, 3);
    STR_IS(p->named_values[0].value, "hello");
    CU_ASSERT_EQUAL(p->named_values[0].flags, 0);
    STR_IS(p->named_values[1].value, "s3cret-value");
    CU_ASSERT_EQUAL(p->named_values[1].flags, PLAN_NV_SECRET);
    STR_IS(p->named_values[2].value, "");
    CU_ASSERT_EQUAL(p->named_values[2].flags, PLAN_NV_SECRET | PLAN_NV_KEY_VAULT);
    plan_free(p);
}

/* A template's own "master" subscription replaces the built-in one. */
static void test_template_master(void)
{
    static const char *const parts[] = {
        SVC_HEAD,
        "{`type`: `apis`, " AV "`name`: `a`, `properties`: {`displayName`: `A`, `path`: `a`, "
        "`serviceUrl`: `http://127.0.0.1:5000`}, `resources`: [",
        OP("get", "GET", "/", "") "}]},",
        "{`type`: `subscriptions`, " AV "`name`: `master`, `properties`: {`displayName`: `Mine`, "
        "`scope`: `/apis`, `state`: `active`, `primaryKey`: `master-key-0001`}}",
        SVC_TAIL,
    };
    struct bytes b = compile_text(JOIN(parts), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.data);
    char err[256];
    struct plan *p = load(b.data, b.len, err, sizeof(err));
    free(b.data);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL_FATAL(p->nsubs, 1);
    STR_IS(p->subs[0].display_name, "Mine");
    STR_IS(p->subs[0].primary_key, "master-key-0001");
    CU_ASSERT_FALSE(p->subs[0].flags & PLAN_SUB_BUILT_IN);
    plan_free(p);
}

/* Where the trie puts the less common templates: "*" at the root and after
 * a parameter, a query on a wildcard, a trailing '/', two methods on one
 * case-folded path, a segment of two parameters. */

static void test_edge_routes(void)
{
    static const char *const parts[] = {
        SVC_HEAD,
        "{`type`: `apis`, " AV "`name`: `w`, `properties`: {`displayName`: `W`, `path`: `w`, "
        "`serviceUrl`: `http://127.0.0.1:5000`}, `resources`: [",
        OP("any", "GET", "/*", "") "},",
        OP("two", "GET", "/Z/{a}.{b}", P2("a", "b")) "},",
        OP("a-any", "GET", "/a/*?x=1", "") "},",
        OP("b-any", "GET", "/b/{id}/*", P1("id")) "},",
        OP("flag", "GET", "/d?flag", "") "},",
        OP("ef-get", "GET", "/e/f/", "") "},",
        OP("ef-post", "POST", "/E/F", "") "},",
        OP("by-id", "GET", "/{id}", P1("id")) "},",
        OP("by-id-g", "GET", "/{id}/g", P1("id")) "}]}",
        SVC_TAIL,
    };
    struct bytes b = compile_text(JOIN(parts), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.data);
    char err[256];
    struct plan *p = load(b.data, b.len, err, sizeof(err));
    free(b.data);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    ROUTE_WILD(p, 0, "", "any");
    ROUTE(p, 0, "", "");
    ROUTE_WILD(p, 0, "a", "a-any");
    ROUTE_WILD(p, 0, "b/{}", "b-any");
    ROUTE(p, 0, "z/{}.{}", "two");
    ROUTE(p, 0, "d", "flag");
    ROUTE(p, 0, "e/f", "ef-get,ef-post");
    ROUTE(p, 0, "{}", "by-id");
    ROUTE(p, 0, "{}/g", "by-id-g");
    CU_ASSERT_EQUAL(op_of(p, 0, "any")->flags, PLAN_OP_WILDCARD);
    CU_ASSERT_EQUAL(op_of(p, 0, "b-any")->flags, PLAN_OP_WILDCARD);
    const struct plan_operation *o = op_of(p, 0, "a-any");
    CU_ASSERT_EQUAL(o->flags, PLAN_OP_WILDCARD);
    CU_ASSERT_EQUAL_FATAL(o->nquery, 1);
    STR_IS(p->queries[o->first_query].value, "1");
    o = op_of(p, 0, "flag");
    CU_ASSERT_EQUAL_FATAL(o->nquery, 1);
    STR_IS(p->queries[o->first_query].name, "flag");
    STR_IS(p->queries[o->first_query].value, "");
    CU_ASSERT_EQUAL(p->queries[o->first_query].flags, 0);
    check_tree_shape(p);
    plan_free(p);
}

/* ---- every template: determinism, tree shape, JSON ---- */

struct sample {
    const char *rel;
    const char *const *params;
};

static const struct sample samples[] = {
    { "azure-templates/echo-api.json", echo_params },
    { "azure-templates/versioned-api.json", local_backend },
    { "azure-templates/backend-entity.json", local_inventory },
    { "examples/seed/simple-api.json", NULL },
};

#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

/* Every *.json of azure-templates/ compiles with its defaults, twice to the
 * same bytes, and loads. New templates are covered without a change here. */
static void test_every_azure_template(void)
{
    char dir[4096];
    DIR *d = opendir(repo_path(dir, sizeof(dir), "azure-templates"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    unsigned n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        char rel[600];
        snprintf(rel, sizeof(rel), "azure-templates/%s", e->d_name);
        struct bytes b1 = compile_file(rel, NULL), b2 = compile_file(rel, NULL);
        CU_ASSERT_PTR_NOT_NULL(b1.data);
        CU_ASSERT_TRUE(b1.len == b2.len && b1.data && memcmp(b1.data, b2.data, b1.len) == 0);
        char err[256];
        struct plan *p = b1.data ? load(b1.data, b1.len, err, sizeof(err)) : NULL;
        CU_ASSERT_PTR_NOT_NULL(p);
        struct walk w;
        CU_ASSERT_TRUE(p && walk_plan(p, &w) == 0 && json_ok(p, false));
        plan_free(p);
        free(b1.data);
        free(b2.data);
        n++;
    }
    closedir(d);
    CU_ASSERT_TRUE(n >= 3);
}

static void test_deterministic(void)
{
    for (size_t i = 0; i < NSAMPLES; i++) {
        struct bytes b1 = compile_file(samples[i].rel, samples[i].params);
        struct bytes b2 = compile_file(samples[i].rel, samples[i].params);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b1.data);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b2.data);
        CU_ASSERT_EQUAL(b1.len, b2.len);
        CU_ASSERT_TRUE(b1.len == b2.len && memcmp(b1.data, b2.data, b1.len) == 0);
        /* The layout the format promises: aligned sections, a clean CRC. */
        CU_ASSERT_EQUAL(memcmp(b1.data, PLAN_MAGIC, PLAN_MAGIC_SIZE), 0);
        CU_ASSERT_EQUAL(get32(b1.data, 16), b1.len);
        CU_ASSERT_EQUAL(get32(b1.data, 20), crc32_update(0, b1.data + 24, b1.len - 24));
        for (uint32_t k = 0; k < get32(b1.data, 12); k++)
            CU_ASSERT_EQUAL(get32(b1.data, PLAN_HEADER_SIZE + k * PLAN_SECTION_ENTRY_SIZE + 4) % 8,
                            0);
        free(b1.data);
        free(b2.data);
    }
}

/* Literal edges sorted and folded, patterns after them, children after
 * parents, and every operation reachable exactly once from its API's root
 * (wildcard ones in a wildcard list). */
static void check_tree_shape(const struct plan *p)
{
    unsigned *found = xcalloc(p->nops + 1, sizeof(unsigned));
    for (size_t i = 0; i < p->nnodes; i++) {
        const struct plan_node *n = &p->nodes[i];
        for (uint32_t k = 0; k < n->nliteral + n->npattern; k++) {
            const struct plan_edge *e = &p->edges[n->first_edge + k];
            bool pattern = memchr(e->segment.ptr, '{', e->segment.len) != NULL;
            CU_ASSERT_EQUAL(pattern, k >= n->nliteral);
            CU_ASSERT_TRUE(e->child > i);
            for (size_t c = 0; c < e->segment.len; c++)
                CU_ASSERT_FALSE(e->segment.ptr[c] >= 'A' && e->segment.ptr[c] <= 'Z');
            if (k > 0 && k < n->nliteral)
                CU_ASSERT_TRUE(str_icmp(e[-1].segment, e->segment) < 0);
        }
        for (uint32_t k = 0; k < n->nops + n->nwild; k++) {
            uint32_t op = p->op_refs[k < n->nops ? n->first_op + k : n->first_wild + k - n->nops];
            found[op]++;
            CU_ASSERT_EQUAL((p->ops[op].flags & PLAN_OP_WILDCARD) != 0, k >= n->nops);
        }
    }
    for (size_t i = 0; i < p->nops; i++)
        CU_ASSERT_EQUAL(found[i], 1);
    free(found);
    struct walk w;
    CU_ASSERT_EQUAL(walk_plan(p, &w), 0); /* roots distinct, each op in its own API's tree */
}

static void test_route_tree_shape(void)
{
    for (size_t i = 0; i < NSAMPLES; i++) {
        struct plan *p = plan_file(samples[i].rel, samples[i].params);
        check_tree_shape(p);
        plan_free(p);
    }
    struct plan *p = rich_plan();
    check_tree_shape(p);
    plan_free(p);
}

static json_t *plan_to_json(const struct plan *p, bool show)
{
    struct buf out;
    buf_init(&out, 64u << 20);
    CU_ASSERT_EQUAL(plan_json(p, show, &out), 0);
    json_error_t e;
    json_t *j = json_loads(out.data ? out.data : "", 0, &e);
    CU_ASSERT_PTR_NOT_NULL(j);
    buf_release(&out);
    return j;
}

/* Masked unless asked: "****" and the last four characters. */
static void test_plan_json(void)
{
    struct plan *p = rich_plan();
    json_t *masked = plan_to_json(p, false), *shown = plan_to_json(p, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(masked);
    CU_ASSERT_PTR_NOT_NULL_FATAL(shown);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(masked, "size")), (json_int_t)p->size);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(masked, "hash")), p->hash);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(masked, "apis")), p->napis);
    json_t *ms = json_object_get(masked, "subscriptions"),
           *ss = json_object_get(shown, "subscriptions");
    CU_ASSERT_EQUAL_FATAL(json_array_size(ms), p->nsubs);
    for (size_t i = 0; i < p->nsubs; i++) {
        char want[40];
        struct str k = p->subs[i].primary_key;
        snprintf(want, sizeof(want), "****%.*s", 4, k.ptr + k.len - 4);
        CU_ASSERT_STRING_EQUAL(
            json_string_value(json_object_get(json_array_get(ms, i), "primaryKey")), want);
        snprintf(want, sizeof(want), "%.*s", STR_FMT(k));
        CU_ASSERT_STRING_EQUAL(
            json_string_value(json_object_get(json_array_get(ss, i), "primaryKey")), want);
    }
    json_t *hidden = json_array_get(json_object_get(masked, "namedValues"), 1);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(hidden, "value")), "****");
    hidden = json_array_get(json_object_get(shown, "namedValues"), 1);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(hidden, "value")), "s3cret-value");
    /* No full key or secret anywhere in the masked text. */
    char *text = json_dumps(masked, 0);
    CU_ASSERT_PTR_NULL(strstr(text, "all-primary-0001"));
    CU_ASSERT_PTR_NULL(strstr(text, "s3cret-value"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"/{}.json\""));
    free(text);
    json_decref(masked);
    json_decref(shown);
    for (size_t i = 0; i < NSAMPLES; i++) {
        plan_free(p);
        p = plan_file(samples[i].rel, samples[i].params);
        CU_ASSERT_TRUE(json_ok(p, false));
        CU_ASSERT_TRUE(json_ok(p, true));
    }
    plan_free(p);
}

/* ---- corruption: every byte, every length, every u32 ---- */

struct attack {
    unsigned tried, accepted, problems;
};

static void problem(struct attack *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct attack *k, const char *fmt, ...)
{
    if (k->problems++ < 10) {
        va_list ap;
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
}

/* One corrupted plan: it must be refused with a message (containing
 * must_say, if given), or load whole: every index in range, every string
 * inside the plan, plan_json working. */
static void attempt(struct attack *k, const unsigned char *b, size_t len, const char *must_say,
                    const char *what, size_t at)
{
    char err[256];
    struct plan *p = load(b, len, err, sizeof(err));
    k->tried++;
    if (p == NULL) {
        if (err[0] == '\0' || (must_say && strstr(err, must_say) == NULL))
            problem(k, "%s at %zu: refused with '%s'", what, at, err);
        return;
    }
    k->accepted++;
    struct walk w;
    if (must_say)
        problem(k, "%s at %zu: loaded; want '%s'", what, at, must_say);
    else if (walk_plan(p, &w) != 0)
        problem(k, "%s at %zu: loaded with %u problems, first %s", what, at, w.problems, w.first);
    else if (!json_ok(p, false) || !json_ok(p, true))
        problem(k, "%s at %zu: loaded but plan_json failed", what, at);
    plan_free(p);
}

static const unsigned char masks[] = { 0x01, 0x80, 0xff };

/* Every byte flipped, the CRC left as is: past the first 24 bytes the CRC
 * catches every one (CRC-32 detects every burst of up to 32 bits). */
static void test_flip_every_byte(void)
{
    struct attack k = { 0, 0, 0 };
    for (size_t s = 0; s < NSAMPLES; s++) {
        struct bytes g = compile_file(samples[s].rel, samples[s].params);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g.data);
        unsigned char *b = dup_bytes(&g);
        for (size_t at = 0; at < g.len; at++)
            for (size_t m = 0; m < sizeof(masks); m++) {
                b[at] ^= masks[m];
                attempt(&k, b, g.len, at >= 24 ? "checksum" : NULL, samples[s].rel, at);
                b[at] ^= masks[m];
            }
        free(b);
        free(g.data);
    }
    printf("\n    flips as is: %u tried, %u accepted ", k.tried, k.accepted);
    CU_ASSERT_EQUAL(k.problems, 0);
    /* Only the minor version (bytes 10-11) may change unnoticed. */
    CU_ASSERT_TRUE(k.accepted <= NSAMPLES * 2 * sizeof(masks));
}

/* The same with the CRC recomputed, so the structural checks see it all. */
static void flip_fixed(struct attack *k, const struct bytes *g, const char *what)
{
    unsigned char *b = dup_bytes(g);
    for (size_t at = 0; at < g->len; at++) {
        if (at >= 20 && at < 24)
            continue; /* the CRC itself: recomputing undoes the flip */
        for (size_t m = 0; m < sizeof(masks); m++) {
            b[at] ^= masks[m];
            fix_crc(b, g->len);
            attempt(k, b, g->len, NULL, what, at);
            b[at] ^= masks[m];
        }
    }
    free(b);
}

static void test_flip_every_byte_crc_fixed(void)
{
    struct attack k = { 0, 0, 0 };
    for (size_t s = 0; s < NSAMPLES; s++) {
        struct bytes g = compile_file(samples[s].rel, samples[s].params);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g.data);
        flip_fixed(&k, &g, samples[s].rel);
        free(g.data);
    }
    struct bytes g = compile_text(JOIN(rich_parts), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g.data);
    flip_fixed(&k, &g, "rich template");
    free(g.data);
    printf("\n    flips, CRC fixed: %u tried, %u accepted (whole) ", k.tried, k.accepted);
    CU_ASSERT_EQUAL(k.problems, 0);
    CU_ASSERT_TRUE(k.accepted < k.tried);
    CU_ASSERT_TRUE(k.accepted > 0); /* text and flags may change: the walk ran */
}

/* Every aligned u32 set to values that break indexes, counts and ranges. */
static void test_hostile_u32_values(void)
{
    struct attack k = { 0, 0, 0 };
    for (size_t s = 0; s < NSAMPLES; s++) {
        struct bytes g = compile_file(samples[s].rel, samples[s].params);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g.data);
        unsigned char *b = dup_bytes(&g);
        for (size_t at = 8; at + 4 <= g.len; at += 4) {
            if (at == 20)
                continue;
            uint32_t was = get32(g.data, at);
            const uint32_t values[] = { 0,
                                        1,
                                        2,
                                        0x7FFFFFFF,
                                        0x80000000,
                                        PLAN_NONE,
                                        PLAN_NONE - 1,
                                        (uint32_t)g.len,
                                        was + 1,
                                        was - 1,
                                        was + 8,
                                        was * 2 };
            for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
                put32(b, at, values[v]);
                fix_crc(b, g.len);
                attempt(&k, b, g.len, NULL, samples[s].rel, at);
            }
            put32(b, at, was);
        }
        free(b);
        free(g.data);
    }
    printf("\n    u32 values: %u tried, %u accepted (whole) ", k.tried, k.accepted);
    CU_ASSERT_EQUAL(k.problems, 0);
    CU_ASSERT_TRUE(k.accepted < k.tried);
}

/* Every length short of the whole fails: as is, and with the size field and
 * CRC made to agree with the shorter file. */
static void test_every_truncation(void)
{
    struct attack k = { 0, 0, 0 };
    for (size_t s = 0; s < NSAMPLES; s++) {
        struct bytes g = compile_file(samples[s].rel, samples[s].params);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g.data);
        unsigned char *b = dup_bytes(&g);
        for (size_t len = 0; len < g.len; len++) {
            attempt(&k, g.data, len, "", "truncated", len);
            if (len < PLAN_HEADER_SIZE)
                continue;
            put32(b, 16, (uint32_t)len);
            fix_crc(b, len);
            attempt(&k, b, len, "", "truncated, header fixed", len);
        }
        free(b);
        free(g.data);
    }
    CU_ASSERT_EQUAL(k.problems, 0);
    CU_ASSERT_EQUAL(k.accepted, 0);
    CU_ASSERT_TRUE(k.tried > 1000);
}

/* ---- targeted defects, each named by the loader ---- */

static struct bytes echo_plan, versioned_plan;

static int corrupt_init(void)
{
    echo_plan = compile_file("azure-templates/echo-api.json", echo_params);
    versioned_plan = compile_file("azure-templates/versioned-api.json", local_backend);
    return echo_plan.data && versioned_plan.data ? 0 : 1;
}

static int corrupt_cleanup(void)
{
    free(echo_plan.data);
    free(versioned_plan.data);
    return 0;
}

/* Fixes the CRC of b (a copy, freed here) unless told not to, loads it,
 * and wants an error that contains want. */
static void rejected_at(unsigned line, unsigned char *b, size_t len, bool crc, const char *want)
{
    char err[256], msg[600];
    if (crc && len >= PLAN_HEADER_SIZE)
        fix_crc(b, len);
    struct plan *p = load(b, len, err, sizeof(err));
    snprintf(msg, sizeof(msg), "want an error with '%s', got '%s'", want, p ? "(loaded)" : err);
    CU_assertImplementation(p == NULL && strstr(err, want) != NULL, line, msg, __FILE__, "",
                            CU_FALSE);
    plan_free(p);
    free(b);
}

#define REJECT(b, len, want) rejected_at(__LINE__, (b), (len), true, (want))
#define ECHO                 dup_bytes(&echo_plan)
#define NE                   echo_plan.len
#define VERSIONED            dup_bytes(&versioned_plan)
#define NV                   versioned_plan.len

/* Sets u32 field `field` of record i of section kind (record size size). */
static unsigned char *set(unsigned char *b, uint32_t kind, size_t size, uint32_t i, size_t field,
                          uint32_t v)
{
    put32(b, rec(b, kind, size, i, field), v);
    return b;
}

static void test_bad_header(void)
{
    unsigned char *b = ECHO;
    b[1] ^= 0x20; /* "aPM" */
    REJECT(b, NE, "bad magic");
    b = ECHO;
    b[8] = PLAN_VERSION_MAJOR + 1;
    REJECT(b, NE, "plan format 3; this gateway reads 2");
    b = ECHO;
    put32(b, 16, (uint32_t)NE + 8);
    REJECT(b, NE, "says");
    b = ECHO;
    b[NE - 1] ^= 1;
    rejected_at(__LINE__, b, NE, false, "plan checksum does not match");
    REJECT(ECHO, 10, "bad magic");
    REJECT(xmalloc(1), 0, "bad magic");
    b = ECHO;
    put32(b, 12, PLAN_MAX_SECTIONS + 1);
    REJECT(b, NE, "directory is too large");
    b = ECHO;
    put32(b, 12, PLAN_NONE);
    REJECT(b, NE, "directory is too large");
    /* The size cap is checked before a byte is read. */
    struct plan *p = NULL;
    char err[256];
    CU_ASSERT_EQUAL(plan_load_bytes(xmalloc(16), PLAN_MAX_SIZE + 1u, &p, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "larger than"));
    CU_ASSERT_PTR_NULL(p);
}

static void test_bad_sections(void)
{
    unsigned char *b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_APIS) + 4, (uint32_t)(NE + 8) & ~7u);
    REJECT(b, NE, "plan section 3 lies outside the file");
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_STRINGS) + 8, get32(b, entry_of(b, PLAN_SEC_STRINGS) + 8) + 1);
    REJECT(b, NE, "plan section 1 lies outside the file");
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_APIS) + 4, 32); /* inside the header */
    REJECT(b, NE, "plan section 3 lies outside the file");
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_APIS) + 4, get32(b, entry_of(b, PLAN_SEC_APIS) + 4) + 4);
    REJECT(b, NE, "plan section 3 is not 8-byte aligned");
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_BACKENDS), PLAN_SEC_APIS);
    REJECT(b, NE, "plan section 3 appears twice");
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_NAMED_VALUES), 99); /* unknown kinds are skipped */
    REJECT(b, NE, "plan section 14 is missing");
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_APIS) + 12, 2);
    REJECT(b, NE, "plan section 3: 88 bytes do not hold 2 records");
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_OP_REFS) + 8, 5);
    REJECT(b, NE, "plan section 7: 5 bytes do not hold");
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_STRINGS) + 12, 1);
    REJECT(b, NE, "plan string section has a record count");
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_SERVICE) + 8, 0);
    put32(b, entry_of(b, PLAN_SEC_SERVICE) + 12, 0);
    REJECT(b, NE, "plan must have exactly one service record");
}

/* Sections may not share bytes with each other or with the directory. */
static void test_overlapping_sections(void)
{
    unsigned char *b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_APIS) + 4, get32(b, entry_of(b, PLAN_SEC_SERVICE) + 4));
    REJECT(b, NE, "overlap");
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_OPERATIONS) + 4,
          get32(b, entry_of(b, PLAN_SEC_OPERATIONS) + 4) - 8); /* 8 bytes into the APIs */
    REJECT(b, NE, "plan section 4 overlaps section 3");
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_SERVICE) + 4, PLAN_HEADER_SIZE); /* on the directory */
    REJECT(b, NE, "plan section 2 overlaps the section directory");
    /* Empty sections touch their neighbours, as the writer lays them out. */
    b = ECHO;
    size_t vs = entry_of(b, PLAN_SEC_VERSION_SETS);
    CU_ASSERT_EQUAL(get32(b, vs + 8), 0);
    put32(b, vs + 4, get32(b, entry_of(b, PLAN_SEC_APIS) + 4));
    fix_crc(b, NE);
    char err[256];
    struct plan *p = load(b, NE, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL(p);
    plan_free(p);
    free(b);
}

/* The offset of the string section and of the first string of a record. */
static uint32_t strings_at(const unsigned char *b)
{
    return get32(b, entry_of(b, PLAN_SEC_STRINGS) + 4);
}

static void test_bad_strings(void)
{
    /* The NUL after the API's id overwritten. */
    unsigned char *b = ECHO;
    uint32_t off = get32(b, rec(b, PLAN_SEC_APIS, PLAN_API_SIZE, 0, 0));
    uint32_t len = get32(b, rec(b, PLAN_SEC_APIS, PLAN_API_SIZE, 0, 4));
    CU_ASSERT_EQUAL(b[strings_at(b) + off + len], 0);
    b[strings_at(b) + off + len] = 'x';
    REJECT(b, NE, "plan section 3 record 0: bad string reference");
    /* A length that runs into the next string. */
    b = set(ECHO, PLAN_SEC_APIS, PLAN_API_SIZE, 0, 4, len + 1);
    REJECT(b, NE, "plan section 3 record 0: bad string reference");
    /* Past the section, and so big it wraps. */
    uint32_t size = get32(echo_plan.data, entry_of(echo_plan.data, PLAN_SEC_STRINGS) + 8);
    b = set(ECHO, PLAN_SEC_OPERATIONS, PLAN_OPERATION_SIZE, 1, 16, size);
    set(b, PLAN_SEC_OPERATIONS, PLAN_OPERATION_SIZE, 1, 20, 0);
    REJECT(b, NE, "plan section 4 record 1: bad string reference");
    b = set(ECHO, PLAN_SEC_SUBSCRIPTIONS, PLAN_SUBSCRIPTION_SIZE, 2, 16, PLAN_NONE);
    set(b, PLAN_SEC_SUBSCRIPTIONS, PLAN_SUBSCRIPTION_SIZE, 2, 20, PLAN_NONE);
    REJECT(b, NE, "plan section 12 record 2: bad string reference");
    b = set(ECHO, PLAN_SEC_ROUTE_EDGES, PLAN_EDGE_SIZE, 1, 4, PLAN_NONE - 2);
    REJECT(b, NE, "plan section 6 record 1: bad string reference");
    /* An empty string section holds no string, not even "". */
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_STRINGS) + 8, 0);
    REJECT(b, NE, "plan section 2 record 0: bad string reference");
}

static void test_bad_indexes(void)
{
    unsigned char *b = set(ECHO, PLAN_SEC_APIS, PLAN_API_SIZE, 0, 64, 0);
    REJECT(b, NE, "plan section 3 record 0: index 0 out of range"); /* no version sets */
    b = set(ECHO, PLAN_SEC_APIS, PLAN_API_SIZE, 0, 68, 5);
    REJECT(b, NE, "plan section 3 record 0: index 5 out of range");
    b = set(ECHO, PLAN_SEC_APIS, PLAN_API_SIZE, 0, 80, 4);
    REJECT(b, NE, "plan section 3 record 0: index 4 out of range");
    b = set(ECHO, PLAN_SEC_OPERATIONS, PLAN_OPERATION_SIZE, 2, 40, 1);
    REJECT(b, NE, "plan section 4 record 2: index 1 out of range");
    b = set(ECHO, PLAN_SEC_OPERATIONS, PLAN_OPERATION_SIZE, 2, 40, PLAN_NONE);
    REJECT(b, NE, "plan section 4 record 2: index 4294967295 out of range"); /* not "or NONE" */
    b = set(ECHO, PLAN_SEC_ROUTE_EDGES, PLAN_EDGE_SIZE, 0, 8, 4);
    REJECT(b, NE, "plan section 6 record 0: index 4 out of range");
    b = set(ECHO, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 1, 12, 9);
    REJECT(b, NE, "plan section 5 record 1: index 9 out of range");
    b = set(ECHO, PLAN_SEC_OP_REFS, PLAN_OP_REF_SIZE, 1, 0, 3);
    REJECT(b, NE, "plan section 7 record 1: index 3 out of range");
    b = set(ECHO, PLAN_SEC_PRODUCT_APIS, PLAN_PRODUCT_API_SIZE, 0, 0, 1);
    REJECT(b, NE, "plan section 11 record 0: index 1 out of range");
    b = set(ECHO, PLAN_SEC_SUBSCRIPTIONS, PLAN_SUBSCRIPTION_SIZE, 0, 44, 1); /* product 1 */
    REJECT(b, NE, "plan section 12 record 0: index 1 out of range");
    b = set(ECHO, PLAN_SEC_SUBSCRIPTIONS, PLAN_SUBSCRIPTION_SIZE, 1, 44, 1); /* API 1 */
    REJECT(b, NE, "plan section 12 record 1: index 1 out of range");
}

static void test_bad_ranges(void)
{
    unsigned char *b = set(ECHO, PLAN_SEC_APIS, PLAN_API_SIZE, 0, 72, 1); /* ops 1..3 of 3 */
    REJECT(b, NE, "plan section 3 record 0: range out of bounds");
    b = set(ECHO, PLAN_SEC_APIS, PLAN_API_SIZE, 0, 72, PLAN_NONE);
    set(b, PLAN_SEC_APIS, PLAN_API_SIZE, 0, 76, 2); /* wraps to 1 */
    REJECT(b, NE, "plan section 3 record 0: range out of bounds");
    b = set(ECHO, PLAN_SEC_OPERATIONS, PLAN_OPERATION_SIZE, 0, 52, 1); /* no query params */
    REJECT(b, NE, "plan section 4 record 0: range out of bounds");
    b = set(ECHO, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 3, 20, 2);
    REJECT(b, NE, "plan section 5 record 3: range out of bounds");
    b = set(ECHO, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 3, 24, 3);
    set(b, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 3, 28, PLAN_NONE);
    REJECT(b, NE, "plan section 5 record 3: range out of bounds");
    b = set(ECHO, PLAN_SEC_PRODUCTS, PLAN_PRODUCT_SIZE, 0, 24, 2);
    REJECT(b, NE, "plan section 10 record 0: range out of bounds");
    b = set(ECHO, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 0, 4, 3); /* 3 literal edges of 2 */
    REJECT(b, NE, "plan route node 0: edges out of bounds");
    b = set(ECHO, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 0, 4, PLAN_NONE);
    set(b, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 0, 8, 3); /* the u32 sum wraps to 2 */
    REJECT(b, NE, "plan route node 0: edges out of bounds");
    b = set(ECHO, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 3, 0, 3);
    set(b, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 3, 4, 1);
    REJECT(b, NE, "plan route node 3: edges out of bounds");
}

/* The versioned plan: three APIs, so operations and trees can cross. */
static void test_bad_ownership(void)
{
    char err[256];
    struct plan *p = load(versioned_plan.data, NV, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    uint32_t v2_get = p->nodes[node_at(p, p->apis[1].route_root, "orders/{}")].first_op;
    uint32_t root0 = p->apis[0].route_root, root1 = p->apis[1].route_root;
    uint32_t orders0 = node_at(p, root0, "orders"), first_edge0 = p->nodes[root0].first_edge;
    plan_free(p);
    unsigned char *b = set(VERSIONED, PLAN_SEC_OPERATIONS, PLAN_OPERATION_SIZE, 0, 40, 1);
    REJECT(b, NV, "plan operation 0 lies outside its API's range");
    /* An API's range reaching into the next API's operations. */
    b = set(VERSIONED, PLAN_SEC_APIS, PLAN_API_SIZE, 1, 76, 3);
    REJECT(b, NV, "plan API 1 holds operation 2 of API 2");
    b = set(VERSIONED, PLAN_SEC_OP_REFS, PLAN_OP_REF_SIZE, v2_get, 0, 0);
    REJECT(b, NV, "plan API 1 routes to another API's operation");
    b = set(VERSIONED, PLAN_SEC_APIS, PLAN_API_SIZE, 1, 80, root0);
    REJECT(b, NV, "plan API 1 shares its route tree");
    /* API 0's "orders" edge leading into API 1's tree. */
    b = set(VERSIONED, PLAN_SEC_ROUTE_EDGES, PLAN_EDGE_SIZE, first_edge0, 8, root1 + 1);
    REJECT(b, NV, "plan API 0 routes to another API's operation");
    /* ...and API 1's root taken from inside API 0's tree. */
    b = set(VERSIONED, PLAN_SEC_APIS, PLAN_API_SIZE, 1, 80, orders0);
    REJECT(b, NV, "plan API 1 shares its route tree");
    CU_ASSERT_EQUAL(orders0, root0 + 1);
}

static void test_bad_tree_shape(void)
{
    /* Echo: 0 root, 1 items, 2 items/{id}, 3 resource; edges 0 (items), 1 (resource). */
    unsigned char *b = set(ECHO, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 1, 12, 1);
    REJECT(b, NE, "plan route node 1: child 1 does not follow it");
    b = set(ECHO, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 2, 12, 1);
    REJECT(b, NE, "plan route node 2: child 1 does not follow it");
    b = set(ECHO, PLAN_SEC_ROUTE_EDGES, PLAN_EDGE_SIZE, 0, 8, 0);
    REJECT(b, NE, "plan route node 0: child does not follow it");
    /* Node 3 given the "items" node's edges: an edge back to node 1. */
    b = set(ECHO, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 3, 0, 0);
    set(b, PLAN_SEC_ROUTE_NODES, PLAN_NODE_SIZE, 3, 4, 1);
    REJECT(b, NE, "plan route node 3: child does not follow it");
    /* Two edges to one node: a DAG, not a tree. */
    b = set(ECHO, PLAN_SEC_ROUTE_EDGES, PLAN_EDGE_SIZE, 1, 8, 1);
    REJECT(b, NE, "plan route node 1 is reached twice");
    b = set(ECHO, PLAN_SEC_ROUTE_EDGES, PLAN_EDGE_SIZE, 1, 8, 2);
    REJECT(b, NE, "plan route node 2 is reached twice");
}

static void test_bad_enums(void)
{
    unsigned char *b = set(VERSIONED, PLAN_SEC_VERSION_SETS, PLAN_VERSION_SET_SIZE, 0, 32, 3);
    REJECT(b, NV, "plan version set 0: unknown scheme 3");
    b = set(ECHO, PLAN_SEC_SUBSCRIPTIONS, PLAN_SUBSCRIPTION_SIZE, 2, 48, PLAN_SUB_CANCELLED + 1);
    REJECT(b, NE, "plan subscription 2: bad scope or state");
    b = set(ECHO, PLAN_SEC_SUBSCRIPTIONS, PLAN_SUBSCRIPTION_SIZE, 2, 40, PLAN_SCOPE_PRODUCT + 1);
    REJECT(b, NE, "plan subscription 2: bad scope or state");
}

/* PLAN_SEC_OP_CONTRACTS: one record per operation, each "" or a JSON
 * object's text; a plan without the section (format 1.0) still loads. */
static void test_bad_contracts(void)
{
    unsigned char *b = ECHO;
    size_t e = entry_of(b, PLAN_SEC_OP_CONTRACTS);
    put32(b, e + 8, get32(b, e + 8) - PLAN_OP_CONTRACT_SIZE);
    put32(b, e + 12, get32(b, e + 12) - 1);
    REJECT(b, NE, "operation contracts for");
    /* get-item (operation 1) has template parameters: its contract is text. */
    b = ECHO;
    uint32_t off = get32(b, rec(b, PLAN_SEC_OP_CONTRACTS, PLAN_OP_CONTRACT_SIZE, 1, 0));
    CU_ASSERT_TRUE(get32(b, rec(b, PLAN_SEC_OP_CONTRACTS, PLAN_OP_CONTRACT_SIZE, 1, 4)) > 0);
    b[get32(b, entry_of(b, PLAN_SEC_STRINGS) + 4) + off] = '[';
    REJECT(b, NE, "plan operation 1: its contract is not a JSON object");
    /* Without the section: contracts are empty. */
    b = ECHO;
    put32(b, entry_of(b, PLAN_SEC_OP_CONTRACTS), 0);
    fix_crc(b, NE);
    char err[256];
    struct plan *p = load(b, NE, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    for (size_t i = 0; i < p->nops; i++)
        CU_ASSERT_EQUAL(p->ops[i].contract.len, 0);
    plan_free(p);
    free(b);
}

/* A newer minor version may add sections: an unknown kind is skipped and
 * the plan reads the same. Built by inserting a directory entry. */
static void test_unknown_section_skipped(void)
{
    const struct bytes *g = &echo_plan;
    uint32_t n = get32(g->data, 12);
    size_t dir_end = PLAN_HEADER_SIZE + (size_t)n * PLAN_SECTION_ENTRY_SIZE;
    size_t extra = (g->len + PLAN_SECTION_ENTRY_SIZE + 7) & ~(size_t)7, len = extra + 8;
    unsigned char *b = xcalloc(1, len);
    memcpy(b, g->data, dir_end);
    memcpy(b + dir_end + PLAN_SECTION_ENTRY_SIZE, g->data + dir_end, g->len - dir_end);
    for (uint32_t i = 0; i < n; i++) {
        size_t e = PLAN_HEADER_SIZE + (size_t)i * PLAN_SECTION_ENTRY_SIZE;
        put32(b, e + 4, get32(b, e + 4) + PLAN_SECTION_ENTRY_SIZE);
    }
    put32(b, dir_end, 99);
    put32(b, dir_end + 4, (uint32_t)extra);
    put32(b, dir_end + 8, 8);
    memcpy(b + extra, "future!", 8);
    b[10] = PLAN_VERSION_MINOR + 1;
    put32(b, 12, n + 1);
    put32(b, 16, (uint32_t)len);
    fix_crc(b, len);
    char err[256];
    struct plan *p = load(b, len, err, sizeof(err)), *q = load(g->data, g->len, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    json_t *jp = plan_to_json(p, true), *jq = plan_to_json(q, true);
    CU_ASSERT_TRUE(json_equal(json_object_get(jp, "apis"), json_object_get(jq, "apis")));
    CU_ASSERT_TRUE(
        json_equal(json_object_get(jp, "subscriptions"), json_object_get(jq, "subscriptions")));
    CU_ASSERT_STRING_NOT_EQUAL(p->hash, q->hash);
    json_decref(jp);
    json_decref(jq);
    plan_free(p);
    plan_free(q);
    /* The same entry with kind 0 is skipped too. */
    put32(b, dir_end, 0);
    fix_crc(b, len);
    p = load(b, len, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL(p);
    plan_free(p);
    free(b);
}

/* ---- plan_load_file ---- */

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fwrite(data, 1, len, f), len);
    CU_ASSERT_EQUAL(fclose(f), 0);
}

static void file_rejected_at(unsigned line, const char *path, const char *want)
{
    char err[512], msg[800];
    struct plan *p = NULL;
    int rc = plan_load_file(path, &p, err, sizeof(err));
    snprintf(msg, sizeof(msg), "%s: want '%s', got rc %d '%s'", path, want, rc, rc ? err : "");
    CU_assertImplementation(rc == -1 && strstr(err, want) != NULL, line, msg, __FILE__, "",
                            CU_FALSE);
    if (rc == 0)
        plan_free(p);
}

#define FILE_REJECT(path, want) file_rejected_at(__LINE__, (path), (want))

static void test_load_file(void)
{
    char dir[] = "/tmp/apim-test-plan.XXXXXX", path[600];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/missing.plan", dir);
    FILE_REJECT(path, "cannot read");
    FILE_REJECT(path, "No such file");
    FILE_REJECT(dir, "is not a routing plan");
    snprintf(path, sizeof(path), "%s/empty.plan", dir);
    write_file(path, "", 0);
    FILE_REJECT(path, "is not a routing plan (size 0)");
    write_file(path, echo_plan.data, PLAN_HEADER_SIZE - 1);
    FILE_REJECT(path, "(size 63)");
    unsigned char *b = ECHO;
    b[NE / 2] ^= 0x40;
    write_file(path, b, NE);
    free(b);
    FILE_REJECT(path, "checksum");
    /* A good file: mapped, and the same plan as from bytes. */
    write_file(path, echo_plan.data, NE);
    struct plan *p = NULL, *q;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(plan_load_file(path, &p, err, sizeof(err)), 0);
    q = load(echo_plan.data, NE, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    CU_ASSERT_TRUE(p->mapped);
    CU_ASSERT_FALSE(q->mapped);
    CU_ASSERT_STRING_EQUAL(p->hash, q->hash);
    CU_ASSERT_EQUAL(p->napis, q->napis);
    CU_ASSERT_TRUE(str_eq(p->subs[2].primary_key, q->subs[2].primary_key));
    plan_free(p);
    plan_free(q);
    plan_free(NULL); /* a no-op */
    CU_ASSERT_EQUAL(unlink(path), 0);
    CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/* An imported operation's contract, examples included, survives the plan. */
static void test_imported_contract(void)
{
    struct bytes b = compile_text(
        "{`$schema`: `https://schema.management.azure.com/schemas/2019-04-01/"
        "deploymentTemplate.json#`, `contentVersion`: `1.0.0.0`, `resources`: [{`type`: "
        "`Microsoft.ApiManagement/service/apis`, `apiVersion`: `2024-05-01`, `name`: `s/a`, "
        "`properties`: {`path`: `a`, `format`: `openapi`, `value`: `openapi: 3.0.1\\ninfo: "
        "{title: T, version: '1'}\\nservers: [{url: 'https://b.example'}]\\npaths:\\n  /x: "
        "{get: {operationId: getX, responses: {'200': {description: ok, content: "
        "{application/json: {example: {n: 1}}}}}}}\\n`}}]}",
        NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.data);
    char err[256];
    struct plan *p = load(b.data, b.len, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL_FATAL(p->nops, 1);
    json_t *c = plan_json_contract(&p->ops[0]);
    json_t *rep = json_array_get(
        json_object_get(json_array_get(json_object_get(c, "responses"), 0), "representations"), 0);
    json_t *value =
        json_object_get(json_object_get(json_object_get(rep, "examples"), "default"), "value");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(value, "n")), 1);
    json_decref(c);
    plan_free(p);
    free(b.data);
}

static void test_names(void)
{
    CU_ASSERT_STRING_EQUAL(plan_scheme_name(PLAN_SCHEME_SEGMENT), "Segment");
    CU_ASSERT_STRING_EQUAL(plan_scheme_name(PLAN_SCHEME_QUERY), "Query");
    CU_ASSERT_STRING_EQUAL(plan_scheme_name(PLAN_SCHEME_HEADER), "Header");
    CU_ASSERT_STRING_EQUAL(plan_state_name(PLAN_SUB_ACTIVE), "active");
    CU_ASSERT_STRING_EQUAL(plan_state_name(PLAN_SUB_CANCELLED), "cancelled");
    CU_ASSERT_STRING_EQUAL(plan_state_name(99), "unknown");
    char out[16];
    CU_ASSERT_STRING_EQUAL(plan_mask(STR_LIT("abcdef123456"), out), "****3456");
    CU_ASSERT_STRING_EQUAL(plan_mask(STR_LIT("ab"), out), "****ab");
}

static CU_TestInfo roundtrip_tests[] = {
    { "echo-api.json: APIs, operations, routes, products", test_echo_api },
    { "echo-api.json: subscriptions and the master one", test_echo_api_subscriptions },
    { "generated keys: deterministic, per service", test_generated_keys },
    { "versioned-api.json: version sets and revisions", test_versioned_api },
    { "backend-entity.json: backends and named values", test_backend_entity },
    { "seed simple API", test_simple_api_seed },
    { "inline template: API and operation fields", test_rich_api_fields },
    { "inline template: route tree", test_rich_routes },
    { "inline template: products, subscriptions, backends", test_rich_products_subscriptions },
    { "a template's own master subscription", test_template_master },
    { "route tree: wildcards, trailing '/', shared nodes", test_edge_routes },
    { "every azure-templates/*.json", test_every_azure_template },
    { "same template, same bytes", test_deterministic },
    { "route tree shape", test_route_tree_shape },
    { "plan_json: parses, masks unless asked", test_plan_json },
    { "scheme, state and mask names", test_names },
    { "an imported operation's contract", test_imported_contract },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo corrupt_tests[] = {
    { "every byte flipped, CRC as is", test_flip_every_byte },
    { "every byte flipped, CRC fixed", test_flip_every_byte_crc_fixed },
    { "every u32 set to hostile values", test_hostile_u32_values },
    { "every truncation", test_every_truncation },
    { "header", test_bad_header },
    { "section directory", test_bad_sections },
    { "overlapping sections", test_overlapping_sections },
    { "string references", test_bad_strings },
    { "indexes", test_bad_indexes },
    { "ranges", test_bad_ranges },
    { "operations and trees across APIs", test_bad_ownership },
    { "tree shape", test_bad_tree_shape },
    { "enumerations", test_bad_enums },
    { "unknown sections are skipped", test_unknown_section_skipped },
    { "operation contracts", test_bad_contracts },
    { "plan_load_file", test_load_file },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "plan round trip", NULL, NULL, NULL, NULL, roundtrip_tests },
    { "plan corruption", corrupt_init, corrupt_cleanup, NULL, NULL, corrupt_tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
