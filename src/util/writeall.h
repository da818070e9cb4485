/* SPDX-License-Identifier: ISC */
/* writeall.h: write or send a whole buffer, resuming after signals. */
#ifndef GFD_WRITEALL_H
#define GFD_WRITEALL_H

#include <stddef.h>

/* Writes all len bytes to fd, again after EINTR and short writes: 0, or
 * -1 with errno (a write that wrote nothing and set no errno leaves errno
 * as it was). A closed pipe raises SIGPIPE as write(2) does: for pipes
 * and FIFOs whose caller handles or ignores it. */
int util_write_all(int fd, const void *buf, size_t len);

/* The same on a socket with MSG_NOSIGNAL, so that a peer gone is EPIPE
 * and not SIGPIPE (where the system has MSG_NOSIGNAL). */
int util_send_all(int fd, const void *buf, size_t len);

#endif
