/* csx_disasm.c - a loaded program as text: each function, then one
 * instruction a line with its operands decoded (constants, member and
 * type names, jump targets) and, where the line table starts a new
 * construct, the expression text it comes from. */
#include <inttypes.h>
#include <string.h>

#include "csx_natives.h"

static const char *const names[CSX_OP_COUNT] = {
#define CSX_OP(name, a, b, c, pop, popx, push) [CSX_OP_##name] = #name,
#include "csx_ops.def"
#undef CSX_OP
};

static const uint8_t c_kind[CSX_OP_COUNT] = {
#define CSX_OP(name, a, b, c, pop, popx, push) [CSX_OP_##name] = c,
#include "csx_ops.def"
#undef CSX_OP
};

static int constant(const struct csx_prog *p, uint32_t k, struct buf *out)
{
    const struct csx_value *v = &p->k[k];
    switch (v->t) {
    case CSXV_STRING: {
        int rc = buf_puts(out, "\"");
        for (uint32_t i = 0; i < v->n && i < 120 && rc == 0; i++) {
            unsigned char c = (unsigned char)v->u.s[i];
            rc = c < 0x20 || c == '"' || c == '\\' ? buf_printf(out, "\\x%02x", c)
                                                   : buf_append(out, &c, 1);
        }
        return rc | buf_puts(out, v->n > 120 ? "\"..." : "\"");
    }
    case CSXV_DOUBLE:
        return buf_printf(out, "%.17g", v->u.d);
    case CSXV_CHAR:
        return buf_printf(out, "char %" PRId64, v->u.i);
    default:
        return buf_printf(out, "%" PRId64 "%s", v->u.i, v->type == CSXT_LONG ? "L" : "");
    }
}

static int operands(const struct csx_prog *p, const struct csx_insn *in, struct buf *out)
{
    int rc = 0;
    if (in->op == CSX_OP_CALLM || in->op == CSX_OP_CALLS || in->op == CSX_OP_INDEX ||
        in->op == CSX_OP_SETINDEX)
        rc |= buf_printf(out, " argc=%u", in->a);
    if ((in->op == CSX_OP_CALLM || in->op == CSX_OP_CALLS) && in->b > 0)
        rc |= buf_printf(out, " <%s>", csx_type_rows[in->b - 1].name);
    if (in->op == CSX_OP_ITER || in->op == CSX_OP_NEXT)
        rc |= buf_printf(out, " slot=%u", in->b);
    if (in->op == CSX_OP_FMT && in->b != 0)
        rc |= buf_printf(out, " align=%d", (int16_t)in->b);
    switch (c_kind[in->op]) {
    case CSXO_CONST:
    case CSXO_NAME:
        return rc | buf_puts(out, " ") | constant(p, in->c, out);
    case CSXO_KOPT:
        return in->c == CSX_NONE ? rc : rc | buf_puts(out, " fmt=") | constant(p, in->c, out);
    case CSXO_SLOT:
        return rc | buf_printf(out, " slot=%u", in->c);
    case CSXO_JUMP:
        return rc | buf_printf(out, " -> %u", in->c);
    case CSXO_FUNC:
        return rc | buf_printf(out, " fn%u", in->c);
    case CSXO_MEMBER: /* a member without a native fails when run: said here */
        return rc | buf_printf(out, " %s.%s%s", csx_type_rows[csx_member_rows[in->c].owner].name,
                               csx_member_rows[in->c].name,
                               csx_natives[in->c] == NULL ? " (not run)" : "");
    case CSXO_TYPE:
        return rc | buf_printf(out, " %s", csx_type_rows[in->c].name);
    case CSXO_COUNT:
        return rc | buf_printf(out, " n=%u", in->c);
    default:
        return rc;
    }
}

/* The text of the construct at off: up to its line's end, at most 40
 * bytes. */
static int snippet(struct str text, uint32_t off, struct buf *out)
{
    if (text.ptr == NULL || off >= text.len)
        return 0;
    size_t n = 0;
    while (off + n < text.len && n < 40 && text.ptr[off + n] != '\n' && text.ptr[off + n] != '\r')
        n++;
    return buf_printf(out, "  ; @%u %.*s%s", off, (int)n, text.ptr + off,
                      off + n < text.len && n == 40 ? "..." : "");
}

int csx_disasm(const struct csx_prog *p, struct str text, struct buf *out)
{
    int rc = 0;
    uint32_t line = 0;
    for (uint32_t f = 0; f < p->nfns && rc == 0; f++) {
        const struct csx_fn *fn = &p->fns[f];
        rc |= buf_printf(out, "fn%u: params=%u", f, fn->nparams);
        if (fn->nparams > 0)
            rc |= buf_printf(out, " (slots %u..%u)", fn->param_slot,
                             fn->param_slot + fn->nparams - 1);
        rc |= buf_printf(out, " stack=%u%s\n", fn->max_stack,
                         f == 0 ? (p->flags & CSX_FLAG_BLOCK ? " block" : " expression") : "");
        for (uint32_t i = 0; i < fn->count && rc == 0; i++) {
            const struct csx_insn *in = &p->code[fn->start + i];
            size_t mark = out->len;
            rc |= buf_printf(out, "  %4u  %s", i, names[in->op]) | operands(p, in, out);
            while (line < p->nlines && p->line_pc[line] < fn->start + i)
                line++;
            if (line < p->nlines && p->line_pc[line] == fn->start + i) {
                size_t col = out->len - mark;
                rc |= buf_printf(out, "%*s", col < 36 ? (int)(36 - col) : 1, "");
                rc |= snippet(text, p->line_off[line], out);
            }
            rc |= buf_puts(out, "\n");
        }
    }
    return rc != 0 ? -1 : 0;
}
