/* SPDX-License-Identifier: ISC */
/*
 * sockrecv_scm.c: the socket receive primitive (backend.h) where the
 * SCM_RIGHTS code is built: one recvmsg, its descriptors collected
 * close-on-exec, a truncated control message never leaving one open.
 * A kernel that has both kinds hands msg_accrights senders' descriptors
 * over as SCM_RIGHTS too.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "compat.h"
#include "internal.h"
#include "msghdr_one.h"
#include "backend.h"

/* Copies the descriptors of every SCM_RIGHTS message into arrival, and
 * closes those beyond its room (the control buffer's padding can hold a
 * few more than asked for). */
static void collect_fds(struct msghdr *msg, struct gfd_arrival *arrival)
{
	struct cmsghdr *cmsg;

	arrival->nfds = 0;
	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	     cmsg = CMSG_NXTHDR(msg, cmsg)) {
		size_t bytes, count, keep, i;

		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS ||
		    cmsg->cmsg_len < CMSG_LEN(0))
			continue;
		bytes = cmsg->cmsg_len - CMSG_LEN(0);
		/* Some systems leave cmsg_len untruncated; trust the buffer. */
		if ((size_t)((unsigned char *)CMSG_DATA(cmsg) -
		             (unsigned char *)msg->msg_control) + bytes >
		    (size_t)msg->msg_controllen)
			bytes = (size_t)msg->msg_controllen -
			        (size_t)((unsigned char *)CMSG_DATA(cmsg) -
			                 (unsigned char *)msg->msg_control);
		count = bytes / sizeof(int);
		keep = count < arrival->cap - arrival->nfds ? count
		       : arrival->cap - arrival->nfds;
		memcpy(arrival->fds + arrival->nfds, CMSG_DATA(cmsg),
		       keep * sizeof(int));
		arrival->nfds += keep;
		for (i = keep; i < count; i++) {
			int extra;

			memcpy(&extra, CMSG_DATA(cmsg) + i * sizeof(int), sizeof extra);
			(void)close(extra);
		}
	}
}

ssize_t gfd_socket_recv(int chan, void *buf, size_t room, int flags,
                        struct gfd_arrival *arrival)
{
	size_t space = CMSG_SPACE(sizeof(int) * arrival->cap);
	struct cmsghdr control[(space + sizeof(struct cmsghdr) - 1) /
	                       sizeof(struct cmsghdr)];
	struct msghdr msg;
	struct iovec iov;
	ssize_t n;

	gfd_msghdr_one(&msg, &iov, buf, room);
	msg.msg_control = (void *)control;
	msg.msg_controllen = space;
	do
		n = recvmsg(chan, &msg, MSG_CMSG_CLOEXEC | flags);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	collect_fds(&msg, arrival);
	arrival->truncated = (msg.msg_flags & MSG_TRUNC) != 0;
	/* A full array below GFD_FD_CAP: more came than the receiver takes,
	 * which it reports; the kernel closed the rest. */
	if ((msg.msg_flags & MSG_CTRUNC) &&
	    !(arrival->nfds == arrival->cap && arrival->cap < GFD_FD_CAP)) {
		int table_full = gfd_descriptor_table_full(chan);

		gfd_close_all(arrival->fds, arrival->nfds);
		arrival->nfds = 0;
		errno = table_full ? EMFILE : ENOBUFS;
		return -1;
	}
	if (!GFD_ATOMIC_CLOEXEC &&
	    gfd_set_cloexec_all(arrival->fds, arrival->nfds) == -1) {
		gfd_close_all(arrival->fds, arrival->nfds);
		arrival->nfds = 0;
		return -1;
	}
	if (n == 0 && arrival->nfds == 0) {
		errno = EPIPE;
		return -1;
	}
	return n;
}
