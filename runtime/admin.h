/* admin.h - the admin endpoints, on their own loopback port:
 *
 *   GET /status    JSON: name, state, pid, URLs, config, plan (hash, loaded
 *                  at, counts), uptime, reloads (with the last error), and
 *                  request counters
 *   GET /metrics   Prometheus text: metrics.h's series plus
 *                  apim_requests_in_flight, apim_uptime_seconds,
 *                  apim_plan_reloads_total{result}, apim_build_info
 *   GET /jobs      JSON array: each streaming job's name, state (running,
 *                  stopped, failed), autoStart, hash, error, batches
 *   GET /jobs/N    one job: the same plus the engine's status and latest
 *   POST /jobs/N/start, POST /jobs/N/stop
 *                  {"name","state","message"}; 404 for an unknown job, 409
 *                  when it cannot start (the message says why)
 *
 * The gateway fills a struct admin_view per scrape; this module only
 * renders and routes. Ownership: the view's strings and metrics belong to
 * the caller.
 */
#ifndef APIM_RUNTIME_ADMIN_H
#define APIM_RUNTIME_ADMIN_H

#include <stdint.h>

#include "buf.h"
#include "jobs.h"
#include "metrics.h"
#include "plan.h"

struct admin_view {
    const char *name, *version, *state, *url, *admin_url, *config, *host;
    long pid;
    unsigned threads;
    int64_t started_at; /* Unix seconds */
    double uptime_seconds;
    const struct plan *plan;
    int64_t plan_loaded_at; /* Unix seconds */
    uint64_t reloads_ok, reloads_failed;
    const char *last_error; /* NULL: the last reload worked (or none happened) */
    int64_t last_error_at;
    uint64_t in_flight;
    const struct metrics *metrics; /* merged over the workers */
    struct jobs *jobs;             /* NULL: the gateway runs no jobs */
};

/* Answers one admin request: fills body and content_type, returns the
 * HTTP status. */
int admin_route(const struct admin_view *v, const char *method, const char *path, struct buf *body,
                const char **content_type);

int admin_status_json(const struct admin_view *v, struct buf *out)
    __attribute__((warn_unused_result));
int admin_metrics_text(const struct admin_view *v, struct buf *out)
    __attribute__((warn_unused_result));

#endif
