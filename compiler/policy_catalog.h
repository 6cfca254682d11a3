/* policy_catalog.h - the API Management policies as data: every policy
 * element, where it may stand (sections) and live (scopes), and what kind
 * of policy it is (flags). One X-macro list, policies.def, is the single
 * source; this header expands it into enum policy_id, and policy_catalog.c
 * into the table. The checks (policy_check.c), the local gateway's view
 * (gateway_check.c) and docs/policies.md (apim validate --list-policies)
 * all read the same rows.
 * Ownership: the table is static and read-only.
 */
#ifndef APIM_COMPILER_POLICY_CATALOG_H
#define APIM_COMPILER_POLICY_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum policy_id {
#define POLICY(id, name, family, sections, scopes, flags, local) POLICY_##id,
#include "policies.def"
#undef POLICY
    POLICY_COUNT,
    POLICY_UNKNOWN = -1 /* an element name the catalog does not have */
};

/* Sections of a policy document, as bits. */
enum policy_section_bits {
    POLICY_INBOUND = 1 << 0,
    POLICY_BACKEND = 1 << 1,
    POLICY_OUTBOUND = 1 << 2,
    POLICY_ON_ERROR = 1 << 3,
};

#define POLICY_NSECTIONS    4
#define POLICY_ALL_SECTIONS 0xFu

/* Scopes a policy document can have, as bits. */
enum policy_scope_bits {
    POLICY_SCOPE_GLOBAL = 1 << 0,
    POLICY_SCOPE_WORKSPACE = 1 << 1,
    POLICY_SCOPE_PRODUCT = 1 << 2,
    POLICY_SCOPE_API = 1 << 3,
    POLICY_SCOPE_OPERATION = 1 << 4,
    POLICY_SCOPE_RESOLVER = 1 << 5, /* GraphQL resolver policies */
};

enum policy_flags {
    POLICY_F_FAIL_CLOSED = 1 << 0, /* refuses requests: unapplied, it closes the operation */
    POLICY_F_CONTAINER = 1 << 1,   /* its child elements are policies */
    POLICY_F_BRANCHES = 1 << 2,    /* its children (when, otherwise) hold policies */
    POLICY_F_AFTER_KIDS = 1 << 3,  /* its attributes' expressions run after its children */
};

struct policy_info {
    const char *name;   /* the element: "rate-limit" */
    const char *family; /* for docs: "Rate limiting and quotas" */
    unsigned sections;  /* enum policy_section_bits; 0: GraphQL resolvers only */
    unsigned scopes;    /* enum policy_scope_bits */
    unsigned flags;     /* enum policy_flags */
    const char *local;  /* what the local gateway does with it, or NULL: nothing yet */
};

/* The row of id (0 <= id < POLICY_COUNT). */
const struct policy_info *policy_info(enum policy_id id);

/* The policy named name (case-sensitive, as XML is), or POLICY_UNKNOWN. */
enum policy_id policy_lookup(struct str name);

/* The catalog's name closest to name, for "did you mean", or NULL. */
const char *policy_suggest(struct str name);

/* The bit of a section name ("inbound", ...), or 0 if it is none. */
unsigned policy_section_bit(struct str name);

/* The name of one section bit; "?" for anything else. */
const char *policy_section_name(unsigned bit);

/* The name of one scope bit ("global", "product", ...); "?" otherwise. */
const char *policy_scope_name(unsigned bit);

/* The names of the set bits, joined by ", " ("inbound, outbound"); "none"
 * when no bit is set. Truncated to fit out. */
void policy_format_sections(unsigned bits, char *out, size_t n);
void policy_format_scopes(unsigned bits, char *out, size_t n);

#endif
