/* Unit tests for the policy element table (policy_attrs.c, policy_attrs.def):
 * the rows are consistent (sorted, every policy has one, every child row
 * points at a row, enumerations non-empty, defaults valid for their type,
 * ranges ordered) and the value check says what it should. */
#include <string.h>

#include "cunit_run.h"
#include "policy_attrs.h"
#include "testutil.h"

static void test_sorted_and_found(void)
{
    size_t n = policy_attrs_count();
    CU_ASSERT_TRUE_FATAL(n > POLICY_COUNT);
    for (size_t i = 0; i < n; i++) {
        const struct policy_element_info *e = policy_attrs_at(i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(e);
        if (i > 0)
            CU_ASSERT_TRUE(strcmp(policy_attrs_at(i - 1)->path, e->path) < 0);
        CU_ASSERT_PTR_EQUAL(policy_attrs_find(e->path), e);
        CU_ASSERT_TRUE(strlen(e->name) > 0 && strchr(e->name, ' ') == NULL);
    }
    CU_ASSERT_PTR_NULL(policy_attrs_at(n));
    CU_ASSERT_PTR_NULL(policy_attrs_find("no-such-policy"));
}

/* Every policy of the catalog has its row, and every row that is not a
 * child's is a policy. */
static void test_every_policy_has_a_row(void)
{
    for (int id = 0; id < POLICY_COUNT; id++) {
        const struct policy_element_info *e = policy_attrs_policy((enum policy_id)id);
        CU_ASSERT_PTR_NOT_NULL_FATAL(e);
        CU_ASSERT_STRING_EQUAL(e->path, policy_info((enum policy_id)id)->name);
    }
    for (size_t i = 0; i < policy_attrs_count(); i++) {
        const struct policy_element_info *e = policy_attrs_at(i);
        if (strchr(e->path, ' ') == NULL)
            CU_ASSERT_NOT_EQUAL(policy_lookup(str_from_cstr(e->path)), POLICY_UNKNOWN);
    }
    CU_ASSERT_PTR_NULL(policy_attrs_policy(POLICY_UNKNOWN));
}

static void check_attr(const struct policy_element_info *e, const struct policy_attr_info *a)
{
    char buf[160];
    CU_ASSERT_TRUE(a->name && *a->name);
    CU_ASSERT_PTR_EQUAL(policy_attrs_attr(e, str_from_cstr(a->name)), a); /* no duplicates */
    CU_ASSERT_EQUAL(a->type == POLICY_T_ENUM, a->allowed != NULL);
    if (a->allowed)
        CU_ASSERT_TRUE(*a->allowed && a->allowed[strlen(a->allowed) - 1] != '|');
    CU_ASSERT_TRUE(a->min <= a->max);
    if (a->min || a->max)
        CU_ASSERT_TRUE(a->type == POLICY_T_INT || a->type == POLICY_T_SECS ||
                       a->type == POLICY_T_NUM);
    if (a->def) /* a default is a valid value of its own attribute */
        CU_ASSERT_PTR_NULL(policy_attrs_check_value(a, str_from_cstr(a->def), buf, sizeof(buf)));
}

static void check_child(const struct policy_element_info *e, const struct policy_child_info *c)
{
    CU_ASSERT_PTR_EQUAL(policy_attrs_child(e, str_from_cstr(c->name)), c);
    CU_ASSERT_TRUE(c->min <= c->max);
    if (c->path == NULL)
        return;
    const struct policy_element_info *to = policy_attrs_child_element(c);
    CU_ASSERT_PTR_NOT_NULL_FATAL(to);
    CU_ASSERT_STRING_EQUAL(to->name, c->name); /* a row is named as its element */
    /* A child's own row is a policy's, or sits below a policy's row. */
    const char *sp = strchr(c->path, ' ');
    if (sp)
        CU_ASSERT_NOT_EQUAL(policy_lookup((struct str){ c->path, (size_t)(sp - c->path) }),
                            POLICY_UNKNOWN);
}

static void test_rows_consistent(void)
{
    for (size_t i = 0; i < policy_attrs_count(); i++) {
        const struct policy_element_info *e = policy_attrs_at(i);
        CU_ASSERT_TRUE(e->nchildren <= POLICY_ATTRS_MAX_CHILDREN);
        for (size_t k = 0; k < e->nattrs; k++)
            check_attr(e, &e->attrs[k]);
        for (size_t k = 0; k < e->nchildren; k++)
            check_child(e, &e->children[k]);
        /* Containers hold policies: their rows say which, nothing else. */
        bool holds = e->content == POLICY_X_POLICIES || e->content == POLICY_X_SOME_POLICIES;
        for (size_t k = 0; holds && k < e->nchildren; k++)
            CU_ASSERT_NOT_EQUAL(policy_lookup(str_from_cstr(e->children[k].name)), POLICY_UNKNOWN);
        /* Rules are for policies, not for their children. */
        if (strchr(e->path, ' '))
            CU_ASSERT_EQUAL(e->rules, 0);
    }
}

/* The catalog's flags and the table agree: containers hold policies. */
static void test_flags_agree(void)
{
    for (int id = 0; id < POLICY_COUNT; id++) {
        const struct policy_info *p = policy_info((enum policy_id)id);
        const struct policy_element_info *e = policy_attrs_policy((enum policy_id)id);
        bool holds = e->content == POLICY_X_POLICIES || e->content == POLICY_X_SOME_POLICIES;
        CU_ASSERT_EQUAL((p->flags & POLICY_F_CONTAINER) != 0, holds);
    }
}

/* Facts from the reference pages that the table must keep. */
static void test_known_facts(void)
{
    const struct policy_element_info *rl = policy_attrs_find("rate-limit");
    const struct policy_attr_info *period = policy_attrs_attr(rl, STR_LIT("renewal-period"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(period);
    CU_ASSERT_EQUAL(period->max, 300);
    CU_ASSERT_TRUE(period->flags & POLICY_A_REQ && period->flags & POLICY_A_NOEXPR);
    CU_ASSERT_TRUE(rl->rules & POLICY_R_ONCE_DOC);
    const struct policy_element_info *retry = policy_attrs_find("retry");
    const struct policy_attr_info *count = policy_attrs_attr(retry, STR_LIT("count"));
    CU_ASSERT_TRUE(count->min == 1 && count->max == 50);
    CU_ASSERT_EQUAL(policy_attrs_child(retry, STR_LIT("wait"))->max, 0);
    const struct policy_element_info *ch = policy_attrs_find("choose");
    CU_ASSERT_TRUE(policy_attrs_child(ch, STR_LIT("otherwise"))->flags & POLICY_C_LAST);
    CU_ASSERT_EQUAL(policy_attrs_child(ch, STR_LIT("when"))->min, 1);
    CU_ASSERT_TRUE(policy_attrs_find("choose when")->attrs[0].flags & POLICY_A_REQ);
    CU_ASSERT_TRUE(policy_attrs_find("include-fragment")->attrs[0].flags & POLICY_A_NOEXPR);
    CU_ASSERT_TRUE(policy_attrs_find("cors")->rules & POLICY_R_ONCE_SECTION);
    CU_ASSERT_TRUE(policy_attrs_find("cache-lookup")->rules & POLICY_R_NO_FRAGMENT);
    CU_ASSERT_TRUE(policy_attrs_find("base")->rules & POLICY_R_INHERITS);
    /* send-request's set-header is the policy's own row. */
    const struct policy_child_info *sh =
        policy_attrs_child(policy_attrs_find("send-request"), STR_LIT("set-header"));
    CU_ASSERT_PTR_EQUAL(policy_attrs_child_element(sh), policy_attrs_find("set-header"));
    CU_ASSERT_PTR_NULL(policy_attrs_attr(rl, STR_LIT("nope")));
    CU_ASSERT_PTR_NULL(policy_attrs_child(rl, STR_LIT("nope")));
}

static const char *check(const char *path, const char *attr, const char *value)
{
    static char buf[160];
    const struct policy_attr_info *a =
        policy_attrs_attr(policy_attrs_find(path), str_from_cstr(attr));
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    return policy_attrs_check_value(a, str_from_cstr(value), buf, sizeof(buf));
}

static void test_value_check(void)
{
    CU_ASSERT_PTR_NULL(check("rate-limit", "calls", "100"));
    CU_ASSERT_STRING_EQUAL(check("rate-limit", "calls", "ten"), "an integer");
    CU_ASSERT_STRING_EQUAL(check("rate-limit", "calls", "10 "), "an integer");
    CU_ASSERT_STRING_EQUAL(check("rate-limit", "calls", ""), "an integer");
    CU_ASSERT_STRING_EQUAL(check("rate-limit", "renewal-period", "3600"), "at most 300");
    CU_ASSERT_STRING_EQUAL(check("rate-limit", "renewal-period", "1.5"),
                           "a whole number of seconds");
    CU_ASSERT_STRING_EQUAL(check("retry", "count", "0"), "between 1 and 50");
    CU_ASSERT_PTR_NULL(check("retry", "count", "50"));
    CU_ASSERT_STRING_EQUAL(check("limit-concurrency", "max-count", "0"), "at least 1");
    CU_ASSERT_PTR_NULL(check("set-header", "exists-action", "Override")); /* .NET: any case */
    CU_ASSERT_STRING_EQUAL(check("set-header", "exists-action", "replace"),
                           "one of 'override', 'skip', 'append', 'delete'");
    CU_ASSERT_PTR_NULL(check("forward-request", "buffer-request-body", "True"));
    CU_ASSERT_STRING_EQUAL(check("forward-request", "buffer-request-body", "yes"),
                           "'true' or 'false'");
    CU_ASSERT_PTR_NULL(check("llm-semantic-cache-lookup", "score-threshold", "0.05"));
    CU_ASSERT_STRING_EQUAL(check("llm-semantic-cache-lookup", "score-threshold", "2"), "at most 1");
    CU_ASSERT_STRING_EQUAL(check("llm-semantic-cache-lookup", "score-threshold", "x"), "a number");
    CU_ASSERT_PTR_NULL(check("set-backend-service", "base-url", "https://contoso.com/v1"));
    CU_ASSERT_STRING_EQUAL(check("set-backend-service", "base-url", "contoso.com"),
                           "an absolute http or https URL");
    CU_ASSERT_STRING_EQUAL(check("set-backend-service", "base-url", "https:///x"),
                           "an absolute http or https URL");
    CU_ASSERT_PTR_NULL(check("quota-by-key", "first-period-start", "2024-01-31T00:00:00Z"));
    CU_ASSERT_PTR_NOT_NULL(check("quota-by-key", "first-period-start", "31/01/2024"));
    CU_ASSERT_PTR_NULL(check("set-header", "name", "anything at all"));
    CU_ASSERT_STRING_EQUAL(policy_attrs_type_name(POLICY_T_SECS), "seconds");
}

static CU_TestInfo tests[] = {
    { "rows sorted, found by path", test_sorted_and_found },
    { "every policy has a row", test_every_policy_has_a_row },
    { "rows consistent: types, enums, defaults, children", test_rows_consistent },
    { "catalog flags and table agree", test_flags_agree },
    { "facts from the reference pages", test_known_facts },
    { "literal values checked by type", test_value_check },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "policy element table", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
