/* csx_bind_expr.c - names, types and operators of expressions (the
 * binder, csx_bind.h). */
#include <stdio.h>
#include <string.h>

#include "apim_limits.h"
#include "csx_bind_int.h"

/* Past this recursion depth (a chain of thousands of '+' or '.': the
 * parser caps brackets, not chains) the rest binds as dynamic. */
#define BIND_MAX_DEPTH (APIM_MAX_CSX_DEPTH * 16)

const char *csx_bind_type_name(int type)
{
    return type >= 0 && type < CSXT_COUNT ? csx_type_rows[type].name : "dynamic";
}

bool csx_bind_variable_type_ok(int type)
{
    switch (type) {
    case CSXT_VOID:
    case CSXT_STRINGS:
    case CSXT_ARRAY:
    case CSXT_ENCODING:
    case CSXT_REGEX:
    case CSXT_MATCH:
    case CSXT_HMACSHA256:
    case CSXT_SHA256:
        return false;
    default: /* host types: only a send-request response is stored (IResponse) */
        return type < 0 || type >= CSXT_COUNT || csx_type_rows[type].kind != CSXK_HOST ||
               type == CSXT_RESPONSE || type == CSXT_JWT;
    }
}

struct loc bind_name_loc(const struct csx_node *n)
{
    struct loc at = n->name_loc.src != NULL || n->name_loc.end > 0 ? n->name_loc : n->loc;
    if (at.end - at.start > n->text.len)
        at.end = at.start + (uint32_t)n->text.len;
    return at;
}

int bind_elem(int type)
{
    switch (type) {
    case CSXT_STRINGS:
        return CSXT_STRING;
    case CSXT_BYTES:
        return CSXT_BYTE;
    case CSXT_STRING:
        return CSXT_CHAR;
    case CSXT_JARRAY:
    case CSXT_JTOKEN:
        return CSXT_JTOKEN;
    default:
        return CSXT_DYNAMIC;
    }
}

/* ---- types as written ------------------------------------------------------ */

static void type_denied(struct binder *b, struct loc at, struct str ns, struct str name)
{
    bind_error(b, DC_CSX_TYPE_NOT_ALLOWED, at,
               "type '%.*s%s%.*s' is not allowed in policy expressions", STR_FMT(ns),
               ns.len ? "." : "", STR_FMT(name));
}

/* The dotted text of a qualifier (System.Text) from the tree, in the
 * arena; empty when there is none or it is longer than a name can be. */
static struct str qualifier_text(struct binder *b, const struct csx_node *q)
{
    char buf[256];
    size_t len = 0;
    const struct csx_node *parts[32];
    size_t n = 0;
    for (; q != NULL && n < 32; q = q->kind == CSX_NAME ? NULL : q->a) {
        if (q->kind != CSX_TYPE && q->kind != CSX_MEMBER && q->kind != CSX_NAME)
            return (struct str){ "", 0 };
        parts[n++] = q;
    }
    while (n-- > 0) {
        int k = snprintf(buf + len, sizeof(buf) - len, "%s%.*s", len ? "." : "",
                         STR_FMT(parts[n]->text));
        if (k < 0 || (size_t)k >= sizeof(buf) - len)
            return (struct str){ "", 0 };
        len += (size_t)k;
    }
    return (struct str){ arena_strndup(b->arena, buf, len), len };
}

static int named_type(struct binder *b, const struct csx_node *n, struct str ns)
{
    int type;
    enum type_name tn = bind_type_name(n->text, &type);
    if (tn == TN_DENIED || (tn != TN_KNOWN && tn != TN_OPEN && bind_denied_namespace(ns))) {
        type_denied(b, n->loc, ns, n->text);
        return CSXT_DYNAMIC;
    }
    if (tn == TN_UNKNOWN && ns.len == 0 && bind_lookup(b, n->text) == NULL) {
        const struct str *v;
        size_t nv = bind_type_names(&v);
        struct diag_entry *e = bind_error(b, DC_CSX_TYPE_NOT_ALLOWED, n->loc,
                                          "type '%.*s' is not allowed in policy expressions "
                                          "(not a type API Management lists)",
                                          STR_FMT(n->text));
        bind_suggest(b, e, n->loc, n->text, v, nv);
    }
    return type;
}

static int array_of(int elem)
{
    return elem == CSXT_STRING   ? CSXT_STRINGS
           : elem == CSXT_BYTE   ? CSXT_BYTES
           : elem == CSXT_OBJECT ? CSXT_ARRAY
                                 : CSXT_DYNAMIC;
}

int bind_type(struct binder *b, struct csx_node *n)
{
    if (n == NULL)
        return CSXT_DYNAMIC;
    switch (n->kind) {
    case CSX_TYPE:
    case CSX_PREDEF:
    case CSX_NAME:
        for (size_t i = 0; i < n->targs.n; i++)
            (void)bind_type(b, n->targs.v[i]);
        n->type =
            named_type(b, n, n->kind == CSX_TYPE ? qualifier_text(b, n->a) : (struct str){ "", 0 });
        return n->type;
    case CSX_MEMBER: /* a qualified name used as a type: bind the chain */
        return n->type = bind_sym(b, n).type;
    case CSX_ARRAY_TYPE:
        return n->type = array_of(bind_type(b, n->a));
    case CSX_INDEX:
        return n->type = array_of(bind_type(b, n->a));
    case CSX_NULLABLE:
        return n->type = bind_type(b, n->a);
    default:
        return CSXT_DYNAMIC;
    }
}

/* ---- names ----------------------------------------------------------------- */

static struct sym value(int type)
{
    return (struct sym){ SYM_VALUE, type };
}

static struct sym unknown_name(struct binder *b, struct csx_node *n)
{
    const struct str *types;
    size_t nt = bind_type_names(&types);
    struct diag_entry *e =
        bind_error(b, DC_CSX_UNKNOWN_NAME, n->loc, "unknown name '%.*s'", STR_FMT(n->text));
    if (e != NULL) { /* candidates: the locals, context, the types */
        size_t n_all = b->nvars + 1 + nt;
        struct str *v = ARENA_ARRAY(b->arena, struct str, n_all);
        for (size_t i = 0; i < b->nvars; i++)
            v[i] = b->vars[i].name;
        v[b->nvars] = (struct str){ "context", 7 };
        memcpy(v + b->nvars + 1, types, nt * sizeof(*v));
        bind_suggest(b, e, n->loc, n->text, v, n_all);
    }
    return value(CSXT_DYNAMIC);
}

static struct sym bind_name(struct binder *b, struct csx_node *n)
{
    const struct bind_var *v = bind_lookup(b, n->text);
    if (v != NULL)
        return value(n->type = v->type);
    if (bind_eq(n->text, "context"))
        return value(n->type = CSXT_CONTEXT);
    if (bind_eq(n->text, "_")) /* a discard: out _, _ = x */
        return value(n->type = CSXT_DYNAMIC);
    int type;
    enum type_name tn = bind_type_name(n->text, &type);
    if (tn == TN_KNOWN || tn == TN_OPEN) {
        for (size_t i = 0; i < n->targs.n; i++)
            (void)bind_type(b, n->targs.v[i]);
        return (struct sym){ SYM_TYPE, n->type = type };
    }
    if (tn == TN_DENIED) {
        type_denied(b, n->loc, (struct str){ "", 0 }, n->text);
        return value(CSXT_DYNAMIC);
    }
    if (bind_namespace_root(n->text))
        return (struct sym){ SYM_NS, CSXT_DYNAMIC };
    return unknown_name(b, n);
}

/* A member of a namespace: a type (allowed or not) or a deeper namespace. */
static struct sym ns_member(struct binder *b, struct csx_node *n)
{
    struct str ns = qualifier_text(b, n->a);
    int type;
    enum type_name tn = bind_type_name(n->text, &type);
    bool denied = bind_denied_namespace(ns);
    if (tn == TN_DENIED || (denied && tn != TN_KNOWN && tn != TN_OPEN)) {
        struct loc at = { n->loc.src, n->a->loc.start, bind_name_loc(n).end };
        type_denied(b, at, ns, n->text);
        return value(CSXT_DYNAMIC);
    }
    if (tn == TN_KNOWN || tn == TN_OPEN)
        return (struct sym){ SYM_TYPE, n->type = type };
    return (struct sym){ SYM_NS, CSXT_DYNAMIC };
}

/* XmlReader.Create(...): a capitalised name that is no local, type or
 * namespace, before a '.', is a .NET type the allowed list lacks. */
static bool unlisted_type(struct binder *b, struct csx_node *n)
{
    int type;
    if (n->kind != CSX_NAME || n->text.len == 0 || n->text.ptr[0] < 'A' || n->text.ptr[0] > 'Z' ||
        bind_lookup(b, n->text) != NULL || bind_namespace_root(n->text) ||
        bind_type_name(n->text, &type) != TN_UNKNOWN)
        return false;
    (void)named_type(b, n, (struct str){ "", 0 });
    return true;
}

struct sym bind_receiver(struct binder *b, struct csx_node *n)
{
    return unlisted_type(b, n) ? (struct sym){ SYM_TYPE, CSXT_DYNAMIC } : bind_sym(b, n);
}

struct sym bind_sym(struct binder *b, struct csx_node *n)
{
    if (n->kind == CSX_NAME)
        return bind_name(b, n);
    if (n->kind == CSX_PREDEF || n->kind == CSX_TYPE)
        return (struct sym){ SYM_TYPE, bind_type(b, n) };
    if (n->kind != CSX_MEMBER && n->kind != CSX_CMEMBER)
        return value(bind_expr(b, n));
    if (++b->depth > BIND_MAX_DEPTH) {
        b->depth--;
        return value(CSXT_DYNAMIC);
    }
    struct sym recv = bind_receiver(b, n->a);
    struct sym r = recv.kind == SYM_NS ? ns_member(b, n) : value(bind_member(b, n, recv));
    b->depth--;
    return r;
}

/* ---- operators ------------------------------------------------------------- */

static bool numeric(int t)
{
    return t == CSXT_INT || t == CSXT_LONG || t == CSXT_DOUBLE || t == CSXT_DECIMAL ||
           t == CSXT_BYTE || t == CSXT_CHAR;
}

/* C#'s binary numeric promotion, as far as the table has types. */
static int promote(int l, int r)
{
    if (!numeric(l) || !numeric(r))
        return CSXT_DYNAMIC;
    if (l == CSXT_DOUBLE || r == CSXT_DOUBLE)
        return CSXT_DOUBLE;
    if (l == CSXT_DECIMAL || r == CSXT_DECIMAL)
        return CSXT_DECIMAL;
    return l == CSXT_LONG || r == CSXT_LONG ? CSXT_LONG : CSXT_INT;
}

static int arith(const char *op, int l, int r)
{
    if (op[0] == '+' && (l == CSXT_STRING || r == CSXT_STRING))
        return CSXT_STRING;
    if (l == CSXT_DATETIME && r == CSXT_TIMESPAN && (op[0] == '+' || op[0] == '-'))
        return CSXT_DATETIME;
    if (l == CSXT_DATETIME && r == CSXT_DATETIME && op[0] == '-')
        return CSXT_TIMESPAN;
    if (l == CSXT_TIMESPAN && r == CSXT_TIMESPAN && (op[0] == '+' || op[0] == '-'))
        return CSXT_TIMESPAN;
    return promote(l, r);
}

static int binary_type(const char *op, int l, int r)
{
    if (strcmp(op, "??") == 0)
        return l == CSXT_NULL ? r : l;
    if (strcmp(op, "&&") == 0 || strcmp(op, "||") == 0 || strcmp(op, "==") == 0 ||
        strcmp(op, "!=") == 0 || strcmp(op, "<") == 0 || strcmp(op, ">") == 0 ||
        strcmp(op, "<=") == 0 || strcmp(op, ">=") == 0)
        return CSXT_BOOL;
    if (strcmp(op, "<<") == 0 || strcmp(op, ">>") == 0)
        return promote(l, CSXT_INT);
    if ((op[0] == '&' || op[0] == '|' || op[0] == '^') && l == CSXT_BOOL && r == CSXT_BOOL)
        return CSXT_BOOL;
    return arith(op, l, r);
}

static int unary_type(const char *op, int t)
{
    if (op[0] == '!')
        return CSXT_BOOL;
    if (op[0] == '+' && op[1] == '+')
        return t;
    if (op[0] == '-' && op[1] == '-')
        return t;
    return numeric(t) ? promote(t, CSXT_INT) : CSXT_DYNAMIC;
}

static int cond_type(int b, int c)
{
    if (b == c)
        return b;
    if (b == CSXT_NULL)
        return c;
    if (c == CSXT_NULL)
        return b;
    return promote(b, c);
}

/* ---- literals -------------------------------------------------------------- */

static bool standin(const struct binder *b, const struct csx_node *n)
{
    size_t lo = 0, hi = b->opts->nstandins;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t s = b->opts->standins[mid];
        if (s == n->loc.start)
            return true;
        if (s < n->loc.start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int int_type(const struct binder *b, const struct csx_node *n)
{
    if (standin(b, n))
        return CSXT_DYNAMIC;
    struct str t = n->text;
    char last = t.len > 0 ? t.ptr[t.len - 1] : '0';
    bool hex = t.len > 1 && t.ptr[0] == '0' && (t.ptr[1] == 'x' || t.ptr[1] == 'X');
    if (last == 'l' || last == 'L')
        return t.len > 1 && (t.ptr[t.len - 2] == 'u' || t.ptr[t.len - 2] == 'U') ? CSXT_DYNAMIC
                                                                                 : CSXT_LONG;
    if (last == 'u' || last == 'U')
        return CSXT_DYNAMIC;
    return hex || t.len < 10 ? CSXT_INT : CSXT_DYNAMIC; /* long literals: int or long */
}

static int real_type(const struct csx_node *n)
{
    char last = n->text.len > 0 ? n->text.ptr[n->text.len - 1] : '0';
    return last == 'm' || last == 'M'   ? CSXT_DECIMAL
           : last == 'f' || last == 'F' ? CSXT_DYNAMIC
                                        : CSXT_DOUBLE;
}

/* ---- expressions ----------------------------------------------------------- */

static int bind_lambda(struct binder *b, struct csx_node *n, int param)
{
    size_t mark = b->nvars;
    b->lambdas++;
    for (size_t i = 0; i < n->list.n; i++) {
        struct csx_node *p = n->list.v[i];
        int t = p->kind == CSX_PARAM && p->a != NULL ? bind_type(b, p->a) : param;
        bind_declare(b, p->text, t);
    }
    if (n->a != NULL && n->a->kind == CSX_BLOCK)
        bind_stmt(b, n->a);
    else if (n->a != NULL)
        (void)bind_expr(b, n->a);
    b->lambdas--;
    b->nvars = mark;
    return CSXT_DYNAMIC;
}

/* A lambda passed to a member of a sequence: its parameter is an element. */
void bind_args(struct binder *b, const struct csx_list *args, int elem)
{
    for (size_t i = 0; i < args->n; i++) {
        struct csx_node *x = args->v[i];
        if (x == NULL)
            continue;
        if (x->kind == CSX_LAMBDA) /* an element for a one-parameter lambda only */
            x->type = bind_lambda(b, x, elem < 0 || x->list.n != 1 ? CSXT_DYNAMIC : elem);
        else if (x->kind == CSX_INIT)
            bind_args(b, &x->list, -1);
        else
            x->type = bind_value(b, x);
    }
}

static int bind_is(struct binder *b, struct csx_node *n)
{
    (void)bind_value(b, n->a);
    const struct csx_node *t = n->b;
    bool type_shaped = t != NULL && (t->kind == CSX_TYPE || t->kind == CSX_ARRAY_TYPE ||
                                     t->kind == CSX_NULLABLE || t->kind == CSX_PREDEF);
    int type = type_shaped ? bind_type(b, n->b) : (n->b ? bind_sym(b, n->b).type : CSXT_DYNAMIC);
    if (n->text.len > 0)
        bind_declare(b, n->text, type);
    return CSXT_BOOL;
}

static int bind_out(struct binder *b, struct csx_node *n)
{
    struct csx_node *x = n->a;
    if (x != NULL && x->kind == CSX_DECL) {
        const struct csx_node *t = x->a;
        bool is_var = t != NULL && t->kind == CSX_TYPE && bind_eq(t->text, "var");
        int type = is_var ? CSXT_DYNAMIC : bind_type(b, x->a);
        for (size_t i = 0; i < x->list.n; i++)
            bind_declare(b, x->list.v[i]->text, type);
        return type;
    }
    return x != NULL ? bind_value(b, x) : CSXT_DYNAMIC;
}

static int bind_interp(struct binder *b, struct csx_node *n)
{
    for (size_t i = 0; i < n->list.n; i++) {
        struct csx_node *h = n->list.v[i];
        if (h->kind == CSX_HOLE) {
            h->type = bind_value(b, h->a);
            if (h->b != NULL)
                (void)bind_value(b, h->b);
        }
    }
    return CSXT_STRING;
}

static int bind_operator(struct binder *b, struct csx_node *n)
{
    char op[4] = { 0 };
    if (n->text.len > 0) /* ?: has no operator text */
        memcpy(op, n->text.ptr, n->text.len < 3 ? n->text.len : 3);
    switch (n->kind) {
    case CSX_UNARY:
    case CSX_POSTFIX:
        return unary_type(n->kind == CSX_POSTFIX ? "++" : op, bind_value(b, n->a));
    case CSX_BINARY: {
        int l = bind_value(b, n->a);
        return binary_type(op, l, bind_value(b, n->b));
    }
    case CSX_ASSIGN: {
        int t = bind_value(b, n->a);
        int v = bind_value(b, n->b);
        return op[0] == '=' ? (t == CSXT_DYNAMIC ? v : t) : t;
    }
    case CSX_COND: {
        (void)bind_value(b, n->a);
        int l = bind_value(b, n->b);
        return cond_type(l, bind_value(b, n->c));
    }
    default:
        return CSXT_DYNAMIC;
    }
}

static int bind_conversion(struct binder *b, struct csx_node *n)
{
    switch (n->kind) {
    case CSX_CAST:
        (void)bind_value(b, n->b);
        return bind_type(b, n->a);
    case CSX_AS:
        (void)bind_value(b, n->a);
        return bind_type(b, n->b);
    case CSX_IS:
        return bind_is(b, n);
    case CSX_TYPEOF:
        (void)bind_type(b, n->a);
        return CSXT_DYNAMIC;
    default: /* CSX_DEFAULT */
        return n->a != NULL ? bind_type(b, n->a) : CSXT_DYNAMIC;
    }
}

static int bind_kind(struct binder *b, struct csx_node *n)
{
    switch (n->kind) {
    case CSX_INT:
        return int_type(b, n);
    case CSX_REAL:
        return real_type(n);
    case CSX_STRING:
        return CSXT_STRING;
    case CSX_CHAR:
        return CSXT_CHAR;
    case CSX_TRUE:
    case CSX_FALSE:
        return CSXT_BOOL;
    case CSX_NULL:
        return CSXT_NULL;
    case CSX_INTERP:
        return bind_interp(b, n);
    case CSX_NAME:
    case CSX_MEMBER:
    case CSX_CMEMBER:
    case CSX_PREDEF:
        return bind_sym(b, n).type;
    case CSX_INDEX:
    case CSX_CINDEX:
        return bind_index(b, n);
    case CSX_CALL:
        return bind_call(b, n);
    case CSX_NAMED_ARG:
        return bind_value(b, n->a);
    case CSX_OUT_ARG:
        return bind_out(b, n);
    case CSX_UNARY:
    case CSX_POSTFIX:
    case CSX_BINARY:
    case CSX_ASSIGN:
    case CSX_COND:
        return bind_operator(b, n);
    case CSX_CAST:
    case CSX_AS:
    case CSX_IS:
    case CSX_TYPEOF:
    case CSX_DEFAULT:
        return bind_conversion(b, n);
    case CSX_NEW:
    case CSX_NEW_ARRAY:
    case CSX_NEW_ANON:
        return bind_new(b, n);
    case CSX_LAMBDA:
        return bind_lambda(b, n, CSXT_DYNAMIC);
    case CSX_INIT:
        bind_args(b, &n->list, -1);
        return CSXT_DYNAMIC;
    default:
        return CSXT_DYNAMIC;
    }
}

int bind_expr(struct binder *b, struct csx_node *n)
{
    if (n == NULL)
        return CSXT_DYNAMIC;
    if (++b->depth > BIND_MAX_DEPTH) {
        b->depth--;
        return n->type = CSXT_DYNAMIC;
    }
    n->type = bind_kind(b, n);
    b->depth--;
    return n->type;
}

int bind_value(struct binder *b, struct csx_node *n)
{
    int t = bind_expr(b, n);
    if (t != CSXT_VOID)
        return t;
    const struct csx_node *callee = n->kind == CSX_CALL ? n->a : n;
    bool named = callee->kind == CSX_MEMBER || callee->kind == CSX_CMEMBER;
    struct str name = named ? callee->text : (struct str){ "expression", 10 };
    bind_error(b, DC_CSX_VOID_VALUE, named ? bind_name_loc(callee) : n->loc,
               "'%.*s' returns void: it has no value to use here", STR_FMT(name));
    return n->type = CSXT_DYNAMIC;
}
