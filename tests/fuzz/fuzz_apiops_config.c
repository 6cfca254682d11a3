/* libFuzzer target: an APIOps publisher configuration (yaml.c, then
 * apiops_config.c) on arbitrary bytes, each override then merged into
 * itself as the publisher merges (apiops_merge). Any crash, leak or
 * sanitizer report is a bug; so is a configuration returned for a document
 * that did not parse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apiops_int.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct diag d;
    arena_init(&a, 64 * 1024);
    diag_init(&d, &a);
    struct source *src = fuzz_source(&a, &d, "configuration.fuzz.yaml", data, size);
    struct apiops_config *cfg = apiops_config_read(&a, &d, src);
    for (size_t i = 0; cfg && i < d.n; i++)
        if (d.v[i]->code == DC_YAML_SYNTAX || d.v[i]->code == DC_EMPTY_INPUT)
            abort();
    for (struct apiops_override *o = cfg ? cfg->first : NULL; o; o = o->next) {
        if (apiops_config_match(cfg, o->key) == NULL && !o->ambiguous)
            abort(); /* every override is found under its own key */
        (void)apiops_merge(&a, o->props, o->props);
    }
    fuzz_finish(&a, &d);
    return 0;
}
