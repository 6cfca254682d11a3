/* eventhub_sink.h - the local Event Hubs that a log-to-eventhub policy
 * writes to, and that an eventHub streaming source reads (docs/streaming.md,
 * "The gateway's sources"). One logger (loggerType azureEventHub) is one
 * folder, <state>/eventhub/<logger-id>/, holding events.jsonl: one JSON line
 * per event, appended whole,
 *
 *   {"partition":"0","partitionKey":"echo-api","enqueuedTime":
 *    "2026-11-24T10:00:00.123Z","sequenceNumber":0,"offset":"0","body":"..."}
 *
 * partition is the policy's partition-id ("0" when it gives none: the local
 * hub has one file, the partition is kept for the reader), partitionKey its
 * partition-key or null, sequenceNumber counts from 0 in the file, offset is
 * the line's byte position (a string, as Event Hubs' offsets are), body the
 * message as text, truncated to EVENTHUB_SINK_MAX_BODY bytes at a character
 * boundary as log-to-eventhub truncates messages above 200 KB
 * (https://learn.microsoft.com/azure/api-management/log-to-eventhub-policy).
 *
 * Ownership: eventhub_sink_open returns a sink the caller frees with
 * eventhub_sink_free. A sink is safe to share between threads (a mutex
 * orders the sequence numbers); one gateway writes a state folder.
 * Errors: 0 or -1 with the reason in err (open) or logged (send).
 */
#ifndef APIM_RUNTIME_EVENTHUB_SINK_H
#define APIM_RUNTIME_EVENTHUB_SINK_H

#include <stddef.h>
#include <stdint.h>

#define EVENTHUB_SINK_MAX_BODY (200 * 1024)

struct eventhub_sink;

/* Opens (creating the folder and file) the hub of logger_id under
 * state_dir. The sequence continues after the events already there. NULL
 * with err filled if the id is not a plain name or the file cannot be
 * opened. */
struct eventhub_sink *eventhub_sink_open(const char *state_dir, const char *logger_id, char *err,
                                         size_t errlen);

/* Appends one event sent at now_ms (epoch ms). partition_id and
 * partition_key may be NULL (the policy allows one of them). */
int eventhub_sink_send(struct eventhub_sink *s, const char *partition_id, const char *partition_key,
                       const char *body, size_t len, int64_t now_ms)
    __attribute__((warn_unused_result));

/* Events written since the file was created (the next sequence number). */
uint64_t eventhub_sink_count(const struct eventhub_sink *s);

void eventhub_sink_free(struct eventhub_sink *s);

#endif
