/* policy_expr.h - the C# expressions of a policy document, each parsed once
 * by the expression front end (csx/csx.h) and its syntax errors located
 * where they are written.
 *
 * What is an expression: an attribute value that is one island '@(...)' or
 * '@{...}' from its first byte to its last, and element text that is one
 * island with nothing but white space beside it (policy_xml.h finds the
 * islands). Anything else around an island makes the value text, as API
 * Management reads it.
 * Text: the island's entities and character references are decoded
 * (&quot; is '"'), in the xml format and in rawxml alike: Microsoft's AI
 * gateway labs deploy policy files with &quot; inside expressions as rawxml
 * (ai-gateway modules/apim/v3/inference-api.bicep), and a rawxml expression
 * that needs no entity has none to decode. Named values: API
 * Management substitutes {{name}} in the policy text before it compiles
 * the expressions, so {{name}} is replaced by the named value's value when
 * it is a plain one, and by '0' when its value is unknown here (secret, Key
 * Vault, undefined, a --sample-parameters stand-in): '0' is an expression
 * wherever one may stand and harmless inside a string literal, where most
 * named values are written.
 * Locations: every byte of the parsed text keeps the offset it came from in
 * the policy text (an entity's bytes: its '&'; a substituted value's: its
 * {{name}}), so a diagnostic lands on the very byte of the template or
 * policy file. Costs: one pass over each island, one parse; a source is
 * made only for an expression that has errors.
 * Binding: each expression that parses is bound too (csx_bind.h: names,
 * types, APIM8010..APIM8016); the '0' put for an unknown named value is
 * marked as a stand-in (typed dynamic, not int), and the value of
 * set-variable is checked for a type a variable may hold. Like a syntax
 * error, a binding error makes the expression be parsed and bound again in
 * a located source, once.
 * Errors: APIM8001..APIM8008 and APIM8010..APIM8016, recorded in m->diag.
 */
#ifndef APIM_COMPILER_POLICY_EXPR_H
#define APIM_COMPILER_POLICY_EXPR_H

#include "model.h"

/* Parses every expression of the policy document v (read into o) of
 * service s. A document with XML syntax errors is skipped: its islands are
 * the reader's guesses. */
void policy_expr_check(struct model *m, struct model_service *s, const struct jval *v,
                       const struct policy_outline *o);

/* Parses the value of every plain named value of s that is an expression
 * ('@(' or '@{' first: "plain and secret values can contain policy
 * expressions", api-management-howto-properties), once, located in its own
 * string. Secret values are not read: a finding would quote them. */
void policy_expr_check_named_values(struct model *m, struct model_service *s);

/* Compiles one expression (text: "@(...)" or "@{...}", entities decoded,
 * {{named values}} as written) to its program blob (csx_emit.h), appended
 * to out; scratch holds the tree. Named values are substituted first, as
 * API Management does before it compiles: 0 when compiled; 1 when a named
 * value's value is not in the configuration (a secret, a Key Vault
 * reference, one not declared: the program would be compiled with a
 * stand-in, so it is not compiled); -1 when it does not parse or compile
 * (apim validate reports why: policy_expr_check). Records nothing. */
int policy_expr_compile(struct model *m, struct model_service *s, struct str text,
                        struct arena *scratch, struct buf *out);

#endif
