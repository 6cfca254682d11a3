/* extract.h - finds the policy expressions (@(...), @{...}) written in a
 * file of the corpus, for the csx corpus test and the fuzzer's seeds. A
 * simple reader, not the policy compiler's: see csx_corpus.c. */
#ifndef APIM_TESTS_CSX_EXTRACT_H
#define APIM_TESTS_CSX_EXTRACT_H

#include <stddef.h>

enum extract_kind {
    EXTRACT_NONE,
    EXTRACT_XML,  /* a policy document */
    EXTRACT_JSON, /* policies in JSON strings (ARM templates, REST examples) */
    EXTRACT_BICEP /* policies in Bicep strings */
};

/* By the file name's extension. */
enum extract_kind extract_kind(const char *name);

/* Calls fn(arg, text, len) for each expression found, in order; text is
 * "@(...)" or "@{...}" with the file's escapes and XML entities decoded,
 * alive during the call. */
void extract_file(enum extract_kind k, const char *text, size_t len,
                  void (*fn)(void *arg, const char *text, size_t len), void *arg);

#endif
