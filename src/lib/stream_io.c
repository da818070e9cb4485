/* stream_io.c: exact reads and writes on pipes, FIFOs and stream sockets. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "internal.h"
#include "handoff.h"

int gfd_write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	struct gfd_sigpipe_guard guard;
	int rc = 0;

	gfd_sigpipe_hold(&guard);
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = -1;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	gfd_sigpipe_release(&guard);
	return rc;
}

int gfd_read_exact(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* Mid-message on a non-blocking channel: the rest is
			 * on its way, and a message is never left half read. */
			struct pollfd pfd;

			pfd.fd = fd;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
				return -1;
			continue;
		}
		if (n == -1)
			return -1;
		if (n == 0) {
			errno = EPIPE;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
