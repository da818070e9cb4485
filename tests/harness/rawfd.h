/* SPDX-License-Identifier: ISC */
/*
 * rawfd.h: SCM_RIGHTS by hand, with nothing from libgivefd, for tests and
 * benchmarks that compare the library with the kernel itself.
 */
#ifndef RAWFD_H
#define RAWFD_H

#include <stddef.h>
#include <sys/types.h>

/* Most descriptors these helpers handle in one message. */
#define RAWFD_MAX 1100

/* One sendmsg of one byte with count copies of fd: its result. */
ssize_t raw_send_copies(int sock, int fd, size_t count);

/* One recvmsg(MSG_CMSG_CLOEXEC) of one byte; the descriptors go to fds
 * (room RAWFD_MAX), their number to *count, the message flags to *flags. */
ssize_t raw_recv(int sock, int *fds, size_t *count, int *flags);

/* 1 if a raw recvmsg with room for one of four descriptors says
 * MSG_CTRUNC, as kernels do; 0 where it does not (qemu-user's translation
 * of recvmsg, which also leaves open the descriptors it drops: the probe
 * closes every descriptor it finds newly open). */
int raw_kernel_reports_ctrunc(void);

#endif
