/* libFuzzer target: the gateway's framing checks (runtime/common/framing.c)
 * on arbitrary bytes taken as the first bytes of a connection. Besides
 * crashes and sanitizer reports, these are bugs:
 * - a refusal without a reason;
 * - no verdict within FRAMING_HEAD_MAX bytes (the intake peeks no more);
 * - a prefix of a valid beginning that is not itself one (MORE);
 * - a head the raw scan accepts whose target or fields, split as
 *   libmicrohttpd splits them, fail the checks server.c runs on every
 *   request: the two layers must agree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "framing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The line at *p (ending in LF, an optional CR before it dropped). */
static const char *next_line(const char **p, const char *end, size_t *len)
{
    const char *line = *p;
    const char *lf = memchr(line, '\n', (size_t)(end - line));
    if (lf == NULL)
        abort(); /* the scan said the head is whole */
    *p = lf + 1;
    *len = (size_t)(lf - line) - (lf > line && lf[-1] == '\r');
    return line;
}

static bool ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Splits an accepted head as a parser would and runs the per-request checks. */
static void agree(const char *p, const char *end)
{
    const char *reason = NULL;
    size_t len;
    const char *line;
    do
        line = next_line(&p, end, &len);
    while (len == 0); /* empty lines before the request line */
    const char *sp1 = memchr(line, ' ', len);
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(line + len - sp1 - 1)) : NULL;
    if (sp2 == NULL ||
        framing_check_target(sp1 + 1, (size_t)(sp2 - sp1 - 1), &reason) != FRAMING_OK)
        abort();
    struct framing_fields f;
    framing_fields_init(&f);
    while ((line = next_line(&p, end, &len)), len > 0) {
        const char *colon = memchr(line, ':', len);
        if (colon == NULL)
            abort();
        const char *v = colon + 1, *vend = line + len;
        while (v < vend && ows(*v))
            v++;
        if (framing_fields_add(&f, line, (size_t)(colon - line), v, (size_t)(vend - v), &reason) !=
            FRAMING_OK)
            abort();
    }
    if (framing_fields_end(&f, &reason) != FRAMING_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    const char *reason = NULL;
    enum framing_verdict v = framing_scan_head(buf, size, &reason);
    if ((v == FRAMING_OK || v == FRAMING_MORE) != (framing_status(v) == 0))
        abort();
    if (v != FRAMING_OK && v != FRAMING_MORE && reason == NULL)
        abort();
    if (v == FRAMING_MORE && size >= FRAMING_HEAD_MAX)
        abort();
    if (v == FRAMING_MORE && size > 0) {
        const char *r2 = NULL;
        if (framing_scan_head(buf, size / 2, &r2) != FRAMING_MORE ||
            framing_scan_head(buf, size - 1, &r2) != FRAMING_MORE)
            abort();
    }
    if (v == FRAMING_OK)
        agree(buf, buf + size);
    /* The same bytes as one target and as one field value. */
    (void)framing_check_target(buf, size, &reason);
    struct framing_fields f;
    framing_fields_init(&f);
    (void)framing_fields_add(&f, "X-Fuzz", 6, buf, size, &reason);
    return 0;
}
