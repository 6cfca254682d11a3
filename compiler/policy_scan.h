/* policy_scan.h - an outline of a policy document: which policy elements it
 * uses, in which section, with their literal attributes.
 *
 * The gateway does not run policies yet. This outline is what the plan
 * writer needs meanwhile: set-backend-service with a literal backend-id or
 * base-url is honoured, and every other policy is reported as not applied
 * (never skipped silently). It is a tolerant scanner, not the policy
 * compiler: expressions (@(...), @{...}) inside attributes are stepped over
 * with their quotes and brackets, and anything it cannot read ends the scan.
 * Ownership: results live in the arena.
 */
#ifndef APIM_COMPILER_POLICY_SCAN_H
#define APIM_COMPILER_POLICY_SCAN_H

#include "jval.h"

struct policy_attr {
    struct str name, value;
    bool literal; /* no expression, no {{named value}} */
};

struct policy_element {
    struct str name;    /* "set-header" */
    struct str section; /* "inbound", "backend", "outbound", "on-error" */
    unsigned depth;     /* 0 = directly inside the section */
    size_t offset;      /* of the name in the decoded text */
    struct policy_attr *attrs;
    size_t nattrs;
    struct policy_element *next;
};

/* Outlines the policy text of v (a string). Returns the elements in document
 * order, or NULL if there are none. */
struct policy_element *policy_scan(struct arena *a, const struct jval *v);

/* The literal value of attribute name, or an empty slice. */
struct str policy_attr_literal(const struct policy_element *e, const char *name);

#endif
