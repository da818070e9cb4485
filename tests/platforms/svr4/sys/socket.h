/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/socket.h>: SVR4 sockets with neither msg_control nor
 * msg_accrights and no socklen_t; options take int lengths. */
#ifndef STANDIN_SYS_SOCKET_H
#define STANDIN_SYS_SOCKET_H
#include <sys/types.h>
#include <sys/uio.h>
#define SOCK_DGRAM 1
#define SOCK_STREAM 2
#define AF_UNIX 1
#define SOL_SOCKET 0xffff
#define SO_TYPE 0x1008
int socket(int domain, int type, int protocol);
int getsockopt(int s, int level, int optname, char *optval, int *optlen);
#endif
