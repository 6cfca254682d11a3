/* gateway.h - a running gateway: the listening sockets, the worker threads,
 * the live plan and its reloads, the admin endpoints, the state folder, and
 * the signals that steer it (docs/gateway.md):
 *
 *   SIGHUP           rebuild the plan from the configuration and swap it in;
 *                    a failed build is logged and shown on /status, and the
 *                    last good plan keeps serving
 *   SIGTERM, SIGINT  drain: stop accepting, close the connections with no
 *                    request in flight (half-sent, idle), let requests in
 *                    flight finish (up to drain_timeout_ms), then stop; a
 *                    second signal stops at once
 *
 * With watch, the configuration files are polled and a change that has
 * settled triggers the same reload as SIGHUP.
 *
 * The state folder gets: pid, gateway.json (ports, URLs, plan hash),
 * gateway.plan (the plan being served) and access.log (accesslog.h).
 * With log_to_stdout (apim gateway start --foreground, for containers) the
 * access log goes to stdout instead, after one line that says where the
 * gateway listens, written once both ports are bound and before any request
 * is served:
 *   {"time":"…","event":"listening","name":"ci","url":"http://127.0.0.1:41234",
 *    "port":41234,"adminUrl":"http://127.0.0.1:39457","adminPort":39457,"pid":4711}
 * Ownership: gateway_run takes the initial plan bytes (malloc'd).
 * Errors: gateway_run returns 0 after a clean stop, 3 if it could not start
 * (reason in err, and on ready_fd).
 */
#ifndef APIM_RUNTIME_GATEWAY_H
#define APIM_RUNTIME_GATEWAY_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Builds the plan again from the configuration: 0 with the plan in plan,
 * or -1; messages gets the diagnostics text either way. */
typedef int (*gateway_build_fn)(void *ctx, struct buf *plan, struct buf *messages);

struct gateway_options {
    const char *name;
    const char *host;     /* where the gateway listens; the admin port is always loopback */
    int port, admin_port; /* 0: any free port */
    unsigned threads;     /* 0: one per CPU */
    long backend_timeout_ms;
    long drain_timeout_ms;
    long header_timeout_ms, body_timeout_ms; /* slow clients: server.h's deadlines */
    unsigned connection_limit;               /* per worker; 0 (or more): what descriptors allow */
    long backend_idle_s;                     /* pooled backend connections idle longer are closed */
    size_t body_memory;             /* request bodies one worker holds whole, in all (bytes) */
    const char *state_dir;          /* NULL: no state files */
    const char *config;             /* shown on /status */
    const char *resource_group;     /* recorded in gateway.json; or NULL */
    const char *const *watch_files; /* NULL-terminated, polled when watch */
    bool watch;
    gateway_build_fn build; /* NULL: reloads are refused */
    void *build_ctx;
    int ready_fd;       /* gets "ready URL ADMIN_URL\n" or "error MESSAGE\n"; -1: none */
    bool log_to_stdout; /* the listening line and the access log on stdout */
    const char *version;
};

int gateway_run(const struct gateway_options *o, void *plan_bytes, size_t plan_len, char *err,
                size_t errlen);

#endif
