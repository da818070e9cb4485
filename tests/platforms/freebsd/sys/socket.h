/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/socket.h>: FreeBSD 14/15 (sys/sys/socket.h) over the
 * shared 4.4BSD part; the close-on-fork flags are FreeBSD 15's. */
#ifndef STANDIN_SYS_SOCKET_H
#define STANDIN_SYS_SOCKET_H
#include_next <sys/socket.h>
#define SOCK_CLOEXEC 0x10000000
#define SOCK_NONBLOCK 0x20000000
#define SOCK_CLOFORK 0x40000000
#define SO_NOSIGPIPE 0x0800
#define MSG_NOSIGNAL 0x20000
#define MSG_CMSG_CLOEXEC 0x40000
#define MSG_CMSG_CLOFORK 0x400000
int accept4(int s, struct sockaddr *restrict addr, socklen_t *restrict len,
            int flags);
#endif
