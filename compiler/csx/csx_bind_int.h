/* csx_bind_int.h - what the binder's files (csx_bind.c: scopes and
 * statements, csx_bind_expr.c: expressions, csx_bind_call.c: members and
 * calls, csx_bind_names.c: type names) share. Not for other modules. */
#ifndef APIM_COMPILER_CSX_CSX_BIND_INT_H
#define APIM_COMPILER_CSX_CSX_BIND_INT_H

#include "csx_bind.h"
#include "csx_table.h"

struct bind_var {
    struct str name;
    int type;
};

struct binder {
    struct arena *arena;
    struct diag *diag; /* NULL: count only */
    const struct csx_bind_opts *opts;
    struct bind_var *vars; /* the locals in scope, innermost last */
    size_t nvars, cap;
    unsigned nerrors;
    unsigned depth;   /* of the recursion: past a cap the rest is left dynamic */
    unsigned lambdas; /* open lambdas and local functions: their returns are theirs */
    int ret;          /* the common type of the block's returns; -1: none yet */
};

/* What a name or member access denotes. */
enum sym_kind {
    SYM_VALUE,
    SYM_TYPE,
    SYM_NS, /* a namespace (System, System.Text) */
};

struct sym {
    enum sym_kind kind;
    int type;
};

/* Type names (csx_bind_names.c). */
enum type_name {
    TN_UNKNOWN,
    TN_KNOWN,  /* a type of the table (or a C# alias of one) */
    TN_OPEN,   /* allowed by API Management, not modelled: dynamic */
    TN_DENIED, /* a .NET type API Management does not allow */
};

bool bind_eq(struct str s, const char *c);
enum type_name bind_type_name(struct str name, int *type);
bool bind_namespace_root(struct str name);
/* Is ns (System.IO.Compression) a namespace API Management allows nothing
 * of (System.IO, System.Reflection, ...), or inside one? */
bool bind_denied_namespace(struct str ns);
/* The names a misspelt name may have meant: the table's types. */
size_t bind_type_names(const struct str **v);

/* Errors: counted, recorded when there is a diag; the entry or NULL. */
struct diag_entry *bind_error(struct binder *b, enum diag_code code, struct loc at, const char *fmt,
                              ...) __attribute__((format(printf, 4, 5)));
void bind_suggest(struct binder *b, struct diag_entry *e, struct loc at, struct str name,
                  const struct str *cands, size_t n);

/* Scopes (csx_bind.c). */
void bind_declare(struct binder *b, struct str name, int type);
const struct bind_var *bind_lookup(const struct binder *b, struct str name);
void bind_stmt(struct binder *b, struct csx_node *n);
void bind_block_body(struct binder *b, struct csx_node *body);

/* Expressions (csx_bind_expr.c). */
int bind_value(struct binder *b, struct csx_node *n); /* void reported */
int bind_expr(struct binder *b, struct csx_node *n);  /* void allowed (a statement) */
struct sym bind_sym(struct binder *b, struct csx_node *n);
struct sym bind_receiver(struct binder *b, struct csx_node *n); /* before a '.' */
int bind_type(struct binder *b, struct csx_node *n);            /* a type as written */
int bind_elem(int type);                                        /* what foreach yields */
struct loc bind_name_loc(const struct csx_node *n);             /* a member's name */

/* Members and calls (csx_bind_call.c). */
int bind_member(struct binder *b, struct csx_node *n, struct sym recv);
int bind_call(struct binder *b, struct csx_node *n);
int bind_index(struct binder *b, struct csx_node *n);
int bind_new(struct binder *b, struct csx_node *n);
void bind_args(struct binder *b, const struct csx_list *args, int elem);

#endif
