/* csx_bind.c - the binder's driver, scopes and statements (csx_bind.h);
 * expressions are in csx_bind_expr.c, members and calls in csx_bind_call.c. */
#include "csx_bind.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csx_bind_int.h"
#include "suggest.h"

struct diag_entry *bind_error(struct binder *b, enum diag_code code, struct loc at, const char *fmt,
                              ...)
{
    b->nerrors++;
    if (b->diag == NULL)
        return NULL;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return diag_emit(b->diag, code, at, "%s", msg);
}

void bind_suggest(struct binder *b, struct diag_entry *e, struct loc at, struct str name,
                  const struct str *cands, size_t n)
{
    const char *hint = e != NULL ? suggest(name, cands, n) : NULL;
    if (hint != NULL)
        diag_note(b->diag, e, at, "did you mean '%s'?", hint);
}

void bind_declare(struct binder *b, struct str name, int type)
{
    if (b->nvars == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        struct bind_var *v = ARENA_ARRAY(b->arena, struct bind_var, cap);
        if (b->nvars > 0)
            memcpy(v, b->vars, b->nvars * sizeof(*v));
        b->vars = v;
        b->cap = cap;
    }
    b->vars[b->nvars++] = (struct bind_var){ name, type };
}

/* Innermost first: a lambda parameter hides an outer local of its name. */
const struct bind_var *bind_lookup(const struct binder *b, struct str name)
{
    for (size_t i = b->nvars; i-- > 0;)
        if (str_eq(b->vars[i].name, name))
            return &b->vars[i];
    return NULL;
}

/* A local declaration: var takes its initializer's type. */
static void bind_decl(struct binder *b, struct csx_node *n)
{
    const struct csx_node *t = n->a;
    bool is_var = t != NULL && t->kind == CSX_TYPE && t->a == NULL && t->targs.n == 0 &&
                  bind_eq(t->text, "var") && bind_lookup(b, t->text) == NULL;
    int type = is_var ? CSXT_DYNAMIC : bind_type(b, n->a);
    for (size_t i = 0; i < n->list.n; i++) {
        struct csx_node *d = n->list.v[i];
        int init = d->a != NULL ? (d->a->kind == CSX_INIT ? (bind_args(b, &d->a->list, -1), type)
                                                          : bind_value(b, d->a))
                                : type;
        d->type = is_var && init != CSXT_NULL ? init : type;
        bind_declare(b, d->text, d->type);
    }
}

static void bind_foreach(struct binder *b, struct csx_node *n)
{
    size_t mark = b->nvars;
    int coll = bind_value(b, n->b);
    const struct csx_node *t = n->a;
    bool is_var = t != NULL && t->kind == CSX_TYPE && t->a == NULL && bind_eq(t->text, "var");
    bind_declare(b, n->text, is_var ? bind_elem(coll) : bind_type(b, n->a));
    bind_stmt(b, n->c);
    b->nvars = mark;
}

static void bind_catch(struct binder *b, struct csx_node *n)
{
    size_t mark = b->nvars;
    int type = n->a != NULL ? bind_type(b, n->a) : CSXT_DYNAMIC;
    if (n->text.len > 0)
        bind_declare(b, n->text, type);
    if (n->c != NULL)
        (void)bind_value(b, n->c);
    bind_stmt(b, n->b);
    b->nvars = mark;
}

static void bind_return(struct binder *b, struct csx_node *n)
{
    int t = n->a != NULL ? bind_value(b, n->a) : CSXT_VOID;
    if (b->lambdas > 0)
        return;
    if (b->ret < 0 || b->ret == CSXT_NULL)
        b->ret = t;
    else if (b->ret != t && t != CSXT_NULL)
        b->ret = CSXT_DYNAMIC;
}

/* A local function: its name is a local (declared before the block's
 * statements, so it may be called before it is written), its body binds
 * with its parameters. */
static void bind_function(struct binder *b, struct csx_node *n)
{
    size_t mark = b->nvars;
    b->lambdas++;
    for (size_t i = 0; i < n->list.n; i++) {
        struct csx_node *p = n->list.v[i];
        bind_declare(b, p->text, p->a != NULL ? bind_type(b, p->a) : CSXT_DYNAMIC);
    }
    if (n->b != NULL && n->b->kind == CSX_BLOCK)
        bind_stmt(b, n->b);
    else if (n->b != NULL)
        (void)bind_expr(b, n->b);
    b->lambdas--;
    b->nvars = mark;
}

static void bind_switch(struct binder *b, struct csx_node *n)
{
    (void)bind_value(b, n->a);
    size_t mark = b->nvars; /* one scope for the whole switch block, as C# */
    for (size_t i = 0; i < n->list.n; i++) {
        struct csx_node *s = n->list.v[i];
        for (size_t k = 0; k < s->list.n; k++)
            if (s->list.v[k] != NULL)
                (void)bind_value(b, s->list.v[k]);
        if (s->a != NULL)
            bind_block_body(b, s->a);
    }
    b->nvars = mark;
}

/* The statements of a block in the current scope; local functions first. */
void bind_block_body(struct binder *b, struct csx_node *body)
{
    for (size_t i = 0; i < body->list.n; i++)
        if (body->list.v[i] != NULL && body->list.v[i]->kind == CSX_LOCAL_FUNC)
            bind_declare(b, body->list.v[i]->text, CSXT_DYNAMIC);
    for (size_t i = 0; i < body->list.n; i++)
        bind_stmt(b, body->list.v[i]);
}

static void bind_loop(struct binder *b, struct csx_node *n)
{
    size_t mark = b->nvars;
    if (n->kind == CSX_FOR) {
        if (n->a != NULL)
            bind_stmt(b, n->a);
        if (n->b != NULL)
            (void)bind_value(b, n->b);
        if (n->c != NULL)
            bind_stmt(b, n->c);
        bind_stmt(b, n->d);
    } else if (n->kind == CSX_WHILE) {
        (void)bind_value(b, n->a);
        bind_stmt(b, n->b);
    } else {
        bind_stmt(b, n->a);
        (void)bind_value(b, n->b);
    }
    b->nvars = mark;
}

static void bind_compound(struct binder *b, struct csx_node *n)
{
    size_t mark = b->nvars;
    switch (n->kind) {
    case CSX_BLOCK:
        bind_block_body(b, n);
        break;
    case CSX_TRY:
        bind_stmt(b, n->a);
        for (size_t i = 0; i < n->list.n; i++)
            bind_catch(b, n->list.v[i]);
        if (n->b != NULL)
            bind_stmt(b, n->b);
        break;
    case CSX_USING:
        if (n->a != NULL && n->a->kind == CSX_DECL)
            bind_decl(b, n->a);
        else if (n->a != NULL)
            (void)bind_expr(b, n->a);
        bind_stmt(b, n->b);
        break;
    default: /* CSX_CHECKED */
        if (n->a != NULL && n->a->kind == CSX_BLOCK)
            bind_stmt(b, n->a);
        else if (n->a != NULL)
            (void)bind_value(b, n->a);
        break;
    }
    b->nvars = mark;
}

void bind_stmt(struct binder *b, struct csx_node *n)
{
    if (n == NULL)
        return;
    switch (n->kind) {
    case CSX_BLOCK:
    case CSX_TRY:
    case CSX_USING:
    case CSX_CHECKED:
        bind_compound(b, n);
        break;
    case CSX_DECL:
        bind_decl(b, n);
        break;
    case CSX_EXPR_STMT:
        (void)bind_expr(b, n->a);
        break;
    case CSX_EXPR_LIST:
        for (size_t i = 0; i < n->list.n; i++)
            (void)bind_expr(b, n->list.v[i]);
        break;
    case CSX_IF:
        (void)bind_value(b, n->a);
        bind_stmt(b, n->b);
        bind_stmt(b, n->c);
        break;
    case CSX_WHILE:
    case CSX_DO:
    case CSX_FOR:
        bind_loop(b, n);
        break;
    case CSX_FOREACH:
        bind_foreach(b, n);
        break;
    case CSX_RETURN:
        bind_return(b, n);
        break;
    case CSX_THROW:
        if (n->a != NULL)
            (void)bind_value(b, n->a);
        break;
    case CSX_LOCAL_FUNC:
        bind_function(b, n);
        break;
    case CSX_SWITCH:
        bind_switch(b, n);
        break;
    default: /* break, continue, ';' */
        break;
    }
}

/* ---- every path ends in return ----------------------------------------- */

static bool ends(const struct csx_node *n);

/* Does a break inside n leave n's enclosing loop or switch (not one nested
 * in n)? */
static bool breaks(const struct csx_node *n)
{
    if (n == NULL)
        return false;
    switch (n->kind) {
    case CSX_BREAK:
        return true;
    case CSX_WHILE:
    case CSX_DO:
    case CSX_FOR:
    case CSX_FOREACH:
    case CSX_SWITCH:
    case CSX_LAMBDA:
    case CSX_LOCAL_FUNC:
        return false;
    case CSX_BLOCK:
        for (size_t i = 0; i < n->list.n; i++)
            if (breaks(n->list.v[i]))
                return true;
        return false;
    case CSX_TRY:
        for (size_t i = 0; i < n->list.n; i++)
            if (breaks(n->list.v[i]->b))
                return true;
        return breaks(n->a) || breaks(n->b);
    case CSX_IF:
        return breaks(n->b) || breaks(n->c);
    case CSX_USING:
        return breaks(n->b);
    case CSX_CHECKED:
        return breaks(n->a);
    default:
        return false;
    }
}

static bool const_true(const struct csx_node *n)
{
    return n == NULL || n->kind == CSX_TRUE;
}

static bool switch_ends(const struct csx_node *n)
{
    bool has_default = false;
    for (size_t i = 0; i < n->list.n; i++) {
        const struct csx_node *s = n->list.v[i];
        for (size_t k = 0; k < s->list.n; k++)
            has_default |= s->list.v[k] == NULL;
        if (breaks(s->a) || !ends(s->a))
            return false;
    }
    return has_default;
}

static bool try_ends(const struct csx_node *n)
{
    if (n->b != NULL && ends(n->b))
        return true;
    if (!ends(n->a))
        return false;
    for (size_t i = 0; i < n->list.n; i++)
        if (!ends(n->list.v[i]->b))
            return false;
    return true;
}

/* Does n never complete normally (C#'s reachability, constants aside from
 * a literal true condition)? */
static bool ends(const struct csx_node *n)
{
    if (n == NULL)
        return false;
    switch (n->kind) {
    case CSX_RETURN:
    case CSX_THROW:
        return true;
    case CSX_BLOCK:
        for (size_t i = 0; i < n->list.n; i++)
            if (ends(n->list.v[i]))
                return true;
        return false;
    case CSX_IF:
        return n->c != NULL && ends(n->b) && ends(n->c);
    case CSX_WHILE:
        return n->a->kind == CSX_TRUE && !breaks(n->b);
    case CSX_FOR:
        return const_true(n->b) && !breaks(n->d);
    case CSX_DO:
        return ends(n->a) && !breaks(n->a);
    case CSX_TRY:
        return try_ends(n);
    case CSX_USING:
        return ends(n->b);
    case CSX_CHECKED:
        return ends(n->a);
    case CSX_SWITCH:
        return switch_ends(n);
    default:
        return false;
    }
}

/* ---- the driver ------------------------------------------------------------ */

static void check_variable(struct binder *b, const struct csx_node *root, int type)
{
    if (csx_bind_variable_type_ok(type))
        return;
    bind_error(b, DC_CSX_VARIABLE_TYPE, root->loc,
               "set-variable cannot store a value of type '%s': a variable holds a boolean, "
               "number, char, string, byte[], Guid, DateTime, TimeSpan or JSON value",
               csx_bind_type_name(type));
}

static int bind_root_block(struct binder *b, struct csx_node *root)
{
    bind_stmt(b, root);
    if (!ends(root)) {
        struct loc at = root->loc;
        at.start = at.end > at.start ? at.end - 1 : at.start;
        bind_error(b, DC_CSX_NO_RETURN, at,
                   "not every code path of the @{...} block ends in a return statement");
    }
    return b->ret < 0 ? CSXT_DYNAMIC : b->ret;
}

unsigned csx_bind(struct arena *a, struct diag *d, struct csx_node *root,
                  const struct csx_bind_opts *opts)
{
    static const struct csx_bind_opts none = { 0 };
    struct binder b = { .arena = a, .diag = d, .opts = opts ? opts : &none, .ret = -1 };
    if (root == NULL)
        return 0;
    int type = root->kind == CSX_BLOCK ? bind_root_block(&b, root) : bind_value(&b, root);
    root->type = type;
    if (b.opts->variable && b.nerrors == 0)
        check_variable(&b, root, type);
    return b.nerrors;
}
