/* openapi.c - PLACEHOLDER until the OpenAPI importer lands (issue 7): it
 * reports every import as not done, so nothing passes silently meanwhile. */
#include "openapi.h"

#include "yaml.h"

int openapi_import_doc(struct model *m, struct model_api *api, const struct jval *doc,
                       enum openapi_flavor flavor, struct loc at)
{
    (void)doc;
    (void)flavor;
    diag_emit(m->diag, DC_IMPORT_NOT_SUPPORTED, at,
              "API '%s': OpenAPI import is not implemented yet; no operations are created",
              api->id);
    return -1;
}

int openapi_import_source(struct model *m, struct model_api *api, const struct source *src,
                          enum openapi_flavor flavor, struct loc at)
{
    struct jval *doc = yaml_text_is_yaml(src->text, src->len) ? yaml_parse(m->arena, m->diag, src)
                                                              : jval_parse(m->arena, m->diag, src);
    return doc ? openapi_import_doc(m, api, doc, flavor, at) : -1;
}
