/* SPDX-License-Identifier: ISC */
/* Stand-in <stropts.h>: the STREAMS interface of Solaris and illumos as
 * streamio(7I), getmsg(2), putmsg(2) and isastream(3C) describe it; under
 * _XPG4_2 strrecvfd's padding is __fill and putmsg is __xpg4_putmsg
 * (illumos sys/stropts.h). */
#ifndef STANDIN_STROPTS_H
#define STANDIN_STROPTS_H
#include <sys/feature_tests.h>
#include <sys/types.h>
struct strbuf {
	int maxlen;
	int len;
	caddr_t buf;
};
struct strrecvfd {
	int fd;
	uid_t uid;
	gid_t gid;
#ifdef _XPG4_2
	char __fill[8];
#else
	char fill[8];
#endif
};
#ifdef _XPG4_2
#define putmsg __xpg4_putmsg
#endif
#define STR ('S' << 8)
#define I_RECVFD (STR | 016)
#define I_SENDFD (STR | 021)
#define MORECTL 1
#define MOREDATA 2
#define RS_HIPRI 0x01
int isastream(int fildes);
int getmsg(int fildes, struct strbuf *ctlptr, struct strbuf *dataptr,
           int *flagsp);
int putmsg(int fildes, const struct strbuf *ctlptr,
           const struct strbuf *dataptr, int flags);
int ioctl(int fildes, int request, ...);
#endif
