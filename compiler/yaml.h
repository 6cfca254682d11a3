/* yaml.h - YAML documents (OpenAPI specs, APIOps configuration files) read
 * into the same located values as JSON (jval.h), so one importer serves both.
 *
 * libfyaml parses; this module turns its event stream into jval nodes whose
 * locations are byte ranges of the YAML text. Plain scalars are typed by the
 * YAML 1.2 core schema (null, bool, int, float, else string), quoted and block
 * scalars are strings, `!!str` forces a string. Anchors and aliases are kept
 * as shared subtrees (an alias costs nothing, so "billion laughs" documents
 * cannot blow up memory); merge keys (`<<`) copy the members the mapping
 * does not set itself. Duplicate keys, complex keys and a stream of several
 * documents are errors, as in the parsers APIM and APIOps use.
 * Ownership: nodes and strings live in the arena.
 * Errors: located diagnostics; yaml_parse returns NULL if the text had any
 * syntax error.
 */
#ifndef APIM_COMPILER_YAML_H
#define APIM_COMPILER_YAML_H

#include "jval.h"

/* Parses src as one YAML document. An empty document is APIM1014. */
struct jval *yaml_parse(struct arena *a, struct diag *d, const struct source *src);

/* True when the text looks like YAML rather than JSON: its first significant
 * character does not open a JSON object or array. */
bool yaml_text_is_yaml(const char *text, size_t len);

#endif
