#include "yaml.h"

#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apim_limits.h"
#include "utf8.h"

/* A collection being built: its members or items grow in the arena. */
struct frame {
    struct jval *node;
    bool is_map;
    bool located; /* loc.start is known (block collections learn it from their first entry) */
    size_t cap;
    bool have_key;
    struct str key;
    struct loc key_loc;
    bool key_is_merge; /* plain "<<" */
    struct str anchor;
    struct jval **merges; /* values of "<<" keys, merged at the end */
    size_t nmerges;
};

struct anchor {
    struct str name;
    struct jval *value;
};

struct reader {
    struct arena *a;
    struct diag *d;
    const struct source *src;
    struct frame stack[APIM_MAX_JSON_DEPTH];
    size_t depth;
    struct jval *root;
    unsigned documents;
    bool failed;
    bool stopped;           /* too deep: the rest of the events are not read into values */
    struct anchor *anchors; /* open addressing by name */
    size_t anchors_cap, nanchors;
};

/* ---- locations ---- */

static struct loc token_loc(struct reader *r, struct fy_token *t)
{
    const struct fy_mark *s = t ? fy_token_start_mark(t) : NULL;
    const struct fy_mark *e = t ? fy_token_end_mark(t) : NULL;
    if (s == NULL)
        return (struct loc){ r->src, 0, 0 };
    uint32_t start = (uint32_t)(s->input_pos > r->src->len ? r->src->len : s->input_pos);
    uint32_t end = e ? (uint32_t)(e->input_pos > r->src->len ? r->src->len : e->input_pos) : start;
    return (struct loc){ r->src, start, end < start ? start : end };
}

static void error_at(struct reader *r, struct loc at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_at(struct reader *r, struct loc at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit_level(r->d, diag_code_level(DC_YAML_SYNTAX), DC_YAML_SYNTAX, at, fmt, ap);
    va_end(ap);
    r->failed = true;
}

/* A collection's extent grows with what it holds. */
static void extend(struct frame *f, struct loc at)
{
    if (!f->located) {
        f->node->loc.start = at.start;
        f->located = true;
    }
    if (f->node->loc.end < at.end)
        f->node->loc.end = at.end;
}

/* ---- anchors ---- */

static uint64_t name_hash(struct str s)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < s.len; i++)
        h = (h ^ (unsigned char)s.ptr[i]) * 1099511628211ULL;
    return h;
}

static struct anchor *anchor_slot(struct reader *r, struct str name)
{
    size_t j = (size_t)(name_hash(name) % r->anchors_cap);
    while (r->anchors[j].value && !str_eq(r->anchors[j].name, name))
        j = (j + 1) % r->anchors_cap;
    return &r->anchors[j];
}

/* YAML lets a later anchor of the same name replace an earlier one. */
static void anchor_set(struct reader *r, struct str name, struct jval *v)
{
    if (2 * (r->nanchors + 1) > r->anchors_cap) {
        struct anchor *old = r->anchors;
        size_t old_cap = r->anchors_cap;
        r->anchors_cap = old_cap ? old_cap * 2 : 64;
        r->anchors = xcalloc(r->anchors_cap, sizeof(*r->anchors));
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].value)
                *anchor_slot(r, old[i].name) = old[i];
        free(old);
    }
    struct anchor *slot = anchor_slot(r, name);
    if (slot->value == NULL)
        r->nanchors++;
    *slot = (struct anchor){ name, v };
}

static struct jval *anchor_get(struct reader *r, struct str name)
{
    return r->anchors_cap ? anchor_slot(r, name)->value : NULL;
}

static struct str token_str(struct reader *r, struct fy_token *t)
{
    size_t len = 0;
    const char *text = t ? fy_token_get_text(t, &len) : NULL;
    if (text == NULL)
        return STR_NULL;
    return (struct str){ arena_strndup(r->a, text, len), len };
}

/* ---- scalars ---- */

static bool is_null_text(struct str s)
{
    return s.len == 0 || str_eq(s, STR_LIT("~")) || str_eq(s, STR_LIT("null")) ||
           str_eq(s, STR_LIT("Null")) || str_eq(s, STR_LIT("NULL"));
}

static int bool_text(struct str s)
{
    if (str_eq(s, STR_LIT("true")) || str_eq(s, STR_LIT("True")) || str_eq(s, STR_LIT("TRUE")))
        return 1;
    if (str_eq(s, STR_LIT("false")) || str_eq(s, STR_LIT("False")) || str_eq(s, STR_LIT("FALSE")))
        return 0;
    return -1;
}

static bool all_in(const char *p, size_t n, const char *set)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strchr(set, p[i]) == NULL)
            return false;
    return true;
}

/* Core schema integers: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+. */
static bool int_text(struct str s, int64_t *out, bool *overflow)
{
    const char *p = s.ptr;
    size_t n = s.len;
    int base = 10;
    if (n > 2 && p[0] == '0' && (p[1] == 'o' || p[1] == 'x')) {
        base = p[1] == 'o' ? 8 : 16;
        if (!all_in(p + 2, n - 2, base == 8 ? "01234567" : "0123456789abcdefABCDEF"))
            return false;
        p += 2;
    } else {
        size_t sign = (n && (p[0] == '-' || p[0] == '+')) ? 1 : 0;
        if (!all_in(p + sign, n - sign, "0123456789"))
            return false;
    }
    errno = 0;
    char *end;
    long long v = strtoll(p, &end, base);
    *overflow = errno == ERANGE;
    *out = v;
    return true;
}

/* Core schema floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, .inf, .nan. */
static bool float_text(struct str s, double *out)
{
    static const char *const inf[] = { ".inf", ".Inf", ".INF" };
    static const char *const nan[] = { ".nan", ".NaN", ".NAN" };
    size_t sign = (s.len && (s.ptr[0] == '-' || s.ptr[0] == '+')) ? 1 : 0;
    struct str body = { s.ptr + sign, s.len - sign };
    for (size_t i = 0; i < 3; i++) {
        if (str_eq(body, str_from_cstr(inf[i]))) {
            *out = s.ptr[0] == '-' ? -INFINITY : INFINITY;
            return true;
        }
        if (sign == 0 && str_eq(body, str_from_cstr(nan[i]))) {
            *out = NAN;
            return true;
        }
    }
    size_t i = 0, digits = 0;
    while (i < body.len && body.ptr[i] >= '0' && body.ptr[i] <= '9')
        i++, digits++;
    if (i < body.len && body.ptr[i] == '.')
        for (i++; i < body.len && body.ptr[i] >= '0' && body.ptr[i] <= '9'; i++)
            digits++;
    if (digits == 0)
        return false;
    if (i < body.len && (body.ptr[i] == 'e' || body.ptr[i] == 'E')) {
        i++;
        if (i < body.len && (body.ptr[i] == '-' || body.ptr[i] == '+'))
            i++;
        if (!all_in(body.ptr + i, body.len - i, "0123456789"))
            return false;
        i = body.len;
    }
    if (i != body.len)
        return false;
    *out = strtod(s.ptr, NULL); /* s is NUL-terminated in the arena */
    return true;
}

static struct jval *typed_plain(struct reader *r, struct loc at, struct str s)
{
    int64_t i;
    bool overflow;
    double x;
    int b;
    if (is_null_text(s))
        return jval_null(r->a, at);
    if ((b = bool_text(s)) >= 0)
        return jval_bool(r->a, at, b == 1);
    if (int_text(s, &i, &overflow) && !overflow)
        return jval_int(r->a, at, i);
    if (float_text(s, &x)) {
        struct jval *v = jval_null(r->a, at);
        v->kind = JV_REAL;
        v->u.r = x;
        return v;
    }
    return jval_string(r->a, at, s.ptr, s.len);
}

static bool tag_is_str(struct reader *r, struct fy_token *tag)
{
    struct str t = token_str(r, tag);
    return str_eq(t, STR_LIT("!!str")) || str_eq(t, STR_LIT("tag:yaml.org,2002:str"));
}

/* ---- building ---- */

static void add_member(struct reader *r, struct frame *f, struct jval *v)
{
    struct jval *o = f->node;
    if (f->key_is_merge) {
        f->merges = f->nmerges ? f->merges : ARENA_ARRAY(r->a, struct jval *, 1);
        if (f->nmerges) {
            struct jval **m = ARENA_ARRAY(r->a, struct jval *, f->nmerges + 1);
            memcpy(m, f->merges, f->nmerges * sizeof(*m));
            f->merges = m;
        }
        f->merges[f->nmerges++] = v;
        f->have_key = false;
        return;
    }
    ARENA_GROW(r->a, o->u.o.v, o->u.o.n, f->cap, 8);
    o->u.o.v[o->u.o.n++] = (struct jval_member){ f->key, f->key_loc, v };
    f->have_key = false;
}

static void add_item(struct reader *r, struct frame *f, struct jval *v)
{
    struct jval *o = f->node;
    ARENA_GROW(r->a, o->u.a.v, o->u.a.n, f->cap, 8);
    o->u.a.v[o->u.a.n++] = v;
}

/* Places a finished value: the root, a sequence item, or a mapping value. */
static void place(struct reader *r, struct jval *v)
{
    if (r->depth == 0) {
        r->root = v;
        return;
    }
    struct frame *f = &r->stack[r->depth - 1];
    if (!f->is_map)
        add_item(r, f, v);
    else if (f->have_key)
        add_member(r, f, v);
    else
        error_at(r, v->loc, "a mapping key must be a scalar");
    extend(f, v->loc);
}

/* A scalar that is a mapping key: its text, whatever it looks like. */
static bool take_key(struct reader *r, struct str text, struct loc at, bool plain)
{
    struct frame *f = r->depth ? &r->stack[r->depth - 1] : NULL;
    if (f == NULL || !f->is_map || f->have_key)
        return false;
    f->have_key = true;
    f->key = text;
    f->key_loc = at;
    f->key_is_merge = plain && str_eq(text, STR_LIT("<<"));
    extend(f, at);
    return true;
}

static void on_scalar(struct reader *r, struct fy_event *e)
{
    struct fy_token *t = e->scalar.value;
    struct loc at = token_loc(r, t);
    struct str text = token_str(r, t);
    if (text.ptr == NULL)
        text = (struct str){ arena_strndup(r->a, "", 0), 0 };
    bool plain = fy_token_scalar_style(t) == FYSS_PLAIN;
    if (take_key(r, text, at, plain))
        return;
    struct jval *v = plain && !tag_is_str(r, e->scalar.tag)
                         ? typed_plain(r, at, text)
                         : jval_string(r->a, at, text.ptr, text.len);
    /* When the source bytes are the value itself (one line, no escapes),
     * positions inside the string can be shown exactly. */
    if (v->kind == JV_STRING && at.end - at.start == text.len &&
        memcmp(r->src->text + at.start, text.ptr, text.len) == 0)
        v->flags |= JV_F_LITERAL | JV_F_VERBATIM;
    if (e->scalar.anchor)
        anchor_set(r, token_str(r, e->scalar.anchor), v);
    place(r, v);
}

static void on_alias(struct reader *r, struct fy_event *e)
{
    struct loc at = token_loc(r, e->alias.anchor);
    struct str name = token_str(r, e->alias.anchor);
    struct jval *v = anchor_get(r, name);
    if (v == NULL) {
        error_at(r, at, "alias '*%.*s' refers to no anchor defined before it", STR_FMT(name));
        v = jval_null(r->a, at);
    }
    if (v->kind == JV_STRING && take_key(r, v->u.s, at, false))
        return;
    place(r, v);
}

static void on_start(struct reader *r, struct fy_event *e, bool is_map)
{
    struct fy_token *anchor = is_map ? e->mapping_start.anchor : e->sequence_start.anchor;
    struct fy_token *start =
        is_map ? e->mapping_start.mapping_start : e->sequence_start.sequence_start;
    struct loc at = token_loc(r, start ? start : anchor);
    if (r->depth >= APIM_MAX_JSON_DEPTH) {
        diag_emit(r->d, DC_TOO_DEEP, at, "nesting is deeper than %d levels", APIM_MAX_JSON_DEPTH);
        /* The document is refused; reading on would pair the ends of the
         * collections not opened with the frames of their parents. */
        r->failed = r->stopped = true;
        return;
    }
    struct frame *parent = r->depth ? &r->stack[r->depth - 1] : NULL;
    if (parent && parent->is_map && !parent->have_key)
        error_at(r, at, "a mapping key must be a scalar");
    struct frame *f = &r->stack[r->depth++];
    *f = (struct frame){ 0 };
    f->is_map = is_map;
    f->located = start != NULL || anchor != NULL;
    f->node = is_map ? jval_object(r->a, at, 0) : jval_array(r->a, at, 0);
    f->anchor = anchor ? token_str(r, anchor) : STR_NULL;
}

static bool has_key(const struct jval *o, struct str key)
{
    for (size_t i = 0; i < o->u.o.n; i++)
        if (str_eq(o->u.o.v[i].key, key))
            return true;
    return false;
}

/* Merge keys: members of the merged mappings that the mapping does not set
 * itself, earlier merges first (YAML 1.1's merge key type). */
static void apply_merges(struct reader *r, struct frame *f)
{
    for (size_t m = 0; m < f->nmerges; m++) {
        const struct jval *src = f->merges[m];
        size_t n = src->kind == JV_ARRAY ? src->u.a.n : 1;
        for (size_t k = 0; k < n; k++) {
            const struct jval *one = src->kind == JV_ARRAY ? src->u.a.v[k] : src;
            if (one->kind != JV_OBJECT) {
                error_at(r, one->loc, "a merge key ('<<') takes a mapping or a list of mappings");
                continue;
            }
            for (size_t i = 0; i < one->u.o.n; i++) {
                if (has_key(f->node, one->u.o.v[i].key))
                    continue;
                f->have_key = true;
                f->key = one->u.o.v[i].key;
                f->key_loc = one->u.o.v[i].key_loc;
                f->key_is_merge = false;
                add_member(r, f, one->u.o.v[i].value);
            }
        }
    }
}

static int cmp_members(const void *x, const void *y)
{
    const struct jval_member *a = *(const struct jval_member *const *)x;
    const struct jval_member *b = *(const struct jval_member *const *)y;
    size_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
    int c = memcmp(a->key.ptr, b->key.ptr, n);
    if (c == 0)
        c = (a->key.len > b->key.len) - (a->key.len < b->key.len);
    return c ? c : (a->key_loc.start > b->key_loc.start) - (a->key_loc.start < b->key_loc.start);
}

/* YAML keys are unique (case-sensitive); sorting finds repeats in n log n. */
static void check_duplicates(struct reader *r, const struct jval *o)
{
    if (o->u.o.n < 2)
        return;
    const struct jval_member **v = xmalloc(o->u.o.n * sizeof(*v));
    for (size_t i = 0; i < o->u.o.n; i++)
        v[i] = &o->u.o.v[i];
    qsort(v, o->u.o.n, sizeof(*v), cmp_members);
    for (size_t i = 1; i < o->u.o.n; i++) {
        if (!str_eq(v[i]->key, v[i - 1]->key))
            continue;
        struct diag_entry *e =
            diag_emit_level(r->d, DIAG_ERROR, DC_DUPLICATE_KEY, v[i]->key_loc,
                            "duplicate key '%.*s' (YAML keys must be unique)", STR_FMT(v[i]->key));
        diag_note(r->d, e, v[i - 1]->key_loc, "first defined here");
        r->failed = true;
    }
    free(v);
}

static void on_end(struct reader *r, struct fy_event *e, bool is_map)
{
    if (r->depth == 0)
        return;
    struct frame f = r->stack[--r->depth];
    struct fy_token *end = is_map ? e->mapping_end.mapping_end : e->sequence_end.sequence_end;
    struct loc at = token_loc(r, end);
    if (end && at.end > f.node->loc.end && at.end > at.start)
        f.node->loc.end = at.end;
    if (f.is_map) {
        check_duplicates(r, f.node);
        apply_merges(r, &f);
    }
    if (f.anchor.ptr)
        anchor_set(r, f.anchor, f.node);
    place(r, f.node);
}

static void on_event(struct reader *r, struct fy_event *e)
{
    if (r->stopped)
        return;
    switch (e->type) {
    case FYET_DOCUMENT_START:
        if (++r->documents == 2)
            error_at(r, token_loc(r, e->document_start.document_start),
                     "a second YAML document; this file must hold one");
        break;
    case FYET_SCALAR:
        on_scalar(r, e);
        break;
    case FYET_ALIAS:
        on_alias(r, e);
        break;
    case FYET_MAPPING_START:
    case FYET_SEQUENCE_START:
        on_start(r, e, e->type == FYET_MAPPING_START);
        break;
    case FYET_MAPPING_END:
    case FYET_SEQUENCE_END:
        on_end(r, e, e->type == FYET_MAPPING_END);
        break;
    default:
        break;
    }
}

/* ---- libfyaml's own errors ---- */

static uint32_t offset_of(const struct source *s, int line, int column)
{
    if (line < 0 || (uint32_t)line >= s->nlines)
        return s->len;
    uint32_t off = s->line_start[line];
    /* columns count characters: step over UTF-8 continuation bytes */
    for (int c = 0; c < column && off < s->len && s->text[off] != '\n'; c++) {
        off++;
        while (off < s->len && ((unsigned char)s->text[off] & 0xC0) == 0x80)
            off++;
    }
    return off;
}

static void report_library_errors(struct reader *r, struct fy_diag *fyd)
{
    void *it = NULL;
    struct fy_diag_error *err;
    bool any = false;
    while ((err = fy_diag_errors_iterate(fyd, &it)) != NULL) {
        if (err->type < FYET_ERROR)
            continue;
        struct loc at;
        if (err->fyt && fy_token_start_mark(err->fyt))
            at = token_loc(r, err->fyt);
        else {
            uint32_t off = offset_of(r->src, err->line, err->column);
            at = (struct loc){ r->src, off, off < r->src->len ? off + 1 : off };
        }
        error_at(r, at, "invalid YAML: %s", err->msg ? err->msg : "syntax error");
        any = true;
        break; /* libfyaml stops at its first error: later ones would be noise */
    }
    if (!any)
        error_at(r, (struct loc){ r->src, r->src->len, r->src->len }, "invalid YAML");
}

bool yaml_text_is_yaml(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if ((unsigned char)c == 0xEF && i + 2 < len) { /* UTF-8 byte order mark */
            i += 2;
            continue;
        }
        return c != '{' && c != '[';
    }
    return false;
}

static struct fy_diag *make_diag(void)
{
    struct fy_diag_cfg cfg;
    fy_diag_cfg_default(&cfg);
    cfg.fp = NULL;
    cfg.level = FYET_ERROR;
    struct fy_diag *fyd = fy_diag_create(&cfg);
    if (fyd)
        fy_diag_set_collect_errors(fyd, true);
    return fyd;
}

struct jval *yaml_parse(struct arena *a, struct diag *d, const struct source *src)
{
    /* YAML files here are UTF-8, and libfyaml 0.7.12 loops for ever on some
     * invalid bytes ("%\x8a", found by fuzz_openapi): refuse them first. */
    size_t bad = utf8_check((const unsigned char *)src->text, src->len);
    if (bad < src->len) {
        diag_emit(d, DC_BAD_UTF8, (struct loc){ src, (uint32_t)bad, (uint32_t)bad + 1 },
                  "invalid UTF-8 byte 0x%02x", (unsigned char)src->text[bad]);
        return NULL;
    }
    struct reader *r = xcalloc(1, sizeof(*r));
    *r = (struct reader){ .a = a, .d = d, .src = src };
    struct fy_diag *fyd = make_diag();
    struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2, .diag = fyd };
    struct fy_parser *p = fyd ? fy_parser_create(&cfg) : NULL;
    if (p == NULL || fy_parser_set_string(p, src->text, src->len) != 0)
        xalloc_die(sizeof(struct fy_parse_cfg)); /* libfyaml fails only without memory */
    struct fy_event *e;
    while ((e = fy_parser_parse(p)) != NULL) {
        on_event(r, e);
        fy_parser_event_free(p, e);
    }
    if (fy_parser_get_stream_error(p))
        report_library_errors(r, fyd);
    fy_parser_destroy(p);
    fy_diag_destroy(fyd);
    struct jval *root = r->failed ? NULL : r->root;
    if (!r->failed && r->root == NULL)
        diag_emit(d, DC_EMPTY_INPUT, (struct loc){ src, 0, 0 }, "'%s' holds no YAML document",
                  src->name);
    free(r->anchors);
    free(r);
    return root;
}
