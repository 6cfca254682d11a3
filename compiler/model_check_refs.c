/* model_check_refs.c - references between the service's resources: product
 * and group links, subscription scopes, backend pools, and what policy text
 * names (named values, backends, fragments); each found by name in
 * constant time (model_index.c). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model.h"
#include "model_check_int.h"

/* ---- products, subscriptions, backends ---- */

/* The API an id names: "orders", or one revision of it, "orders;rev=2". */
static struct model_api *api_named(struct model *m, const struct model_service *s, const char *id)
{
    size_t idlen = strcspn(id, ";");
    const char *rev = NULL;
    if (id[idlen])
        rev = strncasecmp(id + idlen, ";rev=", 5) == 0 ? id + idlen + 5 : id + idlen + 1;
    return model_find_api(m, (struct model_service *)s, id, idlen, rev, true);
}

/* An API of the template, or one the instance was created with (noted). */
bool mc_api_exists(struct model *m, const struct model_service *s, const char *id, struct loc at)
{
    return api_named(m, s, id) || model_builtin(m, s, MODEL_BUILTIN_API, id, at);
}

static struct model_product *product_named(struct model *m, const struct model_service *s,
                                           const char *id)
{
    return model_find_product(m, (struct model_service *)s, id);
}

void mc_check_links(struct model *m, const struct model_service *s)
{
    for (struct model_product_api *l = s->links; l; l = l->next) {
        mc_about(m, l->copy);
        l->product = product_named(m, s, l->product_id);
        l->api = api_named(m, s, l->api_id);
        if (l->product == NULL &&
            !model_builtin(m, s, MODEL_BUILTIN_PRODUCT, l->product_id, l->loc))
            model_missing(m, s, DC_PRODUCT_LINK, l->loc, "product '%s' is not in this template",
                          l->product_id);
        if (l->api == NULL && !model_builtin(m, s, MODEL_BUILTIN_API, l->api_id, l->api_loc))
            model_missing(m, s, DC_PRODUCT_LINK, l->api_loc,
                          "product '%s' links API '%s', which is not in this template",
                          l->product_id, l->api_id);
    }
}

static bool group_named(struct model *m, const struct model_service *s, const char *id)
{
    return model_find_group(m, (struct model_service *)s, id) != NULL;
}

/* Azure answers a products/groups or groups/users PUT naming a group (or
 * product) that does not exist with 404; the built-in groups exist. */
void mc_check_group_links(struct model *m, const struct model_service *s)
{
    for (const struct model_group_link *l = s->group_links; l; l = l->next) {
        mc_about(m, l->copy);
        if (l->product_id && !product_named(m, s, l->product_id) &&
            !model_builtin(m, s, MODEL_BUILTIN_PRODUCT, l->product_id, l->loc))
            model_missing(m, s, DC_PRODUCT_LINK, l->loc, "product '%s' is not in this template",
                          l->product_id);
        if (!group_named(m, s, l->group_id) &&
            !model_builtin(m, s, MODEL_BUILTIN_GROUP, l->group_id, l->loc))
            model_missing(m, s, DC_PRODUCT_LINK, l->loc, "group '%s' is not in this template",
                          l->group_id);
    }
}

static void check_key(struct model *m, const struct model_subscription *sub, const char *key,
                      struct loc at, const char *which)
{
    size_t n = key ? strlen(key) : 0;
    if (key && (n < 1 || n > 256))
        diag_emit(DIAG(m), DC_SUBSCRIPTION_KEY, at,
                  "subscription '%s': %s must be 1 to 256 characters", sub->id, which);
}

void mc_check_subscriptions(struct model *m, const struct model_service *s)
{
    for (const struct model_subscription *sub = s->subscriptions; sub; sub = sub->next) {
        mc_about(m, sub->copy);
        check_key(m, sub, sub->primary_key, sub->primary_key_loc, "primaryKey");
        check_key(m, sub, sub->secondary_key, sub->secondary_key_loc, "secondaryKey");
        if (sub->state == NULL)
            diag_emit(DIAG(m), DC_SUBSCRIPTION_STATE, sub->loc,
                      "subscription '%s' has no 'state'; Azure creates it as 'submitted', which "
                      "grants no access (set \"state\": \"active\")",
                      sub->id);
        if (sub->scope == NULL)
            continue;
        if (sub->scope_kind == MODEL_SUB_INVALID) {
            diag_emit(DIAG(m), DC_SUBSCRIPTION_SCOPE, sub->scope_loc,
                      "subscription '%s': scope '%s' is not '/apis', '/apis/{apiId}' or "
                      "'/products/{productId}'",
                      sub->id, sub->scope);
        } else if (sub->scope_kind == MODEL_SUB_API &&
                   !mc_api_exists(m, s, sub->scope_target, sub->scope_loc)) {
            model_missing(m, s, DC_SUBSCRIPTION_SCOPE, sub->scope_loc,
                          "subscription '%s' is scoped to API '%s', which is not in this template",
                          sub->id, sub->scope_target);
        } else if (sub->scope_kind == MODEL_SUB_PRODUCT &&
                   !product_named(m, s, sub->scope_target) &&
                   !model_builtin(m, s, MODEL_BUILTIN_PRODUCT, sub->scope_target, sub->scope_loc)) {
            model_missing(
                m, s, DC_SUBSCRIPTION_SCOPE, sub->scope_loc,
                "subscription '%s' is scoped to product '%s', which is not in this template",
                sub->id, sub->scope_target);
        }
    }
}

static const struct model_backend *backend_named(struct model *m, const struct model_service *s,
                                                 const char *id)
{
    return model_find_backend(m, (struct model_service *)s, id);
}

void mc_check_backends(struct model *m, const struct model_service *s)
{
    for (const struct model_backend *b = s->backends; b; b = b->next) {
        mc_about(m, b->copy);
        if (b->url && !mc_absolute_url(b->url, true))
            diag_emit(DIAG(m), DC_SERVICE_URL, b->url_loc,
                      "backend '%s': url '%s' is not an absolute URL", b->id, b->url);
        for (size_t i = 0; i < b->npool; i++) {
            const struct model_backend *member = backend_named(m, s, b->pool[i]);
            if (member == NULL)
                model_missing(
                    m, s, DC_BACKEND_REF, b->pool_locs[i],
                    "backend pool '%s' includes backend '%s', which is not in this template", b->id,
                    b->pool[i]);
            else if (mc_ieq(member->type, "Pool"))
                diag_emit(DIAG(m), DC_BACKEND_REF, b->pool_locs[i],
                          "backend pool '%s' includes pool '%s'; a pool cannot contain a pool",
                          b->id, b->pool[i]);
        }
    }
}

/* ---- policy text: named values, backends, fragments ---- */

/* Where a document's names are looked for: the service's resources in the
 * template, or a workspace's. */
static const char *home(struct model *m, const struct model_service *s)
{
    return s->parent ? arena_printf(m->arena, "workspace '%s'", s->name) : "this template";
}

/* A workspace's policies use the workspace's own named values, fragments
 * and backends: its resources reference those of the same workspace, not
 * the service's (learn.microsoft.com/azure/api-management/workspaces-overview:
 * named values and policy fragments are defined in a workspace "for use in
 * workspace-scoped policies"). No Microsoft page says outright that a
 * service-level one is invisible there, so when the service declares one
 * of that name the finding is a warning (never a false error) with a note
 * pointing at it; otherwise it is model_missing's. */
static void missing(struct model *m, const struct model_service *s, const struct loc *service_level,
                    const char *what, enum diag_code code, struct loc at, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void missing(struct model *m, const struct model_service *s, const struct loc *service_level,
                    const char *what, enum diag_code code, struct loc at, const char *fmt, ...)
{
    enum diag_level level = service_level ? DIAG_WARNING : model_missing_level(s);
    va_list ap;
    va_start(ap, fmt);
    struct diag_entry *d = diag_vemit_level(m->diag, level, code, at, fmt, ap);
    va_end(ap);
    if (service_level)
        diag_note(m->diag, d, *service_level,
                  "the service declares a %s of that name; a workspace's policies use the "
                  "workspace's own",
                  what);
}

static bool named_value_exists(struct model *m, const struct model_service *s, struct str name)
{
    return model_find_named_value(m, (struct model_service *)s, name) != NULL;
}

static const struct model_fragment *fragment_named(struct model *m, const struct model_service *s,
                                                   const char *id)
{
    return model_find_fragment(m, (struct model_service *)s, id);
}

/* {{name}} outside Liquid bodies (o: the document's outline; in a Liquid
 * template, {{ }} is Liquid: the set-body policy reference). */
static void scan_named_values(struct model *m, const struct model_service *s, const struct jval *v,
                              struct str text, const struct policy_outline *o)
{
    const struct policy_element *cursor = o->elements;
    size_t ls = 0, le = 0;
    bool liquid = policy_liquid_next(&cursor, 0, &ls, &le);
    for (size_t i = 0; i + 3 < text.len; i++) {
        if (text.ptr[i] != '{' || text.ptr[i + 1] != '{')
            continue;
        while (liquid && le <= i)
            liquid = policy_liquid_next(&cursor, i, &ls, &le);
        if (liquid && i >= ls) {
            i = le - 1;
            continue;
        }
        size_t e = i + 2;
        while (e + 1 < text.len && !(text.ptr[e] == '}' && text.ptr[e + 1] == '}') &&
               text.ptr[e] != '{' && text.ptr[e] != '\n')
            e++;
        if (e + 1 >= text.len || text.ptr[e] != '}')
            continue;
        struct str name = { text.ptr + i + 2, e - i - 2 };
        if (name.len && !named_value_exists(m, s, name)) {
            const struct model_named_value *up =
                s->parent ? model_find_named_value(m, (struct model_service *)s->parent, name)
                          : NULL;
            missing(m, s, up ? &up->loc : NULL, "named value", DC_NAMED_VALUE_REF,
                    jval_string_subloc(v, i, e + 2), "named value '%.*s' is not defined in %s",
                    STR_FMT(name), home(m, s));
        }
        i = e + 1;
    }
}

/* backend-id="..." and fragment-id="..." of the elements the policy reader
 * found (so not in comments, text or expressions), when literal: a value
 * with an expression or a {{named value}} is known only at run time. */
static void reference(struct model *m, const struct model_service *s, const struct jval *v,
                      const struct policy_attr *a)
{
    bool is_backend = str_eq(a->name, STR_LIT("backend-id"));
    if ((!is_backend && !str_eq(a->name, STR_LIT("fragment-id"))) || a->value.len == 0 ||
        a->value.ptr[0] == '@' || a->value.ptr[0] == '{')
        return;
    const char *id = arena_strndup(m->arena, a->value.ptr, a->value.len);
    struct loc at = jval_string_subloc(v, a->value_offset, a->value_offset + a->value.len);
    const struct model_service *up = s->parent;
    if (is_backend && !backend_named(m, s, id)) {
        const struct model_backend *b = up ? backend_named(m, up, id) : NULL;
        missing(m, s, b ? &b->loc : NULL, "backend", DC_BACKEND_REF, at,
                "policy uses backend '%s', which is not in %s", id, home(m, s));
    }
    if (!is_backend && !fragment_named(m, s, id)) {
        const struct model_fragment *f = up ? fragment_named(m, up, id) : NULL;
        missing(m, s, f ? &f->loc : NULL, "policy fragment", DC_FRAGMENT_REF, at,
                "policy includes fragment '%s', which is not in %s", id, home(m, s));
    }
}

static void scan_references(struct model *m, const struct model_service *s, const struct jval *v,
                            const struct policy_outline *o)
{
    for (const struct policy_element *e = o->elements; e; e = e->next)
        for (size_t i = 0; i < e->nattrs; i++)
            reference(m, s, v, &e->attrs[i]);
}

static void scan_policy_text(struct model *m, const struct model_service *s, const struct jval *v,
                             const struct policy_outline *o)
{
    if (v == NULL || v->kind != JV_STRING)
        return;
    scan_named_values(m, s, v, v->u.s, o);
    scan_references(m, s, v, o);
}

void mc_check_policies(struct model *m, const struct model_service *s)
{
    for (const struct model_policy *p = s->policies; p; p = p->next) {
        mc_about(m, p->copy);
        if (strstr(p->format, "-link") == NULL)
            scan_policy_text(m, s, p->value, &p->outline);
    }
    for (const struct model_fragment *f = s->fragments; f; f = f->next) {
        mc_about(m, f->copy);
        scan_policy_text(m, s, f->value, &f->outline);
    }
}
