/* proxy_recv.c - what curl delivers for a call: the answer's status line
 * and headers, and its body, held or streamed (proxy_int.h). */
#include <stdlib.h>
#include <string.h>

#include "fwdrules.h"
#include "log.h"
#include "proxy_int.h"

/* ---- what curl delivers ---- */

static size_t hold(struct call *c, const char *data, size_t len)
{
    if (buf_append(&c->body, data, len) != 0) {
        c->too_large = true;
        return 0; /* aborts the transfer */
    }
    if (c->body.len > PROXY_HOLD_BYTES) {
        c->streaming = true; /* too big to hold whole: send it as it comes */
        proxy_push_news(c->p, c);
    }
    return len;
}

/* Moves the unread part of a streamed body to the front once at least as
 * much has been read as is left, so the buffer never grows past about twice
 * the high-water mark and each byte is moved a bounded number of times. */
static void compact(struct call *c)
{
    size_t unread = c->body.len - c->read_pos;
    if (c->read_pos == 0 || c->read_pos < unread)
        return;
    memmove(c->body.data, c->body.data + c->read_pos, unread);
    c->body.len = unread;
    c->body.data[unread] = '\0';
    c->read_pos = 0;
}

size_t proxy_on_body(char *data, size_t size, size_t n, void *userp)
{
    struct call *c = userp;
    size_t len = size * n;
    c->in_body = true;
    if (!c->streaming)
        return hold(c, data, len);
    if (c->body.len - c->read_pos >= PROXY_HIGH_WATER) {
        c->paused = true; /* curl keeps this chunk and offers it again on resume */
        return CURL_WRITEFUNC_PAUSE;
    }
    compact(c);
    if (buf_append(&c->body, data, len) != 0) {
        c->too_large = true;
        return 0;
    }
    proxy_push_news(c->p, c);
    return len;
}

static void content_length(struct call *c, struct str value)
{
    char *end;
    char text[32];
    snprintf(text, sizeof(text), "%.*s", STR_FMT(value));
    long long v = strtoll(text, &end, 10);
    if (end != text && *end == '\0' && v >= 0)
        c->x->backend.content_length = v;
}

/* One header line. A status line starts a new block (a 100 Continue comes
 * before the final one): only the last block counts. Lines after the body
 * are trailers, which are not headers of the response. */
size_t proxy_on_header(char *line, size_t size, size_t n, void *userp)
{
    struct call *c = userp;
    size_t len = size * n;
    struct gw_backend_result *b = &c->x->backend;
    c->header_bytes += len;
    if (c->header_bytes > PROXY_MAX_HEADER_BYTES) {
        c->too_large = true;
        return 0;
    }
    if (c->in_body)
        return len;
    if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        b->headers.n = 0;
        b->content_length = -1;
        return len;
    }
    const char *colon = memchr(line, ':', len);
    if (colon == NULL)
        return len;
    size_t e = len;
    while (e > 0 && (line[e - 1] == '\r' || line[e - 1] == '\n'))
        e--;
    const char *v = colon + 1;
    while (v < line + e && (*v == ' ' || *v == '\t'))
        v++;
    struct arena *a = c->x->req.arena;
    struct str name = { arena_strndup(a, line, (size_t)(colon - line)), (size_t)(colon - line) };
    struct str value = { arena_strndup(a, v, (size_t)(line + e - v)), (size_t)(line + e - v) };
    if (str_ieq_cstr(name, "Content-Length"))
        content_length(c, value);
    gw_headers_add(a, &b->headers, name, value);
    return len;
}
