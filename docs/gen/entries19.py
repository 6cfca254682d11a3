from lib import *

# APIM9001..APIM9024: streaming jobs (compiler/stream/stream_decl.h), declared
# in a template's metadata ("metadata": {"apimlocal": {"streamingJobs": [...]}},
# which ARM does not evaluate) or in a sidecar file ({"streamingJobs": [...]}).
# The rules follow Spark Streaming's (streaming programming guide: windows,
# checkpointing, "No output operations registered"); docs/streaming.md has
# the format, its defaults and the sources.

E = []


def sidecar(props, name="wordcount", more=""):
    """A sidecar file with one job of these properties (given indented)."""
    return ('{\n  "streamingJobs": [\n    {\n      "name": "%s",\n      "properties": {\n'
            % name + props + '\n      }\n    }' + more + '\n  ]\n}\n')


SRC = '        "sources": { "lines": { "type": "socketText", "host": "localhost", "port": 9999 } },'
PAIRS = ('          { "op": "flatMap", "split": " " },\n'
         '          { "op": "map", "pair": { "key": "$", "value": 1 } },')
PRINT = '        "outputs": [ { "type": "print", "num": 10 } ]'


def add(code, meaning, fix, text, show, fn="jobs.json", note=None):
    E.append(dict(code=code, meaning=meaning, fix=fix, files={fn: text}, args=None, show=show,
                  lang="json", out=None, cmd=None, note=note, snippet=None, command="validate"))


def props(*lines):
    return "\n".join(lines)


add("APIM9001",
    "A key of a job, source, step or output that the declaration format does not have. Keys "
    "are compared without case, as ARM compares property names; the note suggests the "
    "closest known key.",
    "Correct the key's spelling (docs/streaming.md lists every key), or remove it.",
    sidecar(props('        "batchInterval": "1s",', '        "autoStrat": true,', SRC, PRINT)),
    ('"autoStrat"',))

add("APIM9002",
    "A source's `type` is none of `socketText`, `textFiles`, `queue`, `httpIngest`, "
    "`gatewayLog` and `eventHub`.",
    "Use one of the source types (the note suggests the closest).",
    sidecar(props('        "batchInterval": "1s",',
                  '        "sources": { "lines": { "type": "socketTxt", "port": 9999 } },',
                  PRINT)),
    ('"socketTxt"',))

add("APIM9003",
    "A pipeline step's `op` is none of the operators: `union`, `flatMap`, `map`, `filter`, "
    "`countByValue`, `reduceByKey`, `reduceByKeyAndWindow`, `countByWindow`, "
    "`aggregateByKeyAndWindow`, `updateStateByKey`, `topK`. Arbitrary code (Spark's "
    "`transform`) and stream-stream joins are deliberately absent.",
    "Use one of the operators (the note suggests the closest).",
    sidecar(props('        "batchInterval": "1s",', SRC,
                  '        "pipeline": [ { "op": "flatmap", "split": " " } ],', PRINT)),
    ('"flatmap"',))

add("APIM9004",
    "An output's `type` is none of `print`, `textFiles` and `serve`.",
    "Use one of the output types (the note suggests the closest).",
    sidecar(props('        "batchInterval": "1s",', SRC,
                  '        "outputs": [ { "type": "prnt" } ]')),
    ('"prnt"',))

add("APIM9005",
    "An aggregate of `aggregateByKeyAndWindow`'s `aggs` is none of `count`, `sum`, `min`, "
    "`max`, `avg` and `{ \"percentile\": p }` with 0 < p < 1.",
    "Use one of the aggregates; a percentile is a fraction (0.95), not a percentage.",
    sidecar(props('        "batchInterval": "1s",', SRC,
                  '        "pipeline": [',
                  '          { "op": "map", "pair": { "key": "$", "value": 1 } },',
                  '          { "op": "aggregateByKeyAndWindow", "length": "10s",',
                  '            "aggs": { "requests": "cnt", "p95": { "percentile": 95 } } }',
                  '        ],', PRINT)),
    ('"aggs"',))

add("APIM9006",
    "A field the declaration needs is missing: a job's `name`, `properties` or "
    "`batchInterval`; a socket source's `port`; a `textFiles` source's `directory`; a "
    "window's `length`; a `flatMap`'s `split` or `jsonArray`; and so on (docs/streaming.md "
    "marks each required field).",
    "Add the field.",
    sidecar(props('        "batchInterval": "1s",',
                  '        "sources": { "lines": { "type": "socketText", "host": "localhost" } },',
                  PRINT)),
    ('"sources"',))

add("APIM9007",
    "A duration is not a whole number followed by `ms`, `s`, `m` or `h` (\"500ms\", \"1s\", "
    "\"2m\", \"1h\"), or an integer number of milliseconds, greater than 0 and at most 30 "
    "days. PySpark's `StreamingContext(sc, 1)` takes seconds; a declaration says the unit.",
    "Write the duration with its unit: `\"1500ms\"`, not `\"1.5s\"`.",
    sidecar(props('        "batchInterval": "1.5s",', SRC, PRINT)),
    ('"batchInterval"',))

add("APIM9008",
    "A window's `length` or `slide`, or the checkpoint `interval`, is not a multiple of the "
    "batch interval. Spark Streaming requires it: \"window length and sliding interval "
    "... must be multiples of the batch interval of the source DStream\" (Spark Streaming "
    "programming guide, Window Operations).",
    "Make the length and slide whole multiples of `batchInterval`.",
    sidecar(props('        "batchInterval": "2s",', SRC, '        "pipeline": [', PAIRS,
                  '          { "op": "reduceByKeyAndWindow", "length": "5s", "slide": "2s" }',
                  '        ],', PRINT)),
    ('"reduceByKeyAndWindow"',))

add("APIM9009",
    "A window's `slide` is longer than its `length`: the batches between two windows would "
    "never be counted.",
    "Make the slide at most the length (equal: tumbling windows).",
    sidecar(props('        "batchInterval": "1s",', SRC, '        "pipeline": [', PAIRS,
                  '          { "op": "reduceByKeyAndWindow", "length": "4s", "slide": "8s" }',
                  '        ],', PRINT)),
    ('"reduceByKeyAndWindow"',))

add("APIM9010",
    "A stateful operator without a `checkpoint`: `updateStateByKey`, `countByWindow` (Spark "
    "computes it with an inverse reduce) and `reduceByKeyAndWindow` with `\"inverse\": "
    "true`. Spark refuses to start such a job (\"The checkpoint directory has not been "
    "set\"): its state must survive a restart (Spark Streaming programming guide, "
    "Checkpointing: \"Usage of stateful transformations\").",
    "Declare `\"checkpoint\": { \"directory\": \"...\" }`, or use an operator without state "
    "(`reduceByKeyAndWindow` without `inverse` recomputes each window).",
    sidecar(props('        "batchInterval": "1s",', SRC, '        "pipeline": [', PAIRS,
                  '          { "op": "updateStateByKey", "func": "sum" }',
                  '        ],', PRINT)),
    ('"updateStateByKey"',))

add("APIM9011",
    "A job without outputs. Spark computes nothing without an output operation and refuses to "
    "start: \"No output operations registered, so nothing to execute\" "
    "(`DStreamGraph.validate`).",
    "Add an output: `print`, `textFiles` or `serve`.",
    sidecar(props('        "batchInterval": "1s",', SRC, '        "outputs": []')),
    ('"outputs"',))

add("APIM9012",
    "A step's `input`, or one of a `union`'s `inputs`, names no source of the job.",
    "Name one of the job's sources (the note suggests the closest).",
    sidecar(props('        "batchInterval": "1s",',
                  '        "sources": { "lines": { "type": "socketText", "port": 9999 },',
                  '                     "files": { "type": "textFiles", "directory": "in" } },',
                  '        "pipeline": [ { "op": "flatMap", "split": " ", "input": "file" } ],',
                  PRINT)),
    ('"pipeline"',))

add("APIM9013",
    "A `union` with fewer than two inputs (Spark's `ssc.union` of one stream is that stream).",
    "List at least two sources in `inputs`, or drop the step and name the source with "
    "`input`.",
    sidecar(props('        "batchInterval": "1s",', SRC,
                  '        "pipeline": [ { "op": "union", "inputs": [ "lines" ] } ],', PRINT)),
    ('"union"',))

add("APIM9014",
    "An operator receives elements of the wrong kind. Elements are strings, JSON objects, "
    "(key, value) pairs or numbers; each source and operator says what it makes (a socket "
    "makes strings, `map` with `pair` makes pairs, `countByWindow` makes numbers), and "
    "`reduceByKey` and the other *ByKey operators need pairs, `flatMap` `split` and `map` "
    "`lower` need strings, a path into an object (`$.field`) needs JSON objects, and a "
    "union's inputs must make the same kind. In Spark the mistake is a runtime error in "
    "every batch.",
    "Add the step that makes the kind the operator needs (`map` with `pair` before "
    "`reduceByKey`), or move the operator.",
    sidecar(props('        "batchInterval": "1s",', SRC,
                  '        "pipeline": [ { "op": "reduceByKey", "func": "sum" } ],', PRINT)),
    ('"pipeline"',))

add("APIM9015",
    "A `serve` output's `listen` is not `HOST:PORT` with a port from 1 to 65535 (an IPv6 "
    "host in brackets: `[::1]:5000`).",
    "Write the address in full: `\"127.0.0.1:5000\"`.",
    sidecar(props('        "batchInterval": "1s",', SRC,
                  '        "outputs": [ { "type": "serve", "listen": "localhost" } ]')),
    ('"outputs"',))

add("APIM9016",
    "Two `serve` outputs listen on the same address: the same port with the same host, or "
    "one of them on all addresses (`0.0.0.0`). The second could not bind. The gateway's own "
    "port is only known at `apim gateway start` and is not compared here.",
    "Give each `serve` output its own port.",
    sidecar(props('        "batchInterval": "1s",', SRC,
                  '        "outputs": [ { "type": "serve", "listen": "127.0.0.1:5000" } ]'),
            more=',\n    {\n      "name": "second",\n      "properties": {\n'
                 '        "batchInterval": "1s",\n' + SRC + '\n'
                 '        "outputs": [ { "type": "serve", "listen": "0.0.0.0:5000" } ]\n'
                 '      }\n    }'),
    ('"0.0.0.0:5000"',))

STATS_TEMPLATE_HEAD = '''{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "metadata": {
    "apimlocal": {
      "streamingJobs": [
        {
          "name": "ingest",
          "properties": {
            "batchInterval": "1s",
            "sources": { %s },
            "outputs": [ { "type": "print" } ]
          }
        }
      ]
    }
  },
  "resources": [
%s
  ]
}
'''

add("APIM9017",
    "An `httpIngest` source's `operation` is not `\"apiId/operationId\"` of an operation the "
    "configuration declares: the source receives what that operation's calls send.",
    "Name an operation of the configuration (its API's name, a slash, its name).",
    STATS_TEMPLATE_HEAD % ('"posted": { "type": "httpIngest", "operation": "orders-api/ingest" }',
                           SERVICE + ",\n" + API + ",\n" + OP),
    ('"posted"',), fn="azuredeploy.json")

add("APIM9018",
    "An `eventHub` source's `logger` is not a logger of the configuration, or is one whose "
    "`loggerType` is not `azureEventHub`: the source reads what `log-to-eventhub` sends to "
    "an Event Hubs logger "
    "(https://learn.microsoft.com/azure/api-management/log-to-eventhub-policy).",
    "Name a logger of type `azureEventHub`.",
    STATS_TEMPLATE_HEAD % ('"hub": { "type": "eventHub", "logger": "apim-events" }', SERVICE),
    ('"hub"',), fn="azuredeploy.json")

add("APIM9019",
    "Two jobs of the configuration (in any of its files) have the same name, compared "
    "without case: jobs are started, stopped and exported by name.",
    "Rename one of them.",
    sidecar(props('        "batchInterval": "1s",', SRC, PRINT),
            more=',\n    {\n      "name": "WordCount",\n      "properties": {\n'
                 '        "batchInterval": "1s",\n' + SRC + '\n' + PRINT + '\n      }\n    }'),
    ('"WordCount"',))

add("APIM9020",
    "A value in a job declared in a template's `metadata` looks like an ARM expression "
    "(`[...]`). ARM keeps a template's `metadata` without evaluating it (it is one of the "
    "optional elements of a template, "
    "https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax; \"effectively "
    "ignored by ARM\", Azure/bicep#223), so the job gets the text as it is.",
    "Write the value itself, or declare the job in a sidecar file and give the value there.",
    STATS_TEMPLATE_HEAD.replace('"outputs": [ { "type": "print" } ]',
                                '"outputs": [ { "type": "textFiles", "prefix": '
                                '"[parameters(\'outDir\')]" } ]')
    % ('"lines": { "type": "socketText", "port": 9999 }', SERVICE),
    ('"outputs"',), fn="azuredeploy.json")

add("APIM9021",
    "A value of the wrong type or out of its range: a port that is a string, `num` 0, an "
    "enumerated value that is not one of its values (`style`, `order`, `framing`, `func`...), "
    "a job name with characters other than letters, digits, `-`, `_` and `.`.",
    "Write the value as docs/streaming.md describes it.",
    sidecar(props('        "batchInterval": "1s",',
                  '        "sources": { "lines": { "type": "socketText", "port": "9999" } },',
                  PRINT)),
    ('"sources"',))

# The httpIngest checks against the API the operation belongs to (issue 10,
# wave 2: docs/streaming.md "httpIngest").
INGEST_OUT = '"outputs": [ { "type": "serve", "listen": "127.0.0.1:5001" } ]'

add("APIM9022",
    "An `httpIngest` source's operation belongs to an API whose `serviceUrl` is not the "
    "job's `serve` port (`http://HOST:PORT` of one of its `listen` addresses; `localhost` "
    "and `127.0.0.1` are the same host). The gateway forwards the operation's calls to the "
    "API's backend, and the source receives on the serve port: the POSTs would go elsewhere. "
    "A warning, since a policy (`set-backend-service`) may still send them there.",
    "Point the API's `serviceUrl` at the serve port (`http://127.0.0.1:5001`, or "
    "`http://127.0.0.1:5001/ingest/<source>` for a job with several httpIngest sources).",
    STATS_TEMPLATE_HEAD.replace('"outputs": [ { "type": "print" } ]', INGEST_OUT)
    % ('"posted": { "type": "httpIngest", "operation": "orders-api/list-orders" }',
       SERVICE + ",\n" + API.replace('"path": "orders" }',
                                     '"path": "orders", "serviceUrl": "http://127.0.0.1:5000" }')
       + ",\n" + OP),
    ('"posted"',), fn="azuredeploy.json")

add("APIM9023",
    "A job has an `httpIngest` source but no `serve` output with a `listen` address: the "
    "source receives its POSTs on that port, and the engine refuses to start the job "
    "without one.",
    "Add a `serve` output with `listen` (`\"127.0.0.1:5001\"`) and point the operation's "
    "API at it.",
    STATS_TEMPLATE_HEAD % ('"posted": { "type": "httpIngest", "operation": "orders-api/list-orders" }',
                           SERVICE + ",\n" + API + ",\n" + OP),
    ('"posted"',), fn="azuredeploy.json")

add("APIM9024",
    "A `gatewayLog` source's `fields` names a field the gateway log does not have. The "
    "source yields the `ApiManagementGatewayLogs` columns listed in docs/streaming.md "
    "(https://learn.microsoft.com/azure/azure-monitor/reference/tables/ApiManagementGatewayLogs) "
    "and keeps only those named: an unknown name is always left out. The note suggests the "
    "closest field.",
    "Use one of the fields docs/streaming.md lists (`ApiId`, `ResponseCode`, `TotalTime`...), "
    "spelled with the same case.",
    sidecar(props('        "batchInterval": "10s",',
                  '        "sources": { "log": { "type": "gatewayLog", "fields": [ "ApiId", '
                  '"TotalTme" ] } },', PRINT)),
    ('"TotalTme"',))
