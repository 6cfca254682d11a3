/* stream.h - the micro-batch streaming engine (DStream semantics), the one
 * contract of runtime/stream/.
 *
 * A job is built from the plan's canonical definition JSON (see
 * docs/streaming.md): stream_def_parse checks every field of that untrusted
 * text and fills a struct stream_def; stream_job_new builds the running job.
 * Time is a parameter: the caller passes wall-clock epoch milliseconds to
 * stream_job_run_due and sleeps (epoll_wait) until stream_job_next_deadline.
 * Batch times are multiples of batchInterval on that clock, as Spark's
 * RecurringTimer aligns them. Sockets (socket sources, the serve output) are
 * registered on the caller's struct loop; nothing here starts a thread.
 *
 * Ownership: stream_def_parse returns a definition the caller frees with
 * stream_def_free unless it hands it to stream_job_new, which takes it. The
 * env's strings are copied. print writes to env->out (borrowed).
 * Errors: functions return 0 or -1 with the reason in the err buffer they are
 * given (definition, checkpoint) or logged with log_msg (sources at runtime).
 * Bad data (a malformed line, an unparsable JSON record) never stops a job.
 */
#ifndef APIM_STREAM_STREAM_H
#define APIM_STREAM_STREAM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct loop;
struct stream_def;
struct stream_job;

/* Parses and checks a canonical definition. NULL with err filled (one line,
 * lowercase, naming the field: "pipeline[2].length: must be a multiple of
 * batchInterval") when anything is missing, of the wrong type or out of
 * range. */
struct stream_def *stream_def_parse(const char *json, size_t len, char *err, size_t errlen);

/* The same from a parsed JSON object (borrowed). */
struct stream_def *stream_def_from_json(const json_t *root, char *err, size_t errlen);

void stream_def_free(struct stream_def *d);

/* The lower-case hex SHA-256 of the definition bytes (the plan's "hash"). */
void stream_def_hash(const char *json, size_t len, char out[65]);

/* What a job runs with. */
struct stream_env {
    struct loop *loop; /* for sockets; NULL: socket sources and serve are refused */
    FILE *out;         /* print output (stdout in apim job run) */
    const char *name;  /* the job's name (serve, status, checkpoint) */
    const char *hash;  /* the definition hash checked against a checkpoint */
    /* The gateway's state folder, where the gateway's own logs live (the
     * gatewayLog and eventHub sources read them); NULL outside a gateway. */
    const char *state_dir;
};

/* Builds a job, taking ownership of d (freed with the job, or here on
 * failure); NULL with err filled (a checkpoint of another definition, a
 * serve port in use, ...). now_ms is the start time: the first batch is the
 * next multiple of the interval after it. */
struct stream_job *stream_job_new(struct stream_def *d, const struct stream_env *env,
                                  int64_t now_ms, char *err, size_t errlen);

/* Stops reading, closes sockets, frees everything. NULL is a no-op. */
void stream_job_free(struct stream_job *j);

/* The epoch ms at which stream_job_run_due next has work (a batch, a
 * reconnect). */
int64_t stream_job_next_deadline(const struct stream_job *j);

/* Runs every batch whose time is <= now_ms (in order), and due reconnects.
 * Returns the number of batches run. */
size_t stream_job_run_due(struct stream_job *j, int64_t now_ms);

/* Begins a stop: the sources stop receiving (sockets closed, httpIngest
 * answers 503). With stop.graceful the records already received form a
 * batch at the next batch time, run now; if some are left (a batch holds at
 * most rate.maxRecordsPerSecond x interval) the following batches run at
 * their times from stream_job_run_due, until the queues are empty or
 * stop.timeout has passed since now_ms. Without it the job stops at once.
 * A stop writes the checkpoint of the last batch and logs the records left
 * unprocessed. The caller keeps calling stream_job_run_due (until
 * stream_job_next_deadline) until stream_job_stopped, then frees the job. */
void stream_job_stop(struct stream_job *j, int64_t now_ms);
bool stream_job_stopped(const struct stream_job *j);

/* Records received and not in a batch: so far, or left when it stopped. */
uint64_t stream_job_unprocessed(const struct stream_job *j);

/* The queue source named src gets a record (tests and in-process feeds):
 * 0, or -1 when the bounded queue is full (the record is not taken). */
int stream_job_push(struct stream_job *j, const char *src, const char *line, size_t len);

/* /status as JSON (new reference). */
json_t *stream_job_status(const struct stream_job *j);

/* /latest as JSON (new reference), or NULL before the first batch. */
json_t *stream_job_latest(const struct stream_job *j);

/* Batches with time > since, at most limit, oldest first (new reference). */
json_t *stream_job_batches(const struct stream_job *j, int64_t since, size_t limit);

/* Records queued at the named source (backpressure tests). */
size_t stream_job_queued(const struct stream_job *j, const char *src);

/* Python repr of a record as pprint shows it, and the pprint time line,
 * exposed for tests. Both append to out (NUL-terminated), 0 or -1 if full. */
int stream_repr(const json_t *key, const json_t *val, char *out, size_t len);
int stream_pprint_time(int64_t ms, char *out, size_t len);

#endif
