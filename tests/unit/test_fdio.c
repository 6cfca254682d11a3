/* Unit tests for common/fdio.c: a write bigger than a pipe's buffer arrives
 * whole (write(2) takes it in pieces), and a failing descriptor says so. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cunit_run.h"
#include "fdio.h"

#define BIG (1u << 20) /* far more than a pipe holds (64 KiB) */

static void test_whole(void)
{
    int p[2];
    CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
    char *data = malloc(BIG), *back = malloc(BIG);
    for (size_t i = 0; i < BIG; i++)
        data[i] = (char)('a' + i % 26);
    pid_t child = fork();
    CU_ASSERT_FATAL(child >= 0);
    if (child == 0) { /* the writer */
        close(p[0]);
        _exit(fd_write_all(p[1], data, BIG) == 0 ? 0 : 1);
    }
    close(p[1]);
    size_t got = 0;
    ssize_t n;
    while (got < BIG && (n = read(p[0], back + got, BIG - got)) > 0)
        got += (size_t)n;
    close(p[0]);
    int status = 1;
    CU_ASSERT_EQUAL(waitpid(child, &status, 0), child);
    CU_ASSERT_EQUAL(status, 0);
    CU_ASSERT_EQUAL(got, BIG);
    CU_ASSERT_EQUAL(memcmp(data, back, BIG), 0);
    free(data);
    free(back);
}

static void test_failure(void)
{
    errno = 0;
    CU_ASSERT_EQUAL(fd_write_all(-1, "x", 1), -1);
    CU_ASSERT_EQUAL(errno, EBADF);
    CU_ASSERT_EQUAL(fd_write_all(-1, "", 0), 0); /* nothing to write: nothing fails */
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "whole", test_whole },
        { "failure", test_failure },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "fdio", NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
