/* csx_bind_call.c - member access, calls, indexers and object creation
 * against the member table (the binder, csx_bind.h).
 *
 * A member is looked up along the receiver's chain: its own rows, then
 * JToken's for the JSON types, then System.Linq.Enumerable's for sequences,
 * then object's. Which receivers are closed (an unknown member is an
 * error): the context model's host types, whose members the "Context
 * variable" table of the Policy expressions page lists, and string (with
 * LINQ through Enumerable, all of whose methods the table lists). Every
 * other type is open: what the table lacks is dynamic, not an error, and so
 * is an argument count its rows do not allow (DateTime.ToString(format,
 * provider) finds object's ToString: the table need not list every
 * overload of a type it does not close). */
#include <stdlib.h>
#include <string.h>

#include "csx_bind_int.h"

#define R_NONE     (-1) /* no member of that name */
#define R_DYNAMIC  (-2) /* a member the table has, used so its type is unknown */
#define R_MISMATCH (-3) /* methods of that name, none taking that many arguments */

enum want {
    W_GET,
    W_CALL,
    W_INDEX,
};

static bool closed(int t, bool is_static)
{
    if (t == CSXT_STRING)
        return true;
    return !is_static && t >= 0 && t < CSXT_COUNT && csx_type_rows[t].kind == CSXK_HOST;
}

static bool sequence(int t)
{
    switch (t) {
    case CSXT_STRING:
    case CSXT_STRINGS:
    case CSXT_BYTES:
    case CSXT_ARRAY:
    case CSXT_HEADERS:
    case CSXT_STRMAP:
    case CSXT_VARIABLES:
    case CSXT_JTOKEN:
    case CSXT_JOBJECT:
    case CSXT_JARRAY:
        return true;
    default:
        return false;
    }
}

/* The types whose rows a member of t may be: t's own first. */
static size_t chain(int t, bool is_static, int out[4])
{
    size_t n = 0;
    out[n++] = t;
    if (is_static)
        return n;
    if (t == CSXT_JOBJECT || t == CSXT_JARRAY || t == CSXT_JPROPERTY || t == CSXT_JVALUE)
        out[n++] = CSXT_JTOKEN;
    if (sequence(t))
        out[n++] = CSXT_ENUMERABLE;
    if (t != CSXT_OBJECT)
        out[n++] = CSXT_OBJECT;
    return n;
}

static bool fits(const struct csx_member_row *r, enum want w, bool *named)
{
    switch (r->kind) {
    case CSXM_PROP:
    case CSXM_SPROP:
        return w == W_GET;
    case CSXM_METHOD:
    case CSXM_EXT:
    case CSXM_SMETHOD:
        *named |= w == W_GET; /* a method group (s.Any(char.IsDigit)) */
        return w == W_CALL;
    case CSXM_INDEX:
        return w == W_INDEX;
    default:
        return false;
    }
}

static int lookup(int recv, bool is_static, struct str name, enum want w, size_t argc, int *mm)
{
    int types[4];
    size_t nt = chain(recv, is_static, types);
    bool named = false;
    *mm = -1;
    for (size_t i = 0; i < nt; i++) {
        size_t first, n = csx_table_find((enum csx_type_id)types[i], name, &first);
        for (size_t k = 0; k < n; k++) {
            enum csx_member_id id = csx_table_at(first + k);
            const struct csx_member_row *r = &csx_member_rows[id];
            if (r->kind == CSXM_CTOR || csx_table_static(r->kind) != is_static)
                continue;
            named = true;
            if (!fits(r, w, &named))
                continue;
            if (w == W_GET || (argc >= r->min_args && argc <= r->max_args))
                return (int)id;
            *mm = *mm < 0 ? (int)id : *mm;
        }
    }
    return *mm >= 0 ? R_MISMATCH : named ? R_DYNAMIC : R_NONE;
}

/* The names of the members of recv's chain, for did-you-mean. */
static size_t member_names(struct binder *b, int recv, bool is_static, struct str **out)
{
    int types[4];
    size_t nt = chain(recv, is_static, types), total = 0, first[4], n[4];
    for (size_t i = 0; i < nt; i++)
        total += n[i] = csx_table_owner((enum csx_type_id)types[i], &first[i]);
    struct str *v = ARENA_ARRAY(b->arena, struct str, total + 1);
    size_t m = 0;
    for (size_t i = 0; i < nt; i++)
        for (size_t k = 0; k < n[i]; k++) {
            const struct csx_member_row *r = &csx_member_rows[csx_table_at(first[i] + k)];
            if (csx_table_static(r->kind) == is_static && r->kind != CSXM_INDEX)
                v[m++] = str_from_cstr(r->name);
        }
    *out = v;
    return m;
}

static void unknown_member(struct binder *b, const struct csx_node *n, int recv, bool is_static)
{
    struct loc at = bind_name_loc(n);
    struct diag_entry *e =
        bind_error(b, DC_CSX_UNKNOWN_MEMBER, at, "'%s' has no %smember '%.*s'",
                   csx_bind_type_name(recv), is_static ? "static " : "", STR_FMT(n->text));
    if (e != NULL) {
        struct str *v;
        size_t nv = member_names(b, recv, is_static, &v);
        bind_suggest(b, e, at, n->text, v, nv);
    }
}

static void wrong_count(struct binder *b, struct loc at, int id, size_t argc)
{
    const struct csx_member_row *r = &csx_member_rows[id];
    if (r->min_args == r->max_args)
        bind_error(b, DC_CSX_ARG_COUNT, at, "'%s.%s' takes %u argument%s, not %zu",
                   csx_bind_type_name((int)r->owner), r->name, r->min_args,
                   r->min_args == 1 ? "" : "s", argc);
    else
        bind_error(b, DC_CSX_ARG_COUNT, at, "'%s.%s' takes %u to %u arguments, not %zu",
                   csx_bind_type_name((int)r->owner), r->name, r->min_args, r->max_args, argc);
}

static int targ0(const struct csx_node *member)
{
    return member != NULL && member->targs.n > 0 ? member->targs.v[0]->type : -1;
}

static int arg_type(const struct csx_list *args, size_t i)
{
    int t = args != NULL && args->n > i && args->v[i] != NULL ? args->v[i]->type : CSXT_DYNAMIC;
    return t == CSXT_NULL || t == CSXT_VOID ? CSXT_DYNAMIC : t;
}

/* The row's result rule applied (csx_members.def's header). */
static int result(int id, int recv, const struct csx_node *member, const struct csx_list *args)
{
    int t = targ0(member);
    switch (csx_member_rows[id].result) {
    case CSXT_TARG0:
        return t >= 0 ? t : CSXT_DYNAMIC;
    case CSXT_ARG1:
        return arg_type(args, 1);
    case CSXT_TARG0_OR_ARG1:
        return t >= 0 ? t : args != NULL && args->n > 1 ? arg_type(args, 1) : CSXT_OBJECT;
    case CSXT_ELEM:
        return bind_elem(recv);
    case CSXT_SELF:
        return recv;
    default:
        return (int)csx_member_rows[id].result;
    }
}

/* The receiver is void: a call of a void method is not a value. */
static bool void_receiver(struct binder *b, const struct csx_node *n, struct sym recv)
{
    if (recv.kind != SYM_VALUE || recv.type != CSXT_VOID)
        return false;
    bind_error(b, DC_CSX_VOID_VALUE, n->a->loc, "this call returns void: it has no '%.*s'",
               STR_FMT(n->text));
    return true;
}

/* n: a member access or the callee of a call (args non-NULL). */
static int resolve(struct binder *b, struct csx_node *n, struct sym recv,
                   const struct csx_list *args)
{
    for (size_t i = 0; i < n->targs.n; i++)
        (void)bind_type(b, n->targs.v[i]);
    if (void_receiver(b, n, recv) || recv.type == CSXT_DYNAMIC || recv.type == CSXT_NULL ||
        recv.kind == SYM_NS)
        return CSXT_DYNAMIC;
    bool is_static = recv.kind == SYM_TYPE;
    int mm,
        id = lookup(recv.type, is_static, n->text, args ? W_CALL : W_GET, args ? args->n : 0, &mm);
    if (id == R_MISMATCH && !closed(recv.type, is_static))
        id = R_DYNAMIC; /* an open type may have overloads the table lacks */
    if (id == R_MISMATCH)
        wrong_count(b, bind_name_loc(n), mm, args->n);
    else if (id == R_NONE && closed(recv.type, is_static))
        unknown_member(b, n, recv.type, is_static);
    if (id < 0)
        return CSXT_DYNAMIC;
    n->member = id;
    return result(id, recv.type, n, args);
}

int bind_member(struct binder *b, struct csx_node *n, struct sym recv)
{
    return n->type = resolve(b, n, recv, NULL);
}

/* Sequence methods whose one-parameter lambdas take an element (Where,
 * Select...): not Aggregate (an accumulator), Join or Zip (another
 * sequence's elements). Sorted, for bsearch. */
static const char *const elem_lambdas[] = {
    "All",
    "Any",
    "Average",
    "Count",
    "First",
    "FirstOrDefault",
    "GroupBy",
    "Last",
    "LastOrDefault",
    "Max",
    "Min",
    "OrderBy",
    "OrderByDescending",
    "Select",
    "SelectMany",
    "Single",
    "SingleOrDefault",
    "SkipWhile",
    "Sum",
    "TakeWhile",
    "ThenBy",
    "ThenByDescending",
    "ToDictionary",
    "ToLookup",
    "Where",
};

static int cmp_name(const void *key, const void *elem)
{
    const struct str *k = key;
    const char *e = *(const char *const *)elem;
    size_t n = strlen(e);
    int c = strncmp(k->ptr, e, k->len < n ? k->len : n);
    return c != 0 ? c : k->len == n ? 0 : k->len < n ? -1 : 1;
}

/* The type of a lambda argument's single parameter in a call of name on
 * recv, or -1 (dynamic). */
static int lambda_elem(struct sym recv, struct str name)
{
    if (recv.kind != SYM_VALUE || bind_elem(recv.type) == CSXT_DYNAMIC)
        return -1;
    bool found = bsearch(&name, elem_lambdas, sizeof(elem_lambdas) / sizeof(elem_lambdas[0]),
                         sizeof(elem_lambdas[0]), cmp_name) != NULL;
    return found ? bind_elem(recv.type) : -1;
}

int bind_call(struct binder *b, struct csx_node *n)
{
    struct csx_node *callee = n->a;
    if (callee->kind == CSX_MEMBER || callee->kind == CSX_CMEMBER) {
        struct sym recv = bind_receiver(b, callee->a);
        bind_args(b, &n->list, lambda_elem(recv, callee->text));
        callee->type = resolve(b, callee, recv, &n->list);
        n->member = callee->member;
        return callee->type;
    }
    if (callee->kind == CSX_NAME && bind_eq(callee->text, "nameof") &&
        bind_lookup(b, callee->text) == NULL)
        return CSXT_STRING; /* its argument is a name, not a value */
    (void)bind_expr(b, callee);
    bind_args(b, &n->list, -1);
    return CSXT_DYNAMIC;
}

int bind_index(struct binder *b, struct csx_node *n)
{
    struct sym recv = n->a != NULL ? bind_sym(b, n->a) : (struct sym){ SYM_VALUE, CSXT_DYNAMIC };
    bind_args(b, &n->list, -1);
    if (recv.kind != SYM_VALUE || n->list.n == 0 || recv.type == CSXT_DYNAMIC ||
        recv.type == CSXT_NULL)
        return CSXT_DYNAMIC;
    int mm, id = lookup(recv.type, false, (struct str){ "[]", 2 }, W_INDEX, n->list.n, &mm);
    if (id == R_MISMATCH && !closed(recv.type, false))
        id = R_DYNAMIC;
    if (id == R_MISMATCH)
        wrong_count(b, n->loc, mm, n->list.n);
    else if (id == R_NONE && closed(recv.type, false))
        bind_error(b, DC_CSX_UNKNOWN_MEMBER, n->loc, "'%s' has no indexer",
                   csx_bind_type_name(recv.type));
    if (id < 0)
        return CSXT_DYNAMIC;
    n->member = id;
    return result(id, recv.type, NULL, &n->list);
}

/* An object or collection initializer: { Name = v }, { [k] = v }, { a, b }. */
static void bind_init(struct binder *b, struct csx_node *init)
{
    for (size_t i = 0; init != NULL && i < init->list.n; i++) {
        struct csx_node *x = init->list.v[i];
        if (x == NULL)
            continue;
        if (x->kind == CSX_ASSIGN && x->a != NULL && x->a->kind == CSX_NAME) {
            x->type = bind_value(b, x->b); /* the name is the new object's member */
        } else if (x->kind == CSX_ASSIGN && x->a != NULL && x->a->kind == CSX_INDEX &&
                   x->a->a == NULL) {
            bind_args(b, &x->a->list, -1);
            x->type = bind_value(b, x->b);
        } else if (x->kind == CSX_INIT) {
            bind_init(b, x);
        } else {
            x->type = bind_value(b, x);
        }
    }
}

static void check_ctor(struct binder *b, const struct csx_node *n, int type)
{
    size_t first, rows = csx_table_find((enum csx_type_id)type, (struct str){ ".ctor", 5 }, &first);
    for (size_t k = 0; k < rows; k++) {
        const struct csx_member_row *r = &csx_member_rows[csx_table_at(first + k)];
        if (n->list.n >= r->min_args && n->list.n <= r->max_args)
            return;
    }
    if (rows > 0)
        wrong_count(b, n->a->loc, (int)csx_table_at(first), n->list.n);
}

static int array_init_type(const struct csx_node *init)
{
    if (init == NULL || init->list.n == 0)
        return CSXT_DYNAMIC;
    for (size_t i = 0; i < init->list.n; i++)
        if (init->list.v[i] == NULL || init->list.v[i]->type != CSXT_STRING)
            return CSXT_DYNAMIC;
    return CSXT_STRINGS;
}

int bind_new(struct binder *b, struct csx_node *n)
{
    if (n->kind == CSX_NEW_ANON) {
        bind_init(b, n->b);
        return CSXT_DYNAMIC;
    }
    if (n->kind == CSX_NEW_ARRAY) {
        int t = n->a != NULL ? bind_type(b, n->a) : CSXT_DYNAMIC;
        bind_args(b, &n->list, -1);
        bind_init(b, n->b);
        return n->a != NULL ? t : array_init_type(n->b);
    }
    int t = bind_type(b, n->a);
    bind_args(b, &n->list, -1);
    bind_init(b, n->b);
    if (closed(t, true))
        check_ctor(b, n, t);
    return t;
}
