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

#include "cli_cmd.h"
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

int cli_config_add_parameters(const struct cli_args *a, struct compiler *c)
{
    const char *const *v;
    size_t n = cli_arg_list(a, CLI_OPT_PARAMETERS, &v);
    for (size_t i = 0; i < n; i++)
        if (compiler_add_parameters(c, v[i]) != 0)
            return cli_usage_error(a->cmd, "--parameters '%s': expected @FILE, FILE or NAME=VALUE",
                                   v[i]);
    return 0;
}

void cli_config_apiops(struct compiler *c, const char *configuration, const char *service)
{
    const char *env = getenv("CONFIGURATION_YAML_PATH");
    c->apiops_configuration = configuration ? configuration : (env && *env ? env : NULL);
    c->apiops_configuration_explicit = configuration != NULL;
    env = getenv("API_MANAGEMENT_SERVICE_NAME");
    c->service_name = service ? service : (env && *env ? env : NULL);
}

int cli_config_add_imports(const struct cli_args *a, struct compiler *c)
{
    const char *const *v;
    size_t n = cli_arg_list(a, CLI_OPT_IMPORT_FILE, &v);
    for (size_t i = 0; i < n; i++)
        if (compiler_add_import_file(c, v[i]) != 0)
            return cli_usage_error(a->cmd, "--import-file '%s': expected URL=FILE", v[i]);
    c->spec_path = cli_arg(a, CLI_OPT_PATH);
    return 0;
}

/* The forms are checked now, so that a usage error is not found later, at
 * build time (or at a reload). */
static int check_parameters(const struct cli_args *a)
{
    struct compiler probe;
    compiler_init(&probe);
    int rc = cli_config_add_parameters(a, &probe);
    if (rc == 0)
        rc = cli_config_add_imports(a, &probe);
    compiler_release(&probe);
    return rc;
}

int cli_config_from_args(const struct cli_args *a, struct cli_config *cfg)
{
    *cfg = (struct cli_config){
        .service = cli_arg(a, CLI_OPT_SERVICE_NAME),
        .api_name = cli_arg(a, CLI_OPT_API_NAME),
        .strict = cli_flag(a, CLI_OPT_STRICT),
        .sample_parameters = cli_flag(a, CLI_OPT_SAMPLE_PARAMETERS),
        .allow_unenforced = cli_flag(a, CLI_OPT_ALLOW_UNENFORCED),
    };
    const char *const *paths;
    size_t n = cli_arg_list(a, CLI_OPT_CONFIG, &paths);
    if (n > CLI_MAX_CONFIGS)
        return cli_usage_error(a->cmd, "more than %d --config arguments", CLI_MAX_CONFIGS);
    for (size_t i = 0; i < n; i++)
        cfg->paths[cfg->npaths++] = paths[i];
    cfg->nparameters = cli_arg_list(a, CLI_OPT_PARAMETERS, &cfg->parameters);
    cfg->nimport_files = cli_arg_list(a, CLI_OPT_IMPORT_FILE, &cfg->import_files);
    cfg->spec_path = cli_arg(a, CLI_OPT_PATH);
    cfg->configuration = cli_arg(a, CLI_OPT_CONFIGURATION);
    return check_parameters(a);
}

const char *cli_config_names(const struct cli_config *cfg, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < cfg->npaths && used < n; i++) {
        int w = snprintf(out + used, n - used, "%s%s", i ? ", " : "", cfg->paths[i]);
        used += w > 0 ? (size_t)w : 0;
    }
    return out;
}

/* A .plan file stands alone, and is served as it was compiled. */
static int plan_config(const struct cli_config *cfg, struct buf *plan, struct buf *messages)
{
    const char *why = cfg->npaths > 1 ? "a .plan file cannot be combined with other configurations"
                      : cfg->allow_unenforced
                          ? "--allow-unenforced-policies applies when a plan is compiled; pass it "
                            "to 'apim compile'"
                          : NULL;
    if (why == NULL)
        return read_plan_file(cfg->paths[0], plan, messages);
    if (buf_printf(messages, "%s: error: %s\n", cfg->paths[0], why) != 0)
        return -1; /* not even the message fits: the -1 says it all */
    return -1;
}

void cli_config_compile(const struct cli_config *cfg, struct compiler *c)
{
    compiler_init(c);
    c->sample_parameters = cfg->sample_parameters;
    c->allow_unenforced = cfg->allow_unenforced;
    for (size_t i = 0; i < cfg->nparameters; i++)
        (void)compiler_add_parameters(c, cfg->parameters[i]); /* checked: from_args */
    for (size_t i = 0; i < cfg->nimport_files; i++)
        (void)compiler_add_import_file(c, cfg->import_files[i]); /* checked: from_args */
    c->spec_path = cfg->spec_path;
    cli_config_apiops(c, cfg->configuration, cfg->service);
    for (size_t i = 0; i < cfg->npaths; i++)
        (void)compiler_add_input(c, cfg->paths[i]); /* a missing file is a diagnostic */
    compiler_finish(c);
}

/* cli_config_build, also telling how many warnings and notes it rendered
 * (shown[0], shown[1]; NULL: not wanted). */
static int build(const struct cli_config *cfg, struct buf *plan, struct buf *messages,
                 unsigned *shown)
{
    for (size_t i = 0; i < cfg->npaths; i++)
        if (is_plan_file(cfg->paths[i]))
            return plan_config(cfg, plan, messages);
    struct compiler c;
    cli_config_compile(cfg, &c);
    bool ok = c.diag.nerrors == 0;
    if (ok) {
        struct plan_options po = { cfg->service, cfg->api_name, cfg->gateway_name,
                                   cfg->allow_unenforced };
        ok = plan_write(&c.model, &po, plan) == 0;
    }
    if (cfg->strict)
        diag_promote_warnings(&c.diag);
    compiler_tally(&c);
    diag_sort(&c.diag);
    if (report_render(&c, REPORT_TEXT, messages) != 0 &&
        buf_puts(messages, "apim: too many diagnostics to show\n") != 0)
        ok = false;
    ok = ok && c.diag.nerrors == 0;
    if (shown) {
        shown[0] = c.diag.nwarnings;
        shown[1] = c.diag.nnotes;
    }
    compiler_release(&c);
    return ok ? 0 : -1;
}

int cli_config_build(const struct cli_config *cfg, struct buf *plan, struct buf *messages)
{
    return build(cfg, plan, messages, NULL);
}

/* A listing prints diagnostics only when they stop it (errors): warnings
 * and notes of a configuration that compiles are 'apim validate's job, so
 * they are only counted, on one line. */
static void print_messages(int rc, const struct buf *messages, const unsigned *shown)
{
    if (rc != 0) {
        fputs(messages->data ? messages->data : "", stderr);
        return;
    }
    char w[32] = "", n[32] = "";
    if (shown[0])
        snprintf(w, sizeof(w), "%u warning%s", shown[0], shown[0] == 1 ? "" : "s");
    if (shown[1])
        snprintf(n, sizeof(n), "%u note%s", shown[1], shown[1] == 1 ? "" : "s");
    if (*w || *n)
        fprintf(stderr, "apim: %s%s%s not shown; 'apim validate' lists them\n", w,
                *w && *n ? " and " : "", n);
}

int cli_config_report_listing(const struct cli_config *cfg, struct compiler *c)
{
    struct buf messages;
    buf_init(&messages, 64u << 20);
    if (cfg->strict)
        diag_promote_warnings(&c->diag);
    compiler_tally(c);
    diag_sort(&c->diag);
    int rc = c->diag.nerrors ? -1 : 0;
    if (report_render(c, REPORT_TEXT, &messages) != 0 &&
        buf_puts(&messages, "apim: too many diagnostics to show\n") != 0)
        rc = -1;
    unsigned shown[2] = { c->diag.nwarnings, c->diag.nnotes };
    print_messages(rc, &messages, shown);
    buf_release(&messages);
    if (rc != 0) {
        char names[1024];
        fprintf(stderr, "apim: '%s' has errors\n", cli_config_names(cfg, names, sizeof(names)));
    }
    return rc;
}

int cli_config_plan(const struct cli_config *cfg, struct plan **out)
{
    struct buf bytes, messages;
    buf_init(&bytes, PLAN_MAX_SIZE);
    buf_init(&messages, 64u << 20);
    unsigned shown[2] = { 0, 0 };
    int rc = build(cfg, &bytes, &messages, shown);
    print_messages(rc, &messages, shown);
    buf_release(&messages);
    if (rc != 0) {
        char names[1024];
        fprintf(stderr, "apim: '%s' has errors\n", cli_config_names(cfg, names, sizeof(names)));
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

/* ---- operations that fail closed ---- */

static void closed_line(const struct plan *p, const struct plan_operation *op, const char *when,
                        const struct str *why, size_t *n, bool allowed, FILE *out)
{
    if ((*n)++ == 0)
        fputs(allowed ? "  warning: --allow-unenforced-policies: these operations are served "
                        "without a policy that would refuse requests:\n"
                      : "  fails closed (answers 500: a policy that refuses requests is not "
                        "applied locally):\n",
              out);
    /* A revision that is not current by its name in 'apim api list'. */
    const struct plan_api *a = &p->apis[op->api];
    char rev[32] = "";
    if (!(a->flags & PLAN_API_CURRENT))
        snprintf(rev, sizeof(rev), ";rev=%u", a->revision);
    fprintf(out, "    %.*s%s %.*s %.*s%s: %.*s\n", STR_FMT(a->id), rev, STR_FMT(op->method),
            STR_FMT(op->id), when, STR_FMT(*why));
}

void cli_config_print_closed(const void *bytes, size_t len, FILE *out)
{
    struct plan *p;
    char err[256];
    void *copy = xmalloc(len ? len : 1);
    memcpy(copy, bytes, len);
    if (plan_load_bytes(copy, len, &p, err, sizeof(err)) != 0)
        return;
    bool allowed = p->service.flags & PLAN_SERVICE_ALLOW_UNENFORCED;
    size_t n = 0;
    for (size_t i = 0; i < p->nops; i++) {
        const struct plan_operation *op = &p->ops[i];
        if (op->flags & (PLAN_OP_CLOSED | PLAN_OP_CLOSED_BARE))
            closed_line(p, op, op->flags & PLAN_OP_CLOSED ? "" : " (without a product)",
                        &op->closed_why, &n, allowed, out);
    }
    for (size_t k = 0; k < p->nproducts; k++) {
        const struct plan_product *pr = &p->products[k];
        for (uint32_t j = 0; pr->closed && j < pr->napis; j++) {
            const struct plan_api *a = &p->apis[p->product_apis[pr->first_api + j]];
            for (uint32_t i = a->first_op; i < a->first_op + a->nops; i++) {
                const struct str *why = plan_closed_reason(p, i, (uint32_t)k);
                char when[300];
                snprintf(when, sizeof(when), " (under product '%.*s')", STR_FMT(pr->id));
                if (why && !(p->ops[i].flags & PLAN_OP_CLOSED))
                    closed_line(p, &p->ops[i], when, why, &n, allowed, out);
            }
        }
    }
    plan_free(p);
    fflush(out);
}

/* ---- state folders ---- */

json_t *cli_config_read_json(const char *dir, const char *file)
{
    char path[4300];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    return json_load_file(path, 0, NULL);
}

bool cli_config_gateway_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 80 || name[0] == '.' || name[0] == '-')
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

int cli_config_home(char *out, size_t len)
{
    const char *home = getenv("APIM_HOME");
    if (home && *home)
        return snprintf(out, len, "%s", home) < (int)len ? 0 : -1;
    home = getenv("HOME");
    if (home == NULL || *home == '\0')
        return -1;
    return snprintf(out, len, "%s/.apimlocal", home) < (int)len ? 0 : -1;
}

int cli_config_gateway_dir(const char *name, char *out, size_t len)
{
    char home[3000];
    if (cli_config_home(home, sizeof(home)) != 0)
        return -1;
    return snprintf(out, len, "%s/gateways/%s", home, name) < (int)len ? 0 : -1;
}

static int mkdir_one(const char *path)
{
    return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int cli_config_mkdirs(const char *path)
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

int cli_config_lock(const char *dir, bool create)
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

int cli_config_running_gateway(const struct cli_args *a, char *dir, size_t len)
{
    const char *name = cli_arg(a, CLI_OPT_GATEWAY_NAME);
    if (!cli_config_gateway_name_ok(name))
        return cli_usage_error(a->cmd, "'%s' is not a usable gateway name", name);
    if (cli_config_gateway_dir(name, dir, len) != 0 || !cli_config_running(dir)) {
        fprintf(stderr, "apim: gateway '%s' is not running\n", name);
        return CLI_RUNTIME;
    }
    return 0;
}

bool cli_config_running(const char *dir)
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

void cli_config_list_dir(const char *dir, struct cli_names *out)
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

void cli_config_names_release(struct cli_names *names)
{
    for (size_t i = 0; i < names->n; i++)
        free(names->v[i]);
    free(names->v);
    *names = (struct cli_names){ NULL, 0 };
}
