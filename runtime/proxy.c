#include "proxy.h"

#include <curl/curl.h>
#include <string.h>
#include <sys/epoll.h>

#include "apim_limits.h"

struct sock {
    struct loop_watch w;
    struct proxy *p;
    curl_socket_t fd;
    struct sock *next_free;
};

struct call {
    CURL *easy;
    struct gw_exchange *x;
    char *body;
    size_t len, cap;
    bool too_large;
    struct call *prev, *next; /* calls in flight */
};

struct proxy {
    struct loop *loop;
    CURLM *multi;
    proxy_done_fn done;
    void *ctx;
    int64_t deadline; /* curl's timer, monotonic ms; -1 none */
    CURL **easy_pool;
    size_t neasy, cap_easy;
    struct sock *free_socks;
    struct call *calls;
    size_t active;
};

int proxy_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/* ---- sockets and the timer, for the loop ---- */

static void on_socket(void *ctx, uint32_t events)
{
    struct sock *s = ctx;
    int flags = 0, running;
    flags |= (events & EPOLLIN) ? CURL_CSELECT_IN : 0;
    flags |= (events & EPOLLOUT) ? CURL_CSELECT_OUT : 0;
    flags |= (events & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0;
    curl_multi_socket_action(s->p->multi, s->fd, flags, &running);
}

static int socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    (void)easy;
    struct proxy *p = userp;
    struct sock *s = socketp;
    if (what == CURL_POLL_REMOVE) {
        if (s) {
            loop_del(p->loop, fd);
            curl_multi_assign(p->multi, fd, NULL);
            s->next_free = p->free_socks; /* kept: connections come and go per call */
            p->free_socks = s;
        }
        return 0;
    }
    uint32_t events = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
    if (s)
        return loop_mod(p->loop, fd, events, &s->w) == 0 ? 0 : -1;
    s = p->free_socks;
    if (s)
        p->free_socks = s->next_free;
    else
        s = xcalloc(1, sizeof(*s));
    *s = (struct sock){ { on_socket, s }, p, fd, NULL };
    curl_multi_assign(p->multi, fd, s);
    return loop_add(p->loop, fd, events, &s->w) == 0 ? 0 : -1;
}

static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    struct proxy *p = userp;
    p->deadline = timeout_ms < 0 ? -1 : loop_now_ms() + timeout_ms;
    return 0;
}

struct proxy *proxy_new(struct loop *l, proxy_done_fn done, void *ctx)
{
    struct proxy *p = xcalloc(1, sizeof(*p));
    p->loop = l;
    p->done = done;
    p->ctx = ctx;
    p->deadline = -1;
    p->multi = curl_multi_init();
    if (p->multi == NULL)
        xalloc_die(0);
    curl_multi_setopt(p->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
    curl_multi_setopt(p->multi, CURLMOPT_SOCKETDATA, p);
    curl_multi_setopt(p->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(p->multi, CURLMOPT_TIMERDATA, p);
    /* The default pool shrinks with the number of handles added, and a proxy
     * removes each one when its call ends: keep idle connections. */
    curl_multi_setopt(p->multi, CURLMOPT_MAXCONNECTS, 1024L);
    return p;
}

void proxy_free(struct proxy *p)
{
    if (p == NULL)
        return;
    proxy_abort_all(p);
    for (size_t i = 0; i < p->neasy; i++)
        curl_easy_cleanup(p->easy_pool[i]);
    free(p->easy_pool);
    curl_multi_cleanup(p->multi);
    while (p->free_socks) {
        struct sock *s = p->free_socks;
        p->free_socks = s->next_free;
        free(s);
    }
    free(p);
}

size_t proxy_active(const struct proxy *p)
{
    return p->active;
}

/* ---- one call ---- */

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
    struct call *c = userp;
    size_t len = size * n;
    if (len > APIM_MAX_RESPONSE_BODY - c->len) {
        c->too_large = true;
        return 0; /* aborts the transfer */
    }
    if (c->len + len > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16384;
        while (cap < c->len + len)
            cap *= 2;
        char *nb = arena_alloc(c->x->req.arena, cap);
        if (c->len)
            memcpy(nb, c->body, c->len);
        c->body = nb;
        c->cap = cap;
    }
    memcpy(c->body + c->len, data, len);
    c->len += len;
    return len;
}

/* Status lines start a new header block (a 100 Continue or a redirect comes
 * before the final one): only the last block counts. */
static size_t on_header(char *line, size_t size, size_t n, void *userp)
{
    struct call *c = userp;
    size_t len = size * n;
    struct gw_headers *h = &c->x->backend.headers;
    if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        h->n = 0;
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
    gw_headers_add(a, h, name, value);
    return len;
}

/* curl only reads a header list, so the nodes live in the request arena:
 * no allocation to free per call. */
static struct curl_slist *header_list(struct gw_exchange *x)
{
    struct arena *a = x->req.arena;
    struct curl_slist *head = NULL, **tail = &head;
    bool accept = false;
    for (size_t i = 0; i <= x->fwd.headers.n + 1; i++) {
        const char *line;
        if (i < x->fwd.headers.n) {
            const struct gw_header *h = &x->fwd.headers.v[i];
            accept |= str_ieq_cstr(h->name, "Accept");
            line = arena_printf(a, "%.*s: %.*s", STR_FMT(h->name), STR_FMT(h->value));
        } else if (i == x->fwd.headers.n) {
            line = "Expect:"; /* no 100-continue round trip */
        } else if (!accept) {
            line = "Accept:"; /* curl would add its own Accept the client never sent */
        } else {
            break;
        }
        struct curl_slist *node = ARENA_NEW(a, struct curl_slist);
        node->data = (char *)line;
        *tail = node;
        tail = &node->next;
    }
    return head;
}

static CURL *take_easy(struct proxy *p)
{
    if (p->neasy) {
        CURL *e = p->easy_pool[--p->neasy];
        curl_easy_reset(e);
        return e;
    }
    return curl_easy_init();
}

static void give_easy(struct proxy *p, CURL *e)
{
    if (p->neasy == p->cap_easy) {
        p->cap_easy = p->cap_easy ? p->cap_easy * 2 : 64;
        p->easy_pool = xrealloc(p->easy_pool, p->cap_easy * sizeof(*p->easy_pool));
    }
    p->easy_pool[p->neasy++] = e;
}

static void set_method(CURL *e, const struct gw_forward *f)
{
    if (str_eq(f->method, STR_LIT("HEAD"))) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        return;
    }
    if (f->body.len || str_eq(f->method, STR_LIT("POST")) || str_eq(f->method, STR_LIT("PUT")) ||
        str_eq(f->method, STR_LIT("PATCH"))) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, f->body.ptr ? f->body.ptr : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)f->body.len);
    }
    if (!str_eq(f->method, STR_LIT("GET")) && !str_eq(f->method, STR_LIT("POST")))
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, f->method.ptr);
    else if (str_eq(f->method, STR_LIT("GET")) && f->body.len)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "GET");
}

static void link_call(struct proxy *p, struct call *c)
{
    c->next = p->calls;
    if (p->calls)
        p->calls->prev = c;
    p->calls = c;
    p->active++;
}

static void unlink_call(struct proxy *p, struct call *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        p->calls = c->next;
    if (c->next)
        c->next->prev = c->prev;
    p->active--;
}

int proxy_start(struct proxy *p, struct gw_exchange *x)
{
    const struct gw_forward *f = &x->fwd;
    struct call *c = ARENA_NEW(x->req.arena, struct call);
    c->x = x;
    c->easy = take_easy(p);
    if (c->easy == NULL) {
        x->backend = (struct gw_backend_result){ .error = GW_BACKEND_OTHER,
                                                 .error_text = "curl_easy_init failed" };
        return -1;
    }
    CURL *e = c->easy;
    curl_easy_setopt(e, CURLOPT_URL, f->url.ptr);
    curl_easy_setopt(e, CURLOPT_PRIVATE, c);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, header_list(x));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, f->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, f->timeout_ms < 10000 ? f->timeout_ms : 10000L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, f->verify_peer ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, f->verify_host ? 2L : 0L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    set_method(e, f);
    if (curl_multi_add_handle(p->multi, e) != CURLM_OK) {
        give_easy(p, e);
        x->backend = (struct gw_backend_result){ .error = GW_BACKEND_OTHER,
                                                 .error_text = "curl_multi_add_handle failed" };
        return -1;
    }
    link_call(p, c);
    return 0;
}

static enum gw_backend_error classify(CURLcode rc, const struct call *c)
{
    switch (rc) {
    case CURLE_OK:
        return GW_BACKEND_OK;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return GW_BACKEND_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return GW_BACKEND_TIMEOUT;
    case CURLE_WRITE_ERROR:
        return c->too_large ? GW_BACKEND_TOO_LARGE : GW_BACKEND_OTHER;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return GW_BACKEND_RESET;
    default:
        return GW_BACKEND_OTHER;
    }
}

static void finish(struct proxy *p, struct call *c, CURLcode rc)
{
    struct gw_exchange *x = c->x;
    long status = 0;
    curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(p->multi, c->easy);
    give_easy(p, c->easy);
    unlink_call(p, c);
    x->backend.error = classify(rc, c);
    x->backend.error_text = curl_easy_strerror(rc);
    x->backend.status = (int)status;
    x->backend.body = (struct str){ c->body ? c->body : "", c->len };
    x->backend_end_us = loop_now_us();
    p->done(p->ctx, x);
}

void proxy_service(struct proxy *p, int64_t now_ms)
{
    int running;
    if (p->deadline >= 0 && now_ms >= p->deadline) {
        p->deadline = -1;
        curl_multi_socket_action(p->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(p->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct call *c;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&c);
        finish(p, c, m->data.result);
    }
}

int proxy_timeout_ms(const struct proxy *p, int64_t now_ms)
{
    if (p->deadline < 0)
        return -1;
    int64_t wait = p->deadline - now_ms;
    return wait < 0 ? 0 : (int)(wait > 1000000 ? 1000000 : wait);
}

void proxy_abort_all(struct proxy *p)
{
    while (p->calls)
        finish(p, p->calls, CURLE_ABORTED_BY_CALLBACK);
}

/* ---- one blocking GET, for the CLI talking to a gateway's admin port ---- */

static size_t fetch_body(char *data, size_t size, size_t n, void *userp)
{
    return buf_append(userp, data, size * n) == 0 ? size * n : 0;
}

int proxy_fetch(const char *url, long timeout_ms, struct buf *out, long *status)
{
    CURL *e = curl_easy_init();
    if (e == NULL)
        return -1;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, fetch_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http");
    CURLcode rc = curl_easy_perform(e);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(e);
    return rc == CURLE_OK ? 0 : -1;
}
