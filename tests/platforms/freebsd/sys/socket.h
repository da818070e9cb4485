/* Stand-in <sys/socket.h>: FreeBSD 14/15 (sys/sys/socket.h), the parts
 * givefd uses. Control data aligned to the machine's _ALIGN (8 on LP64). */
#ifndef STANDIN_SYS_SOCKET_H
#define STANDIN_SYS_SOCKET_H
#include <sys/types.h>
#include <sys/uio.h>
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
	int msg_iovlen;
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
	(((unsigned long)(n) + sizeof(long) - 1) & ~(sizeof(long) - 1))
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
#define SOCK_CLOEXEC 0x10000000
#define SOCK_NONBLOCK 0x20000000
#define SOCK_CLOFORK 0x40000000
#define AF_UNIX 1
#define SOL_SOCKET 0xffff
#define SO_NOSIGPIPE 0x0800
#define SO_TYPE 0x1008
#define MSG_TRUNC 0x10
#define MSG_CTRUNC 0x20
#define MSG_NOSIGNAL 0x20000
#define MSG_CMSG_CLOEXEC 0x40000
#define MSG_CMSG_CLOFORK 0x400000
int socket(int domain, int type, int protocol);
int socketpair(int domain, int type, int protocol, int sv[2]);
int accept4(int s, struct sockaddr *restrict addr, socklen_t *restrict len,
            int flags);
ssize_t sendmsg(int s, const struct msghdr *msg, int flags);
ssize_t recvmsg(int s, struct msghdr *msg, int flags);
int getsockopt(int s, int level, int optname, void *restrict optval,
               socklen_t *restrict optlen);
int setsockopt(int s, int level, int optname, const void *optval,
               socklen_t optlen);
#endif
