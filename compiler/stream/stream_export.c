/* stream_export.c - a job definition as a PySpark Structured Streaming
 * program (stream_export.h). The program is written in three parts: the
 * sources as streaming DataFrames; the streaming phase (row operators, and
 * at most one windowed or stateful aggregation, the only kind Structured
 * Streaming runs incrementally); and the per-batch phase inside
 * foreachBatch (per-batch operators, then the outputs). */
#include "stream_export.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gen {
    struct buf *out;
    int rc;
    json_t *def;
    json_int_t batch_ms;
    const char *elem; /* "string", "json", "pair", "number": what rows hold now */
    bool streaming_agg;
};

static void out(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out(struct gen *g, const char *fmt, ...)
{
    char tmp[512];
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    char *text = tmp;
    if (n >= 0 && (size_t)n >= sizeof(tmp)) { /* a long name: once more, on the heap */
        text = xmalloc((size_t)n + 1);
        (void)vsnprintf(text, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    if (n < 0 || buf_append(g->out, text, (size_t)n) != 0)
        g->rc = -1;
    if (text != tmp)
        free(text);
}

/* v as a Python literal: JSON text is one for strings, numbers, arrays and
 * objects; true, false and null are spelt differently. */
static void lit(struct gen *g, json_t *v)
{
    if (v == NULL || json_is_true(v) || json_is_false(v) || json_is_null(v)) {
        out(g, "%s", v && json_is_true(v) ? "True" : v && json_is_false(v) ? "False" : "None");
        return;
    }
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s == NULL || buf_puts(g->out, s) != 0)
        g->rc = -1;
    free(s);
}

static void lit_str(struct gen *g, const char *s)
{
    json_t *v = json_string(s);
    lit(g, v);
    json_decref(v);
}

static const char *get_s(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static json_int_t get_i(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char prelude[] =
    "import datetime\n"
    "import json\n"
    "import os\n"
    "import re\n"
    "import sys\n"
    "import tempfile\n"
    "\n"
    "from pyspark.sql import SparkSession, functions as F\n"
    "\n"
    "\n"
    "def batch_time_ms():\n"
    "    # DStream batch times are multiples of the interval on the epoch clock.\n"
    "    now = int(datetime.datetime.now().timestamp() * 1000)\n"
    "    return now - now % BATCH_MS\n"
    "\n"
    "\n"
    "def show(rows, num, style, time_ms):\n"
    "    # pprint's format (pyspark) or print()'s (scala), header even when empty.\n"
    "    if style == \"scala\":\n"
    "        print(\"-\" * 43)\n"
    "        print(\"Time: %d ms\" % time_ms)\n"
    "        print(\"-\" * 43)\n"
    "        for r in rows[:num]:\n"
    "            print(\"(%s,%s)\" % r if isinstance(r, tuple) else r)\n"
    "    else:\n"
    "        print(\"-\" * 43)\n"
    "        print(\"Time: %s\" % datetime.datetime.fromtimestamp(time_ms / 1000.0))\n"
    "        print(\"-\" * 43)\n"
    "        for r in rows[:num]:\n"
    "            print(r)\n"
    "    if len(rows) > num:\n"
    "        print(\"...\")\n"
    "    print()\n"
    "\n"
    "\n"
    "def write_json_atomically(path, value):\n"
    "    os.makedirs(os.path.dirname(path) or \".\", exist_ok=True)\n"
    "    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or \".\")\n"
    "    with os.fdopen(fd, \"w\") as f:\n"
    "        json.dump(value, f)\n"
    "    os.replace(tmp, path)\n"
    "\n"
    "\n";

/* The column expression of a path: "$" is the element, "$.a.b" a field
 * of its JSON text. */
static void path_expr(struct gen *g, const char *path)
{
    if (path == NULL || strcmp(path, "$") == 0)
        out(g, "F.col(\"value\")");
    else
        out(g, "F.get_json_object(F.col(\"value\"), \"%s\")", path);
}

static void unsupported(struct gen *g, const char *indent, const char *what)
{
    out(g, "%sraise SystemExit(\"apim job export: %s has no Structured Streaming equivalent\")\n",
        indent, what);
}

/* One source as the streaming DataFrame src_<i>, with a processing-time
 * "timestamp" column for windows (DStream windows are processing time). */
static void source(struct gen *g, json_t *s, size_t i)
{
    const char *type = get_s(s, "type");
    out(g, "# source '%s' (%s)\n", get_s(s, "name"), type);
    if (strcmp(type, "socketText") == 0) {
        out(g, "src_%zu = (spark.readStream.format(\"socket\")\n", i);
        out(g, "         .option(\"host\", ");
        lit(g, json_object_get(s, "host"));
        out(g, ").option(\"port\", %lld).load())\n", (long long)get_i(s, "port"));
    } else if (strcmp(type, "textFiles") == 0) {
        out(g, "src_%zu = (spark.readStream", i);
        if (get_i(s, "maxFilesPerBatch"))
            out(g, ".option(\"maxFilesPerTrigger\", %lld)",
                (long long)get_i(s, "maxFilesPerBatch"));
        out(g, "\n         .option(\"pathGlobFilter\", ");
        lit(g, json_object_get(s, "pattern"));
        out(g, ").text(");
        lit(g, json_object_get(s, "directory"));
        out(g, "))\n");
    } else if (strcmp(type, "eventHub") == 0) {
        out(g, "# The logger's Event Hub through its Kafka endpoint: set the servers and topic.\n");
        out(g, "src_%zu = (spark.readStream.format(\"kafka\")\n", i);
        out(g, "         .option(\"kafka.bootstrap.servers\", os.environ.get(\"KAFKA_SERVERS\", "
               "\"localhost:9092\"))\n");
        out(g, "         .option(\"subscribe\", ");
        lit(g, json_object_get(s, "logger"));
        out(g, ").option(\"startingOffsets\", ");
        lit(g, json_object_get(s, "startingPosition"));
        out(g, ").load()\n         .select(F.col(\"value\").cast(\"string\").alias(\"value\")))\n");
    } else {
        out(g, "src_%zu = None\n", i);
        unsupported(g, "",
                    strcmp(type, "queue") == 0        ? "a queue source (tests only)"
                    : strcmp(type, "httpIngest") == 0 ? "an httpIngest source"
                                                      : "a gatewayLog source");
        return;
    }
    out(g, "src_%zu = src_%zu.withColumn(\"timestamp\", F.current_timestamp())\n", i, i);
}

/* The index of the source named name. */
static size_t source_index(struct gen *g, const char *name)
{
    if (name == NULL)
        return 0;
    json_t *srcs = json_object_get(g->def, "sources");
    for (size_t i = 0; i < json_array_size(srcs); i++)
        if (strcmp(get_s(json_array_get(srcs, i), "name"), name) == 0)
            return i;
    return 0;
}

static void flat_map(struct gen *g, json_t *st, const char *df, const char *in)
{
    json_t *v = json_object_get(st, "split");
    if (v && !json_is_null(v)) {
        /* F.split takes a regular expression: the separator is escaped;
         * limit -1 keeps empty strings, as Python's str.split(sep). */
        out(g, "%s%s = %s.withColumn(\"value\", F.explode(F.split(F.col(\"value\"), re.escape(", in,
            df, df);
        lit(g, v);
        out(g, "), -1)))\n");
    } else if (v) {
        out(g, "%s# str.split(): runs of whitespace, no empty strings\n", in);
        out(g,
            "%s%s = %s.withColumn(\"value\", F.explode(F.split(F.trim(F.col(\"value\")), "
            "r\"\\s+\"))).where(F.col(\"value\") != \"\")\n",
            in, df, df);
    } else {
        out(g, "%s%s = %s.withColumn(\"value\", F.explode(F.from_json(", in, df, df);
        path_expr(g, get_s(st, "jsonArray"));
        out(g, ", \"array<string>\")))\n");
    }
}

static void map_pair(struct gen *g, json_t *pair, const char *df, const char *in)
{
    json_t *key = json_object_get(pair, "key"), *val = json_object_get(pair, "value");
    out(g, "%s%s = %s.withColumn(\"key\", ", in, df, df);
    if (json_is_array(key)) {
        out(g, "F.to_json(F.array(");
        for (size_t k = 0; k < json_array_size(key); k++) {
            out(g, k ? ", " : "");
            path_expr(g, json_string_value(json_array_get(key, k)));
        }
        out(g, ")))");
    } else {
        path_expr(g, json_string_value(key));
        out(g, ")");
    }
    out(g, ".withColumn(\"value\", ");
    if (json_is_string(val)) {
        path_expr(g, json_string_value(val));
        out(g, ".cast(\"double\"))\n");
    } else {
        out(g, "F.lit(");
        lit(g, val);
        out(g, "))\n");
    }
    g->elem = "pair";
}

static void map_project(struct gen *g, json_t *project, const char *df, const char *in)
{
    const char *k;
    json_t *p;
    bool first = true;
    out(g, "%s%s = %s.withColumn(\"value\", F.to_json(F.struct(", in, df, df);
    json_object_foreach(project, k, p)
    {
        out(g, first ? "" : ", ");
        path_expr(g, json_string_value(p) ? json_string_value(p) : "$");
        out(g, ".alias(");
        lit_str(g, k);
        out(g, ")");
        first = false;
    }
    out(g, ")))\n");
}

static void map(struct gen *g, json_t *st, const char *df, const char *in)
{
    if (json_object_get(st, "pair"))
        map_pair(g, json_object_get(st, "pair"), df, in);
    else if (json_object_get(st, "project"))
        map_project(g, json_object_get(st, "project"), df, in);
    else if (json_object_get(st, "parseJson"))
        out(g, "%s# parseJson: rows keep the JSON text; paths read it\n", in);
    else
        out(g, "%s%s = %s.withColumn(\"value\", %s(F.col(\"value\")))\n", in, df, df,
            json_object_get(st, "lower") ? "F.lower" : "F.trim");
}

static void filter(struct gen *g, json_t *st, const char *df, const char *in)
{
    static const char *const ops[][2] = {
        { "eq", "==" }, { "ne", "!=" }, { "lt", "<" }, { "gt", ">" }
    };
    json_t *w = json_object_get(st, "where"), *v;
    out(g, "%s%s = %s.where(", in, df, df);
    path_expr(g, get_s(w, "path"));
    for (size_t k = 0; k < 4; k++)
        if ((v = json_object_get(w, ops[k][0])) && json_is_null(v)) {
            out(g, k == 1 ? ".isNotNull()" : ".isNull()");
        } else if (v) {
            out(g, " %s ", ops[k][1]);
            lit(g, v);
        }
    if ((v = json_object_get(w, "in"))) {
        out(g, ".isin(");
        lit(g, v);
        out(g, ")");
    }
    if ((v = json_object_get(w, "matches"))) {
        out(g, ".rlike(");
        lit(g, v);
        out(g, ")");
    }
    out(g, ")\n");
}

/* Row operators: the same on a streaming DataFrame and a batch (df, with
 * the indentation in). False for any other operator. */
static bool row_op(struct gen *g, json_t *st, const char *df, const char *in)
{
    const char *op = get_s(st, "op");
    if (strcmp(op, "flatMap") == 0)
        flat_map(g, st, df, in);
    else if (strcmp(op, "map") == 0)
        map(g, st, df, in);
    else if (strcmp(op, "filter") == 0)
        filter(g, st, df, in);
    else
        return false;
    return true;
}

static const char *agg_fn(const char *func)
{
    return strcmp(func, "min") == 0 ? "F.min" : strcmp(func, "max") == 0 ? "F.max" : "F.sum";
}

static void window_expr(struct gen *g, json_t *st)
{
    out(g, "F.window(\"timestamp\", \"%lld milliseconds\", \"%lld milliseconds\")",
        (long long)get_i(st, "length"), (long long)get_i(st, "slide"));
}

static void aggs(struct gen *g, json_t *a)
{
    const char *k;
    json_t *v;
    bool first = true;
    json_object_foreach(a, k, v)
    {
        const char *f = json_string_value(v);
        out(g, first ? "" : ", ");
        if (f && strcmp(f, "count") == 0)
            out(g, "F.count(F.lit(1))");
        else if (f)
            out(g, "F.%s(F.col(\"value\"))", f);
        else
            out(g, "F.percentile_approx(F.col(\"value\"), %g)",
                json_number_value(json_object_get(v, "percentile")));
        out(g, ".alias(");
        lit_str(g, k);
        out(g, ")");
        first = false;
    }
}

/* Windowed and stateful operators: streaming aggregations. */
static bool stream_op(struct gen *g, json_t *st)
{
    const char *op = get_s(st, "op");
    if (strcmp(op, "reduceByKeyAndWindow") == 0) {
        out(g, "df = (df.withWatermark(\"timestamp\", \"0 seconds\")\n      .groupBy(");
        window_expr(g, st);
        out(g, ", \"key\").agg(%s(\"value\").alias(\"value\")))\n", agg_fn(get_s(st, "func")));
        if (json_is_true(json_object_get(st, "dropZero")))
            out(g, "df = df.where(F.col(\"value\") != 0)\n");
    } else if (strcmp(op, "countByWindow") == 0) {
        out(g, "df = (df.withWatermark(\"timestamp\", \"0 seconds\")\n      .groupBy(");
        window_expr(g, st);
        out(g, ").agg(F.count(F.lit(1)).alias(\"value\")))\n");
        g->elem = "number";
    } else if (strcmp(op, "aggregateByKeyAndWindow") == 0) {
        out(g, "df = (df.withWatermark(\"timestamp\", \"0 seconds\")\n      .groupBy(");
        window_expr(g, st);
        out(g, ", \"key\").agg(");
        aggs(g, json_object_get(st, "aggs"));
        out(g, "))\ndf = df.withColumn(\"value\", F.to_json(F.struct(*[c for c in df.columns if c "
               "not in (\"window\", \"key\")])))\n");
    } else if (strcmp(op, "updateStateByKey") == 0) {
        const char *f = get_s(st, "func");
        out(g, "df = df.groupBy(\"key\").agg(%s(\"value\").alias(\"value\"))\n",
            strcmp(f, "count") == 0  ? "F.count"
            : strcmp(f, "last") == 0 ? "F.last"
                                     : "F.sum");
    } else {
        return false;
    }
    g->streaming_agg = true;
    return true;
}

/* Per-batch operators, inside foreachBatch. */
static bool batch_op(struct gen *g, json_t *st)
{
    const char *op = get_s(st, "op");
    if (strcmp(op, "countByValue") == 0) {
        out(g,
            "    batch = batch.groupBy(\"value\").count().select(F.col(\"value\").alias(\"key\"), "
            "F.col(\"count\").alias(\"value\"))\n");
        g->elem = "pair";
    } else if (strcmp(op, "reduceByKey") == 0) {
        out(g, "    batch = batch.groupBy(\"key\").agg(%s(\"value\").alias(\"value\"))\n",
            agg_fn(get_s(st, "func")));
    } else if (strcmp(op, "topK") == 0) {
        out(g, "    batch = batch.orderBy(F.col(\"value\").desc()).limit(%lld)\n",
            (long long)get_i(st, "n"));
    } else {
        return row_op(g, st, "batch", "    ");
    }
    return true;
}

/* The streaming DataFrame a step starts from, when it names its input. */
static void step_start(struct gen *g, json_t *st, size_t i)
{
    json_t *inputs = json_object_get(st, "inputs");
    if (strcmp(get_s(st, "op"), "union") == 0) {
        out(g, "df = src_%zu", source_index(g, json_string_value(json_array_get(inputs, 0))));
        for (size_t k = 1; k < json_array_size(inputs); k++)
            out(g, ".unionByName(src_%zu, allowMissingColumns=True)",
                source_index(g, json_string_value(json_array_get(inputs, k))));
        out(g, "\n");
    } else if (json_object_get(st, "input")) {
        out(g, "df = src_%zu\n", source_index(g, get_s(st, "input")));
    } else if (i == 0) {
        out(g, "df = src_0\n");
    }
}

/* The streaming phase; returns the index of the first per-batch step. */
static size_t streaming_phase(struct gen *g, json_t *pipe)
{
    size_t i = 0;
    if (json_array_size(pipe) == 0)
        out(g, "df = src_0\n");
    for (; i < json_array_size(pipe); i++) {
        json_t *st = json_array_get(pipe, i);
        const char *op = get_s(st, "op");
        if (strcmp(op, "countByValue") == 0 || strcmp(op, "reduceByKey") == 0 ||
            strcmp(op, "topK") == 0) {
            if (i == 0)
                step_start(g, st, i);
            break; /* per batch: in foreachBatch */
        }
        out(g, "# step %zu: %s\n", i + 1, op);
        step_start(g, st, i);
        if (strcmp(op, "union") == 0 || row_op(g, st, "df", ""))
            continue;
        if (stream_op(g, st))
            i++;
        break;
    }
    return i;
}

static void batch_phase(struct gen *g, json_t *pipe, size_t from)
{
    for (size_t i = from; i < json_array_size(pipe); i++) {
        json_t *st = json_array_get(pipe, i);
        out(g, "    # step %zu: %s\n", i + 1, get_s(st, "op"));
        if (json_object_get(st, "input") || strcmp(get_s(st, "op"), "union") == 0 ||
            !batch_op(g, st))
            unsupported(g, "    ",
                        "a step after a windowed, stateful or per-batch one that names its input "
                        "or aggregates across batches");
    }
}

static void outputs(struct gen *g, const char *name)
{
    json_t *outs = json_object_get(g->def, "outputs");
    const char *row = strcmp(g->elem, "pair") == 0 ? "(r[\"key\"], r[\"value\"])" : "r[\"value\"]";
    for (size_t i = 0; i < json_array_size(outs); i++) {
        json_t *o = json_object_get(json_array_get(outs, i), "type");
        json_t *spec = json_array_get(outs, i);
        const char *type = json_is_string(o) ? json_string_value(o) : "";
        out(g, "    # output %zu: %s\n", i + 1, type);
        if (strcmp(type, "print") == 0) {
            json_int_t num = get_i(spec, "num");
            out(g, "    rows = [%s for r in batch.limit(%lld).collect()]\n", row,
                (long long)num + 1);
            out(g, "    show(rows, %lld, \"%s\", time_ms)\n", (long long)num, get_s(spec, "style"));
        } else if (strcmp(type, "textFiles") == 0) {
            out(g, "    batch.select(F.to_json(F.struct(*batch.columns)).alias(\"value\"))"
                   ".write.mode(\"overwrite\").text(");
            lit(g, json_object_get(spec, "prefix"));
            out(g, " + \"-%%d\" %% time_ms");
            if (get_s(spec, "suffix")[0]) {
                out(g, " + \".\" + ");
                lit(g, json_object_get(spec, "suffix"));
            }
            out(g, ")\n");
        } else if (strcmp(type, "serve") == 0) {
            out(g, "    records = [{\"key\": r[\"key\"] if \"key\" in batch.columns else None, "
                   "\"value\": r[\"value\"]} for r in batch.collect()]\n");
            out(g, "    write_json_atomically(os.path.join(\"results\", ");
            lit_str(g, name);
            out(g, ", \"%%d.json\" %% batch_id), {\"job\": ");
            lit_str(g, name);
            out(g, ", \"batchTime\": time_ms, \"records\": records})\n");
        }
    }
}

static void query(struct gen *g)
{
    json_t *ck = json_object_get(g->def, "checkpoint");
    out(g, "\nquery = (df.writeStream.foreachBatch(per_batch)\n");
    out(g, "         .outputMode(\"%s\")\n", g->streaming_agg ? "update" : "append");
    out(g, "         .trigger(processingTime=\"%lld milliseconds\")\n", (long long)g->batch_ms);
    if (json_is_object(ck)) {
        out(g, "         .option(\"checkpointLocation\", ");
        lit(g, json_object_get(ck, "directory"));
        out(g, ")\n");
    }
    out(g, "         .start())\nquery.awaitTermination()\n");
}

static const char *source_elem(json_t *s)
{
    const char *type = get_s(s, "type");
    if (strcmp(type, "eventHub") == 0)
        return strcmp(get_s(s, "format"), "json") == 0 ? "json" : "string";
    return strcmp(type, "gatewayLog") == 0 ? "json" : "string";
}

int stream_export_pyspark(const char *name, const char *definition, size_t len, const char *hash,
                          struct buf *o)
{
    struct gen g = { .out = o, .elem = "string" };
    g.def = json_loadb(definition, len, 0, NULL);
    if (!json_is_object(g.def) || !json_is_array(json_object_get(g.def, "sources"))) {
        json_decref(g.def);
        return -1;
    }
    g.batch_ms = get_i(g.def, "batchInterval");
    out(&g, "# PySpark Structured Streaming program of the apimlocal job '%s',\n", name);
    out(&g, "# written by 'apim job export --target pyspark' (definition sha256 %s).\n", hash);
    out(&g, "# Run: spark-submit --master 'local[2]' this-file.py\n");
    if (buf_puts(o, prelude) != 0)
        g.rc = -1;
    out(&g, "BATCH_MS = %lld\n\nspark = SparkSession.builder.appName(", (long long)g.batch_ms);
    lit_str(&g, name);
    out(&g, ").getOrCreate()\n\n");
    json_t *srcs = json_object_get(g.def, "sources"), *pipe = json_object_get(g.def, "pipeline");
    for (size_t i = 0; i < json_array_size(srcs); i++)
        source(&g, json_array_get(srcs, i), i);
    g.elem = source_elem(json_array_get(srcs, 0));
    out(&g, "\n");
    size_t from = streaming_phase(&g, pipe);
    out(&g, "\n\ndef per_batch(batch, batch_id):\n    time_ms = batch_time_ms()\n");
    batch_phase(&g, pipe, from);
    outputs(&g, name);
    query(&g);
    json_decref(g.def);
    return g.rc;
}
