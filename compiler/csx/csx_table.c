/* csx_table.c - the member table expanded from csx_members.def, and its
 * sorted index (csx_table.h). */
#include "csx_table.h"

#include <stdlib.h>
#include <string.h>

/* Member ids sorted by (owner, name); made once, on first use (the
 * compiler is single-threaded). */
static enum csx_member_id order[CSXM_COUNT];
static bool ready;

static int cmp_rows(const void *x, const void *y)
{
    const struct csx_member_row *a = &csx_member_rows[*(const enum csx_member_id *)x];
    const struct csx_member_row *b = &csx_member_rows[*(const enum csx_member_id *)y];
    if (a->owner != b->owner)
        return a->owner < b->owner ? -1 : 1;
    int c = strcmp(a->name, b->name);
    if (c != 0)
        return c;
    return *(const enum csx_member_id *)x < *(const enum csx_member_id *)y ? -1 : 1;
}

static void prepare(void)
{
    if (ready)
        return;
    for (size_t i = 0; i < CSXM_COUNT; i++)
        order[i] = (enum csx_member_id)i;
    qsort(order, CSXM_COUNT, sizeof(order[0]), cmp_rows);
    ready = true;
}

/* <0, 0, >0 as row i sorts before, with, after (owner, name). */
static int cmp_key(size_t i, enum csx_type_id owner, struct str name)
{
    const struct csx_member_row *r = &csx_member_rows[order[i]];
    if (r->owner != owner)
        return r->owner < owner ? -1 : 1;
    size_t n = strlen(r->name);
    int c = strncmp(r->name, name.ptr, n < name.len ? n : name.len);
    if (c != 0)
        return c;
    return n == name.len ? 0 : n < name.len ? -1 : 1;
}

/* The first position whose row sorts at or after the key. */
static size_t lower_bound(enum csx_type_id owner, struct str name, bool any_name)
{
    size_t lo = 0, hi = CSXM_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct csx_member_row *r = &csx_member_rows[order[mid]];
        int c = any_name ? (r->owner < owner ? -1 : 1) : cmp_key(mid, owner, name);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t csx_table_find(enum csx_type_id owner, struct str name, size_t *first)
{
    prepare();
    size_t i = lower_bound(owner, name, false), n = 0;
    while (i + n < CSXM_COUNT && cmp_key(i + n, owner, name) == 0)
        n++;
    *first = i;
    return n;
}

size_t csx_table_owner(enum csx_type_id owner, size_t *first)
{
    prepare();
    size_t i = lower_bound(owner, (struct str){ NULL, 0 }, true), n = 0;
    while (i + n < CSXM_COUNT && csx_member_rows[order[i + n]].owner == owner)
        n++;
    *first = i;
    return n;
}

enum csx_member_id csx_table_at(size_t i)
{
    prepare();
    return order[i];
}

bool csx_table_static(enum csx_member_kind k)
{
    return k == CSXM_SPROP || k == CSXM_SMETHOD || k == CSXM_CTOR;
}

const char *csx_table_kind_name(enum csx_member_kind k)
{
    static const char *const names[] = {
        [CSXM_PROP] = "property",         [CSXM_METHOD] = "method",
        [CSXM_EXT] = "extension",         [CSXM_SPROP] = "static property",
        [CSXM_SMETHOD] = "static method", [CSXM_CTOR] = "constructor",
        [CSXM_INDEX] = "indexer",
    };
    return names[k];
}
