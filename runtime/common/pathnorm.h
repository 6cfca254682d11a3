/* pathnorm.h - the request path as the gateway routes and forwards it:
 * normalised as RFC 3986 section 6.2.2 says, so that routing, the
 * subscription check and the backend URL all see where the request really
 * goes (docs/gateway.md, "Hostile input", "Paths").
 *
 *   1. Percent-encodings are checked: a '%' not followed by two hex digits
 *      is refused (PATHNORM_BAD_ENCODING).
 *   2. Encoded UNRESERVED characters (ALPHA DIGIT - . _ ~, RFC 3986 2.3) are
 *      decoded: "%2e" is ".", "%41" is "A". Every other encoding ("%2F",
 *      "%20", "%25") stays exactly as received, hex case included.
 *   3. Dot segments are removed (RFC 3986 5.2.4): "." goes, ".." takes the
 *      segment before it with it; a path that ends in one ends in '/'.
 *      A ".." with no segment left to take is refused
 *      (PATHNORM_ABOVE_ROOT) instead of being dropped as 5.2.4 would: it
 *      can only be an attempt to leave the API.
 *   4. A segment that a backend could still read as a dot segment is
 *      refused (PATHNORM_HIDDEN_DOT): one that, cut at every raw backslash,
 *      "%2F" and "%5C" (either case), has a piece that is "." or "..", the
 *      piece taken up to its first ';' ("..%2F", "%2E%2E%5C", "..\..\",
 *      "..;x"). Servers that take '\' or an encoded slash for a separator,
 *      or drop ";params", would walk up where the gateway did not.
 *
 * Nothing else changes: repeated slashes, case, ';' and everything a
 * plain path holds are kept byte for byte. The result is never longer than
 * the input, holds no "." or ".." segment, and normalising it again gives
 * it back unchanged.
 *
 * Ownership: the caller owns both buffers; nothing is allocated.
 * Errors: the result code; out is unspecified unless PATHNORM_OK.
 */
#ifndef APIM_COMMON_PATHNORM_H
#define APIM_COMMON_PATHNORM_H

#include <stdbool.h>

#include "buf.h"

enum pathnorm_result {
    PATHNORM_OK,
    PATHNORM_NOT_ABSOLUTE, /* empty, or does not start with '/' */
    PATHNORM_BAD_ENCODING, /* '%' without two hex digits after it */
    PATHNORM_ABOVE_ROOT,   /* ".." with no segment before it */
    PATHNORM_HIDDEN_DOT    /* a dot segment behind '\', "%2F", "%5C" or ';' */
};

/* False if path holds no '%', '.' or '\': then it is already normal and
 * pathnorm_normalize would return it unchanged. One pass, no copy. */
bool pathnorm_needed(struct str path);

/* Normalises path into buf (room for path.len bytes, not NUL-terminated);
 * *out is the result (in buf). */
enum pathnorm_result pathnorm_normalize(struct str path, char *buf, struct str *out)
    __attribute__((warn_unused_result));

#endif
