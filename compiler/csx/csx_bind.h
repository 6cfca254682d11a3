/* csx_bind.h - names and static types of a policy expression's syntax tree
 * (csx_parse's result), resolved against the member table
 * (runtime/common/csx_members.def through csx_table.h).
 *
 * Every expression node gets node->type (an enum csx_type_id) and, where it
 * names a member of the table, node->member (an enum csx_member_id, or -1).
 * Names are context, the locals (declarations, foreach variables, lambda
 * parameters, out var, is T x; C# block scoping), type names (the table's,
 * their C# aliases, the other .NET types API Management allows) and
 * namespaces (System.Text.Encoding). Types flow as C# infers them where the
 * table models them; anything the table does not model is CSXT_DYNAMIC and
 * is never reported: an error comes only from a closed type (the context
 * model's host types and string), whose every member the table lists.
 *
 * Errors (APIM8010..APIM8016, located at the name or member inside the
 * expression): an unknown name, an unknown member of a closed type, an
 * argument count no row of the member allows, a type API Management does
 * not allow, a @{...} block with a path that does not end in return or
 * throw, a void call used as a value, and (opts->variable) a value whose
 * type set-variable cannot store.
 * Ownership: the tree is the caller's; the binder writes its type and member
 * fields and allocates its scratch in the given arena. d may be NULL: the
 * errors are only counted.
 */
#ifndef APIM_COMPILER_CSX_CSX_BIND_H
#define APIM_COMPILER_CSX_CSX_BIND_H

#include <stdbool.h>
#include <stdint.h>

#include "csx.h"

struct csx_bind_opts {
    /* Offsets (loc.start, sorted) of integer literals that stand in for a
     * value unknown at compile time (a secret named value substituted by
     * '0'): typed dynamic, never int. */
    const uint32_t *standins;
    size_t nstandins;
    /* The expression is a set-variable value: its type must be one API
     * Management stores in a variable. */
    bool variable;
};

/* Binds root (an expression, or the CSX_BLOCK of @{...}); the block's own
 * type is the common type of its returns. Returns the number of errors
 * (recorded in d unless it is NULL). opts may be NULL. */
unsigned csx_bind(struct arena *a, struct diag *d, struct csx_node *root,
                  const struct csx_bind_opts *opts);

/* C# name of a static type: "string", "JObject", "dynamic". */
const char *csx_bind_type_name(int type);

/* May set-variable store a value of this static type? True for the types
 * the set-variable page lists and for what the binder cannot know
 * (dynamic, object, null). */
bool csx_bind_variable_type_ok(int type);

#endif
