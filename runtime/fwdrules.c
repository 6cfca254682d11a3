#include "fwdrules.h"

bool fwdrules_idempotent(struct str method)
{
    static const char *const names[] = { "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (str_eq(method, str_from_cstr(names[i])))
            return true;
    return false;
}

/* A pooled connection the backend closed just as it was reused fails before
 * any answer: the request may or may not have been read, which is why only
 * idempotent requests are sent again (RFC 9110 9.2.2: a client may retry
 * them automatically when the connection fails before the answer). */
bool fwdrules_may_retry(const struct fwdrules_failure *f)
{
    return f->broken && f->reused && !f->answer_started && f->body_replayable && !f->retried &&
           fwdrules_idempotent(f->method);
}

bool fwdrules_headers_fit(size_t request_bytes, size_t response_bytes, size_t memory)
{
    if (memory < FWDRULES_HEADER_RESERVE || request_bytes > memory - FWDRULES_HEADER_RESERVE)
        return false;
    return response_bytes <= memory - FWDRULES_HEADER_RESERVE - request_bytes;
}
