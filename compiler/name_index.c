/* name_index.c - case-insensitive open-addressing hash table over names. */
#include "name_index.h"

#include <strings.h>

static size_t name_hash(const char *key, size_t len)
{
    size_t h = 1469598103934665603u; /* FNV-1a over ASCII-lowercased bytes */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)key[i];
        h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 1099511628211u;
    }
    return h;
}

static struct name_index_slot *slot_of(struct name_index_slot *slots, size_t cap, const char *key,
                                       size_t len)
{
    size_t j = name_hash(key, len) & (cap - 1);
    while (slots[j].key && !(slots[j].len == len && strncasecmp(slots[j].key, key, len) == 0))
        j = (j + 1) & (cap - 1);
    return &slots[j];
}

void name_index_init(struct name_index *idx, struct arena *arena)
{
    *idx = (struct name_index){ .arena = arena };
}

static void grow(struct name_index *idx)
{
    size_t cap = idx->cap ? idx->cap * 2 : 16;
    struct name_index_slot *slots = ARENA_ARRAY(idx->arena, struct name_index_slot, cap);
    for (size_t i = 0; i < idx->cap; i++)
        if (idx->slots[i].key)
            *slot_of(slots, cap, idx->slots[i].key, idx->slots[i].len) = idx->slots[i];
    idx->slots = slots;
    idx->cap = cap;
}

/* The slot key[0..len) has, or the empty one it would take. */
static struct name_index_slot *slot_for(struct name_index *idx, const char *key, size_t len)
{
    if (2 * (idx->n + 1) > idx->cap)
        grow(idx);
    return slot_of(idx->slots, idx->cap, key, len);
}

void name_index_add(struct name_index *idx, const char *key, size_t len, void *value)
{
    struct name_index_slot *s = key ? slot_for(idx, key, len) : NULL;
    if (s == NULL || s->key)
        return;
    *s = (struct name_index_slot){ key, len, value };
    idx->n++;
}

void name_index_put(struct name_index *idx, const char *key, size_t len, void *value)
{
    struct name_index_slot *s = key ? slot_for(idx, key, len) : NULL;
    if (s == NULL)
        return;
    idx->n += s->key == NULL;
    *s = (struct name_index_slot){ key, len, value };
}

void *name_index_find(const struct name_index *idx, const char *key, size_t len)
{
    if (idx->cap == 0 || key == NULL)
        return NULL;
    return slot_of(idx->slots, idx->cap, key, len)->value;
}
