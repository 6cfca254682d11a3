/* plan_json.h - a loaded plan as JSON, for `apim plan show`, the admin API and
 * golden tests. Keys and secret named values are masked unless show_secrets.
 * Errors: returns -1 only if out hit its limit. */
#ifndef APIM_RUNTIME_PLAN_JSON_H
#define APIM_RUNTIME_PLAN_JSON_H

#include "buf.h"
#include "plan.h"

int plan_json(const struct plan *p, bool show_secrets, struct buf *out);

/* "****" + the last 4 characters: how keys appear in listings and logs. */
const char *plan_mask(struct str key, char out[16]);

#endif
