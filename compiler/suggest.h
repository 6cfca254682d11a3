/* suggest.h - "did you mean" for misspelt names: the closest candidate by
 * edit distance (ASCII case-insensitive), if it is close enough to be a
 * plausible typo; and the one check of an object's keys against the keys
 * a format knows, which templates, models and the seed's format share. */
#ifndef APIM_COMPILER_SUGGEST_H
#define APIM_COMPILER_SUGGEST_H

#include <stdbool.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "jval.h"

/* The candidate closest to name, or NULL if none is within a few edits.
 * The result points into a static buffer, valid until the next call. */
const char *suggest(struct str name, const struct str *candidates, size_t n);

enum unknown_key_wording {
    UNKNOWN_KEY_PROPERTY, /* "unknown <what> property 'key'" */
    UNKNOWN_KEY_HAS_NO,   /* "<what> has no property 'key'" */
};

/* A note of the caller's own for an unknown key (e.g. what it was
 * renamed to); returns true when it added one, which then replaces the
 * did-you-mean. */
typedef bool (*unknown_key_note)(struct diag *d, struct diag_entry *e,
                                 const struct jval_member *member);

/* Reports every member of obj whose key is none of known (NULL-terminated,
 * compared without case) with code at the key, and a did-you-mean note
 * when a known key is close. obj that is not an object: nothing. note may
 * be NULL. */
void suggest_unknown_keys(struct diag *d, struct arena *a, const struct jval *obj,
                          const char *const *known, enum diag_code code,
                          enum unknown_key_wording wording, const char *what,
                          unknown_key_note note);

#endif
