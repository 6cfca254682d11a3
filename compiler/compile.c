#include "compile.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apim_limits.h"

void compiler_init(struct compiler *c)
{
    memset(c, 0, sizeof(*c));
    arena_init(&c->arena, 256 * 1024);
    diag_init(&c->diag, &c->arena);
    c->values_tail = &c->values;
}

void compiler_release(struct compiler *c)
{
    diag_release(&c->diag);
    arena_release(&c->arena);
}

struct source *compiler_read_file(struct compiler *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (f == NULL || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        diag_emit(&c->diag, DC_IO, LOC_NONE, "cannot read '%s': %s", path,
                  f == NULL ? strerror(errno) : "not a regular file");
        if (f)
            fclose(f);
        return NULL;
    }
    if (st.st_size > (off_t)APIM_MAX_INPUT_SIZE) {
        diag_emit(&c->diag, DC_TOO_LARGE, LOC_NONE, "'%s' is larger than %u bytes", path,
                  APIM_MAX_INPUT_SIZE);
        fclose(f);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    char *text = arena_alloc(&c->arena, n + 1);
    size_t got = fread(text, 1, n, f);
    fclose(f);
    if (got != n) {
        diag_emit(&c->diag, DC_IO, LOC_NONE, "cannot read '%s': short read", path);
        return NULL;
    }
    text[n] = '\0';
    return source_new(&c->diag, path, text, (uint32_t)n);
}

/* ---- --parameters ---- */

static const char *real_path(struct compiler *c, const char *path)
{
    char *r = realpath(path, NULL);
    const char *key = arena_strdup(&c->arena, r ? r : path);
    free(r);
    return key;
}

static struct compile_unit *new_unit(struct compiler *c, const char *path);

/* Reads a parameters file once per run; later uses share the result (and
 * its diagnostics are reported once). Returns NULL if it cannot be read. */
static struct compile_params *load_parameters(struct compiler *c, const char *path)
{
    const char *key = real_path(c, path);
    for (struct compile_params *p = c->params_files; p; p = p->next)
        if (strcmp(p->key, key) == 0)
            return p;
    unsigned e0 = c->diag.nerrors, w0 = c->diag.nwarnings;
    struct compile_params *p = ARENA_NEW(&c->arena, struct compile_params);
    p->key = key;
    struct arm_param_value **tail = &p->values;
    struct source *src = compiler_read_file(c, path);
    struct jval *doc = src ? jval_parse(&c->arena, &c->diag, src) : NULL;
    if (doc)
        (void)arm_read_parameters_file(&c->arena, &c->diag, doc, &tail);
    p->errors = c->diag.nerrors - e0;
    p->warnings = c->diag.nwarnings - w0;
    p->next = c->params_files;
    c->params_files = p;
    return p;
}

/* A parameters file given with --parameters: its values, and a unit of its
 * own so its mistakes count in the summary. */
static int parameters_file(struct compiler *c, const char *path, struct arm_param_value ***tail)
{
    struct compile_params *p = load_parameters(c, path);
    struct compile_unit *u = new_unit(c, path);
    u->kind = COMPILE_PARAMETERS;
    u->errors = p->errors;
    u->warnings = p->warnings;
    for (struct arm_param_value *v = p->values; v; v = v->next) {
        struct arm_param_value *copy = ARENA_NEW(&c->arena, struct arm_param_value);
        *copy = *v;
        copy->next = NULL;
        **tail = copy;
        *tail = &copy->next;
    }
    return 0;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int compiler_add_parameters(struct compiler *c, const char *arg)
{
    c->explicit_values = true;
    if (arg[0] == '@')
        return parameters_file(c, arg + 1, &c->values_tail);
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg) {
        if (is_file(arg))
            return parameters_file(c, arg, &c->values_tail);
        return -1;
    }
    /* name=value: the value is text, read by the parameter's declared type. */
    struct source *src =
        source_new(&c->diag, "--parameters", arena_strdup(&c->arena, arg), (uint32_t)strlen(arg));
    struct arm_param_value *v = ARENA_NEW(&c->arena, struct arm_param_value);
    uint32_t name_len = (uint32_t)(eq - arg);
    v->name = (struct str){ src->text, name_len };
    v->name_loc = (struct loc){ src, 0, name_len };
    v->value =
        jval_string(&c->arena, (struct loc){ src, name_len + 1, src->len }, eq + 1, strlen(eq + 1));
    v->from_text = true;
    *c->values_tail = v;
    c->values_tail = &v->next;
    return 0;
}

/* ---- units ---- */

static struct compile_unit *new_unit(struct compiler *c, const char *path)
{
    struct compile_unit *u = ARENA_NEW(&c->arena, struct compile_unit);
    u->path = arena_strdup(&c->arena, path);
    model_init(&u->model, &c->arena, &c->diag);
    if (c->units_last)
        c->units_last->next = u;
    else
        c->units = u;
    c->units_last = u;
    c->nunits++;
    return u;
}

/* "x/azuredeploy.json" -> "x/azuredeploy.parameters.json";
 * "x/api.template.json" -> "x/api.parameters.json". */
static const char *sibling_parameters(struct compiler *c, const char *path)
{
    size_t n = strlen(path);
    if (n < 5 || strcmp(path + n - 5, ".json") != 0)
        return NULL;
    size_t stem = n - 5;
    if (stem >= 9 && strncmp(path + stem - 9, ".template", 9) == 0)
        stem -= 9;
    const char *candidate = arena_printf(&c->arena, "%.*s.parameters.json", (int)stem, path);
    return is_file(candidate) ? candidate : NULL;
}

static const char *deployment_name(struct compiler *c, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strcspn(base, ".");
    return arena_strndup(&c->arena, base, n ? n : strlen(base));
}

static void compile_template(struct compiler *c, struct compile_unit *u, const struct jval *doc)
{
    const struct arm_param_value *values = c->values;
    if (!c->explicit_values) {
        const char *sib = sibling_parameters(c, u->path);
        if (sib) {
            struct compile_params *p = load_parameters(c, sib);
            values = p->values;
            u->parameters_from = sib;
        }
    }
    struct arm_env env;
    arm_env_init(&env, &c->arena, &c->diag, deployment_name(c, u->path));
    env.sample_parameters = c->sample_parameters;
    (void)arm_evaluate(&env, doc, values);
    model_add_arm(&u->model, &env);
    model_check(&u->model);
}

static bool is_cached_parameters(struct compiler *c, const char *path)
{
    const char *key = real_path(c, path);
    for (struct compile_params *p = c->params_files; p; p = p->next)
        if (strcmp(p->key, key) == 0)
            return true;
    return false;
}

static void compile_file(struct compiler *c, const char *path, bool explicit)
{
    if (is_cached_parameters(c, path)) {
        /* Already read (with --parameters or as a sibling): report once. */
        struct compile_params *p = load_parameters(c, path);
        struct compile_unit *u = new_unit(c, path);
        u->kind = COMPILE_PARAMETERS;
        u->errors = p->errors;
        u->warnings = p->warnings;
        return;
    }
    unsigned e0 = c->diag.nerrors, w0 = c->diag.nwarnings;
    struct source *src = compiler_read_file(c, path);
    struct jval *doc = src ? jval_parse(&c->arena, &c->diag, src) : NULL;
    if (doc && !explicit && !arm_is_template(doc) && !arm_is_parameters_file(doc) &&
        !model_is_simple_api(doc)) {
        c->skipped++; /* some other JSON file in a folder */
        return;
    }
    struct compile_unit *u = new_unit(c, path);
    if (doc == NULL) {
        u->kind = COMPILE_UNREADABLE;
    } else if (arm_is_parameters_file(doc)) {
        u->kind = COMPILE_PARAMETERS;
        struct compile_params *p = ARENA_NEW(&c->arena, struct compile_params);
        p->key = real_path(c, path);
        struct arm_param_value **tail = &p->values;
        (void)arm_read_parameters_file(&c->arena, &c->diag, doc, &tail);
        p->next = c->params_files;
        c->params_files = p;
    } else if (arm_is_template(doc)) {
        u->kind = COMPILE_TEMPLATE;
        compile_template(c, u, doc);
    } else if (model_is_simple_api(doc)) {
        u->kind = COMPILE_SIMPLE_API;
        model_add_simple_api(&u->model, doc);
        model_check(&u->model);
    } else {
        u->kind = COMPILE_UNKNOWN;
        diag_emit(&c->diag, DC_UNKNOWN_DOCUMENT,
                  (struct loc){ src, doc->loc.start, doc->loc.start + 1 },
                  "not an ARM template, a parameters file or a simple API document (no "
                  "'resources', no 'parameters', no 'properties.apiName')");
    }
    u->errors += c->diag.nerrors - e0;
    u->warnings += c->diag.nwarnings - w0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- APIOps artifact folders (apiops.h) ---- */

static struct source *read_for_apiops(void *ctx, const char *path)
{
    return compiler_read_file(ctx, path);
}

/* An APIOps artifact folder is one unit: its files are artifacts, not
 * templates to look for. Returns false if dir is not one. */
static bool apiops_unit(struct compiler *c, const char *dir)
{
    if (!apiops_is_folder(dir))
        return false;
    unsigned e0 = c->diag.nerrors, w0 = c->diag.nwarnings;
    struct compile_unit *u = new_unit(c, dir);
    u->kind = COMPILE_APIOPS;
    if (c->apiops_configuration && !c->apiops_config_read) {
        c->apiops_config_read = true;
        struct source *src = compiler_read_file(c, c->apiops_configuration);
        c->apiops_config = src ? apiops_config_read(&c->arena, &c->diag, src) : NULL;
    }
    struct apiops_options o = { c->service_name, c->apiops_config, read_for_apiops, c };
    (void)apiops_read(&u->model, dir, &o);
    c->apiops_folders++;
    u->errors = c->diag.nerrors - e0;
    u->warnings = c->diag.nwarnings - w0;
    return true;
}

void compiler_finish(struct compiler *c)
{
    if (c->apiops_configuration && c->apiops_configuration_explicit && c->apiops_folders == 0)
        diag_emit(&c->diag, DC_CONFIG_UNUSED, LOC_NONE,
                  "configuration '%s' is not used: no APIOps artifact folder among the inputs",
                  c->apiops_configuration);
}

static void walk_folder(struct compiler *c, const char *dir, unsigned depth)
{
    if (apiops_unit(c, dir))
        return;
    DIR *d = opendir(dir);
    if (d == NULL || depth > 32) {
        if (d)
            closedir(d);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = xrealloc(names, cap * sizeof(*names));
        }
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_names);
    for (size_t i = 0; i < n; i++) {
        const char *path = arena_printf(&c->arena, "%s/%s", dir, names[i]);
        struct stat st;
        size_t len = strlen(names[i]);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk_folder(c, path, depth + 1);
        else if (len > 5 && strcmp(names[i] + len - 5, ".json") == 0 &&
                 c->nunits + c->skipped < APIM_MAX_INPUT_FILES)
            compile_file(c, path, false);
        free(names[i]);
    }
    free(names);
}

int compiler_add_input(struct compiler *c, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_emit(&c->diag, DC_IO, LOC_NONE, "cannot read '%s': %s", path, strerror(errno));
        new_unit(c, path)->kind = COMPILE_UNREADABLE;
        c->units_last->errors = 1;
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        size_t n = strlen(path);
        walk_folder(c, n > 1 && path[n - 1] == '/' ? arena_strndup(&c->arena, path, n - 1) : path,
                    0);
    } else {
        compile_file(c, path, true);
    }
    return 0;
}
