/* Unit tests for the model builder (model_build.c, simple_api.c): nested and
 * flat resources give the same model; every field of every entity; defaults
 * taken from the REST specification; property, name and type diagnostics;
 * and the seed's simple API document. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "testutil.h"

#define AV "`apiVersion`: `2024-05-01`, "

#define HEAD                                                                               \
    "{`$schema`: "                                                                         \
    "`https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#`,\n" \
    " `contentVersion`: `1.0.0.0`,\n"                                                      \
    " `parameters`: {`svc`: {`type`: `string`, `defaultValue`: `contoso`}},\n"             \
    " `resources`: [\n"

#define TAIL "\n]}"

/* The service itself, without children. */
#define SERVICE_BODY                                                                   \
    "`type`: `Microsoft.ApiManagement/service`, " AV "`name`: `[parameters('svc')]`, " \
    "`location`: `eastus`, `sku`: {`name`: `Developer`, `capacity`: 1}, "              \
    "`properties`: {`publisherEmail`: `api@contoso.com`, `publisherName`: `Contoso`}"

#define SERVICE "{" SERVICE_BODY "}"

/* A top-level child of the service: full type, name built with concat(). */
#define RES(type, name, props)                                 \
    "{`type`: `Microsoft.ApiManagement/service/" type "`, " AV \
    "`name`: `[concat(parameters('svc'), '/" name "')]`, `properties`: " props "}"

/* One service with one of everything, written with nested child resources
 * (relative types and names), the way the quickstart templates do. */
static const char nested_template[] = HEAD
    "{" SERVICE_BODY ",\n"
    " `resources`: [\n"
    "  {`type`: `policies`, " AV "`name`: `policy`, `properties`: {`value`: "
    "`<policies><inbound /></policies>`, `format`: `rawxml`}},\n"
    "  {`type`: `apiVersionSets`, " AV "`name`: `vs`, `properties`: {`displayName`: `Echo`, "
    "`versioningScheme`: `Query`, `versionQueryName`: `v`}},\n"
    "  {`type`: `apis`, " AV "`name`: `echo-api`, `properties`: {`displayName`: `Echo`, "
    "`path`: `echo`, `serviceUrl`: `https://backend.example.com/echo`, `protocols`: [`http`, "
    "`https`], `subscriptionRequired`: false, `subscriptionKeyParameterNames`: {`header`: "
    "`X-Key`, `query`: `key`}, `apiVersion`: `v1`, `apiVersionSetId`: "
    "`[resourceId('Microsoft.ApiManagement/service/apiVersionSets', parameters('svc'), "
    "'vs')]`},\n"
    "   `resources`: [\n"
    "    {`type`: `operations`, " AV "`name`: `get-item`, `properties`: {`displayName`: `Get "
    "item`, `method`: `GET`, `urlTemplate`: `/items/{id}?q={q}`, `templateParameters`: "
    "[{`name`: `id`, `type`: `string`, `required`: true}, {`name`: `q`, `type`: `string`, "
    "`defaultValue`: `x`}]},\n"
    "     `resources`: [{`type`: `policies`, " AV "`name`: `policy`, `properties`: {`value`: "
    "`<policies />`, `format`: `xml`}}]},\n"
    "    {`type`: `policies`, " AV "`name`: `policy`, `properties`: {`policyContent`: "
    "`<policies><inbound><set-backend-service backend-id='pool' /></inbound></policies>`}},\n"
    "    {`type`: `diagnostics`, " AV "`name`: `applicationinsights`, `properties`: "
    "{`loggerId`: `/loggers/ai`}},\n"
    "    {`type`: `releases`, " AV "`name`: `r1`, `properties`: {`apiId`: "
    "`/apis/echo-api;rev=2`, `notes`: `go`}}\n"
    "   ]},\n"
    "  {`type`: `apis`, " AV "`name`: `echo-api;rev=2`, `properties`: {`sourceApiId`: "
    "`/apis/echo-api`, `apiRevisionDescription`: `two`}},\n"
    "  {`type`: `products`, " AV "`name`: `starter`, `properties`: {`displayName`: `Starter`},\n"
    "   `resources`: [\n"
    "    {`type`: `apis`, " AV "`name`: `echo-api`},\n"
    "    {`type`: `apiLinks`, " AV "`name`: `link`, `properties`: {`apiId`: "
    "`[resourceId('Microsoft.ApiManagement/service/apis', parameters('svc'), 'echo-api')]`}},\n"
    "    {`type`: `policies`, " AV "`name`: `policy`, `properties`: {`value`: `<policies />`}}\n"
    "   ]},\n"
    "  {`type`: `subscriptions`, " AV "`name`: `sub`, `properties`: {`displayName`: `Sub`, "
    "`scope`: `/products/starter`, `state`: `active`, `primaryKey`: `k1`}},\n"
    "  {`type`: `backends`, " AV "`name`: `b1`, `properties`: {`url`: "
    "`https://b1.example.com`, `protocol`: `http`}},\n"
    "  {`type`: `backends`, " AV "`name`: `pool`, `properties`: {`type`: `Pool`, `pool`: "
    "{`services`: [{`id`: `/backends/b1`}]}}},\n"
    "  {`type`: `namedValues`, " AV "`name`: `nv`, `properties`: {`displayName`: `nv-name`, "
    "`value`: `v`}},\n"
    "  {`type`: `loggers`, " AV "`name`: `ai`, `properties`: {`loggerType`: "
    "`applicationInsights`}},\n"
    "  {`type`: `diagnostics`, " AV "`name`: `applicationinsights`, `properties`: {`loggerId`: "
    "`/loggers/ai`}},\n"
    "  {`type`: `policyFragments`, " AV "`name`: `frag`, `properties`: {`value`: "
    "`<fragment />`, `format`: `xml`, `description`: `d`}},\n"
    "  {`type`: `gateways`, " AV "`name`: `gw`, `properties`: {`locationData`: {`name`: "
    "`here`}},\n"
    "   `resources`: [{`type`: `apis`, " AV "`name`: `echo-api`}]}\n"
    " ]}" TAIL;

/* The same deployment as top-level resources with full types and names. */
static const char *const flat_parts[] = {
    SERVICE,
    RES("policies", "policy", "{`value`: `<policies><inbound /></policies>`, `format`: `rawxml`}"),
    RES("apiVersionSets", "vs",
        "{`displayName`: `Echo`, `versioningScheme`: `Query`, `versionQueryName`: `v`}"),
    RES("apis", "echo-api",
        "{`displayName`: `Echo`, `path`: `echo`, `serviceUrl`: "
        "`https://backend.example.com/echo`, `protocols`: [`http`, `https`], "
        "`subscriptionRequired`: false, `subscriptionKeyParameterNames`: {`header`: `X-Key`, "
        "`query`: `key`}, `apiVersion`: `v1`, `apiVersionSetId`: "
        "`[resourceId('Microsoft.ApiManagement/service/apiVersionSets', parameters('svc'), "
        "'vs')]`}"),
    RES("apis/operations", "echo-api/get-item",
        "{`displayName`: `Get item`, `method`: `GET`, `urlTemplate`: `/items/{id}?q={q}`, "
        "`templateParameters`: [{`name`: `id`, `type`: `string`, `required`: true}, {`name`: "
        "`q`, `type`: `string`, `defaultValue`: `x`}]}"),
    RES("apis/operations/policies", "echo-api/get-item/policy",
        "{`value`: `<policies />`, `format`: `xml`}"),
    RES("apis/policies", "echo-api/policy",
        "{`policyContent`: `<policies><inbound><set-backend-service backend-id='pool' "
        "/></inbound></policies>`}"),
    RES("apis/diagnostics", "echo-api/applicationinsights", "{`loggerId`: `/loggers/ai`}"),
    RES("apis/releases", "echo-api/r1", "{`apiId`: `/apis/echo-api;rev=2`, `notes`: `go`}"),
    RES("apis", "echo-api;rev=2",
        "{`sourceApiId`: `/apis/echo-api`, `apiRevisionDescription`: `two`}"),
    RES("products", "starter", "{`displayName`: `Starter`}"),
    RES("products/apis", "starter/echo-api", "{}"),
    RES("products/apiLinks", "starter/link",
        "{`apiId`: `[resourceId('Microsoft.ApiManagement/service/apis', parameters('svc'), "
        "'echo-api')]`}"),
    RES("products/policies", "starter/policy", "{`value`: `<policies />`}"),
    RES("subscriptions", "sub",
        "{`displayName`: `Sub`, `scope`: `/products/starter`, `state`: `active`, `primaryKey`: "
        "`k1`}"),
    RES("backends", "b1", "{`url`: `https://b1.example.com`, `protocol`: `http`}"),
    RES("backends", "pool", "{`type`: `Pool`, `pool`: {`services`: [{`id`: `/backends/b1`}]}}"),
    RES("namedValues", "nv", "{`displayName`: `nv-name`, `value`: `v`}"),
    RES("loggers", "ai", "{`loggerType`: `applicationInsights`}"),
    RES("diagnostics", "applicationinsights", "{`loggerId`: `/loggers/ai`}"),
    RES("policyFragments", "frag",
        "{`value`: `<fragment />`, `format`: `xml`, `description`: `d`}"),
    RES("gateways", "gw", "{`locationData`: {`name`: `here`}}"),
    RES("gateways/apis", "gw/echo-api", "{}"),
    NULL,
};

/* ---- helpers ---- */

static struct model_service *service(struct tu *t)
{
    return t->model.services;
}

static struct model_api *api(struct tu *t, const char *id, const char *rev)
{
    for (struct model_api *a = service(t) ? service(t)->apis : NULL; a; a = a->next)
        if (strcmp(a->id, id) == 0 && strcmp(a->revision, rev) == 0)
            return a;
    return NULL;
}

static struct model_operation *operation(struct model_api *a, const char *id)
{
    for (struct model_operation *op = a ? a->ops : NULL; op; op = op->next)
        if (strcmp(op->id, id) == 0)
            return op;
    return NULL;
}

static struct model_product *product(struct tu *t, const char *id)
{
    for (struct model_product *p = service(t)->products; p; p = p->next)
        if (strcmp(p->id, id) == 0)
            return p;
    return NULL;
}

static struct model_subscription *subscription(struct tu *t, const char *id)
{
    for (struct model_subscription *s = service(t)->subscriptions; s; s = s->next)
        if (strcmp(s->id, id) == 0)
            return s;
    return NULL;
}

static struct model_backend *backend(struct tu *t, const char *id)
{
    for (struct model_backend *b = service(t)->backends; b; b = b->next)
        if (strcmp(b->id, id) == 0)
            return b;
    return NULL;
}

static struct model_named_value *named_value(struct tu *t, const char *id)
{
    for (struct model_named_value *nv = service(t)->named_values; nv; nv = nv->next)
        if (strcmp(nv->id, id) == 0)
            return nv;
    return NULL;
}

/* Text of the template compiled last, for failure messages. */
static const char *src;

/* Compiles HEAD, the resources joined with commas, TAIL. Returns the number
 * of errors. */
static unsigned compile(struct tu *t, const char *const *resources)
{
    const char *text = HEAD;
    for (size_t i = 0; resources[i]; i++)
        text = arena_printf(&t->arena, "%s%s%s", text, i ? ",\n" : "", resources[i]);
    src = arena_printf(&t->arena, "%s%s", text, TAIL);
    return tu_template(t, src, NULL);
}

/* Line and column of the first occurrence of marker in the last template. */
static void where_in_src(const char *marker, unsigned *line, unsigned *col)
{
    const char *at = strstr(src, marker);
    *line = *col = 0;
    if (at == NULL)
        return;
    *line = 1;
    const char *bol = src;
    for (const char *p = src; p < at; p++)
        if (*p == '\n') {
            (*line)++;
            bol = p + 1;
        }
    *col = (unsigned)(at - bol) + 1;
}

/* The first diagnostic with this code points at marker. */
#define ASSERT_AT(t, code, marker)                  \
    do {                                            \
        unsigned l_, c_, want_l_, want_c_;          \
        tu_where((t), (code), &l_, &c_);            \
        where_in_src((marker), &want_l_, &want_c_); \
        CU_ASSERT_NOT_EQUAL(want_l_, 0);            \
        CU_ASSERT_EQUAL(l_, want_l_);               \
        CU_ASSERT_EQUAL(c_, want_c_);               \
    } while (0)

/* The level of the first diagnostic with this code, or -1. */
static int level_of(const struct tu *t, enum diag_code code)
{
    for (size_t i = 0; i < t->diag.n; i++)
        if (t->diag.v[i]->code == code)
            return (int)t->diag.v[i]->level;
    return -1;
}

/* True if a diagnostic with this code has a note containing part. */
static bool has_note(const struct tu *t, enum diag_code code, const char *part)
{
    for (size_t i = 0; i < t->diag.n; i++) {
        if (t->diag.v[i]->code != code)
            continue;
        for (const struct diag_entry *n = t->diag.v[i]->notes; n; n = n->next)
            if (strstr(n->msg, part))
                return true;
    }
    return false;
}

static const char *str_or_null(const char *s)
{
    return s ? s : "(null)";
}

/* A text rendering of the whole model without locations, so two templates
 * that deploy the same thing can be compared. */
struct dump {
    struct arena *arena;
    char *text;
};

static void out(struct dump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out(struct dump *d, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    d->text = arena_printf(d->arena, "%s%s\n", d->text, line);
}

static const char *value_text(const struct jval *v)
{
    return v && v->kind == JV_STRING ? v->u.s.ptr : "(none)";
}

static void dump_policy(struct dump *d, const char *owner, const struct model_policy *p)
{
    if (p)
        out(d, "  %s policy scope=%d format=%s value=%s", owner, (int)p->scope, p->format,
            value_text(p->value));
}

static void dump_api(struct dump *d, const struct model_api *a)
{
    out(d, "api %s rev=%s current=%d/%d name=%s path=%s url=%s proto=%u subreq=%d key=%s/%s", a->id,
        a->revision, a->is_current, a->current_set, str_or_null(a->display_name),
        str_or_null(a->path), str_or_null(a->service_url), a->protocols, a->subscription_required,
        str_or_null(a->key_header), str_or_null(a->key_query));
    out(d, "  version=%s set=%s/%s type=%s source=%s", str_or_null(a->version),
        str_or_null(a->version_set_ref), a->version_set ? a->version_set->id : "(none)", a->type,
        str_or_null(a->source_api_ref));
    dump_policy(d, "api", a->policy);
    for (const struct model_operation *op = a->ops; op; op = op->next) {
        out(d, "  op %s %s %s name=%s nparams=%zu", op->id, str_or_null(op->method),
            str_or_null(op->url_template), str_or_null(op->display_name), op->nparams);
        for (size_t i = 0; i < op->nparams; i++)
            out(d, "    param %s type=%s required=%d default=%s", op->params[i].name,
                str_or_null(op->params[i].type), op->params[i].required,
                str_or_null(op->params[i].default_value));
        dump_policy(d, "op", op->policy);
    }
}

static void dump_rest(struct dump *d, const struct model_service *s)
{
    for (const struct model_product *p = s->products; p; p = p->next) {
        out(d, "product %s name=%s subreq=%d approval=%d state=%s limit=%lld", p->id,
            str_or_null(p->display_name), p->subscription_required, p->approval_required, p->state,
            (long long)p->subscriptions_limit);
        dump_policy(d, "product", p->policy);
    }
    for (const struct model_product_api *l = s->links; l; l = l->next)
        out(d, "link %s -> %s", l->product_id, l->api_id);
    for (const struct model_subscription *x = s->subscriptions; x; x = x->next)
        out(d, "subscription %s scope=%s kind=%d target=%s state=%s key=%s", x->id,
            str_or_null(x->scope), (int)x->scope_kind, str_or_null(x->scope_target),
            str_or_null(x->state), str_or_null(x->primary_key));
    for (const struct model_backend *b = s->backends; b; b = b->next) {
        out(d, "backend %s type=%s url=%s protocol=%s npool=%zu", b->id, b->type,
            str_or_null(b->url), b->protocol, b->npool);
        for (size_t i = 0; i < b->npool; i++)
            out(d, "  member %s", b->pool[i]);
    }
    for (const struct model_named_value *nv = s->named_values; nv; nv = nv->next)
        out(d, "named value %s name=%s value=%s secret=%d", nv->id, str_or_null(nv->display_name),
            value_text(nv->value), nv->secret);
    for (const struct model_version_set *vs = s->version_sets; vs; vs = vs->next)
        out(d, "version set %s name=%s scheme=%s query=%s", vs->id, str_or_null(vs->display_name),
            vs->scheme, str_or_null(vs->query_name));
    for (const struct model_logger *l = s->loggers; l; l = l->next)
        out(d, "logger %s type=%s", l->id, str_or_null(l->type));
    for (const struct model_diagnostic *x = s->diagnostics; x; x = x->next)
        out(d, "diagnostic %s api=%s logger=%s", x->id, str_or_null(x->api_id),
            str_or_null(x->logger_ref));
    for (const struct model_fragment *f = s->fragments; f; f = f->next)
        out(d, "fragment %s format=%s value=%s", f->id, f->format, value_text(f->value));
    for (const struct model_gateway *g = s->gateways; g; g = g->next)
        out(d, "gateway %s", g->id);
    for (const struct model_gateway_api *g = s->gateway_apis; g; g = g->next)
        out(d, "gateway link %s -> %s", g->gateway_id, g->api_id);
    for (const struct model_release *r = s->releases; r; r = r->next)
        out(d, "release %s apiId=%s", r->api_id, str_or_null(r->api_ref));
}

static const char *dump_model(struct tu *t)
{
    struct dump d = { &t->arena, "" };
    for (const struct model_service *s = t->model.services; s; s = s->next) {
        out(&d, "service %s declared=%d", s->name, s->declared);
        dump_policy(&d, "global", s->policy);
        for (const struct model_api *a = s->apis; a; a = a->next)
            dump_api(&d, a);
        dump_rest(&d, s);
        size_t n = 0;
        for (const struct model_policy *p = s->policies; p; p = p->next)
            n++;
        out(&d, "policies %zu", n);
    }
    return d.text;
}

/* ---- nested and flat ---- */

static void test_nested_and_flat_agree(void)
{
    struct tu nested, flat;
    tu_init(&nested);
    tu_init(&flat);
    CU_ASSERT_EQUAL(tu_template(&nested, nested_template, NULL), 0);
    CU_ASSERT_EQUAL(compile(&flat, flat_parts), 0);
    CU_ASSERT_EQUAL(nested.diag.nwarnings, 0);
    CU_ASSERT_EQUAL(flat.diag.nwarnings, 0);
    const char *a = dump_model(&nested), *b = dump_model(&flat);
    CU_ASSERT_STRING_EQUAL(a, b);
    if (strcmp(a, b) != 0)
        fprintf(stderr, "\nnested:\n%s\nflat:\n%s\n%s%s", a, b, tu_text(&nested), tu_text(&flat));
    struct model_counts c;
    model_count(&nested.model, &c);
    CU_ASSERT_EQUAL(c.services, 1);
    CU_ASSERT_EQUAL(c.apis, 2);
    CU_ASSERT_EQUAL(c.operations, 2); /* revision 2 starts with a copy of the operation */
    CU_ASSERT_EQUAL(c.products, 1);
    CU_ASSERT_EQUAL(c.subscriptions, 1);
    CU_ASSERT_EQUAL(c.backends, 2);
    CU_ASSERT_EQUAL(c.named_values, 1);
    CU_ASSERT_EQUAL(c.version_sets, 1);
    CU_ASSERT_EQUAL(c.policies, 4);
    tu_release(&nested);
    tu_release(&flat);
}

/* ARM deploys in dependsOn order, not in the order resources are written:
 * an operation or a policy written before its API or product belongs to it
 * all the same. */
static void test_flat_order_does_not_matter(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(&t,
                (const char *const[]){
                    RES("apis/operations/policies", "a/op/policy", "{`value`: `<policies />`}"),
                    RES("apis/policies", "a/policy", "{`value`: `<policies />`}"),
                    RES("apis/operations", "a/op",
                        "{`displayName`: `Op`, `method`: `GET`, "
                        "`urlTemplate`: `/`}"),
                    RES("products/policies", "p/policy", "{`value`: `<policies />`}"),
                    RES("products", "p", "{`displayName`: `P`}"),
                    RES("apis", "a", "{`path`: `a`}"),
                    SERVICE,
                    NULL,
                }),
        0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_API_REF), 0);
    struct model_api *a = api(&t, "a", "1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_EQUAL(a->nops, 1);
    CU_ASSERT_PTR_NOT_NULL(a->policy);
    CU_ASSERT_PTR_NOT_NULL(operation(a, "op") ? operation(a, "op")->policy : NULL);
    CU_ASSERT_PTR_NOT_NULL(product(&t, "p")->policy);
    CU_ASSERT_TRUE(service(&t)->declared);
    tu_release(&t);
}

/* Fields read from an API resource, and what the checks derive from them. */
static void test_api_fields(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(tu_template(&t, nested_template, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(t.model.nservices, 1);
    CU_ASSERT_STRING_EQUAL(service(&t)->name, "contoso");
    CU_ASSERT_TRUE(service(&t)->declared);
    struct model_api *a = api(&t, "echo-api", "1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_STRING_EQUAL(a->display_name, "Echo");
    CU_ASSERT_STRING_EQUAL(a->path, "echo");
    CU_ASSERT_STRING_EQUAL(a->service_url, "https://backend.example.com/echo");
    CU_ASSERT_EQUAL(a->protocols, MODEL_PROTO_HTTP | MODEL_PROTO_HTTPS);
    CU_ASSERT_FALSE(a->subscription_required);
    CU_ASSERT_STRING_EQUAL(a->key_header, "X-Key");
    CU_ASSERT_STRING_EQUAL(a->key_query, "key");
    CU_ASSERT_STRING_EQUAL(a->version, "v1");
    CU_ASSERT_PTR_NOT_NULL(strstr(a->version_set_ref, "/service/contoso/apiVersionSets/vs"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(a->version_set);
    CU_ASSERT_STRING_EQUAL(a->version_set->id, "vs");
    CU_ASSERT_STRING_EQUAL(a->type, "http");
    CU_ASSERT_PTR_NULL(a->source_api_ref);
    CU_ASSERT_EQUAL(a->nops, 1);
    /* The release made revision 2 the current one. */
    CU_ASSERT_FALSE(a->is_current);
    CU_ASSERT_FALSE(a->current_set);
    struct model_api *r2 = api(&t, "echo-api", "2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r2);
    CU_ASSERT_TRUE(r2->is_current);
    CU_ASSERT_STRING_EQUAL(r2->source_api_ref, "/apis/echo-api");
    /* A revision starts as a copy of its source: what it leaves out, it
     * takes from there, operations included. */
    CU_ASSERT_STRING_EQUAL(r2->path, "echo");
    CU_ASSERT_STRING_EQUAL(r2->service_url, "https://backend.example.com/echo");
    CU_ASSERT_EQUAL(r2->protocols, MODEL_PROTO_HTTP | MODEL_PROTO_HTTPS);
    CU_ASSERT_FALSE(r2->subscription_required);
    CU_ASSERT_EQUAL(r2->nops, 1);
    tu_release(&t);
}

/* What Azure assumes when an API leaves properties out. */
static void test_api_defaults(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis", "plain", "{`path`: `plain`}"),
                                RES("apis/operations", "plain/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                NULL,
                            }),
                    0);
    struct model_api *a = api(&t, "plain", "1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_TRUE(a->subscription_required);
    CU_ASSERT_EQUAL(a->protocols, MODEL_PROTO_HTTPS);
    CU_ASSERT_TRUE(a->is_current);
    CU_ASSERT_FALSE(a->current_set);
    CU_ASSERT_STRING_EQUAL(a->type, "http");
    CU_ASSERT_PTR_NULL(a->display_name);
    CU_ASSERT_PTR_NULL(a->service_url);
    CU_ASSERT_PTR_NULL(a->key_header);
    CU_ASSERT_PTR_NULL(a->key_query);
    CU_ASSERT_PTR_NULL(a->version);
    CU_ASSERT_PTR_NULL(a->version_set);
    CU_ASSERT_PTR_NULL(a->policy);
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

/* A revision is "id;rev=N" or carries apiRevision; isCurrent is kept. */
static void test_api_revisions(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis", "echo", "{`path`: `echo`}"),
                                RES("apis", "echo;rev=3",
                                    "{`path`: `echo`, `apiRevisionDescription`: `three`}"),
                                RES("apis/operations", "echo;rev=3/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                RES("apis/operations", "echo/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                RES("apis", "other",
                                    "{`path`: `other`, `apiRevision`: `5`, `isCurrent`: "
                                    "true, `type`: `websocket`, `protocols`: [`wss`], "
                                    "`serviceUrl`: `wss://ws.example.com`}"),
                                NULL,
                            }),
                    0);
    struct model_api *base = api(&t, "echo", "1"), *rev3 = api(&t, "echo", "3");
    CU_ASSERT_PTR_NOT_NULL_FATAL(base);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rev3);
    CU_ASSERT_TRUE(base->is_current);
    CU_ASSERT_FALSE(rev3->is_current);
    CU_ASSERT_FALSE(rev3->current_set);
    /* Each operation went to its own revision. */
    CU_ASSERT_EQUAL(base->nops, 1);
    CU_ASSERT_EQUAL(rev3->nops, 1);
    CU_ASSERT_PTR_EQUAL(rev3->ops->api, rev3);
    struct model_api *other = api(&t, "other", "5");
    CU_ASSERT_PTR_NOT_NULL_FATAL(other);
    CU_ASSERT_TRUE(other->is_current);
    CU_ASSERT_TRUE(other->current_set);
    CU_ASSERT_STRING_EQUAL(other->type, "websocket");
    CU_ASSERT_EQUAL(other->protocols, MODEL_PROTO_WSS);
    CU_ASSERT_EQUAL(tu_count(&t, DC_NO_OPERATIONS), 0); /* websocket APIs have none */
    tu_release(&t);
}

static void test_operation_fields(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(tu_template(&t, nested_template, NULL), 0);
    struct model_operation *op = operation(api(&t, "echo-api", "1"), "get-item");
    CU_ASSERT_PTR_NOT_NULL_FATAL(op);
    CU_ASSERT_STRING_EQUAL(op->display_name, "Get item");
    CU_ASSERT_STRING_EQUAL(op->method, "GET");
    CU_ASSERT_STRING_EQUAL(op->url_template, "/items/{id}?q={q}");
    CU_ASSERT_PTR_NOT_NULL(op->template_value);
    CU_ASSERT_PTR_EQUAL(op->api, api(&t, "echo-api", "1"));
    CU_ASSERT_EQUAL_FATAL(op->nparams, 2);
    CU_ASSERT_STRING_EQUAL(op->params[0].name, "id");
    CU_ASSERT_STRING_EQUAL(op->params[0].type, "string");
    CU_ASSERT_TRUE(op->params[0].required);
    CU_ASSERT_PTR_NULL(op->params[0].default_value);
    CU_ASSERT_STRING_EQUAL(op->params[1].name, "q");
    CU_ASSERT_FALSE(op->params[1].required);
    CU_ASSERT_STRING_EQUAL(op->params[1].default_value, "x");
    CU_ASSERT_PTR_NULL(op->backend_url);
    tu_release(&t);
}

/* model.h promises upper-case methods; templates often write them lower. */
static void test_operation_method_upper_case(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis", "a", "{`path`: `a`}"),
                                RES("apis/operations", "a/op",
                                    "{`displayName`: `Op`, `method`: `get`, `urlTemplate`: "
                                    "`/`}"),
                                NULL,
                            }),
                    0);
    struct model_operation *op = operation(api(&t, "a", "1"), "op");
    CU_ASSERT_PTR_NOT_NULL_FATAL(op);
    CU_ASSERT_STRING_EQUAL(op->method, "GET");
    tu_release(&t);
}

/* An operation of an API the template does not have cannot be served, but a
 * placeholder keeps it so its own checks still run. */
static void test_operation_without_api(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis/operations", "ghost/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                NULL,
                            }),
                    1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_API_REF), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_API_REF, "'ghost'"));
    struct model_api *ghost = service(&t)->apis;
    CU_ASSERT_PTR_NOT_NULL_FATAL(ghost);
    CU_ASSERT_TRUE(ghost->external);
    CU_ASSERT_PTR_NULL(ghost->path);
    CU_ASSERT_EQUAL(ghost->nops, 1);
    CU_ASSERT_PTR_NULL(ghost->next);
    tu_release(&t);
}

static void test_policies_every_scope(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(tu_template(&t, nested_template, NULL), 0);
    struct model_service *s = service(&t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->policy);
    CU_ASSERT_EQUAL(s->policy->scope, MODEL_SCOPE_GLOBAL);
    CU_ASSERT_STRING_EQUAL(s->policy->format, "rawxml");
    CU_ASSERT_STRING_EQUAL(s->policy->value->u.s.ptr, "<policies><inbound /></policies>");
    /* The text stays a node of the file, so the policy compiler can point into it. */
    CU_ASSERT_TRUE(s->policy->value->flags & JV_F_LITERAL);
    struct model_api *a = api(&t, "echo-api", "1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a->policy);
    CU_ASSERT_EQUAL(a->policy->scope, MODEL_SCOPE_API);
    CU_ASSERT_STRING_EQUAL(a->policy->format, "xml"); /* the default */
    CU_ASSERT_PTR_NOT_NULL(strstr(a->policy->value->u.s.ptr, "backend-id='pool'")); /* legacy */
    struct model_operation *op = operation(a, "get-item");
    CU_ASSERT_PTR_NOT_NULL_FATAL(op->policy);
    CU_ASSERT_EQUAL(op->policy->scope, MODEL_SCOPE_OPERATION);
    CU_ASSERT_STRING_EQUAL(op->policy->value->u.s.ptr, "<policies />");
    struct model_product *p = product(&t, "starter");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p->policy);
    CU_ASSERT_EQUAL(p->policy->scope, MODEL_SCOPE_PRODUCT);
    size_t n = 0;
    for (const struct model_policy *x = s->policies; x; x = x->next)
        n++;
    CU_ASSERT_EQUAL(n, 4);
    tu_release(&t);
}

/* format is case-insensitive and canonicalized; -link formats are kept but
 * not fetched; a policy of a product that is not there attaches nowhere. */
static void test_policy_formats(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("policies", "policy",
                                    "{`value`: `https://example.com/p.xml`, `format`: "
                                    "`xml-link`}"),
                                RES("apis", "a", "{`path`: `a`}"),
                                RES("apis/operations", "a/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                RES("apis/policies", "a/policy",
                                    "{`value`: `<policies />`, `format`: `RawXml`}"),
                                RES("apis/operations/policies", "a/op/policy",
                                    "{`policyContent`: `<policies />`, `contentFormat`: "
                                    "`rawxml`}"),
                                NULL,
                            }),
                    0);
    struct model_service *s = service(&t);
    CU_ASSERT_STRING_EQUAL(s->policy->format, "xml-link");
    CU_ASSERT_EQUAL(tu_count(&t, DC_POLICY_LINK), 1);
    CU_ASSERT_EQUAL(level_of(&t, DC_POLICY_LINK), DIAG_WARNING);
    CU_ASSERT_STRING_EQUAL(api(&t, "a", "1")->policy->format, "rawxml");
    CU_ASSERT_STRING_EQUAL(operation(api(&t, "a", "1"), "op")->policy->format, "rawxml");
    CU_ASSERT_EQUAL(tu_count(&t, DC_UNKNOWN_PROPERTY), 0);
    tu_release(&t);
}

static void test_product_defaults(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("products", "plain", "{`displayName`: `Plain`}"),
                                RES("products", "open",
                                    "{`displayName`: `Open`, `subscriptionRequired`: false, "
                                    "`approvalRequired`: true, `subscriptionsLimit`: 3, "
                                    "`state`: `Published`, `terms`: `t`}"),
                                NULL,
                            }),
                    0);
    struct model_product *p = product(&t, "plain");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_STRING_EQUAL(p->display_name, "Plain");
    CU_ASSERT_TRUE(p->subscription_required);
    CU_ASSERT_FALSE(p->approval_required);
    CU_ASSERT_STRING_EQUAL(p->state, "notPublished");
    CU_ASSERT_EQUAL(p->subscriptions_limit, -1);
    CU_ASSERT_PTR_NULL(p->policy);
    p = product(&t, "open");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_FALSE(p->subscription_required);
    CU_ASSERT_TRUE(p->approval_required);
    CU_ASSERT_STRING_EQUAL(p->state, "published");
    CU_ASSERT_EQUAL(p->subscriptions_limit, 3);
    tu_release(&t);
}

/* products/apis/{apiId} (no body) and products/apiLinks/{id} {apiId}. */
static void test_product_links(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(tu_template(&t, nested_template, NULL), 0);
    const struct model_product_api *l = service(&t)->links;
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    CU_ASSERT_PTR_NOT_NULL_FATAL(l->next);
    CU_ASSERT_PTR_NULL(l->next->next);
    for (; l; l = l->next) {
        CU_ASSERT_STRING_EQUAL(l->product_id, "starter");
        CU_ASSERT_STRING_EQUAL(l->api_id, "echo-api");
        CU_ASSERT_PTR_EQUAL(l->product, product(&t, "starter"));
        CU_ASSERT_PTR_NOT_NULL(l->api);
    }
    tu_release(&t);
}

/* Scopes: "/apis", "/apis/x", "/products/x", full resource ids of each,
 * and the service id (all access). */
static void test_subscription_scopes(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(&t,
                (const char *const[]){
                    SERVICE,
                    RES("apis", "echo", "{`path`: `echo`}"),
                    RES("apis/operations", "echo/op",
                        "{`displayName`: `Op`, `method`: `GET`, `urlTemplate`: `/`}"),
                    RES("products", "starter", "{`displayName`: `Starter`}"),
                    RES("subscriptions", "all",
                        "{`displayName`: `All`, `scope`: `/apis`, `state`: `active`}"),
                    RES("subscriptions", "one",
                        "{`displayName`: `One`, `scope`: `/apis/echo`, `state`: `active`, "
                        "`primaryKey`: `pk`, `secondaryKey`: `sk`, `allowTracing`: false}"),
                    RES("subscriptions", "prod",
                        "{`displayName`: `Prod`, `scope`: `/products/starter`, `state`: "
                        "`Suspended`}"),
                    RES("subscriptions", "full-api",
                        "{`displayName`: `F`, `state`: `active`, `scope`: "
                        "`[resourceId('Microsoft.ApiManagement/service/apis', "
                        "parameters('svc'), 'echo')]`}"),
                    RES("subscriptions", "full-product",
                        "{`displayName`: `F`, `state`: `active`, `scope`: "
                        "`[resourceId('Microsoft.ApiManagement/service/products', "
                        "parameters('svc'), 'starter')]`}"),
                    RES("subscriptions", "full-all",
                        "{`displayName`: `F`, `state`: `active`, `scope`: "
                        "`[concat(resourceId('Microsoft.ApiManagement/service', "
                        "parameters('svc')), '/apis')]`}"),
                    RES("subscriptions", "service",
                        "{`displayName`: `F`, `state`: `active`, `scope`: "
                        "`[resourceId('Microsoft.ApiManagement/service', parameters('svc'))]`}"),
                    NULL,
                }),
        0);
    struct model_subscription *x = subscription(&t, "all");
    CU_ASSERT_EQUAL(x->scope_kind, MODEL_SUB_ALL_APIS);
    CU_ASSERT_STRING_EQUAL(x->state, "active");
    CU_ASSERT_TRUE(x->allow_tracing);
    CU_ASSERT_PTR_NULL(x->primary_key);
    x = subscription(&t, "one");
    CU_ASSERT_EQUAL(x->scope_kind, MODEL_SUB_API);
    CU_ASSERT_STRING_EQUAL(x->scope_target, "echo");
    CU_ASSERT_STRING_EQUAL(x->scope, "/apis/echo");
    CU_ASSERT_STRING_EQUAL(x->display_name, "One");
    CU_ASSERT_STRING_EQUAL(x->primary_key, "pk");
    CU_ASSERT_STRING_EQUAL(x->secondary_key, "sk");
    CU_ASSERT_FALSE(x->allow_tracing);
    x = subscription(&t, "prod");
    CU_ASSERT_EQUAL(x->scope_kind, MODEL_SUB_PRODUCT);
    CU_ASSERT_STRING_EQUAL(x->scope_target, "starter");
    CU_ASSERT_STRING_EQUAL(x->state, "suspended");
    x = subscription(&t, "full-api");
    CU_ASSERT_EQUAL(x->scope_kind, MODEL_SUB_API);
    CU_ASSERT_STRING_EQUAL(x->scope_target, "echo");
    x = subscription(&t, "full-product");
    CU_ASSERT_EQUAL(x->scope_kind, MODEL_SUB_PRODUCT);
    CU_ASSERT_STRING_EQUAL(x->scope_target, "starter");
    CU_ASSERT_EQUAL(subscription(&t, "full-all")->scope_kind, MODEL_SUB_ALL_APIS);
    CU_ASSERT_EQUAL(subscription(&t, "service")->scope_kind, MODEL_SUB_ALL_APIS);
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

/* Scopes that are none of the accepted forms. */
static void test_subscription_scope_invalid(void)
{
    static const char *const scopes[] = { "/users/u1", "/apisx", "apis", "/products" };
    for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
        struct tu t;
        tu_init(&t);
        const char *sub = arena_printf(&t.arena,
                                       RES("subscriptions", "s",
                                           "{`displayName`: `S`, `state`: `active`, `scope`: "
                                           "`%s`}"),
                                       scopes[i]);
        CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, sub, NULL }), 1);
        CU_ASSERT_EQUAL(subscription(&t, "s")->scope_kind, MODEL_SUB_INVALID);
        CU_ASSERT_EQUAL(tu_count(&t, DC_SUBSCRIPTION_SCOPE), 1);
        if (subscription(&t, "s")->scope_kind != MODEL_SUB_INVALID)
            fprintf(stderr, "\nscope '%s' was accepted\n", scopes[i]);
        tu_release(&t);
    }
}

/* Before api-version 2019-01-01 a subscription named its user and product. */
static void test_subscription_legacy(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("products", "starter", "{`displayName`: `Starter`}"),
                                RES("subscriptions", "old",
                                    "{`displayName`: `Old`, `userId`: `/users/1`, "
                                    "`productId`: `/products/starter`, `state`: `active`}"),
                                NULL,
                            }),
                    0);
    struct model_subscription *x = subscription(&t, "old");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_STRING_EQUAL(x->scope, "/products/starter");
    CU_ASSERT_EQUAL(x->scope_kind, MODEL_SUB_PRODUCT);
    CU_ASSERT_STRING_EQUAL(x->scope_target, "starter");
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

static void test_backends(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(&t,
                (const char *const[]){
                    SERVICE,
                    RES("backends", "b1",
                        "{`url`: `https://b1.example.com/api`, `protocol`: "
                        "`http`, `title`: `B1`, `tls`: "
                        "{`validateCertificateChain`: true}}"),
                    RES("backends", "b2", "{`url`: `http://b2.example.com`, `protocol`: `SOAP`}"),
                    RES("backends", "pool",
                        "{`type`: `Pool`, `pool`: {`services`: [{`id`: "
                        "`/backends/b1`, `priority`: 1}, {`id`: "
                        "`[resourceId('Microsoft.ApiManagement/service/"
                        "backends', parameters('svc'), 'b2')]`}]}}"),
                    NULL,
                }),
        0);
    struct model_backend *b = backend(&t, "b1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(b->type, "Single");
    CU_ASSERT_STRING_EQUAL(b->url, "https://b1.example.com/api");
    CU_ASSERT_STRING_EQUAL(b->protocol, "http");
    CU_ASSERT_EQUAL(b->npool, 0);
    CU_ASSERT_PTR_NOT_NULL(jval_get(b->body, "tls"));
    CU_ASSERT_STRING_EQUAL(backend(&t, "b2")->protocol, "soap");
    b = backend(&t, "pool");
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(b->type, "Pool");
    CU_ASSERT_PTR_NULL(b->url);
    CU_ASSERT_EQUAL_FATAL(b->npool, 2);
    CU_ASSERT_STRING_EQUAL(b->pool[0], "b1");
    CU_ASSERT_STRING_EQUAL(b->pool[1], "b2");
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

/* namedValues, and service/properties, their name before 2019. */
static void test_named_values(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(&t,
                (const char *const[]){
                    SERVICE,
                    RES("namedValues", "plain",
                        "{`displayName`: `plain-name`, `value`: `v1`, `tags`: "
                        "[`a`]}"),
                    RES("namedValues", "hidden",
                        "{`displayName`: `hidden`, `value`: `s`, `secret`: "
                        "true}"),
                    RES("namedValues", "vault",
                        "{`displayName`: `vault`, `secret`: true, `keyVault`: "
                        "{`secretIdentifier`: "
                        "`https://kv.vault.azure.net/secrets/x`}}"),
                    RES("properties", "old", "{`displayName`: `old`, `value`: `legacy`}"),
                    NULL,
                }),
        0);
    struct model_named_value *nv = named_value(&t, "plain");
    CU_ASSERT_PTR_NOT_NULL_FATAL(nv);
    CU_ASSERT_STRING_EQUAL(nv->display_name, "plain-name");
    CU_ASSERT_STRING_EQUAL(nv->value->u.s.ptr, "v1");
    CU_ASSERT_FALSE(nv->secret);
    CU_ASSERT_FALSE(nv->key_vault);
    CU_ASSERT_TRUE(named_value(&t, "hidden")->secret);
    nv = named_value(&t, "vault");
    CU_ASSERT_PTR_NOT_NULL_FATAL(nv);
    CU_ASSERT_TRUE(nv->key_vault);
    CU_ASSERT_PTR_NULL(nv->value);
    nv = named_value(&t, "old");
    CU_ASSERT_PTR_NOT_NULL_FATAL(nv);
    CU_ASSERT_STRING_EQUAL(nv->value->u.s.ptr, "legacy");
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

static void test_version_sets_loggers_diagnostics(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apiVersionSets", "by-header",
                                    "{`displayName`: `H`, `versioningScheme`: `header`, "
                                    "`versionHeaderName`: `Api-Version`}"),
                                RES("api-version-sets", "by-path",
                                    "{`displayName`: `S`, `versioningScheme`: `Segment`}"),
                                RES("loggers", "hub",
                                    "{`loggerType`: `azureEventHub`, `credentials`: {`name`: "
                                    "`h`, `connectionString`: `c`}}"),
                                RES("apis", "a", "{`path`: `a`}"),
                                RES("apis/operations", "a/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                RES("diagnostics", "azuremonitor",
                                    "{`loggerId`: `/loggers/hub`, `verbosity`: `error`}"),
                                RES("apis/diagnostics", "a/applicationinsights",
                                    "{`loggerId`: `[resourceId('Microsoft.ApiManagement/"
                                    "service/loggers', parameters('svc'), 'hub')]`}"),
                                NULL,
                            }),
                    0);
    struct model_service *s = service(&t);
    const struct model_version_set *vs = s->version_sets;
    CU_ASSERT_PTR_NOT_NULL_FATAL(vs);
    CU_ASSERT_STRING_EQUAL(vs->id, "by-header");
    CU_ASSERT_STRING_EQUAL(vs->display_name, "H");
    CU_ASSERT_STRING_EQUAL(vs->scheme, "Header");
    CU_ASSERT_STRING_EQUAL(vs->header_name, "Api-Version");
    CU_ASSERT_PTR_NULL(vs->query_name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(vs->next);
    CU_ASSERT_STRING_EQUAL(vs->next->id, "by-path");
    CU_ASSERT_STRING_EQUAL(vs->next->scheme, "Segment");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->loggers);
    CU_ASSERT_STRING_EQUAL(s->loggers->id, "hub");
    CU_ASSERT_STRING_EQUAL(s->loggers->type, "azureEventHub");
    const struct model_diagnostic *d = s->diagnostics;
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_STRING_EQUAL(d->id, "azuremonitor");
    CU_ASSERT_PTR_NULL(d->api_id);
    CU_ASSERT_STRING_EQUAL(d->logger_ref, "/loggers/hub");
    CU_ASSERT_PTR_NOT_NULL_FATAL(d->next);
    CU_ASSERT_STRING_EQUAL(d->next->id, "applicationinsights");
    CU_ASSERT_STRING_EQUAL(d->next->api_id, "a");
    CU_ASSERT_PTR_NOT_NULL(strstr(d->next->logger_ref, "/loggers/hub"));
    CU_ASSERT_EQUAL(t.diag.n, 0);
    tu_release(&t);
}

/* A fragment needs only 'value' (PolicyFragmentContractProperties). */
static void test_fragments_gateways_releases(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(&t,
                (const char *const[]){
                    SERVICE,
                    RES("policyFragments", "minimal", "{`value`: `<fragment><base /></fragment>`}"),
                    RES("policyFragments", "raw",
                        "{`value`: `<fragment />`, `format`: `rawxml`, "
                        "`description`: `d`}"),
                    RES("gateways", "edge",
                        "{`locationData`: {`name`: `Edge`}, `description`: "
                        "`d`}"),
                    RES("apis", "a", "{`path`: `a`}"),
                    RES("apis/operations", "a/op",
                        "{`displayName`: `Op`, `method`: `GET`, "
                        "`urlTemplate`: `/`}"),
                    RES("gateways/apis", "edge/a", "{}"),
                    RES("apis/releases", "a/v1", "{`apiId`: `/apis/a`, `notes`: `first`}"),
                    NULL,
                }),
        0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_REQUIRED_PROPERTY), 0);
    struct model_service *s = service(&t);
    const struct model_fragment *f = s->fragments;
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_STRING_EQUAL(f->id, "minimal");
    CU_ASSERT_STRING_EQUAL(f->format, "xml");
    CU_ASSERT_STRING_EQUAL(f->value->u.s.ptr, "<fragment><base /></fragment>");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f->next);
    CU_ASSERT_STRING_EQUAL(f->next->format, "rawxml");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->gateways);
    CU_ASSERT_STRING_EQUAL(s->gateways->id, "edge");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->gateway_apis);
    CU_ASSERT_STRING_EQUAL(s->gateway_apis->gateway_id, "edge");
    CU_ASSERT_STRING_EQUAL(s->gateway_apis->api_id, "a");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->releases);
    CU_ASSERT_STRING_EQUAL(s->releases->api_id, "a");
    CU_ASSERT_STRING_EQUAL(s->releases->api_ref, "/apis/a");
    CU_ASSERT_TRUE(api(&t, "a", "1")->is_current);
    tu_release(&t);
    /* Without 'value' it is an error. */
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("policyFragments", "empty", "{`description`: `d`}"),
                                NULL,
                            }),
                    1);
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "'value'"));
    tu_release(&t);
}

/* An unknown Microsoft.ApiManagement type is most likely a typo: a warning.
 * Other providers are noted once per type, then skipped. */
static void test_unknown_and_foreign_types(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(&t,
                (const char *const[]){
                    SERVICE,
                    RES("apiz", "a", "{`path`: `a`}"),
                    "{`type`: `Microsoft.Storage/storageAccounts`, `apiVersion`: `2023-01-01`, "
                    "`name`: `store1`, `location`: `eastus`, `kind`: `StorageV2`, `sku`: "
                    "{`name`: `Standard_LRS`}}",
                    "{`type`: `Microsoft.Storage/storageAccounts`, `apiVersion`: `2023-01-01`, "
                    "`name`: `store2`, `location`: `eastus`, `kind`: `StorageV2`, `sku`: "
                    "{`name`: `Standard_LRS`}}",
                    "{`type`: `Microsoft.Insights/components`, `apiVersion`: `2020-02-02`, "
                    "`name`: `ai`, `location`: `eastus`, `kind`: `web`}",
                    NULL,
                }),
        0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_UNKNOWN_APIM_TYPE), 1);
    CU_ASSERT_EQUAL(level_of(&t, DC_UNKNOWN_APIM_TYPE), DIAG_WARNING);
    CU_ASSERT_TRUE(tu_has(&t, DC_UNKNOWN_APIM_TYPE, "'Microsoft.ApiManagement/service/apiz'"));
    ASSERT_AT(&t, DC_UNKNOWN_APIM_TYPE, "`Microsoft.ApiManagement/service/apiz`");
    ASSERT_AT(&t, DC_NOT_EMULATED, "`Microsoft.Storage/storageAccounts`");
    CU_ASSERT_EQUAL(tu_count(&t, DC_NOT_EMULATED), 2);
    CU_ASSERT_EQUAL(level_of(&t, DC_NOT_EMULATED), DIAG_NOTE);
    CU_ASSERT_TRUE(tu_has(&t, DC_NOT_EMULATED, "'Microsoft.Storage/storageAccounts'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_NOT_EMULATED, "'Microsoft.Insights/components'"));
    CU_ASSERT_PTR_NULL(service(&t)->apis);
    tu_release(&t);
}

static void test_unknown_property(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis", "a",
                                    "{`path`: `a`, `servicUrl`: `https://x.example.com`, "
                                    "`SubscriptionRequired`: false, `colour`: `red`}"),
                                RES("apis/operations", "a/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                NULL,
                            }),
                    0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_UNKNOWN_PROPERTY), 2);
    CU_ASSERT_EQUAL(level_of(&t, DC_UNKNOWN_PROPERTY), DIAG_WARNING);
    CU_ASSERT_TRUE(tu_has(&t, DC_UNKNOWN_PROPERTY, "API has no property 'servicUrl'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_UNKNOWN_PROPERTY, "'colour'"));
    CU_ASSERT_TRUE(has_note(&t, DC_UNKNOWN_PROPERTY, "did you mean 'serviceUrl'?"));
    ASSERT_AT(&t, DC_UNKNOWN_PROPERTY, "`servicUrl`");
    /* Property names are case-insensitive, as in ARM. */
    CU_ASSERT_FALSE(api(&t, "a", "1")->subscription_required);
    tu_release(&t);
}

/* Each type's required properties (2024-05-01 specification). */
static void test_required_properties(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(
            &t,
            (const char *const[]){
                SERVICE,
                RES("apis", "nopath", "{`displayName`: `No path`}"),
                RES("apis", "a", "{`path`: `a`}"),
                RES("apis/operations", "a/nomethod", "{`displayName`: `Op`, `urlTemplate`: `/`}"),
                RES("products", "noname", "{`state`: `published`}"),
                RES("subscriptions", "noscope", "{`displayName`: `S`, `state`: `active`}"),
                RES("backends", "nourl", "{`protocol`: `http`}"),
                RES("backends", "emptypool", "{`type`: `Pool`}"),
                RES("apiVersionSets", "noscheme", "{`displayName`: `V`}"),
                RES("apiVersionSets", "noquery",
                    "{`displayName`: `V`, `versioningScheme`: `Query`}"),
                RES("loggers", "notype", "{`description`: `d`}"),
                RES("diagnostics", "nologger", "{`verbosity`: `error`}"),
                RES("namedValues", "novalue", "{`displayName`: `novalue`}"),
                RES("namedValues", "noname", "{`value`: `v`}"),
                RES("products", "p", "{`displayName`: `P`}"),
                RES("products/apiLinks", "p/noapi", "{}"),
                NULL,
            }),
        13);
    CU_ASSERT_EQUAL(tu_count(&t, DC_REQUIRED_PROPERTY), 13);
    /* A missing path is reported once, not again as a missing revision. */
    CU_ASSERT_EQUAL(tu_count(&t, DC_REVISION), 0);
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "API 'nopath' has no 'path'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "operation 'nomethod' has no 'method'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "product 'noname' has no 'displayName'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "subscription 'noscope' has no 'scope'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "backend 'nourl' has no 'url'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "backend 'emptypool' has no 'pool'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "'noscheme' has no 'versioningScheme'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "has no 'versionQueryName'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "logger 'notype' has no 'loggerType'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "diagnostic 'nologger' has no 'loggerId'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "neither a 'value' nor a 'keyVault'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "named value 'noname' has no 'displayName'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_REQUIRED_PROPERTY, "product API link 'noapi' has no 'apiId'"));
    /* Located at the resource name. */
    ASSERT_AT(&t, DC_REQUIRED_PROPERTY, "`[concat(parameters('svc'), '/nopath')]`");
    tu_release(&t);
    /* A revision copies its path from the API, so it needs none. */
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis", "a", "{`path`: `a`}"),
                                RES("apis/operations", "a/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                RES("apis", "a;rev=2", "{`apiRevisionDescription`: `x`}"),
                                RES("apis", "copy", "{`sourceApiId`: `/apis/a`}"),
                                NULL,
                            }),
                    0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_REQUIRED_PROPERTY), 0);
    tu_release(&t);
}

/* Enumerations: checked without case, kept in their canonical spelling. */
static void test_enum_values(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(
        compile(
            &t,
            (const char *const[]){
                SERVICE,
                RES("apis", "a", "{`path`: `a`, `type`: `rest`, `protocols`: [`https`, `ftp`]}"),
                RES("apis/operations", "a/op",
                    "{`displayName`: `Op`, `method`: `GET`, `urlTemplate`: `/`}"),
                RES("apis/policies", "a/policy", "{`value`: `<policies />`, `format`: `json`}"),
                RES("products", "p", "{`displayName`: `P`, `state`: `public`}"),
                RES("subscriptions", "s",
                    "{`displayName`: `S`, `scope`: `/apis`, `state`: `enabled`}"),
                RES("backends", "b", "{`url`: `https://b.example.com`, `protocol`: `https`}"),
                RES("apiVersionSets", "vs", "{`displayName`: `V`, `versioningScheme`: `Path`}"),
                NULL,
            }),
        7);
    CU_ASSERT_EQUAL(tu_count(&t, DC_PROPERTY_VALUE), 7);
    CU_ASSERT_TRUE(tu_has(&t, DC_PROPERTY_VALUE, "'rest' is not a valid value of 'type'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PROPERTY_VALUE, "'protocols' may hold"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PROPERTY_VALUE, "'json' is not a valid value of 'format'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PROPERTY_VALUE, "'public' is not a valid value of 'state'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PROPERTY_VALUE, "'enabled' is not a valid value of 'state'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PROPERTY_VALUE, "'https' is not a valid value of 'protocol'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PROPERTY_VALUE, "'Path' is not a valid value"));
    /* Located at the value: the first is the protocol 'ftp'. */
    ASSERT_AT(&t, DC_PROPERTY_VALUE, "`ftp`");
    /* Wrong JSON types are the same code. */
    tu_release(&t);
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("products", "p",
                                    "{`displayName`: `P`, `subscriptionRequired`: `yes`, "
                                    "`subscriptionsLimit`: `ten`}"),
                                NULL,
                            }),
                    2);
    CU_ASSERT_TRUE(tu_has(&t, DC_PROPERTY_VALUE, "'subscriptionRequired' must be a bool"));
    CU_ASSERT_TRUE(tu_has(&t, DC_PROPERTY_VALUE, "'subscriptionsLimit' must be an int"));
    CU_ASSERT_TRUE(product(&t, "p")->subscription_required); /* the default stays */
    tu_release(&t);
}

/* API Management names may not hold * # & + : < > ?; ';' is for revisions. */
static void test_resource_names(void)
{
    static const char *const bad[] = { "a*b", "a#b", "a&b", "a+b", "a:b", "a<b", "a>b", "a?b" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct tu t;
        tu_init(&t);
        const char *res = arena_printf(&t.arena, RES("apis", "%s", "{`path`: `p`}"), bad[i]);
        CU_ASSERT_EQUAL(compile(&t, (const char *const[]){ SERVICE, res, NULL }), 1);
        CU_ASSERT_EQUAL(tu_count(&t, DC_RESOURCE_NAME), 1);
        CU_ASSERT_TRUE(tu_has(&t, DC_RESOURCE_NAME, bad[i]));
        CU_ASSERT_PTR_NULL(service(&t)->apis); /* dropped: no cascade */
        tu_release(&t);
    }
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis", "a-b_c.d~1", "{`path`: `p`}"),
                                RES("apis/operations", "a-b_c.d~1/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                NULL,
                            }),
                    0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_RESOURCE_NAME), 0);
    CU_ASSERT_PTR_NOT_NULL(api(&t, "a-b_c.d~1", "1"));
    tu_release(&t);
}

/* Every policy resource is named 'policy'. */
static void test_policy_name(void)
{
    struct tu t;
    tu_init(&t);
    CU_ASSERT_EQUAL(compile(&t,
                            (const char *const[]){
                                SERVICE,
                                RES("apis", "a", "{`path`: `a`}"),
                                RES("apis/operations", "a/op",
                                    "{`displayName`: `Op`, `method`: `GET`, "
                                    "`urlTemplate`: `/`}"),
                                RES("apis/policies", "a/mypolicy", "{`value`: `<policies />`}"),
                                RES("policies", "Policy", "{`value`: `<policies />`}"),
                                NULL,
                            }),
                    1);
    CU_ASSERT_EQUAL(tu_count(&t, DC_POLICY_NAME), 1);
    CU_ASSERT_TRUE(tu_has(&t, DC_POLICY_NAME, "not 'mypolicy'"));
    ASSERT_AT(&t, DC_POLICY_NAME, "`[concat(parameters('svc'), '/a/mypolicy')]`");
    CU_ASSERT_PTR_NULL(api(&t, "a", "1")->policy);
    CU_ASSERT_PTR_NOT_NULL(service(&t)->policy); /* 'Policy': names ignore case */
    tu_release(&t);
}

/* A copy of examples/seed/simple-api.json (the seed's own format). */
static const char seed_simple_api[] = "{\n"
                                      "  `name`: `SimpleAPI`,\n"
                                      "  `apiVersion`: `2021-01-01`,\n"
                                      "  `properties`: {\n"
                                      "    `authentication`: {\n"
                                      "      `signedInUserOnly`: false\n"
                                      "    },\n"
                                      "    `apiVersion`: `2021-01-01`,\n"
                                      "    `gateway`: {\n"
                                      "      `gatewayName`: `simple-gateway`,\n"
                                      "      `gatewayType`: `express`\n"
                                      "    },\n"
                                      "    `apiName`: `simple-api`,\n"
                                      "    `apiVersion`: `2021-01-01`,\n"
                                      "    `paths`: [\n"
                                      "      {\n"
                                      "        `path`: `/`,\n"
                                      "        `apiVersion`: `2021-01-01`,\n"
                                      "        `methods`: [\n"
                                      "          {\n"
                                      "            `method`: `get`,\n"
                                      "            `apiVersion`: `2021-01-01`,\n"
                                      "            `backend`: {\n"
                                      "              `type`: `http`,\n"
                                      "              `endpoint`: `http://localhost:5000`\n"
                                      "            },\n"
                                      "            `authentication`: {\n"
                                      "              `signedInUserOnly`: false\n"
                                      "            }\n"
                                      "          }\n"
                                      "        ]\n"
                                      "      }\n"
                                      "    ]\n"
                                      "  }\n"
                                      "}\n";

static void test_simple_api_seed(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *doc = tu_parse(&t, seed_simple_api);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_TRUE(model_is_simple_api(doc));
    CU_ASSERT_FALSE(arm_is_template(doc));
    model_add_simple_api(&t.model, doc);
    model_check(&t.model);
    CU_ASSERT_EQUAL(t.diag.nerrors, 0);
    CU_ASSERT_EQUAL(tu_count(&t, DC_DUPLICATE_KEY), 1); /* properties.apiVersion, twice */
    CU_ASSERT_EQUAL(t.model.nservices, 1);
    struct model_service *s = service(&t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s->name, "simple-gateway");
    CU_ASSERT_TRUE(s->declared);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->gateways);
    CU_ASSERT_STRING_EQUAL(s->gateways->type, "express");
    struct model_api *a = s->apis;
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NULL(a->next);
    CU_ASSERT_STRING_EQUAL(a->id, "simple-api");
    CU_ASSERT_STRING_EQUAL(a->path, "");
    CU_ASSERT_FALSE(a->subscription_required);
    CU_ASSERT_TRUE(a->is_current);
    CU_ASSERT_EQUAL(a->nops, 1);
    struct model_operation *op = a->ops;
    CU_ASSERT_PTR_NOT_NULL_FATAL(op);
    CU_ASSERT_STRING_EQUAL(op->method, "GET");
    CU_ASSERT_STRING_EQUAL(op->url_template, "/");
    CU_ASSERT_STRING_EQUAL(op->backend_url, "http://localhost:5000");
    CU_ASSERT_PTR_EQUAL(op->api, a);
    struct model_counts c;
    model_count(&t.model, &c);
    CU_ASSERT_EQUAL(c.apis, 1);
    CU_ASSERT_EQUAL(c.operations, 1);
    tu_release(&t);
}

/* Every structural mistake of a simple API document is reported. */
static void test_simple_api_errors(void)
{
    struct tu t;
    tu_init(&t);
    struct jval *doc = tu_parse(
        &t, "{`name`: `S`, `properties`: {`apiName`: `s`, `authentication`: {`signedInUserOnly`: "
            "`yes`}, `gateway`: {`gatewayType`: `express`}, `paths`: [\n"
            " 7,\n"
            " {`methods`: []},\n"
            " {`path`: `/a`, `methods`: `get`},\n"
            " {`path`: `/b`, `methods`: [1, {`backend`: {`endpoint`: `http://x`}},\n"
            "   {`method`: `get`},\n"
            "   {`method`: `get`, `backend`: {`type`: `grpc`, `endpoint`: `http://x`}},\n"
            "   {`method`: `put`, `backend`: {`type`: `http`}},\n"
            "   {`method`: `post`, `backend`: {`endpont`: `http://x`}}]}]}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_TRUE(model_is_simple_api(doc));
    model_add_simple_api(&t.model, doc);
    CU_ASSERT_TRUE(tu_has(&t, DC_SIMPLE_API, "'signedInUserOnly' must be a bool"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SIMPLE_API, "'gateway' has no 'gatewayName'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SIMPLE_API, "each entry of 'paths' must be an object"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SIMPLE_API, "a path has no 'path'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SIMPLE_API, "'methods' of a path must be an array"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SIMPLE_API, "each entry of 'methods' must be an object"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SIMPLE_API, "a method has no 'method'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SIMPLE_API, "a method has no 'backend'"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SIMPLE_API, "backend 'type' must be"));
    CU_ASSERT_TRUE(tu_has(&t, DC_SIMPLE_API, "a backend has no 'endpoint'"));
    CU_ASSERT_TRUE(has_note(&t, DC_UNKNOWN_PROPERTY, "did you mean 'endpoint'?"));
    CU_ASSERT_EQUAL(tu_count(&t, DC_SIMPLE_API), 11);
    unsigned line, col;
    tu_where(&t, DC_SIMPLE_API, &line, &col);
    CU_ASSERT_EQUAL(line, 1);
    tu_release(&t);
    /* An endpoint that is not an absolute URL. */
    tu_init(&t);
    doc = tu_parse(&t, "{`properties`: {`apiName`: `s`, `paths`: [{`path`: `/`, `methods`: "
                       "[{`method`: `get`, `backend`: {`endpoint`: `localhost:5000`}}]}]}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    model_add_simple_api(&t.model, doc);
    CU_ASSERT_EQUAL(tu_count(&t, DC_SERVICE_URL), 1);
    CU_ASSERT_STRING_EQUAL(service(&t)->name, "simple"); /* no name, no gateway */
    tu_release(&t);
}

static CU_TestInfo tests[] = {
    { "nested and flat resources agree", test_nested_and_flat_agree },
    { "resource order does not matter", test_flat_order_does_not_matter },
    { "API fields", test_api_fields },
    { "API defaults", test_api_defaults },
    { "API revisions", test_api_revisions },
    { "operation fields", test_operation_fields },
    { "operation method is upper case", test_operation_method_upper_case },
    { "operation without its API", test_operation_without_api },
    { "policies at every scope", test_policies_every_scope },
    { "policy formats", test_policy_formats },
    { "product defaults", test_product_defaults },
    { "product links: apis and apiLinks", test_product_links },
    { "subscription scopes", test_subscription_scopes },
    { "subscription scopes that are invalid", test_subscription_scope_invalid },
    { "subscription legacy userId/productId", test_subscription_legacy },
    { "backends: single and pool", test_backends },
    { "named values and legacy properties", test_named_values },
    { "version sets, loggers, diagnostics", test_version_sets_loggers_diagnostics },
    { "fragments, gateways, releases", test_fragments_gateways_releases },
    { "unknown and foreign resource types", test_unknown_and_foreign_types },
    { "unknown property: did you mean", test_unknown_property },
    { "required properties", test_required_properties },
    { "enumerated values", test_enum_values },
    { "resource names", test_resource_names },
    { "policy named other than 'policy'", test_policy_name },
    { "seed simple API document", test_simple_api_seed },
    { "simple API document errors", test_simple_api_errors },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "model", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
