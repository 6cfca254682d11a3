/* csx_nat_ctx.c - the context object model (context.Request, .Variables,
 * .Api...) over the host, and its dictionaries (headers, query, matched
 * parameters, variables). "Policy expressions", the context variable:
 * https://learn.microsoft.com/azure/api-management/api-management-policy-expressions */
#include <string.h>

#include "csx_natives.h"

static const struct csx_host *host(const struct csx_value *self)
{
    return self->u.p;
}

CSX_NATIVE(csx_nat_ctx_object)
{
    (void)args, (void)argc, (void)targ;
    const struct csx_host *h = host(self);
    bool present = (m != CSXM_CONTEXT_USER || h->has_user) &&
                   (m != CSXM_CONTEXT_SUBSCRIPTION || h->has_subscription) &&
                   (m != CSXM_CONTEXT_PRODUCT || h->has_product) &&
                   (m != CSXM_CONTEXT_LASTERROR || h->has_last_error);
    *out = present ? csx_obj((enum csx_type_id)csx_member_rows[m].result, h) : csx_null();
    (void)vm;
    return 0;
}

CSX_NATIVE(csx_nat_ctx_response)
{
    (void)vm, (void)m, (void)args, (void)argc, (void)targ;
    *out = csx_obj(CSXT_RESPONSE, &host(self)->response);
    return 0;
}

CSX_NATIVE(csx_nat_ctx_scalar)
{
    (void)args, (void)argc, (void)targ;
    const struct csx_host *h = host(self);
    switch (m) {
    case CSXM_CONTEXT_REQUESTID:
        *out = csx_string(h->request_id);
        out->t = out->t == CSXV_STRING ? CSXV_GUID : out->t;
        out->type = CSXT_GUID;
        return 0;
    case CSXM_CONTEXT_TIMESTAMP:
        *out = (struct csx_value){ .t = CSXV_DATETIME, .type = CSXT_DATETIME, .u.i = h->now_ms };
        return 0;
    case CSXM_CONTEXT_ELAPSED:
        *out =
            (struct csx_value){ .t = CSXV_TIMESPAN, .type = CSXT_TIMESPAN, .u.i = h->elapsed_ms };
        return 0;
    case CSXM_CONTEXT_TRACING:
        *out = csx_bool(h->tracing);
        return 0;
    case CSXM_API_ISCURRENTREVISION:
        *out = csx_bool(true);
        return 0;
    default: /* context.Trace(message): no trace sink yet, the call is a no-op */
        *out = csx_null();
        (void)vm;
        return 0;
    }
}

CSX_NATIVE(csx_nat_ctx_prop)
{
    (void)vm, (void)args, (void)argc, (void)targ;
    *out = csx_string(host(self)->prop[m]);
    return 0;
}

CSX_NATIVE(csx_nat_ctx_url)
{
    (void)vm, (void)args, (void)argc, (void)targ;
    const struct csx_host *h = host(self);
    const struct csx_url *u = m == CSXM_API_SERVICEURL        ? &h->service_url
                              : m == CSXM_REQUEST_ORIGINALURL ? &h->original_url
                                                              : &h->url;
    *out = csx_obj(CSXT_URL, u);
    return 0;
}

CSX_NATIVE(csx_nat_ctx_message)
{
    (void)vm, (void)args, (void)argc, (void)targ;
    const struct csx_message *msg =
        self->type == CSXT_REQUEST ? &host(self)->request : (const struct csx_message *)self->u.p;
    switch (m) {
    case CSXM_REQUEST_BODY:
    case CSXM_RESPONSE_BODY:
        *out = msg->has_body ? csx_obj(CSXT_BODY, msg) : csx_null();
        break;
    case CSXM_REQUEST_HEADERS:
    case CSXM_RESPONSE_HEADERS:
        *out = csx_obj(CSXT_HEADERS, &msg->headers);
        break;
    case CSXM_REQUEST_MATCHEDPARAMETERS:
        *out = csx_obj(CSXT_STRMAP, &host(self)->params);
        break;
    case CSXM_RESPONSE_STATUSCODE:
        *out = csx_int(msg->status);
        break;
    default:
        *out = csx_string(msg->reason);
        break;
    }
    return 0;
}

static int hex(char c)
{
    return str_hex_digit(c);
}

/* %xx and '+' decoded, in the arena. */
static struct str url_decode(struct arena *a, struct str s, bool plus)
{
    char *o = arena_alloc(a, s.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == '%' && i + 2 < s.len + 0 && hex(s.ptr[i + 1]) >= 0 &&
            hex(s.ptr[i + 2]) >= 0) {
            o[n++] = (char)(hex(s.ptr[i + 1]) * 16 + hex(s.ptr[i + 2]));
            i += 2;
        } else {
            o[n++] = plus && s.ptr[i] == '+' ? ' ' : s.ptr[i];
        }
    }
    o[n] = '\0';
    return (struct str){ o, n };
}

struct str csx_nat_ctx_decode(struct arena *a, struct str s, bool plus)
{
    return url_decode(a, s, plus);
}

/* The query string as a dictionary (names and values decoded). */
static const struct csx_kvs *query(struct csx_vm *vm, struct str q)
{
    size_t n = q.len > 0;
    for (size_t i = 0; i < q.len; i++)
        n += q.ptr[i] == '&';
    struct csx_kv *v = ARENA_ARRAY(vm->a, struct csx_kv, n ? n : 1);
    struct csx_kvs *kvs = ARENA_NEW(vm->a, struct csx_kvs);
    size_t k = 0;
    for (size_t i = 0; i < q.len;) {
        size_t end = i;
        while (end < q.len && q.ptr[end] != '&')
            end++;
        struct str part = { q.ptr + i, end - i };
        const char *eq = memchr(part.ptr, '=', part.len);
        size_t nl = eq ? (size_t)(eq - part.ptr) : part.len;
        if (part.len > 0)
            v[k++] =
                (struct csx_kv){ url_decode(vm->a, (struct str){ part.ptr, nl }, true),
                                 eq ? url_decode(vm->a, (struct str){ eq + 1, part.len - nl - 1 },
                                                 true)
                                    : STR_LIT("") };
        i = end + 1;
    }
    *kvs = (struct csx_kvs){ v, k, false };
    return kvs;
}

CSX_NATIVE(csx_nat_ctx_url_part)
{
    (void)args, (void)argc, (void)targ;
    const struct csx_url *u = self->u.p;
    switch (m) {
    case CSXM_URL_HOST:
        *out = csx_string(u->host);
        break;
    case CSXM_URL_PATH:
        *out = csx_string(u->path.ptr ? u->path : STR_LIT(""));
        break;
    case CSXM_URL_PORT:
        *out = csx_int(u->port);
        break;
    case CSXM_URL_QUERY:
        *out = csx_obj(CSXT_HEADERS, query(vm, u->query));
        break;
    case CSXM_URL_QUERYSTRING: /* with its '?', or "" */
        *out = csx_string(u->query.len == 0
                              ? STR_LIT("")
                              : (struct str){ arena_printf(vm->a, "?%.*s", STR_FMT(u->query)),
                                              u->query.len + 1 });
        break;
    case CSXM_URL_SCHEME:
        *out = csx_string(u->scheme);
        break;
    default:
        *out = csx_string(csx_value_str(vm->a, self));
        break;
    }
    return 0;
}

/* ---- dictionaries -------------------------------------------------------- */

static bool name_eq(const struct csx_kvs *d, struct str a, struct str b)
{
    return d->icase ? str_ieq(a, b) : str_eq(a, b);
}

/* The values of name (a header may come more than once), as string[]. */
static struct csx_value values(struct csx_vm *vm, const struct csx_kvs *d, struct str name)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += name_eq(d, d->v[i].name, name);
    if (n == 0)
        return csx_null();
    struct csx_value l = csx_list(vm, CSXT_STRINGS, n);
    for (size_t i = 0, k = 0; i < d->n; i++)
        if (name_eq(d, d->v[i].name, name))
            l.u.list[k++] = csx_string(d->v[i].value);
    return l;
}

/* GetValueOrDefault: the values joined with commas (facts 4.2). */
static struct csx_value joined(struct csx_vm *vm, const struct csx_value *l)
{
    struct str *parts = ARENA_ARRAY(vm->a, struct str, 2 * l->n);
    size_t len = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        parts[2 * i] = i ? STR_LIT(",") : STR_LIT("");
        parts[2 * i + 1] = (struct str){ l->u.list[i].u.s, l->u.list[i].n };
        len += parts[2 * i].len + parts[2 * i + 1].len;
    }
    return csx_string((struct str){ arena_cat(vm->a, parts, 2 * l->n), len });
}

static struct csx_value keys(struct csx_vm *vm, const struct csx_kvs *d)
{
    struct csx_value l = csx_list(vm, CSXT_STRINGS, d->n);
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = name_eq(d, d->v[j].name, d->v[i].name);
        if (!seen)
            l.u.list[k++] = csx_string(d->v[i].name);
    }
    l.n = (uint32_t)k;
    return l;
}

static int not_found(struct csx_vm *vm, struct str key)
{
    return csx_fail(vm, "The given key '%.*s' was not present in the dictionary.", STR_FMT(key));
}

CSX_NATIVE(csx_nat_ctx_dict)
{
    (void)targ;
    const struct csx_kvs *d = self->u.p;
    struct str key = STR_NULL;
    if (argc > 0 && csx_arg_str(vm, &args[0], &key) != 0)
        return -1;
    if (m == CSXM_HEADERS_COUNT || m == CSXM_STRMAP_COUNT || m == CSXM_HEADERS_KEYS) {
        struct csx_value k = keys(vm, d);
        *out = m == CSXM_HEADERS_KEYS ? k : csx_int(k.n);
        return 0;
    }
    if (key.ptr == NULL)
        return csx_fail(vm, "Value cannot be null. (Parameter 'key')");
    struct csx_value v = values(vm, d, key);
    switch (m) {
    case CSXM_HEADERS_CONTAINSKEY:
    case CSXM_STRMAP_CONTAINSKEY:
        *out = csx_bool(v.t != CSXV_NULL);
        return 0;
    case CSXM_HEADERS_INDEX:
    case CSXM_STRMAP_INDEX:
        if (v.t == CSXV_NULL)
            return not_found(vm, key);
        *out = m == CSXM_HEADERS_INDEX ? v : v.u.list[0];
        return 0;
    default: /* GetValueOrDefault(name[, default]) */
        *out = v.t != CSXV_NULL ? joined(vm, &v) : argc > 1 ? args[1] : csx_null();
        return 0;
    }
}

static const struct csx_var *var(const struct csx_host *h, struct str name)
{
    for (size_t i = 0; i < h->nvars; i++)
        if (str_eq(h->vars[i].name, name))
            return &h->vars[i];
    return NULL;
}

CSX_NATIVE(csx_nat_ctx_vars)
{
    const struct csx_host *h = host(self);
    struct str key = STR_NULL;
    if (m == CSXM_VARIABLES_COUNT) {
        *out = csx_int((int64_t)h->nvars);
        return 0;
    }
    if (csx_arg_str(vm, &args[0], &key) != 0)
        return -1;
    if (key.ptr == NULL)
        return csx_fail(vm, "Value cannot be null. (Parameter 'key')");
    const struct csx_var *v = var(h, key);
    if (m == CSXM_VARIABLES_CONTAINSKEY) {
        *out = csx_bool(v != NULL);
        return 0;
    }
    if (m == CSXM_VARIABLES_INDEX) {
        if (v == NULL)
            return not_found(vm, key);
        *out = v->value;
        return 0;
    }
    /* GetValueOrDefault<T>(name[, default]): a value of another type than T
     * throws (facts 4.2) */
    if (v == NULL) {
        *out = argc > 1 ? args[1] : targ ? csx_default(targ - 1) : csx_null();
        return 0;
    }
    if (targ == 0 || targ - 1 == CSXT_DYNAMIC)
        *out = v->value;
    else if (csx_cast(vm, targ - 1, &v->value, false, out) != 0)
        return -1;
    return 0;
}

/* IMessageBody.As<T>(preserveContent): the body as T. The content is
 * kept whatever preserveContent says: a difference with API Management,
 * where a second read without it finds the body consumed. */
CSX_NATIVE(csx_nat_ctx_body_as)
{
    (void)m, (void)args, (void)argc;
    const struct csx_message *msg = self->u.p;
    unsigned t = targ ? targ - 1 : CSXT_STRING;
    if (t == CSXT_STRING) {
        *out = csx_string(msg->body);
        return 0;
    }
    if (t == CSXT_BYTES) {
        *out = (struct csx_value){ .t = CSXV_BYTES,
                                   .type = CSXT_BYTES,
                                   .n = (uint32_t)msg->body.len,
                                   .u.bytes = (const unsigned char *)msg->body.ptr };
        return 0;
    }
    if (t != CSXT_JOBJECT && t != CSXT_JARRAY && t != CSXT_JTOKEN)
        return csx_fail(vm, "'As<%s>' is not run by apimlocal", csx_type_rows[t].name);
    json_error_t e;
    json_t *j = json_loadb(msg->body.ptr ? msg->body.ptr : "", msg->body.len,
                           JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (j == NULL)
        return csx_fail(vm, "the body is not JSON: %s at position %d", e.text, e.position);
    struct csx_value v = csx_json(vm, j);
    return csx_cast(vm, t, &v, false, out);
}

/* catch (Exception ex): ex.Message is the runtime error's reason; new
 * Exception(message) makes one to throw. */
CSX_NATIVE(csx_nat_ctx_exception)
{
    (void)targ;
    if (m == CSXM_EXCEPTION_MESSAGE) {
        *out = csx_string(str_from_cstr(self->u.p));
        return 0;
    }
    /* new Exception([message[, inner]]) */
    struct str msg = STR_LIT("Exception of type 'System.Exception' was thrown.");
    if (argc > 0 && csx_arg_str(vm, &args[0], &msg) != 0)
        return -1;
    *out = csx_obj(CSXT_EXCEPTION, arena_strndup(vm->a, msg.ptr ? msg.ptr : "", msg.len));
    return 0;
}
