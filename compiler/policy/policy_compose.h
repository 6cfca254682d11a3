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
 * (docs: forward-request-policy). The workspace scope is not modelled:
 * model_build.c reports each workspace policy document (APIM4039).
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

/* The scopes, broad to narrow. */
enum policy_compose_level {
    POLICY_COMPOSE_GLOBAL,
    POLICY_COMPOSE_PRODUCT,
    POLICY_COMPOSE_API,
    POLICY_COMPOSE_OPERATION,
};

/* The call: an operation of an API, under a product or not. */
struct policy_compose_call {
    struct model *m;
    struct model_service *s;
    const struct model_api *api;
    const struct model_operation *op;
    const struct model_product *product; /* NULL: a call without a product */
};

/* One element of the composed policy, as policy_compose_walk meets it. */
struct policy_compose_step {
    const struct policy_xml_node *e; /* NULL: the default global <forward-request/> */
    const struct jval *value;        /* the policy text e is in (NULL with e) */
    enum policy_compose_level level; /* the scope whose document (or fragment) wrote it */
    const char *fragment;            /* the fragment it comes from, or NULL */
    bool is_policy;                  /* stands where a policy stands (else configuration) */
    bool verbatim;                   /* holds text: its children are not walked */
};

/* What policy_compose_walk calls, in document order: section for each of
 * inbound, backend, outbound, on-error; open and close around every element
 * (nested elements in between); product where the product scope's section
 * would run (only with product_slot); enter (may be NULL) when the walk
 * comes to a scope's document in the current section, before its elements
 * (also for a document that cannot be read or lacks the section). A
 * document that cannot be read is walked as if it were <base /> alone:
 * what it inherits is unknown, so the walk assumes everything (failing
 * safe, as gateway_check.h decides); policy_compose writes a comment there
 * instead. */
struct policy_compose_sink {
    void *ctx;
    void (*section)(void *ctx, unsigned bit);
    void (*open)(void *ctx, const struct policy_compose_step *step);
    void (*close)(void *ctx);
    void (*product)(void *ctx);
    void (*enter)(void *ctx, enum policy_compose_level level, const struct model_policy *doc);
};

/* How policy_compose_walk composes: from scope top inward (the narrower
 * scopes of call are ignored, and may be NULL: top API needs no operation;
 * top PRODUCT with call->product NULL runs the global scope alone) and, with product_slot, without
 * the product and global scopes: the sink's product is called where they would run, so one walk
 * serves every product (the plan's choice, plan_format.h). */
struct policy_compose_walk_opts {
    enum policy_compose_level top;
    bool product_slot;
};

/* Writes the effective policy of call to out. *problem: NULL, or the first
 * part that could not be composed (a fragment cycle, say). */
int policy_compose(const struct policy_compose_call *call, struct buf *out, const char **problem)
    __attribute__((warn_unused_result));

/* The same composition, told to sink instead of written: 0, or -1 when part
 * could not be composed (*problem says what; the walk is complete
 * otherwise, the part left out). Callers that only collect what composes
 * may ignore the result: the checks report those problems. */
int policy_compose_walk(const struct policy_compose_call *call,
                        const struct policy_compose_walk_opts *opts,
                        const struct policy_compose_sink *sink, const char **problem);

/* file:line:col of offset off of policy text v in the file the user wrote
 * (JSON escapes accounted for), in arena a; "unknown location" if none. */
const char *policy_compose_at(struct arena *a, const struct jval *v, size_t off);

#endif
