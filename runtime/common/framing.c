#include "framing.h"

#include <string.h>

#include "buf.h"

/* Longest method taken: longer runs of token characters before a space
 * are not HTTP (and a verdict must come within FRAMING_HEAD_MAX bytes). */
#define FRAMING_MAX_METHOD 32
/* Empty lines taken before the request line (RFC 9112 2.2 asks for one). */
#define FRAMING_MAX_LEADING 8
/* The raw bytes of a field section: the limit on the fields, each counted
 * as "name: value\r\n", and the empty line that ends them. */
#define FRAMING_FIELDS_RAW_MAX (APIM_MAX_REQUEST_FIELD_BYTES + 2u)

int framing_status(enum framing_verdict v)
{
    switch (v) {
    case FRAMING_BAD:
        return 400;
    case FRAMING_URI_TOO_LONG:
        return 414;
    case FRAMING_FIELDS_TOO_LARGE:
        return 431;
    case FRAMING_VERSION:
        return 505;
    default:
        return 0;
    }
}

/* tchar (RFC 9110 5.6.2): the characters of methods and field names. */
static bool tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* field-content octets (RFC 9110 5.5): VCHAR, obs-text, SP and HTAB. */
static bool value_char(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* A target octet: anything visible (RFC 9112 3.2; non-ASCII is left to the
 * path's own checks). */
static bool target_char(unsigned char c)
{
    return c > 0x20 && c != 0x7f;
}

static enum framing_verdict bad(const char **reason, const char *why)
{
    *reason = why;
    return FRAMING_BAD;
}

enum framing_verdict framing_check_target(const char *t, size_t len, const char **reason)
{
    /* Characters first, up to the limit only: a target judged as its
     * bytes arrive gets the same verdict as one judged whole. */
    size_t judged = len > APIM_MAX_REQUEST_TARGET ? APIM_MAX_REQUEST_TARGET + 1 : len;
    for (size_t i = 0; i < judged; i++)
        if (!target_char((unsigned char)t[i]))
            return bad(reason, "InvalidRequestTarget");
    if (len > APIM_MAX_REQUEST_TARGET) {
        *reason = "UriTooLong";
        return FRAMING_URI_TOO_LONG;
    }
    if (len == 0)
        return bad(reason, "InvalidRequestTarget");
    return FRAMING_OK;
}

/* ---- header fields ---- */

void framing_fields_init(struct framing_fields *f)
{
    memset(f, 0, sizeof(*f));
}

static bool ieq(const char *a, size_t alen, const char *lit)
{
    size_t n = strlen(lit);
    if (alen != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] - 'A' + 'a') : a[i];
        if (c != lit[i])
            return false;
    }
    return true;
}

/* 1*DIGIT (RFC 9110 8.6) that fits 64 bits; a list such as "5, 5" is not
 * taken (RFC 9112 6.3 allows refusing it). */
static bool parse_length(const char *v, size_t len, uint64_t *out)
{
    if (len == 0 || len > 19)
        return false;
    uint64_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9')
            return false;
        n = n * 10 + (uint64_t)(v[i] - '0');
    }
    *out = n;
    return true;
}

static enum framing_verdict known_field(struct framing_fields *f, const char *name, size_t nlen,
                                        const char *value, size_t vlen, const char **reason)
{
    if (ieq(name, nlen, "content-length")) {
        uint64_t n;
        if (!parse_length(value, vlen, &n))
            return bad(reason, "InvalidContentLength");
        if (f->has_length && n != f->length)
            return bad(reason, "ConflictingContentLength");
        f->has_length = true;
        f->length = n;
    } else if (ieq(name, nlen, "cookie") && f->cookie_cost == 0) {
        f->cookie_cost = framing_cookie_cost(value, vlen);
    } else if (ieq(name, nlen, "transfer-encoding")) {
        f->transfer_encodings++;
        f->chunked = f->transfer_encodings == 1 && ieq(value, vlen, "chunked");
    }
    return FRAMING_OK;
}

size_t framing_cookie_cost(const char *value, size_t len)
{
    size_t cookies = 1;
    for (const char *c = value; (c = memchr(c, ';', (size_t)(value + len - c))) != NULL; c++)
        cookies++;
    return len + 1 + cookies * APIM_COOKIE_RECORD_COST;
}

enum framing_verdict framing_fields_add(struct framing_fields *f, const char *name, size_t nlen,
                                        const char *value, size_t vlen, const char **reason)
{
    f->count++;
    f->bytes += nlen + vlen + 4; /* as sent: "name: value\r\n" */
    if (f->count > APIM_MAX_REQUEST_FIELDS || f->bytes > APIM_MAX_REQUEST_FIELD_BYTES) {
        *reason = "HeaderFieldsTooLarge";
        return FRAMING_FIELDS_TOO_LARGE;
    }
    if (nlen == 0)
        return bad(reason, "InvalidHeaderName");
    for (size_t i = 0; i < nlen; i++)
        if (!tchar((unsigned char)name[i]))
            return bad(reason, "InvalidHeaderName");
    while (vlen > 0 && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
        vlen--; /* trailing whitespace is not part of the value */
    for (size_t i = 0; i < vlen; i++)
        if (!value_char((unsigned char)value[i]))
            return bad(reason, "InvalidHeaderValue");
    return known_field(f, name, nlen, value, vlen, reason);
}

enum framing_verdict framing_fields_end(const struct framing_fields *f, const char **reason)
{
    if (f->transfer_encodings == 0)
        return FRAMING_OK;
    if (f->has_length)
        return bad(reason, "ContentLengthWithTransferEncoding");
    if (f->transfer_encodings != 1 || !f->chunked)
        return bad(reason, "UnsupportedTransferEncoding");
    return FRAMING_OK;
}

/* ---- the raw head ---- */

struct scan {
    const char *p, *end;
    const char **reason;
    size_t target_len; /* request_line's */
};

/* A line end at s->p: CRLF or a lone LF (RFC 9112 2.2 allows it). OK and
 * past it, MORE, or BAD for a CR not followed by LF. */
static enum framing_verdict line_end(struct scan *s)
{
    if (s->p < s->end && *s->p == '\n') {
        s->p++;
        return FRAMING_OK;
    }
    if (s->p + 1 >= s->end)
        return FRAMING_MORE;
    if (s->p[1] != '\n')
        return bad(s->reason, "BareCarriageReturn");
    s->p += 2;
    return FRAMING_OK;
}

/* "HTTP/" DIGIT "." DIGIT and the line end (RFC 9112 2.3); a major
 * version other than 1 is answered 505 (RFC 9110 15.6.6), which
 * libmicrohttpd would answer with its own page. */
static enum framing_verdict version(struct scan *s)
{
    const char *major = s->p + 5;
    static const char pattern[] = "HTTP/d.d";
    for (size_t i = 0; i < sizeof(pattern) - 1; i++, s->p++) {
        if (s->p == s->end)
            return FRAMING_MORE;
        char c = *s->p;
        bool ok = pattern[i] == 'd' ? c >= '0' && c <= '9' : c == pattern[i];
        if (!ok)
            return bad(s->reason, "MalformedRequestLine");
    }
    if (s->p == s->end)
        return FRAMING_MORE;
    if (*s->p != '\r' && *s->p != '\n')
        return bad(s->reason, "MalformedRequestLine");
    enum framing_verdict v = line_end(s);
    if (v == FRAMING_OK && *major != '1') {
        *s->reason = "HttpVersionNotSupported";
        return FRAMING_VERSION;
    }
    return v;
}

/* method SP request-target SP HTTP-version CRLF (RFC 9112 3). What is not a
 * token before the first space is not HTTP: refused at its first byte. */
static enum framing_verdict request_line(struct scan *s)
{
    const char *m = s->p;
    while (s->p < s->end && tchar((unsigned char)*s->p) && s->p - m <= FRAMING_MAX_METHOD)
        s->p++;
    if (s->p - m > FRAMING_MAX_METHOD)
        return bad(s->reason, "MalformedRequestLine");
    if (s->p == s->end)
        return FRAMING_MORE;
    if (*s->p != ' ' || s->p == m)
        return bad(s->reason, "MalformedRequestLine");
    const char *t = ++s->p;
    const char *sp = memchr(t, ' ', (size_t)(s->end - t));
    size_t tlen = (size_t)((sp ? sp : s->end) - t);
    if (sp != NULL || tlen > 0) { /* judged so far, or whole */
        enum framing_verdict v = framing_check_target(t, tlen, s->reason);
        if (v != FRAMING_OK)
            return v;
    }
    if (sp == NULL)
        return FRAMING_MORE;
    s->target_len = tlen;
    s->p = sp + 1;
    return version(s);
}

static enum framing_verdict fields_full(struct scan *s)
{
    *s->reason = "HeaderFieldsTooLarge";
    return FRAMING_FIELDS_TOO_LARGE;
}

/* What fields take of libmicrohttpd's memory (APIM_HEAD_MEMORY), cookies
 * apart. */
static size_t fields_memory(const struct framing_fields *f)
{
    return f->bytes + f->count * APIM_FIELD_RECORD_COST;
}

/* name ":" OWS value OWS CRLF (RFC 9112 5): no whitespace before the
 * colon (5.1), no control character in the value but HTAB. */
static enum framing_verdict field_line(struct scan *s, struct framing_fields *f)
{
    const char *name = s->p;
    while (s->p < s->end && tchar((unsigned char)*s->p))
        s->p++;
    if (s->p == s->end)
        return FRAMING_MORE;
    if (*s->p != ':')
        return bad(s->reason,
                   *s->p == ' ' || *s->p == '\t' ? "WhitespaceBeforeColon" : "InvalidHeaderName");
    size_t nlen = (size_t)(s->p - name);
    s->p++;
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t'))
        s->p++;
    const char *value = s->p;
    while (s->p < s->end && *s->p != '\r' && *s->p != '\n') {
        if (!value_char((unsigned char)*s->p))
            return bad(s->reason, "InvalidHeaderValue");
        s->p++;
    }
    size_t vlen = (size_t)(s->p - value);
    enum framing_verdict v = line_end(s);
    if (v != FRAMING_OK)
        return v;
    return framing_fields_add(f, name, nlen, value, vlen, s->reason);
}

/* Field lines up to the empty line that ends them, into f; s->p past the
 * empty line on OK. */
static enum framing_verdict field_lines(struct scan *s, struct framing_fields *f)
{
    while (s->p < s->end) {
        char c = *s->p;
        if (c == '\r' || c == '\n') {
            enum framing_verdict v = line_end(s);
            return v == FRAMING_OK ? framing_fields_end(f, s->reason) : v;
        }
        if (c == ' ' || c == '\t')
            return bad(s->reason, "ObsoleteLineFolding");
        enum framing_verdict v = field_line(s, f);
        if (v != FRAMING_OK)
            return v;
    }
    return FRAMING_MORE;
}

/* A head's fields or a chunked body's trailer section: the field lines and
 * the empty line, judged on their first FRAMING_FIELDS_RAW_MAX bytes only.
 * Bytes past that are never looked at, so the verdict does not depend on
 * how the bytes were split into reads (a section still incomplete there is
 * 431 whatever follows), and it comes within FRAMING_HEAD_MAX bytes even
 * for lines whose raw bytes exceed what framing_fields_add counts (the
 * whitespace before a value). */
static enum framing_verdict fields(struct scan *s, struct framing_fields *f)
{
    const char *end = s->end;
    bool cut = (size_t)(end - s->p) > FRAMING_FIELDS_RAW_MAX;
    if (cut)
        s->end = s->p + FRAMING_FIELDS_RAW_MAX;
    enum framing_verdict v = field_lines(s, f);
    s->end = end;
    if (v == FRAMING_MORE && cut)
        return fields_full(s);
    return v;
}

enum framing_verdict framing_scan_request(const char *buf, size_t len, struct framing_head *head,
                                          const char **reason)
{
    struct scan s = { buf, buf + len, reason, 0 };
    while (s.p < s.end && (*s.p == '\r' || *s.p == '\n')) {
        if (s.p - buf >= FRAMING_MAX_LEADING)
            return bad(reason, "MalformedRequestLine");
        enum framing_verdict v = line_end(&s);
        if (v != FRAMING_OK)
            return v;
    }
    if (s.p == s.end)
        return FRAMING_MORE;
    enum framing_verdict v = request_line(&s);
    if (v != FRAMING_OK)
        return v;
    struct framing_fields f;
    framing_fields_init(&f);
    v = fields(&s, &f);
    if (v != FRAMING_OK)
        return v;
    size_t memory = 2 * s.target_len + fields_memory(&f) + f.cookie_cost;
    if (memory > APIM_HEAD_MEMORY)
        return fields_full(&s); /* libmicrohttpd's own page otherwise */
    if (head != NULL)
        *head = (struct framing_head){ (size_t)(s.p - buf), f.chunked, f.has_length ? f.length : 0,
                                       memory };
    return FRAMING_OK;
}

enum framing_verdict framing_scan_head(const char *buf, size_t len, const char **reason)
{
    return framing_scan_request(buf, len, NULL, reason);
}

/* ---- a connection's bytes, request after request ---- */

enum stream_phase {
    PHASE_HEAD,
    PHASE_BODY,       /* Content-Length bytes */
    PHASE_CHUNK_LINE, /* chunk-size [ chunk-ext ] CRLF */
    PHASE_CHUNK_DATA,
    PHASE_CHUNK_END, /* the CRLF after a chunk's data */
    PHASE_TRAILERS   /* after the last chunk: fields, then an empty line */
};

void framing_stream_init(struct framing_stream *s)
{
    memset(s, 0, sizeof(*s));
    s->phase = PHASE_HEAD;
}

/* chunk-size [ chunk-ext ] CRLF (RFC 9112 7.1, 7.1.1): 1*HEXDIG that fits
 * 63 bits, then extensions taken as any visible text after a ";" that
 * follows the size at once. */
static enum framing_verdict chunk_line(struct scan *s, uint64_t *size)
{
    const char *start = s->p;
    uint64_t n = 0;
    while (s->p < s->end && str_hex_digit(*s->p) >= 0) {
        if (n >> 59)
            return bad(s->reason, "InvalidChunkSize");
        n = n * 16 + (uint64_t)str_hex_digit(*s->p++);
    }
    if (s->p == start && s->p < s->end)
        return bad(s->reason, "InvalidChunkSize");
    /* RFC 9112 7.1.1 allows whitespace before ";", but libmicrohttpd
     * answers it with its own page: refused here, in API Management's shape. */
    if (s->p < s->end && *s->p == ';')
        while (s->p < s->end && *s->p != '\r' && *s->p != '\n') {
            if (!value_char((unsigned char)*s->p))
                return bad(s->reason, "InvalidChunkExtension");
            s->p++;
        }
    if ((size_t)(s->p - start) > FRAMING_CHUNK_LINE_MAX)
        return bad(s->reason, "ChunkLineTooLong");
    if (s->p == s->end)
        return FRAMING_MORE;
    if (*s->p != '\r' && *s->p != '\n')
        return bad(s->reason, "InvalidChunkSize");
    *size = n;
    return line_end(s);
}

/* One whole unit (a head, chunk line, chunk end or trailer section) at
 * s->p: OK and past it, with the phase that follows it. */
static enum framing_verdict stream_unit(struct framing_stream *fs, struct scan *s)
{
    enum framing_verdict v;
    if (fs->phase == PHASE_HEAD) {
        struct framing_head h;
        v = framing_scan_request(s->p, (size_t)(s->end - s->p), &h, s->reason);
        if (v != FRAMING_OK)
            return v;
        s->p += h.length;
        fs->left = h.body_length;
        fs->head_memory = h.memory;
        fs->phase = h.chunked ? PHASE_CHUNK_LINE : h.body_length ? PHASE_BODY : PHASE_HEAD;
    } else if (fs->phase == PHASE_CHUNK_LINE) {
        uint64_t size = 0;
        if ((v = chunk_line(s, &size)) != FRAMING_OK)
            return v;
        fs->left = size;
        fs->phase = size ? PHASE_CHUNK_DATA : PHASE_TRAILERS;
    } else if (fs->phase == PHASE_CHUNK_END) {
        if (*s->p != '\r' && *s->p != '\n') /* the walk offers at least a byte */
            return bad(s->reason, "InvalidChunkEnd");
        if ((v = line_end(s)) != FRAMING_OK)
            return v;
        fs->phase = PHASE_CHUNK_LINE;
    } else {
        struct framing_fields f;
        framing_fields_init(&f);
        if ((v = fields(s, &f)) != FRAMING_OK)
            return v;
        if (fs->head_memory + fields_memory(&f) > APIM_HEAD_MEMORY)
            return fields_full(s); /* trailers are parsed beside the head */
        fs->phase = PHASE_HEAD;
    }
    return FRAMING_OK;
}

size_t framing_stream_walk(struct framing_stream *fs, const char *buf, size_t len,
                           enum framing_verdict *v, const char **reason)
{
    struct scan s = { buf, buf + len, reason, 0 };
    *v = FRAMING_OK;
    while (s.p < s.end) {
        if (fs->phase == PHASE_BODY || fs->phase == PHASE_CHUNK_DATA) {
            size_t have = (size_t)(s.end - s.p);
            size_t take = fs->left < have ? (size_t)fs->left : have;
            s.p += take;
            fs->left -= take;
            if (fs->left == 0)
                fs->phase = fs->phase == PHASE_BODY ? PHASE_HEAD : PHASE_CHUNK_END;
            continue;
        }
        const char *unit = s.p;
        *v = stream_unit(fs, &s);
        if (*v != FRAMING_OK)
            return (size_t)(unit - buf);
    }
    return len;
}
