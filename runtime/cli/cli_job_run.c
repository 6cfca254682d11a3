/* cli_job.c - apim job run: one streaming job in the foreground, on one
 * epoll loop, until SIGINT or SIGTERM (then a graceful stop: the records
 * already received are processed, for at most stop.timeout, unless the
 * definition says stop.graceful false). The engine takes the wall clock from here (house
 * rule: only cli.c-side code and server.c read the clock). The job comes
 * from a configuration (--config: compiled, checked and reported as apim
 * validate does; its canonical definition and hash as the plan stores
 * them), or from a canonical definition file (--definition), hashed as the
 * plan would hash it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_cmd.h"
#include "compile.h"
#include "loop.h"
#include "stream.h"
#include "stream_decl.h"

#define JOB_MAX_DEFINITION (1024 * 1024)

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *read_definition(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "apim: cannot read '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    char *text = xmalloc(JOB_MAX_DEFINITION + 1);
    *len = fread(text, 1, JOB_MAX_DEFINITION + 1, f);
    fclose(f);
    if (*len > JOB_MAX_DEFINITION) {
        fprintf(stderr, "apim: '%s': a definition is at most %d bytes\n", path, JOB_MAX_DEFINITION);
        free(text);
        return NULL;
    }
    text[*len] = '\0';
    return text;
}

/* The job's name: the argument, or the file name without .json. */
static void job_name(const struct cli_args *a, const char *path, char *out, size_t n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (a->npos > 0)
        snprintf(out, n, "%s", a->pos[0]);
    else
        snprintf(out, n, "%.*s", (int)strcspn(base, "."), base);
}

struct sigwatch {
    struct loop_watch w;
    int fd;
    bool stop;
};

static void on_signal(void *ctx, uint32_t events)
{
    struct sigwatch *s = ctx;
    struct signalfd_siginfo si;
    (void)events;
    if (read(s->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
        s->stop = true;
}

/* Runs the job until a signal, then until its stop is over (the batches a
 * graceful stop still runs, at most stop.timeout). */
static int run_loop(struct loop *l, struct stream_job *j, struct sigwatch *sig)
{
    while (!stream_job_stopped(j)) {
        if (sig->stop)
            stream_job_stop(j, wall_ms()); /* once; again is a no-op */
        stream_job_run_due(j, wall_ms());
        if (stream_job_stopped(j))
            break;
        int64_t wait = stream_job_next_deadline(j) - wall_ms();
        if (loop_run_once(l, (int)(wait < 0 ? 0 : wait > 1000 ? 1000 : wait)) < 0)
            return CLI_FAILED;
    }
    return CLI_OK;
}

static int run_job(struct stream_def *d, const char *name, const char *hash)
{
    struct loop l;
    struct sigwatch sig = { .w = { on_signal, &sig } };
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sig.fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (loop_init(&l) < 0 || sig.fd < 0 || loop_add(&l, sig.fd, EPOLLIN, &sig.w) < 0) {
        fprintf(stderr, "apim: cannot set up the event loop: %s\n", strerror(errno));
        stream_def_free(d);
        return CLI_FAILED;
    }
    char err[512] = "";
    struct stream_env env = { &l, stdout, name, hash, NULL };
    struct stream_job *j = stream_job_new(d, &env, wall_ms(), err, sizeof(err));
    int rc = CLI_FAILED;
    if (!j)
        fprintf(stderr, "apim: job '%s': %s\n", name, err);
    else {
        fprintf(stderr, "job '%s' running (first batch at %lld)\n", name,
                (long long)stream_job_next_deadline(j));
        rc = run_loop(&l, j, &sig);
    }
    stream_job_free(j);
    close(sig.fd);
    loop_release(&l);
    return rc;
}

static int run_from_config(const struct cli_args *a)
{
    struct cli_config cfg;
    int rc = cli_config_from_args(a, &cfg);
    if (rc != 0)
        return rc;
    struct compiler c;
    cli_config_compile(&cfg, &c);
    const struct stream_job *j = NULL;
    if (cli_config_report_listing(&cfg, &c) == 0)
        j = cli_job_pick(&c, a->npos > 0 ? a->pos[0] : NULL);
    struct stream_def *d = NULL;
    char err[512] = "", name[256], hash[65];
    if (j) {
        d = stream_def_parse(j->definition, j->definition_len, err, sizeof(err));
        snprintf(name, sizeof(name), "%s", j->name);
        snprintf(hash, sizeof(hash), "%s", j->hash);
        if (!d)
            fprintf(stderr, "apim: job '%s': %s\n", j->name, err);
    }
    compiler_release(&c);
    return d ? run_job(d, name, hash) : CLI_FAILED;
}

int cli_job_run(const struct cli_args *a)
{
    const char *path = cli_arg(a, CLI_OPT_DEFINITION);
    if (path == NULL && cli_arg(a, CLI_OPT_CONFIG) == NULL) {
        fputs("apim: job run needs --config (or --definition)\n", stderr);
        return CLI_USAGE;
    }
    if (path == NULL)
        return run_from_config(a);
    size_t len;
    char *text = read_definition(path, &len), err[512] = "", name[256], hash[65];
    if (!text)
        return CLI_FAILED;
    struct stream_def *d = stream_def_parse(text, len, err, sizeof(err));
    stream_def_hash(text, len, hash);
    free(text);
    if (!d) {
        fprintf(stderr, "apim: %s: %s\n", path, err);
        return CLI_FAILED;
    }
    job_name(a, path, name, sizeof(name));
    return run_job(d, name, hash);
}
