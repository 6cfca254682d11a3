/* stream_src.c - the sources. socketText connects as a client, as Spark's
 * receiver does, on the caller's loop (non-blocking connect, reconnect after
 * reconnectDelay on refusal or end of stream: "Restarting receiver with delay
 * 2000 ms"). Lines end at LF, CR or CRLF, and a last line without one is
 * a line at the end of the stream (BufferedReader.readLine). Backpressure: at most
 * queueCapacity records wait for a batch; when the queue is full the socket
 * leaves the epoll set, so the kernel's buffer and then TCP flow control
 * hold the sender back instead of our memory growing. textFiles reads new
 * files of a folder once; queue feeds prepared batches (tests). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "stream_int.h"
#include "utf8.h"

#define READ_CHUNK 65536

static void on_io(void *ctx, uint32_t events);

static void sock_close(struct ssrc *s, const char *why)
{
    if (s->fd >= 0) {
        if (!s->paused)
            (void)loop_del(s->job->loop, s->fd);
        close(s->fd);
    }
    s->fd = -1;
    s->state = SSOCK_WAIT;
    s->paused = false;
    s->retry_at = s->job->now + s->def->reconnect_ms;
    log_msg(LOG_LEVEL_WARN,
            "job=%s source=%s event=restart delay_ms=%lld reason=\"%s\" target=%s:%d", s->job->name,
            s->def->name, (long long)s->def->reconnect_ms, why, s->def->host, s->def->port);
}

static void sock_connect(struct ssrc *s)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai = NULL;
    char port[16];
    snprintf(port, sizeof(port), "%d", s->def->port);
    if (getaddrinfo(s->def->host, port, &hints, &ai) != 0 || !ai) {
        sock_close(s, "cannot resolve host");
        return;
    }
    s->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int rc = s->fd < 0 ? -1 : connect(s->fd, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    if (rc < 0 && errno != EINPROGRESS) {
        sock_close(s, strerror(errno));
        return;
    }
    s->state = SSOCK_CONNECTING;
    s->watch = (struct loop_watch){ on_io, s };
    if (loop_add(s->job->loop, s->fd, EPOLLOUT | EPOLLIN, &s->watch) < 0)
        sock_close(s, "epoll");
}

/* Whether the socket's waiting lines are at their bound: queueCapacity
 * lines, or STREAM_MAX_WAITING bytes of them (long lines). */
static bool waiting_full(const struct ssrc *s)
{
    if (s->job->stopping) /* a stop takes every line already read */
        return false;
    return ssrc_queued(s) >= s->job->def->queue_cap || s->waiting.bytes.len >= STREAM_MAX_WAITING;
}

/* Appends one line to out, cleaned: the CR of a CRLF dropped, bad UTF-8
 * bytes as U+FFFD (as Java's decoder does). valid: the caller already
 * checked these bytes. */
static int clean_line(struct buf *out, const char *p, size_t n, bool valid)
{
    int rc = 0;
    if (n > 0 && p[n - 1] == '\r')
        n--;
    if (valid || utf8_check((const unsigned char *)p, n) == n)
        return buf_append(out, p, n);
    for (size_t i = 0; i < n && rc == 0;) {
        size_t l = utf8_seq_len((const unsigned char *)p + i, n - i);
        rc = l ? buf_append(out, p + i, l) : buf_puts(out, "\xef\xbf\xbd");
        i += l ? l : 1;
    }
    return rc;
}

/* One line as a JSON string of valid UTF-8. */
static json_t *line_value(const char *p, size_t n)
{
    struct buf b;
    buf_init(&b, n * 3 + 8);
    int rc = clean_line(&b, p, n, false);
    (void)rc; /* the buffer is sized for the worst case */
    json_t *v = json_stringn_nocheck(b.data ? b.data : "", b.len);
    buf_release(&b);
    return v;
}

/* Appends one line to the waiting lines. The buffer's bound leaves room for
 * a whole line past STREAM_MAX_WAITING, so an append never fails. */
static void push_line(struct ssrc *s, const char *p, size_t n, bool valid)
{
    if (clean_line(&s->waiting.bytes, p, n, valid) == 0 &&
        buf_append(&s->waiting.bytes, "\n", 1) == 0)
        s->waiting.n++;
}

/* Where the line starting at start ends, as Java's BufferedReader.readLine
 * (Spark's socket receiver) sees it: at LF, CR or CRLF. Sets *end (past the
 * line's last byte) and *next (the next line's start); false when the end
 * has not come yet: no terminator, or a CR last in the buffer before the
 * end of the stream (an LF may follow in the next read). */
static bool line_end(const char *d, size_t start, size_t len, bool eof, size_t *end, size_t *next)
{
    const char *p = d + start, *nl = memchr(p, '\n', len - start);
    const char *cr = memchr(p, '\r', nl ? (size_t)(nl - p) : len - start);
    if (cr) {
        *end = (size_t)(cr - d);
        if (*end + 1 == len && !eof)
            return false;
        *next = *end + (*end + 1 < len && d[*end + 1] == '\n' ? 2 : 1);
        return true;
    }
    if (!nl)
        return false;
    *end = (size_t)(nl - d);
    *next = *end + 1;
    return true;
}

/* Cuts complete lines while the queue has room; keeps the rest. UTF-8 is
 * checked once for the whole buffer: a line ending at a terminator inside
 * its valid prefix starts and ends on character boundaries, so it is
 * valid; any other line is checked on its own. */
static void cut_lines(struct ssrc *s, bool eof)
{
    size_t start = 0, from = s->waiting.bytes.len, nfrom = s->waiting.n;
    char *d = s->pending.data;
    size_t ok = utf8_check((const unsigned char *)d, s->pending.len);
    while (!waiting_full(s) && start < s->pending.len) {
        size_t end, next;
        bool found = line_end(d, start, s->pending.len, eof, &end, &next);
        if (!found && !eof && s->pending.len - start < STREAM_MAX_LINE)
            break;
        if (!found) /* the last line of the stream, or an over-long one cut */
            end = next = eof ? s->pending.len : start + STREAM_MAX_LINE;
        push_line(s, d + start, end - start, found && end < ok);
        start = next;
    }
    if (start > 0) {
        memmove(d, d + start, s->pending.len - start);
        s->pending.len -= start;
        d[s->pending.len] = '\0';
    }
    /* a failure is logged; the lines stay queued */
    (void)swal_append_lines(s, s->waiting.bytes.data + from, s->waiting.bytes.len - from,
                            s->waiting.n - nfrom);
}

static void pause_or_resume(struct ssrc *s)
{
    bool full = waiting_full(s) || s->pending.len >= STREAM_MAX_LINE;
    if (s->state != SSOCK_OPEN || full == s->paused)
        return;
    if (full)
        (void)loop_del(s->job->loop, s->fd);
    else if (loop_add(s->job->loop, s->fd, EPOLLIN, &s->watch) < 0) {
        sock_close(s, "epoll");
        return;
    }
    s->paused = full;
}

static void sock_read(struct ssrc *s)
{
    char chunk[READ_CHUNK];
    ssize_t n = read(s->fd, chunk, sizeof(chunk));
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        cut_lines(s, true);
        sock_close(s, n == 0 ? "end of stream" : strerror(errno));
        return;
    }
    if (buf_append(&s->pending, chunk, (size_t)n)) {
        sock_close(s, "line buffer full");
        return;
    }
    cut_lines(s, false);
    pause_or_resume(s);
}

static void on_io(void *ctx, uint32_t events)
{
    struct ssrc *s = ctx;
    if (s->state == SSOCK_CONNECTING) {
        int err = 0;
        socklen_t len = sizeof(err);
        if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0) {
            sock_close(s, strerror(err ? err : errno));
            return;
        }
        s->state = SSOCK_OPEN;
        log_msg(LOG_LEVEL_INFO, "job=%s source=%s event=connected target=%s:%d", s->job->name,
                s->def->name, s->def->host, s->def->port);
        if (loop_mod(s->job->loop, s->fd, EPOLLIN, &s->watch) < 0)
            sock_close(s, "epoll");
        return;
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        sock_read(s);
}

void ssrc_init(struct ssrc *s, struct stream_job *j, const struct ssrc_def *d)
{
    memset(s, 0, sizeof(*s));
    s->def = d;
    s->job = j;
    s->fd = -1;
    s->retry_at = j->now;
    skmap_init(&s->seen);
    buf_init(&s->pending, STREAM_MAX_LINE + READ_CHUNK);
    buf_init(&s->waiting.bytes, STREAM_MAX_WAITING + 3 * STREAM_MAX_LINE + 1); /* U+FFFD: 3 bytes */
    if (d->type == SSRC_GWLOG || d->type == SSRC_EVENTHUB)
        stail_init(s);
    if (d->type != SSRC_FILES || !d->new_only)
        return;
    /* newFilesOnly: what is there at the start is old. */
    struct sbatch old = { 0 };
    ssrc_take(s, &old, 0);
    sbatch_release(&old);
}

void ssrc_release(struct ssrc *s)
{
    if (s->fd >= 0) {
        if (!s->paused)
            (void)loop_del(s->job->loop, s->fd);
        close(s->fd);
    }
    sbatch_release(&s->queue);
    buf_release(&s->pending);
    buf_release(&s->waiting.bytes);
    skmap_release(&s->seen);
    stail_release(s);
    swal_close(s);
}

void ssrc_stop(struct ssrc *s)
{
    if (s->def->type != SSRC_SOCKET)
        return;
    if (s->fd >= 0) {
        if (!s->paused)
            (void)loop_del(s->job->loop, s->fd);
        close(s->fd);
        s->fd = -1;
    }
    if (s->pending.len > 0)
        cut_lines(s, true); /* the lines read: received */
    s->state = SSOCK_WAIT;
    s->paused = false;
    s->retry_at = INT64_MAX;
}

void ssrc_tick(struct ssrc *s, int64_t now)
{
    if (s->def->type == SSRC_SOCKET && s->state == SSOCK_WAIT && s->retry_at <= now)
        sock_connect(s);
}

int64_t ssrc_deadline(const struct ssrc *s)
{
    return s->def->type == SSRC_SOCKET && s->state == SSOCK_WAIT ? s->retry_at : 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file's lines, as Hadoop's LineRecordReader (Spark's textFileStream)
 * cuts them: at LF, CR or CRLF; invalid UTF-8 as U+FFFD. */
static void read_file(const char *path, struct sbatch *b)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return;
    struct buf text;
    buf_init(&text, SIZE_MAX / 2);
    char chunk[READ_CHUNK];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && buf_append(&text, chunk, n) == 0)
        ;
    fclose(f);
    for (size_t start = 0, end, next; start < text.len; start = next) {
        if (!line_end(text.data, start, text.len, true, &end, &next))
            end = next = text.len;
        sbatch_push(b, NULL, line_value(text.data + start, end - start));
    }
    buf_release(&text);
}

/* New files, by name order, at most maxFilesPerBatch; each read once. */
static void take_files(struct ssrc *s, struct sbatch *b)
{
    DIR *dir = opendir(s->def->directory);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    while (dir && (e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.' || e->d_name[0] == '_' ||
            fnmatch(s->def->pattern, e->d_name, 0) != 0)
            continue;
        json_t *k = json_string_nocheck(e->d_name);
        struct skent *se = skmap_get(&s->seen, k, true);
        json_decref(k);
        if (se->val)
            continue;
        se->val = json_true();
        names = xrealloc(names, (n + 1) * sizeof(*names));
        names[n++] = xstrdup(e->d_name);
    }
    if (dir)
        closedir(dir);
    if (n > 1)
        qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        if (b && (s->def->max_files == 0 || i < s->def->max_files)) {
            char path[4096];
            snprintf(path, sizeof(path), "%s/%s", s->def->directory, names[i]);
            read_file(path, b);
        } else if (b) { /* left for a later batch */
            json_t *k = json_string_nocheck(names[i]);
            json_decref(skmap_get(&s->seen, k, false)->val);
            skmap_get(&s->seen, k, false)->val = NULL;
            json_decref(k);
        }
        free(names[i]);
    }
    free(names);
}

static void take_queue(struct ssrc *s, struct sbatch *b)
{
    const json_t *bs = s->def->batches, *one = NULL;
    size_t i;
    json_t *v, *w;
    if (!s->def->one_at_a_time && s->next_batch == 0 && json_array_size(bs) > 0) {
        json_array_foreach(bs, i, v)
        {
            size_t k;
            json_array_foreach(v, k, w) sbatch_push(b, NULL, json_incref(w));
        }
        s->next_batch = json_array_size(bs);
    } else if (s->next_batch < json_array_size(bs)) {
        one = json_array_get(bs, s->next_batch++);
    } else {
        one = s->def->dflt;
    }
    json_array_foreach(one, i, w) sbatch_push(b, NULL, json_incref(w));
}

/* The bytes of the first k waiting lines (each ends with its '\n'); as
 * JSON strings into b unless raw. */
static size_t cut_waiting(struct ssrc *s, struct sbatch *b, size_t k, bool raw)
{
    const char *d = s->waiting.bytes.data, *p = d, *end = d + s->waiting.bytes.len;
    if (!raw)
        sbatch_reserve(b, k);
    for (size_t i = 0; i < k; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)); /* each line has one */
        if (!raw)
            sbatch_push(b, NULL, json_stringn_nocheck(p, (size_t)(nl - p)));
        p = nl + 1;
    }
    return (size_t)(p - d);
}

/* The first limit waiting lines into b: as they are when the job hands
 * them to the fused word count (raw), else as JSON strings. */
static void take_lines(struct ssrc *s, struct sbatch *b, size_t limit)
{
    struct stext *w = &s->waiting;
    size_t k = limit < w->n ? limit : w->n;
    if (k == 0)
        return;
    if (s->raw && k == w->n) { /* the whole queue: its buffer becomes the batch's */
        b->lines = xcalloc(1, sizeof(*b->lines));
        *b->lines = *w;
        buf_init(&w->bytes, b->lines->bytes.max);
        w->n = 0;
        return;
    }
    size_t used = cut_waiting(s, b, k, s->raw);
    if (s->raw) {
        b->lines = xcalloc(1, sizeof(*b->lines));
        buf_init(&b->lines->bytes, w->bytes.max);
        int rc = buf_append(&b->lines->bytes, w->bytes.data, used);
        (void)rc; /* within the queue's own bound */
        b->lines->n = k;
    }
    memmove(w->bytes.data, w->bytes.data + used, w->bytes.len - used);
    w->bytes.len -= used;
    w->n -= k;
}

size_t ssrc_queued(const struct ssrc *s)
{
    return s->queue.n + s->waiting.n;
}

/* A socket's next batch: records replayed from the write-ahead log first
 * (JSON values, older), then the waiting lines. */
static void take_socket(struct ssrc *s, struct sbatch *b, size_t limit)
{
    size_t replayed = limit < s->queue.n ? limit : s->queue.n;
    if (replayed > 0) {
        for (size_t i = 0; i < replayed; i++)
            sbatch_push(b, s->queue.r[i].key, s->queue.r[i].val);
        memmove(s->queue.r, s->queue.r + replayed, (s->queue.n - replayed) * sizeof(*s->queue.r));
        s->queue.n -= replayed;
    }
    take_lines(s, b, limit - replayed);
    s->offset += sbatch_count(b);
    if (s->pending.len > 0)
        cut_lines(s, s->fd < 0); /* lines held back by a full queue; all of them after EOF */
    if (s->fd >= 0)
        pause_or_resume(s);
}

void ssrc_take(struct ssrc *s, struct sbatch *b, int64_t interval)
{
    b->present = true;
    if (s->def->type == SSRC_FILES) {
        take_files(s, interval ? b : NULL);
        if (!interval) /* the start: forget the records, keep the names */
            sbatch_reset(b);
        s->offset += b->n;
        return;
    }
    if (s->def->type == SSRC_QUEUE)
        take_queue(s, b);
    int64_t rate = s->job->def->max_rate;
    if (s->def->type == SSRC_GWLOG || s->def->type == SSRC_EVENTHUB) {
        /* The file is the queue: at most the rate, else at most its capacity. */
        size_t cap = rate > 0 ? (size_t)(rate * interval / 1000) : s->job->def->queue_cap;
        stail_take(s, b, interval ? cap : 0);
        s->offset += b->n;
        return;
    }
    size_t limit = ssrc_queued(s);
    if (rate > 0 && (size_t)(rate * interval / 1000) < limit)
        limit = (size_t)(rate * interval / 1000); /* spark.streaming.receiver.maxRate */
    s->wal_taken += limit;
    if (s->def->type == SSRC_SOCKET) {
        take_socket(s, b, limit);
        return;
    }
    if (limit == s->queue.n) {
        sbatch_move(b, &s->queue); /* the whole queue: its array becomes the batch's */
    } else {
        sbatch_reserve(b, limit);
        for (size_t i = 0; i < limit; i++)
            sbatch_push(b, s->queue.r[i].key, s->queue.r[i].val);
    }
    if (limit > 0 && s->queue.n > 0) {
        memmove(s->queue.r, s->queue.r + limit, (s->queue.n - limit) * sizeof(*s->queue.r));
        s->queue.n -= limit;
    }
    s->offset += b->n;
}

/* The body cut into records by the source's framing, into b; -1 with err
 * on a line that is not JSON (ndjson) or a body that is not an array. */
static int frame(const struct ssrc_def *d, const char *body, size_t len, struct sbatch *b,
                 char *err, size_t errlen)
{
    if (d->framing == SFRAME_JSON_ARRAY) {
        json_error_t je;
        json_t *a = json_loadb(body, len, 0, &je);
        size_t i;
        json_t *v;
        if (!json_is_array(a)) {
            snprintf(err, errlen, "the body is not a JSON array");
            json_decref(a);
            return -1;
        }
        json_array_foreach(a, i, v) sbatch_push(b, NULL, json_incref(v));
        json_decref(a);
        return 0;
    }
    size_t lineno = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(body + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - body) : len;
        lineno++;
        if (d->framing == SFRAME_LINES) {
            sbatch_push(b, NULL, line_value(body + i, end - i));
        } else if (end > i && !(end - i == 1 && body[i] == '\r')) {
            json_t *v = json_loadb(body + i, end - i, JSON_DECODE_ANY, NULL);
            if (!v) {
                snprintf(err, errlen, "line %zu is not JSON", lineno);
                return -1;
            }
            sbatch_push(b, NULL, v);
        }
        i = end + 1;
    }
    return 0;
}

enum singest ssrc_ingest(struct ssrc *s, const char *body, size_t len, size_t *taken, char *err,
                         size_t errlen)
{
    struct sbatch b = { 0 };
    enum singest rc = SINGEST_OK;
    *taken = 0;
    if (s->job->stopping) {
        snprintf(err, errlen, "job '%s' is stopping", s->job->name);
        rc = SINGEST_FULL;
    } else if (frame(s->def, body, len, &b, err, errlen))
        rc = SINGEST_BAD;
    else if (s->queue.n + b.n > s->job->def->queue_cap) {
        snprintf(err, errlen, "source '%s': the queue is full (%zu records waiting)", s->def->name,
                 s->queue.n);
        rc = SINGEST_FULL;
    } else if (swal_append(s, &b, 0)) { /* logged before the 202, or not taken */
        snprintf(err, errlen, "source '%s': cannot write the write-ahead log", s->def->name);
        rc = SINGEST_FULL;
    } else {
        *taken = b.n;
        sbatch_move(&s->queue, &b);
    }
    sbatch_release(&b);
    return rc;
}

json_t *ssrc_status(const struct ssrc *s)
{
    static const char *const types[] = { "queue",      "socketText", "textFiles",
                                         "httpIngest", "gatewayLog", "eventHub" };
    json_t *st =
        json_pack("{sssssbsIsIsb}", "name", s->def->name, "type", types[s->def->type], "connected",
                  s->state == SSOCK_OPEN || s->tf != NULL, "offset", (json_int_t)s->offset,
                  "queued", (json_int_t)ssrc_queued(s), "paused", s->paused);
    if (s->def->type == SSRC_GWLOG || s->def->type == SSRC_EVENTHUB)
        json_object_set_new(st, "position", json_integer((json_int_t)s->tpos));
    if (s->wal)
        json_object_set_new(st, "wal", swal_status(s));
    return st;
}
