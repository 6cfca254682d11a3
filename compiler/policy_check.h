/* policy_check.h - the policy documents of a service against the policy
 * catalog: what Azure refuses when the policy is saved. Each document is
 * outlined once (policy_scan.h; the outline is kept on the model for the
 * later passes), then: the root element (<policies>, or <fragment> for a
 * policy fragment), the section names, unknown policies (with "did you
 * mean"), policies in a section or at a scope their reference page does not
 * list, and text the outline cannot read (a warning: the rest is unchecked);
 * and the C# of every expression, in the documents and in named values
 * (policy_expr.h).
 * Errors: located diagnostics in the policy text (APIM4011..APIM4049,
 * APIM8001..APIM8008).
 */
#ifndef APIM_COMPILER_POLICY_CHECK_H
#define APIM_COMPILER_POLICY_CHECK_H

#include "model.h"

/* Outlines and checks every policy document and fragment of s. */
void policy_check_service(struct model *m, struct model_service *s);

#endif
