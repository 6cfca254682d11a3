/* model_build.c - evaluated ARM resources -> the API Management model.
 *
 * One table row per resource type says how to read it, which properties it
 * has (others get a warning: usually a typo that Azure would reject or
 * ignore) and which are required. Property names and required sets follow
 * the Microsoft.ApiManagement REST specification, api-version 2024-05-01
 * (plus the newer preview additions a template may use). */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "model_build_int.h"
#include "suggest.h"

/* ---- property access ---- */

const char *mb_dup(struct builder *b, struct str s)
{
    return arena_strndup(b->m->arena, s.ptr, s.len);
}

struct loc mb_prop_loc(struct builder *b, const char *key)
{
    struct jval_member *m = jval_get_member(b->props, key);
    if (m && (m->value->flags & JV_F_LITERAL))
        return m->value->loc;
    if (m)
        return m->value->loc.src ? m->value->loc : m->key_loc;
    return b->r->name_loc;
}

static void wrong_type(struct builder *b, const char *key, const char *want)
{
    struct jval *v = jval_get(b->props, key);
    diag_emit(b->m->diag, DC_PROPERTY_VALUE, mb_prop_loc(b, key), "'%s' must be %s, not %s %s", key,
              want, v->kind == JV_INT || v->kind == JV_ARRAY || v->kind == JV_OBJECT ? "an" : "a",
              jval_kind_name(v->kind));
}

/* A string property, or NULL when absent, null or known only at deployment. */
const char *mb_prop_str(struct builder *b, const char *key)
{
    struct jval *v = jval_get(b->props, key);
    if (v == NULL || v->kind == JV_NULL || v->kind == JV_UNKNOWN)
        return NULL;
    if (v->kind == JV_INT) {
        /* An int parameter passed to a string property ("apiRevision":
         * "[parameters('apiRevision')]" with an int parameter) is common in
         * templates that deploy: not provably rejected, so a warning, and
         * the model takes the number's text. */
        diag_emit_level(b->m->diag, DIAG_WARNING, DC_PROPERTY_VALUE, mb_prop_loc(b, key),
                        "'%s' is an int where the API Management REST API takes a string; "
                        "write \"%lld\"",
                        key, (long long)v->u.i);
        return arena_printf(b->m->arena, "%lld", (long long)v->u.i);
    }
    if (v->kind != JV_STRING) {
        wrong_type(b, key, "a string");
        return NULL;
    }
    return v->u.s.ptr;
}

bool mb_prop_bool(struct builder *b, const char *key, bool def)
{
    struct jval *v = jval_get(b->props, key);
    if (v == NULL || v->kind == JV_NULL || v->kind == JV_UNKNOWN)
        return def;
    if (v->kind != JV_BOOL) {
        wrong_type(b, key, "a bool");
        return def;
    }
    return v->u.b;
}

static int64_t prop_int(struct builder *b, const char *key, int64_t def)
{
    struct jval *v = jval_get(b->props, key);
    if (v == NULL || v->kind == JV_NULL || v->kind == JV_UNKNOWN)
        return def;
    if (v->kind != JV_INT) {
        wrong_type(b, key, "an int");
        return def;
    }
    return v->u.i;
}

/* Checks an enumerated string property; returns the canonical spelling. */
const char *mb_prop_enum(struct builder *b, const char *key, const char *const *allowed,
                         const char *def)
{
    const char *v = mb_prop_str(b, key);
    if (v == NULL)
        return def;
    /* A --sample-parameters stand-in is no value the author chose. */
    if (jval_get(b->props, key)->flags & JV_F_SAMPLE)
        return def;
    for (size_t i = 0; allowed[i]; i++)
        if (str_ieq_cstr(str_from_cstr(v), allowed[i]))
            return allowed[i];
    char list[256] = "";
    size_t used = 0;
    for (size_t i = 0; allowed[i] && used < sizeof(list) - 40; i++)
        used +=
            (size_t)snprintf(list + used, sizeof(list) - used, "%s'%s'", i ? ", " : "", allowed[i]);
    diag_emit(b->m->diag, DC_PROPERTY_VALUE, mb_prop_loc(b, key),
              "'%s' is not a valid value of '%s'; use one of %s", v, key, list);
    return def;
}

/* Properties API Management renamed after api-version 2018-01-01: the old
 * name at a newer api-version says what it is called now. */
static const char *renamed_property(struct str key)
{
    static const char *const renamed[][2] = { { "contentFormat", "format" },
                                              { "contentValue", "value" } };
    for (size_t i = 0; i < sizeof(renamed) / sizeof(renamed[0]); i++)
        if (str_ieq_cstr(key, renamed[i][0]))
            return renamed[i][1];
    return NULL;
}

static bool renamed_note(struct diag *d, struct diag_entry *e, const struct jval_member *m)
{
    const char *renamed = renamed_property(m->key);
    if (renamed)
        diag_note(d, e, m->key_loc,
                  "'%.*s' is its name up to api-version 2018-01-01; later api-versions call it "
                  "'%s'",
                  STR_FMT(m->key), renamed);
    return renamed != NULL;
}

void mb_check_props(struct builder *b, const char *what, const char *const *known,
                    const char *const *required)
{
    struct jval *props = jval_get(b->r->body, "properties");
    for (size_t i = 0; required && required[i]; i++) {
        struct jval *v = jval_get(props, required[i]);
        if (v == NULL || v->kind == JV_NULL)
            diag_emit(b->m->diag, DC_REQUIRED_PROPERTY, b->r->name_loc, "%s '%.*s' has no '%s'",
                      what, STR_FMT(b->segs[b->nsegs - 1]), required[i]);
    }
    suggest_unknown_keys(b->m->diag, b->m->arena, props, known, DC_UNKNOWN_PROPERTY,
                         UNKNOWN_KEY_HAS_NO, what, renamed_note);
}

/* ---- services ---- */

struct model_service *model_service_named(struct model *m, const char *name, struct loc at)
{
    for (struct model_service *s = m->services; s; s = s->next)
        if (str_ieq(str_from_cstr(s->name), str_from_cstr(name)))
            return s;
    struct model_service *s = ARENA_NEW(m->arena, struct model_service);
    s->name = name;
    s->loc = at;
    if (m->services_last)
        m->services_last->next = s;
    else
        m->services = s;
    m->services_last = s;
    m->nservices++;
    return s;
}

struct model_service *mb_service(struct builder *b)
{
    if (b->into)
        return b->into;
    return model_service_named(b->m, mb_dup(b, b->segs[0]), b->r->name_loc);
}

void model_api_add_operation(struct model_api *a, struct model_operation *op)
{
    op->api = a;
    op->next = NULL;
    if (op->copy.loop == NULL) /* made by an import: a copy of the API's */
        op->copy = a->copy;
    if (a->ops_last)
        a->ops_last->next = op;
    else
        a->ops = op;
    a->ops_last = op;
    a->nops++;
}

static void build_service(struct builder *b)
{
    struct model_service *s = mb_service(b);
    s->declared = true;
    s->loc = b->r->name_loc;
    const char *sku = jval_get_str(jval_get(b->r->body, "sku"), "name");
    s->sku = sku ? arena_strdup(b->m->arena, sku) : NULL;
}

/* ---- policies ---- */

/* The product, API or operation a document belongs to: none at global and
 * workspace scope. */
static const char *policy_owner(struct builder *b, enum model_scope scope)
{
    switch (scope) {
    case MODEL_SCOPE_GLOBAL:
    case MODEL_SCOPE_WORKSPACE:
        return NULL;
    case MODEL_SCOPE_OPERATION:
        return mb_dup(b, b->segs[2]);
    case MODEL_SCOPE_PRODUCT:
    case MODEL_SCOPE_API:
        break;
    }
    return mb_dup(b, b->segs[1]);
}

void mb_attach_policy(struct builder *b, enum model_scope scope)
{
    static const char *const props[] = { "value", "format", "policyContent", "contentFormat",
                                         NULL };
    mb_check_props(b, "policy", props, NULL);
    struct str name = b->segs[b->nsegs - 1];
    if (!str_ieq_cstr(name, "policy")) {
        diag_emit(b->m->diag, DC_POLICY_NAME, b->r->name_loc,
                  "a policy resource must be named 'policy', not '%.*s'", STR_FMT(name));
        return;
    }
    struct jval *value = jval_get(b->props, "value");
    if (value == NULL)
        value = jval_get(b->props, "policyContent");
    if (value == NULL || value->kind == JV_NULL) {
        diag_emit(b->m->diag, DC_REQUIRED_PROPERTY, b->r->name_loc, "policy has no 'value'");
        return;
    }
    if (value->kind != JV_STRING && value->kind != JV_UNKNOWN) {
        diag_emit(b->m->diag, DC_PROPERTY_VALUE, mb_prop_loc(b, "value"),
                  "policy 'value' must be a string");
        return;
    }
    static const char *const formats[] = { "xml", "xml-link", "rawxml", "rawxml-link", NULL };
    const char *key = jval_get(b->props, "format") ? "format" : "contentFormat";
    struct model_policy *p = ARENA_NEW(b->m->arena, struct model_policy);
    p->copy = b->r->copy;
    p->scope = scope;
    p->format = mb_prop_enum(b, key, formats, "xml");
    p->value = value;
    p->owner = policy_owner(b, scope);
    p->loc = b->r->name_loc;
    if (strstr(p->format, "-link"))
        diag_emit(b->m->diag, DC_POLICY_LINK, mb_prop_loc(b, "value"),
                  "policy is linked from a URL ('%s'); it is not fetched, so it is not applied "
                  "locally",
                  p->format);
    struct model_service *s = mb_service(b);
    p->next = s->policies;
    s->policies = p;
    if (s->parent && scope != MODEL_SCOPE_WORKSPACE)
        return; /* a workspace's APIs and products are not modelled */
    switch (scope) {
    case MODEL_SCOPE_GLOBAL:
    case MODEL_SCOPE_WORKSPACE:
        s->policy = p;
        break;
    case MODEL_SCOPE_API: {
        struct model_api *a = mb_owning_api(b, "policy");
        if (a)
            a->policy = p;
        break;
    }
    case MODEL_SCOPE_OPERATION: {
        struct model_api *a = mb_owning_api(b, "policy");
        struct model_operation *op =
            a ? model_find_operation(b->m, a, mb_dup(b, b->segs[2])) : NULL;
        if (op)
            op->policy = p;
        break;
    }
    case MODEL_SCOPE_PRODUCT: {
        struct model_product *pr = model_find_product(b->m, s, mb_dup(b, b->segs[1]));
        if (pr)
            pr->policy = p;
        break;
    }
    }
}

static void build_global_policy(struct builder *b)
{
    mb_attach_policy(b, MODEL_SCOPE_GLOBAL);
}

static void build_api_policy(struct builder *b)
{
    mb_attach_policy(b, MODEL_SCOPE_API);
}

static void build_operation_policy(struct builder *b)
{
    mb_attach_policy(b, MODEL_SCOPE_OPERATION);
}

static void build_product_policy(struct builder *b)
{
    mb_attach_policy(b, MODEL_SCOPE_PRODUCT);
}

/* ---- products ---- */

static void build_product(struct builder *b)
{
    static const char *const props[] = { "description",          "terms",
                                         "subscriptionRequired", "approvalRequired",
                                         "subscriptionsLimit",   "state",
                                         "displayName",          NULL };
    static const char *const required[] = { "displayName", NULL };
    static const char *const states[] = { "notPublished", "published", NULL };
    mb_check_props(b, "product", props, required);
    struct model_product *p = ARENA_NEW(b->m->arena, struct model_product);
    p->copy = b->r->copy;
    p->id = mb_dup(b, b->segs[1]);
    p->display_name = mb_prop_str(b, "displayName");
    p->subscription_required = mb_prop_bool(b, "subscriptionRequired", true);
    p->approval_required = mb_prop_bool(b, "approvalRequired", false);
    p->subscriptions_limit = prop_int(b, "subscriptionsLimit", -1);
    p->state = mb_prop_enum(b, "state", states, "notPublished");
    p->loc = b->r->name_loc;
    APPEND(mb_service(b), products, p);
}

static void add_link(struct builder *b, const char *api_id, struct loc api_at)
{
    struct model_product_api *l = ARENA_NEW(b->m->arena, struct model_product_api);
    l->copy = b->r->copy;
    l->product_id = mb_dup(b, b->segs[1]);
    l->api_id = api_id;
    l->loc = b->r->name_loc;
    l->api_loc = api_at;
    APPEND(mb_service(b), links, l);
}

/* A products/apis PUT has no body: Azure ignores what a template writes there
 * (portal exports repeat the API's properties), so nothing is checked. */
static void build_product_api(struct builder *b)
{
    add_link(b, mb_dup(b, b->segs[2]), b->r->name_loc);
}

/* The last segment of an id: ".../apis/echo-api" -> "echo-api". */
const char *mb_last_segment(struct builder *b, const char *id)
{
    const char *slash = strrchr(id, '/');
    return arena_strdup(b->m->arena, slash ? slash + 1 : id);
}

static void build_product_api_link(struct builder *b)
{
    static const char *const props[] = { "apiId", NULL };
    mb_check_props(b, "product API link", props, props);
    const char *api = mb_prop_str(b, "apiId");
    if (api)
        add_link(b, mb_last_segment(b, api), mb_prop_loc(b, "apiId"));
}

/* ---- groups ---- */

static void build_group(struct builder *b)
{
    static const char *const props[] = { "displayName", "description", "type", "externalId", NULL };
    static const char *const required[] = { "displayName", NULL };
    mb_check_props(b, "group", props, required);
    struct model_group *g = ARENA_NEW(b->m->arena, struct model_group);
    g->id = mb_dup(b, b->segs[1]);
    g->loc = b->r->name_loc;
    g->copy = b->r->copy;
    APPEND(mb_service(b), groups, g);
}

/* products/groups and groups/users take no body worth checking; what
 * matters is that the group (and product) they name exist. */
static void add_group_link(struct builder *b, const char *product_id, struct str group)
{
    struct model_group_link *l = ARENA_NEW(b->m->arena, struct model_group_link);
    l->product_id = product_id;
    l->group_id = mb_dup(b, group);
    l->loc = b->r->name_loc;
    l->copy = b->r->copy;
    APPEND(mb_service(b), group_links, l);
}

static void build_product_group(struct builder *b)
{
    add_group_link(b, mb_dup(b, b->segs[1]), b->segs[2]);
}

static void build_group_user(struct builder *b)
{
    add_group_link(b, NULL, b->segs[1]);
}

/* True the first time a resource of r's type is met in r's file: some notes
 * are said once per type and file. A set of hashes, so it stays linear. */
bool mb_first_of_kind(struct model *m, const struct arm_resource *r)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < r->type.len; i++) {
        char c = r->type.ptr[i];
        h = (h ^ (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c)) * 1099511628211ULL;
    }
    h = (h ^ (uint64_t)(uintptr_t)r->name_loc.src) * 1099511628211ULL;
    h = h ? h : 1;
    if (2 * (m->nnoted + 1) > m->noted_cap) {
        size_t cap = m->noted_cap ? m->noted_cap * 2 : 64;
        uint64_t *t = ARENA_ARRAY(m->arena, uint64_t, cap);
        for (size_t i = 0; i < m->noted_cap; i++)
            for (size_t j = m->noted[i] % cap; m->noted[i]; j = (j + 1) % cap)
                if (t[j] == 0) {
                    t[j] = m->noted[i];
                    break;
                }
        m->noted = t;
        m->noted_cap = cap;
    }
    size_t j = h % m->noted_cap;
    for (; m->noted[j]; j = (j + 1) % m->noted_cap)
        if (m->noted[j] == h)
            return false;
    m->noted[j] = h;
    m->nnoted++;
    return true;
}

/* Known types that the gateway does not act on: accepted without a word. */
static void build_nothing(struct builder *b)
{
    (void)b;
}

/* ---- the type table ---- */

struct type_rule {
    const char *type; /* after "Microsoft.ApiManagement/" */
    void (*build)(struct builder *b);
};

static const struct type_rule rules[] = {
    { "service", build_service },
    { "service/apis", mb_build_api },
    { "service/apis/operations", mb_build_operation },
    { "service/apis/policies", build_api_policy },
    { "service/apis/operations/policies", build_operation_policy },
    { "service/policies", build_global_policy },
    { "service/products", build_product },
    { "service/products/apis", build_product_api },
    { "service/products/apiLinks", build_product_api_link },
    { "service/products/policies", build_product_policy },
    { "service/subscriptions", mb_build_subscription },
    { "service/backends", mb_build_backend },
    { "service/namedValues", mb_build_named_value },
    { "service/properties", mb_build_named_value },
    { "service/apiVersionSets", mb_build_version_set },
    { "service/api-version-sets", mb_build_version_set },
    { "service/loggers", mb_build_logger },
    { "service/diagnostics", mb_build_diagnostic },
    { "service/apis/diagnostics", mb_build_api_diagnostic },
    { "service/policyFragments", mb_build_fragment },
    { "service/gateways", mb_build_gateway },
    { "service/gateways/apis", mb_build_gateway_api },
    { "service/apis/releases", mb_build_release },
    /* Known, accepted, not acted on by the local gateway. */
    { "service/apis/schemas", build_nothing },
    { "service/apis/operations/tags", build_nothing },
    { "service/apis/tags", build_nothing },
    { "service/apis/tagDescriptions", build_nothing },
    { "service/apis/issues", build_nothing },
    { "service/apis/wikis", build_nothing },
    { "service/apis/resolvers", build_nothing },
    { "service/apis/resolvers/policies", build_nothing },
    { "service/apis/diagnostics/loggers", build_nothing },
    { "service/diagnostics/loggers", build_nothing },
    { "service/authorizationServers", build_nothing },
    { "service/authorizationProviders", build_nothing },
    { "service/authorizationProviders/authorizations", build_nothing },
    { "service/caches", build_nothing },
    { "service/certificates", build_nothing },
    { "service/contentTypes", build_nothing },
    { "service/documentations", build_nothing },
    { "service/gateways/hostnameConfigurations", build_nothing },
    { "service/gateways/certificateAuthorities", build_nothing },
    { "service/gateways/configConnections", build_nothing },
    { "service/groups", build_group },
    { "service/groups/users", build_group_user },
    { "service/identityProviders", build_nothing },
    { "service/notifications", build_nothing },
    { "service/notifications/recipientEmails", build_nothing },
    { "service/notifications/recipientUsers", build_nothing },
    { "service/openidConnectProviders", build_nothing },
    { "service/portalconfigs", build_nothing },
    { "service/portalRevisions", build_nothing },
    { "service/portalsettings", build_nothing },
    { "service/products/groups", build_product_group },
    { "service/products/groupLinks", build_nothing },
    { "service/products/tags", build_nothing },
    { "service/products/wikis", build_nothing },
    { "service/schemas", build_nothing },
    { "service/tags", build_nothing },
    { "service/tags/apis", build_nothing },
    { "service/tags/operations", build_nothing },
    { "service/tags/products", build_nothing },
    { "service/tags/apiLinks", build_nothing },
    { "service/tags/operationLinks", build_nothing },
    { "service/tags/productLinks", build_nothing },
    { "service/templates", build_nothing },
    { "service/users", build_nothing },
    { "service/workspaces", mb_build_workspace },
    { "service/privateEndpointConnections", build_nothing },
    { "service/tenant", build_nothing },
    { "service/policyRestrictions", build_nothing },
    { "service/apiVersionSets/tags", build_nothing },
    { "service/workspaces/apis", mb_build_workspace_other },
    { "service/workspaces/apis/operations", mb_build_workspace_other },
    { "service/workspaces/apis/policies", mb_build_workspace_api_policy },
    { "service/workspaces/apis/operations/policies", mb_build_workspace_operation_policy },
    { "service/workspaces/apis/diagnostics", mb_build_workspace_other },
    { "service/workspaces/apis/schemas", mb_build_workspace_other },
    { "service/workspaces/apis/releases", mb_build_workspace_other },
    { "service/workspaces/apiVersionSets", mb_build_workspace_other },
    { "service/workspaces/backends", mb_build_workspace_backend },
    { "service/workspaces/diagnostics", mb_build_workspace_other },
    { "service/workspaces/groups", mb_build_workspace_other },
    { "service/workspaces/loggers", mb_build_workspace_other },
    { "service/workspaces/namedValues", mb_build_workspace_named_value },
    { "service/workspaces/policies", mb_build_workspace_policy },
    { "service/workspaces/policyFragments", mb_build_workspace_fragment },
    { "service/workspaces/products", mb_build_workspace_other },
    { "service/workspaces/products/apiLinks", mb_build_workspace_other },
    { "service/workspaces/products/groupLinks", mb_build_workspace_other },
    { "service/workspaces/products/policies", mb_build_workspace_product_policy },
    { "service/workspaces/subscriptions", mb_build_workspace_other },
    { "service/workspaces/schemas", mb_build_workspace_other },
    { "service/workspaces/tags", mb_build_workspace_other },
    { "gateways", build_nothing },
    { "gateways/configConnections", build_nothing },
    { NULL, NULL },
};

static const struct type_rule *find_rule(struct str type)
{
    for (size_t i = 0; rules[i].type; i++)
        if (str_ieq_cstr(type, rules[i].type))
            return &rules[i];
    return NULL;
}

static size_t split_name(struct str name, struct str *segs, size_t max)
{
    size_t n = 0;
    const char *p = name.ptr, *end = name.ptr + name.len;
    while (n < max) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        segs[n++] = (struct str){ p, slash ? (size_t)(slash - p) : (size_t)(end - p) };
        if (slash == NULL)
            break;
        p = slash + 1;
    }
    return n;
}

/* Names of API Management entities may not hold these characters. */
static bool check_name(struct model *m, const struct arm_resource *r, const struct str *segs,
                       size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (segs[i].len == 0) {
            diag_emit(m->diag, DC_RESOURCE_NAME, r->name_loc,
                      "resource name '%.*s' has an empty "
                      "segment",
                      STR_FMT(r->name));
            return false;
        }
        for (size_t k = 0; k < segs[i].len; k++) {
            char ch = segs[i].ptr[k];
            if (memchr("*#&+:<>?", ch, 8)) {
                diag_emit(m->diag, DC_RESOURCE_NAME, r->name_loc,
                          "resource name '%.*s' contains '%c', which API Management does not "
                          "allow in names",
                          STR_FMT(segs[i]), ch);
                return false;
            }
        }
    }
    return true;
}

static void note_not_emulated(struct model *m, const struct arm_resource *r)
{
    if (str_ieq_cstr(r->type, "Microsoft.Resources/deployments") || !mb_first_of_kind(m, r))
        return;
    diag_emit(m->diag, DC_NOT_EMULATED, r->type_loc,
              "resource type '%.*s' is not part of API Management; it is skipped locally",
              STR_FMT(r->type));
}

static const char apim_prefix[] = "Microsoft.ApiManagement/";

/* "Microsoft.ApiManagement/service/providers/diagnosticSettings" (name
 * "svc/Microsoft.Insights/x"): a resource of another provider attached to
 * the service, an extension resource (ARM: "Extension resource types"),
 * not part of API Management. */
static bool is_extension_type(struct str type)
{
    for (size_t i = 0; i + 11 <= type.len; i++)
        if (type.ptr[i] == '/' &&
            str_istarts_with((struct str){ type.ptr + i, type.len - i }, "/providers/"))
            return true;
    return false;
}

/* api-versions of Microsoft.ApiManagement (learn.microsoft.com template
 * reference, version list), oldest first. */
static const char *const api_versions[] = {
    "2016-07-07",         "2016-10-10",
    "2017-03-01",         "2018-01-01",
    "2018-06-01-preview", "2019-01-01",
    "2019-12-01",         "2019-12-01-preview",
    "2020-06-01-preview", "2020-12-01",
    "2021-01-01-preview", "2021-04-01-preview",
    "2021-08-01",         "2021-12-01-preview",
    "2022-04-01-preview", "2022-08-01",
    "2022-09-01-preview", "2023-03-01-preview",
    "2023-05-01-preview", "2023-09-01-preview",
    "2024-05-01",         "2024-06-01-preview",
    "2024-10-01-preview", "2025-03-01-preview",
    "2025-09-01-preview", NULL,
};

/* True if r's api-version is a date after the newest one apimlocal knows. */
bool mb_api_version_newer(const struct arm_resource *r)
{
    const char *v = jval_get_str(r->body, "apiVersion");
    size_t n = sizeof(api_versions) / sizeof(api_versions[0]) - 1;
    return v && strlen(v) >= 10 && strncmp(v, api_versions[n - 1], 10) > 0;
}

/* A typo in apiVersion fails the deployment ("No registered resource
 * provider found for ... API version"). Newer dates than the list knows
 * may be real, so they only get a note. */
static void check_api_version(struct model *m, const struct arm_resource *r)
{
    const struct jval *v = jval_get(r->body, "apiVersion");
    if (v == NULL || v->kind != JV_STRING)
        return;
    size_t n = 0;
    while (api_versions[n])
        n++;
    for (size_t i = 0; i < n; i++)
        if (strcmp(api_versions[i], v->u.s.ptr) == 0)
            return;
    int y, mo, d;
    char tail[16] = "";
    bool dated = sscanf(v->u.s.ptr, "%4d-%2d-%2d%15s", &y, &mo, &d, tail) >= 3 &&
                 (tail[0] == '\0' || strcmp(tail, "-preview") == 0);
    if (dated && strcmp(v->u.s.ptr, api_versions[n - 1]) > 0) {
        diag_emit_level(m->diag, DIAG_NOTE, DC_API_VERSION, v->loc,
                        "api-version '%s' is newer than those apimlocal knows (newest: %s)",
                        v->u.s.ptr, api_versions[n - 1]);
        return;
    }
    /* The usual slip is a -preview suffix added or left out. */
    const char *hint = NULL;
    char other[32];
    size_t len = strlen(v->u.s.ptr);
    if (len > 8 && strcmp(v->u.s.ptr + len - 8, "-preview") == 0)
        snprintf(other, sizeof(other), "%.*s", (int)(len - 8), v->u.s.ptr);
    else
        snprintf(other, sizeof(other), "%s-preview", v->u.s.ptr);
    for (size_t i = 0; i < n && hint == NULL; i++)
        if (strcmp(api_versions[i], other) == 0)
            hint = api_versions[i];
    struct str names[32];
    for (size_t i = 0; i < n && i < 32; i++)
        names[i] = str_from_cstr(api_versions[i]);
    if (hint == NULL)
        hint = suggest(v->u.s, names, n < 32 ? n : 32);
    struct diag_entry *e =
        diag_emit(m->diag, DC_API_VERSION, v->loc,
                  "'%s' is not an api-version of Microsoft.ApiManagement", v->u.s.ptr);
    if (hint)
        diag_note(m->diag, e, v->loc, "did you mean '%s'?", hint);
}

static void add_resource(struct model *m, const struct arm_resource *r)
{
    if (r->existing)
        return;
    if (!str_istarts_with(r->type, apim_prefix)) {
        note_not_emulated(m, r);
        return;
    }
    size_t skip = sizeof(apim_prefix) - 1;
    if (is_extension_type(r->type)) {
        note_not_emulated(m, r);
        return;
    }
    const struct type_rule *rule =
        find_rule((struct str){ r->type.ptr + skip, r->type.len - skip });
    if (rule == NULL) {
        diag_emit(m->diag, DC_UNKNOWN_APIM_TYPE, r->type_loc,
                  "unknown API Management resource type '%.*s'; it is skipped", STR_FMT(r->type));
        return;
    }
    check_api_version(m, r);
    struct builder b = { m, r, jval_get(r->body, "properties"), { { 0 } }, 0, NULL };
    b.nsegs = split_name(r->name, b.segs, 8);
    if (check_name(m, r, b.segs, b.nsegs))
        rule->build(&b);
}

/* What a copy builds is reported once for the loop, with its indexes. */
static void add_resource_copy(struct model *m, const struct arm_resource *r)
{
    diag_copy_at(m->diag, r->copy);
    add_resource(m, r);
    diag_copy_at(m->diag, DIAG_COPY_NONE);
}

/* Microsoft.ApiManagement/service -> 1, .../service/apis -> 2, ... */
static size_t type_depth(struct str type)
{
    size_t n = 0;
    for (size_t i = 0; i < type.len; i++)
        n += type.ptr[i] == '/';
    return n;
}

void model_add_resources(struct model *m, const struct arm_resource *const *v, size_t n)
{
    /* ARM deploys by dependsOn, not by position: build parents first (by the
     * depth of the type), so a template may list children before parents. */
    for (size_t depth = 0; depth < 10; depth++)
        for (size_t i = 0; i < n; i++)
            if (type_depth(v[i]->type) == depth || (depth == 9 && type_depth(v[i]->type) >= 9))
                add_resource_copy(m, v[i]);
    diag_copy_flush(m->diag);
}

void model_add_arm(struct model *m, const struct arm_env *env)
{
    const struct arm_resource **v =
        ARENA_ARRAY(m->arena, const struct arm_resource *, env->nresources + 1);
    size_t n = 0;
    for (const struct arm_resource *r = env->resources; r && n < env->nresources; r = r->next)
        v[n++] = r;
    model_add_resources(m, v, n);
}

void model_init(struct model *m, struct arena *a, struct diag *d)
{
    memset(m, 0, sizeof(*m));
    m->arena = a;
    m->diag = d;
    m->errors_at_init = d->nerrors;
}

#define COUNT(field, loc)                              \
    do {                                               \
        struct model_counts *k = slot(ctx, (loc).src); \
        if (k)                                         \
            k->field++;                                \
    } while (0)

void model_count_each(const struct model *m,
                      struct model_counts *(*slot)(void *ctx, const struct source *src), void *ctx)
{
    for (const struct model_service *s = m->services; s; s = s->next) {
        COUNT(services, s->loc);
        for (const struct model_api *a = s->apis; a; a = a->next) {
            if (a->external)
                continue; /* a placeholder for an API deployed elsewhere */
            struct model_counts *k = slot(ctx, a->loc.src);
            if (k) {
                k->apis++;
                k->operations += a->nops;
            }
        }
        for (const struct model_product *p = s->products; p; p = p->next)
            COUNT(products, p->loc);
        for (const struct model_subscription *x = s->subscriptions; x; x = x->next)
            COUNT(subscriptions, x->loc);
        for (const struct model_backend *x = s->backends; x; x = x->next)
            COUNT(backends, x->loc);
        for (const struct model_named_value *x = s->named_values; x; x = x->next)
            COUNT(named_values, x->loc);
        for (const struct model_version_set *x = s->version_sets; x; x = x->next)
            COUNT(version_sets, x->loc);
        for (const struct model_policy *x = s->policies; x; x = x->next)
            COUNT(policies, x->loc);
    }
}

#undef COUNT

static struct model_counts *all(void *ctx, const struct source *src)
{
    (void)src;
    return ctx;
}

void model_count(const struct model *m, struct model_counts *out)
{
    memset(out, 0, sizeof(*out));
    model_count_each(m, all, out);
}
