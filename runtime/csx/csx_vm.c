/* csx_vm.c - the evaluator: one dispatch loop per function call, values on
 * an arena stack, members resolved against the receiver's runtime type. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csx_vm_int.h"

int csx_fail(struct csx_vm *vm, const char *fmt, ...)
{
    if (vm->err->reason[0] != '\0') /* the first error stands */
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(vm->err->reason, sizeof(vm->err->reason), fmt, ap);
    va_end(ap);
    /* the last line entry at or before the failing instruction */
    const struct csx_prog *p = vm->p;
    uint32_t lo = 0, hi = p->nlines;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (p->line_pc[mid] <= vm->pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    vm->err->offset = lo > 0 ? p->line_off[lo - 1] : 0;
    return -1;
}

int csx_spend(struct csx_vm *vm, uint64_t n)
{
    if (vm->steps < n) {
        vm->steps = 0;
        vm->fatal = true;
        return csx_fail(vm, "the expression ran longer than its budget of steps");
    }
    vm->steps -= n;
    return 0;
}

/* The member of v's runtime type (or the types it derives from) named
 * name for access; -1 when there is none. */
static int resolve(const struct csx_value *v, struct str name, enum csx_access acc)
{
    enum csx_type_id t = csx_value_type(v);
    int m = csx_members_find(t, name, acc);
    if (m < 0 && v->t == CSXV_JSON)
        m = csx_members_find(CSXT_JTOKEN, name, acc);
    if (m < 0 && (v->t == CSXV_LIST || (v->t == CSXV_JSON && json_is_array(v->u.j)) ||
                  (v->t == CSXV_STRING && acc == CSXA_CALL)))
        m = csx_members_find(CSXT_ENUMERABLE, name, acc);
    if (m < 0)
        m = csx_members_find(CSXT_OBJECT, name, acc);
    return m;
}

static int native(struct csx_vm *vm, unsigned m, const struct csx_value *self,
                  const struct csx_value *args, unsigned argc, unsigned targ, struct csx_value *out)
{
    const struct csx_member_row *r = &csx_member_rows[m];
    if (argc < r->min_args || argc > r->max_args)
        return csx_fail(vm, "'%s.%s' takes %u to %u arguments, not %u",
                        csx_type_rows[r->owner].name, r->name, r->min_args, r->max_args, argc);
    if (csx_natives[m] == NULL)
        return csx_fail(vm, "'%s.%s' is not run by apimlocal", csx_type_rows[r->owner].name,
                        r->name);
    /* out may alias self or args (the stack): the native writes a copy */
    struct csx_value res = csx_null();
    if (csx_natives[m](vm, m, self, args, argc, targ, &res) != 0)
        return -1;
    *out = res;
    return 0;
}

/* receiver.name(args) or receiver.name, by the receiver's runtime type. */
static int dynamic(struct csx_vm *vm, const struct csx_value *self, struct str name,
                   enum csx_access acc, const struct csx_value *args, unsigned argc, unsigned targ,
                   struct csx_value *out)
{
    if (self->t == CSXV_NULL)
        return csx_fail(vm, "Object reference not set to an instance of an object.");
    int m = resolve(self, name, acc);
    if (m < 0)
        return csx_fail(vm, "'%s' does not contain a definition for '%.*s'",
                        csx_type_rows[csx_value_type(self)].name, STR_FMT(name));
    return native(vm, (unsigned)m, self, args, argc, targ, out);
}

static struct str kstr(const struct csx_prog *p, uint32_t k)
{
    return (struct str){ p->k[k].u.s, p->k[k].n };
}

static int run(struct csx_vm *vm, uint32_t fn, struct csx_value *out);

int csx_call(struct csx_vm *vm, const struct csx_value *f, const struct csx_value *args, unsigned n,
             struct csx_value *out)
{
    if (f->t != CSXV_FUNC)
        return csx_fail(vm, "a lambda was expected, not '%s'", csx_type_rows[f->type].name);
    const struct csx_fn *fn = &vm->p->fns[f->u.i];
    if (fn->nparams != n)
        return csx_fail(vm, "the lambda takes %u arguments, not %u", fn->nparams, n);
    for (unsigned i = 0; i < n; i++)
        vm->slots[fn->param_slot + i] = args[i];
    uint32_t pc = vm->pc;
    int rc = run(vm, (uint32_t)f->u.i, out);
    vm->pc = pc;
    return rc;
}

struct iter {
    struct csx_value *items;
    size_t n, pos;
};

/* ITER: the sequence's elements, walked by NEXT (iterators never escape
 * their slot). */
static int iter(struct csx_vm *vm, const struct csx_value *seq, struct csx_value *slot)
{
    struct iter *it = ARENA_NEW(vm->a, struct iter);
    if (csx_seq(vm, seq, &it->items, &it->n) != 0)
        return -1;
    *slot = (struct csx_value){ .t = CSXV_OBJ, .type = CSXT_ENUMERABLE, .u.q = it };
    return 0;
}

static bool next(struct csx_value *slots)
{
    if (slots[0].t != CSXV_OBJ || slots[0].type != CSXT_ENUMERABLE)
        return false;
    struct iter *it = slots[0].u.q;
    if (it->pos >= it->n)
        return false;
    slots[1] = it->items[it->pos++];
    return true;
}

/* n free stack entries for a call: the rest of the current block, or a
 * new block (the caller restores vm->stack when the call returns, so
 * calls one after the other reuse the same entries). */
static struct csx_value *stack_take(struct csx_vm *vm, uint32_t n)
{
    if (vm->stack.v == NULL || vm->stack.cap - vm->stack.used < n) {
        size_t cap = n > 256 ? n : 256;
        vm->stack = (struct stack){ ARENA_ARRAY(vm->a, struct csx_value, cap), 0, cap };
    }
    struct csx_value *sp = vm->stack.v + vm->stack.used;
    vm->stack.used += n;
    return sp;
}

static int calls(struct csx_vm *vm, const struct csx_insn *in, struct csx_value *sp,
                 struct csx_value *out)
{
    return native(vm, in->c, NULL, sp, in->a, in->b, out);
}

static int concat(struct csx_vm *vm, struct csx_value *v, uint32_t n, struct csx_value *out)
{
    struct str *parts = ARENA_ARRAY(vm->a, struct str, n ? n : 1);
    size_t len = 0;
    for (uint32_t i = 0; i < n; i++) {
        parts[i] = csx_value_str(vm->a, &v[i]);
        len += parts[i].len;
    }
    if (csx_spend(vm, len / CSX_BYTES_PER_STEP) != 0)
        return -1;
    *out = csx_string((struct str){ arena_cat(vm->a, parts, n), len });
    return 0;
}

static int newarr(struct csx_vm *vm, struct csx_value *v, uint32_t n, struct csx_value *out)
{
    bool strings = true;
    for (uint32_t i = 0; i < n; i++)
        strings = strings && (v[i].t == CSXV_STRING || v[i].t == CSXV_NULL);
    struct csx_value l = csx_list(vm, strings && n > 0 ? CSXT_STRINGS : CSXT_ARRAY, n);
    memcpy(l.u.list, v, n * sizeof(*v));
    *out = l; /* out is v[0]: written last */
    return 0;
}

struct handler {
    uint32_t pc, depth; /* where the catch starts, the stack depth at TRY */
};

/* The exception a catch receives: the runtime error, which it clears. */
static struct csx_value exception(struct csx_vm *vm)
{
    const char *msg = arena_strdup(vm->a, vm->err->reason);
    vm->err->reason[0] = '\0';
    return csx_obj(CSXT_EXCEPTION, msg);
}

/* The dispatch loop (the one function allowed to be long, style.md 14).
 * The verifier has proven every operand and the stack depth of every
 * instruction, so none is checked here. */
static int run(struct csx_vm *vm, uint32_t fi, struct csx_value *out)
{
    const struct csx_prog *p = vm->p;
    const struct csx_fn *f = &p->fns[fi];
    const struct csx_insn *code = p->code + f->start;
    struct csx_value *slots = vm->slots;
    uint32_t pc = 0;
    bool b;
    if (++vm->depth > CSX_MAX_CALL_DEPTH) {
        vm->fatal = true;
        return csx_fail(vm, "lambdas are nested deeper than %u calls", CSX_MAX_CALL_DEPTH);
    }
    struct stack saved = vm->stack;
    struct csx_value *base = stack_take(vm, f->max_stack);
    struct csx_value *sp = base; /* the next free entry */
    struct handler handlers[CSX_MAX_TRY];
    unsigned nh = 0;
    for (;;) {
        const struct csx_insn *in = &code[pc];
        vm->pc = f->start + pc;
        if (vm->steps == 0 || --vm->steps == 0) {
            (void)csx_spend(vm, 1);
            goto fail;
        }
        pc++;
        switch ((enum csx_op)in->op) {
        case CSX_OP_NOP:
            break;
        case CSX_OP_CONST:
            *sp++ = p->k[in->c];
            break;
        case CSX_OP_NULL:
            *sp++ = csx_null();
            break;
        case CSX_OP_TRUE:
        case CSX_OP_FALSE:
            *sp++ = csx_bool(in->op == CSX_OP_TRUE);
            break;
        case CSX_OP_CONTEXT:
            *sp++ = csx_obj(CSXT_CONTEXT, vm->h);
            break;
        case CSX_OP_POP:
            sp--;
            break;
        case CSX_OP_DUP:
            sp[0] = sp[-1];
            sp++;
            break;
        case CSX_OP_LOAD:
            *sp++ = slots[in->c];
            break;
        case CSX_OP_STORE:
            slots[in->c] = *--sp;
            break;
        case CSX_OP_JMP:
            pc = in->c;
            break;
        case CSX_OP_JMPF:
            if (csx_truth(vm, --sp, &b) != 0)
                goto fail;
            if (!b)
                pc = in->c;
            break;
        case CSX_OP_JFK:
        case CSX_OP_JTK:
            if (csx_truth(vm, &sp[-1], &b) != 0)
                goto fail;
            if (b == (in->op == CSX_OP_JTK))
                pc = in->c;
            break;
        case CSX_OP_JNULLK:
        case CSX_OP_JNNULLK:
            if ((sp[-1].t == CSXV_NULL) == (in->op == CSX_OP_JNULLK))
                pc = in->c;
            break;
        case CSX_OP_ADD:
        case CSX_OP_SUB:
        case CSX_OP_MUL:
        case CSX_OP_DIV:
        case CSX_OP_MOD:
        case CSX_OP_EQ:
        case CSX_OP_NE:
        case CSX_OP_LT:
        case CSX_OP_LE:
        case CSX_OP_GT:
        case CSX_OP_GE:
        case CSX_OP_BAND:
        case CSX_OP_BOR:
        case CSX_OP_BXOR:
        case CSX_OP_SHL:
        case CSX_OP_SHR:
            sp--;
            if (csx_binary(vm, (enum csx_op)in->op, &sp[-1], &sp[0], &sp[-1]) != 0)
                goto fail;
            break;
        case CSX_OP_NEG:
        case CSX_OP_NOT:
        case CSX_OP_BNOT:
            if (csx_unary(vm, (enum csx_op)in->op, &sp[-1], &sp[-1]) != 0)
                goto fail;
            break;
        case CSX_OP_GETM:
            if (dynamic(vm, &sp[-1], kstr(p, in->c), CSXA_GET, NULL, 0, 0, &sp[-1]) != 0)
                goto fail;
            break;
        case CSX_OP_CALLM:
            sp -= in->a;
            if (dynamic(vm, &sp[-1], kstr(p, in->c), CSXA_CALL, sp, in->a, in->b, &sp[-1]) != 0)
                goto fail;
            break;
        case CSX_OP_CALLS:
            sp -= in->a;
            if (calls(vm, in, sp, sp) != 0)
                goto fail;
            sp++;
            break;
        case CSX_OP_INDEX:
            sp -= in->a;
            if (dynamic(vm, &sp[-1], STR_LIT("[]"), CSXA_INDEX, sp, in->a, 0, &sp[-1]) != 0)
                goto fail;
            break;
        case CSX_OP_SETINDEX: /* receiver, a indexes, value: a native "[]=" */
            sp -= in->a + 1;
            if (csx_index_set(vm, &sp[-1], sp, in->a, &sp[in->a]) != 0)
                goto fail;
            sp[-1] = sp[in->a];
            break;
        case CSX_OP_CAST:
        case CSX_OP_AS:
            if (csx_cast(vm, in->c, &sp[-1], in->op == CSX_OP_AS, &sp[-1]) != 0)
                goto fail;
            break;
        case CSX_OP_IS:
            sp[-1] = csx_bool(csx_is(&sp[-1], in->c));
            break;
        case CSX_OP_DEFAULT:
            *sp++ = csx_default(in->c);
            break;
        case CSX_OP_FUNC:
            *sp++ = (struct csx_value){ .t = CSXV_FUNC, .type = CSXT_DYNAMIC, .u.i = in->c };
            break;
        case CSX_OP_NEWARR:
        case CSX_OP_CONCAT:
            sp -= in->c;
            if ((in->op == CSX_OP_NEWARR ? newarr : concat)(vm, sp, in->c, sp) != 0)
                goto fail;
            sp++;
            break;
        case CSX_OP_FMT:
            if (csx_format(vm, &sp[-1], in->c == CSX_NONE ? STR_NULL : kstr(p, in->c),
                           (int16_t)in->b, &sp[-1]) != 0)
                goto fail;
            break;
        case CSX_OP_ITER:
            if (iter(vm, --sp, &slots[in->b]) != 0)
                goto fail;
            break;
        case CSX_OP_NEXT:
            if (!next(&slots[in->b]))
                pc = in->c;
            break;
        case CSX_OP_RET:
            *out = sp[-1];
            vm->depth--;
            vm->stack = saved;
            return 0;
        case CSX_OP_TRY:
            if (nh == CSX_MAX_TRY) {
                vm->fatal = true;
                (void)csx_fail(vm, "try statements are nested deeper than %u", CSX_MAX_TRY);
                goto fail;
            }
            handlers[nh++] = (struct handler){ in->c, (uint32_t)(sp - base) };
            break;
        case CSX_OP_ENDTRY:
            nh -= nh > 0;
            break;
        case CSX_OP_THROW:
            --sp;
            if (sp->t == CSXV_OBJ && sp->type == CSXT_EXCEPTION)
                (void)csx_fail(vm, "%s", (const char *)sp->u.p);
            else
                (void)csx_fail(vm, "Object reference not set to an instance of an object.");
            goto fail;
        case CSX_OP_FAIL: /* a construct not run: no catch hides it */
            vm->fatal = true;
            (void)csx_fail(vm, "%.*s", STR_FMT(kstr(p, in->c)));
            goto fail;
        case CSX_OP_COUNT:
            (void)csx_fail(vm, "bad opcode");
            goto fail;
        }
        continue;
    fail:
        /* the innermost try catches what is not fatal: the stack as it was
         * at TRY, plus the exception */
        if (nh == 0 || vm->fatal) {
            vm->stack = saved;
            vm->depth--;
            return -1;
        }
        nh--;
        pc = handlers[nh].pc;
        sp = base + handlers[nh].depth;
        *sp++ = exception(vm);
    }
}

int csx_eval(const struct csx_prog *p, const struct csx_host *h, struct arena *a, uint64_t steps,
             struct csx_value *out, struct csx_error *err)
{
    struct csx_vm vm = { .p = p, .h = h, .a = a, .steps = steps, .err = err };
    err->offset = 0;
    err->reason[0] = '\0';
    vm.slots = ARENA_ARRAY(a, struct csx_value, p->nslots ? p->nslots : 1);
    *out = csx_null();
    return run(&vm, 0, out);
}
