/* policy_xml_island.c - where a C# expression island ends (policy_xml.h).
 *
 * Only the brackets, literals and comments of C# matter here: the island is
 * handed to the expression compiler whole. Strings are read in the shapes
 * C# has ("..", @"..", $"..{..}..", $@"..", '.'), with their quote written
 * raw (rawxml) or as &quot; / &apos; (the xml format).
 */
#include <ctype.h>
#include <string.h>

#include "apim_limits.h"
#include "policy_xml.h"

struct island {
    const char *s;
    size_t n;
};

static size_t nest(const struct island *x, size_t i, unsigned depth);

static bool at(const struct island *x, size_t i, const char *lit)
{
    size_t m = strlen(lit);
    return i + m <= x->n && memcmp(x->s + i, lit, m) == 0;
}

/* The length of the quote at i: '"' / '\'' or their entities; 0 if none. */
static size_t quote_len(const struct island *x, size_t i, char q)
{
    if (i < x->n && x->s[i] == q)
        return 1;
    return at(x, i, q == '"' ? "&quot;" : "&apos;") ? 6 : 0;
}

/* A string or char literal whose opening quote (length ql) is at i; the
 * offset after it, or 0 if it does not close. A regular literal ends at a
 * line end too (C# does not let it span lines), so one stray quote costs
 * one line, not the rest of the island. */
static size_t literal(const struct island *x, size_t i, char q, bool verbatim, bool interp,
                      unsigned depth)
{
    size_t ql = quote_len(x, i, q);
    for (i += ql; i < x->n;) {
        size_t e = quote_len(x, i, q);
        if (e && verbatim && quote_len(x, i + e, q)) {
            i += e + quote_len(x, i + e, q); /* "" inside @"..." */
        } else if (e) {
            return i + e;
        } else if (x->s[i] == '\\' && !verbatim) {
            i += 2;
        } else if (x->s[i] == '\n' && !verbatim) {
            return i;
        } else if (interp && at(x, i, "{{")) {
            i += 2;
        } else if (interp && x->s[i] == '{') {
            i = nest(x, i, depth + 1);
            if (i == 0)
                return 0;
        } else {
            i++;
        }
    }
    return 0;
}

/* A literal starting at i, if one does: its end (0: not closed), or i. */
static size_t maybe_literal(const struct island *x, size_t i, unsigned depth, bool *is)
{
    size_t p = i;
    bool verbatim = false, interp = false;
    while (p < i + 2 && p < x->n && (x->s[p] == '@' || x->s[p] == '$')) {
        verbatim |= x->s[p] == '@';
        interp |= x->s[p] == '$';
        p++;
    }
    *is = true;
    if (quote_len(x, p, '"'))
        return literal(x, p, '"', verbatim, interp, depth);
    if (p == i && quote_len(x, p, '\''))
        return literal(x, p, '\'', false, false, depth);
    *is = false;
    return i;
}

static size_t comment(const struct island *x, size_t i)
{
    if (at(x, i, "//")) {
        const char *nl = memchr(x->s + i, '\n', x->n - i);
        return nl ? (size_t)(nl - x->s) : x->n;
    }
    for (i += 2; i + 1 < x->n; i++)
        if (x->s[i] == '*' && x->s[i + 1] == '/')
            return i + 2;
    return x->n;
}

/* The bracket at i opens; the offset after its match, or 0. A closing
 * bracket of another kind is stepped over (C# reports it, not the XML). */
static size_t nest(const struct island *x, size_t i, unsigned depth)
{
    if (depth > APIM_MAX_EXPR_DEPTH)
        return 0;
    char close = x->s[i] == '(' ? ')' : x->s[i] == '[' ? ']' : '}';
    for (i++; i < x->n;) {
        char c = x->s[i];
        bool is = false;
        size_t e = maybe_literal(x, i, depth, &is);
        if (is) {
            if (e == 0)
                return 0;
            i = e;
        } else if (c == close) {
            return i + 1;
        } else if (c == '(' || c == '[' || c == '{') {
            i = nest(x, i, depth + 1);
            if (i == 0)
                return 0;
        } else if (at(x, i, "//") || at(x, i, "/*")) {
            i = comment(x, i);
        } else {
            i++;
        }
    }
    return 0;
}

size_t policy_xml_island_end(const char *text, size_t len, size_t at)
{
    struct island x = { text, len };
    if (at + 1 >= len || text[at] != '@' || (text[at + 1] != '(' && text[at + 1] != '{'))
        return 0;
    return nest(&x, at + 1, 0);
}

static bool blank(const struct policy_xml_node *n)
{
    for (size_t i = 0; i < n->text.len; i++)
        if (!isspace((unsigned char)n->text.ptr[i]))
            return false;
    return true;
}

const struct policy_xml_node *policy_xml_sole_expr(const struct policy_xml_node *e)
{
    const struct policy_xml_node *x = NULL;
    for (const struct policy_xml_node *k = e->children; k; k = k->next) {
        if (k->kind == PXML_TEXT && blank(k))
            continue;
        if (k->kind != PXML_EXPR || x != NULL)
            return NULL;
        x = k;
    }
    return x;
}
