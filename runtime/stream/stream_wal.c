/* stream_wal.c - the write-ahead log of the sources that cannot replay
 * (socketText, httpIngest, records pushed to a queue source), as Spark's
 * spark.streaming.receiver.writeAheadLog.enable: a record is appended to the
 * log before it counts as received (before an httpIngest POST's 202).
 *
 * Layout: CHECKPOINT/wal/<source index>-<first sequence number>.log, one
 * segment per file, one record per line as compact JSON. A record's
 * sequence number is its index among all the records the source ever
 * logged; the checkpoint stores, per source, how many of them are in
 * completed batches ("wal"). At start the records after that number are put
 * back in the source's queue first. After each checkpoint, segments whose
 * records are all in it are deleted, and the current segment is closed (a
 * new one starts at the next record) when it is fully checkpointed or
 * larger than SWAL_SEGMENT_MAX: the log holds the records since the last
 * checkpoint plus at most one segment.
 *
 * Durability: each append is one write() then fdatasync(), per socket read
 * (up to 64 KiB of lines) or per POST: a record counted as received survives
 * kill -9 (it is in the kernel's page cache) and a machine crash (it is on
 * disk). A torn last line (a crash inside the write) is cut off at start. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "log.h"
#include "stream_int.h"

#define SWAL_SEGMENT_MAX ((uint64_t)8 << 20)

bool swal_wanted(const struct stream_def *d, const struct ssrc_def *s)
{
    return d->wal && d->ckpt_dir &&
           (s->type == SSRC_SOCKET || s->type == SSRC_HTTP || s->type == SSRC_QUEUE);
}

static void seg_path(const struct swal *w, uint64_t base, char *out, size_t len)
{
    snprintf(out, len, "%s/%d-%020" PRIu64 ".log", w->dir, w->index, base);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The bases of this source's segments on disk, ascending. */
static int list_segments(struct swal *w)
{
    DIR *dir = opendir(w->dir);
    if (!dir)
        return -1;
    struct dirent *e;
    char prefix[32];
    int pl = snprintf(prefix, sizeof(prefix), "%d-", w->index);
    while ((e = readdir(dir)) != NULL) {
        char *end;
        if (strncmp(e->d_name, prefix, (size_t)pl) != 0)
            continue;
        errno = 0;
        unsigned long long base = strtoull(e->d_name + pl, &end, 10);
        if (errno || end == e->d_name + pl || strcmp(end, ".log") != 0)
            continue;
        w->segs = xrealloc(w->segs, (w->nsegs + 1) * sizeof(*w->segs));
        w->segs[w->nsegs++] = base;
    }
    closedir(dir);
    if (w->nsegs > 1)
        qsort(w->segs, w->nsegs, sizeof(*w->segs), cmp_u64);
    return 0;
}

/* Reads one segment: records numbered base, base+1, ...; those >= from go
 * to the queue. Returns the number of complete lines; *good is the byte
 * length of the complete lines (a torn tail after it). */
static uint64_t replay_segment(struct ssrc *s, const char *path, uint64_t base, uint64_t from,
                               off_t *good)
{
    FILE *f = fopen(path, "rbe");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    uint64_t count = 0;
    *good = 0;
    while (f && (n = getline(&line, &cap, f)) > 0 && line[n - 1] == '\n') {
        *good += n;
        if (base + count++ < from)
            continue;
        json_t *v = json_loadb(line, (size_t)n - 1, JSON_DECODE_ANY, NULL);
        if (v)
            sbatch_push(&s->queue, NULL, v);
        else
            log_msg(LOG_LEVEL_WARN, "job=%s source=%s event=wal-skipped file=%s record=%" PRIu64,
                    s->job->name, s->def->name, path, base + count - 1);
    }
    free(line);
    if (f)
        fclose(f);
    return count;
}

int swal_open(struct ssrc *s, uint64_t taken, char *err, size_t errlen)
{
    struct swal *w = xcalloc(1, sizeof(*w));
    s->wal = w;
    s->wal_taken = taken;
    w->fd = -1;
    w->index = (int)(s->def - s->job->def->src);
    size_t dl = strlen(s->job->def->ckpt_dir) + 5;
    w->dir = xmalloc(dl);
    snprintf(w->dir, dl, "%s/wal", s->job->def->ckpt_dir);
    if (sckpt_mkdir(w->dir) || list_segments(w)) {
        snprintf(err, errlen, "write-ahead log '%s': %s", w->dir, strerror(errno));
        return -1;
    }
    w->seq = w->base = w->ckpt = taken;
    for (size_t i = 0; i < w->nsegs; i++) {
        char path[4200];
        off_t good;
        seg_path(w, w->segs[i], path, sizeof(path));
        uint64_t n = replay_segment(s, path, w->segs[i], taken, &good);
        if (i + 1 < w->nsegs)
            continue;
        if (truncate(path, good) != 0) { /* a torn last record: cut off */
            snprintf(err, errlen, "write-ahead log '%s': %s", path, strerror(errno));
            return -1;
        }
        if (w->segs[i] + n >= taken) {
            w->base = w->segs[i];
            w->seq = w->segs[i] + n;
            w->bytes = (uint64_t)good;
        }
    }
    if (s->queue.n > 0)
        log_msg(LOG_LEVEL_INFO, "job=%s source=%s event=wal-replay records=%zu from=%" PRIu64,
                s->job->name, s->def->name, s->queue.n, taken);
    return 0;
}

/* The segment appended to: the last one, or a new one from seq. */
static int open_tail(struct swal *w)
{
    if (w->fd >= 0)
        return 0;
    if (w->bytes == 0)
        w->base = w->seq;
    char path[4200];
    seg_path(w, w->base, path, sizeof(path));
    w->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (w->fd < 0)
        return -1;
    if (w->nsegs == 0 || w->segs[w->nsegs - 1] != w->base) {
        w->segs = xrealloc(w->segs, (w->nsegs + 1) * sizeof(*w->segs));
        w->segs[w->nsegs++] = w->base;
        int dfd = open(w->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int rc = dfd >= 0 ? fsync(dfd) : -1; /* the new file's name is on disk too */
        if (dfd >= 0)
            close(dfd);
        return rc;
    }
    return 0;
}

/* Appends n records already encoded as lines, then fdatasync: after this
 * they survive a process or machine crash. */
static int write_records(struct ssrc *s, const struct buf *lines, size_t n)
{
    struct swal *w = s->wal;
    if (open_tail(w) == 0 && fd_write_all(w->fd, lines->data, lines->len) == 0 &&
        fdatasync(w->fd) == 0) {
        w->seq += n;
        w->bytes += lines->len;
        return 0;
    }
    log_msg(LOG_LEVEL_ERROR, "job=%s source=%s event=wal-failed dir=%s error=\"%s\"", s->job->name,
            s->def->name, w->dir, strerror(errno));
    snprintf(s->job->last_error, sizeof(s->job->last_error), "write-ahead log: cannot write '%s'",
             w->dir);
    if (w->fd >= 0) /* drop a partial write, keep the log whole */
        (void)!ftruncate(w->fd, (off_t)w->bytes);
    return -1;
}

static int put_value(struct buf *lines, const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    int rc = buf_puts(lines, text ? text : "null") || buf_append(lines, "\n", 1);
    free(text);
    return rc;
}

int swal_append(struct ssrc *s, const struct sbatch *b, size_t from)
{
    if (!s->wal || from >= b->n)
        return 0;
    struct buf lines;
    buf_init(&lines, SIZE_MAX / 2);
    int rc = 0;
    for (size_t i = from; i < b->n && rc == 0; i++)
        rc = put_value(&lines, b->r[i].val);
    rc = rc ? rc : write_records(s, &lines, b->n - from);
    buf_release(&lines);
    return rc;
}

int swal_append_lines(struct ssrc *s, const char *p, size_t len, size_t n)
{
    if (!s->wal || n == 0)
        return 0;
    struct buf lines;
    buf_init(&lines, SIZE_MAX / 2);
    int rc = 0;
    for (const char *end = p + len, *nl; rc == 0 && p < end; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(end - p)); /* each line has one */
        json_t *v = json_stringn_nocheck(p, (size_t)(nl - p));
        rc = put_value(&lines, v);
        json_decref(v);
    }
    rc = rc ? rc : write_records(s, &lines, n);
    buf_release(&lines);
    return rc;
}

void swal_checkpointed(struct ssrc *s)
{
    struct swal *w = s->wal;
    if (!w)
        return;
    uint64_t taken = w->ckpt = s->wal_taken;
    if (w->bytes > 0 && (taken >= w->seq || w->bytes >= SWAL_SEGMENT_MAX)) {
        if (w->fd >= 0)
            close(w->fd);
        w->fd = -1;
        w->bytes = 0; /* the next append starts a segment at seq */
        w->base = w->seq;
    }
    size_t keep = 0;
    for (size_t i = 0; i < w->nsegs; i++) {
        uint64_t end = i + 1 < w->nsegs ? w->segs[i + 1] : w->seq;
        bool current = w->bytes > 0 && w->segs[i] == w->base;
        if (!current && end <= taken) {
            char path[4200];
            seg_path(w, w->segs[i], path, sizeof(path));
            if (unlink(path) != 0 && errno != ENOENT)
                log_msg(LOG_LEVEL_WARN, "job=%s event=wal-unlink-failed file=%s", s->job->name,
                        path);
            continue;
        }
        w->segs[keep++] = w->segs[i];
    }
    w->nsegs = keep;
}

void swal_close(struct ssrc *s)
{
    struct swal *w = s->wal;
    if (!w)
        return;
    if (w->fd >= 0)
        close(w->fd);
    free(w->segs);
    free(w->dir);
    free(w);
    s->wal = NULL;
}

json_t *swal_status(const struct ssrc *s)
{
    const struct swal *w = s->wal;
    return json_pack("{sIsIsI}", "logged", (json_int_t)w->seq, "checkpointed", (json_int_t)w->ckpt,
                     "segments", (json_int_t)w->nsegs);
}
