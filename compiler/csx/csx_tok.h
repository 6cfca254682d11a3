/* csx_tok.h - the lexer's actions (csx_lex.l), defined in csx_tok.c and
 * csx_lit.c: each builds the token's value and returns the token. */
#ifndef APIM_COMPILER_CSX_CSX_TOK_H
#define APIM_COMPILER_CSX_CSX_TOK_H

#include "csx_parse.tab.h"

/* A keyword, a type keyword or a name; verbatim: written @name, always a
 * name (@if, @class). */
int csx_lex_word(struct csx_ctx *c, CSX_YYSTYPE *lval, struct loc at, const char *s, size_t n,
                 bool verbatim);
/* An INT or REAL literal as written; an integer must fit in 64 bits. */
int csx_lex_number(struct csx_ctx *c, CSX_YYSTYPE *lval, struct loc at, int tok, const char *s,
                   size_t n);
/* A string's body (quotes excluded, s is skip bytes into the token at)
 * decoded; tok is STRING, ITEXT or FORMAT. */
int csx_lex_string(struct csx_ctx *c, CSX_YYSTYPE *lval, struct loc at, int tok, const char *s,
                   size_t n, bool verbatim, size_t skip);
/* A character literal's body (quotes excluded). */
int csx_lex_char(struct csx_ctx *c, CSX_YYSTYPE *lval, struct loc at, const char *s, size_t n);
/* A comparison, shift or compound-assignment operator. */
int csx_lex_op(CSX_YYSTYPE *lval, const char *s, size_t n);
/* An opening bracket (or hole), counted against APIM_MAX_CSX_DEPTH; a '('
 * becomes CAST_OPEN or LAMBDA_OPEN where the look-ahead says so. */
int csx_lex_open(struct csx_ctx *c, struct loc at, int tok);
int csx_lex_close(struct csx_ctx *c, int tok);
/* At '}': does it close the innermost interpolation hole? (pops it) */
bool csx_lex_hole_end(struct csx_ctx *c);

#endif
