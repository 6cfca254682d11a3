/* stream_serve.c - the serve output: /latest, /batches?since=&limit= and
 * /status as JSON on the job's own loopback port (streaming.md §6.3).
 *
 * A minimal HTTP/1.1 reader instead of libmicrohttpd: the house rule keeps
 * libmicrohttpd in server.c, the answers are three GETs of small JSON, and
 * one request per connection (Connection: close) keeps every connection a
 * bounded buffer on the same epoll loop as the sources: no thread, no
 * keep-alive state. The only bodies read are POSTs to an httpIngest source
 * (Content-Length, or chunked through stream_chunk.c), at most maxBody. A
 * request head larger than 8 KiB, or another method than GET/HEAD/POST,
 * gets 431/405. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "httpstatus.h"
#include "log.h"
#include "stream_int.h"

#define SERVE_MAX_REQ   8192
#define SERVE_MAX_CONNS 64

struct sconn {
    struct sserve *sv;
    int fd;
    struct loop_watch w;
    char req[SERVE_MAX_REQ];
    size_t len;
    struct buf out;
    size_t sent;
    bool used;
    /* a POST to an httpIngest source: its body, Content-Length bytes or
     * chunked (then need is unused) */
    struct ssrc *ingest;
    struct buf body;
    size_t need;
    bool chunked;
    struct schunk ck;
};

struct sserve {
    struct stream_job *job;
    const struct sout_def *def;
    int fd;
    struct loop_watch w;
    struct sconn conns[SERVE_MAX_CONNS];
};

static void conn_close(struct sconn *c)
{
    (void)loop_del(c->sv->job->loop, c->fd);
    close(c->fd);
    buf_release(&c->out);
    buf_release(&c->body);
    c->used = false;
}

json_t *sjob_batch_json(const struct stream_job *j, const struct shist *h)
{
    char iso[32];
    time_t t = (time_t)(h->time / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S", &tm);
    char full[48];
    if (h->time % 1000)
        snprintf(full, sizeof(full), "%s.%03dZ", iso, (int)(h->time % 1000));
    else
        snprintf(full, sizeof(full), "%sZ", iso);
    const struct sop_def *last = j->def->nstep ? &j->def->step[j->def->nstep - 1] : NULL;
    const char *kind = !last || !sop_is_stateful(last->kind) ? "perBatch"
                       : last->kind == SOP_UPDATE_STATE      ? "running"
                                                             : "window";
    return json_pack("{sssIsssssOsb}", "job", j->name, "batchTime", (json_int_t)h->time,
                     "batchTimeIso", full, "kind", kind, "records", h->records, "truncated",
                     h->truncated);
}

json_t *stream_job_latest(const struct stream_job *j)
{
    if (j->hcount == 0)
        return NULL;
    return sjob_batch_json(j, &j->hist[(j->hhead + j->nhist - 1) % j->nhist]);
}

json_t *stream_job_batches(const struct stream_job *j, int64_t since, size_t limit)
{
    json_t *a = json_array();
    for (size_t k = 0; k < j->hcount && json_array_size(a) < limit; k++) {
        const struct shist *h = &j->hist[(j->hhead + j->nhist - j->hcount + k) % j->nhist];
        if (h->time > since)
            json_array_append_new(a, sjob_batch_json(j, h));
    }
    return json_pack("{ssso}", "job", j->name, "batches", a);
}

json_t *stream_job_status(const struct stream_job *j)
{
    json_t *srcs = json_array();
    for (size_t i = 0; i < j->def->nsrc; i++)
        json_array_append_new(srcs, ssrc_status(&j->src[i]));
    double secs = (double)j->def->interval / 1000.0;
    double proc_s = (double)j->last_proc_us / 1e6;
    json_t *dur = json_pack("{sfsIsf}", "processing", (double)j->last_proc_us / 1000.0,
                            "scheduling", (json_int_t)j->last_sched_ms, "total",
                            (double)j->last_sched_ms + (double)j->last_proc_us / 1000.0);
    const char *state = j->stopped ? "stopped" : j->stopping ? "stopping" : "running";
    return json_pack("{ss ss ss sI sI sI sf sf so so ss sI sI sI}", "id", j->hash, "name", j->name,
                     "state", state, "batchTime", (json_int_t)j->last_time, "batches",
                     (json_int_t)j->nbatches, "numInputRecords", (json_int_t)j->last_input,
                     "inputRecordsPerSecond", (double)j->last_input / secs,
                     "processedRecordsPerSecond", proc_s > 0 ? (double)j->last_input / proc_s : 0.0,
                     "durationMs", dur, "sources", srcs, "lastError",
                     j->last_error[0] ? j->last_error : "", "nextBatchTime",
                     (json_int_t)j->next_batch, "unprocessed",
                     (json_int_t)stream_job_unprocessed(j), "startedAt", (json_int_t)j->started);
}

/* The query parameter name's value as an integer, or dflt. */
static long long query_int(const char *q, const char *name, long long dflt)
{
    size_t n = strlen(name);
    for (const char *p = q; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
        if (strncmp(p, name, n) == 0 && p[n] == '=') {
            char *end;
            errno = 0;
            long long v = strtoll(p + n + 1, &end, 10);
            return errno || end == p + n + 1 ? dflt : v;
        }
    }
    return dflt;
}

static json_t *route(struct sserve *sv, char *raw, int *status)
{
    char *q = strchr(raw, '?');
    if (q)
        *q++ = '\0';
    const char *path = raw;
    *status = 200;
    size_t bl = strlen(sv->def->base);
    while (bl > 1 && sv->def->base[bl - 1] == '/')
        bl--;
    /* basePath itself answers as /latest does: an API whose backend is the
     * serve URL ("GET / -> http://localhost:5000", the seed's) returns the
     * latest counts through the gateway unchanged. */
    bool at_base = bl > 1 ? strncmp(path, sv->def->base, bl) == 0 &&
                                (path[bl] == '\0' || strcmp(path + bl, "/") == 0)
                          : strcmp(path, "/") == 0;
    if (at_base)
        path = "/latest";
    else if (bl > 1) { /* under basePath only: "/x/latest" */
        if (strncmp(path, sv->def->base, bl) != 0 || path[bl] != '/') {
            *status = 404;
            return json_pack("{ss}", "error", "not found");
        }
        path += bl;
    }
    if (strcmp(path, "/latest") == 0) {
        json_t *l = stream_job_latest(sv->job);
        if (l)
            return l;
        *status = 404;
        return json_pack("{ss}", "error", "no batch has completed yet");
    }
    if (strcmp(path, "/batches") == 0) {
        long long since = query_int(q, "since", -1), limit = query_int(q, "limit", 100);
        return stream_job_batches(sv->job, since, limit < 0 ? 0 : (size_t)limit);
    }
    if (strcmp(path, "/status") == 0)
        return stream_job_status(sv->job);
    *status = 404;
    return json_pack("{ss}", "error", "not found");
}

/* The answer, then the connection waits for EPOLLOUT to send it. */
static void send_json(struct sconn *c, int status, json_t *body, bool head)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(body);
    size_t n = text ? strlen(text) : 0;
    buf_release(&c->out);
    buf_init(&c->out, n + 512);
    int rc = buf_printf(&c->out,
                        "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: "
                        "%zu\r\n%sConnection: close\r\n\r\n",
                        status, http_reason_phrase(status), n + 1,
                        status == 503 ? "Retry-After: 1\r\n" : "");
    if (!head)
        rc |= buf_append(&c->out, text, n) | buf_puts(&c->out, "\n");
    free(text);
    if (rc == 0)
        (void)loop_mod(c->sv->job->loop, c->fd, EPOLLOUT, &c->w);
    else
        conn_close(c);
}

static void respond(struct sconn *c)
{
    char method[8] = "", path[1024] = "";
    int status = 400;
    json_t *body = NULL;
    if (c->len >= SERVE_MAX_REQ) {
        status = 431;
        body = json_pack("{ss}", "error", "request too large");
    } else if (sscanf(c->req, "%7s %1023s HTTP/1.", method, path) == 2) {
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            status = 405,
            body = json_pack("{ss}", "error", "only GET, or POST to an httpIngest source");
        else
            body = route(c->sv, path, &status);
    }
    if (!body)
        body = json_pack("{ss}", "error", "bad request");
    send_json(c, status, body, strcmp(method, "HEAD") == 0);
}

/* ---- POST to an httpIngest source ---- */

/* A header's value (case-insensitive name) in the request head, or NULL. */
static const char *header(const char *req, size_t head_len, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strchr(req, '\n'); p && (size_t)(p - req) < head_len;
         p = strchr(p + 1, '\n'))
        if (strncasecmp(p + 1, name, n) == 0 && p[1 + n] == ':')
            return p + 2 + n + strspn(p + 2 + n, " \t");
    return NULL;
}

/* The httpIngest source a POST path reaches: "<basePath>/ingest/<source>"
 * (and anything under it), or any path under basePath when the job has
 * exactly one httpIngest source (the API's operation URL appended to a
 * serviceUrl pointing at this port). */
static struct ssrc *ingest_target(struct sserve *sv, const char *path)
{
    struct stream_job *j = sv->job;
    struct ssrc *only = NULL;
    size_t nhttp = 0, bl = strlen(sv->def->base);
    if (bl > 1 && (strncmp(path, sv->def->base, bl) != 0 || (path[bl] != '/' && path[bl])))
        return NULL;
    path += bl > 1 ? bl : 0;
    for (size_t i = 0; i < j->def->nsrc; i++) {
        if (j->def->src[i].type != SSRC_HTTP)
            continue;
        const char *name = j->def->src[i].name;
        size_t nl = strlen(name);
        if (strncmp(path, "/ingest/", 8) == 0 && strncmp(path + 8, name, nl) == 0 &&
            strchr("/?", path[8 + nl]))
            return &j->src[i];
        only = &j->src[i];
        nhttp++;
    }
    return nhttp == 1 ? only : NULL;
}

static void ingest_answer(struct sconn *c)
{
    char err[256] = "";
    size_t taken = 0;
    enum singest r = ssrc_ingest(c->ingest, c->body.data ? c->body.data : "", c->body.len, &taken,
                                 err, sizeof(err));
    if (r == SINGEST_OK)
        send_json(
            c, 202,
            json_pack("{sssI}", "source", c->ingest->def->name, "accepted", (json_int_t)taken),
            false);
    else
        send_json(c, r == SINGEST_FULL ? 503 : 400, json_pack("{ss}", "error", err), false);
    c->ingest = NULL;
}

/* The next body bytes of a chunked POST: decoded, then answered once the
 * last chunk has come (400 if it is not the chunked coding, 413 past
 * maxBody). */
static void ingest_chunked(struct sconn *c, const char *in, size_t n)
{
    size_t used = 0;
    enum schunk_res r = schunk_feed(&c->ck, in, n, &c->body, &used);
    if (r == SCHUNK_DONE) {
        ingest_answer(c);
    } else if (r == SCHUNK_BAD) {
        c->ingest = NULL;
        send_json(c, 400, json_pack("{ss}", "error", "the chunked body is malformed"), false);
    } else if (r == SCHUNK_BIG) {
        size_t max = c->ingest->def->max_body;
        c->ingest = NULL;
        send_json(c, 413,
                  json_pack("{sssI}", "error", "the body is larger than maxBody", "maxBody",
                            (json_int_t)max),
                  false);
    }
}

static void sserve_ingest_read(struct sconn *c)
{
    char chunk[16384];
    size_t want = c->chunked ? sizeof(chunk) : c->need - c->body.len;
    ssize_t n = read(c->fd, chunk, want < sizeof(chunk) ? want : sizeof(chunk));
    if (n < 0 && errno == EAGAIN)
        return;
    if (n <= 0) {
        conn_close(c); /* the client left before its body */
        return;
    }
    if (c->chunked) {
        ingest_chunked(c, chunk, (size_t)n);
        return;
    }
    if (buf_append(&c->body, chunk, (size_t)n))
        conn_close(c);
    else if (c->body.len == c->need)
        ingest_answer(c);
}

/* The POST's body framing: Content-Length, or Transfer-Encoding chunked
 * (which wins over a Content-Length, RFC 9112 section 6.3); 0, or -1 with
 * the answer sent (411, 413, 501). */
static int ingest_framing(struct sconn *c, const struct ssrc *s, size_t head_len)
{
    const char *cl = header(c->req, head_len, "content-length");
    const char *te = header(c->req, head_len, "transfer-encoding");
    if (te) {
        size_t tl = strcspn(te, "\r\n");
        while (tl && (te[tl - 1] == ' ' || te[tl - 1] == '\t'))
            tl--;
        if (tl != 7 || strncasecmp(te, "chunked", 7) != 0) {
            send_json(c, 501,
                      json_pack("{ss}", "error", "only the chunked transfer coding is read"),
                      false);
            return -1;
        }
        c->chunked = true;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long len = cl ? strtoull(cl, &end, 10) : 0;
    if (!cl || errno || end == cl) {
        send_json(c, 411,
                  json_pack("{ss}", "error", "a body with Content-Length or chunked is required"),
                  false);
        return -1;
    }
    if (len > s->def->max_body) {
        send_json(c, 413,
                  json_pack("{sssI}", "error", "the body is larger than maxBody", "maxBody",
                            (json_int_t)s->def->max_body),
                  false);
        return -1;
    }
    c->need = (size_t)len;
    return 0;
}

static void sserve_ingest_start(struct sconn *c, size_t head_len)
{
    char path[1024] = "";
    struct ssrc *s =
        sscanf(c->req, "POST %1023s HTTP/1.", path) == 1 ? ingest_target(c->sv, path) : NULL;
    if (!s) {
        send_json(c, 404, json_pack("{ss}", "error", "no httpIngest source at this path"), false);
        return;
    }
    if (ingest_framing(c, s, head_len) < 0)
        return;
    c->ingest = s;
    buf_init(&c->body, c->chunked ? s->def->max_body : c->need + 1);
    size_t have = c->len - head_len;
    const char *expect = header(c->req, head_len, "expect");
    if (expect && strncasecmp(expect, "100-continue", 12) == 0 &&
        (c->chunked ? have == 0 : have < c->need))
        (void)!write(c->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25);
    if (c->chunked) {
        ingest_chunked(c, c->req + head_len, have);
        return;
    }
    have = have < c->need ? have : c->need;
    if (buf_append(&c->body, c->req + head_len, have))
        conn_close(c);
    else if (c->body.len == c->need)
        ingest_answer(c);
}

static void on_conn(void *ctx, uint32_t events)
{
    struct sconn *c = ctx;
    if (c->out.data) {
        ssize_t n = write(c->fd, c->out.data + c->sent, c->out.len - c->sent);
        if (n > 0)
            c->sent += (size_t)n;
        if ((n < 0 && errno != EAGAIN) || c->sent == c->out.len)
            conn_close(c);
        return;
    }
    if (c->ingest) {
        sserve_ingest_read(c);
        return;
    }
    ssize_t n = read(c->fd, c->req + c->len, SERVE_MAX_REQ - 1 - c->len);
    if (n <= 0 && !(n < 0 && errno == EAGAIN)) {
        conn_close(c);
        return;
    }
    c->len += n > 0 ? (size_t)n : 0;
    c->req[c->len] = '\0';
    char *end = strstr(c->req, "\r\n\r\n");
    if (strncmp(c->req, "POST ", 5) == 0 && end)
        sserve_ingest_start(c, (size_t)(end + 4 - c->req));
    else if (end || strstr(c->req, "\n\n") || c->len >= SERVE_MAX_REQ - 1) {
        c->len += c->len >= SERVE_MAX_REQ - 1;
        respond(c);
    }
    (void)events;
}

static void on_accept(void *ctx, uint32_t events)
{
    struct sserve *sv = ctx;
    (void)events;
    int fd;
    while ((fd = accept4(sv->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        struct sconn *c = NULL;
        for (size_t i = 0; i < SERVE_MAX_CONNS && !c; i++)
            c = sv->conns[i].used ? NULL : &sv->conns[i];
        if (!c) {
            close(fd); /* more than SERVE_MAX_CONNS at once: refused */
            continue;
        }
        *c = (struct sconn){ .sv = sv, .fd = fd, .w = { on_conn, c }, .used = true };
        if (loop_add(sv->job->loop, fd, EPOLLIN, &c->w) < 0) {
            close(fd);
            c->used = false;
        }
    }
}

static int listen_on(const char *addr, char *err, size_t errlen)
{
    char host[64];
    const char *colon = strrchr(addr, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || (size_t)(colon - addr) >= sizeof(host) || *end || port < 0 || port > 65535) {
        snprintf(err, errlen, "serve: listen '%s' is not HOST:PORT", addr);
        return -1;
    }
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = '\0';
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    if (inet_pton(AF_INET, strcmp(host, "localhost") ? host : "127.0.0.1", &sa.sin_addr) != 1) {
        snprintf(err, errlen, "serve: listen host '%s' is not an IPv4 address", host);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    if (fd >= 0)
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
        snprintf(err, errlen, "serve: cannot listen on '%s': %s", addr, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

struct sserve *sserve_new(struct stream_job *j, const struct sout_def *o, char *err, size_t errlen)
{
    if (!j->loop) {
        snprintf(err, errlen, "serve: listening needs an event loop");
        return NULL;
    }
    int fd = listen_on(o->listen, err, errlen);
    if (fd < 0)
        return NULL;
    struct sserve *sv = xcalloc(1, sizeof(*sv));
    *sv = (struct sserve){ .job = j, .def = o, .fd = fd, .w = { on_accept, sv } };
    if (loop_add(j->loop, fd, EPOLLIN, &sv->w) < 0) {
        snprintf(err, errlen, "serve: epoll: %s", strerror(errno));
        close(fd);
        free(sv);
        return NULL;
    }
    log_msg(LOG_LEVEL_INFO, "job=%s event=serve listen=%s", j->name, o->listen);
    return sv;
}

void sserve_free(struct sserve *sv)
{
    if (!sv)
        return;
    for (size_t i = 0; i < SERVE_MAX_CONNS; i++)
        if (sv->conns[i].used)
            conn_close(&sv->conns[i]);
    (void)loop_del(sv->job->loop, sv->fd);
    close(sv->fd);
    free(sv);
}
