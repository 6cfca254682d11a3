/* csx_nat_conv.c - conversions: parsing (int.Parse...), Convert, Base64,
 * Encoding, Guid.NewGuid, the arrays' Length and indexer, DateTime and
 * TimeSpan, Math. Time and randomness come from the host. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csx_natives.h"

static int bad_format(struct csx_vm *vm, struct str s)
{
    return csx_fail(vm, "The input string '%.*s' was not in a correct format.", STR_FMT(s));
}

/* int.Parse, long.Parse (leading and trailing white space allowed, as
 * NumberStyles.Integer), double.Parse, bool.Parse; int.MaxValue. */
CSX_NATIVE(csx_nat_conv_parse)
{
    (void)self, (void)argc, (void)targ;
    if (m == CSXM_INT_MAXVALUE) {
        *out = csx_int(2147483647);
        return 0;
    }
    struct str s;
    if (csx_arg_str(vm, &args[0], &s) != 0)
        return -1;
    if (s.ptr == NULL)
        return csx_fail(vm, "Value cannot be null. (Parameter 's')");
    char tmp[64];
    while (s.len > 0 && isspace((unsigned char)*s.ptr))
        s.ptr++, s.len--;
    while (s.len > 0 && isspace((unsigned char)s.ptr[s.len - 1]))
        s.len--;
    if (s.len == 0 || s.len >= sizeof(tmp))
        return bad_format(vm, s);
    memcpy(tmp, s.ptr, s.len);
    tmp[s.len] = '\0';
    if (m == CSXM_BOOL_PARSE) {
        if (!str_ieq(s, STR_LIT("true")) && !str_ieq(s, STR_LIT("false")))
            return csx_fail(vm, "String '%.*s' was not recognized as a valid Boolean.", STR_FMT(s));
        *out = csx_bool(str_ieq(s, STR_LIT("true")));
        return 0;
    }
    char *end;
    errno = 0;
    if (m == CSXM_DOUBLE_PARSE) {
        double d = strtod(tmp, &end);
        if (*end != '\0' || isalpha((unsigned char)tmp[0]))
            return bad_format(vm, s);
        *out = csx_double(d);
        return 0;
    }
    long long v = strtoll(tmp, &end, 10);
    if (*end != '\0' || !(isdigit((unsigned char)tmp[0]) || tmp[0] == '-' || tmp[0] == '+'))
        return bad_format(vm, s);
    if (errno == ERANGE || (m == CSXM_INT_PARSE && (v > 2147483647LL || v < -2147483648LL)))
        return csx_fail(vm, "Value was either too large or too small for an %s.",
                        m == CSXM_INT_PARSE ? "Int32" : "Int64");
    *out = m == CSXM_INT_PARSE ? csx_int(v) : csx_long(v);
    return 0;
}

CSX_NATIVE(csx_nat_conv_guid)
{
    (void)self, (void)m, (void)args, (void)argc, (void)targ;
    unsigned char r[16];
    if (vm->h->random == NULL)
        return csx_fail(vm, "Guid.NewGuid has no source of randomness in this host");
    vm->h->random(vm->h->random_arg, r, sizeof(r));
    r[6] = (unsigned char)((r[6] & 0x0F) | 0x40); /* version 4 */
    r[8] = (unsigned char)((r[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    char *g = arena_alloc(vm->a, 37);
    snprintf(g, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0],
             r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
             r[14], r[15]);
    *out = (struct csx_value){ .t = CSXV_GUID, .type = CSXT_GUID, .n = 36, .u.s = g };
    return 0;
}

int csx_nat_conv_unbase64(struct csx_vm *vm, struct str s, bool url, struct csx_value *out)
{
    size_t n = 0;
    char *t = arena_alloc(vm->a, s.len + 4);
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (url && (c == '-' || c == '_'))
            c = c == '-' ? '+' : '/';
        if (!isspace((unsigned char)c))
            t[n++] = c;
    }
    while (url && n % 4 != 0)
        t[n++] = '=';
    if (n % 4 != 0)
        return csx_fail(vm, "The input is not a valid Base-64 string.");
    unsigned char *o = arena_alloc(vm->a, n / 4 * 3 + 1);
    int k = EVP_DecodeBlock(o, (const unsigned char *)t, (int)n);
    if (k < 0)
        return csx_fail(vm, "The input is not a valid Base-64 string.");
    size_t len = (size_t)k;
    for (size_t i = n; i > 0 && t[i - 1] == '=' && len > 0; i--)
        len--; /* EVP_DecodeBlock counts the padding as bytes */
    *out =
        (struct csx_value){ .t = CSXV_BYTES, .type = CSXT_BYTES, .n = (uint32_t)len, .u.bytes = o };
    return 0;
}

CSX_NATIVE(csx_nat_conv_base64)
{
    (void)self, (void)argc, (void)targ;
    if (m == CSXM_CONVERT_FROMBASE64STRING) {
        struct str s;
        if (csx_arg_str(vm, &args[0], &s) != 0)
            return -1;
        if (s.ptr == NULL)
            return csx_fail(vm, "Value cannot be null. (Parameter 's')");
        return csx_nat_conv_unbase64(vm, s, false, out);
    }
    if (args[0].t != CSXV_BYTES)
        return csx_fail(vm, "Convert.ToBase64String takes a byte[], not '%s'",
                        csx_type_rows[args[0].type].name);
    size_t n = args[0].n;
    char *o = arena_alloc(vm->a, (n + 2) / 3 * 4 + 1);
    int k = EVP_EncodeBlock((unsigned char *)o, args[0].u.bytes, (int)n);
    *out = csx_string((struct str){ o, (size_t)k });
    return csx_spend(vm, n);
}

CSX_NATIVE(csx_nat_conv_convert)
{
    (void)self, (void)targ;
    if (m == CSXM_CONVERT_TOSTRING) {
        if (argc > 1)
            return csx_format(vm, &args[0], csx_value_str(vm->a, &args[1]), 0, out);
        *out = args[0].t == CSXV_NULL ? csx_string(STR_LIT(""))
                                      : csx_string(csx_value_str(vm->a, &args[0]));
        return 0;
    }
    unsigned t = m == CSXM_CONVERT_TOINT32    ? CSXT_INT
                 : m == CSXM_CONVERT_TOINT64  ? CSXT_LONG
                 : m == CSXM_CONVERT_TODOUBLE ? CSXT_DOUBLE
                                              : CSXT_BOOL;
    if (args[0].t == CSXV_NULL) { /* Convert of null is the type's default */
        *out = csx_default(t);
        return 0;
    }
    if (args[0].t == CSXV_STRING) {
        static const unsigned parse[] = { [CSXT_INT] = CSXM_INT_PARSE,
                                          [CSXT_LONG] = CSXM_LONG_PARSE,
                                          [CSXT_DOUBLE] = CSXM_DOUBLE_PARSE,
                                          [CSXT_BOOL] = CSXM_BOOL_PARSE };
        return csx_nat_conv_parse(vm, parse[t], NULL, args, 1, 0, out);
    }
    if (t == CSXT_BOOL && (args[0].t == CSXV_INT || args[0].t == CSXV_DOUBLE)) {
        *out = csx_bool(args[0].t == CSXV_INT ? args[0].u.i != 0 : args[0].u.d != 0);
        return 0;
    }
    if (args[0].t == CSXV_DOUBLE && t != CSXT_DOUBLE) { /* Convert rounds half to even */
        struct csx_value r = csx_double(nearbyint(args[0].u.d));
        return csx_cast(vm, t, &r, false, out);
    }
    return csx_cast(vm, t, &args[0], false, out);
}

/* Encoding.UTF8 / ASCII, GetBytes, GetString. */
CSX_NATIVE(csx_nat_conv_encoding)
{
    (void)targ;
    if (m == CSXM_ENCODING_UTF8 || m == CSXM_ENCODING_ASCII) {
        static const char utf8[] = "UTF8", ascii[] = "ASCII";
        *out = csx_obj(CSXT_ENCODING, m == CSXM_ENCODING_UTF8 ? utf8 : ascii);
        return 0;
    }
    bool ascii = ((const char *)self->u.p)[0] == 'A';
    if (m == CSXM_ENCODING_GETBYTES) {
        struct str s;
        if (csx_arg_str(vm, &args[0], &s) != 0)
            return -1;
        if (s.ptr == NULL)
            return csx_fail(vm, "Value cannot be null. (Parameter 's')");
        unsigned char *o = (unsigned char *)arena_strndup(vm->a, s.ptr, s.len);
        for (size_t i = 0; ascii && i < s.len; i++)
            o[i] = o[i] < 0x80 ? o[i] : '?';
        *out = (struct csx_value){
            .t = CSXV_BYTES, .type = CSXT_BYTES, .n = (uint32_t)s.len, .u.bytes = o
        };
        return 0;
    }
    if (args[0].t != CSXV_BYTES)
        return csx_fail(vm, "GetString takes a byte[], not '%s'", csx_type_rows[args[0].type].name);
    size_t at = 0, n = args[0].n;
    int64_t i;
    if (argc == 3 && (csx_arg_int(vm, &args[1], &i) != 0 || i < 0 || (uint64_t)i > n))
        return csx_fail(vm, "Index was out of range.");
    if (argc == 3) {
        at = (size_t)i;
        int64_t k;
        if (csx_arg_int(vm, &args[2], &k) != 0 || k < 0 || (uint64_t)k > n - at)
            return csx_fail(vm, "Index was out of range.");
        n = (size_t)k;
    }
    *out = csx_string_dup(vm, (const char *)args[0].u.bytes + at, n);
    return 0;
}

CSX_NATIVE(csx_nat_conv_array)
{
    (void)argc, (void)targ;
    if (m == CSXM_BYTES_LENGTH || m == CSXM_STRINGS_LENGTH || m == CSXM_ARRAY_LENGTH) {
        *out = csx_int(self->n);
        return 0;
    }
    int64_t i;
    if (csx_arg_int(vm, &args[0], &i) != 0)
        return -1;
    if (i < 0 || (uint64_t)i >= self->n)
        return csx_fail(vm, "Index was outside the bounds of the array.");
    *out = m == CSXM_BYTES_INDEX ? csx_int(self->u.bytes[i]) : self->u.list[i];
    return 0;
}

/* DateTime.UtcNow (and Now: the gateway's clock is UTC), Add*, Ticks;
 * TimeSpan totals. */
CSX_NATIVE(csx_nat_conv_date)
{
    (void)argc, (void)targ;
    static const double ms[] = { 1000.0, 60000.0, 3600000.0, 86400000.0 };
    switch (m) {
    case CSXM_DATETIME_UTCNOW:
    case CSXM_DATETIME_NOW:
        *out =
            (struct csx_value){ .t = CSXV_DATETIME, .type = CSXT_DATETIME, .u.i = vm->h->now_ms };
        return 0;
    case CSXM_DATETIME_TICKS: { /* 100 ns since 0001-01-01 */
        int64_t t;
        if (__builtin_add_overflow(self->u.i, 62135596800000LL, &t) ||
            __builtin_mul_overflow(t, 10000, &t))
            return csx_fail(vm, "the DateTime is out of range");
        *out = csx_long(t);
        return 0;
    }
    case CSXM_TIMESPAN_TOTALSECONDS:
        *out = csx_double((double)self->u.i / 1000.0);
        return 0;
    case CSXM_TIMESPAN_TOTALMILLISECONDS:
        *out = csx_double((double)self->u.i);
        return 0;
    default: {
        struct csx_value d;
        if (csx_cast(vm, CSXT_DOUBLE, &args[0], false, &d) != 0)
            return -1;
        double add = d.u.d * ms[m - CSXM_DATETIME_ADDSECONDS];
        if (!isfinite(add) || fabs(add) > 3.2e14)
            return csx_fail(vm, "The added or subtracted value results in an un-representable "
                                "DateTime.");
        int64_t r;
        if (__builtin_add_overflow(self->u.i, (int64_t)llround(add), &r) ||
            csx_date_check(vm, r) != 0)
            return csx_fail(vm, "The added or subtracted value results in an un-representable "
                                "DateTime.");
        *out = *self;
        out->u.i = r;
        return 0;
    }
    }
}

CSX_NATIVE(csx_nat_conv_math)
{
    (void)self, (void)argc, (void)targ;
    struct csx_value a = args[0], b = argc > 1 ? args[1] : args[0];
    if ((a.t != CSXV_INT && a.t != CSXV_DOUBLE) || (b.t != CSXV_INT && b.t != CSXV_DOUBLE))
        return csx_fail(vm, "Math takes numbers");
    if (m == CSXM_MATH_MIN || m == CSXM_MATH_MAX) {
        struct csx_value lt;
        if (csx_binary(vm, CSX_OP_LT, &a, &b, &lt) != 0)
            return -1;
        *out = lt.u.b == (m == CSXM_MATH_MIN) ? a : b;
        return 0;
    }
    if (a.t == CSXV_INT) {
        *out = a;
        if (m == CSXM_MATH_ABS && a.u.i < 0)
            out->u.i = -a.u.i;
        return 0;
    }
    *out = csx_double(m == CSXM_MATH_ABS     ? fabs(a.u.d)
                      : m == CSXM_MATH_FLOOR ? floor(a.u.d)
                                             : ceil(a.u.d));
    return 0;
}

/* new Random([seed]), Next([[min,] max]), NextDouble(): the host's
 * randomness (a seed is accepted but does not replay .NET's sequence). */
CSX_NATIVE(csx_nat_conv_random)
{
    (void)self, (void)targ;
    static const char random_obj[] = "Random";
    if (m == CSXM_RANDOM_CTOR) {
        *out = csx_obj(CSXT_RANDOM, random_obj);
        return 0;
    }
    if (vm->h->random == NULL)
        return csx_fail(vm, "Random has no source of randomness in this host");
    unsigned char r[8];
    vm->h->random(vm->h->random_arg, r, sizeof(r));
    uint64_t u = 0;
    for (size_t i = 0; i < sizeof(r); i++)
        u = u << 8 | r[i];
    double unit = (double)(u >> 11) / 9007199254740992.0; /* [0, 1) from 53 bits */
    if (m == CSXM_RANDOM_NEXTDOUBLE) {
        *out = csx_double(unit);
        return 0;
    }
    int64_t lo = 0, hi = 2147483647;
    if ((argc == 1 && csx_arg_int(vm, &args[0], &hi) != 0) ||
        (argc == 2 && (csx_arg_int(vm, &args[0], &lo) != 0 || csx_arg_int(vm, &args[1], &hi) != 0)))
        return -1;
    if (hi < lo || (argc == 1 && hi < 0))
        return csx_fail(vm, "'minValue' cannot be greater than maxValue.");
    *out = csx_int(lo + (int64_t)(unit * (double)(hi - lo)));
    return 0;
}
