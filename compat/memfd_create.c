/* SPDX-License-Identifier: ISC */
/* memfd_create.c: an anonymous regular file where libc lacks memfd_create:
 * a temporary file in $TMPDIR (else /tmp), unlinked at once. The name is
 * not used; of the flags only MFD_CLOEXEC is known. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"

int memfd_create(const char *name, unsigned int flags)
{
	static const char tail[] = "/memfd.XXXXXX";
	const char *dir = secure_getenv("TMPDIR");
	char path[4096];
	size_t len;
	int fd, err;

	(void)name;
	if (flags & ~MFD_CLOEXEC) {
		errno = EINVAL;
		return -1;
	}
	if (dir == NULL || dir[0] != '/')
		dir = "/tmp";
	len = strlen(dir);
	if (len > sizeof path - sizeof tail) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, len);
	memcpy(path + len, tail, sizeof tail);
	fd = mkstemp(path);
	if (fd == -1)
		return -1;
	if (unlink(path) == -1) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	if ((flags & MFD_CLOEXEC) && fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}
