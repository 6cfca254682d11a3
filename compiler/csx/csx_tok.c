/* csx_tok.c - what the lexer's actions build (csx_lex.l): keyword and name
 * tokens, literal values decoded as C# reads them, and the bracket depth
 * that tells an interpolation hole's '}' and ':' from the code's own. */
#include "csx_tok.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csx_int.h"

/* The token before a '(' that makes it a call's or a statement's
 * parenthesis, never a cast's or a lambda's: f(x), if (x), typeof(T). */
static bool call_paren(int prev)
{
    static const int after[] = { IDENT,  PREDEF, ')',    ']',     CSX_TOK_TARGS_CLOSE,
                                 THIS,   IF,     WHILE,  FOR,     FOREACH,
                                 SWITCH, CATCH,  TYPEOF, DEFAULT, USING,
                                 NEW,    CHECKED };
    for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++)
        if (prev == after[i])
            return true;
    return false;
}

int csx_lex_open(struct csx_ctx *c, struct loc at, int tok)
{
    if (++c->depth > APIM_MAX_CSX_DEPTH) {
        csx_error(c, DC_CSX_TOO_COMPLEX, at, "expression is nested deeper than %d levels",
                  APIM_MAX_CSX_DEPTH);
        c->quiet = true;
        return END;
    }
    if (tok == HOLE_OPEN)
        c->holes[c->nholes++].depth = 0;
    else if (c->nholes > 0)
        c->holes[c->nholes - 1].depth++;
    if (tok == '(' && !call_paren(c->prev)) {
        size_t off = c->pos - 1;
        if (csx_scan_lambda(c, off))
            return LAMBDA_OPEN;
        if (csx_scan_cast(c, off))
            return CAST_OPEN;
    }
    return tok;
}

int csx_lex_close(struct csx_ctx *c, int tok)
{
    if (c->depth > 0)
        c->depth--;
    if (c->nholes > 0 && c->holes[c->nholes - 1].depth > 0)
        c->holes[c->nholes - 1].depth--;
    return tok;
}

bool csx_lex_hole_end(struct csx_ctx *c)
{
    if (c->nholes == 0 || c->holes[c->nholes - 1].depth != 0)
        return false;
    c->nholes--;
    c->depth--;
    return true;
}

struct keyword {
    const char *word;
    int tok;
};

static const struct keyword keywords[] = {
    { "as", AS },           { "is", IS },           { "new", NEW },           { "typeof", TYPEOF },
    { "default", DEFAULT }, { "if", IF },           { "else", ELSE },         { "for", FOR },
    { "foreach", FOREACH }, { "in", IN },           { "while", WHILE },       { "do", DO },
    { "return", RETURN },   { "break", BREAK },     { "continue", CONTINUE }, { "throw", THROW },
    { "try", TRY },         { "catch", CATCH },     { "finally", FINALLY },   { "switch", SWITCH },
    { "case", CASE },       { "out", OUT },         { "ref", REF },           { "using", USING },
    { "true", TRUE },       { "false", FALSE },     { "null", NUL },          { "this", THIS },
    { "const", CONST },     { "checked", CHECKED }, { "unchecked", CHECKED },
};

/* C# keywords API Management's expressions have no use for (no classes,
 * no unsafe code, no async, no jumps): each is a located error. */
static const char *const unsupported[] = {
    "abstract",  "async",    "await",     "base",     "class",    "delegate",   "enum",
    "event",     "explicit", "extern",    "fixed",    "goto",     "implicit",   "interface",
    "internal",  "lock",     "namespace", "operator", "override", "params",     "private",
    "protected", "public",   "readonly",  "sealed",   "sizeof",   "stackalloc", "static",
    "struct",    "unsafe",   "virtual",   "volatile", "yield",
};

static const char *const predefined[] = { "bool", "byte",  "char",   "decimal", "double", "float",
                                          "int",  "long",  "object", "sbyte",   "short",  "string",
                                          "uint", "ulong", "ushort", "void" };

static bool word_is(const char *w, const char *s, size_t n)
{
    return strlen(w) == n && memcmp(w, s, n) == 0;
}

static int keyword(struct csx_ctx *c, CSX_YYSTYPE *lval, struct loc at, const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
        if (!word_is(keywords[i].word, s, n))
            continue;
        int tok = keywords[i].tok;

        static const enum csx_kind kinds[] = { CSX_TRUE, CSX_FALSE, CSX_NULL, CSX_THIS };

        if (tok == TRUE || tok == FALSE || tok == NUL || tok == THIS)
            lval->node = csx_new(c,
                                 kinds[tok == TRUE    ? 0
                                       : tok == FALSE ? 1
                                       : tok == NUL   ? 2
                                                      : 3],
                                 at);
        if (tok == CHECKED)
            lval->node = csx_new_text(c, CSX_NAME, at, str_from_cstr(keywords[i].word));
        return tok;
    }
    return 0;
}

/* An identifier followed by '<' that opens type arguments: remember where. */
static void note_targs(struct csx_ctx *c)
{
    size_t p = c->pos;
    while (p < c->len && strchr(" \t\r\n", c->text[p]) != NULL)
        p++;
    if (p < c->len && c->text[p] == '<' && (c->targ_depth > 0 || csx_scan_targs(c, p)))
        c->glt_at = p;
}

int csx_lex_word(struct csx_ctx *c, CSX_YYSTYPE *lval, struct loc at, const char *s, size_t n,
                 bool verbatim)
{
    int tok = verbatim ? 0 : keyword(c, lval, at, s, n);
    if (tok != 0)
        return tok;
    struct str text = { arena_strndup(c->arena, s, n), n };
    for (size_t i = 0; i < sizeof(predefined) / sizeof(predefined[0]) && !verbatim; i++) {
        if (word_is(predefined[i], s, n)) {
            lval->node = csx_new_text(c, CSX_PREDEF, at, text);
            return PREDEF;
        }
    }
    for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]) && !verbatim; i++) {
        if (word_is(unsupported[i], s, n)) {
            csx_error(c, DC_CSX_NOT_ALLOWED, at, "'%s' is not supported in policy expressions",
                      unsupported[i]);
            c->quiet = true;
            return UNSUPPORTED;
        }
    }
    lval->node = csx_new_text(c, CSX_NAME, at, text);
    note_targs(c);
    return IDENT;
}

/* Integers must fit in 64 bits (ulong); the text, suffix included, is
 * kept for the type checker. */
int csx_lex_number(struct csx_ctx *c, CSX_YYSTYPE *lval, struct loc at, int tok, const char *s,
                   size_t n)
{
    lval->node = csx_new_text(c, tok == INT ? CSX_INT : CSX_REAL, at,
                              (struct str){ arena_strndup(c->arena, s, n), n });
    if (tok != INT)
        return tok;
    char digits[80];
    size_t k = 0;
    int base = n > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')   ? 16
               : n > 1 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B') ? 2
                                                                      : 10;
    for (size_t i = base == 10 ? 0 : 2; i < n && k + 1 < sizeof(digits); i++)
        if (s[i] != '_' && strchr("uUlL", s[i]) == NULL)
            digits[k++] = s[i];
    digits[k] = '\0';
    errno = 0;
    char *end;
    (void)strtoull(digits, &end, base);
    if (errno != 0 || k + 1 >= sizeof(digits) || k == 0 || *end != '\0')
        csx_error(c, DC_CSX_BAD_LITERAL, at, "integer literal '%.*s' is too large or malformed",
                  (int)(n > 40 ? 40 : n), s);
    return tok;
}
