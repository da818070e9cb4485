/*
 * accrights.c: descriptors in the msg_accrights array of a 4.3BSD struct
 * msghdr, as on Solaris and illumos programs built without the XPG4.2
 * interfaces (sendmsg(3SOCKET), recvmsg(3SOCKET)) and on old BSD-derived
 * systems. Like scm_rights: at least one data byte on the wire (a NUL when
 * there is no payload), descriptors attached to the first byte. The old
 * struct has no msg_flags, so truncation is found by the sizes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "compat.h"
#include "internal.h"
#include "backend.h"

/* 4.3BSD copies the rights into one mbuf (MLEN, 112 bytes); later kernels
 * take more, but a message of this size goes everywhere. */
#define ACCRIGHTS_MAX_FDS 28

static size_t accrights_max_fds(void)
{
	return ACCRIGHTS_MAX_FDS;
}

static ssize_t accrights_sendmsg(int chan, const int *fds, size_t nfds,
                                 const void *buf, size_t len)
{
	struct gfd_sigpipe_guard guard;
	struct msghdr msg;
	struct iovec iov;
	ssize_t n;

	memset(&msg, 0, sizeof msg);
	iov.iov_base = (void *)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfds > 0) {
		msg.msg_accrights = (void *)fds;
		msg.msg_accrightslen = (int)(nfds * sizeof(int));
	}
	if (MSG_NOSIGNAL == 0)
		gfd_sigpipe_hold(&guard);
	do
		n = sendmsg(chan, &msg, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (MSG_NOSIGNAL == 0)
		gfd_sigpipe_release(&guard);
	return n;
}

static ssize_t accrights_send(int chan, const int *fds, size_t nfds,
                              const void *buf, size_t len)
{
	static const unsigned char filler = 0;
	const unsigned char *bytes = buf;
	size_t sent;
	ssize_t n;

	if (len == 0)
		return accrights_sendmsg(chan, fds, nfds, &filler, 1) == -1 ? -1 : 0;
	n = accrights_sendmsg(chan, fds, nfds, buf, len);
	if (n == -1)
		return -1;
	/* A stream socket may take part; the rest goes without descriptors. */
	for (sent = (size_t)n; sent < len; sent += (size_t)n) {
		n = accrights_sendmsg(chan, NULL, 0, bytes + sent, len - sent);
		if (n <= 0)
			break;
	}
	return (ssize_t)sent;
}

static int descriptor_table_full(int any_open_fd)
{
	int probe = fcntl(any_open_fd, F_DUPFD, 0);

	if (probe == -1)
		return errno == EMFILE;
	close(probe);
	return 0;
}

ssize_t gfd_socket_recv(int chan, void *buf, size_t room, int flags,
                        struct gfd_arrival *arrival)
{
	/* One slot more than any sender may use: a full array means the
	 * kernel had more to give than fitted. */
	int rights[GFD_FD_CAP + 1];
	unsigned char spare;
	struct msghdr msg;
	struct iovec iov[2];
	int type;
	socklen_t size = sizeof type;
	ssize_t n;

	arrival->nfds = 0;
	arrival->truncated = 0;
	if (getsockopt(chan, SOL_SOCKET, SO_TYPE, (void *)&type, &size) == -1)
		return -1;
	memset(&msg, 0, sizeof msg);
	iov[0].iov_base = buf;
	iov[0].iov_len = room;
	/* On a message socket a spare byte shows a payload longer than room. */
	iov[1].iov_base = (void *)&spare;
	iov[1].iov_len = 1;
	msg.msg_iov = iov;
	msg.msg_iovlen = type == SOCK_STREAM ? 1 : 2;
	msg.msg_accrights = (void *)rights;
	msg.msg_accrightslen = (int)sizeof rights;
	do
		n = recvmsg(chan, &msg, flags);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		if (errno == EMSGSIZE && descriptor_table_full(chan))
			errno = EMFILE;
		return -1;
	}
	if (msg.msg_accrightslen > 0)
		arrival->nfds = (size_t)msg.msg_accrightslen / sizeof(int);
	if (arrival->nfds > GFD_FD_CAP) {
		gfd_close_all(rights, arrival->nfds);
		arrival->nfds = 0;
		errno = ENOBUFS;
		return -1;
	}
	memcpy(arrival->fds, rights, arrival->nfds * sizeof(int));
	if (gfd_set_cloexec_all(arrival->fds, arrival->nfds) == -1) {
		gfd_close_all(arrival->fds, arrival->nfds);
		arrival->nfds = 0;
		return -1;
	}
	if ((size_t)n > room) {
		arrival->truncated = 1;
		n = (ssize_t)room;
	}
	if (n == 0 && arrival->nfds == 0) {
		errno = EPIPE;
		return -1;
	}
	return n;
}

const struct gfd_backend gfd_backend_accrights = {
	"accrights",
	accrights_max_fds,
	accrights_send,
};
