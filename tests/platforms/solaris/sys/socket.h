/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/socket.h>: illumos (usr/src/uts/common/sys/socket.h), the
 * parts givefd uses. Programs built with _XPG4_2 get msg_control, the
 * CMSG_* macros (data aligned to an int) and sendmsg/recvmsg renamed to
 * __xnet_*; the others get the 4.3BSD msg_accrights. SOCK_CLOEXEC,
 * MSG_NOSIGNAL, MSG_CMSG_CLOEXEC and accept4 need no feature macro. */
#ifndef STANDIN_SYS_SOCKET_H
#define STANDIN_SYS_SOCKET_H
#include <sys/feature_tests.h>
#include <sys/types.h>
#include <sys/uio.h>
typedef unsigned int socklen_t;
typedef unsigned short sa_family_t;
#ifdef _XPG4_2
typedef socklen_t *restrict Psocklen_t;
#else
typedef void *restrict Psocklen_t;
#endif
struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};
struct msghdr {
	void *msg_name;
	socklen_t msg_namelen;
	struct iovec *msg_iov;
	int msg_iovlen;
#ifdef _XPG4_2
	void *msg_control;
	socklen_t msg_controllen;
	int msg_flags;
#else
	caddr_t msg_accrights;
	int msg_accrightslen;
#endif
};
struct cmsghdr {
	socklen_t cmsg_len;
	int cmsg_level;
	int cmsg_type;
};
#ifdef _XPG4_2
#define STANDIN_ALIGN4(n) (((unsigned long)(n) + 3) & ~3UL)
#define CMSG_DATA(c) ((unsigned char *)STANDIN_ALIGN4((struct cmsghdr *)(c) + 1))
#define CMSG_FIRSTHDR(m) \
	((m)->msg_controllen < sizeof(struct cmsghdr) ? (struct cmsghdr *)0 : \
	 (struct cmsghdr *)(m)->msg_control)
#define CMSG_NXTHDR(m, c) \
	(STANDIN_ALIGN4((char *)(c) + (c)->cmsg_len) + sizeof(struct cmsghdr) > \
	 (unsigned long)(m)->msg_control + (m)->msg_controllen ? \
	 (struct cmsghdr *)0 : \
	 (struct cmsghdr *)STANDIN_ALIGN4((char *)(c) + (c)->cmsg_len))
#define CMSG_SPACE(l) ((unsigned int)STANDIN_ALIGN4(sizeof(struct cmsghdr) + (l)))
#define CMSG_LEN(l) ((unsigned int)STANDIN_ALIGN4(sizeof(struct cmsghdr)) + (l))
#define sendmsg __xnet_sendmsg
#define recvmsg __xnet_recvmsg
#define socket __xnet_socket
#define socketpair __xnet_socketpair
#define getsockopt __xnet_getsockopt
#endif
#define SCM_RIGHTS 0x1010
#define SOCK_DGRAM 1
#define SOCK_STREAM 2
#define SOCK_SEQPACKET 6
#define SOCK_CLOEXEC 0x080000
#define SOCK_NONBLOCK 0x100000
#define SOCK_CLOFORK 0x400000
#define AF_UNIX 1
#define SOL_SOCKET 0xffff
#define SO_TYPE 0x1008
#define SO_ACCEPTCONN 0x0002
#define SO_SNDBUF 0x1001
#define SO_RCVBUF 0x1002
#define SO_SNDTIMEO 0x1005
#define SO_RCVTIMEO 0x1006
#define SO_ERROR 0x1007
#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_WAITALL 0x40
#define MSG_DONTWAIT 0x80
#define MSG_CTRUNC 0x10
#define MSG_TRUNC 0x20
#define MSG_NOSIGNAL 0x200
#define MSG_CMSG_CLOEXEC 0x1000
#define MSG_CMSG_CLOFORK 0x2000
int socket(int domain, int type, int protocol);
int socketpair(int domain, int type, int protocol, int *sv);
int accept4(int s, struct sockaddr *restrict addr, Psocklen_t len, int flags);
ssize_t sendmsg(int s, const struct msghdr *msg, int flags);
ssize_t send(int s, const void *buf, size_t len, int flags);
ssize_t recv(int s, void *buf, size_t len, int flags);
int accept(int s, struct sockaddr *restrict addr, Psocklen_t len);
int bind(int s, const struct sockaddr *addr, socklen_t len);
int connect(int s, const struct sockaddr *addr, socklen_t len);
int listen(int s, int backlog);
int shutdown(int s, int how);
#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2
ssize_t recvmsg(int s, struct msghdr *msg, int flags);
/* 256 bytes on illumos. */
struct sockaddr_storage {
	sa_family_t ss_family;
	char _ss_pad1[6];
	double _ss_align;
	char _ss_pad2[240];
};
int getsockname(int s, struct sockaddr *restrict name, Psocklen_t len);
int getpeername(int s, struct sockaddr *restrict name, Psocklen_t len);
int getsockopt(int s, int level, int optname, void *restrict optval,
               Psocklen_t optlen);
int setsockopt(int s, int level, int optname, const void *optval,
               socklen_t optlen);
#endif
