/* libFuzzer target: the gateway's framing checks (runtime/common/framing.c)
 * on arbitrary bytes taken as the first bytes of a connection. Besides
 * crashes and sanitizer reports, these are bugs:
 * - a refusal without a reason;
 * - no verdict within FRAMING_HEAD_MAX bytes (the intake peeks no more);
 * - a prefix of a valid beginning that is not itself one (MORE);
 * - a head the raw scan accepts whose target or fields, split as
 *   libmicrohttpd splits them, fail the checks server.c runs on every
 *   request: the two layers must agree.
 * The same bytes are then a kept-alive connection's stream, walked with
 * framing_stream_walk in one call and in reads cut where the data says,
 * each MORE re-offered whole as the contract asks. Bugs there:
 * - a refusal without a reason, or an offset past the bytes offered;
 * - OK that did not take every byte offered;
 * - MORE with more than FRAMING_HEAD_MAX bytes held (reqguard holds them);
 * - the reads disagreeing with the one call on the bytes taken, the
 *   verdict or where the walk stands (the verdict must not depend on how
 *   TCP cut the bytes). */
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

/* A walk over buf[0..len) and the contract's checks on its answer. */
static size_t walk(struct framing_stream *fs, const char *buf, size_t len, enum framing_verdict *v)
{
    const char *reason = NULL;
    size_t taken = framing_stream_walk(fs, buf, len, v, &reason);
    if (taken > len)
        abort();
    if (*v == FRAMING_OK && taken != len)
        abort();
    if (*v == FRAMING_MORE && len - taken > FRAMING_HEAD_MAX)
        abort();
    if (*v != FRAMING_OK && *v != FRAMING_MORE && (reason == NULL || framing_status(*v) == 0))
        abort();
    return taken;
}

/* buf[0..size) arriving in reads of step bytes, the first one cut bytes
 * long; untaken bytes stay held in front of the next read. */
static size_t walk_reads(struct framing_stream *fs, const char *buf, size_t size, size_t cut,
                         size_t step, enum framing_verdict *v)
{
    framing_stream_init(fs);
    size_t have = cut, taken = walk(fs, buf, cut, v);
    while (have < size && (*v == FRAMING_OK || *v == FRAMING_MORE)) {
        have = size - have <= step ? size : have + step;
        taken += walk(fs, buf + taken, have - taken, v);
    }
    return taken;
}

/* The input as a connection's stream: whole, and cut where the data says. */
static void stream(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    struct framing_stream one, cut;
    enum framing_verdict v1, v2;
    framing_stream_init(&one);
    size_t t1 = walk(&one, buf, size, &v1);
    if (size == 0)
        return;
    /* one cut anywhere, then reads of 1/16th of the input or more */
    size_t first = ((size_t)data[0] << 8 | data[size - 1]) % (size + 1);
    size_t step = size / (1u + data[size / 2] % 16u) + 1;
    size_t t2 = walk_reads(&cut, buf, size, first, step, &v2);
    if (t1 != t2 || v1 != v2 || one.phase != cut.phase || one.left != cut.left)
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
    stream(data, size);
    return 0;
}
