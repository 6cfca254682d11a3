/* gateway_check.h - what the local gateway will do with a checked model,
 * reported the same way by every command (validate, compile, gateway start):
 *
 *   APIM6001  a policy the gateway does not apply yet (never skipped
 *             silently)
 *   APIM6004  an API it cannot serve (no path, WebSocket)
 *   APIM6006  a set-backend-service base-url built from named values that
 *             cannot be resolved at compile time (secret, Key Vault,
 *             expression, undefined): its section fails closed
 *   APIM6005  an operation that fails closed: its effective policy (global,
 *             product, API, operation, composed through <base />) holds a
 *             policy that refuses requests (catalog flag FAIL_CLOSED) which
 *             the gateway does not apply, so the gateway answers 500 instead
 *             of letting the request through
 *
 * The results are kept on the model for plan_write: each policy document's
 * effect (sections with <base />, sections that fail closed and why), each
 * operation's closed/closed_bare/reach, each product's closed sections, and
 * each API's not_served. Composition is policy_compose_walk's, the one
 * 'apim policy show' and the plan's pipelines use (policy_compose.h): a
 * section of a narrower document runs the outer scope's section only where
 * it has <base />; a scope without a document inherits everything; which
 * documents an operation (or a product) runs in each section, and where it
 * reaches the product scope (its reach), are read from that walk. Decisions
 * made to fail safe: a document without a section inherits that section; a
 * document that cannot be read (linked from a URL, known only at
 * deployment, text the outline cannot read, a fragment that cannot be
 * resolved) fails closed in every section, and the walk assumes it
 * inherits everything.
 * A set-backend-service base-url whose {{named values}} are all plain is
 * resolved in place: its attribute in the outline becomes the literal URL
 * (arena text, no longer a slice of the policy), which plan_write reads.
 * Errors: located warnings; nothing fails.
 */
#ifndef APIM_COMPILER_GATEWAY_CHECK_H
#define APIM_COMPILER_GATEWAY_CHECK_H

#include <stdbool.h>

#include "model.h"

/* True if the local gateway applies policy element e (of a document at
 * scope): base; forward-request at the top of backend; set-backend-service
 * at the top of inbound with a literal backend-id or base-url (after
 * gateway_check, also one built from plain named values), outside product
 * scope. plan_write reads what these set. */
bool gateway_check_applied(const struct policy_element *e, enum model_scope scope);

/* Runs after model_check. allow_unenforced (--allow-unenforced-policies)
 * changes only the wording of APIM6005: such operations are served. */
void gateway_check(struct model *m, bool allow_unenforced);

#endif
