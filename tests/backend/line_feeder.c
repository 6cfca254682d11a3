/* line_feeder.c - apim-line-feeder: a text server for the seed's word count,
 * as `nc -lk 9999` is in Spark's NetworkWordCount example, without a
 * terminal: it listens on 127.0.0.1:PORT, keeps every client that connects
 * (a socketText source), and every --every milliseconds writes the LINES
 * (the arguments after the options; a default sentence without) to each of
 * them, '\n'-terminated. Single-threaded, one poll loop; runs until SIGTERM
 * or SIGINT.
 *
 *   apim-line-feeder --port 9999 [--every MS] [--pid-file FILE] [LINE...]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FEEDER_MAX_CLIENTS 16

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int listen_on(int port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd >= 0)
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 8) != 0) {
        fprintf(stderr, "apim-line-feeder: cannot listen on 127.0.0.1:%d: %s\n", port,
                strerror(errno));
        return -1;
    }
    return fd;
}

/* Writes the lines to every client; a client that is gone is dropped. */
static void feed(int *clients, size_t *n, char *const *lines, int nlines)
{
    for (size_t i = 0; i < *n;) {
        int ok = 1;
        for (int k = 0; k < nlines && ok; k++) {
            size_t len = strlen(lines[k]);
            ok = send(clients[i], lines[k], len, MSG_NOSIGNAL) == (ssize_t)len &&
                 send(clients[i], "\n", 1, MSG_NOSIGNAL) == 1;
        }
        if (ok) {
            i++;
            continue;
        }
        close(clients[i]);
        clients[i] = clients[--*n];
    }
}

static void serve(int lfd, long every, char *const *lines, int nlines)
{
    int clients[FEEDER_MAX_CLIENTS];
    size_t n = 0;
    long long next = now_ms() + every;
    while (!stop) {
        struct pollfd p = { lfd, POLLIN, 0 };
        long long wait = next - now_ms();
        if (poll(&p, 1, wait < 0 ? 0 : (int)wait) > 0) {
            int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
            if (c >= 0 && n < FEEDER_MAX_CLIENTS)
                clients[n++] = c;
            else if (c >= 0)
                close(c);
        }
        if (now_ms() >= next) {
            feed(clients, &n, lines, nlines);
            next += every;
        }
    }
    for (size_t i = 0; i < n; i++)
        close(clients[i]);
}

int main(int argc, char **argv)
{
    static char *dflt[] = { "to be or not to be that is the question" };
    int port = 9999, i = 1;
    long every = 1000;
    const char *pid_file = NULL;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--port") == 0)
            port = (int)strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--every") == 0)
            every = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--pid-file") == 0)
            pid_file = argv[i + 1];
        else
            break;
    }
    if (port <= 0 || port > 65535 || every <= 0) {
        fputs("usage: apim-line-feeder --port PORT [--every MS] [--pid-file FILE] [LINE...]\n",
              stderr);
        return 2;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    int lfd = listen_on(port);
    if (lfd < 0)
        return 1;
    FILE *pf = pid_file ? fopen(pid_file, "w") : NULL;
    if (pf) {
        fprintf(pf, "%ld\n", (long)getpid());
        fclose(pf);
    }
    printf("apim-line-feeder listening on 127.0.0.1:%d, a line batch every %ld ms\n", port, every);
    fflush(stdout);
    serve(lfd, every, i < argc ? argv + i : dflt, i < argc ? argc - i : 1);
    close(lfd);
    return 0;
}
