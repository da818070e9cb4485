/* SPDX-License-Identifier: ISC */
/* pipe2.c: pipe(2) with O_CLOEXEC and O_NONBLOCK, where libc lacks pipe2.
 * Not atomic with respect to a concurrent fork+exec; nothing better exists
 * on such systems. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "compat.h"

int pipe2(int fds[2], int flags)
{
	int i;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK)) {
		errno = EINVAL;
		return -1;
	}
	if (pipe(fds) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		if ((flags & O_CLOEXEC) &&
		    fcntl(fds[i], F_SETFD, FD_CLOEXEC) == -1)
			goto fail;
		if ((flags & O_NONBLOCK) &&
		    fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK) == -1)
			goto fail;
	}
	return 0;
fail:
	{
		int saved = errno;

		close(fds[0]);
		close(fds[1]);
		errno = saved;
	}
	return -1;
}
