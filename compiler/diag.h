/* diag.h - sources, locations and collected diagnostics.
 *
 * A struct source is one input (a file, or a synthetic one such as the
 * command line). A struct loc is a half-open byte range [start, end) in a
 * source; line and column are computed only when a diagnostic is rendered.
 * Compiler code never prints: it records diagnostics in a struct diag, and
 * the driver renders them all at once, sorted by position.
 * Ownership: sources, entries and message text live in the arena given to
 * source_init/diag_init; the entry vector is the diag's own (diag_release).
 */
#ifndef APIM_COMMON_DIAG_H
#define APIM_COMMON_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "diag_codes.h"

struct source {
    const char *name; /* as the user typed it: what the message shows */
    const char *text; /* not necessarily NUL-terminated */
    uint32_t len;
    uint32_t *line_start; /* byte offset where each line begins */
    uint32_t nlines;
    unsigned index; /* order of the source in the run, for sorting */
    bool secret;    /* holds a secret (name=value of a secure parameter): no excerpts */
    /* An embedded source is text written inside another file (an OpenAPI
     * spec in a template's JSON string, say): diagnostics located in it are
     * reported in the parent, where the user can fix them. parent_offsets
     * holds the parent offset of each byte of text, plus one past the end;
     * without it every position maps to parent_loc. */
    const struct source *parent;
    const uint32_t *parent_offsets;

    struct loc_span {
        uint32_t start, end;
    } parent_loc;

    /* A file read on behalf of another (the local copy of a specification a
     * template imports): its diagnostics count for that file's summary. */
    const struct source *counted_in;

    /* The last column source_line_col counted: the next count on the same
     * line starts there, so the diagnostics of a minified template (one
     * line of megabytes) cost the line once, not once per diagnostic. A
     * cache, not state: mutable through a const source. */
    struct source_col_cache {
        uint32_t line, off, col;
    } col_cache;
};

struct loc {
    const struct source *src; /* NULL: no location (whole run) */
    uint32_t start, end;
};

#define LOC_NONE ((struct loc){ NULL, 0, 0 })

enum diag_level {
    DIAG_NOTE,
    DIAG_WARNING,
    DIAG_ERROR
};

struct diag_entry {
    enum diag_level level;
    enum diag_code code;
    struct loc loc;
    const char *msg;
    struct diag_entry *notes; /* attached notes, in order */
    struct diag_entry *next;  /* next note of the same parent */
    unsigned seq;
    /* Recorded inside a copy loop (diag_copy_begin, diag_copy_at): the
     * loop and the indexes it was found at, as ranges [first, last] in
     * order; copy_next: the next finding of the loop at the same place. */
    const char *copy_loop;
    struct diag_entry *copy_next;

    struct diag_copy_range {
        long first, last;
    } * copy_ranges;

    size_t copy_nranges, copy_cap;
};

/* One copy of a resource made by a copy loop: the loop's name (the
 * outermost loop when loops nest) and the copy's index; loop NULL: not made
 * by a loop. The name is borrowed from the template and lives as long. */
struct diag_copy {
    const char *loop;
    long index;
};

#define DIAG_COPY_NONE ((struct diag_copy){ NULL, 0 })

struct diag {
    struct arena *arena;
    struct diag_entry **v;
    size_t n, cap;
    unsigned nerrors, nwarnings, nnotes;
    unsigned next_source_index;
    /* Hashes of the entries, to drop exact repeats (a mistake inside a copy
     * loop is evaluated once per copy but reported once). */
    uint64_t *seen;
    size_t seen_cap;
    /* The copy loop being evaluated (outermost only; depth counts nested
     * enters) and its entries by (code, level, place), for merging. */
    const char *copy_loop;
    long copy_index;
    unsigned copy_depth;
    struct diag_entry **copy_table;
    size_t copy_table_n, copy_table_cap;
};

/* Builds the line table for text (len bytes, owned by the caller and alive
 * as long as the source). */
void source_init(struct source *s, struct arena *a, const char *name, const char *text,
                 uint32_t len);

/* A new source in the arena, numbered in the order sources are made. */
struct source *source_new(struct diag *d, const char *name, const char *text, uint32_t len);

/* A source for text that is written inside parent (see struct source):
 * offsets as above, or NULL to map everything to [start, end) of parent. */
struct source *source_embed(struct diag *d, const struct source *parent, const char *text,
                            uint32_t len, const uint32_t *offsets, uint32_t start, uint32_t end);

/* Reads a whole file (at most APIM_MAX_INPUT_SIZE bytes) into the diag's
 * arena as a new source, or reports why not (APIM1000, APIM1009) at at. */
struct source *source_read(struct diag *d, const char *path, struct loc at);

/* Where at is written: embedded locations mapped into their parents (the
 * diagnostics functions do this themselves). */
struct loc loc_resolve(struct loc at);

/* 1-based line and column (in Unicode code points) of byte offset off. */
void source_line_col(const struct source *s, uint32_t off, unsigned *line, unsigned *col);

void diag_init(struct diag *d, struct arena *a);
void diag_release(struct diag *d);

/* Records a diagnostic with the code's default level. Returns the entry so
 * notes can be attached, or NULL if the same diagnostic (code, place and
 * message) was recorded already: it is dropped. */
struct diag_entry *diag_emit(struct diag *d, enum diag_code code, struct loc at, const char *fmt,
                             ...) __attribute__((format(printf, 4, 5)));

/* Same, with an explicit level. */
struct diag_entry *diag_emit_level(struct diag *d, enum diag_level level, enum diag_code code,
                                   struct loc at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Same, from a va_list: for the front ends' own error helpers, which add
 * their error caps and then record (diag_code_level(code) for the default). */
struct diag_entry *diag_vemit_level(struct diag *d, enum diag_level level, enum diag_code code,
                                    struct loc at, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* Attaches a note ("previous definition here") to e. e may be NULL. */
void diag_note(struct diag *d, struct diag_entry *e, struct loc at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Copy loops. Between diag_copy_begin and diag_copy_end, a diagnostic the
 * loop has already recorded at the same place with the same code and level
 * (the same mistake, whose message may name the copy) is not recorded
 * again: the first one gets the index set by diag_copy_index. Loops nested
 * in a loop count as their outermost one (loop names are kept, not
 * copied: alive until diag_copy_end). */
void diag_copy_begin(struct diag *d, const char *loop);
void diag_copy_index(struct diag *d, const char *loop, long index);

/* Ends the loop begun last. Ending the outermost one completes the messages
 * of its entries found at several indexes: "... (copy 'apis', indexes 0-4)". */
void diag_copy_end(struct diag *d);

/* The copy being evaluated now (DIAG_COPY_NONE outside copy loops): what
 * a resource made now records, for the checks that run on it later. */
struct diag_copy diag_copy_current(const struct diag *d);

/* Checks that run after evaluation, on what the copies built: diagnostics
 * recorded after diag_copy_at(d, c) are about copy c (DIAG_COPY_NONE: about
 * nothing copied) and merge as inside a loop, keyed by (loop, code, level,
 * place), across every diag_copy_at until diag_copy_flush, which completes
 * the messages as diag_copy_end does. Unlike inside a loop, a finding at an
 * index its key was already found at is another finding of that copy (two
 * missing properties reported at the resource's name): it is kept, and
 * later copies' repeats merge with the first entry of the key that lacks
 * their index. Ignored while a loop is evaluated. */
void diag_copy_at(struct diag *d, struct diag_copy at);
void diag_copy_flush(struct diag *d);

/* Turns every warning into an error (apim validate --strict). */
void diag_promote_warnings(struct diag *d);

/* Sorts entries by source order, then position, then report order. */
void diag_sort(struct diag *d);

/* The code's "APIMnnnn" string, slug and default level. */
const char *diag_code_str(enum diag_code code);
const char *diag_code_slug(enum diag_code code);
enum diag_level diag_code_level(enum diag_code code);

/* "error", "warning" or "note". */
const char *diag_level_str(enum diag_level level);

/* Renders every entry as GNU-style text:
 *   file:line:col: error[APIM1001]: message
 *       12 |   "name": 12,
 *          |           ^~
 * Returns 0, or -1 if out exceeded its limit. */
int diag_render_text(const struct diag *d, struct buf *out);

/* Renders one entry (and its notes) as text. */
int diag_render_entry(const struct diag_entry *e, struct buf *out);

#endif
