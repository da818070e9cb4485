/* SPDX-License-Identifier: ISC */
/*
 * emul.h: a test-only translation layer that lets the accrights and
 * streams backends run on Linux. accrights.c and streams.c are compiled
 * against include/sys/socket.h and include/sys/stropts.h, which turn the
 * 4.3BSD message header and the STREAMS calls into the emul_ functions
 * below; emul.c carries them out with SCM_RIGHTS on Unix sockets. An
 * emulated STREAMS pipe is a SOCK_SEQPACKET socket pair that getsockopt
 * reports as no socket. The behaviour follows the manuals as far as they
 * go; it is no proof of what a real kernel does.
 */
#ifndef EMUL_H
#define EMUL_H

#include <sys/types.h>
#include <sys/uio.h>

/* 4.3BSD struct msghdr. */
struct emul_acc_msghdr {
	void *msg_name;
	unsigned int msg_namelen;
	struct iovec *msg_iov;
	int msg_iovlen;
	char *msg_accrights;
	int msg_accrightslen;
};

/* Most descriptors one 4.3BSD message takes (MLEN / sizeof(int)). */
#define EMUL_ACC_MAX_FDS 28

ssize_t emul_acc_sendmsg(int s, const struct emul_acc_msghdr *msg, int flags);
ssize_t emul_acc_recvmsg(int s, struct emul_acc_msghdr *msg, int flags);
int emul_getsockopt(int s, int level, int name, void *value, void *len);

struct emul_strbuf {
	int maxlen;
	int len;
	char *buf;
};

struct emul_strrecvfd {
	int fd;
	uid_t uid;
	gid_t gid;
	char fill[8];
};

#define EMUL_I_RECVFD (('S' << 8) | 016)
#define EMUL_I_SENDFD (('S' << 8) | 021)
#define EMUL_MORECTL 1
#define EMUL_MOREDATA 2

int emul_isastream(int fd);
int emul_getmsg(int fd, struct emul_strbuf *ctl, struct emul_strbuf *data,
                int *flags);
int emul_putmsg(int fd, const struct emul_strbuf *ctl,
                const struct emul_strbuf *data, int flags);
int emul_ioctl(int fd, int request, ...);

/* A bidirectional emulated STREAMS pipe. */
int emul_stream_pipe(int fds[2]);

#endif
