/* stream_read.c - a job declaration read field by field (the tables are in
 * stream_spec.c) into its canonical definition: every value checked where
 * it is written, defaults applied, durations in milliseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream_decl.h"
#include "stream_decl_int.h"
#include "suggest.h"

void stream_emit(struct jctx *c, const char *text, size_t n)
{
    if (c->too_big)
        return; /* reported already */
    if (c->emit_to != EMIT_OUT_ONLY && buf_append(&c->hashed, text, n) != 0)
        c->too_big = true; /* it is never longer than out by more than out's limit */
    if (c->emit_to != EMIT_HASHED_ONLY && buf_append(&c->out, text, n) != 0) {
        diag_emit(c->s->diag, DC_STREAM_VALUE, c->job->name_loc,
                  "job '%s' has a definition over %u bytes", c->job->name, STREAM_MAX_DEFINITION);
        c->too_big = true;
    }
}

void stream_emit_str(struct jctx *c, const char *s)
{
    char tmp[8];
    stream_emit(c, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)*p;
            stream_emit(c, tmp, 2);
        } else if (*p < 0x20) {
            snprintf(tmp, sizeof(tmp), "\\u%04x", *p);
            stream_emit(c, tmp, 6);
        } else {
            stream_emit(c, (const char *)p, 1);
        }
    }
    stream_emit(c, "\"", 1);
}

static void emit_int(struct jctx *c, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
    stream_emit(c, tmp, (size_t)n);
}

/* A string with a NUL byte cannot be in a definition: jansson (the
 * plan loader, the engine) refuses "\u0000" by default. */
static bool has_nul(struct str s)
{
    return memchr(s.ptr, '\0', s.len) != NULL;
}

/* An object member that a later one of the same key replaces (jval_get
 * keeps the last, as ARM does): not written, so a definition has no
 * duplicate keys. Objects in declarations are small. */
static bool replaced(const struct jval *obj, size_t i)
{
    for (size_t k = i + 1; k < obj->u.o.n; k++)
        if (str_eq(obj->u.o.v[k].key, obj->u.o.v[i].key))
            return true;
    return false;
}

/* Any value written by the declaration (pair, where, aggs, queue batches),
 * as compact JSON. */
static void emit_raw_at(struct jctx *c, const struct jval *v, unsigned depth)
{
    if (depth > 64 || v->kind == JV_UNKNOWN || (v->kind == JV_STRING && has_nul(v->u.s))) {
        diag_emit(c->s->diag, DC_STREAM_VALUE, v->loc, "%s: this value cannot be in a job (%s)",
                  c->what, depth > 64 ? "nested too deep" : "a NUL character or an unknown value");
        stream_emit(c, "null", 4);
    } else if (v->kind == JV_STRING) {
        stream_emit_str(c, v->u.s.ptr);
    } else if (v->kind == JV_ARRAY) {
        stream_emit(c, "[", 1);
        for (size_t i = 0; i < v->u.a.n; i++) {
            stream_emit(c, ",", i ? 1 : 0);
            emit_raw_at(c, v->u.a.v[i], depth + 1);
        }
        stream_emit(c, "]", 1);
    } else if (v->kind == JV_OBJECT) {
        bool first = true;
        stream_emit(c, "{", 1);
        for (size_t i = 0; i < v->u.o.n; i++) {
            if (replaced(v, i) || has_nul(v->u.o.v[i].key))
                continue;
            stream_emit(c, ",", first ? 0 : 1);
            stream_emit_str(c, v->u.o.v[i].key.ptr);
            stream_emit(c, ":", 1);
            emit_raw_at(c, v->u.o.v[i].value, depth + 1);
            first = false;
        }
        stream_emit(c, "}", 1);
    } else {
        struct buf b;
        buf_init(&b, 64);
        if (jval_write(v, &b) == 0 && b.data)
            stream_emit(c, b.data, b.len);
        else
            stream_emit(c, "null", 4);
        buf_release(&b);
    }
}

static void emit_raw(struct jctx *c, const struct jval *v)
{
    emit_raw_at(c, v, 0);
}

int64_t stream_duration_ms(const struct jval *v, bool zero_ok)
{
    int64_t ms = -1;
    if (v->kind == JV_INT) {
        ms = v->u.i;
    } else if (v->kind == JV_STRING) {
        const char *p = v->u.s.ptr;
        int64_t n = 0;
        size_t digits = 0;
        for (; *p >= '0' && *p <= '9' && digits < 12; p++, digits++)
            n = n * 10 + (*p - '0');

        static const struct {
            const char *unit;
            int64_t ms;
        } units[] = { { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 } };

        for (size_t i = 0; digits && i < sizeof(units) / sizeof(units[0]); i++)
            if (strcmp(p, units[i].unit) == 0)
                ms = n * units[i].ms;
    }
    if (ms < (zero_ok ? 0 : 1) || ms > STREAM_MAX_DURATION_MS)
        return -1;
    return ms;
}

static void bad_type(struct jctx *c, const struct stream_field *f, const struct jval *v,
                     const char *want)
{
    diag_emit(c->s->diag, DC_STREAM_VALUE, v->loc, "%s: '%s' must be %s, not %s", c->what, f->name,
              want, v->kind == JV_NULL ? "null" : jval_kind_name(v->kind));
}

/* The same, writing null in place of the value: a definition stays JSON
 * whatever its mistakes. */
static void bad_value(struct jctx *c, const struct stream_field *f, const struct jval *v,
                      const char *want)
{
    bad_type(c, f, v, want);
    stream_emit(c, "null", 4);
}

/* Reports v unless it is one of f's values; false if it is not a string. */
static bool check_enum(struct jctx *c, const struct stream_field *f, const struct jval *v)
{
    if (v->kind != JV_STRING) {
        bad_type(c, f, v, "a string");
        return false;
    }
    size_t n = 0;
    struct str cand[16];
    for (; f->values[n] && n < 16; n++)
        if (strcmp(f->values[n], v->u.s.ptr) == 0)
            break;
        else
            cand[n] = str_from_cstr(f->values[n]);
    if (f->values[n] == NULL) {
        struct diag_entry *e = diag_emit(c->s->diag, DC_STREAM_VALUE, v->loc,
                                         "%s: '%s' cannot be '%s'", c->what, f->name, v->u.s.ptr);
        const char *near = suggest(v->u.s, cand, n);
        if (near)
            diag_note(c->s->diag, e, v->loc, "did you mean '%s'?", near);
    }
    return true;
}

static void put_enum(struct jctx *c, const struct stream_field *f, const struct jval *v)
{
    if (check_enum(c, f, v))
        stream_emit_str(c, v->u.s.ptr);
    else
        stream_emit(c, "null", 4);
}

static void put_int(struct jctx *c, const struct stream_field *f, const struct jval *v, int64_t min,
                    int64_t max)
{
    if (f->type == SF_UINT && v->kind == JV_NULL) {
        stream_emit(c, "0", 1);
        return;
    }
    if (v->kind != JV_INT) {
        bad_value(c, f, v, "an integer");
        return;
    }
    if (v->u.i < min || v->u.i > max)
        diag_emit(c->s->diag, DC_STREAM_VALUE, v->loc, "%s: '%s' must be %lld to %lld, not %lld",
                  c->what, f->name, (long long)min, (long long)max, (long long)v->u.i);
    emit_int(c, v->u.i);
}

static void put_duration(struct jctx *c, const struct stream_field *f, const struct jval *v)
{
    if (f->type == SF_DUR_NULL && v->kind == JV_NULL) {
        stream_emit(c, "null", 4);
        return;
    }
    int64_t ms = stream_duration_ms(v, f->type == SF_DUR0);
    if (ms < 0) {
        diag_emit(c->s->diag, DC_STREAM_DURATION, v->loc,
                  "%s: '%s' is not a duration (a whole number of ms, s, m or h, such as "
                  "\"500ms\" or \"1s\", or an integer of milliseconds, %s)",
                  c->what, f->name, f->type == SF_DUR0 ? "at least 0" : "more than 0");
        ms = 0;
    }
    emit_int(c, ms);
}

static void put_strlist(struct jctx *c, const struct stream_field *f, const struct jval *v)
{
    if (v->kind == JV_NULL && f->def && strcmp(f->def, "null") == 0) {
        stream_emit(c, "null", 4);
        return;
    }
    if (v->kind != JV_ARRAY) {
        bad_value(c, f, v, "an array of strings");
        return;
    }
    stream_emit(c, "[", 1);
    for (size_t i = 0; i < v->u.a.n; i++) {
        if (i)
            stream_emit(c, ",", 1);
        if (v->u.a.v[i]->kind != JV_STRING)
            bad_value(c, f, v->u.a.v[i], "an array of strings");
        else
            stream_emit_str(c, v->u.a.v[i]->u.s.ptr);
    }
    stream_emit(c, "]", 1);
}

static void put_retain(struct jctx *c, const struct stream_field *f, const struct jval *v)
{
    const struct jval *n = v->kind == JV_OBJECT ? jval_get(v, "batches") : v;
    if (v->kind == JV_OBJECT) {
        static const char *const known[] = { "batches", NULL };
        suggest_unknown_keys(c->s->diag, c->s->arena, v, known, DC_STREAM_UNKNOWN_KEY,
                             UNKNOWN_KEY_PROPERTY, "retain", NULL);
    }
    if (n == NULL || n->kind != JV_INT || n->u.i < 1 || n->u.i > 100000) {
        diag_emit(c->s->diag, DC_STREAM_VALUE, (n ? n : v)->loc,
                  "%s: '%s' must be a number of batches from 1 to 100000, or "
                  "{ \"batches\": n }",
                  c->what, f->name);
        stream_emit(c, "0", 1);
        return;
    }
    emit_int(c, n->u.i);
}

static void put_obj(struct jctx *c, const struct stream_field *f, const struct jval *v)
{
    if (v && v->kind == JV_NULL && f->def && strcmp(f->def, "null") == 0) {
        stream_emit(c, "null", 4);
        return;
    }
    if (v && v->kind != JV_OBJECT) {
        bad_type(c, f, v, "an object");
        stream_emit(c, "null", 4);
        return;
    }
    const char *saved = c->what;
    c->what = arena_printf(c->s->arena, "%s, in '%s'", saved, f->name);
    stream_emit(c, "{", 1);
    stream_put_fields(c, f->sub, v);
    stream_emit(c, "}", 1);
    c->what = saved;
}

/* The checkpoint interval when none is given: Spark's default, "a multiple
 * of the batch interval that is at least 10 seconds". */
static void put_ckpt_interval(struct jctx *c, const struct stream_field *f, const struct jval *v)
{
    if (v) {
        put_duration(c, f, v);
        int64_t ms = stream_duration_ms(v, false);
        if (ms > 0 && c->batch_ms && ms % c->batch_ms)
            diag_emit(c->s->diag, DC_STREAM_WINDOW_MULTIPLE, v->loc,
                      "%s: 'interval' (%lld ms) is not a multiple of the batch interval "
                      "(%lld ms)",
                      c->what, (long long)ms, (long long)c->batch_ms);
        return;
    }
    int64_t b = c->batch_ms ? c->batch_ms : 1000;
    emit_int(c, ((10000 + b - 1) / b) * b);
}

void stream_read_sources(struct jctx *c, const struct jval *v);
void stream_read_pipeline(struct jctx *c, const struct jval *v);
void stream_read_outputs(struct jctx *c, const struct jval *v);

/* A path as the engine will open it: a relative one joined to the folder of
 * the file that declares the job, as a linked template's relativePath or an
 * imported specification beside its template are (compile_link.c,
 * model_import.c), not to the working folder of whoever runs the job. The
 * folder is made absolute (realpath) so that `apim job run --config` and
 * `apim gateway start` (which runs elsewhere) write the same definition. The
 * hash covers the path as declared (jctx.hashed). */
static void put_path(struct jctx *c, const struct stream_field *f, const struct jval *v)
{
    if (v->kind != JV_STRING) {
        bad_value(c, f, v, "a string");
        return;
    }
    const char *file = v->loc.src ? loc_resolve(v->loc).src->name : NULL;
    const char *slash = file ? strrchr(file, '/') : NULL;
    if (v->u.s.ptr[0] == '/' || v->u.s.ptr[0] == '\0' || !file) {
        stream_emit_str(c, v->u.s.ptr);
        return;
    }
    c->emit_to = EMIT_HASHED_ONLY;
    stream_emit_str(c, v->u.s.ptr);
    c->emit_to = EMIT_OUT_ONLY;
    const char *dir =
        slash ? arena_printf(c->s->arena, "%.*s", (int)(slash - file + 1), file) : ".";
    char *abs = realpath(dir, NULL);
    const char *base = abs ? abs : dir;
    size_t bl = strlen(base);
    stream_emit_str(c, arena_printf(c->s->arena, "%s%s%s", base,
                                    bl && base[bl - 1] == '/' ? "" : "/", v->u.s.ptr));
    c->emit_to = EMIT_BOTH;
    free(abs);
}

static void put_value(struct jctx *c, const struct stream_field *f, const struct jval *v)
{
    switch (f->type) {
    case SF_PATH:
        put_path(c, f, v);
        break;
    case SF_STR:
    case SF_STR_NULL:
        if (v->kind == JV_STRING)
            stream_emit_str(c, v->u.s.ptr);
        else if (v->kind == JV_NULL && f->type == SF_STR_NULL)
            stream_emit(c, "null", 4);
        else
            bad_value(c, f, v, f->type == SF_STR ? "a string" : "a string or null");
        break;
    case SF_POSINT:
        put_int(c, f, v, 1, INT32_MAX);
        break;
    case SF_UINT:
        put_int(c, f, v, 0, INT32_MAX);
        break;
    case SF_PORT:
        put_int(c, f, v, 1, 65535);
        break;
    case SF_BOOL:
        if (v->kind != JV_BOOL)
            bad_type(c, f, v, "true or false");
        stream_emit(c, v->kind == JV_BOOL && v->u.b ? "true" : "false",
                    v->kind == JV_BOOL && v->u.b ? 4 : 5);
        break;
    case SF_DUR:
    case SF_DUR0:
    case SF_DUR_NULL:
    case SF_SLIDE:
        put_duration(c, f, v);
        break;
    case SF_ENUM:
        put_enum(c, f, v);
        break;
    case SF_RAW:
        emit_raw(c, v);
        break;
    case SF_STRLIST:
        put_strlist(c, f, v);
        break;
    case SF_RETAIN:
        put_retain(c, f, v);
        break;
    case SF_OBJ:
        put_obj(c, f, v);
        break;
    case SF_CKPT_IVAL:
        put_ckpt_interval(c, f, v);
        break;
    case SF_SOURCES:
        stream_read_sources(c, v);
        break;
    case SF_PIPELINE:
        stream_read_pipeline(c, v);
        break;
    case SF_OUTPUTS:
        stream_read_outputs(c, v);
        break;
    case SF_IGNORED:
    case SF_CHECKED:
        break;
    }
}

static struct loc first_byte(const struct jval *v)
{
    return (struct loc){ v->loc.src, v->loc.start, v->loc.start + 1 };
}

/* A field that is not written: its default, the batch interval for a
 * slide, or nothing. */
static void put_absent(struct jctx *c, const struct stream_field *f, const struct jval *obj)
{
    if (f->type == SF_SLIDE) {
        emit_int(c, c->batch_ms);
    } else if (f->type == SF_CKPT_IVAL) {
        put_ckpt_interval(c, f, NULL);
    } else if (f->type == SF_OBJ && strcmp(f->def, "{}") == 0) {
        put_obj(c, f, NULL);
    } else if (f->type == SF_OUTPUTS) {
        stream_read_outputs(c, NULL);
    } else if (f->type == SF_SOURCES) {
        diag_emit(c->s->diag, DC_STREAM_MISSING, first_byte(obj), "%s has no 'sources'", c->what);
        stream_emit(c, "[]", 2); /* reported; the definition stays a job's shape */
    } else if (f->def == STREAM_REQUIRED) {
        diag_emit(c->s->diag, DC_STREAM_MISSING,
                  obj ? (struct loc){ obj->loc.src, obj->loc.start, obj->loc.start + 1 }
                      : c->job->name_loc,
                  "%s has no '%s'", c->what, f->name);
        stream_emit(c, "null", 4);
    } else {
        stream_emit(c, f->def, strlen(f->def));
    }
}

static const char *const *known_keys(struct jctx *c, const struct stream_spec *spec,
                                     const char *extra1, const char *extra2)
{
    const char **k = arena_alloc(c->s->arena, (spec->nfields + 3) * sizeof(*k));
    size_t n = 0;
    for (size_t i = 0; i < spec->nfields; i++)
        k[n++] = spec->fields[i].name;
    if (extra1)
        k[n++] = extra1;
    if (extra2)
        k[n++] = extra2;
    k[n] = NULL;
    return k;
}

void stream_put_fields(struct jctx *c, const struct stream_spec *spec, const struct jval *obj)
{
    bool first = spec->name == NULL; /* a nested object: its first field opens it */
    for (size_t i = 0; i < spec->nfields; i++) {
        const struct stream_field *f = &spec->fields[i];
        const struct jval *v = obj ? jval_get(obj, f->name) : NULL;
        if (f->type == SF_CHECKED) {
            if (v)
                (void)check_enum(c, f, v);
            continue;
        }
        if (f->type == SF_IGNORED ||
            (v == NULL && f->def && f->def[0] == '\0' && f->type != SF_SLIDE &&
             f->type != SF_CKPT_IVAL && f->type != SF_OUTPUTS))
            continue;
        if (!first)
            stream_emit(c, ",", 1);
        first = false;
        stream_emit_str(c, f->name);
        stream_emit(c, ":", 1);
        if (v)
            put_value(c, f, v);
        else
            put_absent(c, f, obj);
    }
    if (obj && spec->hook)
        spec->hook(c, obj);
}

/* Reports obj's unknown keys for spec (plus the keys that name it). */
static void unknown_keys(struct jctx *c, const struct stream_spec *spec, const struct jval *obj,
                         const char *extra1, const char *extra2)
{
    suggest_unknown_keys(c->s->diag, c->s->arena, obj, known_keys(c, spec, extra1, extra2),
                         DC_STREAM_UNKNOWN_KEY, UNKNOWN_KEY_PROPERTY, c->what, NULL);
}

/* The spec that key's value (a type or op name) names, or NULL after
 * reporting an unknown one with a did-you-mean. */
static const struct stream_spec *which(struct jctx *c, const struct stream_spec *v, size_t n,
                                       const struct jval *name, enum diag_code code,
                                       const char *kind)
{
    if (name->kind != JV_STRING) {
        diag_emit(c->s->diag, DC_STREAM_VALUE, name->loc, "%s: the %s must be a string", c->what,
                  kind);
        return NULL;
    }
    const struct stream_spec *spec = stream_spec_find(v, n, name->u.s.ptr);
    if (spec)
        return spec;
    struct str cand[32];
    for (size_t i = 0; i < n && i < 32; i++)
        cand[i] = str_from_cstr(v[i].name);
    struct diag_entry *e =
        diag_emit(c->s->diag, code, name->loc, "%s: unknown %s '%s'", c->what, kind, name->u.s.ptr);
    const char *near = suggest(name->u.s, cand, n < 32 ? n : 32);
    if (near)
        diag_note(c->s->diag, e, name->loc, "did you mean '%s'?", near);
    return NULL;
}

/* An object of the list: its type (or op) read first, then its fields. */
static void read_member(struct jctx *c, const struct jval *obj, const char *key,
                        const struct stream_spec *v, size_t n, enum diag_code code,
                        const char *kind, const char *extra)
{
    const struct jval *name = jval_get(obj, key);
    stream_emit_str(c, key);
    stream_emit(c, ":", 1);
    if (name == NULL) {
        diag_emit(c->s->diag, DC_STREAM_MISSING,
                  (struct loc){ obj->loc.src, obj->loc.start, obj->loc.start + 1 },
                  "%s has no '%s'", c->what, key);
        stream_emit(c, "null", 4);
        c->cur = STREAM_ELEM_UNKNOWN;
        return;
    }
    const struct stream_spec *spec = which(c, v, n, name, code, kind);
    stream_emit_str(c, name->kind == JV_STRING ? name->u.s.ptr : "");
    if (spec == NULL) {
        c->cur = STREAM_ELEM_UNKNOWN;
        return;
    }
    c->what = arena_printf(c->s->arena, "%s ('%s')", c->what, spec->name);
    const struct jval *input = extra ? jval_get(obj, extra) : NULL;
    if (input) {
        stream_emit(c, ",\"input\":", 9);
        if (input->kind == JV_STRING)
            stream_emit_str(c, input->u.s.ptr);
        else
            stream_emit(c, "null", 4);
    }
    unknown_keys(c, spec, obj, key, extra);
    stream_put_fields(c, spec, obj);
}

static bool want_object(struct jctx *c, const struct jval *v)
{
    if (v->kind == JV_OBJECT)
        return true;
    diag_emit(c->s->diag, DC_STREAM_VALUE, v->loc, "%s must be an object, not %s", c->what,
              jval_kind_name(v->kind));
    return false;
}

void stream_read_sources(struct jctx *c, const struct jval *v)
{
    const char *job_what = c->what;
    stream_emit(c, "[", 1);
    if (v->kind != JV_OBJECT || v->u.o.n == 0)
        diag_emit(c->s->diag, v->kind == JV_OBJECT ? DC_STREAM_MISSING : DC_STREAM_VALUE, v->loc,
                  "%s: 'sources' must be an object of named sources, with at least one", job_what);
    for (size_t i = 0; v->kind == JV_OBJECT && i < v->u.o.n; i++) {
        const struct jval_member *m = &v->u.o.v[i];
        if (replaced(v, i))
            continue; /* a later source of the same name wins (APIM1011 warns) */
        c->what = arena_printf(c->s->arena, "source '%s'", m->key.ptr);
        if (c->nsrc == STREAM_MAX_SOURCES) {
            diag_emit(c->s->diag, DC_STREAM_VALUE, m->key_loc, "%s: a job has at most %d sources",
                      job_what, STREAM_MAX_SOURCES);
            break;
        }
        c->src[c->nsrc].name = m->key.ptr;
        c->cur = STREAM_ELEM_UNKNOWN;
        if (c->nsrc)
            stream_emit(c, ",", 1);
        stream_emit(c, "{\"name\":", 8);
        stream_emit_str(c, m->key.ptr);
        if (want_object(c, m->value)) {
            stream_emit(c, ",", 1);
            read_member(c, m->value, "type", stream_sources, stream_nsources,
                        DC_STREAM_UNKNOWN_SOURCE, "source type", NULL);
        }
        stream_emit(c, "}", 1);
        c->src[c->nsrc++].elem = c->cur;
    }
    stream_emit(c, "]", 1);
    c->what = job_what;
}

/* What the step at index i receives: its input source, or the previous
 * step's elements, or (first step) the first source's. */
static void step_input(struct jctx *c, const struct jval *step, size_t i)
{
    const struct jval *in = jval_get(step, "input");
    if (in == NULL) {
        if (i == 0)
            c->cur = c->nsrc ? c->src[0].elem : STREAM_ELEM_UNKNOWN;
        return;
    }
    c->cur = STREAM_ELEM_UNKNOWN;
    if (in->kind != JV_STRING) {
        diag_emit(c->s->diag, DC_STREAM_VALUE, in->loc, "%s: 'input' must be a source's name",
                  c->what);
        return;
    }
    struct str names[STREAM_MAX_SOURCES];
    for (size_t k = 0; k < c->nsrc; k++) {
        if (strcmp(c->src[k].name, in->u.s.ptr) == 0) {
            c->cur = c->src[k].elem;
            return;
        }
        names[k] = str_from_cstr(c->src[k].name);
    }
    struct diag_entry *e = diag_emit(c->s->diag, DC_STREAM_INPUT, in->loc,
                                     "%s: 'input' names no source: '%s'", c->what, in->u.s.ptr);
    const char *near = suggest(in->u.s, names, c->nsrc);
    if (near)
        diag_note(c->s->diag, e, in->loc, "did you mean '%s'?", near);
}

void stream_read_pipeline(struct jctx *c, const struct jval *v)
{
    const char *job_what = c->what;
    stream_emit(c, "[", 1);
    if (v->kind != JV_ARRAY)
        diag_emit(c->s->diag, DC_STREAM_VALUE, v->loc, "%s: 'pipeline' must be an array of steps",
                  job_what);
    for (size_t i = 0; v->kind == JV_ARRAY && i < v->u.a.n; i++) {
        const struct jval *step = v->u.a.v[i];
        c->what = arena_printf(c->s->arena, "step %zu", i + 1);
        if (i)
            stream_emit(c, ",", 1);
        stream_emit(c, "{", 1);
        if (want_object(c, step)) {
            step_input(c, step, i);
            read_member(c, step, "op", stream_ops, stream_nops, DC_STREAM_UNKNOWN_OP, "operator",
                        "input");
        }
        stream_emit(c, "}", 1);
    }
    stream_emit(c, "]", 1);
    c->what = job_what;
}

void stream_read_outputs(struct jctx *c, const struct jval *v)
{
    const char *job_what = c->what;
    stream_emit(c, "[", 1);
    if (v && v->kind != JV_ARRAY)
        diag_emit(c->s->diag, DC_STREAM_VALUE, v->loc, "%s: 'outputs' must be an array of outputs",
                  job_what);
    for (size_t i = 0; v && v->kind == JV_ARRAY && i < v->u.a.n; i++) {
        const struct jval *o = v->u.a.v[i];
        c->what = arena_printf(c->s->arena, "output %zu", i + 1);
        if (i)
            stream_emit(c, ",", 1);
        stream_emit(c, "{", 1);
        if (want_object(c, o))
            read_member(c, o, "type", stream_outputs, stream_noutputs, DC_STREAM_UNKNOWN_OUTPUT,
                        "output type", NULL);
        stream_emit(c, "}", 1);
    }
    stream_emit(c, "]", 1);
    c->what = job_what;
    if (v == NULL || v->kind != JV_ARRAY || v->u.a.n == 0)
        diag_emit(c->s->diag, DC_STREAM_NO_OUTPUT, v ? v->loc : c->job->name_loc,
                  "job '%s' has no outputs: \"No output operations registered, so nothing to "
                  "execute\", as Spark refuses to start it",
                  c->job->name);
}
