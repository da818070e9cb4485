/* SPDX-License-Identifier: ISC */
/* Stand-in <fcntl.h> for make check-platforms (fcntl(2), POSIX 2008). */
#ifndef STANDIN_FCNTL_H
#define STANDIN_FCNTL_H
#include <sys/types.h>
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 37
#define FD_CLOEXEC 1
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0x100
#define O_TRUNC 0x200
#define O_EXCL 0x400
#define O_APPEND 0x08
#define O_NOFOLLOW 0x20000
#define O_DIRECTORY 0x1000000
#define O_NOCTTY 0x800
#define F_GETOWN 23
#define O_NONBLOCK 0x80
#define O_CLOEXEC 0x800000
int fcntl(int fildes, int cmd, ...);
int open(const char *path, int oflag, ...);
int openat(int fd, const char *path, int oflag, ...);
#endif
