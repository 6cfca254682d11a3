/* cli_gateway.c - apim gateway start|stop|status|list: a gateway per name,
 * in the background by default, its state in $APIM_HOME/gateways/NAME/. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "compile.h"
#include "gateway.h"
#include "log.h"
#include "loop.h"
#include "proxy.h"

#ifndef APIM_VERSION
#define APIM_VERSION "0.0.0"
#endif

static const char gateway_usage[] =
    "usage: apim gateway start --gateway-name NAME --config FILE [options]\n"
    "       apim gateway stop --gateway-name NAME [--timeout SECONDS]\n"
    "                 (default: the gateway's --drain-timeout + 10 s, then SIGKILL)\n"
    "       apim gateway status --gateway-name NAME [--output table|json]\n"
    "       apim gateway list [--output table|json|tsv]\n"
    "\n"
    "Runs a configuration as API Management's gateway would, on this machine.\n"
    "State (pid, ports, logs, the plan) is kept in $APIM_HOME/gateways/NAME/\n"
    "($APIM_HOME defaults to ~/.apimlocal).\n"
    "\n"
    "start options:\n"
    "  -n, --gateway-name NAME   the gateway's name (letters, digits, '.', '_', '-')\n"
    "  -c, --config FILE         an ARM template, the seed's API document, an APIOps\n"
    "                            artifact folder, or a .plan file\n"
    "      --configuration FILE  an APIOps folder's publisher configuration\n"
    "                            (default: $CONFIGURATION_YAML_PATH)\n"
    "  -p, --parameters ARG      parameter values: @FILE, FILE or NAME=VALUE (repeatable)\n"
    "  -g, --resource-group RG   accepted for az compatibility; shown by 'list'\n"
    "      --api-name API        serve only this API (all its versions and revisions)\n"
    "      --service NAME        the API Management service, if the template has several;\n"
    "                            an APIOps folder's service (also --service-name)\n"
    "      --port N              client port (default 8080; 0 picks a free one)\n"
    "      --host ADDR           where to listen (default 127.0.0.1)\n"
    "      --admin-port N        the /status and /metrics port on 127.0.0.1 (default: a free one)\n"
    "      --threads N           worker threads (default: one per CPU)\n"
    "      --backend-timeout S   seconds before a backend call fails (default 300, as\n"
    "                            forward-request's timeout)\n"
    "      --drain-timeout S     seconds 'stop' waits for requests in flight (default 30)\n"
    "      --watch               reload when the configuration files change\n"
    "      --strict              treat warnings as errors\n"
    "      --foreground          stay in the foreground, logging to stderr\n";

/* ---- small helpers ---- */

static int parse_number(const char *cmd, const char *opt, const char *arg, long min, long max,
                        long *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < min || v > max)
        return cli_usage_error(cmd, "%s wants a number from %ld to %ld, not '%s'", opt, min, max,
                               arg);
    *out = v;
    return 0;
}

static json_t *read_json_file(const char *dir, const char *file)
{
    char path[4300];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    return json_load_file(path, 0, NULL);
}

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

static const char *json_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* ---- start ---- */

struct start_opts {
    struct cli_config cfg;
    const char *name, *resource_group, *host;
    long port, admin_port, threads, backend_timeout_s, drain_timeout_s;
    bool watch, foreground;
    char *params[64];
};

enum {
    OPT_API_NAME = 256,
    OPT_SERVICE,
    OPT_PORT,
    OPT_HOST,
    OPT_ADMIN_PORT,
    OPT_THREADS,
    OPT_BACKEND_TIMEOUT,
    OPT_DRAIN_TIMEOUT,
    OPT_WATCH,
    OPT_STRICT,
    OPT_FOREGROUND,
    OPT_TIMEOUT,
    OPT_OUTPUT,
    OPT_CONFIGURATION
};

static const struct option start_longopts[] = {
    { "gateway-name", required_argument, NULL, 'n' },
    { "config", required_argument, NULL, 'c' },
    { "parameters", required_argument, NULL, 'p' },
    { "resource-group", required_argument, NULL, 'g' },
    { "api-name", required_argument, NULL, OPT_API_NAME },
    { "service", required_argument, NULL, OPT_SERVICE },
    { "service-name", required_argument, NULL, OPT_SERVICE },
    { "configuration", required_argument, NULL, OPT_CONFIGURATION },
    { "port", required_argument, NULL, OPT_PORT },
    { "host", required_argument, NULL, OPT_HOST },
    { "admin-port", required_argument, NULL, OPT_ADMIN_PORT },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "backend-timeout", required_argument, NULL, OPT_BACKEND_TIMEOUT },
    { "drain-timeout", required_argument, NULL, OPT_DRAIN_TIMEOUT },
    { "watch", no_argument, NULL, OPT_WATCH },
    { "strict", no_argument, NULL, OPT_STRICT },
    { "foreground", no_argument, NULL, OPT_FOREGROUND },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static int add_parameter(struct start_opts *o, char *arg)
{
    struct compiler probe;
    compiler_init(&probe);
    int bad = compiler_add_parameters(&probe, arg);
    compiler_release(&probe);
    if (bad)
        return cli_usage_error("gateway", "--parameters '%s': expected @FILE, FILE or NAME=VALUE",
                               arg);
    if (o->cfg.nparameters == sizeof(o->params) / sizeof(o->params[0]))
        return cli_usage_error("gateway", "too many --parameters");
    o->params[o->cfg.nparameters++] = arg;
    return 0;
}

static int start_option(struct start_opts *o, int ch, char *arg)
{
    switch (ch) {
    case 'n':
        o->name = arg;
        return 0;
    case 'c':
        o->cfg.path = arg;
        return 0;
    case 'p':
        return add_parameter(o, arg);
    case 'g':
        o->resource_group = arg;
        return 0;
    case OPT_API_NAME:
        o->cfg.api_name = arg;
        return 0;
    case OPT_SERVICE:
        o->cfg.service = arg;
        return 0;
    case OPT_CONFIGURATION:
        o->cfg.configuration = arg;
        return 0;
    case OPT_PORT:
        return parse_number("gateway", "--port", arg, 0, 65535, &o->port);
    case OPT_HOST:
        o->host = arg;
        return 0;
    case OPT_ADMIN_PORT:
        return parse_number("gateway", "--admin-port", arg, 0, 65535, &o->admin_port);
    case OPT_THREADS:
        return parse_number("gateway", "--threads", arg, 0, 64, &o->threads);
    case OPT_BACKEND_TIMEOUT:
        return parse_number("gateway", "--backend-timeout", arg, 1, 3600, &o->backend_timeout_s);
    case OPT_DRAIN_TIMEOUT:
        return parse_number("gateway", "--drain-timeout", arg, 0, 3600, &o->drain_timeout_s);
    case OPT_WATCH:
        o->watch = true;
        return 0;
    case OPT_STRICT:
        o->cfg.strict = true;
        return 0;
    case OPT_FOREGROUND:
        o->foreground = true;
        return 0;
    }
    return -1;
}

static int parse_start(int argc, char **argv, struct start_opts *o)
{
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":n:c:p:g:h", start_longopts, NULL)) != -1) {
        if (ch == 'h') {
            fputs(gateway_usage, stdout);
            return -1;
        }
        if (ch == ':')
            return cli_usage_error("gateway", "option '%s' needs a value", argv[optind - 1]);
        if (ch == '?')
            return cli_usage_error("gateway", "unknown option '%s'", argv[optind - 1]);
        int rc = start_option(o, ch, optarg);
        if (rc != 0)
            return rc;
    }
    if (optind < argc)
        return cli_usage_error("gateway", "unexpected argument '%s'", argv[optind]);
    if (o->name == NULL)
        return cli_usage_error("gateway", "no --gateway-name given");
    if (!cli_gateway_name_ok(o->name))
        return cli_usage_error("gateway", "'%s' is not a usable gateway name", o->name);
    if (o->cfg.path == NULL)
        return cli_usage_error("gateway", "no --config FILE given");
    o->cfg.parameters = o->params;
    o->cfg.gateway_name = o->name;
    return 0;
}

static int build_again(void *ctx, struct buf *plan, struct buf *messages)
{
    return cli_config_build(ctx, plan, messages);
}

/* The files whose change means a reload: the config, parameter files and
 * the APIOps configuration (of a folder, only its own entries are seen). */
static const char **watch_list(const struct start_opts *o)
{
    const char **files = xcalloc(o->cfg.nparameters + 3, sizeof(*files));
    size_t n = 0;
    files[n++] = o->cfg.path;
    if (o->cfg.configuration)
        files[n++] = o->cfg.configuration;
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
        return CLI_RUNTIME;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "apim: cannot start the gateway: %s\n", strerror(errno));
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
            log_msg(LOG_ERROR, "the gateway did not start: %s", err);
        _exit(rc);
    }
    close(pfd[1]);
    free(plan);
    char line[1200];
    int ok = wait_ready(pfd[0], line, sizeof(line));
    close(pfd[0]);
    if (ok != 0) {
        fprintf(stderr, "apim: gateway '%s' did not start: %s\n  (log: %s/gateway.log)\n", o->name,
                strncmp(line, "error ", 6) == 0 ? line + 6 : "it stopped without saying why", dir);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return CLI_RUNTIME;
    }
    print_started(o, dir, line, (long)pid);
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
    json_t *info = read_json_file(dir, "gateway.json");
    fprintf(stderr, "apim: gateway '%s' is already running (pid %ld, %s)\n", name, read_pid(dir),
            info ? json_str(info, "url") : "?");
    fprintf(stderr, "stop it first: apim gateway stop --gateway-name %s\n", name);
    json_decref(info);
    return CLI_RUNTIME;
}

static int gateway_start(int argc, char **argv)
{
    struct start_opts o = {
        .host = "127.0.0.1", .port = 8080, .backend_timeout_s = 300, .drain_timeout_s = 30
    };
    int rc = parse_start(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    char dir[4096], config[4096]; /* PATH_MAX: <limits.h> is shadowed by ours */
    if (cli_gateway_dir(o.name, dir, sizeof(dir)) != 0 || cli_mkdirs(dir) != 0) {
        fprintf(stderr, "apim: cannot create the state folder for '%s': %s\n", o.name,
                strerror(errno));
        return CLI_RUNTIME;
    }
    int lock = cli_gateway_lock(dir, true);
    if (lock == -2)
        return already_running(o.name, dir);
    if (lock < 0) {
        fprintf(stderr, "apim: cannot lock %s/lock: %s\n", dir, strerror(errno));
        return CLI_RUNTIME;
    }
    remove_stale_pid(dir); /* a crashed gateway's: never signal what it names */
    if (realpath(o.cfg.path, config))
        o.cfg.path = config;
    struct buf plan, messages;
    buf_init(&plan, PLAN_MAX_SIZE);
    buf_init(&messages, 64u << 20);
    rc = cli_config_build(&o.cfg, &plan, &messages);
    fputs(messages.data ? messages.data : "", stderr);
    buf_release(&messages);
    if (rc != 0) {
        fprintf(stderr, "apim: '%s' has errors; gateway '%s' was not started\n", o.cfg.path,
                o.name);
        buf_release(&plan);
        close(lock);
        return CLI_FAILED;
    }
    const char **watch = watch_list(&o);
    struct gateway_options go = {
        .name = o.name,
        .host = o.host,
        .port = (int)o.port,
        .admin_port = (int)o.admin_port,
        .threads = (unsigned)o.threads,
        .backend_timeout_ms = o.backend_timeout_s * 1000,
        .drain_timeout_ms = o.drain_timeout_s * 1000,
        .state_dir = dir,
        .config = o.cfg.path,
        .resource_group = o.resource_group,
        .watch_files = watch,
        .watch = o.watch,
        .build = build_again,
        .build_ctx = &o.cfg,
        .ready_fd = -1,
        .version = APIM_VERSION,
    };
    size_t len;
    void *bytes = buf_steal(&plan, &len);
    if (o.foreground) {
        char err[1024];
        rc = gateway_run(&go, bytes, len, err, sizeof(err));
        if (rc != 0)
            fprintf(stderr, "apim: gateway '%s' did not start: %s\n", o.name, err);
        rc = rc ? CLI_RUNTIME : CLI_OK;
    } else {
        rc = start_background(&o, &go, dir, lock, bytes, len);
    }
    free(watch);
    close(lock);
    return rc;
}

/* ---- stop ---- */

static int parse_name_opts(int argc, char **argv, const char **name, long *timeout,
                           enum cli_rows_format *format)
{
    static const struct option longopts[] = {
        { "gateway-name", required_argument, NULL, 'n' },
        { "timeout", required_argument, NULL, OPT_TIMEOUT },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":n:o:h", longopts, NULL)) != -1) {
        if (ch == 'h') {
            fputs(gateway_usage, stdout);
            return -1;
        }
        if (ch == 'n') {
            *name = optarg;
        } else if (ch == OPT_TIMEOUT && timeout) {
            if (parse_number("gateway", "--timeout", optarg, 1, 3600, timeout) != 0)
                return CLI_USAGE;
        } else if (ch == 'o' && format) {
            if (cli_parse_rows_format(optarg, format) != 0)
                return cli_usage_error("gateway", "--output '%s': use table, json or tsv", optarg);
        } else if (ch == ':') {
            return cli_usage_error("gateway", "option '%s' needs a value", argv[optind - 1]);
        } else {
            return cli_usage_error("gateway", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("gateway", "unexpected argument '%s'", argv[optind]);
    if (name && *name == NULL)
        return cli_usage_error("gateway", "no --gateway-name given");
    if (name && !cli_gateway_name_ok(*name))
        return cli_usage_error("gateway", "'%s' is not a usable gateway name", *name);
    return 0;
}

static bool wait_stopped(const char *dir, int64_t ms)
{
    int64_t deadline = loop_now_ms() + ms;
    while (cli_gateway_running(dir)) {
        if (loop_now_ms() >= deadline)
            return false;
        usleep(20000);
    }
    return true;
}

static int gateway_stop(int argc, char **argv)
{
    const char *name = NULL;
    long timeout = -1;
    int rc = parse_name_opts(argc, argv, &name, &timeout, NULL);
    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    char dir[4096];
    if (cli_gateway_dir(name, dir, sizeof(dir)) != 0 || !cli_gateway_running(dir)) {
        fprintf(stderr, "apim: gateway '%s' is not running\n", name);
        return CLI_RUNTIME;
    }
    if (timeout < 0) { /* the gateway's own drain timeout, and time to exit */
        json_t *info = read_json_file(dir, "gateway.json");
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

/* ---- status and list ---- */

static json_t *fetch_status(json_t *info)
{
    char url[600];
    snprintf(url, sizeof(url), "%s/status", json_str(info, "adminUrl"));
    struct buf body;
    buf_init(&body, 16u << 20);
    long status = 0;
    json_t *j = NULL;
    if (proxy_fetch(url, 5000, &body, &status) == 0 && status == 200 && body.data)
        j = json_loads(body.data, 0, NULL);
    buf_release(&body);
    return j;
}

static void print_status_text(json_t *st)
{
    json_t *plan = json_object_get(st, "plan"), *c = json_object_get(st, "counters");
    json_t *rel = json_object_get(st, "reloads"), *last = json_object_get(rel, "lastError");
    printf("gateway:   %s (%s, pid %lld)\n", json_str(st, "name"), json_str(st, "state"),
           json_integer_value(json_object_get(st, "pid")));
    printf("url:       %s\nadmin:     %s\nconfig:    %s\n", json_str(st, "url"),
           json_str(st, "adminUrl"), json_str(st, "config"));
    printf("plan:      %s (%lld APIs, %lld operations), loaded %s\n", json_str(plan, "hash"),
           json_integer_value(json_object_get(plan, "apis")),
           json_integer_value(json_object_get(plan, "operations")), json_str(plan, "loadedAt"));
    printf("uptime:    %.0f s\n", json_real_value(json_object_get(st, "uptimeSeconds")));
    printf("requests:  %lld (2xx %lld, 4xx %lld, 5xx %lld), %lld in flight\n",
           json_integer_value(json_object_get(c, "requests")),
           json_integer_value(json_object_get(c, "2xx")),
           json_integer_value(json_object_get(c, "4xx")),
           json_integer_value(json_object_get(c, "5xx")),
           json_integer_value(json_object_get(c, "inFlight")));
    printf("reloads:   %lld ok, %lld failed\n", json_integer_value(json_object_get(rel, "ok")),
           json_integer_value(json_object_get(rel, "failed")));
    if (json_is_object(last))
        printf("last reload error (%s): %s\n", json_str(last, "time"), json_str(last, "message"));
}

static int gateway_status(int argc, char **argv)
{
    const char *name = NULL;
    enum cli_rows_format f = CLI_ROWS_TABLE;
    int rc = parse_name_opts(argc, argv, &name, NULL, &f);
    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    char dir[4096];
    if (cli_gateway_dir(name, dir, sizeof(dir)) != 0 || !cli_gateway_running(dir)) {
        if (f == CLI_ROWS_JSON)
            printf("{\n  \"name\": \"%s\",\n  \"state\": \"stopped\"\n}\n", name);
        else
            fprintf(stderr, "apim: gateway '%s' is not running\n", name);
        return CLI_RUNTIME;
    }
    json_t *info = read_json_file(dir, "gateway.json");
    json_t *st = info ? fetch_status(info) : NULL;
    json_decref(info);
    if (st == NULL) {
        fprintf(stderr, "apim: gateway '%s' is running but its admin port does not answer\n", name);
        return CLI_RUNTIME;
    }
    if (f == CLI_ROWS_JSON) {
        char *text = json_dumps(st, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", text ? text : "{}");
        free(text);
    } else {
        print_status_text(st);
    }
    json_decref(st);
    return CLI_OK;
}

static json_t *gateway_row(const char *home, const char *name)
{
    char dir[4200];
    snprintf(dir, sizeof(dir), "%s/gateways/%s", home, name);
    json_t *info = read_json_file(dir, "gateway.json");
    if (info == NULL)
        return NULL;
    bool running = cli_gateway_running(dir);
    json_object_set_new(info, "state", json_string(running ? "running" : "stopped"));
    if (!running)
        json_object_set_new(info, "pid", json_null());
    return info;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int gateway_list(int argc, char **argv)
{
    enum cli_rows_format f = CLI_ROWS_TABLE;
    int rc = parse_name_opts(argc, argv, NULL, NULL, &f);
    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    char home[4096], dir[4200];
    json_t *rows = json_array();
    if (cli_apim_home(home, sizeof(home)) == 0) {
        struct cli_names names;
        snprintf(dir, sizeof(dir), "%s/gateways", home);
        cli_list_dir(dir, &names);
        qsort(names.v, names.n, sizeof(*names.v), cmp_names);
        for (size_t i = 0; i < names.n; i++) {
            json_t *row = gateway_row(home, names.v[i]);
            if (row)
                json_array_append_new(rows, row);
        }
        cli_names_release(&names);
    }
    static const struct cli_column cols[] = {
        { "Name", "name" },
        { "State", "state" },
        { "Url", "url" },
        { "Pid", "pid" },
        { "ResourceGroup", "resourceGroup" },
        { "Config", "config" },
    };
    cli_print_rows(rows, cols, sizeof(cols) / sizeof(cols[0]), f);
    json_decref(rows);
    return CLI_OK;
}

int cli_gateway(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } subs[] = {
        { "start", gateway_start },
        { "stop", gateway_stop },
        { "status", gateway_status },
        { "list", gateway_list },
    };

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(gateway_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(argc - 1, argv + 1);
    return cli_usage_error("gateway", "'%s' is not a gateway command (start, stop, status, list)",
                           argv[1]);
}
