/* csx_ops.c - C# operators, casts and format strings over VM values.
 *
 * Arithmetic follows C#'s numeric promotions in a reduced form: int op int
 * is int (wrapping at 32 bits), long when either is long, double when
 * either is double (decimal runs as double). A null operand of an
 * arithmetic operator gives null (lifted operators); string + anything
 * concatenates (null as ""). JSON scalars (JValue) take part as the value
 * they hold. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "csx_vm_int.h"

/* A JSON scalar as the plain value it holds. */
static struct csx_value plain(struct csx_vm *vm, const struct csx_value *v)
{
    if (v->t != CSXV_JSON)
        return *v;
    json_t *j = v->u.j;
    if (json_is_integer(j))
        return csx_long(json_integer_value(j));
    if (json_is_real(j))
        return csx_double(json_real_value(j));
    if (json_is_boolean(j))
        return csx_bool(json_is_true(j));
    if (json_is_null(j))
        return csx_null();
    if (json_is_string(j))
        return csx_string_dup(vm, json_string_value(j), json_string_length(j));
    return *v;
}

static bool numeric(const struct csx_value *v)
{
    return v->t == CSXV_INT || v->t == CSXV_DOUBLE || v->t == CSXV_CHAR;
}

static double dbl(const struct csx_value *v)
{
    return v->t == CSXV_DOUBLE ? v->u.d : (double)v->u.i;
}

static int int_op(struct csx_vm *vm, enum csx_op op, const struct csx_value *a,
                  const struct csx_value *b, struct csx_value *out)
{
    bool is_long = a->type == CSXT_LONG || b->type == CSXT_LONG;
    uint64_t x = (uint64_t)a->u.i, y = (uint64_t)b->u.i, r;
    switch (op) {
    case CSX_OP_ADD:
        r = x + y;
        break;
    case CSX_OP_SUB:
        r = x - y;
        break;
    case CSX_OP_MUL:
        r = x * y;
        break;
    case CSX_OP_DIV:
    case CSX_OP_MOD:
        if (b->u.i == 0)
            return csx_fail(vm, "Attempted to divide by zero.");
        if (b->u.i == -1) /* INT64_MIN / -1 overflows in C */
            r = op == CSX_OP_DIV ? 0 - x : 0;
        else
            r = (uint64_t)(op == CSX_OP_DIV ? a->u.i / b->u.i : a->u.i % b->u.i);
        break;
    case CSX_OP_BAND:
        r = x & y;
        break;
    case CSX_OP_BOR:
        r = x | y;
        break;
    case CSX_OP_BXOR:
        r = x ^ y;
        break;
    case CSX_OP_SHL:
        r = x << (y & (is_long ? 63 : 31));
        break;
    default: /* SHR */
        r = (uint64_t)(a->u.i >> (y & (is_long ? 63 : 31)));
        break;
    }
    *out = is_long ? csx_long((int64_t)r) : csx_int((int64_t)r);
    return 0;
}

static int compare(struct csx_vm *vm, enum csx_op op, const struct csx_value *a,
                   const struct csx_value *b, struct csx_value *out)
{
    double x, y;
    if (numeric(a) && numeric(b)) {
        x = dbl(a), y = dbl(b);
    } else if (a->t == b->t && (a->t == CSXV_DATETIME || a->t == CSXV_TIMESPAN)) {
        x = (double)a->u.i, y = (double)b->u.i;
    } else if (a->t == CSXV_NULL || b->t == CSXV_NULL) {
        *out = csx_bool(false); /* lifted comparison with null */
        return 0;
    } else {
        return csx_fail(vm, "operator cannot compare '%s' and '%s'", csx_type_rows[a->type].name,
                        csx_type_rows[b->type].name);
    }
    bool r = op == CSX_OP_LT ? x < y : op == CSX_OP_LE ? x <= y : op == CSX_OP_GT ? x > y : x >= y;
    *out = csx_bool(r);
    return 0;
}

static int double_op(struct csx_vm *vm, enum csx_op op, double x, double y, struct csx_value *out)
{
    switch (op) {
    case CSX_OP_ADD:
        *out = csx_double(x + y);
        return 0;
    case CSX_OP_SUB:
        *out = csx_double(x - y);
        return 0;
    case CSX_OP_MUL:
        *out = csx_double(x * y);
        return 0;
    case CSX_OP_DIV:
        *out = csx_double(x / y);
        return 0;
    case CSX_OP_MOD:
        *out = csx_double(fmod(x, y));
        return 0;
    default:
        return csx_fail(vm, "this operator does not apply to 'double'");
    }
}

/* DateTime's range: 0001-01-01 to 9999-12-31, in ms since 1970. */
#define DATE_MIN (-62135596800000LL)
#define DATE_MAX 253402300799999LL

int csx_date_check(struct csx_vm *vm, int64_t ms)
{
    if (ms < DATE_MIN || ms > DATE_MAX)
        return csx_fail(vm, "The added or subtracted value results in an un-representable "
                            "DateTime.");
    return 0;
}

static int date_op(struct csx_vm *vm, enum csx_op op, const struct csx_value *a,
                   const struct csx_value *b, struct csx_value *out)
{
    int64_t r;
    if (a->t == CSXV_DATETIME && b->t == CSXV_DATETIME && op == CSX_OP_SUB) {
        /* both in range: the difference fits */
        *out =
            (struct csx_value){ .t = CSXV_TIMESPAN, .type = CSXT_TIMESPAN, .u.i = a->u.i - b->u.i };
        return 0;
    }
    if (b->t == CSXV_TIMESPAN && (op == CSX_OP_ADD || op == CSX_OP_SUB)) {
        if (op == CSX_OP_ADD ? __builtin_add_overflow(a->u.i, b->u.i, &r)
                             : __builtin_sub_overflow(a->u.i, b->u.i, &r))
            return csx_fail(vm, "the result is out of range");
        if (a->t == CSXV_DATETIME && csx_date_check(vm, r) != 0)
            return -1;
        *out = *a;
        out->u.i = r;
        return 0;
    }
    return csx_fail(vm, "this operator does not apply to '%s' and '%s'",
                    csx_type_rows[a->type].name, csx_type_rows[b->type].name);
}

static int concat(struct csx_vm *vm, const struct csx_value *a, const struct csx_value *b,
                  struct csx_value *out)
{
    struct str parts[2] = { csx_value_str(vm->a, a), csx_value_str(vm->a, b) };
    size_t len = parts[0].len + parts[1].len;
    if (csx_spend(vm, len / CSX_BYTES_PER_STEP) != 0)
        return -1;
    *out = csx_string((struct str){ arena_cat(vm->a, parts, 2), len });
    return 0;
}

int csx_binary(struct csx_vm *vm, enum csx_op op, const struct csx_value *pa,
               const struct csx_value *pb, struct csx_value *out)
{
    struct csx_value a = plain(vm, pa), b = plain(vm, pb);
    if (op == CSX_OP_EQ || op == CSX_OP_NE) {
        bool eq = csx_equal(&a, &b);
        *out = csx_bool(op == CSX_OP_EQ ? eq : !eq);
        return 0;
    }
    if (op == CSX_OP_ADD && (a.t == CSXV_STRING || b.t == CSXV_STRING))
        return concat(vm, &a, &b, out);
    if (op >= CSX_OP_LT && op <= CSX_OP_GE)
        return compare(vm, op, &a, &b, out);
    if (a.t == CSXV_NULL || b.t == CSXV_NULL) {
        *out = csx_null();
        return 0;
    }
    if (a.t == CSXV_BOOL && b.t == CSXV_BOOL && op >= CSX_OP_BAND && op <= CSX_OP_BXOR) {
        bool r = op == CSX_OP_BAND  ? a.u.b && b.u.b
                 : op == CSX_OP_BOR ? a.u.b || b.u.b
                                    : a.u.b != b.u.b;
        *out = csx_bool(r);
        return 0;
    }
    if ((a.t == CSXV_INT || a.t == CSXV_CHAR) && (b.t == CSXV_INT || b.t == CSXV_CHAR))
        return int_op(vm, op, &a, &b, out);
    if (numeric(&a) && numeric(&b))
        return double_op(vm, op, dbl(&a), dbl(&b), out);
    if (a.t == CSXV_DATETIME || a.t == CSXV_TIMESPAN)
        return date_op(vm, op, &a, &b, out);
    return csx_fail(vm, "operator does not apply to '%s' and '%s'", csx_type_rows[a.type].name,
                    csx_type_rows[b.type].name);
}

int csx_unary(struct csx_vm *vm, enum csx_op op, const struct csx_value *pa, struct csx_value *out)
{
    struct csx_value a = plain(vm, pa);
    if (a.t == CSXV_NULL) {
        *out = a;
        return 0;
    }
    if (op == CSX_OP_NOT && a.t == CSXV_BOOL) {
        *out = csx_bool(!a.u.b);
        return 0;
    }
    if (op == CSX_OP_NEG && a.t == CSXV_DOUBLE) {
        *out = csx_double(-a.u.d);
        return 0;
    }
    if (a.t == CSXV_INT || a.t == CSXV_CHAR) {
        uint64_t r = op == CSX_OP_NEG ? 0 - (uint64_t)a.u.i : ~(uint64_t)a.u.i;
        *out = a.type == CSXT_LONG ? csx_long((int64_t)r) : csx_int((int64_t)r);
        if (op != CSX_OP_NOT)
            return 0;
    }
    return csx_fail(vm, "operator does not apply to '%s'", csx_type_rows[a.type].name);
}

/* ---- casts --------------------------------------------------------------- */

static bool json_kind(json_t *j, unsigned type)
{
    return type == CSXT_JTOKEN || (type == CSXT_JOBJECT && json_is_object(j)) ||
           (type == CSXT_JARRAY && json_is_array(j)) ||
           (type == CSXT_JVALUE && !json_is_object(j) && !json_is_array(j));
}

bool csx_is(const struct csx_value *v, unsigned type)
{
    switch (v->t) {
    case CSXV_NULL:
        return false;
    case CSXV_JSON:
        return type == CSXT_OBJECT || json_kind(v->u.j, type);
    case CSXV_LIST:
        return type == CSXT_OBJECT || type == CSXT_ENUMERABLE || type == v->type ||
               (type == CSXT_ARRAY && v->type != CSXT_ENUMERABLE);
    default:
        return type == CSXT_OBJECT || type == CSXT_DYNAMIC || type == v->type ||
               (type == CSXT_ENUMERABLE && v->t == CSXV_STRING);
    }
}

struct csx_value csx_default(unsigned type)
{
    switch (type) {
    case CSXT_BOOL:
        return csx_bool(false);
    case CSXT_INT:
    case CSXT_BYTE:
        return csx_int(0);
    case CSXT_LONG:
        return csx_long(0);
    case CSXT_DOUBLE:
    case CSXT_DECIMAL:
        return csx_double(0);
    case CSXT_CHAR:
        return (struct csx_value){ .t = CSXV_CHAR, .type = CSXT_CHAR };
    case CSXT_DATETIME:
        return (
            struct csx_value){ .t = CSXV_DATETIME, .type = CSXT_DATETIME, .u.i = -62135596800000 };
    case CSXT_DATETIMEOFFSET:
        return (struct csx_value){ .t = CSXV_DATETIME,
                                   .type = CSXT_DATETIMEOFFSET,
                                   .u.i = -62135596800000 };
    case CSXT_TIMESPAN:
        return (struct csx_value){ .t = CSXV_TIMESPAN, .type = CSXT_TIMESPAN };
    default:
        return csx_null();
    }
}

static bool is_value_type(unsigned type)
{
    return csx_default(type).t != CSXV_NULL;
}

/* (T)v of a number or JSON scalar to a number, bool or string. */
static bool convert(struct csx_vm *vm, unsigned type, const struct csx_value *pv,
                    struct csx_value *out)
{
    struct csx_value v = plain(vm, pv);
    bool num = v.t == CSXV_INT || v.t == CSXV_DOUBLE || v.t == CSXV_CHAR;
    if ((type == CSXT_INT || type == CSXT_LONG || type == CSXT_BYTE) && num) {
        int64_t i = v.t == CSXV_DOUBLE
                        ? (isfinite(v.u.d) && fabs(v.u.d) < 9.2e18 ? (int64_t)v.u.d : 0)
                        : v.u.i;
        *out = type == CSXT_LONG ? csx_long(i) : csx_int(type == CSXT_BYTE ? (uint8_t)i : i);
        return true;
    }
    if ((type == CSXT_DOUBLE || type == CSXT_DECIMAL) && num) {
        *out = csx_double(dbl(&v));
        return true;
    }
    if (type == CSXT_CHAR && v.t == CSXV_INT) {
        *out = (struct csx_value){ .t = CSXV_CHAR, .type = CSXT_CHAR, .u.i = v.u.i & 0xFFFF };
        return true;
    }
    if (type == CSXT_STRING && pv->t == CSXV_JSON && v.t != CSXV_JSON) {
        *out = v.t == CSXV_NULL ? v : csx_string(csx_value_str(vm->a, &v));
        return true;
    }
    if ((type == CSXT_DATETIMEOFFSET || type == CSXT_DATETIME) && v.t == CSXV_DATETIME) {
        *out = v; /* DateTime <-> DateTimeOffset: the same instant, offset +00:00 */
        out->type = (uint16_t)type;
        return true;
    }
    if (type == CSXT_BOOL && v.t == CSXV_BOOL) {
        *out = v;
        return true;
    }
    return false;
}

int csx_cast(struct csx_vm *vm, unsigned type, const struct csx_value *v, bool soft,
             struct csx_value *out)
{
    if (v->t == CSXV_NULL) {
        if (!soft && is_value_type(type))
            return csx_fail(vm, "Object reference not set to an instance of an object.");
        *out = csx_null();
        return 0;
    }
    if (csx_is(v, type)) {
        *out = *v;
        return 0;
    }
    if (!soft && convert(vm, type, v, out))
        return 0;
    if (soft) {
        *out = csx_null();
        return 0;
    }
    return csx_fail(vm, "Unable to cast object of type '%s' to type '%s'.",
                    csx_type_rows[v->type].name, csx_type_rows[type].name);
}
