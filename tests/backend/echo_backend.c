/*
 * apim-echo-backend: the stub backend for the end-to-end tests and the quickstart.
 *
 * The gateway forwards requests here; every request is answered with a JSON description of
 * exactly what arrived (method, raw path and query, headers, body), so a test can check what
 * the gateway's policies did to the request. A few path suffixes make the backend misbehave
 * on purpose (slow, odd status, extra header, big body, dropped connection) and one counts
 * requests, so a test can tell whether the gateway reached the backend at all.
 *
 *   .../close-after       the echo answer, then the connection is closed (no "Connection:
 *                         close" said), as a backend with a short keep-alive does
 *   .../big-headers?bytes=N  the echo answer with about N bytes of extra headers
 *                         (X-Big-0, X-Big-1, ... of up to 1000 bytes each; N up to 256 KiB)
 *
 *   apim-echo-backend [--port N] [--host ADDR] [--pid-file FILE]
 *
 * Prints one line "listening on http://HOST:PORT" once it accepts connections, then serves
 * until SIGTERM or SIGINT and exits 0. This is a test tool, not part of the gateway: it uses
 * libmicrohttpd directly and aborts on out-of-memory.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ECHO_DEFAULT_PORT    5000
#define ECHO_MAX_BODY        ((size_t)16 * 1024 * 1024) /* larger uploads get 413 */
#define ECHO_MAX_BIG         ((uint64_t)64 * 1024 * 1024)
#define ECHO_DEFAULT_BIG     ((uint64_t)1024 * 1024)
#define ECHO_MAX_SLOW_MS     60000
#define ECHO_DEFAULT_SLOW_MS 2000
#define ECHO_SLEEP_STEP_MS   50 /* how quickly a slow request notices shutdown */
#define ECHO_BIG_BLOCK       ((size_t)64 * 1024)
#define ECHO_MAX_HEADER_FILL ((uint64_t)256 * 1024)
#define ECHO_HEADER_PIECE    1000
/* Room for /big-headers answers (libmicrohttpd's default is 32 KiB). */
#define ECHO_CONNECTION_MEMORY ((size_t)512 * 1024)

enum route {
    ROUTE_ECHO,
    ROUTE_HELLO,
    ROUTE_SLOW,
    ROUTE_STATUS,
    ROUTE_SET_HEADER,
    ROUTE_BIG,
    ROUTE_CLOSE,
    ROUTE_CLOSE_AFTER,
    ROUTE_BIG_HEADERS,
    ROUTE_COUNT
};

/*
 * Per-request state, created by the URI log callback (the only place that sees the URI before
 * libmicrohttpd decodes it in place) and freed by the request-completed callback.
 */
struct request {
    char *path;        /* raw path as on the wire (the request-target up to '?') */
    size_t path_len;   /* strlen(path) */
    const char *query; /* raw query after the '?', "" if none; points into path's block */
    enum route route;
    bool started;   /* the access handler has had its first call */
    bool too_large; /* the body passed ECHO_MAX_BODY; the rest is read and dropped */
    char *body;
    size_t body_len;
    size_t body_cap;
};

struct options {
    uint16_t port;
    const char *host;
    const char *pid_file;
};

/* Requests seen, not counting the __count requests themselves (before/after diffs stay exact). */
static atomic_ulong request_count;
/* Set once a stop signal arrived, so sleeping /slow requests give up early. */
static atomic_bool stopping;
/* /hello is answered from one shared response, so the benchmark path builds nothing. */
static struct MHD_Response *hello_response;
static char hello_text[] = "hello";

static void die_oom(void)
{
    fputs("apim-echo-backend: out of memory\n", stderr);
    abort();
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (q == NULL)
        die_oom();
    return q;
}

/* Every json_object_set_new here can only fail for lack of memory. */
static void jset(json_t *obj, const char *key, json_t *value)
{
    if (value == NULL || json_object_set_new(obj, key, value) != 0)
        die_oom();
}

/* Strict unsigned decimal: digits only, no sign, no overflow. */
static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (s == NULL || s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

/*
 * Request text becomes a JSON string. Bytes that are not valid UTF-8 cannot go into JSON as
 * they are, so they are read as Latin-1 instead: every byte maps to one code point and a client
 * can get the exact bytes back. *latin1 says which way was taken.
 */
static json_t *jbytes(const char *p, size_t n, bool *latin1)
{
    json_t *s = json_stringn(p, n);
    char *wide;
    size_t w = 0;

    *latin1 = false;
    if (s != NULL || n == 0)
        return s;
    *latin1 = true;
    wide = xrealloc(NULL, 2 * n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x80) {
            wide[w++] = (char)c;
        } else {
            wide[w++] = (char)(0xC0 | (c >> 6));
            wide[w++] = (char)(0x80 | (c & 0x3F));
        }
    }
    s = json_stringn(wide, w);
    free(wide);
    return s;
}

static json_t *jtext(const char *p, size_t n)
{
    bool latin1;
    json_t *s = jbytes(p, n, &latin1);
    if (s == NULL)
        die_oom();
    return s;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* ".../status/NNN" with one to three digits; the range is checked when answering. */
static bool is_status_path(const char *p, size_t n)
{
    size_t i = n;
    while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
        i--;
    return n - i >= 1 && n - i <= 3 && ends_with(p, i, "/status/");
}

/* Suffix matching, so the routes work behind any API prefix the gateway adds. */
static enum route route_of(const char *p, size_t n)
{
    static const struct {
        const char *suffix;
        enum route route;
    } table[] = {
        { "/slow", ROUTE_SLOW },
        { "/headers/set", ROUTE_SET_HEADER },
        { "/big", ROUTE_BIG },
        { "/close", ROUTE_CLOSE },
        { "/__count", ROUTE_COUNT },
        { "/close-after", ROUTE_CLOSE_AFTER },
        { "/big-headers", ROUTE_BIG_HEADERS },
    };

    if (n == 6 && memcmp(p, "/hello", 6) == 0)
        return ROUTE_HELLO;
    if (is_status_path(p, n))
        return ROUTE_STATUS;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (ends_with(p, n, table[i].suffix))
            return table[i].route;
    }
    return ROUTE_ECHO;
}

/*
 * MHD_OPTION_URI_LOG_CALLBACK: runs once per request, before libmicrohttpd splits off the query
 * and percent-decodes the path in place, so this is where the raw URI is copied. uri is NULL
 * for a request line without a target. The return value becomes the handler's *req_cls.
 */
static void *log_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
    struct request *r = calloc(1, sizeof *r);

    (void)cls;
    (void)con;
    if (r == NULL || (r->path = strdup(uri != NULL ? uri : "")) == NULL)
        die_oom();
    r->path_len = strcspn(r->path, "?");
    r->query = r->path + r->path_len;
    if (*r->query == '?') {
        r->path[r->path_len] = '\0';
        r->query++;
    }
    return r;
}

/* MHD_OPTION_NOTIFY_COMPLETED: also runs for requests that ended in an error or were dropped. */
static void completed(void *cls, struct MHD_Connection *con, void **req_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct request *r = *req_cls;

    (void)cls;
    if (r != NULL && r->route == ROUTE_CLOSE_AFTER && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK) {
        /* The answer is out: end the connection under the client's feet. */
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (ci != NULL)
            (void)shutdown(ci->connect_fd, SHUT_RDWR);
    }
    if (r != NULL) {
        free(r->body);
        free(r->path);
        free(r);
    }
    *req_cls = NULL;
}

/* Appends one upload chunk; past the cap the body is kept as it was and the rest dropped. */
static void take_body(struct request *r, const char *data, size_t n)
{
    size_t cap;

    if (r->too_large)
        return;
    if (n > ECHO_MAX_BODY - r->body_len) {
        r->too_large = true;
        return;
    }
    if (r->body_len + n > r->body_cap) {
        cap = r->body_cap < 4096 ? 4096 : r->body_cap;
        while (cap < r->body_len + n)
            cap *= 2;
        cap = cap > ECHO_MAX_BODY ? ECHO_MAX_BODY : cap;
        r->body = xrealloc(r->body, cap);
        r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
}

/* The port actually bound, also when the OS picked it (--port 0). */
static unsigned bound_port(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return info != NULL ? info->port : 0;
}

static unsigned connection_port(struct MHD_Connection *con)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(con, MHD_CONNECTION_INFO_DAEMON);
    return info != NULL ? bound_port(info->daemon) : 0;
}

/* Repeated header names are joined with ", ", which HTTP says means the same thing. */
static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
    json_t *headers = cls;
    json_t *name = jtext(key, key_size);
    json_t *old = json_object_get(headers, json_string_value(name));
    json_t *val = jtext(value != NULL ? value : "", value != NULL ? value_size : 0);

    (void)kind;
    if (old != NULL) {
        size_t a = json_string_length(old), b = json_string_length(val);
        char *joined = xrealloc(NULL, a + 2 + b);
        memcpy(joined, json_string_value(old), a);
        memcpy(joined + a, ", ", 2);
        memcpy(joined + a + 2, json_string_value(val), b);
        json_decref(val);
        val = json_stringn(joined, a + 2 + b);
        free(joined);
    }
    jset(headers, json_string_value(name), val);
    json_decref(name);
    return MHD_YES;
}

static json_t *echo_json(struct MHD_Connection *con, const struct request *r, const char *method)
{
    json_t *doc = json_object(), *headers = json_object(), *body;
    bool latin1;

    if (doc == NULL || headers == NULL)
        die_oom();
    jset(doc, "method", jtext(method, strlen(method)));
    jset(doc, "path", jtext(r->path, r->path_len));
    jset(doc, "query", jtext(r->query, strlen(r->query)));
    (void)MHD_get_connection_values_n(con, MHD_HEADER_KIND, add_header, headers); /* a count */
    jset(doc, "headers", headers);
    body = jbytes(r->body != NULL ? r->body : "", r->body_len, &latin1);
    jset(doc, "body", body);
    if (latin1)
        jset(doc, "bodyEncoding", json_string("latin1"));
    jset(doc, "bodyLength", json_integer((json_int_t)r->body_len));
    jset(doc, "port", json_integer(connection_port(con)));
    return doc;
}

/* Takes ownership of doc. The text ends in a newline so curl output stays readable. */
static struct MHD_Response *json_response(json_t *doc)
{
    const size_t flags = JSON_INDENT(2);
    size_t n = json_dumpb(doc, NULL, 0, flags);
    char *text;
    struct MHD_Response *resp;

    if (n == 0)
        die_oom();
    text = xrealloc(NULL, n + 1);
    if (json_dumpb(doc, text, n, flags) != n)
        die_oom();
    text[n] = '\n';
    json_decref(doc);
    resp = MHD_create_response_from_buffer(n + 1, text, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL)
        die_oom();
    return resp;
}

/* Adds a header unless /headers/set already chose one of that name (its value wins). */
static bool add_default(struct MHD_Response *resp, const char *name, const char *value)
{
    if (MHD_get_response_header(resp, name) != NULL)
        return true;
    return MHD_add_response_header(resp, name, value) == MHD_YES;
}

/*
 * Adds the common headers, queues and drops our reference. A header libmicrohttpd refuses
 * (the raw path with a CR in it, say) closes the connection: no response beats a wrong one.
 */
static enum MHD_Result finish(struct MHD_Connection *con, const struct request *r, unsigned status,
                              struct MHD_Response *resp, const char *type)
{
    enum MHD_Result ret = MHD_NO;

    if (add_default(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type) &&
        add_default(resp, "X-Echo-Backend", "1") &&
        (r->path_len == 0 || add_default(resp, "X-Echo-Path", r->path)))
        ret = MHD_queue_response(con, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *con, const struct request *r,
                                  unsigned status, const char *message)
{
    json_t *doc = json_object();

    if (doc == NULL)
        die_oom();
    jset(doc, "error", json_string(message));
    return finish(con, r, status, json_response(doc), "application/json");
}

/* The normal answer; hname/hvalue is the optional extra header of /headers/set. */
static enum MHD_Result send_echo(struct MHD_Connection *con, const struct request *r,
                                 const char *method, unsigned status, const char *hname,
                                 const char *hvalue)
{
    struct MHD_Response *resp = json_response(echo_json(con, r, method));

    if (hname != NULL && MHD_add_response_header(resp, hname, hvalue) != MHD_YES) {
        MHD_destroy_response(resp);
        return send_error(con, r, MHD_HTTP_BAD_REQUEST,
                          "libmicrohttpd refused the header: empty value, space or CR/LF in "
                          "it, or Content-Length");
    }
    return finish(con, r, status, resp, "application/json");
}

/* A query parameter as a number: default when absent, clamped to max, -1 when not a number. */
static int query_u64(struct MHD_Connection *con, const char *key, uint64_t dflt, uint64_t max,
                     uint64_t *out)
{
    const char *s = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, key);

    *out = dflt;
    if (s != NULL && parse_u64(s, out) != 0)
        return -1;
    if (*out > max)
        *out = max;
    return 0;
}

/* Sleeps in short steps so that SIGTERM does not have to wait for a 60 s request. */
static void sleep_ms(uint64_t ms)
{
    while (ms > 0 && !atomic_load(&stopping)) {
        uint64_t step = ms < ECHO_SLEEP_STEP_MS ? ms : ECHO_SLEEP_STEP_MS;
        struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)(step * 1000000) };
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            continue;
        ms -= step;
    }
}

static enum MHD_Result send_slow(struct MHD_Connection *con, const struct request *r,
                                 const char *method)
{
    uint64_t ms;

    if (query_u64(con, "ms", ECHO_DEFAULT_SLOW_MS, ECHO_MAX_SLOW_MS, &ms) != 0)
        return send_error(con, r, MHD_HTTP_BAD_REQUEST, "ms must be a decimal number");
    sleep_ms(ms);
    return send_echo(con, r, method, MHD_HTTP_OK, NULL, NULL);
}

static enum MHD_Result send_status(struct MHD_Connection *con, const struct request *r,
                                   const char *method)
{
    size_t i = r->path_len;
    unsigned status = 0, scale = 1;

    /* route_of guaranteed one to three trailing digits. */
    while (i > 0 && r->path[i - 1] >= '0' && r->path[i - 1] <= '9') {
        status += (unsigned)(r->path[i - 1] - '0') * scale;
        scale *= 10;
        i--;
    }
    if (status < 100 || status > 599)
        return send_error(con, r, MHD_HTTP_BAD_REQUEST, "status must be 100..599");
    return send_echo(con, r, method, status, NULL, NULL);
}

static enum MHD_Result send_with_header(struct MHD_Connection *con, const struct request *r,
                                        const char *method)
{
    const char *name = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "name");
    const char *value = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "value");

    if (name == NULL || name[0] == '\0')
        return send_error(con, r, MHD_HTTP_BAD_REQUEST, "usage: headers/set?name=X&value=Y");
    return send_echo(con, r, method, MHD_HTTP_OK, name, value != NULL ? value : "");
}

/*
 * Content reader for /big. libmicrohttpd never asks for more than what is left of the size
 * given at creation (it clamps max to total_size - pos), so filling max bytes is exact.
 */
static ssize_t fill_x(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)cls;
    (void)pos;
    memset(buf, 'x', max);
    return (ssize_t)max;
}

static enum MHD_Result send_big(struct MHD_Connection *con, const struct request *r)
{
    uint64_t bytes;
    struct MHD_Response *resp;

    if (query_u64(con, "bytes", ECHO_DEFAULT_BIG, ECHO_MAX_BIG, &bytes) != 0)
        return send_error(con, r, MHD_HTTP_BAD_REQUEST, "bytes must be a decimal number");
    resp = MHD_create_response_from_callback(bytes, ECHO_BIG_BLOCK, fill_x, NULL, NULL);
    if (resp == NULL)
        die_oom();
    return finish(con, r, MHD_HTTP_OK, resp, "text/plain");
}

/* The echo answer with about `bytes` of extra header lines. */
static enum MHD_Result send_big_headers(struct MHD_Connection *con, const struct request *r,
                                        const char *method)
{
    uint64_t bytes;
    char name[32], value[ECHO_HEADER_PIECE + 1];
    struct MHD_Response *resp;

    if (query_u64(con, "bytes", 0, ECHO_MAX_HEADER_FILL, &bytes) != 0)
        return send_error(con, r, MHD_HTTP_BAD_REQUEST, "bytes must be a decimal number");
    resp = json_response(echo_json(con, r, method));
    memset(value, 'h', ECHO_HEADER_PIECE);
    for (unsigned i = 0; bytes > 0; i++) {
        size_t n = bytes < ECHO_HEADER_PIECE ? (size_t)bytes : ECHO_HEADER_PIECE;
        value[n] = '\0';
        snprintf(name, sizeof name, "X-Big-%u", i);
        if (MHD_add_response_header(resp, name, value) != MHD_YES)
            die_oom();
        value[n] = 'h';
        bytes -= n;
    }
    return finish(con, r, MHD_HTTP_OK, resp, "application/json");
}

static enum MHD_Result send_count(struct MHD_Connection *con, const struct request *r)
{
    json_t *doc = json_object();

    if (doc == NULL)
        die_oom();
    jset(doc, "requests", json_integer((json_int_t)atomic_load(&request_count)));
    return finish(con, r, MHD_HTTP_OK, json_response(doc), "application/json");
}

static enum MHD_Result respond(struct MHD_Connection *con, struct request *r, const char *method)
{
    if (r->too_large)
        return send_error(con, r, MHD_HTTP_CONTENT_TOO_LARGE, "request body exceeds 16 MiB");
    switch (r->route) {
    case ROUTE_HELLO:
        return MHD_queue_response(con, MHD_HTTP_OK, hello_response);
    case ROUTE_COUNT:
        return send_count(con, r);
    case ROUTE_BIG:
        return send_big(con, r);
    case ROUTE_SLOW:
        return send_slow(con, r, method);
    case ROUTE_STATUS:
        return send_status(con, r, method);
    case ROUTE_SET_HEADER:
        return send_with_header(con, r, method);
    case ROUTE_BIG_HEADERS:
        return send_big_headers(con, r, method);
    case ROUTE_CLOSE:
    case ROUTE_CLOSE_AFTER:
    case ROUTE_ECHO:
        break;
    }
    return send_echo(con, r, method, MHD_HTTP_OK, NULL, NULL);
}

/* A declared Content-Length over the cap is refused before any of the body is read. */
static bool declared_too_large(struct MHD_Connection *con)
{
    const char *s = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Length");
    uint64_t n;

    return s != NULL && parse_u64(s, &n) == 0 && n > ECHO_MAX_BODY;
}

/*
 * First call, headers only. Returning MHD_NO makes libmicrohttpd drop the connection without
 * a response (/close). Queueing a response now (the 413) makes it skip the body and close the
 * connection afterwards, so everything else is answered on the last call, keeping keep-alive.
 */
static enum MHD_Result first_call(struct MHD_Connection *con, struct request *r)
{
    r->started = true;
    r->route = route_of(r->path, r->path_len);
    if (r->route != ROUTE_COUNT)
        atomic_fetch_add(&request_count, 1);
    if (r->route == ROUTE_CLOSE)
        return MHD_NO;
    if (declared_too_large(con)) {
        r->too_large = true;
        return send_error(con, r, MHD_HTTP_CONTENT_TOO_LARGE, "request body exceeds 16 MiB");
    }
    return MHD_YES;
}

/*
 * The access handler. libmicrohttpd calls it once with the headers, once per upload chunk
 * (upload_data_size != 0) and once more when the request is complete. url is already
 * percent-decoded, so the raw URI saved by log_uri is used instead.
 */
static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **req_cls)
{
    struct request *r = *req_cls;

    (void)cls;
    (void)url;
    (void)version;
    if (r == NULL)
        return MHD_NO;
    if (!r->started)
        return first_call(con, r);
    if (*upload_data_size != 0) {
        take_body(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return respond(con, r, method);
}

static int make_hello(void)
{
    hello_response =
        MHD_create_response_from_buffer(strlen(hello_text), hello_text, MHD_RESPMEM_PERSISTENT);
    if (hello_response == NULL ||
        MHD_add_response_header(hello_response, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain") !=
            MHD_YES ||
        MHD_add_response_header(hello_response, "X-Echo-Backend", "1") != MHD_YES ||
        MHD_add_response_header(hello_response, "X-Echo-Path", "/hello") != MHD_YES)
        return -1;
    return 0;
}

/* IPv4 or IPv6 literal; *ipv6 says which. */
static int make_addr(const struct options *o, struct sockaddr_storage *ss, bool *ipv6)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof *ss);
    *ipv6 = strchr(o->host, ':') != NULL;
    if (*ipv6) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(o->port);
        return inet_pton(AF_INET6, o->host, &v6->sin6_addr) == 1 ? 0 : -1;
    }
    v4->sin_family = AF_INET;
    v4->sin_port = htons(o->port);
    return inet_pton(AF_INET, o->host, &v4->sin_addr) == 1 ? 0 : -1;
}

/*
 * One thread per connection, so a /slow request never holds up the others. Handlers run on
 * those threads, hence the atomics.
 */
static struct MHD_Daemon *start(const struct options *o)
{
    struct sockaddr_storage ss;
    struct MHD_Daemon *d;
    bool ipv6;
    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;

    if (make_addr(o, &ss, &ipv6) != 0) {
        fprintf(stderr, "apim-echo-backend: --host '%s' is not an IP address\n", o->host);
        return NULL;
    }
    flags |= ipv6 ? MHD_USE_IPv6 : 0;
    d = MHD_start_daemon(
        flags, o->port, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_URI_LOG_CALLBACK, log_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, ECHO_CONNECTION_MEMORY, MHD_OPTION_END);
    if (d == NULL)
        fprintf(stderr, "apim-echo-backend: cannot listen on %s port %u\n", o->host,
                (unsigned)o->port);
    return d;
}

static int write_pid_file(const char *path)
{
    FILE *f = fopen(path, "w");

    if (f == NULL) {
        fprintf(stderr, "apim-echo-backend: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    if (fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
        fprintf(stderr, "apim-echo-backend: cannot write '%s'\n", path);
        return -1;
    }
    return 0;
}

/* The pid file (if any) and the "listening on" line, which tests wait for, in that order. */
static int announce(const struct options *o, struct MHD_Daemon *d)
{
    bool ipv6 = strchr(o->host, ':') != NULL;

    if (o->pid_file != NULL && write_pid_file(o->pid_file) != 0)
        return -1;
    if (printf("listening on http://%s%s%s:%u\n", ipv6 ? "[" : "", o->host, ipv6 ? "]" : "",
               bound_port(d)) < 0 ||
        fflush(stdout) != 0)
        return -1;
    return 0;
}

/*
 * The stop signals are blocked before the daemon starts, so every libmicrohttpd thread
 * inherits the mask and the main thread alone takes them, in sigwait.
 */
static int block_signals(sigset_t *set)
{
    struct sigaction ign;

    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN; /* a client hanging up mid-response must not kill us */
    if (sigaction(SIGPIPE, &ign, NULL) != 0)
        return -1;
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    return pthread_sigmask(SIG_BLOCK, set, NULL) == 0 ? 0 : -1;
}

static int run(const struct options *o)
{
    sigset_t set;
    int sig, rc = -1;
    struct MHD_Daemon *d;

    if (block_signals(&set) != 0 || make_hello() != 0)
        return -1;
    d = start(o);
    if (d != NULL && announce(o, d) == 0 && sigwait(&set, &sig) == 0)
        rc = 0;
    atomic_store(&stopping, true);
    if (d != NULL)
        MHD_stop_daemon(d);
    MHD_destroy_response(hello_response);
    if (o->pid_file != NULL && d != NULL && unlink(o->pid_file) != 0 && errno != ENOENT)
        fprintf(stderr, "apim-echo-backend: cannot remove '%s'\n", o->pid_file);
    return rc;
}

static void usage(FILE *f)
{
    fputs("usage: apim-echo-backend [--port N] [--host ADDR] [--pid-file FILE]\n"
          "  --port N         port to listen on (default 5000; 0 = any free port)\n"
          "  --host ADDR      IP address to bind (default 127.0.0.1)\n"
          "  --pid-file FILE  write the process id to FILE once listening\n",
          f);
}

static int parse_args(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        { "port", required_argument, NULL, 'p' },
        { "host", required_argument, NULL, 'H' },
        { "pid-file", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    uint64_t port;
    int c;

    *o = (struct options){ .port = ECHO_DEFAULT_PORT, .host = "127.0.0.1", .pid_file = NULL };
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'p' && (parse_u64(optarg, &port) != 0 || port > 65535)) {
            fprintf(stderr, "apim-echo-backend: --port wants 0..65535, not '%s'\n", optarg);
            return -1;
        }
        if (c == 'p')
            o->port = (uint16_t)port;
        else if (c == 'H')
            o->host = optarg;
        else if (c == 'f')
            o->pid_file = optarg;
        else if (c == 'h')
            return 1;
        else
            return -1;
    }
    return optind == argc ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct options o;
    int rc = parse_args(argc, argv, &o);

    if (rc != 0) {
        usage(rc > 0 ? stdout : stderr);
        return rc > 0 ? 0 : 2;
    }
    return run(&o) == 0 ? 0 : 1;
}
