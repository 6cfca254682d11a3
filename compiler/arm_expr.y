/* arm_expr.y - grammar of ARM template expressions (arm_expr.h).
 *
 *   expr    -> primary | expr '.' IDENT | expr '[' expr ']'
 *   primary -> STRING | INT | true | false | null | call
 *   call    -> IDENT '(' args? ')' | IDENT '.' IDENT '(' args? ')'
 *
 * A bare identifier is not an expression in ARM, which keeps the namespaced
 * call (ns.fn(...)) free of conflicts with member access.
 */
%code requires {
#include "arm_expr.h"
}
%code provides {
int arm_yylex(ARM_YYSTYPE *lval, struct loc *lloc, void *scanner);
}
%code {
static void arm_yyerror(struct loc *at, void *scanner, struct arm_parse_ctx *ctx,
                        const char *msg);
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                          \
    do {                                                                     \
        (Cur).src = YYRHSLOC(Rhs, (N) ? 1 : 0).src;                          \
        (Cur).start = (N) ? YYRHSLOC(Rhs, 1).start : YYRHSLOC(Rhs, 0).end;   \
        (Cur).end = YYRHSLOC(Rhs, (N) ? (N) : 0).end;                        \
    } while (0)
}

%define api.prefix {arm_yy}
%define api.pure full
%define api.location.type {struct loc}
%define parse.error detailed
%locations
%expect 0
%parse-param {void *scanner} {struct arm_parse_ctx *ctx}
%lex-param {void *scanner}
%initial-action { @$ = arm_text_loc(ctx, 0, 0); }

%union {
    struct arm_expr *node;
    struct arm_arglist args;
}

%token END 0 "end of expression"
%token <node> IDENT "identifier" STRING "string" INT "integer"
%token <node> TRUE "true" FALSE "false" NUL "null"
%type <node> expr primary call
%type <args> args

%%
input   : expr                          { ctx->root = $1; }
        ;
expr    : primary
        | expr '.' IDENT                { $$ = arm_new_member(ctx, @$, $1, $3); }
        | expr '[' expr ']'             { $$ = arm_new_index(ctx, @$, $1, $3); }
        ;
primary : STRING | INT | TRUE | FALSE | NUL
        | call
        ;
call    : IDENT '(' ')'                 { $$ = arm_new_call(ctx, @$, NULL, $1,
                                                            (struct arm_arglist){0}); }
        | IDENT '(' args ')'            { $$ = arm_new_call(ctx, @$, NULL, $1, $3); }
        | IDENT '.' IDENT '(' ')'       { $$ = arm_new_call(ctx, @$, $1, $3,
                                                            (struct arm_arglist){0}); }
        | IDENT '.' IDENT '(' args ')'  { $$ = arm_new_call(ctx, @$, $1, $3, $5); }
        ;
args    : expr                          { $$ = arm_args_add(ctx, (struct arm_arglist){0}, $1); }
        | args ',' expr                 { $$ = arm_args_add(ctx, $1, $3); }
        ;
%%

static void arm_yyerror(struct loc *at, void *scanner, struct arm_parse_ctx *ctx,
                        const char *msg)
{
    (void)scanner;
    arm_parse_error(ctx, *at, "%s", msg);
}
