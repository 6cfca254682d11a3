/* csx_lit.c - string and character literals decoded as C# reads them
 * (escapes, verbatim "" quotes, \u to UTF-8), and operator tokens. */
#include <string.h>

#include "csx_int.h"
#include "csx_tok.h"

static size_t utf8_put(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | ((cp >> 18) & 0x07));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Reads up to max hex digits at s[*i]; at least min of them. */
static bool hex(const char *s, size_t n, size_t *i, unsigned min, unsigned max, unsigned long *v)
{
    unsigned k = 0;
    *v = 0;
    while (k < max && *i < n && str_hex_digit(s[*i]) >= 0) {
        *v = *v * 16 + (unsigned long)str_hex_digit(s[(*i)++]);
        k++;
    }
    return k >= min && *v <= 0x10ffff;
}

/* One escape after the backslash at s[*i - 1]; appends its UTF-8. */
static size_t escape(struct csx_ctx *c, size_t off0, const char *s, size_t n, size_t *i, char *out)
{
    static const char from[] = "'\"\\0abfnrtv", to[] = "'\"\\\0\a\b\f\n\r\t\v";
    if (*i >= n)
        return 0;
    char e = s[(*i)++];
    const char *k = strchr(from, e);
    if (k != NULL && e != '\0') {
        out[0] = to[k - from];
        return 1;
    }
    unsigned long v;
    if ((e == 'u' && hex(s, n, i, 4, 4, &v)) || (e == 'U' && hex(s, n, i, 8, 8, &v)) ||
        (e == 'x' && hex(s, n, i, 1, 4, &v)))
        return utf8_put(out, v);
    size_t off = off0 + *i - 2;
    csx_error(c, DC_CSX_BAD_LITERAL, csx_loc(c, off, off + 2),
              "unrecognized escape sequence '\\%c'", e >= ' ' && e < 0x7f ? e : '?');
    return 0;
}

/* s[0] is at offset off0 of the expression (for the location of a bad
 * escape). */
static struct str decode(struct csx_ctx *c, size_t off0, const char *s, size_t n, bool verbatim)
{
    char *out = arena_alloc(c->arena, n * 2 + 1); /* \x1 is 2 bytes, U+0001 is 1 */
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (verbatim && s[i] == '"' && i + 1 < n && s[i + 1] == '"') {
            out[k++] = '"';
            i += 2;
        } else if (!verbatim && s[i] == '\\') {
            i++;
            k += escape(c, off0, s, n, &i, out + k);
        } else {
            out[k++] = s[i++];
        }
    }
    out[k] = '\0';
    return (struct str){ out, k };
}

int csx_lex_string(struct csx_ctx *c, CSX_YYSTYPE *lval, struct loc at, int tok, const char *s,
                   size_t n, bool verbatim, size_t skip)
{
    size_t off0 = at.start - c->base.start + skip;
    lval->node = csx_new_text(c, CSX_STRING, at, decode(c, off0, s, n, verbatim));
    return tok;
}

/* Exactly one character (one UTF-16 unit in C#: one code point below
 * U+10000 here). */
int csx_lex_char(struct csx_ctx *c, CSX_YYSTYPE *lval, struct loc at, const char *s, size_t n)
{
    struct str v = decode(c, at.start - c->base.start + 1, s, n, false);
    size_t points = 0;
    for (size_t i = 0; i < v.len; i++)
        points += ((unsigned char)v.ptr[i] & 0xc0) != 0x80;
    if (points != 1 && n > 0)
        csx_error(c, DC_CSX_BAD_LITERAL, at, "a character literal holds one character, not %zu",
                  points);
    lval->node = csx_new_text(c, CSX_CHAR, at, v);
    return CHAR;
}

int csx_lex_op(CSX_YYSTYPE *lval, const char *s, size_t n)
{
    static const struct {
        const char *op;
        int tok;
    } ops[] = { { "==", EQ },         { "!=", NE },         { "<=", LE },
                { ">=", GE },         { "<<", SHL },        { ">>", SHR },
                { ">", '>' },         { "+=", ASSIGN_OP },  { "-=", ASSIGN_OP },
                { "*=", ASSIGN_OP },  { "/=", ASSIGN_OP },  { "%=", ASSIGN_OP },
                { "&=", ASSIGN_OP },  { "|=", ASSIGN_OP },  { "^=", ASSIGN_OP },
                { "<<=", ASSIGN_OP }, { ">>=", ASSIGN_OP }, { "?\?=", ASSIGN_OP } };

    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (strlen(ops[i].op) == n && memcmp(ops[i].op, s, n) == 0) {
            lval->op = ops[i].op;
            return ops[i].tok;
        }
    }
    return 0;
}
