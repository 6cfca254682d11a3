/* metrics.h - request counters and latency histograms for /metrics.
 *
 * Each worker records into its own struct metrics (a short mutex, taken
 * only by that worker and by a scrape, so workers never wait on each other);
 * a scrape merges them into a fresh one and renders Prometheus text:
 *
 *   apim_requests_total{api,operation,status}         counter
 *   apim_request_duration_seconds{api}                 histogram (request complete -> response)
 *   apim_backend_duration_seconds{api}                 histogram (backend call)
 *   apim_backend_errors_total{api,reason}              counter
 * (connect|timeout|reset|too_large|other)
 *   apim_client_connections{state}                    gauge (head|body|idle)
 *   apim_client_timeouts_total{phase}                  counter (head|body)
 *   apim_client_refused_total                          counter
 * (client connections reading a request's head or body, or idle between
 * requests; those closed with a 408 for sending too slowly: deadline.h)
 *
 * Label values are the plan's API and operation ids ("" when nothing matched).
 * Ownership: entries copy their label strings; a struct metrics owns them.
 * The number of series is capped (METRICS_MAX_SERIES); beyond it, records
 * are counted under api="(other)".
 */
#ifndef APIM_RUNTIME_METRICS_H
#define APIM_RUNTIME_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "gw.h"

#define METRICS_MAX_SERIES 20000
#define METRICS_NBUCKETS   14 /* 1 ms .. 10 s, then +Inf */

struct metrics;

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

struct metrics_record {
    struct str api, operation;
    int status; /* 0: the client left before an answer */
    double seconds;
    bool backend_called;
    double backend_seconds;
    enum gw_backend_error backend_error;
};

void metrics_add(struct metrics *m, const struct metrics_record *r);

/* Adds every series of src into dst (src is locked while read). */
void metrics_merge(struct metrics *dst, struct metrics *src);

struct metrics_totals {
    uint64_t requests, status_class[6]; /* [0]: no answer, [1..5]: 1xx..5xx */
    uint64_t backend_calls, backend_errors;
};

void metrics_totals(const struct metrics *m, struct metrics_totals *t);

/* The client connections of one worker: a snapshot that replaces the
 * previous one (the timeouts are the worker's running totals). */
struct metrics_conns {
    uint64_t head, body, idle;
    uint64_t timeouts_head, timeouts_body;
    uint64_t refused; /* closed with a 400, 414 or 431 for a request's framing */
};

void metrics_set_conns(struct metrics *m, const struct metrics_conns *c);

/* Prometheus text exposition (version 0.0.4) of the series. */
int metrics_render(const struct metrics *m, struct buf *out) __attribute__((warn_unused_result));

#endif
