/* csx_nat_str.c - System.String and the conversions around it: Convert
 * (Base64), Encoding, parsing, Guid, arrays' Length and indexer, Math.
 *
 * Strings are UTF-8 and their indexes count bytes: exact for ASCII (every
 * header, key and token the corpus handles); C# counts UTF-16 code units,
 * so an index past a non-ASCII character differs. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "csx_natives.h"

static struct str self_str(const struct csx_value *self)
{
    return (struct str){ self->u.s, self->n };
}

static struct csx_value sub(struct str s, size_t at, size_t n)
{
    return csx_string((struct str){ s.ptr + at, n });
}

/* A string argument, or a char one as a string. */
static int str_arg(struct csx_vm *vm, const struct csx_value *v, struct str *s)
{
    if (v->t == CSXV_CHAR) {
        *s = csx_value_str(vm->a, v);
        return 0;
    }
    return csx_arg_str(vm, v, s);
}

CSX_NATIVE(csx_nat_str_length)
{
    (void)vm, (void)m, (void)args, (void)argc, (void)targ;
    *out = csx_int(self->n);
    return 0;
}

static int index_arg(struct csx_vm *vm, const struct csx_value *v, size_t len, bool end_ok,
                     size_t *i)
{
    int64_t k;
    if (csx_arg_int(vm, v, &k) != 0)
        return -1;
    if (k < 0 || (uint64_t)k > len || (!end_ok && (uint64_t)k == len))
        return csx_fail(vm, "Index was out of range. Must be non-negative and less than the size "
                            "of the collection.");
    *i = (size_t)k;
    return 0;
}

CSX_NATIVE(csx_nat_str_index)
{
    (void)m, (void)argc, (void)targ;
    size_t i = 0;
    if (index_arg(vm, &args[0], self->n, false, &i) != 0)
        return -1;
    *out =
        (struct csx_value){ .t = CSXV_CHAR, .type = CSXT_CHAR, .u.i = (unsigned char)self->u.s[i] };
    return 0;
}

/* The separators of Split: chars, strings, or arrays of them. */
static int separators(struct csx_vm *vm, const struct csx_value *v, struct str *seps, size_t *n)
{
    if (v->t == CSXV_LIST) {
        for (uint32_t i = 0; i < v->n && *n < 16; i++)
            if (separators(vm, &v->u.list[i], seps, n) != 0)
                return -1;
        return 0;
    }
    if (v->t == CSXV_CHAR) {
        struct str c = csx_value_str(vm->a, v);
        seps[(*n)++] = c;
        return 0;
    }
    return csx_arg_str(vm, v, &seps[(*n)++]);
}

static size_t match_sep(struct str s, size_t at, const struct str *seps, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (seps[k].len > 0 && seps[k].len <= s.len - at &&
            memcmp(s.ptr + at, seps[k].ptr, seps[k].len) == 0)
            return seps[k].len;
    return 0;
}

CSX_NATIVE(csx_nat_str_split)
{
    (void)m, (void)targ;
    struct str s = self_str(self), seps[16];
    size_t nseps = 0, count = 1;
    bool drop_empty = false;
    for (unsigned a = 0; a < argc; a++) {
        struct str opt;
        if (a > 0 && args[a].t == CSXV_STRING && csx_arg_str(vm, &args[a], &opt) == 0 &&
            str_eq(opt, STR_LIT("RemoveEmptyEntries")))
            drop_empty = true;
        else if (a == 0 && separators(vm, &args[a], seps, &nseps) != 0)
            return -1;
    }
    for (size_t i = 0; i < s.len; i++)
        count += match_sep(s, i, seps, nseps) > 0;
    struct csx_value l = csx_list(vm, CSXT_STRINGS, count);
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= s.len; i++) {
        size_t w = i < s.len ? match_sep(s, i, seps, nseps) : 1;
        if (w == 0)
            continue;
        if (!drop_empty || i > start)
            l.u.list[k++] = sub(s, start, i - start);
        start = i + w;
        i += w - 1;
    }
    l.n = (uint32_t)k;
    *out = l;
    return csx_spend(vm, s.len);
}

CSX_NATIVE(csx_nat_str_substring)
{
    (void)m, (void)targ;
    size_t at = 0, n;
    if (index_arg(vm, &args[0], self->n, true, &at) != 0)
        return -1;
    n = self->n - at;
    if (argc > 1 && index_arg(vm, &args[1], self->n - at, true, &n) != 0)
        return -1;
    *out = sub(self_str(self), at, n);
    return 0;
}

CSX_NATIVE(csx_nat_str_replace)
{
    (void)m, (void)argc, (void)targ;
    struct str s = self_str(self), from, to;
    if (str_arg(vm, &args[0], &from) != 0 || str_arg(vm, &args[1], &to) != 0)
        return -1;
    if (from.len == 0)
        return csx_fail(vm, "String cannot be of zero length. (Parameter 'oldValue')");
    struct buf b;
    buf_init(&b, (size_t)1 << 26);
    int rc = 0;
    for (size_t i = 0; i < s.len && rc == 0;) {
        if (from.len <= s.len - i && memcmp(s.ptr + i, from.ptr, from.len) == 0) {
            rc = to.len ? buf_append(&b, to.ptr, to.len) : 0;
            i += from.len;
        } else {
            rc = buf_append(&b, s.ptr + i++, 1);
        }
    }
    *out = csx_string_dup(vm, b.data ? b.data : "", b.len);
    buf_release(&b);
    return rc != 0 ? csx_fail(vm, "the string is too long")
                   : csx_spend(vm, s.len + b.len / CSX_BYTES_PER_STEP);
}

CSX_NATIVE(csx_nat_str_case)
{
    (void)args, (void)argc, (void)targ;
    char *o = arena_strndup(vm->a, self->u.s, self->n);
    bool upper = m == CSXM_STRING_TOUPPER || m == CSXM_STRING_TOUPPERINVARIANT;
    for (size_t i = 0; i < self->n; i++)
        o[i] = (char)(upper ? toupper((unsigned char)o[i]) : tolower((unsigned char)o[i]));
    *out = csx_string((struct str){ o, self->n });
    return 0;
}

static bool trims(char c, const struct csx_value *args, unsigned argc)
{
    if (argc == 0)
        return isspace((unsigned char)c);
    for (unsigned a = 0; a < argc; a++)
        if (args[a].t == CSXV_CHAR && args[a].u.i == (unsigned char)c)
            return true;
    return false;
}

CSX_NATIVE(csx_nat_str_trim)
{
    (void)vm, (void)targ;
    size_t at = 0, end = self->n;
    if (m != CSXM_STRING_TRIMEND)
        while (at < end && trims(self->u.s[at], args, argc))
            at++;
    if (m != CSXM_STRING_TRIMSTART)
        while (end > at && trims(self->u.s[end - 1], args, argc))
            end--;
    *out = sub(self_str(self), at, end - at);
    return 0;
}

/* A StringComparison argument: true when it ignores case. */
static bool icase(struct csx_vm *vm, const struct csx_value *args, unsigned argc, unsigned at)
{
    struct str c;
    return argc > at && args[at].t == CSXV_STRING && csx_arg_str(vm, &args[at], &c) == 0 &&
           c.len > 10 && memcmp(c.ptr + c.len - 10, "IgnoreCase", 10) == 0;
}

static bool same(struct str a, struct str b, bool ic)
{
    return ic ? str_ieq(a, b) : str_eq(a, b);
}

CSX_NATIVE(csx_nat_str_test)
{
    (void)targ;
    struct str s = self ? self_str(self) : STR_NULL, x;
    unsigned first = self ? 0 : 1;
    if (!self && csx_arg_str(vm, &args[0], &s) != 0)
        return -1;
    if (str_arg(vm, &args[first], &x) != 0)
        return -1;
    bool ic = icase(vm, args, argc, first + 1), r = false;
    if (m == CSXM_STRING_EQUALS || m == CSXM_STRING_SEQUALS) {
        r = (s.ptr == NULL || x.ptr == NULL) ? s.ptr == x.ptr : same(s, x, ic);
    } else if (x.ptr == NULL) {
        return csx_fail(vm, "Value cannot be null. (Parameter 'value')");
    } else if (x.len <= s.len) {
        if (m == CSXM_STRING_STARTSWITH)
            r = same((struct str){ s.ptr, x.len }, x, ic);
        else if (m == CSXM_STRING_ENDSWITH)
            r = same((struct str){ s.ptr + s.len - x.len, x.len }, x, ic);
        else
            for (size_t i = 0; i + x.len <= s.len && !r; i++)
                r = same((struct str){ s.ptr + i, x.len }, x, ic);
    }
    *out = csx_bool(r);
    return csx_spend(vm, s.len);
}

CSX_NATIVE(csx_nat_str_indexof)
{
    (void)targ;
    struct str s = self_str(self), x;
    if (str_arg(vm, &args[0], &x) != 0)
        return -1;
    size_t from = 0;
    if (argc > 1 && args[1].t == CSXV_INT && index_arg(vm, &args[1], s.len, true, &from) != 0)
        return -1;
    if (x.ptr == NULL)
        return csx_fail(vm, "Value cannot be null. (Parameter 'value')");
    int64_t found = -1;
    for (size_t i = from; i + x.len <= s.len; i++)
        if (memcmp(s.ptr + i, x.ptr, x.len) == 0) {
            found = (int64_t)i;
            if (m == CSXM_STRING_INDEXOF)
                break;
        }
    *out = csx_int(found);
    return csx_spend(vm, s.len);
}

CSX_NATIVE(csx_nat_str_pad)
{
    (void)targ;
    size_t width;
    int64_t w;
    if (csx_arg_int(vm, &args[0], &w) != 0)
        return -1;
    if (w < 0 || w > (1 << 20))
        return csx_fail(vm, "the width of the padding is out of range");
    width = (size_t)w;
    char pad = argc > 1 && args[1].t == CSXV_CHAR ? (char)args[1].u.i : ' ';
    if (width <= self->n) {
        *out = *self;
        return 0;
    }
    char *o = arena_alloc(vm->a, width + 1);
    size_t fill = width - self->n;
    bool left = m == CSXM_STRING_PADLEFT;
    memset(o + (left ? 0 : self->n), pad, fill);
    memcpy(o + (left ? fill : 0), self->u.s, self->n);
    o[width] = '\0';
    *out = csx_string((struct str){ o, width });
    return csx_spend(vm, width);
}

CSX_NATIVE(csx_nat_str_isnull)
{
    (void)self, (void)argc, (void)targ;
    struct str s;
    if (csx_arg_str(vm, &args[0], &s) != 0)
        return -1;
    bool r = s.ptr == NULL || s.len == 0;
    if (!r && m == CSXM_STRING_ISNULLORWHITESPACE) {
        r = true;
        for (size_t i = 0; i < s.len && r; i++)
            r = isspace((unsigned char)s.ptr[i]);
    }
    *out = csx_bool(r);
    return 0;
}

/* string.Format("{0} {1:x}", a, b): indexes, alignment and format. */
CSX_NATIVE(csx_nat_str_format)
{
    (void)self, (void)m, (void)targ;
    struct str f;
    if (csx_arg_str(vm, &args[0], &f) != 0 || f.ptr == NULL)
        return f.ptr == NULL ? csx_fail(vm, "Value cannot be null. (Parameter 'format')") : -1;
    const struct csx_value *vals = args + 1;
    unsigned nvals = argc - 1;
    if (nvals == 1 && vals[0].t == CSXV_LIST) /* Format(fmt, object[]) */
        vals = vals[0].u.list, nvals = args[1].n;
    struct buf b;
    buf_init(&b, (size_t)1 << 26);
    int rc = 0;
    for (size_t i = 0; i < f.len && rc == 0; i++) {
        char c = f.ptr[i];
        if ((c == '{' || c == '}') && i + 1 < f.len && f.ptr[i + 1] == c) {
            rc = buf_append(&b, &c, 1);
            i++;
            continue;
        }
        if (c != '{') {
            rc = c == '}' ? -2 : buf_append(&b, &c, 1);
            continue;
        }
        const char *close = memchr(f.ptr + i, '}', f.len - i);
        char *end;
        unsigned long k = strtoul(f.ptr + i + 1, &end, 10);
        if (close == NULL || end == f.ptr + i + 1 || k >= nvals) {
            rc = -2;
            break;
        }
        long align = *end == ',' ? strtol(end + 1, &end, 10) : 0;
        struct str spec =
            *end == ':' ? (struct str){ end + 1, (size_t)(close - end - 1) } : STR_NULL;
        struct csx_value piece;
        if (csx_format(vm, &vals[k], spec,
                       (int)(align > 999    ? 999
                             : align < -999 ? -999
                                            : align),
                       &piece) != 0) {
            buf_release(&b);
            return -1;
        }
        rc = piece.n ? buf_append(&b, piece.u.s, piece.n) : 0;
        i = (size_t)(close - f.ptr);
    }
    if (rc == 0)
        *out = csx_string_dup(vm, b.data ? b.data : "", b.len);
    buf_release(&b);
    if (rc == -2)
        return csx_fail(vm, "Input string was not in a correct format.");
    return rc != 0 ? csx_fail(vm, "the string is too long")
                   : csx_spend(vm, f.len + b.len / CSX_BYTES_PER_STEP);
}

/* Join(separator, values...) and Concat(values...). */
static int join(struct csx_vm *vm, struct str sep, const struct csx_value *v, unsigned n,
                struct csx_value *out)
{
    if (n == 1 && (v[0].t == CSXV_LIST || v[0].t == CSXV_JSON)) {
        struct csx_value *items;
        size_t k;
        if (csx_seq(vm, &v[0], &items, &k) != 0)
            return -1;
        v = items, n = (unsigned)k;
    }
    struct str *parts = ARENA_ARRAY(vm->a, struct str, 2 * (size_t)n + 1);
    size_t len = 0;
    for (unsigned i = 0; i < n; i++) {
        parts[2 * i] = i ? sep : STR_LIT("");
        parts[2 * i + 1] = csx_value_str(vm->a, &v[i]);
        len += parts[2 * i].len + parts[2 * i + 1].len;
    }
    *out = csx_string((struct str){ arena_cat(vm->a, parts, 2 * (size_t)n), len });
    return csx_spend(vm, len / CSX_BYTES_PER_STEP);
}

CSX_NATIVE(csx_nat_str_join)
{
    (void)self, (void)m, (void)targ;
    struct str sep;
    if (args[0].t == CSXV_CHAR)
        sep = csx_value_str(vm->a, &args[0]);
    else if (csx_arg_str(vm, &args[0], &sep) != 0)
        return -1;
    return join(vm, sep, args + 1, argc - 1, out);
}

CSX_NATIVE(csx_nat_str_concat)
{
    (void)self, (void)m, (void)targ;
    return join(vm, STR_LIT(""), args, argc, out);
}

CSX_NATIVE(csx_nat_str_empty)
{
    (void)vm, (void)self, (void)m, (void)args, (void)argc, (void)targ;
    *out = csx_string(STR_LIT(""));
    return 0;
}

CSX_NATIVE(csx_nat_str_tostring)
{
    (void)m, (void)targ;
    if (argc > 0 && args[0].t == CSXV_STRING)
        return csx_format(vm, self, (struct str){ args[0].u.s, args[0].n }, 0, out);
    *out = csx_string(csx_value_str(vm->a, self));
    return 0;
}

CSX_NATIVE(csx_nat_str_equals)
{
    (void)vm, (void)m, (void)argc, (void)targ;
    *out = csx_bool(csx_equal(self, &args[0]));
    return 0;
}
