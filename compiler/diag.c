#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apim_limits.h"
#include "utf8.h"

static const struct {
    const char *code;
    enum diag_level level;
    const char *slug;
} codes[DIAG_CODE_COUNT] = {

#define X(id, code, level, slug) [id] = { code, level, slug },
    DIAG_CODES(X)
#undef X
};

void source_init(struct source *s, struct arena *a, const char *name, const char *text,
                 uint32_t len)
{
    uint32_t n = 1;
    for (uint32_t i = 0; i < len; i++)
        n += text[i] == '\n';
    s->name = name;
    s->text = text;
    s->len = len;
    s->line_start = arena_alloc(a, sizeof(uint32_t) * n);
    s->line_start[0] = 0;
    s->nlines = 1;
    for (uint32_t i = 0; i < len; i++)
        if (text[i] == '\n')
            s->line_start[s->nlines++] = i + 1;
    s->index = 0;
    s->secret = false;
}

struct source *source_new(struct diag *d, const char *name, const char *text, uint32_t len)
{
    struct source *s = ARENA_NEW(d->arena, struct source);
    source_init(s, d->arena, arena_strdup(d->arena, name), text, len);
    s->index = d->next_source_index++;
    return s;
}

struct source *source_embed(struct diag *d, const struct source *parent, const char *text,
                            uint32_t len, const uint32_t *offsets, uint32_t start, uint32_t end)
{
    struct source *s = source_new(d, parent->name, text, len);
    s->index = parent->index;
    s->secret = parent->secret;
    s->parent = parent;
    s->parent_offsets = offsets;
    s->parent_loc = (struct loc_span){ start, end };
    return s;
}

struct source *source_read(struct diag *d, const char *path, struct loc at)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (f == NULL || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        diag_emit(d, DC_IO, at, "cannot read '%s': %s", path,
                  f == NULL ? strerror(errno) : "not a regular file");
        if (f)
            fclose(f);
        return NULL;
    }
    if (st.st_size > (off_t)APIM_MAX_INPUT_SIZE) {
        diag_emit(d, DC_TOO_LARGE, at, "'%s' is larger than %u bytes", path, APIM_MAX_INPUT_SIZE);
        fclose(f);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    char *text = arena_alloc(d->arena, n + 1);
    size_t got = fread(text, 1, n, f);
    fclose(f);
    if (got != n) {
        diag_emit(d, DC_IO, at, "cannot read '%s': short read", path);
        return NULL;
    }
    text[n] = '\0';
    return source_new(d, path, text, (uint32_t)n);
}

struct loc loc_resolve(struct loc at)
{
    /* Bounded: each step moves to a parent, and parents are made first. */
    while (at.src && at.src->parent) {
        const struct source *s = at.src;
        if (s->parent_offsets == NULL) {
            at = (struct loc){ s->parent, s->parent_loc.start, s->parent_loc.end };
            continue;
        }
        uint32_t start = at.start > s->len ? s->len : at.start;
        uint32_t end = at.end > s->len ? s->len : at.end;
        uint32_t ps = s->parent_offsets[start];
        uint32_t pe = end > start ? s->parent_offsets[end - 1] + 1 : ps;
        at = (struct loc){ s->parent, ps, pe < ps ? ps : pe };
    }
    return at;
}

static uint32_t line_of(const struct source *s, uint32_t off)
{
    uint32_t lo = 0, hi = s->nlines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->line_start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void source_line_col(const struct source *s, uint32_t off, unsigned *line, unsigned *col)
{
    if (off > s->len)
        off = s->len;
    uint32_t l = line_of(s, off);
    uint32_t from = s->line_start[l];
    unsigned c = 1;
    struct source_col_cache *cache = (struct source_col_cache *)&s->col_cache;
    if (cache->col && cache->line == l && cache->off <= off) {
        from = cache->off;
        c = cache->col;
    }
    /* Count code points: skip UTF-8 continuation bytes. */
    for (uint32_t i = from; i < off; i++)
        c += !utf8_is_continuation((unsigned char)s->text[i]);
    *cache = (struct source_col_cache){ l, off, c };
    *line = l + 1;
    *col = c;
}

void diag_init(struct diag *d, struct arena *a)
{
    memset(d, 0, sizeof(*d));
    d->arena = a;
}

void diag_release(struct diag *d)
{
    free(d->v);
    free(d->seen);
    free(d->copy_table);
    d->copy_table = NULL;
    d->copy_table_n = d->copy_table_cap = 0;
    d->v = NULL;
    d->seen = NULL;
    d->n = d->cap = d->seen_cap = 0;
}

static uint64_t entry_hash(const struct diag_entry *e)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    const unsigned char *p = (const unsigned char *)e->msg;
    for (; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    uint64_t parts[] = { (uint64_t)e->code, (uint64_t)(uintptr_t)e->loc.src, e->loc.start,
                         e->loc.end, (uint64_t)e->level };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        h = (h ^ parts[i]) * 1099511628211ULL;
    return h ? h : 1;
}

/* Open addressing over hashes; true if h was already there. */
static bool seen_before(struct diag *d, uint64_t h)
{
    if (2 * (d->n + 1) > d->seen_cap) {
        size_t cap = d->seen_cap ? d->seen_cap * 2 : 256;
        uint64_t *t = xcalloc(cap, sizeof(*t));
        for (size_t i = 0; i < d->seen_cap; i++) {
            if (d->seen[i] == 0)
                continue;
            size_t j = (size_t)(d->seen[i] % cap);
            while (t[j])
                j = (j + 1) % cap;
            t[j] = d->seen[i];
        }
        free(d->seen);
        d->seen = t;
        d->seen_cap = cap;
    }
    size_t j = (size_t)(h % d->seen_cap);
    while (d->seen[j]) {
        if (d->seen[j] == h)
            return true;
        j = (j + 1) % d->seen_cap;
    }
    d->seen[j] = h;
    return false;
}

static struct diag_entry *entry_new(struct diag *d, enum diag_level level, enum diag_code code,
                                    struct loc at, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static struct diag_entry *entry_new(struct diag *d, enum diag_level level, enum diag_code code,
                                    struct loc at, const char *fmt, va_list ap)
{
    struct diag_entry *e = ARENA_NEW(d->arena, struct diag_entry);
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *msg = arena_alloc(d->arena, n > 0 ? (size_t)n + 1 : 1);
    vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    e->level = level;
    e->code = code;
    e->loc = loc_resolve(at);
    e->msg = msg;
    return e;
}

/* ---- copy loops ---- */

/* Entries of a copy loop merge by (loop, code, level, place); each slot of
 * the table holds the first entry of its key, and copy_next chains the
 * other findings of the same key (two missing properties of one copy are
 * both reported at the resource's name). */
static bool same_place(const struct diag_entry *a, const struct diag_entry *b)
{
    return a->code == b->code && a->level == b->level && a->loc.src == b->loc.src &&
           a->loc.start == b->loc.start && a->loc.end == b->loc.end &&
           strcmp(a->copy_loop, b->copy_loop) == 0;
}

static size_t place_hash(const struct diag_entry *e, size_t cap)
{
    uint64_t h = ((uint64_t)e->code * 31 + (uint64_t)e->level) * 1099511628211ULL;
    h ^= (uint64_t)(uintptr_t)e->loc.src + ((uint64_t)e->loc.start << 20) + e->loc.end;
    return (size_t)((h * 0x9E3779B97F4A7C15ULL) % cap);
}

/* The slot of e's key in the loop's table (open addressing). */
static struct diag_entry **copy_slot(struct diag *d, const struct diag_entry *e)
{
    size_t j = place_hash(e, d->copy_table_cap);
    while (d->copy_table[j] && !same_place(d->copy_table[j], e))
        j = (j + 1) % d->copy_table_cap;
    return &d->copy_table[j];
}

static void copy_table_grow(struct diag *d)
{
    struct diag_entry **old = d->copy_table;
    size_t old_cap = d->copy_table_cap;
    d->copy_table_cap = old_cap ? old_cap * 2 : 64;
    d->copy_table = xcalloc(d->copy_table_cap, sizeof(*d->copy_table));
    for (size_t i = 0; i < old_cap; i++)
        if (old[i])
            *copy_slot(d, old[i]) = old[i];
    free(old);
}

/* Indexes come in order (copies are evaluated, built and checked in order;
 * some model lists, such as policies, in reverse): only the last range can
 * hold an index found again. copy_suffix sorts the ranges. */
static bool has_index(const struct diag_entry *e, long index)
{
    const struct diag_copy_range *last = &e->copy_ranges[e->copy_nranges - 1];
    return index >= last->first && index <= last->last;
}

static void add_index(struct diag *d, struct diag_entry *e, long index)
{
    struct diag_copy_range *last = e->copy_nranges ? &e->copy_ranges[e->copy_nranges - 1] : NULL;
    if (last && index >= last->first - 1 && index <= last->last + 1) {
        last->first = index < last->first ? index : last->first;
        last->last = index > last->last ? index : last->last;
        return;
    }
    ARENA_GROW(d->arena, e->copy_ranges, e->copy_nranges, e->copy_cap, 4);
    e->copy_ranges[e->copy_nranges++] = (struct diag_copy_range){ index, index };
}

/* True if e repeats a finding of the loop (merged there). While a loop is
 * evaluated, that is the entry of e's key (nested loops count as the
 * outer one: their findings at one index are one). On built objects
 * (diag_copy_at), one object may have several findings at one place (two
 * missing properties at its name): e repeats the first entry of its key not
 * found at this index yet. */
static bool copy_merged(struct diag *d, struct diag_entry *e)
{
    if (d->copy_loop == NULL)
        return false;
    e->copy_loop = d->copy_loop;
    if (2 * (d->copy_table_n + 1) > d->copy_table_cap)
        copy_table_grow(d);
    for (struct diag_entry *x = *copy_slot(d, e); x; x = x->copy_next)
        if (d->copy_depth > 0 || !has_index(x, d->copy_index)) {
            add_index(d, x, d->copy_index);
            return true;
        }
    return false;
}

static void copy_record(struct diag *d, struct diag_entry *e)
{
    if (d->copy_loop == NULL)
        return;
    add_index(d, e, d->copy_index);
    struct diag_entry **at = copy_slot(d, e);
    if (*at == NULL)
        d->copy_table_n++;
    while (*at)
        at = &(*at)->copy_next;
    *at = e;
}

void diag_copy_begin(struct diag *d, const char *loop)
{
    if (d->copy_depth++ == 0) {
        d->copy_loop = loop;
        d->copy_index = 0;
    }
}

void diag_copy_index(struct diag *d, const char *loop, long index)
{
    if (d->copy_depth == 1 && d->copy_loop == loop)
        d->copy_index = index;
}

struct diag_copy diag_copy_current(const struct diag *d)
{
    return (struct diag_copy){ d->copy_loop, d->copy_loop ? d->copy_index : 0 };
}

void diag_copy_at(struct diag *d, struct diag_copy at)
{
    if (d->copy_depth > 0) /* a loop being evaluated decides */
        return;
    d->copy_loop = at.loop;
    d->copy_index = at.loop ? at.index : 0;
}

static int cmp_range(const void *pa, const void *pb)
{
    const struct diag_copy_range *a = pa, *b = pb;
    return (a->first > b->first) - (a->first < b->first);
}

/* Ranges in increasing order, overlapping and adjacent ones joined. */
static void sort_ranges(struct diag_entry *e)
{
    qsort(e->copy_ranges, e->copy_nranges, sizeof(*e->copy_ranges), cmp_range);
    size_t n = 0;
    for (size_t i = 0; i < e->copy_nranges; i++) {
        struct diag_copy_range r = e->copy_ranges[i];
        if (n > 0 && r.first <= e->copy_ranges[n - 1].last + 1) {
            if (r.last > e->copy_ranges[n - 1].last)
                e->copy_ranges[n - 1].last = r.last;
        } else {
            e->copy_ranges[n++] = r;
        }
    }
    e->copy_nranges = n;
}

/* " (copy 'apis', indexes 0-4, 7)" after e's message. */
static void copy_suffix(struct diag *d, struct diag_entry *e)
{
    sort_ranges(e);
    struct buf b;
    buf_init(&b, 64u * 1024u);
    int rc = buf_printf(&b, "%s (copy '%s', indexes ", e->msg, e->copy_loop);
    for (size_t i = 0; i < e->copy_nranges && rc == 0; i++) {
        const struct diag_copy_range *r = &e->copy_ranges[i];
        rc = buf_printf(&b, i ? ", %ld" : "%ld", r->first);
        if (rc == 0 && r->last > r->first)
            rc = buf_printf(&b, "%s%ld", r->last == r->first + 1 ? ", " : "-", r->last);
    }
    if (rc == 0 && buf_puts(&b, ")") == 0)
        e->msg = arena_strdup(d->arena, b.data);
    buf_release(&b);
}

/* Completes the messages of the table's entries found at several indexes
 * and empties the table. */
static void copy_complete(struct diag *d)
{
    for (size_t i = 0; i < d->copy_table_cap; i++)
        for (struct diag_entry *e = d->copy_table[i]; e; e = e->copy_next)
            if (e->copy_nranges > 1 || e->copy_ranges[0].last > e->copy_ranges[0].first)
                copy_suffix(d, e);
    if (d->copy_table) /* NULL until a loop records something */
        memset(d->copy_table, 0, d->copy_table_cap * sizeof(*d->copy_table));
    d->copy_table_n = 0;
    d->copy_loop = NULL;
}

void diag_copy_end(struct diag *d)
{
    if (d->copy_depth == 0 || --d->copy_depth > 0)
        return;
    copy_complete(d);
}

void diag_copy_flush(struct diag *d)
{
    if (d->copy_depth == 0)
        copy_complete(d);
}

static struct diag_entry *add(struct diag *d, struct diag_entry *e)
{
    if (copy_merged(d, e) || seen_before(d, entry_hash(e)))
        return NULL;
    copy_record(d, e);
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 32;
        d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
    }
    e->seq = (unsigned)d->n;
    d->v[d->n++] = e;
    if (e->level == DIAG_ERROR)
        d->nerrors++;
    else if (e->level == DIAG_WARNING)
        d->nwarnings++;
    else
        d->nnotes++;
    return e;
}

struct diag_entry *diag_emit(struct diag *d, enum diag_code code, struct loc at, const char *fmt,
                             ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct diag_entry *e = entry_new(d, codes[code].level, code, at, fmt, ap);
    va_end(ap);
    return add(d, e);
}

struct diag_entry *diag_emit_level(struct diag *d, enum diag_level level, enum diag_code code,
                                   struct loc at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct diag_entry *e = entry_new(d, level, code, at, fmt, ap);
    va_end(ap);
    return add(d, e);
}

struct diag_entry *diag_vemit_level(struct diag *d, enum diag_level level, enum diag_code code,
                                    struct loc at, const char *fmt, va_list ap)
{
    return add(d, entry_new(d, level, code, at, fmt, ap));
}

void diag_note(struct diag *d, struct diag_entry *e, struct loc at, const char *fmt, ...)
{
    if (e == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    struct diag_entry *note = entry_new(d, DIAG_NOTE, e->code, at, fmt, ap);
    va_end(ap);
    struct diag_entry **tail = &e->notes;
    while (*tail)
        tail = &(*tail)->next;
    *tail = note;
}

void diag_promote_warnings(struct diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        if (d->v[i]->level == DIAG_WARNING) {
            d->v[i]->level = DIAG_ERROR;
            d->nwarnings--;
            d->nerrors++;
        }
    }
}

static int cmp_entry(const void *pa, const void *pb)
{
    const struct diag_entry *a = *(const struct diag_entry *const *)pa;
    const struct diag_entry *b = *(const struct diag_entry *const *)pb;
    unsigned ia = a->loc.src ? a->loc.src->index : 0;
    unsigned ib = b->loc.src ? b->loc.src->index : 0;
    if ((a->loc.src == NULL) != (b->loc.src == NULL))
        return a->loc.src == NULL ? -1 : 1;
    if (ia != ib)
        return ia < ib ? -1 : 1;
    if (a->loc.start != b->loc.start)
        return a->loc.start < b->loc.start ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diag_sort(struct diag *d)
{
    if (d->n > 1)
        qsort(d->v, d->n, sizeof(*d->v), cmp_entry);
}

const char *diag_code_str(enum diag_code code)
{
    return codes[code].code;
}

const char *diag_code_slug(enum diag_code code)
{
    return codes[code].slug;
}

enum diag_level diag_code_level(enum diag_code code)
{
    return codes[code].level;
}

const char *diag_level_str(enum diag_level level)
{
    switch (level) {
    case DIAG_ERROR:
        return "error";
    case DIAG_WARNING:
        return "warning";
    case DIAG_NOTE:
        break;
    }
    return "note";
}

/* A line longer than EXCERPT_MAX_LINE bytes (policy XML in one JSON string
 * is often kilobytes on one line) is quoted as a window of EXCERPT_WIDTH
 * bytes that starts EXCERPT_BEFORE bytes before the column, with "..." where
 * it is cut; the window never splits a UTF-8 sequence. */
#define EXCERPT_MAX_LINE 160
#define EXCERPT_WIDTH    120
#define EXCERPT_BEFORE   40

/* The first byte of the code point holding byte i (not before lo). */
static uint32_t code_point_start(const struct source *s, uint32_t i, uint32_t lo)
{
    while (i > lo && utf8_is_continuation((unsigned char)s->text[i]))
        i--;
    return i;
}

/* [*wb, *we): the part of the line [begin, stop) that is quoted. */
static void excerpt_window(const struct source *s, uint32_t begin, uint32_t stop, uint32_t start,
                           uint32_t *wb, uint32_t *we)
{
    *wb = begin;
    *we = stop;
    if (stop - begin <= EXCERPT_MAX_LINE)
        return;
    uint32_t at = start < stop ? start : stop;
    uint32_t b = at - begin > EXCERPT_BEFORE ? at - EXCERPT_BEFORE : begin;
    if (stop - b < EXCERPT_WIDTH)
        b = stop - EXCERPT_WIDTH; /* near the end: show the last EXCERPT_WIDTH bytes */
    *wb = code_point_start(s, b, begin);
    *we = stop - *wb > EXCERPT_WIDTH ? code_point_start(s, *wb + EXCERPT_WIDTH, *wb) : stop;
}

/* The marker line under [wb, we): '^' under the first byte, '~' under the
 * rest of the range (first line only). Tabs are copied so it stays aligned
 * in any terminal. */
static int print_marker(struct buf *out, const struct source *s, uint32_t wb, uint32_t we,
                        uint32_t start, uint32_t end)
{
    if (end > we)
        end = we > start ? we : start + 1;
    for (uint32_t i = wb; i < end; i++) {
        unsigned char c = i < we ? (unsigned char)s->text[i] : ' ';
        if (utf8_is_continuation(c) && i < we)
            continue; /* one marker per code point */
        char m = c == '\t' ? '\t' : ' ';
        if (i >= start)
            m = i == start ? '^' : '~';
        if (buf_append(out, &m, 1))
            return -1;
    }
    return buf_append(out, "\n", 1);
}

/* The source line holding at->start (or a window of it), then its marker
 * line. */
static int print_excerpt(struct buf *out, const struct loc *at)
{
    const struct source *s = at->src;
    unsigned line, col;
    source_line_col(s, at->start, &line, &col);
    uint32_t begin = s->line_start[line - 1];
    uint32_t stop = line < s->nlines ? s->line_start[line] - 1 : s->len;
    uint32_t start = at->start > s->len ? s->len : at->start;
    uint32_t end = at->end > start ? at->end : start + 1;

    if (stop > begin && s->text[stop - 1] == '\r')
        stop--;
    if (end > stop)
        end = stop > start ? stop : start + 1;
    uint32_t wb, we;
    excerpt_window(s, begin, stop, start, &wb, &we);
    const char *cut_before = wb > begin ? "..." : "";
    if (buf_printf(out, "%5u | %s%.*s%s\n      | %s", line, cut_before, (int)(we - wb),
                   s->text + wb, we < stop ? "..." : "", wb > begin ? "   " : ""))
        return -1;
    return print_marker(out, s, wb, we, start, end);
}

static int render_one(const struct diag_entry *e, struct buf *out, bool is_note)
{
    int rc;
    if (e->loc.src) {
        unsigned line, col;
        source_line_col(e->loc.src, e->loc.start, &line, &col);
        rc = buf_printf(out, "%s:%u:%u: ", e->loc.src->name, line, col);
    } else {
        rc = buf_puts(out, "apim: ");
    }
    if (rc)
        return -1;
    if (is_note)
        rc = buf_printf(out, "note: %s\n", e->msg);
    else
        rc = buf_printf(out, "%s[%s]: %s\n", diag_level_str(e->level), diag_code_str(e->code),
                        e->msg);
    if (rc)
        return -1;
    if (e->loc.src && e->loc.src->len > 0 && !e->loc.src->secret && print_excerpt(out, &e->loc))
        return -1;
    return 0;
}

int diag_render_entry(const struct diag_entry *e, struct buf *out)
{
    if (render_one(e, out, false))
        return -1;
    for (const struct diag_entry *n = e->notes; n; n = n->next)
        if (render_one(n, out, true))
            return -1;
    return 0;
}

int diag_render_text(const struct diag *d, struct buf *out)
{
    for (size_t i = 0; i < d->n; i++)
        if (diag_render_entry(d->v[i], out))
            return -1;
    return 0;
}
