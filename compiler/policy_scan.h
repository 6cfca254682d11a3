/* policy_scan.h - an outline of a policy document: its elements, which of
 * them stand where a policy stands (and which catalog entry they are), the
 * section each is in, and their literal attributes.
 *
 * It is made from the tree of the policy XML reader (policy/policy_xml.h),
 * which reads both formats (expressions raw or XML-escaped) and reads on
 * after a syntax error: an element left open is closed where its parent
 * closes, a stray end tag is skipped, an unquoted value is still a value.
 * Only what ends the reading (nesting past APIM_MAX_XML_DEPTH, too many
 * errors) leaves the outline incomplete (complete = false, stop = where),
 * so callers never take a partial outline for the whole document.
 * Which elements are policies: the children of a section (or of a policy
 * fragment's root), the children of a container policy (retry, wait,
 * limit-concurrency) and the children of choose's when/otherwise. Other
 * elements are a policy's own configuration (<value>, <set-url>, ...).
 * Ownership: results live in the arena.
 */
#ifndef APIM_COMPILER_POLICY_SCAN_H
#define APIM_COMPILER_POLICY_SCAN_H

#include "jval.h"
#include "policy_catalog.h"
#include "policy_xml.h"

struct policy_attr {
    struct str name, value; /* value: as written, between the quotes */
    bool literal;           /* no expression, no {{named value}} */
    size_t name_offset;     /* in the decoded text */
    size_t value_offset;    /* of value, in the decoded text */
};

struct policy_element {
    struct str name;    /* "set-header" */
    struct str section; /* "inbound", "backend", "outbound", "on-error"; empty in fragments */
    unsigned level;     /* 0 the root, 1 a section (a fragment: a policy), ... */
    unsigned depth;     /* levels below the section: 0 = directly inside it */
    size_t offset;      /* of the name in the decoded text */
    size_t content;     /* where its content starts (after the open tag's '>') */
    size_t content_end; /* where it ends (its closing tag's '<'); = content if empty */
    struct policy_attr *attrs;
    size_t nattrs;
    bool is_policy;        /* stands where a policy stands */
    enum policy_id policy; /* its catalog entry (POLICY_UNKNOWN if none); policies only */
    struct policy_element *parent;
    struct policy_element *next;
};

struct policy_outline {
    struct policy_element *elements; /* in document order; NULL if none */
    const struct policy_element *root;
    bool fragment;                    /* the root is <fragment>: a policy fragment */
    bool complete;                    /* false: the scan stopped at stop */
    size_t stop;                      /* offset in the decoded text */
    const struct policy_xml_doc *xml; /* the reader's tree and comments; NULL if no text */
};

/* Outlines the policy text of v (a string). A value that is not a string
 * gives an empty, complete outline. Syntax errors are not reported. */
void policy_scan(struct arena *a, const struct jval *v, struct policy_outline *out);

/* The same, reporting the syntax errors in d (APIM1030..APIM1039), located
 * where the text is written: in the JSON string with its escapes accounted
 * for, or at the expression that built it. */
void policy_scan_report(struct arena *a, struct diag *d, const struct jval *v,
                        struct policy_outline *out);

/* A source for the policy text of v (a string) whose positions land where
 * the text is written: in its JSON string with the escapes accounted for,
 * in a policy file, or (text an ARM expression built) at that expression.
 * It lives in d's arena; made on demand, as it costs a pass over the text. */
const struct source *policy_scan_source(struct arena *a, struct diag *d, const struct jval *v);

/* Liquid template bodies (<set-body template="liquid">): their {{ }} and
 * {% %} are Liquid, not named values. Finds the next body that ends after
 * offset from: [*start, *end) in the decoded text, or false if none. The
 * walk resumes at *cursor (start it at the outline's elements), so a caller
 * scanning the text in order visits each element once. */
bool policy_liquid_next(const struct policy_element **cursor, size_t from, size_t *start,
                        size_t *end);

/* The literal value of attribute name, or an empty slice. */
struct str policy_attr_literal(const struct policy_element *e, const char *name);

#endif
