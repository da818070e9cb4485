/* Stand-in <sys/socket.h>: Solaris and illumos without _XPG4_2, as
 * socket.h(3HEAD), sendmsg(3SOCKET) and recvmsg(3SOCKET) describe it. The
 * message header is the 4.3BSD one: access rights, no control data, no
 * flags. Option lengths are passed as void * outside XPG4.2. */
#ifndef STANDIN_SYS_SOCKET_H
#define STANDIN_SYS_SOCKET_H
#include <sys/types.h>
#include <sys/uio.h>
typedef unsigned int socklen_t;
typedef unsigned short sa_family_t;
struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};
struct msghdr {
	caddr_t msg_name;
	int msg_namelen;
	struct iovec *msg_iov;
	int msg_iovlen;
	caddr_t msg_accrights;
	int msg_accrightslen;
};
#define SOCK_DGRAM 1
#define SOCK_STREAM 2
#define SOCK_SEQPACKET 6
#define AF_UNIX 1
#define SOL_SOCKET 0xffff
#define SO_TYPE 0x1008
#define MSG_OOB 0x1
#define MSG_PEEK 0x2
int socket(int domain, int type, int protocol);
int socketpair(int domain, int type, int protocol, int sv[2]);
ssize_t sendmsg(int s, const struct msghdr *msg, int flags);
ssize_t recvmsg(int s, struct msghdr *msg, int flags);
int getsockopt(int s, int level, int optname, void *optval, void *optlen);
int setsockopt(int s, int level, int optname, const void *optval, int optlen);
#endif
