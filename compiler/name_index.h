/* name_index.h - find an entity of the model by its name in constant time.
 *
 * Azure's names are case-insensitive, so keys are compared ignoring ASCII
 * case. The first entry added under a key wins: lookups agree with a scan
 * of the declaration list in order, without being one per reference.
 * Ownership: the table lives in the arena given to name_index_init; keys
 * are not copied and must outlive the index (model strings do).
 * Errors: none.
 */
#ifndef APIM_COMPILER_NAME_INDEX_H
#define APIM_COMPILER_NAME_INDEX_H

#include <stddef.h>

#include "arena.h"

struct name_index_slot {
    const char *key;
    size_t len;
    void *value;
};

struct name_index {
    struct arena *arena;
    struct name_index_slot *slots;
    size_t cap, n;
};

void name_index_init(struct name_index *idx, struct arena *arena);

/* Add key[0..len) -> value, unless the key is there already. */
void name_index_add(struct name_index *idx, const char *key, size_t len, void *value);

/* Add key[0..len) -> value, or replace the value the key has. */
void name_index_put(struct name_index *idx, const char *key, size_t len, void *value);

/* The value added first under key[0..len), or NULL. */
void *name_index_find(const struct name_index *idx, const char *key, size_t len);

#endif
