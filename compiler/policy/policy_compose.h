/* policy_compose.h - the effective policy of one call: the documents of
 * every scope composed as API Management composes them, written as XML.
 *
 * For each section (inbound, backend, outbound, on-error) the operation's
 * section runs; its <base/> stands for the API's section, whose <base/>
 * stands for the product's (only for a call under a product), whose <base/>
 * stands for the global section; <base/> at global scope has no effect
 * (apim-facts.md 3.1, docs: api-management-howto-policies). A scope without
 * a document, or a document without the section, acts as <base/> alone (as
 * gateway_check.c assumes); a section without <base/> drops the outer
 * scopes' section. Without a global document, the service runs API
 * Management's default global policy, <forward-request/> in backend
 * (docs: forward-request-policy). The workspace scope is not modelled.
 * <include-fragment fragment-id="x"/> is replaced by the fragment's
 * policies, recursively; a cycle or a fragment that cannot be read is
 * written as a comment and reported.
 *
 * Output: <policies> indented by four spaces, each policy preceded by a
 * comment naming the scope that wrote it and where
 * (<!-- api 'orders' · azuredeploy.json:34:58 -->, the file the user wrote,
 * JSON escapes accounted for). Attribute values and text are copied as
 * written (not decoded); an element holding text is copied verbatim.
 * Comments of the original documents are left out, except inside an element
 * copied verbatim.
 * Ownership: call is borrowed; labels live in the model's arena.
 * Errors: -1 if out is full, or if part of the policy could not be
 * composed (*problem says what; the XML is complete otherwise).
 */
#ifndef APIM_COMPILER_POLICY_POLICY_COMPOSE_H
#define APIM_COMPILER_POLICY_POLICY_COMPOSE_H

#include "buf.h"
#include "model.h"

/* The call: an operation of an API, under a product or not. */
struct policy_compose_call {
    struct model *m;
    struct model_service *s;
    const struct model_api *api;
    const struct model_operation *op;
    const struct model_product *product; /* NULL: a call without a product */
};

/* Writes the effective policy of call to out. *problem: NULL, or the first
 * part that could not be composed (a fragment cycle, say). */
int policy_compose(const struct policy_compose_call *call, struct buf *out, const char **problem)
    __attribute__((warn_unused_result));

#endif
