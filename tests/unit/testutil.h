/* testutil.h - helpers for compiler unit tests: compile a template or a JSON
 * text given inline, then ask what diagnostics came out.
 *
 * Inline JSON is written with backquotes for double quotes, so templates
 * read naturally inside C strings: "{`resources`: []}".
 */
#ifndef APIM_TESTS_TESTUTIL_H
#define APIM_TESTS_TESTUTIL_H

#include <stdbool.h>

#include "arm.h"
#include "diag.h"
#include "jval.h"
#include "model.h"
#include "plan.h"

struct tu {
    struct arena arena;
    struct diag diag;
    struct arm_env env;
    struct model model;
    struct jval *doc;
};

void tu_init(struct tu *t);
void tu_release(struct tu *t);

/* Parses text (backquotes become double quotes) as file "test.json". */
struct jval *tu_parse(struct tu *t, const char *text);

/* Parses, evaluates and builds + checks the model of a template. params is
 * NULL or a NULL-terminated list of "name=value" overrides. Returns the
 * number of errors. */
unsigned tu_template(struct tu *t, const char *text, const char *const *params);

/* Evaluates one ARM expression string such as "[concat('a', 'b')]" in a
 * template with the given parameters and variables objects (inline JSON,
 * may be NULL). Returns the value, or NULL after an error. */
struct jval *tu_eval_in(struct tu *t, const char *params, const char *vars, const char *expr);
struct jval *tu_eval(struct tu *t, const char *expr);

/* Number of diagnostics with this code (notes attached to entries are not
 * counted). */
unsigned tu_count(const struct tu *t, enum diag_code code);

/* True if a diagnostic with this code has msg_part in its message. */
bool tu_has(const struct tu *t, enum diag_code code, const char *msg_part);

/* Line and column of the first diagnostic with this code (0 if none). */
void tu_where(const struct tu *t, enum diag_code code, unsigned *line, unsigned *col);

/* Compiles a template (as tu_template) and loads the routing plan made from
 * it (plan_write, then plan_load_bytes). Returns NULL, with the diagnostics
 * in t, if either step failed; the caller frees the plan with plan_free. */
struct plan *tu_plan(struct tu *t, const char *text, const char *const *params);

/* The same from a file on disk (an ARM template or the seed's document). */
struct plan *tu_plan_file(struct tu *t, const char *path, const char *const *params);

/* Compact JSON of a value, in the arena ("null" for NULL). */
const char *tu_json(struct tu *t, const struct jval *v);

/* All diagnostics rendered as text, for failure messages. */
const char *tu_text(struct tu *t);

#endif
