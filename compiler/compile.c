/* compile.c - the driver: inputs, units, parameters, and the run as one
 * deployment (compile.h). Following links is in compile_link.c. */
#include "compile.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apim_limits.h"
#include "apiops_int.h"
#include "gateway_check.h"
#include "openapi.h"
#include "policy_flow.h"
#include "yaml.h"

void compiler_init(struct compiler *c)
{
    memset(c, 0, sizeof(*c));
    arena_init(&c->arena, 256 * 1024);
    diag_init(&c->diag, &c->arena);
    c->values_tail = &c->values;
    c->units_by_key = ARENA_NEW(&c->arena, struct apiops_map);
    apiops_map_init(c->units_by_key, &c->arena);
    model_init(&c->model, &c->arena, &c->diag);
    stream_decls_init(&c->streams, &c->arena, &c->diag);
}

void compiler_release(struct compiler *c)
{
    free(c->owners);
    free(c->inputs);
    stream_decls_release(&c->streams);
    diag_release(&c->diag);
    arena_release(&c->arena);
}

struct source *compiler_read_file(struct compiler *c, const char *path)
{
    return source_read(&c->diag, path, LOC_NONE);
}

/* ---- units and the files they own ---- */

static const char *real_path(struct compiler *c, const char *path)
{
    char *r = realpath(path, NULL);
    const char *key = arena_strdup(&c->arena, r ? r : path);
    free(r);
    return key;
}

/* Diagnostics located in src count for unit u (the last owner wins: a
 * parameters file read for a template, then found in the folder, is the
 * folder unit's). */
static void own_index(struct compiler *c, unsigned index, struct compile_unit *u)
{
    if (index >= c->nowners) {
        size_t n = (size_t)index + 16;
        c->owners = xrealloc(c->owners, n * sizeof(*c->owners));
        memset(c->owners + c->nowners, 0, (n - c->nowners) * sizeof(*c->owners));
        c->nowners = n;
    }
    c->owners[index] = u;
}

static void own(struct compiler *c, const struct source *src, struct compile_unit *u)
{
    if (src)
        own_index(c, src->index, u);
}

/* The unit of the file or folder whose real path is key, or NULL. */
static struct compile_unit *unit_at(const struct compiler *c, const char *key)
{
    return apiops_map_get(c->units_by_key, key);
}

static struct compile_unit *new_unit(struct compiler *c, const char *path, const char *key)
{
    struct compile_unit *u = ARENA_NEW(&c->arena, struct compile_unit);
    u->path = arena_strdup(&c->arena, path);
    u->key = key ? key : real_path(c, path);
    if (unit_at(c, u->key) == NULL)
        apiops_map_put(c->units_by_key, u->key, u);
    if (c->units_last)
        c->units_last->next = u;
    else
        c->units = u;
    c->units_last = u;
    c->nunits++;
    return u;
}

static bool yaml_name(const char *path)
{
    size_t n = strlen(path);
    return (n > 5 && strcmp(path + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(path + n - 4, ".yml") == 0);
}

/* Reads and parses path; NULL if it cannot be (*src says if it was read).
 * A .yaml/.yml file named explicitly is a specification in YAML. */
static struct jval *read_doc(struct compiler *c, const char *path, bool explicit,
                             struct source **src, unsigned *unlocated)
{
    unsigned before = c->diag.nerrors;
    *src = compiler_read_file(c, path);
    *unlocated = *src ? 0 : c->diag.nerrors - before;
    if (*src == NULL)
        return NULL;
    if (explicit && yaml_name(path))
        return yaml_parse(&c->arena, &c->diag, *src);
    return jval_parse(&c->arena, &c->diag, *src);
}

/* ---- parameters ---- */

static struct compile_params *cached_parameters(struct compiler *c, const char *key)
{
    for (struct compile_params *p = c->params_files; p; p = p->next)
        if (strcmp(p->key, key) == 0)
            return p;
    return NULL;
}

/* Reads a parameters file once per run; later uses share the result (and
 * its diagnostics are reported once). owner: the unit its diagnostics
 * count for, until the file is a unit of its own. */
static struct compile_params *load_parameters(struct compiler *c, const char *path,
                                              struct compile_unit *owner)
{
    const char *key = real_path(c, path);
    struct compile_params *p = cached_parameters(c, key);
    if (p)
        return p;
    p = ARENA_NEW(&c->arena, struct compile_params);
    p->key = key;
    struct arm_param_value **tail = &p->values;
    unsigned before = c->diag.nerrors;
    struct source *src = compiler_read_file(c, path);
    if (src == NULL && owner)
        owner->unlocated_errors += c->diag.nerrors - before;
    own(c, src, owner);
    p->src = src;
    struct jval *doc = src ? jval_parse(&c->arena, &c->diag, src) : NULL;
    p->doc = doc;
    if (doc)
        (void)arm_read_parameters_file(&c->arena, &c->diag, doc, &tail);
    p->next = c->params_files;
    c->params_files = p;
    return p;
}

/* A parameters file that is a unit of its own (given, or in a folder). */
static struct compile_params *parameters_unit(struct compiler *c, const char *path)
{
    struct compile_unit *u = new_unit(c, path, NULL);
    u->kind = COMPILE_PARAMETERS;
    u->input = true;
    struct compile_params *p = load_parameters(c, path, u);
    own(c, p->src, u);
    u->doc = p->doc;
    if (p->doc == NULL)
        u->kind = COMPILE_UNREADABLE;
    return p;
}

/* --parameters FILE: its values come after those given before. */
static int parameters_file(struct compiler *c, const char *path)
{
    struct compile_params *p = parameters_unit(c, path);
    for (struct arm_param_value *v = p->values; v; v = v->next) {
        struct arm_param_value *copy = ARENA_NEW(&c->arena, struct arm_param_value);
        *copy = *v;
        copy->next = NULL;
        *c->values_tail = copy;
        c->values_tail = &copy->next;
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
        return parameters_file(c, arg + 1);
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg) {
        if (is_file(arg))
            return parameters_file(c, arg);
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
    if (is_file(candidate))
        return candidate;
    /* The resource kit's extractor: "{base}master.template.json" takes
     * "{base}parameters.json" (its FileNameGenerator). */
    if (stem >= 6 && strncmp(path + stem - 6, "master", 6) == 0 && stem < n - 5) {
        candidate = arena_printf(&c->arena, "%.*sparameters.json", (int)(stem - 6), path);
        return is_file(candidate) ? candidate : NULL;
    }
    return NULL;
}

/* The extractor writes its parameters file in a template's shape (the
 * deploymentTemplate schema and "resources": []) holding only values. */
static bool template_shaped_parameters(const struct jval *doc)
{
    const struct jval *res = jval_get(doc, "resources");
    const struct jval *params = jval_get(doc, "parameters");
    if (res == NULL || res->kind != JV_ARRAY || res->u.a.n != 0 || params == NULL ||
        params->kind != JV_OBJECT || params->u.o.n == 0)
        return false;
    for (size_t i = 0; i < params->u.o.n; i++) {
        const struct jval *p = params->u.o.v[i].value;
        if (p->kind != JV_OBJECT || jval_get(p, "type") ||
            (!jval_get(p, "value") && !jval_get(p, "reference")))
            return false;
    }
    return true;
}

/* ---- what a file is ---- */

static void classify_template(struct compiler *c, struct compile_unit *u)
{
    const char *sib = c->explicit_values ? NULL : sibling_parameters(c, u->path);
    if (sib) {
        u->values = load_parameters(c, sib, u)->values;
        u->parameters_from = sib;
    }
}

/* What a document is. Every kind a run reads is decided here. A bare
 * specification is an API of its own only when named explicitly: in a
 * folder, specifications are what templates import. */
static enum compile_kind kind_of(const struct jval *doc, bool explicit)
{
    if (doc == NULL)
        return COMPILE_UNREADABLE;
    if (arm_is_parameters_file(doc) || template_shaped_parameters(doc))
        return COMPILE_PARAMETERS;
    if (arm_is_template(doc))
        return COMPILE_TEMPLATE;
    if (model_is_simple_api(doc))
        return COMPILE_SIMPLE_API;
    if (explicit && openapi_is_document(doc))
        return COMPILE_SPEC;
    if (stream_is_sidecar(doc))
        return COMPILE_STREAM;
    return COMPILE_UNKNOWN;
}

static void read_parameters_doc(struct compiler *c, struct compile_unit *u, const struct jval *doc)
{
    struct compile_params *p = ARENA_NEW(&c->arena, struct compile_params);
    p->key = u->key;
    p->src = doc->loc.src;
    p->doc = doc;
    struct arm_param_value **tail = &p->values;
    (void)arm_read_parameters_file(&c->arena, &c->diag, doc, &tail);
    p->next = c->params_files;
    c->params_files = p;
}

static void add_file(struct compiler *c, const char *path, bool explicit)
{
    const char *key = real_path(c, path);
    if (unit_at(c, key))
        return; /* given twice, or also in a folder given: one input */
    if (cached_parameters(c, key)) {
        /* Already read (with --parameters or as a sibling): reported once. */
        parameters_unit(c, path);
        return;
    }
    struct source *src;
    unsigned unlocated;
    const struct jval *doc = read_doc(c, path, explicit, &src, &unlocated);
    enum compile_kind kind = kind_of(doc, explicit);
    if (kind == COMPILE_UNKNOWN && !explicit) {
        c->skipped++; /* some other JSON file in a folder */
        c->skipped_specs += doc && openapi_is_document(doc);
        return;
    }
    struct compile_unit *u = new_unit(c, path, key);
    u->input = true;
    u->kind = kind;
    u->doc = doc;
    u->unlocated_errors = unlocated;
    own(c, src, u);
    if (kind == COMPILE_PARAMETERS)
        read_parameters_doc(c, u, doc);
    else if (kind == COMPILE_TEMPLATE)
        classify_template(c, u);
    if (kind == COMPILE_TEMPLATE)
        stream_read_template(&c->streams, doc);
    else if (kind == COMPILE_STREAM)
        stream_read_sidecar(&c->streams, doc);
    else if (kind == COMPILE_UNKNOWN)
        diag_emit(&c->diag, DC_UNKNOWN_DOCUMENT,
                  (struct loc){ doc->loc.src, doc->loc.start, doc->loc.start + 1 },
                  "not an ARM template, a parameters file, a simple API document or an "
                  "OpenAPI specification (no 'resources', no 'parameters', no "
                  "'properties.apiName', no 'openapi' or 'swagger')");
}

struct compile_unit *compiler_unit_for(struct compiler *c, const char *path)
{
    if (!is_file(path))
        return NULL;
    const char *key = real_path(c, path);
    struct compile_unit *u = unit_at(c, key);
    if (u)
        return u;
    u = new_unit(c, path, key);
    struct source *src;
    u->doc = read_doc(c, path, false, &src, &u->unlocated_errors);
    own(c, src, u);
    u->kind = kind_of(u->doc, false);
    if (u->kind == COMPILE_PARAMETERS)
        read_parameters_doc(c, u, u->doc);
    else if (u->kind != COMPILE_UNREADABLE)
        u->kind = COMPILE_LINKED; /* read because a template links it */
    return u;
}

/* ---- folders ---- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && strcmp(name + n - k, suffix) == 0;
}

/* ---- APIOps artifact folders (apiops.h) ---- */

/* An APIOps artifact folder is one unit: its files are artifacts, not
 * templates to look for; it is read into the deployment by compiler_finish.
 * Returns false if dir is not one. */
static bool apiops_unit(struct compiler *c, const char *dir)
{
    if (!apiops_is_folder(dir))
        return false;
    const char *key = real_path(c, dir);
    if (unit_at(c, key))
        return true; /* given twice, or also in a folder given */
    struct compile_unit *u = new_unit(c, dir, key);
    u->kind = COMPILE_APIOPS;
    u->input = true;
    c->apiops_folders++;
    return true;
}

static struct source *read_for_apiops(void *ctx, const char *path)
{
    return compiler_read_file(ctx, path);
}

static void read_apiops_config(struct compiler *c)
{
    if (c->apiops_configuration == NULL || c->apiops_config_read)
        return;
    c->apiops_config_read = true;
    struct source *src = compiler_read_file(c, c->apiops_configuration);
    c->apiops_config = src ? apiops_config_read(&c->arena, &c->diag, src) : NULL;
}

/* Each APIOps folder into the deployment, after the templates: it adds to
 * the service they may declare, as the publisher adds to a live one. */
static void add_apiops_folders(struct compiler *c)
{
    if (c->apiops_configuration && c->apiops_configuration_explicit && c->apiops_folders == 0)
        diag_emit(&c->diag, DC_CONFIG_UNUSED, LOC_NONE,
                  "configuration '%s' is not used: no APIOps artifact folder among the inputs",
                  c->apiops_configuration);
    for (struct compile_unit *u = c->units; u; u = u->next) {
        if (u->kind != COMPILE_APIOPS)
            continue;
        unsigned first = c->diag.next_source_index;
        size_t from = c->diag.n;
        read_apiops_config(c);
        struct apiops_options o = { c->service_name, c->apiops_config, read_for_apiops, c };
        (void)apiops_read(&c->model, u->path, &o);
        /* Every file (and folder) it read counts for the folder's unit; the
         * configuration, read once, for the first folder's. So do the errors
         * that have no place in a file (a file or the configuration that
         * cannot be read, a service name that is none). */
        for (unsigned i = first; i < c->diag.next_source_index; i++)
            own_index(c, i, u);
        for (size_t i = from; i < c->diag.n; i++)
            u->unlocated_errors +=
                c->diag.v[i]->loc.src == NULL && c->diag.v[i]->level == DIAG_ERROR;
    }
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
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk_folder(c, path, depth + 1);
        else if (has_suffix(names[i], ".json") && c->nunits + c->skipped < APIM_MAX_INPUT_FILES)
            add_file(c, path, false);
        else if (has_suffix(names[i], ".bicep"))
            c->bicep++;
        else if (has_suffix(names[i], ".yaml") || has_suffix(names[i], ".yml"))
            c->yaml++;
        free(names[i]);
    }
    free(names);
}

static void note_input(struct compiler *c, const char *path)
{
    if (c->ninputs == c->inputs_cap) {
        c->inputs_cap = c->inputs_cap ? c->inputs_cap * 2 : 8;
        c->inputs = xrealloc(c->inputs, c->inputs_cap * sizeof(*c->inputs));
    }
    c->inputs[c->ninputs++] = arena_strdup(&c->arena, path);
}

int compiler_add_input(struct compiler *c, const char *path)
{
    struct stat st;
    note_input(c, path);
    if (stat(path, &st) != 0) {
        diag_emit(&c->diag, DC_IO, LOC_NONE, "cannot read '%s': %s", path, strerror(errno));
        struct compile_unit *u = new_unit(c, path, NULL);
        u->kind = COMPILE_UNREADABLE;
        u->input = true;
        u->unlocated_errors = 1;
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        size_t n = strlen(path);
        walk_folder(c, n > 1 && path[n - 1] == '/' ? arena_strndup(&c->arena, path, n - 1) : path,
                    0);
    } else {
        add_file(c, path, true);
    }
    return 0;
}

/* ---- the run as one deployment ---- */

static const char *deployment_name(struct compiler *c, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strcspn(base, ".");
    return arena_strndup(&c->arena, base, n ? n : strlen(base));
}

/* ---- bare specifications ---- */

int compiler_add_import_file(struct compiler *c, const char *arg)
{
    const char *eq = strrchr(arg, '=');
    if (eq == NULL || eq == arg || eq[1] == '\0')
        return -1;
    struct model_import_file *f = ARENA_NEW(&c->arena, struct model_import_file);
    f->url = arena_strndup(&c->arena, arg, (size_t)(eq - arg));
    f->path = arena_strdup(&c->arena, eq + 1);
    f->next = c->import_files;
    c->import_files = f;
    return 0;
}

const char *compile_spec_api_id(struct arena *a, const struct jval *doc, const char *fallback)
{
    const char *title = jval_get_str(jval_get(doc, "info"), "title");
    const char *id = openapi_normalize_name(a, title ? title : "");
    if (*id == '\0' && fallback)
        id = openapi_normalize_name(a, fallback);
    if (*id == '\0')
        return "api";
    /* API names start with a letter (resource name rules). */
    return *id >= 'a' && *id <= 'z' ? id : arena_printf(a, "api-%s", id);
}

/* A specification named on the command line is one API of its own, as
 * `az apim api import` would create it: service COMPILE_SPEC_SERVICE, the
 * id from info.title, the path from --path ("" without it). */
static void add_spec(struct compiler *c, struct compile_unit *u)
{
    const struct jval *doc = u->doc;
    struct loc at = { doc->loc.src, doc->loc.start, doc->loc.start + 1 };
    /* Bare specifications are APIs of one service of their own. */
    struct model_service *s = model_service_named(&c->model, COMPILE_SPEC_SERVICE, at);
    s->declared = true;
    struct model_api *a = ARENA_NEW(&c->arena, struct model_api);
    a->id = compile_spec_api_id(&c->arena, doc, deployment_name(c, u->path));
    a->revision = "1";
    a->is_current = true;
    a->path = c->spec_path ? c->spec_path : "";
    a->path_loc = a->loc = at;
    a->protocols = MODEL_PROTO_HTTPS;
    a->subscription_required = true;
    a->type = "http";
    a->import_format = "openapi";
    if (s->apis_last)
        s->apis_last->next = a;
    else
        s->apis = a;
    s->apis_last = a;
    struct openapi_options o = { OPENAPI_ANY, at, NULL, false };
    (void)openapi_import(&c->model, a, doc, &o);
}

/* Root templates of the run, once it is known which are roots. */
static size_t count_roots(const struct compiler *c)
{
    size_t n = 0;
    for (const struct compile_unit *u = c->units; u; u = u->next)
        n += u->input && u->kind == COMPILE_TEMPLATE && !u->linked_early;
    return n;
}

static void evaluate(struct compiler *c, struct compile_unit *u, struct arm_env *env,
                     struct diag *d)
{
    arm_env_init(env, &c->arena, d, deployment_name(c, u->path));
    env->sample_parameters = c->sample_parameters;
    env->shared_values = c->shared_values;
    env->read_link = compiler_read_link;
    env->link_ctx = c;
    (void)arm_evaluate(env, u->doc, c->explicit_values ? c->values : u->values);
}

/* Does the document hold a templateLink anywhere? (Only such templates can
 * link others, so only they are evaluated while looking for links.) */
static bool mentions_link(const struct jval *v, unsigned depth)
{
    if (v == NULL || depth > 64)
        return false;
    if (v->kind == JV_ARRAY) {
        for (size_t i = 0; i < v->u.a.n; i++)
            if (mentions_link(v->u.a.v[i], depth + 1))
                return true;
    } else if (v->kind == JV_OBJECT) {
        for (size_t i = 0; i < v->u.o.n; i++)
            if (str_ieq_cstr(v->u.o.v[i].key, "templateLink") ||
                mentions_link(v->u.o.v[i].value, depth + 1))
                return true;
    }
    return false;
}

/* A file that another input links is not a root deployment of its own.
 * Which files are linked is known only by evaluating the links (their URIs
 * are expressions), so the templates that have links are evaluated once,
 * quietly, to mark what they link; then the roots are evaluated for real. */
static void find_links(struct compiler *c)
{
    struct diag quiet;
    diag_init(&quiet, &c->arena);
    c->linking_early = true;
    for (struct compile_unit *u = c->units; u; u = u->next) {
        if (u->kind != COMPILE_TEMPLATE || !mentions_link(u->doc, 0))
            continue;
        struct arm_env env;
        evaluate(c, u, &env, &quiet);
    }
    c->linking_early = false;
    diag_release(&quiet);
}

static void evaluate_root(struct compiler *c, struct compile_unit *u)
{
    u->seq_from = c->diag.n;
    evaluate(c, u, &u->env, &c->diag);
    u->seq_to = c->diag.n;
    u->evaluated = true;
}

static void evaluate_roots(struct compiler *c)
{
    for (struct compile_unit *u = c->units; u; u = u->next)
        if (u->input && u->kind == COMPILE_TEMPLATE && !u->linked_early)
            evaluate_root(c, u);
    /* Marked linked, but no root followed the link this time (the link
     * depends on parameters): checked on its own, never unchecked. */
    for (struct compile_unit *u = c->units; u; u = u->next)
        if (u->input && u->kind == COMPILE_TEMPLATE && !u->evaluated)
            evaluate_root(c, u);
}

/* With several root templates, a --parameters value is for whichever
 * declares it; one that none declares is still a mistake. */
static void check_shared_values(struct compiler *c)
{
    if (!c->shared_values)
        return;
    for (const struct arm_param_value *v = c->values; v; v = v->next) {
        const char *name = arena_strndup(&c->arena, v->name.ptr, v->name.len);
        bool declared = false;
        for (const struct compile_unit *u = c->units; u && !declared; u = u->next)
            declared = u->evaluated && jval_get(jval_get(u->doc, "parameters"), name);
        if (!declared)
            diag_emit(&c->diag, DC_PARAM_UNDECLARED, v->name_loc,
                      "a value is given for parameter '%.*s', which no template of the run "
                      "declares",
                      STR_FMT(v->name));
    }
}

/* Nothing to check is a failure: say where we looked and what we saw. */
static void nothing_found(struct compiler *c)
{
    char where[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < c->ninputs && used < sizeof(where); i++) {
        int w = snprintf(where + used, sizeof(where) - used, "%s'%s'", i ? ", " : "", c->inputs[i]);
        used += w > 0 ? (size_t)w : 0;
    }
    struct diag_entry *e =
        diag_emit(&c->diag, DC_NOTHING_FOUND, LOC_NONE, "no APIM configuration found in %s",
                  c->ninputs ? where : "the inputs");
    if (c->bicep)
        diag_note(&c->diag, e, LOC_NONE,
                  "%zu .bicep file%s found: compile %s with 'az bicep build' first", c->bicep,
                  c->bicep == 1 ? " was" : "s were", c->bicep == 1 ? "it" : "them");
    if (c->skipped)
        diag_note(&c->diag, e, LOC_NONE,
                  "%zu JSON file%s skipped: not an ARM template, a parameters file or a simple "
                  "API document",
                  c->skipped, c->skipped == 1 ? " was" : "s were");
    if (c->skipped_specs || c->yaml)
        diag_note(&c->diag, e, LOC_NONE,
                  "%zu OpenAPI specification%s and %zu YAML file%s in folders are not APIs on "
                  "their own: name a specification on the command line ('apim validate "
                  "spec.yaml', 'apim gateway start --config spec.yaml --path PATH'), or import it "
                  "from a template",
                  c->skipped_specs, c->skipped_specs == 1 ? "" : "s", c->yaml,
                  c->yaml == 1 ? "" : "s");
}

void compiler_finish(struct compiler *c)
{
    if (c->nunits == 0)
        nothing_found(c);
    model_init(&c->model, &c->arena, &c->diag);
    c->model.import_files = c->import_files;
    find_links(c);
    c->shared_values = c->explicit_values && count_roots(c) > 1;
    evaluate_roots(c);
    check_shared_values(c);
    struct model_merge mm;
    model_merge_init(&mm, &c->model);
    for (struct compile_unit *u = c->units; u; u = u->next)
        if (u->evaluated)
            model_merge_add(&mm, &u->env);
    model_merge_finish(&mm);
    for (struct compile_unit *u = c->units; u; u = u->next)
        if (u->kind == COMPILE_SIMPLE_API)
            model_add_simple_api(&c->model, u->doc);
        else if (u->kind == COMPILE_SPEC)
            add_spec(c, u);
    add_apiops_folders(c);
    model_check(&c->model);
    gateway_check(&c->model, c->allow_unenforced);
    policy_flow_check(&c->model);
    stream_check(&c->streams, &c->model);
    c->model.streams = &c->streams;
}

/* ---- counting ---- */

/* The unit a source's diagnostics count for: its own, or for a file read
 * on behalf of another, that one's. */
static struct compile_unit *owner(const struct compiler *c, const struct source *src)
{
    for (unsigned hops = 0; src && hops < 8; hops++, src = src->counted_in)
        if (src->index < c->nowners && c->owners[src->index])
            return c->owners[src->index];
    return NULL;
}

static struct model_counts *count_slot(void *ctx, const struct source *src)
{
    struct compile_unit *u = owner(ctx, src);
    return u ? &u->counts : NULL;
}

/* The root whose evaluation made entry e, for diagnostics in no file of
 * the run (the command line's name=value parameters). Roots are few. */
static struct compile_unit *maker(const struct compiler *c, const struct diag_entry *e)
{
    for (struct compile_unit *u = c->units; u; u = u->next)
        if (u->evaluated && e->seq >= u->seq_from && e->seq < u->seq_to)
            return u;
    return NULL;
}

void compiler_tally(struct compiler *c)
{
    for (struct compile_unit *u = c->units; u; u = u->next) {
        u->errors = u->unlocated_errors;
        u->warnings = 0;
        memset(&u->counts, 0, sizeof(u->counts));
    }
    for (size_t i = 0; i < c->diag.n; i++) {
        const struct diag_entry *e = c->diag.v[i];
        struct compile_unit *u = owner(c, e->loc.src);
        if (u == NULL && e->loc.src)
            u = maker(c, e);
        if (u && e->level == DIAG_ERROR)
            u->errors++;
        else if (u && e->level == DIAG_WARNING)
            u->warnings++;
    }
    model_count_each(&c->model, count_slot, c);
    for (const struct stream_job *j = c->streams.jobs; j; j = j->next) {
        struct compile_unit *u = owner(c, j->name_loc.src);
        if (u)
            u->counts.jobs++;
    }
}
