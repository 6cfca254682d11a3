#include "plan.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32.h"
#include "plan_int.h"

#define fail plan_fail

int plan_fail(struct loader *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->err, l->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* ---- header and sections ---- */

static int check_header(struct loader *l)
{
    const struct plan *p = l->p;
    if (p->size < PLAN_HEADER_SIZE || memcmp(p->bytes, PLAN_MAGIC, PLAN_MAGIC_SIZE) != 0)
        return fail(l, "not a routing plan (bad magic)");
    if (rd16(p->bytes + 8) != PLAN_VERSION_MAJOR)
        return fail(l, "plan format %u; this gateway reads %u", rd16(p->bytes + 8),
                    PLAN_VERSION_MAJOR);
    if (rd32(p->bytes + 16) != p->size)
        return fail(l, "plan is %zu bytes but says %u (truncated?)", p->size, rd32(p->bytes + 16));
    if (crc32_update(0, p->bytes + 24, p->size - 24) != rd32(p->bytes + 20))
        return fail(l, "plan checksum does not match (corrupted)");
    return 0;
}

static int check_section(struct loader *l, const unsigned char *e)
{
    uint32_t kind = rd32(e), off = rd32(e + 4), size = rd32(e + 8), count = rd32(e + 12);
    if (kind == 0 || kind > PLAN_SEC_LAST)
        return 0; /* a newer minor version's section: skip it */
    if (l->sec[kind].present)
        return fail(l, "plan section %u appears twice", kind);
    if (off % 8)
        return fail(l, "plan section %u is not 8-byte aligned", kind);
    if (off < PLAN_HEADER_SIZE || off > l->p->size || size > l->p->size - off)
        return fail(l, "plan section %u lies outside the file", kind);
    if (kind == PLAN_SEC_STRINGS) {
        if (count != 0)
            return fail(l, "plan string section has a record count");
    } else if (size % plan_record_of(kind)->size || size / plan_record_of(kind)->size != count) {
        return fail(l, "plan section %u: %u bytes do not hold %u records", kind, size, count);
    }
    l->sec[kind].off = off;
    l->sec[kind].size = size;
    l->sec[kind].count = count;
    l->sec[kind].present = true;
    return 0;
}

/* No byte belongs to two sections, or to a section and the directory: a
 * byte read as two different records means a corrupt or crafted plan.
 * Empty sections hold no bytes and may sit anywhere in bounds. */
static int check_overlaps(struct loader *l, uint32_t n)
{
    uint64_t dir_end = PLAN_HEADER_SIZE + (uint64_t)n * PLAN_SECTION_ENTRY_SIZE;
    for (uint32_t a = 1; a <= PLAN_SEC_LAST; a++) {
        uint64_t a0 = l->sec[a].off, a1 = a0 + l->sec[a].size;
        if (a1 == a0)
            continue;
        if (a0 < dir_end)
            return fail(l, "plan section %u overlaps the section directory", a);
        for (uint32_t b = 1; b < a; b++) {
            uint64_t b0 = l->sec[b].off, b1 = b0 + l->sec[b].size;
            if (b1 > b0 && a0 < b1 && b0 < a1)
                return fail(l, "plan section %u overlaps section %u", a, b);
        }
    }
    return 0;
}

static int read_directory(struct loader *l)
{
    uint32_t n = rd32(l->p->bytes + 12);
    if (n > PLAN_MAX_SECTIONS ||
        (size_t)n * PLAN_SECTION_ENTRY_SIZE > l->p->size - PLAN_HEADER_SIZE)
        return fail(l, "plan section directory is too large");
    for (uint32_t i = 0; i < n; i++)
        if (check_section(l, l->p->bytes + PLAN_HEADER_SIZE + i * PLAN_SECTION_ENTRY_SIZE) != 0)
            return -1;
    for (uint32_t k = 1; k <= PLAN_SEC_NAMED_VALUES; k++)
        if (!l->sec[k].present)
            return fail(l, "plan section %u is missing", k);
    if (check_overlaps(l, n) != 0)
        return -1;
    if (l->sec[PLAN_SEC_SERVICE].count != 1)
        return fail(l, "plan must have exactly one service record");
    l->strings = l->p->bytes + l->sec[PLAN_SEC_STRINGS].off;
    l->strings_size = l->sec[PLAN_SEC_STRINGS].size;
    return 0;
}

/* ---- field readers ---- */

static uint32_t u32(struct cursor *c)
{
    uint32_t v = rd32(c->at);
    c->at += 4;
    return v;
}

static struct str str(struct cursor *c)
{
    uint32_t off = u32(c), len = u32(c);
    if (c->bad)
        return STR_NULL;
    /* Must lie inside the string section and be followed by a NUL. */
    if (off > c->l->strings_size || len >= c->l->strings_size - off ||
        c->l->strings[off + len] != '\0') {
        fail(c->l, "plan section %u record %u: bad string reference", c->kind, c->index);
        c->bad = true;
        return STR_NULL;
    }
    return (struct str){ (const char *)c->l->strings + off, len };
}

/* An index into a table of n records, or NONE where none_ok. */
static uint32_t idx(struct cursor *c, size_t n, bool none_ok)
{
    uint32_t v = u32(c);
    if (c->bad || (v == PLAN_NONE && none_ok))
        return v;
    if (v >= n) {
        fail(c->l, "plan section %u record %u: index %u out of range", c->kind, c->index, v);
        c->bad = true;
    }
    return v;
}

/* A range (first, count) inside a table of n records. */
static void range(struct cursor *c, size_t n, uint32_t *first, uint32_t *count)
{
    *first = u32(c);
    *count = u32(c);
    if (!c->bad && (*first > n || *count > n - *first)) {
        fail(c->l, "plan section %u record %u: range out of bounds", c->kind, c->index);
        c->bad = true;
    }
}

static struct cursor at(struct loader *l, uint32_t kind, uint32_t i)
{
    const unsigned char *rec =
        l->p->bytes + l->sec[kind].off + (size_t)i * plan_record_of(kind)->size;
    return (struct cursor){ l, rec, kind, i, false };
}

#define COUNT(l, k) ((size_t)(l)->sec[(k)].count)

/* One record of a section with a field list (plan_record.h) into its
 * native struct out: every string, index and range checked. */
static int read_record(struct loader *l, uint32_t kind, uint32_t i, const struct plan_record *r,
                       void *out)
{
    struct cursor c = at(l, kind, i);
    char *base = out;
    for (size_t k = 0; k < r->nfields && !c.bad; k++) {
        const struct plan_field *f = &r->fields[k];
        uint32_t v = 0;
        if (f->type == PLAN_F_STR) {
            struct str s = str(&c);
            memcpy(base + f->mem, &s, sizeof(s));
            continue;
        }
        if (f->type == PLAN_F_FIRST && k + 1 < r->nfields) {
            uint32_t n = 0;
            range(&c, COUNT(l, f->target), &v, &n);
            memcpy(base + r->fields[++k].mem, &n, sizeof(n));
        } else if (f->type == PLAN_F_INDEX || f->type == PLAN_F_INDEX_NONE) {
            v = idx(&c, COUNT(l, f->target), f->type == PLAN_F_INDEX_NONE);
        } else {
            v = u32(&c);
        }
        memcpy(base + f->mem, &v, sizeof(v));
    }
    return c.bad ? -1 : 0;
}

void *plan_read_table(struct loader *l, uint32_t kind, size_t *n)
{
    const struct plan_record *r = plan_record_of(kind);
    *n = COUNT(l, kind);
    char *t = xcalloc(*n ? *n : 1, r->native);
    for (uint32_t i = 0; i < *n; i++)
        if (read_record(l, kind, i, r, t + (size_t)i * r->native) != 0) {
            free(t);
            *n = 0;
            return NULL;
        }
    return t;
}

/* ---- tables ---- */

static int read_service(struct loader *l)
{
    size_t n;
    struct plan_service *s = plan_read_table(l, PLAN_SEC_SERVICE, &n);
    if (s == NULL)
        return -1;
    l->p->service = s[0]; /* read_directory checked there is exactly one */
    free(s);
    if (l->p->service.flags & ~(uint32_t)PLAN_SERVICE_ALLOW_UNENFORCED)
        return fail(l, "plan service record: unknown flags %#x", l->p->service.flags);
    return 0;
}

static int read_apis(struct loader *l)
{
    struct plan *p = l->p;
    p->apis = plan_read_table(l, PLAN_SEC_APIS, &p->napis);
    return p->apis ? 0 : -1;
}

static int check_operation(struct loader *l, uint32_t i)
{
    const struct plan_operation *o = &l->p->ops[i];
    if ((o->flags & ~PLAN_OP_FLAGS_KNOWN) || (o->reach & ~PLAN_SECTION_MASK))
        return fail(l, "plan operation %u: unknown flags or sections", i);
    if ((o->flags & (PLAN_OP_CLOSED | PLAN_OP_CLOSED_BARE)) && o->closed_why.len == 0)
        return fail(l, "plan operation %u fails closed without a reason", i);
    const struct plan_api *a = &l->p->apis[o->api];
    if (i < a->first_op || i - a->first_op >= a->nops)
        return fail(l, "plan operation %u lies outside its API's range", i);
    return 0;
}

static int read_operations(struct loader *l)
{
    struct plan *p = l->p;
    p->ops = plan_read_table(l, PLAN_SEC_OPERATIONS, &p->nops);
    if (p->ops == NULL)
        return -1;
    for (uint32_t i = 0; i < p->nops; i++) {
        if (check_operation(l, i) != 0)
            return -1;
    }
    /* ...and an API's range holds only its own operations. With the check
     * above the ranges partition the table, so this loop is linear. */
    for (uint32_t a = 0; a < p->napis; a++)
        for (uint32_t k = 0; k < p->apis[a].nops; k++)
            if (p->ops[p->apis[a].first_op + k].api != a)
                return fail(l, "plan API %u holds operation %u of API %u", a,
                            p->apis[a].first_op + k, p->ops[p->apis[a].first_op + k].api);
    return 0;
}

static int read_nodes(struct loader *l)
{
    struct plan *p = l->p;
    p->nodes = plan_read_table(l, PLAN_SEC_ROUTE_NODES, &p->nnodes);
    if (p->nodes == NULL)
        return -1;
    for (uint32_t i = 0; i < p->nnodes; i++) {
        const struct plan_node *n = &p->nodes[i];
        uint64_t nedges = (uint64_t)n->nliteral + n->npattern;
        if (n->first_edge > COUNT(l, PLAN_SEC_ROUTE_EDGES) ||
            nedges > COUNT(l, PLAN_SEC_ROUTE_EDGES) - n->first_edge)
            return fail(l, "plan route node %u: edges out of bounds", i);
        /* Children come after their parent: the tree has no cycles. */
        if (n->param_child != PLAN_NONE && n->param_child <= i)
            return fail(l, "plan route node %u: child %u does not follow it", i, n->param_child);
    }
    return 0;
}

static int read_edges(struct loader *l)
{
    struct plan *p = l->p;
    p->edges = plan_read_table(l, PLAN_SEC_ROUTE_EDGES, &p->nedges);
    if (p->edges == NULL)
        return -1;
    for (uint32_t i = 0; i < p->nnodes; i++) {
        const struct plan_node *n = &p->nodes[i];
        for (uint32_t e = 0; e < n->nliteral + n->npattern; e++)
            if (p->edges[n->first_edge + e].child <= i)
                return fail(l, "plan route node %u: child does not follow it", i);
    }
    return 0;
}

/* PLAN_SEC_OP_REFS and PLAN_SEC_PRODUCT_APIS: records of one index, kept
 * as uint32_t arrays (plan_record.c asserts the size). */
static int read_op_refs(struct loader *l)
{
    struct plan *p = l->p;
    p->op_refs = plan_read_table(l, PLAN_SEC_OP_REFS, &p->nop_refs);
    return p->op_refs ? 0 : -1;
}

static int read_queries(struct loader *l)
{
    struct plan *p = l->p;
    p->queries = plan_read_table(l, PLAN_SEC_QUERY_PARAMS, &p->nqueries);
    return p->queries ? 0 : -1;
}

static int read_version_sets(struct loader *l)
{
    struct plan *p = l->p;
    p->version_sets = plan_read_table(l, PLAN_SEC_VERSION_SETS, &p->nversion_sets);
    if (p->version_sets == NULL)
        return -1;
    for (uint32_t i = 0; i < p->nversion_sets; i++)
        if (p->version_sets[i].scheme > PLAN_SCHEME_HEADER)
            return fail(l, "plan version set %u: unknown scheme %u", i, p->version_sets[i].scheme);
    return 0;
}

static int read_products(struct loader *l)
{
    struct plan *p = l->p;
    p->products = plan_read_table(l, PLAN_SEC_PRODUCTS, &p->nproducts);
    if (p->products == NULL)
        return -1;
    for (uint32_t i = 0; i < p->nproducts; i++) {
        struct plan_product *pr = &p->products[i];
        if (pr->closed & ~PLAN_SECTION_MASK)
            return fail(l, "plan product %u: unknown sections %#x", i, pr->closed);
        for (unsigned k = 0; k < 4; k++)
            if ((pr->closed & (1u << k)) && plan_product_why(pr, k)->len == 0)
                return fail(l, "plan product %u fails closed without a reason", i);
    }
    p->product_apis = plan_read_table(l, PLAN_SEC_PRODUCT_APIS, &p->nproduct_apis);
    return p->product_apis ? 0 : -1;
}

static int read_subscriptions(struct loader *l)
{
    struct plan *p = l->p;
    p->subs = plan_read_table(l, PLAN_SEC_SUBSCRIPTIONS, &p->nsubs);
    if (p->subs == NULL)
        return -1;
    for (uint32_t i = 0; i < p->nsubs; i++) {
        const struct plan_subscription *s = &p->subs[i];
        if (s->scope_kind > PLAN_SCOPE_PRODUCT || s->state > PLAN_SUB_CANCELLED)
            return fail(l, "plan subscription %u: bad scope or state", i);
        /* The target indexes the products or the APIs, by scope kind. */
        size_t limit = s->scope_kind == PLAN_SCOPE_PRODUCT ? p->nproducts : p->napis;
        if (s->scope_target != PLAN_NONE && s->scope_target >= limit)
            return fail(l, "plan section %u record %u: index %u out of range",
                        PLAN_SEC_SUBSCRIPTIONS, i, s->scope_target);
    }
    return 0;
}

static int read_backends(struct loader *l)
{
    struct plan *p = l->p;
    p->backends = plan_read_table(l, PLAN_SEC_BACKENDS, &p->nbackends);
    return p->backends ? 0 : -1;
}

/* Optional (minor 1): without it every operation's contract is "". With
 * it, one record per operation, each empty or a JSON object's text. */
static int read_contracts(struct loader *l)
{
    struct plan *p = l->p;
    if (!l->sec[PLAN_SEC_OP_CONTRACTS].present)
        return 0;
    if (COUNT(l, PLAN_SEC_OP_CONTRACTS) != p->nops)
        return fail(l, "plan has %zu operation contracts for %zu operations",
                    COUNT(l, PLAN_SEC_OP_CONTRACTS), p->nops);
    size_t n;
    struct plan_op_contract *c = plan_read_table(l, PLAN_SEC_OP_CONTRACTS, &n);
    if (c == NULL)
        return -1;
    int rc = 0;
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        if (c[i].contract.len && c[i].contract.ptr[0] != '{')
            rc = fail(l, "plan operation %u: its contract is not a JSON object", i);
        p->ops[i].contract = c[i].contract;
    }
    free(c);
    return rc;
}

static int read_named_values(struct loader *l)
{
    struct plan *p = l->p;
    p->named_values = plan_read_table(l, PLAN_SEC_NAMED_VALUES, &p->nnamed_values);
    return p->named_values ? 0 : -1;
}

/* Each API's route tree must reach only its own operations and no other
 * API's nodes: a corrupted plan cannot route a request across APIs. */
static int check_trees(struct loader *l)
{
    struct plan *p = l->p;
    uint32_t *owner = xmalloc((p->nnodes ? p->nnodes : 1) * sizeof(uint32_t));
    uint32_t *stack = xmalloc((p->nnodes ? p->nnodes : 1) * sizeof(uint32_t));
    memset(owner, 0xFF, (p->nnodes ? p->nnodes : 1) * sizeof(uint32_t));
    int rc = 0;
    for (uint32_t a = 0; a < p->napis && rc == 0; a++) {
        size_t top = 0;
        if (owner[p->apis[a].route_root] != PLAN_NONE) {
            rc = fail(l, "plan API %u shares its route tree", a);
            break;
        }
        owner[p->apis[a].route_root] = a;
        stack[top++] = p->apis[a].route_root;
        while (top && rc == 0) {
            const struct plan_node *n = &p->nodes[stack[--top]];
            for (uint32_t k = 0; k < n->nops + n->nwild && rc == 0; k++) {
                uint32_t ref = k < n->nops ? n->first_op + k : n->first_wild + k - n->nops;
                if (p->ops[p->op_refs[ref]].api != a)
                    rc = fail(l, "plan API %u routes to another API's operation", a);
            }
            uint32_t nchild = n->nliteral + n->npattern + (n->param_child != PLAN_NONE);
            for (uint32_t k = 0; k < nchild && rc == 0; k++) {
                uint32_t child = k < n->nliteral + n->npattern ? p->edges[n->first_edge + k].child
                                                               : n->param_child;
                if (owner[child] != PLAN_NONE) {
                    rc = fail(l, "plan route node %u is reached twice", child);
                    break;
                }
                owner[child] = a;
                stack[top++] = child;
            }
        }
    }
    free(owner);
    free(stack);
    return rc;
}

static void hash_plan(struct plan *p)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(p->bytes, p->size, md, &n, EVP_sha256(), NULL);
    for (int i = 0; i < 8; i++)
        snprintf(p->hash + 2 * i, 3, "%02x", md[i]);
}

static int verify(struct loader *l)
{
    struct plan *p = l->p;
    if (check_header(l) || read_directory(l) || read_service(l) || read_apis(l) ||
        read_operations(l) || read_nodes(l) || read_edges(l) || read_op_refs(l) ||
        read_queries(l) || read_version_sets(l) || read_products(l) || read_subscriptions(l) ||
        read_backends(l) || read_named_values(l) || read_contracts(l) || check_trees(l) ||
        plan_steps_read(l) || plan_jobs_read(l))
        return -1;
    hash_plan(p);
    return 0;
}

const struct str *plan_closed_reason(const struct plan *p, uint32_t op, uint32_t product)
{
    const struct plan_operation *o = &p->ops[op];
    if ((o->flags & PLAN_OP_CLOSED) || (product == PLAN_NONE && (o->flags & PLAN_OP_CLOSED_BARE)))
        return &o->closed_why;
    if (product == PLAN_NONE || product >= p->nproducts)
        return NULL;
    uint32_t hit = o->reach & p->products[product].closed;
    for (unsigned k = 0; k < 4; k++)
        if (hit & (1u << k))
            return plan_product_why(&p->products[product], k);
    return NULL;
}

/* ---- loading ---- */

static int finish(struct plan *p, struct plan **out, char *err, size_t errlen)
{
    struct loader l = { .p = p, .err = err, .errlen = errlen };
    if (verify(&l) != 0) {
        plan_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

int plan_load_bytes(void *data, size_t len, struct plan **out, char *err, size_t errlen)
{
    struct plan *p = xcalloc(1, sizeof(*p));
    p->bytes = data;
    p->size = len;
    if (len > PLAN_MAX_SIZE) {
        snprintf(err, errlen, "plan is larger than %u bytes", PLAN_MAX_SIZE);
        plan_free(p);
        return -1;
    }
    return finish(p, out, err, errlen);
}

int plan_load_file(const char *path, struct plan **out, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_size < PLAN_HEADER_SIZE || st.st_size > PLAN_MAX_SIZE) {
        snprintf(err, errlen, "'%s' is not a routing plan (size %lld)", path,
                 (long long)st.st_size);
        close(fd);
        return -1;
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        snprintf(err, errlen, "cannot map '%s': %s", path, strerror(errno));
        return -1;
    }
    struct plan *p = xcalloc(1, sizeof(*p));
    p->bytes = m;
    p->size = (size_t)st.st_size;
    p->mapped = true;
    return finish(p, out, err, errlen);
}

void plan_free(struct plan *p)
{
    if (p == NULL)
        return;
    if (p->mapped)
        munmap((void *)p->bytes, p->size);
    else
        free((void *)p->bytes);
    free(p->apis);
    free(p->ops);
    free(p->nodes);
    free(p->edges);
    free(p->op_refs);
    free(p->queries);
    free(p->version_sets);
    free(p->products);
    free(p->product_apis);
    free(p->subs);
    free(p->backends);
    free(p->named_values);
    free(p->pipelines);
    free(p->steps);
    free(p->step_attrs);
    free(p->exprs);
    free(p->jobs);
    free(p);
}

const char *plan_scheme_name(uint32_t scheme)
{
    return scheme == PLAN_SCHEME_QUERY    ? "Query"
           : scheme == PLAN_SCHEME_HEADER ? "Header"
                                          : "Segment";
}

const char *plan_state_name(uint32_t state)
{
    static const char *const names[] = { "active",  "submitted", "suspended",
                                         "expired", "rejected",  "cancelled" };
    return state <= PLAN_SUB_CANCELLED ? names[state] : "unknown";
}
