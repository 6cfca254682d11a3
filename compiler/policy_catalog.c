/* policy_catalog.c - policies.def expanded into the catalog table, and the
 * lookups over it. */
#include "policy_catalog.h"

#include <stdio.h>
#include <string.h>

#include "suggest.h"

/* The short names policies.def rows use. */
#define S_I    POLICY_INBOUND
#define S_B    POLICY_BACKEND
#define S_O    POLICY_OUTBOUND
#define S_E    POLICY_ON_ERROR
#define S_IB   (S_I | S_B)
#define S_IE   (S_I | S_E)
#define S_IO   (S_I | S_O)
#define S_OE   (S_O | S_E)
#define S_IBO  (S_I | S_B | S_O)
#define S_IOE  (S_I | S_O | S_E)
#define S_IBOE (S_I | S_B | S_O | S_E)

#define C_G     POLICY_SCOPE_GLOBAL
#define C_P     POLICY_SCOPE_PRODUCT
#define C_R     POLICY_SCOPE_RESOLVER
#define C_PAO   (POLICY_SCOPE_PRODUCT | POLICY_SCOPE_API | POLICY_SCOPE_OPERATION)
#define C_GPAO  (POLICY_SCOPE_GLOBAL | C_PAO)
#define C_GWPAO (C_GPAO | POLICY_SCOPE_WORKSPACE)
#define C_GWPA  (C_GWPAO & ~(unsigned)POLICY_SCOPE_OPERATION)

#define F_FAIL_CLOSED POLICY_F_FAIL_CLOSED
#define F_CONTAINER   POLICY_F_CONTAINER
#define F_BRANCHES    POLICY_F_BRANCHES
#define F_AFTER_KIDS  POLICY_F_AFTER_KIDS

/* Families, in the order of Microsoft's policy reference. */
#define LIMITS       "Rate limiting and quotas"
#define AUTH         "Authentication and authorization"
#define VALIDATION   "Content validation"
#define ROUTING      "Routing"
#define CACHING      "Caching"
#define TRANSFORM    "Transformation"
#define CROSS_DOMAIN "Cross-domain"
#define INTEGRATION  "Integration and external communication"
#define LOGGING      "Logging and metrics"
#define GRAPHQL      "GraphQL resolvers"
#define FLOW         "Policy control and flow"

static const struct policy_info table[POLICY_COUNT] = {
#define POLICY(id, name, family, sections, scopes, flags, local) \
    [POLICY_##id] = { name, family, sections, scopes, flags, local },
#include "policies.def"
#undef POLICY
};

const struct policy_info *policy_info(enum policy_id id)
{
    return &table[id];
}

/* Byte order, as the rows are sorted. */
static int compare(struct str a, const char *b)
{
    size_t bn = strlen(b), n = a.len < bn ? a.len : bn;
    int c = memcmp(a.ptr, b, n);
    return c ? c : (a.len > bn) - (a.len < bn);
}

enum policy_id policy_lookup(struct str name)
{
    size_t lo = 0, hi = POLICY_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare(name, table[mid].name);
        if (c == 0)
            return (enum policy_id)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return POLICY_UNKNOWN;
}

const char *policy_suggest(struct str name)
{
    struct str names[POLICY_COUNT];
    for (size_t i = 0; i < POLICY_COUNT; i++)
        names[i] = str_from_cstr(table[i].name);
    return suggest(name, names, POLICY_COUNT);
}

static const char *const section_names[POLICY_NSECTIONS] = { "inbound", "backend", "outbound",
                                                             "on-error" };

static const char *const scope_names[] = { "global", "workspace", "product",
                                           "API",    "operation", "GraphQL resolver" };

unsigned policy_section_bit(struct str name)
{
    for (unsigned i = 0; i < POLICY_NSECTIONS; i++)
        if (str_eq(name, str_from_cstr(section_names[i])))
            return 1u << i;
    return 0;
}

static const char *bit_name(unsigned bit, const char *const *names, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (bit == 1u << i)
            return names[i];
    return "?";
}

const char *policy_section_name(unsigned bit)
{
    return bit_name(bit, section_names, POLICY_NSECTIONS);
}

const char *policy_scope_name(unsigned bit)
{
    return bit_name(bit, scope_names, sizeof(scope_names) / sizeof(scope_names[0]));
}

static void format_bits(unsigned bits, const char *const *names, unsigned n, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < n && used < cap; i++)
        if (bits & (1u << i)) {
            int w = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", names[i]);
            used += w > 0 ? (size_t)w : 0;
        }
    if (used == 0)
        snprintf(out, cap, "none");
}

void policy_format_sections(unsigned bits, char *out, size_t n)
{
    format_bits(bits, section_names, POLICY_NSECTIONS, out, n);
}

void policy_format_scopes(unsigned bits, char *out, size_t n)
{
    format_bits(bits, scope_names, sizeof(scope_names) / sizeof(scope_names[0]), out, n);
}
