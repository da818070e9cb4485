/*
 * scm_rights.c: descriptors as one SCM_RIGHTS control message on a Unix
 * socket, with at least one data byte: the convention every other
 * implementation speaks. A message without payload carries one NUL byte.
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
#include "backend.h"
#include "scm_rights.h"


/* gfd_scm_sendmsg without SIGPIPE where MSG_NOSIGNAL is missing. */
static ssize_t send_quietly(int chan, const int *fds, size_t nfds,
                            const void *buf, size_t len)
{
	struct gfd_sigpipe_guard guard;
	ssize_t n;

	if (MSG_NOSIGNAL != 0)
		return gfd_scm_sendmsg(chan, fds, nfds, buf, len);
	gfd_sigpipe_hold(&guard);
	n = gfd_scm_sendmsg(chan, fds, nfds, buf, len);
	gfd_sigpipe_release(&guard);
	return n;
}

/* A stream socket may take part of the payload; the descriptors went with
 * the first part, so the rest goes without them. Stops early only where a
 * plain send would (non-blocking socket full, error after progress). */
static ssize_t send_rest(int chan, const unsigned char *buf, size_t len,
                         size_t sent)
{
	while (sent < len) {
		ssize_t n = send_quietly(chan, NULL, 0, buf + sent, len - sent);

		if (n <= 0)
			break;
		sent += (size_t)n;
	}
	return (ssize_t)sent;
}

static ssize_t scm_send(int chan, const int *fds, size_t nfds,
                        const void *buf, size_t len)
{
	static const unsigned char filler = 0;
	ssize_t n;

	if (len == 0)
		return send_quietly(chan, fds, nfds, &filler, 1) == -1 ? -1 : 0;
	n = send_quietly(chan, fds, nfds, buf, len);
	if (n == -1)
		return -1;
	return send_rest(chan, buf, len, (size_t)n);
}

/* Copies the descriptors of every SCM_RIGHTS message into arrival. */
static void collect_fds(struct msghdr *msg, struct gfd_arrival *arrival)
{
	struct cmsghdr *cmsg;

	arrival->nfds = 0;
	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	     cmsg = CMSG_NXTHDR(msg, cmsg)) {
		size_t bytes, count;

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
		if (count > GFD_FD_CAP - arrival->nfds)
			count = GFD_FD_CAP - arrival->nfds;
		memcpy(arrival->fds + arrival->nfds, CMSG_DATA(cmsg),
		       count * sizeof(int));
		arrival->nfds += count;
	}
}

/* After a truncated control message: were descriptors lost because the
 * table is full (or a security module refused them), rather than because
 * the peer sent more than the buffer holds? */
static int descriptor_table_full(int any_open_fd)
{
	int probe = fcntl(any_open_fd, F_DUPFD_CLOEXEC, 0);

	if (probe == -1)
		return errno == EMFILE;
	close(probe);
	return 0;
}

ssize_t gfd_socket_recv(int chan, void *buf, size_t room, int flags,
                        struct gfd_arrival *arrival)
{
	union gfd_control control;
	struct msghdr msg;
	struct iovec iov;
	ssize_t n;

	memset(&msg, 0, sizeof msg);
	iov.iov_base = buf;
	iov.iov_len = room;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.bytes;
	msg.msg_controllen = sizeof control.bytes;
	do
		n = recvmsg(chan, &msg, MSG_CMSG_CLOEXEC | flags);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	collect_fds(&msg, arrival);
	arrival->truncated = (msg.msg_flags & MSG_TRUNC) != 0;
	if (msg.msg_flags & MSG_CTRUNC) {
		int table_full = descriptor_table_full(chan);

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

const struct gfd_backend gfd_backend_scm_rights = {
	"scm_rights",
	gfd_scm_max_fds,
	scm_send,
};
