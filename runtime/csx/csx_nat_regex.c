/* csx_nat_regex.c - System.Text.RegularExpressions through PCRE2.
 *
 * .NET's regular expressions ("Regular expression language - quick
 * reference", learn.microsoft.com/dotnet/standard/base-types) and PCRE2's
 * agree on most of the language; where they differ the pattern is refused
 * with a runtime error naming the construct, never run differently:
 * character class subtraction [a-z-[aeiou]], POSIX classes [[:alpha:]],
 * possessive quantifiers, \Q..\E, \v (.NET: a vertical tab), escapes .NET
 * does not know (\h, \K, \R...), recursion, (*VERB)s; RegexOptions
 * RightToLeft, ECMAScript and NonBacktracking are not run. Patterns compile
 * with PCRE2_UTF | PCRE2_UCP (\d, \w, \s and \b are Unicode-aware, as in
 * .NET) and PCRE2_ALT_BSUX (\uFFFF and \xFF as .NET reads them), newline LF.
 * .NET numbers unnamed groups before named ones; PCRE2 numbers them in
 * order: Groups[n] and $n map through net_to_pcre, and a numbered
 * backreference in a pattern that mixes both is refused.
 * Iteration follows .NET: after an empty match the next search starts one
 * character later. Index and Length count UTF-16 code units, as .NET.
 * A regex's backtracking is bounded by the step budget (PCRE2 match limit).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "csx_natives.h"
#include "utf8.h"

#define RX_MAX_TEXT (16u << 20) /* text one Replace or Split builds */

struct rx {
    pcre2_code *code;
    uint32_t ncap;         /* groups, the whole match (0) included */
    uint32_t *net_to_pcre; /* .NET group number -> PCRE2's */
};

/* A match: the offsets (bytes) of every group, PCRE2_UNSET when it did not
 * take part. A Group value points to one of these and a group number. */
struct rxm {
    const struct rx *rx;
    struct str input;
    PCRE2_SIZE *ov; /* 2 * ncap, PCRE2's numbering */
    bool success;
};

struct rxg {
    const struct rxm *m;
    uint32_t g; /* PCRE2's number */
};

static void free_code(void *p)
{
    pcre2_code_free(p);
}

static int refuse(struct csx_vm *vm, const char *what)
{
    return csx_fail(vm, "the regular expression construct %s is not run by apimlocal", what);
}

/* A \ escape at p[i] (the letter after the backslash). */
static int check_escape(struct csx_vm *vm, char d)
{
    static char what[] = "'\\?'";
    if (d == 'v' || (isalpha((unsigned char)d) && strchr("abBtrfneAzZGdDwWsSpPkxuc", d) == NULL)) {
        what[2] = d;
        return refuse(vm, what);
    }
    return 0;
}

/* The constructs .NET and PCRE2 read differently (see the header). */
static int check_pattern(struct csx_vm *vm, struct str p, bool *numbered_ref)
{
    bool cls = false;
    size_t first = 0;
    for (size_t i = 0; i < p.len; i++) {
        char c = p.ptr[i], n = i + 1 < p.len ? p.ptr[i + 1] : '\0';
        if (c == '\\') {
            if (n >= '1' && n <= '9' && !cls)
                *numbered_ref = true;
            if (check_escape(vm, n) != 0)
                return -1;
            i++;
        } else if (cls) {
            if (c == '[' && n == ':')
                return refuse(vm, "'[:' (a POSIX class)");
            if (c == '-' && n == '[')
                return refuse(vm, "'-[' (character class subtraction)");
            cls = !(c == ']' && i > first);
        } else if (c == '[') {
            cls = true;
            first = i + 1 + (n == '^');
        } else if (c == '(' && n == '*') {
            return refuse(vm, "'(*' (a backtracking verb)");
        } else if (c == '(' && n == '?' && i + 2 < p.len) {
            char d = p.ptr[i + 2], e = i + 3 < p.len ? p.ptr[i + 3] : '\0';
            if (d == 'R' || isdigit((unsigned char)d) || strchr("&P|C", d) != NULL ||
                ((d == '-' || d == '+') && isdigit((unsigned char)e)))
                return refuse(vm, "'(?R', '(?1', '(?&', '(?P', '(?|' or '(?C'");
        } else if ((c == '*' || c == '+' || c == '?') && n == '+') {
            return refuse(vm, "'*+', '++' or '?+' (a possessive quantifier)");
        }
    }
    return 0;
}

/* RegexOptions, passed by name ("IgnoreCase"; "IgnoreCase, Multiline"). */
static int options(struct csx_vm *vm, const struct csx_value *v, uint32_t *o)
{
    static const struct {
        const char *name;
        uint32_t flag;
    } known[] = { { "None", 0 },
                  { "IgnoreCase", PCRE2_CASELESS },
                  { "Multiline", PCRE2_MULTILINE },
                  { "ExplicitCapture", PCRE2_NO_AUTO_CAPTURE },
                  { "Compiled", 0 },
                  { "Singleline", PCRE2_DOTALL },
                  { "IgnorePatternWhitespace", PCRE2_EXTENDED },
                  { "CultureInvariant", 0 } };
    struct str s;
    if (csx_arg_str(vm, v, &s) != 0 || s.ptr == NULL)
        return s.ptr == NULL ? csx_fail(vm, "RegexOptions were expected") : -1;
    while (s.len > 0) {
        size_t n = 0;
        while (n < s.len && s.ptr[n] != ',')
            n++;
        struct str name = { s.ptr, n };
        while (name.len > 0 && name.ptr[0] == ' ')
            name.ptr++, name.len--;
        while (name.len > 0 && name.ptr[name.len - 1] == ' ')
            name.len--;
        size_t k = 0;
        while (k < sizeof(known) / sizeof(known[0]) && !str_eq(name, str_from_cstr(known[k].name)))
            k++;
        if (k == sizeof(known) / sizeof(known[0]))
            return csx_fail(vm, "RegexOptions.%.*s is not run by apimlocal", STR_FMT(name));
        *o |= known[k].flag;
        s = n < s.len ? (struct str){ s.ptr + n + 1, s.len - n - 1 } : STR_NULL;
    }
    return 0;
}

/* .NET's group numbers: unnamed groups first (in order), then named ones. */
static void number_groups(struct csx_vm *vm, struct rx *r)
{
    uint32_t count = 0, size = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &table);
    bool *named = ARENA_ARRAY(vm->a, bool, r->ncap);
    for (uint32_t i = 0; i < count; i++)
        named[table[i * size] << 8 | table[i * size + 1]] = true;
    r->net_to_pcre = ARENA_ARRAY(vm->a, uint32_t, r->ncap);
    uint32_t k = 1;
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t g = 1; g < r->ncap; g++)
            if (named[g] == (pass == 1))
                r->net_to_pcre[k++] = g;
}

static int compile_rx(struct csx_vm *vm, const struct csx_value *pat, uint32_t opts,
                      const struct rx **out)
{
    struct str p;
    bool numbered = false;
    if (csx_arg_str(vm, pat, &p) != 0)
        return -1;
    if (p.ptr == NULL)
        return csx_fail(vm, "Value cannot be null. (Parameter 'pattern')");
    if (check_pattern(vm, p, &numbered) != 0)
        return -1;
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
    int err;
    PCRE2_SIZE at;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)p.ptr, p.len,
                                     opts | PCRE2_UTF | PCRE2_UCP | PCRE2_ALT_BSUX, &err, &at, cc);
    pcre2_compile_context_free(cc);
    if (code == NULL) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(err, msg, sizeof(msg));
        return csx_fail(vm, "Invalid pattern '%.*s' at offset %zu. %s", STR_FMT(p), (size_t)at,
                        (const char *)msg);
    }
    arena_on_release(vm->a, free_code, code);
    struct rx *r = ARENA_NEW(vm->a, struct rx);
    r->code = code;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &r->ncap);
    r->ncap++;
    number_groups(vm, r);
    for (uint32_t g = 1; numbered && g < r->ncap; g++)
        if (r->net_to_pcre[g] != g)
            return refuse(vm, "'\\1'..'\\9' (a numbered backreference) with named groups");
    *out = r;
    return 0;
}

/* The first match in input at or after byte start: 0 with *out (success
 * false when there is none), or -1. */
static int search(struct csx_vm *vm, const struct rx *rx, struct str input, size_t start,
                  struct rxm **out)
{
    if (csx_spend(vm, 1 + (input.len - start) / CSX_BYTES_PER_STEP) != 0)
        return -1;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(rx->code, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    if (md == NULL || mc == NULL)
        abort(); /* out of memory, as xmalloc */
    pcre2_set_match_limit(mc, vm->steps > 10000000u ? 10000000u : (uint32_t)vm->steps);
    int rc = pcre2_match(rx->code, (PCRE2_SPTR)input.ptr, input.len, start, 0, md, mc);
    struct rxm *m = ARENA_NEW(vm->a, struct rxm);
    *m = (struct rxm){ rx, input, ARENA_ARRAY(vm->a, PCRE2_SIZE, 2 * rx->ncap), rc > 0 };
    memcpy(m->ov, pcre2_get_ovector_pointer(md), 2 * rx->ncap * sizeof(PCRE2_SIZE));
    for (int g = rc > 0 ? rc : 0; (uint32_t)g < rx->ncap; g++)
        m->ov[2 * g] = m->ov[2 * g + 1] = PCRE2_UNSET;
    pcre2_match_data_free(md);
    pcre2_match_context_free(mc);
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT) {
        vm->fatal = true;
        return csx_fail(vm, "the regular expression ran longer than the expression's budget");
    }
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(rc, msg, sizeof(msg));
        return csx_fail(vm, "the regular expression failed: %s", (const char *)msg);
    }
    *out = m;
    return 0;
}

/* Where the search after m starts: its end, one character further when
 * it was empty (.NET's rule); -1 past the end. */
static long long after(const struct rxm *m)
{
    size_t end = m->ov[1];
    if (m->ov[0] != end)
        return (long long)end;
    if (end >= m->input.len)
        return -1;
    size_t n = utf8_seq_len((const unsigned char *)m->input.ptr + end, m->input.len - end);
    return (long long)(end + (n ? n : 1));
}

static struct csx_value match_value(const struct rxm *m, enum csx_type_id type, uint32_t g,
                                    struct csx_vm *vm)
{
    struct rxg *x = ARENA_NEW(vm->a, struct rxg);
    *x = (struct rxg){ m, g };
    return csx_obj(type, x);
}

/* The input argument (a null one is .NET's ArgumentNullException). */
static int input_arg(struct csx_vm *vm, const struct csx_value *v, struct str *s)
{
    if (csx_arg_str(vm, v, s) != 0)
        return -1;
    if (s->ptr == NULL)
        return csx_fail(vm, "Value cannot be null. (Parameter 'input')");
    return 0;
}

/* UTF-16 code units in s[0..n). */
static int64_t utf16_len(const char *s, size_t n)
{
    int64_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        k += !utf8_is_continuation(c) + (c >= 0xF0);
    }
    return k;
}

/* Every match, from the start (Matches, Replace, Split), at most max. */
static int all_matches(struct csx_vm *vm, const struct rx *rx, struct str in, size_t max,
                       struct rxm ***out, size_t *n)
{
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    long long at = 0;
    while (at >= 0 && *n < max) {
        struct rxm *m;
        if (search(vm, rx, in, (size_t)at, &m) != 0)
            return -1;
        if (!m->success)
            break;
        ARENA_GROW(vm->a, *out, *n, cap, 8);
        (*out)[(*n)++] = m;
        at = after(m);
    }
    return 0;
}

/* Appends group g (.NET's number) of m, if it took part. */
static int put_group(struct buf *b, const struct rxm *m, uint32_t g)
{
    uint32_t k = m->rx->net_to_pcre[g];
    if (m->ov[2 * k] == PCRE2_UNSET)
        return 0;
    return buf_append(b, m->input.ptr + m->ov[2 * k], m->ov[2 * k + 1] - m->ov[2 * k]);
}

/* $ at r[*i] of a .NET substitution: $n, ${name}, $$, $&, $`, $', $+, $_;
 * anything else is the '$' itself. Advances *i past what it read. */
static int dollar(struct buf *b, struct str r, size_t *i, const struct rxm *m)
{
    const char *p = r.ptr + *i + 1;
    size_t left = r.len - *i - 1;
    if (left > 0 && isdigit((unsigned char)p[0])) {
        uint32_t g = 0;
        size_t n = 0;
        while (n < left && isdigit((unsigned char)p[n]) &&
               g * 10 + (uint32_t)(p[n] - '0') < m->rx->ncap)
            g = g * 10 + (uint32_t)(p[n++] - '0');
        if (n > 0) {
            *i += n + 1;
            return put_group(b, m, g);
        }
    } else if (left > 1 && p[0] == '{') {
        const char *close = memchr(p, '}', left);
        if (close != NULL) {
            char name[64];
            size_t n = (size_t)(close - p - 1);
            int k = -1;
            if (n > 0 && n < sizeof(name)) {
                memcpy(name, p + 1, n);
                name[n] = '\0';
                k = pcre2_substring_number_from_name(m->rx->code, (PCRE2_SPTR)name);
            }
            if (k > 0) {
                *i += n + 3;
                return m->ov[2 * k] == PCRE2_UNSET ? 0
                                                   : buf_append(b, m->input.ptr + m->ov[2 * k],
                                                                m->ov[2 * k + 1] - m->ov[2 * k]);
            }
        }
    } else if (left > 0 && strchr("$&`'+_", p[0]) != NULL) {
        *i += 2;
        switch (p[0]) {
        case '$':
            return buf_puts(b, "$");
        case '&':
            return put_group(b, m, 0);
        case '`':
            return buf_append(b, m->input.ptr, m->ov[0]);
        case '\'':
            return buf_append(b, m->input.ptr + m->ov[1], m->input.len - m->ov[1]);
        case '+':
            return m->rx->ncap > 1 ? put_group(b, m, m->rx->ncap - 1) : 0;
        default:
            return buf_append(b, m->input.ptr, m->input.len);
        }
    }
    *i += 1;
    return buf_puts(b, "$");
}

/* The text that replaces m: the substitution, or what the evaluator
 * (a lambda taking the Match) returns. */
static int replacement(struct csx_vm *vm, struct buf *b, const struct csx_value *with,
                       const struct rxm *m)
{
    if (with->t == CSXV_FUNC) {
        struct csx_value arg = match_value(m, CSXT_MATCH, 0, vm), res;
        if (csx_call(vm, with, &arg, 1, &res) != 0)
            return -1;
        struct str s = csx_value_str(vm->a, &res);
        return buf_append(b, s.ptr, s.len) != 0 ? csx_fail(vm, "the replaced text is too long") : 0;
    }
    struct str r;
    if (csx_arg_str(vm, with, &r) != 0)
        return -1;
    if (r.ptr == NULL)
        return csx_fail(vm, "Value cannot be null. (Parameter 'replacement')");
    int rc = 0;
    for (size_t i = 0; i < r.len && rc == 0;) {
        const char *d = memchr(r.ptr + i, '$', r.len - i);
        size_t n = d ? (size_t)(d - r.ptr) - i : r.len - i;
        rc = buf_append(b, r.ptr + i, n);
        i += n;
        if (d != NULL && rc == 0)
            rc = dollar(b, r, &i, m);
    }
    return rc != 0 ? csx_fail(vm, "the replaced text is too long") : 0;
}

static struct csx_value take(struct csx_vm *vm, struct buf *b)
{
    struct csx_value v = csx_string_dup(vm, b->data ? b->data : "", b->len);
    buf_release(b);
    return v;
}

static int replace(struct csx_vm *vm, const struct rx *rx, struct str in,
                   const struct csx_value *with, size_t max, struct csx_value *out)
{
    struct rxm **ms;
    size_t n, prev = 0;
    if (all_matches(vm, rx, in, max, &ms, &n) != 0)
        return -1;
    struct buf b;
    buf_init(&b, RX_MAX_TEXT);
    for (size_t i = 0; i < n; i++) {
        if (buf_append(&b, in.ptr + prev, ms[i]->ov[0] - prev) != 0 ||
            replacement(vm, &b, with, ms[i]) != 0) {
            buf_release(&b);
            return vm->err->reason[0] ? -1 : csx_fail(vm, "the replaced text is too long");
        }
        prev = ms[i]->ov[1];
    }
    if (buf_append(&b, in.ptr + prev, in.len - prev) != 0) {
        buf_release(&b);
        return csx_fail(vm, "the replaced text is too long");
    }
    if (csx_spend(vm, b.len / CSX_BYTES_PER_STEP) != 0) {
        buf_release(&b);
        return -1;
    }
    *out = take(vm, &b);
    return 0;
}

/* Split: the text between matches, each match's groups that took part
 * in between (.NET includes captured text), at most max pieces. */
static int split(struct csx_vm *vm, const struct rx *rx, struct str in, size_t max,
                 struct csx_value *out)
{
    struct rxm **ms;
    size_t n, prev = 0, k = 0;
    if (all_matches(vm, rx, in, max > 0 ? max - 1 : 0, &ms, &n) != 0)
        return -1;
    struct csx_value l = csx_list(vm, CSXT_STRINGS, n * rx->ncap + 1);
    for (size_t i = 0; i < n; i++) {
        l.u.list[k++] = csx_string((struct str){ in.ptr + prev, ms[i]->ov[0] - prev });
        for (uint32_t g = 1; g < rx->ncap; g++) {
            uint32_t p = rx->net_to_pcre[g];
            if (ms[i]->ov[2 * p] != PCRE2_UNSET)
                l.u.list[k++] = csx_string((struct str){ in.ptr + ms[i]->ov[2 * p],
                                                         ms[i]->ov[2 * p + 1] - ms[i]->ov[2 * p] });
        }
        prev = ms[i]->ov[1];
    }
    l.u.list[k++] = csx_string((struct str){ in.ptr + prev, in.len - prev });
    l.n = (uint32_t)k;
    *out = l;
    return 0;
}

static int matches(struct csx_vm *vm, const struct rx *rx, struct str in, struct csx_value *out)
{
    struct rxm **ms;
    size_t n;
    if (all_matches(vm, rx, in, SIZE_MAX, &ms, &n) != 0)
        return -1;
    struct csx_value l = csx_list(vm, CSXT_MATCHES, n);
    for (size_t i = 0; i < n; i++)
        l.u.list[i] = match_value(ms[i], CSXT_MATCH, 0, vm);
    *out = l;
    return 0;
}

/* Regex.Escape: \ * + ? | { [ ( ) ^ $ . # and white space get a backslash
 * (tab, newline, carriage return and form feed as \t \n \r \f). */
static int escape(struct buf *b, struct str s)
{
    int rc = 0;
    for (size_t i = 0; i < s.len && rc == 0; i++) {
        char c = s.ptr[i];
        const char *w = c == '\t'   ? "\\t"
                        : c == '\n' ? "\\n"
                        : c == '\r' ? "\\r"
                        : c == '\f' ? "\\f"
                                    : NULL;
        if (w != NULL)
            rc = buf_puts(b, w);
        else if (c != '\0' && strchr("\\*+?|{[()^$.# ", c) != NULL)
            rc = buf_printf(b, "\\%c", c);
        else
            rc = buf_append(b, &c, 1);
    }
    return rc;
}

/* The value of n hex digits at p, or -1. */
static long hex(const char *p, size_t left, size_t n)
{
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (i >= left || !isxdigit((unsigned char)p[i]))
            return -1;
        v = v * 16 + (isdigit((unsigned char)p[i]) ? p[i] - '0' : (p[i] | 0x20) - 'a' + 10);
    }
    return v;
}

/* One escape of Regex.Unescape at s[*i] (after the backslash). */
static int unescape_one(struct csx_vm *vm, struct buf *b, struct str s, size_t *i)
{
    static const char from[] = "abefnrtv", to[] = "\a\b\x1b\f\n\r\t\v";
    char c = s.ptr[*i], u8[4];
    const char *k = c != '\0' ? strchr(from, c) : NULL;
    long cp = -1;
    size_t used = 1;
    if (k != NULL) {
        cp = to[k - from];
    } else if (c == 'x' || c == 'u') {
        used = c == 'x' ? 3 : 5;
        cp = hex(s.ptr + *i + 1, s.len - *i - 1, used - 1);
        if (cp < 0)
            return csx_fail(vm, "Insufficient hexadecimal digits.");
    } else if (c >= '0' && c <= '7') {
        cp = 0;
        for (used = 0;
             used < 3 && *i + used < s.len && s.ptr[*i + used] >= '0' && s.ptr[*i + used] <= '7';
             used++)
            cp = cp * 8 + (s.ptr[*i + used] - '0');
        cp &= 0xFF;
    } else if (isalnum((unsigned char)c) || c == '_') {
        return csx_fail(vm, "Unrecognized escape sequence \\%c.", c);
    } else {
        used = 1;
        size_t n = utf8_seq_len((const unsigned char *)s.ptr + *i, s.len - *i);
        *i += n ? n : 1;
        return buf_append(b, s.ptr + *i - (n ? n : 1), n ? n : 1);
    }
    *i += used;
    size_t n = utf8_encode((uint32_t)cp, u8);
    return buf_append(b, u8, n);
}

static int unescape(struct csx_vm *vm, struct buf *b, struct str s)
{
    for (size_t i = 0; i < s.len;) {
        const char *bs = memchr(s.ptr + i, '\\', s.len - i);
        size_t n = bs ? (size_t)(bs - s.ptr) - i : s.len - i;
        if (buf_append(b, s.ptr + i, n) != 0)
            return csx_fail(vm, "the unescaped text is too long");
        i += n;
        if (bs == NULL)
            break;
        if (++i >= s.len)
            return csx_fail(vm, "Illegal \\\\ at end of pattern.");
        if (unescape_one(vm, b, s, &i) != 0)
            return vm->err->reason[0] ? -1 : csx_fail(vm, "the unescaped text is too long");
    }
    return 0;
}

CSX_NATIVE(csx_nat_regex_escape)
{
    (void)self, (void)argc, (void)targ;
    struct str in;
    if (csx_arg_str(vm, &args[0], &in) != 0)
        return -1;
    if (in.ptr == NULL)
        return csx_fail(vm, "Value cannot be null. (Parameter 'str')");
    struct buf b;
    buf_init(&b, RX_MAX_TEXT);
    int rc = m == CSXM_REGEX_ESCAPE
                 ? (escape(&b, in) != 0 ? csx_fail(vm, "the escaped text is too long") : 0)
                 : unescape(vm, &b, in);
    if (rc == 0)
        rc = csx_spend(vm, b.len / CSX_BYTES_PER_STEP);
    if (rc != 0) {
        buf_release(&b);
        return -1;
    }
    *out = take(vm, &b);
    return 0;
}

/* The operation m (IsMatch, Match, Matches, Replace, Split) of rx on input;
 * with: Replace's replacement; max: Replace's and Split's count. */
static int apply(struct csx_vm *vm, unsigned m, const struct rx *rx, const struct csx_value *input,
                 const struct csx_value *with, size_t max, struct csx_value *out)
{
    struct str in;
    struct rxm *x;
    if (input_arg(vm, input, &in) != 0)
        return -1;
    switch (m) {
    case CSXM_REGEX_SISMATCH:
    case CSXM_REGEX_ISMATCH:
    case CSXM_REGEX_SMATCH:
    case CSXM_REGEX_MATCH:
        if (search(vm, rx, in, 0, &x) != 0)
            return -1;
        *out = m == CSXM_REGEX_SISMATCH || m == CSXM_REGEX_ISMATCH
                   ? csx_bool(x->success)
                   : match_value(x, CSXT_MATCH, 0, vm);
        return 0;
    case CSXM_REGEX_SMATCHES:
    case CSXM_REGEX_MATCHES:
        return matches(vm, rx, in, out);
    case CSXM_REGEX_SREPLACE:
    case CSXM_REGEX_REPLACE:
        return replace(vm, rx, in, with, max, out);
    default:
        return split(vm, rx, in, max, out);
    }
}

/* Regex.IsMatch(input, pattern[, options[, timeout]]) and the others:
 * Replace has the replacement third. A timeout is accepted: the step
 * budget bounds every match instead. */
CSX_NATIVE(csx_nat_regex_static)
{
    (void)self, (void)targ;
    unsigned opt = m == CSXM_REGEX_SREPLACE ? 3 : 2;
    uint32_t o = 0;
    const struct rx *rx;
    if ((argc > opt && options(vm, &args[opt], &o) != 0) || compile_rx(vm, &args[1], o, &rx) != 0)
        return -1;
    return apply(vm, m, rx, &args[0], &args[2], SIZE_MAX, out);
}

CSX_NATIVE(csx_nat_regex_ctor)
{
    (void)m, (void)self, (void)targ;
    uint32_t o = 0;
    const struct rx *rx;
    if ((argc > 1 && options(vm, &args[1], &o) != 0) || compile_rx(vm, &args[0], o, &rx) != 0)
        return -1;
    *out = csx_obj(CSXT_REGEX, rx);
    return 0;
}

/* r.IsMatch(input), r.Match(input), r.Matches(input), r.Replace(input,
 * replacement[, count]), r.Split(input[, count]); a 'startat' is not run. */
CSX_NATIVE(csx_nat_regex_method)
{
    (void)targ;
    unsigned counted = m == CSXM_REGEX_REPLACE ? 2 : m == CSXM_REGEX_SPLIT ? 1 : 99;
    if (argc > (counted == 99 ? 1u : counted + 1))
        return csx_fail(vm, "'Regex.%s' with a 'startat' argument is not run by apimlocal",
                        csx_member_rows[m].name);
    int64_t count = -1;
    if (argc > counted && csx_arg_int(vm, &args[counted], &count) != 0)
        return -1;
    if (count < -1 || (m == CSXM_REGEX_SPLIT && count < 0 && argc > counted))
        return csx_fail(vm, "Count cannot be less than -1. (Parameter 'count')");
    size_t max = count < 0 || (m == CSXM_REGEX_SPLIT && count == 0) ? SIZE_MAX : (size_t)count;
    return apply(vm, m, self->u.p, &args[0], &args[1], max, out);
}

struct str csx_nat_regex_str(const struct csx_value *v)
{
    const struct rxg *x = v->u.p;
    const PCRE2_SIZE *ov = x->m->ov + 2 * x->g;
    if (ov[0] == PCRE2_UNSET)
        return STR_LIT("");
    return (struct str){ x->m->input.ptr + ov[0], ov[1] - ov[0] };
}

/* Groups[n] (.NET's number) or Groups["name"] (a number as text too). */
static int group_at(struct csx_vm *vm, const struct rxm *m, const struct csx_value *key,
                    struct csx_value *out)
{
    int64_t g = -1;
    if (key->t == CSXV_STRING) {
        char name[64];
        size_t n = key->n < sizeof(name) - 1 ? key->n : sizeof(name) - 1;
        memcpy(name, key->u.s, n);
        name[n] = '\0';
        char *end;
        long num = strtol(name, &end, 10);
        int k = pcre2_substring_number_from_name(m->rx->code, (PCRE2_SPTR)name);
        g = n > 0 && *end == '\0' && num >= 0 && num < (long)m->rx->ncap
                ? (int64_t)m->rx->net_to_pcre[num]
                : k;
    } else if (csx_arg_int(vm, key, &g) != 0) {
        return -1;
    } else {
        g = g >= 0 && g < (int64_t)m->rx->ncap ? (int64_t)m->rx->net_to_pcre[g] : -1;
    }
    if (g < 0) { /* .NET: a group that does not exist is an unmatched one */
        struct rxm *none = ARENA_NEW(vm->a, struct rxm);
        *none = (struct rxm){ m->rx, m->input, ARENA_ARRAY(vm->a, PCRE2_SIZE, 2), false };
        none->ov[0] = none->ov[1] = PCRE2_UNSET;
        g = 0;
        m = none;
    }
    *out = match_value(m, CSXT_GROUP, (uint32_t)g, vm);
    return 0;
}

/* Match and Group: Success, Value, Index, Length, Groups, NextMatch();
 * GroupCollection and MatchCollection: Count and the indexer. */
CSX_NATIVE(csx_nat_regex_match)
{
    (void)argc, (void)targ;
    if (m == CSXM_MATCHES_COUNT || m == CSXM_MATCHES_INDEX) {
        int64_t i = 0;
        if (m == CSXM_MATCHES_INDEX && csx_arg_int(vm, &args[0], &i) != 0)
            return -1;
        if (i < 0 || (m == CSXM_MATCHES_INDEX && (uint64_t)i >= self->n))
            return csx_fail(vm, "Specified argument was out of the range of valid values. "
                                "(Parameter 'i')");
        *out = m == CSXM_MATCHES_COUNT ? csx_int(self->n) : self->u.list[i];
        return 0;
    }
    if (m == CSXM_GROUPS_COUNT || m == CSXM_GROUPS_INDEX) {
        const struct rxm *x = ((const struct rxg *)self->u.p)->m;
        if (m == CSXM_GROUPS_COUNT) {
            *out = csx_int(x->rx->ncap);
            return 0;
        }
        return group_at(vm, x, &args[0], out);
    }
    const struct rxg *x = self->u.p;
    const PCRE2_SIZE *ov = x->m->ov + 2 * x->g;
    bool took = ov[0] != PCRE2_UNSET;
    switch (m) {
    case CSXM_MATCH_SUCCESS:
    case CSXM_GROUP_SUCCESS:
        *out = csx_bool(took);
        return 0;
    case CSXM_MATCH_VALUE:
    case CSXM_GROUP_VALUE:
        *out = csx_string(csx_nat_regex_str(self));
        return 0;
    case CSXM_MATCH_INDEX:
    case CSXM_GROUP_INDEX:
        *out = csx_int(took ? utf16_len(x->m->input.ptr, ov[0]) : 0);
        return 0;
    case CSXM_MATCH_LENGTH:
    case CSXM_GROUP_LENGTH:
        *out = csx_int(took ? utf16_len(x->m->input.ptr + ov[0], ov[1] - ov[0]) : 0);
        return 0;
    case CSXM_MATCH_GROUPS:
        *out = csx_obj(CSXT_GROUPS, x);
        return 0;
    default: { /* NextMatch: an unsuccessful match stays one */
        long long at = took ? after(x->m) : -1;
        struct rxm *next;
        if (at < 0) {
            *out = *self;
            return 0;
        }
        if (search(vm, x->m->rx, x->m->input, (size_t)at, &next) != 0)
            return -1;
        *out = match_value(next, CSXT_MATCH, 0, vm);
        return 0;
    }
    }
}
