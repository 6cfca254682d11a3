/* libFuzzer target: the expression VM (runtime/csx). The first byte picks
 * the mode:
 *   0  the rest is a program blob: csx_prog_load must reject it or load it,
 *      never crash; a loaded program is evaluated (step budget 10000);
 *   1  the rest is an expression, "@(...)" or "@{...}": parsed, emitted,
 *      verified (a parsed expression must emit and verify) and evaluated.
 * Seeds (tests/fuzz/seed.sh): every expression of the corpus in mode 1 and
 * its compiled blob in mode 0. The host holds a request with headers, a
 * query, a JSON body and variables, so the natives have something to
 * read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csx.h"
#include "csx_emit.h"
#include "csx_vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define S(s)             \
    {                    \
        s, sizeof(s) - 1 \
    }

static const struct csx_kv headers[] = {
    { S("Authorization"), S("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.") },
    { S("Accept"), S("application/json") },
};
static const struct csx_kv params[] = { { S("id"), S("7") } };

static void fixed_random(void *arg, unsigned char *out, size_t n)
{
    (void)arg;
    memset(out, 0x5a, n);
}

static void host_init(struct csx_host *h, struct csx_var *var)
{
    memset(h, 0, sizeof(*h));
    h->url = (struct csx_url){ STR_LIT("https"), STR_LIT("h"), STR_LIT("/p"), STR_LIT("a=1&b=%20"),
                               443 };
    h->original_url = h->url;
    h->request = (struct csx_message){
        { headers, 2, true }, STR_LIT("{\"a\":[1,{\"b\":\"c\"}]}"), true, 0, STR_NULL
    };
    h->response =
        (struct csx_message){ { headers, 1, true }, STR_LIT("[1,2]"), true, 200, STR_LIT("OK") };
    h->params = (struct csx_kvs){ params, 1, false };
    *var = (struct csx_var){ STR_LIT("x"),
                             { .t = CSXV_STRING, .type = CSXT_STRING, .n = 1, .u.s = "v" } };
    h->vars = var;
    h->nvars = 1;
    h->prop[CSXM_API_NAME] = STR_LIT("api");
    h->prop[CSXM_REQUEST_METHOD] = STR_LIT("GET");
    h->now_ms = 1704164645678;
    h->random = fixed_random;
}

static void run(const struct csx_prog *p)
{
    static struct csx_host h;
    static struct csx_var var;
    if (h.now_ms == 0)
        host_init(&h, &var);
    struct arena a;
    arena_init(&a, 64 * 1024);
    struct csx_value v;
    struct csx_error err;
    if (csx_eval(p, &h, &a, 10000, &v, &err) == 0)
        (void)csx_value_str(&a, &v);
    arena_release(&a);
}

static void from_text(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a, 64 * 1024);
    struct csx_node *n = csx_parse(&a, NULL, LOC_NONE, (struct str){ (const char *)data, size });
    struct buf blob;
    buf_init(&blob, 64u << 20);
    if (n != NULL) {
        if (csx_emit(&a, NULL, LOC_NONE, n, &blob) != 0)
            abort(); /* every parsed expression compiles */
        struct csx_error err;
        struct csx_prog *p = csx_prog_load(blob.data, blob.len, &err);
        if (p == NULL)
            abort(); /* and what the emitter writes verifies */
        run(p);
        csx_prog_free(p);
    }
    buf_release(&blob);
    arena_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] == 1) {
        from_text(data + 1, size - 1);
        return 0;
    }
    struct csx_error err;
    struct csx_prog *p = csx_prog_load(data + 1, size - 1, &err);
    if (p != NULL)
        run(p);
    csx_prog_free(p);
    return 0;
}
