/* fdio.h - file descriptors and sockets: writing without losing bytes,
 * and a socket address as text.
 *
 * write(2) may take fewer bytes than asked and may be interrupted by a
 * signal; every writer of whole records (checkpoints, the write-ahead log,
 * the access log, the Event Hubs sink, batch files) needs the same loop.
 * Errors: -1 with errno set by the failing write (a write that takes
 * nothing counts as a failure: EIO if errno says nothing).
 */
#ifndef APIM_COMMON_FDIO_H
#define APIM_COMMON_FDIO_H

#include <stdbool.h>
#include <stddef.h>

/* Writes all len bytes of p to fd, retrying on EINTR; 0, or -1. */
int fd_write_all(int fd, const void *p, size_t len);

struct sockaddr;

/* An IPv4 or IPv6 socket address's IP as text into out (len >= 46, the
 * longest IPv6 text); false for other families or when it does not fit. */
bool sockaddr_ip(const struct sockaddr *sa, char *out, size_t len);

/* The connected socket's peer IP as text, as sockaddr_ip; "?" when unknown. */
void fd_peer_ip(int fd, char *out, size_t len);

#endif
