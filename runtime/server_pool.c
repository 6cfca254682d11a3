/* server_pool.c - the request pool, and the gw_request built from what
 * libmicrohttpd parsed (server_int.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "apim_limits.h"
#include "fdio.h"
#include "log.h"
#include "server_int.h"

/* ---- the request pool ---- */

struct server_request *server_take_request(struct server *s)
{
    struct server_request *r = s->free_requests;
    if (r) {
        s->free_requests = r->next_free;
        s->nfree--;
    } else {
        r = xcalloc(1, sizeof(*r));
        arena_init(&r->arena, 16384);
        buf_init(&r->body, APIM_MAX_REQUEST_BODY);
    }
    r->s = s;
    memset(&r->x, 0, sizeof(r->x));
    r->x.req.arena = &r->arena;
    r->raw_uri = STR_NULL;
    r->started = r->handed = r->answered = r->queued = r->suspended = r->too_large = false;
    r->waiting = r->gone = r->refused = r->filled = r->streamed = r->window_full = r->over_budget =
        false;
    r->watch = NULL;
    r->watch_due = false;
    r->due_prev = r->due_next = NULL;
    r->put = r->held = 0;
    r->read = NULL;
    return r;
}

void server_free_request(struct server_request *r)
{
    arena_release(&r->arena);
    buf_release(&r->body);
    free(r);
}

void server_give_request(struct server *s, struct server_request *r)
{
    s->body_held -= r->held;
    if (s->nfree >= SERVER_POOL_MAX) {
        server_free_request(r);
        return;
    }
    arena_reset(&r->arena);
    if (r->body.cap > SERVER_BODY_KEEP)
        buf_release(&r->body);
    else
        buf_reset(&r->body);
    r->next_free = s->free_requests;
    s->free_requests = r;
    s->nfree++;
}

/* ---- building the gw_request ---- */

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct server_request *r = cls;
    /* libmicrohttpd keeps these strings until the request completes. */
    gw_headers_add(&r->arena, &r->x.req.headers, (struct str){ key, key_size },
                   (struct str){ value ? value : "", value ? value_size : 0 });
    return MHD_YES;
}

static struct str client_ip(struct server_request *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci == NULL || ci->client_addr == NULL)
        return STR_NULL;
    char text[INET6_ADDRSTRLEN];
    if (!sockaddr_ip(ci->client_addr, text, sizeof(text)))
        return STR_NULL;
    return str_from_cstr(arena_strdup(&r->arena, text));
}

/* The request target as sent: "/path?query", or an absolute URI whose
 * scheme and authority are dropped (RFC 9112 3.2.2). */
static void split_target(struct gw_request *req, struct str uri)
{
    const char *p = uri.ptr, *end = uri.ptr + uri.len;
    if (str_istarts_with(uri, "http://") || str_istarts_with(uri, "https://")) {
        p = (const char *)memchr(p, ':', uri.len) + 3;
        while (p < end && *p != '/' && *p != '?')
            p++;
    }
    const char *q = memchr(p, '?', (size_t)(end - p));
    req->raw_path = (struct str){ p, (size_t)((q ? q : end) - p) };
    req->raw_query = q ? (struct str){ q + 1, (size_t)(end - q - 1) } : STR_LIT("");
    if (req->raw_path.len == 0)
        req->raw_path = STR_LIT("/");
}

static uint64_t next_random(uint64_t s[2])
{
    /* xorshift128+: request ids need to be unique, not secret. */
    uint64_t a = s[0], b = s[1];
    s[0] = b;
    a ^= a << 23;
    s[1] = a ^ b ^ (a >> 17) ^ (b >> 26);
    return s[1] + b;
}

/* Writes the low 4 * digits bits of v as lower-case hex. */
static char *hex(char *out, uint64_t v, int digits)
{
    static const char xdigits[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--, v >>= 4)
        out[i] = xdigits[v & 0xf];
    return out + digits;
}

/* A random (version 4) UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx". */
static void make_request_id(struct server *s, char out[37])
{
    uint64_t hi = next_random(s->rng), lo = next_random(s->rng);
    hi = (hi & ~0xf000ull) | 0x4000ull;                        /* version 4 */
    lo = (lo & 0x3fffffffffffffffull) | 0x8000000000000000ull; /* RFC 4122 variant */
    char *p = hex(out, hi >> 32, 8);
    *p++ = '-';
    p = hex(p, hi >> 16, 4);
    *p++ = '-';
    p = hex(p, hi, 4);
    *p++ = '-';
    p = hex(p, lo >> 48, 4);
    *p++ = '-';
    p = hex(p, lo, 12);
    *p = '\0';
}

void server_fill_request(struct server_request *r, const char *method)
{
    if (r->filled)
        return;
    r->filled = true;
    struct gw_request *req = &r->x.req;
    req->method = str_from_cstr(method);
    split_target(req, r->raw_uri);
    MHD_get_connection_values_n(r->conn, MHD_HEADER_KIND, add_header, r);
    req->client_ip = client_ip(r);
    req->start_us = loop_now_us();
    make_request_id(r->s, req->id);
}
