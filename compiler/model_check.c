/* model_check.c - semantic checks across the API Management model: what
 * Azure rejects at deployment (or accepts and then misbehaves on) that no
 * single resource shows on its own. Each check reports at the resource or
 * property at fault, with a note at the other party where there is one. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model.h"
#include "model_check_int.h"
#include "policy_check.h"
#include "suggest.h"
#include "url_template.h"

/* The checks of an object a copy loop made: what they find merges with
 * what the other copies find at the same place (diag.h, diag_copy_at). */
void mc_about(struct model *m, struct diag_copy c)
{
    diag_copy_at(m->diag, c);
}

bool mc_ieq(const char *a, const char *b)
{
    return a && b && str_ieq(str_from_cstr(a), str_from_cstr(b));
}

/* "/subscriptions/.../apiVersionSets/vs1", "/apiVersionSets/vs1" or "vs1". */
static const char *last_segment(const char *id)
{
    const char *slash = strrchr(id, '/');
    return slash ? slash + 1 : id;
}

enum diag_level model_missing_level(const struct model_service *s)
{
    return s->declared ? DIAG_ERROR : DIAG_WARNING;
}

struct diag_entry *model_missing(struct model *m, const struct model_service *s,
                                 enum diag_code code, struct loc at, const char *fmt, ...)
{
    enum diag_level level = model_missing_level(s);
    va_list ap;
    va_start(ap, fmt);
    struct diag_entry *e = diag_vemit_level(m->diag, level, code, at, fmt, ap);
    va_end(ap);
    return e;
}

/* ---- URLs and paths ---- */

bool mc_absolute_url(const char *url, bool websocket)
{
    const char *schemes[] = { "http://", "https://", "ws://", "wss://" };
    for (size_t i = 0; i < (websocket ? 4u : 2u); i++) {
        size_t n = strlen(schemes[i]);
        if (str_istarts_with(str_from_cstr(url), schemes[i]) && url[n] && url[n] != '/')
            return strpbrk(url, " \t\r\n") == NULL;
    }
    return false;
}

static void check_service_url(struct model *m, const struct model_api *a)
{
    if (a->service_url == NULL || a->service_url[0] == '\0')
        return;
    bool ws = mc_ieq(a->type, "websocket");
    if (!mc_absolute_url(a->service_url, ws))
        diag_emit(DIAG(m), DC_SERVICE_URL, a->service_url_loc,
                  "API '%s': serviceUrl '%s' is not an absolute %s URL", a->id, a->service_url,
                  ws ? "ws(s)" : "http(s)");
}

static void check_api_path(struct model *m, const struct model_api *a)
{
    if (a->path == NULL)
        return;
    size_t n = strlen(a->path);
    if (n > 400) {
        diag_emit(DIAG(m), DC_API_PATH, a->path_loc, "API '%s': path is longer than 400 characters",
                  a->id);
        return;
    }
    const char *bad = strpbrk(a->path, "?#{}\\ \t\r\n");
    if (bad)
        diag_emit(DIAG(m), DC_API_PATH, a->path_loc,
                  "API '%s': path '%s' contains '%c', which is not allowed in an API path", a->id,
                  a->path, *bad == '\t' || *bad == '\r' || *bad == '\n' ? ' ' : *bad);
    else if (strstr(a->path, "//"))
        diag_emit(DIAG(m), DC_API_PATH, a->path_loc, "API '%s': path '%s' has an empty segment",
                  a->id, a->path);
}

/* Paths compare without surrounding slashes and without case. */
static struct str trimmed(const char *path)
{
    struct str s = str_from_cstr(path ? path : "");
    while (s.len && s.ptr[0] == '/')
        s.ptr++, s.len--;
    while (s.len && s.ptr[s.len - 1] == '/')
        s.len--;
    return s;
}

/* ---- the service's APIs grouped by id ----
 *
 * Revisions and versions are APIs that share an id or a path; comparing
 * every API with every other would make a template of thousands of APIs
 * quadratic. The APIs are sorted once by id (declaration order within an
 * id) and each group is checked on its own. */

struct api_entry {
    struct model_api *a;
    size_t seq; /* declaration order */
};

struct api_groups {
    struct api_entry *v; /* sorted by id, then declaration order */
    size_t n;
    struct name_index start; /* id -> 1 + index of its group's first entry */
};

static int cmp_api_id(const void *x, const void *y)
{
    const struct api_entry *a = x, *b = y;
    int c = strcasecmp(a->a->id, b->a->id);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

static void group_apis(struct model *m, const struct model_service *s, struct api_groups *g)
{
    size_t n = 0;
    for (const struct model_api *a = s->apis; a; a = a->next)
        n++;
    g->v = ARENA_ARRAY(m->arena, struct api_entry, n + 1);
    g->n = 0;
    for (struct model_api *a = s->apis; a; a = a->next)
        if (a->id)
            g->v[g->n] = (struct api_entry){ a, g->n }, g->n++;
    qsort(g->v, g->n, sizeof(*g->v), cmp_api_id);
    name_index_init(&g->start, m->arena);
    for (size_t i = 0; i < g->n; i++)
        name_index_add(&g->start, g->v[i].a->id, strlen(g->v[i].a->id), (void *)(uintptr_t)(i + 1));
}

/* The group of APIs with id[0..idlen): [*first, return). */
static size_t group_of(const struct api_groups *g, const char *id, size_t idlen, size_t *first)
{
    uintptr_t at = (uintptr_t)name_index_find(&g->start, id, idlen);
    *first = at ? at - 1 : g->n;
    size_t end = *first;
    while (end < g->n && strlen(g->v[end].a->id) == idlen &&
           strncasecmp(g->v[end].a->id, id, idlen) == 0)
        end++;
    return end;
}

/* A revision belongs to the version set of its API even when it does not
 * repeat apiVersionSetId. */
static const struct model_version_set *version_set_of(const struct api_groups *g,
                                                      const struct model_api *a)
{
    if (a->version_set)
        return a->version_set;
    size_t i, end = group_of(g, a->id, strlen(a->id), &i);
    for (; i < end; i++)
        if (g->v[i].a->version_set)
            return g->v[i].a->version_set;
    return NULL;
}

struct path_entry {
    const struct model_api *a;
    struct str path;
    size_t seq;
};

static int cmp_path(const void *x, const void *y)
{
    const struct path_entry *a = x, *b = y;
    size_t n = a->path.len < b->path.len ? a->path.len : b->path.len;
    int c = strncasecmp(a->path.ptr, b->path.ptr, n);
    if (c == 0)
        c = (a->path.len > b->path.len) - (a->path.len < b->path.len);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* What b shares with an API declared before it: a version of the same
 * version set, or a path it may not share. Each kind is reported once per
 * API, against the first API it clashes with, so copies of one API with one
 * path are one finding. */
static void report_shared_path(struct model *m, const struct api_groups *g,
                               const struct model_api *a, const struct model_api *b,
                               bool *versioning, bool *path)
{
    const struct model_version_set *vs = version_set_of(g, a);
    if (vs && vs == version_set_of(g, b)) {
        if (*versioning || !mc_ieq(a->version ? a->version : "", b->version ? b->version : ""))
            return;
        *versioning = true;
        struct diag_entry *e =
            diag_emit(DIAG(m), DC_VERSIONING, b->loc,
                      "APIs '%s' and '%s' are both version '%s' of version set '%s'", a->id, b->id,
                      b->version ? b->version : "(original)", vs->id);
        diag_note(DIAG(m), e, a->loc, "'%s' declared here", a->id);
        return;
    }
    if (*path)
        return;
    *path = true;
    struct diag_entry *e =
        diag_emit(DIAG(m), DC_DUPLICATE_PATH, b->path_loc,
                  "APIs '%s' and '%s' both use path '%s'; only versions of one version "
                  "set and revisions of one API may share a path",
                  a->id, b->id, b->path);
    diag_note(DIAG(m), e, a->path_loc, "'%s' uses the path here", a->id);
}

/* APIs sorted by path (declaration order within one): only those of one
 * path are compared. */
static void check_duplicate_paths(struct model *m, const struct model_service *s,
                                  const struct api_groups *g)
{
    struct path_entry *v = ARENA_ARRAY(m->arena, struct path_entry, g->n + 1);
    size_t n = 0;
    for (const struct model_api *a = s->apis; a; a = a->next)
        if (a->path && a->id)
            v[n] = (struct path_entry){ a, trimmed(a->path), n }, n++;
    qsort(v, n, sizeof(*v), cmp_path);
    for (size_t first = 0, end; first < n; first = end) {
        for (end = first + 1; end < n && str_ieq(v[first].path, v[end].path); end++)
            ;
        for (size_t k = first + 1; k < end; k++) {
            mc_about(m, v[k].a->copy);
            bool versioning = false, path = false;
            for (size_t i = first; i < k; i++)
                if (!mc_ieq(v[i].a->id, v[k].a->id))
                    report_shared_path(m, g, v[i].a, v[k].a, &versioning, &path);
        }
    }
}

/* ---- versions and revisions ---- */

static void link_version_set(struct model *m, const struct model_service *s, struct model_api *a)
{
    if (a->version_set_ref == NULL) {
        if (a->version && a->version[0])
            diag_emit_level(DIAG(m), DIAG_WARNING, DC_VERSIONING, a->loc,
                            "API '%s' has apiVersion '%s' but no apiVersionSetId, so the version "
                            "is not part of its URL",
                            a->id, a->version);
        return;
    }
    const char *want = last_segment(a->version_set_ref);
    for (struct model_version_set *vs = s->version_sets; vs; vs = vs->next) {
        if (mc_ieq(vs->id, want)) {
            a->version_set = vs;
            return;
        }
    }
    model_missing(m, s, DC_VERSION_SET_REF, a->version_set_loc,
                  "API '%s' refers to version set '%s', which is not in this template", a->id,
                  want);
}

static void apply_releases(struct model *m, struct model_service *s, const struct api_groups *g)
{
    for (const struct model_release *r = s->releases; r; r = r->next) {
        mc_about(m, r->copy);
        if (r->api_ref == NULL)
            continue;
        const char *seg = last_segment(r->api_ref);
        const char *semi = strchr(seg, ';');
        const char *rev = semi && strncmp(semi, ";rev=", 5) == 0 ? semi + 5 : "1";
        size_t idlen = semi ? (size_t)(semi - seg) : strlen(seg);
        struct model_api *hit = model_find_api(m, s, seg, idlen, rev, false);
        if (hit == NULL) {
            model_missing(m, s, DC_REVISION, r->ref_loc,
                          "release refers to API revision '%s', which is not in this template",
                          seg);
            continue;
        }
        /* The released revision becomes current; the others stop being. */
        size_t i, end = group_of(g, hit->id, strlen(hit->id), &i);
        for (; i < end; i++)
            g->v[i].a->is_current = g->v[i].a == hit;
    }
}

/* A revision declared with "isCurrent": true becomes the current one, as
 * when Azure deploys it (docs: api-management-revisions, "make a revision
 * current"): the revisions of its API that are current only by default (no
 * isCurrent of their own) stop being current. Two explicit ones are still
 * reported by check_revisions. */
static void apply_is_current(const struct api_groups *g)
{
    for (size_t i = 0; i < g->n; i++) {
        const struct model_api *a = g->v[i].a;
        if (a->external || !a->current_set || !a->is_current)
            continue;
        size_t k, end = group_of(g, a->id, strlen(a->id), &k);
        for (; k < end; k++) {
            struct model_api *b = g->v[k].a;
            if (b != a && !b->external && !b->current_set)
                b->is_current = false;
        }
    }
}

/* One API against the other revisions of its id, entries [first, end) of
 * g, in declaration order. */
static void check_revision(struct model *m, const struct model_service *s,
                           const struct api_groups *g, size_t first, size_t end, size_t i)
{
    const struct model_api *a = g->v[i].a;
    mc_about(m, a->copy);
    if (a->external)
        return;
    bool has_base = false;
    const struct model_api *current = a->is_current ? a : NULL;
    for (size_t k = first; k < end; k++) {
        const struct model_api *b = g->v[k].a;
        bool after = k >= i;
        if (b == a)
            continue;
        has_base |= b->path != NULL;
        if (!after && mc_ieq(a->revision, b->revision)) {
            struct diag_entry *e =
                diag_emit(DIAG(m), DC_REVISION, a->loc, "API '%s' declares revision %s twice",
                          a->id, a->revision);
            diag_note(DIAG(m), e, b->loc, "first declared here");
        }
        if (b->is_current && current && b != current && after) {
            struct diag_entry *e = diag_emit(DIAG(m), DC_REVISION, b->loc,
                                             "revisions %s and %s of API '%s' are both current",
                                             a->revision, b->revision, a->id);
            diag_note(DIAG(m), e, a->loc, "revision %s declared here", a->revision);
        }
    }
    if (a->named_revision && a->path == NULL && !has_base && a->source_api_ref == NULL)
        model_missing(m, s, DC_REVISION, a->loc,
                      "revision %s of API '%s' has no path and the API itself is not in this "
                      "template",
                      a->revision, a->id);
}

static void check_revisions(struct model *m, const struct model_service *s,
                            const struct api_groups *g)
{
    for (size_t first = 0, end; first < g->n; first = end) {
        end = group_of(g, g->v[first].a->id, strlen(g->v[first].a->id), &first);
        for (size_t i = first; i < end; i++)
            check_revision(m, s, g, first, end, i);
    }
}

static void check_source_api(struct model *m, const struct model_service *s,
                             const struct api_groups *g, const struct model_api *a)
{
    if (a->source_api_ref == NULL)
        return;
    const char *seg = last_segment(a->source_api_ref);
    size_t first, idlen = strcspn(seg, ";");
    if (group_of(g, seg, idlen, &first) > first)
        return;
    model_missing(m, s, DC_API_REF, a->loc,
                  "API '%s' is copied from '%s' (sourceApiId), which is not in this template",
                  a->id, seg);
}

/* ---- operations ---- */

static bool http_token(const char *s)
{
    if (s == NULL || *s == '\0')
        return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              strchr("!#$%&'*+-.^_`|~", *s)))
            return false;
    return true;
}

static void check_params(struct model *m, const struct model_operation *op,
                         const struct url_template *t)
{
    for (size_t i = 0; i < t->nparams; i++) {
        if (strcmp(t->params[i].name, "*") == 0)
            continue;
        bool declared = false;
        for (size_t k = 0; k < op->nparams && !declared; k++)
            declared = strcmp(op->params[k].name, t->params[i].name) == 0;
        if (!declared)
            diag_emit(DIAG(m), DC_TEMPLATE_PARAM_UNDECLARED, t->params[i].loc,
                      "operation '%s': template parameter '%s' is not declared in "
                      "templateParameters",
                      op->id, t->params[i].name);
    }
    for (size_t k = 0; k < op->nparams; k++) {
        bool used = false;
        for (size_t i = 0; i < t->nparams && !used; i++)
            used = strcmp(op->params[k].name, t->params[i].name) == 0;
        if (!used)
            diag_emit(DIAG(m), DC_TEMPLATE_PARAM_UNUSED, op->params[k].loc,
                      "operation '%s': template parameter '%s' does not appear in urlTemplate "
                      "'%s'",
                      op->id, op->params[k].name, op->url_template);
    }
}

/* API Management takes any method token, so "GTE" deploys, and every call
 * to the operation then gets 404. A method that is neither in IANA's HTTP
 * Method Registry (nor the common PURGE) but one typo away from a method
 * people use gets a warning with the method it probably meant. */
static void check_method_typo(struct model *m, const struct model_operation *op)
{
    static const char *const registry[] = {
        "ACL",
        "BASELINE-CONTROL",
        "BIND",
        "CHECKIN",
        "CHECKOUT",
        "CONNECT",
        "COPY",
        "DELETE",
        "GET",
        "HEAD",
        "LABEL",
        "LINK",
        "LOCK",
        "MERGE",
        "MKACTIVITY",
        "MKCALENDAR",
        "MKCOL",
        "MKREDIRECTREF",
        "MKWORKSPACE",
        "MOVE",
        "OPTIONS",
        "ORDERPATCH",
        "PATCH",
        "POST",
        "PRI",
        "PROPFIND",
        "PROPPATCH",
        "PURGE",
        "PUT",
        "QUERY",
        "REBIND",
        "REPORT",
        "SEARCH",
        "TRACE",
        "UNBIND",
        "UNCHECKOUT",
        "UNLINK",
        "UNLOCK",
        "UPDATE",
        "UPDATEREDIRECTREF",
        "VERSION-CONTROL",
    };
    static const char *const common_names[] = { "GET",   "POST",    "PUT",  "DELETE",
                                                "PATCH", "OPTIONS", "HEAD", "TRACE" };
    struct str common[sizeof(common_names) / sizeof(common_names[0])];
    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        common[i] = str_from_cstr(common_names[i]);
    struct str method = str_from_cstr(op->method);
    for (size_t i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
        if (str_ieq_cstr(method, registry[i]))
            return;
    const char *hint = suggest(method, common, sizeof(common) / sizeof(common[0]));
    if (hint)
        diag_emit(DIAG(m), DC_UNUSUAL_METHOD, op->method_loc,
                  "operation '%s': method '%s' is not a registered HTTP method; did you mean "
                  "'%s'?",
                  op->id, op->method, hint);
}

static void check_operation(struct model *m, struct model_operation *op)
{
    if (op->method && !http_token(op->method))
        diag_emit(DIAG(m), DC_BAD_METHOD, op->method_loc,
                  "operation '%s': '%s' is not a valid HTTP method", op->id, op->method);
    else if (op->method)
        check_method_typo(m, op);
    if (op->url_template == NULL || op->template_value == NULL)
        return;
    struct url_template t;
    if (url_template_parse(m->arena, m->diag, op->template_value, &t) != 0)
        return;
    check_params(m, op, &t);
}

struct op_key {
    const char *key; /* "METHOD key": equal exactly for operations matching the same requests */
    const struct model_operation *op;
    size_t index; /* position in the API, to report in declaration order */
};

static int cmp_op_key(const void *pa, const void *pb)
{
    const struct op_key *a = pa, *b = pb;
    int c = strcasecmp(a->key, b->key);
    return c ? c : a->index < b->index ? -1 : a->index > b->index;
}

/* Two operations that match the same requests. Sorted by key, so an API
 * with thousands of operations (an import) costs n log n, not n^2. */
static void check_duplicate_operations(struct model *m, const struct model_api *a)
{
    struct op_key *keys = ARENA_ARRAY(m->arena, struct op_key, a->nops + 1);
    size_t n = 0;
    for (const struct model_operation *x = a->ops; x && n < a->nops; x = x->next) {
        if (x->method == NULL || x->url_template == NULL)
            continue;
        const char *key = url_template_key(m->arena, x->url_template);
        keys[n] = (struct op_key){ arena_printf(m->arena, "%s %s", x->method, key), x, n };
        n++;
    }
    qsort(keys, n, sizeof(*keys), cmp_op_key);
    for (size_t g = 0, end; g < n; g = end) {
        for (end = g + 1; end < n && strcasecmp(keys[g].key, keys[end].key) == 0; end++)
            ;
        for (size_t k = g + 1; k < end; k++) { /* each against the first: one finding each */
            const struct model_operation *x = keys[g].op, *y = keys[k].op;
            mc_about(m, y->copy);
            struct diag_entry *e = diag_emit(DIAG(m), DC_DUPLICATE_OPERATION, y->template_loc,
                                             "API '%s': operations '%s' and '%s' both match %s %s",
                                             a->id, x->id, y->id, y->method, y->url_template);
            diag_note(DIAG(m), e, x->template_loc, "'%s' declared here", x->id);
        }
    }
    mc_about(m, a->copy);
}

/* ---- the rest ---- */

static void check_diagnostics(struct model *m, const struct model_service *s)
{
    for (const struct model_diagnostic *d = s->diagnostics; d; d = d->next) {
        mc_about(m, d->copy);
        if (d->api_id && !mc_api_exists(m, s, d->api_id, d->loc))
            model_missing(m, s, DC_API_REF, d->loc,
                          "diagnostic '%s' belongs to API '%s', which is not in this template",
                          d->id, d->api_id);
        if (d->logger_ref == NULL)
            continue;
        const char *want = last_segment(d->logger_ref);
        bool found = false;
        for (const struct model_logger *l = s->loggers; l && !found; l = l->next)
            found = mc_ieq(l->id, want);
        if (!found)
            model_missing(m, s, DC_LOGGER_REF, d->logger_loc,
                          "diagnostic '%s' uses logger '%s', which is not in this template", d->id,
                          want);
    }
}

static void check_gateway_apis(struct model *m, const struct model_service *s)
{
    for (const struct model_gateway_api *g = s->gateway_apis; g; g = g->next) {
        mc_about(m, g->copy);
        bool found = false;
        for (const struct model_gateway *gw = s->gateways; gw && !found; gw = gw->next)
            found = mc_ieq(gw->id, g->gateway_id);
        if (!found)
            model_missing(m, s, DC_GATEWAY_REF, g->loc, "gateway '%s' is not in this template",
                          g->gateway_id);
        if (!mc_api_exists(m, s, g->api_id, g->loc))
            model_missing(m, s, DC_GATEWAY_REF, g->loc,
                          "gateway '%s' links API '%s', which is not in this template",
                          g->gateway_id, g->api_id);
    }
}

static void check_named_values(struct model *m, const struct model_service *s)
{
    for (const struct model_named_value *nv = s->named_values; nv; nv = nv->next) {
        mc_about(m, nv->copy);
        const char *dn = nv->display_name;
        if (dn &&
            (strlen(dn) > 256 ||
             strspn(dn, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") !=
                 strlen(dn)))
            diag_emit(DIAG(m), DC_PROPERTY_VALUE, nv->display_name_loc,
                      "named value '%s': displayName '%s' may only hold letters, digits, '.', "
                      "'-' and '_'",
                      nv->id, dn);
    }
}

static struct model_api *source_of(const struct api_groups *g, const struct model_api *a)
{
    const char *seg = a->id;
    size_t idlen = strlen(a->id);
    const char *rev = NULL;
    if (a->source_api_ref) {
        seg = last_segment(a->source_api_ref);
        idlen = strcspn(seg, ";");
        const char *semi = strchr(seg, ';');
        rev = semi && strncmp(semi, ";rev=", 5) == 0 ? semi + 5 : NULL;
    }
    struct model_api *hit = NULL;
    size_t i, end = group_of(g, seg, idlen, &i);
    for (; i < end; i++) {
        struct model_api *b = g->v[i].a;
        if (b == a || b->external)
            continue;
        /* A revision without sourceApiId is a revision of its own API. */
        if (a->source_api_ref == NULL) {
            if (!b->named_revision)
                return b;
            continue;
        }
        if (rev ? mc_ieq(b->revision, rev) : (hit == NULL || b->is_current))
            hit = b;
    }
    return hit;
}

/* An API created with sourceApiId (a revision, or a copy) starts as a copy
 * of its source: what it does not say itself, it takes from there, and it
 * has the source's operations unless it declares its own of the same id. */
static void inherit_source(struct model *m, const struct api_groups *g, struct model_api *a)
{
    const struct model_api *src = source_of(g, a);
    if (src == NULL || src->source_api_ref == a->source_api_ref)
        return;
    bool revision = mc_ieq(src->id, a->id);
#define TAKE(field)       \
    if (a->field == NULL) \
    a->field = src->field
    TAKE(display_name);
    if (revision) /* a copy under another id needs a path of its own */
        TAKE(path);
    TAKE(service_url);
    TAKE(key_header);
    TAKE(key_query);
    TAKE(version);
    TAKE(version_set_ref);
    TAKE(policy);
#undef TAKE
    if (a->path == src->path)
        a->path_loc = src->path_loc;
    if (!a->protocols_set)
        a->protocols = src->protocols;
    if (!a->subscription_required_set)
        a->subscription_required = src->subscription_required;
    for (const struct model_operation *op = src->ops; op; op = op->next) {
        if (op->id == NULL || model_find_operation(m, a, op->id))
            continue;
        struct model_operation *copy = ARENA_NEW(m->arena, struct model_operation);
        *copy = *op;
        model_api_add_operation(a, copy);
    }
}

static void check_service(struct model *m, struct model_service *s)
{
    struct api_groups g;
    group_apis(m, s, &g);
    for (struct model_api *a = s->apis; a; a = a->next)
        if (!a->external && (a->source_api_ref || a->named_revision))
            inherit_source(m, &g, a);
    for (struct model_api *a = s->apis; a; a = a->next) {
        mc_about(m, a->copy);
        link_version_set(m, s, a);
    }
    apply_is_current(&g);
    apply_releases(m, s, &g);
    for (struct model_api *a = s->apis; a; a = a->next) {
        mc_about(m, a->copy);
        check_api_path(m, a);
        check_service_url(m, a);
        check_source_api(m, s, &g, a);
        for (struct model_operation *op = a->ops; op; op = op->next) {
            mc_about(m, op->copy);
            check_operation(m, op);
        }
        check_duplicate_operations(m, a);
        /* After an error, an operation may be missing only because it failed. */
        bool clean = m->diag->nerrors == m->errors_at_init;
        if (clean && !a->external && a->nops == 0 && a->import_format == NULL &&
            mc_ieq(a->type, "http") && a->source_api_ref == NULL)
            diag_emit(DIAG(m), DC_NO_OPERATIONS, a->loc,
                      "API '%s' has no operations, so every request to it gets 404", a->id);
    }
    check_revisions(m, s, &g);
    check_duplicate_paths(m, s, &g);
    mc_check_links(m, s);
    mc_check_group_links(m, s);
    mc_check_subscriptions(m, s);
    mc_check_backends(m, s);
    policy_check_service(m, s);
    mc_check_policies(m, s);
    check_diagnostics(m, s);
    check_gateway_apis(m, s);
    check_named_values(m, s);
    mc_about(m, DIAG_COPY_NONE);
}

/* A workspace's documents, fragments, named values and backends, checked as
 * a service's are (model.h): what a workspace has is all it has. */
static void check_workspace(struct model *m, struct model_service *w)
{
    mc_check_backends(m, w);
    policy_check_service(m, w);
    mc_check_policies(m, w);
    check_named_values(m, w);
    mc_about(m, DIAG_COPY_NONE);
}

void model_check(struct model *m)
{
    for (struct model_service *s = m->services; s; s = s->next) {
        check_service(m, s);
        for (struct model_service *w = s->workspaces; w; w = w->next)
            check_workspace(m, w);
    }
    diag_copy_flush(m->diag);
}
