/* csx.h - the C# policy-expression front end: @(...) and @{...} to a syntax tree.
 *
 * API Management policies embed C# (a subset of C# 7, see docs/expressions.md):
 * a single expression "@(expr)" or a block "@{ statements }" whose paths end in
 * return. csx_parse reads one of them (the whole text, '@' included) into a
 * located syntax tree; nothing is resolved: names and types are csx_bind's
 * (csx_bind.h, which fills the type and member fields), bytecode a later
 * pass's.
 *
 * Locations: the text is addressed by byte offsets from its first byte ('@');
 * every node and diagnostic is located at base.start + offset in base.src, so
 * a caller holding the expression's place in the policy text passes that.
 * Ownership: nodes and their strings live in the given arena; text is
 * borrowed during the call only (literal values are copied, decoded).
 * Errors: syntax errors are recorded in the diag (APIM8001..APIM8008),
 * independent ones in a block each once, located inside the expression;
 * csx_parse then returns NULL (d may be NULL: a silent check, errors only
 * counted). Input size and nesting are capped
 * (APIM_MAX_EXPR_LENGTH, APIM_MAX_CSX_DEPTH): never a crash or a hang.
 */
#ifndef APIM_COMPILER_CSX_CSX_H
#define APIM_COMPILER_CSX_CSX_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"

/* X(kind, s-expression head). The comment says which fields a kind uses:
 * text, the children a..d and list (in order); targs is for NAME and
 * MEMBER (a generic name: As<JObject>) and TYPE. */
#define CSX_NODE_KINDS(X)                                                                          \
    X(CSX_NAME, "name")     /* text: identifier; targs */                                          \
    X(CSX_PREDEF, "predef") /* text: string, int, bool... used as a value or a type */             \
    X(CSX_INT, "int")       /* text: as written, suffix included */                                \
    X(CSX_REAL, "real")     /* text: as written */                                                 \
    X(CSX_STRING, "string") /* text: decoded */                                                    \
    X(CSX_CHAR, "char")     /* text: decoded (UTF-8) */                                            \
    X(CSX_TRUE, "true")                                                                            \
    X(CSX_FALSE, "false")                                                                          \
    X(CSX_NULL, "null")                                                                            \
    X(CSX_THIS, "this")                                                                            \
    X(CSX_INTERP, "$")            /* list: CSX_STRING pieces and CSX_HOLE */                       \
    X(CSX_HOLE, "hole")           /* a: value, b: alignment or NULL, text: format */               \
    X(CSX_MEMBER, ".")            /* a: object, text: member; targs */                             \
    X(CSX_CMEMBER, "?.")          /* a: object, text: member; targs */                             \
    X(CSX_INDEX, "[]")            /* a: object, list: indexes (none: an array type) */             \
    X(CSX_CINDEX, "?[]")          /* a: object, list: indexes */                                   \
    X(CSX_CALL, "call")           /* a: callee, list: arguments */                                 \
    X(CSX_NAMED_ARG, ":")         /* text: parameter name, a: value */                             \
    X(CSX_OUT_ARG, "out")         /* a: variable, or CSX_DECL of one (out var x) */                \
    X(CSX_UNARY, "unary")         /* text: operator, a: operand */                                 \
    X(CSX_POSTFIX, "postfix")     /* text: ++ or --, a: operand */                                 \
    X(CSX_BINARY, "binary")       /* text: operator (?? included), a, b */                         \
    X(CSX_ASSIGN, "assign")       /* text: = or a compound operator, a: target, b: value */        \
    X(CSX_COND, "?")              /* a ? b : c */                                                  \
    X(CSX_CAST, "cast")           /* a: type, b: value */                                          \
    X(CSX_AS, "as")               /* a: value, b: type */                                          \
    X(CSX_IS, "is")               /* a: value, b: type or constant, text: declared name */         \
    X(CSX_TYPEOF, "typeof")       /* a: type */                                                    \
    X(CSX_DEFAULT, "default")     /* a: type */                                                    \
    X(CSX_NEW, "new")             /* a: type, list: arguments, b: CSX_INIT or NULL */              \
    X(CSX_NEW_ARRAY, "new-array") /* a: array type or NULL (new[]), list: sizes, b: CSX_INIT */    \
    X(CSX_NEW_ANON, "new-anon")   /* b: CSX_INIT of name = value members */                        \
    X(CSX_INIT, "init")           /* list: elements, assignments (to [index] too), CSX_INIT */     \
    X(CSX_LAMBDA, "=>")           /* list: parameters (CSX_NAME), a: expression or CSX_BLOCK */    \
    X(CSX_TYPE, "type")           /* text: name, a: qualifier type or NULL; targs */               \
    X(CSX_ARRAY_TYPE, "array")    /* a: element type, text: rank "[]" or "[,]" */                  \
    X(CSX_NULLABLE, "nullable")   /* a: type */                                                    \
    X(CSX_BLOCK, "block")         /* list: statements */                                           \
    X(CSX_DECL, "decl")       /* a: type (var is a CSX_TYPE), list: CSX_DECLARATOR, text: const */ \
    X(CSX_DECLARATOR, "var")  /* text: name, a: initial value or NULL */                           \
    X(CSX_EXPR_STMT, "expr")  /* a: expression */                                                  \
    X(CSX_EXPR_LIST, "exprs") /* list: expressions (for-loop parts) */                             \
    X(CSX_EMPTY, ";")                                                                              \
    X(CSX_IF, "if")           /* a: condition, b: then, c: else or NULL */                         \
    X(CSX_WHILE, "while")     /* a: condition, b: body */                                          \
    X(CSX_DO, "do")           /* a: body, b: condition */                                          \
    X(CSX_FOR, "for")         /* a: init, b: condition, c: iterator, d: body (any NULL) */         \
    X(CSX_FOREACH, "foreach") /* a: type, text: variable, b: collection, c: body */                \
    X(CSX_RETURN, "return")   /* a: value or NULL */                                               \
    X(CSX_BREAK, "break")                                                                          \
    X(CSX_CONTINUE, "continue")                                                                    \
    X(CSX_THROW, "throw")         /* a: value or NULL (rethrow) */                                 \
    X(CSX_TRY, "try")             /* a: block, list: CSX_CATCH, b: finally block or NULL */        \
    X(CSX_CATCH, "catch")         /* a: type or NULL, text: variable, b: block, c: filter */       \
    X(CSX_USING, "using")         /* a: resource (CSX_DECL or expression), b: body */              \
    X(CSX_CHECKED, "checked")     /* text: checked or unchecked, a: block or expression */         \
    X(CSX_LOCAL_FUNC, "function") /* text: name, a: return type, list: CSX_PARAM, b: body */       \
    X(CSX_PARAM, "param")         /* text: name, a: type */                                        \
    X(CSX_SWITCH, "switch")       /* a: value, list: CSX_SECTION */                                \
    X(CSX_SECTION, "case")        /* list: labels (NULL entry: default), a: CSX_BLOCK */           \
    X(CSX_ERROR, "error")         /* what a syntax error left (only in a failed parse) */

enum csx_kind {
#define CSX_KIND_ENUM(k, s) k,
    CSX_NODE_KINDS(CSX_KIND_ENUM)
#undef CSX_KIND_ENUM
};

struct csx_list {
    struct csx_node **v;
    size_t n;
};

struct csx_node {
    enum csx_kind kind;
    struct loc loc;
    struct str text;
    struct csx_node *a, *b, *c, *d;
    struct csx_list list;
    struct csx_list targs;
    struct loc name_loc; /* CSX_MEMBER, CSX_CMEMBER: the member's name as written */
    /* Set by csx_bind (csx_bind.h), not by the parser: the static type (an
     * enum csx_type_id, csx_table.h) and the member row the node binds to
     * (an enum csx_member_id, or -1). */
    int type;
    int member;
};

/* Parses one policy expression: text is "@(...)" or "@{...}" exactly (the
 * attribute value or element text, XML entities already decoded). Returns
 * the expression (for @(...)) or a CSX_BLOCK (for @{...}), or NULL after
 * recording the errors in d. */
struct csx_node *csx_parse(struct arena *a, struct diag *d, struct loc base, struct str text);

/* The s-expression head of a kind ("call", "?.", ...). */
const char *csx_kind_name(enum csx_kind k);

/* Appends a compact s-expression of the tree to out: (call (. x Foo) "a" 1).
 * Types are spelled as in C# (List<string>[]). Returns 0, or -1 when out is
 * full. */
int csx_print(const struct csx_node *n, struct buf *out) __attribute__((warn_unused_result));

#endif
