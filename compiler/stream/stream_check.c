/* stream_check.c - where jobs are declared (a template's metadata, a
 * sidecar file), each job read into its definition and hash, and the
 * checks across jobs and against the model. */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apim_limits.h"
#include "model.h"
#include "name_index.h"
#include "stream_decl.h"
#include "stream_decl_int.h"
#include "suggest.h"

void stream_decls_init(struct stream_decls *s, struct arena *a, struct diag *d)
{
    memset(s, 0, sizeof(*s));
    s->arena = a;
    s->diag = d;
}

void stream_decls_release(struct stream_decls *s)
{
    s->jobs = s->last = NULL;
    s->njobs = 0;
}

void stream_add_ref(struct jctx *c, struct stream_ref **list, const struct jval *v)
{
    struct stream_ref *r = ARENA_NEW(c->s->arena, struct stream_ref);
    r->value = v;
    r->next = *list;
    *list = r;
}

bool stream_is_sidecar(const struct jval *doc)
{
    return doc && doc->kind == JV_OBJECT && jval_get(doc, "streamingJobs") &&
           !jval_get(doc, "resources");
}

/* ARM does not evaluate a template's metadata: "[...]" there is text. */
static void warn_expressions(struct stream_decls *s, const struct jval *v, unsigned depth)
{
    if (depth > 64)
        return;
    if (v->kind == JV_STRING && v->u.s.len >= 2 && v->u.s.ptr[0] == '[' && v->u.s.ptr[1] != '[' &&
        v->u.s.ptr[v->u.s.len - 1] == ']')
        diag_emit(s->diag, DC_STREAM_ARM_EXPRESSION, v->loc,
                  "'%s' is not evaluated: ARM does not evaluate a template's metadata, so the "
                  "job gets this text as it is",
                  v->u.s.ptr);
    for (size_t i = 0; v->kind == JV_ARRAY && i < v->u.a.n; i++)
        warn_expressions(s, v->u.a.v[i], depth + 1);
    for (size_t i = 0; v->kind == JV_OBJECT && i < v->u.o.n; i++)
        warn_expressions(s, v->u.o.v[i].value, depth + 1);
}

/* The hash of the definition as declared (hashed, paths not made absolute),
 * or of the definition itself when there is no such text. */
static void hash_definition(struct stream_job *job, const struct buf *hashed)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (hashed && hashed->data)
        EVP_Digest(hashed->data, hashed->len, md, &n, EVP_sha256(), NULL);
    else
        EVP_Digest(job->definition, job->definition_len, md, &n, EVP_sha256(), NULL);
    for (unsigned i = 0; i < n && i < 32; i++)
        snprintf(job->hash + 2 * i, 3, "%02x", md[i]);
}

static bool name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 80 || name[0] == '-' || name[0] == '.')
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return false;
    return true;
}

static struct loc first_byte(const struct jval *v)
{
    return (struct loc){ v->loc.src, v->loc.start, v->loc.start + 1 };
}

/* The job's name, checked; NULL if it has none usable. */
static const char *job_name(struct stream_decls *s, const struct jval *v)
{
    static const char *const known[] = { "name", "properties", NULL };
    suggest_unknown_keys(s->diag, s->arena, v, known, DC_STREAM_UNKNOWN_KEY, UNKNOWN_KEY_PROPERTY,
                         "streaming job", NULL);
    const struct jval *name = jval_get(v, "name");
    if (name == NULL) {
        diag_emit(s->diag, DC_STREAM_MISSING, first_byte(v), "streaming job has no 'name'");
        return NULL;
    }
    if (name->kind != JV_STRING || !name_ok(name->u.s.ptr)) {
        diag_emit(s->diag, DC_STREAM_VALUE, name->loc,
                  "a job's name must be 1 to 80 letters, digits, '-', '_' or '.', not starting "
                  "with '-' or '.'");
        return NULL;
    }
    return name->u.s.ptr;
}

static void read_properties(struct jctx *c, const struct jval *props)
{
    const struct jval *bi = jval_get(props, "batchInterval");
    int64_t ms = bi ? stream_duration_ms(bi, false) : -1;
    c->batch_ms = ms > 0 ? ms : 0;
    const struct jval *ck = jval_get(props, "checkpoint");
    c->checkpoint = ck && ck->kind == JV_OBJECT ? ck : NULL;
    const char *known[16];
    size_t n = 0;
    for (; n < stream_job_spec.nfields && n < 15; n++)
        known[n] = stream_job_spec.fields[n].name;
    known[n] = NULL;
    suggest_unknown_keys(c->s->diag, c->s->arena, props, known, DC_STREAM_UNKNOWN_KEY,
                         UNKNOWN_KEY_PROPERTY, c->what, NULL);
    stream_emit(c, "{", 1);
    stream_put_fields(c, &stream_job_spec, props);
    stream_emit(c, "}", 1);
    const struct jval *as = jval_get(props, "autoStart");
    c->job->auto_start = as == NULL || (as->kind == JV_BOOL && as->u.b);
}

static void read_job(struct stream_decls *s, const struct jval *v, bool meta)
{
    if (v->kind != JV_OBJECT) {
        diag_emit(s->diag, DC_STREAM_VALUE, v->loc,
                  "a streaming job must be an object { \"name\", \"properties\" }, not %s",
                  jval_kind_name(v->kind));
        return;
    }
    const char *name = job_name(s, v);
    const struct jval *props = jval_get(v, "properties");
    if (props == NULL)
        diag_emit(s->diag, DC_STREAM_MISSING, first_byte(v), "streaming job has no 'properties'");
    else if (props->kind != JV_OBJECT)
        diag_emit(s->diag, DC_STREAM_VALUE, props->loc, "a job's 'properties' must be an object");
    if (name == NULL || props == NULL || props->kind != JV_OBJECT)
        return;
    struct stream_job *job = ARENA_NEW(s->arena, struct stream_job);
    job->name = name;
    job->name_loc = jval_get(v, "name")->loc;
    job->from_metadata = meta;
    struct jctx *c = arena_zalloc(s->arena, sizeof(*c));
    c->s = s;
    c->job = job;
    c->what = arena_printf(s->arena, "job '%s'", name);
    buf_init(&c->out, STREAM_MAX_DEFINITION);
    buf_init(&c->hashed, 2 * STREAM_MAX_DEFINITION);
    read_properties(c, props);
    /* Past its limit the text is cut: the job (reported) gets an empty one. */
    const char *text = c->too_big || c->out.data == NULL ? "{}" : c->out.data;
    job->definition_len = text == c->out.data ? c->out.len : 2;
    job->definition = arena_strndup(s->arena, text, job->definition_len);
    buf_release(&c->out);
    hash_definition(job, c->too_big ? NULL : &c->hashed); /* too big: "{}" */
    buf_release(&c->hashed);
    if (meta)
        warn_expressions(s, props, 0);
    if (s->last)
        s->last->next = job;
    else
        s->jobs = job;
    s->last = job;
    s->njobs++;
}

void stream_read_jobs(struct stream_decls *s, const struct jval *jobs, bool from_metadata)
{
    if (jobs->kind != JV_ARRAY) {
        diag_emit(s->diag, DC_STREAM_VALUE, jobs->loc,
                  "'streamingJobs' must be an array of jobs, not %s", jval_kind_name(jobs->kind));
        return;
    }
    for (size_t i = 0; i < jobs->u.a.n; i++) {
        if (s->njobs == APIM_MAX_JOBS) {
            diag_emit(s->diag, DC_STREAM_VALUE, jobs->u.a.v[i]->loc,
                      "too many streaming jobs: a configuration has at most %u", APIM_MAX_JOBS);
            return;
        }
        read_job(s, jobs->u.a.v[i], from_metadata);
    }
}

void stream_read_template(struct stream_decls *s, const struct jval *doc)
{
    const struct jval *meta = jval_get(doc, "metadata");
    const struct jval *ours = meta && meta->kind == JV_OBJECT ? jval_get(meta, "apimlocal") : NULL;
    if (ours == NULL)
        return;
    if (ours->kind != JV_OBJECT) {
        diag_emit(s->diag, DC_STREAM_VALUE, ours->loc,
                  "'metadata.apimlocal' must be an object { \"streamingJobs\": [...] }");
        return;
    }
    static const char *const known[] = { "streamingJobs", NULL };
    suggest_unknown_keys(s->diag, s->arena, ours, known, DC_STREAM_UNKNOWN_KEY,
                         UNKNOWN_KEY_PROPERTY, "metadata.apimlocal", NULL);
    const struct jval *jobs = jval_get(ours, "streamingJobs");
    if (jobs)
        stream_read_jobs(s, jobs, true);
}

void stream_read_sidecar(struct stream_decls *s, const struct jval *doc)
{
    static const char *const known[] = { "$schema", "streamingJobs", NULL };
    suggest_unknown_keys(s->diag, s->arena, doc, known, DC_STREAM_UNKNOWN_KEY, UNKNOWN_KEY_PROPERTY,
                         "streaming jobs file", NULL);
    stream_read_jobs(s, jval_get(doc, "streamingJobs"), false);
}

/* ---- across jobs and against the model ---- */

static void check_names(struct stream_decls *s)
{
    struct name_index idx;
    name_index_init(&idx, s->arena);
    for (struct stream_job *j = s->jobs; j; j = j->next) {
        const struct stream_job *first = name_index_find(&idx, j->name, strlen(j->name));
        if (first == NULL) {
            name_index_add(&idx, j->name, strlen(j->name), j);
            continue;
        }
        struct diag_entry *e = diag_emit(s->diag, DC_STREAM_DUPLICATE, j->name_loc,
                                         "job '%s' is declared twice (names are compared "
                                         "without case)",
                                         j->name);
        diag_note(s->diag, e, first->name_loc, "first declared here");
    }
}

/* host:port or [v6]:port; the host is kept in host (borrowed slice). */
static int parse_listen(const char *text, struct str *host, long *port)
{
    const char *colon = strrchr(text, ':');
    if (colon == NULL || colon == text || colon[1] == '\0' || strlen(colon + 1) > 5)
        return -1;
    *port = 0;
    for (const char *p = colon + 1; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        *port = *port * 10 + (*p - '0');
    }
    *host = (struct str){ text, (size_t)(colon - text) };
    if (text[0] == '[' && colon[-1] != ']')
        return -1;
    if (text[0] != '[' && memchr(text, ':', host->len))
        return -1; /* a bare IPv6 address: ambiguous without brackets */
    return *port >= 1 && *port <= 65535 ? 0 : -1;
}

static bool wildcard(struct str h)
{
    return str_eq(h, STR_LIT("0.0.0.0")) || str_eq(h, STR_LIT("[::]")) || str_eq(h, STR_LIT("*"));
}

static void check_listens(struct stream_decls *s)
{
    struct name_index idx;
    name_index_init(&idx, s->arena);
    for (struct stream_job *j = s->jobs; j; j = j->next)
        for (struct stream_ref *r = j->listens; r; r = r->next) {
            struct str host;
            long port;
            if (parse_listen(r->value->u.s.ptr, &host, &port) != 0) {
                diag_emit(s->diag, DC_STREAM_LISTEN, r->value->loc,
                          "job '%s': 'listen' must be HOST:PORT (\"127.0.0.1:5000\", "
                          "\"[::1]:5000\") with a port from 1 to 65535, not '%s'",
                          j->name, r->value->u.s.ptr);
                continue;
            }
            const char *key = arena_printf(s->arena, "%ld", port);
            const struct jval *first = name_index_find(&idx, key, strlen(key));
            if (first == NULL) {
                name_index_add(&idx, key, strlen(key), (void *)r->value);
                continue;
            }
            struct str h1;
            long p1;
            (void)parse_listen(first->u.s.ptr, &h1, &p1);
            if (!str_ieq(h1, host) && !wildcard(h1) && !wildcard(host))
                continue;
            struct diag_entry *e =
                diag_emit(s->diag, DC_STREAM_LISTEN_CLASH, r->value->loc,
                          "job '%s': 'listen' %s is taken by another serve output", j->name,
                          r->value->u.s.ptr);
            diag_note(s->diag, e, first->loc, "that one listens here");
        }
}

static bool local_host(struct str h)
{
    return str_ieq(h, STR_LIT("localhost")) || str_eq(h, STR_LIT("127.0.0.1"));
}

/* The serve listen of job j that url (an API's serviceUrl) reaches, or NULL.
 * Only http: the serve port does not speak TLS. */
static const struct jval *reached_listen(const struct stream_job *j, const char *url)
{
    if (url == NULL || strncasecmp(url, "http://", 7) != 0)
        return NULL;
    const char *h = url + 7, *colon = NULL;
    size_t n = strcspn(h, "/?#");
    for (size_t i = 0; i < n; i++)
        colon = h[i] == ':' ? h + i : h[i] == ']' ? NULL : colon;
    struct str host = { h, colon ? (size_t)(colon - h) : n }, lh;
    long port = 80, lport;
    if (colon) {
        char digits[8];
        if ((size_t)(h + n - colon - 1) >= sizeof(digits) || h + n == colon + 1)
            return NULL;
        snprintf(digits, sizeof(digits), "%.*s", (int)(h + n - colon - 1), colon + 1);
        char *e;
        port = strtol(digits, &e, 10);
        if (*e != '\0')
            return NULL;
    }
    for (struct stream_ref *r = j->listens; r; r = r->next) {
        if (parse_listen(r->value->u.s.ptr, &lh, &lport) != 0 || lport != port)
            continue;
        if (wildcard(lh) || str_ieq(lh, host) || (local_host(lh) && local_host(host)))
            return r->value;
    }
    return NULL;
}

/* The POSTs of an httpIngest source arrive on the job's serve port: the
 * operation's API must forward there (docs/streaming.md, httpIngest). A
 * policy (set-backend-service) may still redirect, hence a warning. */
static void check_ingest_backend(struct stream_decls *s, const struct stream_job *j,
                                 const struct jval *v, const struct model_api *api)
{
    if (j->listens == NULL || api->service_url == NULL || reached_listen(j, api->service_url))
        return;
    struct diag_entry *e =
        diag_emit(s->diag, DC_STREAM_INGEST_BACKEND, v->loc,
                  "operation '%s' forwards to '%s', not to the serve port of job '%s' ('%s'): "
                  "its POSTs will not reach the httpIngest source",
                  v->u.s.ptr, api->service_url, j->name, j->listens->value->u.s.ptr);
    diag_note(s->diag, e, api->service_url_loc, "the API's serviceUrl is set here");
}

static void check_operation(struct stream_decls *s, struct model *m, const struct stream_job *j,
                            const struct jval *v)
{
    const char *text = v->u.s.ptr, *slash = strchr(text, '/');
    if (slash == NULL || slash == text || slash[1] == '\0' || strchr(slash + 1, '/')) {
        diag_emit(s->diag, DC_STREAM_OPERATION, v->loc,
                  "'operation' must be \"apiId/operationId\", not '%s'", text);
        return;
    }
    for (struct model_service *svc = m->services; svc; svc = svc->next) {
        struct model_api *api = model_find_api(m, svc, text, (size_t)(slash - text), NULL, false);
        if (api && model_find_operation(m, api, slash + 1)) {
            check_ingest_backend(s, j, v, api);
            return;
        }
    }
    diag_emit(s->diag, DC_STREAM_OPERATION, v->loc,
              "'operation' names no operation of the configuration: no API '%.*s' with an "
              "operation '%s'",
              (int)(slash - text), text, slash + 1);
}

static void check_logger(struct stream_decls *s, struct model *m, const struct jval *v)
{
    for (struct model_service *svc = m->services; svc; svc = svc->next) {
        struct model_logger *l = model_find_logger(m, svc, v->u.s.ptr);
        if (l == NULL)
            continue;
        if (l->type && str_ieq_cstr(str_from_cstr(l->type), "azureEventHub"))
            return;
        struct diag_entry *e =
            diag_emit(s->diag, DC_STREAM_LOGGER, v->loc,
                      "logger '%s' is of type '%s', not 'azureEventHub': an eventHub source "
                      "reads what log-to-eventhub sends to an Event Hubs logger",
                      v->u.s.ptr, l->type ? l->type : "(none)");
        diag_note(s->diag, e, l->loc, "the logger is declared here");
        return;
    }
    diag_emit(s->diag, DC_STREAM_LOGGER, v->loc,
              "no logger '%s' in the configuration: an eventHub source names a logger of type "
              "'azureEventHub'",
              v->u.s.ptr);
}

/* An httpIngest source receives on the job's serve port; without one the
 * engine refuses to start the job. */
static void check_ingest_listen(struct stream_decls *s)
{
    for (struct stream_job *j = s->jobs; j; j = j->next)
        if (j->operations && j->listens == NULL)
            diag_emit(s->diag, DC_STREAM_INGEST_NO_LISTEN, j->operations->value->loc,
                      "job '%s' has an httpIngest source but no serve output with 'listen': its "
                      "POSTs have no port to arrive on",
                      j->name);
}

void stream_check(struct stream_decls *s, struct model *m)
{
    check_names(s);
    check_listens(s);
    check_ingest_listen(s);
    for (struct stream_job *j = s->jobs; m && j; j = j->next) {
        for (struct stream_ref *r = j->operations; r; r = r->next)
            check_operation(s, m, j, r->value);
        for (struct stream_ref *r = j->loggers; r; r = r->next)
            check_logger(s, m, r->value);
    }
}

const struct stream_job *stream_find(const struct stream_decls *s, const char *name)
{
    for (const struct stream_job *j = s->jobs; j; j = j->next)
        if (strcmp(j->name, name) == 0)
            return j;
    return NULL;
}

size_t stream_count_in(const struct stream_decls *s, const struct source *src)
{
    size_t n = 0;
    for (const struct stream_job *j = s->jobs; j; j = j->next)
        n += j->name_loc.src == src;
    return n;
}
