/* json.y - JSON as ARM reads it, into a located tree (json.h).
 *
 * Actions only call constructors in json.c. Error recovery: a broken member
 * or element is skipped up to the next ',' or closing bracket, so one run
 * reports every independent mistake. Nodes live in the arena: recovery cannot
 * leak, so there is no %destructor.
 */
%code requires {
#include "jval.h"
}
%code provides {
int json_yylex(JSON_YYSTYPE *lval, struct loc *lloc, void *scanner);
}
%code {
static void json_yyerror(struct loc *at, void *scanner, struct jval_parse_ctx *ctx,
                         const char *msg);
/* A rule spans its first to its last symbol; an empty rule sits where the
 * previous symbol ended. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                          \
    do {                                                                     \
        (Cur).src = YYRHSLOC(Rhs, (N) ? 1 : 0).src;                          \
        (Cur).start = (N) ? YYRHSLOC(Rhs, 1).start : YYRHSLOC(Rhs, 0).end;   \
        (Cur).end = YYRHSLOC(Rhs, (N) ? (N) : 0).end;                        \
    } while (0)
}

%define api.prefix {json_yy}
%define api.pure full
%define api.location.type {struct loc}
%define parse.error detailed
%locations
%expect 0
%parse-param {void *scanner} {struct jval_parse_ctx *ctx}
%lex-param {void *scanner}
%initial-action { @$.src = ctx->src; @$.start = @$.end = 0; }

%union {
    struct jval *node;
    struct jval_build build;
    struct jval_member member;
}

%token END 0 "end of file"
%token <node> STRING "string" INT "integer" REAL "number" TRUE "true" FALSE "false" NUL "null"
%type <node> value object array
%type <build> members elements
%type <member> member element

%%
document : value                      { ctx->root = $1; }
         ;
value    : object
         | array
         | STRING | INT | REAL | TRUE | FALSE | NUL
         ;
object   : '{' '}'                    { $$ = jval_finish_object(ctx, @$, (struct jval_build){0}); }
         | '{' members '}'            { $$ = jval_finish_object(ctx, @$, $2); }
         | '{' members ',' '}'        { jval_trailing_comma(ctx, @3);
                                        $$ = jval_finish_object(ctx, @$, $2); }
         ;
members  : member                     { $$ = jval_build_first(ctx, $1.key_loc, $1.key, $1.value); }
         | members ',' member         { $$ = jval_build_add(ctx, $1, $3.key_loc, $3.key, $3.value); }
         ;
member   : STRING ':' value           { $$ = (struct jval_member){ $1->u.s, @1, $3 }; }
         | error                      { $$ = (struct jval_member){ STR_NULL, @1, NULL }; }
         ;
array    : '[' ']'                    { $$ = jval_finish_array(ctx, @$, (struct jval_build){0}); }
         | '[' elements ']'           { $$ = jval_finish_array(ctx, @$, $2); }
         | '[' elements ',' ']'       { jval_trailing_comma(ctx, @3);
                                        $$ = jval_finish_array(ctx, @$, $2); }
         ;
elements : element                    { $$ = jval_build_first(ctx, @1, STR_NULL, $1.value); }
         | elements ',' element       { $$ = jval_build_add(ctx, $1, @3, STR_NULL, $3.value); }
         ;
element  : value                      { $$ = (struct jval_member){ STR_NULL, @1, $1 }; }
         | error                      { $$ = (struct jval_member){ STR_NULL, @1, NULL }; }
         ;
%%

static void json_yyerror(struct loc *at, void *scanner, struct jval_parse_ctx *ctx,
                         const char *msg)
{
    (void)scanner;
    if (ctx->fatal)
        return;
    jval_parse_error(ctx, *at, DC_SYNTAX, "%s", msg);
}
