/* policy_pipeline.h - the effective pipeline of a call as a tree: every
 * element policy_compose_walk meets (fragments inlined, <base/> resolved),
 * with its scope, location, attributes, text and expressions. The plan
 * writer (plan_pipeline.c) stores it and the data-flow checks
 * (policy_flow.c) read it, so both see the composition apimlocal shows in
 * 'apim policy show'.
 *
 * Steps: a policy (a child of a section, of a container policy or of a
 * when/otherwise), a configuration element (<value>, <when>, <set-url>),
 * or the product slot (policy_compose_walk_opts.product_slot) where the
 * product scope's section runs, chosen per request. An element holding
 * text (<set-body>, <value>) keeps it verbatim in text; its children are
 * not steps. An expression is an attribute value or element text that is
 * one island '@(...)' or '@{...}' (as policy_expr.h reads them), decoded.
 * Ownership: everything lives in the call's model arena.
 * Errors: policy_pipeline_build returns -1 when part of the policy could not
 * be composed (problem says what); the tree holds the rest.
 */
#ifndef APIM_COMPILER_POLICY_POLICY_PIPELINE_H
#define APIM_COMPILER_POLICY_POLICY_PIPELINE_H

#include "policy_catalog.h"
#include "policy_compose.h"

struct policy_pipeline_expr {
    struct str text;          /* "@(...)" or "@{...}", entities decoded */
    const struct jval *value; /* the policy text it is written in */
    size_t offset;            /* of its '@' in that text (policy_pipeline_at) */
};

struct policy_pipeline_attr {
    struct str name, value;                  /* value decoded */
    const struct policy_pipeline_expr *expr; /* the value is one expression, or NULL */
};

enum policy_pipeline_kind {
    POLICY_PIPELINE_POLICY,
    POLICY_PIPELINE_ELEMENT, /* a policy's configuration */
    POLICY_PIPELINE_PRODUCT, /* the product slot */
};

struct policy_pipeline_step {
    enum policy_pipeline_kind kind;
    enum policy_id policy; /* POLICY_UNKNOWN for configuration and unknown names */
    struct str name;       /* "set-header"; "" for the product slot */
    unsigned section;      /* POLICY_INBOUND, ... */
    enum policy_compose_level level;
    const char *fragment;     /* the fragment that wrote it, or NULL */
    const struct jval *value; /* the policy text it is written in (NULL: none) */
    size_t offset;            /* of its name in that text (policy_pipeline_at) */
    struct str text;          /* verbatim content, or empty */
    const struct policy_pipeline_expr *text_expr;
    struct policy_pipeline_attr *attrs;
    size_t nattrs, nchildren;
    struct policy_pipeline_step *children, *last_child, *parent, *next;
};

struct policy_pipeline {
    struct policy_pipeline_step *sections[POLICY_NSECTIONS]; /* inbound, backend, ... */
    size_t nsection[POLICY_NSECTIONS];                       /* top-level steps of each */
    size_t nsteps;                                           /* all of them */
    bool has_product;                                        /* holds a product slot */
    const char *problem;
};

/* Builds the pipeline of call composed as opts says into out: 0, or -1
 * with out->problem set (callers that store what could be composed may
 * ignore the result: the checks report the problem). */
int policy_pipeline_build(const struct policy_compose_call *call,
                          const struct policy_compose_walk_opts *opts, struct policy_pipeline *out);

/* "file:line:col" of offset off of policy text v (NULL: ""), in arena a:
 * made on demand, as only some readers print locations. */
const char *policy_pipeline_at(struct arena *a, const struct jval *v, size_t off);

/* The attribute of s named name, or NULL. */
const struct policy_pipeline_attr *policy_pipeline_attr(const struct policy_pipeline_step *s,
                                                        const char *name);

#endif
