/* SPDX-License-Identifier: ISC */
/*
 * emul.c: the translation layer of emul.h, built on SCM_RIGHTS. Used only
 * by tests/emul/test_emul; see emul.h for what it is and is not.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emul.h"

union fd_control {
	struct cmsghdr align;
	unsigned char bytes[CMSG_SPACE(sizeof(int) * 253)];
};

/* Puts fds in msg's control buffer as one SCM_RIGHTS message. */
static void attach(struct msghdr *msg, union fd_control *c,
                   const int *fds, size_t nfds)
{
	struct cmsghdr *cmsg;

	if (nfds == 0)
		return;
	memset(c, 0, sizeof *c);
	msg->msg_control = c->bytes;
	msg->msg_controllen = CMSG_SPACE(nfds * sizeof(int));
	cmsg = CMSG_FIRSTHDR(msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(nfds * sizeof(int));
	memcpy(CMSG_DATA(cmsg), fds, nfds * sizeof(int));
}

/* Calls each descriptor in msg's SCM_RIGHTS messages with take. */
static void each_fd(struct msghdr *msg, void (*take)(int fd, void *arg),
                    void *arg)
{
	struct cmsghdr *cmsg;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	     cmsg = CMSG_NXTHDR(msg, cmsg)) {
		size_t i, n;

		if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof fd);
			take(fd, arg);
		}
	}
}

ssize_t emul_acc_sendmsg(int s, const struct emul_acc_msghdr *m, int flags)
{
	union fd_control c;
	struct msghdr msg;

	if (m->msg_accrightslen < 0 ||
	    m->msg_accrightslen > (int)(EMUL_ACC_MAX_FDS * sizeof(int)) ||
	    m->msg_accrightslen % (int)sizeof(int) != 0) {
		errno = EINVAL;
		return -1;
	}
	memset(&msg, 0, sizeof msg);
	msg.msg_name = m->msg_name;
	msg.msg_namelen = m->msg_namelen;
	msg.msg_iov = m->msg_iov;
	msg.msg_iovlen = (size_t)m->msg_iovlen;
	attach(&msg, &c, (const int *)(const void *)m->msg_accrights,
	       (size_t)m->msg_accrightslen / sizeof(int));
	return sendmsg(s, &msg, flags);
}

struct rights {
	struct emul_acc_msghdr *m;
	size_t room, got;
};

/* 4.3BSD copies what fits into msg_accrights and discards the rest. */
static void take_right(int fd, void *arg)
{
	struct rights *r = arg;

	if (r->got < r->room) {
		memcpy(r->m->msg_accrights + r->got * sizeof(int), &fd, sizeof fd);
		r->got++;
	} else {
		close(fd);
	}
}

ssize_t emul_acc_recvmsg(int s, struct emul_acc_msghdr *m, int flags)
{
	union fd_control c;
	struct msghdr msg;
	struct rights r;
	ssize_t n;

	memset(&msg, 0, sizeof msg);
	msg.msg_name = m->msg_name;
	msg.msg_namelen = m->msg_namelen;
	msg.msg_iov = m->msg_iov;
	msg.msg_iovlen = (size_t)m->msg_iovlen;
	msg.msg_control = c.bytes;
	msg.msg_controllen = sizeof c.bytes;
	/* Old kernels know nothing of close-on-exec on receipt. */
	n = recvmsg(s, &msg, flags);
	if (n == -1)
		return -1;
	r.m = m;
	r.room = m->msg_accrights != NULL && m->msg_accrightslen > 0 ?
	         (size_t)m->msg_accrightslen / sizeof(int) : 0;
	r.got = 0;
	each_fd(&msg, take_right, &r);
	m->msg_accrightslen = (int)(r.got * sizeof(int));
	return n;
}

/* The emulated STREAMS pipes, known by inode so that a reused number is
 * not mistaken for one. */
static struct { dev_t dev; ino_t ino; } streams[64];
static size_t nstreams;

int emul_stream_pipe(int fds[2])
{
	struct stat st;
	int i;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds) == -1)
		return -1;
	for (i = 0; i < 2 && nstreams < sizeof streams / sizeof streams[0]; i++) {
		fstat(fds[i], &st);
		streams[nstreams].dev = st.st_dev;
		streams[nstreams].ino = st.st_ino;
		nstreams++;
	}
	return 0;
}

int emul_isastream(int fd)
{
	struct stat st;
	size_t i;

	if (fstat(fd, &st) == -1)
		return -1;
	for (i = 0; i < nstreams; i++)
		if (streams[i].dev == st.st_dev && streams[i].ino == st.st_ino)
			return 1;
	return 0;
}

int emul_getsockopt(int s, int level, int name, void *value, void *len)
{
	if (emul_isastream(s) == 1) {
		errno = ENOTSOCK;
		return -1;
	}
	return getsockopt(s, level, name, value, len);
}

/* A message on the wire: 'M', control length, data length (-1 for an
 * absent part, as 32-bit host-order ints), the control bytes, the data
 * bytes. A descriptor: 'F' with one SCM_RIGHTS descriptor. */
#define RECORD_MAX 70000
#define RECORD_HEAD 9

/* What is left of a message a getmsg did not take whole. */
struct pending {
	unsigned char *record;
	int ctl_len, ctl_off, data_len, data_off;
};
static struct pending pending[1024];

int emul_putmsg(int fd, const struct emul_strbuf *ctl,
                const struct emul_strbuf *data, int flags)
{
	int32_t lens[2];
	unsigned char *record;
	size_t size;
	ssize_t n;

	(void)flags;
	lens[0] = ctl != NULL && ctl->len >= 0 ? ctl->len : -1;
	lens[1] = data != NULL && data->len >= 0 ? data->len : -1;
	size = RECORD_HEAD + (size_t)(lens[0] > 0 ? lens[0] : 0) +
	       (size_t)(lens[1] > 0 ? lens[1] : 0);
	if (size > RECORD_MAX) {
		errno = ERANGE;
		return -1;
	}
	record = malloc(size);
	if (record == NULL)
		return -1;
	record[0] = 'M';
	memcpy(record + 1, lens, sizeof lens);
	if (lens[0] > 0)
		memcpy(record + RECORD_HEAD, ctl->buf, (size_t)lens[0]);
	if (lens[1] > 0)
		memcpy(record + RECORD_HEAD + (lens[0] > 0 ? lens[0] : 0),
		       data->buf, (size_t)lens[1]);
	/* No MSG_NOSIGNAL: a hung-up pipe raises SIGPIPE, as a write would. */
	n = send(fd, record, size, 0);
	free(record);
	return n == -1 ? -1 : 0;
}

/* Copies up to part->maxlen of what is left of one part. */
static void serve(struct emul_strbuf *part, const unsigned char *bytes,
                  int len, int *off)
{
	int k;

	if (part == NULL || part->maxlen < 0)
		return;
	if (len < 0 || (*off > 0 && *off == len)) {
		part->len = -1;
		return;
	}
	k = len - *off < part->maxlen ? len - *off : part->maxlen;
	if (k > 0)
		memcpy(part->buf, bytes + *off, (size_t)k);
	part->len = k;
	*off += k;
}

int emul_getmsg(int fd, struct emul_strbuf *ctl, struct emul_strbuf *data,
                int *flags)
{
	struct pending *p;
	int more;

	if (fd < 0 || fd >= (int)(sizeof pending / sizeof pending[0])) {
		errno = EBADF;
		return -1;
	}
	p = &pending[fd];
	*flags = 0;
	if (p->record == NULL) {
		unsigned char tag;
		int32_t lens[2];
		ssize_t n = recv(fd, &tag, 1, MSG_PEEK);

		if (n == -1)
			return -1;
		if (n == 0) {
			/* Hangup. */
			ctl->len = 0;
			data->len = 0;
			return 0;
		}
		if (tag != 'M') {
			errno = EBADMSG;
			return -1;
		}
		p->record = malloc(RECORD_MAX);
		if (p->record == NULL)
			return -1;
		n = recv(fd, p->record, RECORD_MAX, 0);
		if (n < RECORD_HEAD) {
			free(p->record);
			p->record = NULL;
			errno = EIO;
			return -1;
		}
		memcpy(lens, p->record + 1, sizeof lens);
		p->ctl_len = lens[0];
		p->data_len = lens[1];
		p->ctl_off = p->data_off = 0;
	}
	serve(ctl, p->record + RECORD_HEAD, p->ctl_len, &p->ctl_off);
	serve(data, p->record + RECORD_HEAD + (p->ctl_len > 0 ? p->ctl_len : 0),
	      p->data_len, &p->data_off);
	more = (p->ctl_off < p->ctl_len ? EMUL_MORECTL : 0) |
	       (p->data_off < p->data_len ? EMUL_MOREDATA : 0);
	if (more == 0) {
		free(p->record);
		p->record = NULL;
	}
	return more;
}

static void keep_one(int fd, void *arg)
{
	int *slot = arg;

	if (*slot == -1)
		*slot = fd;
	else
		close(fd);
}

static int send_fd(int fd, int passed)
{
	union fd_control c;
	struct msghdr msg;
	struct iovec iov;
	char tag = 'F';

	memset(&msg, 0, sizeof msg);
	iov.iov_base = &tag;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	attach(&msg, &c, &passed, 1);
	return sendmsg(fd, &msg, 0) == -1 ? -1 : 0;
}

static int receive_fd(int fd, struct emul_strrecvfd *out)
{
	union fd_control c;
	struct msghdr msg;
	struct iovec iov;
	unsigned char tag;
	ssize_t n;
	int got = -1;

	if (pending[fd].record != NULL) {
		errno = EBADMSG;
		return -1;
	}
	n = recv(fd, &tag, 1, MSG_PEEK);
	if (n <= 0) {
		if (n == 0)
			errno = ENXIO;
		return -1;
	}
	if (tag != 'F') {
		errno = EBADMSG;
		return -1;
	}
	memset(&msg, 0, sizeof msg);
	iov.iov_base = &tag;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = c.bytes;
	msg.msg_controllen = sizeof c.bytes;
	if (recvmsg(fd, &msg, 0) == -1)
		return -1;
	each_fd(&msg, keep_one, &got);
	if (got == -1) {
		errno = (msg.msg_flags & MSG_CTRUNC) ? EMFILE : EIO;
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->fd = got;
	out->uid = geteuid();
	out->gid = getegid();
	return 0;
}

int emul_ioctl(int fd, int request, ...)
{
	va_list ap;
	int r;

	if (fd < 0 || fd >= (int)(sizeof pending / sizeof pending[0])) {
		errno = EBADF;
		return -1;
	}
	va_start(ap, request);
	if (request == EMUL_I_SENDFD) {
		r = send_fd(fd, va_arg(ap, int));
	} else if (request == EMUL_I_RECVFD) {
		r = receive_fd(fd, va_arg(ap, struct emul_strrecvfd *));
	} else {
		errno = EINVAL;
		r = -1;
	}
	va_end(ap);
	return r;
}
