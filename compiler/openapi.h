/* openapi.h - OpenAPI 3.x and Swagger 2.0 specifications imported into an
 * API of the model, as API Management's importer creates its operations.
 *
 * Three places import: an API resource's `format` + `value` (model_build.c,
 * through model_import.c), the specification file of an APIOps API folder
 * (apiops), and a bare specification served on its own (compile.c,
 * `--path`). All of them hand over a document already read into located
 * values (JSON with jval_parse, YAML with yaml_parse, text inside a
 * template's string as an embedded source), so every diagnostic points into
 * the specification's own text.
 *
 * What an import makes (docs/openapi.md has the rules and their sources):
 * one operation per path and method, named after its normalised operationId
 * (or method and path), with the URL template, template parameters, request
 * and responses (with their examples) API Management derives; the API's
 * service URL from the servers (or host, basePath and schemes) when the API
 * sets none, and its display name from info.title when it has none.
 * Ownership: operations and their strings live in the model's arena; the
 * operations keep pointers into the document's values (examples).
 * Errors: located diagnostics (APIM7xxx); the functions return -1 when the
 * document could not be imported at all (it is not an OpenAPI or Swagger
 * document of a version API Management imports).
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

struct openapi_options {
    enum openapi_flavor flavor;
    struct loc at;              /* where the import is declared (the value, the file) */
    const char *base_url;       /* the URL the document was published at (a *-link
                                   import): relative server URLs resolve against it */
    bool query_params_as_query; /* translateRequiredQueryParameters: "query" */
};

/* Imports doc into api with the options above. */
int openapi_import(struct model *m, struct model_api *api, const struct jval *doc,
                   const struct openapi_options *o);

/* Imports doc (an OpenAPI or Swagger document) into api: operations,
 * serviceUrl when the API sets none. at is where the import is declared
 * (the `value` property, the specification file). */
int openapi_import_doc(struct model *m, struct model_api *api, const struct jval *doc,
                       enum openapi_flavor flavor, struct loc at);

/* Reads src as JSON or YAML (by its first character) and imports it. */
int openapi_import_source(struct model *m, struct model_api *api, const struct source *src,
                          enum openapi_flavor flavor, struct loc at);

/* True if doc has the "openapi" or "swagger" member that marks an OpenAPI
 * or Swagger document. */
bool openapi_is_document(const struct jval *doc);

/* API Management's operation name for text (an operationId, or "GET /path"):
 * lower case, each run of other characters than a-z and 0-9 one '-', no '-'
 * at either end, at most OPENAPI_NAME_MAX characters. "" if nothing is left. */
#define OPENAPI_NAME_MAX 76
const char *openapi_normalize_name(struct arena *a, const char *text);

/* The URL template API Management makes for path with the required query
 * parameters names[0..n): "/users/{id}?a={a}&b={b}". */
const char *openapi_url_template(struct arena *a, const char *path, const char *const *names,
                                 size_t n);

#endif
