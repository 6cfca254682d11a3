/* e2e_routing.c - what the gateway found wrong on real templates, end to
 * end (configs/routing/routing.json, the echo backend as every backend):
 *
 *   revisions  a revision that is not current is served only at ';rev=N',
 *              never at the plain path: orders (current, revision 1) and
 *              orders;rev=2; solo;rev=3 alone (its current revision is not
 *              in the template), so /solo answers 404
 *   base-url   set-backend-service base-url="{{backend-base}}/v1" with a
 *              plain named value is resolved at compile time; one from a
 *              Key Vault secret cannot be, so the API fails closed (500)
 *              and the backend is never called
 *
 *   e2e_routing APIM ECHO_BACKEND SOURCE_ROOT
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../unit/cunit_run.h"
#include "harness.h"

static struct h_backend backend;
static struct h_gateway gw;

static int suite_init(void)
{
    if (h_backend_start(&backend) != 0)
        return 1;
    char cfg[512], param[160];
    snprintf(cfg, sizeof(cfg), "%s/tests/e2e/configs/routing/routing.json", h_root());
    snprintf(param, sizeof(param), "backendUrl=%s", backend.url);
    const char *extra[] = { "-p", param, NULL };
    if (h_gateway_start(&gw, "e2e-routing", cfg, extra) != 0) {
        h_backend_stop(&backend);
        return 1;
    }
    return 0;
}

static int suite_cleanup(void)
{
    int rc = h_gateway_stop(&gw);
    h_backend_stop(&backend);
    return rc != 0;
}

/* GET path on the gateway: the status, and the path the backend saw. */
static long get(const char *path, char *seen, size_t len)
{
    char url[512];
    snprintf(url, sizeof(url), "%s%s", gw.url, path);
    struct h_resp r;
    h_http(&r, "GET", url, NULL, NULL, 0);
    json_t *e = r.status == 200 ? json_loads(r.body.data ? r.body.data : "", 0, NULL) : NULL;
    const char *p = json_string_value(json_object_get(e, "path"));
    snprintf(seen, len, "%s", p ? p : "");
    json_decref(e);
    long status = r.status;
    h_resp_release(&r);
    return status;
}

static void test_revisions(void)
{
    char seen[256];
    /* The current revision at the plain path: its base-url is {{backend-base}}/v1. */
    CU_ASSERT_EQUAL(get("/orders/x", seen, sizeof(seen)), 200);
    CU_ASSERT_STRING_EQUAL(seen, "/v1/x");
    CU_ASSERT_EQUAL(get("/orders;rev=2/x", seen, sizeof(seen)), 200);
    CU_ASSERT_STRING_EQUAL(seen, "/rev2/x");
    CU_ASSERT_EQUAL(get("/orders;rev=1/x", seen, sizeof(seen)), 200);
    CU_ASSERT_STRING_EQUAL(seen, "/v1/x");
    /* Only a revision that is not current: never at the plain path. */
    CU_ASSERT_EQUAL(get("/solo/x", seen, sizeof(seen)), 404);
    CU_ASSERT_EQUAL(get("/solo;rev=3/x", seen, sizeof(seen)), 200);
    CU_ASSERT_STRING_EQUAL(seen, "/solo/x");
}

static void test_base_url_from_key_vault(void)
{
    char seen[256];
    long before = h_backend_requests(&backend);
    CU_ASSERT_EQUAL(get("/vault/x", seen, sizeof(seen)), 500);
    CU_ASSERT_EQUAL(h_backend_requests(&backend), before);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: e2e_routing APIM ECHO_BACKEND SOURCE_ROOT\n");
        return 2;
    }
    h_init(argv[1], argv[2], argv[3]);
    static CU_TestInfo tests[] = {
        { "revisions and the plain path", test_revisions },
        { "base-url from a Key Vault named value", test_base_url_from_key_vault },
        CU_TEST_INFO_NULL,
    };
    static CU_SuiteInfo suites[] = {
        { "routing", suite_init, suite_cleanup, NULL, NULL, tests },
        CU_SUITE_INFO_NULL,
    };
    return cunit_run(suites);
}
