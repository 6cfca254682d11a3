#include "arm_expr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "apim_limits.h"
#include "arm_expr.tab.h"

typedef void *yyscan_t;
int arm_yylex_init_extra(struct arm_parse_ctx *extra, yyscan_t *scanner);
int arm_yylex_destroy(yyscan_t scanner);
struct yy_buffer_state *arm_yy_scan_bytes(const char *bytes, int len, yyscan_t scanner);

enum arm_string_form arm_string_form(struct str s)
{
    if (s.len < 2 || s.ptr[0] != '[' || s.ptr[s.len - 1] != ']')
        return ARM_LITERAL;
    if (s.ptr[1] == '[')
        return ARM_ESCAPED;
    return ARM_EXPRESSION;
}

/* Offsets are into the decoded string; +1 skips the opening '['. */
struct loc arm_text_loc(const struct arm_parse_ctx *c, size_t start, size_t end)
{
    start += 1;
    end += 1;
    if (c->offsets) {
        size_t n = c->str->u.s.len;
        start = start > n ? n : start;
        end = end > n ? n : end;
        uint32_t s = c->offsets[start];
        uint32_t e = end > start ? c->offsets[end - 1] + 1 : s;
        return (struct loc){ c->str->loc.src, s, e };
    }
    return jval_string_subloc(c->str, start, end);
}

void arm_parse_error(struct arm_parse_ctx *c, struct loc at, const char *fmt, ...)
{
    if (c->failed)
        return; /* one syntax error per expression: the rest is noise */
    c->failed = true;
    va_list ap;
    va_start(ap, fmt);
    struct diag_entry *e =
        diag_vemit_level(c->diag, diag_code_level(DC_EXPR_SYNTAX), DC_EXPR_SYNTAX, at, fmt, ap);
    va_end(ap);
    diag_note(c->diag, e, c->str->loc,
              "a string that starts with '[' and ends with ']' is an expression; write '[[' to "
              "start a literal string with '['");
}

struct arm_expr *arm_new_literal(struct arm_parse_ctx *c, enum arm_expr_kind k, struct loc at)
{
    struct arm_expr *e = ARENA_NEW(c->arena, struct arm_expr);
    e->kind = k;
    e->loc = at;
    e->name_loc = at;
    return e;
}

struct arm_expr *arm_new_call(struct arm_parse_ctx *c, struct loc at, const struct arm_expr *ns,
                              const struct arm_expr *name, struct arm_arglist args)
{
    struct arm_expr *e = arm_new_literal(c, ARM_E_CALL, at);
    e->name = name->name;
    e->name_loc = name->loc;
    if (ns) {
        e->ns = ns->name;
        e->name_loc.start = ns->loc.start;
    }
    e->args = args.v;
    e->nargs = args.n;
    return e;
}

struct arm_expr *arm_new_member(struct arm_parse_ctx *c, struct loc at, struct arm_expr *obj,
                                const struct arm_expr *name)
{
    struct arm_expr *e = arm_new_literal(c, ARM_E_MEMBER, at);
    e->obj = obj;
    e->name = name->name;
    e->name_loc = name->loc;
    return e;
}

struct arm_expr *arm_new_index(struct arm_parse_ctx *c, struct loc at, struct arm_expr *obj,
                               struct arm_expr *index)
{
    struct arm_expr *e = arm_new_literal(c, ARM_E_INDEX, at);
    e->obj = obj;
    e->index = index;
    return e;
}

struct arm_arglist arm_args_add(struct arm_parse_ctx *c, struct arm_arglist l, struct arm_expr *e)
{
    ARENA_GROW(c->arena, l.v, l.n, l.cap, 4);
    l.v[l.n++] = e;
    return l;
}

struct arm_expr *arm_expr_parse(struct arena *a, struct diag *d, const struct jval *str)
{
    struct arm_parse_ctx c = { .arena = a, .diag = d, .str = str };
    if (str->u.s.len > APIM_MAX_EXPR_LENGTH) {
        diag_emit(d, DC_EXPR_SYNTAX, str->loc, "expression is longer than %u characters",
                  APIM_MAX_EXPR_LENGTH);
        return NULL;
    }
    if (str->flags & JV_F_ESCAPED)
        c.offsets = jval_string_offsets(a, str);
    c.text = str->u.s.ptr + 1;
    c.len = str->u.s.len - 2;
    yyscan_t scanner;
    if (arm_yylex_init_extra(&c, &scanner) != 0)
        xalloc_die(0);
    arm_yy_scan_bytes(c.text, (int)c.len, scanner);
    int rc = arm_yyparse(scanner, &c);
    arm_yylex_destroy(scanner);
    if (rc != 0 || c.failed)
        return NULL;
    return c.root;
}
