/* SPDX-License-Identifier: ISC */
/*
 * openpath.c: see openpath.h. The type is checked by stat, which opens
 * nothing; the open that follows cannot block, take a terminal or touch
 * atime (where allowed), and must find the same file, or the path changed
 * between the two and is refused.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "openpath.h"

#ifndef O_NOATIME
#define O_NOATIME 0
#endif

#define PF_OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

int pf_open_regular(const char *path)
{
	struct stat before, after;
	int fd;

	if (stat(path, &before) == -1)
		return -1;
	if (!S_ISREG(before.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	fd = open(path, PF_OPEN_FLAGS | O_NOATIME);
	if (fd == -1 && errno == EPERM && O_NOATIME != 0)
		fd = open(path, PF_OPEN_FLAGS);
	if (fd == -1)
		return -1;
	if (fstat(fd, &after) == -1 || !S_ISREG(after.st_mode) ||
	    after.st_dev != before.st_dev || after.st_ino != before.st_ino) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}
