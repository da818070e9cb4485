/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/socket.h>: OpenBSD 7.8 (sys/sys/socket.h) over the shared
 * 4.4BSD part: msg_iovlen is unsigned, SO_PEERCRED gives struct
 * sockpeercred, there is no SO_NOSIGPIPE, and SOCK_CLOFORK is only shown
 * to POSIX 2024 programs. */
#ifndef STANDIN_SYS_SOCKET_H
#define STANDIN_SYS_SOCKET_H
#define STANDIN_IOVLEN_T unsigned int
#include_next <sys/socket.h>
#define SOCK_CLOEXEC 0x8000
#define SOCK_NONBLOCK 0x4000
#if _POSIX_C_SOURCE >= 202405L
#define SOCK_CLOFORK 0x0800
#endif
#define SO_PEERCRED 0x1022
#define MSG_NOSIGNAL 0x400
#define MSG_CMSG_CLOEXEC 0x800
#define MSG_CMSG_CLOFORK 0x2000
struct sockpeercred {
	uid_t uid;
	gid_t gid;
	pid_t pid;
};
int getpeereid(int s, uid_t *euid, gid_t *egid);
int accept4(int s, struct sockaddr *restrict addr, socklen_t *restrict len,
            int flags);
#endif
