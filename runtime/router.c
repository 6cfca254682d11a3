#include "router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* APIs grouped by path: the versions and revisions of one API share one. */
struct api_group {
    struct str path; /* lower case, as in the plan */
    uint32_t *apis;
    size_t n;
};

struct router {
    const struct plan *plan;
    struct api_group *groups; /* sorted by path */
    size_t ngroups;
    char *lower; /* lower-cased API paths */
};

static int cmp_group(const void *a, const void *b)
{
    const struct api_group *x = a, *y = b;
    size_t n = x->path.len < y->path.len ? x->path.len : y->path.len;
    int d = n ? memcmp(x->path.ptr, y->path.ptr, n) : 0;
    return d ? d : (x->path.len > y->path.len) - (x->path.len < y->path.len);
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

struct router *router_new(const struct plan *p)
{
    struct router *r = xcalloc(1, sizeof(*r));
    size_t total = 0;
    for (size_t i = 0; i < p->napis; i++)
        total += p->apis[i].path.len + 1;
    r->plan = p;
    r->lower = xmalloc(total + 1);
    r->groups = xcalloc(p->napis + 1, sizeof(*r->groups));
    char *at = r->lower;
    for (uint32_t i = 0; i < p->napis; i++) {
        struct str path = p->apis[i].path;
        for (size_t k = 0; k < path.len; k++)
            at[k] = lower(path.ptr[k]);
        struct str key = { at, path.len };
        at += path.len + 1;
        struct api_group *g = NULL;
        for (size_t k = 0; k < r->ngroups && g == NULL; k++)
            if (str_eq(r->groups[k].path, key))
                g = &r->groups[k];
        if (g == NULL) {
            g = &r->groups[r->ngroups++];
            g->path = key;
            g->apis = xcalloc(p->napis, sizeof(uint32_t));
        }
        g->apis[g->n++] = i;
    }
    qsort(r->groups, r->ngroups, sizeof(*r->groups), cmp_group);
    return r;
}

void router_free(struct router *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->ngroups; i++)
        free(r->groups[i].apis);
    free(r->groups);
    free(r->lower);
    free(r);
}

static const struct api_group *find_group(const struct router *r, struct str path)
{
    size_t lo = 0, hi = r->ngroups;
    struct api_group key = { path, NULL, 0 };
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = cmp_group(&key, &r->groups[mid]);
        if (d == 0)
            return &r->groups[mid];
        if (d < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* ---- the request path ---- */

struct segments {
    struct str raw[ROUTER_MAX_SEGMENTS];  /* as received */
    struct str text[ROUTER_MAX_SEGMENTS]; /* decoded */
    size_t n;
    const char *end; /* end of the raw path */
};

/* Splits "/a/b/c/" into a, b, c: a trailing slash does not count. */
static bool split(struct arena *a, struct str path, struct segments *s)
{
    s->n = 0;
    s->end = path.ptr + path.len;
    const char *p = path.ptr, *end = s->end;
    if (p < end && *p == '/')
        p++;
    while (p < end) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *e = slash ? slash : end;
        if (slash == NULL && e == p)
            break;
        if (s->n == ROUTER_MAX_SEGMENTS)
            return false;
        s->raw[s->n] = (struct str){ p, (size_t)(e - p) };
        s->text[s->n] = gw_decode(a, s->raw[s->n]);
        s->n++;
        if (slash == NULL)
            break;
        p = slash + 1;
    }
    return true;
}

/* The raw path from segment i on ("/x/y"), or "" past the end. */
static struct str rest_from(const struct segments *s, size_t i)
{
    if (i >= s->n)
        return (struct str){ "", 0 };
    const char *b = s->raw[i].ptr - 1; /* include the '/' before it */
    return (struct str){ b, (size_t)(s->end - b) };
}

/* ---- APIs, versions, revisions ---- */

struct api_pick {
    const struct api_group *group;
    size_t consumed; /* path segments used by the API path */
    long revision;   /* -1: none asked */
};

/* Lower-cases segments [0, k) joined by '/', dropping ";rev=N" from the last
 * one (and reporting N). */
static struct str prefix_key(struct arena *a, const struct segments *s, size_t k, long *rev)
{
    size_t len = 0;
    for (size_t i = 0; i < k; i++)
        len += s->text[i].len + 1;
    char *out = arena_alloc(a, len + 1);
    size_t o = 0;
    *rev = -1;
    for (size_t i = 0; i < k; i++) {
        /* An encoded slash is not a segment boundary: such a segment is
         * compared as received, so it cannot stand for two of the path. */
        struct str t = memchr(s->text[i].ptr, '/', s->text[i].len) ? s->raw[i] : s->text[i];
        if (i + 1 == k) {
            const char *semi = memchr(t.ptr, ';', t.len);
            if (semi && (size_t)(t.ptr + t.len - semi) > 5 && strncmp(semi, ";rev=", 5) == 0) {
                char *e;
                long n = strtol(semi + 5, &e, 10);
                if (e == t.ptr + t.len && n > 0) {
                    *rev = n;
                    t.len = (size_t)(semi - t.ptr);
                }
            }
        }
        if (i)
            out[o++] = '/';
        for (size_t c = 0; c < t.len; c++)
            out[o++] = lower(t.ptr[c]);
    }
    return (struct str){ out, o };
}

static bool find_api_path(const struct router *r, struct arena *a, const struct segments *s,
                          struct api_pick *pick)
{
    for (size_t k = s->n + 1; k-- > 0;) {
        long rev;
        struct str key = prefix_key(a, s, k, &rev);
        const struct api_group *g = find_group(r, key);
        if (g) {
            *pick = (struct api_pick){ g, k, rev };
            return true;
        }
    }
    return false;
}

static const struct plan_version_set *version_set_of(const struct plan *p,
                                                     const struct api_group *g)
{
    for (size_t i = 0; i < g->n; i++)
        if (p->apis[g->apis[i]].version_set != PLAN_NONE)
            return &p->version_sets[p->apis[g->apis[i]].version_set];
    return NULL;
}

/* The version the request asks for, or "" for the Original. May consume a
 * path segment (Segment scheme). */
static struct str requested_version(const struct gw_request *req, const struct plan *p,
                                    const struct api_group *g, const struct segments *s,
                                    size_t *consumed)
{
    const struct plan_version_set *vs = version_set_of(p, g);
    if (vs == NULL)
        return (struct str){ "", 0 };
    if (vs->scheme == PLAN_SCHEME_SEGMENT) {
        if (*consumed < s->n) {
            struct str seg = s->text[*consumed];
            for (size_t i = 0; i < g->n; i++) {
                if (str_ieq(p->apis[g->apis[i]].version, seg) && seg.len) {
                    (*consumed)++;
                    return seg;
                }
            }
        }
        return (struct str){ "", 0 };
    }
    if (vs->scheme == PLAN_SCHEME_QUERY) {
        bool found;
        struct str v = gw_query_get(req->arena, req->raw_query, vs->query_name, &found);
        return found ? v : (struct str){ "", 0 };
    }
    char name[256];
    snprintf(name, sizeof(name), "%.*s", (int)vs->header_name.len, vs->header_name.ptr);
    const struct gw_header *h = gw_headers_get(&req->headers, name);
    return h ? h->value : (struct str){ "", 0 };
}

/* Among the group's APIs of that version: revision rev, else the current
 * one. A revision that is not current is served only at ';rev=N', never at
 * the plain path, as in Azure (docs: api-management-revisions): when the
 * current revision is not in the plan, the plain path finds no API. */
static long choose_api(const struct plan *p, const struct api_group *g, struct str version,
                       long rev)
{
    for (size_t i = 0; i < g->n; i++) {
        const struct plan_api *a = &p->apis[g->apis[i]];
        if (!str_ieq(a->version, version))
            continue;
        if (rev >= 0 ? a->revision == (uint32_t)rev : (a->flags & PLAN_API_CURRENT) != 0)
            return g->apis[i];
    }
    return -1; /* a revision that does not exist, or no current one */
}

/* ---- operations ---- */

struct op_search {
    const struct plan *p;
    const struct gw_request *req;
    const struct segments *s;
    struct str method;
    long best;        /* operation index */
    size_t best_rank; /* query parameters matched + 1 */
    size_t best_end;  /* segments consumed when found */
};

/* 0 if op does not accept the request's query; else 1 + the number of query
 * parameters of its template (more named = more specific). */
static size_t query_rank(const struct op_search *q, const struct plan_operation *op)
{
    for (uint32_t i = 0; i < op->nquery; i++) {
        const struct plan_query *pq = &q->p->queries[op->first_query + i];
        bool found;
        struct str v = gw_query_get(q->req->arena, q->req->raw_query, pq->name, &found);
        if (!found || (!(pq->flags & PLAN_QUERY_PARAM) && !str_eq(v, pq->value)))
            return 0;
    }
    return 1 + op->nquery;
}

static bool consider(struct op_search *q, uint32_t first, uint32_t n, size_t end)
{
    bool any = false;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t op = q->p->op_refs[first + i];
        const struct plan_operation *o = &q->p->ops[op];
        if (!str_ieq(o->method, q->method))
            continue;
        size_t rank = query_rank(q, o);
        if (rank > q->best_rank) {
            q->best = op;
            q->best_rank = rank;
            q->best_end = end;
            any = true;
        }
    }
    return any;
}

/* Where the holes of a pattern segment ("{id}.json", "{from}-{to}") fall
 * in seg. A hole takes at least one character; literal text compares
 * without case. This is glob matching with "?*" per hole, done the classic
 * way: only the last hole is ever widened, so the work is linear for real
 * patterns and at most len(pat) x len(seg) for hostile input, with no
 * recursion. Holes come out as short as they can be, left to right. */
struct holes {
    size_t n, start[ROUTER_MAX_PARAMS], end[ROUTER_MAX_PARAMS];
};

static size_t after_hole(struct str pat, size_t p)
{
    const char *close = memchr(pat.ptr + p, '}', pat.len - p);
    return close ? (size_t)(close - pat.ptr) + 1 : 0;
}

static bool pattern_scan(struct str pat, struct str seg, struct holes *h)
{
    size_t p = 0, s = 0, k = 0;    /* pattern position, segment position, holes seen */
    size_t rp = 0, rs = 0, rk = 0; /* where to resume after widening the last hole */
    bool widen = false;
    while (s < seg.len) {
        if (p < pat.len && pat.ptr[p] == '{') {
            size_t after = after_hole(pat, p);
            if (after == 0 || k == ROUTER_MAX_PARAMS)
                return false;
            h->start[k] = s;
            h->end[k] = ++s;
            p = after;
            rp = p, rs = s, rk = ++k;
            widen = true;
        } else if (p < pat.len && lower(pat.ptr[p]) == lower(seg.ptr[s])) {
            p++, s++;
        } else if (widen) {
            h->end[rk - 1] = ++rs;
            p = rp, s = rs, k = rk;
        } else {
            return false;
        }
    }
    h->n = k;
    return p == pat.len; /* what is left needs text, or a hole its character */
}

static bool pattern_match(struct str pat, struct str seg)
{
    struct holes h;
    return pattern_scan(pat, seg, &h);
}

static int cmp_lower(struct str a, struct str seg)
{
    size_t n = a.len < seg.len ? a.len : seg.len;
    for (size_t i = 0; i < n; i++) {
        int d = (unsigned char)a.ptr[i] - (unsigned char)lower(seg.ptr[i]);
        if (d)
            return d;
    }
    return (a.len > seg.len) - (a.len < seg.len);
}

static const struct plan_edge *literal_edge(const struct plan *p, const struct plan_node *n,
                                            struct str seg)
{
    size_t lo = 0, hi = n->nliteral;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct plan_edge *e = &p->edges[n->first_edge + mid];
        int d = cmp_lower(e->segment, seg);
        if (d == 0)
            return e;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Depth-first through the tree: the first branch (in precedence order)
 * that ends in an operation for the method wins. Depth is bounded by the
 * segment count, and every child comes after its node. */
static bool walk(struct op_search *q, uint32_t node, size_t i)
{
    const struct plan_node *n = &q->p->nodes[node];
    if (i == q->s->n) {
        if (consider(q, n->first_op, n->nops, i))
            return true;
        return consider(q, n->first_wild, n->nwild, i);
    }
    struct str seg = q->s->text[i];
    const struct plan_edge *lit = literal_edge(q->p, n, seg);
    if (lit && walk(q, lit->child, i + 1))
        return true;
    for (uint32_t k = 0; k < n->npattern; k++) {
        const struct plan_edge *e = &q->p->edges[n->first_edge + n->nliteral + k];
        if (pattern_match(e->segment, seg) && walk(q, e->child, i + 1))
            return true;
    }
    if (n->param_child != PLAN_NONE && seg.len && walk(q, n->param_child, i + 1))
        return true;
    return consider(q, n->first_wild, n->nwild, i);
}

/* ---- parameters (context.Request.MatchedParameters) ---- */

static void add_param(struct route *out, struct str name, struct str value)
{
    if (out->nparams < ROUTER_MAX_PARAMS) {
        out->param_names[out->nparams] = name;
        out->param_values[out->nparams++] = value;
    }
}

/* Binds the {name} holes of template segment tseg to the parts of seg, as
 * pattern_scan splits it. */
static void bind_pattern(struct str tseg, struct str seg, struct route *out)
{
    struct holes h;
    if (!pattern_scan(tseg, seg, &h))
        return;
    const char *c = tseg.ptr, *end = tseg.ptr + tseg.len;
    for (size_t k = 0; k < h.n; k++) {
        const char *open = memchr(c, '{', (size_t)(end - c));
        const char *close = open ? memchr(open, '}', (size_t)(end - open)) : NULL;
        if (close == NULL)
            return;
        add_param(out, (struct str){ open + 1, (size_t)(close - open) - 1 },
                  (struct str){ seg.ptr + h.start[k], h.end[k] - h.start[k] });
        c = close + 1;
    }
}

/* The template's query parameters ("?q={q}&page={page}"): the values the
 * request gave them. APIM's MatchedParameters holds these too. */
static void query_params(struct arena *a, struct str raw_query, const char *q, struct route *out)
{
    while (q && *q) {
        size_t len = strcspn(q, "&");
        const char *eq = memchr(q, '=', len);
        if (eq && len - (size_t)(eq - q) >= 3 && eq[1] == '{' && q[len - 1] == '}') {
            bool found;
            struct str name = { q, (size_t)(eq - q) };
            struct str v = gw_query_get(a, raw_query, name, &found);
            add_param(out, (struct str){ eq + 2, len - (size_t)(eq - q) - 3 }, v);
        }
        q = q[len] ? q + len + 1 : NULL;
    }
}

/* Reads the parameter values back by walking the operation's own template
 * against the matched segments. */
static void extract_params(const struct gw_request *req, const struct plan *p,
                           const struct segments *s, size_t first, struct route *out)
{
    struct str t = p->ops[out->op].url_template;
    const char *c = t.ptr, *end = t.ptr + strcspn(t.ptr, "?");
    size_t i = first;
    while (c < end && *c == '/')
        c++;
    while (c < end && i < s->n) {
        const char *slash = memchr(c, '/', (size_t)(end - c));
        struct str tseg = { c, slash ? (size_t)(slash - c) : (size_t)(end - c) };
        if (tseg.len == 1 && tseg.ptr[0] == '*') {
            struct str rest = rest_from(s, i); /* "/a/b": the value is "a/b" */
            add_param(out, STR_LIT("*"),
                      gw_decode(req->arena, (struct str){ rest.ptr + 1, rest.len - 1 }));
            break;
        }
        if (memchr(tseg.ptr, '{', tseg.len))
            bind_pattern(tseg, s->text[i], out);
        i += tseg.len > 0;
        c = slash ? slash + 1 : end;
    }
    if (*end == '?')
        query_params(req->arena, req->raw_query, end + 1, out);
}

enum router_result router_match(const struct router *r, const struct gw_request *req,
                                struct route *out)
{
    struct segments *s = arena_alloc(req->arena, sizeof(*s));
    struct api_pick pick;
    memset(out, 0, sizeof(*out));
    if (!split(req->arena, req->path, s) || !find_api_path(r, req->arena, s, &pick))
        return ROUTER_NO_API;
    const struct plan *p = r->plan;
    size_t consumed = pick.consumed;
    struct str version = requested_version(req, p, pick.group, s, &consumed);
    long api = choose_api(p, pick.group, version, pick.revision);
    if (api < 0)
        return ROUTER_NO_API;
    struct op_search q = { p, req, s, req->method, -1, 0, 0 };
    walk(&q, p->apis[api].route_root, consumed);
    out->api = (uint32_t)api;
    out->rest = rest_from(s, consumed);
    if (q.best < 0)
        return ROUTER_NO_OPERATION;
    out->op = (uint32_t)q.best;
    extract_params(req, p, s, consumed, out);
    return ROUTER_MATCH;
}
