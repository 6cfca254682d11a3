/* harness.h - end-to-end tests: the real apim binary and a real backend
 * process on 127.0.0.1, real HTTP requests with libcurl.
 *
 * Every process the harness starts is recorded and stopped by its PID when
 * the test program ends (normally or not). Gateways run with APIM_HOME in a
 * fresh temporary folder, so nothing of the user's is touched, and on ports
 * the OS picks (--port 0, --admin-port 0).
 * Ownership: responses and command outputs are struct buf the caller
 * releases with h_resp_release / buf_release.
 */
#ifndef APIM_TESTS_HARNESS_H
#define APIM_TESTS_HARNESS_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "buf.h"

/* argv of the test program: apim, the echo backend, the source root. */
void h_init(const char *apim, const char *backend, const char *root);

/* $APIM_HOME of this run, and a scratch folder for generated files. */
const char *h_home(void);
const char *h_scratch(void);
const char *h_root(void);

/* An echo backend (tests/backend) on a free port. */
struct h_backend {
    pid_t pid;
    int port;
    char url[64]; /* http://127.0.0.1:PORT */
};

int h_backend_start(struct h_backend *b);
void h_backend_stop(struct h_backend *b);

/* The requests the echo backend has answered so far (its /__count), or -1. */
long h_backend_requests(const struct h_backend *b);

/* A port nothing listens on (bound, then closed). */
int h_dead_port(void);

/* Runs apim with args (NULL-terminated) and APIM_HOME set; captures stdout
 * and stderr; returns the exit status (or -1). Times out after 60 s. */
int h_apim(struct buf *out, struct buf *err, const char *const *args);

/* A gateway started with `apim gateway start` (in the background). */
struct h_gateway {
    char name[64];
    pid_t pid;
    char url[128], admin[128];
};

/* Starts NAME on CONFIG with extra args (NULL-terminated, may be NULL),
 * with two worker threads unless extra says --threads; fills g from the
 * state folder. Returns apim's exit status. */
int h_gateway_start(struct h_gateway *g, const char *name, const char *config,
                    const char *const *extra);

/* The same, with a copy of what `apim gateway start` printed on stdout. */
int h_gateway_start_out(struct h_gateway *g, const char *name, const char *config,
                        const char *const *extra, struct buf *stdout_copy);

/* `apim gateway stop`; returns its exit status. */
int h_gateway_stop(struct h_gateway *g);

/* Stops pid (by PID) when the test program ends, if it still runs. */
void h_remember(pid_t pid);

/* True while the process lives. */
bool h_alive(pid_t pid);

/* A file in the gateway's state folder, read whole (NUL-terminated). */
int h_state_file(const struct h_gateway *g, const char *file, struct buf *out);

struct h_resp {
    long status;
    struct buf headers, body;
    double seconds;
    int curl_error; /* 0 if an HTTP answer came */
};

/* One request. headers: NULL-terminated "Name: value" strings, or NULL.
 * body may be NULL. timeout_ms 0 means 20 s. */
int h_http(struct h_resp *r, const char *method, const char *url, const char *const *headers,
           const char *body, long timeout_ms);
void h_resp_release(struct h_resp *r);

/* The value of one /metrics sample of g's admin port (its whole name with
 * labels), or -1. */
long long h_metric(const struct h_gateway *g, const char *sample);

/* The value of a response header (case-insensitive name) into out, or -1. */
int h_resp_header(const struct h_resp *r, const char *name, char *out, size_t len);

/* Sends raw bytes on a new connection and reads the answer until the peer
 * closes or timeout_ms passes. */
int h_raw(int port, const char *request, size_t len, struct buf *answer, long timeout_ms);

/* A GET on a thread of its own, so that a test can act while it waits
 * (stop a gateway, say); h_get_join waits for it and leaves the answer in r. */
struct h_get {
    char url[512];
    long timeout_ms;
    struct h_resp r;
    pthread_t thread;
};

void h_get_start(struct h_get *c, long timeout_ms);
void h_get_join(struct h_get *c);

/* h_gateway_stop on a thread of its own; h_stop_join waits for it: rc is
 * h_gateway_stop's, took its milliseconds. */
struct h_stop {
    struct h_gateway *g;
    int rc;
    long long took;
    pthread_t thread;
};

void h_stop_start(struct h_stop *s, struct h_gateway *g);
void h_stop_join(struct h_stop *s);

/* The gateway's /status counters.inFlight is above 0 (ctx: the gateway),
 * for h_wait. */
bool h_in_flight(void *ctx);

/* A listening TCP socket on 127.0.0.1 at a port the kernel picks (in
 * *port), for a test's own server (a job's socket source, say); -1 on error. */
int h_listen(int *port);

/* The next connection to lfd within ms milliseconds, or -1. */
int h_accept(int lfd, int ms);

/* A new TCP connection to 127.0.0.1:port (blocking), or -1. */
int h_connect(int port);

/* TCP sockets of this machine (IPv4 and IPv6, as ss lists them) whose local
 * port is local_port and remote port remote_port (0: any) in state, the
 * kernel's number (1 ESTABLISHED, 8 CLOSE_WAIT); -1 if unreadable. */
int h_tcp_count(int local_port, int remote_port, int state);

/* Bytes received and not yet read by the application on the TCP socket
 * from local_port to remote_port (its rx_queue in /proc/net/tcp), or -1. */
long h_tcp_unread(int local_port, int remote_port);

/* The local port of a connected socket, or -1. */
int h_local_port(int fd);

/* How a raw exchange ended: the peer closed the connection cleanly, reset
 * it, or still held it open when the time was up; or no connection. */
enum h_raw_end {
    H_RAW_OPEN,
    H_RAW_CLOSED,
    H_RAW_RESET,
    H_RAW_FAILED
};

/* h_raw, telling how the connection ended. A request the peer stops
 * reading part way is not an error: what it answered is still read. */
enum h_raw_end h_raw_how(int port, const char *request, size_t len, struct buf *answer,
                         long timeout_ms);

/* Writes a file (path relative to the scratch folder unless absolute);
 * returns the full path in out. */
int h_write_file(const char *name, const char *text, char *out, size_t len);

/* Milliseconds, monotonic. */
long long h_now_ms(void);

/* Polls cond(ctx) every 20 ms for up to ms; true once it holds. */
bool h_wait(bool (*cond)(void *ctx), void *ctx, long ms);

#endif
