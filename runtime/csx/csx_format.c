/* csx_format.c - composite formatting: {value,alignment:format} in $"..."
 * and string.Format, and ToString(format), in the invariant culture.
 * Numbers: D, X/x, F, N, P (with precision) and "0.00"-style custom
 * patterns of zeros and one point; DateTime: o, s, u, r and custom
 * patterns (yyyy MM dd HH hh mm ss fff tt, 'quoted' text). "Standard
 * numeric format strings", "Custom date and time format strings":
 * https://learn.microsoft.com/dotnet/standard/base-types/formatting-types */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "csx_vm_int.h"

static int unsupported(struct csx_vm *vm, struct str fmt, const struct csx_value *v)
{
    return csx_fail(vm, "the format '%.*s' of '%s' is not run by apimlocal", STR_FMT(fmt),
                    csx_type_rows[v->type].name);
}

/* 1234567.891 -> "1,234,567.89" (N2). */
static void group(char *out, size_t cap, const char *digits)
{
    const char *dot = strchr(digits, '.');
    size_t ilen = dot ? (size_t)(dot - digits) : strlen(digits), k = 0;
    size_t lead = digits[0] == '-' ? 1 : 0;
    for (size_t i = 0; i < ilen && k + 2 < cap; i++) {
        if (i > lead && (ilen - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    snprintf(out + k, cap - k, "%s", dot ? dot : "");
}

static int number(struct csx_vm *vm, const struct csx_value *v, struct str fmt, char *o, size_t cap)
{
    char kind = fmt.ptr[0];
    char *end;
    long prec = fmt.len > 1 ? strtol(fmt.ptr + 1, &end, 10) : -1;
    bool is_int = v->t == CSXV_INT;
    double d = is_int ? (double)v->u.i : v->u.d;
    if (fmt.len > 1 && (end != fmt.ptr + fmt.len || prec > 99))
        kind = '0';
    switch (kind) {
    case 'D':
    case 'd':
        if (!is_int)
            return unsupported(vm, fmt, v);
        snprintf(o, cap, "%s%0*" PRIu64, v->u.i < 0 ? "-" : "", (int)(prec < 0 ? 1 : prec),
                 v->u.i < 0 ? (uint64_t)0 - (uint64_t)v->u.i : (uint64_t)v->u.i);
        return 0;
    case 'X':
    case 'x':
        if (!is_int)
            return unsupported(vm, fmt, v);
        snprintf(o, cap, kind == 'X' ? "%0*" PRIX64 : "%0*" PRIx64, (int)(prec < 0 ? 1 : prec),
                 v->type == CSXT_LONG ? (uint64_t)v->u.i : (uint64_t)(uint32_t)v->u.i);
        return 0;
    case 'F':
    case 'f':
        snprintf(o, cap, "%.*f", (int)(prec < 0 ? 2 : prec), d);
        return 0;
    case 'N':
    case 'n': {
        char tmp[128];
        snprintf(tmp, sizeof(tmp), "%.*f", (int)(prec < 0 ? 2 : prec), d);
        group(o, cap, tmp);
        return 0;
    }
    case 'P':
    case 'p':
        snprintf(o, cap, "%.*f %%", (int)(prec < 0 ? 2 : prec), d * 100);
        return 0;
    default:
        break;
    }
    /* custom: zeros, at most one point ("0", "00", "0.00", "#0.0") */
    size_t ints = 0, decs = 0;
    bool dot = false;
    for (size_t i = 0; i < fmt.len; i++) {
        char c = fmt.ptr[i];
        if (c == '.' && !dot)
            dot = true;
        else if (c == '0' && dot)
            decs++;
        else if (c == '0')
            ints++;
        else if (c != '#')
            return unsupported(vm, fmt, v);
    }
    snprintf(o, cap, "%0*.*f", (int)(ints + (decs ? decs + 1 : 0) + (d < 0)), (int)decs, d);
    return 0;
}

/* offset: a DateTimeOffset, whose 'K' is its offset (always +00:00 here)
 * where a UTC DateTime's is 'Z'; unspecified: a DateTime of
 * DateTimeKind.Unspecified (new DateTime(...)), whose 'K' is empty. */
static void date_pattern(const struct tm *tm, int ms, struct str fmt, bool offset, bool unspecified,
                         struct buf *b, int *rc)
{
    static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    for (size_t i = 0; i < fmt.len && *rc == 0;) {
        char c = fmt.ptr[i];
        size_t run = 1;
        while (i + run < fmt.len && fmt.ptr[i + run] == c)
            run++;
        int r = 0;
        switch (c) {
        case 'y':
            r = run <= 2 ? buf_printf(b, "%02d", tm->tm_year % 100)
                         : buf_printf(b, "%0*d", (int)run, tm->tm_year + 1900);
            break;
        case 'M':
            r = run >= 3 ? buf_puts(b, mon[tm->tm_mon])
                         : buf_printf(b, "%0*d", (int)run, tm->tm_mon + 1);
            break;
        case 'd':
            r = buf_printf(b, "%0*d", (int)(run > 2 ? 2 : run), tm->tm_mday);
            break;
        case 'H':
            r = buf_printf(b, "%0*d", (int)(run > 2 ? 2 : run), tm->tm_hour);
            break;
        case 'h':
            r = buf_printf(b, "%0*d", (int)(run > 2 ? 2 : run), (tm->tm_hour + 11) % 12 + 1);
            break;
        case 'm':
            r = buf_printf(b, "%0*d", (int)(run > 2 ? 2 : run), tm->tm_min);
            break;
        case 's':
            r = buf_printf(b, "%0*d", (int)(run > 2 ? 2 : run), tm->tm_sec);
            break;
        case 'f':
        case 'F': {
            char frac[8];
            snprintf(frac, sizeof(frac), "%03d0000", ms);
            r = buf_append(b, frac, run > 7 ? 7 : run);
            break;
        }
        case 't':
            r = buf_append(b, tm->tm_hour < 12 ? "AM" : "PM", run > 1 ? 2 : 1);
            break;
        case 'K':
            r = buf_puts(b, offset ? "+00:00" : unspecified ? "" : "Z");
            break;
        case 'z': /* the offset (a DateTime: the local zone's, UTC on the gateway) */
            r = buf_puts(b, run == 1 ? "+0" : run == 2 ? "+00" : "+00:00");
            break;
        case 'Z':
            r = buf_puts(b, "Z");
            break;
        case '\'':
        case '"': {
            const char *close = memchr(fmt.ptr + i + 1, c, fmt.len - i - 1);
            size_t n = close ? (size_t)(close - fmt.ptr) - i - 1 : fmt.len - i - 1;
            r = buf_append(b, fmt.ptr + i + 1, n);
            run = n + 2;
            break;
        }
        case '\\':
            r = i + 1 < fmt.len ? buf_append(b, fmt.ptr + i + 1, 1) : 0;
            run = 2;
            break;
        default:
            r = buf_append(b, fmt.ptr + i, run);
            break;
        }
        *rc |= r;
        i += run;
    }
}

static int date(struct csx_vm *vm, const struct csx_value *v, struct str fmt, struct buf *b)
{
    int64_t t = v->u.i;
    int ms = (int)(((t % 1000) + 1000) % 1000);
    time_t secs = (time_t)((t - ms) / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    int rc = 0;
    if (fmt.len == 1) {
        static const struct {
            char c;
            const char *pattern;
        } std[] = {
            { 'o', "yyyy-MM-dd'T'HH:mm:ss.fffffffK" },  { 'O', "yyyy-MM-dd'T'HH:mm:ss.fffffffK" },
            { 's', "yyyy-MM-dd'T'HH:mm:ss" },           { 'u', "yyyy-MM-dd HH:mm:ss'Z'" },
            { 'r', "ddd, dd MMM yyyy HH:mm:ss 'GMT'" }, { 'R', "ddd, dd MMM yyyy HH:mm:ss 'GMT'" }
        };

        size_t i = 0;
        while (i < sizeof(std) / sizeof(std[0]) && std[i].c != fmt.ptr[0])
            i++;
        if (i == sizeof(std) / sizeof(std[0]))
            return unsupported(vm, fmt, v);
        if (std[i].c == 'r' || std[i].c == 'R') {
            static const char *const day[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
            rc = buf_printf(b, "%s, ", day[tm.tm_wday]);
            fmt = str_from_cstr(std[i].pattern + 5);
        } else {
            fmt = str_from_cstr(std[i].pattern);
        }
    }
    date_pattern(&tm, ms, fmt, v->type == CSXT_DATETIMEOFFSET,
                 v->type == CSXT_DATETIME && v->n == CSX_KIND_UNSPECIFIED, b, &rc);
    return rc != 0 ? csx_fail(vm, "the formatted text is too long") : 0;
}

int csx_format(struct csx_vm *vm, const struct csx_value *v, struct str fmt, int align,
               struct csx_value *out)
{
    struct str s;
    char num[160];
    struct buf b;
    buf_init(&b, 4096);
    if (fmt.len == 0 || v->t == CSXV_NULL) {
        s = csx_value_str(vm->a, v);
    } else if (v->t == CSXV_INT || v->t == CSXV_DOUBLE) {
        if (number(vm, v, fmt, num, sizeof(num)) != 0)
            return -1;
        s = str_from_cstr(arena_strdup(vm->a, num));
    } else if (v->t == CSXV_DATETIME) {
        if (date(vm, v, fmt, &b) != 0) {
            buf_release(&b);
            return -1;
        }
        s = (struct str){ arena_strndup(vm->a, b.data ? b.data : "", b.len), b.len };
    } else {
        s = csx_value_str(vm->a, v); /* strings and others ignore the format */
    }
    buf_release(&b);
    size_t width = (size_t)(align < 0 ? -align : align);
    if (s.len < width) {
        char *o = arena_alloc(vm->a, width + 1);
        size_t fill = width - s.len;
        memset(o + (align > 0 ? 0 : s.len), ' ', fill);
        memcpy(o + (align > 0 ? fill : 0), s.ptr, s.len);
        o[width] = '\0';
        s = (struct str){ o, width };
    }
    *out = csx_string(s.ptr ? s : STR_LIT(""));
    return 0;
}
