/* libFuzzer target: a whole template through the compiler: JSON, parameter
 * binding, expressions, copy loops, nested deployments, the APIM model and
 * its checks, the policy outline and what the local gateway makes of it. Seeded with the real
 * templates of ../shared/corpus. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arm.h"
#include "fuzz_input.h"
#include "gateway_check.h"
#include "jval.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct diag d;
    arena_init(&a, 256 * 1024);
    diag_init(&d, &a);
    struct source *src = fuzz_source(&a, &d, "fuzz.json", data, size);
    struct jval *doc = jval_parse(&a, &d, src);
    if (doc != NULL) {
        struct model m;
        model_init(&m, &a, &d);
        if (arm_is_template(doc)) {
            struct arm_env env;
            arm_env_init(&env, &a, &d, "fuzz");
            env.sample_parameters = true;
            (void)arm_evaluate(&env, doc, NULL);
            model_add_arm(&m, &env);
        } else if (model_is_simple_api(doc)) {
            model_add_simple_api(&m, doc);
        }
        model_check(&m);
        gateway_check(&m, false);
    }
    fuzz_finish(&a, &d);
    return 0;
}
