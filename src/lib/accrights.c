/* SPDX-License-Identifier: ISC */
/*
 * accrights.c: the sending side of the accrights backend: descriptors in
 * the msg_accrights array of a 4.3BSD struct msghdr, as on Solaris and
 * illumos programs built without the XPG4.2 interfaces (sendmsg(3SOCKET))
 * and on old BSD-derived systems. Like scm_rights: at least one data byte
 * on the wire (a NUL when there is no payload), descriptors attached to the
 * first byte. sockrecv_accrights.c receives when scm_rights is not built.
 */
#include "config.h"

#include "accrights_xopen.h"

#include <errno.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "compat.h"
#include "internal.h"
#include "msghdr_one.h"
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

	gfd_msghdr_one(&msg, &iov, buf, len);
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

const struct gfd_backend gfd_backend_accrights = {
	"accrights",
	accrights_max_fds,
	accrights_send,
};
