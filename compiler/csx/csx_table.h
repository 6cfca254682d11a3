/* csx_table.h - the member table (runtime/common/csx_members.def) as the
 * compiler reads it: type and member ids, their rows, and a lookup of the
 * rows of one owner by name.
 *
 * The lookup is a binary search in an order sorted once (by owner, then
 * name), not a scan per name. Rows are static data: nothing to free.
 */
#ifndef APIM_COMPILER_CSX_CSX_TABLE_H
#define APIM_COMPILER_CSX_CSX_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum csx_type_id {
#define CSX_TYPE(id, name, kind) id,
#include "csx_members.def"
#undef CSX_TYPE
    CSXT_COUNT,
    /* computed results of a member (csx_members.def's header) */
    CSXT_TARG0 = CSXT_COUNT,
    CSXT_ARG1,
    CSXT_TARG0_OR_ARG1,
    CSXT_ELEM,
    CSXT_SELF,
};

enum csx_type_kind {
    CSXK_VALUE,
    CSXK_STATIC,
    CSXK_HOST,
};

enum csx_member_kind {
    CSXM_PROP,
    CSXM_METHOD,
    CSXM_EXT,
    CSXM_SPROP,
    CSXM_SMETHOD,
    CSXM_CTOR,
    CSXM_INDEX,
};

enum csx_member_id {
#define CSX_MEMBER(id, owner, name, kind, min, max, result) id,
#include "csx_members.def"
#undef CSX_MEMBER
    CSXM_COUNT
};

struct csx_type_row {
    const char *name; /* as C# spells it */
    enum csx_type_kind kind;
};

struct csx_member_row {
    enum csx_type_id owner;
    const char *name;
    enum csx_member_kind kind;
    unsigned min, max; /* argument counts (the receiver of an extension not counted) */
    enum csx_type_id result;
};

extern const struct csx_type_row csx_types[CSXT_COUNT];
extern const struct csx_member_row csx_members[CSXM_COUNT];

/* The rows of owner named name (case-sensitive, as C#): *first is the first
 * of them in the sorted order, the count is returned (0: none). Read them
 * with csx_table_at(*first + i). */
size_t csx_table_find(enum csx_type_id owner, struct str name, size_t *first);

/* The member id at position i of the sorted order. */
enum csx_member_id csx_table_at(size_t i);

/* The rows of owner, in the sorted order (for did-you-mean and the docs). */
size_t csx_table_owner(enum csx_type_id owner, size_t *first);

/* A static member (CSXM_SPROP, CSXM_SMETHOD, CSXM_CTOR)? */
bool csx_table_static(enum csx_member_kind k);

/* "property", "method", ... as docs/expressions.md says. */
const char *csx_table_kind_name(enum csx_member_kind k);

#endif
