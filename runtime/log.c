#include "log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void log_time_now(char out[25])
{
    /* The date and time to the second change once a second, and formatting
     * them is the costly part (the access log asks for every request): each
     * thread keeps the last one. */
    static _Thread_local time_t cached_second = -1;
    static _Thread_local char cached[20];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != cached_second) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        if (strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm) != 19)
            memcpy(cached, "0000-00-00T00:00:00", 20); /* a year past 9999 */
        cached_second = ts.tv_sec;
    }
    long ms = ts.tv_nsec / 1000000;
    memcpy(out, cached, 19);
    out[19] = '.';
    out[20] = (char)('0' + ms / 100);
    out[21] = (char)('0' + ms / 10 % 10);
    out[22] = (char)('0' + ms % 10);
    out[23] = 'Z';
    out[24] = '\0';
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
    static const char *const names[] = { "error", "warn ", "info " };
    char line[2048], when[25];
    log_time_now(when);
    int n = snprintf(line, sizeof(line), "%s %s ", when, names[level]);
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    /* libmicrohttpd's messages end in a newline of their own. */
    while (len > (size_t)n && line[len - 1] == '\n')
        len--;
    line[len++] = '\n';
    /* One write: lines from several threads never mix. */
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

void log_limited(struct log_limit *l, enum log_level level, const char *fmt, ...)
{
    long long minute = (long long)time(NULL) / 60;
    if (minute != l->minute) {
        l->minute = minute;
        l->lines = 0;
    }
    if (l->lines >= LOG_LIMIT_PER_MINUTE) {
        l->dropped++;
        return;
    }
    l->lines++;
    if (l->dropped) {
        log_msg(level, "(%llu more like the next left out of the log)", l->dropped);
        l->dropped = 0;
    }
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}
