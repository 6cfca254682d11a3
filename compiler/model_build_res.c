/* model_build_res.c - the builders of the service's other resources:
 * subscriptions, backends, named values, version sets, loggers,
 * diagnostics, fragments, gateways and releases (model_build.c's type table
 * names them; model_build_int.h is what they share). */
#include <stdio.h>
#include <string.h>

#include "model_build_int.h"

/* ---- subscriptions ---- */

/* Scopes: "/apis" (all APIs), "/apis/{id}", "/products/{id}", or the same
 * after a service resource id; the service id alone (or followed by '/') is
 * the all-access scope. */
static void subscription_scope(struct builder *b, struct model_subscription *sub)
{
    const char *scope = sub->scope;
    sub->scope_kind = MODEL_SUB_INVALID;
    if (scope == NULL)
        return;
    const char *svc = strstr(scope, "Microsoft.ApiManagement/service/");
    if (svc == NULL)
        svc = strstr(scope, "microsoft.apimanagement/service/");
    if (svc) {
        svc += strlen("Microsoft.ApiManagement/service/");
        scope = strchr(svc, '/');
        /* The built-in all-access subscription ('master') reads back, and
         * is exported, with the service id and a '/' as its scope. */
        if (scope == NULL || strcmp(scope, "/") == 0) {
            sub->scope_kind = MODEL_SUB_ALL_APIS;
            return;
        }
    }
    const char *rest;
    if (strcmp(scope, "/apis") == 0 || strcmp(scope, "/apis/") == 0) {
        sub->scope_kind = MODEL_SUB_ALL_APIS;
    } else if (strncmp(scope, "/apis/", 6) == 0 && scope[6] && !strchr(scope + 6, '/')) {
        sub->scope_kind = MODEL_SUB_API;
        sub->scope_target = arena_strdup(b->m->arena, scope + 6);
    } else if (strncmp(scope, "/products/", 10) == 0 && (rest = scope + 10)[0] &&
               !strchr(rest, '/')) {
        sub->scope_kind = MODEL_SUB_PRODUCT;
        sub->scope_target = arena_strdup(b->m->arena, rest);
    }
}

void mb_build_subscription(struct builder *b)
{
    /* userId and productId are the names before api-version 2019-01-01. */
    static const char *const props[] = {
        "ownerId", "scope",        "displayName", "primaryKey", "secondaryKey",
        "state",   "allowTracing", "userId",      "productId",  "notify",
        NULL
    };
    static const char *const required[] = { "displayName", "scope", NULL };
    static const char *const legacy_required[] = { "displayName", "productId", NULL };
    static const char *const states[] = { "suspended", "active",    "expired", "submitted",
                                          "rejected",  "cancelled", NULL };
    bool legacy = jval_get(b->props, "productId") != NULL && jval_get(b->props, "scope") == NULL;
    mb_check_props(b, "subscription", props, legacy ? legacy_required : required);
    struct model_subscription *sub = ARENA_NEW(b->m->arena, struct model_subscription);
    sub->copy = b->r->copy;
    sub->id = mb_dup(b, b->segs[1]);
    sub->display_name = mb_prop_str(b, "displayName");
    const char *scope_key = legacy ? "productId" : "scope";
    sub->scope = mb_prop_str(b, scope_key);
    sub->scope_loc = mb_prop_loc(b, scope_key);
    sub->primary_key = mb_prop_str(b, "primaryKey");
    sub->secondary_key = mb_prop_str(b, "secondaryKey");
    sub->primary_key_loc = mb_prop_loc(b, "primaryKey");
    sub->secondary_key_loc = mb_prop_loc(b, "secondaryKey");
    sub->state = mb_prop_enum(b, "state", states, NULL);
    sub->allow_tracing = mb_prop_bool(b, "allowTracing", true);
    sub->loc = b->r->name_loc;
    subscription_scope(b, sub);
    APPEND(mb_service(b), subscriptions, sub);
}

/* ---- backends, named values, version sets, loggers, diagnostics ---- */

void mb_build_backend(struct builder *b)
{
    static const char *const props[] = {
        "title", "description", "resourceId",     "properties", "credentials",
        "proxy", "tls",         "circuitBreaker", "pool",       "type",
        "url",   "protocol",    "azureRegion",    NULL,
    };
    static const char *const types[] = { "Single", "Pool", NULL };
    static const char *const protos[] = { "http", "soap", NULL };
    struct model_backend *be = ARENA_NEW(b->m->arena, struct model_backend);
    be->copy = b->r->copy;
    be->type = mb_prop_enum(b, "type", types, "Single");
    static const char *const single_required[] = { "url", "protocol", NULL };
    static const char *const pool_required[] = { "pool", NULL };
    mb_check_props(b, "backend", props, strcmp(be->type, "Pool") ? single_required : pool_required);
    be->id = mb_dup(b, b->segs[1]);
    be->url = mb_prop_str(b, "url");
    be->protocol = mb_prop_enum(b, "protocol", protos, "http");
    be->body = b->props;
    be->loc = b->r->name_loc;
    be->url_loc = mb_prop_loc(b, "url");
    const struct jval *services = jval_get(jval_get(b->props, "pool"), "services");
    if (services && services->kind == JV_ARRAY) {
        be->pool = ARENA_ARRAY(b->m->arena, const char *, services->u.a.n + 1);
        be->pool_locs = ARENA_ARRAY(b->m->arena, struct loc, services->u.a.n + 1);
        for (size_t i = 0; i < services->u.a.n; i++) {
            const char *id = jval_get_str(services->u.a.v[i], "id");
            if (id == NULL)
                continue;
            be->pool_locs[be->npool] =
                services->u.a.v[i]->loc.src ? services->u.a.v[i]->loc : be->loc;
            be->pool[be->npool++] = mb_last_segment(b, id);
        }
    }
    APPEND(mb_service(b), backends, be);
}

void mb_build_named_value(struct builder *b)
{
    static const char *const props[] = {
        "tags", "secret", "displayName", "value", "keyVault", NULL
    };
    static const char *const required[] = { "displayName", NULL };
    mb_check_props(b, "named value", props, required);
    struct model_named_value *nv = ARENA_NEW(b->m->arena, struct model_named_value);
    nv->copy = b->r->copy;
    nv->id = mb_dup(b, b->segs[1]);
    nv->display_name = mb_prop_str(b, "displayName");
    nv->value = jval_get(b->props, "value");
    nv->secret = mb_prop_bool(b, "secret", false);
    nv->key_vault = jval_get(b->props, "keyVault") != NULL;
    nv->loc = b->r->name_loc;
    nv->display_name_loc = mb_prop_loc(b, "displayName");
    if (nv->value == NULL && !nv->key_vault)
        diag_emit(b->m->diag, DC_REQUIRED_PROPERTY, nv->loc,
                  "named value '%s' has neither a 'value' nor a 'keyVault' secret", nv->id);
    APPEND(mb_service(b), named_values, nv);
}

void mb_build_version_set(struct builder *b)
{
    static const char *const props[] = { "description", "versionQueryName", "versionHeaderName",
                                         "displayName", "versioningScheme", NULL };
    static const char *const required[] = { "displayName", "versioningScheme", NULL };
    static const char *const schemes[] = { "Segment", "Query", "Header", NULL };
    mb_check_props(b, "API version set", props, required);
    struct model_version_set *vs = ARENA_NEW(b->m->arena, struct model_version_set);
    vs->copy = b->r->copy;
    vs->id = mb_dup(b, b->segs[1]);
    vs->display_name = mb_prop_str(b, "displayName");
    vs->scheme = mb_prop_enum(b, "versioningScheme", schemes, "Segment");
    vs->query_name = mb_prop_str(b, "versionQueryName");
    vs->header_name = mb_prop_str(b, "versionHeaderName");
    vs->loc = b->r->name_loc;
    if (strcmp(vs->scheme, "Query") == 0 && vs->query_name == NULL)
        diag_emit(b->m->diag, DC_REQUIRED_PROPERTY, vs->loc,
                  "version set '%s' uses the Query scheme but has no 'versionQueryName'", vs->id);
    if (strcmp(vs->scheme, "Header") == 0 && vs->header_name == NULL)
        diag_emit(b->m->diag, DC_REQUIRED_PROPERTY, vs->loc,
                  "version set '%s' uses the Header scheme but has no 'versionHeaderName'", vs->id);
    APPEND(mb_service(b), version_sets, vs);
}

void mb_build_logger(struct builder *b)
{
    static const char *const props[] = { "loggerType", "description", "credentials",
                                         "isBuffered", "resourceId",  NULL };
    static const char *const required[] = { "loggerType", NULL };
    mb_check_props(b, "logger", props, required);
    struct model_logger *l = ARENA_NEW(b->m->arena, struct model_logger);
    l->copy = b->r->copy;
    l->id = mb_dup(b, b->segs[1]);
    l->type = mb_prop_str(b, "loggerType");
    l->loc = b->r->name_loc;
    APPEND(mb_service(b), loggers, l);
}

static void add_diagnostic(struct builder *b, const char *api_id)
{
    static const char *const props[] = {
        "alwaysLog",
        "loggerId",
        "sampling",
        "frontend",
        "backend",
        "logClientIp",
        "httpCorrelationProtocol",
        "verbosity",
        "operationNameFormat",
        "metrics",
        "enableHttpCorrelationHeaders",
        "largeLanguageModel",
        NULL,
    };
    static const char *const required[] = { "loggerId", NULL };
    mb_check_props(b, "diagnostic", props, required);
    struct model_diagnostic *d = ARENA_NEW(b->m->arena, struct model_diagnostic);
    d->copy = b->r->copy;
    d->id = mb_dup(b, b->segs[b->nsegs - 1]);
    d->api_id = api_id;
    d->logger_ref = mb_prop_str(b, "loggerId");
    d->logger_loc = mb_prop_loc(b, "loggerId");
    d->loc = b->r->name_loc;
    APPEND(mb_service(b), diagnostics, d);
}

void mb_build_diagnostic(struct builder *b)
{
    add_diagnostic(b, NULL);
}

void mb_build_api_diagnostic(struct builder *b)
{
    add_diagnostic(b, mb_dup(b, b->segs[1]));
}

void mb_build_fragment(struct builder *b)
{
    static const char *const props[] = { "value", "description", "format", NULL };
    static const char *const required[] = { "value", NULL };
    static const char *const formats[] = { "xml", "rawxml", NULL };
    mb_check_props(b, "policy fragment", props, required);
    struct model_fragment *f = ARENA_NEW(b->m->arena, struct model_fragment);
    f->copy = b->r->copy;
    f->id = mb_dup(b, b->segs[1]);
    f->format = mb_prop_enum(b, "format", formats, "xml");
    f->value = jval_get(b->props, "value");
    f->loc = b->r->name_loc;
    APPEND(mb_service(b), fragments, f);
}

void mb_build_gateway(struct builder *b)
{
    static const char *const props[] = { "locationData", "description", NULL };
    mb_check_props(b, "gateway", props, NULL);
    struct model_gateway *g = ARENA_NEW(b->m->arena, struct model_gateway);
    g->copy = b->r->copy;
    g->id = mb_dup(b, b->segs[1]);
    g->loc = b->r->name_loc;
    APPEND(mb_service(b), gateways, g);
}

void mb_build_gateway_api(struct builder *b)
{
    struct model_gateway_api *g = ARENA_NEW(b->m->arena, struct model_gateway_api);
    g->copy = b->r->copy;
    g->gateway_id = mb_dup(b, b->segs[1]);
    g->api_id = mb_dup(b, b->segs[2]);
    g->loc = b->r->name_loc;
    APPEND(mb_service(b), gateway_apis, g);
}

void mb_build_release(struct builder *b)
{
    static const char *const props[] = { "apiId", "notes", NULL };
    mb_check_props(b, "API release", props, NULL);
    struct model_release *rel = ARENA_NEW(b->m->arena, struct model_release);
    rel->copy = b->r->copy;
    rel->api_id = mb_dup(b, b->segs[1]);
    rel->api_ref = mb_prop_str(b, "apiId");
    rel->ref_loc = mb_prop_loc(b, "apiId");
    rel->loc = b->r->name_loc;
    APPEND(mb_service(b), releases, rel);
}
