/* jobs.c - the gateway's streaming jobs on one thread (jobs.h). */
#include "jobs.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "apim_limits.h"
#include "log.h"
#include "loop.h"
#include "stream.h"

/* The longest the thread sleeps without looking at the clock. */
#define JOBS_MAX_WAIT_MS 1000

struct jent {
    char *name, *hash, *definition;
    size_t deflen;
    bool auto_start;
    struct stream_job *job; /* NULL unless running */
    FILE *out;              /* print output while running */
    char error[512];        /* why it failed to start, or "" */
    long long unprocessed;  /* records its last stop left unprocessed; -1: none yet */
};

struct jobs {
    pthread_mutex_t lock;
    pthread_t thread;
    bool thread_started, stop;
    struct loop loop;
    int wake_fd;
    struct loop_watch wake_w;
    char *state_dir;
    int gateway_port, admin_port;
    struct jent *v;
    size_t n;
};

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void wake(struct jobs *js)
{
    uint64_t one = 1;
    ssize_t w = write(js->wake_fd, &one, sizeof(one));
    (void)w; /* a full counter is still a wake-up */
}

static void on_wake(void *ctx, uint32_t events)
{
    struct jobs *js = ctx;
    uint64_t n;
    (void)events;
    ssize_t r = read(js->wake_fd, &n, sizeof(n));
    (void)r;
}

/* ---- one job ---- */

/* The port of a serve output's "HOST:PORT", or -1. */
static long listen_port(const char *listen)
{
    const char *colon = listen ? strrchr(listen, ':') : NULL;
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    return colon && *end == '\0' ? port : -1;
}

/* A serve output on the gateway's port or admin port: refused (two
 * listeners on one port would split the gateway's traffic with the job). */
static int check_ports(const struct jobs *js, const struct jent *e, char *err, size_t errlen)
{
    json_t *root = json_loadb(e->definition, e->deflen, 0, NULL), *o;
    size_t i;
    int rc = 0;
    json_array_foreach(json_object_get(root, "outputs"), i, o)
    {
        const char *listen = json_string_value(json_object_get(o, "listen"));
        long port = listen_port(listen);
        if (rc == 0 && port > 0 && (port == js->gateway_port || port == js->admin_port)) {
            snprintf(err, errlen, "serve output listens on '%s', the gateway's %s port", listen,
                     port == js->gateway_port ? "own" : "admin");
            rc = -1;
        }
    }
    json_decref(root);
    return rc;
}

static FILE *open_out(const struct jobs *js, const char *name)
{
    if (js->state_dir == NULL)
        return NULL;
    char path[4096];
    snprintf(path, sizeof(path), "%s/jobs", js->state_dir);
    (void)mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/jobs/%s.out", js->state_dir, name);
    FILE *f = fopen(path, "ae");
    if (f)
        setvbuf(f, NULL, _IOLBF, 0);
    else
        log_msg(LOG_LEVEL_WARN, "job=%s cannot open %s: %s; print goes to stderr", name, path,
                strerror(errno));
    return f;
}

static enum jobs_result start_one(struct jobs *js, struct jent *e)
{
    if (e->job)
        return JOBS_OK;
    char err[512] = "";
    struct stream_def *d = NULL;
    if (check_ports(js, e, err, sizeof(err)) == 0)
        d = stream_def_parse(e->definition, e->deflen, err, sizeof(err));
    if (d) {
        e->out = open_out(js, e->name);
        struct stream_env env = { &js->loop, e->out ? e->out : stderr, e->name, e->hash,
                                  js->state_dir };
        e->job = stream_job_new(d, &env, wall_ms(), err, sizeof(err));
    }
    if (e->job == NULL) {
        if (e->out)
            fclose(e->out);
        e->out = NULL;
        snprintf(e->error, sizeof(e->error), "%s", err);
        log_msg(LOG_LEVEL_ERROR, "job=%s event=failed cannot start: %s", e->name, err);
        return JOBS_FAILED;
    }
    e->error[0] = '\0';
    log_msg(LOG_LEVEL_INFO, "job=%s event=started hash=%.12s", e->name, e->hash);
    wake(js);
    return JOBS_OK;
}

/* Frees a job whose stop is over. */
static void finish_stop(struct jent *e)
{
    e->unprocessed = (long long)stream_job_unprocessed(e->job);
    stream_job_free(e->job);
    e->job = NULL;
    if (e->out)
        fclose(e->out);
    e->out = NULL;
    log_msg(LOG_LEVEL_INFO, "job=%s event=stopped unprocessed=%lld", e->name, e->unprocessed);
}

static int64_t run_due(struct jobs *js);

/* Stops the jobs of v[0..n) that have begun stopping, running every job
 * (this thread holds the lock, as the jobs thread does when it runs the
 * loop) until each has processed what it received or its stop.timeout has
 * passed. */
static void wait_stopped(struct jobs *js, struct jent *v, size_t n)
{
    for (;;) {
        int64_t next = run_due(js); /* v's jobs are among js's */
        bool busy = false;
        for (size_t i = 0; i < n; i++)
            busy = busy || (v[i].job && !stream_job_stopped(v[i].job));
        if (!busy)
            break;
        int64_t wait = next - wall_ms();
        if (loop_run_once(&js->loop, (int)(wait < 0 ? 0 : wait > 100 ? 100 : wait)) < 0)
            log_msg(LOG_LEVEL_ERROR, "jobs: epoll: %s", strerror(errno));
    }
    for (size_t i = 0; i < n; i++)
        if (v[i].job)
            finish_stop(&v[i]);
}

static void stop_one(struct jobs *js, struct jent *e)
{
    if (e->job == NULL)
        return;
    stream_job_stop(e->job, wall_ms());
    wait_stopped(js, e, 1);
}

static void release_one(struct jobs *js, struct jent *e)
{
    stop_one(js, e);
    free(e->name);
    free(e->hash);
    free(e->definition);
}

static struct jent *find(struct jobs *js, const char *name)
{
    for (size_t i = 0; i < js->n; i++)
        if (js->v[i].name && strcmp(js->v[i].name, name) == 0) /* NULL: moved on reload */
            return &js->v[i];
    return NULL;
}

/* ---- the thread ---- */

/* Runs what is due; the epoch ms of the next deadline. */
static int64_t run_due(struct jobs *js)
{
    int64_t now = wall_ms(), next = now + JOBS_MAX_WAIT_MS;
    for (size_t i = 0; i < js->n; i++) {
        if (js->v[i].job == NULL)
            continue;
        (void)stream_job_run_due(js->v[i].job, now);
        int64_t d = stream_job_next_deadline(js->v[i].job);
        next = d < next ? d : next;
    }
    return next;
}

static void *thread_main(void *arg)
{
    struct jobs *js = arg;
    pthread_mutex_lock(&js->lock);
    while (!js->stop) {
        int64_t wait = run_due(js) - wall_ms();
        pthread_mutex_unlock(&js->lock);
        /* The epoll fd is readable when a watch has an event: wait on it
         * without the lock, then run the watches with it. */
        struct pollfd pfd = { js->loop.epfd, POLLIN, 0 };
        (void)poll(&pfd, 1,
                   (int)(wait < 0                  ? 0
                         : wait > JOBS_MAX_WAIT_MS ? JOBS_MAX_WAIT_MS
                                                   : wait));
        pthread_mutex_lock(&js->lock);
        if (loop_run_once(&js->loop, 0) < 0)
            log_msg(LOG_LEVEL_ERROR, "jobs: epoll: %s", strerror(errno));
    }
    pthread_mutex_unlock(&js->lock);
    return NULL;
}

struct jobs *jobs_new(const char *state_dir, int gateway_port, int admin_port, char *err,
                      size_t errlen)
{
    struct jobs *js = xcalloc(1, sizeof(*js));
    pthread_mutex_init(&js->lock, NULL);
    js->state_dir = state_dir ? xstrdup(state_dir) : NULL;
    js->gateway_port = gateway_port;
    js->admin_port = admin_port;
    js->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    js->wake_w = (struct loop_watch){ on_wake, js };
    js->loop.epfd = -1;
    if (js->wake_fd < 0 || loop_init(&js->loop) < 0 ||
        loop_add(&js->loop, js->wake_fd, EPOLLIN, &js->wake_w) < 0 ||
        pthread_create(&js->thread, NULL, thread_main, js) != 0) {
        snprintf(err, errlen, "cannot start the jobs thread: %s", strerror(errno));
        jobs_free(js);
        return NULL;
    }
    js->thread_started = true;
    return js;
}

void jobs_free(struct jobs *js)
{
    if (js == NULL)
        return;
    pthread_mutex_lock(&js->lock);
    js->stop = true;
    for (size_t i = 0; i < js->n; i++) /* all stop together, each within its timeout */
        if (js->v[i].job)
            stream_job_stop(js->v[i].job, wall_ms());
    wait_stopped(js, js->v, js->n);
    for (size_t i = 0; i < js->n; i++)
        release_one(js, &js->v[i]);
    free(js->v);
    js->v = NULL;
    js->n = 0;
    pthread_mutex_unlock(&js->lock);
    if (js->thread_started) {
        wake(js);
        pthread_join(js->thread, NULL);
    }
    if (js->loop.epfd >= 0)
        loop_release(&js->loop);
    if (js->wake_fd >= 0)
        close(js->wake_fd);
    pthread_mutex_destroy(&js->lock);
    free(js->state_dir);
    free(js);
}

/* ---- reload ---- */

static struct jent entry_of(const struct plan_job *pj)
{
    struct jent e = { .auto_start = (pj->flags & PLAN_JOB_AUTO_START) != 0, .unprocessed = -1 };
    e.name = xmalloc(pj->name.len + 1);
    memcpy(e.name, pj->name.ptr, pj->name.len);
    e.name[pj->name.len] = '\0';
    e.hash = xmalloc(pj->hash.len + 1);
    memcpy(e.hash, pj->hash.ptr, pj->hash.len);
    e.hash[pj->hash.len] = '\0';
    e.definition = xmalloc(pj->definition.len + 1);
    memcpy(e.definition, pj->definition.ptr, pj->definition.len);
    e.definition[pj->definition.len] = '\0';
    e.deflen = pj->definition.len;
    return e;
}

/* The new entry for plan job pj, reusing the old one when unchanged. */
static void carry_over(struct jobs *js, struct jent *e, struct jent *old)
{
    bool start = e->auto_start;
    if (old && strcmp(old->hash, e->hash) == 0) {
        free(e->definition);
        free(e->name);
        free(e->hash);
        *e = *old; /* keeps running, untouched */
        old->name = old->hash = old->definition = NULL;
        old->job = NULL;
        old->out = NULL;
        return;
    }
    if (old) {
        start = start || old->job != NULL;
        log_msg(LOG_LEVEL_INFO, "job=%s event=changed hash=%.12s -> %.12s", e->name, old->hash,
                e->hash);
        stop_one(js, old);
    }
    if (start)
        (void)start_one(js, e); /* a failure is the job's error */
}

void jobs_apply(struct jobs *js, const struct plan *p)
{
    pthread_mutex_lock(&js->lock);
    size_t n = p->njobs < APIM_MAX_JOBS ? p->njobs : APIM_MAX_JOBS;
    struct jent *v = xcalloc(n ? n : 1, sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        v[i] = entry_of(&p->jobs[i]);
        carry_over(js, &v[i], find(js, v[i].name));
    }
    for (size_t i = 0; i < js->n; i++) { /* the removed ones (and moved-out shells) */
        if (js->v[i].name && js->v[i].job)
            log_msg(LOG_LEVEL_INFO, "job=%s event=removed", js->v[i].name);
        release_one(js, &js->v[i]);
    }
    free(js->v);
    js->v = v;
    js->n = n;
    pthread_mutex_unlock(&js->lock);
    wake(js);
}

/* ---- control and status ---- */

/* A new reference to st's member key, or dflt (taken) when st has none. */
static json_t *member(json_t *st, const char *key, json_t *dflt)
{
    json_t *v = json_object_get(st, key);
    if (v == NULL)
        return dflt;
    json_decref(dflt);
    return json_incref(v);
}

static json_t *summary(const struct jent *e)
{
    const char *state = e->job ? "running" : e->error[0] ? "failed" : "stopped";
    json_t *st = e->job ? stream_job_status(e->job) : NULL;
    json_t *o = json_pack("{s:s, s:s, s:b, s:s, s:s}", "name", e->name, "state", state, "autoStart",
                          e->auto_start, "hash", e->hash, "error", e->error);
    json_object_set_new(o, "batches", member(st, "batches", json_integer(0)));
    json_object_set_new(o, "batchTime", member(st, "batchTime", json_null()));
    json_object_set_new(o, "numInputRecords", member(st, "numInputRecords", json_integer(0)));
    json_object_set_new(o, "lastError", member(st, "lastError", json_string("")));
    json_object_set_new(o, "unprocessed",
                        e->job                ? member(st, "unprocessed", json_integer(0))
                        : e->unprocessed >= 0 ? json_integer(e->unprocessed)
                                              : json_null());
    json_decref(st);
    return o;
}

json_t *jobs_list_json(struct jobs *js)
{
    json_t *a = json_array();
    if (js == NULL)
        return a;
    pthread_mutex_lock(&js->lock);
    for (size_t i = 0; i < js->n; i++)
        json_array_append_new(a, summary(&js->v[i]));
    pthread_mutex_unlock(&js->lock);
    return a;
}

json_t *jobs_get_json(struct jobs *js, const char *name)
{
    if (js == NULL)
        return NULL;
    pthread_mutex_lock(&js->lock);
    struct jent *e = find(js, name);
    json_t *o = e ? summary(e) : NULL;
    if (e && e->job) {
        json_t *st = stream_job_status(e->job);
        json_object_set(o, "status", st);
        json_decref(st);
        json_t *latest = stream_job_latest(e->job);
        json_object_set_new(o, "latest", latest ? latest : json_null());
    }
    pthread_mutex_unlock(&js->lock);
    return o;
}

enum jobs_result jobs_start(struct jobs *js, const char *name, char *msg, size_t msglen)
{
    if (js == NULL)
        return JOBS_NOT_FOUND;
    pthread_mutex_lock(&js->lock);
    struct jent *e = find(js, name);
    enum jobs_result r = JOBS_NOT_FOUND;
    if (e) {
        bool was = e->job != NULL;
        r = start_one(js, e);
        snprintf(msg, msglen, "%s",
                 r == JOBS_FAILED ? e->error
                 : was            ? "already running"
                                  : "started");
    }
    pthread_mutex_unlock(&js->lock);
    return r;
}

enum jobs_result jobs_stop(struct jobs *js, const char *name, char *msg, size_t msglen)
{
    if (js == NULL)
        return JOBS_NOT_FOUND;
    pthread_mutex_lock(&js->lock);
    struct jent *e = find(js, name);
    if (e) {
        snprintf(msg, msglen, "%s", e->job ? "stopped" : "already stopped");
        stop_one(js, e);
        e->error[0] = '\0';
        if (e->unprocessed > 0)
            snprintf(msg, msglen, "stopped, %lld records received were not processed",
                     e->unprocessed);
    }
    pthread_mutex_unlock(&js->lock);
    if (e)
        wake(js);
    return e ? JOBS_OK : JOBS_NOT_FOUND;
}
