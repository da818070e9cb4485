/* SPDX-License-Identifier: ISC */
/* Test shim (see ../../emul.h): the system's <sys/socket.h> with struct
 * msghdr replaced by the 4.3BSD one and the calls routed to emul.c. */
#ifndef EMUL_SYS_SOCKET_H
#define EMUL_SYS_SOCKET_H
#define msghdr emul_system_msghdr
#include_next <sys/socket.h>
#undef msghdr
#include "../../emul.h"
#define msghdr emul_acc_msghdr
#define sendmsg emul_acc_sendmsg
#define recvmsg emul_acc_recvmsg
#define getsockopt emul_getsockopt
#endif
