/* cunit_run.h - the one main() every CUnit program shares: register the
 * suites, run them verbosely, exit non-zero if any assertion failed. */
#ifndef APIM_TESTS_CUNIT_RUN_H
#define APIM_TESTS_CUNIT_RUN_H

#include <CUnit/Basic.h>

static inline int cunit_run(CU_SuiteInfo *suites)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failure_records();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return failed != 0 || ran == 0;
}

#endif
