/* csx_emit.h - a policy expression's syntax tree to a program blob.
 *
 * csx_emit compiles the tree csx_parse made (compiler/csx/csx.h) into the
 * self-contained bytecode of runtime/common/csx_code.h, which the runtime
 * verifies once (csx_prog_load) and evaluates per request (csx_eval). No
 * binder is needed: member access and instance calls are emitted by name
 * and argument count and resolved at run time against the receiver's
 * runtime type (csx_members.def); statics (Convert.ToBase64String,
 * string.IsNullOrEmpty) and constructors are resolved here to a member id.
 * A construct the VM does not run (try, switch, an unknown static, a
 * member assignment...) compiles to a CSX_OP_FAIL that raises, when it is
 * reached, a runtime error naming it: nothing is dropped silently.
 * Ownership: the blob is appended to out (the caller's); scratch memory is
 * taken from the arena. Errors: a program past the caps of csx_code.h
 * (unreachable from a 64 KiB expression, checked anyway) is APIM8006,
 * located at the expression (d may be NULL), and csx_emit returns -1.
 */
#ifndef APIM_COMPILER_CSX_CSX_EMIT_H
#define APIM_COMPILER_CSX_CSX_EMIT_H

#include "csx.h"

/* Appends the program of n to out. base is the location csx_parse was
 * given: line-table offsets are relative to base.start (the '@'). n is
 * an expression, or a CSX_BLOCK for @{...}. Returns 0 or -1. */
int csx_emit(struct arena *a, struct diag *d, struct loc base, const struct csx_node *n,
             struct buf *out) __attribute__((warn_unused_result));

#endif
