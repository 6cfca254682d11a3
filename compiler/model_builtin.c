/* model_builtin.c - what a new API Management instance already has.
 *
 * Creating an instance in any tier but Consumption also creates the
 * products 'starter' and 'unlimited', the API 'echo-api' (backend
 * http://echoapi.cloudapp.net/api) and the system groups 'administrators',
 * 'developers' and 'guests' (learn.microsoft.com: "Tutorial: Create and
 * publish a product", "How to use groups", "Import and publish your first
 * API"). A template may refer to them without declaring them; they exist
 * unless someone deleted them, which a template cannot tell, so such a
 * reference is a note, not an error. The v2 tiers are treated like the
 * classic ones; a tier known only at deployment is given the benefit of the
 * doubt. The local gateway does not make them up: it serves what the
 * template declares. */
#include <string.h>

#include "model.h"

static const char *const products[] = { "starter", "unlimited", NULL };
static const char *const apis[] = { "echo-api", NULL };
static const char *const groups[] = { "administrators", "developers", "guests", NULL };

static const char *const *const kinds[] = {
    [MODEL_BUILTIN_PRODUCT] = products,
    [MODEL_BUILTIN_API] = apis,
    [MODEL_BUILTIN_GROUP] = groups,
};

static const char *const kind_names[] = {
    [MODEL_BUILTIN_PRODUCT] = "product",
    [MODEL_BUILTIN_API] = "API",
    [MODEL_BUILTIN_GROUP] = "group",
};

bool model_builtin_has(const struct model_service *s, enum model_builtin_kind kind, const char *id)
{
    if (id == NULL || (s->sku && str_ieq_cstr(str_from_cstr(s->sku), "Consumption")))
        return false;
    for (const char *const *p = kinds[kind]; *p; p++)
        if (str_ieq_cstr(str_from_cstr(id), *p))
            return true;
    return false;
}

bool model_builtin(struct model *m, const struct model_service *s, enum model_builtin_kind kind,
                   const char *id, struct loc at)
{
    if (!model_builtin_has(s, kind, id))
        return false;
    diag_emit(m->diag, DC_BUILTIN_ENTITY, at,
              "%s '%s' is not in this template; API Management creates it with every instance "
              "outside the Consumption tier, so it exists unless it was deleted",
              kind_names[kind], id);
    return true;
}
