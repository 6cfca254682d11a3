/* policy_flow.h - data-flow checks over each operation's effective
 * pipeline (policy/policy_pipeline.h: the operation's and API's documents
 * composed through <base />, fragments inlined): a context variable read
 * by an expression before, or without, a policy that sets it.
 *
 * Order: the pipeline's sections run inbound, backend, outbound, and
 * on-error after any of them; within a section, document order; a policy's
 * own expressions (attributes, text, configuration elements, nested
 * policies) run before it sets its variable (send-request's body is built
 * before its response is stored). Which attributes set a variable is data:
 * the A_SETS_VAR rows of policy_attrs.def. A branch of choose counts as
 * setting (a may-analysis: the checks report only reads that no path can
 * satisfy). retry's condition runs after its children (F_AFTER_KIDS in
 * policies.def). An include-fragment that could not be inlined (reported
 * by the checks) may set anything: "never set" is not judged then.
 * Reads (in the expression's syntax tree, csx_parse): context.Variables["x"]
 * (also cast, as (IResponse)context.Variables["x"]) and
 * context.Variables.GetValueOrDefault("x"[, default]) /
 * GetValueOrDefault<T>(...). A read in an expression that also asks
 * ContainsKey("x") or TryGetValue("x", ...) is guarded and not judged.
 *
 *   APIM4034 error    Variables["x"] before any policy that sets x
 *                     (the indexer throws KeyNotFoundException: the
 *                     request goes to on-error)
 *   APIM4035 warning  GetValueOrDefault("x") before the setter: always
 *                     the default there
 *   APIM4036 error    Variables["x"] and nothing in the pipeline, the
 *                     global policy or any product's sets x
 *   APIM4037 warning  GetValueOrDefault("x") and nothing sets x
 *   APIM4038 warning  x is set only by a product's policy (at the product
 *                     slot): calls under other products, or without
 *                     one, miss it
 *
 * The product scope is chosen per request: at the place where the API's
 * <base /> runs it, the global document's section counts as setting (it
 * runs under every product that keeps <base />, and without a product), a
 * product's only as "might" (APIM4038). A setter whose name is an
 * expression makes "never set" unknowable: those reads are not judged.
 * Names compare ignoring case (lenient). Each read is reported once, for
 * the first operation whose pipeline shows it. The workspace scope is not
 * composed (model_build.c reports workspace resources).
 * Costs: one pipeline per distinct (operation document, API document)
 * pair, one per product; each expression parsed once per pipeline.
 * Errors: located diagnostics in m->diag.
 */
#ifndef APIM_COMPILER_POLICY_FLOW_H
#define APIM_COMPILER_POLICY_FLOW_H

#include "model.h"

/* Runs after model_check, on every service of m. */
void policy_flow_check(struct model *m);

#endif
