/* csx_int.h - what the lexer (csx_lex.l), the grammar (csx_parse.y) and the
 * tree builders (csx_ast.c, csx_scan.c) share. Not for other modules. */
#ifndef APIM_COMPILER_CSX_CSX_INT_H
#define APIM_COMPILER_CSX_CSX_INT_H

#include <stdbool.h>

#include "apim_limits.h"
#include "csx.h"

/* One open interpolation hole ({expr} inside $"..."): the brackets opened
 * in it, so its '}' and its format ':' are told from the code's own. */
struct csx_hole {
    unsigned depth;
};

#define CSX_TOK_TARGS_CLOSE (-2)

struct csx_ctx {
    struct arena *arena;
    struct diag *diag;
    struct loc base;  /* offset 0 of text */
    const char *text; /* the expression, '@' first */
    size_t len;
    size_t pos;          /* lexer position */
    size_t glt_at;       /* offset of a '<' that opens type arguments, or SIZE_MAX */
    unsigned targ_depth; /* open type-argument lists: '>' closes one */
    unsigned depth;      /* open brackets of every kind */
    struct csx_hole holes[APIM_MAX_CSX_DEPTH];
    unsigned nholes;
    int prev;          /* the token returned last (CSX_TOK_TARGS_CLOSE: a '>' closing type
                        * arguments) */
    bool closed_targs; /* the '>' being returned closes type arguments */
    bool quiet;        /* the lexer reported the error the parser is about to */
    unsigned nerrors;
    bool too_many;
    struct csx_node *root;
};

/* Half-open [start, end) of text as a location in the caller's source. */
struct loc csx_loc(const struct csx_ctx *c, size_t start, size_t end);

/* Records an error (at most APIM_MAX_ERRORS_PER_FILE per expression). */
void csx_error(struct csx_ctx *c, enum diag_code code, struct loc at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- tree constructors (csx_ast.c) ---- */
struct csx_node *csx_new(struct csx_ctx *c, enum csx_kind k, struct loc at);
struct csx_node *csx_new2(struct csx_ctx *c, enum csx_kind k, struct loc at, struct csx_node *a,
                          struct csx_node *b);
struct csx_node *csx_new_op(struct csx_ctx *c, enum csx_kind k, struct loc at, const char *op,
                            struct csx_node *a, struct csx_node *b);
struct csx_node *csx_new_text(struct csx_ctx *c, enum csx_kind k, struct loc at, struct str text);
struct csx_node *csx_with_list(struct csx_node *n, struct csx_list l);
struct csx_node *csx_with_targs(struct csx_node *n, struct csx_list l);
struct csx_node *csx_with_text(struct csx_node *n, struct str text);
struct csx_node *csx_with_c(struct csx_node *n, struct csx_node *c, struct csx_node *d);
struct csx_list csx_list_add(struct csx_ctx *c, struct csx_list l, struct csx_node *n);
/* Adds a piece of an interpolated string's text, joined to the one before. */
struct csx_list csx_interp_text(struct csx_ctx *c, struct csx_list l, struct csx_node *text);
struct csx_list csx_list1(struct csx_ctx *c, struct csx_node *n);
/* The member named by name (a CSX_NAME token) of obj, generic or not. */
struct csx_node *csx_new_member(struct csx_ctx *c, enum csx_kind k, struct loc at,
                                struct csx_node *obj, struct csx_node *name);
/* An assignment, once its target is known to be a variable. */
struct csx_node *csx_new_assign(struct csx_ctx *c, struct loc at, const char *op,
                                struct csx_node *target, struct csx_node *value);
/* The type an expression spells (declarations parse their type as an
 * expression: List<string> x, string[] y), or a reported error. */
struct csx_node *csx_as_type(struct csx_ctx *c, struct csx_node *e);
/* A declaration statement: type-as-expression and its declarators. */
struct csx_node *csx_new_decl(struct csx_ctx *c, struct loc at, struct csx_node *type,
                              struct csx_list declarators);
/* A lambda's parameters, each a CSX_NAME (from the lambda's '(' ... ')'). */
struct csx_node *csx_new_lambda(struct csx_ctx *c, struct loc at, struct csx_list params,
                                struct csx_node *body);
/* A local function: int f(int a) { ... } (C# 7). */
struct csx_node *csx_new_function(struct csx_ctx *c, struct loc at, struct csx_node *ret,
                                  struct csx_node *name, struct csx_list params,
                                  struct csx_node *body);
/* "using System.Text;": reported, an error node. */
struct csx_node *csx_using_directive(struct csx_ctx *c, struct loc at);
/* An array type: elem followed by one rank "[]" or "[,]". */
struct csx_node *csx_new_array_type(struct csx_ctx *c, struct loc at, struct csx_node *elem,
                                    unsigned commas);

/* ---- look-ahead over the raw text (csx_scan.c) ----
 * C# decides three ambiguities by looking past the current token (C# spec,
 * "Grammar ambiguities" and "Cast expressions"); the lexer asks these and
 * hands the grammar a distinct token, which keeps it LALR(1). */
/* Does '(' at off start a lambda's parameter list: (a, b) => ...? */
bool csx_scan_lambda(const struct csx_ctx *c, size_t off);
/* Does '(' at off start a cast: (Type)x? */
bool csx_scan_cast(const struct csx_ctx *c, size_t off);
/* Does '<' at off open a type-argument list: As<JObject>()? */
bool csx_scan_targs(const struct csx_ctx *c, size_t off);

#endif
