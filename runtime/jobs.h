/* jobs.h - the streaming jobs of a running gateway (docs/gateway.md, "Jobs"):
 * the plan's PLAN_SEC_JOBS records run on ONE jobs thread with its own
 * epoll loop (loop.h): every job's sockets (socketText sources, serve
 * outputs) are watches on it, and the thread calls stream_job_run_due with
 * the wall clock and sleeps until the earliest deadline. No thread per job.
 *
 * Control (start, stop, status, a reload's new plan) comes from other
 * threads (the admin server, the signal loop): each takes the one mutex,
 * acts on the engine directly (epoll_ctl is thread-safe) and wakes the
 * thread through an eventfd, so the thread recomputes its deadline. The
 * thread holds the mutex whenever it runs the engine, and releases it while
 * it waits.
 *
 * A job that cannot start (its definition refused, its serve port the
 * gateway's own port or admin port, a port in use, a checkpoint of another
 * definition) is "failed" with the reason, logged, and shown on /status and
 * /jobs; the gateway keeps serving its APIs.
 * print output goes to STATE_DIR/jobs/NAME.out (appended; stderr without a
 * state folder), byte for byte as pprint writes it.
 *
 * Ownership: struct jobs copies every name and definition it is given; JSON
 * results are new references for the caller.
 * Errors: jobs_new returns NULL with err filled; start/stop return an enum.
 */
#ifndef APIM_RUNTIME_JOBS_H
#define APIM_RUNTIME_JOBS_H

#include <jansson.h>
#include <stddef.h>

#include "plan.h"

struct jobs;

/* Starts the jobs thread (with no jobs). state_dir may be NULL; the ports
 * are the gateway's, which no job's serve output may take. */
struct jobs *jobs_new(const char *state_dir, int gateway_port, int admin_port, char *err,
                      size_t errlen);

/* Takes the plan's jobs: the first call starts the autoStart ones; on a
 * reload, a job whose definition hash is unchanged keeps running, a changed
 * one is stopped and started again from its new definition (if it was
 * running, or is autoStart), a removed one stops, a new one starts if
 * autoStart. The plan is borrowed (everything needed is copied). */
void jobs_apply(struct jobs *js, const struct plan *p);

/* GET /jobs: [{name, state, autoStart, hash, error, batches, ...}]. */
json_t *jobs_list_json(struct jobs *js);

/* GET /jobs/NAME: the engine's /status of a running job plus the host's
 * fields; NULL if there is no such job. */
json_t *jobs_get_json(struct jobs *js, const char *name);

enum jobs_result {
    JOBS_OK,        /* done (or already so) */
    JOBS_NOT_FOUND, /* no job of that name */
    JOBS_FAILED     /* could not start: the reason is the job's error */
};

/* POST /jobs/NAME/start and /stop: msg gets a one-line reason. A stop is
 * graceful as the definition says (stop.graceful: the records received are
 * processed, for at most stop.timeout) and returns when it is over: the
 * caller's thread runs every job meanwhile. */
enum jobs_result jobs_start(struct jobs *js, const char *name, char *msg, size_t msglen);
enum jobs_result jobs_stop(struct jobs *js, const char *name, char *msg, size_t msglen);

/* Stops every job (each as its definition says, all together, so within
 * the largest stop.timeout), then the thread; frees js. NULL: no-op. */
void jobs_free(struct jobs *js);

#endif
