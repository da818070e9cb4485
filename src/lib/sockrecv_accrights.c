/* SPDX-License-Identifier: ISC */
/*
 * sockrecv_accrights.c: the socket receive primitive (backend.h) through
 * msg_accrights, for builds that have the accrights backend but no
 * SCM_RIGHTS code (sockrecv_scm.c receives otherwise: a kernel that has
 * both hands either kind over). The
 * old struct has no msg_flags, so truncation is found by the sizes.
 */
#include "config.h"

#include "accrights_xopen.h"

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
		if (errno == EMSGSIZE && gfd_descriptor_table_full(chan))
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
	if (arrival->nfds > arrival->cap) {
		gfd_close_all(rights + arrival->cap, arrival->nfds - arrival->cap);
		arrival->nfds = arrival->cap;
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
