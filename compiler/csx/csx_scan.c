/* csx_scan.c - the look-ahead that C# needs to read casts, generic names and
 * parenthesised lambda parameters (csx_int.h). Each question looks at most
 * SCAN_LIMIT bytes past its token, so the lexer stays linear in the input. */
#include <string.h>

#include "csx_int.h"

#define SCAN_LIMIT 512

struct scan {
    const char *s;
    size_t p, end;
    bool keyword_only; /* the type scanned is one predefined keyword */
};

static bool is_id_start(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
           (unsigned char)ch >= 0x80;
}

static bool is_id_char(char ch)
{
    return is_id_start(ch) || (ch >= '0' && ch <= '9');
}

static void skip_space(struct scan *s)
{
    while (s->p < s->end) {
        char ch = s->s[s->p];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
            s->p++;
        } else if (ch == '/' && s->p + 1 < s->end && s->s[s->p + 1] == '/') {
            while (s->p < s->end && s->s[s->p] != '\n')
                s->p++;
        } else if (ch == '/' && s->p + 1 < s->end && s->s[s->p + 1] == '*') {
            s->p += 2;
            while (s->p + 1 < s->end && !(s->s[s->p] == '*' && s->s[s->p + 1] == '/'))
                s->p++;
            s->p += 2;
        } else {
            return;
        }
    }
}

static char peek(struct scan *s)
{
    skip_space(s);
    return s->p < s->end ? s->s[s->p] : '\0';
}

static bool accept(struct scan *s, char ch)
{
    if (peek(s) != ch)
        return false;
    s->p++;
    return true;
}

/* An identifier; its text in *w (not NUL-terminated). */
static bool ident(struct scan *s, struct str *w)
{
    if (!is_id_start(peek(s)))
        return false;
    size_t start = s->p;
    while (s->p < s->end && is_id_char(s->s[s->p]))
        s->p++;
    *w = (struct str){ s->s + start, s->p - start };
    return true;
}

static bool predefined(struct str w)
{
    static const char *const names[] = { "bool",  "byte",   "char", "decimal", "double",
                                         "float", "int",    "long", "object",  "sbyte",
                                         "short", "string", "uint", "ulong",   "ushort" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (w.len == strlen(names[i]) && memcmp(w.ptr, names[i], w.len) == 0)
            return true;
    return false;
}

static bool type(struct scan *s, unsigned depth);

static bool type_args(struct scan *s, unsigned depth)
{
    if (depth > 16 || !accept(s, '<'))
        return false;
    do {
        if (!type(s, depth + 1))
            return false;
    } while (accept(s, ','));
    return accept(s, '>');
}

/* name<args>.name<args>?[][,] */
static bool type(struct scan *s, unsigned depth)
{
    struct str w;
    if (!ident(s, &w))
        return false;
    s->keyword_only = predefined(w);
    if (peek(s) == '<' && !type_args(s, depth))
        return false;
    while (peek(s) == '.') {
        s->p++;
        s->keyword_only = false;
        if (!ident(s, &w) || (peek(s) == '<' && !type_args(s, depth)))
            return false;
    }
    if (accept(s, '?'))
        s->keyword_only = true; /* int? is no expression */
    while (accept(s, '[')) {
        s->keyword_only = true;
        while (accept(s, ','))
            ;
        if (!accept(s, ']'))
            return false;
    }
    return true;
}

static struct scan scan_at(const struct csx_ctx *c, size_t off)
{
    size_t end = c->len - off > SCAN_LIMIT ? off + SCAN_LIMIT : c->len;
    return (struct scan){ c->text, off + 1, end, false };
}

bool csx_scan_lambda(const struct csx_ctx *c, size_t off)
{
    struct scan s = scan_at(c, off);
    struct str w;
    if (!accept(&s, ')')) {
        do {
            if (!ident(&s, &w))
                return false;
        } while (accept(&s, ','));
        if (!accept(&s, ')'))
            return false;
    }
    return accept(&s, '=') && s.p < s.end && s.s[s.p] == '>';
}

/* A cast if what follows ')' can only start an operand: C# spec, "Cast
 * expressions" (the token after ')' is '~', '!', '(', an identifier, a
 * literal or a keyword other than as and is), or if the parenthesised text
 * is a type and no expression (int, string[], int?). */
bool csx_scan_cast(const struct csx_ctx *c, size_t off)
{
    struct scan s = scan_at(c, off);
    if (!type(&s, 0) || !accept(&s, ')'))
        return false;
    if (s.keyword_only)
        return true;
    char ch = peek(&s);
    struct str w;
    if (is_id_start(ch)) {
        (void)ident(&s, &w);
        return !(w.len == 2 && (memcmp(w.ptr, "as", 2) == 0 || memcmp(w.ptr, "is", 2) == 0));
    }
    return (ch >= '0' && ch <= '9') || (ch != '\0' && strchr("~!(\"'@$", ch) != NULL);
}

/* Type arguments if the token after '>' is one of ( ) ] } : ; , . ? == !=
 * | ^ && || & [ (C# spec, "Grammar ambiguities"), or an identifier (a
 * declaration: List<string> names), '{' (an initializer: new List<int> {1}),
 * or the end. */
bool csx_scan_targs(const struct csx_ctx *c, size_t off)
{
    struct scan s = scan_at(c, off);
    s.p = off;
    if (!type_args(&s, 0))
        return false;
    char ch = peek(&s);
    if (ch == '\0')
        return s.p >= c->len;
    if (is_id_start(ch) || strchr("()]}:;,.?|^&[{", ch) != NULL)
        return true;
    return (ch == '=' || ch == '!') && s.p + 1 < s.end && s.s[s.p + 1] == '=';
}
