/* Stand-in config.h: what configure finds on Solaris 10 built without
 * _XPG4_2: msg_accrights, STREAMS pipes, getpeerucred, no getpeereid,
 * MSG_NOSIGNAL or MSG_CMSG_CLOEXEC. */
#define HAVE_ACCRIGHTS_IN_MSGHDR 1
#define HAVE_SOCKLEN_T 1
#define HAVE_STROPTS_H 1
#define HAVE_STREAMS_FDPASS 1
#define HAVE_GETPEERUCRED 1
#define HAVE_CLOSEFROM 1
#define GIVEFD_BACKEND_ACCRIGHTS 1
#define GIVEFD_BACKEND_STREAMS 1
#define GIVEFD_SOCKET_BACKEND 1
#define GIVEFD_DEFAULT_BACKEND "accrights"
