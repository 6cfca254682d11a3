/* libFuzzer target: the ARM expression grammar and evaluator. The input is
 * one expression; it is wrapped as "[...]" inside a small template that
 * declares a few parameters and variables, and evaluated as an output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arm.h"
#include "arm_expr.h"
#include "jval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prefix[] =
    "{\"$schema\": \"deploymentTemplate.json\", \"contentVersion\": \"1.0.0.0\","
    " \"parameters\": {\"s\": {\"type\": \"string\", \"defaultValue\": \"abc\"},"
    " \"n\": {\"type\": \"int\", \"defaultValue\": 3},"
    " \"o\": {\"type\": \"object\", \"defaultValue\": {\"a\": [1, {\"b\": true}]}}},"
    " \"variables\": {\"v\": [\"x\", \"y\"]}, \"resources\": [],"
    " \"outputs\": {\"out\": {\"value\": \"[";
static const char suffix[] = "]\"}}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct diag d;
    arena_init(&a, 64 * 1024);
    diag_init(&d, &a);
    /* Escape the expression for a JSON string, so every input is a valid
     * template and the fuzzer spends its time in the expression code. */
    struct buf b;
    buf_init(&b, 1u << 24);
    int rc = buf_append(&b, prefix, sizeof(prefix) - 1);
    for (size_t i = 0; i < size && rc == 0; i++) {
        unsigned char c = data[i];
        if (c == '"' || c == '\\')
            rc = buf_append(&b, "\\", 1) || buf_append(&b, &c, 1);
        else if (c < 0x20)
            rc = buf_printf(&b, "\\u%04x", c);
        else
            rc = buf_append(&b, &c, 1);
    }
    rc = rc || buf_append(&b, suffix, sizeof(suffix) - 1);
    if (rc == 0) {
        char *text = arena_strndup(&a, b.data, b.len);
        struct source *src = source_new(&d, "fuzz.json", text, (uint32_t)b.len);
        struct jval *doc = jval_parse(&a, &d, src);
        if (doc != NULL) {
            struct arm_env env;
            arm_env_init(&env, &a, &d, "fuzz");
            (void)arm_evaluate(&env, doc, NULL);
        }
        struct buf out;
        buf_init(&out, 64u << 20);
        if (diag_render_text(&d, &out) != 0)
            abort();
        buf_release(&out);
    }
    buf_release(&b);
    diag_release(&d);
    arena_release(&a);
    return 0;
}
