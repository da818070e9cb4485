/* SPDX-License-Identifier: ISC */
/* fdutil.c: small helpers for sets of received descriptors, and for a
 * read that must not wait. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "internal.h"

void gfd_close_all(const int *fds, size_t n)
{
	int saved = errno;
	size_t i;

	for (i = 0; i < n; i++)
		close(fds[i]);
	errno = saved;
}

int gfd_set_cloexec_all(const int *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int flags = fcntl(fds[i], F_GETFD);

		if (flags == -1 || fcntl(fds[i], F_SETFD, flags | FD_CLOEXEC) == -1)
			return -1;
	}
	return 0;
}

int gfd_descriptor_table_full(int any_open_fd)
{
#ifdef F_DUPFD_CLOEXEC
	int probe = fcntl(any_open_fd, F_DUPFD_CLOEXEC, 0);
#else
	int probe = fcntl(any_open_fd, F_DUPFD, 0);
#endif

	if (probe == -1)
		return errno == EMFILE;
	close(probe);
	return 0;
}

int gfd_ready_now(int fd)
{
	struct pollfd pfd;
	int ready;

	pfd.fd = fd;
	pfd.events = POLLIN;
	do
		ready = poll(&pfd, 1, 0);
	while (ready == -1 && errno == EINTR);
	if (ready == 0)
		errno = EAGAIN;
	return ready > 0 ? 0 : -1;
}
