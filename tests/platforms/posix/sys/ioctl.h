/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/ioctl.h> for make check-platforms: the BSDs and macOS
 * declare ioctl with an unsigned long request (illumos: int; nothing here
 * passes one that differs). */
#ifndef STANDIN_SYS_IOCTL_H
#define STANDIN_SYS_IOCTL_H
int ioctl(int fd, unsigned long request, ...);
#endif
