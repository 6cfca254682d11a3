/* arm_deploy.c - nested deployments (Microsoft.Resources/deployments): an
 * inline template in its inner or outer scope, or a linked one (templateLink,
 * parametersLink) read through the env's read_link from the local disk and
 * evaluated, in its own scope, with the parameters the deployment passes.
 * What a link cannot reach stays a located warning (APIM3017) naming what
 * was looked for. */
#include <string.h>

#include "apim_limits.h"
#include "arm_eval.h"

static struct loc key_loc(const struct jval *obj, const char *key)
{
    struct jval_member *m = jval_get_member(obj, key);
    return m ? m->key_loc : obj->loc;
}

static struct arm_param_value *deployment_values(struct arm_ctx *c, const struct jval *params)
{
    struct arm_param_value *head = NULL, **tail = &head;
    if (params == NULL || params->kind != JV_OBJECT)
        return NULL;
    for (size_t i = 0; i < params->u.o.n; i++) {
        const struct jval_member *m = &params->u.o.v[i];
        struct arm_param_value *v = ARENA_NEW(c->arena, struct arm_param_value);
        v->name = m->key;
        v->name_loc = m->key_loc;
        /* An entry that is itself an expression known only at deployment
         * ("[if(..., createObject('value', reference(...)...))]") passes an
         * unknown value. */
        v->value = m->value->kind == JV_UNKNOWN ? m->value : jval_get(m->value, "value");
        v->is_reference = v->value == NULL && jval_get(m->value, "reference") != NULL;
        if (v->value == NULL && !v->is_reference) {
            diag_emit(c->diag, DC_DEPLOYMENT, m->value->loc,
                      "deployment parameter '%.*s' needs a 'value' or a 'reference'",
                      STR_FMT(m->key));
            v->invalid = true;
        }
        *tail = v;
        tail = &v->next;
    }
    return head;
}

/* Why a link was not followed, as a located warning. */
static void link_not_read(struct arm_ctx *c, const struct jval *link, const struct arm_link *l,
                          const char *looked_for)
{
    const char *what = l->parameters ? "linked parameters file" : "linked template";
    const char *target = l->relative_path ? l->relative_path : l->uri;
    const char *from = l->from ? l->from->name : "the template";
    const char *base = strrchr(from, '/');
    base = base ? base + 1 : from;
    if (target == NULL && jval_get_str(link, "id"))
        diag_emit(c->diag, DC_LINKED_TEMPLATE, link->loc, "%s spec '%s' is not read", what,
                  jval_get_str(link, "id"));
    else if (target == NULL)
        diag_emit(c->diag, DC_LINKED_TEMPLATE, link->loc,
                  "%s is not read: its location is known only at deployment", what);
    else if (c->env->read_link == NULL)
        diag_emit(c->diag, DC_LINKED_TEMPLATE, link->loc,
                  "%s '%s' is not read; validate it on its own", what, target);
    else if (looked_for)
        diag_emit(c->diag, DC_LINKED_TEMPLATE, link->loc,
                  "%s '%s' is not read: there is no file '%s' beside '%s' or among the inputs",
                  what, target, looked_for, base);
}

static const struct jval *read_link(struct arm_ctx *c, const struct jval *link, bool parameters)
{
    struct arm_link l = { jval_get_str(link, "relativePath"), jval_get_str(link, "uri"),
                          c->template->loc.src, parameters };
    if (parameters)
        l.relative_path = NULL; /* parametersLink has a uri only */
    const char *looked_for = NULL;
    const struct jval *doc = NULL;
    if (c->env->read_link && (l.relative_path || l.uri))
        doc = c->env->read_link(c->env->link_ctx, &l, &looked_for);
    if (doc == NULL)
        link_not_read(c, link, &l, looked_for);
    return doc;
}

/* The parameters a deployment passes: inline, or from its parametersLink. */
static struct arm_param_value *passed_values(struct arm_ctx *c, const struct jval *props)
{
    const struct jval *plink = jval_get(props, "parametersLink");
    if (plink == NULL || jval_get(props, "parameters"))
        return deployment_values(c, jval_get(props, "parameters"));
    const struct jval *doc = read_link(c, plink, true);
    struct arm_param_value *head = NULL, **tail = &head;
    if (doc)
        (void)arm_read_parameters_file(c->arena, c->diag, doc, &tail);
    return head;
}

/* Where the deployment r sends its template: resourceGroup names a resource
 * group, subscriptionId alone a subscription, scope a management group or
 * the tenant ("/"); otherwise the deploying template's own scope. */
static enum arm_scope target_scope(const struct arm_ctx *c, const struct arm_resource *r)
{
    const char *scope = jval_get_str(r->body, "scope");
    if (jval_get(r->body, "resourceGroup"))
        return ARM_SCOPE_RESOURCE_GROUP;
    if (jval_get(r->body, "subscriptionId"))
        return ARM_SCOPE_SUBSCRIPTION;
    if (scope && strcasestr(scope, "managementGroups/"))
        return ARM_SCOPE_MANAGEMENT_GROUP;
    if (scope && strcmp(scope, "/") == 0)
        return ARM_SCOPE_TENANT;
    return c->scope;
}

/* A linked template (templateLink: relativePath or uri) is read from the
 * local disk and evaluated, in its own scope, with the parameters the
 * deployment passes. */
static void linked_deployment(struct walk *w, struct arm_resource *r, const struct jval *props,
                              const struct jval *link)
{
    struct arm_ctx *c = w->c;
    const struct jval *doc = read_link(c, link, false);
    if (doc == NULL)
        return;
    const char *want = jval_get_str(link, "contentVersion");
    const char *have = jval_get_str(doc, "contentVersion");
    if (want && have && strcmp(want, have) != 0)
        diag_emit(c->diag, DC_DEPLOYMENT, jval_get(link, "contentVersion")->loc,
                  "the link asks for contentVersion '%s', but the linked template has '%s'", want,
                  have);
    const char *name = arena_strndup(c->arena, r->name.ptr, r->name.len);
    arm_template_evaluate(c->env, doc, passed_values(c, props), w->depth + 1, name,
                          target_scope(c, r), &r->outputs);
}

void arm_deploy_nested(struct walk *w, struct arm_resource *r)
{
    struct arm_ctx *c = w->c;
    const struct jval *props = jval_get(r->body, "properties");
    const struct jval *inner = jval_get(props, "template");
    const struct jval *link = jval_get(props, "templateLink");
    if (inner == NULL && link == NULL) {
        diag_emit(c->diag, DC_LINKED_TEMPLATE, r->name_loc,
                  "nested deployment has neither a 'template' nor a 'templateLink'; it is not "
                  "read");
        return;
    }
    if (w->depth + 1 > APIM_MAX_DEPLOYMENT_DEPTH) {
        diag_emit(c->diag, DC_DEPLOYMENT, r->name_loc, "deployments are nested deeper than %d",
                  APIM_MAX_DEPLOYMENT_DEPTH);
        return;
    }
    if (inner == NULL) {
        linked_deployment(w, r, props, link);
        return;
    }
    if (inner->kind != JV_OBJECT) {
        diag_emit(c->diag, DC_NOT_TEMPLATE, inner->loc,
                  "'template' must be an object holding the template (use templateLink for a "
                  "file)");
        return;
    }
    const char *scope = jval_get_str(jval_get(props, "expressionEvaluationOptions"), "scope");
    bool inner_scope = scope && str_ieq_cstr(str_from_cstr(scope), "inner");
    const char *name = arena_strndup(c->arena, r->name.ptr, r->name.len);
    if (inner_scope) {
        arm_template_evaluate(c->env, inner, passed_values(c, props), w->depth + 1, name,
                              target_scope(c, r), &r->outputs);
        return;
    }
    /* Outer scope: the inner template's expressions see this template's
     * parameters and variables. */
    if (jval_get(inner, "parameters") && jval_get(inner, "parameters")->u.o.n)
        diag_emit(c->diag, DC_DEPLOYMENT, key_loc(inner, "parameters"),
                  "a nested template with outer scope cannot declare parameters; set "
                  "expressionEvaluationOptions.scope to 'inner'");
    struct walk sub = { c, w->depth + 1, NULL, NULL, ++c->env->ndeployments };
    const struct jval *resources = jval_get(inner, "resources");
    if (resources)
        arm_template_walk_resources(&sub, resources);
    arm_template_check_depends_on(c->env, &sub);
}
