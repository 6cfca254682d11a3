/* extract.c - see extract.h. Three decoding layers, each a small pass:
 * the file's own strings (JSON, Bicep), XML comments and entities, then
 * the C#-aware bracket matching that finds where an expression ends. */
#include "extract.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

typedef void (*found_fn)(void *arg, const char *text, size_t len);

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

enum extract_kind extract_kind(const char *name)
{
    if (ends_with(name, ".xml") || ends_with(name, ".cshtml"))
        return EXTRACT_XML;
    if (ends_with(name, ".json"))
        return EXTRACT_JSON;
    if (ends_with(name, ".bicep"))
        return EXTRACT_BICEP;
    return EXTRACT_NONE;
}

static size_t skip_code(const char *s, size_t i, size_t n, char closer);

/* After the opening quote of a regular or verbatim string. */
static size_t skip_string(const char *s, size_t i, size_t n, bool verbatim)
{
    while (i < n) {
        if (verbatim && s[i] == '"' && i + 1 < n && s[i + 1] == '"')
            i += 2;
        else if (s[i] == '"')
            return i + 1;
        else if (!verbatim && s[i] == '\\')
            i += 2;
        else
            i++;
    }
    return n;
}

static size_t skip_interp(const char *s, size_t i, size_t n, bool verbatim)
{
    while (i < n) {
        if ((s[i] == '{' || s[i] == '}') && i + 1 < n && s[i + 1] == s[i])
            i += 2;
        else if (s[i] == '{')
            i = skip_code(s, i + 1, n, '}') + 1;
        else if (s[i] == '"' && !(verbatim && i + 1 < n && s[i + 1] == '"'))
            return i + 1;
        else
            i += (s[i] == '\\' && !verbatim) || s[i] == '"' ? 2 : 1;
    }
    return n;
}

/* One token of code at s[i] that is not a bracket: where it ends. */
static size_t skip_token(const char *s, size_t i, size_t n)
{
    if (s[i] == '"')
        return skip_string(s, i + 1, n, false);
    if (i + 1 < n && s[i] == '@' && s[i + 1] == '"')
        return skip_string(s, i + 2, n, true);
    if (i + 1 < n && s[i] == '$' && s[i + 1] == '"')
        return skip_interp(s, i + 2, n, false);
    if (i + 2 < n && (s[i] == '$' || s[i] == '@') && (s[i + 1] == '$' || s[i + 1] == '@') &&
        s[i + 2] == '"')
        return skip_interp(s, i + 3, n, true);
    if (s[i] == '\'') {
        for (size_t j = i + 1; j < n && j < i + 12 && s[j] != '\n'; j++)
            if (s[j] == '\'' && (s[j - 1] != '\\' || s[j - 2] == '\\'))
                return j + 1;
        return i + 1;
    }
    if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
        const char *nl = memchr(s + i, '\n', n - i);
        return nl ? (size_t)(nl - s) : n;
    }
    if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
        const char *end = strstr(s + i + 2, "*/");
        return end ? (size_t)(end - s) + 2 : n;
    }
    return i + 1;
}

/* From inside a bracket to its closer: the closer's index, or n. */
static size_t skip_code(const char *s, size_t i, size_t n, char closer)
{
    unsigned depth = 0;
    while (i < n) {
        char c = s[i];
        if (c == '(' || c == '[' || c == '{') {
            depth++;
            i++;
        } else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0)
                return c == closer ? i : n;
            depth--;
            i++;
        } else {
            i = skip_token(s, i, n);
        }
    }
    return n;
}

static void expressions(const char *s, size_t n, found_fn fn, void *arg)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '@' || (s[i + 1] != '(' && s[i + 1] != '{'))
            continue;
        size_t end = skip_code(s, i + 2, n, s[i + 1] == '(' ? ')' : '}');
        if (end >= n)
            break; /* unterminated: the rest of the text is the expression */
        fn(arg, s + i, end + 1 - i);
        i = end;
    }
}

static int put(struct buf *b, const char *s, size_t n)
{
    return buf_append(b, s, n);
}

static size_t utf8(char *out, unsigned long cp)
{
    if (cp < 0x80)
        return out[0] = (char)cp, 1;
    if (cp < 0x800)
        return out[0] = (char)(0xc0 | (cp >> 6)), out[1] = (char)(0x80 | (cp & 0x3f)), 2;
    out[0] = (char)(0xe0 | ((cp >> 12) & 0x0f));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
}

/* XML: comments dropped, the five entities and character references
 * decoded, then the expressions found. */
static void xml_text(const char *s, size_t n, found_fn fn, void *arg)
{
    static const char *const ent[][2] = {
        { "&quot;", "\"" }, { "&apos;", "'" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" }
    };
    struct buf b;
    buf_init(&b, 64u << 20);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            const char *end = strstr(s + i + 4, "-->");
            i = end && (size_t)(end - s) < n ? (size_t)(end - s) + 3 : n;
            continue;
        }
        size_t k = 0;
        for (; k < 5; k++)
            if (n - i >= strlen(ent[k][0]) && memcmp(s + i, ent[k][0], strlen(ent[k][0])) == 0)
                break;
        if (k < 5) {
            rc = put(&b, ent[k][1], 1);
            i += strlen(ent[k][0]);
        } else if (n - i > 2 && s[i] == '&' && s[i + 1] == '#') {
            char *end, out[4];
            bool hex = s[i + 2] == 'x';
            unsigned long cp = strtoul(s + i + 2 + hex, &end, hex ? 16 : 10);
            if (*end == ';' && cp > 0 && cp < 0x10000) {
                rc = put(&b, out, utf8(out, cp));
                i = (size_t)(end - s) + 1;
            } else {
                rc = put(&b, s + i++, 1);
            }
        } else {
            rc = put(&b, s + i++, 1);
        }
    }
    if (rc == 0)
        expressions(b.data, b.len, fn, arg);
    buf_release(&b);
}

/* A JSON string's body from s[i] (after the quote): decoded into b;
 * returns the index after the closing quote. */
static size_t json_string(const char *s, size_t i, size_t n, struct buf *b)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    int rc = 0;
    while (i < n && s[i] != '"' && rc == 0) {
        if (s[i] == '\\' && i + 1 < n) {
            const char *k = strchr(from, s[i + 1]);
            char out[4];
            if (s[i + 1] == 'u' && i + 5 < n) {
                char hex[5] = { s[i + 2], s[i + 3], s[i + 4], s[i + 5], 0 };
                rc = put(b, out, utf8(out, strtoul(hex, NULL, 16)));
                i += 6;
            } else {
                rc = k && s[i + 1] ? put(b, to + (k - from), 1) : put(b, s + i + 1, 1);
                i += 2;
            }
        } else {
            rc = put(b, s + i++, 1);
        }
    }
    return i + 1;
}

static void json_file(const char *s, size_t n, found_fn fn, void *arg)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '"')
            continue;
        struct buf b;
        buf_init(&b, 64u << 20);
        i = json_string(s, i + 1, n, &b) - 1;
        if (b.len > 0 && memchr(b.data, '@', b.len) != NULL)
            xml_text(b.data, b.len, fn, arg);
        buf_release(&b);
    }
}

/* Bicep: '...' with \' \\ \n \r \t \$ escapes, and raw '''...'''. */
static void bicep_file(const char *s, size_t n, found_fn fn, void *arg)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\'')
            continue;
        struct buf b;
        buf_init(&b, 64u << 20);
        int rc = 0;
        if (n - i >= 3 && memcmp(s + i, "'''", 3) == 0) {
            const char *end = strstr(s + i + 3, "'''");
            size_t e = end ? (size_t)(end - s) : n;
            rc = put(&b, s + i + 3, e - i - 3);
            i = e + 2;
        } else {
            static const char from[] = "'\\nrt$", to[] = "'\\\n\r\t$";
            for (i++; i < n && s[i] != '\'' && s[i] != '\n' && rc == 0; i++) {
                const char *k = s[i] == '\\' && i + 1 < n ? strchr(from, s[i + 1]) : NULL;
                rc = k && s[i + 1] ? (i++, put(&b, to + (k - from), 1)) : put(&b, s + i, 1);
            }
        }
        if (rc == 0)
            xml_text(b.data, b.len, fn, arg);
        buf_release(&b);
    }
}

void extract_file(enum extract_kind k, const char *text, size_t len, found_fn fn, void *arg)
{
    if (k == EXTRACT_XML)
        xml_text(text, len, fn, arg);
    else if (k == EXTRACT_JSON)
        json_file(text, len, fn, arg);
    else if (k == EXTRACT_BICEP)
        bicep_file(text, len, fn, arg);
}
