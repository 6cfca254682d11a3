/* arm_expr.h - the language inside ARM template strings: "[concat('a', parameters('b'))]".
 *
 * arm_expr_parse turns the text between the brackets into a tree whose
 * locations point into the template file, inside the JSON string (escapes
 * accounted for), so an error names the exact call that is wrong.
 * Ownership: nodes live in the given arena.
 * Errors: syntax errors are recorded in the diag; the parse returns NULL.
 */
#ifndef APIM_COMPILER_ARM_EXPR_H
#define APIM_COMPILER_ARM_EXPR_H

#include <stdint.h>

#include "jval.h"

enum arm_expr_kind {
    ARM_E_CALL,   /* name(args) or ns.name(args) */
    ARM_E_STRING, /* 'text' with '' for a quote */
    ARM_E_INT,
    ARM_E_BOOL,
    ARM_E_NULL,
    ARM_E_MEMBER, /* obj.name */
    ARM_E_INDEX   /* obj[index] */
};

struct arm_expr {
    enum arm_expr_kind kind;
    struct loc loc;
    struct str name;      /* function or member name; string literal text */
    struct str ns;        /* user function namespace, or empty */
    struct loc name_loc;  /* the function or member name alone */
    int64_t i;            /* ARM_E_INT; ARM_E_BOOL uses 0/1 */
    struct arm_expr *obj; /* MEMBER, INDEX */
    struct arm_expr *index;
    struct arm_expr **args;
    size_t nargs;
};

/* How a template string is to be read. */
enum arm_string_form {
    ARM_LITERAL,   /* plain text */
    ARM_ESCAPED,   /* "[[...]": a literal that starts with '[' */
    ARM_EXPRESSION /* "[...]" */
};

/* Classifies s the way ARM does: an expression only if it starts with '['
 * and ends with ']'; "[[" escapes the bracket. */
enum arm_string_form arm_string_form(struct str s);

/* Parses the expression in the literal or computed string node str (whose
 * text is "[...]"). Returns NULL after reporting a syntax error. */
struct arm_expr *arm_expr_parse(struct arena *a, struct diag *d, const struct jval *str);

/* ---- used by the grammar (arm_expr.y) ---- */

struct arm_parse_ctx {
    struct arena *arena;
    struct diag *diag;
    const struct jval *str; /* the JSON string holding the expression */
    uint32_t *offsets;      /* decoded byte -> source offset, if escaped */
    const char *text;       /* the decoded string */
    size_t len;
    size_t pos; /* lexer position in text */
    unsigned depth;
    struct arm_expr *root;
    bool failed;
};

struct arm_arglist {
    struct arm_expr **v;
    size_t n, cap;
};

struct loc arm_text_loc(const struct arm_parse_ctx *c, size_t start, size_t end);
struct arm_expr *arm_new_literal(struct arm_parse_ctx *c, enum arm_expr_kind k, struct loc at);
struct arm_expr *arm_new_call(struct arm_parse_ctx *c, struct loc at, const struct arm_expr *ns,
                              const struct arm_expr *name, struct arm_arglist args);
struct arm_expr *arm_new_member(struct arm_parse_ctx *c, struct loc at, struct arm_expr *obj,
                                const struct arm_expr *name);
struct arm_expr *arm_new_index(struct arm_parse_ctx *c, struct loc at, struct arm_expr *obj,
                               struct arm_expr *index);
struct arm_arglist arm_args_add(struct arm_parse_ctx *c, struct arm_arglist l, struct arm_expr *e);
void arm_parse_error(struct arm_parse_ctx *c, struct loc at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
