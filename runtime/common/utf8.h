/* utf8.h - UTF-8 as the project needs it, once: validating sequences
 * (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF),
 * encoding a code point, and writing a string as a JSON string literal.
 * Used by the JSON reader and writer, the access log and the diagnostics'
 * excerpts. Errors: none; buffer writes return buf's 0 / -1.
 */
#ifndef APIM_COMMON_UTF8_H
#define APIM_COMMON_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Length of the valid UTF-8 sequence at p (1..4; 1 for ASCII), or 0 when
 * p does not start one within left bytes. */
size_t utf8_seq_len(const unsigned char *p, size_t left);

/* The offset of the first byte of s that is not part of valid UTF-8, or
 * len when all of s is valid. */
size_t utf8_check(const unsigned char *s, size_t len);

/* Writes code point cp (at most U+10FFFF) as UTF-8; returns its length. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* A continuation byte (10xxxxxx): not the start of a character. */
static inline bool utf8_is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

enum {
    UTF8_JSON_SHORT_ESCAPES = 1, /* \n \r \t rather than \u000a ... */
};

/* Appends s as a JSON string literal, quotes included: '"' and '\\'
 * escaped, control characters as \u00XX (or short escapes), valid UTF-8
 * as is, and each byte that is not valid UTF-8 as \u00XX, so the result
 * is always valid JSON and valid UTF-8. */
int utf8_json_string(struct buf *out, struct str s, unsigned flags)
    __attribute__((warn_unused_result));

/* The same without the quotes: for a string literal written in pieces. */
int utf8_json_chars(struct buf *out, struct str s, unsigned flags)
    __attribute__((warn_unused_result));

#endif
