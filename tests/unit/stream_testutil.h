/* stream_testutil.h - running a streaming job in a unit test: a definition
 * from JSON text, an injected clock (no sleeps), print captured in memory,
 * local time pinned to UTC so pprint's time lines are fixed. */
#ifndef APIM_TESTS_STREAM_TESTUTIL_H
#define APIM_TESTS_STREAM_TESTUTIL_H

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stream.h"

static inline void stream_test_utc(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
}

/* Starts def at now 999 (first batch at 1000 for a 1 s interval), runs the
 * batches due until until_ms, returns what print wrote (free it). */
static inline char *stream_test_run(const char *def, int64_t until_ms)
{
    char err[512] = "";
    struct stream_def *d = stream_def_parse(def, strlen(def), err, sizeof(err));
    if (!d)
        fprintf(stderr, "definition: %s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    struct stream_env env = { NULL, f, "t", "h", NULL };
    struct stream_job *j = stream_job_new(d, &env, 999, err, sizeof(err));
    if (!j)
        fprintf(stderr, "job: %s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    stream_job_run_due(j, until_ms);
    stream_job_free(j);
    fclose(f);
    return out;
}

#define STREAM_HDR(t)                                       \
    "-------------------------------------------\nTime: " t \
    "\n-------------------------------------------\n"

#endif
