/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/socket.h>: NetBSD 10 (sys/sys/socket.h) over the shared
 * 4.4BSD part: no close-on-fork flags, SOCK_NOSIGPIPE of its own. */
#ifndef STANDIN_SYS_SOCKET_H
#define STANDIN_SYS_SOCKET_H
#include_next <sys/socket.h>
#define SOCK_CLOEXEC 0x10000000
#define SOCK_NONBLOCK 0x20000000
#define SOCK_NOSIGPIPE 0x40000000
#define SO_NOSIGPIPE 0x0800
#define MSG_NOSIGNAL 0x0400
#define MSG_CMSG_CLOEXEC 0x0800
int accept4(int s, struct sockaddr *restrict addr, socklen_t *restrict len,
            int flags);
#endif
