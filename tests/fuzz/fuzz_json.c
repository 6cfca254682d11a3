/* libFuzzer target: the JSON front end (json.l, json.y, jval.c) on arbitrary
 * bytes. Any crash, leak or sanitizer report is a bug; so is a parse that
 * returns a tree together with an error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct diag d;
    arena_init(&a, 64 * 1024);
    diag_init(&d, &a);
    char *text = arena_alloc(&a, size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct source *src = source_new(&d, "fuzz.json", text, (uint32_t)size);
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
    struct buf text_out;
    buf_init(&text_out, 64u << 20);
    diag_sort(&d);
    if (diag_render_text(&d, &text_out) != 0)
        abort();
    buf_release(&text_out);
    diag_release(&d);
    arena_release(&a);
    return 0;
}
