/* Unit tests for compiler/name_index.c (case-insensitive, first added wins,
 * growth keeps every entry) and compiler/model_index.c (lookups follow the
 * lists as they grow; API revisions by "id;rev=N"). */
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "model.h"
#include "name_index.h"

static void test_case_and_first_wins(void)
{
    struct arena a;
    arena_init(&a, 4096);
    struct name_index idx;
    name_index_init(&idx, &a);
    CU_ASSERT_PTR_NULL(name_index_find(&idx, "x", 1)); /* empty: no table yet */
    int one = 1, two = 2;
    name_index_add(&idx, "Orders", 6, &one);
    name_index_add(&idx, "ORDERS", 6, &two); /* same name: the first stays */
    CU_ASSERT_PTR_EQUAL(name_index_find(&idx, "orders", 6), &one);
    CU_ASSERT_PTR_EQUAL(name_index_find(&idx, "orders-api", 6), &one); /* a prefix by length */
    CU_ASSERT_PTR_NULL(name_index_find(&idx, "order", 5));
    CU_ASSERT_EQUAL(idx.n, 1);
    arena_release(&a);
}

static void test_growth_keeps_entries(void)
{
    struct arena a;
    arena_init(&a, 4096);
    struct name_index idx;
    name_index_init(&idx, &a);
    static int values[5000];
    char *keys[5000];
    for (int i = 0; i < 5000; i++) {
        keys[i] = arena_printf(&a, "api-%d", i);
        name_index_add(&idx, keys[i], strlen(keys[i]), &values[i]);
    }
    CU_ASSERT_EQUAL(idx.n, 5000);
    CU_ASSERT_TRUE(idx.cap >= 2 * idx.n);
    int misses = 0;
    for (int i = 0; i < 5000; i++) {
        char key[32];
        snprintf(key, sizeof(key), "API-%d", i);
        misses += name_index_find(&idx, key, strlen(key)) != &values[i];
    }
    CU_ASSERT_EQUAL(misses, 0);
    arena_release(&a);
}

static struct model_api *api(struct model *m, struct model_service *s, const char *id,
                             const char *rev, bool external)
{
    struct model_api *a = ARENA_NEW(m->arena, struct model_api);
    a->id = id;
    a->revision = rev;
    a->external = external;
    if (s->apis_last)
        s->apis_last->next = a;
    else
        s->apis = a;
    s->apis_last = a;
    return a;
}

/* Entities appended after a lookup are found by the next one. */
static void test_model_lookups_follow_the_lists(void)
{
    struct arena a;
    arena_init(&a, 4096);
    struct diag d;
    diag_init(&d, &a);
    struct model m;
    model_init(&m, &a, &d);
    struct model_service *s = model_service_named(&m, "svc", LOC_NONE);
    struct model_api *ext = api(&m, s, "orders", "1", true);
    CU_ASSERT_PTR_EQUAL(model_find_api(&m, s, "orders", 6, NULL, false), ext);
    CU_ASSERT_PTR_NULL(model_find_api(&m, s, "orders", 6, NULL, true));
    struct model_api *r1 = api(&m, s, "orders", "1", false);
    struct model_api *r2 = api(&m, s, "Orders", "2", false);
    CU_ASSERT_PTR_EQUAL(model_find_api(&m, s, "orders;rev=2", 6, "2", true), r2);
    CU_ASSERT_PTR_EQUAL(model_find_api(&m, s, "ORDERS", 6, NULL, true), r1);
    CU_ASSERT_PTR_EQUAL(model_find_api(&m, s, "orders", 6, "1", false), ext);
    CU_ASSERT_PTR_NULL(model_find_api(&m, s, "orders", 6, "3", true));

    struct model_named_value *nv = ARENA_NEW(&a, struct model_named_value);
    nv->id = "backend-url";
    nv->display_name = "BackendUrl";
    s->named_values = s->named_values_last = nv;
    CU_ASSERT_PTR_EQUAL(model_find_named_value(&m, s, str_from_cstr("backendurl")), nv);
    CU_ASSERT_PTR_EQUAL(model_find_named_value(&m, s, str_from_cstr("BACKEND-URL")), nv);
    CU_ASSERT_PTR_NULL(model_find_named_value(&m, s, str_from_cstr("backend")));
    diag_release(&d);
    arena_release(&a);
}

static CU_TestInfo tests[] = {
    { "case-insensitive, first added wins", test_case_and_first_wins },
    { "growth keeps every entry", test_growth_keeps_entries },
    { "model lookups follow the lists", test_model_lookups_follow_the_lists },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "name_index", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
