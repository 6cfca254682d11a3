/* plan_json.h - a loaded plan as JSON, for `apim plan show`, the admin API and
 * golden tests. Keys and secret named values are masked unless show_secrets.
 * Errors: returns -1 only if out hit its limit. */
#ifndef APIM_RUNTIME_PLAN_JSON_H
#define APIM_RUNTIME_PLAN_JSON_H

#include <jansson.h>

#include "buf.h"
#include "plan.h"

int plan_json(const struct plan *p, bool show_secrets, struct buf *out);

/* A JSON string of v; a plan may hold names that are not UTF-8 (templates
 * can make them), whose bytes beyond ASCII are then shown as '?' rather than
 * the value being lost. */
json_t *plan_json_text(struct str v);

/* An operation's contract (PLAN_SEC_OP_CONTRACTS) as a JSON object: a new
 * reference, or NULL when the operation has none or its text is not JSON. */
json_t *plan_json_contract(const struct plan_operation *op);

/* Pipeline i as {"inbound": [steps], "backend": ..., "outbound": ...,
 * "on-error": ...}, each step with its policy (or element) name, scope,
 * section, location, fragment, attributes (expressions marked) and
 * children; a product step as {"product": ...}. The loader bounded the
 * nesting. plan_json_pipelines: all of them, as an array. */
json_t *plan_json_pipeline(const struct plan *p, uint32_t i);
json_t *plan_json_pipelines(const struct plan *p);

/* "****" + the last 4 characters: how keys appear in listings and logs. */
const char *plan_mask(struct str key, char out[16]);

#endif
