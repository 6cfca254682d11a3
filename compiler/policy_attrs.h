/* policy_attrs.h - what each policy element may hold, as data: its
 * attributes (type, required, default, allowed values, range, whether a
 * policy expression may stand there), its child elements (how many, what
 * they hold) and its placement rules (once per document or section, not in
 * a fragment). One X-macro file, policy_attrs.def, is the single source (its
 * header explains the rows and why they are a second file); policy_check.c
 * checks documents against it, and docs/policies.md is generated from it
 * (apim validate --list-policy-attributes).
 * Ownership: the tables are static and read-only; the index over them is
 * built on first use and never freed (the process owns it).
 * Errors: lookups return NULL for names the table does not have.
 */
#ifndef APIM_COMPILER_POLICY_ATTRS_H
#define APIM_COMPILER_POLICY_ATTRS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "policy_catalog.h"

enum policy_attr_type {
    POLICY_T_STR,  /* any text */
    POLICY_T_INT,  /* a decimal integer */
    POLICY_T_SECS, /* a decimal integer, in seconds */
    POLICY_T_NUM,  /* a decimal number */
    POLICY_T_BOOL, /* true or false */
    POLICY_T_ENUM, /* one of the row's allowed values */
    POLICY_T_URL,  /* an absolute http or https URL */
    POLICY_T_TIME, /* an ISO 8601 date and time */
};

enum policy_attr_flags {
    POLICY_A_REQ = 1 << 0,    /* required */
    POLICY_A_NOEXPR = 1 << 1, /* no policy expression */
    POLICY_A_ONE_OF = 1 << 2, /* at least one of the element's ONE_OF attributes */
    POLICY_A_EXCL = 1 << 3,   /* at most one of the element's EXCL attributes */
    /* Resolved when the policy is saved (include-fragment's fragment-id): an
     * expression there names nothing, so API Management refuses it even
     * where the attribute is text. */
    POLICY_A_SAVED = 1 << 4,
    /* Its value names a context variable that the policy sets (set-variable
     * name, send-request response-variable-name, ...): read by the
     * data-flow checks (policy_flow.c). */
    POLICY_A_SETS_VAR = 1 << 5,
};

/* What an element holds besides the child elements of its rows. */
enum policy_content {
    POLICY_X_EMPTY,         /* nothing */
    POLICY_X_TEXT,          /* text or an expression (markup in it is payload) */
    POLICY_X_ELEMENTS,      /* only its child rows */
    POLICY_X_MIXED,         /* its child rows, and text between them */
    POLICY_X_POLICIES,      /* policies (a child row with max 0 forbids one) */
    POLICY_X_SOME_POLICIES, /* only the policies of its child rows */
    POLICY_X_ANY,           /* free-form, not checked */
};

enum policy_rules {
    POLICY_R_ONCE_DOC = 1 << 0,     /* once per policy document */
    POLICY_R_ONCE_SECTION = 1 << 1, /* once per section */
    POLICY_R_NO_FRAGMENT = 1 << 2,  /* not inside a policy fragment */
    POLICY_R_INHERITS = 1 << 3,     /* <base/>: inherits the parent scope (none at global) */
};

enum policy_child_flags {
    POLICY_C_LAST = 1 << 0,   /* must be the last child */
    POLICY_C_ONE_OF = 1 << 1, /* at least one of the element's ONE_OF children */
};

#define POLICY_ATTRS_NOMAX 2147483647LL
#define POLICY_ATTRS_MANY  0xFFFFu
/* The most child rows one element has (a unit test keeps the table under it). */
#define POLICY_ATTRS_MAX_CHILDREN 16

struct policy_attr_info {
    const char *name;
    enum policy_attr_type type;
    unsigned flags;      /* enum policy_attr_flags */
    const char *def;     /* the default, as written, or NULL */
    const char *allowed; /* T_ENUM: "a|b|c"; NULL otherwise */
    long long min, max;  /* integer range; min == max == 0: none */
};

struct policy_child_info {
    const char *name;
    const char *path;  /* its element row, or NULL: free-form */
    unsigned min, max; /* occurrences; POLICY_ATTRS_MANY: no limit */
    unsigned flags;    /* enum policy_child_flags */
};

struct policy_element_info {
    const char *path; /* "rate-limit api operation" */
    const char *name; /* its last name: "operation" */
    enum policy_content content;
    unsigned rules; /* enum policy_rules */
    const struct policy_attr_info *attrs;
    size_t nattrs;
    const struct policy_child_info *children;
    size_t nchildren;
};

/* The element rows, sorted by path. */
size_t policy_attrs_count(void);
const struct policy_element_info *policy_attrs_at(size_t i);

/* The element row of path, or NULL. */
const struct policy_element_info *policy_attrs_find(const char *path);

/* The row of a policy (its own name), or NULL if the table lacks it. */
const struct policy_element_info *policy_attrs_policy(enum policy_id id);

/* The attribute or child row of e named name, or NULL. */
const struct policy_attr_info *policy_attrs_attr(const struct policy_element_info *e,
                                                 struct str name);
const struct policy_child_info *policy_attrs_child(const struct policy_element_info *e,
                                                   struct str name);

/* The element row a child row points at (NULL: free-form). */
const struct policy_element_info *policy_attrs_child_element(const struct policy_child_info *c);

/* Checks a literal value against a row: NULL if it fits, else what is
 * wrong, as a phrase to follow "must be" ("an integer", "at most 300", "one
 * of 'a', 'b'"), written into buf. */
const char *policy_attrs_check_value(const struct policy_attr_info *a, struct str value, char *buf,
                                     size_t n);

/* The name of a type, for messages and docs ("integer", "seconds", ...). */
const char *policy_attrs_type_name(enum policy_attr_type t);

#endif
