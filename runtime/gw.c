#include "gw.h"

#include <string.h>

void gw_headers_add(struct arena *a, struct gw_headers *h, struct str name, struct str value)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        struct gw_header *v = ARENA_ARRAY(a, struct gw_header, cap);
        if (h->n)
            memcpy(v, h->v, h->n * sizeof(*v));
        h->v = v;
        h->cap = cap;
    }
    h->v[h->n++] = (struct gw_header){ name, value };
}

const struct gw_header *gw_headers_get(const struct gw_headers *h, const char *name)
{
    struct str n = str_from_cstr(name);
    for (size_t i = 0; i < h->n; i++)
        if (str_ieq(h->v[i].name, n))
            return &h->v[i];
    return NULL;
}

bool gw_hop_by_hop(struct str name)
{
    static const char *const names[] = {
        "connection", "keep-alive", "proxy-connection",   "te",
        "trailer",    "upgrade",    "transfer-encoding",  "content-length",
        "host",       "expect",     "proxy-authenticate", "proxy-authorization",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (str_ieq_cstr(name, names[i]))
            return true;
    return false;
}

struct str gw_decode(struct arena *a, struct str s)
{
    if (memchr(s.ptr, '%', s.len) == NULL)
        return s;
    char *out = arena_alloc(a, s.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        int hi, lo;
        if (s.ptr[i] == '%' && i + 2 < s.len && (hi = str_hex_digit(s.ptr[i + 1])) >= 0 &&
            (lo = str_hex_digit(s.ptr[i + 2])) >= 0) {
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[n++] = s.ptr[i];
        }
    }
    out[n] = '\0';
    return (struct str){ out, n };
}

struct str gw_query_get(struct arena *a, struct str raw, struct str name, bool *found)
{
    *found = false;
    size_t i = 0;
    while (i <= raw.len && raw.len) {
        size_t end = i;
        while (end < raw.len && raw.ptr[end] != '&')
            end++;
        const char *eq = memchr(raw.ptr + i, '=', end - i);
        struct str key = { raw.ptr + i, eq ? (size_t)(eq - raw.ptr) - i : end - i };
        if (str_ieq(gw_decode(a, key), name)) {
            *found = true;
            return eq ? gw_decode(a, (struct str){ eq + 1, end - (size_t)(eq + 1 - raw.ptr) })
                      : (struct str){ "", 0 };
        }
        i = end + 1;
    }
    return STR_NULL;
}
