/* SPDX-License-Identifier: ISC */
/*
 * compat.h: what some systems lack, filled in. The main code includes this
 * one header and uses the POSIX names; each missing function has its own
 * replacement file in compat/, picked by configure.
 */
#ifndef GIVEFD_COMPAT_H
#define GIVEFD_COMPAT_H

#include <sys/types.h>
#include <sys/socket.h>

#ifndef HAVE_SOCKLEN_T
typedef int socklen_t;
#endif

/* Control-message sizes, for systems that predate RFC 2292. */
#if !defined(HAVE_CMSG_ALIGN) && !defined(CMSG_ALIGN)
#define CMSG_ALIGN(len) \
	(((len) + sizeof(long) - 1) & ~(sizeof(long) - 1))
#endif
#if !defined(HAVE_CMSG_SPACE) && !defined(CMSG_SPACE)
#define CMSG_SPACE(len) \
	(CMSG_ALIGN(sizeof(struct cmsghdr)) + CMSG_ALIGN(len))
#endif
#if !defined(HAVE_CMSG_LEN) && !defined(CMSG_LEN)
#define CMSG_LEN(len) (CMSG_ALIGN(sizeof(struct cmsghdr)) + (len))
#endif

/* Flags that are simply absent elsewhere; where the absence needs a
 * fallback the code tests the GFD_ constant. */
#ifdef HAVE_MSG_CMSG_CLOEXEC
#define GFD_ATOMIC_CLOEXEC 1
#else
#undef MSG_CMSG_CLOEXEC
#define MSG_CMSG_CLOEXEC 0
#define GFD_ATOMIC_CLOEXEC 0
#endif
/* Without MSG_NOSIGNAL a send blocks SIGPIPE around itself (sigpipe.c).
 * SO_NOSIGPIPE, where it exists instead, is a property of the caller's
 * socket that the library has no business changing, so it is not set. */
#ifndef HAVE_MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

#ifndef HAVE_PIPE2
/* pipe2.c */
int pipe2(int fds[2], int flags);
#endif

#ifndef HAVE_GETPEEREID
/* getpeereid.c */
int getpeereid(int sock, uid_t *uid, gid_t *gid);
#endif

#ifndef HAVE_GETENTROPY
/* getentropy.c */
int getentropy(void *buf, size_t len);
#endif

#ifndef HAVE_SECURE_GETENV
/* secure_getenv.c */
char *secure_getenv(const char *name);
#endif

#ifndef HAVE_MEMFD_CREATE
/* memfd_create.c */
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
int memfd_create(const char *name, unsigned int flags);
#endif

/* fpurge.c, or libc's undeclared one (musl). Declared for files that
 * include <stdio.h> (which defines EOF) first. */
#if !HAVE_DECL_FPURGE && defined(EOF)
int fpurge(FILE *f);
#endif

#endif /* GIVEFD_COMPAT_H */
