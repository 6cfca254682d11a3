/* policy_attrs.c - policy_attrs.def expanded into tables, the index over
 * them and the check of literal values (policy_attrs.h). */
#include "policy_attrs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The short names policy_attrs.def rows use. */
#define T_STR           POLICY_T_STR
#define T_INT           POLICY_T_INT
#define T_SECS          POLICY_T_SECS
#define T_NUM           POLICY_T_NUM
#define T_BOOL          POLICY_T_BOOL
#define T_ENUM          POLICY_T_ENUM
#define T_URL           POLICY_T_URL
#define T_TIME          POLICY_T_TIME
#define A_REQ           POLICY_A_REQ
#define A_NOEXPR        POLICY_A_NOEXPR
#define A_ONE_OF        POLICY_A_ONE_OF
#define A_EXCL          POLICY_A_EXCL
#define A_SAVED         POLICY_A_SAVED
#define A_SETS_VAR      POLICY_A_SETS_VAR
#define X_EMPTY         POLICY_X_EMPTY
#define X_TEXT          POLICY_X_TEXT
#define X_ELEMENTS      POLICY_X_ELEMENTS
#define X_MIXED         POLICY_X_MIXED
#define X_POLICIES      POLICY_X_POLICIES
#define X_SOME_POLICIES POLICY_X_SOME_POLICIES
#define X_ANY           POLICY_X_ANY
#define R_ONCE_DOC      POLICY_R_ONCE_DOC
#define R_ONCE_SECTION  POLICY_R_ONCE_SECTION
#define R_NO_FRAGMENT   POLICY_R_NO_FRAGMENT
#define R_INHERITS      POLICY_R_INHERITS
#define C_LAST          POLICY_C_LAST
#define C_ONE_OF        POLICY_C_ONE_OF
#define NOMAX           POLICY_ATTRS_NOMAX
#define MANY            POLICY_ATTRS_MANY

static const struct policy_attr_info attrs[] = {
#define ELEMENT(...)
#define ATTR(name, type, flags, def, allowed, min, max) \
    { name, type, flags, def, allowed, min, max },
#define CHILD(...)
#include "policy_attrs.def"
#undef ELEMENT
#undef ATTR
#undef CHILD
};

static const struct policy_child_info children[] = {
#define ELEMENT(...)
#define ATTR(...)
#define CHILD(name, path, min, max, flags) { name, path, min, max, flags },
#include "policy_attrs.def"
#undef ELEMENT
#undef ATTR
#undef CHILD
};

struct raw_element {
    const char *path;
    enum policy_content content;
    unsigned rules;
};

static const struct raw_element raw[] = {
#define ELEMENT(path, content, rules) { path, content, rules },
#define ATTR(...)
#define CHILD(...)
#include "policy_attrs.def"
#undef ELEMENT
#undef ATTR
#undef CHILD
};

/* The rows in file order, by kind: which attributes and children follow
 * which element. */
static const char kinds[] = {
#define ELEMENT(...) 'E',
#define ATTR(...)    'A',
#define CHILD(...)   'C',
#include "policy_attrs.def"
#undef ELEMENT
#undef ATTR
#undef CHILD
};

#define NELEMENTS (sizeof(raw) / sizeof(raw[0]))

static struct policy_element_info elements[NELEMENTS];
static const struct policy_element_info *by_policy[POLICY_COUNT];
static bool built;

static void fill(size_t k, size_t a0, size_t c0)
{
    struct policy_element_info *e = &elements[k];
    const char *sp = strrchr(raw[k].path, ' ');
    e->path = raw[k].path;
    e->name = sp ? sp + 1 : raw[k].path;
    e->content = raw[k].content;
    e->rules = raw[k].rules;
    e->attrs = &attrs[a0];
    e->children = &children[c0];
}

/* One walk over the rows: each element gets the rows that follow it. */
static void build(void)
{
    size_t k = 0, a = 0, c = 0;
    for (size_t i = 0; i < sizeof(kinds); i++) {
        if (kinds[i] == 'E')
            fill(k++, a, c);
        else if (kinds[i] == 'A')
            elements[k - 1].nattrs++, a++;
        else
            elements[k - 1].nchildren++, c++;
    }
    built = true;
    for (int id = 0; id < POLICY_COUNT; id++)
        by_policy[id] = policy_attrs_find(policy_info((enum policy_id)id)->name);
}

size_t policy_attrs_count(void)
{
    return NELEMENTS;
}

const struct policy_element_info *policy_attrs_at(size_t i)
{
    if (!built)
        build();
    return i < NELEMENTS ? &elements[i] : NULL;
}

const struct policy_element_info *policy_attrs_find(const char *path)
{
    if (!built)
        build();
    size_t lo = 0, hi = NELEMENTS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(path, elements[mid].path);
        if (c == 0)
            return &elements[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const struct policy_element_info *policy_attrs_policy(enum policy_id id)
{
    if (!built)
        build();
    return id >= 0 && id < POLICY_COUNT ? by_policy[id] : NULL;
}

const struct policy_attr_info *policy_attrs_attr(const struct policy_element_info *e,
                                                 struct str name)
{
    for (size_t i = 0; i < e->nattrs; i++)
        if (str_eq(name, str_from_cstr(e->attrs[i].name)))
            return &e->attrs[i];
    return NULL;
}

const struct policy_child_info *policy_attrs_child(const struct policy_element_info *e,
                                                   struct str name)
{
    for (size_t i = 0; i < e->nchildren; i++)
        if (str_eq(name, str_from_cstr(e->children[i].name)))
            return &e->children[i];
    return NULL;
}

const struct policy_element_info *policy_attrs_child_element(const struct policy_child_info *c)
{
    return c->path ? policy_attrs_find(c->path) : NULL;
}

const char *policy_attrs_type_name(enum policy_attr_type t)
{
    static const char *const names[] = { "string", "integer", "seconds", "number",
                                         "bool",   "enum",    "URL",     "date-time" };
    return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

/* ---- literal values ---- */

static bool in_list(struct str v, const char *list)
{
    for (const char *p = list; *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == v.len && strncasecmp(p, v.ptr, n) == 0)
            return true;
        p += n + (bar != NULL);
    }
    return false;
}

static const char *list_phrase(const char *list, char *buf, size_t n)
{
    size_t used = (size_t)snprintf(buf, n, "one of ");
    for (const char *p = list; *p && used < n;) {
        const char *bar = strchr(p, '|');
        int len = bar ? (int)(bar - p) : (int)strlen(p);
        int w = snprintf(buf + used, n - used, "%s'%.*s'", p == list ? "" : ", ", len, p);
        used += w > 0 ? (size_t)w : 0;
        p += len + (bar != NULL);
    }
    return buf;
}

/* A decimal number (integer if whole) in v, into *out; false if it is none. */
static bool parse_number(struct str v, bool whole, double *out)
{
    char tmp[64];
    if (v.len == 0 || v.len >= sizeof(tmp))
        return false;
    memcpy(tmp, v.ptr, v.len);
    tmp[v.len] = '\0';
    char *end = NULL;
    errno = 0;
    if (whole) {
        long long n = strtoll(tmp, &end, 10);
        *out = (double)n;
    } else {
        *out = strtod(tmp, &end);
    }
    return errno == 0 && end == tmp + v.len && !(tmp[0] == ' ' || tmp[0] == '\t');
}

static const char *range_phrase(const struct policy_attr_info *a, double x, char *buf, size_t n)
{
    if (a->min == 0 && a->max == 0)
        return NULL;
    if (x >= (double)a->min && x <= (double)a->max)
        return NULL;
    if (a->max == NOMAX)
        snprintf(buf, n, "at least %lld", a->min);
    else if (a->min == 0 && x >= 0)
        snprintf(buf, n, "at most %lld", a->max);
    else
        snprintf(buf, n, "between %lld and %lld", a->min, a->max);
    return buf;
}

static bool is_url(struct str v)
{
    size_t skip = v.len >= 8 && strncasecmp(v.ptr, "https://", 8) == 0  ? 8
                  : v.len >= 7 && strncasecmp(v.ptr, "http://", 7) == 0 ? 7
                                                                        : 0;
    return skip && v.len > skip && v.ptr[skip] != '/' && memchr(v.ptr, ' ', v.len) == NULL;
}

/* YYYY-MM-DD, then anything (a time, a zone): enough to catch a date that
 * is no date without re-implementing .NET's parser. */
static bool is_time(struct str v)
{
    static const char shape[] = "dddd-dd-dd";
    if (v.len < 10)
        return false;
    for (size_t i = 0; i < 10; i++)
        if (shape[i] == 'd' ? (v.ptr[i] < '0' || v.ptr[i] > '9') : v.ptr[i] != '-')
            return false;
    return v.len == 10 || v.ptr[10] == 'T' || v.ptr[10] == 't' || v.ptr[10] == ' ';
}

const char *policy_attrs_check_value(const struct policy_attr_info *a, struct str v, char *buf,
                                     size_t n)
{
    double x = 0;
    switch (a->type) {
    case POLICY_T_STR:
        return NULL;
    case POLICY_T_INT:
    case POLICY_T_SECS:
        if (!parse_number(v, true, &x))
            return a->type == POLICY_T_SECS ? "a whole number of seconds" : "an integer";
        return range_phrase(a, x, buf, n);
    case POLICY_T_NUM:
        if (!parse_number(v, false, &x))
            return "a number";
        return range_phrase(a, x, buf, n);
    case POLICY_T_BOOL:
        return in_list(v, "true|false") ? NULL : "'true' or 'false'";
    case POLICY_T_ENUM:
        return in_list(v, a->allowed) ? NULL : list_phrase(a->allowed, buf, n);
    case POLICY_T_URL:
        return is_url(v) ? NULL : "an absolute http or https URL";
    case POLICY_T_TIME:
        return is_time(v) ? NULL : "an ISO 8601 date and time (2024-01-31T00:00:00Z)";
    }
    return NULL;
}
