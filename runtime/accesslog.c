#include "accesslog.h"

#include <string.h>

#include "log.h"
#include "utf8.h"

int accesslog_json_string(struct buf *out, struct str s)
{
    return utf8_json_string(out, s, 0);
}

static int string_or_null(struct buf *out, struct str s)
{
    return s.ptr ? accesslog_json_string(out, s) : buf_puts(out, "null");
}

/* path?query with the key parameter's value masked. A parameter is the key
 * when its name, percent-decoded, matches without case: that is how
 * gw_query_get finds the key, so "subscription%2Dkey=..." is masked too. */
static int url(struct buf *out, const struct gw_exchange *x, struct str key_name)
{
    int rc = buf_append(out, "\"", 1);
    rc |= utf8_json_chars(out, x->req.raw_path, 0);
    struct str q = x->req.raw_query;
    for (size_t i = 0; i < q.len && rc == 0;) {
        const char *amp = memchr(q.ptr + i, '&', q.len - i);
        size_t end = amp ? (size_t)(amp - q.ptr) : q.len;
        struct str pair = { q.ptr + i, end - i };
        const char *eq = memchr(pair.ptr, '=', pair.len);
        struct str name = { pair.ptr, eq ? (size_t)(eq - pair.ptr) : pair.len };
        rc |= buf_append(out, i == 0 ? "?" : "&", 1);
        if (eq && str_ieq(gw_decode(x->req.arena, name), key_name)) {
            rc |= utf8_json_chars(out, name, 0);
            rc |= buf_puts(out, "=***");
        } else {
            rc |= utf8_json_chars(out, pair, 0);
        }
        i = end + 1;
    }
    return rc | buf_append(out, "\"", 1);
}

static struct str api_id(const struct gw_exchange *x, const struct plan *p)
{
    return p && x->routed == ROUTER_MATCH ? p->apis[x->route.api].id : STR_NULL;
}

static struct str op_id(const struct gw_exchange *x, const struct plan *p)
{
    return p && x->routed == ROUTER_MATCH ? p->ops[x->route.op].id : STR_NULL;
}

static struct str granted(const struct gw_exchange *x, const struct plan *p, bool product)
{
    if (p == NULL || x->routed != ROUTER_MATCH || x->access.result != ACCESS_GRANTED)
        return STR_NULL;
    uint32_t i = product ? x->access.product : x->access.subscription;
    if (i == PLAN_NONE)
        return STR_NULL;
    return product ? p->products[i].id : p->subs[i].id;
}

static int ids(struct buf *out, const struct gw_exchange *x, const struct plan *p)
{
    int rc = buf_puts(out, ",\"api\":");
    rc |= string_or_null(out, api_id(x, p));
    rc |= buf_puts(out, ",\"operation\":");
    rc |= string_or_null(out, op_id(x, p));
    rc |= buf_puts(out, ",\"product\":");
    rc |= string_or_null(out, granted(x, p, true));
    rc |= buf_puts(out, ",\"subscriptionId\":");
    rc |= string_or_null(out, granted(x, p, false));
    return rc;
}

/* ,"name": */
static int field(struct buf *out, const char *name)
{
    int rc = buf_puts(out, ",\"");
    rc |= buf_puts(out, name);
    return rc | buf_puts(out, "\":");
}

/* ",name":N, or ",name":null. */
static int number_or_null(struct buf *out, const char *name, bool known, int value)
{
    int rc = field(out, name);
    if (!known)
        return rc | buf_puts(out, "null");
    if (value < 0)
        rc |= buf_append(out, "-", 1);
    return rc |
           buf_put_uint(out, value < 0 ? -(unsigned long long)value : (unsigned long long)value);
}

/* ",name":milliseconds with 3 decimals (from microseconds), or null. */
static int ms_or_null(struct buf *out, const char *name, bool known, int64_t us)
{
    int rc = field(out, name);
    if (!known)
        return rc | buf_puts(out, "null");
    if (us < 0)
        us = 0; /* the clock is monotonic: cannot happen */
    char frac[4] = { (char)('0' + us / 100 % 10), (char)('0' + us / 10 % 10), (char)('0' + us % 10),
                     '\0' };
    rc |= buf_put_uint(out, (unsigned long long)(us / 1000));
    rc |= buf_append(out, ".", 1);
    return rc | buf_append(out, frac, 3);
}

static int outcome(struct buf *out, const struct gw_exchange *x, bool answered, int64_t done_us)
{
    bool called = x->backend_start_us != 0;
    int rc = number_or_null(out, "status", answered, x->resp.status);
    rc |= number_or_null(out, "backendStatus", called && x->backend.error == GW_BACKEND_OK,
                         x->backend.status);
    rc |= ms_or_null(out, "totalMs", true, done_us - x->req.start_us);
    rc |= ms_or_null(out, "backendMs", called && x->backend_end_us,
                     x->backend_end_us - x->backend_start_us);
    rc |= buf_puts(out, ",\"error\":");
    rc |= string_or_null(out, x->error_reason ? str_from_cstr(x->error_reason) : STR_NULL);
    if (called && x->backend.error != GW_BACKEND_OK && x->backend.error_text) {
        rc |= buf_puts(out, ",\"backendError\":");
        rc |= accesslog_json_string(out, str_from_cstr(x->backend.error_text));
    }
    return rc;
}

static int line(struct buf *out, const struct gw_exchange *x, const struct plan *p, bool answered,
                int64_t done_us)
{
    char when[25];
    log_time_now(when);
    /* Without an operation the API is still known, and so is its key's name. */
    bool api_known = p && (x->routed == ROUTER_MATCH || x->routed == ROUTER_NO_OPERATION);
    struct str key_name = api_known ? p->apis[x->route.api].key_query : STR_LIT("subscription-key");
    int rc = buf_puts(out, "{\"time\":\"");
    rc |= buf_puts(out, when);
    rc |= buf_puts(out, "\",\"requestId\":\"");
    rc |= buf_puts(out, x->req.id);
    rc |= buf_puts(out, "\",\"method\":");
    rc |= accesslog_json_string(out, x->req.method);
    rc |= buf_puts(out, ",\"url\":");
    rc |= url(out, x, key_name);
    rc |= buf_puts(out, ",\"clientIp\":");
    rc |= string_or_null(out, x->req.client_ip);
    rc |= ids(out, x, p);
    rc |= outcome(out, x, answered, done_us);
    rc |= buf_puts(out, "}\n");
    return rc;
}

/* The line is built apart and appended whole. A failed buf append empties
 * the buffer and later pieces would land after it as a half line (and the
 * lines already waiting would be lost); this way a line that does not fit
 * leaves out as it was, and the caller can write it out and try again. */
int accesslog_append(struct buf *out, struct buf *scratch, const struct gw_exchange *x,
                     const struct plan *p, bool answered, int64_t done_us)
{
    buf_reset(scratch);
    scratch->max = out->max;
    int rc = line(scratch, x, p, answered, done_us);
    if (rc == 0 && scratch->len > out->max - out->len)
        rc = -1;
    if (rc == 0)
        rc = buf_append(out, scratch->data, scratch->len);
    buf_reset(scratch);
    return rc ? -1 : 0;
}
