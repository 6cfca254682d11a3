/* cli_gateway.c - apim gateway start|stop: a gateway per name, in the
 * background by default (or in this process with --foreground), its state
 * in $APIM_HOME/gateways/NAME/. status and list: cli_gateway_info.c. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_cmd.h"
#include "compile.h"
#include "gateway.h"
#include "log.h"
#include "loop.h"

#ifndef APIM_VERSION
#define APIM_VERSION "0.0.0"
#endif

static long read_pid(const char *dir)
{
    char path[4300], text[32] = "";
    snprintf(path, sizeof(path), "%s/pid", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    char *end;
    long pid = strtol(text, &end, 10);
    return end != text && pid > 1 ? pid : -1;
}

/* ---- start ---- */

struct start_opts {
    struct cli_config cfg;
    const char *name, *resource_group, *host;
    long port, admin_port, threads, backend_timeout_s, drain_timeout_s;
    long header_timeout_s, body_timeout_s, connection_limit;
    long backend_idle_s, body_memory_mib;
    bool watch, foreground;
};

static int parse_start(const struct cli_args *a, struct start_opts *o)
{
    int rc = cli_config_from_args(a, &o->cfg);
    if (rc != 0)
        return rc;
    o->name = cli_arg(a, CLI_OPT_GATEWAY_NAME);
    if (!cli_config_gateway_name_ok(o->name))
        return cli_usage_error(a->cmd, "'%s' is not a usable gateway name", o->name);
    o->cfg.gateway_name = o->name;
    o->resource_group = cli_arg(a, CLI_OPT_RESOURCE_GROUP);
    o->host = cli_arg(a, CLI_OPT_HOST);
    o->port = cli_number(a, CLI_OPT_PORT, 8080);
    o->admin_port = cli_number(a, CLI_OPT_ADMIN_PORT, 0);
    o->threads = cli_number(a, CLI_OPT_THREADS, 0);
    o->backend_timeout_s = cli_number(a, CLI_OPT_BACKEND_TIMEOUT, 300);
    o->drain_timeout_s = cli_number(a, CLI_OPT_DRAIN_TIMEOUT, 30);
    o->header_timeout_s = cli_number(a, CLI_OPT_HEADER_TIMEOUT, 60);
    o->body_timeout_s = cli_number(a, CLI_OPT_BODY_TIMEOUT, 60);
    o->connection_limit = cli_number(a, CLI_OPT_CONNECTION_LIMIT, 0);
    o->backend_idle_s = cli_number(a, CLI_OPT_BACKEND_IDLE_TIMEOUT, 60);
    o->body_memory_mib = cli_number(a, CLI_OPT_BODY_MEMORY, 256);
    o->watch = cli_flag(a, CLI_OPT_WATCH);
    o->foreground = cli_flag(a, CLI_OPT_FOREGROUND);
    return 0;
}

static int build_again(void *ctx, struct buf *plan, struct buf *messages)
{
    return cli_config_build(ctx, plan, messages);
}

/* The files whose change means a reload: the configs, parameter files and
 * the APIOps configuration (of a folder, only its own entries are seen). */
static const char **watch_list(const struct start_opts *o)
{
    const char **files = xcalloc(o->cfg.nparameters + o->cfg.npaths + 2, sizeof(*files));
    size_t n = 0;
    if (o->cfg.configuration)
        files[n++] = o->cfg.configuration;
    for (size_t i = 0; i < o->cfg.npaths; i++)
        files[n++] = o->cfg.paths[i];
    for (size_t i = 0; i < o->cfg.nparameters; i++) {
        const char *p = o->cfg.parameters[i];
        if (p[0] == '@')
            files[n++] = p + 1;
        else if (strchr(p, '=') == NULL)
            files[n++] = p;
    }
    return files;
}

/* Reads the child's one line ("ready URL ADMIN" or "error MESSAGE"). */
static int wait_ready(int fd, char *line, size_t len)
{
    size_t n = 0;
    int64_t deadline = loop_now_ms() + 60000;
    while (n + 1 < len) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        int64_t left = deadline - loop_now_ms();
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            break;
        ssize_t r = read(fd, line + n, 1);
        if (r <= 0 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
    return strncmp(line, "ready ", 6) == 0 ? 0 : -1;
}

static void print_started(const struct start_opts *o, const char *dir, const char *line, long pid)
{
    char url[512] = "", admin[512] = "";
    sscanf(line, "ready %511s %511s", url, admin);
    printf("gateway '%s' is running at %s (pid %ld)\n", o->name, url, pid);
    printf("  admin: %s/status  %s/metrics\n", admin, admin);
    printf("  state: %s\n", dir);
    printf("  stop:  apim gateway stop --gateway-name %s\n", o->name);
}

/* The background gateway keeps nothing its caller left open (a test
 * waiting for EOF on a pipe would wait for ever) but its lock and the
 * readiness pipe. */
static void close_inherited(int keep1, int keep2)
{
    int lo = keep1 < keep2 ? keep1 : keep2, hi = keep1 < keep2 ? keep2 : keep1;
    if (lo > 3)
        close_range(3, (unsigned)lo - 1, 0);
    if (hi > lo + 1)
        close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
    close_range((unsigned)hi + 1, ~0u, 0);
}

/* Runs the gateway in a child that leaves the terminal; returns once it
 * says it serves (or why it cannot). */
static int start_background(struct start_opts *o, struct gateway_options *go, const char *dir,
                            int lock, void *plan, size_t len)
{
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        fprintf(stderr, "apim: cannot start the gateway: %s\n", strerror(errno));
        free(plan);
        return CLI_RUNTIME;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "apim: cannot start the gateway: %s\n", strerror(errno));
        free(plan);
        return CLI_RUNTIME;
    }
    if (pid == 0) {
        close(pfd[0]);
        setsid();
        close_inherited(lock, pfd[1]);
        char logpath[4300];
        snprintf(logpath, sizeof(logpath), "%s/gateway.log", dir);
        int in = open("/dev/null", O_RDONLY);
        int log = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (in < 0 || log < 0 || dup2(in, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
            _exit(CLI_RUNTIME);
        close(in);
        close(log);
        go->ready_fd = pfd[1];
        char err[1024];
        int rc = gateway_run(go, plan, len, err, sizeof(err));
        if (rc != 0)
            log_msg(LOG_LEVEL_ERROR, "the gateway did not start: %s", err);
        _exit(rc);
    }
    close(pfd[1]);
    char line[1200];
    int ok = wait_ready(pfd[0], line, sizeof(line));
    close(pfd[0]);
    if (ok != 0) {
        free(plan);
        fprintf(stderr, "apim: gateway '%s' did not start: %s\n  (log: %s/gateway.log)\n", o->name,
                strncmp(line, "error ", 6) == 0 ? line + 6 : "it stopped without saying why", dir);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return CLI_RUNTIME;
    }
    print_started(o, dir, line, (long)pid);
    cli_config_print_closed(plan, len, stdout);
    free(plan);
    return CLI_OK;
}

static void remove_stale_pid(const char *dir)
{
    char path[4300];
    snprintf(path, sizeof(path), "%s/pid", dir);
    unlink(path);
}

static int already_running(const char *name, const char *dir)
{
    json_t *info = cli_config_read_json(dir, "gateway.json");
    fprintf(stderr, "apim: gateway '%s' is already running (pid %ld, %s)\n", name, read_pid(dir),
            info ? cli_output_str(info, "url") : "?");
    fprintf(stderr, "stop it first: apim gateway stop --gateway-name %s\n", name);
    json_decref(info);
    return CLI_RUNTIME;
}

/* Creates and locks the state folder: the lock's fd, or -1 with the exit
 * status in *rc. */
static int lock_state(const struct start_opts *o, char *dir, size_t len, int *rc)
{
    if (cli_config_gateway_dir(o->name, dir, len) != 0 || cli_config_mkdirs(dir) != 0) {
        fprintf(stderr, "apim: cannot create the state folder for '%s': %s\n", o->name,
                strerror(errno));
        *rc = CLI_RUNTIME;
        return -1;
    }
    int lock = cli_config_lock(dir, true);
    if (lock == -2)
        *rc = already_running(o->name, dir);
    else if (lock < 0)
        fprintf(stderr, "apim: cannot lock %s/lock: %s\n", dir, strerror(errno));
    if (lock < 0) {
        *rc = lock == -2 ? *rc : CLI_RUNTIME;
        return -1;
    }
    remove_stale_pid(dir); /* a crashed gateway's: never signal what it names */
    return lock;
}

/* The first plan; its diagnostics (warnings too) on stderr. */
static void *first_plan(const struct start_opts *o, size_t *len)
{
    struct buf plan, messages;
    buf_init(&plan, PLAN_MAX_SIZE);
    buf_init(&messages, 64u << 20);
    int rc = cli_config_build(&o->cfg, &plan, &messages);
    fputs(messages.data ? messages.data : "", stderr);
    buf_release(&messages);
    if (rc != 0) {
        char names[1024];
        fprintf(stderr, "apim: '%s' has errors; gateway '%s' was not started\n",
                cli_config_names(&o->cfg, names, sizeof(names)), o->name);
        buf_release(&plan);
        return NULL;
    }
    return buf_steal(&plan, len);
}

static int run_foreground(const struct start_opts *o, struct gateway_options *go, void *plan,
                          size_t len)
{
    char err[1024];
    go->log_to_stdout = true;
    /* stdout carries JSON lines only: the closed operations go with the log */
    cli_config_print_closed(plan, len, stderr);
    int rc = gateway_run(go, plan, len, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "apim: gateway '%s' did not start: %s\n", o->name, err);
    return rc ? CLI_RUNTIME : CLI_OK;
}

static struct gateway_options gateway_options_of(struct start_opts *o, const char *dir,
                                                 const char **watch, const char *config)
{
    return (struct gateway_options){
        .name = o->name,
        .host = o->host,
        .port = (int)o->port,
        .admin_port = (int)o->admin_port,
        .threads = (unsigned)o->threads,
        .backend_timeout_ms = o->backend_timeout_s * 1000,
        .drain_timeout_ms = o->drain_timeout_s * 1000,
        .header_timeout_ms = o->header_timeout_s * 1000,
        .body_timeout_ms = o->body_timeout_s * 1000,
        .connection_limit = (unsigned)o->connection_limit,
        .backend_idle_s = o->backend_idle_s,
        .body_memory = (size_t)o->body_memory_mib << 20,
        .state_dir = dir,
        .config = config,
        .resource_group = o->resource_group,
        .watch_files = watch,
        .watch = o->watch,
        .build = build_again,
        .build_ctx = &o->cfg,
        .ready_fd = -1,
        .version = APIM_VERSION,
    };
}

int cli_gateway_start(const struct cli_args *a)
{
    struct start_opts o;
    int rc = parse_start(a, &o);
    if (rc != 0)
        return rc;
    char dir[4096], config[4096]; /* PATH_MAX: <limits.h> is shadowed by ours */
    int lock = lock_state(&o, dir, sizeof(dir), &rc);
    if (lock < 0)
        return rc;
    /* Absolute config paths: the background gateway reloads from another
     * working folder. */
    char *owned[CLI_MAX_CONFIGS] = { NULL };
    for (size_t i = 0; i < o.cfg.npaths; i++)
        if ((owned[i] = realpath(o.cfg.paths[i], NULL)) != NULL)
            o.cfg.paths[i] = owned[i];
    size_t len;
    void *plan = first_plan(&o, &len);
    rc = CLI_FAILED;
    if (plan) {
        const char **watch = watch_list(&o);
        struct gateway_options go =
            gateway_options_of(&o, dir, watch, cli_config_names(&o.cfg, config, sizeof(config)));
        if (o.foreground)
            rc = run_foreground(&o, &go, plan, len);
        else
            rc = start_background(&o, &go, dir, lock, plan, len);
        free(watch);
    }
    for (size_t i = 0; i < o.cfg.npaths; i++)
        free(owned[i]);
    close(lock);
    return rc;
}

/* ---- stop ---- */

static bool wait_stopped(const char *dir, int64_t ms)
{
    int64_t deadline = loop_now_ms() + ms;
    while (cli_config_running(dir)) {
        if (loop_now_ms() >= deadline)
            return false;
        usleep(20000);
    }
    return true;
}

int cli_gateway_stop(const struct cli_args *a)
{
    const char *name = cli_arg(a, CLI_OPT_GATEWAY_NAME);
    long timeout = cli_number(a, CLI_OPT_TIMEOUT, -1);
    char dir[4096];
    int rc = cli_config_running_gateway(a, dir, sizeof(dir));
    if (rc != 0)
        return rc;
    if (timeout < 0) { /* the gateway's own drain timeout, and time to exit */
        json_t *info = cli_config_read_json(dir, "gateway.json");
        json_t *drain = json_object_get(info, "drainTimeoutSeconds");
        timeout = (json_is_integer(drain) ? (long)json_integer_value(drain) : 30) + 10;
        json_decref(info);
    }
    long pid = read_pid(dir);
    if (pid <= 0 || kill((pid_t)pid, SIGTERM) != 0) {
        fprintf(stderr, "apim: cannot signal gateway '%s' (pid file %s/pid)\n", name, dir);
        return CLI_RUNTIME;
    }
    if (!wait_stopped(dir, timeout * 1000)) {
        fprintf(stderr, "apim: gateway '%s' did not stop within %ld s; killing it\n", name,
                timeout);
        kill((pid_t)pid, SIGKILL);
        if (!wait_stopped(dir, 5000)) {
            fprintf(stderr, "apim: gateway '%s' (pid %ld) is still running\n", name, pid);
            return CLI_RUNTIME;
        }
        char path[4300];
        snprintf(path, sizeof(path), "%s/pid", dir);
        unlink(path);
    }
    printf("gateway '%s' stopped\n", name);
    return CLI_OK;
}
