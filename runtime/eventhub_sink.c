/* eventhub_sink.c - one line per event, written with one write() on an
 * O_APPEND descriptor so that a reader tailing the file never sees half a
 * line once the LF is there. The sequence number and offset are taken under
 * the sink's mutex, so two threads never share one. */
#include "eventhub_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fdio.h"
#include "utf8.h"

struct eventhub_sink {
    int fd;
    uint64_t seq;
    pthread_mutex_t mu;
};

static int make_dir(const char *p)
{
    return mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* The lines already there: the next sequence number. */
static uint64_t count_lines(int fd)
{
    char chunk[65536];
    uint64_t n = 0;
    off_t at = 0;
    for (;;) {
        ssize_t r = pread(fd, chunk, sizeof(chunk), at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return n;
        for (ssize_t i = 0; i < r; i++)
            n += chunk[i] == '\n';
        at += r;
    }
}

struct eventhub_sink *eventhub_sink_open(const char *state_dir, const char *logger_id, char *err,
                                         size_t errlen)
{
    char path[4200];
    if (!logger_id || !*logger_id || logger_id[0] == '.' || strchr(logger_id, '/') ||
        strlen(logger_id) > 200) {
        snprintf(err, errlen, "logger id '%s' cannot name a folder", logger_id ? logger_id : "");
        return NULL;
    }
    snprintf(path, sizeof(path), "%s/eventhub", state_dir);
    int rc = make_dir(state_dir) | make_dir(path);
    snprintf(path, sizeof(path), "%s/eventhub/%s", state_dir, logger_id);
    rc |= make_dir(path);
    snprintf(path, sizeof(path), "%s/eventhub/%s/events.jsonl", state_dir, logger_id);
    int fd = rc ? -1 : open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct eventhub_sink *s = xcalloc(1, sizeof(*s));
    s->fd = fd;
    s->seq = count_lines(fd);
    pthread_mutex_init(&s->mu, NULL);
    return s;
}

static void iso_time(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
}

/* The body's length cut to the limit, not inside a UTF-8 sequence. */
static size_t cut(const char *body, size_t len)
{
    if (len <= EVENTHUB_SINK_MAX_BODY)
        return len;
    size_t n = EVENTHUB_SINK_MAX_BODY;
    while (n > 0 && ((unsigned char)body[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static int line(struct buf *b, const char *pid, const char *key, const char *body, size_t len,
                int64_t now_ms, uint64_t seq, uint64_t off)
{
    char when[32];
    iso_time(now_ms, when);
    int rc = buf_puts(b, "{\"partition\":");
    rc |= utf8_json_string(b, str_from_cstr(pid ? pid : "0"), 0);
    rc |= buf_puts(b, ",\"partitionKey\":");
    rc |= key ? utf8_json_string(b, str_from_cstr(key), 0) : buf_puts(b, "null");
    rc |= buf_printf(b, ",\"enqueuedTime\":\"%s\",\"sequenceNumber\":%llu,\"offset\":\"%llu\"",
                     when, (unsigned long long)seq, (unsigned long long)off);
    rc |= buf_puts(b, ",\"body\":");
    rc |= utf8_json_string(b, (struct str){ body, cut(body, len) }, 0);
    return rc | buf_puts(b, "}\n");
}

int eventhub_sink_send(struct eventhub_sink *s, const char *partition_id, const char *partition_key,
                       const char *body, size_t len, int64_t now_ms)
{
    struct buf b;
    buf_init(&b, (size_t)EVENTHUB_SINK_MAX_BODY * 6 + 4096);
    pthread_mutex_lock(&s->mu);
    off_t off = lseek(s->fd, 0, SEEK_END);
    int rc = off < 0 ? -1
                     : line(&b, partition_id, partition_key, body ? body : "", body ? len : 0,
                            now_ms, s->seq, (uint64_t)off);
    if (rc == 0)
        rc = fd_write_all(s->fd, b.data, b.len);
    if (rc == 0)
        s->seq++;
    pthread_mutex_unlock(&s->mu);
    buf_release(&b);
    return rc ? -1 : 0;
}

uint64_t eventhub_sink_count(const struct eventhub_sink *s)
{
    return s->seq;
}

void eventhub_sink_free(struct eventhub_sink *s)
{
    if (!s)
        return;
    close(s->fd);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
