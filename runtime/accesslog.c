#include "accesslog.h"

#include <string.h>

#include "log.h"

/* Length of the valid UTF-8 sequence at p (1..4), or 0. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
    size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
    if (p[0] > 0xf4 || n == 0 || n > left) /* F5..FF never start a sequence */
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((n == 3 && p[0] == 0xe0 && p[1] < 0xa0) || (n == 4 && p[0] == 0xf0 && p[1] < 0x90) ||
        (n == 4 && p[0] == 0xf4 && p[1] >= 0x90) || (n == 3 && p[0] == 0xed && p[1] >= 0xa0))
        return 0;
    return n;
}

int accesslog_json_string(struct buf *out, struct str s)
{
    int rc = buf_append(out, "\"", 1);
    const unsigned char *p = (const unsigned char *)s.ptr;
    for (size_t i = 0; i < s.len && rc == 0;) {
        unsigned char c = p[i];
        size_t n = c >= 0x80 ? utf8_len(p + i, s.len - i) : 1;
        if (c == '"' || c == '\\')
            rc = buf_printf(out, "\\%c", c);
        else if (c < 0x20 || n == 0)
            rc = buf_printf(out, "\\u%04x", c);
        else
            rc = buf_append(out, p + i, n);
        i += n ? n : 1;
    }
    return rc | buf_append(out, "\"", 1);
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
    struct buf u;
    buf_init(&u, out->max);
    int rc = buf_append(&u, x->req.raw_path.ptr, x->req.raw_path.len);
    struct str q = x->req.raw_query;
    for (size_t i = 0; i < q.len && rc == 0;) {
        const char *amp = memchr(q.ptr + i, '&', q.len - i);
        size_t end = amp ? (size_t)(amp - q.ptr) : q.len;
        struct str pair = { q.ptr + i, end - i };
        const char *eq = memchr(pair.ptr, '=', pair.len);
        struct str name = { pair.ptr, eq ? (size_t)(eq - pair.ptr) : pair.len };
        rc |= buf_append(&u, i == 0 ? "?" : "&", 1);
        if (eq && str_ieq(gw_decode(x->req.arena, name), key_name)) {
            rc |= buf_append(&u, name.ptr, name.len);
            rc |= buf_puts(&u, "=***");
        } else {
            rc |= buf_append(&u, pair.ptr, pair.len);
        }
        i = end + 1;
    }
    rc |= accesslog_json_string(out, (struct str){ u.data ? u.data : "", u.len });
    buf_release(&u);
    return rc;
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

static int outcome(struct buf *out, const struct gw_exchange *x, bool answered, int64_t done_us)
{
    bool called = x->backend_start_us != 0;
    int rc = 0;
    if (answered)
        rc |= buf_printf(out, ",\"status\":%d", x->resp.status);
    else
        rc |= buf_puts(out, ",\"status\":null");
    if (called && x->backend.error == GW_BACKEND_OK)
        rc |= buf_printf(out, ",\"backendStatus\":%d", x->backend.status);
    else
        rc |= buf_puts(out, ",\"backendStatus\":null");
    rc |= buf_printf(out, ",\"totalMs\":%.3f", (double)(done_us - x->req.start_us) / 1000.0);
    if (called && x->backend_end_us)
        rc |= buf_printf(out, ",\"backendMs\":%.3f",
                         (double)(x->backend_end_us - x->backend_start_us) / 1000.0);
    else
        rc |= buf_puts(out, ",\"backendMs\":null");
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
    int rc = buf_printf(out, "{\"time\":\"%s\",\"requestId\":\"%s\",\"method\":", when, x->req.id);
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
int accesslog_append(struct buf *out, const struct gw_exchange *x, const struct plan *p,
                     bool answered, int64_t done_us)
{
    struct buf one;
    buf_init(&one, out->max);
    int rc = line(&one, x, p, answered, done_us);
    if (rc == 0 && one.len > out->max - out->len)
        rc = -1;
    if (rc == 0)
        rc = buf_append(out, one.data, one.len);
    buf_release(&one);
    return rc ? -1 : 0;
}
