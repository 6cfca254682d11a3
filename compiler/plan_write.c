/* plan_write.c - model -> routing plan bytes. See plan_format.h for the
 * layout; this file only fills the tables in that order. */
#include "plan_write.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "apim_limits.h"
#include "crc32.h"
#include "gateway_check.h"
#include "name_index.h"
#include "plan_format.h"
#include "plan_record.h"
#include "plan_write_int.h"
#include "stream_decl.h"
#include "url_template.h"

/* ---- byte tables ---- */

static void fail_oom(struct writer *w)
{
    if (!w->failed)
        diag_emit(w->m->diag, DC_TOO_LARGE, LOC_NONE, "the routing plan is larger than %u bytes",
                  PLAN_MAX_SIZE);
    w->failed = true;
}

static void put_u32(struct writer *w, struct table *t, uint32_t v)
{
    unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 24) };
    if (buf_append(&t->b, b, 4) != 0)
        fail_oom(w);
}

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void grow_interned(struct writer *w)
{
    size_t cap = w->interned_cap ? w->interned_cap * 2 : 1024;
    struct intern *t = xcalloc(cap, sizeof(*t));
    for (size_t i = 0; i < w->interned_cap; i++) {
        if (w->interned[i].hash == 0)
            continue;
        size_t j = w->interned[i].hash % cap;
        while (t[j].hash)
            j = (j + 1) % cap;
        t[j] = w->interned[i];
    }
    free(w->interned);
    w->interned = t;
    w->interned_cap = cap;
}

/* Interns s in the string section (every string is followed by a NUL) and
 * returns its offset. */
static uint32_t intern(struct writer *w, const char *s, size_t n)
{
    if (s == NULL)
        s = "", n = 0;
    if (2 * (w->interned_n + 1) > w->interned_cap)
        grow_interned(w);
    uint64_t h = fnv(s, n) | 1;
    size_t j = h % w->interned_cap;
    uint32_t off = 0;
    bool found = false;
    while (w->interned[j].hash) {
        struct intern *e = &w->interned[j];
        if (e->hash == h && e->len == n && memcmp(w->strings.data + e->off, s, n) == 0) {
            off = e->off, found = true;
            break;
        }
        j = (j + 1) % w->interned_cap;
    }
    if (!found) {
        off = (uint32_t)w->strings.len;
        if (buf_append(&w->strings, s, n) != 0 || buf_append(&w->strings, "", 1) != 0) {
            fail_oom(w);
            return 0;
        }
        w->interned[j] = (struct intern){ h, off, (uint32_t)n };
        w->interned_n++;
    }
    return off;
}

static void put_str(struct writer *w, struct table *t, const char *s, size_t n)
{
    put_u32(w, t, intern(w, s, s ? n : 0));
    put_u32(w, t, s ? (uint32_t)n : 0);
}

static const struct str *field_str(const void *rec, const struct plan_field *f)
{
    return (const struct str *)(const void *)((const char *)rec + f->mem);
}

void pw_put_record(struct writer *w, uint32_t kind, const void *rec)
{
    const struct plan_record *r = plan_record_of(kind);
    struct table *t = T(kind);
    for (size_t i = 0; i < r->nfields; i++) {
        const struct plan_field *f = &r->fields[i];
        if (f->type == PLAN_F_STR) {
            put_str(w, t, field_str(rec, f)->ptr, field_str(rec, f)->len);
        } else {
            uint32_t v;
            memcpy(&v, (const char *)rec + f->mem, sizeof(v));
            put_u32(w, t, v);
        }
    }
    t->count++;
}

void pw_intern_record(struct writer *w, uint32_t kind, const void *rec)
{
    const struct plan_record *r = plan_record_of(kind);
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].type == PLAN_F_STR)
            (void)intern(w, field_str(rec, &r->fields[i])->ptr, field_str(rec, &r->fields[i])->len);
}

/* s as a record's string field (NULL is written as ""). */
static struct str cstr(const char *s)
{
    return s ? str_from_cstr(s) : STR_NULL;
}

/* ---- choosing what to serve ---- */

static bool ieq(const char *a, const char *b)
{
    return a && b && str_ieq(str_from_cstr(a), str_from_cstr(b));
}

static bool has_apis(const struct model_service *s)
{
    for (const struct model_api *a = s->apis; a; a = a->next)
        if (!a->external)
            return true;
    return false;
}

/* Several services with APIs and no --service: say which there are. */
static void several_services(struct writer *w, size_t n)
{
    char names[400] = "";
    size_t used = 0;
    for (const struct model_service *s = w->m->services; s && used < sizeof(names); s = s->next)
        if (has_apis(s)) {
            int k =
                snprintf(names + used, sizeof(names) - used, "%s'%s'", used ? ", " : "", s->name);
            used += k > 0 ? (size_t)k : 0;
        }
    struct diag_entry *e = diag_emit(w->m->diag, DC_PLAN_SERVICE, LOC_NONE,
                                     "the configuration deploys %zu API Management services with "
                                     "APIs (%s); choose one with --service-name",
                                     n, names);
    for (const struct model_service *s = w->m->services; s; s = s->next)
        if (has_apis(s))
            diag_note(w->m->diag, e, s->loc, "service '%s' is declared here", s->name);
}

static const struct model_service *choose_service(struct writer *w)
{
    const struct model_service *pick = NULL;
    size_t with_apis = 0;
    for (const struct model_service *s = w->m->services; s; s = s->next) {
        if (w->opt->service && !ieq(s->name, w->opt->service))
            continue;
        if (has_apis(s) || w->opt->service) {
            with_apis++;
            if (pick == NULL)
                pick = s;
        }
    }
    if (w->opt->service && pick == NULL)
        diag_emit(w->m->diag, DC_PLAN_SERVICE, LOC_NONE,
                  "the configuration has no API Management service named '%s'", w->opt->service);
    else if (pick == NULL)
        diag_emit(w->m->diag, DC_PLAN_SERVICE, LOC_NONE, "the configuration has no API to serve");
    else if (with_apis > 1)
        several_services(w, with_apis);
    return with_apis == 1 ? pick : NULL;
}

/* APIs the gateway cannot serve were reported by gateway_check (APIM6004). */
static bool servable(struct writer *w, const struct model_api *a)
{
    if (a->external || a->not_served)
        return false;
    return w->opt->api_name == NULL || ieq(a->id, w->opt->api_name);
}

static void choose_apis(struct writer *w)
{
    size_t n = 0;
    for (const struct model_api *a = w->svc->apis; a; a = a->next)
        n++;
    w->apis = ARENA_ARRAY(w->arena, const struct model_api *, n + 1);
    for (const struct model_api *a = w->svc->apis; a; a = a->next)
        if (servable(w, a))
            w->apis[w->napis++] = a;
    if (w->opt->api_name && w->napis == 0)
        diag_emit(w->m->diag, DC_PLAN_API_FILTER, LOC_NONE, "service '%s' has no API '%s' to serve",
                  w->svc->name, w->opt->api_name);
}

static void *as_ref(uint32_t i)
{
    return (void *)(uintptr_t)(i + 1);
}

static uint32_t ref_of(void *p)
{
    return p ? (uint32_t)((uintptr_t)p - 1) : PLAN_NONE;
}

static void index_names(struct name_index *idx, struct arena *a, const char *id, uint32_t i)
{
    if (idx->arena == NULL)
        name_index_init(idx, a);
    if (id)
        name_index_add(idx, id, strlen(id), as_ref(i));
}

/* Builds the writer's lookups once the APIs are chosen. */
static void index_service(struct writer *w)
{
    struct name_index tail; /* an API id to its last record so far */
    name_index_init(&tail, w->arena);
    name_index_init(&w->api_first, w->arena);
    w->api_next = ARENA_ARRAY(w->arena, uint32_t, w->napis + 1);
    for (size_t k = 0; k < w->napis; k++) {
        const char *id = w->apis[k]->id;
        uint32_t prev = ref_of(name_index_find(&tail, id, strlen(id)));
        if (prev == PLAN_NONE)
            name_index_add(&w->api_first, id, strlen(id), as_ref((uint32_t)k));
        else
            w->api_next[prev] = (uint32_t)k + 1;
        name_index_put(&tail, id, strlen(id), as_ref((uint32_t)k));
    }
    uint32_t i = 0;
    for (const struct model_product *p = w->svc->products; p; p = p->next)
        index_names(&w->products, w->arena, p->id, i++);
    i = 0;
    for (const struct model_backend *b = w->svc->backends; b; b = b->next)
        index_names(&w->backends, w->arena, b->id, i++);
    i = 0;
    for (const struct model_version_set *v = w->svc->version_sets; v; v = v->next)
        index_names(&w->version_sets, w->arena, v->id, i++);
}

/* The first API record of id, PLAN_NONE if none; api_next_of walks on. */
static uint32_t api_first_of(const struct writer *w, const char *id)
{
    return id ? ref_of(name_index_find(&w->api_first, id, strlen(id))) : PLAN_NONE;
}

static uint32_t api_next_of(const struct writer *w, uint32_t i)
{
    return w->api_next[i] ? w->api_next[i] - 1 : PLAN_NONE;
}

/* ---- indexes ---- */

static uint32_t version_set_index(struct writer *w, const struct model_version_set *vs)
{
    if (w->version_sets.arena == NULL || vs->id == NULL)
        return PLAN_NONE;
    return ref_of(name_index_find(&w->version_sets, vs->id, strlen(vs->id)));
}

static uint32_t backend_index(struct writer *w, struct str id)
{
    if (w->backends.arena == NULL)
        return PLAN_NONE;
    return ref_of(name_index_find(&w->backends, id.ptr, id.len));
}

/* ---- what policies set (gateway_check.c says which it applies) ---- */

/* What an applied set-backend-service sets: the backend-id's index in
 * *backend, the base-url in *base_url (each left alone when not set). */
static void backend_from(struct writer *w, const struct model_policy *p, uint32_t *backend,
                         const char **base_url)
{
    if (p == NULL)
        return;
    for (const struct policy_element *e = p->outline.elements; e; e = e->next) {
        if (!e->is_policy || e->policy != POLICY_SET_BACKEND_SERVICE ||
            !gateway_check_applied(e, p->scope))
            continue;
        struct str id = policy_attr_literal(e, "backend-id");
        struct str url = policy_attr_literal(e, "base-url");
        if (id.len)
            *backend = backend_index(w, id);
        if (url.len)
            *base_url = arena_strndup(w->arena, url.ptr, url.len);
    }
}

/* ---- records ---- */

static void write_service(struct writer *w)
{
    const char *gw = w->opt->gateway_name;
    if (gw == NULL && w->svc->gateways)
        gw = w->svc->gateways->id;
    struct plan_service r = { .name = cstr(w->svc->name),
                              .gateway_name = cstr(gw ? gw : w->svc->name),
                              .flags =
                                  w->opt->allow_unenforced ? PLAN_SERVICE_ALLOW_UNENFORCED : 0 };
    pw_put_record(w, PLAN_SEC_SERVICE, &r);
}

static const char *trim_path(struct writer *w, const char *path)
{
    while (*path == '/')
        path++;
    size_t n = strlen(path);
    while (n && path[n - 1] == '/')
        n--;
    return arena_strndup(w->arena, path, n);
}

static unsigned protocol_flags(unsigned p)
{
    unsigned f = 0;
    f |= (p & MODEL_PROTO_HTTP) ? PLAN_API_HTTP : 0;
    f |= (p & MODEL_PROTO_HTTPS) ? PLAN_API_HTTPS : 0;
    f |= (p & MODEL_PROTO_WS) ? PLAN_API_WS : 0;
    f |= (p & MODEL_PROTO_WSS) ? PLAN_API_WSS : 0;
    return f;
}

/* ---- APIs and operations ---- */

static void write_query(struct writer *w, const char *tmpl, uint32_t *first, uint32_t *n)
{
    struct table *q = T(PLAN_SEC_QUERY_PARAMS);
    *first = q->count;
    *n = 0;
    const char *p = strchr(tmpl, '?');
    while (p && *++p) {
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        size_t nlen = eq ? (size_t)(eq - p) : len;
        const char *val = eq ? eq + 1 : p + len;
        size_t vlen = eq ? len - nlen - 1 : 0;
        bool param = vlen >= 2 && val[0] == '{' && val[vlen - 1] == '}';
        struct plan_query r = { .name = { p, nlen },
                                .value = param ? STR_LIT("") : (struct str){ val, vlen },
                                .flags = param ? PLAN_QUERY_PARAM : 0 };
        pw_put_record(w, PLAN_SEC_QUERY_PARAMS, &r);
        (*n)++;
        p = strchr(p, '&');
    }
}

static bool wildcard(const char *tmpl)
{
    size_t n = strcspn(tmpl, "?");
    return n >= 2 && tmpl[n - 1] == '*' && tmpl[n - 2] == '/';
}

/* The operation's contract record (PLAN_SEC_OP_CONTRACTS, same order). */
static void write_contract(struct writer *w, const struct model_operation *op)
{
    struct buf json;
    buf_init(&json, APIM_MAX_OP_CONTRACT);
    if (model_operation_contract(op, &json) != 0) {
        diag_emit(w->m->diag, DC_OPERATION_CONTRACT, op->loc,
                  "operation '%s': its parameters, request and responses take more than %u "
                  "bytes as JSON, or nest deeper than %u levels",
                  op->id, APIM_MAX_OP_CONTRACT, APIM_MAX_JSON_DEPTH);
        buf_reset(&json);
    }
    bool empty = json.len <= 2; /* "{}" */
    struct plan_op_contract r = { .contract =
                                      empty ? STR_LIT("") : (struct str){ json.data, json.len } };
    pw_put_record(w, PLAN_SEC_OP_CONTRACTS, &r);
    buf_release(&json);
}

/* The operation's record. Its strings are interned before its query
 * parameters' and its reason after them, in the order the text is met, so
 * the string section is laid out as it always was. */
static void write_operation(struct writer *w, const struct model_operation *op, uint32_t api,
                            uint32_t api_backend)
{
    /* An operation's set-backend-service runs after the API's (through
     * <base />), so what it sets wins for this operation. */
    uint32_t backend = api_backend;
    const char *base_url = op->backend_url;
    backend_from(w, op->policy, &backend, &base_url);
    struct plan_operation r = {
        .id = cstr(op->id),
        .display_name = cstr(op->display_name ? op->display_name : op->id),
        .method = cstr(op->method),
        .url_template = cstr(op->url_template),
        .backend_url = cstr(base_url),
        .api = api,
        .backend = backend,
        .reach = op->reach,
    };
    pw_intern_record(w, PLAN_SEC_OPERATIONS, &r);
    write_query(w, op->url_template, &r.first_query, &r.nquery);
    r.flags = wildcard(op->url_template) ? PLAN_OP_WILDCARD : 0;
    r.flags |= op->closed ? PLAN_OP_CLOSED : 0;
    r.flags |= op->closed_bare ? PLAN_OP_CLOSED_BARE : 0;
    r.closed_why = cstr(op->closed || op->closed_bare ? op->closed_why : NULL);
    w->ops[T(PLAN_SEC_OPERATIONS)->count] = op;
    pw_put_record(w, PLAN_SEC_OPERATIONS, &r);
    write_contract(w, op);
}

static void write_operations(struct writer *w, const struct model_api *a, uint32_t api,
                             uint32_t api_backend)
{
    for (const struct model_operation *op = a->ops; op; op = op->next)
        if (op->method && op->url_template)
            write_operation(w, op, api, api_backend);
}

static void write_api(struct writer *w, const struct model_api *a, uint32_t index,
                      uint32_t global_backend, const char *global_url)
{
    uint32_t backend = global_backend;
    const char *service_url = a->service_url;
    const char *base_url = NULL;
    backend_from(w, a->policy, &backend, &base_url);
    if (base_url)
        service_url = base_url;
    else if (service_url == NULL)
        service_url = global_url;
    char *end;
    long rev = strtol(a->revision ? a->revision : "1", &end, 10);
    struct plan_api r = {
        .id = cstr(a->id),
        .display_name = cstr(a->display_name ? a->display_name : a->id),
        .path = cstr(trim_path(w, a->path)),
        .service_url = cstr(service_url),
        .version = cstr(a->version),
        .key_header = cstr(a->key_header ? a->key_header : "Ocp-Apim-Subscription-Key"),
        .key_query = cstr(a->key_query ? a->key_query : "subscription-key"),
        .revision = rev > 0 && *end == '\0' ? (uint32_t)rev : 1,
        .flags = protocol_flags(a->protocols) | (a->is_current ? PLAN_API_CURRENT : 0) |
                 (a->subscription_required ? PLAN_API_SUB_REQUIRED : 0),
        .version_set = a->version_set ? version_set_index(w, a->version_set) : PLAN_NONE,
        .backend = backend,
        .first_op = T(PLAN_SEC_OPERATIONS)->count,
    };
    /* Its strings come before its operations' in the string section. */
    pw_intern_record(w, PLAN_SEC_APIS, &r);
    write_operations(w, a, index, backend);
    r.nops = T(PLAN_SEC_OPERATIONS)->count - r.first_op;
    r.route_root = pw_write_routes(w, r.first_op, r.nops);
    pw_put_record(w, PLAN_SEC_APIS, &r);
}

static void write_apis(struct writer *w)
{
    size_t nops = 0;
    for (size_t i = 0; i < w->napis; i++)
        nops += w->apis[i]->nops;
    w->ops = ARENA_ARRAY(w->arena, const struct model_operation *, nops + 1);
    uint32_t global_backend = PLAN_NONE;
    const char *global_url = NULL;
    backend_from(w, w->svc->policy, &global_backend, &global_url);
    for (size_t i = 0; i < w->napis; i++)
        write_api(w, w->apis[i], (uint32_t)i, global_backend, global_url);
}

/* ---- the rest of the service ---- */

static void write_version_sets(struct writer *w)
{
    for (const struct model_version_set *v = w->svc->version_sets; v; v = v->next) {
        uint32_t scheme = ieq(v->scheme, "Query")    ? PLAN_SCHEME_QUERY
                          : ieq(v->scheme, "Header") ? PLAN_SCHEME_HEADER
                                                     : PLAN_SCHEME_SEGMENT;
        struct plan_version_set r = { .id = cstr(v->id),
                                      .display_name =
                                          cstr(v->display_name ? v->display_name : v->id),
                                      .query_name = cstr(v->query_name),
                                      .header_name = cstr(v->header_name),
                                      .scheme = scheme };
        pw_put_record(w, PLAN_SEC_VERSION_SETS, &r);
    }
}

static uint32_t product_index(struct writer *w, const char *id)
{
    if (w->products.arena == NULL || id == NULL)
        return PLAN_NONE;
    return ref_of(name_index_find(&w->products, id, strlen(id)));
}

/* The product links in product order (declaration order within one), as
 * [start[k], start[k + 1]) of the returned array for the k-th product: one
 * pass, not a scan of every link per product. */
static const struct model_product_api **links_by_product(struct writer *w, size_t nproducts,
                                                         size_t **start)
{
    size_t n = 0;
    *start = ARENA_ARRAY(w->arena, size_t, nproducts + 2);
    for (const struct model_product_api *l = w->svc->links; l; l = l->next, n++) {
        uint32_t k = l->product ? product_index(w, l->product->id) : PLAN_NONE;
        if (k != PLAN_NONE)
            (*start)[k + 2]++;
    }
    for (size_t k = 2; k < nproducts + 2; k++)
        (*start)[k] += (*start)[k - 1];
    const struct model_product_api **v =
        ARENA_ARRAY(w->arena, const struct model_product_api *, n + 1);
    for (const struct model_product_api *l = w->svc->links; l; l = l->next) {
        uint32_t k = l->product ? product_index(w, l->product->id) : PLAN_NONE;
        if (k != PLAN_NONE)
            v[(*start)[k + 1]++] = l;
    }
    return v;
}

static const char *closed_why(const struct model_product *p, unsigned sec)
{
    return p->closed & (1u << sec) ? p->closed_why[sec] : NULL;
}

static void write_product(struct writer *w, const struct model_product *p, uint32_t flags,
                          uint32_t first, uint32_t n)
{
    _Static_assert(POLICY_NSECTIONS == 4, "a product record has four reasons");
    struct plan_product r = { .id = cstr(p->id),
                              .display_name = cstr(p->display_name ? p->display_name : p->id),
                              .flags = flags,
                              .first_api = first,
                              .napis = n,
                              .closed = p->closed,
                              .why_inbound = cstr(closed_why(p, 0)),
                              .why_backend = cstr(closed_why(p, 1)),
                              .why_outbound = cstr(closed_why(p, 2)),
                              .why_on_error = cstr(closed_why(p, 3)) };
    pw_put_record(w, PLAN_SEC_PRODUCTS, &r);
}

static void write_products(struct writer *w)
{
    struct table *links = T(PLAN_SEC_PRODUCT_APIS);
    size_t nproducts = 0, *start;
    for (const struct model_product *p = w->svc->products; p; p = p->next)
        nproducts++;
    const struct model_product_api **by_product = links_by_product(w, nproducts, &start);
    size_t k = 0;
    for (const struct model_product *p = w->svc->products; p; p = p->next, k++) {
        unsigned flags = p->subscription_required ? PLAN_PRODUCT_SUB_REQUIRED : 0;
        flags |= p->approval_required ? PLAN_PRODUCT_APPROVAL : 0;
        flags |= ieq(p->state, "published") ? PLAN_PRODUCT_PUBLISHED : 0;
        uint32_t first = links->count;
        for (size_t j = start[k]; j < start[k + 1]; j++) {
            const struct model_product_api *l = by_product[j];
            if (l->product != p)
                continue; /* a product declared twice: the first one holds the links */
            /* A product holds an API with all its revisions. */
            for (uint32_t i = api_first_of(w, l->api_id); i != PLAN_NONE; i = api_next_of(w, i)) {
                struct plan_product_api link = { .api = i };
                pw_put_record(w, PLAN_SEC_PRODUCT_APIS, &link);
            }
        }
        write_product(w, p, flags, first, links->count - first);
    }
}

void plan_generated_key(const char *service, const char *sub, const char *which, char out[33])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char input[1024];
    int len = snprintf(input, sizeof(input), "apimlocal|%s|%s|%s", service, sub, which);
    EVP_Digest(input, (size_t)(len < 0 ? 0 : len), md, &n, EVP_sha256(), NULL);
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static uint32_t sub_state(const char *state)
{
    static const char *const names[] = { "active",  "submitted", "suspended",
                                         "expired", "rejected",  "cancelled" };
    if (state == NULL)
        return PLAN_SUB_SUBMITTED; /* what Azure makes of a subscription without state */
    for (uint32_t i = 0; i < 6; i++)
        if (ieq(state, names[i]))
            return i;
    return PLAN_SUB_SUBMITTED;
}

static void write_subscription(struct writer *w, const char *id, const char *name,
                               const char *primary, const char *secondary, const char *scope,
                               uint32_t kind, uint32_t target, uint32_t state, uint32_t flags)
{
    char gp[33], gs[33];
    if (primary == NULL) {
        plan_generated_key(w->svc->name, id, "primary", gp);
        primary = gp;
        flags |= PLAN_SUB_GENERATED_KEYS;
    }
    if (secondary == NULL) {
        plan_generated_key(w->svc->name, id, "secondary", gs);
        secondary = gs;
        flags |= PLAN_SUB_GENERATED_KEYS;
    }
    struct plan_subscription r = { .id = cstr(id),
                                   .display_name = cstr(name ? name : id),
                                   .primary_key = cstr(primary),
                                   .secondary_key = cstr(secondary),
                                   .scope = cstr(scope),
                                   .scope_kind = kind,
                                   .scope_target = target,
                                   .state = state,
                                   .flags = flags };
    pw_put_record(w, PLAN_SEC_SUBSCRIPTIONS, &r);
}

static void write_subscriptions(struct writer *w)
{
    bool has_master = false;
    for (const struct model_subscription *s = w->svc->subscriptions; s; s = s->next) {
        uint32_t kind = PLAN_SCOPE_ALL, target = PLAN_NONE;
        if (s->scope_kind == MODEL_SUB_API) {
            kind = PLAN_SCOPE_API;
            target = api_first_of(w, s->scope_target);
        } else if (s->scope_kind == MODEL_SUB_PRODUCT) {
            kind = PLAN_SCOPE_PRODUCT;
            target = product_index(w, s->scope_target);
        } else if (s->scope_kind == MODEL_SUB_INVALID) {
            continue; /* reported by the checks; it grants nothing */
        }
        has_master |= ieq(s->id, "master");
        write_subscription(w, s->id, s->display_name, s->primary_key, s->secondary_key,
                           s->scope ? s->scope : "", kind, target, sub_state(s->state),
                           s->allow_tracing ? PLAN_SUB_ALLOW_TRACING : 0);
    }
    /* Every API Management instance has a built-in all-access subscription. */
    if (!has_master)
        write_subscription(w, "master", "Built-in all-access subscription", NULL, NULL, "/",
                           PLAN_SCOPE_ALL, PLAN_NONE, PLAN_SUB_ACTIVE,
                           PLAN_SUB_ALLOW_TRACING | PLAN_SUB_BUILT_IN);
}

static bool tls_flag_false(const struct jval *body, const char *key)
{
    const struct jval *v = jval_get(jval_get(body, "tls"), key);
    return v && v->kind == JV_BOOL && !v->u.b;
}

static void write_backends(struct writer *w)
{
    for (const struct model_backend *b = w->svc->backends; b; b = b->next) {
        unsigned flags = ieq(b->type, "Pool") ? PLAN_BACKEND_POOL : 0;
        flags |=
            tls_flag_false(b->body, "validateCertificateChain") ? PLAN_BACKEND_NO_CHAIN_CHECK : 0;
        flags |=
            tls_flag_false(b->body, "validateCertificateName") ? PLAN_BACKEND_NO_NAME_CHECK : 0;
        struct plan_backend r = {
            .id = cstr(b->id), .url = cstr(b->url), .protocol = cstr(b->protocol), .flags = flags
        };
        pw_put_record(w, PLAN_SEC_BACKENDS, &r);
    }
}

static void write_named_values(struct writer *w)
{
    for (const struct model_named_value *nv = w->svc->named_values; nv; nv = nv->next) {
        const char *value = nv->value && nv->value->kind == JV_STRING ? nv->value->u.s.ptr : "";
        unsigned flags = nv->secret ? PLAN_NV_SECRET : 0;
        flags |= nv->key_vault ? PLAN_NV_KEY_VAULT : 0;
        struct plan_named_value r = { .id = cstr(nv->id),
                                      .display_name =
                                          cstr(nv->display_name ? nv->display_name : nv->id),
                                      .value = cstr(value),
                                      .flags = flags };
        pw_put_record(w, PLAN_SEC_NAMED_VALUES, &r);
    }
}

/* ---- streaming jobs ---- */

/* Every job of the run, in every plan the run writes: jobs belong to the
 * configuration, not to one service. */
static void write_jobs(struct writer *w)
{
    const struct stream_decls *s = w->m->streams;
    for (const struct stream_job *j = s ? s->jobs : NULL; j; j = j->next) {
        struct plan_job r = { .name = cstr(j->name),
                              .definition = { j->definition, j->definition_len },
                              .hash = { j->hash, 64 },
                              .flags = j->auto_start ? PLAN_JOB_AUTO_START : 0 };
        pw_put_record(w, PLAN_SEC_JOBS, &r);
        w->jobs = true;
    }
}

/* ---- the file ---- */

static void le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* The sections in file order; the pipelines' (minor 2) only when written,
 * so a configuration without policies gets the 2.1 plan it had before. */
static const enum plan_section order[] = {
    PLAN_SEC_SERVICE,       PLAN_SEC_APIS,
    PLAN_SEC_OPERATIONS,    PLAN_SEC_ROUTE_NODES,
    PLAN_SEC_ROUTE_EDGES,   PLAN_SEC_OP_REFS,
    PLAN_SEC_QUERY_PARAMS,  PLAN_SEC_VERSION_SETS,
    PLAN_SEC_PRODUCTS,      PLAN_SEC_PRODUCT_APIS,
    PLAN_SEC_SUBSCRIPTIONS, PLAN_SEC_BACKENDS,
    PLAN_SEC_NAMED_VALUES,  PLAN_SEC_OP_CONTRACTS,
    PLAN_SEC_PIPELINES,     PLAN_SEC_STEPS,
    PLAN_SEC_STEP_ATTRS,    PLAN_SEC_EXPRS,
    PLAN_SEC_OP_PIPELINES,  PLAN_SEC_PRODUCT_PIPELINES,
    PLAN_SEC_JOBS,          PLAN_SEC_STRINGS,
};

#define MAXSECTIONS (sizeof(order) / sizeof(order[0]))

static int assemble(struct writer *w, struct buf *out)
{
    enum plan_section list[MAXSECTIONS];
    size_t nsections = 0;
    for (size_t i = 0; i < MAXSECTIONS; i++)
        if (order[i] == PLAN_SEC_JOBS
                ? w->jobs
                : w->pipelines || order[i] < PLAN_SEC_PIPELINES || order[i] == PLAN_SEC_STRINGS)
            list[nsections++] = order[i];
    memcpy(&w->t[PLAN_SEC_STRINGS].b, &w->strings, sizeof(struct buf));
    size_t dir = PLAN_HEADER_SIZE, pos = dir + nsections * PLAN_SECTION_ENTRY_SIZE;
    size_t offsets[MAXSECTIONS];
    for (size_t i = 0; i < nsections; i++) {
        pos = (pos + 7) & ~(size_t)7;
        offsets[i] = pos;
        pos += w->t[list[i]].b.len;
    }
    if (pos > PLAN_MAX_SIZE) {
        fail_oom(w);
        return -1;
    }
    unsigned char *file = xcalloc(1, pos);
    memcpy(file, PLAN_MAGIC, PLAN_MAGIC_SIZE);
    file[8] = PLAN_VERSION_MAJOR;
    file[10] = w->jobs ? PLAN_VERSION_MINOR : w->pipelines ? 2 : 1;
    le32(file + 12, (uint32_t)nsections);
    le32(file + 16, (uint32_t)pos);
    for (size_t i = 0; i < nsections; i++) {
        const struct table *t = &w->t[list[i]];
        unsigned char *e = file + dir + i * PLAN_SECTION_ENTRY_SIZE;
        le32(e, (uint32_t)list[i]);
        le32(e + 4, (uint32_t)offsets[i]);
        le32(e + 8, (uint32_t)t->b.len);
        le32(e + 12, list[i] == PLAN_SEC_STRINGS ? 0 : t->count);
        if (t->b.len)
            memcpy(file + offsets[i], t->b.data, t->b.len);
    }
    le32(file + 20, crc32_update(0, file + 24, pos - 24));
    int rc = buf_append(out, file, pos);
    free(file);
    return rc;
}

int plan_write(struct model *m, const struct plan_options *o, struct buf *out)
{
    struct writer w = { .m = m, .arena = m->arena, .opt = o };
    unsigned errors = m->diag->nerrors;
    buf_init(&w.strings, PLAN_MAX_SIZE);
    for (size_t i = 0; i <= PLAN_SEC_LAST; i++)
        buf_init(&w.t[i].b, PLAN_MAX_SIZE);
    (void)intern(&w, "", 0); /* offset 0 is the empty string */
    int rc = -1;
    w.svc = choose_service(&w);
    if (w.svc == NULL)
        goto out;
    choose_apis(&w);
    index_service(&w);
    write_service(&w);
    write_version_sets(&w);
    write_apis(&w);
    write_products(&w);
    write_subscriptions(&w);
    write_backends(&w);
    write_named_values(&w);
    w.pipelines = pw_has_policies(&w);
    if (w.pipelines)
        pw_write_pipelines(&w);
    write_jobs(&w);
    if (!w.failed && m->diag->nerrors == errors)
        rc = assemble(&w, out);
out:
    for (size_t i = 0; i <= PLAN_SEC_LAST; i++)
        if (i != PLAN_SEC_STRINGS)
            buf_release(&w.t[i].b);
    buf_release(&w.strings);
    free(w.interned);
    return rc;
}
