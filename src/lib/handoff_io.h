/* SPDX-License-Identifier: ISC */
/*
 * handoff_io.h: the pipe backends' byte moving: exact reads and writes on
 * pipes, FIFOs and stream sockets, the deadline every wait of theirs
 * keeps, and a wait that signals cannot cut short.
 */
#ifndef GFD_HANDOFF_IO_H
#define GFD_HANDOFF_IO_H

#include <poll.h>
#include <sys/uio.h>

/* How long a sender waits for its receiver, and a receiver for the rest of
 * a message it began to read: GIVEFD_HANDOFF_TIMEOUT_MS (not honoured in
 * set-user-ID programs), or 30 s. */
int gfd_handoff_timeout_ms(void);

/* The monotonic clock in milliseconds. */
long long gfd_now_ms(void);

/* poll until something happens or the deadline (gfd_now_ms() time)
 * passes; EINTR only shortens the wait. The number of ready entries, 0 at
 * the deadline, or -1 and errno. */
int gfd_poll_until(struct pollfd *pfd, int n, long long deadline);

/* Writes every byte of iov[0..iovcnt) (which it consumes) with sendmsg on
 * a socket, writev otherwise; retries EINTR, never raises SIGPIPE. */
int gfd_writev_all(int fd, int is_socket, struct iovec *iov, int iovcnt);

/* Fills iov[0..iovcnt) (which it consumes): 0, or -1 with EPIPE (end of
 * stream first) or the read's. On a non-blocking descriptor it waits for
 * the bytes, up to gfd_handoff_timeout_ms() at a time; on a blocking one
 * whose receive timeout (SO_RCVTIMEO) expires it stops. Either way the
 * stream is then out of step: ETIMEDOUT. */
int gfd_readv_exact(int fd, struct iovec *iov, int iovcnt);

/* Mid-message, nothing to read (EAGAIN): 0 when there is more to read, or
 * -1 and ETIMEDOUT (see gfd_readv_exact). */
int gfd_wait_for_rest(int fd);

#endif
