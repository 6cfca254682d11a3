/* csx_nat_time.c - DateTimeOffset, BitConverter, Convert.ToByte, Guid.Parse
 * and ToByteArray, Math.Round: values of time, bytes and numbers.
 *
 * A DateTimeOffset is a CSXV_DATETIME value of type CSXT_DATETIMEOFFSET:
 * the gateway's clock is UTC, so every offset is +00:00 and the instant
 * alone is kept (milliseconds since the Unix epoch). Sources: the .NET API
 * pages of System.DateTimeOffset (FromUnixTimeSeconds,
 * ToUnixTimeSeconds...), System.BitConverter and Convert.ToByte. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csx_natives.h"

static struct csx_value offset_at(int64_t ms)
{
    return (struct csx_value){ .t = CSXV_DATETIME, .type = CSXT_DATETIMEOFFSET, .u.i = ms };
}

/* DateTimeOffset.FromUnixTime{Seconds,Milliseconds}(n): .NET's range is
 * years 1 to 9999. */
static int from_unix(struct csx_vm *vm, const struct csx_value *arg, bool secs,
                     struct csx_value *out)
{
    int64_t n, ms;
    if (csx_arg_int(vm, arg, &n) != 0)
        return -1;
    if (secs ? (n < -62135596800LL || n > 253402300799LL)
             : (n < -62135596800000LL || n > 253402300799999LL))
        return csx_fail(vm, "Valid values are between %s, inclusive. (Parameter '%s')",
                        secs ? "-62135596800 and 253402300799"
                             : "-62135596800000 and "
                               "253402300799999",
                        secs ? "seconds" : "milliseconds");
    ms = secs ? n * 1000 : n;
    *out = offset_at(ms);
    return 0;
}

/* ToUnixTimeSeconds: whole seconds, rounded toward negative infinity (.NET
 * divides the ticks since year 1, which are never negative). */
static int64_t floor_secs(int64_t ms)
{
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

CSX_NATIVE(csx_nat_time_offset)
{
    (void)argc, (void)targ;
    switch (m) {
    case CSXM_DATETIMEOFFSET_UTCNOW:
    case CSXM_DATETIMEOFFSET_NOW:
        *out = offset_at(vm->h->now_ms);
        return 0;
    case CSXM_DATETIMEOFFSET_FROMUNIXTIMESECONDS:
    case CSXM_DATETIMEOFFSET_FROMUNIXTIMEMILLISECONDS:
        return from_unix(vm, &args[0], m == CSXM_DATETIMEOFFSET_FROMUNIXTIMESECONDS, out);
    case CSXM_DATETIMEOFFSET_CTOR: /* new DateTimeOffset(DateTime) */
        if (args[0].t != CSXV_DATETIME)
            return csx_fail(vm, "new DateTimeOffset takes a DateTime");
        *out = offset_at(args[0].u.i);
        return 0;
    case CSXM_DATETIMEOFFSET_TOUNIXTIMESECONDS:
        *out = csx_long(floor_secs(self->u.i));
        return 0;
    case CSXM_DATETIMEOFFSET_TOUNIXTIMEMILLISECONDS:
        *out = csx_long(self->u.i);
        return 0;
    case CSXM_DATETIMEOFFSET_UTCDATETIME:
        *out = (struct csx_value){ .t = CSXV_DATETIME, .type = CSXT_DATETIME, .u.i = self->u.i };
        return 0;
    default: /* AddSeconds..AddDays: DateTime's, in the same order */
        return csx_nat_conv_date(vm, m - CSXM_DATETIMEOFFSET_ADDSECONDS + CSXM_DATETIME_ADDSECONDS,
                                 self, args, argc, targ, out);
    }
}

/* The bytes of a byte[] argument and the range [start, start + len) the
 * optional arguments select (.NET's argument checks). */
static int byte_range(struct csx_vm *vm, const struct csx_value *args, unsigned argc, size_t *start,
                      size_t *len)
{
    if (args[0].t != CSXV_BYTES)
        return csx_fail(vm, "Value cannot be null. (Parameter 'value')");
    int64_t s = 0, n = (int64_t)args[0].n;
    if (argc > 1 && csx_arg_int(vm, &args[1], &s) != 0)
        return -1;
    if (s < 0 || s > (int64_t)args[0].n || (s == (int64_t)args[0].n && s > 0))
        return csx_fail(vm, "Index was out of range. Must be non-negative and less than the size "
                            "of the collection. (Parameter 'startIndex')");
    n = (int64_t)args[0].n - s;
    if (argc > 2 && (csx_arg_int(vm, &args[2], &n) != 0 || n < 0 || n > (int64_t)args[0].n - s))
        return csx_fail(vm, "Destination array is not long enough to copy all the items in the "
                            "collection. Check array index and length.");
    *start = (size_t)s;
    *len = (size_t)n;
    return 0;
}

/* BitConverter.ToString(bytes[, start[, length]]): "0A-1B-2C", upper case;
 * ToInt32(bytes, start): four bytes, little-endian. */
CSX_NATIVE(csx_nat_time_bits)
{
    (void)self, (void)targ;
    size_t start = 0, len = 0;
    if (byte_range(vm, args, m == CSXM_BITCONVERTER_TOINT32 ? 2 : argc, &start, &len) != 0)
        return -1;
    const unsigned char *p = args[0].u.bytes + start;
    if (m == CSXM_BITCONVERTER_TOINT32) {
        if (len < 4)
            return csx_fail(vm, "Destination array is not long enough to copy all the items in "
                                "the collection. Check array index and length.");
        uint32_t u =
            (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        *out = csx_int((int32_t)u);
        return 0;
    }
    if (csx_spend(vm, len / CSX_BYTES_PER_STEP) != 0)
        return -1;
    char *o = arena_alloc(vm->a, len * 3 + 1);
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        o[3 * i] = hex[p[i] >> 4];
        o[3 * i + 1] = hex[p[i] & 15];
        o[3 * i + 2] = '-';
    }
    size_t n = len > 0 ? len * 3 - 1 : 0;
    o[n] = '\0';
    *out = csx_string((struct str){ o, n });
    return 0;
}

/* Convert.ToByte(string, fromBase) with base 2, 8, 10 or 16 (hex digits
 * with an optional "0x"), or Convert.ToByte(value): a number 0..255 (a
 * double rounds half to even), a numeric string, a bool. */
static int byte_of_string(struct csx_vm *vm, struct str s, int64_t base, struct csx_value *out)
{
    if (base != 2 && base != 8 && base != 10 && base != 16)
        return csx_fail(vm, "Invalid Base. (Parameter 'fromBase')");
    size_t i = 0;
    if (base == 16 && s.len > 2 && s.ptr[0] == '0' && (s.ptr[1] == 'x' || s.ptr[1] == 'X'))
        i = 2;
    if (i == s.len)
        return csx_fail(vm, s.len == 0 ? "Index was out of range. Must be non-negative and less "
                                         "than the size of the collection. (Parameter 'index')"
                                       : "Could not find any recognizable digits.");
    unsigned v = 0;
    size_t first = i;
    for (; i < s.len; i++) {
        char c = s.ptr[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : 99;
        if (d >= base)
            return csx_fail(vm, i == first
                                    ? "Could not find any recognizable digits."
                                    : "Additional non-parsable characters are at the end of the "
                                      "string.");
        v = v * (unsigned)base + (unsigned)d;
        if (v > 255)
            return csx_fail(vm, "Value was either too large or too small for an unsigned byte.");
    }
    *out = csx_int(v);
    out->type = CSXT_BYTE;
    return 0;
}

CSX_NATIVE(csx_nat_time_tobyte)
{
    (void)m, (void)self, (void)targ;
    if (argc == 2) {
        struct str s;
        int64_t base;
        if (csx_arg_str(vm, &args[0], &s) != 0 || csx_arg_int(vm, &args[1], &base) != 0)
            return -1;
        if (s.ptr == NULL) { /* Convert.ToByte(null, base) is 0 */
            *out = csx_int(0);
            out->type = CSXT_BYTE;
            return 0;
        }
        return byte_of_string(vm, s, base, out);
    }
    if (args[0].t == CSXV_STRING)
        return byte_of_string(vm, (struct str){ args[0].u.s, args[0].n }, 10, out);
    if (args[0].t == CSXV_BOOL) {
        *out = csx_int(args[0].u.b);
    } else if (args[0].t == CSXV_INT || args[0].t == CSXV_CHAR) {
        if (args[0].u.i < 0 || args[0].u.i > 255)
            return csx_fail(vm, "Value was either too large or too small for an unsigned byte.");
        *out = csx_int(args[0].u.i);
    } else if (args[0].t == CSXV_DOUBLE) {
        double r = nearbyint(args[0].u.d); /* the default rounding mode: half to even */
        if (!(r >= 0 && r <= 255))
            return csx_fail(vm, "Value was either too large or too small for an unsigned byte.");
        *out = csx_int((int64_t)r);
    } else if (args[0].t == CSXV_NULL) {
        *out = csx_int(0);
    } else {
        return csx_fail(vm, "Unable to cast object of type '%s' to type 'IConvertible'.",
                        csx_type_rows[args[0].type].name);
    }
    out->type = CSXT_BYTE;
    return 0;
}

/* The 16 bytes of a Guid's text (32 hex digits in order), or -1. */
static int guid_hex(struct str s, unsigned char b[16])
{
    size_t k = 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == '-')
            continue;
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0 || k >= 32)
            return -1;
        b[k / 2] = (unsigned char)(k % 2 ? b[k / 2] | d : d << 4);
        k++;
    }
    return k == 32 ? 0 : -1;
}

/* Guid.Parse: the formats "N" (32 digits), "D" (8-4-4-4-12), "B" ({D}) and
 * "P" ((D)), white space around allowed; "X" ({0x...,{...}}) is not run. */
static int guid_parse(struct csx_vm *vm, struct str s, struct csx_value *out)
{
    while (s.len > 0 && (s.ptr[0] == ' ' || s.ptr[0] == '\t'))
        s.ptr++, s.len--;
    while (s.len > 0 && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
        s.len--;
    if (s.len == 38 &&
        ((s.ptr[0] == '{' && s.ptr[37] == '}') || (s.ptr[0] == '(' && s.ptr[37] == ')')))
        s = (struct str){ s.ptr + 1, 36 };
    if (s.len > 0 && s.ptr[0] == '{' && memchr(s.ptr, 'x', s.len) != NULL)
        return csx_fail(vm, "the Guid format \"X\" is not run by apimlocal");
    bool dashes =
        s.len == 36 && s.ptr[8] == '-' && s.ptr[13] == '-' && s.ptr[18] == '-' && s.ptr[23] == '-';
    unsigned char b[16];
    if ((s.len != 32 && !dashes) || (s.len == 32 && memchr(s.ptr, '-', 32) != NULL) ||
        guid_hex(s, b) != 0)
        return csx_fail(vm, "Unrecognized Guid format.");
    char *g = arena_alloc(vm->a, 37);
    snprintf(g, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
    *out = (struct csx_value){ .t = CSXV_GUID, .type = CSXT_GUID, .n = 36, .u.s = g };
    return 0;
}

/* Guid.Parse(s); g.ToByteArray(): .NET's order, the first three fields
 * little-endian (bytes 3 2 1 0, 5 4, 7 6), then the last eight as written. */
CSX_NATIVE(csx_nat_time_guid)
{
    (void)argc, (void)targ;
    if (m == CSXM_GUID_PARSE) {
        struct str s;
        if (csx_arg_str(vm, &args[0], &s) != 0)
            return -1;
        if (s.ptr == NULL)
            return csx_fail(vm, "Value cannot be null. (Parameter 'input')");
        return guid_parse(vm, s, out);
    }
    unsigned char b[16], *o = arena_alloc(vm->a, 16);
    if (guid_hex((struct str){ self->u.s, self->n }, b) != 0)
        return csx_fail(vm, "Unrecognized Guid format.");
    static const unsigned char order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
    for (size_t i = 0; i < 16; i++)
        o[i] = b[order[i]];
    *out = (struct csx_value){ .t = CSXV_BYTES, .type = CSXT_BYTES, .n = 16, .u.bytes = o };
    return 0;
}

/* Math.Round(x[, digits][, mode]) on doubles, as .NET Core 3.0 and later:
 * x * 10^digits rounded by the mode (ToEven by default), then divided
 * back; values of 1e16 and more are already whole. */
static int round_mode(struct csx_vm *vm, const struct csx_value *v, int *mode)
{
    static const char *const modes[] = { "ToEven", "AwayFromZero", "ToZero", "ToNegativeInfinity",
                                         "ToPositiveInfinity" };
    struct str s;
    if (csx_arg_str(vm, v, &s) != 0)
        return -1;
    for (int i = 0; i < 5; i++)
        if (str_eq(s, str_from_cstr(modes[i]))) {
            *mode = i;
            return 0;
        }
    return csx_fail(vm, "MidpointRounding was expected");
}

CSX_NATIVE(csx_nat_time_round)
{
    (void)m, (void)self, (void)targ;
    struct csx_value x;
    int64_t digits = 0;
    int mode = 0;
    if (csx_cast(vm, CSXT_DOUBLE, &args[0], false, &x) != 0)
        return -1;
    if (argc > 1 && (args[1].t == CSXV_STRING ? round_mode(vm, &args[1], &mode)
                                              : csx_arg_int(vm, &args[1], &digits)) != 0)
        return -1;
    if (argc > 2 && round_mode(vm, &args[2], &mode) != 0)
        return -1;
    if (digits < 0 || digits > 15)
        return csx_fail(vm, "Rounding digits must be between 0 and 15, inclusive. (Parameter "
                            "'digits')");
    double v = x.u.d, p = pow(10.0, (double)digits);
    if (fabs(v) < 1e16) {
        v *= p;
        double whole, frac = modf(v, &whole);
        v = mode == 0   ? nearbyint(v)
            : mode == 1 ? (fabs(frac) >= 0.5 ? whole + (frac > 0 ? 1 : -1) : whole)
            : mode == 2 ? trunc(v)
            : mode == 3 ? floor(v)
                        : ceil(v);
        v /= p;
    }
    *out = csx_double(v);
    return 0;
}

/* TimeSpan.From{Milliseconds,Seconds,Minutes,Hours,Days}(value): a
 * TimeSpan is kept in whole milliseconds here, so a finer one (.NET keeps
 * 100 ns ticks) is refused rather than rounded. */
CSX_NATIVE(csx_nat_time_span)
{
    (void)self, (void)argc, (void)targ;
    static const double scale[] = { 1.0, 1000.0, 60000.0, 3600000.0, 86400000.0 };
    struct csx_value d;
    if (csx_cast(vm, CSXT_DOUBLE, &args[0], false, &d) != 0)
        return -1;
    if (isnan(d.u.d))
        return csx_fail(vm, "TimeSpan does not accept floating point Not-a-Number values.");
    double ms = d.u.d * scale[m - CSXM_TIMESPAN_FROMMILLISECONDS];
    if (!(fabs(ms) <= 922337203685477.0))
        return csx_fail(vm, "TimeSpan overflowed because the duration is too long.");
    if (ms != trunc(ms))
        return csx_fail(vm, "a TimeSpan finer than a millisecond is not run by apimlocal");
    *out = (struct csx_value){ .t = CSXV_TIMESPAN, .type = CSXT_TIMESPAN, .u.i = (int64_t)ms };
    return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), Howard Hinnant's
 * days_from_civil. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* new DateTime(year, month, day[, hour, minute, second[, millisecond]]):
 * DateTimeKind.Unspecified. */
CSX_NATIVE(csx_nat_time_date_new)
{
    (void)m, (void)self, (void)targ;
    static const int64_t lo[7] = { 1, 1, 1, 0, 0, 0, 0 }, hi[7] = { 9999, 12, 31, 23, 59, 59, 999 };
    int64_t f[7] = { 0 };
    if (argc == 4 || argc == 5)
        return csx_fail(vm, "new DateTime with %u arguments is not run by apimlocal", argc);
    for (unsigned i = 0; i < argc; i++) {
        if (csx_arg_int(vm, &args[i], &f[i]) != 0)
            return -1;
        if (f[i] < lo[i] || f[i] > hi[i])
            return csx_fail(vm, i < 3 ? "Year, Month, and Day parameters describe an "
                                        "un-representable DateTime."
                                      : "Hour, Minute, and Second parameters describe an "
                                        "un-representable DateTime.");
    }
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (f[0] % 4 == 0 && f[0] % 100 != 0) || f[0] % 400 == 0;
    if (f[2] > mdays[f[1] - 1] || (f[1] == 2 && f[2] == 29 && !leap))
        return csx_fail(vm, "Year, Month, and Day parameters describe an un-representable "
                            "DateTime.");
    int64_t ms = days_from_civil(f[0], f[1], f[2]) * 86400000 + f[3] * 3600000 + f[4] * 60000 +
                 f[5] * 1000 + f[6];
    *out = (struct csx_value){
        .t = CSXV_DATETIME, .type = CSXT_DATETIME, .n = CSX_KIND_UNSPECIFIED, .u.i = ms
    };
    return 0;
}
