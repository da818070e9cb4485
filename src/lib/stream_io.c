/* stream_io.c: exact reads and writes on pipes, FIFOs and stream sockets,
 * and the wait for the rest of a message begun. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"
#include "handoff.h"

/* Moves *iov past n bytes and any empty entries: the entries left. */
static int advance(struct iovec **iov, int iovcnt, size_t n)
{
	while (iovcnt > 0 && n >= (*iov)->iov_len) {
		n -= (*iov)->iov_len;
		(*iov)++;
		iovcnt--;
	}
	if (iovcnt > 0) {
		(*iov)->iov_base = (unsigned char *)(*iov)->iov_base + n;
		(*iov)->iov_len -= n;
	}
	return iovcnt;
}

int gfd_writev_all(int fd, int is_socket, struct iovec *iov, int iovcnt)
{
	struct gfd_sigpipe_guard guard;
	struct msghdr msg;
	int rc = 0;

	if (!is_socket)
		gfd_sigpipe_hold(&guard);
	memset(&msg, 0, sizeof msg);
	while ((iovcnt = advance(&iov, iovcnt, 0)) > 0) {
		ssize_t n;

		msg.msg_iov = iov;
		msg.msg_iovlen = (size_t)iovcnt;
		n = is_socket ? sendmsg(fd, &msg, MSG_NOSIGNAL) : writev(fd, iov, iovcnt);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = -1;
			break;
		}
		iovcnt = advance(&iov, iovcnt, (size_t)n);
	}
	if (!is_socket)
		gfd_sigpipe_release(&guard);
	return rc;
}

int gfd_wait_for_rest(int fd)
{
	struct pollfd pfd;
	int flags = fcntl(fd, F_GETFL), n;

	if (flags != -1 && !(flags & O_NONBLOCK)) {
		errno = ETIMEDOUT;
		return -1;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	do
		n = poll(&pfd, 1, gfd_handoff_timeout_ms());
	while (n == -1 && errno == EINTR);
	if (n == 0)
		errno = ETIMEDOUT;
	return n > 0 ? 0 : -1;
}

int gfd_readv_exact(int fd, struct iovec *iov, int iovcnt)
{
	while ((iovcnt = advance(&iov, iovcnt, 0)) > 0) {
		ssize_t n;

		n = readv(fd, iov, iovcnt);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (gfd_wait_for_rest(fd) == -1)
				return -1;
			continue;
		}
		if (n == -1)
			return -1;
		if (n == 0) {
			errno = EPIPE;
			return -1;
		}
		iovcnt = advance(&iov, iovcnt, (size_t)n);
	}
	return 0;
}
