/* url_template.h - APIM operation URL templates: "/users/{id}/orders?date={date}".
 *
 * A template is a path of '/'-separated segments, each mixing literal text
 * and {parameters}, optionally ending in a '*' wildcard segment, then an
 * optional query of name={parameter} or name=literal pairs joined by '&'.
 * Ownership: results live in the arena. Errors: syntax errors are located
 * diagnostics (inside the JSON string when the template is a literal).
 */
#ifndef APIM_COMPILER_URL_TEMPLATE_H
#define APIM_COMPILER_URL_TEMPLATE_H

#include <stdbool.h>

#include "jval.h"

struct url_template_param {
    const char *name;
    bool in_query;
    struct loc loc;
};

struct url_template {
    struct url_template_param *params;
    size_t nparams;
    bool wildcard; /* ends in a "*" segment */
};

/* Parses the template string node v. Returns 0, or -1 after reporting. */
int url_template_parse(struct arena *a, struct diag *d, const struct jval *v,
                       struct url_template *out);

/* A key that is equal for two templates exactly when they match the same
 * requests: parameter names dropped, path case folded, query names sorted. */
const char *url_template_key(struct arena *a, const char *text);

#endif
