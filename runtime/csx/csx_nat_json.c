/* csx_nat_json.c - Newtonsoft.Json (JObject, JArray, JProperty, JToken,
 * JsonConvert) over jansson, the hashes (HMACSHA256, SHA256, OpenSSL) and
 * URL escaping (Uri, WebUtility).
 *
 * Newtonsoft keeps the order of properties: objects are written with
 * JSON_PRESERVE_ORDER. JToken.ToString() indents by two spaces;
 * ToString(Formatting.None) and JsonConvert.SerializeObject write compact. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#include "csx_natives.h"

static int add_prop(struct csx_vm *vm, json_t *o, const struct csx_value *v)
{
    if (v->t == CSXV_OBJ && v->type == CSXT_JPROPERTY) {
        const struct csx_jprop *p = v->u.p;
        if (json_object_getn(o, p->name.ptr, p->name.len) != NULL)
            return csx_fail(vm,
                            "Can not add property %.*s to Newtonsoft.Json.Linq.JObject. "
                            "Property with the same name already exists on object.",
                            STR_FMT(p->name));
        json_object_setn(o, p->name.ptr, p->name.len, p->value);
        return 0;
    }
    if (v->t == CSXV_LIST || v->t == CSXV_NULL) { /* params object[] */
        for (uint32_t i = 0; v->t == CSXV_LIST && i < v->n; i++)
            if (add_prop(vm, o, &v->u.list[i]) != 0)
                return -1;
        return 0;
    }
    return csx_fail(vm, "Can not add %s to Newtonsoft.Json.Linq.JObject.",
                    csx_type_rows[v->type].name);
}

static int jprop(struct csx_vm *vm, const struct csx_value *args, unsigned argc,
                 struct csx_value *out)
{
    struct str name;
    if (csx_arg_str(vm, &args[0], &name) != 0 || name.ptr == NULL)
        return name.ptr == NULL ? csx_fail(vm, "Value cannot be null. (Parameter 'name')") : -1;
    json_t *v;
    if (argc > 2) {
        v = json_array();
        for (unsigned i = 1; i < argc; i++)
            json_array_append_new(v, csx_to_json(vm, &args[i]));
    } else {
        v = argc > 1 ? csx_to_json(vm, &args[1]) : json_null();
    }
    if (v == NULL)
        return -1;
    struct csx_jprop *p = ARENA_NEW(vm->a, struct csx_jprop);
    p->name = name;
    p->value = csx_json(vm, v).u.j;
    *out = csx_obj(CSXT_JPROPERTY, p);
    return 0;
}

CSX_NATIVE(csx_nat_json_new)
{
    (void)self, (void)targ;
    if (m == CSXM_JPROPERTY_CTOR)
        return jprop(vm, args, argc, out);
    if (m == CSXM_JVALUE_CTOR) {
        json_t *j = csx_to_json(vm, &args[0]);
        *out = csx_json(vm, j);
        return j != NULL ? 0 : -1;
    }
    if (argc == 1 && args[0].t == CSXV_JSON &&
        (m == CSXM_JOBJECT_CTOR ? json_is_object(args[0].u.j) : json_is_array(args[0].u.j))) {
        *out = csx_json(vm, json_deep_copy(args[0].u.j)); /* the copy constructor */
        return 0;
    }
    json_t *j = m == CSXM_JOBJECT_CTOR ? json_object() : json_array();
    *out = csx_json(vm, j);
    for (unsigned i = 0; i < argc; i++) {
        if (m == CSXM_JOBJECT_CTOR) {
            if (add_prop(vm, j, &args[i]) != 0)
                return -1;
            continue;
        }
        struct csx_value *items;
        size_t n = 1;
        if (args[i].t == CSXV_LIST && csx_seq(vm, &args[i], &items, &n) != 0)
            return -1;
        for (size_t k = 0; k < n; k++) {
            json_t *e = csx_to_json(vm, args[i].t == CSXV_LIST ? &items[k] : &args[i]);
            if (e == NULL)
                return -1;
            json_array_append_new(j, e);
        }
    }
    return 0;
}

CSX_NATIVE(csx_nat_json_parse)
{
    (void)self, (void)argc;
    struct str s;
    if (csx_arg_str(vm, &args[0], &s) != 0)
        return -1;
    if (s.ptr == NULL)
        return csx_fail(vm, "Value cannot be null. (Parameter 'json')");
    json_error_t e;
    json_t *j = json_loadb(s.ptr, s.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (j == NULL)
        return csx_fail(vm, "Error reading JToken from JsonReader: %s, position %d.", e.text,
                        e.position);
    struct csx_value v = csx_json(vm, j);
    unsigned t = m == CSXM_JOBJECT_PARSE  ? CSXT_JOBJECT
                 : m == CSXM_JARRAY_PARSE ? CSXT_JARRAY
                 : targ                   ? targ - 1
                                          : CSXT_JTOKEN;
    if (t == CSXT_DYNAMIC || t == CSXT_OBJECT)
        t = CSXT_JTOKEN;
    return csx_cast(vm, t, &v, false, out);
}

CSX_NATIVE(csx_nat_json_from)
{
    (void)self, (void)m, (void)argc, (void)targ;
    json_t *j = csx_to_json(vm, &args[0]);
    *out = csx_json(vm, j);
    return j != NULL ? 0 : -1;
}

CSX_NATIVE(csx_nat_json_serialize)
{
    (void)targ;
    const struct csx_value *v = self ? self : &args[0];
    bool indent = self != NULL;
    unsigned fa = self ? 0 : 1;
    if (argc > fa && args[fa].t == CSXV_STRING)
        indent = args[fa].n == 8 && memcmp(args[fa].u.s, "Indented", 8) == 0;
    json_t *j = csx_to_json(vm, v);
    if (j == NULL)
        return -1;
    if (m == CSXM_JTOKEN_TOSTRING && json_is_string(j)) {
        *out = csx_string(csx_value_str(vm->a, v));
        json_decref(j);
        return 0;
    }
    size_t flags = JSON_ENCODE_ANY | JSON_PRESERVE_ORDER | (indent ? JSON_INDENT(2) : JSON_COMPACT);
    char *text = json_dumps(j, flags);
    json_decref(j);
    if (text == NULL)
        return csx_fail(vm, "the value cannot be written as JSON");
    *out = csx_string_dup(vm, text, strlen(text));
    free(text);
    return 0;
}

/* token[key]: a property (null when absent) or an array element. */
static int get(struct csx_vm *vm, json_t *j, const struct csx_value *key, struct csx_value *out)
{
    if (json_is_object(j)) {
        struct str k;
        if (csx_arg_str(vm, key, &k) != 0)
            return -1;
        *out = k.ptr ? csx_from_json(vm, json_object_getn(j, k.ptr, k.len)) : csx_null();
        return 0;
    }
    if (json_is_array(j)) {
        int64_t i;
        if (csx_arg_int(vm, key, &i) != 0)
            return -1;
        if (i < 0 || (uint64_t)i >= json_array_size(j))
            return csx_fail(vm, "Index was out of range. Must be non-negative and less than the "
                                "size of the collection.");
        *out = csx_from_json(vm, json_array_get(j, (size_t)i));
        return 0;
    }
    return csx_fail(vm, "Cannot access child value on Newtonsoft.Json.Linq.JValue.");
}

CSX_NATIVE(csx_nat_json_index)
{
    (void)m, (void)argc, (void)targ;
    return get(vm, self->u.j, &args[0], out);
}

int csx_index_set(struct csx_vm *vm, const struct csx_value *self, const struct csx_value *idx,
                  unsigned n, const struct csx_value *value)
{
    if (self->t == CSXV_NULL)
        return csx_fail(vm, "Object reference not set to an instance of an object.");
    if (self->t != CSXV_JSON || n != 1 || json_is_string(self->u.j))
        return csx_fail(vm, "assigning through the indexer of '%s' is not run by apimlocal",
                        csx_type_rows[self->type].name);
    json_t *v = csx_to_json(vm, value);
    if (v == NULL)
        return -1;
    json_t *j = self->u.j;
    struct str k;
    int64_t i;
    if (json_is_object(j) && csx_arg_str(vm, &idx[0], &k) == 0 && k.ptr != NULL) {
        json_object_setn_new(j, k.ptr, k.len, v);
        return 0;
    }
    if (json_is_array(j) && csx_arg_int(vm, &idx[0], &i) == 0 && i >= 0 &&
        (uint64_t)i < json_array_size(j)) {
        json_array_set_new(j, (size_t)i, v);
        return 0;
    }
    json_decref(v);
    return csx_fail(vm, "the index of the JSON assignment is not valid");
}

CSX_NATIVE(csx_nat_json_edit)
{
    (void)targ;
    json_t *j = self->u.j;
    struct str k = STR_NULL;
    if ((m == CSXM_JOBJECT_REMOVE || m == CSXM_JOBJECT_CONTAINSKEY ||
         (m == CSXM_JOBJECT_ADD && argc == 2)) &&
        (csx_arg_str(vm, &args[0], &k) != 0 || k.ptr == NULL))
        return k.ptr == NULL ? csx_fail(vm, "Value cannot be null. (Parameter 'propertyName')")
                             : -1;
    *out = csx_null();
    switch (m) {
    case CSXM_JOBJECT_ADD:
        if (argc == 1)
            return add_prop(vm, j, &args[0]);
        if (json_object_getn(j, k.ptr, k.len) != NULL)
            return csx_fail(vm,
                            "Can not add property %.*s to Newtonsoft.Json.Linq.JObject. "
                            "Property with the same name already exists on object.",
                            STR_FMT(k));
        json_t *v = csx_to_json(vm, &args[1]);
        if (v == NULL || json_object_setn_new(j, k.ptr, k.len, v) != 0)
            return csx_fail(vm, "the value cannot be added to the JObject");
        return 0;
    case CSXM_JARRAY_ADD: {
        json_t *e = csx_to_json(vm, &args[0]);
        if (e == NULL || json_array_append_new(j, e) != 0)
            return csx_fail(vm, "the value cannot be added to the JArray (an array cannot "
                                "contain itself)");
        return 0;
    }
    case CSXM_JOBJECT_REMOVE:
        *out = csx_bool(json_object_deln(j, k.ptr, k.len) == 0);
        return 0;
    case CSXM_JOBJECT_CONTAINSKEY:
        *out = csx_bool(json_object_getn(j, k.ptr, k.len) != NULL);
        return 0;
    case CSXM_JARRAY_COUNT:
        *out = csx_int((int64_t)json_array_size(j));
        return 0;
    default: /* Properties(), Children() */
        break;
    }
    if (json_is_array(j)) {
        *out = csx_json_ref(vm, j);
        return 0;
    }
    struct csx_value l = csx_list(vm, CSXT_ENUMERABLE, json_object_size(j));
    const char *key;
    json_t *v;
    uint32_t i = 0;
    json_object_foreach(j, key, v)
    {
        struct csx_jprop *p = ARENA_NEW(vm->a, struct csx_jprop);
        *p = (struct csx_jprop){ str_from_cstr(arena_strdup(vm->a, key)), csx_json_ref(vm, v).u.j };
        l.u.list[i++] = csx_obj(CSXT_JPROPERTY, p);
    }
    *out = l;
    return csx_spend(vm, i);
}

CSX_NATIVE(csx_nat_json_prop)
{
    (void)args, (void)argc, (void)targ;
    const struct csx_jprop *p = self->u.p;
    *out = m == CSXM_JPROPERTY_NAME ? csx_string(p->name) : csx_json_ref(vm, p->value);
    return 0;
}

/* token.Value<T>(key) / token.ToObject<T>(): the value converted to T. */
CSX_NATIVE(csx_nat_json_value)
{
    (void)m;
    struct csx_value v = *self;
    if (argc > 0 && get(vm, self->u.j, &args[0], &v) != 0)
        return -1;
    unsigned t = targ ? targ - 1 : CSXT_JTOKEN;
    if (t == CSXT_DYNAMIC || t == CSXT_OBJECT)
        t = CSXT_JTOKEN;
    return csx_cast(vm, t, &v, false, out);
}

/* SelectToken("a.b[0].c"): the JSONPath subset of dotted names and
 * indexes; a path that finds nothing gives null. */
CSX_NATIVE(csx_nat_json_select)
{
    (void)m, (void)argc, (void)targ;
    struct str path;
    if (csx_arg_str(vm, &args[0], &path) != 0 || path.ptr == NULL)
        return path.ptr == NULL ? csx_fail(vm, "Value cannot be null. (Parameter 'path')") : -1;
    json_t *j = self->u.j;
    size_t i = path.len > 0 && path.ptr[0] == '$' ? 1 : 0;
    while (j != NULL && i < path.len) {
        if (path.ptr[i] == '.') {
            i++;
            continue;
        }
        if (path.ptr[i] == '[') {
            char *end;
            unsigned long k = strtoul(path.ptr + i + 1, &end, 10);
            if (end == path.ptr + i + 1 || (size_t)(end - path.ptr) >= path.len || *end != ']')
                return csx_fail(vm, "the path '%.*s' is not run by apimlocal", STR_FMT(path));
            j = json_array_get(j, k);
            i = (size_t)(end - path.ptr) + 1;
            continue;
        }
        size_t end = i;
        while (end < path.len && path.ptr[end] != '.' && path.ptr[end] != '[')
            end++;
        j = json_is_object(j) ? json_object_getn(j, path.ptr + i, end - i) : NULL;
        i = end;
    }
    *out = csx_from_json(vm, j);
    return 0;
}

struct hasher {
    const unsigned char *key; /* NULL: SHA256 */
    size_t len;
};

static int digest(struct csx_vm *vm, const struct hasher *h, const struct csx_value *data,
                  struct csx_value *out)
{
    if (data->t != CSXV_BYTES)
        return csx_fail(vm, "ComputeHash takes a byte[], not '%s'", csx_type_rows[data->type].name);
    unsigned char *md = arena_alloc(vm->a, EVP_MAX_MD_SIZE);
    unsigned n = 0;
    bool ok = h->key
                  ? HMAC(EVP_sha256(), h->key, (int)h->len, data->u.bytes, data->n, md, &n) != NULL
                  : EVP_Digest(data->u.bytes, data->n, md, &n, EVP_sha256(), NULL) == 1;
    if (!ok)
        return csx_fail(vm, "the hash could not be computed");
    *out = (struct csx_value){ .t = CSXV_BYTES, .type = CSXT_BYTES, .n = n, .u.bytes = md };
    return csx_spend(vm, data->n / 64);
}

CSX_NATIVE(csx_nat_json_hash)
{
    (void)targ;
    struct hasher *h;
    switch (m) {
    case CSXM_HMACSHA256_CTOR:
        if (argc == 0 || args[0].t != CSXV_BYTES)
            return csx_fail(vm, "new HMACSHA256 takes the key as a byte[]");
        h = ARENA_NEW(vm->a, struct hasher);
        *h = (struct hasher){ args[0].u.bytes, args[0].n };
        *out = csx_obj(CSXT_HMACSHA256, h);
        return 0;
    case CSXM_SHA256_CREATE:
        h = ARENA_NEW(vm->a, struct hasher);
        *out = csx_obj(CSXT_SHA256, h);
        return 0;
    case CSXM_HMACSHA256_KEY:
        h = (struct hasher *)self->u.q;
        *out = (struct csx_value){
            .t = CSXV_BYTES, .type = CSXT_BYTES, .n = (uint32_t)h->len, .u.bytes = h->key
        };
        return 0;
    default:
        if (argc > 1)
            return csx_fail(vm, "ComputeHash of a part of an array is not run by apimlocal");
        return digest(vm, self->u.p, &args[0], out);
    }
}

/* Uri.EscapeDataString (RFC 3986 unreserved kept) and WebUtility.UrlEncode
 * (space as '+'); their decoders. */
CSX_NATIVE(csx_nat_json_escape)
{
    (void)self, (void)argc, (void)targ;
    struct str s;
    if (csx_arg_str(vm, &args[0], &s) != 0)
        return -1;
    if (s.ptr == NULL) {
        if (m == CSXM_URI_ESCAPEDATASTRING || m == CSXM_URI_UNESCAPEDATASTRING)
            return csx_fail(vm, "Value cannot be null. (Parameter 'stringToEscape')");
        *out = csx_null();
        return 0;
    }
    if (m == CSXM_URI_UNESCAPEDATASTRING || m == CSXM_WEBUTILITY_URLDECODE) {
        *out = csx_string(csx_nat_ctx_decode(vm->a, s, m == CSXM_WEBUTILITY_URLDECODE));
        return 0;
    }
    char *o = arena_alloc(vm->a, s.len * 3 + 1), *p = o;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        bool keep =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~' ||
            (m == CSXM_WEBUTILITY_URLENCODE && (c == '!' || c == '*' || c == '(' || c == ')'));
        if (keep) {
            *p++ = (char)c;
        } else if (c == ' ' && m == CSXM_WEBUTILITY_URLENCODE) {
            *p++ = '+';
        } else {
            static const char hexd[] = "0123456789ABCDEF";
            *p++ = '%', *p++ = hexd[c >> 4], *p++ = hexd[c & 15];
        }
    }
    *out = csx_string((struct str){ o, (size_t)(p - o) });
    return 0;
}
