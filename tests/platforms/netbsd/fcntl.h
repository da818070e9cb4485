/* SPDX-License-Identifier: ISC */
/* Stand-in <fcntl.h>: NetBSD declares posix_fadvise. */
#ifndef STANDIN_netbsd_FCNTL_H
#define STANDIN_netbsd_FCNTL_H
#include_next <fcntl.h>
#define POSIX_FADV_NORMAL 0
#define POSIX_FADV_SEQUENTIAL 2
#define POSIX_FADV_WILLNEED 3
#define POSIX_FADV_DONTNEED 4
int posix_fadvise(int fd, off_t offset, off_t len, int advice);
#endif
