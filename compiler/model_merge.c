/* model_merge.c - the templates of one run as one deployment (model.h,
 * struct model_merge): resources indexed by (type, name), repeats dropped
 * or reported, then one model built from what is left. */
#include <string.h>

#include "model.h"

static const char apim_prefix[] = "Microsoft.ApiManagement/";

void model_merge_init(struct model_merge *mm, struct model *m)
{
    memset(mm, 0, sizeof(*mm));
    mm->m = m;
}

static uint64_t fold(uint64_t h, struct str s)
{
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        h = (h ^ (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c)) * 1099511628211ULL;
    }
    return h;
}

static uint64_t key_hash(const struct arm_resource *r)
{
    uint64_t h = fold(1469598103934665603ULL, r->type);
    h = (h ^ '|') * 1099511628211ULL;
    h = fold(h, r->name);
    return h ? h : 1;
}

static void grow(struct model_merge *mm)
{
    size_t cap = mm->nslots ? mm->nslots * 2 : 256;
    struct model_merge_slot *t = ARENA_ARRAY(mm->m->arena, struct model_merge_slot, cap);
    for (size_t i = 0; i < mm->nslots; i++) {
        if (mm->slots[i].r == NULL)
            continue;
        size_t j = mm->slots[i].hash % cap;
        while (t[j].r)
            j = (j + 1) % cap;
        t[j] = mm->slots[i];
    }
    mm->slots = t;
    mm->nslots = cap;
}

/* The resource already indexed under r's (type, name), or NULL after
 * indexing r. */
static const struct arm_resource *index_once(struct model_merge *mm, const struct arm_resource *r)
{
    if (2 * (mm->used + 1) > mm->nslots)
        grow(mm);
    uint64_t h = key_hash(r);
    size_t j = h % mm->nslots;
    for (; mm->slots[j].r; j = (j + 1) % mm->nslots) {
        const struct arm_resource *o = mm->slots[j].r;
        if (mm->slots[j].hash == h && str_ieq(o->type, r->type) && str_ieq(o->name, r->name))
            return o;
    }
    mm->slots[j] = (struct model_merge_slot){ h, r };
    mm->used++;
    return NULL;
}

/* Values known only at deployment are the same if they depend on the same
 * thing; everything else as jval_equal. */
static bool same_value(const struct jval *a, const struct jval *b)
{
    if (a->kind == JV_UNKNOWN || b->kind == JV_UNKNOWN)
        return a->kind == b->kind && a->u.why && b->u.why && strcmp(a->u.why, b->u.why) == 0;
    if (a->kind == JV_ARRAY && b->kind == JV_ARRAY) {
        if (a->u.a.n != b->u.a.n)
            return false;
        for (size_t i = 0; i < a->u.a.n; i++)
            if (!same_value(a->u.a.v[i], b->u.a.v[i]))
                return false;
        return true;
    }
    if (a->kind == JV_OBJECT && b->kind == JV_OBJECT) {
        if (a->u.o.n != b->u.o.n)
            return false;
        for (size_t i = 0; i < a->u.o.n; i++) {
            const struct jval *o = jval_get(b, a->u.o.v[i].key.ptr);
            if (o == NULL || !same_value(a->u.o.v[i].value, o))
                return false;
        }
        return true;
    }
    return jval_equal(a, b, false);
}

/* Members that say nothing about the deployed resource's state. */
static bool ignored(struct str key)
{
    static const char *const keys[] = { "apiVersion", "comments", "metadata", "dependsOn",
                                        "name",       "type",     NULL };
    for (size_t i = 0; keys[i]; i++)
        if (str_ieq_cstr(key, keys[i]))
            return true;
    return false;
}

static size_t compared(const struct jval *body)
{
    size_t n = 0;
    for (size_t i = 0; i < body->u.o.n; i++)
        n += !ignored(body->u.o.v[i].key);
    return n;
}

static bool same_definition(const struct arm_resource *a, const struct arm_resource *b)
{
    if (compared(a->body) != compared(b->body))
        return false;
    for (size_t i = 0; i < a->body->u.o.n; i++) {
        const struct jval_member *m = &a->body->u.o.v[i];
        if (ignored(m->key))
            continue;
        const struct jval *o = jval_get(b->body, m->key.ptr);
        if (o == NULL || !same_value(m->value, o))
            return false;
    }
    return true;
}

static void keep(struct model_merge *mm, const struct arm_resource *r)
{
    if (mm->n == mm->cap) {
        size_t cap = mm->cap ? mm->cap * 2 : 256;
        const struct arm_resource **v = ARENA_ARRAY(mm->m->arena, const struct arm_resource *, cap);
        if (mm->n)
            memcpy(v, mm->v, mm->n * sizeof(*v));
        mm->v = v;
        mm->cap = cap;
    }
    mm->v[mm->n++] = r;
}

static void add_one(struct model_merge *mm, const struct arm_resource *r)
{
    if (r->existing || !str_istarts_with(r->type, apim_prefix)) {
        keep(mm, r);
        return;
    }
    const struct arm_resource *first = index_once(mm, r);
    if (first == NULL) {
        keep(mm, r);
        return;
    }
    /* Twice in one deployment is APIM3015's (and the template walker's). */
    bool one_deployment =
        first->name_loc.src == r->name_loc.src && first->deployment == r->deployment;
    if (one_deployment || same_definition(first, r))
        return;
    struct diag *d = mm->m->diag;
    struct diag_entry *e =
        diag_emit(d, DC_RESOURCE_CONFLICT, r->name_loc,
                  "resource '%.*s' of type '%.*s' is declared again with a different definition",
                  STR_FMT(r->name), STR_FMT(r->type));
    diag_note(d, e, first->name_loc, "previous definition here");
}

void model_merge_add(struct model_merge *mm, const struct arm_env *env)
{
    size_t n = 0;
    for (const struct arm_resource *r = env->resources; r && n < env->nresources; r = r->next, n++)
        add_one(mm, r);
}

void model_merge_finish(struct model_merge *mm)
{
    model_add_resources(mm->m, mm->v, mm->n);
}
