/* report.h - renders a run's diagnostics for machines: JSON, SARIF 2.1.0 and
 * GitHub workflow annotations (text is diag_render_text in diag.h).
 * Output goes into a caller-owned buffer; nothing is printed here.
 * Errors: report_render returns -1 only if the buffer limit is hit.
 */
#ifndef APIM_COMPILER_REPORT_H
#define APIM_COMPILER_REPORT_H

#include "compile.h"

enum report_format {
    REPORT_TEXT,
    REPORT_JSON,
    REPORT_SARIF,
    REPORT_GITHUB
};

/* "text", "json", "sarif" or "github"; -1 for anything else. */
int report_parse_format(const char *name, enum report_format *out);

/* Renders every diagnostic of c (sorted) in the given format. */
int report_render(const struct compiler *c, enum report_format f, struct buf *out);

struct report_options {
    /* Absolute base URL of apimlocal's docs/ folder: SARIF rules then link
     * their helpUri to <docs_url>/validate.md#apimNNNN. SARIF wants helpUri
     * absolute, so without it the rules carry no helpUri. */
    const char *docs_url;
};

/* report_render with options (NULL: none). */
int report_render_with(const struct compiler *c, enum report_format f,
                       const struct report_options *opt, struct buf *out);

/* True if url is absolute ("scheme://..."), as a docs_url must be. */
bool report_url_is_absolute(const char *url);

/* The kind of a unit as a word: "template", "parameters", ... */
const char *report_kind_name(enum compile_kind k);

#endif
