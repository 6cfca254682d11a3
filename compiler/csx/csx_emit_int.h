/* csx_emit_int.h - the emitter's state, shared by csx_emit.c (functions,
 * constants, locals, statements, the blob) and csx_emit_expr.c. */
#ifndef APIM_COMPILER_CSX_CSX_EMIT_INT_H
#define APIM_COMPILER_CSX_CSX_EMIT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "csx_code.h"
#include "csx_emit.h"

struct em_line {
    uint32_t pc, off;
};

struct em_fn {
    struct csx_insn *code;
    size_t n, cap;
    struct em_line *lines;
    size_t nlines, lcap;
    uint32_t param_slot, nparams;
};

struct em_const {
    uint8_t kind;
    uint32_t len;
    uint64_t v;
    struct em_const *next; /* hash chain */
    uint32_t index;
};

struct em_local {
    struct str name;
    uint32_t slot;
};

/* A loop being emitted: where continue goes (or, before it is known, the
 * jumps to patch), and the break jumps to patch at its end. */
struct em_loop {
    struct em_loop *outer;
    size_t fn;
    unsigned tries; /* try statements open when the loop began */
    bool is_switch; /* a switch: break ends it, continue goes to the loop around it */
    uint32_t *brk, *cont;
    size_t nbrk, ncont, bcap, ccap;
};

#define EM_KBUCKETS 256

struct em {
    struct arena *a;
    uint32_t base;
    struct em_fn *fns;
    size_t nfns, fcap, cur;
    struct em_const *kv[EM_KBUCKETS];
    struct em_const **ks; /* by index */
    size_t nks, kcap;
    struct buf pool;
    struct em_local *locals;
    size_t nlocals, lcap;
    uint32_t nslots;
    struct em_loop *loop;
    unsigned tries; /* try statements open at this point of the function */
    bool too_big;
};

/* Appends an instruction to the current function; returns its index. */
uint32_t em_op(struct em *e, enum csx_op op, unsigned a, unsigned b, uint32_t c);
/* The current function's next instruction index. */
uint32_t em_pc(const struct em *e);
/* Points the jump at pc of the current function to the next instruction. */
void em_patch(struct em *e, uint32_t pc);
/* Records that the next instructions come from text offset n->loc.start
 * (at: an absolute offset). */
void em_mark(struct em *e, uint32_t at);
uint32_t em_str(struct em *e, struct str s);
uint32_t em_num(struct em *e, enum csx_const_kind k, uint64_t v);
/* FAIL with "'what' is not run by apimlocal". */
void em_unsupported(struct em *e, uint32_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The slot of local name, or -1. */
int em_local_find(const struct em *e, struct str name);
uint32_t em_local_new(struct em *e, struct str name);
/* Starts a new function, current from now on; returns its index. */
size_t em_fn_begin(struct em *e);

void em_expr(struct em *e, const struct csx_node *n);
void em_stmt(struct em *e, const struct csx_node *n);
/* The type a type node names (CSXT_*), or -1. */
int em_type(const struct csx_node *t);

#endif
