/* fdio.h - writing to a file descriptor without losing bytes.
 *
 * write(2) may take fewer bytes than asked and may be interrupted by a
 * signal; every writer of whole records (checkpoints, the write-ahead log,
 * the access log, the Event Hubs sink, batch files) needs the same loop.
 * Errors: -1 with errno set by the failing write (a write that takes
 * nothing counts as a failure: EIO if errno says nothing).
 */
#ifndef APIM_COMMON_FDIO_H
#define APIM_COMMON_FDIO_H

#include <stddef.h>

/* Writes all len bytes of p to fd, retrying on EINTR; 0, or -1. */
int fd_write_all(int fd, const void *p, size_t len);

#endif
