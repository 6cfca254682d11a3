/* policy_xml.y - grammar of policy documents (policy_xml.h).
 *
 *   document -> content
 *   content  -> (element | TEXT | EXPR)*
 *   element  -> STAG attrs '>' content ETAG | STAG attrs '/>'
 *   attrs    -> (NAME '=' VALUE | NAME)*
 *
 * The tokens come through pxml_yylex (policy_xml.c), which balances the
 * tags before the grammar sees them, so every mistake is reported and
 * mended there and this grammar builds the tree; an attribute without a
 * value is the one mistake it reports itself (pxml_attr_add).
 */
%code requires {
#include "policy_xml_int.h"
}
%code provides {
int pxml_yylex(PXML_YYSTYPE *lval, struct policy_xml_range *lloc, struct pxml_ctx *ctx);
}
%code {
static void pxml_yyerror(struct policy_xml_range *at, struct pxml_ctx *ctx, const char *msg);
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                          \
    do {                                                                     \
        (Cur).start = (N) ? YYRHSLOC(Rhs, 1).start : YYRHSLOC(Rhs, 0).end;   \
        (Cur).end = YYRHSLOC(Rhs, (N) ? (N) : 0).end;                        \
    } while (0)
}

%define api.prefix {pxml_yy}
%define api.pure full
%define api.location.type {struct policy_xml_range}
%define parse.error detailed
%locations
%expect 0
%parse-param {struct pxml_ctx *ctx}
%lex-param {struct pxml_ctx *ctx}
%initial-action { @$ = (struct policy_xml_range){ 0, 0 }; }

%union {
    struct pxml_token tok;
    struct pxml_piece piece;
    struct pxml_attrs attrs;
    struct pxml_list list;
    struct policy_xml_node *node;
}

%token END 0 "end of policy text"
%token <tok> STAG "start tag" ETAG "end tag" NAME "attribute name"
%token <tok> GT "'>'" EMPTY "'/>'" EQ "'='"
%token <piece> VALUE "attribute value" TEXT "text" EXPR "expression"
%type <attrs> attrs
%type <list> content
%type <node> element

%%
document : content                      { pxml_document(ctx, &$1); }
         ;
content  : %empty                       { $$ = (struct pxml_list){ NULL, NULL }; }
         | content element              { $$ = pxml_add($1, $2); }
         | content TEXT                 { $$ = pxml_add($1, pxml_text(ctx, &$2)); }
         | content EXPR                 { $$ = pxml_add($1, pxml_text(ctx, &$2)); }
         ;
element  : STAG attrs GT content ETAG   { $$ = pxml_element(ctx, $1, $2, $3.end, &$4, $5); }
         | STAG attrs EMPTY             { $$ = pxml_element(ctx, $1, $2, $3.end, NULL, $3); }
         ;
attrs    : %empty                       { $$ = (struct pxml_attrs){ NULL, 0, 0 }; }
         | attrs NAME EQ VALUE          { $$ = pxml_attr_add(ctx, $1, $2, &$4); }
         | attrs NAME                   { $$ = pxml_attr_add(ctx, $1, $2, NULL); }
         ;
%%

static void pxml_yyerror(struct policy_xml_range *at, struct pxml_ctx *ctx, const char *msg)
{
    pxml_error(ctx, DC_XML_SYNTAX, at->start, at->end, "%s", msg);
}
