/* Stand-in <sys/un.h>: FreeBSD unix(4), with the LOCAL_PEERCRED option at
 * level 0 (SOL_LOCAL). */
#ifndef STANDIN_SYS_UN_H
#define STANDIN_SYS_UN_H
#include <sys/socket.h>
struct sockaddr_un {
	unsigned char sun_len;
	sa_family_t sun_family;
	char sun_path[104];
};
#define SOL_LOCAL 0
#define LOCAL_PEERCRED 1
#endif
