/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/un.h>: the 4.4BSD sockaddr_un, with sun_len. */
#ifndef STANDIN_BSD_SYS_UN_H
#define STANDIN_BSD_SYS_UN_H
#include <sys/socket.h>
struct sockaddr_un {
	unsigned char sun_len;
	sa_family_t sun_family;
	char sun_path[104];
};
#endif
