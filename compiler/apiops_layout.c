/* apiops_layout.c - where the APIOps publisher finds each artifact, and the
 * walk that reads an artifact folder.
 *
 * The table is Azure/apiops's resource definitions (src/common/<Resource>.cs at
 * c248e0b): a resource lives in <collection>/<name>/ under its parent's
 * folder, described by its information file; policies are <name>.xml in
 * the folder of what they apply to; an API's specification is
 * specification.<ext> beside its apiInformation.json; a workspace's folder
 * holds the same layout again (src/common/Workspace<Resource>.cs). The
 * publisher skips what does not fit without a word; here every such file
 * or folder is a warning, so a misspelt folder name cannot pass unnoticed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "apim_limits.h"
#include "apiops_int.h"
#include "suggest.h"

#define ROW(k, parent, dir, info, key, type, what, flags) \
    [k] = { k, parent, dir, info, key, type, what, flags, NULL, AK_ROOT }

/* A link whose target is checked here (the model keeps no record of it):
 * link is the property naming the target, for those the file names. */
#define LINK(k, parent, dir, info, key, type, what, flags, link, target) \
    [k] = { k, parent, dir, info, key, type, what, flags, link, target }

static const struct apiops_layout rows[AK_COUNT] = {
    ROW(AK_ROOT, AK_ROOT, NULL, NULL, "", "service", "service", AL_POLICIES | AL_NO_INFO),
    ROW(AK_API, AK_ROOT, "apis", "apiInformation.json", "apis", "service/apis", "API",
        AL_POLICIES | AL_SPEC),
    ROW(AK_API_DIAGNOSTIC, AK_API, "diagnostics", "diagnosticInformation.json", "diagnostics",
        "service/apis/diagnostics", "API diagnostic", 0),
    ROW(AK_API_OPERATION, AK_API, "operations", NULL, "operations", NULL, "operation",
        AL_POLICIES | AL_NO_INFO),
    ROW(AK_API_RELEASE, AK_API, "releases", "apiReleaseInformation.json", "releases",
        "service/apis/releases", "API release", 0),
    ROW(AK_PRODUCT, AK_ROOT, "products", "productInformation.json", "products", "service/products",
        "product", AL_POLICIES),
    ROW(AK_PRODUCT_API, AK_PRODUCT, "apis", "productApiInformation.json", "apis",
        "service/products/apis", "product API link", AL_COMPOSITE),
    LINK(AK_PRODUCT_GROUP, AK_PRODUCT, "groups", "productGroupInformation.json", "groups",
         "service/products/groupLinks", "product group link", AL_LINK, "groupId", AK_GROUP),
    ROW(AK_GATEWAY, AK_ROOT, "gateways", "gatewayInformation.json", "gateways", "service/gateways",
        "gateway", 0),
    ROW(AK_GATEWAY_API, AK_GATEWAY, "apis", "gatewayApiInformation.json", "apis",
        "service/gateways/apis", "gateway API link", AL_COMPOSITE),
    ROW(AK_TAG, AK_ROOT, "tags", "tagInformation.json", "tags", "service/tags", "tag", 0),
    LINK(AK_TAG_API, AK_TAG, "apis", "tagApiInformation.json", "apis", "service/apis/tags",
         "tag API link", AL_COMPOSITE | AL_SWAPPED, NULL, AK_API),
    LINK(AK_TAG_PRODUCT, AK_TAG, "products", "tagProductInformation.json", "products",
         "service/products/tags", "tag product link", AL_COMPOSITE | AL_SWAPPED, NULL, AK_PRODUCT),
    ROW(AK_BACKEND, AK_ROOT, "backends", "backendInformation.json", "backends", "service/backends",
        "backend", 0),
    ROW(AK_NAMED_VALUE, AK_ROOT, "named values", "namedValueInformation.json", "namedValues",
        "service/namedValues", "named value", 0),
    ROW(AK_VERSION_SET, AK_ROOT, "version sets", "versionSetInformation.json", "versionSets",
        "service/apiVersionSets", "version set", 0),
    ROW(AK_LOGGER, AK_ROOT, "loggers", "loggerInformation.json", "loggers", "service/loggers",
        "logger", 0),
    ROW(AK_DIAGNOSTIC, AK_ROOT, "diagnostics", "diagnosticInformation.json", "diagnostics",
        "service/diagnostics", "diagnostic", 0),
    ROW(AK_FRAGMENT, AK_ROOT, "policy fragments", "policyFragmentInformation.json",
        "policyFragments", "service/policyFragments", "policy fragment", AL_INFO_OPTIONAL),
    ROW(AK_GROUP, AK_ROOT, "groups", "groupInformation.json", "groups", "service/groups", "group",
        0),
    ROW(AK_SUBSCRIPTION, AK_ROOT, "subscriptions", "subscriptionInformation.json", "subscriptions",
        "service/subscriptions", "subscription", 0),
    /* The publisher PUTs no workspace (WorkspaceResource is a folder only):
     * it must exist in the service. It has no workspace-scope policy. */
    ROW(AK_WORKSPACE, AK_ROOT, "workspaces", NULL, "workspaces", NULL, "workspace", AL_NO_INFO),
    ROW(AK_WS_API, AK_WORKSPACE, "apis", "apiInformation.json", "apis", "service/workspaces/apis",
        "API", AL_POLICIES | AL_SPEC),
    ROW(AK_WS_API_DIAGNOSTIC, AK_WS_API, "diagnostics", "diagnosticInformation.json", "diagnostics",
        "service/workspaces/apis/diagnostics", "API diagnostic", 0),
    ROW(AK_WS_API_OPERATION, AK_WS_API, "operations", NULL, "operations", NULL, "operation",
        AL_POLICIES | AL_NO_INFO),
    ROW(AK_WS_API_RELEASE, AK_WS_API, "releases", "apiReleaseInformation.json", "releases",
        "service/workspaces/apis/releases", "API release", 0),
    ROW(AK_WS_PRODUCT, AK_WORKSPACE, "products", "productInformation.json", "products",
        "service/workspaces/products", "product", AL_POLICIES),
    /* Workspace links are all named in their file (ILinkResource); the
     * model has no record of them, nor a type for tag links. */
    LINK(AK_WS_PRODUCT_API, AK_WS_PRODUCT, "apis", "productApiInformation.json", "apis",
         "service/workspaces/products/apiLinks", "product API link", AL_LINK, "apiId", AK_WS_API),
    LINK(AK_WS_PRODUCT_GROUP, AK_WS_PRODUCT, "groups", "productGroupInformation.json", "groups",
         "service/workspaces/products/groupLinks", "product group link", AL_LINK, "groupId",
         AK_WS_GROUP),
    ROW(AK_WS_TAG, AK_WORKSPACE, "tags", "tagInformation.json", "tags", "service/workspaces/tags",
        "tag", 0),
    LINK(AK_WS_TAG_API, AK_WS_TAG, "apis", "tagApiInformation.json", "apis", NULL, "tag API link",
         AL_LINK, "apiId", AK_WS_API),
    LINK(AK_WS_TAG_PRODUCT, AK_WS_TAG, "products", "tagProductInformation.json", "products", NULL,
         "tag product link", AL_LINK, "productId", AK_WS_PRODUCT),
    ROW(AK_WS_BACKEND, AK_WORKSPACE, "backends", "backendInformation.json", "backends",
        "service/workspaces/backends", "backend", 0),
    ROW(AK_WS_NAMED_VALUE, AK_WORKSPACE, "named values", "namedValueInformation.json",
        "namedValues", "service/workspaces/namedValues", "named value", 0),
    ROW(AK_WS_VERSION_SET, AK_WORKSPACE, "version sets", "versionSetInformation.json",
        "versionSets", "service/workspaces/apiVersionSets", "version set", 0),
    ROW(AK_WS_LOGGER, AK_WORKSPACE, "loggers", "loggerInformation.json", "loggers",
        "service/workspaces/loggers", "logger", 0),
    ROW(AK_WS_DIAGNOSTIC, AK_WORKSPACE, "diagnostics", "diagnosticInformation.json", "diagnostics",
        "service/workspaces/diagnostics", "diagnostic", 0),
    ROW(AK_WS_FRAGMENT, AK_WORKSPACE, "policy fragments", "policyFragmentInformation.json",
        "policyFragments", "service/workspaces/policyFragments", "policy fragment",
        AL_INFO_OPTIONAL),
    ROW(AK_WS_GROUP, AK_WORKSPACE, "groups", "groupInformation.json", "groups",
        "service/workspaces/groups", "group", 0),
    ROW(AK_WS_SUBSCRIPTION, AK_WORKSPACE, "subscriptions", "subscriptionInformation.json",
        "subscriptions", "service/workspaces/subscriptions", "subscription", 0),
    ROW(AK_POLICY, AK_ROOT, NULL, NULL, "policies", NULL, "policy", 0),
};

const struct apiops_layout *apiops_layout(enum apiops_kind kind)
{
    return &rows[kind];
}

const struct apiops_layout *apiops_layout_folder(enum apiops_kind parent, const char *dir)
{
    for (size_t k = 0; k < AK_COUNT; k++)
        if (rows[k].kind != AK_ROOT && rows[k].parent == parent && rows[k].dir &&
            strcmp(rows[k].dir, dir) == 0)
            return &rows[k];
    return NULL;
}

const struct apiops_layout *apiops_layout_section(enum apiops_kind parent, struct str key)
{
    if ((rows[parent].flags & AL_POLICIES) && str_ieq_cstr(key, "policies"))
        return &rows[AK_POLICY];
    for (size_t k = 0; k < AK_COUNT; k++)
        if (rows[k].kind != AK_ROOT && rows[k].kind != AK_POLICY && rows[k].parent == parent &&
            str_ieq_cstr(key, rows[k].key))
            return &rows[k];
    return NULL;
}

/* ---- the string map ---- */

void apiops_map_init(struct apiops_map *m, struct arena *a)
{
    memset(m, 0, sizeof(*m));
    m->arena = a;
}

/* FNV-1a: keys are short paths and names. */
static size_t hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

static size_t slot(const struct apiops_map *m, const char *key)
{
    size_t mask = m->cap - 1, i = hash(key) & mask;
    while (m->v[i].key && strcmp(m->v[i].key, key) != 0)
        i = (i + 1) & mask;
    return i;
}

void *apiops_map_get(const struct apiops_map *m, const char *key)
{
    if (m->cap == 0)
        return NULL;
    size_t i = slot(m, key);
    return m->v[i].key ? m->v[i].value : NULL;
}

/* Doubles the table (the old one stays in the arena: the total is still
 * linear in the number of keys). */
static void grow(struct apiops_map *m)
{
    struct apiops_map old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->v = ARENA_ARRAY(m->arena, struct apiops_map_slot, m->cap);
    for (size_t i = 0; i < old.cap; i++)
        if (old.v[i].key)
            m->v[slot(m, old.v[i].key)] = old.v[i];
}

void apiops_map_put(struct apiops_map *m, const char *key, void *value)
{
    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    size_t i = slot(m, key);
    if (m->v[i].key == NULL)
        m->n++;
    m->v[i] = (struct apiops_map_slot){ key, value };
}

/* ---- files and folders ---- */

static char *lower(struct arena *a, const char *s)
{
    char *out = arena_strdup(a, s);
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    return out;
}

static const char *join(struct apiops_folder *f, const char *dir, const char *name)
{
    return arena_printf(f->arena, "%s/%s", dir, name);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *apiops_article(enum jval_kind k)
{
    return k == JV_NULL ? "" : k == JV_ARRAY || k == JV_INT || k == JV_OBJECT ? "an " : "a ";
}

struct loc apiops_path_loc(struct apiops_folder *f, const char *path)
{
    struct source *src = source_new(f->diag, path, "", 0);
    return (struct loc){ src, 0, 0 };
}

struct entry {
    const char *name;
    bool dir, file; /* a folder, a regular file, or neither (a FIFO, a socket: never opened) */
};

static int cmp_entries(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* Counts an entry against the cap on what one folder argument may hold. */
static bool take_entry(struct apiops_folder *f)
{
    if (f->nentries < APIM_MAX_INPUT_FILES) {
        f->nentries++;
        return true;
    }
    if (!f->too_many)
        diag_emit(f->diag, DC_TOO_LARGE, apiops_path_loc(f, f->root),
                  "'%s' holds more than %u files and folders; the rest is not read", f->root,
                  APIM_MAX_INPUT_FILES);
    f->too_many = true;
    return false;
}

/* The entries of dir in name order, without dot files (.git, .gitkeep:
 * not artifacts, and hidden by convention). */
static struct entry *list(struct apiops_folder *f, const char *dir, size_t *count)
{
    *count = 0;
    DIR *d = opendir(dir);
    if (d == NULL) {
        diag_emit(f->diag, DC_IO, LOC_NONE, "cannot read folder '%s': %s", dir, strerror(errno));
        return NULL;
    }
    struct entry *v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && (e->d_name[0] == '.' || take_entry(f))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            v = xrealloc(v, cap * sizeof(*v));
        }
        const char *path = join(f, dir, e->d_name);
        v[n].name = arena_strdup(f->arena, e->d_name);
        v[n].dir = is_dir(path);
        v[n].file = is_file(path);
        n++;
    }
    closedir(d);
    struct entry *out = ARENA_ARRAY(f->arena, struct entry, n + 1);
    if (n) {
        memcpy(out, v, n * sizeof(*v));
        qsort(out, n, sizeof(*out), cmp_entries);
    }
    free(v);
    *count = n;
    return out;
}

/* ---- detection ---- */

/* True if a resource folder of row under root/<row->dir>/ holds what makes
 * it one: its information file (or, for a policy fragment, its policy.xml).
 * Names alone prove nothing: a folder of templates may have an apis/. */
static bool has_resource(const char *root, const struct apiops_layout *row)
{
    char path[4096];
    if (snprintf(path, sizeof(path), "%s/%s", root, row->dir) >= (int)sizeof(path))
        return false;
    DIR *d = opendir(path);
    if (d == NULL)
        return false;
    bool found = false;
    struct dirent *e;
    char file[4400];
    while (!found && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(file, sizeof(file), "%s/%s/%s", path, e->d_name, row->info);
        found = is_file(file);
        if (!found && (row->flags & AL_INFO_OPTIONAL)) {
            snprintf(file, sizeof(file), "%s/%s/policy.xml", path, e->d_name);
            found = is_file(file);
        }
    }
    closedir(d);
    return found;
}

/* True if a resource folder of a collection in folder holds its file. */
static bool has_any_resource(const char *dir, enum apiops_kind in)
{
    for (size_t k = 0; k < AK_COUNT; k++)
        if (rows[k].kind != AK_ROOT && rows[k].parent == in && rows[k].dir && rows[k].info &&
            has_resource(dir, &rows[k]))
            return true;
    return false;
}

/* A folder holding only workspaces is an artifact folder too. */
static bool has_workspace_resource(const char *root)
{
    char path[4096], ws[4400];
    if (snprintf(path, sizeof(path), "%s/workspaces", root) >= (int)sizeof(path))
        return false;
    DIR *d = opendir(path);
    if (d == NULL)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' &&
            snprintf(ws, sizeof(ws), "%s/%s", path, e->d_name) < (int)sizeof(ws))
            found = has_any_resource(ws, AK_WORKSPACE);
    closedir(d);
    return found;
}

bool apiops_is_folder(const char *dir)
{
    return has_any_resource(dir, AK_ROOT) || has_workspace_resource(dir);
}

/* ---- what is not an artifact ---- */

static void unknown_folder(struct apiops_folder *f, const char *path, const char *name,
                           enum apiops_kind in)
{
    struct str names[AK_COUNT];
    size_t n = 0;
    for (size_t k = 0; k < AK_COUNT; k++)
        if (rows[k].kind != AK_ROOT && rows[k].parent == in && rows[k].dir)
            names[n++] = str_from_cstr(rows[k].dir);
    const char *hint = suggest(str_from_cstr(name), names, n);
    struct loc at = apiops_path_loc(f, arena_printf(f->arena, "%s/", path));
    struct diag_entry *e =
        diag_emit(f->diag, DC_APIOPS_UNKNOWN, at,
                  "folder '%s' is not part of the APIOps layout; the publisher ignores what it "
                  "holds",
                  name);
    if (hint)
        diag_note(f->diag, e, at, "did you mean '%s'?", hint);
}

static bool is_configuration_file(const char *name)
{
    size_t n = strlen(name);
    return strncmp(name, "configuration", 13) == 0 &&
           ((n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
            (n > 4 && strcmp(name + n - 4, ".yml") == 0));
}

static void unknown_file(struct apiops_folder *f, const char *path, const char *name,
                         enum apiops_kind in)
{
    struct loc at = apiops_path_loc(f, path);
    if (in == AK_ROOT && is_configuration_file(name))
        diag_emit(f->diag, DC_APIOPS_UNKNOWN, at,
                  "'%s' is not an APIOps artifact; a publisher configuration is given with "
                  "--configuration (or CONFIGURATION_YAML_PATH)",
                  name);
    else if ((in == AK_API || in == AK_WS_API) && strcmp(name, "specification.yml") == 0)
        diag_emit(f->diag, DC_APIOPS_UNKNOWN, at,
                  "'%s' is not an APIOps artifact; the publisher reads 'specification.yaml', "
                  "not '.yml'",
                  name);
    else
        diag_emit(f->diag, DC_APIOPS_UNKNOWN, at,
                  "'%s' is not an APIOps artifact; the publisher ignores it", name);
}

/* ---- reading artifacts ---- */

static struct apiops_artifact *new_artifact(struct apiops_folder *f,
                                            const struct apiops_layout *row, const char *name,
                                            const char *path, struct apiops_artifact *parent)
{
    struct apiops_artifact *a = ARENA_NEW(f->arena, struct apiops_artifact);
    a->layout = row;
    a->name = name;
    a->path = path;
    a->parent = parent;
    return a;
}

/* Files the artifact's configuration path and its name; appends it.
 * Returns false (reported) if the folder holds it twice: API Management
 * compares names without case, so "Orders" and "orders" are one resource,
 * and the publisher would PUT one over the other. */
static bool add_artifact(struct apiops_folder *f, struct apiops_artifact *a)
{
    const char *section = lower(f->arena, a->layout->key);
    a->key = a->parent ? arena_printf(f->arena, "%s/%s/%s", a->parent->key, section, a->name)
                       : arena_printf(f->arena, "%s/%s", section, a->name);
    const char *folded = lower(f->arena, a->key);
    const struct apiops_artifact *same = apiops_map_get(&f->keys, folded);
    if (same) {
        struct diag_entry *e = diag_emit(
            f->diag, DC_DUPLICATE_RESOURCE, a->at,
            "%s '%s' is also in the folder as '%s'; API Management compares names without "
            "case, so they are one resource",
            a->layout->what, a->name, same->name);
        diag_note(f->diag, e, same->at, "'%s' is here", same->name);
        return false;
    }
    apiops_map_put(&f->keys, folded, a);
    if (a->parent == NULL)
        apiops_map_put(
            &f->names,
            arena_printf(f->arena, "%d/%s", (int)a->layout->kind, lower(f->arena, a->name)), a);
    if (f->last)
        f->last->next = a;
    else
        f->first = a;
    f->last = a;
    return true;
}

struct apiops_artifact *apiops_find(const struct apiops_folder *f, enum apiops_kind kind,
                                    const char *name)
{
    char *key = arena_printf(f->arena, "%d/%s", (int)kind, lower(f->arena, name));
    return apiops_map_get(&f->names, key);
}

struct apiops_artifact *apiops_find_in(const struct apiops_folder *f,
                                       const struct apiops_artifact *parent, enum apiops_kind kind,
                                       const char *name)
{
    const char *key = parent ? arena_printf(f->arena, "%s/%s/%s", parent->key, rows[kind].key, name)
                             : arena_printf(f->arena, "%s/%s", rows[kind].key, name);
    return apiops_map_get(&f->keys, lower(f->arena, key));
}

/* A file's whole text as a located string: policy documents. */
static const struct jval *verbatim(struct apiops_folder *f, const struct source *src)
{
    struct jval *v = jval_string(f->arena, (struct loc){ src, 0, src->len }, src->text, src->len);
    v->flags |= JV_F_LITERAL | JV_F_VERBATIM;
    return v;
}

static void read_policy(struct apiops_folder *f, const char *path, const char *name,
                        struct apiops_artifact *owner)
{
    struct source *src = f->read_file(f->ctx, path);
    if (src == NULL)
        return;
    const char *stem = arena_strndup(f->arena, name, strlen(name) - 4);
    struct apiops_artifact *a = new_artifact(f, apiops_layout(AK_POLICY), stem, path, owner);
    a->text = verbatim(f, src);
    a->at = (struct loc){ src, 0, src->len ? 1u : 0u };
    (void)add_artifact(f, a); /* a duplicate is reported, and its text is not used */
}

/* The information file: a JSON object whose "properties" the publisher
 * sends as the resource. Returns false (reported) if it cannot be used. */
static bool read_info(struct apiops_folder *f, struct apiops_artifact *a, const char *path)
{
    struct source *src = f->read_file(f->ctx, path);
    struct jval *doc = src ? jval_parse(f->arena, f->diag, src) : NULL;
    if (doc == NULL)
        return false;
    a->at = (struct loc){ src, doc->loc.start, doc->loc.start + 1 };
    if (doc->kind != JV_OBJECT) {
        diag_emit(f->diag, DC_APIOPS_MALFORMED, doc->loc, "%s must hold a JSON object, not %s%s",
                  a->layout->info, apiops_article(doc->kind), jval_kind_name(doc->kind));
        return false;
    }
    for (size_t i = 0; i < doc->u.o.n; i++) {
        const struct jval_member *m = &doc->u.o.v[i];
        if (str_ieq_cstr(m->key, "properties") && m->value->kind != JV_OBJECT) {
            diag_emit(f->diag, DC_APIOPS_MALFORMED, m->value->loc,
                      "'properties' must be an object, not %s%s", apiops_article(m->value->kind),
                      jval_kind_name(m->value->kind));
            return false;
        }
        bool known = str_ieq_cstr(m->key, "properties") ||
                     ((a->layout->flags & AL_LINK) && str_ieq_cstr(m->key, "name"));
        if (!known && !(a->layout->flags & AL_COMPOSITE))
            diag_emit(f->diag, DC_APIOPS_IGNORED, m->key_loc,
                      "'%.*s' is outside 'properties'; API Management ignores it", STR_FMT(m->key));
    }
    a->info = doc;
    return true;
}

/* A link file names its link ("name") and the linked resource by id
 * (row->link); the publisher takes the file only if its folder is that
 * resource's name. */
static bool read_link(struct apiops_folder *f, struct apiops_artifact *a, const char *folder)
{
    const char *name = jval_get_str(a->info, "name"), *prop = a->layout->link;
    const struct jval *id = jval_get(jval_get(a->info, "properties"), prop);
    if (name == NULL || name[0] == '\0' || id == NULL || id->kind != JV_STRING) {
        diag_emit(f->diag, DC_APIOPS_MALFORMED, a->at,
                  "%s needs a 'name' and 'properties.%s'; the publisher ignores it without "
                  "them",
                  a->layout->info, prop);
        return false;
    }
    const char *slash = strrchr(id->u.s.ptr, '/');
    const char *target = slash ? slash + 1 : id->u.s.ptr;
    if (strcmp(target, folder) != 0) {
        diag_emit(f->diag, DC_APIOPS_MALFORMED, id->loc,
                  "the link names %s '%s' but is in folder '%s'; the publisher ignores it",
                  apiops_layout(a->layout->target)->what, target, folder);
        return false;
    }
    a->name = name;
    return true;
}

/* specification.<ext> in the order the publisher looks for them
 * (ApiSpecification.cs: GraphQL, WSDL, WADL, then OpenAPI JSON and YAML). */
static const char *const spec_exts[] = { "graphql", "wsdl", "wadl", "json", "yaml" };

#define NSPECS (sizeof(spec_exts) / sizeof(spec_exts[0]))

static int spec_rank(const char *name)
{
    if (strncmp(name, "specification.", 14) != 0)
        return -1;
    for (size_t i = 0; i < NSPECS; i++)
        if (strcmp(name + 14, spec_exts[i]) == 0)
            return (int)i;
    return -1;
}

/* The first specification the publisher would find is the API's; it does
 * not look at the others. */
static void take_spec(struct apiops_folder *f, struct apiops_artifact *api, const char **found)
{
    size_t best = NSPECS;
    for (size_t i = 0; i < NSPECS; i++) {
        if (found[i] == NULL)
            continue;
        if (best == NSPECS) {
            best = i;
            continue;
        }
        diag_emit(f->diag, DC_APIOPS_SPEC_UNUSED, apiops_path_loc(f, found[i]),
                  "'specification.%s' is not used: the publisher imports "
                  "'specification.%s', the first of .graphql, .wsdl, .wadl, .json and .yaml",
                  spec_exts[i], spec_exts[best]);
    }
    if (best == NSPECS)
        return;
    api->spec = f->read_file(f->ctx, found[best]);
    api->spec_ext = spec_exts[best];
}

static void read_collection(struct apiops_folder *f, const char *path,
                            const struct apiops_layout *row, struct apiops_artifact *parent);

/* One pass over a resource's folder (or the root): child collections,
 * policies, the specification; anything else is reported. */
static void read_folder(struct apiops_folder *f, const char *dir, struct apiops_artifact *owner,
                        const struct apiops_layout *row)
{
    size_t n;
    struct entry *e = list(f, dir, &n);
    const char *specs[NSPECS] = { NULL };
    for (size_t i = 0; i < n; i++) {
        const char *name = e[i].name, *path = join(f, dir, name);
        size_t len = strlen(name);
        int rank = (row->flags & AL_SPEC) ? spec_rank(name) : -1;
        const struct apiops_layout *sub = e[i].dir ? apiops_layout_folder(row->kind, name) : NULL;
        if (sub)
            read_collection(f, path, sub, owner);
        else if (e[i].dir)
            unknown_folder(f, path, name, row->kind);
        else if (!e[i].file)
            diag_emit(f->diag, DC_APIOPS_UNKNOWN, apiops_path_loc(f, path),
                      "'%s' is neither a regular file nor a folder; it is not read", name);
        else if (row->info && strcmp(name, row->info) == 0)
            continue; /* read with its resource */
        else if (rank >= 0)
            specs[rank] = path;
        else if ((row->flags & AL_INFO_OPTIONAL) && strcmp(name, "policy.xml") == 0)
            continue; /* the fragment's value, read with it */
        else if (row->kind == AK_WORKSPACE && len > 4 && strcmp(name + len - 4, ".xml") == 0)
            diag_emit(f->diag, DC_APIOPS_UNKNOWN, apiops_path_loc(f, path),
                      "'%s' is not an APIOps artifact: the publisher deploys no workspace-scope "
                      "policy, so it ignores it (policies go in the workspace's APIs, "
                      "operations and products)",
                      name);
        else if ((row->flags & AL_POLICIES) && len > 4 && strcmp(name + len - 4, ".xml") == 0) {
            if (owner || row->kind == AK_ROOT)
                read_policy(f, path, name, owner);
        } else {
            unknown_file(f, path, name, row->kind);
        }
    }
    if (owner && (row->flags & AL_SPEC))
        take_spec(f, owner, specs);
}

static void missing(struct apiops_folder *f, struct apiops_artifact *a)
{
    if (a->layout->flags & AL_INFO_OPTIONAL)
        diag_emit(f->diag, DC_APIOPS_MISSING, a->at,
                  "%s '%s' has neither %s nor policy.xml, so the publisher does not create it",
                  a->layout->what, a->name, a->layout->info);
    else
        diag_emit(f->diag, DC_APIOPS_MISSING, a->at,
                  "%s '%s' has no %s, so the publisher does not create it", a->layout->what,
                  a->name, a->layout->info);
}

/* A resource folder: <collection>/<name>/. A resource that cannot be
 * created (no or a broken information file), or whose parent is not, is
 * still read, so what it holds is checked, but it is not added: what it
 * holds would only repeat that it is missing. */
static void read_resource(struct apiops_folder *f, const char *path,
                          const struct apiops_layout *row, struct apiops_artifact *parent,
                          const char *name)
{
    struct apiops_artifact *a = new_artifact(f, row, name, path, parent);
    a->at = apiops_path_loc(f, arena_printf(f->arena, "%s/", path));
    bool live = parent || row->parent == AK_ROOT;
    const char *info = row->info ? join(f, path, row->info) : NULL;
    bool ok = true;
    if (info && is_file(info))
        ok = read_info(f, a, info) && (!(row->flags & AL_LINK) || read_link(f, a, name));
    if ((row->flags & AL_INFO_OPTIONAL) && is_file(join(f, path, "policy.xml"))) {
        struct source *src = f->read_file(f->ctx, join(f, path, "policy.xml"));
        a->text = src ? verbatim(f, src) : NULL;
        ok = ok && src != NULL;
        if (a->info == NULL && src)
            a->at = (struct loc){ src, 0, src->len ? 1u : 0u };
    }
    if (ok && live && info && a->info == NULL && a->text == NULL) {
        missing(f, a);
        ok = false;
    }
    ok = ok && live && add_artifact(f, a);
    read_folder(f, path, ok ? a : NULL, row);
}

static void read_collection(struct apiops_folder *f, const char *path,
                            const struct apiops_layout *row, struct apiops_artifact *parent)
{
    size_t n;
    struct entry *e = list(f, path, &n);
    for (size_t i = 0; i < n; i++) {
        const char *child = join(f, path, e[i].name);
        if (!e[i].dir)
            diag_emit(f->diag, DC_APIOPS_UNKNOWN, apiops_path_loc(f, child),
                      "'%s' is not an APIOps artifact; '%s' holds one folder per %s", e[i].name,
                      row->dir, row->what);
        else
            read_resource(f, child, row, parent, e[i].name);
    }
}

void apiops_walk(struct apiops_folder *f)
{
    apiops_map_init(&f->names, f->arena);
    apiops_map_init(&f->keys, f->arena);
    read_folder(f, f->root, NULL, apiops_layout(AK_ROOT));
}
