/* csx_table.h - the member table (runtime/common/csx_members.def) as the
 * binder reads it: every row of one owner by name, overloads together, and
 * all the rows of one owner (did-you-mean, the docs). The ids and rows are
 * csx_members.h's, shared with the emitter and the VM, whose lookup answers
 * one (owner, name, access) only.
 *
 * The lookup is a binary search in an order sorted once (by owner, then
 * name), not a scan per name. Rows are static data: nothing to free.
 */
#ifndef APIM_COMPILER_CSX_CSX_TABLE_H
#define APIM_COMPILER_CSX_CSX_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "csx_members.h"

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
