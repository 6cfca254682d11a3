/* csx_nat_out.c - the members with out parameters: int/long/double/bool/Guid
 * TryParse and the context dictionaries' TryGetValue.
 *
 * Protocol (the emitter's side is csx_emit_expr.c's out_call): the call
 * passes null in each out argument's place, and the native returns an
 * "out tuple", an object[] of the method's result followed by the value
 * of each out parameter in order; the emitted code stores each into its
 * variable and leaves the result. */
#include "csx_natives.h"

static struct csx_value tuple(struct csx_vm *vm, struct csx_value result, struct csx_value value)
{
    struct csx_value t = csx_list(vm, CSXT_ARRAY, 2);
    t.u.list[0] = result;
    t.u.list[1] = value;
    return t;
}

/* The Parse member behind each TryParse, and the out value on failure. */
static unsigned parse_of(unsigned m)
{
    switch (m) {
    case CSXM_INT_TRYPARSE:
        return CSXM_INT_PARSE;
    case CSXM_LONG_TRYPARSE:
        return CSXM_LONG_PARSE;
    case CSXM_DOUBLE_TRYPARSE:
        return CSXM_DOUBLE_PARSE;
    default:
        return CSXM_BOOL_PARSE;
    }
}

/* X.TryParse(s, out result): Parse's rules; on failure (a null or
 * malformed string, an overflow) false and default(X), not an error. */
CSX_NATIVE(csx_nat_out_tryparse)
{
    (void)self, (void)argc, (void)targ;
    unsigned p = parse_of(m);
    struct csx_value v;
    if (args[0].t != CSXV_NULL && args[0].t != CSXV_STRING && args[0].t != CSXV_JSON)
        return csx_fail(vm, "TryParse takes a string");
    if (args[0].t == CSXV_NULL ||
        (m == CSXM_GUID_TRYPARSE ? csx_nat_time_guid(vm, CSXM_GUID_PARSE, NULL, args, 1, 0, &v)
                                 : csx_nat_conv_parse(vm, p, NULL, args, 1, 0, &v)) != 0) {
        if (vm->fatal)
            return -1;
        vm->err->reason[0] = '\0'; /* the parse error is TryParse's false */
        vm->err->offset = 0;
        static const char empty[] = "00000000-0000-0000-0000-000000000000";
        struct csx_value none =
            m == CSXM_GUID_TRYPARSE
                ? (struct csx_value){ .t = CSXV_GUID, .type = CSXT_GUID, .n = 36, .u.s = empty }
                : csx_default(csx_member_rows[m].owner);
        *out = tuple(vm, csx_bool(false), none);
        return 0;
    }
    *out = tuple(vm, csx_bool(true), v);
    return 0;
}

/* d.TryGetValue(key, out value): the indexer's value, or false and null. */
CSX_NATIVE(csx_nat_out_tryget)
{
    (void)targ;
    unsigned has = m == CSXM_HEADERS_TRYGETVALUE  ? CSXM_HEADERS_CONTAINSKEY
                   : m == CSXM_STRMAP_TRYGETVALUE ? CSXM_STRMAP_CONTAINSKEY
                                                  : CSXM_VARIABLES_CONTAINSKEY;
    unsigned get = m == CSXM_HEADERS_TRYGETVALUE  ? CSXM_HEADERS_INDEX
                   : m == CSXM_STRMAP_TRYGETVALUE ? CSXM_STRMAP_INDEX
                                                  : CSXM_VARIABLES_INDEX;
    struct csx_value found, v = csx_null();
    if (csx_natives[has](vm, has, self, args, 1, 0, &found) != 0)
        return -1;
    if (found.u.b && csx_natives[get](vm, get, self, args, 1, 0, &v) != 0)
        return -1;
    (void)argc;
    *out = tuple(vm, found, v);
    return 0;
}
