/* compile_link.c - linked templates on the local disk (compile.h).
 *
 * A deployment's templateLink names its template by relativePath (relative
 * to the linking template, as ARM resolves it: learn.microsoft.com,
 * "TemplateLink.RelativePath") or by uri. A uri points at a web location
 * (often a parameter such as repoBaseUrl plus a file path) that a laptop
 * does not have, so the file is looked for where a repository checkout
 * puts it: the uri's path, longest tail first, beside the linking template
 * ("https://x/repo/products/p.json" -> products/p.json, then p.json); then
 * an input of the run with that file name, if exactly one has it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compile.h"

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* "a/b/c.json" -> "a/b/"; "c.json" -> "". */
static struct str dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return (struct str){ path, slash ? (size_t)(slash - path + 1) : 0 };
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The path part of a uri: after "scheme://host", before '?' or '#'. */
static struct str uri_path(const char *uri)
{
    const char *p = strstr(uri, "://");
    p = p ? strchr(p + 3, '/') : uri;
    if (p == NULL)
        return STR_NULL;
    return (struct str){ p, strcspn(p, "?#") };
}

/* The input (given, or found in a folder) named base, if only one is. */
static const char *unique_input(struct compiler *c, const char *base)
{
    const char *hit = NULL;
    for (const struct compile_unit *u = c->units; u; u = u->next) {
        if (!u->input || strcmp(base_of(u->path), base) != 0)
            continue;
        if (hit)
            return NULL;
        hit = u->path;
    }
    return hit;
}

static const char *find_uri_file(struct compiler *c, struct str dir, const char *uri,
                                 const char **looked_for)
{
    struct str path = uri_path(uri);
    while (path.len && path.ptr[path.len - 1] == '/')
        path.len--;
    if (path.len == 0)
        return NULL;
    /* Tails of the path, longest first: "a/b/c.json", "b/c.json", "c.json"
     * (a uri without a scheme is tried whole first). */
    const char *last = NULL;
    for (size_t i = 0; i < path.len; i++) {
        bool whole = i == 0 && path.ptr[0] != '/';
        if (!whole && (path.ptr[i] != '/' || i + 1 >= path.len))
            continue;
        size_t from = whole ? 0 : i + 1;
        struct str tail = { path.ptr + from, path.len - from };
        const char *cand = arena_printf(&c->arena, "%.*s%.*s", STR_FMT(dir), STR_FMT(tail));
        last = arena_strndup(&c->arena, tail.ptr, tail.len);
        if (is_file(cand))
            return cand;
    }
    if (last == NULL)
        return NULL;
    *looked_for = base_of(last);
    return unique_input(c, *looked_for);
}

static const char *find_file(struct compiler *c, const struct arm_link *l, const char **looked_for)
{
    struct str dir = dir_of(l->from ? l->from->name : "");
    if (l->relative_path) {
        const char *rel = l->relative_path;
        while (rel[0] == '.' && rel[1] == '/')
            rel += 2;
        const char *cand =
            rel[0] == '/' ? rel : arena_printf(&c->arena, "%.*s%s", STR_FMT(dir), rel);
        *looked_for = cand;
        return is_file(cand) ? cand : NULL;
    }
    return find_uri_file(c, dir, l->uri, looked_for);
}

const struct jval *compiler_read_link(void *ctx, const struct arm_link *link,
                                      const char **looked_for)
{
    struct compiler *c = ctx;
    const char *path = find_file(c, link, looked_for);
    struct compile_unit *u = path ? compiler_unit_for(c, path) : NULL;
    if (u == NULL || u->doc == NULL)
        return NULL; /* not there, or unreadable (its own diagnostics say why) */
    if (link->parameters || u->kind == COMPILE_PARAMETERS)
        return u->doc;
    if (c->linking_early) {
        u->linked_early = true;
        return u->doc;
    }
    if (u->kind == COMPILE_TEMPLATE) {
        u->kind = COMPILE_LINKED;
        u->parameters_from = NULL; /* the link passes the parameters */
    }
    if (u->linked_from == NULL && link->from)
        u->linked_from = link->from->name;
    return u->doc;
}
