#include "proxy.h"

#include <curl/curl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "apim_limits.h"
#include "fwdrules.h"
#include "log.h"
#include "proxy_int.h"

int proxy_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void proxy_push_news(struct proxy *p, struct call *c)
{
    if (c->news)
        return;
    if (p->nnews == p->cap_news) {
        p->cap_news = p->cap_news ? p->cap_news * 2 : 64;
        p->news = xrealloc(p->news, p->cap_news * sizeof(*p->news));
    }
    p->news[p->nnews++] = c;
    c->news = true;
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

/* A socket the loop refused fails its own call, not the whole multi handle
 * (a -1 here would end every transfer of this worker). */
static int refuse(struct proxy *p, CURL *easy, curl_socket_t fd)
{
    log_msg(LOG_LEVEL_ERROR, "backend socket %d: cannot watch it", (int)fd);
    struct call *c = NULL;
    if (easy && curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&c) == CURLE_OK && c) {
        c->socket_failed = true;
        proxy_push_news(p, c);
    }
    return 0;
}

static int socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
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
        return loop_mod(p->loop, fd, events, &s->w) == 0 ? 0 : refuse(p, easy, fd);
    s = p->free_socks;
    if (s)
        p->free_socks = s->next_free;
    else
        s = xcalloc(1, sizeof(*s));
    *s = (struct sock){ { on_socket, s }, p, fd, NULL };
    if (loop_add(p->loop, fd, events, &s->w) != 0) {
        s->next_free = p->free_socks;
        p->free_socks = s;
        return refuse(p, easy, fd);
    }
    curl_multi_assign(p->multi, fd, s);
    return 0;
}

static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    struct proxy *p = userp;
    p->deadline = timeout_ms < 0 ? -1 : loop_now_ms() + timeout_ms;
    return 0;
}

struct proxy *proxy_new(struct loop *l, const struct proxy_hooks *hooks, long idle_s)
{
    struct proxy *p = xcalloc(1, sizeof(*p));
    p->loop = l;
    p->hooks = *hooks;
    p->idle_s = idle_s > 0 ? idle_s : 60;
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

static void free_call(struct call *c)
{
    buf_release(&c->body);
    free(c);
}

void proxy_free(struct proxy *p)
{
    if (p == NULL)
        return;
    proxy_abort_all(p);
    for (size_t i = 0; i < p->neasy; i++)
        curl_easy_cleanup(p->easy_pool[i]);
    if (p->sweeping)
        curl_multi_remove_handle(p->multi, p->sweeper);
    if (p->sweeper)
        curl_easy_cleanup(p->sweeper);
    free(p->easy_pool);
    curl_multi_cleanup(p->multi);
    while (p->free_socks) {
        struct sock *s = p->free_socks;
        p->free_socks = s->next_free;
        free(s);
    }
    while (p->free_calls) {
        struct call *c = p->free_calls;
        p->free_calls = c->next_free;
        free_call(c);
    }
    free(p->news);
    free(p);
}

size_t proxy_active(const struct proxy *p)
{
    return p->active;
}

/* ---- starting a call ---- */

static bool has_header(const struct gw_headers *h, const char *name)
{
    return gw_headers_get(h, name) != NULL;
}

static void append_line(struct arena *a, struct curl_slist ***tail, const char *line)
{
    struct curl_slist *node = ARENA_NEW(a, struct curl_slist);
    node->data = (char *)line;
    **tail = node;
    *tail = &node->next;
}

/* curl only reads a header list, so the nodes live in the request arena:
 * nothing to free per call. "Name:" removes a header curl would add on its
 * own; "Name;" sends a header with an empty value. */
static struct curl_slist *header_list(struct gw_exchange *x, bool body)
{
    struct arena *a = x->req.arena;
    struct curl_slist *head = NULL, **tail = &head;
    for (size_t i = 0; i < x->fwd.headers.n; i++) {
        const struct gw_header *h = &x->fwd.headers.v[i];
        struct str line[] = { h->name, h->value.len ? STR_LIT(": ") : STR_LIT(";"), h->value };
        append_line(a, &tail, arena_cat(a, line, 3));
    }
    append_line(a, &tail, "Expect:"); /* no 100-continue round trip */
    if (!has_header(&x->fwd.headers, "Accept"))
        append_line(a, &tail, "Accept:");
    if (body && !has_header(&x->fwd.headers, "Content-Type"))
        append_line(a, &tail, "Content-Type:"); /* not curl's form default */
    return head;
}

/* ---- the pool's idle connections ---- */

/* Counts the backend connections this proxy's calls open and close, so the
 * sweep runs only while there are some. */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    (void)purpose;
    struct proxy *p = clientp;
    curl_socket_t fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
    if (fd != CURL_SOCKET_BAD)
        p->sockets++;
    return fd;
}

static int close_socket(void *clientp, curl_socket_t fd)
{
    struct proxy *p = clientp;
    p->sockets--;
    return close(fd);
}

static void count_sockets(CURL *e, struct proxy *p)
{
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, p);
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, close_socket);
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, p);
    /* Idle longer than this (whole seconds, compared with '>'): not reused,
     * and closed when curl next prunes its pool. */
    curl_easy_setopt(e, CURLOPT_MAXAGE_CONN, p->idle_s - 1);
}

/* The sweeper never connects: its socket is refused before one is made. */
static curl_socket_t no_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    (void)clientp;
    (void)purpose;
    (void)a;
    return CURL_SOCKET_BAD;
}

/* libcurl 7.88 closes pooled connections idle past CURLOPT_MAXAGE_CONN only
 * when a call starts (it prunes its pool then, at most once a second), so a
 * quiet worker would keep them for ever. Once a second while connections are
 * open, a call that prunes and then fails at once (no socket, no I/O) is
 * started: idle connections close even without traffic. */
static void sweep(struct proxy *p, int64_t now_ms)
{
    if (p->sweeping || now_ms < p->next_sweep || p->sockets == 0)
        return;
    p->next_sweep = now_ms + 1000;
    if (p->sweeper == NULL) {
        p->sweeper = curl_easy_init();
        if (p->sweeper == NULL)
            return;
        curl_easy_setopt(p->sweeper, CURLOPT_URL, "http://127.0.0.1:9/");
        curl_easy_setopt(p->sweeper, CURLOPT_OPENSOCKETFUNCTION, no_socket);
        curl_easy_setopt(p->sweeper, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(p->sweeper, CURLOPT_PROXY, "");
        curl_easy_setopt(p->sweeper, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(p->sweeper, CURLOPT_MAXAGE_CONN, p->idle_s - 1);
    }
    p->sweeping = curl_multi_add_handle(p->multi, p->sweeper) == CURLM_OK;
}

/* What every call of this proxy shares is set once per easy handle; easy
 * handles are reused without curl_easy_reset, so configure() sets every
 * option that differs between calls, each time. */
static CURL *new_easy(struct proxy *p)
{
    CURL *e = curl_easy_init();
    if (e == NULL)
        return NULL;
    count_sockets(e, p);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, proxy_on_body);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, proxy_on_header);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    /* API Management reaches backends directly (a proxy is a policy's
     * choice): no http_proxy/no_proxy from the environment, looked up on
     * every call otherwise. */
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    return e;
}

static CURL *take_easy(struct proxy *p)
{
    return p->neasy ? p->easy_pool[--p->neasy] : new_easy(p);
}

/* A handle goes back to the pool only after a plain, complete call: one
 * that was paused, streamed or stopped midway may hold state of that call
 * (held data, a pause), and is not worth a curl_easy_reset. */
static void give_easy(struct proxy *p, CURL *e, bool reusable)
{
    if (!reusable) {
        curl_easy_cleanup(e);
        return;
    }
    if (p->neasy == p->cap_easy) {
        p->cap_easy = p->cap_easy ? p->cap_easy * 2 : 64;
        p->easy_pool = xrealloc(p->easy_pool, p->cap_easy * sizeof(*p->easy_pool));
    }
    p->easy_pool[p->neasy++] = e;
}

/* curl asks for more of a streamed request body. Nothing yet: the call
 * pauses its sending until proxy_body_more. */
static size_t on_upload(char *buf, size_t size, size_t n, void *userp)
{
    struct call *c = userp;
    struct gw_body_stream *st = c->x->fwd.stream;
    ssize_t got = st->read(st->ctx, buf, size * n);
    if (got > 0) {
        st->consumed += (size_t)got;
        return (size_t)got;
    }
    if (got == GW_BODY_WAIT) {
        c->upload_paused = true;
        return CURL_READFUNC_PAUSE;
    }
    return got == GW_BODY_END ? 0 : CURL_READFUNC_ABORT;
}

/* A streamed body is read through on_upload: its length as the client
 * declared it, or chunked (-1). */
static void set_stream(CURL *e, struct call *c)
{
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(e, CURLOPT_READFUNCTION, on_upload);
    curl_easy_setopt(e, CURLOPT_READDATA, c);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)c->x->fwd.stream->length);
}

/* Sets the method (and forgets the previous call's); true if a body is
 * sent. HTTPGET first: it clears NOBODY, and POSTFIELDS would otherwise
 * keep a HEAD's no-body setting. */
static bool set_method(CURL *e, struct call *c)
{
    const struct gw_forward *f = &c->x->fwd;
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, NULL);
    if (str_eq(f->method, STR_LIT("HEAD"))) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        return false;
    }
    bool body = f->stream || f->body.len || str_eq(f->method, STR_LIT("POST")) ||
                str_eq(f->method, STR_LIT("PUT")) || str_eq(f->method, STR_LIT("PATCH"));
    if (f->stream) {
        set_stream(e, c);
    } else if (body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, f->body.ptr ? f->body.ptr : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)f->body.len);
    }
    if (!str_eq(f->method, STR_LIT("GET")) && !str_eq(f->method, STR_LIT("POST")))
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, f->method.ptr);
    else if (str_eq(f->method, STR_LIT("GET")) && body)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "GET");
    return body;
}

static struct call *take_call(struct proxy *p, struct gw_exchange *x)
{
    struct call *c = p->free_calls;
    if (c) {
        p->free_calls = c->next_free;
        p->nfree--;
        struct buf keep = c->body;
        buf_reset(&keep);
        *c = (struct call){ .body = keep };
    } else {
        c = xcalloc(1, sizeof(*c));
        buf_init(&c->body, APIM_MAX_RESPONSE_BODY);
    }
    c->p = p;
    c->x = x;
    x->backend = (struct gw_backend_result){ .content_length = -1, .handle = c };
    return c;
}

static void link_call(struct proxy *p, struct call *c)
{
    c->next = p->running;
    if (p->running)
        p->running->prev = c;
    p->running = c;
    p->active++;
}

static void unlink_call(struct proxy *p, struct call *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        p->running = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    p->active--;
}

static void configure(CURL *e, struct call *c)
{
    const struct gw_forward *f = &c->x->fwd;
    curl_easy_setopt(e, CURLOPT_URL, f->url.ptr);
    /* The path is normalised already (pathnorm.h); curl squashing dot
     * segments after routing would send the request where it was not
     * routed, so it goes out exactly as built. */
    curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(e, CURLOPT_PRIVATE, c);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, f->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, f->timeout_ms < 10000 ? f->timeout_ms : 10000L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, f->verify_peer ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, f->verify_host ? 2L : 0L);
    curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 0L);
    bool body = set_method(e, c);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, header_list(c->x, body));
}

int proxy_start(struct proxy *p, struct gw_exchange *x)
{
    struct call *c = take_call(p, x);
    c->easy = take_easy(p);
    const char *why = "curl_easy_init failed";
    if (c->easy) {
        configure(c->easy, c);
        if (curl_multi_add_handle(p->multi, c->easy) == CURLM_OK) {
            link_call(p, c);
            return 0;
        }
        give_easy(p, c->easy, false);
        c->easy = NULL;
        why = "curl_multi_add_handle failed";
    }
    c->done = true;
    c->result = CURLE_FAILED_INIT;
    x->backend.error = GW_BACKEND_OTHER;
    x->backend.error_text = why;
    return -1;
}

/* ---- the end of a transfer ---- */

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

/* The transfer is over: its easy handle goes back to the pool now, the call
 * stays until proxy_release (the answer is read from it). */
static void end_transfer(struct proxy *p, struct call *c, CURLcode rc)
{
    struct gw_backend_result *b = &c->x->backend;
    long status = 0;
    curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(p->multi, c->easy);
    /* A streamed upload leaves its read callback set: not reused. */
    give_easy(p, c->easy, rc == CURLE_OK && !c->streaming && c->x->fwd.stream == NULL);
    c->easy = NULL;
    unlink_call(p, c);
    c->done = true;
    c->result = rc;
    c->x->backend_end_us = loop_now_us();
    b->error = classify(rc, c);
    b->error_text = curl_easy_strerror(rc);
    b->status = (int)status;
    if (c->streaming) {
        proxy_push_news(p, c); /* the reader learns the end */
        return;
    }
    b->body = (struct str){ c->body.data ? c->body.data : "", c->body.len };
    p->hooks.done(p->hooks.ctx, c->x);
}

/* Status and headers are known once curl delivers body bytes. */
static void tell_streaming(struct proxy *p, struct call *c)
{
    long status = 0;
    if (c->easy)
        curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
    if (status)
        c->x->backend.status = (int)status;
    c->x->backend.streamed = true;
    c->told_streaming = true;
    p->hooks.streaming(p->hooks.ctx, c->x);
}

static void report_news(struct proxy *p)
{
    /* Hooks may start or release calls: take the list first. */
    for (size_t i = 0; i < p->nnews; i++) {
        struct call *c = p->news[i];
        if (c == NULL)
            continue;
        p->news[i] = NULL;
        c->news = false;
        if (c->socket_failed && !c->done) {
            end_transfer(p, c, CURLE_COULDNT_CONNECT);
            continue;
        }
        if (!c->streaming)
            continue;
        if (!c->told_streaming)
            tell_streaming(p, c);
        else
            p->hooks.more(p->hooks.ctx, c->x);
    }
    p->nnews = 0;
}

/* A pooled connection the backend had closed: the same call once more on a
 * new connection, when fwdrules_may_retry says it is safe. */
static bool retry(struct proxy *p, struct call *c, CURLcode rc)
{
    long connects = 1;
    curl_easy_getinfo(c->easy, CURLINFO_NUM_CONNECTS, &connects);
    struct fwdrules_failure f = {
        .method = c->x->fwd.method,
        .broken = rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING,
        .reused = connects == 0,
        .answer_started = c->header_bytes > 0 || c->in_body,
        .body_replayable = c->x->fwd.stream == NULL || c->x->fwd.stream->consumed == 0,
        .retried = c->retried,
    };
    if (c->socket_failed || !fwdrules_may_retry(&f))
        return false;
    curl_multi_remove_handle(p->multi, c->easy);
    curl_easy_setopt(c->easy, CURLOPT_FRESH_CONNECT, 1L);
    c->retried = true;
    if (curl_multi_add_handle(p->multi, c->easy) != CURLM_OK)
        return false;
    log_msg(LOG_LEVEL_INFO, "req=%s backend closed a kept-alive connection (%s): sent again",
            c->x->req.id, curl_easy_strerror(rc));
    return true;
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
        if (m->easy_handle == p->sweeper) {
            curl_multi_remove_handle(p->multi, p->sweeper);
            p->sweeping = false;
            continue;
        }
        struct call *c;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&c);
        if (!retry(p, c, m->data.result))
            end_transfer(p, c, m->data.result);
    }
    report_news(p);
    sweep(p, now_ms);
}

int proxy_timeout_ms(const struct proxy *p, int64_t now_ms)
{
    if (p->nnews)
        return 0;
    int64_t due = p->deadline;
    if (p->sockets && !p->sweeping && (due < 0 || p->next_sweep < due))
        due = p->next_sweep;
    if (due < 0)
        return -1;
    int64_t wait = due - now_ms;
    return wait < 0 ? 0 : (int)(wait > 1000000 ? 1000000 : wait);
}

/* ---- the reader, and the end of a request ---- */

ssize_t proxy_read(struct proxy *p, struct gw_exchange *x, char *buf, size_t max)
{
    (void)p;
    struct call *c = x->backend.handle;
    if (c == NULL)
        return PROXY_READ_FAILED;
    size_t avail = c->body.len - c->read_pos;
    if (avail == 0) {
        if (!c->done)
            return 0;
        return c->result == CURLE_OK ? PROXY_READ_END : PROXY_READ_FAILED;
    }
    size_t n = avail < max ? avail : max;
    memcpy(buf, c->body.data + c->read_pos, n);
    c->read_pos += n;
    if (c->read_pos == c->body.len) {
        buf_reset(&c->body);
        c->read_pos = 0;
    }
    if (c->paused && c->easy && c->body.len - c->read_pos < PROXY_HIGH_WATER / 2) {
        c->paused = false;
        /* may deliver the held chunk now; a paused upload stays paused */
        curl_easy_pause(c->easy, c->upload_paused ? CURLPAUSE_SEND : CURLPAUSE_CONT);
    }
    return (ssize_t)n;
}

void proxy_body_more(struct proxy *p, struct gw_exchange *x)
{
    (void)p;
    struct call *c = x->backend.handle;
    if (c == NULL || c->easy == NULL || !c->upload_paused)
        return;
    c->upload_paused = false;
    curl_easy_pause(c->easy, c->paused ? CURLPAUSE_RECV : CURLPAUSE_CONT);
}

void proxy_release(struct proxy *p, struct gw_exchange *x)
{
    struct call *c = x->backend.handle;
    if (c == NULL)
        return;
    x->backend.handle = NULL;
    if (c->easy) { /* still running: the client went away */
        curl_multi_remove_handle(p->multi, c->easy);
        give_easy(p, c->easy, false);
        c->easy = NULL;
        unlink_call(p, c);
    }
    if (c->news)
        for (size_t i = 0; i < p->nnews; i++)
            if (p->news[i] == c)
                p->news[i] = NULL;
    if (p->nfree >= PROXY_POOL_MAX) {
        free_call(c);
        return;
    }
    if (c->body.cap > PROXY_KEEP_BYTES)
        buf_release(&c->body);
    c->next_free = p->free_calls;
    p->free_calls = c;
    p->nfree++;
}

void proxy_abort_all(struct proxy *p)
{
    while (p->running)
        end_transfer(p, p->running, CURLE_ABORTED_BY_CALLBACK);
    report_news(p);
}
