/* fuzz_input.h - what the libFuzzer targets share: the input bytes as a
 * NUL-terminated source in the run's arena, and the end of a run, where
 * every diagnostic must render (a failure to is a bug) and everything is
 * released. */
#ifndef APIM_TESTS_FUZZ_INPUT_H
#define APIM_TESTS_FUZZ_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* data[0..size) as a source named name, its text NUL-terminated. */
static inline struct source *fuzz_source(struct arena *a, struct diag *d, const char *name,
                                         const uint8_t *data, size_t size)
{
    char *text = arena_alloc(a, size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    return source_new(d, name, text, (uint32_t)size);
}

/* Sorts and renders the diagnostics (aborting if they cannot be), then
 * releases d and a. */
static inline void fuzz_finish(struct arena *a, struct diag *d)
{
    struct buf out;
    buf_init(&out, 64u << 20);
    diag_sort(d);
    if (diag_render_text(d, &out) != 0)
        abort();
    buf_release(&out);
    diag_release(d);
    arena_release(a);
}

#endif
