/* libFuzzer target: an OpenAPI or Swagger document through the YAML (or
 * JSON) reader and the importer, then the model's checks and the routing
 * plan (which writes every operation's contract). Seeded with the corpus's
 * specifications and tests/openapi. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "gateway_check.h"
#include "jval.h"
#include "model.h"
#include "openapi.h"
#include "plan_write.h"
#include "yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void import(struct arena *a, struct diag *d, struct jval *doc)
{
    struct model m;
    model_init(&m, a, d);
    struct model_service *s = ARENA_NEW(a, struct model_service);
    s->name = "fuzz";
    s->declared = true;
    m.services = m.services_last = s;
    struct model_api *api = ARENA_NEW(a, struct model_api);
    api->id = "fuzz";
    api->revision = "1";
    api->is_current = true;
    api->path = "fuzz";
    api->type = "http";
    api->import_format = "openapi";
    s->apis = s->apis_last = api;
    struct openapi_options o = { OPENAPI_ANY, doc->loc, "https://fuzz.example/specs/a.yaml",
                                 false };
    (void)openapi_import(&m, api, doc, &o);
    model_check(&m);
    gateway_check(&m, false);
    struct buf plan;
    buf_init(&plan, 64u << 20);
    struct plan_options po = { NULL, NULL, NULL, false };
    (void)plan_write(&m, &po, &plan);
    buf_release(&plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct diag d;
    arena_init(&a, 256 * 1024);
    diag_init(&d, &a);
    struct source *src = fuzz_source(&a, &d, "fuzz.yaml", data, size);
    struct jval *doc =
        yaml_text_is_yaml(src->text, size) ? yaml_parse(&a, &d, src) : jval_parse(&a, &d, src);
    if (doc != NULL)
        import(&a, &d, doc);
    fuzz_finish(&a, &d);
    return 0;
}
