/* Unit tests for common/fdio.c: a write bigger than a pipe's buffer arrives
 * whole (write(2) takes it in pieces), and a failing descriptor says so;
 * socket addresses as text. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
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

static void test_addresses(void)
{
    char out[64];
    struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
    CU_ASSERT_TRUE(sockaddr_ip((struct sockaddr *)&v4, out, sizeof(out)));
    CU_ASSERT_STRING_EQUAL(out, "127.0.0.1");
    struct sockaddr_in6 v6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    CU_ASSERT_TRUE(sockaddr_ip((struct sockaddr *)&v6, out, sizeof(out)));
    CU_ASSERT_STRING_EQUAL(out, "::1");
    CU_ASSERT_FALSE(sockaddr_ip((struct sockaddr *)&v4, out, 4)); /* does not fit */
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    CU_ASSERT_FALSE(sockaddr_ip((struct sockaddr *)&un, out, sizeof(out)));
    /* a connected pair has no IP peer; a pipe is no socket */
    int sv[2];
    CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    fd_peer_ip(sv[0], out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "?");
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "whole", test_whole },
        { "failure", test_failure },
        { "addresses", test_addresses },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "fdio", NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
