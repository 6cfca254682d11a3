/* stream_repr.c - PySpark pprint, byte for byte: print(record), so Python 3
 * str() of a record (text as itself) and repr() inside tuples, lists and
 * dicts (str quoting and escapes, int, float's shortest round-trip form,
 * True/False/None), and the header with
 * str(datetime.fromtimestamp(ms / 1000.0)) in the local time zone
 * (python/pyspark/streaming/dstream.py, pprint's takeAndPrint). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "stream_int.h"
#include "utf8.h"

static int esc_cp(struct buf *b, uint32_t c)
{
    if (c < 0x100)
        return buf_printf(b, "\\x%02x", c);
    if (c < 0x10000)
        return buf_printf(b, "\\u%04x", c);
    return buf_printf(b, "\\U%08x", c);
}

/* Decodes one UTF-8 sequence; invalid bytes come out as U+FFFD one byte at
 * a time (the socket source already replaced them, this is a guard). */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *used)
{
    unsigned char c = s[0];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1fu : len == 3 ? c & 0x0fu : c & 0x07u;
    if (len == 0 || len > n) {
        *used = 1;
        return 0xfffd;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *used = 1;
            return 0xfffd;
        }
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    *used = len;
    return cp;
}

static int repr_str(struct buf *b, const char *s, size_t n)
{
    char q = memchr(s, '\'', n) && !memchr(s, '"', n) ? '"' : '\'';
    int rc = buf_append(b, &q, 1);
    for (size_t i = 0, used; rc == 0 && i < n; i += used) {
        uint32_t c = next_cp((const unsigned char *)s + i, n - i, &used);
        if (c == '\\' || c == (uint32_t)q)
            rc = buf_printf(b, "\\%c", (char)c);
        else if (c == '\t' || c == '\n' || c == '\r')
            rc = buf_puts(b, c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r");
        else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !sprintable(c)))
            rc = esc_cp(b, c);
        else if (c == 0xfffd && used == 1)
            rc = buf_puts(b, "\xef\xbf\xbd");
        else
            rc = buf_append(b, s + i, used);
    }
    return rc ? -1 : buf_append(b, &q, 1);
}

/* repr(float): the shortest digits that read back to the same double,
 * written fixed when the decimal point is in -4 < decpt <= 16, else with an
 * exponent of at least two digits (Python's float_repr_style 'short'). */
static int repr_float(struct buf *b, double d)
{
    if (isnan(d))
        return buf_puts(b, "nan");
    if (isinf(d))
        return buf_puts(b, d < 0 ? "-inf" : "inf");
    char e[40], digits[24];
    for (int p = 0; p <= 17; p++) {
        snprintf(e, sizeof(e), "%.*e", p, d);
        if (strtod(e, NULL) == d)
            break;
    }
    const char *m = e + (e[0] == '-');
    size_t nd = 0;
    for (const char *p = m; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    int decpt = (int)strtol(strchr(e, 'e') + 1, NULL, 10) + 1;
    int rc = d < 0 || (d == 0 && signbit(d)) ? buf_puts(b, "-") : 0;
    if (decpt <= -4 || decpt > 16) {
        rc |= buf_printf(b, "%c%s%s", digits[0], nd > 1 ? "." : "", digits + 1);
        return rc | buf_printf(b, "e%c%02d", decpt - 1 < 0 ? '-' : '+', abs(decpt - 1));
    }
    if (decpt <= 0) {
        rc |= buf_puts(b, "0.");
        for (int i = 0; i < -decpt; i++)
            rc |= buf_puts(b, "0");
        return rc | buf_puts(b, digits) ? -1 : 0;
    }
    for (int i = 0; i < decpt; i++)
        rc |= buf_append(b, i < (int)nd ? &digits[i] : "0", 1);
    rc |= buf_puts(b, ".");
    return rc | buf_puts(b, (int)nd > decpt ? digits + decpt : "0") ? -1 : 0;
}

static int repr_value(struct buf *b, const json_t *v, bool tuple);

static int repr_seq(struct buf *b, const json_t *a, bool tuple)
{
    int rc = buf_puts(b, tuple ? "(" : "[");
    for (size_t i = 0; rc == 0 && i < json_array_size(a); i++)
        rc = (i ? buf_puts(b, ", ") : 0) | repr_value(b, json_array_get(a, i), false);
    if (tuple && json_array_size(a) == 1)
        rc |= buf_puts(b, ",");
    return rc | buf_puts(b, tuple ? ")" : "]") ? -1 : 0;
}

static int repr_value(struct buf *b, const json_t *v, bool tuple)
{
    const char *k;
    json_t *x;
    int rc = 0, first = 1;
    switch (json_typeof(v)) {
    case JSON_STRING:
        return repr_str(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    case JSON_REAL:
        return repr_float(b, json_real_value(v));
    case JSON_TRUE:
        return buf_puts(b, "True");
    case JSON_FALSE:
        return buf_puts(b, "False");
    case JSON_NULL:
        return buf_puts(b, "None");
    case JSON_ARRAY:
        return repr_seq(b, v, tuple);
    case JSON_OBJECT:
        rc = buf_puts(b, "{");
        json_object_foreach((json_t *)v, k, x)
        {
            rc |= (first ? 0 : buf_puts(b, ", ")) | repr_str(b, k, strlen(k)) | buf_puts(b, ": ") |
                  repr_value(b, x, false);
            first = 0;
        }
        return rc | buf_puts(b, "}") ? -1 : 0;
    }
    return -1;
}

int srepr_record(struct buf *b, const struct srec *r)
{
    if (!r->key)
        return repr_value(b, r->val, false);
    return buf_puts(b, "(") | repr_value(b, r->key, true) | buf_puts(b, ", ") |
                   repr_value(b, r->val, false) | buf_puts(b, ")")
               ? -1
               : 0;
}

int sstr_record(struct buf *b, const struct srec *r)
{
    if (!r->key && json_is_string(r->val))
        return buf_append(b, json_string_value(r->val), json_string_length(r->val));
    return srepr_record(b, r);
}

/* Scala's print: (k,v) with toString, no quotes. */
static int scala_value(struct buf *b, const json_t *v)
{
    if (json_is_string(v))
        return buf_append(b, json_string_value(v), json_string_length(v));
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    int rc = buf_puts(b, s ? s : "null");
    free(s);
    return rc;
}

int srepr_scala(struct buf *b, const struct srec *r)
{
    if (!r->key)
        return scala_value(b, r->val);
    return buf_puts(b, "(") | scala_value(b, r->key) | buf_puts(b, ",") | scala_value(b, r->val) |
                   buf_puts(b, ")")
               ? -1
               : 0;
}

int stream_pprint_time(int64_t ms, char *out, size_t len)
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    long us = (long)(ms - (int64_t)t * 1000) * 1000;
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return -1;
    size_t n = strftime(out, len, "%Y-%m-%d %H:%M:%S", &tm);
    if (n == 0)
        return -1;
    if (us != 0 && snprintf(out + n, len - n, ".%06ld", us) >= (int)(len - n))
        return -1;
    return 0;
}

int spprint_batch(struct buf *b, int64_t time, const struct sbatch *batch, size_t num, bool scala)
{
    static const char dashes[] = "-------------------------------------------\n";
    char ts[64];
    int rc = buf_puts(b, dashes);
    if (scala)
        rc |= buf_printf(b, "Time: %lld ms\n", (long long)time);
    else
        rc |= stream_pprint_time(time, ts, sizeof(ts)) | buf_printf(b, "Time: %s\n", ts);
    rc |= buf_puts(b, dashes);
    for (size_t i = 0; i < batch->n && i < num; i++)
        rc |= (scala ? srepr_scala(b, &batch->r[i]) : sstr_record(b, &batch->r[i])) |
              buf_puts(b, "\n");
    if (batch->n > num)
        rc |= buf_puts(b, "...\n");
    return rc | buf_puts(b, "\n") ? -1 : 0;
}

int stream_repr(const json_t *key, const json_t *val, char *out, size_t len)
{
    struct buf b;
    buf_init(&b, len);
    struct srec r = { (json_t *)key, (json_t *)val };
    int rc = srepr_record(&b, &r);
    if (rc == 0 && b.len < len)
        memcpy(out, b.data ? b.data : "", b.len + 1);
    else
        rc = -1;
    buf_release(&b);
    return rc;
}
