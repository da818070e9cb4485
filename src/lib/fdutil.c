/* fdutil.c: small helpers for sets of received descriptors. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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
