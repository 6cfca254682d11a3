/* csx_emit.c - the emitter's functions, constants, locals and statements,
 * and the blob (csx_code.h) they make. Expressions: csx_emit_expr.c. */
#include "csx_emit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csx_emit_int.h"

uint32_t em_pc(const struct em *e)
{
    return (uint32_t)e->fns[e->cur].n;
}

uint32_t em_op(struct em *e, enum csx_op op, unsigned a, unsigned b, uint32_t c)
{
    struct em_fn *f = &e->fns[e->cur];
    if (f->n >= CSX_MAX_CODE) {
        e->too_big = true;
        return 0;
    }
    ARENA_GROW(e->a, f->code, f->n, f->cap, 64);
    f->code[f->n] = (struct csx_insn){ (uint8_t)op, (uint8_t)a, (uint16_t)b, c };
    return (uint32_t)f->n++;
}

void em_patch(struct em *e, uint32_t pc)
{
    struct em_fn *f = &e->fns[e->cur];
    if (pc < f->n)
        f->code[pc].c = (uint32_t)f->n;
}

void em_mark(struct em *e, uint32_t at)
{
    struct em_fn *f = &e->fns[e->cur];
    uint32_t off = at >= e->base ? at - e->base : 0;
    uint32_t pc = (uint32_t)f->n;
    if (f->nlines > 0 && f->lines[f->nlines - 1].pc == pc) {
        f->lines[f->nlines - 1].off = off;
        return;
    }
    if (f->nlines > 0 && f->lines[f->nlines - 1].off == off)
        return;
    ARENA_GROW(e->a, f->lines, f->nlines, f->lcap, 16);
    f->lines[f->nlines++] = (struct em_line){ pc, off };
}

static uint32_t konst(struct em *e, uint8_t kind, const void *bytes, uint32_t len, uint64_t v)
{
    uint32_t h = 2166136261u ^ kind;
    const unsigned char *p = bytes;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    h ^= (uint32_t)(v ^ (v >> 32)) * (kind != CSX_K_STRING);
    struct em_const **slot = &e->kv[h % EM_KBUCKETS];
    for (struct em_const *k = *slot; k != NULL; k = k->next)
        if (k->kind == kind && k->len == len &&
            (kind == CSX_K_STRING ? memcmp(e->pool.data + k->v, bytes, len) == 0 : k->v == v))
            return k->index;
    if (e->nks >= CSX_MAX_CONSTS || (kind == CSX_K_STRING && e->pool.len + len > CSX_MAX_POOL)) {
        e->too_big = true;
        return 0;
    }
    struct em_const *k = ARENA_NEW(e->a, struct em_const);
    *k = (struct em_const){ kind, len, v, *slot, (uint32_t)e->nks };
    if (kind == CSX_K_STRING) {
        k->v = e->pool.len;
        if (len > 0 && buf_append(&e->pool, bytes, len) != 0)
            e->too_big = true;
    }
    *slot = k;
    ARENA_GROW(e->a, e->ks, e->nks, e->kcap, 32);
    e->ks[e->nks++] = k;
    return k->index;
}

uint32_t em_str(struct em *e, struct str s)
{
    return konst(e, CSX_K_STRING, s.ptr, (uint32_t)s.len, 0);
}

uint32_t em_num(struct em *e, enum csx_const_kind k, uint64_t v)
{
    return konst(e, (uint8_t)k, NULL, 0, v);
}

void em_unsupported(struct em *e, uint32_t at, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    char *msg = arena_printf(e->a, "%s is not run by apimlocal", what);
    em_mark(e, at);
    em_op(e, CSX_OP_FAIL, 0, 0, em_str(e, str_from_cstr(msg)));
}

int em_local_find(const struct em *e, struct str name)
{
    for (size_t i = e->nlocals; i-- > 0;)
        if (str_eq(e->locals[i].name, name))
            return (int)e->locals[i].slot;
    return -1;
}

uint32_t em_local_new(struct em *e, struct str name)
{
    if (e->nslots >= CSX_MAX_SLOTS - 1) {
        e->too_big = true;
        return 0;
    }
    ARENA_GROW(e->a, e->locals, e->nlocals, e->lcap, 16);
    e->locals[e->nlocals++] = (struct em_local){ name, e->nslots };
    return e->nslots++;
}

size_t em_fn_begin(struct em *e)
{
    if (e->nfns >= CSX_MAX_FUNCS) {
        e->too_big = true;
        return e->cur;
    }
    ARENA_GROW(e->a, e->fns, e->nfns, e->fcap, 4);
    e->fns[e->nfns] = (struct em_fn){ 0 };
    e->cur = e->nfns;
    return e->nfns++;
}

/* ---- statements ---------------------------------------------------------- */

static void push_jump(struct em *e, uint32_t **v, size_t *n, size_t *cap, uint32_t pc)
{
    ARENA_GROW(e->a, *v, *n, *cap, 4);
    (*v)[(*n)++] = pc;
}

static void loop_begin(struct em *e, struct em_loop *l)
{
    *l = (struct em_loop){ .outer = e->loop, .fn = e->cur, .tries = e->tries };
    e->loop = l;
}

/* Ends the loop: break jumps to here, continue jumps to cont. */
static void loop_end(struct em *e, struct em_loop *l, uint32_t cont)
{
    for (size_t i = 0; i < l->ncont; i++)
        e->fns[e->cur].code[l->cont[i]].c = cont;
    for (size_t i = 0; i < l->nbrk; i++)
        em_patch(e, l->brk[i]);
    e->loop = l->outer;
}

static void jump_out(struct em *e, const struct csx_node *n, bool brk)
{
    struct em_loop *l = e->loop;
    while (!brk && l != NULL && l->is_switch)
        l = l->outer;
    if (l == NULL || l->fn != e->cur) {
        em_unsupported(e, n->loc.start, "'%s' outside a loop", brk ? "break" : "continue");
        return;
    }
    for (unsigned i = l->tries; i < e->tries; i++) /* leaving try statements */
        em_op(e, CSX_OP_ENDTRY, 0, 0, 0);
    uint32_t pc = em_op(e, CSX_OP_JMP, 0, 0, 0);
    if (brk)
        push_jump(e, &l->brk, &l->nbrk, &l->bcap, pc);
    else
        push_jump(e, &l->cont, &l->ncont, &l->ccap, pc);
}

static void block(struct em *e, const struct csx_node *n)
{
    size_t scope = e->nlocals;
    for (size_t i = 0; i < n->list.n; i++)
        em_stmt(e, n->list.v[i]);
    e->nlocals = scope;
}

static void decl(struct em *e, const struct csx_node *n)
{
    for (size_t i = 0; i < n->list.n; i++) {
        const struct csx_node *v = n->list.v[i];
        if (v->a != NULL)
            em_expr(e, v->a);
        uint32_t slot = em_local_new(e, v->text);
        if (v->a != NULL)
            em_op(e, CSX_OP_STORE, 0, 0, slot);
    }
}

static void cond_jump(struct em *e, const struct csx_node *cond, uint32_t *pc)
{
    em_expr(e, cond);
    em_mark(e, cond->loc.start);
    *pc = em_op(e, CSX_OP_JMPF, 0, 0, 0);
}

static void if_stmt(struct em *e, const struct csx_node *n)
{
    uint32_t to_else, to_end = 0;
    cond_jump(e, n->a, &to_else);
    em_stmt(e, n->b);
    if (n->c != NULL)
        to_end = em_op(e, CSX_OP_JMP, 0, 0, 0);
    em_patch(e, to_else);
    if (n->c != NULL) {
        em_stmt(e, n->c);
        em_patch(e, to_end);
    }
}

static void while_stmt(struct em *e, const struct csx_node *n)
{
    struct em_loop l;
    uint32_t top = em_pc(e), out;
    cond_jump(e, n->a, &out);
    loop_begin(e, &l);
    em_stmt(e, n->b);
    em_op(e, CSX_OP_JMP, 0, 0, top);
    em_patch(e, out);
    loop_end(e, &l, top);
}

static void do_stmt(struct em *e, const struct csx_node *n)
{
    struct em_loop l;
    uint32_t top = em_pc(e), out;
    loop_begin(e, &l);
    em_stmt(e, n->a);
    uint32_t cont = em_pc(e);
    cond_jump(e, n->b, &out);
    em_op(e, CSX_OP_JMP, 0, 0, top);
    em_patch(e, out);
    loop_end(e, &l, cont);
}

/* An expression list or a statement, its values dropped. */
static void effects(struct em *e, const struct csx_node *n)
{
    if (n == NULL)
        return;
    if (n->kind != CSX_EXPR_LIST) {
        em_stmt(e, n);
        return;
    }
    for (size_t i = 0; i < n->list.n; i++) {
        em_expr(e, n->list.v[i]);
        em_op(e, CSX_OP_POP, 0, 0, 0);
    }
}

static void for_stmt(struct em *e, const struct csx_node *n)
{
    size_t scope = e->nlocals;
    struct em_loop l;
    effects(e, n->a);
    uint32_t top = em_pc(e), out = CSX_NONE;
    if (n->b != NULL)
        cond_jump(e, n->b, &out);
    loop_begin(e, &l);
    em_stmt(e, n->d);
    uint32_t cont = em_pc(e);
    effects(e, n->c);
    em_op(e, CSX_OP_JMP, 0, 0, top);
    if (out != CSX_NONE)
        em_patch(e, out);
    loop_end(e, &l, cont);
    e->nlocals = scope;
}

static void foreach_stmt(struct em *e, const struct csx_node *n)
{
    size_t scope = e->nlocals;
    struct em_loop l;
    em_expr(e, n->b);
    uint32_t it = em_local_new(e, STR_LIT(""));
    em_local_new(e, n->text); /* it + 1: the element */
    em_mark(e, n->b->loc.start);
    em_op(e, CSX_OP_ITER, 0, it, 0);
    uint32_t top = em_op(e, CSX_OP_NEXT, 0, it, 0);
    loop_begin(e, &l);
    em_stmt(e, n->c);
    em_op(e, CSX_OP_JMP, 0, 0, top);
    em_patch(e, top);
    loop_end(e, &l, top);
    e->nlocals = scope;
}

static void return_stmt(struct em *e, const struct csx_node *n)
{
    if (n->a != NULL)
        em_expr(e, n->a);
    else
        em_op(e, CSX_OP_NULL, 0, 0, 0);
    em_op(e, CSX_OP_RET, 0, 0, 0);
}

/* catch, catch (Exception) and catch (Exception ex) catch every runtime
 * error; a catch of a narrower type, a filter or finally are not run. */
static bool catches_all(const struct csx_node *c)
{
    const struct csx_node *t = c->a;
    return c->c == NULL && (t == NULL || str_eq(t->text, STR_LIT("Exception")));
}

/* TRY catch; body; ENDTRY; JMP end; catch: (the exception) STORE|POP;
 * handler; end: */
static void try_stmt(struct em *e, const struct csx_node *n)
{
    if (n->b != NULL || n->list.n != 1 || !catches_all(n->list.v[0])) {
        em_unsupported(e, n->loc.start, "'try' with %s",
                       n->b != NULL ? "'finally'" : "a catch of a specific exception type");
        return;
    }
    const struct csx_node *c = n->list.v[0];
    uint32_t to_catch = em_op(e, CSX_OP_TRY, 0, 0, 0);
    e->tries++;
    em_stmt(e, n->a);
    e->tries--;
    em_op(e, CSX_OP_ENDTRY, 0, 0, 0);
    uint32_t to_end = em_op(e, CSX_OP_JMP, 0, 0, 0);
    em_patch(e, to_catch);
    size_t scope = e->nlocals;
    if (c->text.len > 0)
        em_op(e, CSX_OP_STORE, 0, 0, em_local_new(e, c->text));
    else
        em_op(e, CSX_OP_POP, 0, 0, 0);
    em_stmt(e, c->b);
    e->nlocals = scope;
    em_patch(e, to_end);
}

/* switch (v) { case a: case b: ...; default: ... }: v in a hidden slot,
 * compared (==, ordinal for strings) with each label in order; the
 * sections' bodies follow, each ending with a jump to the end (C# allows
 * no fall-through). */
static void switch_stmt(struct em *e, const struct csx_node *n)
{
    size_t scope = e->nlocals, ns = n->list.n;
    struct em_loop l;
    em_expr(e, n->a);
    uint32_t slot = em_local_new(e, STR_LIT(""));
    em_op(e, CSX_OP_STORE, 0, 0, slot);
    uint32_t *to_body = ARENA_ARRAY(e->a, uint32_t, ns ? ns : 1);
    size_t dflt = ns;
    for (size_t i = 0; i < ns; i++) {
        const struct csx_node *sec = n->list.v[i];
        to_body[i] = CSX_NONE;
        for (size_t k = 0; k < sec->list.n; k++) {
            if (sec->list.v[k] == NULL) {
                dflt = i;
                continue;
            }
            em_op(e, CSX_OP_LOAD, 0, 0, slot);
            em_expr(e, sec->list.v[k]);
            em_op(e, CSX_OP_NE, 0, 0, 0);
            /* a jump list through the c fields: patched when the body starts */
            to_body[i] = em_op(e, CSX_OP_JMPF, 0, 0, to_body[i]);
        }
    }
    uint32_t to_default = em_op(e, CSX_OP_JMP, 0, 0, 0);
    loop_begin(e, &l);
    l.is_switch = true;
    for (size_t i = 0; i < ns; i++) {
        for (uint32_t pc = to_body[i], next; pc != CSX_NONE; pc = next) {
            next = e->fns[e->cur].code[pc].c;
            em_patch(e, pc);
        }
        if (i == dflt)
            em_patch(e, to_default);
        em_stmt(e, n->list.v[i]->a);
        uint32_t out = em_op(e, CSX_OP_JMP, 0, 0, 0);
        ARENA_GROW(e->a, l.brk, l.nbrk, l.bcap, 4);
        l.brk[l.nbrk++] = out;
    }
    if (dflt == ns)
        em_patch(e, to_default);
    loop_end(e, &l, 0);
    e->nlocals = scope;
}

static void using_stmt(struct em *e, const struct csx_node *n)
{
    size_t scope = e->nlocals;
    if (n->a->kind == CSX_DECL) {
        decl(e, n->a);
    } else {
        em_expr(e, n->a);
        em_op(e, CSX_OP_POP, 0, 0, 0);
    }
    em_stmt(e, n->b);
    e->nlocals = scope;
}

void em_stmt(struct em *e, const struct csx_node *n)
{
    if (n == NULL)
        return;
    em_mark(e, n->loc.start);
    switch (n->kind) {
    case CSX_BLOCK:
        block(e, n);
        break;
    case CSX_DECL:
        decl(e, n);
        break;
    case CSX_EXPR_STMT:
        em_expr(e, n->a);
        em_op(e, CSX_OP_POP, 0, 0, 0);
        break;
    case CSX_EMPTY:
        break;
    case CSX_IF:
        if_stmt(e, n);
        break;
    case CSX_WHILE:
        while_stmt(e, n);
        break;
    case CSX_DO:
        do_stmt(e, n);
        break;
    case CSX_FOR:
        for_stmt(e, n);
        break;
    case CSX_FOREACH:
        foreach_stmt(e, n);
        break;
    case CSX_RETURN:
        return_stmt(e, n);
        break;
    case CSX_BREAK:
    case CSX_CONTINUE:
        jump_out(e, n, n->kind == CSX_BREAK);
        break;
    case CSX_CHECKED:
        em_stmt(e, n->a);
        break;
    case CSX_TRY:
        try_stmt(e, n);
        break;
    case CSX_SWITCH:
        switch_stmt(e, n);
        break;
    case CSX_USING: /* the resource, then the body; Dispose() has nothing to release here */
        using_stmt(e, n);
        break;
    case CSX_THROW: /* throw x; (throw; rethrowing is not run) */
        if (n->a == NULL) {
            em_unsupported(e, n->loc.start, "'throw;' (rethrowing)");
            break;
        }
        em_expr(e, n->a);
        em_mark(e, n->loc.start);
        em_op(e, CSX_OP_THROW, 0, 0, 0);
        break;
    default:
        em_unsupported(e, n->loc.start, "the '%s' statement", csx_kind_name(n->kind));
        break;
    }
}

/* ---- the blob ------------------------------------------------------------ */

static int put(struct buf *out, uint64_t v, unsigned size)
{
    unsigned char b[8];
    for (unsigned i = 0; i < size; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return buf_append(out, b, size);
}

static int put_header(const struct em *e, bool is_block, size_t ninsn, size_t nlines,
                      struct buf *out)
{
    int rc = buf_append(out, CSX_MAGIC, 4);
    rc |= put(out, CSX_CODE_VERSION, 2);
    rc |= put(out, is_block ? CSX_FLAG_BLOCK : 0, 2);
    rc |= put(out, e->nfns, 4);
    rc |= put(out, ninsn, 4);
    rc |= put(out, e->nks, 4);
    rc |= put(out, nlines, 4);
    rc |= put(out, e->pool.len, 4);
    rc |= put(out, e->nslots, 4);
    return rc;
}

static int put_body(const struct em *e, struct buf *out)
{
    int rc = 0;
    size_t start = 0;
    for (size_t i = 0; i < e->nfns; i++) {
        const struct em_fn *f = &e->fns[i];
        rc |= put(out, start, 4) | put(out, f->n, 4) | put(out, f->param_slot, 4);
        rc |= put(out, f->nparams, 2) | put(out, 0, 2);
        start += f->n;
    }
    for (size_t i = 0; i < e->nfns; i++)
        for (size_t j = 0; j < e->fns[i].n; j++) {
            const struct csx_insn *in = &e->fns[i].code[j];
            rc |=
                put(out, in->op, 1) | put(out, in->a, 1) | put(out, in->b, 2) | put(out, in->c, 4);
        }
    for (size_t i = 0; i < e->nks; i++) {
        const struct em_const *k = e->ks[i];
        rc |= put(out, k->kind, 4) | put(out, k->kind == CSX_K_STRING ? k->len : 0, 4);
        rc |= put(out, k->v, 8);
    }
    start = 0;
    for (size_t i = 0; i < e->nfns; i++) {
        for (size_t j = 0; j < e->fns[i].nlines; j++)
            rc |= put(out, start + e->fns[i].lines[j].pc, 4) | put(out, e->fns[i].lines[j].off, 4);
        start += e->fns[i].n;
    }
    if (e->pool.len > 0)
        rc |= buf_append(out, e->pool.data, e->pool.len);
    return rc;
}

/* Line entries at or past the end of their function (a mark with nothing
 * after it) are dropped: entries point at instructions. */
static size_t trim_lines(struct em *e)
{
    size_t n = 0;
    for (size_t i = 0; i < e->nfns; i++) {
        struct em_fn *f = &e->fns[i];
        while (f->nlines > 0 && f->lines[f->nlines - 1].pc >= f->n)
            f->nlines--;
        n += f->nlines;
    }
    return n;
}

int csx_emit(struct arena *a, struct diag *d, struct loc base, const struct csx_node *n,
             struct buf *out)
{
    struct em e = { .a = a, .base = base.start };
    buf_init(&e.pool, CSX_MAX_POOL);
    em_fn_begin(&e);
    bool is_block = n->kind == CSX_BLOCK;
    if (is_block) {
        em_stmt(&e, n);
        em_unsupported(&e, n->loc.end > 0 ? n->loc.end - 1 : 0,
                       "a block whose end is reached without 'return' (not all code paths "
                       "return a value)");
    } else {
        em_expr(&e, n);
        em_op(&e, CSX_OP_RET, 0, 0, 0);
    }
    size_t ninsn = 0;
    for (size_t i = 0; i < e.nfns; i++)
        ninsn += e.fns[i].n;
    int rc = -1;
    if (!e.too_big && ninsn <= CSX_MAX_CODE) {
        size_t nlines = trim_lines(&e);
        size_t mark = out->len;
        rc = put_header(&e, is_block, ninsn, nlines, out) | put_body(&e, out);
        if (rc != 0)
            out->len = mark;
    }
    if (rc != 0 && d != NULL)
        diag_emit(d, DC_CSX_TOO_COMPLEX, base,
                  "policy expression compiles to a program larger than the VM takes");
    buf_release(&e.pool);
    return rc != 0 ? -1 : 0;
}
