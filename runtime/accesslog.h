/* accesslog.h - one JSON line per request, for the access log:
 *
 *   {"time":"2026-11-24T10:00:00.123Z","requestId":"…","method":"GET",
 *    "url":"/echo/items?subscription-key=***","clientIp":"127.0.0.1",
 *    "api":"echo-api","operation":"get-item","product":"starter",
 *    "subscriptionId":"starter-sub","status":200,"backendStatus":200,
 *    "totalMs":0.84,"backendMs":0.61,"error":null}
 *
 * The subscription key never appears: headers are not logged, and the value
 * of the key's query parameter is replaced by "***". Ids are the plan's
 * (null when nothing matched); status is null when the client left before
 * an answer; backendStatus and backendMs are null when no backend was called.
 * Errors: accesslog_append returns -1 if out's ceiling was reached.
 */
#ifndef APIM_RUNTIME_ACCESSLOG_H
#define APIM_RUNTIME_ACCESSLOG_H

#include <stdbool.h>

#include "buf.h"
#include "pipeline.h"

/* Appends the line (with its newline) for x, answered or not, which ended
 * at done_us (monotonic); plan is the one that handled it, or NULL. The line
 * is built in scratch, the caller's buffer, kept between calls so that its
 * memory is reused (left empty; its ceiling becomes out's). */
int accesslog_append(struct buf *out, struct buf *scratch, const struct gw_exchange *x,
                     const struct plan *p, bool answered, int64_t done_us)
    __attribute__((warn_unused_result));

/* Appends s as a JSON string (quotes included); bytes that are not UTF-8 are
 * written as \u00XX, so the line stays valid JSON whatever the client sent. */
int accesslog_json_string(struct buf *out, struct str s) __attribute__((warn_unused_result));

#endif
