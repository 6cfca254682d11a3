/* arm_hash.h - the deterministic identifiers of ARM templates: uniqueString()
 * and guid(). Both hash their arguments, so the same template and parameters
 * give the same names on every machine, locally and in Azure.
 * Errors: none; out must have room for the result plus a NUL.
 */
#ifndef APIM_COMPILER_ARM_HASH_H
#define APIM_COMPILER_ARM_HASH_H

#include <stddef.h>

#include "buf.h"

/* uniqueString(args...): 13 lowercase base-32 characters. */
void arm_hash_unique_string(const struct str *args, size_t n, char out[14]);

/* guid(args...): a name-based (version 5) UUID, lowercase with dashes. */
void arm_hash_guid(const struct str *args, size_t n, char out[37]);

#endif
