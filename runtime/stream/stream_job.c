/* stream_job.c - the engine: batch times on the epoch-ms clock aligned to
 * the interval (Spark's RecurringTimer: the first batch is the next multiple
 * after the start), each batch's records through the steps in order, then
 * the outputs in declaration order. A batch with no records is still a batch:
 * print shows its header and windows slide over it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "stream_int.h"

static void copy_batch(struct sbatch *dst, const struct sbatch *src)
{
    sbatch_reserve(dst, src->n);
    for (size_t i = 0; i < src->n; i++)
        sbatch_push(dst, json_incref(src->r[i].key), json_incref(src->r[i].val));
    dst->present = true;
}

static size_t max_retain(const struct stream_def *d)
{
    size_t r = 0;
    for (size_t i = 0; i < d->nout; i++)
        if (d->out[i].type == SOUT_SERVE && d->out[i].retain > r)
            r = d->out[i].retain;
    return r;
}

static bool has_listening_serve(const struct stream_def *d)
{
    for (size_t i = 0; i < d->nout; i++)
        if (d->out[i].type == SOUT_SERVE && d->out[i].listen)
            return true;
    return false;
}

/* Sources that cannot run in this environment, said before anything starts. */
static int refuse_unsupported(const struct stream_def *d, const struct stream_env *env, char *err,
                              size_t errlen)
{
    for (size_t i = 0; i < d->nsrc; i++) {
        const struct ssrc_def *s = &d->src[i];
        if ((s->type == SSRC_GWLOG || s->type == SSRC_EVENTHUB) && !env->state_dir) {
            snprintf(err, errlen,
                     "source '%s': a %s source reads the gateway's state folder: run the job in "
                     "a gateway",
                     s->name, s->type == SSRC_GWLOG ? "gatewayLog" : "eventHub");
            return -1;
        }
        if (s->type == SSRC_HTTP && (!env->loop || !has_listening_serve(d))) {
            snprintf(err, errlen,
                     "source '%s': an httpIngest source receives on the port of a serve output "
                     "with 'listen', and the job has none",
                     s->name);
            return -1;
        }
        if (s->type == SSRC_SOCKET && !env->loop) {
            snprintf(err, errlen, "source '%s': a socket source needs an event loop", s->name);
            return -1;
        }
    }
    return 0;
}

static bool src0_read_later(const struct stream_def *d);

struct stream_job *stream_job_new(struct stream_def *d, const struct stream_env *env,
                                  int64_t now_ms, char *err, size_t errlen)
{
    if (refuse_unsupported(d, env, err, errlen)) {
        stream_def_free(d);
        return NULL;
    }
    struct stream_job *j = xcalloc(1, sizeof(*j));
    j->def = d;
    j->name = xstrdup(env->name ? env->name : "job");
    j->hash = xstrdup(env->hash ? env->hash : "");
    j->state_dir = env->state_dir ? xstrdup(env->state_dir) : NULL;
    j->loop = env->loop;
    j->out = env->out;
    j->now = now_ms;
    j->started = now_ms;
    j->next_batch = (now_ms / d->interval + 1) * d->interval;
    j->first_batch = j->next_batch;
    j->nhist = max_retain(d);
    j->hist = xcalloc(j->nhist + 1, sizeof(*j->hist));
    for (size_t i = 0; i < d->nstep; i++)
        if (sop_is_stateful(d->step[i].kind))
            sop_state_init(&j->st[i], &d->step[i], d->interval);
    for (size_t i = 0; i < d->nsrc; i++)
        ssrc_init(&j->src[i], j, &d->src[i]);
    /* The seed's shape: a socket's lines straight into the fused word count
     * (run_pipeline moves source 0's batch to the first step, which reads
     * the lines; no other step sees them). */
    j->src[0].raw = d->nsrc > 0 && d->src[0].type == SSRC_SOCKET && d->nstep >= 3 &&
                    d->step[0].input < 0 && d->step[0].kind != SOP_UNION &&
                    sop_fusable(&d->step[0], d->nstep) && !src0_read_later(d);
    for (size_t i = 0; i < d->nout; i++)
        if (d->out[i].type == SOUT_SERVE && d->out[i].listen &&
            !(j->serve[i] = sserve_new(j, &d->out[i], err, errlen)))
            goto fail;
    /* checkpoint.interval as Spark's: every ceil(interval / batch) batches */
    j->ckpt_every = (uint64_t)((d->ckpt_interval + d->interval - 1) / d->interval);
    j->ckpt_every = j->ckpt_every ? j->ckpt_every : 1;
    if (d->ckpt_dir && sckpt_load(j, err, errlen))
        goto fail;
    for (size_t i = 0; i < d->nsrc; i++) /* after the checkpoint: its log position */
        if (swal_wanted(d, &d->src[i]) && swal_open(&j->src[i], j->src[i].wal_taken, err, errlen))
            goto fail;
    return j;
fail:
    stream_job_free(j);
    return NULL;
}

void stream_job_free(struct stream_job *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->def->nsrc; i++)
        ssrc_release(&j->src[i]);
    for (size_t i = 0; i < j->def->nstep; i++)
        if (sop_is_stateful(j->def->step[i].kind))
            sop_state_release(&j->st[i]);
    for (size_t i = 0; i < j->def->nout; i++)
        sserve_free(j->serve[i]);
    for (size_t i = 0; i < j->nhist; i++)
        json_decref(j->hist[i].records);
    free(j->hist);
    stream_def_free(j->def);
    free(j->name);
    free(j->hash);
    free(j->state_dir);
    free(j);
}

int64_t stream_job_next_deadline(const struct stream_job *j)
{
    int64_t d = j->next_batch;
    if (j->stopping) /* no reconnect; the stop's end */
        return d < j->stop_deadline ? d : j->stop_deadline;
    for (size_t i = 0; i < j->def->nsrc; i++) {
        int64_t s = ssrc_deadline(&j->src[i]);
        if (s > 0 && s < d)
            d = s;
    }
    return d;
}

/* Whether a step after the first reads source 0 by name (then the first
 * step must copy its batch rather than take it). */
static bool src0_read_later(const struct stream_def *d)
{
    for (size_t i = 1; i < d->nstep; i++) {
        if (d->step[i].input == 0)
            return true;
        for (size_t k = 0; d->step[i].kind == SOP_UNION && k < d->step[i].ninputs; k++)
            if (d->step[i].inputs[k] == 0)
                return true;
    }
    return false;
}

/* The input of step i: its named source, the union of its sources, the
 * first source for the first step (taken, not copied, when no later step
 * reads it: a reference count less to touch per record), or the previous
 * step's output. */
static void step_input(struct stream_job *j, size_t i, struct sbatch *srcb, struct sbatch *cur,
                       struct sbatch *in)
{
    const struct sop_def *op = &j->def->step[i];
    if (op->kind == SOP_UNION && op->ninputs > 0) {
        for (size_t k = 0; k < op->ninputs; k++)
            copy_batch(in, &srcb[op->inputs[k]]);
        sbatch_reset(cur);
    } else if (op->input >= 0) {
        copy_batch(in, &srcb[op->input]);
        sbatch_reset(cur);
    } else if (i == 0 && !src0_read_later(j->def)) {
        sbatch_move(in, &srcb[0]);
        in->present = true;
    } else if (i == 0) {
        copy_batch(in, &srcb[0]);
    } else {
        sbatch_move(in, cur);
        in->present = cur->present;
    }
}

static void run_pipeline(struct stream_job *j, int64_t time, struct sbatch *srcb,
                         struct sbatch *cur)
{
    struct sbatch in = { 0 };
    if (j->def->nstep == 0)
        copy_batch(cur, &srcb[0]);
    for (size_t i = 0; i < j->def->nstep; i++) {
        const struct sop_def *op = &j->def->step[i];
        step_input(j, i, srcb, cur, &in);
        cur->present = false;
        if (sop_fusable(op, j->def->nstep - i)) {
            sop_run_fused(op, &in, cur);
            i += 2;
        } else if (sop_is_stateful(op->kind))
            sop_run_stateful(op, &j->st[i], j->def->interval, time, &in, cur);
        else
            sop_run_stateless(op, &in, cur);
    }
    sbatch_release(&in);
}

/* Serve order: first seen (as computed), by key, or by value descending. */
static int by_key(const void *a, const void *b)
{
    const json_t *x = json_object_get(*(json_t *const *)a, "key");
    const json_t *y = json_object_get(*(json_t *const *)b, "key");
    if (json_is_string(x) && json_is_string(y))
        return strcmp(json_string_value(x), json_string_value(y));
    return json_is_number(x) && json_is_number(y)
               ? (json_number_value(x) > json_number_value(y)) -
                     (json_number_value(x) < json_number_value(y))
               : 0;
}

static int by_value(const void *a, const void *b)
{
    double x = snum_value(json_object_get(*(json_t *const *)a, "value"));
    double y = snum_value(json_object_get(*(json_t *const *)b, "value"));
    return (x < y) - (x > y);
}

static json_t *records_json(const struct sbatch *b, int order)
{
    json_t *a = json_array();
    for (size_t i = 0; i < b->n; i++)
        json_array_append_new(a, b->r[i].key
                                     ? json_pack("{sOsO}", "key", b->r[i].key, "value", b->r[i].val)
                                     : json_incref(b->r[i].val));
    /* jansson arrays are contiguous json_t* lists only internally; sort a copy. */
    if (order != 0 && json_array_size(a) > 1) {
        size_t n = json_array_size(a);
        json_t **v = xmalloc(n * sizeof(*v));
        for (size_t i = 0; i < n; i++)
            v[i] = json_incref(json_array_get(a, i));
        qsort(v, n, sizeof(*v), order == 1 ? by_key : by_value); /* ties: unspecified */
        json_array_clear(a);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(a, v[i]);
        free(v);
    }
    return a;
}

static void remember(struct stream_job *j, int64_t time, const struct sbatch *b)
{
    if (j->nhist == 0)
        return;
    int order = 0;
    for (size_t i = 0; i < j->def->nout; i++)
        if (j->def->out[i].type == SOUT_SERVE)
            order = j->def->out[i].order;
    struct shist *h = &j->hist[j->hhead];
    json_decref(h->records);
    *h = (struct shist){ time, records_json(b, order), false };
    j->hhead = (j->hhead + 1) % j->nhist;
    if (j->hcount < j->nhist)
        j->hcount++;
}

int sout_files(const struct sout_def *o, int64_t time, const struct sbatch *b);

static void run_outputs(struct stream_job *j, int64_t time, const struct sbatch *b)
{
    if (!b->present)
        return; /* a window between slides: no RDD, no output */
    for (size_t i = 0; i < j->def->nout; i++) {
        const struct sout_def *o = &j->def->out[i];
        if (o->type == SOUT_PRINT && j->out) {
            struct buf pb;
            buf_init(&pb, (size_t)64 << 20);
            if (spprint_batch(&pb, time, b, o->num, o->scala) == 0 && pb.len)
                fwrite(pb.data, 1, pb.len, j->out);
            fflush(j->out);
            buf_release(&pb);
        } else if (o->type == SOUT_FILES && sout_files(o, time, b)) {
            snprintf(j->last_error, sizeof(j->last_error), "textFiles: cannot write batch %lld",
                     (long long)time);
        }
    }
    remember(j, time, b);
}

/* Writes the checkpoint of the batch just completed; the logs it covers
 * can then go. */
static void checkpoint(struct stream_job *j, int64_t time)
{
    if (sckpt_save(j, time)) {
        snprintf(j->last_error, sizeof(j->last_error), "checkpoint: cannot write '%s'",
                 j->def->ckpt_dir);
        log_msg(LOG_LEVEL_ERROR, "job=%s event=checkpoint-failed dir=%s batch=%lld", j->name,
                j->def->ckpt_dir, (long long)time);
        return;
    }
    j->since_ckpt = 0;
    for (size_t i = 0; i < j->def->nsrc; i++)
        swal_checkpointed(&j->src[i]);
}

static void run_batch(struct stream_job *j, int64_t time, int64_t now)
{
    int64_t t0 = loop_now_us();
    struct sbatch srcb[STREAM_MAX_SOURCES] = { 0 }, cur = { 0 };
    uint64_t input = 0;
    for (size_t i = 0; i < j->def->nsrc; i++) {
        ssrc_take(&j->src[i], &srcb[i], j->def->interval);
        input += sbatch_count(&srcb[i]);
    }
    run_pipeline(j, time, srcb, &cur);
    run_outputs(j, time, &cur);
    sbatch_release(&cur);
    for (size_t i = 0; i < j->def->nsrc; i++)
        sbatch_release(&srcb[i]);
    j->nbatches++;
    j->last_input = input;
    j->last_time = time;
    j->last_sched_ms = now - time;
    j->last_proc_us = loop_now_us() - t0;
    if (j->def->ckpt_dir && ++j->since_ckpt >= j->ckpt_every)
        checkpoint(j, time);
}

static size_t queued(const struct stream_job *j)
{
    size_t n = 0;
    for (size_t i = 0; i < j->def->nsrc; i++)
        n += ssrc_queued(&j->src[i]);
    return n;
}

/* A stopping job is stopped once its queues are empty or its time is up:
 * the checkpoint of its last batch is written, and what was left said. */
static void stop_check(struct stream_job *j, int64_t now)
{
    size_t left = queued(j);
    if (!j->stopping || j->stopped || (left > 0 && now < j->stop_deadline))
        return;
    j->stopped = true;
    j->unprocessed = left;
    if (j->def->ckpt_dir && j->since_ckpt > 0 && j->nbatches > 0)
        checkpoint(j, j->last_time);
    bool wal = j->def->ckpt_dir && j->def->wal;
    log_msg(left ? LOG_LEVEL_WARN : LOG_LEVEL_INFO,
            "job=%s event=stopped graceful=%s batches=%llu unprocessed=%zu%s", j->name,
            j->def->graceful ? "true" : "false", (unsigned long long)j->nbatches, left,
            left == 0 ? ""
            : wal     ? " (in the write-ahead log: replayed at the next start)"
                      : " (lost: received but not in a batch)");
}

size_t stream_job_run_due(struct stream_job *j, int64_t now_ms)
{
    size_t n = 0;
    j->now = now_ms;
    for (size_t i = 0; i < j->def->nsrc && !j->stopping; i++)
        ssrc_tick(&j->src[i], now_ms);
    while (!j->stopped && j->next_batch <= now_ms) {
        run_batch(j, j->next_batch, now_ms);
        j->next_batch += j->def->interval;
        n++;
        stop_check(j, now_ms);
    }
    stop_check(j, now_ms);
    return n;
}

void stream_job_stop(struct stream_job *j, int64_t now_ms)
{
    if (j->stopping)
        return;
    j->now = now_ms;
    j->stopping = true;
    j->stop_deadline = now_ms + (j->def->graceful ? j->def->stop_timeout : 0);
    for (size_t i = 0; i < j->def->nsrc; i++)
        ssrc_stop(&j->src[i]);
    if (j->def->graceful) { /* the first batch of the rest now, later ones at their times */
        run_batch(j, j->next_batch, now_ms);
        j->next_batch += j->def->interval;
    }
    stop_check(j, now_ms);
}

bool stream_job_stopped(const struct stream_job *j)
{
    return j->stopped;
}

uint64_t stream_job_unprocessed(const struct stream_job *j)
{
    return j->stopped ? j->unprocessed : queued(j);
}

static struct ssrc *source_named(const struct stream_job *j, const char *name)
{
    for (size_t i = 0; i < j->def->nsrc; i++)
        if (strcmp(j->def->src[i].name, name) == 0)
            return (struct ssrc *)&j->src[i];
    return NULL;
}

int stream_job_push(struct stream_job *j, const char *src, const char *line, size_t len)
{
    struct ssrc *s = source_named(j, src);
    if (!s || j->stopping || ssrc_queued(s) >= j->def->queue_cap)
        return -1;
    sbatch_push(&s->queue, NULL, json_stringn_nocheck(line, len));
    if (swal_append(s, &s->queue, s->queue.n - 1) == 0)
        return 0;
    s->queue.n--; /* not logged: not received */
    json_decref(s->queue.r[s->queue.n].val);
    return -1;
}

size_t stream_job_queued(const struct stream_job *j, const char *src)
{
    const struct ssrc *s = source_named(j, src);
    return s ? ssrc_queued(s) : 0;
}
