/* csx_nat_linq.c - System.Linq.Enumerable over any sequence (lists,
 * string[], JArray, a string's chars), evaluated eagerly: a lambda runs
 * while the expression that made it runs, which is what lets lambdas
 * share the expression's frame (csx_code.h). */
#include <string.h>

#include "csx_natives.h"

/* The predicate's answer for item (no predicate: true). */
static int test(struct csx_vm *vm, const struct csx_value *pred, const struct csx_value *item,
                bool *r)
{
    if (pred == NULL) {
        *r = true;
        return 0;
    }
    struct csx_value v;
    if (csx_call(vm, pred, item, 1, &v) != 0)
        return -1;
    return csx_truth(vm, &v, r);
}

CSX_NATIVE(csx_nat_linq_test)
{
    (void)targ;
    struct csx_value *items;
    size_t n;
    if (csx_seq(vm, self, &items, &n) != 0)
        return -1;
    const struct csx_value *pred = argc > 0 && m != CSXM_ENUMERABLE_CONTAINS ? &args[0] : NULL;
    int64_t count = 0;
    for (size_t i = 0; i < n; i++) {
        bool r;
        if (m == CSXM_ENUMERABLE_CONTAINS) {
            struct csx_value eq;
            if (csx_binary(vm, CSX_OP_EQ, &items[i], &args[0], &eq) != 0)
                return -1;
            r = eq.u.b;
        } else if (test(vm, pred, &items[i], &r) != 0) {
            return -1;
        }
        count += r;
        if (r && (m == CSXM_ENUMERABLE_ANY || m == CSXM_ENUMERABLE_CONTAINS))
            break;
        if (!r && m == CSXM_ENUMERABLE_ALL)
            break;
    }
    if (m == CSXM_ENUMERABLE_COUNT)
        *out = csx_int(count);
    else if (m == CSXM_ENUMERABLE_ALL)
        *out = csx_bool(count == (int64_t)n);
    else
        *out = csx_bool(count > 0);
    return 0;
}

CSX_NATIVE(csx_nat_linq_pick)
{
    (void)targ;
    struct csx_value *items;
    size_t n;
    if (csx_seq(vm, self, &items, &n) != 0)
        return -1;
    bool last = m == CSXM_ENUMERABLE_LAST || m == CSXM_ENUMERABLE_LASTORDEFAULT;
    bool dflt = m == CSXM_ENUMERABLE_FIRSTORDEFAULT || m == CSXM_ENUMERABLE_LASTORDEFAULT;
    size_t found = 0, at = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = last ? n - 1 - k : k;
        bool r;
        if (test(vm, argc > 0 ? &args[0] : NULL, &items[i], &r) != 0)
            return -1;
        if (r && found++ == 0)
            at = i;
        if (r && m != CSXM_ENUMERABLE_SINGLE)
            break;
    }
    if (found == 0 && dflt) {
        *out = csx_null();
        return 0;
    }
    if (found == 0)
        return csx_fail(vm, "Sequence contains no %selements", argc > 0 ? "matching " : "");
    if (found > 1)
        return csx_fail(vm, "Sequence contains more than one %selement",
                        argc > 0 ? "matching " : "");
    *out = items[at];
    return 0;
}

/* Where (the items the predicate keeps), Select (the lambda's values). */
CSX_NATIVE(csx_nat_linq_map)
{
    (void)argc, (void)targ;
    struct csx_value *items;
    size_t n;
    if (csx_seq(vm, self, &items, &n) != 0)
        return -1;
    struct csx_value l = csx_list(vm, CSXT_ENUMERABLE, n);
    uint32_t k = 0;
    bool strings = true;
    for (size_t i = 0; i < n; i++) {
        struct csx_value v;
        if (csx_call(vm, &args[0], &items[i], 1, &v) != 0)
            return -1;
        if (m == CSXM_ENUMERABLE_SELECT) {
            l.u.list[k++] = v;
        } else {
            bool keep;
            if (csx_truth(vm, &v, &keep) != 0)
                return -1;
            if (keep)
                l.u.list[k++] = items[i];
        }
        strings = strings && l.u.list[k - (k > 0)].t == CSXV_STRING;
    }
    l.n = k;
    l.type = strings && k > 0 ? CSXT_STRINGS : CSXT_ENUMERABLE;
    *out = l;
    return 0;
}

static bool seen(const struct csx_value *v, size_t n, const struct csx_value *x)
{
    for (size_t i = 0; i < n; i++)
        if (csx_equal(&v[i], x))
            return true;
    return false;
}

/* Skip, Take, Distinct, ToArray, ToList: a new list. */
CSX_NATIVE(csx_nat_linq_slice)
{
    (void)argc, (void)targ;
    struct csx_value *items;
    size_t n, from = 0, count;
    if (csx_seq(vm, self, &items, &n) != 0)
        return -1;
    count = n;
    if (m == CSXM_ENUMERABLE_SKIP || m == CSXM_ENUMERABLE_TAKE) {
        int64_t k;
        if (csx_arg_int(vm, &args[0], &k) != 0)
            return -1;
        size_t c = k < 0 ? 0 : (uint64_t)k > n ? n : (size_t)k;
        from = m == CSXM_ENUMERABLE_SKIP ? c : 0;
        count = m == CSXM_ENUMERABLE_SKIP ? n - c : c;
    }
    struct csx_value l =
        csx_list(vm, self->t == CSXV_LIST ? (enum csx_type_id)self->type : CSXT_ENUMERABLE, count);
    uint32_t k = 0;
    for (size_t i = from; i < from + count; i++) {
        if (m == CSXM_ENUMERABLE_DISTINCT && seen(l.u.list, k, &items[i]))
            continue;
        l.u.list[k++] = items[i];
    }
    l.n = k;
    *out = l;
    return m == CSXM_ENUMERABLE_DISTINCT ? csx_spend(vm, (uint64_t)n * n / 16) : 0;
}
