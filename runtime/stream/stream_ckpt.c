/* stream_ckpt.c - checkpoints of a job: DIR/metadata.json holds the
 * definition hash, the batch time it was written at, each source's offset
 * (records taken; for textFiles the files read; for queue the next prepared
 * batch; with a write-ahead log, the log's records in completed batches) and
 * each stateful step's state (running totals, the batches of each window).
 * stream_job.c writes it every checkpoint.interval and at a stop, as a
 * temporary file, fsynced,
 * renamed over the old one, and the folder fsynced: after kill -9 the file
 * is the old or the new batch, never a mix. A checkpoint whose hash differs
 * from the definition's is refused (Spark cannot restart upgraded code from
 * an old checkpoint either). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "stream_int.h"

static json_t *map_json(const struct skmap *m)
{
    json_t *a = json_array();
    for (size_t i = 0; i < m->n; i++)
        json_array_append_new(
            a, json_pack("[OOI]", m->e[i].key, m->e[i].val, (json_int_t)m->e[i].seen));
    return a;
}

static int map_load(struct skmap *m, const json_t *a)
{
    size_t i;
    json_t *e;
    if (!json_is_array(a))
        return -1;
    json_array_foreach(a, i, e)
    {
        json_t *k = json_array_get(e, 0), *v = json_array_get(e, 1), *s = json_array_get(e, 2);
        if (!k || !json_is_number(v) || !json_is_integer(s) || json_integer_value(s) < 0 ||
            json_integer_value(s) > INT64_MAX / 4)
            return -1;
        struct skent *x = skmap_get(m, k, true);
        json_decref(x->val);
        x->val = json_incref(v);
        x->seen = json_integer_value(s);
    }
    return 0;
}

json_t *sop_state_save(const struct sop_state *st)
{
    json_t *ring = json_array();
    /* Oldest first, so loading needs no head. */
    for (size_t k = 0; k < st->nring; k++) {
        size_t i = (st->head + k) % st->nring;
        if (st->ring)
            json_array_append_new(ring, map_json(&st->ring[i]));
        else {
            json_t *b = json_array();
            for (size_t r = 0; r < st->raw[i].n; r++)
                json_array_append_new(b,
                                      json_pack("[OO]", st->raw[i].r[r].key, st->raw[i].r[r].val));
            json_array_append_new(ring, b);
        }
    }
    return json_pack("{sIsoso}", "batches", (json_int_t)st->batches, "map", map_json(&st->map),
                     "ring", ring);
}

int sop_state_load(struct sop_state *st, const json_t *saved)
{
    const json_t *ring = json_object_get(saved, "ring");
    const json_t *nb = json_object_get(saved, "batches");
    if (!json_is_integer(nb) || json_integer_value(nb) < 0 || !json_is_array(ring) ||
        json_array_size(ring) != st->nring || map_load(&st->map, json_object_get(saved, "map")))
        return -1;
    st->batches = (uint64_t)json_integer_value(nb);
    st->head = 0;
    for (size_t k = 0; k < st->nring; k++) {
        json_t *b = json_array_get(ring, k);
        if (st->ring && map_load(&st->ring[k], b))
            return -1;
        size_t i;
        json_t *e;
        json_array_foreach(st->raw ? b : NULL, i, e)
        {
            if (json_array_size(e) != 2)
                return -1;
            sbatch_push(&st->raw[k], json_incref(json_array_get(e, 0)),
                        json_incref(json_array_get(e, 1)));
        }
    }
    return 0;
}

static json_t *sources_json(const struct stream_job *j)
{
    json_t *a = json_array();
    for (size_t i = 0; i < j->def->nsrc; i++) {
        const struct ssrc *s = &j->src[i];
        json_t *files = json_array();
        for (size_t k = 0; k < s->seen.n; k++)
            if (s->seen.e[k].val)
                json_array_append(files, s->seen.e[k].key);
        json_t *o = json_pack("{sssIsIso}", "name", s->def->name, "offset", (json_int_t)s->offset,
                              "nextBatch", (json_int_t)s->next_batch, "files", files);
        if (swal_wanted(j->def, s->def)) /* the log's records in completed batches */
            json_object_set_new(o, "wal", json_integer((json_int_t)s->wal_taken));
        if (s->def->type == SSRC_GWLOG || s->def->type == SSRC_EVENTHUB)
            json_object_set_new(
                o, "file",
                json_pack("{sIsI}", "inode", (json_int_t)s->tino, "position", (json_int_t)s->tpos));
        json_array_append_new(a, o);
    }
    return a;
}

static int write_atomic(const char *dir, const char *name, const char *text)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    int rc = fd_write_all(fd, text, strlen(text)) == 0 && fsync(fd) == 0 ? 0 : -1;
    rc |= close(fd);
    if (rc == 0)
        rc = rename(tmp, path);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        rc |= fsync(dfd);
        close(dfd);
    }
    return rc ? -1 : 0;
}

int sckpt_mkdir(const char *dir)
{
    char p[4096];
    snprintf(p, sizeof(p), "%s", dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    return mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int sckpt_save(struct stream_job *j, int64_t batch_time)
{
    json_t *state = json_array();
    for (size_t i = 0; i < j->def->nstep; i++)
        json_array_append_new(
            state, sop_is_stateful(j->def->step[i].kind) ? sop_state_save(&j->st[i]) : json_null());
    json_t *root =
        json_pack("{sisssssIsoso}", "version", 1, "job", j->name, "hash", j->hash, "batchTime",
                  (json_int_t)batch_time, "sources", sources_json(j), "state", state);
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    int rc = text && sckpt_mkdir(j->def->ckpt_dir) == 0
                 ? write_atomic(j->def->ckpt_dir, "metadata.json", text)
                 : -1;
    free(text);
    return rc;
}

/* gatewayLog/eventHub: where the last completed batch ended in which file. */
static int load_file(struct ssrc *s, const json_t *f)
{
    if (s->def->type != SSRC_GWLOG && s->def->type != SSRC_EVENTHUB)
        return 0;
    const json_t *ino = json_object_get(f, "inode"), *pos = json_object_get(f, "position");
    if (!json_is_integer(ino) || !json_is_integer(pos) || json_integer_value(ino) < 0 ||
        json_integer_value(pos) < 0)
        return -1;
    stail_resume(s, (uint64_t)json_integer_value(ino), (uint64_t)json_integer_value(pos));
    return 0;
}

/* Logged sources: how many of the log's records are in completed batches. */
static int load_wal(const struct stream_job *j, struct ssrc *s, const json_t *wal)
{
    if (!swal_wanted(j->def, s->def))
        return 0;
    if (!json_is_integer(wal) || json_integer_value(wal) < 0)
        return -1;
    s->wal_taken = (uint64_t)json_integer_value(wal);
    return 0;
}

static int load_sources(struct stream_job *j, const json_t *a)
{
    for (size_t i = 0; i < j->def->nsrc; i++) {
        const json_t *s = json_array_get(a, i);
        const json_t *off = json_object_get(s, "offset"), *nb = json_object_get(s, "nextBatch");
        const json_t *files = json_object_get(s, "files");
        if (!json_is_integer(off) || !json_is_integer(nb) || !json_is_array(files) ||
            json_integer_value(nb) < 0)
            return -1;
        /* The files read are the checkpoint's: those that came while the job
         * was down are new, not "present at the start". */
        if (load_file(&j->src[i], json_object_get(s, "file")) ||
            load_wal(j, &j->src[i], json_object_get(s, "wal")))
            return -1;
        skmap_release(&j->src[i].seen);
        j->src[i].offset = (uint64_t)json_integer_value(off);
        j->src[i].next_batch = (size_t)json_integer_value(nb);
        size_t k;
        json_t *f;
        json_array_foreach(files, k, f)
        {
            struct skent *e = skmap_get(&j->src[i].seen, f, true);
            json_decref(e->val);
            e->val = json_true();
        }
    }
    return 0;
}

static int load_state(struct stream_job *j, const json_t *root)
{
    const json_t *state = json_object_get(root, "state");
    if (json_array_size(state) != j->def->nstep ||
        json_array_size(json_object_get(root, "sources")) != j->def->nsrc)
        return -1;
    for (size_t i = 0; i < j->def->nstep; i++)
        if (sop_is_stateful(j->def->step[i].kind) &&
            sop_state_load(&j->st[i], json_array_get(state, i)))
            return -1;
    return load_sources(j, json_object_get(root, "sources"));
}

int sckpt_load(struct stream_job *j, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/metadata.json", j->def->ckpt_dir);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        if (access(path, F_OK) != 0)
            return 0; /* a first start */
        snprintf(err, errlen, "checkpoint '%s': unreadable (%s)", path, je.text);
        return -1;
    }
    const char *hash = json_string_value(json_object_get(root, "hash"));
    const json_t *bt = json_object_get(root, "batchTime");
    int rc = -1;
    if (!hash || strcmp(hash, j->hash) != 0)
        snprintf(err, errlen,
                 "checkpoint '%s' was written by another definition of job '%s' (hash %.12s, "
                 "now %.12s): use a new checkpoint directory or remove this one",
                 j->def->ckpt_dir, j->name, hash ? hash : "?", j->hash);
    else if (!json_is_integer(bt) || json_integer_value(bt) < 0 ||
             json_integer_value(bt) > INT64_MAX / 4 || load_state(j, root))
        snprintf(err, errlen, "checkpoint '%s': damaged state", path);
    else
        rc = 0;
    if (rc == 0) {
        int64_t next = json_integer_value(bt) + j->def->interval;
        if (next > j->next_batch)
            j->next_batch = next;
    }
    json_decref(root);
    return rc;
}
