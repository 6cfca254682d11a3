#include "deadline.h"

#include <string.h>

#include "httpstatus.h"
#include "pipeline.h"

void deadline_set_init(struct deadline_set *s, const struct deadline_timeouts *t)
{
    memset(s, 0, sizeof(*s));
    s->t = *t;
}

static void unlink_conn(struct deadline_set *s, struct deadline_conn *c)
{
    enum deadline_phase p = c->phase;
    if (p == DEADLINE_NONE)
        return;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->head[p] = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        s->tail[p] = c->prev;
    c->prev = c->next = NULL;
    c->phase = DEADLINE_NONE;
    s->count[p]--;
}

void deadline_enter(struct deadline_set *s, struct deadline_conn *c, enum deadline_phase p,
                    int64_t now_ms)
{
    unlink_conn(s, c);
    if (p == DEADLINE_NONE || p >= DEADLINE_NPHASES)
        return;
    c->phase = p;
    c->since_ms = now_ms;
    c->prev = s->tail[p];
    c->next = NULL;
    if (s->tail[p])
        s->tail[p]->next = c;
    else
        s->head[p] = c;
    s->tail[p] = c;
    s->count[p]++;
}

void deadline_leave(struct deadline_set *s, struct deadline_conn *c)
{
    unlink_conn(s, c);
}

int64_t deadline_of(const struct deadline_set *s, const struct deadline_conn *c)
{
    switch (c->phase) {
    case DEADLINE_HEAD:
        return c->since_ms + s->t.head_ms;
    case DEADLINE_BODY:
        return c->since_ms + s->t.body_ms;
    case DEADLINE_IDLE:
        return c->since_ms + s->t.idle_ms + s->t.head_ms;
    default:
        return -1;
    }
}

/* The phase whose first connection is due first, or DEADLINE_NONE. */
static enum deadline_phase earliest(const struct deadline_set *s)
{
    enum deadline_phase best = DEADLINE_NONE;
    int64_t at = 0;
    for (int p = DEADLINE_HEAD; p < DEADLINE_NPHASES; p++) {
        if (s->head[p] == NULL)
            continue;
        int64_t d = deadline_of(s, s->head[p]);
        if (best == DEADLINE_NONE || d < at) {
            best = (enum deadline_phase)p;
            at = d;
        }
    }
    return best;
}

int64_t deadline_next_ms(const struct deadline_set *s, int64_t now_ms)
{
    enum deadline_phase p = earliest(s);
    if (p == DEADLINE_NONE)
        return -1;
    int64_t d = deadline_of(s, s->head[p]);
    return d > now_ms ? d - now_ms : 0;
}

struct deadline_conn *deadline_pop_expired(struct deadline_set *s, int64_t now_ms,
                                           enum deadline_phase *was)
{
    enum deadline_phase p = earliest(s);
    if (p == DEADLINE_NONE || deadline_of(s, s->head[p]) > now_ms)
        return NULL;
    struct deadline_conn *c = s->head[p];
    unlink_conn(s, c);
    *was = p == DEADLINE_IDLE ? DEADLINE_HEAD : p;
    s->expired[*was]++;
    return c;
}

struct deadline_conn *deadline_pop_any(struct deadline_set *s)
{
    for (int p = DEADLINE_HEAD; p < DEADLINE_NPHASES; p++) {
        struct deadline_conn *c = s->head[p];
        if (c) {
            unlink_conn(s, c);
            return c;
        }
    }
    return NULL;
}

int deadline_answer(struct buf *out, const struct gw_response *resp, time_t unix_s)
{
    char date[40];
    struct tm tm;
    gmtime_r(&unix_s, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    int rc = buf_printf(out, "HTTP/1.1 %d %s\r\nDate: %s\r\n", resp->status,
                        http_reason_phrase(resp->status), date);
    for (size_t i = 0; i < resp->headers.n && rc == 0; i++) {
        const struct gw_header *h = &resp->headers.v[i];
        rc = buf_printf(out, "%.*s: %.*s\r\n", (int)h->name.len, h->name.ptr, (int)h->value.len,
                        h->value.ptr);
    }
    if (rc == 0)
        rc = buf_printf(out, "Content-Length: %zu\r\nConnection: close\r\n\r\n", resp->body.len);
    if (rc == 0)
        rc = buf_append(out, resp->body.ptr, resp->body.len);
    return rc ? -1 : 0;
}

int deadline_refusal(struct buf *out, int status, const char *reason, time_t unix_s)
{
    struct arena a;
    arena_init(&a, 1024);
    struct gw_exchange x = { .req.arena = &a };
    pipeline_error(&x, status, reason);
    int rc = deadline_answer(out, &x.resp, unix_s);
    arena_release(&a);
    return rc;
}
