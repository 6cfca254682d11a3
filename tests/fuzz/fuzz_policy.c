/* libFuzzer target: policy text straight into the outline (policy_scan.c)
 * and the catalog checks (policy_check.c) at every scope, then what the
 * local gateway makes of it (gateway_check.c). The first byte picks the
 * scope; the rest is the policy document, rawxml or not. Seeded with the
 * policy files of ../shared/corpus. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "gateway_check.h"
#include "model.h"
#include "policy_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    struct arena a;
    struct diag d;
    arena_init(&a, 64 * 1024);
    diag_init(&d, &a);
    struct source *src = fuzz_source(&a, &d, "fuzz.xml", data + 1, size - 1);
    struct model m;
    model_init(&m, &a, &d);
    struct model_service *s = ARENA_NEW(&a, struct model_service);
    s->name = "svc";
    m.services = m.services_last = s;
    struct model_policy *p = ARENA_NEW(&a, struct model_policy);
    p->scope = (enum model_scope)(data[0] % 4);
    p->format = data[0] & 0x10 ? "xml" : "rawxml";
    p->value = jval_string(&a, (struct loc){ src, 0, src->len }, src->text, src->len);
    s->policies = p;
    struct model_fragment *f = ARENA_NEW(&a, struct model_fragment);
    f->id = "frag";
    f->format = "rawxml";
    f->value = p->value;
    s->fragments = s->fragments_last = f;
    policy_check_service(&m, s);
    gateway_check(&m, false);
    fuzz_finish(&a, &d);
    return 0;
}
