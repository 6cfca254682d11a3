/* csx_parse.y - grammar of C# policy expressions (csx.h).
 *
 *   input -> '@(' expr ')' | '@{' statement* '}'
 *
 * LALR(1), no GLR: the three places where C# needs more look-ahead (a cast
 * "(T)x" against "(a)", a generic name "As<T>()" against "a < b", lambda
 * parameters "(a, b) =>" against "(a)") are decided by the lexer from the
 * raw text (csx_scan.c), as the C# spec's disambiguation rules say, and
 * arrive as CAST_OPEN, GLT and LAMBDA_OPEN. Declarations read their type as
 * an expression ("List<string> x", "string[] y") and csx_as_type checks it.
 */
%code requires {
#include "csx_int.h"
}
%code provides {
int csx_yylex(CSX_YYSTYPE *lval, struct loc *lloc, void *scanner);
}
%code {
#include <string.h>
static void csx_yyerror(struct loc *at, void *scanner, struct csx_ctx *ctx, const char *msg);
static int lex(CSX_YYSTYPE *lval, struct loc *lloc, void *scanner, struct csx_ctx *ctx);
#define csx_yylex(l, p, s) lex(l, p, s, ctx)
#define YYMAXDEPTH (APIM_MAX_CSX_DEPTH * 16)
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                          \
    do {                                                                     \
        (Cur).src = YYRHSLOC(Rhs, (N) ? 1 : 0).src;                          \
        (Cur).start = (N) ? YYRHSLOC(Rhs, 1).start : YYRHSLOC(Rhs, 0).end;   \
        (Cur).end = YYRHSLOC(Rhs, (N) ? (N) : 0).end;                        \
    } while (0)
#define N2(k, at, a, b) csx_new2(ctx, k, at, a, b)
#define OP(k, at, op, a, b) csx_new_op(ctx, k, at, op, a, b)
}

%define api.prefix {csx_yy}
%define api.pure full
%define api.location.type {struct loc}
%define parse.error detailed
%locations
%expect 0
%parse-param {void *scanner} {struct csx_ctx *ctx}
%lex-param {void *scanner}
%initial-action { @$ = csx_loc(ctx, 0, 0); }

%union {
    struct csx_node *node;
    struct csx_list list;
    const char *op;
    unsigned n;
}

%token END 0 "end of expression"
%token <node> IDENT "identifier" PREDEF "type keyword" INT "integer" REAL "number"
%token <node> STRING "string" CHAR "character" ITEXT "string text" FORMAT "format"
%token <node> TRUE "true" FALSE "false" NUL "null" THIS "this"
%token AT_PAREN "'@('" AT_BRACE "'@{'" ISTART "'$\"'" IEND "end of string"
%token HOLE_OPEN "'{'" HOLE_CLOSE "'}'"
%token CAST_OPEN "'(' of a cast" LAMBDA_OPEN "'(' of a lambda" GLT "'<' of type arguments"
%token AS "as" IS "is" NEW "new" TYPEOF "typeof" DEFAULT "default" IF "if" ELSE "else"
%token FOR "for" FOREACH "foreach" IN "in" WHILE "while" DO "do" RETURN "return"
%token BREAK "break" CONTINUE "continue" THROW "throw" TRY "try" CATCH "catch"
%token FINALLY "finally" SWITCH "switch" CASE "case" OUT "out" REF "ref" USING "using"
%token UNSUPPORTED "unsupported keyword" CONST "const"
%token <node> CHECKED "checked or unchecked"
%token ARROW "'=>'" INC "'++'" DEC "'--'" ANDAND "'&&'" OROR "'||'" COALESCE "'??'"
%token CDOT "'?.'" CLBRACK "'?['" EQ "'=='" NE "'!='" LE "'<='" GE "'>='"
%token SHL "'<<'" SHR "'>>'"
%token <op> ASSIGN_OP "compound assignment"

%precedence DEFAULT    /* "default:" after a case's statements starts the next section */
%precedence SECTION
%precedence ARROW
%right '=' ASSIGN_OP
%right '?'
%right COALESCE
%left OROR
%left ANDAND
%left '|'
%left '^'
%left '&'
%left EQ NE
%left '<' '>' LE GE IS AS
%left SHL SHR
%left '+' '-'
%left '*' '/' '%'
%precedence UNARY
%precedence INC DEC '.' CDOT '[' CLBRACK '('
%precedence IDENT      /* "x is T name", "out T name": a name after a type declares it */
%precedence THEN
%precedence ELSE

%type <node> expr primary name lambda lbody arg new init init_elem interp hole type_name
%type <node> nonarray_type array_type type ntype block stmt declarator for_init opt_expr
%type <node> for_iter expr_list catch section embedded
%type <list> args args_opt targs init_elems interp_parts lparams stmts declarators catches
%type <list> sections labels stmt_list fparams
%type <node> fparam
%type <n> rank commas

%%
input   : AT_PAREN expr ')'                     { ctx->root = $2; }
        | AT_BRACE stmts '}'                    { ctx->root = csx_with_list(
                                                      csx_new(ctx, CSX_BLOCK, @$), $2); }
        ;

/* ---- expressions ---- */
expr    : primary
        | lambda
        | expr '=' expr                         { $$ = csx_new_assign(ctx, @$, "=", $1, $3); }
        | expr ASSIGN_OP expr                   { $$ = csx_new_assign(ctx, @$, $2, $1, $3); }
        | expr '?' expr ':' expr %prec '?'      { $$ = csx_with_c(N2(CSX_COND, @$, $1, $3), $5,
                                                                  NULL); }
        | expr COALESCE expr                    { $$ = OP(CSX_BINARY, @$, "??", $1, $3); }
        | expr OROR expr                        { $$ = OP(CSX_BINARY, @$, "||", $1, $3); }
        | expr ANDAND expr                      { $$ = OP(CSX_BINARY, @$, "&&", $1, $3); }
        | expr '|' expr                         { $$ = OP(CSX_BINARY, @$, "|", $1, $3); }
        | expr '^' expr                         { $$ = OP(CSX_BINARY, @$, "^", $1, $3); }
        | expr '&' expr                         { $$ = OP(CSX_BINARY, @$, "&", $1, $3); }
        | expr EQ expr                          { $$ = OP(CSX_BINARY, @$, "==", $1, $3); }
        | expr NE expr                          { $$ = OP(CSX_BINARY, @$, "!=", $1, $3); }
        | expr '<' expr                         { $$ = OP(CSX_BINARY, @$, "<", $1, $3); }
        | expr '>' expr                         { $$ = OP(CSX_BINARY, @$, ">", $1, $3); }
        | expr LE expr                          { $$ = OP(CSX_BINARY, @$, "<=", $1, $3); }
        | expr GE expr                          { $$ = OP(CSX_BINARY, @$, ">=", $1, $3); }
        | expr SHL expr                         { $$ = OP(CSX_BINARY, @$, "<<", $1, $3); }
        | expr SHR expr                         { $$ = OP(CSX_BINARY, @$, ">>", $1, $3); }
        | expr '+' expr                         { $$ = OP(CSX_BINARY, @$, "+", $1, $3); }
        | expr '-' expr                         { $$ = OP(CSX_BINARY, @$, "-", $1, $3); }
        | expr '*' expr                         { $$ = OP(CSX_BINARY, @$, "*", $1, $3); }
        | expr '/' expr                         { $$ = OP(CSX_BINARY, @$, "/", $1, $3); }
        | expr '%' expr                         { $$ = OP(CSX_BINARY, @$, "%", $1, $3); }
        | expr AS type %prec AS                 { $$ = N2(CSX_AS, @$, $1, $3); }
        | expr IS type %prec IS                 { $$ = N2(CSX_IS, @$, $1, $3); }
        | expr IS type IDENT                    { $$ = csx_with_text(N2(CSX_IS, @$, $1, $3),
                                                                     $4->text); }
        | expr IS NUL                           { $$ = N2(CSX_IS, @$, $1, $3); }
        | '-' expr %prec UNARY                  { $$ = OP(CSX_UNARY, @$, "-", $2, NULL); }
        | '+' expr %prec UNARY                  { $$ = OP(CSX_UNARY, @$, "+", $2, NULL); }
        | '!' expr %prec UNARY                  { $$ = OP(CSX_UNARY, @$, "!", $2, NULL); }
        | '~' expr %prec UNARY                  { $$ = OP(CSX_UNARY, @$, "~", $2, NULL); }
        | INC expr %prec UNARY                  { $$ = OP(CSX_UNARY, @$, "++", $2, NULL); }
        | DEC expr %prec UNARY                  { $$ = OP(CSX_UNARY, @$, "--", $2, NULL); }
        | CAST_OPEN ntype ')' expr %prec UNARY  { $$ = N2(CSX_CAST, @$, $2, $4); }
        ;
primary : name
        | PREDEF | INT | REAL | STRING | CHAR | TRUE | FALSE | NUL | THIS
        | interp
        | new
        | '(' expr ')'                          { $$ = $2; }
        | expr '.' name                         { $$ = csx_new_member(ctx, CSX_MEMBER, @$, $1, $3); }
        | expr CDOT name                        { $$ = csx_new_member(ctx, CSX_CMEMBER, @$, $1, $3); }
        | expr '[' args ']'                     { $$ = csx_with_list(N2(CSX_INDEX, @$, $1, NULL), $3); }
        | expr '[' ']'                          { $$ = N2(CSX_INDEX, @$, $1, NULL); }
        | expr CLBRACK args ']'                 { $$ = csx_with_list(N2(CSX_CINDEX, @$, $1, NULL), $3); }
        | expr '(' args_opt ')'                 { $$ = csx_with_list(N2(CSX_CALL, @$, $1, NULL), $3); }
        | expr INC                              { $$ = OP(CSX_POSTFIX, @$, "++", $1, NULL); }
        | expr DEC                              { $$ = OP(CSX_POSTFIX, @$, "--", $1, NULL); }
        | TYPEOF '(' type ')'                   { $$ = N2(CSX_TYPEOF, @$, $3, NULL); }
        | CHECKED '(' expr ')'                  { $$ = csx_with_text(N2(CSX_CHECKED, @$, $3, NULL), $1->text); }
        | DEFAULT '(' ntype ')'                 { $$ = N2(CSX_DEFAULT, @$, $3, NULL); }
        ;
name    : IDENT
        | IDENT GLT targs '>'                   { $$ = csx_with_targs($1, $3); $$->loc = @$; }
        ;
targs   : ntype                                 { $$ = csx_list1(ctx, $1); }
        | targs ',' ntype                       { $$ = csx_list_add(ctx, $1, $3); }
        ;
args_opt: %empty                                { $$ = (struct csx_list){ 0 }; }
        | args
        ;
args    : arg                                   { $$ = csx_list1(ctx, $1); }
        | args ',' arg                          { $$ = csx_list_add(ctx, $1, $3); }
        ;
arg     : expr
        | IDENT ':' expr                        { $$ = csx_with_text(N2(CSX_NAMED_ARG, @$, $3, NULL),
                                                                     $1->text); }
        | OUT expr %prec ARROW                  { $$ = N2(CSX_OUT_ARG, @$, $2, NULL); }
        | OUT expr IDENT                        { $$ = N2(CSX_OUT_ARG, @$, csx_new_decl(ctx, @$, $2,
                                                      csx_list1(ctx, csx_with_text(csx_new(ctx,
                                                      CSX_DECLARATOR, @3), $3->text))), NULL); }
        | REF expr                              { $$ = N2(CSX_OUT_ARG, @$, $2, NULL); }
        ;
lambda  : IDENT ARROW lbody                     { $$ = csx_new_lambda(ctx, @$, csx_list1(ctx, $1), $3); }
        | LAMBDA_OPEN lparams ')' ARROW lbody   { $$ = csx_new_lambda(ctx, @$, $2, $5); }
        | LAMBDA_OPEN ')' ARROW lbody           { $$ = csx_new_lambda(ctx, @$, (struct csx_list){ 0 }, $4); }
        ;
lparams : IDENT                                 { $$ = csx_list1(ctx, $1); }
        | lparams ',' IDENT                     { $$ = csx_list_add(ctx, $1, $3); }
        ;
lbody   : expr %prec ARROW
        | block
        ;
new     : NEW nonarray_type '(' args_opt ')'    { $$ = csx_with_list(N2(CSX_NEW, @$, $2, NULL), $4); }
        | NEW nonarray_type '(' args_opt ')' init
                                                { $$ = csx_with_list(N2(CSX_NEW, @$, $2, $6), $4); }
        | NEW nonarray_type init                { $$ = N2(CSX_NEW, @$, $2, $3); }
        | NEW nonarray_type '[' args ']'        { $$ = csx_with_list(N2(CSX_NEW_ARRAY, @$,
                                                      csx_new_array_type(ctx, @$, $2, 0), NULL), $4); }
        | NEW array_type init                   { $$ = N2(CSX_NEW_ARRAY, @$, $2, $3); }
        | NEW '[' ']' init                      { $$ = N2(CSX_NEW_ARRAY, @$, NULL, $4); }
        | NEW init                              { $$ = N2(CSX_NEW_ANON, @$, NULL, $2); }
        ;
init    : '{' '}'                               { $$ = csx_new(ctx, CSX_INIT, @$); }
        | '{' init_elems '}'                    { $$ = csx_with_list(csx_new(ctx, CSX_INIT, @$), $2); }
        | '{' init_elems ',' '}'                { $$ = csx_with_list(csx_new(ctx, CSX_INIT, @$), $2); }
        ;
init_elems: init_elem                           { $$ = csx_list1(ctx, $1); }
        | init_elems ',' init_elem              { $$ = csx_list_add(ctx, $1, $3); }
        ;
init_elem: expr
        | init
        | '[' args ']' '=' expr                 { $$ = csx_new_op(ctx, CSX_ASSIGN, @$, "=", csx_with_list(
                                                      csx_new(ctx, CSX_INDEX, @$), $2), $5); }
        ;
interp  : ISTART interp_parts IEND              { $$ = csx_with_list(csx_new(ctx, CSX_INTERP, @$), $2); }
        ;
interp_parts: %empty                            { $$ = (struct csx_list){ 0 }; }
        | interp_parts ITEXT                    { $$ = csx_interp_text(ctx, $1, $2); }
        | interp_parts hole                     { $$ = csx_list_add(ctx, $1, $2); }
        ;
hole    : HOLE_OPEN expr HOLE_CLOSE             { $$ = N2(CSX_HOLE, @$, $2, NULL); }
        | HOLE_OPEN expr FORMAT HOLE_CLOSE      { $$ = csx_with_text(N2(CSX_HOLE, @$, $2, NULL), $3->text); }
        | HOLE_OPEN expr ',' expr HOLE_CLOSE    { $$ = N2(CSX_HOLE, @$, $2, $4); }
        | HOLE_OPEN expr ',' expr FORMAT HOLE_CLOSE
                                                { $$ = csx_with_text(N2(CSX_HOLE, @$, $2, $4), $5->text); }
        ;

/* ---- types ---- */
type_name: name                                 { $$ = csx_as_type(ctx, $1); }
        | PREDEF                                { $$ = csx_as_type(ctx, $1); }
        | type_name '.' name                    { $$ = csx_as_type(ctx, csx_new_member(ctx, CSX_MEMBER, @$, $1, $3)); }
        ;
nonarray_type: type_name %prec AS       /* x as A.B[]: the type takes '.' and '[' */
        ;
array_type: nonarray_type rank                  { $$ = csx_new_array_type(ctx, @$, $1, $2); }
        | array_type rank                       { $$ = csx_new_array_type(ctx, @$, $1, $2); }
        ;
rank    : '[' ']'                               { $$ = 0; }
        | '[' commas ']'                        { $$ = $2; }
        ;
commas  : ','                                   { $$ = 1; }
        | commas ','                            { $$ = $1 + 1; }
        ;
type    : nonarray_type %prec AS
        | array_type %prec AS
        ;
ntype   : type
        | nonarray_type '?'                     { $$ = N2(CSX_NULLABLE, @$, $1, NULL); }
        ;

/* ---- statements ---- */
block   : '{' stmts '}'                         { $$ = csx_with_list(csx_new(ctx, CSX_BLOCK, @$), $2); }
        ;
stmts   : %empty                                { $$ = (struct csx_list){ 0 }; }
        | stmts stmt                            { $$ = csx_list_add(ctx, $1, $2); }
        ;
stmt    : embedded
        | expr declarators ';'                  { $$ = csx_new_decl(ctx, @$, $1, $2); }
        | CONST expr declarators ';'            { $$ = csx_with_text(csx_new_decl(ctx, @$, $2, $3),
                                                                     str_from_cstr("const")); }
        | expr IDENT '(' fparams ')' block      { $$ = csx_new_function(ctx, @$, $1, $2, $4, $6); }
        | expr IDENT '(' ')' block              { $$ = csx_new_function(ctx, @$, $1, $2,
                                                                        (struct csx_list){ 0 }, $5); }
        | error ';'                             { $$ = csx_new(ctx, CSX_ERROR, @$); }
        ;
embedded: block
        | ';'                                   { $$ = csx_new(ctx, CSX_EMPTY, @$); }
        | expr ';'                              { $$ = N2(CSX_EXPR_STMT, @$, $1, NULL); }
        | IF '(' expr ')' embedded %prec THEN   { $$ = N2(CSX_IF, @$, $3, $5); }
        | IF '(' expr ')' embedded ELSE embedded { $$ = csx_with_c(N2(CSX_IF, @$, $3, $5), $7, NULL); }
        | WHILE '(' expr ')' embedded           { $$ = N2(CSX_WHILE, @$, $3, $5); }
        | DO embedded WHILE '(' expr ')' ';'    { $$ = N2(CSX_DO, @$, $2, $5); }
        | FOR '(' for_init ';' opt_expr ';' for_iter ')' embedded
                                                { $$ = csx_with_c(N2(CSX_FOR, @$, $3, $5), $7, $9); }
        | FOREACH '(' expr IDENT IN expr ')' embedded
                                                { $$ = csx_with_text(csx_with_c(N2(CSX_FOREACH, @$,
                                                      csx_as_type(ctx, $3), $6), $8, NULL), $4->text); }
        | RETURN ';'                            { $$ = csx_new(ctx, CSX_RETURN, @$); }
        | RETURN expr ';'                       { $$ = N2(CSX_RETURN, @$, $2, NULL); }
        | BREAK ';'                             { $$ = csx_new(ctx, CSX_BREAK, @$); }
        | CONTINUE ';'                          { $$ = csx_new(ctx, CSX_CONTINUE, @$); }
        | THROW ';'                             { $$ = csx_new(ctx, CSX_THROW, @$); }
        | THROW expr ';'                        { $$ = N2(CSX_THROW, @$, $2, NULL); }
        | TRY block catches                     { $$ = csx_with_list(N2(CSX_TRY, @$, $2, NULL), $3); }
        | TRY block catches FINALLY block       { $$ = csx_with_list(N2(CSX_TRY, @$, $2, $5), $3); }
        | TRY block FINALLY block               { $$ = N2(CSX_TRY, @$, $2, $4); }
        | SWITCH '(' expr ')' '{' sections '}'  { $$ = csx_with_list(N2(CSX_SWITCH, @$, $3, NULL), $6); }
        | SWITCH '(' expr ')' '{' '}'           { $$ = N2(CSX_SWITCH, @$, $3, NULL); }
        | USING '(' for_init ')' embedded       { $$ = N2(CSX_USING, @$, $3, $5); }
        | USING type_name ';'                   { $$ = csx_using_directive(ctx, @$); }
        | USING IDENT '=' type_name ';'         { $$ = csx_using_directive(ctx, @$); }
        | CHECKED block                         { $$ = csx_with_text(N2(CSX_CHECKED, @$, $2, NULL), $1->text); }
        ;
fparams : fparam                                { $$ = csx_list1(ctx, $1); }
        | fparams ',' fparam                    { $$ = csx_list_add(ctx, $1, $3); }
        ;
fparam  : type IDENT                            { $$ = csx_with_text(N2(CSX_PARAM, @$, $1, NULL), $2->text); }
        ;
declarators: declarator                         { $$ = csx_list1(ctx, $1); }
        | declarators ',' declarator            { $$ = csx_list_add(ctx, $1, $3); }
        ;
declarator: IDENT                               { $$ = csx_with_text(csx_new(ctx, CSX_DECLARATOR, @$), $1->text); }
        | IDENT '=' expr                        { $$ = csx_with_text(N2(CSX_DECLARATOR, @$, $3, NULL), $1->text); }
        | IDENT '=' init                        { $$ = csx_with_text(N2(CSX_DECLARATOR, @$, $3, NULL), $1->text); }
        ;
for_init: %empty                                { $$ = NULL; }
        | expr declarators                      { $$ = csx_new_decl(ctx, @$, $1, $2); }
        | expr_list
        ;
opt_expr: %empty                                { $$ = NULL; }
        | expr
        ;
for_iter: %empty                                { $$ = NULL; }
        | expr_list
        ;
expr_list: expr                                 { $$ = csx_with_list(csx_new(ctx, CSX_EXPR_LIST, @$),
                                                                     csx_list1(ctx, $1)); }
        | expr_list ',' expr                    { $$ = $1; $$->list = csx_list_add(ctx, $1->list, $3); $$->loc = @$; }
        ;
catches : catch                                 { $$ = csx_list1(ctx, $1); }
        | catches catch                         { $$ = csx_list_add(ctx, $1, $2); }
        ;
catch   : CATCH block                           { $$ = N2(CSX_CATCH, @$, NULL, $2); }
        | CATCH '(' type ')' block              { $$ = N2(CSX_CATCH, @$, $3, $5); }
        | CATCH '(' type IDENT ')' block        { $$ = csx_with_text(N2(CSX_CATCH, @$, $3, $6), $4->text); }
        ;
sections: section                               { $$ = csx_list1(ctx, $1); }
        | sections section                      { $$ = csx_list_add(ctx, $1, $2); }
        ;
section : labels stmt_list %prec SECTION                { $$ = csx_with_list(N2(CSX_SECTION, @$,
                                                      csx_with_list(csx_new(ctx, CSX_BLOCK, @2), $2), NULL), $1); }
        ;
labels  : CASE expr ':'                         { $$ = csx_list1(ctx, $2); }
        | DEFAULT ':'                           { $$ = csx_list1(ctx, NULL); }
        | labels CASE expr ':'                  { $$ = csx_list_add(ctx, $1, $3); }
        | labels DEFAULT ':'                    { $$ = csx_list_add(ctx, $1, NULL); }
        ;
stmt_list: stmt                                 { $$ = csx_list1(ctx, $1); }
        | stmt_list stmt                        { $$ = csx_list_add(ctx, $1, $2); }
        ;
%%

static int lex(CSX_YYSTYPE *lval, struct loc *lloc, void *scanner, struct csx_ctx *ctx)
{
#undef csx_yylex
    int tok = csx_yylex(lval, lloc, scanner);
    ctx->prev = tok == '>' && ctx->closed_targs ? CSX_TOK_TARGS_CLOSE : tok;
    ctx->closed_targs = false;
    return tok;
}

static void csx_yyerror(struct loc *at, void *scanner, struct csx_ctx *ctx, const char *msg)
{
    (void)scanner;
    if (ctx->quiet) {
        ctx->quiet = false; /* the lexer said why already */
        return;
    }
    if (strcmp(msg, "memory exhausted") == 0)
        csx_error(ctx, DC_CSX_TOO_COMPLEX, *at, "expression is too deeply nested to read");
    else
        csx_error(ctx, DC_CSX_SYNTAX, *at, "%s", msg);
}
