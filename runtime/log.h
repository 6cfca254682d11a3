/* log.h - the gateway's own log (not the access log): one line per event,
 *   2026-11-24T10:00:00.123Z info  reload: plan 6d3ce3ea5e1b51c1 serving
 * on stderr, which `apim gateway start` points at the state folder's
 * gateway.log. Lines are written whole, so threads never interleave.
 * Levels are LOG_LEVEL_*: syslog.h owns LOG_INFO and friends.
 */
#ifndef APIM_RUNTIME_LOG_H
#define APIM_RUNTIME_LOG_H

#include <stdarg.h>

enum log_level {
    LOG_LEVEL_ERROR,
    LOG_LEVEL_WARN,
    LOG_LEVEL_INFO
};

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* At most LOG_LIMIT_PER_MINUTE lines a minute through one limiter; the
 * first line after a quiet spell says how many were left out. For events a
 * client can cause at will (refused requests): a flood of them must not
 * flood the log. A limiter is one thread's. */
#define LOG_LIMIT_PER_MINUTE 20

struct log_limit {
    long long minute; /* the minute counted, since the epoch */
    unsigned lines;   /* written in it */
    unsigned long long dropped;
};

void log_limited(struct log_limit *l, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* UTC with milliseconds, "2026-11-24T10:00:00.123Z", into out[25]. */
void log_time_now(char out[25]);

#endif
