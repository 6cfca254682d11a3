/* apiops_config.c - the APIOps publisher's configuration.<env>.yaml: per
 * environment overrides of the artifacts' properties, merged the way the
 * publisher merges them.
 *
 * Rules (Azure/apiops at c248e0b, src/publisher/Configuration.cs and
 * src/common/Json.cs):
 * - a section is the resource's configuration key (camelCase of its plural
 *   name: apis, namedValues, versionSets, policyFragments, ...) holding a
 *   list of mappings, each with a "name"; children sit in the same form
 *   inside their parent's entry (apis -> diagnostics, operations ->
 *   policies, ...);
 * - an entry applies to the resource whose name equals "name" exactly
 *   (ordinal, with case); two entries with one name in one section apply
 *   neither (SingleOrNone);
 * - the entry is merged into the resource body: objects member by member,
 *   recursively, anything else replaced (JsonObject.MergeWith); for APIs
 *   "apiRevision" and "isCurrent" are removed first;
 * - an entry for a resource that is not in the artifacts creates nothing.
 * Section keys are matched without case: the publisher's configuration
 * object is case-insensitive.
 */
#include <stdio.h>
#include <string.h>

#include "apiops_int.h"
#include "suggest.h"
#include "yaml.h"

struct reader {
    struct arena *arena;
    struct diag *diag;
    struct apiops_config *cfg;
};

static void invalid(struct reader *r, struct loc at, const char *what, const struct jval *v)
{
    diag_emit(r->diag, DC_CONFIG_INVALID, at, "%s, not %s%s", what, apiops_article(v->kind),
              jval_kind_name(v->kind));
}

static void ignored(struct reader *r, const struct jval_member *m, const char *why)
{
    diag_emit(r->diag, DC_APIOPS_IGNORED, m->key_loc, "'%.*s' %s", STR_FMT(m->key), why);
}

/* ---- sections and entries ---- */

static void read_section(struct reader *r, const struct jval_member *m,
                         const struct apiops_layout *row, struct apiops_override *parent);

/* "properties" of an API entry may not change its revision. */
static void check_api_props(struct reader *r, const struct jval *props)
{
    static const char *const fixed[] = { "apiRevision", "isCurrent" };
    for (size_t i = 0; i < 2; i++) {
        struct jval_member *m = jval_get_member(props, fixed[i]);
        if (m)
            ignored(r, m, "is removed from API overrides by the publisher; it has no effect");
    }
}

static void read_entry(struct reader *r, struct apiops_override *o, const struct jval *entry)
{
    for (size_t i = 0; i < entry->u.o.n; i++) {
        const struct jval_member *m = &entry->u.o.v[i];
        const struct apiops_layout *child = apiops_layout_section(o->layout->kind, m->key);
        if (str_ieq_cstr(m->key, "name")) {
            continue;
        } else if (str_ieq_cstr(m->key, "properties")) {
            if (m->value->kind == JV_OBJECT)
                o->props = m->value;
            else if (m->value->kind != JV_NULL)
                invalid(r, m->value->loc, "'properties' must be a mapping", m->value);
        } else if (child) {
            read_section(r, m, child, o);
        } else {
            ignored(r, m,
                    "is not 'properties' or a section of child resources; the publisher sends it "
                    "outside the resource's properties, where API Management ignores it");
        }
    }
    if (o->props && o->layout->kind == AK_API)
        check_api_props(r, o->props);
    if (o->props && (o->layout->flags & (AL_NO_INFO | AL_COMPOSITE)))
        ignored(r, jval_get_member(entry, "properties"),
                "has no effect here: the publisher sends no body for this resource");
}

/* Section keys are compared without case, names exactly: keys hold the
 * lower-case section keys and the names as written. */
static char *override_key(struct reader *r, const struct apiops_override *parent,
                          const struct apiops_layout *row, const char *name)
{
    char *section = arena_strdup(r->arena, row->key);
    for (char *p = section; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    return parent ? arena_printf(r->arena, "%s/%s/%s", parent->key, section, name)
                  : arena_printf(r->arena, "%s/%s", section, name);
}

static void add_override(struct reader *r, struct apiops_override *o)
{
    struct apiops_override *first = apiops_map_get(&r->cfg->index, o->key);
    if (first) {
        /* SingleOrNone: neither applies. */
        first->ambiguous = o->ambiguous = true;
        struct diag_entry *e =
            diag_emit(r->diag, DC_CONFIG_DUPLICATE, o->name_loc,
                      "%s '%s' is overridden twice; the publisher applies neither override",
                      o->layout->what, o->name);
        diag_note(r->diag, e, first->name_loc, "first override here");
    } else {
        apiops_map_put(&r->cfg->index, o->key, o);
    }
    if (r->cfg->last)
        r->cfg->last->next = o;
    else
        r->cfg->first = o;
    r->cfg->last = o;
}

static void read_item(struct reader *r, const struct jval *item, const struct apiops_layout *row,
                      struct apiops_override *parent)
{
    if (item->kind != JV_OBJECT) {
        invalid(r, item->loc, "an override must be a mapping with 'name' and 'properties'", item);
        return;
    }
    const struct jval *name = jval_get(item, "name");
    if (name == NULL || name->kind != JV_STRING || name->u.s.len == 0) {
        diag_emit(r->diag, DC_CONFIG_INVALID, name ? name->loc : item->loc,
                  "an override of a %s needs a 'name': the resource it applies to", row->what);
        return;
    }
    struct apiops_override *o = ARENA_NEW(r->arena, struct apiops_override);
    o->layout = row;
    o->name = name->u.s.ptr;
    o->name_loc = name->loc;
    o->parent = parent;
    o->key = override_key(r, parent, row, o->name);
    add_override(r, o);
    read_entry(r, o, item);
}

static void read_section(struct reader *r, const struct jval_member *m,
                         const struct apiops_layout *row, struct apiops_override *parent)
{
    const struct jval *v = m->value;
    if (v->kind == JV_NULL)
        return; /* "apis:" with nothing under it */
    if (v->kind != JV_ARRAY) {
        char what[160];
        snprintf(what, sizeof(what), "section '%.*s' must be a list of overrides", STR_FMT(m->key));
        invalid(r, v->loc, what, v);
        return;
    }
    for (size_t i = 0; i < v->u.a.n; i++)
        read_item(r, v->u.a.v[i], row, parent);
}

/* ---- the top level ---- */

/* Settings of the publisher run itself: its configuration is one object,
 * so they may be written here too. They do not change what is deployed. */
static const char *const settings[] = {
    "API_MANAGEMENT_SERVICE_OUTPUT_FOLDER_PATH",
    "APPLICATION_INSIGHTS_CONNECTION_STRING",
    "ARM_API_VERSION",
    "AZURE_BEARER_TOKEN",
    "AZURE_CLOUD_ENVIRONMENT",
    "AZURE_RESOURCE_GROUP_NAME",
    "AZURE_SUBSCRIPTION_ID",
    "COMMIT_ID",
    "CONFIGURATION_YAML_PATH",
    "DRY-RUN",
    "DRY_RUN",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "STRICT_VALIDATION",
    "API_SPECIFICATION_FORMAT",
    "apiSpecificationFormat",
    "Logging",
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

/* apimServiceName, or API_MANAGEMENT_SERVICE_NAME, which the publisher
 * reads first (ManagementService.cs). */
static void service_name(struct reader *r, const struct jval_member *m, bool first_choice)
{
    if (m->value->kind != JV_STRING || m->value->u.s.len == 0) {
        char what[120];
        snprintf(what, sizeof(what), "'%.*s' must be the name of the service", STR_FMT(m->key));
        invalid(r, m->value->loc, what, m->value);
        return;
    }
    if (first_choice || r->cfg->service == NULL)
        r->cfg->service = m->value->u.s.ptr;
}

static void top_level(struct reader *r, const struct jval_member *m)
{
    const struct apiops_layout *row = apiops_layout_section(AK_ROOT, m->key);
    if (row) {
        read_section(r, m, row, NULL);
        return;
    }
    if (str_ieq_cstr(m->key, "apimServiceName") ||
        str_ieq_cstr(m->key, "API_MANAGEMENT_SERVICE_NAME")) {
        service_name(r, m, str_ieq_cstr(m->key, "API_MANAGEMENT_SERVICE_NAME"));
        return;
    }
    for (size_t i = 0; i < NSETTINGS; i++)
        if (str_ieq_cstr(m->key, settings[i]))
            return;
    struct str names[AK_COUNT + 1];
    size_t n = 0;
    for (size_t k = 0; k < AK_COUNT; k++)
        if (apiops_layout((enum apiops_kind)k)->parent == AK_ROOT && k != AK_ROOT)
            names[n++] = str_from_cstr(apiops_layout((enum apiops_kind)k)->key);
    names[n++] = STR_LIT("apimServiceName");
    const char *hint = suggest(m->key, names, n);
    struct diag_entry *e =
        diag_emit(r->diag, DC_APIOPS_IGNORED, m->key_loc,
                  "'%.*s' is not a section the publisher reads; it is ignored", STR_FMT(m->key));
    if (hint)
        diag_note(r->diag, e, m->key_loc, "did you mean '%s'?", hint);
}

/* {#name#} is a pipeline token (the replace-tokens step of the APIOps
 * workflows puts secrets there before the publisher runs). One left in
 * means that step did not run: the text would be deployed as it is. */
static void scan_tokens(struct reader *r, const struct jval *v)
{
    if (v->kind == JV_OBJECT) {
        for (size_t i = 0; i < v->u.o.n; i++)
            scan_tokens(r, v->u.o.v[i].value);
    } else if (v->kind == JV_ARRAY) {
        for (size_t i = 0; i < v->u.a.n; i++)
            scan_tokens(r, v->u.a.v[i]);
    } else if (v->kind == JV_STRING) {
        const char *s = v->u.s.ptr;
        for (const char *p = strstr(s, "{#"); p; p = strstr(p + 2, "{#")) {
            const char *end = strstr(p + 2, "#}");
            if (end == NULL)
                break;
            size_t at = (size_t)(p - s), len = (size_t)(end + 2 - p);
            diag_emit(r->diag, DC_CONFIG_TOKEN, jval_string_subloc(v, at, at + len),
                      "'%.*s' is a pipeline token that was not replaced; the value is used as "
                      "written",
                      (int)len, p);
            p = end;
        }
    }
}

struct apiops_config *apiops_config_read(struct arena *a, struct diag *d, const struct source *src)
{
    struct jval *doc = yaml_parse(a, d, src);
    if (doc == NULL)
        return NULL;
    struct reader r = { a, d, ARENA_NEW(a, struct apiops_config) };
    apiops_map_init(&r.cfg->index, a);
    if (doc->kind != JV_OBJECT) {
        invalid(&r, doc->loc, "a publisher configuration must be a mapping of sections", doc);
        return NULL;
    }
    for (size_t i = 0; i < doc->u.o.n; i++)
        top_level(&r, &doc->u.o.v[i]);
    scan_tokens(&r, doc);
    return r.cfg;
}

const char *apiops_config_service(const struct apiops_config *cfg)
{
    return cfg ? cfg->service : NULL;
}

/* ---- use ---- */

struct apiops_override *apiops_config_match(struct apiops_config *cfg, const char *key)
{
    struct apiops_override *o = cfg ? apiops_map_get(&cfg->index, key) : NULL;
    if (o == NULL)
        return NULL;
    o->used = true;
    return o->ambiguous ? NULL : o;
}

void apiops_config_reset(struct apiops_config *cfg)
{
    for (struct apiops_override *o = cfg ? cfg->first : NULL; o; o = o->next)
        o->used = false;
}

static char *folded(struct arena *a, const char *s)
{
    char *out = arena_strdup(a, s);
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    return out;
}

void apiops_config_unused(const struct apiops_config *cfg, struct apiops_folder *f)
{
    for (const struct apiops_override *o = cfg ? cfg->first : NULL; o; o = o->next) {
        /* Reported once: at the outermost entry that matched nothing. */
        if (o->used || o->ambiguous || (o->parent && !o->parent->used))
            continue;
        struct diag_entry *e =
            diag_emit(f->diag, DC_CONFIG_NO_MATCH, o->name_loc,
                      "the override of %s '%s' matches nothing in '%s'; the publisher creates "
                      "nothing from it",
                      o->layout->what, o->name, f->root);
        const struct apiops_artifact *near = apiops_map_get(&f->keys, folded(f->arena, o->key));
        if (near)
            diag_note(f->diag, e, near->at,
                      "%s '%s' is here; the publisher compares names exactly, with case",
                      near->layout->what, near->name);
    }
}

/* ---- the merge ---- */

struct jval *apiops_merge(struct arena *a, const struct jval *base, const struct jval *over)
{
    if (over == NULL || base == NULL || base->kind != JV_OBJECT || over->kind != JV_OBJECT)
        return (struct jval *)(over ? over : base);
    struct jval *out = jval_object(a, base->loc, base->u.o.n + over->u.o.n);
    out->flags = base->flags;
    out->origin = base->origin;
    memcpy(out->u.o.v, base->u.o.v, base->u.o.n * sizeof(*base->u.o.v));
    size_t n = base->u.o.n;
    for (size_t i = 0; i < over->u.o.n; i++) {
        const struct jval_member *m = &over->u.o.v[i];
        size_t k = n;
        while (k > 0 && !str_ieq(out->u.o.v[k - 1].key, m->key))
            k--;
        if (k > 0)
            out->u.o.v[k - 1].value = apiops_merge(a, out->u.o.v[k - 1].value, m->value);
        else
            out->u.o.v[n++] = *m;
    }
    out->u.o.n = n;
    return out;
}
