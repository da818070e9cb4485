/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/socket.h>: the macOS 13 SDK (xnu bsd/sys/socket.h) over the
 * shared 4.4BSD part: control data aligned to 4 bytes (__DARWIN_ALIGN32)
 * even on LP64, so CMSG_SPACE and CMSG_LEN differ from the other BSDs; no
 * SOCK_CLOEXEC, MSG_CMSG_CLOEXEC or accept4; SO_NOSIGPIPE is 0x1022. */
#ifndef STANDIN_SYS_SOCKET_H
#define STANDIN_SYS_SOCKET_H
#define STANDIN_CMSG_ALIGN 4
#include_next <sys/socket.h>
#define SO_NOSIGPIPE 0x1022
#define MSG_NOSIGNAL 0x80000
int getpeereid(int s, uid_t *euid, gid_t *egid);
#endif
