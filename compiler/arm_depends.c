/* arm_depends.c - dependsOn of one deployment: every entry names one of its
 * resources, by id (at any scope), "type/name", name, symbolic name, a
 * member of a symbolic copy collection ("apis[0]") or a copy loop name.
 * Resources left out by a false condition (or that failed) still count. */
#include <string.h>

#include "apim_limits.h"
#include "arm_eval.h"

/* dependsOn accepts a resource id, "type/name", or the provider-relative
 * id "Namespace/type/name/childType/childName". */
static bool same_resource(struct arm_env *env, struct str type, struct str name, struct str want)
{
    const char *typed = arena_printf(env->arena, "%.*s/%.*s", STR_FMT(type), STR_FMT(name));
    if (str_ieq(str_from_cstr(typed), want))
        return true;
    struct arm_resource r = { .type = type, .name = name };
    const char *id = arm_resource_id(env, &r);
    if (id == NULL)
        return false;
    if (str_ieq(str_from_cstr(id), want))
        return true;
    const char *rel = strstr(id, "/providers/");
    return rel && str_ieq(str_from_cstr(rel + 11), want);
}

/* The type and name a resource id ends with, whatever its scope:
 * .../providers/NS/t1/n1/t2/n2 is NS/t1/t2 named n1/n2 (the last
 * "/providers/" is the resource's own, for extension resources too), and
 * /subscriptions/s/resourceGroups/rg is the resource group rg. Ids made by
 * subscriptionResourceId(), tenantResourceId(), extensionResourceId(),
 * managementGroupResourceId() or resourceId(sub, rg, ...) name resources of
 * the template this way. */
static bool id_tail(struct arena *a, struct str id, struct str *type, struct str *name)
{
    /* id is an evaluated string: NUL-terminated in the arena. */
    if (id.len == 0 || id.ptr[0] != '/')
        return false;
    const char *p = NULL;
    for (const char *s = id.ptr; (s = strcasestr(s, "/providers/")) != NULL; s++)
        p = s + strlen("/providers/");
    if (p == NULL) {
        const char *rg = strcasestr(id.ptr, "/resourceGroups/");
        if (rg == NULL || strchr(rg + strlen("/resourceGroups/"), '/'))
            return false;
        *type = str_from_cstr("Microsoft.Resources/resourceGroups");
        *name = str_from_cstr(rg + strlen("/resourceGroups/"));
        return name->len > 0;
    }
    struct buf t, n;
    buf_init(&t, APIM_MAX_VALUE_BYTES);
    buf_init(&n, APIM_MAX_VALUE_BYTES);
    const char *slash = strchr(p, '/');
    bool ok = slash && buf_printf(&t, "%.*s", (int)(slash - p), p) == 0;
    for (size_t i = 0; ok && slash; i++) {
        const char *seg = slash + 1;
        slash = strchr(seg, '/');
        int len = slash ? (int)(slash - seg) : (int)strlen(seg);
        ok = buf_printf(i % 2 ? &n : &t, "/%.*s", len, seg) == 0; /* t1 n1 t2 n2 ... */
    }
    ok = ok && n.len > 1;
    if (ok) {
        *type = str_from_cstr(arena_strdup(a, t.data));
        *name = str_from_cstr(arena_strdup(a, n.data + 1));
    }
    buf_release(&t);
    buf_release(&n);
    return ok;
}

/* languageVersion 2.0: "apis[2]" names one member of the copy loop whose
 * symbolic name is "apis"; the result is "apis", or want itself. */
static struct str symbolic_collection(struct str want)
{
    if (want.len < 4 || want.ptr[want.len - 1] != ']')
        return want;
    size_t open = want.len - 1;
    while (open > 0 && want.ptr[open - 1] >= '0' && want.ptr[open - 1] <= '9')
        open--;
    if (open == want.len - 1 || open < 2 || want.ptr[open - 1] != '[')
        return want;
    return (struct str){ want.ptr, open - 1 };
}

/* A child resource's own name: "svc/orders-api" is named "orders-api" too.
 * Microsoft's ARM docs team: a dependsOn entry may be the resource name
 * "as long as ... there are no other resources in the template with the
 * same name" (MicrosoftDocs/azure-docs#45431, on child resources). */
static bool own_name(struct str name, struct str want)
{
    if (want.len == 0 || want.len >= name.len || memchr(want.ptr, '/', want.len))
        return false;
    struct str tail = { name.ptr + name.len - want.len, want.len };
    return tail.ptr[-1] == '/' && str_ieq(tail, want);
}

static bool dependency_found(struct arm_env *env, const struct walk *w, struct str want)
{
    struct str wtype = STR_NULL, wname = STR_NULL;
    bool by_id = id_tail(env->arena, want, &wtype, &wname);
    struct str member = symbolic_collection(want);
    if (member.len != want.len) {
        for (const struct skipped *sk = w->skipped; sk; sk = sk->next)
            if (sk->type.len == 0 && str_ieq(sk->name, member))
                return true;
    }
    for (const struct arm_resource *r = w->first; r; r = r->next) {
        if (r->deployment_depth != w->depth)
            continue;
        if ((r->symbolic && str_ieq(str_from_cstr(r->symbolic), want)) || str_ieq(r->name, want) ||
            own_name(r->name, want))
            return true;
        if (same_resource(env, r->type, r->name, want) ||
            (by_id && str_ieq(r->type, wtype) && str_ieq(r->name, wname)))
            return true;
    }
    for (const struct skipped *sk = w->skipped; sk; sk = sk->next) {
        if (str_ieq(sk->name, want) || own_name(sk->name, want) ||
            (sk->type.len && same_resource(env, sk->type, sk->name, want)) ||
            (by_id && str_ieq(sk->type, wtype) && str_ieq(sk->name, wname)))
            return true;
    }
    return false;
}

void arm_template_check_depends_on(struct arm_env *env, const struct walk *w)
{
    for (const struct arm_resource *r = w->first; r; r = r->next) {
        if (r->deployment_depth != w->depth || r->depends_on == NULL)
            continue;
        if (r->depends_on->kind != JV_ARRAY) {
            diag_emit(env->diag, DC_DEPENDS_ON, r->depends_on->loc, "'dependsOn' must be an array");
            continue;
        }
        for (size_t i = 0; i < r->depends_on->u.a.n; i++) {
            const struct jval *d = r->depends_on->u.a.v[i];
            if (d->kind == JV_UNKNOWN)
                continue;
            if (d->kind != JV_STRING) {
                diag_emit(env->diag, DC_DEPENDS_ON, d->loc, "'dependsOn' entries must be strings");
                continue;
            }
            if (!dependency_found(env, w, d->u.s))
                diag_emit(env->diag, DC_DEPENDS_ON, d->loc,
                          "'%s' is not a resource of this template", d->u.s.ptr);
        }
    }
}
