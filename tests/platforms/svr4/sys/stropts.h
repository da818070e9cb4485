/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/stropts.h>: an SVR4 system that has the STREAMS interface
 * (streamio(7), getmsg(2), putmsg(2)) only under sys/, and no socket
 * descriptor passing. */
#ifndef STANDIN_SYS_STROPTS_H
#define STANDIN_SYS_STROPTS_H
#include <sys/types.h>
struct strbuf {
	int maxlen;
	int len;
	char *buf;
};
struct strrecvfd {
	int fd;
	uid_t uid;
	gid_t gid;
	char fill[8];
};
#define STR ('S' << 8)
#define I_RECVFD (STR | 016)
#define I_SENDFD (STR | 021)
#define MORECTL 1
#define MOREDATA 2
int isastream(int fildes);
int getmsg(int fildes, struct strbuf *ctlptr, struct strbuf *dataptr,
           int *flagsp);
int putmsg(int fildes, const struct strbuf *ctlptr,
           const struct strbuf *dataptr, int flags);
int ioctl(int fildes, int request, ...);
#endif
