/* libFuzzer target: the JSON front end (json.l, json.y, jval.c) on arbitrary
 * bytes. Any crash, leak or sanitizer report is a bug; so is a parse that
 * returns a tree together with an error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "jval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct diag d;
    arena_init(&a, 64 * 1024);
    diag_init(&d, &a);
    struct source *src = fuzz_source(&a, &d, "fuzz.json", data, size);
    struct jval *v = jval_parse(&a, &d, src);
    if (v != NULL && d.nerrors != 0)
        abort();
    if (v != NULL) {
        struct buf out;
        buf_init(&out, 64u << 20);
        if (jval_write(v, &out) != 0)
            abort();
        buf_release(&out);
    }
    fuzz_finish(&a, &d);
    return 0;
}
