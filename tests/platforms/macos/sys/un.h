/* Stand-in <sys/un.h>: macOS unix(4), LOCAL_PEERCRED at level SOL_LOCAL. */
#ifndef STANDIN_SYS_UN_H
#define STANDIN_SYS_UN_H
#include <sys/socket.h>
struct sockaddr_un {
	unsigned char sun_len;
	sa_family_t sun_family;
	char sun_path[104];
};
#define SOL_LOCAL 0
#define LOCAL_PEERCRED 0x001
#endif
