#include "log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void log_time_now(char out[25])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 25, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 25 - n, ".%03ldZ", ts.tv_nsec / 1000000);
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

void log_msg(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}
