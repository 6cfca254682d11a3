/* jval.h - located JSON values (trees): what ARM templates, parameter files and the
 * seed's simple API documents are read into, and what ARM expressions
 * evaluate to.
 *
 * Every node records where it came from (struct loc): the text it was parsed
 * from, or the expression that produced it. Strings are decoded (escapes
 * resolved) and NUL-terminated. JV_UNKNOWN is not JSON: it stands for a value
 * ARM only knows at deployment time (listKeys(), a Key Vault reference).
 * Ownership: every node lives in the arena passed to the parser or
 * constructor; nothing is freed individually.
 * Errors: jval_parse records located diagnostics and returns NULL if the text
 * had any syntax error.
 */
#ifndef APIM_COMPILER_JVAL_H
#define APIM_COMPILER_JVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"

enum jval_kind {
    JV_NULL,
    JV_BOOL,
    JV_INT,
    JV_REAL,
    JV_STRING,
    JV_ARRAY,
    JV_OBJECT,
    JV_UNKNOWN
};

enum jval_flags {
    JV_F_LITERAL = 1 << 0,  /* parsed from source text: loc is the token */
    JV_F_ESCAPED = 1 << 1,  /* literal string whose source has escapes */
    JV_F_SECURE = 1 << 2,   /* secureString/secureObject: never printed */
    JV_F_OPEN = 1 << 3,     /* reference() result: a missing member is unknown, not an error */
    JV_F_POISON = 1 << 4,   /* unknown because its expression had an error (already reported):
                               whatever depends on it stays quiet */
    JV_F_VERBATIM = 1 << 5, /* with JV_F_LITERAL: loc is exactly the decoded text (no quotes,
                               no escapes): a whole file, a plain YAML scalar */
    JV_F_SAMPLE = 1 << 6,   /* a --sample-parameters stand-in, or computed from one: like
                               JV_F_OPEN, and a nested declaration may pick its own sample */
};

struct jval;

struct jval_member {
    struct str key;
    struct loc key_loc;
    struct jval *value;
};

struct jval {
    enum jval_kind kind;
    unsigned flags;
    struct loc loc;
    /* A computed value that is a literal's text passed through expressions
     * (parameters('policy')): the literal, so positions inside the text can
     * still be found in the file where it is written. */
    const struct jval *origin;

    union {
        bool b;
        int64_t i;
        double r;
        struct str s; /* NUL-terminated in the arena */

        struct {
            struct jval **v;
            size_t n;
        } a;

        struct {
            struct jval_member *v;
            size_t n;
        } o;

        const char *why; /* JV_UNKNOWN: what the value depends on */
    } u;
};

/* Parses src. Returns the root value, or NULL after recording every syntax
 * error found (the parser recovers to report more than one). */
struct jval *jval_parse(struct arena *a, struct diag *d, const struct source *src);

/* Like jval_parse, but as lenient as Json.NET, which ARM's json() uses:
 * single-quoted strings and bare property names are accepted. */
struct jval *jval_parse_lenient(struct arena *a, struct diag *d, const struct source *src);

/* Constructors for evaluated values. */
struct jval *jval_null(struct arena *a, struct loc at);
struct jval *jval_bool(struct arena *a, struct loc at, bool b);
struct jval *jval_int(struct arena *a, struct loc at, int64_t i);
struct jval *jval_string(struct arena *a, struct loc at, const char *s, size_t len);
struct jval *jval_cstring(struct arena *a, struct loc at, const char *s);
struct jval *jval_array(struct arena *a, struct loc at, size_t n);  /* n null slots */
struct jval *jval_object(struct arena *a, struct loc at, size_t n); /* n empty members */
struct jval *jval_unknown(struct arena *a, struct loc at, const char *why);
struct jval *jval_poison(struct arena *a, struct loc at);

/* True for a poisoned unknown: an error was reported for it already. */
bool jval_is_poison(const struct jval *v);

/* The last member named key (ASCII case-insensitive), or NULL. ARM keeps the
 * last of duplicate keys, so this does too. */
struct jval *jval_get(const struct jval *obj, const char *key);
struct jval_member *jval_get_member(const struct jval *obj, const char *key);

/* jval_get, then the string value, or NULL. */
const char *jval_get_str(const struct jval *obj, const char *key);

/* "string", "int", "object", ... as ARM names the types. */
const char *jval_kind_name(enum jval_kind k);

/* Deep equality; strings compare case-sensitively unless icase. */
bool jval_equal(const struct jval *a, const struct jval *b, bool icase);

/* Serialises v as compact JSON (unknown values as null). */
int jval_write(const struct jval *v, struct buf *out);

/* Same, failing (-1) when v nests deeper than depth arrays and objects:
 * YAML aliases can build values far deeper than any text is. */
int jval_write_capped(const struct jval *v, struct buf *out, unsigned depth);

/* The location of bytes [start, end) of a literal string's decoded text,
 * mapped back to the source (escapes accounted for); for a value with an
 * origin, inside the origin. Otherwise the whole value's location. */
struct loc jval_string_subloc(const struct jval *str, size_t start, size_t end);

/* Byte offset of every decoded byte of a literal string in its source, plus
 * one entry past the end; NULL for non-literal strings. Arena-allocated. */
uint32_t *jval_string_offsets(struct arena *a, const struct jval *str);

/* Decodes the JSON string token text[0..len) (without quotes) into out.
 * Used by the lexer and by jval_string_offsets. Returns 0, or the offset + 1
 * of the first bad escape. */
size_t jval_unescape(const char *text, size_t len, struct buf *out, uint32_t *offsets);

/* ---- used by the grammar (json.y) ---- */

struct jval_list {
    struct jval_list *next;
    struct jval_member m; /* arrays use m.value only */
};

struct jval_build {
    struct jval_list *head, *tail;
    size_t n;
};

struct jval_parse_ctx {
    struct arena *arena;
    struct diag *diag;
    const struct source *src;
    void *scanner;
    struct jval *root;
    unsigned errors;
    unsigned depth;
    uint32_t pos;                /* lexer: byte offset of the next token */
    uint32_t comment_start;      /* lexer: where an open block comment began */
    bool fatal;                  /* stop: limit hit, later syntax errors are noise */
    bool lenient;                /* Json.NET leniency: 'strings' and bare names */
    struct loc multiline_string; /* the last string token, if it spanned lines */
};

struct jval *jval_new_literal(struct jval_parse_ctx *c, enum jval_kind k, struct loc at);
struct jval_build jval_build_first(struct jval_parse_ctx *c, struct loc key_loc, struct str key,
                                   struct jval *v);
struct jval_build jval_build_add(struct jval_parse_ctx *c, struct jval_build b, struct loc key_loc,
                                 struct str key, struct jval *v);
struct jval *jval_finish_object(struct jval_parse_ctx *c, struct loc at, struct jval_build b);
struct jval *jval_finish_array(struct jval_parse_ctx *c, struct loc at, struct jval_build b);
void jval_trailing_comma(struct jval_parse_ctx *c, struct loc comma);
void jval_parse_error(struct jval_parse_ctx *c, struct loc at, enum diag_code code, const char *fmt,
                      ...) __attribute__((format(printf, 4, 5)));

#endif
