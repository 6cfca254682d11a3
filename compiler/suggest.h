/* suggest.h - "did you mean" for misspelt names: the closest candidate by
 * edit distance (ASCII case-insensitive), if it is close enough to be a
 * plausible typo. */
#ifndef APIM_COMPILER_SUGGEST_H
#define APIM_COMPILER_SUGGEST_H

#include "buf.h"

/* The candidate closest to name, or NULL if none is within a few edits.
 * The result points into a static buffer, valid until the next call. */
const char *suggest(struct str name, const struct str *candidates, size_t n);

#endif
