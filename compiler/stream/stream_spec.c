/* stream_spec.c - what a job declaration may hold, as tables: the job's
 * properties, each source type, pipeline operator and output type with
 * their fields, defaults and checks (docs/streaming.md, "Declaring a job",
 * after streaming.md section 6.2 of the research notes). The order of a
 * table's fields is the order of the canonical definition. */
#include <string.h>

#include "stream_decl_int.h"
#include "suggest.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SPEC(n, f, h) \
    {                 \
        n, f, N(f), h \
    }

static const char *const styles[] = { "pyspark", "scala", NULL };
static const char *const orders[] = { "firstSeen", "key", "valueDesc", NULL };
static const char *const reduce_funcs[] = { "sum", "min", "max", NULL };
static const char *const state_funcs[] = { "sum", "count", "last", NULL };
static const char *const modes[] = { "connect", NULL };
static const char *const framings[] = { "lines", "ndjson", "jsonArray", NULL };
static const char *const positions[] = { "latest", "earliest", NULL };
static const char *const formats[] = { "text", "json", NULL };
static const char *const by_values[] = { "value", NULL };

/* ---- element kinds ---- */

const char *stream_elem_name(enum stream_elem e)
{
    switch (e) {
    case STREAM_ELEM_STRING:
        return "strings";
    case STREAM_ELEM_JSON:
        return "JSON objects";
    case STREAM_ELEM_PAIR:
        return "(key, value) pairs";
    case STREAM_ELEM_NUMBER:
        return "numbers";
    case STREAM_ELEM_UNKNOWN:
        break;
    }
    return "unknown";
}

void stream_elem_step(struct jctx *c, const struct jval *at, const char *op, enum stream_elem want,
                      enum stream_elem become)
{
    if (c->cur != STREAM_ELEM_UNKNOWN && want != STREAM_ELEM_UNKNOWN && c->cur != want) {
        diag_emit(c->s->diag, DC_STREAM_ELEMENT, at->loc, "%s: %s needs %s, but receives %s",
                  c->what, op, stream_elem_name(want), stream_elem_name(c->cur));
        c->cur = STREAM_ELEM_UNKNOWN;
        return;
    }
    c->cur = c->cur == STREAM_ELEM_UNKNOWN && want != STREAM_ELEM_UNKNOWN ? c->cur : become;
}

/* The value (or whole step) a message about obj's op points at. */
static const struct jval *op_at(const struct jval *obj)
{
    const struct jval *op = jval_get(obj, "op");
    return op ? op : obj;
}

static bool is_path(const struct jval *v)
{
    return v->kind == JV_STRING && v->u.s.ptr[0] == '$' &&
           (v->u.s.ptr[1] == '\0' || v->u.s.ptr[1] == '.');
}

/* ---- sources ---- */

static void source_string(struct jctx *c, const struct jval *obj)
{
    (void)obj;
    c->cur = STREAM_ELEM_STRING;
}

static enum stream_elem elem_of(const struct jval *v)
{
    switch (v->kind) {
    case JV_STRING:
        return STREAM_ELEM_STRING;
    case JV_OBJECT:
        return STREAM_ELEM_JSON;
    case JV_ARRAY:
        return v->u.a.n == 2 ? STREAM_ELEM_PAIR : STREAM_ELEM_UNKNOWN;
    case JV_INT:
    case JV_REAL:
        return STREAM_ELEM_NUMBER;
    default:
        return STREAM_ELEM_UNKNOWN;
    }
}

/* queue: batches of elements, all of one kind (the first one's). */
static void source_queue(struct jctx *c, const struct jval *obj)
{
    const struct jval *b = jval_get(obj, "batches");
    c->cur = STREAM_ELEM_STRING;
    bool first = true;
    for (size_t i = 0; b && b->kind == JV_ARRAY && i < b->u.a.n; i++) {
        const struct jval *batch = b->u.a.v[i];
        if (batch->kind != JV_ARRAY) {
            diag_emit(c->s->diag, DC_STREAM_VALUE, batch->loc,
                      "%s: each of 'batches' must be an array of elements", c->what);
            continue;
        }
        for (size_t k = 0; k < batch->u.a.n; k++) {
            enum stream_elem e = elem_of(batch->u.a.v[k]);
            if (first)
                c->cur = e;
            else if (e != c->cur)
                diag_emit(c->s->diag, DC_STREAM_ELEMENT, batch->u.a.v[k]->loc,
                          "%s: this element is not of the kind of the first (%s)", c->what,
                          stream_elem_name(c->cur));
            first = false;
        }
    }
    if (b && b->kind != JV_ARRAY)
        diag_emit(c->s->diag, DC_STREAM_VALUE, b->loc, "%s: 'batches' must be an array of batches",
                  c->what);
}

/* The ApiManagementGatewayLogs fields a gatewayLog source yields: the
 * engine's table (runtime/common/gwlog_fields.def). */
static const char *const gateway_log_fields[] = {
#define GWLOG_FIELD(column, from, notes) column,
#include "gwlog_fields.def"
#undef GWLOG_FIELD
};

static void gateway_log_field(struct jctx *c, const struct jval *v)
{
    struct str cand[N(gateway_log_fields)];
    for (size_t i = 0; i < N(gateway_log_fields); i++) {
        cand[i] = str_from_cstr(gateway_log_fields[i]);
        if (strcmp(v->u.s.ptr, gateway_log_fields[i]) == 0)
            return;
    }
    struct diag_entry *e = diag_emit(c->s->diag, DC_STREAM_GATEWAY_LOG_FIELD, v->loc,
                                     "%s: the gateway log has no field '%s': it would always be "
                                     "left out",
                                     c->what, v->u.s.ptr);
    const char *near = suggest(v->u.s, cand, N(cand));
    if (near)
        diag_note(c->s->diag, e, v->loc, "did you mean '%s'?", near);
}

static void source_gateway_log(struct jctx *c, const struct jval *obj)
{
    c->cur = STREAM_ELEM_JSON;
    const struct jval *f = jval_get(obj, "fields");
    for (size_t i = 0; f && f->kind == JV_ARRAY && i < f->u.a.n; i++)
        if (f->u.a.v[i]->kind == JV_STRING)
            gateway_log_field(c, f->u.a.v[i]);
}

static void source_ingest(struct jctx *c, const struct jval *obj)
{
    const char *framing = jval_get_str(obj, "framing");
    c->cur = framing && strcmp(framing, "lines") != 0 ? STREAM_ELEM_JSON : STREAM_ELEM_STRING;
    const struct jval *op = jval_get(obj, "operation");
    if (op && op->kind == JV_STRING)
        stream_add_ref(c, &c->job->operations, op);
}

static void source_event_hub(struct jctx *c, const struct jval *obj)
{
    const char *format = jval_get_str(obj, "format");
    c->cur = format && strcmp(format, "json") == 0 ? STREAM_ELEM_JSON : STREAM_ELEM_STRING;
    const struct jval *logger = jval_get(obj, "logger");
    if (logger && logger->kind == JV_STRING)
        stream_add_ref(c, &c->job->loggers, logger);
}

static const struct stream_field socket_fields[] = {
    { "host", SF_STR, "\"localhost\"", NULL, NULL },
    { "port", SF_PORT, STREAM_REQUIRED, NULL, NULL },
    { "reconnectDelay", SF_DUR, "2000", NULL, NULL },
    { "encoding", SF_STR, "\"utf-8\"", NULL, NULL },
    /* Only "connect" (Spark's receiver is a TCP client): not written. */
    { "mode", SF_CHECKED, STREAM_OMIT, modes, NULL },
};

static const struct stream_field files_fields[] = {
    { "directory", SF_PATH, STREAM_REQUIRED, NULL, NULL },
    { "pattern", SF_STR, "\"*\"", NULL, NULL },
    { "newFilesOnly", SF_BOOL, "true", NULL, NULL },
    { "maxFilesPerBatch", SF_UINT, "0", NULL, NULL },
};

static const struct stream_field queue_fields[] = {
    { "batches", SF_RAW, STREAM_REQUIRED, NULL, NULL },
    { "oneAtATime", SF_BOOL, "true", NULL, NULL },
    { "default", SF_RAW, "null", NULL, NULL },
};

static const struct stream_field ingest_fields[] = {
    { "operation", SF_STR, STREAM_REQUIRED, NULL, NULL },
    { "framing", SF_ENUM, "\"lines\"", framings, NULL },
    { "maxBody", SF_POSINT, "1048576", NULL, NULL },
};

static const struct stream_field log_fields[] = {
    { "fields", SF_STRLIST, "null", NULL, NULL },
};

static const struct stream_field hub_fields[] = {
    { "logger", SF_STR, STREAM_REQUIRED, NULL, NULL },
    { "startingPosition", SF_ENUM, "\"latest\"", positions, NULL },
    { "format", SF_ENUM, "\"text\"", formats, NULL },
};

const struct stream_spec stream_sources[] = {
    SPEC("socketText", socket_fields, source_string),
    SPEC("textFiles", files_fields, source_string),
    SPEC("queue", queue_fields, source_queue),
    SPEC("httpIngest", ingest_fields, source_ingest),
    SPEC("gatewayLog", log_fields, source_gateway_log),
    SPEC("eventHub", hub_fields, source_event_hub),
};
const size_t stream_nsources = N(stream_sources);

/* ---- operators ---- */

/* union: every input a source, at least two, all of one kind. */
static void op_union(struct jctx *c, const struct jval *obj)
{
    const struct jval *in = jval_get(obj, "inputs");
    if (in == NULL || in->kind != JV_ARRAY)
        return; /* reported as a missing or mistyped field */
    if (in->u.a.n < 2)
        diag_emit(c->s->diag, DC_STREAM_UNION, in->loc,
                  "%s: a union needs at least two inputs, not %zu", c->what, in->u.a.n);
    enum stream_elem kind = STREAM_ELEM_UNKNOWN;
    for (size_t i = 0; i < in->u.a.n; i++) {
        const struct jval *v = in->u.a.v[i];
        size_t k = 0;
        while (v->kind == JV_STRING && k < c->nsrc && strcmp(c->src[k].name, v->u.s.ptr) != 0)
            k++;
        if (v->kind != JV_STRING)
            continue;
        if (k == c->nsrc) {
            diag_emit(c->s->diag, DC_STREAM_INPUT, v->loc, "%s: 'inputs' names no source: '%s'",
                      c->what, v->u.s.ptr);
            continue;
        }
        if (kind != STREAM_ELEM_UNKNOWN && c->src[k].elem != STREAM_ELEM_UNKNOWN &&
            c->src[k].elem != kind)
            diag_emit(c->s->diag, DC_STREAM_ELEMENT, v->loc,
                      "%s: source '%s' makes %s, but the union's first input makes %s", c->what,
                      v->u.s.ptr, stream_elem_name(c->src[k].elem), stream_elem_name(kind));
        else if (kind == STREAM_ELEM_UNKNOWN)
            kind = c->src[k].elem;
    }
    c->cur = kind;
}

static void op_flat_map(struct jctx *c, const struct jval *obj)
{
    const struct jval *split = jval_get(obj, "split"), *arr = jval_get(obj, "jsonArray");
    if ((split != NULL) == (arr != NULL)) {
        diag_emit(c->s->diag, split ? DC_STREAM_VALUE : DC_STREAM_MISSING, op_at(obj)->loc,
                  "%s needs one of 'split' and 'jsonArray'%s", c->what, split ? ", not both" : "");
        c->cur = STREAM_ELEM_UNKNOWN;
        return;
    }
    if (arr && !is_path(arr))
        diag_emit(c->s->diag, DC_STREAM_VALUE, arr->loc,
                  "%s: 'jsonArray' must be a path: \"$\" or \"$.field\"", c->what);
    if (split)
        stream_elem_step(c, split, "'split'", STREAM_ELEM_STRING, STREAM_ELEM_STRING);
    else
        stream_elem_step(c, arr, "'jsonArray'", STREAM_ELEM_JSON, STREAM_ELEM_JSON);
}

/* pair: { key: path | [paths], value: path | number }. A path into an
 * object ("$.a") needs JSON elements; "$" is the element itself. */
static void op_pair(struct jctx *c, const struct jval *pair)
{
    if (pair->kind != JV_OBJECT) {
        diag_emit(c->s->diag, DC_STREAM_VALUE, pair->loc,
                  "%s: 'pair' must be { \"key\": path, \"value\": path or number }", c->what);
        c->cur = STREAM_ELEM_UNKNOWN;
        return;
    }
    static const char *const known[] = { "key", "value", NULL };
    suggest_unknown_keys(c->s->diag, c->s->arena, pair, known, DC_STREAM_UNKNOWN_KEY,
                         UNKNOWN_KEY_PROPERTY, "pair", NULL);
    const struct jval *key = jval_get(pair, "key"), *value = jval_get(pair, "value");
    bool deep = false;
    if (key == NULL || value == NULL)
        diag_emit(c->s->diag, DC_STREAM_MISSING, pair->loc, "%s: 'pair' has no '%s'", c->what,
                  key ? "value" : "key");
    for (size_t i = 0; key && i < (key->kind == JV_ARRAY ? key->u.a.n : 1); i++) {
        const struct jval *k = key->kind == JV_ARRAY ? key->u.a.v[i] : key;
        if (!is_path(k))
            diag_emit(c->s->diag, DC_STREAM_VALUE, k->loc,
                      "%s: a pair's key must be a path (\"$\", \"$.field\") or an array of them",
                      c->what);
        deep |= k->kind == JV_STRING && k->u.s.ptr[0] && k->u.s.ptr[1];
    }
    if (value && value->kind != JV_INT && value->kind != JV_REAL && !is_path(value))
        diag_emit(c->s->diag, DC_STREAM_VALUE, value->loc,
                  "%s: a pair's value must be a path or a number", c->what);
    deep |= value && value->kind == JV_STRING && value->u.s.ptr[0] && value->u.s.ptr[1];
    if (deep)
        stream_elem_step(c, pair, "a path into an object", STREAM_ELEM_JSON, STREAM_ELEM_PAIR);
    else if (c->cur == STREAM_ELEM_PAIR)
        stream_elem_step(c, pair, "'pair'", STREAM_ELEM_STRING, STREAM_ELEM_PAIR);
    else
        c->cur = c->cur == STREAM_ELEM_UNKNOWN ? c->cur : STREAM_ELEM_PAIR;
}

static void op_map(struct jctx *c, const struct jval *obj)
{
    static const char *const kinds[] = { "lower", "trim", "parseJson", "project", "pair" };
    const struct jval *v = NULL;
    size_t which = 0, n = 0;
    for (size_t i = 0; i < N(kinds); i++)
        if (jval_get(obj, kinds[i])) {
            v = jval_get(obj, kinds[i]);
            which = i;
            n++;
        }
    if (n != 1) {
        diag_emit(c->s->diag, n ? DC_STREAM_VALUE : DC_STREAM_MISSING, op_at(obj)->loc,
                  "%s needs exactly one of 'lower', 'trim', 'parseJson', 'project' and 'pair'",
                  c->what);
        c->cur = STREAM_ELEM_UNKNOWN;
        return;
    }
    if (which <= 1)
        stream_elem_step(c, v, which ? "'trim'" : "'lower'", STREAM_ELEM_STRING,
                         STREAM_ELEM_STRING);
    else if (which == 2)
        stream_elem_step(c, v, "'parseJson'", STREAM_ELEM_STRING, STREAM_ELEM_JSON);
    else if (which == 3 && v->kind != JV_OBJECT)
        diag_emit(c->s->diag, DC_STREAM_VALUE, v->loc,
                  "%s: 'project' must be an object of names and paths", c->what);
    else if (which == 3)
        stream_elem_step(c, v, "'project'", STREAM_ELEM_JSON, STREAM_ELEM_JSON);
    else
        op_pair(c, v);
}

static void op_filter(struct jctx *c, const struct jval *obj)
{
    const struct jval *w = jval_get(obj, "where");
    static const char *const known[] = { "path", "eq", "ne", "lt", "gt", "in", "matches", NULL };
    if (w == NULL)
        return;
    if (w->kind != JV_OBJECT || !jval_get(w, "path") || w->u.o.n != 2) {
        diag_emit(c->s->diag, DC_STREAM_VALUE, w->loc,
                  "%s: 'where' must be { \"path\": path, and one of \"eq\", \"ne\", \"lt\", "
                  "\"gt\", \"in\", \"matches\": value }",
                  c->what);
        return;
    }
    suggest_unknown_keys(c->s->diag, c->s->arena, w, known, DC_STREAM_UNKNOWN_KEY,
                         UNKNOWN_KEY_PROPERTY, "where", NULL);
    const struct jval *path = jval_get(w, "path");
    if (!is_path(path))
        diag_emit(c->s->diag, DC_STREAM_VALUE, path->loc, "%s: 'path' must be \"$\" or \"$.field\"",
                  c->what);
    else if (path->u.s.ptr[1])
        stream_elem_step(c, path, "a path into an object", STREAM_ELEM_JSON, STREAM_ELEM_JSON);
}

static void op_count_by_value(struct jctx *c, const struct jval *obj)
{
    (void)obj;
    c->cur = c->cur == STREAM_ELEM_UNKNOWN ? c->cur : STREAM_ELEM_PAIR;
}

static void op_by_key(struct jctx *c, const struct jval *obj)
{
    const struct jval *op = op_at(obj);
    stream_elem_step(c, op, op->kind == JV_STRING ? op->u.s.ptr : "the operator", STREAM_ELEM_PAIR,
                     STREAM_ELEM_PAIR);
}

/* A stateful operator needs a checkpoint, as in Spark ("The checkpoint
 * directory has not been set"). */
static void needs_checkpoint(struct jctx *c, const struct jval *obj, const char *why)
{
    if (c->checkpoint)
        return;
    const struct jval *at = op_at(obj);
    diag_emit(c->s->diag, DC_STREAM_CHECKPOINT, at->loc,
              "%s keeps state across batches (%s): the job needs a 'checkpoint'", c->what, why);
}

/* length and slide: multiples of the batch interval, slide <= length. */
static void window_checks(struct jctx *c, const struct jval *obj)
{
    const struct jval *lv = jval_get(obj, "length"), *sv = jval_get(obj, "slide");
    int64_t len = lv ? stream_duration_ms(lv, false) : -1;
    int64_t slide = sv ? stream_duration_ms(sv, false) : c->batch_ms;
    const struct jval *at[2] = { lv, sv };
    const int64_t ms[2] = { len, slide };
    const char *names[2] = { "length", "slide" };
    for (int i = 0; i < 2 && c->batch_ms; i++)
        if (at[i] && ms[i] > 0 && ms[i] % c->batch_ms)
            diag_emit(c->s->diag, DC_STREAM_WINDOW_MULTIPLE, at[i]->loc,
                      "%s: window %s %lld ms is not a multiple of the batch interval (%lld ms)",
                      c->what, names[i], (long long)ms[i], (long long)c->batch_ms);
    if (len > 0 && slide > len)
        diag_emit(c->s->diag, DC_STREAM_SLIDE, sv ? sv->loc : lv->loc,
                  "%s: the slide (%lld ms) is longer than the window (%lld ms): batches between "
                  "windows would be dropped",
                  c->what, (long long)slide, (long long)len);
}

static void op_rbkaw(struct jctx *c, const struct jval *obj)
{
    window_checks(c, obj);
    const struct jval *inv = jval_get(obj, "inverse");
    if (inv && inv->kind == JV_BOOL && inv->u.b)
        needs_checkpoint(c, obj, "'inverse': true");
    op_by_key(c, obj);
}

static void op_count_by_window(struct jctx *c, const struct jval *obj)
{
    window_checks(c, obj);
    needs_checkpoint(c, obj, "countByWindow is inverse-reduced");
    c->cur = c->cur == STREAM_ELEM_UNKNOWN ? c->cur : STREAM_ELEM_NUMBER;
}

static const char *const agg_names[] = { "count", "sum", "min", "max", "avg", "percentile" };

static void check_agg(struct jctx *c, const struct jval_member *m)
{
    const struct jval *v = m->value;
    if (v->kind == JV_OBJECT) {
        const struct jval *p = jval_get(v, "percentile");
        if (p == NULL || v->u.o.n != 1 || (p->kind != JV_REAL && p->kind != JV_INT) ||
            (p->kind == JV_REAL ? p->u.r : (double)p->u.i) <= 0 ||
            (p->kind == JV_REAL ? p->u.r : (double)p->u.i) >= 1)
            diag_emit(c->s->diag, DC_STREAM_UNKNOWN_AGG, v->loc,
                      "%s: aggregate '%s' must be { \"percentile\": p } with 0 < p < 1", c->what,
                      m->key.ptr);
        return;
    }
    struct str cand[N(agg_names) - 1];
    for (size_t i = 0; i + 1 < N(agg_names); i++) {
        cand[i] = str_from_cstr(agg_names[i]);
        if (v->kind == JV_STRING && strcmp(v->u.s.ptr, agg_names[i]) == 0)
            return;
    }
    struct diag_entry *e = diag_emit(c->s->diag, DC_STREAM_UNKNOWN_AGG, v->loc,
                                     "%s: unknown aggregate for '%s' (count, sum, min, max, avg or "
                                     "{ \"percentile\": p })",
                                     c->what, m->key.ptr);
    const char *near = v->kind == JV_STRING ? suggest(v->u.s, cand, N(cand)) : NULL;
    if (near)
        diag_note(c->s->diag, e, v->loc, "did you mean '%s'?", near);
}

static void op_aggregate(struct jctx *c, const struct jval *obj)
{
    window_checks(c, obj);
    const struct jval *aggs = jval_get(obj, "aggs");
    if (aggs && (aggs->kind != JV_OBJECT || aggs->u.o.n == 0))
        diag_emit(c->s->diag, DC_STREAM_VALUE, aggs->loc,
                  "%s: 'aggs' must be an object of names and aggregates, with at least one",
                  c->what);
    for (size_t i = 0; aggs && aggs->kind == JV_OBJECT && i < aggs->u.o.n; i++)
        check_agg(c, &aggs->u.o.v[i]);
    op_by_key(c, obj);
}

static void op_update_state(struct jctx *c, const struct jval *obj)
{
    needs_checkpoint(c, obj, "updateStateByKey");
    op_by_key(c, obj);
}

static const struct stream_field union_fields[] = {
    { "inputs", SF_STRLIST, STREAM_REQUIRED, NULL, NULL },
};

static const struct stream_field flat_map_fields[] = {
    { "split", SF_STR_NULL, STREAM_OMIT, NULL, NULL },
    { "jsonArray", SF_STR, STREAM_OMIT, NULL, NULL },
};

static const struct stream_field map_fields[] = {
    { "lower", SF_BOOL, STREAM_OMIT, NULL, NULL },
    { "trim", SF_BOOL, STREAM_OMIT, NULL, NULL },
    { "parseJson", SF_BOOL, STREAM_OMIT, NULL, NULL },
    { "project", SF_RAW, STREAM_OMIT, NULL, NULL },
    { "pair", SF_RAW, STREAM_OMIT, NULL, NULL },
};

static const struct stream_field filter_fields[] = {
    { "where", SF_RAW, STREAM_REQUIRED, NULL, NULL },
};

static const struct stream_field reduce_fields[] = {
    { "func", SF_ENUM, "\"sum\"", reduce_funcs, NULL },
};

static const struct stream_field rbkaw_fields[] = {
    { "func", SF_ENUM, "\"sum\"", reduce_funcs, NULL },
    { "length", SF_DUR, STREAM_REQUIRED, NULL, NULL },
    { "slide", SF_SLIDE, STREAM_OMIT, NULL, NULL },
    { "inverse", SF_BOOL, "false", NULL, NULL },
    { "dropZero", SF_BOOL, "false", NULL, NULL },
};

static const struct stream_field window_fields[] = {
    { "length", SF_DUR, STREAM_REQUIRED, NULL, NULL },
    { "slide", SF_SLIDE, STREAM_OMIT, NULL, NULL },
};

static const struct stream_field event_time_fields[] = {
    { "path", SF_STR, STREAM_REQUIRED, NULL, NULL },
    { "watermark", SF_DUR0, "0", NULL, NULL },
};
static const struct stream_spec event_time = SPEC(NULL, event_time_fields, NULL);

static const struct stream_field aggregate_fields[] = {
    { "length", SF_DUR, STREAM_REQUIRED, NULL, NULL },
    { "slide", SF_SLIDE, STREAM_OMIT, NULL, NULL },
    { "aggs", SF_RAW, STREAM_REQUIRED, NULL, NULL },
    { "eventTime", SF_OBJ, STREAM_OMIT, NULL, &event_time },
};

static const struct stream_field state_fields[] = {
    { "func", SF_ENUM, "\"sum\"", state_funcs, NULL },
    { "timeout", SF_DUR_NULL, "null", NULL, NULL },
};

static const struct stream_field top_fields[] = {
    { "n", SF_POSINT, STREAM_REQUIRED, NULL, NULL },
    { "by", SF_ENUM, "\"value\"", by_values, NULL },
};

static const struct stream_field no_fields[] = { { "", SF_IGNORED, STREAM_OMIT, NULL, NULL } };

const struct stream_spec stream_ops[] = {
    SPEC("union", union_fields, op_union),
    SPEC("flatMap", flat_map_fields, op_flat_map),
    SPEC("map", map_fields, op_map),
    SPEC("filter", filter_fields, op_filter),
    SPEC("countByValue", no_fields, op_count_by_value),
    SPEC("reduceByKey", reduce_fields, op_by_key),
    SPEC("reduceByKeyAndWindow", rbkaw_fields, op_rbkaw),
    SPEC("countByWindow", window_fields, op_count_by_window),
    SPEC("aggregateByKeyAndWindow", aggregate_fields, op_aggregate),
    SPEC("updateStateByKey", state_fields, op_update_state),
    SPEC("topK", top_fields, op_by_key),
};
const size_t stream_nops = N(stream_ops);

/* ---- outputs ---- */

static void output_serve(struct jctx *c, const struct jval *obj)
{
    const struct jval *listen = jval_get(obj, "listen");
    if (listen && listen->kind == JV_STRING)
        stream_add_ref(c, &c->job->listens, listen);
}

static const struct stream_field print_fields[] = {
    { "num", SF_POSINT, "10", NULL, NULL },
    { "style", SF_ENUM, "\"pyspark\"", styles, NULL },
};

static const struct stream_field text_files_fields[] = {
    { "prefix", SF_PATH, STREAM_REQUIRED, NULL, NULL },
    { "suffix", SF_STR, "\"\"", NULL, NULL },
};

static const struct stream_field serve_fields[] = {
    { "listen", SF_STR_NULL, "null", NULL, NULL },
    { "basePath", SF_STR, "\"/\"", NULL, NULL },
    { "retain", SF_RETAIN, "60", NULL, NULL },
    { "order", SF_ENUM, "\"firstSeen\"", orders, NULL },
};

const struct stream_spec stream_outputs[] = {
    SPEC("print", print_fields, NULL),
    SPEC("textFiles", text_files_fields, NULL),
    SPEC("serve", serve_fields, output_serve),
};
const size_t stream_noutputs = N(stream_outputs);

/* ---- the job ---- */

static const struct stream_field checkpoint_fields[] = {
    { "directory", SF_PATH, STREAM_REQUIRED, NULL, NULL },
    { "interval", SF_CKPT_IVAL, STREAM_OMIT, NULL, NULL },
    { "writeAheadLog", SF_BOOL, "false", NULL, NULL },
};
static const struct stream_spec checkpoint = SPEC(NULL, checkpoint_fields, NULL);

static const struct stream_field rate_fields[] = {
    { "maxRecordsPerSecond", SF_UINT, "0", NULL, NULL },
    { "backpressure", SF_BOOL, "false", NULL, NULL },
    { "queueCapacity", SF_POSINT, "10000", NULL, NULL },
};
static const struct stream_spec rate = SPEC(NULL, rate_fields, NULL);

static const struct stream_field stop_fields[] = {
    { "graceful", SF_BOOL, "true", NULL, NULL },
    { "timeout", SF_DUR, "10000", NULL, NULL },
};
static const struct stream_spec stop = SPEC(NULL, stop_fields, NULL);

static const struct stream_field job_fields[] = {
    { "batchInterval", SF_DUR, STREAM_REQUIRED, NULL, NULL },
    { "autoStart", SF_BOOL, "true", NULL, NULL },
    { "sources", SF_SOURCES, STREAM_REQUIRED, NULL, NULL },
    { "pipeline", SF_PIPELINE, "[]", NULL, NULL },
    { "outputs", SF_OUTPUTS, STREAM_OMIT, NULL, NULL },
    { "checkpoint", SF_OBJ, "null", NULL, &checkpoint },
    { "rate", SF_OBJ, "{}", NULL, &rate },
    { "stop", SF_OBJ, "{}", NULL, &stop },
    { "description", SF_IGNORED, STREAM_OMIT, NULL, NULL },
};
const struct stream_spec stream_job_spec = SPEC(NULL, job_fields, NULL);

const struct stream_spec *stream_spec_find(const struct stream_spec *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}
