#include "report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int report_parse_format(const char *name, enum report_format *out)
{
    static const char *const names[] = { "text", "json", "sarif", "github" };
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (enum report_format)i;
            return 0;
        }
    }
    return -1;
}

const char *report_kind_name(enum compile_kind k)
{
    switch (k) {
    case COMPILE_TEMPLATE:
        return "template";
    case COMPILE_PARAMETERS:
        return "parameters";
    case COMPILE_SIMPLE_API:
        return "simple-api";
    case COMPILE_SPEC:
        return "specification";
    case COMPILE_APIOPS:
        return "apiops-folder";
    case COMPILE_UNREADABLE:
        return "unreadable";
    case COMPILE_LINKED:
        return "linked-template";
    case COMPILE_STREAM:
        return "streaming-jobs";
    case COMPILE_UNKNOWN:
        break;
    }
    return "unknown";
}

struct span {
    unsigned line, col, end_line, end_col;
};

static struct span span_of(const struct loc *l)
{
    struct span s = { 0, 0, 0, 0 };
    if (l->src == NULL)
        return s;
    source_line_col(l->src, l->start, &s.line, &s.col);
    uint32_t end = l->end > l->start ? l->end : l->start + 1;
    if (end > l->src->len)
        end = l->src->len;
    source_line_col(l->src, end, &s.end_line, &s.end_col);
    if (s.end_line == s.line && s.end_col <= s.col)
        s.end_col = s.col + 1;
    return s;
}

static int dump(json_t *root, struct buf *out)
{
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (text == NULL)
        return -1;
    int rc = buf_puts(out, text) == 0 && buf_puts(out, "\n") == 0 ? 0 : -1;
    free(text);
    return rc;
}

/* ---- JSON ---- */

static json_t *json_location(const struct loc *l)
{
    struct span s = span_of(l);
    if (l->src == NULL)
        return json_pack("{s:n}", "file");
    return json_pack("{s:s, s:I, s:I, s:I, s:I}", "file", l->src->name, "line", (json_int_t)s.line,
                     "column", (json_int_t)s.col, "endLine", (json_int_t)s.end_line, "endColumn",
                     (json_int_t)s.end_col);
}

static json_t *json_entry(const struct diag_entry *e)
{
    json_t *o = json_location(&e->loc);
    json_object_set_new(o, "severity", json_string(diag_level_str(e->level)));
    json_object_set_new(o, "code", json_string(diag_code_str(e->code)));
    json_object_set_new(o, "name", json_string(diag_code_slug(e->code)));
    json_object_set_new(o, "message", json_string(e->msg));
    json_t *notes = json_array();
    for (const struct diag_entry *n = e->notes; n; n = n->next) {
        json_t *no = json_location(&n->loc);
        json_object_set_new(no, "message", json_string(n->msg));
        json_array_append_new(notes, no);
    }
    json_object_set_new(o, "notes", notes);
    return o;
}

static int render_json(const struct compiler *c, struct buf *out)
{
    json_t *files = json_array(), *diags = json_array();
    size_t valid = 0;
    for (const struct compile_unit *u = c->units; u; u = u->next) {
        json_t *f = json_pack("{s:s, s:s, s:b, s:I, s:I}", "path", u->path, "kind",
                              report_kind_name(u->kind), "valid", u->errors == 0, "errors",
                              (json_int_t)u->errors, "warnings", (json_int_t)u->warnings);
        if (u->parameters_from)
            json_object_set_new(f, "parameters", json_string(u->parameters_from));
        if (u->linked_from)
            json_object_set_new(f, "linkedFrom", json_string(u->linked_from));
        json_array_append_new(files, f);
        valid += u->errors == 0;
    }
    for (size_t i = 0; i < c->diag.n; i++)
        json_array_append_new(diags, json_entry(c->diag.v[i]));
    json_t *summary =
        json_pack("{s:I, s:I, s:I, s:I, s:I}", "files", (json_int_t)c->nunits, "valid",
                  (json_int_t)valid, "invalid", (json_int_t)(c->nunits - valid), "errors",
                  (json_int_t)c->diag.nerrors, "warnings", (json_int_t)c->diag.nwarnings);
    return dump(json_pack("{s:i, s:o, s:o, s:o}", "version", 1, "files", files, "diagnostics",
                          diags, "summary", summary),
                out);
}

/* ---- SARIF 2.1.0 ---- */

static const char *sarif_level(enum diag_level l)
{
    return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

/* A file path as a URI reference: unreserved characters and '/' stay, the
 * rest is percent-encoded (SARIF 2.1.0 §3.4.3). */
static char *uri_of(const char *path)
{
    struct buf b;
    buf_init(&b, 1u << 20);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        bool keep = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= '0' && *p <= '9') || strchr("-._~/", *p);
        if ((keep ? buf_append(&b, p, 1) : buf_printf(&b, "%%%02X", *p)) != 0)
            break;
    }
    return buf_steal(&b, NULL);
}

static json_t *sarif_location(const struct loc *l, const char *message)
{
    if (l->src == NULL)
        return json_pack("{s:{s:s}}", "message", "text", message ? message : "");
    struct span s = span_of(l);
    char *uri = uri_of(l->src->name);
    json_t *loc = json_pack("{s:{s:{s:s}, s:{s:I, s:I, s:I, s:I}}}", "physicalLocation",
                            "artifactLocation", "uri", uri, "region", "startLine",
                            (json_int_t)s.line, "startColumn", (json_int_t)s.col, "endLine",
                            (json_int_t)s.end_line, "endColumn", (json_int_t)s.end_col);
    free(uri);
    if (message)
        json_object_set_new(loc, "message", json_pack("{s:s}", "text", message));
    return loc;
}

static json_t *sarif_rules(const char *docs_url)
{
    size_t base = docs_url ? strlen(docs_url) : 0;
    while (base && docs_url[base - 1] == '/')
        base--;
    json_t *rules = json_array();
    for (int i = 0; i < DIAG_CODE_COUNT; i++) {
        enum diag_code code = (enum diag_code)i;
        char text[128];
        snprintf(text, sizeof(text), "%s", diag_code_slug(code));
        for (char *p = text; *p; p++)
            *p = *p == '-' ? ' ' : *p;
        json_t *rule =
            json_pack("{s:s, s:s, s:{s:s}, s:{s:s}}", "id", diag_code_str(code), "name",
                      diag_code_slug(code), "shortDescription", "text", text,
                      "defaultConfiguration", "level", sarif_level(diag_code_level(code)));
        if (docs_url) {
            /* docs/validate.md's anchors are the codes in lower case */
            char anchor[16];
            snprintf(anchor, sizeof(anchor), "%s", diag_code_str(code));
            for (char *p = anchor; *p; p++)
                *p = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
            size_t n = base + sizeof("/validate.md#") + sizeof(anchor);
            char *uri = xmalloc(n);
            snprintf(uri, n, "%.*s/validate.md#%s", (int)base, docs_url, anchor);
            json_object_set_new(rule, "helpUri", json_string(uri));
            free(uri);
        }
        json_array_append_new(rules, rule);
    }
    return rules;
}

static json_t *sarif_result(const struct diag_entry *e)
{
    json_t *r = json_pack("{s:s, s:i, s:s, s:{s:s}}", "ruleId", diag_code_str(e->code), "ruleIndex",
                          (int)e->code, "level", sarif_level(e->level), "message", "text", e->msg);
    json_t *locs = json_array();
    if (e->loc.src)
        json_array_append_new(locs, sarif_location(&e->loc, NULL));
    json_object_set_new(r, "locations", locs);
    json_t *related = json_array();
    int id = 0;
    for (const struct diag_entry *n = e->notes; n; n = n->next) {
        json_t *l = sarif_location(&n->loc, n->msg);
        json_object_set_new(l, "id", json_integer(id++));
        json_array_append_new(related, l);
    }
    if (json_array_size(related))
        json_object_set_new(r, "relatedLocations", related);
    else
        json_decref(related);
    return r;
}

static int render_sarif(const struct compiler *c, const char *docs_url, struct buf *out)
{
    json_t *results = json_array();
    for (size_t i = 0; i < c->diag.n; i++)
        json_array_append_new(results, sarif_result(c->diag.v[i]));
    json_t *driver = json_pack("{s:s, s:s, s:s, s:o}", "name", "apim", "informationUri",
                               "https://github.com/apimlocal/apimlocal", "version", APIM_VERSION,
                               "rules", sarif_rules(docs_url));
    json_t *run = json_pack("{s:{s:o}, s:s, s:o}", "tool", "driver", driver, "columnKind",
                            "unicodeCodePoints", "results", results);
    return dump(json_pack("{s:s, s:s, s:[o]}", "$schema",
                          "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
                          "runs", run),
                out);
}

/* ---- GitHub workflow commands ---- */

/* Escapes per GitHub's workflow command rules: data escapes %, CR, LF;
 * property values also ':' and ','. */
static int gh_escape(struct buf *out, const char *s, bool property)
{
    for (; *s; s++) {
        int rc;
        if (*s == '%')
            rc = buf_puts(out, "%25");
        else if (*s == '\r')
            rc = buf_puts(out, "%0D");
        else if (*s == '\n')
            rc = buf_puts(out, "%0A");
        else if (property && *s == ':')
            rc = buf_puts(out, "%3A");
        else if (property && *s == ',')
            rc = buf_puts(out, "%2C");
        else
            rc = buf_append(out, s, 1);
        if (rc)
            return -1;
    }
    return 0;
}

static int gh_entry(const struct diag_entry *e, struct buf *out)
{
    const char *cmd = e->level == DIAG_ERROR     ? "error"
                      : e->level == DIAG_WARNING ? "warning"
                                                 : "notice";
    if (buf_printf(out, "::%s ", cmd))
        return -1;
    if (e->loc.src) {
        struct span s = span_of(&e->loc);
        if (buf_puts(out, "file=") || gh_escape(out, e->loc.src->name, true) ||
            buf_printf(out, ",line=%u,col=%u,endLine=%u,endColumn=%u,", s.line, s.col, s.end_line,
                       s.end_col))
            return -1;
    }
    if (buf_printf(out, "title=%s::", diag_code_str(e->code)) || gh_escape(out, e->msg, false))
        return -1;
    for (const struct diag_entry *n = e->notes; n; n = n->next) {
        if (buf_puts(out, "%0A") || gh_escape(out, n->msg, false))
            return -1;
        if (n->loc.src) {
            unsigned line, col;
            source_line_col(n->loc.src, n->loc.start, &line, &col);
            char where[64];
            snprintf(where, sizeof(where), " (line %u)", line);
            if (buf_puts(out, where))
                return -1;
        }
    }
    return buf_puts(out, "\n");
}

static int render_github(const struct compiler *c, struct buf *out)
{
    for (size_t i = 0; i < c->diag.n; i++)
        if (gh_entry(c->diag.v[i], out))
            return -1;
    return 0;
}

int report_render(const struct compiler *c, enum report_format f, struct buf *out)
{
    return report_render_with(c, f, NULL, out);
}

bool report_url_is_absolute(const char *url)
{
    const char *p = url;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return false;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.')
        p++;
    return p[0] == ':' && p[1] == '/' && p[2] == '/' && p[3] != '\0';
}

int report_render_with(const struct compiler *c, enum report_format f,
                       const struct report_options *opt, struct buf *out)
{
    const char *docs_url = opt ? opt->docs_url : NULL;
    switch (f) {
    case REPORT_TEXT:
        return diag_render_text(&c->diag, out);
    case REPORT_JSON:
        return render_json(c, out);
    case REPORT_SARIF:
        return render_sarif(c, docs_url, out);
    case REPORT_GITHUB:
        return render_github(c, out);
    }
    return -1;
}
