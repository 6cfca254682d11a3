/* cli_config.c - what the commands that serve or list a configuration
 * share: building a plan from a template, a simple API document or a .plan
 * file (again on every reload), and the gateways' state folders. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "compile.h"
#include "plan_format.h"
#include "plan_write.h"
#include "report.h"

static bool is_plan_file(const char *path)
{
    char head[PLAN_MAGIC_SIZE];
    FILE *f = fopen(path, "rb");
    bool yes = f && fread(head, 1, sizeof(head), f) == sizeof(head) &&
               memcmp(head, PLAN_MAGIC, PLAN_MAGIC_SIZE) == 0;
    if (f)
        fclose(f);
    return yes;
}

static int read_plan_file(const char *path, struct buf *plan, struct buf *messages)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    int rc = f ? 0 : -1;
    while (f && rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = buf_append(plan, chunk, n);
    if (f && (ferror(f) || rc != 0))
        rc = -1;
    if (f)
        fclose(f);
    /* If even the message does not fit, the -1 still says it all. */
    if (rc != 0 && buf_printf(messages, "%s: error: cannot read the plan: %s\n", path,
                              errno ? strerror(errno) : "too large") != 0)
        return -1;
    return rc;
}

void cli_apiops_setup(struct compiler *c, const char *configuration, const char *service)
{
    const char *env = getenv("CONFIGURATION_YAML_PATH");
    c->apiops_configuration = configuration ? configuration : (env && *env ? env : NULL);
    c->apiops_configuration_explicit = configuration != NULL;
    env = getenv("API_MANAGEMENT_SERVICE_NAME");
    c->service_name = service ? service : (env && *env ? env : NULL);
}

static bool servable(const struct compile_unit *u)
{
    return u->kind == COMPILE_TEMPLATE || u->kind == COMPILE_SIMPLE_API ||
           u->kind == COMPILE_APIOPS;
}

int cli_config_build(const struct cli_config *cfg, struct buf *plan, struct buf *messages)
{
    if (is_plan_file(cfg->path))
        return read_plan_file(cfg->path, plan, messages);
    struct compiler c;
    compiler_init(&c);
    c.sample_parameters = cfg->sample_parameters;
    cli_apiops_setup(&c, cfg->configuration, cfg->service);
    for (size_t i = 0; i < cfg->nparameters; i++)
        (void)compiler_add_parameters(&c, cfg->parameters[i]); /* checked when parsed */
    (void)compiler_add_input(&c, cfg->path);
    compiler_finish(&c);
    struct compile_unit *u = c.units_last;
    bool ok = c.diag.nerrors == 0 && u && servable(u);
    if (ok) {
        struct plan_options po = { cfg->service, cfg->api_name, cfg->gateway_name };
        ok = plan_write(&u->model, &po, plan) == 0;
    }
    if (u && !servable(u) && c.diag.nerrors == 0 &&
        buf_printf(messages, "%s: error: not an ARM template, API document or APIOps folder\n",
                   cfg->path) != 0)
        ok = false;
    if (cfg->strict)
        diag_promote_warnings(&c.diag);
    diag_sort(&c.diag);
    if (report_render(&c, REPORT_TEXT, messages) != 0 &&
        buf_puts(messages, "apim: too many diagnostics to show\n") != 0)
        ok = false;
    ok = ok && c.diag.nerrors == 0;
    compiler_release(&c);
    return ok ? 0 : -1;
}

int cli_config_plan(const struct cli_config *cfg, struct plan **out)
{
    struct buf bytes, messages;
    buf_init(&bytes, PLAN_MAX_SIZE);
    buf_init(&messages, 64u << 20);
    int rc = cli_config_build(cfg, &bytes, &messages);
    fputs(messages.data ? messages.data : "", stderr);
    buf_release(&messages);
    if (rc != 0) {
        fprintf(stderr, "apim: '%s' has errors\n", cfg->path);
        buf_release(&bytes);
        return -1;
    }
    size_t len;
    void *data = buf_steal(&bytes, &len);
    char err[512];
    if (plan_load_bytes(data, len, out, err, sizeof(err)) != 0) {
        fprintf(stderr, "apim: %s\n", err);
        return -1;
    }
    return 0;
}

/* ---- state folders ---- */

bool cli_gateway_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 80 || name[0] == '.' || name[0] == '-')
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

int cli_apim_home(char *out, size_t len)
{
    const char *home = getenv("APIM_HOME");
    if (home && *home)
        return snprintf(out, len, "%s", home) < (int)len ? 0 : -1;
    home = getenv("HOME");
    if (home == NULL || *home == '\0')
        return -1;
    return snprintf(out, len, "%s/.apimlocal", home) < (int)len ? 0 : -1;
}

int cli_gateway_dir(const char *name, char *out, size_t len)
{
    char home[3000];
    if (cli_apim_home(home, sizeof(home)) != 0)
        return -1;
    return snprintf(out, len, "%s/gateways/%s", home, name) < (int)len ? 0 : -1;
}

static int mkdir_one(const char *path)
{
    return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int cli_mkdirs(const char *path)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
        return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir_one(tmp) != 0)
            return -1;
        *p = '/';
    }
    return mkdir_one(tmp);
}

/* The whole lock file, as an open-file-description lock: held by the open
 * file, so a forked gateway keeps it after the CLI closes its copy, and
 * testable with F_OFD_GETLK without taking it. */
static struct flock whole_file(short type)
{
    return (struct flock){ .l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
}

int cli_gateway_lock(const char *dir, bool create)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/lock", dir);
    int fd = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
    if (fd < 0)
        return create ? -1 : -2;
    struct flock fl = whole_file(F_WRLCK);
    if (fcntl(fd, F_OFD_SETLK, &fl) != 0) {
        close(fd);
        return -2;
    }
    return fd;
}

bool cli_gateway_running(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/lock", dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct flock fl = whole_file(F_WRLCK);
    bool held = fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

void cli_list_dir(const char *dir, struct cli_names *out)
{
    *out = (struct cli_names){ NULL, 0 };
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t cap = 0;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->v = xrealloc(out->v, cap * sizeof(*out->v));
        }
        out->v[out->n++] = xstrdup(e->d_name);
    }
    if (d)
        closedir(d);
}

void cli_names_release(struct cli_names *names)
{
    for (size_t i = 0; i < names->n; i++)
        free(names->v[i]);
    free(names->v);
    *names = (struct cli_names){ NULL, 0 };
}
