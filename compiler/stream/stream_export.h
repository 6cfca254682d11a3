/* stream_export.h - a job's canonical definition (stream_decl.h) as an
 * equivalent PySpark Structured Streaming program (docs/streaming.md,
 * "Exporting a job"; research notes section 4.1): a socket source becomes
 * spark.readStream.format("socket"), per-batch operators run in
 * foreachBatch (a plain streaming groupBy would be a running total),
 * windowed and stateful operators are streaming aggregations, the batch
 * interval is the trigger, print keeps the pprint format.
 * What has no Structured Streaming equivalent (queue, httpIngest and
 * gatewayLog sources; a windowed operator after a per-batch one) becomes a
 * program that says so and exits, never a silent approximation.
 * Ownership: the text is appended to out (the caller's).
 * Errors: -1 if definition is not a job definition or out is full.
 */
#ifndef APIM_COMPILER_STREAM_EXPORT_H
#define APIM_COMPILER_STREAM_EXPORT_H

#include <stddef.h>

#include "buf.h"

/* Appends the program for the job name (definition: its canonical JSON,
 * len bytes; hash: its SHA-256 in hex). */
int stream_export_pyspark(const char *name, const char *definition, size_t len, const char *hash,
                          struct buf *out) __attribute__((warn_unused_result));

#endif
