/* SPDX-License-Identifier: ISC */
/* Test shim (see ../../emul.h): the STREAMS interface, routed to emul.c. */
#ifndef EMUL_SYS_STROPTS_H
#define EMUL_SYS_STROPTS_H
#include "../../emul.h"
#define strbuf emul_strbuf
#define strrecvfd emul_strrecvfd
#define I_RECVFD EMUL_I_RECVFD
#define I_SENDFD EMUL_I_SENDFD
#define MORECTL EMUL_MORECTL
#define MOREDATA EMUL_MOREDATA
#define isastream emul_isastream
#define getmsg emul_getmsg
#define putmsg emul_putmsg
#define ioctl emul_ioctl
#endif
