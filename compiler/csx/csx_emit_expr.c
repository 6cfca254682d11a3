/* csx_emit_expr.c - expressions to instructions (see csx_emit.h).
 *
 * A chain of member accesses, calls and indexers with '?.' or '?[' in it
 * short-circuits as C# does: when the receiver of '?.' is null the whole
 * rest of the chain is skipped and its value is null, so each '?.' jumps
 * (CSX_OP_JNULLK) to the end of the outermost chain node. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csx_emit_int.h"
#include "csx_members.h"

/* The jumps of the '?.'s of one chain, patched at its end. */
struct chain {
    uint32_t *v;
    size_t n, cap;
};

static void chain_expr(struct em *e, const struct csx_node *n, struct chain *ch);

/* Enum types whose values are passed to natives by name (the VM reads
 * StringComparison.OrdinalIgnoreCase as the string "OrdinalIgnoreCase"). */
static const char *const enums[] = { "StringComparison", "StringSplitOptions", "RegexOptions",
                                     "Formatting",       "JTokenType",         "MidpointRounding" };

static bool is_enum(struct str name)
{
    for (size_t i = 0; i < sizeof(enums) / sizeof(enums[0]); i++)
        if (str_eq(name, str_from_cstr(enums[i])))
            return true;
    return false;
}

/* A namespace prefix: System, System.Text, Newtonsoft.Json.Linq... */
static bool is_namespace(const struct csx_node *n)
{
    if (n->kind == CSX_NAME)
        return str_eq(n->text, STR_LIT("System")) || str_eq(n->text, STR_LIT("Newtonsoft"));
    /* System.Text is one, System.Text.Encoding is a type */
    return n->kind == CSX_MEMBER && is_namespace(n->a) && csx_members_type(n->text) < 0 &&
           !is_enum(n->text);
}

/* The node names a type rather than a value: a predefined type, a name that
 * is no local (nor context) and starts upper case, or one inside a
 * namespace. Sets *id to its CSXT_*, or -1 when it is not modelled. */
static bool names_type(const struct em *e, const struct csx_node *n, int *id)
{
    struct str name = n->text;
    if (n->kind == CSX_PREDEF) {
        *id = csx_members_type(name);
        return true;
    }
    if (n->kind == CSX_MEMBER && is_namespace(n->a)) {
        *id = csx_members_type(name);
        return true;
    }
    if (n->kind != CSX_NAME || em_local_find(e, name) >= 0 || str_eq(name, STR_LIT("context")))
        return false;
    *id = csx_members_type(name);
    return *id >= 0 || (name.len > 0 && name.ptr[0] >= 'A' && name.ptr[0] <= 'Z');
}

int em_type(const struct csx_node *t)
{
    if (t == NULL)
        return -1;
    if (t->kind == CSX_NULLABLE)
        return em_type(t->a);
    if (t->kind == CSX_ARRAY_TYPE) {
        int elem = em_type(t->a);
        return elem == CSXT_STRING ? CSXT_STRINGS : elem == CSXT_BYTE ? CSXT_BYTES : CSXT_ARRAY;
    }
    if (t->kind == CSX_TYPE && t->targs.n > 0)
        return str_eq(t->text, STR_LIT("IEnumerable")) || str_eq(t->text, STR_LIT("List"))
                   ? CSXT_ENUMERABLE
                   : -1;
    return csx_members_type(t->text);
}

static void int_lit(struct em *e, const struct csx_node *n)
{
    char digits[64];
    size_t k = 0;
    bool is_long = false;
    for (size_t i = 0; i < n->text.len && k + 1 < sizeof(digits); i++) {
        char c = n->text.ptr[i];
        if (c == 'L' || c == 'l' || c == 'U' || c == 'u')
            is_long = true;
        else if (c != '_')
            digits[k++] = c;
    }
    digits[k] = '\0';
    bool hex = k > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
    char *end;
    errno = 0;
    unsigned long long v = strtoull(hex ? digits + 2 : digits, &end, hex ? 16 : 10);
    if (errno != 0 || *end != '\0') {
        em_unsupported(e, n->loc.start, "the number '%.*s'", STR_FMT(n->text));
        return;
    }
    if (v > 0x7fffffffu)
        is_long = true;
    em_op(e, CSX_OP_CONST, 0, 0, em_num(e, is_long ? CSX_K_LONG : CSX_K_INT, v));
}

static void real_lit(struct em *e, const struct csx_node *n)
{
    char digits[128];
    size_t k = 0;
    for (size_t i = 0; i < n->text.len && k + 1 < sizeof(digits); i++)
        if (strchr("fFdDmM_", n->text.ptr[i]) == NULL)
            digits[k++] = n->text.ptr[i];
    digits[k] = '\0';
    double d = strtod(digits, NULL);
    uint64_t bits;
    memcpy(&bits, &d, sizeof(bits));
    em_op(e, CSX_OP_CONST, 0, 0, em_num(e, CSX_K_DOUBLE, bits));
}

static void char_lit(struct em *e, const struct csx_node *n)
{
    const unsigned char *p = (const unsigned char *)n->text.ptr;
    uint32_t cp = n->text.len > 0 ? p[0] : 0;
    if (cp >= 0xC0 && n->text.len >= 2) { /* decoded UTF-8: 2 to 4 bytes */
        size_t len = cp >= 0xF0 ? 4 : cp >= 0xE0 ? 3 : 2;
        cp &= 0x3Fu >> (len - 1);
        for (size_t i = 1; i < len && i < n->text.len; i++)
            cp = cp << 6 | (p[i] & 0x3Fu);
    }
    em_op(e, CSX_OP_CONST, 0, 0, em_num(e, CSX_K_CHAR, cp));
}

static void name(struct em *e, const struct csx_node *n)
{
    int slot = em_local_find(e, n->text);
    if (slot >= 0)
        em_op(e, CSX_OP_LOAD, 0, 0, (uint32_t)slot);
    else if (str_eq(n->text, STR_LIT("context")))
        em_op(e, CSX_OP_CONTEXT, 0, 0, 0);
    else
        em_unsupported(e, n->loc.start, "the name '%.*s' (not a local variable)", STR_FMT(n->text));
}

/* Where an error in member n is reported: its name, after the '.' or
 * '?.' that follows its receiver. */
static uint32_t name_at(const struct csx_node *n)
{
    return n->a->loc.end + (n->kind == CSX_CMEMBER ? 2 : 1);
}

/* Type.Name: a static property, or an enum value. */
static void static_get(struct em *e, const struct csx_node *n, int type)
{
    int m = type >= 0 ? csx_members_find((enum csx_type_id)type, n->text, CSXA_SGET) : -1;
    if (m >= 0) {
        em_mark(e, name_at(n));
        em_op(e, CSX_OP_CALLS, 0, 0, (uint32_t)m);
    } else if (is_enum(n->a->text)) {
        em_op(e, CSX_OP_CONST, 0, 0, em_str(e, n->text));
    } else {
        em_unsupported(e, n->loc.start, "'%.*s.%.*s'", STR_FMT(n->a->text), STR_FMT(n->text));
    }
}

/* The receiver of a member of the chain, with '?.' short-circuit. */
static void receiver(struct em *e, const struct csx_node *n, struct chain *ch)
{
    chain_expr(e, n->a, ch);
    if (n->kind == CSX_CMEMBER || n->kind == CSX_CINDEX) {
        ARENA_GROW(e->a, ch->v, ch->n, ch->cap, 4);
        ch->v[ch->n++] = em_op(e, CSX_OP_JNULLK, 0, 0, 0);
    }
}

/* Arguments, in order; named ones by position; an out argument passes
 * null in its place (see out_call). */
static unsigned args(struct em *e, const struct csx_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct csx_node *arg = l->v[i];
        if (arg->kind == CSX_NAMED_ARG)
            em_expr(e, arg->a);
        else if (arg->kind == CSX_OUT_ARG)
            em_op(e, CSX_OP_NULL, 0, 0, 0);
        else
            em_expr(e, arg);
    }
    return (unsigned)l->n;
}

static bool has_out(const struct csx_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i]->kind == CSX_OUT_ARG)
            return true;
    return false;
}

/* The members whose natives take out parameters (runtime/csx/csx_nat_out.c):
 * statics by id, instance methods by name. */
static bool out_member(int m, struct str name)
{
    return m == CSXM_INT_TRYPARSE || m == CSXM_LONG_TRYPARSE || m == CSXM_DOUBLE_TRYPARSE ||
           m == CSXM_BOOL_TRYPARSE || m == CSXM_GUID_TRYPARSE ||
           (m < 0 && str_eq(name, STR_LIT("TryGetValue")));
}

/* The slot an out argument writes: a local, a new one (out var x, out T
 * x), or none for the discard '_'; -2 when it is something else. */
static int out_slot(struct em *e, const struct csx_node *v)
{
    if (v->kind == CSX_DECL && v->list.n == 1)
        return (int)em_local_new(e, v->list.v[0]->text);
    if (v->kind != CSX_NAME)
        return -2;
    int slot = em_local_find(e, v->text);
    return slot >= 0 ? slot : str_eq(v->text, STR_LIT("_")) ? -1 : -2;
}

/* Whether the call's out arguments can be run; emits the failure if not. */
static bool out_ok(struct em *e, const struct csx_node *n, int m, struct str name)
{
    if (!has_out(&n->list))
        return true;
    bool ok = out_member(m, name);
    for (size_t i = 0; ok && i < n->list.n; i++) {
        const struct csx_node *v = n->list.v[i]->a;
        ok = n->list.v[i]->kind != CSX_OUT_ARG || v->kind == CSX_DECL ||
             (v->kind == CSX_NAME &&
              (em_local_find(e, v->text) >= 0 || str_eq(v->text, STR_LIT("_"))));
    }
    if (!ok)
        em_unsupported(e, n->loc.start, "an 'out' argument of '%.*s'", STR_FMT(name));
    return ok;
}

/* After a call with out arguments: its out tuple (result, out values...)
 * is unpacked into the variables, and the result left. */
static void out_unpack(struct em *e, const struct csx_list *l)
{
    if (!has_out(l))
        return;
    uint32_t k = 1;
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i]->kind != CSX_OUT_ARG)
            continue;
        int slot = out_slot(e, l->v[i]->a);
        if (slot >= 0) {
            em_op(e, CSX_OP_DUP, 0, 0, 0);
            em_op(e, CSX_OP_CONST, 0, 0, em_num(e, CSX_K_INT, k));
            em_op(e, CSX_OP_INDEX, 1, 0, 0);
            em_op(e, CSX_OP_STORE, 0, 0, (uint32_t)slot);
        }
        k++;
    }
    em_op(e, CSX_OP_CONST, 0, 0, em_num(e, CSX_K_INT, 0));
    em_op(e, CSX_OP_INDEX, 1, 0, 0);
}

static unsigned targ(const struct csx_node *member)
{
    if (member->targs.n == 0)
        return 0;
    int t = em_type(member->targs.v[0]);
    return t >= 0 ? (unsigned)t + 1 : CSXT_DYNAMIC + 1;
}

/* A static call's argument count against its member's range (the
 * verifier requires it): outside it, the call is a runtime error. */
static bool arity_ok(struct em *e, const struct csx_node *n, int m)
{
    const struct csx_member_row *r = &csx_member_rows[m];
    if (n->list.n >= r->min_args && n->list.n <= r->max_args)
        return true;
    bool ctor = r->kind == CSXM_CTOR;
    em_unsupported(e, n->loc.start, "'%s%s%s%s' with %zu arguments (it takes %u to %u)",
                   ctor ? "new " : "", csx_type_rows[r->owner].name, ctor ? "" : ".",
                   ctor ? "" : r->name, n->list.n, r->min_args, r->max_args);
    return false;
}

static void call(struct em *e, const struct csx_node *n, struct chain *ch)
{
    const struct csx_node *f = n->a;
    int type;
    if (n->list.n > 255) {
        em_unsupported(e, n->loc.start, "a call with more than 255 arguments");
        return;
    }
    if (f->kind != CSX_MEMBER && f->kind != CSX_CMEMBER) {
        em_unsupported(e, n->loc.start, "calling a delegate or local function");
        return;
    }
    if (f->kind == CSX_MEMBER && names_type(e, f->a, &type)) {
        int m = type >= 0 ? csx_members_find((enum csx_type_id)type, f->text, CSXA_SCALL) : -1;
        if (m < 0) {
            em_unsupported(e, f->loc.start, "'%.*s.%.*s()'", STR_FMT(f->a->text), STR_FMT(f->text));
            return;
        }
        if (!arity_ok(e, n, m) || !out_ok(e, n, m, f->text))
            return;
        unsigned argc = args(e, &n->list);
        em_mark(e, name_at(f));
        em_op(e, CSX_OP_CALLS, argc, targ(f), (uint32_t)m);
        out_unpack(e, &n->list);
        return;
    }
    if (!out_ok(e, n, -1, f->text))
        return;
    receiver(e, f, ch);
    unsigned argc = args(e, &n->list);
    em_mark(e, name_at(f));
    em_op(e, CSX_OP_CALLM, argc, targ(f), em_str(e, f->text));
    out_unpack(e, &n->list);
}

static void chain_expr(struct em *e, const struct csx_node *n, struct chain *ch)
{
    int type;
    switch (n->kind) {
    case CSX_MEMBER:
        if (names_type(e, n->a, &type)) {
            static_get(e, n, type);
            return;
        }
        /* fall through */
    case CSX_CMEMBER:
        receiver(e, n, ch);
        em_mark(e, name_at(n));
        em_op(e, CSX_OP_GETM, 0, 0, em_str(e, n->text));
        return;
    case CSX_INDEX:
    case CSX_CINDEX:
        if (n->list.n == 0 || n->list.n > 255) {
            em_unsupported(e, n->loc.start, "this indexer");
            return;
        }
        receiver(e, n, ch);
        unsigned argc = args(e, &n->list);
        em_mark(e, n->a->loc.end);
        em_op(e, CSX_OP_INDEX, argc, 0, 0);
        return;
    case CSX_CALL:
        call(e, n, ch);
        return;
    default:
        em_expr(e, n);
        return;
    }
}

static void chain(struct em *e, const struct csx_node *n)
{
    struct chain ch = { 0 };
    chain_expr(e, n, &ch);
    for (size_t i = 0; i < ch.n; i++)
        em_patch(e, ch.v[i]);
}

/* Binary operators to opcodes. */
static const struct {
    const char *text;
    enum csx_op op;
} binops[] = {
    { "+", CSX_OP_ADD }, { "-", CSX_OP_SUB },  { "*", CSX_OP_MUL },  { "/", CSX_OP_DIV },
    { "%", CSX_OP_MOD }, { "==", CSX_OP_EQ },  { "!=", CSX_OP_NE },  { "<", CSX_OP_LT },
    { "<=", CSX_OP_LE }, { ">", CSX_OP_GT },   { ">=", CSX_OP_GE },  { "&", CSX_OP_BAND },
    { "|", CSX_OP_BOR }, { "^", CSX_OP_BXOR }, { "<<", CSX_OP_SHL }, { ">>", CSX_OP_SHR },
};

static int binop(struct str text)
{
    for (size_t i = 0; i < sizeof(binops) / sizeof(binops[0]); i++)
        if (str_eq(text, str_from_cstr(binops[i].text)))
            return (int)binops[i].op;
    return -1;
}

/* a && b, a || b, a ?? b: the right side only when needed. */
static void short_circuit(struct em *e, const struct csx_node *n, enum csx_op jump)
{
    em_expr(e, n->a);
    em_mark(e, n->a->loc.start);
    uint32_t pc = em_op(e, jump, 0, 0, 0);
    em_op(e, CSX_OP_POP, 0, 0, 0);
    em_expr(e, n->b);
    em_patch(e, pc);
}

static void binary(struct em *e, const struct csx_node *n)
{
    if (str_eq(n->text, STR_LIT("&&")))
        short_circuit(e, n, CSX_OP_JFK);
    else if (str_eq(n->text, STR_LIT("||")))
        short_circuit(e, n, CSX_OP_JTK);
    else if (str_eq(n->text, STR_LIT("??")))
        short_circuit(e, n, CSX_OP_JNNULLK);
    else {
        int op = binop(n->text);
        em_expr(e, n->a);
        em_expr(e, n->b);
        em_mark(e, n->loc.start);
        if (op >= 0)
            em_op(e, (enum csx_op)op, 0, 0, 0);
        else
            em_unsupported(e, n->loc.start, "the operator '%.*s'", STR_FMT(n->text));
    }
}

/* ++x, --x (post: x++, x--) on a local; the value left is the new (old) one. */
static void step(struct em *e, const struct csx_node *n, bool post)
{
    int slot = n->a->kind == CSX_NAME ? em_local_find(e, n->a->text) : -1;
    if (slot < 0) {
        em_unsupported(e, n->loc.start, "'%.*s' on anything but a local variable",
                       STR_FMT(n->text));
        return;
    }
    em_op(e, CSX_OP_LOAD, 0, 0, (uint32_t)slot);
    if (post)
        em_op(e, CSX_OP_DUP, 0, 0, 0);
    em_op(e, CSX_OP_CONST, 0, 0, em_num(e, CSX_K_INT, 1));
    em_mark(e, n->loc.start);
    em_op(e, n->text.ptr[0] == '+' ? CSX_OP_ADD : CSX_OP_SUB, 0, 0, 0);
    if (!post)
        em_op(e, CSX_OP_DUP, 0, 0, 0);
    em_op(e, CSX_OP_STORE, 0, 0, (uint32_t)slot);
}

static void unary(struct em *e, const struct csx_node *n)
{
    if (n->text.ptr[0] == '+' && n->text.len == 2) {
        step(e, n, false);
        return;
    }
    if (n->text.ptr[0] == '-' && n->text.len == 2) {
        step(e, n, false);
        return;
    }
    em_expr(e, n->a);
    em_mark(e, n->loc.start);
    switch (n->text.ptr[0]) {
    case '-':
        em_op(e, CSX_OP_NEG, 0, 0, 0);
        break;
    case '!':
        em_op(e, CSX_OP_NOT, 0, 0, 0);
        break;
    case '~':
        em_op(e, CSX_OP_BNOT, 0, 0, 0);
        break;
    default: /* unary plus */
        break;
    }
}

/* target = value, target op= value: the value is left on the stack. */
static void assign(struct em *e, const struct csx_node *n)
{
    const struct csx_node *t = n->a;
    bool compound = n->text.len > 1;
    int op = compound ? binop((struct str){ n->text.ptr, n->text.len - 1 }) : -1;
    if (compound && op < 0) {
        em_unsupported(e, n->loc.start, "the operator '%.*s'", STR_FMT(n->text));
        return;
    }
    int slot = t->kind == CSX_NAME ? em_local_find(e, t->text) : -1;
    if (slot >= 0) {
        if (compound)
            em_op(e, CSX_OP_LOAD, 0, 0, (uint32_t)slot);
        em_expr(e, n->b);
        em_mark(e, n->loc.start);
        if (compound)
            em_op(e, (enum csx_op)op, 0, 0, 0);
        em_op(e, CSX_OP_DUP, 0, 0, 0);
        em_op(e, CSX_OP_STORE, 0, 0, (uint32_t)slot);
    } else if (t->kind == CSX_INDEX && !compound && t->a != NULL && t->list.n > 0 &&
               t->list.n <= 255) {
        em_expr(e, t->a);
        unsigned argc = args(e, &t->list);
        em_expr(e, n->b);
        em_mark(e, n->loc.start);
        em_op(e, CSX_OP_SETINDEX, argc, 0, 0);
    } else {
        em_unsupported(e, n->loc.start, "assigning to this target");
    }
}

static void conditional(struct em *e, const struct csx_node *n)
{
    em_expr(e, n->a);
    em_mark(e, n->a->loc.start);
    uint32_t to_else = em_op(e, CSX_OP_JMPF, 0, 0, 0);
    em_expr(e, n->b);
    uint32_t to_end = em_op(e, CSX_OP_JMP, 0, 0, 0);
    em_patch(e, to_else);
    em_expr(e, n->c);
    em_patch(e, to_end);
}

static void typed(struct em *e, const struct csx_node *n, const struct csx_node *type,
                  const struct csx_node *value, enum csx_op op)
{
    int t = em_type(type);
    if (t < 0) {
        em_unsupported(e, type->loc.start, "the type '%.*s'", STR_FMT(type->text));
        return;
    }
    em_expr(e, value);
    em_mark(e, n->loc.start);
    em_op(e, op, 0, 0, (uint32_t)t);
}

static void is_expr(struct em *e, const struct csx_node *n)
{
    if (n->b->kind == CSX_NULL) {
        em_expr(e, n->a);
        em_op(e, CSX_OP_NULL, 0, 0, 0);
        em_op(e, CSX_OP_EQ, 0, 0, 0);
        return;
    }
    if (n->text.len == 0) {
        typed(e, n, n->b, n->a, CSX_OP_IS);
        return;
    }
    int t = em_type(n->b); /* x is T name: name = x as T, then the test */
    if (t < 0) {
        em_unsupported(e, n->b->loc.start, "the type '%.*s'", STR_FMT(n->b->text));
        return;
    }
    em_expr(e, n->a);
    em_op(e, CSX_OP_DUP, 0, 0, 0);
    em_op(e, CSX_OP_AS, 0, 0, (uint32_t)t);
    em_op(e, CSX_OP_STORE, 0, 0, em_local_new(e, n->text));
    em_op(e, CSX_OP_IS, 0, 0, (uint32_t)t);
}

/* obj[k...] = v of an initializer, the object on the stack (kept). */
static void init_index(struct em *e, const struct csx_node *x)
{
    em_op(e, CSX_OP_DUP, 0, 0, 0);
    unsigned argc = args(e, &x->a->list);
    em_expr(e, x->b);
    em_mark(e, x->loc.start);
    em_op(e, CSX_OP_SETINDEX, argc, 0, 0);
    em_op(e, CSX_OP_POP, 0, 0, 0);
}

/* One element of an object or collection initializer, the new object on
 * the stack (kept): [k] = v sets through the indexer; { k, v } and v call
 * Add, as C# lowers them. Setting a property (Name = v) is not run. */
static void init_elem(struct em *e, const struct csx_node *x)
{
    if (x->kind == CSX_ASSIGN && x->a->kind == CSX_INDEX && x->a->a == NULL && x->a->list.n > 0 &&
        x->a->list.n <= 255 && x->text.len == 1) {
        init_index(e, x);
        return;
    }
    if (x->kind == CSX_ASSIGN) {
        em_unsupported(e, x->loc.start, "setting '%.*s' in an object initializer",
                       STR_FMT(x->a->text));
        return;
    }
    if (x->kind == CSX_INIT && (x->list.n == 0 || x->list.n > 255)) {
        em_unsupported(e, x->loc.start, "this collection initializer element");
        return;
    }
    em_op(e, CSX_OP_DUP, 0, 0, 0);
    unsigned argc = x->kind == CSX_INIT ? args(e, &x->list) : (em_expr(e, x), 1u);
    em_mark(e, x->loc.start);
    em_op(e, CSX_OP_CALLM, argc, 0, em_str(e, STR_LIT("Add")));
    em_op(e, CSX_OP_POP, 0, 0, 0);
}

static void new_obj(struct em *e, const struct csx_node *n)
{
    int t = em_type(n->a);
    int m = t >= 0 ? csx_members_find((enum csx_type_id)t, STR_LIT(".ctor"), CSXA_NEW) : -1;
    if (m < 0 || n->list.n > 255) {
        em_unsupported(e, n->loc.start, "'new %.*s'", STR_FMT(n->a->text));
        return;
    }
    if (!arity_ok(e, n, m))
        return;
    unsigned argc = args(e, &n->list);
    em_mark(e, n->loc.start);
    em_op(e, CSX_OP_CALLS, argc, 0, (uint32_t)m);
    for (size_t i = 0; n->b != NULL && i < n->b->list.n; i++)
        init_elem(e, n->b->list.v[i]);
}

/* new { a = x, b.C }: an anonymous object is run as a JObject (what
 * JsonConvert.SerializeObject, its one use in policies, writes the same:
 * the members in order, by name). Its ToString() and member access differ
 * from .NET's ("{ a = 1 }", x.a): a JObject's apply instead. */
static void new_anon(struct em *e, const struct csx_node *n)
{
    em_mark(e, n->loc.start);
    em_op(e, CSX_OP_CALLS, 0, 0, CSXM_JOBJECT_CTOR);
    for (size_t i = 0; i < n->b->list.n; i++) {
        const struct csx_node *x = n->b->list.v[i];
        bool named = x->kind == CSX_ASSIGN && x->text.len == 1 && x->a->kind == CSX_NAME;
        const struct csx_node *value = named ? x->b : x;
        if (!named && x->kind != CSX_NAME && x->kind != CSX_MEMBER) {
            em_unsupported(e, x->loc.start, "this anonymous object member");
            continue;
        }
        em_op(e, CSX_OP_DUP, 0, 0, 0);
        em_op(e, CSX_OP_CONST, 0, 0, em_str(e, named ? x->a->text : x->text));
        em_expr(e, value);
        em_mark(e, x->loc.start);
        em_op(e, CSX_OP_SETINDEX, 1, 0, 0);
        em_op(e, CSX_OP_POP, 0, 0, 0);
    }
}

static void new_array(struct em *e, const struct csx_node *n)
{
    const struct csx_node *init = n->b;
    if (init == NULL || n->list.n > 0 || init->list.n > CSX_MAX_COUNT) {
        em_unsupported(e, n->loc.start, "an array created by size");
        return;
    }
    for (size_t i = 0; i < init->list.n; i++)
        em_expr(e, init->list.v[i]);
    em_op(e, CSX_OP_NEWARR, 0, 0, (uint32_t)init->list.n);
}

static void lambda(struct em *e, const struct csx_node *n)
{
    size_t parent = e->cur, scope = e->nlocals;
    struct em_loop *loop = e->loop;
    unsigned tries = e->tries;
    e->tries = 0; /* a lambda's try statements are its own */
    size_t fn = em_fn_begin(e);
    e->fns[fn].param_slot = e->nslots;
    e->fns[fn].nparams = (uint32_t)n->list.n;
    for (size_t i = 0; i < n->list.n; i++)
        em_local_new(e, n->list.v[i]->text);
    em_mark(e, n->loc.start);
    if (n->a->kind == CSX_BLOCK) {
        em_stmt(e, n->a);
        em_unsupported(e, n->loc.start, "a lambda whose end is reached without 'return'");
    } else {
        em_expr(e, n->a);
        em_op(e, CSX_OP_RET, 0, 0, 0);
    }
    e->nlocals = scope;
    e->loop = loop;
    e->tries = tries;
    e->cur = parent;
    em_op(e, CSX_OP_FUNC, 0, 0, (uint32_t)fn);
}

static void interp(struct em *e, const struct csx_node *n)
{
    if (n->list.n > CSX_MAX_COUNT) {
        em_unsupported(e, n->loc.start, "an interpolated string of this many parts");
        return;
    }
    for (size_t i = 0; i < n->list.n; i++) {
        const struct csx_node *p = n->list.v[i];
        if (p->kind != CSX_HOLE) {
            em_op(e, CSX_OP_CONST, 0, 0, em_str(e, p->text));
            continue;
        }
        em_expr(e, p->a);
        long align = 0;
        if (p->b != NULL && p->b->kind == CSX_INT)
            align = strtol(p->b->text.ptr, NULL, 10);
        else if (p->b != NULL && p->b->kind == CSX_UNARY && p->b->a->kind == CSX_INT)
            align = -strtol(p->b->a->text.ptr, NULL, 10);
        align = align < -32768 ? -32768 : align > 32767 ? 32767 : align;
        uint32_t fmt = p->text.len > 0 ? em_str(e, p->text) : CSX_NONE;
        em_mark(e, p->loc.start);
        em_op(e, CSX_OP_FMT, 0, (uint16_t)(int16_t)align, fmt);
    }
    em_op(e, CSX_OP_CONCAT, 0, 0, (uint32_t)n->list.n);
}

void em_expr(struct em *e, const struct csx_node *n)
{
    em_mark(e, n->loc.start);
    switch (n->kind) {
    case CSX_INT:
        int_lit(e, n);
        break;
    case CSX_REAL:
        real_lit(e, n);
        break;
    case CSX_STRING:
        em_op(e, CSX_OP_CONST, 0, 0, em_str(e, n->text));
        break;
    case CSX_CHAR:
        char_lit(e, n);
        break;
    case CSX_TRUE:
    case CSX_FALSE:
    case CSX_NULL:
        em_op(e,
              n->kind == CSX_TRUE    ? CSX_OP_TRUE
              : n->kind == CSX_FALSE ? CSX_OP_FALSE
                                     : CSX_OP_NULL,
              0, 0, 0);
        break;
    case CSX_NAME:
        name(e, n);
        break;
    case CSX_MEMBER:
    case CSX_CMEMBER:
    case CSX_INDEX:
    case CSX_CINDEX:
    case CSX_CALL:
        chain(e, n);
        break;
    case CSX_BINARY:
        binary(e, n);
        break;
    case CSX_UNARY:
        unary(e, n);
        break;
    case CSX_POSTFIX:
        step(e, n, true);
        break;
    case CSX_ASSIGN:
        assign(e, n);
        break;
    case CSX_COND:
        conditional(e, n);
        break;
    case CSX_CAST:
        typed(e, n, n->a, n->b, CSX_OP_CAST);
        break;
    case CSX_AS:
        typed(e, n, n->b, n->a, CSX_OP_AS);
        break;
    case CSX_IS:
        is_expr(e, n);
        break;
    case CSX_DEFAULT: {
        int t = em_type(n->a);
        if (t >= 0)
            em_op(e, CSX_OP_DEFAULT, 0, 0, (uint32_t)t);
        else
            em_unsupported(e, n->loc.start, "'default' of this type");
        break;
    }
    case CSX_NEW:
        new_obj(e, n);
        break;
    case CSX_NEW_ANON:
        new_anon(e, n);
        break;
    case CSX_NEW_ARRAY:
        new_array(e, n);
        break;
    case CSX_LAMBDA:
        lambda(e, n);
        break;
    case CSX_INTERP:
        interp(e, n);
        break;
    case CSX_CHECKED:
        em_expr(e, n->a);
        break;
    default:
        em_unsupported(e, n->loc.start, "the '%s' expression", csx_kind_name(n->kind));
        break;
    }
}
