/* csx_nat_jwt.c - AsJwt() and AsBasic(), the string extensions of API
 * Management: decoding only (no signature check: validate-jwt does that).
 * A string that is not a JWT (or Basic credentials) gives null, as the
 * extensions do. */
#include <string.h>

#include "csx_natives.h"

struct jwt {
    json_t *header, *payload;
    struct csx_kvs claims;
};

static json_t *part(struct csx_vm *vm, struct str s)
{
    struct csx_value bytes;
    if (csx_nat_conv_unbase64(vm, s, true, &bytes) != 0)
        return NULL;
    json_t *j = json_loadb((const char *)bytes.u.bytes, bytes.n, 0, NULL);
    if (j != NULL && !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* A claim's values as text: a string, each element of an array, or the
 * JSON of anything else. */
static void claim(struct csx_vm *vm, const char *name, json_t *v, struct csx_kv **kv, size_t *n,
                  size_t *cap)
{
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) claim(vm, name, e, kv, n, cap);
        return;
    }
    struct csx_value val = csx_json_ref(vm, v);
    ARENA_GROW(vm->a, *kv, *n, *cap, 8);
    (*kv)[(*n)++] = (struct csx_kv){ str_from_cstr(name), csx_value_str(vm->a, &val) };
}

CSX_NATIVE(csx_nat_jwt_parse)
{
    (void)m, (void)args, (void)argc, (void)targ;
    struct str s = { self->u.s, self->n };
    const char *d1 = memchr(s.ptr, '.', s.len);
    const char *d2 = d1 ? memchr(d1 + 1, '.', s.len - (size_t)(d1 + 1 - s.ptr)) : NULL;
    *out = csx_null();
    if (d2 == NULL)
        return 0;
    struct jwt *t = ARENA_NEW(vm->a, struct jwt);
    vm->err->reason[0] = '\0';
    t->header = part(vm, (struct str){ s.ptr, (size_t)(d1 - s.ptr) });
    t->payload = part(vm, (struct str){ d1 + 1, (size_t)(d2 - d1 - 1) });
    vm->err->reason[0] = '\0'; /* a bad part is null, not an error */
    if (t->header == NULL || t->payload == NULL) {
        json_decref(t->header);
        json_decref(t->payload);
        return 0;
    }
    csx_json(vm, t->header);
    csx_json(vm, t->payload);
    const char *k;
    json_t *v;
    struct csx_kv *kv = NULL;
    size_t n = 0, cap = 0;
    json_object_foreach(t->payload, k, v) claim(vm, k, v, &kv, &n, &cap);
    t->claims = (struct csx_kvs){ kv, n, false };
    *out = csx_obj(CSXT_JWT, t);
    return 0;
}

static struct csx_value seconds(json_t *v)
{
    /* seconds since the epoch, within DateTime's range (years 1 to 9999) */
    if (!json_is_number(v) || !(json_number_value(v) > -62135596800.0) ||
        !(json_number_value(v) < 253402300800.0))
        return csx_null();
    return (struct csx_value){ .t = CSXV_DATETIME,
                               .type = CSXT_DATETIME,
                               .u.i = (int64_t)(json_number_value(v) * 1000) };
}

static struct csx_value text(struct csx_vm *vm, json_t *v)
{
    return json_is_string(v) ? csx_string_dup(vm, json_string_value(v), json_string_length(v))
                             : csx_null();
}

CSX_NATIVE(csx_nat_jwt_prop)
{
    (void)args, (void)argc, (void)targ;
    const struct jwt *t = self->u.p;
    switch (m) {
    case CSXM_JWT_ALGORITHM:
        *out = text(vm, json_object_get(t->header, "alg"));
        break;
    case CSXM_JWT_TYPE:
        *out = text(vm, json_object_get(t->header, "typ"));
        break;
    case CSXM_JWT_ID:
        *out = text(vm, json_object_get(t->payload, "jti"));
        break;
    case CSXM_JWT_ISSUER:
        *out = text(vm, json_object_get(t->payload, "iss"));
        break;
    case CSXM_JWT_SUBJECT:
        *out = text(vm, json_object_get(t->payload, "sub"));
        break;
    case CSXM_JWT_EXPIRATIONTIME:
        *out = seconds(json_object_get(t->payload, "exp"));
        break;
    case CSXM_JWT_ISSUEDAT:
        *out = seconds(json_object_get(t->payload, "iat"));
        break;
    case CSXM_JWT_NOTBEFORE:
        *out = seconds(json_object_get(t->payload, "nbf"));
        break;
    case CSXM_JWT_CLAIMS:
        *out = csx_obj(CSXT_HEADERS, &t->claims);
        break;
    default: { /* Audiences: "aud", a string or an array of them */
        struct csx_kvs one = { t->claims.v, t->claims.n, false };
        struct csx_value l = csx_list(vm, CSXT_STRINGS, one.n);
        uint32_t k = 0;
        for (size_t i = 0; i < one.n; i++)
            if (str_eq(one.v[i].name, STR_LIT("aud")))
                l.u.list[k++] = csx_string(one.v[i].value);
        l.n = k;
        *out = l;
        break;
    }
    }
    return 0;
}

struct basic {
    struct str user, password;
};

/* AsBasic(): "Basic base64(user:password)" (the scheme optional). */
CSX_NATIVE(csx_nat_jwt_basic)
{
    (void)m, (void)args, (void)argc, (void)targ;
    struct str s = { self->u.s, self->n };
    if (str_istarts_with(s, "Basic "))
        s = (struct str){ s.ptr + 6, s.len - 6 };
    struct csx_value bytes;
    *out = csx_null();
    if (csx_nat_conv_unbase64(vm, s, false, &bytes) != 0) {
        vm->err->reason[0] = '\0';
        return 0;
    }
    const char *colon = memchr(bytes.u.bytes, ':', bytes.n);
    if (colon == NULL)
        return 0;
    struct basic *b = ARENA_NEW(vm->a, struct basic);
    b->user =
        (struct str){ (const char *)bytes.u.bytes, (size_t)(colon - (const char *)bytes.u.bytes) };
    b->password = (struct str){ colon + 1, bytes.n - b->user.len - 1 };
    *out = csx_obj(CSXT_BASIC, b);
    return 0;
}

CSX_NATIVE(csx_nat_jwt_basic_prop)
{
    (void)vm, (void)args, (void)argc, (void)targ;
    const struct basic *b = self->u.p;
    *out = csx_string(m == CSXM_BASIC_USERID ? b->user : b->password);
    return 0;
}
