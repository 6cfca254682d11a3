/* Unit tests for the forwarding rules (runtime/fwdrules.c) and the body
 * rule's policy names (runtime/bodyplan.c): which failed backend calls are
 * sent again, and whether an answer's headers fit the client connection. */
#include <stdbool.h>

#include "bodyplan.h"
#include "cunit_run.h"
#include "fwdrules.h"

static void test_idempotent(void)
{
    const char *yes[] = { "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" };
    const char *no[] = { "POST", "PATCH", "CONNECT", "get", "Put", "", "GETX" };
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        CU_ASSERT_TRUE(fwdrules_idempotent(str_from_cstr(yes[i])));
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        CU_ASSERT_FALSE(fwdrules_idempotent(str_from_cstr(no[i])));
}

static struct fwdrules_failure retryable(void)
{
    return (struct fwdrules_failure){ .method = STR_LIT("GET"),
                                      .broken = true,
                                      .reused = true,
                                      .answer_started = false,
                                      .body_replayable = true,
                                      .retried = false };
}

/* Each condition alone stops the retry. */
static void test_may_retry(void)
{
    struct fwdrules_failure f = retryable();
    CU_ASSERT_TRUE(fwdrules_may_retry(&f));
    f.method = STR_LIT("PUT");
    CU_ASSERT_TRUE(fwdrules_may_retry(&f));
    f.method = STR_LIT("POST");
    CU_ASSERT_FALSE(fwdrules_may_retry(&f));
    f = retryable();
    f.broken = false; /* a timeout, a refused connection */
    CU_ASSERT_FALSE(fwdrules_may_retry(&f));
    f = retryable();
    f.reused = false; /* a fresh connection failed: the backend's own failure */
    CU_ASSERT_FALSE(fwdrules_may_retry(&f));
    f = retryable();
    f.answer_started = true;
    CU_ASSERT_FALSE(fwdrules_may_retry(&f));
    f = retryable();
    f.body_replayable = false;
    CU_ASSERT_FALSE(fwdrules_may_retry(&f));
    f = retryable();
    f.retried = true;
    CU_ASSERT_FALSE(fwdrules_may_retry(&f));
}

static void test_headers_fit(void)
{
    size_t mem = 32768, room = mem - FWDRULES_HEADER_RESERVE;
    CU_ASSERT_TRUE(fwdrules_headers_fit(0, room, mem));
    CU_ASSERT_FALSE(fwdrules_headers_fit(0, room + 1, mem));
    CU_ASSERT_TRUE(fwdrules_headers_fit(10000, room - 10000, mem));
    CU_ASSERT_FALSE(fwdrules_headers_fit(10000, room - 9999, mem));
    CU_ASSERT_FALSE(fwdrules_headers_fit(room + 1, 0, mem)); /* no wrap-around */
    CU_ASSERT_FALSE(fwdrules_headers_fit(0, 0, FWDRULES_HEADER_RESERVE - 1));
}

static void test_policy_reads_body(void)
{
    CU_ASSERT_TRUE(bodyplan_policy_reads_body(STR_LIT("set-body")));
    CU_ASSERT_TRUE(bodyplan_policy_reads_body(STR_LIT("validate-content")));
    CU_ASSERT_TRUE(bodyplan_policy_reads_body(STR_LIT("xml-to-json")));
    CU_ASSERT_FALSE(bodyplan_policy_reads_body(STR_LIT("set-header")));
    CU_ASSERT_FALSE(bodyplan_policy_reads_body(STR_LIT("set-backend-service")));
    CU_ASSERT_FALSE(bodyplan_policy_reads_body(STR_LIT("")));
}

static CU_TestInfo tests[] = {
    { "idempotent methods", test_idempotent },
    { "retry conditions", test_may_retry },
    { "answer headers fit", test_headers_fit },
    { "policies that read the body", test_policy_reads_body },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "fwdrules", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}
