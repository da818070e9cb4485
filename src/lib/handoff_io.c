/* SPDX-License-Identifier: ISC */
/* handoff_io.c: exact reads and writes on pipes, FIFOs and stream
 * sockets, the wait for the rest of a message begun, and the deadline. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "internal.h"
#include "handoff_io.h"

#define DEFAULT_TIMEOUT_MS 30000

int gfd_handoff_timeout_ms(void)
{
	const char *s = secure_getenv("GIVEFD_HANDOFF_TIMEOUT_MS");
	long v;
	char *end;

	if (s == NULL || *s == '\0')
		return DEFAULT_TIMEOUT_MS;
	v = strtol(s, &end, 10);
	return *end == '\0' && v > 0 && v < 86400000 ? (int)v : DEFAULT_TIMEOUT_MS;
}

long long gfd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int gfd_poll_until(struct pollfd *pfd, int n, long long deadline)
{
	for (;;) {
		long long left = deadline - gfd_now_ms();
		int ready = poll(pfd, (nfds_t)n, left > 0 ? (int)left : 0);

		if (ready >= 0 || errno != EINTR)
			return ready;
	}
}

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
	n = gfd_poll_until(&pfd, 1, gfd_now_ms() + gfd_handoff_timeout_ms());
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
