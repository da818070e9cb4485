/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/socket.h>, the part the 4.4BSD descendants (FreeBSD,
 * NetBSD, OpenBSD, macOS) share: sockaddr with sa_len, msghdr with
 * msg_control, cmsghdr and the CMSG macros, the calls givefd makes. Each
 * system's own sys/socket.h sets what differs (STANDIN_IOVLEN_T, the type
 * of msg_iovlen; STANDIN_CMSG_ALIGN, the control-data alignment), includes
 * this one, then adds its own flag values. */
#ifndef STANDIN_BSD_SYS_SOCKET_H
#define STANDIN_BSD_SYS_SOCKET_H
#include <sys/types.h>
#include <sys/uio.h>
#ifndef STANDIN_IOVLEN_T
#define STANDIN_IOVLEN_T int
#endif
#ifndef STANDIN_CMSG_ALIGN
#define STANDIN_CMSG_ALIGN sizeof(long)
#endif
typedef unsigned int socklen_t;
typedef unsigned char sa_family_t;
struct sockaddr {
	unsigned char sa_len;
	sa_family_t sa_family;
	char sa_data[14];
};
struct msghdr {
	void *msg_name;
	socklen_t msg_namelen;
	struct iovec *msg_iov;
	STANDIN_IOVLEN_T msg_iovlen;
	void *msg_control;
	socklen_t msg_controllen;
	int msg_flags;
};
struct cmsghdr {
	socklen_t cmsg_len;
	int cmsg_level;
	int cmsg_type;
};
#define STANDIN_ALIGN(n) \
	(((unsigned long)(n) + STANDIN_CMSG_ALIGN - 1) & \
	 ~(unsigned long)(STANDIN_CMSG_ALIGN - 1))
#define CMSG_DATA(c) \
	((unsigned char *)(c) + STANDIN_ALIGN(sizeof(struct cmsghdr)))
#define CMSG_FIRSTHDR(m) \
	((m)->msg_controllen >= sizeof(struct cmsghdr) ? \
	 (struct cmsghdr *)(m)->msg_control : (struct cmsghdr *)0)
#define CMSG_NXTHDR(m, c) \
	((char *)(c) + STANDIN_ALIGN((c)->cmsg_len) + \
	 STANDIN_ALIGN(sizeof(struct cmsghdr)) > \
	 (char *)(m)->msg_control + (m)->msg_controllen ? \
	 (struct cmsghdr *)0 : \
	 (struct cmsghdr *)(void *)((char *)(c) + STANDIN_ALIGN((c)->cmsg_len)))
#define CMSG_SPACE(l) (STANDIN_ALIGN(sizeof(struct cmsghdr)) + STANDIN_ALIGN(l))
#define CMSG_LEN(l) (STANDIN_ALIGN(sizeof(struct cmsghdr)) + (l))
#define SCM_RIGHTS 0x01
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_SEQPACKET 5
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
#define MSG_DONTWAIT 0x80
#define MSG_WAITALL 0x40
#define MSG_TRUNC 0x10
#define MSG_CTRUNC 0x20
int socket(int domain, int type, int protocol);
int socketpair(int domain, int type, int protocol, int sv[2]);
ssize_t sendmsg(int s, const struct msghdr *msg, int flags);
ssize_t send(int s, const void *buf, size_t len, int flags);
ssize_t recv(int s, void *buf, size_t len, int flags);
int accept(int s, struct sockaddr *restrict addr, socklen_t *restrict len);
int bind(int s, const struct sockaddr *addr, socklen_t len);
int connect(int s, const struct sockaddr *addr, socklen_t len);
int listen(int s, int backlog);
int shutdown(int s, int how);
#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2
ssize_t recvmsg(int s, struct msghdr *msg, int flags);
/* 128 bytes, aligned for any address, on every 4.4BSD descendant. */
struct sockaddr_storage {
	unsigned char ss_len;
	sa_family_t ss_family;
	char __ss_pad1[6];
	long long __ss_align;
	char __ss_pad2[112];
};
int getsockname(int s, struct sockaddr *restrict name, socklen_t *restrict namelen);
int getpeername(int s, struct sockaddr *restrict name, socklen_t *restrict namelen);
int getsockopt(int s, int level, int optname, void *restrict optval,
               socklen_t *restrict optlen);
int setsockopt(int s, int level, int optname, const void *optval,
               socklen_t optlen);
#endif
