/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/un.h> for the platform checks (POSIX 2008): no sun_len,
 * as on illumos and SVR4. */
#ifndef STANDIN_SYS_UN_H
#define STANDIN_SYS_UN_H
#include <sys/socket.h>
struct sockaddr_un {
	sa_family_t sun_family;
	char sun_path[108];
};
#endif
