/* libFuzzer target: the C# policy-expression front end (compiler/csx). The
 * input is one expression, "@(...)" or "@{...}", as the seeds are (every
 * expression of the corpus, tests/csx/csx_corpus --dump); it is parsed at
 * an offset inside a larger source, the tree printed, bound (csx_bind) and
 * the diagnostics rendered, so locations, the printer and the binder are
 * exercised too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csx.h"
#include "csx_bind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char prefix[] = "<set-body>";
    struct arena a;
    struct diag d;
    arena_init(&a, 64 * 1024);
    diag_init(&d, &a);
    char *text = arena_alloc(&a, sizeof(prefix) + size);
    memcpy(text, prefix, sizeof(prefix) - 1);
    memcpy(text + sizeof(prefix) - 1, data, size);
    size_t at = sizeof(prefix) - 1;
    struct source *src = source_new(&d, "fuzz.xml", text, (uint32_t)(at + size));
    struct loc base = { src, (uint32_t)at, (uint32_t)at };
    struct csx_node *n = csx_parse(&a, &d, base, (struct str){ text + at, size });
    struct buf out;
    buf_init(&out, 64u << 20);
    if (n != NULL && csx_print(n, &out) != 0)
        abort();
    if (n != NULL && d.nerrors != 0)
        abort(); /* a tree is returned only for a clean parse */
    if (n != NULL && csx_bind(&a, &d, n, NULL) > 0 && d.nerrors == 0)
        abort(); /* a binder error is recorded */
    buf_reset(&out);
    if (diag_render_text(&d, &out) != 0)
        abort();
    buf_release(&out);
    diag_release(&d);
    arena_release(&a);
    return 0;
}
