/* bodyplan.h - which operations need a request body whole before the
 * backend is called, decided once per plan.
 *
 * The gateway streams a request body to the backend as it arrives (memory
 * stays bounded whatever the client sends) unless a policy of the
 * operation's effective pipeline may read it: a policy that works on the
 * body (set-body, validate-content, json-to-xml, xml-to-json, xsl-transform,
 * find-and-replace, the request side of cache-store and the like), or any
 * policy whose text or attribute mentions "Body" (an expression reading
 * context.Request.Body). The plan does not say which body an expression
 * reads, so the rule errs towards holding the body: a false "needs it" costs
 * memory, a false "does not" would lose the body.
 * A product step (plan_format.h) counts as the union of every product's
 * pipeline and the no-product one.
 *
 * Ownership: bodyplan_new returns an array of p->nops flags the caller
 * frees with free(). Errors: none (the plan is verified).
 */
#ifndef APIM_RUNTIME_BODYPLAN_H
#define APIM_RUNTIME_BODYPLAN_H

#include <stdbool.h>

#include "plan.h"

/* true at [op]: hold operation op's request bodies whole. */
bool *bodyplan_new(const struct plan *p);

/* True if the policy element name works on the message body. */
bool bodyplan_policy_reads_body(struct str name);

#endif
