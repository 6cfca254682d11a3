/* openapi.h - OpenAPI 3.x and Swagger 2.0 specifications imported into an
 * API of the model, as API Management's importer creates its operations.
 *
 * Three places import: an API resource's `format` + `value` (model_build.c),
 * the specification file of an APIOps API folder (apiops), and a bare
 * specification served on its own (compile.c, `--path`). All of them hand
 * over a document already read into located values (JSON with jval_parse,
 * YAML with yaml_parse, text inside a template's string as an embedded
 * source), so every diagnostic points into the specification's own text.
 * Ownership: operations and their strings live in the model's arena.
 * Errors: located diagnostics (APIM7xxx); the functions return -1 when the
 * document could not be imported at all.
 */
#ifndef APIM_COMPILER_OPENAPI_H
#define APIM_COMPILER_OPENAPI_H

#include "model.h"

/* What the declaring side says the document is. */
enum openapi_flavor {
    OPENAPI_ANY,     /* decide from the document ("openapi" or "swagger" key) */
    OPENAPI_V3,      /* openapi, openapi+json */
    OPENAPI_SWAGGER2 /* swagger-json */
};

/* Imports doc (an OpenAPI or Swagger document) into api: operations,
 * serviceUrl when the API sets none. at is where the import is declared
 * (the `value` property, the specification file). */
int openapi_import_doc(struct model *m, struct model_api *api, const struct jval *doc,
                       enum openapi_flavor flavor, struct loc at);

/* Reads src as JSON or YAML (by its first character) and imports it. */
int openapi_import_source(struct model *m, struct model_api *api, const struct source *src,
                          enum openapi_flavor flavor, struct loc at);

#endif
