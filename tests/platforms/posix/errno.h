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
#endif
