/* server_conn.c - client connections and their deadlines, for both
 * daemons (server_int.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "fdio.h"
#include "log.h"
#include "pipeline.h"
#include "server_int.h"

/* A connection starts (accepted: its head's clock starts) or closes. */
void server_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct deadline_set *set = cls; /* the server's or the admin server's */
    struct server_conn *sc = *socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        sc = xcalloc(1, sizeof(*sc));
        sc->conn = c;
        sc->fd = ci ? ci->connect_fd : -1;
        deadline_enter(set, &sc->d, DEADLINE_HEAD, loop_now_ms());
        *socket_context = sc;
    } else if (sc) {
        deadline_leave(set, &sc->d);
        free(sc);
        *socket_context = NULL;
    }
}

void server_on_guarded_connection(struct deadline_set *set, struct reqguard_table *t,
                                  struct MHD_Connection *c, void **socket_context,
                                  enum MHD_ConnectionNotificationCode code)
{
    struct server_conn *sc = *socket_context;
    if (code != MHD_CONNECTION_NOTIFY_STARTED && sc)
        reqguard_unwatch(t, &sc->guard);
    server_on_connection(set, c, socket_context, code);
    sc = *socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED && sc)
        reqguard_watch(t, &sc->guard, sc->fd);
}

struct server_conn *server_conn_of(struct reqguard *g)
{
    return (struct server_conn *)((char *)g - offsetof(struct server_conn, guard));
}

/* The head's deadline runs from its first byte (libmicrohttpd sees none of
 * it until the guard hands the whole head on). */
void server_guard_held(struct deadline_set *set, struct reqguard *g)
{
    struct server_conn *sc = server_conn_of(g);
    if (sc->d.phase == DEADLINE_IDLE)
        deadline_enter(set, &sc->d, DEADLINE_HEAD, loop_now_ms());
}

/* Not in the access log (no request was read); in the gateway's log within
 * a limit, and counted in /metrics by the caller's table. */
void server_guard_refused(struct log_limit *limit, struct reqguard *g, int status,
                          const char *reason)
{
    char ip[64];
    fd_peer_ip(g->fd, ip, sizeof(ip));
    log_limited(limit, LOG_LEVEL_INFO, "refused a request from %s: %d %s", ip, status, reason);
    server_answer_raw(g->fd, status, reason);
}

void server_on_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char text[512];
    vsnprintf(text, sizeof(text), fmt, ap);
    /* What libmicrohttpd says when on_access closes the connection of a
     * client that left (on_client_gone): that is logged as the request's
     * ClientConnectionFailure already. */
    if (strstr(text, "Application reported internal error") != NULL)
        return;
    /* A client that leaves mid-request, or whose chunked body the guard
     * refused: the access log has the request, with its reason. */
    if (strstr(text, "closed by remote side with incomplete request") != NULL)
        return;
    log_msg(LOG_LEVEL_WARN, "%s", text);
}

/* ---- connections past their deadline ---- */

/* Input still unread is dropped first: closing a socket with unread input
 * sends a reset, which can destroy the answer before the client reads it. */
void server_answer_raw(int fd, int status, const char *reason)
{
    char sink[4096];
    for (int i = 0; i < 16 && recv(fd, sink, sizeof(sink), MSG_DONTWAIT) > 0; i++)
        ; /* at most 64 KiB: a client that keeps sending sees the reset */
    struct buf out;
    buf_init(&out, 4096);
    if (deadline_refusal(&out, status, reason, time(NULL)) == 0) {
        ssize_t n = send(fd, out.data, out.len, MSG_DONTWAIT | MSG_NOSIGNAL);
        (void)n; /* a client that cannot take 200 bytes just sees the close */
    }
    buf_release(&out);
}

/* Writes the 408 straight to the socket: libmicrohttpd answers only from
 * the request handler, which a slow client never reaches. Nothing else
 * writes to the socket then (no answer is queued, and this runs on the
 * connection's own thread between two MHD_run). */
static void answer_408(struct server_conn *sc)
{
    server_answer_raw(sc->fd, 408, "RequestTimeout");
}

/* Ends a connection that is not in flight: libmicrohttpd sees the shut
 * socket hang up on its next run and closes it (calling on_completed and
 * on_connection as for any close). */
static void cut(struct server_conn *sc, bool answer)
{
    if (sc->fd < 0)
        return;
    if (answer && MHD_get_connection_info(sc->conn, MHD_CONNECTION_INFO_HTTP_STATUS) == NULL)
        answer_408(sc);
    shutdown(sc->fd, SHUT_RDWR);
}

/* Closes the connections past their deadline, and while the server stops,
 * every connection whose request is not in flight (half-sent or idle). */
void server_expire(struct deadline_set *set, bool closing)
{
    struct deadline_conn *d;
    enum deadline_phase was;
    while ((d = deadline_pop_expired(set, loop_now_ms(), &was)))
        cut((struct server_conn *)d, true);
    while (closing && (d = deadline_pop_any(set)))
        cut((struct server_conn *)d, false);
}
