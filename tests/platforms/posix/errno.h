/* SPDX-License-Identifier: ISC */
/* Stand-in <errno.h> for make check-platforms: the names POSIX 2008 and
 * the Solaris manuals give, each a distinct value. */
#ifndef STANDIN_ERRNO_H
#define STANDIN_ERRNO_H
extern int *___errno(void);
#define errno (*(___errno()))
#define E2BIG 7
#define EINTR 4
#define EBADF 9
#define EAGAIN 11
#define EINVAL 22
#define EMFILE 24
#define EPIPE 32
#define ENOMSG 35
#define ENOTSUP 48
#define EPROTO 71
#define EBADMSG 77
#define EOVERFLOW 79
#define ENOTSOCK 95
#define EMSGSIZE 97
#define ENOBUFS 132
#define ENOENT 2
#define ESRCH 3
#define EIO 5
#define ECHILD 10
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENOTDIR 20
#define EISDIR 21
#define ENFILE 23
#define ENOSPC 28
#define ESPIPE 29
#define ERANGE 34
#define EDEADLK 45
#define ENOSYS 89
#define ENAMETOOLONG 78
#define EWOULDBLOCK EAGAIN
#define EPROTONOSUPPORT 120
#define EOPNOTSUPP 122
#define ECONNRESET 131
#define ECONNREFUSED 146
#define ETIMEDOUT 145
#define EINPROGRESS 150
#define EALREADY 149
#define EPERM 1
#define ENXIO 6
#define ENOTCONN 134
#define EADDRINUSE 125
#define ECANCELED 47
#define EFBIG 27
#define EDQUOT 69
#define ECONNABORTED 130
#endif
