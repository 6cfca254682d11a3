#include "admin.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

/* A JSON string of s. Text from outside the gateway (a config path, a
 * diagnostic line cut at its buffer's end mid-character) may not be UTF-8;
 * jansson refuses that, and the whole of /status would fail. Then every
 * byte past ASCII becomes '?'. NULL stays an error. */
static json_t *string_of(const char *s)
{
    json_t *j = json_string(s);
    if (j != NULL || s == NULL)
        return j;
    char *copy = xstrdup(s);
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    j = json_string(copy);
    free(copy);
    return j;
}

static json_t *iso_time(int64_t t)
{
    if (t <= 0)
        return json_null();
    char text[32];
    struct tm tm;
    time_t tt = (time_t)t;
    gmtime_r(&tt, &tm);
    strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_string(text);
}

static json_t *plan_part(const struct admin_view *v)
{
    const struct plan *p = v->plan;
    return json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:I}", "hash", p->hash, "loadedAt",
                     iso_time(v->plan_loaded_at), "apis", (json_int_t)p->napis, "operations",
                     (json_int_t)p->nops, "products", (json_int_t)p->nproducts, "subscriptions",
                     (json_int_t)p->nsubs, "backends", (json_int_t)p->nbackends);
}

static json_t *reload_part(const struct admin_view *v)
{
    json_t *last = v->last_error ? json_pack("{s:o, s:o}", "message", string_of(v->last_error),
                                             "time", iso_time(v->last_error_at))
                                 : json_null();
    return json_pack("{s:I, s:I, s:o}", "ok", (json_int_t)v->reloads_ok, "failed",
                     (json_int_t)v->reloads_failed, "lastError", last);
}

static json_t *counters_part(const struct admin_view *v)
{
    struct metrics_totals t;
    metrics_totals(v->metrics, &t);
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "requests",
                     (json_int_t)t.requests, "inFlight", (json_int_t)v->in_flight, "2xx",
                     (json_int_t)t.status_class[2], "3xx", (json_int_t)t.status_class[3], "4xx",
                     (json_int_t)t.status_class[4], "5xx", (json_int_t)t.status_class[5],
                     "unanswered", (json_int_t)t.status_class[0], "backendCalls",
                     (json_int_t)t.backend_calls, "backendErrors", (json_int_t)t.backend_errors);
}

static int json_body(json_t *j, struct buf *out);

/* Whole seconds (as uptime(1) counts them): /status is read by people and
 * scripts; /metrics keeps the milliseconds. */
static json_int_t whole_seconds(double s)
{
    return s > 0 ? (json_int_t)s : 0;
}

int admin_status_json(const struct admin_view *v, struct buf *out)
{
    json_t *j = json_pack(
        "{s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:I, s:o, s:I, s:o, s:o, s:o}", "name",
        string_of(v->name), "version", string_of(v->version), "state", string_of(v->state), "pid",
        (json_int_t)v->pid, "url", string_of(v->url), "adminUrl", string_of(v->admin_url), "config",
        string_of(v->config ? v->config : ""), "threads", (json_int_t)v->threads, "startedAt",
        iso_time(v->started_at), "uptimeSeconds", whole_seconds(v->uptime_seconds), "plan",
        plan_part(v), "reloads", reload_part(v), "counters", counters_part(v));
    if (j == NULL)
        return -1;
    json_object_set_new(j, "jobs", jobs_list_json(v->jobs));
    return json_body(j, out);
}

/* Writes j (taken) as indented JSON and a newline. */
static int json_body(json_t *j, struct buf *out)
{
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (text == NULL)
        return -1;
    int rc = buf_puts(out, text) | buf_puts(out, "\n");
    free(text);
    return rc ? -1 : 0;
}

static int label_text(struct buf *out, const char *v)
{
    int rc = 0;
    for (; *v && rc == 0; v++)
        rc = (*v == '\\' || *v == '"') ? buf_printf(out, "\\%c", *v)
             : *v == '\n'              ? buf_puts(out, "\\n")
                                       : buf_append(out, v, 1);
    return rc;
}

int admin_metrics_text(const struct admin_view *v, struct buf *out)
{
    int rc = metrics_render(v->metrics, out);
    rc |= buf_printf(out,
                     "# HELP apim_requests_in_flight Requests received and not yet answered.\n"
                     "# TYPE apim_requests_in_flight gauge\n"
                     "apim_requests_in_flight %llu\n"
                     "# HELP apim_uptime_seconds Seconds since the gateway started.\n"
                     "# TYPE apim_uptime_seconds gauge\n"
                     "apim_uptime_seconds %.3f\n"
                     "# HELP apim_plan_reloads_total Configuration reloads, by result.\n"
                     "# TYPE apim_plan_reloads_total counter\n"
                     "apim_plan_reloads_total{result=\"ok\"} %llu\n"
                     "apim_plan_reloads_total{result=\"failed\"} %llu\n"
                     "# HELP apim_build_info The gateway's version and the plan it serves.\n"
                     "# TYPE apim_build_info gauge\n"
                     "apim_build_info{version=\"",
                     (unsigned long long)v->in_flight, v->uptime_seconds,
                     (unsigned long long)v->reloads_ok, (unsigned long long)v->reloads_failed);
    rc |= label_text(out, v->version);
    rc |= buf_printf(out, "\",plan=\"%s\",gateway=\"", v->plan->hash);
    rc |= label_text(out, v->name);
    rc |= buf_puts(out, "\"} 1\n");
    return rc ? -1 : 0;
}

static int error_body(struct buf *body, int status, const char *message)
{
    if (buf_printf(body, "{ \"statusCode\": %d, \"message\": \"%s\" }\n", status, message) != 0)
        return 500;
    return status;
}

/* The answer to a start or stop. */
static int action(struct jobs *js, const char *name, bool start, struct buf *body)
{
    char msg[600] = "";
    enum jobs_result r =
        start ? jobs_start(js, name, msg, sizeof(msg)) : jobs_stop(js, name, msg, sizeof(msg));
    if (r == JOBS_NOT_FOUND)
        return error_body(body, 404, "Job not found");
    json_t *job = jobs_get_json(js, name);
    json_t *o = json_pack("{s:s, s:O, s:o}", "name", name, "state", json_object_get(job, "state"),
                          "message", string_of(msg));
    json_decref(job);
    if (o == NULL || json_body(o, body) != 0)
        return 500;
    return r == JOBS_OK ? 200 : 409;
}

/* rest: "" (GET /jobs), "/NAME", "/NAME/start", "/NAME/stop". */
static int jobs_route(const struct admin_view *v, bool get, const char *method, const char *rest,
                      struct buf *body)
{
    char name[256];
    const char *verb = rest[0] ? strchr(rest + 1, '/') : NULL;
    size_t n = verb ? (size_t)(verb - rest - 1) : rest[0] ? strlen(rest + 1) : 0;
    if (rest[0] == '\0') {
        if (!get)
            return error_body(body, 405, "Method not allowed");
        return json_body(jobs_list_json(v->jobs), body) == 0 ? 200 : 500;
    }
    if (n == 0 || n >= sizeof(name))
        return error_body(body, 404, "Job not found");
    memcpy(name, rest + 1, n);
    name[n] = '\0';
    if (verb == NULL) {
        if (!get)
            return error_body(body, 405, "Method not allowed");
        json_t *j = jobs_get_json(v->jobs, name);
        if (j == NULL)
            return error_body(body, 404, "Job not found");
        return json_body(j, body) == 0 ? 200 : 500;
    }
    bool start = strcmp(verb, "/start") == 0;
    if (!start && strcmp(verb, "/stop") != 0)
        return error_body(body, 404, "Resource not found");
    if (strcmp(method, "POST") != 0)
        return error_body(body, 405, "Method not allowed");
    return action(v->jobs, name, start, body);
}

int admin_route(const struct admin_view *v, const char *method, const char *path, struct buf *body,
                const char **content_type)
{
    *content_type = "application/json";
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (strcmp(path, "/status") == 0 || strcmp(path, "/metrics") == 0) {
        if (!get)
            return error_body(body, 405, "Method not allowed");
        if (path[1] == 's')
            return admin_status_json(v, body) == 0 ? 200 : 500;
        *content_type = "text/plain; version=0.0.4; charset=utf-8";
        return admin_metrics_text(v, body) == 0 ? 200 : 500;
    }
    if (strcmp(path, "/jobs") == 0 || strncmp(path, "/jobs/", 6) == 0)
        return jobs_route(v, get, method, path + 5, body);
    return error_body(body, 404, "Resource not found");
}
