/* model_index.c - the model's lookups by name, in constant time.
 *
 * Every reference in a template (an operation to its API, a link to its
 * product, {{name}} in a policy to its named value) is resolved here, so a
 * scan per reference would make checking quadratic in the template. The
 * service's lists only grow at the end; each index remembers the last item
 * it holds and takes in the newer ones before answering. */
#include <stdio.h>
#include <string.h>

#include "model.h"

static void index_begin(struct model *m, struct model_index *ix)
{
    if (ix->names.arena == NULL)
        name_index_init(&ix->names, m->arena);
}

static void add_name(struct model_index *ix, const char *name, void *item)
{
    if (name)
        name_index_add(&ix->names, name, strlen(name), item);
}

/* Index the items of a list from the one after ix->last; ADD(item) adds its
 * keys. */
#define CATCH_UP(m, ix, head, type, ADD)                              \
    do {                                                              \
        index_begin((m), (ix));                                       \
        type *it_ = (ix)->last ? ((type *)(ix)->last)->next : (head); \
        for (; it_; it_ = it_->next) {                                \
            ADD((ix), it_);                                           \
            (ix)->last = it_;                                         \
        }                                                             \
    } while (0)

#define ADD_ID(ix, it) add_name((ix), (it)->id, (it))

/* "id" and "id;rev=N": an API by id finds its first revision declared. */
static void add_api(struct model *m, struct model_index *ix, struct model_api *a)
{
    add_name(ix, a->id, a);
    if (a->id && a->revision)
        add_name(ix, arena_printf(m->arena, "%s;rev=%s", a->id, a->revision), a);
}

static void *find(const struct model_index *ix, const char *id)
{
    return id ? name_index_find(&ix->names, id, strlen(id)) : NULL;
}

struct model_api *model_find_api(struct model *m, struct model_service *s, const char *id,
                                 size_t idlen, const char *rev, bool served_only)
{
    struct model_index *ix = served_only ? &s->served_api_index : &s->api_index;
    index_begin(m, ix);
    struct model_api *a = ix->last ? ((struct model_api *)ix->last)->next : s->apis;
    for (; a; a = a->next) {
        if (!served_only || !a->external)
            add_api(m, ix, a);
        ix->last = a;
    }
    char key[512];
    int n = rev ? snprintf(key, sizeof(key), "%.*s;rev=%s", (int)idlen, id, rev)
                : snprintf(key, sizeof(key), "%.*s", (int)idlen, id);
    if (n < 0 || (size_t)n >= sizeof(key))
        return NULL; /* longer than any name API Management accepts */
    return name_index_find(&ix->names, key, (size_t)n);
}

struct model_product *model_find_product(struct model *m, struct model_service *s, const char *id)
{
    CATCH_UP(m, &s->product_index, s->products, struct model_product, ADD_ID);
    return find(&s->product_index, id);
}

struct model_group *model_find_group(struct model *m, struct model_service *s, const char *id)
{
    CATCH_UP(m, &s->group_index, s->groups, struct model_group, ADD_ID);
    return find(&s->group_index, id);
}

struct model_backend *model_find_backend(struct model *m, struct model_service *s, const char *id)
{
    CATCH_UP(m, &s->backend_index, s->backends, struct model_backend, ADD_ID);
    return find(&s->backend_index, id);
}

struct model_fragment *model_find_fragment(struct model *m, struct model_service *s, const char *id)
{
    CATCH_UP(m, &s->fragment_index, s->fragments, struct model_fragment, ADD_ID);
    return find(&s->fragment_index, id);
}

#define ADD_NAMED_VALUE(ix, nv)                   \
    do {                                          \
        add_name((ix), (nv)->id, (nv));           \
        add_name((ix), (nv)->display_name, (nv)); \
    } while (0)

struct model_named_value *model_find_named_value(struct model *m, struct model_service *s,
                                                 struct str name)
{
    CATCH_UP(m, &s->named_value_index, s->named_values, struct model_named_value, ADD_NAMED_VALUE);
    return name_index_find(&s->named_value_index.names, name.ptr, name.len);
}

struct model_version_set *model_find_version_set(struct model *m, struct model_service *s,
                                                 const char *id)
{
    CATCH_UP(m, &s->version_set_index, s->version_sets, struct model_version_set, ADD_ID);
    return find(&s->version_set_index, id);
}

struct model_logger *model_find_logger(struct model *m, struct model_service *s, const char *id)
{
    CATCH_UP(m, &s->logger_index, s->loggers, struct model_logger, ADD_ID);
    return find(&s->logger_index, id);
}

struct model_gateway *model_find_gateway(struct model *m, struct model_service *s, const char *id)
{
    CATCH_UP(m, &s->gateway_index, s->gateways, struct model_gateway, ADD_ID);
    return find(&s->gateway_index, id);
}

#define ADD_NAME(ix, it) add_name((ix), (it)->name, (it))

struct model_service *model_find_workspace(struct model *m, struct model_service *s, const char *id)
{
    CATCH_UP(m, &s->workspace_index, s->workspaces, struct model_service, ADD_NAME);
    return find(&s->workspace_index, id);
}

struct model_operation *model_find_operation(struct model *m, struct model_api *a, const char *id)
{
    CATCH_UP(m, &a->op_index, a->ops, struct model_operation, ADD_ID);
    return find(&a->op_index, id);
}
