/* Stand-in <sys/socket.h>: OpenBSD adds SO_PEERCRED with struct
 * sockpeercred (getsockopt(2)) to the 4.4BSD interface. */
#ifndef STANDIN_OPENBSD_SYS_SOCKET_H
#define STANDIN_OPENBSD_SYS_SOCKET_H
#include_next <sys/socket.h>
struct sockpeercred {
	uid_t uid;
	gid_t gid;
	pid_t pid;
};
#define SO_PEERCRED 0x1022
#endif
