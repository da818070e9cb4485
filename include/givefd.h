/* SPDX-License-Identifier: ISC */
/*
 * givefd.h: pass open file descriptors between processes.
 *
 * Every function returns -1 and sets errno on failure; givefd(3) lists the
 * errors. Descriptors received are close-on-exec.
 */
#ifndef GIVEFD_H
#define GIVEFD_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Send one descriptor over chan: 0, or -1 and errno. */
int givefd(int chan, int fd);

/* Receive one descriptor from chan: the new descriptor, or -1 and errno. */
int getfd(int chan);

/*
 * Send nfds descriptors and len payload bytes as one message; either may be
 * zero. Returns the payload bytes sent.
 */
ssize_t givefd_send(int chan, const int *fds, size_t nfds,
                    const void *buf, size_t len);

/*
 * Receive one message. On entry *nfds is the room in fds, on return the
 * number of descriptors received. Returns the payload bytes received.
 */
ssize_t givefd_recv(int chan, int *fds, size_t *nfds, void *buf, size_t len);

/*
 * Receive flags. GIVEFD_TRUST_WRITERS: accept descriptors named by the
 * procfd and pidfd backends on a channel whose writers the kernel cannot
 * name (a pipe, a FIFO, a socket pair made by this process, an unconnected
 * datagram socket): every process that can write to chan is trusted to
 * give its own descriptors. Without it such messages fail with EPERM.
 */
#define GIVEFD_TRUST_WRITERS 0x1

/* givefd_recv and getfd with receive flags. */
ssize_t givefd_recv_flags(int chan, int *fds, size_t *nfds, void *buf,
                          size_t len, int flags);
int getfd_flags(int chan, int flags);

/*
 * An incremental receiver for event loops (givefd_receiver(3)). On chan,
 * givefd_receiver_recv never waits: it returns one whole message, as
 * givefd_recv_flags would with flags, or -1 and EAGAIN while none has
 * come whole; the part of a message that has come is kept in the
 * receiver. givefd_receiver_pending is 1 while such a part is kept (the
 * caller's deadline for the rest applies), else 0. givefd_receiver_free
 * drops what is kept; it does not close chan.
 */
struct givefd_receiver;

struct givefd_receiver *givefd_receiver_new(int chan, int flags);
ssize_t givefd_receiver_recv(struct givefd_receiver *rx, int *fds,
                             size_t *nfds, void *buf, size_t len);
int givefd_receiver_pending(const struct givefd_receiver *rx);
void givefd_receiver_free(struct givefd_receiver *rx);

/* The most descriptors one message can carry with the sending backend. */
size_t givefd_max_fds(void);

/* Name of the backend used for sending ("scm_rights", "procfd", ...). */
const char *givefd_backend(void);

/* Send with the named backend from now on: 0, or -1 and errno ENOTSUP. */
int givefd_use_backend(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* GIVEFD_H */
