/* csx_load.c - the verifier: a program blob (csx_code.h) to a loaded
 * program, once, before it ever runs. Every count is capped, every operand
 * checked against its kind (csx_ops.def), and each function's stack depth
 * computed along every path (jump targets inside the function, the same
 * depth wherever paths join, never below zero, at most CSX_MAX_STACK, no
 * path running off the function's end). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csx_vm_int.h"

static const struct {
    uint8_t a, b, c;
    uint8_t pop, popx, push;
} ops[CSX_OP_COUNT] = {

#define CSX_OP(name, a, b, c, pop, popx, push) [CSX_OP_##name] = { a, b, c, pop, popx, push },
#include "csx_ops.def"
#undef CSX_OP
};

static void *reject(struct csx_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void *reject(struct csx_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err->offset = 0;
    vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
    va_end(ap);
    return NULL;
}

void csx_prog_free(struct csx_prog *p)
{
    if (p == NULL)
        return;
    free(p->fns);
    free(p->code);
    free(p->k);
    free(p->line_pc);
    free(p->line_off);
    free(p->pool);
    free(p);
}

static const char *header(struct csx_prog *p, const unsigned char *b, size_t len)
{
    if (len < CSX_HEADER_SIZE || memcmp(b, CSX_MAGIC, 4) != 0)
        return "not a program (bad magic)";
    if (csx_rd16(b + 4) != CSX_CODE_VERSION)
        return "unknown program version";
    p->flags = csx_rd16(b + 6);
    p->nfns = csx_rd32(b + 8);
    p->ninsn = csx_rd32(b + 12);
    p->nconsts = csx_rd32(b + 16);
    p->nlines = csx_rd32(b + 20);
    uint32_t pool = csx_rd32(b + 24);
    p->nslots = csx_rd32(b + 28);
    if ((p->flags & ~CSX_FLAG_BLOCK) != 0 || p->nfns == 0 || p->nfns > CSX_MAX_FUNCS ||
        p->ninsn == 0 || p->ninsn > CSX_MAX_CODE || p->nconsts > CSX_MAX_CONSTS ||
        p->nlines > p->ninsn || pool > CSX_MAX_POOL || p->nslots > CSX_MAX_SLOTS)
        return "a count in the header is out of range";
    uint64_t want = CSX_HEADER_SIZE + (uint64_t)p->nfns * CSX_FUNC_SIZE +
                    (uint64_t)p->ninsn * CSX_INSN_SIZE + (uint64_t)p->nconsts * CSX_CONST_SIZE +
                    (uint64_t)p->nlines * CSX_LINE_SIZE + pool;
    if (want != len)
        return "the size does not match the header";
    p->pool = xmalloc(pool + 1);
    memcpy(p->pool, b + len - pool, pool);
    p->pool[pool] = '\0';
    return NULL;
}

static const char *funcs(struct csx_prog *p, const unsigned char *b)
{
    p->fns = xcalloc(p->nfns, sizeof(*p->fns));
    uint32_t next = 0;
    for (uint32_t i = 0; i < p->nfns; i++, b += CSX_FUNC_SIZE) {
        struct csx_fn *f = &p->fns[i];
        *f = (struct csx_fn){ csx_rd32(b), csx_rd32(b + 4), csx_rd32(b + 8), csx_rd16(b + 12), 0 };
        /* functions tile the code section in order */
        if (f->start != next || f->count == 0 || f->count > p->ninsn - f->start ||
            csx_rd16(b + 14) != 0 || (uint64_t)f->param_slot + f->nparams > p->nslots ||
            (i == 0 && f->nparams != 0))
            return "a function entry is out of range";
        next = f->start + f->count;
    }
    return next == p->ninsn ? NULL : "the functions do not cover the code";
}

static const char *consts(struct csx_prog *p, const unsigned char *b, uint32_t pool)
{
    p->k = xcalloc(p->nconsts ? p->nconsts : 1, sizeof(*p->k));
    for (uint32_t i = 0; i < p->nconsts; i++, b += CSX_CONST_SIZE) {
        uint32_t len = csx_rd32(b + 4);
        uint64_t v = csx_rd64(b + 8);
        struct csx_value *k = &p->k[i];
        if (b[1] | b[2] | b[3] || (b[0] != CSX_K_STRING && len != 0))
            return "a constant has reserved bits set";
        switch (b[0]) {
        case CSX_K_STRING:
            if (v > pool || len > pool - v)
                return "a string constant is out of the pool";
            *k = (struct csx_value){ .t = CSXV_STRING, .type = CSXT_STRING, .n = len };
            k->u.s = p->pool + v;
            break;
        case CSX_K_INT:
        case CSX_K_LONG:
            /* csx_int keeps 32 bits: a long constant must not go through it */
            *k = b[0] == CSX_K_INT ? csx_int((int64_t)v) : csx_long((int64_t)v);
            break;
        case CSX_K_DOUBLE:
            memcpy(&k->u.d, &v, sizeof(double));
            k->t = CSXV_DOUBLE;
            k->type = CSXT_DOUBLE;
            break;
        case CSX_K_CHAR:
            if (v > 0x10FFFF)
                return "a character constant is out of range";
            *k = (struct csx_value){ .t = CSXV_CHAR, .type = CSXT_CHAR };
            k->u.i = (int64_t)v;
            break;
        default:
            return "a constant has an unknown kind";
        }
    }
    return NULL;
}

static const char *lines(struct csx_prog *p, const unsigned char *b)
{
    p->line_pc = xcalloc(p->nlines ? p->nlines : 1, sizeof(uint32_t));
    p->line_off = xcalloc(p->nlines ? p->nlines : 1, sizeof(uint32_t));
    for (uint32_t i = 0; i < p->nlines; i++, b += CSX_LINE_SIZE) {
        p->line_pc[i] = csx_rd32(b);
        p->line_off[i] = csx_rd32(b + 4);
        if (p->line_pc[i] >= p->ninsn || (i > 0 && p->line_pc[i] <= p->line_pc[i - 1]))
            return "the line table is not sorted or points past the code";
    }
    return NULL;
}

static bool is_string(const struct csx_prog *p, uint32_t k)
{
    return k < p->nconsts && p->k[k].t == CSXV_STRING;
}

/* One operand of in (field value v) against its kind; at: its function. */
static bool operand(const struct csx_prog *p, const struct csx_fn *f, const struct csx_insn *in,
                    unsigned kind, uint32_t v)
{
    switch (kind) {
    case CSXO_NONE:
        return v == 0;
    case CSXO_ARGC:
    case CSXO_ALIGN:
        return true;
    case CSXO_TARG:
        return v <= CSXT_COUNT;
    case CSXO_CONST:
        return v < p->nconsts;
    case CSXO_KOPT:
        return v == CSX_NONE || is_string(p, v);
    case CSXO_NAME:
        return is_string(p, v);
    case CSXO_SLOT:
        return v < p->nslots;
    case CSXO_SLOT2:
        return v + 1u < p->nslots;
    case CSXO_JUMP:
        return v < f->count;
    case CSXO_FUNC:
        return v > 0 && v < p->nfns;
    case CSXO_MEMBER: {
        if (v >= CSXM_COUNT)
            return false;
        const struct csx_member_row *r = &csx_member_rows[v];
        enum csx_access acc = csx_member_access(r->kind);
        return (acc == CSXA_SGET || acc == CSXA_SCALL || acc == CSXA_NEW) && in->a >= r->min_args &&
               in->a <= r->max_args;
    }
    case CSXO_TYPE:
        return v < CSXT_COUNT;
    case CSXO_COUNT:
        return v <= CSX_MAX_COUNT;
    default:
        return false;
    }
}

static bool operands(const struct csx_prog *p, const struct csx_fn *f, const struct csx_insn *in)
{
    return in->op < CSX_OP_COUNT && operand(p, f, in, ops[in->op].a, in->a) &&
           operand(p, f, in, ops[in->op].b, in->b) && operand(p, f, in, ops[in->op].c, in->c);
}

/* Sets the depth at pc, or checks it against the one already set. */
static bool reach(int32_t *depth, uint32_t *work, uint32_t *nwork, uint32_t pc, int32_t d)
{
    if (depth[pc] >= 0)
        return depth[pc] == d;
    depth[pc] = d;
    work[(*nwork)++] = pc;
    return true;
}

static const char *stack(const struct csx_prog *p, struct csx_fn *f, int32_t *depth, uint32_t *work)
{
    uint32_t nwork = 0;
    for (uint32_t i = 0; i < f->count; i++)
        depth[i] = -1;
    reach(depth, work, &nwork, 0, 0);
    while (nwork > 0) {
        uint32_t pc = work[--nwork];
        const struct csx_insn *in = &p->code[f->start + pc];
        uint32_t pop = ops[in->op].pop;
        pop += ops[in->op].popx == 'a' ? in->a : ops[in->op].popx == 'c' ? in->c : 0;
        if ((uint32_t)depth[pc] < pop)
            return "the stack underflows";
        int32_t d = depth[pc] - (int32_t)pop + ops[in->op].push;
        if (d > (int32_t)CSX_MAX_STACK)
            return "the stack is deeper than the VM allows";
        if ((uint32_t)d > f->max_stack || (uint32_t)depth[pc] > f->max_stack)
            f->max_stack = (uint32_t)(d > depth[pc] ? d : depth[pc]);
        int32_t jd = in->op == CSX_OP_TRY ? d + 1 : d; /* the catch gets the exception */
        if ((uint32_t)jd > f->max_stack)
            f->max_stack = (uint32_t)jd;
        if (ops[in->op].c == CSXO_JUMP && !reach(depth, work, &nwork, in->c, jd))
            return "paths join with different stack depths";
        if (in->op == CSX_OP_JMP || in->op >= CSX_OP_THROW)
            continue;
        if (pc + 1 >= f->count)
            return "a function runs off its end";
        if (!reach(depth, work, &nwork, pc + 1, d))
            return "paths join with different stack depths";
    }
    return NULL;
}

static const char *code(struct csx_prog *p, const unsigned char *b)
{
    p->code = xcalloc(p->ninsn, sizeof(*p->code));
    for (uint32_t i = 0; i < p->ninsn; i++)
        p->code[i] = csx_rd_insn(b + (size_t)i * CSX_INSN_SIZE);
    int32_t *depth = xcalloc(p->ninsn, sizeof(*depth));
    uint32_t *work = xcalloc(p->ninsn, sizeof(*work));
    const char *why = NULL;
    for (uint32_t i = 0; i < p->nfns && why == NULL; i++) {
        struct csx_fn *f = &p->fns[i];
        for (uint32_t pc = 0; pc < f->count && why == NULL; pc++)
            if (!operands(p, f, &p->code[f->start + pc]))
                why = "an instruction has a bad opcode or operand";
        if (why == NULL)
            why = stack(p, f, depth, work);
    }
    free(depth);
    free(work);
    return why;
}

struct csx_prog *csx_prog_load(const void *blob, size_t len, struct csx_error *err)
{
    const unsigned char *b = blob;
    struct csx_prog *p = xcalloc(1, sizeof(*p));
    const char *why = header(p, b, len);
    if (why == NULL) {
        const unsigned char *fb = b + CSX_HEADER_SIZE;
        const unsigned char *cb = fb + (size_t)p->nfns * CSX_FUNC_SIZE;
        const unsigned char *kb = cb + (size_t)p->ninsn * CSX_INSN_SIZE;
        const unsigned char *lb = kb + (size_t)p->nconsts * CSX_CONST_SIZE;
        uint32_t pool = (uint32_t)(len - (size_t)(lb - b) - (size_t)p->nlines * CSX_LINE_SIZE);
        why = funcs(p, fb);
        why = why ? why : consts(p, kb, pool);
        why = why ? why : lines(p, lb);
        why = why ? why : code(p, cb);
    }
    if (why != NULL) {
        csx_prog_free(p);
        return reject(err, "invalid expression program: %s", why);
    }
    return p;
}
