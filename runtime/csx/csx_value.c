/* csx_value.c - VM values: constructors, runtime types, sequences, JSON,
 * equality and C#'s ToString (invariant culture). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csx_natives.h"

struct csx_value csx_null(void)
{
    return (struct csx_value){ .t = CSXV_NULL, .type = CSXT_NULL };
}

struct csx_value csx_bool(bool b)
{
    return (struct csx_value){ .t = CSXV_BOOL, .type = CSXT_BOOL, .u.b = b };
}

struct csx_value csx_int(int64_t i)
{
    return (struct csx_value){ .t = CSXV_INT, .type = CSXT_INT, .u.i = (int32_t)i };
}

struct csx_value csx_long(int64_t i)
{
    return (struct csx_value){ .t = CSXV_INT, .type = CSXT_LONG, .u.i = i };
}

struct csx_value csx_double(double d)
{
    return (struct csx_value){ .t = CSXV_DOUBLE, .type = CSXT_DOUBLE, .u.d = d };
}

struct csx_value csx_string(struct str s)
{
    if (s.ptr == NULL)
        return csx_null();
    return (struct csx_value){
        .t = CSXV_STRING, .type = CSXT_STRING, .n = (uint32_t)s.len, .u.s = s.ptr
    };
}

struct csx_value csx_obj(enum csx_type_id type, const void *p)
{
    if (p == NULL)
        return csx_null();
    return (struct csx_value){ .t = CSXV_OBJ, .type = (uint16_t)type, .u.p = p };
}

struct csx_value csx_string_dup(struct csx_vm *vm, const char *s, size_t n)
{
    return csx_string((struct str){ arena_strndup(vm->a, s, n), n });
}

static void decref(void *p)
{
    json_decref(p);
}

struct csx_value csx_json(struct csx_vm *vm, json_t *j)
{
    if (j == NULL)
        return csx_null();
    arena_on_release(vm->a, decref, j);
    enum csx_type_id t = json_is_object(j)  ? CSXT_JOBJECT
                         : json_is_array(j) ? CSXT_JARRAY
                                            : CSXT_JVALUE;
    return (struct csx_value){ .t = CSXV_JSON, .type = (uint16_t)t, .u.j = j };
}

struct csx_value csx_json_ref(struct csx_vm *vm, json_t *j)
{
    return csx_json(vm, json_incref(j));
}

struct csx_value csx_list(struct csx_vm *vm, enum csx_type_id type, size_t n)
{
    struct csx_value v = { .t = CSXV_LIST, .type = (uint16_t)type, .n = (uint32_t)n };
    v.u.list = ARENA_ARRAY(vm->a, struct csx_value, n ? n : 1);
    return v;
}

enum csx_type_id csx_value_type(const struct csx_value *v)
{
    return (enum csx_type_id)v->type;
}

int csx_arg_str(struct csx_vm *vm, const struct csx_value *v, struct str *s)
{
    if (v->t == CSXV_NULL) {
        *s = STR_NULL;
        return 0;
    }
    if (v->t == CSXV_STRING || v->t == CSXV_GUID) {
        *s = (struct str){ v->u.s, v->n };
        return 0;
    }
    if (v->t == CSXV_JSON && json_is_string(v->u.j)) {
        *s = (struct str){ json_string_value(v->u.j), json_string_length(v->u.j) };
        return 0;
    }
    return csx_fail(vm, "a string was expected, not '%s'", csx_type_rows[v->type].name);
}

int csx_arg_int(struct csx_vm *vm, const struct csx_value *v, int64_t *i)
{
    if (v->t == CSXV_INT || v->t == CSXV_CHAR) {
        *i = v->u.i;
        return 0;
    }
    if (v->t == CSXV_JSON && json_is_integer(v->u.j)) {
        *i = json_integer_value(v->u.j);
        return 0;
    }
    return csx_fail(vm, "an integer was expected, not '%s'", csx_type_rows[v->type].name);
}

int csx_seq(struct csx_vm *vm, const struct csx_value *v, struct csx_value **items, size_t *n)
{
    if (v->t == CSXV_LIST) {
        *items = v->u.list;
        *n = v->n;
    } else if (v->t == CSXV_JSON && json_is_array(v->u.j)) {
        *n = json_array_size(v->u.j);
        *items = ARENA_ARRAY(vm->a, struct csx_value, *n ? *n : 1);
        for (size_t i = 0; i < *n; i++)
            (*items)[i] = csx_from_json(vm, json_array_get(v->u.j, i));
    } else if (v->t == CSXV_STRING) {
        *n = v->n;
        *items = ARENA_ARRAY(vm->a, struct csx_value, *n ? *n : 1);
        for (size_t i = 0; i < *n; i++)
            (*items)[i] = (struct csx_value){ .t = CSXV_CHAR,
                                              .type = CSXT_CHAR,
                                              .u.i = (unsigned char)v->u.s[i] };
    } else if (v->t == CSXV_BYTES) {
        *n = v->n;
        *items = ARENA_ARRAY(vm->a, struct csx_value, *n ? *n : 1);
        for (size_t i = 0; i < *n; i++)
            (*items)[i] = csx_int(v->u.bytes[i]);
    } else if (v->t == CSXV_NULL) {
        return csx_fail(vm, "Value cannot be null. (Parameter 'source')");
    } else {
        return csx_fail(vm, "'%s' is not a sequence", csx_type_rows[v->type].name);
    }
    return csx_spend(vm, *n);
}

struct csx_value csx_from_json(struct csx_vm *vm, json_t *j)
{
    if (j == NULL)
        return csx_null();
    return csx_json_ref(vm, j);
}

static json_t *list_json(struct csx_vm *vm, const struct csx_value *v)
{
    json_t *a = json_array();
    for (uint32_t i = 0; i < v->n; i++) {
        json_t *e = csx_to_json(vm, &v->u.list[i]);
        if (e == NULL) {
            json_decref(a);
            return NULL;
        }
        json_array_append_new(a, e);
    }
    return a;
}

json_t *csx_to_json(struct csx_vm *vm, const struct csx_value *v)
{
    switch (v->t) {
    case CSXV_NULL:
        return json_null();
    case CSXV_BOOL:
        return json_boolean(v->u.b);
    case CSXV_INT:
        return json_integer(v->u.i);
    case CSXV_DOUBLE:
        return json_real(v->u.d);
    case CSXV_JSON:
        return json_incref(v->u.j);
    case CSXV_LIST:
        return list_json(vm, v);
    case CSXV_OBJ:
        if (v->type == CSXT_JPROPERTY) {
            const struct csx_jprop *p = v->u.p;
            json_t *o = json_object();
            json_object_setn(o, p->name.ptr, p->name.len, p->value);
            return o;
        }
        break;
    default:
        break;
    }
    struct str s = csx_value_str(vm->a, v);
    return json_stringn(s.ptr, s.len);
}

bool csx_equal(const struct csx_value *a, const struct csx_value *b)
{
    if (a->t == CSXV_NULL || b->t == CSXV_NULL)
        return a->t == b->t;
    if ((a->t == CSXV_INT || a->t == CSXV_CHAR) && (b->t == CSXV_INT || b->t == CSXV_CHAR))
        return a->u.i == b->u.i;
    if ((a->t == CSXV_INT || a->t == CSXV_DOUBLE) && (b->t == CSXV_INT || b->t == CSXV_DOUBLE))
        return (a->t == CSXV_INT ? (double)a->u.i : a->u.d) ==
               (b->t == CSXV_INT ? (double)b->u.i : b->u.d);
    if (a->t != b->t)
        return false;
    switch (a->t) {
    case CSXV_BOOL:
        return a->u.b == b->u.b;
    case CSXV_STRING:
    case CSXV_GUID:
        return a->n == b->n && memcmp(a->u.s, b->u.s, a->n) == 0;
    case CSXV_DATETIME:
    case CSXV_TIMESPAN:
    case CSXV_FUNC:
        return a->u.i == b->u.i;
    case CSXV_JSON: /* JToken == JToken: the same object */
    case CSXV_OBJ:
    case CSXV_LIST:
    case CSXV_BYTES:
        return a->u.p == b->u.p;
    default:
        return false;
    }
}

int csx_truth(struct csx_vm *vm, const struct csx_value *v, bool *b)
{
    if (v->t == CSXV_BOOL) {
        *b = v->u.b;
        return 0;
    }
    if (v->t == CSXV_JSON && json_is_boolean(v->u.j)) {
        *b = json_is_true(v->u.j);
        return 0;
    }
    return csx_fail(vm, "a bool was expected, not '%s'", csx_type_rows[v->type].name);
}

/* .NET Core 3.0+ prints the shortest text that reads back the same. */
static struct str double_str(struct arena *a, double d)
{
    if (isnan(d))
        return STR_LIT("NaN");
    if (isinf(d))
        return d > 0 ? STR_LIT("∞") : STR_LIT("-∞");
    char tmp[40];
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
    int exp = (int)strtol(strchr(tmp, 'e') + 1, NULL, 10); /* snprintf wrote "e+NN" */
    if (exp >= 15 || exp < -4) {                           /* as .NET: 1E+15, 1E-05 */
        char *e = strchr(tmp, 'e');
        *e = '\0';
        return str_from_cstr(arena_printf(a, "%sE%c%02d", tmp, exp < 0 ? '-' : '+', abs(exp)));
    }
    snprintf(tmp, sizeof(tmp), "%.*f", prec - 1 - exp > 0 ? prec - 1 - exp : 0, d);
    return str_from_cstr(arena_strdup(a, tmp));
}

/* DateTime.ToString() in the invariant culture; a DateTimeOffset adds its
 * offset, " +00:00" (the "G" pattern then " zzz"). */
static struct str date_str(struct arena *a, int64_t ms, bool offset)
{
    time_t t = (time_t)(ms / 1000 - (ms % 1000 < 0));
    struct tm tm;
    gmtime_r(&t, &tm);
    return str_from_cstr(arena_printf(a, "%02d/%02d/%04d %02d:%02d:%02d%s", tm.tm_mon + 1,
                                      tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                                      tm.tm_sec, offset ? " +00:00" : ""));
}

/* TimeSpan.ToString(): [-][d.]hh:mm:ss[.fffffff]. */
static struct str span_str(struct arena *a, int64_t ms)
{
    const char *sign = ms < 0 ? "-" : "";
    uint64_t u = ms < 0 ? (uint64_t)(-(ms + 1)) + 1 : (uint64_t)ms;
    uint64_t s = u / 1000, d = s / 86400;
    char days[24] = "";
    if (d > 0)
        snprintf(days, sizeof(days), "%" PRIu64 ".", d);
    char frac[16] = "";
    if (u % 1000)
        snprintf(frac, sizeof(frac), ".%03u0000", (unsigned)(u % 1000));
    return str_from_cstr(arena_printf(a, "%s%s%02u:%02u:%02u%s", sign, days,
                                      (unsigned)(s / 3600 % 24), (unsigned)(s / 60 % 60),
                                      (unsigned)(s % 60), frac));
}

static struct str json_str(struct arena *a, json_t *j)
{
    if (json_is_string(j))
        return (struct str){ json_string_value(j), json_string_length(j) };
    if (json_is_null(j))
        return STR_LIT("");
    if (json_is_true(j) || json_is_false(j))
        return json_is_true(j) ? STR_LIT("True") : STR_LIT("False");
    if (json_is_real(j))
        return double_str(a, json_real_value(j));
    /* JToken.ToString(): indented by two spaces, as Newtonsoft writes */
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (text == NULL)
        return STR_LIT("");
    char *copy = arena_strdup(a, text);
    free(text);
    return str_from_cstr(copy);
}

static struct str obj_str(struct arena *a, const struct csx_value *v)
{
    if (v->type == CSXT_URL) {
        const struct csx_url *u = v->u.p;
        bool dflt = u->port == 0 || (u->port == 443 && str_eq(u->scheme, STR_LIT("https"))) ||
                    (u->port == 80 && str_eq(u->scheme, STR_LIT("http")));
        return str_from_cstr(arena_printf(
            a, "%.*s://%.*s%s%.0d%.*s%s%.*s", STR_FMT(u->scheme), STR_FMT(u->host), dflt ? "" : ":",
            dflt ? 0 : u->port, STR_FMT(u->path), u->query.len ? "?" : "", STR_FMT(u->query)));
    }
    if (v->type == CSXT_URI)
        return csx_nat_web_uri_str(a, v);
    if (v->type == CSXT_MATCH || v->type == CSXT_GROUP) /* .NET: Capture.ToString() is Value */
        return csx_nat_regex_str(v);
    if (v->type == CSXT_JPROPERTY) {
        const struct csx_jprop *p = v->u.p;
        struct str val = json_str(a, p->value);
        return str_from_cstr(arena_printf(a, "\"%.*s\": %.*s", STR_FMT(p->name), STR_FMT(val)));
    }
    return str_from_cstr(csx_type_rows[v->type].name);
}

struct str csx_value_str(struct arena *a, const struct csx_value *v)
{
    switch (v->t) {
    case CSXV_NULL:
        return STR_LIT("");
    case CSXV_BOOL:
        return v->u.b ? STR_LIT("True") : STR_LIT("False");
    case CSXV_INT:
        return str_from_cstr(arena_printf(a, "%" PRId64, v->u.i));
    case CSXV_DOUBLE:
        return double_str(a, v->u.d);
    case CSXV_CHAR: {
        char c[5] = { 0 };
        int64_t cp = v->u.i;
        if (cp < 0x80)
            c[0] = (char)cp;
        else if (cp < 0x800)
            c[0] = (char)(0xC0 | cp >> 6), c[1] = (char)(0x80 | (cp & 0x3F));
        else
            c[0] = (char)(0xE0 | cp >> 12), c[1] = (char)(0x80 | (cp >> 6 & 0x3F)),
            c[2] = (char)(0x80 | (cp & 0x3F));
        return str_from_cstr(arena_strdup(a, c));
    }
    case CSXV_STRING:
    case CSXV_GUID:
        return (struct str){ v->u.s, v->n };
    case CSXV_BYTES:
        return STR_LIT("System.Byte[]");
    case CSXV_LIST:
        return v->type == CSXT_STRINGS ? STR_LIT("System.String[]") : STR_LIT("System.Object[]");
    case CSXV_JSON:
        return json_str(a, v->u.j);
    case CSXV_DATETIME:
        return date_str(a, v->u.i, v->type == CSXT_DATETIMEOFFSET);
    case CSXV_TIMESPAN:
        return span_str(a, v->u.i);
    case CSXV_FUNC:
        return STR_LIT("System.Func");
    default:
        return obj_str(a, v);
    }
}
