/* arm_template.c - walks an ARM template: structure, parameter declarations
 * and supplied values, variables, resources (copy loops, conditions, nested
 * children, nested deployments), duplicates and outputs; dependsOn is
 * checked by arm_depends.c. Expressions are
 * evaluated by arm_eval.c; this file decides what gets evaluated, where and
 * how often. */
#include <stdio.h>
#include <string.h>

#include "apim_limits.h"
#include "arm_eval.h"
#include "name_index.h"
#include "suggest.h"

struct jval *arm_copy_array(struct arm_ctx *c, struct str name, const struct jval *count,
                            const struct jval *input, bool unnamed_ok, struct loc at);

void arm_env_init(struct arm_env *env, struct arena *a, struct diag *d, const char *deployment)
{
    memset(env, 0, sizeof(*env));
    env->arena = a;
    env->diag = d;
    env->subscription_id = "00000000-0000-0000-0000-000000000000";
    env->tenant_id = "00000000-0000-0000-0000-000000000001";
    env->resource_group = "apimlocal";
    env->location = "eastus";
    env->deployment_name = deployment ? deployment : "apimlocal";
}

static bool schema_has(const struct jval *doc, const char *what)
{
    const char *schema = jval_get_str(doc, "$schema");
    return schema && strstr(schema, what) != NULL;
}

bool arm_is_template(const struct jval *doc)
{
    if (doc == NULL || doc->kind != JV_OBJECT)
        return false;
    if (schema_has(doc, "eploymentTemplate.json"))
        return true;
    return jval_get(doc, "resources") != NULL &&
           (jval_get(doc, "contentVersion") != NULL || jval_get(doc, "parameters") != NULL ||
            jval_get(doc, "$schema") != NULL);
}

bool arm_is_parameters_file(const struct jval *doc)
{
    if (doc == NULL || doc->kind != JV_OBJECT)
        return false;
    if (schema_has(doc, "eploymentParameters.json"))
        return true;
    return jval_get(doc, "resources") == NULL && jval_get(doc, "parameters") != NULL &&
           jval_get(doc, "contentVersion") != NULL;
}

/* ---- small helpers ---- */

static const char *const template_keys[] = {
    "$schema",         "contentVersion", "apiProfile", "parameters", "variables",
    "functions",       "resources",      "outputs",    "metadata",   "definitions",
    "languageVersion", "imports",        "extensions", "asserts",    NULL,
};

static const char *const resource_keys[] = {
    "type",       "apiVersion", "name",       "location",          "tags",
    "sku",        "kind",       "properties", "dependsOn",         "scale",
    "condition",  "copy",       "resources",  "comments",          "identity",
    "plan",       "zones",      "scope",      "managedBy",         "extendedLocation",
    "metadata",   "existing",   "etag",       "subscriptionId",    "resourceGroup",
    "apiProfile", "asserts",    "import",     "managedByExtended", "description",
    NULL,
};

static void warn_unknown_keys(struct arm_ctx *c, const struct jval *obj, const char *const *known,
                              enum diag_code code, const char *what)
{
    suggest_unknown_keys(c->diag, c->arena, obj, known, code, UNKNOWN_KEY_PROPERTY, what, NULL);
}

static bool is_true(const struct jval *v)
{
    return v && v->kind == JV_BOOL && v->u.b;
}

static struct loc key_loc(const struct jval *obj, const char *key)
{
    struct jval_member *m = jval_get_member(obj, key);
    return m ? m->key_loc : obj->loc;
}

/* ---- parameters ---- */

static bool valid_type_name(const char *t)
{
    static const char *const types[] = { "string", "securestring", "int",   "bool",
                                         "object", "secureobject", "array", NULL };
    for (size_t i = 0; types[i]; i++)
        if (str_ieq_cstr(str_from_cstr(t), types[i]))
            return true;
    return false;
}

static void check_declaration(struct arm_ctx *c, const struct jval *decl, const char *what)
{
    struct jval *type = jval_get(decl, "type");
    const char *ref = jval_get_str(decl, "$ref");
    if (ref) {
        const char *prefix = "#/definitions/";
        if (strncmp(ref, prefix, strlen(prefix)) != 0 ||
            jval_get(c->definitions, ref + strlen(prefix)) == NULL)
            diag_emit(c->diag, DC_PARAM_DECL, jval_get(decl, "$ref")->loc,
                      "%s refers to an undefined type '%s'", what, ref);
    } else if (type == NULL) {
        diag_emit(c->diag, DC_PARAM_DECL, decl->loc, "%s has no 'type'", what);
    } else if (type->kind != JV_STRING || !valid_type_name(type->u.s.ptr)) {
        diag_emit(c->diag, DC_PARAM_DECL, type->loc,
                  "%s has an invalid type; use string, securestring, int, bool, object, "
                  "secureobject or array",
                  what);
    }
    struct jval *allowed = jval_get(decl, "allowedValues");
    if (allowed && allowed->kind != JV_ARRAY)
        diag_emit(c->diag, DC_PARAM_DECL, allowed->loc, "%s: 'allowedValues' must be an array",
                  what);
    static const char *const ints[] = { "minValue", "maxValue", "minLength", "maxLength", NULL };
    for (size_t i = 0; ints[i]; i++) {
        struct jval *v = jval_get(decl, ints[i]);
        if (v && v->kind != JV_INT)
            diag_emit(c->diag, DC_PARAM_DECL, v->loc, "%s: '%s' must be an int", what, ints[i]);
    }
}

static void declare_parameters(struct arm_ctx *c, const struct jval *params)
{
    if (params == NULL)
        return;
    if (params->kind != JV_OBJECT) {
        diag_emit(c->diag, DC_NOT_TEMPLATE, params->loc, "'parameters' must be an object");
        return;
    }
    c->params = ARENA_ARRAY(c->arena, struct arm_param, params->u.o.n + 1);
    for (size_t i = 0; i < params->u.o.n; i++) {
        const struct jval_member *m = &params->u.o.v[i];
        const char *what = arena_printf(c->arena, "parameter '%.*s'", STR_FMT(m->key));
        if (m->value->kind != JV_OBJECT) {
            diag_emit(c->diag, DC_PARAM_DECL, m->value->loc, "%s must be declared with an object",
                      what);
            continue;
        }
        check_declaration(c, m->value, what);
        struct arm_param *p = &c->params[c->nparams++];
        p->name = m->key;
        p->name_loc = m->key_loc;
        p->decl = m->value;
    }
}

static void bind_values(struct arm_ctx *c, const struct arm_param_value *values)
{
    for (const struct arm_param_value *v = values; v; v = v->next) {
        struct arm_param *p = NULL;
        for (size_t i = 0; i < c->nparams && p == NULL; i++)
            if (str_ieq(c->params[i].name, v->name))
                p = &c->params[i];
        if (p) {
            p->supplied = v;
            continue;
        }
        if (c->deployment_depth == 0 && c->env->shared_values)
            continue;
        struct str *names = ARENA_ARRAY(c->arena, struct str, c->nparams + 1);
        for (size_t i = 0; i < c->nparams; i++)
            names[i] = c->params[i].name;
        const char *hint = suggest(v->name, names, c->nparams);
        struct diag_entry *e =
            diag_emit(c->diag, DC_PARAM_UNDECLARED, v->name_loc,
                      "a value is given for parameter '%.*s', which the template does not declare",
                      STR_FMT(v->name));
        if (hint)
            diag_note(c->diag, e, v->name_loc, "did you mean '%s'?", hint);
    }
}

/* ---- variables ---- */

static void declare_variables(struct arm_ctx *c, const struct jval *vars)
{
    if (vars == NULL)
        return;
    if (vars->kind != JV_OBJECT) {
        diag_emit(c->diag, DC_NOT_TEMPLATE, vars->loc, "'variables' must be an object");
        return;
    }
    size_t n = vars->u.o.n;
    const struct jval *copy = jval_get(vars, "copy");
    if (copy && copy->kind == JV_ARRAY)
        n += copy->u.a.n;
    c->vars = ARENA_ARRAY(c->arena, struct arm_var, n + 1);
    for (size_t i = 0; i < vars->u.o.n; i++) {
        const struct jval_member *m = &vars->u.o.v[i];
        if (str_ieq_cstr(m->key, "copy") && m->value->kind == JV_ARRAY) {
            for (size_t j = 0; j < m->value->u.a.n; j++) {
                const struct jval *l = m->value->u.a.v[j];
                const char *name = jval_get_str(l, "name");
                if (name == NULL || !jval_get(l, "count") || !jval_get(l, "input")) {
                    diag_emit(c->diag, DC_VARIABLE_DECL, l->loc,
                              "a variable copy loop needs 'name', 'count' and 'input'");
                    continue;
                }
                c->vars[c->nvars++] =
                    (struct arm_var){ str_from_cstr(name), key_loc(l, "name"), l, true, NULL,
                                      ARM_UNRESOLVED };
            }
            continue;
        }
        c->vars[c->nvars++] =
            (struct arm_var){ m->key, m->key_loc, m->value, false, NULL, ARM_UNRESOLVED };
    }
}

/* ---- resources ---- */

static size_t count_char(struct str s, char ch)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        n += s.ptr[i] == ch;
    return n;
}

const char *arm_resource_id(struct arm_env *env, const struct arm_resource *r)
{
    const char *slash = memchr(r->type.ptr, '/', r->type.len);
    if (slash == NULL)
        return NULL;
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    int rc =
        buf_printf(&b, "/subscriptions/%s/resourceGroups/%s/providers/%.*s", env->subscription_id,
                   env->resource_group, (int)(slash - r->type.ptr), r->type.ptr);
    const char *t = slash + 1, *tend = r->type.ptr + r->type.len;
    const char *n = r->name.ptr, *nend = r->name.ptr + r->name.len;
    while (rc == 0 && t < tend) {
        const char *ts = memchr(t, '/', (size_t)(tend - t));
        const char *ns = memchr(n, '/', (size_t)(nend - n));
        size_t tl = ts ? (size_t)(ts - t) : (size_t)(tend - t);
        size_t nl = ns ? (size_t)(ns - n) : (size_t)(nend - n);
        rc = buf_printf(&b, "/%.*s/%.*s", (int)tl, t, (int)nl, n);
        t = ts ? ts + 1 : tend;
        n = ns ? ns + 1 : nend;
    }
    const char *id = rc == 0 ? arena_strdup(env->arena, b.data) : NULL;
    buf_release(&b);
    return id;
}

/* A resource left out by a false condition: still a valid dependsOn target. */
static void walk_resource(struct walk *w, const struct jval *decl,
                          const struct arm_resource *parent, const char *symbolic);

static struct jval *eval_key(struct arm_ctx *c, const struct jval *decl, const char *key)
{
    struct jval *raw = jval_get(decl, key);
    return raw ? arm_value(c, raw) : NULL;
}

/* Full type and name: a nested child writes both relative to its parent. */
static bool qualify(struct arm_ctx *c, const struct arm_resource *parent, struct jval *type,
                    struct jval *name, struct str *ftype, struct str *fname)
{
    *ftype = type->u.s;
    *fname = name->u.s;
    if (parent == NULL)
        return true;
    /* "apis" and "apis/operations" are relative; a full type starts with
     * its namespace ("Microsoft.ApiManagement/..."), which has a dot. */
    const char *slash = memchr(type->u.s.ptr, '/', type->u.s.len);
    size_t first = slash ? (size_t)(slash - type->u.s.ptr) : type->u.s.len;
    if (memchr(type->u.s.ptr, '.', first) == NULL)
        *ftype = str_from_cstr(
            arena_printf(c->arena, "%.*s/%.*s", STR_FMT(parent->type), STR_FMT(type->u.s)));
    size_t want = count_char(*ftype, '/');
    if (count_char(name->u.s, '/') + 1 < want)
        *fname = str_from_cstr(
            arena_printf(c->arena, "%.*s/%.*s", STR_FMT(parent->name), STR_FMT(name->u.s)));
    return true;
}

/* ARM: a resource of type NS/t1/t2 has a name n1/n2, one segment per type
 * segment after the namespace. Extension resources (with "scope") differ. */
static bool check_segments(struct arm_ctx *c, const struct jval *decl, struct str type,
                           struct str name, struct loc at)
{
    if (jval_get(decl, "scope"))
        return true;
    size_t tsegs = count_char(type, '/'), nsegs = count_char(name, '/') + 1;
    if (tsegs == nsegs)
        return true;
    diag_emit(c->diag, DC_NAME_SEGMENTS, at,
              "resource name '%.*s' has %zu segment%s, but type '%.*s' needs %zu", STR_FMT(name),
              nsegs, nsegs == 1 ? "" : "s", STR_FMT(type), tsegs);
    return false;
}

static struct jval *evaluate_body(struct arm_ctx *c, const struct jval *decl, bool deployment,
                                  struct jval *type, struct jval *name)
{
    struct jval *body = jval_object(c->arena, decl->loc, decl->u.o.n);
    size_t n = 0;
    bool ok = true;
    for (size_t i = 0; i < decl->u.o.n; i++) {
        const struct jval_member *m = &decl->u.o.v[i];
        if (str_ieq_cstr(m->key, "copy") || str_ieq_cstr(m->key, "resources") ||
            str_ieq_cstr(m->key, "condition") || str_ieq_cstr(m->key, "dependsOn"))
            continue;
        struct jval *v;
        /* type and name are evaluated once, by the caller. */
        if (str_ieq_cstr(m->key, "type") || str_ieq_cstr(m->key, "name")) {
            v = str_ieq_cstr(m->key, "type") ? type : name;
            body->u.o.v[n++] = (struct jval_member){ m->key, m->key_loc, v };
            continue;
        }
        if (deployment && str_ieq_cstr(m->key, "properties") && m->value->kind == JV_OBJECT) {
            /* The inner template is evaluated in its own scope, later. */
            struct jval *props = jval_object(c->arena, m->value->loc, m->value->u.o.n);
            size_t pn = 0;
            for (size_t j = 0; j < m->value->u.o.n; j++) {
                const struct jval_member *pm = &m->value->u.o.v[j];
                struct jval *pv =
                    str_ieq_cstr(pm->key, "template") ? pm->value : arm_value(c, pm->value);
                ok &= pv != NULL;
                if (pv)
                    props->u.o.v[pn++] = (struct jval_member){ pm->key, pm->key_loc, pv };
            }
            props->u.o.n = pn;
            v = props;
        } else {
            v = arm_value(c, m->value);
        }
        if (v == NULL) {
            ok = false;
            continue;
        }
        body->u.o.v[n++] = (struct jval_member){ m->key, m->key_loc, v };
    }
    body->u.o.n = n;
    return ok ? body : NULL;
}

void arm_env_add(struct arm_env *env, struct arm_resource *r)
{
    if (env->last)
        env->last->next = r;
    else
        env->resources = r;
    env->last = r;
    env->nresources++;
}

static void note_skipped(struct walk *w, struct str type, struct str name)
{
    struct skipped *sk = ARENA_NEW(w->c->arena, struct skipped);
    struct arm_resource r = { .type = type, .name = name };
    *sk = (struct skipped){ type, name, type.len ? arm_resource_id(w->c->env, &r) : NULL,
                            w->skipped };
    w->skipped = sk;
}

/* True unless type is known to be outside API Management (deployments
 * hold templates that may configure it). */
static bool apim_type(const struct jval *type)
{
    if (type->kind != JV_STRING || memchr(type->u.s.ptr, '/', type->u.s.len) == NULL)
        return true; /* unknown, or a nested child's short type */
    return str_istarts_with(type->u.s, "Microsoft.ApiManagement/") ||
           str_ieq_cstr(type->u.s, "Microsoft.Resources/deployments");
}

/* One instance of a resource (one copy iteration). */
static void instantiate(struct walk *w, const struct jval *decl, const struct arm_resource *parent,
                        const char *symbolic)
{
    struct arm_ctx *c = w->c;
    struct jval *type = eval_key(c, decl, "type");
    struct jval *name = eval_key(c, decl, "name");
    if (type == NULL || name == NULL) {
        if (jval_get(decl, "type") == NULL)
            diag_emit(c->diag, DC_RESOURCE_DECL, decl->loc, "resource has no 'type'");
        if (jval_get(decl, "name") == NULL)
            diag_emit(c->diag, DC_RESOURCE_DECL, decl->loc, "resource has no 'name'");
        return;
    }
    if (type->kind != JV_STRING || name->kind != JV_STRING) {
        if (jval_is_poison(type) || jval_is_poison(name))
            /* Report what else is wrong; a deployment's inner template
             * still belongs to its own scope, not to this one. */
            (void)evaluate_body(c, decl,
                                type->kind != JV_STRING ||
                                    str_ieq_cstr(type->u.s, "Microsoft.Resources/deployments"),
                                type, name);
        else if (name->kind == JV_UNKNOWN)
            /* Only a warning where it hides API Management configuration:
             * other types (role assignments named by guid(principalId))
             * are skipped locally anyway. */
            diag_emit_level(c->diag, apim_type(type) ? DIAG_WARNING : DIAG_NOTE, DC_DEPLOY_TIME,
                            name->loc,
                            "resource name is known only at deployment time; the resource is "
                            "skipped");
        else
            diag_emit(c->diag, DC_RESOURCE_DECL, type->kind != JV_STRING ? type->loc : name->loc,
                      "resource '%s' must be a string", type->kind != JV_STRING ? "type" : "name");
        return;
    }
    struct str ftype, fname;
    qualify(c, parent, type, name, &ftype, &fname);
    struct jval *cond = jval_get(decl, "condition");
    if (cond) {
        struct jval *cv = arm_value(c, cond);
        if (cv == NULL)
            return;
        if (cv->kind != JV_BOOL && cv->kind != JV_UNKNOWN) {
            diag_emit(c->diag, DC_RESOURCE_DECL, cond->loc, "'condition' must be a bool, not %s %s",
                      cv->kind == JV_INT || cv->kind == JV_ARRAY || cv->kind == JV_OBJECT ? "an"
                                                                                          : "a",
                      jval_kind_name(cv->kind));
            return;
        }
        if (cv->kind == JV_BOOL && !cv->u.b) {
            note_skipped(w, ftype, fname);
            return;
        }
    }
    if (!check_segments(c, decl, ftype, fname, jval_get(decl, "name")->loc))
        return;
    if (jval_get(decl, "apiVersion") == NULL && !is_true(jval_get(decl, "existing")))
        diag_emit(c->diag, DC_RESOURCE_DECL, key_loc(decl, "type"),
                  "resource '%.*s' has no 'apiVersion'", STR_FMT(fname));
    bool is_deployment = str_ieq_cstr(ftype, "Microsoft.Resources/deployments");
    struct jval *body = evaluate_body(c, decl, is_deployment, type, name);
    if (body == NULL) {
        note_skipped(w, ftype, fname);
        return;
    }
    struct arm_resource *r = ARENA_NEW(c->arena, struct arm_resource);
    r->type = ftype;
    r->name = fname;
    r->symbolic = symbolic;
    r->body = body;
    r->decl = decl;
    r->type_loc = jval_get(decl, "type")->loc;
    r->name_loc = jval_get(decl, "name")->loc;
    r->depends_on = eval_key(c, decl, "dependsOn");
    r->existing = is_true(jval_get(decl, "existing"));
    r->in_template = true;
    r->deployment_depth = w->depth;
    r->deployment = w->id;
    r->copy = diag_copy_current(c->diag);
    arm_env_add(c->env, r);
    if (w->first == NULL)
        w->first = r;
    if (is_deployment && !r->existing)
        arm_deploy_nested(w, r);
    const struct jval *children = jval_get(decl, "resources");
    if (children && children->kind == JV_ARRAY)
        for (size_t i = 0; i < children->u.a.n; i++)
            walk_resource(w, children->u.a.v[i], r, NULL);
}

static void walk_resource(struct walk *w, const struct jval *decl,
                          const struct arm_resource *parent, const char *symbolic)
{
    struct arm_ctx *c = w->c;
    if (decl->kind != JV_OBJECT) {
        diag_emit(c->diag, DC_RESOURCE_DECL, decl->loc, "a resource must be an object");
        return;
    }
    /* dependsOn may name a symbolic name or a copy loop, whatever becomes of
     * the instances. */
    if (symbolic)
        note_skipped(w, STR_NULL, str_from_cstr(symbolic));
    const char *loop_name = jval_get_str(jval_get(decl, "copy"), "name");
    if (loop_name)
        note_skipped(w, STR_NULL, str_from_cstr(loop_name));
    warn_unknown_keys(c, decl, resource_keys, DC_UNKNOWN_RESOURCE_KEY, "resource");
    const struct jval *copy = jval_get(decl, "copy");
    if (copy == NULL) {
        instantiate(w, decl, parent, symbolic);
        return;
    }
    if (parent) {
        diag_emit(c->diag, DC_COPY, key_loc(decl, "copy"),
                  "a nested child resource cannot have a copy loop; declare it at the top level");
        return;
    }
    const char *name = jval_get_str(copy, "name");
    if (copy->kind != JV_OBJECT || name == NULL || jval_get(copy, "count") == NULL) {
        diag_emit(c->diag, DC_COPY, copy->loc, "a copy loop needs a 'name' and a 'count'");
        return;
    }
    const char *mode = jval_get_str(copy, "mode");
    if (mode && !str_ieq_cstr(str_from_cstr(mode), "serial") &&
        !str_ieq_cstr(str_from_cstr(mode), "parallel"))
        diag_emit(c->diag, DC_COPY, jval_get(copy, "mode")->loc,
                  "copy 'mode' must be 'serial' or 'parallel'");
    struct jval *count = arm_value(c, jval_get(copy, "count"));
    if (count == NULL)
        return;
    if (count->kind == JV_UNKNOWN) {
        if (!jval_is_poison(count))
            diag_emit(c->diag, DC_DEPLOY_TIME, jval_get(copy, "count")->loc,
                      "copy count is known only at deployment time; no copies evaluated");
        return;
    }
    if (count->kind != JV_INT || count->u.i < 0 || count->u.i > APIM_MAX_COPY_COUNT) {
        diag_emit(c->diag, DC_COPY, jval_get(copy, "count")->loc,
                  "copy count must be an int in 0..%d", APIM_MAX_COPY_COUNT);
        return;
    }
    struct arm_loop loop = { str_from_cstr(name), 0, true, c->loops };
    c->loops = &loop;
    diag_copy_begin(c->diag, name); /* one diagnostic per mistake, with its indexes */
    for (int64_t i = 0; i < count->u.i; i++) {
        loop.index = i;
        diag_copy_index(c->diag, name, (long)i);
        instantiate(w, decl, parent, symbolic);
    }
    diag_copy_end(c->diag);
    c->loops = loop.up;
}

/* An extension resource ("scope": a resource id, or one relative to the
 * resource group) has the id {scope}/providers/{type}/{name}, as
 * extensionResourceId() makes it. NULL for other resources. */
static const char *extension_id(struct arm_env *env, const struct arm_resource *r)
{
    const char *scope = jval_get_str(r->body, "scope");
    const char *id = scope ? arm_resource_id(env, r) : NULL;
    const char *rel = id ? strstr(id, "/providers/") : NULL;
    if (rel == NULL)
        return NULL;
    if (scope[0] == '/')
        return arena_printf(env->arena, "%s%s", scope, rel);
    return arena_printf(env->arena, "/subscriptions/%s/resourceGroups/%s/providers/%s%s",
                        env->subscription_id, env->resource_group, scope, rel);
}

/* One hash lookup per resource on (type, name, extension scope): a template
 * of thousands of resources is checked in linear time. */
static void check_duplicates(struct arm_env *env, const struct walk *w)
{
    struct name_index seen;
    name_index_init(&seen, env->arena);
    for (const struct arm_resource *r = w->first; r; r = r->next) {
        if (r->deployment_depth != w->depth || r->existing)
            continue;
        const char *scope = extension_id(env, r);
        const char *key = arena_printf(env->arena, "%.*s\n%.*s\n%s", STR_FMT(r->type),
                                       STR_FMT(r->name), scope ? scope : "");
        const struct arm_resource *first = name_index_find(&seen, key, strlen(key));
        if (first == NULL) {
            name_index_add(&seen, key, strlen(key), (void *)r);
            continue;
        }
        struct diag_entry *e = diag_emit(env->diag, DC_DUPLICATE_RESOURCE, r->name_loc,
                                         "resource '%.*s' of type '%.*s' is declared twice",
                                         STR_FMT(r->name), STR_FMT(r->type));
        diag_note(env->diag, e, first->name_loc, "first declared here");
    }
}

void arm_template_walk_resources(struct walk *w, const struct jval *resources)
{
    struct arm_ctx *c = w->c;
    if (resources->kind == JV_ARRAY) {
        for (size_t i = 0; i < resources->u.a.n; i++)
            walk_resource(w, resources->u.a.v[i], NULL, NULL);
    } else if (resources->kind == JV_OBJECT && c->symbolic) {
        for (size_t i = 0; i < resources->u.o.n; i++)
            walk_resource(
                w, resources->u.o.v[i].value, NULL,
                arena_strndup(c->arena, resources->u.o.v[i].key.ptr, resources->u.o.v[i].key.len));
    } else {
        diag_emit(c->diag, DC_NOT_TEMPLATE, resources->loc,
                  c->symbolic ? "'resources' must be an object or an array"
                              : "'resources' must be an array (an object needs "
                                "\"languageVersion\": \"2.0\")");
    }
}

/* ---- outputs ---- */

static struct jval *evaluate_outputs(struct arm_ctx *c, const struct jval *outputs)
{
    if (outputs == NULL)
        return jval_object(c->arena, c->template->loc, 0);
    if (outputs->kind != JV_OBJECT) {
        diag_emit(c->diag, DC_OUTPUT, outputs->loc, "'outputs' must be an object");
        return NULL;
    }
    struct jval *out = jval_object(c->arena, outputs->loc, outputs->u.o.n);
    size_t n = 0;
    c->place = ARM_IN_OUTPUTS;
    for (size_t i = 0; i < outputs->u.o.n; i++) {
        const struct jval_member *m = &outputs->u.o.v[i];
        const char *what = arena_printf(c->arena, "output '%.*s'", STR_FMT(m->key));
        struct jval *cond = eval_key(c, m->value, "condition");
        if (cond && cond->kind == JV_BOOL && !cond->u.b)
            continue;
        const struct jval *copy = jval_get(m->value, "copy");
        struct jval *v;
        if (copy)
            v = arm_copy_array(c, m->key, jval_get(copy, "count"), jval_get(copy, "input"), true,
                               copy->loc);
        else if (jval_get(m->value, "value"))
            v = eval_key(c, m->value, "value");
        else {
            diag_emit(c->diag, DC_OUTPUT, m->key_loc, "%s has no 'value'", what);
            continue;
        }
        if (v == NULL || !arm_check_declared(c, m->value, v, what,
                                             jval_get(m->value, copy ? "copy" : "value")->loc))
            continue;
        const char *tk[] = { "type", "value" };
        struct jval *entry = jval_object(c->arena, m->value->loc, 2);
        struct jval *type = jval_get(m->value, "type");
        entry->u.o.v[0] =
            (struct jval_member){ str_from_cstr(tk[0]), m->key_loc,
                                  type ? type : jval_cstring(c->arena, m->key_loc, "object") };
        entry->u.o.v[1] = (struct jval_member){ str_from_cstr(tk[1]), m->key_loc, v };
        out->u.o.v[n++] = (struct jval_member){ m->key, m->key_loc, entry };
    }
    out->u.o.n = n;
    return out;
}

/* ---- the template ---- */

static void check_structure(struct arm_ctx *c, const struct jval *t)
{
    warn_unknown_keys(c, t, template_keys, DC_UNKNOWN_TEMPLATE_KEY, "template");
    if (jval_get(t, "$schema") == NULL && c->deployment_depth == 0)
        diag_emit_level(c->diag, DIAG_WARNING, DC_NOT_TEMPLATE,
                        (struct loc){ t->loc.src, t->loc.start, t->loc.start + 1 },
                        "template has no '$schema'");
    const char *lv = jval_get_str(t, "languageVersion");
    if (lv && strcmp(lv, "1.0") != 0 && strcmp(lv, "2.0") != 0 && strncmp(lv, "2.", 2) != 0)
        diag_emit(c->diag, DC_NOT_TEMPLATE, jval_get(t, "languageVersion")->loc,
                  "unknown languageVersion '%s'", lv);
}

static void resolve_all(struct arm_ctx *c)
{
    for (size_t i = 0; i < c->nparams; i++)
        (void)arm_parameter(c, c->params[i].name, c->params[i].name_loc);
    c->place = ARM_IN_VARIABLES;
    for (size_t i = 0; i < c->nvars; i++)
        (void)arm_variable(c, c->vars[i].name, c->vars[i].name_loc);
}

/* The scope a template's $schema names (deploymentTemplate.json is a
 * resource group's), or the one it is deployed to. */
static enum arm_scope schema_scope(const struct jval *t, enum arm_scope scope)
{
    static const struct {
        const char *file;
        enum arm_scope scope;
    } schemas[] = {
        { "/subscriptionDeploymentTemplate.json", ARM_SCOPE_SUBSCRIPTION },
        { "/managementGroupDeploymentTemplate.json", ARM_SCOPE_MANAGEMENT_GROUP },
        { "/tenantDeploymentTemplate.json", ARM_SCOPE_TENANT },
        { "/deploymentTemplate.json", ARM_SCOPE_RESOURCE_GROUP },
    };

    const char *schema = jval_get_str(t, "$schema");
    if (schema == NULL)
        return scope;
    for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++)
        if (strcasestr(schema, schemas[i].file))
            return schemas[i].scope;
    return scope;
}

int arm_template_evaluate(struct arm_env *env, const struct jval *t,
                          const struct arm_param_value *values, unsigned depth,
                          const char *deployment_name, enum arm_scope scope, struct jval **outputs)
{
    unsigned errors_before = env->diag->nerrors;
    struct arm_ctx ctx = { .env = env, .arena = env->arena, .diag = env->diag, .template = t };
    struct arm_ctx *c = &ctx;
    c->deployment_depth = depth;
    c->deployment_name = deployment_name;
    if (t->kind != JV_OBJECT) {
        diag_emit(c->diag, DC_NOT_TEMPLATE, t->loc, "a template must be a JSON object");
        return -1;
    }
    c->scope = schema_scope(t, scope);
    const char *lv = jval_get_str(t, "languageVersion");
    c->symbolic = lv && lv[0] >= '2';
    check_structure(c, t);
    c->definitions = jval_get(t, "definitions");
    c->functions = jval_get(t, "functions");
    declare_parameters(c, jval_get(t, "parameters"));
    bind_values(c, values);
    declare_variables(c, jval_get(t, "variables"));
    resolve_all(c);
    const struct jval *resources = jval_get(t, "resources");
    struct walk w = { c, depth, NULL, NULL, ++env->ndeployments };
    c->place = ARM_IN_RESOURCES;
    if (resources == NULL)
        diag_emit(c->diag, DC_NOT_TEMPLATE, t->loc, "template has no 'resources'");
    else
        arm_template_walk_resources(&w, resources);
    check_duplicates(env, &w);
    arm_template_check_depends_on(env, &w);
    *outputs = evaluate_outputs(c, jval_get(t, "outputs"));
    return env->diag->nerrors > errors_before ? -1 : 0;
}

int arm_evaluate(struct arm_env *env, const struct jval *template,
                 const struct arm_param_value *values)
{
    return arm_template_evaluate(env, template, values, 0, env->deployment_name,
                                 ARM_SCOPE_RESOURCE_GROUP, &env->outputs);
}

/* ---- parameters files ---- */

int arm_read_parameters_file(struct arena *a, struct diag *d, const struct jval *doc,
                             struct arm_param_value ***tail)
{
    unsigned before = d->nerrors;
    const struct jval *params = jval_get(doc, "parameters");
    if (doc->kind != JV_OBJECT || params == NULL || params->kind != JV_OBJECT) {
        diag_emit(d, DC_PARAM_FILE, doc->loc, "a parameters file needs a 'parameters' object");
        return -1;
    }
    static const char *const known[] = { "$schema", "contentVersion", "parameters", "metadata" };
    for (size_t i = 0; i < doc->u.o.n; i++) {
        bool ok = false;
        for (size_t k = 0; k < 4 && !ok; k++)
            ok = str_ieq_cstr(doc->u.o.v[i].key, known[k]);
        /* The extractor's parameters file is template-shaped: its empty
         * template sections say nothing. */
        const struct jval *v = doc->u.o.v[i].value;
        ok |= (v->kind == JV_ARRAY && v->u.a.n == 0) || (v->kind == JV_OBJECT && v->u.o.n == 0);
        if (!ok)
            diag_emit(d, DC_UNKNOWN_TEMPLATE_KEY, doc->u.o.v[i].key_loc,
                      "unknown parameters file property '%.*s'", STR_FMT(doc->u.o.v[i].key));
    }
    for (size_t i = 0; i < params->u.o.n; i++) {
        const struct jval_member *m = &params->u.o.v[i];
        struct jval *value = jval_get(m->value, "value");
        struct jval *ref = jval_get(m->value, "reference");
        bool invalid = false;
        if (m->value->kind != JV_OBJECT || (value == NULL && ref == NULL)) {
            diag_emit(d, DC_PARAM_FILE, m->value->loc,
                      "parameter '%.*s' needs an object with a 'value' or a 'reference'",
                      STR_FMT(m->key));
            invalid = true;
        } else if (ref && (ref->kind != JV_OBJECT ||
                           jval_get_str(jval_get(ref, "keyVault"), "id") == NULL ||
                           jval_get(ref, "secretName") == NULL)) {
            diag_emit(d, DC_PARAM_FILE, ref->loc,
                      "a Key Vault reference needs 'keyVault': { 'id': ... } and 'secretName'");
            invalid = true;
        }
        /* A malformed entry still counts as given: no "missing value" later. */
        struct arm_param_value *v = ARENA_NEW(a, struct arm_param_value);
        v->name = m->key;
        v->name_loc = m->key_loc;
        v->value = invalid ? NULL : value;
        v->is_reference = !invalid && value == NULL;
        v->invalid = invalid;
        **tail = v;
        *tail = &v->next;
    }
    return d->nerrors > before ? -1 : 0;
}
