/* e2e_policies.c - fail closed, end to end: a configuration split in two
 * files (--config twice) whose policies the local gateway does not apply.
 *
 *   orders   validate-jwt at API scope: every request answers 500 with
 *            APIM's body and never reaches the backend; its 'health'
 *            operation drops the API's inbound (<inbound /> without
 *            <base />), so it is served
 *   catalog  in product 'partners' (ip-filter, rate-limit) and in the open
 *            product 'public': closed under 'partners' only
 *
 * With --allow-unenforced-policies the same requests are served.
 *
 *   e2e_policies APIM ECHO_BACKEND SOURCE_ROOT
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/cunit_run.h"
#include "harness.h"

static const char body_500[] = "{ \"statusCode\": 500, \"message\": \"Internal server error\" }";
static const char *const bearer_garbage[] = { "Authorization: Bearer garbage", NULL };
static const char *const partner_key[] = {
    "Ocp-Apim-Subscription-Key: partner-one-primary-key-0001", NULL
};
static const char *const catalog_key[] = {
    "Ocp-Apim-Subscription-Key: catalog-only-primary-key-0001", NULL
};

static struct h_backend backend;
static char service_cfg[512], apis_cfg[512], param[160];

static int suite_init(void)
{
    if (h_backend_start(&backend) != 0)
        return 1;
    snprintf(service_cfg, sizeof(service_cfg), "%s/tests/e2e/configs/fail-closed/service.json",
             h_root());
    snprintf(apis_cfg, sizeof(apis_cfg), "%s/tests/e2e/configs/fail-closed/apis.json", h_root());
    snprintf(param, sizeof(param), "backendUrl=%s", backend.url);
    return 0;
}

static int suite_cleanup(void)
{
    h_backend_stop(&backend);
    return 0;
}

static long request(const struct h_gateway *g, const char *path, const char *const *headers,
                    struct buf *body)
{
    char url[512];
    snprintf(url, sizeof(url), "%s%s", g->url, path);
    struct h_resp r;
    h_http(&r, "GET", url, headers, NULL, 0);
    long status = r.status;
    if (body && buf_puts(body, r.body.data ? r.body.data : "") != 0)
        status = -1;
    h_resp_release(&r);
    return status;
}

static int start(struct h_gateway *g, const char *name, bool allow, struct buf *out)
{
    const char *extra[] = {
        "--config", apis_cfg, "-p", param, allow ? "--allow-unenforced-policies" : NULL, NULL
    };
    return h_gateway_start_out(g, name, service_cfg, extra, out);
}

static void test_fails_closed(void)
{
    struct h_gateway g;
    struct buf out;
    buf_init(&out, 1 << 20);
    CU_ASSERT_FATAL(start(&g, "e2e-fail-closed", false, &out) == 0);
    /* The start lists what fails closed, one line each. */
    CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "orders GET list: policy 'validate-jwt' at API "
                                            "scope is not applied locally"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "catalog GET items (under product 'partners'): "
                                            "policy 'ip-filter' at product scope"));
    CU_ASSERT_PTR_NULL(strstr(out.data, "health"));
    buf_release(&out);

    long before = h_backend_requests(&backend);
    struct buf body;
    buf_init(&body, 1 << 20);
    CU_ASSERT_EQUAL(request(&g, "/orders/list", bearer_garbage, &body), 500);
    CU_ASSERT_STRING_EQUAL(body.data, body_500);
    CU_ASSERT_EQUAL(h_backend_requests(&backend), before); /* not forwarded */
    CU_ASSERT_EQUAL(request(&g, "/orders/list", NULL, NULL), 500);
    CU_ASSERT_EQUAL(request(&g, "/orders/health", NULL, NULL), 200);
    CU_ASSERT_EQUAL(h_backend_requests(&backend), before + 1);
    /* Product scope: only under the product whose policy refuses. */
    CU_ASSERT_EQUAL(request(&g, "/catalog/items", partner_key, NULL), 500);
    CU_ASSERT_EQUAL(request(&g, "/catalog/items", NULL, NULL), 200); /* open product 'public' */
    CU_ASSERT_EQUAL(request(&g, "/catalog/items", catalog_key, NULL), 200); /* no product */
    buf_release(&body);

    struct buf log;
    buf_init(&log, 16u << 20);
    CU_ASSERT_EQUAL(h_state_file(&g, "gateway.log", &log), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(log.data, "api=orders op=list product=- status=500 fails "
                                            "closed: policy 'validate-jwt' at API scope"));
    CU_ASSERT_PTR_NOT_NULL(strstr(log.data, "api=catalog op=items product=partners status=500"));
    CU_ASSERT_PTR_NULL(strstr(log.data, "garbage")); /* no Authorization value in the log */
    buf_release(&log);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

static void test_allow_unenforced(void)
{
    struct h_gateway g;
    struct buf out;
    buf_init(&out, 1 << 20);
    CU_ASSERT_FATAL(start(&g, "e2e-allow-unenforced", true, &out) == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "warning: --allow-unenforced-policies"));
    buf_release(&out);
    long before = h_backend_requests(&backend);
    CU_ASSERT_EQUAL(request(&g, "/orders/list", bearer_garbage, NULL), 200);
    CU_ASSERT_EQUAL(request(&g, "/catalog/items", partner_key, NULL), 200);
    CU_ASSERT_EQUAL(h_backend_requests(&backend), before + 2);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
}

/* compile marks the plan; a compiled plan keeps its choice. */
static void test_compiled_plan(void)
{
    char plan[600];
    snprintf(plan, sizeof(plan), "%s/fail-closed.plan", h_scratch());
    const char *args[] = {
        "compile", service_cfg, apis_cfg, "-p", param, "--file-path", plan, NULL
    };
    struct buf out, err;
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    CU_ASSERT_EQUAL(h_apim(&out, &err, args), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.data, "warning[APIM6005]: operation 'list' of API 'orders' "
                                            "fails closed"));
    buf_release(&out);
    buf_release(&err);
    const char *show[] = { "plan", "show", plan, NULL };
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    CU_ASSERT_EQUAL(h_apim(&out, &err, show), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "\"failsClosed\": \"always\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "\"inbound\": \"policy 'ip-filter' at product scope"));
    buf_release(&out);
    buf_release(&err);
    struct h_gateway g;
    CU_ASSERT_FATAL(h_gateway_start(&g, "e2e-compiled-closed", plan, NULL) == 0);
    CU_ASSERT_EQUAL(request(&g, "/orders/list", bearer_garbage, NULL), 500);
    CU_ASSERT_EQUAL(h_gateway_stop(&g), 0);
    /* The opt-out belongs to the compile step for a .plan: said, not ignored. */
    const char *late[] = { "gateway",
                           "start",
                           "--gateway-name",
                           "e2e-late",
                           "--config",
                           plan,
                           "--allow-unenforced-policies",
                           "--port",
                           "0",
                           NULL };
    buf_init(&out, 1 << 20);
    buf_init(&err, 1 << 20);
    CU_ASSERT_EQUAL(h_apim(&out, &err, late), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.data, "pass it to 'apim compile'"));
    buf_release(&out);
    buf_release(&err);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: e2e_policies APIM ECHO_BACKEND SOURCE_ROOT\n");
        return 2;
    }
    h_init(argv[1], argv[2], argv[3]);
    static CU_TestInfo tests[] = {
        { "fails closed", test_fails_closed },
        { "--allow-unenforced-policies", test_allow_unenforced },
        { "compiled plan", test_compiled_plan },
        CU_TEST_INFO_NULL,
    };
    static CU_SuiteInfo suites[] = {
        { "fail closed", suite_init, suite_cleanup, NULL, NULL, tests },
        CU_SUITE_INFO_NULL,
    };
    return cunit_run(suites);
}
