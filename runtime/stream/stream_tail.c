/* stream_tail.c - the sources that read the gateway's own files: gatewayLog
 * tails <state>/access.log (one JSON line per request, runtime/accesslog.h)
 * and yields ApiManagementGatewayLogs-shaped objects; eventHub tails
 * <state>/eventhub/<logger>/events.jsonl (runtime/eventhub_sink.h) and
 * yields each event's body as text or parsed JSON.
 *
 * The file is the queue: nothing is read between batches (no watcher, no
 * busy loop); at each batch tick the lines appended since the last one are
 * read, at most the rate limit, and the byte position after the last whole
 * line taken is the source's offset (kept in checkpoints with the file's
 * inode, so a restart resumes where the last completed batch ended). A line
 * still being written (no LF yet) waits for the next tick. Rotation (the
 * path names another inode) finishes the old file first, then reads the new
 * one from its start; truncation (the file shorter than the position) reads
 * from the start again. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "stream_int.h"

/* ApiManagementGatewayLogs column <- access log field (NULL: computed
 * below), the one table the compiler checks 'fields' against. */
static const char *const gw_map[][2] = {
#define GWLOG_FIELD(column, from, notes) { column, from },
#include "gwlog_fields.def"
#undef GWLOG_FIELD
};

#define GW_NMAP (sizeof(gw_map) / sizeof(*gw_map))

static bool wanted(const struct ssrc_def *d, const char *name)
{
    if (!d->fields)
        return true;
    size_t i;
    json_t *f;
    json_array_foreach(d->fields, i, f) if (strcmp(json_string_value(f), name) == 0) return true;
    return false;
}

/* One column's value: the access log field, or the computed column. */
static json_t *gw_value(json_t *in, const char *column, const char *from)
{
    if (from) {
        json_t *v = json_object_get(in, from);
        return v ? json_incref(v) : json_null();
    }
    /* IsRequestSuccess: the response code is 2xx or 3xx (the table's
     * definition: "request was completed successfully"). */
    if (strcmp(column, "IsRequestSuccess") == 0) {
        json_t *st = json_object_get(in, "status");
        return json_boolean(json_is_integer(st) && json_integer_value(st) >= 200 &&
                            json_integer_value(st) < 400);
    }
    return json_null();
}

/* One access log line as a GatewayLogs record; NULL if it is not JSON. */
static json_t *gw_record(const struct ssrc_def *d, const char *line, size_t n)
{
    json_t *in = json_loadb(line, n, 0, NULL);
    if (!json_is_object(in)) {
        json_decref(in);
        return NULL;
    }
    json_t *out = json_object();
    for (size_t i = 0; i < GW_NMAP; i++)
        if (wanted(d, gw_map[i][0]))
            json_object_set_new(out, gw_map[i][0], gw_value(in, gw_map[i][0], gw_map[i][1]));
    json_decref(in);
    return out;
}

/* One event line's body: the text, or the text parsed (format json). */
static json_t *hub_record(const struct ssrc_def *d, const char *line, size_t n)
{
    json_t *ev = json_loadb(line, n, 0, NULL);
    json_t *body = json_object_get(ev, "body"), *r = NULL;
    if (json_is_string(body))
        r = d->json_body ? json_loadb(json_string_value(body), json_string_length(body),
                                      JSON_DECODE_ANY, NULL)
                         : json_incref(body);
    json_decref(ev);
    return r;
}

void stail_path(const struct ssrc *s, char *out, size_t len)
{
    const char *dir = s->job->state_dir ? s->job->state_dir : ".";
    if (s->def->type == SSRC_GWLOG)
        snprintf(out, len, "%s/access.log", dir);
    else
        snprintf(out, len, "%s/eventhub/%s/events.jsonl", dir, s->def->logger);
}

static void tail_close(struct ssrc *s)
{
    if (s->tf)
        fclose(s->tf);
    s->tf = NULL;
}

/* Opens the file the path names now (if any), at pos. */
static void tail_open(struct ssrc *s, uint64_t pos)
{
    char path[4200];
    struct stat st;
    tail_close(s);
    stail_path(s, path, sizeof(path));
    s->tf = fopen(path, "rb");
    if (!s->tf || fstat(fileno(s->tf), &st) != 0) {
        tail_close(s);
        s->tino = 0, s->tpos = 0;
        return;
    }
    s->tino = (uint64_t)st.st_ino;
    s->tpos = pos == UINT64_MAX || pos > (uint64_t)st.st_size ? (uint64_t)st.st_size : pos;
}

void stail_init(struct ssrc *s)
{
    bool from_start = s->def->type == SSRC_EVENTHUB && s->def->earliest;
    tail_open(s, from_start ? 0 : UINT64_MAX);
}

void stail_resume(struct ssrc *s, uint64_t ino, uint64_t pos)
{
    /* The same file: where the last batch ended. Another file (rotated while
     * the job was down): the new one from its start. */
    if (s->tf && s->tino == ino)
        s->tpos = pos;
    else
        tail_open(s, 0);
}

/* Reads whole lines from pos into b, at most limit; true at end of file. */
static bool read_lines(struct ssrc *s, struct sbatch *b, size_t limit, size_t *bad)
{
    char *line = NULL;
    size_t cap = 0;
    bool eof = false;
    if (fseeko(s->tf, (off_t)s->tpos, SEEK_SET) != 0)
        return true;
    while (b->n < limit) {
        ssize_t n = getline(&line, &cap, s->tf);
        if (n <= 0 || line[n - 1] != '\n') {
            eof = true; /* a line still being written waits for the next tick */
            break;
        }
        s->tpos += (uint64_t)n;
        if (n - 1 > STREAM_MAX_LINE)
            continue;
        json_t *r = s->def->type == SSRC_GWLOG ? gw_record(s->def, line, (size_t)n - 1)
                                               : hub_record(s->def, line, (size_t)n - 1);
        if (r)
            sbatch_push(b, NULL, r);
        else
            (*bad)++;
    }
    free(line);
    clearerr(s->tf);
    return eof;
}

void stail_take(struct ssrc *s, struct sbatch *b, size_t limit)
{
    char path[4200];
    struct stat st, cur;
    size_t bad = 0;
    if (!s->tf)
        tail_open(s, 0); /* the file appeared since: all of it is new */
    for (int round = 0; s->tf && round < 2 && b->n < limit; round++) {
        if (fstat(fileno(s->tf), &cur) == 0 && (uint64_t)cur.st_size < s->tpos)
            s->tpos = 0; /* truncated: what is there now is new */
        bool eof = read_lines(s, b, limit, &bad);
        stail_path(s, path, sizeof(path));
        if (!eof || stat(path, &st) != 0 || (uint64_t)st.st_ino == s->tino)
            break;
        tail_open(s, 0); /* rotated, and the old file is read to its end */
    }
    if (bad)
        log_msg(LOG_LEVEL_WARN, "job=%s source=%s event=skipped lines=%zu reason=\"not json\"",
                s->job->name, s->def->name, bad);
}

void stail_release(struct ssrc *s)
{
    tail_close(s);
}
