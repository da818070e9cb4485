/* SPDX-License-Identifier: ISC */
/*
 * streams.c: descriptors over SVR4 STREAMS pipes (Solaris and illumos
 * streamio(7I)): ioctl(I_SENDFD) queues a descriptor at the other end,
 * ioctl(I_RECVFD) takes it as a struct strrecvfd. So that payload and
 * descriptors stay together, a message is one putmsg whose control part is
 * an 8-byte header ("GFDS", descriptor count as 16 bits big-endian, two
 * zero bytes) and whose data part is the payload, followed by one I_SENDFD
 * per descriptor. The receiver takes the message with getmsg, then exactly
 * that many descriptors. One sender at a time per pipe.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef HAVE_STROPTS_H
#include <stropts.h>
#else
#include <sys/stropts.h>
#endif

#include "compat.h"
#include "internal.h"
#include "backend.h"

#define HEADER_LEN 8
static const char magic[4] = { 'G', 'F', 'D', 'S' };

static size_t streams_max_fds(void)
{
	return GFD_FD_CAP;
}

/* Waits until chan can take (POLLOUT) or give (POLLIN) more. */
static int wait_for(int chan, short events)
{
	struct pollfd p;

	p.fd = chan;
	p.events = events;
	p.revents = 0;
	return poll(&p, 1, -1) == -1 && errno != EINTR ? -1 : 0;
}

/* ioctl retried on EINTR and, once a message is committed, on EAGAIN. */
static int fd_ioctl(int chan, int request, void *arg, short events)
{
	int r;

	for (;;) {
		r = ioctl(chan, request, arg);
		if (r != -1 || (errno != EINTR && errno != EAGAIN))
			return r;
		if (errno == EAGAIN && wait_for(chan, events) == -1)
			return -1;
	}
}

static ssize_t put_message(int chan, const int *fds, size_t nfds,
                           const void *buf, size_t len)
{
	unsigned char header[HEADER_LEN];
	struct strbuf ctl, data;
	size_t i;
	int r;

	memcpy(header, magic, sizeof magic);
	header[4] = (unsigned char)(nfds >> 8);
	header[5] = (unsigned char)(nfds & 0xff);
	header[6] = header[7] = 0;
	ctl.maxlen = 0;
	ctl.len = HEADER_LEN;
	ctl.buf = (char *)header;
	data.maxlen = 0;
	data.len = (int)len;
	data.buf = (char *)buf;
	do
		r = putmsg(chan, &ctl, &data, 0);
	while (r == -1 && errno == EINTR);
	if (r == -1)
		return -1;
	for (i = 0; i < nfds; i++) {
		/* I_SENDFD takes the descriptor itself as its argument. */
		int one = fds[i];

		for (;;) {
			r = ioctl(chan, I_SENDFD, one);
			if (r != -1 || (errno != EINTR && errno != EAGAIN))
				break;
			if (errno == EAGAIN && wait_for(chan, POLLOUT) == -1)
				break;
		}
		if (r == -1)
			return -1;
	}
	return (ssize_t)len;
}

static ssize_t streams_send(int chan, const int *fds, size_t nfds,
                            const void *buf, size_t len)
{
	struct gfd_sigpipe_guard guard;
	ssize_t n;

	if (len > 0x7fffffff) {
		errno = EMSGSIZE;
		return -1;
	}
	gfd_sigpipe_hold(&guard);
	n = put_message(chan, fds, nfds, buf, len);
	gfd_sigpipe_release(&guard);
	return n;
}

int gfd_streams_channel(int chan)
{
	return isastream(chan) == 1;
}

/* Reads and drops what is left of a message larger than the buffers. */
static int drain(int chan, int more)
{
	char scrap[256];
	struct strbuf ctl, data;
	int flags;

	while (more > 0) {
		ctl.maxlen = data.maxlen = (int)sizeof scrap;
		ctl.buf = data.buf = scrap;
		flags = 0;
		do
			more = getmsg(chan, &ctl, &data, &flags);
		while (more == -1 && errno == EINTR);
	}
	return more;
}

/* A descriptor sits where a message was expected: take it, close it. */
static void drop_stray_fd(int chan)
{
	struct strrecvfd r;

	if (ioctl(chan, I_RECVFD, &r) == 0)
		close(r.fd);
}

static int queued(int chan)
{
	struct pollfd p;

	p.fd = chan;
	p.events = POLLIN;
	p.revents = 0;
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* Takes the count descriptors that follow a message, close-on-exec. */
static int take_fds(int chan, size_t count, struct gfd_arrival *arrival)
{
	struct strrecvfd r;
	size_t i;

	for (i = 0; i < count; i++) {
		if (fd_ioctl(chan, I_RECVFD, &r, POLLIN) == -1) {
			int failed = errno;

			gfd_close_all(arrival->fds, arrival->nfds);
			arrival->nfds = 0;
			/* With room again, what is already queued of the
			 * rest (the refused one too, if it was put back) is
			 * taken and closed, never waiting for more. */
			if (failed == EMFILE)
				for (; i < count && queued(chan); i++) {
					if (ioctl(chan, I_RECVFD, &r) == -1)
						break;
					close(r.fd);
				}
			errno = failed == EBADMSG ? EPROTO : failed;
			return -1;
		}
		if (arrival->nfds == arrival->cap) {
			close(r.fd);    /* more than the receiver takes */
			continue;
		}
		arrival->fds[arrival->nfds++] = r.fd;
		if (gfd_set_cloexec_all(&r.fd, 1) == -1) {
			gfd_close_all(arrival->fds, arrival->nfds);
			arrival->nfds = 0;
			return -1;
		}
	}
	return 0;
}

ssize_t gfd_streams_recv(int chan, void *buf, size_t room,
                         struct gfd_arrival *arrival)
{
	unsigned char header[HEADER_LEN];
	struct strbuf ctl, data;
	size_t count;
	int flags = 0, more;

	arrival->nfds = 0;
	arrival->truncated = 0;
	ctl.maxlen = HEADER_LEN;
	ctl.len = 0;
	ctl.buf = (char *)header;
	data.maxlen = room > 0x7fffffff ? 0x7fffffff : (int)room;
	data.len = 0;
	data.buf = buf;
	do
		more = getmsg(chan, &ctl, &data, &flags);
	while (more == -1 && errno == EINTR);
	if (more == -1) {
		if (errno == EBADMSG) {
			drop_stray_fd(chan);
			errno = EPROTO;
		}
		return -1;
	}
	/* Hangup: both lengths 0 (a zero-length data message has no control
	 * part, ctl.len -1, and is refused below as not ours). */
	if (more == 0 && ctl.len == 0 && data.len == 0) {
		errno = EPIPE;
		return -1;
	}
	if ((more & MORECTL) || ctl.len != HEADER_LEN ||
	    memcmp(header, magic, sizeof magic) != 0) {
		drain(chan, more);
		errno = EPROTO;
		return -1;
	}
	if (more & MOREDATA) {
		arrival->truncated = 1;
		if (drain(chan, more) == -1)
			return -1;
	}
	count = (size_t)header[4] << 8 | header[5];
	if (count > GFD_FD_CAP) {
		errno = EPROTO;
		return -1;
	}
	if (take_fds(chan, count, arrival) == -1)
		return -1;
	return data.len > 0 ? (ssize_t)data.len : 0;
}

const struct gfd_backend gfd_backend_streams = {
	"streams",
	streams_max_fds,
	streams_send,
};
