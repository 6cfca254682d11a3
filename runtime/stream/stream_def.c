/* stream_def.c - the canonical definition JSON -> struct stream_def. The
 * text comes from a plan file, so it is untrusted: every field is checked
 * for type and range, unknown fields are refused, and the first problem is
 * reported as "where: what" (sources[0].port: ...). Optional fields take the
 * defaults docs/streaming.md lists (the compiler writes them explicitly). */
#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "stream_int.h"

struct ctx {
    char *err;
    size_t errlen;
    bool failed;
};

__attribute__((format(printf, 2, 3))) static int fail(struct ctx *c, const char *fmt, ...)
{
    if (!c->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    c->failed = true;
    return -1;
}

/* Refuses fields not in the NULL-terminated list. */
static int known(struct ctx *c, const char *where, const json_t *o, const char *const *names)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        bool ok = false;
        for (size_t i = 0; names[i] && !ok; i++)
            ok = strcmp(names[i], k) == 0;
        if (!ok)
            return fail(c, "%s: unknown field '%s'", where, k);
    }
    return 0;
}

static int get_int(struct ctx *c, const char *where, const json_t *o, const char *name,
                   int64_t dflt, int64_t lo, int64_t hi, int64_t *out)
{
    const json_t *v = json_object_get(o, name);
    *out = dflt;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return fail(c, "%s.%s: must be an integer in %lld..%lld", where, name, (long long)lo,
                    (long long)hi);
    *out = json_integer_value(v);
    return 0;
}

static int get_bool(struct ctx *c, const char *where, const json_t *o, const char *name, bool dflt,
                    bool *out)
{
    const json_t *v = json_object_get(o, name);
    *out = dflt;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return fail(c, "%s.%s: must be true or false", where, name);
    *out = json_is_true(v);
    return 0;
}

/* A string field; required when dflt is NULL and req is true. */
static int get_str(struct ctx *c, const char *where, const json_t *o, const char *name,
                   const char *dflt, bool req, char **out)
{
    const json_t *v = json_object_get(o, name);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (req && !dflt)
            return fail(c, "%s: missing '%s'", where, name);
        *out = dflt ? xstrdup(dflt) : NULL;
        return 0;
    }
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
        return fail(c, "%s.%s: must be a string without NUL", where, name);
    *out = xstrdup(json_string_value(v));
    return 0;
}

static int path_ok(struct ctx *c, const char *where, const char *p)
{
    if (!p || (strcmp(p, "$") != 0 && strncmp(p, "$.", 2) != 0) || strstr(p, ".."))
        return fail(c, "%s: path '%s' must be '$' or '$.name[.name...]'", where, p ? p : "");
    size_t n = strlen(p);
    if (n > 1 && p[n - 1] == '.')
        return fail(c, "%s: path '%s' ends with '.'", where, p);
    return 0;
}

/* ---- sources ---- */

static const char *const src_fields[] = { "name",
                                          "type",
                                          "host",
                                          "port",
                                          "reconnectDelay",
                                          "encoding",
                                          "mode",
                                          "directory",
                                          "pattern",
                                          "newFilesOnly",
                                          "maxFilesPerBatch",
                                          "batches",
                                          "oneAtATime",
                                          "default",
                                          "operation",
                                          "framing",
                                          "maxBody",
                                          "fields",
                                          "logger",
                                          "startingPosition",
                                          "format",
                                          "path",
                                          "partitions",
                                          NULL };

static int src_type(struct ctx *c, const char *where, const char *t, enum ssrc_type *out)
{
    static const char *const names[] = { "queue",      "socketText", "textFiles",
                                         "httpIngest", "gatewayLog", "eventHub" };
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
        if (strcmp(t, names[i]) == 0) {
            *out = (enum ssrc_type)i;
            return 0;
        }
    return fail(c, "%s.type: unknown source type '%s'", where, t);
}

static int parse_queue(struct ctx *c, const char *where, const json_t *o, struct ssrc_def *s)
{
    const json_t *b = json_object_get(o, "batches"), *d = json_object_get(o, "default");
    if (b && !json_is_array(b))
        return fail(c, "%s.batches: must be an array of arrays", where);
    size_t i;
    json_t *v;
    json_array_foreach(b, i, v) if (!json_is_array(v)) return fail(
        c, "%s.batches[%zu]: must be an array", where, i);
    if (d && !json_is_null(d) && !json_is_array(d))
        return fail(c, "%s.default: must be an array or null", where);
    s->batches = b ? json_deep_copy(b) : json_array();
    s->dflt = d && json_is_array(d) ? json_deep_copy(d) : NULL;
    return get_bool(c, where, o, "oneAtATime", true, &s->one_at_a_time);
}

/* One of the names, or -1 (failed). */
static int get_enum(struct ctx *c, const char *where, const json_t *o, const char *name,
                    const char *const *names)
{
    char *v = NULL;
    int r = -1;
    if (get_str(c, where, o, name, names[0], false, &v))
        return -1;
    for (int i = 0; names[i] && r < 0; i++)
        r = strcmp(v, names[i]) == 0 ? i : -1;
    if (r < 0)
        fail(c, "%s.%s: unknown value '%s'", where, name, v);
    free(v);
    return r;
}

/* The logger's id names a folder under the state folder: no path tricks. */
static int logger_ok(struct ctx *c, const char *where, const char *id)
{
    if (!id || !*id || id[0] == '.' || strchr(id, '/') || strlen(id) > 200)
        return fail(c, "%s.logger: '%s' is not a logger id", where, id ? id : "");
    return 0;
}

/* httpIngest, gatewayLog, eventHub: the sources fed by the gateway. */
static void parse_gateway_source(struct ctx *c, const char *where, const json_t *o,
                                 struct ssrc_def *s)
{
    static const char *const framings[] = { "lines", "ndjson", "jsonArray", NULL };
    static const char *const positions[] = { "latest", "earliest", NULL };
    static const char *const formats[] = { "text", "json", NULL };
    int64_t v;
    if (s->type == SSRC_HTTP) {
        get_str(c, where, o, "operation", NULL, true, &s->operation);
        s->framing = get_enum(c, where, o, "framing", framings);
        get_int(c, where, o, "maxBody", 1048576, 1, STREAM_MAX_BODY, &v);
        s->max_body = (size_t)v;
    } else if (s->type == SSRC_GWLOG) {
        const json_t *f = json_object_get(o, "fields");
        size_t i;
        json_t *e;
        if (f && !json_is_null(f) && !json_is_array(f))
            fail(c, "%s.fields: must be an array of field names or null", where);
        json_array_foreach(f, i, e) if (!json_is_string(e))
            fail(c, "%s.fields[%zu]: must be a string", where, i);
        s->fields = json_is_array(f) ? json_deep_copy(f) : NULL;
    } else {
        get_str(c, where, o, "logger", NULL, true, &s->logger);
        logger_ok(c, where, s->logger);
        s->earliest = get_enum(c, where, o, "startingPosition", positions) == 1;
        s->json_body = get_enum(c, where, o, "format", formats) == 1;
    }
}

static int parse_source(struct ctx *c, size_t idx, const json_t *o, struct ssrc_def *s)
{
    char where[64], *type = NULL, *enc = NULL;
    snprintf(where, sizeof(where), "sources[%zu]", idx);
    if (!json_is_object(o))
        return fail(c, "%s: must be an object", where);
    int64_t v;
    if (known(c, where, o, src_fields) || get_str(c, where, o, "name", NULL, true, &s->name) ||
        get_str(c, where, o, "type", NULL, true, &type) || src_type(c, where, type, &s->type))
        goto out;
    if (s->type == SSRC_SOCKET) {
        if (get_str(c, where, o, "host", NULL, true, &s->host) ||
            get_int(c, where, o, "port", 0, 1, 65535, &v))
            goto out;
        s->port = (int)v;
        if (v == 0)
            fail(c, "%s: missing 'port'", where);
        get_int(c, where, o, "reconnectDelay", 2000, 1, 86400000, &s->reconnect_ms);
        get_str(c, where, o, "encoding", "utf-8", false, &enc);
        if (enc && strcmp(enc, "utf-8") != 0)
            fail(c, "%s.encoding: only 'utf-8' is supported", where);
    } else if (s->type == SSRC_FILES) {
        get_str(c, where, o, "directory", NULL, true, &s->directory);
        get_str(c, where, o, "pattern", "*", false, &s->pattern);
        get_bool(c, where, o, "newFilesOnly", true, &s->new_only);
        get_int(c, where, o, "maxFilesPerBatch", 0, 0, 1000000, &v);
        s->max_files = (size_t)v;
    } else if (s->type == SSRC_QUEUE) {
        parse_queue(c, where, o, s);
    } else {
        parse_gateway_source(c, where, o, s);
    }
out:
    free(type);
    free(enc);
    return c->failed ? -1 : 0;
}

static int parse_sources(struct ctx *c, const json_t *a, struct stream_def *d)
{
    if (!json_is_array(a) || json_array_size(a) == 0)
        return fail(c, "sources: must be a non-empty array");
    if (json_array_size(a) > STREAM_MAX_SOURCES)
        return fail(c, "sources: at most %d sources", STREAM_MAX_SOURCES);
    for (size_t i = 0; i < json_array_size(a); i++) {
        d->nsrc = i + 1;
        if (parse_source(c, i, json_array_get(a, i), &d->src[i]))
            return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(d->src[k].name, d->src[i].name) == 0)
                return fail(c, "sources[%zu].name: '%s' is declared twice", i, d->src[i].name);
    }
    return 0;
}

static int source_index(const struct stream_def *d, const char *name)
{
    for (size_t i = 0; i < d->nsrc; i++)
        if (strcmp(d->src[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* ---- pipeline steps ---- */

static const char *const step_fields[] = {
    "op",      "input",     "inputs",    "split", "jsonArray", "pair",  "project", "lower",
    "trim",    "parseJson", "where",     "func",  "length",    "slide", "inverse", "dropZero",
    "timeout", "aggs",      "eventTime", "n",     "by",        NULL
};

static const char *const op_names[] = { "union",
                                        "flatMap",
                                        "map",
                                        "filter",
                                        "countByValue",
                                        "reduceByKey",
                                        "reduceByKeyAndWindow",
                                        "countByWindow",
                                        "updateStateByKey",
                                        "aggregateByKeyAndWindow",
                                        "topK" };

static int func_of(struct ctx *c, const char *where, const char *f, bool state, enum sfunc *out)
{
    static const char *const names[] = { "sum", "min", "max", "count", "last" };
    for (size_t i = 0; f && i < (state ? 5u : 3u); i++)
        if (strcmp(f, names[i]) == 0 && (!state || i == 0 || i >= 3)) {
            *out = (enum sfunc)i;
            return 0;
        }
    return fail(c, "%s.func: '%s' is not one of %s", where, f ? f : "",
                state ? "sum, count, last" : "sum, min, max");
}

static int parse_flatmap(struct ctx *c, const char *where, const json_t *o, struct sop_def *s)
{
    const json_t *sp = json_object_get(o, "split"), *ja = json_object_get(o, "jsonArray");
    if (ja && !json_is_null(ja)) {
        s->split = SS_JSON_ARRAY;
        return get_str(c, where, o, "jsonArray", NULL, true, &s->path) ||
               path_ok(c, where, s->path);
    }
    if (!sp)
        return fail(c, "%s: flatMap needs 'split' or 'jsonArray'", where);
    if (json_is_null(sp)) {
        s->split = SS_WHITESPACE;
        return 0;
    }
    if (get_str(c, where, o, "split", NULL, true, &s->sep))
        return -1;
    if (s->sep[0] == '\0')
        return fail(c, "%s.split: empty separator", where); /* Python: ValueError */
    s->split = SS_SEP;
    return 0;
}

/* The canonical form may write an unused option as null (or false for a
 * flag): only other values choose it. */
static bool given(const json_t *v)
{
    return v && !json_is_null(v) && !json_is_false(v);
}

static int parse_map(struct ctx *c, const char *where, const json_t *o, struct sop_def *s)
{
    static const char *const kinds[] = { "pair", "project", "lower", "trim", "parseJson" };
    int found = -1;
    for (int i = 0; i < 5; i++)
        if (given(json_object_get(o, kinds[i]))) {
            if (found >= 0)
                return fail(c, "%s: map takes one of pair, project, lower, trim, parseJson", where);
            found = i;
        }
    if (found < 0)
        return fail(c, "%s: map needs one of pair, project, lower, trim, parseJson", where);
    s->map = (enum smap)found;
    json_t *a = json_object_get(o, kinds[found]);
    if (found >= 2)
        return json_is_true(a) ? 0 : fail(c, "%s.%s: must be true", where, kinds[found]);
    if (!json_is_object(a))
        return fail(c, "%s.%s: must be an object", where, kinds[found]);
    const char *k;
    json_t *v;
    json_object_foreach(a, k, v)
    {
        if (found == SM_PAIR && strcmp(k, "key") != 0 && strcmp(k, "value") != 0)
            return fail(c, "%s.pair: unknown field '%s'", where, k);
        if (json_is_string(v) && path_ok(c, where, json_string_value(v)))
            return -1;
        if (found == SM_PROJECT && !json_is_string(v))
            return fail(c, "%s.project.%s: must be a path", where, k);
    }
    if (found == SM_PAIR && (!json_object_get(a, "key") || !json_object_get(a, "value")))
        return fail(c, "%s.pair: needs 'key' and 'value'", where);
    s->arg = json_deep_copy(a);
    return 0;
}

static int parse_filter(struct ctx *c, const char *where, const json_t *o, struct sop_def *s)
{
    static const char *const cmps[] = { "eq", "ne", "lt", "gt", "in", "matches" };
    const json_t *w = json_object_get(o, "where");
    if (!json_is_object(w) || json_object_size(w) != 2)
        return fail(c, "%s.where: must be {path, eq|ne|lt|gt|in|matches: value}", where);
    if (get_str(c, where, w, "path", NULL, true, &s->path) || path_ok(c, where, s->path))
        return -1;
    for (int i = 0; i < 6; i++) {
        json_t *v = json_object_get(w, cmps[i]);
        if (!v)
            continue;
        s->cmp = (enum scmp)i;
        if ((i == SC_LT || i == SC_GT) && !json_is_number(v) && !json_is_string(v))
            return fail(c, "%s.where.%s: must be a number or a string", where, cmps[i]);
        if (i == SC_IN && !json_is_array(v))
            return fail(c, "%s.where.in: must be an array", where);
        if (i == SC_MATCHES) {
            if (!json_is_string(v) ||
                regcomp(&s->re, json_string_value(v), REG_EXTENDED | REG_NOSUB) != 0)
                return fail(c, "%s.where.matches: not a valid extended regular expression", where);
            s->has_re = true;
        }
        s->arg = json_deep_copy(v);
        return 0;
    }
    return fail(c, "%s.where: needs one of eq, ne, lt, gt, in, matches", where);
}

static int parse_window(struct ctx *c, const char *where, const json_t *o, struct sop_def *s,
                        int64_t interval)
{
    if (get_int(c, where, o, "length", 0, 1, INT64_MAX / 4, &s->length) ||
        get_int(c, where, o, "slide", interval, 1, INT64_MAX / 4, &s->slide))
        return -1;
    if (s->length == 0)
        return fail(c, "%s: missing 'length'", where);
    if (s->length % interval || s->slide % interval)
        return fail(c, "%s: length and slide must be multiples of batchInterval (%lld ms)", where,
                    (long long)interval);
    if (s->length / interval > STREAM_MAX_WINDOW)
        return fail(c, "%s.length: at most %d batches", where, STREAM_MAX_WINDOW);
    return 0;
}

static int parse_aggs(struct ctx *c, const char *where, const json_t *o, struct sop_def *s)
{
    const json_t *a = json_object_get(o, "aggs");
    if (!json_is_object(a) || json_object_size(a) == 0)
        return fail(c, "%s.aggs: must be a non-empty object", where);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)a, k, v)
    {
        const char *f = json_string_value(v);
        json_t *p = json_is_object(v) ? json_object_get(v, "percentile") : NULL;
        bool ok = (f && (!strcmp(f, "count") || !strcmp(f, "sum") || !strcmp(f, "min") ||
                         !strcmp(f, "max") || !strcmp(f, "avg"))) ||
                  (p && json_object_size(v) == 1 && json_is_number(p) &&
                   json_number_value(p) >= 0 && json_number_value(p) <= 1);
        if (!ok)
            return fail(c, "%s.aggs.%s: must be count, sum, min, max, avg or {percentile: 0..1}",
                        where, k);
    }
    s->arg = json_deep_copy(a);
    return 0;
}

static int parse_inputs(struct ctx *c, const char *where, const json_t *o, struct sop_def *s,
                        const struct stream_def *d)
{
    const json_t *in = json_object_get(o, "input"), *ins = json_object_get(o, "inputs");
    s->input = -1;
    if (in && !json_is_null(in)) {
        if (!json_is_string(in) || (s->input = source_index(d, json_string_value(in))) < 0)
            return fail(c, "%s.input: no source named '%s'", where,
                        json_is_string(in) ? json_string_value(in) : "");
    }
    if (s->kind != SOP_UNION)
        return given(ins) ? fail(c, "%s.inputs: only union takes 'inputs'", where) : 0;
    if (!json_is_array(ins) || json_array_size(ins) == 0 ||
        json_array_size(ins) > STREAM_MAX_SOURCES)
        return fail(c, "%s.inputs: must be a non-empty array of source names", where);
    for (size_t i = 0; i < json_array_size(ins); i++) {
        const char *n = json_string_value(json_array_get(ins, i));
        int k = n ? source_index(d, n) : -1;
        if (k < 0)
            return fail(c, "%s.inputs[%zu]: no source named '%s'", where, i, n ? n : "");
        s->inputs[s->ninputs++] = k;
    }
    return 0;
}

static int parse_step_args(struct ctx *c, const char *where, const json_t *o, struct sop_def *s,
                           const struct stream_def *d)
{
    char *f = NULL;
    int64_t n;
    int rc = 0;
    switch (s->kind) {
    case SOP_FLATMAP:
        return parse_flatmap(c, where, o, s);
    case SOP_MAP:
        return parse_map(c, where, o, s);
    case SOP_FILTER:
        return parse_filter(c, where, o, s);
    case SOP_REDUCE_BY_KEY:
    case SOP_REDUCE_WINDOW:
    case SOP_UPDATE_STATE:
        rc = get_str(c, where, o, "func", "sum", false, &f) ||
             func_of(c, where, f, s->kind == SOP_UPDATE_STATE, &s->func);
        free(f);
        if (rc || s->kind == SOP_REDUCE_BY_KEY)
            return rc ? -1 : 0;
        if (s->kind == SOP_UPDATE_STATE)
            return get_int(c, where, o, "timeout", 0, 0, INT64_MAX / 4, &s->timeout);
        if (get_bool(c, where, o, "inverse", false, &s->inverse) ||
            get_bool(c, where, o, "dropZero", false, &s->drop_zero))
            return -1;
        if (s->inverse && s->func != SF_SUM)
            return fail(c, "%s.inverse: only func 'sum' has an inverse", where);
        return parse_window(c, where, o, s, d->interval);
    case SOP_COUNT_WINDOW:
        s->inverse = true;
        return parse_window(c, where, o, s, d->interval);
    case SOP_AGG_WINDOW:
        if (given(json_object_get(o, "eventTime")))
            return fail(c, "%s.eventTime: event-time windows are not supported yet", where);
        return parse_window(c, where, o, s, d->interval) || parse_aggs(c, where, o, s);
    case SOP_TOPK:
        if (get_int(c, where, o, "n", 10, 1, 1000000, &n))
            return -1;
        const char *by = json_string_value(json_object_get(o, "by"));
        if (given(json_object_get(o, "by")) && (!by || strcmp(by, "value") != 0))
            return fail(c, "%s.by: only 'value' is supported", where);
        s->n = (size_t)n;
        return 0;
    default:
        return 0;
    }
}

static int parse_step(struct ctx *c, size_t idx, const json_t *o, struct stream_def *d)
{
    char where[64], *op = NULL;
    struct sop_def *s = &d->step[idx];
    snprintf(where, sizeof(where), "pipeline[%zu]", idx);
    if (!json_is_object(o))
        return fail(c, "%s: must be an object", where);
    if (known(c, where, o, step_fields) || get_str(c, where, o, "op", NULL, true, &op))
        return -1;
    size_t k = 0;
    while (k < sizeof(op_names) / sizeof(*op_names) && strcmp(op_names[k], op) != 0)
        k++;
    if (k == sizeof(op_names) / sizeof(*op_names)) {
        fail(c, "%s.op: unknown operator '%s'", where, op);
        free(op);
        return -1;
    }
    free(op);
    s->kind = (enum sop_kind)k;
    if (parse_inputs(c, where, o, s, d) || parse_step_args(c, where, o, s, d))
        return -1;
    if ((s->inverse || s->kind == SOP_UPDATE_STATE) && !d->ckpt_dir)
        return fail(c, "%s: %s needs a checkpoint directory (as in Spark)", where, op_names[k]);
    return 0;
}

static int parse_steps(struct ctx *c, const json_t *a, struct stream_def *d)
{
    if (!json_is_array(a))
        return fail(c, "pipeline: must be an array");
    if (json_array_size(a) > STREAM_MAX_STEPS)
        return fail(c, "pipeline: at most %d steps", STREAM_MAX_STEPS);
    for (size_t i = 0; i < json_array_size(a); i++) {
        d->nstep = i + 1;
        if (parse_step(c, i, json_array_get(a, i), d))
            return -1;
    }
    return 0;
}

/* ---- outputs ---- */

static const char *const out_fields[] = { "type",   "num",      "style",  "prefix", "suffix",
                                          "listen", "basePath", "retain", "order",  NULL };

static int parse_output(struct ctx *c, size_t idx, const json_t *o, struct sout_def *s)
{
    char where[64], *t = NULL, *style = NULL, *order = NULL;
    int64_t n;
    snprintf(where, sizeof(where), "outputs[%zu]", idx);
    if (!json_is_object(o))
        return fail(c, "%s: must be an object", where);
    if (known(c, where, o, out_fields) || get_str(c, where, o, "type", NULL, true, &t))
        goto out;
    if (strcmp(t, "print") == 0) {
        s->type = SOUT_PRINT;
        get_int(c, where, o, "num", 10, 0, STREAM_MAX_PRINT, &n);
        s->num = (size_t)n;
        get_str(c, where, o, "style", "pyspark", false, &style);
        if (style && strcmp(style, "pyspark") != 0 && strcmp(style, "scala") != 0)
            fail(c, "%s.style: must be 'pyspark' or 'scala'", where);
        s->scala = style && strcmp(style, "scala") == 0;
    } else if (strcmp(t, "textFiles") == 0) {
        s->type = SOUT_FILES;
        get_str(c, where, o, "prefix", NULL, true, &s->prefix);
        get_str(c, where, o, "suffix", NULL, false, &s->suffix);
    } else if (strcmp(t, "serve") == 0) {
        s->type = SOUT_SERVE;
        get_str(c, where, o, "listen", NULL, false, &s->listen);
        get_str(c, where, o, "basePath", "/", false, &s->base);
        size_t bl = s->base ? strlen(s->base) : 0;
        if (s->base && (s->base[0] != '/' || (bl > 1 && s->base[bl - 1] == '/')))
            fail(c, "%s.basePath: must start with '/' and not end with one", where);
        get_int(c, where, o, "retain", 60, 1, STREAM_MAX_RETAIN, &n);
        s->retain = (size_t)n;
        get_str(c, where, o, "order", "firstSeen", false, &order);
        s->order = !order || !strcmp(order, "firstSeen") ? 0 : !strcmp(order, "key") ? 1 : 2;
        if (order && s->order == 2 && strcmp(order, "valueDesc") != 0)
            fail(c, "%s.order: must be firstSeen, key or valueDesc", where);
    } else {
        fail(c, "%s.type: unknown output type '%s'", where, t);
    }
out:
    free(t);
    free(style);
    free(order);
    return c->failed ? -1 : 0;
}

static int parse_outputs(struct ctx *c, const json_t *a, struct stream_def *d)
{
    /* Spark: "No output operations registered, so nothing to execute". */
    if (!json_is_array(a) || json_array_size(a) == 0)
        return fail(c, "outputs: must be a non-empty array (a job without outputs does nothing)");
    if (json_array_size(a) > STREAM_MAX_OUTPUTS)
        return fail(c, "outputs: at most %d outputs", STREAM_MAX_OUTPUTS);
    for (size_t i = 0; i < json_array_size(a); i++) {
        d->nout = i + 1;
        if (parse_output(c, i, json_array_get(a, i), &d->out[i]))
            return -1;
    }
    return 0;
}

/* ---- the job level ---- */

static int parse_policies(struct ctx *c, const json_t *root, struct stream_def *d)
{
    static const char *const ck_fields[] = { "directory", "interval", "writeAheadLog", NULL };
    static const char *const rate_fields[] = { "maxRecordsPerSecond", "backpressure",
                                               "queueCapacity", NULL };
    static const char *const stop_fields[] = { "graceful", "timeout", NULL };
    const json_t *ck = json_object_get(root, "checkpoint"), *rate = json_object_get(root, "rate"),
                 *stop = json_object_get(root, "stop");
    json_t *empty = json_object();
    int64_t cap;
    if (ck && !json_is_null(ck)) {
        if (!json_is_object(ck) || known(c, "checkpoint", ck, ck_fields) ||
            get_str(c, "checkpoint", ck, "directory", NULL, true, &d->ckpt_dir) ||
            get_int(c, "checkpoint", ck, "interval", 10000, 1, INT64_MAX / 4, &d->ckpt_interval))
            fail(c, "checkpoint: must be null or {directory, interval, writeAheadLog}");
        get_bool(c, "checkpoint", ck, "writeAheadLog", false, &d->wal);
    }
    if (rate && !json_is_object(rate))
        fail(c, "rate: must be an object");
    rate = json_is_object(rate) ? rate : empty;
    known(c, "rate", rate, rate_fields);
    get_int(c, "rate", rate, "maxRecordsPerSecond", 0, 0, INT64_MAX / 4, &d->max_rate);
    get_bool(c, "rate", rate, "backpressure", true, &d->backpressure);
    get_int(c, "rate", rate, "queueCapacity", 10000, 1, STREAM_MAX_QUEUE, &cap);
    d->queue_cap = (size_t)cap;
    if (stop && !json_is_object(stop))
        fail(c, "stop: must be an object");
    stop = json_is_object(stop) ? stop : empty;
    known(c, "stop", stop, stop_fields);
    get_bool(c, "stop", stop, "graceful", true, &d->graceful);
    get_int(c, "stop", stop, "timeout", 10000, 0, INT64_MAX / 4, &d->stop_timeout);
    json_decref(empty);
    return c->failed ? -1 : 0;
}

struct stream_def *stream_def_from_json(const json_t *root, char *err, size_t errlen)
{
    static const char *const fields[] = { "batchInterval", "autoStart", "sources",
                                          "pipeline",      "outputs",   "checkpoint",
                                          "rate",          "stop",      NULL };
    struct ctx c = { err, errlen, false };
    struct stream_def *d = xcalloc(1, sizeof(*d));
    if (!json_is_object(root)) {
        fail(&c, "definition: must be a JSON object");
        goto out;
    }
    if (known(&c, "definition", root, fields) ||
        get_int(&c, "definition", root, "batchInterval", 0, 1, 86400000, &d->interval) ||
        get_bool(&c, "definition", root, "autoStart", true, &d->auto_start))
        goto out;
    if (d->interval == 0) {
        fail(&c, "definition: missing 'batchInterval'");
        goto out;
    }
    if (parse_policies(&c, root, d) || parse_sources(&c, json_object_get(root, "sources"), d) ||
        parse_steps(&c, json_object_get(root, "pipeline"), d))
        goto out;
    parse_outputs(&c, json_object_get(root, "outputs"), d);
out:
    if (c.failed) {
        stream_def_free(d);
        return NULL;
    }
    return d;
}

struct stream_def *stream_def_parse(const char *json, size_t len, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(err, errlen, "definition: not JSON (line %d: %s)", je.line, je.text);
        return NULL;
    }
    struct stream_def *d = stream_def_from_json(root, err, errlen);
    json_decref(root);
    return d;
}

void stream_def_free(struct stream_def *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nsrc; i++) {
        struct ssrc_def *s = &d->src[i];
        free(s->name);
        free(s->host);
        free(s->directory);
        free(s->pattern);
        json_decref(s->batches);
        json_decref(s->dflt);
        free(s->operation);
        json_decref(s->fields);
        free(s->logger);
    }
    for (size_t i = 0; i < d->nstep; i++) {
        free(d->step[i].sep);
        free(d->step[i].path);
        json_decref(d->step[i].arg);
        if (d->step[i].has_re)
            regfree(&d->step[i].re);
    }
    for (size_t i = 0; i < d->nout; i++) {
        free(d->out[i].prefix);
        free(d->out[i].suffix);
        free(d->out[i].listen);
        free(d->out[i].base);
    }
    free(d->ckpt_dir);
    free(d);
}

void stream_def_hash(const char *json, size_t len, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)json, len, md);
    for (size_t i = 0; i < sizeof(md); i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}
