#include "pipeline.h"

#include <stdio.h>
#include <string.h>

#include "bodyplan.h"
#include "log.h"
#include "pathnorm.h"

struct pipeline *pipeline_new(const struct plan *p, long backend_timeout_ms)
{
    struct pipeline *pl = xcalloc(1, sizeof(*pl));
    pl->plan = p;
    pl->router = router_new(p);
    pl->access = access_new(p);
    pl->backend_timeout_ms = backend_timeout_ms;
    pl->body_whole = bodyplan_new(p);
    static _Atomic uint64_t generations;
    pl->generation = ++generations;
    return pl;
}

void pipeline_free(struct pipeline *pl)
{
    if (pl == NULL)
        return;
    router_free(pl->router);
    access_free(pl->access);
    free(pl->body_whole);
    free(pl);
}

/* ---- API Management's error answers (reference/apim-facts.md 2.2) ---- */

static const char body_401_missing[] =
    "{ \"statusCode\": 401, \"message\": \"Access denied due to missing subscription key. Make "
    "sure to include subscription key when making requests to an API.\" }";
static const char body_401_invalid[] =
    "{ \"statusCode\": 401, \"message\": \"Access denied due to invalid subscription key. Make "
    "sure to provide a valid key for an active subscription.\" }";
static const char body_404[] = "{ \"statusCode\": 404, \"message\": \"Resource not found\" }";
/* A policy that fails with no on-error section (policy-semantics.md 1):
 * APIM's 500 without an activityId. */
static const char body_500_policy[] =
    "{ \"statusCode\": 500, \"message\": \"Internal server error\" }";

/* A path that cannot be made safe (docs/gateway.md, "Hostile input"). */
static const char body_400_path[] =
    "{ \"statusCode\": 400, \"message\": \"Invalid request path\" }";
/* The answers to requests refused before routing (framing.h): API
 * Management's shape; its exact words for these are not documented. */
static const char body_400[] = "{ \"statusCode\": 400, \"message\": \"Bad request\" }";
static const char body_413[] = "{ \"statusCode\": 413, \"message\": \"Request entity too large\" }";
/* A client too slow to send its request (deadline.h, intake.h). */
static const char body_408[] = "{ \"statusCode\": 408, \"message\": \"Request timeout\" }";
static const char body_414[] = "{ \"statusCode\": 414, \"message\": \"Request URI too long\" }";
static const char body_431[] =
    "{ \"statusCode\": 431, \"message\": \"Request header fields too large\" }";
static const char body_505[] =
    "{ \"statusCode\": 505, \"message\": \"HTTP version not supported\" }";

const char *pipeline_refusal_body(int status)
{
    switch (status) {
    case 400:
        return body_400;
    case 408:
        return body_408;
    case 413:
        return body_413;
    case 414:
        return body_414;
    case 431:
        return body_431;
    case 505:
        return body_505;
    default:
        return NULL;
    }
}

void pipeline_error(struct gw_exchange *x, int status, const char *reason)
{
    struct arena *a = x->req.arena;
    const char *body = status == 400 && strcmp(reason, "InvalidRequestPath") == 0
                           ? body_400_path
                           : pipeline_refusal_body(status);
    if (body == NULL && status == 401)
        body = strcmp(reason, "SubscriptionKeyNotFound") == 0 ? body_401_missing : body_401_invalid;
    else if (body == NULL && status == 404)
        body = body_404;
    else if (body == NULL && status == 500 && strcmp(reason, "PolicyNotApplied") == 0)
        body = body_500_policy;
    else if (body == NULL)
        body = arena_printf(a,
                            "{ \"statusCode\": %d, \"message\": \"Internal server error\", "
                            "\"activityId\": \"%s\" }",
                            status, x->req.id);
    x->resp.status = status;
    x->resp.body = str_from_cstr(body);
    x->resp.headers.n = 0;
    gw_headers_add(a, &x->resp.headers, STR_LIT("Content-Type"), STR_LIT("application/json"));
    x->error_reason = reason;
    x->forward = false;
}

/* ---- forwarding ---- */

/* The base URL: the operation's own (seed documents), a backend entity of
 * the operation or API (set-backend-service), else the API's serviceUrl. */
static struct str base_url(const struct plan *p, const struct route *r, bool *verify_peer,
                           bool *verify_host)
{
    const struct plan_operation *op = &p->ops[r->op];
    const struct plan_api *api = &p->apis[r->api];
    uint32_t backend = op->backend != PLAN_NONE ? op->backend : api->backend;
    *verify_peer = *verify_host = true;
    if (op->backend_url.len)
        return op->backend_url;
    if (backend != PLAN_NONE) {
        const struct plan_backend *b = &p->backends[backend];
        *verify_peer = !(b->flags & PLAN_BACKEND_NO_CHAIN_CHECK);
        *verify_host = !(b->flags & PLAN_BACKEND_NO_NAME_CHECK);
        return b->url;
    }
    return api->service_url;
}

static struct str join_url(struct arena *a, struct str base, struct str rest, struct str query)
{
    while (base.len && base.ptr[base.len - 1] == '/')
        base.len--;
    struct str parts[] = { base, rest, query.len ? STR_LIT("?") : STR_LIT(""), query };
    return str_from_cstr(arena_cat(a, parts, 4));
}

/* The client's headers minus hop-by-hop ones (and those the Connection
 * header names), plus X-Forwarded-For. The
 * subscription key header goes along: API Management does not strip it.
 * Several X-Forwarded-For headers are one comma-separated list (RFC 9110
 * 5.3): every one is kept, in order, then the client's address. */
/* True if name is listed in a Connection header of the request: such
 * headers belong to this hop only (RFC 9110 7.6.1). */
static bool named_by_connection(const struct gw_headers *hs, struct str name)
{
    for (size_t i = 0; i < hs->n; i++) {
        if (!str_ieq_cstr(hs->v[i].name, "Connection"))
            continue;
        struct str v = hs->v[i].value;
        for (size_t p = 0; p < v.len;) {
            size_t e = p;
            while (e < v.len && v.ptr[e] != ',')
                e++;
            size_t b = p, t = e;
            while (b < t && (v.ptr[b] == ' ' || v.ptr[b] == '\t'))
                b++;
            while (t > b && (v.ptr[t - 1] == ' ' || v.ptr[t - 1] == '\t'))
                t--;
            if (str_ieq((struct str){ v.ptr + b, t - b }, name))
                return true;
            p = e + 1;
        }
    }
    return false;
}

/* "list, item": one more entry of a comma-separated header value. */
static struct str list_append(struct arena *a, struct str list, struct str item)
{
    struct str parts[] = { list, STR_LIT(", "), item };
    return str_from_cstr(arena_cat(a, parts, 3));
}

static void forward_headers(struct gw_exchange *x)
{
    struct arena *a = x->req.arena;
    struct str value = STR_NULL;
    for (size_t i = 0; i < x->req.headers.n; i++) {
        const struct gw_header *h = &x->req.headers.v[i];
        if (named_by_connection(&x->req.headers, h->name))
            continue;
        if (str_ieq_cstr(h->name, "X-Forwarded-For")) {
            if (h->value.len)
                value = value.len ? list_append(a, value, h->value) : h->value;
            continue;
        }
        if (!gw_hop_by_hop(h->name))
            gw_headers_add(a, &x->fwd.headers, h->name, h->value);
    }
    struct str ip = x->req.client_ip;
    if (value.len && ip.len)
        value = list_append(a, value, ip);
    else if (ip.len)
        value = ip;
    if (value.len)
        gw_headers_add(a, &x->fwd.headers, STR_LIT("X-Forwarded-For"), value);
}

/* Fail closed (plan_format.h): a policy that would refuse requests is not
 * applied here, so nothing is forwarded. One log line says which. */
static bool fails_closed(const struct plan *p, struct gw_exchange *x)
{
    if (p->service.flags & PLAN_SERVICE_ALLOW_UNENFORCED)
        return false;
    const struct str *why = plan_closed_reason(p, x->route.op, x->access.product);
    if (why == NULL)
        return false;
    const struct plan_operation *op = &p->ops[x->route.op];
    struct str product =
        x->access.product == PLAN_NONE ? STR_LIT("-") : p->products[x->access.product].id;
    log_msg(LOG_LEVEL_WARN, "req=%s api=%.*s op=%.*s product=%.*s status=500 fails closed: %.*s",
            x->req.id, STR_FMT(p->apis[op->api].id), STR_FMT(op->id), STR_FMT(product),
            STR_FMT(*why));
    pipeline_error(x, 500, "PolicyNotApplied");
    return true;
}

/* Sets x->req.path, the path routing and forwarding use: raw_path
 * normalised (pathnorm.h), in the request arena only when it needs work;
 * false when it cannot be made safe. */
static bool set_path(struct gw_exchange *x)
{
    struct str raw = x->req.raw_path;
    x->req.path = raw;
    if (!pathnorm_needed(raw))
        return true;
    char *buf = arena_alloc(x->req.arena, raw.len + 1);
    return pathnorm_normalize(raw, buf, &x->req.path) == PATHNORM_OK;
}

/* A path that cannot be made safe is answered 400 and routed nowhere; the
 * access log has the path as received and the reason. */
static bool normalize_path(struct gw_exchange *x)
{
    if (set_path(x))
        return true;
    x->routed = ROUTER_NO_API;
    pipeline_error(x, 400, "InvalidRequestPath");
    return false;
}

/* Routes x on its normalised path, unless pipeline_body_whole did so on
 * this pipeline already. */
static bool route_once(const struct pipeline *pl, struct gw_exchange *x)
{
    if (x->routed_by != pl->generation) {
        if (!normalize_path(x))
            return false;
        x->routed = router_match(pl->router, &x->req, &x->route);
        x->routed_by = pl->generation;
    }
    return true;
}

void pipeline_begin(const struct pipeline *pl, struct gw_exchange *x)
{
    const struct plan *p = pl->plan;
    if (!route_once(pl, x))
        return;
    if (x->routed != ROUTER_MATCH) {
        pipeline_error(x, 404, "OperationNotFound");
        return;
    }
    bool present;
    struct str key = access_key(p, x->route.api, &x->req, &present);
    access_check(pl->access, x->route.api, key, present, &x->access);
    if (x->access.result != ACCESS_GRANTED) {
        pipeline_error(x, 401,
                       x->access.result == ACCESS_NO_KEY ? "SubscriptionKeyNotFound"
                                                         : "SubscriptionKeyInvalid");
        return;
    }
    if (fails_closed(p, x))
        return;
    struct str base = base_url(p, &x->route, &x->fwd.verify_peer, &x->fwd.verify_host);
    if (base.len == 0) {
        pipeline_error(x, 500, "NoBackend");
        return;
    }
    x->fwd.url = join_url(x->req.arena, base, x->route.rest, x->req.raw_query);
    x->fwd.method = x->req.method;
    x->fwd.body = x->req.body;
    x->fwd.stream = x->req.stream;
    x->fwd.timeout_ms = pl->backend_timeout_ms;
    forward_headers(x);
    x->forward = true;
}

bool pipeline_body_whole(const struct pipeline *pl, struct gw_exchange *x)
{
    /* From the headers, before pipeline_begin (a path refused here is
     * refused there, before any body is read). */
    if (!set_path(x))
        return false;
    x->routed = router_match(pl->router, &x->req, &x->route);
    x->routed_by = pl->generation;
    return x->routed == ROUTER_MATCH && pl->body_whole[x->route.op];
}

void pipeline_finish(const struct pipeline *pl, struct gw_exchange *x)
{
    (void)pl;
    const struct gw_backend_result *b = &x->backend;
    if (b->error != GW_BACKEND_OK) {
        /* API Management answers backend failures with its 500 body;
         * BackendConnectionFailure and Timeout are the reasons it logs. */
        pipeline_error(x, 500,
                       b->error == GW_BACKEND_TIMEOUT ? "Timeout" : "BackendConnectionFailure");
        return;
    }
    x->resp.status = b->status;
    x->resp.body = b->body;
    x->resp.head_length = b->content_length > 0 ? b->content_length : 0;
    x->resp.headers.n = 0;
    for (size_t i = 0; i < b->headers.n; i++)
        if (!gw_hop_by_hop(b->headers.v[i].name))
            gw_headers_add(x->req.arena, &x->resp.headers, b->headers.v[i].name,
                           b->headers.v[i].value);
}
